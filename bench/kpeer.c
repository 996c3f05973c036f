/*
 * The kernel side of the benchmarks: plain Linux sockets, run in the benchmark's namespace
 * (or, for the ceiling figures, on both ends of a veth pair). Prints one result line.
 *
 *   kpeer send HOST PORT BYTES          connect, send the bench stream, print Mbit/s
 *   kpeer recv PORT BYTES               accept one, receive, print Mbit/s and the sha256
 *   kpeer rr HOST PORT SIZE COUNT       request/response of SIZE bytes: p50 and p99 in us
 *   kpeer echo PORT                     accept one, echo until EOF (the veth ceiling's server)
 *   kpeer cps HOST PORT SECONDS         connect + 16-byte request + reply + close, per second
 *   kpeer cps-server PORT               accept, answer a 16-byte request, close (ceiling)
 *   kpeer udp-send HOST PORT SIZE COUNT send COUNT datagrams as fast as possible: datagrams/s
 *   kpeer udp-recv PORT SIZE SECONDS    count datagrams for SECONDS after the first: per second
 *   kpeer idle HOST PORT N              open N connections and hold them until stdin closes
 *   kpeer sink PORT                     accept connections, read and discard, for ever
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "stream.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int tcp_connect(const char *host, int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, host, &a.sin_addr);
    for (int tries = 0; tries < 50; tries++) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(s, (struct sockaddr *)&a, sizeof a) == 0)
            return s;
        close(s);
        usleep(100 * 1000);
    }
    fprintf(stderr, "kpeer: cannot connect to %s:%d: %s\n", host, port, strerror(errno));
    exit(1);
}

static int tcp_listen(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 512) != 0) {
        perror("kpeer: listen");
        exit(1);
    }
    printf("ready\n");
    fflush(stdout);
    return s;
}

static int udp_socket(void)
{
    return socket(AF_INET, SOCK_DGRAM, 0);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    const char *mode = argv[1];
    static unsigned char buf[1 << 20];
    if (strcmp(mode, "send") == 0) {
        int s = tcp_connect(argv[2], atoi(argv[3]));
        long long total = atoll(argv[4]), sent = 0;
        struct stream st;
        stream_init(&st);
        double t0 = now();
        while (sent < total) {
            size_t k = (size_t)(total - sent < (long long)sizeof buf ? total - sent : (long long)sizeof buf);
            stream_fill(&st, buf, k);
            for (size_t off = 0; off < k;) {
                ssize_t n = send(s, buf + off, k - off, 0);
                if (n <= 0) {
                    perror("kpeer send");
                    return 1;
                }
                off += (size_t)n;
            }
            sent += (long long)k;
        }
        shutdown(s, SHUT_WR);
        /* wait for the receiver's close: everything has arrived */
        while (recv(s, buf, sizeof buf, 0) > 0) {
        }
        double t = now() - t0;
        printf("mbps %.1f\n", total * 8 / t / 1e6);
        return 0;
    }
    if (strcmp(mode, "recv") == 0) {
        /* Received bytes are kept and hashed after the clock stops, so the figure is the
         * stack's, not the hash's. */
        int l = tcp_listen(atoi(argv[2]));
        long long want = atoll(argv[3]), got = 0;
        unsigned char *all = malloc((size_t)want + sizeof buf);
        if (!all) {
            printf("out of memory\n");
            return 1;
        }
        /* Touch every page now: faulting fresh pages in during the transfer cost the peer
         * about half a CPU (clear_page_erms under recv in perf), enough to cap the figure.
         * Not zero: the compiler turns malloc + memset(0) into calloc, which touches nothing. */
        memset(all, 0xa5, (size_t)want + sizeof buf);
        int s = accept(l, NULL, NULL);
        double t0 = 0;
        ssize_t n;
        while ((n = recv(s, all + got, (size_t)(want + (long long)sizeof buf - got), 0)) > 0) {
            if (got == 0)
                t0 = now();
            got += n;
            if (got > want)
                break;
        }
        double t = now() - t0;
        struct sha256 h, e;
        sha256_init(&h);
        sha256_update(&h, all, (size_t)got);
        unsigned char d[32], x[32];
        sha256_final(&h, d);
        struct stream st;
        stream_init(&st);
        sha256_init(&e);
        for (long long left = want; left > 0;) {
            size_t k = (size_t)(left < (long long)sizeof buf ? left : (long long)sizeof buf);
            stream_fill(&st, buf, k);
            sha256_update(&e, buf, k);
            left -= (long long)k;
        }
        sha256_final(&e, x);
        printf("mbps %.1f bytes %lld sha256 %s\n", got * 8 / t / 1e6, got, memcmp(d, x, 32) == 0 && got == want ? "ok" : "MISMATCH");
        close(s);
        return 0;
    }
    if (strcmp(mode, "rr") == 0) {
        int s = tcp_connect(argv[2], atoi(argv[3]));
        int on = 1;
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        size_t size = (size_t)atoi(argv[4]);
        int count = atoi(argv[5]);
        double *lat = calloc((size_t)count, sizeof *lat);
        memset(buf, 'r', size);
        for (int i = -20; i < count; i++) { /* 20 warm-up rounds */
            double t0 = now();
            if (send(s, buf, size, 0) != (ssize_t)size)
                return 1;
            size_t got = 0;
            while (got < size) {
                ssize_t n = recv(s, buf + got, size - got, 0);
                if (n <= 0)
                    return 1;
                got += (size_t)n;
            }
            if (i >= 0)
                lat[i] = (now() - t0) * 1e6;
        }
        qsort(lat, (size_t)count, sizeof *lat, cmp_double);
        printf("p50 %.1f p99 %.1f\n", lat[count / 2], lat[count * 99 / 100]);
        close(s);
        return 0;
    }
    if (strcmp(mode, "echo") == 0) {
        int l = tcp_listen(atoi(argv[2]));
        int s = accept(l, NULL, NULL);
        int on = 1;
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        ssize_t n;
        while ((n = recv(s, buf, sizeof buf, 0)) > 0)
            send(s, buf, (size_t)n, 0);
        return 0;
    }
    if (strcmp(mode, "cps") == 0) {
        const char *host = argv[2];
        int port = atoi(argv[3]);
        double secs = atof(argv[4]);
        /* PAR clients at once (default 4), each one connection after another */
        int par = argc > 5 ? atoi(argv[5]) : 4, pipefd[2];
        if (pipe(pipefd) != 0)
            return 1;
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
        inet_pton(AF_INET, host, &a.sin_addr);
        double t0 = now();
        for (int c = 0; c < par; c++) {
            if (fork() != 0)
                continue;
            long n = 0, failed = 0;
            /* a connection that stalls for a second counts as failed (and is not waited for) */
            struct timeval tv = { 1, 0 };
            while (now() - t0 < secs) {
                int s = socket(AF_INET, SOCK_STREAM, 0);
                setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
                setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
                char r[64];
                if (connect(s, (struct sockaddr *)&a, sizeof a) == 0 && send(s, "GET /0123456789\n", 16, 0) == 16 &&
                    recv(s, r, sizeof r, 0) > 0)
                    n++;
                else
                    failed++;
                close(s);
            }
            long out[2] = { n, failed };
            if (write(pipefd[1], out, sizeof out) != sizeof out)
                _exit(1);
            _exit(0);
        }
        close(pipefd[1]);
        long total = 0, failed = 0, got[2];
        while (read(pipefd[0], got, sizeof got) == sizeof got) {
            total += got[0];
            failed += got[1];
        }
        printf("cps %.0f failed %ld\n", total / (now() - t0), failed);
        return 0;
    }
    if (strcmp(mode, "cps-server") == 0) {
        int l = tcp_listen(atoi(argv[2]));
        for (;;) {
            int s = accept(l, NULL, NULL);
            char r[64];
            if (recv(s, r, sizeof r, 0) > 0)
                send(s, "OK\n", 3, 0);
            close(s);
        }
    }
    if (strcmp(mode, "udp-send") == 0) {
        int s = udp_socket();
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[3])) };
        inet_pton(AF_INET, argv[2], &a.sin_addr);
        size_t size = (size_t)atoi(argv[4]);
        long count = atol(argv[5]);
        memset(buf, 'u', size);
        double t0 = now();
        for (long i = 0; i < count; i++) {
            memcpy(buf, &i, sizeof i);
            while (sendto(s, buf, size, 0, (struct sockaddr *)&a, sizeof a) < 0 && errno == ENOBUFS)
                usleep(50);
        }
        printf("sent %ld pps %.0f\n", count, count / (now() - t0));
        return 0;
    }
    if (strcmp(mode, "udp-recv") == 0) {
        int s = udp_socket();
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
        bind(s, (struct sockaddr *)&a, sizeof a);
        int big = 8 << 20;
        setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
        printf("ready\n");
        fflush(stdout);
        double secs = atof(argv[4]);
        struct timeval tv = { 1, 0 };
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        long n = 0;
        double t0 = 0, last = 0, start = now();
        for (;;) {
            ssize_t k = recv(s, buf, sizeof buf, 0);
            if (k < 0 && n == 0 && now() - start < 10)
                continue; /* the sender is not going yet */
            if (k < 0)
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
    if (strcmp(mode, "idle") == 0) {
        int n = atoi(argv[4]);
        for (int i = 0; i < n; i++)
            tcp_connect(argv[2], atoi(argv[3]));
        printf("connected %d\n", n);
        fflush(stdout);
        while (read(0, buf, sizeof buf) > 0) {
        }
        return 0;
    }
    if (strcmp(mode, "sink") == 0) {
        int l = tcp_listen(atoi(argv[2]));
        for (;;) {
            int s = accept(l, NULL, NULL);
            while (recv(s, buf, sizeof buf, 0) > 0) {
            }
            close(s);
        }
    }
    fprintf(stderr, "kpeer: unknown mode %s\n", mode);
    return 2;
}
