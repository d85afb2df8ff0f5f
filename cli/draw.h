#pragma once

/* Options shared by the commands that draw the heart (the terminal, png, svg). */

#include <stdbool.h>

#include "args.h"
#include "render/model.h"

struct draw_opts {
	struct heart_shape shape;
	struct heart_rgb color;
	bool color_given;
	struct heart_rgb background;
	bool background_given;  /* a colour, or "transparent" */
	bool transparent;       /* --background transparent (the default for png and svg) */
	double hz;              /* beat frequency */
	bool hz_given;          /* --fps or --bpm */
	double amplitude;       /* the beat's extra scale at its peak */
};

/* The options, in this order, at the start of every drawing command's arg_opt table. */
enum {
	DRAW_OPT_ASPECT,
	DRAW_OPT_CLEFT,
	DRAW_OPT_LOBE,
	DRAW_OPT_TIP,
	DRAW_OPT_COLOR,
	DRAW_OPT_BACKGROUND,
	DRAW_OPT_FPS,
	DRAW_OPT_BPM,
	DRAW_OPT_AMPLITUDE,
	DRAW_OPT_COUNT,
};
#define DRAW_ARG_OPTS                                                                              \
	{"aspect", 0, true}, {"cleft", 0, true}, {"lobe", 0, true}, {"tip", 0, true},              \
		{"color", 0, true}, {"background", 0, true}, {"fps", 0, true}, {"bpm", 0, true},   \
		{"amplitude", 0, true}

/* Help text for those options, for a command's usage. */
#define DRAW_USAGE                                                                                 \
	"  --color C          heart colour (default red): RRGGBB, #RGB, ... or a CSS name\n"     \
	"  --background C     background colour, or 'transparent'\n"                             \
	"  --fps HZ           beats per second, 0.1 to 10 (default 1.2)\n"                       \
	"  --bpm N            beats per minute, 6 to 600 (instead of --fps)\n"                   \
	"  --amplitude A      growth at the peak of a beat, 0 to 0.5 (default 0.12)\n"           \
	"  --aspect X         width / height, 0.8 to 1.4 (default 1.1)\n"                        \
	"  --cleft X          depth of the top cleft, 0.15 to 0.35 (default 0.25)\n"             \
	"  --lobe X           fullness of the lobes, 0.85 to 1.15 (default 1)\n"                 \
	"  --tip X            sharpness of the tip, 0 to 1 (default 0.7)\n"

/* Defaults: the default shape, red, transparent background, 1.2 Hz. */
void draw_opts_init(struct draw_opts *d);

/*
 * Apply option `id` (< DRAW_OPT_COUNT) with its value. A bad value is reported on stderr
 * (naming the option, the value and what was expected); returns false then.
 */
bool draw_opts_apply(struct draw_opts *d, int id, const char *value);

/* Checks across options (--fps with --bpm). Reports and returns false on a conflict. */
bool draw_opts_finish(const struct draw_opts *d, const struct arg_parser *p);
