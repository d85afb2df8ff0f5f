#!/bin/sh
# Benchmark (not a test): heart against minisign on 256 MiB and 1 GiB files, in one run.
# Usage: bench/bench_signing.sh [BUILD_DIR] [RUNS]   (default build, 5; needs minisign, zstd, cc)
# Prints best-of-RUNS wall times in seconds, throughput, and heart/minisign ratios. The disk
# is settled (sync) before every timed run, so that no run pays for an earlier one's writes.
set -eu
cd "$(dirname "$0")/.."
heart=$(pwd)/${1:-build}/heart
runs=${2:-5}
[ -x "$heart" ] || { echo "bench: build heart first ($heart)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/heart-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"

cc -O2 -o blake2b_speed "$OLDPWD/bench/blake2b_speed.c" $(pkg-config --cflags --libs libsodium)
head -c 1073741824 /dev/urandom > big1g
head -c 268435456 big1g > big256m
# Extraction: a compressible 64 MiB payload (zstd -19 on 1 GiB would take many minutes).
for i in $(seq 1 400); do cat "$heart"; done | head -c 67108864 > payload
"$heart" keygen --no-password -p k.pub -s k.key 2>/dev/null
"$heart" pack -s k.key -o payload.zst payload 2>/dev/null

best() { # best of $runs wall-clock runs of "$@", in seconds, each after a sync
    b=
    for _ in $(seq 1 "$runs"); do
        sync
        t0=$(date +%s.%N)
        "$@" > /dev/null 2>&1 </dev/null
        t=$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { print a - b }')
        if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then b=$t; fi
    done
    printf '%.3f' "$b"
}
# minisign -V then zstd -d; and the same with heart's guarantees: a private file, fsync'd,
# then renamed over the output.
extract_minisign() { minisign -Vq -p k.pub -m payload.zst && zstd -dqf payload.zst -o out.m; }
extract_minisign_durable() {
    minisign -Vq -p k.pub -m payload.zst && zstd -dqf payload.zst -o .out.m.tmp &&
        chmod 755 .out.m.tmp && sync .out.m.tmp && mv .out.m.tmp out.m && sync .
}
mibs() { awk -v t="$1" -v m="$2" 'BEGIN { printf "%.0f", m / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "BLAKE2b-512 in memory: $(./blake2b_speed 1024) MiB/s (best of $runs, sync before each run)"
for f in big256m:256 big1g:1024; do
    name=${f%%:*} mib=${f#*:}
    cat "$name" > /dev/null # in the page cache, as both tools find it
    hs=$(best "$heart" sign -s k.key -x h.sig "$name")
    ms=$(best minisign -S -s k.key -m "$name" -x m.sig)
    hv=$(best "$heart" verify -q -p k.pub -x h.sig "$name")
    mv=$(best minisign -Vq -p k.pub -m "$name" -x m.sig)
    printf 'sign %s MiB:   heart %ss (%s MiB/s)  minisign %ss (%s MiB/s)  heart/minisign %s\n' \
        "$mib" "$hs" "$(mibs "$hs" "$mib")" "$ms" "$(mibs "$ms" "$mib")" "$(ratio "$hs" "$ms")"
    printf 'verify %s MiB: heart %ss (%s MiB/s)  minisign %ss (%s MiB/s)  heart/minisign %s\n' \
        "$mib" "$hv" "$(mibs "$hv" "$mib")" "$mv" "$(mibs "$mv" "$mib")" "$(ratio "$hv" "$mv")"
done
he=$(best "$heart" verify -q -p k.pub --extract out.h payload.zst)
me=$(best extract_minisign)
md=$(best extract_minisign_durable)
cmp out.h payload && cmp out.m payload
printf 'extract 64 MiB: heart verify --extract %ss  minisign -V + zstd -d %ss (ratio %s)\n' \
    "$he" "$me" "$(ratio "$he" "$me")"
printf '                with fsync + rename like heart: %ss (ratio %s; the fsync costs %ss)\n' \
    "$md" "$(ratio "$he" "$md")" "$(awk -v a="$md" -v b="$me" 'BEGIN { printf "%.3f", a - b }')"
