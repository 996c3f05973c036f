/*
 * smolwip C-library wrapper for targets without an operating system of their own
 * (Rust `target_os = "none"`: ESP-IDF's RISC-V and Xtensa chips, other RTOS firmware).
 *
 * On such targets the `libc` crate has no bindings, yet the firmware's C library (newlib
 * or picolibc, plus the RTOS's pthreads) is what the library must call. build.rs runs
 * bindgen on this file with the profile's include directories and LWIP_CFLAGS (the
 * toolchain's sysroot), so every type, prototype and constant below comes from the
 * headers the firmware itself is compiled with.
 *
 * Macros that expand to casts (newlib: `#define CLOCK_MONOTONIC ((clockid_t) 4)`) are out of
 * bindgen's reach; the enum below has clang evaluate them.
 */
#ifndef SMOLWIP_LIBC_H
#define SMOLWIP_LIBC_H

#include <stdlib.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
#include <limits.h>

enum {
    SMOLWIP_CLOCK_MONOTONIC = CLOCK_MONOTONIC,
    SMOLWIP_CLOCK_REALTIME = CLOCK_REALTIME,
    SMOLWIP_ETIMEDOUT = ETIMEDOUT,
    SMOLWIP_PTHREAD_MUTEX_RECURSIVE = PTHREAD_MUTEX_RECURSIVE,
    SMOLWIP_PTHREAD_CREATE_DETACHED = PTHREAD_CREATE_DETACHED,
#ifdef PTHREAD_STACK_MIN
    SMOLWIP_PTHREAD_STACK_MIN = PTHREAD_STACK_MIN,
#else
    SMOLWIP_PTHREAD_STACK_MIN = 0,
#endif
};

#endif
