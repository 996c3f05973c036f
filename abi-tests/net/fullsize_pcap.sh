#!/bin/sh
# smolwip only (Debian's liblwip corrupts its heap on frames over 592 bytes): full-size
# frames both ways, and the SMOLWIP_PCAP / SMOLWIP_STATS observability.
# Usage: fullsize_pcap.sh BUILD_DIR
set -u
out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/abi-tests/lib/netns.sh"
ns=smolwip-net-full-$$
work=$(mktemp -d)
cleanup() { exec 3>&- 2>/dev/null; netns_down "$ns"; rm -rf "$work"; }
trap cleanup EXIT
fail=0

${CC:-cc} -std=gnu11 -Wall -Werror $(pkg-config --cflags lwip) -pthread "$top/examples/tap_netif.c" \
    -L"$out" -l:liblwip.so.0 -o "$work/tap_netif" || exit 1
netns_up "$ns" 192.168.79
mkfifo "$work/ctl"
ip netns exec "$ns" env LD_LIBRARY_PATH="$out" PRECONFIGURED_TAPIF=tap0 SMOLWIP_PCAP="$work/cap.pcap" \
    SMOLWIP_STATS=1 "$work/tap_netif" 192.168.79 <"$work/ctl" >"$work/app.out" 2>&1 &
pid=$!
exec 3>"$work/ctl"
wait_for_line "$work/app.out" ready 15 || { echo "FAIL: stack did not come up"; cat "$work/app.out"; exit 1; }
ll=$(sed -n 's/^ip6 link-local \([^ ]*\) .*/\1/p' "$work/app.out")

# 1472 bytes of ICMP payload = 1500-byte IP packets = 1514-byte Ethernet frames.
for target in 192.168.79.2 "$ll%tap0"; do
    size=1472; [ "${target#*:}" != "$target" ] && size=1452
    if ip netns exec "$ns" ping -c 5 -i 0.1 -W 2 -s $size "$target" >"$work/ping" 2>&1 \
        && grep -q " 0% packet loss" "$work/ping"; then
        echo "ok   full-size ping $target"
    else
        echo "FAIL full-size ping $target"; cat "$work/ping"; fail=1
    fi
done

exec 3>&-
wait $pid || { echo "FAIL: app exited non-zero"; fail=1; }
if python3 "$top/abi-tests/lib/pcap_summary.py" "$work/cap.pcap" --require arp icmp-echo-request:1514 \
    icmp-echo-reply:1514 icmpv6-echo-request:1514 icmpv6-echo-reply:1514 icmpv6-nd >"$work/pcap"; then
    echo "ok   pcap: $(cat "$work/pcap")"
else
    echo "FAIL pcap: $(cat "$work/pcap")"; fail=1
fi
if grep -q "tp0.*rx .* frames" "$work/app.out" && grep -q "icmp" "$work/app.out"; then
    echo "ok   SMOLWIP_STATS dump at exit"
else
    echo "FAIL SMOLWIP_STATS dump missing"; cat "$work/app.out"; fail=1
fi
exit $fail
