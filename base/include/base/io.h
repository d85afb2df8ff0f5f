#pragma once

/*
 * Writing to file descriptors and reading the clock. Each call works on what it is given
 * only: safe from any thread (two threads writing to one fd interleave as write() does).
 */

#include <stddef.h>
#include <stdint.h>

/*
 * Write all n bytes of p to fd: short writes continue where they stopped, EINTR is retried.
 * Returns 0, or the errno value of the failure (also left in errno); EIO when write() returns
 * 0, so a descriptor that takes nothing cannot spin. On failure some bytes may have gone.
 */
int base_write_all(int fd, const void *p, size_t n);

/* The monotonic clock (CLOCK_MONOTONIC: never jumps with the wall clock), in nanoseconds and
 * in milliseconds from an arbitrary start. Only differences between two readings mean
 * anything. */
int64_t base_clock_ns(void);
int64_t base_clock_ms(void);
