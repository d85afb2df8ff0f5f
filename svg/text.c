#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "svg_internal.h"

const char *svg_strerror(enum svg_error e)
{
	switch (e) {
	case SVG_OK:
		return "no error";
	case SVG_ERR_NOMEM:
		return "out of memory";
	case SVG_ERR_SIZE:
		return "size out of range";
	case SVG_ERR_BEAT:
		return "beat frequency or amplitude out of range";
	case SVG_ERR_TITLE_EMPTY:
		return "is empty";
	case SVG_ERR_TITLE_LONG:
		return "is too long";
	case SVG_ERR_TITLE_UTF8:
		return "is not valid UTF-8";
	case SVG_ERR_TITLE_CONTROL:
		return "contains a control character (only tab is allowed)";
	case SVG_ERR_TITLE_NONCHAR:
		return "contains a Unicode noncharacter";
	case SVG_ERR_ID:
		return "is not an id prefix";
	}
	return "unknown error";
}

/* XML 1.0 forbids U+FFFE and U+FFFF; the other noncharacters are refused as well, since no
 * title means them. */
static bool is_nonchar(uint32_t cp)
{
	return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
}

enum svg_error svg_title_check(const char *title, size_t *offset_out)
{
	size_t const n = strnlen(title, SVG_TITLE_MAX + 1);
	enum svg_error err = SVG_OK;
	size_t i = 0;

	if (n == 0)
		err = SVG_ERR_TITLE_EMPTY;
	else if (n > SVG_TITLE_MAX)
		err = SVG_ERR_TITLE_LONG;
	while (err == SVG_OK && i < n) {
		uint32_t cp;
		size_t const len = base_utf8_decode(title + i, n - i, &cp);
		if (len == 0)
			err = SVG_ERR_TITLE_UTF8;
		else if (base_unicode_control(cp) && cp != '\t')
			err = SVG_ERR_TITLE_CONTROL;
		else if (is_nonchar(cp))
			err = SVG_ERR_TITLE_NONCHAR;
		else
			i += len;
	}
	if (offset_out)
		*offset_out = err == SVG_OK || i >= n ? 0 : i;
	return err;
}

static bool is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

enum svg_error svg_id_check(const char *prefix)
{
	if (!is_alpha(prefix[0]))
		return SVG_ERR_ID;
	for (size_t i = 1; prefix[i] != '\0'; i++)
		if (i >= SVG_ID_MAX || !(is_alpha(prefix[i]) || is_digit(prefix[i]) ||
					 prefix[i] == '_' || prefix[i] == '-'))
			return SVG_ERR_ID;
	return SVG_OK;
}

/* The replacement for byte c, or NULL when c is copied as it is. */
static const char *entity(char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	case '\t':
		return "&#9;";
	case '\n':
		return "&#10;";
	case '\r':
		return "&#13;";
	default:
		return NULL;
	}
}

bool svg_escape_append(struct base_buf *b, const char *text)
{
	const char *run = text;
	for (const char *p = text;; p++) {
		const char *const e = *p ? entity(*p) : "";
		if (!e)
			continue;
		/* Copy the unescaped run before p in one go, then the replacement. */
		if (!base_buf_append(b, run, (size_t)(p - run)) ||
		    !base_buf_append(b, e, strlen(e)))
			return false;
		if (!*p)
			return true;
		run = p + 1;
	}
}
