//! TCP conns: connect, listen with a real backlog, accept, stream I/O, shutdown, close.
//!
//! Listening: smoltcp has one connection per listening socket, so a listener owns no
//! socket until a SYN for it arrives. Before smoltcp sees each received frame, [`prescan`]
//! looks at it: a SYN for a listening port gets a fresh smoltcp socket in LISTEN state on
//! that interface (which smoltcp then hands the SYN to), unless the backlog is full, in
//! which case the SYN is dropped silently and the client retries (Linux's behaviour, and
//! lwIP's with TCP_LISTEN_BACKLOG). A socket that did not take its SYN is removed again.
//!
//! Errors: smoltcp moves a socket to CLOSED for a reset, a time-out or a lost source address
//! alike; [`prescan`] notes RSTs so [`scan`] can tell lwIP's ERR_RST from ERR_ABRT.

use alloc::collections::VecDeque;
use alloc::vec;

use smoltcp::socket::tcp::{self, State};
use smoltcp::time::Duration;
use smoltcp::wire::{IpAddress, IpEndpoint, IpListenEndpoint};

use super::wire::TcpPeek;
use super::{announce, route, Conn, ConnId, Ctx, Local, LocalAddr, Options, Ready, Res, Table};
use crate::abi::c;
use crate::core::tcpset::TcpHandle;
use crate::core::{NetIf, NetifKey};

/// Receive and send buffer sizes: the profile's window and send buffer.
pub const RX_BUFFER: usize = if c::TCP_WND > 2 * c::TCP_MSS as usize { c::TCP_WND } else { 2 * c::TCP_MSS as usize };
pub const TX_BUFFER: usize =
    if c::TCP_SND_BUF > 2 * c::TCP_MSS as usize { c::TCP_SND_BUF } else { 2 * c::TCP_MSS as usize };

/// lwIP's "writable" threshold: free send buffer above this makes a socket writable again.
const SNDLOWAT: usize = if c::TCP_SNDLOWAT < TX_BUFFER { c::TCP_SNDLOWAT } else { TX_BUFFER / 2 };

/// How long a connect may stay unanswered: lwIP sends its SYN TCP_SYNMAXRTX times, 3 s
/// apart (its SYN_SENT retransmission timeout does not back off), then aborts.
fn connect_timeout() -> Duration {
    Duration::from_millis(3_000 * u64::from(c::TCP_SYNMAXRTX.clamp(1, 64)) + 300)
}

/// How long a closed connection may take to deliver its data and finish closing before it
/// is reset: lwIP's FIN-WAIT-2 and TIME-WAIT bounds together.
const ORPHAN_LIFETIME_US: u64 = (c::TCP_FIN_WAIT_TIMEOUT as u64 + 2 * c::TCP_MSL as u64) * 1_000;

/// The TCP side of a conn.
#[derive(Default)]
pub enum Tcp {
    /// Created (maybe bound), not connected or listening.
    #[default]
    Idle,
    Listening(Listener),
    Active(Active),
    /// The connection is over (closed, reset, aborted); no smoltcp socket any more.
    Done,
}

pub struct Listener {
    pub backlog: usize,
    /// Connections not yet accepted: SYN-RECEIVED, or established and waiting.
    pub pending: VecDeque<Pending>,
    /// SYNs dropped for want of memory, each still to be reported by an accept as
    /// ERR_ABRT: what lwIP's accept_function posts when it gets no pcb.
    pub aborted: usize,
}

pub struct Pending {
    netif: NetifKey,
    handle: TcpHandle,
    /// The listener's RCVPLUS for this connection has been announced.
    announced: bool,
}

pub struct Active {
    pub netif: NetifKey,
    pub handle: TcpHandle,
    /// SYN-SENT: a connect is under way.
    pub connecting: bool,
    /// Received bytes announced (RCVPLUS) and not yet read.
    rx_known: usize,
    /// Bytes read with NETCONN_NOAUTORCVD and not yet given back by `netconn_tcp_recvd`:
    /// they stay at the front of smoltcp's receive buffer, so the window stays closed by
    /// them as lwIP's does until `tcp_recved`. Reads start after them.
    held: usize,
    /// The send queue as last seen (to announce acknowledged bytes).
    tx_known: usize,
    /// lwIP's sendevent: writable until a write leaves less than SNDLOWAT free.
    send_ok: bool,
    /// The peer's FIN has been seen (and announced).
    fin_seen: bool,
    /// A RST for this connection arrived.
    rst_seen: bool,
    /// A connect gives up at this time (monotonic µs): smoltcp's own time-out never starts
    /// while the peer's address does not resolve.
    pub connect_deadline_us: u64,
    /// When the last segment of this connection arrived (lwIP's `pcb->tmr`), monotonic µs.
    last_rx_us: u64,
    /// Keepalive probes sent since then (lwIP's `keep_cnt_sent`).
    probes_sent: u32,
    /// smoltcp's keepalive was switched on to send one probe; switched off after a poll.
    probe_armed: bool,
    /// The next keepalive step, as [`keepalive`] last computed it.
    keepalive_at_us: Option<u64>,
}

impl Active {
    fn new(netif: NetifKey, handle: TcpHandle, connecting: bool) -> Self {
        Active {
            netif,
            handle,
            connecting,
            rx_known: 0,
            held: 0,
            tx_known: 0,
            send_ok: !connecting,
            fin_seen: false,
            rst_seen: false,
            connect_deadline_us: if connecting { crate::sys::os::now_us() + connect_timeout().total_micros() } else { 0 },
            last_rx_us: crate::sys::os::now_us(),
            probes_sent: 0,
            probe_armed: false,
            keepalive_at_us: None,
        }
    }
}

/// A socket with the profile's buffers; None when the heap cannot give them (ERR_MEM).
fn new_socket() -> Option<tcp::Socket<'static>> {
    let rx = crate::mem::try_zeroed(RX_BUFFER)?;
    let tx = crate::mem::try_zeroed(TX_BUFFER)?;
    Some(tcp::Socket::new(tcp::SocketBuffer::new(rx), tcp::SocketBuffer::new(tx)))
}

/// How many entries a listener's accept queue holds: lwIP's acceptmbox.
fn accept_queue_limit() -> usize {
    crate::sys::mbox_capacity(c::DEFAULT_ACCEPTMBOX_SIZE as isize)
}

/// Apply a conn's options to its smoltcp socket. Keepalive is scheduled here, not by
/// smoltcp (see [`keepalive`]).
pub fn apply_options(opt: &Options, sock: &mut tcp::Socket) {
    sock.set_nagle_enabled(!opt.nodelay);
    sock.set_hop_limit(Some(opt.ttl.max(1)));
    sock.set_keep_alive(None);
    sock.set_timeout(None);
}

/// lwIP's keepalive schedule, evaluated against the options as they are now: after
/// keep_idle without a segment from the peer a probe, then one every keep_intvl, and after
/// keep_idle + keep_cnt * keep_intvl the connection is reset. smoltcp's own keepalive timer
/// cannot be moved once armed (so a later TCP_KEEPIDLE would not apply) and starts with an
/// immediate probe; it serves here only to emit one probe when this schedule says so.
/// Returns the time of the next step (monotonic µs), if any.
fn keepalive(opt: &Options, a: &mut Active, sock: &mut tcp::Socket, now: u64) -> Option<u64> {
    if a.probe_armed {
        // The poll since arming has sent the probe (or will when the peer resolves); with
        // the interval cleared, smoltcp does not schedule probes of its own.
        sock.set_keep_alive(None);
        a.probe_armed = false;
    }
    if !opt.keepalive || !matches!(sock.state(), State::Established | State::CloseWait) {
        return None;
    }
    let idle = u64::from(opt.keep_idle_ms) * 1_000;
    let intvl = u64::from(opt.keep_intvl_ms) * 1_000;
    let give_up = a.last_rx_us + idle + u64::from(opt.keep_cnt) * intvl;
    if now >= give_up && a.probes_sent >= opt.keep_cnt {
        sock.abort();
        return None;
    }
    let probe_at = a.last_rx_us + idle + u64::from(a.probes_sent) * intvl;
    if now >= probe_at {
        sock.set_keep_alive(Some(Duration::from_micros(intvl.max(1_000))));
        a.probe_armed = true;
        a.probes_sent += 1;
        return Some(now);
    }
    Some(probe_at.min(give_up))
}

/// A conn's socket, to use (see [`crate::core::tcpset`]: the socket is polled and its conn
/// looked at again afterwards).
fn socket<'n>(n: &'n mut NetIf, handle: TcpHandle) -> &'n mut tcp::Socket<'static> {
    n.tcp.get_mut(handle)
}

/// A conn's socket, only to look at.
fn socket_ref(n: &NetIf, handle: TcpHandle) -> &tcp::Socket<'static> {
    n.tcp.get(handle)
}

/// The smoltcp socket of an active conn (None when its netif has gone).
/// The conn's held bytes (see [`Active::held`]).
fn held(conn: &Conn) -> usize {
    match &conn.tcp {
        Tcp::Active(a) => a.held,
        _ => 0,
    }
}

fn active_socket<'c>(cx: &'c mut Ctx, id: ConnId) -> Option<(&'c mut tcp::Socket<'static>, &'c mut Conn)> {
    let conn = cx.conns.get_mut(id)?;
    let Tcp::Active(a) = &conn.tcp else { return None };
    let n = cx.netifs.iter_mut().find(|n| n.key() == a.netif)?;
    Some((socket(n, a.handle), conn))
}

fn established(state: State) -> bool {
    !matches!(state, State::Closed | State::Listen | State::SynSent | State::SynReceived)
}

/// Data past the `held` bytes is buffered.
fn can_read(sock: &tcp::Socket, held: usize) -> bool {
    sock.recv_queue() > held
}

/// smoltcp's `may_recv` with the `held` bytes counted as read: false once the peer's FIN
/// came and everything before it was read.
fn may_read(sock: &tcp::Socket, held: usize) -> bool {
    matches!(sock.state(), State::Established | State::FinWait1 | State::FinWait2) || can_read(sock, held)
}

/// Drop `n` bytes from the front of the receive buffer (the ring may wrap: two parts).
fn consume(sock: &mut tcp::Socket, mut n: usize) {
    for _ in 0..2 {
        if n == 0 {
            break;
        }
        if let Ok(k) = sock.recv(|b| {
            let k = b.len().min(n);
            (k, k)
        }) {
            n -= k;
        }
    }
}

// ---- connect / listen / accept ----------------------------------------------------------

/// Start connecting to `remote`. Ok: the SYN is on its way (the caller waits for
/// [`connect_result`] or reports ERR_INPROGRESS).
pub fn connect(cx: &mut Ctx, id: ConnId, remote: IpEndpoint) -> Res<()> {
    let conn = cx.conn(id)?;
    match &conn.tcp {
        Tcp::Idle => {}
        Tcp::Active(a) if a.connecting => return Err(c::ERR_ALREADY),
        Tcp::Active(_) | Tcp::Listening(_) => return Err(c::ERR_ISCONN),
        Tcp::Done => return Err(c::ERR_CLSD),
    }
    if matches!(remote.addr, IpAddress::Ipv6(_)) && !conn.v6 {
        return Err(c::ERR_VAL);
    }
    if remote.addr.is_unspecified() || remote.port == 0 {
        return Err(c::ERR_VAL);
    }
    super::ensure_bound(cx, id)?;
    let conn = cx.conns.get(id).ok_or(c::ERR_VAL)?;
    let local = conn.local.expect("bound above");
    let key = route::route_for(cx.netifs, conn, remote.addr).ok_or(c::ERR_RTE)?;
    let n = cx.netifs.iter_mut().find(|n| n.key() == key).ok_or(c::ERR_RTE)?;
    let src = match local.addr.specific() {
        Some(a) => Some(a),
        None => route::source_address(n, remote.addr),
    };
    let Some(src) = src else { return Err(c::ERR_RTE) };
    let conn = cx.conns.get_mut(id).ok_or(c::ERR_VAL)?;
    let mut sock = new_socket().ok_or(c::ERR_MEM)?;
    apply_options(&conn.opt, &mut sock);
    sock.set_timeout(Some(connect_timeout()));
    let cxt = n.iface.context();
    sock.connect(cxt, remote, IpEndpoint::new(src, local.port)).map_err(|_| c::ERR_VAL)?;
    let handle = n.tcp.add(sock);
    n.tcp.set_owner(handle, Some(id));
    conn.remote = Some(remote);
    let a = Active::new(key, handle, true);
    let deadline = a.connect_deadline_us;
    conn.tcp = Tcp::Active(a);
    cx.conns.note_tcp_timer(deadline);
    Ok(())
}

/// The outcome of a connect: None while it is under way.
pub fn connect_result(cx: &mut Ctx, id: ConnId) -> Option<Res<()>> {
    let conn = cx.conns.get_mut(id)?;
    match &conn.tcp {
        Tcp::Active(a) if !a.connecting => Some(Ok(())),
        Tcp::Active(_) => None,
        // The error stays pending too (lwIP's err_tcp sets it; SO_ERROR reports it again).
        Tcp::Done if conn.established => Some(Ok(())),
        Tcp::Done => Some(Err(if conn.err == c::ERR_OK { c::ERR_CLSD } else { conn.err })),
        _ => Some(Err(c::ERR_CLSD)),
    }
}

pub fn listen(cx: &mut Ctx, id: ConnId, backlog: u8) -> Res<()> {
    let conn = cx.conn(id)?;
    match &mut conn.tcp {
        Tcp::Idle => {}
        // lwIP: listening again only updates the backlog.
        Tcp::Listening(l) => {
            l.backlog = usize::from(backlog.max(1));
            return Ok(());
        }
        Tcp::Active(_) | Tcp::Done => return Err(c::ERR_CONN),
    }
    super::ensure_bound(cx, id)?;
    // Conns sharing a port through SO_REUSEADDR may not both listen on the same address
    // (lwIP's tcp_listen checks this).
    let local = cx.conn(id)?.local;
    let clash = cx.conns.ids().filter(|&o| o != id).any(|o| {
        cx.conns.get(o).is_some_and(|c| matches!(c.tcp, Tcp::Listening(_)) && c.local == local)
    });
    if clash {
        return Err(c::ERR_USE);
    }
    let conn = cx.conn(id)?;
    conn.tcp = Tcp::Listening(Listener { backlog: usize::from(backlog.max(1)), pending: VecDeque::new(), aborted: 0 });
    Ok(())
}

/// Take one established connection off a listener's queue, as a new conn.
pub fn accept(cx: &mut Ctx, id: ConnId) -> Res<ConnId> {
    let conn = cx.conns.get_mut(id).ok_or(c::ERR_VAL)?;
    let l = match &mut conn.tcp {
        Tcp::Listening(l) => l,
        Tcp::Done => return Err(c::ERR_CLSD),
        _ => return Err(c::ERR_CLSD),
    };
    let mut found = None;
    for (i, p) in l.pending.iter().enumerate() {
        let Some(n) = cx.netifs.iter_mut().find(|n| n.key() == p.netif) else { continue };
        if established(socket_ref(n, p.handle).state()) {
            found = Some(i);
            break;
        }
    }
    let Some(i) = found else {
        if l.aborted > 0 {
            // A SYN this listener had no memory for (see prescan), in its turn.
            l.aborted -= 1;
            let owner = conn.owner;
            announce(cx.conns, owner, c::NETCONN_EVT_RCVMINUS, 0);
            return Err(c::ERR_ABRT);
        }
        return Err(c::ERR_WOULDBLOCK);
    };
    let p = l.pending.remove(i).expect("index found above");
    let (v6, opt, owner, local) = (conn.v6, conn.opt, conn.owner, conn.local);
    announce(cx.conns, owner, c::NETCONN_EVT_RCVMINUS, 0);
    let new = match cx.conns.create(super::Kind::Tcp, v6, None) {
        Ok(new) => new,
        Err(e) => {
            // No room for a conn: reset the connection rather than leak it, and let the
            // orphan reaper remove its socket once the reset is out.
            if let Some(n) = cx.netifs.iter_mut().find(|n| n.key() == p.netif) {
                n.tcp.set_owner(p.handle, None);
                socket(n, p.handle).abort();
                cx.conns.orphans.push(super::Orphan { netif: p.netif, handle: p.handle, local: None, deadline_us: 0 });
            }
            return Err(e);
        }
    };
    let n = cx.netifs.iter_mut().find(|n| n.key() == p.netif).ok_or(c::ERR_ABRT)?;
    n.tcp.set_owner(p.handle, Some(new));
    let sock = socket(n, p.handle);
    let remote = sock.remote_endpoint();
    let local_ep = sock.local_endpoint();
    let tx = sock.send_queue();
    let conn = cx.conns.get_mut(new).expect("just created");
    // lwIP's new pcb inherits SO_REUSEADDR, SO_KEEPALIVE and the bound netif only.
    conn.opt.reuseaddr = opt.reuseaddr;
    conn.opt.keepalive = opt.keepalive;
    conn.opt.bound_if = opt.bound_if;
    conn.local = local_ep.map(|ep| Local { addr: LocalAddr::Addr(ep.addr), port: ep.port }).or(local);
    conn.remote = remote;
    let mut a = Active::new(p.netif, p.handle, false);
    a.tx_known = tx;
    let opts = conn.opt;
    conn.tcp = Tcp::Active(a);
    if let Some((sock, _)) = active_socket(cx, new) {
        apply_options(&opts, sock);
    }
    Ok(new)
}

// ---- data ---------------------------------------------------------------------------------

/// Queue `data` for sending; returns how much fit (ERR_WOULDBLOCK when nothing did).
/// Errors as lwIP's do_write / tcp_write: a pending error first, ERR_INPROGRESS while
/// connecting or listening, ERR_CONN when the connection cannot send (any more).
pub fn send(cx: &mut Ctx, id: ConnId, data: &[u8]) -> Res<usize> {
    let conn = cx.conn(id)?;
    if conn.err != c::ERR_OK {
        return Err(core::mem::replace(&mut conn.err, c::ERR_OK));
    }
    match &conn.tcp {
        Tcp::Listening(_) => return Err(c::ERR_INPROGRESS),
        Tcp::Active(a) if a.connecting => return Err(c::ERR_INPROGRESS),
        Tcp::Active(_) => {}
        Tcp::Idle | Tcp::Done => return Err(c::ERR_CONN),
    }
    let Some((sock, conn)) = active_socket(cx, id) else { return Err(c::ERR_CONN) };
    let Tcp::Active(a) = &mut conn.tcp else { unreachable!("checked above") };
    if conn.shut_wr || !sock.may_send() {
        return Err(c::ERR_CONN);
    }
    if data.is_empty() {
        return Ok(0);
    }
    let n = sock.send_slice(data).map_err(|_| c::ERR_CONN)?;
    a.tx_known = sock.send_queue();
    if n == 0 {
        Err(c::ERR_WOULDBLOCK)
    } else {
        Ok(n)
    }
}

/// Queue as much of `parts` (gathered, from byte `*written` on) as fits; advance `*written`.
pub fn send_parts(cx: &mut Ctx, id: ConnId, parts: &[&[u8]], written: &mut usize) -> Res<()> {
    let mut skip = *written;
    for part in parts {
        if skip >= part.len() {
            skip -= part.len();
            continue;
        }
        match send(cx, id, &part[skip..]) {
            Ok(n) => {
                *written += n;
                if n < part.len() - skip {
                    break;
                }
                skip = 0;
            }
            Err(e) if e == c::ERR_WOULDBLOCK => break,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The interface an active connection goes through (to flush after queueing).
pub fn netif_of(conns: &Table, id: ConnId) -> Option<NetifKey> {
    match &conns.get(id)?.tcp {
        Tcp::Active(a) => Some(a.netif),
        _ => None,
    }
}

/// After a write operation: lwIP marks the conn not writable (SENDMINUS) when a
/// non-blocking write could not take everything, or the send buffer is nearly full.
pub fn after_write(cx: &mut Ctx, id: ConnId, incomplete: bool) {
    let Some((sock, conn)) = active_socket(cx, id) else { return };
    let Tcp::Active(a) = &mut conn.tcp else { return };
    let free = sock.send_capacity() - sock.send_queue();
    if incomplete || free <= SNDLOWAT {
        a.send_ok = false;
        let owner = conn.owner;
        announce(cx.conns, owner, c::NETCONN_EVT_SENDMINUS, 0);
    }
}

/// Free room in the send buffer (0 when the conn cannot send).
pub fn send_room(cx: &mut Ctx, id: ConnId) -> usize {
    match active_socket(cx, id) {
        Some((sock, _)) if sock.may_send() => sock.send_capacity() - sock.send_queue(),
        _ => 0,
    }
}

/// Bytes sent but not yet acknowledged, plus bytes not sent yet.
pub fn unacked(cx: &mut Ctx, id: ConnId) -> usize {
    active_socket(cx, id).map_or(0, |(sock, _)| sock.send_queue())
}

/// What the receive side has: `Ok(n)` bytes were handed to `take` (which returns how many
/// it consumed); `Ok(0)`: end of stream; ERR_WOULDBLOCK: nothing yet (also before a
/// connection exists, where lwIP's recv blocks). After the connection ended with an error,
/// that error is reported twice, as lwIP does (the error queued behind the data, then the
/// pending error), then ERR_CONN.
pub fn recv(cx: &mut Ctx, id: ConnId, mode: Read, take: &mut dyn FnMut(&[u8]) -> usize) -> Res<usize> {
    let peek = mode == Read::Peek;
    let conn = cx.conn(id)?;
    if conn.shut_rd {
        // lwIP frees the receive mailbox on SHUT_RD and after the FIN was reported.
        return Err(c::ERR_CONN);
    }
    match &conn.tcp {
        Tcp::Listening(_) => {
            return Err(if conn.err != c::ERR_OK { core::mem::replace(&mut conn.err, c::ERR_OK) } else { c::ERR_CONN });
        }
        Tcp::Done => {
            if !conn.leftover.is_empty() {
                let (a, b) = conn.leftover.as_slices();
                let first = if a.is_empty() { b } else { a };
                let n = take(first);
                if !peek {
                    conn.leftover.drain(..n);
                    let owner = conn.owner;
                    announce(cx.conns, owner, c::NETCONN_EVT_RCVMINUS, n);
                }
                return Ok(n);
            }
            if conn.err_marker != c::ERR_OK {
                return Err(core::mem::replace(&mut conn.err_marker, c::ERR_OK));
            }
            return Err(if conn.err != c::ERR_OK { core::mem::replace(&mut conn.err, c::ERR_OK) } else { c::ERR_CONN });
        }
        Tcp::Idle => return Err(c::ERR_WOULDBLOCK),
        Tcp::Active(a) if a.connecting => return Err(c::ERR_WOULDBLOCK),
        Tcp::Active(_) => {}
    }
    let Some((sock, conn)) = active_socket(cx, id) else { return Err(c::ERR_CONN) };
    let Tcp::Active(a) = &mut conn.tcp else { unreachable!("checked above") };
    if can_read(sock, a.held) {
        let mut total = 0;
        if mode != Read::Take || a.held > 0 {
            // Look at everything buffered past the held bytes without consuming it.
            let mut buf = vec![0u8; sock.recv_queue()];
            let got = sock.peek_slice(&mut buf).unwrap_or(0);
            total = take(&buf[a.held.min(got)..got]);
            match mode {
                Read::Peek => return Ok(total),
                Read::Hold => a.held += total,
                // Held bytes were delivered already: which delivered bytes leave the
                // front of the buffer does not matter, only how many.
                Read::Take => consume(sock, total),
            }
        } else {
            // The ring may wrap: take both parts.
            for _ in 0..2 {
                let r = sock.recv(|b| {
                    let n = take(b);
                    (n, n)
                });
                match r {
                    Ok(0) | Err(_) => break,
                    Ok(n) => total += n,
                }
            }
        }
        a.rx_known = a.rx_known.saturating_sub(total);
        let owner = conn.owner;
        if total > 0 {
            announce(cx.conns, owner, c::NETCONN_EVT_RCVMINUS, total);
        }
        return Ok(total);
    }
    if !may_read(sock, a.held) {
        return Ok(0);
    }
    Err(c::ERR_WOULDBLOCK)
}

/// How [`recv`] treats what it hands out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// Consumed: the window opens by it.
    Take,
    /// Left in place (MSG_PEEK).
    Peek,
    /// Delivered but the window stays closed by it until [`recvd`] (NETCONN_NOAUTORCVD).
    Hold,
}

/// lwIP's `tcp_recved`: `len` of the held bytes open the window again. More than is held
/// is ignored (lwIP caps its window the same way); a conn without a connection has nothing
/// to give back.
pub fn recvd(cx: &mut Ctx, id: ConnId, len: usize) {
    if let Some((sock, conn)) = active_socket(cx, id) {
        if let Tcp::Active(a) = &mut conn.tcp {
            let n = len.min(a.held);
            consume(sock, n);
            a.held -= n;
        }
    }
}

/// lwIP's socket receive keeps reading (without waiting) while the caller's buffer has
/// room; when the data ran out at a reset, that read takes the error queued behind it, so
/// only the pending error is left to report. Call after a read that did not fill the buffer.
pub fn read_past_data(cx: &mut Ctx, id: ConnId) {
    if let Some(conn) = cx.conns.get_mut(id) {
        if matches!(conn.tcp, Tcp::Done) && conn.leftover.is_empty() {
            conn.err_marker = c::ERR_OK;
        }
    }
}

/// Bytes waiting to be read (FIONREAD).
pub fn pending_bytes(cx: &mut Ctx, id: ConnId) -> usize {
    match active_socket(cx, id) {
        Some((sock, conn)) => sock.recv_queue() - held(conn),
        None => cx.conns.get(id).map_or(0, |c| c.leftover.len()),
    }
}

// ---- shutdown / close ---------------------------------------------------------------------

/// Half close (lwIP's netconn_shutdown with one side; a full close is [`release`]).
/// SHUT_RD drops unread data and later receives get ERR_CONN; SHUT_WR sends the FIN.
pub fn shutdown(cx: &mut Ctx, id: ConnId, rd: bool, wr: bool) -> Res<()> {
    let conn = cx.conn(id)?;
    match &conn.tcp {
        Tcp::Done | Tcp::Listening(_) => return Err(c::ERR_CONN),
        Tcp::Active(a) if a.connecting => return Err(c::ERR_CONN),
        Tcp::Idle => {
            if wr {
                return Err(c::ERR_CONN);
            }
            conn.shut_rd |= rd;
            return Ok(());
        }
        Tcp::Active(_) => {}
    }
    let Some((sock, conn)) = active_socket(cx, id) else { return Err(c::ERR_CONN) };
    if wr && (conn.shut_wr || !sock.may_send()) {
        return Err(c::ERR_CONN);
    }
    if rd {
        conn.shut_rd = true;
        // Unread data is dropped, as lwIP drains its recvmbox.
        while sock.recv(|b| (b.len(), ())).is_ok() && sock.can_recv() {}
        if let Tcp::Active(a) = &mut conn.tcp {
            a.rx_known = 0;
            a.held = 0;
        }
    }
    if wr {
        conn.shut_wr = true;
        sock.close();
    }
    Ok(())
}

/// Let go of a conn's TCP state: an active connection is closed gracefully (FIN after the
/// queued data) or reset (`abort`), and its socket kept as an orphan until smoltcp is done;
/// a listener's unaccepted connections are reset.
pub fn release(cx: &mut Ctx, id: ConnId, abort: bool) {
    let Some(conn) = cx.conns.get_mut(id) else { return };
    let local = conn.local;
    match core::mem::replace(&mut conn.tcp, Tcp::Done) {
        Tcp::Active(a) => {
            let Some(n) = cx.netifs.iter_mut().find(|n| n.key() == a.netif) else { return };
            let sock = socket(n, a.handle);
            // Unread data makes lwIP's (and Linux's) close a reset.
            if abort || sock.state() == State::SynSent || sock.can_recv() {
                sock.abort();
            } else {
                sock.close();
            }
            let local = sock.local_endpoint();
            // No keepalive or retransmission limit of the conn applies any more.
            sock.set_keep_alive(None);
            sock.set_timeout(Some(Duration::from_secs(60)));
            n.tcp.set_owner(a.handle, None);
            cx.conns.orphans.push(super::Orphan {
                netif: a.netif,
                handle: a.handle,
                local,
                deadline_us: crate::sys::os::now_us() + ORPHAN_LIFETIME_US,
            });
        }
        Tcp::Listening(l) => {
            for p in l.pending {
                if let Some(n) = cx.netifs.iter_mut().find(|n| n.key() == p.netif) {
                    n.tcp.set_owner(p.handle, None);
                    let sock = socket(n, p.handle);
                    sock.abort();
                    let local =
                        sock.local_endpoint().or(local.map(|l| IpEndpoint::new(IpAddress::v4(0, 0, 0, 0), l.port)));
                    cx.conns.orphans.push(super::Orphan { netif: p.netif, handle: p.handle, local, deadline_us: 0 });
                }
            }
        }
        Tcp::Idle | Tcp::Done => {}
    }
}

/// Remove orphans smoltcp is done with; reset those past their deadline.
pub fn reap_orphans(cx: &mut Ctx, now_us: u64) -> bool {
    let mut changed = false;
    let Ctx { netifs, conns } = cx;
    let mut waiting = alloc::vec::Vec::new();
    conns.orphans.retain(|o| {
        let Some(n) = netifs.iter_mut().find(|n| n.key() == o.netif) else { return false };
        let sock = socket_ref(n, o.handle);
        let state = sock.state();
        if state == State::Closed && sock.local_endpoint().is_none() {
            n.tcp.remove(o.handle);
            changed = true;
            return false;
        }
        if state == State::TimeWait {
            // The connection is over; only its port stays taken for 2*MSL (lwIP's TIME-WAIT).
            // A smoltcp socket (and its buffers) per closed connection would pile up at
            // every accept-serve-close rate, and every poll walks them all.
            if let Some(local) = sock.local_endpoint() {
                waiting.push(super::TimeWait { local, until_us: now_us + 2 * c::TCP_MSL as u64 * 1_000 });
            }
            n.tcp.remove(o.handle);
            changed = true;
            return false;
        }
        if now_us >= o.deadline_us && state != State::Closed {
            socket(n, o.handle).abort();
        }
        true
    });
    conns.expire_time_wait(now_us);
    for t in waiting {
        conns.add_time_wait(t);
    }
    changed
}

// ---- the ingress hook ----------------------------------------------------------------------

/// What to do with a received frame, decided before smoltcp sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Let smoltcp have it.
    Pass,
    /// Let smoltcp have it; this socket was created for its SYN (see [`after_ingress`]).
    Listener(ConnId, TcpHandle),
    /// Drop it unseen (a SYN beyond a full backlog).
    Drop,
}

/// Look at a received TCP segment before smoltcp processes it on netif `n`.
pub fn prescan(conns: &mut Table, n: &mut NetIf, seg: &TcpPeek) -> Verdict {
    let key = n.key();
    if seg.rst {
        // The socket the reset is routed to is the connection's (core::tcpset).
        let Some(h) = n.tcp.route(seg.dst, seg.src) else { return Verdict::Pass };
        let owner = n.tcp.owner(h);
        if let Some(Tcp::Active(a)) = owner.and_then(|id| conns.get_mut(id)).map(|c| &mut c.tcp) {
            if a.netif == key && a.handle == h {
                a.rst_seen = true;
            }
        }
        return Verdict::Pass;
    }
    if !seg.syn || seg.ack {
        return Verdict::Pass;
    }
    // A SYN. A retransmitted one for a connection smoltcp already has goes to that socket.
    if n.tcp.route(seg.dst, seg.src).is_some() {
        return Verdict::Pass;
    }
    let ifindex = n.index();
    let mut found = None;
    for id in conns.ids() {
        let conn = conns.get(id).expect("listed");
        let (Tcp::Listening(_), Some(local)) = (&conn.tcp, conn.local) else { continue };
        if local.port != seg.dst.port || !local.addr.accepts(seg.dst.addr) {
            continue;
        }
        if conn.opt.bound_if != 0 && Some(conn.opt.bound_if) != ifindex {
            continue;
        }
        // Prefer a listener bound to exactly this address over a wildcard one (lwIP does).
        let exact = !local.addr.is_any();
        if found.is_none() || exact {
            found = Some(id);
            if exact {
                break;
            }
        }
    }
    let Some(id) = found else { return Verdict::Pass };
    let conn = conns.get_mut(id).expect("found above");
    let opt_conn_view = (conn.local, conn.opt);
    let Tcp::Listening(l) = &mut conn.tcp else { unreachable!("checked above") };
    // Stale LISTEN sockets (a SYN-RECEIVED that was reset) no longer count.
    l.pending.retain(|p| {
        if p.netif == key && socket_ref(n, p.handle).state() == State::Listen {
            n.tcp.remove(p.handle);
            false
        } else {
            true
        }
    });
    if l.pending.len() >= l.backlog {
        return Verdict::Drop;
    }
    let Some(mut sock) = new_socket() else {
        // No memory for the connection: drop the SYN (the client sends it again) and let
        // the next accept report ERR_ABRT, as lwIP 2.1.3 does when tcp_alloc fails.
        if l.aborted + l.pending.len() < accept_queue_limit() {
            l.aborted += 1;
            let owner = conn.owner;
            announce(conns, owner, c::NETCONN_EVT_RCVPLUS, 0);
        }
        return Verdict::Drop;
    };
    let (local, opt) = opt_conn_view;
    let local = local.expect("listeners are bound");
    sock.set_nagle_enabled(!opt.nodelay);
    sock.set_hop_limit(Some(opt.ttl.max(1)));
    if sock.listen(IpListenEndpoint { addr: local.addr.specific(), port: local.port }).is_err() {
        return Verdict::Pass;
    }
    let handle = n.tcp.add(sock);
    n.tcp.set_pair(handle, (seg.dst, seg.src));
    n.tcp.set_owner(handle, Some(id));
    l.pending.push_back(Pending { netif: key, handle, announced: false });
    Verdict::Listener(id, handle)
}

/// After smoltcp processed a TCP segment on `n`: look at the connection it belonged to at
/// once (so a state it passes through, say established then reset by the next segment,
/// is not missed); and if [`prescan`] made a listening socket for it that did not take
/// the SYN, remove that again.
pub fn after_ingress(conns: &mut Table, n: &mut NetIf, target: TcpHandle, verdict: Verdict) {
    let key = n.key();
    let owner_of_seg = n.tcp.owner(target).filter(|&id| match conns.get(id).map(|c| &c.tcp) {
        Some(Tcp::Active(a)) => a.netif == key && a.handle == target,
        _ => false,
    });
    if let Some(id) = owner_of_seg {
        if let Some(Tcp::Active(a)) = conns.get_mut(id).map(|c| &mut c.tcp) {
            a.last_rx_us = crate::sys::os::now_us();
            a.probes_sent = 0;
        }
        scan_active(conns, n, id, crate::sys::os::now_us(), false);
    }
    let Verdict::Listener(id, handle) = verdict else { return };
    if socket_ref(n, handle).state() != State::Listen {
        return;
    }
    n.tcp.remove(handle);
    if let Some(Tcp::Listening(l)) = conns.get_mut(id).map(|c| &mut c.tcp) {
        l.pending.retain(|p| p.handle != handle || p.netif != n.key());
    }
}

// ---- state changes -> events ---------------------------------------------------------------

/// Compare a conn's sockets with what was last announced; queue lwIP's events for the
/// differences. Returns whether anything changed.
///
/// `touched`: the conn's socket is known to have been touched (its mark already taken).
pub fn scan(cx: &mut Ctx, id: ConnId, now_us: u64, touched: bool) -> bool {
    let Some(conn) = cx.conns.get_mut(id) else { return false };
    let owner = conn.owner;
    match &mut conn.tcp {
        Tcp::Listening(l) => {
            let mut fresh = 0;
            let mut changed = false;
            l.pending.retain_mut(|p| {
                let Some(n) = cx.netifs.iter_mut().find(|n| n.key() == p.netif) else {
                    changed = true;
                    return false;
                };
                let state = socket_ref(n, p.handle).state();
                if state == State::Closed || state == State::Listen {
                    // Reset before it was accepted: forget it.
                    n.tcp.remove(p.handle);
                    changed = true;
                    return false;
                }
                if !p.announced && established(state) {
                    p.announced = true;
                    fresh += 1;
                }
                true
            });
            for _ in 0..fresh {
                announce(cx.conns, owner, c::NETCONN_EVT_RCVPLUS, 0);
            }
            changed || fresh > 0
        }
        Tcp::Active(a) => {
            let key = a.netif;
            let Some(n) = cx.netifs.iter_mut().find(|n| n.key() == key) else { return false };
            scan_active(cx.conns, n, id, now_us, touched)
        }
        Tcp::Idle | Tcp::Done => false,
    }
}

/// The Active part of [`scan`], for one conn whose socket is on `n` (also run right after
/// each received segment of that connection, so every state it passes through is seen).
fn scan_active(conns: &mut Table, n: &mut NetIf, id: ConnId, now: u64, touched: bool) -> bool {
    let changed = scan_active_inner(conns, n, id, now, touched);
    if let Some(at) = conns.get(id).and_then(own_deadline) {
        conns.note_tcp_timer(at);
    }
    changed
}

fn scan_active_inner(conns: &mut Table, n: &mut NetIf, id: ConnId, now: u64, touched: bool) -> bool {
    let Some(conn) = conns.get_mut(id) else { return false };
    let owner = conn.owner;
    let Tcp::Active(a) = &mut conn.tcp else { return false };
    // Nothing can have changed for a socket nobody touched, unless a timer of ours is due.
    let timer_due = (a.connecting && now >= a.connect_deadline_us)
        || a.probe_armed
        || a.keepalive_at_us.is_some_and(|at| now >= at);
    if !n.tcp.take_touched(a.handle) && !touched && !timer_due {
        return false;
    }
    let sock = n.tcp.get_for_scan(a.handle);
    if a.connecting && now >= a.connect_deadline_us {
        sock.abort();
    }
    a.keepalive_at_us = keepalive(&conn.opt, a, sock, now);
    let state = sock.state();
    let mut events: heapless::Vec<(core::ffi::c_int, usize), 4> = heapless::Vec::new();
    let mut changed = false;
    if a.connecting && established(state) {
        conn.established = true;
        a.connecting = false;
        a.send_ok = true;
        a.tx_known = sock.send_queue();
        // The connect's own time limit is over; the conn's options apply again.
        apply_options(&conn.opt, sock);
        let _ = events.push((c::NETCONN_EVT_SENDPLUS, 0));
        changed = true;
    }
    if state == State::Closed {
        let clean = conn.shut_wr && a.fin_seen && !a.rst_seen;
        let err = if a.rst_seen { c::ERR_RST } else { c::ERR_ABRT };
        // Data that arrived before a reset stays readable (lwIP queues the error
        // behind it): keep it with the conn, the socket goes.
        while let Ok(n) = sock.recv(|b| {
            conn.leftover.extend(b.iter().copied());
            (b.len(), b.len())
        }) {
            if n == 0 {
                break;
            }
        }
        // Held bytes were delivered already.
        conn.leftover.drain(..a.held.min(conn.leftover.len()));
        let more = conn.leftover.len().saturating_sub(a.rx_known);
        n.tcp.remove(a.handle);
        conn.tcp = Tcp::Done;
        if more > 0 {
            announce(conns, owner, c::NETCONN_EVT_RCVPLUS, more);
        }
        if !clean {
            super::fail(conns, id, err);
        }
        return true;
    }
    if conn.shut_rd && can_read(sock, a.held) {
        // Data after shutdown(SHUT_RD): lwIP resets the connection (tcp_in.c).
        sock.abort();
        let orphan = super::Orphan { netif: a.netif, handle: a.handle, local: None, deadline_us: 0 };
        conn.tcp = Tcp::Done;
        conns.orphans.push(orphan);
        super::fail(conns, id, c::ERR_ABRT);
        return true;
    }
    let rx = sock.recv_queue() - a.held;
    if rx > a.rx_known {
        let _ = events.push((c::NETCONN_EVT_RCVPLUS, rx - a.rx_known));
        a.rx_known = rx;
        changed = true;
    }
    if !a.fin_seen && established(state) && !may_read(sock, a.held) {
        a.fin_seen = true;
        let _ = events.push((c::NETCONN_EVT_RCVPLUS, 0));
        changed = true;
    }
    let tx = sock.send_queue();
    if tx < a.tx_known {
        let acked = a.tx_known - tx;
        a.tx_known = tx;
        let free = sock.send_capacity() - tx;
        if free > SNDLOWAT {
            a.send_ok = true;
            let _ = events.push((c::NETCONN_EVT_SENDPLUS, acked));
        }
        changed = true;
    }
    for (evt, len) in events {
        announce(conns, owner, evt, len);
    }
    changed
}

/// lwIP's readiness: readable with data, a FIN, an error or after SHUT_RD; writable per
/// its sendevent; error once an ERROR event was announced.
pub fn ready(cx: &mut Ctx, id: ConnId) -> Res<Ready> {
    let conn = cx.conns.get(id).ok_or(c::ERR_VAL)?;
    let error = conn.errevent;
    let shut_rd = conn.shut_rd;
    let leftover = !conn.leftover.is_empty();
    match &conn.tcp {
        Tcp::Idle => Ok(Ready { readable: shut_rd, error, ..Ready::default() }),
        Tcp::Done => Ok(Ready { readable: true, writable: true, error, hangup: true }),
        Tcp::Listening(l) => {
            let mut readable = l.aborted > 0;
            for p in &l.pending {
                if let Some(n) = cx.netifs.iter_mut().find(|n| n.key() == p.netif) {
                    readable |= established(socket_ref(n, p.handle).state());
                }
            }
            Ok(Ready { readable, error, ..Ready::default() })
        }
        Tcp::Active(a) => {
            let (connecting, send_ok, held) = (a.connecting, a.send_ok, a.held);
            let Some((sock, _)) = active_socket(cx, id) else {
                return Ok(Ready { readable: true, writable: true, error, hangup: true });
            };
            if connecting {
                return Ok(Ready { error, ..Ready::default() });
            }
            let readable = shut_rd || leftover || !may_read(sock, held) || can_read(sock, held);
            let writable = send_ok || !sock.may_send();
            Ok(Ready { readable, writable, error, hangup: !may_read(sock, held) && !sock.may_send() })
        }
    }
}

pub fn addr(cx: &mut Ctx, id: ConnId, local: bool) -> Res<(LocalAddr, u16)> {
    if let Some((sock, _)) = active_socket(cx, id) {
        let ep = if local { sock.local_endpoint() } else { sock.remote_endpoint() };
        if let Some(ep) = ep {
            return Ok((LocalAddr::Addr(ep.addr), ep.port));
        }
    }
    let conn = cx.conn(id)?;
    match (&conn.tcp, local) {
        (Tcp::Done, _) => Err(c::ERR_CONN),
        (_, true) => {
            let l = conn.local.unwrap_or(Local { addr: super::any_addr(conn), port: 0 });
            Ok((l.addr, l.port))
        }
        (Tcp::Active(_), false) => conn.remote.map(|r| (LocalAddr::Addr(r.addr), r.port)).ok_or(c::ERR_CONN),
        (_, false) => Err(c::ERR_CONN),
    }
}

/// The earliest time a connect must be given up (for the tcpip thread's sleep).
pub fn next_deadline(conns: &Table) -> Option<u64> {
    conns.tcp_timer_floor()
}

/// A conn's own timer: its connect limit or its next keepalive step.
fn own_deadline(conn: &Conn) -> Option<u64> {
    match &conn.tcp {
        Tcp::Active(a) if a.connecting => Some(a.connect_deadline_us),
        Tcp::Active(a) => a.keepalive_at_us,
        _ => None,
    }
}

/// Apply changed options to a conn's live socket.
pub fn options_changed(cx: &mut Ctx, id: ConnId) {
    if let Some((sock, conn)) = active_socket(cx, id) {
        if let Tcp::Active(a) = &conn.tcp {
            if a.connecting {
                return;
            }
        }
        apply_options(&conn.opt, sock);
        if let Tcp::Active(a) = &mut conn.tcp {
            a.keepalive_at_us = keepalive(&conn.opt, a, sock, crate::sys::os::now_us());
            if let Some(at) = a.keepalive_at_us {
                cx.conns.note_tcp_timer(at);
                // The tcpip thread may be asleep until a later deadline.
                crate::core::stack().wake_by(at);
            }
        }
    }
}

/// netif `key` is going away with its sockets: its connections are aborted (ERR_ABRT, as
/// lwIP aborts the pcbs of a removed netif's addresses).
pub fn netif_removed(cx: &mut Ctx, key: NetifKey) {
    cx.conns.orphans.retain(|o| o.netif != key);
    let mut aborted = alloc::vec::Vec::new();
    for id in cx.conns.ids().collect::<alloc::vec::Vec<_>>() {
        let Some(conn) = cx.conns.get_mut(id) else { continue };
        match &mut conn.tcp {
            Tcp::Active(a) if a.netif == key => {
                conn.tcp = Tcp::Done;
                aborted.push(id);
            }
            Tcp::Listening(l) => l.pending.retain(|p| p.netif != key),
            _ => {}
        }
    }
    for id in aborted {
        super::fail(cx.conns, id, c::ERR_ABRT);
    }
}
