/* Cells from coverage: frames, the three modes, messages and labels, and what the
 * environment says about the terminal. Colours: term_color.c; bytes: term_encode.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/term.h"
#include "term_internal.h"

/* Layout margin: a little air around the heart at the peak of its beat. */
#define MARGIN 0.04

/* Coverage below this counts as outside: the rasterizer's float noise is far smaller. */
#define EMPTY_COVERAGE (1.0f / 512)

/* ---- Frames ----------------------------------------------------------------------------- */

bool term_frame_alloc(struct term_frame *f, struct heart_pool *pool, enum heart_pool_slot slot,
		      uint32_t cols, uint32_t rows)
{
	*f = (struct term_frame){0};
	if (cols == 0 || rows == 0 || cols > TERM_SIDE_MAX || rows > TERM_SIDE_MAX)
		return false;
	struct term_cell *cells =
		heart_pool_get(pool, slot, (size_t)cols * rows * sizeof(struct term_cell));
	if (!cells)
		return false;
	*f = (struct term_frame){.cols = cols, .rows = rows, .cells = cells};
	return true;
}

/* Raster width and height (pixels) and pixel aspect (height / width) `mode` uses. */
static void raster_geometry(enum term_mode mode, uint32_t cols, uint32_t rows, uint32_t *w_out,
			    uint32_t *h_out, double *pixel_aspect_out)
{
	switch (mode) {
	case TERM_MODE_ASCII: /* a cell is about twice as tall as it is wide */
		*w_out = cols;
		*h_out = rows;
		*pixel_aspect_out = 2;
		break;
	case TERM_MODE_EMOJI: /* two columns by one row: a square */
		*w_out = cols / 2;
		*h_out = rows;
		*pixel_aspect_out = 1;
		break;
	default: /* half blocks: two square pixels per cell */
		*w_out = cols;
		*h_out = rows * 2;
		*pixel_aspect_out = 1;
		break;
	}
}

const struct term_cell term_cell_blank = {TERM_COLOR_DEFAULT, TERM_COLOR_DEFAULT, ' '};

/* The colour of a half-block pixel with coverage c, or TERM_COLOR_DEFAULT for the terminal's
 * own background: the exact blend in 24-bit colour, else from lut (term_edge_colors). */
static uint32_t pixel_color(const struct term_style *st, const uint32_t *lut, float c)
{
	if (c < EMPTY_COVERAGE && !st->has_background)
		return TERM_COLOR_DEFAULT;
	if (lut)
		return lut[lrintf(c * 255)];
	return term_color_quantize(heart_rgb_mix(st->background, st->color, c), st->depth);
}

static struct term_cell half_block_cell(const struct term_style *st, const uint32_t *lut, float top,
					float bottom)
{
	if (st->depth == TERM_DEPTH_NONE) {
		/* Without colour only the glyph shows coverage: each half is on or off. */
		static const uint16_t glyphs[4] = {' ', TERM_GLYPH_LOWER, TERM_GLYPH_UPPER,
						   TERM_GLYPH_FULL};
		struct term_cell cell = term_cell_blank;
		cell.glyph = glyphs[(top >= 0.5f) * 2 + (bottom >= 0.5f)];
		return cell;
	}
	uint32_t const t = pixel_color(st, lut, top), b = pixel_color(st, lut, bottom);
	if (t == b)
		return t == TERM_COLOR_DEFAULT
			       ? term_cell_blank
			       : (struct term_cell){t, TERM_COLOR_DEFAULT, TERM_GLYPH_FULL};
	if (t == TERM_COLOR_DEFAULT)
		return (struct term_cell){b, TERM_COLOR_DEFAULT, TERM_GLYPH_LOWER};
	return (struct term_cell){t, b, TERM_GLYPH_UPPER};
}

static uint32_t background_of(const struct term_style *st)
{
	return st->has_background ? term_color_quantize(st->background, st->depth)
				  : TERM_COLOR_DEFAULT;
}

static struct term_cell ascii_cell(const struct term_style *st, float c)
{
	/* Ten steps of ink density; the lightest is a blank. */
	static const char ramp[] = " .:-=+*#%@";
	long const level = lrintf(c * (float)(sizeof(ramp) - 2));
	struct term_cell cell = {TERM_COLOR_DEFAULT, background_of(st), ' '};
	if (level > 0) {
		cell.glyph = (uint16_t)ramp[level];
		cell.fg = term_color_quantize(st->color, st->depth);
	}
	return cell;
}

void term_style_prepare(struct term_style *st)
{
	if (st->depth == TERM_DEPTH_256 || st->depth == TERM_DEPTH_16)
		term_edge_colors(st, st->edges);
	st->prepared = true;
}

static void render_half_blocks(struct term_frame *f, const struct term_style *st,
			       struct heart_raster *r, float *top_copy)
{
	uint32_t lut[256];
	const uint32_t *edges = NULL;
	if (st->depth == TERM_DEPTH_256 || st->depth == TERM_DEPTH_16) {
		edges = st->edges;
		if (!st->prepared) {
			term_edge_colors(st, lut);
			edges = lut;
		}
	}
	for (uint32_t y = 0; y < f->rows; y++) {
		memcpy(top_copy, heart_raster_row_float(r), f->cols * sizeof(float));
		const float *bottom = heart_raster_row_float(r);
		struct term_cell *row = f->cells + (size_t)y * f->cols;
		for (uint32_t x = 0; x < f->cols; x++)
			row[x] = half_block_cell(st, edges, top_copy[x], bottom[x]);
	}
}

static void render_ascii(struct term_frame *f, const struct term_style *st, struct heart_raster *r)
{
	for (uint32_t y = 0; y < f->rows; y++) {
		const float *cov = heart_raster_row_float(r);
		struct term_cell *row = f->cells + (size_t)y * f->cols;
		for (uint32_t x = 0; x < f->cols; x++)
			row[x] = ascii_cell(st, cov[x]);
	}
}

static void render_emoji(struct term_frame *f, const struct term_style *st, struct heart_raster *r)
{
	uint16_t const heart = (uint16_t)(TERM_GLYPH_EMOJI + term_emoji_nearest(st->color));
	struct term_cell const empty = {TERM_COLOR_DEFAULT, background_of(st), ' '};
	for (uint32_t y = 0; y < f->rows; y++) {
		const float *cov = heart_raster_row_float(r);
		struct term_cell *row = f->cells + (size_t)y * f->cols;
		for (uint32_t x = 0; x < f->cols; x++)
			row[x] = empty;
		for (uint32_t x = 0; x + 1 < f->cols; x += 2) {
			if (cov[x / 2] >= 0.5f) {
				row[x].glyph = heart;
				row[x + 1].glyph = TERM_GLYPH_WIDE_TAIL;
			}
		}
	}
}

bool term_frame_render(struct term_frame *f, const struct term_style *st,
		       const struct heart_shape *shape, double max_scale, double scale,
		       struct heart_raster *r, struct heart_pool *pool)
{
	uint32_t w, h;
	double aspect;
	struct heart_transform base, t;
	struct heart_path path;

	f->depth = st->depth;
	raster_geometry(st->mode, f->cols, f->rows, &w, &h, &aspect);
	heart_layout(shape, w, h, aspect, MARGIN, max_scale, &base);
	heart_transform_scale(&base, scale, &t);
	heart_path_build(shape, &t, &path);
	if (w == 0 || h == 0) {
		term_frame_message(f, "");
		return true;
	}
	if (!heart_raster_begin(r, &path, w, h))
		return false;
	if (st->mode == TERM_MODE_ASCII) {
		render_ascii(f, st, r);
	} else if (st->mode == TERM_MODE_EMOJI) {
		render_emoji(f, st, r);
	} else {
		float *top = heart_pool_get(pool, HEART_POOL_SCRATCH, w * sizeof(float));
		if (!top)
			return false;
		render_half_blocks(f, st, r, top);
	}
	return true;
}

void term_frame_message(struct term_frame *f, const char *text)
{
	size_t const n = (size_t)f->cols * f->rows;
	for (size_t i = 0; i < n; i++)
		f->cells[i] = term_cell_blank;
	term_frame_label(f, f->rows / 2, text);
}

void term_frame_label(struct term_frame *f, uint32_t row, const char *text)
{
	size_t len = strlen(text);
	if (len > f->cols)
		len = f->cols;
	size_t const x0 = (f->cols - len) / 2;
	struct term_cell *cells = f->cells + (size_t)row * f->cols;
	for (size_t i = 0; i < len; i++) {
		unsigned char const c = (unsigned char)text[i];
		cells[x0 + i] = term_cell_blank;
		cells[x0 + i].glyph = c >= 0x20 && c < 0x7f ? c : '?';
	}
	/* Half an emoji left on either side would show a broken glyph. */
	if (len > 0 && x0 > 0 && cells[x0 - 1].glyph >= TERM_GLYPH_EMOJI)
		cells[x0 - 1].glyph = ' ';
	if (len > 0 && x0 + len < f->cols && cells[x0 + len].glyph == TERM_GLYPH_WIDE_TAIL)
		cells[x0 + len].glyph = ' ';
}

/* ---- Capabilities ----------------------------------------------------------------------- */

enum term_depth term_depth_from_env(const char *term, const char *colorterm,
				    const struct term_caps *caps)
{
	if (!term || !*term || strcmp(term, "dumb") == 0)
		return TERM_DEPTH_NONE;
	if (colorterm && (strcmp(colorterm, "truecolor") == 0 || strcmp(colorterm, "24bit") == 0))
		return TERM_DEPTH_TRUECOLOR;
	if (!caps || !caps->known)
		return TERM_DEPTH_16;
	if (caps->rgb || caps->colors >= 1 << 24)
		return TERM_DEPTH_TRUECOLOR;
	if (caps->colors >= 256)
		return TERM_DEPTH_256;
	return caps->colors >= 8 ? TERM_DEPTH_16 : TERM_DEPTH_NONE;
}

bool term_background_from_colorfgbg(const char *value, struct heart_rgb *out)
{
	const char *const semicolon = value ? strrchr(value, ';') : NULL;
	if (!semicolon)
		return false;
	const char *const bg = semicolon + 1;
	size_t const len = strlen(bg);
	if (len < 1 || len > 2 || strspn(bg, "0123456789") != len)
		return false;
	int const index = atoi(bg);
	if (index > 15)
		return false;
	*out = heart_color_from_256((uint8_t)index);
	return true;
}
