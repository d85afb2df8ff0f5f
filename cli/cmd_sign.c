#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "keyio.h"

static int run(int argc, char **argv);

struct sign_opts {
	const char *sec_path;
	const char *trusted;
	const char *untrusted;
	const char *sig_path;
	char **files; /* the operands, in argv */
	int n_files;
};

static const struct opt_spec opts[] = {
	{.name = "secret",
	 .short_name = 's',
	 .kind = ARG_PATH,
	 .flags = ARG_REQUIRED,
	 .value_name = "FILE",
	 .offset = offsetof(struct sign_opts, sec_path),
	 .help = "secret key"},
	{.name = "trusted",
	 .short_name = 't',
	 .kind = ARG_TEXT,
	 .value_name = "TEXT",
	 .offset = offsetof(struct sign_opts, trusted),
	 .help = "trusted comment (default timestamp:N<tab>file:NAME<tab>hashed, N from "
		 "SOURCE_DATE_EPOCH when it is set)"},
	{.name = "untrusted",
	 .short_name = 'c',
	 .kind = ARG_TEXT,
	 .value_name = "TEXT",
	 .offset = offsetof(struct sign_opts, untrusted),
	 .help = "untrusted comment"},
	{.name = "signature",
	 .short_name = 'x',
	 .kind = ARG_PATH,
	 .value_name = "FILE",
	 .offset = offsetof(struct sign_opts, sig_path),
	 .help = "signature file (one FILE only)"},
};

const struct command cmd_sign = {
	.name = "sign",
	.summary = "sign files (minisign's hashed format)",
	.synopsis = "heart sign -s SEC [-t TRUSTED] [-c UNTRUSTED] [-x SIGFILE] FILE...",
	.description = "Write FILE.minisig for each FILE: Ed25519 over its BLAKE2b-512 digest.\n",
	.opts = opts,
	.n_opts = sizeof(opts) / sizeof(opts[0]),
	.operands = {"FILE", 1, -1},
	.epilog = "Comments must be free of control characters: at most 1024 bytes untrusted,\n"
		  "8192 trusted.\n",
	.run = run,
};

static int parse(int argc, char **argv, struct sign_opts *o)
{
	struct arg_result r;

	*o = (struct sign_opts){.untrusted = KEYIO_SIGNATURE_COMMENT};
	int const status = arg_parse(&cmd_sign, argc, argv, o, &r);
	if (status != CLI_CONTINUE)
		return status;
	o->files = r.operands;
	o->n_files = r.n_operands;
	if (o->sig_path && o->n_files > 1)
		return cli_usage_error(&cmd_sign, "-x names one signature file, for one FILE only");
	return CLI_CONTINUE;
}

/* One FILE: its trusted comment, the open file, its signature's path and output. */
struct sign_item {
	char *trusted;
	int fd;
	char *sig_path;
	struct fio_out *out;
};

/* All the comments first: a bad one stops everything before any file is written. */
static int comments(const struct sign_opts *o, struct sign_item *items)
{
	enum sig_error err = sig_comment_check(o->untrusted, false);
	if (err != SIG_OK)
		return keyio_report("untrusted comment", o->untrusted, NULL, err);
	for (int i = 0; i < o->n_files; i++) {
		int status =
			keyio_trusted_comment(o->trusted, NULL, o->files[i], &items[i].trusted);
		if (status != EXIT_OK)
			return status;
	}
	return EXIT_OK;
}

/* Every FILE and every signature opened before anything is signed: a signature that would
 * overwrite a FILE, the key or another signature is refused first. */
static int open_all(const struct sign_opts *o, struct fio_batch *batch, struct sign_item *items)
{
	for (int i = 0; i < o->n_files; i++)
		if (!fio_batch_input(batch, o->files[i], FIO_IN_STREAM, &items[i].fd))
			return cli_file_error(fio_batch_error(batch), "file");
	for (int i = 0; i < o->n_files; i++) {
		items[i].sig_path = o->sig_path ? strdup(o->sig_path)
						: keyio_path_suffix(o->files[i], ".minisig");
		if (!items[i].sig_path)
			return EXIT_BAD;
		int const status = keyio_output(batch, items[i].sig_path, &items[i].out);
		if (status != EXIT_OK)
			return status;
	}
	return EXIT_OK;
}

/* Sign each FILE into its output; the signatures appear together at the commit. */
static int sign_all(const struct sign_opts *o, struct fio_batch *batch,
		    const struct sig_secret_key *key, struct sign_item *items)
{
	for (int i = 0; i < o->n_files; i++) {
		uint8_t digest[SIG_DIGEST_BYTES];
		enum sig_error const err = sig_hash_fd(items[i].fd, -1, UINT64_MAX, digest);
		close(items[i].fd);
		items[i].fd = -1;
		if (err != SIG_OK)
			return keyio_report("file", o->files[i], NULL, err);
		int const status =
			keyio_signature_write(batch, items[i].out, items[i].sig_path, key, digest,
					      o->untrusted, items[i].trusted);
		if (status != EXIT_OK)
			return status;
	}
	return cli_commit(batch);
}

static int run(int argc, char **argv)
{
	struct sign_opts o;
	struct sig_secret_key *key = NULL;
	struct fio_batch *batch = NULL;
	struct sign_item *items = NULL;
	int status = parse(argc, argv, &o);

	if (status != CLI_CONTINUE)
		goto out;
	status = EXIT_BAD;
	items = calloc((size_t)o.n_files, sizeof(*items));
	if (!items || !fio_batch_create(&batch)) {
		cli_error("out of memory");
		goto out;
	}
	for (int i = 0; i < o.n_files; i++)
		items[i].fd = -1;
	status = comments(&o, items);
	if (status == EXIT_OK)
		status = keyio_secret_load(batch, o.sec_path, &key);
	if (status == EXIT_OK)
		status = open_all(&o, batch, items);
	if (status == EXIT_OK)
		status = sign_all(&o, batch, key, items);
out:
	for (int i = 0; items && i < o.n_files; i++) {
		free(items[i].trusted);
		free(items[i].sig_path);
		if (items[i].fd >= 0)
			close(items[i].fd);
	}
	free(items);
	fio_batch_destroy(batch);
	sig_secret_key_destroy(key);
	return status;
}
