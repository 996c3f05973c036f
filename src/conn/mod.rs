//! Connections: what lwIP's `api_msg.c` is to its netconns, over smoltcp sockets.
//!
//! A [`Conn`] is one TCP, UDP or RAW endpoint as the netconn and socket APIs see it; both
//! APIs are thin shims over the operations here, so select/poll, callbacks and errors agree.
//! Conns live in the [`Table`] inside the stack (under the core lock). Operations never
//! block: they return `ERR_WOULDBLOCK` and the shim waits with [`crate::core::block_on`].
//!
//! Each smoltcp interface has its own socket set (see `core`), so a conn owns smoltcp
//! sockets on the interface(s) it uses: a TCP connection one socket on the interface its
//! peer is routed through; a listener none until SYNs arrive (see [`tcp`]); a UDP/RAW conn
//! one socket per interface it can receive on, drained into its own queue after every
//! received frame (see [`dgram`]).
//!
//! What smoltcp does not track, this layer does: ports and their conflicts, listen backlogs,
//! the error that ended a connection (reset, abort, time-out), and the netconn events
//! (`NETCONN_EVT_*`) lwIP fires, detected by comparing each conn's state after every poll
//! with what was last announced ([`Conn::scan`]).
#![deny(unsafe_code)]

pub mod dgram;
pub mod route;
pub mod tcp;
pub mod wire;

use alloc::collections::{BTreeMap, VecDeque};
use alloc::vec::Vec;

use smoltcp::wire::{IpAddress, IpEndpoint};

use crate::abi::{c, err_t, netconn};
use crate::core::{NetIf, NetifKey};

/// lwIP's result type: `Err` carries an `err_t` (never `ERR_OK`).
pub type Res<T> = Result<T, err_t>;

/// A conn's name in the [`Table`]; stale names (of a deleted conn) are detected.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConnId {
    index: u32,
    generation: u32,
}

/// The protocol of a conn (lwIP's `NETCONNTYPE_GROUP`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Tcp,
    Udp,
    /// UDP without checksums on send (`NETCONN_UDPNOCHKSUM`, `SO_NO_CHECK`).
    UdpNoChksum,
    UdpLite,
    /// A raw IP conn for one protocol number.
    Raw(u8),
}

impl Kind {
    pub fn is_tcp(self) -> bool {
        self == Kind::Tcp
    }
    pub fn is_udp(self) -> bool {
        matches!(self, Kind::Udp | Kind::UdpNoChksum | Kind::UdpLite)
    }
}

/// What a conn is bound to locally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalAddr {
    /// Any address of one family (`IP4_ADDR_ANY` / `IP6_ADDR_ANY` with `IPV6_V6ONLY`).
    Any4,
    Any6,
    /// Any address of either family (lwIP's `IP_ANY_TYPE`, an IPv6 conn bound to `::`).
    AnyBoth,
    Addr(IpAddress),
}

impl LocalAddr {
    /// Does a packet addressed to `dst` belong to this binding?
    pub fn accepts(self, dst: IpAddress) -> bool {
        match self {
            LocalAddr::Any4 => matches!(dst, IpAddress::Ipv4(_)),
            LocalAddr::Any6 => matches!(dst, IpAddress::Ipv6(_)),
            LocalAddr::AnyBoth => true,
            LocalAddr::Addr(a) => a == dst,
        }
    }

    /// The address as smoltcp's listen endpoint takes it (None = any).
    pub fn specific(self) -> Option<IpAddress> {
        match self {
            LocalAddr::Addr(a) => Some(a),
            _ => None,
        }
    }

    pub fn is_any(self) -> bool {
        !matches!(self, LocalAddr::Addr(_))
    }

    fn is_v6(self) -> bool {
        matches!(self, LocalAddr::Any6 | LocalAddr::Addr(IpAddress::Ipv6(_)))
    }

    /// lwIP's overlap test for port conflicts (tcp_bind / udp_bind): either side is any, or
    /// both name the same address. `same_family` adds tcp_bind's IP version check.
    fn overlaps(self, other: LocalAddr, same_family: bool) -> bool {
        if same_family && self != LocalAddr::AnyBoth && other != LocalAddr::AnyBoth && self.is_v6() != other.is_v6() {
            return false;
        }
        self.is_any() || other.is_any() || self == other
    }
}

/// A local binding: address and port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Local {
    pub addr: LocalAddr,
    pub port: u16,
}

/// Socket and netconn options that live on the pcb in lwIP.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub reuseaddr: bool,
    pub keepalive: bool,
    pub broadcast: bool,
    pub nodelay: bool,
    pub ttl: u8,
    pub tos: u8,
    /// TCP keepalive timing (lwIP's keep_idle / keep_intvl / keep_cnt), milliseconds.
    pub keep_idle_ms: u32,
    pub keep_intvl_ms: u32,
    pub keep_cnt: u32,
    pub mcast_ttl: u8,
    /// IPv4 multicast interface address (IP_MULTICAST_IF), unspecified = default.
    pub mcast_if4: smoltcp::wire::Ipv4Address,
    /// IPv6 multicast interface index (IPV6_MULTICAST_IF), 0 = default.
    pub mcast_if6: u8,
    pub mcast_loop: bool,
    pub pktinfo: bool,
    /// IPV6_CHECKSUM offset for raw conns (-1 = off).
    pub chksum_offset: i32,
    /// `netconn_bind_if` / SO_BINDTODEVICE: only this netif (its index), 0 = any.
    pub bound_if: u8,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            reuseaddr: false,
            keepalive: false,
            broadcast: false,
            nodelay: false,
            ttl: c::IP_DEFAULT_TTL,
            tos: 0,
            keep_idle_ms: c::TCP_KEEPIDLE_DEFAULT,
            keep_intvl_ms: c::TCP_KEEPINTVL_DEFAULT,
            keep_cnt: c::TCP_KEEPCNT_DEFAULT,
            mcast_ttl: c::IP_DEFAULT_TTL,
            mcast_if4: smoltcp::wire::Ipv4Address::UNSPECIFIED,
            mcast_if6: 0,
            mcast_loop: false,
            pktinfo: false,
            chksum_offset: -1,
            bound_if: 0,
        }
    }
}

/// The C netconn a conn belongs to, as a name: the engine never dereferences it, it only
/// hands it back to the netconn layer (for callbacks), always under the core lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner(pub *mut netconn);

// SAFETY: see above; the pointer is only used by the netconn shims under the core lock.
#[allow(unsafe_code)]
unsafe impl Send for Owner {}

/// A netconn event for the C callback: lwIP's `API_EVENT(conn, evt, len)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub owner: Owner,
    pub evt: core::ffi::c_int,
    pub len: u16,
}

/// One connection.
pub struct Conn {
    pub kind: Kind,
    /// Created as an IPv6 netconn (`NETCONN_TYPE_IPV6`, AF_INET6 sockets).
    pub v6: bool,
    /// IPV6_V6ONLY (lwIP's NETCONN_FLAG_IPV6_V6ONLY), as of the last API call.
    pub v6only: bool,
    /// The C netconn whose callback gets this conn's events (None for sockets, whose
    /// select/poll look at the conn's state directly).
    pub owner: Option<Owner>,
    pub local: Option<Local>,
    pub remote: Option<IpEndpoint>,
    pub opt: Options,
    /// lwIP's `pending_err`: the error that ended the connection, until taken.
    pub err: err_t,
    /// The same error as lwIP also queues it behind received data (its recvmbox), for
    /// the next receive to report once.
    pub err_marker: err_t,
    /// An ERROR event has been announced (lwIP's errevent: select/poll report an error
    /// from then on, for good).
    pub errevent: bool,
    /// The connection was established once (a blocking connect succeeded, even if a
    /// reset followed before the caller woke up, as in lwIP).
    pub established: bool,
    /// Data that arrived before the connection was reset, still to be read.
    pub leftover: alloc::collections::VecDeque<u8>,
    /// Receive limit for datagrams (SO_RCVBUF, lwIP's recv_bufsize).
    pub recv_bufsize: usize,
    pub shut_rd: bool,
    pub shut_wr: bool,
    pub tcp: tcp::Tcp,
    pub dgram: dgram::Dgram,
}


struct Slot {
    generation: u32,
    conn: Option<Conn>,
}

/// A smoltcp TCP socket whose conn is gone but whose connection is still closing
/// (unsent data, FIN handshake, TIME-WAIT): kept until smoltcp is done with it.
pub struct Orphan {
    pub netif: NetifKey,
    pub handle: crate::core::tcpset::TcpHandle,
    pub local: Option<IpEndpoint>,
    /// Give up (abort) at this time, monotonic µs.
    pub deadline_us: u64,
}

/// The local end of a connection that ended with our FIN first: its port is taken until
/// `until_us` (lwIP keeps such pcbs in TIME-WAIT for 2*MSL).
pub struct TimeWait {
    pub local: IpEndpoint,
    pub until_us: u64,
}

/// Every conn of the stack, plus what outlives conns.
#[derive(Default)]
pub struct Table {
    slots: Vec<Slot>,
    free: Vec<u32>,
    live: usize,
    pub orphans: Vec<Orphan>,
    /// Ended connections' ports, oldest first (see [`TimeWait`]), and by port.
    pub time_wait: VecDeque<TimeWait>,
    time_wait_ports: BTreeMap<u16, u32>,
    /// Events waiting to be given to netconn callbacks, in order.
    pub events: VecDeque<Event>,
    /// Next ephemeral port to try, per protocol (TCP, UDP).
    next_port: [u16; 2],
    /// The conn of each C netconn, to validate the pointers callers pass in.
    owners: BTreeMap<usize, ConnId>,
    /// The UDP and RAW conns, which [`scan`] looks at every time.
    dgram: Vec<ConnId>,
    /// The TCP conns [`scan`] is looking at this round (kept for its memory).
    touched: Vec<ConnId>,
    /// No TCP conn's own timer (connect limit, keepalive step) is due before this
    /// (monotonic µs): until then [`scan`] looks only at the TCP conns whose sockets were
    /// touched. 0 (the start): look at all of them.
    tcp_timer_floor: u64,
}

/// lwIP's ephemeral port range (the IANA dynamic range it uses, 0xc000..=0xffff).
const EPHEMERAL_START: u16 = 0xc000;

/// The most conns the profile allows at once (`MEMP_NUM_NETCONN`, unless netconns come
/// from the heap as with `MEMP_MEM_MALLOC`).
pub const MAX_CONNS: usize = if cfg!(lwip = "memp_mem_malloc") { usize::MAX } else { c::MEMP_NUM_NETCONN };

/// Most ended connections remembered at once; beyond it the oldest is forgotten (lwIP
/// recycles its oldest TIME-WAIT pcb when it runs out, tcp_kill_timewait).
const TIME_WAIT_MAX: usize = 65536;

impl Table {
    /// Remember an ended connection's port (entries arrive in expiry order).
    pub fn add_time_wait(&mut self, t: TimeWait) {
        if self.time_wait.len() >= TIME_WAIT_MAX {
            self.pop_time_wait();
        }
        *self.time_wait_ports.entry(t.local.port).or_insert(0) += 1;
        self.time_wait.push_back(t);
    }

    /// Forget the ports whose time is up.
    pub fn expire_time_wait(&mut self, now_us: u64) {
        while self.time_wait.front().is_some_and(|t| t.until_us <= now_us) {
            self.pop_time_wait();
        }
    }

    fn pop_time_wait(&mut self) {
        if let Some(t) = self.time_wait.pop_front() {
            if let alloc::collections::btree_map::Entry::Occupied(mut e) = self.time_wait_ports.entry(t.local.port) {
                *e.get_mut() -= 1;
                if *e.get() == 0 {
                    e.remove();
                }
            }
        }
    }

    pub fn create(&mut self, kind: Kind, v6: bool, owner: Option<Owner>) -> Res<ConnId> {
        if self.live >= MAX_CONNS {
            return Err(c::ERR_MEM);
        }
        let conn = Conn {
            kind,
            v6,
            v6only: false,
            owner,
            local: None,
            remote: None,
            opt: Options::default(),
            err: c::ERR_OK,
            err_marker: c::ERR_OK,
            errevent: false,
            established: false,
            leftover: VecDeque::new(),
            recv_bufsize: c::RECV_BUFSIZE_DEFAULT.max(0) as usize,
            shut_rd: false,
            shut_wr: false,
            tcp: tcp::Tcp::default(),
            dgram: dgram::Dgram::default(),
        };
        self.live += 1;
        let id = if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            slot.conn = Some(conn);
            ConnId { index, generation: slot.generation }
        } else {
            self.slots.push(Slot { generation: 0, conn: Some(conn) });
            ConnId { index: (self.slots.len() - 1) as u32, generation: 0 }
        };
        if let Some(o) = owner {
            self.owners.insert(o.0 as usize, id);
        }
        if !kind.is_tcp() {
            self.dgram.push(id);
        }
        Ok(id)
    }

    /// A TCP conn's own timer will be due at `at_us`.
    pub fn note_tcp_timer(&mut self, at_us: u64) {
        self.tcp_timer_floor = self.tcp_timer_floor.min(at_us);
    }

    /// The earliest time a TCP conn's own timer may be due.
    pub fn tcp_timer_floor(&self) -> Option<u64> {
        (self.tcp_timer_floor != u64::MAX).then_some(self.tcp_timer_floor)
    }

    /// The conn of a C netconn (None for a pointer that is not a live netconn).
    pub fn id_of(&self, owner: *const netconn) -> Option<ConnId> {
        self.owners.get(&(owner as usize)).copied()
    }

    /// Give a conn (one made by accept) its C netconn.
    pub fn set_owner(&mut self, id: ConnId, owner: Owner) {
        if let Some(conn) = self.get_mut(id) {
            if let Some(old) = conn.owner.replace(owner) {
                self.owners.remove(&(old.0 as usize));
            }
            self.owners.insert(owner.0 as usize, id);
        }
    }

    pub fn get(&self, id: ConnId) -> Option<&Conn> {
        let slot = self.slots.get(id.index as usize)?;
        if slot.generation != id.generation {
            return None;
        }
        slot.conn.as_ref()
    }

    pub fn get_mut(&mut self, id: ConnId) -> Option<&mut Conn> {
        let slot = self.slots.get_mut(id.index as usize)?;
        if slot.generation != id.generation {
            return None;
        }
        slot.conn.as_mut()
    }

    /// Remove a conn from the table (its sockets must have been dealt with).
    fn remove(&mut self, id: ConnId) -> Option<Conn> {
        let slot = self.slots.get_mut(id.index as usize)?;
        if slot.generation != id.generation {
            return None;
        }
        let conn = slot.conn.take()?;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(id.index);
        self.live -= 1;
        if !conn.kind.is_tcp() {
            self.dgram.retain(|&d| d != id);
        }
        // Events of a deleted netconn must not reach its callback any more.
        if let Some(owner) = conn.owner {
            self.events.retain(|e| e.owner != owner);
            self.owners.remove(&(owner.0 as usize));
        }
        Some(conn)
    }

    pub fn ids(&self) -> impl Iterator<Item = ConnId> + '_ {
        self.slots.iter().enumerate().filter(|(_, s)| s.conn.is_some()).map(|(i, s)| ConnId {
            index: i as u32,
            generation: s.generation,
        })
    }

    pub fn conns_mut(&mut self) -> impl Iterator<Item = &mut Conn> {
        self.slots.iter_mut().filter_map(|s| s.conn.as_mut())
    }

    pub fn conns(&self) -> impl Iterator<Item = &Conn> {
        self.slots.iter().filter_map(|s| s.conn.as_ref())
    }

    pub fn live(&self) -> usize {
        self.live
    }

    /// Is `local` free for a conn of `kind` (lwIP's tcp_bind / udp_bind rules)? `reuse`:
    /// the binding conn has SO_REUSEADDR; two conns that both have it may share a port.
    /// TCP also checks connections still closing (TIME-WAIT) unless `reuse` is set.
    fn port_free(&self, kind: Kind, local: Local, reuse: bool, except: Option<ConnId>) -> bool {
        let tcp = kind.is_tcp();
        for (i, slot) in self.slots.iter().enumerate() {
            let Some(other) = &slot.conn else { continue };
            if except.is_some_and(|e| e.index as usize == i) || other.kind.is_tcp() != tcp {
                continue;
            }
            if matches!(other.kind, Kind::Raw(_)) != matches!(kind, Kind::Raw(_)) {
                continue;
            }
            let Some(theirs) = other.local else { continue };
            if theirs.port != local.port || (reuse && other.opt.reuseaddr) {
                continue;
            }
            if theirs.addr.overlaps(local.addr, tcp) {
                return false;
            }
        }
        if tcp && !reuse {
            for ep in self.orphans.iter().filter_map(|o| o.local) {
                if ep.port == local.port && LocalAddr::Addr(ep.addr).overlaps(local.addr, true) {
                    return false;
                }
            }
            if self.time_wait_ports.contains_key(&local.port) {
                let mut tw = self.time_wait.iter().filter(|t| t.local.port == local.port);
                if tw.any(|t| LocalAddr::Addr(t.local.addr).overlaps(local.addr, true)) {
                    return false;
                }
            }
        }
        true
    }

    /// An ephemeral port free for `kind` on `addr`, lwIP style: the next one after the last
    /// handed out, wrapping within the range.
    fn ephemeral_port(&mut self, kind: Kind, addr: LocalAddr, reuse: bool) -> Res<u16> {
        let which = usize::from(!kind.is_tcp());
        if self.next_port[which] < EPHEMERAL_START {
            // lwIP randomises the first one (LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS).
            let seed = crate::sys::os::now_us() ^ (which as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            self.next_port[which] = EPHEMERAL_START + (seed % u64::from(u16::MAX - EPHEMERAL_START)) as u16;
        }
        let span = u32::from(u16::MAX - EPHEMERAL_START) + 1;
        for _ in 0..span {
            let port = self.next_port[which];
            self.next_port[which] = if port == u16::MAX { EPHEMERAL_START } else { port + 1 };
            if self.port_free(kind, Local { addr, port }, reuse, None) {
                return Ok(port);
            }
        }
        Err(c::ERR_BUF)
    }
}

/// The stack state a conn operation needs: the interfaces (with their socket sets) and the
/// conn table, borrowed separately.
pub struct Ctx<'a> {
    pub netifs: &'a mut Vec<NetIf>,
    pub conns: &'a mut Table,
}

impl<'a> Ctx<'a> {
    pub fn conn(&mut self, id: ConnId) -> Res<&mut Conn> {
        self.conns.get_mut(id).ok_or(c::ERR_VAL)
    }

    pub fn netif(&mut self, key: NetifKey) -> Option<&mut NetIf> {
        self.netifs.iter_mut().find(|n| n.key() == key)
    }
}

/// Readiness of a conn, as select/poll and the event scan see it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ready {
    /// recv/accept would not block (data, a pending connection, end of stream, an error).
    pub readable: bool,
    /// send would not block (room in the send buffer, or an error to report).
    pub writable: bool,
    /// An error is pending (lwIP's errevent).
    pub error: bool,
    /// The connection is closed in both directions (POLLHUP).
    pub hangup: bool,
}

// ---- operations common to every kind -------------------------------------------------

/// Bind `id` to `addr`/`port` (port 0: an ephemeral port). lwIP's netconn_bind.
pub fn bind(cx: &mut Ctx, id: ConnId, addr: LocalAddr, port: u16) -> Res<()> {
    let conn = cx.conn(id)?;
    let kind = conn.kind;
    let reuse = conn.opt.reuseaddr;
    // Binding again moves the binding (lwIP's udp_bind does; its tcp_bind reports success
    // too, on a pcb still in state CLOSED).
    if kind.is_tcp() && !matches!(conn.tcp, tcp::Tcp::Idle) {
        return Err(c::ERR_VAL);
    }
    let port = match port {
        _ if matches!(kind, Kind::Raw(_)) => 0,
        0 => cx.conns.ephemeral_port(kind, addr, reuse)?,
        p => {
            if !cx.conns.port_free(kind, Local { addr, port: p }, reuse, Some(id)) {
                return Err(c::ERR_USE);
            }
            p
        }
    };
    let conn = cx.conn(id)?;
    let before = conn.local.replace(Local { addr, port });
    if !kind.is_tcp() {
        if let Err(e) = dgram::rebind(cx, id) {
            // No memory for its sockets: the conn keeps the binding it had.
            cx.conn(id)?.local = before;
            let _ = dgram::rebind(cx, id);
            return Err(e);
        }
    }
    Ok(())
}

/// Bind to an ephemeral port on the conn's "any" address if not bound yet (lwIP binds
/// implicitly on connect, listen and the first send).
pub fn ensure_bound(cx: &mut Ctx, id: ConnId) -> Res<()> {
    let conn = cx.conn(id)?;
    if conn.local.is_some() {
        return Ok(());
    }
    let any = any_addr(conn);
    bind(cx, id, any, 0)
}

/// The conn's "any" address: its family, or both for a dual-stack IPv6 conn.
pub fn any_addr(conn: &Conn) -> LocalAddr {
    match (conn.v6, conn.v6only) {
        (false, _) => LocalAddr::Any4,
        (true, true) => LocalAddr::Any6,
        (true, false) => LocalAddr::AnyBoth,
    }
}

/// Delete a conn: TCP connections close gracefully (or reset, with `abort`), sockets are
/// released, the slot is freed. lwIP's netconn_delete.
pub fn delete(cx: &mut Ctx, id: ConnId, abort: bool) -> Res<()> {
    close(cx, id, abort);
    cx.conns.remove(id).map(|_| ()).ok_or(c::ERR_VAL)
}

/// The interfaces a conn's multicast memberships are on: closing it leaves those groups, and
/// the leave reports should go out at once (flush them), as lwIP sends them from the close.
pub fn group_netifs(conns: &Table, id: ConnId) -> alloc::vec::Vec<NetifKey> {
    let mut keys = alloc::vec::Vec::new();
    for (key, _) in conns.get(id).map(|c| c.dgram.groups.as_slice()).unwrap_or(&[]) {
        if !keys.contains(key) {
            keys.push(*key);
        }
    }
    keys
}

/// Close a conn's connection and release its sockets, keeping the conn (lwIP's
/// netconn_close / the first half of netconn_delete). TCP closes gracefully unless `abort`.
pub fn close(cx: &mut Ctx, id: ConnId, abort: bool) {
    tcp::release(cx, id, abort);
    dgram::release(cx, id);
}

/// The current readiness of a conn.
pub fn ready(cx: &mut Ctx, id: ConnId) -> Res<Ready> {
    let kind = cx.conn(id)?.kind;
    if kind.is_tcp() { tcp::ready(cx, id) } else { dgram::ready(cx, id) }
}

/// Take (and clear) the pending error, lwIP's netconn_err.
pub fn take_err(cx: &mut Ctx, id: ConnId) -> Res<err_t> {
    let conn = cx.conn(id)?;
    Ok(core::mem::replace(&mut conn.err, c::ERR_OK))
}

/// The local (`local` = true) or remote address of a conn, lwIP's netconn_getaddr: the
/// address (None = the binding's "any") and the port (for RAW: the protocol).
pub fn addr(cx: &mut Ctx, id: ConnId, local: bool) -> Res<(LocalAddr, u16)> {
    let conn = cx.conn(id)?;
    let kind = conn.kind;
    if kind.is_tcp() {
        return tcp::addr(cx, id, local);
    }
    if local {
        let l = conn.local.unwrap_or(Local { addr: any_addr(conn), port: 0 });
        let port = if let Kind::Raw(proto) = kind { u16::from(proto) } else { l.port };
        Ok((l.addr, port))
    } else {
        match (kind, conn.remote) {
            (Kind::Raw(_), _) | (_, None) => Err(c::ERR_CONN),
            (_, Some(r)) => Ok((LocalAddr::Addr(r.addr), r.port)),
        }
    }
}

/// After every poll: reap closing sockets, move received datagrams to their conns, and
/// announce state changes as netconn events. Returns whether anything changed that a
/// blocked caller may be waiting for.
///
/// TCP conns are looked at when their socket was touched (see `core::tcpset`), or all of
/// them once one of their own timers may be due, so a round's cost does not grow with the
/// number of idle connections.
pub fn scan(cx: &mut Ctx, now_us: u64) -> bool {
    let mut changed = tcp::reap_orphans(cx, now_us);
    if now_us >= cx.conns.tcp_timer_floor {
        cx.conns.tcp_timer_floor = u64::MAX;
        let ids: Vec<ConnId> = cx.conns.ids().filter(|&id| cx.conns.get(id).is_some_and(|c| c.kind.is_tcp())).collect();
        for id in ids {
            changed |= tcp::scan(cx, id, now_us, false);
        }
    } else {
        // The list's memory is kept from round to round (no allocation per packet).
        let mut owners = core::mem::take(&mut cx.conns.touched);
        for n in cx.netifs.iter_mut() {
            n.tcp.drain_touched(&mut owners);
        }
        for &id in &owners {
            changed |= tcp::scan(cx, id, now_us, true);
        }
        owners.clear();
        cx.conns.touched = owners;
    }
    let mut i = 0;
    while let Some(&id) = cx.conns.dgram.get(i) {
        changed |= dgram::scan(cx, id);
        i += 1;
    }
    changed
}

/// The connection ended with `err` (lwIP's err_tcp): the error is pending (and queued
/// behind any data), and ERROR, RCVPLUS, SENDPLUS are announced, in lwIP's order.
pub fn fail(conns: &mut Table, id: ConnId, err: err_t) {
    let Some(conn) = conns.get_mut(id) else { return };
    conn.err = err;
    conn.err_marker = err;
    conn.errevent = true;
    let owner = conn.owner;
    for evt in [c::NETCONN_EVT_ERROR, c::NETCONN_EVT_RCVPLUS, c::NETCONN_EVT_SENDPLUS] {
        announce(conns, owner, evt, 0);
    }
}

/// Queue an event for the conn's callback (if it has one).
pub fn announce(conns: &mut Table, owner: Option<Owner>, evt: core::ffi::c_int, len: usize) {
    if let Some(owner) = owner {
        conns.events.push_back(Event { owner, evt, len: len.min(u16::MAX as usize) as u16 });
    }
}

/// A netif was added: conns bound to "any" can now also receive on it.
pub fn netif_added(cx: &mut Ctx, key: NetifKey) {
    dgram::netif_added(cx, key);
}

/// A netif is going away with its socket set: connections through it are aborted
/// (lwIP aborts the pcbs bound to its addresses), datagram conns stop using it.
pub fn netif_removed(cx: &mut Ctx, key: NetifKey) {
    tcp::netif_removed(cx, key);
    dgram::netif_removed(cx, key);
}

/// An interface address changed from `old` to `new` (lwIP's netif_do_ip_addr_changed):
/// UDP and RAW conns and TCP listeners bound to `old` move to `new` (lwIP rebinds its
/// pcbs); TCP connections from `old` end as smoltcp loses their source address (ERR_ABRT,
/// as lwIP's tcp_abort); TCP conns only bound stay as they are, as in lwIP. Nothing moves
/// when either address is "any".
pub fn local_addr_changed(cx: &mut Ctx, old: IpAddress, new: IpAddress) {
    if old.is_unspecified() || new.is_unspecified() {
        return;
    }
    let ids: alloc::vec::Vec<ConnId> = cx.conns.ids().collect();
    for id in ids {
        let Some(conn) = cx.conns.get_mut(id) else { continue };
        let moves = !conn.kind.is_tcp() || matches!(conn.tcp, tcp::Tcp::Listening(_));
        match conn.local.as_mut() {
            Some(local) if moves && local.addr == LocalAddr::Addr(old) => local.addr = LocalAddr::Addr(new),
            _ => continue,
        }
        if !conn.kind.is_tcp() {
            let _ = dgram::rebind(cx, id);
        }
    }
}
