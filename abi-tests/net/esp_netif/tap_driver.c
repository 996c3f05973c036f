/* See tap_driver.h. */
#include "tap_driver.h"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define FRAME_MAX 1600

static esp_err_t my_transmit(void *h, void *buffer, size_t len)
{
    tap_impl_t *tap = h;
    if (atomic_load(&tap->fail_tx)) {
        atomic_fetch_add(&tap->tx_refused, 1);
        return ESP_ERR_NO_MEM;
    }
    if (write(tap->fd, buffer, len) != (ssize_t)len)
        return ESP_FAIL;
    atomic_fetch_add(&tap->tx_frames, 1);
    return ESP_OK;
}

static void my_free_rx_buf(void *h, void *buffer)
{
    tap_impl_t *tap = h;
    free(buffer);
    atomic_fetch_add(&tap->rx_freed, 1);
}

/* The driver's receive task: every frame in a fresh buffer, owned by the stack from
 * esp_netif_receive on. */
static void *rx_task(void *arg)
{
    tap_impl_t *tap = arg;
    while (!atomic_load(&tap->stop)) {
        struct pollfd p = { .fd = tap->fd, .events = POLLIN };
        if (poll(&p, 1, 100) <= 0)
            continue;
        void *buf = malloc(FRAME_MAX);
        if (!buf)
            continue;
        ssize_t n = read(tap->fd, buf, FRAME_MAX);
        if (n <= 0) {
            free(buf);
            continue;
        }
        atomic_fetch_add(&tap->rx_allocated, 1);
        esp_netif_receive(tap->netif, buf, (size_t)n, NULL);
    }
    return NULL;
}

static esp_err_t my_post_attach(esp_netif_t *esp_netif, void *args)
{
    my_netif_driver_t *driver = args;
    const esp_netif_driver_ifconfig_t driver_ifconfig = {
        .handle = driver->h,
        .transmit = my_transmit,
        .driver_free_rx_buffer = my_free_rx_buf,
    };
    driver->base.netif = esp_netif;
    driver->h->netif = esp_netif;
    esp_err_t err = esp_netif_set_driver_config(esp_netif, &driver_ifconfig);
    if (err != ESP_OK)
        return err;
    /* Typically the driver is started in post_attach. */
    if (pthread_create(&driver->h->rx_task, NULL, rx_task, driver->h) != 0)
        return ESP_FAIL;
    return ESP_OK;
}

my_netif_driver_t *tap_driver_new(const char *name)
{
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct ifreq req;
    memset(&req, 0, sizeof req);
    req.ifr_flags = IFF_TAP | IFF_NO_PI;
    strncpy(req.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &req) < 0) {
        close(fd);
        return NULL;
    }
    my_netif_driver_t *driver = calloc(1, sizeof *driver);
    tap_impl_t *tap = calloc(1, sizeof *tap);
    tap->fd = fd;
    driver->h = tap;
    driver->base.post_attach = my_post_attach;
    return driver;
}

void tap_driver_stop(my_netif_driver_t *driver)
{
    atomic_store(&driver->h->stop, 1);
    pthread_join(driver->h->rx_task, NULL);
    close(driver->h->fd);
}
