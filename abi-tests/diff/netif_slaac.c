/*
 * IPv6 stateless address autoconfiguration from a real router (radvd on the kernel side):
 * nothing is configured while netif->ip6_autoconfig_enabled is off, even though router
 * advertisements arrive; once it is on, the next advertisement gives the netif an address
 * of the advertised prefix with the link-local address's interface identifier, in a
 * non-link-local slot, with the advertised lifetimes; the kernel reaches that address.
 */
#include "lib/diffstack.h"
#include "lwip/ip6_addr.h"

#define PREFIX "fd00:5ac"

static const char *state_name(u8_t s)
{
    if (s == IP6_ADDR_INVALID)
        return "INVALID";
    if (ip6_addr_istentative(s))
        return "TENTATIVE";
    if (s == IP6_ADDR_PREFERRED)
        return "PREFERRED";
    if (s == IP6_ADDR_DEPRECATED)
        return "DEPRECATED";
    return "?";
}

/* The slot holding an address of PREFIX::/64, or -1. */
static int prefix_slot(void)
{
    ip6_addr_t net;
    ip6addr_aton(PREFIX "::", &net);
    for (int i = 1; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
        const ip6_addr_t *a = netif_ip6_addr(&test_netif, i);
        if (!ip6_addr_isinvalid(netif_ip6_addr_state(&test_netif, i)) && a->addr[0] == net.addr[0] &&
            a->addr[1] == net.addr[1])
            return i;
    }
    return -1;
}

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.79.0");
    printf("autoconfig enabled after netif_add: %d\n", test_netif.ip6_autoconfig_enabled);
    FILE *r = peer_start("radvd " PREFIX " 16");
    peer_line(r);

    /* Advertisements arrive every 3-4 s (and in answer to a router solicitation). */
    sleep(5);
    printf("autoconfig off: address of the prefix: %d\n", prefix_slot() >= 0);

    struct netif *nif = &test_netif;
    LOCK_TCPIP_CORE();
    netif_set_ip6_autoconfig_enabled(nif, 1);
    UNLOCK_TCPIP_CORE();
    int i = -1;
    for (int t = 0; t < 100; t++) {
        i = prefix_slot();
        if (i >= 0 && ip6_addr_isvalid(netif_ip6_addr_state(&test_netif, i)))
            break;
        usleep(100 * 1000);
    }
    printf("autoconfig on: address of the prefix: %d\n", i >= 0);
    if (i < 0)
        return 1;
    const ip6_addr_t *a = netif_ip6_addr(&test_netif, i);
    const ip6_addr_t *ll = netif_ip6_addr(&test_netif, 0);
    printf("  state %s, interface id of the link-local address: %d\n", state_name(netif_ip6_addr_state(&test_netif, i)),
           a->addr[2] == ll->addr[2] && a->addr[3] == ll->addr[3]);
    u32_t valid = netif_ip6_addr_valid_life(&test_netif, i), pref = netif_ip6_addr_pref_life(&test_netif, i);
    printf("  valid lifetime in (590, 600]: %d, preferred in (290, 300]: %d\n", valid > 590 && valid <= 600,
           pref > 290 && pref <= 300);

    char text[IP6ADDR_STRLEN_MAX];
    ip6addr_ntoa_r(a, text, sizeof text);
    FILE *p = peer_start("ping6 %s", text);
    peer_wait(p);
    peer_wait(r);
    return 0;
}
