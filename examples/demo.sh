#!/bin/sh
# make demo: the lwIP unix example's bring-up (examples/tap_netif.c) linked against
# build/liblwip.so.0, on a TAP device in a throw-away network namespace; the Linux kernel
# pings it (IPv4, IPv6 link-local, full-size frames) and the demo prints what happened.
# Then the socket HTTP server example (examples/http_server.c) answers curl.
# Usage: demo.sh BUILD_DIR
set -eu
out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/abi-tests/lib/netns.sh"
ns=smolwip-demo-$$
work=$(mktemp -d)
http=
cleanup() { exec 3>&- 2>/dev/null || true; [ -n "$http" ] && kill "$http" 2>/dev/null; netns_down "$ns"; rm -rf "$work"; }
trap cleanup EXIT

${CC:-cc} -std=gnu11 -Wall -Werror -I"$out/include" $(PKG_CONFIG_PATH=$out pkg-config --cflags lwip) -pthread \
    "$top/examples/tap_netif.c" -L"$out" -l:liblwip.so.0 -o "$work/tap_netif"
${CC:-cc} -std=gnu11 -Wall -Werror $(PKG_CONFIG_PATH=$out pkg-config --cflags lwip) -pthread \
    "$top/examples/http_server.c" -L"$out" -l:liblwip.so.0 -o "$work/http_server"

echo "== namespace $ns: tap0 is 10.77.0.1/24 on the kernel side"
netns_up "$ns" 10.77.0
mkfifo "$work/ctl"
ip netns exec "$ns" env LD_LIBRARY_PATH="$out" PRECONFIGURED_TAPIF=tap0 SMOLWIP_PCAP="$work/demo.pcap" \
    SMOLWIP_STATS=1 "$work/tap_netif" 10.77.0 <"$work/ctl" >"$work/app.out" 2>&1 &
pid=$!
exec 3>"$work/ctl"
wait_for_line "$work/app.out" ready 15 || { cat "$work/app.out"; exit 1; }
echo "== the stack says:"
sed 's/^/   /' "$work/app.out"
ll=$(sed -n 's/^ip6 link-local \([^ ]*\) .*/\1/p' "$work/app.out")

echo "== the kernel pings it:"
ip netns exec "$ns" ping -c 3 -i 0.2 10.77.0.2 | sed -n 's/^/   /; /packets transmitted/p'
ip netns exec "$ns" ping -c 3 -i 0.2 -s 1472 10.77.0.2 | sed -n 's/^/   /; /packets transmitted/p'
ip netns exec "$ns" ping -6 -c 3 -i 0.2 "$ll%tap0" | sed -n 's/^/   /; /packets transmitted/p'
echo "== the kernel's neighbour table:"
ip -n "$ns" neigh show dev tap0 | sed 's/^/   /'

exec 3>&-
wait $pid || true
echo "== counters at exit (SMOLWIP_STATS=1):"
sed -n '/stdin closed/,$p' "$work/app.out" | sed '1d; s/^/   /'
echo "== $(python3 "$top/abi-tests/lib/pcap_summary.py" "$work/demo.pcap") in SMOLWIP_PCAP"

echo "== an HTTP server on lwIP's socket API (examples/http_server.c), asked by curl:"
ip netns exec "$ns" env LD_LIBRARY_PATH="$out" PRECONFIGURED_TAPIF=tap0 "$work/http_server" 10.77.0 8080 >"$work/http.out" 2>&1 &
http=$!
wait_for_line "$work/http.out" serving 10 || { cat "$work/http.out"; exit 1; }
ip netns exec "$ns" curl -sS http://10.77.0.2:8080/ | sed 's/^/   /'
ip netns exec "$ns" curl -sS -o /dev/null -w '   GET /bytes/10485760: %{size_download} bytes at %{speed_download} bytes/s\n' \
    http://10.77.0.2:8080/bytes/10485760
