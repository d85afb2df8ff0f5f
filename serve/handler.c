/* One request in, one response out: routes, query parameters, rendering, cache headers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/io.h"
#include "param.h"
#include "render/model.h"
#include "render/png.h"
#include "render/raster.h"
#include "serve_internal.h"
#include "svg/svg.h"

/* ---- Query parameters -------------------------------------------------------------------- */

/* The query of /heart.svg or /heart.png, parsed; the fields are those of the options of
 * `heart svg` and `heart png` that share the names. */
struct query {
	struct heart_shape shape;
	struct param_color color, background;
	struct param_size size;
	bool animate;
	double fps, bpm, amplitude, phase;
	const char *title, *id; /* point into the worker's decoded query */
	uint32_t seen;          /* bit i: params[i] was given */
};

enum { FOR_SVG = 1 << ROUTE_SVG, FOR_PNG = 1 << ROUTE_PNG, FOR_BOTH = FOR_SVG | FOR_PNG };

struct qparam {
	const char *name;
	struct param_rule rule;
	size_t offset; /* in struct query */
	enum srv_reason reason;
	unsigned routes;
	const char *value_name; /* PARAM_SIZE */
};

static bool title_ok(const char *title)
{
	size_t at;
	return svg_title_check(title, &at) == SVG_OK;
}

static bool id_ok(const char *id)
{
	return svg_id_check(id) == SVG_OK;
}

#define STR_(x) #x
#define STR(x) STR_(x)

enum {
	P_COLOR,
	P_BACKGROUND,
	P_SIZE,
	P_ANIMATE,
	P_FPS,
	P_BPM,
	P_PHASE,
	P_AMPLITUDE,
	P_ASPECT,
	P_CLEFT,
	P_LOBE,
	P_TIP,
	P_TITLE,
	P_ID,
	P_COUNT,
};

#define SHAPE_ROW(id, option, p)                           \
	[id] = {.name = option,                            \
		.rule = {.kind = PARAM_SHAPE, .shape = p}, \
		.offset = offsetof(struct query, shape),   \
		.reason = REASON_INVALID_SHAPE,            \
		.routes = FOR_BOTH}

/* The same names, kinds and ranges as the options of `heart svg` and `heart png`. */
static const struct qparam params[P_COUNT] = {
	[P_COLOR] = {"color",
		     {.kind = PARAM_COLOR},
		     offsetof(struct query, color),
		     REASON_INVALID_COLOR,
		     FOR_BOTH,
		     NULL},
	[P_BACKGROUND] = {"background",
			  {.kind = PARAM_COLOR, .flags = PARAM_TRANSPARENT},
			  offsetof(struct query, background),
			  REASON_INVALID_COLOR,
			  FOR_BOTH,
			  NULL},
	[P_SIZE] = {"size",
		    {.kind = PARAM_SIZE, .max = SVG_SIZE_MAX},
		    offsetof(struct query, size),
		    REASON_INVALID_SIZE,
		    FOR_BOTH,
		    "N or WxH"},
	[P_ANIMATE] = {"animate",
		       {.kind = PARAM_FLAG},
		       offsetof(struct query, animate),
		       REASON_INVALID_ANIMATE,
		       FOR_SVG,
		       NULL},
	[P_FPS] = {"fps",
		   {.kind = PARAM_DOUBLE, .min = HEART_BEAT_HZ_MIN, .max = HEART_BEAT_HZ_MAX},
		   offsetof(struct query, fps),
		   REASON_INVALID_BEAT,
		   FOR_SVG,
		   NULL},
	[P_BPM] = {"bpm",
		   {.kind = PARAM_DOUBLE,
		    .min = HEART_BEAT_HZ_MIN * 60,
		    .max = HEART_BEAT_HZ_MAX * 60},
		   offsetof(struct query, bpm),
		   REASON_INVALID_BEAT,
		   FOR_SVG,
		   NULL},
	[P_AMPLITUDE] = {"amplitude",
			 {.kind = PARAM_DOUBLE,
			  .min = HEART_AMPLITUDE_MIN,
			  .max = HEART_AMPLITUDE_MAX},
			 offsetof(struct query, amplitude),
			 REASON_INVALID_BEAT,
			 FOR_BOTH,
			 NULL},
	[P_PHASE] = {"phase",
		     {.kind = PARAM_DOUBLE, .min = 0, .max = 1},
		     offsetof(struct query, phase),
		     REASON_INVALID_PHASE,
		     FOR_PNG,
		     NULL},
	SHAPE_ROW(P_ASPECT, "aspect", HEART_PARAM_ASPECT),
	SHAPE_ROW(P_CLEFT, "cleft", HEART_PARAM_CLEFT),
	SHAPE_ROW(P_LOBE, "lobe", HEART_PARAM_LOBE),
	SHAPE_ROW(P_TIP, "tip", HEART_PARAM_TIP),
	[P_TITLE] = {"title",
		     {.kind = PARAM_TEXT,
		      .check = title_ok,
		      .expected = "1 to " STR(SVG_TITLE_MAX) " bytes of UTF-8 without control "
							     "characters"},
		     offsetof(struct query, title),
		     REASON_INVALID_TITLE,
		     FOR_SVG,
		     NULL},
	[P_ID] = {"id",
		  {.kind = PARAM_TEXT,
		   .check = id_ok,
		   .expected = "a letter, then letters, digits, '_' or '-', at most " STR(
			   SVG_ID_MAX) " bytes"},
		  offsetof(struct query, id),
		  REASON_INVALID_ID,
		  FOR_SVG,
		  NULL},
};

/* ---- The worker --------------------------------------------------------------------------- */

struct srv_worker {
	const struct serve_config *config;
	struct srv_metrics *metrics;
	struct heart_pool *pool;
	struct heart_raster *raster;
	FILE *png_fp; /* a memory stream over png_data, rewound for each image */
	char *png_data;
	size_t png_len;
	struct base_buf out; /* SVG documents, metrics */
	char refusal[512];   /* a 400's text */
	/* The decoded query: each name and value NUL-terminated ("a&b" takes 2 bytes per byte). */
	char query[2 * SERVE_TARGET_MAX + 2];
	char software[64]; /* the PNG Software chunk */
};

struct srv_worker *srv_worker_create(const struct serve_config *config, struct srv_metrics *metrics)
{
	struct srv_worker *const w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->config = config;
	w->metrics = metrics;
	base_buf_init(&w->out);
	snprintf(w->software, sizeof(w->software), "heart %s", config->version);
	w->pool = heart_pool_create();
	w->raster = w->pool ? heart_raster_create(w->pool) : NULL;
	w->png_fp = open_memstream(&w->png_data, &w->png_len);
	if (!w->raster || !w->png_fp) {
		srv_worker_destroy(w);
		return NULL;
	}
	return w;
}

void srv_worker_destroy(struct srv_worker *w)
{
	if (!w)
		return;
	if (w->png_fp)
		fclose(w->png_fp);
	free(w->png_data);
	base_buf_finish(&w->out);
	heart_raster_destroy(w->raster);
	heart_pool_destroy(w->pool);
	free(w);
}

/* ---- Responses ---------------------------------------------------------------------------- */

static const char csp_static[] = "default-src 'none'";
static const char csp_animated[] = "default-src 'none'; style-src 'unsafe-inline'";

static void text(struct srv_response *r, unsigned status, const char *body)
{
	r->status = status;
	r->content_type = "text/plain; charset=utf-8";
	r->body = body;
	r->len = strlen(body);
	r->csp = csp_static;
}

/* A refused render request: "bad parameter 'NAME': expected RULE". The name comes from the
 * table, never from the request. */
static void refuse(struct srv_worker *w, struct srv_response *r, enum srv_reason reason,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void refuse(struct srv_worker *w, struct srv_response *r, enum srv_reason reason,
		   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int const n = vsnprintf(w->refusal, sizeof(w->refusal) - 1, fmt, ap);
	va_end(ap);
	size_t const len = n < 0                                ? 0
			   : (size_t)n < sizeof(w->refusal) - 1 ? (size_t)n
								: sizeof(w->refusal) - 2;
	w->refusal[len] = '\n';
	w->refusal[len + 1] = '\0';
	text(r, 400, w->refusal);
	r->reason = reason;
}

static void bad_value(struct srv_worker *w, struct srv_response *r, const struct qparam *p,
		      uint32_t max_side)
{
	char expected[256];
	struct param_rule rule = p->rule;
	if (max_side)
		rule.max = max_side;
	param_expected(&rule, p->value_name, expected, sizeof(expected));
	refuse(w, r, p->reason, "bad parameter '%s': expected %s", p->name, expected);
}

/* ---- Reading the query -------------------------------------------------------------------- */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode s[0..len) ('+' is a space) to *out, NUL-terminated; returns false for a bad
 * escape, a control character, or a %00 (a NUL would cut the value short of what was sent).
 */
static bool decode(const char *s, size_t len, char **out)
{
	char *o = *out;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			int const hi = len - i >= 3 ? hex_digit(s[i + 1]) : -1;
			int const lo = hi >= 0 ? hex_digit(s[i + 2]) : -1;
			if (lo < 0)
				return false;
			c = hi << 4 | lo;
			i += 2;
		} else if (c == '+') {
			c = ' ';
		} else if (c < 0x20 || c == 0x7f) {
			return false;
		}
		if (c == 0)
			return false;
		*o++ = (char)c;
	}
	*o++ = '\0';
	*out = o;
	return true;
}

static const struct qparam *lookup(const char *name)
{
	for (size_t i = 0; i < P_COUNT; i++)
		if (strcmp(params[i].name, name) == 0)
			return &params[i];
	return NULL;
}

/* The names route takes, in the table's order: "color, background, ...". */
static void names_of(enum srv_route route, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < P_COUNT && used < size; i++) {
		if (!(params[i].routes & 1u << route))
			continue;
		int const n =
			snprintf(buf + used, size - used, "%s%s", used ? ", " : "", params[i].name);
		used += n > 0 ? (size_t)n : 0;
	}
}

/* Parse the query (len bytes, without the '?') for route into *q; false after refusing. */
static bool parse_query(struct srv_worker *w, enum srv_route route, const char *s, size_t len,
			struct query *q, struct srv_response *r)
{
	const char *const route_name = route == ROUTE_SVG ? "/heart.svg" : "/heart.png";
	char *buf = w->query;
	const char *const end = s + len;

	while (s < end) {
		const char *const amp = memchr(s, '&', (size_t)(end - s));
		const char *const seg_end = amp ? amp : end;
		const char *const eq = memchr(s, '=', (size_t)(seg_end - s));
		const char *const name_end = eq ? eq : seg_end;
		if (seg_end == s) { /* "a=1&&b=2": nothing between the separators */
			s = seg_end + 1;
			continue;
		}
		char *const name = buf;
		if (!decode(s, (size_t)(name_end - s), &buf))
			goto malformed;
		char *const value = buf;
		if (!decode(eq ? eq + 1 : seg_end, eq ? (size_t)(seg_end - eq - 1) : 0, &buf))
			goto malformed;
		s = seg_end + (amp != NULL);

		const struct qparam *const p = lookup(name);
		if (!p) {
			char names[256];
			names_of(route, names, sizeof(names));
			refuse(w, r, REASON_UNKNOWN_PARAMETER, "unknown parameter (%s takes: %s)",
			       route_name, names);
			return false;
		}
		if (!(p->routes & 1u << route)) {
			refuse(w, r, REASON_UNKNOWN_PARAMETER,
			       "parameter '%s' does not apply to %s", p->name, route_name);
			return false;
		}
		uint32_t const bit = 1u << (p - params);
		if (q->seen & bit) {
			refuse(w, r, REASON_REPEATED_PARAMETER, "parameter '%s' given twice",
			       p->name);
			return false;
		}
		q->seen |= bit;
		if (!param_parse(&p->rule, value, (char *)q + p->offset)) {
			bad_value(w, r, p, 0);
			return false;
		}
	}
	return true;
malformed:
	refuse(w, r, REASON_MALFORMED_QUERY,
	       "malformed query: expected name=value pairs joined by '&', percent-encoded (no "
	       "%%00 or control characters)");
	return false;
}

static bool given(const struct query *q, int id)
{
	return q->seen >> id & 1;
}

/* The rules between parameters, as `heart svg` and `heart png` have them. */
static bool check_query(struct srv_worker *w, enum srv_route route, struct query *q,
			struct srv_response *r)
{
	if (route == ROUTE_PNG) {
		if (q->size.width > w->config->png_max || q->size.height > w->config->png_max) {
			bad_value(w, r, &params[P_SIZE], w->config->png_max);
			return false;
		}
		if (given(q, P_AMPLITUDE) && !given(q, P_PHASE)) {
			refuse(w, r, REASON_CONFLICT,
			       "parameter 'amplitude' needs phase: a heart at rest does not beat");
			return false;
		}
		return true;
	}
	if (given(q, P_FPS) && given(q, P_BPM)) {
		refuse(w, r, REASON_CONFLICT, "give fps or bpm, not both");
		return false;
	}
	static const int beat[] = {P_FPS, P_BPM, P_AMPLITUDE};
	for (size_t i = 0; i < sizeof(beat) / sizeof(beat[0]); i++) {
		if (given(q, beat[i]) && !q->animate) {
			refuse(w, r, REASON_CONFLICT, "parameter '%s' needs animate=true",
			       params[beat[i]].name);
			return false;
		}
	}
	if (given(q, P_BPM))
		q->fps = q->bpm / 60;
	return true;
}

/* ---- Rendering ----------------------------------------------------------------------------- */

static void hash_add(crypto_generichash_state *st, const void *p, size_t n)
{
	crypto_generichash_update(st, p, n);
}

static void hash_double(crypto_generichash_state *st, double v)
{
	v += 0.0; /* -0 and 0 draw the same heart */
	hash_add(st, &v, sizeof(v));
}

static void hash_text(crypto_generichash_state *st, const char *s)
{
	uint64_t const n = s ? strlen(s) + 1 : 0; /* NULL and "" differ */
	hash_add(st, &n, sizeof(n));
	if (s)
		hash_add(st, s, n);
}

/*
 * The strong ETag: BLAKE2b-128 of heart's version and commit, the route and every parameter
 * of the canonical query (defaults filled in, bpm as Hz, the beat only where it shows), so
 * "red" and "ff0000" share one.
 */
static void etag(const struct srv_worker *w, enum srv_route route, const struct query *q,
		 char out[40])
{
	static const char hex[] = "0123456789abcdef";
	crypto_generichash_state st;
	unsigned char h[16];
	uint8_t const head[] = {(uint8_t)route, q->animate, q->background.transparent};

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	hash_text(&st, w->config->version);
	hash_text(&st, w->config->commit);
	hash_add(&st, head, sizeof(head));
	hash_add(&st, &q->size.width, sizeof(q->size.width));
	hash_add(&st, &q->size.height, sizeof(q->size.height));
	uint8_t const rgb[] = {q->color.rgb.r,      q->color.rgb.g,      q->color.rgb.b,
			       q->background.rgb.r, q->background.rgb.g, q->background.rgb.b};
	hash_add(&st, rgb, q->background.transparent ? 3 : 6);
	hash_double(&st, q->fps);
	hash_double(&st, q->amplitude);
	hash_double(&st, q->phase);
	for (int i = 0; i < HEART_PARAM_COUNT; i++)
		hash_double(&st, q->shape.value[i]);
	hash_text(&st, q->title);
	hash_text(&st, q->id);
	crypto_generichash_final(&st, h, sizeof(h));
	out[0] = '"';
	for (size_t i = 0; i < sizeof(h); i++) {
		out[1 + 2 * i] = hex[h[i] >> 4];
		out[2 + 2 * i] = hex[h[i] & 15];
	}
	out[33] = '"';
	out[34] = '\0';
}

/* Whether an If-None-Match list names tag (weak comparison, as RFC 9110 asks for it). */
static bool etag_matches(const char *list, const char *tag)
{
	size_t const tag_len = strlen(tag);
	while (*list) {
		list += strspn(list, " \t,");
		if (*list == '*')
			return true;
		if (strncmp(list, "W/", 2) == 0)
			list += 2;
		if (strncmp(list, tag, tag_len) == 0 &&
		    (list[tag_len] == '\0' || strchr(" \t,", list[tag_len])))
			return true;
		list += strcspn(list, ",");
	}
	return false;
}

static bool render_svg(struct srv_worker *w, const struct query *q, struct srv_response *r)
{
	struct svg_options o;
	svg_options_default(&o);
	o.shape = q->shape;
	o.width = q->size.width;
	o.height = q->size.height;
	o.color = q->color.rgb;
	o.background = !q->background.transparent;
	o.background_color = q->background.rgb;
	o.animate = q->animate;
	o.hz = q->fps;
	o.amplitude = q->amplitude;
	o.title = q->title;
	o.id_prefix = q->id;
	base_buf_clear(&w->out);
	if (svg_write(&o, &w->out) != SVG_OK)
		return false;
	r->body = w->out.data;
	r->len = w->out.len;
	return true;
}

/* As `heart png` draws it: a frame of the beat (phase given) keeps room for the beat's peak. */
static bool render_png(struct srv_worker *w, const struct query *q, struct srv_response *r)
{
	struct heart_path path;
	struct heart_png_options const o = {
		.color = q->color.rgb,
		.transparent = q->background.transparent,
		.background = q->background.rgb,
		.software = w->software,
	};
	bool const beat = given(q, P_PHASE);

	heart_image_path(&q->shape, q->size.width, q->size.height, beat ? q->amplitude : 0,
			 beat ? q->phase : 0, &path);
	if (fseeko(w->png_fp, 0, SEEK_SET) != 0 ||
	    heart_png_write(w->png_fp, w->raster, &path, q->size.width, q->size.height, &o) !=
		    HEART_PNG_OK ||
	    fflush(w->png_fp) != 0)
		return false;
	r->body = w->png_data;
	r->len = w->png_len;
	return true;
}

static void heart(struct srv_worker *w, enum srv_route route, const struct srv_request *req,
		  const char *query, size_t query_len, struct srv_response *r)
{
	struct query q = {
		.color = {.rgb = {255, 0, 0}},
		.background = {.transparent = true},
		.size = {256, 256},
		.fps = HEART_BEAT_HZ_DEFAULT,
		.amplitude = HEART_AMPLITUDE_DEFAULT,
	};
	heart_shape_default(&q.shape);
	if (!parse_query(w, route, query, query_len, &q, r) || !check_query(w, route, &q, r))
		return;
	if (route == ROUTE_SVG && q.animate && req->reduce_motion)
		q.animate = false;
	/* The ETag's query is canonical: what does not show is not part of the heart. */
	struct query canon = q;
	if (route == ROUTE_SVG && !q.animate)
		canon.fps = canon.amplitude = 0;
	if (route == ROUTE_PNG && !given(&q, P_PHASE))
		canon.amplitude = 0;

	r->content_type = route == ROUTE_SVG ? "image/svg+xml" : "image/png";
	r->csp = q.animate ? csp_animated : csp_static;
	r->vary_motion = route == ROUTE_SVG;
	r->cache = CACHE_IMMUTABLE;
	etag(w, route, &canon, r->etag);
	if (req->if_none_match && etag_matches(req->if_none_match, r->etag)) {
		r->status = 304;
		return;
	}
	uint64_t const start = (uint64_t)base_clock_ns();
	bool const ok = route == ROUTE_SVG ? render_svg(w, &q, r) : render_png(w, &q, r);
	if (!ok) {
		*r = (struct srv_response){.route = route};
		text(r, 500, "out of memory\n");
		r->reason = REASON_OUT_OF_MEMORY;
		return;
	}
	srv_metrics_render(w->metrics, (uint64_t)base_clock_ns() - start);
	r->status = 200;
}

/* ---- Routes -------------------------------------------------------------------------------- */

static const struct {
	const char *path;
	enum srv_route route;
} routes[] = {
	{"/heart.svg", ROUTE_SVG}, {"/heart.png", ROUTE_PNG},   {"/healthz", ROUTE_HEALTHZ},
	{"/readyz", ROUTE_READYZ}, {"/metrics", ROUTE_METRICS}, {"/openapi.json", ROUTE_OPENAPI},
};

/* The refusals of a request RFC 9112 calls invalid: fixed, nothing of the request in them. */
static const char bad_target[] = "bad request target: expected /path?query or "
				 "http://host/path?query, without spaces or control characters\n";
static const char *const bad_framing[] = {
	[FRAMING_BAD_FIELD] =
		"bad header field: expected name: value, the name a token, no control characters\n",
	[FRAMING_BAD_LENGTH] = "bad Content-Length: expected one field of decimal digits\n",
	[FRAMING_BAD_CODING] = "bad Transfer-Encoding: expected codings ending in chunked, no "
			       "Content-Length\n",
};

static enum srv_route route_of(const char *path, size_t len)
{
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (strlen(routes[i].path) == len && memcmp(routes[i].path, path, len) == 0)
			return routes[i].route;
	return ROUTE_OTHER;
}

void srv_handle(struct srv_worker *w, const struct srv_request *req, struct srv_response *r)
{
	/* Any framing but "none" leaves bytes unread: the connection ends with this answer. */
	*r = (struct srv_response){
		.route = ROUTE_OTHER, .cache = CACHE_NONE, .close = req->framing != FRAMING_NONE};
	if (req->target_len > SERVE_TARGET_MAX) {
		text(r, 414, "URI too long: at most " STR(SERVE_TARGET_MAX) " bytes\n");
		return;
	}
	size_t origin;
	if (!srv_target_parse(req->target, req->target_len, &origin) ||
	    (req->target_len == 1 && req->target[0] == '*' && req->method != METHOD_OTHER)) {
		text(r, 400, bad_target);
		r->close = true;
		return;
	}
	if (req->framing != FRAMING_NONE && req->framing != FRAMING_BODY) {
		text(r, 400, bad_framing[req->framing]);
		return;
	}
	/* An absolute-form target is served as its path (RFC 9112 §3.2.2): heart has one host. */
	const char *const target = req->target + origin;
	size_t const target_len = req->target_len - origin;
	const char *const q = memchr(target, '?', target_len);
	size_t const path_len = q ? (size_t)(q - target) : target_len;
	r->route = route_of(target, path_len);
	bool const asterisk = target_len == 1 && target[0] == '*'; /* OPTIONS *: 405 */
	if (r->route == ROUTE_OTHER && !asterisk) {
		text(r, 404, "not found\n");
		return;
	}
	if (req->method == METHOD_OTHER) {
		text(r, 405, "method not allowed: GET or HEAD\n");
		r->allow = true;
		return;
	}
	if (req->framing == FRAMING_BODY) {
		text(r, 413, "request body not allowed\n");
		return;
	}
	if (r->route != ROUTE_SVG && r->route != ROUTE_PNG && q && path_len + 1 < target_len) {
		text(r, 400, "this route takes no query\n");
		return;
	}
	size_t const query_len = q ? target_len - path_len - 1 : 0;
	switch (r->route) {
	case ROUTE_SVG:
	case ROUTE_PNG:
		heart(w, r->route, req, q ? q + 1 : "", query_len, r);
		if (r->reason != REASON_NONE)
			atomic_fetch_add_explicit(&w->metrics->errors[r->reason], 1,
						  memory_order_relaxed);
		return;
	case ROUTE_HEALTHZ:
		text(r, 200, "ok\n");
		return;
	case ROUTE_READYZ:
		text(r, req->draining ? 503 : 200, req->draining ? "draining\n" : "ready\n");
		return;
	case ROUTE_METRICS:
		if (!srv_metrics_write(w->metrics, w->config->version, w->config->commit,
				       &w->out)) {
			text(r, 500, "out of memory\n");
			return;
		}
		text(r, 200, "");
		r->content_type = "text/plain; version=0.0.4; charset=utf-8";
		r->body = w->out.data;
		r->len = w->out.len;
		return;
	case ROUTE_OPENAPI:
		text(r, 200, "");
		r->content_type = "application/json";
		r->body = srv_openapi_json;
		r->len = srv_openapi_json_len;
		r->cache = CACHE_REVALIDATE;
		return;
	case ROUTE_OTHER:
	case ROUTE_COUNT:
		break;
	}
	text(r, 404, "not found\n");
}
