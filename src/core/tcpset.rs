//! The TCP sockets of one interface, each in a smoltcp socket set of its own.
//!
//! smoltcp walks every socket of a set whenever it is polled: to find the socket a received
//! segment belongs to, to let each one send, and to compute the next deadline. With all of
//! an interface's connections in one set, every packet cost time in proportion to the
//! number of connections: with 256 idle ones open, a 1-byte round trip took four times as
//! long as with none. Here each TCP socket has a set of its own, and
//! - a received segment goes to the set its address pair is registered for ([`route`]),
//!   or to the interface's main set (UDP, RAW, DHCP, DNS) when none is, where smoltcp
//!   answers it as it answers a segment no socket wants (a reset);
//! - only sets that may have something to send are polled ([`egress`]): those used since
//!   their last poll (*dirty*: every mutable access marks its socket so) and those whose
//!   deadline has come;
//! - each set's deadline is kept from its last poll, and the earliest of them as a lower
//!   bound: until that time comes, only the dirty sets (a list) are polled, so a packet's
//!   cost does not depend on how many other connections are open; when it comes, one walk
//!   over the deadlines polls the due sets and sets the bound again.
//!
//! The connection layer also learns which sockets were *touched* (received a segment, sent
//! one, changed state, reached a deadline, or were used by an API call) since it last
//! looked, and the conns they belong to ([`drain_touched`]), so it looks at those only.
//!
//! Neighbour discovery: a socket waiting for its peer's link address has a deadline a
//! second away. A received ARP or ICMPv6 neighbour-discovery packet may be the answer, so
//! it makes every socket dirty ([`neighbours_changed`]) and the waiting one sends at once,
//! as smoltcp would with a single set.
//!
//! [`route`]: TcpSockets::route
//! [`egress`]: TcpSockets::egress
//! [`drain_touched`]: TcpSockets::drain_touched
//! [`neighbours_changed`]: TcpSockets::neighbours_changed

use alloc::vec::Vec;

use smoltcp::iface::{Interface, PollIngressSingleResult, PollResult, SocketHandle, SocketSet};
use smoltcp::phy;
use smoltcp::socket::tcp;
use smoltcp::time::Instant;
use smoltcp::wire::IpEndpoint;

use crate::conn::ConnId;

/// Names one TCP socket of an interface. Stable while the socket exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpHandle(u32);

/// A segment's address pair as the socket sees it: (local, remote).
type Pair = (IpEndpoint, IpEndpoint);

struct Slot {
    set: SocketSet<'static>,
    handle: SocketHandle,
    /// The conn this socket belongs to, as the connection layer last said.
    owner: Option<ConnId>,
    /// The pair segments are routed here by, once known.
    pair: Option<Pair>,
    /// When smoltcp next wants this socket polled (monotonic µs; MAX: only after input).
    poll_at: u64,
    /// Used since its last poll: poll it before sleeping.
    dirty: bool,
    /// Worth a look by the connection layer (see the module's documentation).
    touched: bool,
}

pub struct TcpSockets {
    slots: Vec<Option<Slot>>,
    free: Vec<u32>,
    /// The dirty slots (an index may be listed twice or belong to a slot since removed:
    /// the slot's own flag decides).
    dirty: Vec<u32>,
    /// The touched slots, listed the same way.
    touched: Vec<u32>,
    /// No slot's deadline is earlier than this (monotonic µs; MAX: none).
    earliest: u64,
    /// (pair, slot), sorted by pair: a binary search finds a segment's socket. (A sorted
    /// vector, not a map: connections come and go far less often than segments arrive,
    /// and it is less code on firmware.)
    by_pair: Vec<(Pair, u32)>,
}

impl Default for TcpSockets {
    fn default() -> Self {
        TcpSockets {
            slots: Vec::new(),
            free: Vec::new(),
            dirty: Vec::new(),
            touched: Vec::new(),
            earliest: u64::MAX,
            by_pair: Vec::new(),
        }
    }
}

fn micros(at: Instant) -> u64 {
    at.total_micros().max(0) as u64
}

impl TcpSockets {
    /// Add a socket. One that already has both endpoints (a connect) is routed to at once;
    /// a listening one once [`set_pair`](Self::set_pair) names the SYN it is for.
    pub fn add(&mut self, sock: tcp::Socket<'static>) -> TcpHandle {
        let pair = match (sock.local_endpoint(), sock.remote_endpoint()) {
            (Some(l), Some(r)) => Some((l, r)),
            _ => None,
        };
        let mut set = SocketSet::new(Vec::with_capacity(1));
        let handle = set.add(sock);
        let slot = Slot { set, handle, owner: None, pair: None, poll_at: u64::MAX, dirty: true, touched: false };
        let index = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = Some(slot);
                i
            }
            None => {
                self.slots.push(Some(slot));
                (self.slots.len() - 1) as u32
            }
        };
        self.dirty.push(index);
        let h = TcpHandle(index);
        if let Some(pair) = pair {
            self.set_pair(h, pair);
        }
        h
    }

    /// Route segments with this (local, remote) pair to `h`.
    pub fn set_pair(&mut self, h: TcpHandle, pair: Pair) {
        let Some(slot) = self.slots.get_mut(h.0 as usize).and_then(Option::as_mut) else { return };
        if let Some(old) = slot.pair.replace(pair) {
            self.unmap(old, h);
        }
        match self.by_pair.binary_search_by(|e| e.0.cmp(&pair)) {
            Ok(i) => self.by_pair[i].1 = h.0,
            Err(i) => self.by_pair.insert(i, (pair, h.0)),
        }
    }

    fn unmap(&mut self, pair: Pair, h: TcpHandle) {
        if let Ok(i) = self.by_pair.binary_search_by(|e| e.0.cmp(&pair)) {
            if self.by_pair[i].1 == h.0 {
                self.by_pair.remove(i);
            }
        }
    }

    pub fn remove(&mut self, h: TcpHandle) {
        let Some(slot) = self.slots.get_mut(h.0 as usize).and_then(Option::take) else { return };
        if let Some(pair) = slot.pair {
            self.unmap(pair, h);
        }
        self.free.push(h.0);
    }

    fn slot(&self, h: TcpHandle) -> &Slot {
        self.slots.get(h.0 as usize).and_then(Option::as_ref).expect("a live TCP handle")
    }

    fn slot_mut(&mut self, h: TcpHandle) -> &mut Slot {
        self.slots.get_mut(h.0 as usize).and_then(Option::as_mut).expect("a live TCP handle")
    }

    /// The socket, to look at only.
    pub fn get(&self, h: TcpHandle) -> &tcp::Socket<'static> {
        let slot = self.slot(h);
        slot.set.get::<tcp::Socket>(slot.handle)
    }

    /// Mark `h` dirty (and touched) and return its slot.
    fn mark(&mut self, h: TcpHandle, touched: bool) -> &mut Slot {
        let slot = self.slots.get_mut(h.0 as usize).and_then(Option::as_mut).expect("a live TCP handle");
        if touched && !slot.touched {
            slot.touched = true;
            self.touched.push(h.0);
        }
        if !slot.dirty {
            slot.dirty = true;
            self.dirty.push(h.0);
        }
        slot
    }

    /// The socket, to use: marks it dirty and touched.
    pub fn get_mut(&mut self, h: TcpHandle) -> &mut tcp::Socket<'static> {
        let slot = self.mark(h, true);
        slot.set.get_mut::<tcp::Socket>(slot.handle)
    }

    /// The socket, for the connection layer's own look at it: marks it dirty (whatever the
    /// look changes is sent) but not touched (the look itself needs no second look).
    pub fn get_for_scan(&mut self, h: TcpHandle) -> &mut tcp::Socket<'static> {
        let slot = self.mark(h, false);
        slot.set.get_mut::<tcp::Socket>(slot.handle)
    }

    /// Record which conn `h` belongs to (None: none any more).
    pub fn set_owner(&mut self, h: TcpHandle, owner: Option<ConnId>) {
        self.slot_mut(h).owner = owner;
    }

    pub fn owner(&self, h: TcpHandle) -> Option<ConnId> {
        self.slot(h).owner
    }

    /// Whether `h` was touched since the last call, and clear the mark.
    pub fn take_touched(&mut self, h: TcpHandle) -> bool {
        core::mem::take(&mut self.slot_mut(h).touched)
    }

    /// Append to `owners` the conns of the sockets touched since they were last looked at,
    /// in the order they were touched, each once; the marks are cleared.
    pub fn drain_touched(&mut self, owners: &mut Vec<ConnId>) {
        let TcpSockets { slots, touched, .. } = self;
        for i in touched.drain(..) {
            if let Some(slot) = slots.get_mut(i as usize).and_then(Option::as_mut) {
                if core::mem::take(&mut slot.touched) {
                    if let Some(o) = slot.owner.filter(|o| !owners.contains(o)) {
                        owners.push(o);
                    }
                }
            }
        }
    }

    /// The socket segments with this (local, remote) pair go to.
    pub fn route(&self, local: IpEndpoint, remote: IpEndpoint) -> Option<TcpHandle> {
        let pair = (local, remote);
        self.by_pair.binary_search_by(|e| e.0.cmp(&pair)).ok().map(|i| TcpHandle(self.by_pair[i].1))
    }

    /// Hand the device's next received frame (a segment for `h`) to `h`'s socket.
    pub fn ingress<D: phy::Device + ?Sized>(
        &mut self,
        h: TcpHandle,
        iface: &mut Interface,
        device: &mut D,
        ts: Instant,
    ) -> PollIngressSingleResult {
        let slot = self.mark(h, true);
        iface.poll_ingress_single(ts, device, &mut slot.set)
    }

    /// A frame that may teach the interface a neighbour's link address arrived.
    pub fn neighbours_changed(&mut self) {
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if let Some(slot) = slot {
                if !slot.dirty {
                    slot.dirty = true;
                    self.dirty.push(i as u32);
                }
            }
        }
    }

    /// Let every socket that may have something to send send it: the dirty ones and those
    /// whose deadline has come. Returns whether any sent something or changed state.
    pub fn egress<D: phy::Device + ?Sized>(&mut self, iface: &mut Interface, device: &mut D, ts: Instant) -> bool {
        let now = micros(ts);
        let mut changed = false;
        if now >= self.earliest {
            // Some deadline has come: walk them all, and find the next earliest.
            let mut earliest = u64::MAX;
            for (i, slot) in self.slots.iter_mut().enumerate() {
                let Some(slot) = slot else { continue };
                if slot.dirty || slot.poll_at <= now {
                    changed |= Self::poll(slot, &mut self.touched, i as u32, iface, device, ts, now);
                }
                earliest = earliest.min(slot.poll_at);
            }
            self.earliest = earliest;
            self.dirty.clear();
            return changed;
        }
        while let Some(i) = self.dirty.pop() {
            let Some(slot) = self.slots.get_mut(i as usize).and_then(Option::as_mut) else { continue };
            if slot.dirty {
                changed |= Self::poll(slot, &mut self.touched, i, iface, device, ts, now);
                self.earliest = self.earliest.min(slot.poll_at);
            }
        }
        changed
    }

    /// Poll one slot (number `index`, listed in `touched` if this touches it) until it has
    /// nothing more to send; keep its next deadline.
    #[allow(clippy::too_many_arguments)]
    fn poll<D: phy::Device + ?Sized>(
        slot: &mut Slot,
        touched: &mut Vec<u32>,
        index: u32,
        iface: &mut Interface,
        device: &mut D,
        ts: Instant,
        now: u64,
    ) -> bool {
        let due = slot.poll_at <= now;
        let before = slot.set.get::<tcp::Socket>(slot.handle).state();
        let mut sent = false;
        while iface.poll_egress(ts, device, &mut slot.set) == PollResult::SocketStateChanged {
            sent = true;
        }
        let after = slot.set.get::<tcp::Socket>(slot.handle).state();
        slot.dirty = false;
        slot.poll_at = iface.poll_at(ts, &slot.set).map_or(u64::MAX, micros);
        let changed = sent || due || before != after;
        if changed && !slot.touched {
            slot.touched = true;
            touched.push(index);
        }
        changed
    }

    /// The earliest deadline of any socket (monotonic µs); 0 while one is dirty.
    pub fn next_deadline(&self) -> Option<u64> {
        if !self.dirty.is_empty() {
            return Some(0);
        }
        (self.earliest != u64::MAX).then_some(self.earliest)
    }
}
