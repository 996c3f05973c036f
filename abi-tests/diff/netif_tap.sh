#!/bin/sh
# netif_tap: bring the stack up on a TAP device in a fresh namespace and check it from the
# kernel side: IPv4 ping, IPv6 link-local ping, ARP and ND entries. Small frames only, so
# the reference run stays clear of Debian liblwip's large-frame heap bug (see
# abi-tests/net/fullsize.sh for full-size frames).
# Usage: netif_tap.sh BINARY LIBDIR_OR_EMPTY
set -u
bin=$1; libdir=$2
. "$(dirname "$0")/../lib/netns.sh"
ns=smolwip-diff-tap-$$
work=$(mktemp -d)
cleanup() { exec 3>&- 2>/dev/null; netns_down "$ns"; rm -rf "$work"; }
trap cleanup EXIT
netns_up "$ns" 192.168.77

mkfifo "$work/ctl"
if [ -n "$libdir" ]; then
    ip netns exec "$ns" env LD_LIBRARY_PATH="$libdir" PRECONFIGURED_TAPIF=tap0 "$bin" 192.168.77 <"$work/ctl" >"$work/out" 2>&1 &
else
    ip netns exec "$ns" env PRECONFIGURED_TAPIF=tap0 "$bin" 192.168.77 <"$work/ctl" >"$work/out" 2>&1 &
fi
pid=$!
exec 3>"$work/ctl"
if ! wait_for_line "$work/out" ready 15; then
    echo "stack did not come up"; cat "$work/out"; exit 1
fi

check() { # check LABEL COMMAND...
    label=$1; shift
    if "$@" >"$work/cmd" 2>&1; then echo "$label: ok"; else echo "$label: FAILED"; cat "$work/cmd"; fi
}
check "kernel ping 192.168.77.2" ip netns exec "$ns" ping -c 3 -i 0.2 -W 2 192.168.77.2
ll=$(sed -n 's/^ip6 link-local \([^ ]*\) .*/\1/p' "$work/out")
check "kernel ping6 $ll%tap0" ip netns exec "$ns" ping -6 -c 3 -i 0.2 -W 2 "$ll%tap0"
neigh() { ip -n "$ns" neigh show dev tap0 | grep -qi "^$1 lladdr 02:12:34:56:78:ab"; }
check "ARP entry for 192.168.77.2" neigh 192.168.77.2
check "ND entry for $ll" neigh "$ll"

exec 3>&-
wait $pid; rc=$?
cat "$work/out"
exit $rc
