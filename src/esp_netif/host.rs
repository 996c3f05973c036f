//! What ESP-IDF's own esp_netif files provide in custom mode, for host builds against
//! smolwip's host headers (on target these come from ESP-IDF and are not defined here):
//! the `IP_EVENT` base, the Ethernet default configuration, and event posting into an
//! application-defined `esp_event_post`, if the program has one.

use core::ffi::{c_char, c_void};

use crate::abi::{self, c};

/// An `esp_event_base_t` (a `const char *`) as an exported constant.
#[repr(transparent)]
pub struct EventBase(*const c_char);
// SAFETY: points to a static string.
unsafe impl Sync for EventBase {}

#[unsafe(no_mangle)]
pub static IP_EVENT: EventBase = EventBase(c"IP_EVENT".as_ptr());

/// An immutable configuration with pointers to static strings.
#[repr(transparent)]
pub struct Inherent(abi::esp_netif_inherent_config_t);
// SAFETY: never written; its pointers are to static strings.
unsafe impl Sync for Inherent {}

/// ESP_NETIF_INHERENT_DEFAULT_ETH(): DHCP client, gratuitous ARP, IP-modified events, and
/// IPv6 autoconfiguration where the profile has it (ESP-IDF: CONFIG_LWIP_IPV6_AUTOCONFIG).
#[unsafe(no_mangle)]
pub static _g_esp_netif_inherent_eth_config: Inherent = Inherent(abi::esp_netif_inherent_config_t {
    flags: (c::ESP_NETIF_DHCP_CLIENT
        | abi::ESP_NETIF_FLAG_GARP as u32
        | abi::ESP_NETIF_FLAG_EVENT_IP_MODIFIED as u32
        | if cfg!(lwip = "ipv6_autoconfig") { c::ESP_NETIF_FLAG_IPV6_AUTOCONFIG_ENABLED } else { 0 })
        as abi::esp_netif_flags_t,
    mac: [0; 6],
    ip_info: core::ptr::null(),
    get_ip_event: abi::IP_EVENT_ETH_GOT_IP as u32,
    lost_ip_event: abi::IP_EVENT_ETH_LOST_IP as u32,
    if_key: c"ETH_DEF".as_ptr(),
    if_desc: c"eth".as_ptr(),
    route_prio: 50,
    bridge_info: core::ptr::null_mut(),
});

#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
type PostFn = unsafe extern "C" fn(abi::esp_event_base_t, i32, *const c_void, usize, u32) -> abi::esp_err_t;

// A weak reference to the application's esp_event_post: NULL when the program has none
// (a host has no event loop of its own), so no event is posted then.
#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
core::arch::global_asm!(
    ".pushsection .data.rel.ro.smolwip_esp_event_post,\"aw\",%progbits",
    ".balign 8",
    ".globl smolwip_esp_event_post_ref",
    ".hidden smolwip_esp_event_post_ref",
    "smolwip_esp_event_post_ref:",
    ".quad esp_event_post",
    ".weak esp_event_post",
    ".popsection",
);

#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
unsafe extern "C" {
    static smolwip_esp_event_post_ref: Option<PostFn>;
}

pub fn post(id: i32, data: *const c_void, size: usize) {
    #[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
    // SAFETY: the weak reference is NULL or the application's esp_event_post.
    unsafe {
        if let Some(f) = smolwip_esp_event_post_ref {
            f(IP_EVENT.0, id, data, size, 0);
        }
    }
    #[cfg(not(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))))]
    let _ = (id, data, size);
}
