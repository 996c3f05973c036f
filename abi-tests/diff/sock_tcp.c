/*
 * TCP over BSD sockets against the Linux kernel: client and server roles, fd numbering,
 * names, end of stream, half close, timeouts, refused connects, listen/accept readiness.
 * Run by sock_tcp.sh in a namespace (lib/netns_run.sh); compared between real lwIP and
 * smolwip by run_diff.sh.
 */
#include "lib/diffstack.h"
#include <poll.h>

static void client_role(void)
{
    printf("== stack connects to the kernel\n");
    FILE *p = peer_start("listen 9001 recv send:pong shut recv close");
    peer_line(p); /* ready */
    int s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    CALL("socket", s);
    struct sockaddr_in a = sin4(1, 9001);
    CALL("connect", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    CALL("connect again", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    struct sockaddr_in n;
    socklen_t nl = sizeof n + 4;
    CALL("getpeername", lwip_getpeername(s, (struct sockaddr *)&n, &nl));
    printf("peer family %d len %u port %u is-gateway %d\n", n.sin_family, (unsigned)nl, lwip_ntohs(n.sin_port),
           n.sin_addr.s_addr == a.sin_addr.s_addr);
    nl = sizeof n;
    CALL("getsockname", lwip_getsockname(s, (struct sockaddr *)&n, &nl));
    printf("local family %d len %u ephemeral %d\n", n.sin_family, (unsigned)nl, lwip_ntohs(n.sin_port) >= 0xc000);
    CALL("send ping", lwip_send(s, "ping", 4, 0));
    peer_line(p); /* recv 'ping' */
    char buf[64];
    memset(buf, 0, sizeof buf);
    CALL("recv", lwip_recv(s, buf, sizeof buf, 0));
    printf("got '%s'\n", buf);
    /* the peer shut its side: end of stream once, then ENOTCONN */
    CALL("recv at eof", lwip_recv(s, buf, sizeof buf, 0));
    CALL("recv after eof", lwip_recv(s, buf, sizeof buf, 0));
    CALL("send after peer's FIN", lwip_send(s, "late", 4, 0));
    peer_wait(p);
    CALL("close", lwip_close(s));
    CALL("close again", lwip_close(s));
}

static void server_role(void)
{
    printf("== the kernel connects to the stack\n");
    int l = lwip_socket(AF_INET, SOCK_STREAM, 0);
    CALL("socket", l);
    int one = 1;
    CALL("SO_REUSEADDR", lwip_setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    struct sockaddr_in a = sin4(-1, 9002);
    CALL("bind", lwip_bind(l, (struct sockaddr *)&a, sizeof a));
    CALL("listen", lwip_listen(l, 4));
    CALL("listen again", lwip_listen(l, 4));
    CALL("fcntl nonblocking", lwip_fcntl(l, F_SETFL, O_NONBLOCK));
    CALL("accept with nothing pending", lwip_accept(l, NULL, NULL));
    struct pollfd pf = { .fd = l, .events = POLLIN | POLLOUT };
    CALL("poll listener (nothing pending)", lwip_poll(&pf, 1, 0));
    printf("revents %#x\n", pf.revents);

    FILE *p = peer_start("connect %s 9002 send:hello recv shut expect-eof", host(2));
    peer_line(p); /* connected */
    pf.revents = 0;
    CALL("poll listener", lwip_poll(&pf, 1, 5000));
    printf("revents %#x\n", pf.revents);
    CALL("fcntl blocking", lwip_fcntl(l, F_SETFL, 0));
    struct sockaddr_in peer;
    socklen_t pl = sizeof peer;
    int c = lwip_accept(l, (struct sockaddr *)&peer, &pl);
    CALL("accept", c);
    printf("accepted family %d len %u from-gateway %d\n", peer.sin_family, (unsigned)pl,
           peer.sin_addr.s_addr == sin4(1, 0).sin_addr.s_addr);
    CALL("F_GETFL accepted", lwip_fcntl(c, F_GETFL, 0));
    char buf[64];
    memset(buf, 0, sizeof buf);
    CALL("recv", lwip_recv(c, buf, sizeof buf, 0));
    printf("got '%s'\n", buf);
    CALL("send", lwip_send(c, "world", 5, 0));
    peer_line(p); /* recv 'world' */
    CALL("recv at eof", lwip_recv(c, buf, sizeof buf, 0));
    CALL("shutdown SHUT_WR", lwip_shutdown(c, SHUT_WR));
    CALL("F_GETFL after SHUT_WR", lwip_fcntl(c, F_GETFL, 0));
    CALL("send after SHUT_WR", lwip_send(c, "x", 1, 0));
    peer_wait(p); /* eof */
    CALL("close accepted", lwip_close(c));

    printf("== receive timeout\n");
    p = peer_start("connect %s 9002 sleep:1.5 close", host(2));
    peer_line(p);
    c = lwip_accept(l, NULL, NULL);
    CALL("accept", c);
    struct timeval tv = { 0, 200 * 1000 };
    CALL("SO_RCVTIMEO 200ms", lwip_setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    CALL("recv times out", lwip_recv(c, buf, sizeof buf, 0));
    CALL("recv MSG_DONTWAIT", lwip_recv(c, buf, sizeof buf, MSG_DONTWAIT));
    peer_wait(p);
    CALL("close", lwip_close(c));
    CALL("close listener", lwip_close(l));
}

static void refused(void)
{
    printf("== connect to a closed port\n");
    int s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4(1, 9003);
    CALL("blocking connect", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    int err = -1;
    socklen_t el = sizeof err;
    CALL("SO_ERROR", lwip_getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el));
    printf("SO_ERROR value %s\n", errname(err));
    CALL("connect after failure", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    char b[4];
    CALL("recv after failure", lwip_recv(s, b, sizeof b, 0));
    CALL("send after failure", lwip_send(s, "x", 1, 0));
    CALL("close", lwip_close(s));
}

static void fd_numbers(void)
{
    printf("== fd numbers\n");
    int a = lwip_socket(AF_INET, SOCK_STREAM, 0);
    int b = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    int c = lwip_socket(AF_INET, SOCK_STREAM, 0);
    printf("three sockets: consecutive %d\n", b == a + 1 && c == b + 1);
    lwip_close(b);
    int d = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    printf("freed number reused %d\n", d == b);
    lwip_close(a);
    lwip_close(c);
    lwip_close(d);
    CALL("socket(AF_INET, SOCK_SEQPACKET)", lwip_socket(AF_INET, SOCK_SEQPACKET, 0));
    CALL("socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK)", lwip_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
}

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.81.0");
    fd_numbers();
    client_role();
    server_role();
    refused();
    return 0;
}
