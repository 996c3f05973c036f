//! The netif API (lwip/netif.h) over caller-owned, ABI-matched `struct netif`s, the
//! Ethernet entry points drivers reference (netif/ethernet.h, netif/etharp.h), and the
//! host TAP driver (`tapif_init`).
//!
//! The C struct is the source of truth for configuration (its fields are read by callers
//! through lwIP's macros); every setter updates the struct and then the smoltcp interface,
//! so what callers read always reflects the stack's real state.

#[cfg(target_os = "linux")]
pub mod tap;

use core::ffi::c_char;

use smoltcp::wire::{IpCidr, Ipv4Cidr, Ipv6Address};

use crate::abi::{self, c, err_t, eth_addr, ip4_addr_t, ip6_addr_t, netif, pbuf, s8_t, u16_t, u32_t, u8_t};
use crate::core::{self as stack, NetIf};

/// The list of added netifs (lwIP's `netif_list`), kept current for callers that walk it.
#[unsafe(no_mangle)]
pub static mut netif_list: *mut netif = core::ptr::null_mut();

/// The default netif (lwIP's `netif_default`).
#[unsafe(no_mangle)]
pub static mut netif_default: *mut netif = core::ptr::null_mut();

#[unsafe(no_mangle)]
pub static ethbroadcast: eth_addr = eth_addr { addr: [0xff; 6] };

#[unsafe(no_mangle)]
pub static ethzero: eth_addr = eth_addr { addr: [0; 6] };

fn list_head() -> *mut netif {
    // SAFETY: plain read of the list head; writers hold the core lock.
    unsafe { *(&raw const netif_list) }
}

/// Iterate the C list.
fn for_each_netif(mut f: impl FnMut(*mut netif) -> bool) {
    let mut n = list_head();
    while !n.is_null() {
        if !f(n) {
            return;
        }
        // SAFETY: every listed netif is live (lwIP's contract until netif_remove).
        n = unsafe { (*n).next };
    }
}

fn is_listed(nif: *mut netif) -> bool {
    let mut found = false;
    for_each_netif(|n| {
        found = n == nif;
        !found
    });
    found
}

use crate::addr::{ip4_addr_to_smol as ip4_of, ip6_addr_from_smol as ip6_from, ip6_addr_to_smol as ip6_of};

/// Rebuild the smoltcp interface's addresses and default route from the C struct.
pub(crate) fn sync_addresses(n: &mut NetIf) {
    let nif = n.netif;
    let mut cidrs: heapless::Vec<IpCidr, 16> = heapless::Vec::new();
    let mut gateway = None;
    // SAFETY: live caller-owned netif.
    unsafe {
        #[cfg(lwip = "ipv4")]
        {
            let ip = ip4_of(&(*nif).ip_addr.u_addr.ip4);
            let mask = ip4_of(&(*nif).netmask.u_addr.ip4);
            let gw = ip4_of(&(*nif).gw.u_addr.ip4);
            if !ip.is_unspecified() {
                let prefix = u32::from(mask).leading_ones() as u8;
                let _ = cidrs.push(IpCidr::Ipv4(Ipv4Cidr::new(ip, prefix)));
            }
            if !gw.is_unspecified() {
                gateway = Some(gw);
            }
        }
        #[cfg(lwip = "ipv6")]
        for i in 0..c::LWIP_IPV6_NUM_ADDRESSES {
            if (*nif).ip6_addr_state[i] & c::IP6_ADDR_VALID != 0 {
                let a = ip6_of(&(*nif).ip6_addr[i].u_addr.ip6);
                let _ = cidrs.push(IpCidr::new(a.into(), 64));
            }
        }
    }
    n.iface.update_ip_addrs(|addrs| {
        addrs.clear();
        for c in cidrs {
            let _ = addrs.push(c);
        }
    });
    #[cfg(lwip = "ipv6")]
    let router6 = n.nd.default_router();
    let routes = n.iface.routes_mut();
    routes.remove_default_ipv4_route();
    if let Some(gw) = gateway {
        let _ = routes.add_default_ipv4_route(gw);
    }
    #[cfg(lwip = "ipv6")]
    {
        // The router that advertised itself last (lwIP picks among its default routers).
        routes.remove_default_ipv6_route();
        if let Some(r) = router6 {
            let _ = routes.add_default_ipv6_route(r);
        }
    }
}

/// Run a netif callback (status/link) outside the stack borrow.
fn notify(cb: abi::netif_status_callback_fn, nif: *mut netif) {
    if let Some(f) = cb {
        // SAFETY: the caller-registered callback with its own netif.
        unsafe { f(nif) };
    }
}

#[cfg(lwip = "netif_status_callback")]
fn status_callback(nif: *mut netif) -> abi::netif_status_callback_fn {
    // SAFETY: live netif.
    unsafe { (*nif).status_callback }
}
#[cfg(not(lwip = "netif_status_callback"))]
fn status_callback(_nif: *mut netif) -> abi::netif_status_callback_fn {
    None
}
#[cfg(lwip = "netif_link_callback")]
fn link_callback(nif: *mut netif) -> abi::netif_status_callback_fn {
    // SAFETY: live netif.
    unsafe { (*nif).link_callback }
}
#[cfg(not(lwip = "netif_link_callback"))]
fn link_callback(_nif: *mut netif) -> abi::netif_status_callback_fn {
    None
}

/// Apply `f` to the engine side of `nif` and resync its addresses.
fn update(nif: *mut netif, f: impl FnOnce(*mut netif)) {
    update_then(nif, f, |_| {});
}

/// [`update`], and `then` on the engine's interface before the resync.
fn update_then(nif: *mut netif, f: impl FnOnce(*mut netif), then: impl FnOnce(&mut NetIf)) {
    let _ = stack::with(|inner| {
        f(nif);
        if let Some(n) = inner.find(nif) {
            then(n);
            sync_addresses(n);
        }
        inner.sync_loopback();
    });
    stack::stack().wake();
}

// ---- adding and removing ---------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_add_noaddr(
    nif: *mut netif,
    state: *mut core::ffi::c_void,
    init: abi::netif_init_fn,
    input: abi::netif_input_fn,
) -> *mut netif {
    // SAFETY: forwarding the caller's arguments.
    unsafe { netif_add(nif, core::ptr::null(), core::ptr::null(), core::ptr::null(), state, init, input) }
}
same_signature!(netif_add_noaddr(_, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_add(
    nif: *mut netif,
    ipaddr: *const ip4_addr_t,
    netmask: *const ip4_addr_t,
    gw: *const ip4_addr_t,
    state: *mut core::ffi::c_void,
    init: abi::netif_init_fn,
    input: abi::netif_input_fn,
) -> *mut netif {
    let Some(init) = init else { return core::ptr::null_mut() };
    if nif.is_null() || is_listed(nif) {
        return core::ptr::null_mut();
    }
    // SAFETY: caller-owned netif, initialised here as lwIP's netif_add does.
    unsafe {
        #[cfg(lwip = "ipv4")]
        {
            (*nif).ip_addr = abi::ip_addr_t::default();
            (*nif).netmask = abi::ip_addr_t::default();
            (*nif).gw = abi::ip_addr_t::default();
            (*nif).output = None;
        }
        #[cfg(lwip = "ipv6")]
        {
            for i in 0..c::LWIP_IPV6_NUM_ADDRESSES {
                (*nif).ip6_addr[i] = abi::ip_addr_t::default();
                (*nif).ip6_addr[i].type_ = c::IPADDR_TYPE_V6;
                (*nif).ip6_addr_state[i] = c::IP6_ADDR_INVALID;
                #[cfg(lwip = "ipv6_address_lifetimes")]
                {
                    (*nif).ip6_addr_valid_life[i] = c::IP6_ADDR_LIFE_STATIC;
                    (*nif).ip6_addr_pref_life[i] = c::IP6_ADDR_LIFE_STATIC;
                }
            }
            (*nif).output_ip6 = None;
            // Off until the application enables it, as in lwIP.
            #[cfg(lwip = "ipv6_autoconfig")]
            {
                (*nif).ip6_autoconfig_enabled = 0;
            }
        }
        (*nif).flags = 0;
        (*nif).mtu = 0;
        (*nif).linkoutput = None;
        (*nif).state = state;
        (*nif).input = input;
        #[cfg(lwip = "netif_status_callback")]
        {
            (*nif).status_callback = None;
        }
        #[cfg(lwip = "netif_link_callback")]
        {
            (*nif).link_callback = None;
        }
        #[cfg(lwip = "netif_hostname")]
        {
            (*nif).hostname = core::ptr::null();
        }
        #[cfg(lwip = "ipv4")]
        for (field, value) in [(&raw mut (*nif).ip_addr, ipaddr), (&raw mut (*nif).netmask, netmask), (&raw mut (*nif).gw, gw)] {
            (*field).type_ = c::IPADDR_TYPE_V4;
            if let Some(v) = value.as_ref() {
                (*field).u_addr.ip4 = *v;
            }
        }
        #[cfg(not(lwip = "ipv4"))]
        let _ = (ipaddr, netmask, gw);

        // The driver fills hwaddr, mtu, flags, name and its output functions.
        if init(nif) != c::ERR_OK {
            return core::ptr::null_mut();
        }
    }
    let added = stack::with(|inner| {
        // lowest free number, as lwIP assigns them
        let mut num = inner.next_num;
        loop {
            let mut used = false;
            for_each_netif(|n| {
                // SAFETY: listed netifs are live.
                used = unsafe { (*n).num } == num;
                !used
            });
            if !used {
                break;
            }
            num = num.wrapping_add(1);
        }
        inner.next_num = num.wrapping_add(1);
        // SAFETY: live caller-owned netif; the list is only changed under the core lock.
        unsafe {
            (*nif).num = num;
            (*nif).next = list_head();
            *(&raw mut netif_list) = nif;
        }
        let n = inner.attach(nif);
        sync_addresses(n);
        inner.sync_loopback();
    });
    if added.is_err() {
        return core::ptr::null_mut();
    }
    stack::stack().wake();
    nif
}
same_signature!(netif_add(_, _, _, _, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_remove(nif: *mut netif) {
    if nif.is_null() || !is_listed(nif) {
        return;
    }
    // SAFETY: live netif.
    let was_up = unsafe { (*nif).flags } & c::NETIF_FLAG_UP != 0;
    if was_up {
        // SAFETY: forwarding.
        unsafe { netif_set_down(nif) };
    }
    stack::stack().remove_frame_sources(nif);
    let _ = stack::with(|inner| {
        if let Some(mut n) = inner.detach(nif) {
            n.device.drain();
            // Sockets of this interface die with it; the socket layer sees them gone.
        }
        // SAFETY: unlink from the C list under the core lock.
        unsafe {
            let mut link: *mut *mut netif = &raw mut netif_list;
            while !(*link).is_null() {
                if *link == nif {
                    *link = (*nif).next;
                    break;
                }
                link = &raw mut (**link).next;
            }
            if *(&raw const netif_default) == nif {
                *(&raw mut netif_default) = core::ptr::null_mut();
            }
        }
    });
    // Its connections were aborted: callbacks hear it, blocked callers wake with the error.
    stack::fire_events();
    stack::stack().wake_waiters();
}
same_signature!(netif_remove(_));

// ---- addresses -----------------------------------------------------------------------

#[cfg(lwip = "ipv4")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_set_addr(
    nif: *mut netif,
    ipaddr: *const ip4_addr_t,
    netmask: *const ip4_addr_t,
    gw: *const ip4_addr_t,
) {
    if nif.is_null() {
        return;
    }
    // SAFETY: live netif.
    let old = unsafe { ip4_of(&(*nif).ip_addr.u_addr.ip4) };
    update(nif, |nif| {
        // SAFETY: live netif; NULL arguments mean "any" as in lwIP.
        unsafe {
            (*nif).ip_addr.u_addr.ip4 = ipaddr.as_ref().copied().unwrap_or_default();
            (*nif).netmask.u_addr.ip4 = netmask.as_ref().copied().unwrap_or_default();
            (*nif).gw.u_addr.ip4 = gw.as_ref().copied().unwrap_or_default();
        }
    });
    ip4_changed(nif, old);
    notify(status_callback(nif), nif);
}

/// After the netif's IPv4 address may have changed from `old`: what lwIP's
/// netif_do_ip_addr_changed does to the conns bound to it (see conn::local_addr_changed).
#[cfg(lwip = "ipv4")]
fn ip4_changed(nif: *mut netif, old: smoltcp::wire::Ipv4Address) {
    // SAFETY: live netif.
    let new = unsafe { ip4_of(&(*nif).ip_addr.u_addr.ip4) };
    if new != old {
        let _ = stack::with(|inner| crate::conn::local_addr_changed(&mut inner.ctx(), old.into(), new.into()));
        stack::stack().wake_waiters();
    }
}
#[cfg(lwip = "ipv4")]
same_signature!(netif_set_addr(_, _, _, _));

macro_rules! ip4_setter {
    ($name:ident, $field:ident) => {
        #[cfg(lwip = "ipv4")]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(nif: *mut netif, addr: *const ip4_addr_t) {
            if nif.is_null() {
                return;
            }
            // SAFETY: live netif.
            let old = unsafe { ip4_of(&(*nif).ip_addr.u_addr.ip4) };
            // SAFETY: live netif; NULL means "any" as in lwIP.
            update(nif, |nif| unsafe { (*nif).$field.u_addr.ip4 = addr.as_ref().copied().unwrap_or_default() });
            ip4_changed(nif, old);
            notify(status_callback(nif), nif);
        }
        #[cfg(lwip = "ipv4")]
        same_signature!($name(_, _));
    };
}
ip4_setter!(netif_set_ipaddr, ip_addr);
ip4_setter!(netif_set_netmask, netmask);
ip4_setter!(netif_set_gw, gw);

#[cfg(lwip = "ipv6")]
mod ip6 {
    use super::*;

    fn slot_ok(nif: *mut netif, idx: s8_t) -> Option<usize> {
        (!nif.is_null() && idx >= 0 && (idx as usize) < c::LWIP_IPV6_NUM_ADDRESSES).then_some(idx as usize)
    }

    /// [`update`] of an address the application sets: static from now on (no lifetimes).
    /// Conns bound to the slot's old (valid) address follow it, as in lwIP.
    fn update_slot(nif: *mut netif, i: usize, f: impl FnOnce(*mut netif)) {
        // SAFETY (both): live netif, checked index.
        let addr = || unsafe { ((*nif).ip6_addr_state[i] & c::IP6_ADDR_VALID != 0).then(|| ip6_of(&(*nif).ip6_addr[i].u_addr.ip6)) };
        let old = addr();
        update_then(nif, f, |n| crate::core::nd::slot_set_by_app(&mut n.nd, i));
        if let (Some(old), Some(new)) = (old, addr()) {
            if old != new {
                let _ = stack::with(|inner| crate::conn::local_addr_changed(&mut inner.ctx(), old.into(), new.into()));
                stack::stack().wake_waiters();
            }
        }
    }

    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn netif_ip6_addr_set(nif: *mut netif, addr_idx: s8_t, addr6: *const ip6_addr_t) {
        let (Some(i), Some(a)) = (slot_ok(nif, addr_idx), unsafe { addr6.as_ref() }) else { return };
        // SAFETY: live netif, checked index.
        update_slot(nif, i, |nif| unsafe { (*nif).ip6_addr[i].u_addr.ip6 = *a });
    }
    same_signature!(netif_ip6_addr_set(_, _, _));

    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn netif_ip6_addr_set_parts(nif: *mut netif, addr_idx: s8_t, i0: u32_t, i1: u32_t, i2: u32_t, i3: u32_t) {
        let Some(i) = slot_ok(nif, addr_idx) else { return };
        // SAFETY: live netif, checked index.
        update_slot(nif, i, |nif| unsafe { (*nif).ip6_addr[i].u_addr.ip6.addr = [i0, i1, i2, i3] });
    }
    same_signature!(netif_ip6_addr_set_parts(_, _, _, _, _, _));

    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn netif_ip6_addr_set_state(nif: *mut netif, addr_idx: s8_t, state: u8_t) {
        let Some(i) = slot_ok(nif, addr_idx) else { return };
        // SAFETY: live netif, checked index.
        update(nif, |nif| unsafe { (*nif).ip6_addr_state[i] = state });
    }
    same_signature!(netif_ip6_addr_set_state(_, _, _));

    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn netif_get_ip6_addr_match(nif: *mut netif, ip6addr: *const ip6_addr_t) -> s8_t {
        // SAFETY: NULL checked; live netif.
        let (Some(n), Some(a)) = (unsafe { nif.as_ref() }, unsafe { ip6addr.as_ref() }) else { return -1 };
        let want = ip6_of(a);
        (0..c::LWIP_IPV6_NUM_ADDRESSES)
            .find(|&i| {
                n.ip6_addr_state[i] != c::IP6_ADDR_INVALID
                    // SAFETY: union read of the IPv6 member of an IPv6 slot.
                    && ip6_of(unsafe { &n.ip6_addr[i].u_addr.ip6 }) == want
            })
            .map_or(-1, |i| i as s8_t)
    }
    same_signature!(netif_get_ip6_addr_match(_, _));

    /// fe80::/64 with an interface identifier from the MAC (EUI-64, from_mac_48bit) or from
    /// the last 8 bytes of the hardware address. No duplicate address detection is run:
    /// the address is preferred at once (COMPATIBILITY.md).
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn netif_create_ip6_linklocal_address(nif: *mut netif, from_mac_48bit: u8_t) {
        // SAFETY: NULL checked; live netif.
        let Some(n) = (unsafe { nif.as_ref() }) else { return };
        let mut b = [0u8; 16];
        b[0] = 0xfe;
        b[1] = 0x80;
        let hw = &n.hwaddr[..(n.hwaddr_len as usize).min(n.hwaddr.len())];
        if from_mac_48bit != 0 && hw.len() >= 6 {
            b[8..16].copy_from_slice(&[hw[0] ^ 0x02, hw[1], hw[2], 0xff, 0xfe, hw[3], hw[4], hw[5]]);
        } else {
            let tail = &hw[hw.len().saturating_sub(8)..];
            b[16 - tail.len()..].copy_from_slice(tail);
        }
        let addr = ip6_from(Ipv6Address::from(b));
        update(nif, |nif| {
            // SAFETY: live netif; slot 0 is the link-local slot in lwIP.
            unsafe {
                (*nif).ip6_addr[0].u_addr.ip6 = addr;
                (*nif).ip6_addr[0].type_ = c::IPADDR_TYPE_V6;
                #[cfg(lwip = "ipv6_scopes")]
                {
                    (*nif).ip6_addr[0].u_addr.ip6.zone = (*nif).num + 1;
                }
                (*nif).ip6_addr_state[0] = c::IP6_ADDR_PREFERRED;
            }
        });
        // Solicit routers now that there is a source address for it (an advertisement that
        // came before could configure nothing without one).
        restart_nd(nif);
    }
    same_signature!(netif_create_ip6_linklocal_address(_, _));

    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn netif_add_ip6_address(nif: *mut netif, ip6addr: *const ip6_addr_t, chosen_idx: *mut s8_t) -> err_t {
        // SAFETY: NULL checked.
        let (false, Some(a)) = (nif.is_null(), unsafe { ip6addr.as_ref() }) else { return c::ERR_VAL };
        // SAFETY: forwarding.
        let existing = unsafe { netif_get_ip6_addr_match(nif, ip6addr) };
        if existing >= 0 {
            if let Some(out) = unsafe { chosen_idx.as_mut() } {
                *out = existing;
            }
            return c::ERR_OK;
        }
        // Slot 0 is reserved for the link-local address, as in lwIP.
        let link_local = ip6_of(a).is_unicast_link_local();
        let range = if link_local { 0..1 } else { 1..c::LWIP_IPV6_NUM_ADDRESSES };
        // SAFETY: live netif.
        let free = range.into_iter().find(|&i| unsafe { (*nif).ip6_addr_state[i] } == c::IP6_ADDR_INVALID);
        let Some(i) = free else { return c::ERR_VAL };
        update_slot(nif, i, |nif| {
            // SAFETY: live netif, index in range.
            unsafe {
                (*nif).ip6_addr[i].u_addr.ip6 = *a;
                (*nif).ip6_addr[i].type_ = c::IPADDR_TYPE_V6;
                (*nif).ip6_addr_state[i] = c::IP6_ADDR_PREFERRED;
            }
        });
        if let Some(out) = unsafe { chosen_idx.as_mut() } {
            *out = i as s8_t;
        }
        c::ERR_OK
    }
    same_signature!(netif_add_ip6_address(_, _, _));
}

// ---- state ---------------------------------------------------------------------------

/// Solicit routers again (lwIP's nd6_restart_netif, when a netif comes up).
fn restart_nd(nif: *mut netif) {
    #[cfg(lwip = "ipv6")]
    {
        let _ = stack::with(|inner| {
            if let Some(n) = inner.find(nif) {
                n.nd.restart(crate::sys::os::now_us());
            }
        });
        stack::stack().wake();
    }
    #[cfg(not(lwip = "ipv6"))]
    let _ = nif;
}

fn set_flag(nif: *mut netif, flag: u8, on: bool) -> bool {
    let mut changed = false;
    update(nif, |nif| {
        // SAFETY: live netif.
        unsafe {
            let before = (*nif).flags;
            (*nif).flags = if on { before | flag } else { before & !flag };
            changed = before != (*nif).flags;
        }
    });
    changed
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_set_up(nif: *mut netif) {
    if !nif.is_null() && set_flag(nif, c::NETIF_FLAG_UP, true) {
        restart_nd(nif);
        notify(status_callback(nif), nif);
    }
}
same_signature!(netif_set_up(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_set_down(nif: *mut netif) {
    if !nif.is_null() && set_flag(nif, c::NETIF_FLAG_UP, false) {
        notify(status_callback(nif), nif);
    }
}
same_signature!(netif_set_down(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_set_link_up(nif: *mut netif) {
    if !nif.is_null() && set_flag(nif, c::NETIF_FLAG_LINK_UP, true) {
        restart_nd(nif);
        notify(link_callback(nif), nif);
    }
}
same_signature!(netif_set_link_up(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_set_link_down(nif: *mut netif) {
    if !nif.is_null() && set_flag(nif, c::NETIF_FLAG_LINK_UP, false) {
        notify(link_callback(nif), nif);
    }
}
same_signature!(netif_set_link_down(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_set_default(nif: *mut netif) {
    let _ = stack::with(|_| {
        // SAFETY: written under the core lock.
        unsafe { *(&raw mut netif_default) = nif };
    });
}
same_signature!(netif_set_default(_));

/// lwIP's index of a netif (`num + 1`); None for NULL (the internal loopback interface).
pub fn index_of(nif: *mut netif) -> Option<u8> {
    // SAFETY: NULL or a netif added to the stack (alive until netif_remove, which runs
    // under the core lock like every caller of this).
    unsafe { nif.as_ref() }.map(|n| n.num.wrapping_add(1))
}

/// Up, with its link up.
pub fn is_up_with_link(nif: *mut netif) -> bool {
    let up = c::NETIF_FLAG_UP | c::NETIF_FLAG_LINK_UP;
    // SAFETY: as in index_of.
    unsafe { nif.as_ref() }.is_some_and(|n| n.flags & up == up)
}

/// The index of the netif named `name` ("tp0": two letters and the decimal number, as
/// lwIP's netif_find reads it), if there is one.
pub fn index_by_name(name: &[u8]) -> Option<u8> {
    if name.len() < 3 {
        return None;
    }
    let num: u8 = core::str::from_utf8(&name[2..]).ok()?.parse().ok()?;
    let mut found = None;
    for_each_netif(|n| {
        // SAFETY: listed netifs are live.
        let (nm, nn) = unsafe { ((*n).name, (*n).num) };
        if nn == num && nm[0] as u8 == name[0] && nm[1] as u8 == name[1] {
            found = Some(num.wrapping_add(1));
            return false;
        }
        true
    });
    found
}

/// The default netif as the socket layer routes by it.
pub fn default_netif() -> *mut netif {
    // SAFETY: plain read; writers hold the core lock.
    unsafe { *(&raw const netif_default) }
}

// ---- lookup --------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_find(name: *const c_char) -> *mut netif {
    if name.is_null() {
        return core::ptr::null_mut();
    }
    // SAFETY: NUL-terminated caller string.
    let bytes = unsafe { core::ffi::CStr::from_ptr(name) }.to_bytes();
    if bytes.len() < 2 {
        return core::ptr::null_mut();
    }
    let num: Option<u8> = core::str::from_utf8(&bytes[2..]).ok().and_then(|s| s.parse().ok());
    let Some(num) = num else { return core::ptr::null_mut() };
    let mut found = core::ptr::null_mut();
    for_each_netif(|n| {
        // SAFETY: listed netifs are live.
        let (nm, nn) = unsafe { ((*n).name, (*n).num) };
        if nn == num && nm[0] as u8 == bytes[0] && nm[1] as u8 == bytes[1] {
            found = n;
            return false;
        }
        true
    });
    found
}
same_signature!(netif_find(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_get_by_index(idx: u8_t) -> *mut netif {
    if idx == c::NETIF_NO_INDEX {
        return core::ptr::null_mut();
    }
    let mut found = core::ptr::null_mut();
    for_each_netif(|n| {
        // SAFETY: listed netifs are live.
        if unsafe { (*n).num }.wrapping_add(1) == idx {
            found = n;
            return false;
        }
        true
    });
    found
}
same_signature!(netif_get_by_index(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_name_to_index(name: *const c_char) -> u8_t {
    // SAFETY: forwarding.
    let n = unsafe { netif_find(name) };
    // SAFETY: found netifs are live.
    if n.is_null() { c::NETIF_NO_INDEX } else { unsafe { (*n).num }.wrapping_add(1) }
}
same_signature!(netif_name_to_index(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_index_to_name(idx: u8_t, name: *mut c_char) -> *mut c_char {
    // SAFETY: forwarding.
    let n = unsafe { netif_get_by_index(idx) };
    if n.is_null() || name.is_null() {
        return core::ptr::null_mut();
    }
    // "xxN": two name characters and the decimal number, NUL-terminated
    // (the caller's buffer is NETIF_NAMESIZE bytes).
    // SAFETY: live netif; the caller provides NETIF_NAMESIZE bytes.
    unsafe {
        let mut text: heapless::Vec<u8, 8> = heapless::Vec::new();
        let _ = text.push((*n).name[0] as u8);
        let _ = text.push((*n).name[1] as u8);
        let num = (*n).num;
        if num >= 100 {
            let _ = text.push(b'0' + num / 100);
        }
        if num >= 10 {
            let _ = text.push(b'0' + (num / 10) % 10);
        }
        let _ = text.push(b'0' + num % 10);
        let len = text.len().min(c::NETIF_NAMESIZE - 1);
        core::ptr::copy_nonoverlapping(text.as_ptr(), name as *mut u8, len);
        *name.add(len) = 0;
    }
    name
}
same_signature!(netif_index_to_name(_, _));

// ---- input and output ----------------------------------------------------------------

/// lwIP's NO_SYS input (also used as `netif->input` by some drivers).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_input(p: *mut pbuf, inp: *mut netif) -> err_t {
    stack::input(p, inp)
}
same_signature!(netif_input(_, _));

/// Drivers that set `netif->input = ethernet_input` hand frames here.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ethernet_input(p: *mut pbuf, nif: *mut netif) -> err_t {
    stack::input(p, nif)
}
same_signature!(ethernet_input(_, _));

/// IP-level drivers (no Ethernet header) that set `netif->input = ip_input`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ip_input(p: *mut pbuf, inp: *mut netif) -> err_t {
    stack::input(p, inp)
}

/// The loopback poll of lwIP's NO_SYS mode: process what is pending now.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn netif_poll(_nif: *mut netif) {
    crate::sys::sys_check_timeouts();
}
same_signature!(netif_poll(_));

/// Prepend an Ethernet header and send through the driver's `linkoutput`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ethernet_output(
    nif: *mut netif,
    p: *mut pbuf,
    src: *const eth_addr,
    dst: *const eth_addr,
    eth_type: u16_t,
) -> err_t {
    // SAFETY: NULL checked; caller-owned objects.
    unsafe {
        let (Some(n), false, Some(src), Some(dst)) = (nif.as_ref(), p.is_null(), src.as_ref(), dst.as_ref()) else {
            return c::ERR_ARG;
        };
        let Some(out) = n.linkoutput else { return c::ERR_IF };
        if crate::pbuf::pbuf_add_header(p, 14) != 0 {
            return c::ERR_BUF;
        }
        let hdr = core::slice::from_raw_parts_mut((*p).payload as *mut u8, 14);
        hdr[..6].copy_from_slice(&dst.addr);
        hdr[6..12].copy_from_slice(&src.addr);
        hdr[12..14].copy_from_slice(&eth_type.to_be_bytes());
        out(nif, p)
    }
}
same_signature!(ethernet_output(_, _, _, _, _));

/// Send an IPv4 packet to `ipaddr` on an Ethernet netif. smolwip's engine resolves and
/// frames its own traffic, so this entry point (for drivers that call it themselves) sends
/// broadcast and multicast packets and reports ERR_RTE for unicast ones (COMPATIBILITY.md).
#[cfg(lwip = "ipv4")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etharp_output(nif: *mut netif, q: *mut pbuf, ipaddr: *const ip4_addr_t) -> err_t {
    // SAFETY: NULL checked.
    let (Some(n), Some(a)) = (unsafe { nif.as_ref() }, unsafe { ipaddr.as_ref() }) else { return c::ERR_ARG };
    let ip = ip4_of(a);
    let o = ip.octets();
    let dst = if ip.is_broadcast() {
        [0xff; 6]
    } else if ip.is_multicast() {
        [0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]]
    } else {
        return c::ERR_RTE;
    };
    let mut src = [0u8; 6];
    src.copy_from_slice(&n.hwaddr[..6]);
    // SAFETY: forwarding checked arguments.
    unsafe { ethernet_output(nif, q, &eth_addr { addr: src }, &eth_addr { addr: dst }, 0x0800) }
}
#[cfg(lwip = "ipv4")]
same_signature!(etharp_output(_, _, _));

/// IPv6 counterpart of [`etharp_output`]: multicast is sent, unicast gets ERR_RTE.
#[cfg(lwip = "ipv6")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ethip6_output(nif: *mut netif, q: *mut pbuf, ip6addr: *const ip6_addr_t) -> err_t {
    // SAFETY: NULL checked.
    let (Some(n), Some(a)) = (unsafe { nif.as_ref() }, unsafe { ip6addr.as_ref() }) else { return c::ERR_ARG };
    let ip = ip6_of(a);
    if !ip.is_multicast() {
        return c::ERR_RTE;
    }
    let o = ip.octets();
    let dst = [0x33, 0x33, o[12], o[13], o[14], o[15]];
    let mut src = [0u8; 6];
    src.copy_from_slice(&n.hwaddr[..6]);
    // SAFETY: forwarding checked arguments.
    unsafe { ethernet_output(nif, q, &eth_addr { addr: src }, &eth_addr { addr: dst }, 0x86dd) }
}
#[cfg(lwip = "ipv6")]
same_signature!(ethip6_output(_, _, _));
