/*
 * Bad input to the core/netif API: lwIP's return values, never a crash. Real lwIP aborts
 * (assertions) or exits on several of these cases, so this runs against smolwip only;
 * where lwIP 2.1.3 defines a result (LWIP_ERROR paths) we return that result.
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

    printf("%d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
    return failures ? 1 : 0;
}
