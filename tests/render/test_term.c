/*
 * Unit tests for render/'s terminal frames: golden frames per mode and colour depth, the
 * damage encoder, plain lines, emoji placement, capabilities, and no allocation per frame.
 *
 * The golden files in tests/data/term/ are written by `test_term --write-golden DIR` (see
 * tests/data/term/README.md); review them by eye (`cat FILE` in a terminal) before committing.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/model.h"
#include "render/raster.h"
#include "render/term.h"
#include "term_internal.h"

#include "../heap_count.h"

/* ---- The golden cases: fixed size, fixed time, every mode and depth ---- */

#define GOLDEN_COLS 40
#define GOLDEN_ROWS 12
#define GOLDEN_SECONDS 0.1 /* on the rising edge of the first beat: edges are partial */

/* The background: the terminal's own, dark (black, what heart assumes when it cannot ask)
 * or light (white, as a light terminal answers), or painted (#202040). */
enum golden_background { DARK, LIGHT, PAINTED };

struct golden {
	const char *name;
	enum term_mode mode;
	enum term_depth depth;
	enum golden_background background;
	bool lines; /* term_frame_encode_lines instead of term_frame_encode */
};

static const struct golden goldens[] = {
	{"ansi-truecolor", TERM_MODE_ANSI, TERM_DEPTH_TRUECOLOR, DARK, false},
	{"ansi-256", TERM_MODE_ANSI, TERM_DEPTH_256, DARK, false},
	{"ansi-16", TERM_MODE_ANSI, TERM_DEPTH_16, DARK, false},
	{"ansi-none", TERM_MODE_ANSI, TERM_DEPTH_NONE, DARK, false},
	{"ansi-truecolor-background", TERM_MODE_ANSI, TERM_DEPTH_TRUECOLOR, PAINTED, false},
	{"ansi-truecolor-light", TERM_MODE_ANSI, TERM_DEPTH_TRUECOLOR, LIGHT, false},
	{"ansi-256-light", TERM_MODE_ANSI, TERM_DEPTH_256, LIGHT, false},
	{"ansi-16-light", TERM_MODE_ANSI, TERM_DEPTH_16, LIGHT, false},
	{"ascii-truecolor", TERM_MODE_ASCII, TERM_DEPTH_TRUECOLOR, DARK, false},
	{"ascii-256", TERM_MODE_ASCII, TERM_DEPTH_256, DARK, false},
	{"ascii-16", TERM_MODE_ASCII, TERM_DEPTH_16, DARK, false},
	{"ascii-none", TERM_MODE_ASCII, TERM_DEPTH_NONE, DARK, false},
	{"emoji-none", TERM_MODE_EMOJI, TERM_DEPTH_NONE, DARK, false},
	{"emoji-256-background", TERM_MODE_EMOJI, TERM_DEPTH_256, PAINTED, false},
	{"lines-ascii-none", TERM_MODE_ASCII, TERM_DEPTH_NONE, DARK, true},
	{"lines-ansi-256", TERM_MODE_ANSI, TERM_DEPTH_256, DARK, true},
	{"lines-emoji-none", TERM_MODE_EMOJI, TERM_DEPTH_NONE, DARK, true},
};
#define GOLDEN_COUNT (sizeof(goldens) / sizeof(goldens[0]))

static const char *golden_dir = TERM_GOLDEN_DIR;

struct rig {
	struct heart_pool *pool;
	struct heart_raster *raster;
	struct term_frame cur, prev;
	struct term_style style;
	struct heart_shape shape;
};

static void rig_init(struct rig *r, enum term_mode mode, enum term_depth depth, uint32_t cols,
		     uint32_t rows)
{
	r->pool = heart_pool_create();
	assert_non_null(r->pool);
	r->raster = heart_raster_create(r->pool);
	assert_non_null(r->raster);
	assert_true(term_frame_alloc(&r->cur, r->pool, HEART_POOL_FRAME, cols, rows));
	assert_true(term_frame_alloc(&r->prev, r->pool, HEART_POOL_FRAME_PREV, cols, rows));
	r->style = (struct term_style){.mode = mode, .depth = depth, .color = {0xff, 0, 0}};
	heart_shape_default(&r->shape);
}

static void rig_finish(struct rig *r)
{
	heart_raster_destroy(r->raster);
	heart_pool_destroy(r->pool);
}

static void rig_render(struct rig *r, struct term_frame *f, double seconds)
{
	double const scale =
		heart_beat_scale(HEART_BEAT_HZ_DEFAULT, HEART_AMPLITUDE_DEFAULT, seconds);
	assert_true(term_frame_render(f, &r->style, &r->shape, 1 + HEART_AMPLITUDE_DEFAULT, scale,
				      r->raster, r->pool));
}

/* Encode golden case g; the bytes stay valid until the rig's pool is asked again. */
static void golden_encode(struct rig *r, const struct golden *g, const char **bytes, size_t *len)
{
	rig_init(r, g->mode, g->depth, GOLDEN_COLS, GOLDEN_ROWS);
	if (g->background == PAINTED) {
		r->style.has_background = true;
		r->style.background = (struct heart_rgb){0x20, 0x20, 0x40};
	} else if (g->background == LIGHT) {
		r->style.background = (struct heart_rgb){0xff, 0xff, 0xff};
	}
	term_style_prepare(&r->style);
	rig_render(r, &r->cur, GOLDEN_SECONDS);
	if (g->lines)
		assert_true(term_frame_encode_lines(&r->cur, "\n", r->pool, bytes, len));
	else
		assert_true(term_frame_encode(NULL, &r->cur, true, r->pool, bytes, len));
}

static char *golden_path(const char *dir, const char *name)
{
	static char path[4096];
	snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
	return path;
}

/* Fail unless golden file `name` holds exactly len bytes. */
static void expect_golden(const char *name, const char *bytes, size_t len)
{
	const char *const path = golden_path(golden_dir, name);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("missing golden file %s", path);
	char *want = malloc(len + 2);
	assert_non_null(want);
	size_t const got = fread(want, 1, len + 1, fp);
	fclose(fp);
	bool const same = got == len && memcmp(want, bytes, len) == 0;
	free(want);
	if (!same)
		fail_msg("%s differs from its golden file (%zu bytes, golden %zu)", name, len, got);
}

static int write_golden(const char *dir, const char *name, const char *bytes, size_t len)
{
	const char *const path = golden_path(dir, name);
	FILE *fp = fopen(path, "wb");
	if (!fp || fwrite(bytes, 1, len, fp) != len || fclose(fp) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}

static void test_golden_frames(void **state)
{
	for (size_t i = 0; i < GOLDEN_COUNT; i++) {
		struct rig r;
		const char *bytes;
		size_t len;
		golden_encode(&r, &goldens[i], &bytes, &len);
		expect_golden(goldens[i].name, bytes, len);
		rig_finish(&r);
	}
}

/* What every CSS named colour gives in emoji mode, one "name RRGGBB emoji" line each after a
 * header line, into a malloc'd string (NULL when out of memory). */
#define EMOJI_NAMES "emoji-names"

static char *emoji_names(size_t *len_out)
{
	size_t const cap = named_colors_count * 64 + 256;
	char *text = malloc(cap);
	if (!text)
		return NULL;
	size_t len = (size_t)snprintf(text, cap,
				      "# heart --mode emoji --color NAME: the heart each CSS named "
				      "colour gives (tests/render/test_term.c)\n");
	for (size_t i = 0; i < named_colors_count; i++) {
		struct heart_rgb const c = named_colors[i].rgb;
		len += (size_t)snprintf(text + len, cap - len, "%-20s %02x%02x%02x %s\n",
					named_colors[i].name, c.r, c.g, c.b,
					term_emoji_utf8(term_emoji_nearest(c)));
	}
	*len_out = len;
	return text;
}

static int write_goldens(const char *dir)
{
	int status = 0;
	for (size_t i = 0; i < GOLDEN_COUNT; i++) {
		struct rig r;
		const char *bytes;
		size_t len;
		golden_encode(&r, &goldens[i], &bytes, &len);
		status |= write_golden(dir, goldens[i].name, bytes, len);
		rig_finish(&r);
	}
	size_t len;
	char *names = emoji_names(&len);
	status |= names ? write_golden(dir, EMOJI_NAMES, names, len) : 1;
	free(names);
	return status;
}

/* ---- The damage encoder ---- */

static void copy_frame(struct term_frame *to, const struct term_frame *from)
{
	to->depth = from->depth;
	memcpy(to->cells, from->cells, (size_t)from->cols * from->rows * sizeof(*from->cells));
}

static void expect_bytes(const char *bytes, size_t len, const char *want)
{
	if (len != strlen(want) || memcmp(bytes, want, len) != 0)
		fail_msg("got %zu bytes '%.*s', want '%s'", len, (int)len, bytes, want);
}

static size_t count(const char *hay, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle);
	for (size_t i = 0; i + k <= len; i++)
		n += memcmp(hay + i, needle, k) == 0;
	return n;
}

static void test_identical_frame_emits_only_sync(void **state)
{
	static const enum term_mode modes[] = {TERM_MODE_ANSI, TERM_MODE_ASCII, TERM_MODE_EMOJI};
	for (size_t m = 0; m < 3; m++) {
		struct rig r;
		const char *bytes;
		size_t len;
		rig_init(&r, modes[m], TERM_DEPTH_TRUECOLOR, 80, 24);
		rig_render(&r, &r.prev, 0.05);
		rig_render(&r, &r.cur, 0.05);
		assert_true(term_frame_encode(&r.prev, &r.cur, true, r.pool, &bytes, &len));
		expect_bytes(bytes, len, "\x1b[?2026h\x1b[?2026l");
		rig_finish(&r);
	}
}

static void test_one_cell_change_emits_one_cell(void **state)
{
	struct rig r;
	const char *bytes;
	size_t len;
	rig_init(&r, TERM_MODE_ASCII, TERM_DEPTH_NONE, 30, 10);
	rig_render(&r, &r.prev, 0);
	copy_frame(&r.cur, &r.prev);
	/* Row 6, column 8 on the screen (1-based), in the blank corner. */
	r.cur.cells[5 * 30 + 7].glyph = 'X';
	assert_true(term_frame_encode(&r.prev, &r.cur, true, r.pool, &bytes, &len));
	expect_bytes(bytes, len, "\x1b[?2026h\x1b[6;8HX\x1b[?2026l");

	/* The same cell in colour: one move, one SGR code, the glyph, and back to default. */
	r.cur.depth = r.prev.depth = TERM_DEPTH_TRUECOLOR;
	r.cur.cells[5 * 30 + 7].fg = 0x010203;
	assert_true(term_frame_encode(&r.prev, &r.cur, true, r.pool, &bytes, &len));
	expect_bytes(bytes, len, "\x1b[?2026h\x1b[6;8H\x1b[38;2;1;2;3mX\x1b[0m\x1b[?2026l");

	/* Without damage tracking the whole frame is sent again: the screen cleared, then
	 * every cell that is not blank. */
	const char *full;
	size_t full_len;
	assert_true(term_frame_encode(&r.prev, &r.cur, false, r.pool, &bytes, &len));
	assert_true(len > strlen("\x1b[?2026h\x1b[2J"));
	assert_memory_equal(bytes, "\x1b[?2026h\x1b[2J", strlen("\x1b[?2026h\x1b[2J"));
	assert_true(count(bytes, len, "@") > 0);
	char *copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, bytes, len);
	assert_true(term_frame_encode(NULL, &r.cur, true, r.pool, &full, &full_len));
	assert_int_equal(full_len, len);
	assert_memory_equal(copy, full, len);
	free(copy);
	rig_finish(&r);
}

/* A frame drawn away from the top-left corner: moves are offset, and the same frame moved
 * is a full redraw that clears what it left behind. */
static void test_frame_position(void **state)
{
	struct rig r;
	const char *bytes;
	size_t len;
	rig_init(&r, TERM_MODE_ASCII, TERM_DEPTH_NONE, 12, 5);
	term_frame_message(&r.cur, "hi");
	r.cur.left = 20;
	r.cur.top = 7;
	assert_true(term_frame_encode(NULL, &r.cur, true, r.pool, &bytes, &len));
	/* "hi" on the frame's middle row (2), centred (column 5): screen row 10, column 26. */
	expect_bytes(bytes, len, "\x1b[?2026h\x1b[2J\x1b[10;26Hhi\x1b[?2026l");
	copy_frame(&r.prev, &r.cur);
	r.prev.left = r.cur.left;
	r.prev.top = r.cur.top;
	r.cur.cells[0].glyph = 'x';
	assert_true(term_frame_encode(&r.prev, &r.cur, true, r.pool, &bytes, &len));
	expect_bytes(bytes, len, "\x1b[?2026h\x1b[8;21Hx\x1b[?2026l");
	r.prev.left = 0;
	assert_true(term_frame_encode(&r.prev, &r.cur, true, r.pool, &bytes, &len));
	expect_bytes(bytes, len, "\x1b[?2026h\x1b[2J\x1b[8;21Hx\x1b[10;26Hhi\x1b[?2026l");
	rig_finish(&r);
}

/* Cells between two changes on a row are sent again when that is shorter than a move. */
static void test_short_gaps_are_rewritten(void **state)
{
	struct rig r;
	const char *bytes;
	size_t len;
	rig_init(&r, TERM_MODE_ASCII, TERM_DEPTH_NONE, 30, 10);
	term_frame_message(&r.prev, "");
	copy_frame(&r.cur, &r.prev);
	r.cur.cells[2 * 30 + 3].glyph = 'X';
	r.cur.cells[2 * 30 + 6].glyph = 'Y';
	r.cur.cells[2 * 30 + 20].glyph = 'Z';
	assert_true(term_frame_encode(&r.prev, &r.cur, true, r.pool, &bytes, &len));
	expect_bytes(bytes, len, "\x1b[?2026h\x1b[3;4HX  Y\x1b[3;21HZ\x1b[?2026l");
	/* Not when the cells between are in other colours than the ones just set: that would
	 * cost an SGR code (and sending them in the wrong colours would be wrong). */
	r.cur.depth = r.prev.depth = TERM_DEPTH_TRUECOLOR;
	r.cur.cells[2 * 30 + 20].glyph = ' ';
	r.cur.cells[2 * 30 + 3].fg = r.cur.cells[2 * 30 + 6].fg = 0xff0000;
	r.prev.cells[2 * 30 + 4].bg = r.cur.cells[2 * 30 + 4].bg = 0x0000ff;
	assert_true(term_frame_encode(&r.prev, &r.cur, true, r.pool, &bytes, &len));
	expect_bytes(bytes, len,
		     "\x1b[?2026h\x1b[3;4H\x1b[38;2;255;0;0mX\x1b[3;7HY\x1b[0m\x1b[?2026l");
	rig_finish(&r);
}

static void test_no_repeated_color_codes(void **state)
{
	struct rig r;
	const char *bytes;
	size_t len;
	rig_init(&r, TERM_MODE_ANSI, TERM_DEPTH_256, 20, 6);
	for (size_t i = 0; i < 20 * 6; i++)
		r.cur.cells[i] = (struct term_cell){196, TERM_COLOR_DEFAULT, TERM_GLYPH_FULL};
	r.cur.depth = TERM_DEPTH_256;
	assert_true(term_frame_encode(NULL, &r.cur, true, r.pool, &bytes, &len));
	/* One colour for 120 cells: one SGR code to set it, one reset; one move per row. */
	assert_int_equal(count(bytes, len, "\x1b[38;5;196m"), 1);
	assert_int_equal(count(bytes, len, "m"), 2);
	assert_int_equal(count(bytes, len, "H"), 6);
	assert_int_equal(count(bytes, len, "\xe2\x96\x88"), 120);
	rig_finish(&r);
}

static void test_emoji_placed_by_absolute_moves(void **state)
{
	struct rig r;
	const char *bytes;
	size_t len;
	rig_init(&r, TERM_MODE_EMOJI, TERM_DEPTH_NONE, 40, 12);
	rig_render(&r, &r.cur, 0);
	assert_true(term_frame_encode(NULL, &r.cur, true, r.pool, &bytes, &len));
	const char *heart = term_emoji_utf8(term_emoji_nearest((struct heart_rgb){255, 0, 0}));
	size_t const hl = strlen(heart);
	size_t hearts = 0;
	for (size_t i = 0; i + hl <= len; i++) {
		if (memcmp(bytes + i, heart, hl) != 0)
			continue;
		hearts++;
		/* Each emoji comes right after a cursor move: a wrong width cannot shift it. */
		assert_true(i > 0 && bytes[i - 1] == 'H');
		/* And the move puts it on an odd (1-based) column: two columns per emoji. */
		size_t j = i - 1;
		while (bytes[j - 1] != ';')
			j--;
		assert_int_equal(atoi(bytes + j) % 2, 1);
	}
	assert_true(hearts > 20);
	rig_finish(&r);
}

/* ---- Frames ---- */

static void test_frame_limits(void **state)
{
	struct heart_pool *pool = heart_pool_create();
	struct term_frame f;
	assert_false(term_frame_alloc(&f, pool, HEART_POOL_FRAME, 0, 10));
	assert_false(term_frame_alloc(&f, pool, HEART_POOL_FRAME, 10, TERM_SIDE_MAX + 1));
	assert_null(f.cells);
	assert_true(term_frame_alloc(&f, pool, HEART_POOL_FRAME, TERM_SIDE_MAX, 1));
	heart_pool_destroy(pool);
}

static void test_message_is_centred(void **state)
{
	struct rig r;
	rig_init(&r, TERM_MODE_ANSI, TERM_DEPTH_NONE, 13, 5);
	term_frame_message(&r.cur, "too small");
	const char *bytes;
	size_t len;
	assert_true(term_frame_encode_lines(&r.cur, "\n", r.pool, &bytes, &len));
	expect_bytes(bytes, len, "\n\n  too small\n\n\n");
	/* Cut to the width when the window is narrower than the text. */
	assert_true(term_frame_alloc(&r.cur, r.pool, HEART_POOL_FRAME, 4, 1));
	term_frame_message(&r.cur, "too small");
	assert_true(term_frame_encode_lines(&r.cur, "\r\n", r.pool, &bytes, &len));
	expect_bytes(bytes, len, "too\r\n"); /* the cut-off blank is trailing */
	rig_finish(&r);
}

static void test_lines_without_color_have_no_escapes(void **state)
{
	static const enum term_mode modes[] = {TERM_MODE_ANSI, TERM_MODE_ASCII, TERM_MODE_EMOJI};
	for (size_t m = 0; m < 3; m++) {
		struct rig r;
		const char *bytes;
		size_t len;
		rig_init(&r, modes[m], TERM_DEPTH_NONE, 50, 16);
		rig_render(&r, &r.cur, 0);
		assert_true(term_frame_encode_lines(&r.cur, "\n", r.pool, &bytes, &len));
		assert_null(memchr(bytes, 0x1b, len));
		assert_int_equal(count(bytes, len, "\n"), 16);
		assert_int_equal(count(bytes, len, " \n"), 0); /* trailing blanks dropped */
		rig_finish(&r);
	}
}

static void test_ascii_is_seven_bit(void **state)
{
	static const enum term_depth depths[] = {TERM_DEPTH_NONE, TERM_DEPTH_16, TERM_DEPTH_256,
						 TERM_DEPTH_TRUECOLOR};
	for (size_t d = 0; d < 4; d++) {
		struct rig r;
		const char *bytes;
		size_t len;
		rig_init(&r, TERM_MODE_ASCII, depths[d], 60, 20);
		rig_render(&r, &r.cur, 0.07);
		assert_true(term_frame_encode(NULL, &r.cur, true, r.pool, &bytes, &len));
		for (size_t i = 0; i < len; i++)
			assert_true((unsigned char)bytes[i] < 0x80);
		assert_int_equal(count(bytes, len, "@") > 0, 1);
		rig_finish(&r);
	}
}

/* The heart is not squashed: its drawn width over height (in square units, a cell being
 * twice as tall as wide) matches the shape's aspect in every mode. */
static void test_aspect_in_every_mode(void **state)
{
	static const enum term_mode modes[] = {TERM_MODE_ANSI, TERM_MODE_ASCII, TERM_MODE_EMOJI};
	for (size_t m = 0; m < 3; m++) {
		struct rig r;
		rig_init(&r, modes[m], TERM_DEPTH_NONE, 120, 40);
		rig_render(&r, &r.cur, 0);
		uint32_t x0 = 999, x1 = 0, y0 = 999, y1 = 0;
		for (uint32_t y = 0; y < 40; y++)
			for (uint32_t x = 0; x < 120; x++)
				if (r.cur.cells[y * 120 + x].glyph != ' ') {
					x0 = x < x0 ? x : x0;
					x1 = x > x1 ? x : x1;
					y0 = y < y0 ? y : y0;
					y1 = y > y1 ? y : y1;
				}
		double const w = x1 - x0 + 1, h = 2.0 * (y1 - y0 + 1);
		double const want = r.shape.value[HEART_PARAM_ASPECT];
		assert_true(w / h > want * 0.85 && w / h < want * 1.15);
		rig_finish(&r);
	}
}

static void test_depth_from_env(void **state)
{
	struct term_caps const mono = {true, -1, false}, eight = {true, 8, false},
			       sixteen = {true, 16, false}, c88 = {true, 88, false},
			       c256 = {true, 256, false}, direct = {true, 1 << 24, false},
			       rgb = {true, 256, true}, unknown = {false, 0, false};
	/* No TERM, or a dumb one: nothing, whatever else says. */
	assert_int_equal(term_depth_from_env(NULL, "truecolor", &rgb), TERM_DEPTH_NONE);
	assert_int_equal(term_depth_from_env("", NULL, &c256), TERM_DEPTH_NONE);
	assert_int_equal(term_depth_from_env("dumb", "truecolor", &rgb), TERM_DEPTH_NONE);
	/* COLORTERM wins over the entry, exactly spelled. */
	assert_int_equal(term_depth_from_env("xterm", "truecolor", &eight), TERM_DEPTH_TRUECOLOR);
	assert_int_equal(term_depth_from_env("vt100", "24bit", &mono), TERM_DEPTH_TRUECOLOR);
	assert_int_equal(term_depth_from_env("xterm", "TrueColor", &eight), TERM_DEPTH_16);
	assert_int_equal(term_depth_from_env("linux", "1", &eight), TERM_DEPTH_16);
	/* Otherwise the entry: RGB/Tc or 2^24 colours, 256, 8 to 255, fewer or none. */
	assert_int_equal(term_depth_from_env("xterm-direct", NULL, &direct), TERM_DEPTH_TRUECOLOR);
	assert_int_equal(term_depth_from_env("tmux-256color", NULL, &rgb), TERM_DEPTH_TRUECOLOR);
	assert_int_equal(term_depth_from_env("xterm-256color", NULL, &c256), TERM_DEPTH_256);
	assert_int_equal(term_depth_from_env("rxvt-88color", NULL, &c88), TERM_DEPTH_16);
	assert_int_equal(term_depth_from_env("xterm-16color", NULL, &sixteen), TERM_DEPTH_16);
	assert_int_equal(term_depth_from_env("screen", NULL, &eight), TERM_DEPTH_16);
	assert_int_equal(term_depth_from_env("xterm-mono", NULL, &mono), TERM_DEPTH_NONE);
	assert_int_equal(term_depth_from_env("vt52", NULL, &(struct term_caps){true, 2, false}),
			 TERM_DEPTH_NONE);
	/* No entry: the 16 colours nearly every terminal draws, name patterns or not. */
	assert_int_equal(term_depth_from_env("foo-256color", NULL, &unknown), TERM_DEPTH_16);
	assert_int_equal(term_depth_from_env("foo", NULL, NULL), TERM_DEPTH_16);
}

/* ---- Edges on any background, in 16 and 256 colours ---- */

/* Relative luminance, as a light meter sees it: linear light. */
static double rgb_luma(struct heart_rgb c)
{
	double const v[3] = {c.r / 255.0, c.g / 255.0, c.b / 255.0};
	double l[3];
	for (int i = 0; i < 3; i++)
		l[i] = v[i] <= 0.04045 ? v[i] / 12.92 : pow((v[i] + 0.055) / 1.055, 2.4);
	return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

static double luma(uint32_t index)
{
	return rgb_luma(heart_color_from_256((uint8_t)index));
}

/* Where colour index i projects on the blend from bg to fg (0 to 1). */
static double blend_position(uint32_t i, struct heart_rgb bg, struct heart_rgb fg)
{
	struct heart_rgb const p = heart_color_from_256((uint8_t)i);
	double const dr = fg.r - bg.r, dg = fg.g - bg.g, db = fg.b - bg.b;
	double const len2 = dr * dr + dg * dg + db * db;
	return len2 > 0 ? ((p.r - bg.r) * dr + (p.g - bg.g) * dg + (p.b - bg.b) * db) / len2 : 0;
}

/* Every CSS colour on dark, light, tinted and solarized backgrounds, painted or not: below
 * half coverage never the heart's colour, from half up never the background, in between
 * only colours no darker and no lighter than both ends, in the order of the blend. */
static void test_edge_colors_on_any_background(void **state)
{
	static const struct heart_rgb backgrounds[] = {{0, 0, 0},    {255, 255, 255},
						       {30, 30, 46}, {253, 246, 227},
						       {0, 43, 54},  {229, 229, 229}};
	static const enum term_depth depths[] = {TERM_DEPTH_16, TERM_DEPTH_256};
	size_t shades = 0;
	for (size_t c = 0; c < named_colors_count; c++)
		for (size_t b = 0; b < sizeof(backgrounds) / sizeof(backgrounds[0]); b++)
			for (size_t d = 0; d < 2; d++)
				for (int painted = 0; painted < 2; painted++) {
					struct term_style st = {.mode = TERM_MODE_ANSI,
								.depth = depths[d],
								.color = named_colors[c].rgb,
								.has_background = painted,
								.background = backgrounds[b]};
					uint32_t lut[256];
					term_edge_colors(&st, lut);
					uint32_t const fg = depths[d] == TERM_DEPTH_16
								    ? heart_color_to_16(st.color)
								    : heart_color_to_256(st.color);
					uint32_t const bg =
						!painted ? TERM_COLOR_DEFAULT
						: depths[d] == TERM_DEPTH_16
							? heart_color_to_16(st.background)
							: heart_color_to_256(st.background);
					double const lo = fmin(fmin(rgb_luma(st.color), luma(fg)),
							       rgb_luma(st.background));
					double const hi = fmax(fmax(rgb_luma(st.color), luma(fg)),
							       rgb_luma(st.background));
					double last = 0;
					assert_int_equal(lut[0], bg);
					assert_int_equal(lut[255], fg);
					for (int i = 0; i < 256; i++) {
						uint32_t const v = lut[i];
						if (fg != bg) {
							assert_false(i < 128 && v == fg);
							assert_false(i >= 128 && v == bg);
						}
						if (v == fg || v == bg)
							continue;
						shades++;
						assert_true(luma(v) >= lo - 1e-9 &&
							    luma(v) <= hi + 1e-9);
						double const t =
							blend_position(v, st.background, st.color);
						assert_true(t > 0 && t < 1 && t >= last - 1e-9);
						last = t;
					}
				}
	assert_true(shades > 0); /* 256 colours do have shades between many pairs */
}

/* A prepared style and one worked out frame by frame draw the same frame. */
static void test_prepared_style_draws_the_same(void **state)
{
	static const enum term_depth depths[] = {TERM_DEPTH_16, TERM_DEPTH_256,
						 TERM_DEPTH_TRUECOLOR};
	for (size_t d = 0; d < 3; d++) {
		struct rig r;
		rig_init(&r, TERM_MODE_ANSI, depths[d], 40, 12);
		r.style.background = (struct heart_rgb){250, 245, 230};
		rig_render(&r, &r.prev, 0.1);
		term_style_prepare(&r.style);
		rig_render(&r, &r.cur, 0.1);
		for (size_t i = 0; i < 40 * 12; i++) {
			assert_int_equal(r.prev.cells[i].fg, r.cur.cells[i].fg);
			assert_int_equal(r.prev.cells[i].bg, r.cur.cells[i].bg);
			assert_int_equal(r.prev.cells[i].glyph, r.cur.cells[i].glyph);
		}
		rig_finish(&r);
	}
}

static void test_colorfgbg(void **state)
{
	struct heart_rgb c = {1, 2, 3};
	assert_true(term_background_from_colorfgbg("0;15", &c));
	assert_int_equal(c.r + c.g + c.b, 3 * 255);
	assert_true(term_background_from_colorfgbg("15;default;0", &c));
	assert_int_equal(c.r + c.g + c.b, 0);
	assert_true(term_background_from_colorfgbg("0;7", &c));
	assert_int_equal(c.r, 229);
	static const char *const bad[] = {"",     "15",   "15;",  "0;16",  "0;default",
					  "0;-1", "0;+7", "0;7 ", "0;007", NULL};
	c = (struct heart_rgb){1, 2, 3};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(term_background_from_colorfgbg(bad[i], &c));
	assert_int_equal(c.r + c.g + c.b, 6);
}

static void test_emoji_nearest(void **state)
{
	unsigned const n = term_emoji_count();
	assert_true(n >= 8);
	/* Each emoji's text is a distinct UTF-8 string; plain colours pick the emoji a person
	 * would name them by. */
	for (unsigned i = 0; i < n; i++) {
		assert_true(strlen(term_emoji_utf8(i)) >= 4);
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(term_emoji_utf8(i), term_emoji_utf8(j));
	}
	assert_string_equal(term_emoji_utf8(term_emoji_nearest((struct heart_rgb){255, 0, 0})),
			    "\xe2\x9d\xa4\xef\xb8\x8f"); /* ❤️ */
	assert_string_equal(term_emoji_utf8(term_emoji_nearest((struct heart_rgb){30, 60, 200})),
			    "\xf0\x9f\x92\x99"); /* 💙 */
	assert_string_equal(term_emoji_utf8(term_emoji_nearest((struct heart_rgb){0, 160, 0})),
			    "\xf0\x9f\x92\x9a"); /* 💚 */
	assert_string_equal(term_emoji_utf8(term_emoji_nearest((struct heart_rgb){0, 0, 0})),
			    "\xf0\x9f\x96\xa4"); /* 🖤 */
	assert_string_equal(term_emoji_utf8(term_emoji_nearest((struct heart_rgb){250, 250, 250})),
			    "\xf0\x9f\xa4\x8d"); /* 🤍 */
	assert_string_equal(term_emoji_utf8(term_emoji_nearest((struct heart_rgb){255, 165, 0})),
			    "\xf0\x9f\xa7\xa1"); /* 🧡 orange */
	assert_string_equal(term_emoji_utf8(term_emoji_nearest((struct heart_rgb){150, 30, 160})),
			    "\xf0\x9f\x92\x9c"); /* 💜 purple */
	/* The issue's complaints: pink gave 🤍, hotpink 🧡, gray 🤎 and 00ffff 💚. */
	static const char *const pinks[] = {"\xf0\x9f\x92\x97", "\xf0\x9f\x92\x96",
					    "\xf0\x9f\x92\x93"}; /* 💗 💖 💓 */
	static const struct heart_rgb pinkish[] = {
		{0xff, 0xc0, 0xcb}, {0xff, 0x69, 0xb4}, {0xff, 0x14, 0x93}, {0xff, 0xb6, 0xc1}};
	for (size_t i = 0; i < sizeof(pinkish) / sizeof(pinkish[0]); i++) {
		const char *got = term_emoji_utf8(term_emoji_nearest(pinkish[i]));
		assert_true(strcmp(got, pinks[0]) == 0 || strcmp(got, pinks[1]) == 0 ||
			    strcmp(got, pinks[2]) == 0);
	}
	const char *grey = term_emoji_utf8(term_emoji_nearest((struct heart_rgb){128, 128, 128}));
	assert_true(strcmp(grey, "\xf0\x9f\xa4\x8d") == 0 || strcmp(grey, "\xf0\x9f\x96\xa4") == 0);
	assert_string_equal(term_emoji_utf8(term_emoji_nearest((struct heart_rgb){0, 255, 255})),
			    "\xf0\x9f\x92\x99"); /* 💙 */
}

static void test_emoji_names_golden(void **state)
{
	size_t len;
	char *text = emoji_names(&len);
	assert_non_null(text);
	expect_golden(EMOJI_NAMES, text, len);
	free(text);
}

/* ---- No allocation per frame ---- */

static void test_steady_state_allocates_nothing(void **state)
{
	static const enum term_mode modes[] = {TERM_MODE_ANSI, TERM_MODE_ASCII, TERM_MODE_EMOJI};
	for (size_t m = 0; m < 3; m++) {
		struct rig r;
		const char *bytes;
		size_t len;
		rig_init(&r, modes[m], TERM_DEPTH_TRUECOLOR, 200, 60);
		/* Warm up: the largest heart of the beat sizes every pool buffer. */
		rig_render(&r, &r.prev, 0.0667);
		assert_true(term_frame_encode(NULL, &r.prev, true, r.pool, &bytes, &len));
		assert_true(term_frame_encode_lines(&r.prev, "\n", r.pool, &bytes, &len));
		size_t const before = heap_calls;
		for (int k = 0; k < 90; k++) {
			struct term_frame const t = r.prev;
			r.prev = r.cur;
			r.cur = t;
			rig_render(&r, &r.cur, k / 30.0);
			assert_true(term_frame_encode(k ? &r.prev : NULL, &r.cur, true, r.pool,
						      &bytes, &len));
		}
		assert_int_equal(heap_calls, before);
		rig_finish(&r);
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write-golden") == 0)
		return write_goldens(argv[2]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_frames),
		cmocka_unit_test(test_identical_frame_emits_only_sync),
		cmocka_unit_test(test_one_cell_change_emits_one_cell),
		cmocka_unit_test(test_frame_position),
		cmocka_unit_test(test_short_gaps_are_rewritten),
		cmocka_unit_test(test_no_repeated_color_codes),
		cmocka_unit_test(test_emoji_placed_by_absolute_moves),
		cmocka_unit_test(test_frame_limits),
		cmocka_unit_test(test_message_is_centred),
		cmocka_unit_test(test_lines_without_color_have_no_escapes),
		cmocka_unit_test(test_ascii_is_seven_bit),
		cmocka_unit_test(test_aspect_in_every_mode),
		cmocka_unit_test(test_depth_from_env),
		cmocka_unit_test(test_edge_colors_on_any_background),
		cmocka_unit_test(test_prepared_style_draws_the_same),
		cmocka_unit_test(test_colorfgbg),
		cmocka_unit_test(test_emoji_nearest),
		cmocka_unit_test(test_emoji_names_golden),
		cmocka_unit_test(test_steady_state_allocates_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
