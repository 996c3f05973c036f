//! [`Seg`]: a handle on one `struct pbuf`, and the only code that dereferences pbuf pointers.
//!
//! A `Seg` is created from a C pointer once, at the boundary, under the caller's promise
//! that the pbuf (and every pbuf after it in the chain) is alive and that its payload holds
//! `len` bytes. Every access through it stays within `len` bytes of `payload`, and a NULL
//! payload reads as nothing and is never written, so the chain algorithms built on top are
//! plain safe code.
//!
//! Reference counts change atomically, whatever integer type the profile chose for
//! `LWIP_PBUF_REF_T`; lwIP protects the same updates with `SYS_ARCH_PROTECT`. Everything
//! else in a pbuf is, as in lwIP, owned by one thread at a time.

use core::ptr::{self, NonNull};
use crate::sys::atomic::{AtomicU16, AtomicU32, AtomicU8, Ordering};

use crate::abi::pbuf;

/// Read one field through the raw pointer. Fields are accessed one at a time, never through a
/// `&pbuf` covering the whole struct: another thread may be changing `ref` meanwhile.
macro_rules! get {
    ($seg:expr, $field:ident) => {
        // SAFETY: alive per the constructor's contract.
        unsafe { (*$seg.as_ptr()).$field }
    };
}

/// Write one field through the raw pointer (the calling thread owns the pbuf).
macro_rules! set {
    ($seg:expr, $field:ident, $value:expr) => {{
        let value = $value;
        // SAFETY: alive per the constructor's contract.
        unsafe { (*$seg.as_ptr()).$field = value }
    }};
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seg(NonNull<pbuf>);

impl Seg {
    /// # Safety
    /// `p` is NULL or points to a live pbuf whose payload (when not NULL) holds `len`
    /// readable and writable bytes; the same holds for every pbuf reachable through `next`,
    /// for as long as the returned handle or any handle derived from it is used.
    pub unsafe fn from_ptr(p: *const pbuf) -> Option<Seg> {
        NonNull::new(p as *mut pbuf).map(Seg)
    }

    /// Start using freshly allocated (or caller-provided) memory as a pbuf: sets every lwIP
    /// field; `LWIP_PBUF_CUSTOM_DATA` fields are left as they are.
    ///
    /// # Safety
    /// `p` is valid for writes of a `struct pbuf` and `payload` holds `len` bytes (or is NULL).
    pub unsafe fn init(
        p: NonNull<pbuf>,
        payload: *mut u8,
        tot_len: u16,
        len: u16,
        type_internal: u8,
        flags: u8,
    ) -> Seg {
        let raw = p.as_ptr();
        // SAFETY: the caller gives us a writable struct; fields are written, never read.
        unsafe {
            (&raw mut (*raw).next).write(ptr::null_mut());
            (&raw mut (*raw).payload).write(payload.cast());
            (&raw mut (*raw).tot_len).write(tot_len);
            (&raw mut (*raw).len).write(len);
            (&raw mut (*raw).type_internal).write(type_internal);
            (&raw mut (*raw).flags).write(flags);
            RefCount::set_one(&raw mut (*raw).ref_);
            (&raw mut (*raw).if_idx).write(crate::abi::c::NETIF_NO_INDEX);
        }
        Seg(p)
    }

    pub fn as_ptr(self) -> *mut pbuf {
        self.0.as_ptr()
    }

    pub fn next(self) -> Option<Seg> {
        NonNull::new(get!(self, next)).map(Seg)
    }

    pub fn set_next(self, next: Option<Seg>) {
        set!(self, next, next.map_or(ptr::null_mut(), Seg::as_ptr));
    }

    /// This pbuf and the ones after it.
    pub fn chain(self) -> impl Iterator<Item = Seg> {
        core::iter::successors(Some(self), |s| s.next())
    }

    /// The last pbuf of the chain.
    pub fn last(self) -> Seg {
        self.chain().last().unwrap_or(self)
    }

    pub fn len(self) -> u16 {
        get!(self, len)
    }

    pub fn set_len(self, len: u16) {
        set!(self, len, len);
    }

    pub fn tot_len(self) -> u16 {
        get!(self, tot_len)
    }

    pub fn set_tot_len(self, tot_len: u16) {
        set!(self, tot_len, tot_len);
    }

    pub fn type_internal(self) -> u8 {
        get!(self, type_internal)
    }

    pub fn flags(self) -> u8 {
        get!(self, flags)
    }

    #[cfg(all(lwip = "tcp", lwip = "tcp_queue_ooseq", lwip = "wnd_scale"))]
    pub fn set_flags(self, flags: u8) {
        set!(self, flags, flags);
    }

    /// Address of the pbuf itself (for the header-room bound).
    pub fn addr(self) -> usize {
        self.as_ptr() as usize
    }

    pub fn payload(self) -> *mut u8 {
        get!(self, payload).cast()
    }

    /// Move the payload pointer; callers keep `len` consistent with where it points.
    pub fn set_payload(self, payload: *mut u8) {
        set!(self, payload, payload.cast());
    }

    /// Add a reference; false (and no change) if the count is at its maximum.
    pub fn add_ref(self) -> bool {
        // SAFETY: the field of a live pbuf; it is only ever changed atomically.
        unsafe { RefCount::increment(&raw mut (*self.as_ptr()).ref_) }
    }

    /// Drop a reference: whether it was the last one, or None if the count was already 0.
    pub fn drop_ref(self) -> Option<bool> {
        // SAFETY: as in add_ref.
        unsafe { RefCount::decrement(&raw mut (*self.as_ptr()).ref_) }
    }

    /// The payload bytes (empty when the payload pointer is NULL).
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: the slice lives no longer than this handle's borrow.
        unsafe { self.payload_slice() }
    }

    /// The payload bytes, for as long as the caller needs them.
    ///
    /// # Safety
    /// The pbuf stays alive and its payload unchanged for `'a`.
    pub unsafe fn payload_slice<'a>(self) -> &'a [u8] {
        let payload = self.payload();
        if payload.is_null() {
            return &[];
        }
        // SAFETY: the payload holds len bytes per the constructor's contract.
        unsafe { core::slice::from_raw_parts(payload, usize::from(self.len())) }
    }

    /// The payload byte at `offset`, if there is one.
    pub fn byte(self, offset: usize) -> Option<u8> {
        self.bytes().get(offset).copied()
    }

    /// Copy from the payload at `offset` into `out`; as much as there is. Returns bytes copied.
    pub fn read(self, offset: usize, out: &mut [u8]) -> usize {
        let n = self.room(offset).min(out.len());
        if n > 0 {
            // SAFETY: offset + n <= len; `out` is a Rust slice, `copy` allows overlap.
            unsafe { ptr::copy(self.payload().add(offset), out.as_mut_ptr(), n) };
        }
        n
    }

    /// Copy from `data` into the payload at `offset`; as much as fits. Returns bytes copied.
    pub fn write(self, offset: usize, data: &[u8]) -> usize {
        let n = self.room(offset).min(data.len());
        if n > 0 {
            // SAFETY: offset + n <= len; `data` is a Rust slice, `copy` allows overlap.
            unsafe { ptr::copy(data.as_ptr(), self.payload().add(offset), n) };
        }
        n
    }

    /// Copy `n` bytes from `src`'s payload at `src_offset` into ours at `offset`, clamped to
    /// both payloads; overlapping regions (even the same pbuf) are fine. Returns bytes copied.
    pub fn copy_from(self, offset: usize, src: Seg, src_offset: usize, n: usize) -> usize {
        let n = n.min(self.room(offset)).min(src.room(src_offset));
        if n > 0 {
            // SAFETY: both ranges lie within their payloads (room checks both for NULL).
            unsafe { ptr::copy(src.payload().add(src_offset), self.payload().add(offset), n) };
        }
        n
    }

    pub fn set_byte(self, offset: usize, value: u8) {
        self.write(offset, &[value]);
    }

    /// Bytes of payload from `offset` to `len` (0 for a NULL payload).
    fn room(self, offset: usize) -> usize {
        if self.payload().is_null() {
            0
        } else {
            usize::from(self.len()).saturating_sub(offset)
        }
    }
}

/// Atomic updates of `struct pbuf`'s `ref` field, for any width of `LWIP_PBUF_REF_T`
/// (the field's type picks the implementation).
trait RefCount: Sized {
    unsafe fn set_one(field: *mut Self);
    unsafe fn increment(field: *mut Self) -> bool;
    unsafe fn decrement(field: *mut Self) -> Option<bool>;
}

macro_rules! ref_count {
    ($($int:ty => $atomic:ty),*) => {$(
        impl RefCount for $int {
            unsafe fn set_one(field: *mut Self) {
                // SAFETY: caller passes the aligned, live ref field.
                unsafe { <$atomic>::from_ptr(field) }.store(1, Ordering::Release);
            }
            unsafe fn increment(field: *mut Self) -> bool {
                // SAFETY: as above.
                let count = unsafe { <$atomic>::from_ptr(field) };
                count.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_add(1)).is_ok()
            }
            unsafe fn decrement(field: *mut Self) -> Option<bool> {
                // SAFETY: as above.
                let count = unsafe { <$atomic>::from_ptr(field) };
                let old = count.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
                old.ok().map(|n| n == 1)
            }
        }
    )*};
}

ref_count!(u8 => AtomicU8, u16 => AtomicU16, u32 => AtomicU32);
