/*
 * Benchmark of the terminal heart (not a test): for 80×24 and 200×60 windows, the time to
 * render and encode one frame, the bytes of a full frame, the average bytes per beating frame
 * with the damage encoder on and off, the CPU of a 10-second run of `heart` at 30 Hz, and the
 * bytes chafa emits for the same image (a PNG of the frame's pixels).
 *
 * Times are CPU time (this thread's, or the child's), so a loaded machine does not inflate them.
 *
 * Usage: bench_term HEART [CHAFA]   (meson test -C build --benchmark runs it)
 */
#include <fcntl.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "render/model.h"
#include "render/raster.h"
#include "render/term.h"

#define REFRESH 30.0
#define SECONDS 10
#define FRAMES ((int)(REFRESH * SECONDS))

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds of CPU this thread used: what rendering and encoding cost, whatever else runs on
 * the machine (a loaded machine stretches wall times, not this). */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct rig {
	struct heart_pool *pool;
	struct heart_raster *raster;
	struct term_frame cur, prev;
	struct term_style style;
	struct heart_shape shape;
};

static int rig_init(struct rig *r, uint32_t cols, uint32_t rows, bool black_background)
{
	r->pool = heart_pool_create();
	r->raster = r->pool ? heart_raster_create(r->pool) : NULL;
	if (!r->raster || !term_frame_alloc(&r->cur, r->pool, HEART_POOL_FRAME, cols, rows) ||
	    !term_frame_alloc(&r->prev, r->pool, HEART_POOL_FRAME_PREV, cols, rows))
		return -1;
	r->style = (struct term_style){.mode = TERM_MODE_ANSI,
				       .depth = TERM_DEPTH_TRUECOLOR,
				       .color = {0xff, 0, 0},
				       .has_background = black_background};
	term_style_prepare(&r->style);
	heart_shape_default(&r->shape);
	return 0;
}

static void rig_finish(struct rig *r)
{
	heart_raster_destroy(r->raster);
	heart_pool_destroy(r->pool);
}

static void rig_render(struct rig *r, double t)
{
	double const scale = heart_beat_scale(HEART_BEAT_HZ_DEFAULT, HEART_AMPLITUDE_DEFAULT, t);
	term_frame_render(&r->cur, &r->style, &r->shape, 1 + HEART_AMPLITUDE_DEFAULT, scale,
			  r->raster, r->pool);
}

static void rig_swap(struct rig *r)
{
	struct term_frame const t = r->prev;
	r->prev = r->cur;
	r->cur = t;
}

/* Ten seconds of frames at 30 Hz, every one rendered and encoded (heart skips frames where
 * the heart rests; this does not): mean microseconds to render and to encode, mean bytes. */
static void beating(uint32_t cols, uint32_t rows, bool damage, double *render_us_out,
		    double *encode_us_out, double *bytes_out)
{
	struct rig r;
	const char *bytes;
	size_t len, total = 0;
	double render = 0, encode = 0;
	if (rig_init(&r, cols, rows, false) != 0)
		exit(1);
	for (int k = 0; k < FRAMES; k++) {
		double const t0 = cpu_now();
		rig_render(&r, k / REFRESH);
		double const t1 = cpu_now();
		term_frame_encode(k ? &r.prev : NULL, &r.cur, damage, r.pool, &bytes, &len);
		encode += cpu_now() - t1;
		render += t1 - t0;
		total += len;
		rig_swap(&r);
	}
	*render_us_out = render / FRAMES * 1e6;
	*encode_us_out = encode / FRAMES * 1e6;
	*bytes_out = (double)total / FRAMES;
	rig_finish(&r);
}

static size_t full_frame_bytes(uint32_t cols, uint32_t rows, bool black_background)
{
	struct rig r;
	const char *bytes;
	size_t len;
	if (rig_init(&r, cols, rows, black_background) != 0)
		exit(1);
	rig_render(&r, 0);
	term_frame_encode(NULL, &r.cur, true, r.pool, &bytes, &len);
	rig_finish(&r);
	return len;
}

/* The heart at rest on black, as the cols × 2·rows pixels its half blocks show. */
static int write_png(const char *path, uint32_t cols, uint32_t rows)
{
	struct rig r;
	if (rig_init(&r, cols, rows, true) != 0)
		return -1;
	rig_render(&r, 0);
	uint8_t *pix = malloc((size_t)cols * rows * 2 * 3);
	FILE *fp = fopen(path, "wb");
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	int status = -1;
	if (!pix || !fp || !info || setjmp(png_jmpbuf(png)))
		goto out;
	for (uint32_t y = 0; y < rows; y++)
		for (uint32_t x = 0; x < cols; x++) {
			const struct term_cell *c = &r.cur.cells[y * cols + x];
			uint32_t top = c->fg, bottom = c->bg;
			if (c->glyph == TERM_GLYPH_FULL)
				bottom = c->fg;
			else if (c->glyph == TERM_GLYPH_LOWER)
				top = c->bg, bottom = c->fg;
			uint32_t const px[2] = {top, bottom};
			for (int h = 0; h < 2; h++) {
				uint8_t *p = pix + (((size_t)(2 * y + h) * cols + x) * 3);
				p[0] = (uint8_t)(px[h] >> 16);
				p[1] = (uint8_t)(px[h] >> 8);
				p[2] = (uint8_t)px[h];
			}
		}
	png_init_io(png, fp);
	png_set_IHDR(png, info, cols, rows * 2, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (uint32_t y = 0; y < rows * 2; y++)
		png_write_row(png, pix + (size_t)y * cols * 3);
	png_write_end(png, NULL);
	status = 0;
out:
	png_destroy_write_struct(&png, &info);
	if (fp)
		fclose(fp);
	free(pix);
	rig_finish(&r);
	return status;
}

/* Run argv with stdout to /dev/null; returns the bytes it wrote to a pipe when `count`. */
static long run_child(char *const argv[], bool count, double *cpu_out)
{
	int fds[2];
	if (count && pipe(fds) != 0)
		return -1;
	struct rusage before, after;
	getrusage(RUSAGE_CHILDREN, &before);
	pid_t const pid = fork();
	if (pid == 0) {
		int const out = count ? fds[1] : open("/dev/null", O_WRONLY);
		dup2(out, STDOUT_FILENO);
		if (count)
			close(fds[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	long n = 0;
	if (count) {
		close(fds[1]);
		char buf[65536];
		ssize_t got;
		while ((got = read(fds[0], buf, sizeof(buf))) > 0)
			n += got;
		close(fds[0]);
	}
	int status;
	waitpid(pid, &status, 0);
	getrusage(RUSAGE_CHILDREN, &after);
	if (cpu_out)
		*cpu_out = (double)(after.ru_utime.tv_sec - before.ru_utime.tv_sec) +
			   (double)(after.ru_stime.tv_sec - before.ru_stime.tv_sec) +
			   (double)(after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6 +
			   (double)(after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? n : -1;
}

static void bench_size(char *heart, char *chafa, uint32_t cols, uint32_t rows)
{
	char size[32];
	snprintf(size, sizeof(size), "%ux%u", cols, rows);
	double render, enc_on, enc_off, bytes_on, bytes_off;
	beating(cols, rows, true, &render, &enc_on, &bytes_on);
	beating(cols, rows, false, &render, &enc_off, &bytes_off);
	size_t const full = full_frame_bytes(cols, rows, false);
	size_t const full_black = full_frame_bytes(cols, rows, true);

	printf("%s:\n", size);
	printf("  render one frame             %8.1f us\n", render);
	printf("  encode one frame             %8.1f us (damage on), %.1f us (off)\n", enc_on,
	       enc_off);
	printf("  full frame                   %8zu bytes on a black background (%zu "
	       "transparent)\n",
	       full_black, full);
	printf("  beating, damage on           %8.0f bytes/frame (%.1f%% of a full frame)\n",
	       bytes_on, 100 * bytes_on / (double)full);
	printf("  beating, damage off          %8.0f bytes/frame\n", bytes_off);

	char frames[16];
	snprintf(frames, sizeof(frames), "%d", FRAMES);
	char *const argv[] = {heart,  "--format",     "terminal",  "--mode",
			      "ansi", "--color-mode", "truecolor", "--size",
			      size,   "--frames",     frames,      NULL};
	double cpu = 0;
	double const t0 = now();
	if (run_child(argv, false, &cpu) < 0)
		printf("  cpu: %s failed\n", heart);
	else
		printf("  cpu of %d s at 30 Hz          %8.3f s = %.2f%% of a core (wall %.1f s)\n",
		       SECONDS, cpu, 100 * cpu / SECONDS, now() - t0);

	if (!chafa)
		return;
	char png[] = "/tmp/bench_term_XXXXXX.png";
	int const fd = mkstemps(png, 4);
	if (fd < 0)
		return;
	close(fd);
	if (write_png(png, cols, rows) == 0) {
		char *const cargv[] = {chafa,  "-f", "symbols", "-s", size, "--symbols",
				       "half", "-c", "full",    png,  NULL};
		long const n = run_child(cargv, true, NULL);
		if (n > 0)
			printf("  chafa (same pixels)          %8ld bytes: heart/chafa = %.2f with "
			       "both on the same black background (%.2f with heart's left "
			       "transparent)\n",
			       n, (double)full_black / (double)n, (double)full / (double)n);
		else
			printf("  chafa: %s failed\n", chafa);
	}
	unlink(png);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_term HEART [CHAFA]\n");
		return 2;
	}
	char *chafa = argc > 2 ? argv[2] : NULL;
	bench_size(argv[1], chafa, 80, 24);
	bench_size(argv[1], chafa, 200, 60);
	if (!chafa)
		printf("no chafa given: no comparison (install it: scripts/setup.sh --bench)\n");
	return 0;
}
