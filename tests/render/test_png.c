/* Unit tests for render/png.h's APNG writer: its chunks (CRCs, one sequence counter, acTL's
 * count, the default image outside the animation), its timing, and every frame's pixels, put
 * together on a canvas as a decoder does and compared with heart_png_write() of that phase. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "render/model.h"
#include "render/png.h"
#include "render/raster.h"

#include "../heap_count.h"

/* ---- helpers ---- */

struct chunk {
	char type[5];
	const uint8_t *data;
	uint32_t len;
};

#define MAX_CHUNKS 1024

struct file {
	char *bytes;
	size_t len;
	struct chunk chunks[MAX_CHUNKS];
	size_t n;
};

static uint32_t u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t u16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

/* Split f->bytes into chunks, checking the signature, each length and each CRC. */
static void parse(struct file *f)
{
	static const uint8_t signature[8] = {137, 'P', 'N', 'G', 13, 10, 26, 10};
	const uint8_t *const b = (const uint8_t *)f->bytes;
	assert_true(f->len >= 8);
	assert_memory_equal(b, signature, 8);
	f->n = 0;
	for (size_t at = 8; at < f->len;) {
		assert_true(f->len - at >= 12);
		uint32_t const len = u32(b + at);
		assert_true(len <= f->len - at - 12);
		assert_true(f->n < MAX_CHUNKS);
		struct chunk *const c = &f->chunks[f->n++];
		memcpy(c->type, b + at + 4, 4);
		c->type[4] = '\0';
		c->data = b + at + 8;
		c->len = len;
		uLong const crc = crc32(0, b + at + 4, 4 + len);
		assert_int_equal(u32(b + at + 8 + len), (uint32_t)crc);
		at += 12 + len;
	}
	assert_string_equal(f->chunks[f->n - 1].type, "IEND");
}

static struct heart_png_options red(bool transparent)
{
	return (struct heart_png_options){.color = {255, 0, 0},
					  .transparent = transparent,
					  .background = {255, 255, 255},
					  .software = "heart test"};
}

static void write_apng(struct heart_raster *r, uint32_t w, uint32_t h, double hz, double amp,
		       const struct heart_png_options *o, struct file *f)
{
	FILE *const fp = open_memstream(&f->bytes, &f->len);
	struct heart_shape s;
	heart_shape_default(&s);
	assert_non_null(fp);
	assert_int_equal(heart_apng_write(fp, r, &s, w, h, hz, amp, o), HEART_PNG_OK);
	fclose(fp);
	parse(f);
}

/* heart_png_write() of the heart at `phase` laid out with `amplitude`. */
static void write_png(struct heart_raster *r, uint32_t w, uint32_t h, double amp, double phase,
		      const struct heart_png_options *o, struct file *f)
{
	struct heart_path path;
	struct heart_shape s;
	heart_shape_default(&s);
	heart_image_path(&s, w, h, amp, phase, &path);
	FILE *const fp = open_memstream(&f->bytes, &f->len);
	assert_non_null(fp);
	assert_int_equal(heart_png_write(fp, r, &path, w, h, o), HEART_PNG_OK);
	fclose(fp);
	parse(f);
}

/* Inflate the zlib stream in data (its fdAT sequence numbers already taken out) to w × h
 * pixels, checking each row's filter byte is 0. */
static void inflate_rows(const uint8_t *data, size_t len, uint32_t w, uint32_t h, uint8_t *out)
{
	size_t const raw_len = (size_t)h * (w + 1);
	uint8_t *const raw = malloc(raw_len + 1);
	uLongf got = (uLongf)raw_len + 1;
	assert_non_null(raw);
	assert_int_equal(uncompress(raw, &got, data, (uLong)len), Z_OK);
	assert_int_equal(got, raw_len);
	for (uint32_t y = 0; y < h; y++) {
		assert_int_equal(raw[(size_t)y * (w + 1)], 0);
		memcpy(out + (size_t)y * w, raw + (size_t)y * (w + 1) + 1, w);
	}
	free(raw);
}

/* The IDAT chunks of f, joined. */
static size_t idat_of(const struct file *f, uint8_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->chunks[i].type, "IDAT") == 0) {
			memcpy(out + n, f->chunks[i].data, f->chunks[i].len);
			n += f->chunks[i].len;
		}
	return n;
}

/* ---- tests ---- */

struct fixture {
	struct heart_pool *pool;
	struct heart_raster *r;
};

static int setup(void **state)
{
	struct fixture *const f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	*state = f;
	f->pool = heart_pool_create();
	f->r = f->pool ? heart_raster_create(f->pool) : NULL;
	return f->r ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *const f = *state;
	heart_raster_destroy(f->r);
	heart_pool_destroy(f->pool);
	free(f);
	return 0;
}

static void test_timing(void **state)
{
	(void)state;
	struct heart_apng_timing t;
	static const struct {
		double hz;
		uint32_t frames, num, den;
	} cases[] = {
		{1.2, 25, 5, 6},   /* the default, 72 bpm */
		{1.0, 30, 1, 1},   /* 60 bpm */
		{0.1, 300, 10, 1}, /* the slowest: 300 frames at most */
		{10.0, 4, 1, 10},  /* the fastest: 4 frames at least */
		{1.7, 18, 10, 17}, {0.75, 40, 4, 3},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		heart_apng_timing(cases[i].hz, &t);
		assert_int_equal(t.frames, cases[i].frames);
		assert_int_equal(t.period_num, cases[i].num);
		assert_int_equal(t.period_den, cases[i].den);
	}
	/* Exact for every whole number of beats per minute and every fps of two decimals. */
	for (uint32_t bpm = 6; bpm <= 600; bpm++) {
		heart_apng_timing(bpm / 60.0, &t);
		assert_int_equal((uint64_t)t.period_num * bpm, (uint64_t)60 * t.period_den);
	}
	for (uint32_t centi = 10; centi <= 1000; centi++) {
		heart_apng_timing(centi / 100.0, &t);
		assert_int_equal((uint64_t)t.period_num * centi, (uint64_t)100 * t.period_den);
	}
	/* Whatever the frequency, every run of frames' delay fits fcTL's 16 bits, and the period
	 * is the closest fraction that does (within 0.2 %). */
	for (double hz = HEART_BEAT_HZ_MIN; hz <= HEART_BEAT_HZ_MAX; hz += 0.0137) {
		heart_apng_timing(hz, &t);
		assert_true((uint64_t)t.period_num * t.frames <= 65535);
		assert_true((uint64_t)t.period_den * t.frames <= 65535);
		assert_true(t.period_den > 0);
		double const err = (double)t.period_num / t.period_den * hz - 1;
		assert_true(err < 2e-3 && err > -2e-3);
	}
}

/*
 * The chunk order (acTL before IDAT, no fcTL before IDAT, fcTL then its fdATs), one sequence
 * counter from 0, acTL's count the number of fcTLs, loops forever, the first frame the whole
 * image, the delays adding up to exactly one period.
 */
static void check_structure(const struct file *f, uint32_t w, uint32_t h, uint32_t period_num,
			    uint32_t period_den)
{
	uint32_t seq = 0, fctl = 0, frames = 0;
	bool idat = false, actl = false, data = false;
	uint64_t sum_num = 0, sum_den = 1; /* the sum of delays as a fraction */
	for (size_t i = 0; i < f->n; i++) {
		const struct chunk *const c = &f->chunks[i];
		if (strcmp(c->type, "acTL") == 0) {
			assert_false(actl || idat);
			assert_int_equal(c->len, 8);
			frames = u32(c->data);
			assert_int_equal(u32(c->data + 4), 0);
			actl = true;
		} else if (strcmp(c->type, "IDAT") == 0) {
			assert_true(actl);
			assert_int_equal(fctl, 0); /* the default image is outside the animation */
			idat = true;
		} else if (strcmp(c->type, "fcTL") == 0) {
			assert_true(idat);
			assert_int_equal(c->len, 26);
			assert_int_equal(u32(c->data), seq++);
			uint32_t const fw = u32(c->data + 4), fh = u32(c->data + 8);
			uint32_t const x = u32(c->data + 12), y = u32(c->data + 16);
			assert_true(fw >= 1 && fh >= 1 && x + fw <= w && y + fh <= h);
			if (fctl == 0)
				assert_true(fw == w && fh == h && x == 0 && y == 0);
			uint64_t const num = u16(c->data + 20), den = u16(c->data + 22);
			assert_true(den > 0);
			sum_num = sum_num * den + num * sum_den;
			sum_den *= den;
			for (uint64_t a = sum_num, b = sum_den; b;) { /* reduce */
				uint64_t const t = a % b;
				a = b;
				b = t;
				if (!b) {
					sum_num /= a;
					sum_den /= a;
				}
			}
			assert_true(c->data[24] == 0 || c->data[24] == 2);
			assert_int_equal(c->data[25], 0);
			fctl++;
			data = false;
		} else if (strcmp(c->type, "fdAT") == 0) {
			assert_true(fctl > 0);
			assert_int_equal(u32(c->data), seq++);
			data = true;
		} else if (strcmp(c->type, "IEND") == 0) {
			assert_true(data);
		}
	}
	assert_true(actl && idat);
	assert_int_equal(frames, fctl);
	assert_true(frames >= 2);
	assert_int_equal(sum_num * period_den, (uint64_t)period_num * sum_den);
}

static void test_chunks(void **state)
{
	struct heart_raster *const r = ((struct fixture *)*state)->r;
	struct heart_png_options const o = red(true);
	struct file *const f = calloc(1, sizeof(*f));
	assert_non_null(f);
	write_apng(r, 64, 48, 1.2, 0.12, &o, f);
	check_structure(f, 64, 48, 5, 6);
	free(f->bytes);
	write_apng(r, 33, 70, 0.1, 0.5, &o, f);
	check_structure(f, 33, 70, 10, 1);
	free(f->bytes);
	free(f);
}

/* The default image is heart_png_write()'s image data of the heart at rest, byte for byte. */
static void test_default_image(void **state)
{
	struct heart_raster *const r = ((struct fixture *)*state)->r;
	struct file *const a = calloc(1, sizeof(*a)), *const b = calloc(1, sizeof(*b));
	for (int transparent = 0; transparent < 2; transparent++) {
		struct heart_png_options const o = red(transparent);
		write_apng(r, 100, 90, 1.2, 0.3, &o, a);
		write_png(r, 100, 90, 0, 0, &o, b);
		uint8_t *const x = malloc(a->len), *const y = malloc(b->len);
		size_t const nx = idat_of(a, x), ny = idat_of(b, y);
		assert_int_equal(nx, ny);
		assert_memory_equal(x, y, nx);
		/* The header chunks too: the APNG is the PNG with the animation added. */
		for (size_t i = 0; strcmp(a->chunks[i].type, "acTL") != 0; i++) {
			assert_string_equal(a->chunks[i].type, b->chunks[i].type);
			assert_int_equal(a->chunks[i].len, b->chunks[i].len);
		}
		free(x);
		free(y);
		free(a->bytes);
		free(b->bytes);
	}
	free(a);
	free(b);
}

/* Frame by frame as a decoder composes them: each frame's canvas is heart_png_write() of its
 * phase (exact alpha: the same palette indices), for as long as its delay says. */
static void check_frames(struct heart_raster *r, uint32_t w, uint32_t h, double hz, double amp,
			 bool transparent)
{
	struct heart_png_options const o = red(transparent);
	struct heart_apng_timing t;
	struct file *const a = calloc(1, sizeof(*a)), *const b = calloc(1, sizeof(*b));
	uint8_t *const canvas = calloc((size_t)w * h, 1), *const saved = calloc((size_t)w * h, 1);
	uint8_t *const want = malloc((size_t)w * h), *const rect = malloc((size_t)w * h);
	assert_true(a && b && canvas && saved && want && rect);
	heart_apng_timing(hz, &t);
	write_apng(r, w, h, hz, amp, &o, a);
	uint8_t *const zdata = malloc(a->len), *const pdata = malloc(a->len * 2 + 65536);
	uint32_t phase = 0, frames = 0;
	for (size_t i = 0; i < a->n; i++) {
		if (strcmp(a->chunks[i].type, "fcTL") != 0)
			continue;
		const uint8_t *const c = a->chunks[i].data;
		uint32_t const fw = u32(c + 4), fh = u32(c + 8), x = u32(c + 12), y = u32(c + 16);
		size_t zlen = 0;
		for (size_t j = i + 1; j < a->n && strcmp(a->chunks[j].type, "fdAT") == 0; j++) {
			memcpy(zdata + zlen, a->chunks[j].data + 4, a->chunks[j].len - 4);
			zlen += a->chunks[j].len - 4;
		}
		memcpy(saved, canvas, (size_t)w * h);
		inflate_rows(zdata, zlen, fw, fh, rect);
		for (uint32_t row = 0; row < fh; row++) /* blend source */
			memcpy(canvas + (size_t)(y + row) * w + x, rect + (size_t)row * fw, fw);
		/* The canvas shows the phases of this frame's delay. */
		uint64_t const num = u16(c + 20), den = u16(c + 22);
		uint64_t const span = num * t.period_den * t.frames / (den * t.period_num);
		assert_int_equal(span * den * t.period_num, num * t.period_den * t.frames);
		for (uint64_t k = 0; k < span; k++, phase++) {
			write_png(r, w, h, amp, (double)phase / t.frames, &o, b);
			size_t const n = idat_of(b, pdata);
			inflate_rows(pdata, n, w, h, want);
			assert_memory_equal(canvas, want, (size_t)w * h);
			free(b->bytes);
		}
		if (c[24] == 2) /* dispose to previous */
			memcpy(canvas, saved, (size_t)w * h);
		frames++;
	}
	assert_int_equal(phase, t.frames);
	assert_true(frames < t.frames); /* the still phases were merged */
	free(zdata);
	free(pdata);
	free(a->bytes);
	free(a);
	free(b);
	free(canvas);
	free(saved);
	free(want);
	free(rect);
}

static void test_frames_exact(void **state)
{
	struct heart_raster *const r = ((struct fixture *)*state)->r;
	check_frames(r, 96, 96, 1.2, 0.12, true);
	check_frames(r, 57, 80, 2.5, 0.5, false);
	check_frames(r, 40, 31, 0.4, 0.2, true);
}

/* After the first APNG of a size, another allocates nothing (heart serve's workers). */
static void test_no_allocation(void **state)
{
	struct heart_raster *const r = ((struct fixture *)*state)->r;
	struct heart_png_options const o = red(true);
	struct heart_shape s;
	heart_shape_default(&s);
	size_t const size = 1 << 20;
	char *const buf = malloc(size);
	FILE *const fp = fmemopen(buf, size, "w");
	assert_non_null(fp);
	assert_int_equal(heart_apng_write(fp, r, &s, 128, 128, 1.2, 0.12, &o), HEART_PNG_OK);
	rewind(fp);
	size_t const before = heap_calls;
	assert_int_equal(heart_apng_write(fp, r, &s, 128, 128, 1.2, 0.12, &o), HEART_PNG_OK);
	assert_int_equal(heap_calls, before);
	fclose(fp);
	free(buf);
}

static void test_refusals(void **state)
{
	struct heart_raster *const r = ((struct fixture *)*state)->r;
	struct heart_png_options const o = red(true);
	struct heart_shape s;
	char buf[64];
	heart_shape_default(&s);
	FILE *const fp = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(fp);
	assert_int_equal(heart_apng_write(fp, r, &s, 0, 10, 1.2, 0.1, &o), HEART_PNG_TOO_LARGE);
	assert_int_equal(heart_apng_write(fp, r, &s, 10, HEART_RASTER_MAX + 1, 1.2, 0.1, &o),
			 HEART_PNG_TOO_LARGE);
	assert_int_equal(heart_apng_write(fp, r, &s, 10, 10, 0.05, 0.1, &o), HEART_PNG_BAD_BEAT);
	assert_int_equal(heart_apng_write(fp, r, &s, 10, 10, 1.2, 0.6, &o), HEART_PNG_BAD_BEAT);
	assert_int_equal(heart_apng_write(fp, r, &s, 10, 10, 0.0 / 0.0, 0.1, &o),
			 HEART_PNG_BAD_BEAT);
	/* 64 bytes of room: the stream refuses the rest. */
	setvbuf(fp, NULL, _IONBF, 0);
	assert_int_equal(heart_apng_write(fp, r, &s, 32, 32, 1.2, 0.1, &o), HEART_PNG_WRITE);
	assert_string_equal(heart_png_strerror(HEART_PNG_BAD_BEAT),
			    "beat frequency or amplitude out of range");
	fclose(fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timing),
		cmocka_unit_test_setup_teardown(test_chunks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frames_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_allocation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
