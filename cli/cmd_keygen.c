#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "keyio.h"

static int run(int argc, char **argv);

struct keygen_opts {
	const char *pub_path;
	const char *sec_path;
	bool no_password;
	bool force;
};

static const struct opt_spec opts[] = {
	{.name = "public",
	 .short_name = 'p',
	 .kind = ARG_PATH,
	 .value_name = "FILE",
	 .offset = offsetof(struct keygen_opts, pub_path),
	 .help = "public key file (default heart.pub)"},
	{.name = "secret",
	 .short_name = 's',
	 .kind = ARG_PATH,
	 .value_name = "FILE",
	 .offset = offsetof(struct keygen_opts, sec_path),
	 .help = "secret key file, mode 0600 (default heart.key)"},
	{.name = "no-password",
	 .kind = ARG_FLAG,
	 .offset = offsetof(struct keygen_opts, no_password),
	 .help = "leave the secret key unencrypted"},
	{.name = "force",
	 .kind = ARG_FLAG,
	 .offset = offsetof(struct keygen_opts, force),
	 .help = "overwrite existing key files"},
};

const struct command cmd_keygen = {
	.name = "keygen",
	.summary = "make an Ed25519 key pair (minisign format)",
	.synopsis = "heart keygen [-p PUB] [-s SEC] [--no-password] [--force]",
	.description = "Make a key pair for signing releases, in minisign's format.\n",
	.opts = opts,
	.n_opts = sizeof(opts) / sizeof(opts[0]),
	.epilog = "The secret key is encrypted with scrypt (minisign's parameters: about 1 GiB\n"
		  "of memory and a second). The password is read from the terminal without echo,\n"
		  "twice; when standard input is not a terminal, one line is read from it, once.\n",
	.run = run,
};

static int parse(int argc, char **argv, struct keygen_opts *o)
{
	struct arg_result r;

	*o = (struct keygen_opts){.pub_path = "heart.pub", .sec_path = "heart.key"};
	int const status = arg_parse(&cmd_keygen, argc, argv, o, &r);
	if (status != CLI_CONTINUE)
		return status;
	/* The same spelling twice is a usage error; other spellings of one file are caught by
	 * the file layer, which compares the files themselves. */
	if (strcmp(o->pub_path, o->sec_path) == 0)
		return cli_usage_error(&cmd_keygen, "the public and secret key files must differ");
	return CLI_CONTINUE;
}

static int report(const struct fio_batch *batch)
{
	const struct fio_error *const e = fio_batch_error(batch);
	if (e->code != EEXIST)
		return cli_file_error(e, NULL);
	cli_error("'%s' exists: use --force to overwrite it", quote(e->path).s);
	return EXIT_BAD;
}

/*
 * Open both key files before the slow scrypt, so that every refusal comes first: a file that
 * exists without --force, a directory, a missing directory, one file under two names. The
 * public key is committed first and the secret key last: the secret key file also holds the
 * public key, so a pair cut in half by a crash can be mended from the secret key.
 */
static int open_keys(const struct keygen_opts *o, struct fio_batch *batch, struct fio_out **pub,
		     struct fio_out **sec)
{
	struct fio_out_opts out_opts = {.mode = 0644, .no_replace = !o->force, .durable = true};
	if (!fio_batch_output(batch, o->pub_path, &out_opts, pub))
		return report(batch);
	out_opts.mode = 0600;
	out_opts.secret = true; /* never through a FIFO, a socket or another user's file */
	return fio_batch_output(batch, o->sec_path, &out_opts, sec) ? EXIT_OK : report(batch);
}

static int secret_text(const struct sig_secret_key *key, bool no_password, char **text_out)
{
	char *password = NULL;
	size_t len = 0;
	*text_out = NULL;
	if (!no_password) {
		int status = keyio_password_read(true, &password, &len);
		if (status != EXIT_OK)
			return status;
		if (len == 0) {
			sig_secret_free(password);
			cli_error("empty password: use --no-password for an unencrypted key");
			return EXIT_BAD;
		}
	}
	enum sig_error err = sig_secret_key_serialize(key, password, len, SIG_SCRYPT_OPSLIMIT,
						      SIG_SCRYPT_MEMLIMIT, text_out);
	sig_secret_free(password);
	if (err != SIG_OK) {
		cli_error("cannot encrypt the secret key: %s", sig_strerror(err));
		return EXIT_BAD;
	}
	return EXIT_OK;
}

static int write_keys(struct fio_batch *batch, struct fio_out *pub, struct fio_out *sec,
		      const char *pub_text, const char *sec_text)
{
	return fio_out_write(batch, pub, pub_text, strlen(pub_text)) &&
			       fio_out_write(batch, sec, sec_text, strlen(sec_text)) &&
			       fio_batch_commit(batch)
		       ? EXIT_OK
		       : report(batch);
}

static int run(int argc, char **argv)
{
	struct keygen_opts o;
	struct fio_batch *batch = NULL;
	struct fio_out *pub_out = NULL, *sec_out = NULL;
	struct sig_secret_key *key = NULL;
	struct sig_public_key pub;
	char *sec_text = NULL;
	char *pub_text = NULL;
	int status = parse(argc, argv, &o);

	if (status != CLI_CONTINUE)
		return status;
	if (!fio_batch_create(&batch)) {
		cli_error("out of memory");
		return EXIT_BAD;
	}
	status = open_keys(&o, batch, &pub_out, &sec_out);
	if (status != EXIT_OK)
		goto out;
	enum sig_error err = sig_secret_key_generate(&key);
	if (err == SIG_OK) {
		sig_secret_key_public(key, &pub);
		err = sig_public_key_serialize(&pub, &pub_text);
	}
	if (err != SIG_OK) {
		cli_error("cannot make a key pair: %s", sig_strerror(err));
		status = EXIT_BAD;
		goto out;
	}
	status = secret_text(key, o.no_password, &sec_text);
	if (status == EXIT_OK)
		status = write_keys(batch, pub_out, sec_out, pub_text, sec_text);
	if (status == EXIT_OK) {
		char hex[17];
		sig_key_id_hex(pub.key_id, hex);
		fprintf(stderr, "heart: key %s: secret key in '%s', public key in '%s'\n", hex,
			quote(o.sec_path).s, quote(o.pub_path).s);
	}
out:
	fio_batch_destroy(batch);
	sig_secret_free(sec_text);
	free(pub_text);
	sig_secret_key_destroy(key);
	return status;
}
