/* ppoll() (POSIX.1-2024) is declared by glibc 2.36 only under _GNU_SOURCE. */
#define _GNU_SOURCE
#include "tty.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* Signal handling is the one place heart keeps global mutable state: handlers can reach
 * nothing else. */
static volatile sig_atomic_t quit_signal;
static volatile sig_atomic_t resize_pending;
static volatile sig_atomic_t suspend_pending;

/* What a crash handler gives back: the terminal taken by tty_enter(), while it is taken. */
static volatile sig_atomic_t crash_fd = -1;
static volatile sig_atomic_t crash_has_termios;
static struct termios crash_termios;

/* What heart does with each signal. */
enum handling {
	LEAVE,   /* default action kept: it ignores or stops, or cannot be caught */
	QUIT,    /* ends the process by default: quit cleanly, then die by it */
	CRASH,   /* raised by a fault: give the terminal back in the handler, then die by it */
	RESIZE,  /* SIGWINCH */
	SUSPEND, /* SIGTSTP, with job control */
	RESUME,  /* SIGCONT, with job control */
};

static struct sigaction saved_actions[NSIG];
static bool installed[NSIG];
/* The installed signals but the crash ones: blocked while installed, except while tty_wait()
 * waits, so that they arrive between frames, never in the middle of an escape sequence. */
static sigset_t deferred;
/* The signal mask before tty_signals_install(): what tty_wait() waits with. */
static sigset_t unblocked;
static bool blocking;

static enum handling handling_of(int sig, bool job_control)
{
	switch (sig) {
	case SIGKILL:
	case SIGSTOP:
	case SIGCHLD:
	case SIGURG:
	case SIGTTIN: /* stops a background reader: job control's business */
	case SIGTTOU:
		return LEAVE;
	case SIGWINCH:
		return RESIZE;
	case SIGTSTP:
		return job_control ? SUSPEND : LEAVE;
	case SIGCONT:
		return job_control ? RESUME : LEAVE;
	case SIGSEGV:
	case SIGBUS:
	case SIGFPE:
	case SIGILL:
	case SIGABRT:
	case SIGTRAP:
	case SIGSYS:
		return CRASH;
	default: /* every other signal, real-time ones included, ends the process */
		return QUIT;
	}
}

static void on_signal(int sig)
{
	if (sig == SIGWINCH || sig == SIGCONT)
		resize_pending = 1;
	else if (sig == SIGTSTP)
		suspend_pending = 1;
	else if (!quit_signal)
		quit_signal = sig;
}

/* Async-signal-safe: write() and tcsetattr() only. */
static void give_back_now(void)
{
	int const fd = crash_fd;
	if (fd < 0)
		return;
	crash_fd = -1;
	(void)!write(fd, TTY_RESTORE, sizeof(TTY_RESTORE) - 1);
	if (crash_has_termios)
		tcsetattr(fd, TCSAFLUSH, &crash_termios);
}

static void on_crash(int sig)
{
	give_back_now();
	/* SA_RESETHAND put the default action back; the signal is blocked until the handler
	 * returns, so it ends the process then (a fault would also recur). */
	raise(sig);
}

bool tty_signals_install(bool job_control)
{
	sigemptyset(&deferred);
	for (int sig = 1; sig < NSIG; sig++) {
		enum handling const h = handling_of(sig, job_control);
		struct sigaction sa = {0}, old;
		if (h == LEAVE)
			continue;
		/* Signals the C library keeps for itself refuse handlers: leave them. */
		if (sigaction(sig, NULL, &old) != 0) {
			if (errno == EINVAL)
				continue;
			goto fail;
		}
		/* Ignored at start (nohup, trap '' SIG): the caller wants it ignored. */
		if (old.sa_handler == SIG_IGN)
			continue;
		/* No SA_RESTART: a wait must end when a signal arrives. */
		sa.sa_handler = h == CRASH ? on_crash : on_signal;
		sa.sa_flags = h == CRASH ? SA_RESETHAND : 0;
		sigemptyset(&sa.sa_mask);
		if (sigaction(sig, &sa, &saved_actions[sig]) != 0) {
			if (errno == EINVAL)
				continue;
			goto fail;
		}
		installed[sig] = true;
		if (h != CRASH)
			sigaddset(&deferred, sig);
	}
	blocking = sigprocmask(SIG_BLOCK, &deferred, &unblocked) == 0;
	return true;
fail:;
	int const err = errno;
	tty_signals_restore();
	errno = err;
	return false;
}

void tty_signals_restore(void)
{
	/* Signals that came since the last wait reach the handlers first: the caller reads
	 * the flags they set after this. */
	if (blocking)
		sigprocmask(SIG_SETMASK, &unblocked, NULL);
	blocking = false;
	for (int sig = 1; sig < NSIG; sig++) {
		if (installed[sig])
			sigaction(sig, &saved_actions[sig], NULL);
		installed[sig] = false;
	}
}

void tty_die_by_signal(int sig)
{
	struct sigaction dfl = {0};
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	raise(sig);                           /* pending if blocked, */
	sigprocmask(SIG_UNBLOCK, &set, NULL); /* delivered here at the latest */
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

bool tty_write(int fd, const void *buf, size_t n)
{
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
	return ok;
}

/* /dev/tty, when it is the terminal fd draws on (that terminal's session is ours): where its
 * keys arrive, whatever standard input is. */
static int open_input(int fd)
{
	pid_t const session = tcgetsid(fd);
	if (session < 0 || session != getsid(0))
		return -1;
	return open("/dev/tty", O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
}

/* Refill io->buf from in_fd without waiting; false when nothing was read. At end of input or
 * on an error, in_fd is closed and set to -1. */
static bool refill(struct tty *io)
{
	io->buf_pos = io->buf_len = 0;
	if (io->in_fd < 0)
		return false;
	ssize_t r;
	do
		r = read(io->in_fd, io->buf, sizeof(io->buf));
	while (r < 0 && errno == EINTR);
	if (r > 0) {
		io->buf_len = (size_t)r;
		return true;
	}
	if (r == 0 || errno != EAGAIN) { /* EWOULDBLOCK is EAGAIN on Linux */
		/* Hung up or gone: stop listening (SIGHUP, if it came, ends the loop). */
		close(io->in_fd);
		io->in_fd = -1;
	}
	return false;
}

/*
 * Decode what is buffered or readable now until an event other than a reply completes
 * (returned, true) or nothing is left (false). Replies are consumed: a device attributes
 * reply settles io->reply_owed, a background reply lands in *background_out when not NULL
 * (and sets *answered_out).
 */
static bool next_event(struct tty *io, struct input_event *ev, struct heart_rgb *background_out,
		       bool *answered_out)
{
	for (;;) {
		if (io->buf_pos == io->buf_len && !refill(io))
			return false;
		switch (input_byte(&io->in, (unsigned char)io->buf[io->buf_pos++], ev)) {
		case INPUT_NONE:
			break;
		case INPUT_ATTRIBUTES:
			io->reply_owed = false;
			break;
		case INPUT_BACKGROUND:
			if (background_out) {
				*background_out = ev->rgb;
				*answered_out = true;
			}
			break;
		default:
			return true;
		}
	}
}

bool tty_key(struct tty *io, struct input_event *ev)
{
	if (next_event(io, ev, NULL, NULL)) {
		io->escape_at = -1;
		return true;
	}
	/* Nothing more for now: a lone ESC waits a moment for the rest of a sequence. */
	if (!input_escape_pending(&io->in)) {
		io->escape_at = -1;
		return false;
	}
	int64_t const now = tty_now();
	if (io->escape_at < 0)
		io->escape_at = now + TTY_ESCAPE_TIMEOUT_NS;
	if (now < io->escape_at)
		return false;
	io->escape_at = -1;
	return input_idle(&io->in, ev) != INPUT_NONE;
}

int64_t tty_key_deadline(const struct tty *io)
{
	return io->escape_at;
}

/* Read replies until the device attributes reply that ends every question, or until
 * `deadline`; a background reply goes to *background_out (when not NULL). Keys typed
 * meanwhile are dropped. Returns whether the background was answered. */
static bool await_reply(struct tty *io, int64_t deadline, struct heart_rgb *background_out)
{
	bool answered = false;
	struct input_event ev;
	while (io->reply_owed && io->in_fd >= 0 && !tty_quit_signal()) {
		if (next_event(io, &ev, background_out, &answered))
			continue;
		if (io->reply_owed && !tty_wait(io->in_fd, deadline))
			break;
	}
	return answered;
}

bool tty_query_background(struct tty *io, struct heart_rgb *out)
{
	if (io->in_fd < 0 || io->reply_owed)
		return false;
	if (!tty_write(io->fd, TTY_QUERY_BACKGROUND, strlen(TTY_QUERY_BACKGROUND)))
		return false;
	io->reply_owed = true;
	struct heart_rgb rgb;
	bool const answered = await_reply(io, tty_now() + TTY_QUERY_TIMEOUT_NS, &rgb);
	if (answered)
		*out = rgb;
	return answered;
}

bool tty_enter(struct tty *io, int fd)
{
	io->fd = fd;
	io->in_fd = -1;
	io->entered = false;
	io->reply_owed = false;
	io->escape_at = -1;
	io->buf_pos = io->buf_len = 0;
	input_init(&io->in);
	io->is_tty = tcgetattr(fd, &io->saved) == 0;
	if (io->is_tty) {
		/* Keys typed while the heart beats must not echo over it; Ctrl-C still works. */
		struct termios t = io->saved;
		t.c_lflag &= ~(tcflag_t)(ECHO | ICANON);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		crash_termios = io->saved;
		/* The handler must not see the flags before the modes they point at. */
		atomic_signal_fence(memory_order_seq_cst);
		crash_has_termios = 1;
		crash_fd = fd;
		tcsetattr(fd, TCSANOW, &t);
	} else {
		crash_fd = fd;
	}
	io->entered = true;
	if (io->is_tty)
		io->in_fd = open_input(fd);
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
	/* A reply still on its way would land in the shell's input: wait for it a moment. */
	if (io->reply_owed)
		await_reply(io, tty_now() + TTY_QUERY_TIMEOUT_NS, NULL);
	io->reply_owed = false;
	crash_fd = -1;
	crash_has_termios = 0;
	if (io->entered)
		tty_write(io->fd, TTY_RESTORE, strlen(TTY_RESTORE));
	io->entered = false;
	if (io->is_tty)
		/* TCSAFLUSH: keys typed meanwhile go nowhere rather than to the shell. */
		tcsetattr(io->fd, TCSAFLUSH, &io->saved);
	io->is_tty = false;
	if (io->in_fd >= 0)
		close(io->in_fd);
	io->in_fd = -1;
}

bool tty_suspend(struct tty *io)
{
	int const fd = io->fd;
	tty_leave(io);

	struct sigaction dfl = {0}, ours;
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &ours);
	sigset_t tstp;
	sigemptyset(&tstp);
	sigaddset(&tstp, SIGTSTP);
	raise(SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &tstp, NULL); /* stops here until SIGCONT */
	if (blocking)
		sigprocmask(SIG_BLOCK, &tstp, NULL);
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

bool tty_controlling_size(uint32_t *cols_out, uint32_t *rows_out)
{
	int const fd = open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool const ok = tty_size(fd, cols_out, rows_out);
	close(fd);
	return ok;
}

int64_t tty_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool tty_wait(int in_fd, int64_t deadline)
{
	bool readable = false;
	/* The handlers' signals are blocked but inside ppoll(), which unblocks them atomically:
	 * one that arrives after the check of the flags still ends the wait. */
	while (!tty_pending()) {
		/* Absolute deadlines: time spent drawing never accumulates as drift. */
		int64_t const left = deadline - tty_now();
		if (left <= 0)
			break;
		struct timespec const ts = {.tv_sec = (time_t)(left / 1000000000),
					    .tv_nsec = (long)(left % 1000000000)};
		struct pollfd p = {.fd = in_fd, .events = POLLIN};
		int const n = ppoll(&p, in_fd >= 0, &ts, blocking ? &unblocked : NULL);
		if (n > 0)
			readable = true; /* POLLHUP or POLLERR too: the read tells */
		if (n >= 0 || errno != EINTR)
			break;
	}
	return readable;
}
