/*
 * The sys API as lwIP's ports give it: mailboxes (post, trypost, fetch with and without a
 * time-out, tryfetch, validity), binary semaphores (two signals before a wait let one wait
 * through), mutexes, sys_msleep against sys_now, and sys_timeout / sys_untimeout on the
 * tcpip thread (order by deadline; an untimeout'ed one never fires).
 */
#include <stdio.h>
#include <unistd.h>
#include "lwip/tcpip.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"

static sys_sem_t done, fired;
static int order[8], n_order;

static void on_init(void *a)
{
    (void)a;
    sys_sem_signal(&done);
}

static void tmo(void *a)
{
    order[n_order++] = (int)(long)a;
    if (n_order == 3)
        sys_sem_signal(&fired);
}

static void arm(void *a)
{
    (void)a;
    sys_timeout(60, tmo, (void *)3);
    sys_timeout(20, tmo, (void *)1);
    sys_timeout(40, tmo, (void *)2);
    sys_timeout(30, tmo, (void *)9);
    sys_untimeout(tmo, (void *)9);
}

static const char *waited(u32_t r)
{
    return r == SYS_ARCH_TIMEOUT ? "SYS_ARCH_TIMEOUT" : "taken";
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    sys_sem_new(&done, 0);
    sys_sem_new(&fired, 0);
    tcpip_init(on_init, NULL);
    sys_arch_sem_wait(&done, 0);

    sys_mbox_t mb;
    err_t e = sys_mbox_new(&mb, 16);
    printf("mbox_new: %d, valid %d\n", e, sys_mbox_valid(&mb));
    int x = 1, y = 2;
    printf("trypost: %d\n", sys_mbox_trypost(&mb, &x));
    sys_mbox_post(&mb, &y);
    void *m = NULL;
    u32_t r = sys_arch_mbox_tryfetch(&mb, &m);
    printf("tryfetch: %s %d\n", r == SYS_MBOX_EMPTY ? "SYS_MBOX_EMPTY" : "got", m ? *(int *)m : -1);
    m = NULL;
    r = sys_arch_mbox_fetch(&mb, &m, 100);
    printf("fetch: %s %d\n", waited(r), m ? *(int *)m : -1);
    r = sys_arch_mbox_tryfetch(&mb, &m);
    printf("tryfetch of an empty mailbox: %s\n", r == SYS_MBOX_EMPTY ? "SYS_MBOX_EMPTY" : "got");
    r = sys_arch_mbox_fetch(&mb, &m, 100);
    printf("fetch of an empty mailbox, 100 ms: %s\n", waited(r));
    sys_mbox_free(&mb);
    sys_mbox_set_invalid(&mb);
    printf("valid after free and set_invalid: %d\n", sys_mbox_valid(&mb));

    sys_sem_t s;
    e = sys_sem_new(&s, 0);
    printf("sem_new(0): %d, valid %d\n", e, sys_sem_valid(&s));
    printf("wait 50 ms on it: %s\n", waited(sys_arch_sem_wait(&s, 50)));
    sys_sem_signal(&s);
    sys_sem_signal(&s);
    u32_t r1 = sys_arch_sem_wait(&s, 50);
    u32_t r2 = sys_arch_sem_wait(&s, 50);
    printf("two signals, two waits: %s, %s\n", waited(r1), waited(r2));
    sys_sem_free(&s);
    sys_sem_new(&s, 1);
    printf("sem_new(1), wait: %s\n", waited(sys_arch_sem_wait(&s, 50)));
    sys_sem_free(&s);

    sys_mutex_t mu;
    printf("mutex_new: %d\n", sys_mutex_new(&mu));
    sys_mutex_lock(&mu);
    sys_mutex_unlock(&mu);
    sys_mutex_free(&mu);

    u32_t t0 = sys_now();
    sys_msleep(30);
    u32_t t1 = sys_now();
    printf("sys_msleep(30) per sys_now: %s\n", t1 - t0 >= 29 && t1 - t0 < 200 ? "30 ms or a little more" : "off");

    printf("tcpip_callback: %d\n", tcpip_callback(arm, NULL));
    r = sys_arch_sem_wait(&fired, 2000);
    printf("timeouts fired: %s, in order %d %d %d\n", waited(r), order[0], order[1], order[2]);
    usleep(100 * 1000);
    printf("the untimeout'ed one stayed silent: %d\n", n_order == 3);
    return 0;
}
