#pragma once

/*
 * heart serve: the heart over HTTP (libmicrohttpd). GET and HEAD of /heart.svg and /heart.png
 * with query parameters that mirror `heart svg` and `heart png`, plus /healthz, /readyz,
 * /metrics (Prometheus) and /openapi.json. Stateless: a response is a pure function of the
 * request and heart's version.
 *
 * The server runs on its own threads. Its owner (cli/cmd_serve.c) blocks the termination
 * signals in every thread before serve_create(), waits for them, calls serve_reap() about once
 * a second, and on a signal calls serve_drain(), waits until serve_in_flight() is 0 or its
 * deadline passes, then serve_destroy(). Nothing here prints but the request log.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct serve_config {
	const char *host;         /* numeric IPv4 or IPv6 address to listen on */
	uint16_t port;            /* 0: a free port the kernel picks (serve_port() tells) */
	unsigned threads;         /* event-loop threads, 1..SERVE_THREADS_MAX */
	unsigned max_connections; /* open connections at once, 1..SERVE_CONNECTIONS_MAX */
	unsigned timeout;         /* seconds a client has to send a request; also the idle limit */
	uint32_t png_max;         /* largest PNG side in pixels, 1..16384 */
	FILE *log;                /* one Common Log Format line per request, or NULL */
	const char *version;      /* heart's version, e.g. "0.1.0" (metrics, ETags) */
	const char *commit;       /* the commit it was built from (metrics, ETags) */
	/* Animated hearts only for requests with X-User-Consent: heart-animation=granted; the
	 * static heart (and its ETag) otherwise, with Vary: X-User-Consent. */
	bool require_consent;
};

#define SERVE_THREADS_MAX 256
#define SERVE_CONNECTIONS_MAX 65536
#define SERVE_TARGET_MAX 4096 /* bytes of request target (path and query); longer: 414 */

enum serve_error {
	SERVE_OK,
	SERVE_ERR_NOMEM,
	SERVE_ERR_ADDRESS, /* host is not a numeric IPv4 or IPv6 address */
	SERVE_ERR_LISTEN,  /* the address could not be bound (in use, not local, ...) */
};

/* A short, static English description of e. */
const char *serve_strerror(enum serve_error e);

struct serve;

/*
 * Bind and start serving. On success *out is the running server, to be freed with
 * serve_destroy(); on failure *out is NULL and nothing is left running.
 */
enum serve_error serve_create(const struct serve_config *config, struct serve **out);

/* The port it listens on (the kernel's choice when config->port was 0). */
uint16_t serve_port(const struct serve *s);

/* Drop connections whose request has taken longer than the timeout (a client that sends one
 * byte a second); call about once a second from the owner's thread. */
void serve_reap(struct serve *s);

/* Stop accepting connections and answer /readyz with 503; requests already read finish. */
void serve_drain(struct serve *s);

/* Requests being answered now. */
unsigned serve_in_flight(const struct serve *s);

/* Stop, close every connection and free everything. Accepts NULL. */
void serve_destroy(struct serve *s);
