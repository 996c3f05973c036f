#!/bin/sh
# Build abi-tests/net/NAME.c against BUILD_DIR's liblwip.so.0 and run it in a fresh
# namespace (abi-tests/diff/lib/netns_run.sh, MTU 1500) as NAME PREFIX.
# Usage: c_in_netns.sh NAME PREFIX BUILD_DIR
set -u
name=$1; prefix=$2; out=$3
top=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
${CC:-cc} -std=gnu11 -Wall -Werror $(pkg-config --cflags lwip) -pthread "$top/abi-tests/net/$name.c" \
    -L"$out" -l:liblwip.so.0 -o "$work/$name" || exit 1
NETNS_MTU=1500 "$top/abi-tests/diff/lib/netns_run.sh" "$work/$name" "$out" "$prefix"
