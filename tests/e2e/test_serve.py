"""heart serve end to end: the real binary on 127.0.0.1, driven with curl, Python's HTTP client
and raw sockets: routes, bytes, headers, refusals (hostile input never echoed), metrics
(promtool), limits, the log and the drain on SIGTERM."""
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import unittest
import urllib.parse

from heartlib import HEART, HeartTest, main, run
from servelib import Server


def curl(*args):
    """curl's (stdout, stderr); curl must exist (setup.sh installs it)."""
    exe = shutil.which('curl')
    if not exe:
        raise AssertionError('curl is missing: run scripts/setup.sh --test')
    r = subprocess.run([exe, '-sS', '--max-time', '60'] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=90)
    if r.returncode != 0:
        raise AssertionError('curl %s: %s' % (args, r.stderr))
    return r.stdout, r.stderr


def raw(port, request, timeout=30):
    """Send request bytes on a new connection; everything the server sends until it closes."""
    with socket.create_connection(('127.0.0.1', port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            chunks.append(data)
    return b''.join(chunks)


def split(response):
    """(status, headers dict with lower-case names, body) of one raw HTTP/1.1 response."""
    head, _, body = response.partition(b'\r\n\r\n')
    lines = head.decode('latin-1').split('\r\n')
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(':')
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def encodings(value):
    """The ways a client can send value in a query: every byte percent-encoded, the minimal
    encoding, spaces as '+', and as it is when HTTP lets it through raw."""
    data = value.encode('utf-8', 'surrogateescape') if isinstance(value, str) else value
    out = {''.join('%%%02X' % b for b in data),
           urllib.parse.quote_from_bytes(data, safe=''),
           urllib.parse.quote_plus(data, safe='')}
    if all(0x21 <= b < 0x7f and b not in b'#&' for b in data):
        out.add(data.decode('ascii'))
    return sorted(out)


HOSTILE_COLOURS = ['"/><script>x</script>', "red' onload='x", 'red;fill:url(x)', 'rgb(1,2,3)',
                   'red\n', '#12345', ' red', '#ff0000"', 'url(#x)', '\x1b[31m', 'r\u00e9d',
                   '#ff0000<script>', 'red\x00', '<script>', '+', 'red blue']
HOSTILE_TITLES = ['', 'a' * 1025, '\x1b[31mred', '\x1b]0;pwned\x07', 'new\nline', 'cr\r',
                  'del\x7f', 'c1\u0085', '\ufffe', b'overlong \xc0\xaf', b'overlong \xe0\x80\xaf',
                  b'surrogate \xed\xa0\x80', b'truncated \xe2\x82', b'ff \xff',
                  b'too big \xf4\x90\x80\x80', b'continuation \x80', 'nul\x00byte']
HOSTILE_IDS = ['', '9a', '-a', 'a b', 'a"b', "a'b", 'a<b', 'a:b', 'h\u00e9', 'a' * 65, 'a\x1b',
               '<script>', 'a\x00b']
HOSTILE_SIZES = ['0', '16385', '12x', '1e3', '-5', '+5', ' 12', '12x12x12', '1.5', '',
                 '999999999999', '<svg>']


class Serve(HeartTest):
    @classmethod
    def setUpClass(cls):
        cls.server = Server('--threads', '2').__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def get(self, target, headers=None):
        return self.server.get(target, headers)

    def test_svg_and_png_are_the_commands_bytes(self):
        cases = [
            ('/heart.svg', ['svg']),
            ('/heart.svg?color=blue&size=64x48&background=%23fff', ['svg', '--color', 'blue',
             '--size', '64x48', '--background', '#fff']),
            ('/heart.svg?animate=true&bpm=90&amplitude=0.3&title=Hi+there&id=x1&aspect=1.2',
             ['svg', '--animate', '--bpm', '90', '--amplitude', '0.3', '--title', 'Hi there',
              '--id', 'x1', '--aspect', '1.2']),
            ('/heart.svg?color=crimson&background=ivory&dark-color=pink&dark-background=%23222',
             ['svg', '--color', 'crimson', '--background', 'ivory', '--dark-color', 'pink',
              '--dark-background', '#222']),
            ('/heart.svg?animate=true&dark-background=black&id=d',
             ['svg', '--animate', '--dark-background', 'black', '--id', 'd']),
            ('/heart.png', ['png']),
            ('/heart.png?size=100x80&phase=0.3&amplitude=0.2&background=white&tip=0.9',
             ['png', '--size', '100x80', '--phase', '0.3', '--amplitude', '0.2', '--background',
              'white', '--tip', '0.9']),
            ('/heart.png?animate=true', ['png', '--animate']),
            ('/heart.png?animate=true&bpm=90&amplitude=0.3&size=120x90&color=teal',
             ['png', '--animate', '--bpm', '90', '--amplitude', '0.3', '--size', '120x90',
              '--color', 'teal']),
        ]
        for target, args in cases:
            with self.subTest(target=target):
                status, headers, body = self.get(target)
                self.assertEqual(status, 200)
                want = run(*args)
                self.assertEqual(want.returncode, 0)
                self.assertEqual(body, want.stdout)
                self.assertEqual(headers['content-length'], str(len(body)))

    def test_image_headers(self):
        status, h, _ = self.get('/heart.svg?color=red')
        self.assertEqual(status, 200)
        self.assertEqual(h['content-type'], 'image/svg+xml')
        self.assertEqual(h['cache-control'], 'public, max-age=31536000, immutable')
        self.assertEqual(h['x-content-type-options'], 'nosniff')
        self.assertEqual(h['content-security-policy'], "default-src 'none'")
        self.assertRegex(h['etag'], r'^"[0-9a-f]{32}"$')
        self.assertEqual(h['accept-ch'], 'Sec-CH-Prefers-Reduced-Motion')
        self.assertEqual(h['vary'], 'Sec-CH-Prefers-Reduced-Motion')
        _, h, _ = self.get('/heart.svg?animate=true')
        self.assertEqual(h['content-security-policy'],
                         "default-src 'none'; style-src 'unsafe-inline'")
        status, h, body = self.get('/heart.png?size=32')
        self.assertEqual((status, h['content-type']), (200, 'image/png'))
        self.assertTrue(body.startswith(b'\x89PNG\r\n\x1a\n'))
        self.assertEqual(h['content-security-policy'], "default-src 'none'")
        self.assertNotIn('vary', h)

    def test_etag_is_canonical(self):
        def tag(target):
            status, h, _ = self.get(target)
            self.assertEqual(status, 200, target)
            return h['etag']
        red = tag('/heart.svg?color=red')
        self.assertEqual(red, tag('/heart.svg?color=ff0000'))
        self.assertEqual(red, tag('/heart.svg?color=%23F00&size=256'))
        self.assertEqual(red, tag('/heart.svg'))
        self.assertNotEqual(red, tag('/heart.svg?color=blue'))
        self.assertNotEqual(red, tag('/heart.svg?animate=true'))
        self.assertNotEqual(red, tag('/heart.png'))
        self.assertEqual(tag('/heart.svg?animate=true&bpm=72'), tag('/heart.svg?animate=true&fps=1.2'))
        self.assertNotEqual(tag('/heart.png?phase=0.5'), tag('/heart.png'))

    def test_if_none_match(self):
        _, h, _ = self.get('/heart.svg?color=teal')
        etag = h['etag']
        for header in [etag, 'W/' + etag, '"x", ' + etag, '*']:
            with self.subTest(header=header):
                status, h2, body = self.get('/heart.svg?color=008080', {'If-None-Match': header})
                self.assertEqual(status, 304)
                self.assertEqual(body, b'')
                self.assertEqual(h2['etag'], etag)
                self.assertEqual(h2['cache-control'], 'public, max-age=31536000, immutable')
        status, _, body = self.get('/heart.svg?color=teal', {'If-None-Match': '"other"'})
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b'<svg'))

    def test_reduced_motion_hint(self):
        _, _, moving = self.get('/heart.svg?animate=true')
        self.assertIn(b'@keyframes', moving)
        _, h, still = self.get('/heart.svg?animate=true',
                               {'Sec-CH-Prefers-Reduced-Motion': 'reduce'})
        self.assertNotIn(b'@keyframes', still)
        self.assertEqual(still, run('svg').stdout)
        self.assertEqual(h['vary'], 'Sec-CH-Prefers-Reduced-Motion')
        _, _, again = self.get('/heart.svg?animate=true',
                               {'Sec-CH-Prefers-Reduced-Motion': 'no-preference'})
        self.assertEqual(again, moving)

    def test_dark_mode(self):
        # The dark colours are part of the heart: a <style>, so the CSP allows it, and a tag
        # of its own.
        light = '/heart.svg?color=crimson&background=ivory'
        _, h_light, _ = self.get(light)
        self.assertEqual(h_light['content-security-policy'], "default-src 'none'")
        tags = {h_light['etag']}
        for extra in ('&dark-color=pink', '&dark-background=black',
                      '&dark-color=pink&dark-background=black'):
            with self.subTest(extra=extra):
                status, h, body = self.get(light + extra)
                self.assertEqual(status, 200)
                self.assertIn(b'@media (prefers-color-scheme:dark){', body)
                self.assertEqual(h['content-security-policy'],
                                 "default-src 'none'; style-src 'unsafe-inline'")
                self.assertNotIn(h['etag'], tags)
                tags.add(h['etag'])
        status, body = self.get('/heart.png?dark-color=pink')[::2]
        self.assertEqual((status, body), (400, b"parameter 'dark-color' does not apply to "
                                               b"/heart.png\n"))

    def test_require_consent(self):
        consent = {'X-User-Consent': 'heart-animation=granted'}
        with Server('--require-consent') as s:
            for target, plain, args in (
                    ('/heart.svg?animate=true', '/heart.svg', []),
                    ('/heart.svg?animate=true&bpm=90&id=c', '/heart.svg?id=c', ['--id', 'c'])):
                with self.subTest(target=target):
                    still = run('svg', *args).stdout
                    _, plain_h, _ = s.get(plain)
                    for headers, want_still in ((None, True), (consent, False),
                                                ({'X-User-Consent': 'heart-animation=denied'},
                                                 True),
                                                ({'X-User-Consent': 'heart-animation=granted',
                                                  'Sec-CH-Prefers-Reduced-Motion': 'reduce'},
                                                 True)):
                        status, h, body = s.get(target, headers)
                        self.assertEqual(status, 200)
                        self.assertEqual(h['vary'],
                                         'Sec-CH-Prefers-Reduced-Motion, X-User-Consent')
                        if want_still:
                            self.assertEqual(body, still)
                            self.assertEqual(h['etag'], plain_h['etag'])
                            self.assertEqual(h['content-security-policy'], "default-src 'none'")
                        else:
                            self.assertEqual(body, self.get(target)[2])
                            self.assertIn(b'@keyframes', body)
                            self.assertNotEqual(h['etag'], plain_h['etag'])
            # A GIF always beats, an APNG when asked: without consent, the heart at rest (a
            # GIF of one frame, the PNG without animation), with it the beat.
            for target, still_args in (('/heart.gif?size=64', ['gif', '--amplitude', '0']),
                                       ('/heart.png?size=64&animate=true', ['png'])):
                with self.subTest(target=target):
                    still = run(*still_args, '--size', '64').stdout
                    status, h, body = s.get(target)
                    self.assertEqual((status, body), (200, still))
                    self.assertEqual(h['vary'], 'X-User-Consent')
                    status, h, body = s.get(target, consent)
                    self.assertEqual((status, h['vary']), (200, 'X-User-Consent'))
                    self.assertEqual(body, self.get(target)[2])
                    self.assertNotEqual(body, still)
            # Where nothing moves, nothing to consent to: no Vary on it.
            self.assertEqual(s.get('/heart.svg')[1]['vary'], 'Sec-CH-Prefers-Reduced-Motion')
            self.assertNotIn('vary', s.get('/heart.png')[1])
        # Without the option the header changes nothing.
        _, h, body = self.get('/heart.svg?animate=true')
        self.assertEqual(h['vary'], 'Sec-CH-Prefers-Reduced-Motion')
        self.assertIn(b'@keyframes', body)

    def test_head(self):
        _, h_get, body = self.get('/heart.png?size=64')
        status, h, head_body = self.server.request('HEAD', '/heart.png?size=64')
        self.assertEqual((status, head_body), (200, b''))
        self.assertEqual(h['content-length'], str(len(body)))
        self.assertEqual(h['etag'], h_get['etag'])

    def test_service_routes(self):
        self.assertEqual(self.get('/healthz')[::2], (200, b'ok\n'))
        self.assertEqual(self.get('/readyz')[::2], (200, b'ready\n'))
        status, h, body = self.get('/openapi.json')
        self.assertEqual((status, h['content-type']), (200, 'application/json'))
        with open(os.path.join(os.environ['BUILD_ROOT'], 'serve', 'openapi.json'), 'rb') as f:
            self.assertEqual(body, f.read())
        for route in ('/healthz', '/readyz', '/metrics'):
            self.assertEqual(self.get(route)[1]['cache-control'], 'no-store')

    def test_refusals(self):
        cases = [
            ('GET', '/nope', 404, b'not found\n'),
            ('GET', '/heart.svg/', 404, b'not found\n'),
            ('GET', '/HEART.SVG', 404, b'not found\n'),
            ('GET', '/heart.svg?colour=red', 400, None),
            ('GET', '/heart.svg?color=red&color=blue', 400,
             b"parameter 'color' given twice\n"),
            ('GET', '/heart.svg?phase=0.5', 400,
             b"parameter 'phase' does not apply to /heart.svg\n"),
            ('GET', '/heart.png?title=x', 400,
             b"parameter 'title' does not apply to /heart.png\n"),
            ('GET', '/heart.svg?fps=2', 400, b"parameter 'fps' needs animate=true\n"),
            ('GET', '/heart.svg?animate=true&fps=2&bpm=60', 400, b'give fps or bpm, not both\n'),
            ('GET', '/heart.png?amplitude=0.2', 400, None),
            ('GET', '/heart.png?size=2049', 400,
             b"bad parameter 'size': expected N or WxH, each side from 1 to 2048\n"),
            ('GET', '/heart.svg?size=16385', 400,
             b"bad parameter 'size': expected N or WxH, each side from 1 to 16384\n"),
            ('GET', '/heart.svg?animate=yes', 400,
             b"bad parameter 'animate': expected true or false\n"),
            ('GET', '/heart.svg?animate=true&bpm=601', 400,
             b"bad parameter 'bpm': expected a number from 6 to 600\n"),
            ('GET', '/heart.svg?color=%zz', 400, None),
            ('GET', '/heart.svg?color=%4', 400, None),
            ('GET', '/healthz?x=1', 400, b'this route takes no query\n'),
            ('POST', '/heart.svg', 405, b'method not allowed: GET or HEAD\n'),
            ('DELETE', '/healthz', 405, b'method not allowed: GET or HEAD\n'),
            ('OPTIONS', '/heart.png', 405, b'method not allowed: GET or HEAD\n'),
        ]
        for method, target, want_status, want_body in cases:
            with self.subTest(method=method, target=target):
                status, h, body = self.server.request(method, target)
                self.assertEqual(status, want_status, body)
                if want_body is not None:
                    self.assertEqual(body, want_body)
                self.assertEqual(h['content-type'], 'text/plain; charset=utf-8')
                self.assertEqual(h['x-content-type-options'], 'nosniff')
                self.assertNotIn('etag', h)
                if status == 405:
                    self.assertEqual(h['allow'], 'GET, HEAD')

    def test_body_and_long_target(self):
        status, _, body = self.server.request('GET', '/heart.svg', body=b'color=red')
        self.assertEqual((status, body), (413, b'request body not allowed\n'))
        resp = raw(self.server.port, b'GET /heart.svg HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: '
                   b'chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n')
        self.assertEqual(split(resp)[0], 413)
        long_query = '/heart.svg?title=' + 'a' * 4100
        status, _, body = self.get(long_query)
        self.assertEqual(status, 414)
        self.assertNotIn(b'aaaa', body)
        # The longest target accepted: 4096 bytes.
        target = '/heart.svg?title=' + 'b' * (4096 - len('/heart.svg?title='))
        self.assertEqual(self.get(target)[0], 400)  # over SVG_TITLE_MAX, but not 414

    def assertRefusedWithoutEcho(self, param, values, plain, prefix=''):
        """Each value of param, in every encoding, gets the same 400 text as the plain bad
        value: no byte of the request in the body beyond the fixed text."""
        route = '/heart.png?' if param == 'phase' else '/heart.svg?'
        status, _, fixed = self.get(route + prefix + param + '=' + plain)
        self.assertEqual(status, 400)
        self.assertTrue(fixed.startswith(b"bad parameter '%s'" % param.encode()), fixed)
        for value in values:
            for enc in encodings(value):
                with self.subTest(param=param, value=enc[:60]):
                    target = route + prefix + param + '=' + enc
                    resp = raw(self.server.port, b'GET ' + target.encode('latin-1') +
                               b' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
                    status, _, body = split(resp)
                    self.assertEqual(status, 400, body)
                    if status == 400 and body.startswith(b'malformed query'):
                        continue
                    self.assertEqual(body, fixed)

    def test_hostile_colours(self):
        self.assertRefusedWithoutEcho('color', HOSTILE_COLOURS, 'zz')
        self.assertRefusedWithoutEcho('background', HOSTILE_COLOURS, 'zz')
        self.assertRefusedWithoutEcho('dark-color', HOSTILE_COLOURS + ['transparent'], 'zz')
        self.assertRefusedWithoutEcho('dark-background', HOSTILE_COLOURS, 'zz')

    def test_hostile_titles_ids_sizes(self):
        self.assertRefusedWithoutEcho('title', HOSTILE_TITLES, '')
        self.assertRefusedWithoutEcho('id', HOSTILE_IDS, '9')
        self.assertRefusedWithoutEcho('size', HOSTILE_SIZES, '0')
        self.assertRefusedWithoutEcho('fps', ['1e1', 'inf', 'nan', '0x1', '1,5', '<b>', '11'],
                                      '11', prefix='animate=true&')

    def test_hostile_names_and_escapes(self):
        """Names that are not parameters, and escapes that are not UTF-8 or hide a NUL."""
        unknown = self.get('/heart.svg?zz=1')[2]
        self.assertTrue(unknown.startswith(b'unknown parameter'), unknown)
        for name in ['%3Cscript%3E', '<script>', 'color%00', 'col%6Fr%00', '%C0%AF', '+',
                     '%2B', 'color ', '%E2%80%AE', 'x' * 300]:
            with self.subTest(name=name):
                resp = raw(self.server.port, b'GET /heart.svg?' + name.encode() +
                           b'=red HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
                status, _, body = split(resp)
                self.assertEqual(status, 400)
                # A raw space makes the request line invalid (RFC 9112 §3.2).
                self.assertIn(body, (unknown, self.get('/heart.svg?color=%00')[2]) +
                              ((BAD_TARGET,) if ' ' in name else ()))
        self.assertTrue(self.get('/heart.svg?color=%00')[2].startswith(b'malformed query'))
        # A %00 cannot cut a value short: "red%00<script>" is not "red".
        self.assertEqual(self.get('/heart.svg?color=red%00%3Cscript%3E')[0], 400)
        # Valid titles are escaped markup in a well-formed SVG, never raw.
        status, _, body = self.get('/heart.svg?title=' +
                                   urllib.parse.quote('</title><script>x</script>'))
        self.assertEqual(status, 200)
        self.assertNotIn(b'<script>', body)
        self.assertIn(b'&lt;/title&gt;&lt;script&gt;', body)

    def test_keep_alive(self):
        """Many requests on one connection: libmicrohttpd 0.9.75 closes it when the response
        is queued on the access handler's first call."""
        conn = self.server.connection()
        try:
            for i in range(20):
                conn.request('GET', '/heart.svg?size=%d' % (i + 10))
                r = conn.getresponse()
                self.assertEqual(r.status, 200)
                self.assertNotEqual((r.getheader('Connection') or '').lower(), 'close')
                r.read()
                if i == 0:
                    sock = conn.sock
                self.assertIs(conn.sock, sock)
        finally:
            conn.close()
        _, talk = curl('-v', '-o', '/dev/null', '-o', '/dev/null',
                       self.server.base + '/healthz', self.server.base + '/heart.svg')
        self.assertIn(b'Re-using existing connection', talk)
        self.assertNotIn(b'Connection: close', talk)


class Metrics(HeartTest):
    def test_promtool_accepts_and_counts(self):
        with Server('--threads', '2') as s:
            for target in ['/heart.svg', '/heart.svg?color=%3Cscript%3E', '/heart.png?size=9999',
                           '/heart.svg?x=1', '/heart.png?size=16', '/nope']:
                s.get(target)
            s.request('POST', '/heart.svg')
            # A request is counted out of flight just after its answer reaches the client:
            # read until only the scrape itself is in flight.
            deadline = time.monotonic() + 60
            while True:
                status, h, text = s.get('/metrics')
                if b'\nheart_http_requests_in_flight 1\n' in text:
                    break
                self.assertLess(time.monotonic(), deadline, text[-300:])
                time.sleep(0.01)
            self.assertEqual(status, 200)
            self.assertEqual(h['content-type'], 'text/plain; version=0.0.4; charset=utf-8')
            promtool = shutil.which('promtool')
            if not promtool:
                raise AssertionError('promtool is missing: run scripts/setup.sh --test')
            r = subprocess.run([promtool, 'check', 'metrics'], input=text,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
            self.assertEqual(r.returncode, 0, r.stdout)
            self.assertEqual(r.stdout, b'', r.stdout)
            t = text.decode()
            for line in [
                'heart_http_requests_total{route="/heart.svg",code="200"} 1',
                'heart_http_requests_total{route="/heart.svg",code="400"} 2',
                'heart_http_requests_total{route="/heart.svg",code="405"} 1',
                'heart_http_requests_total{route="/heart.png",code="200"} 1',
                'heart_http_requests_total{route="/heart.png",code="400"} 1',
                'heart_http_requests_total{route="other",code="404"} 1',
                'heart_render_errors_total{reason="invalid_color"} 1',
                'heart_render_errors_total{reason="invalid_size"} 1',
                'heart_render_errors_total{reason="unknown_parameter"} 1',
                'heart_render_errors_total{reason="invalid_title"} 0',
                'heart_render_duration_seconds_count 2',
                'heart_render_duration_seconds_bucket{le="+Inf"} 2',
                'heart_http_requests_in_flight 1',
            ]:
                self.assertIn(line + '\n', t)
            m = re.search(r'^heart_build_info\{version="([^"]*)",commit="([0-9a-f]+|unknown)"\} 1$',
                          t, re.M)
            self.assertIsNotNone(m, t)
            self.assertIn(m.group(1), run('--version').stdout.decode())
            # Label values are fixed: nothing from the requests.
            self.assertNotIn('script', t)
            self.assertNotIn('nope', t)


# heart's own refusals of what RFC 9112 calls an invalid request (each then closes).
BAD_TARGET = (b'bad request target: expected /path?query or http://host/path?query, without '
              b'spaces or control characters\n')
BAD_FIELD = b'bad header field: expected name: value, the name a token, no control characters\n'
BAD_LENGTH = b'bad Content-Length: expected one field of decimal digits\n'
BAD_CODING = b'bad Transfer-Encoding: expected codings ending in chunked, no Content-Length\n'
NO_BODY = b'request body not allowed\n'
HIDDEN = b'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n'  # a request smuggled in a body


def refusal(status, reason, body):
    """The exact bytes of a refusal that closes the connection (the Date left as a pattern)."""
    return re.compile(re.escape(b'HTTP/1.1 %d %s\r\n' % (status, reason)) + rb'Date: [^\r]+\r\n' +
                      re.escape(b'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n'
                                b'Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n'
                                b"Content-Security-Policy: default-src 'none'\r\n"
                                b'Content-Length: %d\r\n\r\n' % len(body) + body) + rb'\Z')


def exchange(port, request, timeout=10):
    """Send request; everything until the server closes, which it must within timeout."""
    with socket.create_connection(('127.0.0.1', port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b''
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            except socket.timeout:
                raise AssertionError('still open after %r' % data[:300])
            if not chunk:
                break
            data += chunk
    return data


def with_fields(*fields, target=b'/healthz', tail=HIDDEN):
    return (b'GET ' + target + b' HTTP/1.1\r\nHost: x\r\n' + b''.join(f + b'\r\n' for f in fields)
            + b'\r\n' + tail)


FRAMING = [
    # finding 5: a second Content-Length, or a space before the colon, hid a request
    ('two lengths', with_fields(b'Content-Length: 0', b'Content-Length: 35'), BAD_LENGTH),
    ('same length twice', with_fields(b'Content-Length: 35', b'Content-Length: 35'), BAD_LENGTH),
    ('space before colon', with_fields(b'Content-Length : 35'), BAD_FIELD),
    ('tab before colon', with_fields(b'Content-Length\t: 35'), BAD_FIELD),
    ('list', with_fields(b'Content-Length: 0, 35'), BAD_LENGTH),
    ('listed twice', with_fields(b'Content-Length: 35, 35'), BAD_LENGTH),
    ('plus', with_fields(b'Content-Length: +35'), BAD_LENGTH),
    ('minus', with_fields(b'Content-Length: -1'), BAD_LENGTH),
    ('empty', with_fields(b'Content-Length:'), BAD_LENGTH),
    ('hex', with_fields(b'Content-Length: 0x23'), BAD_LENGTH),
    ('inner space', with_fields(b'Content-Length: 3 5'), BAD_LENGTH),
    ('obs-fold', with_fields(b'Content-Length: 0', b' 35'), BAD_FIELD),
    ('obs-fold elsewhere', with_fields(b'X-A: 0', b'\t35'), BAD_FIELD),
    ('space before the first field', b'GET /healthz HTTP/1.1\r\n Host: x\r\n\r\n' + HIDDEN,
     BAD_FIELD),
    ('control byte in a name', with_fields(b'X\x01A: 1'), BAD_FIELD),
    ('CR in a name', with_fields(b'X\rA: 1'), BAD_FIELD),
    ('CR in a value', with_fields(b'X-A: 1\r2'), BAD_FIELD),
    ('empty name', with_fields(b': 1'), BAD_FIELD),
    ('coding and length', with_fields(b'Transfer-Encoding: chunked', b'Content-Length: 5'),
     BAD_CODING),
    ('unknown coding', with_fields(b'Transfer-Encoding: gzip'), BAD_CODING),
    ('chunked twice', with_fields(b'Transfer-Encoding: chunked, chunked'), BAD_CODING),
    ('coding after chunked', with_fields(b'Transfer-Encoding: chunked', b'Transfer-Encoding: gzip'),
     BAD_CODING),
    ('empty coding', with_fields(b'Transfer-Encoding:'), BAD_CODING),
    ('coding in HTTP/1.0', b'GET /healthz HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' +
     HIDDEN, BAD_CODING),
    # finding 4 and its class: a byte that cannot be in a request target
    ('NUL in the target', with_fields(target=b'/heart.svg?color=red\x00&color=blue&x=1'),
     BAD_TARGET),
    ('NUL in the path', with_fields(target=b'/healthz\x00?x'), BAD_TARGET),
    ('CR in the target', with_fields(target=b'/healthz\r'), BAD_TARGET),
    ('tab in the target', with_fields(target=b'/hea\tlthz'), BAD_TARGET),
    ('space in the target', with_fields(target=b'/hea lthz'), BAD_TARGET),
    ('DEL in the target', with_fields(target=b'/healthz\x7f'), BAD_TARGET),
    ('ESC in a render target', with_fields(target=b'/heart.svg?title=\x1b'), BAD_TARGET),
    ('empty authority', with_fields(target=b'http:///healthz'), BAD_TARGET),
    ('userinfo', with_fields(target=b'http://user@x/healthz'), BAD_TARGET),
    ('bad port', with_fields(target=b'http://x:8x/healthz'), BAD_TARGET),
    ('open bracket', with_fields(target=b'http://[::1/healthz'), BAD_TARGET),
    ('other scheme', with_fields(target=b'ftp://x/healthz'), BAD_TARGET),
    ('asterisk for GET', with_fields(target=b'*'), BAD_TARGET),
    ('relative target', with_fields(target=b'healthz'), BAD_TARGET),
]


class Framing(HeartTest):
    """RFC 9112's invalid requests: one 400 of heart's, the connection closed, and nothing
    after it answered; absolute-form targets served as their path."""

    def test_bad_framing_is_one_400_then_close(self):
        with Server() as s:
            for name, request, text in FRAMING:
                with self.subTest(name):
                    self.assertRegex(exchange(s.port, request),
                                     refusal(400, b'Bad Request', text))
            # Each counted once and logged once, the target escaped in full.
            lines = s.log().decode('ascii').splitlines()[1:]
            self.assertEqual(len(lines), len(FRAMING), lines)
            self.assertTrue(all(line.endswith('" 400 %d' % len(text)) for line, (_, _, text)
                                in zip(lines, FRAMING)), lines)
            nul = lines[[n for n, _, _ in FRAMING].index('NUL in the target')]
            self.assertIn(r'"GET /heart.svg?color=red\x00&color=blue&x=1 HTTP/1.1" 400 ', nul)
            metrics = s.get('/metrics')[2].decode()
            self.assertIn('heart_http_requests_total{route="other",code="400"} %d\n'
                          % len(FRAMING), metrics)
            self.assertNotIn('route="/metrics",code="200"} 1\n', metrics)

    def test_announced_body_is_one_413_then_close(self):
        with Server() as s:
            for fields in [[b'Content-Length: 35'], [b'Transfer-Encoding: chunked'],
                           [b'Transfer-Encoding: gzip, chunked'],
                           [b'Content-Length: ' + b'9' * 40]]:
                with self.subTest(fields=fields):
                    self.assertRegex(exchange(s.port, with_fields(*fields)),
                                     refusal(413, b'Content Too Large', NO_BODY))

    def test_valid_framing_keeps_the_connection(self):
        """Content-Length: 00 is zero (1*DIGIT), a bare LF ends a line (RFC 9112 §2.2), OWS
        around a value is not part of it: each then answers the request that follows."""
        with Server() as s:
            for request in [with_fields(b'Content-Length: 00'), with_fields(b'Content-Length: 0 '),
                            with_fields(b'Content-Length:\t0'),
                            b'GET /healthz HTTP/1.1\nHost: x\n\n' + HIDDEN]:
                with self.subTest(request=request):
                    with socket.create_connection(('127.0.0.1', s.port), timeout=30) as sock:
                        sock.sendall(request)
                        data = b''
                        while b'heart_build_info' not in data:
                            chunk = sock.recv(65536)
                            self.assertNotEqual(chunk, b'', data)
                            data += chunk
                    self.assertTrue(data.startswith(b'HTTP/1.1 200 OK\r\n'), data[:100])
                    self.assertIn(b'\r\n\r\nok\nHTTP/1.1 200 OK\r\n', data)

    def test_absolute_form_is_served_as_its_path(self):
        with Server() as s:
            want = s.get('/heart.svg?color=red')
            for target in ['http://127.0.0.1:%d/heart.svg?color=red' % s.port,
                           'https://example.org/heart.svg?color=red',
                           'HTTP://x:80/heart.svg?color=red', 'http://[::1]:8080/heart.svg?color=red',
                           'http://a.b-c_d~e%41!$&\'()*+,;=/heart.svg?color=red']:
                with self.subTest(target=target):
                    status, h, body = split(raw(s.port, b'GET ' + target.encode() +
                                                b' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))
                    self.assertEqual((status, body), (200, want[2]))
                    self.assertEqual(h['etag'], want[1]['etag'])
            status, _, body = split(raw(s.port, b'GET http://x HTTP/1.1\r\nHost: x\r\n'
                                        b'Connection: close\r\n\r\n'))
            self.assertEqual((status, body), (404, b'not found\n'))
            status, _, body = split(raw(s.port, b'GET http://x?a HTTP/1.1\r\nHost: x\r\n'
                                        b'Connection: close\r\n\r\n'))
            self.assertEqual((status, body), (404, b'not found\n'))

    def test_asterisk_form(self):
        with Server() as s:
            status, h, body = split(raw(s.port, b'OPTIONS * HTTP/1.1\r\nHost: x\r\n'
                                        b'Connection: close\r\n\r\n'))
            self.assertEqual((status, body), (405, b'method not allowed: GET or HEAD\n'))
            self.assertEqual(h['allow'], 'GET, HEAD')


class Lifecycle(HeartTest):
    def start_request(self, s):
        """A request in flight: its first lines sent, its end held back by the test."""
        sock = socket.create_connection(('127.0.0.1', s.port), timeout=60)
        sock.sendall(b'GET /heart.svg?color=red HTTP/1.1\r\nHost: x\r\n')
        deadline = time.monotonic() + 60
        while b'heart_http_requests_in_flight 2\n' not in s.get('/metrics')[2]:
            self.assertLess(time.monotonic(), deadline, 'the request never arrived')
            time.sleep(0.01)
        return sock

    def wait_refused(self, port):
        """Until the listening socket is closed (draining has begun)."""
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(('127.0.0.1', port), timeout=5).close()
            except (ConnectionRefusedError, ConnectionResetError):
                return  # reset: accepted just as the listening socket closed
            self.assertLess(time.monotonic(), deadline, 'still accepting')
            time.sleep(0.01)

    def test_sigterm_drains_in_flight_request(self):
        """SIGTERM with a request in flight: new connections are refused, /readyz on a kept
        connection says 503, the request is answered in full, then heart exits 0."""
        with Server('--drain-timeout', '60') as s:
            ready = s.connection()
            ready.request('GET', '/readyz')
            self.assertEqual(ready.getresponse().read(), b'ready\n')
            pending = self.start_request(s)
            s.proc.send_signal(signal.SIGTERM)
            self.wait_refused(s.port)
            ready.request('GET', '/readyz')
            r = ready.getresponse()
            self.assertEqual((r.status, r.read()), (503, b'draining\n'))
            self.assertEqual(r.getheader('Connection'), 'close')
            self.assertIsNone(s.proc.poll())
            pending.sendall(b'\r\n')
            data = b''
            while True:
                chunk = pending.recv(65536)
                if not chunk:
                    break
                data += chunk
            pending.close()
            status, h, body = split(data)
            self.assertEqual(status, 200)
            self.assertEqual(body, run('svg').stdout)
            self.assertEqual(s.proc.wait(60), 0)
            s.returncode = 0

    def test_drain_timeout_and_second_signal(self):
        for sig, wait in [(signal.SIGINT, '1'), (signal.SIGTERM, '3600')]:
            with self.subTest(sig=sig), Server('--drain-timeout', wait) as s:
                pending = self.start_request(s)
                s.proc.send_signal(sig)
                if wait == '3600':  # an hour to drain, unless a second signal stops it now
                    self.wait_refused(s.port)
                    s.proc.send_signal(signal.SIGTERM)
                self.assertEqual(s.proc.wait(60), 0)
                s.returncode = 0
                self.assertEqual(pending.recv(100), b'')
                pending.close()
                self.assertRegex(s.log(), rb'\nheart: serve: stopping; requests unfinished: '
                                 rb'[12]\n$')

    def test_slow_client_is_dropped(self):
        """One byte a second never completes a request: after --timeout the connection
        goes, however steadily the bytes come."""
        with Server('--timeout', '2') as s:
            sock = socket.create_connection(('127.0.0.1', s.port), timeout=30)
            request = b'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ' + b'a' * 200
            sent = 0
            closed = False
            for byte in request:
                try:
                    sock.sendall(bytes([byte]))
                    sent += 1
                    sock.settimeout(0.25)
                    if sock.recv(1) == b'':
                        closed = True
                        break
                except socket.timeout:
                    continue
                except (BrokenPipeError, ConnectionResetError):
                    closed = True
                    break
            sock.close()
            self.assertTrue(closed, 'the slow client was never dropped')
            self.assertLess(sent, len(request))
            self.assertEqual(s.get('/healthz')[0], 200)

    def test_connection_cap(self):
        """Past --max-connections a connection waits, unanswered, until one closes. (The cap
        is shared out among the threads; one thread makes it exact.)"""
        with Server('--max-connections', '2', '--threads', '1') as s:
            a = s.connection()
            b = s.connection()
            for c in (a, b):
                c.request('GET', '/healthz')
                self.assertEqual(c.getresponse().read(), b'ok\n')
            third = socket.create_connection(('127.0.0.1', s.port), timeout=30)
            third.sendall(b'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
            third.settimeout(1)
            with self.assertRaises(socket.timeout):
                third.recv(100)
            a.close()
            third.settimeout(30)
            self.assertTrue(third.recv(100).startswith(b'HTTP/1.1 200 OK'))
            third.close()
            b.close()


class Log(HeartTest):
    def test_one_escaped_line_per_request(self):
        with Server() as s:
            s.get('/heart.svg?color=red')
            raw(s.port, b'GET /heart.svg?title=%1B[31m"\\\xff HTTP/1.1\r\nHost: x\r\n'
                b'Connection: close\r\n\r\n')
            s.request('HEAD', '/healthz')
            log = s.log()
        lines = log.decode('ascii').splitlines()
        self.assertRegex(lines[0], r'^heart: serving http://127\.0\.0\.1:\d+/$')
        def clf(request, status, size=r'\d+'):
            return (r'^127\.0\.0\.1 - - \[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000\] "' +
                    re.escape(request) + '" %d %s$' % (status, size))
        self.assertRegex(lines[1], clf('GET /heart.svg?color=red HTTP/1.1', 200))
        self.assertRegex(lines[2], clf(r'GET /heart.svg?title=%1B[31m\x22\x5c\xff HTTP/1.1', 400))
        self.assertRegex(lines[3], clf('HEAD /healthz HTTP/1.1', 200, '0'))
        self.assertEqual(len(lines), 4)
        self.assertTrue(all(0x20 <= b < 0x7f or b == 0x0a for b in log))

    def test_long_target_is_cut(self):
        with Server() as s:
            s.get('/heart.svg?title=' + 'a' * 2000)
            s.get('/heart.svg?title=' + '%FF' * 600)
            lines = s.log().decode('ascii').splitlines()
        self.assertIn(' "GET /heart.svg?title=' + 'a' * (1024 - 17) + '... HTTP/1.1" 400 ',
                      lines[1])
        self.assertIn(' "GET /heart.svg?title=' + ('%FF' * 600)[:1024 - 17] + '... HTTP/1.1" ',
                      lines[2])

    def test_quiet(self):
        with Server('--quiet') as s:
            s.get('/heart.svg')
            log = s.log()
        self.assertEqual(len(log.splitlines()), 1, log)


class CommandLine(HeartTest):
    def test_bad_options(self):
        for args, fragment in [
            (['--listen', 'localhost:80'],
             "--listen: 'localhost:80' is not a numeric IPv4 or IPv6 address"),
            (['--listen', '127.0.0.1'], '--listen'),
            (['--listen', '::1:80'], '--listen'),
            (['--listen', '127.0.0.1:65536'], '--listen'),
            (['--listen', '127.0.0.1:\x1b[31m'], '\\x1b'),
            (['extra'], 'extra'),
        ]:
            with self.subTest(args=args):
                self.assertUsageError(run('serve', *args), fragment, command='serve')
        for args in [['--threads', '0'], ['--max-size', '16385'], ['--timeout', '1.5'],
                     ['--max-connections', '-1'], ['--drain-timeout', 'x']]:
            with self.subTest(args=args):
                self.assertBadInput(run('serve', *args), args[0], "'%s'" % args[1])

    def test_listen_in_use_and_ipv6(self):
        with Server() as s:
            r = run('serve', '--listen', '127.0.0.1:%d' % s.port, timeout=30)
            self.assertBadInput(r, 'cannot listen on', 'Address already in use')
        with socket.socket(socket.AF_INET6) as probe:
            try:
                probe.bind(('::1', 0))
            except OSError:
                raise AssertionError('this machine has no IPv6 loopback (::1)')
        p = subprocess.Popen([HEART, 'serve', '--listen', '[::1]:0', '--quiet'],
                             stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        try:
            line = p.stderr.readline()
            m = re.fullmatch(rb'heart: serving http://\[::1\]:(\d+)/\n', line)
            self.assertIsNotNone(m, line)
            with socket.create_connection(('::1', int(m.group(1))), timeout=30) as c:
                c.sendall(b'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
                self.assertTrue(c.recv(100).startswith(b'HTTP/1.1 200'))
        finally:
            p.terminate()
            self.assertEqual(p.wait(30), 0)
            p.stderr.close()


if __name__ == '__main__':
    main()
