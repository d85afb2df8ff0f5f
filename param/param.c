#include "param.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
 * A plain decimal of at most 15 significant digits and 22 fraction digits is m / 10^k with
 * both exact doubles, and one IEEE division rounds it correctly: strtod()'s answer, with no
 * locale and no allocation. false when the number is outside that.
 */
static bool decimal_exact(const char *s, double *out)
{
	static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
				       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
				       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	bool const negative = *s == '-';
	uint64_t m = 0;
	int digits = 0, fraction = -1;

	s += *s == '+' || *s == '-';
	for (; *s; s++) {
		if (*s == '.') {
			fraction = 0;
			continue;
		}
		if (digits > 0 || *s != '0')
			digits++;
		fraction += fraction >= 0;
		m = m * 10 + (uint64_t)(*s - '0');
		if (digits > 15)
			return false;
	}
	if (fraction > 22)
		return false;
	double const v = (double)m / pow10[fraction > 0 ? fraction : 0];
	*out = negative ? -v : v;
	return true;
}

/* strtod() in the C locale, whatever LC_NUMERIC says (the thread's locale is switched, not
 * the process's): for the rare number with more digits than decimal_exact() takes. */
static bool decimal_strtod(const char *s, double *out)
{
	locale_t const c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (!c)
		return false;
	locale_t const previous = uselocale(c);
	errno = 0;
	*out = strtod(s, NULL);
	bool const ok = errno == 0;
	uselocale(previous);
	freelocale(c);
	return ok;
}

bool param_double(const char *s, double lo, double hi, double *out)
{
	double v;
	if (!plain_decimal(s, true) || strlen(s) >= 64)
		return false;
	if (!decimal_exact(s, &v) && !decimal_strtod(s, &v))
		return false;
	if (!isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

bool param_long(const char *s, long lo, long hi, long *out)
{
	if (!plain_decimal(s, false) || strlen(s) >= 32)
		return false;
	errno = 0;
	long const v = strtol(s, NULL, 10);
	if (errno != 0 || v < lo || v > hi)
		return false;
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

static bool parse_size(const struct param_rule *r, const char *s, struct param_size *out)
{
	const char *const x = strchr(s, 'x');
	struct param_size v;
	bool const ok = x ? side(s, (size_t)(x - s), r->max, &v.width) &&
					side(x + 1, strlen(x + 1), r->max, &v.height)
			  : !(r->flags & PARAM_PAIR) && side(s, strlen(s), r->max, &v.width) &&
					(v.height = v.width, true);
	if (ok)
		*out = v;
	return ok;
}

static bool parse_choice(const struct param_rule *r, const char *s, int *out)
{
	for (int i = 0; r->choices[i]; i++) {
		if (strcmp(s, r->choices[i]) == 0) {
			*out = i;
			return true;
		}
	}
	return false;
}

static bool parse_color(const struct param_rule *r, const char *s, struct param_color *out)
{
	if ((r->flags & PARAM_TRANSPARENT) && strcmp(s, "transparent") == 0) {
		out->transparent = true;
		return true;
	}
	if (!heart_color_parse(s, &out->rgb))
		return false;
	out->transparent = false;
	return true;
}

static bool parse_double(const struct param_rule *r, const char *s, double *out)
{
	double v;
	if (!param_double(s, r->min, r->max, &v) || ((r->flags & PARAM_ABOVE_MIN) && v <= r->min))
		return false;
	*out = v;
	return true;
}

static bool parse_flag(const char *s, bool *out)
{
	if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
		return false;
	*out = *s == 't';
	return true;
}

static bool parse_shape(const struct param_rule *r, const char *s, struct heart_shape *out)
{
	const struct heart_param_info *const info = heart_param_info(r->shape);
	double v;
	return param_double(s, info->min, info->max, &v) && heart_shape_set(out, r->shape, v);
}

bool param_parse(const struct param_rule *rule, const char *value, void *slot)
{
	switch (rule->kind) {
	case PARAM_FLAG:
		return parse_flag(value, slot);
	case PARAM_PATH:
		if (*value == '\0')
			return false;
		*(const char **)slot = value;
		return true;
	case PARAM_TEXT:
		if (rule->check && !rule->check(value))
			return false;
		*(const char **)slot = value;
		return true;
	case PARAM_DOUBLE:
		return parse_double(rule, value, slot);
	case PARAM_LONG:
		return param_long(value, (long)rule->min, (long)rule->max, slot);
	case PARAM_SIZE:
		return parse_size(rule, value, slot);
	case PARAM_CHOICE:
		return parse_choice(rule, value, slot);
	case PARAM_COLOR:
		return parse_color(rule, value, slot);
	case PARAM_SHAPE:
		return parse_shape(rule, value, slot);
	}
	return false;
}

static void choices_list(const char *const *choices, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; choices[i] && used < size; i++) {
		int const n =
			snprintf(buf + used, size - used, "%s%s", i ? ", " : "one of ", choices[i]);
		used += n > 0 ? (size_t)n : 0;
	}
}

void param_expected(const struct param_rule *rule, const char *value_name, char *buf, size_t size)
{
	const struct heart_param_info *info;

	switch (rule->kind) {
	case PARAM_FLAG:
		snprintf(buf, size, "true or false");
		return;
	case PARAM_PATH:
		snprintf(buf, size, "a file name");
		return;
	case PARAM_TEXT:
		snprintf(buf, size, "%s", rule->expected ? rule->expected : "text");
		return;
	case PARAM_DOUBLE:
		snprintf(buf, size,
			 rule->flags & PARAM_ABOVE_MIN ? "a number above %g and at most %g"
						       : "a number from %g to %g",
			 rule->min, rule->max);
		return;
	case PARAM_LONG:
		snprintf(buf, size, "a whole number from %.0f to %.0f", rule->min, rule->max);
		return;
	case PARAM_SIZE:
		snprintf(buf, size, "%s, each side from 1 to %.0f",
			 value_name ? value_name : "N|WxH", rule->max);
		return;
	case PARAM_CHOICE:
		choices_list(rule->choices, buf, size);
		return;
	case PARAM_COLOR:
		snprintf(buf, size, "a colour (%s%s)", HEART_COLOR_FORMS,
			 rule->flags & PARAM_TRANSPARENT ? ", or transparent" : "");
		return;
	case PARAM_SHAPE:
		info = heart_param_info(rule->shape);
		snprintf(buf, size, "a number from %g to %g", info->min, info->max);
		return;
	}
	snprintf(buf, size, "a valid value");
}
