"""Commands run clean under valgrind: no invalid access, no leak."""
import os
import subprocess
import tempfile

import heartlib
from heartlib import HEART


def valgrind(*args, stdin=None, env=None):
    return subprocess.run(['valgrind', '--quiet', '--error-exitcode=99', '--leak-check=full',
                           '--show-leak-kinds=definite,indirect,possible',
                           '--errors-for-leak-kinds=definite,indirect,possible', HEART]
                          + list(args), input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=300,
                          env=dict(os.environ, **(env or {})))


class Valgrind(heartlib.HeartTest):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def check(self, *args, expect=0, env=None):
        r = valgrind(*args, env=env)
        self.assertEqual(r.returncode, expect, r.stderr.decode(errors='replace'))
        self.assertNotIn(b'==', r.stderr)

    def test_png(self):
        self.check('png', '--size', '300x200', '-o', os.path.join(self.tmp.name, 'a.png'))

    def test_png_frames(self):
        self.check('png', '--frames', '3', '--size', '50', '-o',
                   os.path.join(self.tmp.name, 'f%d.png'))

    def test_play(self):
        self.check('--frames', '20', '--refresh', '120', '--size', '60x20', '--format',
                   'terminal', '--color-mode', 'truecolor')
        self.check('--mode', 'emoji', '--size', '30x10')
        # The colour depth from the terminfo database (ncurses' setupterm) leaves no leak.
        self.check('--color', 'red', '--size', '30x10', env={'TERM': 'xterm-256color'})
        self.check('--record', os.path.join(self.tmp.name, 'a.cast'), '--size', '40x12')

    def test_errors_free_everything(self):
        self.check('png', '--color', 'nope', expect=2)
        self.check('png', '--frames', '2', '-o', os.path.join(self.tmp.name, 'x%s'), expect=2)
        self.check('png', '-o', '/nonexistent/x.png', expect=2)

    def test_svg(self):
        self.check('svg', '--animate', '--title', 'a <heart>', '-o',
                   os.path.join(self.tmp.name, 'a.svg'))
        self.check('svg', '--title', 'bad\x01', '-o', os.path.join(self.tmp.name, 'b.svg'),
                   expect=2)
        self.check('svg', '-o', '/nonexistent/x.svg', expect=2)

    def test_sign_and_verify(self):
        d = self.tmp.name
        pub, sec, f = (os.path.join(d, n) for n in ('k.pub', 'k.sec', 'file'))
        with open(f, 'wb') as out:
            out.write(b'release\n' * 1000)
        self.check('keygen', '--no-password', '-p', pub, '-s', sec)
        self.check('sign', '-s', sec, f)
        self.check('verify', '-p', pub, f)
        with open(f, 'ab') as out:
            out.write(b'tampered')
        self.check('verify', '-p', pub, f, expect=1)


if __name__ == '__main__':
    heartlib.main()
