#pragma once

/*
 * A growable byte buffer: documents (SVG), metrics, anything built in memory before it is
 * sent. The caller owns the struct and, through it, the bytes. One buffer is not safe to use
 * from two threads at once; separate buffers are independent (heart serve keeps one per
 * worker thread).
 */

#include <stdbool.h>
#include <stddef.h>

/*
 * Bytes, always NUL-terminated once anything was appended. Start with base_buf_init(),
 * release with base_buf_finish(). An append that runs out of memory sets `failed`; later
 * appends do nothing and return false until base_buf_clear().
 */
struct base_buf {
	char *data; /* NULL until the first append; owned by the buffer */
	size_t len; /* bytes, without the NUL */
	size_t cap; /* bytes allocated */
	bool failed;
};

/* An empty buffer; allocates nothing. */
void base_buf_init(struct base_buf *b);
/* Free the bytes and reset to empty. Accepts NULL and a buffer never appended to. */
void base_buf_finish(struct base_buf *b);
/* Empty the buffer (and forget a failure), keeping its memory for the next use. */
void base_buf_clear(struct base_buf *b);
/* Append n bytes of s (which may hold NULs); false (and b->failed) when out of memory. */
bool base_buf_append(struct base_buf *b, const char *s, size_t n);
/* Append what printf(fmt, ...) would write, without a limit on its length; false (and
 * b->failed) when out of memory or when the format fails. */
bool base_buf_printf(struct base_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
