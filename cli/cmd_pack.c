#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "keyio.h"

static int run(int argc, char **argv);

const struct command cmd_pack = {
	.name = "pack",
	.summary = "compress a file with zstd and sign the result",
	.usage = "Usage: heart pack -s SEC [-t TRUSTED] [-o FILE.zst] FILE\n"
		 "Compress FILE (zstd level 19, content size and checksum in the frame) and\n"
		 "sign the result: the release artifact and its .minisig.\n\n"
		 "  -s, --secret FILE    secret key\n"
		 "  -t, --trusted TEXT   trusted comment (default as for heart sign)\n"
		 "  -o, --output FILE    artifact (default FILE.zst)\n",
	.run = run,
};

enum { PACK_LEVEL = 19 };

struct pack_opts {
	const char *sec_path;
	const char *trusted;
	const char *out_path;
	const char *file;
};

static int parse(int argc, char **argv, struct pack_opts *o)
{
	static const struct arg_opt opts[] = {
		{"secret", 's', true},
		{"trusted", 't', true},
		{"output", 'o', true},
	};
	const char **slots[] = {&o->sec_path, &o->trusted, &o->out_path};
	struct arg_parser p;
	const char *value;
	int id;

	*o = (struct pack_opts){0};
	arg_init(&p, &cmd_pack, argc, argv, opts, 3);
	while ((id = arg_next(&p, &value)) != ARG_DONE) {
		if (id == ARG_STOP)
			return p.status;
		if (id == ARG_OPERAND && o->file)
			return cli_usage_error("pack: one FILE only, got '%s' too", quote(value).s);
		if (id == ARG_OPERAND)
			o->file = value;
		else
			*slots[id] = value;
	}
	if (!o->sec_path)
		return cli_usage_error("pack: no secret key: give -s FILE");
	if (!o->file)
		return cli_usage_error("pack: no file to pack");
	return CLI_CONTINUE;
}

/* Compress into a temporary file beside out_path; the digest is of the bytes written. */
static int compress(const char *in_path, const char *out_path,
		    uint8_t digest[SIG_DIGEST_BYTES])
{
	struct sig_temp temp;
	int fd = open(in_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return keyio_report("file", in_path, SIG_ERR_IO);
	enum sig_error err = sig_temp_create(out_path, &temp);
	if (err != SIG_OK) {
		close(fd);
		return keyio_report("output", out_path, err);
	}
	err = sig_pack(fd, temp.fd, PACK_LEVEL, digest);
	close(fd);
	if (err != SIG_OK) {
		sig_temp_abort(&temp);
		return keyio_report("file", in_path, err);
	}
	err = sig_temp_commit(&temp, 0644, true);
	return err == SIG_OK ? EXIT_OK : keyio_report("output", out_path, err);
}

static int run(int argc, char **argv)
{
	struct pack_opts o;
	struct sig_secret_key *key = NULL;
	uint8_t digest[SIG_DIGEST_BYTES];
	char *out_path = NULL;
	char *sig_path = NULL;
	char *trusted = NULL;
	int status = parse(argc, argv, &o);

	if (status != CLI_CONTINUE)
		return status;
	status = EXIT_BAD;
	out_path = o.out_path ? keyio_path_suffix(o.out_path, "") : keyio_path_suffix(o.file, ".zst");
	if (!out_path || !(sig_path = keyio_path_suffix(out_path, ".minisig")))
		goto out;
	status = keyio_trusted_comment(o.trusted, out_path, &trusted);
	if (status == EXIT_OK)
		status = keyio_secret_load(o.sec_path, &key);
	if (status == EXIT_OK)
		status = compress(o.file, out_path, digest);
	if (status == EXIT_OK)
		status = keyio_signature_write(key, digest, KEYIO_SIGNATURE_COMMENT, trusted,
					       sig_path);
out:
	sig_secret_key_destroy(key);
	free(trusted);
	free(sig_path);
	free(out_path);
	return status;
}
