/* Signature files. Property: parse, serialize, parse again gives the same signature and the
 * same text. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "signing.h"

static void require_same(const struct sig_signature *a, const struct sig_signature *b)
{
	fuzz_require(a->legacy == b->legacy, "algorithm differs");
	fuzz_require(memcmp(a->key_id, b->key_id, sizeof(a->key_id)) == 0, "key id differs");
	fuzz_require(memcmp(a->signature, b->signature, sizeof(a->signature)) == 0,
		     "signature differs");
	fuzz_require(strcmp(a->untrusted_comment, b->untrusted_comment) == 0,
		     "untrusted comment differs");
	fuzz_require(strcmp(a->trusted_comment, b->trusted_comment) == 0,
		     "trusted comment differs");
	fuzz_require(
		memcmp(a->global_signature, b->global_signature, sizeof(a->global_signature)) == 0,
		"global signature differs");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* About 9 KiB each: on the heap, so ASan sees overruns of the comment arrays. */
	struct sig_signature *sig = malloc(sizeof(*sig)), *again = malloc(sizeof(*again));
	char *out = NULL, *out2 = NULL;
	fuzz_require(sig && again, "malloc");

	if (sig_signature_parse((const char *)data, size, sig) != SIG_OK)
		goto out;
	fuzz_require(sig_comment_check(sig->untrusted_comment, false) == SIG_OK,
		     "parsed untrusted comment fails its own check");
	fuzz_require(sig_comment_check(sig->trusted_comment, true) == SIG_OK,
		     "parsed trusted comment fails its own check");
	fuzz_require(sig_signature_serialize(sig, &out) == SIG_OK, "serialize");
	fuzz_require(sig_signature_parse(out, strlen(out), again) == SIG_OK, "reparse");
	require_same(sig, again);
	fuzz_require(sig_signature_serialize(again, &out2) == SIG_OK, "serialize again");
	fuzz_require(strcmp(out, out2) == 0, "serialized text differs");
out:
	free(out2);
	free(out);
	free(again);
	free(sig);
	return 0;
}
