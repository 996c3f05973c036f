#!/bin/sh
# Proves the ABI follows the headers: rebuild the library against a copy of Debian's
# lwipopts.h with LWIP_SO_RCVTIMEO disabled, then check that
#   1. the rebuilt library's view changed (struct netconn lost recv_timeout),
#   2. the ABI suite compiled against the changed headers agrees with the rebuilt library,
#   3. the same suite run against the default library (built from the unchanged headers)
#      fails: the check can tell the difference.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sysinc=$(pkg-config --cflags-only-I lwip | sed 's/-I//g; s/ *$//')
mkdir -p "$tmp/opts"
sed 's/^#define LWIP_SO_RCVTIMEO .*/#define LWIP_SO_RCVTIMEO 0/' "$sysinc/lwipopts.h" >"$tmp/opts/lwipopts.h"
grep -q '^#define LWIP_SO_RCVTIMEO 0' "$tmp/opts/lwipopts.h"

cd "$top"
LWIP_INCLUDE_DIRS="$tmp/opts:$sysinc" SMOLWIP_PROFILE=changed CARGO_TARGET_DIR="$top/target/changed" \
    cargo build --quiet --lib
lib="$top/target/changed/debug"
cp "$lib/liblwip.so" "$tmp/liblwip.so.0"
${CC:-cc} -std=gnu11 -Wall -Werror -I"$top/include" -I"$tmp/opts" -I"$sysinc" abi-tests/abi_check.c \
    -L"$tmp" -l:liblwip.so.0 -o "$tmp/abi_check"

LD_LIBRARY_PATH="$tmp" "$tmp/abi_check" -v >"$tmp/changed.out"
if grep -q 'netconn.*recv_timeout' "$tmp/changed.out"; then
    echo "FAIL: the library rebuilt without LWIP_SO_RCVTIMEO still has netconn.recv_timeout"; exit 1
fi
grep 'LWIP_SO_RCVTIMEO' "$tmp/changed.out"
tail -n 3 "$tmp/changed.out"

if LD_LIBRARY_PATH="$top/build" "$tmp/abi_check" >"$tmp/default.out"; then
    echo "FAIL: the default library passed a check compiled against different headers"; exit 1
fi
echo "default library against the changed headers: $(grep -c '^FAIL' "$tmp/default.out") mismatches, as expected"
echo "profile change: ok"
