/*
 * CHECK(cond, format, ...): print "ok   " or "FAIL " and the message; failures are counted
 * in `failures`, which a test's exit status reports. For the smolwip-only tests here.
 */
#ifndef SMOLWIP_NET_CHECK_H
#define SMOLWIP_NET_CHECK_H
#include <stdio.h>

static int failures;
#define CHECK(cond, ...)                                                                         \
    do {                                                                                         \
        if (cond) {                                                                              \
            printf("ok   ");                                                                     \
        } else {                                                                                 \
            printf("FAIL ");                                                                     \
            failures++;                                                                          \
        }                                                                                        \
        printf(__VA_ARGS__);                                                                     \
        printf("\n");                                                                            \
    } while (0)

#endif
