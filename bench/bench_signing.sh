#!/bin/sh
# Benchmark (not a test): heart against minisign on a 1 GiB file, in one run.
# Usage: bench/bench_signing.sh [BUILD_DIR]    (default build; needs minisign, zstd, cc)
# Prints best-of-3 wall times in seconds, throughput, and heart/minisign ratios.
set -eu
cd "$(dirname "$0")/.."
heart=$(pwd)/${1:-build}/heart
[ -x "$heart" ] || { echo "bench: build heart first ($heart)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/heart-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"

cc -O2 -o blake2b_speed "$OLDPWD/bench/blake2b_speed.c" $(pkg-config --cflags --libs libsodium)
head -c 1073741824 /dev/urandom > big
# Extraction: a compressible 64 MiB payload (zstd -19 on 1 GiB would take many minutes).
for i in $(seq 1 400); do cat "$heart"; done | head -c 67108864 > payload
"$heart" keygen --no-password -p k.pub -s k.key 2>/dev/null
cat big > /dev/null # warm the page cache

best() { # best of 3 wall-clock runs of "$@", in seconds
    b=
    for _ in 1 2 3; do
        t0=$(date +%s.%N)
        "$@" > /dev/null 2>&1 </dev/null
        t=$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { print a - b }')
        if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then b=$t; fi
    done
    printf '%.3f' "$b"
}
extract_minisign() { minisign -Vq -p k.pub -m payload.zst && zstd -dqf payload.zst -o out.m; }

echo "BLAKE2b-512 in memory: $(./blake2b_speed 1024) MiB/s"
hs=$(best "$heart" sign -s k.key -x h.sig big)
ms=$(best minisign -S -s k.key -m big -x m.sig)
hv=$(best "$heart" verify -q -p k.pub -x h.sig big)
mv=$(best minisign -Vq -p k.pub -m big -x m.sig)
"$heart" pack -s k.key -o payload.zst payload 2>/dev/null
he=$(best "$heart" verify -q -p k.pub --extract out.h payload.zst)
me=$(best extract_minisign)
cmp out.h payload && cmp out.m payload
mibs() { awk -v t="$1" 'BEGIN { printf "%.0f", 1024 / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf 'sign 1 GiB:    heart %ss (%s MiB/s)  minisign %ss (%s MiB/s)  heart/minisign time %s\n' \
    "$hs" "$(mibs "$hs")" "$ms" "$(mibs "$ms")" "$(ratio "$hs" "$ms")"
printf 'verify 1 GiB:  heart %ss (%s MiB/s)  minisign %ss (%s MiB/s)  heart/minisign time %s\n' \
    "$hv" "$(mibs "$hv")" "$mv" "$(mibs "$mv")" "$(ratio "$hv" "$mv")"
printf 'extract 64 MiB artifact: heart verify --extract %ss  minisign -V + zstd -d %ss  ratio %s\n' \
    "$he" "$me" "$(ratio "$he" "$me")"
