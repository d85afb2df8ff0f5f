/* Paths: resolved one component at a time, with fs.protected_symlinks' rule on every link. */
/* O_PATH and readlinkat() on an O_PATH descriptor ("") are Linux extensions. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "fileio_internal.h"

enum {
	MAX_LINKS = 40,         /* as the kernel's own limit */
	LINK_MAX_LEN = 1 << 16, /* longest link text followed */
};

bool fio_on_proc(int dirfd)
{
	struct statfs sf;
	return fstatfs(dirfd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
}

/* The text of the link fd (an O_PATH descriptor of the link itself), or NULL with errno. */
static char *read_link(int fd)
{
	for (size_t size = 256; size <= LINK_MAX_LEN; size *= 2) {
		char *buf = malloc(size);
		if (!buf)
			return NULL;
		ssize_t const n = readlinkat(fd, "", buf, size);
		if (n >= 0 && (size_t)n < size) {
			buf[n] = '\0';
			return buf;
		}
		free(buf);
		if (n < 0)
			return NULL;
	}
	errno = ENAMETOOLONG;
	return NULL;
}

/* The rule of fs.protected_symlinks: in a sticky world-writable directory, follow only the
 * links of the caller or of the directory's owner. */
static bool may_follow(int dirfd, const struct stat *link)
{
	struct stat d;
	if (fstat(dirfd, &d) != 0)
		return false;
	if (!(d.st_mode & S_ISVTX) || !(d.st_mode & S_IWOTH))
		return true;
	return link->st_uid == geteuid() || link->st_uid == d.st_uid;
}

/* The text of the link lfd (in directory *fd), when it may be followed (the caller's to free),
 * and *fd becomes the root when the text is absolute: where the link restarts. Else NULL, and
 * *err_out says why. */
static char *follow(int *fd, int lfd, const struct stat *st, int *hops, int *err_out)
{
	*err_out = 0;
	if (++*hops > MAX_LINKS) {
		*err_out = ELOOP;
		return NULL;
	}
	if (!may_follow(*fd, st)) {
		*err_out = EACCES; /* as the kernel says it */
		return NULL;
	}
	char *const text = read_link(lfd);
	if (!text) {
		*err_out = errno ? errno : ENOMEM;
		return NULL;
	}
	if (text[0] == '/') {
		int const root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0) {
			*err_out = errno;
			free(text);
			return NULL;
		}
		close(*fd);
		*fd = root;
	}
	return text;
}

/* text + "/" + rest: a link's text in place of the link, the rest of the path after it. */
static char *spliced_path(const char *text, const char *rest)
{
	size_t const size = strlen(text) + strlen(rest) + 2;
	char *out = malloc(size);
	if (out)
		snprintf(out, size, "%s/%s", text, rest);
	return out;
}

/* One step down from *fd into the directory comp, or through the link comp: *todo_out is
 * then the link's text followed by rest (the caller's to free), and *fd where it restarts. */
static int step(int *fd, const char *comp, const char *rest, int *hops, char **todo_out)
{
	struct stat st;
	*todo_out = NULL;
	/* /proc's links are not paths (/proc/self, /proc/self/fd/N): the kernel follows them. */
	bool const proc = fio_on_proc(*fd);
	int const next = openat(*fd, comp, O_PATH | O_CLOEXEC | (proc ? O_DIRECTORY : O_NOFOLLOW));
	if (next < 0)
		return errno;
	int err = fstat(next, &st) != 0 ? errno : 0;
	if (!err && S_ISLNK(st.st_mode)) {
		char *const text = follow(fd, next, &st, hops, &err);
		if (text) {
			*todo_out = spliced_path(text, rest);
			err = *todo_out ? 0 : ENOMEM;
			free(text);
		}
		close(next);
		return err;
	}
	if (!err && !S_ISDIR(st.st_mode))
		err = ENOTDIR;
	if (err) {
		close(next);
		return err;
	}
	close(*fd);
	*fd = next;
	return 0;
}

/* Walk the directory path dir from *fd (which follows every directory reached). */
static int walk(int *fd, const char *dir, int *hops)
{
	char *todo = strdup(dir);
	const char *p = todo;
	int err = todo ? 0 : ENOMEM;
	while (!err && *p) {
		size_t const len = strcspn(p, "/");
		char comp[NAME_MAX + 1];
		if (len == 0 || (len == 1 && p[0] == '.')) {
			p += len + (p[len] == '/');
			continue;
		}
		if (len > NAME_MAX) {
			err = ENAMETOOLONG;
			break;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		p += len + (p[len] == '/');
		char *spliced;
		if ((err = step(fd, comp, p, hops, &spliced)) || !spliced)
			continue;
		free(todo);
		p = todo = spliced;
	}
	free(todo);
	return err;
}

/* The last component of p->text, name, in *fd: a link (outside /proc) is followed, its text
 * into *text_out; anything else fills p. */
static int last(struct fio_path *p, int *fd, const char *name, int *hops, char **text_out)
{
	*text_out = NULL;
	bool const proc = fio_on_proc(*fd);
	int const lfd = openat(*fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (lfd < 0)
		return errno == ENOENT ? 0 : errno;
	int err = fstat(lfd, &p->st) != 0 ? errno : 0;
	if (!err && S_ISLNK(p->st.st_mode) && !proc) {
		*text_out = follow(fd, lfd, &p->st, hops, &err);
	} else if (!err) {
		p->exists = true;
		p->on_proc = proc;
	}
	close(lfd);
	return err;
}

int fio_path_resolve(const char *path, struct fio_path *p)
{
	*p = (struct fio_path){.dirfd = -1};
	char *cur = strdup(path);
	int hops = 0, err = !cur ? ENOMEM : !*path ? ENOENT : 0;
	int fd = err ? -1 : open(path[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!err && fd < 0)
		err = errno;
	while (!err) {
		char *const slash = strrchr(cur, '/');
		const char *const name = slash ? slash + 1 : cur;
		if (slash)
			*slash = '\0';
		if ((err = walk(&fd, slash ? cur : "", &hops)))
			break;
		if (!*name) { /* "dir/", or a link to it: a directory, never a file */
			err = EISDIR;
			break;
		}
		char *text;
		if ((err = last(p, &fd, name, &hops, &text)))
			break;
		if (!text) {
			p->dirfd = fd;
			p->name = strdup(name);
			err = p->name ? 0 : ENOMEM;
			fd = -1;
			break;
		}
		free(cur);
		cur = text;
	}
	if (fd >= 0)
		close(fd);
	free(cur);
	if (err)
		fio_path_finish(p);
	return err;
}

void fio_path_finish(struct fio_path *p)
{
	if (p->dirfd >= 0)
		close(p->dirfd);
	free(p->name);
	*p = (struct fio_path){.dirfd = -1};
}
