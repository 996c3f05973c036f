/*
 * The netconn and netbuf API against the kernel: a TCP echo server and client, timeouts
 * set through api.h's macros, non-blocking accept/recv, netconn_recv_tcp_pbuf,
 * write_partly with NETCONN_DONTBLOCK against a peer that stops reading, accept with a
 * backlog, NETCONN_NOAUTORCVD with netconn_tcp_recvd, UDP echo with netbufs (chain, data, next, first, fromaddr), RAW, addresses,
 * and bad input (NULL and wrong-type arguments, a callback calling back into the API).
 */
#include "lib/diffstack.h"
#include "lwip/api.h"

static const char *errs(err_t e)
{
    static const char *names[] = { "ERR_OK", "ERR_MEM", "ERR_BUF", "ERR_TIMEOUT", "ERR_RTE", "ERR_INPROGRESS",
                                   "ERR_VAL", "ERR_WOULDBLOCK", "ERR_USE", "ERR_ALREADY", "ERR_ISCONN", "ERR_CONN",
                                   "ERR_IF", "ERR_ABRT", "ERR_RST", "ERR_CLSD", "ERR_ARG" };
    return (e <= 0 && e >= -16) ? names[-e] : "?";
}
#define NC(label, expr) printf("%s: %s\n", (label), errs(expr))

static ip_addr_t gw;

static void tcp_server(void)
{
    printf("== TCP echo server\n");
    struct netconn *l = netconn_new(NETCONN_TCP);
    NC("bind", netconn_bind(l, NULL, 9301));
    NC("listen", netconn_listen_with_backlog(l, 2));
    netconn_set_nonblocking(l, 1);
    struct netconn *c = NULL;
    NC("accept with nothing pending", netconn_accept(l, &c));
    netconn_set_nonblocking(l, 0);
    netconn_set_recvtimeout(l, 200);
    printf("recv timeout read back %d\n", (int)netconn_get_recvtimeout(l));
    NC("accept times out", netconn_accept(l, &c));
    netconn_set_recvtimeout(l, 0);
    FILE *p = peer_start("connect %s 9301 send:echo-me recv shut expect-eof", host(2));
    peer_line(p);
    NC("accept", netconn_accept(l, &c));
    printf("accepted type tcp %d\n", c && netconn_type(c) == NETCONN_TCP);
    ip_addr_t addr;
    u16_t port;
    NC("getaddr remote", netconn_getaddr(c, &addr, &port, 0));
    printf("  remote is the gateway %d\n", ip_addr_cmp(&addr, &gw));
    NC("getaddr local", netconn_getaddr(c, &addr, &port, 1));
    printf("  local port %u\n", port);
    struct netbuf *nb;
    NC("recv", netconn_recv(c, &nb));
    void *data;
    u16_t len;
    NC("netbuf_data", netbuf_data(nb, &data, &len));
    printf("  %u bytes '%.*s', fromport %u\n", len, len, (char *)data, netbuf_fromport(nb));
    NC("write", netconn_write(c, data, len, NETCONN_COPY));
    netbuf_delete(nb);
    peer_line(p);
    NC("recv at FIN", netconn_recv(c, &nb));
    NC("close", netconn_close(c));
    NC("delete", netconn_delete(c));
    peer_wait(p);
    NC("delete listener", netconn_delete(l));
}

static void tcp_client(void)
{
    printf("== TCP client, pbuf receive, timeouts\n");
    FILE *p = peer_start("listen 9302 recv send:pbuf-data sleep:1 close");
    peer_line(p);
    struct netconn *c = netconn_new(NETCONN_TCP);
    NC("connect", netconn_connect(c, &gw, 9302));
    NC("write", netconn_write(c, "hi", 2, NETCONN_COPY));
    peer_line(p);
    struct pbuf *pb = NULL;
    NC("recv_tcp_pbuf", netconn_recv_tcp_pbuf(c, &pb));
    if (pb) {
        char t[32] = { 0 };
        pbuf_copy_partial(pb, t, sizeof t - 1, 0);
        printf("  pbuf '%s' tot_len %u\n", t, pb->tot_len);
        pbuf_free(pb);
    }
    NC("tcp_recvd", netconn_tcp_recvd(c, 9));
    netconn_set_recvtimeout(c, 150);
    struct netbuf *nb;
    NC("recv times out", netconn_recv(c, &nb));
    NC("recv_tcp_pbuf DONTBLOCK", netconn_recv_tcp_pbuf_flags(c, &pb, NETCONN_DONTBLOCK));
    netconn_set_recvtimeout(c, 0);
    NC("recv at the peer's close", netconn_recv(c, &nb));
    NC("delete", netconn_delete(c));
    peer_wait(p);
}

static void noautorcvd(void)
{
    printf("== NETCONN_NOAUTORCVD keeps the window closed until netconn_tcp_recvd\n");
    enum { SENT = 4 * TCP_WND };
    FILE *p = peer_start("listen 9304 sendn:%d close", SENT);
    peer_line(p);
    struct netconn *c = netconn_new(NETCONN_TCP);
    NC("connect", netconn_connect(c, &gw, 9304));
    netconn_set_recvtimeout(c, 700);
    size_t held = 0;
    struct pbuf *pb;
    err_t e;
    while ((e = netconn_recv_tcp_pbuf_flags(c, &pb, NETCONN_NOAUTORCVD)) == ERR_OK) {
        held += pb->tot_len;
        pbuf_free(pb);
    }
    printf("until: %s; something read %d, at most one window %d\n", errs(e), held > 0, held <= TCP_WND);
    NC("tcp_recvd", netconn_tcp_recvd(c, held));
    netconn_set_recvtimeout(c, 5000);
    size_t total = held;
    while ((e = netconn_recv_tcp_pbuf(c, &pb)) == ERR_OK) {
        total += pb->tot_len;
        pbuf_free(pb);
    }
    printf("then: %s; everything arrived %d\n", errs(e), total == SENT);
    NC("delete", netconn_delete(c));
    peer_wait(p);
}

static void dontblock_write(void)
{
    printf("== write_partly with DONTBLOCK to a peer that does not read\n");
    FILE *p = peer_start("listen 9303 sleep:3 count");
    peer_line(p);
    struct netconn *c = netconn_new(NETCONN_TCP);
    NC("connect", netconn_connect(c, &gw, 9303));
    static char big[256 * 1024];
    size_t total = 0, w = 0;
    err_t e = ERR_OK;
    int calls = 0, partial = 0;
    for (; calls < 200; calls++) {
        w = 0;
        e = netconn_write_partly(c, big, sizeof big, NETCONN_COPY | NETCONN_DONTBLOCK, &w);
        if (e != ERR_OK)
            break;
        total += w;
        /* How many calls end partly written depends on how fast the kernel reads. */
        partial += w > 0 && w < sizeof big;
        usleep(20 * 1000);
    }
    printf("some writes partial: %d\n", partial > 0);
    printf("until: %s, bytes_written %zu, something queued %d\n", errs(e), w, total > 0);
    NC("write without bytes_written while non-blocking", netconn_write_partly(c, big, 10, NETCONN_DONTBLOCK, NULL));
    NC("write 0 bytes", netconn_write_partly(c, big, 0, NETCONN_COPY, &w));
    NC("close", netconn_close(c));
    NC("delete", netconn_delete(c));
    char line[128] = "";
    fgets(line, sizeof line, p);
    printf("the peer then read everything queued: %d\n", strncmp(line, "got ", 4) == 0 && (size_t)atol(line + 4) == total);
    pclose(p);
}

static void udp_and_netbufs(void)
{
    printf("== UDP with netbufs\n");
    FILE *p = peer_start("udp-echo 9304 1");
    peer_line(p);
    struct netconn *u = netconn_new(NETCONN_UDP);
    NC("bind", netconn_bind(u, IP4_ADDR_ANY, 0));
    struct netbuf *a = netbuf_new(), *b = netbuf_new();
    printf("netbuf_new %d\n", a != NULL && b != NULL);
    char *m = netbuf_alloc(a, 5);
    memcpy(m, "chain", 5);
    NC("netbuf_ref", netbuf_ref(b, "ed-up", 5));
    netbuf_chain(a, b);
    printf("chained len %u\n", netbuf_len(a));
    void *d;
    u16_t len;
    netbuf_first(a);
    NC("data", netbuf_data(a, &d, &len));
    printf("  first part %u '%.*s'\n", len, len, (char *)d);
    printf("  next %d\n", netbuf_next(a));
    NC("data", netbuf_data(a, &d, &len));
    printf("  second part %u '%.*s'\n", len, len, (char *)d);
    printf("  next at the end %d\n", netbuf_next(a));
    NC("sendto", netconn_sendto(u, a, &gw, 9304));
    netbuf_delete(a);
    struct netbuf *r = NULL;
    netconn_set_recvtimeout(u, 3000);
    NC("recv", netconn_recv(u, &r));
    if (r) {
        char t[32] = { 0 };
        netbuf_copy(r, t, sizeof t - 1);
        printf("  echo '%s' from the gateway %d port %u\n", t, ip_addr_cmp(netbuf_fromaddr(r), &gw), netbuf_fromport(r));
        netbuf_delete(r);
    }
    peer_wait(p);
    NC("connect", netconn_connect(u, &gw, 9305));
    ip_addr_t addr;
    u16_t port;
    NC("getaddr remote", netconn_getaddr(u, &addr, &port, 0));
    printf("  remote port %u\n", port);
    NC("disconnect", netconn_disconnect(u));
    NC("getaddr remote after", netconn_getaddr(u, &addr, &port, 0));
    netconn_set_nonblocking(u, 1);
    NC("recv non-blocking", netconn_recv(u, &r));
    NC("delete", netconn_delete(u));

    printf("== RAW\n");
    struct netconn *raw = netconn_new_with_proto_and_callback(NETCONN_RAW, 1, NULL);
    printf("raw created %d type raw %d\n", raw != NULL, raw && netconn_type(raw) == NETCONN_RAW);
    NC("getaddr local", netconn_getaddr(raw, &addr, &port, 1));
    printf("  port (protocol) %u\n", port);
    NC("getaddr remote", netconn_getaddr(raw, &addr, &port, 0));
    NC("delete", netconn_delete(raw));
}

static void callback_reenters(struct netconn *conn, enum netconn_evt evt, u16_t len)
{
    (void)len;
    if (evt == NETCONN_EVT_RCVPLUS) {
        /* calling back into the API from the callback must not crash or deadlock */
        err_t e = netconn_err(conn);
        (void)e;
    }
}

static void bad_input(void)
{
    printf("== bad input\n");
    struct netbuf *nb = (struct netbuf *)1;
    struct netconn *nc = (struct netconn *)1;
    ip_addr_t addr;
    u16_t port;
    size_t w;
    NC("recv NULL conn", netconn_recv(NULL, &nb));
    printf("  *new_buf cleared %d\n", nb == NULL);
    NC("recv NULL buf", netconn_recv(NULL, NULL));
    NC("accept NULL conn", netconn_accept(NULL, &nc));
    printf("  *new_conn cleared %d\n", nc == NULL);
    NC("accept NULL out", netconn_accept(NULL, NULL));
    NC("bind NULL", netconn_bind(NULL, NULL, 1));
    NC("connect NULL", netconn_connect(NULL, &gw, 1));
    NC("listen NULL", netconn_listen(NULL));
    NC("getaddr NULL conn", netconn_getaddr(NULL, &addr, &port, 1));
    NC("write NULL", netconn_write_partly(NULL, "x", 1, NETCONN_COPY, &w));
    NC("send NULL", netconn_send(NULL, NULL));
    NC("sendto NULL buf", netconn_sendto(NULL, NULL, &gw, 1));
    NC("close NULL", netconn_close(NULL));
    NC("shutdown NULL", netconn_shutdown(NULL, 1, 1));
    NC("delete NULL", netconn_delete(NULL));
    NC("err NULL", netconn_err(NULL));
    NC("disconnect NULL", netconn_disconnect(NULL));
    struct netconn *u = netconn_new(NETCONN_UDP);
    struct netconn *t = netconn_new(NETCONN_TCP);
    NC("getaddr NULL addr", netconn_getaddr(u, NULL, &port, 1));
    NC("write on UDP", netconn_write(u, "x", 1, NETCONN_COPY));
    NC("listen on UDP", netconn_listen(u));
    NC("accept on UDP", netconn_accept(u, &nc));
    NC("recv_tcp_pbuf on UDP", netconn_recv_tcp_pbuf(u, (struct pbuf **)&nb));
    NC("recv_udp_raw_netbuf on TCP", netconn_recv_udp_raw_netbuf(t, &nb));
    NC("tcp_recvd on UDP", netconn_tcp_recvd(u, 1));
    NC("disconnect TCP", netconn_disconnect(t));
    NC("close UDP", netconn_close(u));
    NC("shutdown UDP", netconn_shutdown(u, 1, 0));
    NC("accept unlistened TCP", netconn_accept(t, &nc));
    NC("write unconnected TCP", netconn_write(t, "x", 1, NETCONN_COPY));
    NC("send TCP", netconn_send(t, NULL));
    NC("listen twice", (netconn_listen(t), netconn_listen(t)));
    NC("connect a listener", netconn_connect(t, &gw, 9));
    NC("netbuf_data NULL", netbuf_data(NULL, NULL, NULL));
    struct netbuf *e = netbuf_new();
    void *d;
    u16_t len;
    NC("netbuf_data empty", netbuf_data(e, &d, &len));
    NC("netbuf_ref NULL", netbuf_ref(NULL, "x", 1));
    printf("netbuf_alloc NULL %d\n", netbuf_alloc(NULL, 4) == NULL);
    netbuf_free(NULL);
    netbuf_first(NULL);
    printf("netbuf_next NULL %d\n", netbuf_next(NULL));
    netbuf_chain(NULL, e);
    netbuf_delete(e);
    netbuf_delete(NULL);
    NC("delete", netconn_delete(u));
    NC("delete", netconn_delete(t));

    printf("== a callback that calls back into the API\n");
    struct netconn *cu = netconn_new_with_callback(NETCONN_UDP, callback_reenters);
    NC("bind", netconn_bind(cu, IP4_ADDR_ANY, 9306));
    FILE *p = peer_start("udp-send %s 9306 reenter", host(2));
    peer_wait(p);
    usleep(200 * 1000);
    netconn_set_recvtimeout(cu, 2000);
    NC("recv", netconn_recv(cu, &nb));
    if (nb)
        netbuf_delete(nb);
    NC("delete", netconn_delete(cu));
}

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.93.0");
    ipaddr_aton(host(1), &gw);
    tcp_server();
    tcp_client();
    noautorcvd();
    dontblock_write();
    udp_and_netbufs();
    bad_input();
    return 0;
}
