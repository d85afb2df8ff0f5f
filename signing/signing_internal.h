#pragma once

/* Helpers shared by the files of the signing module and its unit tests; no other module. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "signing.h"

/* A line of a key or signature file, without its line ending. */
struct sig_line {
	const char *text;
	size_t len;
};

/*
 * Split text into exactly n lines. Each line ends in "\n" or "\r\n"; the last one may also end
 * at the end of text. Any other CR, a line over max_len bytes, or a line count other than n
 * (including trailing empty lines or appended bytes) is an error.
 */
enum sig_error sig_lines_split(const char *text, size_t len, struct sig_line *lines_out,
			       size_t n, size_t max_len);

/*
 * Strict standard base64 (with '=' padding, no whitespace) of exactly out_len bytes. The
 * encoding must be canonical: the unused bits of the last character must be zero.
 */
enum sig_error sig_base64_decode(const char *b64, size_t len, uint8_t *out, size_t out_len);
/* Base64 of len bytes into out (4 * ceil(len / 3) + 1 bytes for the NUL). */
void sig_base64_encode(const uint8_t *bin, size_t len, char *out);
static inline size_t sig_base64_len(size_t bin_len)
{
	return (bin_len + 2) / 3 * 4;
}

/* The text after prefix on line, into comment_out (NUL-terminated, max bytes at most). */
enum sig_error sig_comment_take(const struct sig_line *line, const char *prefix,
				size_t max, char *comment_out);

/* The 64-byte libsodium secret key of an unlocked key, or NULL while it is locked. */
const uint8_t *sig_secret_key_raw(const struct sig_secret_key *key);

/* write() until all len bytes are written (EINTR retried); SIG_ERR_WRITE with errno set. */
enum sig_error sig_write_all(int fd, const void *data, size_t len);
