/* Public and secret keys in minisign's layout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "signing_internal.h"

#define PUBLIC_PREFIX "untrusted comment: "
#define KDF_SCRYPT "Sc"
#define CHECKSUM_BLAKE2B "B2"

/* The most heart spends on a key file: what minisign writes, and the most it accepts. */
#define OPSLIMIT_MAX SIG_SCRYPT_OPSLIMIT
#define MEMLIMIT_MAX SIG_SCRYPT_MEMLIMIT

/* The layout's fields are the sizes libsodium works with. */
#define FIELD_SIZE(type, field) sizeof(((type *)0)->field)
_Static_assert(FIELD_SIZE(struct sig_seckey_encrypted, secret) == crypto_sign_SECRETKEYBYTES,
	       "secret: an Ed25519 secret key");
_Static_assert(FIELD_SIZE(struct sig_seckey_encrypted, checksum) == crypto_generichash_BYTES,
	       "checksum: a BLAKE2b-256");
_Static_assert(FIELD_SIZE(struct sig_seckey_raw, kdf_salt) ==
		       crypto_pwhash_scryptsalsa208sha256_SALTBYTES,
	       "salt: scrypt's");
_Static_assert(FIELD_SIZE(struct sig_pubkey_raw, key) == crypto_sign_PUBLICKEYBYTES,
	       "key: an Ed25519 public key");

/* The decoded secret key file; lives in sodium_malloc memory. */
struct sig_secret_key {
	struct sig_seckey_raw raw;
	bool locked; /* raw.enc not yet decrypted */
};

static uint64_t le64_load(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void le64_store(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void sig_key_id_hex(const uint8_t key_id[SIG_KEY_ID_BYTES], char hex_out[17])
{
	snprintf(hex_out, 17, "%016llX", (unsigned long long)le64_load(key_id));
}

enum sig_error sig_public_key_parse_base64(const char *b64, size_t len,
					   struct sig_public_key *key_out)
{
	struct sig_pubkey_raw raw;
	enum sig_error err = sig_base64_decode(b64, len, (uint8_t *)&raw, sizeof(raw));
	if (err != SIG_OK)
		return err;
	if (memcmp(raw.sig_alg, "Ed", 2) != 0)
		return SIG_ERR_ALGORITHM;
	memcpy(key_out->key_id, raw.key_id, sizeof(raw.key_id));
	memcpy(key_out->key, raw.key, sizeof(raw.key));
	return SIG_OK;
}

enum sig_error sig_public_key_parse(const char *text, size_t len, struct sig_public_key *key_out)
{
	struct sig_line lines[2];
	char comment[SIG_UNTRUSTED_COMMENT_MAX + 1];
	enum sig_error err = sig_lines_split(text, len, lines, 2,
					     sizeof(PUBLIC_PREFIX) + SIG_UNTRUSTED_COMMENT_MAX);
	if (err == SIG_OK)
		err = sig_comment_take(&lines[0], PUBLIC_PREFIX, SIG_UNTRUSTED_COMMENT_MAX,
				       comment);
	if (err == SIG_OK)
		err = sig_public_key_parse_base64(lines[1].text, lines[1].len, key_out);
	return err;
}

void sig_public_key_base64(const struct sig_public_key *key, char b64_out[57])
{
	struct sig_pubkey_raw raw;
	memcpy(raw.sig_alg, "Ed", 2);
	memcpy(raw.key_id, key->key_id, sizeof(raw.key_id));
	memcpy(raw.key, key->key, sizeof(raw.key));
	sig_base64_encode((const uint8_t *)&raw, sizeof(raw), b64_out);
}

enum sig_error sig_public_key_serialize(const struct sig_public_key *key, char **text_out)
{
	char hex[17];
	char b64[57];
	*text_out = NULL;
	sig_key_id_hex(key->key_id, hex);
	sig_public_key_base64(key, b64);
	size_t size = sizeof(PUBLIC_PREFIX) + 64 + sizeof(b64) + 2;
	char *text = malloc(size);
	if (!text)
		return SIG_ERR_NOMEM;
	snprintf(text, size, PUBLIC_PREFIX "minisign public key %s\n%s\n", hex, b64);
	*text_out = text;
	return SIG_OK;
}

static enum sig_error secret_key_alloc(struct sig_secret_key **key_out)
{
	if (sodium_init() < 0)
		return SIG_ERR_NOMEM;
	*key_out = sodium_malloc(sizeof(**key_out));
	if (!*key_out)
		return SIG_ERR_NOMEM;
	sodium_memzero(*key_out, sizeof(**key_out));
	return SIG_OK;
}

/* BLAKE2b-256 of "Ed" ‖ key id ‖ secret key, as minisign computes it. */
static void secret_checksum(const struct sig_seckey_raw *raw, uint8_t out[crypto_generichash_BYTES])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, crypto_generichash_BYTES);
	crypto_generichash_update(&st, raw->sig_alg, sizeof(raw->sig_alg));
	crypto_generichash_update(&st, raw->enc.key_id, sizeof(raw->enc.key_id));
	crypto_generichash_update(&st, raw->enc.secret, sizeof(raw->enc.secret));
	crypto_generichash_final(&st, out, crypto_generichash_BYTES);
	sodium_memzero(&st, sizeof(st));
}

/* An unencrypted key in minisign's layout: KDF, salt, limits and checksum all zero. */
static void secret_key_fill(struct sig_secret_key *key, const uint8_t key_id[SIG_KEY_ID_BYTES])
{
	memcpy(key->raw.sig_alg, "Ed", 2);
	memcpy(key->raw.chk_alg, CHECKSUM_BLAKE2B, 2);
	memcpy(key->raw.enc.key_id, key_id, sizeof(key->raw.enc.key_id));
	key->locked = false;
}

enum sig_error sig_secret_key_from_seed(const uint8_t seed[32],
					const uint8_t key_id[SIG_KEY_ID_BYTES],
					struct sig_secret_key **key_out)
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
	enum sig_error err = secret_key_alloc(key_out);
	if (err != SIG_OK)
		return err;
	secret_key_fill(*key_out, key_id);
	crypto_sign_seed_keypair(pk, (*key_out)->raw.enc.secret, seed);
	return SIG_OK;
}

enum sig_error sig_secret_key_generate(struct sig_secret_key **key_out)
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t key_id[SIG_KEY_ID_BYTES];
	enum sig_error err = secret_key_alloc(key_out);
	if (err != SIG_OK)
		return err;
	randombytes_buf(key_id, sizeof(key_id));
	secret_key_fill(*key_out, key_id);
	crypto_sign_keypair(pk, (*key_out)->raw.enc.secret);
	return SIG_OK;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	return sodium_is_zero(p, len) == 1;
}

static enum sig_error secret_key_check_header(const struct sig_seckey_raw *raw)
{
	if (memcmp(raw->sig_alg, "Ed", 2) != 0)
		return SIG_ERR_ALGORITHM;
	if (memcmp(raw->chk_alg, CHECKSUM_BLAKE2B, 2) != 0)
		return SIG_ERR_KDF;
	if (all_zero(raw->kdf_alg, sizeof(raw->kdf_alg)))
		return SIG_OK;
	if (memcmp(raw->kdf_alg, KDF_SCRYPT, 2) != 0)
		return SIG_ERR_KDF;
	uint64_t ops = le64_load(raw->kdf_opslimit);
	uint64_t mem = le64_load(raw->kdf_memlimit);
	/* Refuse limits that would make a hostile key file eat the machine. */
	if (ops < crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN || ops > OPSLIMIT_MAX ||
	    mem < crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN || mem > MEMLIMIT_MAX)
		return SIG_ERR_KDF_LIMITS;
	return SIG_OK;
}

/* minisign never writes the checksum of an unencrypted key (it is zero); check it if set. */
static enum sig_error secret_key_check_sum(const struct sig_seckey_raw *raw, bool encrypted)
{
	uint8_t sum[sizeof(raw->enc.checksum)];
	if (!encrypted && all_zero(raw->enc.checksum, sizeof(raw->enc.checksum)))
		return SIG_OK;
	secret_checksum(raw, sum);
	bool ok = sodium_memcmp(sum, raw->enc.checksum, sizeof(sum)) == 0;
	sodium_memzero(sum, sizeof(sum));
	return ok ? SIG_OK : SIG_ERR_KEY_CHECKSUM;
}

/* The secret key is seed ‖ public key: the public half must be the seed's, or heart would
 * sign with one key and name another. */
static enum sig_error secret_key_check_public(const struct sig_seckey_raw *raw)
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	if (!sk)
		return SIG_ERR_NOMEM;
	crypto_sign_seed_keypair(pk, sk, raw->enc.secret);
	bool const ok = sodium_memcmp(pk, raw->enc.secret + crypto_sign_SEEDBYTES, sizeof(pk)) == 0;
	sodium_free(sk);
	return ok ? SIG_OK : SIG_ERR_KEY_MISMATCH;
}

enum sig_error sig_secret_key_parse(const char *text, size_t len, struct sig_secret_key **key_out)
{
	struct sig_line lines[2];
	char *comment = NULL;
	struct sig_secret_key *key = NULL;
	enum sig_error err;

	*key_out = NULL;
	err = sig_lines_split(text, len, lines, 2,
			      sizeof(PUBLIC_PREFIX) + SIG_UNTRUSTED_COMMENT_MAX);
	if (err != SIG_OK)
		goto out;
	err = SIG_ERR_NOMEM;
	comment = malloc(SIG_UNTRUSTED_COMMENT_MAX + 1);
	if (!comment)
		goto out;
	err = sig_comment_take(&lines[0], PUBLIC_PREFIX, SIG_UNTRUSTED_COMMENT_MAX, comment);
	if (err == SIG_OK)
		err = secret_key_alloc(&key);
	if (err == SIG_OK)
		err = sig_base64_decode(lines[1].text, lines[1].len, (uint8_t *)&key->raw,
					sizeof(key->raw));
	if (err == SIG_OK)
		err = secret_key_check_header(&key->raw);
	if (err != SIG_OK)
		goto out;
	key->locked = sig_secret_key_is_encrypted(key);
	if (!key->locked)
		err = secret_key_check_sum(&key->raw, false);
	if (err == SIG_OK && !key->locked)
		err = secret_key_check_public(&key->raw);
out:
	free(comment);
	if (err == SIG_OK)
		*key_out = key;
	else
		sig_secret_key_destroy(key);
	return err;
}

bool sig_secret_key_is_encrypted(const struct sig_secret_key *key)
{
	return !all_zero(key->raw.kdf_alg, sizeof(key->raw.kdf_alg));
}

/* XOR raw.enc with scrypt(password, salt): encrypts and decrypts alike. */
static enum sig_error secret_key_xor(struct sig_secret_key *key, const char *password, size_t len)
{
	struct sig_seckey_raw *const raw = &key->raw;
	uint8_t *const enc = (uint8_t *)&raw->enc;
	uint8_t *stream = sodium_malloc(sizeof(raw->enc));
	if (!stream)
		return SIG_ERR_NOMEM;
	enum sig_error err = SIG_OK;
	if (crypto_pwhash_scryptsalsa208sha256(stream, sizeof(raw->enc), password, len,
					       raw->kdf_salt, le64_load(raw->kdf_opslimit),
					       (size_t)le64_load(raw->kdf_memlimit)) != 0) {
		err = SIG_ERR_NOMEM; /* scrypt fails only when it cannot get its memory */
	} else {
		for (size_t i = 0; i < sizeof(raw->enc); i++)
			enc[i] ^= stream[i];
	}
	sodium_free(stream);
	return err;
}

enum sig_error sig_secret_key_unlock(struct sig_secret_key *key, const char *password, size_t len)
{
	struct sig_secret_key *copy = NULL;
	if (!key->locked)
		return SIG_OK;
	/* Decrypt a copy, so a wrong password leaves the key as the file had it. */
	enum sig_error err = secret_key_alloc(&copy);
	if (err != SIG_OK)
		return err;
	memcpy(&copy->raw, &key->raw, sizeof(key->raw));
	err = secret_key_xor(copy, password, len);
	if (err == SIG_OK)
		err = secret_key_check_sum(&copy->raw, true);
	if (err == SIG_OK)
		err = secret_key_check_public(&copy->raw);
	if (err == SIG_OK) {
		memcpy(&key->raw, &copy->raw, sizeof(key->raw));
		key->locked = false;
	}
	sig_secret_key_destroy(copy);
	return err;
}

void sig_secret_key_public(const struct sig_secret_key *key, struct sig_public_key *pub_out)
{
	memcpy(pub_out->key_id, key->raw.enc.key_id, sizeof(pub_out->key_id));
	/* libsodium lays the secret key out as seed ‖ public key. */
	memcpy(pub_out->key, key->raw.enc.secret + crypto_sign_SEEDBYTES, sizeof(pub_out->key));
}

/* A copy of an unlocked key with the file's header set for password (or none). */
static enum sig_error secret_key_prepare(const struct sig_secret_key *key, bool encrypt,
					 unsigned long long opslimit, size_t memlimit,
					 struct sig_secret_key **copy_out)
{
	struct sig_secret_key *copy;
	enum sig_error err = secret_key_alloc(&copy);
	if (err != SIG_OK)
		return err;
	struct sig_seckey_raw *const raw = &copy->raw;
	memcpy(raw, &key->raw, sizeof(*raw));
	sodium_memzero(raw->kdf_alg, sizeof(raw->kdf_alg));
	memcpy(raw->chk_alg, CHECKSUM_BLAKE2B, 2);
	sodium_memzero(raw->kdf_salt, sizeof(raw->kdf_salt));
	sodium_memzero(raw->kdf_opslimit, sizeof(raw->kdf_opslimit));
	sodium_memzero(raw->kdf_memlimit, sizeof(raw->kdf_memlimit));
	sodium_memzero(raw->enc.checksum, sizeof(raw->enc.checksum));
	if (encrypt) {
		memcpy(raw->kdf_alg, KDF_SCRYPT, 2);
		randombytes_buf(raw->kdf_salt, sizeof(raw->kdf_salt));
		le64_store(raw->kdf_opslimit, opslimit);
		le64_store(raw->kdf_memlimit, memlimit);
		secret_checksum(raw, raw->enc.checksum);
	}
	*copy_out = copy;
	return SIG_OK;
}

enum sig_error sig_secret_key_serialize(const struct sig_secret_key *key, const char *password,
					size_t len, unsigned long long opslimit, size_t memlimit,
					char **text_out)
{
	static const char head[] = PUBLIC_PREFIX "minisign encrypted secret key\n";
	struct sig_secret_key *copy = NULL;
	char *text = NULL;
	enum sig_error err;

	*text_out = NULL;
	if (key->locked)
		return SIG_ERR_PASSWORD;
	err = secret_key_prepare(key, password != NULL, opslimit, memlimit, &copy);
	if (err == SIG_OK && password)
		err = secret_key_xor(copy, password, len);
	if (err != SIG_OK)
		goto out;
	err = SIG_ERR_NOMEM;
	size_t size = sizeof(head) + sig_base64_len(sizeof(copy->raw)) + 2;
	text = sodium_malloc(size);
	if (!text)
		goto out;
	memcpy(text, head, sizeof(head) - 1);
	sig_base64_encode((const uint8_t *)&copy->raw, sizeof(copy->raw), text + sizeof(head) - 1);
	strcat(text, "\n");
	*text_out = text;
	err = SIG_OK;
out:
	sig_secret_key_destroy(copy);
	return err;
}

void sig_secret_key_destroy(struct sig_secret_key *key)
{
	sodium_free(key); /* wipes; accepts NULL */
}

void sig_secret_free(void *secret)
{
	sodium_free(secret);
}

const uint8_t *sig_secret_key_raw(const struct sig_secret_key *key)
{
	return key->locked ? NULL : key->raw.enc.secret;
}
