//! DNS client (lwip/dns.h) over smoltcp's DNS socket: servers set through dns_setserver
//! or learned by DHCP; lookups for the socket and netconn name functions.

use crate::sockets::netdb::Want;
use smoltcp::wire::IpAddress;

/// Resolve `name` (blocking). Filled in by the DNS engine.
pub fn lookup(_name: &[u8], _want: Want) -> Option<IpAddress> {
    None
}
