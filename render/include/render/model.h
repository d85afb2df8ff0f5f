#pragma once

/*
 * heart's model: the one heart shape (cubic Béziers from named parameters), the path it
 * draws, its beat and its colours. Pure computation: no allocation, no I/O. Everything that
 * draws the heart (render/raster.h, render/term.h, render/png.h, svg/) starts here.
 * Threads: every function works on what it is given and on constant tables only, so any
 * number of threads may call them at once.
 *
 * Coordinates: model space has the heart's bounding box centred on the origin, x to the right,
 * y down, height 1 and width `aspect`. A transform maps it to output units (pixels, cells).
 */

#include <stdbool.h>
#include <stdint.h>

/* ---- Shape ---------------------------------------------------------------------------- */

enum heart_param {
	HEART_PARAM_ASPECT, /* width / height of the bounding box */
	HEART_PARAM_CLEFT,  /* depth of the top cleft below the lobes, fraction of the height */
	HEART_PARAM_LOBE,   /* fullness of the lobes: 1 is circular, less is flatter */
	HEART_PARAM_TIP,    /* sharpness of the bottom tip: 0 blunt, 1 sharpest */
	HEART_PARAM_COUNT,
};

struct heart_param_info {
	const char *name; /* option name, e.g. "aspect" */
	double min, max;  /* inclusive range */
	double def;       /* default */
	const char *help; /* one line */
};

/*
 * Name, range and default of parameter p (p < HEART_PARAM_COUNT). Never NULL; static. Every
 * shape inside the ranges is a heart: two rounded lobes with a cleft between them, an
 * underside that bulges outward from each lobe down to a pointed tip (tests/render/ measures
 * it at every corner and midpoint of the box; docs/shapes.png shows them).
 */
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

/* The margin heart's images (PNG, SVG) leave on every side: a fraction of the smaller side. */
#define HEART_IMAGE_MARGIN 0.05

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

/*
 * The path of a width × height picture (pixels) of the heart at `phase` of its beat, as heart
 * png and heart serve draw it: fitted with HEART_IMAGE_MARGIN, room kept for the beat's peak
 * (1 + amplitude), scaled for the phase. amplitude 0: the heart at rest fills the picture.
 */
void heart_image_path(const struct heart_shape *s, double width, double height, double amplitude,
		      double phase, struct heart_path *out);

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

/* An sRGB colour, 0 to 255 per channel. */
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

/* The shortest CSS named colour that is exactly c ("red" for ff0000), or NULL. Static. */
const char *heart_color_name(struct heart_rgb c);

/* Nearest xterm-256 colour from the 6×6×6 cube and grey ramp: an index in 16..255. */
uint8_t heart_color_to_256(struct heart_rgb c);

/* Nearest of the 16 ANSI colours (xterm's palette): 0..7 normal, 8..15 bright. */
uint8_t heart_color_to_16(struct heart_rgb c);
