//! The netconn API (lwip/api.h) over the connection engine ([`crate::conn`]).
//!
//! A `struct netconn` is allocated here as the first field of a [`ConnBox`], so it has the
//! profile's exact layout and callers' macros (`netconn_type`, `netconn_set_nonblocking`,
//! `netconn_set_recvtimeout`, ...) read and write real fields. Each call reads the fields
//! callers may have written (flags, timeouts, recv_bufsize, linger) and afterwards writes
//! back what callers read (state, pending_err, pcb, recv_avail).
//!
//! Pointers callers pass in are checked against the live netconns (a deleted or foreign
//! pointer gets ERR_ARG, never a dereference). Events reach `netconn_callback` through
//! [`deliver`], from the tcpip thread for network events and from the caller's thread for
//! RCVMINUS/SENDMINUS and close, as in lwIP.

pub mod netbuf;

use alloc::boxed::Box;
use core::ffi::c_void;

use smoltcp::wire::{IpAddress, IpEndpoint};

use crate::abi::{self, c, err_t, ip_addr_t, netconn, netconn_callback, pbuf, u16_t, u8_t};
use crate::conn::{self, dgram, tcp, ConnId, Ctx, Event, Kind, LocalAddr, Owner, Res};
use crate::core::{self as stack, Blocked, StackInner};
use crate::sys::os;

/// Words of zeroed memory that `conn->pcb` points at while lwIP would have a pcb: code that
/// tests `conn->pcb.tcp != NULL`, or pokes a pcb field through lwIP's macros, finds memory.
const PCB_SHADOW_WORDS: usize = core::mem::size_of::<abi::tcp_pcb>().div_ceil(8);

#[repr(C)]
pub struct ConnBox {
    c: netconn,
    id: ConnId,
    /// netconn_recv reported the end of stream (ERR_CLSD): the receive side is shut.
    fin_delivered: bool,
    /// netconn_prepare_delete has closed the conn; only netconn_delete may follow.
    prepared: bool,
    pcb_shadow: [u64; PCB_SHADOW_WORDS],
}

/// How a call was configured through the struct's fields.
#[derive(Clone, Copy)]
struct Cfg {
    nonblocking: bool,
    recv_timeout_ms: u32,
    send_timeout_ms: u32,
    linger: i32,
}

// ---- struct netconn fields ------------------------------------------------------------------

/// # Safety
/// `nc` is a live netconn of ours (checked with `Table::id_of`), under the core lock.
unsafe fn read_cfg(nc: *mut netconn) -> Cfg {
    // SAFETY: caller contract.
    let n = unsafe { &*nc };
    #[cfg(lwip = "so_rcvtimeo")]
    let recv_timeout_ms = n.recv_timeout as u32;
    #[cfg(not(lwip = "so_rcvtimeo"))]
    let recv_timeout_ms = 0;
    #[cfg(lwip = "so_sndtimeo")]
    let send_timeout_ms = n.send_timeout.max(0) as u32;
    #[cfg(not(lwip = "so_sndtimeo"))]
    let send_timeout_ms = 0;
    #[cfg(lwip = "so_linger")]
    let linger = i32::from(n.linger);
    #[cfg(not(lwip = "so_linger"))]
    let linger = -1;
    Cfg { nonblocking: n.flags & c::NETCONN_FLAG_NON_BLOCKING != 0, recv_timeout_ms, send_timeout_ms, linger }
}

/// Copy what callers may have set in the struct into the conn.
fn sync_in(inner: &mut StackInner, nc: *mut netconn, id: ConnId) -> Cfg {
    // SAFETY: `id` was found for `nc`, so it is live; core lock held by `with`.
    let cfg = unsafe { read_cfg(nc) };
    // SAFETY: as above.
    let (flags, _bufsize) = unsafe {
        #[cfg(lwip = "so_rcvbuf")]
        let b = (*nc).recv_bufsize;
        #[cfg(not(lwip = "so_rcvbuf"))]
        let b = c::RECV_BUFSIZE_DEFAULT;
        ((*nc).flags, b)
    };
    if let Some(conn) = inner.conns.get_mut(id) {
        conn.v6only = flags & c::NETCONN_FLAG_IPV6_V6ONLY != 0;
        conn.recv_bufsize = _bufsize.max(0) as usize;
    }
    cfg
}

/// Write what callers read from the struct: state, pending error, pcb, recv_avail.
fn sync_out(inner: &mut StackInner, nc: *mut netconn, id: ConnId) {
    let Some(conn) = inner.conns.get(id) else { return };
    let (state, alive) = match &conn.tcp {
        tcp::Tcp::Listening(_) => (c::NETCONN_LISTEN, true),
        tcp::Tcp::Active(a) if a.connecting => (c::NETCONN_CONNECT, true),
        tcp::Tcp::Done => (c::NETCONN_NONE, false),
        _ => (c::NETCONN_NONE, true),
    };
    let connecting = state == c::NETCONN_CONNECT;
    let err = conn.err;
    let _avail = conn.dgram.rx_bytes;
    let b = nc as *mut ConnBox;
    // SAFETY: live box (see sync_in); only plain fields are written.
    unsafe {
        (*nc).state = state as _;
        (*nc).pending_err = err;
        (*nc).pcb.tcp = if alive { (&raw mut (*b).pcb_shadow).cast() } else { core::ptr::null_mut() };
        if !connecting {
            (*nc).flags &= !c::NETCONN_FLAG_IN_NONBLOCKING_CONNECT;
        }
        #[cfg(lwip = "so_rcvbuf")]
        {
            (*nc).recv_avail = _avail.min(i32::MAX as usize) as _;
        }
    }
}

/// Hand one event to its netconn's callback (called by the core, core lock held).
pub fn deliver(ev: Event) {
    let nc = ev.owner.0;
    let cb = stack::with(|inner| {
        let id = inner.conns.id_of(nc)?;
        sync_out(inner, nc, id);
        // SAFETY: live netconn of ours.
        unsafe { (*nc).callback }
    });
    if let Ok(Some(cb)) = cb {
        // SAFETY: the caller's callback with its own netconn, as lwIP's API_EVENT calls it.
        unsafe { cb(nc, ev.evt as _, ev.len) };
    }
}

// lwIP's marker objects for errors queued in a netconn's mailbox (api_msg.c); exported
// because lwIP's library exports them and code built against it may reference them.
#[unsafe(no_mangle)]
pub static netconn_aborted: u8 = 0;
#[unsafe(no_mangle)]
pub static netconn_reset: u8 = 0;
#[unsafe(no_mangle)]
pub static netconn_closed: u8 = 0;

// ---- call plumbing ---------------------------------------------------------------------------

/// Run `f` on a caller's netconn: ERR_ARG for NULL or a pointer that is not a live netconn
/// of ours. Fields are synced around the call; queued events are delivered after it.
fn call<R>(nc: *mut netconn, f: impl FnOnce(&mut StackInner, ConnId, Cfg) -> Result<R, err_t>) -> Result<R, err_t> {
    if nc.is_null() {
        return Err(c::ERR_ARG);
    }
    let r = stack::with(|inner| {
        let id = inner.conns.id_of(nc).ok_or(c::ERR_ARG)?;
        let cfg = sync_in(inner, nc, id);
        let r = f(inner, id, cfg);
        sync_out(inner, nc, id);
        r
    })
    .unwrap_or(Err(c::ERR_ARG));
    stack::fire_events();
    r
}

/// Block (releasing the core lock) until `f` has an answer other than ERR_WOULDBLOCK.
/// `timeout_ms` 0 waits forever; on expiry the result is `on_timeout`.
fn wait<R>(nc: *mut netconn, timeout_ms: u32, on_timeout: err_t, mut f: impl FnMut(&mut StackInner, ConnId) -> Result<R, err_t>) -> Result<R, err_t> {
    let deadline = (timeout_ms != 0).then(|| os::now_us() + u64::from(timeout_ms) * 1_000);
    let mut first = None;
    let r = stack::block_on(deadline, |inner| {
        let id = inner.conns.id_of(nc);
        let first = *first.get_or_insert(id);
        let Some(id) = id.filter(|&id| Some(id) == first) else {
            // Deleted from another thread while we waited (and its memory maybe reused by a
            // new netconn): lwIP's waiter gets ERR_CONN ("closed from another thread").
            return Some(Err(c::ERR_CONN));
        };
        let r = match f(inner, id) {
            Err(e) if e == c::ERR_WOULDBLOCK => None,
            r => Some(r),
        };
        sync_out(inner, nc, id);
        r
    });
    match r {
        Ok(r) => r,
        Err(Blocked::TimedOut) => Err(on_timeout),
        Err(Blocked::WouldDeadlock) => Err(c::ERR_WOULDBLOCK),
    }
}

/// A blocking write or connect that another thread's close, shutdown(SHUT_WR) or delete
/// ended (the wait sees ERR_CONN): lwIP aborts it with ERR_CLSD (LWIP_NETCONN_FULLDUPLEX).
fn aborted_by_close(e: err_t) -> err_t {
    if e == c::ERR_CONN { c::ERR_CLSD } else { e }
}

fn err_of(r: Res<()>) -> err_t {
    r.err().unwrap_or(c::ERR_OK)
}

/// Send what `key` has queued (the core's flush), for operations that produced output.
fn flush(inner: &mut StackInner, key: Option<crate::core::NetifKey>) {
    if let Some(k) = key {
        inner.flush(k);
    }
}

fn tcp_netif(inner: &mut StackInner, id: ConnId) -> Option<crate::core::NetifKey> {
    tcp::netif_of(&inner.conns, id)
}

// ---- addresses ------------------------------------------------------------------------------

/// An `ip_addr_t` as a binding: IP_ANY_TYPE, a family's any address, or an address.
pub fn local_of(addr: &ip_addr_t) -> LocalAddr {
    match crate::addr::ip_addr_to_smol(addr) {
        None => LocalAddr::AnyBoth,
        Some(IpAddress::Ipv4(a)) if a.is_unspecified() => LocalAddr::Any4,
        Some(IpAddress::Ipv6(a)) if a.is_unspecified() => LocalAddr::Any6,
        Some(a) => LocalAddr::Addr(a),
    }
}

pub fn ip_of_local(l: LocalAddr) -> ip_addr_t {
    match l {
        LocalAddr::Any4 => crate::addr::ip_addr_from_smol(IpAddress::v4(0, 0, 0, 0)),
        LocalAddr::Any6 => crate::addr::ip_addr_from_smol(IpAddress::Ipv6(smoltcp::wire::Ipv6Address::UNSPECIFIED)),
        LocalAddr::AnyBoth => crate::addr::ip_addr_from_words([0; 4], c::IPADDR_TYPE_ANY),
        LocalAddr::Addr(a) => crate::addr::ip_addr_from_smol(a),
    }
}

/// The zone (netif index) of a scoped IPv6 address, 0 if none.
pub fn zone_of(addr: &ip_addr_t) -> u8 {
    #[cfg(lwip = "ipv6_scopes")]
    if addr.type_ == c::IPADDR_TYPE_V6 {
        // SAFETY: the IPv6 member of an IPv6 address.
        return unsafe { addr.u_addr.ip6.zone };
    }
    let _ = addr;
    0
}

/// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) stand for the IPv4 address (lwIP's
/// dual-stack sockets unmap them).
pub fn unmap(a: IpAddress) -> IpAddress {
    match a {
        IpAddress::Ipv6(v6) => {
            let o = v6.octets();
            if o[..10].iter().all(|&b| b == 0) && o[10] == 0xff && o[11] == 0xff {
                IpAddress::v4(o[12], o[13], o[14], o[15])
            } else {
                a
            }
        }
        a => a,
    }
}

// ---- create / delete ------------------------------------------------------------------------

fn kind_of(t: abi::netconn_type, proto: u8) -> Option<(Kind, bool)> {
    let t = t as core::ffi::c_int;
    let v6 = t & c::NETCONN_TYPE_IPV6 != 0;
    let kind = match t & !c::NETCONN_TYPE_IPV6 {
        x if x == c::NETCONN_TCP => Kind::Tcp,
        x if x == c::NETCONN_UDP => Kind::Udp,
        x if x == c::NETCONN_UDPNOCHKSUM => Kind::UdpNoChksum,
        // UDP-Lite is not provided by the engine (COMPATIBILITY.md).
        x if x == c::NETCONN_RAW => Kind::Raw(proto),
        _ => return None,
    };
    Some((kind, v6))
}

/// A new netconn box for `id`-to-be, with lwIP's initial field values.
fn new_box(t: abi::netconn_type, callback: netconn_callback) -> *mut ConnBox {
    let mut c = netconn::default();
    c.type_ = t;
    c.state = c::NETCONN_NONE as _;
    c.pending_err = c::ERR_OK;
    c.callback = callback;
    #[cfg(lwip = "socket")]
    {
        c.socket = -1;
    }
    #[cfg(lwip = "so_rcvbuf")]
    {
        c.recv_bufsize = c::RECV_BUFSIZE_DEFAULT;
    }
    #[cfg(lwip = "so_linger")]
    {
        c.linger = -1;
    }
    #[cfg(lwip = "netbuf_recvinfo")]
    if (t as core::ffi::c_int) & 0xf0 == c::NETCONN_UDP {
        c.flags |= c::NETCONN_FLAG_PKTINFO;
    }
    let placeholder = ConnId::default();
    Box::into_raw(Box::new(ConnBox { c, id: placeholder, fin_delivered: false, prepared: false, pcb_shadow: [0; PCB_SHADOW_WORDS] }))
}

/// Create the conn for a fresh box; returns the box as a netconn, or NULL.
fn register(b: *mut ConnBox, kind: Kind, v6: bool) -> *mut netconn {
    let nc = b as *mut netconn;
    let created = stack::with(|inner| {
        let id = inner.conns.create(kind, v6, Some(Owner(nc))).ok()?;
        // SAFETY: our fresh box.
        unsafe { (*b).id = id };
        if let Kind::Raw(proto) = kind {
            let conn = inner.conns.get_mut(id).expect("just created");
            if v6 && proto == c::IPPROTO_ICMPV6 as u8 {
                // lwIP computes ICMPv6 checksums for raw conns (offset 2).
                conn.opt.chksum_offset = 2;
            }
            let _ = dgram::rebind(&mut inner.ctx(), id);
        }
        sync_out(inner, nc, id);
        Some(())
    });
    if matches!(created, Ok(Some(()))) {
        nc
    } else {
        // SAFETY: never handed out.
        drop(unsafe { Box::from_raw(b) });
        core::ptr::null_mut()
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_new_with_proto_and_callback(
    t: abi::netconn_type,
    proto: u8_t,
    callback: netconn_callback,
) -> *mut netconn {
    let Some((kind, v6)) = kind_of(t, proto) else { return core::ptr::null_mut() };
    register(new_box(t, callback), kind, v6)
}
same_signature!(netconn_new_with_proto_and_callback(_, _, _));

/// Close and release a conn (graceful, honouring SO_LINGER), firing lwIP's close events.
/// The conn and its box stay until netconn_delete.
fn prepare_delete(nc: *mut netconn) -> err_t {
    let r = prepare_delete_inner(nc);
    // Threads blocked on this conn look again (and get ERR_CONN).
    stack::stack().wake_waiters();
    r
}

fn prepare_delete_inner(nc: *mut netconn) -> err_t {
    let b = nc as *mut ConnBox;
    // SO_LINGER with a positive time: wait (blocking conns only) for the data to be acked.
    let linger = call(nc, |inner, id, cfg| {
        // SAFETY: live box (call checked it).
        if unsafe { (*b).prepared } {
            return Ok(None);
        }
        let tcp_alive = matches!(inner.conns.get(id).map(|c| &c.tcp), Some(tcp::Tcp::Active(_)));
        if cfg.linger > 0 && tcp_alive && tcp::unacked(&mut inner.ctx(), id) > 0 {
            if cfg.nonblocking {
                return Err(c::ERR_WOULDBLOCK);
            }
            return Ok(Some(cfg.linger));
        }
        Ok(None)
    });
    let abort_after_linger = match linger {
        Err(e) => return e,
        Ok(Some(secs)) => wait(nc, secs as u32 * 1000, c::ERR_TIMEOUT, |inner, id| {
            if tcp::unacked(&mut inner.ctx(), id) == 0 { Ok(()) } else { Err(c::ERR_WOULDBLOCK) }
        })
        .is_err(),
        Ok(None) => false,
    };
    err_of(call(nc, |inner, id, cfg| {
        // SAFETY: live box (call checked it).
        if unsafe { core::mem::replace(&mut (*b).prepared, true) } {
            return Ok(());
        }
        let conn = inner.conns.get(id).ok_or(c::ERR_ARG)?;
        let kind = conn.kind;
        let had_pcb = !matches!(conn.tcp, tcp::Tcp::Done);
        let key = tcp_netif(inner, id);
        let abort = abort_after_linger || cfg.linger == 0 && tcp::unacked(&mut inner.ctx(), id) > 0;
        let groups = conn::group_netifs(&inner.conns, id);
        conn::close(&mut inner.ctx(), id, abort);
        flush(inner, key);
        for k in groups {
            inner.flush(k);
        }
        let owner = Some(Owner(nc));
        if kind.is_tcp() && had_pcb {
            conn::announce(&mut inner.conns, owner, c::NETCONN_EVT_ERROR, 0);
        }
        conn::announce(&mut inner.conns, owner, c::NETCONN_EVT_RCVPLUS, 0);
        conn::announce(&mut inner.conns, owner, c::NETCONN_EVT_SENDPLUS, 0);
        Ok(())
    }))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_prepare_delete(nc: *mut netconn) -> err_t {
    if nc.is_null() {
        return c::ERR_OK;
    }
    prepare_delete(nc)
}
same_signature!(netconn_prepare_delete(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_delete(nc: *mut netconn) -> err_t {
    if nc.is_null() {
        return c::ERR_OK;
    }
    let err = prepare_delete(nc);
    if err != c::ERR_OK {
        return err;
    }
    // Close events have been delivered; now the conn and its box go, together.
    let removed = stack::with(|inner| match inner.conns.id_of(nc) {
        Some(id) => conn::delete(&mut inner.ctx(), id, false).is_ok(),
        None => false,
    });
    if removed != Ok(true) {
        return c::ERR_ARG;
    }
    // SAFETY: our box, no longer known to the stack.
    drop(unsafe { Box::from_raw(nc as *mut ConnBox) });
    stack::stack().wake_waiters();
    c::ERR_OK
}
same_signature!(netconn_delete(_));

// ---- addresses, bind, connect, listen, accept -------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_getaddr(nc: *mut netconn, addr: *mut ip_addr_t, port: *mut u16_t, local: u8_t) -> err_t {
    if nc.is_null() || addr.is_null() || port.is_null() {
        return c::ERR_ARG;
    }
    let r = call(nc, |inner, id, _| conn::addr(&mut inner.ctx(), id, local != 0));
    match r {
        Ok((a, p)) => {
            // SAFETY: caller's out-pointers, checked non-NULL.
            unsafe {
                *addr = ip_of_local(a);
                *port = p;
            }
            c::ERR_OK
        }
        Err(e) => e,
    }
}
same_signature!(netconn_getaddr(_, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_bind(nc: *mut netconn, addr: *const ip_addr_t, port: u16_t) -> err_t {
    // SAFETY: NULL or the caller's address.
    let local = match unsafe { addr.as_ref() } {
        None => LocalAddr::Any4,
        Some(a) => local_of(a),
    };
    err_of(call(nc, |inner, id, _| {
        let conn = inner.conns.get(id).ok_or(c::ERR_ARG)?;
        // lwIP's dual-stack rule: IP6_ADDR_ANY without IPV6_V6ONLY binds both families.
        let local = if local == LocalAddr::Any6 && !conn.v6only { LocalAddr::AnyBoth } else { local };
        let local = match local {
            LocalAddr::Addr(a) => LocalAddr::Addr(unmap(a)),
            l => l,
        };
        conn::bind(&mut inner.ctx(), id, local, port)
    }))
}
same_signature!(netconn_bind(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_bind_if(nc: *mut netconn, if_idx: u8_t) -> err_t {
    err_of(call(nc, |inner, id, _| {
        if !inner.netifs.iter().any(|n| n.index() == Some(if_idx)) {
            return Err(c::ERR_VAL);
        }
        let conn = inner.conns.get_mut(id).ok_or(c::ERR_ARG)?;
        conn.opt.bound_if = if_idx;
        if !conn.kind.is_tcp() && conn.local.is_some() {
            dgram::rebind(&mut inner.ctx(), id)?;
        }
        Ok(())
    }))
}
same_signature!(netconn_bind_if(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_connect(nc: *mut netconn, addr: *const ip_addr_t, port: u16_t) -> err_t {
    // SAFETY: NULL or the caller's address.
    let (dst, zone) = match unsafe { addr.as_ref() } {
        None => (IpAddress::v4(0, 0, 0, 0), 0),
        Some(a) => (crate::addr::ip_addr_to_smol(a).unwrap_or(IpAddress::v4(0, 0, 0, 0)), zone_of(a)),
    };
    let remote = IpEndpoint::new(unmap(dst), port);
    let started = call(nc, |inner, id, cfg| {
        let conn = inner.conns.get(id).ok_or(c::ERR_ARG)?;
        match conn.kind {
            Kind::Tcp => {
                if matches!(conn.tcp, tcp::Tcp::Done) {
                    return Err(c::ERR_CLSD);
                }
                let _ = zone;
                tcp::connect(&mut inner.ctx(), id, remote)?;
                let key = tcp_netif(inner, id);
                flush(inner, key);
                if cfg.nonblocking {
                    // SAFETY: live netconn (call checked it).
                    unsafe { (*nc).flags |= c::NETCONN_FLAG_IN_NONBLOCKING_CONNECT };
                    return Err(c::ERR_INPROGRESS);
                }
                Ok(true)
            }
            _ => dgram::connect(&mut inner.ctx(), id, remote).map(|_| false),
        }
    });
    match started {
        Ok(true) => {
            let r = wait(nc, 0, c::ERR_TIMEOUT, |inner, id| match tcp::connect_result(&mut inner.ctx(), id) {
                None => Err(c::ERR_WOULDBLOCK),
                Some(r) => r,
            })
            .map_err(aborted_by_close);
            stack::fire_events();
            err_of(r)
        }
        Ok(false) => c::ERR_OK,
        Err(e) => e,
    }
}
same_signature!(netconn_connect(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_disconnect(nc: *mut netconn) -> err_t {
    err_of(call(nc, |inner, id, _| {
        let conn = inner.conns.get(id).ok_or(c::ERR_ARG)?;
        if !conn.kind.is_udp() {
            return Err(c::ERR_VAL);
        }
        dgram::disconnect(&mut inner.ctx(), id)
    }))
}
same_signature!(netconn_disconnect(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_listen_with_backlog(nc: *mut netconn, backlog: u8_t) -> err_t {
    err_of(call(nc, |inner, id, _| {
        let conn = inner.conns.get(id).ok_or(c::ERR_ARG)?;
        match (&conn.tcp, conn.kind) {
            (_, k) if !k.is_tcp() => Err(c::ERR_ARG),
            (tcp::Tcp::Done, _) => Err(c::ERR_CONN),
            (tcp::Tcp::Active(a), _) if a.connecting => Err(c::ERR_CONN),
            (tcp::Tcp::Active(_), _) => Err(c::ERR_VAL),
            _ => tcp::listen(&mut inner.ctx(), id, backlog),
        }
    }))
}
same_signature!(netconn_listen_with_backlog(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_accept(nc: *mut netconn, new_conn: *mut *mut netconn) -> err_t {
    if new_conn.is_null() {
        return c::ERR_ARG;
    }
    // SAFETY: caller's out-pointer, checked non-NULL.
    unsafe { *new_conn = core::ptr::null_mut() };
    let first = call(nc, |inner, id, cfg| {
        let conn = inner.conns.get_mut(id).ok_or(c::ERR_ARG)?;
        if conn.err != c::ERR_OK {
            return Err(core::mem::replace(&mut conn.err, c::ERR_OK));
        }
        if !matches!(conn.tcp, tcp::Tcp::Listening(_)) {
            return Err(c::ERR_CLSD);
        }
        match tcp::accept(&mut inner.ctx(), id) {
            Err(e) if e == c::ERR_WOULDBLOCK && !cfg.nonblocking => Ok((None, cfg)),
            r => r.map(|new| (Some(new), cfg)),
        }
    });
    let new = match first {
        Err(e) => return e,
        Ok((Some(new), _)) => new,
        Ok((None, cfg)) => match wait(nc, cfg.recv_timeout_ms, c::ERR_TIMEOUT, |inner, id| {
            if !matches!(inner.conns.get(id).map(|c| &c.tcp), Some(tcp::Tcp::Listening(_))) {
                return Err(c::ERR_CONN);
            }
            tcp::accept(&mut inner.ctx(), id)
        }) {
            Ok(new) => new,
            Err(e) => {
                stack::fire_events();
                return e;
            }
        },
    };
    // A netconn for the new connection, with the listener's type and callback (lwIP's
    // accept_function does the same).
    // SAFETY: the listener is still alive: accept just took a connection from it.
    let (t, cb) = unsafe { ((*nc).type_, (*nc).callback) };
    let b = new_box(t, cb);
    let out = b as *mut netconn;
    let ok = stack::with(|inner| {
        if inner.conns.get(new).is_none() {
            return false;
        }
        // SAFETY: our fresh box.
        unsafe { (*b).id = new };
        inner.conns.set_owner(new, Owner(out));
        sync_out(inner, out, new);
        true
    });
    stack::fire_events();
    if ok != Ok(true) {
        // SAFETY: never handed out.
        drop(unsafe { Box::from_raw(b) });
        return c::ERR_ABRT;
    }
    // SAFETY: caller's out-pointer.
    unsafe { *new_conn = out };
    c::ERR_OK
}
same_signature!(netconn_accept(_, _));

// ---- receive --------------------------------------------------------------------------------

/// Read one chunk of TCP data as a pbuf (NULL: end of stream), lwIP's netconn_recv_data_tcp.
fn recv_tcp(nc: *mut netconn, apiflags: u8) -> Result<*mut pbuf, err_t> {
    let b = nc as *mut ConnBox;
    let hold = apiflags & c::NETCONN_NOAUTORCVD != 0;
    let mode = if hold { tcp::Read::Hold } else { tcp::Read::Take };
    let take = |inner: &mut StackInner, id: ConnId| -> Result<Option<crate::pbuf::Owned>, err_t> {
        // One pbuf with everything buffered (up to a pbuf's limit), copied out once.
        let avail = tcp::pending_bytes(&mut inner.ctx(), id).min(usize::from(u16::MAX));
        let mut p: Option<crate::pbuf::Owned> = None;
        let mut off = 0usize;
        let n = tcp::recv(&mut inner.ctx(), id, mode, &mut |bytes| {
            if p.is_none() {
                p = crate::pbuf::Owned::alloc(abi::PBUF_RAW, avail.max(1));
            }
            let Some(pb) = p.as_ref() else { return 0 };
            let n = bytes.len().min(pb.len() - off);
            off += pb.write(off, &bytes[..n]);
            n
        })?;
        if n == 0 {
            return Ok(None);
        }
        if !hold {
            // Reading opened the window: let smoltcp announce it now.
            flush(inner, tcp::netif_of(&inner.conns, id));
        }
        let pb = p.expect("data was copied into it");
        pb.truncate(n);
        Ok(Some(pb))
    };
    let first = call(nc, |inner, id, cfg| {
        // SAFETY: live box (call checked it).
        let (fin_done, fin_pending) = unsafe { ((*b).fin_delivered, (*nc).flags & c::NETCONN_FIN_RX_PENDING != 0) };
        if fin_done {
            return Err(c::ERR_CONN);
        }
        if fin_pending {
            // SAFETY: as above.
            unsafe { (*nc).flags &= !c::NETCONN_FIN_RX_PENDING };
            return Ok((Some(None), cfg));
        }
        let dontblock = cfg.nonblocking || apiflags & c::NETCONN_DONTBLOCK != 0;
        match take(inner, id) {
            Err(e) if e == c::ERR_WOULDBLOCK && !dontblock => Ok((None, cfg)),
            Err(e) => Err(e),
            Ok(p) => Ok((Some(p), cfg)),
        }
    });
    let got = match first {
        Err(e) => return Err(e),
        Ok((Some(p), _)) => p,
        Ok((None, cfg)) => wait(nc, cfg.recv_timeout_ms, c::ERR_TIMEOUT, take)?,
    };
    match got {
        Some(p) => Ok(p.into_raw()),
        None if apiflags & c::NETCONN_NOFIN != 0 => {
            let _ = call(nc, |_, _, _| {
                // SAFETY: live box.
                unsafe { (*nc).flags |= c::NETCONN_FIN_RX_PENDING };
                Ok(())
            });
            Err(c::ERR_WOULDBLOCK)
        }
        None => {
            // End of stream: lwIP announces it, shuts the receive side (which announces
            // RCVPLUS) and reports ERR_CLSD; later receives get ERR_CONN.
            let _ = call(nc, |inner, id, _| {
                // SAFETY: live box.
                unsafe { (*b).fin_delivered = true };
                let owner = Some(Owner(nc));
                conn::announce(&mut inner.conns, owner, c::NETCONN_EVT_RCVMINUS, 0);
                conn::announce(&mut inner.conns, owner, c::NETCONN_EVT_RCVPLUS, 0);
                if let Some(conn) = inner.conns.get_mut(id) {
                    conn.shut_rd = true;
                }
                Ok(())
            });
            Err(c::ERR_CLSD)
        }
    }
}

/// Take one datagram as a netbuf, lwIP's netconn_recv_data for UDP/RAW.
fn recv_dgram(nc: *mut netconn, apiflags: u8) -> Result<*mut abi::netbuf, err_t> {
    let first = call(nc, |inner, id, cfg| {
        let dontblock = cfg.nonblocking || apiflags & c::NETCONN_DONTBLOCK != 0;
        match dgram::take(&mut inner.ctx(), id) {
            Err(e) if e == c::ERR_WOULDBLOCK => {
                let conn = inner.conns.get_mut(id).ok_or(c::ERR_ARG)?;
                if conn.err != c::ERR_OK {
                    return Err(core::mem::replace(&mut conn.err, c::ERR_OK));
                }
                if dontblock { Err(e) } else { Ok((None, cfg)) }
            }
            Err(e) => Err(e),
            Ok(d) => Ok((Some(d), cfg)),
        }
    });
    let d = match first {
        Err(e) => return Err(e),
        Ok((Some(d), _)) => d,
        Ok((None, cfg)) => wait(nc, cfg.recv_timeout_ms, c::ERR_TIMEOUT, |inner, id| dgram::take(&mut inner.ctx(), id))?,
    };
    stack::fire_events();
    // SAFETY: nc is live (we just took from its conn); reading its type only.
    let raw_proto = unsafe { (*nc).type_ as core::ffi::c_int } & 0xf0 == c::NETCONN_RAW;
    Ok(netbuf::from_datagram(d, raw_proto))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_recv_tcp_pbuf_flags(nc: *mut netconn, new_buf: *mut *mut pbuf, apiflags: u8_t) -> err_t {
    if !is_kind(nc, true) || new_buf.is_null() {
        return c::ERR_ARG;
    }
    // SAFETY: caller's out-pointer.
    unsafe { *new_buf = core::ptr::null_mut() };
    match recv_tcp(nc, apiflags) {
        Ok(p) => {
            // SAFETY: as above.
            unsafe { *new_buf = p };
            c::ERR_OK
        }
        Err(e) => e,
    }
}
same_signature!(netconn_recv_tcp_pbuf_flags(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_recv_tcp_pbuf(nc: *mut netconn, new_buf: *mut *mut pbuf) -> err_t {
    // SAFETY: forwarding.
    unsafe { netconn_recv_tcp_pbuf_flags(nc, new_buf, 0) }
}
same_signature!(netconn_recv_tcp_pbuf(_, _));

/// Whether `nc` is a live netconn whose protocol is TCP (`tcp`) or not.
fn is_kind(nc: *mut netconn, tcp: bool) -> bool {
    !nc.is_null()
        && stack::with(|inner| inner.conns.id_of(nc).and_then(|id| inner.conns.get(id)).is_some_and(|c| c.kind.is_tcp() == tcp))
            .unwrap_or(false)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_recv_udp_raw_netbuf_flags(nc: *mut netconn, new_buf: *mut *mut abi::netbuf, apiflags: u8_t) -> err_t {
    if !is_kind(nc, false) || new_buf.is_null() {
        return c::ERR_ARG;
    }
    // SAFETY: caller's out-pointer.
    unsafe { *new_buf = core::ptr::null_mut() };
    match recv_dgram(nc, apiflags) {
        Ok(b) if b.is_null() => c::ERR_MEM,
        Ok(b) => {
            // SAFETY: as above.
            unsafe { *new_buf = b };
            c::ERR_OK
        }
        Err(e) => e,
    }
}
same_signature!(netconn_recv_udp_raw_netbuf_flags(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_recv_udp_raw_netbuf(nc: *mut netconn, new_buf: *mut *mut abi::netbuf) -> err_t {
    // SAFETY: forwarding.
    unsafe { netconn_recv_udp_raw_netbuf_flags(nc, new_buf, 0) }
}
same_signature!(netconn_recv_udp_raw_netbuf(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_recv(nc: *mut netconn, new_buf: *mut *mut abi::netbuf) -> err_t {
    if new_buf.is_null() {
        return c::ERR_ARG;
    }
    // SAFETY: caller's out-pointer.
    unsafe { *new_buf = core::ptr::null_mut() };
    if nc.is_null() {
        return c::ERR_ARG;
    }
    if is_kind(nc, true) {
        let nb = netbuf::new();
        if nb.is_null() {
            return c::ERR_MEM;
        }
        match recv_tcp(nc, 0) {
            Ok(p) => {
                // SAFETY: our fresh netbuf; the pbuf's reference moves into it.
                unsafe {
                    (*nb).p = p;
                    (*nb).ptr = p;
                    *new_buf = nb;
                }
                c::ERR_OK
            }
            Err(e) => {
                // SAFETY: our fresh, empty netbuf.
                unsafe { netbuf::netbuf_delete(nb) };
                e
            }
        }
    } else {
        // SAFETY: forwarding.
        unsafe { netconn_recv_udp_raw_netbuf_flags(nc, new_buf, 0) }
    }
}
same_signature!(netconn_recv(_, _));

/// Opens the window by `len` bytes read with NETCONN_NOAUTORCVD (lwIP's `tcp_recved`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_tcp_recvd(nc: *mut netconn, len: usize) -> err_t {
    if !is_kind(nc, true) {
        return c::ERR_ARG;
    }
    let _ = call(nc, |inner, id, _| {
        tcp::recvd(&mut inner.ctx(), id, len);
        flush(inner, tcp::netif_of(&inner.conns, id));
        Ok(())
    });
    c::ERR_OK
}
same_signature!(netconn_tcp_recvd(_, _));

// ---- send -----------------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_send(nc: *mut netconn, buf: *mut abi::netbuf) -> err_t {
    if nc.is_null() {
        return c::ERR_ARG;
    }
    // SAFETY: NULL or the caller's netbuf.
    let Some(nb) = (unsafe { buf.as_ref() }) else {
        // lwIP rejects a TCP conn before it looks at the netbuf (and crashes otherwise).
        return if is_kind(nc, true) { c::ERR_CONN } else { c::ERR_VAL };
    };
    let to_addr = crate::addr::ip_addr_to_smol(&nb.addr);
    let to = match to_addr {
        Some(a) if !a.is_unspecified() => Some(IpEndpoint::new(unmap(a), nb.port)),
        _ => None,
    };
    let zone = zone_of(&nb.addr);
    let p = nb.p;
    err_of(call(nc, |inner, id, _| {
        let conn = inner.conns.get_mut(id).ok_or(c::ERR_ARG)?;
        if conn.err != c::ERR_OK {
            return Err(core::mem::replace(&mut conn.err, c::ERR_OK));
        }
        if conn.kind.is_tcp() {
            return Err(c::ERR_CONN);
        }
        // SAFETY: the netbuf's pbuf chain, alive for this call.
        let parts: alloc::vec::Vec<&[u8]> = unsafe { crate::pbuf::segments(p) }.collect();
        if let Some(key) = dgram::send(&mut inner.ctx(), id, &parts, to, zone)? {
            inner.flush(key);
        }
        Ok(())
    }))
}
same_signature!(netconn_send(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_sendto(nc: *mut netconn, buf: *mut abi::netbuf, addr: *const ip_addr_t, port: u16_t) -> err_t {
    // SAFETY: NULL or the caller's netbuf / address.
    let Some(nb) = (unsafe { buf.as_mut() }) else { return c::ERR_VAL };
    nb.addr = unsafe { addr.as_ref() }.copied().unwrap_or_default();
    nb.port = port;
    // SAFETY: forwarding.
    unsafe { netconn_send(nc, buf) }
}
same_signature!(netconn_sendto(_, _, _, _));

/// Write `parts` to a TCP conn: everything (blocking), what fits now (non-blocking), or
/// what fits until the send timeout. Returns the bytes written.
pub fn write_tcp(nc: *mut netconn, parts: &[&[u8]], dontblock_flag: bool) -> Result<usize, err_t> {
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let mut written = 0usize;
    // Write as much as fits; Ok(true) when done for this round.
    let step = |inner: &mut StackInner, id: ConnId, written: &mut usize| -> Result<(), err_t> {
        tcp::send_parts(&mut inner.ctx(), id, parts, written)?;
        flush(inner, tcp::netif_of(&inner.conns, id));
        Ok(())
    };
    let cfg = call(nc, |inner, id, cfg| {
        let conn = inner.conns.get_mut(id).ok_or(c::ERR_ARG)?;
        if conn.err != c::ERR_OK {
            return Err(core::mem::replace(&mut conn.err, c::ERR_OK));
        }
        step(inner, id, &mut written)?;
        Ok(cfg)
    })?;
    let dontblock = cfg.nonblocking || dontblock_flag;
    if written < total && !dontblock {
        let timeout = cfg.send_timeout_ms;
        let r = wait(nc, timeout, c::ERR_WOULDBLOCK, |inner, id| {
            step(inner, id, &mut written)?;
            if written == total { Ok(()) } else { Err(c::ERR_WOULDBLOCK) }
        })
        .map_err(aborted_by_close);
        match r {
            Ok(()) => {}
            // A send timeout that expired after a partial write reports the part.
            Err(e) if e == c::ERR_WOULDBLOCK && written > 0 => {}
            Err(e) => {
                stack::fire_events();
                return Err(e);
            }
        }
    }
    let incomplete = dontblock && written < total;
    let _ = call(nc, |inner, id, _| {
        tcp::after_write(&mut inner.ctx(), id, incomplete);
        Ok(())
    });
    if written == 0 && total > 0 {
        return Err(c::ERR_WOULDBLOCK);
    }
    Ok(written)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_write_vectors_partly(
    nc: *mut netconn,
    vectors: *mut abi::netvector,
    vectorcnt: u16_t,
    apiflags: u8_t,
    bytes_written: *mut usize,
) -> err_t {
    if nc.is_null() {
        return c::ERR_ARG;
    }
    let Some(cfg_kind) = stack::with(|inner| {
        let id = inner.conns.id_of(nc)?;
        // SAFETY: live netconn.
        let cfg = unsafe { read_cfg(nc) };
        Some((inner.conns.get(id)?.kind, cfg))
    })
    .ok()
    .flatten() else {
        return c::ERR_ARG;
    };
    let (kind, cfg) = cfg_kind;
    if !kind.is_tcp() {
        return c::ERR_VAL;
    }
    let dontblock = cfg.nonblocking || apiflags & c::NETCONN_DONTBLOCK != 0 || cfg.send_timeout_ms != 0;
    if dontblock && bytes_written.is_null() {
        return c::ERR_VAL;
    }
    if vectors.is_null() && vectorcnt > 0 {
        return c::ERR_VAL;
    }
    // SAFETY: the caller's vector array of vectorcnt entries.
    let vecs = if vectorcnt == 0 { &[][..] } else { unsafe { core::slice::from_raw_parts(vectors, usize::from(vectorcnt)) } };
    let mut parts = alloc::vec::Vec::with_capacity(vecs.len());
    let mut size = 0usize;
    for v in vecs {
        size = match size.checked_add(v.len) {
            Some(s) => s,
            None => return c::ERR_VAL,
        };
        if v.len > 0 {
            if v.ptr.is_null() {
                return c::ERR_VAL;
            }
            // SAFETY: the caller's buffer of v.len bytes, valid for this call.
            parts.push(unsafe { core::slice::from_raw_parts(v.ptr as *const u8, v.len) });
        }
    }
    if size == 0 {
        return c::ERR_OK;
    }
    match write_tcp(nc, &parts, apiflags & c::NETCONN_DONTBLOCK != 0) {
        Ok(n) => {
            if let Some(out) = unsafe { bytes_written.as_mut() } {
                *out = n;
            }
            c::ERR_OK
        }
        Err(e) => e,
    }
}
same_signature!(netconn_write_vectors_partly(_, _, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_write_partly(
    nc: *mut netconn,
    dataptr: *const c_void,
    size: usize,
    apiflags: u8_t,
    bytes_written: *mut usize,
) -> err_t {
    let mut v = abi::netvector { ptr: dataptr, len: size };
    // SAFETY: forwarding one vector.
    unsafe { netconn_write_vectors_partly(nc, &mut v, 1, apiflags, bytes_written) }
}
same_signature!(netconn_write_partly(_, _, _, _, _));

// ---- close / shutdown / errors / groups ---------------------------------------------------------

fn close_shutdown(nc: *mut netconn, rd: bool, wr: bool) -> err_t {
    let r = err_of(call(nc, |inner, id, cfg| {
        let conn = inner.conns.get(id).ok_or(c::ERR_ARG)?;
        if !conn.kind.is_tcp() {
            return Err(c::ERR_CONN);
        }
        let close = rd && wr;
        match &conn.tcp {
            tcp::Tcp::Done => return Err(c::ERR_CONN),
            tcp::Tcp::Listening(_) if !close => return Err(c::ERR_CONN),
            tcp::Tcp::Active(a) if a.connecting => return Err(c::ERR_CONN),
            _ => {}
        }
        let key = tcp_netif(inner, id);
        if close {
            let abort = cfg.linger == 0 && tcp::unacked(&mut inner.ctx(), id) > 0;
            tcp::release(&mut inner.ctx(), id, abort);
        } else {
            tcp::shutdown(&mut inner.ctx(), id, rd, wr)?;
        }
        flush(inner, key);
        let owner = Some(Owner(nc));
        if close {
            if let Some(conn) = inner.conns.get_mut(id) {
                conn.errevent = true;
            }
            conn::announce(&mut inner.conns, owner, c::NETCONN_EVT_ERROR, 0);
        }
        if rd {
            conn::announce(&mut inner.conns, owner, c::NETCONN_EVT_RCVPLUS, 0);
        }
        if wr {
            conn::announce(&mut inner.conns, owner, c::NETCONN_EVT_SENDPLUS, 0);
        }
        Ok(())
    }));
    // Threads blocked on this conn look again (a shut receive side gives them ERR_CONN).
    stack::stack().wake_waiters();
    r
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_close(nc: *mut netconn) -> err_t {
    close_shutdown(nc, true, true)
}
same_signature!(netconn_close(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_shutdown(nc: *mut netconn, shut_rx: u8_t, shut_tx: u8_t) -> err_t {
    close_shutdown(nc, shut_rx != 0, shut_tx != 0)
}
same_signature!(netconn_shutdown(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_err(nc: *mut netconn) -> err_t {
    if nc.is_null() {
        return c::ERR_OK;
    }
    call(nc, |inner, id, _| conn::take_err(&mut inner.ctx(), id)).unwrap_or(c::ERR_OK)
}
same_signature!(netconn_err(_));

fn join_leave(nc: *mut netconn, group: *const ip_addr_t, iface: Option<IfSel>, join: bool) -> err_t {
    // SAFETY: NULL or the caller's address.
    let Some(g) = (unsafe { group.as_ref() }).and_then(crate::addr::ip_addr_to_smol) else { return c::ERR_ARG };
    err_of(call(nc, |inner, id, _| {
        let conn = inner.conns.get(id).ok_or(c::ERR_ARG)?;
        if conn.kind.is_tcp() {
            return Err(c::ERR_VAL);
        }
        let key = match iface {
            None => None,
            Some(IfSel::Addr(a)) if a.is_unspecified() => None,
            Some(IfSel::Addr(a)) => Some(inner.netifs.iter().find(|n| n.iface.has_ip_addr(a)).ok_or(c::ERR_VAL)?.key()),
            Some(IfSel::Index(0)) => None,
            Some(IfSel::Index(i)) => Some(inner.netifs.iter().find(|n| n.index() == Some(i)).ok_or(c::ERR_VAL)?.key()),
        };
        let r = dgram::join_leave(&mut inner.ctx(), id, unmap(g), key, join);
        if let Some(k) = key {
            inner.flush(k);
        } else {
            let keys: alloc::vec::Vec<_> = inner.netifs.iter().map(|n| n.key()).collect();
            for k in keys {
                inner.flush(k);
            }
        }
        r
    }))
}

#[derive(Clone, Copy)]
pub enum IfSel {
    Addr(IpAddress),
    Index(u8),
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_join_leave_group(
    nc: *mut netconn,
    multiaddr: *const ip_addr_t,
    netif_addr: *const ip_addr_t,
    join_or_leave: abi::netconn_igmp,
) -> err_t {
    // SAFETY: NULL or the caller's address.
    let iface = unsafe { netif_addr.as_ref() }.and_then(crate::addr::ip_addr_to_smol).map(IfSel::Addr);
    join_leave(nc, multiaddr, iface, join_or_leave == abi::NETCONN_JOIN)
}
same_signature!(netconn_join_leave_group(_, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_join_leave_group_netif(
    nc: *mut netconn,
    multiaddr: *const ip_addr_t,
    if_idx: u8_t,
    join_or_leave: abi::netconn_igmp,
) -> err_t {
    join_leave(nc, multiaddr, Some(IfSel::Index(if_idx)), join_or_leave == abi::NETCONN_JOIN)
}
same_signature!(netconn_join_leave_group_netif(_, _, _, _));

/// The conn behind a netconn pointer, for the socket layer's use of netconn internals.
pub fn id_of(nc: *mut netconn) -> Option<ConnId> {
    stack::with(|inner| inner.conns.id_of(nc)).ok().flatten()
}

/// A context for the engine from the stack state (convenience for shims).
pub fn ctx(inner: &mut StackInner) -> Ctx<'_> {
    inner.ctx()
}
