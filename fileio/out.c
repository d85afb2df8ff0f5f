/* Outputs: what a path names, the temporary file, streams, sealing. */
/* O_TMPFILE, O_PATH, fopencookie() and copy_file_range() are Linux/GNU extensions. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fileio_internal.h"

enum {
	PAGE = 4096,
	STREAM_BUF = 64 << 10, /* page-aligned: the kernel copies aligned buffers fastest */
};

/* Whether dirfd is this process's (or thread's) /proc/.../fd directory. */
static bool own_fd_dir(int dirfd)
{
	static const char *const dirs[] = {"/proc/self/fd", "/proc/thread-self/fd"};
	struct stat d, s;
	if (fstat(dirfd, &d) != 0)
		return false;
	for (size_t i = 0; i < 2; i++)
		if (stat(dirs[i], &s) == 0 && fio_id_equal(fio_id_of(&d), fio_id_of(&s)))
			return true;
	return false;
}

static bool parse_fd(const char *s, int *fd_out)
{
	int n = 0;
	if (!*s || strlen(s) > 9)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		n = n * 10 + (*s - '0');
	}
	*fd_out = n;
	return true;
}

static int direct_set(struct fio_out *o, int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int const err = errno;
		close(fd);
		return err;
	}
	o->kind = FIO_OUT_DIRECT;
	o->fd = fd;
	o->id = fio_id_of(&st);
	return 0;
}

/* One of our own descriptors: write to it, so that its offset and O_APPEND hold. */
static int direct_dup(struct fio_out *o, int n)
{
	struct stat st;
	int const flags = fcntl(n, F_GETFL);
	if (flags < 0 || fstat(n, &st) != 0)
		return errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if ((flags & O_ACCMODE) == O_RDONLY)
		return EBADF;
	int const fd = fcntl(n, F_DUPFD_CLOEXEC, 3);
	return fd < 0 ? errno : direct_set(o, fd);
}

/* connect() takes a path, not a directory descriptor: the directory already resolved is
 * reached through /proc, so that nothing is looked up twice. */
static int direct_socket(struct fio_out *o, int dirfd, const char *name)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int const n =
		snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/%s", dirfd, name);
	if (n < 0 || (size_t)n >= sizeof(addr.sun_path))
		return ENAMETOOLONG;
	int const fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (connect(fd, (const struct sockaddr *)&addr, sizeof(addr)) != 0) {
		int const err = errno;
		close(fd);
		return err;
	}
	return direct_set(o, fd);
}

/* A device, FIFO or socket (or what a /proc link names): written in place, never replaced.
 * Only a link inside /proc is followed (by the kernel). */
static int direct_open(struct fio_out *o, const struct fio_path *p)
{
	struct stat st;
	int const nofollow = p->on_proc ? 0 : O_NOFOLLOW;
	if (fstatat(p->dirfd, p->name, &st, p->on_proc ? 0 : AT_SYMLINK_NOFOLLOW) != 0)
		return errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (S_ISSOCK(st.st_mode))
		return direct_socket(o, p->dirfd, p->name);
	/* A FIFO waits here for its reader, as the shell's > does. */
	int const fd = openat(p->dirfd, p->name,
			      O_WRONLY | O_NOCTTY | O_CLOEXEC | nofollow |
				      (S_ISREG(st.st_mode) ? O_TRUNC : 0));
	return fd < 0 ? errno : direct_set(o, fd);
}

/* Use another output's descriptor for the same directory: one descriptor per directory, so
 * a thousand frames need a thousand descriptors, not two thousand. */
static void share_dirfd(struct fio_out *o, struct fio_out *const *others, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (others[i]->kind == FIO_OUT_REPLACE && others[i]->owns_dirfd &&
		    fio_id_equal(others[i]->dir_id, o->dir_id)) {
			close(o->dirfd);
			o->dirfd = others[i]->dirfd;
			o->owns_dirfd = false;
			return;
		}
	}
}

/* Remove the hidden names (fio_name_is_hidden()) in the directory dfd: what a heart killed
 * while it wrote or committed there left. Only with the directory's lock held exclusively. */
static void sweep(int dfd)
{
	int const fd = dup(dfd); /* closedir() closes it; the lock stays with dfd */
	DIR *const d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	for (struct dirent *e; (e = readdir(d));)
		if (fio_name_is_hidden(e->d_name))
			(void)unlinkat(dfd, e->d_name, 0);
	closedir(d);
}

/*
 * Lock the output's directory for as long as the batch may have hidden names there: shared,
 * so that batches write side by side; but whoever finds nobody holding it first takes it
 * exclusively and removes what a killed heart left. A directory that cannot be opened for
 * reading goes without (and without the sweep).
 */
static void lock_dir(struct fio_out *o)
{
	o->lockfd = openat(o->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->lockfd < 0)
		return;
	if (flock(o->lockfd, LOCK_EX | LOCK_NB) == 0)
		sweep(o->lockfd);
	while (flock(o->lockfd, LOCK_SH) != 0 && errno == EINTR)
		;
}

void fio_out_close_dir(struct fio_out *o)
{
	if (!o->owns_dirfd)
		return;
	if (o->dirfd >= 0)
		close(o->dirfd);
	if (o->lockfd >= 0)
		close(o->lockfd);
	o->dirfd = o->lockfd = -1;
}

/* A new or regular file at (dirfd, name): the temporary that will replace it. Takes dirfd. */
static int replace_open(struct fio_out *o, int dirfd, char *name, const struct stat *existing,
			struct fio_out *const *others, size_t n_others)
{
	struct stat d;
	o->kind = FIO_OUT_REPLACE;
	o->dirfd = dirfd;
	o->owns_dirfd = true;
	o->name = name;
	if (existing && o->opts.no_replace)
		return EEXIST;
	if (fstat(dirfd, &d) != 0)
		return errno;
	o->dir_id = fio_id_of(&d);
	if (existing) {
		o->existed = true;
		o->old = *existing;
	}
	share_dirfd(o, others, n_others);
	if (o->owns_dirfd)
		lock_dir(o);
	/* A set mode is applied at the seal; until then nobody else may read. Read-write: the
	 * /proc-less fallback reads the data back. */
	mode_t const mode = o->opts.mode || o->opts.secret ? 0600 : 0666;
	o->fd = openat(o->dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, mode);
	if (o->fd >= 0) {
		o->anonymous = true;
		return 0;
	}
	/* No O_TMPFILE here (EISDIR: kernels before 3.11): a named temporary from the start. */
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return errno;
	o->fd = fio_name_create(o->dirfd, o->name, mode, O_RDWR, &o->temp);
	return o->fd < 0 ? errno : 0;
}

/* A secret goes only into a new file or a regular file the caller owns (then replaced by a
 * new file of the caller's, never written through). */
static bool secret_may_go(const struct fio_path *p)
{
	return !p->exists || (S_ISREG(p->st.st_mode) && p->st.st_uid == geteuid());
}

/* Open what path leads to (see fio_path_resolve()): replace it, or write to it directly. */
static int resolve(struct fio_out *o, const char *path, struct fio_out *const *others,
		   size_t n_others)
{
	struct fio_path p;
	int fd, err = fio_path_resolve(path, &p);
	if (err)
		return err;
	if (p.exists && S_ISDIR(p.st.st_mode))
		err = EISDIR;
	else if (o->opts.secret && !secret_may_go(&p))
		err = FIO_ERR_SECRET;
	else if (!p.exists || S_ISREG(p.st.st_mode)) {
		err = replace_open(o, p.dirfd, p.name, p.exists ? &p.st : NULL, others, n_others);
		p.dirfd = -1; /* taken, with the name, by the output */
		p.name = NULL;
	} else if (p.on_proc && own_fd_dir(p.dirfd) && parse_fd(p.name, &fd))
		err = direct_dup(o, fd);
	else
		err = direct_open(o, &p);
	fio_path_finish(&p);
	return err;
}

int fio_out_open(struct fio_out *o, const char *path, const struct fio_out_opts *opts,
		 struct fio_out *const *others, size_t n_others)
{
	*o = (struct fio_out){.fd = -1, .dirfd = -1, .lockfd = -1, .opts = *opts};
	size_t const len = strlen(path);
	int err;
	if (!(o->path = strdup(path)))
		err = ENOMEM;
	else if (opts->dash && strcmp(path, "-") == 0)
		err = opts->secret ? FIO_ERR_SECRET : direct_dup(o, STDOUT_FILENO);
	else if (len == 0)
		err = ENOENT;
	else
		err = resolve(o, path, others, n_others);
	if (err) {
		fio_out_release(o);
		fio_out_close_dir(o);
		fio_out_free(o);
	}
	return err;
}

/* ---- Streams ---------------------------------------------------------------------------- */

static ssize_t stream_write(void *cookie, const char *buf, size_t n)
{
	struct fio_out *const o = cookie;
	if (o->discard)
		return (ssize_t)n;
	int const err = base_write_all(o->fd, buf, n);
	if (!err)
		return (ssize_t)n;
	if (!o->stream_err)
		o->stream_err = err;
	return 0; /* a short count marks the stream as failed */
}

static int stream_close(void *cookie)
{
	(void)cookie; /* the descriptor belongs to the output */
	return 0;
}

FILE *fio_out_stream(struct fio_out *out)
{
	if (out->stream)
		return out->stream;
	if (out->sealed) {
		errno = EBADF;
		return NULL;
	}
	void *buf;
	if (posix_memalign(&buf, PAGE, STREAM_BUF) != 0) {
		errno = ENOMEM;
		return NULL;
	}
	cookie_io_functions_t const io = {.write = stream_write, .close = stream_close};
	FILE *const f = fopencookie(out, "w", io);
	if (!f || setvbuf(f, buf, _IOFBF, STREAM_BUF) != 0) {
		if (f)
			fclose(f);
		free(buf);
		errno = ENOMEM;
		return NULL;
	}
	out->stream = f;
	out->stream_buf = buf;
	return f;
}

static int stream_finish(struct fio_out *o)
{
	if (!o->stream)
		return o->stream_err;
	int err = fflush(o->stream) != 0 && !o->stream_err ? (errno ? errno : EIO) : 0;
	fclose(o->stream);
	free(o->stream_buf);
	o->stream = NULL;
	o->stream_buf = NULL;
	return o->stream_err ? o->stream_err : err;
}

int fio_out_error(const struct fio_out *out)
{
	return out->stream_err;
}

/* ---- Sealing and naming ----------------------------------------------------------------- */

/* Owner and group as in want, where the process may (root; a group it is in). */
static void keep_owner(int fd, const struct stat *want)
{
	struct stat now;
	if (fstat(fd, &now) != 0 || (now.st_uid == want->st_uid && now.st_gid == want->st_gid))
		return;
	if (fchown(fd, want->st_uid, want->st_gid) != 0 && errno == EPERM)
		(void)!fchown(fd, (uid_t)-1, want->st_gid);
}

int fio_out_do_seal(struct fio_out *o)
{
	if (o->sealed)
		return 0;
	int err = stream_finish(o);
	if (!err && o->kind == FIO_OUT_REPLACE) {
		/* A secret is the caller's alone: the old file's owner and mode are not kept. */
		if (o->existed && !o->opts.secret)
			keep_owner(o->fd, &o->old);
		mode_t const mode = o->opts.mode     ? o->opts.mode
				    : o->opts.secret ? 0600
				    : o->existed     ? o->old.st_mode & 0777
						     : 0;
		struct stat st;
		if ((mode && fchmod(o->fd, mode) != 0) || fsync(o->fd) != 0 ||
		    fstat(o->fd, &st) != 0)
			err = errno;
		else
			o->id = fio_id_of(&st); /* the new file, for undoing a commit */
	}
	o->sealed = err == 0;
	return err;
}

static int copy_all(int in, int out, off_t size)
{
	off_t off = 0;
	while (off < size) {
		ssize_t const n = copy_file_range(in, &off, out, NULL, (size_t)(size - off), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
		    errno != EOPNOTSUPP)
			return errno;
		if (n < 0)
			break; /* no copy_file_range() here: read and write */
		if (n == 0)
			return EIO; /* the file shrank under us */
	}
	void *buf = NULL;
	if (off < size && posix_memalign(&buf, PAGE, STREAM_BUF) != 0)
		return ENOMEM;
	int err = 0;
	while (off < size && !err) {
		ssize_t const n = pread(in, buf, STREAM_BUF, off);
		if (n <= 0) {
			err = n < 0 ? errno : EIO;
			break;
		}
		err = base_write_all(out, buf, (size_t)n);
		off += n;
	}
	free(buf);
	return err;
}

/* No way to link the anonymous file (no /proc, and linkat(AT_EMPTY_PATH) refused): copy it
 * into a named temporary, with its mode and owner, and continue with that. */
static int copy_to_named(struct fio_out *o)
{
	struct stat st;
	if (fstat(o->fd, &st) != 0)
		return errno;
	int const fd = fio_name_create(o->dirfd, o->name, 0600, O_RDWR, &o->temp);
	if (fd < 0)
		return errno;
	int err = copy_all(o->fd, fd, st.st_size);
	if (!err) {
		keep_owner(fd, &st);
		if (fchmod(fd, st.st_mode & 07777) != 0 || fsync(fd) != 0 || fstat(fd, &st) != 0)
			err = errno;
	}
	if (err) {
		close(fd);
		fio_name_remove(&o->temp);
		return err;
	}
	close(o->fd);
	o->fd = fd;
	o->id = fio_id_of(&st);
	o->anonymous = false;
	return 0;
}

int fio_out_name(struct fio_out *o)
{
	if (!o->anonymous)
		return 0;
	if (fio_name_link(-1, NULL, o->fd, o->dirfd, o->name, &o->temp) == 0) {
		o->anonymous = false;
		return 0;
	}
	return copy_to_named(o);
}

void fio_out_release(struct fio_out *o)
{
	int const saved_errno = errno;
	if (o->stream) {
		o->discard = true; /* an abandoned output: buffered bytes go nowhere */
		fclose(o->stream);
		o->stream = NULL;
	}
	free(o->stream_buf);
	o->stream_buf = NULL;
	fio_name_remove(&o->temp);
	fio_name_remove(&o->backup);
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	errno = saved_errno;
}

void fio_out_free(struct fio_out *o)
{
	free(o->path);
	free(o->name);
	o->path = o->name = NULL;
}

/* ---- Public accessors --------------------------------------------------------------------- */

int fio_out_fd(const struct fio_out *out)
{
	return out->fd;
}

bool fio_out_is_terminal(const struct fio_out *out)
{
	return out->kind == FIO_OUT_DIRECT && isatty(out->fd);
}

bool fio_out_is_replaced(const struct fio_out *out)
{
	return out->kind == FIO_OUT_REPLACE;
}

/* The directory a scratch file goes in: the output's, or $TMPDIR (/tmp) for a direct one. */
static int scratch_dir(const struct fio_out *o, bool *owned_out)
{
	*owned_out = o->kind != FIO_OUT_REPLACE;
	if (!*owned_out)
		return o->dirfd;
	const char *tmp = getenv("TMPDIR");
	return open(tmp && *tmp ? tmp : "/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
}

int fio_out_scratch_fd(const struct fio_out *o, int *fd_out)
{
	bool owned;
	int const dirfd = scratch_dir(o, &owned);
	if (dirfd < 0)
		return errno;
	int fd = openat(dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	int err = fd < 0 ? errno : 0;
	if (err == EOPNOTSUPP || err == EISDIR || err == EINVAL) {
		/* Created and unlinked with the signals blocked: only SIGKILL in between (two
		 * system calls) could leave the name. */
		struct fio_name n = {0};
		sigset_t old;
		fio_signals_block(&old);
		fd = fio_name_create(dirfd, "heart-scratch", 0600, O_RDWR, &n);
		err = fd < 0 ? errno : 0;
		fio_name_remove(&n);
		fio_signals_restore(&old);
	}
	if (owned)
		close(dirfd);
	*fd_out = fd;
	return err;
}
