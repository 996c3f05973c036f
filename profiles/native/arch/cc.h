/*
 * smolwip "native" profile: compiler/platform definitions for lwIP's headers.
 * Socket types (sockaddr with sin_len, SOL_SOCKET...) are lwIP's own; timeval and
 * fd_set come from the C library, as on ESP-IDF (whose newlib defines FD_SET, so lwIP
 * uses the libc fd_set and places its sockets at the top of FD_SETSIZE).
 */
#ifndef SMOLWIP_NATIVE_ARCH_CC_H
#define SMOLWIP_NATIVE_ARCH_CC_H

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/select.h>

#define LWIP_TIMEVAL_PRIVATE 0

/* errno numbers and the errno variable come from the C library, as on ESP-IDF. */
#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_ERRNO_INCLUDE <errno.h>

#define LWIP_RAND() ((u32_t)rand())

typedef unsigned int sys_prot_t;

#endif /* SMOLWIP_NATIVE_ARCH_CC_H */
