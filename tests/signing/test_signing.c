/* Unit tests of the signing module. The known answers come from Python's `cryptography` and
 * hashlib, and were checked with minisign 0.11 (which produces the same signature file). */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <zstd.h>

#include "signing.h"
#include "signing_internal.h"

static const char kat_message[] = "heart known answer\n";
static const char kat_public[] = "RWQBAgMEBQYHCAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4";
static const char kat_trusted[] = "timestamp:0\tfile:kat\thashed";
static const char kat_digest_hex[] =
	"aec92285f2e1e777c2d99fe8b281d14f945ae942b24ea18fa7f4a7316d47c2ab"
	"fd38f73e5f1e231514bac16f472c66eb556d84d4976116a1072bce9f25975847";
static const char kat_sigfile[] =
	"untrusted comment: signature from heart secret key\n"
	"RUQBAgMEBQYHCKlUjkg+h+"
	"bpQg8nw3v9tEL69OS2JmkZENcixwG1qd1crdUbvbjOVEcJexe7jrlcGqdWHAjtwr76kTkJ"
	"kZhQTQA=\n"
	"trusted comment: timestamp:0\tfile:kat\thashed\n"
	"MxRRDLp90J89J0QhiHC2urLVVBk+IcMzui9WK0RuEaytXV/eBGyUEaAj/s+k7XwxAHnjZ7d7kPkEBRt/"
	"Y23nCg==\n";
/* The same key as an unencrypted minisign secret key (KDF, salt, limits, checksum zero). */
static const char kat_secret[] = "untrusted comment: minisign encrypted secret key\n"
				 "RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
				 "AAAAAAAAQIDBAUGBwgAAQIDBAUGBwgJ"
				 "CgsMDQ4PEBESExQVFhcYGRobHB0eHwOhB7/"
				 "zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4AAAAAAAAAAAAAAAAAAAAAAAA"
				 "AAAAAAAAAAAAAAAAAAA=\n";

static void kat_seed(uint8_t seed[32], uint8_t key_id[8])
{
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
	for (int i = 0; i < 8; i++)
		key_id[i] = (uint8_t)(i + 1);
}

static void digest_of(const char *msg, size_t len, uint8_t digest[SIG_DIGEST_BYTES])
{
	struct sig_hasher *h;
	assert_int_equal(sig_hasher_create(&h), SIG_OK);
	sig_hasher_update(h, msg, len);
	sig_hasher_final(h, digest);
	sig_hasher_destroy(h);
}

static void test_kat_digest(void **state)
{
	uint8_t digest[SIG_DIGEST_BYTES];
	char hex[2 * SIG_DIGEST_BYTES + 1];
	digest_of(kat_message, strlen(kat_message), digest);
	for (int i = 0; i < SIG_DIGEST_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	assert_string_equal(hex, kat_digest_hex);
}

static void test_kat_sign(void **state)
{
	uint8_t seed[32], key_id[8], digest[SIG_DIGEST_BYTES];
	struct sig_secret_key *key;
	struct sig_public_key pub;
	struct sig_signature sig;
	char b64[57], hex[17];
	char *text;

	kat_seed(seed, key_id);
	assert_int_equal(sig_secret_key_from_seed(seed, key_id, &key), SIG_OK);
	sig_secret_key_public(key, &pub);
	sig_public_key_base64(&pub, b64);
	assert_string_equal(b64, kat_public);
	sig_key_id_hex(pub.key_id, hex);
	assert_string_equal(hex, "0807060504030201");

	digest_of(kat_message, strlen(kat_message), digest);
	assert_int_equal(
		sig_sign_digest(key, digest, "signature from heart secret key", kat_trusted, &sig),
		SIG_OK);
	assert_int_equal(sig_signature_serialize(&sig, &text), SIG_OK);
	assert_string_equal(text, kat_sigfile);
	free(text);

	assert_int_equal(sig_secret_key_serialize(key, NULL, 0, 0, 0, &text), SIG_OK);
	assert_string_equal(text, kat_secret);
	sig_secret_free(text);
	sig_secret_key_destroy(key);
}

static void test_kat_secret_key_parse(void **state)
{
	struct sig_secret_key *key;
	struct sig_public_key pub;
	char b64[57];
	assert_int_equal(sig_secret_key_parse(kat_secret, strlen(kat_secret), &key), SIG_OK);
	assert_false(sig_secret_key_is_encrypted(key));
	sig_secret_key_public(key, &pub);
	sig_public_key_base64(&pub, b64);
	assert_string_equal(b64, kat_public);
	sig_secret_key_destroy(key);
}

static void kat_parse(struct sig_public_key *pub, struct sig_signature *sig)
{
	assert_int_equal(sig_public_key_parse_base64(kat_public, strlen(kat_public), pub), SIG_OK);
	assert_int_equal(sig_signature_parse(kat_sigfile, strlen(kat_sigfile), sig), SIG_OK);
}

static void test_kat_verify_and_tamper(void **state)
{
	struct sig_public_key pub;
	struct sig_signature sig, bad;
	uint8_t digest[SIG_DIGEST_BYTES];

	kat_parse(&pub, &sig);
	assert_false(sig.legacy);
	assert_string_equal(sig.trusted_comment, kat_trusted);
	digest_of(kat_message, strlen(kat_message), digest);
	assert_int_equal(sig_verify(&pub, &sig, digest, NULL, 0, false), SIG_OK);

	digest_of("heart known answer!", 19, digest);
	assert_int_equal(sig_verify(&pub, &sig, digest, NULL, 0, false), SIG_ERR_SIGNATURE);
	digest_of(kat_message, strlen(kat_message), digest);

	bad = sig;
	bad.trusted_comment[10] = '1';
	assert_int_equal(sig_verify(&pub, &bad, digest, NULL, 0, false), SIG_ERR_GLOBAL_SIGNATURE);
	bad = sig;
	bad.signature[0] ^= 1;
	assert_int_equal(sig_verify(&pub, &bad, digest, NULL, 0, false), SIG_ERR_GLOBAL_SIGNATURE);
	bad = sig;
	bad.global_signature[63] ^= 0x40;
	assert_int_equal(sig_verify(&pub, &bad, digest, NULL, 0, false), SIG_ERR_GLOBAL_SIGNATURE);
	bad = sig;
	bad.key_id[0] ^= 1;
	assert_int_equal(sig_verify(&pub, &bad, digest, NULL, 0, false), SIG_ERR_KEY_ID);
	bad = sig;
	bad.legacy = true;
	assert_int_equal(sig_verify(&pub, &bad, digest, NULL, 0, false), SIG_ERR_LEGACY);
	assert_int_equal(sig_verify(&pub, &bad, NULL, (const uint8_t *)kat_message,
				    strlen(kat_message), true),
			 SIG_ERR_SIGNATURE);
	struct sig_public_key other = pub;
	other.key[5] ^= 1;
	assert_int_equal(sig_verify(&other, &sig, digest, NULL, 0, false),
			 SIG_ERR_GLOBAL_SIGNATURE);
}

static void test_base64_strict(void **state)
{
	uint8_t out[4];
	assert_int_equal(sig_base64_decode("AQID", 4, out, 3), SIG_OK);
	assert_memory_equal(out, "\1\2\3", 3);
	assert_int_equal(sig_base64_decode("AQI=", 4, out, 2), SIG_OK);
	assert_int_equal(sig_base64_decode("AQ==", 4, out, 1), SIG_OK);
	assert_int_equal(out[0], 1);
	/* Non-canonical: unused bits set. */
	assert_int_equal(sig_base64_decode("AQJ=", 4, out, 2), SIG_ERR_BASE64);
	assert_int_equal(sig_base64_decode("AR==", 4, out, 1), SIG_ERR_BASE64);
	/* Wrong lengths, missing or extra padding, wrong alphabet, whitespace. */
	assert_int_equal(sig_base64_decode("AQI", 3, out, 2), SIG_ERR_BASE64);
	assert_int_equal(sig_base64_decode("AQIDAQ==", 8, out, 3), SIG_ERR_BASE64);
	assert_int_equal(sig_base64_decode("AQ=A", 4, out, 2), SIG_ERR_BASE64);
	assert_int_equal(sig_base64_decode("AQ==", 4, out, 2), SIG_ERR_BASE64);
	assert_int_equal(sig_base64_decode("AQI=", 4, out, 3), SIG_ERR_BASE64);
	assert_int_equal(sig_base64_decode("AQ-_", 4, out, 3), SIG_ERR_BASE64);
	assert_int_equal(sig_base64_decode("AQ I", 4, out, 3), SIG_ERR_BASE64);
	assert_int_equal(sig_base64_decode("AQ\0I", 4, out, 3), SIG_ERR_BASE64);

	char enc[9];
	sig_base64_encode((const uint8_t *)"\1\2\3\4", 4, enc);
	assert_string_equal(enc, "AQIDBA==");
}

static void test_lines(void **state)
{
	struct sig_line l[2];
	assert_int_equal(sig_lines_split("ab\ncd\n", 6, l, 2, 10), SIG_OK);
	assert_int_equal(l[1].len, 2);
	assert_int_equal(sig_lines_split("ab\r\ncd\r\n", 8, l, 2, 10), SIG_OK);
	assert_int_equal(l[0].len, 2);
	assert_int_equal(l[1].len, 2);
	assert_int_equal(sig_lines_split("ab\ncd", 5, l, 2, 10), SIG_OK); /* no final newline */
	assert_int_equal(sig_lines_split("a\rb\ncd\n", 7, l, 2, 10), SIG_ERR_CARRIAGE_RETURN);
	assert_int_equal(sig_lines_split("ab\r\r\ncd\n", 8, l, 2, 10), SIG_ERR_CARRIAGE_RETURN);
	assert_int_equal(sig_lines_split("ab\ncd\r", 6, l, 2, 10), SIG_ERR_CARRIAGE_RETURN);
	assert_int_equal(sig_lines_split("ab\rcd\n", 6, l, 2, 10), SIG_ERR_CARRIAGE_RETURN);
	assert_int_equal(sig_lines_split("ab\ncd\n\n", 7, l, 2, 10), SIG_ERR_LINES);
	assert_int_equal(sig_lines_split("ab\ncd\nx", 7, l, 2, 10), SIG_ERR_LINES);
	assert_int_equal(sig_lines_split("ab\n", 3, l, 2, 10), SIG_ERR_LINES);
	assert_int_equal(sig_lines_split("abcdefghijk\ncd\n", 15, l, 2, 10), SIG_ERR_TOO_LONG);
	assert_int_equal(sig_lines_split("abcdefghij\ncd\n", 14, l, 2, 10), SIG_OK);
}

/* kat_sigfile with the first occurrence of from replaced by to. */
static enum sig_error parse_edited(const char *from, const char *to)
{
	static char buf[32768];
	struct sig_signature sig;
	const char *at = strstr(kat_sigfile, from);
	assert_non_null(at);
	size_t head = (size_t)(at - kat_sigfile);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)head, kat_sigfile, to, at + strlen(from));
	return sig_signature_parse(buf, strlen(buf), &sig);
}

static void test_signature_malformed(void **state)
{
	char long_comment[SIG_TRUSTED_COMMENT_MAX + 40];
	assert_int_equal(parse_edited("untrusted comment: ", "untrusted comment:"), SIG_ERR_PREFIX);
	assert_int_equal(parse_edited("trusted comment: t", "Trusted comment: t"), SIG_ERR_PREFIX);
	assert_int_equal(parse_edited("RUQB", "RUQ"), SIG_ERR_BASE64);
	assert_int_equal(parse_edited("RUQB", "RUQB "), SIG_ERR_BASE64);
	assert_int_equal(parse_edited("RUQB", "RXQB"), SIG_ERR_ALGORITHM);
	assert_int_equal(parse_edited("TQA=", "TQB="), SIG_ERR_BASE64);
	assert_int_equal(parse_edited("Cg==\n", "Cg==\nextra\n"), SIG_ERR_LINES);
	assert_int_equal(parse_edited("Cg==\n", "Cg==\n\n"), SIG_ERR_LINES);
	assert_int_equal(parse_edited("Cg==\n", "Cg"), SIG_ERR_BASE64);
	assert_int_equal(parse_edited("\nMxRR", "\n"), SIG_ERR_BASE64);
	assert_int_equal(parse_edited("file:kat", "file:\x1b[2Jkat"), SIG_ERR_COMMENT_CONTROL);
	assert_int_equal(parse_edited("from heart", "from\x7fheart"), SIG_ERR_COMMENT_CONTROL);
	assert_int_equal(parse_edited("file:kat", "file:\rkat"), SIG_ERR_CARRIAGE_RETURN);
	assert_int_equal(parse_edited("hashed\n", "hashed\r\n"), SIG_OK);
	assert_int_equal(sig_signature_parse(kat_sigfile, 40, &(struct sig_signature){0}),
			 SIG_ERR_LINES);
	memset(long_comment, 'a', sizeof(long_comment) - 1);
	long_comment[sizeof(long_comment) - 1] = '\0';
	assert_int_equal(parse_edited("timestamp:0", long_comment), SIG_ERR_TOO_LONG);
	/* A trusted comment of exactly the limit parses; one byte more is an overlong line. */
	long_comment[SIG_TRUSTED_COMMENT_MAX - strlen(kat_trusted) + 11] = '\0';
	assert_int_equal(parse_edited("timestamp:0", long_comment), SIG_OK);
	strcat(long_comment, "a");
	assert_int_equal(parse_edited("timestamp:0", long_comment), SIG_ERR_TOO_LONG);
	/* The untrusted comment's limit is smaller than the line limit. */
	long_comment[SIG_UNTRUSTED_COMMENT_MAX + 1] = '\0';
	assert_int_equal(parse_edited("signature from heart secret key", long_comment),
			 SIG_ERR_COMMENT_TOO_LONG);
}

static void test_comment_checks(void **state)
{
	char big[SIG_UNTRUSTED_COMMENT_MAX + 2];
	assert_int_equal(sig_comment_check("a\tb", true), SIG_OK);
	assert_int_equal(sig_comment_check("a\nb", true), SIG_ERR_COMMENT_CONTROL);
	assert_int_equal(sig_comment_check("a\x1b", false), SIG_ERR_COMMENT_CONTROL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(sig_comment_check(big, false), SIG_ERR_COMMENT_TOO_LONG);
	assert_int_equal(sig_comment_check(big, true), SIG_OK);
	big[SIG_UNTRUSTED_COMMENT_MAX] = '\0';
	assert_int_equal(sig_comment_check(big, false), SIG_OK);
	/* minisign 0.11's limits: 1003 and 8173 bytes. */
	assert_int_equal(SIG_UNTRUSTED_COMMENT_MAX, 1003);
	assert_int_equal(SIG_TRUSTED_COMMENT_MAX, 8173);
	/* UTF-8 only, and no C1 control either. */
	assert_int_equal(sig_comment_check("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\x93", true),
			 SIG_OK);
	const char *bad_utf8[] = {"\xe9",     "\xff",         "a\xc3",
				  "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
				  "\x85",     "\xe2\x82"};
	for (size_t i = 0; i < sizeof(bad_utf8) / sizeof(bad_utf8[0]); i++)
		assert_int_equal(sig_comment_check(bad_utf8[i], true), SIG_ERR_COMMENT_UTF8);
	assert_int_equal(sig_comment_check("a\xc2\x85", true), SIG_ERR_COMMENT_CONTROL);
	assert_int_equal(sig_comment_check("\xc2\x9b[2J", false), SIG_ERR_COMMENT_CONTROL);
	assert_int_equal(sig_comment_check("\xc2\xa0", false), SIG_OK);
}

static void test_default_trusted_comment(void **state)
{
	char *c;
	assert_int_equal(sig_default_trusted_comment("dir/heart.zst", "1763805600", &c), SIG_OK);
	assert_string_equal(c, "timestamp:1763805600\tfile:heart.zst\thashed");
	free(c);
	const char *bad[] = {"", "-1", "12e3", " 1", "1 ", "0x10", "9999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(sig_default_trusted_comment("f", bad[i], &c), SIG_ERR_TIMESTAMP);
		assert_null(c);
	}
	/* A name never adds fields (issue 19): tabs and control bytes are refused. */
	const char *bad_names[] = {"notes.txt\tproduct:heart\tversion:99.0.0\tarch:x86_64",
				   "d/a\tb",
				   "a\nb",
				   "\x1b[2J",
				   "a\x7f",
				   "a\xc2\x85",
				   "a\xff"};
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(*bad_names); i++) {
		assert_int_equal(sig_default_trusted_comment(bad_names[i], "1", &c),
				 SIG_ERR_FILE_NAME);
		assert_null(c);
		struct sig_comment_fields const none = {0};
		assert_int_equal(sig_structured_trusted_comment(bad_names[i], "1", &none, &c),
				 SIG_ERR_FILE_NAME);
		assert_null(c);
	}
	assert_int_equal(sig_default_trusted_comment("a\tb/ok \xc3\xa9", "1", &c), SIG_OK);
	assert_string_equal(c, "timestamp:1\tfile:ok \xc3\xa9\thashed");
	free(c);
}

static void test_public_key_parse(void **state)
{
	struct sig_public_key pub;
	const char good[] = "untrusted comment: minisign public key 0807060504030201\n"
			    "RWQBAgMEBQYHCAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4\n";
	char *text;
	assert_int_equal(sig_public_key_parse(good, strlen(good), &pub), SIG_OK);
	assert_int_equal(sig_public_key_serialize(&pub, &text), SIG_OK);
	assert_string_equal(text, good);
	free(text);
	assert_int_equal(sig_public_key_parse(good, strlen(good) - 2, &pub), SIG_ERR_BASE64);
	assert_int_equal(sig_public_key_parse(good + 1, strlen(good) - 1, &pub), SIG_ERR_PREFIX);
	assert_int_equal(sig_public_key_parse_base64("RUQB", 4, &pub), SIG_ERR_BASE64);
	/* "Ec" instead of "Ed": a key of another kind. */
	assert_int_equal(
		sig_public_key_parse_base64(
			"RWMBAgMEBQYHCAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4", 56, &pub),
		SIG_ERR_ALGORITHM);
}

/* Encrypted keys at libsodium's smallest scrypt limits: the format, not the cost. */
static void test_secret_key_encrypted_round_trip(void **state)
{
	struct sig_secret_key *key, *back;
	struct sig_public_key pub, pub2;
	char *text;
	assert_int_equal(sig_secret_key_generate(&key), SIG_OK);
	sig_secret_key_public(key, &pub);
	assert_int_equal(sig_secret_key_serialize(key, "pw", 2, 32768, 16777216, &text), SIG_OK);
	assert_int_equal(sig_secret_key_parse(text, strlen(text), &back), SIG_OK);
	assert_true(sig_secret_key_is_encrypted(back));
	uint8_t digest[SIG_DIGEST_BYTES] = {0};
	struct sig_signature sig;
	assert_int_equal(sig_sign_digest(back, digest, "u", "t", &sig), SIG_ERR_PASSWORD);
	assert_int_equal(sig_secret_key_unlock(back, "pW", 2), SIG_ERR_KEY_CHECKSUM);
	assert_int_equal(sig_secret_key_unlock(back, "pw", 2), SIG_OK);
	sig_secret_key_public(back, &pub2);
	assert_memory_equal(&pub, &pub2, sizeof(pub));
	assert_int_equal(sig_sign_digest(back, digest, "u", "t", &sig), SIG_OK);
	assert_int_equal(sig_verify(&pub, &sig, digest, NULL, 0, false), SIG_OK);

	/* A flipped bit in the encrypted part fails the checksum. */
	struct sig_seckey_raw raw;
	char *const b64 = strchr(text, '\n') + 1;
	size_t const b64_len = sig_base64_len(sizeof(raw));
	assert_int_equal(sig_base64_decode(b64, b64_len, (uint8_t *)&raw, sizeof(raw)), SIG_OK);
	raw.enc.secret[12] ^= 1;
	sig_base64_encode((const uint8_t *)&raw, sizeof(raw), b64);
	b64[b64_len] = '\n'; /* where the encoder put its NUL */
	sig_secret_key_destroy(back);
	assert_int_equal(sig_secret_key_parse(text, strlen(text), &back), SIG_OK);
	assert_int_equal(sig_secret_key_unlock(back, "pw", 2), SIG_ERR_KEY_CHECKSUM);
	sig_secret_key_destroy(back);
	sig_secret_free(text);
	sig_secret_key_destroy(key);
}

static void test_secret_key_malformed(void **state)
{
	struct sig_secret_key *key;
	char buf[512];
	const char *b64 = strchr(kat_secret, '\n') + 1;
	struct sig_seckey_raw raw;
	char enc[256];
	assert_true(sig_base64_len(sizeof(raw)) < sizeof(enc));
	assert_int_equal(
		sig_base64_decode(b64, sig_base64_len(sizeof(raw)), (uint8_t *)&raw, sizeof(raw)),
		SIG_OK);
	/* Unknown KDF "XX". */
	memcpy(raw.kdf_alg, "XX", 2);
	sig_base64_encode((const uint8_t *)&raw, sizeof(raw), enc);
	snprintf(buf, sizeof(buf), "untrusted comment: x\n%s\n", enc);
	assert_int_equal(sig_secret_key_parse(buf, strlen(buf), &key), SIG_ERR_KDF);
	assert_null(key);
	/* scrypt with absurd limits: "Sc", opslimit 2^62 and memlimit 2^24 (little-endian). */
	memcpy(raw.kdf_alg, "Sc", 2);
	memset(raw.kdf_opslimit, 0, sizeof(raw.kdf_opslimit));
	memset(raw.kdf_memlimit, 0, sizeof(raw.kdf_memlimit));
	raw.kdf_opslimit[7] = 0x40;
	raw.kdf_memlimit[3] = 1;
	sig_base64_encode((const uint8_t *)&raw, sizeof(raw), enc);
	snprintf(buf, sizeof(buf), "untrusted comment: x\n%s\n", enc);
	assert_int_equal(sig_secret_key_parse(buf, strlen(buf), &key), SIG_ERR_KDF_LIMITS);
	/* minisign's own limits are the most heart accepts: one more is refused. */
	const uint64_t limits[][2] = {{SIG_SCRYPT_OPSLIMIT, SIG_SCRYPT_MEMLIMIT},
				      {SIG_SCRYPT_OPSLIMIT + 1, SIG_SCRYPT_MEMLIMIT},
				      {SIG_SCRYPT_OPSLIMIT, SIG_SCRYPT_MEMLIMIT + 1},
				      {SIG_SCRYPT_OPSLIMIT, 4ULL << 30}};
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		for (int b = 0; b < 8; b++) {
			raw.kdf_opslimit[b] = (uint8_t)(limits[i][0] >> (8 * b));
			raw.kdf_memlimit[b] = (uint8_t)(limits[i][1] >> (8 * b));
		}
		sig_base64_encode((const uint8_t *)&raw, sizeof(raw), enc);
		snprintf(buf, sizeof(buf), "untrusted comment: x\n%s\n", enc);
		assert_int_equal(sig_secret_key_parse(buf, strlen(buf), &key),
				 i == 0 ? SIG_OK : SIG_ERR_KDF_LIMITS);
		sig_secret_key_destroy(key);
	}
	/* An unencrypted key whose public half is not its seed's. */
	memcpy(raw.kdf_alg, "\0\0", 2);
	memset(raw.kdf_opslimit, 0, sizeof(raw.kdf_opslimit));
	memset(raw.kdf_memlimit, 0, sizeof(raw.kdf_memlimit));
	raw.enc.secret[40] ^= 1;
	sig_base64_encode((const uint8_t *)&raw, sizeof(raw), enc);
	snprintf(buf, sizeof(buf), "untrusted comment: x\n%s\n", enc);
	assert_int_equal(sig_secret_key_parse(buf, strlen(buf), &key), SIG_ERR_KEY_MISMATCH);
	assert_null(key);
	raw.enc.secret[40] ^= 1;
	/* Unencrypted with a wrong (non-zero) checksum. */
	memcpy(raw.kdf_alg, "\0\0", 2);
	raw.enc.checksum[4] = 1;
	sig_base64_encode((const uint8_t *)&raw, sizeof(raw), enc);
	snprintf(buf, sizeof(buf), "untrusted comment: x\n%s\n", enc);
	assert_int_equal(sig_secret_key_parse(buf, strlen(buf), &key), SIG_ERR_KEY_CHECKSUM);
	snprintf(buf, sizeof(buf), "untrusted comment: x\n%s", "RWQA\n");
	assert_int_equal(sig_secret_key_parse(buf, strlen(buf), &key), SIG_ERR_BASE64);
}

/* Keyrings: distinct keys chosen by id; comments and blank lines between keys. */
static void test_keyring(void **state)
{
	struct sig_keyring ring = {0};
	struct sig_public_key kat, other;
	assert_int_equal(sig_public_key_parse_base64(kat_public, strlen(kat_public), &kat), SIG_OK);
	const char text[] = "# release keys\n\nuntrusted comment: old\r\n%s\n# next\n"
			    "untrusted comment: again\n%s";
	char buf[512];
	snprintf(buf, sizeof(buf), text, kat_public, kat_public);
	assert_int_equal(sig_keyring_parse(buf, strlen(buf), &ring), SIG_OK);
	assert_int_equal(ring.n, 1); /* the same key twice counts once */
	assert_ptr_equal(sig_keyring_find(&ring, kat.key_id), &ring.keys[0]);
	other = kat;
	other.key_id[0] ^= 1;
	assert_null(sig_keyring_find(&ring, other.key_id));
	assert_int_equal(sig_keyring_add(&ring, &other), SIG_OK);
	assert_int_equal(ring.n, 2);
	other.key[0] ^= 1; /* same id, another key: refused */
	assert_int_equal(sig_keyring_add(&ring, &other), SIG_ERR_KEYRING_ID);
	for (size_t i = ring.n; i < SIG_KEYRING_MAX; i++) {
		other.key_id[1] = (uint8_t)(0x80 + i);
		assert_int_equal(sig_keyring_add(&ring, &other), SIG_OK);
	}
	other.key_id[2] ^= 1;
	assert_int_equal(sig_keyring_add(&ring, &other), SIG_ERR_KEYRING_FULL);
	const char *bad[] = {"",
			     "# nothing\n",
			     "untrusted comment: x\n",
			     "untrusted comment: x\n\n",
			     "x\n",
			     "untrusted comment: x\rRWQ\n"};
	const enum sig_error want[] = {SIG_ERR_LINES,  SIG_ERR_LINES,  SIG_ERR_LINES,
				       SIG_ERR_BASE64, SIG_ERR_PREFIX, SIG_ERR_CARRIAGE_RETURN};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sig_keyring r2 = {0};
		assert_int_equal(sig_keyring_parse(bad[i], strlen(bad[i]), &r2), want[i]);
	}
}

static int vcmp(const char *a, const char *b)
{
	int c = 99;
	assert_int_equal(sig_version_compare(a, strlen(a), b, strlen(b), &c), SIG_OK);
	return c;
}

/* SemVer 2.0.0 precedence, and what is not a version. */
static void test_versions(void **state)
{
	const char *order[] = {"0.2.9",      "0.3.0-alpha",  "0.3.0-alpha.1", "0.3.0-alpha.beta",
			       "0.3.0-beta", "0.3.0-beta.2", "0.3.0-beta.11", "0.3.0-rc.1",
			       "0.3.0",      "0.3.1",        "0.10.0",        "1.0.0",
			       "10.0.0"};
	size_t const n = sizeof(order) / sizeof(order[0]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			assert_int_equal(vcmp(order[i], order[j]), i < j ? -1 : i > j);
	assert_int_equal(vcmp("1.0.0+build.5", "1.0.0"), 0);
	const char *bad[] = {"",       "1",      "1.2",    "1.2.3.4",   "01.2.3",
			     "1.02.3", "v1.2.3", "1.2.3-", "1.2.3-01",  "1.2.3-a..b",
			     "1.2.3+", "1.2.3 ", "-1.2.3", "1.2.3-a_b", "1234567890123456789.0.0"};
	int c;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sig_version_compare(bad[i], strlen(bad[i]), "1.0.0", 5, &c),
				 SIG_ERR_VERSION);
}

static void test_comment_fields(void **state)
{
	struct sig_comment_fields const f = {"heart", "0.3.0-rc.1", "x86_64"};
	struct sig_release r;
	char *c;
	assert_int_equal(sig_structured_trusted_comment("d/h.zst", "7", &f, &c), SIG_OK);
	assert_string_equal(c, "heart-policy:1\tproduct:heart\tversion:0.3.0-rc.1\tarch:x86_64\t"
			       "timestamp:7\tfile:h.zst\thashed");
	assert_int_equal(sig_comment_check(c, true), SIG_OK);
	assert_true(sig_release_parse(c, &r));
	assert_int_equal(r.version_len, 10);
	assert_memory_equal(r.version, "0.3.0-rc.1", 10);
	assert_int_equal(r.product_len, 5);
	assert_memory_equal(r.product, "heart", 5);
	assert_int_equal(r.arch_len, 6);
	assert_memory_equal(r.file, "h.zst", r.file_len);
	assert_int_equal(r.timestamp, 7);
	free(c);
	struct sig_comment_fields bad = {"he art", NULL, NULL};
	assert_int_equal(sig_structured_trusted_comment("h", "7", &bad, &c), SIG_ERR_FIELD_VALUE);
	bad = (struct sig_comment_fields){NULL, "1.0", NULL};
	assert_int_equal(sig_structured_trusted_comment("h", "7", &bad, &c), SIG_ERR_VERSION);
	bad = (struct sig_comment_fields){NULL, NULL, "a:b"};
	assert_int_equal(sig_structured_trusted_comment("h", "7", &bad, &c), SIG_ERR_FIELD_VALUE);
	bad = (struct sig_comment_fields){NULL, NULL,
					  "12345678901234567890123456789012345678901234567890"
					  "123456789012345"};
	assert_int_equal(sig_structured_trusted_comment("h", "7", &bad, &c), SIG_ERR_FIELD_VALUE);
	bad = (struct sig_comment_fields){0};
	assert_int_equal(sig_structured_trusted_comment("h", "7", &bad, &c), SIG_OK);
	assert_string_equal(c, "heart-policy:1\ttimestamp:7\tfile:h\thashed");
	assert_true(sig_release_parse(c, &r));
	assert_null(r.product);
	assert_null(r.version);
	assert_null(r.arch);
	free(c);
}

/* Issue 19: only the policy form carries policy; everything else, however close, does not. */
static void test_release_parse_strict(void **state)
{
	struct sig_release r;
	const char *good[] = {
		"heart-policy:1\tproduct:heart\tversion:2.0.0\tarch:x86_64\ttimestamp:0\tfile:n\t"
		"hashed",
		"heart-policy:1\tarch:a\ttimestamp:1\tfile:n\thashed",
		"heart-policy:1\tversion:1.0.0+b.1\ttimestamp:1\tfile:a b\thashed",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		assert_true(sig_release_parse(good[i], &r));
	const char *bad[] = {
		/* Default comments, whatever the name: old minisign's without "hashed" too. */
		"timestamp:1\tfile:n\tproduct:heart\tversion:99.0.0\tarch:x86_64\thashed",
		"timestamp:1\tfile:x\thashed\tproduct:heart\tversion:99.0.0\tarch:x86_64",
		"timestamp:1\tfile:x\theart-policy:1\tproduct:heart\ttimestamp:1\tfile:n\thashed",
		"product:heart\tversion:99.0.0\tarch:x86_64",
		"",
		/* The form, broken in each way. */
		"heart-policy:1",
		"heart-policy:1\t",
		"heart-policy:2\ttimestamp:1\tfile:n\thashed",
		"Heart-policy:1\ttimestamp:1\tfile:n\thashed",
		" heart-policy:1\ttimestamp:1\tfile:n\thashed",
		"heart-policy:1\tversion:1.0.0\tproduct:heart\ttimestamp:1\tfile:n\thashed",
		"heart-policy:1\tproduct:heart\tproduct:heart\ttimestamp:1\tfile:n\thashed",
		"heart-policy:1\tarch:a\tarch:b\ttimestamp:1\tfile:n\thashed",
		"heart-policy:1\tproduct:\ttimestamp:1\tfile:n\thashed",
		"heart-policy:1\tproduct:he art\ttimestamp:1\tfile:n\thashed",
		"heart-policy:1\tproduct:a:b\ttimestamp:1\tfile:n\thashed",
		"heart-policy:1\tversion:1.0\ttimestamp:1\tfile:n\thashed",
		"heart-policy:1\ttimestamp:01\tfile:n\thashed",
		"heart-policy:1\ttimestamp:\tfile:n\thashed",
		"heart-policy:1\ttimestamp:-1\tfile:n\thashed",
		"heart-policy:1\ttimestamp:1e3\tfile:n\thashed",
		"heart-policy:1\ttimestamp:1234567890123456789\tfile:n\thashed",
		"heart-policy:1\tfile:n\thashed",
		"heart-policy:1\ttimestamp:1\thashed",
		"heart-policy:1\ttimestamp:1\tfile:\thashed",
		"heart-policy:1\ttimestamp:1\tfile:a/b\thashed",
		"heart-policy:1\ttimestamp:1\tfile:n",
		"heart-policy:1\ttimestamp:1\tfile:n\thashed\t",
		"heart-policy:1\ttimestamp:1\tfile:n\thashed\tproduct:heart",
		"heart-policy:1\ttimestamp:1\tfile:n\thashedx",
		"heart-policy:1\t\ttimestamp:1\tfile:n\thashed",
		"heart-policy:1\tunknown:1\ttimestamp:1\tfile:n\thashed",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		r.file = "x";
		assert_false(sig_release_parse(bad[i], &r));
		assert_null(r.file);
	}
}

static void test_policy_check(void **state)
{
	struct sig_release r;
	assert_true(sig_release_parse("heart-policy:1\tproduct:heart\tversion:1.2.3\tarch:x86_64\t"
				      "timestamp:1000000\tfile:n\thashed",
				      &r));
	struct sig_policy p = {0};
	assert_int_equal(sig_policy_check(&p, NULL), SIG_POLICY_OK);
	assert_int_equal(sig_policy_check(&p, &r), SIG_POLICY_OK);
	p = (struct sig_policy){.product = "heart", .arch = "x86_64", .min_version = "1.2.3"};
	assert_int_equal(sig_policy_check(&p, &r), SIG_POLICY_OK);
	assert_int_equal(sig_policy_check(&p, NULL), SIG_POLICY_NONE);
	p = (struct sig_policy){.product = "hear"};
	assert_int_equal(sig_policy_check(&p, &r), SIG_POLICY_PRODUCT);
	p = (struct sig_policy){.arch = "x86_64 "};
	assert_int_equal(sig_policy_check(&p, &r), SIG_POLICY_ARCH);
	p = (struct sig_policy){.min_version = "1.2.4-rc.1"};
	assert_int_equal(sig_policy_check(&p, &r), SIG_POLICY_OLDER);
	p = (struct sig_policy){.min_version = "1.2"};
	assert_int_equal(sig_policy_check(&p, &r), SIG_POLICY_BAD_MIN);
	p = (struct sig_policy){.max_age = 100, .now = 1000100};
	assert_int_equal(sig_policy_check(&p, &r), SIG_POLICY_OK);
	assert_int_equal(sig_policy_check(&p, NULL), SIG_POLICY_NONE);
	p.now = 1000101;
	assert_int_equal(sig_policy_check(&p, &r), SIG_POLICY_EXPIRED);
	p.now = 1000000 - SIG_POLICY_SKEW;
	assert_int_equal(sig_policy_check(&p, &r), SIG_POLICY_OK);
	p.now--;
	assert_int_equal(sig_policy_check(&p, &r), SIG_POLICY_FUTURE);
	struct sig_release bare;
	assert_true(sig_release_parse("heart-policy:1\ttimestamp:5\tfile:n\thashed", &bare));
	p = (struct sig_policy){.product = "heart"};
	assert_int_equal(sig_policy_check(&p, &bare), SIG_POLICY_NO_PRODUCT);
	p = (struct sig_policy){.arch = "x86_64"};
	assert_int_equal(sig_policy_check(&p, &bare), SIG_POLICY_NO_ARCH);
	p = (struct sig_policy){.min_version = "0.0.0"};
	assert_int_equal(sig_policy_check(&p, &bare), SIG_POLICY_NO_VERSION);
	for (int e = SIG_POLICY_OK; e <= SIG_POLICY_FUTURE; e++)
		assert_string_not_equal(sig_policy_strerror((enum sig_policy_error)e),
					"unknown policy error");
}

static void test_duration(void **state)
{
	long long s;
	const struct {
		const char *text;
		long long seconds;
	} good[] = {{"1s", 1},
		    {"3600s", 3600},
		    {"90m", 5400},
		    {"12h", 43200},
		    {"90d", 7776000},
		    {"2w", 1209600},
		    {"36500d", SIG_MAX_AGE_MAX}};
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		assert_true(sig_duration_parse(good[i].text, &s));
		assert_int_equal(s, good[i].seconds);
	}
	const char *bad[] = {"",
			     "90",
			     "d",
			     "0d",
			     "0",
			     "-1d",
			     "+1d",
			     "1.5d",
			     "90D",
			     " 90d",
			     "90d ",
			     "90dd",
			     "1y",
			     "01d",
			     "36501d",
			     "5215w",
			     "99999999999999999999d",
			     "1e3s"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		s = 1;
		assert_false(sig_duration_parse(bad[i], &s));
		assert_int_equal(s, 0);
	}
}

/* Manifests: sha256sum's two line forms; anything else refuses the whole manifest. */
static void test_manifest(void **state)
{
	struct sig_manifest *m;
	size_t line;
	char const *h = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char text[1024];
	snprintf(text, sizeof(text), "%s  a\n%s *dir/b c\n", h, h);
	assert_int_equal(sig_manifest_parse(text, strlen(text), &m, &line), SIG_OK);
	assert_int_equal(sig_manifest_count(m), 2);
	assert_string_equal(sig_manifest_entry(m, 1)->name, "dir/b c");
	assert_int_equal(sig_manifest_entry(m, 0)->sha256[0], 0x01);
	assert_non_null(sig_manifest_find(m, "a"));
	assert_null(sig_manifest_find(m, "dir"));
	sig_manifest_destroy(m);
	const char *bad[] = {"@  ../a\n",    "@  /a\n",  "@  a/./b\n",   "@  a//b\n",  "@  a/\n",
			     "\\@  a\\nb\n", "@  a\r\n", "@  a\x01\n",   "@  a\xff\n", "@ a\n",
			     "@  \n",        "@  a",     "@  x\n@  x\n", "@  ..\n"};
	const enum sig_error want[] = {
		SIG_ERR_MANIFEST_LINE,      SIG_ERR_MANIFEST_LINE, SIG_ERR_MANIFEST_LINE,
		SIG_ERR_MANIFEST_LINE,      SIG_ERR_MANIFEST_LINE, SIG_ERR_MANIFEST_LINE,
		SIG_ERR_CARRIAGE_RETURN,    SIG_ERR_MANIFEST_LINE, SIG_ERR_MANIFEST_LINE,
		SIG_ERR_MANIFEST_LINE,      SIG_ERR_MANIFEST_LINE, SIG_ERR_LINES,
		SIG_ERR_MANIFEST_DUPLICATE, SIG_ERR_MANIFEST_LINE};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t o = 0;
		for (const char *c = bad[i]; *c; c++) {
			if (*c == '@') {
				memcpy(text + o, h, 64);
				o += 64;
			} else {
				text[o++] = *c;
			}
		}
		text[o] = '\0';
		assert_int_equal(sig_manifest_parse(text, strlen(text), &m, &line), want[i]);
		assert_null(m);
	}
	assert_int_equal(sig_manifest_parse("", 0, &m, &line), SIG_ERR_LINES);
	snprintf(text, sizeof(text), "%.63sG  a\n", h);
	assert_int_equal(sig_manifest_parse(text, strlen(text), &m, &line), SIG_ERR_MANIFEST_LINE);
	assert_int_equal(line, 1);
}

/* A temporary file holding data, positioned at its start. */
static int temp_with(const void *data, size_t len)
{
	char path[] = "/tmp/heart-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static enum sig_error unpack_bytes(const void *zst, size_t len, uint64_t max, uint64_t *n)
{
	int in = temp_with(zst, len);
	int out = temp_with("", 0);
	enum sig_error err = sig_unpack(in, out, max, n);
	close(in);
	close(out);
	return err;
}

static void test_pack_round_trip_and_limits(void **state)
{
	static char data[100000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 % 13);
	int in = temp_with(data, sizeof(data));
	int zst = temp_with("", 0);
	uint8_t digest[SIG_DIGEST_BYTES], digest2[SIG_DIGEST_BYTES];
	assert_int_equal(sig_pack(in, zst, 3, digest), SIG_OK);
	assert_int_equal(lseek(zst, 0, SEEK_SET), 0);
	assert_int_equal(sig_hash_fd(zst, -1, UINT64_MAX, digest2), SIG_OK);
	assert_memory_equal(digest, digest2, sizeof(digest));

	off_t zlen = lseek(zst, 0, SEEK_END);
	char *z = malloc((size_t)zlen + 1);
	assert_int_equal(pread(zst, z, (size_t)zlen, 0), zlen);
	uint64_t n = 0;
	assert_int_equal(unpack_bytes(z, (size_t)zlen, sizeof(data), &n), SIG_OK);
	assert_int_equal(n, sizeof(data));
	assert_int_equal(unpack_bytes(z, (size_t)zlen, sizeof(data) - 1, &n), SIG_ERR_ZSTD_TOO_BIG);
	assert_int_equal(unpack_bytes(z, (size_t)zlen - 3, sizeof(data), &n), SIG_ERR_ZSTD);
	z[zlen] = 0;
	assert_int_equal(unpack_bytes(z, (size_t)zlen + 1, sizeof(data), &n), SIG_ERR_ZSTD);
	z[zlen - 1] ^= 1; /* the checksum */
	assert_int_equal(unpack_bytes(z, (size_t)zlen, sizeof(data), &n), SIG_ERR_ZSTD);
	assert_int_equal(unpack_bytes("not zstd at all!!!", 18, 100, &n), SIG_ERR_ZSTD);
	free(z);
	close(in);
	close(zst);
}

static void test_unpack_needs_size_and_checksum(void **state)
{
	char z[256];
	uint64_t n;
	/* ZSTD_compress() sets the content size but no checksum. */
	size_t len = ZSTD_compress(z, sizeof(z), "hello", 5, 1);
	assert_false(ZSTD_isError(len));
	assert_int_equal(unpack_bytes(z, len, 100, &n), SIG_ERR_ZSTD_NO_CHECKSUM);
	/* A streamed frame without a pledged size declares none. */
	ZSTD_CCtx *c = ZSTD_createCCtx();
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
	ZSTD_inBuffer in = {"hello", 5, 0};
	ZSTD_outBuffer out = {z, sizeof(z), 0};
	/* Input handed over before the end: the frame header cannot know the size. */
	assert_false(ZSTD_isError(ZSTD_compressStream2(c, &out, &in, ZSTD_e_flush)));
	in = (ZSTD_inBuffer){"", 0, 0};
	assert_int_equal(ZSTD_compressStream2(c, &out, &in, ZSTD_e_end), 0);
	ZSTD_freeCCtx(c);
	assert_int_equal(unpack_bytes(z, out.pos, 100, &n), SIG_ERR_ZSTD_NO_SIZE);
	/* A skippable frame (magic 0x184D2A50 to 0x184D2A5F) is not an empty artifact. */
	for (unsigned m = 0; m < 16; m++) {
		unsigned char skip[12] = {(unsigned char)(0x50 + m), 0x2a, 0x4d, 0x18, 4, 0, 0, 0};
		assert_int_equal(unpack_bytes(skip, sizeof(skip), 100, &n), SIG_ERR_ZSTD);
		assert_int_equal(n, 0);
	}
	assert_int_equal(unpack_bytes("", 0, 100, &n), SIG_ERR_ZSTD);
}

/* A bounded hash stops at the bound and never copies more than it allows. */
static void test_hash_bound(void **state)
{
	static char data[3 << 20];
	uint8_t digest[SIG_DIGEST_BYTES];
	memset(data, 'z', sizeof(data));
	int in = temp_with(data, sizeof(data));
	int copy = temp_with("", 0);
	assert_int_equal(sig_hash_fd(in, copy, 1000, digest), SIG_ERR_ARTIFACT_TOO_BIG);
	assert_int_equal(lseek(copy, 0, SEEK_END), 0);
	assert_int_equal(lseek(in, 0, SEEK_SET), 0);
	assert_int_equal(sig_hash_fd(in, copy, (1 << 20) + 1, digest), SIG_ERR_ARTIFACT_TOO_BIG);
	assert_true(lseek(copy, 0, SEEK_END) <= (1 << 20) + 1);
	assert_int_equal(lseek(in, 0, SEEK_SET), 0);
	assert_int_equal(sig_hash_fd(in, -1, sizeof(data), digest), SIG_OK);
	/* The bound covers every frame of max_size bytes: one that does not compress at all. */
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 2654435761u >> 13);
	size_t const cap = ZSTD_compressBound(sizeof(data));
	char *z = malloc(cap);
	size_t const zlen = ZSTD_compress(z, cap, data, sizeof(data), 1);
	assert_false(ZSTD_isError(zlen));
	assert_true(zlen <= sig_artifact_max(sizeof(data)));
	assert_true(sig_artifact_max(sizeof(data)) < sizeof(data) + sizeof(data) / 64);
	free(z);
	close(copy);
	close(in);
}

/* Write errors are told from read errors, so that the CLI names the right file. */
static void test_write_errors_are_told_apart(void **state)
{
	uint8_t digest[SIG_DIGEST_BYTES];
	int in = temp_with("data", 4);
	int ro = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(ro >= 0);
	assert_int_equal(sig_hash_fd(in, ro, UINT64_MAX, digest), SIG_ERR_WRITE);
	assert_int_equal(lseek(in, 0, SEEK_SET), 0);
	assert_int_equal(sig_pack(in, ro, 1, digest), SIG_ERR_WRITE);
	int wo = open("/dev/null", O_WRONLY | O_CLOEXEC);
	assert_true(wo >= 0);
	assert_int_equal(sig_hash_fd(wo, -1, UINT64_MAX, digest), SIG_ERR_IO);
	close(wo);
	close(ro);
	close(in);
}

static void test_strerror_covers_all(void **state)
{
	for (int e = SIG_OK; e <= SIG_ERR_ARTIFACT_TOO_BIG; e++)
		assert_string_not_equal(sig_strerror((enum sig_error)e), "unknown error");
	assert_true(sig_error_is_unverified(SIG_ERR_KEY_ID));
	assert_false(sig_error_is_unverified(SIG_ERR_BASE64));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kat_digest),
		cmocka_unit_test(test_kat_sign),
		cmocka_unit_test(test_kat_secret_key_parse),
		cmocka_unit_test(test_kat_verify_and_tamper),
		cmocka_unit_test(test_base64_strict),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_signature_malformed),
		cmocka_unit_test(test_comment_checks),
		cmocka_unit_test(test_default_trusted_comment),
		cmocka_unit_test(test_public_key_parse),
		cmocka_unit_test(test_secret_key_encrypted_round_trip),
		cmocka_unit_test(test_secret_key_malformed),
		cmocka_unit_test(test_keyring),
		cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_comment_fields),
		cmocka_unit_test(test_release_parse_strict),
		cmocka_unit_test(test_policy_check),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_pack_round_trip_and_limits),
		cmocka_unit_test(test_unpack_needs_size_and_checksum),
		cmocka_unit_test(test_hash_bound),
		cmocka_unit_test(test_write_errors_are_told_apart),
		cmocka_unit_test(test_strerror_covers_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
