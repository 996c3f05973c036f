//! The C library the library calls (heap, clock, pthreads), named the same on every target.
//!
//! Hosted targets (Linux) take it from the `libc` crate. Targets without an OS of their own
//! (`target_os = "none"`: ESP-IDF firmware, other RTOSes) have no `libc` bindings; there
//! build.rs runs bindgen on `include/smolwip_libc.h` with the firmware's own headers
//! (newlib or picolibc, and the RTOS's pthreads), so types and constants are the firmware's.
//! Code outside this module calls `clib::*` and never cares which.

#[cfg(not(target_os = "none"))]
pub use libc::{
    abort, aligned_alloc, calloc, clock_gettime, clockid_t, free, malloc, nanosleep, pthread_attr_destroy,
    pthread_attr_init, pthread_attr_setdetachstate, pthread_attr_setstacksize, pthread_attr_t, pthread_cond_broadcast,
    pthread_cond_destroy, pthread_cond_init, pthread_cond_signal, pthread_cond_t, pthread_cond_timedwait,
    pthread_cond_wait, pthread_condattr_destroy, pthread_condattr_init, pthread_condattr_setclock, pthread_condattr_t,
    pthread_create, pthread_mutex_destroy, pthread_mutex_init, pthread_mutex_lock, pthread_mutex_t,
    pthread_mutex_trylock, pthread_mutex_unlock, pthread_mutexattr_destroy, pthread_mutexattr_init,
    pthread_mutexattr_settype, pthread_mutexattr_t, pthread_self, pthread_t, timespec, CLOCK_MONOTONIC,
    CLOCK_REALTIME, ETIMEDOUT, PTHREAD_CREATE_DETACHED, PTHREAD_MUTEX_RECURSIVE, PTHREAD_STACK_MIN,
};

#[cfg(target_os = "none")]
pub use firmware::*;

#[cfg(target_os = "none")]
#[allow(non_camel_case_types, non_upper_case_globals, non_snake_case, dead_code, clippy::all)]
mod bindings {
    include!(concat!(env!("OUT_DIR"), "/clib.rs"));
}

#[cfg(target_os = "none")]
mod firmware {
    use core::ffi::{c_int, c_void};

    pub use super::bindings::{
        abort, aligned_alloc, calloc, clock_gettime, clockid_t, free, malloc, pthread_attr_destroy,
        pthread_attr_init, pthread_attr_setdetachstate, pthread_attr_setstacksize, pthread_attr_t,
        pthread_cond_broadcast, pthread_cond_destroy, pthread_cond_init, pthread_cond_signal, pthread_cond_t,
        pthread_cond_timedwait, pthread_cond_wait, pthread_condattr_destroy, pthread_condattr_init,
        pthread_condattr_setclock, pthread_condattr_t, pthread_mutex_destroy, pthread_mutex_init, pthread_mutex_lock,
        pthread_mutex_t, pthread_mutex_trylock, pthread_mutex_unlock, pthread_mutexattr_destroy,
        pthread_mutexattr_init, pthread_mutexattr_settype, pthread_mutexattr_t, pthread_self, pthread_t, timespec,
        usleep,
    };
    use super::bindings as b;

    pub const CLOCK_MONOTONIC: clockid_t = b::SMOLWIP_CLOCK_MONOTONIC as clockid_t;
    pub const CLOCK_REALTIME: clockid_t = b::SMOLWIP_CLOCK_REALTIME as clockid_t;
    pub const ETIMEDOUT: c_int = b::SMOLWIP_ETIMEDOUT as c_int;
    pub const PTHREAD_MUTEX_RECURSIVE: c_int = b::SMOLWIP_PTHREAD_MUTEX_RECURSIVE as c_int;
    pub const PTHREAD_CREATE_DETACHED: c_int = b::SMOLWIP_PTHREAD_CREATE_DETACHED as c_int;
    /// 0 where the C library does not define it.
    pub const PTHREAD_STACK_MIN: usize = b::SMOLWIP_PTHREAD_STACK_MIN as usize;

    /// `pthread_create` with the `libc` crate's signature (bindgen makes the start routine
    /// an `Option`).
    ///
    /// # Safety
    /// As `pthread_create`.
    pub unsafe fn pthread_create(
        thread: *mut pthread_t,
        attr: *const pthread_attr_t,
        start: extern "C" fn(*mut c_void) -> *mut c_void,
        arg: *mut c_void,
    ) -> c_int {
        // SAFETY: forwarded caller contract.
        unsafe { b::pthread_create(thread, attr, Some(start), arg) }
    }
}
