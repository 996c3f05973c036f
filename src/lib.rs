//! smolwip: a linker-level drop-in replacement for lwIP, built on smoltcp.
//!
//! The crate builds `liblwip.a` / `liblwip.so.0`, exporting lwIP's public C surface with the
//! ABI of the lwIP headers the caller compiles with (an *ABI profile*, see `build.rs`).
//!
//! Module map (every exported symbol lives in exactly one API module):
//! - [`abi`]: bindgen's view of the profile's headers, typed constants, layout tables.
//! - [`api`]: the project's own C API (`smolwip_*`), described by `include/smolwip.h`.
//! - [`ffi`]: boundary helpers: panic policy, allocator for `no_std` builds.
//!
//! The core is `no_std` + `alloc`; host-only parts sit behind the `std` feature.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc;

pub mod abi;
pub mod api;
pub mod ffi;
