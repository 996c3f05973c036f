#!/usr/bin/env python3
"""Kernel-side peer for the behaviour tests: the Linux kernel's own sockets, driven from
the namespace a test made. Each command prints "ready" (once it listens, where that
matters) and then one line per observation, so the C test reading this output through
popen() prints it at a point of its choosing and outputs stay deterministic.

  listen PORT ACTION...       TCP server, one connection; ACTIONs run in order:
                                send:TEXT  sendn:BYTES  recv  recvall  echo  shut  close  rst  sleep:SEC
                                expect-eof  count   (count: read to EOF, print byte count)
  listen6 PORT ACTION...      the same on IPv6 (any address)
  connect HOST PORT ACTION... TCP client; same ACTIONs
  connect-many HOST PORT N    N clients connect at once, each sends its number and
                              prints what it gets back, sorted
  udp-echo PORT [N]           echo N datagrams (default 1) back to their sender
  udp-recv PORT N             print N datagrams received (length, text); stops at the first
                              10-second wait that brings none
  udp-send HOST PORT TEXT...  one datagram per TEXT ("@N" = N bytes of 'x'), from port 40000
  udp-burst HOST PORT N       N datagrams "0".."N-1" back to back, then prints "sent N"
  udp-recv-group GROUP PORT   join GROUP on tap0, print one datagram
  sniff SECONDS WHAT          capture on tap0 and count frames: igmp, mld, tcp-keepalive
                              PORT MIN, tcp-rst, tcp-segments PORT MIN, igmp-leave; or print the TTL
                              of the first data segment from PORT: tcp-ttl PORT
  ping6 ADDR                  ICMPv6 echoes from the kernel: prints "ping6 ok" or "ping6 failed"
  radvd PREFIX SECONDS        a router (radvd) advertising PREFIX::/64 (autonomous, on-link,
                              valid 600 s, preferred 300 s) on tap0 for SECONDS; the kernel
                              takes PREFIX::1
"""
import os
import select
import socket
import struct
import subprocess
import sys
import tempfile
import time


def say(*a):
    print(*a, flush=True)


def run_actions(c, actions):
    for a in actions:
        if a.startswith("send:"):
            c.sendall(a[5:].encode())
        elif a.startswith("sendn:"):
            c.settimeout(10)
            c.sendall(b"n" * int(a[6:]))
        elif a == "recv":
            c.settimeout(5)
            try:
                say("recv", repr(c.recv(65536).decode(errors="replace")))
            except Exception as e:
                say("recv error", type(e).__name__)
        elif a == "recvall" or a == "count":
            c.settimeout(10)
            data = b""
            try:
                while True:
                    b = c.recv(65536)
                    if not b:
                        break
                    data += b
                say("got", len(data) if a == "count" else repr(data.decode(errors="replace")))
            except Exception as e:
                say("recvall error", type(e).__name__, len(data))
        elif a == "echo":
            c.settimeout(10)
            while True:
                b = c.recv(65536)
                if not b:
                    break
                c.sendall(b)
        elif a == "expect-eof":
            c.settimeout(5)
            try:
                b = c.recv(1)
                say("eof" if not b else "data")
            except ConnectionResetError:
                say("reset")
            except Exception as e:
                say("eof error", type(e).__name__)
        elif a == "shut":
            c.shutdown(socket.SHUT_WR)
        elif a == "close":
            c.close()
            return
        elif a == "rst":
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            c.close()
            return
        elif a.startswith("sleep:"):
            time.sleep(float(a[6:]))
        else:
            raise SystemExit("unknown action " + a)
    c.close()


def tcp_listen(fam, port, actions):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", port))
    s.listen(8)
    say("ready")
    s.settimeout(15)
    c, _ = s.accept()
    run_actions(c, actions)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd in ("listen", "listen6"):
        tcp_listen(socket.AF_INET6 if cmd == "listen6" else socket.AF_INET, int(args[0]), args[1:])
    elif cmd == "connect":
        host, port = args[0], int(args[1])
        try:
            c = socket.create_connection((host, port), timeout=10)
        except Exception as e:
            say("connect error", type(e).__name__)
            return
        say("connected")
        run_actions(c, args[2:])
    elif cmd == "connect-many":
        host, port, n = args[0], int(args[1]), int(args[2])
        conns = []
        for i in range(n):
            c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            c.setblocking(False)
            c.connect_ex((host, port))
            conns.append(c)
        got = {}
        deadline = time.time() + 20
        pending = {c: str(i) for i, c in enumerate(conns)}
        sent = set()
        while pending and time.time() < deadline:
            _, w, _ = select.select([], [c for c in pending if c not in sent], [], 0.2)
            for c in w:
                if c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    c.send(pending[c].encode())
                    sent.add(c)
            r, _, _ = select.select(list(sent & set(pending)), [], [], 0.2)
            for c in r:
                try:
                    got[pending[c]] = c.recv(100).decode()
                except Exception as e:
                    got[pending[c]] = type(e).__name__
                del pending[c]
        say("answers", len(got), "of", n, "all-echoed" if all(got.get(str(i)) == str(i) for i in range(n)) else repr(got))
    elif cmd == "udp-echo":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", int(args[0])))
        say("ready")
        s.settimeout(10)
        for _ in range(int(args[1]) if len(args) > 1 else 1):
            d, a = s.recvfrom(70000)
            s.sendto(d, a)
    elif cmd == "udp-recv":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", int(args[0])))
        say("ready")
        s.settimeout(10)
        for _ in range(int(args[1])):
            try:
                d, a = s.recvfrom(70000)
                say("datagram", len(d), repr(d[:40].decode(errors="replace")))
            except Exception as e:
                say("udp-recv error", type(e).__name__)
                break
    elif cmd == "udp-send":
        host, port = args[0], int(args[1])
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", 40000))
        for t in args[2:]:
            data = b"x" * int(t[1:]) if t.startswith("@") else t.encode()
            s.sendto(data, (host, port))
            time.sleep(0.05)
    elif cmd == "udp-burst":
        host, port, n = args[0], int(args[1]), int(args[2])
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for i in range(n):
            s.sendto(str(i).encode(), (host, port))
        say("sent", n)
    elif cmd == "udp-recv-group":
        group, port = args[0], int(args[1])
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        mreq = socket.inet_aton(group) + socket.inet_aton("0.0.0.0")
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
        say("ready")
        s.settimeout(10)
        try:
            d, a = s.recvfrom(2000)
            say("group datagram", repr(d.decode()))
        except Exception as e:
            say("group error", type(e).__name__)
    elif cmd == "ping6":
        r = subprocess.run(["ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", args[0]], capture_output=True)
        say("ping6", "ok" if r.returncode == 0 else "failed")
    elif cmd == "radvd":
        run_radvd(args[0], float(args[1]))
    elif cmd == "sniff":
        sniff(float(args[0]), args[1], args[2:])
    else:
        raise SystemExit("unknown command " + cmd)


def run_radvd(prefix, seconds):
    subprocess.run(["ip", "-6", "addr", "add", prefix + "::1/64", "dev", "tap0", "nodad"], check=True)
    # radvd only advertises from a router.
    with open("/proc/sys/net/ipv6/conf/all/forwarding", "w") as f:
        f.write("1")
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    conf.write("interface tap0 {\n AdvSendAdvert on;\n MinRtrAdvInterval 3;\n MaxRtrAdvInterval 4;\n"
               " AdvDefaultLifetime 60;\n prefix %s::/64 {\n  AdvOnLink on;\n  AdvAutonomous on;\n"
               "  AdvValidLifetime 600;\n  AdvPreferredLifetime 300;\n };\n};\n" % prefix)
    conf.close()
    pid = conf.name + ".pid"
    r = subprocess.Popen(["radvd", "-n", "-C", conf.name, "-p", pid, "-m", "stderr"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    say("ready" if r.poll() is None else "radvd failed")
    try:
        r.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        r.terminate()
        r.wait()
    for f in (conf.name, pid):
        if os.path.exists(f):
            os.unlink(f)


def sniff(seconds, what, extra):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.bind(("tap0", 0))
    say("ready")
    end = time.time() + seconds
    count = 0
    while time.time() < end:
        r, _, _ = select.select([s], [], [], max(0.0, end - time.time()))
        if not r:
            break
        f, addr = s.recvfrom(65536)
        if addr[2] == socket.PACKET_OUTGOING:
            continue  # sent by the kernel, not the stack
        eth = struct.unpack("!H", f[12:14])[0]
        if what == "igmp" and eth == 0x0800 and f[23] == 2:
            count += 1
        elif what == "igmp-leave" and eth == 0x0800 and f[23] == 2 and f[14 + (f[14] & 0x0F) * 4] == 0x17:
            count += 1
        elif what == "mld" and eth == 0x86DD:
            nh, off = f[20], 54
            if nh == 0:  # hop-by-hop options header
                nh, off = f[54], 54 + (f[55] + 1) * 8
            if nh == 58 and f[off] in (131, 143):
                count += 1
        elif what.startswith("tcp") and eth == 0x0800 and f[23] == 6:
            ihl = (f[14] & 0x0F) * 4
            t = 14 + ihl
            sport = struct.unpack("!H", f[t:t + 2])[0]
            flags = f[t + 13]
            doff = (f[t + 12] >> 4) * 4
            payload = struct.unpack("!H", f[16:18])[0] - ihl - doff
            if what == "tcp-rst" and flags & 0x04:
                count += 1
            elif what == "tcp-keepalive" and sport == int(extra[0]) and payload <= 1 and flags == 0x10:
                count += 1
            elif what == "tcp-segments" and sport == int(extra[0]) and payload > 0:
                count += 1
            elif what == "tcp-ttl" and sport == int(extra[0]) and payload > 0:
                say("ttl", f[22])
                return
    if what in ("tcp-keepalive", "tcp-segments"):
        # Timer granularity differs between stacks: report the behaviour, not the count.
        lo = int(extra[1]) if len(extra) > 1 else 1
        say(what, "at least", lo, "yes" if count >= lo else "no (%d)" % count)
        return
    if what == "igmp-leave":
        say(what, "leave sent" if count else "no leave")
        return
    if what in ("igmp", "mld"):
        # How often a stack repeats its unsolicited report varies; that one went out counts.
        say(what, "reports sent" if count else "no report")
    else:
        say(what, "frames", count)


if __name__ == "__main__":
    main()
