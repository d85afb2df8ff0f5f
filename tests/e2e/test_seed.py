"""A heart for each user end to end: `--seed TEXT` on play, png and svg, `user=` on heart
serve. The contract (docs/drawing.md) is computed here apart from heart, with Python's own
BLAKE2b; the golden files hold the exact bytes; the id never shows in the log, a metric or a
message, and the ETag follows the drawn heart."""
import hashlib
import math
import os
import re
import unittest
import urllib.parse

from heartlib import HeartTest, SOURCE_ROOT, main, run
from servelib import Server

GOLDEN = os.path.join(SOURCE_ROOT, 'tests', 'data', 'seed')
RANGES = [('aspect', 0.8, 1.4), ('cleft', 0.15, 0.35), ('lobe', 0.85, 1.15), ('tip', 0.0, 1.0)]
# The golden files: id, file name, extra options.
CASES = [
    ('alice', 'alice.svg', []),
    ('alice', 'alice-animate.svg', ['--animate']),
    ('bob', 'bob-animate-bpm.svg', ['--animate', '--bpm', '60']),
    ('Zo\u00eb \U0001F642', 'zoe.svg', []),
]


def srgb(c):
    c = min(max(c, 0.0), 1.0)
    v = 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055
    return int(math.floor(v * 255 + 0.5))


def derive(seed):
    """docs/drawing.md's contract: the shape, the colour (RRGGBB) and the phase of seed."""
    d = hashlib.blake2b(seed.encode(), digest_size=32).digest()
    u = lambda i: d[i] | d[i + 1] << 8
    out = {}
    for k, (name, lo, hi) in enumerate(RANGES):
        out[name] = lo + (hi - lo) * (0.1 + 0.8 * u(2 * k) / 65535)
    hue = 360 * u(8) / 65536
    out['phase'] = u(10) / 65536
    L, C, h = 0.6, 0.1, math.radians(hue)
    a, b = C * math.cos(h), C * math.sin(h)
    l_ = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3
    m_ = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3
    s_ = (L - 0.0894841775 * a - 1.2914855480 * b) ** 3
    out['color'] = '%02x%02x%02x' % (
        srgb(4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_),
        srgb(-1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_),
        srgb(-0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076147010 * s_))
    return out


def explicit(p):
    """The options that draw p's heart without a seed."""
    args = []
    for name, _, _ in RANGES:
        args += ['--' + name, repr(p[name])]
    return args + ['--color', p['color']]


def heart_ok(*args):
    r = run(*args)
    if r.returncode != 0:
        raise AssertionError('heart %s: %r' % (args, r.stderr))
    return r.stdout


class Contract(HeartTest):
    def test_golden_bytes(self):
        for seed, name, extra in CASES:
            with open(os.path.join(GOLDEN, name), 'rb') as f:
                self.assertEqual(heart_ok('svg', '--seed', seed, *extra), f.read(), name)

    def test_seed_is_the_documented_parameters(self):
        """--seed X draws what the contract's values given as options draw."""
        for seed in ('alice', 'bob', '1', 'user@example.com', 'Zo\u00eb \U0001F642', 'x' * 256):
            p = derive(seed)
            self.assertEqual(heart_ok('svg', '--seed', seed), heart_ok('svg', *explicit(p)),
                             seed)
            self.assertEqual(heart_ok('png', '--seed', seed), heart_ok('png', *explicit(p)),
                             seed)

    def test_animation_starts_at_the_phase(self):
        for seed, bpm in (('alice', None), ('bob', '60')):
            p = derive(seed)
            hz = int(bpm) / 60 if bpm else 1.2
            svg = heart_ok('svg', '--seed', seed, '--animate', *(['--bpm', bpm] if bpm else []))
            m = re.search(rb'animation:heart-beat [.\d]+s linear (-[.\d]+)s infinite', svg)
            self.assertIsNotNone(m, svg)
            self.assertAlmostEqual(float(m.group(1)), -p['phase'] / hz, places=5)
        # Without a seed the animation is what it always was: no delay.
        self.assertIn(b's linear infinite}', heart_ok('svg', '--animate'))

    def test_gif_is_the_seeds_heart_from_its_phase(self):
        """heart gif --seed: the seed's shape and colour (a still beat, amplitude 0, is the
        explicit options' GIF), and the loop starts at the seed's phase (with a beat it is
        not the GIF that starts at rest; tests/render/test_gif.c checks each frame)."""
        for seed in ('alice', 'bob'):
            p = derive(seed)
            self.assertEqual(heart_ok('gif', '--seed', seed, '--amplitude', '0'),
                             heart_ok('gif', *explicit(p), '--amplitude', '0'), seed)
            self.assertNotEqual(heart_ok('gif', '--seed', seed), heart_ok('gif', *explicit(p)),
                                seed)

    def test_explicit_options_win(self):
        p = derive('x')
        svg = heart_ok('svg', '--seed', 'x', '--color', 'blue')
        self.assertIn(b'fill="#00f"', svg)
        self.assertEqual(svg, heart_ok('svg', *explicit(p)[:-2], '--color', 'blue'))
        svg = heart_ok('svg', '--seed', 'x', '--tip', '0.3')
        self.assertIn(('fill="#%s"' % p['color']).encode(), svg)
        self.assertEqual(svg, heart_ok('svg', *explicit(dict(p, tip=0.3))))
        # A PNG keeps the phase it is given.
        self.assertEqual(heart_ok('png', '--seed', 'x', '--phase', '0.25'),
                         heart_ok('png', *explicit(p), '--phase', '0.25'))

    def test_play_takes_seed(self):
        r = run('play', '--seed', 'alice', '--help')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b'--seed TEXT', r.stdout)

    def test_bad_seeds_are_refused_without_echo(self):
        for bad in ('', 'a\tb', '\x1b[31mred', 'x' * 257, 'a\x7fb', 'nul\u0085'):
            for cmd in ('svg', 'png', 'gif', 'play'):
                r = run(cmd, '--seed', bad)
                self.assertEqual(r.returncode, 2, (cmd, bad, r.stderr))
                self.assertIn(b'--seed: the value (not repeated here) is not 1 to 256 bytes '
                              b'of UTF-8 without control characters', r.stderr)
                if bad:
                    self.assertNotIn(bad.encode(), r.stderr)


class Serve(HeartTest):
    SECRET = 'Secret-User-8f3a'

    def test_user_is_seed(self):
        with Server() as s:
            for seed, name, extra in CASES:
                query = [('user', seed)]
                if '--animate' in extra:
                    query.append(('animate', 'true'))
                if '--bpm' in extra:
                    query.append(('bpm', extra[extra.index('--bpm') + 1]))
                status, h, body = s.get('/heart.svg?' + urllib.parse.urlencode(query))
                self.assertEqual(status, 200, body)
                with open(os.path.join(GOLDEN, name), 'rb') as f:
                    self.assertEqual(body, f.read(), name)
            status, h, body = s.get('/heart.png?user=alice&size=64')
            self.assertEqual(status, 200)
            self.assertEqual(body, heart_ok('png', '--seed', 'alice', '--size', '64'))
            status, h, body = s.get('/heart.gif?user=alice&size=64')
            self.assertEqual(status, 200)
            self.assertEqual(body, heart_ok('gif', '--seed', 'alice', '--size', '64'))

    def test_etag_follows_the_heart(self):
        p = derive(self.SECRET)
        same = '&'.join('%s=%r' % (n, p[n]) for n, _, _ in RANGES) + '&color=' + p['color']
        with Server() as s:
            _, h1, b1 = s.get('/heart.svg?user=' + self.SECRET)
            _, h2, b2 = s.get('/heart.svg?' + same)
            self.assertEqual(b1, b2)
            self.assertEqual(h1['etag'], h2['etag'])
            # Static: the phase does not show, so every parameter given explicitly shares it.
            _, h3, _ = s.get('/heart.svg?user=' + self.SECRET + '&color=red&aspect=1&cleft=0.2'
                             '&lobe=1&tip=0.5')
            _, h4, _ = s.get('/heart.svg?user=someone-else&color=red&aspect=1&cleft=0.2'
                             '&lobe=1&tip=0.5')
            self.assertEqual(h3['etag'], h4['etag'])
            # Animated, the phase shows: another user's beat is another tag.
            _, h5, _ = s.get('/heart.svg?animate=true&user=' + self.SECRET)
            _, h6, _ = s.get('/heart.svg?animate=true&' + same)
            self.assertNotEqual(h5['etag'], h6['etag'])
            status, _, _ = s.get('/heart.svg?user=' + self.SECRET,
                                 headers={'If-None-Match': h2['etag']})
            self.assertEqual(status, 304)

    def test_id_never_logged_or_echoed(self):
        secret = self.SECRET
        with Server() as s:
            s.get('/heart.svg?user=' + secret)
            s.get('/heart.png?size=32&%75ser=' + secret)  # the name percent-encoded
            s.get('/heart.svg?color=red&user=' + secret + '&user=' + secret)  # twice: 400
            s.get('/heart.svg?user=' + secret + '%01')  # a control byte: 400
            s.get('/heart.svg?user=' + secret + '%C2%85')  # a C1 control: 400
            s.get('/heart.svg?user=%FF' + secret)  # not UTF-8: 400
            status, _, body = s.get('/heart.svg?user=' + 'a' * 257)
            self.assertEqual(status, 400)
            self.assertEqual(body, b"bad parameter 'user': expected 1 to 256 bytes of UTF-8 "
                             b"without control characters\n")
            status, _, body = s.get('/heart.svg?user=%1B%5B31m' + secret)
            self.assertEqual(status, 400)
            self.assertNotIn(secret.encode(), body)
            _, _, metrics = s.get('/metrics')
            log = s.log()
        self.assertNotIn(secret.encode(), log)
        self.assertNotIn(b'a' * 257, log)
        self.assertNotIn(secret.encode(), metrics)
        self.assertIn(b'reason="invalid_user"} 5', metrics)
        self.assertIn(b'GET /heart.svg?user=REDACTED HTTP/1.1" 200', log)
        self.assertIn(b'GET /heart.png?size=32&%75ser=REDACTED HTTP/1.1" 200', log)
        self.assertIn(b'GET /heart.svg?color=red&user=REDACTED&user=REDACTED HTTP/1.1" 400',
                      log)

    def test_openapi_names_user(self):
        with Server() as s:
            _, _, body = s.get('/openapi.json')
        self.assertIn(b'"name": "user"', body)
        self.assertNotIn(b'"name": "seed"', body)


if __name__ == '__main__':
    main()
