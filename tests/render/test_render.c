/* Unit tests for render/: shape, path, beat, colours, flattening, rasterizer and pool. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/model.h"
#include "render/raster.h"
#include "render_internal.h"

#include "../heap_count.h"
#include "shape_metrics.h"

/* ---- helpers ---- */

static void build(const struct heart_shape *s, uint32_t w, uint32_t h, double scale,
		  struct heart_path *out)
{
	struct heart_transform base, t;
	heart_layout(s, w, h, 1, 0.05, 1 + HEART_AMPLITUDE_MAX, &base);
	heart_transform_scale(&base, scale, &t);
	heart_path_build(s, &t, out);
}

/* Render and return the total coverage; checks mirror symmetry and row count on the way. */
static double render_total(const struct heart_path *p, uint32_t w, uint32_t h)
{
	struct heart_pool *pool = heart_pool_create();
	struct heart_raster *r = heart_raster_create(pool);
	assert_non_null(r);
	assert_true(heart_raster_begin(r, p, w, h));
	double total = 0;
	uint32_t rows = 0;
	const float *row;
	while ((row = heart_raster_row_float(r))) {
		for (uint32_t x = 0; x < w; x++) {
			assert_true(row[x] >= 0 && row[x] <= 1);
			assert_true(fabsf(row[x] - row[w - 1 - x]) < 2e-3f);
			total += row[x];
		}
		rows++;
	}
	assert_int_equal(rows, h);
	heart_raster_destroy(r);
	heart_pool_destroy(pool);
	return total;
}

static void all_shapes(void (*check)(const struct heart_shape *))
{
	/* The defaults, then every corner of the parameter box. */
	struct heart_shape s;
	heart_shape_default(&s);
	check(&s);
	for (unsigned corner = 0; corner < 1u << HEART_PARAM_COUNT; corner++) {
		for (int i = 0; i < HEART_PARAM_COUNT; i++) {
			const struct heart_param_info *pi = heart_param_info(i);
			assert_true(heart_shape_set(&s, i, corner & (1u << i) ? pi->max : pi->min));
		}
		check(&s);
	}
}

/* ---- shape parameters ---- */

static void test_params_refuse_bad_values(void **state)
{
	struct heart_shape s, before;
	heart_shape_default(&s);
	before = s;
	for (int i = 0; i < HEART_PARAM_COUNT; i++) {
		const struct heart_param_info *pi = heart_param_info(i);
		assert_non_null(pi->name);
		assert_true(pi->min < pi->max);
		assert_true(pi->def >= pi->min && pi->def <= pi->max);
		assert_false(heart_shape_set(&s, i, NAN));
		assert_false(heart_shape_set(&s, i, INFINITY));
		assert_false(heart_shape_set(&s, i, -INFINITY));
		assert_false(heart_shape_set(&s, i, nextafter(pi->min, -1e9)));
		assert_false(heart_shape_set(&s, i, nextafter(pi->max, 1e9)));
		assert_memory_equal(&s, &before, sizeof(s));
		assert_true(heart_shape_set(&s, i, pi->min));
		assert_true(heart_shape_set(&s, i, pi->max));
		s = before;
	}
	assert_false(heart_shape_set(&s, HEART_PARAM_COUNT, 1));
}

/* ---- path ---- */

static void check_path(const struct heart_shape *s)
{
	struct heart_path p;
	build(s, 300, 200, 1, &p);

	/* Closed. */
	assert_true(fabs(p.seg[HEART_SEGMENTS - 1].end.x - p.start.x) < 1e-9);
	assert_true(fabs(p.seg[HEART_SEGMENTS - 1].end.y - p.start.y) < 1e-9);
	/* Symmetric about x = 150: the point at t on segment i mirrors the point at 1-t on the
	 * segment at the mirrored place in the walk. */
	for (int i = 0; i < HEART_SEGMENTS; i++)
		for (int k = 0; k <= 16; k++) {
			struct heart_point a = heart_path_eval(&p, i, k / 16.0);
			struct heart_point b =
				heart_path_eval(&p, HEART_SEGMENTS - 1 - i, 1 - k / 16.0);
			assert_true(isfinite(a.x) && isfinite(a.y));
			assert_true(fabs(a.x - 150 - (150 - b.x)) < 1e-9);
			assert_true(fabs(a.y - b.y) < 1e-9);
		}
	/* Inside the layout, margin and beat headroom included. */
	struct heart_point lo, hi;
	heart_path_bounds(&p, &lo, &hi);
	assert_true(lo.x >= 0 && lo.y >= 0 && hi.x <= 300 && hi.y <= 200);
	assert_true(heart_path_area(&p) > 0);
}

static void test_path_closed_symmetric_bounded(void **state)
{
	all_shapes(check_path);
}

static void test_layout_degenerate(void **state)
{
	struct heart_shape s;
	struct heart_transform t;
	struct heart_path p;
	heart_shape_default(&s);
	heart_layout(&s, 0, 0, 1, 0.05, 1.12, &t);
	assert_true(t.sx == 0 && t.sy == 0);
	heart_layout(&s, 1, 1, 1, 0.45, 1.5, &t);
	assert_true(t.sx > 0);
	heart_path_build(&s, &t, &p);
	assert_true(isfinite(heart_path_area(&p)));
	/* Terminal cells used as one pixel each are twice as tall as wide: the heart keeps its
	 * shape, so its height in cells is half its height in square units. */
	heart_layout(&s, 80, 24, 2, 0, 1, &t);
	assert_true(fabs(t.sy * 2 - t.sx) < 1e-12);
}

static void test_transform_scales_about_centre(void **state)
{
	struct heart_shape s;
	struct heart_transform base, big;
	struct heart_path a, b;
	heart_shape_default(&s);
	heart_layout(&s, 400, 400, 1, 0.1, 1.2, &base);
	heart_transform_scale(&base, 1.2, &big);
	heart_path_build(&s, &base, &a);
	heart_path_build(&s, &big, &b);
	assert_true(fabs(heart_path_area(&b) / heart_path_area(&a) - 1.44) < 1e-9);
	struct heart_point alo, ahi, blo, bhi;
	heart_path_bounds(&a, &alo, &ahi);
	heart_path_bounds(&b, &blo, &bhi);
	assert_true(fabs((alo.x + ahi.x) - (blo.x + bhi.x)) < 1e-9);
	assert_true(fabs((alo.y + ahi.y) - (blo.y + bhi.y)) < 1e-9);
}

static void test_area_matches_numeric_integration(void **state)
{
	/* The exact area against a fine polygon (shoelace over 6 × 20000 points). */
	struct heart_shape s;
	struct heart_path p;
	heart_shape_default(&s);
	build(&s, 1000, 1000, 1, &p);
	double sum = 0;
	struct heart_point prev = p.start;
	for (int i = 0; i < HEART_SEGMENTS; i++)
		for (int k = 1; k <= 20000; k++) {
			struct heart_point q = heart_path_eval(&p, i, k / 20000.0);
			sum += prev.x * q.y - q.x * prev.y;
			prev = q;
		}
	assert_true(fabs(fabs(sum) / 2 / heart_path_area(&p) - 1) < 1e-6);
}

/* ---- beat ---- */

static void test_beat_periodic_continuous_double(void **state)
{
	double max_step = 0, peak = 0, peak_at = -1;
	for (int i = 0; i <= 100000; i++) {
		double const x = i / 100000.0;
		double const v = heart_beat_pulse(x);
		assert_true(v >= 0 && v <= 1);
		assert_true(fabs(v - heart_beat_pulse(x + 1)) < 1e-12);
		assert_true(fabs(v - heart_beat_pulse(x - 3)) < 1e-12);
		max_step = fmax(max_step, fabs(heart_beat_pulse(x + 1e-5) - v));
		if (v > peak) {
			peak = v;
			peak_at = x;
		}
	}
	/* Continuous, also across the period boundary. */
	assert_true(max_step < 1e-3);
	assert_true(fabs(heart_beat_pulse(1 - 1e-9) - heart_beat_pulse(0)) < 1e-6);
	/* One strong pulse early in the beat ... */
	assert_true(fabs(peak - 1) < 1e-6 && peak_at < 0.2);
	/* ... then a weaker second one, then rest. */
	double second = 0;
	int rises = 0;
	for (int i = 1; i < 1000; i++) {
		double const a = heart_beat_pulse((i - 1) / 1000.0),
			     b = heart_beat_pulse(i / 1000.0);
		if (b > a && a == 0)
			rises++;
		if (i / 1000.0 > 0.18)
			second = fmax(second, b);
	}
	assert_int_equal(rises, 2);
	assert_true(second > 0.3 && second < 0.8);
	assert_true(heart_beat_pulse(0.6) == 0 && heart_beat_pulse(0.95) == 0);
}

static void test_beat_frequency(void **state)
{
	for (double hz = HEART_BEAT_HZ_MIN; hz <= HEART_BEAT_HZ_MAX; hz *= 1.7)
		for (double t = 0; t < 5; t += 0.013) {
			double const s = heart_beat_scale(hz, 0.2, t);
			assert_true(s >= 1 && s <= 1.2 + 1e-12);
			assert_true(fabs(s - heart_beat_scale(hz, 0.2, t + 1 / hz)) < 1e-9);
		}
	assert_true(heart_beat_scale(1.4, 0, 0.3) == 1);
}

/* ---- colours ---- */

static void test_color_forms(void **state)
{
	struct heart_rgb c;
	assert_true(heart_color_parse("ff0000", &c) && c.r == 255 && c.g == 0 && c.b == 0);
	assert_true(heart_color_parse("#00Ff7f", &c) && c.r == 0 && c.g == 255 && c.b == 127);
	assert_true(heart_color_parse("f80", &c) && c.r == 0xff && c.g == 0x88 && c.b == 0);
	assert_true(heart_color_parse("#ABC", &c) && c.r == 0xaa && c.g == 0xbb && c.b == 0xcc);
	/* CSS Color 4 values. */
	assert_true(heart_color_parse("rebeccapurple", &c) && c.r == 0x66 && c.g == 0x33 &&
		    c.b == 0x99);
	assert_true(heart_color_parse("HotPink", &c) && c.r == 0xff && c.g == 0x69 && c.b == 0xb4);
	assert_true(heart_color_parse("grey", &c) && c.r == 0x80);
	assert_true(heart_color_parse("aliceblue", &c) && c.b == 0xff);
	assert_true(heart_color_parse("yellowgreen", &c) && c.r == 0x9a);
}

static void test_color_names(void **state)
{
	/* Every name parses back to its colour, and the name given is the shortest. */
	for (size_t i = 0; i < named_colors_count; i++) {
		const char *name = heart_color_name(named_colors[i].rgb);
		struct heart_rgb c;
		assert_non_null(name);
		assert_true(heart_color_parse(name, &c));
		assert_memory_equal(&c, &named_colors[i].rgb, sizeof(c));
		assert_true(strlen(name) <= strlen(named_colors[i].name));
	}
	assert_string_equal(heart_color_name((struct heart_rgb){255, 0, 0}), "red");
	assert_string_equal(heart_color_name((struct heart_rgb){0, 255, 255}), "aqua");
	assert_string_equal(heart_color_name((struct heart_rgb){128, 128, 128}), "gray");
	assert_null(heart_color_name((struct heart_rgb){255, 0, 1}));
}

static void test_color_refusals(void **state)
{
	static const char *const bad[] = {
		"",
		"#",
		"ff00",
		"ff00000",
		"#ff00000",
		"gg0000",
		" ff0000",
		"ff0000 ",
		"ff0000\n",
		"##f00",
		"#red",
		"rgb(1,2,3)",
		"red;",
		"re d",
		"reds",
		"\x1b[31m",
		"transparent",
		"currentcolor",
		"\"/><script>",
		"r\xc3\xa9"
		"d",
		"0x0f0",
		"redredredredredredredredredredredredredredredredredredredredredredredred",
	};
	struct heart_rgb c = {1, 2, 3};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(heart_color_parse(bad[i], &c));
	assert_true(c.r == 1 && c.g == 2 && c.b == 3);
}

static void test_color_256(void **state)
{
	/* Every cube and grey entry maps back to itself. */
	for (int i = 16; i < 256; i++)
		assert_int_equal(heart_color_to_256(heart_color_from_256((uint8_t)i)), i);
	/* Never one of the first 16, whose colours differ between terminals. */
	for (int r = 0; r < 256; r += 15)
		for (int g = 0; g < 256; g += 15)
			for (int b = 0; b < 256; b += 15)
				assert_true(heart_color_to_256((struct heart_rgb){
						    (uint8_t)r, (uint8_t)g, (uint8_t)b}) >= 16);
	/* Greys that fall between cube levels go to the ramp. */
	assert_true(heart_color_to_256((struct heart_rgb){0x30, 0x30, 0x30}) >= 232);
}

static void test_color_16(void **state)
{
	for (int i = 0; i < 16; i++)
		assert_int_equal(heart_color_to_16(heart_color_from_256((uint8_t)i)), i);
	struct heart_rgb red = {0xff, 0, 0}, dark_red = {0x99, 0x10, 0x10};
	assert_int_equal(heart_color_to_16(red), 9);
	assert_int_equal(heart_color_to_16(dark_red), 1);
}

/* The one blend, at every 8-bit coverage level, is exactly the PNG palette's integer formula
 * (rounded half up), so the palette is what it was before the two blends became one. */
static void test_color_mix_exact_at_coverage_levels(void **state)
{
	for (unsigned from = 0; from < 256; from++)
		for (unsigned to = 0; to < 256; to++)
			for (unsigned i = 0; i < 256; i++) {
				unsigned const want = (from * (255 - i) + to * i + 127) / 255;
				struct heart_rgb const m = heart_rgb_mix(
					(struct heart_rgb){(uint8_t)from, (uint8_t)to, (uint8_t)i},
					(struct heart_rgb){(uint8_t)to, (uint8_t)from, (uint8_t)i},
					(float)i / 255);
				if (m.r != want)
					fail_msg("mix(%u, %u, %u/255) = %u, want %u", from, to, i,
						 m.r, want);
				if (m.b != i)
					fail_msg("mix(%u, %u, %u/255) = %u", i, i, i, m.b);
			}
	/* The ends are the colours themselves. */
	struct heart_rgb const a = {1, 2, 3}, b = {250, 128, 0};
	struct heart_rgb const m0 = heart_rgb_mix(a, b, 0), m1 = heart_rgb_mix(a, b, 1);
	assert_true(m0.r == a.r && m0.g == a.g && m0.b == a.b);
	assert_true(m1.r == b.r && m1.g == b.g && m1.b == b.b);
}

static void test_color_distance(void **state)
{
	struct heart_rgb const black = {0, 0, 0}, red = {255, 0, 0}, green = {0, 255, 0};
	assert_int_equal(heart_rgb_distance(red, red), 0);
	assert_int_equal(heart_rgb_distance(red, black), heart_rgb_distance(black, red));
	/* The eye sees a green step more than a red one. */
	assert_true(heart_rgb_distance(green, black) > heart_rgb_distance(red, black));
}

/* ---- flattening ---- */

static double dist_to_segment(struct heart_point p, struct heart_point a, struct heart_point b)
{
	double const dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
	double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	return hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

static void test_flatten_error_bound(void **state)
{
	struct heart_shape s;
	heart_shape_default(&s);
	for (uint32_t size = 16; size <= 16384; size *= 4) {
		struct heart_path p;
		build(&s, size, size, 1, &p);
		struct heart_point from = p.start;
		for (int i = 0; i < HEART_SEGMENTS; i++) {
			unsigned const n =
				heart_cubic_segments(from, &p.seg[i], HEART_FLATTEN_TOLERANCE);
			double worst = 0;
			for (unsigned k = 0; k < n; k++) {
				struct heart_point const a = heart_path_eval(&p, i, (double)k / n);
				struct heart_point const b =
					heart_path_eval(&p, i, (double)(k + 1) / n);
				for (int j = 1; j < 64; j++) {
					double const t = (k + j / 64.0) / n;
					worst = fmax(
						worst,
						dist_to_segment(heart_path_eval(&p, i, t), a, b));
				}
			}
			assert_true(worst <= HEART_FLATTEN_TOLERANCE);
			assert_true(HEART_FLATTEN_TOLERANCE <= 0.25);
			from = p.seg[i].end;
		}
	}
}

/* ---- rasterizer ---- */

static void check_area(const struct heart_shape *s)
{
	struct heart_path p;
	build(s, 512, 512, 1, &p);
	double const total = render_total(&p, 512, 512);
	assert_true(fabs(total / heart_path_area(&p) - 1) < 1e-3);
}

static void test_raster_total_equals_area(void **state)
{
	all_shapes(check_area);
	struct heart_shape s;
	struct heart_path p;
	heart_shape_default(&s);
	build(&s, 1001, 333, 1.1, &p);
	assert_true(fabs(render_total(&p, 1001, 333) / heart_path_area(&p) - 1) < 1e-3);
}

/* Even-odd point-in-polygon against a dense sampling of the curve, and distance to it. */
#define DENSE (HEART_SEGMENTS * 400)
static void dense_polygon(const struct heart_path *p, struct heart_point poly[DENSE])
{
	for (int i = 0; i < HEART_SEGMENTS; i++)
		for (int k = 0; k < 400; k++)
			poly[i * 400 + k] = heart_path_eval(p, i, k / 400.0);
}

static bool inside(const struct heart_point poly[DENSE], struct heart_point q, double *dist)
{
	bool in = false;
	*dist = INFINITY;
	for (int i = 0, j = DENSE - 1; i < DENSE; j = i++) {
		struct heart_point const a = poly[i], b = poly[j];
		if ((a.y > q.y) != (b.y > q.y) &&
		    q.x < (b.x - a.x) * (q.y - a.y) / (b.y - a.y) + a.x)
			in = !in;
		*dist = fmin(*dist, dist_to_segment(q, a, b));
	}
	return in;
}

static void test_raster_inside_outside_bounds(void **state)
{
	struct heart_shape s;
	struct heart_path p;
	static struct heart_point poly[DENSE];
	uint32_t const w = 97, h = 80;
	heart_shape_default(&s);
	build(&s, w, h, 1, &p);
	dense_polygon(&p, poly);
	struct heart_point lo, hi;
	heart_path_bounds(&p, &lo, &hi);

	struct heart_pool *pool = heart_pool_create();
	struct heart_raster *r = heart_raster_create(pool);
	assert_true(heart_raster_begin(r, &p, w, h));
	const uint8_t *row;
	int full = 0, empty = 0;
	for (uint32_t y = 0; (row = heart_raster_row(r)); y++)
		for (uint32_t x = 0; x < w; x++) {
			struct heart_point const c = {x + 0.5, y + 0.5};
			double d;
			bool const in = inside(poly, c, &d);
			if (d > 0.75) {
				assert_int_equal(row[x], in ? 255 : 0);
				full += in;
				empty += !in;
			}
			if (x + 1 < lo.x || x > hi.x + 1 || y + 1 < lo.y || y > hi.y + 1)
				assert_int_equal(row[x], 0);
		}
	assert_true(full > 1000 && empty > 1000);
	heart_raster_destroy(r);
	heart_pool_destroy(pool);
}

static void test_raster_sizes(void **state)
{
	struct heart_shape s;
	struct heart_path p;
	heart_shape_default(&s);
	struct heart_pool *pool = heart_pool_create();
	struct heart_raster *r = heart_raster_create(pool);

	/* Empty images have no rows; 1×1 has one. */
	build(&s, 0, 0, 1, &p);
	assert_true(heart_raster_begin(r, &p, 0, 0));
	assert_null(heart_raster_row(r));
	build(&s, 1, 1, 1, &p);
	assert_true(heart_raster_begin(r, &p, 1, 1));
	const uint8_t *row = heart_raster_row(r);
	assert_non_null(row);
	assert_true(row[0] > 0 && row[0] < 255);
	assert_null(heart_raster_row(r));
	/* The limit is the limit. */
	assert_false(heart_raster_begin(r, &p, HEART_RASTER_MAX + 1, 1));
	assert_false(heart_raster_begin(r, &p, 1, HEART_RASTER_MAX + 1));
	assert_true(heart_raster_begin(r, &p, HEART_RASTER_MAX, 1));
	heart_raster_destroy(r);
	heart_pool_destroy(pool);
	heart_raster_destroy(NULL);
	heart_pool_destroy(NULL);
}

/*
 * The per-pixel path the span rasterizer replaced, kept only as its reference: a running sum
 * over every cell of the row, each pixel's coverage from it, each byte from that coverage.
 */
static bool reference_row(struct heart_raster *r, uint32_t width, float *cover_out,
			  uint8_t *bytes_out)
{
	float *cells = heart_raster_row_cells(r);
	if (!cells)
		return false;
	float sum = 0;
	for (uint32_t x = 0; x < width; x++) {
		sum += cells[x];
		cells[x] = 0;
		float const c = fabsf(sum);
		cover_out[x] = c > 1 ? 1 : c;
	}
	cells[width] = 0;
	cells[width + 1] = 0;
	for (uint32_t x = 0; x < width; x++)
		bytes_out[x] = (uint8_t)(cover_out[x] * 255 + 0.5f);
	return true;
}

#define SPAN_RASTERS 4
struct span_rig {
	struct heart_pool *pool[SPAN_RASTERS];
	struct heart_raster *r[SPAN_RASTERS]; /* reference, floats, bytes, both in turn */
	float *cover;
	uint8_t *bytes;
	unsigned long long pixels, partial; /* compared, and of those strictly between 0 and 1 */
};

static void span_rig_init(struct span_rig *g)
{
	*g = (struct span_rig){0};
	for (int i = 0; i < SPAN_RASTERS; i++) {
		g->pool[i] = heart_pool_create();
		g->r[i] = heart_raster_create(g->pool[i]);
		assert_non_null(g->r[i]);
	}
	g->cover = malloc(HEART_RASTER_MAX * sizeof(float));
	g->bytes = malloc(HEART_RASTER_MAX);
	assert_true(g->cover && g->bytes);
}

static void span_rig_finish(struct span_rig *g)
{
	for (int i = 0; i < SPAN_RASTERS; i++) {
		heart_raster_destroy(g->r[i]);
		heart_pool_destroy(g->pool[i]);
	}
	free(g->cover);
	free(g->bytes);
}

/* The span rasterizer's floats and bytes equal the reference's, bit for bit, on every row,
 * also when a caller asks for floats and bytes in turn (the bytes reuse the last byte row). */
static void span_compare(struct span_rig *g, const struct heart_path *p, uint32_t w, uint32_t h)
{
	for (int i = 0; i < SPAN_RASTERS; i++)
		assert_true(heart_raster_begin(g->r[i], p, w, h));
	for (uint32_t y = 0; y < h; y++) {
		assert_true(reference_row(g->r[0], w, g->cover, g->bytes));
		const float *f = heart_raster_row_float(g->r[1]);
		const uint8_t *b = heart_raster_row(g->r[2]);
		assert_non_null(f);
		assert_non_null(b);
		if (memcmp(f, g->cover, w * sizeof(float)) != 0 || memcmp(b, g->bytes, w) != 0)
			fail_msg("%ux%u: row %u differs from the per-pixel sum", w, h, y);
		bool const as_floats = y % 3 == 1;
		const void *m = as_floats ? (const void *)heart_raster_row_float(g->r[3])
					  : (const void *)heart_raster_row(g->r[3]);
		assert_non_null(m);
		if (memcmp(m, as_floats ? (const void *)g->cover : (const void *)g->bytes,
			   as_floats ? w * sizeof(float) : w) != 0)
			fail_msg("%ux%u: row %u differs when floats and bytes alternate", w, h, y);
		for (uint32_t x = 0; x < w; x++)
			g->partial += g->bytes[x] > 0 && g->bytes[x] < 255;
		g->pixels += w;
	}
	assert_false(reference_row(g->r[0], w, g->cover, g->bytes));
	assert_null(heart_raster_row_float(g->r[1]));
	assert_null(heart_raster_row(g->r[2]));
	assert_null(heart_raster_row(g->r[3]));
}

/* Shape k of the 3⁴ grid: each parameter at its minimum, midpoint or maximum. */
static void grid_shape(unsigned k, struct heart_shape *out)
{
	heart_shape_default(out);
	for (int i = 0; i < HEART_PARAM_COUNT; i++, k /= 3) {
		const struct heart_param_info *pi = heart_param_info(i);
		double const v[3] = {pi->min, (pi->min + pi->max) / 2, pi->max};
		assert_true(heart_shape_set(out, i, v[k % 3]));
	}
}
#define GRID_SHAPES 81

/* A small deterministic generator: the same "random" cases on every run. */
static double uniform(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*state >> 11) / 9007199254740992.0;
}

static void test_raster_spans_match_per_pixel_sum(void **state)
{
	static const uint32_t sizes[][2] = {
		{1, 1},   {2, 3},   {5, 5},    {16, 9},   {33, 33},   {63, 64},
		{64, 64}, {65, 65}, {129, 40}, {40, 129}, {200, 200},
	};
	struct span_rig g;
	struct heart_path p;
	span_rig_init(&g);

	/* Every shape of the grid at every size, at rest and at the peak of the beat. */
	for (unsigned k = 0; k < GRID_SHAPES; k++) {
		struct heart_shape s;
		grid_shape(k, &s);
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			for (int peak = 0; peak < 2; peak++) {
				build(&s, sizes[i][0], sizes[i][1],
				      peak ? 1 + HEART_AMPLITUDE_MAX : 1, &p);
				span_compare(&g, &p, sizes[i][0], sizes[i][1]);
			}
	}
	/* Random shapes, sizes, phases and transforms, including hearts larger than the image
	 * and hearts crossing its borders (their edges are clamped to the sides). */
	uint64_t seed = 14;
	for (int n = 0; n < 300; n++) {
		struct heart_shape s;
		struct heart_transform t, scaled;
		grid_shape((unsigned)(uniform(&seed) * GRID_SHAPES), &s);
		for (int i = 0; i < HEART_PARAM_COUNT; i++) {
			const struct heart_param_info *pi = heart_param_info(i);
			if (uniform(&seed) < 0.5)
				assert_true(heart_shape_set(
					&s, i, pi->min + uniform(&seed) * (pi->max - pi->min)));
		}
		uint32_t const w = 1 + (uint32_t)(uniform(&seed) * 300);
		uint32_t const h = 1 + (uint32_t)(uniform(&seed) * 300);
		heart_layout(&s, w, h, 0.5 + uniform(&seed) * 2, uniform(&seed) * 0.45,
			     1 + HEART_AMPLITUDE_MAX, &t);
		heart_transform_scale(
			&t,
			3 * uniform(&seed) *
				heart_beat_scale(1, HEART_AMPLITUDE_MAX, uniform(&seed)),
			&scaled);
		scaled.tx += (uniform(&seed) - 0.5) * w;
		scaled.ty += (uniform(&seed) - 0.5) * h;
		heart_path_build(&s, &scaled, &p);
		span_compare(&g, &p, w, h);
	}
	/* The sizes the benchmarks use, and the widest rows. */
	struct heart_shape s;
	heart_shape_default(&s);
	build(&s, 4096, 4096, 1, &p);
	span_compare(&g, &p, 4096, 4096);
	/* Rows 8000 to 8063 of the 16384² heart: the widest rows there are. */
	struct heart_transform t;
	heart_layout(&s, HEART_RASTER_MAX, HEART_RASTER_MAX, 1, 0.05, 1 + HEART_AMPLITUDE_MAX, &t);
	t.ty -= 8000;
	heart_path_build(&s, &t, &p);
	span_compare(&g, &p, HEART_RASTER_MAX, 64);

	/* The comparison saw edges, not only empty rows. */
	assert_true(g.partial > 100000 && g.pixels > 30000000);
	span_rig_finish(&g);
}

/* ---- the shape space ---- */

static void report(const char *what, const struct heart_shape *s, const struct shape_metrics *m)
{
	print_message("%s: aspect %.3f cleft %.3f lobe %.3f tip %.3f: cleft %.3f flat %.3f "
		      "roundness %.3f tip %.3f bulge %.4f..%.4f dent %.4f\n",
		      what, s->value[HEART_PARAM_ASPECT], s->value[HEART_PARAM_CLEFT],
		      s->value[HEART_PARAM_LOBE], s->value[HEART_PARAM_TIP], m->cleft, m->flat,
		      m->roundness, m->tip, m->bulge_min, m->bulge_max, m->dent);
}

static void test_shape_space_is_all_hearts(void **state)
{
	struct heart_shape s;
	struct shape_metrics m;
	for (unsigned k = 0; k < GRID_SHAPES; k++) {
		grid_shape(k, &s);
		shape_measure(&s, 400, &m);
		if (!shape_metrics_is_heart(&m)) {
			report("not a heart", &s, &m);
			fail();
		}
	}
	/* The same measures refuse what the old parameter box drew (set directly: the setter
	 * refuses these values): a shield, a fork, boxy and pointed lobes, an apple's round
	 * bottom, an underside that turns inward. */
	static const double outside[][HEART_PARAM_COUNT] = {
		{1.1, 0, 1, 0.7},      {1.1, 0.5, 1, 0.7}, {1.1, 0.25, 1.5, 0.7},
		{1.1, 0.25, 0.5, 0.7}, {1.1, 0.25, 1, -1}, {1.1, 0.25, 1, 2},
	};
	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		memcpy(s.value, outside[i], sizeof(s.value));
		shape_measure(&s, 400, &m);
		if (shape_metrics_is_heart(&m)) {
			report("measured as a heart", &s, &m);
			fail();
		}
	}
	/* The default heart is the default it always was. */
	heart_shape_default(&s);
	shape_measure(&s, 400, &m);
	assert_true(shape_metrics_is_heart(&m));
}

/* ---- pool ---- */

static void test_no_allocation_after_first_frame(void **state)
{
	struct heart_shape s;
	struct heart_path p;
	heart_shape_default(&s);
	heap_calls = 0;
	struct heart_pool *pool = heart_pool_create();
	struct heart_raster *r = heart_raster_create(pool);
	uint32_t const w = 200, h = 120;
	double sink = 0;

	for (int frame = 0; frame <= 1000; frame++) {
		if (frame == 1) {
			/* The counter works: the pool, the raster and the first frame's buffers. */
			assert_true(heap_calls >= 6);
			heap_calls = 0; /* the first frame may grow the pool */
		}
		double const scale = heart_beat_scale(1.4, HEART_AMPLITUDE_MAX, frame / 30.0);
		build(&s, w, h, scale, &p);
		assert_true(heart_raster_begin(r, &p, w, h));
		const uint8_t *row;
		while ((row = heart_raster_row(r)))
			sink += row[w / 2];
		void *frame_buf = heart_pool_get(pool, HEART_POOL_FRAME, w * h * 4);
		assert_non_null(frame_buf);
	}
	assert_int_equal(heap_calls, 0);
	assert_true(sink > 0);
	assert_true(heart_pool_allocations(pool) <= 8);
	heart_raster_destroy(r);
	heart_pool_destroy(pool);
}

static void test_pool_grows_and_keeps(void **state)
{
	struct heart_pool *pool = heart_pool_create();
	void *a = heart_pool_get(pool, HEART_POOL_SCRATCH, 100);
	assert_non_null(a);
	assert_ptr_equal(heart_pool_get(pool, HEART_POOL_SCRATCH, 10), a);
	assert_ptr_equal(heart_pool_get(pool, HEART_POOL_SCRATCH, 100), a);
	assert_non_null(heart_pool_get(pool, HEART_POOL_SCRATCH, 1000));
	assert_int_equal(heart_pool_allocations(pool), 2);
	assert_null(heart_pool_get(pool, HEART_POOL_SLOTS, 1));
	assert_null(heart_pool_get(pool, HEART_POOL_SCRATCH, SIZE_MAX));
	heart_pool_destroy(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_refuse_bad_values),
		cmocka_unit_test(test_path_closed_symmetric_bounded),
		cmocka_unit_test(test_layout_degenerate),
		cmocka_unit_test(test_transform_scales_about_centre),
		cmocka_unit_test(test_area_matches_numeric_integration),
		cmocka_unit_test(test_beat_periodic_continuous_double),
		cmocka_unit_test(test_beat_frequency),
		cmocka_unit_test(test_color_forms),
		cmocka_unit_test(test_color_names),
		cmocka_unit_test(test_color_refusals),
		cmocka_unit_test(test_color_256),
		cmocka_unit_test(test_color_16),
		cmocka_unit_test(test_color_mix_exact_at_coverage_levels),
		cmocka_unit_test(test_color_distance),
		cmocka_unit_test(test_flatten_error_bound),
		cmocka_unit_test(test_raster_total_equals_area),
		cmocka_unit_test(test_raster_inside_outside_bounds),
		cmocka_unit_test(test_raster_sizes),
		cmocka_unit_test(test_raster_spans_match_per_pixel_sum),
		cmocka_unit_test(test_shape_space_is_all_hearts),
		cmocka_unit_test(test_no_allocation_after_first_frame),
		cmocka_unit_test(test_pool_grows_and_keeps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
