//! smoltcp devices over lwIP drivers, and the internal loopback device.
//!
//! Receive: frames arrive as pbufs (from `tcpip_input`) or as a driver's own buffers
//! (ESP-NETIF's `esp_netif_receive`), see [`Frame`]; a single-segment frame is handed to
//! smoltcp in place, a pbuf chain is gathered into a scratch buffer first.
//! Transmit: smoltcp writes into a fresh PBUF_RAM pbuf that goes to the driver's
//! `linkoutput` (Ethernet netifs) or `output` / `output_ip6` (IP-level netifs), exactly the
//! calls lwIP makes, with the core lock held as in lwIP.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::ffi::c_void;

use smoltcp::phy::{self, Checksum, ChecksumCapabilities, DeviceCapabilities, Medium};
use smoltcp::time::Instant;

use super::observe::{self, Direction};
use crate::abi::{c, ip4_addr_t, ip6_addr_t, netif, pbuf};

/// The loopback interface's MTU. Hosts: large enough to move bulk data in few packets,
/// small enough that one segment never exceeds a receive window (a 64 KiB MTU stalls IPv6
/// TCP in smoltcp). Firmware: the size it reassembles, since a UDP or RAW socket that
/// receives over loopback keeps room for one loopback packet (`conn::dgram`), and RAM is
/// what counts.
pub const LOOPBACK_MTU: usize = if cfg!(target_os = "none") { smoltcp::config::REASSEMBLY_BUFFER_SIZE } else { 16384 };

pub enum Device {
    Netif(NetifDevice),
    Loopback(LoopbackDevice),
}

/// A received frame waiting for smoltcp. Dropping it gives the memory back: a pbuf is
/// freed, a driver's buffer is handed to the driver's release function (exactly once,
/// whether the frame was processed or dropped).
pub enum Frame {
    Pbuf(*mut pbuf),
    Lent(Lent),
    /// Read by the tcpip thread itself into one of its recycled buffers (`fdpoll`).
    #[cfg(target_os = "linux")]
    Read(super::fdpoll::RxBuf),
}

/// A driver's receive buffer, lent to the stack until the frame has been processed.
pub struct Lent {
    pub data: *const u8,
    pub len: usize,
    pub release: unsafe extern "C" fn(*mut c_void, *mut c_void),
    pub handle: *mut c_void,
    pub buffer: *mut c_void,
}

impl Frame {
    /// The frame's first contiguous part (all of it but for a pbuf chain), which holds
    /// every header the stack peeks at.
    fn head(&self) -> &[u8] {
        match self {
            // SAFETY: we own the pbuf; payload/len describe valid memory.
            Frame::Pbuf(p) => unsafe { core::slice::from_raw_parts((**p).payload as *const u8, (**p).len as usize) },
            // SAFETY: the driver lent `len` readable bytes at `data` until release.
            Frame::Lent(l) => unsafe { core::slice::from_raw_parts(l.data, l.len) },
            #[cfg(target_os = "linux")]
            Frame::Read(b) => b.bytes(),
        }
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        match self {
            // SAFETY: the pbuf is ours to free.
            Frame::Pbuf(p) => unsafe {
                crate::pbuf::pbuf_free(*p);
            },
            // SAFETY: the driver's release function with the handle and buffer it gave.
            Frame::Lent(l) => unsafe { (l.release)(l.handle, l.buffer) },
            // The buffer goes back to its pool when the RxBuf drops.
            #[cfg(target_os = "linux")]
            Frame::Read(_) => {}
        }
    }
}

pub struct NetifDevice {
    netif: *mut netif,
    ethernet: bool,
    rx: VecDeque<Frame>,
    scratch: Vec<u8>,
    pub stats: observe::IfStats,
}

#[derive(Default)]
pub struct LoopbackDevice {
    queue: VecDeque<Vec<u8>>,
    pub stats: observe::IfStats,
}

impl NetifDevice {
    pub fn new(netif: *mut netif, ethernet: bool) -> Self {
        NetifDevice { netif, ethernet, rx: VecDeque::new(), scratch: Vec::new(), stats: Default::default() }
    }

    fn flags(&self) -> u8 {
        // SAFETY: the netif is caller-owned and stays valid while added.
        unsafe { (*self.netif).flags }
    }

    fn mtu(&self) -> usize {
        // SAFETY: as in flags().
        let mtu = unsafe { (*self.netif).mtu } as usize;
        if mtu == 0 { 1500 } else { mtu }
    }
}

impl Device {
    pub fn push_rx(&mut self, frame: Frame) {
        match self {
            Device::Netif(d) => d.rx.push_back(frame),
            Device::Loopback(_) => drop(frame),
        }
    }

    pub fn has_rx(&self) -> bool {
        match self {
            Device::Netif(d) => !d.rx.is_empty(),
            Device::Loopback(d) => !d.queue.is_empty(),
        }
    }

    /// The next received frame, as smoltcp will see it, without taking it; `ethernet` says
    /// whether it starts with an Ethernet header. Frames of a netif that is down are
    /// dropped here (and counted), as lwIP drops input on a down netif.
    pub fn peek_rx(&mut self) -> Option<(&[u8], bool)> {
        match self {
            Device::Netif(d) => {
                if d.flags() & c::NETIF_FLAG_UP == 0 {
                    d.stats.rx_dropped += d.rx.len() as u64;
                    d.rx.clear();
                    return None;
                }
                Some((d.rx.front()?.head(), d.ethernet))
            }
            Device::Loopback(d) => d.queue.front().map(|f| (f.as_slice(), false)),
        }
    }

    /// Drop the next received frame unseen by smoltcp (a SYN beyond a listen backlog).
    pub fn drop_rx(&mut self) {
        match self {
            Device::Netif(d) => {
                if d.rx.pop_front().is_some() {
                    d.stats.rx_dropped += 1;
                }
            }
            Device::Loopback(d) => {
                if d.queue.pop_front().is_some() {
                    d.stats.rx_dropped += 1;
                }
            }
        }
    }

    pub fn stats(&self) -> &observe::IfStats {
        match self {
            Device::Netif(d) => &d.stats,
            Device::Loopback(d) => &d.stats,
        }
    }

    /// Free every queued frame (interface removal).
    pub fn drain(&mut self) {
        if let Device::Netif(d) = self {
            d.rx.clear();
        }
    }
}

// The receive path hands smoltcp a receive token and a reply token that share the device's
// statistics block; smoltcp consumes them one after the other, never at once, so both hold
// a raw pointer to it (valid: the device outlives its tokens).
pub enum Rx<'a> {
    Frame { frame: Frame, scratch: &'a mut Vec<u8>, stats: *mut observe::IfStats, ethernet: bool },
    Owned { frame: Vec<u8>, stats: *mut observe::IfStats },
}

pub enum Tx<'a> {
    Netif { netif: *mut netif, ethernet: bool, stats: *mut observe::IfStats },
    Loopback { queue: &'a mut VecDeque<Vec<u8>>, stats: *mut observe::IfStats },
}

impl phy::Device for Device {
    type RxToken<'a> = Rx<'a> where Self: 'a;
    type TxToken<'a> = Tx<'a> where Self: 'a;

    fn receive(&mut self, _ts: Instant) -> Option<(Rx<'_>, Tx<'_>)> {
        match self {
            Device::Netif(d) => {
                // peek_rx has dropped the queue if the netif is down.
                let frame = d.rx.pop_front()?;
                let (netif, ethernet, stats) = (d.netif, d.ethernet, &raw mut d.stats);
                Some((Rx::Frame { frame, scratch: &mut d.scratch, stats, ethernet }, Tx::Netif { netif, ethernet, stats }))
            }
            Device::Loopback(d) => {
                let frame = d.queue.pop_front()?;
                let stats = &raw mut d.stats;
                Some((Rx::Owned { frame, stats }, Tx::Loopback { queue: &mut d.queue, stats }))
            }
        }
    }

    fn transmit(&mut self, _ts: Instant) -> Option<Tx<'_>> {
        match self {
            Device::Netif(d) => {
                let up = c::NETIF_FLAG_UP | c::NETIF_FLAG_LINK_UP;
                if d.flags() & up != up {
                    return None;
                }
                Some(Tx::Netif { netif: d.netif, ethernet: d.ethernet, stats: &raw mut d.stats })
            }
            Device::Loopback(d) => Some(Tx::Loopback { queue: &mut d.queue, stats: &raw mut d.stats }),
        }
    }

    fn capabilities(&self) -> DeviceCapabilities {
        let mut caps = DeviceCapabilities::default();
        match self {
            Device::Netif(d) => {
                caps.medium = if d.ethernet { Medium::Ethernet } else { Medium::Ip };
                caps.max_transmission_unit = if d.ethernet { d.mtu() + 14 } else { d.mtu() };
            }
            Device::Loopback(_) => {
                caps.medium = Medium::Ip;
                caps.max_transmission_unit = LOOPBACK_MTU;
                // Loopback packets never leave memory: skip computing and checking checksums.
                let mut cs = ChecksumCapabilities::ignored();
                cs.ipv4 = Checksum::Both;
                caps.checksum = cs;
            }
        }
        caps.max_burst_size = None;
        caps
    }
}

/// # Safety
/// `stats` comes from a token of a live device (see `Rx`).
unsafe fn stats_of<'a>(stats: *mut observe::IfStats) -> &'a mut observe::IfStats {
    // SAFETY: caller contract.
    unsafe { &mut *stats }
}

impl phy::RxToken for Rx<'_> {
    fn consume<R, F: FnOnce(&[u8]) -> R>(self, f: F) -> R {
        match self {
            Rx::Frame { frame, scratch, stats, ethernet } => {
                // SAFETY: see `Rx`.
                let stats = unsafe { stats_of(stats) };
                let bytes: &[u8] = match &frame {
                    // SAFETY: we own p; a chain is gathered, a single segment used in place.
                    Frame::Pbuf(p) if unsafe { !(**p).next.is_null() && (**p).len != (**p).tot_len } => unsafe {
                        let p = *p;
                        scratch.clear();
                        scratch.resize((*p).tot_len as usize, 0);
                        let n = crate::pbuf::pbuf_copy_partial(p, scratch.as_mut_ptr() as *mut _, (*p).tot_len, 0);
                        &scratch[..n as usize]
                    },
                    _ => frame.head(),
                };
                stats.count(Direction::In, bytes, ethernet);
                observe::capture(Direction::In, bytes, ethernet);
                f(bytes)
                // `frame` is dropped here: the pbuf freed or the driver's buffer released.
            }
            Rx::Owned { frame, stats } => {
                // SAFETY: see `Rx`.
                unsafe { stats_of(stats) }.count(Direction::In, &frame, false);
                f(&frame)
            }
        }
    }
}

impl phy::TxToken for Tx<'_> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, len: usize, f: F) -> R {
        match self {
            Tx::Loopback { queue, stats } => {
                // SAFETY: see `Rx`.
                let stats = unsafe { stats_of(stats) };
                let mut frame = alloc::vec![0u8; len];
                let r = f(&mut frame);
                stats.count(Direction::Out, &frame, false);
                queue.push_back(frame);
                r
            }
            Tx::Netif { netif, ethernet, stats } => {
                // SAFETY: see `Rx`.
                let stats = unsafe { stats_of(stats) };
                // SAFETY: pbuf_alloc returns NULL or a PBUF_RAM pbuf with len contiguous bytes.
                let p = unsafe { crate::pbuf::pbuf_alloc(c::PBUF_RAW as _, len as u16, c::PBUF_RAM as _) };
                if p.is_null() {
                    stats.tx_dropped += 1;
                    let mut sink = alloc::vec![0u8; len];
                    return f(&mut sink);
                }
                // SAFETY: p is a fresh single pbuf of len bytes.
                let frame = unsafe { core::slice::from_raw_parts_mut((*p).payload as *mut u8, len) };
                // smoltcp leaves a byte or two of some frames unwritten (valgrind caught one in
                // an IGMP report): never send what the heap held before.
                frame.fill(0);
                let r = f(frame);
                stats.count(Direction::Out, frame, ethernet);
                observe::capture(Direction::Out, frame, ethernet);
                let err = send_to_driver(netif, p, frame, ethernet);
                if err != c::ERR_OK {
                    stats.tx_dropped += 1;
                }
                // SAFETY: the driver took its own reference if it keeps the pbuf (lwIP's rule).
                unsafe { crate::pbuf::pbuf_free(p) };
                r
            }
        }
    }
}

/// Hand one outgoing packet to the driver the way lwIP does.
fn send_to_driver(nif: *mut netif, p: *mut pbuf, frame: &[u8], ethernet: bool) -> crate::abi::err_t {
    // SAFETY: nif is a live caller-owned netif; its function pointers were set by its driver.
    unsafe {
        if ethernet {
            return match (*nif).linkoutput {
                Some(out) => out(nif, p),
                None => c::ERR_IF,
            };
        }
        match frame.first().map(|b| b >> 4) {
            #[cfg(lwip = "ipv4")]
            Some(4) if frame.len() >= 20 => {
                let mut dst = ip4_addr_t::default();
                dst.addr = u32::from_ne_bytes([frame[16], frame[17], frame[18], frame[19]]);
                match (*nif).output {
                    Some(out) => out(nif, p, &dst),
                    None => c::ERR_IF,
                }
            }
            #[cfg(lwip = "ipv6")]
            Some(6) if frame.len() >= 40 => {
                let mut dst = ip6_addr_t::default();
                for (i, word) in dst.addr.iter_mut().enumerate() {
                    let o = 24 + i * 4;
                    *word = u32::from_ne_bytes([frame[o], frame[o + 1], frame[o + 2], frame[o + 3]]);
                }
                match (*nif).output_ip6 {
                    Some(out) => out(nif, p, &dst),
                    None => c::ERR_IF,
                }
            }
            _ => c::ERR_VAL,
        }
    }
}
