#!/bin/sh
# Build the reference lwIP for the benchmarks: Debian's lwIP 2.1.3 source package (the
# same code and lwipopts.h as its liblwip.so.0), fetched with apt-get source and built here,
# at benchmark time, into DIR (under build/, never committed), as a static archive.
# One change from Debian's build: PBUF_POOL_BUFSIZE is set for a full 1500-byte frame.
# Debian's binary sizes it from glibc's TCP_MSS (512, from <netinet/tcp.h>) and corrupts
# its heap on received frames over 592 bytes, which a benchmark at MTU 1500 would hit.
# Usage: build_reference.sh DIR        (prints DIR/liblwip.a when done)
set -eu
dir=$1
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ -f "$dir/liblwip.a" ]; then
    echo "$dir/liblwip.a"
    exit 0
fi
src=$(ls -d "$dir"/lwip-2.1.3* 2>/dev/null | head -n 1 || true)
if [ -z "$src" ]; then
    if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
        # enable source packages for the configured Debian mirrors (deb822 format)
        for f in /etc/apt/sources.list.d/*.sources; do
            [ -f "$f" ] && sed -i 's/^Types: deb$/Types: deb deb-src/' "$f"
        done
        apt-get update -qq >/dev/null
    fi
    (cd "$dir" && apt-get source -qq lwip >/dev/null 2>&1) || { echo "build_reference: apt-get source lwip failed" >&2; exit 1; }
    src=$(ls -d "$dir"/lwip-2.1.3* | head -n 1)
fi
objs="$dir/obj"
mkdir -p "$objs"
files=$(ls "$src"/src/core/*.c "$src"/src/core/ipv4/*.c "$src"/src/core/ipv6/*.c "$src"/src/api/*.c \
    "$src"/src/netif/ethernet.c "$src"/port/sys_arch.c "$src"/port/netif/tapif.c)
for f in $files; do
    o="$objs/$(echo "$f" | sed "s|$src/||; s|/|_|g; s|\.c$|.o|")"
    ${CC:-cc} -c -O2 -w -I"$src/src/include" -I"$src/port/include" -DPBUF_POOL_BUFSIZE=1536 "$f" -o "$o"
done
ar rcs "$dir/liblwip.a" "$objs"/*.o
echo "$dir/liblwip.a"
