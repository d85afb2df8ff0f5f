/* Colour science for the terminal: which heart emoji a colour is, how a colour becomes a
 * cell colour at each depth, and the palette colours that draw an edge without a halo. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/term.h"
#include "term_internal.h"

/* ---- Glyphs ----------------------------------------------------------------------------- */

struct emoji {
	const char *utf8;
	/* A colour close to how common emoji fonts paint it (Material Design shades, as Noto Color
	 * Emoji does), tuned so that every CSS named colour picks the heart a person would name
	 * it by: tests/data/term/emoji-names.txt lists them all. */
	struct heart_rgb rgb;
};

/* ❤ takes the emoji selector U+FE0F so terminals draw it in colour, like the others. The
 * Unicode 15 hearts (🩷 pink, 🩵 light blue, 🩶 grey) are left out: glibc 2.36 gives them no
 * width and many fonts no glyph. New entries go at the end: indices are glyphs. */
static const struct emoji emoji[] = {
	{"\xe2\x9d\xa4\xef\xb8\x8f", {0xe5, 0x39, 0x35}}, /* ❤️ red */
	{"\xf0\x9f\xa7\xa1", {0xfb, 0x8c, 0x00}},         /* 🧡 orange */
	{"\xf0\x9f\x92\x9b", {0xfd, 0xd8, 0x35}},         /* 💛 yellow */
	{"\xf0\x9f\x92\x9a", {0x43, 0xa0, 0x47}},         /* 💚 green */
	{"\xf0\x9f\x92\x99", {0x29, 0xb6, 0xf6}},         /* 💙 blue */
	{"\xf0\x9f\x92\x9c", {0x9c, 0x27, 0xb0}},         /* 💜 purple */
	{"\xf0\x9f\xa4\x8e", {0x79, 0x55, 0x48}},         /* 🤎 brown */
	{"\xf0\x9f\xa4\x8d", {0xff, 0xff, 0xff}},         /* 🤍 white */
	{"\xf0\x9f\x96\xa4", {0x42, 0x42, 0x42}},         /* 🖤 black */
	{"\xf0\x9f\x92\x97", {0xec, 0x40, 0x7a}},         /* 💗 growing heart: deep pink */
	{"\xf0\x9f\x92\x96", {0xf4, 0x8f, 0xb1}},         /* 💖 sparkling heart: light pink */
	{"\xf0\x9f\x92\x93", {0xf0, 0x62, 0x92}},         /* 💓 beating heart: pink */
};
#define EMOJI_COUNT (sizeof(emoji) / sizeof(emoji[0]))

unsigned term_emoji_count(void)
{
	return EMOJI_COUNT;
}

const char *term_emoji_utf8(unsigned i)
{
	return i < EMOJI_COUNT ? emoji[i].utf8 : "";
}

/* OKLab (Björn Ottosson, 2020): L from 0 (black) to 1 (white); a and b, about -0.4 to 0.4,
 * green-red and blue-yellow. Distances in it follow perceived differences. */
struct oklab {
	double L, a, b;
};

static double linear(uint8_t v)
{
	double const c = v / 255.0;
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static struct oklab oklab_of(struct heart_rgb c)
{
	double const r = linear(c.r), g = linear(c.g), b = linear(c.b);
	double const l = cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
	double const m = cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
	double const s = cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
	return (struct oklab){0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
			      1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
			      0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s};
}

/* How much more than lightness a difference in chroma (colourfulness) and in hue counts when
 * naming a heart: a grey is not a brown, a cyan is not white, whatever their lightness. */
#define EMOJI_CHROMA_WEIGHT 4.0
#define EMOJI_HUE_WEIGHT 3.0

/* Squared distance in OKLCh: lightness, chroma and hue differences (the hue term is the
 * chord between the hues at the colours' chroma, so it fades out for greys), weighted. */
static double hue_distance(struct oklab x, struct oklab y)
{
	double const dL = x.L - y.L, da = x.a - y.a, db = x.b - y.b;
	double const dC = hypot(x.a, x.b) - hypot(y.a, y.b);
	double const dH2 = fmax(0, da * da + db * db - dC * dC);
	return dL * dL + EMOJI_CHROMA_WEIGHT * EMOJI_CHROMA_WEIGHT * dC * dC +
	       EMOJI_HUE_WEIGHT * EMOJI_HUE_WEIGHT * dH2;
}

unsigned term_emoji_nearest(struct heart_rgb c)
{
	struct oklab const want = oklab_of(c);
	unsigned best = 0;
	double best_d = INFINITY;
	for (unsigned i = 0; i < EMOJI_COUNT; i++) {
		double const d = hue_distance(want, oklab_of(emoji[i].rgb));
		if (d < best_d) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

uint32_t term_color_quantize(struct heart_rgb c, enum term_depth depth)
{
	switch (depth) {
	case TERM_DEPTH_TRUECOLOR:
		return (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
	case TERM_DEPTH_256:
		return heart_color_to_256(c);
	case TERM_DEPTH_16:
		return heart_color_to_16(c);
	default:
		return TERM_COLOR_DEFAULT;
	}
}

/* ---- Edge colours --------------------------------------------------------------------- */

/* How far (OKLab distance) a palette colour may lie from the blend it stands for at an edge. */
#define EDGE_TOLERANCE 0.04

/* Relative luminance (0 black, 1 white). */
static double luminance(struct heart_rgb c)
{
	return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

static double oklab_distance(struct heart_rgb x, struct heart_rgb y)
{
	struct oklab const a = oklab_of(x), b = oklab_of(y);
	return sqrt((a.L - b.L) * (a.L - b.L) + (a.a - b.a) * (a.a - b.a) +
		    (a.b - b.b) * (a.b - b.b));
}

/* A palette colour that can draw an edge pixel: where it lies on the blend from background
 * (t = 0) to heart (t = 1), and how far from the blend it is (OKLab). */
struct shade {
	uint32_t color;
	double t, error;
};

/*
 * Whether palette colour i stands for a blend between background bg and heart colour fg:
 * it projects strictly between them, is no darker and no lighter than both ends (lo..hi,
 * luminance), and lies within EDGE_TOLERANCE of the blend there.
 */
static bool shade_of(uint32_t i, struct heart_rgb bg, struct heart_rgb fg, double lo, double hi,
		     struct shade *out)
{
	struct heart_rgb const p = heart_color_from_256((uint8_t)i);
	double const dr = fg.r - bg.r, dg = fg.g - bg.g, db = fg.b - bg.b;
	double const len2 = dr * dr + dg * dg + db * db;
	double const t = ((p.r - bg.r) * dr + (p.g - bg.g) * dg + (p.b - bg.b) * db) / len2;
	if (!(t > 0 && t < 1))
		return false;
	double const y = luminance(p);
	if (y < lo || y > hi)
		return false;
	double const error = oklab_distance(p, heart_rgb_mix(bg, fg, (float)t));
	*out = (struct shade){i, t, error};
	return error <= EDGE_TOLERANCE;
}

/*
 * For 16 and 256 colours, lut[level] is the colour of a half-block pixel with coverage
 * level / 255, chosen against the actual background: the background (TERM_COLOR_DEFAULT when
 * it is not painted) below half coverage and the heart's nearest palette colour from half up,
 * unless (256 colours) a palette colour standing for the blend (shade_of) lies nearer the
 * coverage. So a
 * light terminal gets no dark halo and a dark one no light halo, and no pixel less than half
 * covered is drawn in the heart's colour: the quantized shape has no spikes.
 */
void term_edge_colors(const struct term_style *st, uint32_t lut[256])
{
	struct heart_rgb const bg = st->background, fg = st->color;
	uint32_t const fg_q = term_color_quantize(fg, st->depth);
	uint32_t const bg_q =
		st->has_background ? term_color_quantize(bg, st->depth) : TERM_COLOR_DEFAULT;
	double const y_bg = luminance(bg), y_fg = luminance(fg);
	double const y_q = luminance(heart_color_from_256((uint8_t)fg_q));
	double const lo = fmin(y_bg, fmin(y_fg, y_q)), hi = fmax(y_bg, fmax(y_fg, y_q));
	double const span = fmax(oklab_distance(bg, fg), 1e-9);
	struct shade shades[256];
	size_t n = 0;
	/* Shades come from the 6x6x6 cube and the grey ramp only: the 16 system colours differ
	 * from terminal to terminal (a "grey" may be anything from #aaa to #e5e5e5), so in 16
	 * colours an edge pixel is the background or the heart. */
	bool const shaded =
		st->depth == TERM_DEPTH_256 && (bg.r != fg.r || bg.g != fg.g || bg.b != fg.b);
	for (uint32_t i = 16; shaded && i <= 255; i++)
		if (i != fg_q && i != bg_q && shade_of(i, bg, fg, lo, hi, &shades[n]))
			n++;
	for (int level = 0; level < 256; level++) {
		double const c = level / 255.0;
		/* The ends sit at 0 and 1 exactly: the shape is the pixels half covered. */
		uint32_t best = c < 0.5 ? bg_q : fg_q;
		double best_cost = c < 0.5 ? c * c : (1 - c) * (1 - c);
		for (size_t k = 0; k < n; k++) {
			double const dt = shades[k].t - c, e = shades[k].error / span;
			if (dt * dt + e * e < best_cost) {
				best = shades[k].color;
				best_cost = dt * dt + e * e;
			}
		}
		lut[level] = best;
	}
}
