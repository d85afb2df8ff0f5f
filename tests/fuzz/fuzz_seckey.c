/* Secret key files. Encrypted keys are only parsed: unlocking runs scrypt at limits the input
 * chooses. Property for unencrypted keys: parse, serialize unencrypted, parse again gives the
 * same key pair and the same text. */
#include <string.h>

#include "fuzz.h"
#include "signing.h"
#include "signing_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sig_secret_key *key = NULL, *again = NULL;
	char *out = NULL, *out2 = NULL;

	if (sig_secret_key_parse((const char *)data, size, &key) != SIG_OK)
		return 0;
	if (sig_secret_key_is_encrypted(key)) {
		fuzz_require(sig_secret_key_raw(key) == NULL, "encrypted key starts locked");
		fuzz_require(sig_secret_key_serialize(key, NULL, 0, 0, 0, &out) == SIG_ERR_PASSWORD,
			     "a locked key cannot be written");
		goto out;
	}
	fuzz_require(sig_secret_key_serialize(key, NULL, 0, 0, 0, &out) == SIG_OK, "serialize");
	fuzz_require(sig_secret_key_parse(out, strlen(out), &again) == SIG_OK, "reparse");
	fuzz_require(!sig_secret_key_is_encrypted(again), "reparsed key is encrypted");
	fuzz_require(memcmp(sig_secret_key_raw(key), sig_secret_key_raw(again), 64) == 0,
		     "reparsed secret differs");
	struct sig_public_key pub, pub2;
	sig_secret_key_public(key, &pub);
	sig_secret_key_public(again, &pub2);
	fuzz_require(memcmp(&pub, &pub2, sizeof(pub)) == 0, "reparsed public half differs");
	fuzz_require(sig_secret_key_serialize(again, NULL, 0, 0, 0, &out2) == SIG_OK, "again");
	fuzz_require(strcmp(out, out2) == 0, "serialized text differs");
out:
	sig_secret_free(out2);
	sig_secret_free(out);
	sig_secret_key_destroy(again);
	sig_secret_key_destroy(key);
	return 0;
}
