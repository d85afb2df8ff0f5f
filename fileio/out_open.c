/* Opening an output: what a resolved path (path.c) leads to, a file to replace under a
 * temporary name or something written directly (a descriptor, a socket, a device). */
/* O_TMPFILE and O_PATH are Linux extensions. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fileio_internal.h"

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
