"""The build stamp: --version, version --json, and the generator's rules."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import heartlib
from heartlib import run, SOURCE_ROOT

STAMP = os.path.join(SOURCE_ROOT, 'scripts', 'stamp.py')


def git(*args):
    return subprocess.run(['git', '-C', SOURCE_ROOT] + list(args), check=True,
                          stdout=subprocess.PIPE).stdout.decode().strip()


class Version(heartlib.HeartTest):
    def info(self):
        r = run('version', '--json')
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stderr, b'')
        self.assertTrue(r.stdout.endswith(b'}\n'))
        return json.loads(r.stdout)

    def test_version_line_format(self):
        r = run('--version')
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stderr, b'')
        self.assertRegex(r.stdout.decode(),
                         r'^heart \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}(-dirty)?|unknown), '
                         r'built \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)\n$')
        self.assertEqual(run('version').stdout, r.stdout)

    def test_json_keys_and_types(self):
        info = self.info()
        self.assertEqual(list(info), ['version', 'commit', 'dirty', 'built', 'built_unix'])
        self.assertIsInstance(info['dirty'], bool)
        self.assertIsInstance(info['built_unix'], int)
        self.assertEqual(info['built'], time.strftime('%Y-%m-%dT%H:%M:%SZ',
                                                      time.gmtime(info['built_unix'])))

    def test_version_matches_meson_project(self):
        with open(os.path.join(SOURCE_ROOT, 'meson.build')) as f:
            declared = re.search(r"version: '([^']+)'", f.read()).group(1)
        self.assertEqual(self.info()['version'], declared)

    def test_line_and_json_agree(self):
        info = self.info()
        line = run('--version').stdout.decode()
        self.assertIn('heart %s (commit %s%s, built %s)' % (
            info['version'], info['commit'][:12], '-dirty' if info['dirty'] else '',
            info['built']), line)

    def test_commit_is_the_checked_out_commit(self):
        if not os.path.exists(os.path.join(SOURCE_ROOT, '.git')):
            self.fail('source tree is not a git checkout: cannot check the commit')
        info = self.info()
        self.assertEqual(info['commit'], git('rev-parse', 'HEAD'))
        self.assertRegex(info['commit'], r'^[0-9a-f]{40}$')
        dirty = git('status', '--porcelain', '--untracked-files=no') != ''
        self.assertEqual(info['dirty'], dirty)
        if not dirty and 'SOURCE_DATE_EPOCH' not in os.environ:
            self.assertEqual(info['built_unix'], int(git('log', '-1', '--format=%ct')))


class Generator(heartlib.HeartTest):
    def stamp(self, out, env_extra, cwd_root=SOURCE_ROOT):
        env = {k: v for k, v in os.environ.items() if k != 'SOURCE_DATE_EPOCH'}
        env.update(env_extra)
        return subprocess.run([sys.executable, STAMP, cwd_root, out, '9.8.7'], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def test_source_date_epoch_wins(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, 'stamp.c')
            r = self.stamp(out, {'SOURCE_DATE_EPOCH': '1763805600'})
            self.assertEqual(r.returncode, 0, r.stderr)
            text = open(out).read()
            self.assertIn('.built = "2025-11-22T10:00:00Z"', text)
            self.assertIn('.built_unix = 1763805600LL', text)
            self.assertIn('.version = "9.8.7"', text)

    def test_malformed_source_date_epoch_stops_the_build(self):
        for bad in ('', 'yesterday', '12e3', '-5', ' 17', '1763805600\x1b[2J'):
            with tempfile.TemporaryDirectory() as d:
                out = os.path.join(d, 'stamp.c')
                r = self.stamp(out, {'SOURCE_DATE_EPOCH': bad})
                self.assertNotEqual(r.returncode, 0, bad)
                self.assertIn(b'SOURCE_DATE_EPOCH', r.stderr)
                self.assertNotIn(b'\x1b', r.stderr)
                self.assertFalse(os.path.exists(out))

    def test_without_git_commit_is_unknown(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, 'stamp.c')
            r = self.stamp(out, {'SOURCE_DATE_EPOCH': '0'}, cwd_root=d)
            self.assertEqual(r.returncode, 0, r.stderr)
            text = open(out).read()
            self.assertIn('.commit = "unknown"', text)
            self.assertIn('.dirty = false', text)
            self.assertIn('.built = "1970-01-01T00:00:00Z"', text)

    def test_unchanged_stamp_is_not_rewritten(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, 'stamp.c')
            env = {'SOURCE_DATE_EPOCH': '1000'}
            self.assertEqual(self.stamp(out, env).returncode, 0)
            os.utime(out, (1, 1))
            self.assertEqual(self.stamp(out, env).returncode, 0)
            self.assertEqual(os.stat(out).st_mtime, 1)
            self.assertEqual(self.stamp(out, {'SOURCE_DATE_EPOCH': '2000'}).returncode, 0)
            self.assertNotEqual(os.stat(out).st_mtime, 1)


if __name__ == '__main__':
    heartlib.main()
