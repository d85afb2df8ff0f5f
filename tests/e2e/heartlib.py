"""Shared helpers for heart's end-to-end tests: run the real binary named by $HEART."""
import os
import pty
import re
import subprocess
import sys
import unittest

HEART = os.environ['HEART']
SOURCE_ROOT = os.environ.get('SOURCE_ROOT', '.')
BUILD_ROOT = os.environ.get('BUILD_ROOT', '.')
# Built with AddressSanitizer/UBSan (meson's b_sanitize): tests that only mean something
# without them are left out of such a build, never skipped.
SANITIZED = os.environ.get('SANITIZED', 'none') not in ('', 'none')


def run(*args, stdin=None, env=None, timeout=60, cwd=None, new_session=False):
    """Run heart with args; returns CompletedProcess with bytes stdout/stderr. env adds to
    the environment (a value of None removes the variable); new_session runs heart without
    a controlling terminal."""
    full_env = dict(os.environ)
    for key, value in (env or {}).items():
        if value is None:
            full_env.pop(key, None)
        else:
            full_env[key] = value
    return subprocess.run([HEART] + [str(a) for a in args], input=stdin, env=full_env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                          cwd=cwd, start_new_session=new_session)


def run_on_terminal(*args):
    """Run heart with args, its standard output a terminal (a pty); returns (exit code,
    everything it wrote there)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(HEART, [HEART] + [str(a) for a in args])
    out = b''
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out


class HeartTest(unittest.TestCase):
    def assertUsageError(self, r, *fragments, command=None):
        """Exit 2, nothing on stdout, one message line then the hint: "Try 'heart help
        COMMAND'." when the error is a command's (named by `command` when given), else
        "Try 'heart --help'."."""
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, b'')
        lines = r.stderr.decode('ascii').splitlines()
        self.assertEqual(len(lines), 2, r.stderr)
        self.assertTrue(lines[0].startswith('heart: '), lines[0])
        m = re.fullmatch(r"Try 'heart (--help|help ([a-z]+))'\.", lines[1])
        self.assertIsNotNone(m, lines[1])
        if m.group(2):
            self.assertTrue(lines[0].startswith('heart: %s: ' % m.group(2)), lines)
        if command is not None:
            self.assertEqual(m.group(2), command or None, lines)
        for f in fragments:
            self.assertIn(f, lines[0])

    def assertBadInput(self, r, *fragments):
        """Exit 2, nothing on stdout, exactly one printable-ASCII line on stderr."""
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, b'')
        text = r.stderr.decode('ascii')
        self.assertTrue(all(0x20 <= ord(c) < 0x7f or c == '\n' for c in text), text)
        lines = text.splitlines()
        self.assertEqual(len(lines), 1, text)
        self.assertTrue(lines[0].startswith('heart: '), lines[0])
        for f in fragments:
            self.assertIn(f, lines[0])


def main():
    """unittest.main, except that a skipped test exits 77, which meson counts as a skip (and
    scripts/test.sh as a failure): unittest alone exits 0, so a skip would pass quietly."""
    result = unittest.main(verbosity=2, exit=False).result
    if not result.wasSuccessful():
        sys.exit(1)
    sys.exit(77 if result.skipped else 0)
