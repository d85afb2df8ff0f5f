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
	HEART_PNG_BAD_BEAT,  /* an APNG's hz or amplitude outside render/model.h's range */
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

/* ---- APNG -------------------------------------------------------------------------------- */

/* An animated PNG shows about this many frames a second (fewer where the heart is still). */
#define HEART_APNG_FPS 30

/* One loop of the beat: `frames` equally spaced phases (4 to 300; phase k is k / frames of
 * the beat), and the period as an exact fraction of seconds, period_num / period_den (each
 * at most 65535 / frames, so every frame's delay fits fcTL's 16-bit fields exactly). */
struct heart_apng_timing {
	uint32_t frames;
	uint32_t period_num, period_den;
};

/* The timing of a beat of hz (HEART_BEAT_HZ_MIN to _MAX): about HEART_APNG_FPS frames a
 * second, the period the closest fraction to 1 / hz that fits (exact for 1.2 Hz: 5/6 s). */
void heart_apng_timing(double hz, struct heart_apng_timing *out);

/*
 * The beat of `shape` at hz beats per second growing by `amplitude` (render/model.h's ranges;
 * else HEART_PNG_BAD_BEAT) as an animated PNG of width × height pixels, written to fp (flushed,
 * not closed). The palette, tRNS and metadata are heart_png_write()'s; then acTL (loops
 * forever), the default image in IDAT, and per frame an fcTL and its fdAT chunks, numbered
 * from 0 by one counter. The default image is outside the animation: exactly the image
 * heart_png_write() makes of the heart at rest filling the image (amplitude 0), which viewers
 * without APNG show. The animation's frames are the phases of heart_apng_timing() laid out
 * with room for the peak (heart_image_path() with `amplitude`), each pixel exactly what
 * heart_png_write() gives that phase: the first frame whole, each later one the rectangle that
 * changed (blend source, dispose none), a phase that changes nothing merged into the frame
 * before (its delay grows). The delays add up to exactly the period of the timing. Every
 * buffer comes from the raster's pool (three images of width × height bytes, the plan, zlib's
 * and libpng's state): after the first APNG of a size, another allocates nothing. Each phase
 * is rasterized twice: once to plan the frames (acTL's count comes first), once to write.
 */
enum heart_png_status heart_apng_write(FILE *fp, struct heart_raster *r,
				       const struct heart_shape *shape, uint32_t width,
				       uint32_t height, double hz, double amplitude,
				       const struct heart_png_options *o);

/* A short, static English description of status. */
const char *heart_png_strerror(enum heart_png_status status);
