/* smolwip host headers: esp_netif's address types (ESP-IDF's esp_netif_ip_addr.h API). */
#ifndef SMOLWIP_HOST_ESP_NETIF_IP_ADDR_H
#define SMOLWIP_HOST_ESP_NETIF_IP_ADDR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Addresses are kept in network byte order, as in lwIP. */
#define esp_netif_htonl(x) __builtin_bswap32((uint32_t)(x))
#define esp_netif_ip4_makeu32(a, b, c, d) \
    (((uint32_t)((a) & 0xff) << 24) | ((uint32_t)((b) & 0xff) << 16) | ((uint32_t)((c) & 0xff) << 8) | \
     (uint32_t)((d) & 0xff))
#define ESP_IP4TOUINT32(a, b, c, d) esp_netif_ip4_makeu32(a, b, c, d)
#define ESP_IP4TOADDR(a, b, c, d) esp_netif_htonl(ESP_IP4TOUINT32(a, b, c, d))

#define esp_ip4_addr_get_byte(ipaddr, idx) (((const uint8_t *)(&(ipaddr)->addr))[idx])
#define esp_ip4_addr1(ipaddr) esp_ip4_addr_get_byte(ipaddr, 0)
#define esp_ip4_addr2(ipaddr) esp_ip4_addr_get_byte(ipaddr, 1)
#define esp_ip4_addr3(ipaddr) esp_ip4_addr_get_byte(ipaddr, 2)
#define esp_ip4_addr4(ipaddr) esp_ip4_addr_get_byte(ipaddr, 3)
#define IPSTR "%d.%d.%d.%d"
#define IP2STR(ipaddr) esp_ip4_addr1(ipaddr), esp_ip4_addr2(ipaddr), esp_ip4_addr3(ipaddr), esp_ip4_addr4(ipaddr)

#define ESP_IPADDR_TYPE_V4 0U
#define ESP_IPADDR_TYPE_V6 6U
#define ESP_IPADDR_TYPE_ANY 46U

#ifndef IP4ADDR_STRLEN_MAX
#define IP4ADDR_STRLEN_MAX 16
#endif

typedef struct esp_ip4_addr {
    uint32_t addr;
} esp_ip4_addr_t;

typedef struct esp_ip6_addr {
    uint32_t addr[4];
    uint8_t zone;
} esp_ip6_addr_t;

typedef struct _ip_addr {
    union {
        esp_ip6_addr_t ip6;
        esp_ip4_addr_t ip4;
    } u_addr;
    uint8_t type;
} esp_ip_addr_t;

typedef enum {
    ESP_IP6_ADDR_IS_UNKNOWN,
    ESP_IP6_ADDR_IS_GLOBAL,
    ESP_IP6_ADDR_IS_LINK_LOCAL,
    ESP_IP6_ADDR_IS_SITE_LOCAL,
    ESP_IP6_ADDR_IS_UNIQUE_LOCAL,
    ESP_IP6_ADDR_IS_IPV4_MAPPED_IPV6
} esp_ip6_addr_type_t;

esp_ip6_addr_type_t esp_netif_ip6_get_addr_type(const esp_ip6_addr_t *ip6_addr);

#ifdef __cplusplus
}
#endif

#endif
