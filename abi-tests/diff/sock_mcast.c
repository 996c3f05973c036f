/*
 * IPv4 multicast membership is counted per interface and group: when one of two sockets
 * in a group drops its membership no IGMP leave goes out; when the last one drops it, or
 * a member socket is closed, the leave is sent (seen on the wire by the kernel side).
 * Dropping a membership the socket does not have gives EADDRNOTAVAIL.
 */
#include "lib/diffstack.h"

/* A UDP socket on `port` that joined 239.1.2.3. */
static int joined(int port)
{
    int s = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = sin4(-1, port);
    lwip_bind(s, (struct sockaddr *)&a, sizeof a);
    struct ip_mreq m;
    lwip_inet_pton(AF_INET, "239.1.2.3", &m.imr_multiaddr);
    m.imr_interface.s_addr = 0;
    CALL("join", lwip_setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m));
    return s;
}

static void drop(int s)
{
    struct ip_mreq m;
    lwip_inet_pton(AF_INET, "239.1.2.3", &m.imr_multiaddr);
    m.imr_interface.s_addr = 0;
    CALL("drop", lwip_setsockopt(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, &m, sizeof m));
}

/* Run `op` while the kernel side watches 1 s for an IGMP leave from the stack. */
#define WATCH_LEAVE(op)                                 \
    do {                                                \
        FILE *p_ = peer_start("sniff 1 igmp-leave");    \
        peer_line(p_);                                  \
        op;                                             \
        peer_wait(p_);                                  \
    } while (0)

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.72.0");
    int a = joined(9700), b = joined(9701);
    usleep(300 * 1000);
    WATCH_LEAVE(drop(a)); /* b is still a member */
    WATCH_LEAVE(drop(b)); /* the last one */
    int c = joined(9702);
    usleep(300 * 1000);
    WATCH_LEAVE(CALL("close a member", lwip_close(c)));
    printf("dropping a membership again:\n");
    drop(a);
    return 0;
}
