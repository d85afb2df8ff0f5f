/* RFC 9112's rules for what frames a request: its target and the fields that say whether a
 * body follows. heart takes no bodies, so anything but "none" ends the connection. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "base/text.h"
#include "serve_internal.h"

/* tchar of RFC 9110 §5.6.2. */
static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static bool name_is(const char *name, size_t len, const char *want)
{
	if (len != strlen(want))
		return false;
	for (size_t i = 0; i < len; i++) {
		char const c = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] + 32) : name[i];
		if (c != want[i])
			return false;
	}
	return true;
}

/* value[0..*len) without trailing OWS (the leading OWS is gone already). */
static void trim(const char *value, size_t *len)
{
	while (*len > 0 && is_ows(value[*len - 1]))
		(*len)--;
}

static void add_length(struct srv_fields *f, const char *v, size_t len)
{
	trim(v, &len);
	f->lengths++;
	if (len == 0)
		f->length_bad = true;
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			f->length_bad = true;
		else if (v[i] != '0')
			f->length_nonzero = true; /* however many digits: a body, refused unread */
	}
}

/* A list of transfer codings, each maybe with ";parameters"; empty elements are skipped as
 * RFC 9110 §5.6.1 asks. */
static void add_codings(struct srv_fields *f, const char *v, size_t len)
{
	f->coding_seen = true;
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && v[end] != ',')
			end++;
		size_t start = i, stop = end;
		while (start < stop && is_ows(v[start]))
			start++;
		for (size_t k = start; k < stop; k++)
			if (v[k] == ';' || is_ows(v[k]))
				stop = k;
		if (stop > start) {
			bool const chunked = name_is(v + start, stop - start, "chunked");
			f->codings++;
			f->chunked += chunked;
			f->chunked_last = chunked;
		}
		i = end + 1;
	}
}

void srv_fields_add(struct srv_fields *f, const char *name, size_t name_len, const char *value,
		    size_t value_len)
{
	if (name_len == 0)
		f->field_bad = true;
	for (size_t i = 0; i < name_len; i++)
		if (!is_tchar((unsigned char)name[i]))
			f->field_bad = true;
	for (size_t i = 0; i < value_len; i++) {
		unsigned char const c = (unsigned char)value[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f) /* a CR alone, NUL, ESC, ... */
			f->field_bad = true;
	}
	if (name_is(name, name_len, "content-length"))
		add_length(f, value, value_len);
	else if (name_is(name, name_len, "transfer-encoding"))
		add_codings(f, value, value_len);
}

void srv_fields_malformed(struct srv_fields *f)
{
	f->field_bad = true;
}

enum srv_framing srv_fields_framing(const struct srv_fields *f, bool http10)
{
	if (f->field_bad)
		return FRAMING_BAD_FIELD;
	if (f->coding_seen) /* RFC 9112 §6.1 and §6.3 (3, 4) */
		return http10 || f->lengths > 0 || f->codings == 0 || f->chunked != 1 ||
				       !f->chunked_last
			       ? FRAMING_BAD_CODING
			       : FRAMING_BODY;
	if (f->lengths > 1 || f->length_bad) /* even the same value twice: §6.3 (5) */
		return FRAMING_BAD_LENGTH;
	return f->length_nonzero ? FRAMING_BODY : FRAMING_NONE;
}

/* ---- The request target ------------------------------------------------------------------ */

/* authority = host [ ":" port ] of RFC 3986 §3.2, without userinfo (RFC 9110 §4.2.4). */
static bool authority_valid(const char *a, size_t len)
{
	size_t i = 0;
	if (len > 0 && a[0] == '[') { /* IP-literal: hex digits, ':' and '.' (IPv4 tail) */
		for (i = 1; i < len && a[i] != ']'; i++)
			if (base_hex_digit(a[i]) < 0 && a[i] != ':' && a[i] != '.')
				return false;
		if (i == len || i == 1)
			return false;
		i++;
	} else { /* reg-name or IPv4: unreserved, pct-encoded, sub-delims */
		for (; i < len && a[i] != ':'; i++) {
			char const c = a[i];
			if (c == '%') {
				if (len - i < 3 || base_hex_digit(a[i + 1]) < 0 ||
				    base_hex_digit(a[i + 2]) < 0)
					return false;
				i += 2;
			} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
				     (c >= 'A' && c <= 'Z') || strchr("-._~!$&'()*+,;=", c))) {
				return false;
			}
		}
		if (i == 0) /* an http URI has a host (RFC 9110 §4.2.1) */
			return false;
	}
	if (i < len && a[i++] != ':')
		return false;
	for (; i < len; i++)
		if (a[i] < '0' || a[i] > '9')
			return false;
	return true;
}

/* The length of "http://" or "https://" (the scheme in any case) at s, or 0. */
static size_t scheme_len(const char *s, size_t len)
{
	for (size_t n = 4; n <= 5; n++)
		if (len > n + 3 && name_is(s, n, n == 4 ? "http" : "https") &&
		    memcmp(s + n, "://", 3) == 0)
			return n + 3;
	return 0;
}

bool srv_target_parse(const char *target, size_t len, size_t *origin_out)
{
	*origin_out = 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)target[i] <= 0x20 || target[i] == 0x7f)
			return false; /* NUL, CR, HTAB, SP, DEL: not one token (bytes above 0x7f
				       * are left to the query's rules, as before) */
	if (len > 0 && target[0] == '/')
		return true;
	if (len == 1 && target[0] == '*')
		return true;
	size_t const scheme = scheme_len(target, len);
	if (scheme == 0)
		return false;
	size_t end = scheme;
	while (end < len && target[end] != '/' && target[end] != '?')
		end++;
	if (!authority_valid(target + scheme, end - scheme))
		return false;
	*origin_out = end;
	return true;
}
