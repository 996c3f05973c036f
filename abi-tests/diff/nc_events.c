/*
 * netconn callbacks and non-blocking connect: the full event trace (NETCONN_EVT_* with
 * their lengths) for a connect to a listening kernel port and to a closed one, a second
 * connect while in progress (ERR_ALREADY) and after success (ERR_ISCONN), data arrival and
 * consumption, the peer's FIN, and close. Events are recorded by the callback and printed
 * at fixed points, so both libraries' traces can be compared line by line.
 */
#include "lib/diffstack.h"
#include "lwip/api.h"

#define MAXEV 256
static struct {
    struct netconn *conn;
    enum netconn_evt evt;
    u16_t len;
} events[MAXEV];
static volatile int nevents;

static void cb(struct netconn *conn, enum netconn_evt evt, u16_t len)
{
    if (nevents < MAXEV) {
        events[nevents].conn = conn;
        events[nevents].evt = evt;
        events[nevents].len = len;
        nevents++;
    }
}

static const char *evname(enum netconn_evt e)
{
    switch (e) {
    case NETCONN_EVT_RCVPLUS: return "RCVPLUS";
    case NETCONN_EVT_RCVMINUS: return "RCVMINUS";
    case NETCONN_EVT_SENDPLUS: return "SENDPLUS";
    case NETCONN_EVT_SENDMINUS: return "SENDMINUS";
    case NETCONN_EVT_ERROR: return "ERROR";
    }
    return "?";
}

/* Print the events recorded so far. RCVPLUS with data are summed (segmentation is the
 * peer's choice), everything else is printed one by one in order. */
static int shown;
static void trace(const char *when)
{
    printf("events %s:", when);
    unsigned data = 0;
    for (; shown < nevents; shown++) {
        if (events[shown].evt == NETCONN_EVT_RCVPLUS && events[shown].len > 0) {
            data += events[shown].len;
            continue;
        }
        if (data) {
            printf(" RCVPLUS(data %u)", data);
            data = 0;
        }
        printf(" %s(%u)", evname(events[shown].evt), events[shown].len);
    }
    if (data)
        printf(" RCVPLUS(data %u)", data);
    printf("\n");
}

static const char *errs(err_t e)
{
    switch (e) {
    case ERR_OK: return "ERR_OK";
    case ERR_MEM: return "ERR_MEM";
    case ERR_BUF: return "ERR_BUF";
    case ERR_TIMEOUT: return "ERR_TIMEOUT";
    case ERR_RTE: return "ERR_RTE";
    case ERR_INPROGRESS: return "ERR_INPROGRESS";
    case ERR_VAL: return "ERR_VAL";
    case ERR_WOULDBLOCK: return "ERR_WOULDBLOCK";
    case ERR_USE: return "ERR_USE";
    case ERR_ALREADY: return "ERR_ALREADY";
    case ERR_ISCONN: return "ERR_ISCONN";
    case ERR_CONN: return "ERR_CONN";
    case ERR_IF: return "ERR_IF";
    case ERR_ABRT: return "ERR_ABRT";
    case ERR_RST: return "ERR_RST";
    case ERR_CLSD: return "ERR_CLSD";
    case ERR_ARG: return "ERR_ARG";
    }
    return "?";
}
#define NC(label, expr) printf("%s: %s\n", (label), errs(expr))

/* Keep the tcpip thread away from the wire for a moment (it sleeps in a callback with the
 * core lock handed back), so a connect is still in progress when it is tried again however
 * fast the stack answers a SYN-ACK. */
static sys_sem_t stalling;
static void stall(void *arg)
{
    (void)arg;
    UNLOCK_TCPIP_CORE();
    sys_sem_signal(&stalling);
    usleep(300 * 1000);
    LOCK_TCPIP_CORE();
}

static void wait_events(int n, int ms)
{
    for (int i = 0; i < ms / 10 && nevents < n; i++)
        usleep(10 * 1000);
}

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.92.0");
    ip_addr_t gw;
    ipaddr_aton(host(1), &gw);

    printf("== non-blocking connect to a listening port\n");
    FILE *p = peer_start("listen 9201 sleep:0.2 send:hello-from-kernel recv shut sleep:0.5 close");
    peer_line(p);
    struct netconn *c = netconn_new_with_callback(NETCONN_TCP, cb);
    printf("created: %s, type tcp %d\n", c ? "yes" : "no", netconn_type(c) == NETCONN_TCP);
    trace("after creation");
    netconn_set_nonblocking(c, 1);
    printf("nonblocking flag %d\n", netconn_is_nonblocking(c) != 0);
    sys_sem_new(&stalling, 0);
    tcpip_callback(stall, NULL);
    sys_arch_sem_wait(&stalling, 0);
    NC("connect", netconn_connect(c, &gw, 9201));
    NC("connect again while in progress", netconn_connect(c, &gw, 9201));
    wait_events(1, 3000);
    trace("once connected");
    NC("connect after success", netconn_connect(c, &gw, 9201));
    NC("netconn_err", netconn_err(c));
    wait_events(2, 3000);
    usleep(200 * 1000);
    trace("after the peer's data");
    struct netbuf *nb = NULL;
    NC("recv", netconn_recv(c, &nb));
    if (nb) {
        char text[64] = { 0 };
        netbuf_copy(nb, text, sizeof text - 1);
        printf("got '%s' (%u bytes)\n", text, netbuf_len(nb));
        netbuf_delete(nb);
    }
    trace("after recv");
    size_t written = 0;
    NC("write_partly", netconn_write_partly(c, "thanks", 6, NETCONN_COPY, &written));
    printf("written %zu\n", written);
    peer_line(p); /* recv 'thanks' */
    usleep(300 * 1000);
    trace("after write and the peer's FIN");
    netconn_set_nonblocking(c, 0);
    NC("recv at FIN", netconn_recv(c, &nb));
    NC("recv after FIN", netconn_recv(c, &nb));
    trace("after reading the FIN");
    NC("close", netconn_close(c));
    trace("after close");
    NC("delete", netconn_delete(c));
    trace("after delete");
    peer_wait(p);

    printf("== non-blocking connect to a closed port\n");
    c = netconn_new_with_callback(NETCONN_TCP, cb);
    netconn_set_nonblocking(c, 1);
    NC("connect", netconn_connect(c, &gw, 9202));
    wait_events(shown + 3, 3000);
    usleep(100 * 1000);
    trace("after the refusal");
    NC("netconn_err", netconn_err(c));
    NC("netconn_err again", netconn_err(c));
    NC("connect again", netconn_connect(c, &gw, 9202));
    NC("recv", netconn_recv(c, &nb));
    NC("write", netconn_write(c, "x", 1, NETCONN_COPY));
    NC("delete", netconn_delete(c));
    trace("after delete");

    printf("== blocking connect, the peer resets\n");
    p = peer_start("listen 9203 send:bye sleep:0.3 rst");
    peer_line(p);
    c = netconn_new_with_callback(NETCONN_TCP, cb);
    NC("connect", netconn_connect(c, &gw, 9203));
    peer_wait(p);
    usleep(300 * 1000);
    trace("after data and reset");
    NC("recv (data)", netconn_recv(c, &nb));
    if (nb)
        netbuf_delete(nb);
    NC("recv", netconn_recv(c, &nb));
    NC("recv", netconn_recv(c, &nb));
    NC("recv", netconn_recv(c, &nb));
    trace("after reading");
    NC("delete", netconn_delete(c));
    trace("after delete");

    printf("== UDP datagrams\n");
    struct netconn *u = netconn_new_with_callback(NETCONN_UDP, cb);
    NC("bind", netconn_bind(u, IP4_ADDR_ANY, 9204));
    trace("after bind");
    p = peer_start("udp-send %s 9204 one two", host(2));
    peer_wait(p);
    usleep(200 * 1000);
    trace("after two datagrams");
    NC("recv", netconn_recv(u, &nb));
    if (nb) {
        printf("from port %u len %u\n", netbuf_fromport(nb), netbuf_len(nb));
        netbuf_delete(nb);
    }
    trace("after recv");
    NC("delete", netconn_delete(u));
    trace("after delete");
    return 0;
}
