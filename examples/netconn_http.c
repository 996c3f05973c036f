/*
 * An HTTP server on lwIP's sequential (netconn) API, in the shape of lwIP's own
 * httpserver-netconn example: accept, read the request with netconn_recv, answer with
 * netconn_write. Serves "/" (a page) and "/bytes/N" (N bytes of 'a'..'z').
 * Usage: netconn_http A.B.C [PORT]   (the stack takes A.B.C.2/24 on tapif)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/api.h"
#include "lwip/netif.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "netif/tapif.h"

static sys_sem_t init_done;
static void on_init(void *arg)
{
    (void)arg;
    sys_sem_signal(&init_done);
}

static void serve(struct netconn *c)
{
    struct netbuf *nb;
    if (netconn_recv(c, &nb) != ERR_OK)
        return;
    char req[512] = { 0 };
    netbuf_copy(nb, req, sizeof req - 1);
    netbuf_delete(nb);
    char path[256] = "";
    sscanf(req, "GET %255s", path);
    char hdr[160];
    if (strncmp(path, "/bytes/", 7) == 0) {
        unsigned long n = strtoul(path + 7, NULL, 10);
        snprintf(hdr, sizeof hdr, "HTTP/1.0 200 OK\r\nContent-Length: %lu\r\n\r\n", n);
        netconn_write(c, hdr, strlen(hdr), NETCONN_COPY);
        static char chunk[8192];
        for (size_t i = 0; i < sizeof chunk; i++)
            chunk[i] = (char)('a' + i % 26);
        while (n > 0) {
            size_t k = n < sizeof chunk ? n : sizeof chunk;
            if (netconn_write(c, chunk, k, NETCONN_COPY) != ERR_OK)
                return;
            n -= k;
        }
    } else {
        const char *page = "<html><body>hello from lwIP's netconn API</body></html>\n";
        snprintf(hdr, sizeof hdr, "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %zu\r\n\r\n", strlen(page));
        netconn_write(c, hdr, strlen(hdr), NETCONN_COPY);
        netconn_write(c, page, strlen(page), NETCONN_NOCOPY);
    }
}

int main(int argc, char **argv)
{
    static struct netif netif;
    unsigned a, b, c;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2 || sscanf(argv[1], "%u.%u.%u", &a, &b, &c) != 3) {
        fprintf(stderr, "usage: netconn_http A.B.C [PORT]\n");
        return 2;
    }
    u16_t port = (u16_t)(argc > 2 ? atoi(argv[2]) : 80);
    sys_sem_new(&init_done, 0);
    tcpip_init(on_init, NULL);
    sys_arch_sem_wait(&init_done, 0);
    ip4_addr_t ip, mask, gw;
    IP4_ADDR(&ip, a, b, c, 2);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, a, b, c, 1);
    LOCK_TCPIP_CORE();
    netif_add(&netif, &ip, &mask, &gw, NULL, tapif_init, tcpip_input);
    netif_set_default(&netif);
    netif_set_up(&netif);
    UNLOCK_TCPIP_CORE();

    struct netconn *l = netconn_new(NETCONN_TCP);
    if (netconn_bind(l, IP_ADDR_ANY, port) != ERR_OK || netconn_listen(l) != ERR_OK) {
        fprintf(stderr, "bind/listen failed\n");
        return 1;
    }
    printf("serving http://%u.%u.%u.2:%u/\n", a, b, c, port);
    for (;;) {
        struct netconn *conn;
        if (netconn_accept(l, &conn) != ERR_OK)
            continue;
        serve(conn);
        netconn_close(conn);
        netconn_delete(conn);
    }
}
