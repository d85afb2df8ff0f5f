#pragma once

/*
 * What the three files of render/term.h share: term.c (cells from coverage), term_color.c
 * (colours), term_encode.c (bytes). Private to render/ and tests/render/, like
 * render_internal.h. Pure functions and constant tables: safe from any thread.
 */

#include <stdint.h>

#include "render/term.h"
#include "render_internal.h"

/* A cell the terminal shows when nothing was drawn: a space in its own colours. */
extern const struct term_cell term_cell_blank;

/* Colour c as a cell colour at depth: 0xRRGGBB, a palette index, or TERM_COLOR_DEFAULT. */
uint32_t term_color_quantize(struct heart_rgb c, enum term_depth depth);

/* The colours of a half-block pixel at each coverage level / 255 in style st, whose depth is
 * 16 or 256: see term_color.c. */
void term_edge_colors(const struct term_style *st, uint32_t lut[256]);

/* Number of heart emoji, and the UTF-8 text of emoji i (< count; "" otherwise, static). */
unsigned term_emoji_count(void);
const char *term_emoji_utf8(unsigned i);

/* The heart emoji a person would name colour c by: the nearest in OKLab with chroma and hue
 * weighted above lightness. An index < term_emoji_count(). */
unsigned term_emoji_nearest(struct heart_rgb c);
