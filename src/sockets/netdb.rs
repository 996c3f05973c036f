//! Names and address text: inet_pton/ntop, if_nametoindex/indextoname, and the netdb
//! functions (getaddrinfo, freeaddrinfo, gethostbyname, gethostbyname_r) with lwIP's
//! results and error codes. Numeric addresses and "localhost" resolve in every profile;
//! other names go to DNS where the profile enables LWIP_DNS ([`crate::dns`]).

use alloc::boxed::Box;
use core::ffi::{c_char, c_int, c_void, CStr};

use smoltcp::wire::{IpAddress, Ipv4Address, Ipv6Address};

use crate::abi::{self, c, socklen_t};

// ---- inet_pton / inet_ntop ------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_inet_pton(af: c_int, src: *const c_char, dst: *mut c_void) -> c_int {
    if src.is_null() || dst.is_null() {
        // lwIP dereferences them; a NULL is simply not an address here.
        return 0;
    }
    // SAFETY: the caller's string and buffer (4 or 16 bytes by family).
    unsafe {
        if af == c::AF_INET {
            let mut a = abi::ip4_addr_t::default();
            if crate::addr::ip4addr_aton(src, &mut a) == 0 {
                return 0;
            }
            (dst as *mut [u8; 4]).write_unaligned(a.addr.to_ne_bytes());
            return 1;
        }
        if af == c::AF_INET6 {
            let mut a = abi::ip6_addr_t::default();
            if crate::addr::ip6addr_aton(src, &mut a) == 0 {
                return 0;
            }
            let o = crate::addr::ip6_addr_to_smol(&a).octets();
            (dst as *mut [u8; 16]).write_unaligned(o);
            return 1;
        }
    }
    crate::ffi::set_errno(c::EAFNOSUPPORT);
    -1
}
same_signature!(lwip_inet_pton(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_inet_ntop(af: c_int, src: *const c_void, dst: *mut c_char, size: socklen_t) -> *const c_char {
    if (size as c_int) < 0 {
        crate::ffi::set_errno(c::ENOSPC);
        return core::ptr::null();
    }
    if src.is_null() || dst.is_null() {
        crate::ffi::set_errno(c::EFAULT);
        return core::ptr::null();
    }
    // SAFETY: the caller's address bytes (4 or 16 by family) and buffer of `size` bytes.
    let r = unsafe {
        if af == c::AF_INET {
            let a = abi::ip4_addr_t { addr: u32::from_ne_bytes((src as *const [u8; 4]).read_unaligned()) };
            crate::addr::ip4addr_ntoa_r(&a, dst, size as c_int)
        } else if af == c::AF_INET6 {
            let a = crate::addr::ip6_addr_from_smol(Ipv6Address::from((src as *const [u8; 16]).read_unaligned()));
            crate::addr::ip6addr_ntoa_r(&a, dst, size as c_int)
        } else {
            crate::ffi::set_errno(c::EAFNOSUPPORT);
            return core::ptr::null();
        }
    };
    if r.is_null() {
        crate::ffi::set_errno(c::ENOSPC);
    }
    r
}
same_signature!(lwip_inet_ntop(_, _, _, _));

// ---- interface names --------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_if_nametoindex(ifname: *const c_char) -> core::ffi::c_uint {
    // Without LWIP_NETIF_API, lwIP's if_api always answers 0.
    if !cfg!(lwip = "netif_api") || ifname.is_null() {
        return 0;
    }
    // SAFETY: forwarding the caller's string.
    core::ffi::c_uint::from(unsafe { crate::netif::netif_name_to_index(ifname) })
}
same_signature!(lwip_if_nametoindex(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_if_indextoname(ifindex: core::ffi::c_uint, ifname: *mut c_char) -> *mut c_char {
    let found = match u8::try_from(ifindex) {
        // SAFETY: forwarding; the caller's buffer holds IF_NAMESIZE bytes.
        Ok(i) if cfg!(lwip = "netif_api") && !ifname.is_null() => unsafe { crate::netif::netif_index_to_name(i, ifname) },
        _ => core::ptr::null_mut(),
    };
    if found.is_null() {
        crate::ffi::set_errno(c::ENXIO);
    }
    found
}
same_signature!(lwip_if_indextoname(_, _));

// ---- resolving --------------------------------------------------------------------------------

/// Which families a lookup may answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    V4,
    V6,
    Any,
}

/// Resolve `name`: numeric addresses (lwIP's ipaddr_aton forms), "localhost", else DNS.
pub fn resolve(name: &CStr, want: Want) -> Option<IpAddress> {
    let mut a = abi::ip_addr_t::default();
    // SAFETY: a NUL-terminated string and our address.
    if unsafe { crate::addr::ipaddr_aton(name.as_ptr(), &mut a) } != 0 {
        let ip = crate::addr::ip_addr_to_smol(&a)?;
        return fits(ip, want).then_some(ip);
    }
    if name.to_bytes().eq_ignore_ascii_case(b"localhost") {
        return Some(match want {
            Want::V6 => IpAddress::Ipv6(Ipv6Address::LOCALHOST),
            _ => IpAddress::Ipv4(Ipv4Address::new(127, 0, 0, 1)),
        });
    }
    #[cfg(lwip = "dns")]
    return crate::dns::lookup(name.to_bytes(), want);
    #[cfg(not(lwip = "dns"))]
    None
}

fn fits(ip: IpAddress, want: Want) -> bool {
    match (ip, want) {
        (_, Want::Any) => true,
        (IpAddress::Ipv4(_), Want::V4) | (IpAddress::Ipv6(_), Want::V6) => true,
        _ => false,
    }
}

// h_errno: glibc's (system headers), or lwIP's own global.
#[cfg(all(lwip = "socket_external_headers", target_env = "gnu"))]
fn set_h_errno(v: c_int) {
    unsafe extern "C" {
        fn __h_errno_location() -> *mut c_int;
    }
    // SAFETY: glibc's per-thread h_errno.
    unsafe { *__h_errno_location() = v };
}

#[cfg(all(lwip = "dns", lwip = "dns_api_declare_h_errno", not(lwip = "socket_external_headers")))]
#[unsafe(no_mangle)]
pub static mut h_errno: c_int = 0;

#[cfg(not(all(lwip = "socket_external_headers", target_env = "gnu")))]
fn set_h_errno(_v: c_int) {
    #[cfg(all(lwip = "dns", lwip = "dns_api_declare_h_errno", not(lwip = "socket_external_headers")))]
    // SAFETY: a plain global, as lwIP's.
    unsafe {
        *(&raw mut h_errno) = _v
    };
}

// ---- getaddrinfo -------------------------------------------------------------------------------

/// One allocation holding an addrinfo, its sockaddr and the canonical name, as lwIP's.
#[repr(C)]
struct AiBlock {
    ai: abi::addrinfo,
    addr: abi::sockaddr_storage,
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_getaddrinfo(
    nodename: *const c_char,
    servname: *const c_char,
    hints: *const abi::addrinfo,
    res: *mut *mut abi::addrinfo,
) -> c_int {
    if res.is_null() {
        return c::EAI_FAIL;
    }
    // SAFETY: the caller's out-pointer.
    unsafe { *res = core::ptr::null_mut() };
    if nodename.is_null() && servname.is_null() {
        return c::EAI_NONAME;
    }
    // SAFETY: NULL or the caller's hints.
    let hints = unsafe { hints.as_ref() };
    let family = hints.map_or(c::AF_UNSPEC, |h| h.ai_family);
    if family != c::AF_UNSPEC && family != c::AF_INET && family != c::AF_INET6 {
        return c::EAI_FAMILY;
    }
    let flags = hints.map_or(0, |h| h.ai_flags);
    let mut port = 0u16;
    if !servname.is_null() {
        // SAFETY: the caller's NUL-terminated string.
        let s = unsafe { CStr::from_ptr(servname) }.to_bytes();
        let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
        let n: u32 = core::str::from_utf8(&s[..digits]).ok().and_then(|d| d.parse().ok()).unwrap_or(0);
        if n == 0 || n > 0xffff {
            return c::EAI_SERVICE;
        }
        port = n as u16;
    }
    let want = match family {
        f if f == c::AF_INET => Want::V4,
        f if f == c::AF_INET6 => Want::V6,
        _ => Want::Any,
    };
    let ip = if nodename.is_null() {
        match (flags & c::AI_PASSIVE != 0, want) {
            (true, Want::V6) => IpAddress::Ipv6(Ipv6Address::UNSPECIFIED),
            (true, _) => IpAddress::v4(0, 0, 0, 0),
            (false, Want::V6) => IpAddress::Ipv6(Ipv6Address::LOCALHOST),
            (false, _) => IpAddress::v4(127, 0, 0, 1),
        }
    } else {
        // SAFETY: the caller's NUL-terminated string.
        let name = unsafe { CStr::from_ptr(nodename) };
        if flags & c::AI_NUMERICHOST != 0 {
            let mut a = abi::ip_addr_t::default();
            // SAFETY: as above.
            let ok = unsafe { crate::addr::ipaddr_aton(nodename, &mut a) } != 0;
            match crate::addr::ip_addr_to_smol(&a) {
                Some(ip) if ok && fits(ip, want) => ip,
                _ => return c::EAI_NONAME,
            }
        } else {
            let want = if want == Want::V6 && flags & c::AI_V4MAPPED != 0 { Want::Any } else { want };
            match resolve(name, want) {
                Some(ip) => ip,
                None => return c::EAI_FAIL,
            }
        }
    };
    // An IPv4 answer to an AF_INET6 question (AI_V4MAPPED) comes back v4-mapped.
    let ip = if family == c::AF_INET6 { super::addr::mapped(ip) } else { ip };
    let canon_len = if nodename.is_null() { 0 } else { unsafe { CStr::from_ptr(nodename) }.to_bytes().len() + 1 };
    let size = core::mem::size_of::<AiBlock>() + canon_len;
    // SAFETY: plain C allocation, released by lwip_freeaddrinfo.
    let block = unsafe { crate::sys::clib::calloc(1, size) } as *mut AiBlock;
    if block.is_null() {
        return c::EAI_MEMORY;
    }
    // SAFETY: our fresh, zeroed block of `size` bytes.
    unsafe {
        let b = &mut *block;
        let mut len = core::mem::size_of::<abi::sockaddr_storage>() as socklen_t;
        super::addr::write(super::addr::SockAddr { ip, port, zone: 0 }, (&raw mut b.addr).cast(), &mut len);
        b.ai.ai_family = if matches!(ip, IpAddress::Ipv6(_)) { c::AF_INET6 } else { c::AF_INET };
        if let Some(h) = hints {
            b.ai.ai_socktype = h.ai_socktype;
            b.ai.ai_protocol = h.ai_protocol;
        }
        b.ai.ai_addrlen = core::mem::size_of::<abi::sockaddr_storage>() as _;
        b.ai.ai_addr = (&raw mut b.addr).cast();
        if canon_len > 0 {
            let name = (block as *mut u8).add(core::mem::size_of::<AiBlock>());
            core::ptr::copy_nonoverlapping(nodename as *const u8, name, canon_len);
            b.ai.ai_canonname = name as *mut c_char;
        }
        *res = &raw mut b.ai;
    }
    0
}
#[cfg(lwip = "dns")]
same_signature!(lwip_getaddrinfo(_, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_freeaddrinfo(ai: *mut abi::addrinfo) {
    let mut next = ai;
    while !next.is_null() {
        // SAFETY: an addrinfo list from lwip_getaddrinfo; each entry is one calloc block.
        unsafe {
            let cur = next;
            next = (*cur).ai_next;
            crate::sys::clib::free(cur as *mut c_void);
        }
    }
}
#[cfg(lwip = "dns")]
same_signature!(lwip_freeaddrinfo(_));

// ---- gethostbyname -----------------------------------------------------------------------------

/// What a hostent points into: the address list, the address, the aliases list.
#[repr(C)]
struct HostData {
    list: [*mut c_char; 2],
    addr: abi::ip_addr_t,
    aliases: *mut c_char,
}

/// Fill `h` from a lookup of `name` into `data` (lwIP's layout: IPv4 only, h_length is
/// sizeof(ip_addr_t) with the address bytes first).
///
/// # Safety
/// `h`, `data` and `name_copy` are valid for writes; `name_copy` holds the name.
unsafe fn fill(h: *mut abi::hostent, data: *mut HostData, name_copy: *mut c_char, ip: Ipv4Address) {
    // SAFETY: caller contract.
    unsafe {
        (*data).addr = crate::addr::ip_addr_from_smol(IpAddress::Ipv4(ip));
        (*data).list = [(&raw mut (*data).addr).cast(), core::ptr::null_mut()];
        (*data).aliases = core::ptr::null_mut();
        (*h).h_name = name_copy;
        (*h).h_aliases = &raw mut (*data).aliases;
        (*h).h_addrtype = c::AF_INET;
        (*h).h_length = core::mem::size_of::<abi::ip_addr_t>() as c_int;
        (*h).h_addr_list = (&raw mut (*data).list).cast();
    }
}

fn lookup4(name: &CStr) -> Option<Ipv4Address> {
    match resolve(name, Want::V4)? {
        IpAddress::Ipv4(v4) => Some(v4),
        IpAddress::Ipv6(_) => None,
    }
}

struct HostStatic {
    h: abi::hostent,
    data: HostData,
    name: [c_char; 256],
}

static mut HOST: Option<Box<HostStatic>> = None;

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_gethostbyname(name: *const c_char) -> *mut abi::hostent {
    if name.is_null() {
        set_h_errno(c::HOST_NOT_FOUND);
        return core::ptr::null_mut();
    }
    // SAFETY: the caller's NUL-terminated string.
    let cname = unsafe { CStr::from_ptr(name) };
    let Some(ip) = lookup4(cname) else {
        set_h_errno(c::HOST_NOT_FOUND);
        return core::ptr::null_mut();
    };
    // lwIP's gethostbyname returns one static hostent (not thread-safe, as there).
    // SAFETY: the static is only touched here; lwIP's contract is the same.
    unsafe {
        let slot = &mut *(&raw mut HOST);
        let s = slot.get_or_insert_with(|| {
            Box::new(HostStatic { h: core::mem::zeroed(), data: core::mem::zeroed(), name: [0; 256] })
        });
        let bytes = cname.to_bytes();
        let n = bytes.len().min(s.name.len() - 1);
        core::ptr::copy_nonoverlapping(bytes.as_ptr() as *const c_char, s.name.as_mut_ptr(), n);
        s.name[n] = 0;
        fill(&mut s.h, &mut s.data, s.name.as_mut_ptr(), ip);
        &mut s.h
    }
}
#[cfg(lwip = "dns")]
same_signature!(lwip_gethostbyname(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_gethostbyname_r(
    name: *const c_char,
    ret: *mut abi::hostent,
    buf: *mut c_char,
    buflen: usize,
    result: *mut *mut abi::hostent,
    h_errnop: *mut c_int,
) -> c_int {
    let mut local = 0;
    // SAFETY: NULL or the caller's int.
    let herr = unsafe { h_errnop.as_mut() }.unwrap_or(&mut local);
    if ret.is_null() || result.is_null() {
        *herr = c::EINVAL;
        return -1;
    }
    // SAFETY: the caller's out-pointer.
    unsafe { *result = core::ptr::null_mut() };
    if name.is_null() || buf.is_null() {
        *herr = c::EINVAL;
        return -1;
    }
    // SAFETY: the caller's NUL-terminated string.
    let cname = unsafe { CStr::from_ptr(name) };
    let need = core::mem::size_of::<HostData>() + cname.to_bytes().len() + 1 + core::mem::align_of::<HostData>();
    if buflen < need {
        *herr = c::ERANGE;
        return -1;
    }
    let Some(ip) = lookup4(cname) else {
        *herr = c::HOST_NOT_FOUND;
        return -1;
    };
    // SAFETY: the caller's buffer of buflen >= need bytes; HostData placed aligned.
    unsafe {
        let base = buf as usize;
        let aligned = base.next_multiple_of(core::mem::align_of::<HostData>());
        let data = aligned as *mut HostData;
        let name_copy = (aligned + core::mem::size_of::<HostData>()) as *mut c_char;
        core::ptr::copy_nonoverlapping(name, name_copy, cname.to_bytes().len() + 1);
        fill(ret, data, name_copy, ip);
        *result = ret;
    }
    0
}
#[cfg(lwip = "dns")]
same_signature!(lwip_gethostbyname_r(_, _, _, _, _, _));
