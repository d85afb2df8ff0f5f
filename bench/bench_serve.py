#!/usr/bin/env python3
"""heart serve under wrk, next to nginx serving the same SVG bytes as a static file, in one run.

Usage: bench_serve.py HEART [--threads T] [--runs N] [--duration D] [--wrk-threads W]
                      [--connections C] [--pin SERVER:WRK|none]
       bench_serve.py HEART --memory [REQUESTS] [same options]

Benchmark: requests per second and wrk's latency percentiles (p50, p90, p99) on loopback with
keep-alive, for (a) /heart.svg?color=red, (b) the animated SVG, (c) a 256² PNG, and (d) nginx
(Debian nginx-light) serving (a)'s exact body from a file. heart and nginx run with the same
number of threads/workers, one wrk per route and server, alternating, best of N runs by req/s.
--memory: REQUESTS (default 1,000,000) of a mix of the three routes; heart's VmRSS and VmHWM
after startup, after the first 100,000 and at the end. Needs wrk and nginx-light
(scripts/setup.sh --bench). Servers are stopped on every exit, Ctrl-C included.
"""
import argparse
import http.client
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ORIGINAL_RPS = 12800  # the service heart serve replaces, route (a)
READY = re.compile(rb'^heart: serving http://127\.0\.0\.1:(\d+)/$', re.M)
ROUTES = [  # (label, path); the nginx row serves the first one's body
    ('(a) heart SVG', '/heart.svg?color=red'),
    ('(b) heart animated SVG', '/heart.svg?animate=true&color=red'),
    ('(c) heart PNG 256²', '/heart.png?size=256'),
]
NGINX_LABEL = '(d) nginx static, same bytes as (a)'

# wrk script. Without arguments (the benchmark) it only adds done(), which wrk calls once after
# the run, so wrk's own request loop is measured as is. With "-- LIMIT PATH..." (--memory) it
# cycles through the paths, counts responses that are not 200 or carry "Connection: close", and
# after LIMIT responses per thread prints "stopped" so that the caller ends wrk with SIGINT (wrk
# 4.1 otherwise sleeps out its whole -d).
WRK_LUA = r'''
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  if #args == 0 then response = nil return end
  limit, reqs, sent, n, bad, closes = tonumber(args[1]), {}, 0, 0, 0, 0
  for i = 2, #args do reqs[#reqs + 1] = wrk.format(nil, args[i]) end
  request = function() sent = sent + 1 return reqs[sent % #reqs + 1] end
end
function response(status, headers, body)
  n = n + 1
  if status ~= 200 then bad = bad + 1 end
  local c = headers["Connection"] or headers["connection"]
  if c and c:lower() == "close" then closes = closes + 1 end
  if n == limit then io.write("stopped\n") io.flush() wrk.thread:stop() end
end
function done(summary, latency, requests)
  local bad, closes = 0, 0
  for _, t in ipairs(threads) do
    bad, closes = bad + (t:get("bad") or 0), closes + (t:get("closes") or 0)
  end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d bytes=%d connect=%d read=%d "
    .. "write=%d status=%d timeout=%d p50=%d p90=%d p99=%d max=%d bad=%d closes=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, bad, closes))
end
'''

NGINX_CONF = '''\
worker_processes {workers};
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections {connections}; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ image/svg+xml svg; }}
    sendfile off;
    open_file_cache max=16;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
{headers}
    }}
}}
'''


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def taskset(cpus):
    return ['taskset', '-c', cpus] if cpus else []


class Heart:
    """heart serve --quiet on a free port of 127.0.0.1."""

    def __init__(self, heart, threads, cpus, connections):
        self.argv = taskset(cpus) + [heart, 'serve', '--listen', '127.0.0.1:0', '--quiet',
                                     '--threads', str(threads)]
        if connections > 1000:  # above what heart's default --max-connections 1024 leaves
            self.argv += ['--max-connections', str(connections + 64)]

    def __enter__(self):
        self.err = tempfile.TemporaryFile()
        # taskset execs heart: proc.pid is heart's pid.
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.monotonic() + 30
        while True:
            self.err.seek(0)
            m = READY.search(self.err.read())
            if m:
                self.port = int(m.group(1))
                return self
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                sys.exit('heart serve did not start:\n%s' % self.log()[-2000:])
            time.sleep(0.01)

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # drains, exits 0
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.status = self.proc.returncode
        return False

    name = 'heart serve'

    def pids(self):
        return [self.proc.pid]

    def log(self):
        self.err.seek(0)
        return self.err.read().decode(errors='replace')

    def memory(self):
        """(VmRSS, VmHWM) in KiB from /proc/PID/status."""
        with open('/proc/%d/status' % self.proc.pid) as f:
            fields = dict(line.split(':', 1) for line in f)
        return tuple(int(fields[k].split()[0]) for k in ('VmRSS', 'VmHWM'))


class Nginx:
    """nginx in the foreground, serving body as TMP/www/heart.svg with heart's headers."""

    def __init__(self, nginx, workers, cpus, connections, body, headers):
        self.nginx, self.workers, self.cpus, self.body = nginx, workers, cpus, body
        self.connections = max(8192, 2 * connections)  # each worker: clients + spare
        # The same response headers as heart's (a), so both answer about as many bytes.
        keep = ('cache-control', 'x-content-type-options', 'content-security-policy',
                'accept-ch', 'vary')
        self.headers = '\n'.join('        add_header %s "%s" always;' % (k, v)
                                 for k, v in headers.items() if k in keep)

    def __enter__(self):
        self.tmp = tempfile.mkdtemp(prefix='heart-bench-nginx.')
        os.chmod(self.tmp, 0o755)  # as root, nginx's workers run as nobody
        os.mkdir(os.path.join(self.tmp, 'www'))
        with open(os.path.join(self.tmp, 'www', 'heart.svg'), 'wb') as f:
            f.write(self.body)
        self.port = free_port()
        conf = os.path.join(self.tmp, 'nginx.conf')
        with open(conf, 'w') as f:
            f.write(NGINX_CONF.format(workers=self.workers, tmp=self.tmp, port=self.port,
                                      connections=self.connections, headers=self.headers))
        self.proc = subprocess.Popen(
            taskset(self.cpus) + [self.nginx, '-p', self.tmp, '-c', conf,
                                  '-e', os.path.join(self.tmp, 'error.log'), '-g', 'daemon off;'],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(('127.0.0.1', self.port), 1).close()
                return self
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.__exit__(None, None, None)
                    sys.exit('nginx did not start (free port %d taken?)' % self.port)
                time.sleep(0.01)

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: workers finish, then exit
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)
        return False

    name = 'nginx'

    def pids(self):
        return children(self.proc.pid)

    def log(self):
        with open(os.path.join(self.tmp, 'error.log'), errors='replace') as f:
            return f.read()


def check_keepalive(port, path):
    """Two GETs on one connection: (status, headers, body) of the second; exits unless both are
    200 and the connection stayed open."""
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    try:
        for i in range(2):
            conn.request('GET', path)
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                sys.exit('GET %s on port %d: %d' % (path, port, r.status))
            if i == 0:
                sock = conn.sock
                if r.will_close or sock is None:
                    sys.exit('GET %s on port %d closes the connection (%s): keep-alive is '
                             'broken, the benchmark would measure connects' %
                             (path, port, r.getheader('Connection')))
        if conn.sock is not sock:
            sys.exit('GET %s on port %d: the second request needed a new connection' %
                     (path, port))
        return r.status, {k.lower(): v for k, v in r.getheaders()}, body
    finally:
        conn.close()


def cpu_seconds(pids):
    """CPU time (user + system) of the processes pids, all their threads, in seconds."""
    total = 0
    for pid in pids:
        try:
            with open('/proc/%d/stat' % pid) as f:
                fields = f.read().rpartition(')')[2].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf('SC_CLK_TCK')


def children(pid):
    """pid and its child processes (nginx's workers)."""
    pids = [pid]
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open('/proc/%s/stat' % entry) as f:
                    if int(f.read().rpartition(')')[2].split()[1]) == pid:
                        pids.append(int(entry))
            except (FileNotFoundError, ProcessLookupError):
                pass
    return pids


def time_wait(port):
    """Loopback TCP connections to or from port that are closed and waiting (TIME_WAIT): a
    keep-alive run leaves about one per wrk connection, a server that closes one per request."""
    hexport = ':%04X' % port
    with open('/proc/net/tcp') as f:
        next(f)
        return sum(1 for line in f if line.split()[3] == '06' and
                   hexport in (line.split()[1][-5:], line.split()[2][-5:]))


def busy_seconds():
    """CPU time the whole machine spent in user and system mode, in seconds."""
    with open('/proc/stat') as f:
        user, nice, system = map(int, f.readline().split()[1:4])
    return (user + nice + system) / os.sysconf('SC_CLK_TCK')


def wrk(args, server, path, duration, lua_args=(), memory_limit=False):
    """One wrk run against server (a Heart or Nginx); returns the RESULT fields as a dict of
    ints (latencies in µs), req/s, and the CPU seconds per second that the server, wrk and the
    rest of the machine used during the run."""
    argv = taskset(args.wrk_cpus) + [
        args.wrk, '-t', str(args.wrk_threads), '-c', str(args.connections), '-d',
        '%ds' % duration, '--latency', '-s', args.lua,
        'http://127.0.0.1:%d%s' % (server.port, path)]
    if lua_args:
        argv += ['--'] + [str(a) for a in lua_args]
    pids = server.pids()
    closed = time_wait(server.port)
    before = (time.monotonic(), busy_seconds(), cpu_seconds(pids),
              resource.getrusage(resource.RUSAGE_CHILDREN))
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    try:
        out = []
        stopped = 0
        for line in proc.stdout:
            out.append(line.decode(errors='replace'))
            if memory_limit and line == b'stopped\n':
                stopped += 1
                if stopped == args.wrk_threads:
                    proc.send_signal(signal.SIGINT)  # wrk then prints its summary
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    after = (time.monotonic(), busy_seconds(), cpu_seconds(pids),
             resource.getrusage(resource.RUSAGE_CHILDREN))
    if server.proc.poll() is not None:
        sys.exit('%s exited (status %d) during wrk on %s:\n%s' % (
            server.name, server.proc.returncode, path, server.log()[-2000:]))
    result = [l for l in out if l.startswith('RESULT ')]
    if proc.returncode != 0 or not result:
        sys.exit('wrk failed (%d):\n%s' % (proc.returncode, ''.join(out)))
    r = {k: int(v) for k, v in (f.split('=') for f in result[-1].split()[1:])}
    r['rps'] = r['requests'] / (r['duration_us'] / 1e6)
    wall = after[0] - before[0]
    r['cpu_server'] = (after[2] - before[2]) / wall
    r['cpu_wrk'] = (after[3].ru_utime + after[3].ru_stime -
                    before[3].ru_utime - before[3].ru_stime) / wall
    r['cpu_other'] = max(0, (after[1] - before[1]) / wall - r['cpu_server'] - r['cpu_wrk'])
    r['closed'] = max(0, time_wait(server.port) - closed)
    if r['closed'] > 2 * args.connections:
        print('  warning: %d connections closed during %d requests on %s: keep-alive broken?' %
              (r['closed'], r['requests'], path))
    errors = {k: r[k] for k in ('connect', 'read', 'write', 'status', 'timeout') if r[k]}
    if errors:
        print('  warning: wrk reports errors on %s: %s' % (path, errors))
    return r


def ms(us):
    return '%.2f ms' % (us / 1e3)


def loadavg():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


def choose_cpus(args):
    """--pin auto: the server on the first T CPUs and wrk on the last W when there are enough,
    else no pinning (server and wrk share every CPU)."""
    cpus = sorted(os.sched_getaffinity(0))
    if args.pin == 'none':
        return None, None, 'not pinned: server and wrk share all %d CPUs' % len(cpus)
    if args.pin != 'auto':
        server, _, client = args.pin.partition(':')
        return server, client, 'pinned: server on CPU %s, wrk on CPU %s' % (server, client)
    if args.threads + args.wrk_threads > len(cpus) or not shutil.which('taskset'):
        return None, None, ('not pinned: %d server + %d wrk threads on %d CPUs' %
                            (args.threads, args.wrk_threads, len(cpus)))
    server = ','.join(map(str, cpus[:args.threads]))
    client = ','.join(map(str, cpus[-args.wrk_threads:]))
    return server, client, 'pinned (taskset): server on CPU %s, wrk on CPU %s' % (server, client)


def benchmark(args):
    with Heart(args.heart, args.threads, args.server_cpus, args.connections) as heart:
        _, headers, body = check_keepalive(heart.port, ROUTES[0][1])
        for _, path in ROUTES[1:]:
            check_keepalive(heart.port, path)
        with Nginx(args.nginx, args.threads, args.server_cpus, args.connections, body,
                   headers) as nginx:
            _, _, nginx_body = check_keepalive(nginx.port, ROUTES[0][1])
            if nginx_body != body:
                sys.exit('nginx does not serve the bytes of (a)')
            rows = [(label, heart, path) for label, path in ROUTES]
            rows.insert(1, (NGINX_LABEL, nginx, ROUTES[0][1]))  # alternate heart, nginx
            for _, server, path in rows:  # warm-up, not counted
                wrk(args, server, path, 1)
            best = {}
            for run in range(1, args.runs + 1):
                for label, server, path in rows:
                    r = wrk(args, server, path, args.duration)
                    print('run %d  %-36s %6.0f req/s  p50 %s  p90 %s  p99 %s  max %s  %d '
                          'requests, %.0f B/response, %d connections closed; CPU cores: server '
                          '%.2f, wrk %.2f, other %.2f' % (
                              run, label, r['rps'], ms(r['p50']), ms(r['p90']), ms(r['p99']),
                              ms(r['max']), r['requests'], r['bytes'] / r['requests'],
                              r['closed'], r['cpu_server'], r['cpu_wrk'], r['cpu_other']),
                          flush=True)
                    if label not in best or r['rps'] > best[label]['rps']:
                        best[label] = r
    if heart.status != 0:
        print('warning: heart serve exited %d after SIGTERM' % heart.status)
    return rows, best


def report(args, rows, best, load_before):
    nginx = best[NGINX_LABEL]['rps']
    print()
    print('| route | req/s | p50 | p90 | p99 | / nginx static | server CPU µs/request | '
          'bytes/response | CPU cores: server, wrk, other |')
    print('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for label, _, path in sorted(rows, key=lambda row: row[0]):
        r = best[label]
        print('| %s `%s` | %.0f | %s | %s | %s | %.2f | %.1f | %.0f | %.2f, %.2f, %.2f |' % (
            label, path, r['rps'], ms(r['p50']), ms(r['p90']), ms(r['p99']), r['rps'] / nginx,
            r['cpu_server'] / r['rps'] * 1e6, r['bytes'] / r['requests'], r['cpu_server'],
            r['cpu_wrk'], r['cpu_other']))
    a = best[ROUTES[0][0]]['rps']
    print()
    print('(a) / the original service (%d req/s): %.2f' % (ORIGINAL_RPS, a / ORIGINAL_RPS))
    print()
    print('Best of %d runs of %d s each (by req/s; that run\'s percentiles), routes alternating.' %
          (args.runs, args.duration))
    print('heart serve --quiet --threads %d; nginx worker_processes %d, access_log off, '
          'keepalive_requests 1000000 (heart keeps a connection open for as many requests as it '
          'sends; nginx\'s default would close it every 1000), open_file_cache and sendfile off '
          '(its fastest for one small file), heart\'s response headers added.' %
          (args.threads, args.threads))
    print('wrk -t%d -c%d --latency, keep-alive, 127.0.0.1; %s. The load generator competes with '
          'the server for this machine\'s %d CPUs, so these figures are a floor for both servers.'
          % (args.wrk_threads, args.connections, args.pin_note, os.cpu_count()))
    print('Server CPU µs/request (its CPU time over its requests) depends less on the load '
          'generator than req/s does; wrk near %d.00 cores means wrk, not the server, was the '
          'limit.' % args.wrk_threads)
    print('Load average before / after: %s / %s. "other" is the CPU the rest of the machine used '
          'during the run (kernel work outside the two processes included): noise.' %
          (load_before, loadavg()))
    print('wrk is closed-loop: a connection sends its next request only when the previous answer '
          'came, so under load its percentiles are optimistic (coordinated omission).')
    busiest = max(r['cpu_other'] for r in best.values())
    if busiest > 0.2:
        print('warning: other work used up to %.2f of the %d CPUs during these runs: run again '
              'when the machine is quiet' % (busiest, os.cpu_count()))


def memory(args):
    paths = [path for _, path in ROUTES]
    first = min(100000, args.memory)
    with Heart(args.heart, args.threads, args.server_cpus, args.connections) as heart:
        for path in paths:
            check_keepalive(heart.port, path)
        print('heart serve --quiet --threads %d, %d requests cycling %s; wrk -t%d -c%d; %s' % (
            args.threads, args.memory, ' '.join(paths), args.wrk_threads, args.connections,
            args.pin_note))
        print('%-22s %12s %12s' % ('', 'VmRSS KiB', 'VmHWM KiB'))
        print('%-22s %12d %12d' % (('after startup',) + heart.memory()), flush=True)
        done = 0
        for n in (first, args.memory - first):
            if n <= 0:
                continue
            per_thread = -(-n // args.wrk_threads)
            r = wrk(args, heart, paths[0], 86400, [per_thread] + paths, memory_limit=True)
            done += r['requests']
            print('%-22s %12d %12d   (%.0f req/s, %d not 200, %d Connection: close)' % (
                (('after %d requests' % done,) + heart.memory()) +
                (r['rps'], r['bad'], r['closes'])), flush=True)
            if r['bad'] or r['closes']:
                print('warning: responses that are not 200 or close the connection')
    if heart.status != 0:
        print('warning: heart serve exited %d after SIGTERM' % heart.status)


def interrupted(signum, frame):
    # SIGTERM as Ctrl-C: unwinds through the with blocks, which stop the servers.
    raise KeyboardInterrupt


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('heart', help='the heart binary')
    p.add_argument('--threads', type=int, default=1,
                   help="heart serve --threads and nginx's worker_processes (default 1)")
    p.add_argument('--runs', type=int, default=3, help='best of RUNS (default 3)')
    p.add_argument('--duration', type=int, default=10, help='seconds per wrk run (default 10)')
    p.add_argument('--wrk-threads', type=int, default=1, help='wrk -t (default 1)')
    p.add_argument('--connections', type=int, default=64, help='wrk -c (default 64)')
    p.add_argument('--pin', default='auto',
                   help='SERVER_CPUS:WRK_CPUS for taskset -c, "none", or "auto" (default: '
                        'server and wrk on CPUs of their own when there are enough)')
    p.add_argument('--memory', type=int, nargs='?', const=1000000, metavar='REQUESTS',
                   help='memory check instead of the benchmark (default 1000000 requests)')
    args = p.parse_args()
    args.wrk = shutil.which('wrk')
    args.nginx = shutil.which('nginx') or shutil.which('nginx', path='/usr/sbin:/sbin')
    if not args.wrk or (not args.nginx and args.memory is None):
        sys.exit('wrk or nginx not found: run scripts/setup.sh --bench (Debian wrk, nginx-light)')
    args.server_cpus, args.wrk_cpus, args.pin_note = choose_cpus(args)
    signal.signal(signal.SIGTERM, interrupted)
    load_before = loadavg()
    with tempfile.NamedTemporaryFile('w', suffix='.lua') as lua:
        lua.write(WRK_LUA)
        lua.flush()
        args.lua = lua.name
        try:
            if args.memory is not None:
                memory(args)
            else:
                rows, best = benchmark(args)
                report(args, rows, best, load_before)
        except KeyboardInterrupt:
            sys.exit('bench_serve: interrupted (servers stopped)')


if __name__ == '__main__':
    main()
