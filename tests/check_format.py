"""Formatting is mechanical: every C file of the project is as clang-format (the checked-in
.clang-format) would write it. Fix with: clang-format -i $(git ls-files '*.c' '*.h')"""
import os
import subprocess
import sys

root = os.environ.get('SOURCE_ROOT', '.')
files = subprocess.run(['git', '-C', root, 'ls-files', '*.c', '*.h'], check=True,
                       stdout=subprocess.PIPE).stdout.decode().split()
if not files:
    sys.exit('no C files found under %s' % root)
r = subprocess.run(['clang-format', '--dry-run', '--Werror'] + files, cwd=root,
                   stderr=subprocess.PIPE)
if r.returncode != 0:
    names = sorted({line.split(':')[0] for line in r.stderr.decode().splitlines()
                    if ': error:' in line})
    sys.exit('not formatted: %s\n(run clang-format -i on them)' % ' '.join(names))
print('%d files formatted' % len(files))
