#pragma once

/*
 * The tty the play command draws on: terminal modes, keys, whole writes, window size and the
 * monotonic clock. While the terminal is taken, cli/signals.h gives it back on any signal
 * that ends heart. (What is drawn, cells and escape sequences, is render/term.h's business.)
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#include "input.h"

/* Sent to take the terminal: alternate screen, cursor hidden. */
#define TTY_SETUP "\x1b[?1049h\x1b[?25l"
/* Sent on every way out: end synchronized output, default attributes, cursor shown, main
 * screen back. Built in, so nothing has to be built while leaving. */
#define TTY_RESTORE "\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l"

/* Asked to learn the terminal's background: OSC 11 with a "?", then primary device
 * attributes (DA1), which every terminal answers, so that a terminal that does not know OSC
 * 11 costs no more than the wait for its DA1 reply. */
#define TTY_QUERY_BACKGROUND "\x1b]11;?\x1b\\\x1b[c"
/* The longest wait for the replies, for a terminal that answers nothing at all (ns). */
#define TTY_QUERY_TIMEOUT_NS 100000000

/* A terminal taken over for drawing. TTY_NONE: none yet. */
struct tty {
	int fd;       /* where frames go */
	int in_fd;    /* where its keys and replies come from (/dev/tty), or -1 */
	bool is_tty;  /* termios was saved and changed */
	bool entered; /* the setup sequence was written */
	struct termios saved;
	struct input in; /* decodes in_fd's bytes */
	char buf[256];   /* read from in_fd, decoded up to buf_pos */
	size_t buf_pos, buf_len;
	int64_t read_at; /* when buf was read (monotonic ns) */
	bool reply_owed; /* a DA1 reply is still to come */
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

/*
 * Ask the terminal taken by tty_enter() for its background colour (TTY_QUERY_BACKGROUND) and
 * read the replies: returns true with *out set when the terminal answered, false when it did
 * not (DA1 came alone), did not answer at all within TTY_QUERY_TIMEOUT_NS, or there is no
 * input to read replies from. Keys typed meanwhile are dropped; a reply that comes later is
 * consumed by tty_key() or tty_leave(), never shown or left for the shell.
 */
bool tty_query_background(struct tty *io, struct heart_rgb *out);

/*
 * The next key typed, without waiting: INPUT_KEY, INPUT_ESCAPE, or INPUT_SEQUENCE for keys
 * that send a sequence (arrows...) and for sequences dropped (see input.h). Returns false when
 * there is none for now. A lone ESC is the Esc key once INPUT_TIMEOUT_NS have passed with
 * nothing after it, and a reply that never ends is dropped then: call again by
 * tty_key_deadline(). Replies to questions are consumed here, not returned.
 */
bool tty_key(struct tty *io, struct input_event *ev);

/* When tty_key() must be called again even if nothing is typed (monotonic ns), or -1. */
int64_t tty_key_deadline(const struct tty *io);

/* Give the terminal back, stop the process (SIGTSTP's default action), and on continuing take
 * the terminal again. Returns false as tty_enter() does. */
bool tty_suspend(struct tty *io);

/* The window size of terminal fd in cells; false if fd is not a terminal or reports 0. */
bool tty_size(int fd, uint32_t *cols_out, uint32_t *rows_out);

/* The window size of the process's controlling terminal (/dev/tty), as tty_size(); false when
 * there is none. */
bool tty_controlling_size(uint32_t *cols_out, uint32_t *rows_out);

/* Wait until the monotonic time `deadline` (ns), a signal flag is pending (signals_pending()),
 * or in_fd (-1 for none) has input; returns whether it has. While signals are deferred
 * (signals_defer()) they arrive only inside this wait, so none can slip in between the check
 * of the flags and the wait. */
bool tty_wait(int in_fd, int64_t deadline);
