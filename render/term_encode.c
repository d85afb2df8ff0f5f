/* Cell encoding: the bytes that turn one frame of cells into the next on a terminal (cursor
 * moves, SGR colours, glyphs), and the plain-text lines of heart play --frames. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/term.h"
#include "term_internal.h"

/* ---- Encoding --------------------------------------------------------------------------- */

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
		if (!same_cell(was ? &was[x] : &term_cell_blank, &cells[x])) {
			emit_cell(e, row, col + (long)x, &cells[x]);
			x++;
			continue;
		}
		uint32_t end = x + 1;
		while (end < n && same_cell(was ? &was[end] : &term_cell_blank, &cells[end]))
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
		while (end > 0 && same_cell(&row[end - 1], &term_cell_blank))
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
