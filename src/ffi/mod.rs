//! Boundary helpers shared by every export.
//!
//! - [`same_signature!`]: each export is checked at compile time against bindgen's
//!   declaration of the same function in the profile's headers.
//! - [`set_errno`]: the one place that writes the C `errno`.
//! - Panic policy: the library is built with `panic = "abort"`, so a bug can never unwind
//!   into C; user-reachable paths return lwIP errors instead of panicking. In `no_std` builds
//!   this module also supplies the panic handler and a global allocator over the C heap
//!   (`malloc`/`free`, which is what lwIP's `MEM_LIBC_MALLOC` and ESP-IDF use too).

/// Compile-time check that our export `$name` has exactly the signature bindgen found for
/// the declaration of `$name` in the profile's headers. List one `_` per parameter:
/// `same_signature!(pbuf_alloc(_, _, _));`
#[macro_export]
macro_rules! same_signature {
    ($name:ident ( $($arg:tt),* )) => {
        const _: () = {
            let _both: [unsafe extern "C" fn($($arg),*) -> _; 2] = [$crate::abi::$name, $name];
        };
    };
}

/// The value of environment variable `name` (hosted C libraries; None elsewhere).
pub fn getenv(name: &core::ffi::CStr) -> Option<&'static [u8]> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: getenv returns NULL or a NUL-terminated string that lives as long as the
        // environment is not modified, which the library never does.
        let v = unsafe { libc::getenv(name.as_ptr()) };
        if v.is_null() {
            return None;
        }
        // SAFETY: as above.
        Some(unsafe { core::ffi::CStr::from_ptr(v) }.to_bytes())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = name;
        None
    }
}

/// Write a diagnostic line to standard error (hosted builds; dropped elsewhere).
pub fn eprint(text: &str) {
    #[cfg(target_os = "linux")]
    // SAFETY: a valid buffer of text.len() bytes.
    unsafe {
        libc::write(2, text.as_ptr().cast(), text.len());
    }
    #[cfg(not(target_os = "linux"))]
    let _ = text;
}

/// Set the calling thread's C `errno`.
pub fn set_errno(value: core::ffi::c_int) {
    // SAFETY: the C library returns a valid pointer to this thread's errno.
    unsafe { *errno_location() = value };
}

/// The calling thread's C `errno`.
pub fn errno() -> core::ffi::c_int {
    // SAFETY: as in set_errno.
    unsafe { *errno_location() }
}

#[cfg(any(target_env = "gnu", target_env = "musl"))]
unsafe fn errno_location() -> *mut core::ffi::c_int {
    // SAFETY: plain libc call.
    unsafe { libc::__errno_location() }
}

#[cfg(not(any(target_env = "gnu", target_env = "musl")))]
unsafe fn errno_location() -> *mut core::ffi::c_int {
    // newlib / picolibc (ESP-IDF) expose errno through __errno().
    unsafe extern "C" {
        fn __errno() -> *mut core::ffi::c_int;
    }
    // SAFETY: plain libc call.
    unsafe { __errno() }
}

#[cfg(not(feature = "std"))]
mod no_std_runtime {
    use core::alloc::{GlobalAlloc, Layout};

    struct CHeap;

    /// The alignment malloc and calloc guarantee.
    const MALLOC_ALIGN: usize = 2 * core::mem::size_of::<usize>();

    // SAFETY: delegates to the C allocator; over-aligned requests use aligned_alloc.
    unsafe impl GlobalAlloc for CHeap {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            if layout.align() <= MALLOC_ALIGN {
                // SAFETY: plain C allocation.
                unsafe { crate::sys::clib::malloc(layout.size()) as *mut u8 }
            } else {
                let size = layout.size().next_multiple_of(layout.align());
                // SAFETY: alignment is a power of two and size a multiple of it.
                unsafe { crate::sys::clib::aligned_alloc(layout.align(), size) as *mut u8 }
            }
        }
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            // calloc, not malloc + memset: the C heap hands out fresh pages already zeroed,
            // so a large buffer (a TCP window) costs no RAM until it is written.
            if layout.align() <= MALLOC_ALIGN {
                // SAFETY: plain C allocation.
                unsafe { crate::sys::clib::calloc(1, layout.size()) as *mut u8 }
            } else {
                // SAFETY: as alloc; the block is zeroed before use.
                let p = unsafe { self.alloc(layout) };
                if !p.is_null() {
                    // SAFETY: p has layout.size() writable bytes.
                    unsafe { core::ptr::write_bytes(p, 0, layout.size()) };
                }
                p
            }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
            // SAFETY: ptr came from malloc/aligned_alloc above.
            unsafe { crate::sys::clib::free(ptr as *mut core::ffi::c_void) }
        }
    }

    #[global_allocator]
    static HEAP: CHeap = CHeap;

    // Hosted targets ship `core`/`alloc` built for unwinding: their objects name
    // `rust_eh_personality` and `_Unwind_Resume` (the end of a cleanup landing pad). With
    // panic = "abort" no unwinding ever starts, so neither can be reached; definitions are
    // still needed to link without libgcc_s. Weak and hidden: never exported from
    // liblwip.so, never a clash with a real unwinder linked into the same program.
    #[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
    macro_rules! no_unwind_stubs {
        ($trap:literal) => {
            core::arch::global_asm!(
                ".pushsection .text.smolwip_no_unwind,\"ax\",%progbits",
                ".weak rust_eh_personality",
                ".hidden rust_eh_personality",
                ".type rust_eh_personality,%function",
                "rust_eh_personality:",
                ".weak _Unwind_Resume",
                ".hidden _Unwind_Resume",
                ".type _Unwind_Resume,%function",
                "_Unwind_Resume:",
                $trap,
                ".popsection",
            );
        };
    }
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    no_unwind_stubs!("ud2");
    #[cfg(all(target_os = "linux", target_arch = "aarch64"))]
    no_unwind_stubs!("brk #0");

    #[panic_handler]
    fn panic(info: &core::panic::PanicInfo) -> ! {
        // Where, without formatting machinery or allocation (the heap may be the problem).
        if let Some(at) = info.location() {
            let mut line = [0u8; 10];
            let mut i = line.len();
            let mut n = at.line();
            loop {
                i -= 1;
                line[i] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            super::eprint("smolwip: internal error at ");
            super::eprint(at.file());
            super::eprint(":");
            super::eprint(core::str::from_utf8(&line[i..]).unwrap_or("?"));
            super::eprint("\n");
        }
        // SAFETY: abort never returns.
        unsafe { crate::sys::clib::abort() }
    }
}
