#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "args.h"

/* Exit statuses, documented in the README and `heart --help`. */
enum {
	EXIT_OK = 0,
	EXIT_UNVERIFIED = 1, /* a signature did not verify */
	EXIT_BAD = 2,        /* bad usage, bad input or an I/O error */
};

/* What a command's option parsing returns when the command should run; any other value is
 * the exit status (EXIT_OK after --help). */
enum { CLI_CONTINUE = -1 };

/* One subcommand, defined in cli/cmd_<name>.c and listed in commands.c. Its options and
 * operands are declared here; arg_parse() reads them and arg_usage_print() prints them. */
struct command {
	const char *name;
	const char *summary;     /* one line for `heart --help` */
	const char *synopsis;    /* the usage lines, without "Usage: ", separated by \n */
	const char *description; /* what it does: whole lines, each ending in \n */
	const struct opt_spec *opts;
	size_t n_opts; /* at most 64 */
	struct opt_operands operands;
	const char *epilog; /* whole lines after the options, or NULL */
	/* argv[0] is the command name (or "heart" for the default command). */
	int (*run)(int argc, char **argv);
};

/* NULL-terminated, in the order `heart --help` lists them. */
extern const struct command *const commands[];
/* What `heart` runs when no command is named, or NULL. */
extern const struct command *const command_default;

const struct command *command_find(const char *name);

/* `heart --help`: the commands and the exit statuses, on stdout (cmd_help.c). Returns the exit
 * status. */
int help_print_main(void);
/* `heart --version`: the version line, or with json the same as one JSON object, on stdout
 * (cmd_version.c). Returns the exit status. */
int version_print(bool json);

/* A value made safe to echo: non-printable and non-ASCII bytes as \xNN, cut to 64 bytes. */
struct quoted {
	char s[64 * 4 + 8];
};
struct quoted quote(const char *value);

struct fio_error;
/*
 * Report a failure of the file layer as one line: "cannot write 'OUT': REASON" for an output,
 * "WHAT 'IN': REASON" for an input (what: "secret key", "signature", ...; NULL: "cannot read").
 * Returns EXIT_BAD.
 */
int cli_file_error(const struct fio_error *e, const char *what);

struct fio_batch;
/* Commit batch's outputs; reports a failure. Returns an exit status. */
int cli_commit(struct fio_batch *batch);

struct fio_out;
/*
 * Open path (or "-", standard output) as an output of batch for command cmd's image in format
 * ("png", "PNG"): binary data never goes to a terminal. NULL, reported, when refused.
 */
struct fio_out *cli_image_output(struct fio_batch *batch, const char *path, const char *cmd,
				 const char *format);

/*
 * Report a renderer that could not write out (named path): with write_failed the stream's
 * own reason ("cannot write 'PATH': No space left on device"), else "CMD: cannot write
 * 'PATH': WHY". Returns false.
 */
bool cli_image_failed(struct fio_out *out, const char *path, bool write_failed, const char *cmd,
		      const char *why);

/* "heart: MESSAGE\n" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The text of the last cli_error() (without "heart: " and the newline), "" before any. Valid
 * until the next cli_error(). */
const char *cli_last_error(void);
/*
 * A usage error: "heart: CMD: MESSAGE" and "Try 'heart help CMD'." on stderr, or without CMD
 * and with "Try 'heart --help'." when cmd is NULL. Returns EXIT_BAD.
 */
int cli_usage_error(const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
