//! lwIP's sys API (lwip/sys.h, lwip/timeouts.h, the core-locking hooks of lwipopts.h) over
//! the OS layer in [`os`].
//!
//! `sys_sem_t`, `sys_mutex_t`, `sys_mbox_t` and `sys_thread_t` are caller-allocated slots
//! whose type comes from the profile's `arch/sys_arch.h`; in every supported profile they
//! are handles (pointers), so each object is allocated here and its address stored in the
//! caller's slot. A profile whose slot is not pointer-sized fails to compile here.

pub mod atomic;
pub mod clib;
pub mod os;

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use core::ffi::{c_char, c_int, c_void};

use crate::abi::{self, c, err_t, sys_mbox_t, sys_mutex_t, sys_prot_t, sys_sem_t, sys_thread_t, u32_t, u8_t};
use crate::core as stack;
use os::{Condvar, Locked, RawMutex, Semaphore};

// ---- semaphores --------------------------------------------------------------------

/// A semaphore slot holds our object's address in its first word. `sys_sem_t` is a
/// pointer in most ports, but ESP-IDF v6 makes it a `StaticSemaphore_t` by value, whose
/// `sys_sem_valid` / `sys_sem_set_invalid` macros test and write all-zero bytes: a stored
/// address reads as valid, a cleared slot as invalid, in both.
const _: () = assert!(core::mem::size_of::<sys_sem_t>() >= core::mem::size_of::<*mut Semaphore>());

/// # Safety
/// `slot` must point to a valid `sys_sem_t`.
unsafe fn sem_slot_load(slot: *const sys_sem_t) -> *mut Semaphore {
    // SAFETY: caller contract; the slot is at least pointer-sized (asserted above).
    unsafe { slot.cast::<*mut Semaphore>().read_unaligned() }
}

/// # Safety
/// As [`sem_slot_load`].
unsafe fn sem_slot_store(slot: *mut sys_sem_t, obj: *mut Semaphore) {
    // SAFETY: as in sem_slot_load.
    unsafe { slot.cast::<*mut Semaphore>().write_unaligned(obj) }
}

/// # Safety
/// `slot` must be NULL or point to a valid `sys_sem_t`.
unsafe fn sem_of<'a>(slot: *mut sys_sem_t) -> Option<&'a Semaphore> {
    if slot.is_null() {
        return None;
    }
    // SAFETY: caller contract; a non-null slot holds NULL or a pointer we created.
    unsafe { sem_slot_load(slot).as_ref() }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_sem_new(sem: *mut sys_sem_t, count: u8_t) -> err_t {
    if sem.is_null() {
        return c::ERR_ARG;
    }
    // Binary, as in lwIP's unix and ESP-IDF ports: signalling twice before a wait lets one
    // wait through, not two.
    let obj = Box::into_raw(Box::new(Semaphore::binary(count as u32)));
    // SAFETY: non-null caller slot.
    unsafe { sem_slot_store(sem, obj) };
    c::ERR_OK
}
same_signature!(sys_sem_new(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_sem_signal(sem: *mut sys_sem_t) {
    // SAFETY: lwIP contract: a slot filled by sys_sem_new.
    if let Some(s) = unsafe { sem_of(sem) } {
        s.signal();
    }
}
same_signature!(sys_sem_signal(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_arch_sem_wait(sem: *mut sys_sem_t, timeout: u32_t) -> u32_t {
    // SAFETY: lwIP contract: a slot filled by sys_sem_new.
    let Some(s) = (unsafe { sem_of(sem) }) else { return c::SYS_ARCH_TIMEOUT };
    match s.wait(if timeout == 0 { None } else { Some(timeout) }) {
        Some(waited) => waited,
        None => c::SYS_ARCH_TIMEOUT,
    }
}
same_signature!(sys_arch_sem_wait(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_sem_free(sem: *mut sys_sem_t) {
    if sem.is_null() {
        return;
    }
    // SAFETY: the slot holds NULL or a pointer from sys_sem_new, freed once.
    unsafe {
        let obj = sem_slot_load(sem);
        if !obj.is_null() {
            drop(Box::from_raw(obj));
            sem_slot_store(sem, core::ptr::null_mut());
        }
    }
}
same_signature!(sys_sem_free(_));

// ---- mutexes -----------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_mutex_new(mutex: *mut sys_mutex_t) -> err_t {
    if mutex.is_null() {
        return c::ERR_ARG;
    }
    let obj = Box::into_raw(Box::new(RawMutex::new(false)));
    // SAFETY: non-null caller slot.
    unsafe { *mutex = obj as sys_mutex_t };
    c::ERR_OK
}
same_signature!(sys_mutex_new(_));

/// # Safety
/// `slot` must be NULL or point to a valid `sys_mutex_t`.
unsafe fn mutex_of<'a>(slot: *mut sys_mutex_t) -> Option<&'a RawMutex> {
    // SAFETY: caller contract.
    unsafe { slot.as_ref().and_then(|m| (*m as *const RawMutex).as_ref()) }
}

/// lwIP's core lock as its headers name it (`LOCK_TCPIP_CORE()` is
/// `sys_mutex_lock(&lock_tcpip_core)` where lwipopts.h does not define it otherwise).
/// The slot holds nothing: locking it locks the stack's core lock.
#[cfg(lwip = "tcpip_core_locking")]
#[unsafe(no_mangle)]
pub static mut lock_tcpip_core: sys_mutex_t = core::ptr::null_mut();

fn is_core_lock(mutex: *mut sys_mutex_t) -> bool {
    #[cfg(lwip = "tcpip_core_locking")]
    return core::ptr::eq(mutex, &raw mut lock_tcpip_core);
    #[cfg(not(lwip = "tcpip_core_locking"))]
    {
        let _ = mutex;
        false
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_mutex_lock(mutex: *mut sys_mutex_t) {
    if is_core_lock(mutex) {
        return stack::stack().core.lock();
    }
    // SAFETY: lwIP contract.
    if let Some(m) = unsafe { mutex_of(mutex) } {
        m.lock();
    }
}
same_signature!(sys_mutex_lock(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_mutex_unlock(mutex: *mut sys_mutex_t) {
    if is_core_lock(mutex) {
        return stack::stack().core.unlock();
    }
    // SAFETY: lwIP contract.
    if let Some(m) = unsafe { mutex_of(mutex) } {
        m.unlock();
    }
}
same_signature!(sys_mutex_unlock(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_mutex_free(mutex: *mut sys_mutex_t) {
    if mutex.is_null() {
        return;
    }
    // SAFETY: the slot holds NULL or a pointer from sys_mutex_new, freed once.
    unsafe {
        let obj = *mutex as *mut RawMutex;
        if !obj.is_null() {
            drop(Box::from_raw(obj));
            *mutex = core::ptr::null_mut();
        }
    }
}
same_signature!(sys_mutex_free(_));

// ---- mailboxes ---------------------------------------------------------------------

/// A bounded queue of pointers.
pub struct Mbox {
    queue: Locked<VecDeque<*mut c_void>>,
    capacity: usize,
    not_empty: Condvar,
    not_full: Condvar,
}

impl Mbox {
    pub fn new(capacity: usize) -> Self {
        Mbox { queue: Locked::new(VecDeque::new()), capacity, not_empty: Condvar::new(), not_full: Condvar::new() }
    }

    pub fn post(&self, msg: *mut c_void, block: bool) -> bool {
        let mut q = self.queue.lock();
        while q.len() >= self.capacity {
            if !block {
                return false;
            }
            q.wait(&self.not_full, None);
        }
        q.push_back(msg);
        self.not_empty.notify_one();
        true
    }

    /// Fetch a message, waiting at most `timeout_ms` (None = forever; Some(0) = don't wait).
    /// Returns (message, milliseconds waited).
    pub fn fetch(&self, timeout_ms: Option<u32>) -> Option<(*mut c_void, u32)> {
        let start = os::now_us();
        let deadline = timeout_ms.map(|ms| start + ms as u64 * 1_000);
        let mut q = self.queue.lock();
        loop {
            if let Some(m) = q.pop_front() {
                self.not_full.notify_one();
                return Some((m, ((os::now_us() - start) / 1_000) as u32));
            }
            if timeout_ms == Some(0) || !q.wait(&self.not_empty, deadline) && q.is_empty() {
                return None;
            }
        }
    }
}

// SAFETY: the queued pointers are opaque messages handed between threads, as in lwIP.
unsafe impl Send for Mbox {}
// SAFETY: as above; all state is behind the lock.
unsafe impl Sync for Mbox {}

/// # Safety
/// `slot` must be NULL or point to a valid `sys_mbox_t`.
unsafe fn mbox_of<'a>(slot: *mut sys_mbox_t) -> Option<&'a Mbox> {
    // SAFETY: caller contract.
    unsafe { slot.as_ref().and_then(|m| (*m as *const Mbox).as_ref()) }
}

/// How many messages a mailbox made with `size` holds. lwIP ports treat a size of 0 (or
/// less) as "the port's default"; ours is TCPIP_MBOX_SIZE, or 128 where that is 0. The
/// same bound applies to the queues that stand for lwIP's mailboxes (recvmbox, acceptmbox,
/// the tcpip thread's).
pub fn mbox_capacity(size: isize) -> usize {
    if size > 0 {
        size as usize
    } else if c::TCPIP_MBOX_SIZE > 0 {
        c::TCPIP_MBOX_SIZE
    } else {
        128
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_mbox_new(mbox: *mut sys_mbox_t, size: c_int) -> err_t {
    if mbox.is_null() {
        return c::ERR_ARG;
    }
    let obj = Box::into_raw(Box::new(Mbox::new(mbox_capacity(size as isize))));
    // SAFETY: non-null caller slot.
    unsafe { *mbox = obj as sys_mbox_t };
    c::ERR_OK
}
same_signature!(sys_mbox_new(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_mbox_post(mbox: *mut sys_mbox_t, msg: *mut c_void) {
    // SAFETY: lwIP contract.
    if let Some(m) = unsafe { mbox_of(mbox) } {
        m.post(msg, true);
    }
}
same_signature!(sys_mbox_post(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_mbox_trypost(mbox: *mut sys_mbox_t, msg: *mut c_void) -> err_t {
    // SAFETY: lwIP contract.
    match unsafe { mbox_of(mbox) } {
        Some(m) if m.post(msg, false) => c::ERR_OK,
        Some(_) => c::ERR_MEM,
        None => c::ERR_ARG,
    }
}
same_signature!(sys_mbox_trypost(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_mbox_trypost_fromisr(mbox: *mut sys_mbox_t, msg: *mut c_void) -> err_t {
    // SAFETY: same contract as sys_mbox_trypost; there are no interrupts on a hosted OS.
    unsafe { sys_mbox_trypost(mbox, msg) }
}
same_signature!(sys_mbox_trypost_fromisr(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_arch_mbox_fetch(mbox: *mut sys_mbox_t, msg: *mut *mut c_void, timeout: u32_t) -> u32_t {
    // SAFETY: lwIP contract.
    let Some(m) = (unsafe { mbox_of(mbox) }) else { return c::SYS_ARCH_TIMEOUT };
    match m.fetch(if timeout == 0 { None } else { Some(timeout) }) {
        Some((value, waited)) => {
            if !msg.is_null() {
                // SAFETY: non-null caller out-pointer.
                unsafe { *msg = value };
            }
            waited
        }
        None => c::SYS_ARCH_TIMEOUT,
    }
}
same_signature!(sys_arch_mbox_fetch(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_arch_mbox_tryfetch(mbox: *mut sys_mbox_t, msg: *mut *mut c_void) -> u32_t {
    // SAFETY: lwIP contract.
    let Some(m) = (unsafe { mbox_of(mbox) }) else { return c::SYS_MBOX_EMPTY };
    match m.fetch(Some(0)) {
        Some((value, _)) => {
            if !msg.is_null() {
                // SAFETY: non-null caller out-pointer.
                unsafe { *msg = value };
            }
            0
        }
        None => c::SYS_MBOX_EMPTY,
    }
}
same_signature!(sys_arch_mbox_tryfetch(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_mbox_free(mbox: *mut sys_mbox_t) {
    if mbox.is_null() {
        return;
    }
    // SAFETY: the slot holds NULL or a pointer from sys_mbox_new, freed once.
    unsafe {
        let obj = *mbox as *mut Mbox;
        if !obj.is_null() {
            drop(Box::from_raw(obj));
            *mbox = core::ptr::null_mut();
        }
    }
}
same_signature!(sys_mbox_free(_));

// ---- threads, time, protection -----------------------------------------------------

struct ThreadArg(unsafe extern "C" fn(*mut c_void), *mut c_void);
// SAFETY: the C function and argument are handed to the new thread as lwIP does.
unsafe impl Send for ThreadArg {}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_thread_new(
    _name: *const c_char,
    thread: abi::lwip_thread_fn,
    arg: *mut c_void,
    stacksize: c_int,
    _prio: c_int,
) -> sys_thread_t {
    let Some(function) = thread else { return core::ptr::null_mut() };
    let start = ThreadArg(function, arg);
    let body = Box::new(move || {
        let start = start;
        // SAFETY: the caller's thread function with its argument.
        unsafe { (start.0)(start.1) }
    });
    match os::spawn(body, stacksize.max(0) as usize) {
        Some(t) => Box::into_raw(Box::new(t)) as sys_thread_t,
        None => core::ptr::null_mut(),
    }
}
same_signature!(sys_thread_new(_, _, _, _, _));

#[unsafe(no_mangle)]
pub extern "C" fn sys_init() {}
same_signature!(sys_init());

#[unsafe(no_mangle)]
pub extern "C" fn sys_now() -> u32_t {
    os::now_ms()
}
same_signature!(sys_now());

#[unsafe(no_mangle)]
pub extern "C" fn sys_jiffies() -> u32_t {
    os::now_us() as u32_t
}
same_signature!(sys_jiffies());

#[cfg(lwip_fn = "sys_msleep")]
#[unsafe(no_mangle)]
pub extern "C" fn sys_msleep(ms: u32_t) {
    os::sleep_ms(ms)
}
#[cfg(lwip_fn = "sys_msleep")]
same_signature!(sys_msleep(_));

/// ESP-IDF's port makes `sys_msleep` a macro for this.
#[cfg(lwip_fn = "sys_delay_ms")]
#[unsafe(no_mangle)]
pub extern "C" fn sys_delay_ms(ms: u32) {
    os::sleep_ms(ms)
}
#[cfg(lwip_fn = "sys_delay_ms")]
same_signature!(sys_delay_ms(_));

static PROTECT: os::Once<RawMutex> = os::Once::new();

#[unsafe(no_mangle)]
pub extern "C" fn sys_arch_protect() -> sys_prot_t {
    PROTECT.call_once(|| RawMutex::new(true)).lock();
    0
}
same_signature!(sys_arch_protect());

#[unsafe(no_mangle)]
pub extern "C" fn sys_arch_unprotect(_pval: sys_prot_t) {
    PROTECT.call_once(|| RawMutex::new(true)).unlock();
}
same_signature!(sys_arch_unprotect(_));

// ---- the core lock (LWIP_TCPIP_CORE_LOCKING) ---------------------------------------

#[unsafe(no_mangle)]
pub extern "C" fn sys_lock_tcpip_core() {
    stack::stack().core.lock();
}

#[unsafe(no_mangle)]
pub extern "C" fn sys_unlock_tcpip_core() {
    stack::stack().core.unlock();
}

/// A debugging hook in lwIP's unix port; the core lock is enforced by construction here.
#[unsafe(no_mangle)]
pub extern "C" fn sys_check_core_locking() {}

/// A debugging hook in lwIP's unix port (remembers the tcpip thread for assertions).
#[unsafe(no_mangle)]
pub extern "C" fn sys_mark_tcpip_thread() {}

// ---- timeouts ----------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_timeout(msecs: u32_t, handler: abi::sys_timeout_handler, arg: *mut c_void) {
    let Some(handler) = handler else { return };
    let t = stack::timers::Timer { deadline_us: os::now_us() + msecs as u64 * 1_000, handler, arg };
    if stack::with(|inner| inner.timers.add(t)).is_ok() {
        stack::stack().wake();
    }
}
same_signature!(sys_timeout(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_untimeout(handler: abi::sys_timeout_handler, arg: *mut c_void) {
    let Some(handler) = handler else { return };
    let _ = stack::with(|inner| inner.timers.remove_first(handler, arg));
}
same_signature!(sys_untimeout(_, _));

/// NO_SYS callers drive the stack from their main loop with this: poll, run due timers.
#[unsafe(no_mangle)]
pub extern "C" fn sys_check_timeouts() {
    let s = stack::stack();
    s.core.lock();
    let _ = stack::service(s);
    s.core.unlock();
}
same_signature!(sys_check_timeouts());

#[unsafe(no_mangle)]
pub extern "C" fn sys_timeouts_init() {}
same_signature!(sys_timeouts_init());

/// Milliseconds until the next timer or protocol deadline (SYS_TIMEOUTS_SLEEPTIME_INFINITE
/// when there is none), for NO_SYS main loops.
#[unsafe(no_mangle)]
pub extern "C" fn sys_timeouts_sleeptime() -> u32_t {
    let now = os::now_us();
    match stack::with(|inner| inner.next_deadline()) {
        Ok(Some(at)) => (at.saturating_sub(now) / 1_000) as u32_t,
        _ => c::SYS_TIMEOUTS_SLEEPTIME_INFINITE,
    }
}
same_signature!(sys_timeouts_sleeptime());

/// Re-base every pending timeout to now (after a long period without sys_check_timeouts).
#[unsafe(no_mangle)]
pub extern "C" fn sys_restart_timeouts() {
    let now = os::now_us();
    let _ = stack::with(|inner| {
        if let Some(first) = inner.timers.next_deadline() {
            if first < now {
                inner.timers.shift(now - first);
            }
        }
    });
}
same_signature!(sys_restart_timeouts());
