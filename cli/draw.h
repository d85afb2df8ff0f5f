#pragma once

/* Options shared by the commands that draw the heart (play, png, svg). */

#include <stdbool.h>
#include <stddef.h>

#include "args.h"
#include "render/model.h"

struct draw_opts {
	/* Filled by arg_parse() from the rows of DRAW_OPTIONS. */
	struct heart_shape shape;
	struct param_color color;
	struct param_color background; /* .transparent by default */
	double hz;                     /* beat frequency: --fps, or --bpm / 60 */
	double bpm;
	double amplitude; /* the beat's extra scale at its peak */
	/* Set by draw_opts_finish(). */
	bool color_given;
	bool background_given; /* a colour, or "transparent" */
	bool hz_given;         /* --fps or --bpm */
};

/* The options' places in a command's table, from that command's base index. */
enum {
	DRAW_OPT_COLOR,
	DRAW_OPT_BACKGROUND,
	DRAW_OPT_FPS,
	DRAW_OPT_BPM,
	DRAW_OPT_AMPLITUDE,
	DRAW_OPT_ASPECT,
	DRAW_OPT_CLEFT,
	DRAW_OPT_LOBE,
	DRAW_OPT_TIP,
	DRAW_OPT_COUNT,
};

/* The exclusive group of --fps and --bpm; commands number their own groups after it. */
enum { DRAW_EXCLUSIVE_BEAT = 1 };

#define DRAW_SHAPE_OPTION(type, base, id, option, p) \
	[(base) + (id)] = {.name = option,           \
			   .kind = ARG_SHAPE,        \
			   .param = p,               \
			   .offset = offsetof(type, draw.shape)}

/* The table rows of the drawing options, at base.. base + DRAW_OPT_COUNT - 1 of a command
 * whose options structure `type` holds a struct draw_opts named draw. */
#define DRAW_OPTIONS(type, base)                                                                   \
	[(base) +                                                                                  \
		DRAW_OPT_COLOR] = {.name = "color",                                                \
				   .kind = ARG_COLOR,                                              \
				   .value_name = "C",                                              \
				   .help = "heart colour (default red): RRGGBB, #RGB, ... or "     \
					   "a CSS name",                                           \
				   .offset = offsetof(type, draw.color)},                          \
		[(base) + DRAW_OPT_BACKGROUND] = {.name = "background",                            \
						  .kind = ARG_COLOR,                               \
						  .flags = ARG_TRANSPARENT,                        \
						  .value_name = "C",                               \
						  .help = "background colour, or 'transparent'",   \
						  .offset = offsetof(type, draw.background)},      \
		[(base) + DRAW_OPT_FPS] = {.name = "fps",                                          \
					   .kind = ARG_DOUBLE,                                     \
					   .value_name = "HZ",                                     \
					   .help = "beats per second, 0.1 to 10 (default 1.2)",    \
					   .offset = offsetof(type, draw.hz),                      \
					   .min = HEART_BEAT_HZ_MIN,                               \
					   .max = HEART_BEAT_HZ_MAX,                               \
					   .exclusive = DRAW_EXCLUSIVE_BEAT},                      \
		[(base) +                                                                          \
			DRAW_OPT_BPM] = {.name = "bpm",                                            \
					 .kind = ARG_DOUBLE,                                       \
					 .value_name = "N",                                        \
					 .help = "beats per minute, 6 to 600 (instead of --fps)",  \
					 .offset = offsetof(type, draw.bpm),                       \
					 .min = HEART_BEAT_HZ_MIN * 60,                            \
					 .max = HEART_BEAT_HZ_MAX * 60,                            \
					 .exclusive = DRAW_EXCLUSIVE_BEAT},                        \
		[(base) + DRAW_OPT_AMPLITUDE] = {.name = "amplitude",                              \
						 .kind = ARG_DOUBLE,                               \
						 .value_name = "A",                                \
						 .help = "growth at the peak of a beat, 0 to 0.5 " \
							 "(default 0.12)",                         \
						 .offset = offsetof(type, draw.amplitude),         \
						 .min = HEART_AMPLITUDE_MIN,                       \
						 .max = HEART_AMPLITUDE_MAX},                      \
		DRAW_SHAPE_OPTION(type, base, DRAW_OPT_ASPECT, "aspect", HEART_PARAM_ASPECT),      \
		DRAW_SHAPE_OPTION(type, base, DRAW_OPT_CLEFT, "cleft", HEART_PARAM_CLEFT),         \
		DRAW_SHAPE_OPTION(type, base, DRAW_OPT_LOBE, "lobe", HEART_PARAM_LOBE),            \
		DRAW_SHAPE_OPTION(type, base, DRAW_OPT_TIP, "tip", HEART_PARAM_TIP)

/* Defaults: the default shape, red, transparent background, 1.2 Hz. */
void draw_opts_init(struct draw_opts *d);

/* After arg_parse(): which options were given (the rows start at base), --bpm as Hz. */
void draw_opts_finish(struct draw_opts *d, const struct arg_result *r, int base);
