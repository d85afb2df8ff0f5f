#include <png.h>
#include <setjmp.h>
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

enum heart_png_status heart_png_write(FILE *fp, struct heart_raster *r,
				      const struct heart_path *path, uint32_t width,
				      uint32_t height, const struct heart_png_options *o)
{
	if (width == 0 || height == 0 || width > HEART_RASTER_MAX || height > HEART_RASTER_MAX)
		return HEART_PNG_TOO_LARGE;
	if (!heart_raster_begin(r, path, width, height))
		return HEART_PNG_NOMEM;

	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, on_error,
						  on_warning);
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
	/* Palette images compress best unfiltered (the PNG spec's advice); run-length zlib is
	 * about as small as the default strategy on flat graphics and faster (see README). */
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_compression_strategy(png, Z_RLE);
	png_set_compression_level(png, 6);
	png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
	set_palette(png, info, o);
	set_metadata(png, info, o);
	png_write_info(png, info);

	/* The coverage byte is the palette index: rows go from the rasterizer to zlib as they
	 * are, with no per-pixel work in between. */
	const uint8_t *row;
	while ((row = heart_raster_row(r)))
		png_write_row(png, row);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return fflush(fp) == 0 && !ferror(fp) ? HEART_PNG_OK : HEART_PNG_WRITE;
}
