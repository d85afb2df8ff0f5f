#include "player.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TOO_SMALL "too small"

/* How long a note stays on the bottom row, in seconds. */
#define NOTE_SECONDS 1.5

/* Frequency steps of the + and - keys, in Hz (6 bpm). */
#define HZ_STEP 0.1

bool player_init(struct player *pl, const struct term_style *style, const struct heart_shape *shape,
		 double amplitude, double hz)
{
	*pl = (struct player){
		.style = *style, .shape = *shape, .amplitude = amplitude, .beat = {.hz = hz}};
	pl->pool = heart_pool_create();
	pl->raster = pl->pool ? heart_raster_create(pl->pool) : NULL;
	return pl->raster != NULL;
}

void player_finish(struct player *pl)
{
	heart_raster_destroy(pl->raster);
	heart_pool_destroy(pl->pool);
	pl->raster = NULL;
	pl->pool = NULL;
}

bool player_resize(struct player *pl, uint32_t cols, uint32_t rows, uint32_t left, uint32_t top)
{
	pl->cols = cols;
	pl->rows = rows;
	pl->prev_valid = false;
	if (!term_frame_alloc(&pl->cur, pl->pool, HEART_POOL_FRAME, cols, rows) ||
	    !term_frame_alloc(&pl->prev, pl->pool, HEART_POOL_FRAME_PREV, cols, rows))
		return false;
	pl->cur.left = pl->prev.left = left;
	pl->cur.top = pl->prev.top = top;
	return true;
}

void player_forget_screen(struct player *pl)
{
	pl->prev_valid = false;
}

/* ---- The beat --------------------------------------------------------------------------- */

static double beat_phase(const struct player_beat *b, double seconds)
{
	return b->paused ? b->phase0 : b->phase0 + (seconds - b->t0) * b->hz;
}

/* The heart's scale at `seconds`: at rest while paused. */
static double beat_scale(const struct player_beat *b, double amplitude, double seconds)
{
	return b->paused ? 1 : 1 + amplitude * heart_beat_pulse(beat_phase(b, seconds));
}

static void beat_set_hz(struct player_beat *b, double seconds, double hz)
{
	b->phase0 = beat_phase(b, seconds);
	b->t0 = seconds;
	b->hz = hz;
}

static void beat_pause(struct player_beat *b, double seconds, bool pause)
{
	if (pause == b->paused)
		return;
	/* Paused, the heart rests; resumed, a new beat starts from rest: no jump either way. */
	b->phase0 = pause ? beat_phase(b, seconds) : ceil(beat_phase(b, seconds));
	b->t0 = seconds;
	b->paused = pause;
}

/* ---- Frames ----------------------------------------------------------------------------- */

static bool big_enough(const struct player *pl)
{
	return pl->cols >= TERM_MIN_COLS && pl->rows >= TERM_MIN_ROWS;
}

/* Render the heart at `scale` into pl->cur, with `note` on its bottom row. */
static bool render(struct player *pl, double scale, const char *note)
{
	if (!big_enough(pl)) {
		pl->cur.depth = pl->style.depth;
		term_frame_message(&pl->cur, TOO_SMALL);
		return true;
	}
	if (!term_frame_render(&pl->cur, &pl->style, &pl->shape, 1 + pl->amplitude, scale,
			       pl->raster, pl->pool))
		return false;
	if (*note)
		term_frame_label(&pl->cur, pl->rows - 1, note);
	return true;
}

/* After encoding: the frame just drawn becomes the one to compare against. */
static void swap(struct player *pl)
{
	struct term_frame const t = pl->prev;
	pl->prev = pl->cur;
	pl->cur = t;
	pl->prev_valid = true;
}

bool player_frame(struct player *pl, bool lines, double seconds, const char **bytes_out,
		  size_t *len_out)
{
	double const scale = beat_scale(&pl->beat, pl->amplitude, seconds);
	const char *const note = seconds < pl->note_until ? pl->note : "";
	*bytes_out = NULL;
	*len_out = 0;
	/* Between beats the heart rests for most of each period: nothing to render or send. */
	if (!lines && pl->prev_valid && scale == pl->prev_scale && strcmp(note, pl->prev_note) == 0)
		return true;
	pl->prev_scale = scale;
	snprintf(pl->prev_note, sizeof(pl->prev_note), "%s", note);
	if (!render(pl, scale, note))
		return false;
	bool const ok =
		lines ? term_frame_encode_lines(&pl->cur, "\n", pl->pool, bytes_out, len_out)
		      : term_frame_encode(pl->prev_valid ? &pl->prev : NULL, &pl->cur, true,
					  pl->pool, bytes_out, len_out);
	if (ok && !lines && *len_out == strlen(TERM_SYNC_BEGIN TERM_SYNC_END))
		*bytes_out = NULL;
	swap(pl);
	return ok;
}

/* ---- Keys ------------------------------------------------------------------------------- */

/* Show `text` on the bottom row for a moment from `seconds` on. */
static void note(struct player *pl, double seconds, const char *text)
{
	snprintf(pl->note, sizeof(pl->note), "%s", text);
	pl->note_until = seconds + NOTE_SECONDS;
}

/* Beat faster (dir 1) or slower (-1): the next multiple of HZ_STEP that way, within range. */
static void speed(struct player *pl, double seconds, int dir)
{
	double const steps = pl->beat.hz / HZ_STEP;
	double hz = (dir > 0 ? floor(steps + 1e-6) + 1 : ceil(steps - 1e-6) - 1) * HZ_STEP;
	hz = fmin(fmax(hz, HEART_BEAT_HZ_MIN), HEART_BEAT_HZ_MAX);
	beat_set_hz(&pl->beat, seconds, hz);
	char text[PLAYER_NOTE_MAX];
	snprintf(text, sizeof(text), "%.1f Hz, %.0f bpm", hz, hz * 60);
	note(pl, seconds, text);
}

bool player_key(struct player *pl, double seconds, const struct input_event *ev)
{
	if (ev->kind == INPUT_ESCAPE)
		return true;
	if (ev->kind != INPUT_KEY)
		return false; /* arrows, function keys: nothing */
	switch (ev->key) {
	case 'q':
	case 'Q':
		return true;
	case ' ':
		beat_pause(&pl->beat, seconds, !pl->beat.paused);
		note(pl, seconds, pl->beat.paused ? "paused" : "");
		return false;
	case '+':
	case '=':
		speed(pl, seconds, 1);
		return false;
	case '-':
	case '_':
		speed(pl, seconds, -1);
		return false;
	default:
		return false;
	}
}
