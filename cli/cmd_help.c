#include <stdio.h>

#include "args.h"
#include "cli.h"

static int run(int argc, char **argv);

const struct command cmd_help = {
	.name = "help",
	.summary = "show help for heart or one of its commands",
	.synopsis = "heart help [COMMAND]",
	.description = "Show heart's help, or the options of COMMAND.\n",
	.operands = {"COMMAND", 0, 1},
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
	       "2 bad usage, bad input or an I/O error; play interrupted by a signal\n"
	       "dies by that signal (128+N in a shell).\n");
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_BAD;
}

static int run(int argc, char **argv)
{
	struct arg_result r;
	int const status = arg_parse(&cmd_help, argc, argv, NULL, &r);
	if (status != CLI_CONTINUE)
		return status;
	if (r.n_operands == 0)
		return help_print_main();

	const struct command *cmd = command_find(r.operands[0]);
	if (!cmd)
		return cli_usage_error(NULL, "help: unknown command '%s'", quote(r.operands[0]).s);
	arg_usage_print(cmd, stdout);
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_BAD;
}
