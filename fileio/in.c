/* Inputs: opening without ever waiting on what is not a file, reading with a bound. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio_internal.h"

const char *fio_strerror(int code)
{
	switch (code) {
	case 0:
		return "success";
	case FIO_ERR_SAME_FILE:
		return "same file as another of the command's files";
	case FIO_ERR_NOT_REGULAR:
		return "not a regular file";
	case FIO_ERR_TOO_BIG:
		return "too long";
	case FIO_ERR_SECRET:
		return "a secret key goes only into a new file or a regular file you own";
	default:
		return code > 0 ? strerror(code) : "unknown error";
	}
}

static int check_kind(int fd, unsigned flags, struct stat *st)
{
	if (fstat(fd, st) != 0)
		return errno;
	if (S_ISDIR(st->st_mode))
		return EISDIR;
	if (S_ISREG(st->st_mode))
		return 0;
	return flags & FIO_IN_STREAM && !S_ISSOCK(st->st_mode) ? 0 : FIO_ERR_NOT_REGULAR;
}

/*
 * A FIFO opened without waiting reads as empty until a writer comes: wait for it (or for one
 * that came and went), as cat's blocking open() would. Not reopened: a writer that has
 * already written and closed would be lost with this descriptor.
 */
static int wait_for_writer(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			return errno;
	return 0;
}

/* Open path for reading without waiting (see fio_path_resolve(): links under the rule of
 * fs.protected_symlinks, as for outputs). */
static int open_path(const char *path, int *fd_out)
{
	struct fio_path p;
	int err = fio_path_resolve(path, &p);
	*fd_out = -1;
	if (err)
		return err;
	if (!p.exists)
		err = ENOENT;
	else if (S_ISSOCK(p.st.st_mode))
		err = FIO_ERR_NOT_REGULAR; /* open() cannot open it: say what it is */
	else if ((*fd_out = openat(p.dirfd, p.name,
				   O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
					   (p.on_proc ? 0 : O_NOFOLLOW))) < 0)
		/* ENXIO: a socket reached through a /proc link */
		err = errno == ENXIO ? FIO_ERR_NOT_REGULAR : errno;
	fio_path_finish(&p);
	return err;
}

int fio_in_open(const char *path, unsigned flags, int *fd_out, struct stat *st_out)
{
	bool const dash = flags & FIO_IN_DASH && strcmp(path, "-") == 0;
	*fd_out = -1;
	/* O_NONBLOCK: a FIFO opens at once, writer or not, so that it can be refused. */
	int fd = -1;
	int err = dash ? 0 : open_path(path, &fd);
	if (dash && (fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)) < 0)
		err = errno;
	if (err)
		return err;
	err = check_kind(fd, flags, st_out);
	if (!err && !dash) {
		int const fl = fcntl(fd, F_GETFL);
		if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0)
			err = errno;
	}
	if (!err && !dash && S_ISFIFO(st_out->st_mode))
		err = wait_for_writer(fd);
	if (err) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	*fd_out = fd;
	return 0;
}

static ssize_t read_retry(int fd, void *buf, size_t n)
{
	ssize_t r;
	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r;
}

int fio_read_all(int fd, char *buf, size_t cap, size_t *len_out)
{
	size_t len = 0;
	*len_out = 0;
	if (cap == 0)
		return EINVAL;
	for (;;) {
		ssize_t const n = read_retry(fd, buf + len, cap - 1 - len);
		if (n < 0)
			return errno;
		if (n == 0 && len < cap - 1)
			break;
		len += (size_t)n;
		if (len == cap - 1) {
			/* Full: one byte more means too long. */
			char extra;
			ssize_t const more = read_retry(fd, &extra, 1);
			extra = 0;
			if (more < 0)
				return errno;
			if (more > 0)
				return FIO_ERR_TOO_BIG;
			break;
		}
	}
	buf[len] = '\0';
	*len_out = len;
	return 0;
}
