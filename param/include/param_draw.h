#pragma once

/*
 * Every drawing parameter, declared once: name, kind and range (a struct param_rule), default,
 * value name and help text, which outputs take it, and the rules between parameters. The
 * command line (cli/draw.h's DRAW_OPTIONS, generated from this table by param/gen.c), heart
 * serve's query (serve/query.c), the OpenAPI document, the man page and the completions all
 * come from here (docs/ARCHITECTURE.md, "Where to add things"). Adding a drawing parameter is
 * one row in param/draw.c (with its PD_ name and field here) plus the code that uses it.
 * Nothing here prints or allocates. Threads: the table is constant and every function works on
 * what it is given, so any number of threads may call them at once.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "param.h"
#include "render/model.h"
#include "render/gif.h"
#include "render/png.h"
#include "svg/svg.h"

/* What takes a parameter: the drawing commands and heart serve's image routes. */
enum param_output {
	PARAM_OUT_PLAY = 1 << 0,      /* heart play */
	PARAM_OUT_PNG = 1 << 1,       /* heart png */
	PARAM_OUT_SVG = 1 << 2,       /* heart svg */
	PARAM_OUT_QUERY_SVG = 1 << 3, /* GET /heart.svg */
	PARAM_OUT_QUERY_PNG = 1 << 4, /* GET /heart.png */
	PARAM_OUT_GIF = 1 << 5,       /* heart gif */
	PARAM_OUT_QUERY_GIF = 1 << 6, /* GET /heart.gif */
	PARAM_OUT_ICONS = 1 << 7,     /* heart icons: still images, colours and shape */
	PARAM_OUT_ANY_SVG = PARAM_OUT_SVG | PARAM_OUT_QUERY_SVG,
	PARAM_OUT_ANY_PNG = PARAM_OUT_PNG | PARAM_OUT_QUERY_PNG,
	PARAM_OUT_ANY_GIF = PARAM_OUT_GIF | PARAM_OUT_QUERY_GIF,
	PARAM_OUT_IMAGES = PARAM_OUT_ANY_SVG | PARAM_OUT_ANY_PNG | PARAM_OUT_ANY_GIF,
	PARAM_OUT_ALL = PARAM_OUT_PLAY | PARAM_OUT_IMAGES,
	/* The commands (the rest are heart serve's routes). */
	PARAM_OUT_COMMANDS =
		PARAM_OUT_PLAY | PARAM_OUT_PNG | PARAM_OUT_SVG | PARAM_OUT_GIF | PARAM_OUT_ICONS,
};

/* The parameters, in the table's order (the order the server lists them in). */
enum param_id {
	PD_COLOR,
	PD_BACKGROUND,
	PD_SIZE,
	PD_ANIMATE,
	PD_FPS,
	PD_BPM,
	PD_PHASE,
	PD_AMPLITUDE,
	PD_ASPECT,
	PD_CLEFT,
	PD_LOBE,
	PD_TIP,
	PD_TITLE,
	PD_ID,
	PD_SEED,
	PD_DARK_COLOR,
	PD_DARK_BACKGROUND,
	PD_COUNT,
};

/* The parsed values of the drawing parameters; param_values_init() fills in the defaults. */
struct param_values {
	struct heart_shape shape;
	struct param_color color, background;
	struct param_size size; /* pixels */
	bool animate;
	double fps;             /* Hz */
	double bpm;             /* beats per minute: param_values_hz() */
	double phase;           /* 0 to 1 of the beat */
	double amplitude;       /* the beat's extra scale at its peak */
	const char *title, *id; /* NULL: none, svg's default prefix; borrowed */
	const char *seed;       /* NULL: none; else the id param_seed_apply() draws; borrowed */
	/* Where in its beat (0 to 1) an animated heart starts: the seed's phase (svg's keyframes,
	 * play's clock, a GIF's first frame); 0 without a seed. A still PNG keeps `phase`; an APNG
	 * starts at rest. */
	double start;
	/* Under prefers-color-scheme: dark (SVG), when given. */
	struct param_color dark_color, dark_background;
	uint32_t given; /* bit PD_x: the parameter was given */
};

struct param_def {
	const char *name;
	const char *query_name; /* heart serve's name when it differs ("user"); NULL: name */
	struct param_rule rule;
	size_t offset;          /* of the value in struct param_values */
	unsigned outputs;       /* enum param_output */
	bool draw_option;       /* one of the drawing options play, png and svg share */
	const char *value_name; /* the value in --help ("C", "HZ"); PARAM_SIZE: its forms */
	/* What it is ("beats per second"): param_def_help() adds a number's range and default;
	 * a shape's is render/model.h's. */
	const char *help;
	const char *brief;        /* the completions' few words; NULL: help and the range */
	const char *default_text; /* the default as a person writes it; NULL: none */
	/* heart serve's OpenAPI description: its first sentences (the rules between parameters
	 * and the grammar of numbers are added from the table); NULL: the template's own. */
	const char *api_doc;
};

/* Row id of the table (id < PD_COUNT). Never NULL; static. */
const struct param_def *param_def(enum param_id id);

/* The name heart serve's query gives d: its query_name, else its name. Static. */
static inline const char *param_def_query_name(const struct param_def *d)
{
	return d->query_name ? d->query_name : d->name;
}

/*
 * The help text of d into buf (never longer than size - 1 bytes): help, then for a number its
 * range and default ("beats per second, 0.1 to 10 (default 1.2)") or, without a default, the
 * parameter it stands instead of. brief: the completions' few words (a number's range, no
 * default).
 */
void param_def_help(const struct param_def *d, bool brief, char *buf, size_t size);

/* How parameters depend on each other, for some outputs. */
enum param_relation_kind {
	PARAM_REQUIRES,  /* param needs other (a flag: other=true); several rows of one param
			  * for one output are alternatives: it needs one of them */
	PARAM_CONFLICTS, /* param and other exclude each other (a flag: when other=true) */
};

struct param_relation {
	enum param_relation_kind kind;
	enum param_id param, other;
	unsigned outputs; /* where the rule holds */
};

/* The rules between parameters, in the order they are checked. *n_out is their number. */
const struct param_relation *param_relations(size_t *n_out);

/* What param_values_check() found. */
enum param_violation_kind {
	PARAM_VIOLATION_NONE,
	PARAM_VIOLATION_OUTPUT,    /* param was given, but output does not take it */
	PARAM_VIOLATION_REQUIRES,  /* param was given without other */
	PARAM_VIOLATION_CONFLICTS, /* param and other were both given */
};

struct param_violation {
	enum param_violation_kind kind;
	enum param_id param, other;
};

/* The defaults: red, a transparent background, 256 × 256, the default shape and beat. */
void param_values_init(struct param_values *v);

/* Parse value (NUL-terminated) as parameter id into v and mark it given; false when refused,
 * v unchanged. Strings are borrowed. */
bool param_values_set(struct param_values *v, enum param_id id, const char *value);

static inline bool param_given(const struct param_values *v, enum param_id id)
{
	return v->given >> id & 1;
}

/*
 * The first rule that v breaks for output (one enum param_output bit): a parameter the output
 * does not take (in the table's order), then the relations in their order. Returns whether v
 * is acceptable; *out says why not (kind PARAM_VIOLATION_NONE when it is).
 */
bool param_values_check(const struct param_values *v, enum param_output output,
			struct param_violation *out);

/* The beat's frequency in Hz: bpm / 60 when bpm was given, else fps. */
double param_values_hz(const struct param_values *v);

/* The options of an SVG document for v: every field set from v. */
void param_svg_options(const struct param_values *v, struct svg_options *out);

/*
 * The PNG writer's options for v (software: the Software chunk's text, borrowed) and the
 * beat's amplitude to lay the image out with: a frame of the beat (phase given) or the whole
 * beat (animate) keeps room for the beat's peak, so frames line up; a single image at rest
 * fills the image (0).
 */
void param_png_options(const struct param_values *v, const char *software,
		       struct heart_png_options *out, double *amplitude_out);

/* The matte of a GIF over a transparent background: GIF has no partial transparency, so the
 * heart's edges are blended into an opaque colour, white when --background is transparent. */
#define PARAM_GIF_MATTE ((struct heart_rgb){0xff, 0xff, 0xff})

/* The GIF writer's options for v: shape, colour, the background (PARAM_GIF_MATTE when
 * transparent), the beat's Hz, amplitude and start. */
void param_gif_options(const struct param_values *v, struct heart_gif_options *out);

/* ---- A heart for each user ---------------------------------------------------------------- */

/* A seed is 1 to PARAM_SEED_MAX bytes of UTF-8 without control characters (param_seed_ok()). */
#define PARAM_SEED_MAX 256

/* Whether seed (NUL-terminated) is a seed heart takes. Never looks past the NUL. */
bool param_seed_ok(const char *seed);

/* What a seed draws (docs/drawing.md, "A heart for each user", is the contract). */
struct param_seed {
	struct heart_shape shape; /* inside render/model.h's box, 10 % in from every side */
	struct heart_rgb color;   /* OKLCH lightness 0.6, chroma 0.1, the seed's hue */
	double hue;               /* degrees, 0 to 360 */
	double phase;             /* 0 to 1: where the beat starts */
};

/*
 * Derive the heart of seed[0..len) (any bytes): the BLAKE2b-256 digest of those bytes (unkeyed,
 * libsodium's crypto_generichash), read two bytes at a time as little-endian numbers u:
 * bytes 0-1 aspect, 2-3 cleft, 4-5 lobe, 6-7 tip (min + (max - min) · (0.1 + 0.8 · u / 65535)),
 * 8-9 hue (360 · u / 65536 degrees), 10-11 phase (u / 65536). The mapping never changes.
 */
void param_seed_derive(const char *seed, size_t len, struct param_seed *out);

/*
 * When v->seed is set: every shape parameter, the colour and the start of the beat that were
 * not given explicitly take the seed's values (explicit options win). The seed itself stays
 * out of everything drawn or hashed. Does nothing without a seed.
 */
void param_seed_apply(struct param_values *v);
