#include "shape_metrics.h"

#include <math.h>
#include <stdlib.h>

#include "render/raster.h"

struct image {
	unsigned n;
	float *cov; /* n × n, row by row */
};

static float at(const struct image *im, int x, int y)
{
	if (x < 0 || y < 0 || x >= (int)im->n || y >= (int)im->n)
		return 0;
	return im->cov[(size_t)y * im->n + (size_t)x];
}

/* Where coverage crosses one half between two pixel centres, a at p and b at p + 1. */
static double crossing(double p, float a, float b)
{
	return p + (0.5 - a) / (b - a);
}

/* The first crossing walking down column x (the top edge), or NAN. Positions are in pixel
 * units with pixel centres at k + 0.5. */
static double top_of(const struct image *im, int x)
{
	for (int y = 0; y < (int)im->n; y++)
		if (at(im, x, y) >= 0.5f)
			return crossing(y - 0.5, at(im, x, y - 1), at(im, x, y));
	return NAN;
}

static double bottom_of(const struct image *im, int x)
{
	for (int y = (int)im->n - 1; y >= 0; y--)
		if (at(im, x, y) >= 0.5f)
			return crossing(y + 0.5, at(im, x, y), at(im, x, y + 1));
	return NAN;
}

/* The last crossing walking right along row y (the right edge), or NAN. */
static double right_of(const struct image *im, int y)
{
	for (int x = (int)im->n - 1; x >= 0; x--)
		if (at(im, x, y) >= 0.5f)
			return crossing(x + 0.5, at(im, x, y), at(im, x + 1, y));
	return NAN;
}

/* The right edge at height y (any real), interpolated between rows. */
static double right_at(const struct image *im, double y)
{
	int const r = (int)floor(y - 0.5);
	double const f = y - 0.5 - r;
	double const a = right_of(im, r), b = right_of(im, r + 1);
	if (isnan(a))
		return b;
	if (isnan(b))
		return a;
	return a + f * (b - a);
}

static void render(const struct heart_shape *s, struct image *im)
{
	struct heart_transform t;
	struct heart_path p;
	struct heart_pool *pool = heart_pool_create();
	struct heart_raster *r = heart_raster_create(pool);
	heart_layout(s, im->n, im->n, 1, HEART_IMAGE_MARGIN, 1, &t);
	heart_path_build(s, &t, &p);
	if (!r || !heart_raster_begin(r, &p, im->n, im->n))
		abort();
	for (unsigned y = 0; y < im->n; y++) {
		const float *row = heart_raster_row_float(r);
		for (unsigned x = 0; x < im->n; x++)
			im->cov[(size_t)y * im->n + x] = row[x];
	}
	heart_raster_destroy(r);
	heart_pool_destroy(pool);
}

/* Signed distance of q from the line a→b, positive to the right of it (y down). */
static double side(double ax, double ay, double bx, double by, double qx, double qy)
{
	return ((bx - ax) * (qy - ay) - (by - ay) * (qx - ax)) / hypot(bx - ax, by - ay);
}

void shape_measure(const struct heart_shape *s, unsigned size, struct shape_metrics *out)
{
	struct image im = {size, calloc((size_t)size * size, sizeof(float))};
	if (!im.cov)
		abort();
	render(s, &im);
	int const n = (int)size, c = n / 2; /* columns c.. are the right half */
	double const cx = n / 2.0;

	/* Extents, and the lobe's highest point and the widest point. */
	double top = INFINITY, bottom = -INFINITY, lobe_x = cx, wide = -INFINITY, wide_y = 0;
	for (int x = c; x < n; x++) {
		double const t = top_of(&im, x), b = bottom_of(&im, x);
		if (t < top) {
			top = t;
			lobe_x = x + 0.5;
		}
		bottom = fmax(bottom, b);
	}
	for (int y = 0; y < n; y++) {
		double const r = right_of(&im, y);
		if (r >
		    wide + 1e-9) { /* the highest row of the widest: where the underside starts */
			wide = r;
			wide_y = y + 0.5;
		}
	}
	double const height = bottom - top, width = 2 * (wide - cx);

	out->cleft = ((top_of(&im, c - 1) + top_of(&im, c)) / 2 - top) / height;

	int flat = 0;
	for (int x = c; x < n; x++)
		flat += top_of(&im, x) <= top + 0.02 * width;
	out->flat = flat / (width / 2);

	/* The lobe's outer quarter, from (lobe_x, top) to (wide, wide_y), seen both ways. */
	double bulge = 0;
	for (int x = (int)lobe_x; x < n; x++) {
		double const t = top_of(&im, x);
		if (!isnan(t) && t <= wide_y)
			bulge = fmax(bulge, -side(lobe_x, top, wide, wide_y, x + 0.5, t));
	}
	for (int y = (int)ceil(top); y + 0.5 < wide_y; y++)
		bulge = fmax(bulge, -side(lobe_x, top, wide, wide_y, right_of(&im, y), y + 0.5));
	out->roundness = bulge / hypot(wide - lobe_x, wide_y - top);

	double const near_tip = bottom - 0.05 * height;
	out->tip = 2 * (right_at(&im, near_tip) - cx) / width;

	/* The underside, row by row from the widest point to the tip. */
	size_t m = 0;
	double *ux = malloc(size * sizeof(double)), *uy = malloc(size * sizeof(double));
	if (!ux || !uy)
		abort();
	ux[m] = wide;
	uy[m++] = wide_y;
	for (int y = (int)ceil(wide_y); y + 1.5 < bottom; y++) {
		ux[m] = right_of(&im, y);
		uy[m++] = y + 0.5;
	}
	ux[m] = cx;
	uy[m++] = bottom;

	out->bulge_min = INFINITY;
	out->bulge_max = -INFINITY;
	for (size_t i = 1; i + 1 < m; i++) {
		double const f = (uy[i] - wide_y) / (bottom - wide_y);
		double const d = (ux[i] - (wide + f * (cx - wide))) / width;
		out->bulge_min = fmin(out->bulge_min, d);
		out->bulge_max = fmax(out->bulge_max, d);
	}

	/* The outer hull of the underside (x as a function of y: its least concave majorant),
	 * then how far inside it the underside lies. */
	size_t *hull = malloc(m * sizeof(size_t)), h = 0;
	if (!hull)
		abort();
	for (size_t i = 0; i < m; i++) {
		while (h >= 2 && side(ux[hull[h - 2]], uy[hull[h - 2]], ux[hull[h - 1]],
				      uy[hull[h - 1]], ux[i], uy[i]) <= 0)
			h--;
		hull[h++] = i;
	}
	out->dent = 0;
	for (size_t k = 0; k + 1 < h; k++)
		for (size_t i = hull[k] + 1; i < hull[k + 1]; i++)
			out->dent = fmax(out->dent, side(ux[hull[k]], uy[hull[k]], ux[hull[k + 1]],
							 uy[hull[k + 1]], ux[i], uy[i]) /
							    width);
	free(hull);
	free(ux);
	free(uy);
	free(im.cov);
}

bool shape_metrics_is_heart(const struct shape_metrics *m)
{
	return m->cleft >= 0.12 && m->cleft <= 0.40 &&           /* a cleft, not a fork */
	       m->flat <= 0.56 &&                                /* no flat lobe tops */
	       m->roundness >= 0.15 && m->roundness <= 0.26 &&   /* round, not pointed or boxy */
	       m->tip <= 0.18 &&                                 /* a point, not a round bottom */
	       m->bulge_min >= -0.002 && m->bulge_max >= 0.08 && /* outward all the way down */
	       m->dent <= 0.003;
}
