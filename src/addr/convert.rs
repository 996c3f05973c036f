//! lwIP's address structs (bindgen's `ip4_addr_t`, `ip6_addr_t`, `ip_addr_t`) to and from
//! smoltcp's address types. lwIP stores every address word in network byte order, so the
//! bytes in memory are the address bytes.

#[cfg(lwip = "ipv4")]
use crate::abi::ip4_addr_t;
#[cfg(lwip = "ipv6")]
use crate::abi::ip6_addr_t;
#[allow(unused_imports)]
use crate::abi::c;
#[cfg(lwip = "ipv4")]
use smoltcp::wire::Ipv4Address;
#[cfg(lwip = "ipv6")]
use smoltcp::wire::Ipv6Address;

#[cfg(lwip = "ipv4")]
pub fn ip4_addr_to_smol(addr: &ip4_addr_t) -> Ipv4Address {
    Ipv4Address::from(addr.addr.to_ne_bytes())
}

#[cfg(lwip = "ipv4")]
pub const fn ip4_addr_from_smol(addr: Ipv4Address) -> ip4_addr_t {
    ip4_addr_t { addr: u32::from_ne_bytes(addr.octets()) }
}

/// The address only; a zone (`LWIP_IPV6_SCOPES`) is dropped.
#[cfg(lwip = "ipv6")]
pub fn ip6_addr_to_smol(addr: &ip6_addr_t) -> Ipv6Address {
    super::text::ip6_from_network_words(addr.addr)
}

/// Without a zone.
#[cfg(lwip = "ipv6")]
pub const fn ip6_addr_from_smol(addr: Ipv6Address) -> ip6_addr_t {
    let b = addr.octets();
    ip6_addr_from_words([
        u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
        u32::from_ne_bytes([b[4], b[5], b[6], b[7]]),
        u32::from_ne_bytes([b[8], b[9], b[10], b[11]]),
        u32::from_ne_bytes([b[12], b[13], b[14], b[15]]),
    ])
}

/// An `ip6_addr_t` without a zone from its four words, each in network byte order.
#[cfg(lwip = "ipv6")]
pub const fn ip6_addr_from_words(addr: [u32; 4]) -> ip6_addr_t {
    ip6_addr_t {
        addr,
        #[cfg(lwip = "ipv6_scopes")]
        zone: c::IP6_NO_ZONE,
    }
}

#[cfg(all(lwip = "ipv4", lwip = "ipv6"))]
mod dual {
    use super::*;
    use crate::abi::{ip_addr__bindgen_ty_1, ip_addr_t};
    use smoltcp::wire::IpAddress;

    /// `None` for `IPADDR_TYPE_ANY` (and any other type tag): smoltcp has no untyped address.
    pub fn ip_addr_to_smol(addr: &ip_addr_t) -> Option<IpAddress> {
        // SAFETY: both union members are plain integers, valid for any bit pattern.
        let (ip4, ip6) = unsafe { (addr.u_addr.ip4, addr.u_addr.ip6) };
        match addr.type_ {
            c::IPADDR_TYPE_V4 => Some(IpAddress::Ipv4(ip4_addr_to_smol(&ip4))),
            c::IPADDR_TYPE_V6 => Some(IpAddress::Ipv6(ip6_addr_to_smol(&ip6))),
            _ => None,
        }
    }

    pub const fn ip_addr_from_smol(addr: IpAddress) -> ip_addr_t {
        match addr {
            IpAddress::Ipv4(a) => ip_addr_from_words([ip4_addr_from_smol(a).addr, 0, 0, 0], c::IPADDR_TYPE_V4),
            IpAddress::Ipv6(a) => ip_addr_from_words(ip6_addr_from_smol(a).addr, c::IPADDR_TYPE_V6),
        }
    }

    /// An `ip_addr_t` of type `type_` whose union holds `words` (network byte order; an IPv4
    /// address is the first word), as lwIP's `IPADDR4_INIT` / `IPADDR6_INIT` lay them out.
    pub const fn ip_addr_from_words(words: [u32; 4], type_: u8) -> ip_addr_t {
        ip_addr_t { u_addr: ip_addr__bindgen_ty_1 { ip6: ip6_addr_from_words(words) }, type_ }
    }
}
#[cfg(all(lwip = "ipv4", lwip = "ipv6"))]
pub use dual::*;

#[cfg(test)]
mod tests {
    use super::*;
    use smoltcp::wire::IpAddress;

    #[test]
    fn ip4_bytes_are_network_order() {
        let a = ip4_addr_from_smol(Ipv4Address::new(192, 168, 1, 2));
        assert_eq!(a.addr.to_ne_bytes(), [192, 168, 1, 2]);
        assert_eq!(ip4_addr_to_smol(&a), Ipv4Address::new(192, 168, 1, 2));
    }

    #[test]
    fn ip6_round_trip() {
        let s = Ipv6Address::new(0xfe80, 0, 0, 0, 0x1234, 0x5678, 0x9abc, 0xdef0);
        let a = ip6_addr_from_smol(s);
        assert_eq!(a.addr[0].to_ne_bytes(), [0xfe, 0x80, 0, 0]);
        assert_eq!(a.addr[3].to_ne_bytes(), [0x9a, 0xbc, 0xde, 0xf0]);
        assert_eq!(ip6_addr_to_smol(&a), s);
    }

    #[test]
    fn ip_addr_round_trip() {
        for s in [IpAddress::v4(10, 0, 0, 1), IpAddress::v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)] {
            assert_eq!(ip_addr_to_smol(&ip_addr_from_smol(s)), Some(s));
        }
        let v4 = ip_addr_from_smol(IpAddress::v4(10, 0, 0, 1));
        assert_eq!(v4.type_, c::IPADDR_TYPE_V4);
        // SAFETY: plain integers.
        assert_eq!(unsafe { v4.u_addr.ip6.addr }[1..], [0, 0, 0]);
        let any = ip_addr_from_words([0; 4], c::IPADDR_TYPE_ANY);
        assert_eq!(ip_addr_to_smol(&any), None);
    }
}
