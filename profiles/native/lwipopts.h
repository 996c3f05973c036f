/*
 * smolwip "native" profile: an embedded-style lwIP configuration for host builds.
 *
 * Modelled on ESP-IDF's defaults (lwIP's own socket types with sin_len, SOL_SOCKET 0xfff,
 * lwIP's fd_set and select, DNS and DHCP, loopback), so the ABI that firmware sees can be
 * exercised on a Linux host. Values are this project's choice, not copied from any port.
 */
#ifndef SMOLWIP_NATIVE_LWIPOPTS_H
#define SMOLWIP_NATIVE_LWIPOPTS_H

#define NO_SYS                          0
#define LWIP_TCPIP_CORE_LOCKING         1
#define LWIP_NETCONN                    1
#define LWIP_SOCKET                     1
#define LWIP_COMPAT_SOCKETS             0
#define LWIP_POSIX_SOCKETS_IO_NAMES     0
#define LWIP_SOCKET_SELECT              1
#define LWIP_SOCKET_POLL                1
#define LWIP_NETCONN_FULLDUPLEX         1
#define LWIP_NETCONN_SEM_PER_THREAD     0

/* Like ESP-IDF: a fixed socket table at the top of the C library's fd_set range
 * (FD_SETSIZE - MEMP_NUM_NETCONN; 1014 with glibc's FD_SETSIZE of 1024). */
#define MEMP_NUM_NETCONN                10
#define LWIP_SOCKET_OFFSET              (FD_SETSIZE - MEMP_NUM_NETCONN)

#define MEM_LIBC_MALLOC                 1
#define MEMP_MEM_MALLOC                 1
#define MEM_ALIGNMENT                   8

#define LWIP_IPV4                       1
#define LWIP_IPV6                       1
#define LWIP_IPV6_AUTOCONFIG            1
#define LWIP_IPV6_NUM_ADDRESSES         3
#define LWIP_ARP                        1
#define LWIP_ETHERNET                   1
#define LWIP_ICMP                       1
#define LWIP_IGMP                       1
#define LWIP_IPV6_MLD                   1
#define LWIP_RAW                        1
#define LWIP_UDP                        1
#define LWIP_UDPLITE                    0
#define LWIP_TCP                        1
#define LWIP_DHCP                       1
#define LWIP_DNS                        1
#define DNS_MAX_SERVERS                 3
#define LWIP_NETIF_HOSTNAME             1
#define LWIP_NETIF_STATUS_CALLBACK      1
#define LWIP_NETIF_LINK_CALLBACK        1
#define LWIP_NETIF_LOOPBACK             1
#define LWIP_HAVE_LOOPIF                1
#define LWIP_LOOPBACK_MAX_PBUFS         8
#define IP_REASSEMBLY                   1
#define IP_FRAG                         1
#define LWIP_BROADCAST_PING             1
#define LWIP_MULTICAST_TX_OPTIONS       1
#define LWIP_NETBUF_RECVINFO            1

#define TCP_MSS                         1440
#define TCP_WND                         (4 * TCP_MSS)
#define TCP_SND_BUF                     (4 * TCP_MSS)
#define TCP_QUEUE_OOSEQ                 1
#define TCP_LISTEN_BACKLOG              1
#define TCP_DEFAULT_LISTEN_BACKLOG      5
#define MEMP_NUM_TCP_PCB                16
#define MEMP_NUM_TCP_PCB_LISTEN         16
#define MEMP_NUM_UDP_PCB                16

#define TCPIP_MBOX_SIZE                 32
#define DEFAULT_TCP_RECVMBOX_SIZE       6
#define DEFAULT_UDP_RECVMBOX_SIZE       6
#define DEFAULT_RAW_RECVMBOX_SIZE       6
#define DEFAULT_ACCEPTMBOX_SIZE         6
#define TCPIP_THREAD_STACKSIZE          8192
#define TCPIP_THREAD_PRIO               1

#define LWIP_TCP_KEEPALIVE              1
#define LWIP_SO_SNDTIMEO                1
#define LWIP_SO_RCVTIMEO                1
#define LWIP_SO_RCVBUF                  1
#define LWIP_SO_LINGER                  1
#define SO_REUSE                        1
#define LWIP_FIONREAD_LINUXMODE         1

#define LWIP_STATS                      0
#define LWIP_NOASSERT_ON_ERROR          1

#endif /* SMOLWIP_NATIVE_LWIPOPTS_H */
