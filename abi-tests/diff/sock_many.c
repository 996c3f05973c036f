/*
 * Many connections at once: kernel clients connect together and each sends its number;
 * all are accepted and kept open, then served one at a time in reverse order of accept
 * (each must get its own number back), so every segment has to reach its own connection
 * among many idle ones. Then all are closed and a second, smaller batch is served the
 * same way on the freed resources.
 */
#include "lib/diffstack.h"

#define MAX_CLIENTS 32

static void serve_batch(int l, int n)
{
    FILE *p = peer_start("connect-many %s 9083 %d", host(2), n);
    int c[MAX_CLIENTS];
    int accepted = 0;
    for (int i = 0; i < n; i++) {
        c[i] = lwip_accept(l, NULL, NULL);
        if (c[i] < 0) {
            printf("accept %d failed: %s\n", i, errname(errno));
            break;
        }
        accepted++;
    }
    printf("accepted %d of %d\n", accepted, n);
    int served = 0;
    for (int i = accepted - 1; i >= 0; i--) {
        char buf[16];
        long k = lwip_recv(c[i], buf, sizeof buf, 0);
        if (k > 0 && lwip_send(c[i], buf, (size_t)k, 0) == k)
            served++;
    }
    printf("served %d in reverse order\n", served);
    int closed = 0;
    for (int i = 0; i < accepted; i++)
        closed += lwip_close(c[i]) == 0;
    printf("closed %d\n", closed);
    peer_wait(p);
}

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.77.0");
    int l = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4(-1, 9083);
    CALL("bind", lwip_bind(l, (struct sockaddr *)&a, sizeof a));
    CALL("listen backlog 32", lwip_listen(l, MAX_CLIENTS));
    printf("== 24 clients at once\n");
    serve_batch(l, 24);
    printf("== 12 more after those closed\n");
    serve_batch(l, 12);
    lwip_close(l);
    return 0;
}
