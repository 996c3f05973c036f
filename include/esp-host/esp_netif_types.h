/*
 * smolwip host headers: esp_netif's types (ESP-IDF's esp_netif_types.h API, IDF v5.4/v5.5
 * layout), for building ESP-IDF network applications and I/O drivers on a Linux host.
 */
#ifndef SMOLWIP_HOST_ESP_NETIF_TYPES_H
#define SMOLWIP_HOST_ESP_NETIF_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"
#include "esp_event_base.h"
#include "esp_netif_ip_addr.h"

/* These headers are smolwip's host edition (the library adapts to it). */
#define SMOLWIP_ESP_NETIF_HOST_HEADERS 1

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_ERR_ESP_NETIF_BASE 0x5000
#define ESP_ERR_ESP_NETIF_INVALID_PARAMS (ESP_ERR_ESP_NETIF_BASE + 0x01)
#define ESP_ERR_ESP_NETIF_IF_NOT_READY (ESP_ERR_ESP_NETIF_BASE + 0x02)
#define ESP_ERR_ESP_NETIF_DHCPC_START_FAILED (ESP_ERR_ESP_NETIF_BASE + 0x03)
#define ESP_ERR_ESP_NETIF_DHCP_ALREADY_STARTED (ESP_ERR_ESP_NETIF_BASE + 0x04)
#define ESP_ERR_ESP_NETIF_DHCP_ALREADY_STOPPED (ESP_ERR_ESP_NETIF_BASE + 0x05)
#define ESP_ERR_ESP_NETIF_NO_MEM (ESP_ERR_ESP_NETIF_BASE + 0x06)
#define ESP_ERR_ESP_NETIF_DHCP_NOT_STOPPED (ESP_ERR_ESP_NETIF_BASE + 0x07)
#define ESP_ERR_ESP_NETIF_DRIVER_ATTACH_FAILED (ESP_ERR_ESP_NETIF_BASE + 0x08)
#define ESP_ERR_ESP_NETIF_INIT_FAILED (ESP_ERR_ESP_NETIF_BASE + 0x09)
#define ESP_ERR_ESP_NETIF_DNS_NOT_CONFIGURED (ESP_ERR_ESP_NETIF_BASE + 0x0A)
#define ESP_ERR_ESP_NETIF_MLD6_FAILED (ESP_ERR_ESP_NETIF_BASE + 0x0B)
#define ESP_ERR_ESP_NETIF_IP6_ADDR_FAILED (ESP_ERR_ESP_NETIF_BASE + 0x0C)
#define ESP_ERR_ESP_NETIF_DHCPS_START_FAILED (ESP_ERR_ESP_NETIF_BASE + 0x0D)
#define ESP_ERR_ESP_NETIF_TX_FAILED (ESP_ERR_ESP_NETIF_BASE + 0x0E)

/* The esp_netif object is the stack's own and opaque here. */
typedef struct esp_netif_obj esp_netif_t;

typedef enum {
    ESP_NETIF_DNS_MAIN = 0,
    ESP_NETIF_DNS_BACKUP,
    ESP_NETIF_DNS_FALLBACK,
    ESP_NETIF_DNS_MAX
} esp_netif_dns_type_t;

typedef struct {
    esp_ip_addr_t ip;
} esp_netif_dns_info_t;

typedef enum {
    ESP_NETIF_DHCP_INIT = 0,
    ESP_NETIF_DHCP_STARTED,
    ESP_NETIF_DHCP_STOPPED,
    ESP_NETIF_DHCP_STATUS_MAX
} esp_netif_dhcp_status_t;

typedef enum {
    ESP_NETIF_OP_START = 0,
    ESP_NETIF_OP_SET,
    ESP_NETIF_OP_GET,
    ESP_NETIF_OP_MAX
} esp_netif_dhcp_option_mode_t;

typedef enum {
    ESP_NETIF_SUBNET_MASK = 1,
    ESP_NETIF_DOMAIN_NAME_SERVER = 6,
    ESP_NETIF_ROUTER_SOLICITATION_ADDRESS = 32,
    ESP_NETIF_REQUESTED_IP_ADDRESS = 50,
    ESP_NETIF_IP_ADDRESS_LEASE_TIME = 51,
    ESP_NETIF_IP_REQUEST_RETRY_TIME = 52,
    ESP_NETIF_VENDOR_CLASS_IDENTIFIER = 60,
    ESP_NETIF_VENDOR_SPECIFIC_INFO = 43,
    ESP_NETIF_CAPTIVEPORTAL_URI = 114,
} esp_netif_dhcp_option_id_t;

typedef enum {
    IP_EVENT_STA_GOT_IP,
    IP_EVENT_STA_LOST_IP,
    IP_EVENT_AP_STAIPASSIGNED,
    IP_EVENT_GOT_IP6,
    IP_EVENT_ETH_GOT_IP,
    IP_EVENT_ETH_LOST_IP,
    IP_EVENT_PPP_GOT_IP,
    IP_EVENT_PPP_LOST_IP,
} ip_event_t;

ESP_EVENT_DECLARE_BASE(IP_EVENT);

typedef struct {
    esp_ip4_addr_t ip;
    esp_ip4_addr_t netmask;
    esp_ip4_addr_t gw;
} esp_netif_ip_info_t;

typedef struct {
    esp_ip6_addr_t ip;
} esp_netif_ip6_info_t;

typedef struct {
    esp_netif_t *esp_netif;
    esp_netif_ip_info_t ip_info;
    bool ip_changed;
} ip_event_got_ip_t;

typedef struct {
    esp_netif_t *esp_netif;
    esp_netif_ip6_info_t ip6_info;
    int ip_index;
} ip_event_got_ip6_t;

typedef enum esp_netif_flags {
    ESP_NETIF_DHCP_CLIENT = 1 << 0,
    ESP_NETIF_DHCP_SERVER = 1 << 1,
    ESP_NETIF_FLAG_AUTOUP = 1 << 2,
    ESP_NETIF_FLAG_GARP = 1 << 3,
    ESP_NETIF_FLAG_EVENT_IP_MODIFIED = 1 << 4,
    ESP_NETIF_FLAG_IS_PPP = 1 << 5,
    ESP_NETIF_FLAG_IS_BRIDGE = 1 << 6,
    ESP_NETIF_FLAG_MLDV6_REPORT = 1 << 7,
    ESP_NETIF_FLAG_IPV6_AUTOCONFIG_ENABLED = 1 << 8,
} esp_netif_flags_t;

typedef enum esp_netif_ip_event_type {
    ESP_NETIF_IP_EVENT_GOT_IP = 1,
    ESP_NETIF_IP_EVENT_LOST_IP = 2,
} esp_netif_ip_event_type_t;

typedef struct bridgeif_config {
    uint16_t max_fdb_dyn_entries;
    uint16_t max_fdb_sta_entries;
    uint8_t max_ports;
} bridgeif_config_t;

/* What an interface is: behaviour flags, initial addresses, events, names. */
typedef struct esp_netif_inherent_config {
    esp_netif_flags_t flags;
    uint8_t mac[6];
    const esp_netif_ip_info_t *ip_info;
    uint32_t get_ip_event;
    uint32_t lost_ip_event;
    const char *if_key;
    const char *if_desc;
    int route_prio;
    bridgeif_config_t *bridge_info;
} esp_netif_inherent_config_t;

typedef struct esp_netif_config esp_netif_config_t;

/* An I/O driver: a pointer to a struct whose first member is esp_netif_driver_base_t. */
typedef void *esp_netif_iodriver_handle;

typedef struct esp_netif_driver_base_s {
    esp_err_t (*post_attach)(esp_netif_t *netif, esp_netif_iodriver_handle h);
    esp_netif_t *netif;
} esp_netif_driver_base_t;

/* The data path the driver registers in its post_attach. */
struct esp_netif_driver_ifconfig {
    esp_netif_iodriver_handle handle;
    esp_err_t (*transmit)(void *h, void *buffer, size_t len);
    esp_err_t (*transmit_wrap)(void *h, void *buffer, size_t len, void *netstack_buffer);
    void (*driver_free_rx_buffer)(void *h, void *buffer);
};
typedef struct esp_netif_driver_ifconfig esp_netif_driver_ifconfig_t;

/* The network stack's part of an interface's configuration (defined by the stack). */
typedef struct esp_netif_netstack_config esp_netif_netstack_config_t;

struct esp_netif_config {
    const esp_netif_inherent_config_t *base;
    const esp_netif_driver_ifconfig_t *driver;
    const esp_netif_netstack_config_t *stack;
};

typedef esp_err_t (*esp_netif_receive_t)(esp_netif_t *esp_netif, void *buffer, size_t len, void *eb);

#ifdef __cplusplus
}
#endif

#endif
