/*
 * Bad input to every socket function: invalid and closed fds, wrong address lengths and
 * families, misaligned and short buffers, zero and huge lengths, calls on the wrong socket
 * type, poll's argument checks. lwIP's errno for each; nothing may crash. (NULL pointers
 * that crash lwIP itself are checked for smolwip alone, in abi-tests/net.)
 */
#include "lib/diffstack.h"
#include <poll.h>
#include "lwip/if_api.h"

int main(int argc, char **argv)
{
    char buf[64];
    stack_up(argc > 1 ? argv[1] : "10.86.0");
    struct sockaddr_in a = sin4(-1, 9051);
    socklen_t al = sizeof a;
    int v = 1;
    socklen_t vl = sizeof v;

    printf("== fds that are not sockets\n");
    int fds[] = { -1, 0, 999, 1000000 };
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        int fd = fds[i];
        printf("-- fd %d\n", fd);
        CALL("bind", lwip_bind(fd, (struct sockaddr *)&a, sizeof a));
        CALL("listen", lwip_listen(fd, 1));
        CALL("accept", lwip_accept(fd, NULL, NULL));
        CALL("connect", lwip_connect(fd, (struct sockaddr *)&a, sizeof a));
        CALL("send", lwip_send(fd, "x", 1, 0));
        CALL("sendto", lwip_sendto(fd, "x", 1, 0, (struct sockaddr *)&a, sizeof a));
        CALL("recv", lwip_recv(fd, buf, sizeof buf, 0));
        CALL("read", lwip_read(fd, buf, sizeof buf));
        CALL("write", lwip_write(fd, "x", 1));
        CALL("shutdown", lwip_shutdown(fd, SHUT_RDWR));
        CALL("close", lwip_close(fd));
        CALL("getsockname", lwip_getsockname(fd, (struct sockaddr *)&a, &al));
        CALL("getpeername", lwip_getpeername(fd, (struct sockaddr *)&a, &al));
        CALL("getsockopt", lwip_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &vl));
        CALL("setsockopt", lwip_setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v));
        CALL("fcntl", lwip_fcntl(fd, F_GETFL, 0));
        CALL("ioctl", lwip_ioctl(fd, FIONBIO, &v));
    }
    printf("-- a closed fd\n");
    int closed = lwip_socket(AF_INET, SOCK_STREAM, 0);
    lwip_close(closed);
    CALL("send", lwip_send(closed, "x", 1, 0));
    CALL("recv", lwip_recv(closed, buf, sizeof buf, 0));
    CALL("close", lwip_close(closed));

    printf("== addresses\n");
    int t = lwip_socket(AF_INET, SOCK_STREAM, 0);
    int u = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    int t6 = lwip_socket(AF_INET6, SOCK_STREAM, 0);
    CALL("bind len 15", lwip_bind(t, (struct sockaddr *)&a, 15));
    CALL("bind len 17", lwip_bind(t, (struct sockaddr *)&a, 17));
    CALL("bind len 28 (IPv4)", lwip_bind(u, (struct sockaddr *)&a, 28));
    struct sockaddr_in wrong = a;
    wrong.sin_family = AF_INET6;
    CALL("bind AF_INET6 address on IPv4 socket", lwip_bind(t, (struct sockaddr *)&wrong, sizeof wrong));
    wrong.sin_family = 1; /* AF_UNIX */
    CALL("bind AF_UNIX", lwip_bind(t, (struct sockaddr *)&wrong, sizeof wrong));
    CALL("bind IPv4 address on IPv6 socket", lwip_bind(t6, (struct sockaddr *)&a, sizeof a));
    char unaligned[40] __attribute__((aligned(8)));
    memcpy(unaligned + 1, &a, sizeof a);
    CALL("bind misaligned", lwip_bind(t, (struct sockaddr *)(unaligned + 1), sizeof a));
    CALL("connect len 0", lwip_connect(t, (struct sockaddr *)&a, 0));
    struct sockaddr_in any0 = sin4(-1, 0);
    CALL("bind port 0", lwip_bind(t, (struct sockaddr *)&any0, sizeof any0));
    CALL("bind again", lwip_bind(t, (struct sockaddr *)&any0, sizeof any0));
    struct sockaddr_in n;
    socklen_t nl = 4;
    memset(&n, 0, sizeof n);
    CALL("getsockname len 4", lwip_getsockname(t, (struct sockaddr *)&n, &nl));
    printf("  len now %u family %d\n", (unsigned)nl, n.sin_family);
    nl = 0;
    CALL("getsockname len 0", lwip_getsockname(t, (struct sockaddr *)&n, &nl));
    nl = sizeof n;
    CALL("getpeername unconnected", lwip_getpeername(t, (struct sockaddr *)&n, &nl));
    CALL("getpeername UDP unconnected", lwip_getpeername(u, (struct sockaddr *)&n, &nl));

    printf("== wrong socket type\n");
    CALL("listen UDP", lwip_listen(u, 1));
    CALL("accept UDP", lwip_accept(u, NULL, NULL));
    CALL("shutdown UDP", lwip_shutdown(u, SHUT_RD));
    CALL("accept unlistened TCP", lwip_accept(t, NULL, NULL));
    CALL("shutdown how 7", lwip_shutdown(t, 7));
    CALL("shutdown unconnected SHUT_WR", lwip_shutdown(t, SHUT_WR));
    CALL("send unconnected TCP", lwip_send(t, "x", 1, 0));
    CALL("send 0 bytes unconnected TCP", lwip_send(t, "x", 0, 0));
    CALL("recv unconnected TCP (nonblocking)", lwip_recv(t, buf, sizeof buf, MSG_DONTWAIT));

    printf("== lengths and buffers\n");
    CALL("sendto NULL data len 0", lwip_sendto(u, NULL, 0, 0, (struct sockaddr *)&a, sizeof a));
    CALL("sendto huge", lwip_sendto(u, buf, (size_t)1 << 40, 0, (struct sockaddr *)&a, sizeof a));
    CALL("sendto tolen 0 with address", lwip_sendto(u, buf, 1, 0, (struct sockaddr *)&a, 0));
    CALL("writev iovcnt 0", lwip_writev(u, NULL, 0));
    CALL("writev iovcnt -1", lwip_writev(u, NULL, -1));
    CALL("readv iovcnt 0", lwip_readv(u, NULL, 0));
    struct iovec zero = { buf, 0 };
    CALL("readv zero-length iov", lwip_readv(u, &zero, 1));
    struct msghdr m;
    memset(&m, 0, sizeof m);
    CALL("sendmsg iov NULL", lwip_sendmsg(u, &m, 0));
    CALL("sendmsg NULL", lwip_sendmsg(u, NULL, 0));
    CALL("recvmsg iovlen 0", lwip_recvmsg(u, &m, 0));
    errno = 0;
    long r = lwip_recvmsg(u, NULL, 0);
    printf("recvmsg NULL: %ld (errno untouched: %d)\n", r, errno == 0);

    printf("== poll\n");
    struct pollfd pf[2] = { { .fd = u, .events = POLLOUT }, { .fd = 999, .events = POLLIN } };
    CALL("poll fds NULL nfds 1", lwip_poll(NULL, 1, 0));
    CALL("poll fds nfds 0", lwip_poll(pf, 0, 0));
    errno = 0;
    r = lwip_poll(pf, 2, 0);
    printf("poll with a bad fd: %ld revents %#x %#x (errno untouched: %d)\n", r, pf[0].revents, pf[1].revents, errno == 0);
    pf[1].fd = -5;
    CALL("poll negative fd ignored", lwip_poll(pf, 2, 0));
    printf("  revents %#x %#x\n", pf[0].revents, pf[1].revents);
    CALL("poll NULL 0 with timeout", lwip_poll(NULL, 0, 50));

    printf("== text\n");
    unsigned char addr[16];
    CALL("inet_pton AF_INET '1.2.3.4 junk'", lwip_inet_pton(AF_INET, "1.2.3.4 junk", addr));
    CALL("inet_pton AF_INET '1.2.3'", lwip_inet_pton(AF_INET, "1.2.3", addr));
    CALL("inet_pton AF_INET '256.1.1.1'", lwip_inet_pton(AF_INET, "256.1.1.1", addr));
    CALL("inet_pton AF_INET6 'fe80::1%3'", lwip_inet_pton(AF_INET6, "fe80::1%3", addr));
    CALL("inet_pton AF_INET6 '1.2.3.4'", lwip_inet_pton(AF_INET6, "1.2.3.4", addr));
    CALL("inet_pton 12345", lwip_inet_pton(12345, "1.2.3.4", addr));
    lwip_inet_pton(AF_INET6, "::ffff:10.0.0.1", addr);
    char text[64];
    printf("inet_ntop v4-mapped: %s\n", lwip_inet_ntop(AF_INET6, addr, text, sizeof text));
    lwip_inet_pton(AF_INET, "10.0.0.1", addr);
    CALL("inet_ntop size 8", (long)(lwip_inet_ntop(AF_INET, addr, text, 8) ? 0 : -1));
    CALL("inet_ntop size 9", (long)(lwip_inet_ntop(AF_INET, addr, text, 9) ? 0 : -1));
    CALL("inet_ntop af 12345", (long)(lwip_inet_ntop(12345, addr, text, sizeof text) ? 0 : -1));
    CALL("if_nametoindex", (long)lwip_if_nametoindex("tp0"));
    CALL("if_indextoname 200", (long)(lwip_if_indextoname(200, text) ? 0 : -1));

    lwip_close(t);
    lwip_close(u);
    lwip_close(t6);
    return 0;
}
