#!/usr/bin/env python3
"""heart's PNG path against resvg and Skia (npm, installed by scripts/setup.sh --bench), zlib
alone and heart's own goals, all measured in one run, best of REPEATS.

Usage: bench_compare.py HEART BENCH_PNG [REPEATS]
Prints a Markdown table (for the README) and the goals with their measured ratios.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def lines_of_json(argv):
    out = subprocess.run(argv, check=True, stdout=subprocess.PIPE).stdout.decode()
    return {r['size']: r for r in map(json.loads, out.splitlines())}


def wall(argv, repeats):
    best = float('inf')
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(argv, check=True)
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def main():
    heart, bench_png = sys.argv[1:3]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    node = shutil.which('node')
    if not node or not os.path.isdir(os.path.join(HERE, 'npm', 'node_modules', '@resvg')):
        sys.exit('resvg and Skia are missing: run scripts/setup.sh --bench')
    ours = lines_of_json([bench_png, '--json', str(repeats), '512', '4096', '16384'])
    with tempfile.TemporaryDirectory() as d:
        peers_args = []
        for n in (512, 4096):
            svg = os.path.join(d, '%d.svg' % n)
            subprocess.run([heart, 'svg', '--size', str(n), '-o', svg], check=True)
            peers_args.append('%d:%s' % (n, svg))
        peers = lines_of_json([node, os.path.join(HERE, 'bench_peers.mjs'), str(repeats)] +
                              peers_args)
        big = wall([heart, 'png', '--size', '16384', '-o', os.path.join(d, 'big.png')],
                   repeats)

    print('| | 512² | 4096² |')
    print('|---|---|---|')
    rows = [
        ('heart: rasterize (exact coverage, every pixel)', lambda n: '%.2f ms' % ours[n]['raster']),
        ('Skia: fill the path on a reused canvas', lambda n: '%.2f ms' % peers[n]['skiaFill']),
        ('Skia: clear + fill', lambda n: '%.2f ms' % peers[n]['skiaFrame']),
        ('**Skia fill / heart rasterize**', lambda n: '**%.1f×**' % (peers[n]['skiaFill'] / ours[n]['raster'])),
        ('heart: whole PNG in memory-to-file (`heart_png_write`)', lambda n: '%.2f ms' % ours[n]['file']),
        ('zlib alone: the same rows, same settings', lambda n: '%.2f ms' % ours[n]['zlib']),
        ('**heart PNG / zlib alone**', lambda n: '**%.2f**' % (ours[n]['file'] / ours[n]['zlib'])),
        ('resvg: render + encode heart\'s SVG', lambda n: '%.1f ms' % peers[n]['resvgTotal']),
        ('**heart PNG / resvg**', lambda n: '**%.3f**' % (ours[n]['file'] / peers[n]['resvgTotal'])),
        ('bytes: heart / resvg / Skia', lambda n: '%d / %d / %d' % (ours[n]['bytes'], peers[n]['bytes'], peers[n]['skiaBytes'])),
    ]
    for name, cell in rows:
        print('| %s | %s | %s |' % (name, cell(512), cell(4096)))
    z = ours[16384]
    print()
    print('16384²: `heart png` %.0f ms (whole process); in-process PNG %.0f ms, zlib alone %.0f ms '
          '(%.2f)' % (big, z['file'], z['zlib'], z['file'] / z['zlib']))
    print()
    goals = [
        ('rasterize at least 10x faster than Skia at 4096²',
         peers[4096]['skiaFill'] / ours[4096]['raster'], '>=', 10),
        ('whole 4096² PNG within 15 % of zlib alone', ours[4096]['file'] / ours[4096]['zlib'], '<=', 1.15),
        ('at most 0.08x resvg (render + encode) at 4096²',
         ours[4096]['file'] / peers[4096]['resvgTotal'], '<=', 0.08),
        ('16384² heart png under half of 968 ms', big, '<=', 484),
    ]
    for what, value, op, limit in goals:
        met = value >= limit if op == '>=' else value <= limit
        print('goal: %-50s %8.3f %s %g  %s' % (what, value, op, limit, 'met' if met else 'NOT MET'))


if __name__ == '__main__':
    main()
