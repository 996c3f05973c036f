//! The exported pbuf functions. Each one checks its signature against the profile's
//! `lwip/pbuf.h`, turns C pointers into [`Seg`] handles (NULL gets lwIP's answer for a
//! missing argument, or a harmless one where lwIP would crash), and calls the safe code.
//! The safety contract of each export is lwIP's documented API.
#![allow(clippy::missing_safety_doc)]

use core::ffi::{c_char, c_int, c_void, CStr};
use core::ptr::{self, NonNull};

use super::alloc;
use super::chain;
use super::data;
use super::layout::Kind;
use super::raw::Seg;
use crate::abi::{c, err_t, pbuf, pbuf_layer, pbuf_type, s16_t, u16_t, u8_t};

/// A chain handle from C. SAFETY: `p` is NULL or a live pbuf chain, per lwIP's API contract.
unsafe fn seg(p: *const pbuf) -> Option<Seg> {
    // SAFETY: forwarded contract.
    unsafe { Seg::from_ptr(p) }
}

fn to_ptr(seg: Option<Seg>) -> *mut pbuf {
    seg.map_or(ptr::null_mut(), Seg::as_ptr)
}

fn to_err(result: Result<(), err_t>) -> err_t {
    result.err().unwrap_or(c::ERR_OK)
}

/// lwIP's `u8_t` result of the header functions: 0 on success.
fn failed(ok: bool) -> u8_t {
    u8_t::from(!ok)
}

/// Caller memory as a slice. SAFETY: `data` is NULL or holds `len` readable bytes.
unsafe fn input<'a>(data: *const c_void, len: u16_t) -> Option<&'a [u8]> {
    // SAFETY: forwarded contract.
    (!data.is_null()).then(|| unsafe { core::slice::from_raw_parts(data.cast(), len.into()) })
}

/// Caller memory as a writable slice. SAFETY: `data` is NULL or holds `len` writable bytes.
unsafe fn output<'a>(data: *mut c_void, len: u16_t) -> Option<&'a mut [u8]> {
    // SAFETY: forwarded contract.
    (!data.is_null()).then(|| unsafe { core::slice::from_raw_parts_mut(data.cast(), len.into()) })
}

/// The header room a layer asks for (lwIP keeps the low 16 bits).
fn offset(layer: pbuf_layer) -> u16 {
    layer as u16
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_alloc(l: pbuf_layer, length: u16_t, type_: pbuf_type) -> *mut pbuf {
    to_ptr(Kind::from_type(type_).and_then(|kind| alloc::alloc(offset(l), length, kind)))
}
same_signature!(pbuf_alloc(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_alloc_reference(payload: *mut c_void, length: u16_t, type_: pbuf_type) -> *mut pbuf {
    to_ptr(Kind::from_type(type_).and_then(|kind| alloc::alloc_reference(payload.cast(), length, kind)))
}
same_signature!(pbuf_alloc_reference(_, _, _));

#[cfg(lwip = "support_custom_pbuf")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_alloced_custom(
    l: pbuf_layer,
    length: u16_t,
    type_: pbuf_type,
    p: *mut crate::abi::pbuf_custom,
    payload_mem: *mut c_void,
    payload_mem_len: u16_t,
) -> *mut pbuf {
    let Some(custom) = NonNull::new(p) else { return ptr::null_mut() };
    // SAFETY: the caller's pbuf_custom and buffer, per lwIP's API contract.
    let seg = unsafe {
        alloc::alloced_custom(offset(l), length, type_ as u8, custom, payload_mem.cast(), payload_mem_len)
    };
    to_ptr(seg)
}
#[cfg(lwip = "support_custom_pbuf")]
same_signature!(pbuf_alloced_custom(_, _, _, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_realloc(p: *mut pbuf, size: u16_t) {
    // SAFETY: C pointer per lwIP's API contract.
    if let Some(p) = unsafe { seg(p) } {
        chain::realloc(p, size);
    }
}
same_signature!(pbuf_realloc(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_add_header(p: *mut pbuf, header_size_increment: usize) -> u8_t {
    // SAFETY: C pointer per lwIP's API contract.
    failed(unsafe { seg(p) }.is_some_and(|p| chain::add_header(p, header_size_increment, false)))
}
same_signature!(pbuf_add_header(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_add_header_force(p: *mut pbuf, header_size_increment: usize) -> u8_t {
    // SAFETY: C pointer per lwIP's API contract.
    failed(unsafe { seg(p) }.is_some_and(|p| chain::add_header(p, header_size_increment, true)))
}
same_signature!(pbuf_add_header_force(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_remove_header(p: *mut pbuf, header_size: usize) -> u8_t {
    // SAFETY: C pointer per lwIP's API contract.
    failed(unsafe { seg(p) }.is_some_and(|p| chain::remove_header(p, header_size)))
}
same_signature!(pbuf_remove_header(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_header(p: *mut pbuf, header_size: s16_t) -> u8_t {
    // SAFETY: C pointer per lwIP's API contract.
    failed(unsafe { seg(p) }.is_some_and(|p| chain::header(p, header_size, false)))
}
same_signature!(pbuf_header(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_header_force(p: *mut pbuf, header_size: s16_t) -> u8_t {
    // SAFETY: C pointer per lwIP's API contract.
    failed(unsafe { seg(p) }.is_some_and(|p| chain::header(p, header_size, true)))
}
same_signature!(pbuf_header_force(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_free_header(q: *mut pbuf, size: u16_t) -> *mut pbuf {
    // SAFETY: C pointer per lwIP's API contract.
    to_ptr(chain::free_header(unsafe { seg(q) }, size))
}
same_signature!(pbuf_free_header(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_ref(p: *mut pbuf) {
    // SAFETY: C pointer per lwIP's API contract.
    if let Some(p) = unsafe { seg(p) } {
        p.add_ref();
    }
}
same_signature!(pbuf_ref(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_free(p: *mut pbuf) -> u8_t {
    // SAFETY: C pointer per lwIP's API contract.
    unsafe { seg(p) }.map_or(0, chain::free)
}
same_signature!(pbuf_free(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_clen(p: *const pbuf) -> u16_t {
    // SAFETY: C pointer per lwIP's API contract.
    chain::clen(unsafe { seg(p) })
}
same_signature!(pbuf_clen(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_cat(head: *mut pbuf, tail: *mut pbuf) {
    // SAFETY: C pointers per lwIP's API contract.
    if let (Some(head), Some(tail)) = unsafe { (seg(head), seg(tail)) } {
        chain::cat(head, tail);
    }
}
same_signature!(pbuf_cat(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_chain(head: *mut pbuf, tail: *mut pbuf) {
    // SAFETY: C pointers per lwIP's API contract.
    unsafe {
        pbuf_cat(head, tail);
        // lwIP takes the reference even when the cat was refused for a NULL head.
        pbuf_ref(tail);
    }
}
same_signature!(pbuf_chain(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_dechain(p: *mut pbuf) -> *mut pbuf {
    // SAFETY: C pointer per lwIP's API contract.
    to_ptr(unsafe { seg(p) }.and_then(chain::dechain))
}
same_signature!(pbuf_dechain(_));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_copy(p_to: *mut pbuf, p_from: *const pbuf) -> err_t {
    // SAFETY: C pointers per lwIP's API contract.
    let (to, from) = unsafe { (seg(p_to), seg(p_from)) };
    let Some(from) = from else { return c::ERR_ARG };
    to_err(data::copy_partial_pbuf(to, Some(from), from.tot_len(), 0))
}
same_signature!(pbuf_copy(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_copy_partial_pbuf(
    p_to: *mut pbuf,
    p_from: *const pbuf,
    copy_len: u16_t,
    offset: u16_t,
) -> err_t {
    // SAFETY: C pointers per lwIP's API contract.
    let (to, from) = unsafe { (seg(p_to), seg(p_from)) };
    to_err(data::copy_partial_pbuf(to, from, copy_len, offset))
}
same_signature!(pbuf_copy_partial_pbuf(_, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_copy_partial(p: *const pbuf, dataptr: *mut c_void, len: u16_t, offset: u16_t) -> u16_t {
    // SAFETY: C pointers per lwIP's API contract (dataptr holds len bytes).
    let (Some(p), Some(out)) = (unsafe { seg(p) }, unsafe { output(dataptr, len) }) else { return 0 };
    data::copy_partial(p, out, offset) as u16_t
}
same_signature!(pbuf_copy_partial(_, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_get_contiguous(
    p: *const pbuf,
    buffer: *mut c_void,
    bufsize: usize,
    len: u16_t,
    offset: u16_t,
) -> *mut c_void {
    if bufsize < usize::from(len) {
        return ptr::null_mut();
    }
    // SAFETY: C pointers per lwIP's API contract (buffer holds bufsize >= len bytes).
    let (Some(p), Some(buffer)) = (unsafe { seg(p) }, unsafe { output(buffer, len) }) else {
        return ptr::null_mut();
    };
    data::contiguous(p, buffer, offset).map_or(ptr::null_mut(), |at| at.cast())
}
same_signature!(pbuf_get_contiguous(_, _, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_take(buf: *mut pbuf, dataptr: *const c_void, len: u16_t) -> err_t {
    // SAFETY: C pointers per lwIP's API contract (dataptr holds len bytes).
    let (Some(buf), Some(data)) = (unsafe { seg(buf) }, unsafe { input(dataptr, len) }) else { return c::ERR_ARG };
    to_err(data::take(buf, data))
}
same_signature!(pbuf_take(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_take_at(buf: *mut pbuf, dataptr: *const c_void, len: u16_t, offset: u16_t) -> err_t {
    // SAFETY: C pointers per lwIP's API contract (dataptr holds len bytes).
    let (buf, data) = unsafe { (seg(buf), input(dataptr, len)) };
    match data {
        Some(data) => to_err(data::take_at(buf, data, offset)),
        None if len == 0 => to_err(data::take_at(buf, &[], offset)),
        None => c::ERR_ARG,
    }
}
same_signature!(pbuf_take_at(_, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_skip(in_: *mut pbuf, in_offset: u16_t, out_offset: *mut u16_t) -> *mut pbuf {
    // SAFETY: C pointer per lwIP's API contract.
    let (at, offset) = data::skip(unsafe { seg(in_) }, in_offset);
    if !out_offset.is_null() {
        // SAFETY: the caller's out-parameter.
        unsafe { out_offset.write(offset) };
    }
    to_ptr(at)
}
same_signature!(pbuf_skip(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_coalesce(p: *mut pbuf, layer: pbuf_layer) -> *mut pbuf {
    // SAFETY: C pointer per lwIP's API contract.
    to_ptr(unsafe { seg(p) }.map(|p| chain::coalesce(p, offset(layer))))
}
same_signature!(pbuf_coalesce(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_clone(l: pbuf_layer, type_: pbuf_type, p: *mut pbuf) -> *mut pbuf {
    // SAFETY: C pointer per lwIP's API contract.
    let (Some(p), Some(kind)) = (unsafe { seg(p) }, Kind::from_type(type_)) else { return ptr::null_mut() };
    to_ptr(chain::clone(offset(l), kind, p))
}
same_signature!(pbuf_clone(_, _, _));

#[cfg(lwip = "checksum_on_copy")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_fill_chksum(
    p: *mut pbuf,
    start_offset: u16_t,
    dataptr: *const c_void,
    len: u16_t,
    chksum: *mut u16_t,
) -> err_t {
    // SAFETY: C pointers per lwIP's API contract (dataptr holds len bytes).
    let (Some(p), Some(data)) = (unsafe { seg(p) }, unsafe { input(dataptr, len) }) else { return c::ERR_ARG };
    let Some(chksum) = NonNull::new(chksum) else { return c::ERR_ARG };
    // SAFETY: the caller's in/out checksum.
    match data::fill_chksum(p, start_offset, data, unsafe { chksum.read() }) {
        Ok(sum) => {
            // SAFETY: as above.
            unsafe { chksum.write(sum) };
            c::ERR_OK
        }
        Err(err) => err,
    }
}
#[cfg(lwip = "checksum_on_copy")]
same_signature!(pbuf_fill_chksum(_, _, _, _, _));

#[cfg(all(lwip = "tcp", lwip = "tcp_queue_ooseq", lwip = "wnd_scale"))]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_split_64k(p: *mut pbuf, rest: *mut *mut pbuf) {
    if rest.is_null() {
        return;
    }
    // SAFETY: C pointers per lwIP's API contract.
    let tail = unsafe { seg(p) }.and_then(chain::split_64k);
    // SAFETY: the caller's out-parameter.
    unsafe { rest.write(to_ptr(tail)) };
}
#[cfg(all(lwip = "tcp", lwip = "tcp_queue_ooseq", lwip = "wnd_scale"))]
same_signature!(pbuf_split_64k(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_get_at(p: *const pbuf, offset: u16_t) -> u8_t {
    // SAFETY: C pointer per lwIP's API contract.
    data::try_get_at(unsafe { seg(p) }, offset).unwrap_or(0)
}
same_signature!(pbuf_get_at(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_try_get_at(p: *const pbuf, offset: u16_t) -> c_int {
    // SAFETY: C pointer per lwIP's API contract.
    data::try_get_at(unsafe { seg(p) }, offset).map_or(-1, c_int::from)
}
same_signature!(pbuf_try_get_at(_, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_put_at(p: *mut pbuf, offset: u16_t, data: u8_t) {
    // SAFETY: C pointer per lwIP's API contract.
    data::put_at(unsafe { seg(p) }, offset, data);
}
same_signature!(pbuf_put_at(_, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_memcmp(p: *const pbuf, offset: u16_t, s2: *const c_void, n: u16_t) -> u16_t {
    // SAFETY: C pointers per lwIP's API contract (s2 holds n bytes).
    let (Some(p), Some(s2)) = (unsafe { seg(p) }, unsafe { input(s2, n) }) else { return 0xFFFF };
    data::memcmp(p, offset, s2)
}
same_signature!(pbuf_memcmp(_, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_memfind(
    p: *const pbuf,
    mem: *const c_void,
    mem_len: u16_t,
    start_offset: u16_t,
) -> u16_t {
    // SAFETY: C pointers per lwIP's API contract (mem holds mem_len bytes).
    let (Some(p), Some(mem)) = (unsafe { seg(p) }, unsafe { input(mem, mem_len) }) else { return 0xFFFF };
    data::memfind(p, mem, start_offset)
}
same_signature!(pbuf_memfind(_, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_strstr(p: *const pbuf, substr: *const c_char) -> u16_t {
    if substr.is_null() {
        return 0xFFFF;
    }
    // SAFETY: a NUL-terminated string per lwIP's API contract.
    let needle = unsafe { CStr::from_ptr(substr) }.to_bytes();
    // SAFETY: C pointer per lwIP's API contract.
    unsafe { seg(p) }.map_or(0xFFFF, |p| data::strstr(p, needle))
}
same_signature!(pbuf_strstr(_, _));

/// lwIP queues the free to the tcpip thread; freeing is thread-safe here (atomic reference
/// counts), so it happens at once.
#[cfg(not(lwip = "no_sys"))]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pbuf_free_callback(p: *mut pbuf) -> err_t {
    // SAFETY: C pointer per lwIP's API contract.
    unsafe { pbuf_free(p) };
    c::ERR_OK
}
#[cfg(not(lwip = "no_sys"))]
same_signature!(pbuf_free_callback(_));
