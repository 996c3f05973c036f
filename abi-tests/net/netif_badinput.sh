#!/bin/sh
# Runs abi-tests/net/netif_badinput.c against smolwip in a fresh namespace.
# Usage: netif_badinput.sh BUILD_DIR
set -u
out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/abi-tests/lib/netns.sh"
ns=smolwip-net-bad-$$
work=$(mktemp -d)
trap 'netns_down "$ns"; rm -rf "$work"' EXIT
${CC:-cc} -std=gnu11 -Wall -Werror $(pkg-config --cflags lwip) -pthread "$top/abi-tests/net/netif_badinput.c" \
    -L"$out" -l:liblwip.so.0 -o "$work/badinput" || exit 1
netns_up "$ns" 192.168.80
ip netns exec "$ns" env LD_LIBRARY_PATH="$out" timeout 30 "$work/badinput"
