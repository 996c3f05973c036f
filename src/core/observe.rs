//! Observability beyond lwIP: per-interface and per-protocol counters, and a pcap capture
//! of every frame (`SMOLWIP_PCAP=/path/file.pcap`). `SMOLWIP_STATS=1` dumps the counters
//! to stderr at exit.

/// Frame direction, as seen from the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
}

/// Counters of one interface.
#[derive(Default, Clone, Copy)]
pub struct IfStats {
    pub rx_frames: u64,
    pub rx_bytes: u64,
    pub rx_dropped: u64,
    pub tx_frames: u64,
    pub tx_bytes: u64,
    pub tx_dropped: u64,
}

/// Per-protocol packet counters, in and out (all interfaces).
#[derive(Default, Clone, Copy)]
pub struct ProtoStats {
    pub arp: [u64; 2],
    pub ipv4: [u64; 2],
    pub ipv6: [u64; 2],
    pub icmp: [u64; 2],
    pub icmpv6: [u64; 2],
    pub tcp: [u64; 2],
    pub udp: [u64; 2],
    pub igmp: [u64; 2],
}

static PROTO: crate::sys::os::SpinLock<ProtoStats> = crate::sys::os::SpinLock::new(ProtoStats {
    arp: [0; 2], ipv4: [0; 2], ipv6: [0; 2], icmp: [0; 2], icmpv6: [0; 2], tcp: [0; 2], udp: [0; 2], igmp: [0; 2],
});

pub fn proto_stats() -> ProtoStats {
    *PROTO.lock()
}

impl IfStats {
    pub fn count(&mut self, dir: Direction, frame: &[u8], ethernet: bool) {
        match dir {
            Direction::In => {
                self.rx_frames += 1;
                self.rx_bytes += frame.len() as u64;
            }
            Direction::Out => {
                self.tx_frames += 1;
                self.tx_bytes += frame.len() as u64;
            }
        }
        count_protocols(dir, frame, ethernet);
    }
}

fn count_protocols(dir: Direction, frame: &[u8], ethernet: bool) {
    let d = (dir == Direction::Out) as usize;
    let (ethertype, ip) = if ethernet {
        if frame.len() < 14 {
            return;
        }
        (u16::from_be_bytes([frame[12], frame[13]]), &frame[14..])
    } else {
        match frame.first().map(|b| b >> 4) {
            Some(4) => (0x0800, frame),
            Some(6) => (0x86dd, frame),
            _ => return,
        }
    };
    let mut s = PROTO.lock();
    let transport = match ethertype {
        0x0806 => {
            s.arp[d] += 1;
            None
        }
        0x0800 if ip.len() >= 20 => {
            s.ipv4[d] += 1;
            Some(ip[9])
        }
        0x86dd if ip.len() >= 40 => {
            s.ipv6[d] += 1;
            Some(ip[6])
        }
        _ => None,
    };
    match transport {
        Some(1) => s.icmp[d] += 1,
        Some(2) => s.igmp[d] += 1,
        Some(6) => s.tcp[d] += 1,
        Some(17) => s.udp[d] += 1,
        Some(58) => s.icmpv6[d] += 1,
        _ => {}
    }
}

#[cfg(target_os = "linux")]
mod pcap {
    use super::Direction;
    use alloc::vec::Vec;
    use core::ffi::c_int;

    /// The capture file's descriptor (-1: none), opened on first use.
    static FILE: crate::sys::os::Once<crate::sys::os::SpinLock<c_int>> = crate::sys::os::Once::new();

    const LINKTYPE_ETHERNET: u32 = 1;

    fn write_all(fd: c_int, mut data: &[u8]) -> bool {
        while !data.is_empty() {
            // SAFETY: valid buffer.
            let n = unsafe { libc::write(fd, data.as_ptr().cast(), data.len()) };
            if n <= 0 {
                return false;
            }
            data = &data[n as usize..];
        }
        true
    }

    fn open() -> c_int {
        let Some(path) = crate::ffi::getenv(c"SMOLWIP_PCAP") else { return -1 };
        let mut cpath = Vec::with_capacity(path.len() + 1);
        cpath.extend_from_slice(path);
        cpath.push(0);
        let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC;
        // SAFETY: NUL-terminated path.
        let fd = unsafe { libc::open(cpath.as_ptr().cast(), flags, 0o644) };
        if fd < 0 {
            crate::ffi::eprint("smolwip: cannot create the SMOLWIP_PCAP file\n");
            return -1;
        }
        // pcap global header: magic, version 2.4, zone, sigfigs, snaplen, linktype.
        let mut h = Vec::with_capacity(24);
        h.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
        h.extend_from_slice(&2u16.to_le_bytes());
        h.extend_from_slice(&4u16.to_le_bytes());
        h.extend_from_slice(&0u32.to_le_bytes());
        h.extend_from_slice(&0u32.to_le_bytes());
        h.extend_from_slice(&65535u32.to_le_bytes());
        h.extend_from_slice(&LINKTYPE_ETHERNET.to_le_bytes());
        if write_all(fd, &h) { fd } else { -1 }
    }

    pub fn capture(_dir: Direction, frame: &[u8], ethernet: bool) {
        let file = FILE.call_once(|| crate::sys::os::SpinLock::new(open()));
        let fd = file.lock();
        if *fd < 0 {
            return;
        }
        // IP-level interfaces get a synthetic Ethernet header so one file holds everything.
        let mut rec = Vec::with_capacity(frame.len() + 30);
        let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: valid out-pointer.
        unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut now) };
        let len = frame.len() + if ethernet { 0 } else { 14 };
        rec.extend_from_slice(&(now.tv_sec as u32).to_le_bytes());
        rec.extend_from_slice(&((now.tv_nsec / 1000) as u32).to_le_bytes());
        rec.extend_from_slice(&(len as u32).to_le_bytes());
        rec.extend_from_slice(&(len as u32).to_le_bytes());
        if !ethernet {
            let ethertype: u16 = if frame.first().map(|b| b >> 4) == Some(6) { 0x86dd } else { 0x0800 };
            rec.extend_from_slice(&[0u8; 12]);
            rec.extend_from_slice(&ethertype.to_be_bytes());
        }
        rec.extend_from_slice(frame);
        write_all(*fd, &rec);
    }
}

/// Record a frame in the pcap file, when `SMOLWIP_PCAP` names one.
pub fn capture(dir: Direction, frame: &[u8], ethernet: bool) {
    #[cfg(target_os = "linux")]
    pcap::capture(dir, frame, ethernet);
    #[cfg(not(target_os = "linux"))]
    let _ = (dir, frame, ethernet);
}

/// One interface's counters with its lwIP name ("tp0"; "lo" for the internal loopback).
pub struct NamedStats {
    pub name: [u8; 8],
    pub stats: IfStats,
}

/// Snapshot the counters of every interface (core lock taken; None if it is not free within
/// ~100 ms, e.g. at exit while the tcpip thread is stopped inside it).
pub fn snapshot() -> Option<alloc::vec::Vec<NamedStats>> {
    let s = super::stack();
    let mut tries = 0;
    while !s.core.try_lock() {
        tries += 1;
        if tries > 100 {
            return None;
        }
        crate::sys::os::sleep_ms(1);
    }
    let out = super::with(|inner| {
        inner
            .netifs
            .iter()
            .map(|n| {
                let mut name = [0u8; 8];
                if n.netif.is_null() {
                    name[..2].copy_from_slice(b"lo");
                } else {
                    // SAFETY: live netif (listed in the stack).
                    let (nm, num) = unsafe { ((*n.netif).name, (*n.netif).num) };
                    let text = alloc::format!("{}{}{}", nm[0] as u8 as char, nm[1] as u8 as char, num);
                    let len = text.len().min(7);
                    name[..len].copy_from_slice(&text.as_bytes()[..len]);
                }
                NamedStats { name, stats: *n.device.stats() }
            })
            .collect()
    })
    .ok();
    s.core.unlock();
    out
}

/// Print every counter to stderr (SMOLWIP_STATS=1 at exit, or smolwip_stats_dump()).
pub fn dump() {
    let ifs = snapshot().unwrap_or_default();
    for n in ifs {
        let name = core::str::from_utf8(&n.name).unwrap_or("?").trim_end_matches('\0');
        let s = n.stats;
        crate::ffi::eprint(&alloc::format!(
            "smolwip stats: {name} rx {} frames {} bytes {} dropped, tx {} frames {} bytes {} dropped\n",
            s.rx_frames, s.rx_bytes, s.rx_dropped, s.tx_frames, s.tx_bytes, s.tx_dropped
        ));
    }
    let p = proto_stats();
    crate::ffi::eprint(&alloc::format!(
        "smolwip stats: in/out arp {}/{} ipv4 {}/{} ipv6 {}/{} icmp {}/{} icmpv6 {}/{} igmp {}/{} tcp {}/{} udp {}/{}; rx queue drops {}\n",
        p.arp[0], p.arp[1], p.ipv4[0], p.ipv4[1], p.ipv6[0], p.ipv6[1], p.icmp[0], p.icmp[1],
        p.icmpv6[0], p.icmpv6[1], p.igmp[0], p.igmp[1], p.tcp[0], p.tcp[1], p.udp[0], p.udp[1],
        super::stack().rx_dropped()
    ));
}

/// Register the exit-time dump when SMOLWIP_STATS=1.
pub fn init_from_env() {
    #[cfg(target_os = "linux")]
    if crate::ffi::getenv(c"SMOLWIP_STATS") == Some(b"1") {
        extern "C" fn at_exit() {
            dump();
        }
        // SAFETY: registering a plain extern "C" function.
        unsafe { libc::atexit(at_exit) };
    }
}
