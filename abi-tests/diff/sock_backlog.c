/*
 * listen(backlog): clients connecting at once are all accepted and served; accept fills
 * in each peer's address. (Beyond the backlog, where lwIP 2.1.3 has no limit at all, see
 * abi-tests/net/backlog.sh.)
 */
#include "lib/diffstack.h"

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.89.0");
    int l = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4(-1, 9081);
    CALL("bind", lwip_bind(l, (struct sockaddr *)&a, sizeof a));
    CALL("listen backlog 4", lwip_listen(l, 4));
    FILE *p = peer_start("connect-many %s 9081 4", host(2));
    int served = 0, from_gw = 0;
    for (int i = 0; i < 4; i++) {
        struct sockaddr_in peer;
        socklen_t pl = sizeof peer;
        int c = lwip_accept(l, (struct sockaddr *)&peer, &pl);
        if (c < 0) {
            printf("accept failed: %s\n", errname(errno));
            break;
        }
        from_gw += peer.sin_addr.s_addr == sin4(1, 0).sin_addr.s_addr;
        char buf[16];
        long n = lwip_recv(c, buf, sizeof buf, 0);
        if (n > 0 && lwip_send(c, buf, (size_t)n, 0) == n)
            served++;
        lwip_close(c);
    }
    printf("served %d, peer address filled in for %d\n", served, from_gw);
    peer_wait(p);
    lwip_close(l);
    return 0;
}
