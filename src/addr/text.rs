//! Text forms of addresses exactly as lwIP 2.1.3 reads and writes them: BSD `inet_aton`
//! style IPv4 (1 to 4 parts, octal and hex), lwIP's lenient IPv6 reader, and lwIP's IPv6
//! writer (upper-case hex, first run of two or more zero groups compressed, IPv4-mapped
//! addresses as `::FFFF:a.b.c.d`). Applications compare these strings, so the quirks stay.
#![forbid(unsafe_code)]

use core::fmt;
use smoltcp::wire::{Ipv4Address, Ipv6Address};

/// Prefix lwIP writes before the dotted quad of an IPv4-mapped IPv6 address.
pub const IP4_MAPPED_PREFIX: &str = "::FFFF:";

/// An address in text form, without NUL; at most eight 4-digit groups and seven colons.
#[derive(Clone, Copy)]
pub struct AddrText {
    bytes: [u8; AddrText::CAPACITY],
    len: usize,
}

impl AddrText {
    /// Longest text lwIP produces: `FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF`.
    pub const CAPACITY: usize = 8 * 4 + 7;

    const fn new() -> Self {
        AddrText { bytes: [0; Self::CAPACITY], len: 0 }
    }

    fn push(&mut self, b: u8) {
        // Never full: the formatters below stay within CAPACITY.
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    fn push_str(&mut self, s: &str) {
        s.bytes().for_each(|b| self.push(b));
    }

    /// The text, ASCII only.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

impl fmt::Display for AddrText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for AddrText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// The part of a C string before its NUL (the whole slice if there is none).
fn until_nul(text: &[u8]) -> &[u8] {
    text.iter().position(|&b| b == 0).map_or(text, |end| &text[..end])
}

/// lwIP's `isspace` in the C locale (Rust's `is_ascii_whitespace` lacks `\v`).
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

fn hex_value(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

// ---- IPv4 -------------------------------------------------------------------------

/// `ip4addr_aton`: `a.b.c.d`, `a.b.c` (c 16 bits), `a.b` (b 24 bits) or `a` (32 bits); each
/// part decimal, octal (`0` prefix) or hex (`0x`); may end at whitespace (the rest is ignored).
/// Numbers wrap on overflow the way lwIP's 32-bit arithmetic does.
pub fn parse_ip4(text: &[u8]) -> Option<Ipv4Address> {
    parse_ip4_host(until_nul(text)).map(Ipv4Address::from_bits)
}

/// [`parse_ip4`] as a host-order integer.
fn parse_ip4_host(text: &[u8]) -> Option<u32> {
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    let mut dotted = [0u32; 3];
    let mut parts = 0;
    let mut i = 0;
    let last = loop {
        if !at(i).is_ascii_digit() {
            return None;
        }
        let mut radix = 10;
        if at(i) == b'0' {
            i += 1;
            radix = 8;
            if matches!(at(i), b'x' | b'X') {
                radix = 16;
                i += 1;
            }
        }
        let mut value = 0u32;
        while let Some(digit) = hex_value(at(i)).filter(|&d| d < radix) {
            value = value.wrapping_mul(radix).wrapping_add(digit);
            i += 1;
        }
        if at(i) != b'.' {
            break value;
        }
        // A fourth dot is one too many.
        *dotted.get_mut(parts)? = value;
        parts += 1;
        i += 1;
    };
    if at(i) != 0 && !is_c_space(at(i)) {
        return None;
    }
    let leading = &dotted[..parts];
    if leading.iter().any(|&p| p > 0xff) {
        return None;
    }
    // The last part fills all the bits the leading bytes leave.
    let last_bits = 32 - 8 * parts as u32;
    if last_bits < 32 && last >> last_bits != 0 {
        return None;
    }
    Some(leading.iter().enumerate().fold(last, |acc, (k, &p)| acc | p << (24 - 8 * k as u32)))
}

/// `ip4addr_ntoa`: dotted decimal.
pub fn format_ip4(addr: Ipv4Address) -> AddrText {
    let mut text = AddrText::new();
    for (k, octet) in addr.octets().into_iter().enumerate() {
        if k > 0 {
            text.push(b'.');
        }
        if octet >= 100 {
            text.push(b'0' + octet / 100);
        }
        if octet >= 10 {
            text.push(b'0' + octet / 10 % 10);
        }
        text.push(b'0' + octet % 10);
    }
    text
}

// ---- IPv6 -------------------------------------------------------------------------

/// How far lwIP's IPv6 reader got in writing the caller's address (it writes as it goes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ip6Written {
    /// Rejected before writing anything.
    Nothing,
    /// Stopped midway: some words written, in host byte order.
    Partly,
    /// All words in network byte order; the zone is to be cleared.
    Complete,
}

/// `ip6addr_aton`. lwIP's reader is lenient: it stops at the first character that is neither a
/// hex digit nor `:` (so `fe80::1%3` reads as `fe80::1`), groups longer than four digits spill
/// into their neighbours, `::` may stand for no group at all, and an IPv4 tail is accepted
/// after exactly six groups (`1:2:3:4:5:6:1.2.3.4`, `::ffff:1.2.3.4`, `1::2:1.2.3.4`).
pub fn parse_ip6(text: &[u8]) -> Option<Ipv6Address> {
    let mut words = [0u32; 4];
    let (ok, _) = parse_ip6_words(text, &mut words);
    ok.then(|| ip6_from_network_words(words))
}

/// An address from four words as lwIP stores them (each in network byte order).
pub(crate) fn ip6_from_network_words(words: [u32; 4]) -> Ipv6Address {
    let mut bytes = [0u8; 16];
    for (chunk, word) in bytes.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&word.to_ne_bytes());
    }
    Ipv6Address::from(bytes)
}

/// lwIP's IPv6 reader over the caller's four words, writing them where and when lwIP does, so
/// that even a rejected string leaves the same words behind. Returns whether the text is an
/// address, and how much was written.
pub(crate) fn parse_ip6_words(text: &[u8], words: &mut [u32; 4]) -> (bool, Ip6Written) {
    let text = until_nul(text);
    let at = |i: usize| text.get(i).copied().unwrap_or(0);

    // First pass: the colons before the first character that is neither a colon nor a hex
    // digit tell how many zero groups `::` stands for. An IPv4 tail counts as two groups.
    let mut colons = 0u32;
    let mut ip4_tail = false;
    for &b in text {
        if b == b':' {
            colons += 1;
        } else if b == b'.' && cfg!(lwip = "ipv4") {
            if colons != 3 && colons != 6 {
                return (false, Ip6Written::Nothing);
            }
            ip4_tail = true;
            break;
        } else if !b.is_ascii_hexdigit() {
            break;
        }
    }
    // lwIP counts down in 32 bits: more than eight colons leave a huge count, which the
    // group limit below then rejects.
    let mut zero_groups = 8u32.wrapping_sub(colons).wrapping_sub(u32::from(ip4_tail));

    // Group g is the high (even g) or low (odd g) half of word g / 2; a high half overwrites
    // the whole word, a low half is or-ed in, bits beyond 16 included.
    let store = |words: &mut [u32; 4], group: u32, value: u32| {
        if let Some(word) = words.get_mut(group as usize / 2) {
            if group % 2 == 0 {
                *word = value << 16;
            } else {
                *word |= value;
            }
        }
    };

    let mut group = 0u32;
    let mut value = 0u32;
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        if b == b':' {
            store(words, group, value);
            group += 1;
            if ip4_tail && group == 6 {
                if let Some(ip4) = parse_ip4_host(&text[i + 1..]) {
                    words[3] = ip4;
                    to_network_order(words);
                    return (true, Ip6Written::Complete);
                }
            }
            value = 0;
            if group > 7 {
                return (false, Ip6Written::Partly);
            }
            if at(i + 1) == b':' {
                if at(i + 2) == b':' {
                    return (false, Ip6Written::Partly);
                }
                i += 1;
                while zero_groups > 0 {
                    zero_groups -= 1;
                    store(words, group, 0);
                    group += 1;
                    if group > 7 {
                        return (false, Ip6Written::Partly);
                    }
                }
            }
        } else if let Some(digit) = hex_value(b) {
            value = (value << 4) + digit;
        } else {
            break;
        }
        i += 1;
    }
    store(words, group, value);
    to_network_order(words);
    (group == 7, Ip6Written::Complete)
}

fn to_network_order(words: &mut [u32; 4]) {
    words.iter_mut().for_each(|w| *w = w.to_be());
}

/// `ip6addr_ntoa` of an address whose lone zero last group (one not part of a `::`) is
/// written as `0`.
pub fn format_ip6(addr: Ipv6Address) -> AddrText {
    format_ip6_lwip(addr, false)
}

/// `ip6addr_ntoa` as lwIP writes it. lwIP decides whether a zero last group starts a `::` by
/// looking at the 16 bits after the address (the zone byte and padding in an `ip6_addr_t`);
/// when those are zero, a lone zero last group comes out empty (`1:2:3:4:5:6:7:`).
/// `empty_lone_last_zero` says which case applies.
pub(crate) fn format_ip6_lwip(addr: Ipv6Address, empty_lone_last_zero: bool) -> AddrText {
    let mut text = AddrText::new();
    if cfg!(lwip = "ipv4") {
        if let Some(ip4) = addr.to_ipv4_mapped() {
            text.push_str(IP4_MAPPED_PREFIX);
            format_ip4(ip4).as_bytes().iter().for_each(|&b| text.push(b));
            return text;
        }
    }
    #[derive(PartialEq)]
    enum Run {
        NotYet,
        Inside,
        Done,
    }
    let groups = addr.segments();
    let mut run = Run::NotYet;
    for (g, &value) in groups.iter().enumerate() {
        if value == 0 {
            let next_is_zero = match groups.get(g + 1) {
                Some(&next) => next == 0,
                None => empty_lone_last_zero,
            };
            match run {
                Run::Inside if g == 7 => {
                    text.push(b':');
                    break;
                }
                Run::Inside => continue,
                Run::NotYet if next_is_zero => {
                    run = Run::Inside;
                    text.push(b':');
                    continue;
                }
                _ => {}
            }
        } else if run == Run::Inside {
            run = Run::Done;
        }
        if g > 0 {
            text.push(b':');
        }
        let digits = (16 - value.leading_zeros()).div_ceil(4).max(1);
        for shift in (0..digits).rev() {
            let nibble = (value >> (4 * shift)) & 0xf;
            text.push(b"0123456789ABCDEF"[usize::from(nibble)]);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(text: &str) -> Option<String> {
        parse_ip4(text.as_bytes()).map(|a| format_ip4(a).to_string())
    }

    fn v6(text: &str) -> Option<String> {
        parse_ip6(text.as_bytes()).map(|a| format_ip6(a).to_string())
    }

    #[test]
    fn ip4_forms() {
        assert_eq!(v4("192.168.1.2").as_deref(), Some("192.168.1.2"));
        assert_eq!(v4("1.2.3").as_deref(), Some("1.2.0.3"));
        assert_eq!(v4("1.2.300").as_deref(), Some("1.2.1.44"));
        assert_eq!(v4("1.65535").as_deref(), Some("1.0.255.255"));
        assert_eq!(v4("16909060").as_deref(), Some("1.2.3.4"));
        assert_eq!(v4("0x7f.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(v4("0X7F.0.0.01").as_deref(), Some("127.0.0.1"));
        assert_eq!(v4("010.0.0.1").as_deref(), Some("8.0.0.1"));
        assert_eq!(v4("0x").as_deref(), Some("0.0.0.0"));
        assert_eq!(v4("255.255.255.255").as_deref(), Some("255.255.255.255"));
        assert_eq!(v4("1.2.3.4 trailing").as_deref(), Some("1.2.3.4"));
        assert_eq!(v4("1.2.3.4\x0b").as_deref(), Some("1.2.3.4"));
        // 2^32 + 1 wraps to 1, as in lwIP.
        assert_eq!(v4("4294967297").as_deref(), Some("0.0.0.1"));
    }

    #[test]
    fn ip4_rejects() {
        for bad in ["", "1.2.3.256", "256.1.2.3", "1.2.3.4.5", "1.2.3.", ".1", "08", "1.2.3.4x", "a.b.c.d",
            "1..2", " 1.2.3.4", "1.16777216", "1.2.65536"]
        {
            assert_eq!(v4(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ip4_format() {
        assert_eq!(format_ip4(Ipv4Address::new(0, 0, 0, 0)).as_str(), "0.0.0.0");
        assert_eq!(format_ip4(Ipv4Address::new(10, 100, 255, 9)).as_str(), "10.100.255.9");
    }

    #[test]
    fn ip6_forms() {
        assert_eq!(v6("::").as_deref(), Some("::"));
        assert_eq!(v6("::1").as_deref(), Some("::1"));
        assert_eq!(v6("1::").as_deref(), Some("1::"));
        assert_eq!(v6("fe80::1%3").as_deref(), Some("FE80::1"));
        assert_eq!(v6("1:2:3:4:5:6:7:8").as_deref(), Some("1:2:3:4:5:6:7:8"));
        assert_eq!(v6("::ffff:1.2.3.4").as_deref(), Some("::FFFF:1.2.3.4"));
        assert_eq!(v6("1:2:3:4:5:6:1.2.3.4").as_deref(), Some("1:2:3:4:5:6:102:304"));
        assert_eq!(v6("::1:1.2.3.4").as_deref(), Some("::1:102:304"));
        assert_eq!(v6("1:2:3:4:5:6:7::").as_deref(), Some("1:2:3:4:5:6:7:0"));
        assert_eq!(v6("::1:2:3:4:5:6:7").as_deref(), Some("0:1:2:3:4:5:6:7"));
        // A five-digit group loses its top digit in a high half, spills over from a low half.
        assert_eq!(v6("12345::").as_deref(), Some("2345::"));
        assert_eq!(v6("2:12345::").as_deref(), Some("3:2345::"));
    }

    #[test]
    fn ip6_rejects() {
        for bad in ["", ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "1:2:3:4:5:6:7", "::1.2.3.4", "1.2.3.4",
            "1:2::1.2.3.4", "1:2:3:4:5:6:1.2.3.4.5", "g::", "1:2:3:4:5:6:7:8::"]
        {
            assert_eq!(v6(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ip6_writes_like_lwip() {
        let mut words = [0xaaaa_aaaa; 4];
        assert_eq!(parse_ip6_words(b"1:2:::", &mut words), (false, Ip6Written::Partly));
        assert_eq!(words, [0x0001_0002, 0xaaaa_aaaa, 0xaaaa_aaaa, 0xaaaa_aaaa]);
        assert_eq!(parse_ip6_words(b"1.2", &mut words).1, Ip6Written::Nothing);
    }

    #[test]
    fn ip6_format() {
        let a = |t: &str| parse_ip6(t.as_bytes()).unwrap();
        // The first run of two or more zero groups is compressed, not the longest.
        assert_eq!(format_ip6(a("1:0:0:2:0:0:0:3")).as_str(), "1::2:0:0:0:3");
        assert_eq!(format_ip6(a("1:0:2:3:4:5:6:7")).as_str(), "1:0:2:3:4:5:6:7");
        assert_eq!(format_ip6(a("abcd:ef01:2345:6789:abcd:ef01:2345:6789")).as_str(),
            "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789");
        assert_eq!(format_ip6(a("1:2:3:4:5:6:7:0")).as_str(), "1:2:3:4:5:6:7:0");
        assert_eq!(format_ip6_lwip(a("1:2:3:4:5:6:7:0"), true).as_str(), "1:2:3:4:5:6:7:");
        assert_eq!(format_ip6_lwip(a("1:2:3:4:5:6:0:0"), true).as_str(), "1:2:3:4:5:6::");
        assert_eq!(format_ip6(a("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).as_bytes().len(), AddrText::CAPACITY);
    }
}
