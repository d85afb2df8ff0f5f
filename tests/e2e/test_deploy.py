"""heart serve deployed: the systemd unit `meson install` gives passes systemd-analyze and
carries its sandbox; nginx with deploy/nginx-heart.conf in front of heart serve draws each
picture once and sends heart what it must not keep."""
import grp
import http.client
import json
import os
import pwd
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import heartlib
from heartlib import BUILD_ROOT, SOURCE_ROOT
from servelib import Server
import unitsandbox

NGINX = '/usr/sbin/nginx'

# What the unit must say, each exactly once: the sandbox, and how systemd stops and restarts it.
UNIT_SERVICE = {
    'Type': 'exec',
    'DynamicUser': 'yes',
    'ProtectSystem': 'strict',
    'ProtectHome': 'yes',
    'PrivateTmp': 'yes',
    'PrivateDevices': 'yes',
    'NoNewPrivileges': 'yes',
    'CapabilityBoundingSet': '',
    'AmbientCapabilities': '',
    'RestrictAddressFamilies': 'AF_INET AF_INET6 AF_UNIX',
    'RestrictNamespaces': 'yes',
    'LockPersonality': 'yes',
    'MemoryDenyWriteExecute': 'yes',
    'SystemCallArchitectures': 'native',
    'ProtectKernelTunables': 'yes',
    'ProtectKernelModules': 'yes',
    'ProtectKernelLogs': 'yes',
    'ProtectControlGroups': 'yes',
    'ProtectClock': 'yes',
    'ProtectHostname': 'yes',
    'RestrictRealtime': 'yes',
    'RestrictSUIDSGID': 'yes',
    'UMask': '0077',
    'KillSignal': 'SIGTERM',
    'Restart': 'on-failure',
}


def parse_unit(text):
    """{section: [(key, value), ...]} in file order; repeated keys stay repeated."""
    sections, current = {}, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in '#;':
            continue
        m = re.fullmatch(r'\[(\w+)\]', line)
        if m:
            current = sections.setdefault(m.group(1), [])
            continue
        key, sep, value = line.partition('=')
        assert sep and current is not None, line
        current.append((key.strip(), value.strip()))
    return sections


def serve_default(option):
    """The default `heart serve --help` gives for a number of seconds."""
    out = heartlib.run('serve', '--help').stdout.decode()
    # The option's entry in the table, up to the next option.
    m = re.search(r'^ +%s S\b(?:(?!\n +-).)*?\(default (\d+)\)' % option, out, re.S | re.M)
    assert m, out
    return int(m.group(1))


def build_option(name):
    options = json.loads(subprocess.run(['meson', 'introspect', '--buildoptions', BUILD_ROOT],
                                        stdout=subprocess.PIPE, check=True).stdout)
    return [o['value'] for o in options if o['name'] == name][0]


class Unit(heartlib.HeartTest):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dest = cls.tmp.name
        r = subprocess.run(['meson', 'install', '-C', BUILD_ROOT, '--no-rebuild', '--quiet',
                            '--destdir', cls.dest], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        assert r.returncode == 0, r.stdout
        cls.prefix = build_option('prefix')
        cls.bindir = os.path.join(cls.prefix, build_option('bindir'))
        cls.unit_path = cls.root(cls.prefix + '/lib/systemd/system/heart-serve.service')
        with open(cls.unit_path) as f:
            cls.text = f.read()
        cls.unit = parse_unit(cls.text)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def root(cls, path):
        return os.path.join(cls.dest, path.lstrip('/'))

    def service(self, key):
        return [v for k, v in self.unit['Service'] if k == key]

    def test_exec_start_is_the_installed_binary(self):
        (exec_start,) = self.service('ExecStart')
        argv = exec_start.split()
        self.assertEqual(argv[:4], [self.bindir + '/heart', 'serve', '--listen',
                                    '127.0.0.1:8080'])
        self.assertTrue(os.access(self.root(argv[0]), os.X_OK))
        # Logs go to the journal: not --quiet.
        self.assertNotIn('--quiet', argv)

    def test_verify_is_silent(self):
        # systemd-analyze verify checks that ExecStart's binary is executable and that
        # Documentation=man:heart(1) resolves, both on this machine, not in the install tree
        # (--root would look for sysinit.target and the rest of systemd there too). So verify
        # a copy that differs from the installed unit only in the binary's directory, with
        # MANPATH on the tree's manual pages.
        copy = os.path.join(self.dest, 'heart-serve.service')
        text, n = re.subn(r'^ExecStart=%s/heart ' % re.escape(self.bindir),
                          'ExecStart=%s/heart ' % self.root(self.bindir), self.text, flags=re.M)
        self.assertEqual(n, 1)
        with open(copy, 'w') as f:
            f.write(text)
        env = dict(os.environ, MANPATH=self.root(self.prefix + '/share/man'))
        r = subprocess.run(['systemd-analyze', 'verify', copy], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, env=env)
        self.assertEqual((r.returncode, r.stdout.decode()), (0, ''))
        # Without the manual page the same check complains: the empty output above means
        # something.
        r = subprocess.run(['systemd-analyze', 'verify', copy], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT,
                           env=dict(os.environ, MANPATH=os.path.join(self.dest, 'none')))
        self.assertIn(b'man heart(1)', r.stdout)

    def test_sandbox_directives(self):
        for key, want in UNIT_SERVICE.items():
            with self.subTest(key=key):
                self.assertEqual(self.service(key), [want])
        self.assertEqual(self.service('SystemCallFilter')[0], '@system-service')
        self.assertTrue(all(v.startswith('~') for v in self.service('SystemCallFilter')[1:]))
        # systemd's own reading of the sandbox: `systemd-analyze security` rates the exposure
        # 0.0 (locked down) to 10.0; --threshold is that times ten. 2.0 is the top of "OK".
        r = subprocess.run(['systemd-analyze', 'security', '--offline=yes', '--threshold=20',
                            self.unit_path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.assertEqual(r.returncode, 0, r.stdout.decode())
        self.assertRegex(r.stdout.decode(), r'Overall exposure level for heart-serve.service: '
                         r'[01]\.\d')

    def test_stop_waits_longer_than_the_drain(self):
        # SIGKILL must not cut a drain short: TimeoutStopSec above heart's --drain-timeout.
        (stop,) = self.service('TimeoutStopSec')
        self.assertGreater(int(stop), serve_default('--drain-timeout'))


# Calls the unit's sandbox refuses, each harmless where it is allowed; prints what each gave.
PROBE = r"""
import errno, mmap, os, socket
def attempt(call):
    try:
        call()
        return 'ok'
    except OSError as e:
        return errno.errorcode[e.errno]
print(attempt(lambda: socket.socket(socket.AF_INET6).close()),
      attempt(lambda: socket.socket(socket.AF_UNIX).close()),
      attempt(lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW).close()),
      attempt(lambda: mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE).close()),
      attempt(lambda: mmap.mmap(-1, 4096, prot=mmap.PROT_WRITE | mmap.PROT_EXEC).close()),
      attempt(lambda: os.setuid(os.getuid())),
      attempt(lambda: os.sched_setaffinity(0, os.sched_getaffinity(0))))
"""


class Sandbox(heartlib.HeartTest):
    """heart serve inside the seccomp part of the unit's sandbox (SystemCallFilter=,
    RestrictAddressFamilies=, MemoryDenyWriteExecute=; unitsandbox.py), since systemd itself
    cannot start the unit here: a call the filter refuses must not break a request or the
    drain."""

    @classmethod
    def setUpClass(cls):
        with open(os.path.join(BUILD_ROOT, 'deploy', 'heart-serve.service')) as f:
            cls.sandbox = unitsandbox.Sandbox(parse_unit(f.read())['Service'])

    def test_the_sandbox_refuses(self):
        # What heart runs inside below is the unit's sandbox, not nothing.
        run = lambda **kw: subprocess.run([sys.executable, '-c', PROBE], stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, **kw)
        r = run()
        self.assertEqual((r.returncode, r.stdout.split(), r.stderr), (0, [b'ok'] * 7, b''))
        r = run(preexec_fn=self.sandbox.load)
        self.assertEqual((r.returncode, r.stderr), (0, b''))
        self.assertEqual(r.stdout.decode().split(),
                         ['ok', 'ok', 'EAFNOSUPPORT', 'ok', 'EPERM', 'EPERM', 'EPERM'])

    def test_heart_serves_and_drains_inside(self):
        env = {}
        if os.environ.get('SANITIZED', 'none') not in ('', 'none'):
            # LeakSanitizer stops the threads with ptrace(), which the filter refuses; the
            # other serve tests check for leaks.
            env['ASAN_OPTIONS'] = os.environ.get('ASAN_OPTIONS', '') + ':detect_leaks=0'
        with Server('--threads', '2', env=env, preexec_fn=self.sandbox.load) as s:
            for target, ctype in (('/heart.svg?color=red', 'image/svg+xml'),
                                  ('/heart.svg?animate=true&bpm=90', 'image/svg+xml'),
                                  ('/heart.png?size=512&color=%23ff8800', 'image/png'),
                                  ('/metrics', 'text/plain; version=0.0.4; charset=utf-8'),
                                  ('/healthz', 'text/plain; charset=utf-8'),
                                  ('/readyz', 'text/plain; charset=utf-8'),
                                  ('/openapi.json', 'application/json')):
                with self.subTest(target=target):
                    status, headers, body = s.get(target)
                    self.assertEqual((status, headers['content-type']), (200, ctype), body)
                    self.assertEqual(int(headers['content-length']), len(body))
            status, headers, _ = s.get('/heart.svg?color=red')
            self.assertEqual(s.get('/heart.svg?color=red',
                                   {'If-None-Match': headers['etag']})[0], 304)
            self.assertEqual(s.get('/heart.svg?colour=red')[0], 400)
        # Leaving the block: SIGTERM, and servelib asserts exit status 0.


def free_ports(count):
    """count distinct loopback ports nothing listens on (all held open until all are chosen,
    so that the kernel cannot hand out one twice)."""
    socks = [socket.socket() for _ in range(count)]
    try:
        for s in socks:
            s.bind(('127.0.0.1', 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def shipped_site(heart_port, listen_port, cache_dir):
    """deploy/nginx-heart.conf with the places a deployment changes moved into the test:
    heart's address, nginx's own, the cache directory."""
    with open(os.path.join(SOURCE_ROOT, 'deploy', 'nginx-heart.conf')) as f:
        text = f.read()
    for old, new in (('server 127.0.0.1:8080;', 'server 127.0.0.1:%d;' % heart_port),
                     ('listen 80;', 'listen 127.0.0.1:%d;' % listen_port),
                     ('listen [::]:80;', ''),
                     ('proxy_cache_path /var/cache/nginx/heart ',
                      'proxy_cache_path %s ' % cache_dir)):
        assert text.count(old) == 1, (old, text.count(old))
        text = text.replace(old, new)
    return text


class Nginx:
    """nginx in the foreground with deploy/nginx-heart.conf in front of a heartlib Server,
    everything it writes inside a temporary directory, on free loopback ports; leaving the
    block stops it gracefully (SIGQUIT) and checks that it logged no error."""

    def __init__(self, server):
        self.server = server

    def __enter__(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.cache = os.path.join(self.dir, 'cache')
        for attempt in range(5):
            self.port, self.status_port = free_ports(2)
            if self._start():
                return self
            # Another process took a port between free_ports() and nginx's bind.
            if 'Address already in use' not in self.error_log():
                break
        raise AssertionError('nginx did not start: ' + self.error_log())

    def _conf(self):
        d = self.dir
        user = ''
        if os.geteuid() == 0:
            # As root, nginx's workers take the user named here; they write the cache.
            nobody = pwd.getpwnam('nobody')
            user = 'user nobody %s;' % grp.getgrgid(nobody.pw_gid).gr_name
            os.chmod(d, 0o755)
        with open(os.path.join(d, 'heart.conf'), 'w') as f:
            f.write(shipped_site(self.server.port, self.port, self.cache))
        temp = ''.join('%s_temp_path %s/%s;\n' % (t, d, t)
                       for t in ('client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'))
        conf = '''%(user)s
worker_processes 1;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log info;
events { worker_connections 128; }
http {
    access_log %(d)s/access.log;
    %(temp)s
    # No timing in the tests: requests waiting on the cache lock never give up on it.
    proxy_cache_lock_timeout 1h;
    proxy_cache_lock_age 1h;
    include %(d)s/heart.conf;
    server {
        listen 127.0.0.1:%(status)d;
        location = /status { stub_status; }
    }
}
''' % {'user': user, 'd': d, 'temp': temp, 'status': self.status_port}
        path = os.path.join(d, 'nginx.conf')
        with open(path, 'w') as f:
            f.write(conf)
        return path

    def command(self, *extra):
        return [NGINX, '-p', self.dir + '/', '-e', os.path.join(self.dir, 'error.log'),
                '-c', self._conf()] + list(extra)

    def _start(self):
        for name in ('error.log', 'nginx.pid'):
            if os.path.exists(os.path.join(self.dir, name)):
                os.unlink(os.path.join(self.dir, name))
        self.proc = subprocess.Popen(self.command('-g', 'daemon off;'),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        while True:
            if self.proc.poll() is not None:
                return False
            try:
                socket.create_connection(('127.0.0.1', self.port)).close()
                socket.create_connection(('127.0.0.1', self.status_port)).close()
                return True
            except ConnectionRefusedError:
                time.sleep(0.01)

    def error_log(self):
        try:
            with open(os.path.join(self.dir, 'error.log'), errors='replace') as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def __exit__(self, exc_type, exc, tb):
        try:
            self.proc.send_signal(signal.SIGQUIT)
            status = self.proc.wait(60)
            log = self.error_log()
            if exc_type is None:
                assert status == 0, 'nginx exited %d: %s' % (status, log)
                bad = [l for l in log.splitlines()
                       if re.search(r"\[(error|crit|alert|emerg)\]", l)]
                assert not bad, log
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.tmp.cleanup()
        return False

    def request(self, target, headers=None, method='GET'):
        """One request on a new connection: (status, headers with lower-case names, body)."""
        conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=120)
        try:
            conn.request(method, target, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def writing(self):
        """How many requests nginx is handling (stub_status "Writing:"), this one included."""
        conn = http.client.HTTPConnection('127.0.0.1', self.status_port, timeout=120)
        try:
            conn.request('GET', '/status')
            text = conn.getresponse().read().decode()
        finally:
            conn.close()
        return int(re.search(r'Writing: (\d+)', text).group(1))


def heart_requests(server, target):
    """How many times heart logged a request for target (Common Log Format)."""
    return len(re.findall(rb'"(?:GET|HEAD) ' + re.escape(target.encode()) + rb' HTTP/1\.[01]"',
                          server.log()))


class Edge(heartlib.HeartTest):
    def test_config_passes_nginx_t(self):
        with Server('--quiet') as s, Nginx(s) as n:
            r = subprocess.run(n.command('-t'), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            self.assertEqual(r.returncode, 0, r.stdout)
            self.assertIn(b'test is successful', r.stdout)

    def test_idle_connections_close_on_nginx_side_first(self):
        with open(os.path.join(SOURCE_ROOT, 'deploy', 'nginx-heart.conf')) as f:
            upstream = re.search(r'\nupstream heart \{(.*?)\n\}', f.read(), re.S).group(1)
        seconds = re.findall(r'\n +keepalive_timeout (\d+)s;', upstream)
        self.assertEqual(len(seconds), 1, upstream)
        self.assertLess(int(seconds[0]), serve_default('--timeout'))

    def test_second_request_is_a_hit(self):
        with Server() as s, Nginx(s) as n:
            target = '/heart.svg?color=red'
            status1, h1, body1 = n.request(target)
            self.assertEqual((status1, h1['x-cache-status']), (200, 'MISS'))
            status2, h2, body2 = n.request(target)
            self.assertEqual((status2, h2['x-cache-status']), (200, 'HIT'))
            self.assertEqual(body2, body1)
            for name in ('etag', 'content-type', 'cache-control', 'content-security-policy',
                         'x-content-type-options', 'vary'):
                self.assertEqual(h2.get(name), h1.get(name), name)
            self.assertRegex(h1['etag'], r'^"[0-9a-f]{32}"$')
            self.assertEqual(h1['cache-control'], 'public, max-age=31536000, immutable')
            # A revalidation nginx answers itself.
            status3, h3, body3 = n.request(target, {'If-None-Match': h1['etag']})
            self.assertEqual((status3, body3), (304, b''))
            self.assertEqual(h3['etag'], h1['etag'])
            # HEAD is answered from the same entry.
            status4, h4, body4 = n.request(target, method='HEAD')
            self.assertEqual((status4, h4['x-cache-status'], body4), (200, 'HIT', b''))
            self.assertEqual(heart_requests(s, target), 1, s.log())
            # The query string is part of the key.
            status, h, body = n.request('/heart.svg?color=blue')
            self.assertEqual((status, h['x-cache-status']), (200, 'MISS'))
            self.assertNotEqual(h['etag'], h1['etag'])
            self.assertEqual(heart_requests(s, '/heart.svg?color=blue'), 1, s.log())
            self.assertEqual(heart_requests(s, target), 1, s.log())

    def test_emptied_cache_refills(self):
        # What the site's comment says to do after upgrading heart.
        with Server() as s, Nginx(s) as n:
            target = '/heart.png?size=32'
            self.assertEqual([n.request(target)[1]['x-cache-status'] for _ in range(2)],
                             ['MISS', 'HIT'])
            r = subprocess.run(['find', n.cache, '-type', 'f', '-delete', '-print'],
                               stdout=subprocess.PIPE, check=True)
            self.assertEqual(len(r.stdout.splitlines()), 1, r.stdout)
            self.assertEqual([n.request(target)[1]['x-cache-status'] for _ in range(2)],
                             ['MISS', 'HIT'])
            self.assertEqual(heart_requests(s, target), 2, s.log())

    def test_reduced_motion_gets_its_own_entry(self):
        # heart answers "Sec-CH-Prefers-Reduced-Motion: reduce" with the still heart and says
        # Vary: nginx must keep the two apart.
        reduce = {'Sec-CH-Prefers-Reduced-Motion': 'reduce'}
        with Server() as s, Nginx(s) as n:
            target = '/heart.svg?animate=true'
            seen = [n.request(target), n.request(target, reduce), n.request(target),
                    n.request(target, reduce)]
            self.assertEqual([h['x-cache-status'] for _, h, _ in seen],
                             ['MISS', 'MISS', 'HIT', 'HIT'])
            self.assertEqual(heart_requests(s, target), 2, s.log())
            # Each is what heart itself answers to that request, and they differ.
            self.assertEqual([b for _, _, b in seen],
                             [s.get(target)[2], s.get(target, reduce)[2]] * 2)
            self.assertNotEqual(seen[0][2], seen[1][2])

    def test_consent_gets_its_own_entry(self):
        # heart serve --require-consent answers the animated heart only with consent and says
        # Vary: X-User-Consent; nginx keys its entries by the headers Vary names, so the
        # site's cache key stays the request (no header in it). A consenting visitor's
        # animated heart must never reach one who did not consent, nor the other way round.
        granted = {'X-User-Consent': 'heart-animation=granted'}
        denied = {'X-User-Consent': 'heart-animation=denied'}
        with Server('--require-consent') as s, Nginx(s) as n:
            target = '/heart.svg?animate=true&bpm=90'
            seen = [n.request(target, granted), n.request(target), n.request(target, granted),
                    n.request(target), n.request(target, denied)]
            self.assertEqual([h['x-cache-status'] for _, h, _ in seen],
                             ['MISS', 'MISS', 'HIT', 'HIT', 'MISS'])
            self.assertEqual(heart_requests(s, target), 3, s.log())
            moving, still = s.get(target, granted)[2], s.get(target)[2]
            self.assertIn(b'@keyframes', moving)
            self.assertNotIn(b'@keyframes', still)
            self.assertEqual([b for _, _, b in seen], [moving, still, moving, still, still])
            for _, h, _ in seen:
                self.assertEqual(h['vary'], 'Sec-CH-Prefers-Reduced-Motion, X-User-Consent')

    def test_errors_are_not_kept(self):
        with Server() as s, Nginx(s) as n:
            target = '/heart.svg?colour=red'
            answers = [n.request(target) for _ in range(2)]
            for status, h, body in answers:
                self.assertEqual((status, h['x-cache-status']), (400, 'MISS'))
                self.assertTrue(body.startswith(b'unknown parameter'), body)
                self.assertEqual(h['cache-control'], 'no-store')
            self.assertEqual(heart_requests(s, target), 2, s.log())
            for _ in range(2):
                status, h, body = n.request('/nothing')
                self.assertEqual((status, h['x-cache-status']), (404, 'MISS'))
            self.assertEqual(heart_requests(s, '/nothing'), 2, s.log())

    def test_health_goes_to_heart_every_time(self):
        # A load balancer that checks through nginx must see heart's answer, not a kept one.
        with Server() as s, Nginx(s) as n:
            for path, body in (('/healthz', b'ok\n'), ('/readyz', b'ready\n')):
                for _ in range(2):
                    self.assertEqual(n.request(path)[::2], (200, body))
                self.assertEqual(heart_requests(s, path), 2, s.log())

    def test_metrics_stay_per_instance(self):
        with Server() as s, Nginx(s) as n:
            self.assertEqual(n.request('/metrics')[0], 404)
            self.assertEqual(heart_requests(s, '/metrics'), 0, s.log())
            self.assertEqual(s.get('/metrics')[0], 200)

    def test_concurrent_misses_make_one_request(self):
        # heart is stopped while the requests come in, so all of them are in nginx at once;
        # the cache lock sends one to heart and the others wait for its answer.
        count = 8
        target = '/heart.svg?color=teal&size=64'
        with Server() as s, Nginx(s) as n:
            results = [None] * count

            def fetch(i):
                try:
                    results[i] = n.request(target)
                except Exception as e:
                    results[i] = e

            threads = [threading.Thread(target=fetch, args=(i,)) for i in range(count)]
            os.kill(s.proc.pid, signal.SIGSTOP)
            try:
                wait_stopped(s.proc.pid)
                for t in threads:
                    t.start()
                while n.writing() < count + 1:
                    # A request that ends here ended without heart: fail, not wait forever.
                    self.assertTrue(all(t.is_alive() for t in threads), results)
                    time.sleep(0.01)
            finally:
                os.kill(s.proc.pid, signal.SIGCONT)
            for t in threads:
                t.join()
            self.assertEqual(heart_requests(s, target), 1, s.log())
            statuses = sorted(r[1]['x-cache-status'] for r in results)
            self.assertEqual(statuses, ['HIT'] * (count - 1) + ['MISS'])
            self.assertEqual({(r[0], r[2]) for r in results}, {(200, results[0][2])})

    def test_one_kept_alive_connection_to_heart(self):
        with Server() as s, Nginx(s) as n:
            ports = set()
            for i in range(5):
                self.assertEqual(n.request('/heart.svg?size=%d' % (i + 16))[0], 200)
                ports |= connections_to(s.port)
            self.assertEqual(len(ports), 1, ports)
            self.assertEqual(len(re.findall(rb'"GET /heart\.svg\?size=', s.log())), 5)


def wait_stopped(pid):
    """Returns once every thread of pid is stopped: kill() only queues the SIGSTOP."""
    while True:
        states = set()
        for task in os.listdir('/proc/%d/task' % pid):
            try:
                with open('/proc/%d/task/%s/stat' % (pid, task)) as f:
                    states.add(f.read().rsplit(')', 1)[1].split()[0])
            except FileNotFoundError:
                pass  # a thread that ended
        if states == {'T'}:
            return
        time.sleep(0.001)


def connections_to(port):
    """Local ports of the established IPv4 TCP connections to 127.0.0.1:port."""
    found = set()
    with open('/proc/net/tcp') as f:
        next(f)
        for line in f:
            fields = line.split()
            local, remote, state = fields[1], fields[2], fields[3]
            if remote == '0100007F:%04X' % port and state == '01':
                found.add(int(local.split(':')[1], 16))
    return found


if __name__ == '__main__':
    heartlib.main()
