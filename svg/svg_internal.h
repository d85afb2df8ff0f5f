#pragma once

/*
 * The SVG writer's pieces: number rounding and formatting, XML escaping. Private to svg/ and
 * to tests/svg/, which names this folder explicitly; other modules use svg/svg.h only.
 * Like svg/svg.h, pure functions on caller memory: safe from any thread.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svg/svg.h"

#define SVG_NUMBER_MAX 32 /* bytes for any formatted number, with the NUL */
#define SVG_NUMBER_LIMIT 1e9
#define SVG_TOLERANCE_MIN 1e-9

#define SVG_DECIMALS_MAX 9

/* The decimal digits · 10^-decimals. */
struct svg_decimal {
	int64_t digits;
	int decimals; /* 0..SVG_DECIMALS_MAX */
};

/*
 * The decimal with the fewest fraction digits within `tolerance` of v. False (and *out = 0)
 * when v is not finite, |v| > SVG_NUMBER_LIMIT, or tolerance is below SVG_TOLERANCE_MIN or
 * not finite.
 */
bool svg_decimal_round(double v, double tolerance, struct svg_decimal *out);

/*
 * Write d in the C locale, whatever LC_NUMERIC says: digits, at most one '.', a leading '-'
 * only for non-zero values, no exponent, no trailing fraction zeros, no zero before the point
 * (".5", "-.25"). Returns the length (out
 * is NUL-terminated), or 0 (out = "") when decimals is out of range or |digits| > 10^18.
 */
size_t svg_decimal_format(struct svg_decimal d, char out[SVG_NUMBER_MAX]);

/* svg_decimal_round() then svg_decimal_format(); 0 (out = "") when the rounding fails. */
size_t svg_number_format(double v, double tolerance, char out[SVG_NUMBER_MAX]);

/*
 * Append `text` XML-escaped for element content and attribute values: & < > " ' as entities,
 * tab, LF and CR as character references. Other bytes are copied unchanged: validate first.
 */
bool svg_escape_append(struct base_buf *b, const char *text);
