/* Signed manifests (SHA256SUMS). Property: parse, write the entries back as sha256sum does
 * ("HEX  NAME\n"), parse again gives the same entries in the same order. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "signing.h"

static char *manifest_write(const struct sig_manifest *m, size_t *len_out)
{
	size_t size = 1;
	for (size_t i = 0; i < sig_manifest_count(m); i++)
		size += 2 * SIG_SHA256_BYTES + 3 + strlen(sig_manifest_entry(m, i)->name);
	char *const text = malloc(size);
	fuzz_require(text != NULL, "malloc");
	size_t n = 0;
	for (size_t i = 0; i < sig_manifest_count(m); i++) {
		const struct sig_manifest_entry *const e = sig_manifest_entry(m, i);
		for (size_t j = 0; j < SIG_SHA256_BYTES; j++) {
			text[n++] = "0123456789abcdef"[e->sha256[j] >> 4];
			text[n++] = "0123456789abcdef"[e->sha256[j] & 15];
		}
		n += (size_t)sprintf(text + n, "  %s\n", e->name);
	}
	*len_out = n;
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sig_manifest *m = NULL, *again = NULL;
	size_t line;

	if (sig_manifest_parse((const char *)data, size, &m, &line) != SIG_OK) {
		fuzz_require(m == NULL, "a failed parse returns a manifest");
		return 0;
	}
	size_t const count = sig_manifest_count(m);
	fuzz_require(count > 0 && count <= SIG_MANIFEST_ENTRIES_MAX, "entry count");
	fuzz_require(sig_manifest_entry(m, count) == NULL, "entry past the end");
	size_t len;
	char *const text = manifest_write(m, &len);
	fuzz_require(sig_manifest_parse(text, len, &again, &line) == SIG_OK, "reparse");
	fuzz_require(sig_manifest_count(again) == count, "reparsed count differs");
	for (size_t i = 0; i < count; i++) {
		const struct sig_manifest_entry *const a = sig_manifest_entry(m, i);
		const struct sig_manifest_entry *const b = sig_manifest_entry(again, i);
		fuzz_require(strcmp(a->name, b->name) == 0, "reparsed name differs");
		fuzz_require(memcmp(a->sha256, b->sha256, SIG_SHA256_BYTES) == 0,
			     "reparsed digest differs");
		fuzz_require(sig_manifest_find(m, a->name) == a, "find by name");
	}
	free(text);
	sig_manifest_destroy(again);
	sig_manifest_destroy(m);
	return 0;
}
