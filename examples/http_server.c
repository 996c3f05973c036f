/*
 * A small HTTP/1.0 server over lwIP's BSD sockets, as an lwIP application writes one:
 *   GET /bytes/N    N bytes of a fixed pseudo-random stream (the client checks its sha256)
 *   POST /echo      the request body, echoed back
 *   GET /           a short text page
 * One thread per connection. Brings the stack up on a TAP device like lwIP's unix port
 * (tapif_init, PRECONFIGURED_TAPIF) and serves until killed.
 * Usage: http_server A.B.C [PORT]   (the stack takes A.B.C.2/24, gateway A.B.C.1)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/netif.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "netif/tapif.h"

static sys_sem_t init_done;
static void on_init(void *arg)
{
    (void)arg;
    sys_sem_signal(&init_done);
}

/* The byte stream GET /bytes/N sends: a 32-bit LCG, low byte of each step. */
static void fill(unsigned char *buf, size_t n, unsigned *state)
{
    for (size_t i = 0; i < n; i++) {
        *state = *state * 1103515245u + 12345u;
        buf[i] = (unsigned char)(*state >> 16);
    }
}

static int send_all(int s, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = lwip_send(s, p, len, 0);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void *serve(void *arg)
{
    int s = (int)(long)arg;
    static __thread char buf[65536];
    size_t have = 0;
    char *end = NULL;
    /* read the request head */
    while (have < sizeof buf - 1 && (end = strstr(buf, "\r\n\r\n")) == NULL) {
        ssize_t n = lwip_recv(s, buf + have, sizeof buf - 1 - have, 0);
        if (n <= 0)
            goto out;
        have += (size_t)n;
        buf[have] = 0;
    }
    if (end == NULL)
        goto out;
    size_t head = (size_t)(end + 4 - buf);
    char method[8] = "", path[256] = "";
    sscanf(buf, "%7s %255s", method, path);
    char hdr[256];
    if (strcmp(method, "GET") == 0 && strncmp(path, "/bytes/", 7) == 0) {
        unsigned long n = strtoul(path + 7, NULL, 10);
        snprintf(hdr, sizeof hdr, "HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %lu\r\n\r\n", n);
        if (send_all(s, hdr, strlen(hdr)) != 0)
            goto out;
        unsigned state = 1;
        unsigned char chunk[16384];
        while (n > 0) {
            size_t k = n < sizeof chunk ? n : sizeof chunk;
            fill(chunk, k, &state);
            if (send_all(s, chunk, k) != 0)
                goto out;
            n -= k;
        }
    } else if (strcmp(method, "POST") == 0 && strcmp(path, "/echo") == 0) {
        char *cl = strstr(buf, "Content-Length:");
        if (cl == NULL)
            cl = strstr(buf, "content-length:");
        unsigned long len = cl ? strtoul(cl + 15, NULL, 10) : 0;
        snprintf(hdr, sizeof hdr, "HTTP/1.0 200 OK\r\nContent-Length: %lu\r\n\r\n", len);
        if (send_all(s, hdr, strlen(hdr)) != 0)
            goto out;
        size_t body = have - head;
        if (body > len)
            body = len;
        if (send_all(s, buf + head, body) != 0)
            goto out;
        len -= body;
        while (len > 0) {
            ssize_t n = lwip_recv(s, buf, len < sizeof buf ? len : sizeof buf, 0);
            if (n <= 0 || send_all(s, buf, (size_t)n) != 0)
                goto out;
            len -= (unsigned long)n;
        }
    } else if (strcmp(method, "GET") == 0 && strcmp(path, "/") == 0) {
        const char *page = "hello from lwIP's socket API\n";
        snprintf(hdr, sizeof hdr, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n", strlen(page));
        send_all(s, hdr, strlen(hdr));
        send_all(s, page, strlen(page));
    } else {
        const char *nf = "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        send_all(s, nf, strlen(nf));
    }
out:
    lwip_close(s);
    return NULL;
}

int main(int argc, char **argv)
{
    static struct netif netif;
    unsigned a, b, c;
    int port = argc > 2 ? atoi(argv[2]) : 80;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2 || sscanf(argv[1], "%u.%u.%u", &a, &b, &c) != 3) {
        fprintf(stderr, "usage: http_server A.B.C [PORT]\n");
        return 2;
    }
    sys_sem_new(&init_done, 0);
    tcpip_init(on_init, NULL);
    sys_arch_sem_wait(&init_done, 0);
    ip4_addr_t ip, mask, gw;
    IP4_ADDR(&ip, a, b, c, 2);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, a, b, c, 1);
    LOCK_TCPIP_CORE();
    if (netif_add(&netif, &ip, &mask, &gw, NULL, tapif_init, tcpip_input) == NULL) {
        UNLOCK_TCPIP_CORE();
        fprintf(stderr, "netif_add failed\n");
        return 1;
    }
    netif_set_default(&netif);
    netif_set_up(&netif);
    UNLOCK_TCPIP_CORE();

    int l = lwip_socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    lwip_setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = lwip_htons((u16_t)port);
    if (lwip_bind(l, (struct sockaddr *)&addr, sizeof addr) != 0 || lwip_listen(l, 8) != 0) {
        perror("bind/listen");
        return 1;
    }
    printf("serving http://%u.%u.%u.2:%d/\n", a, b, c, port);
    for (;;) {
        int s = lwip_accept(l, NULL, NULL);
        if (s < 0)
            continue;
        pthread_t t;
        if (pthread_create(&t, NULL, serve, (void *)(long)s) == 0)
            pthread_detach(t);
        else
            lwip_close(s);
    }
}
