#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "release_key.h"
#include "signing.h"
#include "stamp.h"

/* The embedded release key's id in hex, or "" when heart has none (or it will not parse,
 * which meson's configure-time check rules out). */
static void release_key_id(char hex_out[17])
{
	struct sig_public_key key;
	hex_out[0] = '\0';
	if (heart_release_pubkey[0] != '\0' &&
	    sig_public_key_parse_base64(heart_release_pubkey, strlen(heart_release_pubkey),
					&key) == SIG_OK)
		sig_key_id_hex(key.key_id, hex_out);
}

int version_print(bool json)
{
	const struct heart_stamp *s = &heart_stamp;
	char key_id[17];
	release_key_id(key_id);
	if (json)
		printf("{\"version\":\"%s\",\"commit\":\"%s\",\"dirty\":%s,\"built\":\"%s\","
		       "\"built_unix\":%lld%s%s%s}\n",
		       s->version, s->commit, s->dirty ? "true" : "false", s->built,
		       s->built_unix, key_id[0] ? ",\"release_key\":\"" : "", key_id,
		       key_id[0] ? "\"" : "");
	else
		printf("heart %s (commit %.12s%s, built %s)%s%s\n", s->version, s->commit,
		       s->dirty ? "-dirty" : "", s->built, key_id[0] ? ", release key " : "",
		       key_id);
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_BAD;
}

static int run(int argc, char **argv);

struct version_opts {
	bool json;
};

static const struct opt_spec opts[] = {
	{.name = "json", .kind = ARG_FLAG, .offset = offsetof(struct version_opts, json),
	 .help = "one JSON object: version, commit, dirty, built, built_unix"},
};

const struct command cmd_version = {
	.name = "version",
	.summary = "show version, commit and build time",
	.synopsis = "heart version [--json]",
	.description = "Show heart's version, the commit it was built from and when.\n",
	.opts = opts,
	.n_opts = sizeof(opts) / sizeof(opts[0]),
	.run = run,
};

static int run(int argc, char **argv)
{
	struct version_opts o = {0};
	struct arg_result r;
	int const status = arg_parse(&cmd_version, argc, argv, &o, &r);
	return status != CLI_CONTINUE ? status : version_print(o.json);
}
