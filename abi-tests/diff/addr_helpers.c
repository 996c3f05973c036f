/*
 * Differential test: lwIP's address helpers (lwip/ip_addr.h, lwip/def.h, lwip/err.h).
 * Text to address and back (valid, invalid and edge inputs, plus a deterministic stream of
 * generated ones), short output buffers, byte order, err_to_errno, netmask and broadcast
 * checks, the constant address objects, and the NULL arguments lwIP tolerates.
 * Everything is printed; real lwIP and smolwip must print the same.
 */
#include <stdio.h>
#include <string.h>

#include "lwip/def.h"
#include "lwip/err.h"
#include "lwip/inet.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"

/* ---- printing helpers --------------------------------------------------------- */

static void print_escaped(const char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            putchar(c);
        } else {
            printf("\\x%02x", c);
        }
    }
    putchar('"');
}

static void print_str(const char *s)
{
    if (s == NULL) {
        printf("NULL");
    } else {
        print_escaped(s, strlen(s));
    }
}

static void print_ip6_words(const ip6_addr_t *a)
{
    printf("%08x:%08x:%08x:%08x", (unsigned)lwip_ntohl(a->addr[0]), (unsigned)lwip_ntohl(a->addr[1]),
           (unsigned)lwip_ntohl(a->addr[2]), (unsigned)lwip_ntohl(a->addr[3]));
#if LWIP_IPV6_SCOPES
    printf(" zone=%u", a->zone);
#endif
}

static void print_ip_addr(const ip_addr_t *a)
{
    printf("type=%u words=", IP_GET_TYPE(a));
    print_ip6_words(ip_2_ip6(a));
}

/* The text form of what an aton just parsed, if it did. */
static void print_ntoa_if(int parsed, const char *text)
{
    if (parsed) {
        printf("  ntoa=");
        print_str(text);
        printf("\n");
    }
}

/* Deterministic generator (no libc rand: its sequence is not ours to rely on). */
static unsigned long long rng_state = 0x2545F4914F6CDD1DULL;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng_state >> 33) % n);
}

/* ---- text to address ----------------------------------------------------------- */

static void aton_case(const char *s)
{
    ip4_addr_t a4;
    ip6_addr_t a6;
    ip_addr_t a;
    int r;

    print_str(s);
    printf("\n");

    memset(&a4, 0xaa, sizeof(a4));
    r = ip4addr_aton(s, &a4);
    printf("  ip4addr_aton=%d addr=%08x null=%d ipaddr_addr=%08x\n", r, (unsigned)lwip_ntohl(a4.addr),
           ip4addr_aton(s, NULL), (unsigned)lwip_ntohl(ipaddr_addr(s)));
    print_ntoa_if(r, r ? ip4addr_ntoa(&a4) : NULL);

    memset(&a6, 0, sizeof(a6));
    a6.addr[0] = a6.addr[1] = a6.addr[2] = a6.addr[3] = 0xaaaaaaaaUL;
#if LWIP_IPV6_SCOPES
    a6.zone = 0x55;
#endif
    r = ip6addr_aton(s, &a6);
    printf("  ip6addr_aton=%d null=%d words=", r, ip6addr_aton(s, NULL));
    print_ip6_words(&a6);
    printf("\n");
    print_ntoa_if(r, r ? ip6addr_ntoa(&a6) : NULL);

    memset(&a, 0, sizeof(a));
    a.type = 0x77;
    ip_2_ip6(&a)->addr[0] = ip_2_ip6(&a)->addr[1] = ip_2_ip6(&a)->addr[2] = ip_2_ip6(&a)->addr[3] = 0xbbbbbbbbUL;
    r = ipaddr_aton(s, &a);
    printf("  ipaddr_aton=%d null=%d ", r, ipaddr_aton(s, NULL));
    print_ip_addr(&a);
    printf("\n");
    print_ntoa_if(r, r ? ipaddr_ntoa(&a) : NULL);
}

static const char *const aton_inputs[] = {
    /* IPv4 */
    "", "1", "1.2", "1.2.3", "1.2.3.4", "192.168.1.254", "0.0.0.0", "255.255.255.255",
    "0x7f.1", "0X7F.0.0.1", "0x7f000001", "0x7F000001", "017700000001", "127.1", "10.0x10.010.1",
    "256.0.0.0", "1.2.3.256", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3", "08.1.1.1", "09", "0", "00",
    "0x", "0X", "0x.0x.0x.0x", "0xg", "0x1g", "1.2.3.4 ", "1.2.3.4\tfoo", "1.2.3.4\v", "1.2.3.4\f",
    "1.2.3.4\n", "1.2.3.4\r\n", "1.2.3.4x", " 1.2.3.4", "+1.2.3.4", "-1", "4294967295", "4294967296",
    "4294967297", "1.16777215", "1.16777216", "1.2.65535", "1.2.65536", "0xffffffff", "0x100000000",
    "037777777777", "040000000000", "1.2.3.0377", "1.2.3.0400", "a.b.c.d", "99999999999999999999",
    "0xFFFFFFFFFFFF", "1.2.3.4\xa0", "\xa0" "1.2.3.4", "1.2.3.4:80", "1.2.3.4.", "0.0.0.0.0",
    /* IPv6 */
    "::", "::1", "1::", "1::2", "fe80::1", "FE80::1", "fe80::1%3", "fe80::1%eth0", "fe80::1%",
    "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", ":::", "1:::2", "1::2::3", "::1::",
    "::ffff:1.2.3.4", "::FFFF:192.168.0.1", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1::2:1.2.3.4",
    "1:2::1.2.3.4", "::1:1.2.3.4", "1:2:3:4::5:1.2.3.4", "1:2:3:4:5::1.2.3.4", "1:2:3:4:5:6:1.2.3",
    "1:2:3:4:5:6:0x1.2", "::ffff:1.2.3.4.5", "::ffff:1.2.3.4 x", "::ffff:256.1.1.1", "::ffff:1.2.3.4x",
    "::ffff:1.2.3.", "::ffff:.1", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7", "1:2:3:4::5:6:7:8",
    "1:2:3::4:5:6:7:8", "12345::", "2:12345::", "fffff::", "1:fffff::", "123456789abcdef::", "g::",
    ":1", "1:", "1:2:3:4:5:6:7:8 ", "1:2:3:4:5:6:7:8%", ":", "abcd", "::g", "0:0:0:0:0:0:0:0",
    "2001:db8::ff00:42:8329", "2001:0db8:0000:0000:0000:ff00:0042:8329", "1:2:3:4:5:6:7:8:",
    ":1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "a:b:c:d:e:f:0:1", "1::2:3:4:5:6:7",
    "1:2:::", "::::", ":::1", "1:2:3:4:5:6:7:8:9:10:11", "1::2::3::4::5", "1:2:3:4:5:6:7:8.1.2.3",
    "ff02::1:ff00:1", "::ffff:0:1", "::0:ffff:1.2.3.4", "0::ffff:1.2.3.4", "1.2.3.4::",
    "::ffff:1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:1.2.3.4", "1:2:3:4:5:6:7:8%25eth0",
};

/* Pieces the generated inputs are made of. */
static const char *const tokens[] = {
    "0", "1", "7", "08", "ff", "FFFF", "abc", "12345", ":", ":", "::", ".", ".", "1.2.3.4", "0x", "255",
    "256", "%", " ", "g", "ffff:", "1:", "2.",
};

static void aton_generated(int count)
{
    char s[96];
    for (int i = 0; i < count; i++) {
        int n = 1 + (int)rnd(9);
        s[0] = 0;
        for (int k = 0; k < n; k++) {
            strcat(s, tokens[rnd(sizeof(tokens) / sizeof(tokens[0]))]);
        }
        aton_case(s);
    }
}

/* ---- address to text ----------------------------------------------------------- */

/* ntoa_r into a buffer of 'X's, with every interesting buffer length. */
static void ntoa_r_lengths(const ip_addr_t *a, int from)
{
    char buf[64];
    size_t need = strlen(ipaddr_ntoa(a)) + 1;
    for (int len = from; len <= (int)need + 1; len++) {
        char *r;
        memset(buf, 'X', sizeof(buf));
        if (IP_IS_V6(a)) {
            r = ip6addr_ntoa_r(ip_2_ip6(a), buf, len);
        } else {
            r = ip4addr_ntoa_r(ip_2_ip4(a), buf, len);
        }
        printf("  len=%d ret=%s buf=", len, r == NULL ? "NULL" : r == buf ? "buf" : "other");
        print_escaped(buf, need + 2 < sizeof(buf) ? need + 2 : sizeof(buf));
        memset(buf, 'X', sizeof(buf));
        r = ipaddr_ntoa_r(a, buf, len);
        printf(" ipaddr ret=%s buf=", r == NULL ? "NULL" : r == buf ? "buf" : "other");
        print_escaped(buf, need + 2 < sizeof(buf) ? need + 2 : sizeof(buf));
        printf("\n");
    }
}

static void ntoa6_case(u32_t w0, u32_t w1, u32_t w2, u32_t w3, int zone, int lengths)
{
    ip_addr_t a;
    ip6_addr_t b;
    memset(&a, 0, sizeof(a));
    IP_ADDR6_HOST(&a, w0, w1, w2, w3);
    memset(&b, 0, sizeof(b));
    IP6_ADDR(&b, PP_HTONL(w0), PP_HTONL(w1), PP_HTONL(w2), PP_HTONL(w3));
#if LWIP_IPV6_SCOPES
    ip_2_ip6(&a)->zone = (u8_t)zone;
    b.zone = (u8_t)zone;
#else
    (void)zone;
#endif
    printf("ntoa6 %08x:%08x:%08x:%08x zone=%d ip6addr_ntoa=", (unsigned)w0, (unsigned)w1, (unsigned)w2,
           (unsigned)w3, zone);
    print_str(ip6addr_ntoa(&b));
    printf(" ipaddr_ntoa=");
    print_str(ipaddr_ntoa(&a));
    printf("\n");
    if (lengths) {
        ntoa_r_lengths(&a, 1);
    }
}

static void ntoa4_case(u32_t host, int lengths)
{
    ip_addr_t a;
    ip4_addr_t b;
    memset(&a, 0, sizeof(a));
    IP_ADDR4(&a, (host >> 24) & 0xff, (host >> 16) & 0xff, (host >> 8) & 0xff, host & 0xff);
    ip4_addr_set_u32(&b, PP_HTONL(host));
    printf("ntoa4 %08x ip4addr_ntoa=", (unsigned)host);
    print_str(ip4addr_ntoa(&b));
    printf(" ipaddr_ntoa=");
    print_str(ipaddr_ntoa(&a));
    printf("\n");
    if (lengths) {
        ntoa_r_lengths(&a, -1);
    }
}

static u32_t random_group(void)
{
    switch (rnd(8)) {
    case 0: case 1: case 2: case 3: return 0;
    case 4: return 1;
    case 5: return 0xffff;
    case 6: return 0x10 << (4 * rnd(3));
    default: return rnd(0x10000);
    }
}

static void ntoa_generated(int count)
{
    for (int i = 0; i < count; i++) {
        u32_t g[8];
        for (int k = 0; k < 8; k++) {
            g[k] = random_group();
        }
        if (rnd(10) == 0) { /* IPv4-mapped */
            g[0] = g[1] = g[2] = g[3] = g[4] = 0;
            g[5] = 0xffff;
        }
        ntoa6_case(g[0] << 16 | g[1], g[2] << 16 | g[3], g[4] << 16 | g[5], g[6] << 16 | g[7], (int)rnd(2),
                   rnd(8) == 0);
        ntoa4_case((u32_t)rnd(0x10000) << 16 | (u32_t)rnd(0x10000), rnd(8) == 0);
    }
}

static void ntoa_tests(void)
{
    ip_addr_t a;
    char buf[64];
    char *p4, *p6;

    ntoa4_case(0, 1);
    ntoa4_case(0xffffffffUL, 1);
    ntoa4_case(0x7f000001UL, 1);
    ntoa4_case(0xc0a80164UL, 1);
    ntoa4_case(0x0a00000aUL, 0);
    ntoa4_case(0x01020304UL, 0);

    ntoa6_case(0, 0, 0, 0, 0, 1);
    ntoa6_case(0, 0, 0, 1, 0, 1);
    ntoa6_case(0x00010000UL, 0, 0, 0, 0, 1);
    ntoa6_case(0xfe800000UL, 0, 0, 1, 1, 1);
    ntoa6_case(0xffffffffUL, 0xffffffffUL, 0xffffffffUL, 0xffffffffUL, 0, 1);
    ntoa6_case(0x00010002UL, 0x00030004UL, 0x00050006UL, 0x00070008UL, 0, 1);
    ntoa6_case(0x00010002UL, 0x00030004UL, 0x00050006UL, 0x00070000UL, 0, 1);
    ntoa6_case(0x00010002UL, 0x00030004UL, 0x00050006UL, 0x00070000UL, 3, 1);
    ntoa6_case(0x00010002UL, 0x00030004UL, 0x00050006UL, 0x00000000UL, 0, 0);
    ntoa6_case(0x00010000UL, 0x00030000UL, 0x00050000UL, 0x00070000UL, 0, 0);
    ntoa6_case(0x00010000UL, 0x00000002UL, 0, 0x00000003UL, 0, 0);
    ntoa6_case(0x00000001UL, 0, 0x00020000UL, 0, 0, 0);
    ntoa6_case(0x20010db8UL, 0, 0x0000ff00UL, 0x00428329UL, 0, 0);
    ntoa6_case(0xabcdef01UL, 0x23456789UL, 0x0a0b0c0dUL, 0x00f00f00UL, 0, 0);
    ntoa6_case(0, 0, 0x0000ffffUL, 0x01020304UL, 0, 1);
    ntoa6_case(0, 0, 0x0000ffffUL, 0xffffffffUL, 0, 1);
    ntoa6_case(0, 0, 0x0000ffffUL, 0, 0, 1);
    ntoa6_case(0, 0, 0x0000fffeUL, 0x01020304UL, 0, 0);
    ntoa6_case(0, 0x0000ffffUL, 0x00010002UL, 0x00030004UL, 0, 0);
    ntoa6_case(0xff020000UL, 0, 0, 0x00000001UL, 0, 0);

    /* An ip_addr_t of type ANY or unknown is written as IPv4. */
    memset(&a, 0, sizeof(a));
    ip_2_ip6(&a)->addr[0] = PP_HTONL(0x01020304UL);
    ip_2_ip6(&a)->addr[1] = PP_HTONL(0x05060708UL);
    for (unsigned t = 0; t < 256; t += 1) {
        if (t == IPADDR_TYPE_V6) {
            continue;
        }
        a.type = (u8_t)t;
        if (strcmp(ipaddr_ntoa(&a), "1.2.3.4") != 0) {
            printf("type %u: ipaddr_ntoa=%s\n", t, ipaddr_ntoa(&a));
        }
    }
    a.type = IPADDR_TYPE_ANY;
    printf("type any: ");
    print_str(ipaddr_ntoa(&a));
    printf("\n");

    /* The shared buffers: one for IPv4, one for IPv6, as in lwIP. */
    IP_ADDR4(&a, 10, 1, 2, 3);
    p4 = ipaddr_ntoa(&a);
    printf("same ip4 buffer: %d %d\n", p4 == ip4addr_ntoa(ip_2_ip4(&a)), p4 == ipaddr_ntoa(&a));
    IP_ADDR6_HOST(&a, 0x20010db8UL, 0, 0, 1);
    p6 = ipaddr_ntoa(&a);
    printf("same ip6 buffer: %d %d, distinct: %d\n", p6 == ip6addr_ntoa(ip_2_ip6(&a)), p6 == ipaddr_ntoa(&a),
           p4 != p6);

    /* NULL address: lwIP's ipaddr_* return NULL. */
    memset(buf, 'X', sizeof(buf));
    printf("ipaddr_ntoa(NULL)=%p ipaddr_ntoa_r(NULL)=%p buf0=%c\n", (void *)ipaddr_ntoa(NULL),
           (void *)ipaddr_ntoa_r(NULL, buf, sizeof(buf)), buf[0]);
}

/* ---- everything else ----------------------------------------------------------- */

static void byte_order_tests(void)
{
    printf("htons(0x1234)=%04x htons(0)=%04x htons(0xff00)=%04x\n", lwip_htons(0x1234), lwip_htons(0),
           lwip_htons(0xff00));
    printf("htonl(0x12345678)=%08x htonl(1)=%08x htonl(0xff000000)=%08x\n", (unsigned)lwip_htonl(0x12345678UL),
           (unsigned)lwip_htonl(1), (unsigned)lwip_htonl(0xff000000UL));
}

static void err_tests(void)
{
    for (int e = -128; e <= 127; e++) {
        printf("err_to_errno(%d)=%d\n", e, err_to_errno((err_t)e));
    }
}

static void netmask_tests(void)
{
    for (int bits = 0; bits <= 32; bits++) {
        u32_t host = bits == 0 ? 0 : 0xffffffffUL << (32 - bits);
        printf("netmask /%d %u", bits, ip4_addr_netmask_valid(PP_HTONL(host)));
        /* the same mask with one bit flipped below or above the boundary */
        if (bits > 0 && bits < 32) {
            printf(" hole=%u extra=%u", ip4_addr_netmask_valid(PP_HTONL(host & ~(1UL << (32 - bits)))),
                   ip4_addr_netmask_valid(PP_HTONL(host | 1UL)));
        }
        printf("\n");
    }
    static const u32_t odd[] = {0x00ffffffUL, 0x0000ffffUL, 0x80000001UL, 0x7fffffffUL, 0xfffffffeUL,
                                0xff00ff00UL, 0x00000001UL, 0xaaaaaaaaUL};
    for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        printf("netmask %08x %u\n", (unsigned)odd[i], ip4_addr_netmask_valid(PP_HTONL(odd[i])));
    }
}

static void broadcast_tests(void)
{
    static struct netif nif;
    static const u32_t addrs[] = {0, 0xffffffffUL, 0xc0a801ffUL, 0xc0a80100UL, 0xc0a8010aUL, 0xc0a80105UL,
                                  0xc0a802ffUL, 0x0a0000ffUL, 0xc0a8ffffUL, 0xc0a801feUL, 0x7fffffffUL,
                                  0xc0a8010bUL, 0xc0ff01ffUL, 0xc0a8000aUL};
    static const u32_t masks[] = {0xffffff00UL, 0xffff0000UL, 0xfffffffeUL, 0xffffffffUL, 0, 0xff00ff00UL};

    printf("NULL netif: any=%u all=%u\n", ip4_addr_isbroadcast_u32(0, NULL),
           ip4_addr_isbroadcast_u32(0xffffffffUL, NULL));
    for (int flag = 0; flag < 2; flag++) {
        for (size_t m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
            memset(&nif, 0, sizeof(nif));
            nif.flags = (u8_t)(NETIF_FLAG_UP | (flag ? NETIF_FLAG_BROADCAST : 0));
            IP_ADDR4(&nif.ip_addr, 192, 168, 1, 10);
            ip_addr_set_ip4_u32_val(nif.netmask, PP_HTONL(masks[m]));
            IP_SET_TYPE_VAL(nif.netmask, IPADDR_TYPE_V4);
            printf("broadcast flag=%d mask=%08x:", flag, (unsigned)masks[m]);
            for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
                printf(" %u", ip4_addr_isbroadcast_u32(PP_HTONL(addrs[i]), &nif));
            }
            printf("\n");
        }
    }
}

static void data_tests(void)
{
    printf("ip_addr_any: ");
    print_ip_addr(&ip_addr_any);
    printf("\nip_addr_broadcast: ");
    print_ip_addr(&ip_addr_broadcast);
    printf("\nip_addr_any_type: ");
    print_ip_addr(&ip_addr_any_type);
    printf("\nip6_addr_any: ");
    print_ip_addr(&ip6_addr_any);
    printf("\nin6addr_any:");
    for (int i = 0; i < 16; i++) {
        printf(" %02x", in6addr_any.s6_addr[i]);
    }
    printf("\nsizes: ip_addr_t=%zu ip6_addr_t=%zu in6_addr=%zu\n", sizeof(ip_addr_any), sizeof(ip6_addr_t),
           sizeof(in6addr_any));
    /* one call per printf: the results share a buffer */
    printf("IP_ADDR_ANY=%s\n", ipaddr_ntoa(IP_ADDR_ANY));
    printf("IP_ADDR_BROADCAST=%s\n", ipaddr_ntoa(IP_ADDR_BROADCAST));
    printf("IP6_ADDR_ANY=%s\n", ipaddr_ntoa(IP6_ADDR_ANY));
    printf("IP_ANY_TYPE=%s\n", ipaddr_ntoa(IP_ANY_TYPE));
}

static void null_tests(void)
{
    ip_addr_t a;
    memset(&a, 0x11, sizeof(a));
    printf("ipaddr_aton(NULL, a)=%d type=%u\n", ipaddr_aton(NULL, &a), a.type);
    printf("ipaddr_aton(v4, NULL)=%d ipaddr_aton(v6, NULL)=%d ipaddr_aton(bad, NULL)=%d\n",
           ipaddr_aton("1.2.3.4", NULL), ipaddr_aton("::1", NULL), ipaddr_aton("x", NULL));
}

int main(void)
{
    byte_order_tests();
    err_tests();
    netmask_tests();
    broadcast_tests();
    data_tests();
    null_tests();
    for (size_t i = 0; i < sizeof(aton_inputs) / sizeof(aton_inputs[0]); i++) {
        aton_case(aton_inputs[i]);
    }
    ntoa_tests();
    aton_generated(3000);
    ntoa_generated(2000);
    return 0;
}
