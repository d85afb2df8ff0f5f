/* The query of /heart.svg, /heart.png and /heart.gif: its grammar (name=value pairs,
 * percent-encoded) and its parameters, which are param/'s table of drawing parameters
 * (param_draw.h). The words are the server's: a refusal names the table's parameters and never
 * repeats a value. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "param_draw.h"
#include "serve_internal.h"

/* Why each parameter's value is refused: heart_render_errors_total's reasons. */
static const enum srv_reason reasons[PD_COUNT] = {
	[PD_COLOR] = REASON_INVALID_COLOR,
	[PD_BACKGROUND] = REASON_INVALID_COLOR,
	[PD_SIZE] = REASON_INVALID_SIZE,
	[PD_ANIMATE] = REASON_INVALID_ANIMATE,
	[PD_FPS] = REASON_INVALID_BEAT,
	[PD_BPM] = REASON_INVALID_BEAT,
	[PD_PHASE] = REASON_INVALID_PHASE,
	[PD_AMPLITUDE] = REASON_INVALID_BEAT,
	[PD_ASPECT] = REASON_INVALID_SHAPE,
	[PD_CLEFT] = REASON_INVALID_SHAPE,
	[PD_LOBE] = REASON_INVALID_SHAPE,
	[PD_TIP] = REASON_INVALID_SHAPE,
	[PD_TITLE] = REASON_INVALID_TITLE,
	[PD_ID] = REASON_INVALID_ID,
	[PD_SEED] = REASON_INVALID_USER,
	[PD_DARK_COLOR] = REASON_INVALID_COLOR,
	[PD_DARK_BACKGROUND] = REASON_INVALID_COLOR,
};

static enum param_output output_of(enum srv_route route)
{
	return route == ROUTE_SVG   ? PARAM_OUT_QUERY_SVG
	       : route == ROUTE_GIF ? PARAM_OUT_QUERY_GIF
				    : PARAM_OUT_QUERY_PNG;
}

static bool refuse(struct srv_refusal *why, enum srv_reason reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool refuse(struct srv_refusal *why, enum srv_reason reason, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why->text, sizeof(why->text), fmt, ap);
	va_end(ap);
	why->reason = reason;
	return false;
}

/* "bad parameter 'NAME': expected RULE"; max_side, when not 0, is the largest side of a size. */
static bool bad_value(struct srv_refusal *why, enum param_id id, uint32_t max_side)
{
	const struct param_def *const d = param_def(id);
	char expected[256];
	struct param_rule rule = d->rule;
	if (max_side)
		rule.max = max_side;
	/* A size's forms in words: "N|WxH" is the command line's notation. */
	param_expected(&rule, d->rule.kind == PARAM_SIZE ? "N or WxH" : d->value_name, expected,
		       sizeof(expected));
	return refuse(why, reasons[id], "bad parameter '%s': expected %s", param_def_query_name(d),
		      expected);
}

/*
 * Percent-decode s[0..len) ('+' is a space) to *out, NUL-terminated; returns false for a bad
 * escape, a control character, or a %00 (a NUL would cut the value short of what was sent).
 */
static bool decode(const char *s, size_t len, char **out)
{
	char *o = *out;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			int const hi = len - i >= 3 ? base_hex_digit(s[i + 1]) : -1;
			int const lo = hi >= 0 ? base_hex_digit(s[i + 2]) : -1;
			if (lo < 0)
				return false;
			c = hi << 4 | lo;
			i += 2;
		} else if (c == '+') {
			c = ' ';
		} else if (c < 0x20 || c == 0x7f) {
			return false;
		}
		if (c == 0)
			return false;
		*o++ = (char)c;
	}
	*o++ = '\0';
	*out = o;
	return true;
}

static int lookup(const char *name)
{
	for (int id = 0; id < PD_COUNT; id++)
		if (strcmp(param_def_query_name(param_def(id)), name) == 0)
			return id;
	return -1;
}

/* The names route takes, in the table's order: "color, background, ...". */
static void names_of(enum srv_route route, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int id = 0; id < PD_COUNT && used < size; id++) {
		if (!(param_def(id)->outputs & output_of(route)))
			continue;
		int const n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
				       param_def_query_name(param_def(id)));
		used += n > 0 ? (size_t)n : 0;
	}
}

/* One name=value pair, decoded. */
static bool take(enum srv_route route, const char *name, const char *value, struct param_values *q,
		 struct srv_refusal *why)
{
	int const id = lookup(name);
	if (id < 0) {
		char names[256];
		names_of(route, names, sizeof(names));
		return refuse(why, REASON_UNKNOWN_PARAMETER, "unknown parameter (%s takes: %s)",
			      srv_route_names[route], names);
	}
	if (!(param_def(id)->outputs & output_of(route)))
		return refuse(why, REASON_UNKNOWN_PARAMETER, "parameter '%s' does not apply to %s",
			      param_def_query_name(param_def(id)), srv_route_names[route]);
	if (param_given(q, id))
		return refuse(why, REASON_REPEATED_PARAMETER, "parameter '%s' given twice",
			      param_def_query_name(param_def(id)));
	return param_values_set(q, id, value) || bad_value(why, id, 0);
}

bool srv_query_parse(enum srv_route route, const char *s, size_t len, char *buf,
		     struct param_values *q, struct srv_refusal *why)
{
	const char *const end = s + len;

	while (s < end) {
		const char *const amp = memchr(s, '&', (size_t)(end - s));
		const char *const seg_end = amp ? amp : end;
		const char *const eq = memchr(s, '=', (size_t)(seg_end - s));
		const char *const name_end = eq ? eq : seg_end;
		if (seg_end == s) { /* "a=1&&b=2": nothing between the separators */
			s = seg_end + 1;
			continue;
		}
		char *const name = buf;
		if (!decode(s, (size_t)(name_end - s), &buf))
			goto malformed;
		char *const value = buf;
		if (!decode(eq ? eq + 1 : seg_end, eq ? (size_t)(seg_end - eq - 1) : 0, &buf))
			goto malformed;
		s = seg_end + (amp != NULL);
		if (!take(route, name, value, q, why))
			return false;
	}
	return true;
malformed:
	return refuse(why, REASON_MALFORMED_QUERY,
		      "malformed query: expected name=value pairs joined by '&', percent-encoded "
		      "(no %%00 or control characters)");
}

bool srv_query_check(enum srv_route route, uint32_t png_max, const struct param_values *q,
		     struct srv_refusal *why)
{
	struct param_violation v;
	if (route != ROUTE_SVG && (q->size.width > png_max || q->size.height > png_max))
		return bad_value(why, PD_SIZE, png_max);
	if (param_values_check(q, output_of(route), &v))
		return true;
	const char *const name = param_def(v.param)->name, *const other = param_def(v.other)->name;
	switch (v.kind) {
	case PARAM_VIOLATION_CONFLICTS:
		if (param_def(v.other)->rule.kind == PARAM_FLAG)
			return refuse(why, REASON_CONFLICT, "give %s or %s=true, not both", name,
				      other);
		return refuse(why, REASON_CONFLICT, "give %s or %s, not both", name, other);
	case PARAM_VIOLATION_REQUIRES:
		if (param_def(v.other)->rule.kind == PARAM_FLAG)
			return refuse(why, REASON_CONFLICT, "parameter '%s' needs %s=true", name,
				      other);
		if (v.other == PD_PHASE)
			return refuse(why, REASON_CONFLICT,
				      "parameter '%s' needs phase or animate=true: a heart at rest "
				      "does not beat",
				      name);
		return refuse(why, REASON_CONFLICT, "parameter '%s' needs %s", name, other);
	case PARAM_VIOLATION_OUTPUT:
	case PARAM_VIOLATION_NONE:
		break;
	}
	return refuse(why, REASON_UNKNOWN_PARAMETER, "parameter '%s' does not apply to %s", name,
		      srv_route_names[route]);
}

/* Whether the query name s[0..len), once decoded, is a parameter whose value names someone. */
static bool names_someone(const char *s, size_t len)
{
	char name[16], *end = name;
	if (len >= sizeof(name) / 2 || !decode(s, len, &end))
		return false; /* no such parameter is that long; a bad escape is no parameter */
	int const id = lookup(name);
	return id == PD_SEED;
}

size_t srv_query_redact(const char *target, size_t len, char *out, size_t size)
{
	static const char redacted[] = "REDACTED";
	const char *const q = memchr(target, '?', len);
	const char *const end = target + len;
	size_t n = 0;
	const char *s = q ? q + 1 : end;

	if (size == 0)
		return 0;
	for (const char *p = target; p < s && n + 1 < size; p++)
		out[n++] = *p;
	while (s < end && n + 1 < size) {
		const char *const amp = memchr(s, '&', (size_t)(end - s));
		const char *const seg_end = amp ? amp : end;
		const char *const eq = memchr(s, '=', (size_t)(seg_end - s));
		const char *const name_end = eq ? eq : seg_end;
		bool const hide = names_someone(s, (size_t)(name_end - s));
		for (const char *p = s; p < (hide ? name_end : seg_end) && n + 1 < size; p++)
			out[n++] = *p;
		for (const char *p = hide ? "=" : ""; *p && n + 1 < size; p++)
			out[n++] = *p;
		for (const char *p = hide ? redacted : ""; *p && n + 1 < size; p++)
			out[n++] = *p;
		if (amp && n + 1 < size)
			out[n++] = '&';
		s = seg_end + (amp != NULL);
	}
	out[n] = '\0';
	return n;
}
