//! Frame sources the tcpip thread reads itself (Linux hosts): a driver that owns a file
//! descriptor delivering one frame per `read` (the TAP driver) registers it here, and the
//! tcpip thread sleeps in `ppoll` on those descriptors plus an eventfd that [`Stack::wake`]
//! writes. A frame then reaches smoltcp without a reader thread handing it over, which saves
//! a thread wake-up per received packet (the largest part of a request/response round trip
//! on a host), and a burst of frames is read in one go.
//!
//! [`Stack::wake`]: super::Stack::wake

use alloc::vec::Vec;
use core::ffi::{c_int, c_void};

use crate::abi::{c, netif, pbuf};

/// Frames read from one source per loop round before the rest of the stack gets a turn.
const BATCH: usize = 64;
/// Receive buffer per frame: an Ethernet frame of any MTU a TAP is likely to carry.
const FRAME_MAX: u16 = 2048;

/// One registered descriptor and the interface its frames belong to.
#[derive(Clone, Copy)]
pub struct Source {
    pub fd: c_int,
    pub netif: *mut netif,
}

/// The registered sources and the wake-up eventfd; kept in the mailbox (under its lock).
pub struct Sources {
    pub list: Vec<Source>,
    /// Bumped on every change, so the tcpip thread knows to rebuild its poll set.
    pub generation: u64,
    /// The eventfd [`Stack::wake`](super::Stack::wake) writes while the thread is in `ppoll`.
    pub wake_fd: c_int,
    /// The tcpip thread is (about to be) blocked in `ppoll`.
    pub polling: bool,
}

impl Default for Sources {
    fn default() -> Self {
        Sources { list: Vec::new(), generation: 0, wake_fd: -1, polling: false }
    }
}

impl Sources {
    /// Register `fd` (made non-blocking) for `nif`. False if no eventfd can be had, in which
    /// case the driver keeps reading by itself.
    pub fn add(&mut self, fd: c_int, nif: *mut netif) -> bool {
        if self.wake_fd < 0 {
            // SAFETY: plain syscall.
            let efd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
            if efd < 0 {
                return false;
            }
            self.wake_fd = efd;
        }
        // SAFETY: fcntl on a descriptor the driver handed over.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
                return false;
            }
        }
        self.list.push(Source { fd, netif: nif });
        self.generation += 1;
        true
    }

    /// Forget the sources of a removed interface (the driver still owns the descriptor).
    pub fn remove_netif(&mut self, nif: *mut netif) {
        let before = self.list.len();
        self.list.retain(|s| s.netif != nif);
        if self.list.len() != before {
            self.generation += 1;
        }
    }

    /// Wake the tcpip thread out of `ppoll`. Called with the mailbox lock held.
    pub fn notify(&mut self) {
        if self.polling {
            self.polling = false;
            let one: u64 = 1;
            // SAFETY: 8-byte write to our eventfd; a full counter (EAGAIN) still wakes.
            unsafe { libc::write(self.wake_fd, (&raw const one).cast::<c_void>(), 8) };
        }
    }
}

/// The tcpip thread's private copy of the poll set.
#[derive(Default)]
pub struct Poller {
    generation: u64,
    sources: Vec<Source>,
    fds: Vec<libc::pollfd>,
    /// A receive buffer left over from a read that found nothing.
    spare: Option<*mut pbuf>,
    /// Descriptors that failed (device gone): never polled again.
    dead: Vec<c_int>,
}

impl Poller {
    /// Refresh the copy when the registered set changed. Mailbox lock held by the caller.
    pub fn sync(&mut self, sources: &Sources) {
        if self.generation == sources.generation && !self.fds.is_empty() {
            return;
        }
        self.generation = sources.generation;
        self.sources = sources.list.iter().filter(|s| !self.dead.contains(&s.fd)).copied().collect();
        self.fds.clear();
        self.fds.push(libc::pollfd { fd: sources.wake_fd, events: libc::POLLIN, revents: 0 });
        self.fds.extend(self.sources.iter().map(|s| libc::pollfd { fd: s.fd, events: libc::POLLIN, revents: 0 }));
    }

    pub fn active(&self) -> bool {
        !self.sources.is_empty()
    }

    /// Sleep until a source is readable, the eventfd is written or `deadline_us` passes
    /// (`Some(0)`: do not sleep, just look).
    pub fn wait(&mut self, deadline_us: Option<u64>) {
        let ts;
        let timeout = match deadline_us {
            None => core::ptr::null(),
            Some(d) => {
                let left = d.saturating_sub(crate::sys::os::now_us());
                ts = libc::timespec { tv_sec: (left / 1_000_000) as _, tv_nsec: ((left % 1_000_000) * 1_000) as _ };
                &raw const ts
            }
        };
        // SAFETY: fds is a valid array of pollfd; timeout is null or a valid timespec.
        let n = unsafe { libc::ppoll(self.fds.as_mut_ptr(), self.fds.len() as _, timeout, core::ptr::null()) };
        if n <= 0 {
            for f in self.fds.iter_mut() {
                f.revents = 0;
            }
            return;
        }
        if self.fds[0].revents != 0 {
            let mut count: u64 = 0;
            // SAFETY: 8-byte read from our non-blocking eventfd.
            unsafe { libc::read(self.fds[0].fd, (&raw mut count).cast::<c_void>(), 8) };
        }
    }

    /// Read what the last `wait` found readable, into `out` as (netif, frame) pairs.
    pub fn read_ready(&mut self, out: &mut alloc::collections::VecDeque<(*mut netif, super::Frame)>) {
        for (i, src) in self.sources.iter().enumerate() {
            let pfd = &mut self.fds[i + 1];
            if core::mem::take(&mut pfd.revents) == 0 {
                continue;
            }
            for _ in 0..BATCH {
                let p = match self.spare.take() {
                    Some(p) => p,
                    // SAFETY: plain allocation; a single contiguous PBUF_RAM segment.
                    None => unsafe { crate::pbuf::pbuf_alloc(c::PBUF_RAW as _, FRAME_MAX, c::PBUF_RAM as _) },
                };
                if p.is_null() {
                    break;
                }
                // SAFETY: p is ours with FRAME_MAX writable bytes at payload.
                let n = unsafe { libc::read(src.fd, (*p).payload, FRAME_MAX as usize) };
                if n <= 0 {
                    self.spare = Some(p);
                    let e = crate::ffi::errno();
                    if n < 0 && e != libc::EAGAIN && e != libc::EWOULDBLOCK && e != libc::EINTR {
                        // The device went away: stop polling it rather than spin on POLLERR.
                        self.dead.push(src.fd);
                    }
                    break;
                }
                // SAFETY: shrink the fresh pbuf to the frame; ownership goes to the stack.
                unsafe { crate::pbuf::pbuf_realloc(p, n as u16) };
                out.push_back((src.netif, super::Frame::Pbuf(p)));
            }
        }
        if !self.dead.is_empty() {
            let dead = &self.dead;
            self.sources.retain(|s| !dead.contains(&s.fd));
            self.fds.retain(|f| !dead.contains(&f.fd));
        }
    }
}
