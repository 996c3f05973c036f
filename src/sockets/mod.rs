//! BSD sockets (lwip/sockets.h): every `lwip_*` socket function, over the connection
//! engine ([`crate::conn`]), with lwIP 2.1.3's return values and errno.
//!
//! A socket is an fd (from `LWIP_SOCKET_OFFSET`, lowest free number first, as lwIP hands
//! them out) naming a conn plus the per-socket settings lwIP keeps on its netconn
//! (non-blocking, timeouts, linger). Sockets have no netconn callback: select/poll ask the
//! conn's readiness directly, so they wait on events, never on a timer.
//!
//! - [`addr`]: sockaddr conversions; [`opt`]: get/setsockopt, fcntl, ioctl;
//!   [`poll`]: poll and select; [`netdb`]: name and address text functions.
//!
//! errno is set in one place ([`ret`]); like lwIP's `set_errno`, success leaves it alone.

pub mod addr;
pub mod netdb;
pub mod opt;
pub mod poll;

use alloc::vec::Vec;
use core::ffi::{c_int, c_void};

use smoltcp::wire::{IpAddress, IpEndpoint};

use crate::abi::{self, c, err_t, iovec, msghdr, sockaddr, socklen_t};
use crate::conn::{self, dgram, tcp, ConnId, Kind, LocalAddr};
use crate::core::{self as stack, Blocked, StackInner};
use crate::sys::os;
use addr::SockAddr;

/// An errno value (the socket layer's error type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Errno(pub c_int);

type SRes<T> = Result<T, Errno>;

/// lwIP's err_t → errno (err_to_errno).
pub fn errno(e: err_t) -> Errno {
    Errno(crate::addr::errno_from_err(e))
}

/// Finish an export: the value, or -1 with errno set.
fn ret(r: SRes<isize>) -> isize {
    match r {
        Ok(v) => v,
        Err(Errno(e)) => {
            if e != 0 {
                crate::ffi::set_errno(e);
            }
            -1
        }
    }
}

fn ret_int(r: SRes<isize>) -> c_int {
    ret(r) as c_int
}

/// One socket: its conn and what lwIP keeps on the netconn for it.
#[derive(Debug, Clone, Copy)]
pub struct Sock {
    pub conn: ConnId,
    /// SOCK_STREAM, SOCK_DGRAM or SOCK_RAW.
    pub ty: c_int,
    pub v6: bool,
    pub nonblocking: bool,
    pub rcvtimeo_ms: u32,
    pub sndtimeo_ms: i32,
    /// SO_LINGER seconds, -1 = off (lwIP's netconn->linger, an s16).
    pub linger: i16,
}

/// Open sockets, indexed by fd - LWIP_SOCKET_OFFSET.
#[derive(Default)]
pub struct Table {
    slots: Vec<Option<Sock>>,
    /// Per-thread select tokens (see [`poll::SelectToken`]); empty unless a VFS layer asks.
    pub select_tokens: Vec<alloc::boxed::Box<poll::SelectToken>>,
}

/// How many sockets may be open at once: NUM_SOCKETS (= MEMP_NUM_NETCONN), unless the
/// profile takes sockets from the heap (Debian's LWIP_SOCKET_OPEN_COUNT).
const MAX_SOCKETS: usize = if cfg!(lwip = "socket_open_count") { usize::MAX } else { c::MEMP_NUM_NETCONN };

impl Table {
    pub fn get(&self, fd: c_int) -> Option<&Sock> {
        let i = usize::try_from(fd.checked_sub(c::LWIP_SOCKET_OFFSET)?).ok()?;
        self.slots.get(i)?.as_ref()
    }

    fn get_mut(&mut self, fd: c_int) -> Option<&mut Sock> {
        let i = usize::try_from(fd.checked_sub(c::LWIP_SOCKET_OFFSET)?).ok()?;
        self.slots.get_mut(i)?.as_mut()
    }

    /// The lowest free fd (lwIP reuses numbers at once).
    fn alloc(&mut self, s: Sock) -> Option<c_int> {
        let i = match self.slots.iter().position(Option::is_none) {
            Some(i) => i,
            None if self.slots.len() < MAX_SOCKETS => {
                self.slots.push(None);
                self.slots.len() - 1
            }
            None => return None,
        };
        self.slots[i] = Some(s);
        Some(i as c_int + c::LWIP_SOCKET_OFFSET)
    }

    fn free(&mut self, fd: c_int) -> Option<Sock> {
        let i = usize::try_from(fd.checked_sub(c::LWIP_SOCKET_OFFSET)?).ok()?;
        let s = self.slots.get_mut(i)?.take();
        while self.slots.last().is_some_and(Option::is_none) {
            self.slots.pop();
        }
        s
    }
}

// ---- plumbing -------------------------------------------------------------------------------

/// Run `f` on socket `fd` with the stack (EBADF for an fd that is not an open socket).
fn with_sock<R>(fd: c_int, f: impl FnOnce(&mut StackInner, Sock) -> SRes<R>) -> SRes<R> {
    let r = stack::with(|inner| {
        let s = *inner.fds.get(fd).ok_or(Errno(c::EBADF))?;
        f(inner, s)
    })
    .unwrap_or(Err(Errno(c::EBADF)));
    stack::fire_events();
    r
}

/// Block until `f` gives an answer other than ERR_WOULDBLOCK, for at most `timeout_ms`
/// (0 = no limit; expiry gives EWOULDBLOCK, lwIP's ERR_TIMEOUT). A socket closed by
/// another thread meanwhile ends the wait with EBADF.
fn wait<R>(fd: c_int, sock: Sock, timeout_ms: u32, mut f: impl FnMut(&mut StackInner, Sock) -> Result<R, err_t>) -> SRes<R> {
    let deadline = (timeout_ms != 0).then(|| os::now_us() + u64::from(timeout_ms) * 1_000);
    let r = stack::block_on(deadline, |inner| {
        match inner.fds.get(fd) {
            Some(s) if s.conn == sock.conn => {}
            _ => return Some(Err(Errno(c::EBADF))),
        }
        match f(inner, sock) {
            Err(e) if e == c::ERR_WOULDBLOCK => None,
            Err(e) => Some(Err(errno(e))),
            Ok(v) => Some(Ok(v)),
        }
    });
    match r {
        Ok(r) => r,
        Err(Blocked::TimedOut) | Err(Blocked::WouldDeadlock) => Err(Errno(c::EWOULDBLOCK)),
    }
}

/// Run `f` once; if it would block and the socket may wait, wait for it.
fn op<R>(fd: c_int, dontwait: bool, timeout: impl Fn(&Sock) -> u32, mut f: impl FnMut(&mut StackInner, Sock) -> Result<R, err_t>) -> SRes<R> {
    let first = with_sock(fd, |inner, s| match f(inner, s) {
        Err(e) if e == c::ERR_WOULDBLOCK && !(dontwait || s.nonblocking) => Ok(Err(s)),
        Err(e) => Err(errno(e)),
        Ok(v) => Ok(Ok(v)),
    })?;
    match first {
        Ok(v) => Ok(v),
        Err(s) => {
            let r = wait(fd, s, timeout(&s), f);
            stack::fire_events();
            r
        }
    }
}

fn kind_of(inner: &StackInner, s: &Sock) -> Option<Kind> {
    inner.conns.get(s.conn).map(|c| c.kind)
}

fn is_tcp(inner: &StackInner, s: &Sock) -> bool {
    kind_of(inner, s).is_some_and(Kind::is_tcp)
}

/// An IPv6 socket's view of an address: IPv4 ones appear v4-mapped.
fn outward(s: &Sock, ip: IpAddress) -> IpAddress {
    if s.v6 { addr::mapped(ip) } else { ip }
}

fn local_ip(s: &Sock, l: LocalAddr) -> IpAddress {
    match l {
        LocalAddr::Addr(a) => outward(s, a),
        LocalAddr::Any4 => IpAddress::v4(0, 0, 0, 0),
        LocalAddr::Any6 | LocalAddr::AnyBoth => IpAddress::Ipv6(smoltcp::wire::Ipv6Address::UNSPECIFIED),
    }
}

// ---- create, bind, listen, accept, connect ----------------------------------------------------

#[unsafe(no_mangle)]
pub extern "C" fn lwip_socket(domain: c_int, ty: c_int, protocol: c_int) -> c_int {
    // lwIP: AF_INET is IPv4, any other domain IPv6 (DOMAIN_TO_NETCONN_TYPE).
    let v6 = domain != c::AF_INET;
    let kind = match ty {
        t if t == c::SOCK_STREAM => Kind::Tcp,
        t if t == c::SOCK_DGRAM => {
            #[cfg(lwip = "udplite")]
            if protocol == c::IPPROTO_UDPLITE {
                // UDP-Lite is not provided by the engine (COMPATIBILITY.md).
                return ret_int(Err(Errno(c::EPROTONOSUPPORT)));
            }
            Kind::Udp
        }
        t if t == c::SOCK_RAW => Kind::Raw(protocol as u8),
        _ => return ret_int(Err(Errno(c::EINVAL))),
    };
    let r = stack::with(|inner| {
        let id = inner.conns.create(kind, v6, None).map_err(|_| Errno(c::ENOBUFS))?;
        if let Kind::Raw(proto) = kind {
            let conn = inner.conns.get_mut(id).expect("just created");
            if v6 && i32::from(proto) == c::IPPROTO_ICMPV6 {
                conn.opt.chksum_offset = 2;
            }
            let _ = dgram::rebind(&mut inner.ctx(), id);
        }
        let sock = Sock { conn: id, ty, v6, nonblocking: false, rcvtimeo_ms: 0, sndtimeo_ms: 0, linger: -1 };
        match inner.fds.alloc(sock) {
            Some(fd) => Ok(fd as isize),
            None => {
                let _ = conn::delete(&mut inner.ctx(), id, true);
                Err(Errno(c::ENFILE))
            }
        }
    })
    .unwrap_or(Err(Errno(c::ENOBUFS)));
    ret_int(r)
}
same_signature!(lwip_socket(_, _, _));

/// Does an address of `family` fit the socket (lwIP's SOCK_ADDR_TYPE_MATCH)?
fn family_matches(s: &Sock, family: c_int) -> bool {
    (family == c::AF_INET && !s.v6) || (family == c::AF_INET6 && s.v6)
}

/// A checked sockaddr from the caller: EFAULT for NULL (lwIP crashes), EINVAL for a
/// family that does not fit, EIO for a bad length or family (lwIP's ERR_ARG).
///
/// # Safety
/// `name` is NULL or holds `len` bytes.
unsafe fn sockaddr_in(s: &Sock, name: *const sockaddr, len: socklen_t, allow_unspec: bool) -> SRes<Option<SockAddr>> {
    if name.is_null() {
        return Err(Errno(c::EFAULT));
    }
    if (len as usize) < 2 {
        return Err(Errno(c::EIO));
    }
    // SAFETY: at least the family field is there.
    let fam = unsafe { addr::family(name) };
    if allow_unspec && fam == c::AF_UNSPEC {
        return Ok(None);
    }
    if !family_matches(s, fam) {
        return Err(Errno(c::EINVAL));
    }
    if !addr::valid(name, len) {
        return Err(Errno(c::EIO));
    }
    // SAFETY: checked above.
    let mut a = unsafe { addr::read(name) };
    a.ip = crate::netconn::unmap(a.ip);
    Ok(Some(a))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_bind(fd: c_int, name: *const sockaddr, namelen: socklen_t) -> c_int {
    ret_int(with_sock(fd, |inner, s| {
        // SAFETY: the caller's address of namelen bytes.
        let a = unsafe { sockaddr_in(&s, name, namelen, false) }?.expect("not unspec");
        let conn = inner.conns.get(s.conn).ok_or(Errno(c::EBADF))?;
        if matches!(conn.tcp, tcp::Tcp::Done) {
            return Err(Errno(c::EINVAL));
        }
        let local = match a.ip {
            IpAddress::Ipv4(v4) if v4.is_unspecified() => LocalAddr::Any4,
            IpAddress::Ipv6(v6) if v6.is_unspecified() => {
                if conn.v6only { LocalAddr::Any6 } else { LocalAddr::AnyBoth }
            }
            ip => LocalAddr::Addr(ip),
        };
        conn::bind(&mut inner.ctx(), s.conn, local, a.port).map_err(errno)?;
        Ok(0)
    }))
}
same_signature!(lwip_bind(_, _, _));

#[unsafe(no_mangle)]
pub extern "C" fn lwip_listen(fd: c_int, backlog: c_int) -> c_int {
    let backlog = backlog.clamp(0, 255) as u8;
    ret_int(with_sock(fd, |inner, s| {
        if !is_tcp(inner, &s) {
            return Err(Errno(c::EOPNOTSUPP));
        }
        let conn = inner.conns.get(s.conn).ok_or(Errno(c::EBADF))?;
        let r = match &conn.tcp {
            tcp::Tcp::Done => Err(c::ERR_CONN),
            tcp::Tcp::Active(a) if a.connecting => Err(c::ERR_CONN),
            tcp::Tcp::Active(_) => Err(c::ERR_VAL),
            _ => tcp::listen(&mut inner.ctx(), s.conn, backlog),
        };
        r.map(|_| 0).map_err(errno)
    }))
}
same_signature!(lwip_listen(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_accept(fd: c_int, name: *mut sockaddr, namelen: *mut socklen_t) -> c_int {
    let r = (|| {
        let new = op(fd, false, |s| s.rcvtimeo_ms, |inner, s| {
            if !is_tcp(inner, &s) {
                return Err(c::ERR_ARG);
            }
            let conn = inner.conns.get_mut(s.conn).ok_or(c::ERR_VAL)?;
            if conn.err != c::ERR_OK {
                return Err(core::mem::replace(&mut conn.err, c::ERR_OK));
            }
            if !matches!(conn.tcp, tcp::Tcp::Listening(_)) {
                return Err(c::ERR_CLSD);
            }
            tcp::accept(&mut inner.ctx(), s.conn)
        });
        let new = match new {
            Ok(id) => id,
            // lwIP: a non-TCP socket gives EOPNOTSUPP, a conn that is not listening EINVAL.
            Err(e) if e == errno(c::ERR_ARG) => {
                return with_sock(fd, |inner, s| if is_tcp(inner, &s) { Err(e) } else { Err(Errno(c::EOPNOTSUPP)) });
            }
            Err(e) if e == errno(c::ERR_CLSD) => return Err(Errno(c::EINVAL)),
            Err(e) => return Err(e),
        };
        with_sock(fd, |inner, s| {
            let sock = Sock { conn: new, ty: s.ty, v6: s.v6, nonblocking: false, rcvtimeo_ms: 0, sndtimeo_ms: 0, linger: -1 };
            let Some(nfd) = inner.fds.alloc(sock) else {
                let _ = conn::delete(&mut inner.ctx(), new, true);
                return Err(Errno(c::ENFILE));
            };
            if !name.is_null() && !namelen.is_null() {
                match conn::addr(&mut inner.ctx(), new, false) {
                    // lwIP's accept reports the peer as it is, without v4-mapping.
                    Ok((LocalAddr::Addr(ip), port)) => {
                        // SAFETY: the caller's buffer of *namelen bytes.
                        unsafe { addr::write(SockAddr { ip, port, zone: 0 }, name, namelen) };
                    }
                    _ => {
                        inner.fds.free(nfd);
                        let _ = conn::delete(&mut inner.ctx(), new, true);
                        return Err(Errno(c::ENOTCONN));
                    }
                }
            }
            Ok(nfd as isize)
        })
    })();
    ret_int(r)
}
same_signature!(lwip_accept(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_connect(fd: c_int, name: *const sockaddr, namelen: socklen_t) -> c_int {
    let started = with_sock(fd, |inner, s| {
        // SAFETY: the caller's address of namelen bytes.
        let a = unsafe { sockaddr_in(&s, name, namelen, true) }?;
        let conn = inner.conns.get(s.conn).ok_or(Errno(c::EBADF))?;
        let kind = conn.kind;
        let Some(a) = a else {
            // AF_UNSPEC: disconnect (UDP only).
            if !kind.is_udp() {
                return Err(Errno(c::EINVAL));
            }
            dgram::disconnect(&mut inner.ctx(), s.conn).map_err(errno)?;
            if let Some(conn) = inner.conns.get_mut(s.conn) {
                // lwIP's udp_disconnect also drops SO_BINDTODEVICE.
                conn.opt.bound_if = 0;
            }
            return Ok(false);
        };
        let remote = IpEndpoint::new(a.ip, a.port);
        if !kind.is_tcp() {
            dgram::connect(&mut inner.ctx(), s.conn, remote).map_err(errno)?;
            return Ok(false);
        }
        match &conn.tcp {
            tcp::Tcp::Done => return Err(Errno(c::ENOTCONN)),
            tcp::Tcp::Listening(_) => return Err(Errno(c::EISCONN)),
            _ => {}
        }
        tcp::connect(&mut inner.ctx(), s.conn, remote).map_err(errno)?;
        if let Some(key) = tcp::netif_of(&inner.conns, s.conn) {
            inner.flush(key);
        }
        if s.nonblocking {
            return Err(Errno(c::EINPROGRESS));
        }
        Ok(true)
    });
    let r = match started {
        Ok(true) => with_sock(fd, |_, s| Ok(s)).and_then(|s| {
            // A blocking connect waits for the outcome; it honours no timeout (lwIP).
            wait(fd, s, 0, |inner, s| match tcp::connect_result(&mut inner.ctx(), s.conn) {
                None => Err(c::ERR_WOULDBLOCK),
                Some(Ok(())) => Ok(0),
                Some(Err(e)) => Err(e),
            })
        }),
        Ok(false) => Ok(0),
        Err(e) => Err(e),
    };
    ret_int(r)
}
same_signature!(lwip_connect(_, _, _));

// ---- shutdown, close, names -----------------------------------------------------------------

#[unsafe(no_mangle)]
pub extern "C" fn lwip_shutdown(fd: c_int, how: c_int) -> c_int {
    let r = ret_int(with_sock(fd, |inner, s| {
        if !is_tcp(inner, &s) {
            return Err(Errno(c::EOPNOTSUPP));
        }
        let (rd, wr) = match how {
            h if h == c::SHUT_RD => (true, false),
            h if h == c::SHUT_WR => (false, true),
            h if h == c::SHUT_RDWR => (true, true),
            _ => return Err(Errno(c::EINVAL)),
        };
        shutdown_conn(inner, s, rd, wr).map(|_| 0).map_err(errno)
    }));
    // A thread blocked in recv on it sees the shut receive side now.
    stack::stack().wake_waiters();
    r
}
same_signature!(lwip_shutdown(_, _));

/// lwIP's do_close for a socket: half close, or (both sides) a full close.
fn shutdown_conn(inner: &mut StackInner, s: Sock, rd: bool, wr: bool) -> Result<(), err_t> {
    let conn = inner.conns.get(s.conn).ok_or(c::ERR_VAL)?;
    match &conn.tcp {
        tcp::Tcp::Done => return Err(c::ERR_CONN),
        tcp::Tcp::Listening(_) if !(rd && wr) => return Err(c::ERR_CONN),
        tcp::Tcp::Active(a) if a.connecting => return Err(c::ERR_CONN),
        _ => {}
    }
    let key = match &conn.tcp {
        tcp::Tcp::Active(a) => Some(a.netif),
        _ => None,
    };
    if rd && wr {
        let abort = s.linger == 0 && tcp::unacked(&mut inner.ctx(), s.conn) > 0;
        tcp::release(&mut inner.ctx(), s.conn, abort);
        if let Some(conn) = inner.conns.get_mut(s.conn) {
            conn.errevent = true;
        }
    } else {
        tcp::shutdown(&mut inner.ctx(), s.conn, rd, wr)?;
    }
    if let Some(k) = key {
        inner.flush(k);
    }
    Ok(())
}

#[unsafe(no_mangle)]
pub extern "C" fn lwip_close(fd: c_int) -> c_int {
    // SO_LINGER with a positive time: a blocking socket waits for its data to be acked
    // (then resets what is left); a non-blocking one cannot linger.
    let linger = with_sock(fd, |inner, s| {
        let active = matches!(inner.conns.get(s.conn).map(|c| &c.tcp), Some(tcp::Tcp::Active(_)));
        if s.linger > 0 && active && tcp::unacked(&mut inner.ctx(), s.conn) > 0 {
            if s.nonblocking {
                return Err(Errno(c::EWOULDBLOCK));
            }
            return Ok(Some(s));
        }
        Ok(None)
    });
    let abort = match linger {
        Err(e) => return ret_int(Err(e)),
        Ok(Some(s)) => wait(fd, s, s.linger as u32 * 1000, |inner, s| {
            if tcp::unacked(&mut inner.ctx(), s.conn) == 0 { Ok(()) } else { Err(c::ERR_WOULDBLOCK) }
        })
        .is_err(),
        Ok(None) => false,
    };
    let r = with_sock(fd, |inner, s| {
        let key = match inner.conns.get(s.conn).map(|c| &c.tcp) {
            Some(tcp::Tcp::Active(a)) => Some(a.netif),
            _ => None,
        };
        let abort = abort || s.linger == 0 && tcp::unacked(&mut inner.ctx(), s.conn) > 0;
        inner.fds.free(fd);
        let groups = conn::group_netifs(&inner.conns, s.conn);
        let _ = conn::delete(&mut inner.ctx(), s.conn, abort);
        for k in key.into_iter().chain(groups) {
            inner.flush(k);
        }
        Ok(0)
    });
    // Wake threads blocked on this socket: they find it gone.
    stack::stack().wake_waiters();
    ret_int(r)
}
same_signature!(lwip_close(_));

fn name_of(fd: c_int, name: *mut sockaddr, namelen: *mut socklen_t, local: bool) -> c_int {
    ret_int(with_sock(fd, |inner, s| {
        if name.is_null() || namelen.is_null() {
            return Err(Errno(c::EFAULT));
        }
        let (l, port) = conn::addr(&mut inner.ctx(), s.conn, local).map_err(errno)?;
        let ip = local_ip(&s, l);
        let zone = 0;
        // SAFETY: the caller's buffer of *namelen bytes.
        unsafe { addr::write(SockAddr { ip, port, zone }, name, namelen) };
        Ok(0)
    }))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_getsockname(fd: c_int, name: *mut sockaddr, namelen: *mut socklen_t) -> c_int {
    name_of(fd, name, namelen, true)
}
same_signature!(lwip_getsockname(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_getpeername(fd: c_int, name: *mut sockaddr, namelen: *mut socklen_t) -> c_int {
    name_of(fd, name, namelen, false)
}
same_signature!(lwip_getpeername(_, _, _));

// ---- send -------------------------------------------------------------------------------------

/// Write to a TCP socket: everything (blocking; until SO_SNDTIMEO), or what fits now.
fn send_tcp(fd: c_int, parts: &[&[u8]], dontwait: bool) -> SRes<isize> {
    let total: usize = parts.iter().map(|p| p.len()).sum();
    if total == 0 {
        return with_sock(fd, |_, _| Ok(0));
    }
    let mut written = 0usize;
    let step = |inner: &mut StackInner, s: Sock, written: &mut usize| -> Result<(), err_t> {
        tcp::send_parts(&mut inner.ctx(), s.conn, parts, written)?;
        if let Some(key) = tcp::netif_of(&inner.conns, s.conn) {
            inner.flush(key);
        }
        Ok(())
    };
    let s = with_sock(fd, |inner, s| {
        if !is_tcp(inner, &s) {
            return Err(Errno(c::EOPNOTSUPP));
        }
        step(inner, s, &mut written).map_err(errno)?;
        Ok(s)
    })?;
    let dontblock = s.nonblocking || dontwait;
    if written < total && !dontblock {
        let r = wait(fd, s, s.sndtimeo_ms.max(0) as u32, |inner, s| {
            step(inner, s, &mut written)?;
            if written == total { Ok(()) } else { Err(c::ERR_WOULDBLOCK) }
        });
        match r {
            Ok(()) => {}
            Err(e) if e == Errno(c::EWOULDBLOCK) && written > 0 => {}
            Err(e) => return Err(e),
        }
    }
    let incomplete = dontblock && written < total;
    let _ = with_sock(fd, |inner, s| {
        tcp::after_write(&mut inner.ctx(), s.conn, incomplete);
        Ok(())
    });
    if written == 0 {
        return Err(Errno(c::EWOULDBLOCK));
    }
    Ok(written as isize)
}

/// lwIP's UDP size limits for one datagram of `len` payload bytes.
fn check_dgram_size(len: usize, v6: bool) -> SRes<()> {
    let ip_limit = if v6 { 65535 - 8 - 40 } else { 65535 - 8 - 20 };
    match len {
        l if l > 0xffff => Err(Errno(c::EMSGSIZE)),
        l if l > 65535 - 8 => Err(Errno(c::ENOMEM)),
        l if l > ip_limit => Err(Errno(c::ENOBUFS)),
        _ => Ok(()),
    }
}

/// Send one datagram from a UDP/RAW socket to `to` (None: the connected peer).
fn send_dgram(fd: c_int, parts: &[&[u8]], to: Option<SockAddr>) -> SRes<isize> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    with_sock(fd, |inner, s| {
        let kind = kind_of(inner, &s).ok_or(Errno(c::EBADF))?;
        if !matches!(kind, Kind::Raw(_)) {
            let v6 = to.map_or(s.v6, |t| matches!(t.ip, IpAddress::Ipv6(_)));
            check_dgram_size(len, v6)?;
        }
        // An explicit any address means "the connected peer" too (lwIP's do_send).
        let to = to.filter(|t| !t.ip.is_unspecified());
        let ep = to.map(|t| IpEndpoint::new(t.ip, t.port));
        let zone = to.map_or(0, |t| t.zone);
        if let Some(key) = dgram::send(&mut inner.ctx(), s.conn, parts, ep, zone).map_err(errno)? {
            inner.flush(key);
        }
        Ok(len as isize)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_send(fd: c_int, data: *const c_void, size: usize, flags: c_int) -> isize {
    let tcp = stack::with(|inner| inner.fds.get(fd).copied().is_some_and(|s| is_tcp(inner, &s))).unwrap_or(false);
    if !tcp {
        // SAFETY: forwarding.
        return unsafe { lwip_sendto(fd, data, size, flags, core::ptr::null(), 0) };
    }
    if data.is_null() && size > 0 {
        return ret(with_sock(fd, |_, _| Err(Errno(c::EIO))));
    }
    // SAFETY: the caller's buffer of `size` bytes.
    let buf = if size == 0 { &[][..] } else { unsafe { core::slice::from_raw_parts(data as *const u8, size) } };
    ret(send_tcp(fd, &[buf], flags & c::MSG_DONTWAIT != 0))
}
same_signature!(lwip_send(_, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_write(fd: c_int, data: *const c_void, size: usize) -> isize {
    // SAFETY: forwarding.
    unsafe { lwip_send(fd, data, size, 0) }
}
same_signature!(lwip_write(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_sendto(
    fd: c_int,
    data: *const c_void,
    size: usize,
    flags: c_int,
    to: *const sockaddr,
    tolen: socklen_t,
) -> isize {
    let tcp = match stack::with(|inner| inner.fds.get(fd).copied().map(|s| is_tcp(inner, &s))) {
        Ok(Some(t)) => t,
        _ => return ret(Err(Errno(c::EBADF))),
    };
    if tcp {
        // lwIP ignores the destination of a TCP sendto.
        // SAFETY: forwarding.
        return unsafe { lwip_send(fd, data, size, flags) };
    }
    if size > 0xffff {
        return ret(Err(Errno(c::EMSGSIZE)));
    }
    let dst = if to.is_null() && tolen == 0 {
        None
    } else if addr::valid(to, tolen) {
        // SAFETY: checked by valid().
        let mut a = unsafe { addr::read(to) };
        a.ip = crate::netconn::unmap(a.ip);
        Some(a)
    } else {
        return ret(with_sock(fd, |_, _| Err(Errno(c::EIO))));
    };
    if data.is_null() && size > 0 {
        return ret(with_sock(fd, |_, _| Err(Errno(c::EFAULT))));
    }
    // SAFETY: the caller's buffer of `size` bytes.
    let buf = if size == 0 { &[][..] } else { unsafe { core::slice::from_raw_parts(data as *const u8, size) } };
    ret(send_dgram(fd, &[buf], dst))
}
same_signature!(lwip_sendto(_, _, _, _, _, _));

/// The caller's iovecs as slices (EIO for NULL, EMSGSIZE for a bad count).
///
/// # Safety
/// `iov` holds `n` iovecs whose buffers are valid for the call.
unsafe fn iovecs<'a>(iov: *const iovec, n: usize) -> SRes<Vec<&'a [u8]>> {
    if iov.is_null() {
        return Err(Errno(c::EIO));
    }
    if n == 0 || n > c::IOV_MAX as usize {
        return Err(Errno(c::EMSGSIZE));
    }
    // SAFETY: caller contract.
    let v = unsafe { core::slice::from_raw_parts(iov, n) };
    let mut out = Vec::with_capacity(n);
    for e in v {
        if e.iov_len == 0 {
            continue;
        }
        if e.iov_base.is_null() {
            return Err(Errno(c::EFAULT));
        }
        // SAFETY: caller contract.
        out.push(unsafe { core::slice::from_raw_parts(e.iov_base as *const u8, e.iov_len) });
    }
    Ok(out)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_sendmsg(fd: c_int, msg: *const msghdr, flags: c_int) -> isize {
    let r = (|| {
        let tcp = with_sock(fd, |inner, s| Ok(is_tcp(inner, &s)))?;
        // SAFETY: NULL or the caller's msghdr.
        let Some(m) = (unsafe { msg.as_ref() }) else { return Err(Errno(c::EIO)) };
        // SAFETY: the caller's iovecs.
        let parts = unsafe { iovecs(m.msg_iov, m.msg_iovlen as usize) }?;
        if flags & !(c::MSG_DONTWAIT | c::MSG_MORE) != 0 {
            return Err(Errno(c::EOPNOTSUPP));
        }
        if tcp {
            return send_tcp(fd, &parts, flags & c::MSG_DONTWAIT != 0);
        }
        let name = m.msg_name as *const sockaddr;
        let dst = if name.is_null() {
            if m.msg_namelen != 0 && !addr_len_ok(m.msg_namelen) {
                return Err(Errno(c::EIO));
            }
            None
        } else if addr_len_ok(m.msg_namelen) {
            // SAFETY: the caller's address of msg_namelen bytes.
            let mut a = unsafe { addr::read(name) };
            a.ip = crate::netconn::unmap(a.ip);
            Some(a)
        } else {
            return Err(Errno(c::EIO));
        };
        let total: usize = parts.iter().map(|p| p.len()).sum();
        if total > 0xffff {
            return Err(Errno(c::EMSGSIZE));
        }
        send_dgram(fd, &parts, dst)
    })();
    ret(r)
}
same_signature!(lwip_sendmsg(_, _, _));

fn addr_len_ok(len: socklen_t) -> bool {
    len as usize == core::mem::size_of::<abi::sockaddr_in>() || len as usize == core::mem::size_of::<abi::sockaddr_in6>()
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_writev(fd: c_int, iov: *const iovec, iovcnt: c_int) -> isize {
    let mut m: msghdr = msghdr::default();
    m.msg_iov = iov as *mut iovec;
    m.msg_iovlen = if iovcnt < 0 { 0 } else { iovcnt as _ };
    // SAFETY: forwarding.
    unsafe { lwip_sendmsg(fd, &m, 0) }
}
same_signature!(lwip_writev(_, _, _));

// ---- receive ------------------------------------------------------------------------------------

/// What a receive produced.
struct Got {
    len: usize,
    /// The whole datagram's length (UDP/RAW), for MSG_TRUNC.
    full: usize,
    from: Option<SockAddr>,
}

/// Receive into the caller's buffers (scattered), lwIP's lwip_recv_tcp / recvfrom_udp_raw.
fn recv_into(fd: c_int, bufs: &mut [&mut [u8]], flags: c_int) -> SRes<Got> {
    let peek = flags & c::MSG_PEEK != 0;
    let dontwait = flags & c::MSG_DONTWAIT != 0;
    let want: usize = bufs.iter().map(|b| b.len()).sum();
    let tcp = with_sock(fd, |inner, s| Ok(is_tcp(inner, &s)))?;
    if tcp {
        let r = op(fd, dontwait, |s| s.rcvtimeo_ms, |inner, s| {
            if want == 0 {
                // lwIP waits for data, a FIN or an error, consuming nothing.
                let ready = conn::ready(&mut inner.ctx(), s.conn)?;
                return if ready.readable { Ok(0) } else { Err(c::ERR_WOULDBLOCK) };
            }
            let mut at = (0usize, 0usize);
            let n = tcp::recv(&mut inner.ctx(), s.conn, if peek { tcp::Read::Peek } else { tcp::Read::Take }, &mut |bytes| scatter(bufs, &mut at, bytes))?;
            if n > 0 && n < want && !peek {
                tcp::read_past_data(&mut inner.ctx(), s.conn);
            }
            if n > 0 && !peek {
                // Reading opened the window: let smoltcp announce it now.
                if let Some(key) = tcp::netif_of(&inner.conns, s.conn) {
                    inner.flush(key);
                }
            }
            if n == 0 {
                // End of stream: reported once as 0 (errno ENOTCONN, as lwIP leaves it);
                // the receive side is shut, later receives get ENOTCONN.
                if let Some(conn) = inner.conns.get_mut(s.conn) {
                    conn.shut_rd = true;
                }
                crate::ffi::set_errno(c::ENOTCONN);
            }
            Ok(n)
        })?;
        let from = with_sock(fd, |inner, s| {
            Ok(conn::addr(&mut inner.ctx(), s.conn, false).ok().and_then(|(l, port)| match l {
                LocalAddr::Addr(ip) => Some(SockAddr { ip: outward(&s, ip), port, zone: 0 }),
                _ => None,
            }))
        })?;
        return Ok(Got { len: r, full: r, from });
    }
    op(fd, dontwait, |s| s.rcvtimeo_ms, |inner, s| {
        let kind = kind_of(inner, &s).ok_or(c::ERR_VAL)?;
        dgram::recv(&mut inner.ctx(), s.conn, peek, |d| {
            let mut at = (0usize, 0usize);
            let mut copied = 0;
            for seg in d.data.segments() {
                copied += scatter(bufs, &mut at, seg);
            }
            let port = if let Kind::Raw(p) = kind { u16::from(p) } else { d.from.port };
            Got { len: copied, full: d.data.len(), from: Some(SockAddr { ip: outward(&s, d.from.addr), port, zone: 0 }) }
        })
    })
}

/// Copy `bytes` into the scattered buffers from position `at` (buffer, offset).
fn scatter(bufs: &mut [&mut [u8]], at: &mut (usize, usize), bytes: &[u8]) -> usize {
    let mut done = 0;
    while done < bytes.len() && at.0 < bufs.len() {
        let b = &mut bufs[at.0];
        let n = (b.len() - at.1).min(bytes.len() - done);
        b[at.1..at.1 + n].copy_from_slice(&bytes[done..done + n]);
        done += n;
        at.1 += n;
        if at.1 == b.len() {
            at.0 += 1;
            at.1 = 0;
        }
    }
    done
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_recvfrom(
    fd: c_int,
    mem: *mut c_void,
    len: usize,
    flags: c_int,
    from: *mut sockaddr,
    fromlen: *mut socklen_t,
) -> isize {
    if mem.is_null() && len > 0 {
        return ret(with_sock(fd, |_, _| Err(Errno(c::EFAULT))));
    }
    // SAFETY: the caller's buffer of `len` bytes.
    let buf = if len == 0 { &mut [][..] } else { unsafe { core::slice::from_raw_parts_mut(mem as *mut u8, len) } };
    let r = recv_into(fd, &mut [buf], flags).map(|g| {
        // SAFETY: NULL or the caller's fromlen.
        if let (Some(a), false, Some(&l)) = (g.from, from.is_null(), unsafe { fromlen.as_ref() }) {
            if l != 0 {
                // SAFETY: the caller's buffer of *fromlen bytes.
                unsafe { addr::write(a, from, fromlen) };
            }
        }
        g.len as isize
    });
    ret(r)
}
same_signature!(lwip_recvfrom(_, _, _, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_recv(fd: c_int, mem: *mut c_void, len: usize, flags: c_int) -> isize {
    // SAFETY: forwarding.
    unsafe { lwip_recvfrom(fd, mem, len, flags, core::ptr::null_mut(), core::ptr::null_mut()) }
}
same_signature!(lwip_recv(_, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_read(fd: c_int, mem: *mut c_void, len: usize) -> isize {
    // SAFETY: forwarding.
    unsafe { lwip_recvfrom(fd, mem, len, 0, core::ptr::null_mut(), core::ptr::null_mut()) }
}
same_signature!(lwip_read(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_recvmsg(fd: c_int, msg: *mut msghdr, flags: c_int) -> isize {
    // SAFETY: NULL or the caller's msghdr.
    let Some(m) = (unsafe { msg.as_mut() }) else {
        // lwIP returns ERR_ARG itself here, leaving errno alone.
        return c::ERR_ARG as isize;
    };
    let r = (|| {
        if flags & !(c::MSG_PEEK | c::MSG_DONTWAIT) != 0 {
            return Err(Errno(c::EOPNOTSUPP));
        }
        let n = m.msg_iovlen as usize;
        if n == 0 || n > c::IOV_MAX as usize {
            return Err(Errno(c::EMSGSIZE));
        }
        with_sock(fd, |_, _| Ok(()))?;
        if m.msg_iov.is_null() {
            return Err(Errno(c::EINVAL));
        }
        // SAFETY: the caller's iovecs.
        let v = unsafe { core::slice::from_raw_parts(m.msg_iov, n) };
        let mut total = 0isize;
        let mut bufs = Vec::with_capacity(n);
        for e in v {
            if e.iov_base.is_null() || (e.iov_len as isize) <= 0 {
                return Err(Errno(c::EINVAL));
            }
            total = total.checked_add(e.iov_len as isize).ok_or(Errno(c::EINVAL))?;
            // SAFETY: the caller's buffer of iov_len bytes.
            bufs.push(unsafe { core::slice::from_raw_parts_mut(e.iov_base as *mut u8, e.iov_len) });
        }
        let tcp = with_sock(fd, |inner, s| Ok(is_tcp(inner, &s)))?;
        let g = recv_into(fd, &mut bufs, flags)?;
        m.msg_flags = 0;
        if tcp {
            return Ok(g.len as isize);
        }
        if !m.msg_name.is_null() && m.msg_namelen != 0 {
            if let Some(a) = g.from {
                // SAFETY: the caller's name buffer of msg_namelen bytes.
                unsafe { addr::write(a, m.msg_name as *mut sockaddr, &mut m.msg_namelen) };
            }
        }
        if g.full > g.len {
            m.msg_flags |= c::MSG_TRUNC;
        }
        if !m.msg_control.is_null() {
            m.msg_controllen = 0;
        }
        // The datagram's full length, as lwIP (and Linux) return it.
        Ok(g.full as isize)
    })();
    ret(r)
}
same_signature!(lwip_recvmsg(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_readv(fd: c_int, iov: *const iovec, iovcnt: c_int) -> isize {
    let mut m: msghdr = msghdr::default();
    m.msg_iov = iov as *mut iovec;
    m.msg_iovlen = if iovcnt < 0 { 0 } else { iovcnt as _ };
    // SAFETY: forwarding.
    unsafe { lwip_recvmsg(fd, &mut m, 0) }
}
same_signature!(lwip_readv(_, _, _));

// ---- threads ------------------------------------------------------------------------------------

/// Nothing to set up per thread: waits use the stack's own condition variable.
#[unsafe(no_mangle)]
pub extern "C" fn lwip_socket_thread_init() {}
same_signature!(lwip_socket_thread_init());

#[unsafe(no_mangle)]
pub extern "C" fn lwip_socket_thread_cleanup() {}
same_signature!(lwip_socket_thread_cleanup());

/// The socket behind `fd` (for the option and poll modules).
pub fn sock(inner: &StackInner, fd: c_int) -> Option<Sock> {
    inner.fds.get(fd).copied()
}

/// Change a socket's own settings.
pub fn update(inner: &mut StackInner, fd: c_int, f: impl FnOnce(&mut Sock)) {
    if let Some(s) = inner.fds.get_mut(fd) {
        f(s);
    }
}
