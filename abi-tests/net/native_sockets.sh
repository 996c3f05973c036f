#!/bin/sh
# Runs abi-tests/net/native_sockets.c, built for the native profile, in a fresh namespace.
# Usage: native_sockets.sh BUILD_DIR   (uses BUILD_DIR/native, which make test-abi builds)
set -u
out=$1/native
top=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$out/liblwip.so.0" ] || make -C "$top" --no-print-directory PROFILE=native build >/dev/null || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
${CC:-cc} -std=gnu11 -Wall -Werror $(PKG_CONFIG_PATH=$out pkg-config --cflags lwip) -pthread \
    "$top/abi-tests/net/native_sockets.c" -L"$out" -l:liblwip.so.0 -o "$work/native_sockets" || exit 1
NETNS_MTU=1500 "$top/abi-tests/diff/lib/netns_run.sh" "$work/native_sockets" "$out" 10.97.0
