#pragma once

/*
 * heart's one signal discipline, for every command: installed once by main(), it holds the
 * process's only global mutable state that signal handlers need (cli/signals.c), and nothing
 * else installs a handler.
 *
 * On every signal whose default action ends the process (HUP INT QUIT ILL TRAP ABRT BUS FPE
 * USR1 SEGV USR2 PIPE ALRM TERM STKFLT IO XCPU XFSZ VTALRM PROF PWR SYS and the real-time
 * signals), except those ignored at start (nohup, trap '' SIG), which stay ignored, the handler
 * 1. gives back the terminal mode in force (signals_terminal()): writes its prepared `leave`
 *    bytes and puts back its saved termios, with write() and tcsetattr() only;
 * 2. removes the file layer's hidden names (fio_signal_cleanup());
 * 3. puts back the signal's default action and raises it again, so that the parent sees death
 *    by that signal (a shell reports 128 + N and stops a loop or script on SIGINT).
 * Faults (SEGV, BUS, ILL, FPE, ABRT, TRAP, SYS) do so at once, whatever the mode.
 *
 * SIGTSTP with a terminal mode in force gives the terminal back and stops; SIGCONT then takes
 * it again (when the process is in the terminal's foreground) and writes the mode's `enter`
 * bytes (the password prompt asks again, as sudo and ssh do). The player instead defers
 * (signals_defer()): see there.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

/* Install the handlers (see above). Call once, before anything takes the terminal or writes a
 * file. Returns false with errno set if one cannot be installed. */
bool signals_install(void);

/* A terminal mode a signal must undo while it is in force. */
struct signals_terminal {
	int fd;               /* the terminal (or a pipe the player draws to: leave only) */
	bool has_termios;     /* saved and taken are set: fd is a terminal whose modes changed */
	struct termios saved; /* put back when giving the terminal back */
	struct termios taken; /* put again on continuing after a stop */
	const char *leave;    /* written before giving back: a static string, or NULL */
	const char *enter;    /* written after taking again: a static string, or NULL */
};

/* Put *t in force (copied), or none when t is NULL. The strings must outlive it. */
void signals_terminal(const struct signals_terminal *t);

/*
 * For the player's main loop, which must not be cut in the middle of a frame: from now on the
 * terminating signals other than faults only record themselves (signals_quit_signal(); the
 * loop then gives the terminal back and calls signals_die()), SIGWINCH and SIGCONT ask for a
 * redraw, and with `job_control` SIGTSTP asks to suspend (the loop calls tty_suspend()). They
 * stay blocked but inside signals_wait_mask()'s wait, so they arrive between frames.
 */
void signals_defer(bool job_control);

/* Let the signals that came meanwhile record themselves (read signals_quit_signal() after),
 * then stop deferring: the signal mask is as before signals_defer(). */
void signals_undefer(void);

/* The mask to wait with while deferring (ppoll()), or NULL when not deferring. */
const sigset_t *signals_wait_mask(void);

/* The terminating signal that came while deferring, or 0. */
int signals_quit_signal(void);
/* Whether a resize (SIGWINCH or SIGCONT) / a suspend (SIGTSTP) came since the last call. */
bool signals_take_resize(void);
bool signals_take_suspend(void);
/* Whether any of the three is pending: a wait should end early. */
bool signals_pending(void);

/*
 * Remove the file layer's hidden names and end the process by `sig` with its default action
 * (after the terminal was given back), as the handler does. Returns only if sig does not end
 * the process by default.
 */
void signals_die(int sig);
