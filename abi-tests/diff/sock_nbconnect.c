/*
 * Non-blocking connect and what follows it: EINPROGRESS, completion seen by poll
 * (POLLOUT, or POLLIN|POLLOUT|POLLERR on failure), SO_ERROR, EALREADY while in progress,
 * EISCONN after; resets of established connections (data first, then ECONNRESET twice,
 * then ENOTCONN); SO_LINGER {1,0} and unread data turning close into a reset.
 */
#include "lib/diffstack.h"
#include <poll.h>

static int nb_socket(void)
{
    int s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    lwip_ioctl(s, FIONBIO, &on);
    return s;
}

static void show_poll(const char *label, int s, int timeout)
{
    struct pollfd pf = { .fd = s, .events = POLLIN | POLLOUT };
    int n = lwip_poll(&pf, 1, timeout);
    /* lwIP wakes a poller on the first of several events a change brings (ERROR before
     * RCVPLUS/SENDPLUS): report the settled state, read once more without waiting. */
    if (n > 0) {
        usleep(20 * 1000);
        n = lwip_poll(&pf, 1, 0);
    }
    printf("%s: poll %d revents %#x\n", label, n, pf.revents);
}

static void show_so_error(int s)
{
    int err = -1;
    socklen_t el = sizeof err;
    lwip_getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el);
    printf("SO_ERROR %s\n", errname(err));
}

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.82.0");

    printf("== to a listening port\n");
    FILE *p = peer_start("listen 9011 recv close");
    peer_line(p);
    int s = nb_socket();
    struct sockaddr_in a = sin4(1, 9011);
    CALL("connect", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    show_poll("connected", s, 5000);
    show_so_error(s);
    CALL("connect again", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    CALL("send", lwip_send(s, "hi", 2, 0));
    peer_wait(p);
    CALL("close", lwip_close(s));

    printf("== to a closed port\n");
    s = nb_socket();
    a = sin4(1, 9012);
    CALL("connect", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    show_poll("refused", s, 5000);
    show_so_error(s);
    show_so_error(s);
    CALL("connect again", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    char b[16];
    CALL("recv", lwip_recv(s, b, sizeof b, 0));
    CALL("recv", lwip_recv(s, b, sizeof b, 0));
    show_poll("after reading the error", s, 0);
    CALL("close", lwip_close(s));

    printf("== to an address nobody answers for\n");
    s = nb_socket();
    a = sin4(77, 9013);
    CALL("connect", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    show_poll("pending", s, 300);
    CALL("connect while pending", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    CALL("send while pending", lwip_send(s, "x", 1, 0));
    CALL("recv while pending", lwip_recv(s, b, sizeof b, 0));
    CALL("shutdown while pending", lwip_shutdown(s, SHUT_WR));
    CALL("close while pending", lwip_close(s));

    printf("== the peer resets an established connection\n");
    p = peer_start("listen 9014 send:data sleep:0.3 rst");
    peer_line(p);
    s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    a = sin4(1, 9014);
    CALL("connect", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    peer_wait(p);
    usleep(300 * 1000);
    show_poll("after reset", s, 1000);
    memset(b, 0, sizeof b);
    CALL("recv (data before the reset)", lwip_recv(s, b, sizeof b, 0));
    printf("got '%s'\n", b);
    CALL("recv", lwip_recv(s, b, sizeof b, 0));
    CALL("recv", lwip_recv(s, b, sizeof b, 0));
    CALL("recv", lwip_recv(s, b, sizeof b, 0));
    CALL("send", lwip_send(s, "x", 1, 0));
    show_poll("later", s, 0);
    CALL("close", lwip_close(s));

    printf("== send after the peer reset\n");
    p = peer_start("listen 9015 rst");
    peer_line(p);
    s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    a = sin4(1, 9015);
    CALL("connect", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    peer_wait(p);
    usleep(300 * 1000);
    CALL("send", lwip_send(s, "x", 1, 0));
    CALL("send", lwip_send(s, "x", 1, 0));
    show_so_error(s);
    CALL("close", lwip_close(s));

    printf("== close with unread data resets\n");
    p = peer_start("listen 9016 send:unread sleep:0.5 expect-eof");
    peer_line(p);
    s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    a = sin4(1, 9016);
    CALL("connect", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    usleep(200 * 1000);
    CALL("close", lwip_close(s));
    peer_wait(p);

    printf("== SO_LINGER {1,0} without unsent data is a normal close\n");
    p = peer_start("listen 9017 recv expect-eof");
    peer_line(p);
    s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    a = sin4(1, 9017);
    CALL("connect", lwip_connect(s, (struct sockaddr *)&a, sizeof a));
    struct linger lg = { 1, 0 };
    CALL("SO_LINGER", lwip_setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    CALL("send", lwip_send(s, "bye", 3, 0));
    usleep(200 * 1000);
    CALL("close", lwip_close(s));
    peer_wait(p);
    return 0;
}
