/* heart's entry point: dispatch only. Each command lives in its own cli/cmd_<verb>.c. */
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
	const char *first = argc > 1 ? argv[1] : NULL;

	if (first && (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0))
		return argc == 2 ? help_print_main()
				 : cli_usage_error(NULL, "--help takes no arguments");
	if (first && strcmp(first, "--version") == 0)
		return argc == 2 ? version_print(false)
				 : cli_usage_error(NULL, "--version takes no arguments");
	if (!first || first[0] == '-') {
		if (!command_default)
			return cli_usage_error(NULL, "no command given");
		return command_default->run(argc, argv);
	}

	const struct command *cmd = command_find(first);
	if (!cmd)
		return cli_usage_error(NULL, "unknown command '%s'", quote(first).s);
	return cmd->run(argc - 1, argv + 1);
}
