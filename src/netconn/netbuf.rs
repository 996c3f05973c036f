//! The netbuf API (lwip/netbuf.h): a pbuf chain with an address, as netconns exchange
//! datagrams. `struct netbuf` is the profile's layout; callers' macros (`netbuf_len`,
//! `netbuf_fromaddr`, `netbuf_take`, ...) use its fields directly.

use alloc::boxed::Box;
use core::ffi::c_void;

use crate::abi::{self, c, err_t, netbuf, pbuf, s8_t, u16_t};
use crate::conn::dgram::Datagram;

/// A zeroed netbuf from the heap (lwIP's memp_malloc(MEMP_NETBUF) + memset).
pub fn new() -> *mut netbuf {
    Box::into_raw(Box::new(netbuf::default()))
}

/// A netbuf carrying a received datagram: its pbuf, sender, and (with
/// LWIP_NETBUF_RECVINFO) destination. RAW netbufs carry the protocol as their port, as
/// lwIP's recv_raw sets it.
pub fn from_datagram(d: Datagram, raw: bool) -> *mut netbuf {
    let nb = new();
    let Datagram { data, from, to, .. } = d;
    // SAFETY: our fresh netbuf; the pbuf reference moves into it.
    unsafe {
        let p = data.into_raw();
        (*nb).p = p;
        (*nb).ptr = p;
        (*nb).addr = crate::addr::ip_addr_from_smol(from.addr);
        (*nb).port = if raw { 0 } else { from.port };
        #[cfg(lwip = "netbuf_recvinfo")]
        {
            (*nb).toaddr = crate::addr::ip_addr_from_smol(to);
            (*nb).flags |= c::NETBUF_FLAG_DESTADDR;
        }
        #[cfg(not(lwip = "netbuf_recvinfo"))]
        let _ = to;
    }
    nb
}

#[unsafe(no_mangle)]
pub extern "C" fn netbuf_new() -> *mut netbuf {
    new()
}
same_signature!(netbuf_new());

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netbuf_delete(buf: *mut netbuf) {
    if buf.is_null() {
        return;
    }
    // SAFETY: a netbuf from netbuf_new (lwIP's contract), freed once.
    unsafe {
        if !(*buf).p.is_null() {
            crate::pbuf::pbuf_free((*buf).p);
        }
        drop(Box::from_raw(buf));
    }
}
same_signature!(netbuf_delete(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netbuf_alloc(buf: *mut netbuf, size: u16_t) -> *mut c_void {
    // SAFETY: NULL or the caller's netbuf.
    let Some(b) = (unsafe { buf.as_mut() }) else { return core::ptr::null_mut() };
    // SAFETY: the netbuf's own pbuf (or NULL).
    unsafe {
        if !b.p.is_null() {
            crate::pbuf::pbuf_free(b.p);
        }
        b.p = crate::pbuf::pbuf_alloc(abi::PBUF_TRANSPORT, size, abi::PBUF_RAM);
        b.ptr = b.p;
        if b.p.is_null() { core::ptr::null_mut() } else { (*b.p).payload }
    }
}
same_signature!(netbuf_alloc(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netbuf_free(buf: *mut netbuf) {
    // SAFETY: NULL or the caller's netbuf.
    let Some(b) = (unsafe { buf.as_mut() }) else { return };
    if !b.p.is_null() {
        // SAFETY: the netbuf's own pbuf.
        unsafe { crate::pbuf::pbuf_free(b.p) };
    }
    b.p = core::ptr::null_mut();
    b.ptr = core::ptr::null_mut();
    #[cfg(lwip = "checksum_on_copy")]
    {
        b.flags = 0;
        b.toport_chksum = 0;
    }
}
same_signature!(netbuf_free(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netbuf_ref(buf: *mut netbuf, dataptr: *const c_void, size: u16_t) -> err_t {
    // SAFETY: NULL or the caller's netbuf.
    let Some(b) = (unsafe { buf.as_mut() }) else { return c::ERR_ARG };
    // SAFETY: the netbuf's own pbuf; the new PBUF_REF points at the caller's data, which
    // lwIP's contract keeps valid while the netbuf uses it.
    unsafe {
        if !b.p.is_null() {
            crate::pbuf::pbuf_free(b.p);
        }
        b.p = crate::pbuf::pbuf_alloc_reference(dataptr as *mut c_void, size, abi::PBUF_REF);
        b.ptr = b.p;
    }
    if b.p.is_null() { c::ERR_MEM } else { c::ERR_OK }
}
same_signature!(netbuf_ref(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netbuf_chain(head: *mut netbuf, tail: *mut netbuf) {
    if head.is_null() || tail.is_null() {
        return;
    }
    // SAFETY: the caller's netbufs; tail's pbuf reference moves to head, tail is freed.
    unsafe {
        if (*head).p.is_null() {
            (*head).p = (*tail).p;
        } else if !(*tail).p.is_null() {
            crate::pbuf::pbuf_cat((*head).p, (*tail).p);
        }
        (*head).ptr = (*head).p;
        drop(Box::from_raw(tail));
    }
}
same_signature!(netbuf_chain(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netbuf_data(buf: *mut netbuf, dataptr: *mut *mut c_void, len: *mut u16_t) -> err_t {
    // SAFETY: NULL or the caller's pointers.
    let (Some(b), false, false) = (unsafe { buf.as_ref() }, dataptr.is_null(), len.is_null()) else { return c::ERR_ARG };
    if b.ptr.is_null() {
        return c::ERR_BUF;
    }
    // SAFETY: the netbuf's current pbuf; caller's out-pointers checked non-NULL.
    unsafe {
        *dataptr = (*b.ptr).payload;
        *len = (*b.ptr).len;
    }
    c::ERR_OK
}
same_signature!(netbuf_data(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netbuf_next(buf: *mut netbuf) -> s8_t {
    // SAFETY: NULL or the caller's netbuf.
    let Some(b) = (unsafe { buf.as_mut() }) else { return -1 };
    if b.ptr.is_null() {
        return -1;
    }
    // SAFETY: the netbuf's pbuf chain.
    unsafe {
        if (*b.ptr).next.is_null() {
            return -1;
        }
        b.ptr = (*b.ptr).next;
        if (*b.ptr).next.is_null() { 1 } else { 0 }
    }
}
same_signature!(netbuf_next(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn netbuf_first(buf: *mut netbuf) {
    // SAFETY: NULL or the caller's netbuf.
    if let Some(b) = unsafe { buf.as_mut() } {
        b.ptr = b.p;
    }
}
same_signature!(netbuf_first(_));

/// The pbuf a netbuf carries (for the socket layer).
///
/// # Safety
/// `buf` is NULL or a live netbuf.
pub unsafe fn pbuf_of(buf: *const netbuf) -> *mut pbuf {
    // SAFETY: caller contract.
    unsafe { buf.as_ref() }.map_or(core::ptr::null_mut(), |b| b.p)
}
