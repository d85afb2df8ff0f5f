"""scripts/release.sh: twice from one commit into two directories gives the same bytes, and
what it ships verifies (with the key embedded in the shipped binary, too)."""
import os
import subprocess
import tempfile
import time

import heartlib
from heartlib import run, SOURCE_ROOT


class Release(heartlib.HeartTest):
    def release(self, src, key, pub, out, password=None, expect=0, extra=()):
        """Run release.sh. Without a password its standard input is a pipe that stays open
        and empty: a release with an unencrypted key must not wait for a password."""
        env = {k: v for k, v in os.environ.items() if k != 'SOURCE_DATE_EPOCH'}
        read_end, write_end = os.pipe()
        try:
            if password is not None:
                os.write(write_end, password + b'\n')
            r = subprocess.run([os.path.join(src, 'scripts', 'release.sh'), '-s', key,
                                '-p', pub, '-o', out, *extra], cwd=src, env=env, stdin=read_end,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
        finally:
            os.close(read_end)
            os.close(write_end)
        self.assertEqual(r.returncode, expect, r.stderr)
        files = {}
        for name in os.listdir(out):
            with open(os.path.join(out, name), 'rb') as f:
                files[name] = f.read()
        return files

    def clone(self, d):
        if not os.path.exists(os.path.join(SOURCE_ROOT, '.git')):
            self.fail('source tree is not a git checkout: nothing to release')
        src = os.path.join(d, 'src')
        subprocess.run(['git', 'clone', '--quiet', '--no-local', SOURCE_ROOT, src], check=True)
        return src

    def test_encrypted_key_password_read_once(self):
        with tempfile.TemporaryDirectory() as d:
            src = self.clone(d)
            key, pub = os.path.join(d, 'r.key'), os.path.join(d, 'r.pub')
            r = run('keygen', '-s', key, '-p', pub, stdin=b'release password\n')
            self.assertEqual(r.returncode, 0, r.stderr)
            # A wrong password stops the release before anything is written.
            self.assertEqual(self.release(src, key, pub, os.path.join(d, 'bad'),
                                          password=b'wrong', expect=2), {})
            files = self.release(src, key, pub, os.path.join(d, 'out'),
                                 password=b'release password')
            self.assertEqual(len(files), 6, sorted(files))
            for name in files:
                if not name.endswith('.minisig'):
                    r = run('verify', '-q', '-p', pub, os.path.join(d, 'out', name))
                    self.assertEqual(r.returncode, 0, r.stderr)

    def test_release_twice_same_bytes(self):
        with tempfile.TemporaryDirectory() as d:
            src = self.clone(d)
            key, pub = os.path.join(d, 'r.key'), os.path.join(d, 'r.pub')
            # The next release key (-n) is embedded too: the key rotation recipe.
            nkey, npub = os.path.join(d, 'n.key'), os.path.join(d, 'n.pub')
            okey, opub = os.path.join(d, 'o.key'), os.path.join(d, 'o.pub')
            for k, p in ((key, pub), (nkey, npub), (okey, opub)):
                r = run('keygen', '--no-password', '-s', k, '-p', p)
                self.assertEqual(r.returncode, 0, r.stderr)
            first = self.release(src, key, pub, os.path.join(d, 'one'), extra=('-n', npub))
            time.sleep(1.1)
            second = self.release(src, key, pub, os.path.join(d, 'two'), extra=('-n', npub))
            self.assertEqual(len(first), 6, sorted(first))
            self.assertEqual(sorted(first), sorted(second))
            for name in first:
                self.assertEqual(first[name], second[name], name)

            one = os.path.join(d, 'one')
            artifact = [n for n in first if n.endswith('.zst')][0]
            self.assertRegex(artifact, r'^heart-\d+\.\d+\.\d+-linux-[a-z0-9_]+\.zst$')
            binary = os.path.join(d, 'heart')
            r = run('verify', '-p', pub, '--extract', binary, os.path.join(one, artifact))
            self.assertEqual(r.returncode, 0, r.stderr)
            # The shipped binary checks the release with its embedded keys, and names them.
            key_id = open(pub).read().split()[-2]
            next_id = open(npub).read().split()[-2]
            v = subprocess.run([binary, '--version'], stdout=subprocess.PIPE, check=True)
            self.assertTrue(v.stdout.decode().endswith(', release keys %s, %s\n' %
                                                       (key_id, next_id)), v.stdout)
            # It trusts what the next key signs, and nothing another key signs.
            data = os.path.join(d, 'data')
            with open(data, 'wb') as f:
                f.write(b'after the rotation\n')
            for k, want in ((nkey, 0), (okey, 1)):
                r = run('sign', '-s', k, data)
                self.assertEqual(r.returncode, 0, r.stderr)
                r = subprocess.run([binary, 'verify', data], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
                self.assertEqual(r.returncode, want, r.stderr)
            for name in first:
                if not name.endswith('.minisig'):
                    r = subprocess.run([binary, 'verify', '-q', os.path.join(one, name)],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                    self.assertEqual(r.returncode, 0, r.stderr)
            r = subprocess.run(['sha256sum', '-c', 'SHA256SUMS'], cwd=one,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == '__main__':
    heartlib.main()
