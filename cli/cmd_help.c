#include <stdio.h>

#include "args.h"
#include "cli.h"

static int run(int argc, char **argv);

const struct command cmd_help = {
	.name = "help",
	.summary = "show help for heart or one of its commands",
	.usage = "Usage: heart help [COMMAND]\n"
		 "Show heart's help, or the options of COMMAND.\n",
	.run = run,
};

int help_print_main(void)
{
	printf("Usage: heart [COMMAND] [OPTIONS]\n"
	       "A beating heart for terminals and web pages, with signed releases.\n\n"
	       "Commands:\n");
	for (const struct command *const *c = commands; *c; c++)
		printf("  %-9s %s%s\n", (*c)->name, (*c)->summary,
		       *c == command_default ? " (default)" : "");
	printf("\nRun 'heart help COMMAND' or 'heart COMMAND --help' for its options.\n"
	       "  -h, --help  show this help\n"
	       "  --version   show version, commit and build time\n\n"
	       "Exit status: 0 success, 1 a signature did not verify,\n"
	       "2 bad usage, bad input or an I/O error.\n");
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_BAD;
}

static int run(int argc, char **argv)
{
	struct arg_parser p;
	const char *value;
	const char *name = NULL;
	int id;

	arg_init(&p, &cmd_help, argc, argv, NULL, 0);
	while ((id = arg_next(&p, &value)) != ARG_DONE) {
		if (id == ARG_STOP)
			return p.status;
		if (name)
			return cli_usage_error("help: one command at a time");
		name = value;
	}
	if (!name)
		return help_print_main();

	const struct command *cmd = command_find(name);
	if (!cmd)
		return cli_usage_error("help: unknown command '%s'", quote(name).s);
	fputs(cmd->usage, stdout);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_BAD;
}
