//! IPv6 router discovery and stateless address autoconfiguration, lwIP's way (nd6.c).
//!
//! smoltcp has SLAAC of its own, but it is switched on once per `Interface`, writes
//! addresses straight into the interface and keeps lifetimes to itself, while lwIP callers
//! switch it per netif at any time (`netif_set_ip6_autoconfig_enabled`) and read addresses,
//! states and lifetimes from `struct netif`. So this module does it on the netif: router
//! advertisements are read as they arrive (before smoltcp sees them, which ignores them),
//! addresses go into the netif's slots 1.. with their lifetimes, and the interface is
//! synced from the struct as for any other address change. Router solicitations go out
//! after the netif comes up, LWIP_ND6_MAX_MULTICAST_SOLICIT of them, until an
//! advertisement arrives. The advertising router becomes the default IPv6 route.

use smoltcp::phy::{Device as _, TxToken as _};
use smoltcp::wire::{
    EthernetFrame, EthernetProtocol, HardwareAddress, Icmpv6Packet, IpProtocol, Ipv6Address, Ipv6Packet,
};

use super::NetIf;
use crate::abi::c;
use crate::addr::{ip6_addr_from_smol as ip6_from, ip6_addr_to_smol as ip6_of};

const SLOTS: usize = c::LWIP_IPV6_NUM_ADDRESSES;
const US_PER_S: u64 = 1_000_000;
const ICMPV6_RS: u8 = 133;
const ICMPV6_RA: u8 = 134;
const OPT_PREFIX_INFO: u8 = 3;
const PREFIX_AUTONOMOUS: u8 = 0x40;

/// Absolute lifetimes of an autoconfigured address (monotonic µs; `u64::MAX`: infinite).
#[derive(Clone, Copy, Default)]
struct Life {
    valid_until: u64,
    pref_until: u64,
}

/// Per-interface state.
#[derive(Default)]
pub struct State {
    /// Router solicitations still to send, and when the next one is due.
    rs_left: u8,
    rs_at_us: u64,
    /// The default router (link-local) and when it stops being one.
    router: Option<(Ipv6Address, u64)>,
    /// Lifetimes of the netif's autoconfigured addresses, by slot (None: static or free).
    life: [Option<Life>; SLOTS],
    /// Slots that got a new autoconfigured address, not yet announced (bit per slot).
    ready: u32,
}

/// A prefix information option.
#[derive(Clone, Copy)]
struct Prefix {
    prefix: [u8; 16],
    len: u8,
    flags: u8,
    valid_s: u32,
    pref_s: u32,
}

/// What a router advertisement says.
pub struct Advert {
    router: Ipv6Address,
    router_lifetime_s: u16,
    prefixes: heapless::Vec<Prefix, 4>,
}

impl State {
    /// lwIP's nd6_restart_netif: solicit routers again (netif added, set up, link up).
    pub fn restart(&mut self, now_us: u64) {
        self.rs_left = c::LWIP_ND6_MAX_MULTICAST_SOLICIT;
        self.rs_at_us = now_us;
    }

    pub fn default_router(&self) -> Option<Ipv6Address> {
        self.router.map(|(r, _)| r)
    }

    /// The slots that got an address since the last call (bit per slot), for whoever
    /// announces them (ESP-NETIF's IP_EVENT_GOT_IP6).
    pub fn take_ready(&mut self) -> u32 {
        core::mem::take(&mut self.ready)
    }
}

fn until(now_us: u64, secs: u32) -> u64 {
    if secs == c::IP6_ADDR_LIFE_INFINITE {
        u64::MAX
    } else {
        now_us + u64::from(secs) * US_PER_S
    }
}

/// Seconds left until `at` (rounded up), as the netif's lifetime fields count them.
fn secs_left(now_us: u64, at: u64) -> u32 {
    if at == u64::MAX {
        return c::IP6_ADDR_LIFE_INFINITE;
    }
    let s = at.saturating_sub(now_us).div_ceil(US_PER_S);
    u32::try_from(s).unwrap_or(u32::MAX - 1)
}

/// A router advertisement in `frame` (checked as lwIP checks it: link-local source, hop
/// limit 255, code 0, valid checksum), or None.
pub fn peek_advert(frame: &[u8], ethernet: bool) -> Option<Advert> {
    let ip = if ethernet {
        let eth = EthernetFrame::new_checked(frame).ok()?;
        if eth.ethertype() != EthernetProtocol::Ipv6 {
            return None;
        }
        &frame[EthernetFrame::<&[u8]>::header_len()..]
    } else {
        frame
    };
    let pkt = Ipv6Packet::new_checked(ip).ok()?;
    if pkt.next_header() != IpProtocol::Icmpv6 || pkt.hop_limit() != 255 {
        return None;
    }
    let (src, dst) = (pkt.src_addr(), pkt.dst_addr());
    if !src.is_unicast_link_local() {
        return None;
    }
    let body = pkt.payload();
    if body.len() < 16 || body[0] != ICMPV6_RA || body[1] != 0 {
        return None;
    }
    if !Icmpv6Packet::new_checked(body).ok()?.verify_checksum(&src, &dst) {
        return None;
    }
    let mut ad = Advert {
        router: src,
        router_lifetime_s: u16::from_be_bytes([body[6], body[7]]),
        prefixes: heapless::Vec::new(),
    };
    let mut opts = &body[16..];
    while opts.len() >= 2 {
        let len = usize::from(opts[1]) * 8;
        if len == 0 || len > opts.len() {
            return None; // lwIP drops the whole advertisement
        }
        if opts[0] == OPT_PREFIX_INFO && len >= 32 {
            let o = &opts[..32];
            let word = |i: usize| u32::from_be_bytes([o[i], o[i + 1], o[i + 2], o[i + 3]]);
            let mut prefix = [0u8; 16];
            prefix.copy_from_slice(&o[16..32]);
            let _ = ad.prefixes.push(Prefix {
                prefix,
                len: o[2],
                flags: o[3],
                valid_s: word(4),
                pref_s: word(8),
            });
        }
        opts = &opts[len..];
    }
    Some(ad)
}

/// Whether the netif's link-local slot 0 is usable (not invalid, not a duplicate).
fn link_local_ok(nif: *mut crate::abi::netif) -> bool {
    // SAFETY: live caller-owned netif, core lock held.
    let state = unsafe { (*nif).ip6_addr_state[0] };
    state != c::IP6_ADDR_INVALID && state & c::IP6_ADDR_DUPLICATED == 0
}

#[cfg(lwip = "ipv6_autoconfig")]
fn autoconfig_enabled(nif: *mut crate::abi::netif) -> bool {
    // SAFETY: as above.
    unsafe { (*nif).ip6_autoconfig_enabled != 0 }
}

#[cfg(not(lwip = "ipv6_autoconfig"))]
fn autoconfig_enabled(_nif: *mut crate::abi::netif) -> bool {
    false
}

/// Write slot `i`'s lifetimes into the netif (where the profile has the fields).
fn publish_life(nif: *mut crate::abi::netif, i: usize, valid: u32, pref: u32) {
    #[cfg(lwip = "ipv6_address_lifetimes")]
    // SAFETY: as above.
    unsafe {
        (*nif).ip6_addr_valid_life[i] = valid;
        (*nif).ip6_addr_pref_life[i] = pref;
    }
    #[cfg(not(lwip = "ipv6_address_lifetimes"))]
    let _ = (nif, i, valid, pref);
}

/// Take in an advertisement that arrived on `n`. Returns whether the netif's addresses or
/// routes changed (the caller syncs the interface then).
pub fn advert_received(n: &mut NetIf, ad: &Advert, now_us: u64) -> bool {
    let nif = n.netif;
    if nif.is_null() {
        return false;
    }
    let st = &mut n.nd;
    // An advertisement ends soliciting (lwIP first makes sure one solicitation went out).
    st.rs_left = 0;
    let mut changed = false;
    let router = if ad.router_lifetime_s > 0 {
        Some((ad.router, now_us + u64::from(ad.router_lifetime_s) * US_PER_S))
    } else if st.router.is_some_and(|(r, _)| r == ad.router) {
        None
    } else {
        st.router
    };
    if router.map(|r| r.0) != st.router.map(|r| r.0) {
        changed = true;
    }
    st.router = router;
    for p in &ad.prefixes {
        let prefix = Ipv6Address::from(p.prefix);
        if prefix.is_unicast_link_local() || p.flags & PREFIX_AUTONOMOUS == 0 {
            continue;
        }
        // The on-link flag needs nothing more: addresses are installed with their /64 on-link.
        changed |= autoconfigure(nif, st, p, prefix, now_us);
    }
    changed
}

/// lwIP's nd6_process_autoconfig_prefix for one prefix.
fn autoconfigure(nif: *mut crate::abi::netif, st: &mut State, p: &Prefix, prefix: Ipv6Address, now_us: u64) -> bool {
    if p.pref_s > p.valid_s || p.len != 64 {
        return false;
    }
    let net = |a: Ipv6Address| a.octets()[..8] == prefix.octets()[..8];
    // SAFETY (all derefs below): live caller-owned netif, core lock held.
    for i in 1..SLOTS {
        let (state, addr) = unsafe { ((*nif).ip6_addr_state[i], ip6_of(&(*nif).ip6_addr[i].u_addr.ip6)) };
        let Some(life) = st.life[i].as_mut() else { continue };
        if state == c::IP6_ADDR_INVALID || !net(addr) {
            continue;
        }
        // An address of this prefix exists: refresh its lifetimes (RFC 4862 5.5.3 e).
        let remaining = secs_left(now_us, life.valid_until);
        if p.valid_s > c::ND6_2HRS || p.valid_s > remaining {
            life.valid_until = until(now_us, p.valid_s);
        } else if remaining > c::ND6_2HRS {
            life.valid_until = until(now_us, c::ND6_2HRS);
        }
        life.pref_until = until(now_us, p.pref_s);
        let mut changed = false;
        if p.pref_s > 0 && state == c::IP6_ADDR_DEPRECATED {
            unsafe { (*nif).ip6_addr_state[i] = c::IP6_ADDR_PREFERRED };
            changed = true;
        }
        publish_life(nif, i, secs_left(now_us, life.valid_until), p.pref_s);
        return changed;
    }
    if !autoconfig_enabled(nif) || p.valid_s == c::IP6_ADDR_LIFE_STATIC || !link_local_ok(nif) {
        return false;
    }
    // The new address: the prefix and the link-local address's interface identifier.
    let ll = unsafe { ip6_of(&(*nif).ip6_addr[0].u_addr.ip6) }.octets();
    let mut b = prefix.octets();
    b[8..].copy_from_slice(&ll[8..]);
    let addr = Ipv6Address::from(b);
    let mut free = None;
    for i in 1..SLOTS {
        let (state, have) = unsafe { ((*nif).ip6_addr_state[i], ip6_of(&(*nif).ip6_addr[i].u_addr.ip6)) };
        if state != c::IP6_ADDR_INVALID {
            if have == addr {
                return false;
            }
        } else if free.is_none() {
            free = Some(i);
        }
    }
    let Some(i) = free else { return false };
    unsafe {
        (*nif).ip6_addr[i].u_addr.ip6 = ip6_from(addr);
        (*nif).ip6_addr[i].type_ = c::IPADDR_TYPE_V6;
        // No duplicate address detection (COMPATIBILITY.md): usable at once.
        (*nif).ip6_addr_state[i] = if p.pref_s > 0 {
            c::IP6_ADDR_PREFERRED
        } else {
            c::IP6_ADDR_DEPRECATED
        };
    }
    st.life[i] = Some(Life {
        valid_until: until(now_us, p.valid_s),
        pref_until: until(now_us, p.pref_s),
    });
    st.ready |= 1 << i;
    publish_life(nif, i, p.valid_s, p.pref_s);
    true
}

/// A slot was set by the application (netif_add_ip6_address, netif_ip6_addr_set...): its
/// address is static from now on.
pub fn slot_set_by_app(st: &mut State, i: usize) {
    if let Some(l) = st.life.get_mut(i) {
        *l = None;
    }
}

/// Lifetimes and the router's expiry, and router solicitations that are due. Returns
/// whether addresses or routes changed.
pub fn tick(n: &mut NetIf, now_us: u64) -> bool {
    let nif = n.netif;
    if nif.is_null() {
        return false;
    }
    let mut changed = false;
    let st = &mut n.nd;
    if st.router.is_some_and(|(_, at)| now_us >= at) {
        st.router = None;
        changed = true;
    }
    for i in 1..SLOTS {
        let Some(life) = st.life[i] else { continue };
        // SAFETY: live caller-owned netif, core lock held.
        let state = unsafe { (*nif).ip6_addr_state[i] };
        if state == c::IP6_ADDR_INVALID {
            // The application removed it.
            st.life[i] = None;
            continue;
        }
        if now_us >= life.valid_until {
            // SAFETY: as above.
            unsafe { (*nif).ip6_addr_state[i] = c::IP6_ADDR_INVALID };
            publish_life(nif, i, 0, 0);
            st.life[i] = None;
            changed = true;
            continue;
        }
        if now_us >= life.pref_until && state == c::IP6_ADDR_PREFERRED {
            // SAFETY: as above.
            unsafe { (*nif).ip6_addr_state[i] = c::IP6_ADDR_DEPRECATED };
        }
        publish_life(
            nif,
            i,
            secs_left(now_us, life.valid_until),
            secs_left(now_us, life.pref_until),
        );
    }
    #[cfg(lwip = "ipv6_send_router_solicit")]
    if st.rs_left > 0 && now_us >= st.rs_at_us && n.is_up() && link_local_ok(nif) && send_solicitation(n) {
        n.nd.rs_left -= 1;
        n.nd.rs_at_us = now_us + u64::from(c::ND6_RTR_SOLICITATION_INTERVAL) * 1_000;
    }
    changed
}

/// When [`tick`] has something to do next (monotonic µs).
pub fn next_deadline(n: &NetIf) -> Option<u64> {
    let st = &n.nd;
    let mut best = st.router.map(|(_, at)| at);
    let mut consider = |at: u64| best = Some(best.map_or(at, |b| b.min(at)));
    for life in st.life.iter().flatten() {
        consider(life.valid_until);
        consider(life.pref_until);
    }
    if cfg!(lwip = "ipv6_send_router_solicit")
        && st.rs_left > 0
        && n.is_up()
        && !n.netif.is_null()
        && link_local_ok(n.netif)
    {
        consider(st.rs_at_us);
    }
    best.filter(|&at| at != u64::MAX)
}

/// Send one router solicitation from the link-local address, with our MAC as the source
/// link-layer option (Ethernet netifs only). Built by hand: smoltcp's generic NDISC
/// emitter costs several KB of code for this one 70-byte frame.
#[cfg(lwip = "ipv6_send_router_solicit")]
fn send_solicitation(n: &mut NetIf) -> bool {
    let HardwareAddress::Ethernet(mac) = n.iface.hardware_addr() else {
        return false;
    };
    // SAFETY: live caller-owned netif, core lock held.
    let src = unsafe { ip6_of(&(*n.netif).ip6_addr[0].u_addr.ip6) };
    let dst = Ipv6Address::new(0xff02, 0, 0, 0, 0, 0, 0, 2);
    let mut f = [0u8; 14 + 40 + 16];
    f[..6].copy_from_slice(&[0x33, 0x33, 0, 0, 0, 2]);
    f[6..12].copy_from_slice(mac.as_bytes());
    f[12..14].copy_from_slice(&[0x86, 0xdd]);
    // IPv6: version 6, payload 16 bytes, ICMPv6, hop limit 255.
    f[14] = 0x60;
    f[19] = 16;
    f[20] = 58;
    f[21] = 255;
    f[22..38].copy_from_slice(&src.octets());
    f[38..54].copy_from_slice(&dst.octets());
    // Router solicitation, then the source link-layer address option (type 1, 8 bytes).
    f[54] = ICMPV6_RS;
    f[62] = 1;
    f[63] = 1;
    f[64..70].copy_from_slice(mac.as_bytes());
    Icmpv6Packet::new_unchecked(&mut f[54..]).fill_checksum(&src, &dst);
    let Some(tx) = n.device.transmit(super::now()) else {
        return false;
    };
    tx.consume(f.len(), |buf| buf.copy_from_slice(&f));
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use smoltcp::time::Duration;
    use smoltcp::wire::{
        EthernetAddress, EthernetRepr, Icmpv6Repr, Ipv6Repr, NdiscPrefixInfoFlags, NdiscPrefixInformation, NdiscRepr,
        NdiscRouterFlags,
    };

    /// An Ethernet frame with a router advertisement from fe80::1 for fd00:1::/64.
    fn advert(hop_limit: u8, lifetime_s: u64) -> alloc::vec::Vec<u8> {
        let src = Ipv6Address::new(0xfe80, 0, 0, 0, 0, 0, 0, 1);
        let dst = Ipv6Address::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
        let icmp = Icmpv6Repr::Ndisc(NdiscRepr::RouterAdvert {
            hop_limit: 64,
            flags: NdiscRouterFlags::empty(),
            router_lifetime: Duration::from_secs(lifetime_s),
            reachable_time: Duration::from_secs(0),
            retrans_time: Duration::from_secs(0),
            lladdr: None,
            mtu: None,
            prefix_info: Some(NdiscPrefixInformation {
                prefix_len: 64,
                flags: NdiscPrefixInfoFlags::ON_LINK | NdiscPrefixInfoFlags::ADDRCONF,
                valid_lifetime: Duration::from_secs(600),
                preferred_lifetime: Duration::from_secs(300),
                prefix: Ipv6Address::new(0xfd00, 1, 0, 0, 0, 0, 0, 0),
            }),
        });
        let ip = Ipv6Repr {
            src_addr: src,
            dst_addr: dst,
            next_header: IpProtocol::Icmpv6,
            payload_len: icmp.buffer_len(),
            hop_limit,
        };
        let eth = EthernetRepr {
            src_addr: EthernetAddress([2, 0, 0, 0, 0, 1]),
            dst_addr: EthernetAddress([0x33, 0x33, 0, 0, 0, 1]),
            ethertype: EthernetProtocol::Ipv6,
        };
        let mut buf = alloc::vec![0u8; eth.buffer_len() + ip.buffer_len() + icmp.buffer_len()];
        let mut frame = EthernetFrame::new_unchecked(&mut buf[..]);
        eth.emit(&mut frame);
        let mut pkt = Ipv6Packet::new_unchecked(frame.payload_mut());
        ip.emit(&mut pkt);
        icmp.emit(
            &src,
            &dst,
            &mut Icmpv6Packet::new_unchecked(pkt.payload_mut()),
            &smoltcp::phy::ChecksumCapabilities::default(),
        );
        buf
    }

    #[test]
    fn reads_a_router_advertisement() {
        let ad = peek_advert(&advert(255, 1800), true).expect("an advertisement");
        assert_eq!(ad.router, Ipv6Address::new(0xfe80, 0, 0, 0, 0, 0, 0, 1));
        assert_eq!(ad.router_lifetime_s, 1800);
        assert_eq!(ad.prefixes.len(), 1);
        let p = ad.prefixes[0];
        assert_eq!((p.len, p.valid_s, p.pref_s), (64, 600, 300));
        assert_eq!(p.flags & PREFIX_AUTONOMOUS, PREFIX_AUTONOMOUS);
        assert_eq!(&p.prefix[..4], &[0xfd, 0x00, 0x00, 0x01]);
    }

    /// Every truncation and a few thousand random corruptions of an advertisement: the
    /// frame peeks in front of smoltcp (this one and `conn::wire`'s) return, never panic.
    #[test]
    fn malformed_frames_never_panic() {
        let good = advert(255, 1800);
        for len in 0..good.len() {
            let _ = peek_advert(&good[..len], true);
            let _ = peek_advert(&good[..len], false);
            let _ = crate::conn::wire::peek(&good[..len], true);
        }
        let mut x: u32 = 0x9e37_79b9;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        for _ in 0..5000 {
            let mut f = good.clone();
            for _ in 0..(next() % 6 + 1) {
                let at = next() as usize % f.len();
                f[at] = next() as u8;
            }
            let len = f.len() - next() as usize % 8;
            let _ = peek_advert(&f[..len], true);
            let _ = crate::conn::wire::peek(&f[..len], true);
            let _ = crate::conn::wire::peek(&f[14..len], false);
        }
    }

    #[test]
    fn ignores_what_lwip_ignores() {
        // Forwarded by a router (hop limit below 255).
        assert!(peek_advert(&advert(254, 1800), true).is_none());
        // A corrupted checksum.
        let mut f = advert(255, 1800);
        let last = f.len() - 1;
        f[last] ^= 0xff;
        assert!(peek_advert(&f, true).is_none());
        // An option of length zero (with a checksum that fits it).
        let mut f = advert(255, 1800);
        f[14 + 40 + 16 + 1] = 0;
        let mut pkt = Ipv6Packet::new_unchecked(&mut f[14..]);
        let (src, dst) = (pkt.src_addr(), pkt.dst_addr());
        Icmpv6Packet::new_unchecked(pkt.payload_mut()).fill_checksum(&src, &dst);
        assert!(peek_advert(&f, true).is_none());
        // Truncated, and not IPv6 at all.
        let f = advert(255, 1800);
        assert!(peek_advert(&f[..60], true).is_none());
        assert!(peek_advert(&[0u8; 64], true).is_none());
    }
}
