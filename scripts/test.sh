#!/bin/sh
# Quick start 2: install what is missing, build, run the whole test suite twice: in the
# normal build and under AddressSanitizer + UndefinedBehaviorSanitizer; then about 45 seconds
# of each libFuzzer harness (tests/fuzz/). This is what CI runs.
# scripts/test.sh --quick: the unit tests and the end-to-end tests that take seconds, in the
# normal build only (about a minute): for everyday work, never instead of the whole suite.
# Exits non-zero if any test fails or is skipped.
set -eu
cd "$(dirname "$0")/.."

if [ "${1:-}" = --quick ]; then
    scripts/setup.sh --quick
    exec meson test -C build --print-errorlogs --suite quick
elif [ $# -ne 0 ]; then
    echo "usage: scripts/test.sh [--quick]" >&2
    exit 2
fi
scripts/setup.sh --test

# Inside the fresh-Debian test's chroot (tests/e2e/test_fresh_debian.py), run everything but
# that test itself.
inside=
[ "${HEART_FRESH_DEBIAN:-}" != inside ] || inside="--no-suite fresh"

status=0
meson test -C build --print-errorlogs $inside || status=1
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
    meson test -C build-sanitize --print-errorlogs --no-suite slow || status=1
meson test -C build-fuzz --print-errorlogs --suite fuzz || status=1

python3 - build/meson-logs/testlog.json build-sanitize/meson-logs/testlog.json \
    build-fuzz/meson-logs/testlog.json <<'PY' || status=1
import json, sys
passed = failed = skipped = 0
for log in sys.argv[1:]:
    for line in open(log):
        test = json.loads(line)
        result = test['result']
        if log.startswith('build-fuzz/'):
            # One line per harness: its runs, coverage and corpus (run_fuzz.py), or the failure.
            lines = (test.get('stdout') or '').strip().splitlines() or ['no output']
            print('%s: %s: %s' % (test['name'], result, lines[-1]))
        if result in ('OK', 'EXPECTEDFAIL'):
            passed += 1
        elif result == 'SKIP':
            skipped += 1
        else:
            failed += 1
# A skipped test means a tool was missing: that is a failure, not a pass.
print('%d passed, %d failed, %d skipped' % (passed, failed + skipped, skipped))
sys.exit(1 if failed or skipped else 0)
PY
exit $status
