#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "render/png.h"
#include "render_internal.h"

const char *heart_png_strerror(enum heart_png_status status)
{
	switch (status) {
	case HEART_PNG_OK:
		return "success";
	case HEART_PNG_NOMEM:
		return "out of memory";
	case HEART_PNG_TOO_LARGE:
		return "image size out of range";
	case HEART_PNG_WRITE:
		return "write error";
	case HEART_PNG_BAD_BEAT:
		return "beat frequency or amplitude out of range";
	}
	return "unknown error";
}

/* libpng's default handlers print to stderr; a library must not. Errors unwind to the
 * setjmp in heart_png_write() and become a status. */
static void on_error(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/*
 * Palette entry i is the heart at coverage i/255 over the background. Over a transparent
 * background it is the heart's colour at alpha i, except entry 0: nothing is there, so it is
 * transparent black (what rsvg-convert and cairo write). A viewer that drops alpha then shows
 * the heart on black instead of a square of the heart's colour.
 */
static void set_palette(png_structp png, png_infop info, const struct heart_png_options *o)
{
	png_color palette[256];
	png_byte alpha[256];
	for (unsigned i = 0; i < 256; i++) {
		if (o->transparent) {
			palette[i] = i == 0 ? (png_color){0, 0, 0}
					    : (png_color){o->color.r, o->color.g, o->color.b};
			alpha[i] = (png_byte)i;
		} else {
			struct heart_rgb const m =
				heart_rgb_mix(o->background, o->color, (float)i / 255);
			palette[i] = (png_color){m.r, m.g, m.b};
		}
	}
	png_set_PLTE(png, info, palette, 256);
	if (o->transparent)
		png_set_tRNS(png, info, alpha, 256, NULL);
}

static void set_metadata(png_structp png, png_infop info, const struct heart_png_options *o)
{
	png_set_sRGB(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
	if (o->software) {
		/* png_text wants writable strings; libpng copies them. */
		char key[] = "Software";
		char value[80];
		strncpy(value, o->software, sizeof(value) - 1);
		value[sizeof(value) - 1] = '\0';
		png_text text = {
			.compression = PNG_TEXT_COMPRESSION_NONE,
			.key = key,
			.text = value,
		};
		png_set_text(png, info, &text, 1);
	}
}

/* ---- Image data ---------------------------------------------------------------------- */

/*
 * libpng writes the header chunks; the image data heart writes itself, because zlib spends a
 * fifth of its time on the Adler-32 checksum of the zlib stream: zlib deflates raw (the same
 * deflate data it would make, same settings), and heart adds the two-byte header and the
 * checksum (RFC 1950), which it computes run by run.
 */
#define IDAT_CHUNK (1u << 16) /* bytes of compressed data per IDAT chunk */
#define ADLER_MOD 65521u

struct idat {
	FILE *fp;
	z_stream z;
	uint32_t a, b; /* Adler-32 so far */
	size_t len;    /* bytes waiting in buf + 4 */
	uint32_t *seq; /* NULL: IDAT chunks; else fdAT chunks, numbered from *seq on */
	bool failed;
	uint8_t buf[4 + IDAT_CHUNK]; /* room for an fdAT's sequence number, then the data */
};

/* Write one chunk: length, type, data, CRC (of type and data). */
static bool put_chunk(FILE *fp, const char type[4], const uint8_t *data, size_t len)
{
	uint8_t head[8] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
			   (uint8_t)len};
	memcpy(head + 4, type, 4);
	uLong crc = crc32(0, head + 4, 4);
	if (len)
		crc = crc32(crc, data, (uInt)len);
	uint8_t const tail[4] = {(uint8_t)(crc >> 24), (uint8_t)(crc >> 16), (uint8_t)(crc >> 8),
				 (uint8_t)crc};
	return fwrite(head, 1, 8, fp) == 8 && (len == 0 || fwrite(data, 1, len, fp) == len) &&
	       fwrite(tail, 1, 4, fp) == 4;
}

static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The data waiting in buf as one IDAT, or as one fdAT with the next sequence number. */
static void idat_flush(struct idat *d)
{
	if (d->len && !d->failed && !d->seq)
		d->failed = !put_chunk(d->fp, "IDAT", d->buf + 4, d->len);
	else if (d->len && !d->failed) {
		put_u32(d->buf, (*d->seq)++);
		d->failed = !put_chunk(d->fp, "fdAT", d->buf, 4 + d->len);
	}
	d->len = 0;
}

static void idat_put(struct idat *d, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (d->len == IDAT_CHUNK)
			idat_flush(d);
		d->buf[4 + d->len++] = p[i];
	}
}

/* Deflate n bytes at p (with Z_FINISH: and end the stream), IDAT chunks as buf fills. */
static void idat_deflate(struct idat *d, const uint8_t *p, size_t n, int flush)
{
	int ret;
	d->z.next_in = (Bytef *)(uintptr_t)p;
	d->z.avail_in = (uInt)n;
	do {
		d->z.next_out = d->buf + 4 + d->len;
		d->z.avail_out = (uInt)(IDAT_CHUNK - d->len);
		ret = deflate(&d->z, flush);
		d->len = IDAT_CHUNK - d->z.avail_out;
		if (d->len == IDAT_CHUNK)
			idat_flush(d);
	} while (ret == Z_OK && (d->z.avail_in > 0 || (flush == Z_FINISH && d->z.avail_out == 0)));
	if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR)
		d->failed = true;
}

/*
 * Adler-32 over n bytes, a run of equal bytes at a time: L bytes of value v add L·v to a and
 * L·a + v·L(L+1)/2 to b. Rows are long runs (outside, inside) between a few edge pixels, so
 * this costs about as much as finding where the runs end, eight bytes at a compare.
 */
static void adler_runs(struct idat *d, const uint8_t *p, size_t n)
{
	uint64_t a = d->a, b = d->b;
	for (size_t i = 0; i < n;) {
		uint8_t const v = p[i];
		uint64_t const all = 0x0101010101010101u * v;
		size_t j = i + 1;
		while (j + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + j, 8);
			if (w != all)
				break;
			j += 8;
		}
		while (j < n && p[j] == v)
			j++;
		uint64_t const len = j - i;
		b = (b + len * a + v * (len * (len + 1) / 2)) % ADLER_MOD;
		a = (a + len * v) % ADLER_MOD;
		i = j;
	}
	d->a = (uint32_t)a;
	d->b = (uint32_t)b;
}

/* zlib's memory, handed out from one pool buffer: after the first image of a size, deflating
 * another allocates nothing. Nothing is freed one by one; the next image starts over. */
struct arena {
	uint8_t *next, *end;
};

static voidpf arena_alloc(voidpf opaque, uInt items, uInt size)
{
	struct arena *const a = opaque;
	size_t const n = ((size_t)items * size + 15) & ~(size_t)15;
	if (items && size > SIZE_MAX / items)
		return Z_NULL;
	if (n > (size_t)(a->end - a->next))
		return Z_NULL;
	void *const p = a->next;
	a->next += n;
	return p;
}

static void arena_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	(void)p;
}

/* libpng's allocations for the header chunks: its structures, the palette, one text chunk. */
#define LIBPNG_ARENA (64u << 10)

static png_voidp libpng_alloc(png_structp png, png_alloc_size_t size)
{
	return size <= LIBPNG_ARENA ? arena_alloc(png_get_mem_ptr(png), 1, (uInt)size) : NULL;
}

static void libpng_free(png_structp png, png_voidp p)
{
	(void)png;
	(void)p;
}

/* What deflate with this window and memLevel 8 asks for at most (zconf.h's formula, with
 * room for its state and alignment). */
static size_t deflate_bound_memory(int bits)
{
	return ((size_t)1 << (bits + 2)) + ((size_t)1 << (8 + 9)) + (64u << 10);
}

/* The smallest window that holds a width × height image, as libpng chooses it: a small image
 * needs less of zlib's memory to clear. */
static int window_bits(uint32_t width, uint32_t height)
{
	int bits = 9;
	while (bits < 15 && ((uint64_t)1 << bits) < (uint64_t)height * (width + 1))
		bits++;
	return bits;
}

/* The pool memory an image's deflate needs with this window: the idat, then zlib's arena. */
static size_t encoder_memory(int bits)
{
	return ((sizeof(struct idat) + 15) & ~(size_t)15) + deflate_bound_memory(bits);
}

/*
 * Start the zlib stream of one width × height image in mem (encoder_memory(window_bits())
 * bytes at least, from the pool): IDAT chunks when seq is NULL, else fdAT chunks numbered from
 * *seq. Returns the state, or NULL when zlib refused (no memory).
 */
static struct idat *image_begin(uint8_t *mem, FILE *fp, uint32_t width, uint32_t height,
				uint32_t *seq, int level, int strategy)
{
	int const bits = window_bits(width, height);
	/* The zlib header: deflate with that window, "default" level, and the check bits that
	 * make it a multiple of 31 (RFC 1950). */
	unsigned const cmf = (unsigned)(bits - 8) << 4 | 8, flg = 0x80;
	uint8_t const zlib_header[2] = {(uint8_t)cmf,
					(uint8_t)(flg + (31 - (cmf * 256 + flg) % 31) % 31)};
	size_t const head = (sizeof(struct idat) + 15) & ~(size_t)15;
	struct idat *const d = (struct idat *)(void *)mem;
	struct arena *const arena = (struct arena *)(void *)(mem + head);

	*d = (struct idat){.fp = fp, .a = 1, .seq = seq};
	*arena = (struct arena){mem + head + 16, mem + encoder_memory(bits)};
	d->z.zalloc = arena_alloc;
	d->z.zfree = arena_free;
	d->z.opaque = arena;
	if (deflateInit2(&d->z, level, Z_DEFLATED, -bits, 8, strategy) != Z_OK)
		return NULL;
	idat_put(d, zlib_header, 2);
	return d;
}

/* One row: its filter-type byte (0: none), then its width bytes. */
static void image_row(struct idat *d, const uint8_t *row, uint32_t width)
{
	static const uint8_t no_filter = 0;
	idat_deflate(d, &no_filter, 1, Z_NO_FLUSH);
	idat_deflate(d, row, width, Z_NO_FLUSH);
	adler_runs(d, &no_filter, 1);
	adler_runs(d, row, width);
}

/* End the stream (the Adler-32 last) and write what waits. Returns whether every byte went
 * out. */
static bool image_end(struct idat *d)
{
	idat_deflate(d, NULL, 0, Z_FINISH);
	uint8_t const adler[4] = {(uint8_t)(d->b >> 8), (uint8_t)d->b, (uint8_t)(d->a >> 8),
				  (uint8_t)d->a};
	idat_put(d, adler, 4);
	idat_flush(d);
	deflateEnd(&d->z);
	return !d->failed;
}

/* The default image, as IDAT chunks: the rasterizer's rows as they come. The coverage byte is
 * the palette index: rows go from the rasterizer to zlib as they are, with no per-pixel work
 * in between. Palette images compress best unfiltered (the PNG spec's advice); run-length
 * zlib is about as small as the default strategy on flat graphics and faster (see README). */
static enum heart_png_status write_image(FILE *fp, struct heart_raster *r, uint32_t width,
					 uint32_t height)
{
	const uint8_t *row;
	uint8_t *const mem = heart_pool_get(heart_raster_pool(r), HEART_POOL_ENCODER,
					    encoder_memory(window_bits(width, height)));
	struct idat *const d = mem ? image_begin(mem, fp, width, height, NULL, 6, Z_RLE) : NULL;
	if (!d)
		return HEART_PNG_NOMEM;
	while ((row = heart_raster_row(r)) && !d->failed)
		image_row(d, row, width);
	return image_end(d) ? HEART_PNG_OK : HEART_PNG_WRITE;
}

/* The signature and the chunks before the image data, by libpng, whose structures come from
 * the pool for their short while. */
static enum heart_png_status write_header(FILE *fp, struct heart_raster *r, uint32_t width,
					  uint32_t height, const struct heart_png_options *o)
{
	uint8_t *const mem = heart_pool_get(heart_raster_pool(r), HEART_POOL_ENCODER, LIBPNG_ARENA);
	if (!mem)
		return HEART_PNG_NOMEM;
	struct arena arena = {mem, mem + LIBPNG_ARENA};
	png_structp png = png_create_write_struct_2(PNG_LIBPNG_VER_STRING, NULL, on_error,
						    on_warning, &arena, libpng_alloc, libpng_free);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		png_destroy_write_struct(&png, NULL);
		return HEART_PNG_NOMEM;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return HEART_PNG_WRITE;
	}
	png_init_io(png, fp);
	png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
	set_palette(png, info, o);
	set_metadata(png, info, o);
	png_write_info(png, info);
	png_destroy_write_struct(&png, &info);
	return HEART_PNG_OK;
}

static bool size_ok(uint32_t width, uint32_t height)
{
	return width > 0 && height > 0 && width <= HEART_RASTER_MAX && height <= HEART_RASTER_MAX;
}

/* IEND, and the stream flushed. */
static enum heart_png_status write_end(FILE *fp)
{
	if (!put_chunk(fp, "IEND", NULL, 0))
		return HEART_PNG_WRITE;
	return fflush(fp) == 0 && !ferror(fp) ? HEART_PNG_OK : HEART_PNG_WRITE;
}

enum heart_png_status heart_png_write(FILE *fp, struct heart_raster *r,
				      const struct heart_path *path, uint32_t width,
				      uint32_t height, const struct heart_png_options *o)
{
	if (!size_ok(width, height))
		return HEART_PNG_TOO_LARGE;
	if (!heart_raster_begin(r, path, width, height))
		return HEART_PNG_NOMEM;
	enum heart_png_status st = write_header(fp, r, width, height, o);
	if (st == HEART_PNG_OK)
		st = write_image(fp, r, width, height);
	return st == HEART_PNG_OK ? write_end(fp) : st;
}

/* ---- APNG ---------------------------------------------------------------------------------- */

/* Frames of one loop: about HEART_APNG_FPS a second, at least 4 and at most 300. */
#define APNG_MIN_FRAMES 4u
#define APNG_MAX_FRAMES 300u
#define APNG_U16 65535u

/* A frame of the animation: the rectangle it replaces, how many of the loop's equally spaced
 * phases it stands for (the phases after it that look the same are merged into it), and what
 * becomes of its rectangle after its delay. */
struct frame {
	uint32_t x, y, width, height;
	uint32_t phase; /* its phase is phase / frames of the beat */
	uint32_t span;
	uint8_t dispose; /* APNG_DISPOSE_OP_NONE or _PREVIOUS */
};

enum { APNG_DISPOSE_OP_NONE = 0, APNG_DISPOSE_OP_PREVIOUS = 2 };

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t const t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* The best fraction p/q near x > 0 with p and q at most max (the continued fraction's last
 * convergent that fits): exact for the periods people write (1/1.2 Hz is 5/6). */
static void fraction(double x, uint64_t max, uint64_t *p_out, uint64_t *q_out)
{
	uint64_t p0 = 0, q0 = 1, p1 = 1, q1 = 0;
	double v = x;
	for (int i = 0; i < 40; i++) {
		double const a = floor(v);
		if (a > (double)max)
			break;
		uint64_t const p2 = (uint64_t)a * p1 + p0, q2 = (uint64_t)a * q1 + q0;
		if (p2 > max || q2 > max)
			break;
		p0 = p1, q0 = q1, p1 = p2, q1 = q2;
		if (fabs(x - (double)p1 / (double)q1) <= x * 1e-12 || v - a < 1e-9)
			break;
		v = 1 / (v - a);
	}
	*p_out = p1;
	*q_out = q1 ? q1 : 1;
}

void heart_apng_timing(double hz, struct heart_apng_timing *out)
{
	uint64_t p, q;
	double const period = 1 / hz;
	double const n = round(period * HEART_APNG_FPS);
	uint32_t const frames = n < APNG_MIN_FRAMES   ? APNG_MIN_FRAMES
				: n > APNG_MAX_FRAMES ? APNG_MAX_FRAMES
						      : (uint32_t)n;
	/* p/q with p·frames and q·frames within 16 bits: any run of frames' delay fits fcTL. */
	fraction(period, APNG_U16 / frames, &p, &q);
	*out = (struct heart_apng_timing){
		.frames = frames, .period_num = (uint32_t)p, .period_den = (uint32_t)q};
}

/* Rasterize path into buf (width × height coverage bytes). */
static bool rasterize(struct heart_raster *r, const struct heart_path *path, uint32_t width,
		      uint32_t height, uint8_t *buf)
{
	const uint8_t *row;
	if (!heart_raster_begin(r, path, width, height))
		return false;
	for (uint8_t *p = buf; (row = heart_raster_row(r)); p += width)
		memcpy(p, row, width);
	return true;
}

/* The rectangle where cur differs from prev as a frame; width 0 when nowhere. */
static void changed(const uint8_t *cur, const uint8_t *prev, uint32_t width, uint32_t height,
		    struct frame *f)
{
	struct heart_rect r;
	heart_image_changed(prev, cur, width, height, &r);
	*f = (struct frame){.x = r.x, .y = r.y, .width = r.w, .height = r.h};
}

struct apng {
	FILE *fp;
	struct heart_raster *r;
	const struct heart_shape *shape;
	uint32_t width, height;
	double amplitude;
	struct heart_apng_timing t;
	/* The phase being planned, the last frame's image, and the canvas before the last frame
	 * was drawn (what disposing it to "previous" brings back). */
	uint8_t *cur, *prev, *before, *encoder;
	struct frame *frames;
	uint32_t count; /* frames in the animation */
	uint32_t seq;   /* the next fcTL's or fdAT's sequence number */
};

static bool draw_phase(struct apng *a, uint32_t k, uint8_t *buf)
{
	struct heart_path path;
	heart_image_path(a->shape, a->width, a->height, a->amplitude, (double)k / a->t.frames,
			 &path);
	return rasterize(a->r, &path, a->width, a->height, buf);
}

static uint64_t area(const struct frame *f)
{
	return (uint64_t)f->width * f->height;
}

/*
 * Phase k after the frames so far: merged into the last frame when it changes nothing, else a
 * new frame of the rectangle that changed, from the last frame's image or, when that is
 * smaller, from the canvas before it (the last frame then disposes to "previous": the beat
 * falls back through the shapes it rose through). A rectangle is never empty: a phase that
 * equals the canvas before the last frame is a 1 × 1 frame.
 */
static void plan_phase(struct apng *a, uint32_t k)
{
	struct frame none, previous;
	changed(a->cur, a->prev, a->width, a->height, &none);
	if (none.width == 0) {
		a->frames[a->count - 1].span++;
		return;
	}
	/* Before the second frame the canvas was transparent black, not a frame of heart's. */
	bool const can_restore = a->count > 1;
	if (can_restore)
		changed(a->cur, a->before, a->width, a->height, &previous);
	bool const restore = can_restore && area(&previous) < area(&none);
	uint8_t *const free_buf = restore ? a->prev : a->before;
	if (restore) {
		a->frames[a->count - 1].dispose = APNG_DISPOSE_OP_PREVIOUS;
		none = previous.width ? previous : (struct frame){.width = 1, .height = 1};
	} else {
		a->before = a->prev;
	}
	none.phase = k;
	none.span = 1;
	a->frames[a->count++] = none;
	a->prev = a->cur;
	a->cur = free_buf;
}

/* Every phase drawn once, to plan the frames. The first frame is the whole image (the APNG
 * rule). */
static bool plan(struct apng *a)
{
	if (!draw_phase(a, 0, a->prev))
		return false;
	a->frames[0] = (struct frame){.width = a->width, .height = a->height, .span = 1};
	a->count = 1;
	for (uint32_t k = 1; k < a->t.frames; k++) {
		if (!draw_phase(a, k, a->cur))
			return false;
		plan_phase(a, k);
	}
	return true;
}

/* fcTL: the frame's rectangle, its delay (span periods of frames, reduced), its dispose, and
 * source blend: the rectangle's pixels replace the canvas', alpha exactly as drawn. */
static bool put_fctl(struct apng *a, const struct frame *f)
{
	uint64_t num = (uint64_t)a->t.period_num * f->span;
	uint64_t den = (uint64_t)a->t.period_den * a->t.frames;
	uint64_t const g = gcd(num, den);
	uint8_t c[26];
	put_u32(c, a->seq++);
	put_u32(c + 4, f->width);
	put_u32(c + 8, f->height);
	put_u32(c + 12, f->x);
	put_u32(c + 16, f->y);
	num /= g;
	den /= g;
	c[20] = (uint8_t)(num >> 8);
	c[21] = (uint8_t)num;
	c[22] = (uint8_t)(den >> 8);
	c[23] = (uint8_t)den;
	c[24] = f->dispose;
	c[25] = 0; /* APNG_BLEND_OP_SOURCE */
	return put_chunk(a->fp, "fcTL", c, sizeof(c));
}

/* acTL: how many frames, looping forever. It must come before IDAT. */
static bool put_actl(struct apng *a)
{
	uint8_t c[8];
	put_u32(c, a->count);
	put_u32(c + 4, 0); /* plays: 0 is forever */
	return put_chunk(a->fp, "acTL", c, sizeof(c));
}

/* Each frame drawn again and its rectangle deflated into fdAT chunks, as the default image
 * is: unfiltered rows, run-length zlib (smaller here than the default strategy at level 9,
 * and than the PNG filters: see docs/benchmarks.md). */
static enum heart_png_status write_animation(struct apng *a)
{
	for (uint32_t i = 0; i < a->count; i++) {
		const struct frame *const f = &a->frames[i];
		if (!draw_phase(a, f->phase, a->cur))
			return HEART_PNG_NOMEM;
		if (!put_fctl(a, f))
			return HEART_PNG_WRITE;
		struct idat *const d =
			image_begin(a->encoder, a->fp, f->width, f->height, &a->seq, 6, Z_RLE);
		if (!d)
			return HEART_PNG_NOMEM;
		for (uint32_t y = f->y; y < f->y + f->height && !d->failed; y++)
			image_row(d, a->cur + (size_t)y * a->width + f->x, f->width);
		if (!image_end(d))
			return HEART_PNG_WRITE;
	}
	return HEART_PNG_OK;
}

/* The pool's buffers for the three images of the plan, and the plan. */
static bool apng_buffers(struct apng *a)
{
	struct heart_pool *const pool = heart_raster_pool(a->r);
	size_t const pixels = (size_t)a->width * a->height;
	a->cur = heart_pool_get(pool, HEART_POOL_FRAME, pixels);
	a->prev = heart_pool_get(pool, HEART_POOL_FRAME_PREV, pixels);
	a->before = heart_pool_get(pool, HEART_POOL_OUTPUT, pixels);
	a->frames =
		heart_pool_get(pool, HEART_POOL_SCRATCH, APNG_MAX_FRAMES * sizeof(struct frame));
	return a->cur && a->prev && a->before && a->frames;
}

enum heart_png_status heart_apng_write(FILE *fp, struct heart_raster *r,
				       const struct heart_shape *shape, uint32_t width,
				       uint32_t height, double hz, double amplitude,
				       const struct heart_png_options *o)
{
	struct heart_path path;
	struct apng a = {.fp = fp,
			 .r = r,
			 .shape = shape,
			 .width = width,
			 .height = height,
			 .amplitude = amplitude};
	if (!size_ok(width, height))
		return HEART_PNG_TOO_LARGE;
	if (!(hz >= HEART_BEAT_HZ_MIN && hz <= HEART_BEAT_HZ_MAX) ||
	    !(amplitude >= HEART_AMPLITUDE_MIN && amplitude <= HEART_AMPLITUDE_MAX))
		return HEART_PNG_BAD_BEAT;
	heart_apng_timing(hz, &a.t);
	if (!apng_buffers(&a) || !plan(&a))
		return HEART_PNG_NOMEM;

	enum heart_png_status st = write_header(fp, r, width, height, o);
	if (st == HEART_PNG_OK && !put_actl(&a))
		st = HEART_PNG_WRITE;
	/* The default image, outside the animation (no fcTL before it): the still heart at
	 * rest, as heart_png_write() draws it, for viewers that do not animate. */
	heart_image_path(shape, width, height, 0, 0, &path);
	if (st == HEART_PNG_OK && !heart_raster_begin(r, &path, width, height))
		st = HEART_PNG_NOMEM;
	if (st == HEART_PNG_OK)
		st = write_image(fp, r, width, height);
	if (st == HEART_PNG_OK) {
		a.encoder = heart_pool_get(heart_raster_pool(r), HEART_POOL_ENCODER,
					   encoder_memory(15));
		st = a.encoder ? write_animation(&a) : HEART_PNG_NOMEM;
	}
	return st == HEART_PNG_OK ? write_end(fp) : st;
}
