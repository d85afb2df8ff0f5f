/*
 * Trusted comments: the release policy form a policy reads (signing.h) and the semantic
 * versions it compares. The input is a comment, or two versions separated by a newline.
 * Properties: a parsed policy form's values lie inside the comment and hold no tab; building
 * the form again from what was parsed gives the comment back byte for byte (so the grammar
 * has one reading); no comment starting with "timestamp:" (every default comment, whatever
 * its file name) is a policy form; version comparison is reflexive and antisymmetric.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "signing.h"

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

static char *copy_of(const char *v, size_t len)
{
	char *const c = v ? strndup(v, len) : NULL;
	fuzz_require(!v || c, "strndup");
	return c;
}

static void check_in(const char *comment, size_t clen, const char *v, size_t len)
{
	if (!v)
		return;
	fuzz_require(v >= comment && v + len <= comment + clen, "field value outside the comment");
	fuzz_require(memchr(v, '\t', len) == NULL, "field value holds a tab");
}

/* A policy form parsed from comment, built again from its fields: the same text. */
static void check_round_trip(const char *comment, const struct sig_release *r)
{
	size_t const clen = strlen(comment);
	check_in(comment, clen, r->product, r->product_len);
	check_in(comment, clen, r->version, r->version_len);
	check_in(comment, clen, r->arch, r->arch_len);
	check_in(comment, clen, r->file, r->file_len);
	char *const product = copy_of(r->product, r->product_len);
	char *const version = copy_of(r->version, r->version_len);
	char *const arch = copy_of(r->arch, r->arch_len);
	char *const file = copy_of(r->file, r->file_len);
	char epoch[24];
	snprintf(epoch, sizeof(epoch), "%lld", r->timestamp);
	struct sig_comment_fields const f = {product, version, arch};
	char *built = NULL;
	/* A name the builder refuses (a control byte) cannot have passed sig_comment_check. */
	if (sig_structured_trusted_comment(file, epoch, &f, &built) == SIG_OK) {
		fuzz_require(strcmp(built, comment) == 0, "policy form does not round-trip");
		free(built);
	} else {
		fuzz_require(sig_comment_check(comment, true) != SIG_OK,
			     "a parsed policy form cannot be built again");
	}
	free(product);
	free(version);
	free(arch);
	free(file);
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
	struct sig_release r;
	bool const parsed = sig_release_parse(comment, &r);
	if (strncmp(comment, "timestamp:", 10) == 0)
		fuzz_require(!parsed, "a default comment is a policy form");
	if (parsed)
		check_round_trip(comment, &r);
	/* Any name at all (the input up to a NUL) in a default comment: never a policy form. */
	char *deflt = NULL;
	if (sig_default_trusted_comment(comment, "1", &deflt) == SIG_OK) {
		fuzz_require(!sig_release_parse(deflt, &r), "a default comment is a policy form");
		free(deflt);
	}
	free(comment);
	return 0;
}
