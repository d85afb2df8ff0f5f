#pragma once

/*
 * The drawing options play, png and svg share. Their rows (DRAW_OPTIONS, DRAW_OPT_*) are
 * generated from param/'s table of drawing parameters (param_draw.h) into draw_options.h;
 * a command's options structure holds a struct param_values named draw, which the rows fill.
 */

#include <stdbool.h>
#include <stddef.h>

#include "args.h"
#include "draw_options.h"
#include "param_draw.h"
#include "render/model.h"

struct command;

/*
 * The check of a drawing option whose value is text (opt_spec's check; opt is "--name"): the
 * table's rule. A refusal says what was expected and does not repeat the value (a --seed is
 * someone's id).
 */
bool draw_text_check(const char *opt, const char *value);

/* After arg_parse(): mark in d which drawing options were given (their rows start at base). */
void draw_values_finish(struct param_values *d, const struct arg_result *r, int base);

/* Mark parameter id given in d when option `opt` of the command's table was. */
void draw_value_given(struct param_values *d, const struct arg_result *r, int opt,
		      enum param_id id);

/*
 * Check d for output (one of PARAM_OUT_PLAY, _PNG, _SVG) and report the first rule it breaks
 * as cmd's usage error, in the words of the command line. Returns CLI_CONTINUE or the exit
 * status.
 */
int draw_values_check(const struct command *cmd, const struct param_values *d,
		      enum param_output output);
