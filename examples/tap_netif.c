/*
 * The lwIP unix example's bring-up, over a TAP device the kernel sees:
 *   tcpip_init(); netif_add(&netif, ip, mask, gw, NULL, tapif_init, tcpip_input);
 *   netif_set_default(); netif_set_up(); netif_create_ip6_linklocal_address();
 * prints what callers read from struct netif, says "ready", then serves until stdin closes.
 * Used by `make demo` (examples/demo.sh) and by the differential test
 * abi-tests/diff/netif_tap.sh (ping and neighbour checks from the kernel side).
 * Usage: tap_netif A.B.C   (the stack takes A.B.C.2/24, gateway A.B.C.1)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lwip/tcpip.h"
#include "lwip/netif.h"
#include "lwip/ip_addr.h"
#include "lwip/sys.h"
#include "netif/tapif.h"

static sys_sem_t init_done;

static void on_init(void *arg)
{
    (void)arg;
    sys_sem_signal(&init_done);
}

static void print_ip4(const char *what, const ip4_addr_t *a)
{
    const unsigned char *b = (const unsigned char *)&a->addr;
    printf("%s %u.%u.%u.%u\n", what, b[0], b[1], b[2], b[3]);
}

int main(int argc, char **argv)
{
    static struct netif netif;
    ip4_addr_t ip, mask, gw;
    unsigned a, b, c;
    char buf[64];

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2 || sscanf(argv[1], "%u.%u.%u", &a, &b, &c) != 3) {
        fprintf(stderr, "usage: tap_netif A.B.C\n");
        return 2;
    }
    if (sys_sem_new(&init_done, 0) != ERR_OK) {
        printf("sys_sem_new failed\n");
        return 1;
    }
    tcpip_init(on_init, NULL);
    sys_arch_sem_wait(&init_done, 0);
    printf("tcpip_init: done\n");

    IP4_ADDR(&ip, a, b, c, 2);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, a, b, c, 1);

    LOCK_TCPIP_CORE();
    struct netif *r = netif_add(&netif, &ip, &mask, &gw, NULL, tapif_init, tcpip_input);
    if (r == NULL) {
        UNLOCK_TCPIP_CORE();
        printf("netif_add: failed\n");
        return 1;
    }
    netif_set_default(&netif);
    netif_set_up(&netif);
    /* Debian's tapif does not set MLD6; without it lwIP joins no solicited-node group and
     * ignores neighbour solicitations for its link-local address. */
    netif_set_flags(&netif, NETIF_FLAG_MLD6);
    netif_create_ip6_linklocal_address(&netif, 1);

    printf("netif_add: %s\n", r == &netif ? "returned the netif" : "returned another pointer");
    printf("name %c%c num %u index %u\n", netif.name[0], netif.name[1], netif.num, netif_get_index(&netif));
    printf("hwaddr %02x:%02x:%02x:%02x:%02x:%02x len %u mtu %u\n", netif.hwaddr[0], netif.hwaddr[1],
           netif.hwaddr[2], netif.hwaddr[3], netif.hwaddr[4], netif.hwaddr[5], netif.hwaddr_len, netif.mtu);
    printf("flags up=%d link=%d broadcast=%d etharp=%d\n", netif_is_up(&netif) != 0, netif_is_link_up(&netif) != 0,
           (netif.flags & NETIF_FLAG_BROADCAST) != 0, (netif.flags & NETIF_FLAG_ETHARP) != 0);
    print_ip4("ip", netif_ip4_addr(&netif));
    print_ip4("netmask", netif_ip4_netmask(&netif));
    print_ip4("gw", netif_ip4_gw(&netif));
    printf("default is this netif: %s\n", netif_default == &netif ? "yes" : "no");
    printf("netif_find(\"tp%u\"): %s\n", netif.num, (snprintf(buf, sizeof buf, "tp%u", netif.num), netif_find(buf) == &netif) ? "found" : "missing");
    printf("netif_get_by_index: %s\n", netif_get_by_index(netif_get_index(&netif)) == &netif ? "found" : "missing");
    printf("netif_index_to_name: %s\n", netif_index_to_name(netif_get_index(&netif), buf) ? buf : "(null)");
    UNLOCK_TCPIP_CORE();

    /* lwIP runs duplicate address detection first; wait until the address is usable */
    for (int i = 0; i < 100 && !ip6_addr_isvalid(netif_ip6_addr_state(&netif, 0)); i++)
        usleep(50 * 1000);
    printf("ip6 link-local %s valid=%d\n", ip6addr_ntoa(netif_ip6_addr(&netif, 0)),
           ip6_addr_isvalid(netif_ip6_addr_state(&netif, 0)) != 0);

    printf("ready\n");
    while (fgets(buf, sizeof buf, stdin) != NULL) {
    }
    printf("stdin closed: exiting\n");
    return 0;
}
