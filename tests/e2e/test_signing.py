"""heart keygen/sign/verify/pack against itself and the real minisign: interop, tampering,
strict parsing, --extract. Encrypted keys cost ~1 GiB and a second each: only a few here."""
import base64
import hashlib
import os
import pty
import resource
import signal
import shutil
import stat
import subprocess
import tempfile
import termios
import threading
import time
import unittest

import heartlib
from fakepty import TERMINATING_SIGNALS, FakeTerminal, signal_name
from heartlib import run

MINISIGN = shutil.which('minisign')
ZSTD = shutil.which('zstd')
PW = b'correct horse\n'
SANITIZED = os.environ.get('SANITIZED', 'none') not in ('', 'none')


def minisign(*args, stdin=b''):
    return subprocess.run([MINISIGN] + [str(a) for a in args], input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)


class Base(heartlib.HeartTest):
    @classmethod
    def setUpClass(cls):
        if not MINISIGN:
            raise AssertionError('minisign is not installed (scripts/setup.sh --test)')
        cls.tmp = tempfile.TemporaryDirectory()
        cls.d = cls.tmp.name
        r = run('keygen', '--no-password', '-p', cls.path('h.pub'), '-s', cls.path('h.key'))
        assert r.returncode == 0, r.stderr
        r = minisign('-G', '-W', '-p', cls.path('m.pub'), '-s', cls.path('m.key'))
        assert r.returncode == 0, r.stderr
        with open(cls.path('data'), 'wb') as f:
            f.write(os.urandom(100000))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def path(cls, name):
        return os.path.join(cls.d, name)

    def read(self, name):
        with open(self.path(name), 'rb') as f:
            return f.read()

    def write(self, name, data):
        with open(self.path(name), 'wb') as f:
            f.write(data)

    def sign(self, *extra, key='h.key', name='data'):
        r = run('sign', '-s', self.path(key), *extra, self.path(name))
        self.assertEqual(r.returncode, 0, r.stderr)

    def verify(self, *extra, pub='h.pub', name='data'):
        return run('verify', '-p', self.path(pub), *extra, self.path(name))

    def assertVerified(self, r):
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith(b'Signature and comment signature verified\n'))

    def assertUnverified(self, r, *fragments):
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stdout, b'')
        lines = r.stderr.decode('ascii').splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        for f in fragments:
            self.assertIn(f, lines[0])


class Interop(Base):
    def test_minisign_verifies_heart(self):
        self.sign()
        r = minisign('-V', '-H', '-p', self.path('h.pub'), '-m', self.path('data'))
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_heart_verifies_minisign_hashed(self):
        r = minisign('-S', '-s', self.path('m.key'), '-m', self.path('data'), '-x',
                     self.path('m.sig'), '-t', 'from minisign')
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.verify('-x', self.path('m.sig'), pub='m.pub')
        self.assertVerified(r)
        self.assertIn(b'Trusted comment: from minisign\n', r.stdout)

    def test_legacy_only_with_flag(self):
        r = minisign('-S', '-l', '-s', self.path('m.key'), '-m', self.path('data'), '-x',
                     self.path('m.legacy'))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertUnverified(self.verify('-x', self.path('m.legacy'), pub='m.pub'), 'legacy')
        self.assertVerified(self.verify('--legacy', '-x', self.path('m.legacy'), pub='m.pub'))

    def test_legacy_relabelled_hashed_signature_refused(self):
        """A hashed signature relabelled "Ed" verifies over a 64-byte file holding the
        original's BLAKE2b-512: any legacy signature over 64 bytes is refused."""
        self.sign('-x', self.path('orig.sig'))
        lines = self.read('orig.sig').split(b'\n')
        raw = bytearray(base64.b64decode(lines[1]))
        raw[0:2] = b'Ed'
        lines[1] = base64.b64encode(bytes(raw))
        self.write('relabelled.sig', b'\n'.join(lines))
        self.write('digest64', hashlib.blake2b(self.read('data'), digest_size=64).digest())
        r = self.verify('--legacy', '-x', self.path('relabelled.sig'), name='digest64')
        self.assertUnverified(r, 'legacy signature over a 64-byte file')
        # A genuine legacy signature over 64 bytes is refused alike: the two look the same.
        self.write('sixty4', os.urandom(64))
        r = minisign('-S', '-l', '-s', self.path('m.key'), '-m', self.path('sixty4'))
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.verify('--legacy', pub='m.pub', name='sixty4')
        self.assertUnverified(r, '64-byte')

    def test_legacy_memory_grows_with_the_file(self):
        """--legacy reads the file into memory as it grows, not into 256 MiB up front: under
        a 128 MiB address-space limit (an allocation limit under AddressSanitizer, whose shadow
        memory ignores RLIMIT_AS) a small file still verifies."""
        r = minisign('-S', '-l', '-s', self.path('m.key'), '-m', self.path('data'), '-x',
                     self.path('m.legacy'))
        self.assertEqual(r.returncode, 0, r.stderr)
        env = dict(os.environ)
        limit = None
        if SANITIZED:
            env['ASAN_OPTIONS'] = (env.get('ASAN_OPTIONS', '') +
                                   ':max_allocation_size_mb=64:allocator_may_return_null=1')
        else:
            def limit():
                resource.setrlimit(resource.RLIMIT_AS, (128 << 20, 128 << 20))
        r = subprocess.run([heartlib.HEART, 'verify', '--legacy', '-p', self.path('m.pub'), '-x',
                            self.path('m.legacy'), self.path('data')], env=env,
                           preexec_fn=limit, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60)
        self.assertVerified(r)

    def test_each_reads_the_others_unencrypted_secret_key(self):
        r = minisign('-S', '-s', self.path('h.key'), '-m', self.path('data'), '-x',
                     self.path('mh.sig'))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertVerified(self.verify('-x', self.path('mh.sig')))
        self.sign('-x', self.path('hm.sig'), key='m.key')
        r = minisign('-V', '-p', self.path('m.pub'), '-m', self.path('data'), '-x',
                     self.path('hm.sig'))
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_minisign_reads_comments_at_the_limits(self):
        # The longest comments heart signs (8173 and 1003 bytes of UTF-8) minisign 0.11 reads.
        trusted = 'T\u00e9' * 2724 + 'x'
        untrusted = 'u' * 1003
        self.assertEqual(len(trusted.encode()), 8173)
        self.sign('-t', trusted, '-c', untrusted, '-x', self.path('limits.sig'))
        r = minisign('-V', '-p', self.path('h.pub'), '-m', self.path('data'), '-x',
                     self.path('limits.sig'))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(trusted.encode(), r.stdout)
        self.assertVerified(self.verify('-x', self.path('limits.sig')))

    def test_public_key_as_base64(self):
        self.sign()
        line = self.read('h.pub').splitlines()[1].decode()
        self.assertVerified(run('verify', '-P', line, self.path('data')))
        # Another key with the same key id: the signature must not verify.
        other = line[:-1] + ('B' if line[-1] == 'A' else 'A')
        r = run('verify', '-P', other, self.path('data'))
        self.assertEqual(r.returncode, 1, r.stderr)

    def test_sign_is_reproducible_with_source_date_epoch(self):
        env = {'SOURCE_DATE_EPOCH': '1763805600'}
        outs = []
        for _ in range(2):
            r = run('sign', '-s', self.path('h.key'), self.path('data'), env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            outs.append(self.read('data.minisig'))
        self.assertEqual(outs[0], outs[1])
        self.assertIn(b'trusted comment: timestamp:1763805600\tfile:data\thashed\n', outs[0])


class Encrypted(Base):
    """Two encrypted keys (one per tool) and four scrypt runs in all."""

    def test_encrypted_keys_both_ways(self):
        r = run('keygen', '-p', self.path('e.pub'), '-s', self.path('e.key'), stdin=PW,
                timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        mode = stat.S_IMODE(os.stat(self.path('e.key')).st_mode)
        self.assertEqual(mode, 0o600)
        self.assertIn(b'Sc', base64.b64decode(self.read('e.key').splitlines()[1])[:4])
        # minisign reads heart's encrypted key (password on stdin).
        r = minisign('-S', '-s', self.path('e.key'), '-m', self.path('data'), '-x',
                     self.path('me.sig'), stdin=PW)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertVerified(self.verify('-x', self.path('me.sig'), pub='e.pub'))
        # heart reads minisign's encrypted key; minisign -G asks twice even from a pipe.
        r = minisign('-G', '-p', self.path('me.pub'), '-s', self.path('me.key'), stdin=PW * 2)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run('sign', '-s', self.path('me.key'), '-x', self.path('hme.sig'),
                self.path('data'), stdin=PW, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = minisign('-V', '-p', self.path('me.pub'), '-m', self.path('data'), '-x',
                     self.path('hme.sig'))
        self.assertEqual(r.returncode, 0, r.stderr)
        # A wrong password is exit 2 with a clear message; nothing is written.
        r = run('sign', '-s', self.path('me.key'), '-x', self.path('wrong.sig'),
                self.path('data'), stdin=b'wrong\n', timeout=120)
        self.assertBadInput(r, 'wrong password')
        self.assertFalse(os.path.exists(self.path('wrong.sig')))


class Prompt(Base):
    def test_signal_at_the_password_prompt_restores_echo(self):
        """Ctrl-C (and a hangup, SIGTERM) while the password is asked leaves the terminal as
        it was: echo back on, and heart dies by the signal."""
        raw = bytearray(base64.b64decode(self.read('h.key').splitlines()[1]))
        raw[2:4] = b'Sc'  # encrypted, at scrypt's smallest limits: nothing runs before the prompt
        raw[38:46] = (32768).to_bytes(8, 'little')
        raw[46:54] = (16777216).to_bytes(8, 'little')
        self.write('locked.key', b'untrusted comment: x\n' + base64.b64encode(bytes(raw)) +
                   b'\n')
        for how, sig in ((b'\x03', signal.SIGINT), (b'\x1c', signal.SIGQUIT),
                         (signal.SIGTERM, signal.SIGTERM)):
            pid, master = pty.fork()
            if pid == 0:
                os.execv(heartlib.HEART, [heartlib.HEART, 'sign', '-s', self.path('locked.key'),
                                          '-x', self.path('never.sig'), self.path('data')])
            try:
                deadline = time.monotonic() + 30
                while termios.tcgetattr(master)[3] & termios.ECHO:
                    self.assertLess(time.monotonic(), deadline, 'echo never went off')
                    time.sleep(0.01)
                if isinstance(how, bytes):
                    os.write(master, how)
                else:
                    os.kill(pid, how)
                _, status = os.waitpid(pid, 0)
                self.assertTrue(os.WIFSIGNALED(status), status)
                self.assertEqual(os.WTERMSIG(status), sig)
                self.assertTrue(termios.tcgetattr(master)[3] & termios.ECHO)
            finally:
                os.close(master)
            self.assertFalse(os.path.exists(self.path('never.sig')))

    def test_every_signal_at_the_keygen_prompt(self):
        """Whatever signal ends heart at the password prompt (real-time ones and crashes
        included), echo and line editing are back, heart dies by that signal, and the file
        layer's hidden names are gone. Without O_TMPFILE (the preload takes it away) keygen's
        outputs are hidden named files from before the prompt: the names the handler must
        remove."""
        preload = os.environ.get('HEART_FILEIO_PRELOAD', '')
        self.assertTrue(os.path.exists(preload), 'HEART_FILEIO_PRELOAD is not built')
        env = {'LD_PRELOAD': preload, 'HEART_TEST_NO_TMPFILE': '1',
               # Under AddressSanitizer an LD_PRELOAD comes before the ASan runtime.
               'ASAN_OPTIONS': os.environ.get('ASAN_OPTIONS', '') + ':verify_asan_link_order=0'}
        for sig in TERMINATING_SIGNALS:
            with self.subTest(sig=signal_name(sig)), tempfile.TemporaryDirectory() as d:
                term = FakeTerminal(['keygen', '-p', os.path.join(d, 'k.pub'), '-s',
                                     os.path.join(d, 'k.key')], env=env)
                try:
                    term.read_until(lambda out: b'Password: ' in out, 'the prompt')
                    term.wait_for_modes(lambda m: not m[0], 'echo off')
                    self.assertTrue(os.listdir(d), 'no hidden temporary: the preload failed')
                    os.kill(term.proc.pid, sig)
                    self.assertEqual(signal_name(term.wait_signaled()), signal_name(sig))
                    self.assertEqual(term.echo_and_lines(), (True, True))
                    self.assertEqual(os.listdir(d), [])
                finally:
                    term.close()


class Rotation(Base):
    """Several trusted keys: the signature's key id chooses one; distinct keys only."""

    def setUp(self):
        for name in ('k1', 'k2'):
            if not os.path.exists(self.path(name + '.pub')):
                r = run('keygen', '--no-password', '-p', self.path(name + '.pub'), '-s',
                        self.path(name + '.key'))
                self.assertEqual(r.returncode, 0, r.stderr)
        self.sign()  # data.minisig by h.key

    def line(self, name):
        return self.read(name).splitlines()[1].decode()

    def test_repeated_public_keys(self):
        for order in (('k1.pub', 'h.pub', 'm.pub'), ('h.pub', 'k2.pub')):
            args = [a for n in order for a in ('-p', self.path(n))]
            self.assertVerified(run('verify', *args, self.path('data')))
        r = run('verify', '-P', self.line('k1.pub'), '-p', self.path('h.pub'), '-P',
                self.line('k2.pub'), self.path('data'))
        self.assertVerified(r)
        hex_id = self.read('h.pub').split(b'\n')[0].split()[-1].decode()
        r = run('verify', '-p', self.path('k1.pub'), '-p', self.path('k2.pub'), '-P',
                self.line('m.pub'), self.path('data'))
        self.assertUnverified(r, hex_id, 'not a trusted key')

    def test_keyring(self):
        ring = (b'# heart release keys\n\n' + self.read('k1.pub') + b'# current\n' +
                self.read('h.pub') + b'\n' + self.read('k2.pub'))
        self.write('ring', ring)
        self.assertVerified(run('verify', '--keyring', self.path('ring'), self.path('data')))
        self.write('ring2', self.read('k1.pub') + self.read('m.pub'))
        r = run('verify', '--keyring', self.path('ring2'), self.path('data'))
        self.assertUnverified(r, 'not a trusted key')
        # The key may come from -p while the keyring holds the others.
        r = run('verify', '--keyring', self.path('ring2'), '-p', self.path('h.pub'),
                self.path('data'))
        self.assertVerified(r)
        self.write('ring3', b'# no key\n')
        self.assertBadInput(run('verify', '--keyring', self.path('ring3'), self.path('data')),
                            'keyring')

    def test_distinct_keys_only(self):
        # The same key twice counts once; another key with the same id is refused, even if
        # the right key is among them: a key id must choose one key, never a set to try.
        self.assertVerified(run('verify', '-p', self.path('h.pub'), '-P', self.line('h.pub'),
                                self.path('data')))
        pub = bytearray(base64.b64decode(self.line('h.pub')))
        pub[20] ^= 1
        twin = base64.b64encode(bytes(pub)).decode()
        for args in (['-P', twin, '-p', self.path('h.pub')], ['-p', self.path('h.pub'), '-P', twin]):
            self.assertBadInput(run('verify', *args, self.path('data')), 'same key id')

    def test_minisign_keys_in_a_keyring(self):
        r = minisign('-S', '-s', self.path('m.key'), '-m', self.path('data'), '-x',
                     self.path('m.sig'))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.write('ring', self.read('h.pub') + self.read('m.pub'))
        self.assertVerified(run('verify', '--keyring', self.path('ring'), '-x',
                                self.path('m.sig'), self.path('data')))


class Manifest(Base):
    """--manifest: sha256sum's SHA256SUMS, signed; one line per file like sha256sum -c."""

    def setUp(self):
        self.rel = self.path('rel')
        shutil.rmtree(self.rel, ignore_errors=True)
        os.makedirs(os.path.join(self.rel, 'sub'))
        for name in ('good1', 'good2', 'sub/ok3', 'missing'):
            with open(os.path.join(self.rel, name), 'wb') as f:
                f.write(os.urandom(5000) + name.encode())
        r = subprocess.run(['sha256sum', 'good1', 'good2', 'sub/ok3', 'missing'], cwd=self.rel,
                           stdout=subprocess.PIPE, check=True)
        self.sums = os.path.join(self.rel, 'SHA256SUMS')
        with open(self.sums, 'wb') as f:
            f.write(r.stdout)
        os.unlink(os.path.join(self.rel, 'missing'))
        with open(os.path.join(self.rel, 'good2'), 'ab') as f:
            f.write(b'tampered')
        self.sign(name='rel/SHA256SUMS')

    def manifest(self, *extra, pub='h.pub'):
        return run('verify', '-p', self.path(pub), '--manifest', self.sums, *extra)

    def lines(self, r):
        return r.stdout.decode().splitlines()[2:]  # after the signature lines

    def test_good_bad_missing(self):
        r = self.manifest()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(self.lines(r), ['good1: OK', 'good2: FAILED', 'sub/ok3: OK',
                                         'missing: FAILED open or read'])
        # sha256sum -c agrees, line for line.
        c = subprocess.run(['sha256sum', '-c', 'SHA256SUMS'], cwd=self.rel,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(c.returncode, 1)
        self.assertEqual(c.stdout.decode().splitlines(), self.lines(r))
        r = self.manifest('--ignore-missing')
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(self.lines(r), ['good1: OK', 'good2: FAILED', 'sub/ok3: OK'])
        self.assertIn(b'1 of 4 files FAILED', r.stderr)

    def test_json(self):
        """--json: one object per listed file, carrying the manifest's signature."""
        import json
        r = self.manifest('--json', 'good1', 'good2', 'missing', 'unlisted')
        self.assertEqual(r.returncode, 1, r.stderr)
        objects = [json.loads(line) for line in r.stdout.decode().splitlines()]
        self.assertEqual([(o['file'], o['status']) for o in objects],
                         [('good1', 'verified'), ('good2', 'failed'), ('missing', 'failed'),
                          ('unlisted', 'failed')])
        comment = self.read('rel/SHA256SUMS.minisig').decode().splitlines()[2][17:]
        for o in objects:
            self.assertEqual(o['trusted_comment'], comment)
            self.assertIsNone(o['trusted'])
        self.assertNotIn('reason', objects[0])
        self.assertIn('SHA-256', objects[1]['reason'])
        self.assertIn('No such file', objects[2]['reason'])
        self.assertEqual(objects[3]['reason'], 'not in the manifest')
        self.assertIn(b'3 of 4 files FAILED', r.stderr)
        # A manifest whose signature fails: one object for it, exit 1.
        r = self.manifest('--json', pub='m.pub')
        self.assertEqual(r.returncode, 1, r.stderr)
        o = json.loads(r.stdout)
        self.assertEqual((o['file'], o['status'], o['trusted_comment']),
                         (self.sums, 'failed', None))
        self.assertUsageError(self.manifest('--json', '-q'), '--quiet', command='verify')

    def test_named_files(self):
        r = self.manifest('good1', 'sub/ok3')
        self.assertVerified(r)
        self.assertEqual(self.lines(r), ['good1: OK', 'sub/ok3: OK'])
        r = self.manifest('-q', 'good1')
        self.assertEqual((r.returncode, r.stdout), (0, b''), r.stderr)
        for name, line in (('good2', 'good2: FAILED'), ('unlisted', 'unlisted: FAILED not in '
                                                                    'the manifest')):
            r = self.manifest('good1', name)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertEqual(self.lines(r), ['good1: OK', line])
        # A named file that is missing fails even with --ignore-missing.
        r = self.manifest('--ignore-missing', 'missing')
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(self.lines(r), ['missing: FAILED open or read'])
        r = self.manifest('--ignore-missing', 'good1')
        self.assertVerified(r)

    def test_only_missing_with_ignore_is_not_verified(self):
        r = subprocess.run(['sha256sum', 'good1'], cwd=self.rel, stdout=subprocess.PIPE,
                           check=True)
        os.rename(os.path.join(self.rel, 'good1'), os.path.join(self.rel, 'gone'))
        with open(self.sums, 'wb') as f:
            f.write(r.stdout)
        self.sign(name='rel/SHA256SUMS')
        r = self.manifest('--ignore-missing')
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(b'no file was verified', r.stderr)

    def test_manifest_signature_is_checked_first(self):
        with open(self.sums, 'ab') as f:
            f.write(b'0' * 64 + b'  extra\n')
        r = self.manifest()
        self.assertUnverified(r, 'signature verification failed')
        self.sign(name='rel/SHA256SUMS')
        self.assertUnverified(self.manifest(pub='m.pub'), 'not a trusted key')

    def test_hostile_lines_refuse_the_manifest(self):
        h = 'ab' * 32
        good = open(self.sums).read().splitlines()[0] + '\n'
        hostile = ['%s  ../etc/passwd\n', '%s  /etc/passwd\n', '%s  sub/../../x\n',
                   '%s  ./good1\n', '%s  sub//ok3\n', '\\%s  a\\nb\n', '%s  good1\n',
                   '%s  good1\r\n', '%s  a\x1b[2Jb\n', '%s good1\n', '%s  \n', '%s  sub/\n',
                   '%s  a\\b\n', '%s  no-final-newline', '%s  ..\n']
        for line in hostile:
            text = good + (line % (h,))
            with open(self.sums, 'w') as f:
                f.write(text)
            self.sign(name='rel/SHA256SUMS')
            r = self.manifest()
            self.assertEqual(r.returncode, 2, (line, r.stderr))
            self.assertNotIn(b'OK', r.stdout)
            self.assertIn(b'line 2', r.stderr, line)

    def test_minisign_signed_manifest_and_release_layout(self):
        # A manifest written by sha256sum in binary mode and signed by minisign.
        r = subprocess.run(['sha256sum', '-b', 'good1', 'sub/ok3'], cwd=self.rel,
                           stdout=subprocess.PIPE, check=True)
        with open(self.sums, 'wb') as f:
            f.write(r.stdout)
        r = minisign('-S', '-s', self.path('m.key'), '-m', self.sums)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run('verify', '-P', self.read('m.pub').splitlines()[1].decode(), '-p',
                self.path('h.pub'), '--manifest', self.sums)
        self.assertVerified(r)
        self.assertEqual(self.lines(r), ['good1: OK', 'sub/ok3: OK'])

    def test_usage(self):
        self.assertUsageError(run('verify', '-p', self.path('h.pub'), 'a', 'b'), 'unexpected')
        self.assertUsageError(run('verify', '-p', self.path('h.pub'), '--ignore-missing', 'a'),
                              '--manifest')
        self.assertUsageError(run('verify', '-p', self.path('h.pub'), '--manifest', 's',
                                  '--extract', 'o'), 'not both')


class Tamper(Base):
    def setUp(self):
        self.sign('-t', 'release 1.0')
        self.good = self.read('data.minisig')
        self.lines = self.good.split(b'\n')

    def tampered(self, text):
        self.write('t.sig', text)
        return self.verify('-x', self.path('t.sig'))

    def raw_line(self, i):
        return bytearray(base64.b64decode(self.lines[i]))

    def with_raw(self, i, raw):
        lines = list(self.lines)
        lines[i] = base64.b64encode(bytes(raw))
        return b'\n'.join(lines)

    def test_good(self):
        r = self.tampered(self.good)
        self.assertVerified(r)
        self.assertTrue(r.stdout.endswith(b'Trusted comment: release 1.0\n'))

    def test_file_changed(self):
        data = self.read('data')
        self.write('data', data[:-1] + bytes([data[-1] ^ 1]))
        try:
            self.assertUnverified(self.tampered(self.good), 'signature verification failed')
        finally:
            self.write('data', data)

    def test_file_appended_and_truncated(self):
        data = self.read('data')
        for changed in (data + b'x', data[:-1], b''):
            self.write('data', changed)
            self.assertUnverified(self.tampered(self.good))
        self.write('data', data)

    def test_signature_bytes(self):
        raw = self.raw_line(1)
        raw[20] ^= 1
        self.assertUnverified(self.tampered(self.with_raw(1, raw)))

    def test_key_id(self):
        raw = self.raw_line(1)
        raw[3] ^= 1
        self.assertUnverified(self.tampered(self.with_raw(1, raw)), 'key id')

    def test_algorithm_bytes(self):
        raw = self.raw_line(1)
        raw[1:2] = b'd'  # "ED" -> "Ed": legacy
        self.assertUnverified(self.tampered(self.with_raw(1, raw)), 'legacy')
        r = self.verify('--legacy', '-x', self.path('t.sig'))
        self.assertUnverified(r)
        raw[0:2] = b'XX'
        self.assertBadInput(self.tampered(self.with_raw(1, raw)), 'algorithm')

    def test_trusted_comment(self):
        self.assertUnverified(self.tampered(self.good.replace(b'release 1.0', b'release 1.1')),
                              'trusted comment')

    def test_global_signature(self):
        raw = self.raw_line(3)
        raw[0] ^= 1
        self.assertUnverified(self.tampered(self.with_raw(3, raw)), 'trusted comment')

    def test_untrusted_comment_is_not_covered(self):
        r = self.tampered(self.good.replace(b'signature from heart', b'anything else'))
        self.assertVerified(r)

    def test_other_public_key(self):
        self.assertUnverified(self.verify('-x', self.path('data.minisig'), pub='m.pub'),
                              'key id')
        # Same key id, other key: the signatures do not verify.
        pub = bytearray(base64.b64decode(self.read('h.pub').splitlines()[1]))
        pub[20] ^= 1
        r = run('verify', '-P', base64.b64encode(bytes(pub)).decode(), '-x',
                self.path('data.minisig'), self.path('data'))
        self.assertUnverified(r)

    def test_truncated_and_appended_signature_file(self):
        for text in (self.good[:-1], self.good[:50], self.good + b'\n', self.good + b'x\n',
                     b'', self.good.replace(b'\n', b'', 1)):
            r = self.tampered(text)
            if text == self.good[:-1]:  # only the final newline missing: still 4 lines
                self.assertVerified(r)
            else:
                self.assertBadInput(r)

    def test_crlf(self):
        self.assertVerified(self.tampered(self.good.replace(b'\n', b'\r\n')))
        self.assertBadInput(self.tampered(self.good.replace(b'release', b're\rlease')),
                            'carriage return')
        self.assertBadInput(self.tampered(self.good.replace(b'\n', b'\r', 1)))
        self.assertBadInput(self.tampered(self.good + b'\r'))

    def test_overlong_line(self):
        long = self.good.replace(b'release 1.0', b'x' * 9000)
        self.assertBadInput(self.tampered(long), 'too long')
        long = self.good.replace(b'signature from heart', b'x' * 2000)
        self.assertBadInput(self.tampered(long), 'too long')

    def test_bad_base64(self):
        line = self.lines[1]
        for bad in (line + b'=', line[:-2] + b'==', b' ' + line, line[:-1],
                    line.replace(b'R', b'-', 1)):
            self.assertBadInput(self.tampered(self.good.replace(line, bad)), 'base64')
        # Non-canonical: 64 bytes end in one byte "XY==", of whose Y only the top 2 bits
        # count; flipping Y's lowest bit decodes to the same bytes but is not canonical.
        g = self.lines[3]
        alphabet = b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
        y = alphabet[alphabet.index(g[-3]) ^ 1]
        alt = g[:-3] + bytes([y]) + g[-2:]
        self.assertEqual(base64.b64decode(alt), base64.b64decode(g))
        self.assertBadInput(self.tampered(self.good.replace(g, alt)), 'base64')

    def test_control_characters_in_comment(self):
        r = self.tampered(self.good.replace(b'release 1.0', b'\x1b[2Jgotcha'))
        self.assertBadInput(r, 'control character')
        self.assertNotIn(b'\x1b', r.stderr)

    def test_printed_comment_is_escaped(self):
        # Valid printable UTF-8 as it is; a backslash and invisible format characters (a
        # right-to-left override here) escaped.
        r = run('sign', '-s', self.path('h.key'), '-t', 'caf\xe9 \\ ok \u202eevil',
                self.path('data'))
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.verify()
        self.assertVerified(r)
        self.assertIn('Trusted comment: caf\xe9 \\\\ ok \\xe2\\x80\\xaeevil\n'.encode(), r.stdout)
        r = minisign('-V', '-p', self.path('h.pub'), '-m', self.path('data'))
        self.assertEqual(r.returncode, 0, r.stderr)


class Usage(Base):
    def test_repeated_options(self):
        self.assertUsageError(run('verify', '-x', 'a', '--signature', 'b', 'f'), 'twice')
        self.assertUsageError(run('sign', '-s', 'a', '-t', 'x', '-t', 'y', 'f'), 'twice')
        self.assertUsageError(run('verify', '--keyring', 'a', '--keyring', 'b', 'f'), 'twice')
        many = ['-P', 'RW'] * 17
        self.assertBadInput(run('verify', *many, 'f'), 'more than 16 times')

    def test_no_key(self):
        r = run('verify', self.path('data'))
        self.assertUsageError(r, 'no public key')

    def test_bad_comments_refused_before_writing(self):
        # minisign 0.11 cannot read longer comments, C1 controls or invalid UTF-8.
        for extra in (['-t', b'a\x1bb'], ['-c', b'a\nb'], ['-t', b'x' * 8174],
                      ['-c', b'x' * 1004], ['-t', b'a\xc2\x9bb'], ['-c', b'\xc2\x85'],
                      ['-t', b'caf\xe9'], ['-c', b'\xed\xa0\x80'], ['-t', b'\xc0\xaf']):
            r = run('sign', '-s', self.path('h.key'), '-x', self.path('never.sig'),
                    extra[0], os.fsdecode(extra[1]), self.path('data'))
            self.assertBadInput(r, 'comment')
            self.assertFalse(os.path.exists(self.path('never.sig')))
        r = run('sign', '-s', self.path('h.key'), self.path('data'),
                env={'SOURCE_DATE_EPOCH': '12e3'})
        self.assertBadInput(r, 'SOURCE_DATE_EPOCH')

    def test_keygen_refuses_to_overwrite(self):
        before = self.read('h.key')
        r = run('keygen', '--no-password', '-p', self.path('x.pub'), '-s', self.path('h.key'))
        self.assertBadInput(r, 'exists')
        self.assertEqual(self.read('h.key'), before)
        self.assertFalse(os.path.exists(self.path('x.pub')))
        r = run('keygen', '--no-password', '--force', '-p', self.path('f.pub'), '-s',
                self.path('f.key'))
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run('keygen', '--no-password', '--force', '-p', self.path('f.pub'), '-s',
                self.path('f.key'))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(stat.S_IMODE(os.stat(self.path('f.key')).st_mode), 0o600)

    def test_bad_key_files(self):
        self.sign()
        self.write('bad.pub', self.read('h.pub').replace(b'\n', b'\r\r\n', 1))
        self.assertBadInput(self.verify(pub='bad.pub'), 'carriage return')
        self.write('bad.pub', self.read('h.pub') + b'extra\n')
        self.assertBadInput(self.verify(pub='bad.pub'), 'lines')
        self.assertBadInput(self.verify(pub='missing.pub'), 'No such file')
        key = self.read('h.key').splitlines()
        raw = bytearray(base64.b64decode(key[1]))
        raw[2:4] = b'Zz'
        self.write('bad.key', key[0] + b'\n' + base64.b64encode(bytes(raw)) + b'\n')
        r = run('sign', '-s', self.path('bad.key'), '-x', self.path('n.sig'), self.path('data'))
        self.assertBadInput(r, 'key derivation')

    def bad_key(self, raw):
        key = self.read('h.key').splitlines()
        self.write('bad.key', key[0] + b'\n' + base64.b64encode(bytes(raw)) + b'\n')
        r = run('sign', '-s', self.path('bad.key'), '-x', self.path('n.sig'), self.path('data'),
                stdin=PW)
        self.assertFalse(os.path.exists(self.path('n.sig')))
        return r

    def test_scrypt_limits_over_minisigns_refused(self):
        raw = bytearray(base64.b64decode(self.read('h.key').splitlines()[1]))
        raw[2:4] = b'Sc'
        for ops, mem in ((33554432, 2 << 30), (33554433, 1 << 30), (1 << 30, 4 << 30)):
            raw[38:46] = ops.to_bytes(8, 'little')
            raw[46:54] = mem.to_bytes(8, 'little')
            self.assertBadInput(self.bad_key(raw), 'scrypt limits')

    def test_public_half_must_match_the_seed(self):
        raw = bytearray(base64.b64decode(self.read('h.key').splitlines()[1]))
        raw[62 + 32 + 5] ^= 1  # the public half of seed ‖ public key
        self.assertBadInput(self.bad_key(raw), 'does not match')


class Extract(Base):
    def setUp(self):
        self.write('payload', b'#!/bin/sh\necho heart\n' * 5000)
        r = run('pack', '-s', self.path('h.key'), '-t', 'heart 1.0', self.path('payload'),
                '-o', self.path('a.zst'))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.write('out', b'old contents')

    def listing(self):
        return sorted(os.listdir(self.d))

    def extract(self, *extra, artifact='a.zst'):
        return run('verify', '-p', self.path('h.pub'), *extra, '--extract', self.path('out'),
                   self.path(artifact))

    def assertNothingChanged(self, before):
        self.assertEqual(self.read('out'), b'old contents')
        self.assertEqual(self.listing(), before)

    def test_extract(self):
        r = self.extract()
        self.assertVerified(r)
        self.assertEqual(self.read('out'), self.read('payload'))
        self.assertEqual(stat.S_IMODE(os.stat(self.path('out')).st_mode), 0o755)

    def test_pack_from_a_pipe(self):
        # Standard input and a FIFO: spooled, so the frame still declares its size.
        r = run('pack', '-s', self.path('h.key'), '-t', 'piped', '-o', self.path('p.zst'), '-',
                stdin=self.read('payload'))
        self.assertEqual(r.returncode, 0, r.stderr)
        fifo = self.path('fifo')
        os.mkfifo(fifo)
        try:
            proc = subprocess.Popen([heartlib.HEART, 'pack', '-s', self.path('h.key'), '-o',
                                     self.path('f.zst'), fifo], stderr=subprocess.PIPE)
            with open(fifo, 'wb') as f:
                f.write(self.read('payload'))
            self.assertEqual(proc.wait(60), 0, proc.stderr.read())
            proc.stderr.close()
        finally:
            os.unlink(fifo)
        for name in ('p.zst', 'f.zst'):
            self.assertVerified(self.extract(artifact=name))
            self.assertEqual(self.read('out'), self.read('payload'))
            r = minisign('-V', '-p', self.path('h.pub'), '-m', self.path(name))
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertUsageError(run('pack', '-s', self.path('h.key'), '-'), 'needs -o')

    def test_minisign_and_zstd_agree(self):
        r = minisign('-V', '-p', self.path('h.pub'), '-m', self.path('a.zst'))
        self.assertEqual(r.returncode, 0, r.stderr)
        if not ZSTD:
            self.fail('zstd is not installed')
        r = subprocess.run([ZSTD, '-d', '-c', self.path('a.zst')], stdout=subprocess.PIPE)
        self.assertEqual(r.stdout, self.read('payload'))

    def test_tampered_artifact_leaves_nothing(self):
        good = self.read('a.zst')
        before = self.listing()
        self.write('a.zst', good[:-1] + bytes([good[-1] ^ 1]))
        self.assertUnverified(self.extract())
        self.assertNothingChanged(before)
        self.write('a.zst', good)

    def test_size_limit_leaves_nothing(self):
        before = self.listing()
        self.assertBadInput(self.extract('--max-size', '1000'), 'limit')
        self.assertNothingChanged(before)

    def test_signed_garbage_leaves_nothing(self):
        self.write('junk.zst', b'not zstd' * 100)
        self.sign(name='junk.zst')
        before = self.listing()
        self.assertBadInput(self.extract(artifact='junk.zst'), 'zstd')
        self.assertNothingChanged(before)

    def test_skippable_frame_is_not_an_empty_artifact(self):
        # A skippable frame (magic 0x184D2A5?) holds no content: refused, OUT untouched.
        for magic in (0x184D2A50, 0x184D2A5F):
            self.write('skip.zst', magic.to_bytes(4, 'little') + (8).to_bytes(4, 'little') +
                       bytes(8))
            self.sign(name='skip.zst')
            before = self.listing()
            self.assertBadInput(self.extract(artifact='skip.zst'), 'zstd')
            self.assertNothingChanged(before)

    def test_frame_without_checksum_refused(self):
        if not ZSTD:
            self.fail('zstd is not installed')
        subprocess.run([ZSTD, '-q', '-f', '--no-check', self.path('payload'), '-o',
                        self.path('nc.zst')], check=True)
        self.sign(name='nc.zst')
        before = self.listing()
        self.assertBadInput(self.extract(artifact='nc.zst'), 'checksum')
        self.assertNothingChanged(before)

    def test_endless_artifact_is_bounded(self):
        """Any genuine signature of the key and an endless artifact: the private copy beside OUT
        stops at the largest artifact --max-size allows (zstd's compress bound plus the frame's
        overhead). RLIMIT_FSIZE holds heart to that bound for every file it writes, and the
        bytes it read from the pipe are counted."""
        self.sign()
        max_size = 100000
        bound = max_size + max_size // 256 + 64 + 22  # ZSTD_compressBound() + frame overhead
        fifo = self.path('endless')
        os.mkfifo(fifo)
        fed = [0]

        def feed():
            chunk = bytes(65536)
            try:
                with open(fifo, 'wb', buffering=0) as f:
                    while fed[0] < 1 << 30:
                        fed[0] += f.write(chunk)
            except BrokenPipeError:
                pass
        writer = threading.Thread(target=feed)
        writer.start()
        before = self.listing()

        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (bound, bound))
        try:
            r = subprocess.run([heartlib.HEART, 'verify', '-p', self.path('h.pub'), '-x',
                                self.path('data.minisig'), '--max-size', str(max_size),
                                '--extract', self.path('out'), fifo], preexec_fn=limit,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        finally:
            if writer.is_alive():  # heart never opened the FIFO: let the writer go
                os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
            writer.join(60)
            os.unlink(fifo)
        self.assertBadInput(r, 'larger than any zstd frame')
        self.assertNothingChanged([n for n in before if n != 'endless'])
        # One read block (1 MiB) past the bound and what the pipe holds, at most.
        self.assertLess(fed[0], bound + (1 << 20) + 2 * 65536 + 65536)

    def pack(self, name, *fields):
        r = run('pack', '-s', self.path('h.key'), *fields, self.path('payload'), '-o',
                self.path(name), env={'SOURCE_DATE_EPOCH': '1763805600'})
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_structured_comment_and_policy(self):
        self.pack('new.zst', '--product', 'heart', '--product-version', '0.3.0', '--arch',
                  'x86_64')
        comment = ('heart-policy:1\tproduct:heart\tversion:0.3.0\tarch:x86_64\t'
                   'timestamp:1763805600\tfile:new.zst\thashed')
        self.assertIn(('trusted comment: %s\n' % comment).encode(), self.read('new.zst.minisig'))
        r = minisign('-V', '-p', self.path('h.pub'), '-m', self.path('new.zst'))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(comment.encode(), r.stdout)
        policy = ('--product', 'heart', '--arch', 'x86_64', '--min-version', '0.3.0')
        r = self.extract(*policy, artifact='new.zst')
        self.assertVerified(r)
        self.assertIn(('Trusted comment: %s\n' % comment).encode(), r.stdout)
        self.assertEqual(self.read('out'), self.read('payload'))
        self.assertVerified(self.verify('--min-version', '0.3.0-rc.1', name='new.zst'))

    def test_policy_refusals_leave_out_untouched(self):
        self.pack('old.zst', '--product', 'heart', '--product-version', '0.2.9', '--arch',
                  'x86_64')
        self.pack('plain.zst', '-t', 'heart 0.9.0')
        before = self.listing()
        cases = [(('--min-version', '0.3.0'), 'old.zst', 'version 0.2.9 is older'),
                 (('--min-version', '0.2.10'), 'old.zst', '--min-version 0.2.10'),
                 (('--product', 'other'), 'old.zst', "product is 'heart', not 'other'"),
                 (('--arch', 'aarch64'), 'old.zst', "arch is 'x86_64', not 'aarch64'"),
                 (('--min-version', '0.1.0'), 'plain.zst', 'carries no release policy'),
                 (('--product', 'heart'), 'plain.zst', 'carries no release policy')]
        for args, artifact, message in cases:
            self.assertUnverified(self.extract(*args, artifact=artifact), message)
            self.assertNothingChanged(before)
            self.assertUnverified(self.verify(*args, name=artifact), message)
        self.assertVerified(self.extract('--min-version', '0.2.9', artifact='old.zst'))
        r = self.verify('--min-version', '0.3', name='old.zst')
        self.assertBadInput(r, 'not a semantic version')

    def test_repeated_field_is_refused(self):
        self.pack('twice.zst', '-t', 'heart-policy:1\tversion:9.9.9\tversion:0.1.0\t'
                  'timestamp:1\tfile:twice.zst\thashed')
        self.assertUnverified(self.verify('--min-version', '0.1.0', name='twice.zst'),
                              'carries no release policy')

    def test_comment_printed_before_the_commit(self):
        """A trusted comment that cannot be written (stdout on /dev/full) is exit 2 with OUT
        as it was: no failure can come after OUT is replaced."""
        before = self.listing()
        with open('/dev/full', 'wb') as full:
            r = subprocess.run([heartlib.HEART, 'verify', '-p', self.path('h.pub'), '--extract',
                                self.path('out'), self.path('a.zst')], stdout=full,
                               stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(b'standard output', r.stderr)
        self.assertNothingChanged(before)
        # Quiet prints nothing, so nothing can fail.
        with open('/dev/full', 'wb') as full:
            r = subprocess.run([heartlib.HEART, 'verify', '-q', '-p', self.path('h.pub'),
                                '--extract', self.path('out'), self.path('a.zst')], stdout=full,
                               stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.read('out'), self.read('payload'))

    def test_pack_fields_checked(self):
        for args, message in ((('--product-version', '1.0'), 'semantic version'),
                              (('--arch', 'x 86'), 'A-Z a-z 0-9 . _ + -'),
                              (('--product', 'a:b'), 'A-Z a-z 0-9 . _ + -')):
            r = run('pack', '-s', self.path('h.key'), *args, self.path('payload'), '-o',
                    self.path('never.zst'))
            self.assertBadInput(r, message)
            self.assertFalse(os.path.exists(self.path('never.zst')))
        r = run('pack', '-s', self.path('h.key'), '-t', 'x', '--arch', 'x86_64',
                self.path('payload'))
        self.assertUsageError(r, '--trusted')

    def test_missing_signature(self):
        before = self.listing()
        self.write('lonely.zst', self.read('a.zst'))
        before = self.listing()
        self.assertBadInput(self.extract(artifact='lonely.zst'), 'No such file')
        self.assertNothingChanged(before)


CRAFTED = 'notes.txt\tproduct:heart\tversion:99.0.0\tarch:x86_64'
POLICY = ('--product', 'heart', '--arch', 'x86_64', '--min-version', '1.0.0')


class Policy(Base):
    """Issue 19, finding 2: policy fields come only from the form heart pack writes, never from
    a file name, free comment text or a default comment."""

    def setUp(self):
        self.write('notes', b'release notes\n')

    def refused(self, r):
        self.assertUnverified(r, 'carries no release policy')

    def test_crafted_name_refused_by_sign_and_pack(self):
        self.write(CRAFTED, b'release notes\n')
        r = run('sign', '-s', self.path('h.key'), self.path(CRAFTED))
        self.assertBadInput(r, "notes.txt\\x09product:heart\\x09", 'give -t')
        self.assertFalse(os.path.exists(self.path(CRAFTED + '.minisig')))
        r = run('pack', '-s', self.path('h.key'), self.path('notes'), '-o',
                self.path(CRAFTED + '.zst'))
        self.assertBadInput(r, "notes.txt\\x09product:heart\\x09", 'give -t')
        self.assertFalse(os.path.exists(self.path(CRAFTED + '.zst')))
        for c in ('\n', '\x1b', '\x7f'):
            self.write('n' + c, b'x')
            self.assertBadInput(run('sign', '-s', self.path('h.key'), self.path('n' + c)),
                                'give -t')

    def test_default_comment_with_crafted_name_is_no_policy(self):
        """What heart sign and heart pack wrote for such a name before they refused it."""
        for comment in ('timestamp:1763805600\tfile:%s\thashed' % CRAFTED,
                        'timestamp:1763805600\tfile:x\thashed\tproduct:heart\tversion:99.0.0\t'
                        'arch:x86_64'):
            self.sign('-t', comment, name='notes')
            self.refused(self.verify(*POLICY, name='notes'))
            for option in (('--product', 'heart'), ('--arch', 'x86_64'),
                           ('--min-version', '1.0.0'), ('--max-age', '36500d')):
                self.refused(self.verify(*option, name='notes'))
            self.assertVerified(self.verify(name='notes'))

    def test_pack_without_fields_is_no_product(self):
        r = run('pack', '-s', self.path('h.key'), self.path('notes'), '-o',
                self.path('n.zst'), env={'SOURCE_DATE_EPOCH': '1763805600'})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b'trusted comment: heart-policy:1\ttimestamp:1763805600\tfile:n.zst\t'
                      b'hashed\n', self.read('n.zst.minisig'))
        for option, field in ((('--product', 'heart'), 'product'), (('--arch', 'x86_64'), 'arch'),
                              (('--min-version', '1.0.0'), 'version')):
            self.assertUnverified(self.verify(*option, name='n.zst'), 'has no %s' % field)

    def test_minisign_default_comment_with_crafted_name(self):
        self.write(CRAFTED, b'release notes\n')
        r = minisign('-S', '-s', self.path('m.key'), '-m', self.path(CRAFTED))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.refused(self.verify(*POLICY, pub='m.pub', name=CRAFTED))
        self.assertVerified(self.verify(pub='m.pub', name=CRAFTED))

    def test_old_minisign_comment_without_hashed(self):
        """Old minisign wrote timestamp:N<TAB>file:NAME, NAME unescaped: with a crafted name
        that is any sequence of fields, pack's old form included."""
        for tail in (CRAFTED, 'x\thashed\tproduct:heart\tversion:99.0.0\tarch:x86_64',
                     'x\theart-policy:1\tproduct:heart\tversion:99.0.0\tarch:x86_64'):
            r = minisign('-S', '-s', self.path('m.key'), '-m', self.path('notes'), '-t',
                         'timestamp:1763805600\tfile:' + tail)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.refused(self.verify(*POLICY, pub='m.pub', name='notes'))

    def test_policy_form_written_by_hand_is_policy(self):
        comment = ('heart-policy:1\tproduct:heart\tversion:2.0.0\tarch:x86_64\t'
                   'timestamp:1763805600\tfile:notes\thashed')
        r = minisign('-S', '-s', self.path('m.key'), '-m', self.path('notes'), '-t', comment)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertVerified(self.verify(*POLICY, pub='m.pub', name='notes'))

    def test_policy_form_is_strict(self):
        good = ['heart-policy:1', 'product:heart', 'version:2.0.0', 'arch:x86_64',
                'timestamp:1763805600', 'file:notes', 'hashed']
        variants = [good[1:], good[:1] + good[2:3] + good[1:2] + good[3:],
                    good[:2] + good[1:], good + ['extra:1'], good[:-1],
                    good[:1] + ['product:he art'] + good[2:], good[:1] + ['product:'] + good[2:],
                    good[:2] + ['version:2.0'] + good[3:],
                    good[:4] + ['timestamp:01763805600'] + good[5:],
                    good[:4] + good[5:], ['heart-policy:2'] + good[1:],
                    good[:5] + ['file:'] + good[6:], good[:5] + ['file:a/b'] + good[6:]]
        for fields in variants:
            self.sign('-t', '\t'.join(fields), name='notes')
            self.refused(self.verify('--product', 'heart', name='notes'))
        self.sign('-t', '\t'.join(good), name='notes')
        self.assertVerified(self.verify(*POLICY, name='notes'))

    def packed(self, when, name='p.zst', *fields):
        r = run('pack', '-s', self.path('h.key'), *fields, self.path('notes'), '-o',
                self.path(name), env={'SOURCE_DATE_EPOCH': str(when)})
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_max_age(self):
        now = int(time.time())
        self.packed(now - 10 * 86400)
        for limit in ('11d', '241h', '%ds' % (10 * 86400 + 600), '2w'):
            self.assertVerified(self.verify('--max-age', limit, name='p.zst'))
        for limit in ('9d', '239h', '%ds' % (10 * 86400 - 600), '1w'):
            self.assertUnverified(self.verify('--max-age', limit, name='p.zst'),
                                  'timestamp %d' % (now - 10 * 86400),
                                  'older than --max-age %s' % limit)
        self.packed(now + 3600, 'future.zst')
        self.assertUnverified(self.verify('--max-age', '90d', name='future.zst'),
                              'timestamp %d' % (now + 3600), 'in the future')
        self.packed(now + 30, 'skew.zst')
        self.assertVerified(self.verify('--max-age', '90d', name='skew.zst'))
        self.sign(name='notes')
        self.refused(self.verify('--max-age', '90d', name='notes'))
        for bad in ('90', 'd', '0d', '-1d', '1.5d', '90D', ' 90d', '90dd', '1y',
                    '99999999999999999999d', '01d'):
            self.assertBadInput(self.verify('--max-age', bad, name='p.zst'), '--max-age',
                                'DAYSd')

    def test_json(self):
        import json
        self.packed(1763805600, 'j.zst', '--product', 'heart', '--product-version', '1.2.3',
                    '--arch', 'x86_64')
        r = self.verify('--json', '--product', 'heart', name='j.zst')
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.decode('ascii').splitlines()
        self.assertEqual(len(lines), 1, r.stdout)
        o = json.loads(lines[0])
        with open(self.path('h.pub')) as f:
            key_id = f.readline().split()[-1]
        self.assertEqual(o, {'file': self.path('j.zst'), 'status': 'verified', 'key_id': key_id,
                             'trusted_comment': 'heart-policy:1\tproduct:heart\tversion:1.2.3\t'
                             'arch:x86_64\ttimestamp:1763805600\tfile:j.zst\thashed',
                             'trusted': {'product': 'heart', 'version': '1.2.3',
                                         'arch': 'x86_64', 'timestamp': 1763805600,
                                         'file': 'j.zst'}})
        r = self.verify('--json', '--min-version', '2.0.0', name='j.zst')
        self.assertEqual(r.returncode, 1, r.stderr)
        o = json.loads(r.stdout)
        self.assertEqual(o['status'], 'failed')
        self.assertIn('older than --min-version 2.0.0', o['reason'])
        self.assertIn(b'older than --min-version 2.0.0', r.stderr)
        # A name with control bytes and invalid UTF-8 stays one line of valid JSON.
        odd = 'odd\x01\x1b\u00e9'.encode() + b'\xff\xc3'
        with open(os.path.join(self.d.encode(), odd), 'wb') as f:
            f.write(b'x')
        self.sign('-t', 'free text \u2603', name=os.fsdecode(odd))
        r = run('verify', '-p', self.path('h.pub'), '--json',
                os.fsdecode(os.path.join(self.d.encode(), odd)))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(r.stdout.splitlines()), 1, r.stdout)
        self.assertIn(b'odd\\u0001\\u001b\xc3\xa9\\ufffd\\ufffd"', r.stdout)
        o = json.loads(r.stdout)
        self.assertEqual(o['trusted_comment'], 'free text \u2603')
        self.assertIsNone(o['trusted'])
        # Unverified: exit 1, one object, the reason.
        r = self.verify('--json', pub='m.pub', name='j.zst')
        self.assertEqual(r.returncode, 1, r.stderr)
        o = json.loads(r.stdout)
        self.assertEqual(o['status'], 'failed')
        self.assertIn('not a trusted key', o['reason'])


if __name__ == '__main__':
    heartlib.main()
