"""heart icons: the files a site needs, the ICO container, opaque touch icon, dark SVG, tags."""
import os
import shutil
import struct
import subprocess
import tempfile

import heartlib
from heartlib import run
from pngread import Png

FILES = ['favicon.ico', 'favicon.svg', 'apple-touch-icon.png', 'icon-192.png', 'icon-512.png']
PNG_SIZES = {'apple-touch-icon.png': 180, 'icon-192.png': 192, 'icon-512.png': 512}
OPTIONS = ['--color', 'teal', '--cleft', '0.3', '--seed', 'alice']


def tool(name):
    """The path of a tool the tests need: missing is a failure, not a skip."""
    path = shutil.which(name)
    if not path:
        raise AssertionError('%s is missing: run scripts/setup.sh --test' % name)
    return path


def parse_ico(data):
    """The (width, height, png bytes) of each entry of an ICO directory, checking its
    header and that the entries tile the file after the directory."""
    reserved, kind, count = struct.unpack_from('<HHH', data, 0)
    assert (reserved, kind) == (0, 1), (reserved, kind)
    entries, end = [], 6 + 16 * count
    for i in range(count):
        w, h, colors, res, planes, bits, size, offset = struct.unpack_from(
            '<BBBBHHII', data, 6 + 16 * i)
        assert (colors, res, planes, bits) == (0, 0, 1, 32), (colors, res, planes, bits)
        assert offset == end, (offset, end)
        end = offset + size
        entries.append((w or 256, h or 256, data[offset:offset + size]))
    assert end == len(data), (end, len(data))
    return entries


class IconsTest(heartlib.HeartTest):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='heart-icons-')
        self.addCleanup(shutil.rmtree, self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def icons(self, *args):
        r = run('icons', '-o', self.dir, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, b'')
        return r.stdout.decode()

    def read(self, name):
        with open(self.path(name), 'rb') as f:
            return f.read()

    def pngcheck(self, data):
        with tempfile.NamedTemporaryFile(suffix='.png') as f:
            f.write(data)
            f.flush()
            r = subprocess.run([tool('pngcheck'), f.name], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_files_and_tags(self):
        out = self.icons()
        self.assertEqual(sorted(os.listdir(self.dir)), sorted(FILES))
        for tag in ['<link rel="icon" href="/favicon.ico" sizes="48x48">',
                    '<link rel="icon" href="/favicon.svg" type="image/svg+xml">',
                    '<link rel="apple-touch-icon" href="/apple-touch-icon.png">',
                    '"src": "/icon-192.png"', '"sizes": "192x192"',
                    '"src": "/icon-512.png"', '"sizes": "512x512"']:
            self.assertIn(tag, out)

    def test_pngs_valid_and_sized(self):
        self.icons(*OPTIONS)
        for name, size in PNG_SIZES.items():
            data = self.read(name)
            self.pngcheck(data)
            png = Png(data)
            self.assertEqual((png.width, png.height), (size, size), name)

    def test_ico_holds_heart_png_at_each_size(self):
        """Three PNG entries, 16, 32 and 48 px, each byte for byte `heart png --size N`."""
        self.icons(*OPTIONS)
        entries = parse_ico(self.read('favicon.ico'))
        self.assertEqual([(w, h) for w, h, _ in entries], [(16, 16), (32, 32), (48, 48)])
        for w, h, data in entries:
            self.pngcheck(data)
            png = Png(data)
            self.assertEqual((png.width, png.height), (w, h))
            r = run('png', '--size', w, *OPTIONS)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(data, r.stdout, 'the %d px entry differs from heart png' % w)

    def test_large_pngs_match_heart_png(self):
        self.icons(*OPTIONS, '--background', 'navy')
        for name in ['icon-192.png', 'icon-512.png', 'apple-touch-icon.png']:
            r = run('png', '--size', PNG_SIZES[name], *OPTIONS, '--background', 'navy')
            self.assertEqual(self.read(name), r.stdout, name)

    def assertOpaque(self, png):
        alphas = {png.pixel(x, y)[3] for y in range(png.height) for x in range(png.width)}
        self.assertEqual(alphas, {255})

    def test_touch_icon_opaque_white_by_default(self):
        self.icons()
        png = Png(self.read('apple-touch-icon.png'))
        self.assertOpaque(png)
        self.assertEqual(png.pixel(0, 0), (255, 255, 255, 255))
        # The manifest icons stay transparent without --background.
        self.assertEqual(Png(self.read('icon-192.png')).pixel(0, 0)[3], 0)

    def test_touch_icon_takes_background(self):
        self.icons('--background', 'navy')
        png = Png(self.read('apple-touch-icon.png'))
        self.assertOpaque(png)
        self.assertEqual(png.pixel(0, 0), (0, 0, 128, 255))
        self.assertEqual(Png(self.read('icon-512.png')).pixel(0, 0), (0, 0, 128, 255))

    def xmllint(self, data):
        r = subprocess.run([tool('xmllint'), '--noout', '-'], input=data,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, b'')

    def test_svg_dark_default_is_lighter_tint(self):
        """Without --dark-color the dark rule carries --color 40 % of the way to white."""
        self.icons('--color', '#204060')
        svg = self.read('favicon.svg')
        self.xmllint(svg)
        self.assertIn(b'@media (prefers-color-scheme:dark)', svg)
        # 20 + (ff - 20) * 2 / 5 = 79, 40 -> 8c, 60 -> 9f
        self.assertIn(b'#798c9f', svg.lower())

    def test_svg_dark_color_given(self):
        self.icons('--dark-color', 'ffb6c1', '--dark-background', '#222')
        svg = self.read('favicon.svg')
        self.xmllint(svg)
        r = run('svg', '--dark-color', 'ffb6c1', '--dark-background', '#222')
        self.assertEqual(svg, r.stdout)

    def test_bad_option_writes_nothing(self):
        for args in (['--color', 'nope'], ['--fps', '2'], ['--size', '32'], ['--animate'],
                     ['--phase', '0.5'], ['--title', 't']):
            r = run('icons', '-o', self.dir, *args)
            self.assertEqual(r.returncode, 2, args)
            self.assertEqual(r.stdout, b'')
            self.assertEqual(os.listdir(self.dir), [], args)

    def test_missing_directory_refused(self):
        missing = self.path('missing')
        r = run('icons', '-o', missing)
        self.assertBadInput(r, 'missing/favicon.ico', 'No such file or directory')
        self.assertFalse(os.path.exists(missing))

    def test_output_required(self):
        self.assertUsageError(run('icons'), '--output', command='icons')

    def test_existing_files_replaced(self):
        with open(self.path('favicon.svg'), 'w') as f:
            f.write('old')
        self.icons()
        self.assertTrue(self.read('favicon.svg').startswith(b'<svg'))


if __name__ == '__main__':
    heartlib.main()
