#!/bin/sh
# The firmware build: liblwip.a as 32-bit RISC-V ESP-IDF chips link it (no_std, no OS of
# its own, target_os = "none"), with the native ABI profile. Debian's newlib headers stand in
# for the ESP-IDF toolchain's; the -D flags configure them as Espressif's newlib is
# configured (POSIX threads, timers and the monotonic clock are on).
#
# Checks, for each target:
# - the crate builds: bindgen's 32-bit layouts of lwIP's and newlib's types agree with
#   clang's (build.rs asserts them at compile time);
# - every undefined symbol of the archive is in imports.txt (what ESP-IDF provides);
# - the archive defines every name of abi-tests/symbols.txt that the native profile
#   provides, except the host TAP driver (tapif_*).
# Prints the size of the library's own code. Usage: abi-tests/firmware/build.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# ESP32-C6/H2/C5 (atomics) and ESP32-C2/C3 (no atomics: portable-atomic, single core).
targets=${FIRMWARE_TARGETS:-riscv32imac-unknown-none-elf riscv32imc-unknown-none-elf}
sysroot_inc=${NEWLIB_INCLUDE:-/usr/include/newlib}
export CARGO_TARGET_DIR="$top/target/firmware"
export SMOLWIP_PROFILE=native
unset LWIP_INCLUDE_DIRS
export LWIP_CFLAGS="-isystem $sysroot_inc -D_POSIX_THREADS -D_UNIX98_THREAD_MUTEX_ATTRIBUTES -D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L"

if [ ! -f "$sysroot_inc/pthread.h" ]; then
    echo "firmware build: FAIL: no newlib headers in $sysroot_inc (scripts/deps.sh installs libnewlib-dev)"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -v '^#' "$here/imports.txt" | grep -v '^$' | sort -u >"$tmp/allowed"
grep -v '^#' "$top/abi-tests/symbols.txt" | grep -v '^$' | grep -v -E '^(tapif_|pbuf_fill_chksum$|pbuf_split_64k$)' \
    | sort -u >"$tmp/scope"

rc=0
for t in $targets; do
    if ! rustup target list --installed 2>/dev/null | grep -qx "$t"; then
        if ! rustup target add "$t" >/dev/null 2>&1; then
            echo "firmware build ($t): skipped: the Rust target is not installed and rustup cannot fetch it"
            continue
        fi
    fi
    (cd "$top" && cargo rustc --quiet --release --no-default-features --lib --crate-type staticlib --target "$t")
    lib="$CARGO_TARGET_DIR/$t/release/liblwip.a"

    "$top/abi-tests/lib/archive_symbols.sh" undefined "$lib" >"$tmp/undefined"
    comm -23 "$tmp/undefined" "$tmp/allowed" >"$tmp/unexpected"
    "$top/abi-tests/lib/archive_symbols.sh" defined "$lib" >"$tmp/defined"
    comm -23 "$tmp/scope" "$tmp/defined" >"$tmp/missing"
    code=$(size "$lib" 2>/dev/null | awk '$6 ~ /^lwip-/ {print $1 + $2 + $3}')
    echo "firmware build ($t): built, $(wc -l <"$tmp/undefined") imports, $(comm -12 "$tmp/scope" "$tmp/defined" | wc -l)/$(wc -l <"$tmp/scope") lwIP names defined, library code ${code:-?} bytes"
    if [ -s "$tmp/unexpected" ]; then
        echo "firmware build ($t): FAIL: undefined symbols a firmware does not provide: $(tr '\n' ' ' <"$tmp/unexpected")"
        rc=1
    fi
    if [ -s "$tmp/missing" ]; then
        echo "firmware build ($t): FAIL: not defined: $(tr '\n' ' ' <"$tmp/missing")"
        rc=1
    fi
done
[ $rc -eq 0 ] && echo "firmware build: ok"
exit $rc
