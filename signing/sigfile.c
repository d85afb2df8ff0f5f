/* Signature files: parsing, writing, signing and verifying. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "signing_internal.h"

#define UNTRUSTED_PREFIX "untrusted comment: "
#define TRUSTED_PREFIX "trusted comment: "

enum {
	/* The longest line a signature file may have: the trusted comment's. */
	LINE_MAX_LEN = sizeof(TRUSTED_PREFIX) - 1 + SIG_TRUSTED_COMMENT_MAX,
	SIG_LINE_B64 = (sizeof(struct sig_signature_raw) + 2) / 3 * 4,
	GLOBAL_LINE_B64 = (SIG_SIGNATURE_BYTES + 2) / 3 * 4,
};

const char *sig_strerror(enum sig_error err)
{
	switch (err) {
	case SIG_OK:
		return "success";
	case SIG_ERR_IO:
		return "read error";
	case SIG_ERR_NOMEM:
		return "out of memory";
	case SIG_ERR_WRITE:
		return "write error";
	case SIG_ERR_TOO_LONG:
		return "line or file too long";
	case SIG_ERR_CARRIAGE_RETURN:
		return "carriage return inside a line";
	case SIG_ERR_LINES:
		return "wrong number of lines";
	case SIG_ERR_PREFIX:
		return "a comment line lacks its 'untrusted comment: ' or "
		       "'trusted comment: ' prefix";
	case SIG_ERR_BASE64:
		return "not canonical base64 of the expected length";
	case SIG_ERR_COMMENT_CONTROL:
		return "comment contains a control character";
	case SIG_ERR_COMMENT_UTF8:
		return "comment is not valid UTF-8";
	case SIG_ERR_COMMENT_TOO_LONG:
		return "comment too long";
	case SIG_ERR_ALGORITHM:
		return "unknown algorithm";
	case SIG_ERR_KDF:
		return "unknown key derivation or checksum algorithm";
	case SIG_ERR_KDF_LIMITS:
		return "scrypt limits out of range";
	case SIG_ERR_KEY_CHECKSUM:
		return "wrong password or damaged secret key (checksum "
		       "mismatch)";
	case SIG_ERR_KEY_MISMATCH:
		return "damaged secret key (its public key does not match its "
		       "seed)";
	case SIG_ERR_PASSWORD:
		return "the secret key is locked";
	case SIG_ERR_TIMESTAMP:
		return "SOURCE_DATE_EPOCH is not a number of seconds";
	case SIG_ERR_KEYRING_ID:
		return "two different trusted keys have the same key id";
	case SIG_ERR_KEYRING_FULL:
		return "too many trusted keys";
	case SIG_ERR_FIELD_VALUE:
		return "a product or arch must be 1 to 64 of A-Z a-z 0-9 . _ + -";
	case SIG_ERR_FILE_NAME:
		return "a name in a trusted comment cannot hold a tab, a control "
		       "character or invalid UTF-8";
	case SIG_ERR_VERSION:
		return "not a semantic version (MAJOR.MINOR.PATCH[-PRE][+BUILD])";
	case SIG_ERR_MANIFEST_LINE:
		return "not a sha256sum line with a safe relative file name "
		       "(no '..', no absolute path, no escapes)";
	case SIG_ERR_MANIFEST_DUPLICATE:
		return "a file is listed twice";
	case SIG_ERR_KEY_ID:
		return "signature made with a different key (key id mismatch)";
	case SIG_ERR_LEGACY:
		return "legacy signature (whole file, not hashed) refused without "
		       "--legacy";
	case SIG_ERR_LEGACY_DIGEST:
		return "legacy signature over a 64-byte file refused (a hashed "
		       "signature relabelled as legacy verifies over its digest)";
	case SIG_ERR_SIGNATURE:
		return "signature verification failed";
	case SIG_ERR_GLOBAL_SIGNATURE:
		return "trusted comment signature verification failed";
	case SIG_ERR_ZSTD:
		return "not a valid zstd frame";
	case SIG_ERR_ZSTD_NO_SIZE:
		return "zstd frame does not declare its content size";
	case SIG_ERR_ZSTD_NO_CHECKSUM:
		return "zstd frame has no checksum";
	case SIG_ERR_ZSTD_TOO_BIG:
		return "decompressed size over the limit or the declared size";
	case SIG_ERR_ARTIFACT_TOO_BIG:
		return "artifact larger than any zstd frame within the size "
		       "limit";
	}
	return "unknown error";
}

bool sig_error_is_unverified(enum sig_error err)
{
	return err == SIG_ERR_KEY_ID || err == SIG_ERR_LEGACY || err == SIG_ERR_LEGACY_DIGEST ||
	       err == SIG_ERR_SIGNATURE || err == SIG_ERR_GLOBAL_SIGNATURE;
}

static enum sig_error parse_algorithm_line(const struct sig_line *line, struct sig_signature *sig)
{
	struct sig_signature_raw raw;
	enum sig_error err = sig_base64_decode(line->text, line->len, (uint8_t *)&raw, sizeof(raw));
	if (err != SIG_OK)
		return err;
	if (memcmp(raw.sig_alg, "ED", 2) == 0)
		sig->legacy = false;
	else if (memcmp(raw.sig_alg, "Ed", 2) == 0)
		sig->legacy = true;
	else
		return SIG_ERR_ALGORITHM;
	memcpy(sig->key_id, raw.key_id, sizeof(raw.key_id));
	memcpy(sig->signature, raw.signature, sizeof(raw.signature));
	return SIG_OK;
}

enum sig_error sig_signature_parse(const char *text, size_t len, struct sig_signature *sig_out)
{
	struct sig_line lines[4];
	enum sig_error err = sig_lines_split(text, len, lines, 4, LINE_MAX_LEN);
	if (err == SIG_OK)
		err = sig_comment_take(&lines[0], UNTRUSTED_PREFIX, SIG_UNTRUSTED_COMMENT_MAX,
				       sig_out->untrusted_comment);
	if (err == SIG_OK)
		err = parse_algorithm_line(&lines[1], sig_out);
	if (err == SIG_OK)
		err = sig_comment_take(&lines[2], TRUSTED_PREFIX, SIG_TRUSTED_COMMENT_MAX,
				       sig_out->trusted_comment);
	if (err == SIG_OK)
		err = sig_base64_decode(lines[3].text, lines[3].len, sig_out->global_signature,
					SIG_SIGNATURE_BYTES);
	return err;
}

enum sig_error sig_signature_serialize(const struct sig_signature *sig, char **text_out)
{
	struct sig_signature_raw raw;
	char line2[SIG_LINE_B64 + 1];
	char line4[GLOBAL_LINE_B64 + 1];

	*text_out = NULL;
	memcpy(raw.sig_alg, sig->legacy ? "Ed" : "ED", 2);
	memcpy(raw.key_id, sig->key_id, sizeof(raw.key_id));
	memcpy(raw.signature, sig->signature, sizeof(raw.signature));
	sig_base64_encode((const uint8_t *)&raw, sizeof(raw), line2);
	sig_base64_encode(sig->global_signature, SIG_SIGNATURE_BYTES, line4);

	size_t size = strlen(sig->untrusted_comment) + strlen(sig->trusted_comment) +
		      sizeof(line2) + sizeof(line4) + sizeof(UNTRUSTED_PREFIX) +
		      sizeof(TRUSTED_PREFIX) + 4;
	char *text = malloc(size);
	if (!text)
		return SIG_ERR_NOMEM;
	snprintf(text, size, UNTRUSTED_PREFIX "%s\n%s\n" TRUSTED_PREFIX "%s\n%s\n",
		 sig->untrusted_comment, line2, sig->trusted_comment, line4);
	*text_out = text;
	return SIG_OK;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

enum sig_error sig_default_trusted_comment(const char *path, const char *source_date_epoch,
					   char **comment_out)
{
	long long when = (long long)time(NULL);
	*comment_out = NULL;
	if (source_date_epoch) {
		size_t n = strlen(source_date_epoch);
		if (n == 0 || n > 18 || strspn(source_date_epoch, "0123456789") != n)
			return SIG_ERR_TIMESTAMP;
		when = strtoll(source_date_epoch, NULL, 10);
	}
	const char *name = base_name(path);
	/* A tab would let the name add fields of its own; the other bytes, drive a terminal. */
	if (strchr(name, '\t') || sig_comment_check(name, true) != SIG_OK)
		return SIG_ERR_FILE_NAME;
	size_t size = strlen(name) + 64;
	char *comment = malloc(size);
	if (!comment)
		return SIG_ERR_NOMEM;
	snprintf(comment, size, "timestamp:%lld\tfile:%s\thashed", when, name);
	*comment_out = comment;
	return SIG_OK;
}

/* Ed25519 over signature ‖ trusted comment, as minisign's global signature. */
static bool global_message(const struct sig_signature *sig, uint8_t **msg_out, size_t *len_out)
{
	size_t tlen = strlen(sig->trusted_comment);
	uint8_t *msg = malloc(SIG_SIGNATURE_BYTES + tlen);
	if (!msg)
		return false;
	memcpy(msg, sig->signature, SIG_SIGNATURE_BYTES);
	memcpy(msg + SIG_SIGNATURE_BYTES, sig->trusted_comment, tlen);
	*msg_out = msg;
	*len_out = SIG_SIGNATURE_BYTES + tlen;
	return true;
}

enum sig_error sig_sign_digest(const struct sig_secret_key *key,
			       const uint8_t digest[SIG_DIGEST_BYTES],
			       const char *untrusted_comment, const char *trusted_comment,
			       struct sig_signature *sig_out)
{
	const uint8_t *sk = sig_secret_key_raw(key);
	struct sig_public_key pub;
	uint8_t *msg;
	size_t msg_len;
	enum sig_error err;

	if (!sk)
		return SIG_ERR_PASSWORD;
	if ((err = sig_comment_check(untrusted_comment, false)) != SIG_OK ||
	    (err = sig_comment_check(trusted_comment, true)) != SIG_OK)
		return err;
	sig_secret_key_public(key, &pub);
	sig_out->legacy = false;
	memcpy(sig_out->key_id, pub.key_id, SIG_KEY_ID_BYTES);
	strcpy(sig_out->untrusted_comment, untrusted_comment);
	strcpy(sig_out->trusted_comment, trusted_comment);
	crypto_sign_detached(sig_out->signature, NULL, digest, SIG_DIGEST_BYTES, sk);
	if (!global_message(sig_out, &msg, &msg_len))
		return SIG_ERR_NOMEM;
	crypto_sign_detached(sig_out->global_signature, NULL, msg, msg_len, sk);
	free(msg);
	return SIG_OK;
}

enum sig_error sig_verify_header(const struct sig_public_key *key, const struct sig_signature *sig,
				 bool allow_legacy)
{
	uint8_t *msg;
	size_t msg_len;

	if (sodium_init() < 0)
		return SIG_ERR_NOMEM;
	if (memcmp(key->key_id, sig->key_id, SIG_KEY_ID_BYTES) != 0)
		return SIG_ERR_KEY_ID;
	if (sig->legacy && !allow_legacy)
		return SIG_ERR_LEGACY;
	if (!global_message(sig, &msg, &msg_len))
		return SIG_ERR_NOMEM;
	int bad = crypto_sign_verify_detached(sig->global_signature, msg, msg_len, key->key);
	free(msg);
	return bad ? SIG_ERR_GLOBAL_SIGNATURE : SIG_OK;
}

enum sig_error sig_verify(const struct sig_public_key *key, const struct sig_signature *sig,
			  const uint8_t digest[SIG_DIGEST_BYTES], const uint8_t *message,
			  size_t message_len, bool allow_legacy)
{
	enum sig_error err = sig_verify_header(key, sig, allow_legacy);
	if (err != SIG_OK)
		return err;
	if (sig->legacy && message_len == SIG_DIGEST_BYTES)
		return SIG_ERR_LEGACY_DIGEST;
	int bad = sig->legacy ? crypto_sign_verify_detached(sig->signature, message, message_len,
							    key->key)
			      : crypto_sign_verify_detached(sig->signature, digest,
							    SIG_DIGEST_BYTES, key->key);
	return bad ? SIG_ERR_SIGNATURE : SIG_OK;
}
