#pragma once

/* The heart as a PNG image, written row by row as the rasterizer produces it (libpng).
 * Threads: a write takes its memory from the pool it is given (HEART_POOL_ENCODER), so two
 * threads may write PNGs at once with pools of their own, never with one pool. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "render/model.h"
#include "render/raster.h"

struct heart_png_options {
	struct heart_rgb color;
	bool transparent;            /* background fully transparent ... */
	struct heart_rgb background; /* ... or this colour */
	const char *software;        /* text of the Software chunk, or NULL for none; copied */
};

enum heart_png_status {
	HEART_PNG_OK,
	HEART_PNG_NOMEM,     /* out of memory */
	HEART_PNG_TOO_LARGE, /* a side over HEART_RASTER_MAX, or zero */
	HEART_PNG_WRITE,     /* the stream refused the bytes (disk full, closed pipe, ...) */
};

/*
 * Rasterize `path` into a width × height PNG (pixels) written to `fp`, one row at a time as the
 * rasterizer produces it; fp is flushed, not closed. The image is indexed (a 256-entry palette,
 * plus tRNS when transparent): one entry per coverage level, so a single-colour heart is stored
 * exactly. Fully transparent pixels are transparent black, so viewers that ignore alpha show
 * the heart on black. Carries an sRGB chunk. The raster's pool supplies the buffers; libpng
 * allocates its own and frees them before returning.
 */
enum heart_png_status heart_png_write(FILE *fp, struct heart_raster *r,
				      const struct heart_path *path, uint32_t width,
				      uint32_t height, const struct heart_png_options *o);

/* A short, static English description of status. */
const char *heart_png_strerror(enum heart_png_status status);
