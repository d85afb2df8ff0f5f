"""The documentation a newcomer reads: README.md short, every page under docs/ reachable from
it, every relative link and anchor pointing at something that exists, every `heart ...`
example using only options the command's --help lists, and the deploy recipe in
docs/releases.md working as written."""
import os
import re
import shutil
import subprocess
import tempfile

import heartlib
from heartlib import run, HEART, SOURCE_ROOT

README = os.path.join(SOURCE_ROOT, 'README.md')
DOCS = os.path.join(SOURCE_ROOT, 'docs')
README_MAX_LINES = 200
LINK = re.compile(r'\]\(([^)\s]+)\)')
FENCE = re.compile(r'^```[^\n]*\n(.*?)^```', re.M | re.S)
SPAN = re.compile(r'`(heart [^`]+)`')
# heart as a command: not a part of a longer name (heart-serve, nginx-heart.conf, heart.pub).
HEART_CMD = re.compile(r'(?:^|(?<=[\s/(]))heart(?=[ \t])')
OPTION = re.compile(r'(?<![\w-])(--?[A-Za-z][\w-]*)')
STOP = re.compile(r'\s(?:#|\||;|&&|>|<)|\)')


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def pages():
    """README.md and every Markdown page under docs/."""
    names = sorted(n for n in os.listdir(DOCS) if n.endswith('.md'))
    return [README] + [os.path.join(DOCS, n) for n in names]


def slug(heading):
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r'`|\*\*', '', heading.strip().lower())
    return re.sub(r'[^\w\- ]', '', text).replace(' ', '-')


def anchors(path):
    text = FENCE.sub('', read(path))
    return {slug(m) for m in re.findall(r'^#+ (.*)$', text, re.M)}


def command_names():
    out = run('--help').stdout.decode()
    block = out.split('Commands:\n', 1)[1].split('\n\n', 1)[0]
    return {line.split()[0] for line in block.splitlines()}


def help_options(*args):
    """The options an option table of --help lists: '  -o, --output FILE  text'."""
    opts = {'-h', '--help'}
    for line in run(*args).stdout.decode().splitlines():
        if re.match(r'\s+-', line):
            opts.update(OPTION.findall(re.split(r'\s{2,}', line.strip(), maxsplit=1)[0]))
    return opts


def examples(path):
    """(command line, where) for every `heart ...` in a fenced block or a code span."""
    text = read(path)
    found = []
    for block in FENCE.findall(text):
        found += block.replace('\\\n', ' ').splitlines()
    found += SPAN.findall(FENCE.sub('', text))
    return [(line, os.path.relpath(path, SOURCE_ROOT)) for line in found]


def invocations(line):
    """Each heart invocation in a line: its words up to a comment, pipe, list or redirect.
    A command substitution without heart in it is one word; a `heart` inside an invocation
    (`--product heart`) is an argument, not another invocation."""
    line = re.sub(r'\$\((?![^()]*\bheart\b)[^()]*\)', 'WORD', line)
    end = 0
    for m in HEART_CMD.finditer(line):
        if m.start() < end:
            continue
        rest = line[m.end():]
        stop = STOP.search(rest)
        words = rest[:stop.start()] if stop else rest
        end = m.end() + len(words)
        yield words


class Docs(heartlib.HeartTest):
    def test_readme_is_short(self):
        n = read(README).count('\n')
        self.assertLessEqual(n, README_MAX_LINES, 'README.md has %d lines' % n)

    def test_readme_links_every_page(self):
        links = {os.path.normpath(l.split('#')[0]) for l in LINK.findall(read(README))}
        wanted = [os.path.relpath(p, SOURCE_ROOT) for p in pages()[1:]] + ['docs/heart.1.scd']
        self.assertEqual([p for p in wanted if p not in links], [])

    def test_links_resolve(self):
        broken = []
        for page in pages():
            for link in LINK.findall(read(page)):
                if re.match(r'[a-z]+:', link):
                    continue  # https:, mailto:
                target, _, anchor = link.partition('#')
                path = os.path.normpath(os.path.join(os.path.dirname(page), target)) \
                    if target else page
                where = '%s: %s' % (os.path.relpath(page, SOURCE_ROOT), link)
                if not os.path.exists(path):
                    broken.append(where)
                elif anchor and (not path.endswith('.md') or anchor not in anchors(path)):
                    broken.append(where)
        self.assertEqual(broken, [])

    def test_examples_use_real_options(self):
        commands = command_names()
        known = {'': help_options('--help')}
        for name in commands:
            known[name] = help_options(name, '--help')
        wrong = []
        for page in pages():
            for line, where in examples(page):
                for words in invocations(line):
                    first = words.split()[0] if words.split() else ''
                    command = first if first in commands else ''
                    allowed = known[command] | (known['play'] if not command else set())
                    for opt in OPTION.findall(words):
                        if opt.split('=')[0] not in allowed:
                            wrong.append('%s: %s (heart %s)' % (where, opt, command or 'play'))
        self.assertEqual(wrong, [])

    def test_deploy_recipe_installs_a_release(self):
        """The recipe's commands as docs/releases.md writes them, with heart, the keyring, the
        artifact and the installed binary's path pointed into a temporary directory."""
        text = read(os.path.join(DOCS, 'releases.md'))
        recipe = [b for b in FENCE.findall(text) if '--extract /usr/local/bin/heart' in b]
        self.assertEqual(len(recipe), 1, 'one deploy recipe in docs/releases.md')
        arch = os.uname().machine
        with tempfile.TemporaryDirectory() as tmp:
            bin_dir = os.path.join(tmp, 'bin')
            os.mkdir(bin_dir)
            os.symlink(HEART, os.path.join(bin_dir, 'heart'))
            installed = os.path.join(tmp, 'installed-heart')
            shutil.copy(HEART, installed)
            self.assertEqual(run('keygen', '--no-password', '-p', os.path.join(tmp, 'k.pub'),
                                 '-s', os.path.join(tmp, 'k.key')).returncode, 0)
            payload = os.path.join(tmp, 'payload')
            with open(payload, 'wb') as f:
                f.write(b'#!/bin/sh\necho new heart\n')
            artifact = os.path.join(tmp, 'heart-0.3.0-linux-%s.zst' % arch)
            r = run('pack', '-s', os.path.join(tmp, 'k.key'), '--product', 'heart',
                    '--product-version', '0.3.0', '--arch', arch, '-o', artifact, payload)
            self.assertEqual(r.returncode, 0, r.stderr)
            script = (recipe[0]
                      .replace('/usr/local/bin/heart version', installed + ' version')
                      .replace('--extract /usr/local/bin/heart', '--extract ' + installed)
                      .replace('/etc/heart/release-keys', os.path.join(tmp, 'k.pub'))
                      .replace('heart-0.3.0-linux-x86_64.zst', artifact))
            r = subprocess.run(['sh', '-eu', '-c', script], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=tmp, timeout=60,
                               env=dict(os.environ, PATH=bin_dir + ':' + os.environ['PATH']))
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(installed, 'rb') as f:
                self.assertEqual(f.read(), b'#!/bin/sh\necho new heart\n')


if __name__ == '__main__':
    heartlib.main()
