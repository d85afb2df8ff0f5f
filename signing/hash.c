/* Streaming BLAKE2b-512 over files. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <sodium.h>

#include "signing_internal.h"

/* Large reads: fewer system calls, and the hash stays the bottleneck. */
enum { READ_BLOCK = 1 << 20 };

struct sig_hasher {
	crypto_generichash_state state;
};

enum sig_error sig_hasher_create(struct sig_hasher **hasher_out)
{
	*hasher_out = NULL;
	if (sodium_init() < 0)
		return SIG_ERR_NOMEM;
	/* crypto_generichash_state wants 64-byte alignment. */
	struct sig_hasher *h = aligned_alloc(64, (sizeof(*h) + 63) / 64 * 64);
	if (!h)
		return SIG_ERR_NOMEM;
	crypto_generichash_init(&h->state, NULL, 0, SIG_DIGEST_BYTES);
	*hasher_out = h;
	return SIG_OK;
}

void sig_hasher_update(struct sig_hasher *hasher, const void *data, size_t len)
{
	crypto_generichash_update(&hasher->state, data, len);
}

void sig_hasher_final(struct sig_hasher *hasher, uint8_t digest_out[SIG_DIGEST_BYTES])
{
	crypto_generichash_final(&hasher->state, digest_out, SIG_DIGEST_BYTES);
}

void sig_hasher_destroy(struct sig_hasher *hasher)
{
	free(hasher);
}

enum sig_error sig_read_blocks(int fd, uint64_t max_len,
			       enum sig_error (*eat)(void *ctx, const uint8_t *block, size_t len),
			       void *ctx)
{
	uint64_t total = 0;
	uint8_t *const buf = aligned_alloc(4096, READ_BLOCK);
	enum sig_error err = buf ? SIG_OK : SIG_ERR_NOMEM;

	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	while (err == SIG_OK) {
		ssize_t const n = read(fd, buf, READ_BLOCK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = SIG_ERR_IO;
		if (n <= 0)
			break;
		/* Checked before the bytes go anywhere: a copy never exceeds max_len. */
		if ((uint64_t)n > max_len - total) {
			err = SIG_ERR_ARTIFACT_TOO_BIG;
			break;
		}
		total += (uint64_t)n;
		err = eat(ctx, buf, (size_t)n);
	}
	free(buf);
	return err;
}

struct hash_copy {
	struct sig_hasher *hasher;
	int copy_fd;
};

static enum sig_error hash_and_copy(void *ctx, const uint8_t *block, size_t len)
{
	struct hash_copy *const hc = ctx;
	if (hc->hasher)
		sig_hasher_update(hc->hasher, block, len);
	return hc->copy_fd >= 0 ? sig_write_all(hc->copy_fd, block, len) : SIG_OK;
}

enum sig_error sig_hash_fd(int fd, int copy_fd, uint64_t max_len,
			   uint8_t digest_out[SIG_DIGEST_BYTES])
{
	struct hash_copy hc = {.copy_fd = copy_fd};
	/* No digest wanted: only copy, without a hasher. */
	enum sig_error err = digest_out ? sig_hasher_create(&hc.hasher) : SIG_OK;

	if (err == SIG_OK)
		err = sig_read_blocks(fd, max_len, hash_and_copy, &hc);
	if (err == SIG_OK && digest_out)
		sig_hasher_final(hc.hasher, digest_out);
	sig_hasher_destroy(hc.hasher);
	return err;
}
