/* Counters updated by every thread (relaxed atomics) and their Prometheus exposition. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "serve_internal.h"

static const double bounds[SRV_BUCKETS] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
					   0.01,   0.025,   0.05,   0.1,   0.25,   1};

const char *const srv_route_names[ROUTE_COUNT] = {
	[ROUTE_SVG] = "/heart.svg",        [ROUTE_PNG] = "/heart.png", [ROUTE_GIF] = "/heart.gif",
	[ROUTE_HEALTHZ] = "/healthz",      [ROUTE_READYZ] = "/readyz", [ROUTE_METRICS] = "/metrics",
	[ROUTE_OPENAPI] = "/openapi.json", [ROUTE_OTHER] = "other",
};

static const unsigned status_codes[STATUS_COUNT] = {
	[STATUS_200] = 200, [STATUS_304] = 304, [STATUS_400] = 400,
	[STATUS_404] = 404, [STATUS_405] = 405, [STATUS_413] = 413,
	[STATUS_414] = 414, [STATUS_500] = 500, [STATUS_503] = 503,
};

static const char *const reason_names[REASON_COUNT] = {
	[REASON_NONE] = NULL,
	[REASON_INVALID_COLOR] = "invalid_color",
	[REASON_INVALID_SIZE] = "invalid_size",
	[REASON_INVALID_BEAT] = "invalid_beat",
	[REASON_INVALID_PHASE] = "invalid_phase",
	[REASON_INVALID_SHAPE] = "invalid_shape",
	[REASON_INVALID_ANIMATE] = "invalid_animate",
	[REASON_INVALID_TITLE] = "invalid_title",
	[REASON_INVALID_ID] = "invalid_id",
	[REASON_INVALID_USER] = "invalid_user",
	[REASON_UNKNOWN_PARAMETER] = "unknown_parameter",
	[REASON_REPEATED_PARAMETER] = "repeated_parameter",
	[REASON_MALFORMED_QUERY] = "malformed_query",
	[REASON_CONFLICT] = "conflicting_parameters",
	[REASON_OUT_OF_MEMORY] = "out_of_memory",
};

void srv_metrics_request(struct srv_metrics *m, enum srv_route route, unsigned status)
{
	for (int i = 0; i < STATUS_COUNT; i++) {
		if (status_codes[i] == status) {
			atomic_fetch_add_explicit(&m->requests[route][i], 1, memory_order_relaxed);
			return;
		}
	}
}

void srv_metrics_render(struct srv_metrics *m, uint64_t ns)
{
	double const s = (double)ns / 1e9;
	int i = 0;
	while (i < SRV_BUCKETS && s > bounds[i])
		i++;
	if (i < SRV_BUCKETS)
		atomic_fetch_add_explicit(&m->buckets[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->render_ns, ns, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->renders, 1, memory_order_relaxed);
}

/* A label value: version and commit are ours, but escape as the format asks anyway. */
static void label_escape(const char *s, char *buf, size_t size)
{
	size_t n = 0;
	for (; *s && n + 3 < size; s++) {
		if (*s == '\\' || *s == '"')
			buf[n++] = '\\';
		else if (*s == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
			continue;
		}
		buf[n++] = *s;
	}
	buf[n] = '\0';
}

static unsigned long load(const atomic_ulong *v)
{
	return atomic_load_explicit(v, memory_order_relaxed);
}

static bool write_requests(const struct srv_metrics *m, struct base_buf *out)
{
	bool ok = base_buf_printf(
		out, "# HELP heart_http_requests_total HTTP requests answered, by route and "
		     "status.\n# TYPE heart_http_requests_total counter\n");
	for (int r = 0; r < ROUTE_COUNT; r++)
		for (int s = 0; s < STATUS_COUNT; s++)
			if (load(&m->requests[r][s]) || (s == STATUS_200 && r != ROUTE_OTHER))
				ok = ok &&
				     base_buf_printf(
					     out,
					     "heart_http_requests_total{route=\"%s\",code=\"%u\"} "
					     "%lu\n",
					     srv_route_names[r], status_codes[s],
					     load(&m->requests[r][s]));
	return ok;
}

static bool write_errors(const struct srv_metrics *m, struct base_buf *out)
{
	bool ok =
		base_buf_printf(out, "# HELP heart_render_errors_total Render requests refused, by "
				     "reason.\n# TYPE heart_render_errors_total counter\n");
	for (int i = REASON_NONE + 1; i < REASON_COUNT; i++)
		ok = ok && base_buf_printf(out, "heart_render_errors_total{reason=\"%s\"} %lu\n",
					   reason_names[i], load(&m->errors[i]));
	return ok;
}

static bool write_histogram(const struct srv_metrics *m, struct base_buf *out)
{
	bool ok = base_buf_printf(out,
				  "# HELP heart_render_duration_seconds Time to render one heart.\n"
				  "# TYPE heart_render_duration_seconds histogram\n");
	unsigned long cumulative = 0;
	for (int i = 0; i < SRV_BUCKETS; i++) {
		cumulative += load(&m->buckets[i]);
		ok = ok &&
		     base_buf_printf(out, "heart_render_duration_seconds_bucket{le=\"%g\"} %lu\n",
				     bounds[i], cumulative);
	}
	/* Read once: +Inf and _count must agree. */
	unsigned long const count = load(&m->renders);
	unsigned long long const ns = atomic_load_explicit(&m->render_ns, memory_order_relaxed);
	return ok &&
	       base_buf_printf(out, "heart_render_duration_seconds_bucket{le=\"+Inf\"} %lu\n",
			       count > cumulative ? count : cumulative) &&
	       base_buf_printf(out, "heart_render_duration_seconds_sum %.9f\n", (double)ns / 1e9) &&
	       base_buf_printf(out, "heart_render_duration_seconds_count %lu\n",
			       count > cumulative ? count : cumulative);
}

bool srv_metrics_write(const struct srv_metrics *m, const char *version, const char *commit,
		       struct base_buf *out)
{
	char v[128], c[128];
	label_escape(version, v, sizeof(v));
	label_escape(commit, c, sizeof(c));
	base_buf_clear(out);
	return write_requests(m, out) && write_errors(m, out) && write_histogram(m, out) &&
	       base_buf_printf(out,
			       "# HELP heart_http_requests_in_flight Requests being answered.\n"
			       "# TYPE heart_http_requests_in_flight gauge\n"
			       "heart_http_requests_in_flight %d\n",
			       atomic_load_explicit(&m->in_flight, memory_order_relaxed)) &&
	       base_buf_printf(out,
			       "# HELP heart_build_info The heart that is running.\n"
			       "# TYPE heart_build_info gauge\n"
			       "heart_build_info{version=\"%s\",commit=\"%s\"} 1\n",
			       v, c);
}
