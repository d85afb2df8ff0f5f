#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "keyio.h"
#include "release_key.h"
#include "signing.h"
#include "stamp.h"

/* The embedded release keys' ids in hex, separated by sep, or "" when heart has none (or they
 * will not parse, which meson's configure-time check rules out). */
static void release_key_ids(const char *sep, char *out, size_t size)
{
	struct sig_keyring ring = {0};
	out[0] = '\0';
	if (keyio_release_keys(&ring) != SIG_OK)
		return;
	for (size_t i = 0; i < ring.n; i++) {
		char hex[17];
		sig_key_id_hex(ring.keys[i].key_id, hex);
		size_t const used = strlen(out);
		snprintf(out + used, size - used, "%s%s", i ? sep : "", hex);
	}
}

int version_print(bool json)
{
	const struct heart_stamp *s = &heart_stamp;
	char key_id[SIG_KEYRING_MAX * 18];
	release_key_ids(json ? "," : ", ", key_id, sizeof(key_id));
	if (json)
		printf("{\"version\":\"%s\",\"commit\":\"%s\",\"dirty\":%s,\"built\":\"%s\","
		       "\"built_unix\":%lld%s%s%s}\n",
		       s->version, s->commit, s->dirty ? "true" : "false", s->built, s->built_unix,
		       key_id[0] ? ",\"release_key\":\"" : "", key_id, key_id[0] ? "\"" : "");
	else
		printf("heart %s (commit %.12s%s, built %s)%s%s\n", s->version, s->commit,
		       s->dirty ? "-dirty" : "", s->built,
		       !key_id[0]            ? ""
		       : strchr(key_id, ',') ? ", release keys "
					     : ", release key ",
		       key_id);
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_BAD;
}

static int run(int argc, char **argv);

struct version_opts {
	bool json;
};

static const struct opt_spec opts[] = {
	{.name = "json",
	 .kind = ARG_FLAG,
	 .offset = offsetof(struct version_opts, json),
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
