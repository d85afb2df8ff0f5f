#pragma once

/*
 * Signed releases in minisign's formats (see the README and minisign's documentation):
 * Ed25519 keys, secret keys optionally encrypted with scrypt, four-line signature files over
 * the BLAKE2b-512 digest of a file, and zstd artifacts that are verified before they are
 * unpacked. Nothing here prints or exits: every function returns an enum sig_error.
 *
 * Threads: no function keeps state between calls (libsodium's sodium_init(), called where it
 * is needed, is safe from several threads). Different objects (hashers, keys, keyrings,
 * manifests) may be used from different threads at once; one object may be shared only by
 * functions that take it const.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum sig_error {
	SIG_OK = 0,
	/* I/O and resources: errno says more. */
	SIG_ERR_IO, /* reading the input failed */
	SIG_ERR_NOMEM,
	SIG_ERR_WRITE, /* writing the output failed */
	/* Malformed input (exit 2 in the CLI). */
	SIG_ERR_TOO_LONG,        /* a line (or the whole key/signature file) is over the limit */
	SIG_ERR_CARRIAGE_RETURN, /* a CR that is not part of a final "\r\n" */
	SIG_ERR_LINES,           /* wrong number of lines or a missing final line */
	SIG_ERR_PREFIX,          /* a line lacks "untrusted comment: " / "trusted comment: " */
	SIG_ERR_BASE64,          /* not canonical standard base64 of the expected length */
	SIG_ERR_COMMENT_CONTROL, /* a comment holds a control character (C0 but tab, DEL, C1) */
	SIG_ERR_COMMENT_UTF8,    /* a comment is not valid UTF-8 */
	SIG_ERR_COMMENT_TOO_LONG,
	SIG_ERR_ALGORITHM,     /* unknown signature algorithm or key type bytes */
	SIG_ERR_KDF,           /* unknown KDF or checksum algorithm in a secret key */
	SIG_ERR_KDF_LIMITS,    /* scrypt limits out of the range heart accepts */
	SIG_ERR_KEY_CHECKSUM,  /* secret key checksum mismatch: wrong password or damaged key */
	SIG_ERR_KEY_MISMATCH,  /* a secret key's stored public half is not its seed's */
	SIG_ERR_PASSWORD,      /* a password was needed (or given) and the key says otherwise */
	SIG_ERR_TIMESTAMP,     /* SOURCE_DATE_EPOCH is not a plain number of seconds */
	SIG_ERR_KEYRING_ID,    /* two different trusted keys share one key id */
	SIG_ERR_KEYRING_FULL,  /* more than SIG_KEYRING_MAX distinct trusted keys */
	SIG_ERR_FIELD_VALUE,   /* a product or arch value is not 1-64 of [A-Za-z0-9._+-] */
	SIG_ERR_FILE_NAME,     /* a name for a trusted comment holds a tab or control byte, or is
				  not valid UTF-8 */
	SIG_ERR_VERSION,       /* not a semantic version (MAJOR.MINOR.PATCH[-PRE][+BUILD]) */
	SIG_ERR_MANIFEST_LINE, /* a manifest line is not "HEX  NAME" with a safe relative NAME */
	SIG_ERR_MANIFEST_DUPLICATE, /* a manifest lists one name twice */
	/* Verification failures (exit 1 in the CLI). */
	SIG_ERR_KEY_ID,        /* signed with another key (the key id does not match) */
	SIG_ERR_LEGACY,        /* legacy (unhashed) signature and legacy was not allowed */
	SIG_ERR_LEGACY_DIGEST, /* legacy signature over 64 bytes: could be a relabelled hashed one
				*/
	SIG_ERR_SIGNATURE,     /* the signature over the file does not verify */
	SIG_ERR_GLOBAL_SIGNATURE, /* the signature over the trusted comment does not verify */
	/* Artifacts. */
	SIG_ERR_ZSTD,             /* not a single valid zstd frame, or its checksum is wrong */
	SIG_ERR_ZSTD_NO_SIZE,     /* the frame does not declare its content size */
	SIG_ERR_ZSTD_NO_CHECKSUM, /* the frame carries no content checksum */
	SIG_ERR_ZSTD_TOO_BIG, /* declared or actual size over the limit, or over the declaration */
	SIG_ERR_ARTIFACT_TOO_BIG, /* the artifact is larger than any frame within the limit */
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
	/* Longest comment text (after "untrusted comment: " or "trusted comment: "), in bytes:
	 * the longest minisign 0.11 reads (it reads each line into 1024 or 8192 bytes with the
	 * prefix, the line ending and a NUL). The same limits hold when signing and verifying. */
	SIG_UNTRUSTED_COMMENT_MAX = 1024 - 19 - 2,
	SIG_TRUSTED_COMMENT_MAX = 8192 - 17 - 2,
	/* Base64 length of a public key line, as `-P` takes it. */
	SIG_PUBLIC_KEY_BASE64_LEN = 56,
	/* Longest key or signature file heart reads, in bytes. */
	SIG_FILE_MAX = 16384,
};

/* minisign's scrypt parameters (libsodium's "sensitive" limits: about 1 GiB, a second), which
 * are also the most heart accepts in a key file. */
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

/* ---- Keyrings: the set of trusted public keys. ---- */

enum { SIG_KEYRING_MAX = 64 };

/* Distinct keys, each with its own key id. Zero-initialise before the first sig_keyring_add(). */
struct sig_keyring {
	struct sig_public_key keys[SIG_KEYRING_MAX];
	size_t n;
};

/*
 * Add key to ring. A key already in it (same id, same key) counts once; another key with the
 * same id is SIG_ERR_KEYRING_ID (a signature's key id must select one key, never a set to
 * try); SIG_ERR_KEYRING_FULL past SIG_KEYRING_MAX keys.
 */
enum sig_error sig_keyring_add(struct sig_keyring *ring, const struct sig_public_key *key);
/*
 * Add the keys of a keyring file's text: public key files one after the other (an
 * "untrusted comment: " line, then the base64 line), with empty lines and lines starting with
 * '#' allowed between them. Lines are strict as in key files. A file without a key is
 * SIG_ERR_LINES. On error ring may hold the keys before the bad one.
 */
enum sig_error sig_keyring_parse(const char *text, size_t len, struct sig_keyring *ring);
/* The key of ring whose id is key_id, or NULL: a key is chosen by its id alone. */
const struct sig_public_key *sig_keyring_find(const struct sig_keyring *ring,
					      const uint8_t key_id[SIG_KEY_ID_BYTES]);

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
enum sig_error sig_secret_key_parse(const char *text, size_t len, struct sig_secret_key **key_out);
bool sig_secret_key_is_encrypted(const struct sig_secret_key *key);
/* Decrypt with password (len bytes, need not be NUL-terminated). SIG_ERR_KEY_CHECKSUM for a
 * wrong password; the key stays locked then. Unencrypted keys need no unlocking. */
enum sig_error sig_secret_key_unlock(struct sig_secret_key *key, const char *password, size_t len);
/* The public half of an unlocked key. */
void sig_secret_key_public(const struct sig_secret_key *key, struct sig_public_key *pub_out);
/*
 * The secret key file's text, encrypted with password (len bytes) at the given scrypt limits,
 * or unencrypted when password is NULL. *text_out is NUL-terminated sodium_malloc memory:
 * release it with sig_secret_free().
 */
enum sig_error sig_secret_key_serialize(const struct sig_secret_key *key, const char *password,
					size_t len, unsigned long long opslimit, size_t memlimit,
					char **text_out);
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
/* SIG_OK when comment (NUL-terminated) may be an untrusted (or trusted) comment: valid UTF-8
 * within the length limit, with no control character but tab. */
enum sig_error sig_comment_check(const char *comment, bool trusted);
/*
 * minisign's default trusted comment, "timestamp:N\tfile:BASENAME\thashed", into a malloc'd
 * string. N is source_date_epoch when it is not NULL (it must be plain decimal digits,
 * else SIG_ERR_TIMESTAMP), else now. A BASENAME (path's last component) holding a tab, a
 * control character or invalid UTF-8 is SIG_ERR_FILE_NAME: a name never adds fields.
 * The default comment carries no release policy (see sig_release_parse()).
 */
enum sig_error sig_default_trusted_comment(const char *path, const char *source_date_epoch,
					   char **comment_out);

/*
 * The release policy form: the only trusted comment that policy (product, version, arch,
 * freshness) is read from. Fields are separated by single tabs, in this order:
 *
 *   heart-policy:1 [product:P] [version:V] [arch:A] timestamp:N file:NAME hashed
 *
 * The marker comes first, so no default comment (which starts with "timestamp:") can take
 * this form whatever its file name; product, version and arch are each optional but at most
 * once and in this order; P and A are 1 to 64 of [A-Za-z0-9._+-]; V is a semantic version;
 * N is decimal seconds without leading zeros (at most 18 digits); NAME is non-empty and holds
 * no '/' and no tab. Nothing may follow "hashed". `heart pack` writes it; minisign -t with
 * exactly this text is a signer writing policy deliberately and counts too.
 */
#define SIG_POLICY_MARKER "heart-policy:1"
struct sig_comment_fields {
	const char *product, *version, *arch; /* NULL: left out */
};
/*
 * The policy form for path's base name and the fields that are not NULL, into a malloc'd
 * string. A product or arch outside the alphabet above is SIG_ERR_FIELD_VALUE; a version that
 * is not a semantic version SIG_ERR_VERSION; the timestamp and name as for
 * sig_default_trusted_comment().
 */
enum sig_error sig_structured_trusted_comment(const char *path, const char *source_date_epoch,
					      const struct sig_comment_fields *fields,
					      char **comment_out);

/* A policy form, parsed: the strings point into the comment and are not NUL-terminated. */
struct sig_release {
	const char *product, *version, *arch; /* NULL when the field is absent */
	size_t product_len, version_len, arch_len;
	const char *file; /* never NULL once parsed */
	size_t file_len;
	long long timestamp; /* unix seconds */
};
/* Parse comment (NUL-terminated) as the policy form, strictly. false (and *release_out
 * zeroed) when it is anything else: then the comment carries no release policy. */
bool sig_release_parse(const char *comment, struct sig_release *release_out);

/* What a deployment requires of a signature's policy form. */
struct sig_policy {
	const char *product, *arch; /* NULL: not required; else equal, byte for byte */
	const char *min_version;    /* NULL, or a semantic version the release's must reach */
	long long max_age;          /* seconds, 0: no limit; else timestamp >= now - max_age */
	long long now;              /* unix seconds (>= 0), only read when max_age > 0 */
};
/* How long a signature's timestamp may be ahead of now when max_age is set (clock skew). */
enum { SIG_POLICY_SKEW = 300 };
/* The longest max_age sig_duration_parse() gives: 36500 days. */
#define SIG_MAX_AGE_MAX (36500LL * 86400)

enum sig_policy_error {
	SIG_POLICY_OK = 0,
	SIG_POLICY_NONE,       /* a requirement, and the comment carries no release policy */
	SIG_POLICY_NO_PRODUCT, /* --product, and the policy form has no product */
	SIG_POLICY_PRODUCT,    /* another product */
	SIG_POLICY_NO_ARCH,    /* --arch, and no arch */
	SIG_POLICY_ARCH,       /* another arch */
	SIG_POLICY_NO_VERSION, /* --min-version, and no version */
	SIG_POLICY_OLDER,      /* version older than min_version */
	SIG_POLICY_BAD_MIN,    /* min_version is not a semantic version */
	SIG_POLICY_EXPIRED,    /* timestamp older than now - max_age */
	SIG_POLICY_FUTURE,     /* timestamp later than now + SIG_POLICY_SKEW */
};
/*
 * Check release (NULL when the comment is not a policy form) against policy. A policy that
 * requires nothing is SIG_POLICY_OK for any comment. Checks product, arch, version, then age,
 * and returns the first failure.
 */
enum sig_policy_error sig_policy_check(const struct sig_policy *policy,
				       const struct sig_release *release);
/* A static English description of err (never NULL). */
const char *sig_policy_strerror(enum sig_policy_error err);
/*
 * A duration for max_age: decimal digits (no leading zero, not 0) then one unit, s, m, h, d
 * or w (seconds, minutes, hours, days, weeks), at most SIG_MAX_AGE_MAX seconds: "3600s",
 * "12h", "90d". false for anything else (*seconds_out is then 0).
 */
bool sig_duration_parse(const char *text, long long *seconds_out);
/*
 * Compare semantic versions a and b (len bytes each, SemVer 2.0.0 precedence: build metadata
 * ignored, a pre-release below its release, identifiers compared numerically or in ASCII).
 * *cmp_out < 0, 0 or > 0. SIG_ERR_VERSION when either is not a semantic version.
 */
enum sig_error sig_version_compare(const char *a, size_t alen, const char *b, size_t blen,
				   int *cmp_out);

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
 * A legacy signature over a message of exactly SIG_DIGEST_BYTES bytes is SIG_ERR_LEGACY_DIGEST:
 * the algorithm bytes are not signed, so a hashed signature of any file relabelled as legacy
 * verifies over the file's 64-byte digest; the two cannot be told apart.
 */
enum sig_error sig_verify(const struct sig_public_key *key, const struct sig_signature *sig,
			  const uint8_t digest[SIG_DIGEST_BYTES], const uint8_t *message,
			  size_t message_len, bool allow_legacy);
/* The checks of sig_verify() that need no file: key id, algorithm policy, global signature. */
enum sig_error sig_verify_header(const struct sig_public_key *key, const struct sig_signature *sig,
				 bool allow_legacy);

/* ---- Signed manifests: SHA256SUMS as sha256sum writes it. ---- */

enum {
	SIG_SHA256_BYTES = 32,
	SIG_MANIFEST_MAX = 1 << 20,         /* longest manifest heart reads, in bytes */
	SIG_MANIFEST_ENTRIES_MAX = 1 << 14, /* most lines */
	SIG_MANIFEST_NAME_MAX = 4096,       /* longest name, in bytes */
};

struct sig_manifest_entry {
	const char *name; /* NUL-terminated, owned by the manifest */
	size_t name_len;  /* strlen(name) */
	uint8_t sha256[SIG_SHA256_BYTES];
};

struct sig_manifest;

/*
 * Parse a manifest's text: lines "HEX  NAME" or "HEX *NAME" (64 lower-case hex digits, as
 * sha256sum writes them), each ending in "\n". Refused: any other line (SIG_ERR_MANIFEST_LINE)
 * including sha256sum's escaped "\\" lines, a CR anywhere (SIG_ERR_CARRIAGE_RETURN), names
 * that are absolute, empty, hold a "." or ".." component, an empty component, a control
 * character, a backslash or invalid UTF-8, a name listed twice (SIG_ERR_MANIFEST_DUPLICATE),
 * no line at all or a last line without "\n" (SIG_ERR_LINES), more than the limits above
 * (SIG_ERR_TOO_LONG). *line_out is the 1-based number of the bad line (0 when none). On
 * success *m_out is the caller's (sig_manifest_destroy()).
 */
enum sig_error sig_manifest_parse(const char *text, size_t len, struct sig_manifest **m_out,
				  size_t *line_out);
size_t sig_manifest_count(const struct sig_manifest *m);
/* Entry i in the manifest's order, or NULL past the end. */
const struct sig_manifest_entry *sig_manifest_entry(const struct sig_manifest *m, size_t i);
/* The entry named name, or NULL. */
const struct sig_manifest_entry *sig_manifest_find(const struct sig_manifest *m, const char *name);
/* Accepts NULL. */
void sig_manifest_destroy(struct sig_manifest *m);
/* SHA-256 of fd read to its end (page-aligned 1 MiB reads). */
enum sig_error sig_sha256_fd(int fd, uint8_t digest_out[SIG_SHA256_BYTES]);

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
 * use does not grow with the file. A file longer than max_len bytes (UINT64_MAX: no limit) is
 * SIG_ERR_ARTIFACT_TOO_BIG as soon as a read goes past it: at most max_len bytes are ever
 * written to copy_fd. digest_out NULL: nothing is hashed, fd is only copied to copy_fd.
 */
enum sig_error sig_hash_fd(int fd, int copy_fd, uint64_t max_len,
			   uint8_t digest_out[SIG_DIGEST_BYTES]);

/* ---- zstd artifacts. ---- */

/*
 * The largest artifact that can hold a frame of at most max_size bytes of content: zstd's
 * compress bound plus the frame header and checksum. An artifact longer than that cannot
 * unpack within max_size, so it can be refused before it is verified.
 */
uint64_t sig_artifact_max(uint64_t max_size);

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
