//! esp_netif's IPv6 calls, over the interface's lwIP address slots.

use super::*;
use smoltcp::wire::{IpAddress, Ipv6Address};

fn to_esp(a: &abi::ip6_addr_t) -> esp_ip6_addr_t {
    esp_ip6_addr_t { addr: a.addr, zone: 0 }
}

fn smol(a: &esp_ip6_addr_t) -> Ipv6Address {
    crate::addr::ip6_addr_to_smol(&crate::addr::ip6_addr_from_words(a.addr))
}

/// The valid addresses of an added interface.
fn valid(e: &EspNetif) -> impl Iterator<Item = abi::ip6_addr_t> + '_ {
    (0..c::LWIP_IPV6_NUM_ADDRESSES).filter_map(move |i| {
        // SAFETY: reading the interface's IPv6 slots.
        let (state, addr) = unsafe { (e.nif.ip6_addr_state[i], e.nif.ip6_addr[i].u_addr.ip6) };
        (e.added && state & c::IP6_ADDR_VALID != 0).then_some(addr)
    })
}

fn is_link_local(a: &abi::ip6_addr_t) -> bool {
    crate::addr::ip6_addr_to_smol(a).is_unicast_link_local()
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_create_ip6_linklocal(esp: *mut esp_netif_t) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
    if !e.added {
        return c::ESP_ERR_ESP_NETIF_IF_NOT_READY;
    }
    // SAFETY: an added netif.
    unsafe { abi::netif_create_ip6_linklocal_address(&mut e.nif, 1) };
    // Usable at once (no duplicate address detection), so announced at once.
    address_ready(&mut e.nif, 0);
    c::ESP_OK
}

/// Slot `i` of `nif` got a usable address (the link-local one, or one from a router
/// advertisement): ESP-IDF's nd6 callback posts IP_EVENT_GOT_IP6 for it, with the slot as
/// `ip_index`. Core lock held, stack not borrowed (the event loop is application code).
pub fn address_ready(nif: *mut netif, i: usize) {
    // SAFETY: forwarding a netif pointer.
    let esp = unsafe { esp_netif_get_handle_from_netif_impl(nif.cast()) };
    let Some(e) = live(esp) else { return };
    // SAFETY: reading the interface's IPv6 slot.
    let (state, addr) = unsafe { (e.nif.ip6_addr_state[i], e.nif.ip6_addr[i].u_addr.ip6) };
    if state & c::IP6_ADDR_VALID == 0 {
        return;
    }
    let evt = abi::ip_event_got_ip6_t {
        esp_netif: handle(e),
        ip6_info: abi::esp_netif_ip6_info_t { ip: to_esp(&addr) },
        ip_index: i as c_int,
    };
    post(c::IP_EVENT_GOT_IP6, &evt);
}
same_signature!(esp_netif_create_ip6_linklocal(_));

fn first(esp: *mut esp_netif_t, out: *mut esp_ip6_addr_t, link_local: bool) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
    if out.is_null() {
        return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    match valid(e).find(|a| is_link_local(a) == link_local) {
        Some(a) => {
            // SAFETY: the caller's out-pointer.
            unsafe { *out = to_esp(&a) };
            c::ESP_OK
        }
        None => c::ESP_FAIL,
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_ip6_linklocal(esp: *mut esp_netif_t, if_ip6: *mut esp_ip6_addr_t) -> esp_err_t {
    first(esp, if_ip6, true)
}
same_signature!(esp_netif_get_ip6_linklocal(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_ip6_global(esp: *mut esp_netif_t, if_ip6: *mut esp_ip6_addr_t) -> esp_err_t {
    first(esp, if_ip6, false)
}
same_signature!(esp_netif_get_ip6_global(_, _));

/// Copy every valid address into `if_ip6` (LWIP_IPV6_NUM_ADDRESSES entries); the count.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_all_ip6(esp: *mut esp_netif_t, if_ip6: *mut esp_ip6_addr_t) -> c_int {
    let Some(e) = live(esp) else { return 0 };
    if if_ip6.is_null() {
        return 0;
    }
    let mut n = 0;
    for a in valid(e) {
        // SAFETY: the caller's array holds LWIP_IPV6_NUM_ADDRESSES entries (ESP-IDF's contract).
        unsafe { *if_ip6.add(n) = to_esp(&a) };
        n += 1;
    }
    n as c_int
}
same_signature!(esp_netif_get_all_ip6(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_add_ip6_address(esp: *mut esp_netif_t, addr: esp_ip6_addr_t, preferred: bool) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
    if !e.added {
        return c::ESP_ERR_ESP_NETIF_IF_NOT_READY;
    }
    let a = crate::addr::ip6_addr_from_words(addr.addr);
    let mut idx: abi::s8_t = -1;
    // SAFETY: an added netif and a valid address.
    if unsafe { abi::netif_add_ip6_address(&mut e.nif, &a, &mut idx) } != c::ERR_OK || idx < 0 {
        return c::ESP_ERR_ESP_NETIF_IP6_ADDR_FAILED;
    }
    let state = if preferred { c::IP6_ADDR_PREFERRED } else { c::IP6_ADDR_DEPRECATED };
    // SAFETY: the slot just chosen.
    unsafe { abi::netif_ip6_addr_set_state(&mut e.nif, idx, state) };
    c::ESP_OK
}
same_signature!(esp_netif_add_ip6_address(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_remove_ip6_address(esp: *mut esp_netif_t, addr: *const esp_ip6_addr_t) -> esp_err_t {
    // SAFETY: NULL or the caller's address.
    let (Some(e), Some(addr)) = (live(esp), unsafe { addr.as_ref() }) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
    if !e.added {
        return c::ESP_ERR_ESP_NETIF_IF_NOT_READY;
    }
    let a = crate::addr::ip6_addr_from_words(addr.addr);
    // SAFETY: an added netif.
    let idx = unsafe { abi::netif_get_ip6_addr_match(&mut e.nif, &a) };
    if idx >= 0 {
        // SAFETY: the matching slot.
        unsafe { abi::netif_ip6_addr_set_state(&mut e.nif, idx, c::IP6_ADDR_INVALID) };
    }
    c::ESP_OK
}
same_signature!(esp_netif_remove_ip6_address(_, _));

fn multicast(esp: *mut esp_netif_t, addr: *const esp_ip6_addr_t, join: bool) -> esp_err_t {
    // SAFETY: NULL or the caller's address.
    let (Some(e), Some(addr)) = (live(esp), unsafe { addr.as_ref() }) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
    let group = smol(addr);
    if !e.added || !group.is_multicast() {
        return c::ESP_ERR_ESP_NETIF_MLD6_FAILED;
    }
    let key = crate::core::NetifKey(&mut e.nif);
    let ok = crate::core::with(|inner| {
        let n = inner.netif_mut(key)?;
        let r = if join {
            n.iface.join_multicast_group(IpAddress::Ipv6(group)).is_ok()
        } else {
            n.iface.leave_multicast_group(IpAddress::Ipv6(group)).is_ok()
        };
        Some(r)
    });
    if ok == Ok(Some(true)) { c::ESP_OK } else { c::ESP_ERR_ESP_NETIF_MLD6_FAILED }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_join_ip6_multicast_group(esp: *mut esp_netif_t, addr: *const esp_ip6_addr_t) -> esp_err_t {
    multicast(esp, addr, true)
}
same_signature!(esp_netif_join_ip6_multicast_group(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_leave_ip6_multicast_group(esp: *mut esp_netif_t, addr: *const esp_ip6_addr_t) -> esp_err_t {
    multicast(esp, addr, false)
}
same_signature!(esp_netif_leave_ip6_multicast_group(_, _));

/// The argument of `esp_netif_ip6_get_addr_type`: const from ESP-IDF v6 on.
#[cfg(lwip = "smolwip_esp_netif_ip6_type_const")]
type Ip6AddrArg = *const esp_ip6_addr_t;
#[cfg(not(lwip = "smolwip_esp_netif_ip6_type_const"))]
type Ip6AddrArg = *mut esp_ip6_addr_t;

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_ip6_get_addr_type(addr: Ip6AddrArg) -> abi::esp_ip6_addr_type_t {
    let addr = addr as *const esp_ip6_addr_t;
    // SAFETY: NULL or the caller's address.
    let Some(addr) = (unsafe { addr.as_ref() }) else { return c::ESP_IP6_ADDR_IS_UNKNOWN as _ };
    let a = smol(addr);
    let o = a.octets();
    let t = if a.is_unicast_link_local() {
        c::ESP_IP6_ADDR_IS_LINK_LOCAL
    } else if o[0] == 0xfe && o[1] & 0xc0 == 0xc0 {
        c::ESP_IP6_ADDR_IS_SITE_LOCAL
    } else if o[0] & 0xfe == 0xfc {
        c::ESP_IP6_ADDR_IS_UNIQUE_LOCAL
    } else if o[..10] == [0; 10] && o[10] == 0xff && o[11] == 0xff {
        c::ESP_IP6_ADDR_IS_IPV4_MAPPED_IPV6
    } else if o[0] & 0xe0 == 0x20 {
        c::ESP_IP6_ADDR_IS_GLOBAL
    } else {
        c::ESP_IP6_ADDR_IS_UNKNOWN
    };
    t as abi::esp_ip6_addr_type_t
}
same_signature!(esp_netif_ip6_get_addr_type(_));
