/*
 * smolwip's socket VFS glue for ESP-IDF.
 *
 * Registers the socket descriptors [LWIP_SOCKET_OFFSET, MAX_FDS) with ESP-IDF's VFS, so that
 * read, write, close, fcntl, ioctl, fstat and select on a socket fd reach the library's lwip_*
 * functions. With CONFIG_VFS_SUPPORT_SELECT (ESP-IDF's default), one select() can mix sockets
 * with other files: the VFS runs lwip_select for the sockets and ends it early through the
 * calling thread's select token (smolwip_select_token / smolwip_select_stop, smolwip.h) when
 * another driver's file becomes ready.
 *
 * The library calls esp_vfs_lwip_sockets_register() once, when the stack is first used (the
 * prototype is ESP-IDF's port/esp32xx/include/arch/vfs_lwip.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "sdkconfig.h"
#include "esp_err.h"
#include "esp_idf_version.h"
#include "esp_vfs.h"
#if ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(6, 0, 0)
#include "esp_private/socket.h"
#endif
#include "freertos/FreeRTOS.h"
#include "freertos/timers.h"
#include "lwip/sockets.h"
#include "smolwip.h"

#ifndef CONFIG_VFS_SUPPORT_IO
#error smolwip_vfs.c needs CONFIG_VFS_SUPPORT_IO=y
#endif

#ifdef CONFIG_VFS_SUPPORT_SELECT
static void *socket_select_token(void)
{
    /* Called by the VFS in the thread that then calls lwip_select. */
    return smolwip_select_token();
}

static void stop_socket_select(void *token)
{
    smolwip_select_stop(token);
}

static void stop_deferred(void *token, uint32_t unused)
{
    (void)unused;
    smolwip_select_stop(token);
}

/* From an interrupt: the stop takes the stack's lock, so it runs in the timer task. */
static void stop_socket_select_isr(void *token, BaseType_t *woken)
{
    BaseType_t higher = pdFALSE;
    xTimerPendFunctionCallFromISR(stop_deferred, token, 0, &higher);
    if (woken != NULL && higher == pdTRUE) {
        *woken = pdTRUE;
    }
}
#else
/* Without the VFS select, select() is the sockets' own. */
int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *errorfds, struct timeval *timeout)
{
    return lwip_select(nfds, readfds, writefds, errorfds, timeout);
}
#endif

static int socket_fstat(int fd, struct stat *st)
{
    if (st == NULL || fd < LWIP_SOCKET_OFFSET || fd >= MAX_FDS) {
        errno = EBADF;
        return -1;
    }
    memset(st, 0, sizeof *st);
    st->st_mode = S_IFSOCK;
    return 0;
}

static int socket_fcntl(int fd, int cmd, int arg)
{
    return lwip_fcntl(fd, cmd, arg);
}

static int socket_ioctl(int fd, int cmd, va_list args)
{
    return lwip_ioctl(fd, cmd, va_arg(args, void *));
}

#if ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(6, 0, 0)
/* ESP-IDF v6: operations with a context pointer, in static tables. */
static ssize_t ctx_write(void *ctx, int fd, const void *data, size_t size)
{
    (void)ctx;
    return lwip_write(fd, data, size);
}
static ssize_t ctx_read(void *ctx, int fd, void *data, size_t size)
{
    (void)ctx;
    return lwip_read(fd, data, size);
}
static int ctx_close(void *ctx, int fd)
{
    (void)ctx;
    return lwip_close(fd);
}
static int ctx_fstat(void *ctx, int fd, struct stat *st)
{
    (void)ctx;
    return socket_fstat(fd, st);
}
static int ctx_fcntl(void *ctx, int fd, int cmd, int arg)
{
    (void)ctx;
    return socket_fcntl(fd, cmd, arg);
}
static int ctx_ioctl(void *ctx, int fd, int cmd, va_list args)
{
    (void)ctx;
    return socket_ioctl(fd, cmd, args);
}
#ifdef CONFIG_VFS_SUPPORT_SELECT
static const esp_vfs_select_ops_t select_ops = {
    .socket_select = &lwip_select,
    .stop_socket_select = &stop_socket_select,
    .stop_socket_select_isr = &stop_socket_select_isr,
    .get_socket_select_semaphore = &socket_select_token,
};
#endif
static const esp_vfs_fs_ops_t socket_ops = {
    .write_p = &ctx_write,
    .read_p = &ctx_read,
    .close_p = &ctx_close,
    .fstat_p = &ctx_fstat,
    .fcntl_p = &ctx_fcntl,
    .ioctl_p = &ctx_ioctl,
#ifdef CONFIG_VFS_SUPPORT_SELECT
    .select = &select_ops,
#endif
};
#endif

void esp_vfs_lwip_sockets_register(void)
{
    static bool registered;
    if (registered) {
        return;
    }
    registered = true;
#if ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(6, 0, 0)
    ESP_ERROR_CHECK(esp_vfs_register_fd_range(&socket_ops, ESP_VFS_FLAG_STATIC | ESP_VFS_FLAG_CONTEXT_PTR, NULL,
                                              LWIP_SOCKET_OFFSET, MAX_FDS));
#else
    const esp_vfs_t vfs = {
        .flags = ESP_VFS_FLAG_DEFAULT,
        .write = &lwip_write,
        .read = &lwip_read,
        .close = &lwip_close,
        .fstat = &socket_fstat,
        .fcntl = &socket_fcntl,
        .ioctl = &socket_ioctl,
#ifdef CONFIG_VFS_SUPPORT_SELECT
        .socket_select = &lwip_select,
        .stop_socket_select = &stop_socket_select,
        .stop_socket_select_isr = &stop_socket_select_isr,
        .get_socket_select_semaphore = &socket_select_token,
#endif
    };
    ESP_ERROR_CHECK(esp_vfs_register_fd_range(&vfs, NULL, LWIP_SOCKET_OFFSET, MAX_FDS));
#endif
}
