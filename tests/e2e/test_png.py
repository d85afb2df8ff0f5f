"""heart png: valid, exact, atomic files."""
import fractions
import json
import os
import resource
import signal
import struct
import subprocess
import tempfile
import time
import zlib

import heartlib
from heartlib import run, HEART
from pngread import Png, chunks


class PngTest(heartlib.HeartTest):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def make(self, *args, name='out.png'):
        r = run('png', '-o', self.path(name), *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout + r.stderr, b'')
        with open(self.path(name), 'rb') as f:
            return f.read()

    def pngcheck(self, name):
        r = subprocess.run(['pngcheck', '-v', self.path(name)], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        self.assertEqual(r.returncode, 0, r.stdout)
        return r.stdout.decode()

    def listing(self):
        return sorted(os.listdir(self.dir))


class Valid(PngTest):
    def test_pngcheck_srgb_software(self):
        self.make()
        report = self.pngcheck('out.png')
        self.assertIn('chunk sRGB', report)
        self.assertIn('8-bit palette', report)
        version = json.loads(run('version', '--json').stdout)['version']
        with open(self.path('out.png'), 'rb') as f:
            png = Png(f.read())
        self.assertEqual(png.text['Software'], 'heart ' + version)

    def test_default_is_transparent_and_symmetric(self):
        png = Png(self.make('--size', '301x200', '--color', '#3a7'))
        self.assertEqual((png.width, png.height), (301, 200))
        for x, y in ((0, 0), (300, 0), (0, 199), (300, 199), (150, 2)):
            self.assertEqual(png.pixel(x, y)[3], 0)
        self.assertEqual(png.pixel(150, 100), (0x33, 0xaa, 0x77, 255))
        # Mirror-symmetric to one coverage level: the rasterizer works in single-precision
        # floats, and a mirrored edge's coordinates round differently.
        for y in range(png.height):
            for x in range(png.width // 2):
                a, b = png.pixel(x, y), png.pixel(png.width - 1 - x, y)
                self.assertLessEqual(abs(a[3] - b[3]), 1, (x, y))
                if a[3] and b[3]:
                    self.assertEqual(a[:3], b[:3])
        # Anti-aliased: partial coverage on the edge, in every shade.
        alphas = {png.pixel(x, y)[3] for y in range(png.height) for x in range(png.width)}
        self.assertGreater(len(alphas), 100)

    def test_alpha_ignoring_viewers_see_the_heart(self):
        """Fully transparent pixels are transparent black, as rsvg-convert and cairo write
        them: a viewer that drops alpha (PIL's convert('RGB'), thumbnailers) shows the heart on
        black, not a square of the heart's colour. Partly covered pixels keep the heart's
        colour, so the PNG stays exact."""
        for args in ([], ['--color', 'hotpink', '--size', '97x61'], ['--phase', '0.08'],
                     ['--color', 'white', '--aspect', '1.4']):
            with self.subTest(args=args):
                png = Png(self.make(*args))
                colour = png.pixel(png.width // 2, png.height // 2)[:3]
                seen = {0: 0, 255: 0}
                for y in range(png.height):
                    for x in range(png.width):
                        r, g, b, a = png.pixel(x, y)
                        self.assertEqual((r, g, b), (0, 0, 0) if a == 0 else colour, (x, y))
                        if a in seen:
                            seen[a] += 1
                self.assertGreater(seen[0], png.width * png.height // 10)
                self.assertGreater(seen[255], png.width * png.height // 10)
        # A real alpha-ignoring reader: ImageMagick with the alpha channel switched off.
        r = subprocess.run(['convert', self.path('out.png'), '-alpha', 'off', '-depth', '8',
                            'rgb:-'], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 0, r.stderr)
        centre = (128 * 256 + 128) * 3
        self.assertEqual((r.stdout[:3], r.stdout[centre:centre + 3]), (b'\0\0\0', b'\xff' * 3))

    def test_background_colour_blends(self):
        png = Png(self.make('--size', '64', '--color', 'white', '--background', 'black'))
        self.assertNotIn('tRNS', png.names)
        self.assertEqual(png.pixel(0, 0), (0, 0, 0, 255))
        self.assertEqual(png.pixel(32, 32), (255, 255, 255, 255))
        greys = {png.pixel(x, y) for y in range(64) for x in range(64)}
        self.assertTrue(all(p[0] == p[1] == p[2] for p in greys))
        self.assertGreater(len(greys), 20)

    def test_sizes(self):
        self.assertEqual(Png(self.make('--size', '1')).width, 1)
        png = Png(self.make('--size', '1x7'))
        self.assertEqual((png.width, png.height), (1, 7))
        for bad in ('0', '16385', '16384x16385', '-5', '10x', 'x10', '1e3', '10X10', '10x10x10'):
            r = run('png', '-o', self.path('bad.png'), '--size', bad)
            self.assertBadInput(r, '--size')
        self.assertIn(b'16384', run('png', '--size', '20000').stderr)
        self.assertEqual(self.listing(), ['out.png'])

    def test_zlib_stream_at_every_window_and_chunk_size(self):
        """heart writes the image data itself (zlib deflates raw; heart adds the zlib header
        with the smallest window that holds the image, the Adler-32 checksum and the IDAT
        chunks): zlib and pngcheck accept every such stream, and it holds exactly the
        rows, each after its filter byte 0."""
        for size in ('1', '2', '15x1', '16', '17', '22x22', '23x23', '181', '182',
                     '1000x3', '8000'):
            with self.subTest(size=size):
                self.make('--size', size)
                self.pngcheck('out.png')
                with open(self.path('out.png'), 'rb') as f:
                    found = chunks(f.read())
                idat = b''.join(body for kind, body in found if kind == 'IDAT')
                raw = zlib.decompress(idat)  # checks the header and the Adler-32
                w, _, h = size.partition('x')
                w, h = int(w), int(h or w)
                self.assertEqual(len(raw), h * (w + 1))
                self.assertEqual(raw[::w + 1], bytes(h))
                window = 1 << ((idat[0] >> 4) + 8)
                self.assertTrue(window >= min(h * (w + 1), 32768) and
                                (window == 512 or window // 2 < h * (w + 1)), window)
                if size == '8000':
                    self.assertGreater(sum(kind == 'IDAT' for kind, _ in found), 1)

    def test_phase_scales_the_heart(self):
        def coverage(*args):
            png = Png(self.make('--size', '128', *args))
            return sum(png.pixel(x, y)[3] for y in range(128) for x in range(128))
        rest, peak = coverage('--phase', '0'), coverage('--phase', '0.08')
        self.assertAlmostEqual(peak / rest, 1.12 ** 2, delta=0.01)
        self.assertEqual(self.make('--phase', '1'), self.make('--phase', '0', name='b.png'))

    def test_static_heart_fills_the_image(self):
        """A single image at rest never beats, so it keeps no room for the beat: the heart
        is 1 + amplitude times wider than in --phase and --frames images, which do keep it so
        that every frame of a beat lines up."""
        def width(*args):
            png = Png(self.make('--size', '200', *args))
            cols = {x for y in range(200) for x in range(200) if png.pixel(x, y)[3] > 127}
            return max(cols) - min(cols) + 1
        static, rest = width(), width('--phase', '0')
        self.assertAlmostEqual(static / rest, 1.12, delta=0.015)
        self.assertAlmostEqual(static, 180, delta=1)  # the margin is 5 % on each side
        self.assertAlmostEqual(width('--phase', '0', '--amplitude', '0.5'), 120, delta=1)

    def test_beat_options_that_change_nothing_are_refused(self):
        """A PNG does not move: --fps and --bpm never change it (--phase and --frames count
        in beats). --amplitude changes --phase and --frames images only."""
        for args in (['--fps', '2'], ['--bpm', '90'], ['--fps', '2', '--frames', '3'],
                     ['--bpm', '60', '--phase', '0.1']):
            with self.subTest(args=args):
                r = run('png', '-o', self.path('x.png'), *args)
                self.assertUsageError(r, args[0], 'does not move')
        r = run('png', '-o', self.path('x.png'), '--amplitude', '0.2')
        self.assertUsageError(r, '--amplitude', '--phase', '--frames')
        self.assertEqual(self.listing(), [])
        self.assertTrue(self.make('--amplitude', '0.2', '--phase', '0.5') !=
                        self.make('--phase', '0.5', name='b.png'))

    def test_deterministic(self):
        self.assertEqual(self.make('--size', '97'), self.make('--size', '97', name='b.png'))

    def test_stdout_and_terminal(self):
        r = run('png', '--size', '32')
        self.assertEqual(r.returncode, 0)
        Png(r.stdout)
        status, out = heartlib.run_on_terminal('png', '--size', '8')
        self.assertEqual(status, 2)
        self.assertIn(b'terminal', out)
        self.assertNotIn(b'\x89PNG', out)

    def test_peak_memory_at_16384(self):
        code = ('import resource, subprocess, sys;'
                'subprocess.run(sys.argv[1:], check=True);'
                'print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)')
        out = subprocess.run(['python3', '-c', code, HEART, 'png', '--size', '16384', '-o',
                              self.path('big.png')], check=True, stdout=subprocess.PIPE)
        self.assertLess(int(out.stdout) * 1024, 32 << 20)
        self.pngcheck('big.png')

    if heartlib.SANITIZED:  # sanitizer shadow memory makes RSS meaningless
        del test_peak_memory_at_16384


class Frames(PngTest):
    def test_a_beat_as_frames(self):
        r = run('png', '--frames', '10', '--size', '40', '-o', self.path('h-%03d.png'))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.listing(), ['h-%03d.png' % k for k in range(10)])
        frames = [open(self.path('h-%03d.png' % k), 'rb').read() for k in range(10)]
        # Frame k is the heart at phase k/10; the beat moves the heart in some frames only.
        for k in (0, 1, 3):
            self.assertTrue(frames[k] == self.make('--size', '40', '--phase', '0.%d' % k,
                                                   name='p%d.png' % k), k)
        self.assertGreater(len(set(frames)), 2)

    def test_pattern_forms(self):
        r = run('png', '--frames', '2', '--size', '8', '-o', self.path('a%%_%d.png'))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.listing(), ['a%_0.png', 'a%_1.png'])

    def test_bad_patterns_write_nothing(self):
        for pattern in ('x.png', 'x%d%d.png', 'x%s.png', 'x%n.png', 'x%.png', 'x%-3d.png',
                        'x%999d.png', 'x%ld.png', 'x%'):
            r = run('png', '--frames', '2', '-o', self.path(pattern))
            self.assertBadInput(r, 'conversion')
        self.assertEqual(self.listing(), [])

    def test_frames_need_output_and_no_phase(self):
        self.assertUsageError(run('png', '--frames', '2'), '--frames')
        self.assertUsageError(run('png', '--frames', '2', '--phase', '0.5', '-o',
                                  self.path('%d')), '--phase')
        self.assertBadInput(run('png', '--frames', '1001', '-o', self.path('%d')), '--frames')


def rgba(program, path):
    """The pixels a program decodes from path, as RGBA bytes: ImageMagick's convert
    (libpng, no APNG: the default image) or ffmpeg (every frame of an APNG, one after the
    other)."""
    if program == 'convert':
        argv = ['convert', path + '[0]', 'rgba:-']
    else:
        argv = ['ffmpeg', '-v', 'error', '-i', path, '-fps_mode', 'passthrough',
                '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    return r.stdout


class Animated(PngTest):
    """heart png --animate: an APNG whose default image is heart png's still heart, and
    whose frames are --phase's images, one loop a beat."""

    def frames_of(self, data):
        """(fcTL fields, acTL's count) of an APNG."""
        found, count = [], None
        for kind, body in chunks(data):
            if kind == 'acTL':
                count, plays = struct.unpack('>II', body)
                self.assertEqual(plays, 0)  # forever
            elif kind == 'fcTL':
                found.append(struct.unpack('>IIIIIHHBB', body))
        return found, count

    def test_checkers_accept_it(self):
        data = self.make('--animate', '--size', '120', name='a.png')
        self.pngcheck('a.png')
        frames, count = self.frames_of(data)
        self.assertEqual(len(frames), count)
        self.assertGreater(count, 2)
        r = subprocess.run(['ffprobe', '-v', 'error', '-count_frames', '-select_streams', 'v:0',
                            '-show_entries', 'stream=codec_name,nb_read_frames', '-of', 'json',
                            self.path('a.png')], stdout=subprocess.PIPE, check=True)
        stream = json.loads(r.stdout)['streams'][0]
        self.assertEqual((stream['codec_name'], int(stream['nb_read_frames'])), ('apng', count))

    def test_viewers_without_apng_show_the_still_heart(self):
        """ImageMagick reads PNG with libpng, which knows no APNG: it shows the default
        image, which is heart png's heart at rest, pixel for pixel."""
        for opts in ([], ['--background', 'navy', '--color', 'gold', '--size', '90x70']):
            with self.subTest(opts=opts):
                self.make('--animate', '--amplitude', '0.4', *opts, name='a.png')
                self.make(*opts, name='still.png')
                self.assertEqual(rgba('convert', self.path('a.png')),
                                 rgba('convert', self.path('still.png')))

    def test_every_frame_is_its_phase_and_a_loop_is_a_beat(self):
        """ffmpeg decodes every frame: frame j is heart png --phase of its first phase, exact
        alpha included, and the delays add up to the beat's period exactly."""
        for bpm, size, opts in ((72, 64, ['--background', 'white']), (90, 48, []),
                                (40, 40, ['--amplitude', '0.5', '--color', 'teal'])):
            with self.subTest(bpm=bpm):
                data = self.make('--animate', '--bpm', str(bpm), '--size', str(size), *opts,
                                 name='a.png')
                frames, _ = self.frames_of(data)
                period = fractions.Fraction(60, bpm)
                n = min(300, max(4, round(30 * period)))
                delays = [fractions.Fraction(f[5], f[6] or 100) for f in frames]
                self.assertEqual(sum(delays), period)
                decoded = rgba('ffmpeg', self.path('a.png'))
                one = size * size * 4
                self.assertEqual(len(decoded), one * len(frames))
                phase = fractions.Fraction(0)
                for j, delay in enumerate(delays):
                    k = phase * n / period
                    self.assertEqual(k.denominator, 1)
                    still = self.make('--phase', repr(float(k / n)), '--size', str(size),
                                      *opts, name='p.png')
                    self.assertEqual(decoded[j * one:(j + 1) * one],
                                     rgba('ffmpeg', self.path('p.png')), (bpm, j, k))
                    phase += delay

    def test_rules(self):
        """--animate excludes --phase and --frames; --fps, --bpm and --amplitude apply to
        it."""
        for args in (['--phase', '0.5'], ['--frames', '3']):
            r = run('png', '--animate', '-o', self.path('x%d.png'), *args)
            self.assertUsageError(r, '--animate', args[0])
        self.assertEqual(self.listing(), [])
        self.assertNotEqual(self.make('--animate', '--size', '40', '--fps', '2'),
                            self.make('--animate', '--size', '40', name='b.png'))
        self.assertEqual(self.make('--animate', '--size', '40', '--bpm', '72'),
                         self.make('--animate', '--size', '40', name='b.png'))


class Atomic(PngTest):
    def test_bad_values_write_nothing(self):
        for args in (('--color', 'redd'), ('--cleft', '0.51'), ('--phase', '1.5'),
                     ('--tip', '1.5x'), ('--aspect', '1,1'), ('--amplitude', 'nan')):
            r = run('png', '-o', self.path('x.png'), *args)
            self.assertBadInput(r, args[0])
        self.assertEqual(self.listing(), [])

    def test_unwritable_directory(self):
        r = run('png', '-o', self.path('missing/x.png'))
        self.assertBadInput(r, 'missing/x.png')

    def test_full_disk(self):
        with open('/dev/full', 'wb') as full:
            r = subprocess.run([HEART, 'png', '--size', '64'], stdout=full,
                               stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.splitlines()), 1)

    def test_killed_midway_leaves_no_file(self):
        """The PNG is written to an anonymous file in the target's directory (O_TMPFILE):
        SIGKILL while it is written leaves nothing at all, not even a hidden name."""
        target = self.path('big.png')
        p = subprocess.Popen([HEART, 'png', '--size', '16384', '-o', target])
        deadline = time.time() + 20
        started = False
        while time.time() < deadline and not started:
            try:
                links = [os.readlink('/proc/%d/fd/%s' % (p.pid, fd))
                         for fd in os.listdir('/proc/%d/fd' % p.pid)]
            except OSError:
                links = []  # a descriptor closed meanwhile
            started = any(l.startswith(self.dir + '/#') for l in links)
            time.sleep(0.002)
        p.send_signal(signal.SIGKILL)
        p.wait()
        self.assertTrue(started, 'never saw the anonymous file')
        self.assertEqual(p.returncode, -signal.SIGKILL, 'finished before it was killed')
        self.assertEqual(self.listing(), [])

    def test_existing_file_survives_a_failure(self):
        target = self.path('keep.png')
        with open(target, 'wb') as f:
            f.write(b'old')
        r = run('png', '-o', target, '--color', 'nope')
        self.assertEqual(r.returncode, 2)
        self.assertEqual(open(target, 'rb').read(), b'old')


if __name__ == '__main__':
    heartlib.main()
