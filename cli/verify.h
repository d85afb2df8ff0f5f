#pragma once

/*
 * heart verify in three files: cmd_verify.c (options, one file, the release policy),
 * verify_manifest.c (signed SHA256SUMS manifests), verify_output.c (what goes to standard
 * output: the trusted comment, JSON). Private to cli/.
 */

#include <stdbool.h>

#include "args.h"
#include "cli.h"
#include "fileio.h"
#include "signing.h"

struct verify_opts {
	struct opt_list pub_paths;
	struct opt_list pub_b64s;
	const char *keyring;
	const char *sig_path;
	const char *extract;
	bool quiet;
	bool legacy;
	long max_size;
	const char *product;
	const char *arch;
	const char *min_version;
	const char *max_age_text;
	long long max_age; /* seconds, 0: none */
	bool json;
	const char *manifest;
	bool ignore_missing;
	const char *file;
	char **files; /* --manifest: the names to check (none: every listed file) */
	int n_files;
};

/* What a verified file (or manifest) prints, flushed: an error writing it is exit 2 (reported),
 * found before anything is committed. EXIT_OK or EXIT_BAD. */
int verify_report(const struct verify_opts *o, const struct sig_signature *sig);

/*
 * One JSON object on a line for file. sig NULL: no signature was read; authentic: its trusted
 * comment verified (else the comment and its fields are null). reason NULL: verified.
 */
void verify_json_object(const char *file, const struct sig_signature *sig, bool authentic,
			const char *reason);
/* Forget, or ask, whether verify_json_object() printed anything in this run: a failure after
 * one (a manifest's files, a full standard output) adds none. */
void verify_json_reset(void);
bool verify_json_printed(void);

/* --manifest: the manifest's signature (with key), then its lines, then the files. Returns the
 * exit status. */
int verify_manifest(const struct verify_opts *o, struct fio_batch *batch,
		    const struct sig_public_key *key, const struct sig_signature *sig);
