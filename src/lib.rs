//! smolwip: a linker-level drop-in replacement for lwIP, built on smoltcp.
//!
//! The crate builds `liblwip.a` / `liblwip.so.0`, exporting lwIP's public C surface with the
//! ABI of the lwIP headers the caller compiles with (an *ABI profile*, see `build.rs`).
//!
//! Module map (every exported symbol lives in exactly one API module):
//! - [`abi`]: bindgen's view of the profile's headers, typed constants, layout tables.
//! - [`api`]: the project's own C API (`smolwip_*`), described by `include/smolwip.h`.
//! - [`ffi`]: boundary helpers: signature checks, errno, panic policy, `no_std` allocator.
//! - [`addr`]: address helpers (`ipaddr_*`, `ip4addr_*`, `ip6addr_*`, `lwip_htons`...).
//! - [`pbuf`]: the pbuf API.
//! - [`core`]: the engine: smoltcp interfaces and socket sets, the tcpip thread's loop.
//! - [`netif`]: the netif API, Ethernet entry points, the TAP driver.
//! - [`sys`]: lwIP's sys API over the OS layer (`sys::os`: pthreads, clock).
//! - [`tcpip`]: `tcpip_init`, `tcpip_input`, callbacks.
//!
//! The core is `no_std` + `alloc`; host-only parts sit behind the `std` feature.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc;

// First: its macros are used by the modules below.
#[macro_use]
pub mod ffi;

pub mod abi;
pub mod addr;
pub mod api;
pub mod conn;
pub mod core;
#[cfg(lwip = "dns")]
pub mod dns;
#[cfg(all(lwip = "smolwip_esp_netif", lwip = "ipv4"))]
pub mod esp_netif;
pub mod mem;
pub mod netconn;
pub mod netif;
pub mod pbuf;
pub mod sockets;
pub mod sys;
pub mod tcpip;
