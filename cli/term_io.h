#pragma once

/*
 * The play command's terminal I/O: signals, terminal modes, whole writes, window size and the
 * monotonic clock. Signal handlers only set flags; the main loop reads them here.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

/* Sent to take the terminal: alternate screen, cursor hidden. */
#define TERM_IO_SETUP "\x1b[?1049h\x1b[?25l"
/* Sent on every way out: end synchronized output, default attributes, cursor shown, main
 * screen back. Built in, so nothing has to be built while leaving. */
#define TERM_IO_RESTORE "\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l"

/*
 * Install handlers: SIGINT, SIGTERM, SIGHUP, SIGQUIT ask to quit; SIGWINCH asks to re-read the
 * size; with `job_control`, SIGTSTP asks to suspend and SIGCONT to redraw. SIGPIPE is ignored
 * (writes report EPIPE instead). Returns false (errno set) if a handler cannot be installed.
 */
bool term_io_signals_install(bool job_control);

/* Put back the dispositions term_io_signals_install() replaced. */
void term_io_signals_restore(void);

/* The signal that asked to quit, or 0. */
int term_io_quit_signal(void);
/* Whether a resize (SIGWINCH or SIGCONT) / a suspend (SIGTSTP) arrived since the last call. */
bool term_io_take_resize(void);
bool term_io_take_suspend(void);
/* Whether any flag is pending: a sleep should end early. */
bool term_io_pending(void);

/* A terminal taken over for drawing. */
struct term_io {
	int fd;
	bool is_tty;   /* termios was saved and changed */
	bool entered;  /* the setup sequence was written */
	struct termios saved;
};

/*
 * Take fd over: if it is a terminal, turn echo and line editing off (signals stay on), then
 * write TERM_IO_SETUP. Returns false with errno set on a write error; the terminal is then
 * given back already.
 */
bool term_io_enter(struct term_io *io, int fd);

/* Give the terminal back (TERM_IO_RESTORE, saved termios). Safe to repeat. */
void term_io_leave(struct term_io *io);

/* Give the terminal back, stop the process (SIGTSTP's default action), and on continuing take
 * the terminal again. Returns false as term_io_enter() does. */
bool term_io_suspend(struct term_io *io);

/*
 * Write all n bytes to fd with the handled signals blocked, so no escape sequence is cut in
 * half; retries short writes and EINTR. Returns false with errno set on failure.
 */
bool term_io_write(int fd, const void *buf, size_t n);

/* The window size of terminal fd in cells; false if fd is not a terminal or reports 0. */
bool term_io_size(int fd, uint32_t *cols_out, uint32_t *rows_out);

/* Nanoseconds on the monotonic clock. */
int64_t term_io_now(void);

/* Sleep until the monotonic time `deadline` (ns), or until a signal flag is pending. */
void term_io_sleep_until(int64_t deadline);
