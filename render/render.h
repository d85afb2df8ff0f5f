#pragma once

/*
 * heart's model and renderer: the one heart shape (cubic Béziers from named parameters), its
 * beat, colours, and the exact-area rasterizer every raster output uses.
 *
 * Coordinates: model space has the heart's bounding box centred on the origin, x to the right,
 * y down, height 1 and width `aspect`. A transform maps it to output pixels.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Shape ---------------------------------------------------------------------------- */

enum heart_param {
	HEART_PARAM_ASPECT, /* width / height of the bounding box */
	HEART_PARAM_CLEFT,  /* depth of the top cleft below the lobes, fraction of the height */
	HEART_PARAM_LOBE,   /* fullness of the lobes: 1 is circular, less is flatter */
	HEART_PARAM_TIP,    /* sharpness of the bottom tip: 0 round, 1 sharpest */
	HEART_PARAM_COUNT,
};

struct heart_param_info {
	const char *name; /* option name, e.g. "aspect" */
	double min, max;  /* inclusive range */
	double def;       /* default */
	const char *help; /* one line */
};

/* Name, range and default of parameter p (p < HEART_PARAM_COUNT). Never NULL. */
const struct heart_param_info *heart_param_info(enum heart_param p);

struct heart_shape {
	double value[HEART_PARAM_COUNT];
};

/* The defaults: a heart people recognise at a glance. */
void heart_shape_default(struct heart_shape *out);

/*
 * Set one parameter. Refuses (returns false, leaves the shape unchanged) NaN, infinities and
 * values outside the documented range; nothing is clamped.
 */
bool heart_shape_set(struct heart_shape *s, enum heart_param p, double value);

/* ---- Path ------------------------------------------------------------------------------ */

#define HEART_SEGMENTS 6

struct heart_point {
	double x, y;
};

/* One cubic Bézier segment; it starts where the previous one ends. */
struct heart_cubic {
	struct heart_point c1, c2, end;
};

/* A closed path: starts at the cleft, runs clockwise on screen, ends back at the cleft. */
struct heart_path {
	struct heart_point start;
	struct heart_cubic seg[HEART_SEGMENTS];
};

/* out = (sx·x + tx, sy·y + ty): model space to output units. */
struct heart_transform {
	double sx, sy;
	double tx, ty;
};

/*
 * Fit the heart, scaled by max_scale (the beat's largest scale, >= 1), into a width × height
 * area, centred, leaving `margin` (fraction of the smaller side, 0 to 0.45) free on every side.
 * pixel_aspect is a pixel's height over its width (1 for square pixels, 2 for terminal cells
 * used as one pixel each). A zero or negative area gives a zero scale (an empty heart).
 */
void heart_layout(const struct heart_shape *s, double width, double height, double pixel_aspect,
		  double margin, double max_scale, struct heart_transform *out);

/* The transform t scaled by `scale` about the heart's centre. */
void heart_transform_scale(const struct heart_transform *t, double scale,
			   struct heart_transform *out);

/* The heart's path under transform t. */
void heart_path_build(const struct heart_shape *s, const struct heart_transform *t,
		      struct heart_path *out);

/* Exact enclosed area of the path, in output units squared (positive). */
double heart_path_area(const struct heart_path *p);

/* Smallest box holding the path's control points: it contains the curve. */
void heart_path_bounds(const struct heart_path *p, struct heart_point *min_out,
		       struct heart_point *max_out);

/* Point on segment i (0 <= i < HEART_SEGMENTS) at parameter t in [0, 1]. */
struct heart_point heart_path_eval(const struct heart_path *p, int i, double t);

/* ---- Beat ------------------------------------------------------------------------------- */

#define HEART_BEAT_HZ_MIN 0.1
#define HEART_BEAT_HZ_MAX 10.0
#define HEART_BEAT_HZ_DEFAULT 1.2
#define HEART_AMPLITUDE_MIN 0.0
#define HEART_AMPLITUDE_MAX 0.5
#define HEART_AMPLITUDE_DEFAULT 0.12

/*
 * The pulse at `phase` (any real; period 1): 0 at rest, 1 at the peak of the strong "lub",
 * about 0.55 at the weaker "dub". Continuous and smooth everywhere, including phase 0 = 1.
 */
double heart_beat_pulse(double phase);

/* Scale of the heart at `seconds` since the start: 1 + amplitude · pulse(seconds · hz). */
double heart_beat_scale(double hz, double amplitude, double seconds);

/* ---- Colours ---------------------------------------------------------------------------- */

struct heart_rgb {
	uint8_t r, g, b;
};

/*
 * Parse RRGGBB, #RRGGBB, RGB, #RGB (hex digits, any case) or a CSS Color 4 named colour (ASCII
 * case-insensitive). Anything else, including whitespace and trailing bytes, is refused:
 * returns false and leaves *out unchanged. The accepted forms, for messages:
 */
#define HEART_COLOR_FORMS "RRGGBB, #RRGGBB, RGB, #RGB or a CSS colour name"
bool heart_color_parse(const char *s, struct heart_rgb *out);

/* Nearest xterm-256 colour from the 6×6×6 cube and grey ramp: an index in 16..255. */
uint8_t heart_color_to_256(struct heart_rgb c);

/* Nearest of the 16 ANSI colours (xterm's palette): 0..7 normal, 8..15 bright. */
uint8_t heart_color_to_16(struct heart_rgb c);

/* The sRGB value of an xterm-256 index (0..255). */
struct heart_rgb heart_color_from_256(uint8_t index);

/* ---- Buffer pool ------------------------------------------------------------------------ */

/*
 * Growable buffers, one per slot, each kept at the largest size asked for: once a frame of a
 * given size has been rendered, further frames of that size allocate nothing.
 */
enum heart_pool_slot {
	HEART_POOL_EDGES,
	HEART_POOL_ACTIVE,
	HEART_POOL_ACCUM,
	HEART_POOL_COVER,
	HEART_POOL_FRAME,      /* for callers: e.g. the current terminal frame */
	HEART_POOL_FRAME_PREV, /* for callers: e.g. the previous terminal frame */
	HEART_POOL_OUTPUT,     /* for callers: encoded bytes */
	HEART_POOL_SCRATCH,    /* for callers */
	HEART_POOL_SLOTS,
};

struct heart_pool;

/* A new, empty pool, or NULL when out of memory. Free with heart_pool_destroy(). */
struct heart_pool *heart_pool_create(void);

/* Free the pool and every buffer it handed out. Accepts NULL. */
void heart_pool_destroy(struct heart_pool *pool);

/* The largest buffer a pool hands out: far more than any frame heart renders needs. */
#define HEART_POOL_MAX ((size_t)1 << 30)

/*
 * A buffer of at least `size` bytes for `slot`, aligned for any type, or NULL when out of
 * memory or size exceeds HEART_POOL_MAX. Owned by the pool; valid until the next call for the same slot
 * or heart_pool_destroy(). Contents are not preserved when the buffer grows.
 */
void *heart_pool_get(struct heart_pool *pool, enum heart_pool_slot slot, size_t size);

/* Number of allocations the pool has made so far (for tests and benchmarks). */
size_t heart_pool_allocations(const struct heart_pool *pool);

/* ---- Rasterizer ------------------------------------------------------------------------- */

/* The largest raster side heart renders. */
#define HEART_RASTER_MAX 16384

/* Flattening tolerance in output pixels: the line segments stay this close to the curve. */
#define HEART_FLATTEN_TOLERANCE 0.1

/*
 * Number of line segments that keep cubic `c` (starting at `from`) within `tolerance` of the
 * curve (Wang's formula), at least 1.
 */
unsigned heart_cubic_segments(struct heart_point from, const struct heart_cubic *c,
			      double tolerance);

struct heart_raster;

/*
 * A rasterizer producing exact-area coverage of `path` for a width × height image, one row at
 * a time, top to bottom, with memory proportional to the width. Buffers come from `pool`, which
 * must outlive the raster and serve no other raster. Returns NULL when out of memory. Free with
 * heart_raster_destroy().
 */
struct heart_raster *heart_raster_create(struct heart_pool *pool);

/* Accepts NULL. Buffers stay in the pool. */
void heart_raster_destroy(struct heart_raster *r);

/* Start a new image. Returns false when out of memory or a side is over HEART_RASTER_MAX. */
bool heart_raster_begin(struct heart_raster *r, const struct heart_path *path, uint32_t width,
			uint32_t height);

/*
 * The next row's coverage, width bytes of 0 (outside) to 255 (inside), or NULL after the last
 * row. Valid until the next call.
 */
const uint8_t *heart_raster_row(struct heart_raster *r);

/* Like heart_raster_row(), with coverage as floats in [0, 1]. */
const float *heart_raster_row_float(struct heart_raster *r);

/* ---- PNG -------------------------------------------------------------------------------- */

#include <stdio.h>

/* The margin heart's images (PNG, SVG) leave on every side: a fraction of the smaller side. */
#define HEART_IMAGE_MARGIN 0.05

struct heart_png_options {
	struct heart_rgb color;
	bool transparent;            /* background fully transparent ... */
	struct heart_rgb background; /* ... or this colour */
	const char *software;        /* text of the Software chunk, or NULL for none */
};

enum heart_png_status {
	HEART_PNG_OK,
	HEART_PNG_NOMEM,     /* out of memory */
	HEART_PNG_TOO_LARGE, /* a side over HEART_RASTER_MAX, or zero */
	HEART_PNG_WRITE,     /* the stream refused the bytes (disk full, closed pipe, ...) */
};

/*
 * Rasterize `path` into a width × height PNG written to `fp`, one row at a time as the
 * rasterizer produces it. The image is indexed (a 256-entry palette, plus tRNS when
 * transparent): one entry per coverage level, so a single-colour heart is stored exactly.
 * Carries an sRGB chunk. The raster's pool supplies the buffers; libpng allocates its own.
 */
enum heart_png_status heart_png_write(FILE *fp, struct heart_raster *r,
				      const struct heart_path *path, uint32_t width,
				      uint32_t height, const struct heart_png_options *o);

/* A short English description of status. */
const char *heart_png_strerror(enum heart_png_status status);
