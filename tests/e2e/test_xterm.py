"""The damage encoder in an emulator nobody here wrote: the byte stream of a long beating run,
with resizes, replayed through xterm.js (@xterm/headless, scripts/setup.sh --test installs it
into tests/xterm/node_modules), must leave the screen a full redraw of the last frame leaves."""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time

from fakepty import FakeTerminal
from heartlib import HEART, SOURCE_ROOT, HeartTest, main

MODULES = os.path.join(SOURCE_ROOT, 'tests', 'xterm', 'node_modules')
REPLAY = os.path.join(SOURCE_ROOT, 'tests', 'e2e', 'xterm_replay.js')
QUERY = b'\x1b]11;?\x1b\\\x1b[c'
SETUP = b'\x1b[?1049h\x1b[?25l'
RESTORE = b'\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l'
WAIT = 20
ARGS = ['--fps', '2.5', '--amplitude', '0.3', '--color', 'hotpink', '--color-mode', '24bit',
        '--refresh', '30']


def replay(cols, rows, events):
    """The final screen of xterm.js after events ('o', bytes) and ('r', cols, rows)."""
    node = shutil.which('node') or shutil.which('nodejs')
    if not node or not os.path.isdir(os.path.join(MODULES, '@xterm', 'headless')):
        raise AssertionError('node or @xterm/headless missing: run scripts/setup.sh --test')
    stream = {'cols': cols, 'rows': rows,
              'events': [['o', base64.b64encode(e[1]).decode()] if e[0] == 'o' else list(e)
                         for e in events]}
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
        json.dump(stream, f)
    try:
        r = subprocess.run([node, REPLAY, f.name], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60,
                           env=dict(os.environ, NODE_PATH=MODULES))
    finally:
        os.unlink(f.name)
    if r.returncode != 0:
        raise AssertionError('xterm_replay.js: ' + r.stderr.decode(errors='replace'))
    return json.loads(r.stdout)


def up_to(events, length):
    """events with their output cut after `length` bytes of output in all."""
    out, seen = [], 0
    for e in events:
        if e[0] == 'o':
            e = ('o', e[1][:max(0, length - seen)])
            seen += len(e[1])
        out.append(e)
    return out


def text(screen):
    return '\n'.join(''.join(c[0] for c in row).rstrip() for row in screen['cells'])


class XtermReplay(HeartTest):
    def test_beating_with_resizes_ends_as_a_full_redraw(self):
        term = FakeTerminal(ARGS, cols=60, rows=20, env={'TERM': 'xterm-256color'})
        self.addCleanup(term.close)
        term.read_until(lambda out: QUERY in out, 'the question')
        term.type(b'\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c')  # a white terminal
        # Beat for a while between resizes, growing and shrinking, about 4 s in all.
        for cols, rows in ((80, 24), (45, 15), (100, 30), (70, 22)):
            end = time.monotonic() + 1
            while time.monotonic() < end:
                term.read()
            term.resize(cols, rows)
        end = time.monotonic() + 0.7
        while time.monotonic() < end:
            term.read()
        self.assertGreater(term.output.count(b'\x1b[?2026h'), 60, 'too few frames')
        # Pause: the heart rests; the note 'paused' shows for 1.5 s and goes.
        term.type(b' ')
        # The replayed screen, once heart has drawn the rest and the note has gone, must be
        # what a full redraw of the resting heart at that size shows.
        expected = replay(70, 22, [('o', self.full_redraw(70, 22))])
        self.assertIn('▀', text(expected))
        deadline = time.monotonic() + WAIT
        while True:
            quiet = time.monotonic() + 0.5
            while time.monotonic() < quiet:
                if term.read(0.1):
                    quiet = time.monotonic() + 0.5
            got = replay(60, 20, term.events)
            if got == expected or time.monotonic() > deadline:
                break
        self.assertTrue(got['alternate'])
        self.assertEqual((got['cols'], got['rows']), (70, 22))
        self.assertEqual(text(got), text(expected))
        self.assertEqual(got, expected)
        # Quitting gives the terminal back; replayed, the main screen is empty again.
        term.type(b'q')
        self.assertEqual(term.wait(), 0)
        self.assertTrue(term.output.endswith(RESTORE))
        final = replay(60, 20, term.events)
        self.assertFalse(final['alternate'])
        self.assertEqual(text(final).strip(), '')

    def full_redraw(self, cols, rows):
        """heart's bytes for one frame at rest, cols x rows, on the same white background,
        without the sequence that gives the terminal back."""
        r = subprocess.run([HEART, '--format', 'terminal', '--size', '%dx%d' % (cols, rows),
                            '--frames', '1'] + ARGS, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60,
                           env=dict(os.environ, COLORFGBG='0;15', LANG='C.UTF-8'))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith(SETUP) and r.stdout.endswith(RESTORE))
        return r.stdout[:-len(RESTORE)]


if __name__ == '__main__':
    main()
