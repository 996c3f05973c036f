#!/bin/sh
# Run one differential test program in a fresh network namespace whose kernel side is the
# peer: tap0 = PREFIX.1/24 (+ IPv6 link-local) with MTU 576, so the reference lwIP only
# ever receives small frames (Debian's liblwip corrupts its heap on frames over 592 bytes).
# IPv6 needs an MTU of 1280 at least: tests using it set NETNS_MTU=1280 and keep every
# message small.
# Usage: netns_run.sh BINARY LIBDIR_OR_EMPTY PREFIX      (LIBDIR empty = real lwIP)
set -u
bin=$1; libdir=$2; prefix=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/lib/netns.sh"
ns=smolwip-$(basename "$bin")-$$
cleanup() { netns_down "$ns"; }
trap cleanup EXIT
netns_up "$ns" "$prefix"
ip -n "$ns" link set tap0 mtu "${NETNS_MTU:-576}"
ip -n "$ns" route add 224.0.0.0/4 dev tap0
# A global IPv6 prefix too: fd00:B::/64 for prefix A.B.C (the kernel takes ::1). Below an
# MTU of 1280 the kernel has no IPv6 on the device.
if [ "${NETNS_MTU:-576}" -ge 1280 ]; then
    v6net=fd00:$(echo "$prefix" | cut -d. -f2)
    ip -n "$ns" -6 addr add "$v6net::1/64" dev tap0 nodad
fi
env=""
[ -n "$libdir" ] && env="LD_LIBRARY_PATH=$libdir"
ip netns exec "$ns" env $env PRECONFIGURED_TAPIF=tap0 PEER_PY="$top/lib/peer.py" timeout 100 "$bin" "$prefix"
