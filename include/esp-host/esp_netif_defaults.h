/* smolwip host headers: default interface configurations (ESP-IDF's esp_netif_defaults.h). */
#ifndef SMOLWIP_HOST_ESP_NETIF_DEFAULTS_H
#define SMOLWIP_HOST_ESP_NETIF_DEFAULTS_H

#include "esp_netif_types.h"
#include "lwip/opt.h"

/* ESP-IDF adds this flag with CONFIG_LWIP_IPV6_AUTOCONFIG; here the lwIP option says. */
#if LWIP_IPV6 && LWIP_IPV6_AUTOCONFIG
#define ESP_NETIF_DEFAULT_IPV6_AUTOCONFIG_FLAGS (ESP_NETIF_FLAG_IPV6_AUTOCONFIG_ENABLED)
#else
#define ESP_NETIF_DEFAULT_IPV6_AUTOCONFIG_FLAGS (0)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The stack's part of each kind of interface. */
extern const esp_netif_netstack_config_t *_g_esp_netif_netstack_default_eth;
extern const esp_netif_netstack_config_t *_g_esp_netif_netstack_default_wifi_sta;
extern const esp_netif_netstack_config_t *_g_esp_netif_netstack_default_wifi_ap;

extern const esp_netif_inherent_config_t _g_esp_netif_inherent_eth_config;

#define ESP_NETIF_NETSTACK_DEFAULT_ETH _g_esp_netif_netstack_default_eth
#define ESP_NETIF_NETSTACK_DEFAULT_WIFI_STA _g_esp_netif_netstack_default_wifi_sta
#define ESP_NETIF_NETSTACK_DEFAULT_WIFI_AP _g_esp_netif_netstack_default_wifi_ap
#define ESP_NETIF_BASE_DEFAULT_ETH (&_g_esp_netif_inherent_eth_config)

#define ESP_NETIF_INHERENT_DEFAULT_ETH()                                                                  \
    {                                                                                                     \
        .flags = (esp_netif_flags_t)(ESP_NETIF_DHCP_CLIENT | ESP_NETIF_FLAG_GARP | ESP_NETIF_FLAG_EVENT_IP_MODIFIED | \
                                     ESP_NETIF_DEFAULT_IPV6_AUTOCONFIG_FLAGS),                                        \
        .mac = {0}, .ip_info = NULL, .get_ip_event = IP_EVENT_ETH_GOT_IP, .lost_ip_event = IP_EVENT_ETH_LOST_IP, \
        .if_key = "ETH_DEF", .if_desc = "eth", .route_prio = 50, .bridge_info = NULL                    \
    }

#define ESP_NETIF_DEFAULT_ETH()                                                            \
    {                                                                                      \
        .base = ESP_NETIF_BASE_DEFAULT_ETH, .driver = NULL, .stack = ESP_NETIF_NETSTACK_DEFAULT_ETH, \
    }

#ifdef __cplusplus
}
#endif

#endif
