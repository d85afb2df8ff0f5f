/* Reporting what the file layer says, in one line. */
#include <errno.h>
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

struct fio_out *cli_image_output(struct fio_batch *batch, const char *path, const char *cmd,
				 const char *format)
{
	struct fio_out_opts const out_opts = {.dash = true};
	struct fio_out *out;
	if (!fio_batch_output(batch, path, &out_opts, &out)) {
		cli_file_error(fio_batch_error(batch), NULL);
		return NULL;
	}
	if (fio_out_is_terminal(out)) {
		cli_error("%s: refusing to write %s to a terminal (use -o FILE or a redirection)",
			  cmd, format);
		return NULL;
	}
	return out;
}

bool cli_image_failed(struct fio_out *out, const char *path, bool write_failed, const char *cmd,
		      const char *why)
{
	if (write_failed) {
		/* The stream kept the system's reason. */
		int const code = fio_out_error(out);
		struct fio_error const e = {.code = code ? code : EIO, .path = path};
		cli_file_error(&e, NULL);
	} else {
		cli_error("%s: cannot write '%s': %s", cmd, quote(path).s, why);
	}
	return false;
}
