//! A look at a received frame before smoltcp processes it, one parse for all that the stack
//! needs: of a TCP segment, enough to run a listen backlog (SYNs) and to tell a reset from a
//! time-out (RSTs), which smoltcp does not report; of another IP packet, where it goes (the
//! UDP port, whose conn takes it at once); and whether the frame may teach a neighbour's
//! link address (ARP, ICMPv6 neighbour discovery), which waiting TCP sockets need to know.

use smoltcp::wire::{
    EthernetFrame, EthernetProtocol, IpAddress, IpEndpoint, IpProtocol, Ipv4Packet, Ipv6Packet, TcpPacket, UdpPacket,
};

/// What a received frame is, as far as the stack looks before smoltcp does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peek {
    /// A TCP segment.
    Tcp(TcpPeek),
    /// Another IP packet.
    Datagram(DatagramPeek),
    /// An ARP packet.
    Arp,
    /// Anything else: an IPv4 fragment, another ethertype, a malformed frame.
    Other,
}

impl Peek {
    /// The frame may carry a neighbour's link address: ARP, or an ICMPv6 neighbour-discovery
    /// message (types 133 to 137).
    pub fn neighbour_info(&self) -> bool {
        match self {
            Peek::Arp => true,
            Peek::Datagram(d) => d.proto == u8::from(IpProtocol::Icmpv6) && (133..=137).contains(&d.first_byte),
            _ => false,
        }
    }
}

/// The TCP facts of one received segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpPeek {
    /// Sender of the segment (the remote end).
    pub src: IpEndpoint,
    /// Receiver of the segment (one of our addresses).
    pub dst: IpEndpoint,
    pub syn: bool,
    pub ack: bool,
    pub rst: bool,
}

/// An IP packet that is not TCP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatagramPeek {
    pub dst: IpAddress,
    /// The IP protocol number (IPv6: the first next header; extension headers are not
    /// looked into).
    pub proto: u8,
    /// A UDP datagram's destination port.
    pub udp_port: Option<u16>,
    /// The payload's first byte (an ICMP type), 0 if it has none.
    first_byte: u8,
}

/// Look at a received frame. `ethernet`: it starts with an Ethernet header (else with an
/// IP header).
pub fn peek(frame: &[u8], ethernet: bool) -> Peek {
    if ethernet && frame.get(12..14) == Some(&[0x08, 0x06]) {
        return Peek::Arp;
    }
    let Some((src, dst, proto, payload)) = ip_packet(frame, ethernet) else { return Peek::Other };
    match proto {
        IpProtocol::Tcp => match TcpPacket::new_checked(payload) {
            Ok(tcp) => Peek::Tcp(TcpPeek {
                src: IpEndpoint::new(src, tcp.src_port()),
                dst: IpEndpoint::new(dst, tcp.dst_port()),
                syn: tcp.syn(),
                ack: tcp.ack(),
                rst: tcp.rst(),
            }),
            Err(_) => Peek::Other,
        },
        _ => Peek::Datagram(DatagramPeek {
            dst,
            proto: proto.into(),
            udp_port: (proto == IpProtocol::Udp).then(|| UdpPacket::new_checked(payload).ok().map(|u| u.dst_port())).flatten(),
            first_byte: payload.first().copied().unwrap_or(0),
        }),
    }
}

/// The IP packet in `frame`, if it is one that is not a fragment: (source, destination,
/// protocol, payload). `ethernet`: the frame starts with an Ethernet header (else with an
/// IP header). IPv6 extension headers are not looked into.
fn ip_packet(frame: &[u8], ethernet: bool) -> Option<(IpAddress, IpAddress, IpProtocol, &[u8])> {
    let ip = if ethernet {
        let eth = EthernetFrame::new_checked(frame).ok()?;
        match eth.ethertype() {
            EthernetProtocol::Ipv4 | EthernetProtocol::Ipv6 => &frame[EthernetFrame::<&[u8]>::header_len()..],
            _ => return None,
        }
    } else {
        frame
    };
    match ip.first()? >> 4 {
        4 => {
            let p = Ipv4Packet::new_checked(ip).ok()?;
            if p.more_frags() || p.frag_offset() != 0 {
                return None;
            }
            let hl = p.header_len() as usize;
            let total = (p.total_len() as usize).min(ip.len());
            Some((IpAddress::Ipv4(p.src_addr()), IpAddress::Ipv4(p.dst_addr()), p.next_header(), ip.get(hl..total)?))
        }
        6 => {
            let p = Ipv6Packet::new_checked(ip).ok()?;
            let end = (40 + p.payload_len() as usize).min(ip.len());
            Some((IpAddress::Ipv6(p.src_addr()), IpAddress::Ipv6(p.dst_addr()), p.next_header(), ip.get(40..end)?))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smoltcp::phy::ChecksumCapabilities;
    use smoltcp::wire::{Ipv4Address, Ipv4Repr, TcpControl, TcpRepr, TcpSeqNumber};

    fn segment(control: TcpControl, ack: bool) -> alloc::vec::Vec<u8> {
        let src = Ipv4Address::new(10, 0, 0, 1);
        let dst = Ipv4Address::new(10, 0, 0, 2);
        let tcp = TcpRepr {
            src_port: 40000,
            dst_port: 80,
            control,
            seq_number: TcpSeqNumber(1),
            ack_number: ack.then_some(TcpSeqNumber(5)),
            window_len: 1000,
            window_scale: None,
            max_seg_size: None,
            sack_permitted: false,
            sack_ranges: [None; 3],
            timestamp: None,
            payload: &[],
        };
        let ip = Ipv4Repr { src_addr: src, dst_addr: dst, next_header: IpProtocol::Tcp, payload_len: tcp.buffer_len(), hop_limit: 64 };
        let mut buf = alloc::vec![0u8; ip.buffer_len() + tcp.buffer_len()];
        let caps = ChecksumCapabilities::default();
        ip.emit(&mut Ipv4Packet::new_unchecked(&mut buf[..]), &caps);
        tcp.emit(&mut TcpPacket::new_unchecked(&mut buf[20..]), &src.into(), &dst.into(), &caps);
        buf
    }

    fn tcp(frame: &[u8], ethernet: bool) -> Option<TcpPeek> {
        match peek(frame, ethernet) {
            Peek::Tcp(t) => Some(t),
            _ => None,
        }
    }

    #[test]
    fn sees_syn_and_rst() {
        let syn = tcp(&segment(TcpControl::Syn, false), false).unwrap();
        assert!(syn.syn && !syn.ack && !syn.rst);
        assert_eq!(syn.dst, IpEndpoint::new(Ipv4Address::new(10, 0, 0, 2).into(), 80));
        assert_eq!(syn.src.port, 40000);
        let rst = tcp(&segment(TcpControl::Rst, true), false).unwrap();
        assert!(rst.rst && rst.ack && !rst.syn);
        assert!(!peek(&segment(TcpControl::Syn, false), false).neighbour_info());
    }

    #[test]
    fn sees_a_datagram_and_its_udp_port_not_a_fragment() {
        use smoltcp::wire::UdpRepr;
        let (src, dst) = (Ipv4Address::new(10, 0, 0, 1), Ipv4Address::new(10, 0, 0, 2));
        let udp = UdpRepr { src_port: 40000, dst_port: 5353 };
        let ip = Ipv4Repr { src_addr: src, dst_addr: dst, next_header: IpProtocol::Udp, payload_len: 8 + 3, hop_limit: 64 };
        let mut buf = alloc::vec![0u8; 20 + 8 + 3];
        let caps = ChecksumCapabilities::default();
        ip.emit(&mut Ipv4Packet::new_unchecked(&mut buf[..]), &caps);
        udp.emit(&mut UdpPacket::new_unchecked(&mut buf[20..]), &src.into(), &dst.into(), 3, |p| p.copy_from_slice(b"abc"), &caps);
        match peek(&buf, false) {
            Peek::Datagram(d) => {
                assert_eq!((d.dst, d.proto, d.udp_port), (dst.into(), 17, Some(5353)));
            }
            other => panic!("not a datagram: {other:?}"),
        }
        assert!(!peek(&buf, false).neighbour_info());
        Ipv4Packet::new_unchecked(&mut buf[..]).set_more_frags(true);
        assert_eq!(peek(&buf, false), Peek::Other);
    }

    #[test]
    fn ignores_what_is_not_tcp() {
        assert_eq!(peek(&[], false), Peek::Other);
        assert_eq!(peek(&[0x45, 0, 0], false), Peek::Other);
        let mut frame = alloc::vec![0u8; 14];
        frame[12] = 0x08;
        frame[13] = 0x06; // ARP
        frame.extend_from_slice(&[0u8; 28]);
        assert_eq!(peek(&frame, true), Peek::Arp);
        assert!(peek(&frame, true).neighbour_info());
    }
}
