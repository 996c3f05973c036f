//! Unit tests: the Rust helpers, and the exports exercised the way C code calls them.

use core::ffi::c_void;
use core::ptr::null_mut;
use std::sync::Mutex;
use std::vec::Vec;

use super::layout::{align_size, POOL_BUFSIZE};
use super::*;
use crate::abi::{c, pbuf};

/// Tests that count pool pbufs or change the pool limit run one at a time.
static POOL: Mutex<()> = Mutex::new(());

fn pool_lock() -> std::sync::MutexGuard<'static, ()> {
    POOL.lock().unwrap_or_else(|e| e.into_inner())
}

/// A chain of PBUF_RAM pbufs holding the given parts.
fn chain_of(parts: &[&[u8]]) -> *mut pbuf {
    let mut head: *mut pbuf = null_mut();
    for part in parts {
        let p = from_slice(part);
        if head.is_null() {
            head = p;
        } else {
            unsafe { pbuf_cat(head, p) };
        }
    }
    head
}

fn contents(p: *const pbuf) -> Vec<u8> {
    let mut out = std::vec![0; usize::from(unsafe { tot_len(p) })];
    let n = unsafe { copy_out(p, &mut out) };
    out.truncate(n);
    out
}

fn lens(p: *const pbuf) -> Vec<(u16, u16)> {
    let mut out = Vec::new();
    let mut p = p;
    while !p.is_null() {
        unsafe {
            out.push(((*p).len, (*p).tot_len));
            p = (*p).next;
        }
    }
    out
}

fn refs(p: *const pbuf) -> u32 {
    unsafe { (*p).ref_.into() }
}

#[test]
fn from_slice_round_trips() {
    let p = from_slice(b"hello");
    assert_eq!(contents(p), b"hello");
    let parts: Vec<&[u8]> = unsafe { segments(p) }.collect();
    assert_eq!(parts, [b"hello".as_slice()]);
    assert_eq!(unsafe { free(p) }, 1);
    assert!(from_slice(&[0; 70_000]).is_null());
    assert_eq!(unsafe { copy_out(null_mut(), &mut [0; 4]) }, 0);
}

#[test]
fn header_room_is_the_aligned_layer() {
    let room = align_size(c::PBUF_TRANSPORT as usize);
    let p = alloc(abi::PBUF_TRANSPORT, 10, abi::PBUF_RAM);
    unsafe {
        assert_eq!(pbuf_add_header(p, room + 1), 1);
        assert_eq!(pbuf_add_header(p, room), 0);
        assert_eq!(((*p).len, (*p).tot_len), (10 + room as u16, 10 + room as u16));
        assert_eq!(pbuf_add_header(p, 1), 1);
        assert_eq!(pbuf_remove_header(p, room), 0);
        assert_eq!(pbuf_header(p, -11), 1);
        assert_eq!(pbuf_header(p, -10), 0);
        assert_eq!((*p).len, 0);
        assert_eq!(pbuf_header(p, 10), 0);
        free(p);

        // Header-only pbufs only grow when forced.
        let data = [1u8, 2, 3, 4];
        let r = pbuf_alloc_reference(data.as_ptr().add(2) as *mut c_void, 2, abi::PBUF_REF);
        assert_eq!(pbuf_add_header(r, 2), 1);
        assert_eq!(pbuf_header_force(r, 2), 0);
        assert_eq!(contents(r), data);
        assert_eq!(pbuf_add_header(r, 0x1_0000), 1);
        free(r);
    }
}

#[test]
fn pool_chains_at_the_pool_bufsize() {
    let _guard = pool_lock();
    let before = pool_in_use();
    let len = (2 * POOL_BUFSIZE + 100) as u16;
    let p = alloc(abi::PBUF_RAW, len, abi::PBUF_POOL);
    assert_eq!(pool_in_use(), before + 3);
    let shape = lens(p);
    assert_eq!(shape.len(), 3);
    assert_eq!(shape[0], (POOL_BUFSIZE as u16, len));
    assert_eq!(shape[2], (100, 100));
    let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
    assert_eq!(unsafe { pbuf_take(p, data.as_ptr().cast(), len) }, c::ERR_OK);
    assert_eq!(contents(p), data);
    assert_eq!(unsafe { free(p) }, 3);
    assert_eq!(pool_in_use(), before);

    // The first pbuf keeps the layer's header room.
    let p = alloc(abi::PBUF_TRANSPORT, len, abi::PBUF_POOL);
    assert_eq!(lens(p)[0].0 as usize, POOL_BUFSIZE - align_size(c::PBUF_TRANSPORT as usize));
    unsafe { free(p) };

    // An empty pool pbuf is still one pbuf.
    let p = alloc(abi::PBUF_RAW, 0, abi::PBUF_POOL);
    assert_eq!(lens(p), [(0, 0)]);
    unsafe { free(p) };
}

#[test]
fn pool_limit_refuses_and_rolls_back() {
    let _guard = pool_lock();
    let before = pool_in_use();
    set_pool_limit(before + 2);
    let too_long = (2 * POOL_BUFSIZE + 1) as u16;
    assert!(alloc(abi::PBUF_RAW, too_long, abi::PBUF_POOL).is_null());
    assert_eq!(pool_in_use(), before);
    let a = alloc(abi::PBUF_RAW, 1, abi::PBUF_POOL);
    let b = alloc(abi::PBUF_RAW, 1, abi::PBUF_POOL);
    assert!(!a.is_null() && !b.is_null());
    assert!(alloc(abi::PBUF_RAW, 1, abi::PBUF_POOL).is_null());
    unsafe {
        free(a);
        free(b);
    }
    set_pool_limit(DEFAULT_POOL_LIMIT);
    assert_eq!(pool_in_use(), before);
}

#[test]
fn free_walks_while_counts_drop_to_zero() {
    // lwIP's own examples: counts a->b->c before pbuf_free(a), and what remains.
    for (counts, released) in [([1, 2, 3], 1), ([3, 3, 3], 0), ([1, 1, 2], 2), ([2, 1, 1], 0), ([1, 1, 1], 3)] {
        let p = chain_of(&[b"a", b"b", b"c"]);
        let segs = [p, unsafe { (*p).next }, unsafe { (*(*p).next).next }];
        for (seg, count) in segs.iter().zip(counts) {
            for _ in 1..count {
                unsafe { pbuf_ref(*seg) };
            }
        }
        assert_eq!(unsafe { pbuf_free(p) }, released, "counts {counts:?}");
        // Drop the extra references, front to back, so that nothing leaks.
        for (seg, count) in segs.iter().zip(counts).skip(released.into()) {
            for _ in 1..count {
                unsafe { pbuf_free(*seg) };
            }
        }
    }
    assert_eq!(unsafe { pbuf_free(null_mut()) }, 0);
}

#[test]
fn reference_count_saturates_instead_of_wrapping() {
    let p = alloc_ram(1);
    unsafe {
        for _ in 0..1000 {
            pbuf_ref(p);
        }
        let max = refs(p);
        assert!(max >= 255);
        for _ in 1..max {
            assert_eq!(pbuf_free(p), 0);
        }
        assert_eq!(pbuf_free(p), 1);
    }
}

#[test]
fn references_from_several_threads() {
    struct Shared(*mut pbuf);
    // SAFETY (test): the pbuf is only touched through pbuf_ref / pbuf_free.
    unsafe impl Sync for Shared {}
    impl Shared {
        fn get(&self) -> *mut pbuf {
            self.0
        }
    }
    let p = Shared(alloc_ram(8));
    let released = std::sync::atomic::AtomicU32::new(0);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..10_000 {
                    unsafe { pbuf_ref(p.get()) };
                    let n = unsafe { pbuf_free(p.get()) };
                    released.fetch_add(n.into(), std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
    });
    assert_eq!(released.into_inner(), 0);
    assert_eq!(refs(p.0), 1);
    assert_eq!(unsafe { pbuf_free(p.0) }, 1);
}

#[cfg(lwip = "support_custom_pbuf")]
static CUSTOM_FREED: Mutex<u32> = Mutex::new(0);

#[cfg(lwip = "support_custom_pbuf")]
unsafe extern "C" fn count_custom_free(_p: *mut pbuf) {
    *CUSTOM_FREED.lock().unwrap() += 1;
}

#[cfg(lwip = "support_custom_pbuf")]
#[test]
fn custom_pbufs_call_their_free_function_once() {
    let mut mem = [0u8; 64];
    let mut custom = abi::pbuf_custom { custom_free_function: Some(count_custom_free), ..Default::default() };
    unsafe {
        let buffer = mem.as_mut_ptr().cast();
        let too_small = pbuf_alloced_custom(abi::PBUF_TRANSPORT, 10, abi::PBUF_RAM, &mut custom, buffer, 64);
        assert!(too_small.is_null());
        let p = pbuf_alloced_custom(abi::PBUF_RAW, 16, abi::PBUF_REF, &mut custom, buffer, 64);
        assert_eq!(p, &raw mut custom.pbuf);
        assert_eq!((*p).flags & c::PBUF_FLAG_IS_CUSTOM, c::PBUF_FLAG_IS_CUSTOM);
        assert_eq!(pbuf_take(p, b"0123456789abcdef".as_ptr().cast(), 16), c::ERR_OK);
        assert_eq!(&mem[..16], b"0123456789abcdef");
        // Custom RAM pbufs are not trimmed, only their lengths change.
        pbuf_realloc(p, 4);
        assert_eq!(lens(p), [(4, 4)]);
        let before = *CUSTOM_FREED.lock().unwrap();
        assert_eq!(pbuf_free(p), 1);
        // The count is already zero: a second free changes nothing.
        assert_eq!(pbuf_free(p), 0);
        assert_eq!(*CUSTOM_FREED.lock().unwrap(), before + 1);
    }
}

#[test]
fn realloc_trims_and_releases_the_tail() {
    let p = chain_of(&[b"abc", b"def", b"ghi"]);
    unsafe {
        pbuf_realloc(p, 20);
        assert_eq!(lens(p), [(3, 9), (3, 6), (3, 3)]);
        pbuf_realloc(p, 5);
        assert_eq!(lens(p), [(3, 5), (2, 2)]);
        assert_eq!(contents(p), b"abcde");
        assert_eq!(pbuf_clen(p), 2);
        free(p);
    }
}

#[test]
fn cat_chain_dechain() {
    unsafe {
        let head = chain_of(&[b"ab"]);
        let tail = chain_of(&[b"cd", b"ef"]);
        pbuf_chain(head, tail);
        assert_eq!(refs(tail), 2);
        assert_eq!(lens(head), [(2, 6), (2, 4), (2, 2)]);
        let rest = pbuf_dechain(head);
        assert_eq!(rest, tail);
        assert_eq!(lens(head), [(2, 2)]);
        assert_eq!(refs(tail), 1);
        free(head);
        // The last reference goes with dechain: nothing is returned.
        let head = chain_of(&[b"ab", b"cd"]);
        assert!(pbuf_dechain(head).is_null());
        assert!(pbuf_dechain(head).is_null());
        free(head);
        free(tail);
        // A NULL head still takes a reference on the tail, as in lwIP.
        let t = alloc_ram(1);
        pbuf_chain(null_mut(), t);
        assert_eq!(refs(t), 2);
        free(t);
        free(t);
    }
}

#[test]
fn copies_between_chains() {
    unsafe {
        let from = chain_of(&[b"0123", b"45", b"6789"]);
        let to = chain_of(&[b"......", b"......"]);
        assert_eq!(pbuf_copy(to, from), c::ERR_OK);
        assert_eq!(contents(to), b"0123456789..");
        // An offset in the second pbuf lands there.
        assert_eq!(pbuf_copy_partial_pbuf(to, from, 3, 8), c::ERR_OK);
        assert_eq!(contents(to), b"01234567012.");
        assert_eq!(pbuf_copy_partial_pbuf(to, from, 3, 10), c::ERR_ARG);
        assert_eq!(pbuf_copy_partial_pbuf(to, from, 11, 0), c::ERR_ARG);
        assert_eq!(pbuf_copy(null_mut(), from), c::ERR_ARG);
        assert_eq!(pbuf_copy(to, null_mut()), c::ERR_ARG);
        // A packet queue (a pbuf holding its whole packet, followed by another) is refused
        // once the copy reaches it.
        let [x, y, z] = [b"x", b"y", b"z"].map(|d| from_slice(d));
        (*x).next = y;
        (*y).next = z;
        assert_eq!(pbuf_copy(to, x), c::ERR_VAL);
        for p in [x, y, z] {
            (*p).next = null_mut();
            free(p);
        }

        let mut out = [0u8; 6];
        assert_eq!(pbuf_copy_partial(from, out.as_mut_ptr().cast(), 6, 3), 6);
        assert_eq!(&out, b"345678");
        assert_eq!(pbuf_copy_partial(from, out.as_mut_ptr().cast(), 6, 8), 2);
        assert_eq!(pbuf_copy_partial(from, null_mut(), 6, 0), 0);

        let mut buf = [0u8; 4];
        let inside = pbuf_get_contiguous(from, buf.as_mut_ptr().cast(), 4, 2, 1);
        assert_eq!(inside, (*from).payload.cast::<u8>().add(1).cast());
        let copied = pbuf_get_contiguous(from, buf.as_mut_ptr().cast(), 4, 4, 3);
        assert_eq!(copied, buf.as_mut_ptr().cast());
        assert_eq!(&buf, b"3456");
        assert!(pbuf_get_contiguous(from, buf.as_mut_ptr().cast(), 3, 4, 0).is_null());
        assert!(pbuf_get_contiguous(from, buf.as_mut_ptr().cast(), 4, 4, 8).is_null());

        let clone = pbuf_clone(abi::PBUF_RAW, abi::PBUF_RAM, from);
        assert_eq!(lens(clone), [(10, 10)]);
        let single = pbuf_coalesce(from, abi::PBUF_RAW);
        assert_eq!(contents(single), contents(clone));
        assert_eq!(pbuf_coalesce(single, abi::PBUF_RAW), single);
        free(single);
        free(clone);
        free(to);
    }
}

#[test]
fn take_and_byte_access() {
    unsafe {
        let p = chain_of(&[b"....", b"...."]);
        assert_eq!(pbuf_take(p, b"abcdefghi".as_ptr().cast(), 9), c::ERR_MEM);
        assert_eq!(pbuf_take(p, null_mut(), 0), c::ERR_ARG);
        assert_eq!(pbuf_take_at(p, b"XYZ".as_ptr().cast(), 3, 3), c::ERR_OK);
        assert_eq!(contents(p), b"...XYZ..");
        assert_eq!(pbuf_take_at(p, b"XYZ".as_ptr().cast(), 3, 6), c::ERR_MEM);
        assert_eq!(pbuf_take_at(p, null_mut(), 0, 8), c::ERR_MEM);
        assert_eq!(pbuf_get_at(p, 4), b'Y');
        assert_eq!(pbuf_try_get_at(p, 8), -1);
        pbuf_put_at(p, 7, b'!');
        pbuf_put_at(p, 8, b'?');
        assert_eq!(contents(p), b"...XYZ.!");
        let mut offset = 0;
        assert_eq!(pbuf_skip(p, 5, &mut offset), (*p).next);
        assert_eq!(offset, 1);
        assert!(pbuf_skip(p, 8, &mut offset).is_null());
        free(p);
    }
}

#[test]
fn search_across_pbufs() {
    unsafe {
        let p = chain_of(&[b"GET /ind", b"ex.html HT", b"TP/1.1"]);
        assert_eq!(pbuf_memcmp(p, 4, b"/index".as_ptr().cast(), 6), 0);
        assert_eq!(pbuf_memcmp(p, 4, b"/inDex".as_ptr().cast(), 6), 4);
        assert_eq!(pbuf_memcmp(p, 21, b"1.1!".as_ptr().cast(), 4), 0xFFFF);
        assert_eq!(pbuf_memcmp(p, 20, b"/1.1".as_ptr().cast(), 4), 0);
        assert_eq!(pbuf_strstr(p, c"HTTP".as_ptr()), 16);
        assert_eq!(pbuf_strstr(p, c"".as_ptr()), 0xFFFF);
        assert_eq!(pbuf_strstr(p, core::ptr::null()), 0xFFFF);
        assert_eq!(pbuf_memfind(p, b"/".as_ptr().cast(), 1, 5), 20);
        assert_eq!(pbuf_memfind(p, b"x".as_ptr().cast(), 1, 0), 9);
        assert_eq!(pbuf_memfind(p, b"nope".as_ptr().cast(), 4, 0), 0xFFFF);
        free(p);
    }
}

#[cfg(lwip = "checksum_on_copy")]
fn naive_native_sum(data: &[u8]) -> u16 {
    let mut sum = 0u32;
    for pair in data.chunks(2) {
        sum += u32::from(u16::from_ne_bytes([pair[0], *pair.get(1).unwrap_or(&0)]));
    }
    while sum > 0xFFFF {
        sum = (sum >> 16) + (sum & 0xFFFF);
    }
    sum as u16
}

#[cfg(lwip = "checksum_on_copy")]
fn test_data() -> Vec<u8> {
    (0..301u32).map(|i| (i * 37 + 11) as u8).collect()
}

#[cfg(lwip = "checksum_on_copy")]
#[test]
fn checksum_is_lwips_native_order_sum() {
    let data = test_data();
    assert_eq!(data::native_chksum(&data), naive_native_sum(&data));
    assert_eq!(data::native_chksum(&[0xFF; 4]), 0xFFFF);
    assert_eq!(data::native_chksum(&[]), 0);
}

#[cfg(lwip = "checksum_on_copy")]
#[test]
fn checksum_on_copy_matches_lwip_sum() {
    let data = test_data();
    unsafe {
        let p = alloc_ram(400);
        let mut sum = 0u16;
        assert_eq!(pbuf_fill_chksum(p, 0, data.as_ptr().cast(), 100, &mut sum), c::ERR_OK);
        assert_eq!(pbuf_fill_chksum(p, 100, data[100..].as_ptr().cast(), 201, &mut sum), c::ERR_OK);
        assert_eq!(sum, naive_native_sum(&data));
        // Odd offsets pair bytes the other way; the total is the same.
        let mut odd = 0u16;
        assert_eq!(pbuf_fill_chksum(p, 0, data.as_ptr().cast(), 3, &mut odd), c::ERR_OK);
        assert_eq!(pbuf_fill_chksum(p, 3, data[3..].as_ptr().cast(), 298, &mut odd), c::ERR_OK);
        assert_eq!(odd, sum);
        assert_eq!(contents(p)[..301], data[..]);
        assert_eq!(pbuf_fill_chksum(p, 400, data.as_ptr().cast(), 1, &mut sum), c::ERR_ARG);
        assert_eq!(pbuf_fill_chksum(p, 300, data.as_ptr().cast(), 101, &mut sum), c::ERR_ARG);
        assert_eq!(pbuf_fill_chksum(p, 0, data.as_ptr().cast(), 1, null_mut()), c::ERR_ARG);
        free(p);
    }
}

#[test]
fn free_header_releases_whole_pbufs() {
    unsafe {
        let p = chain_of(&[b"abc", b"defg", b"hi"]);
        let second = (*p).next;
        let rest = pbuf_free_header(p, 5);
        assert_eq!(rest, second);
        assert_eq!(contents(rest), b"fghi");
        assert!(pbuf_free_header(rest, 6).is_null());
        assert!(pbuf_free_header(null_mut(), 6).is_null());
    }
}

#[cfg(all(lwip = "tcp", lwip = "tcp_queue_ooseq", lwip = "wnd_scale"))]
#[test]
fn split_64k_cuts_where_the_total_would_wrap() {
    unsafe {
        let [a, b, c] = [(); 3].map(|_| pbuf_alloc_reference(null_mut(), 30_000, abi::PBUF_REF));
        (*a).next = b;
        (*b).next = c;
        (*a).tot_len = 90_000u32 as u16;
        (*b).tot_len = 60_000;
        (*a).flags = c::PBUF_FLAG_TCP_FIN;
        let mut rest = null_mut();
        pbuf_split_64k(a, &mut rest);
        assert_eq!(rest, c);
        assert_eq!(lens(a), [(30_000, 60_000), (30_000, 30_000)]);
        assert_eq!((*rest).flags & c::PBUF_FLAG_TCP_FIN, c::PBUF_FLAG_TCP_FIN);
        pbuf_split_64k(a, &mut rest);
        assert!(rest.is_null());
        free(a);
        free(c);
    }
}

#[test]
fn bad_arguments_get_lwip_answers() {
    unsafe {
        assert!(pbuf_alloc(abi::PBUF_RAW, 1, 12345).is_null());
        assert!(pbuf_alloc_reference(null_mut(), 1, abi::PBUF_RAM).is_null());
        assert_eq!(pbuf_clen(null_mut()), 0);
        pbuf_ref(null_mut());
        pbuf_cat(null_mut(), null_mut());
        assert_eq!(pbuf_add_header(null_mut(), 1), 1);
        assert_eq!(pbuf_remove_header(null_mut(), 1), 1);
        assert_eq!(pbuf_get_at(null_mut(), 0), 0);
        assert_eq!(pbuf_try_get_at(null_mut(), 0), -1);
        assert!(pbuf_clone(abi::PBUF_RAW, abi::PBUF_RAM, null_mut()).is_null());
        assert!(pbuf_coalesce(null_mut(), abi::PBUF_RAW).is_null());
        assert_eq!(pbuf_memfind(null_mut(), b"a".as_ptr().cast(), 1, 0), 0xFFFF);
        #[cfg(not(lwip = "no_sys"))]
        assert_eq!(pbuf_free_callback(null_mut()), c::ERR_OK);
        // A REF pbuf without payload reads as nothing instead of crashing.
        let r = pbuf_alloc(abi::PBUF_RAW, 8, abi::PBUF_REF);
        assert!((*r).payload.is_null());
        assert_eq!(pbuf_try_get_at(r, 0), -1);
        assert_eq!(pbuf_take(r, b"12345678".as_ptr().cast(), 8), c::ERR_OK);
        free(r);
        // Header room larger than a pool pbuf cannot be had.
        assert!(pbuf_alloc(0xFFFF, 1, abi::PBUF_POOL).is_null());
    }
}
