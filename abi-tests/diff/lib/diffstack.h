/*
 * Shared by the differential behaviour tests (the C files of abi-tests/diff): bring the stack up on
 * the TAP device of the test's namespace, run kernel-side peers (abi-tests/lib/peer.py),
 * and print results in a form that is the same for every lwIP-compatible library.
 *
 * The program runs inside the namespace (NAME.sh starts it there), so peers started with
 * peer_start() are the kernel's sockets on the other end of tap0.
 *
 *   stack_up(prefix)     tcpip_init + tapif netif PREFIX.2/24 (gateway PREFIX.1) + IPv6
 *                        link-local; waits until the link-local address is usable
 *   CALL(label, expr)    evaluate, print "label: ret" or "label: -1 ENAME"
 *   peer_start(fmt,...)  start peer.py with these arguments; returns its output stream
 *   peer_line(p)         print the peer's next output line ("  peer: ...")
 *   peer_wait(p)         print the rest of the peer's output and wait for it
 */
#ifndef DIFFSTACK_H
#define DIFFSTACK_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lwip/tcpip.h"
#include "lwip/netif.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#include "netif/tapif.h"

static struct netif test_netif;
static char test_prefix[32];
static sys_sem_t test_init_done;

static void test_on_init(void *arg)
{
    (void)arg;
    sys_sem_signal(&test_init_done);
}

static inline const char *errname(int e)
{
    switch (e) {
#define E(x) case x: return #x;
    E(EPERM) E(ENOENT) E(EINTR) E(EIO) E(ENXIO) E(EBADF) E(EAGAIN) E(ENOMEM) E(EFAULT)
    E(EBUSY) E(EEXIST) E(ENODEV) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOSPC) E(EPIPE) E(ERANGE)
    E(ENOSYS) E(ENOTSOCK) E(EDESTADDRREQ) E(EMSGSIZE) E(EPROTOTYPE) E(ENOPROTOOPT)
    E(EPROTONOSUPPORT) E(EOPNOTSUPP) E(EAFNOSUPPORT) E(EADDRINUSE) E(EADDRNOTAVAIL)
    E(ENETDOWN) E(ENETUNREACH) E(ECONNABORTED) E(ECONNRESET) E(ENOBUFS) E(EISCONN)
    E(ENOTCONN) E(ETIMEDOUT) E(ECONNREFUSED) E(EHOSTUNREACH) E(EALREADY) E(EINPROGRESS)
#undef E
    case 0: return "0";
    case -1: return "errno(-1)";
    default: {
        static char buf[32];
        snprintf(buf, sizeof buf, "errno(%d)", e);
        return buf;
    }
    }
}

#define CALL(label, expr)                                                                \
    do {                                                                                 \
        errno = 0;                                                                       \
        long call_r_ = (long)(expr);                                                     \
        int call_e_ = errno;                                                             \
        if (call_r_ < 0)                                                                 \
            printf("%s: %ld %s\n", (label), call_r_, errname(call_e_));                  \
        else                                                                             \
            printf("%s: %ld\n", (label), call_r_);                                       \
    } while (0)

static void stack_up(const char *prefix)
{
    unsigned a, b, c;
    ip4_addr_t ip, mask, gw;
    setvbuf(stdout, NULL, _IOLBF, 0);
    snprintf(test_prefix, sizeof test_prefix, "%s", prefix);
    if (sscanf(prefix, "%u.%u.%u", &a, &b, &c) != 3) {
        printf("bad prefix %s\n", prefix);
        exit(2);
    }
    sys_sem_new(&test_init_done, 0);
    tcpip_init(test_on_init, NULL);
    sys_arch_sem_wait(&test_init_done, 0);
    IP4_ADDR(&ip, a, b, c, 2);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, a, b, c, 1);
    LOCK_TCPIP_CORE();
    if (netif_add(&test_netif, &ip, &mask, &gw, NULL, tapif_init, tcpip_input) == NULL) {
        UNLOCK_TCPIP_CORE();
        printf("netif_add failed\n");
        exit(1);
    }
    netif_set_default(&test_netif);
    netif_set_up(&test_netif);
    netif_set_flags(&test_netif, NETIF_FLAG_MLD6);
    netif_create_ip6_linklocal_address(&test_netif, 1);
    UNLOCK_TCPIP_CORE();
    for (int i = 0; i < 100 && !ip6_addr_isvalid(netif_ip6_addr_state(&test_netif, 0)); i++)
        usleep(50 * 1000);
}

/* "PREFIX.N" */
static inline const char *host(int n)
{
    static char buf[4][48];
    static int next;
    char *s = buf[next++ % 4];
    snprintf(s, sizeof buf[0], "%s.%d", test_prefix, n);
    return s;
}

/* "fd00:B::N" for prefix A.B.C (the test network's global IPv6 prefix) */
static inline const char *host6(int n)
{
    static char buf[4][48];
    static int next;
    unsigned a, b;
    char *s = buf[next++ % 4];
    sscanf(test_prefix, "%u.%u", &a, &b);
    snprintf(s, sizeof buf[0], "fd00:%u::%d", b, n);
    return s;
}

static inline struct sockaddr_in6 sin6(int last, int port)
{
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_port = lwip_htons((u16_t)port);
    if (last >= 0)
        lwip_inet_pton(AF_INET6, host6(last), &a.sin6_addr);
    return a;
}

/* Give the stack PREFIX6::2 and wait until it is usable (lwIP runs DAD first). */
static inline void stack_up6(void)
{
    ip6_addr_t a;
    s8_t idx = -1;
    ip6addr_aton(host6(2), &a);
    LOCK_TCPIP_CORE();
    netif_add_ip6_address(&test_netif, &a, &idx);
    UNLOCK_TCPIP_CORE();
    for (int i = 0; idx >= 0 && i < 100 && !ip6_addr_isvalid(netif_ip6_addr_state(&test_netif, idx)); i++)
        usleep(50 * 1000);
    printf("ip6 %s usable %d\n", host6(2), idx >= 0 && ip6_addr_isvalid(netif_ip6_addr_state(&test_netif, idx)));
}

static inline struct sockaddr_in sin4(int last, int port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = lwip_htons((u16_t)port);
    if (last >= 0)
        lwip_inet_pton(AF_INET, host(last), &a.sin_addr);
    return a;
}

static inline FILE *peer_start(const char *fmt, ...)
{
    char args[512], cmd[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "exec python3 %s %s", getenv("PEER_PY") ? getenv("PEER_PY") : "peer.py", args);
    fflush(stdout);
    FILE *p = popen(cmd, "r");
    if (p == NULL) {
        printf("popen failed\n");
        exit(1);
    }
    return p;
}

static inline int peer_line(FILE *p)
{
    char line[512];
    if (fgets(line, sizeof line, p) == NULL) {
        printf("  peer: (no output)\n");
        return 0;
    }
    printf("  peer: %s", line);
    return 1;
}

static inline void peer_wait(FILE *p)
{
    char line[512];
    while (fgets(line, sizeof line, p) != NULL)
        printf("  peer: %s", line);
    pclose(p);
}

#endif /* DIFFSTACK_H */
