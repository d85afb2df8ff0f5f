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

#include "cast.h"
#include "cli.h"
#include "draw.h"
#include "output.h"
#include "render/model.h"
#include "render/raster.h"
#include "render/term.h"
#include "tty.h"

#define REFRESH_DEFAULT 30
#define REFRESH_MIN 1
#define REFRESH_MAX 120
#define FRAMES_MAX 100000000L
#define DURATION_MAX 1000000.0
#define TOO_SMALL "too small"

enum format { FORMAT_AUTO, FORMAT_TERMINAL, FORMAT_TEXT, FORMAT_ASCIICAST };

struct play_opts {
	struct draw_opts draw;
	int mode;       /* enum term_mode, or -1 for auto */
	int color_mode; /* enum term_depth, or -1 for auto */
	bool size_given;
	uint32_t cols, rows;
	double refresh;
	long frames;     /* 0: no limit */
	double duration; /* seconds; 0: no limit */
	const char *record;
	enum format format;
};

/* The running animation: what to draw, where, and the buffers to draw with. */
struct player {
	const struct play_opts *o;
	struct term_style style;
	struct heart_pool *pool;
	struct heart_raster *raster;
	struct term_frame cur, prev;
	bool prev_valid;
	double prev_scale; /* the heart's scale in prev */
	uint32_t cols, rows;
};

static int run(int argc, char **argv);

const struct command cmd_play = {
	.name = "play",
	.summary = "the beating heart in the terminal",
	.usage = "Usage: heart [play] [OPTIONS]\n"
		 "Draw the heart beating in the terminal until Ctrl-C (exit status 0).\n"
		 "To a pipe or a dumb terminal: one frame at rest, as plain text.\n\n" DRAW_USAGE
		 "  --mode M           auto, ansi (half blocks), ascii or emoji (default auto:\n"
		 "                     ansi in a UTF-8 locale, else ascii)\n"
		 "  --color-mode D     auto, truecolor, 256, 16 or none (default auto: from\n"
		 "                     COLORTERM, TERM and NO_COLOR)\n"
		 "  --size COLSxROWS   draw this many cells instead of the window's size\n"
		 "  --refresh HZ       screen refreshes per second, 1 to 120 (default 30)\n"
		 "  --frames N         stop after N frames\n"
		 "  --duration S       stop after S seconds\n"
		 "  --format F         auto, terminal (animate with cursor control), text (plain\n"
		 "                     lines) or asciicast (v2 recording, rendered at once)\n"
		 "  --record FILE      write the asciicast to FILE instead of drawing (default\n"
		 "                     length: one beat)\n",
	.run = run,
};

enum {
	OPT_MODE = DRAW_OPT_COUNT,
	OPT_COLOR_MODE,
	OPT_SIZE,
	OPT_REFRESH,
	OPT_FRAMES,
	OPT_DURATION,
	OPT_FORMAT,
	OPT_RECORD,
};

static const struct arg_opt opts[] = {
	DRAW_ARG_OPTS,         {"mode", 0, true},   {"color-mode", 0, true},
	{"size", 0, true},     {"refresh", 0, true}, {"frames", 0, true},
	{"duration", 0, true}, {"format", 0, true}, {"record", 0, true},
};

/* Index of value in the NULL-terminated names, or -1 after reporting it. */
static int pick(const char *opt, const char *value, const char *const *names,
		const char *expected)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(value, names[i]) == 0)
			return i;
	cli_error("%s: '%s' is not one of %s", opt, quote(value).s, expected);
	return -1;
}

/* One side of COLSxROWS: 1 to TERM_SIDE_MAX, digits only. */
static bool parse_side(const char *s, size_t len, uint32_t *out)
{
	uint32_t v = 0;
	if (len == 0 || len > 4)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	*out = v;
	return v >= 1 && v <= TERM_SIDE_MAX;
}

static bool parse_size(const char *value, uint32_t *cols_out, uint32_t *rows_out)
{
	const char *x = strchr(value, 'x');
	if (x && parse_side(value, (size_t)(x - value), cols_out) &&
	    parse_side(x + 1, strlen(x + 1), rows_out))
		return true;
	cli_error("--size: '%s' is not COLSxROWS with sides from 1 to %d", quote(value).s,
		  TERM_SIDE_MAX);
	return false;
}

static bool apply(struct play_opts *o, int id, const char *value)
{
	static const char *const modes[] = {"ansi", "ascii", "emoji", "auto", NULL};
	static const char *const depths[] = {"none", "16", "256", "truecolor", "auto", NULL};
	static const char *const formats[] = {"auto", "terminal", "text", "asciicast", NULL};
	double v;

	switch (id) {
	case OPT_MODE: {
		int const m = pick("--mode", value, modes, "auto, ansi, ascii, emoji");
		o->mode = m == 3 ? -1 : m;
		return m >= 0;
	}
	case OPT_COLOR_MODE: {
		int const d = pick("--color-mode", value, depths, "auto, truecolor, 256, 16, none");
		o->color_mode = d == 4 ? -1 : d;
		return d >= 0;
	}
	case OPT_SIZE:
		o->size_given = true;
		return parse_size(value, &o->cols, &o->rows);
	case OPT_REFRESH:
		return arg_double("--refresh", value, REFRESH_MIN, REFRESH_MAX, &o->refresh);
	case OPT_FRAMES:
		return arg_long("--frames", value, 1, FRAMES_MAX, &o->frames);
	case OPT_DURATION:
		if (!arg_double("--duration", value, 0, DURATION_MAX, &v))
			return false;
		if (v <= 0) {
			cli_error("--duration: '%s' is not a number of seconds above 0",
				  quote(value).s);
			return false;
		}
		o->duration = v;
		return true;
	case OPT_FORMAT: {
		int const f = pick("--format", value, formats, "auto, terminal, text, asciicast");
		o->format = f < 0 ? FORMAT_AUTO : (enum format)f;
		return f >= 0;
	}
	case OPT_RECORD:
		if (!*value) {
			cli_error("--record: expected a file name");
			return false;
		}
		o->record = value;
		return true;
	default:
		return draw_opts_apply(&o->draw, id, value);
	}
}

static int parse(struct play_opts *o, int argc, char **argv)
{
	struct arg_parser p;
	const char *value;
	int id;

	*o = (struct play_opts){.mode = -1, .color_mode = -1, .refresh = REFRESH_DEFAULT};
	draw_opts_init(&o->draw);
	arg_init(&p, &cmd_play, argc, argv, opts, sizeof(opts) / sizeof(opts[0]));
	while ((id = arg_next(&p, &value)) != ARG_DONE) {
		if (id == ARG_STOP)
			return p.status;
		if (id == ARG_OPERAND)
			return cli_usage_error("play: unexpected argument '%s'", quote(value).s);
		if (!apply(o, id, value))
			return EXIT_BAD;
	}
	if (!draw_opts_finish(&o->draw, &p))
		return EXIT_BAD;
	if (o->frames && o->duration > 0)
		return cli_usage_error("play: --frames and --duration both set the length; give one");
	if (o->record && o->format != FORMAT_AUTO)
		return cli_usage_error("play: --record writes an asciicast; drop --format");
	return CLI_CONTINUE;
}

/* ---- Choosing what to draw -------------------------------------------------------------- */

static bool is_dumb(void)
{
	const char *term = getenv("TERM");
	return !term || !*term || strcmp(term, "dumb") == 0;
}

static enum format resolve_format(const struct play_opts *o)
{
	if (o->record)
		return FORMAT_ASCIICAST;
	if (o->format != FORMAT_AUTO)
		return o->format;
	return isatty(STDOUT_FILENO) && !is_dumb() ? FORMAT_TERMINAL : FORMAT_TEXT;
}

static enum term_depth resolve_depth(const struct play_opts *o, enum format f)
{
	if (o->color_mode >= 0)
		return (enum term_depth)o->color_mode;
	const char *no_color = getenv("NO_COLOR");
	if (no_color && *no_color && !o->draw.color_given)
		return TERM_DEPTH_NONE;
	if (f == FORMAT_ASCIICAST) /* replayed elsewhere: asciinema's players do 24-bit */
		return TERM_DEPTH_TRUECOLOR;
	/* A pipe gets colour only when the command line asks for it. */
	if (!isatty(STDOUT_FILENO) && !o->draw.color_given)
		return TERM_DEPTH_NONE;
	return term_depth_from_env(getenv("TERM"), getenv("COLORTERM"));
}

static enum term_mode resolve_mode(const struct play_opts *o, enum format f)
{
	if (o->mode >= 0)
		return (enum term_mode)o->mode;
	if (f == FORMAT_ASCIICAST) /* asciicast is UTF-8 by definition */
		return TERM_MODE_ANSI;
	setlocale(LC_CTYPE, "");
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? TERM_MODE_ANSI : TERM_MODE_ASCII;
}

static void window_size(const struct play_opts *o, uint32_t *cols_out, uint32_t *rows_out)
{
	*cols_out = 80;
	*rows_out = 24;
	if (o->size_given) {
		*cols_out = o->cols;
		*rows_out = o->rows;
	} else if (tty_size(STDOUT_FILENO, cols_out, rows_out)) {
		/* A huge window gets a heart in its top-left TERM_SIDE_MAX cells. */
		*cols_out = *cols_out > TERM_SIDE_MAX ? TERM_SIDE_MAX : *cols_out;
		*rows_out = *rows_out > TERM_SIDE_MAX ? TERM_SIDE_MAX : *rows_out;
	}
}

/* ---- Drawing ---------------------------------------------------------------------------- */

static bool player_resize(struct player *pl, uint32_t cols, uint32_t rows)
{
	pl->cols = cols;
	pl->rows = rows;
	pl->prev_valid = false;
	return term_frame_alloc(&pl->cur, pl->pool, HEART_POOL_FRAME, cols, rows) &&
	       term_frame_alloc(&pl->prev, pl->pool, HEART_POOL_FRAME_PREV, cols, rows);
}

/* Render the heart at `scale` into pl->cur. */
static bool player_render(struct player *pl, double scale)
{
	const struct draw_opts *d = &pl->o->draw;
	if (pl->cols < TERM_MIN_COLS || pl->rows < TERM_MIN_ROWS) {
		pl->cur.depth = pl->style.depth;
		term_frame_message(&pl->cur, TOO_SMALL);
		return true;
	}
	return term_frame_render(&pl->cur, &pl->style, &d->shape, 1 + d->amplitude, scale,
				 pl->raster, pl->pool);
}

/* After encoding: the frame just drawn becomes the one to compare against. */
static void player_swap(struct player *pl)
{
	struct term_frame const t = pl->prev;
	pl->prev = pl->cur;
	pl->cur = t;
	pl->prev_valid = true;
}

/* Render and encode the frame at `seconds`; *bytes_out is NULL when nothing changed. */
static bool player_frame(struct player *pl, enum format f, double seconds,
			 const char **bytes_out, size_t *len_out)
{
	const struct draw_opts *d = &pl->o->draw;
	double const scale = heart_beat_scale(d->hz, d->amplitude, seconds);
	/* Between beats the heart rests for most of each period: nothing to render or send. */
	if (f != FORMAT_TEXT && pl->prev_valid && scale == pl->prev_scale) {
		*bytes_out = NULL;
		*len_out = 0;
		return true;
	}
	pl->prev_scale = scale;
	if (!player_render(pl, scale))
		return false;
	bool const ok = f == FORMAT_TEXT
				? term_frame_encode_lines(&pl->cur, "\n", pl->pool, bytes_out, len_out)
				: term_frame_encode(pl->prev_valid ? &pl->prev : NULL, &pl->cur, true,
						    pl->pool, bytes_out, len_out);
	if (ok && f != FORMAT_TEXT && *len_out == strlen(TERM_SYNC_BEGIN TERM_SYNC_END))
		*bytes_out = NULL;
	player_swap(pl);
	return ok;
}

/* ---- Live: the terminal, a pipe --------------------------------------------------------- */

enum live_end { LIVE_DONE, LIVE_NO_MEMORY, LIVE_WRITE_FAILED };

static int64_t deadline_of(int64_t start, long k, double refresh)
{
	return start + (int64_t)llround((double)k * 1e9 / refresh);
}

/* React to signals between frames: suspend, resize. */
static enum live_end live_events(struct player *pl, struct tty *io, enum format f)
{
	if (tty_take_suspend() && f == FORMAT_TERMINAL) {
		if (!tty_suspend(io))
			return LIVE_WRITE_FAILED;
		pl->prev_valid = false;
	}
	if (tty_take_resize()) {
		uint32_t cols, rows;
		window_size(pl->o, &cols, &rows);
		if (!player_resize(pl, cols, rows))
			return LIVE_NO_MEMORY;
	}
	return LIVE_DONE;
}

static enum live_end live_loop(struct player *pl, struct tty *io, enum format f)
{
	const struct play_opts *o = pl->o;
	/* Plain text shows the heart at rest once, unless asked for more. */
	long const limit = o->frames ? o->frames : f == FORMAT_TEXT && o->duration <= 0 ? 1 : 0;
	int64_t const start = tty_now();
	long drawn = 0;

	for (long k = 0; !tty_quit_signal();) {
		enum live_end const e = live_events(pl, io, f);
		if (e != LIVE_DONE)
			return e;
		double const t = (double)k / o->refresh;
		if (o->duration > 0 && t >= o->duration)
			break;
		const char *bytes;
		size_t len;
		if (!player_frame(pl, f, t, &bytes, &len))
			return LIVE_NO_MEMORY;
		if (bytes && !tty_write(STDOUT_FILENO, bytes, len))
			return LIVE_WRITE_FAILED;
		if (limit && ++drawn >= limit)
			break;
		/* The beat follows the clock: a late frame is skipped, not queued. */
		double const elapsed = (double)(tty_now() - start) / 1e9;
		long const due = (long)floor(elapsed * o->refresh) + 1;
		k = due > k + 1 ? due : k + 1;
		tty_sleep_until(deadline_of(start, k, o->refresh));
	}
	return LIVE_DONE;
}

static int play_live(struct player *pl, enum format f)
{
	struct tty io = {0};
	int status = EXIT_OK;

	if (!tty_signals_install(f == FORMAT_TERMINAL && isatty(STDOUT_FILENO))) {
		cli_error("cannot install signal handlers: %s", strerror(errno));
		return EXIT_BAD;
	}
	enum live_end e = LIVE_DONE;
	if (f == FORMAT_TERMINAL && !tty_enter(&io, STDOUT_FILENO))
		e = LIVE_WRITE_FAILED;
	if (e == LIVE_DONE)
		e = live_loop(pl, &io, f);
	int const err = errno;
	tty_leave(&io);
	tty_signals_restore();

	if (e == LIVE_NO_MEMORY) {
		cli_error("out of memory");
		status = EXIT_BAD;
	} else if (e == LIVE_WRITE_FAILED && err != EPIPE) {
		/* A closed pipe is the reader saying it has seen enough: not an error. */
		cli_error("cannot write to standard output: %s", strerror(err));
		status = EXIT_BAD;
	}
	int const sig = tty_quit_signal();
	/* Ctrl-C is how the user says "stop": success. Other signals: 128 + N, as shells do. */
	if (sig && sig != SIGINT && status == EXIT_OK)
		status = 128 + sig;
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
	return (long)ceil(o->refresh / o->draw.hz - 1e-9);
}

static int play_cast(struct player *pl)
{
	const struct play_opts *o = pl->o;
	const char *path = o->record ? o->record : "-";
	struct out_file out;
	long const n = cast_frames(o);

	if (!out_open(&out, path, 0666))
		return EXIT_BAD;
	cast_header(out.fp, pl->cols, pl->rows);
	cast_event(out.fp, 0, "\x1b[?25l", strlen("\x1b[?25l"));
	for (long k = 0; k < n; k++) {
		/* Scheduled times, not the wall clock: the same options give the same file. */
		double const t = (double)k / o->refresh;
		const char *bytes;
		size_t len;
		if (!player_frame(pl, FORMAT_ASCIICAST, t, &bytes, &len)) {
			cli_error("out of memory");
			out_abort(&out);
			return EXIT_BAD;
		}
		if (bytes)
			cast_event(out.fp, t, bytes, len);
	}
	/* Give the player's terminal back: cursor shown, below the heart. */
	char tail[64];
	int const tail_len = snprintf(tail, sizeof(tail), "\x1b[0m\x1b[?25h\x1b[%u;1H\r\n",
				      pl->rows);
	cast_event(out.fp, (double)n / o->refresh, tail, (size_t)tail_len);
	return out_commit(&out) ? EXIT_OK : EXIT_BAD;
}

/* ---- The command ------------------------------------------------------------------------ */

static int run(int argc, char **argv)
{
	struct play_opts o;
	struct player pl = {.o = &o};
	int status = parse(&o, argc, argv);
	if (status != CLI_CONTINUE)
		return status;

	enum format const f = resolve_format(&o);
	pl.style = (struct term_style){
		.mode = resolve_mode(&o, f),
		.depth = resolve_depth(&o, f),
		.color = o.draw.color,
		.has_background = o.draw.background_given && !o.draw.transparent,
		.background = o.draw.background,
	};
	uint32_t cols, rows;
	window_size(&o, &cols, &rows);

	pl.pool = heart_pool_create();
	pl.raster = pl.pool ? heart_raster_create(pl.pool) : NULL;
	if (!pl.raster || !player_resize(&pl, cols, rows)) {
		cli_error("out of memory");
		status = EXIT_BAD;
		goto out;
	}
	status = f == FORMAT_ASCIICAST ? play_cast(&pl) : play_live(&pl, f);
out:
	heart_raster_destroy(pl.raster);
	heart_pool_destroy(pl.pool);
	return status;
}
