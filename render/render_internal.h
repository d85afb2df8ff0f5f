#pragma once

/*
 * render/'s internals: NOT part of its API (the headers in include/render/ are).
 *
 * Included by render/'s own sources and by its unit tests (tests/render/), never by cli/,
 * svg/ or bench/: no meson dependency exposes this folder. What is here may change with no
 * notice to anyone outside render/.
 */

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "render/model.h"

struct heart_pool;

/* ---- Shared between render/'s sources --------------------------------------------------- */

struct named_color {
	const char *name;
	struct heart_rgb rgb;
};

/* Sorted by name; generated from assets/css-colors.txt. */
extern const struct named_color named_colors[];
extern const size_t named_colors_count;

/*
 * The one colour blend: `from` moved a fraction t (0 to 1) of the way to `to`, each channel
 * rounded to the nearest integer. Coverage blends through here in every output. With
 * t = i / 255.0f it equals the exact (from·(255 − i) + to·i) / 255 rounded half up for every i
 * (the float error is far below the distance from any rounding boundary, which is at least
 * 1/510), so an 8-bit coverage level blends exactly; tests/render/ checks every case. Inline:
 * the terminal blends every pixel of every frame.
 */
static inline uint8_t heart_channel_mix(uint8_t from, uint8_t to, float t)
{
	return (uint8_t)lrintf((float)from + ((float)to - (float)from) * t);
}

static inline struct heart_rgb heart_rgb_mix(struct heart_rgb from, struct heart_rgb to, float t)
{
	return (struct heart_rgb){heart_channel_mix(from.r, to.r, t),
				  heart_channel_mix(from.g, to.g, t),
				  heart_channel_mix(from.b, to.b, t)};
}

/*
 * The one colour distance, for picking the nearest entry of a palette (xterm's):
 * squared, weighted roughly for the eye's sensitivity (green most, blue least).
 */
static inline long heart_rgb_distance(struct heart_rgb a, struct heart_rgb b)
{
	long const dr = a.r - b.r, dg = a.g - b.g, db = a.b - b.b;
	return 3 * dr * dr + 4 * dg * dg + 2 * db * db;
}

/* ---- Exposed only for tests/render/ ----------------------------------------------------- */

/* Flattening tolerance in output pixels: the line segments stay this close to the curve. */
#define HEART_FLATTEN_TOLERANCE 0.1

/*
 * Number of line segments that keep cubic `c` (starting at `from`) within `tolerance` of the
 * curve (Wang's formula), at least 1.
 */
unsigned heart_cubic_segments(struct heart_point from, const struct heart_cubic *c,
			      double tolerance);

struct heart_raster;

/* The pool a raster takes its buffers from (the PNG writer borrows a slot of it). */
struct heart_pool *heart_raster_pool(const struct heart_raster *r);

/*
 * The next row as the rasterizer accumulated it, before the running sum that turns it into
 * coverage: width + 2 cells of signed area and cover (render/raster.c), or NULL after the last
 * row. Owned by the raster. The caller reads the cells and must set all width + 2 back to
 * zero before the next call. For tests/render/'s per-pixel reference sum.
 */
float *heart_raster_row_cells(struct heart_raster *r);

/* Exact enclosed area of the path, in output units squared (positive). */
double heart_path_area(const struct heart_path *p);

/* Smallest box holding the path's control points: it contains the curve. */
void heart_path_bounds(const struct heart_path *p, struct heart_point *min_out,
		       struct heart_point *max_out);

/* Number of allocations the pool has made so far. */
size_t heart_pool_allocations(const struct heart_pool *pool);

/* The sRGB value of an xterm-256 index (0..255). */
struct heart_rgb heart_color_from_256(uint8_t index);
