"""What every module needs is written once, in base/, and modules keep to their own private
headers (docs/ARCHITECTURE.md). Each rule names the pattern a copy would have; a failure lists
where one came back."""
import os
import re
import subprocess
import sys

root = os.environ.get('SOURCE_ROOT', '.')
MODULES = ('base', 'cli', 'fileio', 'param', 'render', 'serve', 'signing', 'svg')
files = [f for f in subprocess.run(['git', '-C', root, 'ls-files', '*.c', '*.h'], check=True,
                                   stdout=subprocess.PIPE).stdout.decode().split()
         if f.split('/')[0] in MODULES]
if not files:
    sys.exit('no module sources found under %s' % root)


def text(path):
    with open(os.path.join(root, path), encoding='utf-8') as f:
        return f.read()


# (what, pattern, where it may stand).
COPIES = [
    ('a monotonic clock', r'clock_gettime\s*\(\s*CLOCK_MONOTONIC', ()),
    ('a UTF-8 decoder', r'0x10ffff', ()),
    ('a hex digit', r"-\s*'[aA]'\s*\+\s*10|isxdigit\s*\(", ()),
    ('a write-all loop', r'=\s*write\s*\(', ()),
    ('a control-character range', r'0x7f\s*&&\s*\w+\s*<=\s*0x9f', ()),
    ('a growable buffer', r'\bsvg_buf\b', ()),
]

problems = []
for path in files:
    body = text(path)
    module = path.split('/')[0]
    for what, pattern, allowed in COPIES:
        if module != 'base' and path not in allowed and re.search(pattern, body):
            problems.append('%s: %s of its own (base/ has it)' % (path, what))
    # Private headers stay in their folder.
    for inc in re.findall(r'#include\s+"(?:[./]*)(\w+)_internal\.h"', body):
        owner = {'term': 'render'}.get(inc, inc)
        if owner != module:
            problems.append('%s: includes %s_internal.h of %s/' % (path, inc, owner))

# Public headers live under include/, and a dependency exposes only that (cli/ is the
# executable: nothing includes it).
for module in MODULES[2:] + ('base',):
    top = [f for f in files if re.fullmatch(r'%s/[^/]+\.h' % module, f)
           and not f.endswith('_internal.h')]
    for f in top:
        problems.append('%s: a public header outside %s/include/' % (f, module))
    build = os.path.join(root, module, 'meson.build')
    if os.path.exists(build) and "include_directories('.')" in text(os.path.join(module,
                                                                                'meson.build')):
        problems.append('%s/meson.build: exposes the whole folder' % module)
if re.search(r'utf8', text('signing/include/signing.h')):
    problems.append('signing/include/signing.h: lends its UTF-8 decoder to other modules')
for f in ('serve/metrics.c', 'serve/serve_internal.h'):
    if re.search(r'#include\s+"svg', text(f)):
        problems.append('%s: metrics depend on svg/' % f)

if problems:
    sys.exit('\n'.join(problems))
print('%d module files: no copies of base/, private headers private' % len(files))
