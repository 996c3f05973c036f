//! The stack: one smoltcp `Interface` + `SocketSet` per network interface, behind lwIP's
//! core lock, driven by the tcpip thread.
//!
//! Why one socket set per interface: smoltcp dispatches every socket of a set through the
//! interface being polled, and its DHCPv4 client needs an Ethernet interface of its own, so
//! a set shared by several interfaces would send packets out of the wrong one. The socket
//! layer routes each connection to one interface, as lwIP's `ip_route` does. TCP sockets
//! are the exception within an interface: each has a set of its own ([`tcpset`]), so the
//! cost of a packet does not grow with the number of connections.
//!
//! Locking: `core` is lwIP's core lock (`LOCK_TCPIP_CORE`, recursive so API calls made with
//! it already held work). The mutable stack state is reached only through [`with`], which
//! also refuses re-entrant borrows instead of aliasing. Drivers never take the core lock to
//! hand in frames: they use the RX queue behind `wake`, which only the tcpip thread drains.

pub mod device;
#[cfg(lwip = "ipv4")]
pub mod dhcp;
#[cfg(target_os = "linux")]
pub mod fdpoll;
#[cfg(lwip = "ipv6")]
pub mod nd;
pub mod observe;
pub mod tcpset;
pub mod timers;

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::cell::{Cell, UnsafeCell};
use core::ffi::c_void;
use crate::sys::atomic::{AtomicBool, AtomicUsize, Ordering};

use smoltcp::iface::{Config, Interface, PollIngressSingleResult, PollResult, SocketSet};
use smoltcp::time::Instant;
use smoltcp::wire::{EthernetAddress, HardwareAddress};

use crate::abi::{self, c, netif, pbuf};
use crate::conn::wire::Peek;
use crate::sys::os::{self, Condvar, Locked, RawMutex};
use device::{Device, Frame, LoopbackDevice, NetifDevice};

/// Frames waiting for the tcpip thread beyond this are dropped (and counted): a driver must
/// never block on the stack. lwIP's tcpip mailbox holds TCPIP_MBOX_SIZE messages.
const RX_QUEUE_LIMIT: usize = if c::TCPIP_MBOX_SIZE > 0 { c::TCPIP_MBOX_SIZE as usize } else { 1024 };

/// The tcpip thread's stack, at least: the profile's TCPIP_THREAD_STACKSIZE is sized for lwIP,
/// and smoltcp's processing needs more (32 KiB is too little on hosts: http_10mib fails).
/// The bound scales with smoltcp's per-interface state (67 KB on hosts, 5.3 KB on firmware);
/// it is not measured more closely, and the firmware margin (16 KiB) not on a board.
const TCPIP_STACK_MIN: usize =
    4 * core::mem::size_of::<Interface>() + if cfg!(target_os = "none") { 16 * 1024 } else { 64 * 1024 };

/// A function the tcpip thread runs for `tcpip_callback` and friends.
#[derive(Clone, Copy)]
pub struct Callback {
    pub function: unsafe extern "C" fn(*mut c_void),
    pub ctx: *mut c_void,
    /// Signalled once the callback has run (`tcpip_callback_wait`).
    pub done: *const os::Semaphore,
}

// SAFETY: the pointers are handed to the tcpip thread exactly as lwIP hands them over.
unsafe impl Send for Callback {}

/// What other threads leave for the tcpip thread.
struct Mailbox {
    rx: VecDeque<(*mut netif, Frame)>,
    callbacks: VecDeque<Callback>,
    pending: bool,
    rx_dropped: u64,
    /// Descriptors the tcpip thread reads frames from itself.
    #[cfg(target_os = "linux")]
    sources: fdpoll::Sources,
}

// SAFETY: the raw pointers are owned by whoever holds the mailbox lock.
unsafe impl Send for Mailbox {}

/// Names an interface of the stack: its caller-owned `struct netif` (null for the internal
/// loopback interface). Stable while the interface exists, unlike its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetifKey(pub *mut netif);

// SAFETY: only compared, or dereferenced by the netif module under the core lock.
unsafe impl Send for NetifKey {}

/// One network interface as the engine sees it.
pub struct NetIf {
    /// The caller-owned lwIP struct (null for the internal loopback interface).
    pub netif: *mut netif,
    /// Boxed and built in place (see [`new_interface`]): it is large, and callers of
    /// netif_add may run on small stacks.
    pub iface: Box<Interface>,
    /// Every socket but TCP ones: UDP, RAW, DHCP, DNS.
    pub sockets: SocketSet<'static>,
    /// TCP sockets, a set each (see [`tcpset`]).
    pub tcp: tcpset::TcpSockets,
    pub device: Device,
    /// The DHCPv4 client's socket, while one runs.
    pub dhcp: Option<smoltcp::iface::SocketHandle>,
    /// Router discovery and address autoconfiguration.
    #[cfg(lwip = "ipv6")]
    pub nd: nd::State,
}

impl NetIf {
    pub fn key(&self) -> NetifKey {
        NetifKey(self.netif)
    }

    pub fn is_loopback(&self) -> bool {
        self.netif.is_null()
    }

    /// lwIP's netif index (`num + 1`); the internal loopback interface has none.
    pub fn index(&self) -> Option<u8> {
        crate::netif::index_of(self.netif)
    }

    /// Up, with its link up (the loopback interface always is).
    pub fn is_up(&self) -> bool {
        self.is_loopback() || crate::netif::is_up_with_link(self.netif)
    }

    /// Let every socket send what it can: the main set, then the TCP sets. Returns whether
    /// any socket sent something or changed state.
    fn egress(&mut self, ts: Instant) -> bool {
        let mut changed = false;
        while self.iface.poll_egress(ts, &mut self.device, &mut self.sockets) == PollResult::SocketStateChanged {
            changed = true;
        }
        changed | self.tcp.egress(&mut self.iface, &mut self.device, ts)
    }

    /// When smoltcp next wants this interface polled (monotonic µs).
    fn poll_at(&mut self, ts: Instant) -> Option<u64> {
        let main = self.iface.poll_at(ts, &self.sockets).map(|at| at.total_micros().max(0) as u64);
        earliest(main, self.tcp.next_deadline())
    }
}

/// The earlier of two deadlines, either of which may be absent.
fn earliest(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Mutable stack state; only reachable through [`with`].
pub struct StackInner {
    pub netifs: Vec<NetIf>,
    pub timers: timers::Timers,
    /// Next value for `netif->num`.
    pub next_num: u8,
    /// Every netconn / socket connection.
    pub conns: crate::conn::Table,
    /// The socket layer's fd table.
    pub fds: crate::sockets::Table,
    #[cfg(lwip = "dns")]
    pub dns: crate::dns::State,
    /// DHCP lease changes waiting to be applied.
    #[cfg(lwip = "ipv4")]
    pub dhcp: dhcp::Updates,
}

pub struct Stack {
    /// lwIP's core lock.
    pub core: RawMutex,
    inner: UnsafeCell<StackInner>,
    borrowed: Cell<bool>,
    mailbox: Locked<Mailbox>,
    wake_cv: Condvar,
    /// Broadcast whenever socket state may have changed; API calls block on it with the
    /// core lock (see [`Stack::wait_for_change`]).
    pub changed: Condvar,
    /// Set once `tcpip_init` started the tcpip thread. Read without the core lock, so a
    /// driver handing in a frame never waits for the stack.
    threaded: AtomicBool,
    /// The tcpip thread's pthread id (0 before it starts): it must never block on itself.
    tcpip_thread: AtomicUsize,
    /// When the tcpip thread will next wake up by itself (monotonic µs, MAX = not before
    /// it is woken), so an API call that changed a deadline wakes it only when needed.
    sleep_until: os::SharedU64,
}

// SAFETY: `inner` and `borrowed` are only touched with `core` held (see `with`).
unsafe impl Sync for Stack {}
// SAFETY: as above.
unsafe impl Send for Stack {}

static STACK: os::Once<Stack> = os::Once::new();

/// The process-wide stack, created on first use.
pub fn stack() -> &'static Stack {
    if let Some(s) = STACK.get() {
        return s;
    }
    let s = STACK.call_once(new_stack);
    observe::init_from_env();
    s
}

fn new_stack() -> Stack {
    // ESP-IDF: socket fds reach us through its VFS (ESP-IDF's port registers in sys_init;
    // the library has no init call every program makes, so the first use does it).
    #[cfg(lwip_fn = "esp_vfs_lwip_sockets_register")]
    // SAFETY: plain C call; the registration only stores function pointers.
    unsafe {
        crate::abi::esp_vfs_lwip_sockets_register()
    };
    Stack {
        core: RawMutex::new(true),
        inner: UnsafeCell::new(StackInner {
            netifs: Vec::new(),
            timers: timers::Timers::default(),
            next_num: 0,
            conns: crate::conn::Table::default(),
            fds: crate::sockets::Table::default(),
            #[cfg(lwip = "dns")]
            dns: crate::dns::State::default(),
            #[cfg(lwip = "ipv4")]
            dhcp: dhcp::Updates::default(),
        }),
        borrowed: Cell::new(false),
        mailbox: Locked::new(Mailbox {
            rx: VecDeque::new(),
            callbacks: VecDeque::new(),
            pending: false,
            rx_dropped: 0,
            #[cfg(target_os = "linux")]
            sources: fdpoll::Sources::default(),
        }),
        wake_cv: Condvar::new(),
        changed: Condvar::new(),
        threaded: AtomicBool::new(false),
        tcpip_thread: AtomicUsize::new(0),
        sleep_until: os::SharedU64::new(u64::MAX),
    }
}

/// Why [`with`] could not lend the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reentered;

/// Run `f` on the stack state with the core lock held. A call from inside another `with`
/// on the same thread (a driver callback calling back into the API) gets `Reentered`.
pub fn with<R>(f: impl FnOnce(&mut StackInner) -> R) -> Result<R, Reentered> {
    let s = stack();
    s.core.lock();
    if s.borrowed.get() {
        s.core.unlock();
        return Err(Reentered);
    }
    s.borrowed.set(true);
    // Release on every exit path (a panic in a test unwinds through here).
    struct Release(&'static Stack);
    impl Drop for Release {
        fn drop(&mut self) {
            self.0.borrowed.set(false);
            self.0.core.unlock();
        }
    }
    let _release = Release(s);
    // SAFETY: core lock held and no other borrow is live (flag checked above).
    Ok(f(unsafe { &mut *s.inner.get() }))
}

pub fn now() -> Instant {
    Instant::from_micros(os::now_us() as i64)
}

impl Stack {
    /// Wake the tcpip thread (new work, or a deadline that may have moved).
    pub fn wake(&self) {
        let mut mb = self.mailbox.lock();
        self.notify(&mut mb);
    }

    /// Mark work pending and wake the tcpip thread wherever it sleeps. Mailbox lock held.
    fn notify(&self, mb: &mut Mailbox) {
        mb.pending = true;
        #[cfg(target_os = "linux")]
        mb.sources.notify();
        self.wake_cv.notify_one();
    }

    /// Let the tcpip thread read `nif`'s frames from `fd` itself (see [`fdpoll`]). False
    /// when it cannot (no tcpip thread, or no eventfd): the driver then reads by itself.
    #[cfg(target_os = "linux")]
    pub fn add_frame_source(&self, fd: core::ffi::c_int, nif: *mut netif) -> bool {
        if !self.threaded.load(Ordering::Acquire) {
            return false;
        }
        let mut mb = self.mailbox.lock();
        let added = mb.sources.add(fd, nif);
        self.notify(&mut mb);
        added
    }

    /// Stop reading frames for a removed interface.
    pub fn remove_frame_sources(&self, nif: *mut netif) {
        #[cfg(target_os = "linux")]
        self.mailbox.lock().sources.remove_netif(nif);
        #[cfg(not(target_os = "linux"))]
        let _ = nif;
    }

    /// Queue a received frame for the tcpip thread. Never blocks: when the queue is full
    /// (TCPIP_MBOX_SIZE frames, as lwIP's tcpip mailbox) the frame comes back, counted.
    pub fn queue_rx(&self, nif: *mut netif, frame: Frame) -> Result<(), Frame> {
        let mut mb = self.mailbox.lock();
        if mb.rx.len() >= RX_QUEUE_LIMIT {
            mb.rx_dropped += 1;
            return Err(frame);
        }
        mb.rx.push_back((nif, frame));
        self.notify(&mut mb);
        Ok(())
    }

    /// Queue a callback for the tcpip thread. `limit` bounds the queue (try_callback).
    pub fn queue_callback(&self, cb: Callback, limit: Option<usize>) -> bool {
        let mut mb = self.mailbox.lock();
        if limit.is_some_and(|l| mb.callbacks.len() >= l) {
            return false;
        }
        mb.callbacks.push_back(cb);
        self.notify(&mut mb);
        true
    }

    pub fn rx_dropped(&self) -> u64 {
        self.mailbox.lock().rx_dropped
    }

    /// Block the caller (who holds the core lock exactly once) until socket state may have
    /// changed or `deadline_us` passes. Returns false on time-out.
    pub fn wait_for_change(&self, deadline_us: Option<u64>) -> bool {
        self.changed.wait_raw(&self.core, deadline_us)
    }

    /// Wake the threads blocked in [`block_on`] so they look again: for API calls that
    /// change a conn another thread may wait on (close, shutdown, delete). Call after the
    /// change was made under the core lock.
    pub fn wake_waiters(&self) {
        self.changed.notify_all();
    }

    /// The tcpip thread's loop: drain the mailbox, poll every interface, run due timers,
    /// sleep until the earliest smoltcp/timer deadline or new work. No fixed-interval polling.
    pub fn run(&self) -> ! {
        self.tcpip_thread.store(os::current_thread() as usize, Ordering::Release);
        #[cfg(target_os = "linux")]
        let mut poller = fdpoll::Poller::new();
        loop {
            let (frames, callbacks) = {
                let mut mb = self.mailbox.lock();
                mb.pending = false;
                (core::mem::take(&mut mb.rx), core::mem::take(&mut mb.callbacks))
            };
            #[cfg(target_os = "linux")]
            let frames = {
                let mut frames = frames;
                poller.read_ready(&mut frames);
                frames
            };
            #[cfg(target_os = "linux")]
            let had_work = !frames.is_empty() || !callbacks.is_empty();

            self.core.lock();
            for cb in callbacks {
                run_callback(cb);
            }
            let _ = with(|inner| inner.deliver_rx(frames));
            let deadline = service(self);
            self.sleep_until.store(deadline.unwrap_or(u64::MAX));
            self.core.unlock();

            let mut mb = self.mailbox.lock();
            #[cfg(target_os = "linux")]
            {
                poller.sync(&mb.sources);
                if poller.active() {
                    // Sources are polled even with work pending (without sleeping), so
                    // a busy mailbox never starves the driver's descriptors.
                    let until = if mb.pending { Some(0) } else { deadline };
                    mb.sources.polling = !mb.pending;
                    drop(mb);
                    poller.wait(until, had_work);
                    self.mailbox.lock().sources.polling = false;
                    self.sleep_until.store(0);
                    continue;
                }
            }
            if !mb.pending {
                mb.wait(&self.wake_cv, deadline);
            }
            drop(mb);
            self.sleep_until.store(0);
        }
    }

    /// Is the caller the tcpip thread (which must not wait for itself)?
    pub fn on_tcpip_thread(&self) -> bool {
        self.threaded.load(Ordering::Acquire)
            && self.tcpip_thread.load(Ordering::Acquire) == os::current_thread() as usize
    }

    /// Wake the tcpip thread if it would otherwise sleep past `at_us`.
    pub fn wake_by(&self, at_us: u64) {
        if at_us < self.sleep_until.load() {
            self.wake();
        }
    }
}

/// Why [`block_on`] returned without a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// The deadline passed.
    TimedOut,
    /// Waiting would deadlock: the caller is the tcpip thread (a netconn callback or timer
    /// handler calling a blocking function) or already inside the stack.
    WouldDeadlock,
}

/// Run `f` with the stack until it returns a result, waiting for state changes in between
/// (with the core lock released), until `deadline_us` (monotonic; None = no limit).
/// Events that `f` queues are delivered before returning.
pub fn block_on<T>(deadline_us: Option<u64>, mut f: impl FnMut(&mut StackInner) -> Option<T>) -> Result<T, Blocked> {
    let s = stack();
    s.core.lock();
    let result = loop {
        match with(&mut f) {
            Ok(Some(v)) => break Ok(v),
            Ok(None) => {}
            Err(Reentered) => break Err(Blocked::WouldDeadlock),
        }
        fire_events();
        if deadline_us.is_some_and(|d| os::now_us() >= d) {
            break Err(Blocked::TimedOut);
        }
        if s.on_tcpip_thread() {
            break Err(Blocked::WouldDeadlock);
        }
        if !s.threaded.load(Ordering::Acquire) {
            // NO_SYS: nobody else drives the stack; poll it here, briefly.
            let _ = service(s);
            s.core.unlock();
            os::sleep_ms(1);
            s.core.lock();
            continue;
        }
        s.wait_for_change(deadline_us);
    };
    fire_events();
    s.core.unlock();
    result
}

/// Deliver queued netconn events to their callbacks, one at a time, with the core lock held
/// but the stack not borrowed (a callback may call back into the API, even delete a conn,
/// whose remaining events are then dropped).
pub fn fire_events() {
    loop {
        let next = with(|inner| inner.conns.events.pop_front()).ok().flatten();
        let Some(ev) = next else { return };
        crate::netconn::deliver(ev);
    }
}

fn run_callback(cb: Callback) {
    // SAFETY: lwIP's contract: the caller's function and context, run in the tcpip thread.
    unsafe { (cb.function)(cb.ctx) };
    if !cb.done.is_null() {
        // SAFETY: the waiting thread keeps the semaphore alive until signalled.
        unsafe { (*cb.done).signal() };
    }
}

/// Poll every interface, fire due timers and wake blocked callers. Core lock held.
/// Returns the next deadline (monotonic µs) for the tcpip thread's sleep.
pub fn service(s: &Stack) -> Option<u64> {
    let mut changed = with(|inner| inner.poll_all()).unwrap_or(false);
    fire_events();
    #[cfg(lwip = "ipv4")]
    if let Ok(updates) = with(|inner| inner.dhcp_updates()) {
        if !updates.is_empty() {
            dhcp::apply(updates);
            changed = true;
        }
    }
    #[cfg(all(lwip = "ipv6", lwip = "smolwip_esp_netif"))]
    if let Ok(ready) = with(|inner| {
        inner.netifs.iter_mut().map(|n| (n.netif, n.nd.take_ready())).filter(|r| r.1 != 0).collect::<Vec<_>>()
    }) {
        for (nif, slots) in ready {
            for i in (0..32).filter(|i| slots & (1 << i) != 0) {
                crate::esp_netif::address_ready(nif, i);
            }
        }
    }
    #[cfg(lwip = "dns")]
    crate::dns::fire_callbacks();
    // Timer handlers are C code that may call back into the API: run them unborrowed.
    loop {
        let due = with(|inner| inner.timers.take_due(os::now_us())).ok().flatten();
        let Some(t) = due else { break };
        // SAFETY: handler and argument as registered through sys_timeout.
        unsafe { (t.handler)(t.arg) };
        changed = true;
    }
    if changed {
        // What the callbacks and timers did may need polling too.
        let _ = with(|inner| inner.poll_all());
        fire_events();
        s.changed.notify_all();
    }
    with(|inner| inner.next_deadline()).ok().flatten()
}

impl StackInner {
    fn deliver_rx(&mut self, frames: VecDeque<(*mut netif, Frame)>) {
        for (nif, frame) in frames {
            // A frame of a netif removed while it waited is dropped (and so released).
            if let Some(n) = self.netifs.iter_mut().find(|n| n.netif == nif) {
                n.device.push_rx(frame);
            }
        }
    }

    /// The engine's view for connection operations (interfaces and conns, borrowed apart).
    pub fn ctx(&mut self) -> crate::conn::Ctx<'_> {
        // Conns bound to "any" receive on the loopback interface too: make sure it exists.
        self.loopback();
        crate::conn::Ctx { netifs: &mut self.netifs, conns: &mut self.conns }
    }

    pub fn netif_mut(&mut self, key: NetifKey) -> Option<&mut NetIf> {
        self.netifs.iter_mut().find(|n| n.key() == key)
    }

    /// A new MAC address for an Ethernet interface.
    pub fn set_hwaddr(&mut self, key: NetifKey, mac: [u8; 6]) {
        if let Some(n) = self.netif_mut(key) {
            if matches!(n.iface.hardware_addr(), HardwareAddress::Ethernet(_)) {
                n.iface.set_hardware_addr(HardwareAddress::Ethernet(EthernetAddress(mac)));
            }
        }
    }

    /// Poll every interface until none has more to do: each received frame is shown to the
    /// connection layer before smoltcp takes it (listen backlogs, resets), then every conn
    /// is compared with what it last announced. Returns whether anything changed.
    pub fn poll_all(&mut self) -> bool {
        let ts = now();
        let mut changed = false;
        let StackInner { netifs, conns, .. } = self;
        // The loopback device feeds itself: poll again while it carries packets.
        // Lifetimes, router expiry and solicitations: once per poll, not per round.
        #[cfg(lwip = "ipv6")]
        for n in netifs.iter_mut() {
            if nd::tick(n, os::now_us()) {
                crate::netif::sync_addresses(n);
                changed = true;
            }
        }
        for _round in 0..16 {
            let mut again = false;
            for n in netifs.iter_mut() {
                n.iface.poll_maintenance(ts);
                loop {
                    let Some((frame, ethernet)) = n.device.peek_rx() else { break };
                    #[cfg(lwip = "ipv6")]
                    let advert = nd::peek_advert(frame, ethernet);
                    let peek = crate::conn::wire::peek(frame, ethernet);
                    let seg = match peek {
                        Peek::Tcp(seg) => Some(seg),
                        _ => None,
                    };
                    #[cfg(lwip = "ipv6")]
                    if let Some(ad) = advert {
                        if nd::advert_received(n, &ad, os::now_us()) {
                            crate::netif::sync_addresses(n);
                            changed = true;
                        }
                    }
                    let verdict = match &seg {
                        Some(seg) => crate::conn::tcp::prescan(conns, n, seg),
                        None => crate::conn::tcp::Verdict::Pass,
                    };
                    if verdict == crate::conn::tcp::Verdict::Drop {
                        n.device.drop_rx();
                        continue;
                    }
                    if let Peek::Datagram(d) = peek {
                        if n.is_loopback() {
                            crate::conn::dgram::before_loopback_frame(conns, n, d.dst, d.proto, d.udp_port);
                        }
                    }
                    let target = seg.as_ref().and_then(|seg| n.tcp.route(seg.dst, seg.src));
                    if peek.neighbour_info() {
                        n.tcp.neighbours_changed();
                    }
                    let result = match target {
                        Some(h) => n.tcp.ingress(h, &mut n.iface, &mut n.device, ts),
                        None => n.iface.poll_ingress_single(ts, &mut n.device, &mut n.sockets),
                    };
                    match result {
                        PollIngressSingleResult::None => break,
                        PollIngressSingleResult::PacketProcessed => {}
                        PollIngressSingleResult::SocketStateChanged => changed = true,
                    }
                    match (target, peek) {
                        (Some(h), _) => crate::conn::tcp::after_ingress(conns, n, h, verdict),
                        (None, Peek::Tcp(_)) => {}
                        (None, Peek::Datagram(d)) => changed |= crate::conn::dgram::after_frame(conns, n, d.udp_port),
                        (None, _) => changed |= crate::conn::dgram::after_frame(conns, n, None),
                    }
                }
                changed |= n.egress(ts);
                #[cfg(lwip = "ipv4")]
                {
                    changed |= dhcp::poll(n, &mut self.dhcp);
                }
                again |= n.device.has_rx();
            }
            if !again {
                break;
            }
        }
        let mut cx = crate::conn::Ctx { netifs, conns };
        changed |= crate::conn::scan(&mut cx, os::now_us());
        #[cfg(lwip = "dns")]
        {
            changed |= crate::dns::poll(self);
        }
        changed
    }

    /// Send what an API call queued on `key` now, from the caller's thread (lwIP's core
    /// locking does the same), and make sure the tcpip thread wakes in time for what follows.
    pub fn flush(&mut self, key: NetifKey) {
        let ts = now();
        let Some(n) = self.netif_mut(key) else { return };
        n.egress(ts);
        let s = stack();
        if n.device.has_rx() {
            // Loopback traffic is received by the tcpip thread.
            s.wake();
            return;
        }
        if let Some(at) = n.poll_at(ts) {
            s.wake_by(at);
        }
    }

    /// The earliest timer or protocol deadline (monotonic µs).
    pub fn next_deadline(&mut self) -> Option<u64> {
        let ts = now();
        let mut best = earliest(self.timers.next_deadline(), crate::conn::tcp::next_deadline(&self.conns));
        for n in self.netifs.iter_mut() {
            best = earliest(best, n.poll_at(ts));
            #[cfg(lwip = "ipv6")]
            {
                best = earliest(best, nd::next_deadline(n));
            }
        }
        best
    }

    pub fn find(&mut self, nif: *mut netif) -> Option<&mut NetIf> {
        self.netifs.iter_mut().find(|n| !n.netif.is_null() && n.netif == nif)
    }

    /// The internal loopback interface (127.0.0.0/8, ::1), created on first use.
    pub fn loopback(&mut self) -> &mut NetIf {
        if !self.netifs.iter().any(|n| n.netif.is_null()) {
            let mut device = Device::Loopback(LoopbackDevice::default());
            let config = Config::new(HardwareAddress::Ip);
            let mut iface = new_interface(config, &mut device);
            iface.update_ip_addrs(|addrs| {
                let _ = addrs.push(smoltcp::wire::IpCidr::new(
                    smoltcp::wire::Ipv4Address::new(127, 0, 0, 1).into(),
                    8,
                ));
                let _ = addrs.push(smoltcp::wire::IpCidr::new(smoltcp::wire::Ipv6Address::LOCALHOST.into(), 128));
            });
            self.netifs.push(NetIf {
                netif: core::ptr::null_mut(),
                iface,
                sockets: SocketSet::new(Vec::new()),
                tcp: Default::default(),
                device,
                dhcp: None,
                #[cfg(lwip = "ipv6")]
                nd: nd::State::default(),
            });
            crate::conn::netif_added(&mut self.ctx(), NetifKey(core::ptr::null_mut()));
        }
        self.netifs.iter_mut().find(|n| n.netif.is_null()).expect("loopback exists")
    }

    /// The loopback interface also owns every address of the other interfaces, so traffic
    /// from the stack to one of its own addresses stays inside (lwIP's LWIP_NETIF_LOOPBACK
    /// does the same); see conn::route.
    pub fn sync_loopback(&mut self) {
        use smoltcp::wire::{IpCidr, Ipv4Address, Ipv6Address};
        let mut own: heapless::Vec<IpCidr, 8> = heapless::Vec::new();
        let _ = own.push(IpCidr::new(Ipv4Address::new(127, 0, 0, 1).into(), 8));
        let _ = own.push(IpCidr::new(Ipv6Address::LOCALHOST.into(), 128));
        for n in self.netifs.iter().filter(|n| !n.is_loopback()) {
            for c in n.iface.ip_addrs() {
                let host = IpCidr::new(c.address(), if matches!(c.address(), smoltcp::wire::IpAddress::Ipv4(_)) { 32 } else { 128 });
                if !own.contains(&host) {
                    let _ = own.push(host);
                }
            }
        }
        let lo = self.loopback();
        lo.iface.update_ip_addrs(|addrs| {
            addrs.clear();
            for c in own {
                let _ = addrs.push(c);
            }
        });
    }

    /// Create the engine side of a caller's `struct netif` (after its driver's init ran).
    pub fn attach(&mut self, nif: *mut netif) -> &mut NetIf {
        // SAFETY: caller-owned netif, valid for as long as it is added (lwIP's contract).
        let flags = unsafe { (*nif).flags };
        let ethernet = flags & (c::NETIF_FLAG_ETHARP | c::NETIF_FLAG_ETHERNET) != 0;
        let hw = if ethernet {
            // SAFETY: as above.
            let raw = unsafe { (*nif).hwaddr };
            let mut mac = [0u8; 6];
            mac.copy_from_slice(&raw[..6]);
            HardwareAddress::Ethernet(EthernetAddress(mac))
        } else {
            HardwareAddress::Ip
        };
        let mut device = Device::Netif(NetifDevice::new(nif, ethernet));
        let mut config = Config::new(hw);
        config.random_seed = os::now_us() ^ (nif as usize as u64).rotate_left(17);
        let iface = new_interface(config, &mut device);
        self.netifs.push(NetIf {
            netif: nif,
            iface,
            sockets: SocketSet::new(Vec::new()),
            tcp: Default::default(),
            device,
            dhcp: None,
            #[cfg(lwip = "ipv6")]
            nd: {
                let mut nd = nd::State::default();
                nd.restart(os::now_us());
                nd
            },
        });
        crate::conn::netif_added(&mut self.ctx(), NetifKey(nif));
        self.netif_mut(NetifKey(nif)).expect("just pushed")
    }

    pub fn detach(&mut self, nif: *mut netif) -> Option<NetIf> {
        let idx = self.netifs.iter().position(|n| !n.netif.is_null() && n.netif == nif)?;
        crate::conn::netif_removed(&mut self.ctx(), NetifKey(nif));
        let n = self.netifs.remove(idx);
        self.sync_loopback();
        Some(n)
    }
}

/// smoltcp's `Interface`, built straight into its heap block: 67 KB on hosts (5.3 KB on
/// firmware), more than the stack of many threads that call netif_add (ESP-IDF's main task
/// has 3.5 KB). `Interface::new` returns by value; written into the uninitialised box, the
/// optimised build has it construct there (abi-tests/net/netif_badinput.c adds a netif from
/// a thread whose stack is smaller than the interface).
fn new_interface(config: Config, device: &mut Device) -> Box<Interface> {
    // Not inlined, so the interface is its return slot, and that slot is the heap block.
    #[inline(never)]
    fn build(config: Config, device: &mut Device) -> Interface {
        Interface::new(config, device, now())
    }
    let mut slot = Box::<Interface>::new_uninit();
    slot.write(build(config, device));
    // SAFETY: written on the line above.
    unsafe { slot.assume_init() }
}

/// Queue a frame for processing (the body of `tcpip_input`, `netif_input`, `ethernet_input`
/// and `ip_input`; NULL arguments get ERR_VAL). Without a tcpip
/// thread (lwIP's NO_SYS mode: `lwip_init` + `sys_check_timeouts`), process it at once.
pub fn input(p: *mut pbuf, nif: *mut netif) -> abi::err_t {
    if p.is_null() || nif.is_null() {
        return c::ERR_VAL;
    }
    match input_frame(nif, Frame::Pbuf(p)) {
        Ok(()) => c::ERR_OK,
        Err(frame) => {
            // lwIP's contract: on an error the caller still owns the pbuf.
            core::mem::forget(frame);
            c::ERR_MEM
        }
    }
}

/// Hand a received frame of `nif` to the stack: queued for the tcpip thread, or processed
/// at once without one. A frame that cannot be taken comes back.
pub fn input_frame(nif: *mut netif, frame: Frame) -> Result<(), Frame> {
    let s = stack();
    if s.threaded.load(Ordering::Acquire) {
        return s.queue_rx(nif, frame);
    }
    let mut frames = VecDeque::new();
    frames.push_back((nif, frame));
    if let Err(Reentered) = with(|inner| inner.deliver_rx(core::mem::take(&mut frames))) {
        return Err(frames.pop_front().expect("not taken").1);
    }
    s.core.lock();
    let _ = service(s);
    s.core.unlock();
    Ok(())
}

/// Start the tcpip thread (once). `init` runs in it, with the core lock held, before the
/// first poll, as lwIP's `tcpip_init` does.
pub fn start_thread(init: Option<Callback>) -> bool {
    // Mark as started before the thread runs, so input() queues from now on.
    if stack().threaded.swap(true, Ordering::AcqRel) {
        return false;
    }
    let body = Box::new(move || {
        let s = stack();
        if let Some(cb) = init {
            s.core.lock();
            run_callback(cb);
            s.core.unlock();
        }
        s.run()
    });
    os::spawn(body, (c::TCPIP_THREAD_STACKSIZE.max(0) as usize).max(TCPIP_STACK_MIN)).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use smoltcp::socket::{tcp, udp};
    use smoltcp::wire::{IpAddress, IpEndpoint, Ipv4Address, Ipv6Address};

    fn tcp_socket() -> tcp::Socket<'static> {
        tcp::Socket::new(tcp::SocketBuffer::new(alloc::vec![0; 65536]), tcp::SocketBuffer::new(alloc::vec![0; 65536]))
    }

    /// TCP over the loopback interface: connect, send 200 KiB each way, close.
    fn tcp_roundtrip(addr: IpAddress, port: u16) {
        let payload: Vec<u8> = (0..200 * 1024).map(|i| (i * 7 % 251) as u8).collect();
        with(|inner| {
            let lo = inner.loopback();
            let server = lo.sockets.add(tcp_socket());
            let client = lo.sockets.add(tcp_socket());
            lo.sockets.get_mut::<tcp::Socket>(server).listen(port).unwrap();
            let cx = lo.iface.context();
            lo.sockets.get_mut::<tcp::Socket>(client).connect(cx, IpEndpoint::new(addr, port), 49152 + port).unwrap();
            let (mut sent, mut got) = (0usize, Vec::new());
            // Real time drives smoltcp's timers (delayed ACK, retransmission): loop until
            // done or a generous deadline, not for a fixed number of polls.
            let deadline = os::now_us() + 10_000_000;
            while os::now_us() < deadline {
                let lo = inner.loopback();
                let ts = now();
                lo.iface.poll(ts, &mut lo.device, &mut lo.sockets);
                let c = lo.sockets.get_mut::<tcp::Socket>(client);
                if c.can_send() && sent < payload.len() {
                    sent += c.send_slice(&payload[sent..]).unwrap();
                    if sent == payload.len() {
                        c.close();
                    }
                }
                let s = lo.sockets.get_mut::<tcp::Socket>(server);
                while s.can_recv() {
                    s.recv(|b| { got.extend_from_slice(b); (b.len(), ()) }).unwrap();
                }
                if got.len() == payload.len() && !s.may_recv() {
                    break;
                }
            }
            assert_eq!(got.len(), payload.len(), "loopback TCP to {addr} delivered {} bytes", got.len());
            assert!(got == payload, "loopback TCP to {addr} corrupted data");
            // Nothing of this went to a driver: only the loopback device carried it.
            let lo = inner.loopback();
            assert!(lo.netif.is_null());
            lo.sockets.remove(server);
            lo.sockets.remove(client);
        })
        .unwrap();
    }

    #[test]
    fn loopback_tcp_ipv4_and_ipv6() {
        tcp_roundtrip(Ipv4Address::new(127, 0, 0, 1).into(), 7001);
        tcp_roundtrip(Ipv6Address::LOCALHOST.into(), 7002);
    }

    #[test]
    fn loopback_udp_ipv4_and_ipv6() {
        for (addr, port) in [(IpAddress::from(Ipv4Address::new(127, 0, 0, 1)), 7101), (Ipv6Address::LOCALHOST.into(), 7102)] {
            with(|inner| {
                let lo = inner.loopback();
                let mk = || udp::Socket::new(
                    udp::PacketBuffer::new(alloc::vec![udp::PacketMetadata::EMPTY; 4], alloc::vec![0; 4096]),
                    udp::PacketBuffer::new(alloc::vec![udp::PacketMetadata::EMPTY; 4], alloc::vec![0; 4096]),
                );
                let a = lo.sockets.add(mk());
                let b = lo.sockets.add(mk());
                lo.sockets.get_mut::<udp::Socket>(a).bind(port).unwrap();
                lo.sockets.get_mut::<udp::Socket>(b).bind(port + 1000).unwrap();
                lo.sockets.get_mut::<udp::Socket>(b).send_slice(b"hello loopback", IpEndpoint::new(addr, port)).unwrap();
                let mut got = None;
                for _ in 0..10 {
                    let lo = inner.loopback();
                    lo.iface.poll(now(), &mut lo.device, &mut lo.sockets);
                    if let Ok((data, meta)) = lo.sockets.get_mut::<udp::Socket>(a).recv() {
                        got = Some((data.to_vec(), meta.endpoint.port));
                        break;
                    }
                }
                assert_eq!(got, Some((b"hello loopback".to_vec(), port + 1000)), "UDP via {addr}");
                let lo = inner.loopback();
                lo.sockets.remove(a);
                lo.sockets.remove(b);
            })
            .unwrap();
        }
    }
}
