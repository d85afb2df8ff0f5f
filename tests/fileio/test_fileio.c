/*
 * Unit tests of the fileio module: every branch of fileio/fileio.h's contract, with failures
 * injected at each step through -Wl,--wrap of openat64 (O_TMPFILE), linkat, renameat, fsync
 * and write. Runs as root in CI (mknod, chown, protected links); as another user the
 * root-only checks assert what can be asserted instead.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fileio.h"

/* ---- Failure injection ------------------------------------------------------------------ */

/* Let `skip` calls through, then fail `times` calls (-1: all) with errno err. */
struct inject {
	int skip, times, err;
	int calls, hits;
};

static struct inject inj_tmpfile, inj_flink, inj_proclink, inj_link, inj_rename, inj_fsync,
	inj_write;
static int dir_fsyncs;       /* fsync() of a directory */
static bool raise_in_rename; /* SIGTERM from inside the first renameat() */

static bool injected(struct inject *in)
{
	in->calls++;
	if (!in->err || in->times == 0)
		return false;
	if (in->skip > 0) {
		in->skip--;
		return false;
	}
	if (in->times > 0)
		in->times--;
	in->hits++;
	errno = in->err;
	return true;
}

static void fail_with(struct inject *in, int err, int skip, int times)
{
	*in = (struct inject){.skip = skip, .times = times, .err = err};
}

/* From now on, no O_TMPFILE: the named fallback. */
static void without_tmpfile(void)
{
	fail_with(&inj_tmpfile, EOPNOTSUPP, 0, -1);
}

int __real_openat64(int dirfd, const char *path, int flags, ...);
int __wrap_openat64(int dirfd, const char *path, int flags, ...);
int __wrap_openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if ((flags & O_TMPFILE) == O_TMPFILE && injected(&inj_tmpfile))
		return -1;
	return __real_openat64(dirfd, path, flags, mode);
}

int __real_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags);
int __wrap_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags);
int __wrap_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
	struct inject *const in = flags & AT_EMPTY_PATH                ? &inj_flink
				  : strncmp(oldpath, "/proc/", 6) == 0 ? &inj_proclink
								       : &inj_link;
	if (injected(in))
		return -1;
	return __real_linkat(olddirfd, oldpath, newdirfd, newpath, flags);
}

int __real_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
int __wrap_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
int __wrap_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	if (raise_in_rename) {
		raise_in_rename = false;
		raise(SIGTERM);
	}
	if (injected(&inj_rename))
		return -1;
	return __real_renameat(olddirfd, oldpath, newdirfd, newpath);
}

int __real_fsync(int fd);
int __wrap_fsync(int fd);
int __wrap_fsync(int fd)
{
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		dir_fsyncs++;
	if (injected(&inj_fsync))
		return -1;
	return __real_fsync(fd);
}

ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	if (injected(&inj_write))
		return -1;
	return __real_write(fd, buf, n);
}

/* ---- A scratch directory per test ------------------------------------------------------- */

static char dir[64];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	inj_tmpfile = inj_flink = inj_proclink = inj_link = inj_rename = inj_fsync = inj_write =
		(struct inject){0};
	dir_fsyncs = 0;
	raise_in_rename = false;
	umask(022);
	snprintf(dir, sizeof(dir), "/tmp/heart-fileio-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* dir/name, in one of a few rotating buffers. */
static const char *at(const char *name)
{
	static char bufs[8][512];
	static int next;
	char *const b = bufs[next++ % 8];
	snprintf(b, sizeof(bufs[0]), "%s/%s", dir, name);
	return b;
}

static void put(const char *name, const char *text, mode_t mode)
{
	int const fd = open(at(name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static char *get(const char *path)
{
	static char buf[4096];
	int const fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	ssize_t const n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

/* Entries of dir/sub ("" for dir itself), hidden ones included. */
static int entries_in(const char *sub)
{
	DIR *const d = opendir(*sub ? at(sub) : dir);
	int n = 0;
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static int entries(void)
{
	return entries_in("");
}

static int hidden(void)
{
	DIR *const d = opendir(dir);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 &&
		     strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

static ino_t ino_of(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

static const struct fio_out_opts plain = {0};

/* One output of a new batch, written with text (through the stream). */
static struct fio_batch *one(const char *path, const struct fio_out_opts *opts, const char *text,
			     struct fio_out **out_out)
{
	struct fio_batch *b;
	struct fio_out *o;
	assert_true(fio_batch_create(&b));
	assert_true(fio_batch_output(b, path, opts, &o));
	FILE *const f = fio_out_stream(o);
	assert_non_null(f);
	fputs(text, f);
	if (out_out)
		*out_out = o;
	return b;
}

/* Commit b, expect success (or failure with code) and destroy it. */
static void commit_ok(struct fio_batch *b)
{
	assert_true(fio_batch_commit(b));
	fio_batch_destroy(b);
}

static void commit_fails(struct fio_batch *b, int code)
{
	assert_false(fio_batch_commit(b));
	assert_int_equal(fio_batch_error(b)->code, code);
	fio_batch_destroy(b);
}

/* Open path as the only output of a new batch and expect code. */
static void refused(const char *path, const struct fio_out_opts *opts, int code)
{
	struct fio_batch *b;
	struct fio_out *o;
	assert_true(fio_batch_create(&b));
	assert_false(fio_batch_output(b, path, opts, &o));
	assert_int_equal(fio_batch_error(b)->code, code);
	assert_string_equal(fio_batch_error(b)->path, path);
	assert_false(fio_batch_error(b)->is_input);
	fio_batch_destroy(b);
}

/* ---- Outputs: what a path names --------------------------------------------------------- */

static void test_new_file_appears_only_at_commit(void **state)
{
	struct fio_out *o;
	struct fio_batch *b = one(at("new"), &plain, "data", &o);
	assert_true(fio_out_is_replaced(o));
	assert_false(fio_out_is_terminal(o));
	assert_int_equal(fflush(fio_out_stream(o)), 0);
	assert_int_equal(entries(), 0); /* O_TMPFILE: not even a hidden name */
	assert_true(fio_batch_commit(b));
	assert_string_equal(get(at("new")), "data");
	assert_int_equal(mode_of(at("new")), 0644); /* 0666 less the umask */
	assert_false(fio_batch_commit(b));          /* once only */
	fio_batch_destroy(b);
	assert_int_equal(entries(), 1);
}

static void test_replaced_file_keeps_its_mode(void **state)
{
	put("f", "old", 0640);
	ino_t const before = ino_of(at("f"));
	struct fio_batch *b = one(at("f"), &plain, "new", NULL);
	assert_string_equal(get(at("f")), "old"); /* untouched until the commit */
	commit_ok(b);
	assert_string_equal(get(at("f")), "new");
	assert_int_equal(mode_of(at("f")), 0640);
	assert_int_not_equal(ino_of(at("f")), before);
	assert_int_equal(entries(), 1);
}

static void test_set_mode_ignores_umask(void **state)
{
	struct fio_out_opts const exact = {.mode = 0755};
	put("f", "old", 0600);
	umask(077);
	struct fio_batch *b = one(at("f"), &exact, "x", NULL);
	commit_ok(b);
	b = one(at("g"), &exact, "x", NULL);
	commit_ok(b);
	assert_int_equal(mode_of(at("f")), 0755);
	assert_int_equal(mode_of(at("g")), 0755);
}

static void test_owner_is_kept(void **state)
{
	put("f", "old", 0644);
	uid_t const uid = geteuid() == 0 ? 1234 : geteuid();
	gid_t const gid = geteuid() == 0 ? 4321 : getegid();
	assert_int_equal(chown(at("f"), uid, gid), 0);
	struct fio_batch *b = one(at("f"), &plain, "new", NULL);
	commit_ok(b);
	struct stat st;
	assert_int_equal(stat(at("f"), &st), 0);
	assert_int_equal(st.st_uid, uid);
	assert_int_equal(st.st_gid, gid);
}

static void test_no_replace(void **state)
{
	struct fio_out_opts const once = {.no_replace = true};
	put("f", "old", 0644);
	refused(at("f"), &once, EEXIST);
	/* Absent at open, there at the commit: still refused, and the newcomer is kept. */
	struct fio_batch *b = one(at("g"), &once, "mine", NULL);
	put("g", "theirs", 0644);
	commit_fails(b, EEXIST);
	assert_string_equal(get(at("g")), "theirs");
	b = one(at("h"), &once, "new", NULL);
	commit_ok(b);
	assert_string_equal(get(at("h")), "new");
	assert_int_equal(entries(), 3);
}

static void test_refused_targets(void **state)
{
	put("file", "x", 0644);
	assert_int_equal(mkdir(at("sub"), 0755), 0);
	assert_int_equal(symlink("loop", at("loop")), 0);
	refused(at("sub"), &plain, EISDIR);
	refused(at("sub/"), &plain, EISDIR);
	refused(at("missing/x"), &plain, ENOENT);
	refused(at("missing/"), &plain, ENOENT);
	refused(at("file/x"), &plain, ENOTDIR);
	refused(at("loop"), &plain, ELOOP);
	refused("", &plain, ENOENT);
	assert_int_equal(symlink("sub/", at("tosub")), 0);
	refused(at("tosub"), &plain, EISDIR);
	assert_int_equal(entries(), 4);
	assert_int_equal(entries_in("sub"), 0);
}

static void test_links_are_followed(void **state)
{
	static const char *const links[][2] = {
		{"rel", "sub/t1"}, {"chain", "rel2"}, {"rel2", "sub/t2"}, {"dangling", "sub/t3"}};
	char abs[512];
	assert_int_equal(mkdir(at("sub"), 0755), 0);
	put("sub/t1", "old", 0600);
	put("sub/t2", "old", 0640);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(symlink(links[i][1], at(links[i][0])), 0);
	snprintf(abs, sizeof(abs), "%s", at("sub/t4"));
	assert_int_equal(symlink(abs, at("abs")), 0);
	static const char *const names[] = {"rel", "chain", "dangling", "abs"};
	for (size_t i = 0; i < 4; i++) {
		struct fio_batch *b = one(at(names[i]), &plain, names[i], NULL);
		commit_ok(b);
	}
	assert_string_equal(get(at("sub/t1")), "rel");
	assert_string_equal(get(at("sub/t2")), "chain");
	assert_string_equal(get(at("sub/t3")), "dangling");
	assert_string_equal(get(at("sub/t4")), "abs");
	assert_int_equal(mode_of(at("sub/t1")), 0600);
	assert_int_equal(mode_of(at("sub/t2")), 0640);
	char text[512];
	ssize_t const n = readlink(at("rel"), text, sizeof(text) - 1);
	assert_int_equal(n, 6); /* "sub/t1": the link itself is unchanged */
	struct stat st;
	assert_int_equal(lstat(at("chain"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(entries_in("sub"), 4); /* nothing hidden left beside the targets */
}

static void test_protected_links(void **state)
{
	/* A link planted by somebody else in a sticky world-writable directory is not
	 * followed (fs.protected_symlinks); one's own link is. */
	assert_int_equal(mkdir(at("tmp"), 01777), 0);
	assert_int_equal(chmod(at("tmp"), 01777), 0);
	assert_int_equal(symlink("target", at("tmp/mine")), 0);
	struct fio_batch *b = one(at("tmp/mine"), &plain, "ok", NULL);
	commit_ok(b);
	assert_string_equal(get(at("tmp/target")), "ok");
	if (geteuid() == 0) {
		assert_int_equal(symlink("victim", at("tmp/planted")), 0);
		assert_int_equal(lchown(at("tmp/planted"), 4242, 4242), 0);
		refused(at("tmp/planted"), &plain, EACCES);
		assert_int_equal(access(at("tmp/victim"), F_OK), -1);
	}
}

static void test_protected_links_in_the_directory_part(void **state)
{
	/* The rule holds for every link met, not only the last one (issue 19): a planted link
	 * to a directory, a link whose text meets one, a chain through one; inputs too. */
	assert_int_equal(mkdir(at("tmp"), 01777), 0);
	assert_int_equal(chmod(at("tmp"), 01777), 0);
	assert_int_equal(mkdir(at("www"), 0755), 0);
	put("www/index.html", "victim", 0644);
	assert_int_equal(symlink("../www", at("tmp/mine")), 0);
	commit_ok(one(at("tmp/mine/own.html"), &plain, "ok", NULL));
	assert_string_equal(get(at("www/own.html")), "ok");
	assert_int_equal(symlink("loop", at("loop")), 0);
	refused(at("loop/x"), &plain, ELOOP);
	if (geteuid() != 0)
		return; /* lchown() to another user needs root */
	assert_int_equal(symlink("../www", at("tmp/site")), 0);
	assert_int_equal(lchown(at("tmp/site"), 4242, 4242), 0);
	assert_int_equal(symlink("tmp/site", at("via")), 0);
	assert_int_equal(symlink("site/index.html", at("tmp/deep")), 0);
	static const char *const paths[] = {"tmp/site/index.html", "via/index.html", "tmp/deep",
					    "tmp/site/../www/index.html", "via/"};
	struct fio_batch *b;
	int fd;
	assert_true(fio_batch_create(&b));
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		refused(at(paths[i]), &plain, EACCES);
		assert_false(fio_batch_input(b, at(paths[i]), FIO_IN_REGULAR, &fd));
		assert_int_equal(fio_batch_error(b)->code, EACCES);
	}
	assert_string_equal(get(at("www/index.html")), "victim");
	/* The last component's rule holds for inputs too. */
	assert_int_equal(symlink("../www/index.html", at("tmp/planted")), 0);
	assert_int_equal(lchown(at("tmp/planted"), 4242, 4242), 0);
	assert_false(fio_batch_input(b, at("tmp/planted"), FIO_IN_REGULAR, &fd));
	assert_int_equal(fio_batch_error(b)->code, EACCES);
	assert_true(fio_batch_input(b, at("tmp/mine/index.html"), FIO_IN_REGULAR, &fd));
	close(fd);
	fio_batch_destroy(b);
}

static void test_secret_only_into_own_files(void **state)
{
	static const struct fio_out_opts secret = {.mode = 0600, .secret = true, .dash = true};
	static const struct fio_out_opts secret_no_mode = {.secret = true};
	/* A new file, or a file of one's own whatever its mode: a new file, 0600, the caller's. */
	commit_ok(one(at("new"), &secret_no_mode, "s", NULL));
	assert_int_equal(mode_of(at("new")), 0600);
	put("mine", "old", 0644);
	commit_ok(one(at("mine"), &secret, "s", NULL));
	assert_int_equal(mode_of(at("mine")), 0600);
	/* Not a regular file of one's own: refused before anything is opened or written. */
	assert_int_equal(mkfifo(at("fifo"), 0622), 0);
	int const rd = open(at("fifo"), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	assert_true(rd >= 0);
	refused(at("fifo"), &secret, FIO_ERR_SECRET);
	char c;
	assert_true(read(rd, &c, 1) <= 0);
	close(rd);
	int const sock = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", at("sock"));
	assert_int_equal(bind(sock, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(sock, 1), 0);
	refused(at("sock"), &secret, FIO_ERR_SECRET);
	assert_int_equal(accept(sock, NULL, NULL), -1); /* nobody connected */
	close(sock);
	refused("-", &secret, FIO_ERR_SECRET);
	refused("/proc/self/fd/2", &secret, FIO_ERR_SECRET);
	refused("/dev/null", &secret, FIO_ERR_SECRET);
	if (geteuid() != 0)
		return; /* chown() to another user needs root */
	put("theirs", "theirs", 0600);
	assert_int_equal(chown(at("theirs"), 4242, 4242), 0);
	assert_int_equal(symlink("theirs", at("link")), 0);
	refused(at("theirs"), &secret, FIO_ERR_SECRET);
	refused(at("link"), &secret, FIO_ERR_SECRET);
	struct stat st;
	assert_int_equal(stat(at("theirs"), &st), 0);
	assert_int_equal(st.st_uid, 4242);
	assert_string_equal(get(at("theirs")), "theirs");
	/* root's own file that somebody else's group could read: the new one is root's alone */
	put("shared", "old", 0640);
	assert_int_equal(chown(at("shared"), 0, 4242), 0);
	commit_ok(one(at("shared"), &secret_no_mode, "s", NULL));
	assert_int_equal(stat(at("shared"), &st), 0);
	assert_true(st.st_gid != 4242);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_leftovers_of_a_killed_heart_are_swept(void **state)
{
	/* What SIGKILL leaves (hidden names of ours) goes with the next output into the
	 * directory; other programs' hidden files stay, and so do a live batch's names. */
	put(".f.heart~abc123", "killed", 0600);
	put(".f.abc123", "rsync's", 0600);
	without_tmpfile(); /* named temporaries, to see the live batch's */
	struct fio_batch *live = one(at("a"), &plain, "live", NULL);
	assert_int_equal(access(at(".f.heart~abc123"), F_OK), -1);
	assert_int_equal(access(at(".f.abc123"), F_OK), 0);
	assert_int_equal(hidden(), 2); /* rsync's and the live temporary */
	put(".g.heart~000000", "killed", 0600);
	struct fio_batch *b = one(at("b"), &plain, "b", NULL);
	assert_int_equal(hidden(), 4); /* a batch is live here: nothing swept */
	commit_ok(b);
	commit_ok(live);
	assert_int_equal(hidden(), 2);
	commit_ok(one(at("c"), &plain, "c", NULL));
	assert_int_equal(hidden(), 1);
	assert_int_equal(access(at(".g.heart~000000"), F_OK), -1);
}

/* /dev/NAME (character device 1, minor): a node of our own in dir when root, so that a
 * regression cannot replace the system's; the system's otherwise (which it could not). */
static const char *device(const char *name, unsigned minor)
{
	static char path[512];
	if (geteuid() != 0) {
		snprintf(path, sizeof(path), "/dev/%s", name);
		return path;
	}
	snprintf(path, sizeof(path), "%s", at(name));
	assert_int_equal(mknod(path, S_IFCHR | 0666, makedev(1, minor)), 0);
	return path;
}

static void test_device_is_written_not_replaced(void **state)
{
	const char *const null = device("null", 3);
	struct fio_out *o;
	struct fio_batch *b = one(null, &plain, "into the void", &o);
	assert_false(fio_out_is_replaced(o));
	commit_ok(b);
	struct stat st;
	assert_int_equal(lstat(null, &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(st.st_rdev, makedev(1, 3));
}

static void test_full_device_reports_enospc(void **state)
{
	const char *const full = device("full", 7);
	struct fio_out *o;
	struct fio_batch *b = one(full, &plain, "x", &o);
	assert_false(fio_batch_commit(b));
	assert_int_equal(fio_batch_error(b)->code, ENOSPC);
	assert_int_equal(fio_out_error(o), ENOSPC);
	fio_batch_destroy(b);
}

/* A child that reads path to its end and exits 0 if it read want. */
static pid_t reader(const char *path, const char *want, int sock)
{
	pid_t const pid = fork();
	assert_true(pid >= 0);
	if (pid > 0)
		return pid;
	int fd = sock >= 0 ? accept(sock, NULL, NULL) : open(path, O_RDONLY);
	char buf[256];
	size_t len = 0;
	for (ssize_t n; fd >= 0 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0;)
		len += (size_t)n;
	buf[len] = '\0';
	_exit(strcmp(buf, want) == 0 ? 0 : 1);
}

static void expect_exit0(pid_t pid)
{
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_fifo_and_socket_are_written_directly(void **state)
{
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	pid_t pid = reader(at("fifo"), "through the fifo", -1);
	struct fio_out *o;
	struct fio_batch *b = one(at("fifo"), &plain, "through the fifo", &o);
	assert_false(fio_out_is_replaced(o));
	commit_ok(b);
	expect_exit0(pid);

	int const sock = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", at("sock"));
	assert_int_equal(bind(sock, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(sock, 1), 0);
	pid = reader(NULL, "through the socket", sock);
	b = one(at("sock"), &plain, "through the socket", NULL);
	commit_ok(b);
	expect_exit0(pid);
	close(sock);
	assert_int_equal(entries(), 2);
}

static void test_own_descriptors(void **state)
{
	/* /proc/self/fd/N and /dev/fd/N write to descriptor N: an O_APPEND file grows. */
	put("log", "head\n", 0644);
	int const fd = open(at("log"), O_WRONLY | O_APPEND | O_CLOEXEC);
	char path[64];
	ino_t const ino = ino_of(at("log"));
	static const char *const forms[] = {"/proc/self/fd", "/dev/fd"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%d", forms[i], fd);
		struct fio_out *o;
		struct fio_batch *b = one(path, &plain, "line\n", &o);
		assert_false(fio_out_is_replaced(o));
		commit_ok(b);
	}
	assert_string_equal(get(at("log")), "head\nline\nline\n");
	assert_int_equal(ino_of(at("log")), ino);
	/* A descriptor open for reading only cannot be written. */
	int const ro = open(at("log"), O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", ro);
	refused(path, &plain, EBADF);
	close(ro);
	close(fd);
	assert_int_equal(entries(), 1);
}

static void test_dash(void **state)
{
	struct fio_out_opts const dash = {.dash = true};
	struct fio_batch *b;
	struct fio_out *o;
	struct stat out, mine;
	assert_true(fio_batch_create(&b));
	assert_true(fio_batch_output(b, "-", &dash, &o));
	assert_false(fio_out_is_replaced(o));
	assert_int_equal(fstat(fio_out_fd(o), &mine), 0);
	assert_int_equal(fstat(STDOUT_FILENO, &out), 0);
	assert_int_equal(mine.st_ino, out.st_ino);
	fio_batch_destroy(b); /* nothing written: stdout untouched */
	/* Without .dash, "-" is a file like any other. */
	assert_int_equal(chdir(dir), 0);
	b = one("-", &plain, "dash", NULL);
	commit_ok(b);
	assert_string_equal(get(at("-")), "dash");
	assert_int_equal(chdir("/"), 0);
}

/* ---- Same file -------------------------------------------------------------------------- */

static void test_output_is_an_input(void **state)
{
	struct fio_batch *b;
	struct fio_out *o;
	int fd;
	put("f", "input", 0644);
	assert_int_equal(link(at("f"), at("hard")), 0);
	assert_int_equal(symlink("f", at("sym")), 0);
	char up[128];
	snprintf(up, sizeof(up), "../%s/f", strrchr(dir, '/') + 1);
	const char *const spellings[] = {"./f", "hard", "sym", up};
	for (size_t i = 0; i < 4; i++) {
		char out[512];
		snprintf(out, sizeof(out), "%s/%s", dir, spellings[i]);
		assert_true(fio_batch_create(&b));
		assert_true(fio_batch_input(b, at("f"), FIO_IN_REGULAR, &fd));
		close(fd);
		assert_false(fio_batch_output(b, out, &plain, &o));
		const struct fio_error *const e = fio_batch_error(b);
		assert_int_equal(e->code, FIO_ERR_SAME_FILE);
		assert_string_equal(e->path, out);
		assert_string_equal(e->other, at("f"));
		assert_true(e->other_is_input);
		assert_false(e->is_input);
		fio_batch_destroy(b);
	}
	/* The other way round: the input opened after the output. */
	assert_true(fio_batch_create(&b));
	assert_true(fio_batch_output(b, at("hard"), &plain, &o));
	assert_false(fio_batch_input(b, at("f"), FIO_IN_REGULAR, &fd));
	assert_int_equal(fio_batch_error(b)->code, FIO_ERR_SAME_FILE);
	assert_true(fio_batch_error(b)->is_input);
	assert_false(fio_batch_error(b)->other_is_input);
	fio_batch_destroy(b);
	assert_string_equal(get(at("f")), "input");
	assert_int_equal(entries(), 3);
}

static void test_two_outputs_one_file(void **state)
{
	struct fio_batch *b;
	struct fio_out *o;
	put("k", "key", 0600);
	assert_int_equal(link(at("k"), at("hard")), 0);
	static const char *const pairs[][2] = {{"k", "./k"}, {"k", "hard"}, {"new", "./new"}};
	for (size_t i = 0; i < 3; i++) {
		assert_true(fio_batch_create(&b));
		assert_true(fio_batch_output(b, at(pairs[i][0]), &plain, &o));
		assert_false(fio_batch_output(b, at(pairs[i][1]), &plain, &o));
		assert_int_equal(fio_batch_error(b)->code, FIO_ERR_SAME_FILE);
		assert_false(fio_batch_error(b)->other_is_input);
		fio_batch_destroy(b);
	}
	assert_int_equal(entries(), 2);
	assert_string_equal(get(at("k")), "key");
}

/* ---- Batches ---------------------------------------------------------------------------- */

/* a, b, c hold "old-a"...; a batch writes "new-a"... to them (b absent when `gap`). */
static struct fio_batch *three(bool gap)
{
	static const char *const names[] = {"a", "b", "c"};
	struct fio_batch *b;
	assert_true(fio_batch_create(&b));
	for (size_t i = 0; i < 3; i++) {
		char old[8], new[8];
		snprintf(old, sizeof(old), "old-%s", names[i]);
		snprintf(new, sizeof(new), "new-%s", names[i]);
		if (!(gap && i == 1))
			put(names[i], old, 0644);
		struct fio_out *o;
		assert_true(fio_batch_output(b, at(names[i]), &plain, &o));
		assert_true(fio_out_write(b, o, new, strlen(new)));
	}
	return b;
}

static void test_batch_commits_all(void **state)
{
	struct fio_batch *b = three(false);
	commit_ok(b);
	assert_string_equal(get(at("a")), "new-a");
	assert_string_equal(get(at("b")), "new-b");
	assert_string_equal(get(at("c")), "new-c");
	assert_int_equal(entries(), 3);
}

static void test_failed_rename_is_undone(void **state)
{
	for (int gap = 0; gap < 2; gap++) {
		/* The third rename fails: the first two are put back (b did not exist: removed). */
		struct fio_batch *b = three(gap);
		fail_with(&inj_rename, EIO, 2, 1);
		assert_false(fio_batch_commit(b));
		assert_int_equal(inj_rename.hits, 1);
		assert_int_equal(fio_batch_error(b)->code, EIO);
		assert_string_equal(fio_batch_error(b)->path, at("c"));
		fio_batch_destroy(b);
		assert_string_equal(get(at("a")), "old-a");
		if (gap)
			assert_int_equal(access(at("b"), F_OK), -1);
		else
			assert_string_equal(get(at("b")), "old-b");
		assert_string_equal(get(at("c")), "old-c");
		assert_int_equal(hidden(), 0);
		assert_int_equal(entries(), gap ? 2 : 3);
		unlink(at("a"));
		unlink(at("c"));
		unlink(at("b"));
	}
}

static void test_no_hard_links_no_undo(void **state)
{
	/* Without hard links there is no backup: the commit goes on, and a later failure
	 * leaves a replaced file new rather than lose it. */
	struct fio_batch *b = three(false);
	fail_with(&inj_link, EPERM, 0, -1);
	fail_with(&inj_rename, EIO, 1, 1);
	assert_false(fio_batch_commit(b));
	assert_true(inj_link.hits >= 1);
	fio_batch_destroy(b);
	assert_string_equal(get(at("a")), "new-a");
	assert_string_equal(get(at("b")), "old-b");
	assert_string_equal(get(at("c")), "old-c");
	assert_int_equal(hidden(), 0);
}

static void test_failed_backup_stops_before_renames(void **state)
{
	struct fio_batch *b = three(false);
	fail_with(&inj_link, EIO, 1, 1); /* the second backup */
	assert_false(fio_batch_commit(b));
	assert_int_equal(fio_batch_error(b)->code, EIO);
	assert_string_equal(fio_batch_error(b)->path, at("b"));
	fio_batch_destroy(b);
	assert_string_equal(get(at("a")), "old-a");
	assert_int_equal(entries(), 3);
}

/* Run a case with O_TMPFILE, then again with the named fallback. */
static void both_ways(void (*one_case)(bool named))
{
	one_case(false);
	without_tmpfile();
	one_case(true);
}

static void fsync_failure(bool named)
{
	(void)named;
	put("f", "old", 0644);
	struct fio_batch *b = one(at("f"), &plain, "new", NULL);
	fail_with(&inj_fsync, EIO, 0, 1);
	commit_fails(b, EIO);
	assert_string_equal(get(at("f")), "old");
	assert_int_equal(entries(), 1);
}

static void test_fsync_failure(void **state)
{
	both_ways(fsync_failure);
}

static void test_write_failure(void **state)
{
	put("f", "old", 0644);
	struct fio_out *o;
	struct fio_batch *b = one(at("f"), &plain, "new", &o);
	fail_with(&inj_write, ENOSPC, 0, -1);
	assert_false(fio_out_seal(b, o));
	assert_int_equal(fio_batch_error(b)->code, ENOSPC);
	assert_int_equal(fio_out_error(o), ENOSPC);
	assert_false(fio_batch_commit(b));
	fio_batch_destroy(b);
	inj_write = (struct inject){0};
	/* fio_out_write() reports it at once. */
	assert_true(fio_batch_create(&b));
	assert_true(fio_batch_output(b, at("f"), &plain, &o));
	fail_with(&inj_write, EDQUOT, 0, 1);
	assert_false(fio_out_write(b, o, "x", 1));
	assert_int_equal(fio_batch_error(b)->code, EDQUOT);
	fio_batch_destroy(b);
	assert_string_equal(get(at("f")), "old");
	assert_int_equal(entries(), 1);
}

static void test_target_changed_before_commit(void **state)
{
	struct fio_batch *b = one(at("f"), &plain, "new", NULL);
	assert_int_equal(mkdir(at("f"), 0755), 0);
	commit_fails(b, EISDIR);
	assert_int_equal(entries(), 1);
	assert_int_equal(entries_in("f"), 0);
}

static void test_seal_then_commit(void **state)
{
	struct fio_out *o;
	struct fio_batch *b = one(at("f"), &plain, "sealed", &o);
	assert_true(fio_out_seal(b, o));
	assert_null(fio_out_stream(o)); /* the stream is gone with its buffer */
	assert_int_equal(errno, EBADF);
	assert_true(fio_out_seal(b, o)); /* twice is harmless */
	commit_ok(b);
	assert_string_equal(get(at("f")), "sealed");
}

static void test_durable_syncs_the_directory(void **state)
{
	struct fio_out_opts const durable = {.durable = true};
	struct fio_batch *b = one(at("f"), &plain, "x", NULL);
	commit_ok(b);
	assert_int_equal(dir_fsyncs, 0);
	/* Two durable outputs in one directory: synced once. */
	assert_true(fio_batch_create(&b));
	struct fio_out *o;
	assert_true(fio_batch_output(b, at("g"), &durable, &o));
	assert_true(fio_batch_output(b, at("h"), &durable, &o));
	commit_ok(b);
	assert_int_equal(dir_fsyncs, 1);
}

static int open_fds(void)
{
	int n = 0;
	for (int fd = 0; fd < 4096; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

static void test_outputs_share_a_directory_descriptor(void **state)
{
	struct fio_batch *b;
	struct fio_out *o;
	int const before = open_fds();
	assert_true(fio_batch_create(&b));
	for (int i = 0; i < 100; i++) {
		char name[16];
		snprintf(name, sizeof(name), "f%d", i);
		assert_true(fio_batch_output(b, at(name), &plain, &o));
	}
	assert_int_equal(open_fds() - before, 102); /* and the directory's lock */
	commit_ok(b);
	assert_int_equal(open_fds(), before);
	assert_int_equal(entries(), 100);
}

/* ---- Fallbacks -------------------------------------------------------------------------- */

static void test_named_fallback(void **state)
{
	/* No O_TMPFILE: a hidden name while writing, gone after commit or abort. */
	without_tmpfile();
	put("f", "old", 0640);
	struct fio_batch *b = one(at("f"), &plain, "new", NULL);
	assert_int_equal(hidden(), 1);
	commit_ok(b);
	assert_string_equal(get(at("f")), "new");
	assert_int_equal(mode_of(at("f")), 0640);
	assert_int_equal(entries(), 1);
	b = one(at("g"), &plain, "abandoned", NULL);
	assert_int_equal(hidden(), 1);
	fio_batch_destroy(b);
	assert_int_equal(entries(), 1);
	assert_true(inj_tmpfile.hits >= 2);
}

static void test_link_through_proc(void **state)
{
	/* linkat(AT_EMPTY_PATH) refused (before Linux 6.10, no capability): /proc/self/fd. */
	fail_with(&inj_flink, ENOENT, 0, -1);
	struct fio_batch *b = one(at("f"), &plain, "via proc", NULL);
	commit_ok(b);
	assert_int_equal(inj_flink.hits, 1);
	assert_int_equal(inj_proclink.calls, 1);
	assert_string_equal(get(at("f")), "via proc");
	assert_int_equal(entries(), 1);
}

static void test_copy_when_nothing_links(void **state)
{
	/* Neither way to link an anonymous file (no /proc either): copied into a named file,
	 * with the mode and owner it would have had. */
	fail_with(&inj_flink, ENOENT, 0, -1);
	fail_with(&inj_proclink, ENOENT, 0, -1);
	struct fio_out_opts const exact = {.mode = 0604};
	put("f", "old", 0640);
	struct fio_batch *b;
	struct fio_out *o;
	assert_true(fio_batch_create(&b));
	assert_true(fio_batch_output(b, at("f"), &plain, &o));
	char big[100000];
	memset(big, 'h', sizeof(big));
	assert_true(fio_out_write(b, o, big, sizeof(big)));
	assert_true(fio_batch_output(b, at("g"), &exact, &o));
	assert_true(fio_out_write(b, o, "g", 1));
	commit_ok(b);
	assert_int_equal(inj_flink.hits, 2);
	assert_int_equal(inj_proclink.hits, 2);
	struct stat st;
	assert_int_equal(stat(at("f"), &st), 0);
	assert_int_equal(st.st_size, sizeof(big));
	assert_int_equal(mode_of(at("f")), 0640);
	assert_int_equal(mode_of(at("g")), 0604);
	assert_int_equal(entries(), 2);
}

static void test_copy_failure_leaves_nothing(void **state)
{
	fail_with(&inj_flink, ENOENT, 0, -1);
	fail_with(&inj_proclink, ENOENT, 0, -1);
	put("f", "old", 0644);
	struct fio_batch *b = one(at("f"), &plain, "new", NULL);
	fail_with(&inj_fsync, EIO, 1, 1); /* the copy's fsync, after the original's */
	commit_fails(b, EIO);
	assert_string_equal(get(at("f")), "old");
	assert_int_equal(entries(), 1);
}

static void scratch(bool named)
{
	struct fio_out *o;
	struct fio_batch *b = one(at("out"), &plain, "", &o);
	int fd;
	assert_true(fio_out_scratch(b, o, &fd));
	assert_int_equal(write(fd, "copy", 4), 4);
	char buf[5] = {0};
	assert_int_equal(pread(fd, buf, 4, 0), 4);
	assert_string_equal(buf, "copy");
	/* Anonymous either way: the named fallback unlinks at once (the one entry left is the
	 * output's own hidden temporary). */
	assert_int_equal(entries(), named ? 1 : 0);
	close(fd);
	fio_batch_destroy(b);
	assert_int_equal(entries(), 0);
}

static void test_scratch(void **state)
{
	both_ways(scratch);
}

/* ---- Signals ---------------------------------------------------------------------------- */

/* What a program using fileio installs (heart: cli/signals.c): remove the hidden names, then
 * die by the signal. */
static void cleanup_and_die(int sig)
{
	fio_signal_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* In a child: open an output (named when `named`), write, then die by sig, the handler above
 * installed unless sig is ignored. Returns the child's wait status. */
static int die_mid_write(int sig, bool named, bool ignore)
{
	pid_t const pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (named)
			without_tmpfile();
		signal(sig, ignore ? SIG_IGN : cleanup_and_die);
		struct fio_batch *b;
		struct fio_out *o;
		if (!fio_batch_create(&b) || !fio_batch_output(b, at("out"), &plain, &o) ||
		    !fio_out_write(b, o, "partial", 7))
			_exit(3);
		raise(sig);
		fio_batch_destroy(b); /* only when the signal is ignored */
		_exit(hidden() == 0 ? 0 : 4);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void test_signals_leave_nothing(void **state)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	for (size_t i = 0; i < 3; i++) {
		for (int named = 0; named < 2; named++) {
			int const status = die_mid_write(sigs[i], named, false);
			assert_true(WIFSIGNALED(status));
			assert_int_equal(WTERMSIG(status), sigs[i]);
			assert_int_equal(entries(), 0);
		}
	}
}

static void test_ignored_signal_stays_ignored(void **state)
{
	int const status = die_mid_write(SIGHUP, true, true);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(entries(), 0);
}

static void test_sigkill(void **state)
{
	/* With O_TMPFILE nothing at all remains; the named fallback leaves its hidden file
	 * (nothing catches SIGKILL), never the target's name. */
	int status = die_mid_write(SIGKILL, false, false);
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_int_equal(entries(), 0);
	status = die_mid_write(SIGKILL, true, false);
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_int_equal(entries(), 1);
	assert_int_equal(hidden(), 1);
}

static void test_no_handlers_of_its_own(void **state)
{
	/* The program installs the handlers (fio_signal_cleanup()), never the library. */
	struct sigaction sa;
	signal(SIGTERM, SIG_DFL);
	without_tmpfile();
	struct fio_batch *b = one(at("f"), &plain, "x", NULL);
	assert_int_equal(sigaction(SIGTERM, NULL, &sa), 0);
	assert_true(sa.sa_handler == SIG_DFL);
	fio_batch_destroy(b);
}

static void test_signal_during_commit_waits_for_it(void **state)
{
	/* SIGTERM raised inside the first rename: the commit completes, then the process dies;
	 * never half a batch. */
	pid_t const pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		struct fio_batch *b = three(false);
		raise_in_rename = true;
		fio_batch_commit(b);
		_exit(5); /* not reached: SIGTERM is delivered when the commit unblocks it */
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	assert_string_equal(get(at("a")), "new-a");
	assert_string_equal(get(at("b")), "new-b");
	assert_string_equal(get(at("c")), "new-c");
	assert_int_equal(entries(), 3);
}

/* ---- Inputs ----------------------------------------------------------------------------- */

static void expect_input(const char *path, unsigned flags, int code)
{
	struct fio_batch *b;
	int fd;
	assert_true(fio_batch_create(&b));
	assert_false(fio_batch_input(b, path, flags, &fd));
	assert_int_equal(fio_batch_error(b)->code, code);
	assert_true(fio_batch_error(b)->is_input);
	assert_int_equal(fd, -1);
	fio_batch_destroy(b);
}

static void test_inputs_refused_at_once(void **state)
{
	alarm(10); /* a FIFO waited on would hang: fail instead */
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	assert_int_equal(mkdir(at("sub"), 0755), 0);
	expect_input(at("fifo"), FIO_IN_REGULAR, FIO_ERR_NOT_REGULAR);
	expect_input("/dev/zero", FIO_IN_REGULAR, FIO_ERR_NOT_REGULAR);
	expect_input(at("sub"), FIO_IN_REGULAR, EISDIR);
	expect_input(at("sub"), FIO_IN_STREAM, EISDIR);
	expect_input(at("missing"), FIO_IN_STREAM, ENOENT);
	expect_input("-", FIO_IN_REGULAR, ENOENT); /* no FIO_IN_DASH: a file named "-" */
	int const sock = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", at("sock"));
	assert_int_equal(bind(sock, (struct sockaddr *)&addr, sizeof(addr)), 0);
	expect_input(at("sock"), FIO_IN_STREAM, FIO_ERR_NOT_REGULAR);
	close(sock);
	alarm(0);
}

static void test_stream_from_a_fifo(void **state)
{
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	pid_t const pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Writes and closes before the reader may even read: nothing may be lost. */
		int const fd = open(at("fifo"), O_WRONLY);
		_exit(fd >= 0 && write(fd, "streamed", 8) == 8 ? 0 : 1);
	}
	struct fio_batch *b;
	int fd;
	char buf[16];
	size_t len;
	assert_true(fio_batch_create(&b));
	assert_true(fio_batch_input(b, at("fifo"), FIO_IN_STREAM, &fd));
	expect_exit0(pid);
	assert_int_equal(fio_read_all(fd, buf, sizeof(buf), &len), 0);
	assert_string_equal(buf, "streamed");
	close(fd);
	fio_batch_destroy(b);
}

static void test_dash_input(void **state)
{
	struct fio_batch *b;
	int fd;
	struct stat in, mine;
	assert_true(fio_batch_create(&b));
	assert_true(fio_batch_input(b, "-", FIO_IN_STREAM | FIO_IN_DASH, &fd));
	assert_int_equal(fstat(fd, &mine), 0);
	assert_int_equal(fstat(STDIN_FILENO, &in), 0);
	assert_int_equal(mine.st_ino, in.st_ino);
	close(fd);
	fio_batch_destroy(b);
}

static void test_read_all_bounds(void **state)
{
	char buf[8];
	size_t len;
	struct fio_batch *b;
	assert_true(fio_batch_create(&b));
	put("seven", "1234567", 0644);
	put("eight", "12345678", 0644);
	put("empty", "", 0644);
	assert_true(fio_batch_read(b, at("seven"), buf, sizeof(buf), &len));
	assert_int_equal(len, 7);
	assert_string_equal(buf, "1234567");
	assert_false(fio_batch_read(b, at("eight"), buf, sizeof(buf), &len));
	assert_int_equal(fio_batch_error(b)->code, FIO_ERR_TOO_BIG);
	assert_string_equal(fio_batch_error(b)->path, at("eight"));
	assert_true(fio_batch_read(b, at("empty"), buf, sizeof(buf), &len));
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	int const fd = open(at("seven"), O_RDONLY);
	assert_int_equal(fio_read_all(fd, buf, 0, &len), EINVAL);
	close(fd);
	fio_batch_destroy(b);
}

static void test_strerror(void **state)
{
	static const int codes[] = {0, FIO_ERR_SAME_FILE, FIO_ERR_NOT_REGULAR, FIO_ERR_TOO_BIG,
				    FIO_ERR_SECRET};
	for (size_t i = 0; i < 5; i++)
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(fio_strerror(codes[i]), fio_strerror(codes[j]));
	assert_string_equal(fio_strerror(ENOSPC), strerror(ENOSPC));
	assert_string_equal(fio_strerror(-100), "unknown error");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_new_file_appears_only_at_commit),
		T(test_replaced_file_keeps_its_mode),
		T(test_set_mode_ignores_umask),
		T(test_owner_is_kept),
		T(test_no_replace),
		T(test_refused_targets),
		T(test_links_are_followed),
		T(test_protected_links),
		T(test_protected_links_in_the_directory_part),
		T(test_secret_only_into_own_files),
		T(test_leftovers_of_a_killed_heart_are_swept),
		T(test_device_is_written_not_replaced),
		T(test_full_device_reports_enospc),
		T(test_fifo_and_socket_are_written_directly),
		T(test_own_descriptors),
		T(test_dash),
		T(test_output_is_an_input),
		T(test_two_outputs_one_file),
		T(test_batch_commits_all),
		T(test_failed_rename_is_undone),
		T(test_no_hard_links_no_undo),
		T(test_failed_backup_stops_before_renames),
		T(test_fsync_failure),
		T(test_write_failure),
		T(test_target_changed_before_commit),
		T(test_seal_then_commit),
		T(test_durable_syncs_the_directory),
		T(test_outputs_share_a_directory_descriptor),
		T(test_named_fallback),
		T(test_link_through_proc),
		T(test_copy_when_nothing_links),
		T(test_copy_failure_leaves_nothing),
		T(test_scratch),
		T(test_signals_leave_nothing),
		T(test_ignored_signal_stays_ignored),
		T(test_sigkill),
		T(test_no_handlers_of_its_own),
		T(test_signal_during_commit_waits_for_it),
		T(test_inputs_refused_at_once),
		T(test_stream_from_a_fifo),
		T(test_dash_input),
		T(test_read_all_bounds),
		T(test_strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
