/* The table of drawing parameters and the rules between them (param_draw.h). */
#include "param_draw.h"

#include <stdio.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

static bool title_ok(const char *title)
{
	size_t at;
	return svg_title_check(title, &at) == SVG_OK;
}

static bool id_ok(const char *id)
{
	return svg_id_check(id) == SVG_OK;
}

static bool seed_ok(const char *seed)
{
	return param_seed_ok(seed);
}

/* A shape's range, default and help are render/model.h's (heart_param_info()); the name is
 * the model's too (tests/param/ checks). */
#define SHAPE_ROW(id, option, p, doc)                           \
	[id] = {.name = option,                                 \
		.rule = {.kind = PARAM_SHAPE, .shape = p},      \
		.offset = offsetof(struct param_values, shape), \
		.outputs = PARAM_OUT_ALL | PARAM_OUT_ICONS,     \
		.draw_option = true,                            \
		.value_name = "X",                              \
		.api_doc = doc}

static const struct param_def defs[PD_COUNT] = {
	[PD_COLOR] = {.name = "color",
		      .rule = {.kind = PARAM_COLOR},
		      .offset = offsetof(struct param_values, color),
		      .outputs = PARAM_OUT_ALL | PARAM_OUT_ICONS,
		      .draw_option = true,
		      .value_name = "C",
		      .help = "heart colour (default red): RRGGBB, #RGB, ... or a CSS name",
		      .brief = "heart colour",
		      .default_text = "red",
		      .api_doc = "Heart colour: RRGGBB, #RRGGBB, RGB or #RGB in hex digits of any "
				 "case (send '#' as %23), or a CSS Color 4 name, ASCII "
				 "case-insensitive (listed in lower case)."},
	[PD_BACKGROUND] = {.name = "background",
			   .rule = {.kind = PARAM_COLOR, .flags = PARAM_TRANSPARENT},
			   .offset = offsetof(struct param_values, background),
			   .outputs = PARAM_OUT_ALL | PARAM_OUT_ICONS,
			   .draw_option = true,
			   .value_name = "C",
			   .help = "background colour, or 'transparent'",
			   .brief = "background colour",
			   .default_text = "transparent",
			   .api_doc = "Background colour, in the forms of color, or transparent."},
	/* heart play's --size counts cells and is its own option. */
	[PD_SIZE] = {.name = "size",
		     .rule = {.kind = PARAM_SIZE, .max = SVG_SIZE_MAX},
		     .offset = offsetof(struct param_values, size),
		     .outputs = PARAM_OUT_IMAGES,
		     .value_name = "N|WxH",
		     .help = "width and height in pixels",
		     .default_text = "256"},
	[PD_ANIMATE] = {.name = "animate",
			.rule = {.kind = PARAM_FLAG},
			.offset = offsetof(struct param_values, animate),
			.outputs = PARAM_OUT_ANY_SVG | PARAM_OUT_ANY_PNG,
			.help = "beat like the terminal heart",
			.default_text = "false",
			.api_doc = "Beat like the terminal heart: on /heart.svg with CSS keyframes "
				   "(the static "
				   "heart under prefers-reduced-motion and for "
				   "Sec-CH-Prefers-Reduced-Motion: "
				   "reduce), on /heart.png as an animated PNG (APNG) whose default "
				   "image, for "
				   "viewers without APNG, is the heart at rest."},
	[PD_FPS] = {.name = "fps",
		    .rule = {.kind = PARAM_DOUBLE,
			     .min = HEART_BEAT_HZ_MIN,
			     .max = HEART_BEAT_HZ_MAX},
		    .offset = offsetof(struct param_values, fps),
		    .outputs = PARAM_OUT_ALL,
		    .draw_option = true,
		    .value_name = "HZ",
		    .help = "beats per second",
		    .default_text = STR(HEART_BEAT_HZ_DEFAULT),
		    .api_doc = "Beats per second."},
	[PD_BPM] = {.name = "bpm",
		    .rule = {.kind = PARAM_DOUBLE,
			     .min = HEART_BEAT_HZ_MIN * 60,
			     .max = HEART_BEAT_HZ_MAX * 60},
		    .offset = offsetof(struct param_values, bpm),
		    .outputs = PARAM_OUT_ALL,
		    .draw_option = true,
		    .value_name = "N",
		    .help = "beats per minute",
		    .api_doc = "Beats per minute, instead of fps (default 72)."},
	[PD_PHASE] = {.name = "phase",
		      .rule = {.kind = PARAM_DOUBLE, .min = 0, .max = 1},
		      .offset = offsetof(struct param_values, phase),
		      .outputs = PARAM_OUT_ANY_PNG,
		      .value_name = "P",
		      .help = "the heart at this point of its beat",
		      .default_text = "0",
		      .api_doc = "The heart at this point of its beat (0 at rest); with it the "
				 "image keeps room for the beat's peak, so frames line up."},
	[PD_AMPLITUDE] = {.name = "amplitude",
			  .rule = {.kind = PARAM_DOUBLE,
				   .min = HEART_AMPLITUDE_MIN,
				   .max = HEART_AMPLITUDE_MAX},
			  .offset = offsetof(struct param_values, amplitude),
			  .outputs = PARAM_OUT_ALL,
			  .draw_option = true,
			  .value_name = "A",
			  .help = "growth at the peak of a beat",
			  .default_text = STR(HEART_AMPLITUDE_DEFAULT),
			  .api_doc = "Growth at the peak of a beat."},
	SHAPE_ROW(PD_ASPECT, "aspect", HEART_PARAM_ASPECT, "Width / height of the heart."),
	SHAPE_ROW(PD_CLEFT, "cleft", HEART_PARAM_CLEFT,
		  "Depth of the top cleft, fraction of the height."),
	SHAPE_ROW(PD_LOBE, "lobe", HEART_PARAM_LOBE, "Fullness of the lobes (1 circular)."),
	SHAPE_ROW(PD_TIP, "tip", HEART_PARAM_TIP, "Sharpness of the tip (0 blunt, 1 sharp)."),
	[PD_TITLE] = {.name = "title",
		      .rule = {.kind = PARAM_TEXT,
			       .check = title_ok,
			       .expected = "1 to " STR(SVG_TITLE_MAX) " bytes of UTF-8 without "
								      "control characters"},
		      .offset = offsetof(struct param_values, title),
		      .outputs = PARAM_OUT_ANY_SVG,
		      .value_name = "TEXT",
		      .help = "accessible name"},
	[PD_ID] = {.name = "id",
		   .rule = {.kind = PARAM_TEXT,
			    .check = id_ok,
			    .expected = "a letter, then letters, digits, '_' or '-', at most " STR(
				    SVG_ID_MAX) " bytes"},
		   .offset = offsetof(struct param_values, id),
		   .outputs = PARAM_OUT_ANY_SVG,
		   .value_name = "PREFIX",
		   .help = "prefix of the ids",
		   .default_text = "heart"},
	/* heart serve calls it user=; the value never goes into a message, a log or a tag. */
	[PD_SEED] = {.name = "seed",
		     .query_name = "user",
		     .rule = {.kind = PARAM_TEXT,
			      .min = 1,
			      .max = PARAM_SEED_MAX,
			      .check = seed_ok,
			      .expected = "1 to " STR(PARAM_SEED_MAX) " bytes of UTF-8 without "
								      "control characters"},
		     .offset = offsetof(struct param_values, seed),
		     .outputs = PARAM_OUT_ALL | PARAM_OUT_ICONS,
		     .draw_option = true,
		     .value_name = "TEXT",
		     .help = "draw the heart of TEXT (a user id): shape, colour and start of the "
			     "beat from its hash (explicit options win)",
		     .brief = "draw the heart of this user id",
		     .api_doc =
			     "Any id (a user name, an account number): that user's own heart, "
			     "its shape, colour (unless color is given) and the start of its beat "
			     "(animated) from the BLAKE2b hash of the id, as heart's --seed draws "
			     "it. 1 to 256 bytes of UTF-8 without control characters. Explicit "
			     "parameters win. The id is never logged or echoed."},
	[PD_DARK_COLOR] = {.name = "dark-color",
			   .rule = {.kind = PARAM_COLOR},
			   .offset = offsetof(struct param_values, dark_color),
			   .outputs = PARAM_OUT_ANY_SVG | PARAM_OUT_ICONS,
			   .value_name = "C",
			   .help = "heart colour under prefers-color-scheme: dark",
			   .api_doc =
				   "Heart colour when the reader prefers a dark colour scheme "
				   "(a CSS @media (prefers-color-scheme: dark) rule in the SVG), "
				   "in the forms of color. Without it the heart keeps its colour."},
	[PD_DARK_BACKGROUND] = {.name = "dark-background",
				.rule = {.kind = PARAM_COLOR, .flags = PARAM_TRANSPARENT},
				.offset = offsetof(struct param_values, dark_background),
				.outputs = PARAM_OUT_ANY_SVG | PARAM_OUT_ICONS,
				.value_name = "C",
				.help = "background colour under prefers-color-scheme: dark, or "
					"'transparent'",
				.api_doc =
					"Background colour when the reader prefers a dark colour "
					"scheme, in the forms of background. Without a background "
					"the image stays transparent in light mode."},
};

/* In the order they are checked: the server has always answered the conflict first. */
static const struct param_relation relations[] = {
	{PARAM_CONFLICTS, PD_FPS, PD_BPM, PARAM_OUT_ALL},
	/* A GIF always beats: it has no animate to require. */
	{PARAM_REQUIRES, PD_FPS, PD_ANIMATE, PARAM_OUT_ANY_SVG | PARAM_OUT_ANY_PNG},
	{PARAM_REQUIRES, PD_BPM, PD_ANIMATE, PARAM_OUT_ANY_SVG | PARAM_OUT_ANY_PNG},
	{PARAM_REQUIRES, PD_AMPLITUDE, PD_ANIMATE, PARAM_OUT_ANY_SVG},
	{PARAM_REQUIRES, PD_AMPLITUDE, PD_PHASE, PARAM_OUT_ANY_PNG},
	/* A PNG's amplitude: a frame of the beat (phase) or the whole beat (animate). */
	{PARAM_REQUIRES, PD_AMPLITUDE, PD_ANIMATE, PARAM_OUT_ANY_PNG},
	{PARAM_CONFLICTS, PD_PHASE, PD_ANIMATE, PARAM_OUT_ANY_PNG},
};

const struct param_def *param_def(enum param_id id)
{
	return &defs[id];
}

const struct param_relation *param_relations(size_t *n_out)
{
	*n_out = sizeof(relations) / sizeof(relations[0]);
	return relations;
}

/* The parameter d excludes, whose default d stands instead of; NULL when none. */
static const char *instead_of(const struct param_def *d)
{
	enum param_id const id = (enum param_id)(d - defs);
	for (size_t i = 0; i < sizeof(relations) / sizeof(relations[0]); i++) {
		if (relations[i].kind != PARAM_CONFLICTS)
			continue;
		if (relations[i].param == id)
			return defs[relations[i].other].name;
		if (relations[i].other == id)
			return defs[relations[i].param].name;
	}
	return NULL;
}

void param_def_help(const struct param_def *d, bool brief, char *buf, size_t size)
{
	const char *help = d->help;
	double min = d->rule.min, max = d->rule.max, def = 0;
	bool has_default = d->default_text != NULL;
	if (d->rule.kind == PARAM_SHAPE) {
		const struct heart_param_info *const info = heart_param_info(d->rule.shape);
		help = info->help;
		min = info->min;
		max = info->max;
		def = info->def;
	}
	if (d->rule.kind != PARAM_DOUBLE && d->rule.kind != PARAM_SHAPE) {
		snprintf(buf, size, "%s", brief && d->brief ? d->brief : help);
		return;
	}
	int const n = snprintf(buf, size, "%s, %g to %g", help, min, max);
	if (brief || n < 0 || (size_t)n >= size)
		return;
	if (d->rule.kind == PARAM_SHAPE)
		snprintf(buf + n, size - (size_t)n, " (default %g)", def);
	else if (has_default)
		snprintf(buf + n, size - (size_t)n, " (default %s)", d->default_text);
	else if (instead_of(d))
		snprintf(buf + n, size - (size_t)n, " (instead of --%s)", instead_of(d));
}

void param_values_init(struct param_values *v)
{
	*v = (struct param_values){
		.color = {.rgb = {0xff, 0, 0}},
		.background = {.transparent = true},
		.size = {256, 256},
		.fps = HEART_BEAT_HZ_DEFAULT,
		.amplitude = HEART_AMPLITUDE_DEFAULT,
	};
	heart_shape_default(&v->shape);
}

bool param_values_set(struct param_values *v, enum param_id id, const char *value)
{
	const struct param_def *const d = param_def(id);
	if (!param_parse(&d->rule, value, (char *)v + d->offset))
		return false;
	v->given |= 1u << id;
	return true;
}

/* Whether v satisfies parameter id as something another needs: a flag must be true. */
static bool satisfied(const struct param_values *v, enum param_id id)
{
	if (param_def(id)->rule.kind == PARAM_FLAG)
		return *(const bool *)((const char *)v + param_def(id)->offset);
	return param_given(v, id);
}

/* Whether another REQUIRES row of relations[i]'s parameter for output is met: the rows of
 * one parameter and output are alternatives (a PNG's amplitude needs phase or animate). */
static bool other_satisfied(const struct param_values *v, enum param_output output, size_t i)
{
	for (size_t j = 0; j < sizeof(relations) / sizeof(relations[0]); j++) {
		const struct param_relation *const r = &relations[j];
		if (j != i && r->kind == PARAM_REQUIRES && r->param == relations[i].param &&
		    (r->outputs & output) && satisfied(v, r->other))
			return true;
	}
	return false;
}

bool param_values_check(const struct param_values *v, enum param_output output,
			struct param_violation *out)
{
	*out = (struct param_violation){.kind = PARAM_VIOLATION_NONE};
	for (int id = 0; id < PD_COUNT; id++) {
		if (param_given(v, id) && !(param_def(id)->outputs & output)) {
			*out = (struct param_violation){PARAM_VIOLATION_OUTPUT, id, id};
			return false;
		}
	}
	for (size_t i = 0; i < sizeof(relations) / sizeof(relations[0]); i++) {
		const struct param_relation *const r = &relations[i];
		if (!(r->outputs & output) || !param_given(v, r->param))
			continue;
		if (r->kind == PARAM_CONFLICTS && satisfied(v, r->other)) {
			*out = (struct param_violation){PARAM_VIOLATION_CONFLICTS, r->param,
							r->other};
			return false;
		}
		if (r->kind == PARAM_REQUIRES && !satisfied(v, r->other) &&
		    !other_satisfied(v, output, i)) {
			*out = (struct param_violation){PARAM_VIOLATION_REQUIRES, r->param,
							r->other};
			return false;
		}
	}
	return true;
}

double param_values_hz(const struct param_values *v)
{
	return param_given(v, PD_BPM) ? v->bpm / 60 : v->fps;
}

void param_svg_options(const struct param_values *v, struct svg_options *out)
{
	svg_options_default(out);
	out->shape = v->shape;
	out->width = v->size.width;
	out->height = v->size.height;
	out->color = v->color.rgb;
	out->background = !v->background.transparent;
	out->background_color = v->background.rgb;
	out->animate = v->animate;
	out->hz = param_values_hz(v);
	out->amplitude = v->amplitude;
	out->start = v->start;
	out->title = v->title;
	out->id_prefix = v->id;
	out->has_dark_color = param_given(v, PD_DARK_COLOR);
	out->dark_color = v->dark_color.rgb;
	out->has_dark_background = param_given(v, PD_DARK_BACKGROUND);
	out->dark_background = !v->dark_background.transparent;
	out->dark_background_color = v->dark_background.rgb;
}

void param_png_options(const struct param_values *v, const char *software,
		       struct heart_png_options *out, double *amplitude_out)
{
	*out = (struct heart_png_options){
		.color = v->color.rgb,
		.transparent = v->background.transparent,
		.background = v->background.rgb,
		.software = software,
	};
	*amplitude_out = param_given(v, PD_PHASE) || v->animate ? v->amplitude : 0;
}

void param_gif_options(const struct param_values *v, struct heart_gif_options *out)
{
	*out = (struct heart_gif_options){
		.shape = v->shape,
		.color = v->color.rgb,
		.background = v->background.transparent ? PARAM_GIF_MATTE : v->background.rgb,
		.hz = param_values_hz(v),
		.amplitude = v->amplitude,
		.start = v->start,
	};
}
