"""heart gif and GET /heart.gif: one beat, looping forever, as gifsicle and ffprobe read it."""
import os
import re
import subprocess
import tempfile

import heartlib
import servelib
from heartlib import run, HEART


def period(hz):
    """One beat in hundredths of a second, as a GIF can say it."""
    return int(100 / hz + 0.5)


class GifTest(heartlib.HeartTest):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def make(self, *args, name='out.gif'):
        r = run('gif', '-o', self.path(name), *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout + r.stderr, b'')
        with open(self.path(name), 'rb') as f:
            return f.read()

    def info(self, name='out.gif'):
        """gifsicle --info: (screen size, loops forever, [(w, h, x, y, delay in 1/100 s)])."""
        r = subprocess.run(['gifsicle', '--info', self.path(name)], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, check=True)
        text = r.stdout.decode()
        self.assertNotIn('warning', text)
        screen = tuple(map(int, re.search(r'logical screen (\d+)x(\d+)', text).groups()))
        frames = []
        for m in re.finditer(r'\+ image #\d+ (\d+)x(\d+)(?: at (\d+),(\d+))?.*?\n(.*?)'
                             r'(?=\n  \+|\Z)', text, re.S):
            delay = re.search(r'delay (\d+(?:\.\d+)?)s', m.group(5))
            frames.append((int(m.group(1)), int(m.group(2)), int(m.group(3) or 0),
                           int(m.group(4) or 0),
                           round(float(delay.group(1)) * 100) if delay else 0))
        return screen, 'loop forever' in text, frames

    def ffprobe_frames(self, name='out.gif'):
        r = subprocess.run(['ffprobe', '-v', 'error', '-count_frames', '-select_streams', 'v:0',
                            '-show_entries', 'stream=codec_name,width,height,nb_read_frames',
                            '-of', 'default=noprint_wrappers=1', self.path(name)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
        return dict(line.split('=', 1) for line in r.stdout.decode().split())


class Valid(GifTest):
    def test_one_beat_loops_forever(self):
        for args, hz in (((), 1.2), (('--fps', '0.7'), 0.7), (('--bpm', '150'), 2.5),
                         (('--fps', '10'), 10), (('--fps', '0.1', '--size', '40'), 0.1)):
            self.make(*args)
            screen, forever, frames = self.info()
            self.assertEqual(screen, (256, 256) if '--size' not in args else (40, 40))
            self.assertTrue(forever, args)
            self.assertGreater(len(frames), 1, args)
            delays = [f[4] for f in frames]
            self.assertEqual(sum(delays), period(hz), args)
            self.assertGreaterEqual(min(delays), 2, args)
            # The first frame is the whole picture; the others what changed, inside it.
            self.assertEqual(frames[0][:4], (screen[0], screen[1], 0, 0))
            for w, h, x, y, _ in frames[1:]:
                self.assertTrue(x + w <= screen[0] and y + h <= screen[1], frames)
                self.assertLess(w * h, screen[0] * screen[1], frames)

    def test_ffprobe_decodes_every_frame(self):
        self.make('--size', '120x90', '--color', 'teal', '--background', '#112')
        _, _, frames = self.info()
        probe = self.ffprobe_frames()
        self.assertEqual(probe['codec_name'], 'gif')
        self.assertEqual((probe['width'], probe['height']), ('120', '90'))
        self.assertEqual(int(probe['nb_read_frames']), len(frames))

    def test_no_beat_is_one_frame(self):
        self.make('--amplitude', '0')
        _, forever, frames = self.info()
        self.assertTrue(forever)
        self.assertEqual([f[4] for f in frames], [period(1.2)])

    def test_deterministic_and_stdout(self):
        a = self.make('--size', '64')
        r = run('gif', '--size', '64')
        self.assertEqual((r.returncode, r.stderr), (0, b''))
        self.assertEqual(r.stdout, a)
        self.assertTrue(a.startswith(b'GIF89a'))

    def test_no_larger_than_gifsicle_O3(self):
        """The size goal: gifsicle -O3 of heart's own frames, unoptimised. heart's GIF is no
        larger from 4 to 160 pixels but at 48 (3 bytes over, 0.06%): a tenth of a percent is
        the bound here (docs/benchmarks.md)."""
        for size in ('16', '48', '64', '256', '200x120'):
            ours = self.make('--size', size)
            full = subprocess.run(['gifsicle', '--unoptimize', self.path('out.gif')],
                                  stdout=subprocess.PIPE, check=True).stdout
            best = subprocess.run(['gifsicle', '-O3'], input=full, stdout=subprocess.PIPE,
                                  check=True).stdout
            self.assertLessEqual(len(ours), len(best) * 1.001, size)

    def test_terminal_refused(self):
        status, out = heartlib.run_on_terminal('gif', '--size', '8')
        self.assertEqual(status, 2)
        self.assertIn(b'gif: refusing to write GIF to a terminal', out)
        self.assertNotIn(b'GIF89a', out)


class Refused(GifTest):
    def test_bad_values_write_nothing(self):
        for args in (('--color', 'redd'), ('--cleft', '0.51'), ('--fps', '11'),
                     ('--bpm', '5'), ('--amplitude', 'nan'), ('--size', '0'),
                     ('--size', '16385'), ('--background', 'transparentt')):
            r = run('gif', '-o', self.path('x.gif'), *args)
            self.assertBadInput(r, args[0])
        self.assertEqual(os.listdir(self.dir), [])

    def test_options_of_other_commands(self):
        self.assertUsageError(run('gif', '--fps', '1', '--bpm', '60'), '--fps', '--bpm',
                              command='gif')
        for option in ('--phase', '--frames', '--animate', '--title'):
            self.assertUsageError(run('gif', option, '1'), option, command='gif')

    def test_full_disk(self):
        with open('/dev/full', 'wb') as full:
            r = subprocess.run([HEART, 'gif', '--size', '64'], stdout=full,
                               stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)


class Served(GifTest):
    def test_served_bytes_are_heart_gifs(self):
        with servelib.Server('--quiet') as s:
            for query, args in (('', ()), ('?size=100x80&color=navy&bpm=90',
                                           ('--size', '100x80', '--color', 'navy', '--bpm',
                                            '90')),
                                ('?background=%23313338&amplitude=0.3&tip=0.2',
                                 ('--background', '#313338', '--amplitude', '0.3', '--tip',
                                  '0.2'))):
                status, headers, body = s.get('/heart.gif' + query)
                self.assertEqual(status, 200, body)
                self.assertEqual(headers['content-type'], 'image/gif')
                self.assertEqual(body, self.make(*args), query)
                # Equal hearts share an ETag; a 304 has no body.
                status, _, body = s.get('/heart.gif' + query,
                                        {'If-None-Match': headers['etag']})
                self.assertEqual((status, body), (304, b''))

    def test_equal_gifs_share_an_etag(self):
        with servelib.Server('--quiet') as s:
            tags = {}
            for query in ('', '?background=transparent', '?background=white',
                          '?background=%23ffffff&fps=1.2', '?bpm=72', '?background=black'):
                status, headers, body = s.get('/heart.gif' + query)
                self.assertEqual(status, 200, body)
                tags.setdefault(headers['etag'], set()).add(body)
            # One tag for the default heart, however it is spelt, one for the black one; one
            # body for each tag.
            self.assertEqual(len(tags), 2, tags.keys())
            self.assertEqual([len(bodies) for bodies in tags.values()], [1, 1])

    def test_bad_queries_refused(self):
        with servelib.Server('--quiet', '--max-size', '300') as s:
            for query, text in (('size=301', b"bad parameter 'size': expected N or WxH, each "
                                              b"side from 1 to 300"),
                                ('fps=1&bpm=60', b'give fps or bpm, not both'),
                                ('phase=0.5', b"parameter 'phase' does not apply to "
                                              b"/heart.gif"),
                                ('color=redd', b"bad parameter 'color': expected "),
                                ('animate=true', b"parameter 'animate' does not apply")):
                status, _, body = s.get('/heart.gif?' + query)
                self.assertEqual(status, 400, query)
                self.assertTrue(body.startswith(text), (query, body))


if __name__ == '__main__':
    heartlib.main()
