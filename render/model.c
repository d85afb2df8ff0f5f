#include <math.h>

#include "render/model.h"
#include "render_internal.h"

static const struct heart_param_info params[HEART_PARAM_COUNT] = {
	[HEART_PARAM_ASPECT] = {"aspect", 0.8, 1.4, 1.1, "width / height of the heart"},
	[HEART_PARAM_CLEFT] = {"cleft", 0.15, 0.35, 0.25,
			       "depth of the top cleft, fraction of the height"},
	[HEART_PARAM_LOBE] = {"lobe", 0.85, 1.15, 1.0, "fullness of the lobes (1 circular)"},
	[HEART_PARAM_TIP] = {"tip", 0.0, 1.0, 0.7, "sharpness of the tip (0 blunt, 1 sharp)"},
};

/* Handle length of a cubic that follows a quarter circle: 4/3·tan(π/8). */
static const double kappa = 0.5522847498;
/* How far the cleft's tangent leans outward from vertical: a cusp, as in drawn hearts. */
static const double cleft_lean = 0.35; /* radians, about 20° */
/*
 * The tip's sides leave it below the chord from the heart's widest point to the tip, at a
 * fraction of the chord's angle from the horizontal: tip_blunt at --tip 0, tip_sharp at 1.
 * Kept below the chord, the underside bulges outward all the way down, whatever the aspect;
 * tip_sharp makes --tip 0.7 give the default heart its original 0.672 rad.
 */
static const double tip_blunt = 0.55;
static const double tip_sharp = 0.8057255064;

const struct heart_param_info *heart_param_info(enum heart_param p)
{
	return &params[p < HEART_PARAM_COUNT ? p : 0];
}

void heart_shape_default(struct heart_shape *out)
{
	for (int i = 0; i < HEART_PARAM_COUNT; i++)
		out->value[i] = params[i].def;
}

bool heart_shape_set(struct heart_shape *s, enum heart_param p, double value)
{
	if (p >= HEART_PARAM_COUNT || !isfinite(value) || value < params[p].min ||
	    value > params[p].max)
		return false;
	s->value[p] = value;
	return true;
}

static struct heart_point pt(double x, double y)
{
	return (struct heart_point){x, y};
}

static struct heart_point apply(const struct heart_transform *t, struct heart_point p)
{
	return pt(t->sx * p.x + t->tx, t->sy * p.y + t->ty);
}

/*
 * The right half in model space, from the cleft over the lobe to the tip: three cubics.
 * Every control point lies inside [0, aspect/2] × [-0.5, 0.5], so the whole curve stays in
 * the documented bounding box, whatever the parameters.
 */
static void right_half(const struct heart_shape *s, struct heart_point *start,
		       struct heart_cubic half[3])
{
	double const w = s->value[HEART_PARAM_ASPECT];
	double const cleft = s->value[HEART_PARAM_CLEFT];
	double const k = kappa * s->value[HEART_PARAM_LOBE];
	double const r = w / 4; /* lobe radius */
	double const top = -0.5;

	struct heart_point const cleft_pt = pt(0, top + cleft);
	struct heart_point const lobe_top = pt(r, top);
	struct heart_point const side = pt(w / 2, top + r); /* the widest point */
	struct heart_point const tip = pt(0, 0.5);
	double const chord = atan2(tip.y - side.y, side.x);
	double const theta =
		chord * (tip_blunt + (tip_sharp - tip_blunt) * s->value[HEART_PARAM_TIP]);
	double const tip_handle = 0.55 * (w / 2);

	*start = cleft_pt;
	half[0] = (struct heart_cubic){
		pt(k * cleft * sin(cleft_lean), cleft_pt.y - k * cleft * cos(cleft_lean)),
		pt(r - k * r, top),
		lobe_top,
	};
	half[1] = (struct heart_cubic){pt(r + k * r, top), pt(w / 2, side.y - k * r), side};
	half[2] = (struct heart_cubic){
		pt(w / 2, side.y + 0.45 * (tip.y - side.y)),
		pt(tip_handle * cos(theta), tip.y - tip_handle * sin(theta)),
		tip,
	};
}

static struct heart_point mirror(struct heart_point p)
{
	return pt(-p.x, p.y);
}

void heart_path_build(const struct heart_shape *s, const struct heart_transform *t,
		      struct heart_path *out)
{
	struct heart_point start;
	struct heart_cubic half[3];
	right_half(s, &start, half);

	out->start = apply(t, start);
	for (int i = 0; i < 3; i++) {
		out->seg[i].c1 = apply(t, half[i].c1);
		out->seg[i].c2 = apply(t, half[i].c2);
		out->seg[i].end = apply(t, half[i].end);
	}
	/* The left half: the right half mirrored and run backwards, from the tip to the cleft. */
	for (int i = 0; i < 3; i++) {
		const struct heart_cubic *src = &half[2 - i];
		struct heart_point const from = i == 2 ? start : half[1 - i].end;
		out->seg[3 + i].c1 = apply(t, mirror(src->c2));
		out->seg[3 + i].c2 = apply(t, mirror(src->c1));
		out->seg[3 + i].end = apply(t, mirror(from));
	}
}

void heart_image_path(const struct heart_shape *s, double width, double height, double amplitude,
		      double phase, struct heart_path *out)
{
	struct heart_transform base, t;
	heart_layout(s, width, height, 1, HEART_IMAGE_MARGIN, 1 + amplitude, &base);
	heart_transform_scale(&base, 1 + amplitude * heart_beat_pulse(phase), &t);
	heart_path_build(s, &t, out);
}

void heart_layout(const struct heart_shape *s, double width, double height, double pixel_aspect,
		  double margin, double max_scale, struct heart_transform *out)
{
	double const w = s->value[HEART_PARAM_ASPECT];
	/* Work in square units: one unit is one pixel wide. */
	double const area_w = width;
	double const area_h = height * pixel_aspect;
	double const m = margin * fmin(area_w, area_h);
	double scale = fmin((area_w - 2 * m) / w, area_h - 2 * m) / max_scale;

	if (!(scale > 0) || !isfinite(scale))
		scale = 0;
	*out = (struct heart_transform){
		.sx = scale,
		.sy = pixel_aspect > 0 ? scale / pixel_aspect : 0,
		.tx = width / 2,
		.ty = height / 2,
	};
}

void heart_transform_scale(const struct heart_transform *t, double scale,
			   struct heart_transform *out)
{
	/* The model's origin is the heart's centre, so scaling sx and sy scales about it. */
	*out = (struct heart_transform){t->sx * scale, t->sy * scale, t->tx, t->ty};
}

static struct heart_point seg_from(const struct heart_path *p, int i)
{
	return i == 0 ? p->start : p->seg[i - 1].end;
}

struct heart_point heart_path_eval(const struct heart_path *p, int i, double t)
{
	struct heart_point const a = seg_from(p, i);
	const struct heart_cubic *c = &p->seg[i];
	double const u = 1 - t;
	double const b0 = u * u * u, b1 = 3 * u * u * t, b2 = 3 * u * t * t, b3 = t * t * t;
	return pt(b0 * a.x + b1 * c->c1.x + b2 * c->c2.x + b3 * c->end.x,
		  b0 * a.y + b1 * c->c1.y + b2 * c->c2.y + b3 * c->end.y);
}

static struct heart_point derivative(const struct heart_path *p, int i, double t)
{
	struct heart_point const a = seg_from(p, i);
	const struct heart_cubic *c = &p->seg[i];
	double const u = 1 - t;
	double const d0 = 3 * u * u, d1 = 6 * u * t, d2 = 3 * t * t;
	return pt(d0 * (c->c1.x - a.x) + d1 * (c->c2.x - c->c1.x) + d2 * (c->end.x - c->c2.x),
		  d0 * (c->c1.y - a.y) + d1 * (c->c2.y - c->c1.y) + d2 * (c->end.y - c->c2.y));
}

double heart_path_area(const struct heart_path *p)
{
	/* Green's theorem: ½∮(x dy − y dx). The integrand is a polynomial of degree 5 in t, so
	 * 3-point Gauss–Legendre quadrature is exact. */
	static const double node[3] = {0.1127016653792583, 0.5, 0.8872983346207417};
	static const double weight[3] = {5.0 / 18, 8.0 / 18, 5.0 / 18};
	double sum = 0;

	for (int i = 0; i < HEART_SEGMENTS; i++)
		for (int k = 0; k < 3; k++) {
			struct heart_point const q = heart_path_eval(p, i, node[k]);
			struct heart_point const d = derivative(p, i, node[k]);
			sum += weight[k] * (q.x * d.y - q.y * d.x);
		}
	return fabs(sum) / 2;
}

void heart_path_bounds(const struct heart_path *p, struct heart_point *min_out,
		       struct heart_point *max_out)
{
	struct heart_point lo = p->start, hi = p->start;
	for (int i = 0; i < HEART_SEGMENTS; i++) {
		const struct heart_point q[3] = {p->seg[i].c1, p->seg[i].c2, p->seg[i].end};
		for (int k = 0; k < 3; k++) {
			lo = pt(fmin(lo.x, q[k].x), fmin(lo.y, q[k].y));
			hi = pt(fmax(hi.x, q[k].x), fmax(hi.y, q[k].y));
		}
	}
	*min_out = lo;
	*max_out = hi;
}
