/* A heart for each user: the seed's grammar and the mapping from its digest to a heart
 * (param_draw.h). The mapping is a contract (docs/drawing.md): changing it changes every
 * user's heart, and tests/param/test_seed.c holds it to fixed ids. */
#include <math.h>
#include <string.h>

#include <sodium.h>

#include "base/text.h"
#include "param_draw.h"

/* The colour every seed shares but for its hue: OKLCH lightness and chroma that stay inside
 * sRGB at every hue and contrast at least 3.7:1 with white and 5:1 with black. */
static const double seed_lightness = 0.6, seed_chroma = 0.1;
/* The part of each shape range the seeds use: 0.1 to 0.9 of it (the box's edges stay the
 * options'). */
static const double seed_edge = 0.1, seed_span = 0.8;

bool param_seed_ok(const char *seed)
{
	size_t const len = strnlen(seed, PARAM_SEED_MAX + 1);
	if (len == 0 || len > PARAM_SEED_MAX)
		return false;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t const n = base_utf8_decode(seed + i, len - i, &cp);
		if (n == 0 || base_unicode_control(cp))
			return false;
		i += n;
	}
	return true;
}

static unsigned u16_at(const unsigned char *d, size_t i)
{
	return (unsigned)d[i] | (unsigned)d[i + 1] << 8;
}

/* sRGB's transfer function on a linear channel, to 0..255 (rounded to nearest). */
static uint8_t srgb_byte(double linear)
{
	double const c = fmin(fmax(linear, 0), 1);
	double const v = c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055;
	return (uint8_t)lround(v * 255);
}

/* OKLCH (Björn Ottosson's OKLab in polar form) to sRGB. */
static struct heart_rgb oklch_rgb(double L, double C, double hue_deg)
{
	double const h = hue_deg * (M_PI / 180);
	double const a = C * cos(h), b = C * sin(h);
	double const l_ = L + 0.3963377774 * a + 0.2158037573 * b;
	double const m_ = L - 0.1055613458 * a - 0.0638541728 * b;
	double const s_ = L - 0.0894841775 * a - 1.2914855480 * b;
	double const l = l_ * l_ * l_, m = m_ * m_ * m_, s = s_ * s_ * s_;
	return (struct heart_rgb){
		srgb_byte(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
		srgb_byte(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
		srgb_byte(-0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s),
	};
}

void param_seed_derive(const char *seed, size_t len, struct param_seed *out)
{
	unsigned char d[32];
	crypto_generichash(d, sizeof(d), (const unsigned char *)seed, len, NULL, 0);
	for (int p = 0; p < HEART_PARAM_COUNT; p++) {
		const struct heart_param_info *const info = heart_param_info(p);
		double const t = seed_edge + seed_span * u16_at(d, 2 * (size_t)p) / 65535.0;
		out->shape.value[p] = info->min + (info->max - info->min) * t;
	}
	out->hue = 360 * u16_at(d, 8) / 65536.0;
	out->phase = u16_at(d, 10) / 65536.0;
	out->color = oklch_rgb(seed_lightness, seed_chroma, out->hue);
}

void param_seed_apply(struct param_values *v)
{
	static const enum param_id shape_ids[HEART_PARAM_COUNT] = {
		[HEART_PARAM_ASPECT] = PD_ASPECT,
		[HEART_PARAM_CLEFT] = PD_CLEFT,
		[HEART_PARAM_LOBE] = PD_LOBE,
		[HEART_PARAM_TIP] = PD_TIP,
	};
	struct param_seed s;
	if (!v->seed)
		return;
	param_seed_derive(v->seed, strlen(v->seed), &s);
	for (int p = 0; p < HEART_PARAM_COUNT; p++)
		if (!param_given(v, shape_ids[p]))
			v->shape.value[p] = s.shape.value[p];
	if (!param_given(v, PD_COLOR))
		v->color.rgb = s.color;
	v->start = s.phase;
}
