#pragma once

/*
 * Command-line options, declared once. Each command lists its options in a table of
 * struct opt_spec (name, short name, kind of value, range or choices, help text, and where the
 * value goes in the command's own options structure); arg_parse() reads argv against that
 * table, validates everything the table can express and fills the structure; the option list
 * of `heart COMMAND --help` is printed from the same table, so help cannot miss an option.
 * A new option is one table row plus whatever the command does with it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "param.h"
#include "render/model.h"

struct command;

/* The kinds of value (param.h says what each accepts), named for option tables. */
enum arg_kind {
	ARG_FLAG = PARAM_FLAG,     /* bool, true when given; takes no value */
	ARG_TEXT = PARAM_TEXT,     /* const char *: the value as given (points into argv) */
	ARG_PATH = PARAM_PATH,     /* const char *: a file name, not empty (points into argv) */
	ARG_DOUBLE = PARAM_DOUBLE, /* double: a plain decimal number from min to max */
	ARG_LONG = PARAM_LONG,     /* long: a whole number from min to max */
	ARG_SIZE = PARAM_SIZE,     /* struct param_size: "N" (N × N) or "WxH" */
	ARG_CHOICE = PARAM_CHOICE, /* int: the value's index in choices */
	ARG_COLOR = PARAM_COLOR,   /* struct param_color: RRGGBB, #RGB, ... or a CSS name */
	ARG_SHAPE = PARAM_SHAPE,   /* struct heart_shape: sets parameter `param` */
};

enum arg_flags {
	/* The value's own flags are param.h's, bit for bit. */
	ARG_ABOVE_MIN = PARAM_ABOVE_MIN,     /* ARG_DOUBLE: min itself is refused */
	ARG_PAIR = PARAM_PAIR,               /* ARG_SIZE: only "WxH", not "N" */
	ARG_TRANSPARENT = PARAM_TRANSPARENT, /* ARG_COLOR: "transparent" is accepted too */
	ARG_REQUIRED = 1 << 8,               /* the command cannot run without it */
	ARG_REPEAT = 1 << 9, /* ARG_PATH, ARG_TEXT: may be given up to OPT_LIST_MAX times;
			      * the values go to a struct opt_list, in order */
};

enum { OPT_LIST_MAX = 16 };

/* The values of an ARG_REPEAT option (pointers into argv). */
struct opt_list {
	const char *values[OPT_LIST_MAX];
	int n;
};

struct opt_spec {
	const char *name; /* long name, without the dashes */
	char short_name;  /* 0 when there is none */
	enum arg_kind kind;
	unsigned flags;             /* enum arg_flags */
	const char *value_name;     /* shown in help: "FILE", "HZ"; NULL for ARG_FLAG */
	const char *help;           /* one or more sentences, wrapped by the help printer */
	size_t offset;              /* of the value in the command's options structure */
	double min, max;            /* ARG_DOUBLE, ARG_LONG; ARG_SIZE: max is the largest side */
	const char *const *choices; /* ARG_CHOICE: NULL-terminated, in the order help lists */
	enum heart_param param;     /* ARG_SHAPE */
	/* ARG_TEXT: a further check of the value; reports on stderr and returns false to
	 * refuse it. opt is "--name". */
	bool (*check)(const char *opt, const char *value);
	int exclusive; /* options of one command sharing a nonzero group exclude each other */
};

/* A command's operands: between min and max of them (max < 0: any number), named in help
 * and in messages. */
struct opt_operands {
	const char *name;
	int min, max;
};

/* What arg_parse() found besides the option values. */
struct arg_result {
	uint64_t seen;   /* bit i: option i of the table was given */
	char **operands; /* the operands, in order (points into argv) */
	int n_operands;
};

/*
 * Parse argv[1..argc-1] against cmd's option table into opts (the command's options structure,
 * holding its defaults on entry: only options given are written) and *result_out.
 * "--" ends the options; "-" is an operand; long options take "--name VALUE" or
 * "--name=VALUE", short ones "-x VALUE". --help (and -h) prints the command's usage.
 * Unknown, repeated (but for ARG_REPEAT, up to its limit), mutually exclusive and missing required
 * options, missing values and wrong operand counts are usage errors; values the table can check are
 * checked in order. Returns CLI_CONTINUE when the command should run, else the exit status, with
 * everything already reported (EXIT_OK after --help).
 */
int arg_parse(const struct command *cmd, int argc, char **argv, void *opts,
	      struct arg_result *result_out);

/* Whether option `id` (its index in the table) was given. */
static inline bool arg_given(const struct arg_result *r, int id)
{
	return r->seen >> id & 1;
}

/* The whole `heart NAME --help` text: usage lines, description, options, epilog. */
void arg_usage_print(const struct command *cmd, FILE *out);

/*
 * param_double() and param_long() that report a refused value naming the option and the
 * range; for values that are not options.
 */
bool arg_double(const char *opt, const char *s, double lo, double hi, double *out);
bool arg_long(const char *opt, const char *s, long lo, long hi, long *out);
