//! Atomics, the same names on every target.
//!
//! Cores without atomic instructions (ESP32-C2/C3: RISC-V without the A extension) have no
//! compare-and-swap in `core`. There `portable-atomic` provides it, assuming one core (it
//! masks interrupts around each operation; ESP-IDF runs tasks in machine mode there).

#[cfg(target_has_atomic = "ptr")]
pub use core::sync::atomic::{AtomicBool, AtomicU16, AtomicU32, AtomicU8, AtomicUsize, Ordering};
#[cfg(not(target_has_atomic = "ptr"))]
pub use portable_atomic::{AtomicBool, AtomicU16, AtomicU32, AtomicU8, AtomicUsize, Ordering};
