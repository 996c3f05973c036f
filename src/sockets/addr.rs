//! `struct sockaddr_in` / `sockaddr_in6` of the profile (glibc's, or lwIP's own with
//! `sin_len`) to and from engine addresses, with lwIP's checks and copy-out rule.

use core::ffi::c_int;

use smoltcp::wire::{IpAddress, Ipv4Address, Ipv6Address};

use crate::abi::{c, sockaddr, sockaddr_in, sockaddr_in6, socklen_t};

const IN_LEN: usize = core::mem::size_of::<sockaddr_in>();
const IN6_LEN: usize = core::mem::size_of::<sockaddr_in6>();

/// An address as the socket layer passes it around.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SockAddr {
    pub ip: IpAddress,
    pub port: u16,
    /// `sin6_scope_id` of a scoped IPv6 address (a netif index), 0 = none.
    pub zone: u8,
}

/// The family field of a caller's sockaddr.
///
/// # Safety
/// `name` points to at least the family field of a sockaddr.
pub unsafe fn family(name: *const sockaddr) -> c_int {
    // SAFETY: caller contract.
    c_int::from(unsafe { (*name).sa_family })
}

/// lwIP's address checks (IS_SOCK_ADDR_LEN_VALID / TYPE_VALID / ALIGNED): the length is
/// that of either family's struct, the family is AF_INET or AF_INET6, the pointer is
/// 4-aligned. Failing any is ERR_ARG in lwIP, i.e. EIO.
pub fn valid(name: *const sockaddr, len: socklen_t) -> bool {
    let len = len as usize;
    if name.is_null() || !(len == IN_LEN || len == IN6_LEN) || name as usize % 4 != 0 {
        return false;
    }
    // SAFETY: non-NULL, and at least 16 bytes long per the length check.
    let fam = unsafe { family(name) };
    fam == c::AF_INET || fam == c::AF_INET6
}

/// Read an address that passed [`valid`]. The family decides the layout.
///
/// # Safety
/// `name` passed [`valid`] with the caller's length.
pub unsafe fn read(name: *const sockaddr) -> SockAddr {
    // SAFETY: caller contract: family and length checked.
    unsafe {
        if family(name) == c::AF_INET6 {
            let a = &*(name as *const sockaddr_in6);
            let bytes = *((&raw const a.sin6_addr) as *const [u8; 16]);
            let ip = IpAddress::Ipv6(Ipv6Address::from(bytes));
            let scoped = matches!(ip, IpAddress::Ipv6(v6) if v6.is_unicast_link_local() || v6.is_multicast());
            let zone = if scoped { a.sin6_scope_id.min(255) as u8 } else { 0 };
            SockAddr { ip, port: u16::from_be(a.sin6_port), zone }
        } else {
            let a = &*(name as *const sockaddr_in);
            let ip = IpAddress::Ipv4(Ipv4Address::from(a.sin_addr.s_addr.to_ne_bytes()));
            SockAddr { ip, port: u16::from_be(a.sin_port), zone: 0 }
        }
    }
}

/// The IPv4-mapped IPv6 form of an IPv4 address (for IPv6 sockets), others unchanged.
pub fn mapped(ip: IpAddress) -> IpAddress {
    match ip {
        IpAddress::Ipv4(v4) => {
            let o = v4.octets();
            IpAddress::Ipv6(Ipv6Address::from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, o[0], o[1], o[2], o[3]]))
        }
        v6 => v6,
    }
}

/// Write `addr` to the caller's buffer by lwIP's rule: a larger buffer gets the whole
/// struct and `*len` set to its size; a smaller one gets what fits and `*len` unchanged.
///
/// # Safety
/// `out` and `len` are NULL or valid; `out` holds `*len` bytes.
pub unsafe fn write(addr: SockAddr, out: *mut sockaddr, len: *mut socklen_t) {
    if out.is_null() || len.is_null() {
        return;
    }
    let mut storage = [0u8; IN6_LEN];
    let actual = match addr.ip {
        IpAddress::Ipv4(v4) => {
            let mut a = sockaddr_in::default();
            #[cfg(not(lwip = "socket_external_headers"))]
            {
                a.sin_len = IN_LEN as _;
            }
            a.sin_family = c::AF_INET as _;
            a.sin_port = addr.port.to_be();
            a.sin_addr.s_addr = u32::from_ne_bytes(v4.octets());
            // SAFETY: plain bytes of a C struct.
            storage[..IN_LEN].copy_from_slice(unsafe { &*((&raw const a) as *const [u8; IN_LEN]) });
            IN_LEN
        }
        IpAddress::Ipv6(v6) => {
            let mut a = sockaddr_in6::default();
            #[cfg(not(lwip = "socket_external_headers"))]
            {
                a.sin6_len = IN6_LEN as _;
            }
            a.sin6_family = c::AF_INET6 as _;
            a.sin6_port = addr.port.to_be();
            // SAFETY: the address field is 16 plain bytes in every profile.
            unsafe { *((&raw mut a.sin6_addr) as *mut [u8; 16]) = v6.octets() };
            a.sin6_scope_id = u32::from(addr.zone);
            // SAFETY: plain bytes of a C struct.
            storage.copy_from_slice(unsafe { &*((&raw const a) as *const [u8; IN6_LEN]) });
            IN6_LEN
        }
    };
    // SAFETY: caller contract.
    unsafe {
        let room = *len as usize;
        let n = if room > actual {
            *len = actual as socklen_t;
            actual
        } else {
            room
        };
        core::ptr::copy_nonoverlapping(storage.as_ptr(), out as *mut u8, n);
    }
}
