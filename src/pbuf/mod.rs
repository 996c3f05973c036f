//! pbuf API (lwip/pbuf.h): C-layout packet buffers, chains, reference counts, custom pbufs.
//!
//! Pbufs are lwIP's own `struct pbuf` (bindgen's layout), allocated here from the C heap and
//! handed to C as they are. lwIP 2.1.3's `pbuf.c` is the specification; deliberate
//! differences are listed in `COMPATIBILITY.md`.
//!
//! - [`layout`]: sizes and type bits from the profile's headers.
//! - `raw`: the one place that dereferences pbuf pointers ([`raw::Seg`]).
//! - `alloc`: heap blocks and the pool count; `chain`: shape and lifetime of chains;
//!   `data`: bytes, copies, search. These are safe code over `Seg`.
//! - `ffi`: the exported `pbuf_*` functions (re-exported here).
//!
//! Thread safety is lwIP's: reference counts change atomically (lwIP uses
//! `SYS_ARCH_PROTECT`), so `pbuf_ref` / `pbuf_free` of a shared pbuf may race; everything
//! else about a pbuf belongs to one thread at a time.
//!
//! Other modules use the exports or the helpers below.

mod alloc;
mod chain;
mod data;
mod ffi;
pub mod layout;
mod raw;

pub use alloc::{pool_in_use, pool_limit, set_pool_limit, DEFAULT_POOL_LIMIT};
pub use ffi::*;

use crate::abi::{self, pbuf, pbuf_layer, pbuf_type};
use layout::Kind;
use raw::Seg;

/// `pbuf_alloc`: NULL when the type is unknown or memory (or the pool) is exhausted.
pub fn alloc(layer: pbuf_layer, len: u16, ty: pbuf_type) -> *mut pbuf {
    Kind::from_type(ty)
        .and_then(|kind| alloc::alloc(layer as u16, len, kind))
        .map_or(core::ptr::null_mut(), Seg::as_ptr)
}

/// A `PBUF_RAM` pbuf of `len` bytes with no header room; NULL when out of memory.
pub fn alloc_ram(len: u16) -> *mut pbuf {
    alloc(abi::PBUF_RAW, len, abi::PBUF_RAM)
}

/// A `PBUF_RAM` copy of `data` with header room for `layer`; NULL when `data` is longer
/// than a pbuf can be (64 KiB - 1) or memory is short.
pub fn from_slice_at(layer: pbuf_layer, data: &[u8]) -> *mut pbuf {
    let Ok(len) = u16::try_from(data.len()) else { return core::ptr::null_mut() };
    let Some(seg) = alloc::alloc(layer as u16, len, Kind::Ram) else { return core::ptr::null_mut() };
    seg.write(0, data);
    seg.as_ptr()
}

/// A `PBUF_RAM` copy of `data` with no header room (see [`from_slice_at`]).
pub fn from_slice(data: &[u8]) -> *mut pbuf {
    from_slice_at(abi::PBUF_RAW, data)
}

/// Copy the packet's bytes into `out`, as many as fit. Returns the count.
///
/// # Safety
/// `p` is NULL or a live pbuf chain.
pub unsafe fn copy_out(p: *const pbuf, out: &mut [u8]) -> usize {
    // SAFETY: forwarded contract.
    unsafe { Seg::from_ptr(p) }.map_or(0, |p| data::copy_partial(p, out, 0))
}

/// The packet's length (`tot_len`), 0 for NULL.
///
/// # Safety
/// `p` is NULL or a live pbuf.
pub unsafe fn tot_len(p: *const pbuf) -> u16 {
    // SAFETY: forwarded contract.
    unsafe { Seg::from_ptr(p) }.map_or(0, Seg::tot_len)
}

/// The payload of each pbuf of the chain in turn, for gather-style output.
///
/// # Safety
/// `p` is NULL or a live pbuf chain that stays alive and unchanged for `'a`.
pub unsafe fn segments<'a>(p: *const pbuf) -> impl Iterator<Item = &'a [u8]> {
    // SAFETY: forwarded contract.
    let head = unsafe { Seg::from_ptr(p) };
    // SAFETY: forwarded contract.
    head.into_iter().flat_map(Seg::chain).map(|seg| unsafe { seg.payload_slice() })
}

/// Drop a reference (`pbuf_free`). Returns how many pbufs were released.
///
/// # Safety
/// `p` is NULL or a live pbuf chain the caller holds a reference to.
pub unsafe fn free(p: *mut pbuf) -> u8 {
    // SAFETY: forwarded contract.
    unsafe { Seg::from_ptr(p) }.map_or(0, chain::free)
}

#[cfg(test)]
mod tests;
