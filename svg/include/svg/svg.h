#pragma once

/*
 * heart as SVG: the model's six cubic Béziers written exactly (`M x y c … s …`), static or beating
 * with CSS keyframes, accessible (title or aria-hidden) and safe to embed: every value a user
 * gives is validated or escaped here, so the document is well-formed whatever it contains.
 *
 * Nothing here prints: the document goes into a caller-owned growable buffer (base/buf.h).
 *
 * Threads: every function here works only on its arguments (no global or static state, no
 * locale: numbers are formatted by hand), so any number of threads may write documents at
 * once, each into its own buffer; heart serve does, one buffer per worker thread.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "render/model.h"

/* ---- Errors ---------------------------------------------------------------------------- */

enum svg_error {
	SVG_OK,
	SVG_ERR_NOMEM,
	SVG_ERR_SIZE, /* width or height outside 1..SVG_SIZE_MAX */
	SVG_ERR_BEAT, /* hz or amplitude outside render/model.h's ranges */
	SVG_ERR_TITLE_EMPTY,
	SVG_ERR_TITLE_LONG,    /* over SVG_TITLE_MAX bytes */
	SVG_ERR_TITLE_UTF8,    /* invalid UTF-8: overlong, surrogate, truncated, > U+10FFFF */
	SVG_ERR_TITLE_CONTROL, /* a control character other than tab (C0, DEL, C1) */
	SVG_ERR_TITLE_NONCHAR, /* a Unicode noncharacter (U+FFFE, U+FDD0, ...), not allowed in XML
				*/
	SVG_ERR_ID,            /* the id prefix does not match [A-Za-z][A-Za-z0-9_-]{0,63} */
};

/* A short English phrase for messages ("contains a control character"). Never NULL. */
const char *svg_strerror(enum svg_error e);

/* ---- Validation (the CLI checks user input with these before writing) -------------------- */

#define SVG_SIZE_MAX 16384 /* largest width or height, in pixels */
#define SVG_TITLE_MAX 1024 /* bytes of UTF-8 */
#define SVG_ID_MAX 64      /* bytes */
#define SVG_ID_DEFAULT "heart"

/*
 * SVG_OK when `title` (NUL-terminated) is 1..SVG_TITLE_MAX bytes of valid UTF-8 without
 * control characters other than tab and without noncharacters; else the reason, with the byte
 * offset of the first bad byte in *offset_out (0 for EMPTY and LONG). offset_out may be NULL.
 */
enum svg_error svg_title_check(const char *title, size_t *offset_out);

/* SVG_OK when `prefix` matches [A-Za-z][A-Za-z0-9_-]* and is at most SVG_ID_MAX bytes. */
enum svg_error svg_id_check(const char *prefix);

/* ---- The document ------------------------------------------------------------------------ */

struct svg_options {
	struct heart_shape shape;
	uint32_t width, height; /* pixels, 1..SVG_SIZE_MAX; also the viewBox */
	struct heart_rgb color;
	bool background; /* false: transparent */
	struct heart_rgb background_color;
	bool animate;     /* beat with CSS keyframes */
	double hz;        /* beats per second (HEART_BEAT_HZ_MIN..MAX) */
	double amplitude; /* HEART_AMPLITUDE_MIN..MAX; checked, used only to animate */
	/* Where in its beat the animation starts, 0 (at rest: no delay written) to below 1: a
	 * negative animation-delay of start / hz seconds. */
	double start;
	/* The heart is laid out as heart png lays it out: HEART_IMAGE_MARGIN on every side, and
	 * when animated room for the beat (as for a PNG of a phase of the beat); a static heart
	 * fills the rest (as a PNG at rest does). */
	const char *title;     /* NULL: decorative (aria-hidden); else svg_title_check() */
	const char *id_prefix; /* NULL: SVG_ID_DEFAULT; else svg_id_check() */
};

/* 256×256, the default shape, red, transparent, static, render/model.h's default beat, no title. */
void svg_options_default(struct svg_options *out);

/*
 * Append the whole document (ending with a newline) to `out`. Same options, same bytes.
 * Returns SVG_OK, or the first invalid option's error (nothing appended), or SVG_ERR_NOMEM
 * (out->failed set, its contents incomplete).
 */
enum svg_error svg_write(const struct svg_options *o, struct base_buf *out);
