#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "keyio.h"

static int run(int argc, char **argv);

const struct command cmd_verify = {
	.name = "verify",
	.summary = "verify a file's minisign signature, optionally unpack it",
	.usage = "Usage: heart verify [-p PUB | -P KEY] [-x SIGFILE] [-q] [--legacy] FILE\n"
		 "       heart verify [-p PUB | -P KEY] [-x SIGFILE] [-q] --extract OUT\n"
		 "                    [--max-size BYTES] ARTIFACT.zst\n"
		 "Check FILE against FILE.minisig and print the trusted comment.\n\n"
		 "  -p, --public FILE     public key file\n"
		 "  -P, --public-key KEY  public key as its base64 line (RW...)\n"
		 "                        (neither: the release key built into heart, if any)\n"
		 "  -x, --signature FILE  signature file (default FILE.minisig; needed when FILE\n"
		 "                        is -, standard input)\n"
		 "  -q, --quiet           print nothing on success\n"
		 "      --legacy          also accept legacy (unhashed) signatures\n"
		 "      --extract OUT     after verifying, unpack the zstd artifact to OUT\n"
		 "                        (mode 0755, replaced atomically; untouched on failure)\n"
		 "      --max-size BYTES  refuse to unpack more (default 1073741824)\n\n"
		 "Exit status: 0 verified, 1 did not verify, 2 malformed input or I/O error.\n",
	.run = run,
};

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

static int parse_option(struct verify_opts *o, int id, const char *value)
{
	switch (id) {
	case 0: o->pub_path = value; break;
	case 1: o->pub_b64 = value; break;
	case 2: o->sig_path = value; break;
	case 3: o->quiet = true; break;
	case 4: o->legacy = true; break;
	case 5: o->extract = value; break;
	default:
		if (!arg_long("verify: --max-size", value, 1, 1L << 62, &o->max_size)) {
			fputs("Try 'heart --help'.\n", stderr);
			return EXIT_BAD;
		}
	}
	return EXIT_OK;
}

static int parse(int argc, char **argv, struct verify_opts *o)
{
	static const struct arg_opt opts[] = {
		{"public", 'p', true}, {"public-key", 'P', true}, {"signature", 'x', true},
		{"quiet", 'q', false}, {"legacy", 0, false},     {"extract", 0, true},
		{"max-size", 0, true},
	};
	struct arg_parser p;
	const char *value;
	int id;

	*o = (struct verify_opts){.max_size = 1L << 30};
	arg_init(&p, &cmd_verify, argc, argv, opts, 7);
	while ((id = arg_next(&p, &value)) != ARG_DONE) {
		if (id == ARG_STOP)
			return p.status;
		if (id == ARG_OPERAND && o->file)
			return cli_usage_error("verify: one FILE only, got '%s' too", quote(value).s);
		if (id == ARG_OPERAND)
			o->file = value;
		else if (parse_option(o, id, value) != EXIT_OK)
			return EXIT_BAD;
	}
	if (!o->file)
		return cli_usage_error("verify: no file to verify");
	if (o->pub_path && o->pub_b64)
		return cli_usage_error("verify: give -p or -P, not both");
	if (o->extract && o->legacy)
		return cli_usage_error("verify: --extract needs a hashed signature, not --legacy");
	if (p.seen & (1ULL << 6) && !o->extract)
		return cli_usage_error("verify: --max-size goes with --extract");
	if (strcmp(o->file, "-") == 0 && !o->sig_path)
		return cli_usage_error("verify: FILE '-' (standard input) needs -x SIGFILE");
	return EXIT_OK;
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
	struct fio_out_opts const opts = {.mode = 0755, .durable = true};
	struct fio_out *out = NULL;
	int fd, copy_fd = -1;
	unsigned const flags = FIO_IN_STREAM | (o->sig_path ? FIO_IN_DASH : 0);
	if (!fio_batch_input(batch, o->file, flags, &fd))
		return cli_file_error(fio_batch_error(batch), "file");
	int status = EXIT_OK;
	if (o->extract && (!fio_batch_output(batch, o->extract, &opts, &out) ||
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

	if (status != EXIT_OK)
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
