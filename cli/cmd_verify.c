#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "keyio.h"
#include "release_key.h"

static int run(int argc, char **argv);

enum { LEGACY_FILE_MAX = 256 << 20 }; /* legacy signatures need the whole file in memory */

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

enum {
	OPT_PUBLIC,
	OPT_PUBLIC_KEY,
	OPT_KEYRING,
	OPT_SIGNATURE,
	OPT_QUIET,
	OPT_LEGACY,
	OPT_EXTRACT,
	OPT_MAX_SIZE,
	OPT_PRODUCT,
	OPT_ARCH,
	OPT_MIN_VERSION,
	OPT_MAX_AGE,
	OPT_JSON,
	OPT_MANIFEST,
	OPT_IGNORE_MISSING
};
enum { EXCLUSIVE_HASHED = 1, EXCLUSIVE_OUTPUT };

static bool check_version(const char *opt, const char *value)
{
	int cmp;
	if (sig_version_compare(value, strlen(value), "0.0.0", 5, &cmp) == SIG_OK)
		return true;
	cli_error("%s: '%s' is not a semantic version (MAJOR.MINOR.PATCH[-PRE][+BUILD])", opt,
		  quote(value).s);
	return false;
}

static bool check_max_age(const char *opt, const char *value)
{
	long long seconds;
	if (sig_duration_parse(value, &seconds))
		return true;
	cli_error("%s: '%s' is not a duration (SECONDSs, MINUTESm, HOURSh, DAYSd or WEEKSw, "
		  "at most 36500 days)",
		  opt, quote(value).s);
	return false;
}

static const struct opt_spec opts[] = {
	[OPT_PUBLIC] = {.name = "public",
			.short_name = 'p',
			.kind = ARG_PATH,
			.flags = ARG_REPEAT,
			.value_name = "FILE",
			.offset = offsetof(struct verify_opts, pub_paths),
			.help = "a trusted public key file (may be repeated)"},
	[OPT_PUBLIC_KEY] = {.name = "public-key",
			    .short_name = 'P',
			    .kind = ARG_TEXT,
			    .flags = ARG_REPEAT,
			    .value_name = "KEY",
			    .offset = offsetof(struct verify_opts, pub_b64s),
			    .help = "a trusted public key as its base64 line (RW...) (may be "
				    "repeated)"},
	[OPT_KEYRING] =
		{.name = "keyring",
		 .kind = ARG_PATH,
		 .value_name = "FILE",
		 .offset = offsetof(struct verify_opts, keyring),
		 .help = "a file of trusted public keys (public key files one after the "
			 "other; # comments). Keys from -p, -P and --keyring together are "
			 "the trusted set; none of them: the release keys built into heart, if "
			 "any. The signature's key id chooses the key"},
	[OPT_SIGNATURE] = {.name = "signature",
			   .short_name = 'x',
			   .kind = ARG_PATH,
			   .value_name = "FILE",
			   .offset = offsetof(struct verify_opts, sig_path),
			   .help = "signature file (default FILE.minisig; needed when FILE is -, "
				   "standard input)"},
	[OPT_QUIET] = {.name = "quiet",
		       .short_name = 'q',
		       .kind = ARG_FLAG,
		       .offset = offsetof(struct verify_opts, quiet),
		       .exclusive = EXCLUSIVE_OUTPUT,
		       .help = "print nothing on success"},
	[OPT_LEGACY] = {.name = "legacy",
			.kind = ARG_FLAG,
			.offset = offsetof(struct verify_opts, legacy),
			.exclusive = EXCLUSIVE_HASHED,
			.help = "also accept legacy (unhashed) signatures"},
	[OPT_EXTRACT] = {.name = "extract",
			 .kind = ARG_PATH,
			 .value_name = "OUT",
			 .offset = offsetof(struct verify_opts, extract),
			 .exclusive = EXCLUSIVE_HASHED,
			 .help = "after verifying, unpack the zstd artifact to OUT (mode 0755, "
				 "replaced atomically; untouched on failure)"},
	[OPT_MAX_SIZE] = {.name = "max-size",
			  .kind = ARG_LONG,
			  .value_name = "BYTES",
			  .offset = offsetof(struct verify_opts, max_size),
			  .min = 1,
			  .max = (double)(1L << 62),
			  .help = "refuse to unpack more, and stop reading an artifact larger than "
				  "such a frame can be (default 1073741824)"},
	[OPT_PRODUCT] = {.name = "product",
			 .kind = ARG_TEXT,
			 .value_name = "NAME",
			 .offset = offsetof(struct verify_opts, product),
			 .help = "require the release policy's product to be NAME (policy is "
				 "read only from the form heart pack writes: see heart(1))"},
	[OPT_ARCH] = {.name = "arch",
		      .kind = ARG_TEXT,
		      .value_name = "ARCH",
		      .offset = offsetof(struct verify_opts, arch),
		      .help = "require the release policy's arch to be ARCH"},
	[OPT_MIN_VERSION] = {.name = "min-version",
			     .kind = ARG_TEXT,
			     .value_name = "VERSION",
			     .offset = offsetof(struct verify_opts, min_version),
			     .check = check_version,
			     .help = "require the release policy's version to be this semantic "
				     "version or a later one (refuses rollbacks). Policy failures "
				     "are exit 1, found before the file is read"},
	[OPT_MAX_AGE] = {.name = "max-age",
			 .kind = ARG_TEXT,
			 .value_name = "DURATION",
			 .offset = offsetof(struct verify_opts, max_age_text),
			 .check = check_max_age,
			 .help = "require the release policy's timestamp to be at most DURATION "
				 "old (3600s, 12h, 90d, 2w) and at most 300 seconds in the future"},
	[OPT_JSON] = {.name = "json",
		      .kind = ARG_FLAG,
		      .offset = offsetof(struct verify_opts, json),
		      .exclusive = EXCLUSIVE_OUTPUT,
		      .help = "print one JSON object per file on standard output instead (file, "
			      "status, key_id, trusted_comment, trusted, reason); messages stay "
			      "on standard error"},
	[OPT_MANIFEST] = {.name = "manifest",
			  .kind = ARG_PATH,
			  .value_name = "SUMS",
			  .offset = offsetof(struct verify_opts, manifest),
			  .exclusive = EXCLUSIVE_HASHED,
			  .help = "verify the signed manifest SUMS (sha256sum's format, signature "
				  "SUMS.minisig), then the SHA-256 of each file it lists (or only "
				  "the FILEs given), found beside SUMS; one line per file"},
	[OPT_IGNORE_MISSING] = {.name = "ignore-missing",
				.kind = ARG_FLAG,
				.offset = offsetof(struct verify_opts, ignore_missing),
				.help = "with --manifest: skip listed files that do not exist (not "
					"those named as FILE)"},
};

const struct command cmd_verify = {
	.name = "verify",
	.summary = "verify a file's minisign signature, optionally unpack it",
	.synopsis = "heart verify [-p PUB]... [-P KEY]... [--keyring FILE] [-x SIGFILE] [-q]\n"
		    "             [--json] [POLICY] [--legacy] FILE\n"
		    "heart verify [OPTIONS] --extract OUT [--max-size BYTES] ARTIFACT.zst\n"
		    "heart verify [OPTIONS] --manifest SUMS [--ignore-missing] [FILE]...",
	.description = "Check FILE against FILE.minisig and print the trusted comment.\n",
	.opts = opts,
	.n_opts = sizeof(opts) / sizeof(opts[0]),
	.operands = {"FILE", 0, -1},
	.epilog =
		"OPTIONS are those of the first form. POLICY is --product, --arch, --min-version\n"
		"and --max-age: each is read only from a trusted comment in the release policy\n"
		"form that heart pack writes,\n"
		"  heart-policy:1 [product:P] [version:V] [arch:A] timestamp:N file:NAME hashed\n"
		"(tab-separated, in this order), never from a file name or other text.\n"
		"The trusted comment is printed before OUT is replaced; when it cannot be written\n"
		"(standard output closed or full) OUT is left as it was and the exit status is 2.\n"
		"Exit status: 0 verified, 1 did not verify (signature, key id, policy),\n"
		"2 malformed input or I/O error.\n",
	.run = run,
};

static int parse(int argc, char **argv, struct verify_opts *o)
{
	struct arg_result r;

	*o = (struct verify_opts){.max_size = 1L << 30};
	int const status = arg_parse(&cmd_verify, argc, argv, o, &r);
	if (status != CLI_CONTINUE)
		return status;
	if (o->manifest) {
		o->files = r.operands;
		o->n_files = r.n_operands;
	} else if (r.n_operands != 1) {
		return r.n_operands == 0 ? cli_usage_error(&cmd_verify, "missing FILE")
					 : cli_usage_error(&cmd_verify, "unexpected argument '%s'",
							   quote(r.operands[1]).s);
	} else {
		o->file = r.operands[0];
	}
	if (o->max_age_text && !sig_duration_parse(o->max_age_text, &o->max_age))
		return EXIT_BAD; /* checked when parsed: cannot happen */
	if (o->ignore_missing && !o->manifest)
		return cli_usage_error(&cmd_verify, "--ignore-missing goes with --manifest");
	if (o->pub_paths.n == 0 && o->pub_b64s.n == 0 && !o->keyring &&
	    heart_release_pubkey[0] == '\0')
		return cli_usage_error(&cmd_verify, "no public key: give -p FILE, -P KEY or "
						    "--keyring FILE (this heart has no embedded "
						    "release key)");
	if (arg_given(&r, OPT_MAX_SIZE) && !o->extract)
		return cli_usage_error(&cmd_verify, "--max-size goes with --extract");
	if (o->file && strcmp(o->file, "-") == 0 && !o->sig_path)
		return cli_usage_error(&cmd_verify, "FILE '-' (standard input) needs -x SIGFILE");
	return CLI_CONTINUE;
}

static int load_signature(struct fio_batch *batch, const char *path, struct sig_signature *sig)
{
	char text[SIG_FILE_MAX + 1];
	size_t len;
	if (!fio_batch_read(batch, path, text, sizeof(text), &len))
		return cli_file_error(fio_batch_error(batch), "signature");
	enum sig_error const err = sig_signature_parse(text, len, sig);
	return err == SIG_OK ? EXIT_OK : keyio_report("signature", path, NULL, err);
}

/*
 * fd read to its end into *data_out (malloc'd, the caller frees it), at most max bytes: the
 * buffer grows with what is read, so a small file costs little. 0 or an error code (an errno
 * value, FIO_ERR_TOO_BIG).
 */
static int read_bounded(int fd, size_t max, char **data_out, size_t *len_out)
{
	size_t cap = 0, len = 0;
	char *data = NULL;
	int code = 0;
	for (;;) {
		if (len == cap) {
			size_t const next = cap == 0 ? 1 << 16 : cap > max / 2 ? max + 1 : cap * 2;
			char *const grown = next > cap ? realloc(data, next) : NULL;
			if (!grown) {
				code = next > cap ? ENOMEM : FIO_ERR_TOO_BIG;
				break;
			}
			data = grown;
			cap = next;
		}
		ssize_t const n = read(fd, data + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			code = n < 0 ? errno : len > max ? FIO_ERR_TOO_BIG : 0;
			break;
		}
		len += (size_t)n;
	}
	if (code != 0) {
		free(data);
		data = NULL;
	}
	*data_out = data;
	*len_out = len;
	return code;
}

/* A legacy signature covers the whole file: read it into memory (at most LEGACY_FILE_MAX). */
static int check_legacy(const struct verify_opts *o, const struct sig_public_key *key,
			const struct sig_signature *sig, int fd)
{
	size_t len = 0;
	char *data = NULL;
	int const code = read_bounded(fd, LEGACY_FILE_MAX, &data, &len);
	if (code != 0) {
		if (code == FIO_ERR_TOO_BIG)
			return keyio_report("file", o->file, NULL, SIG_ERR_TOO_LONG);
		cli_error("file '%s': %s", quote(o->file).s, fio_strerror(code));
		return EXIT_BAD;
	}
	enum sig_error const err = sig_verify(key, sig, NULL, (const uint8_t *)data, len, true);
	free(data);
	return err == SIG_OK ? EXIT_OK : keyio_report("file", o->file, NULL, err);
}

/* Verify what fd holds; copy_fd (or -1) receives exactly the bytes that were checked. */
static int check_file(const struct verify_opts *o, const struct sig_public_key *key,
		      const struct sig_signature *sig, int fd, int copy_fd)
{
	uint8_t digest[SIG_DIGEST_BYTES];
	if (sig->legacy)
		return check_legacy(o, key, sig, fd);
	/* With --extract, an artifact that cannot unpack within --max-size stops at once: the
	 * private copy beside OUT never grows past that bound. */
	uint64_t const max_len = o->extract ? sig_artifact_max((uint64_t)o->max_size) : UINT64_MAX;
	enum sig_error err = sig_hash_fd(fd, copy_fd, max_len, digest);
	if (err == SIG_OK)
		err = sig_verify(key, sig, digest, NULL, 0, o->legacy);
	return err == SIG_OK ? EXIT_OK : keyio_report("file", o->file, o->extract, err);
}

/* The option a policy failure is about, for its message. */
static const char *policy_option(const struct verify_opts *o, enum sig_policy_error err)
{
	switch (err) {
	case SIG_POLICY_NO_PRODUCT:
	case SIG_POLICY_PRODUCT:
		return "--product";
	case SIG_POLICY_NO_ARCH:
	case SIG_POLICY_ARCH:
		return "--arch";
	case SIG_POLICY_EXPIRED:
	case SIG_POLICY_FUTURE:
		return "--max-age";
	case SIG_POLICY_NONE:
		return o->product       ? "--product"
		       : o->arch        ? "--arch"
		       : o->min_version ? "--min-version"
					: "--max-age";
	default:
		return "--min-version";
	}
}

/* value (len bytes of the policy form's strict alphabet, at most 64) as a string. */
static struct quoted field_text(const char *value, size_t len)
{
	char text[80];
	snprintf(text, sizeof(text), "%.*s", (int)(len < 64 ? len : 64), value);
	return quote(text);
}

/* One line on stderr for a policy failure; returns the exit status. */
static int policy_report(const struct verify_opts *o, const char *sig_path,
			 const struct sig_release *r, enum sig_policy_error err, long long now)
{
	const char *const opt = policy_option(o, err);
	struct quoted const q = quote(sig_path);
	const char *const sig = q.s;
	switch (err) {
	case SIG_POLICY_PRODUCT:
		cli_error("signature '%s': the trusted comment's product is '%s', not '%s' (%s)",
			  sig, field_text(r->product, r->product_len).s, quote(o->product).s, opt);
		break;
	case SIG_POLICY_ARCH:
		cli_error("signature '%s': the trusted comment's arch is '%s', not '%s' (%s)", sig,
			  field_text(r->arch, r->arch_len).s, quote(o->arch).s, opt);
		break;
	case SIG_POLICY_OLDER:
		cli_error("signature '%s': the trusted comment's version %s is older than "
			  "--min-version %s",
			  sig, field_text(r->version, r->version_len).s, quote(o->min_version).s);
		break;
	case SIG_POLICY_EXPIRED:
		cli_error("signature '%s': the trusted timestamp %lld is older than --max-age %s "
			  "(now %lld)",
			  sig, r->timestamp, quote(o->max_age_text).s, now);
		break;
	case SIG_POLICY_FUTURE:
		cli_error("signature '%s': the trusted timestamp %lld is in the future (now %lld, "
			  "%d seconds of clock skew allowed; --max-age)",
			  sig, r->timestamp, now, SIG_POLICY_SKEW);
		break;
	default:
		cli_error("signature '%s': %s (%s)", sig, sig_policy_strerror(err), opt);
		break;
	}
	return err == SIG_POLICY_BAD_MIN ? EXIT_BAD : EXIT_UNVERIFIED;
}

/* The deployment's policy, on the trusted comment once its signature holds. */
static int check_policy(const struct verify_opts *o, const struct sig_signature *sig,
			const char *sig_path)
{
	struct sig_release r;
	bool const has = sig_release_parse(sig->trusted_comment, &r);
	struct sig_policy const policy = {.product = o->product,
					  .arch = o->arch,
					  .min_version = o->min_version,
					  .max_age = o->max_age,
					  .now = (long long)time(NULL)};
	enum sig_policy_error const err = sig_policy_check(&policy, has ? &r : NULL);
	return err == SIG_POLICY_OK ? EXIT_OK : policy_report(o, sig_path, &r, err, policy.now);
}

/* Whether a terminal shows cp as itself: not a control, and not one of the invisible format
 * characters that reorder or hide text (bidirectional overrides, zero-width characters). */
static bool printable(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return cp == '\t';
	return !(cp == 0xad || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
		 (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb));
}

/* The trusted comment: printable UTF-8 as it is, every other byte as \xNN, a backslash as
 * \\, so that a comment can neither drive the terminal nor pass for another. */
static void print_trusted(const char *comment)
{
	size_t const len = strlen(comment);
	fputs("Trusted comment: ", stdout);
	for (size_t i = 0; i < len;) {
		uint32_t cp = 0;
		size_t const n = sig_utf8_char(comment + i, len - i, &cp);
		if (n == 0 || !printable(cp)) {
			for (size_t k = 0; k < (n ? n : 1); k++)
				printf("\\x%02x", (unsigned char)comment[i + k]);
		} else if (cp == '\\') {
			fputs("\\\\", stdout);
		} else {
			fwrite(comment + i, 1, n, stdout);
		}
		i += n ? n : 1;
	}
	putchar('\n');
}

/* Whether a JSON object went out for this run: a failure after one (a manifest's files, a
 * full standard output) adds none. */
static bool json_printed;

/* s (len bytes) as a JSON string: valid UTF-8 as itself, '"' and '\\' escaped, control
 * characters (C0, DEL, C1) and U+2028/U+2029 as \u00XX/\u20XX, each byte of invalid UTF-8
 * as U+FFFD. */
static void json_string(const char *s, size_t len)
{
	putchar('"');
	for (size_t i = 0; i < len;) {
		uint32_t cp = 0;
		size_t const n = sig_utf8_char(s + i, len - i, &cp);
		if (n == 0)
			fputs("\\ufffd", stdout);
		else if (cp == '"' || cp == '\\')
			printf("\\%c", (char)cp);
		else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
			printf("\\u%04x", (unsigned)cp);
		else
			fwrite(s + i, 1, n, stdout);
		i += n ? n : 1;
	}
	putchar('"');
}

static void json_member(const char *name, const char *value, size_t len)
{
	printf(",\"%s\":", name);
	json_string(value, len);
}

/* The policy form's fields as an object, or null. */
static void json_release(const char *comment)
{
	struct sig_release r;
	if (!sig_release_parse(comment, &r)) {
		fputs("null", stdout);
		return;
	}
	printf("{\"timestamp\":%lld", r.timestamp);
	json_member("file", r.file, r.file_len);
	if (r.product)
		json_member("product", r.product, r.product_len);
	if (r.version)
		json_member("version", r.version, r.version_len);
	if (r.arch)
		json_member("arch", r.arch, r.arch_len);
	putchar('}');
}

/* One line: file's object. sig NULL: no signature was read; authentic: its trusted comment
 * verified (else the comment and its fields are null). reason NULL: verified. */
static void json_object(const char *file, const struct sig_signature *sig, bool authentic,
			const char *reason)
{
	char hex[17];
	fputs("{\"file\":", stdout);
	json_string(file, strlen(file));
	printf(",\"status\":\"%s\",\"key_id\":", reason ? "failed" : "verified");
	if (sig) {
		sig_key_id_hex(sig->key_id, hex);
		printf("\"%s\"", hex);
	} else {
		fputs("null", stdout);
	}
	fputs(",\"trusted_comment\":", stdout);
	if (authentic) {
		json_string(sig->trusted_comment, strlen(sig->trusted_comment));
		fputs(",\"trusted\":", stdout);
		json_release(sig->trusted_comment);
	} else {
		fputs("null,\"trusted\":null", stdout);
	}
	if (reason)
		json_member("reason", reason, strlen(reason));
	puts("}");
	json_printed = true;
}

/* What a verified file prints, flushed: an error writing it is exit 2, found before OUT is
 * committed. */
static int report(const struct verify_opts *o, const struct sig_signature *sig)
{
	if (o->json && !o->manifest) {
		json_object(o->file, sig, true, NULL);
	} else if (!o->quiet && !o->json) {
		puts("Signature and comment signature verified");
		print_trusted(sig->trusted_comment);
	} else {
		return EXIT_OK;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write standard output: %s", strerror(errno));
		return EXIT_BAD;
	}
	return EXIT_OK;
}

/* Unpack the verified private copy into OUT's output, report, then commit it. */
static int extract(const struct verify_opts *o, const struct sig_signature *sig,
		   struct fio_batch *batch, struct fio_out *out, int copy_fd)
{
	enum sig_error err = SIG_OK;
	if (lseek(copy_fd, 0, SEEK_SET) != 0)
		err = SIG_ERR_IO;
	else
		err = sig_unpack(copy_fd, fio_out_fd(out), (uint64_t)o->max_size, NULL);
	if (err != SIG_OK)
		return keyio_report("artifact", o->file, o->extract, err);
	int const status = report(o, sig);
	return status == EXIT_OK ? cli_commit(batch) : status;
}

/*
 * The artifact, and with --extract the output and a private copy beside it: everything open
 * before anything is written, so an OUT that is the artifact, its signature or the key is
 * refused first.
 */
static int verify(const struct verify_opts *o, struct fio_batch *batch,
		  const struct sig_public_key *key, const struct sig_signature *sig)
{
	struct fio_out_opts const out_opts = {.mode = 0755, .durable = true};
	struct fio_out *out = NULL;
	int fd, copy_fd = -1;
	unsigned const flags = FIO_IN_STREAM | (o->sig_path ? FIO_IN_DASH : 0);
	if (!fio_batch_input(batch, o->file, flags, &fd))
		return cli_file_error(fio_batch_error(batch), "file");
	int status = EXIT_OK;
	if (o->extract && (!fio_batch_output(batch, o->extract, &out_opts, &out) ||
			   !fio_out_scratch(batch, out, &copy_fd)))
		status = cli_file_error(fio_batch_error(batch), NULL);
	if (status == EXIT_OK)
		status = check_file(o, key, sig, fd, copy_fd);
	close(fd);
	if (status == EXIT_OK && out)
		status = extract(o, sig, batch, out, copy_fd);
	else if (status == EXIT_OK)
		status = report(o, sig);
	if (copy_fd >= 0)
		close(copy_fd);
	return status;
}

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
		json_object(name, sig, true, failed);
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

/* --manifest: the manifest's signature, then its lines, then the files. */
static int verify_manifest(const struct verify_opts *o, struct fio_batch *batch,
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
	status = report(o, sig);
	if (status == EXIT_OK)
		status = check_manifest(o, batch, sig, m);
	sig_manifest_destroy(m);
	return status;
}

static int run(int argc, char **argv)
{
	struct verify_opts o;
	struct sig_keyring *ring = NULL;
	const struct sig_public_key *key;
	struct sig_signature *sig = NULL;
	struct fio_batch *batch = NULL;
	char *sig_path = NULL;
	bool sig_read = false, authentic = false;
	int status = parse(argc, argv, &o);

	if (status != CLI_CONTINUE)
		return status;
	if (!fio_batch_create(&batch)) {
		cli_error("out of memory");
		return EXIT_BAD;
	}
	status = EXIT_BAD;
	ring = calloc(1, sizeof(*ring));
	if (!ring)
		goto out;
	status = keyio_keyring_load(batch, &o.pub_paths, &o.pub_b64s, o.keyring, ring);
	if (status != EXIT_OK)
		goto out;
	status = EXIT_BAD;
	sig = calloc(1, sizeof(*sig));
	sig_path = o.sig_path ? strdup(o.sig_path)
			      : keyio_path_suffix(o.manifest ? o.manifest : o.file, ".minisig");
	if (!sig || !sig_path)
		goto out;
	json_printed = false;
	status = load_signature(batch, sig_path, sig);
	if (status != EXIT_OK)
		goto out;
	sig_read = true;
	/* The key id chooses the one key to check: never each key in turn. */
	key = sig_keyring_find(ring, sig->key_id);
	if (!key) {
		char hex[17];
		sig_key_id_hex(sig->key_id, hex);
		cli_error("signature '%s': signed with key id %s, which is not a trusted key",
			  quote(sig_path).s, hex);
		status = EXIT_UNVERIFIED;
		goto out;
	}
	/* Key id, legacy policy and the comment's signature need no file: fail early. */
	enum sig_error err = sig_verify_header(key, sig, o.legacy);
	if (err != SIG_OK) {
		status = keyio_report("signature", sig_path, NULL, err);
		goto out;
	}
	/* The trusted comment is authentic now: the policy fails before the file is read. */
	authentic = true;
	status = check_policy(&o, sig, sig_path);
	if (status == EXIT_OK)
		status = o.manifest ? verify_manifest(&o, batch, key, sig)
				    : verify(&o, batch, key, sig);
out:
	if (o.json && status != EXIT_OK && !json_printed) {
		json_object(o.manifest ? o.manifest : o.file, sig_read ? sig : NULL, authentic,
			    status == EXIT_BAD && !*cli_last_error() ? "out of memory"
								     : cli_last_error());
		fflush(stdout);
	}
	fio_batch_destroy(batch);
	free(sig_path);
	free(sig);
	free(ring);
	return status;
}
