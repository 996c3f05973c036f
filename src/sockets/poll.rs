//! poll and select over sockets, as lwIP 2.1.3 computes readiness: readable (data, a
//! pending connection, end of stream, an error), writable (lwIP's sendevent), error (once
//! an error was announced). Waiting is on the stack's state changes, never on a timer;
//! a zero timeout never blocks.

use core::ffi::c_int;

use super::{Errno, SRes};
use crate::abi::{self, c};
use crate::conn::{self, Ready};
use crate::core::{self as stack, Blocked, StackInner};
use crate::sys::os;

fn readiness(inner: &mut StackInner, fd: c_int) -> Option<Ready> {
    let s = super::sock(inner, fd)?;
    conn::ready(&mut inner.ctx(), s.conn).ok()
}

/// Scan once. Ok(count) of entries with events; Err: an fd that is not a socket.
#[cfg(lwip = "socket_poll")]
fn scan_poll(inner: &mut StackInner, fds: &mut [abi::pollfd]) -> Result<c_int, ()> {
    let mut count = 0;
    for p in fds.iter_mut() {
        p.revents = 0;
        if p.fd < 0 {
            continue;
        }
        let Some(r) = readiness(inner, p.fd) else {
            p.revents = c::POLLNVAL;
            return Err(());
        };
        if r.readable && p.events & c::POLLIN != 0 {
            p.revents |= c::POLLIN;
        }
        if r.writable && p.events & c::POLLOUT != 0 {
            p.revents |= c::POLLOUT;
        }
        if r.error {
            p.revents |= c::POLLERR;
        }
        if p.revents != 0 {
            count += 1;
        }
    }
    Ok(count)
}

/// Wait for `ready` to report something, until `timeout_ms` (None = forever). Some(v):
/// its result; None: timed out.
fn wait_for<T>(timeout_ms: Option<u64>, mut ready: impl FnMut(&mut StackInner) -> Option<T>) -> Option<T> {
    let deadline = timeout_ms.map(|ms| os::now_us() + ms * 1_000);
    match stack::block_on(deadline, |inner| ready(inner)) {
        Ok(v) => Some(v),
        Err(Blocked::TimedOut) | Err(Blocked::WouldDeadlock) => None,
    }
}

#[cfg(lwip = "socket_poll")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_poll(fds: *mut abi::pollfd, nfds: abi::nfds_t, timeout: c_int) -> c_int {
    if fds.is_null() != (nfds == 0) {
        crate::ffi::set_errno(c::EINVAL);
        return -1;
    }
    // SAFETY: the caller's array of nfds entries (or none).
    let fds = if fds.is_null() { &mut [][..] } else { unsafe { core::slice::from_raw_parts_mut(fds, nfds as usize) } };
    let first = stack::with(|inner| scan_poll(inner, fds)).unwrap_or(Err(()));
    match first {
        // lwIP returns -1 for an fd that is not a socket, without setting errno.
        Err(()) => return -1,
        Ok(n) if n > 0 || timeout == 0 => return n,
        Ok(_) => {}
    }
    let limit = (timeout > 0).then_some(timeout as u64);
    let r = wait_for(limit, |inner| match scan_poll(inner, fds) {
        Ok(0) => None,
        r => Some(r),
    });
    match r {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(())) => -1,
    }
}
#[cfg(lwip = "socket_poll")]
same_signature!(lwip_poll(_, _, _));

// ---- select -------------------------------------------------------------------------------------

/// fd bit numbering: lwIP's own fd_set numbers from LWIP_SOCKET_OFFSET; the system's
/// (glibc, newlib), which lwIP's headers use when it is already defined, from 0.
const BIT_BASE: c_int = if cfg!(lwip = "smolwip_lwip_fd_set") { c::LWIP_SOCKET_OFFSET } else { 0 };
const SET_BITS: usize = core::mem::size_of::<abi::fd_set>() * 8;

fn bit(set: &abi::fd_set, fd: c_int) -> bool {
    let i = (fd - BIT_BASE) as usize;
    // SAFETY: fd_set is plain bytes.
    let bytes = unsafe { core::slice::from_raw_parts((set as *const abi::fd_set) as *const u8, core::mem::size_of::<abi::fd_set>()) };
    i < SET_BITS && bytes[i / 8] & (1 << (i % 8)) != 0
}

fn set_bit(set: &mut abi::fd_set, fd: c_int) {
    let i = (fd - BIT_BASE) as usize;
    // SAFETY: fd_set is plain bytes.
    let bytes = unsafe { core::slice::from_raw_parts_mut((set as *mut abi::fd_set) as *mut u8, core::mem::size_of::<abi::fd_set>()) };
    if i < SET_BITS {
        bytes[i / 8] |= 1 << (i % 8);
    }
}

/// The three result sets and their total, or EBADF for a set fd that is not a socket.
fn scan_select(
    inner: &mut StackInner,
    nfds: c_int,
    sets: [Option<&abi::fd_set>; 3],
) -> SRes<([abi::fd_set; 3], c_int)> {
    let mut out = [abi::fd_set::default(); 3];
    let mut count = 0;
    for fd in BIT_BASE.max(c::LWIP_SOCKET_OFFSET)..nfds {
        let wanted = sets.map(|s| s.is_some_and(|s| bit(s, fd)));
        if !wanted.iter().any(|&w| w) {
            continue;
        }
        let Some(r) = readiness(inner, fd) else { return Err(Errno(c::EBADF)) };
        for (i, on) in [r.readable, r.writable, r.error].into_iter().enumerate() {
            if wanted[i] && on {
                set_bit(&mut out[i], fd);
                count += 1;
            }
        }
    }
    Ok((out, count))
}

/// A thread's handle for ending its socket select early: what ESP-IDF's VFS asks the stack
/// for (`get_socket_select_semaphore`) when one `select()` covers sockets and other files.
/// When another driver's file becomes ready, the VFS calls `stop_socket_select(token)` and
/// that thread's `lwip_select` returns 0. If none is waiting, the next one that would wait
/// returns 0 at once, as the per-thread semaphore of lwIP's ESP-IDF port behaves.
pub struct SelectToken {
    thread: usize,
    /// Set by [`select_stop`] from any thread, without the core lock.
    stopped: crate::sys::atomic::AtomicBool,
}

/// The calling thread's token (made on first use; tokens live as long as the program, so a
/// token handed out stays valid).
pub fn select_token(inner: &mut StackInner) -> *const SelectToken {
    let me = os::current_thread() as usize;
    let tokens = &mut inner.fds.select_tokens;
    let i = match tokens.iter().position(|t| t.thread == me) {
        Some(i) => i,
        None => {
            let stopped = crate::sys::atomic::AtomicBool::new(false);
            tokens.push(alloc::boxed::Box::new(SelectToken { thread: me, stopped }));
            tokens.len() - 1
        }
    };
    &*tokens[i]
}

/// Stop `token`'s select. Callable with or without the core lock (from a callback inside
/// the stack too).
pub fn select_stop(token: &SelectToken) {
    token.stopped.store(true, crate::sys::atomic::Ordering::Release);
    let s = stack::stack();
    // A waiter checks the flag and then waits, both under the core lock: passing through
    // the lock (recursive, so a thread inside the stack passes too) before notifying means
    // the waiter has either not checked yet or is waiting, never in between.
    s.core.lock();
    s.core.unlock();
    s.wake_waiters();
}

/// Consume a stop of the calling thread's select.
fn select_stopped(inner: &mut StackInner) -> bool {
    if inner.fds.select_tokens.is_empty() {
        return false;
    }
    let me = os::current_thread() as usize;
    inner
        .fds
        .select_tokens
        .iter()
        .find(|t| t.thread == me)
        .is_some_and(|t| t.stopped.swap(false, crate::sys::atomic::Ordering::AcqRel))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lwip_select(
    maxfdp1: c_int,
    readset: *mut abi::fd_set,
    writeset: *mut abi::fd_set,
    exceptset: *mut abi::fd_set,
    timeout: *mut abi::timeval,
) -> c_int {
    if maxfdp1 < 0 || maxfdp1 as usize > SET_BITS + BIT_BASE as usize {
        crate::ffi::set_errno(c::EINVAL);
        return -1;
    }
    // SAFETY: NULL or the caller's sets, copied so results can be written at the end.
    let inputs = unsafe { [readset.as_ref().copied(), writeset.as_ref().copied(), exceptset.as_ref().copied()] };
    let view = |i: usize| inputs[i].as_ref();
    // SAFETY: NULL or the caller's timeval.
    let limit = unsafe { timeout.as_ref() }.map(|t| {
        let ms = (t.tv_sec as i64).max(0) * 1000 + ((t.tv_usec as i64).max(0) + 500) / 1000;
        if ms == 0 && (t.tv_sec > 0 || t.tv_usec > 0) { 1 } else { ms as u64 }
    });
    let first = stack::with(|inner| scan_select(inner, maxfdp1, [view(0), view(1), view(2)])).unwrap_or(Err(Errno(c::EBADF)));
    let result = match first {
        Err(e) => Err(e),
        Ok((sets, n)) if n > 0 || limit == Some(0) => Ok((sets, n)),
        Ok(_) => {
            let r = wait_for(limit, |inner| match scan_select(inner, maxfdp1, [view(0), view(1), view(2)]) {
                Ok((_, 0)) if select_stopped(inner) => Some(Ok(([abi::fd_set::default(); 3], 0))),
                Ok((_, 0)) => None,
                r => Some(r),
            });
            r.unwrap_or(Ok(([abi::fd_set::default(); 3], 0)))
        }
    };
    match result {
        Err(Errno(e)) => {
            crate::ffi::set_errno(e);
            -1
        }
        Ok((sets, n)) => {
            for (dst, src) in [readset, writeset, exceptset].into_iter().zip(sets) {
                // SAFETY: NULL or the caller's set.
                if let Some(d) = unsafe { dst.as_mut() } {
                    *d = src;
                }
            }
            n
        }
    }
}
#[cfg(lwip = "socket_select")]
same_signature!(lwip_select(_, _, _, _, _));
