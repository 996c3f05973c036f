/*
 * Two UDP sockets on one port (SO_REUSEADDR), the first connected to another peer: a
 * datagram from a third address goes to the unconnected one, not lost at the first.
 */
#include "lib/diffstack.h"

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.71.0");
    int one = 1;
    int a = lwip_socket(AF_INET, SOCK_DGRAM, 0), b = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    lwip_setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    lwip_setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in any = sin4(-1, 9800), other = sin4(1, 50000);
    CALL("bind the first", lwip_bind(a, (struct sockaddr *)&any, sizeof any));
    CALL("connect it to port 50000 of the peer", lwip_connect(a, (struct sockaddr *)&other, sizeof other));
    CALL("bind the second to the same port", lwip_bind(b, (struct sockaddr *)&any, sizeof any));
    FILE *p = peer_start("udp-send %s 9800 hello", host(2)); /* from port 40000 */
    peer_wait(p);
    usleep(200 * 1000);
    char buf[64];
    CALL("the connected one receives", lwip_recv(a, buf, sizeof buf, MSG_DONTWAIT));
    CALL("the unconnected one receives", lwip_recv(b, buf, sizeof buf, MSG_DONTWAIT));
    lwip_close(a);
    lwip_close(b);
    return 0;
}
