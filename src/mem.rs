//! lwIP's heap API (lwip/mem.h) over the C heap, as lwIP itself does with MEM_LIBC_MALLOC
//! (every supported profile's choice, and what ESP-IDF uses).

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
