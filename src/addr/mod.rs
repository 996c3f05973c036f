//! Address helpers (lwip/ip_addr.h, lwip/def.h, lwip/err.h): text conversion, byte order,
//! the constant address objects, err_to_errno.

use crate::abi::u16_t;

/// Host to network byte order, 16 bits.
#[unsafe(no_mangle)]
pub extern "C" fn lwip_htons(x: u16_t) -> u16_t {
    x.to_be()
}
same_signature!(lwip_htons(_));
