#include <stdio.h>

#include "args.h"
#include "cli.h"
#include "stamp.h"
#include "version.h"

int version_print(bool json)
{
	const struct heart_stamp *s = &heart_stamp;
	if (json)
		printf("{\"version\":\"%s\",\"commit\":\"%s\",\"dirty\":%s,\"built\":\"%s\","
		       "\"built_unix\":%lld}\n",
		       s->version, s->commit, s->dirty ? "true" : "false", s->built,
		       s->built_unix);
	else
		printf("heart %s (commit %.12s%s, built %s)\n", s->version, s->commit,
		       s->dirty ? "-dirty" : "", s->built);
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
