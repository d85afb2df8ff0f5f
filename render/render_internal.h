#pragma once

/* Private to render/: nothing outside this folder includes it. */

#include "render.h"

struct named_color {
	const char *name;
	struct heart_rgb rgb;
};

/* Sorted by name; generated from assets/css-colors.txt. */
extern const struct named_color named_colors[];
extern const size_t named_colors_count;
