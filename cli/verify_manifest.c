/* heart verify --manifest: a signed SHA256SUMS, then the SHA-256 of each file it lists. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keyio.h"
#include "verify.h"

/* The manifest's text (malloc'd into *text_out), verified against sig with key. */
static int manifest_load(const struct verify_opts *o, struct fio_batch *batch,
			 const struct sig_public_key *key, const struct sig_signature *sig,
			 char **text_out, size_t *len_out)
{
	uint8_t digest[SIG_DIGEST_BYTES];
	struct sig_hasher *h = NULL;
	char *const text = malloc((size_t)SIG_MANIFEST_MAX + 1);
	*text_out = NULL;
	if (!text || sig_hasher_create(&h) != SIG_OK) {
		free(text);
		cli_error("out of memory");
		return EXIT_BAD;
	}
	if (!fio_batch_read(batch, o->manifest, text, (size_t)SIG_MANIFEST_MAX + 1, len_out)) {
		sig_hasher_destroy(h);
		free(text);
		return cli_file_error(fio_batch_error(batch), "manifest");
	}
	sig_hasher_update(h, text, *len_out);
	sig_hasher_final(h, digest);
	sig_hasher_destroy(h);
	enum sig_error const err = sig_verify(key, sig, digest, NULL, 0, false);
	if (err != SIG_OK) {
		free(text);
		return keyio_report("manifest", o->manifest, NULL, err);
	}
	*text_out = text;
	return EXIT_OK;
}

/* dir (with its "/", or "") + name, malloc'd; NULL after reporting. */
static char *beside(const char *manifest, const char *name)
{
	const char *const slash = strrchr(manifest, '/');
	size_t const dlen = slash ? (size_t)(slash - manifest) + 1 : 0;
	size_t const size = dlen + strlen(name) + 1;
	char *const path = malloc(size);
	if (!path)
		cli_error("out of memory");
	else
		snprintf(path, size, "%.*s%s", (int)dlen, manifest, name);
	return path;
}

enum check_result { CHECK_OK, CHECK_FAILED, CHECK_SKIPPED, CHECK_ERROR };

/* A listed file's line: "NAME: OK", "NAME: FAILED[ why]", or with --json its object (the
 * manifest's signature vouches for it). failed NULL: OK. */
static void entry_print(const struct verify_opts *o, const struct sig_signature *sig,
			const char *name, const char *failed)
{
	if (o->json)
		verify_json_object(name, sig, true, failed);
	else if (failed)
		printf("%s: FAILED%s%s\n", name, *failed ? " " : "", failed);
	else if (!o->quiet)
		printf("%s: OK\n", name);
}

/* One listed file: "NAME: OK" or "NAME: FAILED" (why on stderr). named: given as FILE. */
static enum check_result check_entry(const struct verify_opts *o, struct fio_batch *batch,
				     const struct sig_signature *sig,
				     const struct sig_manifest_entry *e, bool named)
{
	uint8_t sum[SIG_SHA256_BYTES];
	int fd;
	char *const path = beside(o->manifest, e->name);
	if (!path)
		return CHECK_ERROR;
	bool const opened = fio_batch_input(batch, path, FIO_IN_REGULAR, &fd);
	free(path);
	if (!opened && fio_batch_error(batch)->code == ENOENT && o->ignore_missing && !named)
		return CHECK_SKIPPED;
	enum sig_error const err = opened ? sig_sha256_fd(fd, sum) : SIG_ERR_IO;
	if (opened)
		close(fd);
	if (!opened || err != SIG_OK) {
		if (!opened)
			cli_file_error(fio_batch_error(batch), "file");
		else
			keyio_report("file", e->name, NULL, err);
		entry_print(o, sig, e->name, o->json ? cli_last_error() : "open or read");
		return CHECK_FAILED;
	}
	if (memcmp(sum, e->sha256, sizeof(sum)) != 0) {
		entry_print(o, sig, e->name, o->json ? "SHA-256 differs from the manifest's" : "");
		return CHECK_FAILED;
	}
	entry_print(o, sig, e->name, NULL);
	return CHECK_OK;
}

/* Every listed file, or the named ones; exit 1 when any fails or none was checked. */
static int check_manifest(const struct verify_opts *o, struct fio_batch *batch,
			  const struct sig_signature *sig, const struct sig_manifest *m)
{
	size_t failed = 0, checked = 0;
	size_t const n = o->n_files > 0 ? (size_t)o->n_files : sig_manifest_count(m);
	for (size_t i = 0; i < n; i++) {
		const struct sig_manifest_entry *e = o->n_files > 0
							     ? sig_manifest_find(m, o->files[i])
							     : sig_manifest_entry(m, i);
		if (!e && o->json) {
			entry_print(o, sig, o->files[i], "not in the manifest");
			failed++;
			continue;
		}
		if (!e) {
			printf("%s: FAILED not in the manifest\n", quote(o->files[i]).s);
			failed++;
			continue;
		}
		enum check_result const r = check_entry(o, batch, sig, e, o->n_files > 0);
		if (r == CHECK_ERROR)
			return EXIT_BAD;
		failed += r == CHECK_FAILED;
		checked += r == CHECK_OK;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write standard output: %s", strerror(errno));
		return EXIT_BAD;
	}
	if (failed > 0)
		cli_error("manifest '%s': %zu of %zu files FAILED", quote(o->manifest).s, failed,
			  n);
	else if (checked == 0)
		cli_error("manifest '%s': no file was verified", quote(o->manifest).s);
	return failed > 0 || checked == 0 ? EXIT_UNVERIFIED : EXIT_OK;
}

int verify_manifest(const struct verify_opts *o, struct fio_batch *batch,
		    const struct sig_public_key *key, const struct sig_signature *sig)
{
	struct sig_manifest *m = NULL;
	char *text;
	size_t len, line;
	int status = manifest_load(o, batch, key, sig, &text, &len);
	if (status != EXIT_OK)
		return status;
	enum sig_error const err = sig_manifest_parse(text, len, &m, &line);
	free(text);
	if (err != SIG_OK) {
		cli_error("manifest '%s': line %zu: %s", quote(o->manifest).s, line,
			  sig_strerror(err));
		return EXIT_BAD;
	}
	status = verify_report(o, sig);
	if (status == EXIT_OK)
		status = check_manifest(o, batch, sig, m);
	sig_manifest_destroy(m);
	return status;
}
