/*
 * IPv6 sockets against the kernel: TCP and UDP over a global IPv6 prefix, names
 * (sockaddr_in6), dual-stack listeners (IPv4 peers v4-mapped where lwIP maps them),
 * IPV6_V6ONLY, v4-mapped destinations.
 */
#include "lib/diffstack.h"

static void show6(const char *what, struct sockaddr *sa, socklen_t len)
{
    char text[64] = "?";
    int port = 0;
    if (sa->sa_family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)sa;
        lwip_inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
        port = lwip_ntohs(a->sin6_port);
    } else if (sa->sa_family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)sa;
        lwip_inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
        port = lwip_ntohs(a->sin_port);
    }
    printf("%s: family %d len %u %s port-set %d\n", what, sa->sa_family, (unsigned)len, text, port != 0);
}

int main(int argc, char **argv)
{
    char buf[64];
    struct sockaddr_storage ss;
    socklen_t sl;
    stack_up(argc > 1 ? argv[1] : "10.87.0");
    stack_up6();

    printf("== TCP client over IPv6\n");
    FILE *p = peer_start("listen6 9061 recv send:six close");
    peer_line(p);
    int s = lwip_socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a = sin6(1, 9061);
    CALL("connect", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    sl = sizeof ss;
    CALL("getsockname", lwip_getsockname(s, (struct sockaddr *)&ss, &sl));
    show6("local", (struct sockaddr *)&ss, sl);
    CALL("send", lwip_send(s, "v6", 2, 0));
    memset(buf, 0, sizeof buf);
    CALL("recv", lwip_recv(s, buf, sizeof buf, 0));
    printf("got '%s'\n", buf);
    peer_wait(p);
    lwip_close(s);

    printf("== dual-stack listener\n");
    int l = lwip_socket(AF_INET6, SOCK_STREAM, 0);
    a = sin6(-1, 9062);
    CALL("bind [::]", lwip_bind(l, (struct sockaddr *)&a, sizeof a));
    CALL("listen", lwip_listen(l, 2));
    p = peer_start("connect %s 9062 send:four recv close", host(2));
    peer_line(p);
    sl = sizeof ss;
    int c = lwip_accept(l, (struct sockaddr *)&ss, &sl);
    CALL("accept IPv4 peer", c);
    show6("accept address", (struct sockaddr *)&ss, sl);
    sl = sizeof ss;
    CALL("getpeername", lwip_getpeername(c, (struct sockaddr *)&ss, &sl));
    show6("peer", (struct sockaddr *)&ss, sl);
    sl = sizeof ss;
    CALL("getsockname", lwip_getsockname(c, (struct sockaddr *)&ss, &sl));
    show6("local", (struct sockaddr *)&ss, sl);
    memset(buf, 0, sizeof buf);
    CALL("recv", lwip_recv(c, buf, sizeof buf, 0));
    printf("got '%s'\n", buf);
    CALL("send", lwip_send(c, "mapped", 6, 0));
    peer_wait(p);
    lwip_close(c);
    p = peer_start("connect %s 9062 send:six recv close", host6(2));
    peer_line(p);
    sl = sizeof ss;
    c = lwip_accept(l, (struct sockaddr *)&ss, &sl);
    CALL("accept IPv6 peer", c);
    show6("accept address", (struct sockaddr *)&ss, sl);
    CALL("recv", lwip_recv(c, buf, sizeof buf, 0));
    CALL("send", lwip_send(c, "ok", 2, 0));
    peer_wait(p);
    lwip_close(c);
    lwip_close(l);

    printf("== IPV6_V6ONLY listener\n");
    l = lwip_socket(AF_INET6, SOCK_STREAM, 0);
    int on = 1;
    CALL("IPV6_V6ONLY", lwip_setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on));
    a = sin6(-1, 9063);
    CALL("bind [::]", lwip_bind(l, (struct sockaddr *)&a, sizeof a));
    CALL("listen", lwip_listen(l, 2));
    p = peer_start("connect %s 9063", host(2));
    peer_wait(p);
    p = peer_start("connect %s 9063 send:only6 close", host6(2));
    peer_line(p);
    c = lwip_accept(l, NULL, NULL);
    CALL("accept IPv6 peer", c);
    memset(buf, 0, sizeof buf);
    CALL("recv", lwip_recv(c, buf, sizeof buf, 0));
    printf("got '%s'\n", buf);
    peer_wait(p);
    lwip_close(c);
    lwip_close(l);

    printf("== UDP over IPv6 and to a v4-mapped address\n");
    p = peer_start("udp-echo 9064 1");
    peer_line(p);
    s = lwip_socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 to;
    memset(&to, 0, sizeof to);
    to.sin6_family = AF_INET6;
    to.sin6_port = lwip_htons(9064);
    char mapped[64];
    snprintf(mapped, sizeof mapped, "::ffff:%s", host(1));
    lwip_inet_pton(AF_INET6, mapped, &to.sin6_addr);
    CALL("sendto v4-mapped", lwip_sendto(s, "m4", 2, 0, (struct sockaddr *)&to, sizeof to));
    sl = sizeof ss;
    CALL("recvfrom", lwip_recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&ss, &sl));
    show6("from", (struct sockaddr *)&ss, sl);
    peer_wait(p);
    lwip_close(s);

    printf("== IPv6 multicast\n");
    s = lwip_socket(AF_INET6, SOCK_DGRAM, 0);
    a = sin6(-1, 9065);
    CALL("bind", lwip_bind(s, (struct sockaddr *)&a, sizeof a));
    p = peer_start("sniff 1.5 mld");
    peer_line(p);
    struct ipv6_mreq mr;
    memset(&mr, 0, sizeof mr);
    lwip_inet_pton(AF_INET6, "ff12::1234", &mr.ipv6mr_multiaddr);
    mr.ipv6mr_interface = netif_get_index(&test_netif);
    CALL("IPV6_JOIN_GROUP", lwip_setsockopt(s, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof mr));
    peer_wait(p);
    p = peer_start("udp-send ff12::1234%%tap0 9065 group6");
    peer_wait(p);
    struct timeval tv = { 3, 0 };
    lwip_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    memset(buf, 0, sizeof buf);
    CALL("recv group datagram", lwip_recv(s, buf, sizeof buf, 0));
    printf("got '%s'\n", buf);
    CALL("IPV6_LEAVE_GROUP", lwip_setsockopt(s, IPPROTO_IPV6, IPV6_LEAVE_GROUP, &mr, sizeof mr));
    CALL("IPV6_LEAVE_GROUP again", lwip_setsockopt(s, IPPROTO_IPV6, IPV6_LEAVE_GROUP, &mr, sizeof mr));
    mr.ipv6mr_interface = 0;
    CALL("IPV6_JOIN_GROUP interface 0", lwip_setsockopt(s, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof mr));
    lwip_close(s);
    return 0;
}
