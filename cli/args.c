#include "args.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool arg_double(const char *opt, const char *s, double lo, double hi, double *out)
{
	if (param_double(s, lo, hi, out))
		return true;
	cli_error("%s: '%s' is not a number from %g to %g", opt, quote(s).s, lo, hi);
	return false;
}

bool arg_long(const char *opt, const char *s, long lo, long hi, long *out)
{
	if (param_long(s, lo, hi, out))
		return true;
	cli_error("%s: '%s' is not a whole number from %ld to %ld", opt, quote(s).s, lo, hi);
	return false;
}

/* The value rule of an option: the table's kind, range and choices. */
static struct param_rule rule_of(const struct opt_spec *o)
{
	return (struct param_rule){
		.kind = (enum param_kind)o->kind,
		.flags = o->flags, /* param.c reads only its own bits */
		.min = o->min,
		.max = o->max,
		.choices = o->choices,
		.shape = o->param,
	};
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
	if (o->kind == ARG_FLAG) {
		*(bool *)slot = true;
		return true;
	}
	if (o->kind == ARG_TEXT && o->check) /* reports in detail */
		return o->check(opt, value) && (*(const char **)slot = value, true);
	struct param_rule const rule = rule_of(o);
	if (param_parse(&rule, value, slot))
		return true;
	char expected[256];
	param_expected(&rule, o->value_name, expected, sizeof(expected));
	cli_error("%s: '%s' is not %s", opt, quote(value).s, expected);
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
	const char *const value = o->value_name;
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
		wrap(out, cmd->opts[i].help, col);
	}
	if (cmd->epilog)
		fprintf(out, "\n%s", cmd->epilog);
}
