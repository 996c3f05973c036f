#!/bin/sh
# Differential tests: each abi-tests/diff/NAME.c is compiled once against the profile's lwIP
# headers and linked against Debian's real liblwip.so.0; the same binary then runs twice,
# on real lwIP and on smolwip (LD_LIBRARY_PATH alone switches them, as it would for users).
# Both runs must exit 0 and print the same output. Where smolwip deliberately differs
# (COMPATIBILITY.md), NAME.ours.expected holds smolwip's exact output instead.
# A test that needs a network namespace or peers ships NAME.sh: it is run as
#   NAME.sh BINARY LIBDIR_OR_EMPTY    (LIBDIR empty = real lwIP)
# and its output is compared the same way.
# Usage: run_diff.sh OURS_LIBDIR [NAME...]
set -u
ours=$1; shift
dir=$(cd "$(dirname "$0")/diff" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cflags="-std=gnu11 -Wall -Wextra -Werror -g $(pkg-config --cflags lwip) -pthread"

names=$*
[ -n "$names" ] || names=$(cd "$dir" && ls *.c 2>/dev/null | sed 's/\.c$//')
pass=0; fail=0
for name in $names; do
    bin=$work/$name
    if ! ${CC:-cc} $cflags "$dir/$name.c" -o "$bin" -Wl,-z,now -llwip 2>"$work/$name.cc"; then
        echo "FAIL $name: does not compile"; cat "$work/$name.cc"; fail=$((fail + 1)); continue
    fi
    run() { # run BINARY LIBDIR >OUT
        if [ -x "$dir/$name.sh" ]; then
            timeout 120 "$dir/$name.sh" "$1" "$2"
        elif [ -n "$2" ]; then
            LD_LIBRARY_PATH=$2 timeout 60 "$1"
        else
            timeout 60 "$1"
        fi
    }
    run "$bin" "" >"$work/$name.real" 2>&1; real_rc=$?
    run "$bin" "$ours" >"$work/$name.ours" 2>&1; ours_rc=$?
    expected=$work/$name.real
    [ -f "$dir/$name.ours.expected" ] && expected=$dir/$name.ours.expected
    if [ $real_rc -ne 0 ]; then
        echo "FAIL $name: real lwIP exited $real_rc"; tail -n 20 "$work/$name.real"; fail=$((fail + 1))
    elif [ $ours_rc -ne 0 ]; then
        echo "FAIL $name: smolwip exited $ours_rc"; tail -n 20 "$work/$name.ours"; fail=$((fail + 1))
    elif ! diff -u "$expected" "$work/$name.ours" >"$work/$name.diff"; then
        echo "FAIL $name: outputs differ (real lwIP -, smolwip +)"; cat "$work/$name.diff"; fail=$((fail + 1))
    else
        echo "ok   $name ($(wc -l <"$work/$name.ours") lines agree)"; pass=$((pass + 1))
    fi
done
echo "differential: $pass passed, $fail failed"
[ $fail -eq 0 ]
