/*
 * Sockets in the embedded-style native profile (lwIP's own sockaddr with sin_len, its own
 * fd_set numbered from LWIP_SOCKET_OFFSET, NUM_SOCKETS = MEMP_NUM_NETCONN), as ESP-IDF
 * builds them: fd numbering and exhaustion (ENFILE), select with lwIP's FD_SET, sin_len in
 * returned names, and a connect that nobody answers timing out with ECONNABORTED.
 * Usage (in a namespace with tap0 = PREFIX.1/24): native_sockets PREFIX
 */
#include "../diff/lib/diffstack.h"
#include <time.h>

static int failures;
#define CHECK(cond, ...)                                                                         \
    do {                                                                                         \
        printf((cond) ? "ok   " : "FAIL ");                                                      \
        failures += !(cond);                                                                     \
        printf(__VA_ARGS__);                                                                     \
        printf("\n");                                                                            \
    } while (0)

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.97.0");
    int fds[MEMP_NUM_NETCONN + 1];
    int n = 0;
    for (; n < MEMP_NUM_NETCONN; n++) {
        fds[n] = lwip_socket(AF_INET, SOCK_DGRAM, 0);
        if (fds[n] < 0)
            break;
    }
    CHECK(n == MEMP_NUM_NETCONN && fds[0] == LWIP_SOCKET_OFFSET && fds[n - 1] == LWIP_SOCKET_OFFSET + n - 1,
          "%d sockets numbered from LWIP_SOCKET_OFFSET (%d)", n, LWIP_SOCKET_OFFSET);
    errno = 0;
    int extra = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(extra == -1 && errno == ENFILE, "one more socket: ENFILE (%s)", errname(errno));
    lwip_close(fds[3]);
    int again = lwip_socket(AF_INET, SOCK_STREAM, 0);
    CHECK(again == fds[3], "the freed number comes back");
    fds[3] = again;
    for (int i = 0; i < n; i++)
        lwip_close(fds[i]);

    int u = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = sin4(-1, 9501);
    lwip_bind(u, (struct sockaddr *)&a, sizeof a);
    struct sockaddr_in me;
    socklen_t ml = sizeof me;
    lwip_getsockname(u, (struct sockaddr *)&me, &ml);
    CHECK(me.sin_len == sizeof me && me.sin_family == AF_INET && lwip_ntohs(me.sin_port) == 9501,
          "getsockname fills sin_len (%u)", me.sin_len);
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(u, &r);
    FD_SET(u, &w);
    struct timeval tv = { 0, 0 };
    int k = lwip_select(u + 1, &r, &w, NULL, &tv);
    CHECK(k == 1 && FD_ISSET(u, &w) && !FD_ISSET(u, &r), "select with lwIP's fd_set (FD_SET from the offset)");
    lwip_close(u);

    printf("(a connect nobody answers: about TCP_SYNMAXRTX * 3 s)\n");
    int t = lwip_socket(AF_INET, SOCK_STREAM, 0);
    a = sin4(77, 9502);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    errno = 0;
    int rc = lwip_connect(t, (struct sockaddr *)&a, sizeof a);
    int e = errno;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double took = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    CHECK(rc == -1 && e == ECONNABORTED && took > 10 && took < 30, "connect timed out with %s after %.1f s", errname(e), took);
    lwip_close(t);
    printf("%d failed\n", failures);
    return failures != 0;
}
