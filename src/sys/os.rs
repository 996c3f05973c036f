//! OS primitives over POSIX threads: mutex, condition variable, semaphore, threads, clock.
//!
//! Host Linux and ESP-IDF both provide pthreads, so one implementation serves both. Every
//! pthread object lives in its own heap allocation because pthread objects must not move
//! once initialised. Everything here is safe to call from C threads the library did not
//! create.

use alloc::boxed::Box;
use core::cell::UnsafeCell;
use core::ffi::c_void;

use super::clib;

/// Microseconds on the monotonic clock.
pub fn now_us() -> u64 {
    clock_us(clib::CLOCK_MONOTONIC)
}

/// Microseconds on `clock`.
fn clock_us(clock: clib::clockid_t) -> u64 {
    // SAFETY: timespec is plain integers.
    let mut ts: clib::timespec = unsafe { core::mem::zeroed() };
    // SAFETY: valid out-pointer; both clocks used here exist on our targets.
    unsafe { clib::clock_gettime(clock, &mut ts) };
    ts.tv_sec as u64 * 1_000_000 + ts.tv_nsec as u64 / 1_000
}

/// Milliseconds on the monotonic clock (wraps like lwIP's `sys_now`).
pub fn now_ms() -> u32 {
    (now_us() / 1_000) as u32
}

/// Sleep the calling thread.
pub fn sleep_ms(ms: u32) {
    #[cfg(not(target_os = "none"))]
    {
        let ts = timespec_of(ms as u64 * 1_000);
        // SAFETY: valid timespec; an early wake-up by a signal is acceptable for our callers.
        unsafe { clib::nanosleep(&ts, core::ptr::null_mut()) };
    }
    // ESP-IDF has no nanosleep; its usleep sleeps in whole ticks (vTaskDelay).
    #[cfg(target_os = "none")]
    {
        let mut left = ms;
        while left > 0 {
            let now = left.min(1_000);
            // SAFETY: plain C call.
            unsafe { clib::usleep(now * 1_000) };
            left -= now;
        }
    }
}

/// `us` microseconds as a timespec.
fn timespec_of(us: u64) -> clib::timespec {
    // SAFETY: timespec is plain integers (newlib's has no padding to fill, glibc's may).
    let mut ts: clib::timespec = unsafe { core::mem::zeroed() };
    ts.tv_sec = (us / 1_000_000) as _;
    ts.tv_nsec = ((us % 1_000_000) * 1_000) as _;
    ts
}

/// A pthread mutex (optionally recursive). Not tied to data: see [`Locked`] for that.
pub struct RawMutex {
    inner: Box<UnsafeCell<clib::pthread_mutex_t>>,
}

// SAFETY: pthread mutexes are designed to be shared between threads.
unsafe impl Send for RawMutex {}
// SAFETY: as above.
unsafe impl Sync for RawMutex {}

impl RawMutex {
    pub fn new(recursive: bool) -> Self {
        // SAFETY: placeholder bytes only; pthread_mutex_init below initialises the mutex.
        let inner = Box::new(UnsafeCell::new(unsafe { core::mem::zeroed::<clib::pthread_mutex_t>() }));
        // SAFETY: attr is initialised before use and destroyed after; the mutex is heap-pinned.
        unsafe {
            let mut attr: clib::pthread_mutexattr_t = core::mem::zeroed();
            clib::pthread_mutexattr_init(&mut attr);
            if recursive {
                clib::pthread_mutexattr_settype(&mut attr, clib::PTHREAD_MUTEX_RECURSIVE);
            }
            clib::pthread_mutex_init(inner.get(), &attr);
            clib::pthread_mutexattr_destroy(&mut attr);
        }
        RawMutex { inner }
    }

    pub fn lock(&self) {
        // SAFETY: initialised in new(), never moved.
        unsafe { clib::pthread_mutex_lock(self.inner.get()) };
    }

    pub fn try_lock(&self) -> bool {
        // SAFETY: as in lock().
        unsafe { clib::pthread_mutex_trylock(self.inner.get()) == 0 }
    }

    pub fn unlock(&self) {
        // SAFETY: as in lock(); callers pair unlock with their own lock.
        unsafe { clib::pthread_mutex_unlock(self.inner.get()) };
    }

    fn raw(&self) -> *mut clib::pthread_mutex_t {
        self.inner.get()
    }
}

impl Drop for RawMutex {
    fn drop(&mut self) {
        // SAFETY: nobody can hold a reference any more.
        unsafe { clib::pthread_mutex_destroy(self.inner.get()) };
    }
}

/// Data behind a (non-recursive) pthread mutex.
pub struct Locked<T> {
    mutex: RawMutex,
    data: UnsafeCell<T>,
}

// SAFETY: access to data is serialised by the mutex.
unsafe impl<T: Send> Send for Locked<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for Locked<T> {}

pub struct Guard<'a, T> {
    owner: &'a Locked<T>,
}

impl<T> Locked<T> {
    pub fn new(value: T) -> Self {
        Locked { mutex: RawMutex::new(false), data: UnsafeCell::new(value) }
    }

    pub fn lock(&self) -> Guard<'_, T> {
        self.mutex.lock();
        Guard { owner: self }
    }

    pub fn raw(&self) -> &RawMutex {
        &self.mutex
    }
}

impl<T> core::ops::Deref for Guard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the mutex.
        unsafe { &*self.owner.data.get() }
    }
}

impl<T> core::ops::DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard holds the mutex, so this is the only reference.
        unsafe { &mut *self.owner.data.get() }
    }
}

impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        self.owner.mutex.unlock();
    }
}

impl<'a, T> Guard<'a, T> {
    /// Wait on `cv` (releasing the lock meanwhile) until notified or until `deadline_us`
    /// (monotonic) passes. Returns false on time-out.
    pub fn wait(&mut self, cv: &Condvar, deadline_us: Option<u64>) -> bool {
        cv.wait_raw(&self.owner.mutex, deadline_us)
    }
}

/// A condition variable whose timed waits take monotonic deadlines.
pub struct Condvar {
    inner: Box<UnsafeCell<clib::pthread_cond_t>>,
    /// The clock its timed waits run on: the monotonic one wherever the C library lets
    /// condition variables use it, else the realtime clock (deadlines are converted).
    clock: clib::clockid_t,
}

// SAFETY: pthread condition variables are designed to be shared between threads.
unsafe impl Send for Condvar {}
// SAFETY: as above.
unsafe impl Sync for Condvar {}

impl Default for Condvar {
    fn default() -> Self {
        Self::new()
    }
}

impl Condvar {
    pub fn new() -> Self {
        // SAFETY: placeholder bytes only; pthread_cond_init below initialises it.
        let inner = Box::new(UnsafeCell::new(unsafe { core::mem::zeroed::<clib::pthread_cond_t>() }));
        // SAFETY: attr initialised before use and destroyed after; the condvar is heap-pinned.
        let clock = unsafe {
            let mut attr: clib::pthread_condattr_t = core::mem::zeroed();
            clib::pthread_condattr_init(&mut attr);
            // ESP-IDF's pthread_condattr_setclock logs "not yet supported", returns 0, and
            // its timed waits always measure against gettimeofday(): firmware builds do not
            // ask and convert deadlines to the realtime clock instead.
            let clock = if cfg!(target_os = "none") {
                clib::CLOCK_REALTIME
            } else if clib::pthread_condattr_setclock(&mut attr, clib::CLOCK_MONOTONIC) == 0 {
                clib::CLOCK_MONOTONIC
            } else {
                clib::CLOCK_REALTIME
            };
            clib::pthread_cond_init(inner.get(), &attr);
            clib::pthread_condattr_destroy(&mut attr);
            clock
        };
        Condvar { inner, clock }
    }

    /// Wait with `mutex` held by the caller. Returns false on time-out.
    pub fn wait_raw(&self, mutex: &RawMutex, deadline_us: Option<u64>) -> bool {
        match deadline_us {
            None => {
                // SAFETY: the caller holds mutex.
                unsafe { clib::pthread_cond_wait(self.inner.get(), mutex.raw()) };
                true
            }
            Some(deadline) => {
                let at = if self.clock == clib::CLOCK_MONOTONIC {
                    deadline
                } else {
                    clock_us(self.clock).saturating_add(deadline.saturating_sub(now_us()))
                };
                let ts = timespec_of(at);
                // SAFETY: the caller holds mutex; ts is a valid absolute time on self.clock.
                let rc = unsafe { clib::pthread_cond_timedwait(self.inner.get(), mutex.raw(), &ts) };
                rc != clib::ETIMEDOUT
            }
        }
    }

    pub fn notify_one(&self) {
        // SAFETY: initialised in new().
        unsafe { clib::pthread_cond_signal(self.inner.get()) };
    }

    pub fn notify_all(&self) {
        // SAFETY: initialised in new().
        unsafe { clib::pthread_cond_broadcast(self.inner.get()) };
    }
}

impl Drop for Condvar {
    fn drop(&mut self) {
        // SAFETY: nobody can hold a reference any more.
        unsafe { clib::pthread_cond_destroy(self.inner.get()) };
    }
}

/// A counting semaphore.
pub struct Semaphore {
    count: Locked<u32>,
    cv: Condvar,
    /// A signal leaves the count at most this (1: a binary semaphore).
    max: u32,
}

impl Semaphore {
    /// A counting semaphore.
    pub fn new(count: u32) -> Self {
        Semaphore { count: Locked::new(count), cv: Condvar::new(), max: u32::MAX }
    }

    /// A binary one: signals do not add up (it starts at `count` all the same).
    pub fn binary(count: u32) -> Self {
        Semaphore { count: Locked::new(count), cv: Condvar::new(), max: 1 }
    }

    pub fn signal(&self) {
        let mut count = self.count.lock();
        *count = count.saturating_add(1).min(self.max);
        self.cv.notify_one();
    }

    /// Take the semaphore, waiting at most `timeout_ms` (None = forever). Returns the
    /// milliseconds waited, or None on time-out.
    pub fn wait(&self, timeout_ms: Option<u32>) -> Option<u32> {
        let start = now_us();
        let deadline = timeout_ms.map(|ms| start + ms as u64 * 1_000);
        let mut count = self.count.lock();
        while *count == 0 {
            if !count.wait(&self.cv, deadline) && *count == 0 {
                return None;
            }
        }
        *count -= 1;
        Some(((now_us() - start) / 1_000) as u32)
    }
}

/// How the `spin` locks and once-cells of the library wait when contended (they guard
/// statics, where a pthread object cannot be built at compile time, and are held for a few
/// instructions). Hosts spin. Under an RTOS with strict priorities (FreeRTOS, one core) a task
/// spinning on a lock that a lower-priority task holds would spin forever. So firmware builds
/// sleep instead: 10,001 µs, which is at least one tick at any CONFIG_FREERTOS_HZ of 100 or
/// more (ESP-IDF's usleep busy-waits below one tick, and sleeps whole ticks above). That lets
/// the holder run.
pub struct Relax;

impl spin::relax::RelaxStrategy for Relax {
    fn relax() {
        #[cfg(target_os = "none")]
        // SAFETY: plain C call.
        unsafe {
            clib::usleep(10_001)
        };
        #[cfg(not(target_os = "none"))]
        core::hint::spin_loop();
    }
}

/// A lock for statics; see [`Relax`].
pub type SpinLock<T> = spin::mutex::Mutex<T, Relax>;
/// A once-cell for statics; see [`Relax`].
pub type Once<T> = spin::once::Once<T, Relax>;

/// A 64-bit value shared between threads: lock-free where the target has 64-bit atomics,
/// behind a mutex where it does not (32-bit RISC-V and Xtensa).
pub struct SharedU64 {
    #[cfg(target_has_atomic = "64")]
    value: core::sync::atomic::AtomicU64,
    #[cfg(not(target_has_atomic = "64"))]
    value: Locked<u64>,
}

impl SharedU64 {
    pub fn new(value: u64) -> Self {
        #[cfg(target_has_atomic = "64")]
        let value = core::sync::atomic::AtomicU64::new(value);
        #[cfg(not(target_has_atomic = "64"))]
        let value = Locked::new(value);
        SharedU64 { value }
    }

    pub fn load(&self) -> u64 {
        #[cfg(target_has_atomic = "64")]
        return self.value.load(core::sync::atomic::Ordering::Acquire);
        #[cfg(not(target_has_atomic = "64"))]
        return *self.value.lock();
    }

    pub fn store(&self, value: u64) {
        #[cfg(target_has_atomic = "64")]
        self.value.store(value, core::sync::atomic::Ordering::Release);
        #[cfg(not(target_has_atomic = "64"))]
        {
            *self.value.lock() = value;
        }
    }
}

/// A thread handle as the library hands it out.
pub struct Thread {
    pub id: clib::pthread_t,
}

struct Start {
    body: Box<dyn FnOnce() + Send>,
}

extern "C" fn thread_main(arg: *mut c_void) -> *mut c_void {
    // SAFETY: arg is the Box<Start> leaked by spawn() for this thread only.
    let start = unsafe { Box::from_raw(arg as *mut Start) };
    (start.body)();
    core::ptr::null_mut()
}

/// Start a detached thread running `body`. `stack_size` 0 keeps the platform default.
pub fn spawn(body: Box<dyn FnOnce() + Send>, stack_size: usize) -> Option<Thread> {
    let start = Box::into_raw(Box::new(Start { body }));
    // SAFETY: attr initialised before use; on failure the Start box is reclaimed.
    unsafe {
        let mut attr: clib::pthread_attr_t = core::mem::zeroed();
        clib::pthread_attr_init(&mut attr);
        if stack_size > 0 {
            let min = clib::PTHREAD_STACK_MIN;
            clib::pthread_attr_setstacksize(&mut attr, stack_size.max(min));
        }
        clib::pthread_attr_setdetachstate(&mut attr, clib::PTHREAD_CREATE_DETACHED);
        let mut id: clib::pthread_t = core::mem::zeroed();
        let rc = clib::pthread_create(&mut id, &attr, thread_main, start as *mut c_void);
        clib::pthread_attr_destroy(&mut attr);
        if rc != 0 {
            drop(Box::from_raw(start));
            return None;
        }
        Some(Thread { id })
    }
}

/// Identity of the calling thread.
pub fn current_thread() -> clib::pthread_t {
    // SAFETY: plain libc call.
    unsafe { clib::pthread_self() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::sync::Arc;

    #[test]
    fn semaphore_times_out_and_counts() {
        let sem = Semaphore::new(1);
        assert!(sem.wait(Some(0)).is_some());
        let t0 = now_us();
        assert!(sem.wait(Some(30)).is_none());
        assert!(now_us() - t0 >= 29_000);
    }

    #[test]
    fn semaphore_wakes_other_thread() {
        let sem = Arc::new(Semaphore::new(0));
        let s2 = sem.clone();
        spawn(Box::new(move || { sleep_ms(10); s2.signal(); }), 0).unwrap();
        assert!(sem.wait(Some(5_000)).is_some());
    }
}
