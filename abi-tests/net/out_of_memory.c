/*
 * Out of memory, on smolwip alone: when the heap cannot give a connection's or a datagram
 * socket's buffers, the call that needs them fails as lwIP's calls fail for want of memory,
 * and everything works again once memory is back. Never a crash.
 *
 * The program replaces the C heap's entry points (malloc, calloc, realloc, aligned_alloc,
 * posix_memalign) with glibc's own behind a switch: while `starved` is set, any request of
 * STARVE_FROM bytes or more fails. smolwip's TCP socket buffers (TCP_WND and TCP_SND_BUF,
 * 64 KiB each in this profile) and a UDP socket's receive space (16 KiB on a host) are such
 * requests; the stack's own small bookkeeping is not, so this tests the allocations that
 * run out first on a small device. Real lwIP allocates nothing that large (its pcbs are a
 * few hundred bytes), so there is no reference run.
 *
 * Checks, in a namespace with tap0 = PREFIX.1/24 and the stack at PREFIX.2:
 *   - connect() without memory: -1 with ENOMEM (lwIP's ERR_MEM); the same socket then
 *     connects to the kernel once memory is back, and data flows;
 *   - a listener gets a SYN it has no memory for: the SYN is dropped (no reset), accept()
 *     returns -1 with ECONNABORTED, as lwIP's accept_function reports a failed tcp_alloc;
 *     the kernel sends its SYN again and, with memory back, accept() gives the connection;
 *   - bind() of a UDP socket without memory: -1 with ENOMEM, the socket stays unbound;
 *     with memory back it binds and receives a datagram from the kernel.
 * Usage: out_of_memory PREFIX
 */
#include "../diff/lib/diffstack.h"
#include "check.h"
#include <malloc.h>
#include <poll.h>

/* glibc's allocator under its internal names. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

#define STARVE_FROM 16384
static volatile int starved;
static volatile int refused;

/* From now on, refuse large requests (and count them), or stop refusing. */
static void starve(int on)
{
    if (on)
        refused = 0;
    starved = on;
}

static int refuse(size_t n)
{
    if (starved && n >= STARVE_FROM) {
        refused++;
        return 1;
    }
    return 0;
}

void *malloc(size_t n) { return refuse(n) ? NULL : __libc_malloc(n); }
void *calloc(size_t a, size_t b) { return refuse(a * b) ? NULL : __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { return refuse(n) ? NULL : __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *aligned_alloc(size_t al, size_t n) { return refuse(n) ? NULL : __libc_memalign(al, n); }
void *memalign(size_t al, size_t n) { return refuse(n) ? NULL : __libc_memalign(al, n); }
int posix_memalign(void **out, size_t al, size_t n)
{
    if (refuse(n))
        return ENOMEM;
    *out = __libc_memalign(al, n);
    return *out ? 0 : ENOMEM;
}


static void connect_without_memory(void)
{
    FILE *p = peer_start("listen 9301 recv send:pong close");
    peer_line(p); /* ready */
    int s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4(1, 9301);
    starve(1);
    errno = 0;
    int r = lwip_connect(s, (struct sockaddr *)&a, sizeof a);
    int e = errno;
    starve(0);
    CHECK(r == -1 && e == ENOMEM, "connect without memory: %d %s (want -1 ENOMEM)", r, errname(e));
    CHECK(refused > 0, "the socket buffers were asked for and refused (%d requests)", refused);
    r = lwip_connect(s, (struct sockaddr *)&a, sizeof a);
    CHECK(r == 0, "the same socket connects once memory is back: %d %s", r, r ? errname(errno) : "");
    char buf[8] = { 0 };
    long n = -1;
    if (r == 0 && lwip_send(s, "ping", 4, 0) == 4)
        n = lwip_recv(s, buf, sizeof buf - 1, 0);
    CHECK(n == 4 && memcmp(buf, "pong", 4) == 0, "and data flows: %ld \"%s\"", n, buf);
    lwip_close(s);
    peer_wait(p);
}

static void accept_without_memory(void)
{
    int l = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4(-1, 9302);
    lwip_bind(l, (struct sockaddr *)&a, sizeof a);
    lwip_listen(l, 4);
    FILE *sniff = peer_start("sniff 3 tcp-rst");
    char line[128];
    if (fgets(line, sizeof line, sniff) == NULL) /* ready */
        line[0] = 0;
    starve(1);
    FILE *p = peer_start("connect %s 9302 send:hello recv close", host(2));
    /* A blocking accept returns once the SYN has been dropped for want of memory. */
    errno = 0;
    int c = lwip_accept(l, NULL, NULL);
    int e = errno;
    int refused_then = refused;
    starve(0);
    CHECK(c == -1 && e == ECONNABORTED, "accept after a SYN with no memory for it: %d %s (want -1 ECONNABORTED)", c,
          errname(e));
    CHECK(refused_then > 0, "the connection's buffers were asked for and refused (%d requests)", refused_then);
    /* The kernel sends its SYN again a second later: now there is memory. */
    c = lwip_accept(l, NULL, NULL);
    CHECK(c >= 0, "with memory back, the retried SYN is accepted: %d", c);
    char buf[8] = { 0 };
    long n = c >= 0 ? lwip_recv(c, buf, 5, 0) : -1;
    CHECK(n == 5 && memcmp(buf, "hello", 5) == 0, "and its data arrives: %ld \"%s\"", n, buf);
    if (c >= 0) {
        lwip_send(c, "bye", 3, 0);
        lwip_close(c);
    }
    peer_wait(p);
    line[0] = 0;
    if (fgets(line, sizeof line, sniff) == NULL)
        line[0] = 0;
    line[strcspn(line, "\n")] = 0;
    pclose(sniff);
    CHECK(strstr(line, "frames 0") != NULL, "the dropped SYN was not answered with a reset: %.40s", line);
    lwip_close(l);
}

static void udp_bind_without_memory(void)
{
    int u = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = sin4(-1, 9303);
    starve(1);
    errno = 0;
    int r = lwip_bind(u, (struct sockaddr *)&a, sizeof a);
    int e = errno;
    starve(0);
    CHECK(r == -1 && e == ENOMEM, "UDP bind without memory: %d %s (want -1 ENOMEM)", r, errname(e));
    struct sockaddr_in got;
    socklen_t len = sizeof got;
    memset(&got, 0, sizeof got);
    lwip_getsockname(u, (struct sockaddr *)&got, &len);
    CHECK(got.sin_port == 0, "and the socket stays unbound (port %u)", lwip_ntohs(got.sin_port));
    r = lwip_bind(u, (struct sockaddr *)&a, sizeof a);
    CHECK(r == 0, "with memory back it binds: %d", r);
    struct timeval tv = { 5, 0 };
    lwip_setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    FILE *p = peer_start("udp-send %s 9303 datagram", host(2));
    char buf[16] = { 0 };
    long n = lwip_recv(u, buf, sizeof buf - 1, 0);
    CHECK(n == 8 && memcmp(buf, "datagram", 8) == 0, "and receives from the kernel: %ld \"%s\"", n, buf);
    peer_wait(p);
    lwip_close(u);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: out_of_memory PREFIX\n");
        return 2;
    }
    stack_up(argv[1]);
    connect_without_memory();
    accept_without_memory();
    udp_bind_without_memory();
    printf("%s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
