/* heart serve's HTTP layer on libmicrohttpd: connections, limits, draining and the log. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/io.h"
#include "serve_internal.h"

/* One connection's state, from a slab made at start: a request costs no allocation of ours. */
struct conn {
	struct serve *s;
	int fd; /* -1 while the slot is free */
	/* Milliseconds on CLOCK_MONOTONIC by which the client must have sent its request, or
	 * 0 while one is being answered; read by serve_reap() on another thread. */
	atomic_llong deadline;
	int calls;                /* calls of the access handler for the current request */
	enum srv_framing framing; /* of the current request, judged on the first call */
	bool in_flight;           /* counted in the in-flight gauge */
	const char *line_target;  /* where libmicrohttpd's request line has the target */
	size_t target_len;
	char target[SERVE_TARGET_MAX + 2]; /* the request target as sent; cut after the max */
	struct conn *next_free;
};

struct serve {
	struct serve_config config;
	struct MHD_Daemon *daemon;
	uint16_t port;
	atomic_bool draining;
	struct srv_metrics metrics;
	pthread_mutex_t lock; /* the free lists below, and conn.fd against serve_reap() */
	struct conn *conns;
	size_t n_conns;
	struct conn *free_conns;
	struct srv_worker **workers; /* a stack: [0, n_free) are free */
	size_t n_workers, n_free;
};

const char *serve_strerror(enum serve_error e)
{
	switch (e) {
	case SERVE_OK:
		return "success";
	case SERVE_ERR_NOMEM:
		return "out of memory";
	case SERVE_ERR_ADDRESS:
		return "not a numeric IPv4 or IPv6 address";
	case SERVE_ERR_LISTEN:
		return "cannot listen there";
	}
	return "unknown error";
}

static void arm_deadline(struct conn *c)
{
	atomic_store(&c->deadline, base_clock_ms() + (long long)c->s->config.timeout * 1000);
}

/* ---- Connections ---------------------------------------------------------------------- */

static void on_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct serve *const s = cls;
	struct conn *c = *socket_context;

	pthread_mutex_lock(&s->lock);
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		c = s->free_conns;
		if (c) {
			const union MHD_ConnectionInfo *const info = MHD_get_connection_info(
				connection, MHD_CONNECTION_INFO_CONNECTION_FD);
			s->free_conns = c->next_free;
			c->fd = info ? info->connect_fd : -1;
			c->in_flight = false;
			arm_deadline(c);
		}
		*socket_context = c;
	} else if (c) {
		/* MHD closes the socket after this returns: serve_reap() holds the lock while it
		 * shuts a socket down, so it never touches a closed (or reused) descriptor. */
		if (c->in_flight) /* the client left in the middle of its request */
			atomic_fetch_sub(&s->metrics.in_flight, 1);
		c->in_flight = false;
		c->fd = -1;
		c->next_free = s->free_conns;
		s->free_conns = c;
		*socket_context = NULL;
	}
	pthread_mutex_unlock(&s->lock);
}

/*
 * A "Content-Length: 0" of our own, first in every request's fields: libmicrohttpd frames the
 * request by the first Content-Length it finds, so it never reads a body nor answers a
 * malformed length itself (0.9.75 sends its 400's header twice). The fields the client sent
 * are judged in judge_fields(); this one is told from them by its address.
 */
static const char own_length[] = "0";

/* Called once per request with the target as the client sent it, before the headers. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *connection)
{
	const union MHD_ConnectionInfo *const info =
		MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *const c = info ? info->socket_context : NULL;
	(void)cls;
	if (!c)
		return NULL;
	if (!uri)
		uri = "";
	if (MHD_set_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH,
				     own_length) != MHD_YES)
		return NULL; /* out of memory: the request is dropped */
	c->line_target = uri;
	size_t const len = strnlen(uri, SERVE_TARGET_MAX + 1);
	memcpy(c->target, uri, len);
	c->target[len] = '\0';
	c->target_len = len;
	c->calls = 0;
	/* In flight from its first line: draining waits for a request still being read. */
	if (!c->in_flight)
		atomic_fetch_add(&c->s->metrics.in_flight, 1);
	c->in_flight = true;
	return c;
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct serve *const s = cls;
	struct conn *const c = *con_cls;
	(void)connection;
	(void)toe;
	if (!c)
		return;
	if (c->in_flight)
		atomic_fetch_sub(&s->metrics.in_flight, 1);
	c->in_flight = false;
	arm_deadline(c); /* the next request on this connection */
}

void serve_reap(struct serve *s)
{
	long long const now = base_clock_ms();
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->n_conns; i++) {
		struct conn *const c = &s->conns[i];
		long long const deadline = atomic_load(&c->deadline);
		if (c->fd >= 0 && deadline != 0 && now > deadline) {
			shutdown(c->fd, SHUT_RDWR); /* MHD sees the end and closes it */
			atomic_store(&c->deadline, 0);
		}
	}
	pthread_mutex_unlock(&s->lock);
}

/* ---- The log -------------------------------------------------------------------------- */

/* Bytes a client sent, made safe to print: outside 0x21..0x7e, '"' and '\' as \xNN. */
static void log_escape(const char *s, size_t len, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	for (size_t i = 0; i < len && n + 4 < size; i++) {
		unsigned char const b = (unsigned char)s[i];
		if (b > 0x20 && b < 0x7f && b != '"' && b != '\\') {
			out[n++] = (char)b;
			continue;
		}
		out[n++] = '\\';
		out[n++] = 'x';
		out[n++] = hex[b >> 4];
		out[n++] = hex[b & 15];
	}
	out[n] = '\0';
}

/* One line in Common Log Format: host - - [time] "request" status bytes. */
static void log_request(const struct serve *s, struct MHD_Connection *connection,
			const char *method, const struct conn *c, const char *version,
			unsigned status, size_t bytes)
{
	char host[INET6_ADDRSTRLEN] = "-", when[40], m[64], target[4 * 1024 + 8], v[64];
	char line[sizeof(target) + 256];
	const union MHD_ConnectionInfo *const info =
		MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *const sa = info ? info->client_addr : NULL;
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, host,
			  sizeof(host));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  host, sizeof(host));
	struct tm tm;
	time_t const t = time(NULL);
	strftime(when, sizeof(when), "%d/%b/%Y:%H:%M:%S +0000", gmtime_r(&t, &tm));
	log_escape(method, strlen(method), m, sizeof(m));
	log_escape(version, strlen(version), v, sizeof(v));
	/* At most 1 KiB of the target, a user's id redacted (escaped, up to 4 KiB); "..." says
	 * it was cut. */
	char redacted[sizeof(c->target) + 16];
	size_t const len =
		c ? srv_query_redact(c->target, c->target_len, redacted, sizeof(redacted)) : 0;
	size_t const shown = c ? (len < 1024 ? len : 1024) : 1;
	log_escape(c ? redacted : "-", shown, target, sizeof(target));
	int const n = snprintf(line, sizeof(line), "%s - - [%s] \"%s %s%s %s\" %u %zu\n", host,
			       when, m, target, c && len > shown ? "..." : "", v, status, bytes);
	if (n > 0)
		fwrite(line, 1, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1,
		       s->config.log);
}

/* ---- Requests ------------------------------------------------------------------------- */

static struct srv_worker *worker_take(struct serve *s)
{
	struct srv_worker *w = NULL;
	pthread_mutex_lock(&s->lock);
	if (s->n_free > 0)
		w = s->workers[--s->n_free];
	pthread_mutex_unlock(&s->lock);
	return w;
}

static void worker_give(struct serve *s, struct srv_worker *w)
{
	pthread_mutex_lock(&s->lock);
	s->workers[s->n_free++] = w;
	pthread_mutex_unlock(&s->lock);
}

static const char *const cache_control[] = {
	[CACHE_NONE] = "no-store",
	[CACHE_IMMUTABLE] = "public, max-age=31536000, immutable",
	[CACHE_REVALIDATE] = "no-cache",
};

static struct MHD_Response *make_response(const struct srv_response *r, bool draining)
{
	struct MHD_Response *const resp =
		r->status == 304
			? MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)
			: MHD_create_response_from_buffer(r->len, (void *)(uintptr_t)r->body,
							  MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return NULL;
	bool ok = MHD_add_response_header(resp, "Content-Type", r->content_type) &&
		  MHD_add_response_header(resp, "Cache-Control", cache_control[r->cache]) &&
		  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") &&
		  MHD_add_response_header(resp, "Content-Security-Policy", r->csp);
	if (r->etag[0])
		ok = ok && MHD_add_response_header(resp, "ETag", r->etag);
	if (r->vary_motion)
		ok = ok &&
		     MHD_add_response_header(resp, "Accept-CH", "Sec-CH-Prefers-Reduced-Motion") &&
		     MHD_add_response_header(resp, "Vary", "Sec-CH-Prefers-Reduced-Motion");
	if (r->allow)
		ok = ok && MHD_add_response_header(resp, "Allow", "GET, HEAD");
	if (draining)
		ok = ok && MHD_add_response_header(resp, "Connection", "close");
	if (!ok) {
		MHD_destroy_response(resp);
		return NULL;
	}
	return resp;
}

static enum srv_method method_of(const char *method)
{
	if (strcmp(method, "GET") == 0)
		return METHOD_GET;
	if (strcmp(method, "HEAD") == 0)
		return METHOD_HEAD;
	return METHOD_OTHER;
}

static bool motion_reduced(struct MHD_Connection *connection)
{
	const char *const v = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
							  "Sec-CH-Prefers-Reduced-Motion");
	return v && strcmp(v, "reduce") == 0;
}

/* The fields of a request being judged, and where the last line judged ended. */
struct judging {
	struct srv_fields fields;
	const char *line_end;
};

/*
 * One header field as libmicrohttpd parsed it in place: "name\0" then OWS, then the value
 * (the colon was overwritten). A value anywhere else means the field was not one line: 0.9.75
 * joins an obs-fold continuation onto the *name* in a copy, which hides Content-Length.
 */
static enum MHD_Result judge_field(void *cls, enum MHD_ValueKind kind, const char *name,
				   size_t name_len, const char *value, size_t value_len)
{
	struct judging *const j = cls;
	(void)kind;
	if (value == own_length)
		return MHD_YES;
	uintptr_t const name_end = (uintptr_t)name + name_len, at = (uintptr_t)value;
	if (!value || at <= name_end || at - name_end > 256) {
		srv_fields_malformed(&j->fields);
		return MHD_YES;
	}
	for (const char *p = name + name_len + 1; p < value; p++)
		if (*p != ' ' && *p != '\t')
			srv_fields_malformed(&j->fields);
	srv_fields_add(&j->fields, name, name_len, value, value_len);
	j->line_end = value + value_len;
	return MHD_YES;
}

/*
 * The framing of the request whose line starts at method. Its header section must end just
 * after the last field: libmicrohttpd 0.9.75 takes a field line with an empty name (": x")
 * after another for the empty line that ends the section, and would read what follows as
 * the next request. Line ends are NULs there (CR LF or LF, twice).
 */
static enum srv_framing judge_fields(struct MHD_Connection *connection, const char *method,
				     const char *version)
{
	struct judging j = {.line_end = version + strlen(version)};
	MHD_get_connection_values_n(connection, MHD_HEADER_KIND, judge_field, &j);
	const union MHD_ConnectionInfo *const info =
		MHD_get_connection_info(connection, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	uintptr_t const end = info ? (uintptr_t)method + info->header_size : 0;
	if (info && ((uintptr_t)j.line_end > end || end - (uintptr_t)j.line_end > 4))
		srv_fields_malformed(&j.fields);
	for (const char *p = j.line_end; info && (uintptr_t)p < end; p++)
		if (*p != '\0')
			srv_fields_malformed(&j.fields);
	return srv_fields_framing(&j.fields, strcmp(version, "HTTP/1.0") == 0);
}

/*
 * The target as sent when it holds a NUL, which cut the copy on_uri() made: the request line
 * still has it in full up to the version (libmicrohttpd's parser only rewrites what follows a
 * '?' after the NUL, which then shows as it decoded it).
 */
static void complete_target(struct conn *c, const char *version)
{
	uintptr_t const from = (uintptr_t)c->line_target, to = (uintptr_t)version;
	if (to <= from + c->target_len + 1 || c->target_len > SERVE_TARGET_MAX)
		return;
	size_t const full = (size_t)(to - from - 1); /* a space before the version */
	size_t const len = full < SERVE_TARGET_MAX + 1 ? full : SERVE_TARGET_MAX + 1;
	memcpy(c->target + c->target_len, c->line_target + c->target_len, len - c->target_len);
	c->target[len] = '\0';
	c->target_len = len;
}

static enum MHD_Result answer(struct serve *s, struct MHD_Connection *connection, struct conn *c,
			      const char *method, const char *version, enum srv_framing framing)
{
	bool const draining = atomic_load(&s->draining);
	struct srv_request const req = {
		.method = method_of(method),
		.target = c->target,
		.target_len = c->target_len,
		.framing = framing,
		.if_none_match =
			MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "If-None-Match"),
		.reduce_motion = motion_reduced(connection),
		.draining = draining,
	};
	struct srv_response r;
	struct srv_worker *const w = worker_take(s);
	if (!w)
		return MHD_NO; /* cannot happen: one worker per thread */
	srv_handle(w, &req, &r);
	struct MHD_Response *const resp = make_response(&r, draining || r.close);
	worker_give(s, w);
	if (!resp)
		return MHD_NO;
	enum MHD_Result const ret = MHD_queue_response(connection, r.status, resp);
	MHD_destroy_response(resp);
	srv_metrics_request(&s->metrics, r.route, r.status);
	if (s->config.log)
		log_request(s, connection, method, c, version, r.status,
			    req.method == METHOD_HEAD || r.status == 304 ? 0 : r.len);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct serve *const s = cls;
	struct conn *const c = *con_cls;
	(void)url;
	(void)upload_data;
	if (!c)
		return MHD_NO; /* no connection slot: close it */
	/* A request whose framing or target is not RFC 9112's, or that has a body, is refused
	 * on the first call, before anything after its header is read; the connection then
	 * closes. Any other waits for the second call: answering on the first costs the
	 * connection's keep-alive in libmicrohttpd 0.9.75. */
	if (c->calls++ == 0) {
		complete_target(c, version);
		c->framing = judge_fields(connection, method, version);
		size_t origin;
		if (c->framing == FRAMING_NONE &&
		    srv_target_parse(c->target, c->target_len, &origin))
			return MHD_YES;
	} else if (*upload_data_size > 0) {
		return MHD_NO; /* cannot happen: libmicrohttpd reads no body (own_length) */
	}
	atomic_store(&c->deadline, 0);
	return answer(s, connection, c, method, version, c->framing);
}

/* ---- Lifecycle ------------------------------------------------------------------------ */

static enum serve_error start(struct serve *s)
{
	struct sockaddr_in6 sa6 = {.sin6_family = AF_INET6, .sin6_port = htons(s->config.port)};
	struct sockaddr_in sa4 = {.sin_family = AF_INET, .sin_port = htons(s->config.port)};
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC;

	if (inet_pton(AF_INET, s->config.host, &sa4.sin_addr) == 1) {
		sa = (const struct sockaddr *)&sa4;
	} else if (inet_pton(AF_INET6, s->config.host, &sa6.sin6_addr) == 1) {
		sa = (const struct sockaddr *)&sa6;
		flags |= MHD_USE_IPv6;
	} else {
		return SERVE_ERR_ADDRESS;
	}
	s->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->config.threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->config.max_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->config.timeout,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
		s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
	if (!s->daemon)
		return SERVE_ERR_LISTEN;
	const union MHD_DaemonInfo *const info =
		MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : s->config.port;
	return SERVE_OK;
}

enum serve_error serve_create(const struct serve_config *config, struct serve **out)
{
	enum serve_error err = SERVE_ERR_NOMEM;
	struct serve *const s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return SERVE_ERR_NOMEM;
	s->config = *config;
	pthread_mutex_init(&s->lock, NULL);
	/* A few more slots than connections: a closed one is released after its successor may
	 * have been accepted. */
	s->n_conns = (size_t)config->max_connections + 64;
	s->conns = calloc(s->n_conns, sizeof(*s->conns));
	s->n_workers = config->threads;
	s->workers = calloc(s->n_workers, sizeof(*s->workers));
	if (!s->conns || !s->workers)
		goto fail;
	for (size_t i = s->n_conns; i-- > 0;) {
		s->conns[i] = (struct conn){.s = s, .fd = -1, .next_free = s->free_conns};
		s->free_conns = &s->conns[i];
	}
	for (; s->n_free < s->n_workers; s->n_free++) {
		s->workers[s->n_free] = srv_worker_create(&s->config, &s->metrics);
		if (!s->workers[s->n_free])
			goto fail;
	}
	err = start(s);
	if (err != SERVE_OK)
		goto fail;
	*out = s;
	return SERVE_OK;
fail:
	serve_destroy(s);
	return err;
}

uint16_t serve_port(const struct serve *s)
{
	return s->port;
}

void serve_drain(struct serve *s)
{
	if (atomic_exchange(&s->draining, true))
		return;
	MHD_socket const fd = MHD_quiesce_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
}

unsigned serve_in_flight(const struct serve *s)
{
	int const n = atomic_load(&s->metrics.in_flight);
	return n > 0 ? (unsigned)n : 0;
}

void serve_destroy(struct serve *s)
{
	if (!s)
		return;
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	for (size_t i = 0; s->workers && i < s->n_free; i++)
		srv_worker_destroy(s->workers[i]);
	free(s->workers);
	free(s->conns);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
