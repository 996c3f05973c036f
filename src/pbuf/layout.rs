//! Sizes and type bits of pbufs in the active profile, all derived from its headers.
//!
//! A pbuf with data (`PBUF_RAM`, each pbuf of a `PBUF_POOL` chain) is one heap block: the
//! aligned `struct pbuf`, then room for the layer's headers, then the payload. The header
//! room is what lets `pbuf_add_header` move the payload pointer back later.

use crate::abi::{self, c, pbuf, pbuf_type};

/// `LWIP_MEM_ALIGN_SIZE`: round up to the profile's `MEM_ALIGNMENT`.
pub const fn align_size(n: usize) -> usize {
    n.next_multiple_of(c::MEM_ALIGNMENT)
}

/// Where the header room starts, counted from the start of the block.
pub const STRUCT_SIZE: usize = align_size(core::mem::size_of::<pbuf>());

/// Capacity of one pool pbuf (header room of the first one included), as lwIP's `opt.h`
/// computes `PBUF_POOL_BUFSIZE` from `lwipopts.h`. Deliberately not `c::PBUF_POOL_BUFSIZE`:
/// in profiles built on glibc, `<netinet/tcp.h>` redefines `TCP_MSS` to 512 before that macro
/// is expanded, which is not what `lwipopts.h` asks for.
pub const POOL_BUFSIZE: usize = align_size(
    c::TCP_MSS as usize
        + c::PBUF_IP_HLEN
        + c::PBUF_TRANSPORT_HLEN
        + c::PBUF_LINK_ENCAPSULATION_HLEN
        + c::PBUF_LINK_HLEN,
);

/// The four kinds of pbuf `pbuf_alloc` knows, from a `pbuf_type` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Header and payload in one heap block.
    Ram,
    /// A chain of pool-sized blocks.
    Pool,
    /// Header only; the payload is immutable memory elsewhere.
    Rom,
    /// Header only; the payload is volatile memory elsewhere.
    Ref,
}

impl Kind {
    pub fn from_type(ty: pbuf_type) -> Option<Kind> {
        match ty {
            abi::PBUF_RAM => Some(Kind::Ram),
            abi::PBUF_POOL => Some(Kind::Pool),
            abi::PBUF_ROM => Some(Kind::Rom),
            abi::PBUF_REF => Some(Kind::Ref),
            _ => None,
        }
    }

    pub fn pbuf_type(self) -> pbuf_type {
        match self {
            Kind::Ram => abi::PBUF_RAM,
            Kind::Pool => abi::PBUF_POOL,
            Kind::Rom => abi::PBUF_ROM,
            Kind::Ref => abi::PBUF_REF,
        }
    }

    /// The value stored in `type_internal` (lwIP keeps the low byte of the enum).
    pub fn type_internal(self) -> u8 {
        self.pbuf_type() as u8
    }
}

/// Where a pbuf's memory came from, read back from `type_internal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllocSrc {
    Heap,
    /// Header-only pbufs (`PBUF_ROM`, `PBUF_REF`).
    MempPbuf,
    Pool,
    /// A source lwIP reserves for applications; it never frees those itself.
    Application,
}

impl AllocSrc {
    pub fn of(type_internal: u8) -> AllocSrc {
        match type_internal & c::PBUF_TYPE_ALLOC_SRC_MASK {
            c::PBUF_TYPE_ALLOC_SRC_MASK_STD_HEAP => AllocSrc::Heap,
            c::PBUF_TYPE_ALLOC_SRC_MASK_STD_MEMP_PBUF => AllocSrc::MempPbuf,
            c::PBUF_TYPE_ALLOC_SRC_MASK_STD_MEMP_PBUF_POOL => AllocSrc::Pool,
            _ => AllocSrc::Application,
        }
    }
}

/// Whether the payload sits in the same block right after the struct, so headers can grow
/// into the room in front of it.
pub fn data_follows_struct(type_internal: u8) -> bool {
    type_internal & c::PBUF_TYPE_FLAG_STRUCT_DATA_CONTIGUOUS != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_bufsize_follows_lwipopts() {
        assert_eq!(POOL_BUFSIZE % c::MEM_ALIGNMENT, 0);
        assert!(POOL_BUFSIZE >= c::TCP_MSS as usize + c::PBUF_TRANSPORT as usize);
    }

    #[test]
    fn kinds_round_trip() {
        for kind in [Kind::Ram, Kind::Pool, Kind::Rom, Kind::Ref] {
            assert_eq!(Kind::from_type(kind.pbuf_type()), Some(kind));
        }
        assert_eq!(AllocSrc::of(Kind::Ram.type_internal()), AllocSrc::Heap);
        assert_eq!(AllocSrc::of(Kind::Pool.type_internal()), AllocSrc::Pool);
        assert_eq!(AllocSrc::of(Kind::Ref.type_internal()), AllocSrc::MempPbuf);
        assert!(data_follows_struct(Kind::Ram.type_internal()));
        assert!(!data_follows_struct(Kind::Rom.type_internal()));
    }
}
