/*
 * PNG benchmark: rasterize and encode the heart at 512² and 4096², and compare heart's
 * indexed PNG with zlib alone compressing the same rows (the floor: heart's settings, rows
 * already in memory) and with an RGBA PNG of the same pixels (libpng defaults), all measured
 * in the same run, best of REPEATS.
 * Usage: bench_png [--json] [REPEATS [SIZE...]]   (default 5, 512 and 4096; --json: one JSON
 * object per size, for bench/bench_compare.py)
 */
#include <png.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <zlib.h>

#include "render/model.h"
#include "render/png.h"
#include "render/raster.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void layout(uint32_t size, struct heart_path *path)
{
	struct heart_shape s;
	struct heart_transform t;
	heart_shape_default(&s);
	heart_layout(&s, size, size, 1, HEART_IMAGE_MARGIN, 1, &t); /* as heart png at rest */
	heart_path_build(&s, &t, path);
}

static double raster_only(struct heart_raster *r, const struct heart_path *p, uint32_t size)
{
	double const t0 = now();
	heart_raster_begin(r, p, size, size);
	unsigned sink = 0;
	const uint8_t *row;
	while ((row = heart_raster_row(r)))
		sink += row[size / 2];
	if (sink == 0)
		fputs("empty heart?\n", stderr);
	return now() - t0;
}

static double indexed_png(struct heart_raster *r, const struct heart_path *p, uint32_t size,
			  long *bytes)
{
	FILE *f = tmpfile();
	struct heart_png_options const o = {.color = {255, 0, 0}, .transparent = true};
	double const t0 = now();
	if (!f || heart_png_write(f, r, p, size, size, &o) != HEART_PNG_OK)
		exit(1);
	double const t = now() - t0;
	*bytes = ftell(f);
	fclose(f);
	return t;
}

/* The baseline: the same coverage as straight RGBA, libpng's default filters and zlib. */
static double rgba_png(struct heart_raster *r, const struct heart_path *p, uint32_t size,
		       long *bytes)
{
	FILE *f = tmpfile();
	uint8_t *rgba = malloc((size_t)size * 4);
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	if (!f || !rgba || !info || setjmp(png_jmpbuf(png)))
		exit(1);
	double const t0 = now();
	png_init_io(png, f);
	png_set_IHDR(png, info, size, size, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
	png_write_info(png, info);
	heart_raster_begin(r, p, size, size);
	const uint8_t *row;
	while ((row = heart_raster_row(r))) {
		for (uint32_t x = 0; x < size; x++) {
			rgba[4 * x] = 255;
			rgba[4 * x + 1] = rgba[4 * x + 2] = 0;
			rgba[4 * x + 3] = row[x];
		}
		png_write_row(png, rgba);
	}
	png_write_end(png, NULL);
	double const t = now() - t0;
	png_destroy_write_struct(&png, &info);
	*bytes = ftell(f);
	fclose(f);
	free(rgba);
	return t;
}

/*
 * zlib alone: the rows deflated into a zlib stream with heart's settings (level 6, Z_RLE),
 * each after its filter-type byte, as a PNG encoder built on zlib hands them over. The rows
 * come straight from the rasterizer, as in heart png (its share of the time is about 1 %).
 */
static double zlib_only(struct heart_raster *r, const struct heart_path *p, uint32_t size,
			uint8_t *out, size_t out_size, long *bytes)
{
	static const uint8_t no_filter = 0;
	z_stream z = {0};
	const uint8_t *row;
	double const t0 = now();
	if (deflateInit2(&z, 6, Z_DEFLATED, 15, 8, Z_RLE) != Z_OK)
		exit(1);
	heart_raster_begin(r, p, size, size);
	while ((row = heart_raster_row(r))) {
		const uint8_t *in[2] = {&no_filter, row};
		uInt const n[2] = {1, size};
		for (int k = 0; k < 2; k++) {
			z.next_in = (Bytef *)(uintptr_t)in[k];
			z.avail_in = n[k];
			do {
				if (z.avail_out == 0) { /* only the size counts: reuse the buffer */
					z.next_out = out;
					z.avail_out = (uInt)out_size;
				}
				if (deflate(&z, Z_NO_FLUSH) == Z_STREAM_ERROR)
					exit(1);
			} while (z.avail_in > 0);
		}
	}
	int ret;
	do {
		if (z.avail_out == 0) {
			z.next_out = out;
			z.avail_out = (uInt)out_size;
		}
		ret = deflate(&z, Z_FINISH);
	} while (ret == Z_OK);
	double const t = now() - t0;
	*bytes = (long)z.total_out;
	deflateEnd(&z);
	return t;
}

/* Best of n runs: the least disturbed by the rest of the machine. */
#define BEST_OF(var, n, expr)                      \
	do {                                       \
		var = 1e9;                         \
		for (int i_ = 0; i_ < (n); i_++) { \
			double const t_ = (expr);  \
			var = t_ < var ? t_ : var; \
		}                                  \
	} while (0)
#define BEST(var, expr) BEST_OF(var, repeats, expr)

int main(int argc, char **argv)
{
	bool const json = argc > 1 && strcmp(argv[1], "--json") == 0;
	int const repeats = argc > 1 + json ? atoi(argv[1 + json]) : 5;
	uint32_t sizes[8] = {512, 4096};
	size_t n_sizes = 2;
	if (argc > 2 + json) { /* sizes given */
		for (n_sizes = 0; n_sizes < 8 && 2 + json + (int)n_sizes < argc; n_sizes++)
			sizes[n_sizes] = (uint32_t)atoi(argv[2 + json + n_sizes]);
	}
	struct heart_pool *pool = heart_pool_create();
	struct heart_raster *r = heart_raster_create(pool);
	if (!r || repeats < 1)
		return 1;

	if (!json)
		printf("%-6s %10s %10s %10s %9s %8s %10s %10s %8s %10s %9s\n", "size", "raster ms",
		       "file ms", "zlib ms", "file/zlib", "MP/s", "bytes", "rgba ms", "rgba B",
		       "speedup", "zlib B");
	for (size_t i = 0; i < n_sizes; i++) {
		uint32_t const size = sizes[i];
		struct heart_path p;
		double tr, ti, tz, tb;
		long bi = 0, bz = 0, bb = 0;
		layout(size, &p);
		size_t const out_size = (size_t)1 << 20;
		uint8_t *out = malloc(out_size);
		if (!out)
			return 1;
		/* Rasterizing alone is quick and easily disturbed: a hundred times as many runs. */
		BEST_OF(tr, 100 * repeats, raster_only(r, &p, size));
		BEST(ti, indexed_png(r, &p, size, &bi));
		BEST(tz, zlib_only(r, &p, size, out, out_size, &bz));
		/* The RGBA baseline takes 40 times as long: measured up to 4096² only. */
		if (size <= 4096)
			BEST(tb, rgba_png(r, &p, size, &bb));
		else
			tb = 0;
		if (json)
			printf("{\"size\":%u,\"raster\":%.4f,\"file\":%.4f,\"zlib\":%.4f,"
			       "\"bytes\":%ld,\"zlib_bytes\":%ld,\"rgba\":%.4f,\"rgba_bytes\":%ld}"
			       "\n",
			       size, tr * 1e3, ti * 1e3, tz * 1e3, bi, bz, tb * 1e3, bb);
		else
			printf("%-6u %10.2f %10.2f %10.2f %9.2f %8.0f %10ld %10.2f %8ld %9.1fx "
			       "%9ld\n",
			       size, tr * 1e3, ti * 1e3, tz * 1e3, ti / tz,
			       (double)size * size / ti / 1e6, bi, tb * 1e3, bb, tb / ti, bz);
		free(out);
	}
	if (!json) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("peak RSS of this benchmark: %.1f MiB\n", ru.ru_maxrss / 1024.0);
	}
	heart_raster_destroy(r);
	heart_pool_destroy(pool);
	return 0;
}
