"""Command-line conventions every heart command follows."""
import os
import re
import tempfile

import heartlib
from heartlib import run


def command_names():
    """The commands `heart --help` lists."""
    out = run('--help').stdout.decode()
    block = out.split('Commands:\n', 1)[1].split('\n\n', 1)[0]
    return [line.split()[0] for line in block.splitlines()]


class Help(heartlib.HeartTest):
    def test_help_goes_to_stdout_and_lists_commands(self):
        r = run('--help')
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stderr, b'')
        out = r.stdout.decode()
        self.assertTrue(out.startswith('Usage: heart [COMMAND] [OPTIONS]\n'))
        for name in ('version', 'help'):
            self.assertRegex(out, r'\n  %s +\S' % name)
        self.assertIn('Exit status: 0', out)

    def test_help_command_and_command_help_agree(self):
        a = run('help', 'version')
        b = run('version', '--help')
        self.assertEqual(a.returncode, 0)
        self.assertEqual(b.returncode, 0)
        self.assertEqual(a.stdout, b.stdout)
        self.assertTrue(a.stdout.startswith(b'Usage: heart version'))
        self.assertEqual(a.stderr + b.stderr, b'')

    def test_every_command_help_only_prints_help(self):
        # --help stops the command: no prompt, no file, no work (keygen once made a key pair
        # after its help, sign and pack crashed).
        names = command_names()
        self.assertIn('keygen', names)
        for name in names:
            with tempfile.TemporaryDirectory() as d, self.subTest(command=name):
                r = run(name, '--help', stdin=b'', cwd=d)
                self.assertEqual((r.returncode, r.stderr), (0, b''))
                self.assertTrue(re.match(rb'Usage: heart \[?%s\]? ' % name.encode(), r.stdout),
                                r.stdout)
                self.assertEqual(r.stdout, run('help', name).stdout)
                self.assertEqual(os.listdir(d), [])

    def test_help_without_command_is_main_help(self):
        self.assertEqual(run('help').stdout, run('--help').stdout)

    def test_help_for_unknown_command(self):
        self.assertUsageError(run('help', 'frobnicate'), "'frobnicate'", command='')


class UsageErrors(heartlib.HeartTest):
    def test_unknown_command(self):
        self.assertUsageError(run('frobnicate'), "unknown command 'frobnicate'", command='')

    def test_unknown_option(self):
        self.assertUsageError(run('version', '--frob'), "unknown option '--frob'",
                              command='version')

    def test_usage_errors_name_the_command_to_ask_about(self):
        self.assertUsageError(run('png', '--frob'), '--frob', command='png')
        self.assertUsageError(run('--frob'), '--frob', command='play')
        self.assertUsageError(run('sign', 'f'), '--secret', command='sign')
        self.assertUsageError(run('pack', '-s', 'k'), 'FILE', command='pack')
        self.assertUsageError(run('verify', '-P', 'x', 'a', 'b'), "'b'", command='verify')

    def test_repeated_option(self):
        self.assertUsageError(run('version', '--json', '--json'), '--json', 'twice')

    def test_value_given_to_flag(self):
        self.assertUsageError(run('version', '--json=yes'), '--json', 'no value')

    def test_stray_operand(self):
        self.assertUsageError(run('version', 'extra'), "'extra'")

    def test_version_takes_no_arguments(self):
        self.assertUsageError(run('--version', 'x'))

    def test_escape_sequences_are_escaped(self):
        r = run('\x1b]0;pwned\x07\x1b[2J')
        self.assertUsageError(r)
        self.assertNotIn(b'\x1b', r.stderr)
        self.assertNotIn(b'\x07', r.stderr)
        self.assertIn(b'\\x1b]0;pwned\\x07\\x1b[2J', r.stderr)

    def test_non_ascii_and_long_values_are_escaped_and_cut(self):
        r = run('\u00e9' + 'x' * 5000)
        self.assertUsageError(r)
        line = r.stderr.splitlines()[0]
        self.assertIn(b'\\xc3\\xa9', line)
        self.assertIn(b'...', line)
        self.assertLess(len(line), 200)


class Output(heartlib.HeartTest):
    def test_full_stdout_is_an_io_error(self):
        with open('/dev/full', 'wb') as full:
            import subprocess
            r = subprocess.run([heartlib.HEART, '--help'], stdout=full, stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 2)


if __name__ == '__main__':
    heartlib.main()
