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
	size_t len;    /* bytes waiting in buf */
	bool failed;
	uint8_t buf[IDAT_CHUNK];
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

static void idat_flush(struct idat *d)
{
	if (d->len && !d->failed)
		d->failed = !put_chunk(d->fp, "IDAT", d->buf, d->len);
	d->len = 0;
}

static void idat_put(struct idat *d, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (d->len == IDAT_CHUNK)
			idat_flush(d);
		d->buf[d->len++] = p[i];
	}
}

/* Deflate n bytes at p (with Z_FINISH: and end the stream), IDAT chunks as buf fills. */
static void idat_deflate(struct idat *d, const uint8_t *p, size_t n, int flush)
{
	int ret;
	d->z.next_in = (Bytef *)(uintptr_t)p;
	d->z.avail_in = (uInt)n;
	do {
		d->z.next_out = d->buf + d->len;
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

/* The image data: each row, after its filter-type byte (0: none), deflated; then IEND. */
static enum heart_png_status write_image(FILE *fp, struct heart_raster *r, uint32_t width,
					 uint32_t height)
{
	static const uint8_t no_filter = 0;
	enum heart_png_status st = HEART_PNG_NOMEM;
	const uint8_t *row;

	/* The smallest window that holds the whole image, as libpng chooses it: a small image
	 * needs less of zlib's memory to clear. */
	int bits = 9;
	while (bits < 15 && ((uint64_t)1 << bits) < (uint64_t)height * (width + 1))
		bits++;
	/* The zlib header: deflate with that window, "default" level, and the check bits that
	 * make it a multiple of 31 (RFC 1950). */
	unsigned const cmf = (unsigned)(bits - 8) << 4 | 8, flg = 0x80;
	uint8_t const zlib_header[2] = {(uint8_t)cmf,
					(uint8_t)(flg + (31 - (cmf * 256 + flg) % 31) % 31)};

	size_t const head = (sizeof(struct idat) + 15) & ~(size_t)15;
	size_t const size = head + deflate_bound_memory(bits);
	uint8_t *const mem = heart_pool_get(heart_raster_pool(r), HEART_POOL_ENCODER, size);
	if (!mem)
		return HEART_PNG_NOMEM;
	struct arena arena = {mem + head, mem + size};
	struct idat *const d = (struct idat *)(void *)mem;
	/* Palette images compress best unfiltered (the PNG spec's advice); run-length zlib is
	 * about as small as the default strategy on flat graphics and faster (see README). */
	*d = (struct idat){.fp = fp, .a = 1};
	d->z.zalloc = arena_alloc;
	d->z.zfree = arena_free;
	d->z.opaque = &arena;
	if (deflateInit2(&d->z, 6, Z_DEFLATED, -bits, 8, Z_RLE) != Z_OK)
		return HEART_PNG_NOMEM;
	idat_put(d, zlib_header, 2);
	while ((row = heart_raster_row(r)) && !d->failed) {
		idat_deflate(d, &no_filter, 1, Z_NO_FLUSH);
		idat_deflate(d, row, width, Z_NO_FLUSH);
		adler_runs(d, &no_filter, 1);
		adler_runs(d, row, width);
	}
	idat_deflate(d, NULL, 0, Z_FINISH);
	uint8_t const adler[4] = {(uint8_t)(d->b >> 8), (uint8_t)d->b, (uint8_t)(d->a >> 8),
				  (uint8_t)d->a};
	idat_put(d, adler, 4);
	idat_flush(d);
	st = d->failed || !put_chunk(fp, "IEND", NULL, 0) ? HEART_PNG_WRITE : HEART_PNG_OK;
	deflateEnd(&d->z);
	return st;
}

enum heart_png_status heart_png_write(FILE *fp, struct heart_raster *r,
				      const struct heart_path *path, uint32_t width,
				      uint32_t height, const struct heart_png_options *o)
{
	if (width == 0 || height == 0 || width > HEART_RASTER_MAX || height > HEART_RASTER_MAX)
		return HEART_PNG_TOO_LARGE;
	if (!heart_raster_begin(r, path, width, height))
		return HEART_PNG_NOMEM;

	/* libpng's structures come from the pool too, for the header chunks' short while. */
	size_t const size = LIBPNG_ARENA;
	uint8_t *const mem = heart_pool_get(heart_raster_pool(r), HEART_POOL_ENCODER, size);
	if (!mem)
		return HEART_PNG_NOMEM;
	struct arena arena = {mem, mem + size};
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

	/* The coverage byte is the palette index: rows go from the rasterizer to zlib as they
	 * are, with no per-pixel work in between. */
	enum heart_png_status const st = write_image(fp, r, width, height);
	if (st != HEART_PNG_OK)
		return st;
	return fflush(fp) == 0 && !ferror(fp) ? HEART_PNG_OK : HEART_PNG_WRITE;
}
