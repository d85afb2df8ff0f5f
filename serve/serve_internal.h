#pragma once

/* The parts of heart serve below the HTTP library, for serve/ and tests/serve/ only. */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "param_draw.h"
#include "serve.h"

/* ---- Metrics ---------------------------------------------------------------------------- */

enum srv_route {
	ROUTE_SVG,
	ROUTE_PNG,
	ROUTE_GIF,
	ROUTE_HEALTHZ,
	ROUTE_READYZ,
	ROUTE_METRICS,
	ROUTE_OPENAPI,
	ROUTE_OTHER, /* no such route: 404, 414 */
	ROUTE_COUNT,
};

/* The routes' paths ("/heart.svg", ...; "other"), as requests name them and metrics label
 * them. */
extern const char *const srv_route_names[ROUTE_COUNT];

enum srv_status {
	STATUS_200,
	STATUS_304,
	STATUS_400,
	STATUS_404,
	STATUS_405,
	STATUS_413,
	STATUS_414,
	STATUS_500,
	STATUS_503,
	STATUS_COUNT,
};

/* Why a render request was refused: the fixed label set of heart_render_errors_total. */
enum srv_reason {
	REASON_NONE,
	REASON_INVALID_COLOR,
	REASON_INVALID_SIZE,
	REASON_INVALID_BEAT, /* fps, bpm, amplitude */
	REASON_INVALID_PHASE,
	REASON_INVALID_SHAPE,
	REASON_INVALID_ANIMATE,
	REASON_INVALID_TITLE,
	REASON_INVALID_ID,
	REASON_INVALID_USER,
	REASON_UNKNOWN_PARAMETER,
	REASON_REPEATED_PARAMETER,
	REASON_MALFORMED_QUERY,
	REASON_CONFLICT, /* parameters that need or exclude each other */
	REASON_OUT_OF_MEMORY,
	REASON_COUNT,
};

/* The histogram's upper bounds, in seconds. */
#define SRV_BUCKETS 12

struct srv_metrics {
	atomic_ulong requests[ROUTE_COUNT][STATUS_COUNT];
	atomic_ulong errors[REASON_COUNT];
	atomic_ulong buckets[SRV_BUCKETS]; /* renders at most bound[i] seconds (not cumulative) */
	atomic_ulong renders;
	atomic_ullong render_ns; /* sum of render durations */
	atomic_int in_flight;
};

void srv_metrics_request(struct srv_metrics *m, enum srv_route route, unsigned status);
void srv_metrics_render(struct srv_metrics *m, uint64_t ns);
/* The Prometheus text exposition 0.0.4 of m into out (cleared first); false when out of
 * memory. */
bool srv_metrics_write(const struct srv_metrics *m, const char *version, const char *commit,
		       struct base_buf *out);

/* ---- Requests --------------------------------------------------------------------------- */

enum srv_method { METHOD_GET, METHOD_HEAD, METHOD_OTHER };

/* How a request's header fields frame it (RFC 9112 §6). Every value but FRAMING_NONE is
 * answered at once and closes the connection: whatever follows cannot be told apart from a
 * body, so it is never read as a request. */
enum srv_framing {
	FRAMING_NONE,       /* no body: the next request may follow */
	FRAMING_BODY,       /* a valid Content-Length above 0 or chunked: 413 (heart takes none) */
	FRAMING_BAD_FIELD,  /* a name that is not a token (space before ':', obs-fold, controls) */
	FRAMING_BAD_LENGTH, /* Content-Length twice, a list, a sign, empty or not decimal */
	FRAMING_BAD_CODING, /* Transfer-Encoding not ending in chunked, with Content-Length, or
			     * in HTTP/1.0 */
};

/* The framing fields of one request, accumulated field by field. Zero it to start. */
struct srv_fields {
	unsigned lengths;    /* Content-Length fields */
	bool length_bad;     /* one was not 1*DIGIT */
	bool length_nonzero; /* one announced a body */
	bool coding_seen;    /* Transfer-Encoding fields, even empty */
	unsigned codings;    /* transfer codings listed */
	unsigned chunked;    /* of which chunked */
	bool chunked_last;   /* the last listed is chunked */
	bool field_bad;      /* a name or value no field can have */
};

/* Add one header field as received: name and value as bytes, the value without the OWS
 * that led it. */
void srv_fields_add(struct srv_fields *f, const char *name, size_t name_len, const char *value,
		    size_t value_len);
/* Mark f as holding a field that was not one "name: value" line (obs-fold). */
void srv_fields_malformed(struct srv_fields *f);
/* The verdict on the fields of a request of HTTP/1.0 (http10) or 1.1. */
enum srv_framing srv_fields_framing(const struct srv_fields *f, bool http10);

/*
 * Whether target[0..len) is a request target (RFC 9112 §3.2): origin-form "/path?query",
 * absolute-form "http://authority/path?query" (or https, any case; no userinfo), or "*".
 * No byte outside 0x21..0x7e. On success *origin_out is where the path starts (0 for
 * origin-form and "*"; len when an absolute-form target has neither path nor query).
 */
bool srv_target_parse(const char *target, size_t len, size_t *origin_out);

/* One request, as read by the HTTP layer. Strings are borrowed for the call. */
struct srv_request {
	enum srv_method method;
	const char *target; /* the request target as sent: path, then '?' and the query */
	size_t target_len;
	enum srv_framing framing;  /* of its header fields */
	const char *if_none_match; /* the header, or NULL */
	bool reduce_motion;        /* Sec-CH-Prefers-Reduced-Motion: reduce */
	bool consent;              /* X-User-Consent grants heart-animation: srv_consent() */
	bool draining;             /* the server is shutting down (/readyz) */
};

enum srv_cache {
	CACHE_NONE,      /* Cache-Control: no-store */
	CACHE_IMMUTABLE, /* public, max-age=31536000, immutable */
	CACHE_REVALIDATE /* no-cache (/openapi.json: may change with the version) */
};

/* The response; body and strings belong to the worker and live until its next request. */
struct srv_response {
	unsigned status;
	enum srv_route route;
	enum srv_reason reason; /* of a refused render request */
	const char *content_type;
	const void *body;
	size_t len;
	char etag[40]; /* "\"<32 hex>\"", or empty */
	enum srv_cache cache;
	const char *csp;  /* Content-Security-Policy */
	bool vary_motion; /* Accept-CH and Vary: Sec-CH-Prefers-Reduced-Motion */
	bool allow;       /* Allow: GET, HEAD (405) */
	bool close;       /* Connection: close, nothing after the request is read */
	/* Vary: X-User-Consent (--require-consent, and the query asked for animation) */
	bool vary_consent;
};

/* ---- Queries (query.c) ------------------------------------------------------------------ */

/* A refused query: the reason it is counted under and one line of text, without newline. */
struct srv_refusal {
	enum srv_reason reason;
	char text[511];
};

/*
 * Read the query of route (ROUTE_SVG, ROUTE_PNG or ROUTE_GIF; len bytes, without the '?') into
 * q, which holds the defaults (param_values_init()). Names and values are percent-decoded into buf
 * (2 * len + 2 bytes; q's strings point into it). false, *why filled, when refused.
 */
bool srv_query_parse(enum srv_route route, const char *query, size_t len, char *buf,
		     struct param_values *q, struct srv_refusal *why);

/*
 * The request target target[0..len) as the access log shows it: the value of every query
 * parameter that names someone (user=, however its name is percent-encoded) replaced by
 * "REDACTED", the rest as sent. Writes at most size - 1 bytes to out (len + 9 per parameter
 * at most; cut short when out is too small) and returns the length written.
 */
size_t srv_query_redact(const char *target, size_t len, char *out, size_t size);

/* The rules between q's parameters for route, and a PNG's or GIF's sides at most
 * png_max; false, *why
 * filled, when q breaks one. */
bool srv_query_check(enum srv_route route, uint32_t png_max, const struct param_values *q,
		     struct srv_refusal *why);

/*
 * Whether an X-User-Consent value (NULL: none) grants animation: a list of name=value items
 * joined by ',' (spaces and tabs around each ignored) whose last item named heart-animation
 * is heart-animation=granted. Names and values are case-sensitive.
 */
bool srv_consent(const char *value);

/* What a thread needs to answer requests: render buffers reused from request to request. */
struct srv_worker;

struct srv_worker *srv_worker_create(const struct serve_config *config,
				     struct srv_metrics *metrics);
void srv_worker_destroy(struct srv_worker *w);

/* Answer req into *out (renders, counts the render's duration and refusal reason). */
void srv_handle(struct srv_worker *w, const struct srv_request *req, struct srv_response *out);

/* The OpenAPI document (serve/openapi.json), generated into the build. */
extern const char srv_openapi_json[];
extern const size_t srv_openapi_json_len;
