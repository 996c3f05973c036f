#!/bin/sh
# DNS through a real server: abi-tests/net/dns.c, built for the native profile (which has
# LWIP_DNS), against dnsmasq on the kernel side of a fresh namespace.
# Usage: dns.sh BUILD_DIR   (uses BUILD_DIR/native, which make test-abi builds)
set -u
out=$1/native
top=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$out/liblwip.so.0" ] || make -C "$top" --no-print-directory PROFILE=native build >/dev/null || exit 1
. "$top/abi-tests/lib/netns.sh"
ns=smolwip-dns-$$
work=$(mktemp -d)
cleanup() { [ -f "$work/dnsmasq.pid" ] && kill "$(cat "$work/dnsmasq.pid")" 2>/dev/null; netns_down "$ns"; rm -rf "$work"; }
trap cleanup EXIT
${CC:-cc} -std=gnu11 -Wall -Werror $(PKG_CONFIG_PATH=$out pkg-config --cflags lwip) -pthread "$top/abi-tests/net/dns.c" \
    -L"$out" -l:liblwip.so.0 -o "$work/dns" || exit 1
netns_up "$ns" 10.95.0
ip netns exec "$ns" dnsmasq --no-resolv --no-hosts --bind-interfaces --listen-address=10.95.0.1 --except-interface=lo \
    --address=/test.smolwip/10.95.0.77 --host-record=v6.smolwip,fd00:95::77 --pid-file="$work/dnsmasq.pid" \
    --port=53 --log-facility=- 2>"$work/dnsmasq.log" || { echo "FAIL dnsmasq did not start"; cat "$work/dnsmasq.log"; exit 1; }
ip netns exec "$ns" env LD_LIBRARY_PATH="$out" PRECONFIGURED_TAPIF=tap0 PEER_PY="$top/abi-tests/lib/peer.py" timeout 60 "$work/dns" 10.95.0
