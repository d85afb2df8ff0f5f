/* ppoll() (POSIX.1-2024) is declared by glibc 2.36 only under _GNU_SOURCE. */
#define _GNU_SOURCE
#include "tty.h"

#include "signals.h"

#include "base/io.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

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
 * (returned, true) or nothing is left (false). A sequence left unfinished for
 * INPUT_TIMEOUT_NS is over when nothing more is buffered: a lone ESC is the Esc key, anything
 * else (a reply that never ends) is dropped. Replies are consumed: a device attributes reply
 * settles io->reply_owed, a background reply lands in *background_out when not NULL (and
 * sets *answered_out).
 */
static bool next_event(struct tty *io, struct input_event *ev, struct heart_rgb *background_out,
		       bool *answered_out)
{
	for (;;) {
		if (io->buf_pos == io->buf_len) {
			int64_t const now = base_clock_ns();
			if (input_expire(&io->in, now, ev) != INPUT_NONE)
				return true;
			if (!refill(io))
				return false;
			io->read_at = now;
		}
		switch (input_byte(&io->in, (unsigned char)io->buf[io->buf_pos++], io->read_at,
				   ev)) {
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
	return next_event(io, ev, NULL, NULL);
}

int64_t tty_key_deadline(const struct tty *io)
{
	return input_deadline(&io->in);
}

/* Read replies until the device attributes reply that ends every question, or until
 * `deadline`; a background reply goes to *background_out (when not NULL). Keys typed
 * meanwhile are dropped. Returns whether the background was answered. */
static bool await_reply(struct tty *io, int64_t deadline, struct heart_rgb *background_out)
{
	bool answered = false;
	struct input_event ev;
	while (io->reply_owed && io->in_fd >= 0 && !signals_quit_signal()) {
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
	if (base_write_all(io->fd, TTY_QUERY_BACKGROUND, strlen(TTY_QUERY_BACKGROUND)) != 0)
		return false;
	io->reply_owed = true;
	struct heart_rgb rgb;
	bool const answered = await_reply(io, base_clock_ns() + TTY_QUERY_TIMEOUT_NS, &rgb);
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
	io->buf_pos = io->buf_len = 0;
	input_init(&io->in);
	io->is_tty = tcgetattr(fd, &io->saved) == 0;
	/* From here a signal that ends heart gives the terminal back first. */
	struct signals_terminal t = {.fd = fd,
				     .has_termios = io->is_tty,
				     .saved = io->saved,
				     .leave = TTY_RESTORE,
				     .enter = TTY_SETUP};
	if (io->is_tty) {
		/* Keys typed while the heart beats must not echo over it; Ctrl-C still works. */
		t.taken = io->saved;
		t.taken.c_lflag &= ~(tcflag_t)(ECHO | ICANON);
		t.taken.c_cc[VMIN] = 1;
		t.taken.c_cc[VTIME] = 0;
	}
	signals_terminal(&t);
	if (io->is_tty)
		tcsetattr(fd, TCSANOW, &t.taken);
	io->entered = true;
	if (io->is_tty)
		io->in_fd = open_input(fd);
	if (base_write_all(fd, TTY_SETUP, strlen(TTY_SETUP)) != 0) {
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
		await_reply(io, base_clock_ns() + TTY_QUERY_TIMEOUT_NS, NULL);
	io->reply_owed = false;
	signals_terminal(NULL);
	if (io->entered)
		base_write_all(io->fd, TTY_RESTORE, strlen(TTY_RESTORE));
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
	if (signals_wait_mask())
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

bool tty_wait(int in_fd, int64_t deadline)
{
	bool readable = false;
	/* The handlers' signals are blocked but inside ppoll(), which unblocks them atomically:
	 * one that arrives after the check of the flags still ends the wait. */
	while (!signals_pending()) {
		/* Absolute deadlines: time spent drawing never accumulates as drift. */
		int64_t const left = deadline - base_clock_ns();
		if (left <= 0)
			break;
		struct timespec const ts = {.tv_sec = (time_t)(left / 1000000000),
					    .tv_nsec = (long)(left % 1000000000)};
		struct pollfd p = {.fd = in_fd, .events = POLLIN};
		int const n = ppoll(&p, in_fd >= 0, &ts, signals_wait_mask());
		if (n > 0)
			readable = true; /* POLLHUP or POLLERR too: the read tells */
		if (n >= 0 || errno != EINTR)
			break;
	}
	return readable;
}
