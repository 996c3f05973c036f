/*
 * Bad input to the core/netif API: lwIP's return values, never a crash. Real lwIP aborts
 * (assertions) or exits on several of these cases, so this runs against smolwip only;
 * where lwIP 2.1.3 defines a result (LWIP_ERROR paths) we return that result.
 * Also: tens of thousands of corrupted and truncated frames (ARP, IPv4 TCP/UDP/ICMP, IPv6
 * ICMPv6/TCP, over- and undersized) handed to the stack through a driver's netif->input;
 * afterwards it still answers an ARP request.
 * And netif_add from a thread whose stack is smaller than smoltcp's interface state
 * (firmware tasks have a few KiB).
 * Run inside a network namespace (it attaches TAP devices).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/tcpip.h"
#include "lwip/netif.h"
#include "lwip/sys.h"
#include "lwip/pbuf.h"
#include "netif/tapif.h"
#include "netif/etharp.h"
#include "lwip/sockets.h"
#include <pthread.h>
#include <unistd.h>

static int failures;
#define CHECK(cond, what)                                                                        \
    do {                                                                                         \
        if (cond) {                                                                              \
            printf("ok   %s\n", what);                                                           \
        } else {                                                                                 \
            printf("FAIL %s\n", what);                                                           \
            failures++;                                                                          \
        }                                                                                        \
    } while (0)

static sys_sem_t done;
static void on_init(void *arg) { (void)arg; sys_sem_signal(&done); }

/* ---- a driver that only counts what the stack sends (and remembers ARP replies) ---- */
static volatile int sent_frames, arp_replies;

static err_t count_output(struct netif *nif, struct pbuf *p)
{
    (void)nif;
    u8_t h[22];
    sent_frames++;
    if (pbuf_copy_partial(p, h, sizeof h, 0) == sizeof h && h[12] == 0x08 && h[13] == 0x06 && h[21] == 2)
        arp_replies++;
    return ERR_OK;
}

static err_t counting_init(struct netif *nif)
{
    static const u8_t mac[6] = { 0x02, 0, 0, 0, 0x81, 0x02 };
    nif->name[0] = 'f';
    nif->name[1] = 'z';
    nif->mtu = 1500;
    nif->hwaddr_len = 6;
    memcpy(nif->hwaddr, mac, 6);
    nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    nif->linkoutput = count_output;
    nif->output = etharp_output;
    return ERR_OK;
}

static u32_t rnd_state = 0x2545f491;
static u32_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state;
}

/* Templates: Ethernet frames of the kinds the stack parses, to corrupt. */
static size_t template_frame(int kind, u8_t *f)
{
    static const u8_t us[6] = { 0x02, 0, 0, 0, 0x81, 0x02 }, them[6] = { 0x02, 0, 0, 0, 0x81, 0x01 };
    memset(f, 0, 1600);
    memcpy(f, kind == 0 ? (const u8_t *)"\xff\xff\xff\xff\xff\xff" : us, 6);
    memcpy(f + 6, them, 6);
    if (kind == 0) { /* ARP request: who has 192.168.81.2, tell 192.168.81.1 */
        static const u8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0x81, 1, 192, 168, 81, 1,
                                      0, 0, 0, 0, 0, 0, 192, 168, 81, 2 };
        f[12] = 0x08, f[13] = 0x06;
        memcpy(f + 14, arp, sizeof arp);
        return 60;
    }
    if (kind <= 3) { /* IPv4: TCP SYN to port 80, UDP to 7, ICMP echo */
        static const u8_t proto[4] = { 0, 6, 17, 1 };
        u8_t *ip = f + 14;
        f[12] = 0x08, f[13] = 0x00;
        ip[0] = 0x45, ip[3] = 60, ip[8] = 64, ip[9] = proto[kind];
        memcpy(ip + 12, "\xc0\xa8\x51\x01\xc0\xa8\x51\x02", 8);
        u8_t *l4 = ip + 20;
        if (kind == 1) {
            l4[0] = 0x9c, l4[1] = 0x40, l4[3] = 80, l4[12] = 0x50, l4[13] = 0x02, l4[14] = 0xff;
        } else if (kind == 2) {
            l4[1] = 9, l4[3] = 7, l4[5] = 40;
        } else {
            l4[0] = 8;
        }
        return 14 + 60;
    }
    /* IPv6: a neighbour solicitation and a TCP SYN */
    u8_t *ip = f + 14;
    f[12] = 0x86, f[13] = 0xdd;
    ip[0] = 0x60, ip[5] = kind == 4 ? 32 : 20, ip[6] = kind == 4 ? 58 : 6, ip[7] = 255;
    ip[8] = 0xfe, ip[9] = 0x80, ip[23] = 1;
    ip[24] = 0xfe, ip[25] = 0x80, ip[39] = 2;
    if (kind == 4) {
        ip[40] = 135;
        ip[48] = 0xfe, ip[49] = 0x80, ip[63] = 2;
        return 14 + 40 + 32;
    }
    ip[40] = 0x9c, ip[43] = 80, ip[52] = 0x50, ip[53] = 0x02;
    return 14 + 40 + 20;
}

/* A counting driver's netif at 192.168.SUBNET.2/24; the caller holds the core lock. */
static struct netif *add_counting(struct netif *nif, int subnet)
{
    ip4_addr_t ip, mask, gw;
    IP4_ADDR(&ip, 192, 168, subnet, 2);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, 192, 168, subnet, 1);
    return netif_add(nif, &ip, &mask, &gw, NULL, counting_init, tcpip_input);
}

static void *add_on_small_stack(void *arg)
{
    static struct netif s;
    LOCK_TCPIP_CORE();
    struct netif *n = add_counting(&s, 82);
    if (n)
        netif_remove(n);
    UNLOCK_TCPIP_CORE();
    *(int *)arg = n == &s;
    return NULL;
}

static void small_stack(void)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 48 * 1024);
    pthread_t t;
    int added = 0;
    CHECK(pthread_create(&t, &attr, add_on_small_stack, &added) == 0 && pthread_join(t, NULL) == 0 && added,
          "netif_add and netif_remove from a thread with a 48 KiB stack");
}

static void corrupted_frames(void)
{
    static struct netif fz;
    LOCK_TCPIP_CORE();
    struct netif *n = add_counting(&fz, 81);
    if (n) {
        netif_set_up(n);
        netif_create_ip6_linklocal_address(n, 1);
    }
    UNLOCK_TCPIP_CORE();
    CHECK(n == &fz, "netif_add of a counting driver");
    if (!n)
        return;
    /* Something to receive: a TCP listener on port 80 (IPv4 and IPv6) and UDP port 7. */
    int tl = lwip_socket(AF_INET6, SOCK_STREAM, 0), ul = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in6 a6;
    memset(&a6, 0, sizeof a6);
    a6.sin6_family = AF_INET6;
    a6.sin6_port = lwip_htons(80);
    struct sockaddr_in a4;
    memset(&a4, 0, sizeof a4);
    a4.sin_family = AF_INET;
    a4.sin_port = lwip_htons(7);
    CHECK(lwip_bind(tl, (struct sockaddr *)&a6, sizeof a6) == 0 && lwip_listen(tl, 4) == 0 &&
              lwip_bind(ul, (struct sockaddr *)&a4, sizeof a4) == 0,
          "a TCP listener and a UDP socket to aim the frames at");
    static u8_t f[1600];
    int handed = 0, refused = 0;
    for (int i = 0; i < 30000; i++) {
        size_t len = template_frame((int)(rnd() % 6), f);
        for (int k = (int)(rnd() % 8); k >= 0; k--)
            f[rnd() % len] = (u8_t)rnd();
        switch (rnd() % 4) {
        case 0: len = rnd() % (len + 1); break;  /* truncated, down to nothing */
        case 1: len += rnd() % (1600 - len); break; /* padded, up to over the MTU */
        default: break;
        }
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
        if (!p)
            continue;
        pbuf_take(p, f, (u16_t)len);
        if (n->input(p, n) == ERR_OK)
            handed++;
        else {
            pbuf_free(p);
            refused++;
        }
        if (i % 500 == 0)
            usleep(2000); /* let the tcpip thread keep up */
    }
    usleep(300 * 1000);
    printf("(%d corrupted frames handed in, %d refused by a full queue; the stack sent %d frames)\n", handed, refused,
           sent_frames);
    CHECK(sent_frames > 0, "some of the corrupted frames were still valid enough to be answered");
    int before = arp_replies;
    size_t len = template_frame(0, f);
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
    pbuf_take(p, f, (u16_t)len);
    if (n->input(p, n) != ERR_OK)
        pbuf_free(p);
    for (int t = 0; t < 50 && arp_replies == before; t++)
        usleep(20 * 1000);
    CHECK(arp_replies > before, "after the corrupted frames the stack still answers an ARP request");
    lwip_close(tl);
    lwip_close(ul);
    LOCK_TCPIP_CORE();
    netif_remove(n);
    UNLOCK_TCPIP_CORE();
}

int main(void)
{
    static struct netif a, b;
    ip4_addr_t ip, mask, gw;
    char name[NETIF_NAMESIZE];

    setvbuf(stdout, NULL, _IOLBF, 0);
    CHECK(sys_sem_new(NULL, 0) == ERR_ARG, "sys_sem_new(NULL) gives ERR_ARG");
    sys_sem_new(&done, 0);
    tcpip_init(on_init, NULL);
    sys_arch_sem_wait(&done, 0);

    IP4_ADDR(&ip, 192, 168, 80, 2);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, 192, 168, 80, 1);

    CHECK(netif_add(NULL, &ip, &mask, &gw, NULL, tapif_init, tcpip_input) == NULL, "netif_add(NULL netif) gives NULL");
    CHECK(netif_add(&a, &ip, &mask, &gw, NULL, NULL, tcpip_input) == NULL, "netif_add without init function gives NULL");

    setenv("PRECONFIGURED_TAPIF", "no/such/tap", 1);
    CHECK(netif_add(&a, &ip, &mask, &gw, NULL, tapif_init, tcpip_input) == NULL,
          "tapif_init on an impossible device name: netif_add gives NULL (lwIP exits)");
    CHECK(netif_list == NULL, "a failed netif_add leaves netif_list empty");

    setenv("PRECONFIGURED_TAPIF", "tap0", 1);
    CHECK(netif_add(&a, &ip, &mask, &gw, NULL, tapif_init, tcpip_input) == &a, "netif_add on tap0 works");
    CHECK(netif_add(&a, &ip, &mask, &gw, NULL, tapif_init, tcpip_input) == NULL,
          "adding the same netif twice gives NULL (lwIP asserts)");
    CHECK(netif_list == &a && a.next == NULL, "netif_list unchanged by the second add");

    /* NULL everywhere: nothing happens, nothing crashes */
    netif_set_up(NULL);
    netif_set_down(NULL);
    netif_set_link_up(NULL);
    netif_set_link_down(NULL);
    netif_set_addr(NULL, &ip, &mask, &gw);
    netif_set_ipaddr(NULL, &ip);
    netif_remove(NULL);
    netif_remove(&b); /* never added */
    CHECK(netif_find(NULL) == NULL, "netif_find(NULL) gives NULL");
    CHECK(netif_find("x") == NULL, "netif_find(\"x\") gives NULL");
    CHECK(netif_get_by_index(0) == NULL, "netif_get_by_index(NETIF_NO_INDEX) gives NULL");
    CHECK(netif_get_by_index(200) == NULL, "netif_get_by_index(200) gives NULL");
    CHECK(netif_index_to_name(0, name) == NULL, "netif_index_to_name(0) gives NULL");
    CHECK(netif_name_to_index("zz9") == NETIF_NO_INDEX, "netif_name_to_index of an unknown name gives 0");
    CHECK(netif_get_ip6_addr_match(NULL, NULL) == -1, "netif_get_ip6_addr_match(NULL) gives -1");
    CHECK(tcpip_input(NULL, &a) == ERR_VAL, "tcpip_input(NULL pbuf) gives ERR_VAL");
    struct pbuf *p = pbuf_alloc(PBUF_RAW, 60, PBUF_RAM);
    CHECK(tcpip_input(p, NULL) == ERR_VAL, "tcpip_input(NULL netif) gives ERR_VAL");
    pbuf_free(p);
    CHECK(tcpip_callback(NULL, NULL) == ERR_VAL, "tcpip_callback(NULL) gives ERR_VAL");
    CHECK(tcpip_callbackmsg_new(NULL, NULL) == NULL, "tcpip_callbackmsg_new(NULL) gives NULL");

    /* removal: the list and the default follow */
    netif_set_default(&a);
    netif_set_up(&a);
    netif_remove(&a);
    CHECK(netif_list == NULL && netif_default == NULL, "netif_remove clears netif_list and netif_default");
    /* tapif has no teardown (as in lwIP): tap0 stays attached, so re-add on a new device */
    setenv("PRECONFIGURED_TAPIF", "tap1", 1);
    CHECK(netif_add(&a, &ip, &mask, &gw, NULL, tapif_init, tcpip_input) == &a, "the removed netif can be added again");
    CHECK(netif_list == &a && a.num == 1, "the re-added netif is listed with the next number");

    small_stack();
    corrupted_frames();

    printf("%d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
    return failures ? 1 : 0;
}
