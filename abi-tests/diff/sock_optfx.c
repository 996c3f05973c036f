/*
 * Socket options that must change what goes on the wire, checked from the kernel side
 * (a capture on tap0): TCP keepalive probes, TCP_NODELAY turning Nagle off, IP_TTL.
 */
#include "lib/diffstack.h"
#include <netinet/tcp.h>
#include <time.h>

static int connect_to(int port)
{
    int s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4(1, port);
    CALL("connect", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    return s;
}

static int local_port(int s)
{
    struct sockaddr_in n;
    socklen_t l = sizeof n;
    lwip_getsockname(s, (struct sockaddr *)&n, &l);
    return lwip_ntohs(n.sin_port);
}

static void small_writes(int s, int port, int nodelay)
{
    FILE *sniff = peer_start("sniff 1.5 tcp-segments %d %d", local_port(s), nodelay ? 15 : 1);
    peer_line(sniff);
    CALL("TCP_NODELAY", lwip_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof nodelay));
    for (int i = 0; i < 20; i++) {
        lwip_send(s, "0123456789", 10, 0);
        usleep(5000);
    }
    (void)port;
    peer_wait(sniff);
}

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.85.0");

    printf("== keepalive probes on an idle connection\n");
    FILE *p = peer_start("listen 9041 sleep:4 close");
    peer_line(p);
    int s = connect_to(9041);
    int on = 1, idle = 1, intvl = 1, cnt = 5;
    CALL("SO_KEEPALIVE", lwip_setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on));
    CALL("TCP_KEEPIDLE 1", lwip_setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle));
    CALL("TCP_KEEPINTVL 1", lwip_setsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl));
    CALL("TCP_KEEPCNT 5", lwip_setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt));
    FILE *sniff = peer_start("sniff 3.5 tcp-keepalive %d 2", local_port(s));
    peer_wait(sniff);
    lwip_close(s);
    peer_wait(p);

    printf("== no keepalive probes without SO_KEEPALIVE\n");
    p = peer_start("listen 9042 sleep:3 close");
    peer_line(p);
    s = connect_to(9042);
    sniff = peer_start("sniff 2.5 tcp-keepalive %d 1", local_port(s));
    peer_wait(sniff);
    lwip_close(s);
    peer_wait(p);

    printf("== Nagle on: small writes are coalesced\n");
    p = peer_start("listen 9043 count");
    peer_line(p);
    s = connect_to(9043);
    small_writes(s, 9043, 0);
    lwip_close(s);
    peer_wait(p);

    printf("== IP_TTL is the TTL on the wire\n");
    p = peer_start("listen 9045 count");
    peer_line(p);
    s = connect_to(9045);
    int ttl = 33;
    CALL("IP_TTL 33", lwip_setsockopt(s, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl));
    sniff = peer_start("sniff 2 tcp-ttl %d", local_port(s));
    peer_line(sniff);
    usleep(100 * 1000);
    CALL("send", lwip_send(s, "ttl", 3, 0));
    peer_wait(sniff);
    lwip_close(s);
    peer_wait(p);

    printf("== TCP_NODELAY: every small write is a segment\n");
    p = peer_start("listen 9044 count");
    peer_line(p);
    s = connect_to(9044);
    small_writes(s, 9044, 1);
    lwip_close(s);
    peer_wait(p);

    /* Last, as it takes the kernel's address away: the peer falls silent, so after
     * keep_idle + keep_cnt * keep_intvl of unanswered probes the connection is reset. */
    printf("== unanswered keepalive probes end the connection\n");
    p = peer_start("listen 9046 sleep:8 close");
    peer_line(p);
    s = connect_to(9046);
    idle = 1, intvl = 1, cnt = 2;
    CALL("SO_KEEPALIVE", lwip_setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on));
    CALL("TCP_KEEPIDLE 1", lwip_setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle));
    CALL("TCP_KEEPINTVL 1", lwip_setsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl));
    CALL("TCP_KEEPCNT 2", lwip_setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt));
    char cmd[96];
    snprintf(cmd, sizeof cmd, "ip addr del %s/24 dev tap0", host(1));
    printf("peer address removed: %d\n", system(cmd) == 0);
    struct timeval tv = { 6, 0 };
    lwip_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char b[8];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CALL("recv once the probes went unanswered", lwip_recv(s, b, sizeof b, 0));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double took = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("after 2.5 to 4.5 s: %d\n", took > 2.5 && took < 4.5);
    lwip_close(s);
    peer_wait(p);
    return 0;
}
