/* The growable byte buffer. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

void base_buf_init(struct base_buf *b)
{
	*b = (struct base_buf){0};
}

void base_buf_finish(struct base_buf *b)
{
	if (!b)
		return;
	free(b->data);
	*b = (struct base_buf){0};
}

void base_buf_clear(struct base_buf *b)
{
	b->len = 0;
	b->failed = false;
}

/* Room for n more bytes and the NUL; false (and b->failed) when there is none. */
static bool reserve(struct base_buf *b, size_t n)
{
	if (b->failed)
		return false;
	/* Buffers hold documents of a few KB; anything near SIZE_MAX is a bug, refused before
	 * it overflows. */
	if (n > (SIZE_MAX >> 2) - b->len - 1) {
		b->failed = true;
		return false;
	}
	if (b->len + n + 1 <= b->cap)
		return true;
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
	return true;
}

bool base_buf_append(struct base_buf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return false;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return true;
}

bool base_buf_printf(struct base_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int const n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(b, (size_t)n)) {
		b->failed = true;
		return false;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return true;
}
