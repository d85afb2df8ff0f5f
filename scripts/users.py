#!/usr/bin/env python3
"""Draw the contact sheet of ten users' hearts: docs/users.png.

Usage: scripts/users.py [HEART] [OUT.png]   (default build/heart, docs/users.png)

Each heart is `heart png --seed ID` (docs/drawing.md, "A heart for each user"): its shape and
colour come from the id alone. Every user is drawn twice, on white and on near-black, to show
that the seeds' colours read on both. Laid out by ImageMagick's montage, as scripts/shapes.py
lays out the shape box.
"""
import os
import subprocess
import sys
import tempfile

USERS = ('alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy')
TILE = 100


def main():
    heart = sys.argv[1] if len(sys.argv) > 1 else 'build/heart'
    out = sys.argv[2] if len(sys.argv) > 2 else 'docs/users.png'
    with tempfile.TemporaryDirectory() as d:
        tiles = []
        for background in ('white', '#111111'):
            for user in USERS:
                path = os.path.join(d, '%03d.png' % (len(tiles) // 3))
                subprocess.run([heart, 'png', '--size', str(TILE), '--seed', user,
                                '--background', background, '-o', path], check=True)
                tiles += ['-label', user, path]
        title = 'heart --seed: ten users\' hearts, on light and on dark'
        subprocess.run(['montage', *tiles, '-tile', '10x2', '-geometry', '+4+2',
                        '-font', 'DejaVu-Sans', '-pointsize', '11', '-title', title,
                        '-background', 'white', '-colors', '64', '-depth', '8', '-strip', out],
                       check=True)


if __name__ == '__main__':
    main()
