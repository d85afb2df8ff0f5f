#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

void svg_buf_init(struct svg_buf *b)
{
	*b = (struct svg_buf){0};
}

void svg_buf_finish(struct svg_buf *b)
{
	if (!b)
		return;
	free(b->data);
	*b = (struct svg_buf){0};
}

void svg_buf_clear(struct svg_buf *b)
{
	b->len = 0;
	b->failed = false;
}

bool svg_buf_append(struct svg_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return false;
	/* A document is a few KB; anything near SIZE_MAX is a bug, refused before it overflows. */
	if (n > (SIZE_MAX >> 2) - b->len - 1) {
		b->failed = true;
		return false;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *const grown = realloc(b->data, cap);
		if (!grown) {
			b->failed = true;
			return false;
		}
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return true;
}

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

/*
 * Decode one UTF-8 sequence at s (n bytes left, n >= 1). Returns its length and the code
 * point, or 0 when the sequence is invalid: a stray continuation byte, a lead byte over F4, a
 * truncated sequence, an overlong encoding, a surrogate or a value over U+10FFFF.
 */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp_out)
{
	static const uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
	size_t len;
	uint32_t cp;

	if (s[0] < 0x80) {
		*cp_out = s[0];
		return 1;
	}
	if (s[0] >= 0xc0 && s[0] < 0xe0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] < 0xf0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] < 0xf5) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min_for_len[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*cp_out = cp;
	return len;
}

static bool is_control(uint32_t cp)
{
	return (cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp <= 0x9f);
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
	const unsigned char *const s = (const unsigned char *)title;
	enum svg_error err = SVG_OK;
	size_t i = 0;

	if (n == 0)
		err = SVG_ERR_TITLE_EMPTY;
	else if (n > SVG_TITLE_MAX)
		err = SVG_ERR_TITLE_LONG;
	while (err == SVG_OK && i < n) {
		uint32_t cp;
		size_t const len = utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			err = SVG_ERR_TITLE_UTF8;
		else if (is_control(cp))
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

bool svg_escape_append(struct svg_buf *b, const char *text)
{
	const char *run = text;
	for (const char *p = text;; p++) {
		const char *const e = *p ? entity(*p) : "";
		if (!e)
			continue;
		/* Copy the unescaped run before p in one go, then the replacement. */
		if (!svg_buf_append(b, run, (size_t)(p - run)) || !svg_buf_append(b, e, strlen(e)))
			return false;
		if (!*p)
			return true;
		run = p + 1;
	}
}
