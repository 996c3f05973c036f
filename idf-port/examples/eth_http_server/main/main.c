/*
 * Ethernet + HTTP server on smolwip: the code is what it would be on ESP-IDF's lwIP.
 * GET / answers with the interface's address; GET /echo?text echoes the query.
 */
#include <stdio.h>
#include <string.h>

#include "esp_eth.h"
#include "esp_event.h"
#include "esp_http_server.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "ethernet_init.h"

static const char *TAG = "smolwip_example";
static httpd_handle_t server;
static char address[16] = "none";

static esp_err_t root_get(httpd_req_t *req)
{
    char body[64];
    snprintf(body, sizeof body, "hello from smolwip at %s\n", address);
    httpd_resp_set_type(req, "text/plain");
    return httpd_resp_sendstr(req, body);
}

static esp_err_t echo_get(httpd_req_t *req)
{
    char query[128] = "";
    httpd_req_get_url_query_str(req, query, sizeof query);
    httpd_resp_set_type(req, "text/plain");
    return httpd_resp_sendstr(req, query);
}

static void start_server(void)
{
    if (server != NULL) {
        return;
    }
    httpd_config_t config = HTTPD_DEFAULT_CONFIG();
    if (httpd_start(&server, &config) != ESP_OK) {
        ESP_LOGE(TAG, "httpd_start failed");
        return;
    }
    static const httpd_uri_t root = { .uri = "/", .method = HTTP_GET, .handler = root_get };
    static const httpd_uri_t echo = { .uri = "/echo", .method = HTTP_GET, .handler = echo_get };
    httpd_register_uri_handler(server, &root);
    httpd_register_uri_handler(server, &echo);
}

static void on_got_ip(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg, (void)base, (void)id;
    const ip_event_got_ip_t *got = data;
    snprintf(address, sizeof address, IPSTR, IP2STR(&got->ip_info.ip));
    ESP_LOGI(TAG, "got %s; serving http://%s/", address, address);
    start_server();
}

void app_main(void)
{
    esp_eth_handle_t *eth;
    uint8_t count = 0;
    ESP_ERROR_CHECK(example_eth_init(&eth, &count));
    if (count == 0) {
        ESP_LOGE(TAG, "no Ethernet interface configured (menuconfig: Example Ethernet Configuration)");
        return;
    }
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());

    esp_netif_config_t config = ESP_NETIF_DEFAULT_ETH();
    esp_netif_t *netif = esp_netif_new(&config);
    ESP_ERROR_CHECK(esp_netif_attach(netif, esp_eth_new_netif_glue(eth[0])));
    ESP_ERROR_CHECK(esp_event_handler_register(IP_EVENT, IP_EVENT_ETH_GOT_IP, on_got_ip, NULL));
    ESP_ERROR_CHECK(esp_eth_start(eth[0]));
}
