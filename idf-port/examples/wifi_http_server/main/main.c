/*
 * Wi-Fi station + HTTP server on smolwip: the code is what it would be on ESP-IDF's lwIP.
 * GET / answers with the station's address; GET /echo?text echoes the query.
 */
#include <stdio.h>
#include <string.h>

#include "esp_event.h"
#include "esp_http_server.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_wifi.h"
#include "nvs_flash.h"

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

static void on_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (base == WIFI_EVENT && (id == WIFI_EVENT_STA_START || id == WIFI_EVENT_STA_DISCONNECTED)) {
        esp_wifi_connect();
    } else if (base == IP_EVENT && id == IP_EVENT_STA_GOT_IP) {
        const ip_event_got_ip_t *got = data;
        snprintf(address, sizeof address, IPSTR, IP2STR(&got->ip_info.ip));
        ESP_LOGI(TAG, "got %s; serving http://%s/", address, address);
        start_server();
    }
}

void app_main(void)
{
    esp_err_t err = nvs_flash_init();
    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        ESP_ERROR_CHECK(nvs_flash_erase());
        err = nvs_flash_init();
    }
    ESP_ERROR_CHECK(err);
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    esp_netif_create_default_wifi_sta();

    wifi_init_config_t init = WIFI_INIT_CONFIG_DEFAULT();
    ESP_ERROR_CHECK(esp_wifi_init(&init));
    ESP_ERROR_CHECK(esp_event_handler_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_event, NULL));
    ESP_ERROR_CHECK(esp_event_handler_register(IP_EVENT, IP_EVENT_STA_GOT_IP, on_event, NULL));

    wifi_config_t config = { 0 };
    strncpy((char *)config.sta.ssid, CONFIG_EXAMPLE_WIFI_SSID, sizeof config.sta.ssid);
    strncpy((char *)config.sta.password, CONFIG_EXAMPLE_WIFI_PASSWORD, sizeof config.sta.password);
    ESP_ERROR_CHECK(esp_wifi_set_mode(WIFI_MODE_STA));
    ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_STA, &config));
    ESP_ERROR_CHECK(esp_wifi_start());
}
