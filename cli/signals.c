#include "signals.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

/* The process's signal state, all of it: handlers can reach nothing else. Changed with every
 * signal blocked, so a handler never sees it half-updated. */
static struct signals_terminal term;
static volatile sig_atomic_t term_active;
static volatile sig_atomic_t given_back; /* a stop gave the terminal back */
static volatile sig_atomic_t deferring, deferring_job_control;
static volatile sig_atomic_t quit_signal, resize_pending, suspend_pending;
/* While deferring: the signals blocked but inside the wait, and the mask to wait with. */
static sigset_t deferred, unblocked;

enum handling {
	LEAVE,  /* default action kept: it ignores or stops, or cannot be caught */
	END,    /* ends the process by default: give back, clean up, die by it */
	FAULT,  /* raised by a fault: the same at once, even while deferring */
	STOP,   /* SIGTSTP */
	RESUME, /* SIGCONT */
	RESIZE, /* SIGWINCH */
};

static enum handling handling_of(int sig)
{
	switch (sig) {
	case SIGKILL:
	case SIGSTOP:
	case SIGCHLD:
	case SIGURG:
	case SIGTTIN: /* stop a background reader or writer: job control's business */
	case SIGTTOU:
		return LEAVE;
	case SIGTSTP:
		return STOP;
	case SIGCONT:
		return RESUME;
	case SIGWINCH:
		return RESIZE;
	case SIGSEGV:
	case SIGBUS:
	case SIGFPE:
	case SIGILL:
	case SIGABRT:
	case SIGTRAP:
	case SIGSYS:
		return FAULT;
	default: /* every other signal, real-time ones included, ends the process */
		return END;
	}
}

static void put(int fd, const char *s)
{
	if (s)
		(void)!write(fd, s, strlen(s));
}

/* Async-signal-safe: write() and tcsetattr() only. */
static void give_back(void)
{
	if (!term_active)
		return;
	put(term.fd, term.leave);
	if (term.has_termios)
		/* TCSAFLUSH: what was typed meanwhile (half a password) never reaches the shell. */
		(void)tcsetattr(term.fd, TCSAFLUSH, &term.saved);
}

/* Async-signal-safe: sigaction, raise, sigprocmask. */
static void die(int sig)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	raise(sig);                           /* pending while blocked (in a handler), */
	sigprocmask(SIG_UNBLOCK, &set, NULL); /* delivered here at the latest */
}

static void on_end(int sig)
{
	if (deferring && handling_of(sig) == END) {
		if (!quit_signal)
			quit_signal = sig;
		return;
	}
	give_back();
	term_active = 0;
	fio_signal_cleanup();
	die(sig);
}

static void on_stop(int sig)
{
	if (deferring && deferring_job_control) {
		suspend_pending = 1;
		return;
	}
	int const saved_errno = errno;
	struct sigaction ours;
	sigaction(sig, NULL, &ours);
	if (term_active && term.has_termios) {
		give_back();
		given_back = 1;
	}
	die(sig); /* stops here until SIGCONT (blocked until we return: on_resume then) */
	sigaction(sig, &ours, NULL);
	errno = saved_errno;
}

static void on_resume(int sig)
{
	(void)sig;
	resize_pending = 1;
	if (deferring || !term_active || !term.has_termios)
		return;
	int const saved_errno = errno;
	/* In the background (bg), the terminal is the shell's: taken again on fg's SIGCONT. */
	if (tcgetpgrp(term.fd) == getpgrp()) {
		(void)tcsetattr(term.fd, TCSANOW, &term.taken);
		if (given_back)
			put(term.fd, term.enter);
		given_back = 0;
	}
	errno = saved_errno;
}

static void on_resize(int sig)
{
	(void)sig;
	resize_pending = 1;
}

bool signals_install(void)
{
	sigemptyset(&deferred);
	for (int sig = 1; sig < NSIG; sig++) {
		enum handling const h = handling_of(sig);
		struct sigaction sa = {0}, old;
		if (h == LEAVE)
			continue;
		/* Signals the C library keeps for itself refuse handlers: leave them. */
		if (sigaction(sig, NULL, &old) != 0) {
			if (errno == EINVAL)
				continue;
			return false;
		}
		/* Ignored at start (nohup, trap '' SIG): the caller wants it ignored. */
		if (old.sa_handler == SIG_IGN)
			continue;
		sa.sa_handler = h == STOP     ? on_stop
				: h == RESUME ? on_resume
				: h == RESIZE ? on_resize
					      : on_end;
		/* One handler at a time. SA_RESTART: code that does not expect EINTR (stdio)
		 * never sees it; ppoll() still ends on a signal. */
		sigfillset(&sa.sa_mask);
		sa.sa_flags = SA_RESTART;
		if (sigaction(sig, &sa, NULL) != 0)
			return false;
		if (h != FAULT)
			sigaddset(&deferred, sig);
	}
	return true;
}

void signals_terminal(const struct signals_terminal *t)
{
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	term_active = 0;
	given_back = 0;
	if (t) {
		term = *t;
		/* The handler must not see the flag before the mode it points at. */
		atomic_signal_fence(memory_order_seq_cst);
		term_active = 1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void signals_defer(bool job_control)
{
	deferring_job_control = job_control;
	deferring = 1;
	sigprocmask(SIG_BLOCK, &deferred, &unblocked);
}

void signals_undefer(void)
{
	if (!deferring)
		return;
	/* Signals that came since the last wait record themselves first. */
	sigprocmask(SIG_SETMASK, &unblocked, NULL);
	deferring = 0;
	deferring_job_control = 0;
}

const sigset_t *signals_wait_mask(void)
{
	return deferring ? &unblocked : NULL;
}

int signals_quit_signal(void)
{
	return quit_signal;
}

bool signals_take_resize(void)
{
	bool const r = resize_pending;
	resize_pending = 0;
	return r;
}

bool signals_take_suspend(void)
{
	bool const r = suspend_pending;
	suspend_pending = 0;
	return r;
}

bool signals_pending(void)
{
	return quit_signal || resize_pending || suspend_pending;
}

void signals_die(int sig)
{
	fio_signal_cleanup();
	die(sig);
}
