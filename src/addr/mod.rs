//! Address helpers (lwip/ip_addr.h, lwip/def.h, lwip/err.h): text conversion, byte order,
//! the constant address objects, err_to_errno.
//!
//! The C entry points here are thin shims over safe code: [`text`] holds lwIP's text forms,
//! [`convert`] the conversions between lwIP's address structs and smoltcp's.
// The safety contract of each export is lwIP's documentation of the same function.
#![allow(clippy::missing_safety_doc)]

mod convert;
mod text;

pub use convert::*;
pub use text::{format_ip4, format_ip6, parse_ip4, parse_ip6, AddrText, IP4_MAPPED_PREFIX};

use crate::abi::{c, err_t, u16_t, u32_t};
use core::ffi::{c_char, c_int, CStr};

#[cfg(lwip = "ipv4")]
use crate::abi::{ip4_addr_t, netif, u8_t};
#[cfg(lwip = "ipv6")]
use crate::abi::{in6_addr, ip6_addr_t};
#[cfg(any(lwip = "ipv4", lwip = "ipv6"))]
use crate::abi::ip_addr_t;
#[cfg(lwip = "ipv4")]
use smoltcp::wire::Ipv4Address;

/// Compile-time check that our definition of a data symbol has the type the profile's
/// headers declare for it.
macro_rules! same_type {
    ($name:ident) => {
        const _: () = {
            let _both = [&raw const $crate::abi::$name, &raw const $name];
        };
    };
}

// ---- byte order ---------------------------------------------------------------------

/// Host to network byte order, 16 bits.
#[unsafe(no_mangle)]
pub extern "C" fn lwip_htons(x: u16_t) -> u16_t {
    x.to_be()
}
same_signature!(lwip_htons(_));

/// Host to network byte order, 32 bits.
#[unsafe(no_mangle)]
pub extern "C" fn lwip_htonl(x: u32_t) -> u32_t {
    x.to_be()
}
same_signature!(lwip_htonl(_));

// ---- err_t -> errno -----------------------------------------------------------------

/// lwIP's mapping of an `err_t` to the errno its socket layer reports.
pub fn errno_from_err(err: err_t) -> c_int {
    match err {
        c::ERR_OK => 0,
        c::ERR_MEM => c::ENOMEM,
        c::ERR_BUF => c::ENOBUFS,
        c::ERR_TIMEOUT | c::ERR_WOULDBLOCK => c::EWOULDBLOCK,
        c::ERR_RTE => c::EHOSTUNREACH,
        c::ERR_INPROGRESS => c::EINPROGRESS,
        c::ERR_VAL => c::EINVAL,
        c::ERR_USE => c::EADDRINUSE,
        c::ERR_ALREADY => c::EALREADY,
        c::ERR_ISCONN => c::EISCONN,
        c::ERR_CONN | c::ERR_CLSD => c::ENOTCONN,
        // lwIP has no errno for a low-level netif error.
        c::ERR_IF => -1,
        c::ERR_ABRT => c::ECONNABORTED,
        c::ERR_RST => c::ECONNRESET,
        // ERR_ARG, and anything that is not an err_t.
        _ => c::EIO,
    }
}

#[cfg(not(lwip = "no_sys"))]
#[unsafe(no_mangle)]
pub extern "C" fn err_to_errno(err: err_t) -> c_int {
    errno_from_err(err)
}
#[cfg(not(lwip = "no_sys"))]
same_signature!(err_to_errno(_));

// ---- IPv4 predicates ----------------------------------------------------------------

/// What `ip4_addr_isbroadcast` needs to know about an interface.
#[cfg(lwip = "ipv4")]
#[derive(Clone, Copy, Debug)]
pub struct Ip4Subnet {
    /// `NETIF_FLAG_BROADCAST`: the link has broadcast at all.
    pub broadcast: bool,
    pub addr: Ipv4Address,
    pub netmask: Ipv4Address,
}

/// Whether `addr` is a broadcast address: all ones or all zeros anywhere, or the directed
/// broadcast of `netif`'s subnet (and not the interface's own address).
#[cfg(lwip = "ipv4")]
pub fn ip4_is_broadcast(addr: Ipv4Address, netif: Option<&Ip4Subnet>) -> bool {
    let bits = addr.to_bits();
    if bits == c::IPADDR_ANY || bits == !c::IPADDR_ANY {
        return true;
    }
    let Some(n) = netif.filter(|n| n.broadcast) else { return false };
    let (own, mask) = (n.addr.to_bits(), n.netmask.to_bits());
    bits != own && bits & mask == own & mask && bits & !mask == c::IPADDR_BROADCAST & !mask
}

/// Whether a netmask is contiguous ones followed by zeros (0.0.0.0 included).
#[cfg(lwip = "ipv4")]
pub fn ip4_netmask_is_valid(netmask: Ipv4Address) -> bool {
    let bits = netmask.to_bits();
    bits.leading_ones() + bits.trailing_zeros() == u32::BITS
}

// ---- shared shim helpers ------------------------------------------------------------

/// The bytes of a C string, `None` for NULL.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that outlives the result.
unsafe fn c_text<'a>(p: *const c_char) -> Option<&'a [u8]> {
    // SAFETY: per the contract above.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_bytes())
}

/// Store `text` in the caller's buffer the way lwIP's `*ntoa_r` do: the text and a NUL if
/// `buflen` leaves room for both; otherwise only its first `buflen` characters, and NULL.
///
/// # Safety
/// `buf` is NULL or valid for `buflen` bytes.
unsafe fn store_text(text: &[u8], buf: *mut c_char, buflen: c_int) -> *mut c_char {
    if buf.is_null() {
        return core::ptr::null_mut();
    }
    let room = usize::try_from(buflen).unwrap_or(0);
    let fits = text.len() < room;
    let n = if fits { text.len() } else { room };
    // SAFETY: n <= buflen bytes, per the contract; the text is our own buffer.
    unsafe { core::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), n) };
    if !fits {
        return core::ptr::null_mut();
    }
    // SAFETY: n < buflen.
    unsafe { *buf.add(n) = 0 };
    buf
}

/// lwIP's shared result buffer of a non-reentrant `*ntoa`: one per function, like lwIP.
struct NtoaBuffer<const N: usize>(core::cell::UnsafeCell<[u8; N]>);

// SAFETY: lwIP documents ip4addr_ntoa/ip6addr_ntoa as not reentrant (a static buffer), so
// callers serialize their use as they must with lwIP; we only ever write it through a raw
// pointer inside those calls and never form a Rust reference to it.
unsafe impl<const N: usize> Sync for NtoaBuffer<N> {}

impl<const N: usize> NtoaBuffer<N> {
    const fn new() -> Self {
        NtoaBuffer(core::cell::UnsafeCell::new([0; N]))
    }
    fn ptr(&self) -> *mut c_char {
        self.0.get().cast()
    }
    fn len(&self) -> c_int {
        N as c_int
    }
}

// ---- IPv4 exports -------------------------------------------------------------------

#[cfg(lwip = "ipv4")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ip4_addr_isbroadcast_u32(addr: u32_t, netif: *const netif) -> u8_t {
    // SAFETY: netif is NULL or a live interface (lwIP requires one; NULL checks the
    // interface-independent cases only).
    let subnet = unsafe { netif.as_ref() }.map(|n| Ip4Subnet {
        broadcast: n.flags & c::NETIF_FLAG_BROADCAST != 0,
        // SAFETY: plain integers, valid for any bit pattern.
        addr: ip4_addr_to_smol(unsafe { &n.ip_addr.u_addr.ip4 }),
        // SAFETY: as above.
        netmask: ip4_addr_to_smol(unsafe { &n.netmask.u_addr.ip4 }),
    });
    let addr = ip4_addr_to_smol(&ip4_addr_t { addr });
    u8_t::from(ip4_is_broadcast(addr, subnet.as_ref()))
}
#[cfg(lwip = "ipv4")]
same_signature!(ip4_addr_isbroadcast_u32(_, _));

#[cfg(lwip = "ipv4")]
#[unsafe(no_mangle)]
pub extern "C" fn ip4_addr_netmask_valid(netmask: u32_t) -> u8_t {
    u8_t::from(ip4_netmask_is_valid(ip4_addr_to_smol(&ip4_addr_t { addr: netmask })))
}
#[cfg(lwip = "ipv4")]
same_signature!(ip4_addr_netmask_valid(_));

/// # Safety
/// `addr` is NULL or valid for writes.
#[cfg(lwip = "ipv4")]
unsafe fn aton4(text: &[u8], addr: *mut ip4_addr_t) -> c_int {
    let Some(parsed) = parse_ip4(text) else { return 0 };
    // SAFETY: per the contract.
    if let Some(out) = unsafe { addr.as_mut() } {
        *out = ip4_addr_from_smol(parsed);
    }
    1
}

#[cfg(lwip = "ipv4")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ip4addr_aton(cp: *const c_char, addr: *mut ip4_addr_t) -> c_int {
    // SAFETY: cp is NULL or a C string, addr NULL or writable (lwIP's contract).
    unsafe { c_text(cp).map_or(0, |text| aton4(text, addr)) }
}
#[cfg(lwip = "ipv4")]
same_signature!(ip4addr_aton(_, _));

#[cfg(lwip = "ipv4")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ipaddr_addr(cp: *const c_char) -> u32_t {
    // SAFETY: cp is NULL or a C string.
    let parsed = unsafe { c_text(cp) }.and_then(parse_ip4);
    parsed.map_or(c::IPADDR_NONE, |a| ip4_addr_from_smol(a).addr)
}
#[cfg(lwip = "ipv4")]
same_signature!(ipaddr_addr(_));

/// # Safety
/// `addr` is NULL or readable; `buf` NULL or valid for `buflen` bytes.
#[cfg(lwip = "ipv4")]
unsafe fn ntoa4(addr: *const ip4_addr_t, buf: *mut c_char, buflen: c_int) -> *mut c_char {
    // SAFETY: per the contract.
    match unsafe { addr.as_ref() } {
        // SAFETY: per the contract.
        Some(a) => unsafe { store_text(format_ip4(ip4_addr_to_smol(a)).as_bytes(), buf, buflen) },
        None => core::ptr::null_mut(),
    }
}

#[cfg(lwip = "ipv4")]
static IP4_NTOA: NtoaBuffer<{ c::IP4ADDR_STRLEN_MAX }> = NtoaBuffer::new();

#[cfg(lwip = "ipv4")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ip4addr_ntoa(addr: *const ip4_addr_t) -> *mut c_char {
    // SAFETY: addr is NULL or readable; the shared buffer is ours.
    unsafe { ntoa4(addr, IP4_NTOA.ptr(), IP4_NTOA.len()) }
}
#[cfg(lwip = "ipv4")]
same_signature!(ip4addr_ntoa(_));

#[cfg(lwip = "ipv4")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ip4addr_ntoa_r(addr: *const ip4_addr_t, buf: *mut c_char, buflen: c_int) -> *mut c_char {
    // SAFETY: lwIP's contract: addr readable, buf valid for buflen bytes (NULLs tolerated).
    unsafe { ntoa4(addr, buf, buflen) }
}
#[cfg(lwip = "ipv4")]
same_signature!(ip4addr_ntoa_r(_, _, _));

// ---- IPv6 exports -------------------------------------------------------------------

/// # Safety
/// `addr` is NULL or valid for reads and writes.
#[cfg(lwip = "ipv6")]
unsafe fn aton6(text: &[u8], addr: *mut ip6_addr_t) -> c_int {
    // SAFETY: per the contract.
    let Some(out) = (unsafe { addr.as_mut() }) else {
        return c_int::from(parse_ip6(text).is_some());
    };
    // lwIP writes as it parses: start from the caller's words so a rejected string leaves
    // the same words behind as with lwIP.
    let mut words = out.addr;
    let (ok, written) = text::parse_ip6_words(text, &mut words);
    if written != text::Ip6Written::Nothing {
        out.addr = words;
    }
    #[cfg(lwip = "ipv6_scopes")]
    if written == text::Ip6Written::Complete {
        out.zone = c::IP6_NO_ZONE;
    }
    c_int::from(ok)
}

#[cfg(lwip = "ipv6")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ip6addr_aton(cp: *const c_char, addr: *mut ip6_addr_t) -> c_int {
    // SAFETY: cp is NULL or a C string, addr NULL or writable (lwIP's contract).
    unsafe { c_text(cp).map_or(0, |text| aton6(text, addr)) }
}
#[cfg(lwip = "ipv6")]
same_signature!(ip6addr_aton(_, _));

/// lwIP's text for an `ip6_addr_t`. lwIP peeks at the byte after the address words to decide
/// how a lone zero last group is written (see `text::format_ip6_lwip`): the zone with
/// `LWIP_IPV6_SCOPES`, else whatever follows (`following`: the type inside an `ip_addr_t`;
/// unknown, taken as zero, for a bare `ip6_addr_t`).
#[cfg(lwip = "ipv6")]
fn ip6_text(addr: &ip6_addr_t, following: u8) -> AddrText {
    #[cfg(lwip = "ipv6_scopes")]
    let following = {
        let _ = following;
        addr.zone
    };
    text::format_ip6_lwip(ip6_addr_to_smol(addr), following == 0)
}

/// # Safety
/// `addr` is NULL or readable; `buf` NULL or valid for `buflen` bytes.
#[cfg(lwip = "ipv6")]
unsafe fn ntoa6(addr: *const ip6_addr_t, following: u8, buf: *mut c_char, buflen: c_int) -> *mut c_char {
    // SAFETY: per the contract.
    let Some(a) = (unsafe { addr.as_ref() }) else { return core::ptr::null_mut() };
    // lwIP writes nothing of an IPv4-mapped address unless its prefix and a NUL fit.
    let mapped = cfg!(lwip = "ipv4") && ip6_addr_to_smol(a).to_ipv4_mapped().is_some();
    if mapped && usize::try_from(buflen).unwrap_or(0) <= IP4_MAPPED_PREFIX.len() {
        return core::ptr::null_mut();
    }
    // SAFETY: per the contract.
    unsafe { store_text(ip6_text(a, following).as_bytes(), buf, buflen) }
}

#[cfg(lwip = "ipv6")]
static IP6_NTOA: NtoaBuffer<{ c::IP6ADDR_STRLEN_MAX }> = NtoaBuffer::new();

#[cfg(lwip = "ipv6")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ip6addr_ntoa(addr: *const ip6_addr_t) -> *mut c_char {
    // SAFETY: addr is NULL or readable; the shared buffer is ours.
    unsafe { ntoa6(addr, 0, IP6_NTOA.ptr(), IP6_NTOA.len()) }
}
#[cfg(lwip = "ipv6")]
same_signature!(ip6addr_ntoa(_));

#[cfg(lwip = "ipv6")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ip6addr_ntoa_r(addr: *const ip6_addr_t, buf: *mut c_char, buflen: c_int) -> *mut c_char {
    // SAFETY: lwIP's contract: addr readable, buf valid for buflen bytes (NULLs tolerated).
    unsafe { ntoa6(addr, 0, buf, buflen) }
}
#[cfg(lwip = "ipv6")]
same_signature!(ip6addr_ntoa_r(_, _, _));

// ---- dual-stack exports (ip_addr_t is a tagged union) ---------------------------------

#[cfg(all(lwip = "ipv4", lwip = "ipv6"))]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ipaddr_aton(cp: *const c_char, addr: *mut ip_addr_t) -> c_int {
    // SAFETY: cp is NULL or a C string.
    let Some(text) = (unsafe { c_text(cp) }) else { return 0 };
    // The first ':' or '.' decides; neither means IPv4 (which then rejects it).
    let v6 = text.iter().find(|&&b| b == b':' || b == b'.') == Some(&b':');
    // SAFETY: addr is NULL or writable; the union members are plain integers.
    unsafe {
        let out = addr.as_mut();
        if v6 {
            let ip6 = out.map_or(core::ptr::null_mut(), |a| {
                a.type_ = c::IPADDR_TYPE_V6;
                &raw mut a.u_addr.ip6
            });
            aton6(text, ip6)
        } else {
            let ip4 = out.map_or(core::ptr::null_mut(), |a| {
                a.type_ = c::IPADDR_TYPE_V4;
                &raw mut a.u_addr.ip4
            });
            aton4(text, ip4)
        }
    }
}
#[cfg(all(lwip = "ipv4", lwip = "ipv6"))]
same_signature!(ipaddr_aton(_, _));

/// The address an `ip_addr_t` holds: IPv6 if tagged so, IPv4 otherwise (`IPADDR_TYPE_ANY`
/// included), like lwIP's `IP_IS_V6`.
#[cfg(all(lwip = "ipv4", lwip = "ipv6"))]
enum IpRef<'a> {
    V4(&'a ip4_addr_t),
    /// With the byte after the IPv6 words (the type tag): see `ip6_text`.
    V6(&'a ip6_addr_t, u8),
}

/// # Safety
/// `addr` is NULL or readable for the lifetime of the result.
#[cfg(all(lwip = "ipv4", lwip = "ipv6"))]
unsafe fn ip_ref<'a>(addr: *const ip_addr_t) -> Option<IpRef<'a>> {
    // SAFETY: per the contract; the union members are plain integers.
    unsafe {
        let a = addr.as_ref()?;
        Some(if a.type_ == c::IPADDR_TYPE_V6 { IpRef::V6(&a.u_addr.ip6, a.type_) } else { IpRef::V4(&a.u_addr.ip4) })
    }
}

#[cfg(all(lwip = "ipv4", lwip = "ipv6"))]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ipaddr_ntoa(addr: *const ip_addr_t) -> *mut c_char {
    // SAFETY: addr is NULL or readable; the shared buffers are ours. Like lwIP, the result
    // is the shared buffer of ip4addr_ntoa or of ip6addr_ntoa.
    unsafe {
        match ip_ref(addr) {
            None => core::ptr::null_mut(),
            Some(IpRef::V4(a)) => ntoa4(a, IP4_NTOA.ptr(), IP4_NTOA.len()),
            Some(IpRef::V6(a, next)) => ntoa6(a, next, IP6_NTOA.ptr(), IP6_NTOA.len()),
        }
    }
}
#[cfg(all(lwip = "ipv4", lwip = "ipv6"))]
same_signature!(ipaddr_ntoa(_));

#[cfg(all(lwip = "ipv4", lwip = "ipv6"))]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ipaddr_ntoa_r(addr: *const ip_addr_t, buf: *mut c_char, buflen: c_int) -> *mut c_char {
    // SAFETY: lwIP's contract: addr readable, buf valid for buflen bytes (NULLs tolerated).
    unsafe {
        match ip_ref(addr) {
            None => core::ptr::null_mut(),
            Some(IpRef::V4(a)) => ntoa4(a, buf, buflen),
            Some(IpRef::V6(a, next)) => ntoa6(a, next, buf, buflen),
        }
    }
}
#[cfg(all(lwip = "ipv4", lwip = "ipv6"))]
same_signature!(ipaddr_ntoa_r(_, _, _));

// ---- constant address objects ---------------------------------------------------------

/// An `ip_addr_t` holding IPv4 `bits` (network byte order), whatever the profile's layout.
#[cfg(lwip = "ipv4")]
const fn ip_addr_v4(bits: u32) -> ip_addr_t {
    #[cfg(lwip = "ipv6")]
    return ip_addr_from_words([bits, 0, 0, 0], c::IPADDR_TYPE_V4);
    #[cfg(not(lwip = "ipv6"))]
    return ip4_addr_t { addr: bits };
}

#[cfg(lwip = "ipv4")]
#[allow(non_upper_case_globals)]
#[unsafe(no_mangle)]
pub static ip_addr_any: ip_addr_t = ip_addr_v4(c::IPADDR_ANY.to_be());
#[cfg(lwip = "ipv4")]
same_type!(ip_addr_any);

#[cfg(lwip = "ipv4")]
#[allow(non_upper_case_globals)]
#[unsafe(no_mangle)]
pub static ip_addr_broadcast: ip_addr_t = ip_addr_v4(c::IPADDR_BROADCAST.to_be());
#[cfg(lwip = "ipv4")]
same_type!(ip_addr_broadcast);

#[cfg(lwip = "ipv6")]
#[allow(non_upper_case_globals)]
#[unsafe(no_mangle)]
pub static ip6_addr_any: ip_addr_t = {
    #[cfg(lwip = "ipv4")]
    let any = ip_addr_from_words([0; 4], c::IPADDR_TYPE_V6);
    #[cfg(not(lwip = "ipv4"))]
    let any = ip6_addr_from_words([0; 4]);
    any
};
#[cfg(lwip = "ipv6")]
same_type!(ip6_addr_any);

#[cfg(all(lwip = "ipv4", lwip = "ipv6"))]
#[allow(non_upper_case_globals)]
#[unsafe(no_mangle)]
pub static ip_addr_any_type: ip_addr_t = ip_addr_from_words([0; 4], c::IPADDR_TYPE_ANY);
#[cfg(all(lwip = "ipv4", lwip = "ipv6"))]
same_type!(ip_addr_any_type);

/// `::` as a socket-API `struct in6_addr` (lwIP's own, or the system's with external socket
/// headers, whose union members differ; all zero is `::` in both).
#[cfg(lwip = "ipv6")]
#[allow(non_upper_case_globals)]
#[unsafe(no_mangle)]
// SAFETY: in6_addr is 16 bytes of integers in every spelling; all zero is valid.
pub static in6addr_any: in6_addr = unsafe { core::mem::zeroed() };
#[cfg(all(lwip = "ipv6", not(lwip = "socket_external_headers")))]
same_type!(in6addr_any);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn err_to_errno_mapping() {
        assert_eq!(errno_from_err(c::ERR_OK), 0);
        assert_eq!(errno_from_err(c::ERR_TIMEOUT), c::EWOULDBLOCK);
        assert_eq!(errno_from_err(c::ERR_CLSD), c::ENOTCONN);
        assert_eq!(errno_from_err(c::ERR_IF), -1);
        for unknown in [c::ERR_ARG, c::ERR_ARG - 1, err_t::MIN, 1, err_t::MAX] {
            assert_eq!(errno_from_err(unknown), c::EIO);
        }
    }

    #[cfg(lwip = "ipv4")]
    #[test]
    fn netmask_and_broadcast() {
        let a = Ipv4Address::new;
        assert!(ip4_netmask_is_valid(a(255, 255, 255, 0)));
        assert!(ip4_netmask_is_valid(a(0, 0, 0, 0)));
        assert!(ip4_netmask_is_valid(a(255, 255, 255, 255)));
        assert!(!ip4_netmask_is_valid(a(255, 0, 255, 0)));
        assert!(!ip4_netmask_is_valid(a(0, 255, 255, 255)));

        let lan = Ip4Subnet { broadcast: true, addr: a(192, 168, 1, 10), netmask: a(255, 255, 255, 0) };
        assert!(ip4_is_broadcast(a(255, 255, 255, 255), None));
        assert!(ip4_is_broadcast(a(0, 0, 0, 0), None));
        assert!(!ip4_is_broadcast(a(192, 168, 1, 255), None));
        assert!(ip4_is_broadcast(a(192, 168, 1, 255), Some(&lan)));
        assert!(!ip4_is_broadcast(a(192, 168, 2, 255), Some(&lan)));
        assert!(!ip4_is_broadcast(a(192, 168, 1, 255), Some(&Ip4Subnet { broadcast: false, ..lan })));
        // A /32 interface is its own "broadcast" address, which lwIP does not count.
        let host = Ip4Subnet { netmask: a(255, 255, 255, 255), ..lan };
        assert!(!ip4_is_broadcast(a(192, 168, 1, 10), Some(&host)));
    }
}
