#!/bin/sh
# Runs abi-tests/net/sock_extras.c against smolwip in a fresh namespace (see that file).
# Usage: sock_extras.sh BUILD_DIR
set -u
out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
${CC:-cc} -std=gnu11 -Wall -Werror $(pkg-config --cflags lwip) -pthread "$top/abi-tests/net/sock_extras.c" \
    -L"$out" -l:liblwip.so.0 -o "$work/sock_extras" || exit 1
NETNS_MTU=1500 "$top/abi-tests/diff/lib/netns_run.sh" "$work/sock_extras" "$out" 10.90.0
