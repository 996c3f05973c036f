//! The tcpip thread API (lwip/tcpip.h, lwip/init.h): start the stack, hand it packets and
//! callbacks. With LWIP_TCPIP_CORE_LOCKING (every supported profile), API calls run in the
//! caller's thread under the core lock; the tcpip thread polls smoltcp and runs timers and
//! callbacks.

use alloc::boxed::Box;
use core::ffi::c_void;

use crate::abi::{self, c, err_t, netif, pbuf};
use crate::core::{self as stack, Callback};
use crate::sys::os::Semaphore;

fn callback(function: abi::tcpip_callback_fn, ctx: *mut c_void, done: *const Semaphore) -> Option<Callback> {
    function.map(|function| Callback { function, ctx, done })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tcpip_init(initfunc: abi::tcpip_init_done_fn, arg: *mut c_void) {
    let init = callback(initfunc, arg, core::ptr::null());
    stack::start_thread(init);
}
same_signature!(tcpip_init(_, _));

/// NO_SYS initialisation: the stack exists without a tcpip thread; the caller drives it
/// with `sys_check_timeouts` and frames are processed inside `netif->input`.
#[unsafe(no_mangle)]
pub extern "C" fn lwip_init() {
    stack::stack();
}
same_signature!(lwip_init());

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tcpip_input(p: *mut pbuf, inp: *mut netif) -> err_t {
    stack::input(p, inp)
}
same_signature!(tcpip_input(_, _));

/// Queue `p` for `input_fn` in the tcpip thread. Our own input functions queue straight to
/// the engine; a foreign one is run by the tcpip thread with the packet, as in lwIP.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tcpip_inpkt(p: *mut pbuf, inp: *mut netif, input_fn: abi::netif_input_fn) -> err_t {
    if p.is_null() || inp.is_null() {
        return c::ERR_VAL;
    }
    let Some(f) = input_fn else { return c::ERR_VAL };
    let ours: [unsafe extern "C" fn(*mut pbuf, *mut netif) -> err_t; 4] =
        [tcpip_input, crate::netif::ethernet_input, crate::netif::netif_input, crate::netif::ip_input];
    if ours.iter().any(|o| core::ptr::fn_addr_eq(*o, f)) {
        return stack::input(p, inp);
    }
    // SAFETY: a driver-supplied input function with the packet it was given, run under
    // the core lock as lwIP's tcpip thread would.
    let s = stack::stack();
    s.core.lock();
    let err = unsafe { f(p, inp) };
    s.core.unlock();
    err
}
same_signature!(tcpip_inpkt(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tcpip_callback(function: abi::tcpip_callback_fn, ctx: *mut c_void) -> err_t {
    match callback(function, ctx, core::ptr::null()) {
        Some(cb) if stack::stack().queue_callback(cb, None) => c::ERR_OK,
        Some(_) => c::ERR_MEM,
        None => c::ERR_VAL,
    }
}
same_signature!(tcpip_callback(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tcpip_try_callback(function: abi::tcpip_callback_fn, ctx: *mut c_void) -> err_t {
    let limit = crate::sys::mbox_capacity(0);
    match callback(function, ctx, core::ptr::null()) {
        Some(cb) if stack::stack().queue_callback(cb, Some(limit)) => c::ERR_OK,
        Some(_) => c::ERR_MEM,
        None => c::ERR_VAL,
    }
}
same_signature!(tcpip_try_callback(_, _));

/// Run `function(ctx)` in the tcpip thread and wait until it has run. (Debian's lwIP has
/// it; ESP-IDF's does not declare it.)
#[cfg(lwip_fn = "tcpip_callback_wait")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tcpip_callback_wait(function: abi::tcpip_callback_fn, ctx: *mut c_void) -> err_t {
    let done = Semaphore::new(0);
    match callback(function, ctx, &done) {
        Some(cb) if stack::stack().queue_callback(cb, None) => {
            done.wait(None);
            c::ERR_OK
        }
        Some(_) => c::ERR_MEM,
        None => c::ERR_VAL,
    }
}
#[cfg(lwip_fn = "tcpip_callback_wait")]
same_signature!(tcpip_callback_wait(_, _));

/// A preallocated callback message (tcpip_callbackmsg_*): lwIP's opaque type, ours inside.
struct CallbackMsg {
    cb: Callback,
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tcpip_callbackmsg_new(
    function: abi::tcpip_callback_fn,
    ctx: *mut c_void,
) -> *mut abi::tcpip_callback_msg {
    match callback(function, ctx, core::ptr::null()) {
        Some(cb) => Box::into_raw(Box::new(CallbackMsg { cb })) as *mut abi::tcpip_callback_msg,
        None => core::ptr::null_mut(),
    }
}
same_signature!(tcpip_callbackmsg_new(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tcpip_callbackmsg_delete(msg: *mut abi::tcpip_callback_msg) {
    if !msg.is_null() {
        // SAFETY: created by tcpip_callbackmsg_new; lwIP's contract: not queued any more.
        drop(unsafe { Box::from_raw(msg as *mut CallbackMsg) });
    }
}
same_signature!(tcpip_callbackmsg_delete(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tcpip_callbackmsg_trycallback(msg: *mut abi::tcpip_callback_msg) -> err_t {
    // SAFETY: NULL or a message from tcpip_callbackmsg_new.
    let Some(m) = (unsafe { (msg as *const CallbackMsg).as_ref() }) else { return c::ERR_VAL };
    let limit = crate::sys::mbox_capacity(0);
    if stack::stack().queue_callback(m.cb, Some(limit)) { c::ERR_OK } else { c::ERR_MEM }
}
same_signature!(tcpip_callbackmsg_trycallback(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tcpip_callbackmsg_trycallback_fromisr(msg: *mut abi::tcpip_callback_msg) -> err_t {
    // SAFETY: same contract; no interrupts on a hosted OS.
    unsafe { tcpip_callbackmsg_trycallback(msg) }
}
same_signature!(tcpip_callbackmsg_trycallback_fromisr(_));

/// Run `fn(call)` with the core lock held, in the caller's thread (LWIP_TCPIP_CORE_LOCKING).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tcpip_api_call(
    function: abi::tcpip_api_call_fn,
    call: *mut abi::tcpip_api_call_data,
) -> err_t {
    let Some(f) = function else { return c::ERR_VAL };
    let s = stack::stack();
    s.core.lock();
    // SAFETY: the caller's function and data.
    let err = unsafe { f(call) };
    s.core.unlock();
    err
}
same_signature!(tcpip_api_call(_, _));
