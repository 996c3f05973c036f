//! The lwIP ABI of the active profile, generated at build time.
//!
//! `bindings.rs` is bindgen's output for `include/smolwip_abi.h`; `abi_items.rs` holds the
//! typed constants (`abi::c`), the layout/constant tables exported for the C-side check,
//! and compile-time asserts that bindgen's structs match clang's layout. Nothing here is
//! typed by hand: see `include/smolwip_abi_items.h` for the list of items.
#![allow(non_camel_case_types, non_snake_case, non_upper_case_globals, dead_code, clippy::all)]
// bindgen's helpers for flexible array members (ESP-IDF v6 headers have some) predate the lint.
#![allow(unsafe_op_in_unsafe_fn)]

use crate::api::{AbiConstant, AbiLayout};

/// Size of a struct field, usable in const context.
macro_rules! field_size {
    ($ty:ty, $field:ident) => {{
        const fn size_of_pointee<F>(_: *const F) -> usize {
            core::mem::size_of::<F>()
        }
        let value = core::mem::MaybeUninit::<$ty>::uninit();
        // SAFETY: only the address of the field is taken, nothing is read.
        size_of_pointee(unsafe { &raw const (*value.as_ptr()).$field })
    }};
}

include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
include!(concat!(env!("OUT_DIR"), "/abi_items.rs"));

/// The profile this library was built for.
pub mod profile {
    include!(concat!(env!("OUT_DIR"), "/profile.rs"));
}
