#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "keyio.h"

static int run(int argc, char **argv);

enum { PACK_LEVEL = 19 };

struct pack_opts {
	const char *sec_path;
	const char *trusted;
	const char *out_path;
	struct sig_comment_fields fields;
	const char *file;
};

static const struct opt_spec opts[] = {
	{.name = "secret",
	 .short_name = 's',
	 .kind = ARG_PATH,
	 .flags = ARG_REQUIRED,
	 .value_name = "FILE",
	 .offset = offsetof(struct pack_opts, sec_path),
	 .help = "secret key"},
	{.name = "trusted",
	 .short_name = 't',
	 .kind = ARG_TEXT,
	 .value_name = "TEXT",
	 .offset = offsetof(struct pack_opts, trusted),
	 .help = "trusted comment (default as for heart sign)"},
	{.name = "output",
	 .short_name = 'o',
	 .kind = ARG_PATH,
	 .value_name = "FILE",
	 .offset = offsetof(struct pack_opts, out_path),
	 .help = "artifact (default FILE.zst)"},
	{.name = "product",
	 .kind = ARG_TEXT,
	 .value_name = "NAME",
	 .offset = offsetof(struct pack_opts, fields.product),
	 .help = "product name, a product:NAME field of the default trusted comment"},
	{.name = "product-version",
	 .kind = ARG_TEXT,
	 .value_name = "VERSION",
	 .offset = offsetof(struct pack_opts, fields.version),
	 .help = "semantic version (MAJOR.MINOR.PATCH), a version: field"},
	{.name = "arch",
	 .kind = ARG_TEXT,
	 .value_name = "ARCH",
	 .offset = offsetof(struct pack_opts, fields.arch),
	 .help = "target architecture (x86_64, aarch64, ...), an arch: field. heart verify "
		 "can require these three fields"},
};

const struct command cmd_pack = {
	.name = "pack",
	.summary = "compress a file with zstd and sign the result",
	.synopsis = "heart pack -s SEC [-t TRUSTED] [-o FILE.zst] FILE|-\n"
		    "heart pack -s SEC [--product NAME] [--product-version VERSION]\n"
		    "           [--arch ARCH] [-o FILE.zst] FILE|-",
	.description = "Compress FILE (zstd level 19, content size and checksum in the frame) and\n"
		       "sign the result: the release artifact and its .minisig. FILE may be a\n"
		       "pipe or - (standard input): it is then spooled to a private file first.\n",
	.opts = opts,
	.n_opts = sizeof(opts) / sizeof(opts[0]),
	.operands = {"FILE", 1, 1},
	.run = run,
};

static int parse(int argc, char **argv, struct pack_opts *o)
{
	struct arg_result r;

	*o = (struct pack_opts){0};
	int const status = arg_parse(&cmd_pack, argc, argv, o, &r);
	if (status != CLI_CONTINUE)
		return status;
	o->file = r.operands[0];
	if (strcmp(o->file, "-") == 0 && !o->out_path)
		return cli_usage_error(&cmd_pack, "FILE '-' (standard input) needs -o FILE.zst");
	if (o->trusted && (o->fields.product || o->fields.version || o->fields.arch))
		return cli_usage_error(&cmd_pack, "--trusted replaces the whole trusted comment: "
						  "give it or --product/--product-version/--arch");
	return CLI_CONTINUE;
}

/*
 * The frame declares its content size, so a pipe (or any input that is not a regular file) is
 * first copied into a private file beside the artifact; *fd becomes that copy, at its start.
 */
static int spool(struct fio_batch *batch, struct fio_out *out, const char *in_path, int *fd)
{
	struct stat st;
	int copy = -1;
	if (fstat(*fd, &st) == 0 && S_ISREG(st.st_mode))
		return EXIT_OK;
	if (!fio_out_scratch(batch, out, &copy))
		return cli_file_error(fio_batch_error(batch), NULL);
	enum sig_error err = sig_hash_fd(*fd, copy, UINT64_MAX, NULL);
	if (err == SIG_OK && lseek(copy, 0, SEEK_SET) != 0)
		err = SIG_ERR_IO;
	if (err != SIG_OK) {
		close(copy);
		return keyio_report("file", in_path, "(private copy)", err);
	}
	close(*fd);
	*fd = copy;
	return EXIT_OK;
}

/* Compress FILE (open as fd) into the artifact's output; the digest is of the bytes written. */
static int compress(int fd, const char *in_path, struct fio_out *out, const char *out_path,
		    uint8_t digest[SIG_DIGEST_BYTES])
{
	enum sig_error const err = sig_pack(fd, fio_out_fd(out), PACK_LEVEL, digest);
	return err == SIG_OK ? EXIT_OK : keyio_report("file", in_path, out_path, err);
}

static int run(int argc, char **argv)
{
	struct pack_opts o;
	struct sig_secret_key *key = NULL;
	struct fio_batch *batch = NULL;
	struct fio_out *artifact, *signature;
	uint8_t digest[SIG_DIGEST_BYTES];
	char *out_path = NULL;
	char *sig_path = NULL;
	char *trusted = NULL;
	int fd = -1;
	int status = parse(argc, argv, &o);

	if (status != CLI_CONTINUE)
		return status;
	status = EXIT_BAD;
	out_path =
		o.out_path ? keyio_path_suffix(o.out_path, "") : keyio_path_suffix(o.file, ".zst");
	if (!out_path || !(sig_path = keyio_path_suffix(out_path, ".minisig")))
		goto out;
	if (!fio_batch_create(&batch)) {
		cli_error("out of memory");
		goto out;
	}
	status = keyio_trusted_comment(o.trusted, &o.fields, out_path, &trusted);
	if (status == EXIT_OK)
		status = keyio_secret_load(batch, o.sec_path, &key);
	if (status == EXIT_OK && !fio_batch_input(batch, o.file, FIO_IN_STREAM | FIO_IN_DASH, &fd))
		status = cli_file_error(fio_batch_error(batch), "file");
	/* The artifact, then its signature: they appear together, in that order. */
	if (status == EXIT_OK)
		status = keyio_output(batch, out_path, &artifact);
	if (status == EXIT_OK)
		status = keyio_output(batch, sig_path, &signature);
	if (status == EXIT_OK)
		status = spool(batch, artifact, o.file, &fd);
	if (status == EXIT_OK)
		status = compress(fd, o.file, artifact, out_path, digest);
	if (status == EXIT_OK)
		status = keyio_signature_write(batch, signature, sig_path, key, digest,
					       KEYIO_SIGNATURE_COMMENT, trusted);
	if (status == EXIT_OK)
		status = cli_commit(batch);
out:
	if (fd >= 0)
		close(fd);
	fio_batch_destroy(batch);
	sig_secret_key_destroy(key);
	free(trusted);
	free(sig_path);
	free(out_path);
	return status;
}
