//! The bytes of a chain: offsets, copies in and out, byte access, search, checksum-on-copy.
//! Offsets are positions in the packet, across pbufs.
#![deny(unsafe_code)]

use super::raw::Seg;
use crate::abi::{c, err_t};

/// The pbuf holding byte `offset` and the offset within it; `None` past the end.
pub fn skip(head: Option<Seg>, offset: u16) -> (Option<Seg>, u16) {
    let mut left = offset;
    let mut at = head;
    while let Some(seg) = at {
        if seg.len() > left {
            break;
        }
        left -= seg.len();
        at = seg.next();
    }
    (at, left)
}

/// The chain's bytes from `offset` to the end of its last pbuf.
fn bytes_from(head: Option<Seg>, offset: u16) -> impl Iterator<Item = u8> {
    let (first, start) = skip(head, offset);
    first
        .into_iter()
        .flat_map(Seg::chain)
        .scan(usize::from(start), |start, seg| {
            let from = core::mem::take(start);
            Some((from..usize::from(seg.len())).map(move |i| seg.byte(i).unwrap_or(0)))
        })
        .flatten()
}

/// Copy `copy_len` bytes of packet `from` into packet `to` at `offset`.
/// `ERR_ARG` when either is missing or too short, `ERR_VAL` when one turns out to be a
/// packet queue (a pbuf holding its whole packet, yet followed by another).
pub fn copy_partial_pbuf(to: Option<Seg>, from: Option<Seg>, copy_len: u16, offset: u16) -> Result<(), err_t> {
    let from = from.filter(|f| f.tot_len() >= copy_len).ok_or(c::ERR_ARG)?;
    let fits = |t: &Seg| usize::from(t.tot_len()) >= usize::from(offset) + usize::from(copy_len);
    let mut to = to.filter(fits).ok_or(c::ERR_ARG)?;
    // Start in the pbuf the offset falls in (lwIP 2.1.3 would write past the first one).
    let mut to_offset = usize::from(offset);
    while to_offset > usize::from(to.len()) {
        to_offset -= usize::from(to.len());
        to = to.next().ok_or(c::ERR_ARG)?;
    }
    let (mut to, mut from) = (Some(to), Some(from));
    let mut from_offset = 0;
    let mut left = usize::from(copy_len);
    loop {
        let (Some(t), Some(f)) = (to, from) else { return Err(c::ERR_ARG) };
        let n = left.min(usize::from(t.len()) - to_offset).min(usize::from(f.len()) - from_offset);
        t.copy_from(to_offset, f, from_offset, n);
        to_offset += n;
        from_offset += n;
        left -= n;
        if from_offset >= usize::from(f.len()) {
            from_offset = 0;
            from = f.next();
            if from.is_none() && left > 0 {
                return Err(c::ERR_ARG);
            }
        }
        if to_offset == usize::from(t.len()) {
            to_offset = 0;
            to = t.next();
            if to.is_none() && left > 0 {
                return Err(c::ERR_ARG);
            }
        }
        if [from, to].into_iter().flatten().any(is_queue_head) {
            return Err(c::ERR_VAL);
        }
        if left == 0 {
            return Ok(());
        }
    }
}

/// A pbuf that holds all of its packet but has a successor: the chain is a packet queue.
fn is_queue_head(seg: Seg) -> bool {
    seg.len() == seg.tot_len() && seg.next().is_some()
}

/// Copy packet bytes from `offset` into `out`, as many as there are. Returns the count.
pub fn copy_partial(head: Seg, out: &mut [u8], offset: u16) -> usize {
    let mut offset = usize::from(offset);
    let mut copied = 0;
    for seg in head.chain() {
        if copied == out.len() {
            break;
        }
        if offset != 0 && offset >= usize::from(seg.len()) {
            offset -= usize::from(seg.len());
            continue;
        }
        copied += seg.read(offset, &mut out[copied..]);
        offset = 0;
    }
    copied
}

/// `pbuf_get_contiguous`: a pointer to `buffer.len()` bytes at `offset`, into the payload
/// when they sit in one pbuf, else into `buffer` after copying them there.
pub fn contiguous(head: Seg, buffer: &mut [u8], offset: u16) -> Option<*mut u8> {
    let (seg, at) = skip(Some(head), offset);
    let seg = seg?;
    if usize::from(seg.len()) >= usize::from(at) + buffer.len() {
        return Some(seg.payload().wrapping_add(at.into()));
    }
    (copy_partial(seg, buffer, at) == buffer.len()).then_some(buffer.as_mut_ptr())
}

/// Fill the packet from its start with `data`. `ERR_MEM` if it is shorter than `data`.
pub fn take(head: Seg, data: &[u8]) -> Result<(), err_t> {
    if usize::from(head.tot_len()) < data.len() {
        return Err(c::ERR_MEM);
    }
    let mut rest = data;
    for seg in head.chain() {
        if rest.is_empty() {
            break;
        }
        let n = rest.len().min(seg.len().into());
        seg.write(0, &rest[..n]);
        rest = &rest[n..];
    }
    if rest.is_empty() { Ok(()) } else { Err(c::ERR_MEM) }
}

/// Write `data` into the packet at `offset`. `ERR_MEM` if it does not fit.
pub fn take_at(head: Option<Seg>, data: &[u8], offset: u16) -> Result<(), err_t> {
    let (seg, at) = skip(head, offset);
    let seg = seg.ok_or(c::ERR_MEM)?;
    if usize::from(seg.tot_len()) < usize::from(at) + data.len() {
        return Err(c::ERR_MEM);
    }
    let first = data.len().min(usize::from(seg.len() - at));
    seg.write(at.into(), &data[..first]);
    match &data[first..] {
        [] => Ok(()),
        rest => take(seg.next().ok_or(c::ERR_ARG)?, rest),
    }
}

/// The byte at `offset`, if the packet is that long.
pub fn try_get_at(head: Option<Seg>, offset: u16) -> Option<u8> {
    let (seg, at) = skip(head, offset);
    seg?.byte(at.into())
}

/// Overwrite the byte at `offset`; nothing happens past the end.
pub fn put_at(head: Option<Seg>, offset: u16, value: u8) {
    if let (Some(seg), at) = skip(head, offset) {
        seg.set_byte(at.into(), value);
    }
}

/// Compare the packet at `offset` with `other`: 0 when equal, else the 1-based position
/// of the first difference, or 0xFFFF when the packet is too short.
pub fn memcmp(head: Seg, offset: u16, other: &[u8]) -> u16 {
    if usize::from(head.tot_len()) < usize::from(offset) + other.len() {
        return 0xFFFF;
    }
    // Bytes a broken chain lacks compare as 0, as lwIP's pbuf_get_at reads them.
    let packet = bytes_from(Some(head), offset).chain(core::iter::repeat(0));
    match packet.zip(other).position(|(a, b)| a != *b) {
        Some(i) => u16::try_from(i + 1).unwrap_or(0xFFFF),
        None => 0,
    }
}

/// First position at or after `start` where `needle` occurs, or 0xFFFF.
pub fn memfind(head: Seg, needle: &[u8], start: u16) -> u16 {
    let tot_len = usize::from(head.tot_len());
    if tot_len < needle.len() + usize::from(start) {
        return 0xFFFF;
    }
    let last_start = (tot_len - needle.len()) as u16;
    (start..=last_start).find(|&at| memcmp(head, at, needle) == 0).unwrap_or(0xFFFF)
}

/// `pbuf_strstr`: like memfind from 0, for a non-empty needle shorter than 0xFFFF in a
/// packet shorter than 0xFFFF.
pub fn strstr(head: Seg, needle: &[u8]) -> u16 {
    if needle.is_empty() || head.tot_len() == 0xFFFF || needle.len() >= 0xFFFF {
        return 0xFFFF;
    }
    memfind(head, needle, 0)
}

/// Copy `data` into this pbuf (not the chain) at `offset` and add its Internet checksum
/// to `sum`, as lwIP keeps it (one's complement sum of native-order 16-bit words).
/// `ERR_ARG` if it does not fit in this pbuf.
#[cfg(lwip = "checksum_on_copy")]
pub fn fill_chksum(seg: Seg, offset: u16, data: &[u8], sum: u16) -> Result<u16, err_t> {
    if offset >= seg.len() || usize::from(offset) + data.len() > usize::from(seg.len()) {
        return Err(c::ERR_ARG);
    }
    seg.write(offset.into(), data);
    let mut part = native_chksum(data);
    // Words of the packet start at even offsets: an odd start swaps our pairing.
    if offset & 1 != 0 {
        part = part.swap_bytes();
    }
    let acc = u32::from(sum) + u32::from(part);
    Ok(((acc >> 16) + (acc & 0xFFFF)) as u16)
}

/// One's complement sum of `data` as native-order 16-bit words (what lwIP's
/// `lwip_standard_chksum` returns), from smoltcp's network-order sum.
#[cfg(lwip = "checksum_on_copy")]
pub fn native_chksum(data: &[u8]) -> u16 {
    smoltcp::wire::checksum::data(data).to_be()
}
