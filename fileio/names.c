/* Hidden names: making them, and removing them when a signal ends the process
 * (fio_signal_cleanup()). */
/* linkat(AT_EMPTY_PATH) and getrandom() are Linux extensions. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "fileio_internal.h"

/* The module's only global mutable state: what fio_signal_cleanup() removes, from a signal
 * handler that can reach nothing else. Changed only with signals blocked, so the handler never
 * sees it half-updated. */
static struct fio_name *registry;

/* Every signal a handler may catch, but the faults: those cannot wait, and blocking them
 * would not stop the kernel from delivering them. */
static void blockable_set(sigset_t *set)
{
	static const int faults[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS};
	sigfillset(set);
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigdelset(set, faults[i]);
}

void fio_signals_block(sigset_t *old_out)
{
	sigset_t set;
	blockable_set(&set);
	sigprocmask(SIG_BLOCK, &set, old_out);
}

void fio_signals_restore(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* Async-signal-safe: unlinkat only. */
void fio_signal_cleanup(void)
{
	for (struct fio_name *n = registry; n; n = n->next)
		unlinkat(n->dirfd, n->name, 0);
}

void fio_name_register(struct fio_name *n)
{
	n->prev = NULL;
	n->next = registry;
	if (registry)
		registry->prev = n;
	registry = n;
	n->live = true;
}

void fio_name_forget(struct fio_name *n)
{
	if (!n->live)
		return;
	if (n->prev)
		n->prev->next = n->next;
	else
		registry = n->next;
	if (n->next)
		n->next->prev = n->prev;
	n->prev = n->next = NULL;
	n->live = false;
}

void fio_name_remove(struct fio_name *n)
{
	if (!n->live)
		return;
	int const saved_errno = errno;
	sigset_t old;
	fio_signals_block(&old);
	unlinkat(n->dirfd, n->name, 0);
	fio_name_forget(n);
	fio_signals_restore(&old);
	errno = saved_errno;
}

/* Six characters to tell hidden names apart. Unpredictable when the kernel allows; O_EXCL
 * and link()'s EEXIST make a collision harmless either way. */
static void random_suffix(char out[7])
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char rnd[6];
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
		uint64_t x = (uint64_t)base_clock_ns() ^ (uint64_t)getpid() << 40;
		for (size_t i = 0; i < sizeof(rnd); i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			rnd[i] = (unsigned char)(x >> 56);
		}
	}
	for (size_t i = 0; i < sizeof(rnd); i++)
		out[i] = digits[rnd[i] % 36];
	out[6] = '\0';
}

/* What marks a hidden name as heart's, so that a later run can tell what a killed one left
 * (fio_name_is_hidden()) from other programs' temporaries (rsync's ".NAME.XXXXXX"). */
static const char mark[] = ".heart~";
#define MARK_LEN (sizeof(mark) - 1)

/* ".BASE.heart~XXXXXX", BASE cut so that the whole stays within NAME_MAX. */
static void hidden_name(const char *base, char out[NAME_MAX + 1])
{
	size_t len = strlen(base);
	if (len > NAME_MAX - 7 - MARK_LEN)
		len = NAME_MAX - 7 - MARK_LEN;
	out[0] = '.';
	memcpy(out + 1, base, len);
	memcpy(out + 1 + len, mark, MARK_LEN);
	random_suffix(out + 1 + len + MARK_LEN);
}

bool fio_name_is_hidden(const char *name)
{
	size_t const len = strlen(name);
	if (name[0] != '.' || len < 1 + MARK_LEN + 6 ||
	    memcmp(name + len - 6 - MARK_LEN, mark, MARK_LEN) != 0)
		return false;
	return strspn(name + len - 6, "abcdefghijklmnopqrstuvwxyz0123456789") == 6;
}

int fio_name_create(int dirfd, const char *base, mode_t mode, int flags, struct fio_name *n)
{
	sigset_t old;
	int fd = -1;
	fio_signals_block(&old);
	for (int attempt = 0; attempt < 100; attempt++) {
		hidden_name(base, n->name);
		fd = openat(dirfd, n->name,
			    flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	int const err = errno;
	if (fd >= 0) {
		n->dirfd = dirfd;
		fio_name_register(n);
	}
	fio_signals_restore(&old);
	errno = err;
	return fd;
}

/* Give the open file fd the name (dirfd, name): directly where the kernel allows it (Linux 6.10
 * for the file's opener, or CAP_DAC_READ_SEARCH), else through /proc. */
static int link_fd(int fd, int dirfd, const char *name)
{
	if (linkat(fd, "", dirfd, name, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno == EEXIST)
		return -1;
	char proc[32];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, dirfd, name, AT_SYMLINK_FOLLOW);
}

int fio_name_link(int olddirfd, const char *oldname, int fd, int dirfd, const char *base,
		  struct fio_name *n)
{
	sigset_t old;
	int r = -1;
	fio_signals_block(&old);
	for (int attempt = 0; attempt < 100; attempt++) {
		hidden_name(base, n->name);
		r = oldname ? linkat(olddirfd, oldname, dirfd, n->name, 0)
			    : link_fd(fd, dirfd, n->name);
		if (r == 0 || errno != EEXIST)
			break;
	}
	int const err = errno;
	if (r == 0) {
		n->dirfd = dirfd;
		fio_name_register(n);
	}
	fio_signals_restore(&old);
	errno = err;
	return r;
}
