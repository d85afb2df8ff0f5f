#pragma once

/*
 * Output files that appear whole or not at all: data goes to a temporary file beside the
 * target, which is renamed over the target only when complete. "-" means standard output.
 */

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct out_file {
	FILE *fp;          /* write here */
	char *path;        /* the final name; NULL for stdout */
	char *tmp_path;    /* the temporary name; NULL for stdout */
	bool to_stdout;
};

/*
 * Open `path` ("-" for stdout) for writing. mode is the final file's mode before the umask
 * (0666 for data, 0755 for executables). Reports failures on stderr and returns false.
 */
bool out_open(struct out_file *o, const char *path, mode_t mode);

/* Flush, fsync and close, leaving the file under its temporary name for out_commit() or
 * out_abort(): how a set of files is published together. Reports failures. */
bool out_seal(struct out_file *o);

/* Flush, fsync and rename into place (or flush stdout). Reports failures; on failure the
 * temporary file is removed and the target is untouched. Frees what out_open() took. */
bool out_commit(struct out_file *o);

/* Close and remove the temporary file; the target is untouched. Frees what out_open() took.
 * Safe after a failed out_open() and after out_commit(). */
void out_abort(struct out_file *o);

/* Whether a terminal would receive binary data written to `path`. */
bool out_is_terminal(const char *path);
