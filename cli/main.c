/* heart's entry point: dispatch only. Each command lives in its own cli/cmd_<verb>.c. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "cli.h"
#include "signals.h"

/*
 * Every output of a command stays open until all of them are committed together (`sign` of
 * many files, `png --frames 1000`): take the hard limit on open files, not the historical soft
 * 1024. heart never uses select(), the reason the soft limit stays low by default.
 */
static void raise_open_files_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int main(int argc, char **argv)
{
	const char *first = argc > 1 ? argv[1] : NULL;

	raise_open_files_limit();
	/* Before anything takes the terminal or writes a file: see cli/signals.h. */
	if (!signals_install()) {
		cli_error("cannot install signal handlers: %s", strerror(errno));
		return EXIT_BAD;
	}
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
