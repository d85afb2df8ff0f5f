#pragma once

/*
 * The tty the play command draws on: signals, terminal modes, whole writes, window size and
 * the monotonic clock. Signal handlers only set flags; the main loop reads them here. (What is
 * drawn, cells and escape sequences, is render/term.h's business.)
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

/* Sent to take the terminal: alternate screen, cursor hidden. */
#define TTY_SETUP "\x1b[?1049h\x1b[?25l"
/* Sent on every way out: end synchronized output, default attributes, cursor shown, main
 * screen back. Built in, so nothing has to be built while leaving. */
#define TTY_RESTORE "\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l"

/*
 * Install handlers for every signal whose default action ends the process, except those
 * ignored at start (nohup, trap '' SIG), which stay ignored:
 * - asynchronous ones (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
 *   real-time signals, ...) ask to quit: tty_quit_signal() names the first; the caller
 *   gives the terminal back and then calls tty_die_by_signal();
 * - crash signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS) give the
 *   terminal taken by tty_enter() back from the handler, then end the process by the same
 *   signal with its default action (a core dump where enabled).
 * SIGWINCH asks to re-read the size; with `job_control`, SIGTSTP asks to suspend and SIGCONT
 * to redraw. Returns false (errno set) if a handler cannot be installed; none is then left.
 */
bool tty_signals_install(bool job_control);

/* Put back the dispositions tty_signals_install() replaced. */
void tty_signals_restore(void);

/*
 * End the process by `sig` with its default action (after the terminal was given back and
 * the handlers restored), so that the parent sees death by that signal: a shell reports
 * 128 + sig and stops a loop or script on SIGINT. Returns only if sig does not end the
 * process by default.
 */
void tty_die_by_signal(int sig);

/* The signal that asked to quit, or 0. */
int tty_quit_signal(void);
/* Whether a resize (SIGWINCH or SIGCONT) / a suspend (SIGTSTP) arrived since the last call. */
bool tty_take_resize(void);
bool tty_take_suspend(void);
/* Whether any flag is pending: a sleep should end early. */
bool tty_pending(void);

/* A terminal taken over for drawing. TTY_NONE: none yet. */
struct tty {
	int fd;        /* where frames go */
	int in_fd;     /* where its keys and replies come from (/dev/tty), or -1 */
	bool is_tty;   /* termios was saved and changed */
	bool entered;  /* the setup sequence was written */
	struct termios saved;
};
#define TTY_NONE ((struct tty){.fd = -1, .in_fd = -1})

/*
 * Take fd over: if it is a terminal, turn echo and line editing off (signals stay on), then
 * write TTY_SETUP. When fd is the controlling terminal, io->in_fd reads its input (keys,
 * replies) without blocking; otherwise it is -1. Returns false with errno set on a write
 * error; the terminal is then given back already.
 */
bool tty_enter(struct tty *io, int fd);

/* Give the terminal back (TTY_RESTORE, saved termios), discarding whatever was typed and not
 * read, so that nothing reaches the shell; close in_fd. Safe to repeat. */
void tty_leave(struct tty *io);

/* Up to n bytes of the terminal's input, without waiting: the count, 0 when there is none
 * (or no input at all). At end of input or on an error, in_fd is closed and set to -1. */
size_t tty_read(struct tty *io, char *buf, size_t n);

/* Give the terminal back, stop the process (SIGTSTP's default action), and on continuing take
 * the terminal again. Returns false as tty_enter() does. */
bool tty_suspend(struct tty *io);

/*
 * Write all n bytes to fd with the handled signals blocked, so no escape sequence is cut in
 * half; retries short writes and EINTR. Returns false with errno set on failure.
 */
bool tty_write(int fd, const void *buf, size_t n);

/* The window size of terminal fd in cells; false if fd is not a terminal or reports 0. */
bool tty_size(int fd, uint32_t *cols_out, uint32_t *rows_out);

/* The window size of the process's controlling terminal (/dev/tty), as tty_size(); false when
 * there is none. */
bool tty_controlling_size(uint32_t *cols_out, uint32_t *rows_out);

/* Nanoseconds on the monotonic clock. */
int64_t tty_now(void);

/* Wait until the monotonic time `deadline` (ns), a signal flag is pending, or in_fd (-1 for
 * none) has input; returns whether it has. No signal can slip in between the check of the
 * flags and the wait. */
bool tty_wait(int in_fd, int64_t deadline);
