#pragma once

/*
 * The heart as a grid of terminal cells, and the bytes that draw it. Pure code: nothing here
 * touches a terminal; cli/ decides the mode and depth and does the I/O (cli/tty.h).
 *
 * Threads: no global state (the emoji and palette tables are constant). Frames, styles and
 * pools belong to their caller: threads may render and encode at once, each with its own
 * pool, frames and style; one frame or pool must not be used by two threads at once.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render/model.h"
#include "render/raster.h"

enum term_mode {
	TERM_MODE_ANSI,  /* half blocks: two square pixels per cell, colour from exact coverage */
	TERM_MODE_ASCII, /* 7-bit density ramp, one pixel per cell */
	TERM_MODE_EMOJI, /* one heart emoji per two columns where coverage passes one half */
};

enum term_depth {
	TERM_DEPTH_NONE, /* no colour codes at all */
	TERM_DEPTH_16,
	TERM_DEPTH_256,
	TERM_DEPTH_TRUECOLOR,
};

/* Frames are 1 to TERM_SIDE_MAX cells on each side; smaller than TERM_MIN_* shows a message. */
#define TERM_SIDE_MAX 1000
#define TERM_MIN_COLS 10
#define TERM_MIN_ROWS 5

/* A cell colour: the terminal's own, or 0xRRGGBB (truecolor) or a palette index (16, 256). */
#define TERM_COLOR_DEFAULT UINT32_MAX

/* Glyphs: 0x20..0x7e are that ASCII character; the rest are the values below. */
enum term_glyph {
	TERM_GLYPH_UPPER = 0x80, /* ▀ */
	TERM_GLYPH_LOWER,        /* ▄ */
	TERM_GLYPH_FULL,         /* █ */
	TERM_GLYPH_WIDE_TAIL,    /* right half of the emoji to its left: nothing is written */
	TERM_GLYPH_EMOJI,        /* first heart emoji; the others follow */
};

struct term_cell {
	uint32_t fg, bg;
	uint16_t glyph;
};

/* cols × rows cells, row-major, drawn with the top-left cell at screen column `left` and row
 * `top` (cells, from 0; term_frame_alloc sets 0, the caller may move it). The cells belong to
 * the pool term_frame_alloc took them from. */
struct term_frame {
	uint32_t cols, rows;
	uint32_t left, top;
	enum term_depth depth;
	struct term_cell *cells;
};

struct term_style {
	enum term_mode mode;
	enum term_depth depth;
	struct heart_rgb color;
	bool has_background; /* paint the background; otherwise leave the terminal's own */
	/* The painted background, or else the terminal's own as far as the caller knows
	 * (asked of the terminal, or assumed): what partly covered pixels blend into, in every
	 * depth. In 16 and 256 colours an edge pixel is the background below half coverage, the
	 * heart's colour from half up, or a palette colour lying on the blend between them and
	 * no darker and no lighter than both: no halo on any background, no pixel outside the
	 * shape in the heart's colour. */
	struct heart_rgb background;
	/* Set by term_style_prepare(), not by hand: the edge colours for 16 and 256 colours. */
	bool prepared;
	uint32_t edges[256];
};

/*
 * Work out, once, what every frame drawn in style st needs (the edge colours of 16 and 256
 * colours: about 0.1 ms). Call it after setting or changing the other fields; without it
 * term_frame_render() works them out for every frame.
 */
void term_style_prepare(struct term_style *st);

/*
 * Give f storage for cols × rows cells from `slot` of `pool` (valid until that slot is asked
 * again or the pool is destroyed). Returns false when a side is 0 or over TERM_SIDE_MAX or
 * when out of memory; f is then an empty frame.
 */
bool term_frame_alloc(struct term_frame *f, struct heart_pool *pool, enum heart_pool_slot slot,
		      uint32_t cols, uint32_t rows);

/*
 * Draw the heart, laid out to fit with room for max_scale (>= 1) and drawn at `scale`, into
 * every cell of f in style st. The raster and pool's HEART_POOL_SCRATCH slot do the work; the
 * raster must come from the same pool. Returns false when out of memory.
 */
bool term_frame_render(struct term_frame *f, const struct term_style *st,
		       const struct heart_shape *shape, double max_scale, double scale,
		       struct heart_raster *r, struct heart_pool *pool);

/* Blank f and centre the ASCII text (cut to the width) on its middle row, in default colours. */
void term_frame_message(struct term_frame *f, const char *text);

/* Write the ASCII text (cut to the width) centred on row `row` (< f->rows) over f's cells, in
 * default colours; an emoji the text cuts in half is blanked. */
void term_frame_label(struct term_frame *f, uint32_t row, const char *text);

/*
 * The bytes that turn a screen showing `prev` into one showing `cur`: synchronized-output
 * begin (CSI ?2026h), each cell that differs from prev reached by an absolute cursor move
 * (CSI row;col H, offset by the frame's left and top) unless the cursor is already there, an
 * SGR code only where the colour changes, CSI 0m at the end if colours are set, and
 * synchronized-output end (CSI ?2026l). A full redraw (prev NULL, or differing in size,
 * position or depth, or damage false) first clears the whole screen (CSI 2J), which also
 * blanks what lies outside the frame, and then sends every cell that is not blank in default
 * colours. Assumes default colours on entry and leaves them so. The bytes live in the pool's
 * HEART_POOL_OUTPUT slot until it is asked again. Returns false when out of memory.
 */
bool term_frame_encode(const struct term_frame *prev, const struct term_frame *cur, bool damage,
		       struct heart_pool *pool, const char **bytes_out, size_t *len_out);

/* The encoding of a frame with no changed cell: what term_frame_encode emits for it. */
#define TERM_SYNC_BEGIN "\x1b[?2026h"
#define TERM_SYNC_END "\x1b[?2026l"

/*
 * cur as plain lines for a pipe or a dumb terminal: no cursor movement, each row's trailing
 * blanks dropped, then `eol`; SGR colour codes (reset before each eol) only when cur's depth
 * is not NONE. Bytes in HEART_POOL_OUTPUT as for term_frame_encode(). eol is at most 4 bytes.
 */
bool term_frame_encode_lines(const struct term_frame *cur, const char *eol, struct heart_pool *pool,
			     const char **bytes_out, size_t *len_out);

/* What a terminal's terminfo entry says about colour (cli/ reads the database). */
struct term_caps {
	bool known; /* there is an entry for TERM */
	int colors; /* its max_colors; -1 when it has none (a monochrome terminal) */
	bool rgb;   /* it declares 24-bit colour: the RGB or Tc capability */
};

/*
 * Colour depth from the environment: TERM unset, empty or "dumb" -> NONE; COLORTERM
 * "truecolor" or "24bit" -> TRUECOLOR; otherwise the terminfo entry decides: RGB, Tc or 2^24
 * colours -> TRUECOLOR, 256 or more -> 256, 8 or more -> 16, fewer or none -> NONE; no entry
 * (caps NULL or not known) -> 16, what nearly every terminal draws. NULL means unset.
 * (NO_COLOR is the caller's business.)
 */
enum term_depth term_depth_from_env(const char *term, const char *colorterm,
				    const struct term_caps *caps);

/*
 * The background colour a COLORFGBG value (set by rxvt, Konsole and others: "fg;bg", or
 * "fg;default;bg", in 16-colour indices) names, in xterm's palette (7 and 15 are light).
 * Returns false, *out untouched, when value is NULL or its last field is not 0 to 15.
 */
bool term_background_from_colorfgbg(const char *value, struct heart_rgb *out);
