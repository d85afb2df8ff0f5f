/* Unit tests for render/gif.h: the timing of a beat, the changed rectangles, and the GIF
 * itself decoded with giflib and composited frame by frame. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gif_lib.h>

#include "render/gif.h"
#include "render/model.h"
#include "render/raster.h"
#include "render_internal.h"

/* ---- Timing ---- */

static void check_timing(double hz)
{
	uint16_t delay[HEART_GIF_FRAMES_MAX], start[HEART_GIF_FRAMES_MAX];
	size_t n = 0;
	unsigned const total = heart_gif_timing(hz, delay, start, &n);
	double const clamped = fmin(fmax(hz, HEART_BEAT_HZ_MIN), HEART_BEAT_HZ_MAX);
	assert_int_equal(total, (unsigned)lround(100 / clamped));
	assert_true(n >= 1 && n <= HEART_GIF_FRAMES_MAX);
	unsigned sum = 0, lo = UINT16_MAX, hi = 0;
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(start[k], sum);
		assert_true(delay[k] >= HEART_GIF_DELAY_MIN);
		lo = delay[k] < lo ? delay[k] : lo;
		hi = delay[k] > hi ? delay[k] : hi;
		sum += delay[k];
	}
	assert_int_equal(sum, total);
	/* The rounding is spread: no delay is more than a hundredth longer than another. */
	assert_true(hi - lo <= 1);
	assert_true(lo >= HEART_GIF_DELAY_AIM);
}

static void test_timing_sums_to_one_beat(void **state)
{
	(void)state;
	for (double hz = HEART_BEAT_HZ_MIN; hz <= HEART_BEAT_HZ_MAX; hz += 0.01)
		check_timing(hz);
	/* 1.2 Hz is 83 hundredths: 27 frames, 25 of 3 hundredths and 2 of 4, apart. */
	uint16_t delay[HEART_GIF_FRAMES_MAX], start[HEART_GIF_FRAMES_MAX];
	size_t n;
	assert_int_equal(heart_gif_timing(1.2, delay, start, &n), 83);
	assert_int_equal(n, 27);
	size_t fours = 0, last = 0;
	for (size_t k = 0; k < n; k++) {
		if (delay[k] != 4)
			continue;
		assert_true(fours == 0 || k - last > n / 3);
		fours++;
		last = k;
	}
	assert_int_equal(fours, 2);
	/* Out of range is clamped: 0.01 Hz and 0 as the slowest beat, 100 Hz as the fastest. */
	check_timing(0.01);
	check_timing(0);
	check_timing(100);
	assert_int_equal(heart_gif_timing(100, delay, start, &n), 10);
	assert_int_equal(n, 3);
}

/* ---- Changed rectangles ---- */

static void test_changed_rectangle(void **state)
{
	(void)state;
	enum { W = 7, H = 5 };
	uint8_t a[W * H], b[W * H];
	struct heart_rect r = {1, 2, 3, 4};
	memset(a, 9, sizeof(a));
	memcpy(b, a, sizeof(b));
	assert_false(heart_image_changed(a, b, W, H, &r));
	assert_int_equal(r.w, 0);
	assert_int_equal(r.h, 0);

	b[0] = 1; /* top left */
	assert_true(heart_image_changed(a, b, W, H, &r));
	assert_true(r.x == 0 && r.y == 0 && r.w == 1 && r.h == 1);
	b[0] = 9;
	b[W * H - 1] = 1; /* bottom right */
	assert_true(heart_image_changed(a, b, W, H, &r));
	assert_true(r.x == W - 1 && r.y == H - 1 && r.w == 1 && r.h == 1);
	b[1 * W + 5] = 2; /* and one in row 1, column 5: the box holds both */
	assert_true(heart_image_changed(a, b, W, H, &r));
	assert_true(r.x == 5 && r.y == 1 && r.w == 2 && r.h == 4);
	b[3 * W + 2] = 3; /* a column further left, in a middle row */
	assert_true(heart_image_changed(a, b, W, H, &r));
	assert_true(r.x == 2 && r.y == 1 && r.w == 5 && r.h == 4);
	/* A whole row differs. */
	memcpy(b, a, sizeof(b));
	memset(b + 2 * W, 0, W);
	assert_true(heart_image_changed(a, b, W, H, &r));
	assert_true(r.x == 0 && r.y == 2 && r.w == W && r.h == 1);
}

/* ---- The GIF, decoded ---- */

struct reader {
	const uint8_t *p;
	size_t len, at;
};

static int read_mem(GifFileType *gif, GifByteType *out, int n)
{
	struct reader *const r = gif->UserData;
	size_t const k = (size_t)n < r->len - r->at ? (size_t)n : r->len - r->at;
	memcpy(out, r->p + r->at, k);
	r->at += k;
	return (int)k;
}

/* The colour frame k of o shows at (x, y): coverage in 255 levels, blended over the
 * background. */
static void expected_frame(struct heart_raster *r, const struct heart_gif_options *o, uint32_t w,
			   uint32_t h, double phase, struct heart_rgb *out)
{
	struct heart_path path;
	heart_image_path(&o->shape, w, h, o->amplitude, phase, &path);
	assert_true(heart_raster_begin(r, &path, w, h));
	const uint8_t *row;
	for (uint32_t y = 0; (row = heart_raster_row(r)); y++)
		for (uint32_t x = 0; x < w; x++) {
			unsigned const level = (row[x] * 254u + 127) / 255;
			out[y * w + x] = heart_rgb_mix(o->background, o->color, level / 254.0f);
		}
}

static bool has_loop_forever(const SavedImage *im)
{
	for (int i = 0; i + 1 < im->ExtensionBlockCount; i++) {
		const ExtensionBlock *const e = &im->ExtensionBlocks[i];
		if (e->Function == APPLICATION_EXT_FUNC_CODE && e->ByteCount == 11 &&
		    memcmp(e->Bytes, "NETSCAPE2.0", 11) == 0) {
			const ExtensionBlock *const sub = &im->ExtensionBlocks[i + 1];
			return sub->ByteCount == 3 && sub->Bytes[0] == 1 && sub->Bytes[1] == 0 &&
			       sub->Bytes[2] == 0;
		}
	}
	return false;
}

/* Write o as a w × h GIF, decode it, and composite every frame: each is the heart at the
 * time it starts, exactly, and the delays add up to one beat. */
static void check_gif(const struct heart_gif_options *o, uint32_t w, uint32_t h)
{
	struct heart_pool *const pool = heart_pool_create();
	struct heart_raster *const r = heart_raster_create(pool);
	char *data = NULL;
	size_t len = 0;
	FILE *const fp = open_memstream(&data, &len);
	assert_non_null(fp);
	assert_int_equal(heart_gif_write(fp, r, w, h, o), HEART_GIF_OK);
	fclose(fp);

	struct reader rd = {(const uint8_t *)data, len, 0};
	int err = 0;
	GifFileType *const gif = DGifOpen(&rd, read_mem, &err);
	assert_non_null(gif);
	assert_int_equal(DGifSlurp(gif), GIF_OK);
	assert_int_equal(gif->SWidth, (int)w);
	assert_int_equal(gif->SHeight, (int)h);
	assert_true(gif->ImageCount >= 1);
	assert_true(has_loop_forever(&gif->SavedImages[0]));

	struct heart_rgb *const canvas = calloc((size_t)w * h, sizeof(*canvas));
	struct heart_rgb *const want = calloc((size_t)w * h, sizeof(*want));
	unsigned const total = (unsigned)lround(100 / o->hz);
	unsigned t = 0;
	for (int i = 0; i < gif->ImageCount; i++) {
		const SavedImage *const im = &gif->SavedImages[i];
		GraphicsControlBlock gcb;
		assert_int_equal(DGifSavedExtensionToGCB(gif, i, &gcb), GIF_OK);
		assert_int_equal(gcb.DisposalMode, DISPOSE_DO_NOT);
		assert_true(gcb.DelayTime >= HEART_GIF_DELAY_MIN);
		const ColorMapObject *const map = gif->SColorMap;
		const GifImageDesc *const d = &im->ImageDesc;
		for (int y = 0; y < d->Height; y++)
			for (int x = 0; x < d->Width; x++) {
				int const c = im->RasterBits[y * d->Width + x];
				if (c == gcb.TransparentColor)
					continue;
				assert_true(c < map->ColorCount);
				GifColorType const g = map->Colors[c];
				canvas[(size_t)(d->Top + y) * w + d->Left + x] =
					(struct heart_rgb){g.Red, g.Green, g.Blue};
			}
		double const phase = o->start + (double)t / total;
		expected_frame(r, o, w, h, phase - floor(phase), want);
		assert_memory_equal(canvas, want, (size_t)w * h * sizeof(*want));
		t += (unsigned)gcb.DelayTime;
	}
	assert_int_equal(t, total);
	free(canvas);
	free(want);
	DGifCloseFile(gif, &err);
	free(data);
	heart_raster_destroy(r);
	heart_pool_destroy(pool);
}

static struct heart_gif_options options(void)
{
	struct heart_gif_options o = {
		.color = {255, 0, 0},
		.background = {255, 255, 255},
		.hz = HEART_BEAT_HZ_DEFAULT,
		.amplitude = HEART_AMPLITUDE_DEFAULT,
	};
	heart_shape_default(&o.shape);
	return o;
}

static void test_frames_composite_to_the_beat(void **state)
{
	(void)state;
	struct heart_gif_options o = options();
	check_gif(&o, 64, 64);
	check_gif(&o, 97, 41);
	check_gif(&o, 1, 1);
	o.color = (struct heart_rgb){255, 215, 0};
	o.background = (struct heart_rgb){0, 0, 128};
	o.amplitude = HEART_AMPLITUDE_MAX;
	o.hz = 3.3;
	check_gif(&o, 80, 120);
	o.hz = HEART_BEAT_HZ_MAX;
	check_gif(&o, 50, 50);
	/* A seed's start: the loop begins mid-beat. */
	o.hz = HEART_BEAT_HZ_DEFAULT;
	o.start = 0.3;
	check_gif(&o, 64, 64);
	o.start = 0;
	/* No beat: one frame, the whole period. */
	o.amplitude = 0;
	check_gif(&o, 40, 40);
}

static void test_refuses_bad_sizes(void **state)
{
	(void)state;
	struct heart_gif_options const o = options();
	struct heart_pool *const pool = heart_pool_create();
	struct heart_raster *const r = heart_raster_create(pool);
	FILE *const fp = tmpfile();
	assert_int_equal(heart_gif_write(fp, r, 0, 10, &o), HEART_GIF_TOO_LARGE);
	assert_int_equal(heart_gif_write(fp, r, 10, HEART_RASTER_MAX + 1, &o), HEART_GIF_TOO_LARGE);
	assert_int_equal(ftell(fp), 0);
	fclose(fp);
	assert_string_equal(heart_gif_strerror(HEART_GIF_TOO_LARGE), "image size out of range");
	heart_raster_destroy(r);
	heart_pool_destroy(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timing_sums_to_one_beat),
		cmocka_unit_test(test_changed_rectangle),
		cmocka_unit_test(test_frames_composite_to_the_beat),
		cmocka_unit_test(test_refuses_bad_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
