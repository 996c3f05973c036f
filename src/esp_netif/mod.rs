//! ESP-NETIF, as the network stack provides it to ESP-IDF (`CONFIG_ESP_NETIF_PROVIDE_CUSTOM_
//! IMPLEMENTATION=y`): the `esp_netif_*` object and its I/O-driver data path, over smolwip's
//! netif layer. Types and constants come from the esp_netif headers in use (ESP-IDF's on
//! target, `include/esp-host/` on a host) through bindgen, like every lwIP item.
//!
//! An `esp_netif_t` is a [`EspNetif`]: it owns a `struct netif` that `esp_netif_start` adds
//! to the stack; its `linkoutput` hands frames to the driver's `transmit`. Received driver
//! buffers are lent to the stack (no copy) and handed back through the driver's
//! `driver_free_rx_buffer` exactly once, when the frame has been processed or dropped.
//! Behaviour (return codes, when events are posted, which address `get_ip_info` reports)
//! follows ESP-IDF's lwIP implementation; deviations are in COMPATIBILITY.md.
//!
//! What ESP-IDF's own esp_netif files define in custom mode (the `esp_netif_action_*`
//! handlers, the object list, `IP_EVENT`, the inherent default configs) is not defined here
//! for a target; on a host, where those files are absent, `host` supplies `IP_EVENT` and
//! the Ethernet defaults.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::ffi::{c_char, c_int, c_void};

use crate::abi::{
    self, c, err_t, esp_err_t, esp_ip4_addr_t, esp_ip6_addr_t, esp_netif_config_t, esp_netif_dns_info_t,
    esp_netif_driver_ifconfig_t, esp_netif_ip_info_t, esp_netif_t, ip_event_got_ip_t, netif, pbuf,
};
use crate::core::device::{Frame, Lent};

#[cfg(lwip = "smolwip_esp_netif_host_headers")]
mod host;

/// ESP-IDF's ESP_NETIF_HOSTNAME_MAX_SIZE.
const HOSTNAME_MAX: usize = 32;

/// The kinds of interface the stack offers (`_g_esp_netif_netstack_default_*`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Eth,
    WifiSta,
    WifiAp,
}

/// The stack's part of an interface configuration: the C `esp_netif_netstack_config_t`,
/// whose contents are the stack's own business.
pub struct NetstackConfig {
    kind: Kind,
}

static ETH: NetstackConfig = NetstackConfig { kind: Kind::Eth };
static WIFI_STA: NetstackConfig = NetstackConfig { kind: Kind::WifiSta };
static WIFI_AP: NetstackConfig = NetstackConfig { kind: Kind::WifiAp };

/// A `const esp_netif_netstack_config_t *` variable, as ESP-IDF's defaults refer to them.
#[repr(transparent)]
pub struct NetstackRef(*const abi::esp_netif_netstack_config_t);
// SAFETY: points to an immutable static.
unsafe impl Sync for NetstackRef {}

const fn netstack_ref(c: &'static NetstackConfig) -> NetstackRef {
    NetstackRef(c as *const NetstackConfig as *const abi::esp_netif_netstack_config_t)
}

#[unsafe(no_mangle)]
pub static _g_esp_netif_netstack_default_eth: NetstackRef = netstack_ref(&ETH);
#[unsafe(no_mangle)]
pub static _g_esp_netif_netstack_default_wifi_sta: NetstackRef = netstack_ref(&WIFI_STA);
#[unsafe(no_mangle)]
pub static _g_esp_netif_netstack_default_wifi_ap: NetstackRef = netstack_ref(&WIFI_AP);

fn kind_of(cfg: *const abi::esp_netif_netstack_config_t) -> Option<Kind> {
    [&ETH, &WIFI_STA, &WIFI_AP].into_iter().find(|k| core::ptr::eq(*k as *const NetstackConfig as *const _, cfg)).map(|k| k.kind)
}

/// The C `struct esp_netif_obj`.
pub struct EspNetif {
    /// The lwIP interface (its `state` points back here); added by `esp_netif_start`.
    nif: netif,
    added: bool,
    kind: Kind,
    driver: esp_netif_driver_ifconfig_t,
    flags: u32,
    mac: [u8; 6],
    /// The interface's address as esp_netif keeps it: static, or the DHCP lease.
    ip_info: esp_netif_ip_info_t,
    old_ip_info: esp_netif_ip_info_t,
    get_ip_event: u32,
    lost_ip_event: u32,
    /// NUL-terminated copies of the configuration's strings.
    if_key: Vec<u8>,
    if_desc: Vec<u8>,
    hostname: Vec<u8>,
    route_prio: c_int,
    dhcpc: u32,
}

/// Live objects, to tell ours from foreign pointers (netif state, stale handles).
static LIVE: crate::sys::os::SpinLock<Vec<usize>> = crate::sys::os::SpinLock::new(Vec::new());

fn live(esp: *mut esp_netif_t) -> Option<&'static mut EspNetif> {
    if esp.is_null() || !LIVE.lock().contains(&(esp as usize)) {
        return None;
    }
    // SAFETY: listed, so created by esp_netif_new and not yet destroyed. ESP-NETIF's
    // contract leaves concurrent use of one object to the application, as ESP-IDF does.
    Some(unsafe { &mut *(esp as *mut EspNetif) })
}

fn handle(e: &mut EspNetif) -> *mut esp_netif_t {
    e as *mut EspNetif as *mut esp_netif_t
}

fn cstr_copy(s: *const c_char) -> Vec<u8> {
    let mut v = Vec::new();
    if !s.is_null() {
        // SAFETY: the caller's NUL-terminated string.
        v.extend_from_slice(unsafe { core::ffi::CStr::from_ptr(s) }.to_bytes());
    }
    v.push(0);
    v
}

fn ip4(a: esp_ip4_addr_t) -> abi::ip4_addr_t {
    abi::ip4_addr_t { addr: a.addr }
}

fn esp4(a: abi::ip4_addr_t) -> esp_ip4_addr_t {
    esp_ip4_addr_t { addr: a.addr }
}

/// Added to the stack and up.
fn is_up(e: &EspNetif) -> bool {
    e.added && e.nif.flags & c::NETIF_FLAG_UP != 0
}

/// Give the (added) interface the addresses of `info`.
fn set_addr(e: &mut EspNetif, info: &esp_netif_ip_info_t) {
    let (ip, mask, gw) = (ip4(info.ip), ip4(info.netmask), ip4(info.gw));
    // SAFETY: an added netif.
    unsafe { crate::netif::netif_set_addr(&mut e.nif, &ip, &mask, &gw) };
}

/// The common shape of a getter: a live object and an out-pointer (else `err`).
fn get<T>(esp: *mut esp_netif_t, out: *mut T, err: esp_err_t, f: impl FnOnce(&mut EspNetif) -> T) -> esp_err_t {
    let Some(e) = live(esp) else { return err };
    if out.is_null() {
        return err;
    }
    // SAFETY: the caller's out-pointer, checked non-NULL.
    unsafe { out.write(f(e)) };
    c::ESP_OK
}

fn same_info(a: &esp_netif_ip_info_t, b: &esp_netif_ip_info_t) -> bool {
    a.ip.addr == b.ip.addr && a.netmask.addr == b.netmask.addr && a.gw.addr == b.gw.addr
}

fn post_got_ip(e: &mut EspNetif) {
    let evt = ip_event_got_ip_t { esp_netif: handle(e), ip_info: e.ip_info, ip_changed: !same_info(&e.ip_info, &e.old_ip_info) };
    e.old_ip_info = e.ip_info;
    post(e.get_ip_event, &evt);
}

fn post_lost_ip(e: &mut EspNetif) {
    let evt = ip_event_got_ip_t { esp_netif: handle(e), ip_info: e.ip_info, ip_changed: false };
    post(e.lost_ip_event, &evt);
}

/// Post an IP_EVENT through the application's event loop.
fn post<T>(id: u32, data: &T) {
    let data = (data as *const T).cast::<c_void>();
    let size = core::mem::size_of::<T>();
    #[cfg(lwip = "smolwip_esp_netif_host_headers")]
    host::post(id as i32, data, size);
    #[cfg(not(lwip = "smolwip_esp_netif_host_headers"))]
    // SAFETY: ESP-IDF's event API with a payload valid for the call (it copies it).
    unsafe {
        abi::esp_event_post(abi::IP_EVENT, id as i32, data, size, 0);
    }
}

// ---- life cycle --------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub extern "C" fn esp_netif_init() -> esp_err_t {
    crate::core::start_thread(None);
    c::ESP_OK
}
same_signature!(esp_netif_init());

/// As in ESP-IDF's lwIP implementation, the stack cannot be torn down.
#[unsafe(no_mangle)]
pub extern "C" fn esp_netif_deinit() -> esp_err_t {
    c::ESP_ERR_NOT_SUPPORTED
}
same_signature!(esp_netif_deinit());

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_new(cfg: *const esp_netif_config_t) -> *mut esp_netif_t {
    // SAFETY: NULL or the caller's configuration.
    let Some(cfg) = (unsafe { cfg.as_ref() }) else { return core::ptr::null_mut() };
    // SAFETY: as above.
    let Some(base) = (unsafe { cfg.base.as_ref() }) else { return core::ptr::null_mut() };
    let Some(kind) = kind_of(cfg.stack) else { return core::ptr::null_mut() };
    let if_key = cstr_copy(base.if_key);
    // SAFETY: if_key was just copied with its NUL.
    if unsafe { !esp_netif_get_handle_from_ifkey(if_key.as_ptr().cast()).is_null() } {
        return core::ptr::null_mut();
    }
    let mut e = Box::new(EspNetif {
        nif: netif::default(),
        added: false,
        kind,
        driver: esp_netif_driver_ifconfig_t::default(),
        flags: base.flags as u32,
        mac: base.mac,
        // SAFETY: NULL or the caller's initial address.
        ip_info: unsafe { base.ip_info.as_ref() }.copied().unwrap_or_default(),
        old_ip_info: esp_netif_ip_info_t::default(),
        get_ip_event: base.get_ip_event,
        lost_ip_event: base.lost_ip_event,
        if_key,
        if_desc: cstr_copy(base.if_desc),
        hostname: Vec::new(),
        route_prio: base.route_prio,
        dhcpc: c::ESP_NETIF_DHCP_INIT,
    });
    // SAFETY: NULL or the caller's driver configuration.
    if let Some(d) = unsafe { cfg.driver.as_ref() } {
        e.driver = *d;
    }
    let raw = Box::into_raw(e);
    LIVE.lock().push(raw as usize);
    raw as *mut esp_netif_t
}
same_signature!(esp_netif_new(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_destroy(esp: *mut esp_netif_t) {
    let Some(e) = live(esp) else { return };
    remove_netif(e);
    LIVE.lock().retain(|&p| p != esp as usize);
    // SAFETY: created by Box::into_raw in esp_netif_new, now unlisted.
    drop(unsafe { Box::from_raw(esp as *mut EspNetif) });
}
same_signature!(esp_netif_destroy(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_set_driver_config(
    esp: *mut esp_netif_t,
    cfg: *const esp_netif_driver_ifconfig_t,
) -> esp_err_t {
    // SAFETY: NULL or the caller's configuration.
    let (Some(e), Some(cfg)) = (live(esp), unsafe { cfg.as_ref() }) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
    e.driver = *cfg;
    c::ESP_OK
}
same_signature!(esp_netif_set_driver_config(_, _));

/// Attach an I/O driver: a pointer to a struct starting with `esp_netif_driver_base_t`,
/// whose `post_attach` registers the data path (esp_netif_set_driver_config).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_attach(esp: *mut esp_netif_t, driver: abi::esp_netif_iodriver_handle) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
    if driver.is_null() {
        return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    e.driver.handle = driver;
    // SAFETY: the documented driver layout: the base struct comes first.
    let base = unsafe { &mut *(driver as *mut abi::esp_netif_driver_base_t) };
    if let Some(post_attach) = base.post_attach {
        // SAFETY: the driver's own callback with its own handle.
        if unsafe { post_attach(esp, driver) } != c::ESP_OK {
            return c::ESP_ERR_ESP_NETIF_DRIVER_ATTACH_FAILED;
        }
    }
    c::ESP_OK
}
same_signature!(esp_netif_attach(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_io_driver(esp: *mut esp_netif_t) -> abi::esp_netif_iodriver_handle {
    live(esp).map_or(core::ptr::null_mut(), |e| e.driver.handle)
}
same_signature!(esp_netif_get_io_driver(_));

/// `netif->init` of an esp_netif's interface: an Ethernet-framed netif whose frames go to
/// the I/O driver.
unsafe extern "C" fn netif_init(nif: *mut netif) -> err_t {
    // SAFETY: called by netif_add with our netif, whose state is its EspNetif.
    unsafe {
        let e = &mut *((*nif).state as *mut EspNetif);
        (*nif).name = match e.kind {
            Kind::Eth => [b'e' as _, b'n' as _],
            Kind::WifiSta => [b's' as _, b't' as _],
            Kind::WifiAp => [b'a' as _, b'p' as _],
        };
        (&mut (*nif).hwaddr)[..6].copy_from_slice(&e.mac);
        (*nif).hwaddr_len = 6;
        if (*nif).mtu == 0 {
            (*nif).mtu = 1500;
        }
        (*nif).flags = c::NETIF_FLAG_BROADCAST | c::NETIF_FLAG_ETHARP | c::NETIF_FLAG_ETHERNET | c::NETIF_FLAG_IGMP;
        #[cfg(lwip = "ipv6")]
        {
            (*nif).flags |= c::NETIF_FLAG_MLD6;
            (*nif).output_ip6 = Some(crate::netif::ethip6_output);
        }
        #[cfg(lwip = "ipv4")]
        {
            (*nif).output = Some(crate::netif::etharp_output);
        }
        (*nif).linkoutput = Some(linkoutput);
        #[cfg(lwip = "netif_hostname")]
        if !e.hostname.is_empty() {
            (*nif).hostname = e.hostname.as_ptr().cast();
        }
    }
    c::ERR_OK
}

/// `netif->linkoutput`: one contiguous frame to the driver's `transmit`.
unsafe extern "C" fn linkoutput(nif: *mut netif, p: *mut pbuf) -> err_t {
    // SAFETY: our netif (state = its EspNetif) and a valid pbuf from the stack.
    unsafe {
        let esp = (*nif).state as *mut esp_netif_t;
        let len = (*p).tot_len as usize;
        let ret = if (*p).len as usize == len {
            esp_netif_transmit(esp, (*p).payload, len)
        } else {
            let mut frame = alloc::vec![0u8; len];
            crate::pbuf::pbuf_copy_partial(p, frame.as_mut_ptr().cast(), len as u16, 0);
            esp_netif_transmit(esp, frame.as_mut_ptr().cast(), len)
        };
        match ret {
            r if r == c::ESP_OK => c::ERR_OK,
            r if r == c::ESP_ERR_NO_MEM => c::ERR_MEM,
            _ => c::ERR_IF,
        }
    }
}

/// Add the lwIP interface to the stack (once).
fn add_netif(e: &mut EspNetif) -> bool {
    if e.added {
        return true;
    }
    let state = e as *mut EspNetif as *mut c_void;
    let (ip, mask, gw) = (ip4(e.ip_info.ip), ip4(e.ip_info.netmask), ip4(e.ip_info.gw));
    // SAFETY: the netif lives inside the boxed EspNetif until esp_netif_destroy removes it.
    let added = unsafe {
        crate::netif::netif_add(&mut e.nif, &ip, &mask, &gw, state, Some(netif_init), Some(crate::tcpip::tcpip_input))
    };
    if added.is_null() {
        return false;
    }
    e.added = true;
    // The default route follows route_prio among the started interfaces, as in ESP-IDF.
    let best = LIVE.lock().iter().all(|&p| {
        // SAFETY: listed objects are live.
        let o = unsafe { &*(p as *const EspNetif) };
        core::ptr::eq(o, e) || !o.added || o.route_prio <= e.route_prio
    });
    if best {
        // SAFETY: an added netif.
        unsafe { crate::netif::netif_set_default(&mut e.nif) };
    }
    true
}

fn remove_netif(e: &mut EspNetif) {
    if e.added {
        let key = crate::core::NetifKey(&mut e.nif);
        let _ = crate::core::with(|inner| inner.dhcp_stop(key));
        // SAFETY: an added netif.
        unsafe { crate::netif::netif_remove(&mut e.nif) };
        e.added = false;
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_start(esp: *mut esp_netif_t) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
    if !add_netif(e) {
        return c::ESP_ERR_ESP_NETIF_IF_NOT_READY;
    }
    // As ESP-IDF's esp_netif_start: router advertisements may configure addresses.
    #[cfg(lwip = "ipv6_autoconfig")]
    {
        let on = u8::from(e.flags & c::ESP_NETIF_FLAG_IPV6_AUTOCONFIG_ENABLED != 0);
        let _ = crate::core::with(|_| e.nif.ip6_autoconfig_enabled = on);
    }
    if e.flags & c::ESP_NETIF_FLAG_AUTOUP != 0 {
        // SAFETY: forwarding.
        unsafe { esp_netif_up(esp) };
    }
    if e.flags & c::ESP_NETIF_DHCP_SERVER != 0 {
        return c::ESP_ERR_NOT_SUPPORTED;
    }
    c::ESP_OK
}
same_signature!(esp_netif_start(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_stop(esp: *mut esp_netif_t) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
    if !e.added {
        return c::ESP_ERR_ESP_NETIF_IF_NOT_READY;
    }
    let was_up = e.nif.flags & c::NETIF_FLAG_UP != 0;
    remove_netif(e);
    if e.flags & c::ESP_NETIF_DHCP_CLIENT != 0 {
        e.dhcpc = c::ESP_NETIF_DHCP_INIT;
        e.ip_info = esp_netif_ip_info_t::default();
    }
    if was_up { c::ESP_OK } else { c::ESP_ERR_ESP_NETIF_IF_NOT_READY }
}
same_signature!(esp_netif_stop(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_up(esp: *mut esp_netif_t) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_INVALID_STATE };
    if !e.added {
        return c::ESP_ERR_ESP_NETIF_IF_NOT_READY;
    }
    let info = e.ip_info;
    set_addr(e, &info);
    // SAFETY: an added netif.
    unsafe {
        crate::netif::netif_set_up(&mut e.nif);
        crate::netif::netif_set_link_up(&mut e.nif);
    }
    if e.dhcpc == c::ESP_NETIF_DHCP_STARTED {
        // A client started before the interface was up runs now.
        start_dhcp(e);
    }
    c::ESP_OK
}
same_signature!(esp_netif_up(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_down(esp: *mut esp_netif_t) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_INVALID_STATE };
    if !e.added {
        return c::ESP_ERR_ESP_NETIF_IF_NOT_READY;
    }
    let had_ip = e.ip_info.ip.addr != 0;
    if e.flags & c::ESP_NETIF_DHCP_CLIENT != 0 && e.dhcpc == c::ESP_NETIF_DHCP_STARTED {
        let key = crate::core::NetifKey(&mut e.nif);
        let _ = crate::core::with(|inner| inner.dhcp_stop(key));
        e.dhcpc = c::ESP_NETIF_DHCP_INIT;
        e.ip_info = esp_netif_ip_info_t::default();
    }
    set_addr(e, &esp_netif_ip_info_t::default());
    // SAFETY: an added netif.
    unsafe {
        crate::netif::netif_set_down(&mut e.nif);
        crate::netif::netif_set_link_down(&mut e.nif);
    }
    if had_ip && e.flags & c::ESP_NETIF_DHCP_CLIENT != 0 {
        post_lost_ip(e);
    }
    c::ESP_OK
}
same_signature!(esp_netif_down(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_is_netif_up(esp: *mut esp_netif_t) -> bool {
    live(esp).is_some_and(|e| is_up(e))
}
same_signature!(esp_netif_is_netif_up(_));

// ---- data path ---------------------------------------------------------------------------

/// Driver -> stack. The buffer is the stack's from here on: whatever happens, it goes back
/// through the driver's `driver_free_rx_buffer` exactly once (Ethernet drivers get
/// `buffer`, Wi-Fi drivers, which pass their L2 buffer as `eb`, get `eb`). Only when there
/// is no object or no free function to give it back with does the call fail without
/// taking it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_receive(
    esp: *mut esp_netif_t,
    buffer: *mut c_void,
    len: usize,
    eb: *mut c_void,
) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
    let Some(free) = e.driver.driver_free_rx_buffer else { return c::ESP_ERR_ESP_NETIF_IF_NOT_READY };
    let owned = if eb.is_null() { buffer } else { eb };
    let frame = Frame::Lent(Lent { data: buffer as *const u8, len, release: free, handle: e.driver.handle, buffer: owned });
    if buffer.is_null() || len == 0 || !is_up(e) {
        drop(frame);
        return c::ESP_FAIL;
    }
    match crate::core::input_frame(&mut e.nif, frame) {
        Ok(()) => c::ESP_OK,
        // The queue is full (counted as a receive-queue drop): released now.
        Err(frame) => {
            drop(frame);
            c::ESP_FAIL
        }
    }
}
same_signature!(esp_netif_receive(_, _, _, _));

/// Stack -> driver: one frame to the driver's `transmit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_transmit(esp: *mut esp_netif_t, data: *mut c_void, len: usize) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
    let Some(transmit) = e.driver.transmit else { return c::ESP_ERR_ESP_NETIF_IF_NOT_READY };
    if data.is_null() {
        return c::ESP_ERR_INVALID_ARG;
    }
    // SAFETY: the driver's own function with its own handle and a frame of len bytes.
    unsafe { transmit(e.driver.handle, data, len) }
}
same_signature!(esp_netif_transmit(_, _, _));

/// Hand `buffer` back to the driver of `esp` (its `driver_free_rx_buffer`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_free_rx_buffer(esp: *mut c_void, buffer: *mut c_void) {
    let Some(e) = live(esp as *mut esp_netif_t) else { return };
    if let (Some(free), false) = (e.driver.driver_free_rx_buffer, buffer.is_null()) {
        // SAFETY: the driver's own function with its own handle and buffer.
        unsafe { free(e.driver.handle, buffer) };
    }
}
same_signature!(esp_netif_free_rx_buffer(_, _));

// ---- identity ----------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_handle_from_netif_impl(dev: *mut c_void) -> *mut esp_netif_t {
    if dev.is_null() {
        return core::ptr::null_mut();
    }
    let live = LIVE.lock();
    live.iter()
        .copied()
        // SAFETY: listed objects are live.
        .find(|&p| core::ptr::eq(unsafe { &(*(p as *const EspNetif)).nif }, dev as *const netif))
        .map_or(core::ptr::null_mut(), |p| p as *mut esp_netif_t)
}
same_signature!(esp_netif_get_handle_from_netif_impl(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_netif_impl(esp: *mut esp_netif_t) -> *mut c_void {
    live(esp).map_or(core::ptr::null_mut(), |e| (&mut e.nif as *mut netif).cast())
}
same_signature!(esp_netif_get_netif_impl(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_netif_impl_index(esp: *mut esp_netif_t) -> c_int {
    match live(esp) {
        Some(e) if e.added => crate::netif::index_of(&mut e.nif).map_or(-1, c_int::from),
        _ => -1,
    }
}
same_signature!(esp_netif_get_netif_impl_index(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_handle_from_ifkey(if_key: *const c_char) -> *mut esp_netif_t {
    if if_key.is_null() {
        return core::ptr::null_mut();
    }
    // SAFETY: the caller's NUL-terminated key.
    let key = unsafe { core::ffi::CStr::from_ptr(if_key) }.to_bytes_with_nul();
    let live = LIVE.lock();
    live.iter()
        .copied()
        // SAFETY: listed objects are live.
        .find(|&p| unsafe { &(*(p as *const EspNetif)).if_key }.as_slice() == key)
        .map_or(core::ptr::null_mut(), |p| p as *mut esp_netif_t)
}
same_signature!(esp_netif_get_handle_from_ifkey(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_flags(esp: *mut esp_netif_t) -> abi::esp_netif_flags_t {
    live(esp).map_or(0, |e| e.flags as abi::esp_netif_flags_t)
}
same_signature!(esp_netif_get_flags(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_ifkey(esp: *mut esp_netif_t) -> *const c_char {
    live(esp).map_or(core::ptr::null(), |e| e.if_key.as_ptr().cast())
}
same_signature!(esp_netif_get_ifkey(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_desc(esp: *mut esp_netif_t) -> *const c_char {
    live(esp).map_or(core::ptr::null(), |e| e.if_desc.as_ptr().cast())
}
same_signature!(esp_netif_get_desc(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_event_id(esp: *mut esp_netif_t, which: abi::esp_netif_ip_event_type_t) -> i32 {
    match live(esp) {
        Some(e) if which as u32 == c::ESP_NETIF_IP_EVENT_GOT_IP => e.get_ip_event as i32,
        Some(e) if which as u32 == c::ESP_NETIF_IP_EVENT_LOST_IP => e.lost_ip_event as i32,
        _ => -1,
    }
}
same_signature!(esp_netif_get_event_id(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_set_mac(esp: *mut esp_netif_t, mac: *mut u8) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_ESP_NETIF_IF_NOT_READY };
    if mac.is_null() {
        return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    // SAFETY: the caller's 6-byte MAC.
    e.mac.copy_from_slice(unsafe { core::slice::from_raw_parts(mac, 6) });
    if e.added {
        let (key, new) = (crate::core::NetifKey(&mut e.nif), e.mac);
        e.nif.hwaddr[..6].copy_from_slice(&new);
        let _ = crate::core::with(|inner| inner.set_hwaddr(key, new));
    }
    c::ESP_OK
}
same_signature!(esp_netif_set_mac(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_mac(esp: *mut esp_netif_t, mac: *mut u8) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_ESP_NETIF_IF_NOT_READY };
    if mac.is_null() {
        return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    // SAFETY: the caller's 6-byte buffer.
    unsafe { core::ptr::copy_nonoverlapping(e.mac.as_ptr(), mac, 6) };
    c::ESP_OK
}
same_signature!(esp_netif_get_mac(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_set_hostname(esp: *mut esp_netif_t, hostname: *const c_char) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_ESP_NETIF_IF_NOT_READY };
    if hostname.is_null() {
        return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    let name = cstr_copy(hostname);
    if name.len() - 1 > HOSTNAME_MAX {
        return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    e.hostname = name;
    #[cfg(lwip = "netif_hostname")]
    {
        e.nif.hostname = e.hostname.as_ptr().cast();
    }
    c::ESP_OK
}
same_signature!(esp_netif_set_hostname(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_hostname(esp: *mut esp_netif_t, hostname: *mut *const c_char) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_ESP_NETIF_IF_NOT_READY };
    if hostname.is_null() {
        return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    if e.hostname.is_empty() {
        return c::ESP_ERR_ESP_NETIF_IF_NOT_READY;
    }
    // SAFETY: the caller's out-pointer.
    unsafe { *hostname = e.hostname.as_ptr().cast() };
    c::ESP_OK
}
same_signature!(esp_netif_get_hostname(_, _));

/// The link speed a driver reports (esp_eth's glue calls this at link up, in bits/s). Like
/// ESP-IDF's lwIP implementation it only feeds interface statistics (netif->link_speed where
/// the profile has MIB2_STATS).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_set_link_speed(esp: *mut esp_netif_t, speed: u32) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_INVALID_ARG };
    #[cfg(lwip = "mib2_stats")]
    {
        e.nif.link_speed = speed;
    }
    #[cfg(not(lwip = "mib2_stats"))]
    let _ = (e, speed);
    c::ESP_OK
}
same_signature!(esp_netif_set_link_speed(_, _));

// The MTU calls are ESP-IDF v6's (v5.x headers do not declare them).
#[cfg(lwip_fn = "esp_netif_set_mtu")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_set_mtu(esp: *mut esp_netif_t, mtu: u16) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_INVALID_ARG };
    if mtu < 576 {
        return c::ESP_ERR_INVALID_ARG;
    }
    e.nif.mtu = mtu;
    c::ESP_OK
}
#[cfg(lwip_fn = "esp_netif_set_mtu")]
same_signature!(esp_netif_set_mtu(_, _));

#[cfg(lwip_fn = "esp_netif_get_mtu")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_mtu(esp: *mut esp_netif_t, mtu: *mut u16) -> esp_err_t {
    get(esp, mtu, c::ESP_ERR_INVALID_ARG, |e| if e.nif.mtu == 0 { 1500 } else { e.nif.mtu })
}
#[cfg(lwip_fn = "esp_netif_get_mtu")]
same_signature!(esp_netif_get_mtu(_, _));

// ---- IPv4 addresses, DHCP client -------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_ip_info(esp: *mut esp_netif_t, info: *mut esp_netif_ip_info_t) -> esp_err_t {
    // The interface's own addresses while it is up, esp_netif's record otherwise.
    get(esp, info, c::ESP_ERR_INVALID_ARG, |e| {
        if !is_up(e) {
            return e.ip_info;
        }
        // SAFETY: reading the IPv4 members of the netif's addresses.
        unsafe {
            esp_netif_ip_info_t {
                ip: esp4(e.nif.ip_addr.u_addr.ip4),
                netmask: esp4(e.nif.netmask.u_addr.ip4),
                gw: esp4(e.nif.gw.u_addr.ip4),
            }
        }
    })
}
same_signature!(esp_netif_get_ip_info(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_set_ip_info(esp: *mut esp_netif_t, info: *const esp_netif_ip_info_t) -> esp_err_t {
    // SAFETY: NULL or the caller's address.
    let (Some(e), Some(info)) = (live(esp), unsafe { info.as_ref() }) else { return c::ESP_ERR_INVALID_STATE };
    if e.flags & c::ESP_NETIF_DHCP_CLIENT != 0 && e.dhcpc != c::ESP_NETIF_DHCP_STOPPED {
        return c::ESP_ERR_ESP_NETIF_DHCP_NOT_STOPPED;
    }
    e.ip_info = *info;
    if is_up(e) {
        set_addr(e, info);
        if e.flags & abi::ESP_NETIF_FLAG_EVENT_IP_MODIFIED as u32 != 0 && info.ip.addr != 0 {
            post_got_ip(e);
        }
    }
    c::ESP_OK
}
same_signature!(esp_netif_set_ip_info(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_old_ip_info(esp: *mut esp_netif_t, info: *mut esp_netif_ip_info_t) -> esp_err_t {
    get(esp, info, c::ESP_ERR_INVALID_ARG, |e| e.old_ip_info)
}
same_signature!(esp_netif_get_old_ip_info(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_set_old_ip_info(esp: *mut esp_netif_t, info: *const esp_netif_ip_info_t) -> esp_err_t {
    // SAFETY: NULL or the caller's address.
    let (Some(e), Some(info)) = (live(esp), unsafe { info.as_ref() }) else { return c::ESP_ERR_INVALID_ARG };
    e.old_ip_info = *info;
    c::ESP_OK
}
same_signature!(esp_netif_set_old_ip_info(_, _));

/// Valid when neither the address nor the netmask is zero (ESP-IDF's test).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_is_valid_static_ip(info: *mut esp_netif_ip_info_t) -> bool {
    // SAFETY: NULL or the caller's address.
    unsafe { info.as_ref() }.is_some_and(|i| i.ip.addr != 0 && i.netmask.addr != 0)
}
same_signature!(esp_netif_is_valid_static_ip(_));

fn start_dhcp(e: &mut EspNetif) -> bool {
    // The addresses are zero until the lease.
    set_addr(e, &esp_netif_ip_info_t::default());
    let key = crate::core::NetifKey(&mut e.nif);
    crate::core::with(|inner| inner.dhcp_start(key)).unwrap_or(false)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_dhcpc_start(esp: *mut esp_netif_t) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_INVALID_ARG };
    if e.dhcpc == c::ESP_NETIF_DHCP_STARTED {
        return c::ESP_ERR_ESP_NETIF_DHCP_ALREADY_STARTED;
    }
    e.ip_info = esp_netif_ip_info_t::default();
    #[cfg(lwip = "dns")]
    clear_dns_servers();
    if !is_up(e) {
        // Not up yet: started by esp_netif_action_connected once it is, as in ESP-IDF.
        e.dhcpc = c::ESP_NETIF_DHCP_INIT;
        return c::ESP_OK;
    }
    if !start_dhcp(e) {
        return c::ESP_ERR_ESP_NETIF_DHCPC_START_FAILED;
    }
    e.dhcpc = c::ESP_NETIF_DHCP_STARTED;
    c::ESP_OK
}
same_signature!(esp_netif_dhcpc_start(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_dhcpc_stop(esp: *mut esp_netif_t) -> esp_err_t {
    let Some(e) = live(esp) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
    if e.dhcpc == c::ESP_NETIF_DHCP_STOPPED {
        return c::ESP_ERR_ESP_NETIF_DHCP_ALREADY_STOPPED;
    }
    if e.dhcpc == c::ESP_NETIF_DHCP_STARTED {
        if !e.added {
            return c::ESP_ERR_ESP_NETIF_IF_NOT_READY;
        }
        let key = crate::core::NetifKey(&mut e.nif);
        let _ = crate::core::with(|inner| inner.dhcp_stop(key));
        e.ip_info = esp_netif_ip_info_t::default();
    }
    e.dhcpc = c::ESP_NETIF_DHCP_STOPPED;
    c::ESP_OK
}
same_signature!(esp_netif_dhcpc_stop(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_dhcpc_get_status(
    esp: *mut esp_netif_t,
    status: *mut abi::esp_netif_dhcp_status_t,
) -> esp_err_t {
    get(esp, status, c::ESP_ERR_ESP_NETIF_INVALID_PARAMS, |e| e.dhcpc as abi::esp_netif_dhcp_status_t)
}
same_signature!(esp_netif_dhcpc_get_status(_, _));

/// What a call the stack does not support answers for a valid interface.
fn unsupported(esp: *mut esp_netif_t, err: esp_err_t) -> esp_err_t {
    if live(esp).is_none() { c::ESP_ERR_ESP_NETIF_INVALID_PARAMS } else { err }
}

/// DHCP client options are not supported (COMPATIBILITY.md).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_dhcpc_option(
    esp: *mut esp_netif_t,
    _op: abi::esp_netif_dhcp_option_mode_t,
    _id: abi::esp_netif_dhcp_option_id_t,
    _val: *mut c_void,
    _len: u32,
) -> esp_err_t {
    unsupported(esp, c::ESP_ERR_NOT_SUPPORTED)
}
same_signature!(esp_netif_dhcpc_option(_, _, _, _, _));

/// There is no DHCP server (COMPATIBILITY.md): it is reported stopped and cannot start.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_dhcps_start(esp: *mut esp_netif_t) -> esp_err_t {
    unsupported(esp, c::ESP_ERR_NOT_SUPPORTED)
}
same_signature!(esp_netif_dhcps_start(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_dhcps_stop(esp: *mut esp_netif_t) -> esp_err_t {
    unsupported(esp, c::ESP_ERR_ESP_NETIF_DHCP_ALREADY_STOPPED)
}
same_signature!(esp_netif_dhcps_stop(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_dhcps_get_status(
    esp: *mut esp_netif_t,
    status: *mut abi::esp_netif_dhcp_status_t,
) -> esp_err_t {
    get(esp, status, c::ESP_ERR_ESP_NETIF_INVALID_PARAMS, |_| c::ESP_NETIF_DHCP_STOPPED as abi::esp_netif_dhcp_status_t)
}
same_signature!(esp_netif_dhcps_get_status(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_dhcps_option(
    esp: *mut esp_netif_t,
    _op: abi::esp_netif_dhcp_option_mode_t,
    _id: abi::esp_netif_dhcp_option_id_t,
    _val: *mut c_void,
    _len: u32,
) -> esp_err_t {
    unsupported(esp, c::ESP_ERR_NOT_SUPPORTED)
}
same_signature!(esp_netif_dhcps_option(_, _, _, _, _));

/// The DHCP client of `nif` got (or lost) a lease: record it and post the interface's
/// GOT_IP (or LOST_IP) event, as ESP-IDF's DHCP callback does.
pub fn lease_changed(nif: *mut netif, lease: &crate::core::dhcp::Lease) {
    // SAFETY: forwarding a netif pointer.
    let esp = unsafe { esp_netif_get_handle_from_netif_impl(nif.cast()) };
    let Some(e) = live(esp) else { return };
    if lease.addr != [0; 4] {
        let info = esp_netif_ip_info_t {
            ip: esp_ip4_addr_t { addr: u32::from_ne_bytes(lease.addr) },
            netmask: esp_ip4_addr_t { addr: u32::from_ne_bytes(lease.mask) },
            gw: esp_ip4_addr_t { addr: u32::from_ne_bytes(lease.gw) },
        };
        if !same_info(&info, &e.ip_info) {
            e.ip_info = info;
            post_got_ip(e);
        }
    } else if e.ip_info.ip.addr != 0 {
        post_lost_ip(e);
        e.ip_info = esp_netif_ip_info_t::default();
    }
}

// ---- DNS ---------------------------------------------------------------------------------

#[cfg(lwip = "dns")]
fn clear_dns_servers() {
    // The fallback server is kept, as in ESP-IDF.
    for i in 0..(c::DNS_MAX_SERVERS as u8) {
        if u32::from(i) != c::ESP_NETIF_DNS_FALLBACK {
            // SAFETY: NULL clears the slot.
            unsafe { crate::dns::dns_setserver(i, core::ptr::null()) };
        }
    }
}

/// The checks both DNS calls make (a live interface, a server record, a valid slot), then
/// `f` on the slot, where the profile has DNS. DNS servers are global, as in lwIP (ESP-IDF's
/// default): `esp_netif` is only checked.
fn dns_slot(
    esp: *mut esp_netif_t,
    which: abi::esp_netif_dns_type_t,
    dns: *mut esp_netif_dns_info_t,
    f: impl FnOnce(u8, &mut esp_netif_dns_info_t) -> esp_err_t,
) -> esp_err_t {
    // SAFETY: NULL or the caller's record.
    let (Some(_), Some(dns)) = (live(esp), unsafe { dns.as_mut() }) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
    if which as u32 >= c::ESP_NETIF_DNS_MAX {
        return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    if cfg!(lwip = "dns") { f(which as u8, dns) } else { c::ESP_ERR_NOT_SUPPORTED }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_set_dns_info(
    esp: *mut esp_netif_t,
    which: abi::esp_netif_dns_type_t,
    dns: *mut esp_netif_dns_info_t,
) -> esp_err_t {
    dns_slot(esp, which, dns, |_slot, _dns| {
        #[cfg(lwip = "dns")]
        {
            let Some(addr) = esp_to_ip(&_dns.ip) else { return c::ESP_ERR_ESP_NETIF_INVALID_PARAMS };
            // SAFETY: a valid address.
            unsafe { crate::dns::dns_setserver(_slot, &addr) };
        }
        c::ESP_OK
    })
}
same_signature!(esp_netif_set_dns_info(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_get_dns_info(
    esp: *mut esp_netif_t,
    which: abi::esp_netif_dns_type_t,
    dns: *mut esp_netif_dns_info_t,
) -> esp_err_t {
    dns_slot(esp, which, dns, |_slot, _dns| {
        #[cfg(lwip = "dns")]
        {
            // SAFETY: the stack's own server table.
            let server = unsafe { crate::dns::dns_getserver(_slot).as_ref() };
            _dns.ip = server.map(ip_to_esp).unwrap_or_default();
        }
        c::ESP_OK
    })
}
same_signature!(esp_netif_get_dns_info(_, _, _));

/// esp_ip_addr_t has lwIP's ip_addr_t layout by design; converted field by field anyway.
#[cfg(lwip = "dns")]
fn esp_to_ip(a: &abi::esp_ip_addr_t) -> Option<abi::ip_addr_t> {
    use smoltcp::wire::IpAddress;
    // SAFETY: reading the union member the type tag names.
    let addr: IpAddress = unsafe {
        match a.type_ {
            t if t == c::ESP_IPADDR_TYPE_V4 => smoltcp::wire::Ipv4Address::from(a.u_addr.ip4.addr.to_ne_bytes()).into(),
            #[cfg(lwip = "ipv6")]
            t if t == c::ESP_IPADDR_TYPE_V6 => crate::addr::ip6_addr_to_smol(&crate::addr::ip6_addr_from_words(a.u_addr.ip6.addr)).into(),
            _ => return None,
        }
    };
    Some(crate::addr::ip_addr_from_smol(addr))
}

#[cfg(lwip = "dns")]
fn ip_to_esp(a: &abi::ip_addr_t) -> abi::esp_ip_addr_t {
    use smoltcp::wire::IpAddress;
    let mut out = abi::esp_ip_addr_t::default();
    match crate::addr::ip_addr_to_smol(a) {
        Some(IpAddress::Ipv4(v4)) => {
            out.type_ = c::ESP_IPADDR_TYPE_V4;
            out.u_addr.ip4 = esp_ip4_addr_t { addr: u32::from_ne_bytes(v4.octets()) };
        }
        #[cfg(lwip = "ipv6")]
        Some(IpAddress::Ipv6(v6)) => {
            out.type_ = c::ESP_IPADDR_TYPE_V6;
            out.u_addr.ip6 = esp_ip6_addr_t { addr: crate::addr::ip6_addr_from_smol(v6).addr, zone: 0 };
        }
        _ => {}
    }
    out
}

// ---- IPv6 --------------------------------------------------------------------------------

#[cfg(lwip = "ipv6")]
mod ip6;
pub use ip6::address_ready;

// ---- helpers -----------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_set_ip4_addr(addr: *mut esp_ip4_addr_t, a: u8, b: u8, c_: u8, d: u8) {
    // SAFETY: NULL or the caller's address.
    if let Some(addr) = unsafe { addr.as_mut() } {
        addr.addr = u32::from_ne_bytes([a, b, c_, d]);
    }
}
same_signature!(esp_netif_set_ip4_addr(_, _, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_ip4addr_ntoa(addr: *const esp_ip4_addr_t, buf: *mut c_char, buflen: c_int) -> *mut c_char {
    // SAFETY: NULL or the caller's address.
    let Some(addr) = (unsafe { addr.as_ref() }) else { return core::ptr::null_mut() };
    let a = ip4(*addr);
    // SAFETY: lwIP's own formatter with the caller's buffer.
    unsafe { crate::addr::ip4addr_ntoa_r(&a, buf, buflen) }
}
same_signature!(esp_ip4addr_ntoa(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_ip4addr_aton(addr: *const c_char) -> u32 {
    // SAFETY: lwIP's own parser (NULL gives IPADDR_NONE).
    unsafe { crate::addr::ipaddr_addr(addr) }
}
same_signature!(esp_ip4addr_aton(_));

/// Run `fn(ctx)` in the stack's context: with the core lock held, in the caller's thread
/// (core locking), as ESP-IDF does with LWIP_TCPIP_CORE_LOCKING.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esp_netif_tcpip_exec(f: abi::esp_netif_callback_fn, ctx: *mut c_void) -> esp_err_t {
    let Some(f) = f else { return c::ESP_ERR_INVALID_ARG };
    let s = crate::core::stack();
    s.core.lock();
    // SAFETY: the caller's function and context.
    let ret = unsafe { f(ctx) };
    s.core.unlock();
    ret
}
same_signature!(esp_netif_tcpip_exec(_, _));
