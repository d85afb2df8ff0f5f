#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "keyio.h"
#include "release_key.h"

static int run(int argc, char **argv);

enum { LEGACY_FILE_MAX = 256 << 20 }; /* legacy signatures need the whole file in memory */

struct verify_opts {
	const char *pub_path;
	const char *pub_b64;
	const char *sig_path;
	const char *extract;
	bool quiet;
	bool legacy;
	long max_size;
	const char *file;
};

enum { OPT_PUBLIC, OPT_PUBLIC_KEY, OPT_SIGNATURE, OPT_QUIET, OPT_LEGACY, OPT_EXTRACT,
       OPT_MAX_SIZE };
enum { EXCLUSIVE_KEY = 1, EXCLUSIVE_HASHED };

static const struct opt_spec opts[] = {
	[OPT_PUBLIC] = {.name = "public", .short_name = 'p', .kind = ARG_PATH,
			.value_name = "FILE", .offset = offsetof(struct verify_opts, pub_path),
			.exclusive = EXCLUSIVE_KEY, .help = "public key file"},
	[OPT_PUBLIC_KEY] = {.name = "public-key", .short_name = 'P', .kind = ARG_TEXT,
			    .value_name = "KEY", .offset = offsetof(struct verify_opts, pub_b64),
			    .exclusive = EXCLUSIVE_KEY,
			    .help = "public key as its base64 line (RW...) (neither: the release "
				    "key built into heart, if any)"},
	[OPT_SIGNATURE] = {.name = "signature", .short_name = 'x', .kind = ARG_PATH,
			   .value_name = "FILE", .offset = offsetof(struct verify_opts, sig_path),
			   .help = "signature file (default FILE.minisig; needed when FILE is -, "
				   "standard input)"},
	[OPT_QUIET] = {.name = "quiet", .short_name = 'q', .kind = ARG_FLAG,
		       .offset = offsetof(struct verify_opts, quiet),
		       .help = "print nothing on success"},
	[OPT_LEGACY] = {.name = "legacy", .kind = ARG_FLAG,
			.offset = offsetof(struct verify_opts, legacy), .exclusive = EXCLUSIVE_HASHED,
			.help = "also accept legacy (unhashed) signatures"},
	[OPT_EXTRACT] = {.name = "extract", .kind = ARG_PATH, .value_name = "OUT",
			 .offset = offsetof(struct verify_opts, extract),
			 .exclusive = EXCLUSIVE_HASHED,
			 .help = "after verifying, unpack the zstd artifact to OUT (mode 0755, "
				 "replaced atomically; untouched on failure)"},
	[OPT_MAX_SIZE] = {.name = "max-size", .kind = ARG_LONG, .value_name = "BYTES",
			  .offset = offsetof(struct verify_opts, max_size), .min = 1,
			  .max = (double)(1L << 62),
			  .help = "refuse to unpack more (default 1073741824)"},
};

const struct command cmd_verify = {
	.name = "verify",
	.summary = "verify a file's minisign signature, optionally unpack it",
	.synopsis = "heart verify [-p PUB | -P KEY] [-x SIGFILE] [-q] [--legacy] FILE\n"
		    "heart verify [-p PUB | -P KEY] [-x SIGFILE] [-q] --extract OUT\n"
		    "             [--max-size BYTES] ARTIFACT.zst",
	.description = "Check FILE against FILE.minisig and print the trusted comment.\n",
	.opts = opts,
	.n_opts = sizeof(opts) / sizeof(opts[0]),
	.operands = {"FILE", 1, 1},
	.epilog = "Exit status: 0 verified, 1 did not verify, 2 malformed input or I/O error.\n",
	.run = run,
};

static int parse(int argc, char **argv, struct verify_opts *o)
{
	struct arg_result r;

	*o = (struct verify_opts){.max_size = 1L << 30};
	int const status = arg_parse(&cmd_verify, argc, argv, o, &r);
	if (status != CLI_CONTINUE)
		return status;
	o->file = r.operands[0];
	if (!o->pub_path && !o->pub_b64 && heart_release_pubkey[0] == '\0')
		return cli_usage_error(&cmd_verify, "no public key: give -p FILE or -P KEY (this "
						    "heart has no embedded release key)");
	if (arg_given(&r, OPT_MAX_SIZE) && !o->extract)
		return cli_usage_error(&cmd_verify, "--max-size goes with --extract");
	if (strcmp(o->file, "-") == 0 && !o->sig_path)
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

/* A legacy signature covers the whole file: read it into memory (at most LEGACY_FILE_MAX). */
static int check_legacy(const struct verify_opts *o, const struct sig_public_key *key,
			const struct sig_signature *sig, int fd)
{
	size_t len = 0;
	char *data = malloc((size_t)LEGACY_FILE_MAX + 1);
	int const code = data ? fio_read_all(fd, data, (size_t)LEGACY_FILE_MAX + 1, &len) : ENOMEM;
	if (code != 0) {
		free(data);
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
	enum sig_error err = sig_hash_fd(fd, copy_fd, digest);
	if (err == SIG_OK)
		err = sig_verify(key, sig, digest, NULL, 0, o->legacy);
	return err == SIG_OK ? EXIT_OK : keyio_report("file", o->file, o->extract, err);
}

/* The trusted comment, with every byte a terminal could act on escaped. */
static void print_trusted(const char *comment)
{
	fputs("Trusted comment: ", stdout);
	for (const unsigned char *c = (const unsigned char *)comment; *c; c++) {
		if (*c == '\\')
			fputs("\\\\", stdout);
		else if ((*c >= 0x20 && *c < 0x7f) || *c == '\t')
			putchar(*c);
		else
			printf("\\x%02x", *c);
	}
	putchar('\n');
}

/* Unpack the verified private copy into OUT's output, then commit it. */
static int extract(const struct verify_opts *o, struct fio_batch *batch, struct fio_out *out,
		   int copy_fd)
{
	enum sig_error err = SIG_OK;
	if (lseek(copy_fd, 0, SEEK_SET) != 0)
		err = SIG_ERR_IO;
	else
		err = sig_unpack(copy_fd, fio_out_fd(out), (uint64_t)o->max_size, NULL);
	if (err != SIG_OK)
		return keyio_report("artifact", o->file, o->extract, err);
	return cli_commit(batch);
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
		status = extract(o, batch, out, copy_fd);
	if (copy_fd >= 0)
		close(copy_fd);
	return status;
}

static int run(int argc, char **argv)
{
	struct verify_opts o;
	struct sig_public_key key;
	struct sig_signature *sig = NULL;
	struct fio_batch *batch = NULL;
	char *sig_path = NULL;
	int status = parse(argc, argv, &o);

	if (status != CLI_CONTINUE)
		return status;
	if (!fio_batch_create(&batch)) {
		cli_error("out of memory");
		return EXIT_BAD;
	}
	status = keyio_public_load(batch, o.pub_path, o.pub_b64, &key);
	if (status != EXIT_OK)
		goto out;
	status = EXIT_BAD;
	sig = malloc(sizeof(*sig));
	sig_path = o.sig_path ? strdup(o.sig_path) : keyio_path_suffix(o.file, ".minisig");
	if (!sig || !sig_path)
		goto out;
	status = load_signature(batch, sig_path, sig);
	if (status != EXIT_OK)
		goto out;
	/* Key id, legacy policy and the comment's signature need no file: fail early. */
	enum sig_error err = sig_verify_header(&key, sig, o.legacy);
	if (err != SIG_OK) {
		status = keyio_report("signature", sig_path, NULL, err);
		goto out;
	}
	status = verify(&o, batch, &key, sig);
	if (status == EXIT_OK && !o.quiet) {
		puts("Signature and comment signature verified");
		print_trusted(sig->trusted_comment);
		if (fflush(stdout) != 0)
			status = EXIT_BAD;
	}
out:
	fio_batch_destroy(batch);
	free(sig_path);
	free(sig);
	return status;
}
