#!/usr/bin/env python3
"""heart png against rsvg-convert drawing heart's own SVG of the same heart, in one run.

Usage: bench_rsvg.py HEART MAXRSS [REPEATS]
Whole-process wall time (best of REPEATS), output bytes and peak RSS, at 512² and 4096².
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time


def measure(argv, repeats, maxrss):
    best = float('inf')
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t0)
    # Peak RSS from a separate run under the small maxrss forker (see maxrss.c).
    rss = int(subprocess.run([maxrss] + argv, check=True, stdout=subprocess.PIPE).stdout)
    return best, rss


def main():
    heart, maxrss = sys.argv[1:3]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    rsvg = shutil.which('rsvg-convert')
    if not rsvg:
        sys.exit('rsvg-convert not found (Debian package librsvg2-bin)')
    print('%-6s %10s %10s %10s %10s %10s %10s %8s %8s' % (
        'size', 'heart ms', 'rsvg ms', 'heart B', 'rsvg B', 'heart MiB', 'rsvg MiB',
        'speed', 'bytes'))
    with tempfile.TemporaryDirectory() as d:
        for n in (512, 4096):
            svg, a, b = (os.path.join(d, x) for x in ('h.svg', 'a.png', 'b.png'))
            subprocess.run([heart, 'svg', '--size', str(n), '-o', svg], check=True)
            th, rh = measure([heart, 'png', '--size', str(n), '-o', a], repeats, maxrss)
            tr, rr = measure([rsvg, '-w', str(n), '-h', str(n), '-o', b, svg], repeats, maxrss)
            ha, hb = os.path.getsize(a), os.path.getsize(b)
            print('%-6d %10.1f %10.1f %10d %10d %10.1f %10.1f %7.1fx %7.1fx' % (
                n, th * 1e3, tr * 1e3, ha, hb, rh / 1024, rr / 1024, tr / th, hb / ha))


if __name__ == '__main__':
    main()
