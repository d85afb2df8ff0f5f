/* Unit tests for base/: UTF-8 against its definition, control characters, hex digits,
 * write-all under short writes, EINTR and stuck descriptors, the clock's units, the buffer. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/text.h"

#include "../utf8_encode.h"

/* ---- Injected failures (-Wl,--wrap=write,--wrap=realloc) --------------------------------- */

/* write(): at most write_max bytes a call (0: no limit); write_eintr calls fail with EINTR
 * first; write_zero calls return 0. */
static size_t write_max;
static int write_eintr, write_zero, write_calls;
ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	write_calls++;
	if (write_eintr > 0) {
		write_eintr--;
		errno = EINTR;
		return -1;
	}
	if (write_zero > 0) {
		write_zero--;
		return 0;
	}
	return __real_write(fd, buf, write_max && n > write_max ? write_max : n);
}

static bool realloc_fails;
void *__real_realloc(void *p, size_t size);
void *__wrap_realloc(void *p, size_t size);
void *__wrap_realloc(void *p, size_t size)
{
	return realloc_fails ? NULL : __real_realloc(p, size);
}

/* ---- UTF-8 ------------------------------------------------------------------------------ */

static bool surrogate(uint32_t cp)
{
	return cp >= 0xd800 && cp <= 0xdfff;
}

/* Every string of three bytes: it decodes exactly when it starts with the encoding of a
 * scalar value of at most three bytes, and then to that value. */
static void test_utf8_every_three_bytes(void **state)
{
	(void)state;
	uint8_t *const valid = calloc(1 << 24 >> 3, 1); /* bit per 3-byte string */
	assert_non_null(valid);
	for (uint32_t cp = 0; cp < 0x10000; cp++) {
		unsigned char e[4];
		if (surrogate(cp))
			continue;
		size_t const len = utf8_encode(cp, e);
		uint32_t prefix = 0;
		for (size_t i = 0; i < len; i++)
			prefix = prefix << 8 | e[i];
		uint32_t const tail = 1u << (8 * (3 - len));
		for (uint32_t t = 0; t < tail; t++) {
			uint32_t const s = prefix * tail + t;
			valid[s >> 3] |= (uint8_t)(1u << (s & 7));
		}
	}
	for (uint32_t s = 0; s < 1u << 24; s++) {
		char const bytes[3] = {(char)(s >> 16), (char)(s >> 8), (char)s};
		uint32_t cp = UINT32_MAX;
		size_t const n = base_utf8_decode(bytes, 3, &cp);
		bool const want = valid[s >> 3] >> (s & 7) & 1;
		if (want != (n > 0))
			fail_msg("%06x: decoded %zu bytes", (unsigned)s, n);
		unsigned char e[4];
		if (n > 0 && (utf8_encode(cp, e) != n || memcmp(e, bytes, n) != 0))
			fail_msg("%06x: decoded as U+%04X", (unsigned)s, (unsigned)cp);
	}
	free(valid);
}

/* Four bytes: every supplementary scalar value round-trips, and is refused cut short. */
static void test_utf8_four_bytes(void **state)
{
	(void)state;
	for (uint32_t cp = 0x10000; cp <= 0x10ffff; cp++) {
		unsigned char e[4];
		uint32_t got = 0;
		assert_int_equal(utf8_encode(cp, e), 4);
		assert_int_equal(base_utf8_decode((const char *)e, 4, &got), 4);
		assert_int_equal(got, cp);
		for (size_t len = 1; len < 4; len++)
			assert_int_equal(base_utf8_decode((const char *)e, len, &got), 0);
	}
	/* Past U+10FFFF, overlong, and lead bytes RFC 3629 does not allow. */
	const char *const bad[] = {"\xf4\x90\x80\x80", "\xf0\x8f\xbf\xbf", "\xf5\x80\x80\x80",
				   "\xf8\x88\x80\x80", "\xff\xbf\xbf\xbf"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t got = 7;
		assert_int_equal(base_utf8_decode(bad[i], 4, &got), 0);
		assert_int_equal(got, 7); /* untouched */
	}
}

static void test_controls(void **state)
{
	(void)state;
	for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
		bool const c0 = cp <= 0x1f, del = cp == 0x7f, c1 = cp >= 0x80 && cp <= 0x9f;
		assert_int_equal(base_unicode_control(cp), c0 || del || c1);
	}
}

static void test_hex_digits(void **state)
{
	(void)state;
	const char *const digits = "0123456789abcdef", *const upper = "ABCDEF";
	for (int c = -128; c < 128; c++) {
		const char *const lo = c > 0 ? strchr(digits, c) : NULL;
		const char *const up = c > 0 ? strchr(upper, c) : NULL;
		int const want = lo ? (int)(lo - digits) : up ? (int)(up - upper) + 10 : -1;
		assert_int_equal(base_hex_digit((char)c), want);
	}
}

/* ---- write-all -------------------------------------------------------------------------- */

static void fill(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (char)(i * 7 + 3);
}

/* What came out of the pipe, exactly n bytes. */
static void drain(int fd, const char *want, size_t n)
{
	char got[4096];
	size_t have = 0;
	while (have < n) {
		ssize_t const r = read(fd, got + have, n - have);
		assert_true(r > 0);
		have += (size_t)r;
	}
	assert_memory_equal(got, want, n);
}

static void test_write_all_short_and_eintr(void **state)
{
	(void)state;
	int p[2];
	char data[3000];
	fill(data, sizeof(data));
	assert_int_equal(pipe(p), 0);
	write_max = 7;
	write_eintr = 2;
	write_calls = 0;
	assert_int_equal(base_write_all(p[1], data, sizeof(data)), 0);
	assert_int_equal(write_calls, 2 + (sizeof(data) + 6) / 7);
	write_max = 0;
	drain(p[0], data, sizeof(data));
	assert_int_equal(base_write_all(p[1], data, 0), 0);
	close(p[0]);
	close(p[1]);
}

static void test_write_all_failures(void **state)
{
	(void)state;
	int p[2];
	char data[16];
	fill(data, sizeof(data));
	assert_int_equal(pipe(p), 0);
	/* A descriptor that takes nothing is EIO, not a loop. */
	write_zero = 1;
	errno = 0;
	assert_int_equal(base_write_all(p[1], data, sizeof(data)), EIO);
	assert_int_equal(errno, EIO);
	close(p[0]);
	close(p[1]);
	assert_int_equal(base_write_all(p[1], data, sizeof(data)), EBADF);
	assert_int_equal(errno, EBADF);
}

/* ---- The clock -------------------------------------------------------------------------- */

static void test_clock_units(void **state)
{
	(void)state;
	int64_t const ms0 = base_clock_ms(), ns0 = base_clock_ns();
	struct timespec const nap = {0, 30 * 1000 * 1000};
	assert_int_equal(nanosleep(&nap, NULL), 0);
	int64_t const ns1 = base_clock_ns(), ms1 = base_clock_ms();
	/* 30 ms apart, in both units; a busy machine may add, never take away. */
	assert_true(ns1 - ns0 >= 30 * 1000 * 1000);
	assert_true(ms1 - ms0 >= 30);
	/* The same clock: milliseconds bracket the nanoseconds read between them. */
	assert_true(ms0 <= ns0 / 1000000 && ns1 / 1000000 <= ms1);
	assert_true(ns1 - ns0 < 10 * 1000000000LL);
}

/* ---- The buffer ------------------------------------------------------------------------- */

static void test_buf_grows(void **state)
{
	(void)state;
	struct base_buf b;
	base_buf_init(&b);
	assert_null(b.data);
	char chunk[1000];
	fill(chunk, sizeof(chunk));
	for (int i = 0; i < 50; i++)
		assert_true(base_buf_append(&b, chunk, sizeof(chunk)));
	assert_int_equal(b.len, 50 * sizeof(chunk));
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], '\0');
	for (int i = 0; i < 50; i++)
		assert_memory_equal(b.data + i * sizeof(chunk), chunk, sizeof(chunk));
	char *const kept = b.data;
	base_buf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_true(base_buf_append(&b, "x", 1));
	assert_ptr_equal(b.data, kept); /* the memory is reused */
	assert_string_equal(b.data, "x");
	base_buf_finish(&b);
	assert_null(b.data);
	base_buf_finish(NULL);
}

static void test_buf_printf(void **state)
{
	(void)state;
	struct base_buf b;
	char want[5000];
	base_buf_init(&b);
	assert_true(base_buf_printf(&b, "%d-%s", 42, "x"));
	/* Longer than any fixed line buffer: no limit but memory. */
	memset(want, 'a', sizeof(want) - 1);
	want[sizeof(want) - 1] = '\0';
	assert_true(base_buf_printf(&b, "[%s]", want));
	assert_int_equal(b.len, 4 + sizeof(want) + 1);
	assert_memory_equal(b.data, "42-x[", 5);
	assert_memory_equal(b.data + 5, want, sizeof(want) - 1);
	assert_string_equal(b.data + b.len - 1, "]");
	base_buf_finish(&b);
}

static void test_buf_out_of_memory(void **state)
{
	(void)state;
	struct base_buf b;
	base_buf_init(&b);
	realloc_fails = true;
	assert_false(base_buf_append(&b, "x", 1));
	assert_true(b.failed);
	realloc_fails = false;
	/* Sticky until cleared: a document is never silently missing a piece. */
	assert_false(base_buf_append(&b, "y", 1));
	assert_false(base_buf_printf(&b, "%s", "z"));
	base_buf_clear(&b);
	assert_true(base_buf_printf(&b, "%s", "z"));
	assert_string_equal(b.data, "z");
	/* Sizes near SIZE_MAX are refused before they overflow. */
	assert_false(base_buf_append(&b, "", SIZE_MAX - 1));
	assert_true(b.failed);
	base_buf_finish(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_every_three_bytes),
		cmocka_unit_test(test_utf8_four_bytes),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_hex_digits),
		cmocka_unit_test(test_write_all_short_and_eintr),
		cmocka_unit_test(test_write_all_failures),
		cmocka_unit_test(test_clock_units),
		cmocka_unit_test(test_buf_grows),
		cmocka_unit_test(test_buf_printf),
		cmocka_unit_test(test_buf_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
