//! Which interface a conn's packets leave through, and from which address: lwIP's
//! `ip_route` / `ip6_route` and source address selection, over the stack's interfaces.

use smoltcp::wire::{IpAddress, IpCidr, Ipv4Address, Ipv6Address};

use super::{Conn, LocalAddr};
use crate::core::{NetIf, NetifKey};

/// Is `addr` one of the stack's own addresses (on any interface, loopback included)?
pub fn is_local_address(netifs: &[NetIf], addr: IpAddress) -> bool {
    netifs.iter().any(|n| n.iface.has_ip_addr(addr))
}

/// The interface for a conn's packet to `dst`: the one owning the conn's bound address,
/// its `bound_if`, else the routing table.
pub fn route_for(netifs: &[NetIf], conn: &Conn, dst: IpAddress) -> Option<NetifKey> {
    if let Some(local) = conn.local {
        if let LocalAddr::Addr(a) = local.addr {
            if !a.is_multicast() {
                return netifs.iter().find(|n| n.iface.has_ip_addr(a)).map(NetIf::key);
            }
        }
    }
    if conn.opt.bound_if != 0 {
        return netifs.iter().find(|n| n.index() == Some(conn.opt.bound_if)).map(NetIf::key);
    }
    if dst.is_multicast() {
        match dst {
            IpAddress::Ipv4(_) if !conn.opt.mcast_if4.is_unspecified() => {
                let a = IpAddress::Ipv4(conn.opt.mcast_if4);
                return netifs.iter().find(|n| n.iface.has_ip_addr(a)).map(NetIf::key);
            }
            IpAddress::Ipv6(_) if conn.opt.mcast_if6 != 0 => {
                return netifs.iter().find(|n| n.index() == Some(conn.opt.mcast_if6)).map(NetIf::key);
            }
            _ => {}
        }
    }
    route(netifs, dst, 0)
}

/// lwIP's routing: loopback addresses stay inside; an interface whose subnet holds `dst`;
/// else the default netif. `zone` (a netif index, 0 = none) pins scoped IPv6 addresses.
pub fn route(netifs: &[NetIf], dst: IpAddress, zone: u8) -> Option<NetifKey> {
    // Loopback addresses, and the stack's own addresses, stay on the loopback interface.
    if is_loopback(dst) || netifs.iter().any(|n| !n.is_loopback() && n.iface.has_ip_addr(dst)) {
        return netifs.iter().find(|n| n.is_loopback()).map(NetIf::key);
    }
    if zone != 0 {
        return netifs.iter().find(|n| n.index() == Some(zone) && n.is_up()).map(NetIf::key);
    }
    let usable = |n: &&NetIf| !n.is_loopback() && n.is_up();
    let on_link = netifs.iter().filter(usable).find(|n| {
        n.iface.ip_addrs().iter().any(|cidr| match (cidr, dst) {
            (IpCidr::Ipv4(c), IpAddress::Ipv4(d)) => c.contains_addr(&d) && c.prefix_len() > 0,
            (IpCidr::Ipv6(c), IpAddress::Ipv6(d)) => !d.is_unicast_link_local() && c.contains_addr(&d) && c.prefix_len() > 0,
            _ => false,
        })
    });
    if let Some(n) = on_link {
        return Some(n.key());
    }
    let default = crate::netif::default_netif();
    let has_family = |n: &NetIf| match dst {
        IpAddress::Ipv4(_) => n.iface.ipv4_addr().is_some(),
        IpAddress::Ipv6(_) => n.iface.ip_addrs().iter().any(|c| matches!(c, IpCidr::Ipv6(_))),
    };
    if let Some(n) = netifs.iter().filter(usable).find(|n| n.key().0 == default && has_family(n)) {
        return Some(n.key());
    }
    // Link-local and multicast destinations without a zone: the first interface that
    // can reach them at all (lwIP picks the default netif or the first one, likewise).
    netifs.iter().filter(usable).find(|n| has_family(n)).map(NetIf::key)
}

pub fn is_loopback(addr: IpAddress) -> bool {
    match addr {
        IpAddress::Ipv4(a) => a.is_loopback(),
        IpAddress::Ipv6(a) => a == Ipv6Address::LOCALHOST,
    }
}

/// The source address for a packet to `dst` through `n`.
pub fn source_address(n: &NetIf, dst: IpAddress) -> Option<IpAddress> {
    match dst {
        IpAddress::Ipv4(d) => {
            if n.is_loopback() {
                // To one of our own addresses: from that address.
                return Some(IpAddress::Ipv4(if d.is_loopback() || n.iface.has_ip_addr(d) { d } else { Ipv4Address::new(127, 0, 0, 1) }));
            }
            n.iface.ipv4_addr().map(IpAddress::Ipv4)
        }
        IpAddress::Ipv6(d) => {
            if n.is_loopback() && n.iface.has_ip_addr(d) {
                return Some(IpAddress::Ipv6(d));
            }
            let addrs = n.iface.ip_addrs().iter().filter_map(|c| match c {
                IpCidr::Ipv6(c) => Some(c.address()),
                _ => None,
            });
            let mut best = None;
            for a in addrs {
                let link_local = a.is_unicast_link_local();
                let want_link_local = d.is_unicast_link_local() || d.is_multicast() && d.octets()[1] & 0x0f <= 2;
                if link_local == want_link_local {
                    return Some(IpAddress::Ipv6(a));
                }
                best.get_or_insert(a);
            }
            best.map(IpAddress::Ipv6)
        }
    }
}
