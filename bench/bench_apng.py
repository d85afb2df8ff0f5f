#!/usr/bin/env python3
"""heart png --animate against apngasm assembling the same frames, in bytes.

Usage: bench_apng.py HEART
The same frames: the default image (heart png, the still heart at rest) and the loop's phases
(heart png --frames N, N as heart_apng_timing() chooses it: 30 frames a second of the beat),
given to apngasm (Debian package apngasm: 7zip deflate, 15 iterations) with -f (the first
image is the default image, outside the animation) and the frame delay of one period / N.
Frames whose phase looks like the one before are merged by both.
"""
import fractions
import os
import shutil
import subprocess
import sys
import tempfile
import time

# (label, heart's drawing options, beats per second)
CASES = [
    ('256 red, transparent', ['--size', '256'], 1.2),
    ('128 red, transparent', ['--size', '128'], 1.2),
    ('512 teal on white', ['--size', '512', '--color', 'teal', '--background', 'white'], 1.2),
    ('256, amplitude 0.3, 60 bpm', ['--size', '256', '--amplitude', '0.3'], 1.0),
]


def frames_of(hz):
    return min(300, max(4, round(30 / hz)))


def main():
    heart = sys.argv[1]
    apngasm = shutil.which('apngasm')
    if not apngasm:
        sys.exit('apngasm not found (Debian package apngasm; scripts/setup.sh --bench)')
    print('%-28s %7s %9s %9s %7s %9s %9s' % ('case', 'frames', 'heart B', 'apngasm B',
                                               'ratio', 'heart ms', 'apngasm ms'))
    with tempfile.TemporaryDirectory() as d:
        for label, opts, hz in CASES:
            n = frames_of(hz)
            beat = ['--fps', repr(hz)]
            ours = os.path.join(d, 'heart.png')
            t0 = time.perf_counter()
            subprocess.run([heart, 'png', '--animate', *beat, *opts, '-o', ours], check=True)
            t_heart = time.perf_counter() - t0
            shots = os.path.join(d, 'f')
            os.makedirs(shots, exist_ok=True)
            # apngasm counts up from the first name: f0000 (the default image), f0001, ...
            still = [o for i, o in enumerate(opts)
                     if o != '--amplitude' and (i == 0 or opts[i - 1] != '--amplitude')]
            subprocess.run([heart, 'png', *still, '-o', os.path.join(shots, 'f0000.png')],
                           check=True)
            subprocess.run([heart, 'png', '--frames', str(n), *opts, '-o',
                            os.path.join(shots, 'g%04d.png')], check=True)
            for k in range(n):
                os.rename(os.path.join(shots, 'g%04d.png' % k),
                          os.path.join(shots, 'f%04d.png' % (k + 1)))
            names = ['f%04d.png' % k for k in range(n + 1)]
            delay = fractions.Fraction(1) / fractions.Fraction(repr(hz)) / n
            theirs = os.path.join(d, 'apngasm.png')
            t0 = time.perf_counter()
            subprocess.run([apngasm, theirs, os.path.join(shots, names[0]),
                            str(delay.numerator), str(delay.denominator), '-f'],
                           check=True, stdout=subprocess.DEVNULL)
            t_theirs = time.perf_counter() - t0
            a, b = os.path.getsize(ours), os.path.getsize(theirs)
            print('%-28s %7d %9d %9d %7.3f %9.1f %9.1f' % (label, n, a, b, a / b,
                                                          t_heart * 1e3, t_theirs * 1e3))
            for x in names:
                os.unlink(os.path.join(shots, x))


if __name__ == '__main__':
    main()
