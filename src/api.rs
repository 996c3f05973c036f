//! The project's own C API (`smolwip_*`): version, ABI self-description, diagnostics.
//!
//! cbindgen turns this file into `include/smolwip.h`; keep it self-contained (no types from
//! other modules in signatures) so the header stays standalone.

use core::ffi::{c_char, c_void, CStr};

/// One layout item: the size/alignment of a type (`field` is NULL) or the offset/size of
/// one of its fields, as the library (bindgen's Rust types) sees it.
#[repr(C)]
pub struct AbiLayout {
    /// Type name as the library names it (`netconn`, `ip_addr_t`, `sockaddr_in`...).
    pub type_name: *const c_char,
    /// Field name, or NULL for the whole type.
    pub field: *const c_char,
    /// Offset of the field in bytes (0 for a type).
    pub offset: usize,
    /// Size of the type or field in bytes.
    pub size: usize,
    /// Alignment of the type (0 for a field).
    pub align: usize,
}

/// One integer constant of the profile (err_t, errno, socket option, ...) as the library uses it.
#[repr(C)]
pub struct AbiConstant {
    /// The C macro or enumerator name.
    pub name: *const c_char,
    /// Its value.
    pub value: i64,
}

// SAFETY: the tables hold pointers to static C strings only; they are never written.
unsafe impl Sync for AbiLayout {}
// SAFETY: as above.
unsafe impl Sync for AbiConstant {}

const VERSION: &CStr = c"0.1.0";
const _: () = assert!(matches!(VERSION.to_bytes(), b"0.1.0"), "keep in sync with Cargo.toml");

/// The library version, e.g. "0.1.0".
#[unsafe(no_mangle)]
pub extern "C" fn smolwip_version() -> *const c_char {
    VERSION.as_ptr()
}

/// The name of the ABI profile the library was built for ("debian", "native", "esp-idf"...).
#[unsafe(no_mangle)]
pub extern "C" fn smolwip_abi_profile() -> *const c_char {
    crate::abi::profile::PROFILE.as_ptr()
}

/// For a VFS layer that runs one `select()` over sockets and other files (ESP-IDF's
/// `get_socket_select_semaphore`): the calling thread's select token. Call it from the
/// thread that will call `lwip_select` (NULL from inside the stack: a callback cannot select).
#[unsafe(no_mangle)]
pub extern "C" fn smolwip_select_token() -> *mut c_void {
    crate::core::with(|inner| crate::sockets::poll::select_token(inner).cast::<c_void>().cast_mut())
        .unwrap_or(core::ptr::null_mut())
}

/// End the select of `token`'s thread (ESP-IDF's `stop_socket_select`): its `lwip_select`
/// returns 0 now, or its next one returns 0 at once if it is not waiting. `token` must come
/// from `smolwip_select_token` (NULL is ignored). From any task, a netconn callback
/// included; not from an interrupt (defer that to a task).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smolwip_select_stop(token: *mut c_void) {
    // SAFETY: NULL or a token of smolwip_select_token, which live as long as the program.
    if let Some(t) = unsafe { token.cast::<crate::sockets::poll::SelectToken>().as_ref() } {
        crate::sockets::poll::select_stop(t);
    }
}

/// The library's view of every lwIP layout it relies on. Stores the number of entries in
/// `*count` (if `count` is not NULL) and returns the first entry.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smolwip_abi_layouts(count: *mut usize) -> *const AbiLayout {
    let table = crate::abi::LAYOUTS;
    if !count.is_null() {
        // SAFETY: the caller passes a valid pointer or NULL (checked above).
        unsafe { *count = table.len() };
    }
    table.as_ptr()
}

/// The library's view of every lwIP constant it relies on. Stores the number of entries in
/// `*count` (if `count` is not NULL) and returns the first entry.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smolwip_abi_constants(count: *mut usize) -> *const AbiConstant {
    let table = crate::abi::CONSTANTS;
    if !count.is_null() {
        // SAFETY: the caller passes a valid pointer or NULL (checked above).
        unsafe { *count = table.len() };
    }
    table.as_ptr()
}

/// Counters of one network interface (see `smolwip_stats_netif`).
#[repr(C)]
#[derive(Default)]
pub struct SmolwipNetifStats {
    /// lwIP name and number, e.g. "tp0" ("lo" is the internal loopback), NUL-terminated.
    pub name: [c_char; 8],
    pub rx_frames: u64,
    pub rx_bytes: u64,
    /// Frames received while the interface was down.
    pub rx_dropped: u64,
    pub tx_frames: u64,
    pub tx_bytes: u64,
    /// Frames the driver refused or that could not be allocated.
    pub tx_dropped: u64,
}

/// Packets per protocol, all interfaces; `[0]` received, `[1]` sent.
#[repr(C)]
#[derive(Default)]
pub struct SmolwipProtoStats {
    pub arp: [u64; 2],
    pub ipv4: [u64; 2],
    pub ipv6: [u64; 2],
    pub icmp: [u64; 2],
    pub icmpv6: [u64; 2],
    pub igmp: [u64; 2],
    pub tcp: [u64; 2],
    pub udp: [u64; 2],
    /// Frames dropped because the stack's receive queue was full.
    pub rx_queue_dropped: u64,
}

/// Fill `*out` with the counters of interface number `index` (0, 1, ... in the order the
/// stack knows them). Returns false (and leaves `*out` alone) when there is no such
/// interface or `out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smolwip_stats_netif(index: usize, out: *mut SmolwipNetifStats) -> bool {
    // SAFETY: NULL checked; the caller provides a writable struct.
    let Some(out) = (unsafe { out.as_mut() }) else { return false };
    let Some(all) = crate::core::observe::snapshot() else { return false };
    let Some(n) = all.get(index) else { return false };
    for (d, s) in out.name.iter_mut().zip(n.name.iter()) {
        *d = *s as c_char;
    }
    let s = n.stats;
    (out.rx_frames, out.rx_bytes, out.rx_dropped) = (s.rx_frames, s.rx_bytes, s.rx_dropped);
    (out.tx_frames, out.tx_bytes, out.tx_dropped) = (s.tx_frames, s.tx_bytes, s.tx_dropped);
    true
}

/// Fill `*out` with the per-protocol counters. Returns false when `out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smolwip_stats_protocols(out: *mut SmolwipProtoStats) -> bool {
    // SAFETY: NULL checked; the caller provides a writable struct.
    let Some(out) = (unsafe { out.as_mut() }) else { return false };
    let p = crate::core::observe::proto_stats();
    (out.arp, out.ipv4, out.ipv6, out.icmp) = (p.arp, p.ipv4, p.ipv6, p.icmp);
    (out.icmpv6, out.igmp, out.tcp, out.udp) = (p.icmpv6, p.igmp, p.tcp, p.udp);
    out.rx_queue_dropped = crate::core::stack().rx_dropped();
    true
}

/// Print every counter to stderr (what `SMOLWIP_STATS=1` prints at exit). Host builds only;
/// elsewhere it prints nothing.
#[unsafe(no_mangle)]
pub extern "C" fn smolwip_stats_dump() {
    crate::core::observe::dump();
}

#[cfg(test)]
mod tests {
    /// `include/smolwip.h` is checked in; it must be what cbindgen makes of this file.
    /// `make header` (SMOLWIP_BLESS=1) rewrites it.
    #[test]
    fn header_is_fresh() {
        let generated = include_str!(concat!(env!("OUT_DIR"), "/smolwip.h"));
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/smolwip.h");
        if std::env::var_os("SMOLWIP_BLESS").is_some() {
            std::fs::write(path, generated).expect("write include/smolwip.h");
            return;
        }
        let checked_in = std::fs::read_to_string(path).unwrap_or_default();
        assert!(checked_in == generated, "include/smolwip.h is stale: run `make header`");
    }

    #[test]
    fn tables_describe_the_profile() {
        let (mut nl, mut nc) = (0usize, 0usize);
        // SAFETY: valid out-pointers.
        let layouts = unsafe { super::smolwip_abi_layouts(&mut nl) };
        let consts = unsafe { super::smolwip_abi_constants(&mut nc) };
        assert!(!layouts.is_null() && nl > 50, "layout table too small: {nl}");
        assert!(!consts.is_null() && nc > 100, "constant table too small: {nc}");
        // err_t values are negative and ERR_OK is zero in every lwIP 2.x profile.
        assert_eq!(crate::abi::c::ERR_OK, 0);
        assert!(crate::abi::c::ERR_ARG < crate::abi::c::ERR_MEM);
    }
}
