#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct command;

/* An option a command accepts: --name[=VALUE], --name VALUE, -c VALUE. */
struct arg_opt {
	const char *name;  /* long name without the dashes */
	char short_name;   /* 0 when there is none */
	bool takes_value;
};

struct arg_parser {
	int argc;
	char **argv;
	int index;
	const struct command *cmd;
	const struct arg_opt *opts;
	size_t n_opts; /* at most 64 */
	unsigned long long seen;
	bool only_operands; /* after "--" */
	int status;         /* exit status once arg_next() returned ARG_STOP */
};

enum {
	ARG_DONE = -1,    /* no arguments left */
	ARG_OPERAND = -2, /* *value_out is an operand */
	ARG_STOP = -3,    /* --help was printed or a usage error reported: exit with ->status */
};

void arg_init(struct arg_parser *p, const struct command *cmd, int argc, char **argv,
	      const struct arg_opt *opts, size_t n_opts);

/*
 * The next option's index in opts (its value in *value_out), or ARG_OPERAND, ARG_DONE or
 * ARG_STOP. Unknown options, missing values and repeated options are usage errors; so is a
 * value given to an option that takes none. --help prints the command's usage.
 */
int arg_next(struct arg_parser *p, const char **value_out);

/*
 * Strict numbers: [+-]digits[.digits] only (no exponent, hex, inf, nan, spaces, locale
 * commas), within [lo, hi]. On failure, report a usage error naming the option and the
 * range and return false.
 */
bool arg_double(const char *opt, const char *s, double lo, double hi, double *out);
bool arg_long(const char *opt, const char *s, long lo, long hi, long *out);

/* A size: "N" (N × N) or "WxH", each side from 1 to max. Reports and returns false otherwise. */
bool arg_size(const char *opt, const char *s, long max, uint32_t *width_out,
	      uint32_t *height_out);
