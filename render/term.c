#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/term.h"
#include "render_internal.h"

/* Layout margin: a little air around the heart at the peak of its beat. */
#define MARGIN 0.04

/* Coverage below this counts as outside: the rasterizer's float noise is far smaller. */
#define EMPTY_COVERAGE (1.0f / 512)

/* ---- Glyphs ----------------------------------------------------------------------------- */

struct emoji {
	const char *utf8;
	/* A colour close to how common emoji fonts paint it (Material Design shades, as Noto Color
	 * Emoji does), tuned so that every CSS named colour picks the heart a person would name
	 * it by: tests/data/term/emoji-names.txt lists them all. */
	struct heart_rgb rgb;
};

/* ❤ takes the emoji selector U+FE0F so terminals draw it in colour, like the others. The
 * Unicode 15 hearts (🩷 pink, 🩵 light blue, 🩶 grey) are left out: glibc 2.36 gives them no
 * width and many fonts no glyph. New entries go at the end: indices are glyphs. */
static const struct emoji emoji[] = {
	{"\xe2\x9d\xa4\xef\xb8\x8f", {0xe5, 0x39, 0x35}}, /* ❤️ red */
	{"\xf0\x9f\xa7\xa1", {0xfb, 0x8c, 0x00}},         /* 🧡 orange */
	{"\xf0\x9f\x92\x9b", {0xfd, 0xd8, 0x35}},         /* 💛 yellow */
	{"\xf0\x9f\x92\x9a", {0x43, 0xa0, 0x47}},         /* 💚 green */
	{"\xf0\x9f\x92\x99", {0x29, 0xb6, 0xf6}},         /* 💙 blue */
	{"\xf0\x9f\x92\x9c", {0x9c, 0x27, 0xb0}},         /* 💜 purple */
	{"\xf0\x9f\xa4\x8e", {0x79, 0x55, 0x48}},         /* 🤎 brown */
	{"\xf0\x9f\xa4\x8d", {0xff, 0xff, 0xff}},         /* 🤍 white */
	{"\xf0\x9f\x96\xa4", {0x42, 0x42, 0x42}},         /* 🖤 black */
	{"\xf0\x9f\x92\x97", {0xec, 0x40, 0x7a}},         /* 💗 growing heart: deep pink */
	{"\xf0\x9f\x92\x96", {0xf4, 0x8f, 0xb1}},         /* 💖 sparkling heart: light pink */
	{"\xf0\x9f\x92\x93", {0xf0, 0x62, 0x92}},         /* 💓 beating heart: pink */
};
#define EMOJI_COUNT (sizeof(emoji) / sizeof(emoji[0]))

unsigned term_emoji_count(void)
{
	return EMOJI_COUNT;
}

const char *term_emoji_utf8(unsigned i)
{
	return i < EMOJI_COUNT ? emoji[i].utf8 : "";
}

/* OKLab (Björn Ottosson, 2020): L from 0 (black) to 1 (white); a and b, about -0.4 to 0.4,
 * green-red and blue-yellow. Distances in it follow perceived differences. */
struct oklab {
	double L, a, b;
};

static double linear(uint8_t v)
{
	double const c = v / 255.0;
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static struct oklab oklab_of(struct heart_rgb c)
{
	double const r = linear(c.r), g = linear(c.g), b = linear(c.b);
	double const l = cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
	double const m = cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
	double const s = cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
	return (struct oklab){0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
			      1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
			      0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s};
}

/* How much more than lightness a difference in chroma (colourfulness) and in hue counts when
 * naming a heart: a grey is not a brown, a cyan is not white, whatever their lightness. */
#define EMOJI_CHROMA_WEIGHT 4.0
#define EMOJI_HUE_WEIGHT 3.0

/* Squared distance in OKLCh: lightness, chroma and hue differences (the hue term is the
 * chord between the hues at the colours' chroma, so it fades out for greys), weighted. */
static double hue_distance(struct oklab x, struct oklab y)
{
	double const dL = x.L - y.L, da = x.a - y.a, db = x.b - y.b;
	double const dC = hypot(x.a, x.b) - hypot(y.a, y.b);
	double const dH2 = fmax(0, da * da + db * db - dC * dC);
	return dL * dL + EMOJI_CHROMA_WEIGHT * EMOJI_CHROMA_WEIGHT * dC * dC +
	       EMOJI_HUE_WEIGHT * EMOJI_HUE_WEIGHT * dH2;
}

unsigned term_emoji_nearest(struct heart_rgb c)
{
	struct oklab const want = oklab_of(c);
	unsigned best = 0;
	double best_d = INFINITY;
	for (unsigned i = 0; i < EMOJI_COUNT; i++) {
		double const d = hue_distance(want, oklab_of(emoji[i].rgb));
		if (d < best_d) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

/* Append glyph g's UTF-8 bytes; *narrow_out tells whether the cursor moved exactly one column. */
static char *put_glyph(char *p, uint16_t g, bool *narrow_out)
{
	const char *s;
	*narrow_out = true;
	switch (g) {
	case TERM_GLYPH_UPPER:
		s = "\xe2\x96\x80";
		break;
	case TERM_GLYPH_LOWER:
		s = "\xe2\x96\x84";
		break;
	case TERM_GLYPH_FULL:
		s = "\xe2\x96\x88";
		break;
	case TERM_GLYPH_WIDE_TAIL:
		return p;
	default:
		if (g >= 0x20 && g < 0x7f) {
			*p++ = (char)g;
			return p;
		}
		/* Terminals disagree about emoji widths: the cursor position after one is unknown.
		 */
		*narrow_out = false;
		s = term_emoji_utf8(g - TERM_GLYPH_EMOJI);
		break;
	}
	size_t const n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

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

static const struct term_cell blank = {TERM_COLOR_DEFAULT, TERM_COLOR_DEFAULT, ' '};

static uint32_t quantize(struct heart_rgb c, enum term_depth depth)
{
	switch (depth) {
	case TERM_DEPTH_TRUECOLOR:
		return (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
	case TERM_DEPTH_256:
		return heart_color_to_256(c);
	case TERM_DEPTH_16:
		return heart_color_to_16(c);
	default:
		return TERM_COLOR_DEFAULT;
	}
}

/* ---- Edge colours --------------------------------------------------------------------- */

/* How far (OKLab distance) a palette colour may lie from the blend it stands for at an edge. */
#define EDGE_TOLERANCE 0.04

/* Relative luminance (0 black, 1 white). */
static double luminance(struct heart_rgb c)
{
	return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

static double oklab_distance(struct heart_rgb x, struct heart_rgb y)
{
	struct oklab const a = oklab_of(x), b = oklab_of(y);
	return sqrt((a.L - b.L) * (a.L - b.L) + (a.a - b.a) * (a.a - b.a) +
		    (a.b - b.b) * (a.b - b.b));
}

/* A palette colour that can draw an edge pixel: where it lies on the blend from background
 * (t = 0) to heart (t = 1), and how far from the blend it is (OKLab). */
struct shade {
	uint32_t color;
	double t, error;
};

/*
 * Whether palette colour i stands for a blend between background bg and heart colour fg:
 * it projects strictly between them, is no darker and no lighter than both ends (lo..hi,
 * luminance), and lies within EDGE_TOLERANCE of the blend there.
 */
static bool shade_of(uint32_t i, struct heart_rgb bg, struct heart_rgb fg, double lo, double hi,
		     struct shade *out)
{
	struct heart_rgb const p = heart_color_from_256((uint8_t)i);
	double const dr = fg.r - bg.r, dg = fg.g - bg.g, db = fg.b - bg.b;
	double const len2 = dr * dr + dg * dg + db * db;
	double const t = ((p.r - bg.r) * dr + (p.g - bg.g) * dg + (p.b - bg.b) * db) / len2;
	if (!(t > 0 && t < 1))
		return false;
	double const y = luminance(p);
	if (y < lo || y > hi)
		return false;
	double const error = oklab_distance(p, heart_rgb_mix(bg, fg, (float)t));
	*out = (struct shade){i, t, error};
	return error <= EDGE_TOLERANCE;
}

/*
 * For 16 and 256 colours, lut[level] is the colour of a half-block pixel with coverage
 * level / 255, chosen against the actual background: the background (TERM_COLOR_DEFAULT when
 * it is not painted) below half coverage and the heart's nearest palette colour from half up,
 * unless (256 colours) a palette colour standing for the blend (shade_of) lies nearer the
 * coverage. So a
 * light terminal gets no dark halo and a dark one no light halo, and no pixel less than half
 * covered is drawn in the heart's colour: the quantized shape has no spikes.
 */
void term_edge_colors(const struct term_style *st, uint32_t lut[256])
{
	struct heart_rgb const bg = st->background, fg = st->color;
	uint32_t const fg_q = quantize(fg, st->depth);
	uint32_t const bg_q = st->has_background ? quantize(bg, st->depth) : TERM_COLOR_DEFAULT;
	double const y_bg = luminance(bg), y_fg = luminance(fg);
	double const y_q = luminance(heart_color_from_256((uint8_t)fg_q));
	double const lo = fmin(y_bg, fmin(y_fg, y_q)), hi = fmax(y_bg, fmax(y_fg, y_q));
	double const span = fmax(oklab_distance(bg, fg), 1e-9);
	struct shade shades[256];
	size_t n = 0;
	/* Shades come from the 6x6x6 cube and the grey ramp only: the 16 system colours differ
	 * from terminal to terminal (a "grey" may be anything from #aaa to #e5e5e5), so in 16
	 * colours an edge pixel is the background or the heart. */
	bool const shaded =
		st->depth == TERM_DEPTH_256 && (bg.r != fg.r || bg.g != fg.g || bg.b != fg.b);
	for (uint32_t i = 16; shaded && i <= 255; i++)
		if (i != fg_q && i != bg_q && shade_of(i, bg, fg, lo, hi, &shades[n]))
			n++;
	for (int level = 0; level < 256; level++) {
		double const c = level / 255.0;
		/* The ends sit at 0 and 1 exactly: the shape is the pixels half covered. */
		uint32_t best = c < 0.5 ? bg_q : fg_q;
		double best_cost = c < 0.5 ? c * c : (1 - c) * (1 - c);
		for (size_t k = 0; k < n; k++) {
			double const dt = shades[k].t - c, e = shades[k].error / span;
			if (dt * dt + e * e < best_cost) {
				best = shades[k].color;
				best_cost = dt * dt + e * e;
			}
		}
		lut[level] = best;
	}
}

/* The colour of a half-block pixel with coverage c, or TERM_COLOR_DEFAULT for the terminal's
 * own background: the exact blend in 24-bit colour, else from lut (term_edge_colors). */
static uint32_t pixel_color(const struct term_style *st, const uint32_t *lut, float c)
{
	if (c < EMPTY_COVERAGE && !st->has_background)
		return TERM_COLOR_DEFAULT;
	if (lut)
		return lut[lrintf(c * 255)];
	return quantize(heart_rgb_mix(st->background, st->color, c), st->depth);
}

static struct term_cell half_block_cell(const struct term_style *st, const uint32_t *lut, float top,
					float bottom)
{
	if (st->depth == TERM_DEPTH_NONE) {
		/* Without colour only the glyph shows coverage: each half is on or off. */
		static const uint16_t glyphs[4] = {' ', TERM_GLYPH_LOWER, TERM_GLYPH_UPPER,
						   TERM_GLYPH_FULL};
		struct term_cell cell = blank;
		cell.glyph = glyphs[(top >= 0.5f) * 2 + (bottom >= 0.5f)];
		return cell;
	}
	uint32_t const t = pixel_color(st, lut, top), b = pixel_color(st, lut, bottom);
	if (t == b)
		return t == TERM_COLOR_DEFAULT
			       ? blank
			       : (struct term_cell){t, TERM_COLOR_DEFAULT, TERM_GLYPH_FULL};
	if (t == TERM_COLOR_DEFAULT)
		return (struct term_cell){b, TERM_COLOR_DEFAULT, TERM_GLYPH_LOWER};
	return (struct term_cell){t, b, TERM_GLYPH_UPPER};
}

static uint32_t background_of(const struct term_style *st)
{
	return st->has_background ? quantize(st->background, st->depth) : TERM_COLOR_DEFAULT;
}

static struct term_cell ascii_cell(const struct term_style *st, float c)
{
	/* Ten steps of ink density; the lightest is a blank. */
	static const char ramp[] = " .:-=+*#%@";
	long const level = lrintf(c * (float)(sizeof(ramp) - 2));
	struct term_cell cell = {TERM_COLOR_DEFAULT, background_of(st), ' '};
	if (level > 0) {
		cell.glyph = (uint16_t)ramp[level];
		cell.fg = quantize(st->color, st->depth);
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
		f->cells[i] = blank;
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
		cells[x0 + i] = blank;
		cells[x0 + i].glyph = c >= 0x20 && c < 0x7f ? c : '?';
	}
	/* Half an emoji left on either side would show a broken glyph. */
	if (len > 0 && x0 > 0 && cells[x0 - 1].glyph >= TERM_GLYPH_EMOJI)
		cells[x0 - 1].glyph = ' ';
	if (len > 0 && x0 + len < f->cols && cells[x0 + len].glyph == TERM_GLYPH_WIDE_TAIL)
		cells[x0 + len].glyph = ' ';
}

/* ---- Encoding --------------------------------------------------------------------------- */

/* The encoder's idea of the terminal: where the cursor is (row < 0: unknown) and its colours. */
struct enc {
	char *p;
	long row, col;
	uint32_t fg, bg;
	enum term_depth depth;
};

/* Worst case per cell: a cursor move (12 bytes at 1000;1000), a full SGR code (38 bytes) and
 * the longest glyph (6 bytes), rounded up; per row: a reset and an end of line. */
static size_t encode_bound(const struct term_frame *f)
{
	return (size_t)f->cols * f->rows * 64 + (size_t)f->rows * 16 + 64;
}

static char *put(char *p, const char *s)
{
	size_t const n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static char *put_uint(char *p, uint32_t v)
{
	char tmp[10];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_color(char *p, uint32_t c, bool fg, enum term_depth depth)
{
	if (depth == TERM_DEPTH_TRUECOLOR) {
		p = put(p, fg ? "38;2;" : "48;2;");
		p = put_uint(p, c >> 16 & 0xff);
		*p++ = ';';
		p = put_uint(p, c >> 8 & 0xff);
		*p++ = ';';
		return put_uint(p, c & 0xff);
	}
	if (depth == TERM_DEPTH_256) {
		p = put(p, fg ? "38;5;" : "48;5;");
		return put_uint(p, c);
	}
	/* 16 colours: 30-37 / 40-47, bright 90-97 / 100-107. */
	return put_uint(p, (c < 8 ? 30 : 82) + (fg ? 0 : 10) + c);
}

/* Switch the terminal to colours fg and bg with one SGR code, or none if already there. */
static void sgr(struct enc *e, uint32_t fg, uint32_t bg)
{
	if (fg == e->fg && bg == e->bg)
		return;
	char *p = put(e->p, "\x1b[");
	bool first = true;
	if ((fg == TERM_COLOR_DEFAULT && e->fg != fg) ||
	    (bg == TERM_COLOR_DEFAULT && e->bg != bg)) {
		/* There is no shorter way back to the default colour on every terminal. */
		*p++ = '0';
		first = false;
		e->fg = e->bg = TERM_COLOR_DEFAULT;
	}
	if (fg != e->fg) {
		if (!first)
			*p++ = ';';
		p = put_color(p, fg, true, e->depth);
		first = false;
	}
	if (bg != e->bg) {
		if (!first)
			*p++ = ';';
		p = put_color(p, bg, false, e->depth);
	}
	*p++ = 'm';
	e->p = p;
	e->fg = fg;
	e->bg = bg;
}

/* row and col are screen positions, from 0. */
static void emit_cell(struct enc *e, long row, long col, const struct term_cell *c)
{
	if (c->glyph == TERM_GLYPH_WIDE_TAIL)
		return;
	/* Emoji always get a move of their own: terminals disagree about their width. */
	if (e->row != row || e->col != col || c->glyph >= TERM_GLYPH_EMOJI) {
		char *p = put(e->p, "\x1b[");
		p = put_uint(p, (uint32_t)row + 1);
		*p++ = ';';
		p = put_uint(p, (uint32_t)col + 1);
		*p++ = 'H';
		e->p = p;
	}
	sgr(e, c->fg, c->bg);
	bool narrow;
	e->p = put_glyph(e->p, c->glyph, &narrow);
	e->row = narrow ? row : -1;
	e->col = col + 1;
}

static bool same_cell(const struct term_cell *a, const struct term_cell *b)
{
	return a->glyph == b->glyph && a->fg == b->fg && a->bg == b->bg;
}

static unsigned digits(long v)
{
	unsigned n = 1;
	for (; v >= 10; v /= 10)
		n++;
	return n;
}

/* Bytes that narrow glyph g takes; 0 for the others. */
static size_t narrow_bytes(uint16_t g)
{
	if (g < 0x80)
		return 1;
	return g < TERM_GLYPH_WIDE_TAIL ? 3 : 0;
}

/*
 * Whether writing cells[from..to) again, which the screen shows already, costs fewer bytes
 * than the cursor move to screen (row, col_to) that skipping them needs: the cursor must be
 * at their start, and they must be narrow and in the current colours (no SGR code).
 */
static bool rewrite_cheaper(const struct enc *e, const struct term_cell *cells, uint32_t from,
			    uint32_t to, long row, long col_from)
{
	if (e->row != row || e->col != col_from + (long)from)
		return false;
	size_t const move = 4 + digits(row + 1) + digits(col_from + (long)to + 1);
	size_t bytes = 0;
	for (uint32_t x = from; x < to; x++) {
		size_t const n = narrow_bytes(cells[x].glyph);
		bytes += n;
		if (n == 0 || bytes >= move || cells[x].fg != e->fg || cells[x].bg != e->bg)
			return false;
	}
	return true;
}

/* One row of n cells at screen row `row`, from column `col`: the cells that differ from
 * `was` (from blank when was is NULL: the screen was cleared). */
static void encode_row(struct enc *e, const struct term_cell *was, const struct term_cell *cells,
		       uint32_t n, long row, long col)
{
	uint32_t x = 0;
	while (x < n) {
		if (!same_cell(was ? &was[x] : &blank, &cells[x])) {
			emit_cell(e, row, col + (long)x, &cells[x]);
			x++;
			continue;
		}
		uint32_t end = x + 1;
		while (end < n && same_cell(was ? &was[end] : &blank, &cells[end]))
			end++;
		/* A short run between changes: sending it again is cheaper than moving past it
		 * (not before an emoji, which gets a move of its own anyway). */
		if (end < n && cells[end].glyph < TERM_GLYPH_WIDE_TAIL &&
		    rewrite_cheaper(e, cells, x, end, row, col))
			for (; x < end; x++)
				emit_cell(e, row, col + (long)x, &cells[x]);
		x = end;
	}
}

static void reset_colors(struct enc *e)
{
	if (e->fg != TERM_COLOR_DEFAULT || e->bg != TERM_COLOR_DEFAULT)
		e->p = put(e->p, "\x1b[0m");
	e->fg = e->bg = TERM_COLOR_DEFAULT;
}

bool term_frame_encode(const struct term_frame *prev, const struct term_frame *cur, bool damage,
		       struct heart_pool *pool, const char **bytes_out, size_t *len_out)
{
	char *const out = heart_pool_get(pool, HEART_POOL_OUTPUT, encode_bound(cur));
	if (!out)
		return false;
	bool const diff = damage && prev && prev->cols == cur->cols && prev->rows == cur->rows &&
			  prev->left == cur->left && prev->top == cur->top &&
			  prev->depth == cur->depth;
	struct enc e = {.p = put(out, TERM_SYNC_BEGIN),
			.row = -1,
			.fg = TERM_COLOR_DEFAULT,
			.bg = TERM_COLOR_DEFAULT,
			.depth = cur->depth};
	/* A full redraw starts from a blank screen: blank cells need not be sent. */
	if (!diff)
		e.p = put(e.p, "\x1b[2J");
	for (uint32_t y = 0; y < cur->rows; y++) {
		size_t const at = (size_t)y * cur->cols;
		encode_row(&e, diff ? prev->cells + at : NULL, cur->cells + at, cur->cols,
			   (long)(cur->top + y), (long)cur->left);
	}
	reset_colors(&e);
	e.p = put(e.p, TERM_SYNC_END);
	*bytes_out = out;
	*len_out = (size_t)(e.p - out);
	return true;
}

bool term_frame_encode_lines(const struct term_frame *cur, const char *eol, struct heart_pool *pool,
			     const char **bytes_out, size_t *len_out)
{
	char *const out = heart_pool_get(pool, HEART_POOL_OUTPUT, encode_bound(cur));
	if (!out)
		return false;
	struct enc e = {
		.p = out, .fg = TERM_COLOR_DEFAULT, .bg = TERM_COLOR_DEFAULT, .depth = cur->depth};
	for (uint32_t y = 0; y < cur->rows; y++) {
		const struct term_cell *row = cur->cells + (size_t)y * cur->cols;
		uint32_t end = cur->cols;
		while (end > 0 && same_cell(&row[end - 1], &blank))
			end--;
		for (uint32_t x = 0; x < end; x++) {
			if (row[x].glyph == TERM_GLYPH_WIDE_TAIL)
				continue;
			sgr(&e, row[x].fg, row[x].bg);
			bool narrow;
			e.p = put_glyph(e.p, row[x].glyph, &narrow);
		}
		reset_colors(&e);
		e.p = put(e.p, eol);
	}
	*bytes_out = out;
	*len_out = (size_t)(e.p - out);
	return true;
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
