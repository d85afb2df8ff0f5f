#include "tty.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* Signal handling is the one place heart keeps global mutable state: handlers can reach
 * nothing else. */
static volatile sig_atomic_t quit_signal;
static volatile sig_atomic_t resize_pending;
static volatile sig_atomic_t suspend_pending;

static const int handled[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP, SIGCONT,
			      SIGPIPE};
#define HANDLED_COUNT (sizeof(handled) / sizeof(handled[0]))
static struct sigaction saved_actions[HANDLED_COUNT];
static bool installed[HANDLED_COUNT];

static void on_signal(int sig)
{
	if (sig == SIGWINCH || sig == SIGCONT)
		resize_pending = 1;
	else if (sig == SIGTSTP)
		suspend_pending = 1;
	else if (!quit_signal)
		quit_signal = sig;
}

bool tty_signals_install(bool job_control)
{
	for (size_t i = 0; i < HANDLED_COUNT; i++) {
		int const sig = handled[i];
		if (!job_control && (sig == SIGTSTP || sig == SIGCONT))
			continue;
		struct sigaction sa = {0};
		/* No SA_RESTART: a sleep must end when a signal arrives. */
		sa.sa_handler = sig == SIGPIPE ? SIG_IGN : on_signal;
		sigemptyset(&sa.sa_mask);
		if (sigaction(sig, &sa, &saved_actions[i]) != 0) {
			int const err = errno;
			tty_signals_restore();
			errno = err;
			return false;
		}
		installed[i] = true;
	}
	return true;
}

void tty_signals_restore(void)
{
	for (size_t i = 0; i < HANDLED_COUNT; i++) {
		if (installed[i])
			sigaction(handled[i], &saved_actions[i], NULL);
		installed[i] = false;
	}
}

int tty_quit_signal(void)
{
	return quit_signal;
}

bool tty_take_resize(void)
{
	bool const r = resize_pending;
	resize_pending = 0;
	return r;
}

bool tty_take_suspend(void)
{
	bool const r = suspend_pending;
	suspend_pending = 0;
	return r;
}

bool tty_pending(void)
{
	return quit_signal || resize_pending || suspend_pending;
}

static void blocked_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < HANDLED_COUNT; i++)
		sigaddset(set, handled[i]);
}

bool tty_write(int fd, const void *buf, size_t n)
{
	sigset_t block, old;
	blocked_set(&block);
	sigprocmask(SIG_BLOCK, &block, &old);
	const char *p = buf;
	bool ok = true;
	while (n > 0) {
		ssize_t const w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			ok = false;
			if (w == 0)
				errno = EIO;
			break;
		}
		p += w;
		n -= (size_t)w;
	}
	int const err = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return ok;
}

bool tty_enter(struct tty *io, int fd)
{
	io->fd = fd;
	io->entered = false;
	io->is_tty = tcgetattr(fd, &io->saved) == 0;
	if (io->is_tty) {
		/* Keys typed while the heart beats must not echo over it; Ctrl-C still works. */
		struct termios t = io->saved;
		t.c_lflag &= ~(tcflag_t)(ECHO | ICANON);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		tcsetattr(fd, TCSANOW, &t);
	}
	io->entered = true;
	if (!tty_write(fd, TTY_SETUP, strlen(TTY_SETUP))) {
		int const err = errno;
		tty_leave(io);
		errno = err;
		return false;
	}
	return true;
}

void tty_leave(struct tty *io)
{
	if (io->entered)
		tty_write(io->fd, TTY_RESTORE, strlen(TTY_RESTORE));
	io->entered = false;
	if (io->is_tty)
		/* TCSAFLUSH: keys typed meanwhile go nowhere rather than to the shell. */
		tcsetattr(io->fd, TCSAFLUSH, &io->saved);
	io->is_tty = false;
}

bool tty_suspend(struct tty *io)
{
	int const fd = io->fd;
	tty_leave(io);

	struct sigaction dfl = {0}, ours;
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &ours);
	raise(SIGTSTP); /* stops here until SIGCONT */
	sigaction(SIGTSTP, &ours, NULL);
	return tty_enter(io, fd);
}

bool tty_size(int fd, uint32_t *cols_out, uint32_t *rows_out)
{
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 || ws.ws_row == 0)
		return false;
	*cols_out = ws.ws_col;
	*rows_out = ws.ws_row;
	return true;
}

int64_t tty_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void tty_sleep_until(int64_t deadline)
{
	struct timespec const ts = {.tv_sec = (time_t)(deadline / 1000000000),
				    .tv_nsec = (long)(deadline % 1000000000)};
	/* Absolute deadlines: time spent drawing never accumulates as drift. */
	while (!tty_pending() &&
	       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
	}
}
