#!/bin/sh
# Install what building and testing smolwip needs on a Debian machine. Idempotent and quiet
# when everything is present; as root it installs, otherwise it says what is missing.
# Usage: scripts/deps.sh [build|test|bench]   (test and bench add the tools the integration
# tests and the benchmark drive; make test runs the benchmark once in QUICK mode)
set -eu

need_build="liblwip-dev libclang-dev clang pkg-config make gcc"
need_test="iproute2 iputils-ping curl socat netcat-openbsd cmake python3 dnsmasq-base radvd"

need_bench="valgrind binutils dpkg-dev ethtool"
# The firmware build check (abi-tests/firmware): newlib's headers stand in for ESP-IDF's.
need_firmware="libnewlib-dev"

pkgs=$need_build
case "${1:-test}" in
    test) pkgs="$pkgs $need_test $need_bench $need_firmware" ;;
    bench) pkgs="$pkgs $need_test $need_bench" ;;
esac

missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done

if [ -n "$missing" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "scripts/deps.sh: missing packages:$missing (run as root, or apt-get install them)" >&2
        exit 1
    fi
    echo "scripts/deps.sh: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
    echo "scripts/deps.sh: cargo not found: install a Rust toolchain (rustup) first" >&2
    exit 1
fi
