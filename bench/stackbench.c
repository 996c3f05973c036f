/*
 * The lwIP side of the benchmarks: one program, written against lwIP's socket and netconn
 * APIs, compiled once and linked against each library (bench/run.py). The stack runs on
 * tap0 of the benchmark's namespace (PRECONFIGURED_TAPIF) as PREFIX.2/24.
 *
 *   stackbench PREFIX tx HOST PORT BYTES    connect, send the bench stream, close
 *   stackbench PREFIX rx PORT BYTES         accept one, receive and check the stream (recv)
 *   stackbench PREFIX rx-discard PORT BYTES the same without checking (the stack's own cost)
 *   stackbench PREFIX nc-rx PORT BYTES      the same through netconn_recv
 *   stackbench PREFIX echo PORT [IDLE]      echo server for request/response; with IDLE, the
 *                                           first IDLE connections are accepted and left idle
 *   stackbench PREFIX cps PORT              accept, answer a request, close; for ever
 *   stackbench PREFIX udp-sink PORT SECS    count datagrams for SECS after the first
 *   stackbench PREFIX udp-source HOST PORT SIZE COUNT   send datagrams as fast as possible
 *   stackbench PREFIX idle PORT N           accept N connections and report heap and RSS
 *   stackbench PREFIX udp-idle PORT N       bind N UDP sockets (PORT, PORT+1, ...) and report
 *                                           heap and RSS
 * Prints "ready" once listening (or up), then one result line.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lwip/api.h"
#include "lwip/netif.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "netif/tapif.h"

#include "stream.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static sys_sem_t init_done;
static void on_init(void *arg)
{
    (void)arg;
    sys_sem_signal(&init_done);
}

static void stack_up(const char *prefix)
{
    static struct netif netif;
    unsigned a, b, c;
    sscanf(prefix, "%u.%u.%u", &a, &b, &c);
    sys_sem_new(&init_done, 0);
    tcpip_init(on_init, NULL);
    sys_arch_sem_wait(&init_done, 0);
    ip4_addr_t ip, mask, gw;
    IP4_ADDR(&ip, a, b, c, 2);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, a, b, c, 1);
    LOCK_TCPIP_CORE();
    netif_add(&netif, &ip, &mask, &gw, NULL, tapif_init, tcpip_input);
    netif_set_default(&netif);
    netif_set_up(&netif);
    UNLOCK_TCPIP_CORE();
}

static int listen_on(int port)
{
    int l = lwip_socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    lwip_setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = lwip_htons((u16_t)port);
    if (lwip_bind(l, (struct sockaddr *)&a, sizeof a) != 0 || lwip_listen(l, 255) != 0) {
        printf("listen failed\n");
        exit(1);
    }
    return l;
}

static struct sockaddr_in addr_of(const char *host, int port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = lwip_htons((u16_t)port);
    lwip_inet_pton(AF_INET, host, &a.sin_addr);
    return a;
}

static long rss_kib(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 3)
        return 2;
    stack_up(argv[1]);
    const char *mode = argv[2];
    static unsigned char buf[65536];

    if (strcmp(mode, "tx") == 0) {
        printf("ready\n");
        struct sockaddr_in a = addr_of(argv[3], atoi(argv[4]));
        long long total = atoll(argv[5]), sent = 0;
        int s = -1;
        for (int i = 0; i < 100 && s < 0; i++) {
            s = lwip_socket(AF_INET, SOCK_STREAM, 0);
            if (lwip_connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
                lwip_close(s);
                s = -1;
                usleep(50 * 1000);
            }
        }
        if (s < 0) {
            printf("connect failed\n");
            return 1;
        }
        struct stream st;
        stream_init(&st);
        double t0 = now();
        while (sent < total) {
            size_t k = (size_t)(total - sent < (long long)sizeof buf ? total - sent : (long long)sizeof buf);
            stream_fill(&st, buf, k);
            for (size_t off = 0; off < k;) {
                ssize_t n = lwip_send(s, buf + off, k - off, 0);
                if (n <= 0) {
                    printf("send failed\n");
                    return 1;
                }
                off += (size_t)n;
            }
            sent += (long long)k;
        }
        lwip_close(s);
        printf("sent %lld in %.3f s\n", sent, now() - t0);
        sleep(1); /* let the close finish before the process goes */
        return 0;
    }
    if (strcmp(mode, "rx") == 0 || strcmp(mode, "rx-discard") == 0 || strcmp(mode, "nc-rx") == 0) {
        long long want = atoll(argv[4]), got = 0;
        /* rx-discard: the stack's cost alone (callgrind), no checking in the application */
        int check = strcmp(mode, "rx-discard") != 0;
        int ok = 1;
        struct stream st;
        stream_init(&st);
        double t0 = 0;
        if (strcmp(mode, "nc-rx") != 0) {
            int l = listen_on(atoi(argv[3]));
            printf("ready\n");
            int s = lwip_accept(l, NULL, NULL);
            ssize_t n;
            while ((n = lwip_recv(s, buf, sizeof buf, 0)) > 0) {
                if (got == 0)
                    t0 = now();
                if (check)
                    ok &= stream_check(&st, buf, (size_t)n);
                got += n;
            }
            lwip_close(s);
        } else {
            struct netconn *l = netconn_new(NETCONN_TCP);
            netconn_bind(l, IP_ADDR_ANY, (u16_t)atoi(argv[3]));
            netconn_listen(l);
            printf("ready\n");
            struct netconn *c;
            if (netconn_accept(l, &c) != ERR_OK)
                return 1;
            struct netbuf *nb;
            while (netconn_recv(c, &nb) == ERR_OK) {
                if (got == 0)
                    t0 = now();
                do {
                    void *d;
                    u16_t len;
                    netbuf_data(nb, &d, &len);
                    ok &= stream_check(&st, d, len);
                    got += len;
                } while (netbuf_next(nb) >= 0);
                netbuf_delete(nb);
            }
            netconn_close(c);
            netconn_delete(c);
        }
        double t = now() - t0;
        printf("received %lld %s mbps %.1f\n", got, ok && got == want ? "ok" : "MISMATCH", got * 8 / t / 1e6);
        return 0;
    }
    if (strcmp(mode, "echo") == 0) {
        int l = listen_on(atoi(argv[3]));
        printf("ready\n");
        for (int idle = argc > 4 ? atoi(argv[4]) : 0; idle > 0; idle--)
            if (lwip_accept(l, NULL, NULL) < 0) {
                printf("accept failed\n");
                return 1;
            }
        int s = lwip_accept(l, NULL, NULL);
        int on = 1;
        lwip_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        ssize_t n;
        while ((n = lwip_recv(s, buf, sizeof buf, 0)) > 0)
            if (lwip_send(s, buf, (size_t)n, 0) != n)
                break;
        lwip_close(s);
        return 0;
    }
    if (strcmp(mode, "cps") == 0) {
        int l = listen_on(atoi(argv[3]));
        printf("ready\n");
        for (;;) {
            int s = lwip_accept(l, NULL, NULL);
            if (s < 0)
                continue;
            char r[64];
            if (lwip_recv(s, r, sizeof r, 0) > 0)
                lwip_send(s, "OK\n", 3, 0);
            lwip_close(s);
        }
    }
    if (strcmp(mode, "udp-sink") == 0) {
        int s = lwip_socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in a = addr_of("0.0.0.0", atoi(argv[3]));
        lwip_bind(s, (struct sockaddr *)&a, sizeof a);
        printf("ready\n");
        double secs = atof(argv[4]), t0 = 0, last = 0;
        struct timeval tv = { 1, 0 };
        lwip_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        long n = 0;
        for (;;) {
            if (lwip_recv(s, buf, sizeof buf, 0) < 0)
                break;
            last = now();
            if (n++ == 0)
                t0 = last;
            if (last - t0 > secs)
                break;
        }
        printf("received %ld pps %.0f\n", n, n > 1 ? (n - 1) / (last - t0) : 0.0);
        return 0;
    }
    if (strcmp(mode, "udp-source") == 0) {
        printf("ready\n");
        sleep(1);
        int s = lwip_socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in a = addr_of(argv[3], atoi(argv[4]));
        size_t size = (size_t)atoi(argv[5]);
        long count = atol(argv[6]), failed = 0;
        memset(buf, 'u', size);
        /* Resolve the kernel's MAC first (a datagram to the next port, which nothing
         * counts): a stack that drops datagrams while ARP is pending would otherwise lose
         * a burst sent at full speed before the reply is processed. */
        struct sockaddr_in prime = addr_of(argv[3], atoi(argv[4]) + 1);
        lwip_sendto(s, buf, 1, 0, (struct sockaddr *)&prime, sizeof prime);
        usleep(300 * 1000);
        double t0 = now();
        for (long i = 0; i < count; i++)
            if (lwip_sendto(s, buf, size, 0, (struct sockaddr *)&a, sizeof a) != (ssize_t)size)
                failed++;
        printf("sent %ld failed %ld pps %.0f\n", count - failed, failed, count / (now() - t0));
        return 0;
    }
    if (strcmp(mode, "idle") == 0) {
        int l = listen_on(atoi(argv[3]));
        int n = atoi(argv[4]);
        usleep(200 * 1000);
        struct mallinfo2 m0 = mallinfo2();
        long r0 = rss_kib();
        printf("ready\n");
        int *fds = calloc((size_t)n, sizeof *fds);
        for (int i = 0; i < n; i++)
            fds[i] = lwip_accept(l, NULL, NULL);
        usleep(300 * 1000);
        struct mallinfo2 m1 = mallinfo2();
        long r1 = rss_kib();
        printf("heap %ld rss_kib %ld\n", (long)(m1.uordblks - m0.uordblks), r1 - r0);
        fflush(stdout);
        while (read(0, buf, 1) > 0) {
        }
        return 0;
    }
    if (strcmp(mode, "udp-idle") == 0) {
        int port = atoi(argv[3]), n = atoi(argv[4]), bound = 0;
        usleep(200 * 1000);
        struct mallinfo2 m0 = mallinfo2();
        long r0 = rss_kib();
        printf("ready\n");
        int *fds = calloc((size_t)n, sizeof *fds);
        for (int i = 0; i < n; i++) {
            struct sockaddr_in a;
            memset(&a, 0, sizeof a);
            a.sin_family = AF_INET;
            a.sin_port = lwip_htons((u16_t)(port + i));
            fds[i] = lwip_socket(AF_INET, SOCK_DGRAM, 0);
            if (fds[i] >= 0 && lwip_bind(fds[i], (struct sockaddr *)&a, sizeof a) == 0)
                bound++;
        }
        usleep(100 * 1000);
        struct mallinfo2 m1 = mallinfo2();
        long r1 = rss_kib();
        if (bound != n) {
            printf("bound %d of %d\n", bound, n);
            return 1;
        }
        printf("heap %ld rss_kib %ld\n", (long)(m1.uordblks - m0.uordblks), r1 - r0);
        return 0;
    }
    printf("unknown mode %s\n", mode);
    return 2;
}
