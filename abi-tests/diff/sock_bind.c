/*
 * Ports: EADDRINUSE for conflicting binds (TCP and UDP, specific and any addresses),
 * SO_REUSEADDR as lwIP applies it (both sockets must set it; a second listen on the exact
 * same address still conflicts), ports held by connections still closing (TIME-WAIT),
 * ephemeral ports for port 0 and implicit binds, and SO_LINGER {1,0} with unsent data
 * turning close into a reset.
 */
#include "lib/diffstack.h"

static int sock_bound_as(int type, int last, int port, int reuse, const char *port_name)
{
    int s = lwip_socket(AF_INET, type, 0);
    if (reuse)
        lwip_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
    struct sockaddr_in a = sin4(last, port);
    errno = 0;
    int r = lwip_bind(s, (struct sockaddr *)&a, sizeof a);
    char pn[16];
    snprintf(pn, sizeof pn, "%d", port);
    printf("  bind %s %s:%s reuse=%d: %s\n", type == SOCK_STREAM ? "tcp" : "udp", last < 0 ? "any" : host(last),
           port_name ? port_name : pn, reuse, r == 0 ? "ok" : errname(errno));
    return s;
}

static int sock_bound(int type, int last, int port, int reuse)
{
    return sock_bound_as(type, last, port, reuse, NULL);
}

static int port_of(int s)
{
    struct sockaddr_in n;
    socklen_t l = sizeof n;
    lwip_getsockname(s, (struct sockaddr *)&n, &l);
    return lwip_ntohs(n.sin_port);
}

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.96.0");

    printf("== conflicts\n");
    int a = sock_bound(SOCK_STREAM, -1, 9401, 0);
    int b = sock_bound(SOCK_STREAM, -1, 9401, 0);
    int c = sock_bound(SOCK_STREAM, 2, 9401, 0);
    int d = sock_bound(SOCK_DGRAM, -1, 9401, 0); /* another protocol: no conflict */
    int e = sock_bound(SOCK_DGRAM, 2, 9401, 0);
    lwip_close(a), lwip_close(b), lwip_close(c), lwip_close(d), lwip_close(e);
    printf("== SO_REUSEADDR\n");
    a = sock_bound(SOCK_STREAM, -1, 9402, 1);
    b = sock_bound(SOCK_STREAM, -1, 9402, 0);
    c = sock_bound(SOCK_STREAM, -1, 9402, 1);
    CALL("listen first", lwip_listen(a, 1));
    CALL("listen second on the same address", lwip_listen(c, 1));
    lwip_close(a), lwip_close(b), lwip_close(c);
    a = sock_bound(SOCK_DGRAM, -1, 9403, 1);
    b = sock_bound(SOCK_DGRAM, -1, 9403, 1);
    c = sock_bound(SOCK_DGRAM, -1, 9403, 0);
    lwip_close(a), lwip_close(b), lwip_close(c);

    printf("== ports of connections that are still closing\n");
    FILE *p = peer_start("listen 9404 recv sleep:0.5 close");
    peer_line(p);
    int s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = sin4(1, 9404);
    CALL("connect (implicit bind)", lwip_connect(s, (struct sockaddr *)&to, sizeof to));
    int port = port_of(s);
    printf("  ephemeral %d\n", port >= 0xc000);
    CALL("send", lwip_send(s, "x", 1, 0));
    peer_line(p);
    CALL("close first (our side will wait in TIME-WAIT)", lwip_close(s));
    peer_wait(p);
    usleep(300 * 1000);
    a = sock_bound_as(SOCK_STREAM, -1, port, 0, "<that port>");
    b = sock_bound_as(SOCK_STREAM, -1, port, 1, "<that port>");
    lwip_close(a), lwip_close(b);

    printf("== port 0\n");
    a = sock_bound(SOCK_STREAM, -1, 0, 0);
    b = sock_bound(SOCK_STREAM, -1, 0, 0);
    printf("  two ephemeral ports, distinct %d, in range %d\n", port_of(a) != port_of(b), port_of(a) >= 0xc000 && port_of(b) >= 0xc000);
    lwip_close(a), lwip_close(b);
    a = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    to = sin4(1, 9405);
    lwip_sendto(a, "x", 1, 0, (struct sockaddr *)&to, sizeof to);
    printf("  UDP sendto binds an ephemeral port %d\n", port_of(a) >= 0xc000);
    lwip_close(a);

    printf("== SO_LINGER {1,0} with unsent data resets\n");
    p = peer_start("listen 9406 sleep:1 count");
    peer_line(p);
    s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    to = sin4(1, 9406);
    CALL("connect", lwip_connect(s, (struct sockaddr *)&to, sizeof to));
    static char big[200000];
    int nb = 1;
    lwip_ioctl(s, FIONBIO, &nb);
    long sent = 0, r;
    while ((r = lwip_send(s, big, sizeof big, 0)) > 0)
        sent += r;
    printf("  queued until the buffer was full: %d\n", sent > 0);
    struct linger lg = { 1, 0 };
    lwip_setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    nb = 0;
    lwip_ioctl(s, FIONBIO, &nb);
    CALL("close", lwip_close(s));
    char line[128] = "";
    fgets(line, sizeof line, p);
    printf("  peer: %s", strstr(line, "ConnectionResetError") ? "reset\n" : line);
    pclose(p);
    return 0;
}
