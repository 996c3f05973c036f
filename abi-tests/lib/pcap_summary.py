#!/usr/bin/env python3
"""Summarise a pcap file (Ethernet link type) written by SMOLWIP_PCAP.

Prints one line: frame count, largest frame, and counts per kind (arp, ipv4, ipv6,
icmp-echo-request/-reply, icmpv6-echo-request/-reply, icmpv6-nd, tcp, udp).
With --require KIND[:MINSIZE] ... exits 1 unless each KIND appears (in a frame of at least
MINSIZE bytes, when given)."""
import struct
import sys
from collections import Counter


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24 or struct.unpack("<I", data[:4])[0] != 0xA1B2C3D4:
        raise SystemExit(f"{path}: not a little-endian pcap file")
    if struct.unpack("<I", data[20:24])[0] != 1:
        raise SystemExit(f"{path}: link type is not Ethernet")
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        yield data[off + 16:off + 16 + incl]
        off += 16 + incl


def kinds(frame):
    out = []
    if len(frame) < 14:
        return out
    ethertype = struct.unpack(">H", frame[12:14])[0]
    ip = frame[14:]
    if ethertype == 0x0806:
        out.append("arp")
    elif ethertype == 0x0800 and len(ip) >= 20:
        out.append("ipv4")
        proto, ihl = ip[9], (ip[0] & 15) * 4
        if proto == 1 and len(ip) > ihl:
            out.append({8: "icmp-echo-request", 0: "icmp-echo-reply"}.get(ip[ihl], "icmp"))
        out.append({6: "tcp", 17: "udp"}.get(proto, ""))
    elif ethertype == 0x86DD and len(ip) >= 40:
        out.append("ipv6")
        if ip[6] == 58 and len(ip) > 40:
            t = ip[40]
            out.append({128: "icmpv6-echo-request", 129: "icmpv6-echo-reply"}.get(
                t, "icmpv6-nd" if 133 <= t <= 137 else "icmpv6"))
        out.append({6: "tcp", 17: "udp"}.get(ip[6], ""))
    return [k for k in out if k]


def main():
    args = sys.argv[1:]
    path = args.pop(0)
    required = args[args.index("--require") + 1:] if "--require" in args else []
    count, biggest, per_kind, biggest_of = 0, 0, Counter(), Counter()
    for fr in frames(path):
        count += 1
        biggest = max(biggest, len(fr))
        for k in kinds(fr):
            per_kind[k] += 1
            biggest_of[k] = max(biggest_of[k], len(fr))
    print(f"{count} frames, largest {biggest} bytes: "
          + ", ".join(f"{k} {n}" for k, n in sorted(per_kind.items())))
    missing = []
    for req in required:
        kind, _, size = req.partition(":")
        if per_kind[kind] == 0 or (size and biggest_of[kind] < int(size)):
            missing.append(req)
    if missing:
        print("missing: " + " ".join(missing))
        sys.exit(1)


main()
