//! lwIP's heap API (lwip/mem.h) over the C heap, as lwIP itself does with MEM_LIBC_MALLOC
//! (every supported profile's choice, and what ESP-IDF uses).

use alloc::vec::Vec;
use core::ffi::c_void;

use crate::abi::mem_size_t;

#[unsafe(no_mangle)]
pub extern "C" fn mem_init() {}
same_signature!(mem_init());

#[unsafe(no_mangle)]
pub extern "C" fn mem_malloc(size: mem_size_t) -> *mut c_void {
    // SAFETY: plain C allocation.
    unsafe { crate::sys::clib::malloc(size as usize) }
}
same_signature!(mem_malloc(_));

#[unsafe(no_mangle)]
pub extern "C" fn mem_calloc(count: mem_size_t, size: mem_size_t) -> *mut c_void {
    // SAFETY: plain C allocation (calloc checks the multiplication).
    unsafe { crate::sys::clib::calloc(count as usize, size as usize) }
}
same_signature!(mem_calloc(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn mem_free(mem: *mut c_void) {
    // SAFETY: NULL or a block from mem_malloc/mem_calloc (lwIP's contract).
    unsafe { crate::sys::clib::free(mem) }
}
same_signature!(mem_free(_));

/// Shrinking keeps the block where it is (lwIP's MEM_LIBC_MALLOC mem_trim does the same).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mem_trim(mem: *mut c_void, _size: mem_size_t) -> *mut c_void {
    mem
}
same_signature!(mem_trim(_, _));

/// A zeroed buffer of `len` bytes, or None when the heap cannot give it.
///
/// For the buffers the profile sizes (a TCP socket's window and send buffer, a datagram
/// socket's staging space): they are the allocations that fail first when memory runs
/// short, and they fail as lwIP's allocations do, with ERR_MEM for the caller, instead of
/// ending the program as Rust's infallible allocation would.
pub fn try_zeroed(len: usize) -> Option<Vec<u8>> {
    if len == 0 {
        return Some(Vec::new());
    }
    let layout = core::alloc::Layout::array::<u8>(len).ok()?;
    // SAFETY: a non-zero-sized layout.
    let p = unsafe { alloc::alloc::alloc_zeroed(layout) };
    if p.is_null() {
        return None;
    }
    // SAFETY: p is a fresh global-allocator block of exactly `len` initialised (zero) bytes
    // with u8's layout, which is what Vec<u8> with capacity `len` owns.
    Some(unsafe { Vec::from_raw_parts(p, len, len) })
}

#[cfg(test)]
mod tests {
    #[test]
    fn try_zeroed_gives_zeroed_buffers_or_none() {
        assert_eq!(super::try_zeroed(0), Some(alloc::vec::Vec::new()));
        let v = super::try_zeroed(70_000).expect("70 kB fit");
        assert_eq!(v.len(), 70_000);
        assert!(v.iter().all(|&b| b == 0));
        assert_eq!(super::try_zeroed(usize::MAX), None);
    }
}
