#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "render/model.h"
#include "render_internal.h"

static bool parse_hex(const char *s, size_t len, struct heart_rgb *out)
{
	int d[6];
	for (size_t i = 0; i < len; i++)
		if ((d[i] = base_hex_digit(s[i])) < 0)
			return false;
	if (len == 3)
		*out = (struct heart_rgb){(uint8_t)(d[0] * 17), (uint8_t)(d[1] * 17),
					  (uint8_t)(d[2] * 17)};
	else
		*out = (struct heart_rgb){(uint8_t)(d[0] * 16 + d[1]), (uint8_t)(d[2] * 16 + d[3]),
					  (uint8_t)(d[4] * 16 + d[5])};
	return true;
}

static int compare_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct named_color *)elem)->name);
}

static bool parse_name(const char *s, size_t len, struct heart_rgb *out)
{
	char lower[32];
	if (len == 0 || len >= sizeof(lower))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c < 'a' || c > 'z')
			return false;
		lower[i] = c;
	}
	lower[len] = '\0';
	const struct named_color *hit = bsearch(lower, named_colors, named_colors_count,
						sizeof(named_colors[0]), compare_name);
	if (!hit)
		return false;
	*out = hit->rgb;
	return true;
}

bool heart_color_parse(const char *s, struct heart_rgb *out)
{
	struct heart_rgb rgb;
	size_t const len = strnlen(s, 64);
	bool const hash = len > 0 && s[0] == '#';
	size_t const digits = len - hash;

	if ((digits == 3 || digits == 6) && parse_hex(s + hash, digits, &rgb)) {
		*out = rgb;
		return true;
	}
	if (!hash && parse_name(s, len, &rgb)) {
		*out = rgb;
		return true;
	}
	return false;
}

static const uint8_t cube_level[6] = {0, 95, 135, 175, 215, 255};

struct heart_rgb heart_color_from_256(uint8_t index)
{
	static const struct heart_rgb ansi[16] = {
		{0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
		{0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
		{127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
		{92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
	};
	if (index < 16)
		return ansi[index];
	if (index >= 232) {
		uint8_t const v = (uint8_t)(8 + 10 * (index - 232));
		return (struct heart_rgb){v, v, v};
	}
	int const i = index - 16;
	return (struct heart_rgb){cube_level[i / 36], cube_level[i / 6 % 6], cube_level[i % 6]};
}

static int nearest_level(uint8_t v)
{
	int best = 0;
	for (int i = 1; i < 6; i++)
		if (abs(cube_level[i] - v) < abs(cube_level[best] - v))
			best = i;
	return best;
}

uint8_t heart_color_to_256(struct heart_rgb c)
{
	uint8_t const cube = (uint8_t)(16 + 36 * nearest_level(c.r) + 6 * nearest_level(c.g) +
				       nearest_level(c.b));
	/* The grey ramp 232..255 runs 8, 18, ..., 238; aim at the mean of the channels. */
	int const mean = (c.r + c.g + c.b) / 3;
	int step = (mean - 8 + 5) / 10;
	step = step < 0 ? 0 : step > 23 ? 23 : step;
	uint8_t const grey = (uint8_t)(232 + step);

	return heart_rgb_distance(c, heart_color_from_256(grey)) <
			       heart_rgb_distance(c, heart_color_from_256(cube))
		       ? grey
		       : cube;
}

uint8_t heart_color_to_16(struct heart_rgb c)
{
	uint8_t best = 0;
	for (uint8_t i = 1; i < 16; i++)
		if (heart_rgb_distance(c, heart_color_from_256(i)) <
		    heart_rgb_distance(c, heart_color_from_256(best)))
			best = i;
	return best;
}

const char *heart_color_name(struct heart_rgb c)
{
	const char *best = NULL;
	for (size_t i = 0; i < named_colors_count; i++) {
		struct heart_rgb const n = named_colors[i].rgb;
		if (n.r == c.r && n.g == c.g && n.b == c.b &&
		    (!best || strlen(named_colors[i].name) < strlen(best)))
			best = named_colors[i].name;
	}
	return best;
}
