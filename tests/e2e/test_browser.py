"""heart serve in a real browser: Debian's headless Chromium, driven by playwright-core
(tests/browser, installed by scripts/setup.sh --test) through browser_shot.mjs, loads a page
whose <img> elements point at the server, and screenshots of them show the heart: still where it
should be still, beating where it should beat, and still again under prefers-reduced-motion.

Chromium talks to nothing but 127.0.0.1: the page comes from a small server of the test's own,
the images from heart serve. Two browsers, one after the other: one as it comes, and one with
--force-prefers-reduced-motion, the user's own setting. (Playwright's reducedMotion emulation
changes the page's media queries but neither what an SVG inside <img> sees nor the client hint
Chromium sends: under it the animated heart goes on beating, so it cannot stand in for the
setting; the reduced-motion contexts use it all the same.)

Client hints: Chromium sends Sec-CH-Prefers-Reduced-Motion to the image's origin only when the
page asked for it (Accept-CH) and delegated it to that origin (Permissions-Policy); the
/hints.html page does both, /plain.html neither. So under reduced motion /plain.html gets the
animated SVG, which the SVG's own media query keeps still, and /hints.html gets the static heart,
which the server chose from the hint.
"""
import base64
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

from heartlib import SOURCE_ROOT, main
from pngread import Png
from servelib import Server

SHOT = os.path.join(SOURCE_ROOT, 'tests', 'e2e', 'browser_shot.mjs')
MODULES = os.path.join(SOURCE_ROOT, 'tests', 'browser', 'node_modules')
CHROMIUM = '/usr/bin/chromium'
HINT = 'sec-ch-prefers-reduced-motion'

BACKGROUND = (240, 248, 255)  # aliceblue, the page's
# Each image in a colour of its own, named three ways; all 256 x 256 px.
IMAGES = {
    'static': ('/heart.svg?color=mediumvioletred', (199, 21, 133)),
    'animated': ('/heart.svg?color=%231e90ff&size=256&animate=true&bpm=600', (30, 144, 255)),
    'png': ('/heart.png?size=256&color=228b22', (34, 139, 34)),
    # A GIF is opaque: its background is the page's.
    'gif': ('/heart.gif?size=256&color=crimson&background=aliceblue&bpm=120', (220, 20, 60)),
    # heart png --animate: an APNG, which Chromium animates.
    'apng': ('/heart.png?size=256&color=darkorange&animate=true&bpm=120', (255, 140, 0)),
}
TYPES = {'png': 'image/png', 'apng': 'image/png', 'gif': 'image/gif'}
STILL_SHOTS = 30  # screenshots that must all be the same
# Dark mode: one heart as an <img> from heart serve and one inline (its bytes from heart serve
# too, another id prefix), each mediumvioletred on the page's background in light mode, gold on
# navy in dark mode; the page's own colours stay as they are.
DARK_QUERY = 'color=mediumvioletred&dark-color=gold&dark-background=%23000080&id='
LIGHT_COLOURS = ((199, 21, 133), BACKGROUND)
DARK_COLOURS = ((255, 215, 0), (0, 0, 128))
BEATING = 3  # different screenshots the beating heart must show, in at most 100


def page(base):
    imgs = ''.join('<img id="%s" src="%s%s" width="256" height="256" alt="">' % (name, base, path)
                   for name, (path, _) in IMAGES.items())
    return ('<!doctype html><html><head><meta charset="utf-8"><title>hearts</title><style>'
            'html,body{margin:0;background:rgb%r}img{display:block;float:left;margin:16px}'
            '</style></head><body>%s</body></html>' % (BACKGROUND, imgs)).encode()


def dark_page(base, inline_svg):
    return (('<!doctype html><html><head><meta charset="utf-8"><title>dark</title><style>'
             'html,body{margin:0;background:rgb%r}#dark-img,#dark-inline{display:block;'
             'float:left;margin:16px;width:256px;height:256px}svg{display:block}</style>'
             '</head><body><img id="dark-img" src="%s/heart.svg?%sa" width="256" height="256" '
             'alt=""><div id="dark-inline">' % (BACKGROUND, base, DARK_QUERY)).encode()
            + inline_svg + b'</div></body></html>')


class PageServer:
    """The test page on 127.0.0.1 at a free port: /plain.html, /hints.html, which asks for
    the reduced-motion client hint and lets the heart server have it, and /dark.html."""

    def __init__(self, heart_base, inline_svg):
        body = page(heart_base)
        hints = {'Accept-CH': 'Sec-CH-Prefers-Reduced-Motion',
                 'Permissions-Policy': 'ch-prefers-reduced-motion=(self "%s")' % heart_base}
        routes = {'/plain.html': (body, {}), '/hints.html': (body, hints),
                  '/dark.html': (dark_page(heart_base, inline_svg), {})}
        self.paths = paths = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                paths.append(self.path)
                body, headers = routes.get(self.path, (b'not found\n', None))
                self.send_response(200 if headers is not None else 404)
                self.send_header('Content-Type', 'text/html; charset=utf-8' if headers is not None
                                 else 'text/plain')
                self.send_header('Content-Length', str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.base = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def ours(marker):
    """Processes whose environment carries marker: node and the Chromium it started."""
    found = []
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/environ' % pid, 'rb') as f:
                if marker in f.read().split(b'\0'):
                    found.append(int(pid))
        except OSError:
            pass
    return found


def run_browsers(job):
    """browser_shot.mjs on job; its output. Chromium's profile and HOME go into a temporary
    directory, removed afterwards with every process left of the run, whatever happened."""
    node = shutil.which('node') or shutil.which('nodejs')
    if not node or not os.path.isdir(os.path.join(MODULES, 'playwright-core')):
        raise AssertionError('node or playwright-core missing: run scripts/setup.sh --test')
    if not os.access(CHROMIUM, os.X_OK):
        raise AssertionError(CHROMIUM + ' missing: run scripts/setup.sh --test')
    tmp = tempfile.mkdtemp(prefix='heart-browser-')
    marker = ('HEART_BROWSER_TEST=' + tmp).encode()
    env = dict(os.environ, TMPDIR=tmp, HOME=tmp, HEART_BROWSER_TEST=tmp)
    for name in ('XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME'):
        env.pop(name, None)
    try:
        job_file = os.path.join(tmp, 'job.json')
        with open(job_file, 'w') as f:
            json.dump(job, f)
        proc = subprocess.Popen([node, SHOT, job_file], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, cwd=tmp,
                                start_new_session=True)
        try:
            out, err = proc.communicate(timeout=240)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)  # Playwright closes Chromium on SIGTERM
            try:
                proc.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
            raise AssertionError('browser_shot.mjs took over 240 s')
        if proc.returncode != 0:
            raise AssertionError('browser_shot.mjs exited %d: %s'
                                 % (proc.returncode, err.decode(errors='replace')[-3000:]))
        result = json.loads(out)
    finally:
        deadline = time.monotonic() + 30
        while True:
            left = ours(marker)
            if not left or time.monotonic() > deadline:
                break
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.1)
        shutil.rmtree(tmp, ignore_errors=True)
    if left:
        raise AssertionError('processes of the browser run outlived SIGKILL: %r' % left)
    return result


def shots(selector, count=STILL_SHOTS, distinct=0):
    return {'selector': '#' + selector, 'count': count, 'distinct': distinct, 'gapMs': 20}


def count(png, colour):
    return sum(1 for y in range(png.height) for x in range(png.width)
               if png.pixel(x, y)[:3] == colour)


class Browser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server('--threads', '2')
        cls.s = cls.server.__enter__()
        try:
            status, _, inline_svg = cls.s.get('/heart.svg?' + DARK_QUERY + 'b')
            assert status == 200, inline_svg
            cls.pages = PageServer(cls.s.base, inline_svg)
            try:
                plain, hints = cls.pages.base + '/plain.html', cls.pages.base + '/hints.html'
                dark = cls.pages.base + '/dark.html'
                dark_shots = [shots('dark-img', count=3), shots('dark-inline', count=3)]
                beating = shots('animated', count=100, distinct=BEATING)
                start = time.monotonic()
                cls.out = run_browsers({'browsers': [
                    {'args': [], 'visits': [
                        {'url': plain, 'reducedMotion': 'no-preference',
                         'shots': [shots('static'), beating, shots('png'),
                                   shots('gif', count=100, distinct=BEATING),
                                   shots('apng', count=100, distinct=BEATING)]},
                        {'url': hints, 'reducedMotion': 'no-preference', 'shots': [beating]},
                        {'url': dark, 'reducedMotion': 'no-preference', 'colorScheme': 'light',
                         'shots': dark_shots},
                        {'url': dark, 'reducedMotion': 'no-preference', 'colorScheme': 'dark',
                         'shots': dark_shots}]},
                    {'args': ['--force-prefers-reduced-motion'], 'visits': [
                        {'url': plain, 'reducedMotion': 'reduce',
                         'shots': [shots('animated')]},
                        {'url': hints, 'reducedMotion': 'reduce',
                         'shots': [shots('animated')]}]}]})
                print('\nChromium %s, %.1f s' % (cls.out['browsers'][0]['version'],
                                                time.monotonic() - start))
                cls.log = cls.s.log()
            finally:
                cls.pages.close()
        except BaseException:
            cls.server.__exit__(None, None, None)
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    # The runs: (browser, visit): plain, hints as they come; plain, hints under reduced motion.
    def visit(self, reduced, hints):
        return self.out['browsers'][reduced]['visits'][hints]

    def shot(self, visit, name):
        """(the distinct screenshots of #name decoded, the index of each screenshot)."""
        s = next(s for s in visit['shots'] if s['selector'] == '#' + name)
        return [Png(base64.b64decode(p)) for p in s['distinct']], s['order']

    def request(self, visit, name):
        url = self.s.base + IMAGES[name][0]
        found = [r for r in visit['requests'] if r['url'] == url]
        self.assertEqual(len(found), 1, [r['url'] for r in visit['requests']])
        return found[0]

    def assertHeart(self, png, name):
        """The heart in its colour fills the middle of the element, the page shows in the
        corners, and the heart covers a plausible part of the box."""
        colour = IMAGES[name][1]
        self.assertEqual((png.width, png.height), (256, 256))
        self.assertEqual(png.pixel(128, 128)[:3], colour, name)
        for x0, y0 in ((0, 0), (253, 0), (0, 253), (253, 253)):
            for y in range(y0, y0 + 3):
                for x in range(x0, x0 + 3):
                    self.assertEqual(png.pixel(x, y)[:3], BACKGROUND, (name, x, y))
        share = count(png, colour) / (256 * 256)
        self.assertTrue(0.3 <= share <= 0.8, (name, share))

    def assertStill(self, visit, name):
        pngs, order = self.shot(visit, name)
        self.assertEqual(order, [0] * STILL_SHOTS, name)
        self.assertHeart(pngs[0], name)
        return pngs[0]

    def test_the_images_come_from_heart_serve_over_loopback_only(self):
        for reduced in (0, 1):
            for hints in (0, 1):
                v = self.visit(reduced, hints)
                self.assertEqual([(i['id'], i['naturalWidth'], i['naturalHeight'], i['box'])
                                  for i in v['images']],
                                 [(name, 256, 256, {'x': 16 + 288 * i, 'y': 16, 'width': 256,
                                                    'height': 256})
                                  for i, name in enumerate(IMAGES)])
                for r in v['requests']:
                    self.assertEqual(urllib.parse.urlsplit(r['url']).hostname, '127.0.0.1', r)
                    self.assertNotIn('failure', r)
                    self.assertNotIn('error', r)
                    self.assertEqual(r['status'], 200, r['url'])
                for name, (path, _) in IMAGES.items():
                    r = self.request(v, name)
                    self.assertEqual(r['responseHeaders']['content-type'],
                                     TYPES.get(name, 'image/svg+xml'))
        for path, _ in IMAGES.values():
            line = re.compile(rb'"GET ' + re.escape(path.encode()) + rb' HTTP/1\.1" 200 \d+\n')
            self.assertEqual(len(line.findall(self.log)), 4, (path, self.log[-3000:]))
        self.assertEqual(sorted(set(self.pages.paths) - {'/favicon.ico'}),
                         ['/dark.html', '/hints.html', '/plain.html'])

    def test_the_heart_is_visible_and_the_static_ones_hold_still(self):
        v = self.visit(0, 0)
        self.assertFalse(v['reduce'])
        self.assertStill(v, 'static')
        self.assertStill(v, 'png')

    def test_the_png_shows_as_served(self):
        v = self.visit(0, 0)
        shown = self.assertStill(v, 'png')
        served = Png(base64.b64decode(self.request(v, 'png')['body']))
        self.assertEqual((served.width, served.height), (256, 256))
        worst = 0
        for y in range(256):
            for x in range(256):
                *rgb, a = served.pixel(x, y)
                over = [(c * a + b * (255 - a)) / 255 for c, b in zip(rgb, BACKGROUND)]
                worst = max(worst, max(abs(o - s) for o, s in zip(over, shown.pixel(x, y))))
        self.assertLessEqual(worst, 2)

    def test_the_animated_heart_beats(self):
        # The same heart, the same screenshots, as the still ones above: here they differ.
        for hints in (0, 1):
            v = self.visit(0, hints)
            r = self.request(v, 'animated')
            self.assertNotEqual(r['headers'].get(HINT), 'reduce')
            self.assertIn(b'@keyframes', base64.b64decode(r['body']))
            pngs, order = self.shot(v, 'animated')
            self.assertEqual(len(pngs), BEATING, order)
            for png in pngs:
                self.assertHeart(png, 'animated')
            sizes = [count(png, IMAGES['animated'][1]) for png in pngs]
            self.assertGreater(len(set(sizes)), 1, sizes)

    def test_the_gif_beats(self):
        v = self.visit(0, 0)
        self.assertTrue(base64.b64decode(self.request(v, 'gif')['body']).startswith(b'GIF89a'))
        pngs, order = self.shot(v, 'gif')
        self.assertEqual(len(pngs), BEATING, order)
        for png in pngs:
            self.assertHeart(png, 'gif')
        sizes = [count(png, IMAGES['gif'][1]) for png in pngs]
        self.assertEqual(len(set(sizes)), BEATING, sizes)

    def test_the_apng_beats(self):
        """animate=true on /heart.png: Chromium plays the APNG, so screenshots differ, each
        a heart in its colour (the frames keep room for the peak)."""
        v = self.visit(0, 0)
        body = base64.b64decode(self.request(v, 'apng')['body'])
        self.assertTrue(body.startswith(b'\x89PNG') and b'acTL' in body, body[:100])
        pngs, order = self.shot(v, 'apng')
        self.assertEqual(len(pngs), BEATING, order)
        sizes = [count(png, IMAGES['apng'][1]) for png in pngs]
        self.assertGreater(len(set(sizes)), 1, sizes)
        for png in pngs:
            self.assertEqual(png.pixel(128, 128)[:3], IMAGES['apng'][1])
            self.assertEqual(png.pixel(1, 1)[:3], BACKGROUND)

    def test_dark_mode_follows_the_page_in_img_and_inline(self):
        for index, dark, (heart, ground) in ((2, False, LIGHT_COLOURS), (3, True, DARK_COLOURS)):
            v = self.visit(0, index)
            self.assertEqual(v['dark'], dark)
            [img] = [r for r in v['requests'] if '/heart.svg?' in r['url']]
            self.assertEqual(img['status'], 200)
            self.assertEqual(img['responseHeaders']['content-security-policy'],
                             "default-src 'none'; style-src 'unsafe-inline'")
            for name in ('dark-img', 'dark-inline'):
                with self.subTest(dark=dark, element=name):
                    pngs, order = self.shot(v, name)
                    self.assertEqual(order, [0] * 3)
                    png = pngs[0]
                    self.assertEqual((png.width, png.height), (256, 256))
                    self.assertEqual(png.pixel(128, 128)[:3], heart)
                    for x, y in ((0, 0), (255, 0), (0, 255), (255, 255)):
                        self.assertEqual(png.pixel(x, y)[:3], ground, (x, y))
                    share = count(png, heart) / (256 * 256)
                    self.assertTrue(0.3 <= share <= 0.8, share)

    def test_reduced_motion_stops_the_animated_svg_by_its_media_query(self):
        v = self.visit(1, 0)
        self.assertTrue(v['reduce'])
        r = self.request(v, 'animated')
        # No hint asked for: the server sent the beating heart; the browser keeps it still.
        self.assertNotIn(HINT, r['headers'])
        self.assertIn(b'@keyframes', base64.b64decode(r['body']))
        self.assertStill(v, 'animated')

    def test_reduced_motion_client_hint_gets_the_static_heart(self):
        v = self.visit(1, 1)
        r = self.request(v, 'animated')
        self.assertEqual(r['headers'].get(HINT), 'reduce')
        self.assertIn('sec-ch-prefers-reduced-motion',
                      r['responseHeaders'].get('vary', '').lower())
        body = base64.b64decode(r['body'])
        self.assertTrue(body.startswith(b'<svg'), body[:100])
        self.assertNotIn(b'@keyframes', body)
        self.assertNotIn(b'animation', body)
        self.assertStill(v, 'animated')


if __name__ == '__main__':
    main()
