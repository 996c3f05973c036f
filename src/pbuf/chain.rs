//! The shape and lifetime of chains: reference counting, freeing, trimming, headers,
//! joining and splitting. Lengths wrap as lwIP's `u16_t` arithmetic does.
#![deny(unsafe_code)]

use super::alloc::{self, release};
use super::data;
use super::layout::{data_follows_struct, Kind, STRUCT_SIZE};
use super::raw::Seg;

/// Drop one reference to each pbuf from the head on, while that was its last one.
/// Returns how many pbufs were released. A count already at zero (a double free) stops
/// the walk instead of wrapping around.
pub fn free(head: Seg) -> u8 {
    let mut released = 0u8;
    let mut next = Some(head);
    while let Some(seg) = next {
        if seg.drop_ref() != Some(true) {
            break;
        }
        next = seg.next();
        release(seg);
        released = released.wrapping_add(1);
    }
    released
}

/// Number of pbufs in the chain.
pub fn clen(head: Option<Seg>) -> u16 {
    head.map_or(0, |h| h.chain().fold(0u16, |n, _| n.wrapping_add(1)))
}

/// Shrink the chain to `new_len` bytes, releasing the pbufs no longer needed.
/// Growing is not supported (lwIP ignores it too).
pub fn realloc(head: Seg, new_len: u16) {
    if new_len >= head.tot_len() {
        return;
    }
    let shrink = head.tot_len() - new_len;
    let mut keep = new_len;
    let mut last = head;
    while keep > last.len() {
        keep -= last.len();
        last.set_tot_len(last.tot_len().wrapping_sub(shrink));
        match last.next() {
            Some(next) => last = next,
            None => return, // tot_len promised more pbufs than there are
        }
    }
    last.set_len(keep);
    last.set_tot_len(keep);
    if let Some(rest) = last.next() {
        free(rest);
    }
    last.set_next(None);
}

/// Reveal `n` more bytes in front of the payload. Pbufs without header room (ROM/REF,
/// custom pbufs of those types) only allow it when `force`d. Returns whether it moved.
pub fn add_header(seg: Seg, n: usize, force: bool) -> bool {
    let Ok(grow) = u16::try_from(n) else { return false };
    if grow == 0 {
        return true;
    }
    let Some(tot_len) = seg.tot_len().checked_add(grow) else { return false };
    if data_follows_struct(seg.type_internal()) {
        let room_starts = seg.addr() + STRUCT_SIZE;
        if (seg.payload() as usize).checked_sub(n).is_none_or(|start| start < room_starts) {
            return false;
        }
    } else if !force {
        return false;
    }
    seg.set_payload(seg.payload().wrapping_sub(n));
    seg.set_len(seg.len().wrapping_add(grow));
    seg.set_tot_len(tot_len);
    true
}

/// Hide `n` bytes at the front of this pbuf's payload. Returns whether it moved.
pub fn remove_header(seg: Seg, n: usize) -> bool {
    let Ok(shrink) = u16::try_from(n) else { return false };
    if shrink > seg.len() {
        return false;
    }
    seg.set_payload(seg.payload().wrapping_add(n));
    seg.set_len(seg.len() - shrink);
    seg.set_tot_len(seg.tot_len().wrapping_sub(shrink));
    true
}

/// `pbuf_header`: grow (positive) or shrink (negative) the header.
pub fn header(seg: Seg, delta: i16, force: bool) -> bool {
    if delta < 0 {
        remove_header(seg, delta.unsigned_abs().into())
    } else {
        add_header(seg, delta.unsigned_abs().into(), force)
    }
}

/// Drop `size` bytes from the front, releasing whole pbufs on the way. Returns the new head.
pub fn free_header(head: Option<Seg>, size: u16) -> Option<Seg> {
    let mut head = head;
    let mut left = size;
    while left > 0 {
        let Some(seg) = head else { break };
        if left >= seg.len() {
            left -= seg.len();
            head = seg.next();
            seg.set_next(None);
            free(seg);
        } else {
            remove_header(seg, left.into());
            left = 0;
        }
    }
    head
}

/// Append `tail` to `head`, taking over the caller's reference to `tail`. Like lwIP,
/// totals may wrap past 64 KiB.
pub fn cat(head: Seg, tail: Seg) {
    for seg in head.chain() {
        seg.set_tot_len(seg.tot_len().wrapping_add(tail.tot_len()));
    }
    head.last().set_next(Some(tail));
}

/// Detach the first pbuf. Returns the rest, unless dropping the first pbuf's reference
/// to it released it.
pub fn dechain(seg: Seg) -> Option<Seg> {
    let rest = seg.next()?;
    rest.set_tot_len(seg.tot_len().wrapping_sub(seg.len()));
    seg.set_next(None);
    seg.set_tot_len(seg.len());
    (free(rest) == 0).then_some(rest)
}

/// Cut the chain where its total would pass 64 KiB; returns the cut-off rest.
#[cfg(all(lwip = "tcp", lwip = "tcp_queue_ooseq", lwip = "wnd_scale"))]
pub fn split_64k(head: Seg) -> Option<Seg> {
    let mut front_len = head.len();
    let mut last = head;
    let mut rest = head.next();
    while let Some(seg) = rest {
        let Some(sum) = front_len.checked_add(seg.len()) else { break };
        front_len = sum;
        last = seg;
        rest = seg.next();
    }
    last.set_next(None);
    let rest = rest?;
    for seg in head.chain() {
        seg.set_tot_len(seg.tot_len().wrapping_sub(rest.tot_len()));
    }
    let fin = crate::abi::c::PBUF_FLAG_TCP_FIN;
    if head.flags() & fin != 0 {
        rest.set_flags(rest.flags() | fin);
    }
    Some(rest)
}

/// A new chain of `kind` with header room `offset` holding a copy of `src`'s data.
pub fn clone(offset: u16, kind: Kind, src: Seg) -> Option<Seg> {
    let copy = alloc::alloc(offset, src.tot_len(), kind)?;
    // Cannot fail: same length, and src is one packet.
    let _ = data::copy_partial_pbuf(Some(copy), Some(src), src.tot_len(), 0);
    Some(copy)
}

/// One `PBUF_RAM` pbuf with the chain's data, releasing the chain; the chain itself if it
/// is a single pbuf already or memory is short.
pub fn coalesce(head: Seg, offset: u16) -> Seg {
    if head.next().is_none() {
        return head;
    }
    match clone(offset, Kind::Ram, head) {
        Some(single) => {
            free(head);
            single
        }
        None => head,
    }
}
