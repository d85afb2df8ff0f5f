#include <math.h>
#include <stdint.h>
#include <string.h>

#include "svg_internal.h"

/* Enough fraction digits for any tolerance >= SVG_TOLERANCE_MIN: 0.5e-9 <= 1e-9. */
#define MAX_DECIMALS SVG_DECIMALS_MAX

/*
 * Write the integer r scaled down by 10^decimals, digit by digit: no printf, so no locale
 * can turn the point into a comma, and no exponent can appear. Trailing fraction zeros are
 * dropped, and so is a zero before the point (.5, -.25: SVG and CSS numbers allow it); zero
 * is "0" (never "-0").
 */
static size_t write_scaled(int64_t r, int decimals, char out[SVG_NUMBER_MAX])
{
	char digits[24];
	int n = 0;
	size_t len = 0;
	uint64_t u = r < 0 ? (uint64_t)0 - (uint64_t)r : (uint64_t)r;

	while (decimals > 0 && u % 10 == 0) {
		u /= 10;
		decimals--;
	}
	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0 || n <= decimals);

	if (r < 0)
		out[len++] = '-';
	for (int i = n - 1; i >= 0; i--) {
		if (!(i == n - 1 && i == decimals && i > 0 && digits[i] == '0'))
			out[len++] = digits[i];
		if (i == decimals && i > 0)
			out[len++] = '.';
	}
	out[len] = '\0';
	return len;
}

bool svg_decimal_round(double v, double tolerance, struct svg_decimal *out)
{
	double scale = 1;

	*out = (struct svg_decimal){0, 0};
	if (!isfinite(v) || fabs(v) > SVG_NUMBER_LIMIT || !isfinite(tolerance) ||
	    !(tolerance >= SVG_TOLERANCE_MIN))
		return false;
	/* The first number of decimals whose nearest decimal is close enough has the fewest
	 * digits: any shorter decimal is a decimal with fewer fraction digits, already tried. */
	for (int d = 0; d <= MAX_DECIMALS; d++, scale *= 10) {
		double const r = round(v * scale);
		if (fabs(r / scale - v) <= tolerance || d == MAX_DECIMALS) {
			*out = (struct svg_decimal){(int64_t)r, d};
			return true;
		}
	}
	return false; /* not reached: d == MAX_DECIMALS returns */
}

size_t svg_decimal_format(struct svg_decimal d, char out[SVG_NUMBER_MAX])
{
	if (d.decimals < 0 || d.decimals > MAX_DECIMALS || d.digits > (int64_t)1e18 ||
	    d.digits < -(int64_t)1e18) {
		out[0] = '\0';
		return 0;
	}
	return write_scaled(d.digits, d.decimals, out);
}

size_t svg_number_format(double v, double tolerance, char out[SVG_NUMBER_MAX])
{
	struct svg_decimal d;
	if (!svg_decimal_round(v, tolerance, &d)) {
		out[0] = '\0';
		return 0;
	}
	return write_scaled(d.digits, d.decimals, out);
}
