/*
 * Changing the netif's IPv4 address under open sockets (netif_set_ipaddr): TCP connections
 * from the old address end (a thread blocked in recv on one wakes), sockets bound to the
 * old address follow it to the new one (getsockname), and a listener bound to it accepts
 * connections to the new address. The same for an IPv6 slot changed with netif_ip6_addr_set.
 */
#include "lib/diffstack.h"
#include <pthread.h>

static int blocked_fd;
static long blocked_result;
static int blocked_errno;

static void *blocked_recv(void *arg)
{
    char c;
    (void)arg;
    blocked_result = lwip_recv(blocked_fd, &c, 1, 0);
    blocked_errno = errno;
    return NULL;
}

static void print_local(const char *label, int s)
{
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    char text[32] = "?";
    if (lwip_getsockname(s, (struct sockaddr *)&a, &l) == 0)
        lwip_inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
    printf("%s: local address %s\n", label, strcmp(text, host(2)) == 0 ? "old" : strcmp(text, host(3)) == 0 ? "new" : text);
}

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.78.0");
    FILE *p = peer_start("listen 9400 sleep:4");
    peer_line(p);
    int t = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in peer = sin4(1, 9400);
    CALL("connect", lwip_connect(t, (struct sockaddr *)&peer, sizeof peer));
    int u = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ua = sin4(2, 9401);
    CALL("bind UDP to the address", lwip_bind(u, (struct sockaddr *)&ua, sizeof ua));
    int l = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in la = sin4(2, 9402);
    CALL("bind listener to the address", lwip_bind(l, (struct sockaddr *)&la, sizeof la));
    CALL("listen", lwip_listen(l, 2));
    struct timeval tv = { .tv_sec = 3, .tv_usec = 0 };
    lwip_setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv); /* a failing accept ends */

    blocked_fd = t;
    pthread_t th;
    pthread_create(&th, NULL, blocked_recv, NULL);
    usleep(200 * 1000);
    ip4_addr_t next;
    ip4addr_aton(host(3), &next);
    LOCK_TCPIP_CORE();
    netif_set_ipaddr(&test_netif, &next);
    UNLOCK_TCPIP_CORE();
    pthread_join(th, NULL);
    printf("blocked recv: %ld %s\n", blocked_result, errname(blocked_errno));
    CALL("send on the old connection", lwip_send(t, "x", 1, 0));
    print_local("UDP socket", u);
    print_local("listener", l);

    FILE *c = peer_start("connect %s 9402 send:hello", host(3));
    int a = lwip_accept(l, NULL, NULL);
    printf("accept on the new address: %s\n", a >= 0 ? "ok" : errname(errno));
    if (a >= 0) {
        char buf[16] = { 0 };
        CALL("recv", lwip_recv(a, buf, sizeof buf - 1, 0));
        printf("  got '%s'\n", buf);
        lwip_close(a);
    }
    peer_wait(c);
    lwip_close(t);
    lwip_close(u);
    lwip_close(l);
    peer_wait(p);

    /* IPv6: a UDP socket bound to the slot's address follows netif_ip6_addr_set. */
    stack_up6();
    int u6 = lwip_socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 b6 = sin6(2, 9403);
    CALL("bind UDP to the IPv6 address", lwip_bind(u6, (struct sockaddr *)&b6, sizeof b6));
    ip6_addr_t next6;
    ip6addr_aton(host6(3), &next6);
    LOCK_TCPIP_CORE();
    ip6_addr_t cur;
    ip6addr_aton(host6(2), &cur);
    s8_t i6 = netif_get_ip6_addr_match(&test_netif, &cur);
    if (i6 >= 0)
        netif_ip6_addr_set(&test_netif, i6, &next6);
    UNLOCK_TCPIP_CORE();
    struct sockaddr_in6 got;
    socklen_t gl = sizeof got;
    char text[64] = "?";
    if (lwip_getsockname(u6, (struct sockaddr *)&got, &gl) == 0)
        lwip_inet_ntop(AF_INET6, &got.sin6_addr, text, sizeof text);
    ip6_addr_t g6;
    ip6addr_aton(text, &g6);
    printf("IPv6 UDP socket: local address %s\n", ip6_addr_cmp(&g6, &next6) ? "new" : ip6_addr_cmp(&g6, &cur) ? "old" : text);
    lwip_close(u6);
    return 0;
}
