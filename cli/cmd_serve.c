#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "base/io.h"
#include "cli.h"
#include "serve.h"
#include "stamp.h"

static int run(int argc, char **argv);

enum {
	OPT_LISTEN,
	OPT_THREADS,
	OPT_MAX_CONNECTIONS,
	OPT_TIMEOUT,
	OPT_DRAIN_TIMEOUT,
	OPT_MAX_SIZE,
	OPT_QUIET,
	OPT_REQUIRE_CONSENT,
};

struct serve_args {
	const char *listen;
	long threads, max_connections, timeout, drain_timeout, max_size;
	bool quiet, require_consent;
};

static const struct opt_spec opts[] = {
	[OPT_LISTEN] = {.name = "listen",
			.kind = ARG_TEXT,
			.value_name = "ADDR:PORT",
			.offset = offsetof(struct serve_args, listen),
			.help = "numeric IPv4 or [IPv6] address and port (default 127.0.0.1:8080; "
				"port 0: any free port)"},
	[OPT_THREADS] = {.name = "threads",
			 .kind = ARG_LONG,
			 .value_name = "N",
			 .offset = offsetof(struct serve_args, threads),
			 .min = 1,
			 .max = SERVE_THREADS_MAX,
			 .help = "event-loop threads, 1 to 256 (default: one per CPU)"},
	[OPT_MAX_CONNECTIONS] = {.name = "max-connections",
				 .kind = ARG_LONG,
				 .value_name = "N",
				 .offset = offsetof(struct serve_args, max_connections),
				 .min = 1,
				 .max = SERVE_CONNECTIONS_MAX,
				 .help = "open connections at once, 1 to 65536 (default 1024)"},
	[OPT_TIMEOUT] = {.name = "timeout",
			 .kind = ARG_LONG,
			 .value_name = "S",
			 .offset = offsetof(struct serve_args, timeout),
			 .min = 1,
			 .max = 3600,
			 .help = "seconds a client has to send its request, and to stay idle "
				 "between requests, 1 to 3600 (default 10)"},
	[OPT_DRAIN_TIMEOUT] = {.name = "drain-timeout",
			       .kind = ARG_LONG,
			       .value_name = "S",
			       .offset = offsetof(struct serve_args, drain_timeout),
			       .min = 0,
			       .max = 3600,
			       .help = "on SIGTERM or SIGINT, seconds to let requests in flight "
				       "finish, 0 to 3600 (default 10)"},
	[OPT_MAX_SIZE] = {.name = "max-size",
			  .kind = ARG_LONG,
			  .value_name = "N",
			  .offset = offsetof(struct serve_args, max_size),
			  .min = 1,
			  .max = 16384,
			  .help = "largest side of a PNG or GIF in pixels, 1 to 16384 (default "
				  "2048)"},
	[OPT_QUIET] = {.name = "quiet",
		       .short_name = 'q',
		       .kind = ARG_FLAG,
		       .offset = offsetof(struct serve_args, quiet),
		       .help = "do not log requests"},
	[OPT_REQUIRE_CONSENT] = {.name = "require-consent",
				 .kind = ARG_FLAG,
				 .offset = offsetof(struct serve_args, require_consent),
				 .help = "animated hearts only for requests with X-User-Consent: "
					 "heart-animation=granted (the static heart otherwise)"},
};

const struct command cmd_serve = {
	.name = "serve",
	.summary = "serve hearts over HTTP (SVG, PNG and GIF, with metrics)",
	.synopsis = "heart serve [--listen ADDR:PORT] [--threads N] [--max-connections N]\n"
		    "            [--timeout S] [--drain-timeout S] [--max-size N] [--quiet]\n"
		    "            [--require-consent]",
	.description =
		"Serve the heart over HTTP: GET or HEAD /heart.svg, /heart.png and /heart.gif,\n"
		"whose query parameters are the options of heart svg, heart png and heart gif:\n"
		"color, background, size, amplitude, aspect, cleft, lobe, tip, user for all;\n"
		"animate (true or false) for SVG and PNG; title, id, dark-color, dark-background\n"
		"for SVG; fps, bpm for SVG and GIF, and PNG with animate; phase for PNG.\n"
		"Also /healthz, /readyz, /metrics (Prometheus) and /openapi.json.\n",
	.opts = opts,
	.n_opts = sizeof(opts) / sizeof(opts[0]),
	.epilog =
		"Logs one line per request on standard error (Common Log Format). SIGTERM or\n"
		"SIGINT stops accepting connections, lets requests in flight finish and exits 0.\n",
	.run = run,
};

/* "ADDR:PORT" or "[ADDR]:PORT" into host (NUL-terminated) and port. */
static bool parse_listen(const char *s, char *host, size_t size, uint16_t *port)
{
	const char *colon;
	size_t len;
	if (*s == '[') {
		const char *const close = strchr(s, ']');
		if (!close || close[1] != ':')
			return false;
		len = (size_t)(close - s - 1);
		s++;
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || memchr(s, ':', (size_t)(colon - s)))
			return false; /* an IPv6 address needs its brackets */
		len = (size_t)(colon - s);
	}
	long p;
	if (len == 0 || len >= size || !param_long(colon + 1, 0, 65535, &p))
		return false;
	memcpy(host, s, len);
	host[len] = '\0';
	*port = (uint16_t)p;
	return true;
}

/* Enough descriptors for the connections: raise the soft limit toward the hard one. */
static void raise_fd_limit(unsigned connections)
{
	struct rlimit r;
	rlim_t const want = (rlim_t)connections + 64;
	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < want) {
		r.rlim_cur = r.rlim_max == RLIM_INFINITY || r.rlim_max > want ? want : r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

/* Wait up to ms for one of set; returns the signal, 0 when none came, or -1 when waiting
 * failed (then there is no way to hear a signal: the caller stops). */
static int wait_signal(const sigset_t *set, long ms)
{
	struct timespec const t = {ms / 1000, ms % 1000 * 1000000};
	int const sig = sigtimedwait(set, NULL, &t);
	if (sig < 0 && errno != EAGAIN && errno != EINTR) {
		cli_error("serve: cannot wait for signals: %s", strerror(errno));
		return -1;
	}
	return sig > 0 ? sig : 0;
}

/* Serve until SIGTERM or SIGINT, then drain: requests in flight get drain_ms to finish. false
 * when waiting for the signals failed (and the server was stopped). */
static bool serve_until_signal(struct serve *s, const sigset_t *set, long drain_ms)
{
	int sig;
	while ((sig = wait_signal(set, 1000)) == 0)
		serve_reap(s);
	serve_drain(s);
	long long const deadline = base_clock_ms() + drain_ms;
	/* A second signal stops at once. */
	while (sig > 0 && serve_in_flight(s) > 0 && base_clock_ms() < deadline) {
		int const again = wait_signal(set, 10);
		if (again != 0) {
			sig = again;
			break;
		}
		serve_reap(s);
	}
	if (serve_in_flight(s) > 0)
		cli_error("serve: stopping; requests unfinished: %u", serve_in_flight(s));
	return sig >= 0;
}

static int run(int argc, char **argv)
{
	long const cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct serve_args a = {
		.listen = "127.0.0.1:8080",
		.threads = cpus < 1                   ? 1
			   : cpus > SERVE_THREADS_MAX ? SERVE_THREADS_MAX
						      : cpus,
		.max_connections = 1024,
		.timeout = 10,
		.drain_timeout = 10,
		.max_size = 2048,
	};
	struct arg_result r;
	char host[INET6_ADDRSTRLEN + 1];
	uint16_t port;

	int const status = arg_parse(&cmd_serve, argc, argv, &a, &r);
	if (status != CLI_CONTINUE)
		return status;
	if (!parse_listen(a.listen, host, sizeof(host), &port))
		return cli_usage_error(&cmd_serve,
				       "--listen: '%s' is not ADDR:PORT (a numeric IPv4 address or "
				       "a bracketed IPv6 one, and a port from 0 to 65535)",
				       quote(a.listen).s);

	struct serve_config const config = {
		.host = host,
		.port = port,
		.threads = (unsigned)a.threads,
		.max_connections = (unsigned)a.max_connections,
		.timeout = (unsigned)a.timeout,
		.png_max = (uint32_t)a.max_size,
		.require_consent = a.require_consent,
		.log = a.quiet ? NULL : stderr,
		.version = heart_stamp.version,
		.commit = heart_stamp.commit,
	};
	/* The signals are waited for here: every thread the server starts inherits the mask. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit(config.max_connections);

	struct serve *s;
	errno = 0;
	enum serve_error const err = serve_create(&config, &s);
	if (err == SERVE_ERR_ADDRESS)
		return cli_usage_error(&cmd_serve, "--listen: '%s' is %s", quote(a.listen).s,
				       serve_strerror(err));
	if (err == SERVE_ERR_LISTEN) {
		cli_error("serve: cannot listen on %s: %s", quote(a.listen).s,
			  errno ? strerror(errno) : "refused");
		return EXIT_BAD;
	}
	if (err != SERVE_OK) {
		cli_error("serve: %s", serve_strerror(err));
		return EXIT_BAD;
	}
	bool const v6 = strchr(host, ':') != NULL;
	fprintf(stderr, "heart: serving http://%s%s%s:%u/\n", v6 ? "[" : "", host, v6 ? "]" : "",
		serve_port(s));
	bool const ok = serve_until_signal(s, &set, a.drain_timeout * 1000);
	serve_destroy(s);
	return ok ? EXIT_OK : EXIT_BAD;
}
