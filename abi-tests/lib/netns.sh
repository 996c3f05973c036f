# Shared helpers for tests that put a stack on a TAP device in a network namespace the test
# creates; the Linux kernel in that namespace is the peer. Source this file.
#   netns_up NAME PREFIX     namespace NAME with tap0 = PREFIX.1/24 (+ IPv6 link-local), up
#   netns_down NAME          remove it (also run from the EXIT trap the caller sets)
#   wait_for_line FILE TEXT SECONDS
# Traffic only goes to addresses inside the namespace the test made.

netns_up() {
    ns=$1; prefix=$2
    ip netns del "$ns" 2>/dev/null || true
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n "$ns" tuntap add dev tap0 mode tap
    ip -n "$ns" addr add "$prefix.1/24" dev tap0
    # IPv6 on, no duplicate address detection delay for the kernel's own link-local address
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.tap0.accept_dad=0
    ip -n "$ns" link set tap0 up
}

netns_down() {
    ip netns del "$1" 2>/dev/null || true
}

wait_for_line() {
    file=$1; text=$2; secs=$3
    i=0
    while [ $i -lt $((secs * 10)) ]; do
        grep -q "$text" "$file" 2>/dev/null && return 0
        sleep 0.1; i=$((i + 1))
    done
    return 1
}
