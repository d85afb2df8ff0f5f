#include <math.h>
#include <string.h>

#include "svg_internal.h"

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
	    !(o->amplitude >= HEART_AMPLITUDE_MIN && o->amplitude <= HEART_AMPLITUDE_MAX) ||
	    !(o->start >= 0 && o->start < 1))
		return SVG_ERR_BEAT;
	if (o->title && (err = svg_title_check(o->title, NULL)) != SVG_OK)
		return err;
	if (o->id_prefix && svg_id_check(o->id_prefix) != SVG_OK)
		return SVG_ERR_ID;
	return SVG_OK;
}

static void put(struct base_buf *b, const char *s)
{
	base_buf_append(b, s, strlen(s));
}

/* Numbers come only from the model and the validated options, so they are always finite
 * and in range; should one not be, "0" keeps the document well-formed. */
static void put_number(struct base_buf *b, double v, double tolerance)
{
	char s[SVG_NUMBER_MAX];
	put(b, svg_number_format(v, tolerance, s) ? s : "0");
}

static void put_uint(struct base_buf *b, uint32_t v)
{
	put_number(b, v, 0.5);
}

/* #rgb when each channel is a repeated digit, else #rrggbb, or a CSS name when that is
 * shorter still ("red", "tan"): the shortest exact form. */
static void put_color(struct base_buf *b, struct heart_rgb c)
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
	const char *name = heart_color_name(c);
	put(b, name && strlen(name) < n ? name : s);
}

/* PREFIX-NAME: the ids and names a page sees, unique per --id. */
static void put_id(struct base_buf *b, const char *prefix, const char *name)
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

/* Where the path text stands: what the next number or command must follow. */
struct path_state {
	char command;       /* the last command letter written */
	bool after_command; /* no separator needed before the next number */
	bool after_point;   /* the last number written has a '.' */
	int64_t x, y;       /* the current point, in units */
	int64_t c2x, c2y;   /* the previous segment's second control point, in units */
};

struct path_writer {
	double tolerance; /* pixels */
	int decimals;     /* coordinates are integers in units of 10^-decimals pixels */
	double per_pixel; /* 10^decimals */
};

/* One segment's text, written in full before it is chosen. */
struct path_piece {
	char text[8 * SVG_NUMBER_MAX];
	size_t len;
	struct path_state state; /* after the piece */
};

/* Units: the fewest decimals whose nearest value is always within the tolerance. */
static void path_writer_init(struct path_writer *w, double tolerance)
{
	*w = (struct path_writer){.tolerance = tolerance, .per_pixel = 1};
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

static void piece_append(struct path_piece *p, const char *s)
{
	size_t const n = strlen(s);
	if (p->len + n < sizeof(p->text)) {
		memcpy(p->text + p->len, s, n + 1);
		p->len += n;
	}
}

/* Start a command unless it is the one in force: its letter then repeats implicitly. */
static void command(struct path_piece *p, char c)
{
	if (p->state.command == c)
		return;
	char const s[2] = {c, '\0'};
	piece_append(p, s);
	p->state.command = c;
	p->state.after_command = true;
}

/*
 * A number in the writer's units. A space separates it from the number before only where
 * the path grammar needs one: a minus sign starts a new number, and so does a point after a
 * number that already has one (".5.25" is .5 then .25).
 */
static void put_coord(const struct path_writer *w, struct path_piece *p, int64_t v)
{
	char s[SVG_NUMBER_MAX];
	svg_decimal_format((struct svg_decimal){v, w->decimals}, s);
	if (!p->state.after_command && s[0] != '-' && !(s[0] == '.' && p->state.after_point))
		piece_append(p, " ");
	piece_append(p, s);
	p->state.after_command = false;
	p->state.after_point = strchr(s, '.') != NULL;
}

/* A point, absolute or relative to the current point. Both are rounded absolute coordinates,
 * so the difference is exact: no rounding error builds up along the path. */
static void put_point(const struct path_writer *w, struct path_piece *p, struct heart_point q,
		      bool absolute)
{
	put_coord(w, p, units(w, q.x) - (absolute ? 0 : p->state.x));
	put_coord(w, p, units(w, q.y) - (absolute ? 0 : p->state.y));
}

/*
 * One cubic segment, absolute (C) or relative (c). Where the path is smooth (the lobe tops),
 * the first control point is the previous one reflected about the joint: S or s leaves it
 * out. Tested on the rounded values, so s stands only for a point that c would have written
 * identically.
 */
static void cubic_piece(const struct path_writer *w, const struct path_state *from,
			const struct heart_cubic *c, bool first, bool absolute,
			struct path_piece *out)
{
	out->len = 0;
	out->text[0] = '\0';
	out->state = *from;
	bool const smooth = !first && units(w, c->c1.x) == 2 * from->x - from->c2x &&
			    units(w, c->c1.y) == 2 * from->y - from->c2y;
	command(out, (char)((smooth ? 's' : 'c') - (absolute ? 'a' - 'A' : 0)));
	if (!smooth)
		put_point(w, out, c->c1, absolute);
	put_point(w, out, c->c2, absolute);
	put_point(w, out, c->end, absolute);
	out->state.c2x = units(w, c->c2.x);
	out->state.c2y = units(w, c->c2.y);
	out->state.x = units(w, c->end.x);
	out->state.y = units(w, c->end.y);
}

/* The heart's path at rest, in pixels. Only a beating heart needs room to grow into. */
static void layout_path(const struct svg_options *o, struct heart_path *out)
{
	struct heart_transform t;
	heart_layout(&o->shape, o->width, o->height, 1, HEART_IMAGE_MARGIN,
		     o->animate ? 1 + o->amplitude : 1, &t);
	heart_path_build(&o->shape, &t, out);
}

/*
 * The model's path, exactly: its start (M) and its six cubic segments, each relative or
 * absolute, whichever is shorter (command letters included). No closing z: the last
 * segment ends on the start point, and a fill closes the path anyway.
 */
static void put_path_data(struct base_buf *b, const struct heart_path *path, double tol)
{
	struct path_writer w;
	struct path_piece piece = {.len = 0}, other;

	path_writer_init(&w, tol);
	command(&piece, 'M');
	put_point(&w, &piece, path->start, true);
	piece.state.x = units(&w, path->start.x);
	piece.state.y = units(&w, path->start.y);
	base_buf_append(b, piece.text, piece.len);
	for (int i = 0; i < HEART_SEGMENTS; i++) {
		struct path_state const from = piece.state;
		cubic_piece(&w, &from, &path->seg[i], i == 0, false, &piece);
		cubic_piece(&w, &from, &path->seg[i], i == 0, true, &other);
		if (other.len < piece.len)
			piece = other;
		base_buf_append(b, piece.text, piece.len);
	}
}

static double beat_scale(const struct svg_options *o, int step)
{
	/* One beat of the terminal's scale function, with the phase as time at 1 Hz. */
	return heart_beat_scale(1, o->amplitude, (double)step / KEYFRAME_STEPS);
}

struct keyframe {
	int percent;
	struct svg_decimal scale;
	bool written;
};

static double decimal_value(struct svg_decimal d)
{
	return (double)d.digits / pow(10, d.decimals);
}

/*
 * The farthest the heart at rest reaches from the image's centre, in pixels: scaling by s
 * moves a point at distance d from the centre by d·|Δs|. The curve lies in the convex hull
 * of its control points, so the farthest control point bounds it.
 */
static double reach(const struct svg_options *o, const struct heart_path *p)
{
	double const cx = o->width / 2.0, cy = o->height / 2.0;

	double far = hypot(p->start.x - cx, p->start.y - cy);
	for (int i = 0; i < HEART_SEGMENTS; i++) {
		const struct heart_point q[3] = {p->seg[i].c1, p->seg[i].c2, p->seg[i].end};
		for (int k = 0; k < 3; k++)
			far = fmax(far, hypot(q[k].x - cx, q[k].y - cy));
	}
	return far;
}

/*
 * The beat's keyframes: the scale sampled every 1 % and rounded within `tol`, keeping only
 * the samples that linear interpolation between the kept ones cannot give: from each kept
 * keyframe the next is the farthest sample up to which the interpolation stays within `tol`
 * of every sample in between. The rest between beats is one straight line; so are the
 * flanks of each pulse, nearly. Returns how many.
 */
static int keyframes_choose(const struct svg_options *o, double tol,
			    struct keyframe out[KEYFRAME_STEPS + 1])
{
	double exact[KEYFRAME_STEPS + 1], value[KEYFRAME_STEPS + 1];
	struct svg_decimal rounded[KEYFRAME_STEPS + 1];
	int n = 0;

	for (int i = 0; i <= KEYFRAME_STEPS; i++) {
		exact[i] = beat_scale(o, i);
		svg_decimal_round(exact[i], tol, &rounded[i]);
		value[i] = decimal_value(rounded[i]);
	}
	for (int a = 0;;) {
		out[n++] = (struct keyframe){.percent = a, .scale = rounded[a]};
		if (a == KEYFRAME_STEPS)
			return n;
		int b = a + 1;
		double const va = value[a];
		for (int next = a + 2; next <= KEYFRAME_STEPS; next++) {
			double const vb = value[next];
			bool fits = true;
			for (int i = a + 1; i < next && fits; i++)
				fits = fabs(va + (vb - va) * (i - a) / (next - a) - exact[i]) <=
				       tol;
			if (!fits)
				break;
			b = next;
		}
		a = b;
	}
}

static void put_percent(struct base_buf *b, int percent)
{
	if (percent == KEYFRAME_STEPS) {
		put(b, "to"); /* 100% */
		return;
	}
	put_uint(b, (unsigned)percent);
	put(b, "%");
}

/*
 * @keyframes PREFIX-beat. Keyframes with the same scale share one rule ("0%,16%,20%,36%,to"):
 * the heart rests most of the beat, and each pulse rises as it falls. `scale:` is the CSS
 * transform property of its own, shorter than transform:scale().
 */
static void put_keyframes(struct base_buf *b, const struct svg_options *o, const char *prefix,
			  const struct heart_path *path, double path_tol)
{
	/* Within the path's tolerance at the heart's farthest point. */
	double const tol = path_tol / reach(o, path);
	struct keyframe k[KEYFRAME_STEPS + 1];
	int const n = keyframes_choose(o, tol, k);

	put(b, "@keyframes ");
	put_id(b, prefix, "beat");
	put(b, "{");
	for (int i = 0; i < n; i++) {
		if (k[i].written)
			continue;
		put_percent(b, k[i].percent);
		for (int j = i + 1; j < n; j++) {
			if (k[j].scale.digits == k[i].scale.digits &&
			    k[j].scale.decimals == k[i].scale.decimals) {
				put(b, ",");
				put_percent(b, k[j].percent);
				k[j].written = true;
			}
		}
		char s[SVG_NUMBER_MAX];
		svg_decimal_format(k[i].scale, s);
		put(b, "{scale:");
		put(b, s);
		put(b, "}");
	}
	put(b, "}");
}

/*
 * The animation: CSS keyframes scaling the path about the heart's centre. transform-box
 * view-box makes transform-origin user units (pixels of the viewBox), whether the SVG is
 * inline or an <img>; heart_layout() puts the heart's centre at the middle of the box.
 */
static void put_style(struct base_buf *b, const struct svg_options *o, const char *prefix,
		      const struct heart_path *path, double tol)
{
	put(b, "<style>");
	put_keyframes(b, o, prefix, path, tol);
	put(b, "#");
	put_id(b, prefix, "heart");
	put(b, "{transform-box:view-box;transform-origin:");
	put_number(b, o->width / 2.0, tol);
	put(b, "px ");
	put_number(b, o->height / 2.0, tol);
	put(b, "px;animation:");
	put_id(b, prefix, "beat");
	put(b, " ");
	put_number(b, 1 / o->hz, 1e-5);
	put(b, "s linear ");
	if (o->start > 0) { /* a negative delay: the first beat is already under way */
		put_number(b, -o->start / o->hz, 1e-5);
		put(b, "s ");
	}
	put(b, "infinite}@media (prefers-reduced-motion:reduce){#");
	put_id(b, prefix, "heart");
	put(b, "{animation:none}}</style>");
}

static void put_open_tag(struct base_buf *b, const struct svg_options *o, const char *prefix)
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

enum svg_error svg_write(const struct svg_options *o, struct base_buf *out)
{
	enum svg_error const err = options_check(o);
	const char *const prefix = o->id_prefix ? o->id_prefix : SVG_ID_DEFAULT;

	if (err != SVG_OK)
		return err;
	struct heart_path path;
	double const tol = path_tolerance(o);
	layout_path(o, &path);
	put_open_tag(out, o, prefix);
	if (o->animate)
		put_style(out, o, prefix, &path, tol);
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
	put_path_data(out, &path, tol);
	put(out, "\"/></svg>\n");
	return out->failed ? SVG_ERR_NOMEM : SVG_OK;
}
