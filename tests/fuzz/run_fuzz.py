"""Run one libFuzzer harness as a test: its regression inputs, then a bounded fuzzing run.

Usage: run_fuzz.py HARNESS SECONDS CORPUS_DIR REGRESSIONS_DIR CRASH_DIR

The seed corpus is read, never written: new inputs go to a temporary directory that is
removed afterwards. A crash, leak, timeout or broken property (an abort() in the harness)
fails the test; libFuzzer saves the input under CRASH_DIR, to minimize and keep in
REGRESSIONS_DIR (see tests/fuzz/README.md).
"""
import os
import re
import subprocess
import sys
import tempfile

harness, seconds, corpus, regressions, crashes = sys.argv[1:]
name = os.path.basename(harness)
env = dict(os.environ,
           ASAN_OPTIONS='detect_leaks=1:abort_on_error=0',
           UBSAN_OPTIONS='halt_on_error=1:print_stacktrace=1')
os.makedirs(crashes, exist_ok=True)
common = ['-seed=1', '-timeout=10', '-rss_limit_mb=2048', '-artifact_prefix=' + crashes + '/']


def run(args):
    result = subprocess.run([harness] + common + args, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors='replace')
    if result.returncode != 0:
        print(result.stdout[-20000:])
        print('%s: FAILED (exit %d); the input is in %s' % (name, result.returncode, crashes))
        sys.exit(1)
    return result.stdout


inputs = []
if os.path.isdir(regressions):
    inputs = sorted(os.path.join(regressions, f) for f in os.listdir(regressions))
if inputs:
    run(inputs)  # files, not directories: each is run once
if not os.listdir(corpus):
    sys.exit('%s: empty seed corpus %s' % (name, corpus))

with tempfile.TemporaryDirectory(prefix='heart-' + name + '-') as scratch:
    out = run(['-max_total_time=' + seconds, '-print_final_stats=1', scratch, corpus])
    done = re.findall(r'^#(\d+)\s+DONE\s+cov: (\d+).*?corp: (\d+)', out, re.M)
    runs, cov, corp = done[-1] if done else ('?', '?', '?')
    print('%s: %d regression inputs, %s runs in %s s, coverage %s, corpus %s: no failure'
          % (name, len(inputs), runs, seconds, cov, corp))
