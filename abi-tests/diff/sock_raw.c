/*
 * RAW sockets: an ICMP echo request from a raw socket to the kernel and its reply (which
 * lwIP delivers with the IP header), ICMPv6 with the checksum filled in by the stack,
 * raw names and connect.
 */
#include "lib/diffstack.h"

static unsigned short csum(const unsigned char *p, int n)
{
    unsigned long s = 0;
    for (int i = 0; i + 1 < n; i += 2)
        s += (unsigned)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (unsigned)(p[n - 1] << 8);
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (unsigned short)~s;
}

int main(int argc, char **argv)
{
    unsigned char pkt[64], buf[256];
    stack_up(argc > 1 ? argv[1] : "10.88.0");
    stack_up6();

    printf("== ICMP echo from a raw socket\n");
    int s = lwip_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    CALL("socket", s);
    memset(pkt, 0, sizeof pkt);
    pkt[0] = 8; /* echo request */
    pkt[4] = 0x12;
    pkt[5] = 0x34; /* id */
    pkt[7] = 1;    /* seq */
    memcpy(pkt + 8, "raw-ping", 8);
    unsigned short c = csum(pkt, 16);
    pkt[2] = (unsigned char)(c >> 8);
    pkt[3] = (unsigned char)c;
    struct sockaddr_in to = sin4(1, 0);
    CALL("sendto", lwip_sendto(s, pkt, 16, 0, (struct sockaddr *)&to, sizeof to));
    struct timeval tv = { 3, 0 };
    lwip_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    long n = lwip_recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    /* the stack's own echo request may be seen too: skip to the reply */
    while (n >= 28 && buf[20] != 0)
        n = lwip_recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    printf("recvfrom: %ld bytes, ip version %d, protocol %d, icmp type %d, payload '%.8s', from gateway %d port %u\n", n,
           buf[0] >> 4, buf[9], buf[20], buf + 28, from.sin_addr.s_addr == to.sin_addr.s_addr, lwip_ntohs(from.sin_port));
    struct sockaddr_in me;
    socklen_t ml = sizeof me;
    CALL("getsockname", lwip_getsockname(s, (struct sockaddr *)&me, &ml));
    printf("  port (protocol) %u\n", lwip_ntohs(me.sin_port));
    ml = sizeof me;
    CALL("getpeername", lwip_getpeername(s, (struct sockaddr *)&me, &ml));
    CALL("connect", lwip_connect(s, (struct sockaddr *)&to, sizeof to));
    CALL("getpeername after connect", lwip_getpeername(s, (struct sockaddr *)&me, &ml));
    pkt[7] = 2;
    pkt[2] = pkt[3] = 0;
    c = csum(pkt, 16);
    pkt[2] = (unsigned char)(c >> 8);
    pkt[3] = (unsigned char)c;
    CALL("send connected", lwip_send(s, pkt, 16, 0));
    do
        n = lwip_recv(s, buf, sizeof buf, 0);
    while (n >= 28 && buf[20] != 0);
    printf("reply: %ld bytes, type %d, seq %d\n", n, buf[20], buf[27]);
    lwip_close(s);

    printf("== ICMPv6 echo (checksum by the stack)\n");
    s = lwip_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    CALL("socket", s);
    memset(pkt, 0, sizeof pkt);
    pkt[0] = 128; /* echo request */
    pkt[5] = 7;
    pkt[7] = 1;
    memcpy(pkt + 8, "raw6", 4);
    struct sockaddr_in6 to6 = sin6(1, 0);
    CALL("sendto", lwip_sendto(s, pkt, 12, 0, (struct sockaddr *)&to6, sizeof to6));
    lwip_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int got = 0;
    for (int i = 0; i < 10 && !got; i++) {
        n = lwip_recv(s, buf, sizeof buf, 0);
        if (n < 0)
            break;
        /* lwIP delivers the IPv6 header too; find the echo reply behind it */
        if (n >= 48 && buf[6] == 58 && buf[40] == 129) {
            printf("echo reply: %ld bytes, payload '%.4s'\n", n, buf + 48);
            got = 1;
        }
    }
    if (!got)
        printf("no echo reply\n");
    lwip_close(s);
    return 0;
}
