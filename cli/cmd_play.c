/* heart play: the beating heart in the terminal, as plain text, or as an asciicast. */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/io.h"
#include "cast.h"
#include "cli.h"
#include "draw.h"
#include "fileio.h"
#include "player.h"
#include "render/model.h"
#include "render/raster.h"
#include "render/term.h"
#include "signals.h"
#include "terminfo.h"
#include "tty.h"

#define REFRESH_DEFAULT 30
#define REFRESH_MIN 1
#define REFRESH_MAX 120
#define FRAMES_MAX 100000000L
#define DURATION_MAX 1000000.0

enum format { FORMAT_AUTO, FORMAT_TERMINAL, FORMAT_TEXT, FORMAT_ASCIICAST };

struct play_opts {
	struct param_values draw;
	int mode;       /* index in mode_names: 0 is auto */
	int color_mode; /* index in depth_names: 0 is auto */
	bool size_given;
	struct param_size size; /* cells */
	double refresh;
	long frames;     /* 0: no limit */
	double duration; /* seconds; 0: no limit */
	const char *record;
	int format; /* enum format */
};

/* The choices of --mode and --color-mode, "auto" first, and what each one means. */
static const char *const mode_names[] = {"auto", "ansi", "ascii", "emoji", NULL};
static const enum term_mode mode_values[] = {TERM_MODE_ANSI, TERM_MODE_ANSI, TERM_MODE_ASCII,
					     TERM_MODE_EMOJI};
static const char *const depth_names[] = {"auto", "truecolor", "24bit", "256", "16", "none", NULL};
static const enum term_depth depth_values[] = {TERM_DEPTH_TRUECOLOR, TERM_DEPTH_TRUECOLOR,
					       TERM_DEPTH_TRUECOLOR, TERM_DEPTH_256,
					       TERM_DEPTH_16,        TERM_DEPTH_NONE};
static const char *const format_names[] = {"auto", "terminal", "text", "asciicast", NULL};

static int run(int argc, char **argv);

enum {
	OPT_DRAW,
	OPT_MODE = OPT_DRAW + DRAW_OPT_COUNT,
	OPT_COLOR_MODE,
	OPT_SIZE,
	OPT_REFRESH,
	OPT_FRAMES,
	OPT_DURATION,
	OPT_FORMAT,
	OPT_RECORD,
};
enum { EXCLUSIVE_LENGTH = DRAW_EXCLUSIVE_COUNT + 1 };

static const struct opt_spec opts[] = {
	DRAW_OPTIONS(struct play_opts, OPT_DRAW),
	[OPT_MODE] = {.name = "mode",
		      .kind = ARG_CHOICE,
		      .value_name = "M",
		      .offset = offsetof(struct play_opts, mode),
		      .choices = mode_names,
		      .help = "auto, ansi (half blocks), ascii or emoji (default auto: ansi in a "
			      "UTF-8 locale, else ascii)"},
	[OPT_COLOR_MODE] = {.name = "color-mode",
			    .kind = ARG_CHOICE,
			    .value_name = "D",
			    .offset = offsetof(struct play_opts, color_mode),
			    .choices = depth_names,
			    .help = "auto, truecolor (or 24bit), 256, 16 or none (default auto: "
				    "from COLORTERM, TERM's terminfo entry and NO_COLOR)"},
	[OPT_SIZE] = {.name = "size",
		      .kind = ARG_SIZE,
		      .flags = ARG_PAIR,
		      .value_name = "COLSxROWS",
		      .offset = offsetof(struct play_opts, size),
		      .max = TERM_SIDE_MAX,
		      .help = "draw this many cells, at most the window's size, centred in it "
			      "(not a terminal: default COLUMNS x LINES, else the terminal's "
			      "size, else 80x24)"},
	[OPT_REFRESH] = {.name = "refresh",
			 .kind = ARG_DOUBLE,
			 .value_name = "HZ",
			 .offset = offsetof(struct play_opts, refresh),
			 .min = REFRESH_MIN,
			 .max = REFRESH_MAX,
			 .help = "screen refreshes per second, 1 to 120 (default 30)"},
	[OPT_FRAMES] = {.name = "frames",
			.kind = ARG_LONG,
			.value_name = "N",
			.offset = offsetof(struct play_opts, frames),
			.min = 1,
			.max = FRAMES_MAX,
			.exclusive = EXCLUSIVE_LENGTH,
			.help = "stop after N frames"},
	[OPT_DURATION] = {.name = "duration",
			  .kind = ARG_DOUBLE,
			  .flags = ARG_ABOVE_MIN,
			  .value_name = "S",
			  .offset = offsetof(struct play_opts, duration),
			  .min = 0,
			  .max = DURATION_MAX,
			  .exclusive = EXCLUSIVE_LENGTH,
			  .help = "stop after S seconds"},
	[OPT_FORMAT] = {.name = "format",
			.kind = ARG_CHOICE,
			.value_name = "F",
			.offset = offsetof(struct play_opts, format),
			.choices = format_names,
			.help = "auto, terminal (animate with cursor control), text (plain lines) "
				"or asciicast (v2 recording, rendered at once)"},
	[OPT_RECORD] = {.name = "record",
			.kind = ARG_PATH,
			.value_name = "FILE",
			.offset = offsetof(struct play_opts, record),
			.help = "write the asciicast to FILE instead of drawing (default length: "
				"one beat)"},
};

const struct command cmd_play = {
	.name = "play",
	.summary = "the beating heart in the terminal",
	.synopsis = "heart [play] [OPTIONS]",
	.description = "Draw the heart beating in the terminal until Ctrl-C. Edges blend into the\n"
		       "terminal's background, which it asks the terminal for (else COLORFGBG,\n"
		       "else black); --background paints one instead.\n"
		       "To a pipe or a dumb terminal: one frame at rest, as plain text.\n",
	.opts = opts,
	.n_opts = sizeof(opts) / sizeof(opts[0]),
	.epilog = "Keys, while it beats in a terminal:\n"
		  "  q, Q, Esc   quit (exit status 0; Ctrl-C quits by SIGINT, 130)\n"
		  "  Space       pause or resume the beat (the heart rests while paused)\n"
		  "  +, -        beat 0.1 Hz faster or slower, within 0.1 to 10 Hz\n"
		  "Whatever else is typed is discarded.\n",
	.run = run,
};

static int parse(struct play_opts *o, int argc, char **argv)
{
	struct arg_result r;

	*o = (struct play_opts){.refresh = REFRESH_DEFAULT};
	param_values_init(&o->draw);
	int status = arg_parse(&cmd_play, argc, argv, o, &r);
	if (status != CLI_CONTINUE)
		return status;
	draw_values_finish(&o->draw, &r, OPT_DRAW);
	status = draw_values_check(&cmd_play, &o->draw, PARAM_OUT_PLAY);
	if (status != CLI_CONTINUE)
		return status;
	param_seed_apply(&o->draw);
	o->size_given = arg_given(&r, OPT_SIZE);
	if (o->record && o->format != FORMAT_AUTO)
		return cli_usage_error(&cmd_play, "--record writes an asciicast; drop --format");
	return CLI_CONTINUE;
}

/* ---- Choosing what to draw -------------------------------------------------------------- */

/* out_tty: standard output is a terminal. */
static enum format resolve_format(const struct play_opts *o, bool out_tty)
{
	if (o->record)
		return FORMAT_ASCIICAST;
	if (o->format != FORMAT_AUTO)
		return (enum format)o->format;
	/* No colours at all: an unset, empty or dumb TERM. */
	return out_tty && term_depth_from_env(getenv("TERM"), NULL, NULL) != TERM_DEPTH_NONE
		       ? FORMAT_TERMINAL
		       : FORMAT_TEXT;
}

static enum term_depth resolve_depth(const struct play_opts *o, enum format f, bool out_tty)
{
	if (o->color_mode != 0)
		return depth_values[o->color_mode];
	const char *no_color = getenv("NO_COLOR");
	if (no_color && *no_color && !param_given(&o->draw, PD_COLOR))
		return TERM_DEPTH_NONE;
	if (f == FORMAT_ASCIICAST) /* replayed elsewhere: asciinema's players do 24-bit */
		return TERM_DEPTH_TRUECOLOR;
	/* A pipe gets colour only when the command line asks for it. */
	if (!out_tty && !param_given(&o->draw, PD_COLOR))
		return TERM_DEPTH_NONE;
	const char *const term = getenv("TERM");
	struct term_caps caps = {0};
	if (term && *term)
		caps.known = terminfo_colors(term, &caps.colors, &caps.rgb);
	return term_depth_from_env(term, getenv("COLORTERM"), &caps);
}

static enum term_mode resolve_mode(const struct play_opts *o, enum format f)
{
	if (o->mode != 0)
		return mode_values[o->mode];
	if (f == FORMAT_ASCIICAST) /* asciicast is UTF-8 by definition */
		return TERM_MODE_ANSI;
	setlocale(LC_CTYPE, "");
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? TERM_MODE_ANSI : TERM_MODE_ASCII;
}

/* Where the heart is drawn: cols × rows cells whose top-left cell is at screen column `left`
 * and row `top` (from 0). */
struct area {
	uint32_t cols, rows, left, top;
};

/* A size from the environment (COLUMNS, LINES): a positive whole number, at most
 * TERM_SIDE_MAX; anything else leaves *out alone. */
static void env_side(const char *name, uint32_t *out)
{
	const char *v = getenv(name);
	if (!v || !*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 9)
		return;
	long const n = strtol(v, NULL, 10);
	if (n > 0)
		*out = n > TERM_SIDE_MAX ? TERM_SIDE_MAX : (uint32_t)n;
}

static uint32_t min_side(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/*
 * In a terminal: the window, or --size clamped to it, centred (with cursor control), capped
 * at TERM_SIDE_MAX. Not a terminal: --size as given, else COLUMNS and LINES where set, else
 * the controlling terminal's size when there is one, else 80×24.
 */
static void layout(const struct play_opts *o, enum format f, struct area *out)
{
	uint32_t cols = 80, rows = 24;
	*out = (struct area){0};
	if (tty_size(STDOUT_FILENO, &cols, &rows)) {
		uint32_t const w = o->size_given ? min_side(o->size.width, cols) : cols;
		uint32_t const h = o->size_given ? min_side(o->size.height, rows) : rows;
		out->cols = min_side(w, TERM_SIDE_MAX);
		out->rows = min_side(h, TERM_SIDE_MAX);
		if (f == FORMAT_TERMINAL) {
			out->left = (cols - out->cols) / 2;
			out->top = (rows - out->rows) / 2;
		}
		return;
	}
	if (o->size_given) {
		out->cols = o->size.width;
		out->rows = o->size.height;
		return;
	}
	if (tty_controlling_size(&cols, &rows)) {
		cols = min_side(cols, TERM_SIDE_MAX);
		rows = min_side(rows, TERM_SIDE_MAX);
	}
	env_side("COLUMNS", &cols);
	env_side("LINES", &rows);
	out->cols = cols;
	out->rows = rows;
}

/* ---- Live: the terminal, a pipe --------------------------------------------------------- */

enum live_end { LIVE_DONE, LIVE_NO_MEMORY, LIVE_WRITE_FAILED };

static int64_t deadline_of(int64_t start, long k, double refresh)
{
	return start + (int64_t)llround((double)k * 1e9 / refresh);
}

static bool resize(struct player *pl, const struct play_opts *o, enum format f)
{
	struct area a;
	layout(o, f, &a);
	return player_resize(pl, a.cols, a.rows, a.left, a.top);
}

/* React to signals between frames: suspend, resize. */
static enum live_end live_events(struct player *pl, const struct play_opts *o, struct tty *io,
				 enum format f)
{
	if (signals_take_suspend() && f == FORMAT_TERMINAL) {
		if (!tty_suspend(io))
			return LIVE_WRITE_FAILED;
		player_forget_screen(pl);
	}
	if (signals_take_resize() && !resize(pl, o, f))
		return LIVE_NO_MEMORY;
	return LIVE_DONE;
}

/* Act on the keys typed so far; returns whether one asks to quit. */
static bool live_keys(struct player *pl, struct tty *io, int64_t start)
{
	struct input_event ev;
	double const seconds = (double)(base_clock_ns() - start) / 1e9;
	while (tty_key(io, &ev))
		if (player_key(pl, seconds, &ev))
			return true;
	return false;
}

static enum live_end live_loop(struct player *pl, const struct play_opts *o, struct tty *io,
			       enum format f)
{
	/* Plain text shows the heart at rest once, unless asked for more. */
	long const limit = o->frames ? o->frames : f == FORMAT_TEXT && o->duration <= 0 ? 1 : 0;
	int64_t const start = base_clock_ns();
	long drawn = 0, k = 0;

	while (!signals_quit_signal()) {
		enum live_end const e = live_events(pl, o, io, f);
		if (e != LIVE_DONE)
			return e;
		int64_t const due = deadline_of(start, k, o->refresh);
		if (base_clock_ns() < due) {
			int64_t const key_due = tty_key_deadline(io);
			bool const typed =
				tty_wait(io->in_fd, key_due >= 0 && key_due < due ? key_due : due);
			if ((typed || key_due >= 0) && live_keys(pl, io, start))
				break;
			continue;
		}
		double const t = (double)k / o->refresh;
		if (o->duration > 0 && t >= o->duration)
			break;
		const char *bytes;
		size_t len;
		if (!player_frame(pl, f == FORMAT_TEXT, t, &bytes, &len))
			return LIVE_NO_MEMORY;
		if (bytes && base_write_all(STDOUT_FILENO, bytes, len) != 0)
			return LIVE_WRITE_FAILED;
		if (limit && ++drawn >= limit)
			break;
		/* The beat follows the clock: a late frame is skipped, not queued. */
		double const elapsed = (double)(base_clock_ns() - start) / 1e9;
		long const next = (long)floor(elapsed * o->refresh) + 1;
		k = next > k + 1 ? next : k + 1;
	}
	return LIVE_DONE;
}

/* *die_by_out: the signal the process must die by once everything is freed, or 0. */
static int play_live(struct player *pl, const struct play_opts *o, enum format f, bool out_tty,
		     int *die_by_out)
{
	struct tty io = TTY_NONE;
	int status = EXIT_OK;

	signals_defer(f == FORMAT_TERMINAL && out_tty);
	enum live_end e = LIVE_DONE;
	if (f == FORMAT_TERMINAL && !tty_enter(&io, STDOUT_FILENO))
		e = LIVE_WRITE_FAILED;
	/* Edges blend into the background the terminal says it has, if it says. */
	if (e == LIVE_DONE && !pl->style.has_background &&
	    tty_query_background(&io, &pl->style.background))
		term_style_prepare(&pl->style);
	if (e == LIVE_DONE)
		e = live_loop(pl, o, &io, f);
	int const err = errno;
	tty_leave(&io);
	signals_undefer();

	if (e == LIVE_NO_MEMORY) {
		cli_error("out of memory");
		status = EXIT_BAD;
	} else if (e == LIVE_WRITE_FAILED && err != EPIPE) {
		/* A closed pipe is the reader saying it has seen enough: not an error. */
		cli_error("cannot write to standard output: %s", strerror(err));
		status = EXIT_BAD;
	}
	/* A reader that closed the pipe has seen enough: no error, whatever SIGPIPE said. */
	*die_by_out = e == LIVE_WRITE_FAILED && err == EPIPE ? 0 : signals_quit_signal();
	return status;
}

/* ---- asciicast -------------------------------------------------------------------------- */

static long cast_frames(const struct play_opts *o)
{
	if (o->frames)
		return o->frames;
	if (o->duration > 0)
		return (long)ceil(o->duration * o->refresh - 1e-9);
	/* One whole beat, which loops seamlessly in a player set to loop. */
	return (long)ceil(o->refresh / param_values_hz(&o->draw) - 1e-9);
}

static int play_cast(struct player *pl, const struct play_opts *o)
{
	const char *path = o->record ? o->record : "-";
	struct fio_out_opts const out_opts = {.dash = true};
	struct fio_batch *batch = NULL;
	struct fio_out *out;
	FILE *fp = NULL;
	long const n = cast_frames(o);
	int status = EXIT_BAD;

	if (!fio_batch_create(&batch)) {
		cli_error("out of memory");
		return EXIT_BAD;
	}
	if (!fio_batch_output(batch, path, &out_opts, &out)) {
		status = cli_file_error(fio_batch_error(batch), NULL);
		goto out;
	}
	if (!(fp = fio_out_stream(out))) {
		cli_error("out of memory");
		goto out;
	}
	cast_header(fp, pl->cols, pl->rows);
	cast_event(fp, 0, "\x1b[?25l", strlen("\x1b[?25l"));
	for (long k = 0; k < n; k++) {
		/* Scheduled times, not the wall clock: the same options give the same file. */
		double const t = (double)k / o->refresh;
		const char *bytes;
		size_t len;
		if (!player_frame(pl, false, t, &bytes, &len)) {
			cli_error("out of memory");
			goto out;
		}
		if (bytes)
			cast_event(fp, t, bytes, len);
	}
	/* Give the player's terminal back: cursor shown, below the heart. */
	char tail[64];
	int const tail_len =
		snprintf(tail, sizeof(tail), "\x1b[0m\x1b[?25h\x1b[%u;1H\r\n", pl->rows);
	cast_event(fp, (double)n / o->refresh, tail, (size_t)tail_len);
	status = cli_commit(batch);
out:
	fio_batch_destroy(batch);
	return status;
}

/* ---- The command ------------------------------------------------------------------------ */

static int run(int argc, char **argv)
{
	struct play_opts o;
	struct player pl;
	int die_by = 0;
	int status = parse(&o, argc, argv);
	if (status != CLI_CONTINUE)
		return status;

	bool const out_tty = isatty(STDOUT_FILENO);
	enum format const f = resolve_format(&o, out_tty);
	struct term_style style = {
		.mode = resolve_mode(&o, f),
		.depth = resolve_depth(&o, f, out_tty),
		.color = o.draw.color.rgb,
		.has_background =
			param_given(&o.draw, PD_BACKGROUND) && !o.draw.background.transparent,
		.background = o.draw.background.rgb,
	};
	/* Not painted: edges blend into the terminal's own background. In a terminal,
	 * play_live() asks it; until then (and to a pipe) COLORFGBG tells, else black. A
	 * recording is replayed elsewhere, on players that are dark by default: black, and the
	 * same options give the same file. */
	if (!style.has_background &&
	    (f == FORMAT_ASCIICAST ||
	     !term_background_from_colorfgbg(getenv("COLORFGBG"), &style.background)))
		style.background = (struct heart_rgb){0, 0, 0};
	term_style_prepare(&style);

	bool const ready =
		player_init(&pl, &style, &o.draw.shape, o.draw.amplitude, param_values_hz(&o.draw));
	pl.beat.phase0 = o.draw.start; /* a seed's heart starts where its beat does */
	if (!ready || !resize(&pl, &o, f)) {
		cli_error("out of memory");
		status = EXIT_BAD;
		goto out;
	}
	status = f == FORMAT_ASCIICAST ? play_cast(&pl, &o)
				       : play_live(&pl, &o, f, out_tty, &die_by);
out:
	player_finish(&pl);
	if (die_by) {
		/* Interrupted: die by the same signal, so that a calling shell or script stops
		 * too (bash's loops do on SIGINT); exit(128 + N) only if that fails. */
		fflush(NULL);
		signals_die(die_by);
		status = 128 + die_by;
	}
	return status;
}
