//! getsockopt / setsockopt, fcntl and ioctl, with lwIP 2.1.3's checks in lwIP's order:
//! a minimum option length (EINVAL), a live connection where lwIP needs its pcb (EINVAL),
//! the socket type (ENOPROTOOPT); unknown levels and options get ENOPROTOOPT. Like lwIP,
//! getsockopt writes the value but never changes `*optlen`, and flag options read back as
//! lwIP's flag bits (SO_KEEPALIVE gives SOF_KEEPALIVE, not 1).

use core::ffi::{c_int, c_long, c_void};

use smoltcp::wire::{IpAddress, Ipv4Address, Ipv6Address};

use super::{errno, ret_int, with_sock, Errno, SRes, Sock};
use crate::abi::{self, c, socklen_t};
use crate::conn::{dgram, tcp, Conn, Kind};
use crate::core::StackInner;

/// Option value buffer of the caller.
struct Val {
    ptr: *mut c_void,
    len: usize,
}

impl Val {
    fn need(&self, size: usize) -> SRes<()> {
        if self.len < size { Err(Errno(c::EINVAL)) } else { Ok(()) }
    }
    fn int(&self) -> SRes<c_int> {
        self.need(core::mem::size_of::<c_int>())?;
        // SAFETY: the caller's buffer holds at least an int (checked).
        Ok(unsafe { (self.ptr as *const c_int).read_unaligned() })
    }
    fn byte(&self) -> SRes<u8> {
        self.need(1)?;
        // SAFETY: at least one byte.
        Ok(unsafe { *(self.ptr as *const u8) })
    }
    fn put_int(&self, v: c_int) -> SRes<()> {
        self.need(core::mem::size_of::<c_int>())?;
        // SAFETY: as in int().
        unsafe { (self.ptr as *mut c_int).write_unaligned(v) };
        Ok(())
    }
    fn put_byte(&self, v: u8) -> SRes<()> {
        self.need(1)?;
        // SAFETY: at least one byte.
        unsafe { *(self.ptr as *mut u8) = v };
        Ok(())
    }
    fn get<T: Copy>(&self) -> SRes<T> {
        self.need(core::mem::size_of::<T>())?;
        // SAFETY: the buffer holds a T (checked); unaligned read.
        Ok(unsafe { (self.ptr as *const T).read_unaligned() })
    }
    fn put<T: Copy>(&self, v: T) -> SRes<()> {
        self.need(core::mem::size_of::<T>())?;
        // SAFETY: as in get().
        unsafe { (self.ptr as *mut T).write_unaligned(v) };
        Ok(())
    }
}

fn conn<'a>(inner: &'a mut StackInner, s: &Sock) -> SRes<&'a mut Conn> {
    inner.conns.get_mut(s.conn).ok_or(Errno(c::EBADF))
}

/// lwIP's "pcb exists" check: a TCP conn whose connection is over has none.
fn pcb(inner: &mut StackInner, s: &Sock) -> SRes<()> {
    if matches!(conn(inner, s)?.tcp, tcp::Tcp::Done) { Err(Errno(c::EINVAL)) } else { Ok(()) }
}

fn kind(inner: &mut StackInner, s: &Sock) -> SRes<Kind> {
    Ok(conn(inner, s)?.kind)
}

/// The IPPROTO_TCP level's checks (after the length): a live TCP conn, not listening.
fn tcp_level<'a>(inner: &'a mut StackInner, s: &Sock) -> SRes<&'a mut Conn> {
    pcb(inner, s)?;
    let conn = conn(inner, s)?;
    if !conn.kind.is_tcp() {
        return Err(Errno(c::ENOPROTOOPT));
    }
    if matches!(conn.tcp, tcp::Tcp::Listening(_)) {
        return Err(Errno(c::EINVAL));
    }
    Ok(conn)
}

fn want_udp(k: Kind) -> SRes<()> {
    if k.is_udp() { Ok(()) } else { Err(Errno(c::ENOPROTOOPT)) }
}

fn flag_bit(on: bool, bit: u8) -> c_int {
    if on { c_int::from(bit) } else { 0 }
}

/// A socket timeout option value: a struct timeval, or an int of ms (NONSTANDARD).
fn get_timeout(v: &Val, ms: u32) -> SRes<()> {
    if cfg!(lwip = "so_sndrcvtimeo_nonstandard") {
        return v.put_int(ms as c_int);
    }
    let mut tv = abi::timeval::default();
    tv.tv_sec = (ms / 1000) as _;
    tv.tv_usec = ((ms % 1000) * 1000) as _;
    v.put(tv)
}

fn set_timeout(v: &Val) -> SRes<i64> {
    if cfg!(lwip = "so_sndrcvtimeo_nonstandard") {
        return Ok(i64::from(v.int()?));
    }
    let tv: abi::timeval = v.get()?;
    let ms = (tv.tv_sec as i64).saturating_mul(1000).saturating_add(tv.tv_usec as i64 / 1000);
    if ms < 0 {
        return Err(Errno(c::EINVAL));
    }
    Ok(ms)
}

fn get_impl(inner: &mut StackInner, s: Sock, level: c_int, name: c_int, v: &Val) -> SRes<()> {
    match level {
        l if l == c::SOL_SOCKET => match name {
            n if n == c::SO_ACCEPTCONN => {
                v.need(4)?;
                pcb(inner, &s)?;
                let conn = conn(inner, &s)?;
                if !conn.kind.is_tcp() {
                    return Err(Errno(c::ENOPROTOOPT));
                }
                v.put_int(c_int::from(matches!(conn.tcp, tcp::Tcp::Listening(_))))
            }
            n if n == c::SO_BROADCAST => {
                want_udp(kind(inner, &s)?)?;
                v.need(4)?;
                pcb(inner, &s)?;
                v.put_int(flag_bit(conn(inner, &s)?.opt.broadcast, c::SOF_BROADCAST))
            }
            n if n == c::SO_KEEPALIVE => {
                v.need(4)?;
                pcb(inner, &s)?;
                v.put_int(flag_bit(conn(inner, &s)?.opt.keepalive, c::SOF_KEEPALIVE))
            }
            n if n == c::SO_REUSEADDR => {
                v.need(4)?;
                pcb(inner, &s)?;
                v.put_int(flag_bit(conn(inner, &s)?.opt.reuseaddr, c::SOF_REUSEADDR))
            }
            n if n == c::SO_TYPE => v.put_int(s.ty),
            n if n == c::SO_ERROR => {
                v.need(4)?;
                let conn = conn(inner, &s)?;
                let err = core::mem::replace(&mut conn.err, c::ERR_OK);
                v.put_int(errno(err).0)
            }
            #[cfg(lwip = "so_rcvtimeo")]
            n if n == c::SO_RCVTIMEO => get_timeout(v, s.rcvtimeo_ms),
            #[cfg(lwip = "so_sndtimeo")]
            n if n == c::SO_SNDTIMEO => get_timeout(v, s.sndtimeo_ms.max(0) as u32),
            #[cfg(lwip = "so_rcvbuf")]
            n if n == c::SO_RCVBUF => v.put_int(conn(inner, &s)?.recv_bufsize.min(c_int::MAX as usize) as c_int),
            #[cfg(lwip = "so_linger")]
            n if n == c::SO_LINGER => {
                let mut l = abi::linger::default();
                if s.linger >= 0 {
                    l.l_onoff = 1;
                    l.l_linger = c_int::from(s.linger);
                }
                v.put(l)
            }
            #[cfg(lwip = "udp")]
            n if n == c::SO_NO_CHECK => {
                v.need(4)?;
                pcb(inner, &s)?;
                let k = kind(inner, &s)?;
                if k == Kind::UdpLite {
                    return Err(Errno(c::EAFNOSUPPORT));
                }
                want_udp(k)?;
                v.put_int(c_int::from(k == Kind::UdpNoChksum))
            }
            _ => Err(Errno(c::ENOPROTOOPT)),
        },
        l if l == c::IPPROTO_IP => match name {
            n if n == c::IP_TTL => {
                v.need(4)?;
                pcb(inner, &s)?;
                v.put_int(c_int::from(conn(inner, &s)?.opt.ttl))
            }
            n if n == c::IP_TOS => {
                v.need(4)?;
                pcb(inner, &s)?;
                v.put_int(c_int::from(conn(inner, &s)?.opt.tos))
            }
            #[cfg(lwip = "netbuf_recvinfo")]
            n if n == c::IP_PKTINFO => {
                v.need(4)?;
                pcb(inner, &s)?;
                want_udp(kind(inner, &s)?)?;
                v.put_int(c_int::from(conn(inner, &s)?.opt.pktinfo))
            }
            n if n == c::IP_MULTICAST_TTL => {
                v.need(1)?;
                pcb(inner, &s)?;
                want_udp(kind(inner, &s)?)?;
                v.put_byte(conn(inner, &s)?.opt.mcast_ttl)
            }
            n if n == c::IP_MULTICAST_IF => {
                v.need(4)?;
                pcb(inner, &s)?;
                want_udp(kind(inner, &s)?)?;
                v.put(u32::from_ne_bytes(conn(inner, &s)?.opt.mcast_if4.octets()))
            }
            n if n == c::IP_MULTICAST_LOOP => {
                v.need(1)?;
                pcb(inner, &s)?;
                v.put_byte(u8::from(conn(inner, &s)?.opt.mcast_loop))
            }
            _ => Err(Errno(c::ENOPROTOOPT)),
        },
        l if l == c::IPPROTO_TCP => {
            v.need(4)?;
            let o = tcp_level(inner, &s)?.opt;
            match name {
                n if n == c::TCP_NODELAY => v.put_int(c_int::from(o.nodelay)),
                n if n == c::TCP_KEEPALIVE => v.put_int(o.keep_idle_ms as c_int),
                #[cfg(lwip = "tcp_keepalive")]
                n if n == c::TCP_KEEPIDLE => v.put_int((o.keep_idle_ms / 1000) as c_int),
                #[cfg(lwip = "tcp_keepalive")]
                n if n == c::TCP_KEEPINTVL => v.put_int((o.keep_intvl_ms / 1000) as c_int),
                #[cfg(lwip = "tcp_keepalive")]
                n if n == c::TCP_KEEPCNT => v.put_int(o.keep_cnt as c_int),
                _ => Err(Errno(c::ENOPROTOOPT)),
            }
        }
        l if l == c::IPPROTO_IPV6 => match name {
            n if n == c::IPV6_V6ONLY => v.put_int(c_int::from(conn(inner, &s)?.v6only)),
            #[cfg(lwip = "multicast_tx_options")]
            n if is_v6_mcast_opt(n) => get_v6_mcast(inner, &s, n, v),
            _ => Err(Errno(c::ENOPROTOOPT)),
        },
        #[cfg(lwip = "raw")]
        l if l == c::IPPROTO_RAW => match name {
            n if n == c::IPV6_CHECKSUM => {
                v.need(4)?;
                pcb(inner, &s)?;
                let conn = conn(inner, &s)?;
                if !matches!(conn.kind, Kind::Raw(_)) {
                    return Err(Errno(c::ENOPROTOOPT));
                }
                v.put_int(conn.opt.chksum_offset)
            }
            _ => Err(Errno(c::ENOPROTOOPT)),
        },
        _ => Err(Errno(c::ENOPROTOOPT)),
    }
}

fn set_impl(inner: &mut StackInner, fd: c_int, s: Sock, level: c_int, name: c_int, v: &Val) -> SRes<()> {
    match level {
        l if l == c::SOL_SOCKET => match name {
            n if n == c::SO_BROADCAST || n == c::SO_KEEPALIVE || n == c::SO_REUSEADDR => {
                if n == c::SO_BROADCAST {
                    want_udp(kind(inner, &s)?)?;
                }
                let on = v.int()? != 0;
                pcb(inner, &s)?;
                let conn = conn(inner, &s)?;
                match n {
                    n if n == c::SO_BROADCAST => conn.opt.broadcast = on,
                    n if n == c::SO_KEEPALIVE => conn.opt.keepalive = on,
                    _ => conn.opt.reuseaddr = on,
                }
                tcp::options_changed(&mut inner.ctx(), s.conn);
                Ok(())
            }
            #[cfg(lwip = "so_rcvtimeo")]
            n if n == c::SO_RCVTIMEO => {
                let ms = set_timeout(v)?;
                super::update(inner, fd, |s| s.rcvtimeo_ms = ms as u32);
                Ok(())
            }
            #[cfg(lwip = "so_sndtimeo")]
            n if n == c::SO_SNDTIMEO => {
                let ms = set_timeout(v)?;
                super::update(inner, fd, |s| s.sndtimeo_ms = ms as i32);
                Ok(())
            }
            #[cfg(lwip = "so_rcvbuf")]
            n if n == c::SO_RCVBUF => {
                let size = v.int()?;
                // Stored as given; a negative size takes no datagram at all.
                conn(inner, &s)?.recv_bufsize = size.max(0) as usize;
                Ok(())
            }
            #[cfg(lwip = "so_linger")]
            n if n == c::SO_LINGER => {
                let l: abi::linger = v.get()?;
                let linger = if l.l_onoff == 0 {
                    -1
                } else if l.l_linger < 0 {
                    return Err(Errno(c::EINVAL));
                } else {
                    // lwIP clamps to 0xffff and keeps an s16 (so 32768.. reads back as off).
                    l.l_linger.min(0xffff) as u16 as i16
                };
                super::update(inner, fd, |s| s.linger = linger);
                Ok(())
            }
            #[cfg(lwip = "udp")]
            n if n == c::SO_NO_CHECK => {
                let on = v.int()? != 0;
                pcb(inner, &s)?;
                let conn = conn(inner, &s)?;
                if conn.kind == Kind::UdpLite {
                    return Err(Errno(c::EAFNOSUPPORT));
                }
                want_udp(conn.kind)?;
                conn.kind = if on { Kind::UdpNoChksum } else { Kind::Udp };
                Ok(())
            }
            n if n == c::SO_BINDTODEVICE => {
                v.need(core::mem::size_of::<abi::ifreq>())?;
                // SAFETY: the caller's ifreq; its name comes first in every layout.
                let raw = unsafe { core::slice::from_raw_parts(v.ptr as *const u8, core::mem::size_of::<abi::ifreq>()) };
                let name_len = raw.iter().take(16).position(|&b| b == 0).unwrap_or(16.min(raw.len()));
                let name = &raw[..name_len];
                let idx = if name.is_empty() {
                    0
                } else {
                    crate::netif::index_by_name(name).ok_or(Errno(c::ENODEV))?
                };
                let conn = conn(inner, &s)?;
                conn.opt.bound_if = idx;
                if !conn.kind.is_tcp() && conn.local.is_some() {
                    dgram::rebind(&mut inner.ctx(), s.conn).map_err(errno)?;
                }
                Ok(())
            }
            _ => Err(Errno(c::ENOPROTOOPT)),
        },
        l if l == c::IPPROTO_IP => match name {
            n if n == c::IP_TTL || n == c::IP_TOS => {
                let value = v.int()? as u8;
                pcb(inner, &s)?;
                let conn = conn(inner, &s)?;
                if n == c::IP_TTL {
                    conn.opt.ttl = value;
                } else {
                    conn.opt.tos = value;
                }
                tcp::options_changed(&mut inner.ctx(), s.conn);
                dgram::options_changed(&mut inner.ctx(), s.conn);
                Ok(())
            }
            #[cfg(lwip = "netbuf_recvinfo")]
            n if n == c::IP_PKTINFO => {
                let on = v.int()? != 0;
                pcb(inner, &s)?;
                want_udp(kind(inner, &s)?)?;
                conn(inner, &s)?.opt.pktinfo = on;
                Ok(())
            }
            n if n == c::IP_MULTICAST_TTL || n == c::IP_MULTICAST_LOOP => {
                let value = v.byte()?;
                pcb(inner, &s)?;
                want_udp(kind(inner, &s)?)?;
                let conn = conn(inner, &s)?;
                if n == c::IP_MULTICAST_TTL {
                    conn.opt.mcast_ttl = value;
                } else {
                    conn.opt.mcast_loop = value != 0;
                }
                Ok(())
            }
            n if n == c::IP_MULTICAST_IF => {
                let a: u32 = v.get()?;
                pcb(inner, &s)?;
                want_udp(kind(inner, &s)?)?;
                let ip = Ipv4Address::from(a.to_ne_bytes());
                conn(inner, &s)?.opt.mcast_if4 = if ip.is_broadcast() { Ipv4Address::UNSPECIFIED } else { ip };
                Ok(())
            }
            #[cfg(lwip = "igmp")]
            n if n == c::IP_ADD_MEMBERSHIP || n == c::IP_DROP_MEMBERSHIP => {
                let m: abi::ip_mreq = v.get()?;
                pcb(inner, &s)?;
                want_udp(kind(inner, &s)?)?;
                let group = IpAddress::Ipv4(Ipv4Address::from(m.imr_multiaddr.s_addr.to_ne_bytes()));
                let ifaddr = Ipv4Address::from(m.imr_interface.s_addr.to_ne_bytes());
                let key = if ifaddr.is_unspecified() {
                    None
                } else {
                    let a = IpAddress::Ipv4(ifaddr);
                    Some(inner.netifs.iter().find(|n| n.iface.has_ip_addr(a)).ok_or(Errno(c::EADDRNOTAVAIL))?.key())
                };
                join_leave(inner, &s, group, key, n == c::IP_ADD_MEMBERSHIP)
            }
            _ => Err(Errno(c::ENOPROTOOPT)),
        },
        l if l == c::IPPROTO_TCP => {
            let value = v.int()?;
            let o = &mut tcp_level(inner, &s)?.opt;
            match name {
                n if n == c::TCP_NODELAY => o.nodelay = value != 0,
                n if n == c::TCP_KEEPALIVE => o.keep_idle_ms = value as u32,
                #[cfg(lwip = "tcp_keepalive")]
                n if n == c::TCP_KEEPIDLE => o.keep_idle_ms = (value as u32).wrapping_mul(1000),
                #[cfg(lwip = "tcp_keepalive")]
                n if n == c::TCP_KEEPINTVL => o.keep_intvl_ms = (value as u32).wrapping_mul(1000),
                #[cfg(lwip = "tcp_keepalive")]
                n if n == c::TCP_KEEPCNT => o.keep_cnt = value as u32,
                _ => return Err(Errno(c::ENOPROTOOPT)),
            }
            tcp::options_changed(&mut inner.ctx(), s.conn);
            Ok(())
        }
        l if l == c::IPPROTO_IPV6 => match name {
            n if n == c::IPV6_V6ONLY => {
                let on = v.int()? != 0;
                pcb(inner, &s)?;
                conn(inner, &s)?.v6only = on;
                Ok(())
            }
            #[cfg(lwip = "ipv6_mld")]
            n if n == c::IPV6_JOIN_GROUP || n == c::IPV6_LEAVE_GROUP => {
                let m: abi::ipv6_mreq = v.get()?;
                pcb(inner, &s)?;
                want_udp(kind(inner, &s)?)?;
                // SAFETY: the address field is 16 plain bytes in every profile.
                let bytes = unsafe { *((&raw const m.ipv6mr_multiaddr) as *const [u8; 16]) };
                let group = IpAddress::Ipv6(Ipv6Address::from(bytes));
                let idx = u8::try_from(m.ipv6mr_interface).map_err(|_| Errno(c::EINVAL))?;
                let key = inner.netifs.iter().find(|n| idx != 0 && n.index() == Some(idx)).ok_or(Errno(c::EADDRNOTAVAIL))?.key();
                join_leave(inner, &s, group, Some(key), n == c::IPV6_JOIN_GROUP)
            }
            #[cfg(lwip = "multicast_tx_options")]
            n if is_v6_mcast_opt(n) => set_v6_mcast(inner, &s, n, v),
            _ => Err(Errno(c::ENOPROTOOPT)),
        },
        #[cfg(lwip = "raw")]
        l if l == c::IPPROTO_RAW => match name {
            n if n == c::IPV6_CHECKSUM => {
                if let Kind::Raw(p) = kind(inner, &s)? {
                    if i32::from(p) == c::IPPROTO_ICMPV6 {
                        return Err(Errno(c::EINVAL));
                    }
                }
                let value = v.int()?;
                pcb(inner, &s)?;
                let conn = conn(inner, &s)?;
                if !matches!(conn.kind, Kind::Raw(_)) {
                    return Err(Errno(c::ENOPROTOOPT));
                }
                if value >= 0 && value % 2 != 0 {
                    return Err(Errno(c::EINVAL));
                }
                conn.opt.chksum_offset = value.max(-1);
                Ok(())
            }
            _ => Err(Errno(c::ENOPROTOOPT)),
        },
        _ => Err(Errno(c::ENOPROTOOPT)),
    }
}

fn join_leave(inner: &mut StackInner, s: &Sock, group: IpAddress, key: Option<crate::core::NetifKey>, join: bool) -> SRes<()> {
    let r = dgram::join_leave(&mut inner.ctx(), s.conn, group, key, join);
    let keys: alloc::vec::Vec<_> = inner.netifs.iter().map(|n| n.key()).collect();
    for k in keys {
        inner.flush(k);
    }
    r.map_err(|e| if e == c::ERR_MEM { Errno(c::ENOMEM) } else { Errno(c::EADDRNOTAVAIL) })
}

// IPV6_MULTICAST_IF / HOPS / LOOP: not in lwIP 2.1.3 (ENOPROTOOPT there), in ESP-IDF's
// lwIP and POSIX; provided where the profile's headers define them (COMPATIBILITY.md).
#[cfg(lwip = "multicast_tx_options")]
fn is_v6_mcast_opt(n: c_int) -> bool {
    v6_mcast_names().contains(&n)
}

#[cfg(lwip = "multicast_tx_options")]
fn v6_mcast_names() -> [c_int; 3] {
    #[cfg(lwip = "smolwip_ipv6_multicast_options")]
    return [c::IPV6_MULTICAST_IF, c::IPV6_MULTICAST_HOPS, c::IPV6_MULTICAST_LOOP];
    #[cfg(not(lwip = "smolwip_ipv6_multicast_options"))]
    return [-1; 3];
}

#[cfg(lwip = "multicast_tx_options")]
fn get_v6_mcast(inner: &mut StackInner, s: &Sock, n: c_int, v: &Val) -> SRes<()> {
    v.need(4)?;
    pcb(inner, s)?;
    want_udp(kind(inner, s)?)?;
    let o = conn(inner, s)?.opt;
    let [ifo, hops, _] = v6_mcast_names();
    let value = if n == ifo { c_int::from(o.mcast_if6) } else if n == hops { c_int::from(o.mcast_ttl) } else { c_int::from(o.mcast_loop) };
    v.put_int(value)
}

#[cfg(lwip = "multicast_tx_options")]
fn set_v6_mcast(inner: &mut StackInner, s: &Sock, n: c_int, v: &Val) -> SRes<()> {
    let value = v.int()?;
    pcb(inner, s)?;
    want_udp(kind(inner, s)?)?;
    let [ifo, hops, _] = v6_mcast_names();
    let o = &mut conn(inner, s)?.opt;
    if n == ifo {
        o.mcast_if6 = u8::try_from(value).map_err(|_| Errno(c::EINVAL))?;
    } else if n == hops {
        o.mcast_ttl = if value < 0 { 1 } else { value.min(255) as u8 };
    } else {
        o.mcast_loop = value != 0;
    }
    Ok(())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_getsockopt(fd: c_int, level: c_int, optname: c_int, optval: *mut c_void, optlen: *mut socklen_t) -> c_int {
    ret_int(with_sock(fd, |inner, s| {
        if optval.is_null() || optlen.is_null() {
            return Err(Errno(c::EFAULT));
        }
        // SAFETY: non-NULL caller pointer.
        let len = unsafe { *optlen } as usize;
        get_impl(inner, s, level, optname, &Val { ptr: optval, len }).map(|_| 0)
    }))
}
same_signature!(lwip_getsockopt(_, _, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_setsockopt(fd: c_int, level: c_int, optname: c_int, optval: *const c_void, optlen: socklen_t) -> c_int {
    ret_int(with_sock(fd, |inner, s| {
        if optval.is_null() {
            return Err(Errno(c::EFAULT));
        }
        set_impl(inner, fd, s, level, optname, &Val { ptr: optval as *mut c_void, len: optlen as usize })?;
        // An option may move a timer (keepalive) or change what is sent next.
        if let Some(key) = tcp::netif_of(&inner.conns, s.conn) {
            inner.flush(key);
        }
        Ok(0)
    }))
}
same_signature!(lwip_setsockopt(_, _, _, _, _));

#[unsafe(no_mangle)]
pub extern "C" fn lwip_fcntl(fd: c_int, cmd: c_int, val: c_int) -> c_int {
    ret_int(with_sock(fd, |inner, s| match cmd {
        x if x == c::F_GETFL => {
            let conn = conn(inner, &s)?;
            let access = if conn.kind.is_tcp() {
                match &conn.tcp {
                    tcp::Tcp::Done => 0,
                    // Once our FIN is on its way the socket only reads (lwIP's TF_FIN).
                    _ if conn.shut_wr => c::O_RDONLY,
                    _ => c::O_RDWR,
                }
            } else {
                c::O_RDWR
            };
            Ok((access | if s.nonblocking { c::O_NONBLOCK } else { 0 }) as isize)
        }
        x if x == c::F_SETFL => {
            let rest = val & !(c::O_RDONLY | c::O_WRONLY | c::O_RDWR);
            if rest != 0 && rest != c::O_NONBLOCK {
                return Err(Errno(c::ENOSYS));
            }
            super::update(inner, fd, |s| s.nonblocking = val & c::O_NONBLOCK != 0);
            Ok(0)
        }
        _ => Err(Errno(c::ENOSYS)),
    }))
}
same_signature!(lwip_fcntl(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_ioctl(fd: c_int, cmd: c_long, argp: *mut c_void) -> c_int {
    ret_int(with_sock(fd, |inner, s| match cmd {
        x if x == c::FIONREAD => {
            if argp.is_null() {
                return Err(Errno(c::EINVAL));
            }
            let k = kind(inner, &s)?;
            let n = if k.is_tcp() {
                tcp::pending_bytes(&mut inner.ctx(), s.conn)
            } else {
                let (first, all) = dgram::pending(&mut inner.ctx(), s.conn);
                if cfg!(lwip = "fionread_linuxmode") { first } else { all }
            };
            // SAFETY: the caller's int.
            unsafe { (argp as *mut c_int).write_unaligned(n.min(c_int::MAX as usize) as c_int) };
            Ok(0)
        }
        x if x == c::FIONBIO => {
            // SAFETY: NULL or the caller's int.
            let on = unsafe { (argp as *const c_int).as_ref() }.is_some_and(|&v| v != 0);
            super::update(inner, fd, |s| s.nonblocking = on);
            Ok(0)
        }
        _ => Err(Errno(c::ENOSYS)),
    }))
}
same_signature!(lwip_ioctl(_, _, _));
