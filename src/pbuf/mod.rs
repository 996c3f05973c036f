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

/// One reference to a pbuf chain, released on drop: how the connection engine holds the
/// datagrams it queues and the buffers it hands to callers, without raw pointers.
pub struct Owned(Seg);

// SAFETY: a pbuf reference may move between threads (lwIP hands pbufs across threads);
// reference counts are atomic.
unsafe impl Send for Owned {}

impl Owned {
    /// A `PBUF_RAM` copy of `data` with header room for `layer`; None when memory is short
    /// or `data` is longer than a pbuf can be.
    pub fn copy_of(layer: pbuf_layer, data: &[u8]) -> Option<Owned> {
        let len = u16::try_from(data.len()).ok()?;
        let seg = alloc::alloc(layer as u16, len, Kind::Ram)?;
        seg.write(0, data);
        Some(Owned(seg))
    }

    /// A `PBUF_RAM` pbuf of `len` bytes (contents unset) with header room for `layer`.
    pub fn alloc(layer: pbuf_layer, len: usize) -> Option<Owned> {
        let len = u16::try_from(len).ok()?;
        alloc::alloc(layer as u16, len, Kind::Ram).map(Owned)
    }

    /// Copy `data` in at `offset` (within the packet). Returns the count copied.
    pub fn write(&self, offset: usize, data: &[u8]) -> usize {
        match u16::try_from(offset) {
            Ok(offset) if data::take_at(Some(self.0), data, offset).is_ok() => data.len(),
            _ => 0,
        }
    }

    /// Shrink the packet to `len` bytes (pbuf_realloc).
    pub fn truncate(&self, len: usize) {
        if let Ok(len) = u16::try_from(len) {
            if len < self.0.tot_len() {
                chain::realloc(self.0, len);
            }
        }
    }

    /// Take over the caller's reference to `p`.
    ///
    /// # Safety
    /// `p` is NULL or a live pbuf chain whose reference the caller hands over.
    pub unsafe fn from_raw(p: *mut pbuf) -> Option<Owned> {
        // SAFETY: forwarded contract.
        unsafe { Seg::from_ptr(p) }.map(Owned)
    }

    /// Hand the reference to C (the receiver frees it).
    pub fn into_raw(self) -> *mut pbuf {
        let p = self.0.as_ptr();
        core::mem::forget(self);
        p
    }

    pub fn as_ptr(&self) -> *mut pbuf {
        self.0.as_ptr()
    }

    /// `tot_len` of the chain.
    pub fn len(&self) -> usize {
        usize::from(self.0.tot_len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Copy bytes from `offset` into `out`, as many as fit. Returns the count.
    pub fn copy_to(&self, out: &mut [u8], offset: usize) -> usize {
        match u16::try_from(offset) {
            Ok(offset) => data::copy_partial(self.0, out, offset),
            Err(_) => 0,
        }
    }

    /// The payload of each pbuf of the chain in turn.
    pub fn segments(&self) -> impl Iterator<Item = &[u8]> {
        // SAFETY: we hold a reference, so the chain stays alive while `self` is borrowed.
        self.0.chain().map(|seg| unsafe { seg.payload_slice() })
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        chain::free(self.0);
    }
}

#[cfg(test)]
mod tests;
