/*
 * Socket behaviour the reference lwIP cannot be run for, checked on smolwip alone:
 *   - loopback (127.0.0.1, ::1) TCP and UDP: Debian's lwIP has no loopback netif;
 *   - close() of a socket another thread is blocked on (recv, accept, poll): lwIP 2.1.3
 *     frees memory under that thread; smolwip wakes it with an error;
 *   - the same for netconns (netconn_shutdown, netconn_close, netconn_prepare_delete,
 *     netconn_delete): the blocked netconn_recv / netconn_accept returns ERR_CONN and a
 *     blocked netconn_write / netconn_connect ERR_CLSD, as lwIP does only with
 *     LWIP_NETCONN_FULLDUPLEX (Debian's build has it off and frees the mailbox under the
 *     waiting thread); data written before a close still arrives;
 *   - NULL pointers where lwIP dereferences them;
 *   - the listen backlog: SYNs beyond it are dropped, never reset, and the clients get in
 *     later (lwIP 2.1.3 in this profile has no backlog at all);
 *   - select() and the netdb functions, which Debian's build leaves out;
 *   - send/recv timeouts that really wait;
 *   - the select hooks a VFS layer uses (smolwip_select_token / smolwip_select_stop, what
 *     ESP-IDF's get_socket_select_semaphore / stop_socket_select need).
 * Each check prints "ok" or "FAIL"; the exit status counts failures.
 * Usage (in a namespace with tap0 = PREFIX.1/24): sock_extras PREFIX
 */
#include "../diff/lib/diffstack.h"
#include "check.h"
#include "lwip/api.h"
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <sys/select.h>
#include <time.h>

int lwip_select(int maxfdp1, fd_set *readset, fd_set *writeset, fd_set *exceptset, struct timeval *timeout);
int lwip_getaddrinfo(const char *nodename, const char *servname, const struct addrinfo *hints, struct addrinfo **res);
void lwip_freeaddrinfo(struct addrinfo *ai);
struct hostent *lwip_gethostbyname(const char *name);
void *smolwip_select_token(void);
void smolwip_select_stop(void *token);


static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void loopback_tcp(int family)
{
    int l = lwip_socket(family, SOCK_STREAM, 0);
    struct sockaddr_storage ss;
    socklen_t len;
    memset(&ss, 0, sizeof ss);
    if (family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = lwip_htonl(0x7f000001);
        len = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr.s6_addr[15] = 1;
        len = sizeof *a;
    }
    CHECK(lwip_bind(l, (struct sockaddr *)&ss, len) == 0 && lwip_listen(l, 2) == 0, "loopback %s listen",
          family == AF_INET ? "127.0.0.1" : "::1");
    socklen_t bl = sizeof ss;
    lwip_getsockname(l, (struct sockaddr *)&ss, &bl);
    int c = lwip_socket(family, SOCK_STREAM, 0);
    CHECK(lwip_connect(c, (struct sockaddr *)&ss, len) == 0, "loopback connect (ephemeral listener port)");
    int a = lwip_accept(l, NULL, NULL);
    static char big[300000], got[300000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 7);
    size_t sent = 0, recvd = 0;
    int nb = 1;
    lwip_ioctl(c, FIONBIO, &nb);
    while (recvd < sizeof big) {
        if (sent < sizeof big) {
            long n = lwip_send(c, big + sent, sizeof big - sent, 0);
            if (n > 0)
                sent += (size_t)n;
        }
        long n = lwip_recv(a, got + recvd, sizeof got - recvd, MSG_DONTWAIT);
        if (n > 0)
            recvd += (size_t)n;
        else if (n == 0)
            break;
        else
            usleep(1000);
    }
    CHECK(recvd == sizeof big && memcmp(big, got, sizeof big) == 0, "loopback TCP carries %zu bytes intact", recvd);
    lwip_close(c);
    char b;
    CHECK(lwip_recv(a, &b, 1, 0) == 0, "loopback: close is seen as end of stream");
    lwip_close(a);
    lwip_close(l);
}

/* To the stack's own (non-loopback) address: stays inside, as with lwIP's netif loopback. */
static void own_address(void)
{
    int l = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4(-1, 9140);
    lwip_bind(l, (struct sockaddr *)&a, sizeof a);
    lwip_listen(l, 1);
    int c = lwip_socket(AF_INET, SOCK_STREAM, 0);
    a = sin4(2, 9140);
    CHECK(lwip_connect(c, (struct sockaddr *)&a, sizeof a) == 0, "connect to our own address %s", host(2));
    int s = lwip_accept(l, NULL, NULL);
    char b[8] = { 0 };
    CHECK(lwip_send(c, "self", 4, 0) == 4 && lwip_recv(s, b, sizeof b, 0) == 4 && strcmp(b, "self") == 0,
          "data to our own address arrives");
    struct sockaddr_in n;
    socklen_t nl = sizeof n;
    lwip_getsockname(c, (struct sockaddr *)&n, &nl);
    CHECK(n.sin_addr.s_addr == a.sin_addr.s_addr, "the connection's local address is that address too");
    lwip_close(c);
    lwip_close(s);
    lwip_close(l);
}

/* A burst to a neighbour whose link address is not known yet waits in the socket while ARP
 * runs, and all of it goes out: ARP_QUEUE_LEN full-size datagrams, what lwIP queues in its
 * ARP table (ARP_QUEUEING). */
static void burst_to_new_neighbour(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "ip addr add %s/24 dev tap0", host(3));
    CHECK(system(cmd) == 0, "the kernel side takes a second address, %s", host(3));
    FILE *p = peer_start("udp-recv 9150 %d", ARP_QUEUE_LEN);
    char line[256];
    if (fgets(line, sizeof line, p) == NULL) /* ready */
        line[0] = 0;
    int s = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = sin4(3, 9150);
    char buf[1400];
    memset(buf, 'b', sizeof buf);
    int sent = 0, arrived = 0;
    for (int i = 0; i < ARP_QUEUE_LEN; i++)
        sent += lwip_sendto(s, buf, sizeof buf, 0, (struct sockaddr *)&to, sizeof to) == (long)sizeof buf;
    while (fgets(line, sizeof line, p) != NULL)
        arrived += strncmp(line, "datagram 1400 ", 14) == 0;
    pclose(p);
    CHECK(sent == ARP_QUEUE_LEN && arrived == ARP_QUEUE_LEN, "%d datagrams of 1400 bytes to a new neighbour: %d sent, %d arrived",
          ARP_QUEUE_LEN, sent, arrived);
    lwip_close(s);
}

static void loopback_udp(void)
{
    int s = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = lwip_htons(9101);
    a.sin_addr.s_addr = lwip_htonl(0x7f000001);
    lwip_bind(s, (struct sockaddr *)&a, sizeof a);
    int t = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(lwip_sendto(t, "loop", 4, 0, (struct sockaddr *)&a, sizeof a) == 4, "loopback UDP sendto");
    struct timeval tv = { 2, 0 };
    lwip_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[16] = { 0 };
    CHECK(lwip_recv(s, buf, sizeof buf, 0) == 4 && memcmp(buf, "loop", 4) == 0, "loopback UDP datagram received");
    lwip_close(s);
    lwip_close(t);

    /* Bound to any: smolwip makes the socket's loopback part when the first loopback
     * datagram for it arrives. A burst of 20 all arrives, in order, and the answer goes
     * back to the sender. */
    int u = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    a.sin_addr.s_addr = 0;
    a.sin_port = lwip_htons(9102);
    lwip_bind(u, (struct sockaddr *)&a, sizeof a);
    t = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    a.sin_addr.s_addr = lwip_htonl(0x7f000001);
    int sent = 0;
    for (int i = 0; i < 20; i++) {
        char msg[8];
        int len = snprintf(msg, sizeof msg, "%d", i);
        sent += lwip_sendto(t, msg, (size_t)len, 0, (struct sockaddr *)&a, sizeof a) == len;
    }
    usleep(200 * 1000);
    int got = 0, in_order = 1;
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    long n;
    while ((n = lwip_recvfrom(u, buf, sizeof buf - 1, MSG_DONTWAIT, (struct sockaddr *)&from, &fl)) > 0) {
        buf[n] = 0;
        in_order &= atoi(buf) == got;
        got++;
    }
    CHECK(sent == 20 && got == 20 && in_order, "a socket bound to any gets a loopback burst: %d sent, %d in order of %d", sent, got,
          in_order ? got : -1);
    lwip_setsockopt(t, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    memset(buf, 0, sizeof buf);
    CHECK(lwip_sendto(u, "back", 4, 0, (struct sockaddr *)&from, fl) == 4 && lwip_recv(t, buf, sizeof buf, 0) == 4 &&
              memcmp(buf, "back", 4) == 0,
          "and its answer reaches the sender");
    lwip_close(u);
    lwip_close(t);

    int u6 = lwip_socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a6;
    memset(&a6, 0, sizeof a6);
    a6.sin6_family = AF_INET6;
    a6.sin6_port = lwip_htons(9103);
    lwip_bind(u6, (struct sockaddr *)&a6, sizeof a6);
    int t6 = lwip_socket(AF_INET6, SOCK_DGRAM, 0);
    a6.sin6_addr.s6_addr[15] = 1;
    lwip_setsockopt(u6, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    memset(buf, 0, sizeof buf);
    CHECK(lwip_sendto(t6, "loop6", 5, 0, (struct sockaddr *)&a6, sizeof a6) == 5 && lwip_recv(u6, buf, sizeof buf, 0) == 5 &&
              memcmp(buf, "loop6", 5) == 0,
          "an IPv6 socket bound to any gets a datagram to ::1");
    lwip_close(u6);
    lwip_close(t6);
}

struct blocked {
    int fd;
    int what; /* 0 recv, 1 accept, 2 poll */
    long result;
    int err;
    double took;
};

static void *block(void *arg)
{
    struct blocked *b = arg;
    char buf[8];
    double t0 = now();
    if (b->what == 0) {
        b->result = lwip_recv(b->fd, buf, sizeof buf, 0);
    } else if (b->what == 1) {
        b->result = lwip_accept(b->fd, NULL, NULL);
    } else {
        struct pollfd pf = { .fd = b->fd, .events = POLLIN };
        b->result = lwip_poll(&pf, 1, 10000);
    }
    b->err = errno;
    b->took = now() - t0;
    return NULL;
}

static void close_under(const char *what, int kind)
{
    int s;
    if (kind == 1) {
        s = lwip_socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = sin4(-1, 9102 + kind);
        lwip_bind(s, (struct sockaddr *)&a, sizeof a);
        lwip_listen(s, 1);
    } else {
        s = lwip_socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in a = sin4(-1, 9110 + kind);
        lwip_bind(s, (struct sockaddr *)&a, sizeof a);
    }
    struct blocked b = { .fd = s, .what = kind };
    pthread_t th;
    pthread_create(&th, NULL, block, &b);
    usleep(200 * 1000);
    CHECK(lwip_close(s) == 0, "close while another thread is in %s", what);
    pthread_join(th, NULL);
    CHECK(b.result == -1 && b.took < 5, "the blocked %s returned %ld (%s) after %.2f s", what, b.result, errname(b.err),
          b.took);
}

struct nc_blocked {
    struct netconn *conn;
    int what; /* 0 recv, 1 accept, 2 a write larger than any buffer, 3 connect */
    err_t result;
    double took;
    err_t want;
};

static void *nc_block(void *arg)
{
    struct nc_blocked *b = arg;
    double t0 = now();
    if (b->what == 1) {
        struct netconn *nc = NULL;
        b->result = netconn_accept(b->conn, &nc);
    } else if (b->what == 2) {
        static char big[4 << 20];
        b->result = netconn_write(b->conn, big, sizeof big, NETCONN_COPY);
    } else if (b->what == 3) {
        ip_addr_t nobody;
        ipaddr_aton(host(99), &nobody);
        b->result = netconn_connect(b->conn, &nobody, 9);
    } else {
        struct netbuf *nb = NULL;
        b->result = netconn_recv(b->conn, &nb);
        if (nb)
            netbuf_delete(nb);
    }
    b->took = now() - t0;
    return NULL;
}

/* Thread A blocks in netconn_recv/accept/write/connect on `c`; this thread then runs `op`
 * on it. The waiter gets ERR_CONN from a receive and ERR_CLSD from a write or connect (lwIP
 * with LWIP_NETCONN_FULLDUPLEX aborts those). */
static void nc_wake(struct netconn *c, int kind, const char *what, const char *op_name, err_t (*op)(struct netconn *))
{
    struct nc_blocked b = { .conn = c, .what = kind, .want = kind >= 2 ? ERR_CLSD : ERR_CONN };
    pthread_t th;
    pthread_create(&th, NULL, nc_block, &b);
    usleep(200 * 1000);
    err_t e = op(c);
    pthread_join(th, NULL);
    CHECK(e == ERR_OK, "%s while another thread is in %s", op_name, what);
    /* The operation came 0.2 s after the wait began: the waiter must wake then, not later. */
    CHECK(b.result == b.want && b.took < 1.5, "the blocked %s returned %d (expected %d) after %.2f s", what, b.result,
          b.want, b.took);
}

static err_t nc_shut_rd(struct netconn *c)
{
    return netconn_shutdown(c, 1, 0);
}

/* A netconn connected to a kernel peer that reads until EOF and prints what it got. */
static struct netconn *nc_connected(int port, FILE **peer)
{
    *peer = peer_start("listen %d recvall", port);
    char line[128];
    if (!fgets(line, sizeof line, *peer))
        line[0] = 0;
    struct netconn *c = netconn_new(NETCONN_TCP);
    ip_addr_t gw;
    ipaddr_aton(host(1), &gw);
    CHECK(netconn_connect(c, &gw, (u16_t)port) == ERR_OK, "netconn connect to the kernel (port %d)", port);
    return c;
}

static err_t nc_write_and_close(struct netconn *c)
{
    /* Full duplex: writing while another thread waits in recv. */
    err_t e = netconn_write(c, "bye", 3, NETCONN_COPY);
    return e != ERR_OK ? e : netconn_close(c);
}

static void netconn_under(void)
{
    FILE *p;
    char line[128];
    struct netconn *c = nc_connected(9120, &p);
    nc_wake(c, 0, "netconn_recv", "netconn_shutdown(RD)", nc_shut_rd);
    CHECK(netconn_delete(c) == ERR_OK, "netconn_delete after shutdown");
    pclose(p);

    c = nc_connected(9124, &p);
    nc_wake(c, 0, "netconn_recv", "netconn_write + netconn_close", nc_write_and_close);
    CHECK(fgets(line, sizeof line, p) && strcmp(line, "got 'bye'\n") == 0, "the peer got the data and the FIN: %s", line);
    pclose(p);
    CHECK(netconn_delete(c) == ERR_OK, "netconn_delete after close");

    /* A write blocked on a peer that does not read, then a close; a blocked connect, then
     * a delete. */
    FILE *q = peer_start("listen 9126 sleep:4");
    if (!fgets(line, sizeof line, q))
        line[0] = 0;
    c = netconn_new(NETCONN_TCP);
    ip_addr_t gw;
    ipaddr_aton(host(1), &gw);
    CHECK(netconn_connect(c, &gw, 9126) == ERR_OK, "netconn connect to the kernel (port 9126)");
    nc_wake(c, 2, "netconn_write", "netconn_close", netconn_close);
    CHECK(netconn_delete(c) == ERR_OK, "netconn_delete after the aborted write");
    pclose(q);
    c = netconn_new(NETCONN_TCP);
    nc_wake(c, 3, "netconn_connect", "netconn_delete", netconn_delete);

    /* A listener: prepare_delete wakes accept; then delete. */
    struct netconn *l = netconn_new(NETCONN_TCP);
    netconn_bind(l, NULL, 9121);
    netconn_listen(l);
    nc_wake(l, 1, "netconn_accept", "netconn_prepare_delete", netconn_prepare_delete);
    CHECK(netconn_delete(l) == ERR_OK, "netconn_delete after prepare_delete");

    /* Deleting outright while another thread waits: the waiter gets ERR_CONN, nothing it
     * still touches is freed under it. */
    l = netconn_new(NETCONN_TCP);
    netconn_bind(l, NULL, 9122);
    netconn_listen(l);
    nc_wake(l, 1, "netconn_accept", "netconn_delete", netconn_delete);
    struct netconn *u = netconn_new(NETCONN_UDP);
    netconn_bind(u, NULL, 9123);
    nc_wake(u, 0, "netconn_recv (UDP)", "netconn_delete", netconn_delete);
}

/* shutdown(SHUT_RD) of a connected socket another thread is in recv on: that recv gives
 * -1/ENOTCONN at once (lwIP's ERR_CONN from the shut receive side). */
static void shutdown_under(void)
{
    FILE *p = peer_start("listen 9125 recvall");
    char line[128];
    if (!fgets(line, sizeof line, p))
        line[0] = 0;
    int s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4(1, 9125);
    CHECK(lwip_connect(s, (struct sockaddr *)&a, sizeof a) == 0, "connect to the kernel (port 9125)");
    struct blocked b = { .fd = s, .what = 0 };
    pthread_t th;
    pthread_create(&th, NULL, block, &b);
    usleep(200 * 1000);
    CHECK(lwip_shutdown(s, SHUT_RD) == 0, "shutdown(SHUT_RD) while another thread is in recv");
    pthread_join(th, NULL);
    CHECK(b.result == -1 && b.err == ENOTCONN && b.took < 1.5, "the blocked recv returned %ld (%s) after %.2f s",
          b.result, errname(b.err), b.took);
    lwip_close(s);
    pclose(p);
}

static void null_pointers(void)
{
    int t = lwip_socket(AF_INET, SOCK_STREAM, 0);
    int u = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    socklen_t l = 16;
    errno = 0;
    CHECK(lwip_bind(t, NULL, 16) == -1 && errno == EFAULT, "bind(NULL) gives EFAULT (lwIP crashes)");
    errno = 0;
    CHECK(lwip_connect(t, NULL, 16) == -1 && errno == EFAULT, "connect(NULL) gives EFAULT");
    errno = 0;
    CHECK(lwip_getsockname(t, NULL, &l) == -1 && errno == EFAULT, "getsockname(NULL) gives EFAULT");
    errno = 0;
    CHECK(lwip_getpeername(t, (struct sockaddr *)&l, NULL) == -1 && errno == EFAULT, "getpeername(len NULL) gives EFAULT");
    errno = 0;
    CHECK(lwip_send(u, NULL, 1, 0) == -1 && errno == EFAULT, "UDP send(NULL, 1) gives EFAULT (lwIP crashes)");
    errno = 0;
    CHECK(lwip_recv(u, NULL, 4, MSG_DONTWAIT) == -1 && errno == EFAULT, "recv(NULL, 4) gives EFAULT");
    CHECK(lwip_inet_pton(AF_INET, NULL, &l) == 0, "inet_pton(NULL) gives 0");
    errno = 0;
    CHECK(lwip_inet_ntop(AF_INET, NULL, (char *)&l, 16) == NULL && errno == EFAULT, "inet_ntop(NULL) gives EFAULT");
    CHECK(lwip_accept(t, NULL, NULL) == -1, "accept on an unlistened socket fails");
    lwip_close(t);
    lwip_close(u);
}

static void backlog_overflow(void)
{
    int l = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4(-1, 9120);
    lwip_bind(l, (struct sockaddr *)&a, sizeof a);
    lwip_listen(l, 2);
    FILE *sniff = peer_start("sniff 5 tcp-rst");
    char line[128];
    fgets(line, sizeof line, sniff);
    FILE *p = peer_start("connect-many %s 9120 6", host(2));
    /* accept slowly: at most two wait at any time, the other SYNs are dropped and retried */
    sleep(1);
    int served = 0;
    for (int i = 0; i < 6; i++) {
        int c = lwip_accept(l, NULL, NULL);
        char buf[8];
        long n = lwip_recv(c, buf, sizeof buf, 0);
        if (n > 0 && lwip_send(c, buf, (size_t)n, 0) == n)
            served++;
        lwip_close(c);
    }
    CHECK(served == 6, "backlog 2, 6 clients at once: all 6 served");
    line[0] = 0;
    fgets(line, sizeof line, p);
    line[strcspn(line, "\n")] = 0;
    CHECK(strstr(line, "answers 6 of 6 all-echoed") != NULL, "every client got its answer: %.60s", line);
    pclose(p);
    line[0] = 0;
    fgets(line, sizeof line, sniff);
    line[strcspn(line, "\n")] = 0;
    pclose(sniff);
    CHECK(strstr(line, "frames 0") != NULL, "no RST while clients waited beyond the backlog: %.40s", line);
    lwip_close(l);
}

static void select_and_timeouts(void)
{
    int u = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = sin4(-1, 9130);
    lwip_bind(u, (struct sockaddr *)&a, sizeof a);
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(u, &r);
    FD_SET(u, &w);
    struct timeval tv = { 0, 0 };
    CHECK(lwip_select(u + 1, &r, &w, NULL, &tv) == 1 && !FD_ISSET(u, &r) && FD_ISSET(u, &w),
          "select: UDP socket writable, not readable, zero timeout returns at once");
    FD_ZERO(&r);
    FD_SET(u, &r);
    tv.tv_sec = 0;
    tv.tv_usec = 300 * 1000;
    double t0 = now();
    int n = lwip_select(u + 1, &r, NULL, NULL, &tv);
    double took = now() - t0;
    CHECK(n == 0 && took > 0.25 && took < 1.5, "select times out after %.2f s", took);
    FILE *p = peer_start("udp-send %s 9130 wake", host(2));
    FD_ZERO(&r);
    FD_SET(u, &r);
    tv.tv_sec = 5;
    t0 = now();
    n = lwip_select(u + 1, &r, NULL, NULL, &tv);
    took = now() - t0;
    pclose(p);
    CHECK(n == 1 && FD_ISSET(u, &r) && took < 3, "select wakes on a datagram (%.2f s)", took);
    FD_ZERO(&r);
    FD_SET(999, &r);
    errno = 0;
    CHECK(lwip_select(1000, &r, NULL, NULL, &tv) == -1 && errno == EBADF, "select on a non-socket fd gives EBADF");
    CHECK(lwip_select(-1, NULL, NULL, NULL, &tv) == -1 && errno == EINVAL, "select with nfds -1 gives EINVAL");
    lwip_close(u);

    /* SO_SNDTIMEO waits (lwIP 2.1.3 returns at once): fill a connection whose peer does not read */
    p = peer_start("listen 9131 sleep:4 close");
    fgets((char[64]){ 0 }, 64, p);
    int t = lwip_socket(AF_INET, SOCK_STREAM, 0);
    a = sin4(1, 9131);
    lwip_connect(t, (struct sockaddr *)&a, sizeof a);
    static char big[1 << 20];
    struct timeval st = { 0, 400 * 1000 };
    lwip_setsockopt(t, SOL_SOCKET, SO_SNDTIMEO, &st, sizeof st);
    long total = 0, r2;
    t0 = now();
    while ((r2 = lwip_send(t, big, sizeof big, 0)) > 0 && now() - t0 < 5)
        total += r2;
    took = now() - t0;
    CHECK(r2 == -1 && (errno == EAGAIN || errno == EWOULDBLOCK) && took >= 0.35 && took < 3,
          "SO_SNDTIMEO: EAGAIN after waiting %.2f s (%ld bytes queued first)", took, total);
    lwip_close(t);
    pclose(p);
}

static void *stop_later(void *token)
{
    usleep(200 * 1000);
    smolwip_select_stop(token);
    return NULL;
}

/* One select over sockets and other files (ESP-IDF's VFS): another driver ends the socket
 * select early through the thread's token. */
static void select_stop(void)
{
    int u = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = sin4(-1, 9132);
    lwip_bind(u, (struct sockaddr *)&a, sizeof a);
    void *token = smolwip_select_token();
    CHECK(token != NULL && smolwip_select_token() == token, "select token: one per thread");
    fd_set r;
    FD_ZERO(&r);
    FD_SET(u, &r);
    struct timeval tv = { 5, 0 };
    pthread_t th;
    pthread_create(&th, NULL, stop_later, token);
    double t0 = now();
    int n = lwip_select(u + 1, &r, NULL, NULL, &tv);
    double took = now() - t0;
    pthread_join(th, NULL);
    CHECK(n == 0 && !FD_ISSET(u, &r) && took > 0.15 && took < 1.5,
          "select stopped from another thread returns 0 after %.2f s", took);

    smolwip_select_stop(token);
    FD_ZERO(&r);
    FD_SET(u, &r);
    tv = (struct timeval){ 5, 0 };
    t0 = now();
    n = lwip_select(u + 1, &r, NULL, NULL, &tv);
    took = now() - t0;
    CHECK(n == 0 && took < 0.1, "a stop before the select ends it at once (%.3f s)", took);
    FD_ZERO(&r);
    FD_SET(u, &r);
    tv = (struct timeval){ 0, 300 * 1000 };
    t0 = now();
    n = lwip_select(u + 1, &r, NULL, NULL, &tv);
    took = now() - t0;
    CHECK(n == 0 && took > 0.25, "the stop is used up: the next select waits its %.2f s", took);

    FILE *p = peer_start("udp-send %s 9132 data", host(2));
    pclose(p);
    usleep(100 * 1000);
    smolwip_select_stop(token);
    smolwip_select_stop(NULL);
    FD_ZERO(&r);
    FD_SET(u, &r);
    tv = (struct timeval){ 5, 0 };
    n = lwip_select(u + 1, &r, NULL, NULL, &tv);
    CHECK(n == 1 && FD_ISSET(u, &r), "a ready socket is reported despite a pending stop");
    lwip_close(u);
}

static void netdb(void)
{
    struct addrinfo *res = NULL, hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    int r = lwip_getaddrinfo("10.1.2.3", "80", &hints, &res);
    CHECK(r == 0 && res && res->ai_family == AF_INET &&
              ((struct sockaddr_in *)res->ai_addr)->sin_port == lwip_htons(80) && res->ai_socktype == SOCK_STREAM,
          "getaddrinfo numeric IPv4 + service");
    lwip_freeaddrinfo(res);
    res = NULL;
    r = lwip_getaddrinfo("localhost", NULL, NULL, &res);
    CHECK(r == 0 && res && ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr == lwip_htonl(0x7f000001),
          "getaddrinfo localhost");
    lwip_freeaddrinfo(res);
    hints.ai_family = AF_INET6;
    res = NULL;
    r = lwip_getaddrinfo("fe80::1", "x", &hints, &res);
    CHECK(r != 0 && res == NULL, "getaddrinfo bad service fails (%d)", r);
    hints.ai_family = 12345;
    CHECK(lwip_getaddrinfo("1.2.3.4", NULL, &hints, &res) != 0, "getaddrinfo bad family fails");
    CHECK(lwip_getaddrinfo(NULL, NULL, NULL, &res) != 0, "getaddrinfo with neither name fails");
    CHECK(lwip_getaddrinfo("1.2.3.4", NULL, NULL, NULL) != 0, "getaddrinfo with NULL res fails");
    struct hostent *h = lwip_gethostbyname("192.0.2.7");
    CHECK(h && h->h_addrtype == AF_INET && h->h_addr_list[0] && (unsigned char)h->h_addr_list[0][3] == 7,
          "gethostbyname numeric");
    CHECK(lwip_gethostbyname("no-such-name.invalid") == NULL, "gethostbyname of an unknown name fails");
}

/* netif_remove while sockets use it: connections through it are aborted (lwIP aborts
 * the pcbs of the removed netif's addresses), nothing crashes, everything can be closed. */
static void remove_netif_under_sockets(void)
{
    FILE *p = peer_start("listen 9150 sleep:3 close");
    char line[64];
    fgets(line, sizeof line, p);
    int t = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4(1, 9150);
    CHECK(lwip_connect(t, (struct sockaddr *)&a, sizeof a) == 0, "TCP connection before netif_remove");
    int u = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in b = sin4(-1, 9151);
    lwip_bind(u, (struct sockaddr *)&b, sizeof b);
    /* Another thread waits in recv on the TCP socket: the removal ends its connection. */
    struct blocked w = { .fd = t, .what = 0 };
    pthread_t th;
    pthread_create(&th, NULL, block, &w);
    usleep(200 * 1000);
    LOCK_TCPIP_CORE();
    netif_remove(&test_netif);
    UNLOCK_TCPIP_CORE();
    pthread_join(th, NULL);
    CHECK(w.result == -1 && w.err == ECONNABORTED && w.took < 1.5,
          "the recv blocked on it returned %ld (%s) after %.2f s", w.result, errname(w.err), w.took);
    usleep(100 * 1000);
    errno = 0;
    long r = lwip_send(t, "x", 1, 0);
    CHECK(r == -1 && errno == ECONNABORTED, "send after netif_remove: ECONNABORTED (%s)", errname(errno));
    struct pollfd pf = { .fd = t, .events = POLLIN | POLLOUT };
    CHECK(lwip_poll(&pf, 1, 0) == 1 && (pf.revents & POLLERR), "poll shows the error (%#x)", pf.revents);
    errno = 0;
    r = lwip_sendto(u, "x", 1, 0, (struct sockaddr *)&a, sizeof a);
    CHECK(r == -1 && errno == EHOSTUNREACH, "UDP sendto without a route: EHOSTUNREACH (%s)", errname(errno));
    CHECK(lwip_close(t) == 0 && lwip_close(u) == 0, "both sockets close");
    pclose(p);
}

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.90.0");
    loopback_tcp(AF_INET);
    loopback_tcp(AF_INET6);
    loopback_udp();
    own_address();
    burst_to_new_neighbour();
    close_under("recv", 0);
    close_under("accept", 1);
    close_under("poll", 2);
    shutdown_under();
    netconn_under();
    null_pointers();
    backlog_overflow();
    select_and_timeouts();
    select_stop();
    netdb();
    remove_netif_under_sockets();
    printf("%d failed\n", failures);
    return failures != 0;
}
