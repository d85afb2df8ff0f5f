"""What `meson install` gives: the binary, heart(1), shell completions, the systemd unit for
heart serve and the example nginx site, where Debian, the shells and systemd look for them; the
manual page and the completions never drift from --help."""
import json
import os
import re
import subprocess
import tempfile

import heartlib
from heartlib import run, BUILD_ROOT, SOURCE_ROOT

MAN_PAGE = os.path.join(BUILD_ROOT, 'docs', 'heart.1')
COMPLETIONS = os.path.join(BUILD_ROOT, 'completions')
OPTION = re.compile(r'(?<![\w-])(--?[A-Za-z][\w-]*)')


def command_names():
    out = run('--help').stdout.decode()
    block = out.split('Commands:\n', 1)[1].split('\n\n', 1)[0]
    return [line.split()[0] for line in block.splitlines()]


def help_options(*args):
    """The options an option table of --help lists: '  -o, --output FILE  text'."""
    opts = set()
    for line in run(*args).stdout.decode().splitlines():
        if re.match(r'\s+-', line):
            opts.update(OPTION.findall(re.split(r'\s{2,}', line.strip(), maxsplit=1)[0]))
    return opts


def css_colors():
    with open(os.path.join(SOURCE_ROOT, 'assets', 'css-colors.txt')) as f:
        return [line.split()[0] for line in f if line.strip() and not line.startswith('#')]


def rendered_man():
    r = subprocess.run(['man', '--warnings', '-l', MAN_PAGE], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=dict(os.environ, MANWIDTH='100',
                                                        LC_ALL='C.UTF-8'))
    return r


def man_options():
    """{'': global options, 'png': ...} from the rendered page: subsections of COMMANDS are
    the commands, option lines are indented seven spaces; 'Takes the drawing options'
    brings in the DRAWING OPTIONS section."""
    sections, section, sub = {}, None, None
    text = {}
    for line in rendered_man().stdout.decode().splitlines():
        if re.match(r'[A-Z]', line):
            section, sub = line.strip(), None
        elif section == 'COMMANDS' and re.match(r' {3}heart \S', line):
            sub = line.split()[1].strip('[]')
        key = sub if section == 'COMMANDS' else section
        text[key] = text.get(key, '') + ' ' + line.strip()
        if re.match(r' {7}-', line):
            sections.setdefault(key, set()).update(OPTION.findall(line))
    result = {'': sections.get('GLOBAL OPTIONS', set())}
    for name in command_names():
        opts = set(sections.get(name, set()))
        if 'Takes the drawing options' in text.get(name, ''):
            opts |= sections['DRAWING OPTIONS']
        result[name] = opts
    return result


def bash_complete(line, completion=None):
    script = ('source "$1"; read -ra COMP_WORDS <<<"$2"; [[ $2 == *" " ]] && COMP_WORDS+=("");'
              'COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE=$2; COMP_POINT=${#2};'
              '_heart heart "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}";'
              'printf "%s\\n" "${COMPREPLY[@]}"')
    r = subprocess.run(['bash', '--norc', '--noprofile', '-c', script, 'bash',
                        completion or os.path.join(COMPLETIONS, 'heart'), line],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    assert r.stderr == b'', r.stderr
    return sorted(set(r.stdout.decode().split()))


def fish_complete(line, env=None, source=True):
    cmd = 'complete -C %s' % shlex_quote(line)
    if source:
        cmd = 'source %s; %s' % (shlex_quote(os.path.join(COMPLETIONS, 'heart.fish')), cmd)
    r = subprocess.run(['fish', '-c', cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, check=True)
    assert r.stderr == b'', r.stderr
    return sorted(set(l.split('\t')[0] for l in r.stdout.decode().splitlines()))


def shlex_quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def zsh_options():
    """The options each command's _arguments specs list in the zsh completion."""
    with open(os.path.join(COMPLETIONS, '_heart')) as f:
        text = f.read()
    arrays = {}
    for name, body in re.findall(r'local -a (\w+)=\(\n(.*?)\n\)', text, re.S):
        opts = set()
        for spec in body.splitlines():
            m = re.match(r"\s*'(--?[\w-]+)\[", spec) or re.match(r".*\{(-\w),(--[\w-]+)\}",
                                                                  spec)
            if m:
                opts.update(m.groups())
        arrays[name] = opts
    return arrays


class Manual(heartlib.HeartTest):
    def test_builds_and_renders_without_warnings(self):
        r = rendered_man()
        self.assertEqual((r.returncode, r.stderr), (0, b''))
        out = r.stdout.decode()
        for heading in ('NAME', 'SYNOPSIS', 'COMMANDS', 'EXIT STATUS', 'ENVIRONMENT', 'FILES',
                        'EXAMPLES'):
            self.assertRegex(out, r'\n%s\n' % heading)
        for var in ('COLORTERM', 'NO_COLOR', 'TERM', 'SOURCE_DATE_EPOCH'):
            self.assertRegex(out, r'\n {7}%s\b' % var)
        r = subprocess.run(['groff', '-k', '-ww', '-z', '-man', MAN_PAGE],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, b'', b''))

    def test_every_command_has_a_section(self):
        names = command_names()
        self.assertIn('verify', names)
        out = rendered_man().stdout.decode()
        for name in names:
            self.assertRegex(out, r'\n {3}heart %s\b' % name)

    def test_options_match_help_both_ways(self):
        man = man_options()
        self.assertEqual(man[''], help_options('--help') | {'-h'})
        self.assertIn('--max-size', man['verify'])
        self.assertIn('--tip', man['png'])
        for name in command_names():
            with self.subTest(command=name):
                self.assertEqual(man[name], help_options(name, '--help'))


class Ranges(heartlib.HeartTest):
    """Every drawing option's range is the same in --help, the manual page, the zsh and fish
    completions and the range heart itself enforces (its refusal message)."""
    OPTIONS = ('--fps', '--bpm', '--amplitude', '--aspect', '--cleft', '--lobe', '--tip')
    RANGE = r'(-?[\d.]+) to (-?[\d.]+)'

    def test_ranges_agree_everywhere(self):
        help_text = re.sub(r'\s+', ' ', run('png', '--help').stdout.decode())
        man = re.sub(r'\s+', ' ', rendered_man().stdout.decode())
        with open(os.path.join(COMPLETIONS, '_heart')) as f:
            zsh = f.read()
        with open(os.path.join(COMPLETIONS, 'heart.fish')) as f:
            fish = f.read()
        for opt in self.OPTIONS:
            with self.subTest(option=opt):
                refused = run('png', opt, '999').stderr.decode()
                enforced = re.search(r'from ' + self.RANGE, refused).groups()
                self.assertEqual(re.search(r' %s \S+ [^-]*?%s' % (opt, self.RANGE),
                                           help_text).groups(), enforced)
                self.assertEqual(re.search(r'%s \S+ [^.]*?%s' % (opt, self.RANGE),
                                           man).groups(), enforced)
                self.assertEqual(re.search(r"'%s\[[^]]*?%s\]" % (opt, self.RANGE),
                                           zsh).groups(), enforced)
                self.assertEqual(re.search(r"-l %s .*?%s'" % (opt[2:], self.RANGE),
                                           fish).groups(), enforced)


class Completions(heartlib.HeartTest):
    def test_bash_answers_the_issue_examples(self):
        r = subprocess.run(['bash', '--norc', '--noprofile', '-c',
                            'source "$1" && complete -p heart', 'bash',
                            os.path.join(COMPLETIONS, 'heart')], stdout=subprocess.PIPE)
        self.assertEqual(r.stdout, b'complete -F _heart heart\n')
        self.assertEqual(bash_complete('heart pl'), ['play'])
        self.assertEqual(bash_complete('heart --mo'), ['--mode'])
        self.assertEqual(bash_complete('heart --mode '), ['ansi', 'ascii', 'auto', 'emoji'])
        self.assertEqual(bash_complete('heart play --color-mode '),
                         ['16', '24bit', '256', 'auto', 'none', 'truecolor'])
        self.assertEqual(bash_complete('heart help ve'), ['verify', 'version'])
        self.assertEqual(bash_complete('heart --color '), sorted(css_colors()))
        self.assertEqual(bash_complete('heart png --background hotp'), ['hotpink'])
        self.assertIn('transparent', bash_complete('heart svg --background '))
        self.assertEqual(bash_complete('heart '), sorted(command_names()))

    def test_bash_options_match_help(self):
        self.assertEqual(bash_complete('heart -'),
                         sorted(help_options('play', '--help') | {'--help', '--version'}))
        for name in command_names():
            with self.subTest(command=name):
                want = help_options(name, '--help') | {'--help'}
                if name == 'help':
                    want = set(command_names())
                got = bash_complete('heart %s %s' % (name, '' if name == 'help' else '-'))
                self.assertEqual(got, sorted(want))

    def test_fish_answers_like_bash(self):
        r = subprocess.run(['fish', '-n', os.path.join(COMPLETIONS, 'heart.fish')],
                           stderr=subprocess.PIPE)
        self.assertEqual((r.returncode, r.stderr), (0, b''))
        self.assertEqual(fish_complete('heart pl'), ['play'])
        self.assertEqual(fish_complete('heart --mo'), ['--mode'])
        self.assertEqual(fish_complete('heart --mode '), ['ansi', 'ascii', 'auto', 'emoji'])
        self.assertEqual(fish_complete('heart png --color '), sorted(css_colors()))
        for name in command_names():
            if name == 'help':
                continue
            with self.subTest(command=name):
                self.assertEqual(fish_complete('heart %s -' % name),
                                 sorted(help_options(name, '--help') | {'--help'}))

    def test_zsh_parses_and_lists_every_option(self):
        path = os.path.join(COMPLETIONS, '_heart')
        r = subprocess.run(['zsh', '-n', path], stderr=subprocess.PIPE)
        self.assertEqual((r.returncode, r.stderr), (0, b''))
        arrays = zsh_options()
        for name in command_names():
            if name == 'help':
                continue
            with self.subTest(command=name):
                got = arrays[name] | (arrays['draw'] if name in ('play', 'png', 'gif', 'svg', 'icons')
                                      else set())
                self.assertEqual(got, help_options(name, '--help'))
        with open(path) as f:
            self.assertIn(' '.join(css_colors()), f.read())


class Install(heartlib.HeartTest):
    def install(self, build, destdir):
        r = subprocess.run(['meson', 'install', '-C', build, '--no-rebuild', '--quiet',
                            '--destdir', destdir], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        self.assertEqual(r.returncode, 0, r.stdout)
        tree = set()
        for top, _, files in os.walk(destdir):
            tree.update(os.path.relpath(os.path.join(top, f), destdir) for f in files)
        return tree

    def check_tree(self, destdir, tree, prefix, zsh_dir):
        want = {
            prefix + '/bin/heart',
            prefix + '/share/man/man1/heart.1',
            prefix + '/share/bash-completion/completions/heart',
            prefix + '/share/' + zsh_dir + '/_heart',
            prefix + '/share/fish/vendor_completions.d/heart.fish',
            prefix + '/lib/systemd/system/heart-serve.service',
            prefix + '/share/doc/heart/nginx-heart.conf',
        }
        self.assertEqual(tree, {p.lstrip('/') for p in want})
        root = lambda p: os.path.join(destdir, p.lstrip('/'))
        self.assertTrue(os.access(root(prefix + '/bin/heart'), os.X_OK))
        v = subprocess.run([root(prefix + '/bin/heart'), '--version'], stdout=subprocess.PIPE)
        self.assertTrue(v.stdout.startswith(b'heart '), v.stdout)
        # man finds the page in the tree's man directory.
        r = subprocess.run(['man', '-w', 'heart'], stdout=subprocess.PIPE,
                           env=dict(os.environ, MANPATH=root(prefix + '/share/man')))
        self.assertEqual(r.stdout.decode().strip(), root(prefix + '/share/man/man1/heart.1'))
        # bash-completion's loader and fish find the completions through XDG_DATA_DIRS.
        share = root(prefix + '/share')
        r = subprocess.run(['bash', '--norc', '--noprofile', '-c',
                            'source /usr/share/bash-completion/bash_completion && '
                            '__load_completion heart && complete -p heart'],
                           stdout=subprocess.PIPE, env=dict(os.environ, XDG_DATA_DIRS=share))
        self.assertEqual(r.stdout, b'complete -F _heart heart\n')
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ, XDG_DATA_DIRS=share, HOME=home,
                       PATH=os.path.dirname(root(prefix + '/bin/heart')) + ':' +
                       os.environ['PATH'])
            self.assertEqual(fish_complete('heart pl', env=env, source=False), ['play'])
        # systemd's unit path holds the directory (for the prefixes /usr and /usr/local), and
        # the unit starts the binary installed beside it.
        r = subprocess.run(['systemd-analyze', 'unit-paths'], stdout=subprocess.PIPE)
        if prefix in ('/usr', '/usr/local'):
            self.assertIn(prefix + '/lib/systemd/system', r.stdout.decode().splitlines())
        with open(root(prefix + '/lib/systemd/system/heart-serve.service')) as f:
            self.assertRegex(f.read(), r'\nExecStart=%s/bin/heart serve ' % re.escape(prefix))
        with open(root(prefix + '/share/doc/heart/nginx-heart.conf'), 'rb') as f, \
                open(os.path.join(SOURCE_ROOT, 'deploy', 'nginx-heart.conf'), 'rb') as g:
            self.assertEqual(f.read(), g.read())
        # zsh's default fpath holds the directory.
        r = subprocess.run(['zsh', '-fc', 'print -l $fpath'], stdout=subprocess.PIPE)
        self.assertIn(prefix + '/share/' + zsh_dir, r.stdout.decode().splitlines())

    def test_destdir_tree_of_this_build(self):
        options = json.loads(subprocess.run(['meson', 'introspect', '--buildoptions',
                                             BUILD_ROOT], stdout=subprocess.PIPE,
                                            check=True).stdout)
        prefix = [o['value'] for o in options if o['name'] == 'prefix'][0]
        with tempfile.TemporaryDirectory() as d:
            tree = self.install(BUILD_ROOT, d)
            self.check_tree(d, tree, prefix, 'zsh/site-functions' if prefix != '/usr'
                            else 'zsh/vendor-completions')

    def test_destdir_tree_with_debian_prefix(self):
        # What a Debian package does: prefix /usr; zsh completions go to vendor-completions.
        with tempfile.TemporaryDirectory() as d:
            build = os.path.join(d, 'build')
            r = subprocess.run(['meson', 'setup', build, SOURCE_ROOT, '--prefix=/usr',
                                '-Dtests=false', '-Dbuildtype=plain'],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            self.assertEqual(r.returncode, 0, r.stdout)
            r = subprocess.run(['meson', 'compile', '-C', build], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            self.assertEqual(r.returncode, 0, r.stdout)
            dest = os.path.join(d, 'dest')
            self.check_tree(dest, self.install(build, dest), '/usr', 'zsh/vendor-completions')


if __name__ == '__main__':
    heartlib.main()
