#include "args.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void arg_init(struct arg_parser *p, const struct command *cmd, int argc, char **argv,
	      const struct arg_opt *opts, size_t n_opts)
{
	*p = (struct arg_parser){
		.argc = argc,
		.argv = argv,
		.index = 1,
		.cmd = cmd,
		.opts = opts,
		.n_opts = n_opts < 64 ? n_opts : 64,
	};
}

static int stop(struct arg_parser *p, int status)
{
	p->status = status;
	return ARG_STOP;
}

static int find_long(const struct arg_parser *p, const char *name, size_t len)
{
	for (size_t i = 0; i < p->n_opts; i++)
		if (strlen(p->opts[i].name) == len && memcmp(p->opts[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

static int find_short(const struct arg_parser *p, char c)
{
	for (size_t i = 0; i < p->n_opts; i++)
		if (p->opts[i].short_name == c)
			return (int)i;
	return -1;
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int arg_next(struct arg_parser *p, const char **value_out)
{
	*value_out = NULL;
	if (p->index >= p->argc)
		return ARG_DONE;

	char *arg = p->argv[p->index++];
	if (p->only_operands || arg[0] != '-' || arg[1] == '\0') {
		*value_out = arg;
		return ARG_OPERAND;
	}
	if (strcmp(arg, "--") == 0) {
		p->only_operands = true;
		return arg_next(p, value_out);
	}
	if (is_help(arg) && find_short(p, 'h') < 0) {
		fputs(p->cmd->usage, stdout);
		return stop(p, fflush(stdout) == 0 ? EXIT_OK : EXIT_BAD);
	}

	int id;
	const char *inline_value = NULL;
	if (arg[1] == '-') {
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		id = find_long(p, name, len);
		if (eq)
			inline_value = eq + 1;
	} else {
		id = arg[2] == '\0' ? find_short(p, arg[1]) : -1;
	}
	if (id < 0)
		return stop(p, cli_usage_error("%s: unknown option '%s'", p->cmd->name,
					       quote(arg).s));

	const struct arg_opt *o = &p->opts[id];
	unsigned long long bit = 1ULL << id;
	if (p->seen & bit)
		return stop(p, cli_usage_error("%s: option --%s given twice", p->cmd->name,
					       o->name));
	p->seen |= bit;

	if (!o->takes_value) {
		if (inline_value)
			return stop(p, cli_usage_error("%s: option --%s takes no value",
						       p->cmd->name, o->name));
		return id;
	}
	if (inline_value) {
		*value_out = inline_value;
	} else if (p->index < p->argc) {
		*value_out = p->argv[p->index++];
	} else {
		return stop(p, cli_usage_error("%s: option --%s needs a value", p->cmd->name,
					       o->name));
	}
	return id;
}

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

static bool side(const char *s, size_t len, long max, uint32_t *out)
{
	long v = 0;
	if (len == 0 || len > 9)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool arg_size(const char *opt, const char *s, long max, uint32_t *width_out,
	      uint32_t *height_out)
{
	const char *x = strchr(s, 'x');
	uint32_t w, h;
	bool const ok = x ? side(s, (size_t)(x - s), max, &w) && side(x + 1, strlen(x + 1), max, &h)
			  : side(s, strlen(s), max, &w) && (h = w, true);
	if (!ok) {
		cli_error("%s: '%s' is not a size (expected N or WxH, each from 1 to %ld)", opt,
			  quote(s).s, max);
		return false;
	}
	*width_out = w;
	*height_out = h;
	return true;
}
