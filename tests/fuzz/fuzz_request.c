/*
 * heart serve's requests below HTTP: the input is a request target (path and query, any
 * bytes), answered by srv_handle() as GET. Properties: a known status, never a 500; a refusal
 * is one line of printable ASCII (it names the parameter and the rule, from the tables); an
 * image is an SVG document or a PNG; the same request gives the same bytes and ETag again.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "serve_internal.h"

static const struct serve_config config = {
	.host = "127.0.0.1",
	.threads = 1,
	.max_connections = 1,
	.timeout = 10,
	.png_max = 64, /* every PNG is drawn: keep them small enough to fuzz quickly */
	.version = "0.1.0",
	.commit = "fuzz",
	.require_consent = true, /* half the requests consent (below) */
};

static void check_refusal(const struct srv_response *r)
{
	const char *const b = r->body;
	fuzz_require(r->len > 1 && r->len < 512, "refusal length");
	fuzz_require(b[r->len - 1] == '\n', "refusal does not end its line");
	for (size_t i = 0; i + 1 < r->len; i++)
		fuzz_require(b[i] >= 0x20 && b[i] < 0x7f, "refusal is not printable ASCII");
	fuzz_require(r->etag[0] == '\0', "a refusal has an ETag");
}

static void check_image(const struct srv_response *r)
{
	static const char png_signature[] = "\x89PNG\r\n\x1a\n";
	if (strcmp(r->content_type, "image/svg+xml") == 0)
		fuzz_require(r->len > 12 && memcmp(r->body, "<svg", 4) == 0 &&
				     memcmp((const char *)r->body + r->len - 7, "</svg>\n", 7) == 0,
			     "not an SVG document");
	else if (strcmp(r->content_type, "image/png") == 0)
		fuzz_require(r->len > 8 && memcmp(r->body, png_signature, 8) == 0, "not a PNG");
	fuzz_require(strlen(r->etag) == 34 || r->content_type[0] != 'i', "image without ETag");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct srv_metrics metrics;
	static struct srv_worker *w;
	if (!w) {
		w = srv_worker_create(&config, &metrics);
		fuzz_require(w != NULL, "worker");
	}
	struct srv_request const req = {
		.method = METHOD_GET,
		.target = (const char *)data,
		.target_len = size,
		.reduce_motion = size > 0 && data[0] == '/' && (size & 1),
		.consent = size & 2,
	};
	struct srv_response r;
	srv_handle(w, &req, &r);
	switch (r.status) {
	case 200:
		if (r.route == ROUTE_SVG || r.route == ROUTE_PNG)
			check_image(&r);
		break;
	case 400:
	case 404:
	case 414:
		check_refusal(&r);
		break;
	default:
		fuzz_require(0, "unexpected status");
	}
	if (r.status != 200 || (r.route != ROUTE_SVG && r.route != ROUTE_PNG))
		return 0;
	/* The same request, the same answer. */
	void *const first = malloc(r.len);
	fuzz_require(first != NULL, "malloc");
	memcpy(first, r.body, r.len);
	size_t const len = r.len;
	char etag[40];
	memcpy(etag, r.etag, sizeof(etag));
	srv_handle(w, &req, &r);
	fuzz_require(r.status == 200 && r.len == len && memcmp(r.body, first, len) == 0,
		     "the same request gave other bytes");
	fuzz_require(strcmp(r.etag, etag) == 0, "the same request gave another ETag");
	free(first);
	return 0;
}
