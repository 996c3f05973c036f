//! DHCPv4 client per interface (smoltcp's), behind lwIP's and ESP-NETIF's DHCP calls.
//!
//! smoltcp's client runs as a socket of the interface's socket set. Its lease changes are
//! collected while the stack is polled and applied afterwards, outside the stack borrow,
//! through the same netif calls an application makes (`netif_set_addr`, `dns_setserver`),
//! so addresses, routes and status callbacks follow the usual path.

use alloc::collections::VecDeque;
use smoltcp::socket::dhcpv4;
use smoltcp::wire::Ipv4Address;

use super::{NetIf, NetifKey, StackInner};

/// What a lease gives an interface (all zero: the lease is lost).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lease {
    pub addr: [u8; 4],
    pub mask: [u8; 4],
    pub gw: [u8; 4],
    pub dns: [[u8; 4]; 3],
}

/// Lease changes waiting to be applied.
#[derive(Default)]
pub struct Updates(VecDeque<(NetifKey, Lease)>);

fn octets(a: Ipv4Address) -> [u8; 4] {
    a.octets()
}

impl StackInner {
    /// Start the DHCP client of interface `key` (a running one is kept). False if the
    /// interface is unknown or not Ethernet.
    pub fn dhcp_start(&mut self, key: NetifKey) -> bool {
        let Some(n) = self.netif_mut(key) else { return false };
        if n.dhcp.is_some() {
            return true;
        }
        if !matches!(n.iface.hardware_addr(), smoltcp::wire::HardwareAddress::Ethernet(_)) {
            return false;
        }
        let handle = n.sockets.add(dhcpv4::Socket::new());
        n.dhcp = Some(handle);
        true
    }

    /// Stop the client (the address it set stays, as with lwIP's dhcp_stop).
    pub fn dhcp_stop(&mut self, key: NetifKey) {
        if let Some(n) = self.netif_mut(key) {
            if let Some(h) = n.dhcp.take() {
                n.sockets.remove(h);
            }
        }
    }

    pub fn dhcp_running(&mut self, key: NetifKey) -> bool {
        self.netif_mut(key).is_some_and(|n| n.dhcp.is_some())
    }

    /// Take the lease changes collected since the last call.
    pub fn dhcp_updates(&mut self) -> VecDeque<(NetifKey, Lease)> {
        core::mem::take(&mut self.dhcp.0)
    }
}

/// Collect what interface `n`'s client learnt in the last poll.
pub fn poll(n: &mut NetIf, updates: &mut Updates) -> bool {
    let Some(h) = n.dhcp else { return false };
    let key = n.key();
    match n.sockets.get_mut::<dhcpv4::Socket>(h).poll() {
        None => false,
        Some(dhcpv4::Event::Configured(cfg)) => {
            let mut lease = Lease {
                addr: octets(cfg.address.address()),
                mask: octets(cfg.address.netmask()),
                gw: cfg.router.map(octets).unwrap_or_default(),
                dns: [[0; 4]; 3],
            };
            for (slot, server) in lease.dns.iter_mut().zip(cfg.dns_servers.iter()) {
                *slot = octets(*server);
            }
            updates.0.push_back((key, lease));
            true
        }
        Some(dhcpv4::Event::Deconfigured) => {
            updates.0.push_back((key, Lease::default()));
            true
        }
    }
}

/// Apply collected lease changes: the interface's addresses, the DNS servers, and whoever
/// listens for leases (ESP-NETIF posts its IP events). Core lock held, stack not borrowed.
pub fn apply(updates: VecDeque<(NetifKey, Lease)>) {
    for (key, lease) in updates {
        let nif = key.0;
        let a = |o: [u8; 4]| crate::addr::ip4_addr_from_smol(Ipv4Address::from(o));
        let (ip, mask, gw) = (a(lease.addr), a(lease.mask), a(lease.gw));
        // SAFETY: the netif is still added (its key came from the stack this round).
        unsafe { crate::netif::netif_set_addr(nif, &ip, &mask, &gw) };
        #[cfg(lwip = "dns")]
        for (i, server) in lease.dns.iter().enumerate() {
            if *server != [0; 4] {
                let addr = crate::addr::ip_addr_from_smol(Ipv4Address::from(*server).into());
                // SAFETY: a valid address.
                unsafe { crate::dns::dns_setserver(i as u8, &addr) };
            }
        }
        #[cfg(lwip = "smolwip_esp_netif")]
        crate::esp_netif::lease_changed(nif, &lease);
    }
}
