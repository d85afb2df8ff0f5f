/* Keyrings: several trusted public keys, one chosen by a signature's key id. */
#include <string.h>

#include "signing_internal.h"

#define COMMENT_PREFIX "untrusted comment: "

enum sig_error sig_keyring_add(struct sig_keyring *ring, const struct sig_public_key *key)
{
	const struct sig_public_key *const same_id = sig_keyring_find(ring, key->key_id);
	if (same_id)
		return memcmp(same_id->key, key->key, sizeof(key->key)) == 0 ? SIG_OK
									     : SIG_ERR_KEYRING_ID;
	if (ring->n >= SIG_KEYRING_MAX)
		return SIG_ERR_KEYRING_FULL;
	ring->keys[ring->n++] = *key;
	return SIG_OK;
}

const struct sig_public_key *sig_keyring_find(const struct sig_keyring *ring,
					      const uint8_t key_id[SIG_KEY_ID_BYTES])
{
	for (size_t i = 0; i < ring->n; i++)
		if (memcmp(ring->keys[i].key_id, key_id, SIG_KEY_ID_BYTES) == 0)
			return &ring->keys[i];
	return NULL;
}

/* The line at *pos (advanced past it), as sig_lines_split() would cut it. */
static enum sig_error next_line(const char *text, size_t len, size_t *pos,
				struct sig_line *line_out)
{
	const char *const start = text + *pos;
	const char *const nl = memchr(start, '\n', len - *pos);
	size_t const rest = nl ? (size_t)(nl - start) + 1 : len - *pos;
	enum sig_error const err = sig_lines_split(
		start, rest, line_out, 1, sizeof(COMMENT_PREFIX) + SIG_UNTRUSTED_COMMENT_MAX);
	*pos += rest;
	return err;
}

enum sig_error sig_keyring_parse(const char *text, size_t len, struct sig_keyring *ring)
{
	char comment[SIG_UNTRUSTED_COMMENT_MAX + 1];
	size_t pos = 0, found = 0;
	while (pos < len) {
		struct sig_line line;
		struct sig_public_key key;
		enum sig_error err = next_line(text, len, &pos, &line);
		if (err != SIG_OK)
			return err;
		if (line.len == 0 || line.text[0] == '#')
			continue;
		err = sig_comment_take(&line, COMMENT_PREFIX, SIG_UNTRUSTED_COMMENT_MAX, comment);
		if (err == SIG_OK && pos >= len)
			err = SIG_ERR_LINES; /* a comment without its key */
		if (err == SIG_OK)
			err = next_line(text, len, &pos, &line);
		if (err == SIG_OK)
			err = sig_public_key_parse_base64(line.text, line.len, &key);
		if (err == SIG_OK)
			err = sig_keyring_add(ring, &key);
		if (err != SIG_OK)
			return err;
		found++;
	}
	return found > 0 ? SIG_OK : SIG_ERR_LINES;
}
