#include "draw.h"

void draw_opts_init(struct draw_opts *d)
{
	*d = (struct draw_opts){
		.color = {.rgb = {0xff, 0, 0}},
		.background = {.transparent = true},
		.hz = HEART_BEAT_HZ_DEFAULT,
		.amplitude = HEART_AMPLITUDE_DEFAULT,
	};
	heart_shape_default(&d->shape);
}

void draw_opts_finish(struct draw_opts *d, const struct arg_result *r, int base)
{
	d->color_given = arg_given(r, base + DRAW_OPT_COLOR);
	d->background_given = arg_given(r, base + DRAW_OPT_BACKGROUND);
	d->hz_given = arg_given(r, base + DRAW_OPT_FPS) || arg_given(r, base + DRAW_OPT_BPM);
	if (arg_given(r, base + DRAW_OPT_BPM))
		d->hz = d->bpm / 60;
}
