#!/bin/sh
# The netconn HTTP server example (examples/netconn_http.c) served to curl from the kernel
# side: the page, and 4 MiB checked byte for byte. Full-size frames.
# Usage: netconn_http.sh BUILD_DIR
set -u
out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/abi-tests/lib/netns.sh"
ns=smolwip-nchttp-$$
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; netns_down "$ns"; rm -rf "$work"; }
trap cleanup EXIT
${CC:-cc} -std=gnu11 -Wall -Werror $(pkg-config --cflags lwip) -pthread "$top/examples/netconn_http.c" \
    -L"$out" -l:liblwip.so.0 -o "$work/netconn_http" || exit 1
netns_up "$ns" 10.94.0
ip netns exec "$ns" env LD_LIBRARY_PATH="$out" PRECONFIGURED_TAPIF=tap0 "$work/netconn_http" 10.94.0 8080 >"$work/server.out" 2>&1 &
pid=$!
wait_for_line "$work/server.out" serving 10 || { echo "FAIL server did not start"; cat "$work/server.out"; exit 1; }
rc=0
page=$(ip netns exec "$ns" timeout 10 curl -sS "http://10.94.0.2:8080/")
case "$page" in *"hello from lwIP's netconn API"*) echo "ok   curl GET / from the netconn server";; *) echo "FAIL GET /: $page"; rc=1;; esac
size=$((4 * 1024 * 1024))
want=$(python3 -c "import hashlib,string; a=(string.ascii_lowercase*(8192//26+1))[:8192].encode(); d=(a*($size//8192+1))[:$size]; print(hashlib.sha256(d).hexdigest())")
got=$(ip netns exec "$ns" timeout 30 curl -sS --fail "http://10.94.0.2:8080/bytes/$size" | sha256sum | cut -d' ' -f1)
if [ "$got" = "$want" ]; then echo "ok   curl GET 4 MiB from the netconn server: sha256 matches"; else echo "FAIL 4 MiB: $got"; rc=1; fi
exit $rc
