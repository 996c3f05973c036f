//! Where pbufs come from and go back to: the C heap, and the pool's accounting.
//!
//! Every pbuf we allocate is one `malloc` block (lwIP with `MEM_LIBC_MALLOC` and
//! `MEMP_MEM_MALLOC` does the same), so shrinking a `PBUF_RAM` keeps its block as lwIP's
//! `mem_trim` does there. The pool is a count of live `PBUF_POOL` pbufs, bounded by
//! `PBUF_POOL_SIZE` unless the profile takes pool memory from the heap (`MEMP_MEM_MALLOC`).

use core::ffi::c_void;
use core::ptr::NonNull;
use crate::sys::atomic::{AtomicUsize, Ordering};

use super::layout::{align_size, AllocSrc, Kind, POOL_BUFSIZE, STRUCT_SIZE};
use super::raw::Seg;
use crate::abi::{c, mem_size_t, pbuf};

/// The profile's bound on live `PBUF_POOL` pbufs.
pub const DEFAULT_POOL_LIMIT: usize =
    if cfg!(lwip = "memp_mem_malloc") { usize::MAX } else { c::PBUF_POOL_SIZE };

static POOL_LIMIT: AtomicUsize = AtomicUsize::new(DEFAULT_POOL_LIMIT);
static POOL_IN_USE: AtomicUsize = AtomicUsize::new(0);

pub fn pool_limit() -> usize {
    POOL_LIMIT.load(Ordering::Relaxed)
}

pub fn set_pool_limit(limit: usize) {
    POOL_LIMIT.store(limit, Ordering::Relaxed);
}

pub fn pool_in_use() -> usize {
    POOL_IN_USE.load(Ordering::Relaxed)
}

fn take_pool_slot() -> bool {
    POOL_IN_USE
        .fetch_update(Ordering::AcqRel, Ordering::Relaxed, |n| (n < pool_limit()).then_some(n + 1))
        .is_ok()
}

fn return_pool_slot() {
    let _ = POOL_IN_USE.fetch_update(Ordering::AcqRel, Ordering::Relaxed, |n| n.checked_sub(1));
}

/// A block of `size` bytes aligned to `MEM_ALIGNMENT`, for a pbuf header and its data.
fn heap_alloc(size: usize) -> Option<NonNull<pbuf>> {
    const MALLOC_ALIGN: usize = 2 * core::mem::size_of::<usize>();
    let align = c::MEM_ALIGNMENT.max(core::mem::align_of::<pbuf>());
    // SAFETY: plain C allocation calls; aligned_alloc gets a power of two and a multiple of it.
    let block = unsafe {
        if align <= MALLOC_ALIGN {
            crate::sys::clib::malloc(size)
        } else {
            crate::sys::clib::aligned_alloc(align, size.next_multiple_of(align))
        }
    };
    NonNull::new(block.cast())
}

fn heap_free(p: *mut pbuf) {
    // SAFETY: `p` came from heap_alloc and its last reference is gone.
    unsafe { crate::sys::clib::free(p.cast::<c_void>()) }
}

/// A block holding the struct plus `data` bytes, zeroed struct included, with the payload
/// pointer `header_room` bytes into the data area.
fn alloc_block(data: usize, header_room: usize, len: u16, tot_len: u16, kind: Kind) -> Option<Seg> {
    let block = heap_alloc(STRUCT_SIZE + data)?;
    // SAFETY: the block is ours and large enough; zeroing covers LWIP_PBUF_CUSTOM_DATA.
    unsafe { block.as_ptr().write_bytes(0, 1) };
    let payload = block.as_ptr().cast::<u8>().wrapping_add(STRUCT_SIZE + header_room);
    // SAFETY: the block holds the struct, then header_room + len bytes of data.
    Some(unsafe { Seg::init(block, payload, tot_len, len, kind.type_internal(), 0) })
}

/// `pbuf_alloc` with a header room of `offset` bytes (the layer).
pub fn alloc(offset: u16, len: u16, kind: Kind) -> Option<Seg> {
    match kind {
        Kind::Ram => alloc_ram(offset, len),
        Kind::Pool => alloc_pool(offset, len),
        Kind::Rom | Kind::Ref => alloc_reference(core::ptr::null_mut(), len, kind),
    }
}

fn alloc_ram(offset: u16, len: u16) -> Option<Seg> {
    let room = align_size(offset.into());
    let data = room + align_size(len.into());
    // lwIP refuses sizes its mem_size_t cannot express.
    if mem_size_t::try_from(STRUCT_SIZE + data).is_err() {
        return None;
    }
    alloc_block(data, room, len, len, Kind::Ram)
}

/// A chain of pool pbufs; the first keeps `offset` bytes of header room.
fn alloc_pool(offset: u16, len: u16) -> Option<Seg> {
    let first_room = align_size(offset.into());
    // lwIP would overrun the pbuf here; we refuse instead.
    if first_room >= POOL_BUFSIZE {
        return None;
    }
    let mut head: Option<Seg> = None;
    let mut last: Option<Seg> = None;
    let mut room = first_room;
    let mut remaining = len;
    loop {
        let capacity = u16::try_from(POOL_BUFSIZE - room).unwrap_or(u16::MAX);
        let seg_len = remaining.min(capacity);
        let Some(seg) = alloc_pool_pbuf(room, seg_len, remaining) else {
            if let Some(head) = head {
                super::chain::free(head);
            }
            return None;
        };
        match last {
            Some(last) => last.set_next(Some(seg)),
            None => head = Some(seg),
        }
        last = Some(seg);
        remaining -= seg_len;
        room = 0;
        if remaining == 0 {
            return head;
        }
    }
}

fn alloc_pool_pbuf(room: usize, len: u16, tot_len: u16) -> Option<Seg> {
    if !take_pool_slot() {
        return None;
    }
    let seg = alloc_block(POOL_BUFSIZE, room, len, tot_len, Kind::Pool);
    if seg.is_none() {
        return_pool_slot();
    }
    seg
}

/// `pbuf_alloc_reference`: a header-only pbuf for `PBUF_ROM` / `PBUF_REF` payloads.
pub fn alloc_reference(payload: *mut u8, len: u16, kind: Kind) -> Option<Seg> {
    if !matches!(kind, Kind::Rom | Kind::Ref) {
        return None;
    }
    let block = heap_alloc(STRUCT_SIZE)?;
    // SAFETY: the block is ours; the payload is the caller's memory of `len` bytes.
    unsafe {
        block.as_ptr().write_bytes(0, 1);
        Some(Seg::init(block, payload, len, len, kind.type_internal(), 0))
    }
}

/// `pbuf_alloced_custom`: turn the caller's `pbuf_custom` into a pbuf over the caller's
/// buffer `mem` of `mem_len` bytes (or no payload yet, when `mem` is NULL), keeping `offset`
/// bytes of header room. `type_internal` is stored as given: the type only says how lwIP
/// treats the pbuf.
///
/// # Safety
/// `custom` is valid for writes and `mem` (if not NULL) holds `mem_len` bytes; both stay
/// alive until the custom free function runs.
#[cfg(lwip = "support_custom_pbuf")]
pub unsafe fn alloced_custom(
    offset: u16,
    len: u16,
    type_internal: u8,
    custom: NonNull<crate::abi::pbuf_custom>,
    mem: *mut u8,
    mem_len: u16,
) -> Option<Seg> {
    let room = align_size(offset.into());
    if room + usize::from(len) > usize::from(mem_len) {
        return None;
    }
    let payload = if mem.is_null() { mem } else { mem.wrapping_add(room) };
    // SAFETY: `pbuf` is the first field of the caller's struct; payload holds len bytes.
    let p = unsafe { NonNull::new_unchecked(&raw mut (*custom.as_ptr()).pbuf) };
    // SAFETY: as above.
    Some(unsafe { Seg::init(p, payload, len, len, type_internal, c::PBUF_FLAG_IS_CUSTOM) })
}

/// Give back one pbuf whose last reference is gone.
pub fn release(seg: Seg) {
    #[cfg(lwip = "support_custom_pbuf")]
    if seg.flags() & c::PBUF_FLAG_IS_CUSTOM != 0 {
        let custom = seg.as_ptr().cast::<crate::abi::pbuf_custom>();
        // SAFETY: a pbuf flagged custom is the first field of the caller's pbuf_custom.
        if let Some(free) = unsafe { (*custom).custom_free_function } {
            // SAFETY: calling the owner's free function, as lwIP does.
            unsafe { free(seg.as_ptr()) };
        }
        return;
    }
    match AllocSrc::of(seg.type_internal()) {
        AllocSrc::Pool => {
            heap_free(seg.as_ptr());
            return_pool_slot();
        }
        AllocSrc::Heap | AllocSrc::MempPbuf => heap_free(seg.as_ptr()),
        // Not ours to free (lwIP does not free those either).
        AllocSrc::Application => {}
    }
}
