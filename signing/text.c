/* Line splitting, base64 and comments: the strict text layer under key and signature files. */
#include <string.h>

#include "base/text.h"
#include "signing_internal.h"

enum sig_error sig_lines_split(const char *text, size_t len, struct sig_line *lines_out, size_t n,
			       size_t max_len)
{
	size_t pos = 0;

	for (size_t i = 0; i < n; i++) {
		if (pos >= len)
			return SIG_ERR_LINES;
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t line_len = end - pos;
		/* A CR is allowed only right before the LF that ends the line. */
		if (nl && line_len > 0 && text[end - 1] == '\r')
			line_len--;
		if (memchr(text + pos, '\r', line_len))
			return SIG_ERR_CARRIAGE_RETURN;
		if (!nl && line_len > 0 && text[end - 1] == '\r')
			return SIG_ERR_CARRIAGE_RETURN;
		if (line_len > max_len)
			return SIG_ERR_TOO_LONG;
		lines_out[i] = (struct sig_line){text + pos, line_len};
		pos = nl ? end + 1 : len;
	}
	return pos == len ? SIG_OK : SIG_ERR_LINES;
}

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_value(char c)
{
	const char *p = c ? strchr(b64_alphabet, c) : NULL;
	return p ? (int)(p - b64_alphabet) : -1;
}

enum sig_error sig_base64_decode(const char *b64, size_t len, uint8_t *out, size_t out_len)
{
	if (len != sig_base64_len(out_len))
		return SIG_ERR_BASE64;
	size_t pad = (3 - out_len % 3) % 3;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 4) {
		bool last = i + 4 == len;
		size_t data_chars = last ? 4 - pad : 4;
		uint32_t acc = 0;
		for (size_t j = 0; j < 4; j++) {
			if (j >= data_chars) {
				if (b64[i + j] != '=')
					return SIG_ERR_BASE64;
				acc <<= 6;
				continue;
			}
			int v = b64_value(b64[i + j]);
			if (v < 0)
				return SIG_ERR_BASE64;
			acc = acc << 6 | (uint32_t)v;
		}
		/* Canonical: the bits that belong to no output byte must be zero. */
		if (last && pad > 0 && (acc & ((1u << (8 * pad)) - 1)) != 0)
			return SIG_ERR_BASE64;
		for (size_t k = 0; k < 3 - (last ? pad : 0); k++)
			out[o++] = (uint8_t)(acc >> (16 - 8 * k));
	}
	return SIG_OK;
}

void sig_base64_encode(const uint8_t *bin, size_t len, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		size_t n = len - i < 3 ? len - i : 3;
		uint32_t acc = (uint32_t)bin[i] << 16;
		if (n > 1)
			acc |= (uint32_t)bin[i + 1] << 8;
		if (n > 2)
			acc |= bin[i + 2];
		for (size_t j = 0; j < 4; j++)
			out[o++] = j <= n ? b64_alphabet[(acc >> (18 - 6 * j)) & 63] : '=';
	}
	out[o] = '\0';
}

/* Tab is allowed: minisign's default trusted comment separates its fields with tabs. */
static enum sig_error comment_check_len(const char *comment, size_t len, size_t max)
{
	if (len > max)
		return SIG_ERR_COMMENT_TOO_LONG;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t const n = base_utf8_decode(comment + i, len - i, &cp);
		if (n == 0)
			return SIG_ERR_COMMENT_UTF8;
		if (base_unicode_control(cp) && cp != '\t')
			return SIG_ERR_COMMENT_CONTROL;
		i += n;
	}
	return SIG_OK;
}

enum sig_error sig_comment_check(const char *comment, bool trusted)
{
	return comment_check_len(comment, strlen(comment),
				 trusted ? SIG_TRUSTED_COMMENT_MAX : SIG_UNTRUSTED_COMMENT_MAX);
}

enum sig_error sig_comment_take(const struct sig_line *line, const char *prefix, size_t max,
				char *comment_out)
{
	size_t plen = strlen(prefix);
	if (line->len < plen || memcmp(line->text, prefix, plen) != 0)
		return SIG_ERR_PREFIX;
	const char *text = line->text + plen;
	size_t len = line->len - plen;
	enum sig_error err = comment_check_len(text, len, max);
	if (err != SIG_OK)
		return err;
	memcpy(comment_out, text, len);
	comment_out[len] = '\0';
	return SIG_OK;
}
