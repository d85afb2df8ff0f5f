#pragma once

/*
 * heart's one file layer: every file heart writes or reads goes through here. Nothing here
 * prints or exits; failures are returned (see ERRORS at the end).
 *
 * OUTPUTS. An output path is looked at once, when it is opened, and is one of:
 *  - A path that does not exist, or a regular file: REPLACED. The data goes to an anonymous
 *    file (O_TMPFILE) in the target's directory and takes the target's name only when the
 *    batch is committed, in one rename. A replaced file keeps its permission bits (unless the
 *    output sets a mode) and, where the process may (root), its owner and group. ACLs and
 *    extended attributes are not copied. The file's data is fsynced before it appears; the
 *    directory too when the output is durable.
 *  - A symbolic link: followed, up to 40 links, to the file it names, which is then
 *    replaced in its own directory (a dangling link gets its target created); the link
 *    stays. The path is resolved one component at a time, by descriptors (no name is looked
 *    up twice): every link met, in the directory part as well as at the end, obeys the rule
 *    of the kernel's fs.protected_symlinks whatever the sysctl says: in a sticky
 *    world-writable directory (/tmp) it is followed only when the caller (euid) or the
 *    directory's owner owns it, else EACCES. Links inside /proc (/proc/self, /proc/self/fd/N)
 *    are left to the kernel. Inputs are resolved the same way.
 *  - A character or block device, a FIFO or a socket: written to DIRECTLY, never replaced
 *    (so /dev/null stays a device). A FIFO is opened as a shell's `>` would: waiting for a
 *    reader. A socket is connected to (a stream socket, through /proc/self/fd: needs /proc).
 *  - A path that names one of this process's own descriptors (/dev/stdout, /dev/fd/N,
 *    /proc/self/fd/N, however reached): that descriptor, written to directly, so
 *    `-o /dev/stdout >> log` appends as `>> log` would. Other links inside /proc are
 *    followed by the kernel and written to directly (a regular file reached that way is
 *    truncated and rewritten in place, as cp would).
 *  - A directory, a path ending in "/", or a path whose directory does not exist: an error
 *    naming the reason (EISDIR, ENOENT, ENOTDIR, ELOOP, EACCES, ...).
 *  - With fio_out_opts.secret, only a new file or a regular file the caller owns (see there);
 *    anything else is FIO_ERR_SECRET.
 * Direct writes are not atomic: what was written before a failure stays written.
 *
 * BATCHES. Every output and input of a command belongs to one batch. Outputs are committed
 * together, in the order they were opened: first every step that can fail (flush, fsync,
 * mode and owner, checks that the targets are still what they were, a hidden name for each
 * new file, a hidden hard link to each file about to be replaced), then the renames. If a
 * rename fails, the renames already done are undone (the hard links put the old files back),
 * so after any failure the targets are as they were. What remains possible: SIGKILL or a
 * power cut during the commit, from the first hidden name to the last rename (a few system
 * calls per output), leaves the hidden names (".NAME.heart~XXXXXX") of that moment and, once
 * the renames have begun, some targets new and some old: the batch is then NOT all or
 * nothing, and nothing rolls it forward or back. The next batch that opens an output in that
 * directory removes every such hidden name (see LEFTOVERS). On a file system without
 * hard links, an old file cannot be put back after a failed rename (it keeps the new contents
 * rather than none). A hidden hard link that cannot be renamed back is left rather than lose
 * the old file.
 * Order outputs so that the most valuable goes last (keygen: the public key, then the secret
 * key, whose file also holds the public key).
 *
 * SAME FILE. An output is refused (FIO_ERR_SAME_FILE, nothing written) when it is the same
 * file as an input or another output of its batch: same device and inode, or for a file that
 * does not exist yet, same directory (device and inode) and name. Spellings do not matter
 * (./k and k, links, hard links). Open every input and output before writing any output.
 *
 * SIGNALS. With O_TMPFILE nothing has a name while it is written, so any signal, SIGKILL
 * included, leaves nothing behind. Every hidden name (a temporary where O_TMPFILE or a way to
 * link an anonymous file is missing, see FALLBACKS; the names a commit makes) is recorded while
 * it exists, and fio_signal_cleanup() removes every recorded name. The library installs no
 * signal handler: the program does (heart: cli/signals.c, on every signal whose default action
 * ends the process) and calls fio_signal_cleanup() from it before dying by the signal; a
 * program that installs none leaves the hidden names of the moment when a signal kills it.
 * The records change, and a commit runs from its first rename to its last, with every signal
 * but the faults (SEGV, BUS, FPE, ILL, TRAP, SYS) blocked, so a handler never sees a record
 * half-made and a signal takes effect after the commit, never in the middle. This is the
 * library's only global mutable state. SIGKILL in the fallback leaves the hidden temporary
 * (never the target's name), and SIGKILL during a commit what BATCHES says: nothing can catch
 * it.
 *
 * LEFTOVERS. While a batch may have hidden names in a directory (from the opening of its
 * first replaced output there until it is destroyed), it holds a shared flock() on that
 * directory. Opening a replaced output in a directory first tries the lock exclusively,
 * without waiting: when nobody holds it, no live heart has names there, so every name of the
 * form ".NAME.heart~XXXXXX" is what a killed one left, and is removed (other programs'
 * hidden files never match). A directory that cannot be opened for reading goes without the
 * lock and the sweep.
 *
 * FALLBACKS. An anonymous file is named with linkat(AT_EMPTY_PATH) (root, or Linux 6.10 and
 * later), else through /proc/self/fd. Where neither works (no /proc in a container or chroot)
 * its data is copied once into a named temporary, which then behaves as above. Where O_TMPFILE
 * itself is missing (old kernels, some file systems), the output is a named temporary from the
 * start.
 *
 * INPUTS. fio_batch_input() opens a file for reading (its path resolved as for outputs, the
 * link rule on every link). Keys, signatures and other small inputs
 * must be regular files: a FIFO, device or socket is refused at once (it is opened without
 * blocking and never read). Streams (artifacts) may also be FIFOs, pipes and character
 * devices; a FIFO is waited on for its writer, as cat does. "-" is standard input only when
 * the caller says so.
 *
 * RESOURCES. Each open output holds one file descriptor (plus two per distinct directory of
 * the batch: the directory and its lock) until the batch is destroyed: mind RLIMIT_NOFILE for
 * very large batches.
 *
 * THREADS. A batch belongs to one thread. The records of hidden names (SIGNALS) are the
 * process's, and a commit blocks signals only in the calling thread: use fileio from one thread
 * of a process at a time (heart's commands are single-threaded; heart serve writes no file).
 *
 * ERRORS. Functions returning bool fill the batch's error (fio_batch_error()). Error codes are
 * 0, a positive errno value, or one of the negative FIO_ERR_* values; fio_strerror() names
 * either kind.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

enum {
	FIO_ERR_SAME_FILE = -1,   /* an output is an input or another output of the batch */
	FIO_ERR_NOT_REGULAR = -2, /* a FIFO, device or socket where only a regular file will do */
	FIO_ERR_TOO_BIG = -3,     /* a bounded read found more than it may hold */
	FIO_ERR_SECRET = -4,      /* a secret output that is not a new file or the caller's own */
};

/* A static description of code: strerror() for errno values (never NULL). */
const char *fio_strerror(int code);

/* What went wrong, and where. The strings belong to the batch (valid until it is destroyed). */
struct fio_error {
	int code;            /* 0, an errno value or FIO_ERR_* */
	const char *path;    /* the path it is about, as given; NULL when none */
	const char *other;   /* FIO_ERR_SAME_FILE: the other file's path, as given */
	bool other_is_input; /* FIO_ERR_SAME_FILE: whether other is an input */
	bool is_input;       /* whether path is an input (read) rather than an output (write) */
};

/*
 * Remove every hidden name recorded now (see SIGNALS). Async-signal-safe (unlinkat() only):
 * for a signal handler that then ends the process. The batches are not usable after it.
 */
void fio_signal_cleanup(void);

/* ---- Batches --------------------------------------------------------------------------- */

struct fio_batch;

/* A new, empty batch into *batch_out (NULL and false when out of memory). */
bool fio_batch_create(struct fio_batch **batch_out);

/* Remove every output not yet committed (targets untouched), close the batch's descriptors
 * (not those handed out by fio_batch_input()) and free it. Accepts NULL. */
void fio_batch_destroy(struct fio_batch *batch);

/* The last failure of a function of this batch. */
const struct fio_error *fio_batch_error(const struct fio_batch *batch);

/* ---- Outputs --------------------------------------------------------------------------- */

struct fio_out; /* owned by its batch */

struct fio_out_opts {
	/* 0: a new file gets 0666 minus the umask, a replaced file keeps its permission bits.
	 * Otherwise exactly these permission bits (the umask does not apply), e.g. 0600. */
	mode_t mode;
	bool no_replace; /* an existing file is an error (EEXIST), now and at the commit */
	bool durable;    /* fsync the directory after the commit (keys, installed programs) */
	bool dash;       /* "-" means standard output (written directly) */
	/* Secret material (a secret key): written only into a new file or a regular file the
	 * caller (euid) owns, which is replaced by a new file owned by the caller, mode 0600
	 * unless mode says otherwise (the old file's owner, group and mode are not kept).
	 * Anything else is FIO_ERR_SECRET, before anything is opened or created: a FIFO, socket
	 * or device, one of our own descriptors (/dev/stdout, "-"), another user's file, a link
	 * that leads to one. */
	bool secret;
};

/*
 * Open path as an output of batch (see OUTPUTS). On success *out_out is the output, owned
 * by the batch. Fails (nothing created) for the errors above, EEXIST with no_replace, and
 * FIO_ERR_SAME_FILE. Opening a FIFO waits for its reader.
 */
bool fio_batch_output(struct fio_batch *batch, const char *path, const struct fio_out_opts *opts,
		      struct fio_out **out_out);

/* The descriptor to write to. Use it (or fio_out_write()) or fio_out_stream(), not both. */
int fio_out_fd(const struct fio_out *out);

/* Write all len bytes of data to out (EINTR and short writes retried). */
bool fio_out_write(struct fio_batch *batch, struct fio_out *out, const void *data, size_t len);

/*
 * A stdio stream over the output (created on the first call, page-aligned 64 KiB buffer),
 * or NULL with errno ENOMEM. Closed by fio_out_seal() or the commit, not by the caller.
 */
FILE *fio_out_stream(struct fio_out *out);

/* The first error a write through fio_out_stream() met (an errno value), or 0. */
int fio_out_error(const struct fio_out *out);

/* Whether the output is a terminal (written to directly). */
bool fio_out_is_terminal(const struct fio_out *out);

/* Whether the output will be replaced at the commit (false: written directly). */
bool fio_out_is_replaced(const struct fio_out *out);

/*
 * Finish writing now rather than at the commit: flush and close the stream, fsync the data,
 * set mode and owner. Frees the stream's buffer, so a batch of many outputs can seal each
 * one when it is written. Returns false (batch error set) on failure; the output is then
 * left to be removed.
 */
bool fio_out_seal(struct fio_batch *batch, struct fio_out *out);

/*
 * An anonymous read-write file that is never published, on the same file system as out
 * (in its directory; in $TMPDIR or /tmp for a direct output): a private scratch copy.
 * *fd_out is the caller's to close; the file disappears with it.
 */
bool fio_out_scratch(struct fio_batch *batch, const struct fio_out *out, int *fd_out);

/*
 * Commit every output of the batch (see BATCHES): all appear, or none changes. On failure
 * the batch error names the output that failed. Call at most once.
 */
bool fio_batch_commit(struct fio_batch *batch);

/* ---- Inputs ---------------------------------------------------------------------------- */

enum fio_in_flags {
	FIO_IN_REGULAR = 0,     /* a regular file only */
	FIO_IN_STREAM = 1 << 0, /* also a FIFO, a pipe or a character device, read once */
	FIO_IN_DASH = 1 << 1,   /* "-" means standard input */
};

/*
 * Open path for reading as an input of batch (flags: enum fio_in_flags). *fd_out is the
 * caller's to close. Fails with an errno value (ENOENT, EACCES, EISDIR, ...),
 * FIO_ERR_NOT_REGULAR, or FIO_ERR_SAME_FILE when it is one of the batch's outputs.
 */
bool fio_batch_input(struct fio_batch *batch, const char *path, unsigned flags, int *fd_out);

/*
 * Read fd from where it stands to its end into buf, and NUL-terminate it: at most cap - 1
 * bytes, else FIO_ERR_TOO_BIG. Returns 0 or an error code; *len_out is the length read.
 * buf may be secret memory: nothing is copied elsewhere.
 */
int fio_read_all(int fd, char *buf, size_t cap, size_t *len_out);

/*
 * Open path as a regular-file input of batch, read it whole with fio_read_all() and close it:
 * for keys, signatures, comments. Fails as fio_batch_input() and fio_read_all() do.
 */
bool fio_batch_read(struct fio_batch *batch, const char *path, char *buf, size_t cap,
		    size_t *len_out);
