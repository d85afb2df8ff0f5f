#pragma once

/*
 * The exact-area rasterizer every raster output uses (render/png.h, render/term.h), and the
 * buffer pool that gives it, and its callers, memory that is reused from frame to frame.
 * Threads: a pool and the rasterizers made from it belong to one thread at a time (heart serve
 * gives each worker its own); different pools may be used on different threads at once.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render/model.h"

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
	HEART_POOL_ENCODER,    /* the PNG writer's deflate state */
	HEART_POOL_SLOTS,
};

struct heart_pool;

/* A new, empty pool, or NULL when out of memory. Free with heart_pool_destroy(). */
struct heart_pool *heart_pool_create(void);

/* Free the pool and every buffer it handed out. Accepts NULL. */
void heart_pool_destroy(struct heart_pool *pool);

/* The largest buffer a pool hands out, in bytes: far more than any frame heart renders needs. */
#define HEART_POOL_MAX ((size_t)1 << 30)

/*
 * A buffer of at least `size` bytes for `slot`, aligned for any type, or NULL when out of
 * memory or size exceeds HEART_POOL_MAX. Owned by the pool; valid until the next call for the
 * same slot or heart_pool_destroy(). Contents are not preserved when the buffer grows.
 */
void *heart_pool_get(struct heart_pool *pool, enum heart_pool_slot slot, size_t size);

/* ---- Rasterizer ------------------------------------------------------------------------- */

/* The largest raster side heart renders, in pixels. */
#define HEART_RASTER_MAX 16384

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

/*
 * Start a new image of width × height pixels. Returns false when out of memory or a side is
 * over HEART_RASTER_MAX.
 */
bool heart_raster_begin(struct heart_raster *r, const struct heart_path *path, uint32_t width,
			uint32_t height);

/*
 * The next row's coverage, width bytes of 0 (outside) to 255 (inside), or NULL after the last
 * row. Owned by the raster's pool; valid until the next call.
 */
const uint8_t *heart_raster_row(struct heart_raster *r);

/* Like heart_raster_row(), with coverage as floats in [0, 1]. */
const float *heart_raster_row_float(struct heart_raster *r);

/* ---- Changed rectangles ------------------------------------------------------------------ */

/* A rectangle of pixels: left, top, width, height. */
struct heart_rect {
	uint32_t x, y, w, h;
};

/*
 * The smallest rectangle holding every pixel where the width × height images prev and cur
 * (one byte a pixel, rows one after the other) differ: what a frame of an animation (GIF,
 * APNG) must store. Returns false, *out zero, when they are equal.
 */
bool heart_image_changed(const uint8_t *prev, const uint8_t *cur, uint32_t width, uint32_t height,
			 struct heart_rect *out);
