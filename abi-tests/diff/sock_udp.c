/*
 * UDP sockets against the kernel: echo, recvfrom addresses, truncation, MSG_PEEK,
 * FIONREAD, readiness that does not consume, connect/disconnect (AF_UNSPEC), size limits,
 * broadcast, multicast join (receiving the group's datagrams, IGMP reports on the wire),
 * fragmented datagrams both ways, recvmsg/sendmsg, SO_RCVBUF, a burst read after it ended.
 */
#include "lib/diffstack.h"
#include <poll.h>

static int udp_bound(int port)
{
    int s = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = sin4(-1, port);
    if (lwip_bind(s, (struct sockaddr *)&a, sizeof a) != 0)
        printf("bind %d failed\n", port);
    return s;
}

static void show_from(struct sockaddr_in *f, socklen_t fl)
{
    printf("  from family %d len %u port %u gateway %d\n", f->sin_family, (unsigned)fl, lwip_ntohs(f->sin_port),
           f->sin_addr.s_addr == sin4(1, 0).sin_addr.s_addr);
}

int main(int argc, char **argv)
{
    char buf[8192];
    struct sockaddr_in from;
    socklen_t fl;
    stack_up(argc > 1 ? argv[1] : "10.83.0");

    printf("== echo through the kernel\n");
    FILE *p = peer_start("udp-echo 9021 2");
    peer_line(p);
    int s = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    struct pollfd pf = { .fd = s, .events = POLLIN | POLLOUT };
    CALL("poll fresh", lwip_poll(&pf, 1, 0));
    printf("revents %#x\n", pf.revents);
    struct sockaddr_in to = sin4(1, 9021);
    CALL("sendto", lwip_sendto(s, "hello", 5, 0, (struct sockaddr *)&to, sizeof to));
    pf.revents = 0;
    pf.events = POLLIN;
    CALL("poll for the echo", lwip_poll(&pf, 1, 5000));
    printf("revents %#x\n", pf.revents);
    int pending = -1;
    CALL("FIONREAD", lwip_ioctl(s, FIONREAD, &pending));
    printf("pending %d\n", pending);
    CALL("poll again (not consumed)", lwip_poll(&pf, 1, 0));
    fl = sizeof from;
    CALL("recvfrom MSG_PEEK", lwip_recvfrom(s, buf, 3, MSG_PEEK, (struct sockaddr *)&from, &fl));
    fl = sizeof from;
    CALL("recvfrom truncated", lwip_recvfrom(s, buf, 3, 0, (struct sockaddr *)&from, &fl));
    show_from(&from, fl);
    CALL("recv (rest discarded)", lwip_recv(s, buf, sizeof buf, MSG_DONTWAIT));
    CALL("connect", lwip_connect(s, (struct sockaddr *)&to, sizeof to));
    CALL("send connected", lwip_send(s, "again", 5, 0));
    fl = sizeof from;
    memset(buf, 0, sizeof buf);
    CALL("recvfrom", lwip_recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    printf("got '%s'\n", buf);
    struct sockaddr_in peer;
    socklen_t pl = sizeof peer;
    CALL("getpeername", lwip_getpeername(s, (struct sockaddr *)&peer, &pl));
    struct sockaddr unspec;
    memset(&unspec, 0, sizeof unspec);
    unspec.sa_family = AF_UNSPEC;
    CALL("connect AF_UNSPEC", lwip_connect(s, &unspec, sizeof unspec));
    pl = sizeof peer;
    CALL("getpeername after", lwip_getpeername(s, (struct sockaddr *)&peer, &pl));
    peer_wait(p);
    CALL("close", lwip_close(s));

    printf("== receiving from the kernel\n");
    s = udp_bound(9022);
    int rcvbuf = -1;
    socklen_t ol = sizeof rcvbuf;
    CALL("SO_RCVBUF", lwip_getsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &ol));
    printf("default rcvbuf %d\n", rcvbuf);
    p = peer_start("udp-send %s 9022 one two three @3000 @0", host(2));
    peer_wait(p);
    usleep(300 * 1000);
    CALL("FIONREAD (all queued)", lwip_ioctl(s, FIONREAD, &pending));
    printf("pending %d\n", pending);
    for (int i = 0; i < 5; i++) {
        fl = sizeof from;
        long n = lwip_recvfrom(s, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
        printf("datagram %d: %ld bytes%s\n", i, n, n == 3000 && buf[2999] == 'x' ? " (fragmented, intact)" : "");
    }
    CALL("recv on empty queue", lwip_recv(s, buf, sizeof buf, MSG_DONTWAIT));

    printf("== SO_RCVBUF bounds the queue\n");
    rcvbuf = 8;
    CALL("SO_RCVBUF 8", lwip_setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf));
    p = peer_start("udp-send %s 9022 abcd efgh ijkl", host(2));
    peer_wait(p);
    usleep(300 * 1000);
    for (int i = 0; i < 3; i++)
        CALL("recv", lwip_recv(s, buf, sizeof buf, MSG_DONTWAIT));

    printf("== recvmsg / sendmsg\n");
    rcvbuf = 1 << 20;
    lwip_setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    p = peer_start("udp-send %s 9022 seven77", host(2));
    peer_wait(p);
    usleep(200 * 1000);
    char a1[2], a2[2];
    struct iovec iov[2] = { { a1, 2 }, { a2, 2 } };
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_name = &from;
    m.msg_namelen = sizeof from;
    m.msg_iov = iov;
    m.msg_iovlen = 2;
    CALL("recvmsg into 2+2 bytes", lwip_recvmsg(s, &m, MSG_DONTWAIT));
    printf("msg_flags MSG_TRUNC %d namelen %u '%.2s%.2s'\n", (m.msg_flags & MSG_TRUNC) != 0, (unsigned)m.msg_namelen, a1, a2);
    CALL("recvmsg MSG_WAITALL", lwip_recvmsg(s, &m, MSG_WAITALL));
    p = peer_start("udp-recv 9023 1");
    peer_line(p);
    struct iovec out[2] = { { "gath", 4 }, { "ered", 4 } };
    to = sin4(1, 9023);
    memset(&m, 0, sizeof m);
    m.msg_name = &to;
    m.msg_namelen = sizeof to;
    m.msg_iov = out;
    m.msg_iovlen = 2;
    CALL("sendmsg", lwip_sendmsg(s, &m, 0));
    peer_wait(p);
    CALL("sendmsg MSG_NOSIGNAL", lwip_sendmsg(s, &m, MSG_NOSIGNAL));
    CALL("close", lwip_close(s));

    printf("== sizes\n");
    s = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    to = sin4(1, 9024);
    static char big[70000];
    p = peer_start("udp-recv 9024 2");
    peer_line(p);
    CALL("sendto 0 bytes", lwip_sendto(s, big, 0, 0, (struct sockaddr *)&to, sizeof to));
    CALL("sendto 4000 bytes (fragmented)", lwip_sendto(s, big, 4000, 0, (struct sockaddr *)&to, sizeof to));
    peer_wait(p);
    CALL("sendto 65508", lwip_sendto(s, big, 65508, 0, (struct sockaddr *)&to, sizeof to));
    CALL("sendto 65530", lwip_sendto(s, big, 65530, 0, (struct sockaddr *)&to, sizeof to));
    CALL("sendto 65536", lwip_sendto(s, big, 65536, 0, (struct sockaddr *)&to, sizeof to));
    CALL("sendto with tolen 15", lwip_sendto(s, big, 1, 0, (struct sockaddr *)&to, 15));
    CALL("sendto NULL with tolen 16", lwip_sendto(s, big, 1, 0, NULL, sizeof to));
    CALL("close", lwip_close(s));

    printf("== broadcast\n");
    s = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    int on = 1;
    CALL("SO_BROADCAST", lwip_setsockopt(s, SOL_SOCKET, SO_BROADCAST, &on, sizeof on));
    p = peer_start("udp-recv 9025 1");
    peer_line(p);
    to = sin4(255, 9025);
    CALL("sendto subnet broadcast", lwip_sendto(s, "bcast", 5, 0, (struct sockaddr *)&to, sizeof to));
    peer_wait(p);
    CALL("close", lwip_close(s));

    printf("== multicast\n");
    s = udp_bound(9026);
    p = peer_start("sniff 1.5 igmp");
    peer_line(p);
    struct ip_mreq mr;
    lwip_inet_pton(AF_INET, "239.1.2.3", &mr.imr_multiaddr);
    mr.imr_interface.s_addr = 0;
    CALL("IP_ADD_MEMBERSHIP", lwip_setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr));
    peer_wait(p);
    FILE *q = peer_start("udp-send 239.1.2.3 9026 group-hello");
    peer_wait(q);
    memset(buf, 0, sizeof buf);
    pf.fd = s;
    pf.events = POLLIN;
    CALL("poll", lwip_poll(&pf, 1, 3000));
    CALL("recv group datagram", lwip_recv(s, buf, sizeof buf, MSG_DONTWAIT));
    printf("got '%s'\n", buf);
    CALL("IP_DROP_MEMBERSHIP", lwip_setsockopt(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, &mr, sizeof mr));
    CALL("IP_DROP_MEMBERSHIP again", lwip_setsockopt(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, &mr, sizeof mr));
    CALL("close", lwip_close(s));

    /* The receive queue (lwIP's recvmbox) takes a burst that arrives faster than the
     * application reads, however the frames are batched on the way in. */
    printf("== a burst of 40 datagrams, read afterwards\n");
    s = udp_bound(9027);
    p = peer_start("udp-burst %s 9027 40", host(2));
    peer_wait(p);
    usleep(500 * 1000);
    int got = 0, in_order = 1;
    long n;
    while ((n = lwip_recv(s, buf, sizeof buf - 1, MSG_DONTWAIT)) > 0) {
        buf[n] = 0;
        in_order &= atoi(buf) == got;
        got++;
    }
    printf("received %d, in order %d\n", got, in_order);
    CALL("close", lwip_close(s));
    return 0;
}
