#define _GNU_SOURCE /* memmem */
/* serve/ below HTTP: requests in, responses out, with no sockets; and no allocation per
 * request once warm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../heap_count.h"
#include "serve_internal.h"

static const struct serve_config config = {
	.host = "127.0.0.1",
	.threads = 1,
	.max_connections = 8,
	.timeout = 10,
	.png_max = 2048,
	.version = "0.1.0",
	.commit = "0123456789abcdef0123456789abcdef01234567",
};

struct fixture {
	struct srv_metrics metrics;
	struct srv_worker *w;
	struct srv_response r;
};

static int setup(void **state)
{
	struct fixture *const f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	f->w = srv_worker_create(&config, &f->metrics);
	*state = f;
	return f->w ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *const f = *state;
	srv_worker_destroy(f->w);
	free(f);
	return 0;
}

/* GET target, with these extras; returns the response (valid until the next call). */
static const struct srv_response *get(struct fixture *f, const char *target,
				      const char *if_none_match, bool reduce_motion)
{
	struct srv_request const req = {
		.method = METHOD_GET,
		.target = target,
		.target_len = strlen(target),
		.if_none_match = if_none_match,
		.reduce_motion = reduce_motion,
	};
	srv_handle(f->w, &req, &f->r);
	return &f->r;
}

static void assert_body(const struct srv_response *r, unsigned status, const char *body)
{
	assert_int_equal(r->status, status);
	assert_int_equal(r->len, strlen(body));
	assert_memory_equal(r->body, body, r->len);
}

static void test_routes(void **state)
{
	struct fixture *const f = *state;
	const struct srv_response *r = get(f, "/healthz", NULL, false);
	assert_body(r, 200, "ok\n");
	assert_int_equal(r->cache, CACHE_NONE);
	assert_body(get(f, "/readyz", NULL, false), 200, "ready\n");
	struct srv_request const draining = {
		.method = METHOD_GET, .target = "/readyz", .target_len = 7, .draining = true};
	srv_handle(f->w, &draining, &f->r);
	assert_body(&f->r, 503, "draining\n");
	assert_body(get(f, "/heart.svgz", NULL, false), 404, "not found\n");
	assert_body(get(f, "/", NULL, false), 404, "not found\n");
	r = get(f, "/openapi.json", NULL, false);
	assert_int_equal(r->status, 200);
	assert_int_equal(r->len, srv_openapi_json_len);
	assert_string_equal(r->content_type, "application/json");
	struct srv_request const post = {
		.method = METHOD_OTHER, .target = "/heart.png", .target_len = 10};
	srv_handle(f->w, &post, &f->r);
	assert_int_equal(f->r.status, 405);
	assert_true(f->r.allow);
	char long_target[SERVE_TARGET_MAX + 2];
	memset(long_target, 'a', sizeof(long_target) - 1);
	long_target[sizeof(long_target) - 1] = '\0';
	memcpy(long_target, "/heart.svg?title=", 17);
	assert_int_equal(get(f, long_target, NULL, false)->status, 414);
	long_target[SERVE_TARGET_MAX] = '\0';
	assert_int_equal(get(f, long_target, NULL, false)->status, 400); /* long, not too long */
}

static void test_queries(void **state)
{
	struct fixture *const f = *state;
	static const struct {
		const char *target;
		unsigned status;
		const char *body; /* NULL: any */
		enum srv_reason reason;
	} cases[] = {
		{"/heart.svg", 200, NULL, REASON_NONE},
		{"/heart.svg?", 200, NULL, REASON_NONE},
		{"/heart.svg?&&color=red&", 200, NULL, REASON_NONE},
		{"/heart.svg?color=%23ff0000", 200, NULL, REASON_NONE},
		{"/heart.svg?title=a+b%20c", 200, NULL, REASON_NONE},
		{"/heart.svg?color=red%00", 400, NULL, REASON_MALFORMED_QUERY},
		{"/heart.svg?color=%4", 400, NULL, REASON_MALFORMED_QUERY},
		{"/heart.svg?color=%", 400, NULL, REASON_MALFORMED_QUERY},
		{"/heart.svg?color=%g0", 400, NULL, REASON_MALFORMED_QUERY},
		/* A raw control byte: not a request target at all (RFC 9112 §3.2). */
		{"/heart.svg?color=a\x1b", 400, NULL, REASON_NONE},
		{"/heart.svg?color", 400,
		 "bad parameter 'color': expected a colour (RRGGBB, #RRGGBB, RGB, #RGB or a CSS "
		 "colour name)\n",
		 REASON_INVALID_COLOR},
		{"/heart.svg?background=transparent", 200, NULL, REASON_NONE},
		{"/heart.svg?color=transparent", 400, NULL, REASON_INVALID_COLOR},
		{"/heart.svg?co%6cor=red", 200, NULL, REASON_NONE},
		{"/heart.svg?colour=red", 400, NULL, REASON_UNKNOWN_PARAMETER},
		{"/heart.svg?color=red&color=red", 400, "parameter 'color' given twice\n",
		 REASON_REPEATED_PARAMETER},
		{"/heart.svg?aspect=9", 400,
		 "bad parameter 'aspect': expected a number from 0.8 to 1.4\n",
		 REASON_INVALID_SHAPE},
		{"/heart.svg?amplitude=0.2", 400, "parameter 'amplitude' needs animate=true\n",
		 REASON_CONFLICT},
		{"/heart.svg?animate=true&amplitude=0.5", 200, NULL, REASON_NONE},
		{"/heart.svg?animate=true&amplitude=0.51", 400, NULL, REASON_INVALID_BEAT},
		{"/heart.svg?id=9", 400, NULL, REASON_INVALID_ID},
		{"/heart.svg?title=", 400, NULL, REASON_INVALID_TITLE},
		{"/heart.png?phase=1", 200, NULL, REASON_NONE},
		{"/heart.png?phase=1.5", 400,
		 "bad parameter 'phase': expected a number from 0 to 1\n", REASON_INVALID_PHASE},
		{"/heart.png?size=2048x1", 200, NULL, REASON_NONE},
		{"/heart.png?size=1x2049", 400, NULL, REASON_INVALID_SIZE},
		{"/heart.png?animate=true", 200, NULL, REASON_NONE},
		{"/heart.png?animate=true&bpm=90&amplitude=0.3", 200, NULL, REASON_NONE},
		{"/heart.png?phase=0.5&animate=true", 400, "give phase or animate=true, not both\n",
		 REASON_CONFLICT},
		{"/heart.png?phase=0.5&animate=false", 200, NULL, REASON_NONE},
		{"/heart.png?fps=2", 400, "parameter 'fps' needs animate=true\n", REASON_CONFLICT},
		{"/heart.png?amplitude=0.2", 400,
		 "parameter 'amplitude' needs phase or animate=true: a heart at rest does not "
		 "beat\n",
		 REASON_CONFLICT},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct srv_response *const r = get(f, cases[i].target, NULL, false);
		if (r->status != cases[i].status || r->reason != cases[i].reason)
			fail_msg("%s: %u (reason %d), expected %u (reason %d)", cases[i].target,
				 r->status, r->reason, cases[i].status, cases[i].reason);
		if (cases[i].body)
			assert_body(r, cases[i].status, cases[i].body);
	}
	/* Counted by reason. */
	assert_int_equal(f->metrics.errors[REASON_MALFORMED_QUERY], 4); /* not the raw ESC */
	assert_int_equal(f->metrics.errors[REASON_INVALID_COLOR], 2);
}

/* Every parameter of the table that a route takes is refused by name, counted under a
 * reason of its own (not "none"), and any other parameter "does not apply". */
static void test_every_parameter_of_the_table(void **state)
{
	struct fixture *const f = *state;
	static const struct {
		const char *path;
		enum srv_route route;
		enum param_output output;
	} routes[] = {{"/heart.svg", ROUTE_SVG, PARAM_OUT_QUERY_SVG},
		      {"/heart.png", ROUTE_PNG, PARAM_OUT_QUERY_PNG}};
	char target[128], want[128];

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		assert_string_equal(srv_route_names[routes[i].route], routes[i].path);
		for (int id = 0; id < PD_COUNT; id++) {
			const char *const name = param_def_query_name(param_def(id));
			snprintf(target, sizeof(target), "%s?%s=", routes[i].path, name);
			const struct srv_response *const r = get(f, target, NULL, false);
			assert_int_equal(r->status, 400);
			if (param_def(id)->outputs & routes[i].output) {
				snprintf(want, sizeof(want), "bad parameter '%s': expected ", name);
				assert_int_not_equal(r->reason, REASON_NONE);
				assert_int_not_equal(r->reason, REASON_UNKNOWN_PARAMETER);
			} else {
				snprintf(want, sizeof(want),
					 "parameter '%s' does not apply to %s\n", name,
					 routes[i].path);
				assert_int_equal(r->reason, REASON_UNKNOWN_PARAMETER);
			}
			if (r->len < strlen(want) || memcmp(r->body, want, strlen(want)) != 0)
				fail_msg("%s: %.*s", target, (int)r->len, (const char *)r->body);
		}
	}
}

static void test_etags(void **state)
{
	struct fixture *const f = *state;
	char red[40], tag[40];
	strcpy(red, get(f, "/heart.svg?color=red", NULL, false)->etag);
	assert_int_equal(strlen(red), 34);
	static const char *const same[] = {"/heart.svg", "/heart.svg?color=F00",
					   "/heart.svg?size=256x256&aspect=1.1&lobe=1.0",
					   "/heart.svg?animate=false"};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		assert_string_equal(get(f, same[i], NULL, false)->etag, red);
	static const char *const other[] = {"/heart.png", "/heart.svg?color=blue",
					    "/heart.svg?size=255", "/heart.svg?title=x",
					    "/heart.svg?animate=true"};
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		assert_string_not_equal(get(f, other[i], NULL, false)->etag, red);
	/* Reduced motion: the static heart, and its tag. */
	const struct srv_response *r = get(f, "/heart.svg?animate=true", NULL, true);
	assert_string_equal(r->etag, red);
	assert_null(memmem(r->body, r->len, "@keyframes", 10));
	assert_true(r->vary_motion);
	/* If-None-Match. */
	snprintf(tag, sizeof(tag), "%s", red);
	assert_int_equal(get(f, "/heart.svg", tag, false)->status, 304);
	assert_int_equal(get(f, "/heart.svg", "W/\"x\" ,  *", false)->status, 304);
	assert_int_equal(get(f, "/heart.svg", "\"x\"", false)->status, 200);
	char prefix[40];
	snprintf(prefix, sizeof(prefix), "%.33s", red); /* the tag without its closing quote */
	assert_int_equal(get(f, "/heart.svg", prefix, false)->status, 200);
}

/* Dark-mode colours: the SVG gets a <style>, so its CSP allows inline styles as the beating
 * heart's does; the ETag tells them apart from the light-only heart. */
static void test_dark_mode(void **state)
{
	struct fixture *const f = *state;
	char light[40];
	const struct srv_response *r = get(f, "/heart.svg?color=red&background=white", NULL, false);
	strcpy(light, r->etag);
	assert_string_equal(r->csp, "default-src 'none'");
	static const char *const dark[] = {
		"/heart.svg?color=red&background=white&dark-color=pink",
		"/heart.svg?color=red&background=white&dark-background=black",
		"/heart.svg?color=red&background=white&dark-background=transparent",
	};
	char tags[3][40];
	for (size_t i = 0; i < 3; i++) {
		r = get(f, dark[i], NULL, false);
		assert_int_equal(r->status, 200);
		assert_string_equal(r->csp, "default-src 'none'; style-src 'unsafe-inline'");
		assert_non_null(memmem(r->body, r->len, "prefers-color-scheme:dark", 25));
		assert_string_not_equal(r->etag, light);
		strcpy(tags[i], r->etag);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(tags[i], tags[j]);
	}
	/* The same colour by another name, the same tag. */
	assert_string_equal(
		get(f, "/heart.svg?color=red&background=white&dark-color=%23FFC0CB", NULL, false)
			->etag,
		tags[0]);
	/* Transparent in both modes draws what no dark background draws. */
	strcpy(light, get(f, "/heart.svg", NULL, false)->etag);
	r = get(f, "/heart.svg?dark-background=transparent", NULL, false);
	assert_string_equal(r->etag, light);
	assert_string_equal(r->csp, "default-src 'none'");
	/* Refused by name, counted as colours; PNG does not take them. */
	r = get(f, "/heart.svg?dark-color=transparent", NULL, false);
	assert_int_equal(r->status, 400);
	assert_int_equal(r->reason, REASON_INVALID_COLOR);
	r = get(f, "/heart.png?dark-color=red", NULL, false);
	assert_int_equal(r->status, 400);
	assert_int_equal(r->reason, REASON_UNKNOWN_PARAMETER);
}

static void test_consent_header(void **state)
{
	(void)state;
	static const char *const granted[] = {
		"heart-animation=granted", " heart-animation=granted\t",
		"a=b, heart-animation=granted", "heart-animation=denied,heart-animation=granted",
		"heart-animation=granted,,x"};
	static const char *const refused[] = {
		"",
		"heart-animation=denied",
		"heart-animation=granted, heart-animation=denied",
		"heart-animation=Granted",
		"Heart-Animation=granted",
		"heart-animation=grantedx",
		"heart-animation = granted",
		"xheart-animation=granted",
		"heart-animation=granted;q=1",
		"heart-animation",
	};
	assert_false(srv_consent(NULL));
	for (size_t i = 0; i < sizeof(granted) / sizeof(granted[0]); i++)
		if (!srv_consent(granted[i]))
			fail_msg("not granted: '%s'", granted[i]);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (srv_consent(refused[i]))
			fail_msg("granted: '%s'", refused[i]);
}

/* --require-consent: the animated heart only with consent, else the static one with the
 * static heart's tag; Vary says so wherever animation was asked for. */
static void test_require_consent(void **state)
{
	(void)state;
	struct serve_config c = config;
	c.require_consent = true;
	struct srv_metrics metrics = {0};
	struct srv_worker *const w = srv_worker_create(&c, &metrics);
	struct srv_worker *const plain = srv_worker_create(&config, &metrics);
	assert_non_null(w);
	assert_non_null(plain);
	struct srv_response r;
	char still[40], beating[40];
	struct srv_request req = {.method = METHOD_GET};
#define ASK(worker, t, consent_, reduce)         \
	do {                                     \
		req.target = (t);                \
		req.target_len = strlen(t);      \
		req.consent = (consent_);        \
		req.reduce_motion = (reduce);    \
		srv_handle((worker), &req, &r);  \
		assert_int_equal(r.status, 200); \
	} while (0)
	ASK(w, "/heart.svg", false, false);
	strcpy(still, r.etag);
	assert_false(r.vary_consent);
	ASK(plain, "/heart.svg?animate=true", false, false);
	strcpy(beating, r.etag);
	assert_false(r.vary_consent);
	assert_non_null(memmem(r.body, r.len, "@keyframes", 10));

	ASK(w, "/heart.svg?animate=true", false, false);
	assert_string_equal(r.etag, still);
	assert_null(memmem(r.body, r.len, "@keyframes", 10));
	assert_true(r.vary_consent);
	assert_true(r.vary_motion);
	assert_string_equal(r.csp, "default-src 'none'");
	ASK(w, "/heart.svg?animate=true", true, false);
	assert_string_equal(r.etag, beating);
	assert_non_null(memmem(r.body, r.len, "@keyframes", 10));
	assert_true(r.vary_consent);
	/* Consent does not override reduced motion. */
	ASK(w, "/heart.svg?animate=true", true, true);
	assert_string_equal(r.etag, still);
	/* Nothing to consent to: no Vary on it. */
	ASK(w, "/heart.png", false, false);
	assert_false(r.vary_consent);
	ASK(w, "/heart.svg?animate=false", false, false);
	assert_false(r.vary_consent);
	/* 304 answers carry the same Vary. */
	req.if_none_match = still;
	req.target = "/heart.svg?animate=true";
	req.target_len = strlen(req.target);
	req.consent = false;
	req.reduce_motion = false;
	srv_handle(w, &req, &r);
	assert_int_equal(r.status, 304);
	assert_true(r.vary_consent);
#undef ASK
	srv_worker_destroy(plain);
	srv_worker_destroy(w);
}

/* Once each size has been seen, requests allocate nothing in heart's code (the rasterizer,
 * the encoders, the query parser): render buffers are the worker's. (giflib, a shared
 * library, allocates its GIF encoder's state and frees it; the counter sees heart's calls.) */
static void test_no_allocation_when_warm(void **state)
{
	struct fixture *const f = *state;
	static const char *const targets[] = {
		"/heart.svg?color=red&size=300",
		"/heart.svg?animate=true&bpm=80&title=Hello%20there&id=h1",
		"/heart.png?size=256&background=white",
		"/heart.png?size=64&phase=0.4&amplitude=0.3",
		"/heart.gif?size=64&bpm=200&color=navy",
		"/heart.gif?size=48x30&amplitude=0",
		"/heart.png?size=96&animate=true&bpm=90&amplitude=0.3",
		"/heart.svg?color=%3Cscript%3E",
		"/metrics",
		"/healthz",
	};
	for (int round = 0; round < 2; round++) {
		size_t const before = heap_calls;
		for (int k = 0; k < 50; k++)
			for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
				assert_true(get(f, targets[i], NULL, false)->status < 500);
		if (round == 0) /* the buffers grow: the counter sees heart's allocations */
			assert_true(heap_calls > before);
		else
			assert_int_equal(heap_calls, before);
	}
}

static void test_metrics_text(void **state)
{
	struct fixture *const f = *state;
	srv_metrics_request(&f->metrics, ROUTE_SVG, 200);
	srv_metrics_request(&f->metrics, ROUTE_SVG, 200);
	srv_metrics_request(&f->metrics, ROUTE_OTHER, 404);
	srv_metrics_render(&f->metrics, 300000);     /* 0.3 ms */
	srv_metrics_render(&f->metrics, 5000000000); /* 5 s: past the last bound */
	struct base_buf out;
	base_buf_init(&out);
	assert_true(srv_metrics_write(&f->metrics, "0.1.0", "a\"b\\c\nd", &out));
	assert_true(base_buf_append(&out, "", 1));
	static const char *const lines[] = {
		"heart_http_requests_total{route=\"/heart.svg\",code=\"200\"} 2\n",
		"heart_http_requests_total{route=\"other\",code=\"404\"} 1\n",
		"heart_render_duration_seconds_bucket{le=\"0.00025\"} 0\n",
		"heart_render_duration_seconds_bucket{le=\"0.0005\"} 1\n",
		"heart_render_duration_seconds_bucket{le=\"1\"} 1\n",
		"heart_render_duration_seconds_bucket{le=\"+Inf\"} 2\n",
		"heart_render_duration_seconds_sum 5.000300000\n",
		"heart_render_duration_seconds_count 2\n",
		"heart_build_info{version=\"0.1.0\",commit=\"a\\\"b\\\\c\\nd\"} 1\n",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (!strstr(out.data, lines[i]))
			fail_msg("missing: %s", lines[i]);
	assert_null(strstr(out.data, "route=\"other\",code=\"200\""));
	base_buf_finish(&out);
}

/* A line of the exposition has no length limit: long build labels come out whole. */
static void test_metrics_long_labels(void **state)
{
	struct fixture *const f = *state;
	char version[101], commit[101], want[300];
	memset(version, 'v', sizeof(version) - 1);
	version[sizeof(version) - 1] = '\0';
	memset(commit, 'c', sizeof(commit) - 1);
	commit[sizeof(commit) - 1] = '\0';
	snprintf(want, sizeof(want), "heart_build_info{version=\"%s\",commit=\"%s\"} 1\n", version,
		 commit);
	struct base_buf out;
	base_buf_init(&out);
	assert_true(srv_metrics_write(&f->metrics, version, commit, &out));
	assert_non_null(strstr(out.data, want));
	base_buf_finish(&out);
}

/* Fields as "name: value" lines, one string each, judged for HTTP/1.1 or 1.0. */
static enum srv_framing framing_of(bool http10, const char *const *fields, size_t n)
{
	struct srv_fields f = {0};
	for (size_t i = 0; i < n; i++) {
		const char *const colon = strchr(fields[i], ':');
		const char *value = colon + 1;
		while (*value == ' ' || *value == '\t') /* as libmicrohttpd hands them over */
			value++;
		srv_fields_add(&f, fields[i], (size_t)(colon - fields[i]), value, strlen(value));
	}
	return srv_fields_framing(&f, http10);
}

#define FRAMING(want, http10, ...)                                                                \
	do {                                                                                      \
		const char *const fields_[] = {__VA_ARGS__};                                      \
		assert_int_equal(framing_of(http10, fields_, sizeof(fields_) / sizeof(*fields_)), \
				 want);                                                           \
	} while (0)

static void test_framing(void **state)
{
	(void)state;
	FRAMING(FRAMING_NONE, false, "Host: x");
	FRAMING(FRAMING_NONE, false, "Content-Length: 0");
	FRAMING(FRAMING_NONE, false, "content-length: 00 ");
	FRAMING(FRAMING_BODY, false, "Content-Length: 35");
	FRAMING(FRAMING_BODY, false, "Content-Length: 99999999999999999999999999999");
	FRAMING(FRAMING_BODY, false, "Transfer-Encoding: chunked");
	FRAMING(FRAMING_BODY, false, "Transfer-Encoding: gzip, CHUNKED;x=1");
	FRAMING(FRAMING_BODY, false, "Transfer-Encoding: gzip", "Transfer-Encoding: , chunked");
	FRAMING(FRAMING_BAD_LENGTH, false, "Content-Length: 0", "Content-Length: 35");
	FRAMING(FRAMING_BAD_LENGTH, false, "Content-Length: 35", "Content-Length: 35");
	FRAMING(FRAMING_BAD_LENGTH, false, "Content-Length: 0, 35");
	FRAMING(FRAMING_BAD_LENGTH, false, "Content-Length: +35");
	FRAMING(FRAMING_BAD_LENGTH, false, "Content-Length: -1");
	FRAMING(FRAMING_BAD_LENGTH, false, "Content-Length: ");
	FRAMING(FRAMING_BAD_LENGTH, false, "Content-Length: 3 5");
	FRAMING(FRAMING_BAD_LENGTH, false, "Content-Length: 0x23");
	FRAMING(FRAMING_BAD_CODING, false, "Transfer-Encoding: chunked", "Content-Length: 0");
	FRAMING(FRAMING_BAD_CODING, false, "Transfer-Encoding: gzip");
	FRAMING(FRAMING_BAD_CODING, false, "Transfer-Encoding: chunked, gzip");
	FRAMING(FRAMING_BAD_CODING, false, "Transfer-Encoding: chunked, chunked");
	FRAMING(FRAMING_BAD_CODING, false, "Transfer-Encoding: ");
	FRAMING(FRAMING_BAD_CODING, true, "Transfer-Encoding: chunked");
	FRAMING(FRAMING_BAD_FIELD, false, "Content-Length : 35");
	FRAMING(FRAMING_BAD_FIELD, false, "Content-Length\t: 35");
	FRAMING(FRAMING_BAD_FIELD, false, " Host: x");
	FRAMING(FRAMING_BAD_FIELD, false, ": x");
	FRAMING(FRAMING_BAD_FIELD, false, "X\001A: 1");
	FRAMING(FRAMING_BAD_FIELD, false, "X-A: 1\r2");
	FRAMING(FRAMING_BAD_FIELD, false, "X-A: \033[31m");
	FRAMING(FRAMING_BAD_FIELD, false, "Content-Length: 35", "X\x7f: 1");
	struct srv_fields f = {0};
	srv_fields_malformed(&f);
	assert_int_equal(srv_fields_framing(&f, false), FRAMING_BAD_FIELD);
}

static void test_targets(void **state)
{
	(void)state;
	static const struct {
		const char *target;
		size_t origin; /* SIZE_MAX: invalid */
	} cases[] = {
		{"/", 0},
		{"/heart.svg?color=red", 0},
		{"*", 0},
		{"http://x/heart.svg", 8},
		{"HTTPS://x:8443/a?b", 14},
		{"http://[::1]:80/", 15},
		{"http://x", 8},
		{"http://x?a", 8},
		{"http://x:/a", 9},
		{"http://a%41.b~!$&'()*+,;=/", 25},
		{"", SIZE_MAX},
		{"heart.svg", SIZE_MAX},
		{"http://", SIZE_MAX},
		{"http:///a", SIZE_MAX},
		{"http://u@x/", SIZE_MAX},
		{"http://x:8x/", SIZE_MAX},
		{"http://[::1/", SIZE_MAX},
		{"http://[]/", SIZE_MAX},
		{"http://x%4/", SIZE_MAX},
		{"ftp://x/", SIZE_MAX},
		{"http:/x/", SIZE_MAX},
		{"/a b", SIZE_MAX},
		{"/a\tb", SIZE_MAX},
		{"/a\rb", SIZE_MAX},
		{"/a\x7f", SIZE_MAX},
		{"/a\x1b", SIZE_MAX},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t origin = 99;
		bool const ok = srv_target_parse(cases[i].target, strlen(cases[i].target), &origin);
		if (ok != (cases[i].origin != SIZE_MAX) || (ok && origin != cases[i].origin))
			fail_msg("%s: %d at %zu", cases[i].target, ok, origin);
	}
	size_t origin;
	assert_false(srv_target_parse("/a\0b", 4, &origin)); /* a NUL inside */
}

static void test_framing_answers(void **state)
{
	struct fixture *const f = *state;
	struct srv_request req = {.method = METHOD_GET, .target = "/healthz", .target_len = 8};
	static const char *const texts[] = {
		[FRAMING_BAD_FIELD] = "bad header field:",
		[FRAMING_BAD_LENGTH] = "bad Content-Length:",
		[FRAMING_BAD_CODING] = "bad Transfer-Encoding:",
	};
	for (int k = FRAMING_BAD_FIELD; k <= FRAMING_BAD_CODING; k++) {
		req.framing = (enum srv_framing)k;
		srv_handle(f->w, &req, &f->r);
		assert_int_equal(f->r.status, 400);
		assert_true(f->r.close);
		assert_int_equal(f->r.route, ROUTE_OTHER);
		assert_memory_equal(f->r.body, texts[k], strlen(texts[k]));
	}
	req.framing = FRAMING_BODY;
	srv_handle(f->w, &req, &f->r);
	assert_body(&f->r, 413, "request body not allowed\n");
	assert_true(f->r.close);
	req.framing = FRAMING_NONE;
	req.target = "http://h:1/healthz";
	req.target_len = strlen(req.target);
	srv_handle(f->w, &req, &f->r);
	assert_body(&f->r, 200, "ok\n");
	assert_false(f->r.close);
	req.target = "*";
	req.target_len = 1;
	srv_handle(f->w, &req, &f->r);
	assert_int_equal(f->r.status, 400);
	assert_true(f->r.close);
	req.method = METHOD_OTHER;
	srv_handle(f->w, &req, &f->r);
	assert_int_equal(f->r.status, 405);
	assert_true(f->r.allow);
	req.method = METHOD_GET;
	req.target = "/heart.svg?color=red\0&color=blue";
	req.target_len = 32;
	srv_handle(f->w, &req, &f->r);
	assert_int_equal(f->r.status, 400);
	assert_true(f->r.close);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_parameter_of_the_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_etags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dark_mode, setup, teardown),
		cmocka_unit_test(test_consent_header),
		cmocka_unit_test(test_require_consent),
		cmocka_unit_test_setup_teardown(test_no_allocation_when_warm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metrics_long_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metrics_text, setup, teardown),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_targets),
		cmocka_unit_test_setup_teardown(test_framing_answers, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
