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
//! - each set's deadline is kept from its last poll, so the interface's next deadline is a
//!   minimum over numbers, not a walk through smoltcp.
//!
//! The connection layer also learns which sockets were *touched* (received a segment, sent
//! one, changed state, reached a deadline, or were used by an API call) since it last
//! looked, so it can skip the others.
//!
//! Neighbour discovery: a socket waiting for its peer's link address has a deadline a
//! second away. A received ARP or ICMPv6 packet may be the answer, so it makes every
//! socket dirty ([`neighbours_changed`]) and the waiting one sends at once, as smoltcp
//! would with a single set.
//!
//! [`route`]: TcpSockets::route
//! [`egress`]: TcpSockets::egress
//! [`neighbours_changed`]: TcpSockets::neighbours_changed

use alloc::vec::Vec;

use smoltcp::iface::{Interface, PollIngressSingleResult, PollResult, SocketHandle, SocketSet};
use smoltcp::phy;
use smoltcp::socket::tcp;
use smoltcp::time::Instant;
use smoltcp::wire::IpEndpoint;

/// Names one TCP socket of an interface. Stable while the socket exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpHandle(u32);

/// A segment's address pair as the socket sees it: (local, remote).
type Pair = (IpEndpoint, IpEndpoint);

struct Slot {
    set: SocketSet<'static>,
    handle: SocketHandle,
    /// The pair segments are routed here by, once known.
    pair: Option<Pair>,
    /// When smoltcp next wants this socket polled (monotonic µs; MAX: only after input).
    poll_at: u64,
    /// Used since its last poll: poll it before sleeping.
    dirty: bool,
    /// Worth a look by the connection layer (see the module's documentation).
    touched: bool,
}

#[derive(Default)]
pub struct TcpSockets {
    slots: Vec<Option<Slot>>,
    free: Vec<u32>,
    /// (pair, slot), sorted by pair: a binary search finds a segment's socket. (A sorted
    /// vector, not a map: connections come and go far less often than segments arrive,
    /// and it is less code on firmware.)
    by_pair: Vec<(Pair, u32)>,
    /// Some slot is dirty (so the next deadline is now).
    any_dirty: bool,
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
        let slot = Slot { set, handle, pair: None, poll_at: 0, dirty: true, touched: true };
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
        self.any_dirty = true;
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

    /// The socket, to use: marks it dirty and touched.
    pub fn get_mut(&mut self, h: TcpHandle) -> &mut tcp::Socket<'static> {
        self.any_dirty = true;
        let slot = self.slot_mut(h);
        slot.dirty = true;
        slot.touched = true;
        slot.set.get_mut::<tcp::Socket>(slot.handle)
    }

    /// The socket, for the connection layer's own look at it: marks it dirty (whatever the
    /// look changes is sent) but not touched (the look itself needs no second look).
    pub fn get_for_scan(&mut self, h: TcpHandle) -> &mut tcp::Socket<'static> {
        self.any_dirty = true;
        let slot = self.slot_mut(h);
        slot.dirty = true;
        slot.set.get_mut::<tcp::Socket>(slot.handle)
    }

    /// Whether `h` was touched since the last call, and clear the mark.
    pub fn take_touched(&mut self, h: TcpHandle) -> bool {
        core::mem::take(&mut self.slot_mut(h).touched)
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
        self.any_dirty = true;
        let slot = self.slot_mut(h);
        slot.dirty = true;
        slot.touched = true;
        iface.poll_ingress_single(ts, device, &mut slot.set)
    }

    /// A frame that may teach the interface a neighbour's link address arrived.
    pub fn neighbours_changed(&mut self) {
        for slot in self.slots.iter_mut().flatten() {
            slot.dirty = true;
        }
        self.any_dirty = true;
    }

    /// Let every socket that may have something to send send it: the dirty ones and those
    /// whose deadline has come. Returns whether any sent something or changed state.
    pub fn egress<D: phy::Device + ?Sized>(&mut self, iface: &mut Interface, device: &mut D, ts: Instant) -> bool {
        if !self.any_dirty && self.next_deadline().is_none_or(|at| at > micros(ts)) {
            return false;
        }
        let now = micros(ts);
        let mut changed = false;
        for slot in self.slots.iter_mut().flatten() {
            let due = slot.poll_at <= now;
            if !slot.dirty && !due {
                continue;
            }
            let before = slot.set.get::<tcp::Socket>(slot.handle).state();
            let mut sent = false;
            while iface.poll_egress(ts, device, &mut slot.set) == PollResult::SocketStateChanged {
                sent = true;
            }
            let after = slot.set.get::<tcp::Socket>(slot.handle).state();
            if sent || due || before != after {
                slot.touched = true;
                changed = true;
            }
            slot.dirty = false;
            slot.poll_at = iface.poll_at(ts, &slot.set).map_or(u64::MAX, micros);
        }
        self.any_dirty = false;
        changed
    }

    /// The earliest deadline of any socket (monotonic µs); 0 while one is dirty.
    pub fn next_deadline(&self) -> Option<u64> {
        if self.any_dirty {
            return Some(0);
        }
        self.slots.iter().flatten().map(|s| s.poll_at).filter(|&at| at != u64::MAX).min()
    }
}
