#pragma once

/*
 * The heart as an animated GIF: one beat that loops forever (giflib).
 * Threads: a write takes its frames from the pool it is given (HEART_POOL_FRAME,
 * HEART_POOL_FRAME_PREV, HEART_POOL_SCRATCH, and a row in HEART_POOL_OUTPUT), so two threads
 * may write GIFs at once with pools of their own, never with one pool. The timing and
 * cropping functions are pure.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "render/model.h"
#include "render/raster.h"

/* GIF delays count hundredths of a second; browsers play a delay under 2 as 10, so 2 is the
 * shortest heart writes. */
#define HEART_GIF_DELAY_MIN 2
/* The delay heart aims at between frames (about 30 frames a second). */
#define HEART_GIF_DELAY_AIM 3
/* The most frames a beat has: the longest beat (HEART_BEAT_HZ_MIN) at the aimed delay. */
#define HEART_GIF_FRAMES_MAX 334

struct heart_gif_options {
	struct heart_shape shape;
	struct heart_rgb color;
	/* The opaque colour under the heart: a GIF has no partial transparency, so the edges are
	 * blended into it (heart gif uses --background, white when transparent). */
	struct heart_rgb background;
	double hz;        /* beats per second, HEART_BEAT_HZ_MIN to HEART_BEAT_HZ_MAX */
	double amplitude; /* the beat's extra scale at its peak */
	double start;     /* where in the beat (0 to 1) the first frame is: a seed's phase */
};

enum heart_gif_status {
	HEART_GIF_OK,
	HEART_GIF_NOMEM,     /* out of memory */
	HEART_GIF_TOO_LARGE, /* a side over HEART_RASTER_MAX, or zero */
	HEART_GIF_WRITE,     /* the stream refused the bytes (disk full, closed pipe, ...) */
};

/*
 * The frames of one beat at hz: *n_out frames (at most HEART_GIF_FRAMES_MAX) whose delays
 * (hundredths of a second, each at least HEART_GIF_DELAY_MIN) sum to round(100 / hz), the
 * rounding spread over the frames; start_out[k] is when frame k starts (start_out[0] = 0), so
 * its phase of the beat is start_out[k] / that sum. Returns the sum. hz outside
 * HEART_BEAT_HZ_MIN..HEART_BEAT_HZ_MAX is clamped to that range.
 */
unsigned heart_gif_timing(double hz, uint16_t delays_out[HEART_GIF_FRAMES_MAX],
			  uint16_t start_out[HEART_GIF_FRAMES_MAX], size_t *n_out);

/*
 * Write one beat of the heart as a width × height GIF (pixels) to fp, looping forever
 * (NETSCAPE2.0, count 0): heart_gif_timing()'s frames, each drawn by heart_image_path() with
 * room for the beat's peak. One global palette: the heart over the background at those of 255
 * coverage levels the frames use, and one transparent entry. Frames after the first hold only
 * the rectangle that changed (disposal "none"), unchanged pixels in it transparent or in their
 * colour, whichever LZW makes smaller; a frame equal to the one before adds its delay to it.
 * fp is flushed, not closed. Frames come from the raster's pool; giflib allocates its two
 * encoders' state (one only counts bytes) and frees it before returning.
 */
enum heart_gif_status heart_gif_write(FILE *fp, struct heart_raster *r, uint32_t width,
				      uint32_t height, const struct heart_gif_options *o);

/* A short, static English description of status. */
const char *heart_gif_strerror(enum heart_gif_status status);
