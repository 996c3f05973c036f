//! Boundary helpers shared by every export.
//!
//! Panic policy: the library is built with `panic = "abort"`, so a bug can never unwind
//! into C; user-reachable paths return lwIP errors instead of panicking. In `no_std` builds
//! this module also supplies the panic handler and a global allocator over the C heap
//! (`malloc`/`free`, which is what lwIP's `MEM_LIBC_MALLOC` and ESP-IDF use too).

#[cfg(not(feature = "std"))]
mod no_std_runtime {
    use core::alloc::{GlobalAlloc, Layout};

    struct CHeap;

    // SAFETY: delegates to the C allocator, honouring alignment with posix_memalign-like
    // behaviour through aligned_alloc when the alignment exceeds malloc's guarantee.
    unsafe impl GlobalAlloc for CHeap {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            const MALLOC_ALIGN: usize = 2 * core::mem::size_of::<usize>();
            if layout.align() <= MALLOC_ALIGN {
                // SAFETY: plain C allocation.
                unsafe { libc::malloc(layout.size()) as *mut u8 }
            } else {
                let size = layout.size().next_multiple_of(layout.align());
                // SAFETY: alignment is a power of two and size a multiple of it.
                unsafe { libc::aligned_alloc(layout.align(), size) as *mut u8 }
            }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
            // SAFETY: ptr came from malloc/aligned_alloc above.
            unsafe { libc::free(ptr as *mut libc::c_void) }
        }
    }

    #[global_allocator]
    static HEAP: CHeap = CHeap;

    #[panic_handler]
    fn panic(_info: &core::panic::PanicInfo) -> ! {
        // SAFETY: abort never returns and is async-signal-safe.
        unsafe { libc::abort() }
    }
}
