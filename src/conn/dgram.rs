//! UDP and RAW conns.
//!
//! A datagram conn has one smoltcp socket on every interface it can receive on (all of
//! them when bound to "any"). After every received frame that is not TCP ([`after_frame`];
//! a reassembled datagram at the end of the poll, [`scan`]) the sockets are drained into the
//! conn's own queue of pbufs, which is what lwIP's recvmbox is: it is bounded like lwIP's
//! (SO_RCVBUF bytes, `DEFAULT_*_RECVMBOX_SIZE` datagrams), it merges what arrives on
//! different interfaces in order, its pbufs go to netconn callers as they are, and a
//! smoltcp socket never holds undelivered state between polls, so it can be replaced
//! (to grow its send buffer) without losing anything.

use alloc::collections::VecDeque;
use alloc::vec;
use alloc::vec::Vec;

use smoltcp::iface::SocketHandle;
use smoltcp::phy::{self, Medium};
use smoltcp::socket::{raw, udp};
use smoltcp::wire::{IpAddress, IpEndpoint, IpListenEndpoint, IpProtocol, IpVersion, Ipv4Packet, Ipv6Packet};

use super::{announce, route, Conn, ConnId, Ctx, Kind, LocalAddr, Ready, Res, Table};
use crate::abi::{self, c};
use crate::core::{NetIf, NetifKey};
use crate::pbuf::Owned;

/// Send buffer of a new socket. Datagrams wait in it while their neighbour's link address
/// is being resolved, where lwIP keeps up to ARP_QUEUE_LEN packets per neighbour in its ARP
/// table (ARP_QUEUEING; one packet without). So it holds that many full-size datagrams
/// (within [`TX_PACKETS`]): a program's first burst to a new peer goes out instead of
/// being refused. Debian's profile: 10 × 1536 bytes; ESP-IDF's: 3 × 1536. A larger
/// datagram grows it to fit ([`tx_room`]), up to [`TX_MAX`].
const TX_START: usize = {
    let queued = if c::ARP_QUEUEING == 0 || c::ARP_QUEUE_LEN == 0 { 1 } else { c::ARP_QUEUE_LEN };
    (if queued < TX_PACKETS { queued } else { TX_PACKETS }) * 1536
};
const TX_MAX: usize = 65535 + 64;
const TX_PACKETS: usize = 16;

/// lwIP's recvmbox bound, in datagrams.
fn queue_limit(kind: Kind) -> usize {
    let n = if matches!(kind, Kind::Raw(_)) { c::DEFAULT_RAW_RECVMBOX_SIZE } else { c::DEFAULT_UDP_RECVMBOX_SIZE };
    crate::sys::mbox_capacity(n as isize)
}

/// A received datagram: payload (for RAW: the whole IP packet, as lwIP delivers it), its
/// sender, the address it was sent to, and the index of the netif it came in on.
pub struct Datagram {
    pub data: Owned,
    pub from: IpEndpoint,
    pub to: IpAddress,
    pub if_idx: u8,
}

#[derive(Clone, Copy)]
struct Sock {
    netif: NetifKey,
    handle: SocketHandle,
    tx_capacity: usize,
}

#[derive(Default)]
pub struct Dgram {
    socks: Vec<Sock>,
    pub rxq: VecDeque<Datagram>,
    /// Bytes in `rxq` (lwIP's recv_avail).
    pub rx_bytes: usize,
    /// Multicast groups joined through this conn.
    pub groups: Vec<(NetifKey, IpAddress)>,
}

fn ip_version(v6: bool) -> IpVersion {
    if v6 { IpVersion::Ipv6 } else { IpVersion::Ipv4 }
}

/// Receive space of a socket on `n`: the largest datagram that can arrive there, in one
/// frame (the interface's MTU) or reassembled (smoltcp's reassembly buffer), plus slack.
/// The sockets are drained after every frame, so one such datagram is all they hold.
/// (Firmware reassembles 4 KiB, so its sockets stage 4 KiB, not the 16 KiB of a host.)
fn rx_stage(n: &NetIf) -> usize {
    let caps = phy::Device::capabilities(&n.device);
    let frame = if caps.medium == Medium::Ethernet { caps.max_transmission_unit.saturating_sub(14) } else { caps.max_transmission_unit };
    frame.max(smoltcp::config::REASSEMBLY_BUFFER_SIZE) + 64
}

/// A send buffer for a datagram of `need` bytes: the start size, else the next power of
/// two that fits it with slack, at most [`TX_MAX`].
fn tx_room(need: usize) -> usize {
    if need <= TX_START - 64 { TX_START } else { (need + 64).next_power_of_two().min(TX_MAX) }
}

/// The buffers of a new socket, or None when the heap cannot give them (ERR_MEM).
fn buffers(rx: usize, tx: usize) -> Option<(Vec<u8>, Vec<u8>)> {
    Some((crate::mem::try_zeroed(rx)?, crate::mem::try_zeroed(tx)?))
}

fn new_udp(rx: usize, tx: usize) -> Option<udp::Socket<'static>> {
    let (rx, tx) = buffers(rx, tx)?;
    Some(udp::Socket::new(
        udp::PacketBuffer::new(vec![udp::PacketMetadata::EMPTY; 4], rx),
        udp::PacketBuffer::new(vec![udp::PacketMetadata::EMPTY; TX_PACKETS], tx),
    ))
}

fn new_raw(v6: bool, proto: u8, rx: usize, tx: usize) -> Option<raw::Socket<'static>> {
    let (rx, tx) = buffers(rx, tx)?;
    Some(raw::Socket::new(
        Some(ip_version(v6)),
        Some(IpProtocol::from(proto)),
        raw::PacketBuffer::new(vec![raw::PacketMetadata::EMPTY; 4], rx),
        raw::PacketBuffer::new(vec![raw::PacketMetadata::EMPTY; TX_PACKETS], tx),
    ))
}

/// Should conn `id` have a socket on netif `n` from the start? Not on the internal
/// loopback interface: a conn gets its socket there when the first loopback datagram for it
/// arrives ([`before_loopback_frame`]) or when it sends over loopback, so that a UDP socket
/// bound to "any" costs one interface's buffers, not two, in programs that never use it.
fn wants(cx: &Ctx, id: ConnId, n: &NetIf) -> bool {
    let Some(conn) = cx.conns.get(id) else { return false };
    if n.is_loopback() || (conn.opt.bound_if != 0 && n.index() != Some(conn.opt.bound_if)) {
        return false;
    }
    match conn.local.map(|l| l.addr) {
        Some(LocalAddr::Addr(a)) if !a.is_multicast() => n.iface.has_ip_addr(a),
        // RAW conns receive before any bind; UDP conns once bound.
        Some(_) => true,
        None => matches!(conn.kind, Kind::Raw(_)),
    }
}

/// Add the conn's socket on netif `key` (with a send buffer of `tx` bytes).
fn add_socket(cx: &mut Ctx, id: ConnId, key: NetifKey, tx: usize) -> Res<()> {
    let n = cx.netifs.iter_mut().find(|n| n.key() == key).ok_or(c::ERR_RTE)?;
    add_socket_on(cx.conns, n, id, tx)
}

fn add_socket_on(conns: &mut Table, n: &mut NetIf, id: ConnId, tx: usize) -> Res<()> {
    let key = n.key();
    let conn = conns.get(id).ok_or(c::ERR_VAL)?;
    let (kind, v6, local, ttl) = (conn.kind, conn.v6, conn.local, conn.opt.ttl);
    let rx = rx_stage(n);
    let handle = match kind {
        Kind::Raw(proto) => n.sockets.add(new_raw(v6, proto, rx, tx).ok_or(c::ERR_MEM)?),
        _ => {
            let local = local.ok_or(c::ERR_VAL)?;
            let mut s = new_udp(rx, tx).ok_or(c::ERR_MEM)?;
            s.set_hop_limit(Some(ttl.max(1)));
            let addr = local.addr.specific().filter(|a| !a.is_multicast());
            s.bind(IpListenEndpoint { addr, port: local.port }).map_err(|_| c::ERR_VAL)?;
            n.sockets.add(s)
        }
    };
    let conn = conns.get_mut(id).ok_or(c::ERR_VAL)?;
    conn.dgram.socks.push(Sock { netif: key, handle, tx_capacity: tx });
    Ok(())
}

/// A packet to `dst` (protocol `proto`; UDP: to `udp_port`) is about to be received on the
/// internal loopback interface `n`: give the conns that take it a socket there if they
/// have none yet (see [`wants`]). Without memory for one, the packet misses that conn, as
/// it would miss a full recvmbox.
pub fn before_loopback_frame(conns: &mut Table, n: &mut NetIf, dst: IpAddress, proto: u8, udp_port: Option<u16>) {
    let key = n.key();
    let mut i = 0;
    while let Some(&id) = conns.dgram.get(i) {
        i += 1;
        let Some(conn) = conns.get(id) else { continue };
        if conn.opt.bound_if != 0 || conn.dgram.socks.iter().any(|s| s.netif == key) {
            continue;
        }
        let family = matches!(dst, IpAddress::Ipv6(_)) == conn.v6;
        let bound = match conn.kind {
            Kind::Raw(p) => p == proto && family && conn.local.is_none_or(|l| l.addr.accepts(dst)),
            _ => udp_port.is_some() && conn.local.is_some_and(|l| Some(l.port) == udp_port && l.addr.accepts(dst)),
        };
        if bound {
            let _ = add_socket_on(conns, n, id, TX_START);
        }
    }
}

fn remove_sockets(cx: &mut Ctx, id: ConnId) {
    let Some(conn) = cx.conns.get_mut(id) else { return };
    for s in conn.dgram.socks.drain(..) {
        if let Some(n) = cx.netifs.iter_mut().find(|n| n.key() == s.netif) {
            n.sockets.remove(s.handle);
        }
    }
}

/// (Re)create the conn's sockets for its current binding.
pub fn rebind(cx: &mut Ctx, id: ConnId) -> Res<()> {
    remove_sockets(cx, id);
    let keys: Vec<NetifKey> = cx.netifs.iter().filter(|n| wants(cx, id, n)).map(NetIf::key).collect();
    for key in keys {
        add_socket(cx, id, key, TX_START)?;
    }
    Ok(())
}

/// Release every socket and group of a conn that is being deleted.
pub fn release(cx: &mut Ctx, id: ConnId) {
    let groups = cx.conns.get_mut(id).map(|c| core::mem::take(&mut c.dgram.groups)).unwrap_or_default();
    for (key, group) in groups {
        leave_if_unused(cx, id, key, group);
    }
    remove_sockets(cx, id);
    if let Some(conn) = cx.conns.get_mut(id) {
        conn.dgram.rxq.clear();
        conn.dgram.rx_bytes = 0;
    }
}

pub fn netif_added(cx: &mut Ctx, key: NetifKey) {
    let ids: Vec<ConnId> = cx.conns.ids().collect();
    for id in ids {
        let Some(conn) = cx.conns.get(id) else { continue };
        if conn.kind.is_tcp() || conn.dgram.socks.iter().any(|s| s.netif == key) {
            continue;
        }
        let Some(n) = cx.netifs.iter().find(|n| n.key() == key) else { return };
        if wants(cx, id, n) {
            let _ = add_socket(cx, id, key, TX_START);
        }
    }
}

pub fn netif_removed(cx: &mut Ctx, key: NetifKey) {
    for conn in cx.conns.conns_mut() {
        conn.dgram.socks.retain(|s| s.netif != key);
        conn.dgram.groups.retain(|g| g.0 != key);
    }
}

// ---- receive ------------------------------------------------------------------------------

/// The source and destination of a raw IP packet.
fn raw_addresses(packet: &[u8]) -> Option<(IpAddress, IpAddress)> {
    match packet.first()? >> 4 {
        4 => Ipv4Packet::new_checked(packet).ok().map(|p| (p.src_addr().into(), p.dst_addr().into())),
        6 => Ipv6Packet::new_checked(packet).ok().map(|p| (p.src_addr().into(), p.dst_addr().into())),
        _ => None,
    }
}

/// Whether a conn takes a datagram from `from` to `to`: a binding to one family takes only
/// that family, and a connected conn takes datagrams from its peer only.
fn takes(conn: &Conn, from: IpEndpoint, to: IpAddress) -> bool {
    if let Some(l) = conn.local {
        let group = (to.is_multicast() || is_broadcast(to)) && accepts_family(l.addr, to);
        if !(l.addr.accepts(to) || group) {
            return false;
        }
    }
    if let Some(r) = conn.remote {
        let port_ok = matches!(conn.kind, Kind::Raw(_)) || r.port == from.port;
        if r.addr != from.addr || !port_ok {
            return false;
        }
    }
    true
}

/// Queue a datagram on a conn, within its limits (beyond them it is dropped, as lwIP drops
/// what its recvmbox cannot take). Returns its length if queued.
fn enqueue(conn: &mut Conn, d: Datagram) -> Option<usize> {
    let len = d.data.len();
    if conn.dgram.rxq.len() >= queue_limit(conn.kind) || conn.dgram.rx_bytes + len > conn.recv_bufsize {
        return None;
    }
    conn.dgram.rx_bytes += len;
    conn.dgram.rxq.push_back(d);
    Some(len)
}

/// A UDP datagram that reached a conn which does not take it (connected to another peer,
/// say): smoltcp hands each datagram to the first socket bound to its port, where lwIP
/// looks further. Give it to another UDP conn on the same port that takes it.
fn pass_on(conns: &mut Table, from_conn: ConnId, port: u16, d: Datagram) {
    let target = conns.ids().find(|&other| {
        other != from_conn
            && conns.get(other).is_some_and(|c| {
                !matches!(c.kind, Kind::Raw(_)) && c.local.is_some_and(|l| l.port == port) && takes(c, d.from, d.to)
            })
    });
    let Some(target) = target else { return };
    let Some(conn) = conns.get_mut(target) else { return };
    if let Some(len) = enqueue(conn, d) {
        let owner = conn.owner;
        announce(conns, owner, c::NETCONN_EVT_RCVPLUS, len);
    }
}

/// Move what the conn's sockets received into its queue (see the module's documentation).
/// Returns whether anything arrived.
pub fn scan(cx: &mut Ctx, id: ConnId) -> bool {
    let Ctx { netifs, conns } = cx;
    let Some(conn) = conns.get(id) else { return false };
    let kind = conn.kind;
    let mut changed = false;
    for si in 0.. {
        let Some(s) = conns.get(id).and_then(|c| c.dgram.socks.get(si)).copied() else { break };
        let Some(n) = netifs.iter_mut().find(|n| n.key() == s.netif) else { continue };
        changed |= receive(n, kind, s.handle, |d| deliver(conns, id, d));
    }
    changed
}

/// After a frame that was not TCP came in on `n`: move what it brought into its conn's
/// queue at once, before the next frame, so a socket's receive space only ever has to hold
/// one datagram. `udp_port`: the frame's UDP destination port, if it is a UDP datagram
/// (the UDP conns on other ports are not looked at). Returns whether anything arrived.
pub fn after_frame(conns: &mut Table, n: &mut NetIf, udp_port: Option<u16>) -> bool {
    let key = n.key();
    let mut changed = false;
    let mut i = 0;
    while let Some(&id) = conns.dgram.get(i) {
        i += 1;
        let Some(conn) = conns.get(id) else { continue };
        let wanted = match conn.kind {
            Kind::Raw(_) => true,
            _ => udp_port.is_some() && conn.local.map(|l| l.port) == udp_port,
        };
        let Some(s) = conn.dgram.socks.iter().find(|s| s.netif == key).filter(|_| wanted) else { continue };
        let (kind, handle) = (conn.kind, s.handle);
        changed |= receive(n, kind, handle, |d| deliver(conns, id, d));
    }
    changed
}

/// Take every datagram out of one socket on `n` and hand each to `to_conn`. Returns
/// whether `to_conn` said any arrived.
fn receive(n: &mut NetIf, kind: Kind, handle: SocketHandle, mut to_conn: impl FnMut(Datagram) -> bool) -> bool {
    let if_idx = n.index().unwrap_or(0);
    let mut arrived = false;
    loop {
        let item = match kind {
            Kind::Raw(_) => {
                let sock = n.sockets.get_mut::<raw::Socket>(handle);
                match sock.recv() {
                    Ok(packet) => raw_addresses(packet).map(|(src, dst)| (Owned::copy_of(abi::PBUF_RAW, packet), IpEndpoint::new(src, 0), dst)),
                    Err(_) => break,
                }
            }
            _ => {
                let sock = n.sockets.get_mut::<udp::Socket>(handle);
                match sock.recv() {
                    Ok((payload, meta)) => {
                        let to = meta.local_address.unwrap_or(IpAddress::v4(0, 0, 0, 0));
                        Some((Owned::copy_of(abi::PBUF_TRANSPORT, payload), meta.endpoint, to))
                    }
                    Err(_) => break,
                }
            }
        };
        let Some((data, from, to)) = item else { continue };
        let Some(data) = data else { continue }; // out of memory: dropped, as lwIP does
        arrived |= to_conn(Datagram { data, from, to, if_idx });
    }
    arrived
}

/// Queue a datagram received for conn `id` and announce it; a UDP one the conn does not
/// take is passed on. Returns whether it was queued or passed on.
fn deliver(conns: &mut Table, id: ConnId, d: Datagram) -> bool {
    let Some(conn) = conns.get_mut(id) else { return false };
    if !takes(conn, d.from, d.to) {
        if matches!(conn.kind, Kind::Raw(_)) {
            return false;
        }
        let port = conn.local.map_or(0, |l| l.port);
        pass_on(conns, id, port, d);
        return true;
    }
    let Some(len) = enqueue(conn, d) else { return false };
    let owner = conn.owner;
    announce(conns, owner, c::NETCONN_EVT_RCVPLUS, len);
    true
}

/// Does a binding take packets of `to`'s family at all?
fn accepts_family(addr: LocalAddr, to: IpAddress) -> bool {
    match addr {
        LocalAddr::Any4 | LocalAddr::Addr(IpAddress::Ipv4(_)) => matches!(to, IpAddress::Ipv4(_)),
        LocalAddr::Any6 | LocalAddr::Addr(IpAddress::Ipv6(_)) => matches!(to, IpAddress::Ipv6(_)),
        LocalAddr::AnyBoth => true,
    }
}

fn is_broadcast(a: IpAddress) -> bool {
    matches!(a, IpAddress::Ipv4(v4) if v4.is_broadcast())
}

/// Look at (or take, unless `peek`) the first queued datagram.
pub fn recv<R>(cx: &mut Ctx, id: ConnId, peek: bool, f: impl FnOnce(&Datagram) -> R) -> Res<R> {
    let conn = cx.conn(id)?;
    let Some(front) = conn.dgram.rxq.front() else { return Err(c::ERR_WOULDBLOCK) };
    let r = f(front);
    if !peek {
        let d = conn.dgram.rxq.pop_front().expect("front exists");
        conn.dgram.rx_bytes -= d.data.len();
        let owner = conn.owner;
        announce(cx.conns, owner, c::NETCONN_EVT_RCVMINUS, d.data.len());
    }
    Ok(r)
}

/// Take the first queued datagram.
pub fn take(cx: &mut Ctx, id: ConnId) -> Res<Datagram> {
    let conn = cx.conn(id)?;
    let d = conn.dgram.rxq.pop_front().ok_or(c::ERR_WOULDBLOCK)?;
    conn.dgram.rx_bytes -= d.data.len();
    let owner = conn.owner;
    announce(cx.conns, owner, c::NETCONN_EVT_RCVMINUS, d.data.len());
    Ok(d)
}

pub fn ready(cx: &mut Ctx, id: ConnId) -> Res<Ready> {
    let conn = cx.conn(id)?;
    Ok(Ready { readable: !conn.dgram.rxq.is_empty(), writable: true, error: conn.err != c::ERR_OK, hangup: false })
}

// ---- send ---------------------------------------------------------------------------------

/// Connect (set the default destination); lwIP binds an unbound conn first.
pub fn connect(cx: &mut Ctx, id: ConnId, remote: IpEndpoint) -> Res<()> {
    let conn = cx.conn(id)?;
    if matches!(remote.addr, IpAddress::Ipv6(_)) && !conn.v6 {
        return Err(c::ERR_VAL);
    }
    if !matches!(conn.kind, Kind::Raw(_)) {
        super::ensure_bound(cx, id)?;
    }
    cx.conn(id)?.remote = Some(remote);
    Ok(())
}

pub fn disconnect(cx: &mut Ctx, id: ConnId) -> Res<()> {
    cx.conn(id)?.remote = None;
    Ok(())
}

/// Send one datagram of `parts` (gathered) to `to` (or the connected peer). Returns the
/// netif it was queued on, for the caller to flush (None: nothing was sent).
pub fn send(cx: &mut Ctx, id: ConnId, parts: &[&[u8]], to: Option<IpEndpoint>, zone: u8) -> Res<Option<NetifKey>> {
    let conn = cx.conn(id)?;
    let kind = conn.kind;
    let dst = match to.or(conn.remote) {
        Some(d) => d,
        // lwIP sends an unconnected IPv4 conn's datagram to 0.0.0.0:0 (its unset remote)
        // and reports success; nothing can receive that, so it is dropped here with the
        // same result. An IPv6 conn's unset remote is IP_ANY_TYPE: ERR_VAL there.
        None if !conn.v6 && !matches!(kind, Kind::Raw(_)) => {
            super::ensure_bound(cx, id)?;
            return Ok(None);
        }
        None => return Err(if conn.v6 { c::ERR_VAL } else { c::ERR_CONN }),
    };
    if matches!(dst.addr, IpAddress::Ipv6(_)) && !conn.v6 {
        return Err(c::ERR_VAL);
    }
    let len: usize = parts.iter().map(|p| p.len()).sum();
    if !matches!(kind, Kind::Raw(_)) {
        if dst.port == 0 || dst.addr.is_unspecified() {
            return Err(c::ERR_VAL);
        }
        super::ensure_bound(cx, id)?;
    }
    let conn = cx.conns.get(id).ok_or(c::ERR_VAL)?;
    let key = if zone != 0 && conn.opt.bound_if == 0 {
        route::route(cx.netifs, dst.addr, zone)
    } else {
        route::route_for(cx.netifs, conn, dst.addr)
    }
    .ok_or(c::ERR_RTE)?;
    let hop_limit = if dst.addr.is_multicast() { conn.opt.mcast_ttl } else { conn.opt.ttl };
    let local = conn.local.and_then(|l| l.addr.specific()).filter(|a| !a.is_multicast());
    let chksum_offset = conn.opt.chksum_offset;
    let need = match kind {
        Kind::Raw(_) => len + 60,
        _ => len,
    };
    if need > TX_MAX - 64 {
        return Err(c::ERR_VAL);
    }
    let sock = socket_on(cx, id, key, need)?;
    let n = cx.netifs.iter_mut().find(|n| n.key() == key).ok_or(c::ERR_RTE)?;
    match kind {
        Kind::Raw(proto) => {
            let src = local.or_else(|| route::source_address(n, dst.addr)).ok_or(c::ERR_RTE)?;
            let packet = build_ip(src, dst.addr, proto, hop_limit, parts, chksum_offset)?;
            n.sockets.get_mut::<raw::Socket>(sock).send_slice(&packet).map_err(|_| c::ERR_MEM)?;
        }
        _ => {
            let s = n.sockets.get_mut::<udp::Socket>(sock);
            s.set_hop_limit(Some(hop_limit.max(1)));
            let meta = udp::UdpMetadata { endpoint: dst, local_address: local, meta: Default::default() };
            let buf = s.send(len, meta).map_err(|e| match e {
                udp::SendError::Unaddressable => c::ERR_RTE,
                udp::SendError::BufferFull => c::ERR_MEM,
            })?;
            let mut at = 0;
            for p in parts {
                buf[at..at + p.len()].copy_from_slice(p);
                at += p.len();
            }
        }
    }
    Ok(Some(key))
}

/// The conn's socket on `key`, with room for a datagram of `need` bytes.
fn socket_on(cx: &mut Ctx, id: ConnId, key: NetifKey, need: usize) -> Res<SocketHandle> {
    let conn = cx.conn(id)?;
    let existing = conn.dgram.socks.iter().position(|s| s.netif == key);
    match existing {
        Some(i) if conn.dgram.socks[i].tx_capacity >= need => Ok(conn.dgram.socks[i].handle),
        Some(i) => {
            // Grow: drain what it received, then replace it by one with a larger buffer.
            scan(cx, id);
            let conn = cx.conn(id)?;
            let old = conn.dgram.socks.remove(i);
            if let Some(n) = cx.netifs.iter_mut().find(|n| n.key() == key) {
                n.sockets.remove(old.handle);
            }
            add_socket(cx, id, key, tx_room(need))?;
            Ok(cx.conn(id)?.dgram.socks.last().expect("just added").handle)
        }
        None => {
            // Sending through an interface the conn does not receive on (bound to an
            // address of another one): a socket just for sending.
            add_socket(cx, id, key, tx_room(need))?;
            Ok(cx.conn(id)?.dgram.socks.last().expect("just added").handle)
        }
    }
}

/// An IP packet around a raw conn's payload (lwIP's raw_sendto builds the header). With
/// `chksum_offset` >= 0 (IPV6_CHECKSUM, always on for ICMPv6) the protocol checksum at that
/// offset is filled in over the IPv6 pseudo-header.
fn build_ip(src: IpAddress, dst: IpAddress, proto: u8, hop_limit: u8, parts: &[&[u8]], chksum_offset: i32) -> Res<Vec<u8>> {
    use smoltcp::phy::ChecksumCapabilities;
    use smoltcp::wire::{Ipv4Repr, Ipv6Repr};
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut payload = Vec::with_capacity(len);
    for p in parts {
        payload.extend_from_slice(p);
    }
    match (src, dst) {
        (IpAddress::Ipv4(s), IpAddress::Ipv4(d)) => {
            let repr = Ipv4Repr { src_addr: s, dst_addr: d, next_header: IpProtocol::from(proto), payload_len: len, hop_limit };
            let mut out = vec![0u8; repr.buffer_len() + len];
            repr.emit(&mut Ipv4Packet::new_unchecked(&mut out[..]), &ChecksumCapabilities::default());
            out[repr.buffer_len()..].copy_from_slice(&payload);
            Ok(out)
        }
        (IpAddress::Ipv6(s), IpAddress::Ipv6(d)) => {
            let proto = IpProtocol::from(proto);
            if chksum_offset >= 0 {
                let at = chksum_offset as usize;
                if at + 2 > payload.len() {
                    return Err(c::ERR_VAL);
                }
                payload[at] = 0;
                payload[at + 1] = 0;
                let sum = ipv6_checksum(s, d, proto, &payload);
                payload[at..at + 2].copy_from_slice(&sum.to_be_bytes());
            }
            let repr = Ipv6Repr { src_addr: s, dst_addr: d, next_header: proto, payload_len: len, hop_limit };
            let mut out = vec![0u8; repr.buffer_len() + len];
            repr.emit(&mut Ipv6Packet::new_unchecked(&mut out[..]));
            out[repr.buffer_len()..].copy_from_slice(&payload);
            Ok(out)
        }
        _ => Err(c::ERR_VAL),
    }
}

fn ipv6_checksum(src: smoltcp::wire::Ipv6Address, dst: smoltcp::wire::Ipv6Address, proto: IpProtocol, data: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    let mut add = |b: &[u8]| {
        for ch in b.chunks(2) {
            let w = if ch.len() == 2 { u16::from_be_bytes([ch[0], ch[1]]) } else { u16::from(ch[0]) << 8 };
            sum += u32::from(w);
        }
    };
    add(&src.octets());
    add(&dst.octets());
    add(&(data.len() as u32).to_be_bytes());
    add(&[0, 0, 0, u8::from(proto)]);
    add(data);
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

// ---- multicast ----------------------------------------------------------------------------

/// Join or leave `group` on the netif with address `iface_addr` (v4) or index `if_idx` (v6),
/// or on every netif for "any". lwIP's netconn_join_leave_group(_netif).
pub fn join_leave(cx: &mut Ctx, id: ConnId, group: IpAddress, iface: Option<NetifKey>, join: bool) -> Res<()> {
    if !group.is_multicast() {
        return Err(c::ERR_VAL);
    }
    let keys: Vec<NetifKey> = match iface {
        Some(k) => vec![k],
        None => cx.netifs.iter().filter(|n| !n.is_loopback()).map(NetIf::key).collect(),
    };
    if keys.is_empty() {
        return Err(c::ERR_VAL);
    }
    if !join && iface.is_none() && !cx.conn(id)?.dgram.groups.iter().any(|g| g.1 == group) {
        // Not a member anywhere (lwIP's igmp_leavegroup fails).
        return Err(c::ERR_VAL);
    }
    for key in keys {
        let conn = cx.conn(id)?;
        let have = conn.dgram.groups.iter().position(|g| *g == (key, group));
        if join {
            if have.is_some() {
                if iface.is_some() {
                    return Err(c::ERR_VAL);
                }
                continue;
            }
            conn.dgram.groups.push((key, group));
            let n = cx.netifs.iter_mut().find(|n| n.key() == key).ok_or(c::ERR_VAL)?;
            n.iface.join_multicast_group(group).map_err(|_| c::ERR_MEM)?;
        } else {
            let Some(i) = have else {
                if iface.is_some() {
                    return Err(c::ERR_VAL);
                }
                continue;
            };
            conn.dgram.groups.remove(i);
            leave_if_unused(cx, id, key, group);
        }
    }
    Ok(())
}

/// Leave `group` on `key` unless another conn still has it joined there.
fn leave_if_unused(cx: &mut Ctx, id: ConnId, key: NetifKey, group: IpAddress) {
    let others = cx.conns.ids().filter(|o| *o != id).any(|o| {
        cx.conns.get(o).is_some_and(|c| c.dgram.groups.contains(&(key, group)))
    });
    if !others {
        if let Some(n) = cx.netifs.iter_mut().find(|n| n.key() == key) {
            let _ = n.iface.leave_multicast_group(group);
        }
    }
}

/// Bytes of the first queued datagram, and of all of them (FIONREAD).
pub fn pending(cx: &mut Ctx, id: ConnId) -> (usize, usize) {
    cx.conns.get(id).map_or((0, 0), |c| (c.dgram.rxq.front().map_or(0, |d| d.data.len()), c.dgram.rx_bytes))
}

/// Apply a changed TTL to the conn's sockets.
pub fn options_changed(cx: &mut Ctx, id: ConnId) {
    let Some(conn) = cx.conns.get(id) else { return };
    let ttl = conn.opt.ttl.max(1);
    if matches!(conn.kind, Kind::Raw(_)) {
        return;
    }
    for s in &conn.dgram.socks {
        if let Some(n) = cx.netifs.iter_mut().find(|n| n.key() == s.netif) {
            n.sockets.get_mut::<udp::Socket>(s.handle).set_hop_limit(Some(ttl));
        }
    }
}
