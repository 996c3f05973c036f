/* smolwip host headers: event bases, as ESP-IDF's esp_event_base.h names them. */
#ifndef SMOLWIP_HOST_ESP_EVENT_BASE_H
#define SMOLWIP_HOST_ESP_EVENT_BASE_H

typedef const char *esp_event_base_t;

#define ESP_EVENT_DECLARE_BASE(id) extern esp_event_base_t const id
#define ESP_EVENT_DEFINE_BASE(id) esp_event_base_t const id = #id

#endif
