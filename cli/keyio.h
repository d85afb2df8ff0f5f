#pragma once

/* What the signing commands share: loading keys, passwords, reporting, writing signatures. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "args.h"
#include "fileio.h"
#include "signing.h"

/* The untrusted comment heart puts on its signatures. */
#define KEYIO_SIGNATURE_COMMENT "signature from heart secret key"

/*
 * Report err about the file named path (what says which file: "secret key", "signature")
 * as one line on stderr; I/O errors name errno's reason, and SIG_ERR_WRITE is reported as
 * "cannot write 'out'" instead. Returns the exit status it means: EXIT_UNVERIFIED for a
 * verification failure, else EXIT_BAD.
 */
int keyio_report(const char *what, const char *path, const char *out, enum sig_error err);

/*
 * A password into sodium_malloc memory (*password_out, NUL-terminated, *len_out bytes, freed
 * with sig_secret_free()). From the terminal without echo, asked twice when confirm; or one
 * line from stdin when stdin is not a terminal. Returns an exit status; reports failures.
 */
int keyio_password_read(bool confirm, char **password_out, size_t *len_out);

/*
 * The trusted keys into *ring (zero-initialised by the caller): every public key file of paths
 * (inputs of batch), every base64 line of b64s, every key of the keyring file keyring (NULL:
 * none); or, when none of them is given, the keys embedded in heart (the caller checks that
 * heart has one). Returns an exit status; reports failures.
 */
int keyio_keyring_load(struct fio_batch *batch, const struct opt_list *paths,
		       const struct opt_list *b64s, const char *keyring, struct sig_keyring *ring);

/* The embedded release keys (comma-separated base64 lines) into *ring. */
enum sig_error keyio_release_keys(struct sig_keyring *ring);

/* The secret key at path (an input of batch), unlocked (asking for its password when it is
 * encrypted). *key_out is the caller's (sig_secret_key_destroy). Returns an exit status. */
int keyio_secret_load(struct fio_batch *batch, const char *path, struct sig_secret_key **key_out);

/* The trusted comment to sign with: given (checked), else the default for name followed by
 * fields when fields is not NULL (sig_structured_trusted_comment()), else minisign's default
 * for name; malloc'd into *comment_out either way. Returns an exit status; reports failures,
 * naming the bad field. */
int keyio_trusted_comment(const char *given, const struct sig_comment_fields *fields,
			  const char *name, char **comment_out);

/* Open path as an output of batch for what signing writes (signatures, artifacts): mode
 * 0644, durable. Returns an exit status; reports failures. */
int keyio_output(struct fio_batch *batch, const char *path, struct fio_out **out_out);

/* Sign digest and write the signature file's text to out, an output of batch (named path).
 * Returns an exit status; reports failures. */
int keyio_signature_write(struct fio_batch *batch, struct fio_out *out, const char *path,
			  const struct sig_secret_key *key, const uint8_t digest[SIG_DIGEST_BYTES],
			  const char *untrusted, const char *trusted);

/* path + suffix (".minisig", ".zst") into a malloc'd string, or NULL when out of memory
 * (reported). */
char *keyio_path_suffix(const char *path, const char *suffix);
