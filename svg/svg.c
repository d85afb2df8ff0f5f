#include <math.h>
#include <string.h>

#include "svg.h"

/*
 * Coordinates are in pixels (the viewBox is the pixel grid). Each is within path_tolerance()
 * of the model: a hundredth of a pixel, or 1/2000 of the image's smaller side when that is
 * less, because a browser may scale a small image up (a favicon shown at 512 px). At 1/1000
 * of the side such a heart's edge moves by up to half a display pixel, and rsvg-convert's
 * rendering of it differs from heart png's by an RMSE of 0.010, the cross-check's threshold;
 * at 1/2000 by 0.002-0.004, as large images do (tests/e2e/test_svg.py). Every point of a cubic
 * is a convex combination of its control points, so rounding each control point by at most
 * this much moves every point of the curve by at most this much.
 */
#define PATH_TOLERANCE_MAX 0.01
#define PATH_TOLERANCE_OF_SIDE 5e-4

/* Keyframes every 1 % of a beat (linear between them): the beat's bumps last 16 %, so each
 * is sampled 16 times; at 1.2 Hz a 60 Hz display shows a frame every 2 %. */
#define KEYFRAME_STEPS 100

void svg_options_default(struct svg_options *out)
{
	*out = (struct svg_options){
		.width = 256,
		.height = 256,
		.color = {0xff, 0, 0},
		.hz = HEART_BEAT_HZ_DEFAULT,
		.amplitude = HEART_AMPLITUDE_DEFAULT,
	};
	heart_shape_default(&out->shape);
}

static enum svg_error options_check(const struct svg_options *o)
{
	enum svg_error err = SVG_OK;
	if (o->width < 1 || o->width > SVG_SIZE_MAX || o->height < 1 || o->height > SVG_SIZE_MAX)
		return SVG_ERR_SIZE;
	if (!(o->hz >= HEART_BEAT_HZ_MIN && o->hz <= HEART_BEAT_HZ_MAX) ||
	    !(o->amplitude >= HEART_AMPLITUDE_MIN && o->amplitude <= HEART_AMPLITUDE_MAX))
		return SVG_ERR_BEAT;
	if (o->title && (err = svg_title_check(o->title, NULL)) != SVG_OK)
		return err;
	if (o->id_prefix && svg_id_check(o->id_prefix) != SVG_OK)
		return SVG_ERR_ID;
	return SVG_OK;
}

static void put(struct svg_buf *b, const char *s)
{
	svg_buf_append(b, s, strlen(s));
}

/* Numbers come only from the model and the validated options, so they are always finite
 * and in range; should one not be, "0" keeps the document well-formed. */
static void put_number(struct svg_buf *b, double v, double tolerance)
{
	char s[SVG_NUMBER_MAX];
	put(b, svg_number_format(v, tolerance, s) ? s : "0");
}

static void put_uint(struct svg_buf *b, uint32_t v)
{
	put_number(b, v, 0.5);
}

/* #rgb when each channel is a repeated digit, else #rrggbb: the shortest exact form. */
static void put_color(struct svg_buf *b, struct heart_rgb c)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t const ch[3] = {c.r, c.g, c.b};
	bool const short_form = c.r % 17 == 0 && c.g % 17 == 0 && c.b % 17 == 0;
	char s[8] = "#";
	size_t n = 1;

	for (int i = 0; i < 3; i++) {
		if (!short_form)
			s[n++] = hex[ch[i] >> 4];
		s[n++] = hex[ch[i] & 15];
	}
	s[n] = '\0';
	put(b, s);
}

/* PREFIX-NAME: the ids and names a page sees, unique per --id. */
static void put_id(struct svg_buf *b, const char *prefix, const char *name)
{
	put(b, prefix);
	put(b, "-");
	put(b, name);
}

/* The tolerance for this image, in pixels: PATH_TOLERANCE_MAX, or PATH_TOLERANCE_OF_SIDE of
 * the smaller side when that is less. */
static double path_tolerance(const struct svg_options *o)
{
	uint32_t const side = o->width < o->height ? o->width : o->height;
	return fmin(PATH_TOLERANCE_MAX, side * PATH_TOLERANCE_OF_SIDE);
}

struct path_writer {
	struct svg_buf *b;
	double tolerance;   /* pixels */
	int decimals;       /* coordinates are integers in units of 10^-decimals pixels */
	double per_pixel;   /* 10^decimals */
	char command;       /* the last command letter written */
	bool after_command; /* no separator needed before the next number */
	int64_t x, y;       /* the current point, in units */
	int64_t c2x, c2y;   /* the previous segment's second control point, in units */
};

/* Units: the fewest decimals whose nearest value is always within the tolerance. */
static void path_writer_init(struct path_writer *w, struct svg_buf *b, double tolerance)
{
	*w = (struct path_writer){.b = b, .tolerance = tolerance, .per_pixel = 1};
	while (0.5 / w->per_pixel > tolerance && w->decimals < SVG_DECIMALS_MAX) {
		w->decimals++;
		w->per_pixel *= 10;
	}
}

/* v in the writer's units, rounded to the fewest digits within its tolerance: at most
 * w->decimals of them, since the nearest unit is close enough (when v lies halfway between
 * two units, floating-point error may say otherwise: the nearest unit it is). */
static int64_t units(const struct path_writer *w, double v)
{
	struct svg_decimal d;
	if (!svg_decimal_round(v, w->tolerance, &d))
		return 0;
	if (d.decimals > w->decimals)
		return (int64_t)round(v * w->per_pixel);
	for (; d.decimals < w->decimals; d.decimals++)
		d.digits *= 10;
	return d.digits;
}

/* Start a command unless it is the one in force: its letter then repeats implicitly. */
static void command(struct path_writer *w, char c)
{
	if (w->command == c)
		return;
	char const s[2] = {c, '\0'};
	put(w->b, s);
	w->command = c;
	w->after_command = true;
}

/* A number in the writer's units; a minus sign separates as well as a space does. */
static void put_coord(struct path_writer *w, int64_t v)
{
	char s[SVG_NUMBER_MAX];
	svg_decimal_format((struct svg_decimal){v, w->decimals}, s);
	if (!w->after_command && v >= 0)
		put(w->b, " ");
	put(w->b, s);
	w->after_command = false;
}

/* A point relative to the current point. Both are rounded absolute coordinates, so the
 * difference is exact: no rounding error builds up along the path. */
static void put_relative(struct path_writer *w, struct heart_point p)
{
	put_coord(w, units(w, p.x) - w->x);
	put_coord(w, units(w, p.y) - w->y);
}

static void move_to(struct path_writer *w, struct heart_point p)
{
	w->x = units(w, p.x);
	w->y = units(w, p.y);
}

/*
 * One cubic segment. Where the path is smooth (the lobe tops), the first control point is
 * the previous one reflected about the joint: `s` leaves it out. Tested on the rounded
 * values, so `s` stands only for a point that `c` would have written identically.
 */
static void put_cubic(struct path_writer *w, const struct heart_cubic *c, bool first)
{
	bool const smooth = !first && units(w, c->c1.x) == 2 * w->x - w->c2x &&
			    units(w, c->c1.y) == 2 * w->y - w->c2y;
	command(w, smooth ? 's' : 'c');
	if (!smooth)
		put_relative(w, c->c1);
	put_relative(w, c->c2);
	put_relative(w, c->end);
	w->c2x = units(w, c->c2.x);
	w->c2y = units(w, c->c2.y);
	move_to(w, c->end);
}

/*
 * The model's path, exactly: its start (M), its six cubic segments (c, or s at a smooth
 * joint; relative coordinates, shorter than absolute ones), closed (z).
 */
static void put_path_data(struct svg_buf *b, const struct svg_options *o)
{
	struct heart_transform t;
	struct heart_path path;
	struct path_writer w;

	path_writer_init(&w, b, path_tolerance(o));

	/* Only a beating heart needs room to grow into. */
	heart_layout(&o->shape, o->width, o->height, 1, HEART_IMAGE_MARGIN,
		     o->animate ? 1 + o->amplitude : 1, &t);
	heart_path_build(&o->shape, &t, &path);
	command(&w, 'M');
	put_relative(&w, path.start);
	move_to(&w, path.start);
	for (int i = 0; i < HEART_SEGMENTS; i++)
		put_cubic(&w, &path.seg[i], i == 0);
	command(&w, 'z');
}

static double beat_scale(const struct svg_options *o, int step)
{
	/* One beat of the terminal's scale function, with the phase as time at 1 Hz. */
	return heart_beat_scale(1, o->amplitude, (double)step / KEYFRAME_STEPS);
}

/*
 * @keyframes PREFIX-beat, sampled from the beat every 1 %. A sample between two equal
 * neighbours is left out (linear interpolation gives it anyway): the rest between beats
 * costs two keyframes instead of sixty.
 */
static void put_keyframes(struct svg_buf *b, const struct svg_options *o, const char *prefix)
{
	/* Scaling by s moves a point at distance d from the centre by d·|Δs|; d is under the
	 * larger side, so this keeps the beat's shape to a hundredth of a pixel too. */
	double const tol = path_tolerance(o) / (o->width > o->height ? o->width : o->height);

	put(b, "@keyframes ");
	put_id(b, prefix, "beat");
	put(b, "{");
	for (int i = 0; i <= KEYFRAME_STEPS; i++) {
		double const s = beat_scale(o, i);
		if (i > 0 && i < KEYFRAME_STEPS && s == beat_scale(o, i - 1) &&
		    s == beat_scale(o, i + 1))
			continue;
		put_uint(b, (unsigned)i);
		put(b, "%{transform:scale(");
		put_number(b, s, tol);
		put(b, ")}");
	}
	put(b, "}");
}

/*
 * The animation: CSS keyframes scaling the path about the heart's centre. transform-box
 * view-box makes transform-origin user units (pixels of the viewBox), whether the SVG is
 * inline or an <img>; heart_layout() puts the heart's centre at the middle of the box.
 */
static void put_style(struct svg_buf *b, const struct svg_options *o, const char *prefix)
{
	put(b, "<style>");
	put_keyframes(b, o, prefix);
	put(b, "#");
	put_id(b, prefix, "heart");
	put(b, "{transform-box:view-box;transform-origin:");
	put_number(b, o->width / 2.0, path_tolerance(o));
	put(b, "px ");
	put_number(b, o->height / 2.0, path_tolerance(o));
	put(b, "px;animation:");
	put_id(b, prefix, "beat");
	put(b, " ");
	put_number(b, 1 / o->hz, 1e-5);
	put(b, "s linear infinite}@media (prefers-reduced-motion:reduce){#");
	put_id(b, prefix, "heart");
	put(b, "{animation:none}}</style>");
}

static void put_open_tag(struct svg_buf *b, const struct svg_options *o, const char *prefix)
{
	put(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"");
	put_uint(b, o->width);
	put(b, "\" height=\"");
	put_uint(b, o->height);
	put(b, "\" viewBox=\"0 0 ");
	put_uint(b, o->width);
	put(b, " ");
	put_uint(b, o->height);
	if (o->title) {
		put(b, "\" role=\"img\" aria-labelledby=\"");
		put_id(b, prefix, "title");
		put(b, "\"><title id=\"");
		put_id(b, prefix, "title");
		put(b, "\">");
		svg_escape_append(b, o->title);
		put(b, "</title>");
	} else {
		put(b, "\" aria-hidden=\"true\">");
	}
}

enum svg_error svg_write(const struct svg_options *o, struct svg_buf *out)
{
	enum svg_error const err = options_check(o);
	const char *const prefix = o->id_prefix ? o->id_prefix : SVG_ID_DEFAULT;

	if (err != SVG_OK)
		return err;
	put_open_tag(out, o, prefix);
	if (o->animate)
		put_style(out, o, prefix);
	if (o->background) {
		put(out, "<rect width=\"100%\" height=\"100%\" fill=\"");
		put_color(out, o->background_color);
		put(out, "\"/>");
	}
	put(out, "<path");
	if (o->animate) {
		put(out, " id=\"");
		put_id(out, prefix, "heart");
		put(out, "\"");
	}
	put(out, " fill=\"");
	put_color(out, o->color);
	put(out, "\" d=\"");
	put_path_data(out, o);
	put(out, "\"/></svg>\n");
	return out->failed ? SVG_ERR_NOMEM : SVG_OK;
}
