/* Signed manifests: SHA256SUMS as sha256sum writes it, parsed strictly. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "base/text.h"
#include "signing_internal.h"

enum { SHA256_HEX = 2 * SIG_SHA256_BYTES };

struct sig_manifest {
	struct sig_manifest_entry *entries;
	size_t n;
	char *names; /* every name, NUL-terminated, one after the other */
	/* Open addressing, linear probing: entry index + 1, or 0 when empty. At least twice the
	 * lines, a power of two: never full. */
	uint32_t *slots;
	size_t mask; /* slots - 1 */
};

/* A digit of the digest: sha256sum writes lower case, and the manifest is read as written. */
static int hex_value(char c)
{
	return c >= 'A' && c <= 'F' ? -1 : base_hex_digit(c);
}

/*
 * A name heart will open below the manifest's directory: relative, no "." or ".." component,
 * no empty component, printable ASCII or UTF-8 without controls or backslashes (sha256sum
 * escapes names holding '\\' or a newline by starting the line with '\\': refused).
 */
static bool name_safe(const char *name, size_t len)
{
	if (len == 0 || len > SIG_MANIFEST_NAME_MAX || name[0] == '/')
		return false;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t const n = base_utf8_decode(name + i, len - i, &cp);
		if (n == 0 || base_unicode_control(cp) || cp == '\\')
			return false;
		i += n;
	}
	for (size_t start = 0; start <= len;) {
		const char *const slash = memchr(name + start, '/', len - start);
		size_t const end = slash ? (size_t)(slash - name) : len;
		size_t const clen = end - start;
		if (clen == 0 || (clen == 1 && name[start] == '.') ||
		    (clen == 2 && name[start] == '.' && name[start + 1] == '.'))
			return false;
		start = end + 1;
	}
	return true;
}

/* "HEX  NAME" (text mode) or "HEX *NAME" (binary mode): sha256sum's two forms. */
static bool line_parse(const char *line, size_t len, uint8_t digest[SIG_SHA256_BYTES],
		       const char **name_out, size_t *name_len_out)
{
	if (len < SHA256_HEX + 3 || (line[SHA256_HEX] != ' ') ||
	    (line[SHA256_HEX + 1] != ' ' && line[SHA256_HEX + 1] != '*'))
		return false;
	for (size_t i = 0; i < SIG_SHA256_BYTES; i++) {
		int const hi = hex_value(line[2 * i]), lo = hex_value(line[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		digest[i] = (uint8_t)(hi << 4 | lo);
	}
	*name_out = line + SHA256_HEX + 2;
	*name_len_out = len - SHA256_HEX - 2;
	return name_safe(*name_out, *name_len_out);
}

/* The slot holding name (len bytes), or the empty slot where it would go: FNV-1a, then probing. */
static uint32_t *slot_find(const struct sig_manifest *m, const char *name, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	for (size_t i = h & m->mask;; i = (i + 1) & m->mask) {
		uint32_t const s = m->slots[i];
		if (s == 0 || (m->entries[s - 1].name_len == len &&
			       memcmp(m->entries[s - 1].name, name, len) == 0))
			return &m->slots[i];
	}
}

static enum sig_error manifest_alloc(const char *text, size_t len, struct sig_manifest **m_out)
{
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	if (len > SIG_MANIFEST_MAX || lines > SIG_MANIFEST_ENTRIES_MAX)
		return SIG_ERR_TOO_LONG;
	struct sig_manifest *const m = calloc(1, sizeof(*m));
	if (m) {
		m->entries = calloc(lines + 1, sizeof(*m->entries));
		m->names = malloc(len + 1);
		m->mask = 1;
		while (m->mask < 2 * lines)
			m->mask = 2 * m->mask + 1;
		m->slots = calloc(m->mask + 1, sizeof(*m->slots));
	}
	if (!m || !m->entries || !m->names || !m->slots) {
		sig_manifest_destroy(m);
		return SIG_ERR_NOMEM;
	}
	*m_out = m;
	return SIG_OK;
}

/* One line (without its "\n") into entry n of m; names are copied after used bytes. */
static enum sig_error entry_add(struct sig_manifest *m, const char *line, size_t len, size_t *used)
{
	struct sig_manifest_entry *const e = &m->entries[m->n];
	const char *name;
	size_t name_len;
	if (memchr(line, '\r', len))
		return SIG_ERR_CARRIAGE_RETURN;
	if (!line_parse(line, len, e->sha256, &name, &name_len))
		return SIG_ERR_MANIFEST_LINE;
	uint32_t *const slot = slot_find(m, name, name_len);
	if (*slot != 0)
		return SIG_ERR_MANIFEST_DUPLICATE;
	memcpy(m->names + *used, name, name_len);
	m->names[*used + name_len] = '\0';
	e->name = m->names + *used;
	e->name_len = name_len;
	*used += name_len + 1;
	*slot = (uint32_t)++m->n; /* entry index + 1 */
	return SIG_OK;
}

enum sig_error sig_manifest_parse(const char *text, size_t len, struct sig_manifest **m_out,
				  size_t *line_out)
{
	struct sig_manifest *m = NULL;
	size_t used = 0, pos = 0;
	*m_out = NULL;
	*line_out = 0;
	enum sig_error err = manifest_alloc(text, len, &m);
	while (err == SIG_OK && pos < len) {
		const char *const nl = memchr(text + pos, '\n', len - pos);
		++*line_out;
		if (!nl) {
			err = SIG_ERR_LINES; /* sha256sum ends every line */
			break;
		}
		err = entry_add(m, text + pos, (size_t)(nl - text) - pos, &used);
		pos = (size_t)(nl - text) + 1;
	}
	if (err == SIG_OK && m->n == 0)
		err = SIG_ERR_LINES;
	if (err != SIG_OK) {
		sig_manifest_destroy(m);
		return err;
	}
	*line_out = 0;
	*m_out = m;
	return SIG_OK;
}

size_t sig_manifest_count(const struct sig_manifest *m)
{
	return m->n;
}

const struct sig_manifest_entry *sig_manifest_entry(const struct sig_manifest *m, size_t i)
{
	return i < m->n ? &m->entries[i] : NULL;
}

const struct sig_manifest_entry *sig_manifest_find(const struct sig_manifest *m, const char *name)
{
	uint32_t const i = *slot_find(m, name, strlen(name));
	return i ? &m->entries[i - 1] : NULL;
}

void sig_manifest_destroy(struct sig_manifest *m)
{
	if (!m)
		return;
	free(m->entries);
	free(m->names);
	free(m->slots);
	free(m);
}

static enum sig_error sha256_update(void *ctx, const uint8_t *block, size_t len)
{
	crypto_hash_sha256_update(ctx, block, len);
	return SIG_OK;
}

enum sig_error sig_sha256_fd(int fd, uint8_t digest_out[SIG_SHA256_BYTES])
{
	crypto_hash_sha256_state st;
	if (sodium_init() < 0)
		return SIG_ERR_NOMEM;
	crypto_hash_sha256_init(&st);
	enum sig_error const err = sig_read_blocks(fd, UINT64_MAX, sha256_update, &st);
	if (err == SIG_OK)
		crypto_hash_sha256_final(&st, digest_out);
	return err;
}
