/*
 * smolwip host headers: the esp_netif API (ESP-IDF's esp_netif.h), as the stack provides it
 * with CONFIG_ESP_NETIF_PROVIDE_CUSTOM_IMPLEMENTATION. Semantics follow ESP-IDF's
 * documentation; what smolwip does not provide returns ESP_ERR_NOT_SUPPORTED
 * (COMPATIBILITY.md).
 */
#ifndef SMOLWIP_HOST_ESP_NETIF_H
#define SMOLWIP_HOST_ESP_NETIF_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_err.h"
#include "esp_netif_ip_addr.h"
#include "esp_netif_types.h"
#include "esp_netif_defaults.h"

#ifdef __cplusplus
extern "C" {
#endif

esp_err_t esp_netif_init(void);
esp_err_t esp_netif_deinit(void);

esp_netif_t *esp_netif_new(const esp_netif_config_t *esp_netif_config);
void esp_netif_destroy(esp_netif_t *esp_netif);
esp_err_t esp_netif_set_driver_config(esp_netif_t *esp_netif, const esp_netif_driver_ifconfig_t *driver_config);
esp_err_t esp_netif_attach(esp_netif_t *esp_netif, esp_netif_iodriver_handle driver_handle);

/* Data path: driver -> stack, stack -> driver, buffer release. */
esp_err_t esp_netif_receive(esp_netif_t *esp_netif, void *buffer, size_t len, void *eb);
esp_err_t esp_netif_transmit(esp_netif_t *esp_netif, void *data, size_t len);
void esp_netif_free_rx_buffer(void *esp_netif, void *buffer);

/* Lifecycle (ESP-IDF's esp_netif_action_* handlers call these). */
esp_err_t esp_netif_start(esp_netif_t *esp_netif);
esp_err_t esp_netif_stop(esp_netif_t *esp_netif);
esp_err_t esp_netif_up(esp_netif_t *esp_netif);
esp_err_t esp_netif_down(esp_netif_t *esp_netif);
bool esp_netif_is_netif_up(esp_netif_t *esp_netif);

esp_err_t esp_netif_set_mac(esp_netif_t *esp_netif, uint8_t mac[]);
esp_err_t esp_netif_get_mac(esp_netif_t *esp_netif, uint8_t mac[]);
esp_err_t esp_netif_set_hostname(esp_netif_t *esp_netif, const char *hostname);
esp_err_t esp_netif_get_hostname(esp_netif_t *esp_netif, const char **hostname);
esp_err_t esp_netif_set_mtu(esp_netif_t *esp_netif, uint16_t mtu);
esp_err_t esp_netif_set_link_speed(esp_netif_t *esp_netif, uint32_t speed);
esp_err_t esp_netif_get_mtu(esp_netif_t *esp_netif, uint16_t *mtu);

esp_err_t esp_netif_get_ip_info(esp_netif_t *esp_netif, esp_netif_ip_info_t *ip_info);
esp_err_t esp_netif_set_ip_info(esp_netif_t *esp_netif, const esp_netif_ip_info_t *ip_info);
esp_err_t esp_netif_get_old_ip_info(esp_netif_t *esp_netif, esp_netif_ip_info_t *ip_info);
esp_err_t esp_netif_set_old_ip_info(esp_netif_t *esp_netif, const esp_netif_ip_info_t *ip_info);
bool esp_netif_is_valid_static_ip(esp_netif_ip_info_t *ip_info);

esp_err_t esp_netif_dhcpc_start(esp_netif_t *esp_netif);
esp_err_t esp_netif_dhcpc_stop(esp_netif_t *esp_netif);
esp_err_t esp_netif_dhcpc_get_status(esp_netif_t *esp_netif, esp_netif_dhcp_status_t *status);
esp_err_t esp_netif_dhcpc_option(esp_netif_t *esp_netif, esp_netif_dhcp_option_mode_t opt_op,
                                 esp_netif_dhcp_option_id_t opt_id, void *opt_val, uint32_t opt_len);
esp_err_t esp_netif_dhcps_start(esp_netif_t *esp_netif);
esp_err_t esp_netif_dhcps_stop(esp_netif_t *esp_netif);
esp_err_t esp_netif_dhcps_get_status(esp_netif_t *esp_netif, esp_netif_dhcp_status_t *status);
esp_err_t esp_netif_dhcps_option(esp_netif_t *esp_netif, esp_netif_dhcp_option_mode_t opt_op,
                                 esp_netif_dhcp_option_id_t opt_id, void *opt_val, uint32_t opt_len);

esp_err_t esp_netif_set_dns_info(esp_netif_t *esp_netif, esp_netif_dns_type_t type, esp_netif_dns_info_t *dns);
esp_err_t esp_netif_get_dns_info(esp_netif_t *esp_netif, esp_netif_dns_type_t type, esp_netif_dns_info_t *dns);

esp_err_t esp_netif_create_ip6_linklocal(esp_netif_t *esp_netif);
esp_err_t esp_netif_get_ip6_linklocal(esp_netif_t *esp_netif, esp_ip6_addr_t *if_ip6);
esp_err_t esp_netif_get_ip6_global(esp_netif_t *esp_netif, esp_ip6_addr_t *if_ip6);
int esp_netif_get_all_ip6(esp_netif_t *esp_netif, esp_ip6_addr_t if_ip6[]);
esp_err_t esp_netif_add_ip6_address(esp_netif_t *esp_netif, const esp_ip6_addr_t addr, bool preferred);
esp_err_t esp_netif_remove_ip6_address(esp_netif_t *esp_netif, const esp_ip6_addr_t *addr);
esp_err_t esp_netif_join_ip6_multicast_group(esp_netif_t *esp_netif, const esp_ip6_addr_t *addr);
esp_err_t esp_netif_leave_ip6_multicast_group(esp_netif_t *esp_netif, const esp_ip6_addr_t *addr);

void esp_netif_set_ip4_addr(esp_ip4_addr_t *addr, uint8_t a, uint8_t b, uint8_t c, uint8_t d);
char *esp_ip4addr_ntoa(const esp_ip4_addr_t *addr, char *buf, int buflen);
uint32_t esp_ip4addr_aton(const char *addr);

esp_netif_iodriver_handle esp_netif_get_io_driver(esp_netif_t *esp_netif);
esp_netif_t *esp_netif_get_handle_from_ifkey(const char *if_key);
esp_netif_t *esp_netif_get_handle_from_netif_impl(void *dev);
void *esp_netif_get_netif_impl(esp_netif_t *esp_netif);
int esp_netif_get_netif_impl_index(esp_netif_t *esp_netif);
esp_netif_flags_t esp_netif_get_flags(esp_netif_t *esp_netif);
const char *esp_netif_get_ifkey(esp_netif_t *esp_netif);
const char *esp_netif_get_desc(esp_netif_t *esp_netif);
int32_t esp_netif_get_event_id(esp_netif_t *esp_netif, esp_netif_ip_event_type_t event_type);

typedef esp_err_t (*esp_netif_callback_fn)(void *ctx);
esp_err_t esp_netif_tcpip_exec(esp_netif_callback_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
