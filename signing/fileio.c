/* Reading small files and writing files atomically. */
/* mkostemp() and O_TMPFILE are GNU extensions; only this file needs them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "signing_internal.h"

static void *buf_alloc(size_t size, bool secret)
{
	return secret ? sodium_malloc(size) : malloc(size);
}

static void buf_free(void *p, bool secret)
{
	if (secret)
		sodium_free(p);
	else
		free(p);
}

/* Read up to cap bytes; *len_out < cap means the file ended. */
static enum sig_error read_up_to(int fd, char *buf, size_t cap, size_t *len_out)
{
	size_t len = 0;
	while (len < cap) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return SIG_ERR_IO;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*len_out = len;
	return SIG_OK;
}

enum sig_error sig_fd_read(int fd, size_t max, bool secret, char **data_out, size_t *len_out)
{
	size_t len = 0;

	*data_out = NULL;
	*len_out = 0;
	if (secret && sodium_init() < 0)
		return SIG_ERR_NOMEM;
	/* One byte more than allowed tells "exactly max" from "longer". */
	char *buf = buf_alloc(max + 2, secret);
	enum sig_error err = buf ? read_up_to(fd, buf, max + 1, &len) : SIG_ERR_NOMEM;
	if (err == SIG_OK && len > max)
		err = SIG_ERR_TOO_LONG;
	if (err != SIG_OK) {
		buf_free(buf, secret);
		return err;
	}
	buf[len] = '\0';
	*data_out = buf;
	*len_out = len;
	return SIG_OK;
}

enum sig_error sig_file_read(const char *path, size_t max, bool secret, char **data_out,
			     size_t *len_out)
{
	*data_out = NULL;
	*len_out = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return SIG_ERR_IO;
	enum sig_error const err = sig_fd_read(fd, max, secret, data_out, len_out);
	close(fd);
	return err;
}

enum sig_error sig_dir_name(const char *path, char **dir_out)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 1;
	*dir_out = malloc(len + 1);
	if (!*dir_out)
		return SIG_ERR_NOMEM;
	if (!slash)
		memcpy(*dir_out, ".", 1);
	else if (len == 0)
		memcpy(*dir_out, "/", (len = 1));
	else
		memcpy(*dir_out, path, len);
	(*dir_out)[len] = '\0';
	return SIG_OK;
}

/* The target's directory, for O_TMPFILE. */
static int open_anonymous_beside(const char *target)
{
#ifdef O_TMPFILE
	char *dir;
	if (sig_dir_name(target, &dir) != SIG_OK)
		return -1;
	int const fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	free(dir);
	return fd;
#else
	(void)target;
	return -1;
#endif
}

/* "DIR/.NAME.XXXXXX" for target, in malloc'd memory. */
static char *temp_pattern(const char *target)
{
	const char *slash = strrchr(target, '/');
	size_t const dir_len = slash ? (size_t)(slash - target) + 1 : 0;
	size_t const size = strlen(target) + 16;
	char *path = malloc(size);
	if (path)
		snprintf(path, size, "%.*s.%s.XXXXXX", (int)dir_len, target, target + dir_len);
	return path;
}

enum sig_error sig_temp_create(const char *target, struct sig_temp *temp_out)
{
	*temp_out = (struct sig_temp){.fd = -1};
	temp_out->target = strdup(target);
	if (!temp_out->target)
		return SIG_ERR_NOMEM;
	temp_out->fd = open_anonymous_beside(target);
	if (temp_out->fd >= 0)
		return SIG_OK;

	/* No O_TMPFILE here: a hidden name beside the target (same file system, so rename()
	 * is atomic), removed on every failure path we control. */
	temp_out->path = temp_pattern(target);
	if (!temp_out->path) {
		sig_temp_abort(temp_out);
		return SIG_ERR_NOMEM;
	}
	temp_out->fd = mkostemp(temp_out->path, O_CLOEXEC);
	if (temp_out->fd < 0) {
		int saved = errno;
		free(temp_out->path);
		temp_out->path = NULL; /* nothing was created: nothing to unlink */
		sig_temp_abort(temp_out);
		errno = saved;
		return SIG_ERR_IO;
	}
	return SIG_OK;
}

/* Give an anonymous file the name `name`; fails with EEXIST when the name is taken. */
static int link_anonymous(int fd, const char *name)
{
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
}

/* Name an anonymous temporary file: directly the target when not overwriting (link fails
 * if it exists), else a fresh hidden name that rename() then moves over the target. */
static enum sig_error name_anonymous(struct sig_temp *temp, bool overwrite)
{
	if (!overwrite)
		return link_anonymous(temp->fd, temp->target) == 0 ? SIG_OK
		       : errno == EEXIST			     ? SIG_ERR_EXISTS
								     : SIG_ERR_IO;
	unsigned char rnd[6];
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char *path = temp_pattern(temp->target);
	if (!path)
		return SIG_ERR_NOMEM;
	for (int attempt = 0; attempt < 100; attempt++) {
		randombytes_buf(rnd, sizeof(rnd));
		for (size_t i = 0; i < sizeof(rnd); i++)
			path[strlen(path) - 6 + i] = digits[rnd[i] % 36];
		if (link_anonymous(temp->fd, path) == 0) {
			temp->path = path;
			return SIG_OK;
		}
		if (errno != EEXIST)
			break;
	}
	free(path);
	return SIG_ERR_IO;
}

void sig_temp_abort(struct sig_temp *temp)
{
	int saved = errno;
	if (temp->fd >= 0)
		close(temp->fd);
	if (temp->path)
		unlink(temp->path);
	free(temp->path);
	free(temp->target);
	*temp = (struct sig_temp){.fd = -1};
	errno = saved;
}

static void fsync_dir_of(const char *path)
{
	char *dir;
	if (sig_dir_name(path, &dir) != SIG_OK)
		return;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* Best effort: the rename is already atomic; this only makes it durable sooner. */
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

static enum sig_error temp_publish(const struct sig_temp *temp, bool overwrite)
{
	if (overwrite)
		return rename(temp->path, temp->target) == 0 ? SIG_OK : SIG_ERR_IO;
	/* link() fails when the target exists: O_EXCL semantics with an atomic result. */
	if (link(temp->path, temp->target) == 0)
		return SIG_OK;
	return errno == EEXIST ? SIG_ERR_EXISTS : SIG_ERR_IO;
}

enum sig_error sig_temp_commit(struct sig_temp *temp, mode_t mode, bool overwrite)
{
	enum sig_error err = SIG_OK;
	bool const anonymous = !temp->path;
	if (fchmod(temp->fd, mode) != 0 || fsync(temp->fd) != 0)
		err = SIG_ERR_IO;
	if (err == SIG_OK && anonymous)
		err = name_anonymous(temp, overwrite);
	int fd = temp->fd;
	temp->fd = -1;
	if (close(fd) != 0 && err == SIG_OK)
		err = SIG_ERR_IO;
	bool const published_by_link = anonymous && !overwrite;
	if (err == SIG_OK && !published_by_link)
		err = temp_publish(temp, overwrite);
	if (err == SIG_OK) {
		fsync_dir_of(temp->target);
		if (overwrite || published_by_link) {
			free(temp->path); /* renamed (or never named): nothing left to unlink */
			temp->path = NULL;
		}
	}
	sig_temp_abort(temp);
	return err;
}

enum sig_error sig_file_write_atomic(const char *path, const void *data, size_t len,
				     mode_t mode, bool overwrite)
{
	struct sig_temp temp;
	enum sig_error err = sig_temp_create(path, &temp);
	if (err != SIG_OK)
		return err;
	err = sig_write_all(temp.fd, data, len);
	if (err != SIG_OK) {
		sig_temp_abort(&temp);
		return err;
	}
	return sig_temp_commit(&temp, mode, overwrite);
}

enum sig_error sig_anonymous_file(const char *dir, int *fd_out)
{
#ifdef O_TMPFILE
	*fd_out = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (*fd_out >= 0)
		return SIG_OK;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return SIG_ERR_IO;
#endif
	size_t size = strlen(dir) + 32;
	char *path = malloc(size);
	if (!path)
		return SIG_ERR_NOMEM;
	snprintf(path, size, "%s/.heart-anon.XXXXXX", dir);
	*fd_out = mkostemp(path, O_CLOEXEC);
	if (*fd_out >= 0)
		unlink(path);
	free(path);
	return *fd_out >= 0 ? SIG_OK : SIG_ERR_IO;
}
