/* Batches: the outputs and inputs of one command, checked against each other and committed
 * together. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio_internal.h"

struct fio_input {
	char *path;
	struct fio_id id;
};

struct fio_batch {
	struct fio_out **outs;
	size_t n_outs, cap_outs;
	struct fio_input *ins;
	size_t n_ins, cap_ins;
	struct fio_error err;
	char *err_path, *err_other; /* what err points at */
	bool committed;
};

bool fio_batch_create(struct fio_batch **batch_out)
{
	*batch_out = calloc(1, sizeof(**batch_out));
	return *batch_out != NULL;
}

void fio_batch_destroy(struct fio_batch *b)
{
	if (!b)
		return;
	/* Every temporary first: some outputs borrow another's directory descriptor. */
	for (size_t i = 0; i < b->n_outs; i++)
		fio_out_release(b->outs[i]);
	for (size_t i = 0; i < b->n_outs; i++) {
		fio_out_close_dir(b->outs[i]);
		fio_out_free(b->outs[i]);
		free(b->outs[i]);
	}
	for (size_t i = 0; i < b->n_ins; i++)
		free(b->ins[i].path);
	free(b->outs);
	free(b->ins);
	free(b->err_path);
	free(b->err_other);
	free(b);
}

const struct fio_error *fio_batch_error(const struct fio_batch *b)
{
	return &b->err;
}

/* Record a failure; always returns false. */
static bool fail(struct fio_batch *b, int code, const char *path, bool is_input)
{
	free(b->err_path);
	free(b->err_other);
	b->err_path = path ? strdup(path) : NULL;
	b->err_other = NULL;
	b->err = (struct fio_error){.code = code, .path = b->err_path, .is_input = is_input};
	return false;
}

static bool fail_same(struct fio_batch *b, const char *path, bool is_input, const char *other,
		      bool other_is_input)
{
	fail(b, FIO_ERR_SAME_FILE, path, is_input);
	b->err_other = strdup(other);
	b->err.other = b->err_other;
	b->err.other_is_input = other_is_input;
	return false;
}

/* The file an output writes to or replaces, when there is one already. */
static bool out_id(const struct fio_out *o, struct fio_id *id_out)
{
	if (o->kind == FIO_OUT_DIRECT)
		*id_out = o->id;
	else if (o->existed)
		*id_out = fio_id_of(&o->old);
	return o->kind == FIO_OUT_DIRECT || o->existed;
}

static bool outs_collide(const struct fio_out *a, const struct fio_out *b)
{
	struct fio_id ia, ib;
	if (a->kind == FIO_OUT_REPLACE && b->kind == FIO_OUT_REPLACE &&
	    fio_id_equal(a->dir_id, b->dir_id) && strcmp(a->name, b->name) == 0)
		return true;
	return out_id(a, &ia) && out_id(b, &ib) && fio_id_equal(ia, ib);
}

/* Make room for one more element of size `size` in *array. */
static bool grow(void *array, size_t n, size_t *cap, size_t size)
{
	void **const p = array;
	if (n < *cap)
		return true;
	size_t const new_cap = *cap ? *cap * 2 : 4;
	void *const grown = realloc(*p, new_cap * size);
	if (!grown)
		return false;
	*p = grown;
	*cap = new_cap;
	return true;
}

/* Refuse o if it is an input or another output of the batch. */
static bool out_check(struct fio_batch *b, const struct fio_out *o)
{
	struct fio_id id;
	for (size_t i = 0; i < b->n_outs; i++)
		if (b->outs[i] != o && outs_collide(o, b->outs[i]))
			return fail_same(b, o->path, false, b->outs[i]->path, false);
	for (size_t i = 0; out_id(o, &id) && i < b->n_ins; i++)
		if (fio_id_equal(id, b->ins[i].id))
			return fail_same(b, o->path, false, b->ins[i].path, true);
	return true;
}

bool fio_batch_output(struct fio_batch *b, const char *path, const struct fio_out_opts *opts,
		      struct fio_out **out_out)
{
	*out_out = NULL;
	struct fio_out *o = calloc(1, sizeof(*o));
	if (!o || !grow(&b->outs, b->n_outs, &b->cap_outs, sizeof(*b->outs))) {
		free(o);
		return fail(b, ENOMEM, path, false);
	}
	int const err = fio_out_open(o, path, opts, b->outs, b->n_outs);
	if (err) {
		free(o);
		return fail(b, err, path, false);
	}
	b->outs[b->n_outs++] = o; /* owned by the batch from here, even if refused */
	if (!out_check(b, o))
		return false;
	*out_out = o;
	return true;
}

bool fio_out_seal(struct fio_batch *b, struct fio_out *out)
{
	int const err = fio_out_do_seal(out);
	return err ? fail(b, err, out->path, false) : true;
}

bool fio_out_write(struct fio_batch *b, struct fio_out *out, const void *data, size_t len)
{
	int const err = base_write_all(out->fd, data, len);
	return err ? fail(b, err, out->path, false) : true;
}

bool fio_out_scratch(struct fio_batch *b, const struct fio_out *out, int *fd_out)
{
	int const err = fio_out_scratch_fd(out, fd_out);
	return err ? fail(b, err, out->path, false) : true;
}

/* ---- Commit ----------------------------------------------------------------------------- */

/* Just before the renames: the targets must still be what they were at open. */
static int recheck(const struct fio_out *o)
{
	struct stat st;
	if (fstatat(o->dirfd, o->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? 0 : errno;
	if (o->opts.no_replace)
		return EEXIST;
	return S_ISDIR(st.st_mode) ? EISDIR : 0;
}

/* A hidden hard link to the file about to be replaced, to put it back if a later rename of
 * the batch fails. File systems without hard links go without. */
static int backup(struct fio_out *o)
{
	struct stat st;
	if (fstatat(o->dirfd, o->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? 0 : errno;
	o->replacing = true;
	if (fio_name_link(o->dirfd, o->name, -1, o->dirfd, o->name, &o->backup) == 0)
		return 0;
	return errno == EPERM || errno == EMLINK || errno == EOPNOTSUPP || errno == ENOSYS ? 0
											   : errno;
}

/* Give the file its final name. Signals are blocked. */
static int publish(struct fio_out *o)
{
	if (o->opts.no_replace) {
		/* link() refuses an existing name, atomically. */
		if (linkat(o->dirfd, o->temp.name, o->dirfd, o->name, 0) != 0)
			return errno;
		unlinkat(o->dirfd, o->temp.name, 0);
	} else if (renameat(o->dirfd, o->temp.name, o->dirfd, o->name) != 0) {
		return errno;
	}
	fio_name_forget(&o->temp);
	o->committed = true;
	return 0;
}

/* Undo publish(): the old file back under its name, or the new one gone. Signals are
 * blocked. A backup that cannot be put back stays, hidden, rather than be lost; a file
 * replaced without a backup (no hard links) keeps the new contents rather than none. */
static void unpublish(struct fio_out *o)
{
	struct stat st;
	if (o->backup.live) {
		/* Renamed back, the backup's name is gone; not, it must stay. Forgotten either way.
		 */
		(void)renameat(o->dirfd, o->backup.name, o->dirfd, o->name);
		fio_name_forget(&o->backup);
	} else if (!o->replacing && fstatat(o->dirfd, o->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		   fio_id_equal(fio_id_of(&st), o->id)) {
		unlinkat(o->dirfd, o->name, 0);
	}
	o->committed = false;
}

/* The renames, all or none. Returns the index that failed, or n. */
static size_t publish_all(struct fio_batch *b, int *err_out)
{
	sigset_t old;
	size_t k;
	*err_out = 0;
	fio_signals_block(&old);
	for (k = 0; k < b->n_outs; k++) {
		if (b->outs[k]->kind == FIO_OUT_REPLACE && (*err_out = publish(b->outs[k])))
			break;
	}
	for (size_t j = k; *err_out && j-- > 0;)
		if (b->outs[j]->committed)
			unpublish(b->outs[j]);
	for (size_t i = 0; i < b->n_outs; i++)
		fio_name_remove(&b->outs[i]->backup);
	fio_signals_restore(&old);
	return k;
}

/* Best effort: the renames are done and atomic; this makes them durable sooner. Each
 * directory once. */
static void sync_dirs(const struct fio_batch *b)
{
	for (size_t i = 0; i < b->n_outs; i++) {
		const struct fio_out *const o = b->outs[i];
		bool seen = false;
		if (o->kind != FIO_OUT_REPLACE || !o->opts.durable)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = b->outs[j]->kind == FIO_OUT_REPLACE && b->outs[j]->opts.durable &&
			       b->outs[j]->dirfd == o->dirfd;
		int const fd =
			seen ? -1 : openat(o->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			(void)fsync(fd);
			close(fd);
		}
	}
}

bool fio_batch_commit(struct fio_batch *b)
{
	size_t n_replace = 0;
	int err = 0;
	if (b->committed)
		return fail(b, EINVAL, NULL, false);
	b->committed = true;
	/* Everything that can fail, before the first file appears. */
	for (size_t i = 0; i < b->n_outs; i++) {
		struct fio_out *const o = b->outs[i];
		if ((err = fio_out_do_seal(o)))
			return fail(b, err, o->path, false);
		n_replace += o->kind == FIO_OUT_REPLACE;
	}
	for (size_t i = 0; i < b->n_outs; i++) {
		struct fio_out *const o = b->outs[i];
		if (o->kind == FIO_OUT_REPLACE && ((err = recheck(o)) || (err = fio_out_name(o))))
			return fail(b, err, o->path, false);
	}
	for (size_t i = 0; n_replace > 1 && i < b->n_outs; i++) {
		struct fio_out *const o = b->outs[i];
		if (o->kind == FIO_OUT_REPLACE && (err = backup(o)))
			return fail(b, err, o->path, false);
	}
	size_t const failed = publish_all(b, &err);
	if (err)
		return fail(b, err, b->outs[failed]->path, false);
	sync_dirs(b);
	return true;
}

/* ---- Inputs ----------------------------------------------------------------------------- */

bool fio_batch_input(struct fio_batch *b, const char *path, unsigned flags, int *fd_out)
{
	struct stat st;
	*fd_out = -1;
	if (!grow(&b->ins, b->n_ins, &b->cap_ins, sizeof(*b->ins)))
		return fail(b, ENOMEM, path, true);
	int fd;
	int const err = fio_in_open(path, flags, &fd, &st);
	if (err)
		return fail(b, err, path, true);
	struct fio_id const id = fio_id_of(&st);
	for (size_t i = 0; i < b->n_outs; i++) {
		struct fio_id oid;
		if (out_id(b->outs[i], &oid) && fio_id_equal(oid, id)) {
			close(fd);
			return fail_same(b, path, true, b->outs[i]->path, false);
		}
	}
	char *const copy = strdup(path);
	if (!copy) {
		close(fd);
		return fail(b, ENOMEM, path, true);
	}
	b->ins[b->n_ins++] = (struct fio_input){.path = copy, .id = id};
	*fd_out = fd;
	return true;
}

bool fio_batch_read(struct fio_batch *b, const char *path, char *buf, size_t cap, size_t *len_out)
{
	int fd;
	*len_out = 0;
	if (!fio_batch_input(b, path, FIO_IN_REGULAR, &fd))
		return false;
	int const err = fio_read_all(fd, buf, cap, len_out);
	close(fd);
	return err ? fail(b, err, path, true) : true;
}
