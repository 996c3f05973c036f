/*
 * smolwip host headers: the part of ESP-IDF's esp_err.h that esp_netif users touch, so an
 * ESP-IDF network application (and its I/O driver) also builds on a Linux host against
 * smolwip. On an ESP target, IDF's own headers are used instead.
 */
#ifndef SMOLWIP_HOST_ESP_ERR_H
#define SMOLWIP_HOST_ESP_ERR_H

#include <stdint.h>

typedef int esp_err_t;

#define ESP_OK 0
#define ESP_FAIL -1
#define ESP_ERR_NO_MEM 0x101
#define ESP_ERR_INVALID_ARG 0x102
#define ESP_ERR_INVALID_STATE 0x103
#define ESP_ERR_INVALID_SIZE 0x104
#define ESP_ERR_NOT_FOUND 0x105
#define ESP_ERR_NOT_SUPPORTED 0x106
#define ESP_ERR_TIMEOUT 0x107

#endif
