#!/bin/sh
# The example socket server (examples/http_server.c) served to curl from the kernel side,
# with 10 MiB each way, checked by sha256: GET /bytes/N (the stream's sha256 is computed
# here independently) and POST /echo of a random file. Full-size frames (MTU 1500).
# Usage: http_10mib.sh BUILD_DIR
set -u
out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/abi-tests/lib/netns.sh"
ns=smolwip-http-$$
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; netns_down "$ns"; rm -rf "$work"; }
trap cleanup EXIT
${CC:-cc} -std=gnu11 -Wall -Werror $(pkg-config --cflags lwip) -pthread "$top/examples/http_server.c" \
    -L"$out" -l:liblwip.so.0 -o "$work/http_server" || exit 1
netns_up "$ns" 10.91.0
ip netns exec "$ns" env LD_LIBRARY_PATH="$out" PRECONFIGURED_TAPIF=tap0 "$work/http_server" 10.91.0 8080 >"$work/server.out" 2>&1 &
pid=$!
wait_for_line "$work/server.out" serving 10 || { echo "FAIL server did not start"; cat "$work/server.out"; exit 1; }
size=$((10 * 1024 * 1024))
rc=0
expect=$(python3 - "$size" <<'PY'
import hashlib, sys
n = int(sys.argv[1]); s = 1; out = bytearray(n)
for i in range(n):
    s = (s * 1103515245 + 12345) & 0xffffffff
    out[i] = (s >> 16) & 0xff
print(hashlib.sha256(out).hexdigest())
PY
)
t0=$(date +%s.%N)
got=$(ip netns exec "$ns" timeout 60 curl -sS --fail "http://10.91.0.2:8080/bytes/$size" | sha256sum | cut -d' ' -f1)
t1=$(date +%s.%N)
if [ "$got" = "$expect" ]; then
    echo "ok   GET 10 MiB from the stack: sha256 matches ($(python3 -c "print(f'{$size*8/($t1-$t0)/1e6:.0f}')") Mbit/s)"
else
    echo "FAIL GET 10 MiB: sha256 $got, expected $expect"; rc=1
fi
head -c "$size" /dev/urandom >"$work/up.bin"
want=$(sha256sum "$work/up.bin" | cut -d' ' -f1)
t0=$(date +%s.%N)
# A client that reads the echo while it still sends (curl would first send it all, and a
# 10 MiB echo does not fit in the socket buffers meanwhile).
got=$(ip netns exec "$ns" timeout 60 python3 - "$work/up.bin" <<'PY'
import hashlib, socket, sys, threading
body = open(sys.argv[1], "rb").read()
s = socket.create_connection(("10.91.0.2", 8080), timeout=30)
s.sendall(b"POST /echo HTTP/1.0\r\nContent-Length: %d\r\n\r\n" % len(body))
got = bytearray()
def reader():
    while True:
        b = s.recv(1 << 16)
        if not b:
            break
        got.extend(b)
t = threading.Thread(target=reader); t.start()
s.sendall(body); t.join()
print(hashlib.sha256(bytes(got[got.find(b"\r\n\r\n") + 4:])).hexdigest())
PY
)
t1=$(date +%s.%N)
if [ "$got" = "$want" ]; then
    echo "ok   POST 10 MiB to the stack and back: sha256 matches ($(python3 -c "print(f'{2*$size*8/($t1-$t0)/1e6:.0f}')") Mbit/s both ways)"
else
    echo "FAIL POST 10 MiB echo: sha256 $got, expected $want"; rc=1
fi
page=$(ip netns exec "$ns" timeout 10 curl -sS "http://10.91.0.2:8080/")
case "$page" in *"hello from"*) echo "ok   GET / answers";; *) echo "FAIL GET /: $page"; rc=1;; esac
exit $rc
