//! Frame sources the tcpip thread reads itself (Linux hosts): a driver that owns a file
//! descriptor delivering one frame per `read` (the TAP driver) registers it here, and the
//! tcpip thread sleeps in `ppoll` on those descriptors plus an eventfd that [`Stack::wake`]
//! writes. A frame then reaches smoltcp without a reader thread handing it over, which saves
//! a thread wake-up per received packet (the largest part of a request/response round trip
//! on a host), and a burst of frames is read in one go.
//!
//! Busy polling: waking a sleeping thread costs tens of microseconds on a virtual machine
//! (the wake-up crosses the hypervisor), more than the stack's own work for a small
//! packet. After a round that had work, the thread first keeps looking at its descriptors
//! for a short while ([`BUSY_POLL_DEFAULT_US`], `SMOLWIP_BUSY_POLL_US`), yielding the CPU
//! between looks, and only then sleeps: a reply that comes back within that time is read
//! without a wake-up. This is Linux's `busy_read` idea applied to the TAP descriptor. It is
//! off on a single CPU, where looking would only delay whoever has to send the reply, and
//! after rounds without work (a timer tick), so an idle stack never spins.
//!
//! Frames are read into buffers that go back to a small pool once smoltcp has processed
//! them ([`RxBuf`]), instead of a heap block per frame: allocating and freeing took about
//! a tenth of the instructions of a bulk receive (callgrind).
//!
//! [`Stack::wake`]: super::Stack::wake

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::ffi::{c_int, c_void};

use crate::abi::netif;
use crate::sys::os::SpinLock;

/// Frames read from one source per loop round before the rest of the stack gets a turn.
const BATCH: usize = 64;
/// Receive buffer per frame: an Ethernet frame of any MTU a TAP is likely to carry.
const FRAME_MAX: usize = 2048;
/// Buffers kept for reuse: one batch's worth.
const POOL_MAX: usize = BATCH;

/// Receive buffers not in use. Taken by the tcpip thread, given back wherever a frame is
/// dropped (always with the core lock held, so the lock is never contended).
static POOL: SpinLock<Vec<Box<[u8; FRAME_MAX]>>> = SpinLock::new(Vec::new());

/// One frame read from a descriptor, in a pooled buffer.
pub struct RxBuf {
    buf: Option<Box<[u8; FRAME_MAX]>>,
    len: usize,
}

impl RxBuf {
    fn take() -> Box<[u8; FRAME_MAX]> {
        POOL.lock().pop().unwrap_or_else(|| Box::new([0; FRAME_MAX]))
    }

    pub fn bytes(&self) -> &[u8] {
        self.buf.as_deref().map_or(&[], |b| &b[..self.len])
    }
}

impl Drop for RxBuf {
    fn drop(&mut self) {
        if let Some(b) = self.buf.take() {
            let mut pool = POOL.lock();
            if pool.len() < POOL_MAX {
                pool.push(b);
            }
        }
    }
}
/// How long the thread keeps looking before it sleeps, by default: the value Linux's
/// documentation suggests for `net.core.busy_read`. Request/response gaps on a host are
/// shorter than this; a round trip measured on a 2-CPU virtual machine fell from 60 to
/// 26 µs with it, while 20 µs was too short to catch the reply.
pub const BUSY_POLL_DEFAULT_US: u64 = 50;
/// Upper bound for `SMOLWIP_BUSY_POLL_US`.
const BUSY_POLL_MAX_US: u64 = 10_000;

/// The busy-poll window for this process: `SMOLWIP_BUSY_POLL_US` (microseconds, 0 turns it
/// off, capped at [`BUSY_POLL_MAX_US`]), else [`BUSY_POLL_DEFAULT_US`] when the process may
/// run on more than one CPU, else 0.
fn busy_poll_us() -> u64 {
    if let Some(v) = crate::ffi::getenv(c"SMOLWIP_BUSY_POLL_US") {
        // Decimal digits only (no sign, no spaces): a plain loop, not str::parse's code.
        let digits = !v.is_empty() && v.len() <= 9 && v.iter().all(u8::is_ascii_digit);
        if digits {
            let us = v.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            return us.min(BUSY_POLL_MAX_US);
        }
        crate::ffi::eprint("smolwip: SMOLWIP_BUSY_POLL_US is not a number of microseconds; using the default\n");
    }
    // SAFETY: a zeroed cpu_set_t is a valid empty set; the call fills it.
    let cpus = unsafe {
        let mut set: libc::cpu_set_t = core::mem::zeroed();
        if libc::sched_getaffinity(0, core::mem::size_of::<libc::cpu_set_t>(), &mut set) == 0 {
            libc::CPU_COUNT(&set)
        } else {
            1
        }
    };
    if cpus > 1 { BUSY_POLL_DEFAULT_US } else { 0 }
}

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
pub struct Poller {
    generation: u64,
    sources: Vec<Source>,
    fds: Vec<libc::pollfd>,
    /// A receive buffer left over from a read that found nothing.
    spare: Option<Box<[u8; FRAME_MAX]>>,
    /// Descriptors that failed (device gone): never polled again.
    dead: Vec<c_int>,
    /// Busy-poll window (µs) after a round with work; 0: sleep at once.
    busy_poll_us: u64,
}

impl Poller {
    pub fn new() -> Self {
        Poller {
            generation: 0,
            sources: Vec::new(),
            fds: Vec::new(),
            spare: None,
            dead: Vec::new(),
            busy_poll_us: busy_poll_us(),
        }
    }

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
    /// (`Some(0)`: do not sleep, just look). `after_work`: the last round had work, so
    /// busy-poll first (see the module's documentation).
    pub fn wait(&mut self, deadline_us: Option<u64>, after_work: bool) {
        if after_work && self.busy_poll_us > 0 && deadline_us != Some(0) {
            let now = crate::sys::os::now_us();
            let end = now + self.busy_poll_us;
            let until = deadline_us.map_or(end, |d| d.min(end));
            if self.look_until(until) {
                return;
            }
            if deadline_us.is_some_and(|d| d <= until) {
                return;
            }
        }
        let ts;
        let timeout = match deadline_us {
            None => core::ptr::null(),
            Some(d) => {
                let left = d.saturating_sub(crate::sys::os::now_us());
                ts = libc::timespec { tv_sec: (left / 1_000_000) as _, tv_nsec: ((left % 1_000_000) * 1_000) as _ };
                &raw const ts
            }
        };
        self.poll(timeout);
    }

    /// Look at the descriptors without sleeping, yielding the CPU between looks, until one
    /// is ready (true) or `until_us` passes (false).
    fn look_until(&mut self, until_us: u64) -> bool {
        let zero = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        loop {
            if self.poll(&raw const zero) {
                return true;
            }
            if crate::sys::os::now_us() >= until_us {
                return false;
            }
            // SAFETY: plain syscall. Another runnable thread on this CPU (the application,
            // the peer) goes first; with none, this returns at once.
            unsafe { libc::sched_yield() };
        }
    }

    /// One `ppoll` with `timeout` (null: none); true when something is ready.
    fn poll(&mut self, timeout: *const libc::timespec) -> bool {
        // SAFETY: fds is a valid array of pollfd; timeout is null or a valid timespec.
        let n = unsafe { libc::ppoll(self.fds.as_mut_ptr(), self.fds.len() as _, timeout, core::ptr::null()) };
        if n <= 0 {
            for f in self.fds.iter_mut() {
                f.revents = 0;
            }
            return false;
        }
        if self.fds[0].revents != 0 {
            let mut count: u64 = 0;
            // SAFETY: 8-byte read from our non-blocking eventfd.
            unsafe { libc::read(self.fds[0].fd, (&raw mut count).cast::<c_void>(), 8) };
        }
        true
    }

    /// Read what the last `wait` found readable, into `out` as (netif, frame) pairs.
    pub fn read_ready(&mut self, out: &mut alloc::collections::VecDeque<(*mut netif, super::Frame)>) {
        for (i, src) in self.sources.iter().enumerate() {
            let pfd = &mut self.fds[i + 1];
            if core::mem::take(&mut pfd.revents) == 0 {
                continue;
            }
            for _ in 0..BATCH {
                let mut buf = self.spare.take().unwrap_or_else(RxBuf::take);
                // SAFETY: buf is ours with FRAME_MAX writable bytes.
                let n = unsafe { libc::read(src.fd, buf.as_mut_ptr().cast::<c_void>(), FRAME_MAX) };
                if n <= 0 {
                    self.spare = Some(buf);
                    let e = crate::ffi::errno();
                    if n < 0 && e != libc::EAGAIN && e != libc::EWOULDBLOCK && e != libc::EINTR {
                        // The device went away: stop polling it rather than spin on POLLERR.
                        self.dead.push(src.fd);
                    }
                    break;
                }
                out.push_back((src.netif, super::Frame::Read(RxBuf { buf: Some(buf), len: n as usize })));
            }
        }
        if !self.dead.is_empty() {
            let dead = &self.dead;
            self.sources.retain(|s| !dead.contains(&s.fd));
            self.fds.retain(|f| !dead.contains(&f.fd));
        }
    }
}
