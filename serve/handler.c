/* One request in, one response out: routes, rendering, cache headers (the query: query.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/io.h"
#include "param_draw.h"
#include "render/gif.h"
#include "render/model.h"
#include "render/png.h"
#include "render/raster.h"
#include "serve_internal.h"
#include "svg/svg.h"

#define STR_(x) #x
#define STR(x) STR_(x)

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
/* An SVG with a <style> (beating, or with dark-mode colours): svg_has_style(). */
static const char csp_styled[] = "default-src 'none'; style-src 'unsafe-inline'";

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
static void etag(const struct srv_worker *w, enum srv_route route, const struct param_values *q,
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
	if (q->start != 0) /* hashed only when it shows, so that older tags stay */
		hash_double(&st, q->start);
	for (int i = 0; i < HEART_PARAM_COUNT; i++)
		hash_double(&st, q->shape.value[i]);
	hash_text(&st, q->title);
	hash_text(&st, q->id);
	/* Only when given, so the ETags of other hearts stay as they were; tagged, so neither
	 * can pass for the other. */
	if (param_given(q, PD_DARK_COLOR)) {
		uint8_t const dark[] = {'c', q->dark_color.rgb.r, q->dark_color.rgb.g,
					q->dark_color.rgb.b};
		hash_add(&st, dark, sizeof(dark));
	}
	if (param_given(q, PD_DARK_BACKGROUND)) {
		const struct param_color *const c = &q->dark_background;
		uint8_t const dark[] = {'b', c->transparent, c->rgb.r, c->rgb.g, c->rgb.b};
		hash_add(&st, dark, c->transparent ? 2 : sizeof(dark));
	}
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

static bool render_svg(struct srv_worker *w, const struct svg_options *o, struct srv_response *r)
{
	base_buf_clear(&w->out);
	if (svg_write(o, &w->out) != SVG_OK)
		return false;
	r->body = w->out.data;
	r->len = w->out.len;
	return true;
}

/* As `heart png` draws it: a frame of the beat (phase given) keeps room for the beat's peak;
 * animate=true is `heart png --animate`'s APNG. */
static bool render_png(struct srv_worker *w, const struct param_values *q, struct srv_response *r)
{
	struct heart_path path;
	struct heart_png_options o;
	double amplitude;
	enum heart_png_status st;

	param_png_options(q, w->software, &o, &amplitude);
	if (fseeko(w->png_fp, 0, SEEK_SET) != 0)
		return false;
	if (q->animate) {
		st = heart_apng_write(w->png_fp, w->raster, &q->shape, q->size.width,
				      q->size.height, param_values_hz(q), amplitude, &o);
	} else {
		heart_image_path(&q->shape, q->size.width, q->size.height, amplitude, q->phase,
				 &path);
		st = heart_png_write(w->png_fp, w->raster, &path, q->size.width, q->size.height,
				     &o);
	}
	if (st != HEART_PNG_OK || fflush(w->png_fp) != 0)
		return false;
	r->body = w->png_data;
	r->len = w->png_len;
	return true;
}

/* As `heart gif` draws it, into the PNG's memory stream (a worker answers one request at a
 * time). */
static bool render_gif(struct srv_worker *w, const struct param_values *q, struct srv_response *r)
{
	struct heart_gif_options o;
	param_gif_options(q, &o);
	if (fseeko(w->png_fp, 0, SEEK_SET) != 0 ||
	    heart_gif_write(w->png_fp, w->raster, q->size.width, q->size.height, &o) !=
		    HEART_GIF_OK ||
	    fflush(w->png_fp) != 0)
		return false;
	r->body = w->png_data;
	r->len = w->png_len;
	return true;
}

static void heart(struct srv_worker *w, enum srv_route route, const struct srv_request *req,
		  const char *query, size_t query_len, struct srv_response *r)
{
	struct param_values q;
	struct srv_refusal why;

	param_values_init(&q);
	if (!srv_query_parse(route, query, query_len, w->query, &q, &why) ||
	    !srv_query_check(route, w->config->png_max, &q, &why)) {
		refuse(w, r, why.reason, "%s", why.text);
		return;
	}
	/* A GIF always beats; the others when asked to. */
	bool const animation_asked = q.animate || route == ROUTE_GIF;
	if (route == ROUTE_SVG && q.animate && req->reduce_motion)
		q.animate = false;
	/* Without consent the static heart, whatever the route: the same as asking for it (a
	 * GIF whose beat has no amplitude is one frame, the heart at rest). */
	if (animation_asked && w->config->require_consent && !req->consent) {
		q.animate = false;
		if (route == ROUTE_GIF)
			q.amplitude = 0;
	}
	/* The user's heart in place of the user: from here on nothing reads the id. */
	param_seed_apply(&q);
	q.seed = NULL;
	/* The ETag's query is canonical: bpm as Hz, and what does not show is not part of the
	 * heart. */
	struct param_values canon = q;
	canon.fps = param_values_hz(&q);
	if (route == ROUTE_SVG && !q.animate)
		canon.fps = canon.amplitude = 0;
	if (route == ROUTE_PNG && !param_given(&q, PD_PHASE) && !q.animate)
		canon.amplitude = 0;
	if (route == ROUTE_GIF && q.background.transparent) /* drawn on the matte */
		canon.background = (struct param_color){.rgb = PARAM_GIF_MATTE};
	/* Where the beat starts shows only in an animation: an animated SVG, or any GIF. */
	if (route == ROUTE_PNG || (route == ROUTE_SVG && !q.animate))
		canon.start = 0;
	if (q.background.transparent && q.dark_background.transparent)
		canon.given &= ~(1u << PD_DARK_BACKGROUND); /* transparent either way */
	struct svg_options o;
	param_svg_options(&q, &o);

	static const char *const types[] = {[ROUTE_SVG] = "image/svg+xml",
					    [ROUTE_PNG] = "image/png",
					    [ROUTE_GIF] = "image/gif"};
	r->content_type = types[route];
	r->csp = route == ROUTE_SVG && svg_has_style(&o) ? csp_styled : csp_static;
	r->vary_motion = route == ROUTE_SVG;
	r->vary_consent = w->config->require_consent && animation_asked;
	r->cache = CACHE_IMMUTABLE;
	etag(w, route, &canon, r->etag);
	if (req->if_none_match && etag_matches(req->if_none_match, r->etag)) {
		r->status = 304;
		return;
	}
	uint64_t const start = (uint64_t)base_clock_ns();
	bool const ok = route == ROUTE_SVG   ? render_svg(w, &o, r)
			: route == ROUTE_GIF ? render_gif(w, &q, r)
					     : render_png(w, &q, r);
	if (!ok) {
		*r = (struct srv_response){.route = route};
		text(r, 500, "out of memory\n");
		r->reason = REASON_OUT_OF_MEMORY;
		return;
	}
	srv_metrics_render(w->metrics, (uint64_t)base_clock_ns() - start);
	r->status = 200;
}

/* ---- Consent ------------------------------------------------------------------------------ */

static bool item_is(const char *item, size_t len, const char *s)
{
	return strlen(s) == len && memcmp(item, s, len) == 0;
}

bool srv_consent(const char *value)
{
	static const char name[] = "heart-animation=";
	bool granted = false;
	while (value && *value) {
		size_t const len = strcspn(value, ",");
		const char *item = value, *end = value + len;
		while (item < end && (*item == ' ' || *item == '\t'))
			item++;
		while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if ((size_t)(end - item) >= sizeof(name) - 1 &&
		    memcmp(item, name, sizeof(name) - 1) == 0)
			granted = item_is(item + sizeof(name) - 1,
					  (size_t)(end - item) - (sizeof(name) - 1), "granted");
		value += len + (value[len] == ',');
	}
	return granted;
}

/* ---- Routes -------------------------------------------------------------------------------- */

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
	for (int route = 0; route < ROUTE_OTHER; route++)
		if (strlen(srv_route_names[route]) == len &&
		    memcmp(srv_route_names[route], path, len) == 0)
			return route;
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
	bool const image = r->route == ROUTE_SVG || r->route == ROUTE_PNG || r->route == ROUTE_GIF;
	if (!image && q && path_len + 1 < target_len) {
		text(r, 400, "this route takes no query\n");
		return;
	}
	size_t const query_len = q ? target_len - path_len - 1 : 0;
	switch (r->route) {
	case ROUTE_SVG:
	case ROUTE_PNG:
	case ROUTE_GIF:
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
