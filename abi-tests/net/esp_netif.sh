#!/bin/sh
# ESP-NETIF on the host: abi-tests/net/esp_netif/ (a TAP I/O driver written in ESP-IDF's
# documented pattern, and an application on esp_netif), built for the native profile (it
# has LWIP_DNS), against dnsmasq on the kernel side of a fresh namespace: an address by
# DHCP (then statically), IPv6 by the link-local address and router advertisements (the
# IP_EVENT_GOT_IP6 events), a name resolved through that server's DNS, HTTP served to
# curl, bad input, and every driver buffer accounted for.
# Usage: esp_netif.sh BUILD_DIR   (uses BUILD_DIR/native, which make test-abi builds)
set -u
out=$1/native
top=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$out/liblwip.so.0" ] || make -C "$top" --no-print-directory PROFILE=native build >/dev/null || exit 1
. "$top/abi-tests/lib/netns.sh"
src=$top/abi-tests/net/esp_netif
work=$(mktemp -d)
ns=
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    [ -f "$work/dnsmasq.pid" ] && kill "$(cat "$work/dnsmasq.pid")" 2>/dev/null
    [ -n "$ns" ] && netns_down "$ns"
    rm -rf "$work"
}
trap cleanup EXIT
${CC:-cc} -std=gnu11 -Wall -Wextra -Werror $(PKG_CONFIG_PATH=$out pkg-config --cflags lwip) -pthread \
    "$src/app.c" "$src/tap_driver.c" -L"$out" -l:liblwip.so.0 -o "$work/app" || exit 1
expect=$(python3 -c 'import hashlib; print(hashlib.sha256(bytes(i % 251 for i in range(1 << 20))).hexdigest())')
rc=0
for mode in dhcp static; do
    echo "-- $mode"
    prefix=10.96.0
    ns=smolwip-espnetif-$$-$mode
    netns_up "$ns" "$prefix"
    # IPv6 router advertisements for fd00:B::/64 (prefix A.B.C) from dnsmasq too.
    ip -n "$ns" -6 addr add "fd00:$(echo "$prefix" | cut -d. -f2)::1/64" dev tap0 nodad
    rm -f "$work/dnsmasq.pid"
    ip netns exec "$ns" dnsmasq --no-resolv --no-hosts --bind-interfaces --interface=tap0 --except-interface=lo \
        --dhcp-range=$prefix.50,$prefix.60,255.255.255.0,1h --dhcp-leasefile="$work/leases" \
        --enable-ra --dhcp-range=::,constructor:tap0,ra-only \
        --host-record=peer.smolwip.test,$prefix.1 --pid-file="$work/dnsmasq.pid" --log-facility=- \
        2>"$work/dnsmasq.log" || { echo "FAIL dnsmasq did not start"; cat "$work/dnsmasq.log"; exit 1; }
    ip netns exec "$ns" env LD_LIBRARY_PATH="$out" timeout 60 "$work/app" "$prefix" "$mode" >"$work/app.out" 2>&1 &
    pid=$!
    if ! wait_for_line "$work/app.out" "serving on" 30; then
        echo "FAIL the application did not come up"; cat "$work/app.out"; rc=1
    else
        url=$(sed -n 's/^serving on //p' "$work/app.out")
        page=$(ip netns exec "$ns" timeout 10 curl -sS --fail "$url")
        if [ "$page" = "hello from esp_netif" ]; then echo "ok   curl $url: the page"; else echo "FAIL curl $url: '$page'"; rc=1; fi
        got=$(ip netns exec "$ns" timeout 20 curl -sS --fail "${url}big" | sha256sum | cut -d' ' -f1)
        if [ "$got" = "$expect" ]; then echo "ok   curl ${url}big: 1 MiB, sha256 matches"; else echo "FAIL ${url}big: sha256 $got"; rc=1; fi
        ip netns exec "$ns" timeout 10 curl -sS "${url}quit" >/dev/null
    fi
    wait "$pid"; app_rc=$?; pid=
    cat "$work/app.out"
    [ $app_rc -eq 0 ] || { echo "FAIL the application exited $app_rc"; rc=1; }
    kill "$(cat "$work/dnsmasq.pid")" 2>/dev/null; rm -f "$work/dnsmasq.pid"
    netns_down "$ns"; ns=
done
exit $rc
