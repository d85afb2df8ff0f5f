#!/usr/bin/env python3
"""heart gif against gifsicle -O3 of heart's own frames.

Usage: bench_gif.py HEART [RUNS]

For each size: heart gif's bytes and time (best of RUNS), and what `gifsicle -O3` makes of the
same frames unoptimised (`gifsicle --unoptimize`: every frame whole, heart's palette and
delays), the size goal of issue 21. Prints a Markdown table for docs/benchmarks.md.
"""
import os
import subprocess
import sys
import tempfile
import time

SIZES = ['32', '64', '128', '256', '512', '1024', '400x200']


def best_time(cmd, runs):
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        took = time.perf_counter() - start
        best = took if best is None or took < best else best
    return best


def main():
    heart = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print('| size | frames | heart gif | heart bytes | gifsicle -O3 bytes | heart / gifsicle |'
          ' gifsicle -O3 time |')
    print('|---|---|---|---|---|---|---|')
    with tempfile.TemporaryDirectory() as tmp:
        ours, full, best = (os.path.join(tmp, n) for n in ('h.gif', 'full.gif', 'o3.gif'))
        for size in SIZES:
            took = best_time([heart, 'gif', '--size', size, '-o', ours], runs)
            subprocess.run(['gifsicle', '--unoptimize', '-o', full, ours], check=True)
            o3_time = best_time(['gifsicle', '-O3', '-o', best, full], runs)
            info = subprocess.run(['gifsicle', '--info', ours], check=True,
                                  stdout=subprocess.PIPE).stdout.decode()
            frames = info.split()[2]
            a, b = os.path.getsize(ours), os.path.getsize(best)
            print('| %s | %s | %.1f ms | %s | %s | %.4f | %.1f ms |'
                  % (size, frames, took * 1000, format(a, ','), format(b, ','), a / b,
                     o3_time * 1000))


if __name__ == '__main__':
    main()
