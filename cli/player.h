#pragma once

/*
 * The animation heart play shows: its frames (the current one and the one on the screen, for
 * the damage encoder), the beat's clock, which the keys pause and speed up, and a note shown
 * for a moment on the bottom row. No I/O: the command writes the bytes (cmd_play.c).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input.h"
#include "render/model.h"
#include "render/raster.h"
#include "render/term.h"

/* The beat's clock: its phase (in beats) follows the time at the current frequency, stands
 * still while paused, and stays continuous when the frequency changes. */
struct player_beat {
	double hz;
	double phase0, t0; /* the phase at t0 seconds */
	bool paused;
};

#define PLAYER_NOTE_MAX 32

struct player {
	struct term_style style; /* prepared (term_style_prepare) */
	struct heart_shape shape;
	double amplitude; /* the beat's extra scale at its peak */
	struct heart_pool *pool;
	struct heart_raster *raster;
	struct term_frame cur, prev;
	bool prev_valid; /* prev is on the screen */
	double prev_scale;
	uint32_t cols, rows;
	struct player_beat beat;
	char note[PLAYER_NOTE_MAX]; /* shown until note_until seconds */
	double note_until;
	char prev_note[PLAYER_NOTE_MAX]; /* the note in prev */
};

/*
 * Set pl up to draw `shape` in prepared style `style`, beating at hz with `amplitude`: its
 * buffer pool and rasterizer. Returns false when out of memory; player_finish() then frees
 * what was taken. No frame size yet: call player_resize().
 */
bool player_init(struct player *pl, const struct term_style *style, const struct heart_shape *shape,
		 double amplitude, double hz);

/* Free what player_init() took. Safe after a failed player_init(). */
void player_finish(struct player *pl);

/* Draw cols × rows cells from screen cell (left, top) on; the next frame is a full redraw.
 * Returns false when out of memory. */
bool player_resize(struct player *pl, uint32_t cols, uint32_t rows, uint32_t left, uint32_t top);

/* The screen no longer shows the last frame (after a suspend): redraw it whole. */
void player_forget_screen(struct player *pl);

/*
 * Render the frame at `seconds` and encode it: as plain lines (`lines`, for a pipe; always
 * sent) or as the changes from the frame on the screen. *bytes_out is NULL when nothing
 * changed; else the bytes live in pl's pool until the next call. Returns false when out of
 * memory.
 */
bool player_frame(struct player *pl, bool lines, double seconds, const char **bytes_out,
		  size_t *len_out);

/* Act on a key (tty_key()) typed at `seconds`: Space pauses or resumes, + and - change the
 * beat by 0.1 Hz. Returns whether it asks to quit (q, Q, Esc). */
bool player_key(struct player *pl, double seconds, const struct input_event *ev);
