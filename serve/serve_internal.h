#pragma once

/* The parts of heart serve below the HTTP library, for serve/ and tests/serve/ only. */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "serve.h"
#include "svg.h"

/* ---- Metrics ---------------------------------------------------------------------------- */

enum srv_route {
	ROUTE_SVG,
	ROUTE_PNG,
	ROUTE_HEALTHZ,
	ROUTE_READYZ,
	ROUTE_METRICS,
	ROUTE_OPENAPI,
	ROUTE_OTHER, /* no such route: 404, 414 */
	ROUTE_COUNT,
};

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
		       struct svg_buf *out);

/* ---- Requests --------------------------------------------------------------------------- */

enum srv_method { METHOD_GET, METHOD_HEAD, METHOD_OTHER };

/* One request, as read by the HTTP layer. Strings are borrowed for the call. */
struct srv_request {
	enum srv_method method;
	const char *target; /* the request target as sent: path, then '?' and the query */
	size_t target_len;
	bool has_body;             /* Content-Length above 0, or Transfer-Encoding */
	const char *if_none_match; /* the header, or NULL */
	bool reduce_motion;        /* Sec-CH-Prefers-Reduced-Motion: reduce */
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
};

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
