/*
 * Exact-area scanline rasterizer (the idea shared by FreeType's smooth rasterizer, font-rs and
 * stb_truetype v2): every line segment adds to the pixels it crosses the signed area it covers
 * inside them, and the rest of its height as "cover" to the pixel after; a running sum along
 * the row gives each pixel's exact coverage. Rows are made one at a time from the edges that
 * cross them, so memory grows with the width and the number of edges, never with the area.
 *
 * By spans: only the cells an edge touched hold anything; between two of them the running
 * sum does not change, so that run of pixels is filled with one value in one go. A bitmap
 * marks the touched cells (and a second one the bitmap's non-zero words, so that finding
 * them costs a word per 4096 pixels), and the sum visits them in order: it adds the same floats in
 * the same order as a sum over every pixel would (adding the zero of an untouched cell changes
 * nothing), so the coverage is bit for bit what a per-pixel sum gives, at a cost that grows
 * with the edges instead of the area (tests/render/ checks it against that sum).
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

/* A run of pixels one fill gave one byte value, in the row before the current one. */
struct run {
	uint32_t from, to;
	uint8_t level;
};

struct heart_raster {
	struct heart_pool *pool;
	uint32_t width, height;
	uint32_t y;         /* next row to produce */
	struct edge *edges; /* sorted by y0 */
	uint32_t n_edges;
	size_t edge_cap;    /* edges the EDGES and ACTIVE buffers hold */
	uint32_t next_edge; /* first edge not yet active */
	uint32_t *active;
	uint32_t n_active;
	float *accum;      /* width + 2 cells, zero except where touched */
	uint64_t *touched; /* one bit per cell of accum: written since the last sweep */
	uint64_t *summary; /* one bit per word of touched: non-zero */
	size_t summary_lo; /* the words of summary that may be non-zero: [lo, hi) */
	size_t summary_hi;
	float *cover;        /* width */
	uint8_t *bytes;      /* width */
	struct run *runs[2]; /* the fills of the row being made and of the last byte row */
	uint32_t n_runs[2];
	int cur;         /* runs[cur] is being made; runs[cur ^ 1] is what bytes holds */
	uint32_t prev_i; /* the first run of runs[cur ^ 1] that may still overlap a fill */
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
		(float)a.x, (float)a.y, (float)b.x, (float)b.y, (float)((b.x - a.x) / (b.y - a.y)),
		dir,
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
		r->edges =
			heart_pool_get(r->pool, HEART_POOL_EDGES, 2 * total * sizeof(struct edge));
		r->active =
			heart_pool_get(r->pool, HEART_POOL_ACTIVE, 2 * total * sizeof(uint32_t));
		r->edge_cap = r->edges && r->active ? 2 * total : 0;
		if (!r->edge_cap)
			return false;
	}

	r->n_edges = 0;
	for (int i = 0; i < HEART_SEGMENTS; i++) {
		struct heart_point prev = heart_path_eval(path, i, 0);
		for (unsigned k = 1; k <= n[i]; k++) {
			struct heart_point const next =
				k == n[i] ? path->seg[i].end
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
	size_t const words = (w + 2 + 63) / 64, summary_words = (words + 63) / 64;
	size_t const bitmaps = (summary_words + words) * sizeof(uint64_t);
	r->summary = heart_pool_get(r->pool, HEART_POOL_ACCUM, bitmaps + (w + 2) * sizeof(float));
	/* Floats, two run lists (a row has at most one fill more than it has touched cells),
	 * then bytes. */
	size_t const max_runs = w + 1;
	r->cover = heart_pool_get(r->pool, HEART_POOL_COVER,
				  w * sizeof(float) + 2 * max_runs * sizeof(struct run) + w);
	if (!r->summary || !r->cover || !flatten(r, path))
		return false;
	r->touched = r->summary + summary_words;
	r->accum = (float *)(r->touched + words);
	r->runs[0] = (struct run *)(r->cover + w);
	r->runs[1] = r->runs[0] + max_runs;
	r->bytes = (uint8_t *)(r->runs[1] + max_runs);
	r->n_runs[0] = r->n_runs[1] = 0; /* the bytes hold nothing known yet */
	r->prev_i = 0;
	memset(r->summary, 0, bitmaps + (w + 2) * sizeof(float));
	r->summary_lo = SIZE_MAX;
	r->summary_hi = 0;
	return true;
}

static float clampx(float x, float w)
{
	return x < 0 ? 0 : x > w ? w : x;
}

/* Set bits lo..hi (inclusive). */
static void set_bits(uint64_t *bits, size_t lo, size_t hi)
{
	size_t const wl = lo / 64, wh = hi / 64;
	uint64_t const first = ~(uint64_t)0 << (lo % 64);
	uint64_t const last = ~(uint64_t)0 >> (63 - hi % 64);

	if (wl == wh) {
		bits[wl] |= first & last;
		return;
	}
	bits[wl] |= first;
	for (size_t i = wl + 1; i < wh; i++)
		bits[i] = ~(uint64_t)0;
	bits[wh] |= last;
}

/* Mark cells lo..hi (inclusive) of the row as touched. */
static inline void mark(struct heart_raster *r, uint32_t lo, uint32_t hi)
{
	size_t const sl = lo / 4096, sh = hi / 4096;
	if (lo / 64 == hi / 64) { /* nearly always: an edge crosses a few cells of a row */
		r->touched[lo / 64] |=
			(~(uint64_t)0 << (lo % 64)) & (~(uint64_t)0 >> (63 - hi % 64));
		r->summary[sl] |= (uint64_t)1 << (lo / 64 % 64);
	} else {
		set_bits(r->touched, lo, hi);
		set_bits(r->summary, lo / 64, hi / 64);
	}
	r->summary_lo = sl < r->summary_lo ? sl : r->summary_lo;
	r->summary_hi = sh + 1 > r->summary_hi ? sh + 1 : r->summary_hi;
}

/* The lowest set bit of *bits, cleared; bits must not be zero. */
static size_t take_lowest(uint64_t *bits)
{
	size_t const i = (size_t)__builtin_ctzll(*bits);
	*bits &= *bits - 1;
	return i;
}

/* Add the part of an edge inside one row: from (x, ...) to (xnext, ...), height dy. */
static void accumulate(struct heart_raster *r, float x, float xnext, float dy, float dir)
{
	float *const a = r->accum;
	float const w = (float)r->width;
	float const d = dy * dir;
	x = clampx(x, w);
	xnext = clampx(xnext, w);
	/* Plain comparisons: fminf() and fmaxf() are library calls (NaN rules) that showed in
	 * profiles; the values here are finite. */
	float const x0 = x < xnext ? x : xnext, x1 = x < xnext ? xnext : x;
	float const x0floor = floorf(x0);
	int const x0i = (int)x0floor;
	float const x1ceil = ceilf(x1);
	int const x1i = (int)x1ceil;

	if (x1i <= x0i + 1) {
		/* Within one pixel: the area left of the segment's midpoint stays in it. */
		float const xmf = 0.5f * (x + xnext) - x0floor;
		a[x0i] += d - d * xmf;
		a[x0i + 1] += d * xmf;
		mark(r, (uint32_t)x0i, (uint32_t)x0i + 1);
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
	mark(r, (uint32_t)x0i, (uint32_t)x1i);
}

/* Accumulate the next row's edges into r->accum; false after the last row. */
static bool accumulate_row(struct heart_raster *r)
{
	if (r->y >= r->height)
		return false;
	float const top = (float)r->y, bottom = top + 1;

	while (r->next_edge < r->n_edges && r->edges[r->next_edge].y0 < bottom)
		r->active[r->n_active++] = r->next_edge++;

	for (uint32_t i = 0; i < r->n_active;) {
		const struct edge *e = &r->edges[r->active[i]];
		if (e->y1 <= top) {
			r->active[i] = r->active[--r->n_active];
			continue;
		}
		float const ya = top > e->y0 ? top : e->y0, yb = bottom < e->y1 ? bottom : e->y1;
		if (yb > ya)
			accumulate(r, e->x0 + (ya - e->y0) * e->dxdy,
				   e->x0 + (yb - e->y0) * e->dxdy, yb - ya, e->dir);
		i++;
	}
	r->y++;
	return true;
}

/* Coverage from the running sum: non-zero winding, one contour, so |sum| capped at 1. */
static float coverage(float sum)
{
	float const c = fabsf(sum);
	return c > 1 ? 1 : c;
}

/* The 8-bit level of a coverage in [0, 1], rounded to nearest. */
static uint8_t level(float c)
{
	return (uint8_t)(c * 255 + 0.5f);
}

/*
 * Bytes [from, to) at value v. The row before left its fills in the buffer, and from one row
 * to the next most of them stay where they were (the inside stays inside): only the bytes
 * that a run of the last row did not already set to v are written. The fill is recorded
 * for the next row.
 */
static void fill_bytes(struct heart_raster *r, uint32_t from, uint32_t to, uint8_t v)
{
	const struct run *prev = r->runs[r->cur ^ 1];
	uint32_t const n = r->n_runs[r->cur ^ 1];
	uint32_t x = from;

	while (r->prev_i < n && prev[r->prev_i].to <= from)
		r->prev_i++;
	for (uint32_t i = r->prev_i; i < n && prev[i].from < to && x < to; i++) {
		if (prev[i].level != v || prev[i].to <= x)
			continue;
		uint32_t const a = prev[i].from > x ? prev[i].from : x;
		uint32_t const b = prev[i].to < to ? prev[i].to : to;
		memset(r->bytes + x, v, a - x);
		x = b;
	}
	memset(r->bytes + x, v, to - x);
	r->runs[r->cur][r->n_runs[r->cur]++] = (struct run){from, to, v};
}

/* Pixels [from, to) of the row, all at coverage c, as floats or as bytes. */
static void fill(struct heart_raster *r, bool floats, uint32_t from, uint32_t to, float c)
{
	if (from >= to)
		return;
	if (floats) {
		for (uint32_t x = from; x < to; x++)
			r->cover[x] = c;
	} else {
		fill_bytes(r, from, to, level(c));
	}
}

/*
 * The running sum over the touched cells, in order, zeroing them behind it; each run of
 * untouched pixels between them gets the sum's coverage in one fill. Cells width and
 * width + 1 (an edge at the right border reaches them) are zeroed but not summed.
 */
static void sweep(struct heart_raster *r, bool floats)
{
	float sum = 0;
	uint32_t x = 0; /* the first pixel not written yet */

	for (size_t s = r->summary_lo; s < r->summary_hi; s++) {
		uint64_t words = r->summary[s];
		r->summary[s] = 0;
		while (words) {
			size_t const i = s * 64 + take_lowest(&words);
			uint64_t bits = r->touched[i];
			r->touched[i] = 0;
			while (bits) {
				uint32_t const cell = (uint32_t)(i * 64 + take_lowest(&bits));
				if (cell < r->width) {
					fill(r, floats, x, cell, coverage(sum));
					sum += r->accum[cell];
					if (floats)
						r->cover[cell] = coverage(sum);
					else
						r->bytes[cell] = level(coverage(sum));
					x = cell + 1;
				}
				r->accum[cell] = 0;
			}
		}
	}
	fill(r, floats, x, r->width, coverage(sum));
	r->summary_lo = SIZE_MAX;
	r->summary_hi = 0;
	if (!floats) { /* a float row leaves the bytes, and the runs that describe them, alone */
		r->cur ^= 1;
		r->n_runs[r->cur] = 0;
		r->prev_i = 0;
	}
}

const float *heart_raster_row_float(struct heart_raster *r)
{
	if (!accumulate_row(r))
		return NULL;
	sweep(r, true);
	return r->cover;
}

const uint8_t *heart_raster_row(struct heart_raster *r)
{
	if (!accumulate_row(r))
		return NULL;
	sweep(r, false);
	return r->bytes;
}

float *heart_raster_row_cells(struct heart_raster *r)
{
	if (!accumulate_row(r))
		return NULL;
	for (size_t s = r->summary_lo; s < r->summary_hi; s++) {
		uint64_t words = r->summary[s];
		r->summary[s] = 0;
		while (words)
			r->touched[s * 64 + take_lowest(&words)] = 0;
	}
	r->summary_lo = SIZE_MAX;
	r->summary_hi = 0;
	return r->accum;
}

struct heart_pool *heart_raster_pool(const struct heart_raster *r)
{
	return r->pool;
}

/* ---- Changed rectangles --------------------------------------------------------------- */

bool heart_image_changed(const uint8_t *prev, const uint8_t *cur, uint32_t width, uint32_t height,
			 struct heart_rect *out)
{
	uint32_t x0 = width, x1 = 0, y0 = height, y1 = 0;
	for (uint32_t y = 0; y < height; y++) {
		const uint8_t *const a = prev + (size_t)y * width, *const b =
									   cur + (size_t)y * width;
		if (memcmp(a, b, width) == 0)
			continue;
		uint32_t l = 0, r = width;
		while (a[l] == b[l])
			l++;
		while (a[r - 1] == b[r - 1])
			r--;
		x0 = l < x0 ? l : x0;
		x1 = r > x1 ? r : x1;
		y0 = y < y0 ? y : y0;
		y1 = y + 1;
	}
	if (y0 == height) {
		*out = (struct heart_rect){0};
		return false;
	}
	*out = (struct heart_rect){x0, y0, x1 - x0, y1 - y0};
	return true;
}
