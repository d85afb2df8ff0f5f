/* zstd artifacts: one frame with its content size and checksum, unpacked defensively. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "signing_internal.h"

static enum sig_error read_some(int fd, void *buf, size_t cap, size_t *len_out)
{
	for (;;) {
		ssize_t n = read(fd, buf, cap);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return SIG_ERR_IO;
		*len_out = (size_t)n;
		return SIG_OK;
	}
}

static enum sig_error pack_setup(ZSTD_CCtx *cctx, int in_fd, int level)
{
	struct stat st;
	if (fstat(in_fd, &st) != 0)
		return SIG_ERR_IO;
	/* Known size up front puts the content size in the frame header. */
	if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1)) ||
	    ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(cctx, (unsigned long long)st.st_size)))
		return SIG_ERR_ZSTD;
	return SIG_OK;
}

/* Compress what is in *in (all of it when end), writing and hashing the output. */
static enum sig_error pack_chunk(ZSTD_CCtx *cctx, ZSTD_inBuffer *in, bool end, void *out_buf,
				 size_t out_cap, int out_fd, struct sig_hasher *h)
{
	ZSTD_EndDirective mode = end ? ZSTD_e_end : ZSTD_e_continue;
	size_t left;
	do {
		ZSTD_outBuffer out = {out_buf, out_cap, 0};
		left = ZSTD_compressStream2(cctx, &out, in, mode);
		if (ZSTD_isError(left))
			return SIG_ERR_ZSTD;
		sig_hasher_update(h, out_buf, out.pos);
		enum sig_error err = sig_write_all(out_fd, out_buf, out.pos);
		if (err != SIG_OK)
			return err;
	} while (end ? left != 0 : in->pos < in->size);
	return SIG_OK;
}

/* Page-aligned buffers: the kernel copies to and from an aligned buffer fastest (malloc serves
 * large blocks with mmap 16 bytes past a page boundary). */
static void *buffer_alloc(size_t *cap)
{
	*cap = (*cap + 4095) / 4096 * 4096;
	return aligned_alloc(4096, *cap);
}

enum sig_error sig_pack(int in_fd, int out_fd, int level, uint8_t digest_out[SIG_DIGEST_BYTES])
{
	size_t in_cap = 1 << 20;
	size_t out_cap = ZSTD_CStreamOutSize();
	void *in_buf = buffer_alloc(&in_cap);
	void *out_buf = buffer_alloc(&out_cap);
	ZSTD_CCtx *cctx = ZSTD_createCCtx();
	struct sig_hasher *h = NULL;
	enum sig_error err = in_buf && out_buf && cctx ? sig_hasher_create(&h) : SIG_ERR_NOMEM;

	if (err == SIG_OK)
		err = pack_setup(cctx, in_fd, level);
	while (err == SIG_OK) {
		size_t n;
		err = read_some(in_fd, in_buf, in_cap, &n);
		if (err != SIG_OK)
			break;
		ZSTD_inBuffer in = {in_buf, n, 0};
		err = pack_chunk(cctx, &in, n == 0, out_buf, out_cap, out_fd, h);
		if (n == 0)
			break;
	}
	if (err == SIG_OK && digest_out)
		sig_hasher_final(h, digest_out);
	sig_hasher_destroy(h);
	ZSTD_freeCCtx(cctx);
	free(out_buf);
	free(in_buf);
	return err;
}

static uint32_t le32_load(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t sig_artifact_max(uint64_t max_size)
{
	/* Frame header (at most 18 bytes, RFC 8878 3.1.1.1) and content checksum (4). */
	enum { FRAME_OVERHEAD = 18 + 4 };
	if (max_size > SIZE_MAX / 2)
		return UINT64_MAX;
	return (uint64_t)ZSTD_compressBound((size_t)max_size) + FRAME_OVERHEAD;
}

/* Read the frame header from the start of in_fd and check what heart insists on. */
static enum sig_error unpack_header(int in_fd, uint64_t max_size, uint64_t *declared_out)
{
	/* Magic (4), descriptor (1), window (1), dictionary id (4), content size (8). */
	unsigned char head[18];
	size_t len = 0;

	while (len < sizeof(head)) {
		size_t n;
		enum sig_error err = read_some(in_fd, head + len, sizeof(head) - len, &n);
		if (err != SIG_OK)
			return err;
		if (n == 0)
			break;
		len += n;
	}
	if (lseek(in_fd, 0, SEEK_SET) != 0)
		return SIG_ERR_IO;
	/* Only a zstd frame: ZSTD_getFrameContentSize() reports a skippable frame (magic
	 * 0x184D2A5?) as content size 0, and any other magic as an error. */
	if (len < 4 || le32_load(head) != ZSTD_MAGICNUMBER)
		return SIG_ERR_ZSTD;
	/* The stable API gives the size; it rejects short headers. */
	unsigned long long size = ZSTD_getFrameContentSize(head, len);
	if (size == ZSTD_CONTENTSIZE_ERROR)
		return SIG_ERR_ZSTD;
	if (size == ZSTD_CONTENTSIZE_UNKNOWN)
		return SIG_ERR_ZSTD_NO_SIZE;
	/* Frame_Header_Descriptor bit 2: Content_Checksum_flag (RFC 8878, 3.1.1.1.1). */
	if (!(head[4] & 0x04))
		return SIG_ERR_ZSTD_NO_CHECKSUM;
	if (size > max_size)
		return SIG_ERR_ZSTD_TOO_BIG;
	*declared_out = size;
	return SIG_OK;
}

struct unpack_state {
	ZSTD_DCtx *dctx;
	void *in_buf, *out_buf;
	size_t in_cap, out_cap;
	uint64_t declared, written;
	bool frame_done;
};

/* Decompress one input buffer; output past the declared size stops at once. */
static enum sig_error unpack_chunk(struct unpack_state *s, ZSTD_inBuffer *in, int out_fd)
{
	while (in->pos < in->size) {
		if (s->frame_done)
			return SIG_ERR_ZSTD; /* bytes after the frame */
		ZSTD_outBuffer out = {s->out_buf, s->out_cap, 0};
		size_t ret = ZSTD_decompressStream(s->dctx, &out, in);
		if (ZSTD_isError(ret))
			return SIG_ERR_ZSTD; /* includes a checksum mismatch */
		if (out.pos > s->declared - s->written)
			return SIG_ERR_ZSTD_TOO_BIG;
		s->written += out.pos;
		enum sig_error err = sig_write_all(out_fd, s->out_buf, out.pos);
		if (err != SIG_OK)
			return err;
		s->frame_done = ret == 0;
	}
	return SIG_OK;
}

static enum sig_error unpack_loop(struct unpack_state *s, int in_fd, int out_fd)
{
	enum sig_error err = SIG_OK;
	while (err == SIG_OK) {
		size_t n;
		err = read_some(in_fd, s->in_buf, s->in_cap, &n);
		if (err != SIG_OK || n == 0)
			break;
		ZSTD_inBuffer in = {s->in_buf, n, 0};
		err = unpack_chunk(s, &in, out_fd);
	}
	if (err == SIG_OK && (!s->frame_done || s->written != s->declared))
		err = SIG_ERR_ZSTD; /* truncated, or shorter than declared */
	return err;
}

enum sig_error sig_unpack(int in_fd, int out_fd, uint64_t max_size, uint64_t *size_out)
{
	struct unpack_state s = {
		.dctx = ZSTD_createDCtx(),
		.in_cap = ZSTD_DStreamInSize(),
		.out_cap = ZSTD_DStreamOutSize(),
	};
	s.in_buf = buffer_alloc(&s.in_cap);
	s.out_buf = buffer_alloc(&s.out_cap);
	enum sig_error err = s.dctx && s.in_buf && s.out_buf ? SIG_OK : SIG_ERR_NOMEM;

	if (err == SIG_OK)
		err = unpack_header(in_fd, max_size, &s.declared);
	if (err == SIG_OK)
		err = unpack_loop(&s, in_fd, out_fd);
	if (size_out)
		*size_out = s.written;
	ZSTD_freeDCtx(s.dctx);
	free(s.out_buf);
	free(s.in_buf);
	return err;
}
