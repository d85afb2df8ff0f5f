#!/usr/bin/env python3
"""Draw the contact sheet of heart's shape space: docs/shapes.png.

Usage: scripts/shapes.py [HEART] [OUT.png]   (default build/heart, docs/shapes.png)

Every corner and midpoint of the four shape parameters' ranges (3^4 = 81 hearts), each drawn
by `heart png`, laid out by ImageMagick's montage: rows run through --aspect then --cleft,
columns through --lobe then --tip, each from its minimum over its midpoint to its maximum.
The ranges are those heart enforces (read from its refusal of a value outside them), so the
sheet always shows the box heart accepts.
"""
import os
import re
import subprocess
import sys
import tempfile

SHAPE = ('aspect', 'cleft', 'lobe', 'tip')
TILE = 100


def ranges(heart):
    """Each parameter's range, from the message with which heart refuses a value outside it."""
    out = {}
    for name in SHAPE:
        refused = subprocess.run([heart, 'png', '--' + name, '999'], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE).stderr.decode()
        m = re.search(r'from (-?[\d.]+) to (-?[\d.]+)', refused)
        lo, hi = float(m.group(1)), float(m.group(2))
        out[name] = (lo, (lo + hi) / 2, hi)
    return out


def short(v):
    return ('%.3f' % v).rstrip('0').rstrip('.')


def main():
    heart = sys.argv[1] if len(sys.argv) > 1 else 'build/heart'
    out = sys.argv[2] if len(sys.argv) > 2 else 'docs/shapes.png'
    r = ranges(heart)
    with tempfile.TemporaryDirectory() as d:
        tiles = []
        for a in r['aspect']:
            for c in r['cleft']:
                for lobe in r['lobe']:
                    for t in r['tip']:
                        path = os.path.join(d, '%03d.png' % len(tiles))
                        subprocess.run([heart, 'png', '--size', str(TILE), '--color', '#c8102e',
                                        '--background', 'white', '--aspect', short(a),
                                        '--cleft', short(c), '--lobe', short(lobe), '--tip',
                                        short(t), '-o', path], check=True)
                        tiles += ['-label', '%s %s %s %s' % tuple(map(short, (a, c, lobe, t))),
                                  path]
        title = ('heart: every corner and midpoint of the shape box (labels: aspect cleft lobe '
                 'tip)')
        subprocess.run(['montage', *tiles, '-tile', '9x9', '-geometry', '+4+2',
                        '-font', 'DejaVu-Sans', '-pointsize', '11', '-title', title,
                        '-background', 'white',
                        '-colors', '32', '-depth', '8', '-strip', out], check=True)


if __name__ == '__main__':
    main()
