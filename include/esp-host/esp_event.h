/*
 * smolwip host headers: the one esp_event call the stack makes. On a host there is no
 * event loop; an application that defines esp_event_post() with this signature receives
 * the stack's IP_EVENTs (smolwip references it weakly), one that does not gets none.
 */
#ifndef SMOLWIP_HOST_ESP_EVENT_H
#define SMOLWIP_HOST_ESP_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"
#include "esp_event_base.h"

#ifdef __cplusplus
extern "C" {
#endif

esp_err_t esp_event_post(esp_event_base_t event_base, int32_t event_id, const void *event_data,
                         size_t event_data_size, uint32_t ticks_to_wait);

#ifdef __cplusplus
}
#endif

#endif
