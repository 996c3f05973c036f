/*
 * An ESP-IDF style network application on smolwip's esp_netif, on a Linux host: the
 * interface is created with esp_netif_new + esp_netif_attach on the TAP I/O driver of
 * tap_driver.c, gets its address by DHCP from the kernel side's dnsmasq (or statically),
 * resolves a name through that server's DNS and serves HTTP over BSD sockets to curl.
 * Bad input (NULL handles, receive before attach, a driver whose transmit fails, a receive
 * flood faster than the stack drains) is tried on the way, and every driver buffer is
 * accounted for at the end.
 *
 *   app PREFIX dhcp|static     serves http://ADDRESS/ (/, /big: 1 MiB, /quit)
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "esp_event.h"
#include "esp_netif.h"
#include "lwip/netdb.h"
#include "lwip/sockets.h"
#include "lwip/tcpip.h"
#include "smolwip.h"
#include "tap_driver.h"

static int failures;
#define CHECK(cond, ...)                              \
    do {                                              \
        int ok_ = (cond);                             \
        printf("%s ", ok_ ? "ok  " : "FAIL");         \
        printf(__VA_ARGS__);                          \
        printf("\n");                                 \
        fflush(stdout);                               \
        if (!ok_)                                     \
            failures++;                               \
    } while (0)

/* The application's event loop, reduced to what the test needs: the stack posts
 * IP_EVENTs here (smolwip's host build calls a program's esp_event_post). */
static atomic_int got_ip_events, lost_ip_events, got_ip6_events, got_ip6_global;
static ip_event_got_ip_t last_got_ip;
static ip_event_got_ip6_t last_got_ip6_ll, last_got_ip6_global;
esp_err_t esp_event_post(esp_event_base_t base, int32_t id, const void *data, size_t size, uint32_t ticks)
{
    (void)ticks;
    if (base == IP_EVENT && id == IP_EVENT_GOT_IP6 && size == sizeof(ip_event_got_ip6_t)) {
        const ip_event_got_ip6_t *e = data;
        if (esp_netif_ip6_get_addr_type((esp_ip6_addr_t *)&e->ip6_info.ip) == ESP_IP6_ADDR_IS_LINK_LOCAL) {
            last_got_ip6_ll = *e;
        } else {
            last_got_ip6_global = *e;
            atomic_fetch_add(&got_ip6_global, 1);
        }
        atomic_fetch_add(&got_ip6_events, 1);
        return ESP_OK;
    }
    if (base != IP_EVENT || size != sizeof(ip_event_got_ip_t))
        return ESP_ERR_INVALID_ARG;
    if (id == IP_EVENT_ETH_GOT_IP) {
        memcpy(&last_got_ip, data, size);
        atomic_fetch_add(&got_ip_events, 1);
    } else if (id == IP_EVENT_ETH_LOST_IP) {
        atomic_fetch_add(&lost_ip_events, 1);
    }
    return ESP_OK;
}

/* IPv6 as an ESP-IDF application sees it: esp_netif_create_ip6_linklocal (what the
 * "connected" handlers do) posts IP_EVENT_GOT_IP6 for the link-local address; with the
 * default flags (IPv6 autoconfiguration on), the router advertisement of the kernel side
 * (dnsmasq) gives a global address, posted the same way. */
static int wait_for(atomic_int *counter, int at_least, double secs);
static void ipv6(esp_netif_t *netif, const char *prefix)
{
    unsigned b = 0;
    sscanf(prefix, "%*u.%u", &b);
    CHECK(esp_netif_create_ip6_linklocal(netif) == ESP_OK, "esp_netif_create_ip6_linklocal");
    CHECK(wait_for(&got_ip6_events, 1, 2) && last_got_ip6_ll.esp_netif == netif && last_got_ip6_ll.ip_index == 0,
          "IP_EVENT_GOT_IP6 for the link-local address (ip_index 0)");
    esp_ip6_addr_t ll, global;
    CHECK(esp_netif_get_ip6_linklocal(netif, &ll) == ESP_OK && memcmp(&ll, &last_got_ip6_ll.ip6_info.ip, 16) == 0,
          "esp_netif_get_ip6_linklocal agrees with the event");
    CHECK(wait_for(&got_ip6_global, 1, 15), "IP_EVENT_GOT_IP6 for an address from the router advertisement");
    char text[64] = "?", want[32];
    lwip_inet_ntop(AF_INET6, &last_got_ip6_global.ip6_info.ip, text, sizeof text);
    /* the script gives tap0 fd00:B::1/64, B written as in the IPv4 prefix */
    snprintf(want, sizeof want, "fd00:%u::", b);
    CHECK(strncasecmp(text, want, strlen(want)) == 0 && last_got_ip6_global.ip_index > 0 &&
              memcmp((char *)&last_got_ip6_global.ip6_info.ip + 8, (char *)&ll + 8, 8) == 0,
          "  %s: the advertised prefix, the link-local interface id, slot %d", text, last_got_ip6_global.ip_index);
    CHECK(esp_netif_get_ip6_global(netif, &global) == ESP_OK && memcmp(&global, &last_got_ip6_global.ip6_info.ip, 16) == 0,
          "esp_netif_get_ip6_global agrees with the event");
    esp_ip6_addr_t all[LWIP_IPV6_NUM_ADDRESSES];
    CHECK(esp_netif_get_all_ip6(netif, all) == 2, "esp_netif_get_all_ip6: the two addresses");
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int wait_for(atomic_int *counter, int at_least, double secs)
{
    for (double end = now() + secs; now() < end; usleep(10 * 1000))
        if (atomic_load(counter) >= at_least)
            return 1;
    return 0;
}

static const char *ip4(esp_ip4_addr_t a, char *buf)
{
    return esp_ip4addr_ntoa(&a, buf, IP4ADDR_STRLEN_MAX);
}

static void bad_input_without_driver(void)
{
    char junk[60] = { 0 };
    CHECK(esp_netif_receive(NULL, junk, sizeof junk, NULL) == ESP_ERR_ESP_NETIF_INVALID_PARAMS,
          "esp_netif_receive(NULL) refused, buffer stays the caller's");
    CHECK(esp_netif_new(NULL) == NULL, "esp_netif_new(NULL) gives NULL");
    CHECK(esp_netif_attach(NULL, junk) == ESP_ERR_ESP_NETIF_INVALID_PARAMS, "esp_netif_attach(NULL) refused");
    CHECK(esp_netif_transmit(NULL, junk, sizeof junk) == ESP_ERR_ESP_NETIF_INVALID_PARAMS, "esp_netif_transmit(NULL) refused");
    esp_netif_ip_info_t info;
    CHECK(esp_netif_get_ip_info(NULL, &info) == ESP_ERR_INVALID_ARG, "esp_netif_get_ip_info(NULL) refused");
    CHECK(esp_netif_dhcpc_start(NULL) == ESP_ERR_INVALID_ARG, "esp_netif_dhcpc_start(NULL) refused");
    CHECK(esp_netif_set_link_speed(NULL, 100000000) == ESP_ERR_INVALID_ARG, "esp_netif_set_link_speed(NULL) refused");
    esp_netif_destroy(NULL);
    esp_netif_free_rx_buffer(NULL, junk);
    CHECK(1, "esp_netif_destroy(NULL), esp_netif_free_rx_buffer(NULL) are no-ops");

    /* An interface without a driver cannot take (nor give back) a buffer. */
    esp_netif_inherent_config_t base = ESP_NETIF_INHERENT_DEFAULT_ETH();
    base.if_key = "NODRIVER";
    esp_netif_config_t cfg = { .base = &base, .stack = ESP_NETIF_NETSTACK_DEFAULT_ETH };
    esp_netif_t *n = esp_netif_new(&cfg);
    CHECK(n != NULL, "a second interface without a driver");
    CHECK(esp_netif_receive(n, junk, sizeof junk, NULL) == ESP_ERR_ESP_NETIF_IF_NOT_READY,
          "receive before attach: ESP_ERR_ESP_NETIF_IF_NOT_READY");
    CHECK(esp_netif_transmit(n, junk, sizeof junk) == ESP_ERR_ESP_NETIF_IF_NOT_READY,
          "transmit before attach: ESP_ERR_ESP_NETIF_IF_NOT_READY");
    CHECK(esp_netif_up(n) == ESP_ERR_ESP_NETIF_IF_NOT_READY, "up before start: ESP_ERR_ESP_NETIF_IF_NOT_READY");
    esp_netif_destroy(n);
}

/* Frames the driver "receives" faster than the stack can drain them: the tcpip thread is
 * kept out (core lock held) while 3000 frames arrive. The queue takes what it holds, the
 * rest is dropped and counted, and every buffer goes back to the driver. */
static void receive_flood(esp_netif_t *netif, my_netif_driver_t *driver, const uint8_t mac[6])
{
    struct smolwip_proto_stats before, after;
    smolwip_stats_protocols(&before);
    long freed0 = atomic_load(&driver->h->rx_freed);
    const int flood = 3000;
    int refused = 0;
    LOCK_TCPIP_CORE();
    for (int i = 0; i < flood; i++) {
        uint8_t *f = calloc(1, 60);
        memcpy(f, mac, 6);
        f[6] = 0x02;
        f[12] = 0x88; /* a local experimental EtherType: nothing to answer */
        f[13] = 0xb5;
        atomic_fetch_add(&driver->h->rx_allocated, 1);
        if (esp_netif_receive(netif, f, 60, NULL) != ESP_OK)
            refused++;
    }
    UNLOCK_TCPIP_CORE();
    for (double end = now() + 10; now() < end && atomic_load(&driver->h->rx_freed) - freed0 < flood; usleep(10000)) {
    }
    smolwip_stats_protocols(&after);
    long dropped = (long)(after.rx_queue_dropped - before.rx_queue_dropped);
    CHECK(refused > 0 && dropped == refused, "receive flood of %d frames: %s dropped and counted", flood,
          refused > 0 && dropped == refused ? "the overflow was" : "NOT");
    CHECK(atomic_load(&driver->h->rx_freed) - freed0 >= flood, "every flooded buffer went back to the driver");
}

static void transmit_failure(my_netif_driver_t *driver)
{
    atomic_store(&driver->h->fail_tx, 1);
    int s = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = lwip_htons(9) };
    to.sin_addr.s_addr = last_got_ip.ip_info.gw.addr;
    int sent = 0;
    for (int i = 0; i < 5; i++)
        sent += lwip_sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof to) == 1;
    usleep(100 * 1000);
    atomic_store(&driver->h->fail_tx, 0);
    lwip_close(s);
    CHECK(atomic_load(&driver->h->tx_refused) > 0, "driver transmit failing: the stack carried on (%d sends returned)", sent);
}

static void resolve(const char *prefix)
{
    struct addrinfo *res = NULL, hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
    int err = lwip_getaddrinfo("peer.smolwip.test", "80", &hints, &res);
    char want[32], got[32] = "?";
    snprintf(want, sizeof want, "%s.1", prefix);
    if (err == 0 && res)
        lwip_inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, got, sizeof got);
    CHECK(err == 0 && strcmp(got, want) == 0, "peer.smolwip.test resolved through the server's DNS (dnsmasq): %s", got);
    if (res)
        lwip_freeaddrinfo(res);
}

static void serve(const char *addr)
{
    int l = lwip_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = lwip_htons(80) };
    lwip_bind(l, (struct sockaddr *)&a, sizeof a);
    lwip_listen(l, 4);
    printf("serving on http://%s/\n", addr);
    fflush(stdout);
    static char big[1 << 20];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i % 251);
    for (;;) {
        int c = lwip_accept(l, NULL, NULL);
        if (c < 0)
            continue;
        char req[512] = "";
        int n = lwip_recv(c, req, sizeof req - 1, 0);
        const char *body = "hello from esp_netif\n";
        size_t len = strlen(body);
        int quit = n > 0 && strncmp(req, "GET /quit", 9) == 0;
        if (n > 0 && strncmp(req, "GET /big", 8) == 0) {
            body = big;
            len = sizeof big;
        }
        char head[128];
        int h = snprintf(head, sizeof head, "HTTP/1.0 200 OK\r\nContent-Length: %zu\r\n\r\n", len);
        lwip_send(c, head, (size_t)h, 0);
        for (size_t off = 0; off < len;) {
            int w = lwip_send(c, body + off, len - off, 0);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        lwip_close(c);
        if (quit)
            break;
    }
    lwip_close(l);
}

int main(int argc, char **argv)
{
    const char *prefix = argc > 1 ? argv[1] : "10.96.0";
    int dhcp = argc > 2 && strcmp(argv[2], "dhcp") == 0;
    char buf[IP4ADDR_STRLEN_MAX], want[32];

    bad_input_without_driver();
    CHECK(esp_netif_init() == ESP_OK, "esp_netif_init");

    esp_netif_inherent_config_t base = ESP_NETIF_INHERENT_DEFAULT_ETH();
    const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
    memcpy(base.mac, mac, 6);
    esp_netif_config_t cfg = { .base = &base, .stack = ESP_NETIF_NETSTACK_DEFAULT_ETH };
    esp_netif_t *netif = esp_netif_new(&cfg);
    CHECK(netif != NULL, "esp_netif_new (Ethernet defaults, if_key %s)", esp_netif_get_ifkey(netif));
    CHECK(esp_netif_new(&cfg) == NULL, "a second interface with the same if_key is refused");
    CHECK(esp_netif_get_handle_from_ifkey("ETH_DEF") == netif, "esp_netif_get_handle_from_ifkey");

    my_netif_driver_t *driver = tap_driver_new("tap0");
    CHECK(driver != NULL, "TAP I/O driver");
    if (!driver)
        return 1;
    CHECK(esp_netif_attach(netif, driver) == ESP_OK, "esp_netif_attach (post_attach registered the data path)");
    CHECK(esp_netif_get_io_driver(netif) == driver->h, "esp_netif_get_io_driver gives the driver's handle");
    CHECK(esp_netif_start(netif) == ESP_OK, "esp_netif_start");
    CHECK(esp_netif_set_link_speed(netif, 100000000) == ESP_OK, "esp_netif_set_link_speed (esp_eth's glue calls it at link up)");
    void *impl = esp_netif_get_netif_impl(netif);
    CHECK(impl && esp_netif_get_handle_from_netif_impl(impl) == netif && esp_netif_get_netif_impl_index(netif) > 0,
          "netif impl and index round-trip");

    esp_netif_dhcp_status_t st;
    if (dhcp) {
        esp_netif_dhcpc_get_status(netif, &st);
        CHECK(st == ESP_NETIF_DHCP_INIT, "DHCP client in INIT before the link is up");
        /* What esp_netif_action_connected does for a DHCP interface. */
        CHECK(esp_netif_up(netif) == ESP_OK, "esp_netif_up");
        CHECK(esp_netif_dhcpc_start(netif) == ESP_OK, "esp_netif_dhcpc_start");
        CHECK(esp_netif_dhcpc_start(netif) == ESP_ERR_ESP_NETIF_DHCP_ALREADY_STARTED, "a second start: ALREADY_STARTED");
        CHECK(wait_for(&got_ip_events, 1, 15), "IP_EVENT_ETH_GOT_IP posted once the lease arrived");
        CHECK(last_got_ip.esp_netif == netif && last_got_ip.ip_changed, "the event names the interface, ip_changed set");
        snprintf(want, sizeof want, "%s.", prefix);
        ip4(last_got_ip.ip_info.ip, buf);
        CHECK(strncmp(buf, want, strlen(want)) == 0 && atoi(buf + strlen(want)) >= 50 && atoi(buf + strlen(want)) <= 60,
              "leased address from the server's pool");
    } else {
        CHECK(esp_netif_dhcpc_stop(netif) == ESP_OK, "esp_netif_dhcpc_stop (static address)");
        CHECK(esp_netif_dhcpc_stop(netif) == ESP_ERR_ESP_NETIF_DHCP_ALREADY_STOPPED, "a second stop: ALREADY_STOPPED");
        CHECK(esp_netif_up(netif) == ESP_OK, "esp_netif_up");
        esp_netif_ip_info_t info = { 0 };
        char a[32], g[32];
        snprintf(a, sizeof a, "%s.9", prefix);
        snprintf(g, sizeof g, "%s.1", prefix);
        info.ip.addr = esp_ip4addr_aton(a);
        info.gw.addr = esp_ip4addr_aton(g);
        esp_netif_set_ip4_addr(&info.netmask, 255, 255, 255, 0);
        CHECK(esp_netif_is_valid_static_ip(&info), "esp_netif_is_valid_static_ip");
        CHECK(esp_netif_set_ip_info(netif, &info) == ESP_OK, "esp_netif_set_ip_info %s", a);
        CHECK(wait_for(&got_ip_events, 1, 2), "IP_EVENT_ETH_GOT_IP posted for the static address");
        esp_netif_dns_info_t dns = { .ip = { .type = ESP_IPADDR_TYPE_V4 } };
        dns.ip.u_addr.ip4.addr = esp_ip4addr_aton(g);
        CHECK(esp_netif_set_dns_info(netif, ESP_NETIF_DNS_MAIN, &dns) == ESP_OK, "esp_netif_set_dns_info");
    }
    esp_netif_ip_info_t info;
    CHECK(esp_netif_get_ip_info(netif, &info) == ESP_OK && info.ip.addr == last_got_ip.ip_info.ip.addr,
          "esp_netif_get_ip_info agrees with the event");
    snprintf(want, sizeof want, "%s.1", prefix);
    CHECK(strcmp(ip4(info.gw, buf), want) == 0, "gateway %s", buf);
    CHECK(strcmp(ip4(info.netmask, buf), "255.255.255.0") == 0, "netmask %s", buf);
    esp_netif_dns_info_t dns;
    CHECK(esp_netif_get_dns_info(netif, ESP_NETIF_DNS_MAIN, &dns) == ESP_OK &&
              strcmp(ip4(dns.ip.u_addr.ip4, buf), want) == 0,
          "main DNS server %s", buf);
    CHECK(esp_netif_is_netif_up(netif), "esp_netif_is_netif_up");
    ipv6(netif, prefix);

    resolve(prefix);
    transmit_failure(driver);
    receive_flood(netif, driver, mac);

    ip4(info.ip, buf);
    serve(buf);

    CHECK(esp_netif_down(netif) == ESP_OK, "esp_netif_down");
    if (dhcp)
        CHECK(wait_for(&lost_ip_events, 1, 2), "IP_EVENT_ETH_LOST_IP posted when the DHCP interface went down");
    CHECK(esp_netif_stop(netif) == ESP_ERR_ESP_NETIF_IF_NOT_READY, "esp_netif_stop of a down interface: IF_NOT_READY (ESP-IDF)");
    tap_driver_stop(driver);
    usleep(200 * 1000);
    long allocated = atomic_load(&driver->h->rx_allocated), freed = atomic_load(&driver->h->rx_freed);
    CHECK(allocated == freed, "driver buffers: %ld handed to the stack, %ld given back", allocated, freed);
    CHECK(atomic_load(&driver->h->tx_frames) > 0, "frames transmitted through the driver: %ld", atomic_load(&driver->h->tx_frames));
    esp_netif_destroy(netif);
    printf("%d failed\n", failures);
    return failures != 0;
}
