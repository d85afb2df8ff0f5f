#pragma once

/*
 * Signed releases in minisign's formats (see the README and minisign's documentation):
 * Ed25519 keys, secret keys optionally encrypted with scrypt, four-line signature files over
 * the BLAKE2b-512 digest of a file, and zstd artifacts that are verified before they are
 * unpacked. Nothing here prints or exits: every function returns an enum sig_error.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum sig_error {
	SIG_OK = 0,
	/* I/O and resources: errno says more. */
	SIG_ERR_IO,             /* reading the input failed */
	SIG_ERR_NOMEM,
	SIG_ERR_WRITE,          /* writing the output failed */
	/* Malformed input (exit 2 in the CLI). */
	SIG_ERR_TOO_LONG,       /* a line (or the whole key/signature file) is over the limit */
	SIG_ERR_CARRIAGE_RETURN, /* a CR that is not part of a final "\r\n" */
	SIG_ERR_LINES,          /* wrong number of lines or a missing final line */
	SIG_ERR_PREFIX,         /* a line lacks "untrusted comment: " / "trusted comment: " */
	SIG_ERR_BASE64,         /* not canonical standard base64 of the expected length */
	SIG_ERR_COMMENT_CONTROL, /* a comment holds a control character */
	SIG_ERR_COMMENT_TOO_LONG,
	SIG_ERR_ALGORITHM,      /* unknown signature algorithm or key type bytes */
	SIG_ERR_KDF,            /* unknown KDF or checksum algorithm in a secret key */
	SIG_ERR_KDF_LIMITS,     /* scrypt limits out of the range heart accepts */
	SIG_ERR_KEY_CHECKSUM,   /* secret key checksum mismatch: wrong password or damaged key */
	SIG_ERR_PASSWORD,       /* a password was needed (or given) and the key says otherwise */
	SIG_ERR_TIMESTAMP,      /* SOURCE_DATE_EPOCH is not a plain number of seconds */
	/* Verification failures (exit 1 in the CLI). */
	SIG_ERR_KEY_ID,         /* signed with another key (the key id does not match) */
	SIG_ERR_LEGACY,         /* legacy (unhashed) signature and legacy was not allowed */
	SIG_ERR_SIGNATURE,      /* the signature over the file does not verify */
	SIG_ERR_GLOBAL_SIGNATURE, /* the signature over the trusted comment does not verify */
	/* Artifacts. */
	SIG_ERR_ZSTD,           /* not a single valid zstd frame, or its checksum is wrong */
	SIG_ERR_ZSTD_NO_SIZE,   /* the frame does not declare its content size */
	SIG_ERR_ZSTD_NO_CHECKSUM, /* the frame carries no content checksum */
	SIG_ERR_ZSTD_TOO_BIG,   /* declared or actual size over the limit, or over the declaration */
};

/* A static English description of err (never NULL). */
const char *sig_strerror(enum sig_error err);
/* True for the errors that mean "did not verify" rather than "could not check". */
bool sig_error_is_unverified(enum sig_error err);

enum {
	SIG_KEY_ID_BYTES = 8,
	SIG_PUBLIC_KEY_BYTES = 32,
	SIG_SIGNATURE_BYTES = 64,
	SIG_DIGEST_BYTES = 64,
	/* Longest comment text (after "untrusted comment: " or "trusted comment: "), in bytes.
	 * The same limits hold when signing and when verifying. */
	SIG_UNTRUSTED_COMMENT_MAX = 1024,
	SIG_TRUSTED_COMMENT_MAX = 8192,
	/* Base64 length of a public key line, as `-P` takes it. */
	SIG_PUBLIC_KEY_BASE64_LEN = 56,
	/* Longest key or signature file heart reads, in bytes. */
	SIG_FILE_MAX = 16384,
};

/* minisign's scrypt parameters (libsodium's "sensitive" limits: about 1 GiB, a second). */
#define SIG_SCRYPT_OPSLIMIT 33554432ULL
#define SIG_SCRYPT_MEMLIMIT 1073741824ULL

/* ---- Public keys: plain values, nothing secret. ---- */

struct sig_public_key {
	uint8_t key_id[SIG_KEY_ID_BYTES];
	uint8_t key[SIG_PUBLIC_KEY_BYTES];
};

/* Parse the 56-character base64 line (exactly len bytes, no line ending). */
enum sig_error sig_public_key_parse_base64(const char *b64, size_t len,
					   struct sig_public_key *key_out);
/* Parse a public key file's text: "untrusted comment: ..." then the base64 line. */
enum sig_error sig_public_key_parse(const char *text, size_t len, struct sig_public_key *key_out);
/* The key id as minisign prints it: 16 upper-case hex digits and a NUL. */
void sig_key_id_hex(const uint8_t key_id[SIG_KEY_ID_BYTES], char hex_out[17]);
/* The public key file's text (NUL-terminated) into a malloc'd string the caller frees. */
enum sig_error sig_public_key_serialize(const struct sig_public_key *key, char **text_out);
/* The 56-character base64 line and a NUL. */
void sig_public_key_base64(const struct sig_public_key *key, char b64_out[57]);

/* ---- Secret keys: opaque, held in sodium_malloc memory, wiped when destroyed. ---- */

struct sig_secret_key;

/* A fresh random key pair. *key_out is owned by the caller (sig_secret_key_destroy). */
enum sig_error sig_secret_key_generate(struct sig_secret_key **key_out);
/* A key pair from a 32-byte Ed25519 seed and a key id, for known-answer tests. */
enum sig_error sig_secret_key_from_seed(const uint8_t seed[32],
					const uint8_t key_id[SIG_KEY_ID_BYTES],
					struct sig_secret_key **key_out);
/*
 * Parse a secret key file's text. The key may still be encrypted: see
 * sig_secret_key_is_encrypted() and sig_secret_key_unlock(). text may be secret and is only
 * read. *key_out is owned by the caller.
 */
enum sig_error sig_secret_key_parse(const char *text, size_t len,
				    struct sig_secret_key **key_out);
bool sig_secret_key_is_encrypted(const struct sig_secret_key *key);
/* Decrypt with password (len bytes, need not be NUL-terminated). SIG_ERR_KEY_CHECKSUM for a
 * wrong password; the key stays locked then. Unencrypted keys need no unlocking. */
enum sig_error sig_secret_key_unlock(struct sig_secret_key *key, const char *password,
				     size_t len);
/* The public half of an unlocked key. */
void sig_secret_key_public(const struct sig_secret_key *key, struct sig_public_key *pub_out);
/*
 * The secret key file's text, encrypted with password (len bytes) at the given scrypt limits,
 * or unencrypted when password is NULL. *text_out is NUL-terminated sodium_malloc memory:
 * release it with sig_secret_free().
 */
enum sig_error sig_secret_key_serialize(const struct sig_secret_key *key, const char *password,
					size_t len, unsigned long long opslimit,
					size_t memlimit, char **text_out);
/* Wipe and free; accepts NULL. */
void sig_secret_key_destroy(struct sig_secret_key *key);
/* Free sodium_malloc memory handed out by this module (it wipes); accepts NULL. */
void sig_secret_free(void *secret);

/* ---- Signature files. ---- */

struct sig_signature {
	bool legacy; /* algorithm "Ed": Ed25519 over the whole file rather than its digest */
	uint8_t key_id[SIG_KEY_ID_BYTES];
	uint8_t signature[SIG_SIGNATURE_BYTES];
	char untrusted_comment[SIG_UNTRUSTED_COMMENT_MAX + 1]; /* NUL-terminated */
	char trusted_comment[SIG_TRUSTED_COMMENT_MAX + 1];     /* NUL-terminated */
	uint8_t global_signature[SIG_SIGNATURE_BYTES];
};

/* Parse the four lines of a signature file, strictly. *sig_out is fully set on success. */
enum sig_error sig_signature_parse(const char *text, size_t len, struct sig_signature *sig_out);
/* The file's text (NUL-terminated, lines end in "\n") into malloc'd memory the caller frees. */
enum sig_error sig_signature_serialize(const struct sig_signature *sig, char **text_out);
/* SIG_OK when comment (NUL-terminated) may be an untrusted (or trusted) comment. */
enum sig_error sig_comment_check(const char *comment, bool trusted);
/*
 * minisign's default trusted comment, "timestamp:N\tfile:BASENAME\thashed", into a malloc'd
 * string. N is source_date_epoch when it is not NULL (it must be plain decimal digits,
 * else SIG_ERR_TIMESTAMP), else now.
 */
enum sig_error sig_default_trusted_comment(const char *path, const char *source_date_epoch,
					   char **comment_out);

/* Sign a 64-byte BLAKE2b-512 digest: fills sig_out's key id and both signatures. The
 * comments (checked with sig_comment_check) are copied in. */
enum sig_error sig_sign_digest(const struct sig_secret_key *key,
			       const uint8_t digest[SIG_DIGEST_BYTES],
			       const char *untrusted_comment, const char *trusted_comment,
			       struct sig_signature *sig_out);
/*
 * Check sig against key: key id, then the signature over digest (hashed signatures) or
 * message (legacy ones, only when allow_legacy; message may be NULL otherwise), then the
 * global signature over the trusted comment. SIG_OK only when all of them hold.
 */
enum sig_error sig_verify(const struct sig_public_key *key, const struct sig_signature *sig,
			  const uint8_t digest[SIG_DIGEST_BYTES], const uint8_t *message,
			  size_t message_len, bool allow_legacy);
/* The checks of sig_verify() that need no file: key id, algorithm policy, global signature. */
enum sig_error sig_verify_header(const struct sig_public_key *key,
				 const struct sig_signature *sig, bool allow_legacy);

/* ---- Streaming BLAKE2b-512. ---- */

struct sig_hasher;

/* *hasher_out is owned by the caller: sig_hasher_destroy(). */
enum sig_error sig_hasher_create(struct sig_hasher **hasher_out);
void sig_hasher_update(struct sig_hasher *hasher, const void *data, size_t len);
/* The digest of everything given so far; the hasher cannot be updated afterwards. */
void sig_hasher_final(struct sig_hasher *hasher, uint8_t digest_out[SIG_DIGEST_BYTES]);
void sig_hasher_destroy(struct sig_hasher *hasher);

/*
 * Read fd to its end, hashing; when copy_fd >= 0 also write every byte read to it, so the copy
 * is exactly what was hashed (SIG_ERR_WRITE when that fails). Reads in large blocks; memory
 * use does not grow with the file.
 */
enum sig_error sig_hash_fd(int fd, int copy_fd, uint8_t digest_out[SIG_DIGEST_BYTES]);

/* ---- zstd artifacts. ---- */

/*
 * Compress in_fd (read to its end) into out_fd as one zstd frame at level, with the content
 * size and checksum in the frame: in_fd must be a regular file (its size is pledged). When
 * digest_out is not NULL it receives the BLAKE2b-512 of the bytes written. SIG_ERR_IO for a
 * read error, SIG_ERR_WRITE for a write error (errno says why).
 */
enum sig_error sig_pack(int in_fd, int out_fd, int level, uint8_t digest_out[SIG_DIGEST_BYTES]);
/*
 * Decompress exactly one zstd frame from in_fd into out_fd. The frame must declare its
 * content size (at most max_size bytes) and carry a checksum; output beyond the declared size,
 * a short output, a bad checksum or bytes after the frame are errors. *size_out (may be NULL)
 * receives the number of bytes written. in_fd is read from its start (it must be seekable).
 * SIG_ERR_IO for a read error, SIG_ERR_WRITE for a write error (errno says why).
 */
enum sig_error sig_unpack(int in_fd, int out_fd, uint64_t max_size, uint64_t *size_out);
