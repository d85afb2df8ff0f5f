/*
 * zstd unpacking through file descriptors, as verify runs it. The input is the artifact: one
 * zstd frame. Both ends are memfds, reused between runs. Property: success means the output is
 * exactly the frame's declared content size, within the limit, and what zstd itself decodes.
 */
#define _GNU_SOURCE /* memfd_create */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zstd.h>

#include "fuzz.h"
#include "signing.h"

enum { MAX_SIZE = 1 << 20 }; /* small, so a run stays fast */

static int in_fd = -1, out_fd = -1;

static void reset(int fd)
{
	fuzz_require(ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0, "reset memfd");
}

static void check_output(const uint8_t *data, size_t size, uint64_t written)
{
	unsigned long long const declared = ZSTD_getFrameContentSize(data, size);
	fuzz_require(declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR,
		     "unpacked a frame without a content size");
	fuzz_require(written == declared && written <= MAX_SIZE, "output size != declared size");
	fuzz_require(lseek(out_fd, 0, SEEK_END) == (off_t)written, "size_out != bytes written");
	uint8_t *const got = malloc(written + 1), *const want = malloc(written + 1);
	fuzz_require(got && want, "malloc");
	fuzz_require(pread(out_fd, got, written, 0) == (ssize_t)written, "read output back");
	size_t const n = ZSTD_decompress(want, written + 1, data, size);
	fuzz_require(!ZSTD_isError(n) && n == written && memcmp(got, want, n) == 0,
		     "output differs from ZSTD_decompress");
	free(want);
	free(got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (in_fd < 0) {
		in_fd = memfd_create("fuzz-in", MFD_CLOEXEC);
		out_fd = memfd_create("fuzz-out", MFD_CLOEXEC);
		fuzz_require(in_fd >= 0 && out_fd >= 0, "memfd_create");
	}
	reset(in_fd);
	reset(out_fd);
	fuzz_require(write(in_fd, data, size) == (ssize_t)size, "write input");
	fuzz_require(lseek(in_fd, 0, SEEK_SET) == 0, "rewind input");

	uint64_t written = UINT64_MAX;
	enum sig_error const err = sig_unpack(in_fd, out_fd, MAX_SIZE, &written);
	fuzz_require(written <= MAX_SIZE, "wrote past the limit");
	if (err == SIG_OK)
		check_output(data, size, written);
	return 0;
}
