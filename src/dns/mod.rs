//! DNS client (lwip/dns.h) over smoltcp's DNS socket, for profiles with LWIP_DNS: the
//! server list (dns_setserver / dns_getserver, filled by DHCP or the application),
//! dns_gethostbyname with its callback, and the blocking lookups behind
//! netconn_gethostbyname, lwip_getaddrinfo and lwip_gethostbyname.
//!
//! Each query gets a small smoltcp DNS socket on the interface that routes to the first
//! server; the poll loop collects results ([`poll`]) and the tcpip thread runs the
//! callbacks ([`fire_callbacks`]), as lwIP's dns.c does from its timer.

use alloc::vec::Vec;
use core::ffi::{c_char, c_void, CStr};

use smoltcp::iface::SocketHandle;
use smoltcp::socket::dns;
use smoltcp::wire::{DnsQueryType, IpAddress};

use crate::abi::{self, c, err_t, ip_addr_t, u8_t};
use crate::core::{self as stack, NetifKey, StackInner};
use crate::sockets::netdb::Want;

const SERVERS: usize = c::DNS_MAX_SERVERS;

#[derive(Clone, Copy)]
struct Callback {
    found: unsafe extern "C" fn(*const c_char, *const ip_addr_t, *mut c_void),
    name: *const c_char,
    arg: *mut c_void,
}

struct Query {
    id: u32,
    netif: NetifKey,
    handle: SocketHandle,
    qh: dns::QueryHandle,
    want: Want,
    /// The query type being asked now (A, then AAAA for "either" when A fails).
    asking: DnsQueryType,
    name: Vec<u8>,
    done: Option<Option<IpAddress>>,
    callback: Option<Callback>,
}

// SAFETY: the callback pointers are only used by the tcpip thread under the core lock.
unsafe impl Send for Query {}

/// The stack's DNS state (inside the core lock).
#[derive(Default)]
pub struct State {
    pub servers: [Option<IpAddress>; SERVERS],
    queries: Vec<Query>,
    next_id: u32,
    ready: Vec<(Callback, Option<IpAddress>)>,
}

// SAFETY: as for Query.
unsafe impl Send for State {}

/// What dns_getserver hands out: lwIP returns a pointer to its server table.
static mut SERVER_TABLE: [ip_addr_t; SERVERS] = unsafe { core::mem::zeroed() };

fn first_type(want: Want) -> DnsQueryType {
    match want {
        Want::V6 => DnsQueryType::Aaaa,
        _ => DnsQueryType::A,
    }
}

/// Start a query for `name`. None: no server, or the name cannot be asked for.
fn start(inner: &mut StackInner, name: &[u8], want: Want, callback: Option<Callback>) -> Option<u32> {
    let servers: heapless::Vec<IpAddress, SERVERS> = inner.dns.servers.iter().flatten().copied().collect();
    let first = *servers.first()?;
    let text = core::str::from_utf8(name).ok()?;
    let key = crate::conn::route::route(&inner.netifs, first, 0)?;
    let n = inner.netif_mut(key)?;
    let mut sock = dns::Socket::new(&servers, alloc::vec![None]);
    let asking = first_type(want);
    let qh = sock.start_query(n.iface.context(), text, asking).ok()?;
    let handle = n.sockets.add(sock);
    inner.flush(key);
    let id = inner.dns.next_id;
    inner.dns.next_id = id.wrapping_add(1);
    inner.dns.queries.push(Query { id, netif: key, handle, qh, want, asking, name: name.to_vec(), done: None, callback });
    Some(id)
}

/// After every poll: collect finished queries; queue callbacks for the tcpip thread.
pub fn poll(inner: &mut StackInner) -> bool {
    let mut changed = false;
    let StackInner { netifs, dns: state, .. } = inner;
    for q in state.queries.iter_mut().filter(|q| q.done.is_none()) {
        let Some(n) = netifs.iter_mut().find(|n| n.key() == q.netif) else {
            q.done = Some(None);
            changed = true;
            continue;
        };
        let sock = n.sockets.get_mut::<dns::Socket>(q.handle);
        let answer = match sock.get_query_result(q.qh) {
            Err(dns::GetQueryResultError::Pending) => continue,
            Ok(addrs) => addrs.iter().copied().find(|a| match q.asking {
                DnsQueryType::A => matches!(a, IpAddress::Ipv4(_)),
                _ => matches!(a, IpAddress::Ipv6(_)),
            }),
            Err(dns::GetQueryResultError::Failed) => None,
        };
        if answer.is_none() && q.want == Want::Any && q.asking == DnsQueryType::A {
            // lwIP's default order: IPv4 first, IPv6 if that fails.
            q.asking = DnsQueryType::Aaaa;
            if let Some(text) = core::str::from_utf8(&q.name).ok() {
                if let Ok(qh) = sock.start_query(n.iface.context(), text, DnsQueryType::Aaaa) {
                    q.qh = qh;
                    continue;
                }
            }
        }
        q.done = Some(answer);
        changed = true;
        n.sockets.remove(q.handle);
    }
    // Callback queries are finished here; blocking ones by their caller.
    state.queries.retain(|q| match (q.done, q.callback) {
        (Some(answer), Some(cb)) => {
            state.ready.push((cb, answer));
            false
        }
        _ => true,
    });
    changed
}

/// Run finished dns_gethostbyname callbacks (tcpip thread, core lock held, unborrowed).
pub fn fire_callbacks() {
    loop {
        let next = stack::with(|inner| inner.dns.ready.pop()).ok().flatten();
        let Some((cb, answer)) = next else { return };
        let addr = answer.map(crate::addr::ip_addr_from_smol);
        let ptr = addr.as_ref().map_or(core::ptr::null(), |a| a as *const ip_addr_t);
        // SAFETY: the caller's callback with the arguments lwIP passes (name, address or
        // NULL, its argument).
        unsafe { (cb.found)(cb.name, ptr, cb.arg) };
        if !cb.name.is_null() {
            // SAFETY: our copy of the name, made in dns_gethostbyname.
            unsafe { crate::sys::clib::free(cb.name as *mut c_void) };
        }
    }
}

/// Resolve `name` through the DNS servers, waiting for the answer (blocking callers only).
pub fn lookup(name: &[u8], want: Want) -> Option<IpAddress> {
    let id = stack::with(|inner| start(inner, name, want, None)).ok().flatten()?;
    let r = stack::block_on(None, |inner| {
        let q = inner.dns.queries.iter().position(|q| q.id == id)?;
        let answer = inner.dns.queries[q].done?;
        inner.dns.queries.remove(q);
        Some(answer)
    });
    match r {
        Ok(answer) => answer,
        Err(_) => {
            // Gave up waiting (called from the tcpip thread): drop the query.
            let _ = stack::with(|inner| {
                if let Some(i) = inner.dns.queries.iter().position(|q| q.id == id) {
                    let q = inner.dns.queries.remove(i);
                    if let Some(n) = inner.netif_mut(q.netif) {
                        if q.done.is_none() {
                            n.sockets.remove(q.handle);
                        }
                    }
                }
            });
            None
        }
    }
}

/// Set a server (DHCP does this too); a NULL or "any" address clears the slot.
pub fn set_server(idx: usize, addr: Option<IpAddress>) {
    if idx >= SERVERS {
        return;
    }
    let _ = stack::with(|inner| {
        inner.dns.servers[idx] = addr.filter(|a| !a.is_unspecified());
        // SAFETY: the table is only written under the core lock.
        unsafe {
            (*(&raw mut SERVER_TABLE))[idx] = addr.map(crate::addr::ip_addr_from_smol).unwrap_or_default();
        }
    });
}

#[unsafe(no_mangle)]
pub extern "C" fn dns_init() {}
same_signature!(dns_init());

#[unsafe(no_mangle)]
pub unsafe extern "C" fn dns_setserver(numdns: u8_t, dnsserver: *const ip_addr_t) {
    // SAFETY: NULL or the caller's address.
    let addr = unsafe { dnsserver.as_ref() }.and_then(crate::addr::ip_addr_to_smol);
    set_server(usize::from(numdns), addr);
}
same_signature!(dns_setserver(_, _));

#[unsafe(no_mangle)]
pub extern "C" fn dns_getserver(numdns: u8_t) -> *const ip_addr_t {
    if usize::from(numdns) < SERVERS {
        // SAFETY: a pointer into the static table, as lwIP returns one into its own.
        unsafe { (&raw const SERVER_TABLE).cast::<ip_addr_t>().add(usize::from(numdns)) }
    } else {
        &crate::addr::ip_addr_any
    }
}
same_signature!(dns_getserver(_));

fn want_of(dns_addrtype: u8) -> Want {
    match dns_addrtype {
        0 => Want::V4,
        1 => Want::V6,
        _ => Want::Any,
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn dns_gethostbyname_addrtype(
    hostname: *const c_char,
    addr: *mut ip_addr_t,
    found: abi::dns_found_callback,
    callback_arg: *mut c_void,
    dns_addrtype: u8_t,
) -> err_t {
    if hostname.is_null() || addr.is_null() {
        return c::ERR_ARG;
    }
    // SAFETY: the caller's NUL-terminated string.
    let name = unsafe { CStr::from_ptr(hostname) };
    if name.to_bytes().is_empty() || name.to_bytes().len() >= c::DNS_MAX_NAME_LENGTH {
        return c::ERR_ARG;
    }
    let want = want_of(dns_addrtype);
    // Numeric addresses and "localhost" answer at once, as lwIP's dns_gethostbyname does.
    let mut a = ip_addr_t::default();
    // SAFETY: as above.
    if unsafe { crate::addr::ipaddr_aton(hostname, &mut a) } != 0 || name.to_bytes().eq_ignore_ascii_case(b"localhost") {
        if let Some(ip) = crate::sockets::netdb::resolve(name, want) {
            // SAFETY: the caller's out-pointer.
            unsafe { *addr = crate::addr::ip_addr_from_smol(ip) };
            return c::ERR_OK;
        }
        return c::ERR_VAL;
    }
    let Some(found) = found else { return c::ERR_ARG };
    // A copy of the name: the callback gets it after the caller's string may be gone.
    let len = name.to_bytes().len() + 1;
    // SAFETY: plain C allocation, freed after the callback ran.
    let copy = unsafe { crate::sys::clib::malloc(len) } as *mut c_char;
    if copy.is_null() {
        return c::ERR_MEM;
    }
    // SAFETY: both buffers hold len bytes.
    unsafe { core::ptr::copy_nonoverlapping(hostname, copy, len) };
    let cb = Callback { found, name: copy, arg: callback_arg };
    match stack::with(|inner| start(inner, name.to_bytes(), want, Some(cb))) {
        Ok(Some(_)) => c::ERR_INPROGRESS,
        _ => {
            // SAFETY: our copy, not handed out.
            unsafe { crate::sys::clib::free(copy as *mut c_void) };
            c::ERR_VAL
        }
    }
}
same_signature!(dns_gethostbyname_addrtype(_, _, _, _, _));

#[unsafe(no_mangle)]
pub unsafe extern "C" fn dns_gethostbyname(
    hostname: *const c_char,
    addr: *mut ip_addr_t,
    found: abi::dns_found_callback,
    callback_arg: *mut c_void,
) -> err_t {
    // SAFETY: forwarding with lwIP's default address type.
    unsafe { dns_gethostbyname_addrtype(hostname, addr, found, callback_arg, c::LWIP_DNS_ADDRTYPE_DEFAULT as u8) }
}
same_signature!(dns_gethostbyname(_, _, _, _));

/// lwIP's netconn_gethostbyname(_addrtype): a blocking lookup (ERR_VAL when it fails).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn netconn_gethostbyname_addrtype(name: *const c_char, addr: *mut ip_addr_t, dns_addrtype: u8_t) -> err_t {
    if name.is_null() || addr.is_null() {
        return c::ERR_ARG;
    }
    // SAFETY: the caller's NUL-terminated string.
    let cname = unsafe { CStr::from_ptr(name) };
    match crate::sockets::netdb::resolve(cname, want_of(dns_addrtype)) {
        Some(ip) => {
            // SAFETY: the caller's out-pointer.
            unsafe { *addr = crate::addr::ip_addr_from_smol(ip) };
            c::ERR_OK
        }
        None => c::ERR_VAL,
    }
}
same_signature!(netconn_gethostbyname_addrtype(_, _, _));
