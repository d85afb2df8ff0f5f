#include "draw.h"

#include <string.h>

#include "cli.h"

void draw_opts_init(struct draw_opts *d)
{
	*d = (struct draw_opts){
		.color = {0xff, 0, 0},
		.transparent = true,
		.hz = HEART_BEAT_HZ_DEFAULT,
		.amplitude = HEART_AMPLITUDE_DEFAULT,
	};
	heart_shape_default(&d->shape);
}

static bool parse_color(const char *opt, const char *value, struct heart_rgb *out)
{
	if (heart_color_parse(value, out))
		return true;
	cli_error("%s: '%s' is not a colour (expected %s)", opt, quote(value).s, HEART_COLOR_FORMS);
	return false;
}

bool draw_opts_apply(struct draw_opts *d, int id, const char *value)
{
	double v;

	switch (id) {
	case DRAW_OPT_ASPECT:
	case DRAW_OPT_CLEFT:
	case DRAW_OPT_LOBE:
	case DRAW_OPT_TIP: {
		enum heart_param const p = (enum heart_param)(id - DRAW_OPT_ASPECT);
		const struct heart_param_info *info = heart_param_info(p);
		char opt[32] = "--";
		strncat(opt, info->name, sizeof(opt) - 3);
		return arg_double(opt, value, info->min, info->max, &v) &&
		       heart_shape_set(&d->shape, p, v);
	}
	case DRAW_OPT_COLOR:
		d->color_given = true;
		return parse_color("--color", value, &d->color);
	case DRAW_OPT_BACKGROUND:
		d->background_given = true;
		d->transparent = strcmp(value, "transparent") == 0;
		return d->transparent || parse_color("--background", value, &d->background);
	case DRAW_OPT_FPS:
		d->hz_given = true;
		return arg_double("--fps", value, HEART_BEAT_HZ_MIN, HEART_BEAT_HZ_MAX, &d->hz);
	case DRAW_OPT_BPM:
		d->hz_given = true;
		if (!arg_double("--bpm", value, HEART_BEAT_HZ_MIN * 60, HEART_BEAT_HZ_MAX * 60, &v))
			return false;
		d->hz = v / 60;
		return true;
	case DRAW_OPT_AMPLITUDE:
		return arg_double("--amplitude", value, HEART_AMPLITUDE_MIN, HEART_AMPLITUDE_MAX,
				  &d->amplitude);
	default:
		return false;
	}
}

bool draw_opts_finish(const struct draw_opts *d, const struct arg_parser *p)
{
	unsigned long long const both = 1ULL << DRAW_OPT_FPS | 1ULL << DRAW_OPT_BPM;
	if ((p->seen & both) == both) {
		cli_usage_error("%s: --fps and --bpm both set the beat; give one", p->cmd->name);
		return false;
	}
	return true;
}
