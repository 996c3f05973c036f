/* Calls into each socket user of ESP-IDF, so the linker pulls in their use of the stack. */
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include "esp_event.h"
#include "esp_http_client.h"
#include "esp_http_server.h"
#include "esp_netif.h"
#include "esp_tls.h"
#include "esp_transport_tcp.h"
#include "mqtt_client.h"

void app_main(void)
{
    esp_netif_init();
    esp_event_loop_create_default();

    httpd_handle_t server = NULL;
    httpd_config_t sc = HTTPD_DEFAULT_CONFIG();
    httpd_start(&server, &sc);

    esp_http_client_config_t hc = { .url = "http://192.0.2.1/" };
    esp_http_client_handle_t h = esp_http_client_init(&hc);
    esp_http_client_perform(h);
    esp_http_client_cleanup(h);

    esp_tls_cfg_t tc = { 0 };
    esp_tls_t *tls = esp_tls_init();
    esp_tls_conn_http_new_sync("https://192.0.2.1/", &tc, tls);
    esp_tls_conn_destroy(tls);

    esp_transport_handle_t t = esp_transport_tcp_init();
    esp_transport_connect(t, "192.0.2.1", 80, 1000);
    esp_transport_destroy(t);

    esp_mqtt_client_config_t mc = { .broker.address.uri = "mqtt://192.0.2.1" };
    esp_mqtt_client_start(esp_mqtt_client_init(&mc));

    struct addrinfo *res = NULL;
    getaddrinfo("example.com", "80", NULL, &res);
    freeaddrinfo(res);
    char text[INET6_ADDRSTRLEN];
    struct in6_addr a6;
    inet_pton(AF_INET6, "2001:db8::1", &a6);
    inet_ntop(AF_INET6, &a6, text, sizeof text);
}
