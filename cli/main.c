#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "version.h"

static int print_help(void)
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

int main(int argc, char **argv)
{
	const char *first = argc > 1 ? argv[1] : NULL;

	if (first && (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0))
		return argc == 2 ? print_help()
				 : cli_usage_error("--help takes no arguments");
	if (first && strcmp(first, "--version") == 0)
		return argc == 2 ? version_print(false)
				 : cli_usage_error("--version takes no arguments");
	if (!first || first[0] == '-') {
		if (!command_default)
			return cli_usage_error("no command given");
		return command_default->run(argc, argv);
	}

	const struct command *cmd = command_find(first);
	if (!cmd)
		return cli_usage_error("unknown command '%s'", quote(first).s);
	return cmd->run(argc - 1, argv + 1);
}

int help_print_main(void)
{
	return print_help();
}
