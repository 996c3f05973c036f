//! A look at a received frame before smoltcp processes it: just enough of its TCP header to
//! run a listen backlog (SYNs) and to tell a reset from a time-out (RSTs), which smoltcp
//! does not report; and the port a UDP datagram is for, whose conn takes it at once.

use smoltcp::wire::{
    EthernetFrame, EthernetProtocol, IpAddress, IpEndpoint, IpProtocol, Ipv4Packet, Ipv6Packet, TcpPacket, UdpPacket,
};

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

/// The TCP segment in `frame`, if it is one. Fragments and IPv6 extension headers are not
/// looked into: no SYN or RST a listener or connection needs arrives that way in practice.
pub fn peek_tcp(frame: &[u8], ethernet: bool) -> Option<TcpPeek> {
    let (src, dst, proto, payload) = ip_packet(frame, ethernet)?;
    if proto != IpProtocol::Tcp {
        return None;
    }
    let tcp = TcpPacket::new_checked(payload).ok()?;
    Some(TcpPeek {
        src: IpEndpoint::new(src, tcp.src_port()),
        dst: IpEndpoint::new(dst, tcp.dst_port()),
        syn: tcp.syn(),
        ack: tcp.ack(),
        rst: tcp.rst(),
    })
}

/// The destination of the IP packet in `frame` that is not TCP, its protocol number and,
/// for a UDP datagram, its destination port. None for TCP, fragments, and what is not IP.
pub fn peek_datagram(frame: &[u8], ethernet: bool) -> Option<(IpAddress, u8, Option<u16>)> {
    let (_, dst, proto, payload) = ip_packet(frame, ethernet)?;
    match proto {
        IpProtocol::Tcp => None,
        IpProtocol::Udp => Some((dst, proto.into(), Some(UdpPacket::new_checked(payload).ok()?.dst_port()))),
        _ => Some((dst, proto.into(), None)),
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

    #[test]
    fn sees_syn_and_rst() {
        let syn = peek_tcp(&segment(TcpControl::Syn, false), false).unwrap();
        assert!(syn.syn && !syn.ack && !syn.rst);
        assert_eq!(syn.dst, IpEndpoint::new(Ipv4Address::new(10, 0, 0, 2).into(), 80));
        assert_eq!(syn.src.port, 40000);
        let rst = peek_tcp(&segment(TcpControl::Rst, true), false).unwrap();
        assert!(rst.rst && rst.ack && !rst.syn);
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
        assert_eq!(peek_datagram(&buf, false), Some((dst.into(), 17, Some(5353))));
        assert_eq!(peek_tcp(&buf, false), None);
        Ipv4Packet::new_unchecked(&mut buf[..]).set_more_frags(true);
        assert_eq!(peek_datagram(&buf, false), None);
        assert_eq!(peek_datagram(&segment(TcpControl::Syn, false), false), None);
    }

    #[test]
    fn ignores_what_is_not_tcp() {
        assert_eq!(peek_tcp(&[], false), None);
        assert_eq!(peek_tcp(&[0x45, 0, 0], false), None);
        let mut frame = alloc::vec![0u8; 14];
        frame[12] = 0x08;
        frame[13] = 0x06; // ARP
        frame.extend_from_slice(&[0u8; 28]);
        assert_eq!(peek_tcp(&frame, true), None);
    }
}
