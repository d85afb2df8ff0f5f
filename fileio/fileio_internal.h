#pragma once

/* What the files of the fileio module share; no other module includes this. */

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/io.h"
#include "fileio.h"

/* A file, by what it is rather than by what it is called. */
struct fio_id {
	dev_t dev;
	ino_t ino;
};

static inline struct fio_id fio_id_of(const struct stat *st)
{
	return (struct fio_id){.dev = st->st_dev, .ino = st->st_ino};
}

static inline bool fio_id_equal(struct fio_id a, struct fio_id b)
{
	return a.dev == b.dev && a.ino == b.ino;
}

/* ---- signals.c: the names that exist only for a moment ---------------------------------- */

/*
 * A hidden name in a directory that must not outlive the process: a temporary file, or a
 * hard link kept during a commit. Registered while the name exists, so that
 * fio_signal_cleanup() removes it. Caller storage, embedded in its owner.
 */
struct fio_name {
	struct fio_name *prev, *next;
	int dirfd;
	bool live; /* registered: the name exists */
	char name[NAME_MAX + 1];
};

/* Block every signal but the faults (the registry changes, the commit's renames);
 * *old_out is for restore. */
void fio_signals_block(sigset_t *old_out);
void fio_signals_restore(const sigset_t *old);

/* Register / forget n (signals must be blocked): fio_signal_cleanup() removes the names
 * registered. */
void fio_name_register(struct fio_name *n);
void fio_name_forget(struct fio_name *n);

/*
 * Create a new hidden file ".BASE.XXXXXX" in dirfd (O_EXCL, mode before the umask, flags
 * O_WRONLY or O_RDWR) and register its name in *n. Returns the descriptor, or -1 with errno.
 */
int fio_name_create(int dirfd, const char *base, mode_t mode, int flags, struct fio_name *n);

/* Hard-link (olddirfd, oldname), or the open file fd when oldname is NULL, to a new hidden
 * name beside base in dirfd, registered in *n. Returns 0, or -1 with errno. */
int fio_name_link(int olddirfd, const char *oldname, int fd, int dirfd, const char *base,
		  struct fio_name *n);

/* Whether name is one fio_name_create() or fio_name_link() makes (".BASE.heart~XXXXXX"). */
bool fio_name_is_hidden(const char *name);

/* Unlink a registered name and forget it; nothing when it is not live. Keeps errno. */
void fio_name_remove(struct fio_name *n);

/* ---- path.c: where a path leads ------------------------------------------------------- */

/*
 * What a path names, resolved one component at a time from "/" or ".": every symbolic link
 * met, in the directory part or at the end, is followed only under the rule of
 * fs.protected_symlinks (in a sticky world-writable directory, the caller's links and the
 * directory owner's; else EACCES), at most 40 in all (else ELOOP). Links inside /proc are the
 * kernel's to follow (/proc/self, /proc/self/fd/N) and are not followed here.
 */
struct fio_path {
	int dirfd;    /* O_PATH descriptor of the directory that holds name */
	char *name;   /* the last component: never a link, except inside /proc */
	bool exists;  /* name exists; st is its lstat() */
	bool on_proc; /* dirfd is on /proc */
	struct stat st;
};

/* Resolve path into *p (its fio_path_finish() is the caller's on success). 0 or an errno:
 * ENOENT for a missing directory, ENOTDIR, EISDIR for a path ending in "/" (or a link to
 * "dir/") that names a directory, EACCES, ELOOP, ... A missing last component is not an
 * error (exists is false). */
int fio_path_resolve(const char *path, struct fio_path *p);
void fio_path_finish(struct fio_path *p);
/* Whether dirfd is on /proc. */
bool fio_on_proc(int dirfd);

/* ---- out_open.c (opening), out.c (writing), batch.c ------------------------------------ */

enum fio_out_kind {
	FIO_OUT_REPLACE, /* a temporary file that takes the target's name at the commit */
	FIO_OUT_DIRECT,  /* written in place: devices, FIFOs, sockets, our own descriptors */
};

struct fio_out {
	char *path; /* as given */
	struct fio_out_opts opts;
	enum fio_out_kind kind;
	int fd; /* what is written */
	bool sealed;
	bool committed;

	/* A stdio stream over fd (fio_out_stream()) and the first error it met. */
	FILE *stream;
	void *stream_buf;
	int stream_err;
	bool discard; /* abandoned: the stream's buffered bytes go nowhere */

	/* FIO_OUT_DIRECT: the file written to. */
	struct fio_id id;

	/* FIO_OUT_REPLACE: the target (dirfd, name), as resolved at open. */
	int dirfd;
	bool owns_dirfd; /* else borrowed from another output of the batch */
	int lockfd;      /* with owns_dirfd: the directory, flock()ed shared while we write there */
	struct fio_id dir_id;
	char *name;
	bool existed; /* the target existed at open: old is its stat */
	struct stat old;
	bool anonymous;         /* fd is an O_TMPFILE file without a name */
	struct fio_name temp;   /* the temporary's hidden name, once it has one */
	struct fio_name backup; /* during a commit: a hidden hard link to the old target */
	bool replacing;         /* during a commit: a file had the target's name */
};

/* Open the output (resolve path, create the temporary or open the file); others are the
 * batch's outputs so far, whose directory descriptors it may share. 0 or an error code; on
 * failure *o holds nothing to release. */
int fio_out_open(struct fio_out *o, const char *path, const struct fio_out_opts *opts,
		 struct fio_out *const *others, size_t n_others);
/* Seal (see fio_out_seal()); 0 or an error code. */
int fio_out_do_seal(struct fio_out *o);
/* Give an anonymous temporary a hidden name (linkat, /proc, or a copy). 0 or an error code. */
int fio_out_name(struct fio_out *o);
/* An anonymous read-write file beside o (see fio_out_scratch()). 0 or an error code. */
int fio_out_scratch_fd(const struct fio_out *o, int *fd_out);
/* Close the stream and the file (removing the temporary when not committed), but not the
 * directory descriptor, which other outputs may share. Keeps errno. */
void fio_out_release(struct fio_out *o);
/* Close the directory descriptors the output owns (after every output of the batch that
 * borrows them is released). */
void fio_out_close_dir(struct fio_out *o);
/* Free the strings; after fio_out_release() and after the directory is closed. */
void fio_out_free(struct fio_out *o);

/* ---- in.c ------------------------------------------------------------------------------ */

/* Open path for reading as flags allow (see fio_batch_input()); *st_out is what was opened.
 * 0 or an error code. */
int fio_in_open(const char *path, unsigned flags, int *fd_out, struct stat *st_out);
