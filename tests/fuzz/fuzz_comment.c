/*
 * Trusted comments: the fields a policy reads ("NAME:VALUE", tab-separated) and the semantic
 * versions it compares. The input is a comment, or two versions separated by a newline.
 * Properties: a field's value lies inside the comment and holds no tab; version comparison is
 * reflexive and antisymmetric; a structured comment built from the fields parsed out of the
 * input gives the same fields back.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "signing.h"

static const char *const names[] = {"timestamp", "file", "product", "version", "arch"};
enum { NAMES = sizeof(names) / sizeof(names[0]) };

static void check_versions(const char *a, size_t alen, const char *b, size_t blen)
{
	int ab, ba, aa;
	enum sig_error const e1 = sig_version_compare(a, alen, b, blen, &ab);
	enum sig_error const e2 = sig_version_compare(b, blen, a, alen, &ba);
	fuzz_require((e1 == SIG_OK) == (e2 == SIG_OK), "version validity depends on the order");
	if (e1 == SIG_OK)
		fuzz_require((ab > 0) - (ab < 0) == -((ba > 0) - (ba < 0)),
			     "version comparison not antisymmetric");
	if (sig_version_compare(a, alen, a, alen, &aa) == SIG_OK)
		fuzz_require(aa == 0, "a version differs from itself");
}

/* Build a structured comment from the input's fields and read them back. */
static void check_round_trip(const char *value[NAMES], const size_t len[NAMES])
{
	char *copy[NAMES] = {0};
	for (size_t i = 0; i < NAMES; i++)
		if (value[i]) {
			copy[i] = strndup(value[i], len[i]);
			fuzz_require(copy[i] != NULL, "strndup");
		}
	/* The file field is a base name: a path's last component. */
	if (!copy[0] || !copy[1] || strchr(copy[1], '/') || !*copy[1])
		goto out;
	struct sig_comment_fields const f = {copy[2], copy[3], copy[4]};
	char *built;
	if (sig_structured_trusted_comment(copy[1], copy[0], &f, &built) != SIG_OK)
		goto out;
	for (size_t i = 0; i < NAMES; i++) {
		const char *v;
		size_t n;
		int const found = sig_comment_field(built, names[i], &v, &n);
		if (!copy[i] && i >= 2) {
			fuzz_require(found == 0, "a field left out is present");
			continue;
		}
		fuzz_require(found == 1, "a field put in is not found once");
		/* The timestamp is written as a number: leading zeros go. */
		if (i == 0)
			fuzz_require(strtoll(copy[0], NULL, 10) == strtoll(v, NULL, 10),
				     "timestamp differs");
		else
			fuzz_require(n == strlen(copy[i]) && memcmp(v, copy[i], n) == 0,
				     "field value differs");
	}
	free(built);
out:
	for (size_t i = 0; i < NAMES; i++)
		free(copy[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *const comment = malloc(size + 1);
	fuzz_require(comment != NULL, "malloc");
	memcpy(comment, data, size);
	comment[size] = '\0';

	const char *nl = memchr(comment, '\n', size);
	if (nl)
		check_versions(comment, (size_t)(nl - comment), nl + 1,
			       size - (size_t)(nl - comment) - 1);
	else
		check_versions(comment, size, "1.0.0", 5);

	(void)sig_comment_check(comment, true);
	const char *value[NAMES] = {0};
	size_t len[NAMES] = {0};
	size_t const clen = strlen(comment);
	for (size_t i = 0; i < NAMES; i++) {
		int const found = sig_comment_field(comment, names[i], &value[i], &len[i]);
		fuzz_require(found >= -1 && found <= 1, "field count out of range");
		if (found != 1) {
			value[i] = NULL;
			continue;
		}
		fuzz_require(value[i] >= comment && value[i] + len[i] <= comment + clen,
			     "field value outside the comment");
		fuzz_require(memchr(value[i], '\t', len[i]) == NULL, "field value holds a tab");
	}
	check_round_trip(value, len);
	free(comment);
	return 0;
}
