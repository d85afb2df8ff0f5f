/* Reporting what the file layer says, in one line. */
#include <stdio.h>

#include "cli.h"
#include "fileio.h"

int cli_file_error(const struct fio_error *e, const char *what)
{
	const char *const path = e->path ? e->path : "";
	char head[sizeof(struct quoted) + 64];
	if (e->is_input)
		snprintf(head, sizeof(head), "%s '%s'", what ? what : "cannot read", quote(path).s);
	else
		snprintf(head, sizeof(head), "cannot write '%s'", quote(path).s);
	if (e->code == FIO_ERR_SAME_FILE)
		cli_error("%s: same file as the %s '%s'", head,
			  e->other_is_input ? "input" : "output", quote(e->other).s);
	else
		cli_error("%s: %s", head, fio_strerror(e->code));
	return EXIT_BAD;
}

int cli_commit(struct fio_batch *batch)
{
	return fio_batch_commit(batch) ? EXIT_OK : cli_file_error(fio_batch_error(batch), NULL);
}
