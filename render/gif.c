#include <gif_lib.h>
#include <math.h>
#include <string.h>

#include "render/gif.h"
#include "render_internal.h"

const char *heart_gif_strerror(enum heart_gif_status status)
{
	switch (status) {
	case HEART_GIF_OK:
		return "success";
	case HEART_GIF_NOMEM:
		return "out of memory";
	case HEART_GIF_TOO_LARGE:
		return "image size out of range";
	case HEART_GIF_WRITE:
		return "write error";
	}
	return "unknown error";
}

/* ---- Timing --------------------------------------------------------------------------- */

unsigned heart_gif_timing(double hz, uint16_t delays_out[HEART_GIF_FRAMES_MAX],
			  uint16_t start_out[HEART_GIF_FRAMES_MAX], size_t *n_out)
{
	hz = hz < HEART_BEAT_HZ_MIN   ? HEART_BEAT_HZ_MIN
	     : hz > HEART_BEAT_HZ_MAX ? HEART_BEAT_HZ_MAX
				      : hz;
	/* One loop is one beat, to the hundredth of a second a GIF can say. */
	unsigned const total = (unsigned)lround(100 / hz);
	size_t n = total / HEART_GIF_DELAY_AIM;
	if (n < 1)
		n = 1;
	if (n > HEART_GIF_FRAMES_MAX)
		n = HEART_GIF_FRAMES_MAX;
	/* Frame k starts at floor(k · total / n): the delays differ by at most one hundredth
	 * and the rounding is spread over the beat rather than piled on the last frame. */
	for (size_t k = 0; k < n; k++) {
		unsigned const start = (unsigned)(k * total / n);
		unsigned const end = (unsigned)((k + 1) * total / n);
		start_out[k] = (uint16_t)start;
		delays_out[k] = (uint16_t)(end - start);
	}
	*n_out = n;
	return total;
}

/* ---- Frames --------------------------------------------------------------------------- */

/* Coverage 0 to 255 in LEVELS steps: the shades of the heart's edge a GIF keeps. */
enum { LEVELS = 255 };

/* What every frame of one GIF shares. */
struct job {
	const struct heart_gif_options *o;
	uint32_t width, height;
	uint16_t delay[HEART_GIF_FRAMES_MAX], start[HEART_GIF_FRAMES_MAX];
	size_t n;       /* frames of the beat */
	unsigned total; /* hundredths of a second they last */
	/* The palette holds only the levels the frames use (make_palette()), and one entry,
	 * the transparent one, that stands for "as the frame before". */
	uint8_t index[256];   /* of each coverage byte */
	unsigned transparent; /* the transparent entry */
	GifColorType colors[256];
	ColorMapObject map;
};

/* The phase of the beat frame k shows: the loop begins at o->start. */
static double phase_of(const struct job *j, size_t k)
{
	double const p = j->o->start + (double)j->start[k] / j->total;
	return p - floor(p);
}

/* Start the raster on the heart at frame k. */
static bool begin(struct heart_raster *r, const struct job *j, size_t k)
{
	struct heart_path path;
	heart_image_path(&j->o->shape, j->width, j->height, j->o->amplitude, phase_of(j, k), &path);
	return heart_raster_begin(r, &path, j->width, j->height);
}

/* The bits an index up to max needs in a palette (1 to 8). */
static int bits_for(unsigned max)
{
	int bits = 1;
	while ((1u << bits) <= max)
		bits++;
	return bits;
}

static unsigned level_of(unsigned coverage)
{
	return (coverage * (LEVELS - 1) + 127) / 255;
}

/*
 * A first pass over the frames: which levels each uses. The levels are numbered in the order
 * the frames first use them, so that the early frames, and most frames' changes, need only
 * small indices, and LZW codes of fewer bits (as gifsicle -O3 reorders a palette); the
 * transparent entry comes after the first frame's, which has no transparent pixels.
 */
static bool make_palette(struct heart_raster *r, struct job *j)
{
	uint8_t index_of_level[LEVELS] = {0}; /* a level no frame uses is never looked up */
	bool assigned[LEVELS] = {false};
	unsigned n = 0;
	for (size_t k = 0; k < j->n; k++) {
		bool used[LEVELS] = {false};
		if (!begin(r, j, k))
			return false;
		const uint8_t *row;
		while ((row = heart_raster_row(r)))
			for (uint32_t x = 0; x < j->width; x++)
				used[level_of(row[x])] = true;
		for (unsigned l = 0; l < LEVELS; l++) {
			if (!used[l] || assigned[l])
				continue;
			struct heart_rgb const m = heart_rgb_mix(j->o->background, j->o->color,
								 (float)l / (LEVELS - 1));
			assigned[l] = true;
			index_of_level[l] = (uint8_t)n;
			j->colors[n++] = (GifColorType){m.r, m.g, m.b}; /* LEVELS < 256: room */
		}
		if (k == 0) { /* the first frame has no transparent pixels */
			j->transparent = n;
			j->colors[n++] = j->colors[0];
		}
	}
	int const bits = bits_for(n - 1);
	for (unsigned i = n; i < 1u << bits; i++)
		j->colors[i] = j->colors[0];
	for (unsigned c = 0; c < 256; c++)
		j->index[c] = index_of_level[level_of(c)];
	j->map = (ColorMapObject){
		.ColorCount = 1 << bits, .BitsPerPixel = bits, .Colors = j->colors};
	return true;
}

/* Frame k into frame (width × height palette indices). */
static bool draw(struct heart_raster *r, const struct job *j, size_t k, uint8_t *frame)
{
	if (!begin(r, j, k))
		return false;
	const uint8_t *row;
	for (uint8_t *p = frame; (row = heart_raster_row(r)); p += j->width)
		for (uint32_t x = 0; x < j->width; x++)
			p[x] = j->index[row[x]];
	return true;
}

static int put_bytes(GifFileType *gif, const GifByteType *p, int n)
{
	return (int)fwrite(p, 1, (size_t)n, gif->UserData);
}

/* NETSCAPE2.0 with a loop count of 0: forever. */
static bool put_loop(GifFileType *gif)
{
	static const GifByteType app[11] = "NETSCAPE2.0", loop[3] = {1, 0, 0};
	return EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) == GIF_OK &&
	       EGifPutExtensionBlock(gif, sizeof(app), app) == GIF_OK &&
	       EGifPutExtensionBlock(gif, sizeof(loop), loop) == GIF_OK &&
	       EGifPutExtensionTrailer(gif) == GIF_OK;
}

/* How a frame after the first stores the pixels that did not change. */
enum keep {
	KEEP_NONE, /* in their colour: the cropped picture as it is */
	KEEP_ALL,  /* transparent */
	KEEP_RUNS, /* transparent, but in their colour where that continues a run */
	KEEP_LONG, /* transparent in runs of 4 or more, else in their colour */
	KEEP_COUNT,
};

/* The frame's row from cur and (for a frame after the first) canvas. */
static void fill_line(const uint8_t *canvas, const uint8_t *cur, uint32_t n, enum keep keep,
		      uint8_t transparent, uint8_t *line)
{
	uint32_t same_until = 0; /* the end of the run of unchanged pixels x is in */
	bool short_run = false;  /* ... and whether it is short */
	for (uint32_t x = 0; x < n; x++) {
		bool const same = canvas && canvas[x] == cur[x];
		bool run = keep == KEEP_RUNS && x > 0 && line[x - 1] == cur[x];
		if (keep == KEEP_LONG && same) {
			if (same_until <= x) {
				for (same_until = x;
				     same_until < n && canvas[same_until] == cur[same_until];)
					same_until++;
				short_run = same_until - x < 4;
			}
			run = short_run;
		}
		line[x] = same && keep != KEEP_NONE && !run ? transparent : cur[x];
	}
}

/* A frame's picture: rect of cur, the unchanged pixels as keep says. line: width bytes. */
struct frame {
	const uint8_t *canvas, *cur;
	struct heart_rect rect;
	uint8_t *line;
};

static bool put_image(GifFileType *gif, const struct job *j, const struct frame *f, enum keep keep)
{
	struct heart_rect const rc = f->rect;
	unsigned max = 0;
	for (uint32_t y = rc.y; y < rc.y + rc.h; y++) {
		size_t const at = (size_t)y * j->width + rc.x;
		fill_line(f->canvas ? f->canvas + at : NULL, f->cur + at, rc.w, keep,
			  (uint8_t)j->transparent, f->line);
		for (uint32_t x = 0; x < rc.w; x++)
			max = f->line[x] > max ? f->line[x] : max;
	}
	/* LZW starts with codes one bit wider than the image's largest index needs (2 at
	 * least): giflib takes that width from the screen's palette when an image has none of
	 * its own, so the palette says the frame's width while the descriptor goes out. */
	int const bits = gif->SColorMap->BitsPerPixel;
	gif->SColorMap->BitsPerPixel = bits_for(max);
	bool const ok = EGifPutImageDesc(gif, (int)rc.x, (int)rc.y, (int)rc.w, (int)rc.h, false,
					 NULL) == GIF_OK;
	gif->SColorMap->BitsPerPixel = bits;
	if (!ok)
		return false;
	for (uint32_t y = rc.y; y < rc.y + rc.h; y++) {
		size_t const at = (size_t)y * j->width + rc.x;
		fill_line(f->canvas ? f->canvas + at : NULL, f->cur + at, rc.w, keep,
			  (uint8_t)j->transparent, f->line);
		if (EGifPutLine(gif, f->line, (int)rc.w) != GIF_OK)
			return false;
	}
	return true;
}

/* An encoder that only counts its bytes: which form of a frame is smaller. */
struct probe {
	GifFileType *gif;
	size_t bytes;
};

static int count_bytes(GifFileType *gif, const GifByteType *p, int n)
{
	(void)p;
	((struct probe *)gif->UserData)->bytes += (size_t)n;
	return n;
}

/* The form of f whose image data is smallest; KEEP_COUNT when the probe failed. */
static enum keep smallest(struct probe *pr, const struct job *j, const struct frame *f)
{
	enum keep best = KEEP_COUNT;
	size_t best_size = SIZE_MAX;
	for (int k = 0; k < KEEP_COUNT; k++) {
		size_t const before = pr->bytes;
		if (!put_image(pr->gif, j, f, k))
			return KEEP_COUNT;
		if (pr->bytes - before < best_size) {
			best_size = pr->bytes - before;
			best = k;
		}
	}
	return best;
}

/*
 * One frame: cur where it differs from canvas (the picture so far; NULL for the first frame:
 * all of cur), cropped to what changed; shown for delay hundredths. Inside the rectangle the
 * unchanged pixels are transparent, or their own colour where LZW makes that smaller (runs of
 * one colour across them): the probe encodes each form and the smallest goes out.
 */
static bool put_frame(GifFileType *gif, struct probe *pr, const struct job *j,
		      const uint8_t *canvas, const uint8_t *cur, unsigned delay, uint8_t *line)
{
	struct frame f = {canvas, cur, {0, 0, j->width, j->height}, line};
	if (canvas && !heart_image_changed(canvas, cur, j->width, j->height, &f.rect))
		f.rect = (struct heart_rect){0, 0, 1, 1}; /* a frame must hold a pixel */
	enum keep const keep = canvas ? smallest(pr, j, &f) : KEEP_NONE;
	if (keep == KEEP_COUNT)
		return false;
	GraphicsControlBlock const gcb = {
		.DisposalMode = DISPOSE_DO_NOT,
		.UserInputFlag = false,
		.DelayTime = (int)delay,
		.TransparentColor = keep != KEEP_NONE ? (int)j->transparent : NO_TRANSPARENT_COLOR,
	};
	GifByteType ext[4];
	size_t const n = EGifGCBToExtension(&gcb, ext);
	return EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, (int)n, ext) == GIF_OK &&
	       put_image(gif, j, &f, keep);
}

/*
 * The beat's frames, each written once the next is drawn: a frame equal to the one before it
 * only lengthens that one's delay. Three pictures rotate: the canvas (what the viewer shows
 * before the pending frame), the pending frame and the next.
 */
static enum heart_gif_status put_frames(GifFileType *gif, struct probe *pr, struct heart_raster *r,
					const struct job *j)
{
	struct heart_pool *const pool = heart_raster_pool(r);
	size_t const size = (size_t)j->width * j->height;
	uint8_t *canvas = heart_pool_get(pool, HEART_POOL_FRAME_PREV, size);
	uint8_t *pending = heart_pool_get(pool, HEART_POOL_FRAME, size);
	uint8_t *next = heart_pool_get(pool, HEART_POOL_SCRATCH, size);
	uint8_t *const line = heart_pool_get(pool, HEART_POOL_OUTPUT, j->width);
	if (!canvas || !pending || !next || !line || !draw(r, j, 0, pending))
		return HEART_GIF_NOMEM;
	bool first = true;
	unsigned delay = j->delay[0];
	for (size_t k = 1; k <= j->n; k++) {
		if (k < j->n) {
			if (!draw(r, j, k, next))
				return HEART_GIF_NOMEM;
			if (memcmp(next, pending, size) == 0) {
				delay += j->delay[k];
				continue;
			}
		}
		if (!put_frame(gif, pr, j, first ? NULL : canvas, pending, delay, line))
			return HEART_GIF_WRITE;
		first = false;
		uint8_t *const t = canvas;
		canvas = pending;
		pending = next;
		next = t;
		delay = k < j->n ? j->delay[k] : 0;
	}
	return HEART_GIF_OK;
}

/* Open an encoder on out (a FILE * for put_bytes, a struct probe for count_bytes) and write
 * the screen: the logical size and the palette. NULL when out of memory or refused. */
static GifFileType *gif_open(void *out, OutputFunc put, const struct job *j)
{
	int err = 0;
	GifFileType *const gif = EGifOpen(out, put, &err);
	if (!gif)
		return NULL;
	/* Delays and the loop are GIF89a; giflib only knows that from saved images. */
	EGifSetGifVersion(gif, true);
	if (EGifPutScreenDesc(gif, (int)j->width, (int)j->height, j->map.BitsPerPixel, 0,
			      &j->map) != GIF_OK) {
		EGifCloseFile(gif, &err);
		return NULL;
	}
	return gif;
}

enum heart_gif_status heart_gif_write(FILE *fp, struct heart_raster *r, uint32_t width,
				      uint32_t height, const struct heart_gif_options *o)
{
	if (width == 0 || height == 0 || width > HEART_RASTER_MAX || height > HEART_RASTER_MAX)
		return HEART_GIF_TOO_LARGE;
	struct job j = {.o = o, .width = width, .height = height};
	j.total = heart_gif_timing(o->hz, j.delay, j.start, &j.n);
	if (!make_palette(r, &j))
		return HEART_GIF_NOMEM;
	struct probe pr = {0};
	enum heart_gif_status st = HEART_GIF_NOMEM;
	int err = 0;
	pr.gif = gif_open(&pr, count_bytes, &j);
	if (!pr.gif)
		return HEART_GIF_NOMEM;
	GifFileType *const gif = gif_open(fp, put_bytes, &j);
	if (!gif)
		goto out_probe;
	st = put_loop(gif) ? put_frames(gif, &pr, r, &j) : HEART_GIF_WRITE;
	/* Writes the trailer and frees giflib's state, whatever happened. */
	if (EGifCloseFile(gif, &err) != GIF_OK && st == HEART_GIF_OK)
		st = err == E_GIF_ERR_NOT_ENOUGH_MEM ? HEART_GIF_NOMEM : HEART_GIF_WRITE;
	if (st == HEART_GIF_OK && (fflush(fp) != 0 || ferror(fp)))
		st = HEART_GIF_WRITE;
out_probe:
	EGifCloseFile(pr.gif, &err);
	return st;
}
