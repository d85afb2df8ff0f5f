#!/bin/sh
# Install what heart needs on Debian (12 or later) and configure + build it.
# Usage: scripts/setup.sh [--test|--quick|--bench]   (--test: also the tools the test suite
# runs against, and the sanitizer and fuzzing builds; --quick: the same tools, the normal build
# only; --bench: also what the benchmarks compare against)
# As root it runs apt-get; otherwise it prints the apt-get line to run and stops.
set -eu
cd "$(dirname "$0")/.."

build_pkgs="gcc meson ninja-build pkg-config libpng-dev libgif-dev libsodium-dev libzstd-dev libncurses-dev
libmicrohttpd-dev scdoc"
# Everything the tests (clang and libclang-rt-dev: libFuzzer, for tests/fuzz/; clang-tools:
# scan-build, tests/static_analysis.py), scripts/release.sh
# (xz-utils) and the fresh-Debian test (debootstrap) run; tests/e2e/test_fresh_debian.py proves
# the list complete.
test_pkgs="libcmocka-dev git python3 locales minisign zstd xz-utils librsvg2-bin libxml2-utils
pngcheck imagemagick scour tmux asciinema valgrind man-db groff-base bash bash-completion zsh fish debootstrap
gifsicle ffmpeg ncurses-term nodejs npm clang libclang-rt-dev clang-tools clang-format curl nginx-light prometheus systemd
chromium"
# Only the benchmarks (bench/) compare against these; no test needs them. npm brings resvg
# and Skia (bench/npm/); wrk loads heart serve and nginx; apngasm assembles APNGs
# (bench/bench_apng.py); gifsicle optimises GIFs (bench/bench_gif.py).
bench_pkgs="chafa librsvg2-bin nodejs npm wrk nginx-light apngasm gifsicle"

want=$build_pkgs
tests=false
all_builds=false
if [ "${1:-}" = --test ] || [ "${1:-}" = --quick ]; then
    want="$build_pkgs $test_pkgs"
    tests=true
    [ "$1" = --quick ] || all_builds=true
elif [ "${1:-}" = --bench ]; then
    want="$build_pkgs $bench_pkgs"
fi

missing=
for pkg in $want; do
    # Debian ships npm as a package of its own, NodeSource inside its nodejs (which conflicts
    # with Debian's npm): any npm command will do.
    [ "$pkg" != npm ] || ! command -v npm >/dev/null 2>&1 || continue
    dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed ||
        missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "heart: missing packages; as root run:" >&2
        echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
        exit 1
    fi
    echo "heart: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends $missing >&2
fi

# The SVG tests check number formatting under a decimal-comma locale.
if $tests && ! locale -a 2>/dev/null | grep -qix 'de_DE.utf-\{0,1\}8'; then
    if [ "$(id -u)" -eq 0 ]; then
        localedef -i de_DE -f UTF-8 de_DE.UTF-8 >&2
    else
        echo "heart: missing locale de_DE.UTF-8; as root run: localedef -i de_DE -f UTF-8 de_DE.UTF-8" >&2
        exit 1
    fi
fi

# npm tools, pinned by DIR/package-lock.json, installed into DIR/node_modules (ignored by git);
# again only when the lock file changes.
# npm trusts what the system trusts: the system's CA bundle also holds the CAs a site adds with
# update-ca-certificates (a network that inspects TLS), which node's built-in list lacks.
npm_tools() {
    dir=$1
    cmp -s "$dir/package-lock.json" "$dir/node_modules/.heart-installed" 2>/dev/null && return
    echo "heart: installing the npm tools of $dir" >&2
    ca=
    [ ! -r /etc/ssl/certs/ca-certificates.crt ] || ca=--cafile=/etc/ssl/certs/ca-certificates.crt
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error $ca >&2)
    cp "$dir/package-lock.json" "$dir/node_modules/.heart-installed"
}
if $tests; then
    npm_tools tests/npm # svgo: tests/e2e/test_svg.py
    npm_tools tests/xterm # @xterm/headless: tests/e2e/test_xterm.py
    npm_tools tests/browser # playwright-core, driving Debian's chromium: tests/e2e/test_browser.py
elif [ "${1:-}" = --bench ]; then
    npm_tools bench/npm # resvg and Skia: bench/bench_compare.py
fi

# Configure once; later runs only rebuild what changed.
setup_build() {
    dir=$1
    shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" -Dtests=$tests "$@" >&2
    elif $tests; then
        # Configured by scripts/run.sh without the tests: switch them on.
        meson configure "$dir" -Dtests=true >&2
    fi
    meson compile -C "$dir" >&2
}
setup_build build
if $all_builds; then
    setup_build build-sanitize -Db_sanitize=address,undefined -Db_lundef=false \
        -Dbuildtype=debug -Dhardening=false
    # The libFuzzer harnesses (tests/fuzz/): clang, ASan + UBSan, nothing else.
    [ -f build-fuzz/build.ninja ] ||
        CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false \
            -Db_sanitize=address,undefined -Db_lundef=false -Dhardening=false >&2
    meson compile -C build-fuzz >&2
fi
