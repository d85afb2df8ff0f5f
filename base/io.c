/* write() until done, and the monotonic clock. */
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "base/io.h"

int base_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t const w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return errno;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int64_t base_clock_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int64_t base_clock_ms(void)
{
	return base_clock_ns() / 1000000;
}
