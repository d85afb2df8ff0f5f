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

const struct command cmd_version = {
	.name = "version",
	.summary = "show version, commit and build time",
	.usage = "Usage: heart version [--json]\n"
		 "Show heart's version, the commit it was built from and when.\n\n"
		 "  --json   one JSON object: version, commit, dirty, built, built_unix\n",
	.run = run,
};

static int run(int argc, char **argv)
{
	static const struct arg_opt opts[] = {{"json", 0, false}};
	struct arg_parser p;
	const char *value;
	bool json = false;
	int id;

	arg_init(&p, &cmd_version, argc, argv, opts, 1);
	while ((id = arg_next(&p, &value)) != ARG_DONE) {
		if (id == ARG_STOP)
			return p.status;
		if (id == ARG_OPERAND)
			return cli_usage_error("version: unexpected argument '%s'", quote(value).s);
		json = true;
	}
	return version_print(json);
}
