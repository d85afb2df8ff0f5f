/*
 * Exact-area scanline rasterizer (the idea shared by FreeType's smooth rasterizer, font-rs and
 * stb_truetype v2): every line segment adds to the pixels it crosses the signed area it covers
 * inside them, and the rest of its height as "cover" to the pixel after; a running sum along
 * the row gives each pixel's exact coverage. Rows are made one at a time from the edges that
 * cross them, so memory grows with the width and the number of edges, never with the area.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/raster.h"
#include "render_internal.h"

struct edge {
	float x0, y0, x1, y1; /* y0 < y1 */
	float dxdy;
	float dir; /* +1 for a segment that ran downwards, -1 upwards */
};

struct heart_raster {
	struct heart_pool *pool;
	uint32_t width, height;
	uint32_t y;        /* next row to produce */
	struct edge *edges; /* sorted by y0 */
	uint32_t n_edges;
	size_t edge_cap; /* edges the EDGES and ACTIVE buffers hold */
	uint32_t next_edge; /* first edge not yet active */
	uint32_t *active;
	uint32_t n_active;
	float *accum; /* width + 2 */
	float *cover; /* width */
	uint8_t *bytes; /* width */
};

/* Segments past this per cubic would be smaller than any pixel of the largest raster. */
#define MAX_SEGMENTS_PER_CUBIC 4096u

unsigned heart_cubic_segments(struct heart_point from, const struct heart_cubic *c,
			      double tolerance)
{
	double const ax = from.x - 2 * c->c1.x + c->c2.x, ay = from.y - 2 * c->c1.y + c->c2.y;
	double const bx = c->c1.x - 2 * c->c2.x + c->end.x, by = c->c1.y - 2 * c->c2.y + c->end.y;
	double const dd = fmax(hypot(ax, ay), hypot(bx, by));
	double const n = ceil(sqrt(0.75 * dd / tolerance));

	if (!(n >= 1)) /* also NaN */
		return 1;
	return n > MAX_SEGMENTS_PER_CUBIC ? MAX_SEGMENTS_PER_CUBIC : (unsigned)n;
}

struct heart_raster *heart_raster_create(struct heart_pool *pool)
{
	struct heart_raster *r = calloc(1, sizeof(*r));
	if (r)
		r->pool = pool;
	return r;
}

void heart_raster_destroy(struct heart_raster *r)
{
	free(r);
}

static void add_edge(struct heart_raster *r, struct heart_point a, struct heart_point b)
{
	if (a.y == b.y || !isfinite(a.x + a.y + b.x + b.y))
		return; /* horizontal edges add no area */
	float const dir = a.y < b.y ? 1.0f : -1.0f;
	if (a.y > b.y) {
		struct heart_point const t = a;
		a = b;
		b = t;
	}
	r->edges[r->n_edges++] = (struct edge){
		(float)a.x, (float)a.y, (float)b.x, (float)b.y,
		(float)((b.x - a.x) / (b.y - a.y)), dir,
	};
}

/* Heapsort by y0: no allocation (qsort may call malloc) and n log n. */
static void sift_down(struct edge *e, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && e[child + 1].y0 > e[child].y0)
			child++;
		if (e[root].y0 >= e[child].y0)
			return;
		struct edge const t = e[root];
		e[root] = e[child];
		e[child] = t;
		root = child;
	}
}

static void sort_edges(struct edge *e, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(e, i, n);
	for (size_t end = n; end > 1; end--) {
		struct edge const t = e[0];
		e[0] = e[end - 1];
		e[end - 1] = t;
		sift_down(e, 0, end - 1);
	}
}

static bool flatten(struct heart_raster *r, const struct heart_path *path)
{
	size_t total = 0;
	unsigned n[HEART_SEGMENTS];
	struct heart_point from = path->start;

	for (int i = 0; i < HEART_SEGMENTS; i++) {
		n[i] = heart_cubic_segments(from, &path->seg[i], HEART_FLATTEN_TOLERANCE);
		total += n[i];
		from = path->seg[i].end;
	}
	/* Reserve twice what this path needs: a beating heart's edge count varies by a few
	 * percent from frame to frame, and the buffers should settle after the first frame. */
	if (total > r->edge_cap || !r->edges) {
		r->edges = heart_pool_get(r->pool, HEART_POOL_EDGES, 2 * total * sizeof(struct edge));
		r->active = heart_pool_get(r->pool, HEART_POOL_ACTIVE, 2 * total * sizeof(uint32_t));
		r->edge_cap = r->edges && r->active ? 2 * total : 0;
		if (!r->edge_cap)
			return false;
	}

	r->n_edges = 0;
	for (int i = 0; i < HEART_SEGMENTS; i++) {
		struct heart_point prev = heart_path_eval(path, i, 0);
		for (unsigned k = 1; k <= n[i]; k++) {
			struct heart_point const next = k == n[i] ? path->seg[i].end
							: heart_path_eval(path, i, (double)k / n[i]);
			add_edge(r, prev, next);
			prev = next;
		}
	}
	sort_edges(r->edges, r->n_edges);
	return true;
}

bool heart_raster_begin(struct heart_raster *r, const struct heart_path *path, uint32_t width,
			uint32_t height)
{
	if (width > HEART_RASTER_MAX || height > HEART_RASTER_MAX)
		return false;
	r->width = width;
	r->height = height;
	r->y = 0;
	r->next_edge = 0;
	r->n_active = 0;

	size_t const w = width;
	r->accum = heart_pool_get(r->pool, HEART_POOL_ACCUM, (w + 2) * sizeof(float));
	r->cover = heart_pool_get(r->pool, HEART_POOL_COVER, w * (sizeof(float) + 1));
	if (!r->accum || !r->cover || !flatten(r, path))
		return false;
	r->bytes = (uint8_t *)(r->cover + w);
	memset(r->accum, 0, (w + 2) * sizeof(float));
	return true;
}

static float clampx(float x, float w)
{
	return x < 0 ? 0 : x > w ? w : x;
}

/* Add the part of an edge inside one row: from (x, ...) to (xnext, ...), height dy. */
static void accumulate(float *a, float w, float x, float xnext, float dy, float dir)
{
	float const d = dy * dir;
	x = clampx(x, w);
	xnext = clampx(xnext, w);
	float const x0 = fminf(x, xnext), x1 = fmaxf(x, xnext);
	float const x0floor = floorf(x0);
	int const x0i = (int)x0floor;
	float const x1ceil = ceilf(x1);
	int const x1i = (int)x1ceil;

	if (x1i <= x0i + 1) {
		/* Within one pixel: the area left of the segment's midpoint stays in it. */
		float const xmf = 0.5f * (x + xnext) - x0floor;
		a[x0i] += d - d * xmf;
		a[x0i + 1] += d * xmf;
		return;
	}
	float const s = 1.0f / (x1 - x0);
	float const x0f = x0 - x0floor;
	float const a0 = 0.5f * s * (1 - x0f) * (1 - x0f);
	float const x1f = x1 - x1ceil + 1;
	float const am = 0.5f * s * x1f * x1f;
	a[x0i] += d * a0;
	if (x1i == x0i + 2) {
		a[x0i + 1] += d * (1 - a0 - am);
	} else {
		float const a1 = s * (1.5f - x0f);
		a[x0i + 1] += d * (a1 - a0);
		for (int xi = x0i + 2; xi < x1i - 1; xi++)
			a[xi] += d * s;
		float const a2 = a1 + (float)(x1i - x0i - 3) * s;
		a[x1i - 1] += d * (1 - a2 - am);
	}
	a[x1i] += d * am;
}

const float *heart_raster_row_float(struct heart_raster *r)
{
	if (r->y >= r->height)
		return NULL;
	float const top = (float)r->y, bottom = top + 1;
	float const w = (float)r->width;

	while (r->next_edge < r->n_edges && r->edges[r->next_edge].y0 < bottom)
		r->active[r->n_active++] = r->next_edge++;

	for (uint32_t i = 0; i < r->n_active;) {
		const struct edge *e = &r->edges[r->active[i]];
		if (e->y1 <= top) {
			r->active[i] = r->active[--r->n_active];
			continue;
		}
		float const ya = fmaxf(top, e->y0), yb = fminf(bottom, e->y1);
		if (yb > ya)
			accumulate(r->accum, w, e->x0 + (ya - e->y0) * e->dxdy,
				   e->x0 + (yb - e->y0) * e->dxdy, yb - ya, e->dir);
		i++;
	}

	float sum = 0;
	for (uint32_t x = 0; x < r->width; x++) {
		sum += r->accum[x];
		r->accum[x] = 0;
		float const c = fabsf(sum);
		r->cover[x] = c > 1 ? 1 : c;
	}
	r->accum[r->width] = 0;
	r->accum[r->width + 1] = 0;
	r->y++;
	return r->cover;
}

const uint8_t *heart_raster_row(struct heart_raster *r)
{
	const float *c = heart_raster_row_float(r);
	if (!c)
		return NULL;
	for (uint32_t x = 0; x < r->width; x++)
		r->bytes[x] = (uint8_t)(c[x] * 255 + 0.5f);
	return r->bytes;
}
