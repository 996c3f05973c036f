#!/usr/bin/env python3
"""make bench: smolwip against real lwIP, side by side, in one run on this machine.

The same C program (bench/stackbench.c) is compiled once and linked twice: against the
reference lwIP (Debian's 2.1.3 source package, built by bench/build_reference.sh) and
against build/liblwip.a. Each runs on a TAP device (MTU 1500) in a namespace made here,
with the Linux kernel as the peer (bench/kpeer.c); runs alternate between the two
libraries. A veth pair between two namespaces, kernel to kernel, gives the ceiling.

Writes bench/results/latest.{md,json,svg}. QUICK=1 (or --quick): smaller and once.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(TOP, "build")
WORK = os.path.join(BUILD, "bench")
RESULTS = os.environ.get("BENCH_RESULTS") or os.path.join(TOP, "bench", "results")
QUICK = "--quick" in sys.argv or os.environ.get("QUICK", "") not in ("", "0")
PREFIX = "10.98.0"
STACK = PREFIX + ".2"
KERNEL = PREFIX + ".1"
LIBS = ["lwip", "smolwip"]
MIB = 1 << 20
# UDP sockets bound for the "heap per bound UDP socket" row.
UDP_IDLE = 64


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---- building ----------------------------------------------------------------------------

def build():
    os.makedirs(WORK, exist_ok=True)
    log("bench: building smolwip and the reference lwIP")
    subprocess.run(["make", "-C", TOP, "--no-print-directory", "build"], check=True, stdout=subprocess.DEVNULL)
    ref = sh(os.path.join(TOP, "bench", "build_reference.sh"), os.path.join(WORK, "ref")).strip()
    cflags = sh("pkg-config", "--cflags", "lwip").split()
    obj = os.path.join(WORK, "stackbench.o")
    sh("cc", "-O2", "-c", "-Wall", *cflags, os.path.join(TOP, "bench", "stackbench.c"), "-o", obj)
    sh("cc", obj, ref, "-lpthread", "-o", os.path.join(WORK, "stackbench.lwip"))
    sh("cc", obj, os.path.join(BUILD, "liblwip.a"), "-lpthread", "-lm",
       "-o", os.path.join(WORK, "stackbench.smolwip"))
    sh("cc", "-O2", "-Wall", os.path.join(TOP, "bench", "kpeer.c"), "-o", os.path.join(WORK, "kpeer"))
    return ref


# ---- namespaces and processes --------------------------------------------------------------

class Net:
    """A namespace whose tap0 is the kernel's end (PREFIX.1/24), MTU 1500."""

    def __init__(self):
        self.ns = "smolwip-bench-%d" % os.getpid()
        subprocess.run(["ip", "netns", "del", self.ns], stderr=subprocess.DEVNULL)
        sh("ip", "netns", "add", self.ns)
        sh("ip", "-n", self.ns, "link", "set", "lo", "up")
        sh("ip", "-n", self.ns, "tuntap", "add", "dev", "tap0", "mode", "tap")
        sh("ip", "-n", self.ns, "addr", "add", KERNEL + "/24", "dev", "tap0")
        sh("ip", "-n", self.ns, "link", "set", "tap0", "mtu", "1500", "up")

    def cmd(self, *args):
        return ["ip", "netns", "exec", self.ns, *args]

    def close(self):
        subprocess.run(["ip", "netns", "del", self.ns], stderr=subprocess.DEVNULL)


class Veth:
    """Kernel to kernel: namespaces a (PREFIX.1) and b (PREFIX.2) joined by a veth pair,
    with the offloads a TAP device does not have turned off (segmentation, GRO, checksums),
    so the kernel, like the stacks, moves MTU-sized frames it checksums itself."""

    def __init__(self):
        self.a, self.b = "smolwip-bench-a-%d" % os.getpid(), "smolwip-bench-b-%d" % os.getpid()
        for ns in (self.a, self.b):
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
            sh("ip", "netns", "add", ns)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "link", "add", "sbveth0", "netns", self.a, "type", "veth", "peer", "sbveth1", "netns", self.b)
        sh("ip", "-n", self.a, "addr", "add", KERNEL + "/24", "dev", "sbveth0")
        sh("ip", "-n", self.b, "addr", "add", STACK + "/24", "dev", "sbveth1")
        for ns, dev in ((self.a, "sbveth0"), (self.b, "sbveth1")):
            sh("ip", "-n", ns, "link", "set", dev, "mtu", "1500", "up")
            sh("ip", "netns", "exec", ns, "ethtool", "-K", dev, "tso", "off", "gso", "off", "gro", "off",
               "tx", "off", "rx", "off")

    def close(self):
        for ns in (self.a, self.b):
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)


class Proc:
    """A background process; waits for its "ready" line."""

    def __init__(self, argv, env=None, ready=True):
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True,
                                  env={**os.environ, **(env or {})})
        if ready:
            line = self.p.stdout.readline()
            if "ready" not in line:
                raise RuntimeError("%s did not start: %r" % (argv, line))

    def result(self, timeout=120):
        try:
            out, _ = self.p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            out, _ = self.p.communicate()
        return out

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.communicate()


def stack(net, lib, *args, wrap=(), env=None):
    return Proc(net.cmd(*wrap, os.path.join(WORK, "stackbench." + lib), PREFIX, *args),
                env={"PRECONFIGURED_TAPIF": "tap0", **(env or {})})


# callgrind counts every iteration of x86's `rep movsb` / `rep stosb` as one instruction,
# so glibc's memcpy/memset, which switch to them above about 2 KiB, would be charged one
# instruction per byte for large copies and a vector loop's fraction of that for small
# ones. Both libraries are measured with glibc kept on its vector loops, which is also what
# an embedded CPU's memcpy costs look like.
CALLGRIND_ENV = {"GLIBC_TUNABLES": "glibc.cpu.x86_rep_movsb_threshold=4294967295:"
                                   "glibc.cpu.x86_rep_stosb_threshold=4294967295"}


# The environment that turns smolwip's busy polling off (README, "Environment variables").
NO_BUSY_POLL = {"SMOLWIP_BUSY_POLL_US": "0"}


def kpeer(ns_cmd, *args, ready=False):
    return Proc(ns_cmd(os.path.join(WORK, "kpeer"), *map(str, args)), ready=ready)


def num(pattern, text):
    m = re.search(pattern, text)
    if not m:
        raise RuntimeError("no %r in %r" % (pattern, text))
    return float(m.group(1))


# ---- scenarios ----------------------------------------------------------------------------

def tcp_tx(net, lib, size):
    k = kpeer(net.cmd, "recv", 9001, size, ready=True)
    s = stack(net, lib, "tx", KERNEL, "9001", str(size))
    out = k.result()
    s.result()
    if "sha256 ok" not in out:
        raise RuntimeError("stack->kernel transfer failed its sha256 check: " + out)
    return num(r"mbps ([\d.]+)", out)


def tcp_rx(net, lib, size, mode="rx"):
    s = stack(net, lib, mode, "9002", str(size))
    kpeer(net.cmd, "send", STACK, 9002, size).result()
    out = s.result()
    if " ok " not in out:
        raise RuntimeError("kernel->stack transfer failed its check: " + out)
    return num(r"mbps ([\d.]+)", out)


def cpu_seconds(pid):
    """User + system CPU time of a process so far (`ip netns exec` execs the stack, so the
    Popen pid is the stack's)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rr(net, lib, size, count, env=None, cpu=None):
    """p50 and p99 in us; with a `cpu` dict, also the stack's CPU time per round trip (us)
    and its CPU use while serving them (CPUs)."""
    s = stack(net, lib, "echo", "9003", env=env)
    c0, t0 = cpu_seconds(s.p.pid), time.time()
    out = kpeer(net.cmd, "rr", STACK, 9003, size, count).result()
    c1, t1 = cpu_seconds(s.p.pid), time.time()
    s.kill()
    if cpu is not None:
        cpu["per_rt"], cpu["use"] = (c1 - c0) / count * 1e6, (c1 - c0) / (t1 - t0)
    return num(r"p50 ([\d.]+)", out), num(r"p99 ([\d.]+)", out)


def rr_idle(net, lib, n_idle, count):
    """The 1-byte round trip while n_idle other connections to the stack sit idle."""
    s = stack(net, lib, "echo", "9003", str(n_idle))
    k = Proc(net.cmd(os.path.join(WORK, "kpeer"), "idle", STACK, "9003", str(n_idle)), ready=False)
    k.p.stdout.readline()
    out = kpeer(net.cmd, "rr", STACK, 9003, 1, count).result()
    k.p.stdin.close()
    k.p.wait(timeout=30)
    s.kill()
    return num(r"p50 ([\d.]+)", out)


def cps(net, lib, secs):
    s = stack(net, lib, "cps", "9004")
    out = kpeer(net.cmd, "cps", STACK, 9004, secs).result()
    s.kill()
    return num(r"cps ([\d.]+)", out)


def udp_rx(net, lib, count):
    s = stack(net, lib, "udp-sink", "9005", "30")
    out_k = kpeer(net.cmd, "udp-send", STACK, 9005, 512, count).result()
    out = s.result()
    got = num(r"received (\d+)", out)
    return num(r"pps ([\d.]+)", out), 1 - got / num(r"sent (\d+)", out_k)


def udp_tx(net, lib, count):
    k = kpeer(net.cmd, "udp-recv", 9006, 512, 30, ready=True)
    s = stack(net, lib, "udp-source", KERNEL, "9006", "512", str(count))
    out_s = s.result()
    out = k.result()
    got = num(r"received (\d+)", out)
    return num(r"pps ([\d.]+)", out), 1 - got / count, num(r"sent (\d+)", out_s)


def instructions(net, lib, size):
    out_file = os.path.join(WORK, "callgrind.%s.%d" % (lib, size))
    s = stack(net, lib, "rx-discard", "9007", str(size), env=CALLGRIND_ENV,
              wrap=("valgrind", "--tool=callgrind", "--callgrind-out-file=" + out_file, "--quiet"))
    kpeer(net.cmd, "send", STACK, 9007, size).result(timeout=600)
    s.result(timeout=600)
    with open(out_file) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise RuntimeError("no callgrind summary in " + out_file)


def idle(net, lib, n):
    s = stack(net, lib, "idle", "9008", str(n))
    k = Proc(net.cmd(os.path.join(WORK, "kpeer"), "idle", STACK, "9008", str(n)), ready=False)
    line = s.p.stdout.readline()
    for p in (k, s):
        p.p.stdin.close()
        p.p.stdout.read()
        p.p.wait(timeout=30)
    return num(r"heap (-?\d+)", line), num(r"rss_kib (-?\d+)", line)


def udp_idle(net, lib, n):
    out = stack(net, lib, "udp-idle", "9400", str(n)).result(timeout=60)
    if "heap" not in out:
        raise RuntimeError("udp-idle failed: " + out)
    return num(r"heap (-?\d+)", out), num(r"rss_kib (-?\d+)", out)


def code_size(path):
    out = sh("size", path).splitlines()[1].split()
    return int(out[0]) + int(out[1]) + int(out[2])


# ---- the run -------------------------------------------------------------------------------

def stats(samples):
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "samples": samples}


def main():
    if os.geteuid() != 0:
        sys.exit("make bench needs root (network namespaces)")
    for tool in ("valgrind", "size"):
        if shutil.which(tool) is None:
            sys.exit("make bench needs %s (scripts/deps.sh bench installs it)" % tool)
    ref_archive = build()
    reps = 1 if QUICK else 5
    bulk = (16 if QUICK else 256) * MIB
    rr_count = 2000 if QUICK else 20000
    rr_idle_conns = 64 if QUICK else 256
    cps_secs = 1 if QUICK else 3
    udp_count = 20000 if QUICK else 200000
    cg_sizes = (1 * MIB, 4 * MIB) if QUICK else (4 * MIB, 20 * MIB)
    idle_counts = (1, 64) if QUICK else (1, 64, 256)
    t_start = time.time()
    rows = []
    samples = {}

    def add(key, lib, value):
        samples.setdefault(key, {l: [] for l in LIBS})[lib].append(value)

    net = Net()
    try:
        for rep in range(reps):
            order = LIBS if rep % 2 == 0 else LIBS[::-1]
            for lib in order:
                log("bench: round %d/%d, %s" % (rep + 1, reps, lib))
                add("tcp_tx", lib, tcp_tx(net, lib, bulk))
                add("tcp_rx", lib, tcp_rx(net, lib, bulk))
                add("nc_rx", lib, tcp_rx(net, lib, bulk, "nc-rx"))
                cpu = {}
                p50, p99 = rr(net, lib, 1, rr_count, cpu=cpu)
                add("rr1_p50", lib, p50)
                add("rr1_p99", lib, p99)
                add("rr1_cpu", lib, cpu["per_rt"])
                add("rr1_cpu_use", lib, cpu["use"])
                p50, p99 = rr(net, lib, 1024, rr_count)
                add("rr1k_p50", lib, p50)
                add("rr1k_p99", lib, p99)
                # smolwip's tcpip thread busy-polls by default (README); the same round trip
                # without it (lwIP ignores the variable and is measured again alongside)
                add("rr1_p50_nobusy", lib, rr(net, lib, 1, rr_count, env=NO_BUSY_POLL)[0])
                add("rr1_p50_idle", lib, rr_idle(net, lib, rr_idle_conns, rr_count))
                add("cps", lib, cps(net, lib, cps_secs))
                pps, loss = udp_rx(net, lib, udp_count)
                add("udp_rx", lib, pps)
                add("udp_rx_loss", lib, loss * 100)
                pps, loss, _ = udp_tx(net, lib, udp_count)
                add("udp_tx", lib, pps)
                add("udp_tx_loss", lib, loss * 100)
        for lib in LIBS:
            log("bench: instruction counts (callgrind), %s" % lib)
            small, large = (instructions(net, lib, n) for n in cg_sizes)
            add("instr_per_mib", lib, (large - small) / ((cg_sizes[1] - cg_sizes[0]) / MIB))
            for n in idle_counts:
                heap, rss = idle(net, lib, n)
                add("heap_idle_%d" % n, lib, heap / n)
                add("rss_idle_%d" % n, lib, rss / n)
            heap, rss = udp_idle(net, lib, UDP_IDLE)
            add("heap_udp", lib, heap / UDP_IDLE)
            add("rss_udp", lib, rss / UDP_IDLE)
    finally:
        net.close()

    ceiling = {}
    try:
        log("bench: kernel-to-kernel ceiling over veth")
        v = Veth()
        a = lambda *args: ["ip", "netns", "exec", v.a, *args]
        b = lambda *args: ["ip", "netns", "exec", v.b, *args]
        k = kpeer(a, "recv", 9101, bulk, ready=True)
        kpeer(b, "send", KERNEL, 9101, bulk).result()
        ceiling["tcp_tx"] = ceiling["tcp_rx"] = ceiling["nc_rx"] = num(r"mbps ([\d.]+)", k.result())
        for size, key in ((1, "rr1"), (1024, "rr1k")):
            e = kpeer(b, "echo", 9102 + size, ready=True)
            out = kpeer(a, "rr", STACK, 9102 + size, size, rr_count).result()
            e.kill()
            ceiling[key + "_p50"], ceiling[key + "_p99"] = num(r"p50 ([\d.]+)", out), num(r"p99 ([\d.]+)", out)
        ceiling["rr1_p50_nobusy"] = ceiling["rr1_p50"]
        srv = kpeer(b, "cps-server", 9110, ready=True)
        ceiling["cps"] = num(r"cps ([\d.]+)", kpeer(a, "cps", STACK, 9110, cps_secs).result())
        srv.kill()
        r = kpeer(b, "udp-recv", 9111, 512, 30, ready=True)
        kpeer(a, "udp-send", STACK, 9111, 512, udp_count).result()
        ceiling["udp_rx"] = ceiling["udp_tx"] = num(r"pps ([\d.]+)", r.result())
        v.close()
    except Exception as e:  # the ceiling is context, not a result
        log("bench: veth ceiling failed: %s" % e)

    sizes = {"lwip": code_size("/usr/lib/x86_64-linux-gnu/liblwip.so.0"), "smolwip": code_size(os.path.join(BUILD, "liblwip.so.0"))}

    defs = [
        # key, label, unit, higher is better, target ratio (smolwip/lwIP), target is a minimum
        ("tcp_tx", "TCP bulk stack->kernel (%d MiB, sha256 checked)" % (bulk // MIB), "Mbit/s", True, 2.0),
        ("tcp_rx", "TCP bulk kernel->stack (%d MiB, checked byte for byte)" % (bulk // MIB), "Mbit/s", True, 2.0),
        ("nc_rx", "netconn bulk receive (netconn_recv)", "Mbit/s", True, None),
        ("rr1_p50", "TCP request/response 1 byte, p50", "us", False, 0.7),
        ("rr1_p99", "TCP request/response 1 byte, p99", "us", False, None),
        ("rr1_cpu", "  CPU time of the stack per 1-byte round trip", "us", False, None),
        ("rr1_cpu_use", "  CPUs the stack kept busy meanwhile (smolwip busy-polls)", "CPUs", False, None),
        ("rr1k_p50", "TCP request/response 1 KiB, p50", "us", False, 0.7),
        ("rr1k_p99", "TCP request/response 1 KiB, p99", "us", False, None),
        ("rr1_p50_nobusy", "TCP request/response 1 byte, p50, smolwip without busy polling", "us", False, None),
        ("rr1_p50_idle", "TCP request/response 1 byte, p50, %d other connections idle" % rr_idle_conns, "us",
         False, None),
        ("cps", "connections/s (connect + request + close)", "conn/s", True, 1.5),
        ("udp_rx", "UDP kernel->stack, 512-byte datagrams", "datagrams/s", True, None),
        ("udp_rx_loss", "  loss", "%", False, None),
        ("udp_tx", "UDP stack->kernel, 512-byte datagrams", "datagrams/s", True, None),
        ("udp_tx_loss", "  loss", "%", False, None),
        ("instr_per_mib", "CPU: instructions per MiB received (callgrind, the application only counts)", "instr/MiB", False, 0.5),
    ]
    for n in idle_counts:
        defs.append(("heap_idle_%d" % n, "heap per idle TCP connection (%d open)" % n, "bytes", False, 1.0))
        defs.append(("rss_idle_%d" % n, "RSS per idle TCP connection (%d open)" % n, "KiB", False, None))
    defs.append(("heap_udp", "heap per bound UDP socket (%d bound)" % UDP_IDLE, "bytes", False, None))
    defs.append(("rss_udp", "RSS per bound UDP socket (%d bound)" % UDP_IDLE, "KiB", False, None))
    for key, label, unit, higher, target in defs:
        s, l = stats(samples[key]["smolwip"]), stats(samples[key]["lwip"])
        ratio = s["median"] / l["median"] if l["median"] else None
        met = None
        if target is not None and ratio is not None:
            met = ratio >= target if higher else ratio <= target
        rows.append({"key": key, "label": label, "unit": unit, "higher_is_better": higher, "smolwip": s, "lwip": l,
                     "ratio": ratio, "target": target, "met": met, "ceiling": ceiling.get(key)})
    ratio = sizes["smolwip"] / sizes["lwip"]
    rows.append({"key": "code_size", "label": "code size .text+.data+.bss (liblwip.so.0)", "unit": "bytes",
                 "higher_is_better": False, "smolwip": stats([sizes["smolwip"]]), "lwip": stats([sizes["lwip"]]),
                 "ratio": ratio, "target": 1.0, "met": ratio <= 1.0, "ceiling": None})

    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "quick": QUICK,
        "repetitions": reps,
        "seconds": round(time.time() - t_start),
        "machine": sh("uname", "-srm").strip(),
        "cpus": os.cpu_count(),
        "reference": "Debian lwIP 2.1.3+dfsg1 source package (apt-get source lwip) with Debian's lwipopts.h, "
                     "built by bench/build_reference.sh at bench time as a static archive, -O2, with "
                     "PBUF_POOL_BUFSIZE=1536 so full-size frames fit its pool pbufs (Debian's binary sizes "
                     "them from glibc's TCP_MSS 512 and corrupts its heap on frames over 592 bytes)",
        "link": "stackbench.c compiled once; linked against the reference archive and against build/liblwip.a",
        "network": "TAP device in a network namespace, MTU 1500, the Linux kernel as the peer; ceiling: "
                   "kernel to kernel over a veth pair with segmentation, GRO and checksum offloads off",
    }
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "latest.json"), "w") as f:
        json.dump({"meta": meta, "rows": rows}, f, indent=1)
    with open(os.path.join(RESULTS, "latest.md"), "w") as f:
        f.write(markdown(meta, rows))
    with open(os.path.join(RESULTS, "latest.svg"), "w") as f:
        f.write(svg(meta, rows))
    print(markdown(meta, rows))


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 1000:
        return "%.0f" % v
    if abs(v) >= 10:
        return "%.1f" % v
    return "%.3g" % v


def markdown(meta, rows):
    out = ["# smolwip vs lwIP 2.1.3 (%s%s)" % (meta["date"], ", QUICK" if meta["quick"] else ""), ""]
    out.append("Median of %d runs, alternating the two libraries; [min-max] in brackets. Ratio = smolwip / lwIP "
               "(above 1 is better for rates, below 1 for times and sizes). %s." % (meta["repetitions"], meta["network"]))
    out.append("")
    out.append("| scenario | unit | smolwip | lwIP | ratio | target | kernel ceiling |")
    out.append("|---|---|---|---|---|---|---|")
    for r in rows:
        s, l = r["smolwip"], r["lwip"]
        spread = lambda x: "%s [%s-%s]" % (fmt(x["median"]), fmt(x["min"]), fmt(x["max"])) if len(x["samples"]) > 1 else fmt(x["median"])
        target = "-" if r["target"] is None else ("%s %.2g %s" % ("≥" if r["higher_is_better"] else "≤", r["target"],
                                                                 "met" if r["met"] else "MISSED"))
        out.append("| %s | %s | %s | %s | %s | %s | %s |" % (r["label"], r["unit"], spread(s), spread(l),
                                                            "-" if r["ratio"] is None else "%.2f" % r["ratio"], target,
                                                            fmt(r["ceiling"])))
    out.append("")
    out.append("Reference: %s. %s. Machine: %s, %d CPUs. Took %d s." % (meta["reference"], meta["link"], meta["machine"],
                                                                       meta["cpus"], meta["seconds"]))
    return "\n".join(out) + "\n"


def svg(meta, rows):
    rows = [r for r in rows if r["ratio"] is not None and not r["label"].startswith("  ")]
    w, bar_h, left = 900, 22, 380
    h = 70 + bar_h * len(rows) + 30
    import math
    lo, hi = math.log10(0.05), math.log10(20)
    x = lambda v: left + (math.log10(max(min(v, 20), 0.05)) - lo) / (hi - lo) * (w - left - 40)
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">' % (w, h),
             '<rect width="100%" height="100%" fill="white"/>',
             '<text x="10" y="20" font-size="15">smolwip / lwIP 2.1.3, same run (%s)%s</text>' % (meta["date"], ", QUICK" if meta["quick"] else ""),
             '<text x="10" y="38" fill="#555">bar: ratio on a log scale; green = better than lwIP; | = target</text>']
    for v in (0.1, 0.5, 1, 2, 5, 10):
        parts.append('<line x1="%.1f" y1="50" x2="%.1f" y2="%d" stroke="%s"/>' % (x(v), x(v), h - 25, "#000" if v == 1 else "#ddd"))
        parts.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%g</text>' % (x(v), h - 10, v))
    for i, r in enumerate(rows):
        y = 55 + i * bar_h
        ratio = r["ratio"]
        better = ratio >= 1 if r["higher_is_better"] else ratio <= 1
        x0, x1 = sorted((x(1), x(ratio)))
        parts.append('<text x="10" y="%d">%s</text>' % (y + 14, r["label"].replace("&", "&amp;").replace("<", "&lt;")))
        parts.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>' % (x0, y + 3, max(x1 - x0, 1), bar_h - 6,
                                                                                 "#3a3" if better else "#c44"))
        parts.append('<text x="%.1f" y="%d" fill="#000">%.2f</text>' % (x1 + 4 if x(ratio) >= x(1) else x0 - 34, y + 14, ratio))
        if r["target"] is not None:
            parts.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#000" stroke-width="2"/>' % (x(r["target"]), y + 1, x(r["target"]), y + bar_h - 1))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    main()
