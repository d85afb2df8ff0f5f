"""Every file heart writes or reads, end to end (issue 10; the contract is in fileio/fileio.h).

Each writing command meets every kind of target: a missing directory, a directory, a regular
file, links, devices, FIFOs, itself by another spelling, a full disk, and signals mid-write.
Runs as root, as CI does: mknod, mount and unshare need it."""
import os
import resource
import signal
import stat
import subprocess
import tempfile
import threading
import time
import unittest

import heartlib
from heartlib import run, HEART

PRELOAD = os.environ.get('HEART_FILEIO_PRELOAD', '')
SANITIZED = os.environ.get('SANITIZED', 'none') not in ('', 'none')
# Under AddressSanitizer an LD_PRELOAD comes before the ASan runtime.
ASAN = {'ASAN_OPTIONS': os.environ.get('ASAN_OPTIONS', '') + ':verify_asan_link_order=0'}

SECRET_REFUSED = 'a secret key goes only into a new file or a regular file you own'
PNG = b'\x89PNG\r\n\x1a\n'
ZSTD_MAGIC = b'\x28\xb5\x2f\xfd'
PAYLOAD = b'#!/bin/sh\necho heart\n' * 3000


class Writer:
    """A command that writes one file: argv for a target, what the file starts with, the mode
    it sets (None: a replaced file keeps its own), and whether what it writes is a secret
    (then only into a new file or a regular file of the caller's: issue 19)."""

    def __init__(self, argv, magic, mode, secret=False):
        self.argv, self.magic, self.mode, self.secret = argv, magic, mode, secret


WRITERS = {
    'png': Writer(lambda t, out: ['png', '--size', '16', '-o', out], PNG, None),
    'svg': Writer(lambda t, out: ['svg', '-o', out], b'<svg', None),
    'record': Writer(lambda t, out: ['--record', out, '--size', '20x10', '--frames', '2'],
                     b'{"version": 2', None),
    'keygen-public': Writer(lambda t, out: ['keygen', '--no-password', '--force', '-p', out,
                                            '-s', t.side('k.key')],
                            b'untrusted comment: minisign public key', 0o644),
    'keygen-secret': Writer(lambda t, out: ['keygen', '--no-password', '--force', '-p',
                                            t.side('k.pub'), '-s', out],
                            b'untrusted comment: minisign encrypted secret key', 0o600,
                            secret=True),
    'sign': Writer(lambda t, out: ['sign', '-s', t.key, '-x', out, t.data],
                   b'untrusted comment: signature from heart', 0o644),
    'pack': Writer(lambda t, out: ['pack', '-s', t.key, '-o', out, t.data], ZSTD_MAGIC, 0o644),
    'extract': Writer(lambda t, out: ['verify', '-q', '-p', t.pub, '--extract', out,
                                      t.artifact], PAYLOAD[:64], 0o755),
}


# Mounts happen in a new mount namespace made private first, so that none of them can reach
# the machine's. unshare's --propagation private needs "/" to be a mount point, which it is
# not in a chroot (tests/e2e/test_fresh_debian.py runs the suite in one): there /dev and
# /proc, the only mounts these tests touch, are made private one by one.
PRIVATE = ('mount --make-rprivate / 2>/dev/null ||'
           ' { mount --make-rprivate /dev && mount --make-rprivate /proc; } || exit 97\n')


def private_mounts(script, *args, **kw):
    """Run sh -c script with args ($0 is the first) in a private mount namespace."""
    return subprocess.run(['unshare', '--mount', '--propagation', 'unchanged', 'sh', '-c',
                           PRIVATE + script] + [str(a) for a in args], **kw)


def default_signals():
    # The test runner may ignore SIGINT or SIGHUP; heart must meet them as a shell gives them.
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)


class FilesTest(heartlib.HeartTest):
    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise AssertionError('run as root (as CI does): mknod, mount and unshare need it')
        if not os.path.exists(PRELOAD):
            raise AssertionError('HEART_FILEIO_PRELOAD is not built: %r' % PRELOAD)
        cls.keys = tempfile.TemporaryDirectory(prefix='hk')
        k = cls.keys.name
        cls.key, cls.pub = os.path.join(k, 'h.key'), os.path.join(k, 'h.pub')
        r = run('keygen', '--no-password', '-p', cls.pub, '-s', cls.key)
        assert r.returncode == 0, r.stderr
        cls.data = os.path.join(k, 'data')
        with open(cls.data, 'wb') as f:
            f.write(os.urandom(50000))
        payload = os.path.join(k, 'payload')
        with open(payload, 'wb') as f:
            f.write(PAYLOAD)
        cls.artifact = os.path.join(k, 'a.zst')
        r = run('pack', '-s', cls.key, '-o', cls.artifact, payload)
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.keys.cleanup()

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='h')
        self.n = 0

    def tearDown(self):
        self.tmp.cleanup()

    def fresh(self):
        """A new empty directory for one case, and a side directory for other outputs."""
        self.n += 1
        self.dir = os.path.join(self.tmp.name, str(self.n))
        self.sidedir = os.path.join(self.tmp.name, 's%d' % self.n)
        os.mkdir(self.dir)
        os.mkdir(self.sidedir)
        return self.dir

    def path(self, *names):
        return os.path.join(self.dir, *names)

    def side(self, name):
        return os.path.join(self.sidedir, name)

    def listing(self, d=None):
        return sorted(os.listdir(d or self.dir))

    def write(self, path, data, mode=0o640):
        with open(path, 'wb') as f:
            f.write(data)
        os.chmod(path, mode)

    def read(self, path):
        with open(path, 'rb') as f:
            return f.read()

    def heart(self, w, out, **kw):
        return run(*w.argv(self, out), **kw)

    def assertWrote(self, r):
        self.assertEqual(r.returncode, 0, r.stderr)
        # keygen says where the keys went; nothing else speaks on success
        lines = r.stderr.splitlines()
        self.assertTrue(lines == [] or len(lines) == 1 and lines[0].startswith(b'heart: key '),
                        r.stderr)

    def assertNoHidden(self, d=None):
        self.assertEqual([n for n in self.listing(d) if n.startswith('.')], [])

    def expected_names(self, name, *targets):
        """What a successful run leaves beside its target: pack also writes the .minisig."""
        names = set(targets)
        if name == 'pack':
            names |= {t + '.minisig' for t in targets}
        return sorted(names)

    def stall(self, w, out, extra_env=None):
        """Start heart on out and wait until it sits in its first fsync: data written,
        nothing published."""
        marker = os.path.join(self.tmp.name, 'stalled-%d' % self.n)
        env = dict(os.environ, LD_PRELOAD=PRELOAD, HEART_TEST_STALL=marker, **ASAN)
        env.update(extra_env or {})
        p = subprocess.Popen([HEART] + w.argv(self, out), env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, preexec_fn=default_signals)
        deadline = time.monotonic() + 60
        while not os.path.exists(marker):
            if p.poll() is not None or time.monotonic() > deadline:
                p.kill()
                self.fail('heart never reached fsync: %r' % p.communicate()[1])
            time.sleep(0.005)
        return p


class Targets(FilesTest):
    def assertCannotWrite(self, w, out, reason, *left):
        """heart refuses out for reason, and leaves exactly `left` in the case's directory and
        nothing in the side directory."""
        self.assertBadInput(self.heart(w, out), "cannot write '%s'" % out, reason)
        self.assertEqual(self.listing(), sorted(left))
        self.assertEqual(self.listing(self.sidedir), [])

    def test_missing_directory(self):
        for name, w in WRITERS.items():
            with self.subTest(name):
                self.fresh()
                self.assertCannotWrite(w, self.path('missing', 'out'),
                                       'No such file or directory')

    def test_directory(self):
        for name, w in WRITERS.items():
            for spelling in ('sub', 'sub/'):
                with self.subTest(name, spelling=spelling):
                    self.fresh()
                    os.mkdir(self.path('sub'))
                    self.assertCannotWrite(w, self.path(spelling), 'Is a directory', 'sub')
                    self.assertEqual(self.listing(self.path('sub')), [])

    def test_regular_file_is_replaced(self):
        for name, w in WRITERS.items():
            with self.subTest(name):
                self.fresh()
                out = self.path('out')
                self.write(out, b'old', 0o640)
                os.chown(out, 1234, 4321)
                before = os.stat(out)
                if w.secret:  # somebody else's file: never theirs to read
                    self.assertCannotWrite(w, out, SECRET_REFUSED, 'out')
                    self.assertEqual((os.stat(out).st_uid, self.read(out)), (1234, b'old'))
                    continue
                self.assertWrote(self.heart(w, out))
                self.assertTrue(self.read(out).startswith(w.magic))
                after = os.stat(out)
                self.assertNotEqual(after.st_ino, before.st_ino, 'rewritten in place')
                self.assertEqual(stat.S_IMODE(after.st_mode), w.mode or 0o640)
                # root keeps the owner of the file it replaces
                self.assertEqual((after.st_uid, after.st_gid), (1234, 4321))
                self.assertEqual(self.listing(), self.expected_names(name, 'out'))

    def test_new_file_gets_the_umask(self):
        for name, w in WRITERS.items():
            with self.subTest(name):
                self.fresh()
                out = self.path('out')
                old = os.umask(0o027)
                try:
                    self.assertWrote(self.heart(w, out))
                finally:
                    os.umask(old)
                self.assertEqual(stat.S_IMODE(os.stat(out).st_mode), w.mode or 0o640)
                self.assertEqual(self.listing(), self.expected_names(name, 'out'))

    def test_symlink_to_a_regular_file(self):
        for name, w in WRITERS.items():
            for link in ('sub/real', '@/sub/real'):
                with self.subTest(name, link=link):
                    self.fresh()
                    os.mkdir(self.path('sub'))
                    self.write(self.path('sub', 'real'), b'old', 0o640)
                    target = link.replace('@', self.dir)
                    os.symlink(target, self.path('link'))
                    self.assertWrote(self.heart(w, self.path('link')))
                    self.assertEqual(os.readlink(self.path('link')), target)
                    self.assertTrue(self.read(self.path('sub', 'real')).startswith(w.magic))
                    self.assertEqual(stat.S_IMODE(os.stat(self.path('sub', 'real')).st_mode),
                                     w.mode or 0o640)
                    self.assertNoHidden(self.path('sub'))
                    self.assertNoHidden()

    def test_dangling_symlink(self):
        for name, w in WRITERS.items():
            with self.subTest(name):
                self.fresh()
                os.mkdir(self.path('sub'))
                os.symlink('sub/new', self.path('link'))
                self.assertWrote(self.heart(w, self.path('link')))
                self.assertEqual(os.readlink(self.path('link')), 'sub/new')
                self.assertTrue(self.read(self.path('sub', 'new')).startswith(w.magic))
                self.assertNoHidden(self.path('sub'))

    def test_symlink_loop(self):
        for name, w in WRITERS.items():
            with self.subTest(name):
                self.fresh()
                os.symlink('loop', self.path('loop'))
                self.assertCannotWrite(w, self.path('loop'), 'Too many levels of symbolic links',
                                       'loop')

    def test_character_device(self):
        for name, w in WRITERS.items():
            with self.subTest(name):
                self.fresh()
                os.mknod(self.path('null'), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
                if w.secret:
                    self.assertCannotWrite(w, self.path('null'), SECRET_REFUSED, 'null')
                    continue
                self.assertWrote(self.heart(w, self.path('null')))
                st = os.lstat(self.path('null'))
                self.assertTrue(stat.S_ISCHR(st.st_mode))
                self.assertEqual(st.st_rdev, os.makedev(1, 3))
                self.assertEqual(self.listing(), self.expected_names(name, 'null'))

    def test_full_device(self):
        for name, w in WRITERS.items():
            with self.subTest(name):
                self.fresh()
                os.mknod(self.path('full'), 0o666 | stat.S_IFCHR, os.makedev(1, 7))
                self.assertCannotWrite(w, self.path('full'), SECRET_REFUSED if w.secret else
                                       'No space left on device', 'full')
                self.assertTrue(stat.S_ISCHR(os.lstat(self.path('full')).st_mode))

    def test_fifo_with_a_reader(self):
        for name, w in WRITERS.items():
            if w.secret:
                continue  # SecretKeys: refused, the reader gets nothing
            with self.subTest(name):
                self.fresh()
                fifo = self.path('fifo')
                os.mkfifo(fifo)
                got = []
                reader = threading.Thread(target=lambda: got.append(self.read(fifo)),
                                          daemon=True)
                reader.start()
                r = self.heart(w, fifo)
                reader.join(30)
                self.assertWrote(r)
                self.assertTrue(got and got[0].startswith(w.magic), got)
                self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode))
                self.assertEqual(self.listing(), self.expected_names(name, 'fifo'))

    def test_process_substitution(self):
        """-o >(cat > x): bash hands heart /dev/fd/63, a pipe."""
        for name in ('png', 'svg', 'sign'):
            with self.subTest(name):
                self.fresh()
                w = WRITERS[name]
                argv = ' '.join("'%s'" % a for a in [HEART] + w.argv(self, '@'))
                script = argv.replace("'@'", '>(cat > "$0")') + '; wait'
                r = subprocess.run(['bash', '-c', script, self.path('x')],
                                   stderr=subprocess.PIPE, timeout=60)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertTrue(self.read(self.path('x')).startswith(w.magic))

    def test_own_descriptors_are_written_directly(self):
        """/dev/stdout, /dev/fd/1, /proc/self/fd/1 and links to them write to the descriptor:
        appending to a file opened for appending, never replacing it."""
        self.fresh()
        os.symlink('/proc/self/fd/1', self.path('link'))
        # (/dev/stdout itself: test_dev_null_and_dev_stdout_as_root, in a private /dev)
        for spelling in ('/dev/fd/1', '/proc/self/fd/1', self.path('link')):
            with self.subTest(spelling):
                log = self.path('log')
                self.write(log, b'head\n')
                ino = os.stat(log).st_ino
                with open(log, 'ab') as f:
                    r = subprocess.run([HEART, 'svg', '-o', spelling], stdout=f,
                                       stderr=subprocess.PIPE)
                self.assertEqual(r.returncode, 0, r.stderr)
                data = self.read(log)
                self.assertTrue(data.startswith(b'head\n<svg'), data[:20])
                self.assertEqual(os.stat(log).st_ino, ino)
                self.assertEqual(self.listing(), ['link', 'log'])

    def test_dev_null_and_dev_stdout_as_root(self):
        """The issue's own commands, in a private /dev so that a regression cannot replace
        the machine's /dev/null: they must write through, and leave the nodes as they were."""
        self.fresh()
        script = '''
            mount -t tmpfs -o mode=755 none /dev || exit 99
            mknod -m 666 /dev/null c 1 3 && ln -s /proc/self/fd/1 /dev/stdout || exit 98
            "$0" png --size 16 -o /dev/null || exit 1
            "$0" png --size 16 -o /dev/stdout > "$1" || exit 2
            [ -c /dev/null ] && [ -L /dev/stdout ] || exit 3
        '''
        r = private_mounts(script, HEART, self.path('out.png'), stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(self.read(self.path('out.png')).startswith(PNG))

    def test_tiny_full_file_system(self):
        """A real full disk: the temporary file cannot be written; the old file survives and
        nothing is left beside it. The tiny tmpfs goes on /dev/shm, a mount point that the
        private namespace owns even in a chroot."""
        script = '''
            D=/dev/shm
            mount -t tmpfs -o size=64k tmpfs "$D" || exit 99
            printf old > "$D/out"
            head -c 1000000 /dev/zero > "$D/fill" 2>/dev/null
            "$@" 2> "$0"
            st=$?
            ls -A "$D" > "$0.listing"
            cat "$D/out" > "$0.old"
            exit $st
        '''
        out = '/dev/shm/out'
        for name, w in WRITERS.items():
            with self.subTest(name):
                self.fresh()
                err = self.path('err')
                r = private_mounts(script, err, HEART, *w.argv(self, out),
                                   stdout=subprocess.PIPE)
                self.assertEqual(r.returncode, 2, self.read(err))
                self.assertIn(b"cannot write '%s': No space left on device" % out.encode(),
                              self.read(err))
                self.assertEqual(self.read(err + '.listing').split(), [b'fill', b'out'])
                self.assertEqual(self.read(err + '.old'), b'old')
                self.assertEqual(self.listing(self.sidedir), [])


class SameFile(FilesTest):
    def assertRefused(self, r, *unchanged):
        self.assertBadInput(r, 'same file')
        for path, data in unchanged:
            self.assertEqual(self.read(path), data)

    def test_pack_output_is_its_input(self):
        self.fresh()
        f = self.path('f')
        self.write(f, b'payload')
        os.symlink('f', self.path('link'))
        os.link(f, self.path('hard'))
        for out in ('f', './f', self.path('f'), 'link', 'hard', '../%d/f' % self.n):
            with self.subTest(out):
                r = run('pack', '-s', self.key, '-o', out, 'f', cwd=self.dir)
                self.assertRefused(r, (f, b'payload'))
                self.assertEqual(self.listing(), ['f', 'hard', 'link'])
        self.assertRefused(run('pack', '-s', self.key, '-o', self.key, f))

    def test_sign_output_is_an_input(self):
        self.fresh()
        f = self.path('f')
        self.write(f, b'payload')
        key = self.read(self.key)
        for sig in ('./f', self.key):
            with self.subTest(sig):
                r = run('sign', '-s', self.key, '-x', sig, 'f', cwd=self.dir)
                self.assertRefused(r, (f, b'payload'), (self.key, key))
        # several files: a signature that is another file of the same command
        self.write(self.path('g'), b'other')
        self.write(self.path('g.minisig'), b'not a signature yet')
        r = run('sign', '-s', self.key, 'g', 'g.minisig', cwd=self.dir)
        self.assertRefused(r, (self.path('g.minisig'), b'not a signature yet'))
        self.assertEqual(self.listing(), ['f', 'g', 'g.minisig'])

    def test_extract_over_the_artifact_or_its_signature(self):
        self.fresh()
        a = self.path('A.zst')
        self.write(a, self.read(self.artifact))
        self.write(a + '.minisig', self.read(self.artifact + '.minisig'))
        art, sig = self.read(a), self.read(a + '.minisig')
        os.symlink('A.zst', self.path('link'))
        for out in ('A.zst', './A.zst', 'link', 'A.zst.minisig', self.pub):
            with self.subTest(out):
                r = run('verify', '-p', self.pub, '--extract', out, 'A.zst', cwd=self.dir)
                self.assertRefused(r, (a, art), (a + '.minisig', sig))
                self.assertEqual(self.listing(), ['A.zst', 'A.zst.minisig', 'link'])

    def test_keygen_one_file_two_spellings(self):
        self.fresh()
        self.assertWrote(run('keygen', '--no-password', '-p', 'k.pub', '-s', 'k',
                             cwd=self.dir))
        pair = (self.read(self.path('k')), self.read(self.path('k.pub')))
        os.symlink('k', self.path('link'))
        os.link(self.path('k'), self.path('hard'))
        for pub in ('./k', self.path('k'), 'link', 'hard', '../%d/k' % self.n):
            with self.subTest(pub):
                r = run('keygen', '--no-password', '--force', '-p', pub, '-s', 'k',
                        cwd=self.dir)
                self.assertRefused(r, (self.path('k'), pair[0]), (self.path('k.pub'), pair[1]))
        # two new names for one file that does not exist yet
        r = run('keygen', '--no-password', '-p', 'new', '-s', './new', cwd=self.dir)
        self.assertRefused(r)
        self.assertFalse(os.path.exists(self.path('new')))

    def test_frames_that_name_one_file(self):
        self.fresh()
        os.mkdir(self.path('a0'))
        os.mkdir(self.path('a1'))
        r = run('png', '--size', '8', '--frames', '2', '-o', self.path('a%d', '..', 'f.png'))
        self.assertRefused(r)
        self.assertEqual(self.listing(), ['a0', 'a1'])


NOBODY = 65534


def as_nobody():
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


class SecretKeys(FilesTest):
    """Issue 19: keygen handed the secret key to whatever another user planted at its path, and
    kept another user as the owner of a key file it replaced."""

    def keygen(self, sec, **kw):
        return run('keygen', '--no-password', '--force', '-p', self.side('k.pub'), '-s', sec,
                   timeout=60, **kw)

    def assertRefused(self, r, sec):
        self.assertBadInput(r, "cannot write '%s'" % sec, SECRET_REFUSED)
        self.assertEqual(self.listing(self.sidedir), [])

    def sticky(self):
        """A case directory like /tmp, that nobody can reach."""
        os.chmod(self.tmp.name, 0o711)
        self.fresh()
        os.chmod(self.dir, 0o1777)

    def test_fifo_planted_by_another_user(self):
        self.sticky()
        fifo = self.path('release.key')
        subprocess.run(['mkfifo', '-m', '622', fifo], preexec_fn=as_nobody, check=True)
        thief = subprocess.Popen(['cat', fifo], stdout=subprocess.PIPE, preexec_fn=as_nobody)
        try:
            self.assertRefused(self.keygen(fifo), fifo)
        finally:
            thief.kill()
        self.assertEqual(thief.communicate(timeout=30)[0], b'')
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode))

    def test_socket_planted_by_another_user(self):
        import socket
        self.sticky()
        path = self.path('release.key')
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.bind(path)
            os.chown(path, NOBODY, NOBODY)
            s.listen(1)
            s.setblocking(False)
            self.assertRefused(self.keygen(path), path)
            self.assertRaises(BlockingIOError, s.accept)  # nobody connected

    def test_another_users_file_and_links_to_it(self):
        self.fresh()
        theirs = self.path('theirs.key')
        self.write(theirs, b'theirs', 0o600)
        os.chown(theirs, NOBODY, NOBODY)
        os.symlink('theirs.key', self.path('link'))
        for sec in (theirs, self.path('link')):
            with self.subTest(sec):
                self.assertRefused(self.keygen(sec), sec)
                st = os.stat(theirs)
                self.assertEqual((st.st_uid, self.read(theirs)), (NOBODY, b'theirs'))

    def test_own_descriptors(self):
        for sec in ('/dev/fd/1', '/proc/self/fd/2'):
            with self.subTest(sec):
                self.fresh()
                self.assertRefused(self.keygen(sec), sec)

    def test_own_file_becomes_the_callers_alone(self):
        self.fresh()
        mine = self.path('k.key')
        self.write(mine, b'old', 0o644)
        os.chown(mine, 0, NOBODY)  # root's, readable by nobody's group
        self.assertWrote(self.keygen(mine))
        st = os.stat(mine)
        self.assertEqual((st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)),
                         (os.geteuid(), os.getegid(), 0o600))


class StickyLinks(FilesTest):
    """Issue 19: nobody's /tmp/site -> /var/www, then heart svg -o /tmp/site/index.html replaced
    the victim's file. The machine may have fs.protected_symlinks=0: heart's own rule holds."""

    def test_a_planted_link_in_the_directory_part(self):
        self.fresh()
        tmp, www = self.path('tmp'), self.path('www')
        os.mkdir(tmp)
        os.chmod(tmp, 0o1777)
        os.mkdir(www)
        self.write(os.path.join(www, 'index.html'), b'victim', 0o644)
        site = os.path.join(tmp, 'site')
        os.symlink(www, site)
        os.lchown(site, NOBODY, NOBODY)
        for out in (site + '/index.html', site + '/new.html', site + '/../www/index.html'):
            with self.subTest(out):
                self.assertBadInput(run('svg', '-o', out), "cannot write '%s'" % out,
                                    'Permission denied')
        self.assertEqual(self.listing(www), ['index.html'])
        self.assertEqual(self.read(os.path.join(www, 'index.html')), b'victim')
        # inputs: the same rule
        self.assertBadInput(run('verify', '-p', site + '/index.html', self.data),
                            "'%s/index.html'" % site, 'Permission denied')
        # the caller's own link is followed
        os.symlink(www, os.path.join(tmp, 'mine'))
        self.assertWrote(run('svg', '-o', os.path.join(tmp, 'mine', 'own.svg')))
        self.assertTrue(self.read(os.path.join(www, 'own.svg')).startswith(b'<svg'))


class KilledBatch(FilesTest):
    """Issue 19: png --frames killed by SIGKILL in its renames left some frames and hidden
    temporaries forever. What it leaves is as fileio.h says, and the next heart that writes
    into the directory removes the hidden names; a live heart's are left alone."""

    def test_sigkill_in_the_renames(self):
        self.fresh()
        n = 20
        for i in range(n):
            self.write(self.path('f%02d' % i), b'old', 0o644)
        env = dict(os.environ, LD_PRELOAD=PRELOAD, HEART_TEST_KILL_AT_RENAME='11', **ASAN)
        r = subprocess.run([HEART, 'png', '--size', '8', '--frames', str(n), '-o',
                            self.path('f%02d')], env=env, stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, -signal.SIGKILL, r.stderr)
        frames = [self.read(self.path('f%02d' % i)) for i in range(n)]
        self.assertEqual([f.startswith(PNG) for f in frames], [True] * 10 + [False] * 10)
        self.assertEqual(frames[10:], [b'old'] * 10)
        self.assertTrue([x for x in self.listing() if x.startswith('.')], self.listing())
        # a heart that writes elsewhere leaves them; the next into this directory removes them
        self.assertWrote(run('svg', '-o', self.side('elsewhere.svg')))
        self.assertTrue([x for x in self.listing() if x.startswith('.')], self.listing())
        self.assertWrote(run('svg', '-o', self.path('next.svg')))
        self.assertNoHidden()
        self.assertEqual(len(self.listing()), n + 1)

    def test_a_live_batch_is_left_alone(self):
        self.fresh()
        self.write(self.path('other'), b'not ours', 0o644)
        os.rename(self.path('other'), self.path('.other.abc123'))  # rsync's kind of name
        p = self.stall(WRITERS['svg'], self.path('out'), {'HEART_TEST_NO_TMPFILE': '1'})
        live = self.listing()
        self.assertEqual(len(live), 2, live)  # its named temporary, and rsync's
        self.assertWrote(run('svg', '-o', self.path('next.svg')))
        self.assertEqual(self.listing(), sorted(live + ['next.svg']))
        p.send_signal(signal.SIGTERM)
        p.communicate(timeout=60)
        self.assertEqual(self.listing(), ['.other.abc123', 'next.svg'])


class KeyPairs(FilesTest):
    def working_pair(self, key, pub):
        r = run('sign', '-s', key, '-x', self.side('s'), self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run('verify', '-q', '-p', pub, '-x', self.side('s'), self.data)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_failing_keygen_keeps_the_old_pair(self):
        self.fresh()
        key, pub = self.path('k'), self.path('k.pub')
        self.assertWrote(run('keygen', '--no-password', '-p', pub, '-s', key))
        pair = (self.read(key), self.read(pub))
        for bad_pub in (self.path('missing', 'k.pub'), self.path('sub'), '/dev/full'):
            with self.subTest(bad_pub):
                if bad_pub.endswith('sub'):
                    os.mkdir(bad_pub)
                if bad_pub == '/dev/full':
                    bad_pub = self.path('full')
                    os.mknod(bad_pub, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
                r = run('keygen', '--no-password', '--force', '-p', bad_pub, '-s', key)
                self.assertBadInput(r, "cannot write '%s'" % bad_pub)
                self.assertEqual((self.read(key), self.read(pub)), pair)
                self.working_pair(key, pub)
        # the other way round: the secret key cannot be written
        r = run('keygen', '--no-password', '--force', '-p', pub, '-s', self.path('sub'))
        self.assertBadInput(r, 'Is a directory')
        self.assertEqual((self.read(key), self.read(pub)), pair)

    def test_no_force_refuses_before_and_at_the_end(self):
        self.fresh()
        key, pub = self.path('k'), self.path('k.pub')
        self.write(pub, b'somebody else\'s', 0o644)
        r = run('keygen', '--no-password', '-p', pub, '-s', key)
        self.assertBadInput(r, 'exists', '--force')
        self.assertEqual(self.listing(), ['k.pub'])


class Inputs(FilesTest):
    def refused_at_once(self, args, *fragments):
        start = time.monotonic()
        r = run(*args, timeout=20)
        self.assertBadInput(r, *fragments)
        self.assertLess(time.monotonic() - start, 10)

    def test_fifo_or_device_where_a_key_or_signature_belongs(self):
        self.fresh()
        fifo = self.path('fifo')
        os.mkfifo(fifo)
        f = self.path('f')
        self.write(f, b'payload')
        sig = self.path('f.minisig')
        self.assertWrote(run('sign', '-s', self.key, '-x', sig, f))
        for bad in (fifo, '/dev/zero', '/dev/null'):
            with self.subTest(bad):
                self.refused_at_once(['verify', '-p', bad, f], "'%s'" % bad, 'not a regular file')
                self.refused_at_once(['verify', '-p', self.pub, '-x', bad, f], "'%s'" % bad,
                                     'not a regular file')
                self.refused_at_once(['sign', '-s', bad, '-x', self.side('s'), f], "'%s'" % bad,
                                     'not a regular file')
        self.refused_at_once(['verify', '-p', self.dir, f], 'Is a directory')
        self.assertEqual(self.listing(self.sidedir), [])

    def test_pack_spools_a_fifo(self):
        # The frame declares its size: a FIFO is read once into a private file, which
        # disappears with heart (issue 12: pack from a pipe failed).
        self.fresh()
        fifo = self.path('fifo')
        os.mkfifo(fifo)
        t = self.feed(fifo, self.read(self.data))
        self.assertWrote(run('pack', '-s', self.key, '-o', self.path('o.zst'), fifo))
        t.join(30)
        self.assertEqual(self.listing(), ['fifo', 'o.zst', 'o.zst.minisig'])

    def feed(self, fifo, data):
        def writer():
            with open(fifo, 'wb') as f:
                f.write(data)
        t = threading.Thread(target=writer, daemon=True)
        t.start()
        return t

    def test_artifacts_stream_from_a_fifo(self):
        self.fresh()
        fifo = self.path('fifo')
        os.mkfifo(fifo)
        sig = self.side('sig')
        t = self.feed(fifo, self.read(self.data))
        self.assertWrote(run('sign', '-s', self.key, '-x', sig, fifo))
        t.join(30)
        t = self.feed(fifo, self.read(self.data))
        r = run('verify', '-q', '-p', self.pub, '-x', sig, fifo)
        t.join(30)
        self.assertEqual(r.returncode, 0, r.stderr)
        # and a changed stream does not verify
        t = self.feed(fifo, self.read(self.data) + b'x')
        r = run('verify', '-q', '-p', self.pub, '-x', sig, fifo)
        t.join(30)
        self.assertEqual(r.returncode, 1, r.stderr)

    def test_artifact_from_standard_input(self):
        self.fresh()
        sig = self.side('sig')
        self.assertWrote(run('sign', '-s', self.key, '-x', sig, self.data))
        r = run('verify', '-q', '-p', self.pub, '-x', sig, '-', stdin=self.read(self.data))
        self.assertEqual(r.returncode, 0, r.stderr)
        out = self.path('out')
        r = run('verify', '-q', '-p', self.pub, '-x', self.artifact + '.minisig', '--extract',
                out, '-', stdin=self.read(self.artifact))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.read(out), PAYLOAD)
        self.assertUsageError(run('verify', '-p', self.pub, '-'), '-x')


class Signals(FilesTest):
    def interrupt(self, name, sig, fallback):
        w = WRITERS[name]
        self.fresh()
        out = self.path('out')
        self.write(out, b'old', 0o640)
        p = self.stall(w, out, {'HEART_TEST_NO_TMPFILE': '1'} if fallback else None)
        hidden = [n for n in self.listing() if n.startswith('.')]
        # With O_TMPFILE nothing has a name yet; the fallback's named file must be there, or
        # the test would prove nothing about removing it.
        self.assertEqual(bool(hidden), fallback, self.listing())
        p.send_signal(sig)
        _, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, -sig, err)
        self.assertEqual(self.read(out), b'old')
        return hidden

    def test_sigterm_sigint_sighup_leave_nothing(self):
        for name in WRITERS:
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                for fallback in (False, True):
                    with self.subTest(name, sig=sig, fallback=fallback):
                        self.interrupt(name, sig, fallback)
                        self.assertEqual(self.listing(), ['out'])
                        self.assertEqual(self.listing(self.sidedir), [])

    def test_sigkill_leaves_no_visible_file(self):
        for name in WRITERS:
            for fallback in (False, True):
                with self.subTest(name, fallback=fallback):
                    hidden = self.interrupt(name, signal.SIGKILL, fallback)
                    # Nothing can catch SIGKILL: the fallback's hidden file may stay (the
                    # header says so); with O_TMPFILE nothing at all does.
                    self.assertEqual(self.listing(), sorted(['out'] + hidden))

    def test_frames_interrupted(self):
        """timeout 1 heart png --frames 50 -o 'f-%02d.png' left .f-00.png.XXXXXX behind."""
        for fallback in (False, True):
            with self.subTest(fallback=fallback):
                self.fresh()
                w = Writer(lambda t, out: ['png', '--size', '64', '--frames', '50', '-o', out],
                           PNG, None)
                p = self.stall(w, self.path('f-%02d.png'),
                               {'HEART_TEST_NO_TMPFILE': '1'} if fallback else None)
                p.send_signal(signal.SIGTERM)
                p.communicate(timeout=60)
                self.assertEqual(p.returncode, -signal.SIGTERM)
                self.assertEqual(self.listing(), [])


class Frames(FilesTest):
    def frames(self, pattern, n=3):
        return run('png', '--size', '8', '--frames', str(n), '-o', pattern)

    def test_all_or_nothing(self):
        self.fresh()
        self.write(self.path('f1'), b'old', 0o600)
        self.assertWrote(self.frames(self.path('f%d')))
        self.assertEqual(self.listing(), ['f0', 'f1', 'f2'])
        self.assertEqual(stat.S_IMODE(os.stat(self.path('f1')).st_mode), 0o600)
        # one frame that cannot be written: none is
        self.fresh()
        os.mkdir(self.path('f1'))
        r = self.frames(self.path('f%d'))
        self.assertBadInput(r, "cannot write '%s'" % self.path('f1'), 'Is a directory')
        self.assertEqual(self.listing(), ['f1'])

    def test_missing_directory(self):
        self.fresh()
        r = self.frames(self.path('missing', 'f%d'))
        self.assertBadInput(r, 'No such file or directory')
        self.assertEqual(self.listing(), [])


class Many(FilesTest):
    def test_many_outputs_under_a_low_soft_limit(self):
        """Outputs stay open until they are committed together: heart takes the hard limit on
        open files when the soft one is too low for 300 signatures or frames."""
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        self.assertGreaterEqual(hard, 1024, 'the hard limit on open files is too low')
        low = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (128, hard))
        self.fresh()
        names = ['f%03d' % i for i in range(300)]
        for n in names:
            self.write(self.path(n), n.encode())
        r = subprocess.run([HEART, 'sign', '-s', self.key] + names, cwd=self.dir,
                           preexec_fn=low, stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.listing()), 600)
        r = subprocess.run([HEART, 'png', '--size', '4', '--frames', '300', '-o',
                            self.path('p%03d.png')], preexec_fn=low, stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.listing()), 900)
        self.assertNoHidden()


class NoProc(FilesTest):
    def test_every_command_writes_without_proc(self):
        """Containers and chroots without /proc: linking an anonymous file through
        /proc/self/fd is impossible, and (as before Linux 6.10 without CAP_DAC_READ_SEARCH,
        emulated here) so is linkat(AT_EMPTY_PATH)."""
        self.fresh()
        # AddressSanitizer reads /proc/self/maps: hide only /proc/self/fd there.
        hide = ('mount -t tmpfs none /proc/$$/fd' if SANITIZED else 'umount -l /proc')
        script = hide + ''' || exit 99
            [ ! -e /proc/self/fd/0 ] || exit 98
            exec "$@"'''
        env = dict(LD_PRELOAD=PRELOAD, HEART_TEST_NO_FLINK='1', **ASAN)
        for name, w in WRITERS.items():
            with self.subTest(name):
                out = self.path(name)
                self.write(out, b'old', 0o640)
                r = private_mounts(script, 'sh', HEART, *w.argv(self, out),
                                   env=dict(os.environ, **env), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
                self.assertWrote(r)
                self.assertTrue(self.read(out).startswith(w.magic))
                self.assertEqual(stat.S_IMODE(os.stat(out).st_mode), w.mode or 0o640)
                self.assertNoHidden()


if __name__ == '__main__':
    heartlib.main()
