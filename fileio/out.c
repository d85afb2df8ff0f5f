/* Writing an output (opened by out_open.c): streams, sealing, naming, copying. */
/* O_TMPFILE, fopencookie() and copy_file_range() are Linux/GNU extensions. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio_internal.h"

enum {
	PAGE = 4096,
	STREAM_BUF = 64 << 10, /* page-aligned: the kernel copies aligned buffers fastest */
};

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
