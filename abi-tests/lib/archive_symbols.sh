#!/bin/sh
# The symbols of a 32-bit RISC-V static archive (the firmware builds of the library), one per
# line, sorted:
#   archive_symbols.sh undefined LIB   what a final link of the whole archive leaves
#                                      undefined (rust-lld, which reads the Rust members)
#   archive_symbols.sh defined LIB     what its machine code defines (GNU nm; the bitcode
#                                      members it cannot read are noise here)
set -eu
what=$1
lib=$2
case $what in
undefined)
    host=$(rustc -vV | sed -n 's/^host: //p')
    lld="$(rustc --print sysroot)/lib/rustlib/$host/bin/rust-lld"
    out=$(mktemp)
    trap 'rm -f "$out"' EXIT
    { "$lld" -flavor gnu -m elf32lriscv --whole-archive "$lib" -o "$out" -e 0 --error-limit=0 2>&1 || true; } \
        | sed -n 's/.*undefined symbol: //p' | sort -u
    ;;
defined)
    nm --defined-only "$lib" 2>/dev/null | awk 'NF == 3 && $2 ~ /^[TDBRV]$/ {print $3}' | sort -u
    ;;
*)
    echo "usage: archive_symbols.sh undefined|defined LIB" >&2
    exit 2
    ;;
esac
