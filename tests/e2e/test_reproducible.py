"""Two clean builds of one commit, in different directories at different times, are identical."""
import hashlib
import os
import subprocess
import tempfile
import time

import heartlib
from heartlib import SOURCE_ROOT


def sh(*args, cwd=None):
    subprocess.run(list(args), cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)


def build(parent, name):
    src = os.path.join(parent, name)
    sh('git', 'clone', '--quiet', '--no-local', SOURCE_ROOT, src)
    env_free = {k: v for k, v in os.environ.items() if k != 'SOURCE_DATE_EPOCH'}
    subprocess.run(['meson', 'setup', '-Dtests=false', 'build'], cwd=src,
                   check=True, env=env_free, stdout=subprocess.DEVNULL)
    subprocess.run(['ninja', '-C', 'build', 'heart'], cwd=src, check=True, env=env_free,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(src, 'build', 'heart'), 'rb') as f:
        return f.read()


class Reproducible(heartlib.HeartTest):
    def test_two_builds_same_bytes(self):
        if not os.path.exists(os.path.join(SOURCE_ROOT, '.git')):
            self.fail('source tree is not a git checkout: nothing to clone')
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            first = build(a, 'one')
            time.sleep(1.1)
            second = build(b, 'a-longer-directory-name')
        self.assertGreater(len(first), 10000)
        self.assertEqual(hashlib.sha256(first).hexdigest(), hashlib.sha256(second).hexdigest())


if __name__ == '__main__':
    heartlib.main()
