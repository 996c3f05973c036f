/*
 * An ESP-NETIF I/O driver for a Linux TAP device, written the way ESP-IDF documents custom
 * I/O drivers: the driver object starts with esp_netif_driver_base_t, its post_attach
 * registers transmit / free callbacks with esp_netif_set_driver_config, and a receive task
 * hands every frame to esp_netif_receive in a buffer the stack gives back when done.
 * It counts buffers so a test can prove none leaks.
 */
#ifndef TAP_DRIVER_H
#define TAP_DRIVER_H

#include <stdatomic.h>
#include <pthread.h>

#include "esp_netif.h"

typedef struct tap_impl {
    int fd;
    pthread_t rx_task;
    esp_netif_t *netif;
    atomic_long rx_allocated; /* receive buffers handed to the stack */
    atomic_long rx_freed;     /* ... and given back through driver_free_rx_buffer */
    atomic_long tx_frames;
    atomic_long tx_refused;   /* transmits refused while fail_tx is set */
    atomic_int fail_tx;       /* make transmit fail, as a driver out of buffers would */
    atomic_int stop;
} tap_impl_t;

typedef struct my_netif_driver_s {
    esp_netif_driver_base_t base; /* first member: ESP-NETIF's view of the driver */
    tap_impl_t *h;
} my_netif_driver_t;

/* Open TAP device `name`; NULL on failure. The receive task starts in post_attach. */
my_netif_driver_t *tap_driver_new(const char *name);
/* Stop the receive task and close the device (its last buffer is freed, not leaked). */
void tap_driver_stop(my_netif_driver_t *driver);

#endif
