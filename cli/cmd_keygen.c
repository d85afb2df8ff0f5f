#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	{.name = "public", .short_name = 'p', .kind = ARG_PATH, .value_name = "FILE",
	 .offset = offsetof(struct keygen_opts, pub_path),
	 .help = "public key file (default heart.pub)"},
	{.name = "secret", .short_name = 's', .kind = ARG_PATH, .value_name = "FILE",
	 .offset = offsetof(struct keygen_opts, sec_path),
	 .help = "secret key file, mode 0600 (default heart.key)"},
	{.name = "no-password", .kind = ARG_FLAG, .offset = offsetof(struct keygen_opts, no_password),
	 .help = "leave the secret key unencrypted"},
	{.name = "force", .kind = ARG_FLAG, .offset = offsetof(struct keygen_opts, force),
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
	if (strcmp(o->pub_path, o->sec_path) == 0)
		return cli_usage_error(&cmd_keygen, "the public and secret key files must differ");
	return CLI_CONTINUE;
}

/* Refuse early, before the slow scrypt; the final link() still refuses atomically. */
static int check_absent(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0) {
		cli_error("'%s' exists: use --force to overwrite it", quote(path).s);
		return EXIT_BAD;
	}
	return EXIT_OK;
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

static int write_keys(const struct keygen_opts *o, const char *sec_text, const char *pub_text)
{
	enum sig_error err = sig_file_write_atomic(o->sec_path, sec_text, strlen(sec_text), 0600,
						   o->force);
	if (err != SIG_OK)
		return keyio_report("secret key", o->sec_path, err);
	err = sig_file_write_atomic(o->pub_path, pub_text, strlen(pub_text), 0644, o->force);
	if (err != SIG_OK) {
		/* Half a key pair is no use: take back the secret key just made. */
		if (!o->force)
			unlink(o->sec_path);
		return keyio_report("public key", o->pub_path, err);
	}
	return EXIT_OK;
}

static int run(int argc, char **argv)
{
	struct keygen_opts o;
	struct sig_secret_key *key = NULL;
	struct sig_public_key pub;
	char *sec_text = NULL;
	char *pub_text = NULL;
	int status = parse(argc, argv, &o);

	if (status != CLI_CONTINUE)
		return status;
	if (!o.force && (check_absent(o.sec_path) != EXIT_OK || check_absent(o.pub_path) != EXIT_OK))
		return EXIT_BAD;
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
		status = write_keys(&o, sec_text, pub_text);
	if (status == EXIT_OK) {
		char hex[17];
		sig_key_id_hex(pub.key_id, hex);
		fprintf(stderr, "heart: key %s: secret key in '%s', public key in '%s'\n", hex,
			quote(o.sec_path).s, quote(o.pub_path).s);
	}
out:
	sig_secret_free(sec_text);
	free(pub_text);
	sig_secret_key_destroy(key);
	return status;
}
