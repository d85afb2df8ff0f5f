"""clang's static analyzer (scan-build) over heart's own code: every finding fails the test.

It configures a build of its own (clang, no tests, no hardening flags clang's analyzer does not
take) in a new directory under BUILD_ROOT each time, so every file is analyzed and two runs
never share a directory."""
import os
import shutil
import subprocess
import sys
import tempfile

SOURCE_ROOT = os.environ['SOURCE_ROOT']
BUILD_ROOT = os.environ['BUILD_ROOT']


def main():
    work = tempfile.mkdtemp(prefix='scan-build-', dir=BUILD_ROOT)
    build = os.path.join(work, 'build')
    report = os.path.join(work, 'report')
    scan = ['scan-build', '--status-bugs', '-o', report]
    env = dict(os.environ, CC='clang')
    subprocess.run(scan + ['meson', 'setup', build, SOURCE_ROOT, '-Dtests=false',
                           '-Dhardening=false'], check=True, env=env, stdout=subprocess.DEVNULL)
    r = subprocess.run(scan + ['ninja', '-C', build], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    findings = [line for line in r.stdout.splitlines() if 'warning:' in line or
                'error:' in line or line.startswith('scan-build:')]
    print('\n'.join(findings))
    if r.returncode != 0:
        print('scan-build found bugs (exit %d); the report is in %s' % (r.returncode, report))
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)


main()
