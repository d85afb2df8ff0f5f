#include "draw.h"

#include <string.h>

#include "cli.h"

bool draw_text_check(const char *opt, const char *value)
{
	for (int id = 0; id < PD_COUNT; id++) {
		const struct param_def *const d = param_def(id);
		const char *slot;
		if (strcmp(d->name, opt + 2) != 0)
			continue;
		if (param_parse(&d->rule, value, &slot))
			return true;
		char expected[256];
		param_expected(&d->rule, d->value_name, expected, sizeof(expected));
		cli_error("%s: the value (not repeated here) is not %s", opt, expected);
		return false;
	}
	return true; /* not a drawing parameter: nothing to add to arg_parse()'s checks */
}

void draw_value_given(struct param_values *d, const struct arg_result *r, int opt, enum param_id id)
{
	if (arg_given(r, opt))
		d->given |= 1u << id;
}

void draw_values_finish(struct param_values *d, const struct arg_result *r, int base)
{
	static const int ids[DRAW_OPT_COUNT] = DRAW_OPTION_PARAMS;
	for (int k = 0; k < DRAW_OPT_COUNT; k++)
		draw_value_given(d, r, base + k, ids[k]);
}

static const char png_beat[] = "--fps and --bpm set how fast the heart beats, and a PNG does "
			       "not move without --animate (--phase and --frames count in beats)";

/* The command line's words for a broken rule; the rule itself is param/'s. */
static const struct {
	enum param_violation_kind kind;
	unsigned outputs;
	int param, other; /* -1: any */
	const char *text;
} wording[] = {
	{PARAM_VIOLATION_REQUIRES, PARAM_OUT_SVG, PD_FPS, PD_ANIMATE,
	 "--fps and --bpm set the beat of --animate; add --animate"},
	{PARAM_VIOLATION_REQUIRES, PARAM_OUT_SVG, PD_BPM, PD_ANIMATE,
	 "--fps and --bpm set the beat of --animate; add --animate"},
	{PARAM_VIOLATION_REQUIRES, PARAM_OUT_SVG, PD_AMPLITUDE, PD_ANIMATE,
	 "--amplitude sets how much the heart grows as it beats; a static heart does not beat "
	 "(add --animate)"},
	{PARAM_VIOLATION_REQUIRES, PARAM_OUT_PNG, PD_AMPLITUDE, PD_PHASE,
	 "--amplitude sets how much the heart grows as it beats; a single image at rest does "
	 "not beat (add --phase, --frames or --animate)"},
	{PARAM_VIOLATION_REQUIRES, PARAM_OUT_PNG, PD_FPS, PD_ANIMATE, png_beat},
	{PARAM_VIOLATION_REQUIRES, PARAM_OUT_PNG, PD_BPM, PD_ANIMATE, png_beat},
};

int draw_values_check(const struct command *cmd, const struct param_values *d,
		      enum param_output output)
{
	struct param_violation v;
	if (param_values_check(d, output, &v))
		return CLI_CONTINUE;
	for (size_t i = 0; i < sizeof(wording) / sizeof(wording[0]); i++)
		if (wording[i].kind == v.kind && (wording[i].outputs & output) &&
		    wording[i].param == (int)v.param &&
		    (wording[i].other < 0 || wording[i].other == (int)v.other))
			return cli_usage_error(cmd, "%s", wording[i].text);
	/* A rule the table gained without words here. */
	const char *const name = param_def(v.param)->name, *const other = param_def(v.other)->name;
	if (v.kind == PARAM_VIOLATION_REQUIRES)
		return cli_usage_error(cmd, "--%s needs --%s", name, other);
	if (v.kind == PARAM_VIOLATION_CONFLICTS)
		return cli_usage_error(cmd, "--%s and --%s exclude each other", name, other);
	return cli_usage_error(cmd, "--%s does not apply to heart %s", name, cmd->name);
}
