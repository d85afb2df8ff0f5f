#include "args.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* [+-]digits[.digits]: what a person types; nothing strtod() would add (hex, exponents,
 * inf/nan, leading spaces) and nothing a locale would (decimal commas). */
static bool plain_decimal(const char *s, bool allow_fraction)
{
	if (*s == '+' || *s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '.' && allow_fraction) {
		s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/*
 * arg_double() in the C locale, whatever LC_NUMERIC says: under a decimal-comma locale
 * strtod("1.3") stops at the point and returns 1, and %g writes "0,5". heart's main() sets no
 * locale, but a library or a future main() may; the thread's locale is switched, not the
 * process's.
 */
static bool double_in_c_locale(const char *opt, const char *s, double lo, double hi, double *out)
{
	double v = 0;
	bool ok = plain_decimal(s, true) && strlen(s) < 64;
	if (ok) {
		errno = 0;
		v = strtod(s, NULL);
		ok = errno == 0 && isfinite(v) && v >= lo && v <= hi;
	}
	if (!ok) {
		cli_error("%s: '%s' is not a number from %g to %g", opt, quote(s).s, lo, hi);
		return false;
	}
	*out = v;
	return true;
}

bool arg_double(const char *opt, const char *s, double lo, double hi, double *out)
{
	locale_t const c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (!c) {
		cli_error("%s: out of memory", opt);
		return false;
	}
	locale_t const previous = uselocale(c);
	bool const ok = double_in_c_locale(opt, s, lo, hi, out);
	uselocale(previous);
	freelocale(c);
	return ok;
}

bool arg_long(const char *opt, const char *s, long lo, long hi, long *out)
{
	long v = 0;
	bool ok = plain_decimal(s, false) && strlen(s) < 32;
	if (ok) {
		errno = 0;
		v = strtol(s, NULL, 10);
		ok = errno == 0 && v >= lo && v <= hi;
	}
	if (!ok) {
		cli_error("%s: '%s' is not a whole number from %ld to %ld", opt, quote(s).s, lo,
			  hi);
		return false;
	}
	*out = v;
	return true;
}

/* One side of a size: 1 to max, digits only. */
static bool side(const char *s, size_t len, double max, uint32_t *out)
{
	uint32_t v = 0;
	if (len == 0 || len > 9)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	*out = v;
	return v >= 1 && v <= max;
}

static bool parse_size(const struct opt_spec *o, const char *opt, const char *s,
		       struct opt_size *out)
{
	const char *const x = strchr(s, 'x');
	struct opt_size v;
	bool const ok = x ? side(s, (size_t)(x - s), o->max, &v.width) &&
					side(x + 1, strlen(x + 1), o->max, &v.height)
			  : !(o->flags & ARG_PAIR) && side(s, strlen(s), o->max, &v.width) &&
					(v.height = v.width, true);
	if (!ok) {
		cli_error("%s: '%s' is not %s, each side from 1 to %.0f", opt, quote(s).s,
			  o->value_name, o->max);
		return false;
	}
	*out = v;
	return true;
}

static bool parse_choice(const struct opt_spec *o, const char *opt, const char *s, int *out)
{
	char expected[256] = "";
	for (int i = 0; o->choices[i]; i++) {
		if (strcmp(s, o->choices[i]) == 0) {
			*out = i;
			return true;
		}
		if (i > 0)
			strncat(expected, ", ", sizeof(expected) - strlen(expected) - 1);
		strncat(expected, o->choices[i], sizeof(expected) - strlen(expected) - 1);
	}
	cli_error("%s: '%s' is not one of %s", opt, quote(s).s, expected);
	return false;
}

static bool parse_color(const struct opt_spec *o, const char *opt, const char *s,
			struct opt_color *out)
{
	if ((o->flags & ARG_TRANSPARENT) && strcmp(s, "transparent") == 0) {
		out->transparent = true;
		return true;
	}
	if (heart_color_parse(s, &out->rgb)) {
		out->transparent = false;
		return true;
	}
	cli_error("%s: '%s' is not a colour (expected %s%s)", opt, quote(s).s, HEART_COLOR_FORMS,
		  o->flags & ARG_TRANSPARENT ? ", or transparent" : "");
	return false;
}

static bool parse_double(const struct opt_spec *o, const char *opt, const char *s, double *out)
{
	double v;
	if (!arg_double(opt, s, o->min, o->max, &v))
		return false;
	if ((o->flags & ARG_ABOVE_MIN) && v <= o->min) {
		cli_error("%s: '%s' is not a number above %g and at most %g", opt, quote(s).s,
			  o->min, o->max);
		return false;
	}
	*out = v;
	return true;
}

static bool parse_shape(const struct opt_spec *o, const char *opt, const char *s,
			struct heart_shape *out)
{
	const struct heart_param_info *info = heart_param_info(o->param);
	double v;
	return arg_double(opt, s, info->min, info->max, &v) && heart_shape_set(out, o->param, v);
}

/* Check value and store it in the command's options structure. */
static bool store(const struct opt_spec *o, const char *value, void *opts)
{
	char opt[40];
	void *slot = (char *)opts + o->offset;

	snprintf(opt, sizeof(opt), "--%s", o->name);
	if (o->flags & ARG_REPEAT) {
		/* The value is checked below as a single one would be, then stored in the list. */
		struct opt_list *const list = slot;
		if (list->n >= OPT_LIST_MAX) {
			cli_error("%s: given more than %d times", opt, OPT_LIST_MAX);
			return false;
		}
		slot = &list->values[list->n++];
	}
	switch (o->kind) {
	case ARG_FLAG:
		*(bool *)slot = true;
		return true;
	case ARG_PATH:
		if (*value == '\0') {
			cli_error("%s: expected a file name", opt);
			return false;
		}
		*(const char **)slot = value;
		return true;
	case ARG_TEXT:
		if (o->check && !o->check(opt, value))
			return false;
		*(const char **)slot = value;
		return true;
	case ARG_DOUBLE:
		return parse_double(o, opt, value, slot);
	case ARG_LONG:
		return arg_long(opt, value, (long)o->min, (long)o->max, slot);
	case ARG_SIZE:
		return parse_size(o, opt, value, slot);
	case ARG_CHOICE:
		return parse_choice(o, opt, value, slot);
	case ARG_COLOR:
		return parse_color(o, opt, value, slot);
	case ARG_SHAPE:
		return parse_shape(o, opt, value, slot);
	}
	return false;
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* The option arg names ("--name", "--name=VALUE" or "-x"), or -1. *inline_out: the value
 * after '=', if any. */
static int find(const struct command *cmd, const char *arg, const char **inline_out)
{
	*inline_out = NULL;
	if (arg[1] != '-') {
		for (size_t i = 0; arg[2] == '\0' && i < cmd->n_opts; i++)
			if (cmd->opts[i].short_name == arg[1])
				return (int)i;
		return -1;
	}
	const char *const name = arg + 2, *const eq = strchr(name, '=');
	size_t const len = eq ? (size_t)(eq - name) : strlen(name);
	for (size_t i = 0; i < cmd->n_opts; i++) {
		if (strlen(cmd->opts[i].name) == len && memcmp(cmd->opts[i].name, name, len) == 0) {
			*inline_out = eq ? eq + 1 : NULL;
			return (int)i;
		}
	}
	return -1;
}

/* The option given before id that excludes it, or -1. */
static int excluded_by(const struct command *cmd, uint64_t seen, int id)
{
	int const group = cmd->opts[id].exclusive;
	for (size_t i = 0; group && i < cmd->n_opts; i++)
		if ((seen >> i & 1) && cmd->opts[i].exclusive == group && (int)i != id)
			return (int)i;
	return -1;
}

/* One option at argv[*index]; returns CLI_CONTINUE or the exit status. */
static int option(const struct command *cmd, int argc, char **argv, int *index, void *opts,
		  struct arg_result *r)
{
	const char *const arg = argv[(*index)++];
	const char *value;
	int const id = find(cmd, arg, &value);

	if (id < 0)
		return cli_usage_error(cmd, "unknown option '%s'", quote(arg).s);
	const struct opt_spec *const o = &cmd->opts[id];
	if (arg_given(r, id) && !(o->flags & ARG_REPEAT))
		return cli_usage_error(cmd, "option --%s given twice", o->name);
	int const other = excluded_by(cmd, r->seen, id);
	if (other >= 0)
		return cli_usage_error(cmd, "give --%s or --%s, not both", cmd->opts[other].name,
				       o->name);
	r->seen |= 1ULL << id;
	if (o->kind == ARG_FLAG && value)
		return cli_usage_error(cmd, "option --%s takes no value", o->name);
	if (o->kind != ARG_FLAG && !value) {
		if (*index >= argc)
			return cli_usage_error(cmd, "option --%s needs a value", o->name);
		value = argv[(*index)++];
	}
	return store(o, value, opts) ? CLI_CONTINUE : EXIT_BAD;
}

/* Required options and the operand count, once everything was read. */
static int finish(const struct command *cmd, const struct arg_result *r)
{
	for (size_t i = 0; i < cmd->n_opts; i++) {
		const struct opt_spec *const o = &cmd->opts[i];
		if ((o->flags & ARG_REQUIRED) && !arg_given(r, (int)i))
			return cli_usage_error(cmd, "missing --%s %s", o->name, o->value_name);
	}
	const struct opt_operands *const want = &cmd->operands;
	if (r->n_operands < want->min)
		return cli_usage_error(cmd, "missing %s", want->name);
	if (want->max >= 0 && r->n_operands > want->max)
		return cli_usage_error(cmd, "unexpected argument '%s'",
				       quote(r->operands[want->max]).s);
	return CLI_CONTINUE;
}

int arg_parse(const struct command *cmd, int argc, char **argv, void *opts,
	      struct arg_result *result_out)
{
	struct arg_result r = {0};
	bool only_operands = false;
	int index = 1;

	*result_out = (struct arg_result){0};
	/* Operands are gathered at the end of argv, keeping their order: argv is ours. */
	char **const operands = calloc((size_t)argc + 1, sizeof(*operands));
	if (!operands) {
		cli_error("out of memory");
		return EXIT_BAD;
	}
	r.operands = operands;
	int status = CLI_CONTINUE;
	while (status == CLI_CONTINUE && index < argc) {
		char *const arg = argv[index];
		if (only_operands || arg[0] != '-' || arg[1] == '\0') {
			operands[r.n_operands++] = arg;
			index++;
		} else if (strcmp(arg, "--") == 0) {
			only_operands = true;
			index++;
		} else if (is_help(arg)) {
			arg_usage_print(cmd, stdout);
			status = fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_BAD;
		} else {
			status = option(cmd, argc, argv, &index, opts, &r);
		}
	}
	if (status == CLI_CONTINUE)
		status = finish(cmd, &r);
	/* The operands are pointers into argv; their array moves into argv's tail. */
	memcpy(argv + argc - r.n_operands, operands, (size_t)r.n_operands * sizeof(*operands));
	free(operands);
	r.operands = argv + argc - r.n_operands;
	*result_out = r;
	return status;
}

/* ---- Usage ------------------------------------------------------------------------------ */

enum { USAGE_WIDTH = 80 };

/* "-o, --output FILE", "    --force" or "--size N|WxH" into buf; returns its length. */
static size_t option_label(const struct opt_spec *o, bool shorts, char *buf, size_t size)
{
	int n;
	if (o->short_name)
		n = snprintf(buf, size, "-%c, --%s", o->short_name, o->name);
	else
		n = snprintf(buf, size, "%s--%s", shorts ? "    " : "", o->name);
	const char *const value = o->kind == ARG_SHAPE ? "X" : o->value_name;
	if (value && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, " %s", value);
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* text, wrapped to the width after column col (the first line starts there already). */
static void wrap(FILE *out, const char *text, size_t col)
{
	size_t const width = USAGE_WIDTH - col;
	size_t used = 0;
	while (*text) {
		while (*text == ' ')
			text++;
		size_t const len = strcspn(text, " ");
		if (used > 0 && used + 1 + len > width) {
			fprintf(out, "\n%*s", (int)col, "");
			used = 0;
		} else if (used > 0) {
			fputc(' ', out);
			used++;
		}
		fwrite(text, 1, len, out);
		used += len;
		text += len;
	}
	fputc('\n', out);
}

static void option_help(const struct opt_spec *o, FILE *out, size_t col)
{
	if (o->kind != ARG_SHAPE) {
		wrap(out, o->help, col);
		return;
	}
	const struct heart_param_info *info = heart_param_info(o->param);
	char text[256];
	snprintf(text, sizeof(text), "%s, %g to %g (default %g)", info->help, info->min, info->max,
		 info->def);
	wrap(out, text, col);
}

void arg_usage_print(const struct command *cmd, FILE *out)
{
	char label[64];
	bool shorts = false;
	size_t col = 0;

	for (const char *line = cmd->synopsis, *end; *line; line = end + (*end != '\0')) {
		end = line + strcspn(line, "\n");
		fprintf(out, "%s%.*s\n", line == cmd->synopsis ? "Usage: " : "       ",
			(int)(end - line), line);
	}
	fputs(cmd->description, out);
	for (size_t i = 0; i < cmd->n_opts; i++)
		shorts |= cmd->opts[i].short_name != 0;
	for (size_t i = 0; i < cmd->n_opts; i++) {
		size_t const len = option_label(&cmd->opts[i], shorts, label, sizeof(label));
		col = len > col ? len : col;
	}
	col += 4; /* two spaces before the label, two after */
	if (cmd->n_opts > 0)
		fputc('\n', out);
	for (size_t i = 0; i < cmd->n_opts; i++) {
		size_t const len = option_label(&cmd->opts[i], shorts, label, sizeof(label));
		fprintf(out, "  %s%*s", label, (int)(col - 2 - len), "");
		option_help(&cmd->opts[i], out, col);
	}
	if (cmd->epilog)
		fprintf(out, "\n%s", cmd->epilog);
}
