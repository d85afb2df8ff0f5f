"""End-to-end tests for `heart play` (the default command): a real terminal through tmux, pipes,
asciicast recordings checked with asciinema."""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from fakepty import TERMINATING_SIGNALS, FakeTerminal, signal_name
from heartlib import HEART, HeartTest, main, run

CSI = re.compile(rb'\x1b\[[0-9;?]*[A-Za-z]')
WAIT = 10  # seconds any one condition may take to appear


def require(tool):
    """A missing tool fails the test (scripts/setup.sh installs it), never skips it."""
    path = shutil.which(tool)
    if not path:
        raise AssertionError('%s is not installed: run scripts/setup.sh --test' % tool)
    return path


class Tmux:
    """A private tmux server (its own socket, no user config) with one pane of a fixed size,
    running `command` under sh, which then prints its exit status and stays, so the terminal's
    state after the command can be inspected (tmux hides the cursor of a dead pane)."""

    def __init__(self, cols, rows, command, env=None, wrap=True, conf=()):
        require('tmux')
        self.socket = 'test-%d-%d' % (os.getpid(), time.monotonic_ns())
        self.conf = tempfile.NamedTemporaryFile('w', suffix='.conf', delete=False)
        self.conf.write('set -g status off\n')  # the pane is the whole window
        for line in conf:
            self.conf.write(line + '\n')
        self.conf.close()
        full_env = {'LANG': 'C.UTF-8', 'TERM': 'screen-256color'}
        full_env.update(env or {})
        # Ctrl-C reaches the whole foreground group; the trap keeps sh alive to report the
        # status and whether the terminal's modes (stty -g) are as they were. No core files.
        shell = ['sh', '-c', 'ulimit -c 0; before=$(stty -g); trap : INT; "$@"; s=$?; '
                 '[ "$(stty -g)" = "$before" ] && m=same || m=changed; '
                 'echo "status=$s modes=$m"; exec sleep 600', 'sh'] if wrap else []
        self.modes_after = None
        argv = shell + ['env', '-u', 'NO_COLOR', '-u', 'COLORTERM'] + \
            ['%s=%s' % kv for kv in full_env.items()] + command
        self.tmux('-f', self.conf.name, 'new-session', '-d', '-x', str(cols), '-y', str(rows),
                  *argv)

    def tmux(self, *args):
        r = subprocess.run(['tmux', '-L', self.socket] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=WAIT)
        if r.returncode != 0:
            raise AssertionError('tmux %s: %s' % (' '.join(args), r.stderr.decode()))
        return r.stdout.decode('utf-8', 'replace')

    def close(self):
        """Kill the server; safe to repeat."""
        if self.conf is None:
            return
        subprocess.run(['tmux', '-L', self.socket, 'kill-server'], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=WAIT)
        os.unlink(self.conf.name)
        self.conf = None

    def screen(self, escapes=False):
        return self.tmux('capture-pane', '-p', *(['-e'] if escapes else []))

    def show(self, fmt):
        return self.tmux('display', '-p', fmt).strip()

    def wait(self, predicate, what):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        self.fail_with('timed out waiting for ' + what)

    def fail_with(self, message):
        raise AssertionError('%s; pane:\n%s' % (message, self.screen()))

    def wait_heart(self):
        self.wait(lambda: '█' in self.screen(), 'the heart')

    def wait_status(self):
        """The command's exit status, once it has exited (and, with the sh wrapper, whether
        the terminal's modes are back as they were: self.modes_after)."""
        found = []
        pattern = r'status=(\d+)(?: modes=(\w+))?'
        self.wait(lambda: found.extend(re.findall(pattern, self.screen())) or found,
                  'the exit status')
        self.modes_after = found[0][1] or None
        return int(found[0][0])

    def command_pid(self):
        """The pid of the command sh runs (env execs heart, so it is heart's)."""
        sh = self.show('#{pane_pid}')
        with open('/proc/%s/task/%s/children' % (sh, sh)) as f:
            return int(f.read().split()[0])

    def heart_pid(self):
        """The pid of the heart process among the pane's descendants (waits for it)."""
        want = os.path.realpath(HEART)
        found = []

        def look():
            todo = [int(self.show('#{pane_pid}'))]
            while todo and not found:
                pid = todo.pop()
                try:
                    if os.readlink('/proc/%d/exe' % pid) == want:
                        found.append(pid)
                    with open('/proc/%d/task/%d/children' % (pid, pid)) as f:
                        todo.extend(int(c) for c in f.read().split())
                except OSError:
                    pass
            return found
        self.wait(look, 'the heart process')
        return found[0]

    def modes(self):
        """(cursor visible, alternate screen on) as tmux sees the pane."""
        cursor, alternate = self.show('#{cursor_flag} #{alternate_on}').split()
        return cursor == '1', alternate == '1'


XTERM16 = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
           (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
           (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]


def xterm256(i):
    if i < 16:
        return XTERM16[i]
    if i >= 232:
        return (8 + 10 * (i - 232),) * 3
    levels = (0, 95, 135, 175, 215, 255)
    i -= 16
    return levels[i // 36], levels[i // 6 % 6], levels[i % 6]


def sgr_colours(params, fg, bg):
    """(fg, bg) after SGR parameters params (a list of ints); colours are (r, g, b) in
    xterm's palette for 16 and 256 colours, None for the terminal's default."""
    i = 0
    while i < len(params):
        p = params[i]
        if p in (38, 48):
            if params[i + 1] == 5:
                c, i = xterm256(params[i + 2]), i + 3
            else:
                c, i = tuple(params[i + 2:i + 5]), i + 5
            fg, bg = (c, bg) if p == 38 else (fg, c)
            continue
        if p == 0:
            fg = bg = None
        elif p == 39:
            fg = None
        elif p == 49:
            bg = None
        elif 30 <= p <= 37 or 90 <= p <= 97:
            fg = XTERM16[p % 10 + (8 if p >= 90 else 0)]
        elif 40 <= p <= 47 or 100 <= p <= 107:
            bg = XTERM16[p % 10 + (8 if p >= 100 else 0)]
        i += 1
    return fg, bg


def screen_cells(text):
    """(glyph, fg, bg) for each character of a capture-pane -e, row after row."""
    cells, fg, bg = [], None, None
    for m in re.finditer(r'\x1b\[([0-9;]*)m|([^\n])', text):
        if m.group(2) is not None:
            cells.append((m.group(2), fg, bg))
        else:
            fg, bg = sgr_colours([int(x) for x in m.group(1).split(';') if x] or [0], fg, bg)
    return cells


def screen_colours(text):
    """The colours (r, g, b) that the SGR codes of a capture-pane -e (or of heart's own output)
    set."""
    colours = set()
    for params in re.findall(r'\x1b\[([0-9;]*)m', text):
        colours.update(c for c in sgr_colours([int(x) for x in params.split(';') if x] or [0],
                                              None, None) if c)
    return colours


def luminance(c):
    lin = [v / 255 / 12.92 if v / 255 <= 0.04045 else ((v / 255 + 0.055) / 1.055) ** 2.4
           for v in c]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def heart_extent(screen):
    """Columns and rows the heart's block glyphs span: (x0, x1, y0, y1)."""
    cells = [(x, y) for y, line in enumerate(screen.splitlines())
             for x, ch in enumerate(line) if ch in '▀▄█']
    if not cells:
        return None
    xs, ys = [c[0] for c in cells], [c[1] for c in cells]
    return min(xs), max(xs), min(ys), max(ys)


class TerminalTest(HeartTest):
    def pane(self, cols, rows, *args, env=None):
        t = Tmux(cols, rows, [HEART] + [str(a) for a in args], env)
        self.addCleanup(t.close)
        return t

    def assertGivenBack(self, t):
        cursor, alternate = t.modes()
        self.assertTrue(cursor, 'cursor still hidden')
        self.assertFalse(alternate, 'still on the alternate screen')
        if t.modes_after is not None:
            self.assertEqual(t.modes_after, 'same', 'the terminal modes (stty) were not restored')

    def test_ctrl_c_gives_the_terminal_back(self):
        t = self.pane(60, 20, '--color', 'ff0000', '--fps', '1.4')
        t.wait_heart()
        self.assertEqual(t.modes(), (False, True))  # drawing: cursor hidden, alternate screen
        x0, x1, y0, y1 = heart_extent(t.screen())
        self.assertLess(abs((x0 + x1) / 2 - 29.5), 2)  # centred
        self.assertLess(abs((y0 + y1) / 2 - 9.5), 2)
        t.tmux('send-keys', 'C-c')
        self.assertEqual(t.wait_status(), 128 + signal.SIGINT)  # died by SIGINT, as shells do
        self.assertGivenBack(t)
        self.assertNotIn('█', t.screen())  # the main screen is back, as it was

    def test_ctrl_c_stops_a_shell_loop(self):
        """One Ctrl-C ends the loop: heart dies by SIGINT, so bash knows it was interrupted."""
        require('bash')
        t = Tmux(60, 20, ['bash', '-c', 'for i in 1 2 3; do "$0" --duration 60; '
                          'echo "after $i"; done; echo loop-ended', HEART])
        self.addCleanup(t.close)
        t.wait_heart()
        t.tmux('send-keys', 'C-c')
        self.assertEqual(t.wait_status(), 128 + signal.SIGINT)
        self.assertNotIn('after', t.screen())
        self.assertNotIn('loop-ended', t.screen())
        self.assertGivenBack(t)

    def test_signals_give_the_terminal_back(self):
        """Every signal whose default action ends the process: the terminal is given back,
        then heart dies by that signal (128 + N in the shell), crash signals included."""
        sigs = [signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2,
                signal.SIGALRM, signal.SIGVTALRM, signal.SIGPROF, signal.SIGXCPU,
                signal.SIGXFSZ, signal.SIGPIPE, signal.SIGPWR, signal.SIGSTKFLT, signal.SIGIO,
                signal.SIGRTMIN, signal.SIGRTMAX,
                # Crashes: given back from the handler, then the default action (core).
                signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE, signal.SIGILL, signal.SIGABRT,
                signal.SIGTRAP, signal.SIGSYS]
        for sig in sigs:
            with self.subTest(sig=signal.Signals(sig).name):
                t = self.pane(40, 12)
                t.wait_heart()
                os.kill(t.command_pid(), sig)
                self.assertEqual(t.wait_status(), 128 + sig)
                self.assertGivenBack(t)
                t.close()

    def test_signals_ignored_at_start_stay_ignored(self):
        """trap '' (and nohup) ignore a signal for the commands a shell starts: heart keeps
        it ignored, and still handles the others."""
        def masks(pid):
            with open('/proc/%d/status' % pid) as f:
                fields = dict(l.split(':\t', 1) for l in f.read().splitlines() if ':\t' in l)
            return int(fields['SigIgn'], 16), int(fields['SigCgt'], 16)

        def bit(sig):
            return 1 << (sig - 1)

        t = Tmux(40, 12, ['sh', '-c', 'trap "" HUP USR1; exec "$0"', HEART])
        self.addCleanup(t.close)
        t.wait_heart()
        pid = t.heart_pid()
        ignored, caught = masks(pid)
        self.assertTrue(ignored & bit(signal.SIGHUP) and ignored & bit(signal.SIGUSR1))
        self.assertTrue(caught & bit(signal.SIGTERM) and caught & bit(signal.SIGUSR2))
        self.assertFalse(caught & (bit(signal.SIGHUP) | bit(signal.SIGUSR1)))
        os.kill(pid, signal.SIGHUP)
        os.kill(pid, signal.SIGUSR1)
        time.sleep(0.5)  # ignored: heart would have quit within a frame (1/30 s)
        self.assertEqual(t.modes(), (False, True), 'heart stopped on an ignored signal')
        os.kill(pid, signal.SIGTERM)
        self.assertEqual(t.wait_status(), 128 + signal.SIGTERM)
        self.assertGivenBack(t)

        # nohup, writing text to a file (nohup only redirects output that is a terminal).
        t = Tmux(40, 12, ['sh', '-c', 'exec nohup "$0" --format text --refresh 5 '
                          '--duration 60 >/dev/null 2>&1', HEART])
        self.addCleanup(t.close)
        pid = t.heart_pid()
        t.wait(lambda: masks(pid)[1] & bit(signal.SIGTERM), 'the handlers')
        self.assertTrue(masks(pid)[0] & bit(signal.SIGHUP))
        os.kill(pid, signal.SIGHUP)
        time.sleep(0.5)
        self.assertTrue(os.path.exists('/proc/%d' % pid), 'nohup heart died of SIGHUP')
        os.kill(pid, signal.SIGTERM)
        self.assertEqual(t.wait_status(), 128 + signal.SIGTERM)

    def test_beats(self):
        t = self.pane(60, 20, '--fps', '2', '--amplitude', '0.3')
        t.wait_heart()
        seen = set()
        deadline = time.monotonic() + WAIT
        while len(seen) < 3 and time.monotonic() < deadline:
            seen.add(heart_extent(t.screen()))
            time.sleep(0.02)
        self.assertGreaterEqual(len(seen), 3, 'the heart does not change size')

    def test_resize_redraws(self):
        t = self.pane(50, 16, '--amplitude', '0')
        t.wait_heart()
        small = heart_extent(t.screen())
        t.tmux('resize-window', '-x', '100', '-y', '30')
        t.wait(lambda: (heart_extent(t.screen()) or small)[1] > small[1] + 10, 'a bigger heart')
        t.wait(lambda: heart_extent(t.screen()) == heart_extent(t.screen()), 'a still heart')
        x0, x1, y0, y1 = heart_extent(t.screen())
        self.assertLess(abs((x0 + x1) / 2 - 49.5), 2)
        self.assertLess(abs((y0 + y1) / 2 - 14.5), 2)
        # Too small for a heart: a short message; growing again brings the heart back.
        t.tmux('resize-window', '-x', '9', '-y', '4')
        t.wait(lambda: 'too small' in t.screen(), 'the too-small message')
        self.assertNotIn('█', t.screen())
        t.tmux('resize-window', '-x', '40', '-y', '12')
        t.wait_heart()
        self.assertNotIn('too small', t.screen())
        t.tmux('send-keys', 'C-c')
        self.assertEqual(t.wait_status(), 128 + signal.SIGINT)
        self.assertGivenBack(t)

    def test_ctrl_z_and_fg(self):
        require('bash')
        t = Tmux(60, 20, ['bash', '--norc', '--noprofile', '-i'], {'PS1': '$ '}, wrap=False)
        self.addCleanup(t.close)
        t.wait(lambda: '$' in t.screen(), 'the shell prompt')
        t.tmux('send-keys', "'%s'" % HEART, 'Enter')
        t.wait_heart()
        t.tmux('send-keys', 'C-z')
        t.wait(lambda: 'Stopped' in t.screen(), 'the job to stop')
        self.assertGivenBack(t)
        t.tmux('send-keys', 'fg', 'Enter')
        t.wait(lambda: t.modes() == (False, True), 'the terminal taken again')
        t.wait_heart()
        t.tmux('send-keys', 'C-c')
        t.wait(lambda: t.modes() == (True, False), 'the terminal given back')
        t.tmux('send-keys', 'echo status=$?', 'Enter')  # $? after fg: the job's status
        self.assertEqual(t.wait_status(), 128 + signal.SIGINT)

    def test_no_color(self):
        t = self.pane(40, 12, env={'NO_COLOR': '1', 'COLORTERM': 'truecolor'})
        t.wait_heart()
        self.assertNotIn('\x1b[3', t.screen(escapes=True))
        self.assertNotIn('\x1b[4', t.screen(escapes=True))
        # An explicit colour overrides NO_COLOR.
        t = self.pane(40, 12, '--color', 'ff0000', env={'NO_COLOR': '1',
                                                        'COLORTERM': 'truecolor'})
        t.wait_heart()
        self.assertIn('38;2;255;0;0', t.screen(escapes=True))

    def test_color_depths(self):
        """The depth comes from the terminfo entry of TERM (ncurses-term has the less common
        ones); COLORTERM=truecolor|24bit wins; --color-mode overrides both."""
        sgr_colour = re.compile(r'\x1b\[[0-9;]*[34][0-9;]*m')
        for env, args, want in (({'COLORTERM': 'truecolor'}, [], '38;2;255;0;0'),
                                ({'COLORTERM': '24bit', 'TERM': 'vt100'}, [], '38;2;255;0;0'),
                                ({'TERM': 'xterm-direct'}, [], '38;2;255;0;0'),
                                ({'TERM': 'screen-256color'}, [], '38;5;196'),
                                ({'TERM': 'xterm-256color'}, [], '38;5;196'),
                                ({'TERM': 'screen'}, [], '\x1b[91m'),
                                ({'TERM': 'linux'}, [], '\x1b[91m'),
                                ({'TERM': 'xterm-mono'}, [], None),
                                ({'TERM': 'vt100'}, [], None),
                                ({'TERM': 'vt220'}, [], None),
                                ({'TERM': 'screen'}, ['--color-mode', '256'], '38;5;196'),
                                ({'TERM': 'vt100'}, ['--color-mode', '24bit'], '38;2;255;0;0'),
                                ({'TERM': 'no-such-terminal'}, [], '\x1b[91m')):
            with self.subTest(env=env, args=args):
                t = self.pane(40, 12, *args, env=env)
                t.wait_heart()
                screen = t.screen(escapes=True)
                if want:
                    self.assertIn(want, screen)
                else:  # monochrome: the heart in glyphs only
                    self.assertEqual(sgr_colour.findall(screen), [])
                t.close()

    def test_dumb_terminal_gets_plain_text(self):
        for env in ({'TERM': 'dumb'}, {'TERM': ''}):
            with self.subTest(env=env):
                t = self.pane(40, 12, env=env)
                self.assertEqual(t.wait_status(), 0)
                self.assertIn('█', t.screen())
                self.assertNotIn('\x1b[3', t.screen(escapes=True))
                self.assertGivenBack(t)

    def test_keys_that_quit(self):
        """q, Q and Esc quit with status 0 (Ctrl-C: see above)."""
        for key in ('q', 'Q', 'Escape'):
            with self.subTest(key=key):
                t = self.pane(40, 12)
                t.wait_heart()
                t.tmux('send-keys', key)
                self.assertEqual(t.wait_status(), 0)
                self.assertGivenBack(t)
                t.close()

    def test_escape_sequences_are_not_the_esc_key(self):
        t = self.pane(40, 12)
        t.wait_heart()
        t.tmux('send-keys', 'Up', 'Down', 'Left', 'F1', 'Home', 'PageUp')
        time.sleep(1)  # a lone ESC counts as Esc after 0.1 s: heart would have quit by now
        self.assertEqual(t.modes(), (False, True), 'an escape sequence quit heart')
        t.tmux('send-keys', 'q')
        self.assertEqual(t.wait_status(), 0)

    def test_space_pauses_the_beat(self):
        """Paused, the heart rests: exactly the frame at rest, for longer than a beat."""
        args = ['--fps', '2', '--amplitude', '0.3', '--color-mode', 'none']
        rest = run('--size', '60x20', *args, env={'LANG': 'C.UTF-8'}).stdout.decode()
        rest = rest.split('\n')[:20]

        def heart_lines():
            return [l.rstrip() for l in t.screen().split('\n')[:20]]
        t = self.pane(60, 20, *args)
        t.wait_heart()
        t.tmux('send-keys', 'Space')
        t.wait(lambda: heart_lines()[19].strip() == 'paused', 'the note on the bottom row')
        t.wait(lambda: 'paused' not in t.screen(), 'the note to go')
        for _ in range(12):  # 1.2 s: more than two beats at 2 Hz
            self.assertEqual(heart_lines(), rest)
            time.sleep(0.1)
        t.tmux('send-keys', 'Space')
        seen = set()
        t.wait(lambda: seen.add(heart_extent(t.screen())) or len(seen) >= 3, 'beating again')
        t.tmux('send-keys', 'q')
        self.assertEqual(t.wait_status(), 0)

    def test_plus_and_minus_change_the_frequency(self):
        """Steps of 0.1 Hz within 0.1-10 Hz, shown on the bottom row for a moment."""
        def note(t, text):
            t.wait(lambda: t.screen().split('\n')[19].strip() == text, 'the note ' + text)

        t = self.pane(60, 20)
        t.wait_heart()
        t.tmux('send-keys', '+')
        note(t, '1.3 Hz, 78 bpm')
        t.tmux('send-keys', '-', '-')
        note(t, '1.1 Hz, 66 bpm')
        t.wait(lambda: 'Hz' not in t.screen(), 'the note to go')
        t.tmux('send-keys', 'q')
        self.assertEqual(t.wait_status(), 0)
        for fps, key, text in (('10', '+', '10.0 Hz, 600 bpm'), ('0.1', '-', '0.1 Hz, 6 bpm'),
                               ('1.25', '+', '1.3 Hz, 78 bpm'), ('1.25', '-', '1.2 Hz, 72 bpm')):
            with self.subTest(fps=fps, key=key):
                t = self.pane(60, 20, '--fps', fps)
                t.wait_heart()
                t.tmux('send-keys', key)
                note(t, text)
                t.close()

    def test_typed_text_does_not_reach_the_shell(self):
        """Whatever was typed while heart beats is gone when the shell gets the terminal
        back: after q, Ctrl-C or SIGTERM."""
        require('bash')
        for how in ('q', 'C-c', 'TERM'):
            with self.subTest(how=how):
                t = Tmux(60, 20, ['bash', '--norc', '--noprofile', '-i'], {'PS1': '$ '},
                         wrap=False)
                self.addCleanup(t.close)
                t.wait(lambda: '$' in t.screen(), 'the shell prompt')
                t.tmux('send-keys', "'%s'" % HEART, 'Enter')
                t.wait_heart()
                t.tmux('send-keys', 'LEAKED=1;false', 'Enter')
                # Space after the text: once heart shows it paused, it has read the text.
                t.tmux('send-keys', 'Space')
                t.wait(lambda: 'paused' in t.screen(), 'heart to read what was typed')
                if how == 'TERM':
                    os.kill(t.heart_pid(), signal.SIGTERM)
                else:
                    t.tmux('send-keys', how)
                t.wait(lambda: t.modes() == (True, False), 'the terminal given back')
                t.tmux('send-keys', 'echo status=$?', 'Enter')
                t.wait_status()
                self.assertNotIn('LEAKED', t.screen())
                t.close()

    def test_size_larger_than_the_window_is_clamped(self):
        want = self.pane(60, 20, '--amplitude', '0')
        want.wait_heart()
        t = self.pane(60, 20, '--size', '200x60', '--amplitude', '0')
        t.wait_heart()
        t.wait(lambda: t.screen(escapes=True) == want.screen(escapes=True),
               'the same heart as without --size')

    def test_smaller_size_is_centred(self):
        t = self.pane(80, 24, '--size', '40x12', '--amplitude', '0', '--color-mode', 'none')
        t.wait_heart()
        frame = run('--size', '40x12', '--amplitude', '0',
                    env={'LANG': 'C.UTF-8'}).stdout.decode().split('\n')
        want = [''] * 6 + [(' ' * 20 + line).rstrip() for line in frame[:12]] + [''] * 6
        t.wait(lambda: [l.rstrip() for l in t.screen().split('\n')[:24]] == want,
               'the 40x12 frame in the middle of the window')

    def test_pipe_takes_the_terminal_size(self):
        """Not a terminal: the controlling terminal's size, unless COLUMNS/LINES say."""
        out = tempfile.NamedTemporaryFile(delete=False)
        out.close()
        self.addCleanup(os.unlink, out.name)
        for env, size in (({}, '50x16'), ({'COLUMNS': '30'}, '30x16'),
                          ({'COLUMNS': '30', 'LINES': '10'}, '30x10')):
            with self.subTest(env=env):
                t = Tmux(50, 16, ['sh', '-c', '"$0" > "$1"', HEART, out.name], env)
                self.addCleanup(t.close)
                self.assertEqual(t.wait_status(), 0)
                with open(out.name, 'rb') as f:
                    self.assertEqual(f.read(), run('--size', size,
                                                   env={'LANG': 'C.UTF-8'}).stdout)
                t.close()

    def test_bad_value_leaves_terminal_untouched(self):
        t = self.pane(60, 20, '--refresh', '0')
        self.assertEqual(t.wait_status(), 2)
        self.assertGivenBack(t)
        lines = [l for l in t.screen().splitlines() if l.strip()]
        self.assertEqual(len(lines), 2, lines)  # the message, then sh's status line
        self.assertTrue(lines[0].startswith("heart: --refresh: '0'"), lines[0])


WHITE = (255, 255, 255)


class BackgroundTest(HeartTest):
    """Edges blend into the terminal's own background: asked with OSC 11 (tmux 3.3 answers
    with the pane's window-style), else COLORFGBG, else black."""

    def white_pane(self, env, *args):
        t = Tmux(40, 12, [HEART, '--amplitude', '0'] + list(args), env,
                 conf=["set -g window-style 'bg=#ffffff'"])
        self.addCleanup(t.close)
        t.wait_heart()
        return t

    def test_white_terminal_in_24_bit(self):
        for name, rgb in (('red', (255, 0, 0)), ('orange', (255, 165, 0)),
                          ('purple', (128, 0, 128))):
            with self.subTest(color=name):
                t = self.white_pane({'COLORTERM': 'truecolor'}, '--color', name)
                colours = screen_colours(t.screen(escapes=True))
                self.assertIn(rgb, colours)
                self.assertGreater(len(colours), 5, 'no blended edges')
                for c in colours:  # each one is white moved some way towards the heart
                    f = [(255 - v) / (255 - h) for v, h in zip(c, rgb) if h != 255]
                    self.assertLess(max(f) - min(f), 0.02, (c, rgb))
                    for v, h in zip(c, rgb):
                        self.assertTrue(min(h, 255) - 1 <= v <= 255, (c, rgb))
                t.close()

    def test_white_terminal_in_256_and_16_colours(self):
        """No edge darker than both the heart and white: no dark halo, no black outline."""
        for env in ({'TERM': 'screen-256color'}, {'TERM': 'screen'}):
            for name in ('red', 'orange', 'purple', 'hotpink', 'navy'):
                with self.subTest(env=env, color=name):
                    t = self.white_pane(env, '--color', name)
                    screen = t.screen(escapes=True)
                    colours = screen_colours(screen)
                    full = [fg for glyph, fg, bg in screen_cells(screen) if glyph == '█']
                    heart = max(set(full), key=full.count)  # the colour of full cells
                    for c in colours:
                        self.assertGreaterEqual(luminance(c), luminance(heart) - 1e-9,
                                                (c, colours))
                    if env['TERM'] == 'screen':  # only the heart's colour: no grey halo
                        self.assertEqual(len(colours), 1, colours)
                    t.close()

    def test_dark_terminal_that_does_not_answer(self):
        """tmux answers DA1 but not OSC 11 for a pane without a style: black, as before."""
        t = Tmux(40, 12, [HEART, '--amplitude', '0', '--color', 'red'],
                 {'COLORTERM': 'truecolor'})
        self.addCleanup(t.close)
        t.wait_heart()
        colours = screen_colours(t.screen(escapes=True))
        self.assertTrue(any(c[0] < 250 and c[1] == c[2] == 0 for c in colours), colours)
        # --background still overrides what the terminal says.
        t = self.white_pane({'COLORTERM': 'truecolor'}, '--color', 'red', '--background',
                            '000080')
        self.assertTrue(any(c == (0, 0, 128) for c in
                            screen_colours(t.screen(escapes=True))))

    def test_colorfgbg(self):
        """Not a terminal, or a terminal that does not answer: COLORFGBG's background."""
        args = ['--size', '40x12', '--amplitude', '0', '--color', 'red',
                '--color-mode', 'truecolor']
        for value, light in (('0;15', True), ('15;default;7', True), ('15;0', False),
                             ('default;default', False), (None, False)):
            with self.subTest(COLORFGBG=value):
                r = run(*args, env={'COLORFGBG': value})
                colours = screen_colours(r.stdout.decode())
                blends = [c for c in colours if c != (255, 0, 0)]
                self.assertTrue(blends)
                self.assertTrue(all((c[1] > 0) == light for c in blends), (value, blends))


class QueryTest(HeartTest):
    """The background query, on a terminal played by the test (tests/e2e/fakepty.py)."""

    SETUP = b'\x1b[?1049h\x1b[?25l'
    QUERY = b'\x1b]11;?\x1b\\\x1b[c'

    def start(self, *args, env=None):
        term = FakeTerminal(['--amplitude', '0', '--color', 'red', '--color-mode', 'truecolor']
                            + list(args), env=env)
        self.addCleanup(term.close)
        term.read_until(lambda out: self.QUERY in out, 'the question')
        self.assertTrue(bytes(term.output).startswith(self.SETUP + self.QUERY))
        return term

    def frame_started(self, out):
        return b'\x1b[?2026h' in out

    def test_answered(self):
        term = self.start()
        term.type(b'\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c')
        term.read_until(lambda out: out.count(b'\x1b[?2026l') >= 1, 'a frame')
        colours = screen_colours(term.output.decode('utf-8', 'replace'))
        self.assertTrue(any(c[0] == 255 and 0 < c[1] == c[2] < 255 for c in colours))
        term.type(b'q')
        self.assertEqual(term.wait(), 0)

    def test_device_attributes_end_the_wait(self):
        """DA1 first: the terminal does not know OSC 11; heart goes on at once, so an OSC 11
        reply that comes later is too late (edges stay on black), and is swallowed: never
        shown, never left in the terminal's input."""
        term = self.start()
        term.type(b'\x1b[?62;22c')
        term.read_until(self.frame_started, 'the first frame')
        term.type(b'\x1b]11;rgb:ffff/ffff/ffff\x1b\\')
        term.read_until(lambda out: out.count(b'\x1b[?2026l') >= 1, 'a frame')
        colours = screen_colours(term.output.decode('utf-8', 'replace'))
        self.assertTrue(any(c[0] < 250 and c[1] == c[2] == 0 for c in colours), colours)
        term.type(b'q')
        self.assertEqual(term.wait(), 0)
        self.assertNotIn(b'rgb:', term.output)  # no echo of the late reply
        self.assertEqual(term.pending_input(), 0)

    def test_silent_terminal(self):
        """A terminal that answers nothing costs heart its own timeout (100 ms), no more;
        checked generously here (a loaded machine is slow), measured in docs/terminal.md."""
        term = self.start()
        t0 = time.monotonic()
        term.read_until(self.frame_started, 'the first frame', timeout=WAIT)
        self.assertLess(time.monotonic() - t0, 1.0)
        term.type(b'q')
        self.assertEqual(term.wait(), 0)
        self.assertEqual(term.pending_input(), 0)

    def test_unfinished_reply_does_not_swallow_keys(self):
        """A reply that never ends (its terminator never comes, or bytes keep coming without
        one) is abandoned after a moment or a few hundred bytes: q and Esc quit as before."""
        for reply, key in ((b'\x1b]11;rgb:', b'q'), (b'\x1b]11;rgb:', b'\x1b'),
                           (b'\x1bP' + b'x' * 5000, b'q'), (b'\x1b]11;' + b'7' * 5000, b'q'),
                           (b'\x1b[' + b'1;' * 2000, b'q')):
            with self.subTest(reply=reply[:8], key=key):
                term = self.start()
                term.type(b'\x1b[?62;22c')
                term.read_until(self.frame_started, 'the first frame')
                term.type(reply)
                time.sleep(0.3)
                term.type(key)
                t0 = time.monotonic()
                term.read_until(lambda out: out.endswith(b'\x1b[?1049l'), 'heart to quit',
                                timeout=3)
                self.assertLess(time.monotonic() - t0, 1.5)
                self.assertEqual(term.wait(), 0)
                term.close()

    def test_every_signal_gives_echo_back(self):
        """Whatever signal ends heart while it plays (real-time ones and crashes included),
        echo and line editing are back and heart dies by that signal."""
        for sig in TERMINATING_SIGNALS:
            with self.subTest(sig=signal_name(sig)):
                term = self.start()
                term.type(b'\x1b[?62;22c')
                term.read_until(self.frame_started, 'the first frame')
                self.assertEqual(term.echo_and_lines(), (False, False))
                os.kill(term.proc.pid, sig)
                self.assertEqual(signal_name(term.wait_signaled()), signal_name(sig))
                self.assertEqual(term.echo_and_lines(), (True, True))
                self.assertTrue(term.output.endswith(b'\x1b[?1049l'), term.output[-40:])
                term.close()

    def test_not_asked_with_a_painted_background(self):
        term = FakeTerminal(['--background', 'navy', '--frames', '3'])
        self.addCleanup(term.close)
        self.assertEqual(term.wait(), 0)
        self.assertNotIn(self.QUERY, term.output)


class PipeTest(HeartTest):
    def test_one_frame_at_rest_without_escapes(self):
        r = run('--size', '40x12', env={'LANG': 'C.UTF-8', 'COLORTERM': 'truecolor'})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(b'\x1b', r.stdout)
        lines = r.stdout.decode('utf-8').split('\n')
        self.assertEqual(len(lines), 13)  # 12 rows, each ending in a newline
        self.assertIn('█', r.stdout.decode())
        # At rest means the same frame every time.
        self.assertEqual(r.stdout, run('--size', '40x12', env={'LANG': 'C.UTF-8'}).stdout)

    def test_size_without_a_terminal(self):
        """No controlling terminal: COLUMNS and LINES when set (each on its own), else
        80x24; values that are not positive whole numbers are ignored."""
        env = {'LANG': 'C.UTF-8', 'COLUMNS': None, 'LINES': None}
        for extra, size in (({}, '80x24'), ({'COLUMNS': '30', 'LINES': '10'}, '30x10'),
                            ({'COLUMNS': '30'}, '30x24'), ({'LINES': '9'}, '80x9'),
                            ({'COLUMNS': '3000'}, '1000x24'),
                            ({'COLUMNS': 'wide', 'LINES': '0'}, '80x24'),
                            ({'COLUMNS': '40x', 'LINES': '-5'}, '80x24')):
            with self.subTest(env=extra):
                r = run(env=dict(env, **extra), new_session=True)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout, run('--size', size, env=env).stdout)

    def test_ascii_outside_utf8(self):
        r = run('--size', '40x12', env={'LANG': 'C', 'LC_ALL': 'C'})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(all(b < 0x80 for b in r.stdout))
        self.assertIn(b'@', r.stdout)

    def test_frames_follow_each_other(self):
        r = run('--size', '30x10', '--frames', '3', '--refresh', '60')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.count(b'\n'), 30)
        self.assertNotIn(b'\x1b', r.stdout)
        r = run('--size', '30x10', '--duration', '0.1', '--refresh', '50')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.count(b'\n'), 50)  # frames at 0, 0.02, ..., 0.08 s

    def test_color_only_when_asked(self):
        r = run('--size', '30x10', '--color', 'red', env={'TERM': 'xterm-256color',
                                                          'COLORTERM': ''})
        self.assertIn(b'38;5;196m', r.stdout)
        self.assertEqual([m for m in CSI.findall(r.stdout) if not m.endswith(b'm')], [])
        r = run('--size', '30x10', '--color-mode', 'truecolor', env={'TERM': 'xterm'})
        self.assertIn(b'38;2;255;0;0m', r.stdout)
        r = run('--size', '30x10', env={'TERM': 'xterm-256color', 'COLORTERM': 'truecolor'})
        self.assertNotIn(b'\x1b', r.stdout)

    def test_forced_terminal_format(self):
        r = run('--format', 'terminal', '--size', '30x10', '--frames', '2')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith(b'\x1b[?1049h\x1b[?25l\x1b[?2026h'), r.stdout[:40])
        self.assertTrue(r.stdout.endswith(b'\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l'))

    def test_closed_pipe_ends_quietly(self):
        p = subprocess.Popen([HEART, '--format', 'text', '--size', '80x24', '--frames', '100000',
                              '--refresh', '120'], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.stdout.read(100)
        p.stdout.close()
        self.assertEqual(p.wait(timeout=WAIT), 0)
        self.assertEqual(p.stderr.read(), b'')
        p.stderr.close()


class AsciicastTest(HeartTest):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def record(self, *args):
        path = os.path.join(self.dir.name, 'heart.cast')
        r = run('--record', path, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, b'')
        with open(path, 'rb') as f:
            return path, f.read()

    def test_recording(self):
        path, data = self.record('--size', '40x12', '--frames', '12', '--refresh', '24')
        lines = data.decode('utf-8').splitlines()
        header = json.loads(lines[0])
        self.assertEqual(header, {'version': 2, 'width': 40, 'height': 12})
        events = [json.loads(l) for l in lines[1:]]
        times = [e[0] for e in events]
        self.assertEqual(times, sorted(times))
        self.assertEqual(times[-1], 0.5)  # absolute: 12 frames at 24 Hz end at 0.5 s
        for t, kind, text in events:
            self.assertEqual(kind, 'o')
            self.assertAlmostEqual(t * 24, round(t * 24), places=4)  # on the frame schedule
            self.assertNotIn('\n', text.replace('\r\n', ''))  # line ends are \r\n
        # Deterministic: the same options give the same bytes, to a file or to stdout.
        self.assertEqual(data, self.record('--size', '40x12', '--frames', '12',
                                           '--refresh', '24')[1])
        r = run('--format', 'asciicast', '--size', '40x12', '--frames', '12', '--refresh', '24')
        self.assertEqual(r.stdout, data)
        # Played back elsewhere: the recording's terminal's background does not matter.
        r = run('--format', 'asciicast', '--size', '40x12', '--frames', '12', '--refresh', '24',
                env={'COLORFGBG': '0;15'})
        self.assertEqual(r.stdout, data)
        # asciinema accepts it and plays back exactly the recorded output.
        # (asciinema cat opens /dev/tty, so it runs in a terminal.)
        asciinema = require('asciinema')
        out = os.path.join(self.dir.name, 'cat.out')
        t = Tmux(40, 12, ['sh', '-c', '"$0" cat "$1" > "$2"', asciinema, path, out])
        self.addCleanup(t.close)
        self.assertEqual(t.wait_status(), 0)
        with open(out, 'rb') as f:
            self.assertEqual(f.read(), ''.join(e[2] for e in events).encode('utf-8'))

    def test_replay_shows_the_frame(self):
        """asciinema's output in a real terminal shows what heart draws as plain text."""
        asciinema = require('asciinema')
        path, _ = self.record('--size', '40x12', '--frames', '1', '--color-mode', 'none')
        t = Tmux(40, 14, [asciinema, 'cat', path])
        self.addCleanup(t.close)
        want = run('--size', '40x12', env={'LANG': 'C.UTF-8'}).stdout.decode().splitlines()
        t.wait(lambda: t.screen().splitlines()[:12] == want, 'the replayed frame')

    def test_default_length_is_one_beat(self):
        _, data = self.record('--size', '20x10', '--fps', '2', '--refresh', '10')
        events = [json.loads(l) for l in data.decode().splitlines()[1:]]
        self.assertEqual(events[-1][0], 0.5)


class BadInputTest(HeartTest):
    def test_bad_values(self):
        for args, fragment in (
                (['--size', '0x5'], "--size: '0x5'"),
                (['--size', '10x'], "--size: '10x'"),
                (['--size', '1001x10'], "--size: '1001x10'"),
                (['--size', '10x10x'], "--size: '10x10x'"),
                (['--size', ' 10x10'], "--size: ' 10x10'"),
                (['--mode', 'fancy'], "--mode: 'fancy'"),
                (['--color-mode', '88'], "--color-mode: '88'"),
                (['--refresh', '121'], "--refresh: '121'"),
                (['--refresh', '1e2'], "--refresh: '1e2'"),
                (['--frames', '0'], "--frames: '0'"),
                (['--frames', '1.5'], "--frames: '1.5'"),
                (['--duration', '0'], "--duration: '0'"),
                (['--duration', '-1'], "--duration: '-1'"),
                (['--color', 'nope'], "--color: 'nope'"),
                (['--format', 'png'], "--format: 'png'"),
                (['--record', ''], '--record'),
                (['--fps', '11'], "--fps: '11'"),
                (['--color', '\x1b[2J'], "'\\x1b[2J'")):
            with self.subTest(args=args):
                self.assertBadInput(run(*args), fragment)

    def test_usage_errors(self):
        self.assertUsageError(run('--frames', '2', '--duration', '1'), '--duration')
        self.assertUsageError(run('--record', 'x.cast', '--format', 'text'), '--record')
        self.assertUsageError(run('play', 'extra'), 'extra')
        self.assertUsageError(run('--fps', '1', '--bpm', '60'), '--bpm')

    def test_unwritable_record_writes_nothing(self):
        r = run('--record', '/nonexistent/dir/x.cast', '--frames', '1')
        self.assertBadInput(r, 'x.cast')

    def test_help(self):
        r = run('play', '--help')
        self.assertEqual(r.returncode, 0)
        for option in (b'--mode', b'--color-mode', b'--size', b'--refresh', b'--frames',
                       b'--duration', b'--record', b'--format'):
            self.assertIn(option, r.stdout)
        for key in (b'q, Q, Esc', b'Space', b'+, -'):  # the keys
            self.assertIn(key, r.stdout)
        self.assertIn(b'play', run('--help').stdout)


if __name__ == '__main__':
    main()
