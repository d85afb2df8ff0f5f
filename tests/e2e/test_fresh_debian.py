"""The README's promise: on a fresh Debian 12, `scripts/test.sh` installs what is missing and
the whole suite passes. A minimal Debian root (debootstrap minbase plus git, gcc, libc6-dev and
ca-certificates, nothing else) gets a clone of the commit under test, and the README's test
command runs there as root, in a chroot, with a clean environment.

The debootstrap tarball and the .deb files the chroot downloads are cached in
$XDG_CACHE_HOME/heart-tests (default ~/.cache/heart-tests), so a second run costs minutes.
Needs root (chroot, mounts), the Debian archive and the npm registry. Inside the chroot test.sh
leaves this test out (HEART_FRESH_DEBIAN=inside), so it does not recurse. The root trusts the
CAs added to this machine with update-ca-certificates, as a machine on the same network
would: where the network inspects TLS, npm's registry is reached only through such a CA."""
import os
import re
import shutil
import subprocess
import tempfile

import heartlib
from heartlib import SOURCE_ROOT, BUILD_ROOT

SUITE = 'bookworm'  # Debian 12
MIRROR = 'http://deb.debian.org/debian'
INCLUDE = 'git,gcc,libc6-dev,ca-certificates'
PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

# Runs in new mount and PID namespaces: every mount vanishes with them, whatever happens.
INNER = r'''
set -e
root=$1 archives=$2
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount --bind "$archives" "$root/var/cache/apt/archives"
chroot "$root" update-ca-certificates >/dev/null
exec chroot "$root" /usr/bin/env -i PATH="$3" HOME=/root HEART_FRESH_DEBIAN=inside \
    /bin/sh -c 'cd /root/heart && exec scripts/test.sh'
'''


def cache_dir():
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    path = os.path.join(base, 'heart-tests')
    os.makedirs(os.path.join(path, 'archives', 'partial'), exist_ok=True)
    return path


def mounted_under(path):
    with open('/proc/self/mountinfo') as f:
        return [line.split()[4] for line in f if line.split()[4].startswith(path + '/')]


class FreshDebian(heartlib.HeartTest):
    def tarball(self, cache, work):
        """debootstrap's package tarball for SUITE and INCLUDE, downloaded once."""
        name = 'debootstrap-%s-minbase-%s.tgz' % (SUITE, INCLUDE.replace(',', '+'))
        path = os.path.join(cache, name)
        if not os.path.exists(path):
            partial = path + '.partial'
            r = subprocess.run(['debootstrap', '--variant=minbase', '--include=' + INCLUDE,
                                '--make-tarball=' + partial, SUITE, os.path.join(work, 'dl'),
                                MIRROR], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:])
            os.rename(partial, path)
        return path

    def test_readme_test_command_on_fresh_debian(self):
        self.assertNotEqual(os.environ.get('HEART_FRESH_DEBIAN'), 'inside',
                            'the fresh-Debian test must not run inside its own chroot')
        self.assertEqual(os.geteuid(), 0, 'building a Debian root needs root')
        commit = subprocess.run(['git', '-C', SOURCE_ROOT, 'rev-parse', 'HEAD'], check=True,
                                stdout=subprocess.PIPE).stdout.decode().strip()
        cache = cache_dir()
        work = tempfile.mkdtemp(prefix='heart-fresh-', dir='/var/tmp')
        root = os.path.join(work, 'root')
        try:
            tarball = self.tarball(cache, work)
            r = subprocess.run(['debootstrap', '--variant=minbase', '--include=' + INCLUDE,
                                '--unpack-tarball=' + tarball, SUITE, root, MIRROR],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:])
            # Nothing beyond the base system and the four packages the issue allows.
            for tool in ('meson', 'xz', 'python3', 'tmux'):
                self.assertFalse(any(os.path.exists(os.path.join(root, d, tool))
                                     for d in ('usr/bin', 'bin')), tool)

            local_cas = '/usr/local/share/ca-certificates'
            if os.path.isdir(local_cas):
                shutil.copytree(local_cas, os.path.join(root, local_cas.lstrip('/')),
                                dirs_exist_ok=True)

            clone = os.path.join(root, 'root', 'heart')
            subprocess.run(['git', 'clone', '--quiet', '--no-local', '--no-checkout',
                            SOURCE_ROOT, clone], check=True)
            subprocess.run(['git', '-C', clone, 'checkout', '--quiet', '--detach', commit],
                           check=True)

            log_path = os.path.join(BUILD_ROOT, 'meson-logs', 'fresh-debian.log')
            with open(log_path, 'wb') as log:
                r = subprocess.run(['unshare', '--mount', '--pid', '--fork',
                                    '--propagation', 'private', 'sh', '-c', INNER, 'inner',
                                    root, os.path.join(cache, 'archives'), PATH],
                                   stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT)
            with open(log_path, 'rb') as log:
                out = log.read().decode('utf-8', 'replace')
            tail = out[-4000:]
            self.assertEqual(r.returncode, 0, tail)
            last = out.rstrip('\n').rsplit('\n', 1)[-1]
            m = re.fullmatch(r'(\d+) passed, 0 failed, 0 skipped', last)
            self.assertIsNotNone(m, tail)
            self.assertGreater(int(m.group(1)), 0)
        finally:
            self.assertEqual(mounted_under(work), [])
            shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    heartlib.main()
