#pragma once

/*
 * Strict values, shared by the command line (cli/args.c) and heart serve's query parameters
 * (serve/): one grammar per kind of value, one range check, one description of what is
 * expected. Nothing here prints or allocates; a refused value is reported by the caller, which
 * knows whether it may echo it (the command line quotes it; a server never does).
 * Threads: pure functions on caller memory; an inexact decimal is read with the calling
 * thread's locale switched to "C" (uselocale), never the process's, so any number of threads
 * may parse at once.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render/model.h"

enum param_kind {
	PARAM_FLAG,   /* bool: "true" or "false" (the command line's flags take no value) */
	PARAM_TEXT,   /* const char *: any text the rule's check accepts (points into the input) */
	PARAM_PATH,   /* const char *: a file name, not empty (points into the input) */
	PARAM_DOUBLE, /* double: a plain decimal number from min to max */
	PARAM_LONG,   /* long: a whole number from min to max */
	PARAM_SIZE,   /* struct param_size: "N" (N × N) or "WxH", each side from 1 to max */
	PARAM_CHOICE, /* int: the value's index in choices */
	PARAM_COLOR,  /* struct param_color: RRGGBB, #RGB, ... or a CSS name */
	PARAM_SHAPE,  /* struct heart_shape: sets parameter `shape`; range from the model */
};

enum param_flags {
	PARAM_ABOVE_MIN = 1 << 0,   /* PARAM_DOUBLE: min itself is refused */
	PARAM_PAIR = 1 << 1,        /* PARAM_SIZE: only "WxH", not "N" */
	PARAM_TRANSPARENT = 1 << 2, /* PARAM_COLOR: the word "transparent" is accepted too */
};

struct param_size {
	uint32_t width, height; /* pixels or cells */
};

struct param_color {
	struct heart_rgb rgb;
	bool transparent; /* "transparent" was given (only with PARAM_TRANSPARENT) */
};

/* What a value must be. */
struct param_rule {
	enum param_kind kind;
	unsigned flags;  /* enum param_flags */
	double min, max; /* PARAM_DOUBLE, PARAM_LONG; PARAM_SIZE: max is the largest side */
	const char *const *choices; /* PARAM_CHOICE: NULL-terminated */
	enum heart_param shape;     /* PARAM_SHAPE */
	/* PARAM_TEXT: whether the value is acceptable (NULL: any); must not print. */
	bool (*check)(const char *value);
	const char *expected; /* PARAM_TEXT: what param_expected() says, e.g. "1 to 1024 bytes" */
};

/*
 * Parse value (NUL-terminated) by rule into *slot, whose type the kind names. Returns false,
 * leaving *slot unchanged, when the value is refused. PARAM_SHAPE reads and updates the
 * struct heart_shape at slot.
 */
bool param_parse(const struct param_rule *rule, const char *value, void *slot);

/*
 * What rule accepts, as a noun phrase for messages ("a number from 0.1 to 10", "RRGGBB,
 * #RRGGBB, RGB, #RGB or a CSS colour name"), into buf; never longer than size - 1 bytes.
 * value_name names the size's forms ("N|WxH").
 */
void param_expected(const struct param_rule *rule, const char *value_name, char *buf, size_t size);

/*
 * Strict numbers: [+-]digits[.digits] only (no exponent, hex, inf, nan, spaces, locale
 * commas), within [lo, hi], whatever the locale says. false when refused.
 */
bool param_double(const char *s, double lo, double hi, double *out);
bool param_long(const char *s, long lo, long hi, long *out);
