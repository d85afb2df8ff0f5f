#!/bin/sh
# Build, pack and sign a release of the checked-out commit.
# Usage: scripts/release.sh -s SECRET_KEY -o OUTDIR [-p PUBLIC_KEY [-n NEXT_PUBLIC_KEY]]
#   -p  embed that public key in the binary (-Drelease_pubkey) and check the artifacts with it
#   -n  embed the next release key too, so that this binary already trusts the releases
#       signed after a key rotation (docs/releases.md: Deploying)
# The tree must be a clean git checkout. The secret key's password, when it has one, is read
# once: from the terminal, or one line from standard input. Everything is derived from the
# commit (SOURCE_DATE_EPOCH = commit time), so two runs give byte-identical artifacts.
# Writes: heart-VERSION-linux-ARCH.zst(.minisig), heart-VERSION.tar.xz(.minisig),
# SHA256SUMS(.minisig). Needs git, meson, ninja, xz, base64, od and sha256sum.
set -eu
usage() {
    echo "usage: scripts/release.sh -s SECRET_KEY -o OUTDIR [-p PUBLIC_KEY [-n NEXT_PUBLIC_KEY]]" >&2
    exit 2
}
sec= out= pub= next=
while getopts s:o:p:n: opt; do
    case $opt in
        s) sec=$OPTARG ;;
        o) out=$OPTARG ;;
        p) pub=$OPTARG ;;
        n) next=$OPTARG ;;
        *) usage ;;
    esac
done
[ -n "$sec" ] && [ -n "$out" ] || usage
[ -z "$next" ] || [ -n "$pub" ] || usage
abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd -P)" "$(basename "$1")"); }
sec=$(abspath "$sec")
[ -z "$pub" ] || pub=$(abspath "$pub")
[ -z "$next" ] || next=$(abspath "$next")
mkdir -p "$out"
out=$(cd "$out" && pwd -P)
cd "$(dirname "$0")/.."
src=$(pwd -P)

if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    echo "release: the tree has uncommitted changes; release from a clean checkout" >&2
    exit 2
fi
commit=$(git rev-parse HEAD)
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)
export SOURCE_DATE_EPOCH
# Same locale, timezone and permissions on every run.
export LC_ALL=C TZ=UTC
umask 022

echo_off=false build=
cleanup() {
    ! $echo_off || stty echo
    [ -z "$build" ] || rm -rf "$build"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The password, asked for once and handed to each signing step. A secret key starts with
# the signature algorithm "Ed" and the KDF algorithm: two zero bytes when it is not encrypted.
encrypted=false
kdf=$(sed -n 2p "$sec" | cut -c1-8 | base64 -d 2>/dev/null | od -An -tx1 -j2 -N2 | tr -d ' \n')
[ "$kdf" = 0000 ] || encrypted=true
password=
if $encrypted && [ -t 0 ]; then
    printf 'Password for %s: ' "$sec" >&2
    echo_off=true
    stty -echo
    IFS= read -r password || true
    stty echo
    echo_off=false
    echo >&2
elif $encrypted; then
    IFS= read -r password || true
fi
build=$(mktemp -d "${TMPDIR:-/tmp}/heart-release.XXXXXX")
key_opt=
[ -z "$pub" ] || key_opt="-Drelease_pubkey=$(sed -n 2p "$pub")"
[ -z "$next" ] || key_opt="$key_opt,$(sed -n 2p "$next")"
meson setup "$build" --buildtype=release -Dtests=false $key_opt >/dev/null
meson compile -C "$build" heart >/dev/null

heart="$build/heart"
version=$("$heart" version --json | sed 's/.*"version":"\([^"]*\)".*/\1/')
arch=$(uname -m)
bin="heart-$version-linux-$arch.zst"
tarball="heart-$version.tar.xz"

sign() {
    if $encrypted; then
        printf '%s\n' "$password" | "$heart" "$@"
    else
        "$heart" "$@" </dev/null
    fi
}

rm -f "$out/$bin" "$out/$bin.minisig" "$out/$tarball" "$out/$tarball.minisig" \
    "$out/SHA256SUMS" "$out/SHA256SUMS.minisig"
sign pack -s "$sec" --product heart --product-version "$version" --arch "$arch" \
    -o "$out/$bin" "$heart"

# What `meson dist` would ship (the committed tree; heart has no subprojects), but
# reproducible: meson's tarball takes its timestamps from the checkout, git archive takes
# the commit's, and xz runs single-threaded.
git -c tar.umask=0022 archive --format=tar --prefix="heart-$version/" "$commit" |
    xz -9 -T1 -c > "$out/$tarball"
sign sign -s "$sec" -t "heart $version source commit $commit file $tarball" "$out/$tarball"

(cd "$out" && sha256sum "$bin" "$bin.minisig" "$tarball" "$tarball.minisig" > SHA256SUMS)
sign sign -s "$sec" -t "heart $version SHA256SUMS commit $commit" "$out/SHA256SUMS"

if [ -n "$pub" ]; then
    for f in "$bin" "$tarball" SHA256SUMS; do
        "$heart" verify -q -p "$pub" "$out/$f"
    done
fi
echo "release: $out/$bin, $out/$tarball, $out/SHA256SUMS (each with .minisig)" >&2
