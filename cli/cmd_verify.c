#include <errno.h>
#include <fcntl.h>
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
			   .help = "signature file (default FILE.minisig)"},
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
	return CLI_CONTINUE;
}

static int load_signature(const char *path, struct sig_signature *sig)
{
	char *text = NULL;
	size_t len;
	enum sig_error err = sig_file_read(path, SIG_FILE_MAX, false, &text, &len);
	if (err == SIG_OK)
		err = sig_signature_parse(text, len, sig);
	free(text);
	return err == SIG_OK ? EXIT_OK : keyio_report("signature", path, err);
}

/* Verify what fd holds; copy_fd (or -1) receives exactly the bytes that were checked. */
static int check_file(const struct verify_opts *o, const struct sig_public_key *key,
		      const struct sig_signature *sig, int fd, int copy_fd)
{
	uint8_t digest[SIG_DIGEST_BYTES];
	char *data = NULL;
	size_t len = 0;
	enum sig_error err;

	if (sig->legacy) {
		err = sig_fd_read(fd, LEGACY_FILE_MAX, false, &data, &len);
		if (err != SIG_OK)
			return keyio_report("file", o->file, err);
		err = sig_verify(key, sig, NULL, (const uint8_t *)data, len, true);
		free(data);
	} else {
		err = sig_hash_fd(fd, copy_fd, digest);
		if (err != SIG_OK)
			return keyio_report("file", o->file, err);
		err = sig_verify(key, sig, digest, NULL, 0, o->legacy);
	}
	return err == SIG_OK ? EXIT_OK : keyio_report("file", o->file, err);
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

/* Unpack the verified private copy into a temporary file beside OUT, then rename it. */
static int extract(const struct verify_opts *o, int copy_fd)
{
	struct sig_temp temp;
	enum sig_error err = sig_temp_create(o->extract, &temp);
	if (err != SIG_OK)
		return keyio_report("output", o->extract, err);
	if (lseek(copy_fd, 0, SEEK_SET) != 0)
		err = SIG_ERR_IO;
	else
		err = sig_unpack(copy_fd, temp.fd, (uint64_t)o->max_size, NULL);
	if (err != SIG_OK) {
		sig_temp_abort(&temp);
		return keyio_report("artifact", o->file, err);
	}
	err = sig_temp_commit(&temp, 0755, true);
	return err == SIG_OK ? EXIT_OK : keyio_report("output", o->extract, err);
}

static int open_copy(const struct verify_opts *o, int *copy_fd)
{
	char *dir = NULL;
	*copy_fd = -1;
	if (!o->extract)
		return EXIT_OK;
	enum sig_error err = sig_dir_name(o->extract, &dir);
	if (err == SIG_OK)
		err = sig_anonymous_file(dir, copy_fd);
	int status = err == SIG_OK ? EXIT_OK : keyio_report("output directory", dir ? dir : "",
							    err);
	free(dir);
	return status;
}

static int verify(const struct verify_opts *o, const struct sig_public_key *key,
		  const struct sig_signature *sig)
{
	int copy_fd = -1;
	int fd = open(o->file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return keyio_report("file", o->file, SIG_ERR_IO);
	int status = open_copy(o, &copy_fd);
	if (status == EXIT_OK)
		status = check_file(o, key, sig, fd, copy_fd);
	close(fd);
	if (status == EXIT_OK && o->extract)
		status = extract(o, copy_fd);
	if (copy_fd >= 0)
		close(copy_fd);
	return status;
}

static int run(int argc, char **argv)
{
	struct verify_opts o;
	struct sig_public_key key;
	struct sig_signature *sig = NULL;
	char *sig_path = NULL;
	int status = parse(argc, argv, &o);

	if (status != CLI_CONTINUE)
		return status;
	status = keyio_public_load(o.pub_path, o.pub_b64, &key);
	if (status != EXIT_OK)
		return status;
	status = EXIT_BAD;
	sig = malloc(sizeof(*sig));
	sig_path = o.sig_path ? strdup(o.sig_path) : keyio_path_suffix(o.file, ".minisig");
	if (!sig || !sig_path)
		goto out;
	status = load_signature(sig_path, sig);
	if (status != EXIT_OK)
		goto out;
	/* Key id, legacy policy and the comment's signature need no file: fail early. */
	enum sig_error err = sig_verify_header(&key, sig, o.legacy);
	if (err != SIG_OK) {
		status = keyio_report("signature", sig_path, err);
		goto out;
	}
	status = verify(&o, &key, sig);
	if (status == EXIT_OK && !o.quiet) {
		puts("Signature and comment signature verified");
		print_trusted(sig->trusted_comment);
		if (fflush(stdout) != 0)
			status = EXIT_BAD;
	}
out:
	free(sig_path);
	free(sig);
	return status;
}
