//! `tapif_init`: the host TAP driver, compatible with lwIP's unix port.
//!
//! Device name from `PRECONFIGURED_TAPIF`, else `tap0`; an existing device is attached to
//! (TUNSETIFF attaches when the name exists). Without `PRECONFIGURED_TAPIF`, lwIP's port
//! runs `ifconfig` to give the host side the netif's gateway address; we do the same with
//! ioctls (no external program). With a tcpip thread running, that thread reads the device
//! itself (`core::fdpoll`); otherwise (NO_SYS) a dedicated thread blocked in `read` hands
//! frames to `netif->input`. Either way frames arrive without a polling sleep.

use alloc::boxed::Box;
use core::ffi::{c_int, c_void};

use crate::abi::{c, err_t, netif, pbuf};

/// Per-netif driver state, in `netif->state`.
struct Tap {
    fd: c_int,
}

const IFNAMSIZ: usize = 16;

/// The name of the TAP device, as lwIP's unix port picks it.
fn device_name() -> ([u8; IFNAMSIZ], bool) {
    let mut name = [0u8; IFNAMSIZ];
    let (src, preconfigured): (&[u8], bool) = match crate::ffi::getenv(c"PRECONFIGURED_TAPIF") {
        Some(v) if !v.is_empty() => (v, true),
        _ => (b"tap0", false),
    };
    let n = src.len().min(IFNAMSIZ - 1);
    name[..n].copy_from_slice(&src[..n]);
    (name, preconfigured)
}

#[repr(C)]
struct IfReqFlags {
    name: [u8; IFNAMSIZ],
    flags: libc::c_short,
    _pad: [u8; 22],
}

#[repr(C)]
struct IfReqAddr {
    name: [u8; IFNAMSIZ],
    addr: libc::sockaddr_in,
    _pad: [u8; 8],
}

fn open_tap(name: &[u8; IFNAMSIZ]) -> Option<c_int> {
    // SAFETY: plain syscalls with valid, initialised arguments.
    unsafe {
        let fd = libc::open(c"/dev/net/tun".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC);
        if fd < 0 {
            return None;
        }
        let mut req = IfReqFlags { name: *name, flags: (libc::IFF_TAP | libc::IFF_NO_PI) as libc::c_short, _pad: [0; 22] };
        if libc::ioctl(fd, libc::TUNSETIFF as _, &mut req) < 0 {
            libc::close(fd);
            return None;
        }
        Some(fd)
    }
}

/// Give the host side of the TAP the netif's gateway address and bring it up (what lwIP's
/// port does with `ifconfig` when the device is not preconfigured).
fn configure_host_side(name: &[u8; IFNAMSIZ], addr: [u8; 4], mask: [u8; 4]) {
    // SAFETY: plain socket/ioctl calls on stack-allocated, initialised requests.
    unsafe {
        let s = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if s < 0 {
            return;
        }
        for (request, value) in [(libc::SIOCSIFADDR, addr), (libc::SIOCSIFNETMASK, mask)] {
            let mut req = IfReqAddr { name: *name, addr: core::mem::zeroed(), _pad: [0; 8] };
            req.addr.sin_family = libc::AF_INET as _;
            req.addr.sin_addr.s_addr = u32::from_ne_bytes(value);
            libc::ioctl(s, request as _, &mut req);
        }
        let mut req = IfReqFlags { name: *name, flags: 0, _pad: [0; 22] };
        if libc::ioctl(s, libc::SIOCGIFFLAGS as _, &mut req) == 0 {
            req.flags |= libc::IFF_UP as libc::c_short;
            libc::ioctl(s, libc::SIOCSIFFLAGS as _, &mut req);
        }
        libc::close(s);
    }
}

/// `netif->linkoutput`: one frame, one write.
unsafe extern "C" fn tap_linkoutput(nif: *mut netif, p: *mut pbuf) -> err_t {
    // SAFETY: called by the stack with a live netif we initialised and a valid pbuf.
    unsafe {
        let tap = &*((*nif).state as *const Tap);
        let len = (*p).tot_len as usize;
        let written = if (*p).len as usize == len {
            write_frame(tap.fd, (*p).payload, len)
        } else {
            let mut buf = [0u8; 1518];
            if len > buf.len() {
                return c::ERR_IF;
            }
            crate::pbuf::pbuf_copy_partial(p, buf.as_mut_ptr() as *mut c_void, len as u16, 0);
            write_frame(tap.fd, buf.as_ptr() as *const c_void, len)
        };
        if written == len as isize { c::ERR_OK } else { c::ERR_IF }
    }
}

/// Write one frame. The descriptor is non-blocking when the tcpip thread polls it, and the
/// kernel refuses a write (EAGAIN) while its queue for the device is full: wait for room
/// then, as the blocking write of a reader-thread driver would, so a fast sender is slowed
/// down instead of losing nearly every frame.
///
/// # Safety
/// `data` points to `len` readable bytes.
unsafe fn write_frame(fd: c_int, data: *const c_void, len: usize) -> isize {
    for _ in 0..100 {
        // SAFETY: caller contract.
        let n = unsafe { libc::write(fd, data, len) };
        if n >= 0 {
            return n;
        }
        match crate::ffi::errno() {
            libc::EINTR => continue,
            libc::EAGAIN => {
                let mut pfd = libc::pollfd { fd, events: libc::POLLOUT, revents: 0 };
                // SAFETY: one valid pollfd.
                unsafe { libc::poll(&mut pfd, 1, 10) };
            }
            _ => return n,
        }
    }
    -1
}

struct NetifPtr(*mut netif);
// SAFETY: the netif outlives its driver thread (lwIP's contract for added netifs).
unsafe impl Send for NetifPtr {}

/// Reader thread: block in read(), hand each frame to `netif->input`.
fn reader(nif: NetifPtr, fd: c_int) {
    let nif = nif.0;
    let mut buf = [0u8; 2048];
    loop {
        // SAFETY: valid buffer and fd.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr() as *mut c_void, buf.len()) };
        if n < 0 {
            if crate::ffi::errno() == libc::EINTR {
                continue;
            }
            return;
        }
        if n == 0 {
            continue;
        }
        // SAFETY: fresh pbuf of n bytes; ownership passes to input() on success.
        unsafe {
            let p = crate::pbuf::pbuf_alloc(c::PBUF_RAW as _, n as u16, c::PBUF_POOL as _);
            if p.is_null() {
                continue;
            }
            crate::pbuf::pbuf_take(p, buf.as_ptr() as *const c_void, n as u16);
            let input = (*nif).input;
            let err = match input {
                Some(f) => f(p, nif),
                None => c::ERR_IF,
            };
            if err != c::ERR_OK {
                crate::pbuf::pbuf_free(p);
            }
        }
    }
}

/// `netif_add(..., tapif_init, tcpip_input)`: attach to the TAP device and start reading.
/// An unknown or unopenable device gives ERR_IF (lwIP's port exits the process instead).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tapif_init(nif: *mut netif) -> err_t {
    if nif.is_null() {
        return c::ERR_ARG;
    }
    let (name, preconfigured) = device_name();
    let Some(fd) = open_tap(&name) else { return c::ERR_IF };
    // SAFETY: caller-owned netif being initialised by its driver (us).
    unsafe {
        (*nif).state = Box::into_raw(Box::new(Tap { fd })) as *mut c_void;
        (*nif).name = [b't' as _, b'p' as _];
        let hwaddr = &mut (*nif).hwaddr;
        hwaddr[..6].copy_from_slice(&[0x02, 0x12, 0x34, 0x56, 0x78, 0xab]);
        (*nif).hwaddr_len = 6;
        (*nif).mtu = 1500;
        (*nif).flags = c::NETIF_FLAG_BROADCAST | c::NETIF_FLAG_ETHARP | c::NETIF_FLAG_IGMP;
        #[cfg(lwip = "ipv4")]
        {
            (*nif).output = Some(super::etharp_output);
        }
        #[cfg(lwip = "ipv6")]
        {
            (*nif).output_ip6 = Some(super::ethip6_output);
        }
        (*nif).linkoutput = Some(tap_linkoutput);
        // lwIP's port marks the link up during init; flags go to the C struct directly
        // because the netif is not added to the stack yet.
        (*nif).flags |= c::NETIF_FLAG_LINK_UP;
        #[cfg(lwip = "ipv4")]
        if !preconfigured {
            let gw = crate::addr::ip4_addr_to_smol(&(*nif).gw.u_addr.ip4).octets();
            let mask = crate::addr::ip4_addr_to_smol(&(*nif).netmask.u_addr.ip4).octets();
            configure_host_side(&name, gw, mask);
        }
    }
    if crate::core::stack().add_frame_source(fd, nif) {
        return c::ERR_OK;
    }
    let target = NetifPtr(nif);
    if crate::sys::os::spawn(Box::new(move || reader(target, fd)), 0).is_none() {
        return c::ERR_MEM;
    }
    c::ERR_OK
}

/// NO_SYS-style poll. The reader thread has already queued every frame that arrived, so
/// polling means processing what is queued now.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tapif_poll(_nif: *mut netif) {
    crate::sys::sys_check_timeouts();
}
