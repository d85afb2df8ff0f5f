#include <errno.h>
#include <fcntl.h>
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
	{.name = "secret", .short_name = 's', .kind = ARG_PATH, .flags = ARG_REQUIRED,
	 .value_name = "FILE", .offset = offsetof(struct sign_opts, sec_path),
	 .help = "secret key"},
	{.name = "trusted", .short_name = 't', .kind = ARG_TEXT, .value_name = "TEXT",
	 .offset = offsetof(struct sign_opts, trusted),
	 .help = "trusted comment (default timestamp:N<tab>file:NAME<tab>hashed, N from "
		 "SOURCE_DATE_EPOCH when it is set)"},
	{.name = "untrusted", .short_name = 'c', .kind = ARG_TEXT, .value_name = "TEXT",
	 .offset = offsetof(struct sign_opts, untrusted), .help = "untrusted comment"},
	{.name = "signature", .short_name = 'x', .kind = ARG_PATH, .value_name = "FILE",
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

/* All the comments first: a bad one stops everything before any file is written. */
static int comments(const struct sign_opts *o, char **trusted_out)
{
	enum sig_error err = sig_comment_check(o->untrusted, false);
	if (err != SIG_OK)
		return keyio_report("untrusted comment", o->untrusted, err);
	for (int i = 0; i < o->n_files; i++) {
		int status = keyio_trusted_comment(o->trusted, o->files[i], &trusted_out[i]);
		if (status != EXIT_OK)
			return status;
	}
	return EXIT_OK;
}

static int sign_one(const struct sig_secret_key *key, const char *path, const char *untrusted,
		    const char *trusted, const char *sig_path)
{
	uint8_t digest[SIG_DIGEST_BYTES];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return keyio_report("file", path, SIG_ERR_IO);
	enum sig_error err = sig_hash_fd(fd, -1, digest);
	close(fd);
	if (err != SIG_OK)
		return keyio_report("file", path, err);
	return keyio_signature_write(key, digest, untrusted, trusted, sig_path);
}

static int sign_all(const struct sign_opts *o, const struct sig_secret_key *key,
		    char *const *trusted)
{
	for (int i = 0; i < o->n_files; i++) {
		char *sig_path = o->sig_path ? NULL : keyio_path_suffix(o->files[i], ".minisig");
		if (!o->sig_path && !sig_path)
			return EXIT_BAD;
		int status = sign_one(key, o->files[i], o->untrusted, trusted[i],
				      o->sig_path ? o->sig_path : sig_path);
		free(sig_path);
		if (status != EXIT_OK)
			return status;
	}
	return EXIT_OK;
}

static int run(int argc, char **argv)
{
	struct sign_opts o;
	struct sig_secret_key *key = NULL;
	char **trusted = NULL;
	int status = parse(argc, argv, &o);

	if (status != CLI_CONTINUE)
		goto out;
	status = EXIT_BAD;
	trusted = calloc((size_t)o.n_files, sizeof(*trusted));
	if (!trusted)
		goto out;
	status = comments(&o, trusted);
	if (status == EXIT_OK)
		status = keyio_secret_load(o.sec_path, &key);
	if (status == EXIT_OK)
		status = sign_all(&o, key, trusted);
out:
	for (int i = 0; trusted && i < o.n_files; i++)
		free(trusted[i]);
	free(trusted);
	sig_secret_key_destroy(key);
	return status;
}
