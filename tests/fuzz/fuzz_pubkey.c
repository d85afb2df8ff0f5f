/* Public key files (and keyrings, which are public key files one after the other).
 * Property: parse, serialize, parse again gives the same key and the same text. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "signing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const text = (const char *)data;
	struct sig_public_key key, again;
	char *out = NULL, *out2 = NULL;

	struct sig_keyring *ring = calloc(1, sizeof(*ring));
	fuzz_require(ring != NULL, "calloc");
	if (sig_keyring_parse(text, size, ring) == SIG_OK)
		fuzz_require(ring->n > 0 && ring->n <= SIG_KEYRING_MAX, "keyring: 1 to max keys");
	free(ring);

	if (sig_public_key_parse(text, size, &key) != SIG_OK)
		return 0;
	fuzz_require(sig_public_key_serialize(&key, &out) == SIG_OK, "serialize a parsed key");
	fuzz_require(sig_public_key_parse(out, strlen(out), &again) == SIG_OK, "reparse");
	fuzz_require(memcmp(&key, &again, sizeof(key)) == 0, "reparsed key differs");
	fuzz_require(sig_public_key_serialize(&again, &out2) == SIG_OK, "serialize again");
	fuzz_require(strcmp(out, out2) == 0, "serialized text differs");

	char b64[57];
	sig_public_key_base64(&key, b64);
	fuzz_require(sig_public_key_parse_base64(b64, strlen(b64), &again) == SIG_OK &&
			     memcmp(&key, &again, sizeof(key)) == 0,
		     "base64 line round trip");
	free(out2);
	free(out);
	return 0;
}
