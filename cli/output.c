#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static char *temp_name_for(const char *path)
{
	/* ".NAME.XXXXXX" in the target's directory, so the rename never crosses filesystems. */
	char *const a = strdup(path), *const b = strdup(path);
	char *out = NULL;
	if (a && b) {
		const char *const dir = dirname(a), *const base = basename(b);
		size_t const n = strlen(dir) + strlen(base) + 16;
		out = malloc(n);
		if (out)
			snprintf(out, n, "%s/.%s.XXXXXX", dir, base);
	}
	free(a);
	free(b);
	return out;
}

bool out_open(struct out_file *o, const char *path, mode_t mode)
{
	*o = (struct out_file){0};
	if (strcmp(path, "-") == 0) {
		o->fp = stdout;
		o->to_stdout = true;
		return true;
	}
	o->path = strdup(path);
	o->tmp_path = temp_name_for(path);
	if (!o->path || !o->tmp_path) {
		cli_error("out of memory");
		goto fail;
	}
	int const fd = mkstemp(o->tmp_path);
	if (fd < 0) {
		cli_error("cannot create a file beside '%s': %s", quote(path).s, strerror(errno));
		goto fail;
	}
	mode_t const mask = umask(0);
	umask(mask);
	if (fchmod(fd, mode & ~mask) != 0 || !(o->fp = fdopen(fd, "wb"))) {
		cli_error("cannot write '%s': %s", quote(o->tmp_path).s, strerror(errno));
		close(fd);
		unlink(o->tmp_path);
		goto fail;
	}
	return true;
fail:
	free(o->path);
	free(o->tmp_path);
	*o = (struct out_file){0};
	return false;
}

static void release(struct out_file *o)
{
	free(o->path);
	free(o->tmp_path);
	*o = (struct out_file){0};
}

bool out_seal(struct out_file *o)
{
	if (o->to_stdout || !o->fp)
		return true;
	bool ok = fflush(o->fp) == 0 && !ferror(o->fp) && fsync(fileno(o->fp)) == 0;
	int err = errno;
	if (fclose(o->fp) != 0 && ok) {
		ok = false;
		err = errno;
	}
	o->fp = NULL;
	if (!ok)
		cli_error("cannot write '%s': %s", quote(o->path).s, strerror(err));
	return ok;
}

bool out_commit(struct out_file *o)
{
	if (o->to_stdout) {
		bool const ok = fflush(stdout) == 0 && !ferror(stdout);
		if (!ok)
			cli_error("cannot write to standard output: %s", strerror(errno));
		release(o);
		return ok;
	}
	bool ok = out_seal(o);
	if (ok && rename(o->tmp_path, o->path) != 0) {
		cli_error("cannot write '%s': %s", quote(o->path).s, strerror(errno));
		ok = false;
	}
	if (!ok)
		unlink(o->tmp_path);
	release(o);
	return ok;
}

void out_abort(struct out_file *o)
{
	if (!o->to_stdout && o->tmp_path) {
		if (o->fp)
			fclose(o->fp);
		unlink(o->tmp_path);
	}
	release(o);
}
bool out_is_terminal(const char *path)
{
	return strcmp(path, "-") == 0 && isatty(STDOUT_FILENO);
}
