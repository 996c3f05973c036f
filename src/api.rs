//! The project's own C API (`smolwip_*`): version, ABI self-description, diagnostics.
//!
//! cbindgen turns this file into `include/smolwip.h`; keep it self-contained (no types from
//! other modules in signatures) so the header stays standalone.

use core::ffi::{c_char, CStr};

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
