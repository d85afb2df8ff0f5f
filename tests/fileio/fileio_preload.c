/*
 * LD_PRELOAD'ed into heart by tests/e2e/test_files.py, to put heart where a test needs it:
 *  - HEART_TEST_STALL=PATH: the first fsync() creates PATH, then waits for a signal forever.
 *    heart fsyncs every replaced output before it commits, so a test that sees PATH knows heart
 *    is mid-write (data written, nothing published) and sends its signal then.
 *  - HEART_TEST_NO_TMPFILE=1: openat() with O_TMPFILE (the only way heart asks for one) fails
 *    with EOPNOTSUPP, as on a file system without it, so heart takes its named fallback.
 *  - HEART_TEST_NO_FLINK=1: linkat(AT_EMPTY_PATH) fails with ENOENT, as before Linux 6.10
 *    without CAP_DAC_READ_SEARCH; with /proc hidden too, heart must copy into a named file.
 *  - HEART_TEST_KILL_AT_RENAME=N: the Nth renameat() kills the process (SIGKILL) instead, so
 *    that a test sees what a batch cut short in its renames leaves.
 * Neither is a knob of heart itself: heart reads no such variable.
 */
/* The wrappers define the plain and the 64-bit names themselves: no redirects, no fortify
 * inlines in the way. */
#undef _FILE_OFFSET_BITS
#undef _FORTIFY_SOURCE
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef int (*openat_fn)(int, const char *, int, ...);
typedef int (*fsync_fn)(int);
typedef int (*linkat_fn)(int, const char *, int, const char *, int);
typedef int (*renameat_fn)(int, const char *, int, const char *);

/* The next definition of name (libc's): ISO C has no cast from dlsym's void * to a function
 * pointer, so the bits are copied. */
typedef void (*any_fn)(void);
static any_fn next(const char *name)
{
	void *const p = dlsym(RTLD_NEXT, name);
	any_fn f;
	memcpy(&f, &p, sizeof(f));
	return f;
}

static bool refused(int flags)
{
	if ((flags & O_TMPFILE) != O_TMPFILE || !getenv("HEART_TEST_NO_TMPFILE"))
		return false;
	errno = EOPNOTSUPP;
	return true;
}

static mode_t mode_arg(int flags, va_list ap)
{
	return flags & (O_CREAT | O_TMPFILE) ? va_arg(ap, mode_t) : 0;
}

#define OPENAT_WRAPPER(name)                                               \
	int name(int dirfd, const char *path, int flags, ...)              \
	{                                                                  \
		va_list ap;                                                \
		va_start(ap, flags);                                       \
		mode_t const mode = mode_arg(flags, ap);                   \
		va_end(ap);                                                \
		if (refused(flags))                                        \
			return -1;                                         \
		return ((openat_fn)next(#name))(dirfd, path, flags, mode); \
	}

OPENAT_WRAPPER(openat)
OPENAT_WRAPPER(openat64)

int fsync(int fd)
{
	const char *const marker = getenv("HEART_TEST_STALL");
	if (marker) {
		int const m = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (m >= 0)
			close(m);
		for (;;)
			pause();
	}
	return ((fsync_fn)next("fsync"))(fd);
}

int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
	if ((flags & AT_EMPTY_PATH) && getenv("HEART_TEST_NO_FLINK")) {
		errno = ENOENT;
		return -1;
	}
	return ((linkat_fn)next("linkat"))(olddirfd, oldpath, newdirfd, newpath, flags);
}

int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	static int calls;
	const char *const at = getenv("HEART_TEST_KILL_AT_RENAME");
	if (at && ++calls == atoi(at))
		kill(getpid(), SIGKILL);
	return ((renameat_fn)next("renameat"))(olddirfd, oldpath, newdirfd, newpath);
}
