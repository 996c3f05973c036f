/*
 * getsockopt / setsockopt, fcntl and ioctl on every kind of socket: defaults, values
 * set and read back, short option lengths, wrong socket types, unknown levels/options,
 * and the sockets whose connection is gone. No traffic except one TCP connection.
 */
#include "lib/diffstack.h"
#include <netinet/tcp.h>

#ifndef TCP_KEEPALIVE
#define TCP_KEEPALIVE 0xff
#endif

struct opt {
    int level, name;
    const char *label;
};

static const struct opt opts[] = {
    { SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR" },   { SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE" },
    { SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST" },   { SOL_SOCKET, SO_ACCEPTCONN, "SO_ACCEPTCONN" },
    { SOL_SOCKET, SO_TYPE, "SO_TYPE" },             { SOL_SOCKET, SO_ERROR, "SO_ERROR" },
    { SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF" },         { SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF" },
    { SOL_SOCKET, SO_NO_CHECK, "SO_NO_CHECK" },     { IPPROTO_IP, IP_TTL, "IP_TTL" },
    { IPPROTO_IP, IP_TOS, "IP_TOS" },               { IPPROTO_IP, IP_MULTICAST_TTL, "IP_MULTICAST_TTL" },
    { IPPROTO_IP, IP_MULTICAST_LOOP, "IP_MULTICAST_LOOP" }, { IPPROTO_IP, IP_MULTICAST_IF, "IP_MULTICAST_IF" },
    { IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY" },   { IPPROTO_TCP, TCP_KEEPALIVE, "TCP_KEEPALIVE" },
    { IPPROTO_TCP, TCP_KEEPIDLE, "TCP_KEEPIDLE" }, { IPPROTO_TCP, TCP_KEEPINTVL, "TCP_KEEPINTVL" },
    { IPPROTO_TCP, TCP_KEEPCNT, "TCP_KEEPCNT" },   { IPPROTO_TCP, TCP_MAXSEG, "TCP_MAXSEG" },
    { IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY" },  { IPPROTO_RAW, IPV6_CHECKSUM, "IPV6_CHECKSUM(raw)" },
    { 12345, 1, "unknown level" },
};

static void get_all(const char *what, int s)
{
    int type = 0;
    socklen_t tl = sizeof type;
    lwip_getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &tl);
    printf("-- getsockopt on %s\n", what);
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        /* lwIP reads whatever byte of a non-UDP pcb sits where the UDP flags are
         * (COMPATIBILITY.md): only UDP sockets have an IP_MULTICAST_LOOP to compare. */
        if (opts[i].name == IP_MULTICAST_LOOP && opts[i].level == IPPROTO_IP && type != SOCK_DGRAM)
            continue;
        int v = 0x5a5a5a5a;
        socklen_t l = 64; /* lwIP never changes it */
        errno = 0;
        int r = lwip_getsockopt(s, opts[i].level, opts[i].name, &v, &l);
        if (r == 0)
            printf("%s = %#x (optlen %u)\n", opts[i].label, v, (unsigned)l);
        else
            printf("%s: %s\n", opts[i].label, errname(errno));
    }
}

static void set_get(const char *what, int s, int level, int name, const char *label, int value)
{
    CALL(label, lwip_setsockopt(s, level, name, &value, sizeof value));
    int v = -7;
    socklen_t l = sizeof v;
    if (lwip_getsockopt(s, level, name, &v, &l) == 0)
        printf("  %s %s reads back %#x\n", what, label, v);
}

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.84.0");
    int tcp = lwip_socket(AF_INET, SOCK_STREAM, 0);
    int udp = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    int raw = lwip_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    int raw6 = lwip_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    int tcp6 = lwip_socket(AF_INET6, SOCK_STREAM, 0);
    int lst = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4(-1, 9031);
    lwip_bind(lst, (struct sockaddr *)&a, sizeof a);
    lwip_listen(lst, 1);
    get_all("TCP", tcp);
    get_all("UDP", udp);
    get_all("RAW ICMP", raw);
    get_all("RAW ICMPv6", raw6);
    get_all("TCP/IPv6", tcp6);
    get_all("listening TCP", lst);

    printf("== set and read back\n");
    set_get("tcp", tcp, SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE 1", 1);
    set_get("tcp", tcp, SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR 5", 5);
    set_get("tcp", tcp, SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST on TCP", 1);
    set_get("udp", udp, SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST 1", 1);
    set_get("udp", udp, SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST 0", 0);
    set_get("tcp", tcp, IPPROTO_IP, IP_TTL, "IP_TTL 300", 300);
    set_get("tcp", tcp, IPPROTO_IP, IP_TOS, "IP_TOS 0x10", 0x10);
    set_get("tcp", tcp, IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY 1", 1);
    set_get("tcp", tcp, IPPROTO_TCP, TCP_KEEPIDLE, "TCP_KEEPIDLE 5", 5);
    set_get("tcp", tcp, IPPROTO_TCP, TCP_KEEPINTVL, "TCP_KEEPINTVL 2", 2);
    set_get("tcp", tcp, IPPROTO_TCP, TCP_KEEPCNT, "TCP_KEEPCNT 3", 3);
    set_get("tcp", tcp, IPPROTO_TCP, TCP_KEEPALIVE, "TCP_KEEPALIVE 1500", 1500);
    set_get("tcp", tcp, IPPROTO_TCP, TCP_KEEPIDLE, "TCP_KEEPIDLE after TCP_KEEPALIVE", 9);
    set_get("listener", lst, IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY on a listener", 1);
    set_get("udp", udp, IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY on UDP", 1);
    set_get("udp", udp, SOL_SOCKET, SO_NO_CHECK, "SO_NO_CHECK 1", 1);
    set_get("tcp", tcp, SOL_SOCKET, SO_NO_CHECK, "SO_NO_CHECK on TCP", 1);
    set_get("tcp6", tcp6, IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY 1", 1);
    set_get("tcp", tcp, IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY on IPv4", 1);
    set_get("raw", raw, IPPROTO_RAW, IPV6_CHECKSUM, "IPV6_CHECKSUM 4", 4);
    set_get("raw", raw, IPPROTO_RAW, IPV6_CHECKSUM, "IPV6_CHECKSUM 3", 3);
    set_get("raw6", raw6, IPPROTO_RAW, IPV6_CHECKSUM, "IPV6_CHECKSUM on ICMPv6", 4);
    set_get("udp", udp, SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF 1000", 1000);
    set_get("tcp", tcp, SOL_SOCKET, SO_TYPE, "SO_TYPE", 1);
    set_get("tcp", tcp, SOL_SOCKET, SO_ERROR, "SO_ERROR", 1);
    unsigned char b = 7;
    CALL("IP_MULTICAST_TTL 1 byte", lwip_setsockopt(udp, IPPROTO_IP, IP_MULTICAST_TTL, &b, 1));
    b = 0;
    socklen_t bl = 1;
    CALL("IP_MULTICAST_TTL get", lwip_getsockopt(udp, IPPROTO_IP, IP_MULTICAST_TTL, &b, &bl));
    printf("  reads back %u\n", b);
    b = 1;
    CALL("IP_MULTICAST_LOOP on TCP", lwip_setsockopt(tcp, IPPROTO_IP, IP_MULTICAST_LOOP, &b, 1));

    printf("== timeouts and linger\n");
    struct timeval tv = { 2, 345678 };
    CALL("SO_RCVTIMEO", lwip_setsockopt(tcp, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    memset(&tv, 0, sizeof tv);
    socklen_t tl = sizeof tv;
    CALL("SO_RCVTIMEO get", lwip_getsockopt(tcp, SOL_SOCKET, SO_RCVTIMEO, &tv, &tl));
    printf("  %ld s %ld us\n", (long)tv.tv_sec, (long)tv.tv_usec);
    tv.tv_sec = -1;
    CALL("SO_SNDTIMEO negative", lwip_setsockopt(tcp, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv));
    CALL("SO_SNDTIMEO short", lwip_setsockopt(tcp, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv - 1));
    struct linger lg = { 1, 40000 };
    CALL("SO_LINGER 40000", lwip_setsockopt(tcp, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    memset(&lg, 0x55, sizeof lg);
    socklen_t ll = sizeof lg;
    CALL("SO_LINGER get", lwip_getsockopt(tcp, SOL_SOCKET, SO_LINGER, &lg, &ll));
    printf("  {%d, %d}\n", lg.l_onoff, lg.l_linger);
    lg.l_onoff = 1;
    lg.l_linger = 7;
    CALL("SO_LINGER 7", lwip_setsockopt(tcp, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    CALL("SO_LINGER get", lwip_getsockopt(tcp, SOL_SOCKET, SO_LINGER, &lg, &ll));
    printf("  {%d, %d}\n", lg.l_onoff, lg.l_linger);
    lg.l_linger = -1;
    CALL("SO_LINGER -1", lwip_setsockopt(tcp, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));

    printf("== argument errors\n");
    int v = 1;
    socklen_t vl = sizeof v;
    CALL("getsockopt NULL optval", lwip_getsockopt(tcp, SOL_SOCKET, SO_TYPE, NULL, &vl));
    CALL("getsockopt NULL optlen", lwip_getsockopt(tcp, SOL_SOCKET, SO_TYPE, &v, NULL));
    CALL("setsockopt NULL optval", lwip_setsockopt(tcp, SOL_SOCKET, SO_KEEPALIVE, NULL, sizeof v));
    CALL("setsockopt optlen 2", lwip_setsockopt(tcp, SOL_SOCKET, SO_KEEPALIVE, &v, 2));
    vl = 2;
    CALL("getsockopt optlen 2", lwip_getsockopt(tcp, SOL_SOCKET, SO_KEEPALIVE, &v, &vl));
    CALL("getsockopt bad fd", lwip_getsockopt(999, SOL_SOCKET, SO_TYPE, &v, &vl));
    CALL("setsockopt SO_BINDTODEVICE short", lwip_setsockopt(udp, SOL_SOCKET, SO_BINDTODEVICE, "tp", 3));
    char ifr[64];
    memset(ifr, 0, sizeof ifr);
    strcpy(ifr, "zz9");
    CALL("SO_BINDTODEVICE unknown", lwip_setsockopt(udp, SOL_SOCKET, SO_BINDTODEVICE, ifr, sizeof ifr));
    snprintf(ifr, sizeof ifr, "%c%c%u", test_netif.name[0], test_netif.name[1], test_netif.num);
    CALL("SO_BINDTODEVICE our netif", lwip_setsockopt(udp, SOL_SOCKET, SO_BINDTODEVICE, ifr, sizeof ifr));
    memset(ifr, 0, sizeof ifr);
    CALL("SO_BINDTODEVICE empty", lwip_setsockopt(udp, SOL_SOCKET, SO_BINDTODEVICE, ifr, sizeof ifr));

    printf("== fcntl / ioctl\n");
    CALL("F_GETFL tcp", lwip_fcntl(tcp, F_GETFL, 0));
    CALL("F_GETFL udp", lwip_fcntl(udp, F_GETFL, 0));
    CALL("F_SETFL O_NONBLOCK", lwip_fcntl(tcp, F_SETFL, O_NONBLOCK | O_RDWR));
    CALL("F_GETFL", lwip_fcntl(tcp, F_GETFL, 0));
    CALL("F_SETFL O_APPEND", lwip_fcntl(tcp, F_SETFL, O_APPEND));
    CALL("F_GETFL", lwip_fcntl(tcp, F_GETFL, 0));
    CALL("F_GETFD", lwip_fcntl(tcp, F_GETFD, 0));
    v = 0;
    CALL("FIONBIO 0", lwip_ioctl(tcp, FIONBIO, &v));
    CALL("F_GETFL", lwip_fcntl(tcp, F_GETFL, 0));
    CALL("FIONBIO NULL", lwip_ioctl(tcp, FIONBIO, NULL));
    CALL("FIONREAD NULL", lwip_ioctl(udp, FIONREAD, NULL));
    CALL("FIONREAD listener", lwip_ioctl(lst, FIONREAD, &v));
    printf("  %d\n", v);
    CALL("ioctl unknown", lwip_ioctl(tcp, 0x1234, &v));

    printf("== after the connection is gone\n");
    int dead = lwip_socket(AF_INET, SOCK_STREAM, 0);
    a = sin4(1, 9032); /* nothing listens: refused */
    lwip_connect(dead, (struct sockaddr *)&a, sizeof a);
    get_all("refused TCP", dead);
    set_get("dead", dead, SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE", 1);
    set_get("dead", dead, IPPROTO_IP, IP_TTL, "IP_TTL", 9);
    CALL("F_GETFL", lwip_fcntl(dead, F_GETFL, 0));

    lwip_close(tcp);
    lwip_close(udp);
    lwip_close(raw);
    lwip_close(raw6);
    lwip_close(tcp6);
    lwip_close(lst);
    lwip_close(dead);
    return 0;
}
