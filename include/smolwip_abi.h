/*
 * smolwip ABI wrapper: the lwIP headers of the active profile, as a caller compiles them.
 *
 * build.rs runs bindgen on this file, so every struct layout, constant, errno and
 * err_t value the library uses comes from the same headers the application uses.
 * abi-tests/abi_check.c includes it too, to check the library's view from C.
 */
#ifndef SMOLWIP_ABI_H
#define SMOLWIP_ABI_H

#include <stddef.h>

#include "lwip/opt.h"

#ifdef SMOLWIP_BINDGEN
#define SMOLWIP_LAYOUT(rs, ctype) enum { SMOLWIP_L__##rs = sizeof(ctype) };
#define SMOLWIP_FIELD(rs, ctype, f) enum { SMOLWIP_F__##rs##__##f = offsetof(ctype, f) };
#define SMOLWIP_CONST(name, rstype) enum { SMOLWIP_C__##name = (name) };
#define SMOLWIP_ITEMS_EARLY
#include "smolwip_abi_items.h"
#undef SMOLWIP_ITEMS_EARLY
#endif

#include "lwip/arch.h"
#include "lwip/err.h"
#include "lwip/def.h"
#include "lwip/sys.h"
#include "lwip/mem.h"
#include "lwip/pbuf.h"
#include "lwip/ip_addr.h"
#include "lwip/ip4_addr.h"
#include "lwip/ip6_addr.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include "lwip/priv/tcpip_priv.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/timeouts.h"
#include "lwip/init.h"
#include "lwip/inet.h"
#include "lwip/api.h"
#include "lwip/netbuf.h"
#include "lwip/sockets.h"
#include "lwip/netdb.h"
#include "lwip/ip.h"
#include "lwip/if_api.h"
#include "lwip/errno.h"
#include "lwip/dns.h"
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#if LWIP_IPV6
#include "lwip/nd6.h"
#include "lwip/priv/nd6_priv.h"
#endif
#include "netif/ethernet.h"
#include "netif/etharp.h"
#if defined(__has_include)
#if __has_include("netif/tapif.h")
#include "netif/tapif.h"
#endif
#endif

#if LWIP_SOCKET && LWIP_SOCKET_POLL && LWIP_SOCKET_EXTERNAL_HEADERS
#include <poll.h>
#endif
#if LWIP_SOCKET_EXTERNAL_HEADERS
#include <netinet/in.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <netdb.h>
#endif

/* ESP-IDF's port: the socket VFS registration (idf-port's smolwip_vfs.c defines it). */
#if defined(__has_include)
#if __has_include("arch/vfs_lwip.h")
#include "arch/vfs_lwip.h"
#endif
#endif

/* ESP-NETIF: ESP-IDF's headers on target, smolwip's host edition on a host profile. */
#if defined(__has_include)
#if __has_include("esp_netif.h")
#include "esp_netif.h"
#include "esp_event.h"
/* ESP-IDF declares the calls between esp_netif and its stack in two more headers (the host
 * edition has them in esp_netif.h); the private one is in esp_netif's private_include. */
#if __has_include("esp_netif_net_stack.h")
#include "esp_netif_net_stack.h"
#endif
#if __has_include("esp_netif_private.h")
#include "esp_netif_private.h"
#endif
#define SMOLWIP_ESP_NETIF 1
/* ESP-IDF v5 takes a non-const pointer here, v6 a const one. */
#define SMOLWIP_ESP_NETIF_IP6_TYPE_CONST \
    __builtin_types_compatible_p(__typeof__(&esp_netif_ip6_get_addr_type), \
                                 esp_ip6_addr_type_t (*)(const esp_ip6_addr_t *))
#endif
#endif
#ifndef SMOLWIP_ESP_NETIF
#define SMOLWIP_ESP_NETIF 0
#endif
#ifndef SMOLWIP_ESP_NETIF_HOST_HEADERS
#define SMOLWIP_ESP_NETIF_HOST_HEADERS 0
#endif

/* Whether the profile's socket headers define the IPv6 multicast sending options (lwIP
 * 2.1.3's own headers do not; the system's and ESP-IDF's do). */
#if defined(IPV6_MULTICAST_IF) && defined(IPV6_MULTICAST_HOPS) && defined(IPV6_MULTICAST_LOOP)
#define SMOLWIP_IPV6_MULTICAST_OPTIONS 1
#else
#define SMOLWIP_IPV6_MULTICAST_OPTIONS 0
#endif

/* Whether fd_set is lwIP's own (its FD_SET numbers sockets from LWIP_SOCKET_OFFSET) or the
 * system's (numbered from 0). */
#if defined(FDSETSAFESET)
#define SMOLWIP_LWIP_FD_SET 1
#else
#define SMOLWIP_LWIP_FD_SET 0
#endif

#ifdef SMOLWIP_BINDGEN
#include "smolwip_abi_items.h"
/* newlib spells its fd_set as a macro for struct _types_fd_set, which bindgen does not see:
 * give the type its name back (only in bindgen's pass, after every use of the macro). */
#ifdef fd_set
typedef fd_set smolwip_sys_fd_set;
#undef fd_set
typedef smolwip_sys_fd_set fd_set;
#endif
#undef SMOLWIP_LAYOUT
#undef SMOLWIP_FIELD
#undef SMOLWIP_CONST
#endif

#endif /* SMOLWIP_ABI_H */
