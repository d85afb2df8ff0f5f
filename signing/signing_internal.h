#pragma once

/* Helpers shared by the files of the signing module and its unit tests; no other module. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/io.h"
#include "signing.h"

/*
 * minisign's binary layouts: what the base64 line of a public key, a secret key and a
 * signature decodes to (minisign's PubkeyStruct, SeckeyStruct and SigStruct). Every field is a
 * byte array, so a struct has no padding and is exactly the decoded bytes: decode into it,
 * encode from it. Integers are little-endian whatever the host.
 */

/* A public key file's second line: 42 bytes. */
struct sig_pubkey_raw {
	uint8_t sig_alg[2];                /* "Ed" */
	uint8_t key_id[SIG_KEY_ID_BYTES];  /* random, chosen by keygen */
	uint8_t key[SIG_PUBLIC_KEY_BYTES]; /* Ed25519 public key */
};
_Static_assert(sizeof(struct sig_pubkey_raw) == 42, "minisign public key: 42 bytes");
_Static_assert(offsetof(struct sig_pubkey_raw, key_id) == 2, "public key: key id at 2");
_Static_assert(offsetof(struct sig_pubkey_raw, key) == 10, "public key: key at 10");

/* The part of a secret key that scrypt's output is XORed over when it is encrypted. */
struct sig_seckey_encrypted {
	uint8_t key_id[SIG_KEY_ID_BYTES];
	uint8_t secret[64];   /* libsodium's Ed25519 secret key: seed ‖ public key */
	uint8_t checksum[32]; /* BLAKE2b-256 of sig_alg ‖ key_id ‖ secret; zero if unencrypted */
};
_Static_assert(sizeof(struct sig_seckey_encrypted) == 104, "encrypted part: 104 bytes");

/* A secret key file's second line: 158 bytes. */
struct sig_seckey_raw {
	uint8_t sig_alg[2]; /* "Ed" */
	uint8_t kdf_alg[2]; /* "Sc" (scrypt), or zero: not encrypted, kdf_* all zero */
	uint8_t chk_alg[2]; /* "B2" (BLAKE2b) */
	uint8_t kdf_salt[32];
	uint8_t kdf_opslimit[8]; /* little-endian */
	uint8_t kdf_memlimit[8]; /* little-endian, bytes */
	struct sig_seckey_encrypted enc;
};
_Static_assert(sizeof(struct sig_seckey_raw) == 158, "minisign secret key: 158 bytes");
_Static_assert(offsetof(struct sig_seckey_raw, kdf_alg) == 2, "secret key: KDF at 2");
_Static_assert(offsetof(struct sig_seckey_raw, chk_alg) == 4, "secret key: checksum alg at 4");
_Static_assert(offsetof(struct sig_seckey_raw, kdf_salt) == 6, "secret key: salt at 6");
_Static_assert(offsetof(struct sig_seckey_raw, kdf_opslimit) == 38, "secret key: ops at 38");
_Static_assert(offsetof(struct sig_seckey_raw, kdf_memlimit) == 46, "secret key: mem at 46");
_Static_assert(offsetof(struct sig_seckey_raw, enc.key_id) == 54, "secret key: key id at 54");
_Static_assert(offsetof(struct sig_seckey_raw, enc.secret) == 62, "secret key: key at 62");
_Static_assert(offsetof(struct sig_seckey_raw, enc.checksum) == 126, "secret key: sum at 126");

/* A signature file's second line: 74 bytes. */
struct sig_signature_raw {
	uint8_t sig_alg[2]; /* "ED": over the BLAKE2b-512 of the file; "Ed": legacy, the file */
	uint8_t key_id[SIG_KEY_ID_BYTES];
	uint8_t signature[SIG_SIGNATURE_BYTES]; /* Ed25519 */
};
_Static_assert(sizeof(struct sig_signature_raw) == 74, "minisign signature: 74 bytes");
_Static_assert(offsetof(struct sig_signature_raw, key_id) == 2, "signature: key id at 2");
_Static_assert(offsetof(struct sig_signature_raw, signature) == 10, "signature: sig at 10");

/* A line of a key or signature file, without its line ending. */
struct sig_line {
	const char *text;
	size_t len;
};

/*
 * Split text into exactly n lines. Each line ends in "\n" or "\r\n"; the last one may also end
 * at the end of text. Any other CR, a line over max_len bytes, or a line count other than n
 * (including trailing empty lines or appended bytes) is an error.
 */
enum sig_error sig_lines_split(const char *text, size_t len, struct sig_line *lines_out, size_t n,
			       size_t max_len);

/*
 * Strict standard base64 (with '=' padding, no whitespace) of exactly out_len bytes. The
 * encoding must be canonical: the unused bits of the last character must be zero.
 */
enum sig_error sig_base64_decode(const char *b64, size_t len, uint8_t *out, size_t out_len);
/* Base64 of len bytes into out (4 * ceil(len / 3) + 1 bytes for the NUL). */
void sig_base64_encode(const uint8_t *bin, size_t len, char *out);
static inline size_t sig_base64_len(size_t bin_len)
{
	return (bin_len + 2) / 3 * 4;
}

/* The text after prefix on line, into comment_out (NUL-terminated, max bytes at most). */
enum sig_error sig_comment_take(const struct sig_line *line, const char *prefix, size_t max,
				char *comment_out);

/* The 64-byte libsodium secret key of an unlocked key, or NULL while it is locked. */
const uint8_t *sig_secret_key_raw(const struct sig_secret_key *key);

/* write() until all len bytes are written (base/io.h); SIG_ERR_WRITE with errno set. */
static inline enum sig_error sig_write_all(int fd, const void *data, size_t len)
{
	return base_write_all(fd, data, len) == 0 ? SIG_OK : SIG_ERR_WRITE;
}

/*
 * Read fd to its end in page-aligned 1 MiB blocks (the kernel copies into an aligned buffer
 * fastest), handing each block to eat(ctx, block, len) in order. Stops with
 * SIG_ERR_ARTIFACT_TOO_BIG before a block that would take the total past max_len, with
 * SIG_ERR_IO on a read error, or with the first error eat returns.
 */
enum sig_error sig_read_blocks(int fd, uint64_t max_len,
			       enum sig_error (*eat)(void *ctx, const uint8_t *block, size_t len),
			       void *ctx);
