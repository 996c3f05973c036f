/*
 * smolwip ABI items: every lwIP type layout and constant the library relies on.
 *
 * This file is an X-macro list, included (without a guard) in two places:
 *   - smolwip_abi.h, when bindgen runs at build time: each item becomes an enum
 *     constant that clang evaluates, so build.rs learns which items exist in this
 *     profile and their values (constants come into Rust from here, never typed by hand);
 *   - abi-tests/abi_check.c: the C compiler's view, checked against the table the
 *     library exports (smolwip_abi_layouts / smolwip_abi_constants).
 *
 *   SMOLWIP_LAYOUT(rust_name, c_type)            size and alignment of a type
 *   SMOLWIP_FIELD(rust_name, c_type, field)      offset and size of a field
 *   SMOLWIP_CONST(name, rust_type)               value of an integer constant
 *
 * Conditional items use the profile's own #if switches, so a profile that lacks a
 * feature simply has fewer items (both sides agree on that too).
 */

#ifdef SMOLWIP_ITEMS_EARLY
/* Read right after lwip/opt.h, before any system socket header: glibc's
 * <netinet/tcp.h> redefines TCP_MSS (as 512) and must not win over lwipopts.h. */
SMOLWIP_CONST(TCP_MSS, u16)
#else /* !SMOLWIP_ITEMS_EARLY */

/* ---- lwIP core types -------------------------------------------------- */
SMOLWIP_LAYOUT(ip4_addr_t, ip4_addr_t)
SMOLWIP_FIELD(ip4_addr_t, ip4_addr_t, addr)
#if LWIP_IPV6
SMOLWIP_LAYOUT(ip6_addr_t, ip6_addr_t)
SMOLWIP_FIELD(ip6_addr_t, ip6_addr_t, addr)
#if LWIP_IPV6_SCOPES
SMOLWIP_FIELD(ip6_addr_t, ip6_addr_t, zone)
#endif
#endif
SMOLWIP_LAYOUT(ip_addr_t, ip_addr_t)
#if LWIP_IPV4 && LWIP_IPV6
SMOLWIP_FIELD(ip_addr_t, ip_addr_t, u_addr)
SMOLWIP_FIELD(ip_addr_t, ip_addr_t, type)
#endif

SMOLWIP_LAYOUT(pbuf, struct pbuf)
SMOLWIP_FIELD(pbuf, struct pbuf, next)
SMOLWIP_FIELD(pbuf, struct pbuf, payload)
SMOLWIP_FIELD(pbuf, struct pbuf, tot_len)
SMOLWIP_FIELD(pbuf, struct pbuf, len)
SMOLWIP_FIELD(pbuf, struct pbuf, type_internal)
SMOLWIP_FIELD(pbuf, struct pbuf, flags)
SMOLWIP_FIELD(pbuf, struct pbuf, ref)
SMOLWIP_FIELD(pbuf, struct pbuf, if_idx)
#if LWIP_SUPPORT_CUSTOM_PBUF
SMOLWIP_LAYOUT(pbuf_custom, struct pbuf_custom)
SMOLWIP_FIELD(pbuf_custom, struct pbuf_custom, pbuf)
SMOLWIP_FIELD(pbuf_custom, struct pbuf_custom, custom_free_function)
#endif

SMOLWIP_LAYOUT(netif, struct netif)
#if !LWIP_SINGLE_NETIF
SMOLWIP_FIELD(netif, struct netif, next)
#endif
#if LWIP_IPV4
SMOLWIP_FIELD(netif, struct netif, ip_addr)
SMOLWIP_FIELD(netif, struct netif, netmask)
SMOLWIP_FIELD(netif, struct netif, gw)
SMOLWIP_FIELD(netif, struct netif, output)
#endif
#if LWIP_IPV6
SMOLWIP_FIELD(netif, struct netif, ip6_addr)
SMOLWIP_FIELD(netif, struct netif, ip6_addr_state)
SMOLWIP_FIELD(netif, struct netif, output_ip6)
#if LWIP_IPV6_ADDRESS_LIFETIMES
SMOLWIP_FIELD(netif, struct netif, ip6_addr_valid_life)
SMOLWIP_FIELD(netif, struct netif, ip6_addr_pref_life)
#endif
#if LWIP_IPV6_AUTOCONFIG
SMOLWIP_FIELD(netif, struct netif, ip6_autoconfig_enabled)
#endif
#endif
SMOLWIP_FIELD(netif, struct netif, input)
SMOLWIP_FIELD(netif, struct netif, linkoutput)
#if LWIP_NETIF_STATUS_CALLBACK
SMOLWIP_FIELD(netif, struct netif, status_callback)
#endif
#if LWIP_NETIF_LINK_CALLBACK
SMOLWIP_FIELD(netif, struct netif, link_callback)
#endif
SMOLWIP_FIELD(netif, struct netif, state)
#if LWIP_NETIF_HOSTNAME
SMOLWIP_FIELD(netif, struct netif, hostname)
#endif
SMOLWIP_FIELD(netif, struct netif, mtu)
SMOLWIP_FIELD(netif, struct netif, hwaddr)
SMOLWIP_FIELD(netif, struct netif, hwaddr_len)
SMOLWIP_FIELD(netif, struct netif, flags)
SMOLWIP_FIELD(netif, struct netif, name)
SMOLWIP_FIELD(netif, struct netif, num)
#if LWIP_IPV4 && LWIP_IGMP
SMOLWIP_FIELD(netif, struct netif, igmp_mac_filter)
#endif
#if LWIP_IPV6 && LWIP_IPV6_MLD
SMOLWIP_FIELD(netif, struct netif, mld_mac_filter)
#endif

#if LWIP_NETCONN
SMOLWIP_LAYOUT(netconn, struct netconn)
SMOLWIP_FIELD(netconn, struct netconn, type)
SMOLWIP_FIELD(netconn, struct netconn, state)
SMOLWIP_FIELD(netconn, struct netconn, pcb)
SMOLWIP_FIELD(netconn, struct netconn, pending_err)
#if !LWIP_NETCONN_SEM_PER_THREAD
SMOLWIP_FIELD(netconn, struct netconn, op_completed)
#endif
SMOLWIP_FIELD(netconn, struct netconn, recvmbox)
#if LWIP_TCP
SMOLWIP_FIELD(netconn, struct netconn, acceptmbox)
SMOLWIP_FIELD(netconn, struct netconn, current_msg)
#endif
#if LWIP_NETCONN_FULLDUPLEX
SMOLWIP_FIELD(netconn, struct netconn, mbox_threads_waiting)
#endif
#if LWIP_SOCKET
SMOLWIP_FIELD(netconn, struct netconn, socket)
#endif
#if LWIP_SO_SNDTIMEO
SMOLWIP_FIELD(netconn, struct netconn, send_timeout)
#endif
#if LWIP_SO_RCVTIMEO
SMOLWIP_FIELD(netconn, struct netconn, recv_timeout)
#endif
#if LWIP_SO_RCVBUF
SMOLWIP_FIELD(netconn, struct netconn, recv_bufsize)
SMOLWIP_FIELD(netconn, struct netconn, recv_avail)
#endif
#if LWIP_SO_LINGER
SMOLWIP_FIELD(netconn, struct netconn, linger)
#endif
SMOLWIP_FIELD(netconn, struct netconn, flags)
SMOLWIP_FIELD(netconn, struct netconn, callback)

SMOLWIP_LAYOUT(netbuf, struct netbuf)
SMOLWIP_FIELD(netbuf, struct netbuf, p)
SMOLWIP_FIELD(netbuf, struct netbuf, ptr)
SMOLWIP_FIELD(netbuf, struct netbuf, addr)
SMOLWIP_FIELD(netbuf, struct netbuf, port)
#if LWIP_NETBUF_RECVINFO || LWIP_CHECKSUM_ON_COPY
SMOLWIP_FIELD(netbuf, struct netbuf, flags)
SMOLWIP_FIELD(netbuf, struct netbuf, toport_chksum)
#if LWIP_NETBUF_RECVINFO
SMOLWIP_FIELD(netbuf, struct netbuf, toaddr)
#endif
#endif
SMOLWIP_LAYOUT(netvector, struct netvector)
SMOLWIP_FIELD(netvector, struct netvector, ptr)
SMOLWIP_FIELD(netvector, struct netvector, len)
#endif /* LWIP_NETCONN */

/* caller-allocated OS objects (sys_arch.h) */
SMOLWIP_LAYOUT(sys_sem_t, sys_sem_t)
SMOLWIP_LAYOUT(sys_mutex_t, sys_mutex_t)
SMOLWIP_LAYOUT(sys_mbox_t, sys_mbox_t)
SMOLWIP_LAYOUT(sys_thread_t, sys_thread_t)
SMOLWIP_LAYOUT(sys_prot_t, sys_prot_t)

/* ---- socket API types (lwIP's own or the system's, as the profile says) */
#if LWIP_SOCKET
SMOLWIP_LAYOUT(sockaddr, struct sockaddr)
SMOLWIP_FIELD(sockaddr, struct sockaddr, sa_family)
SMOLWIP_FIELD(sockaddr, struct sockaddr, sa_data)
SMOLWIP_LAYOUT(sockaddr_in, struct sockaddr_in)
SMOLWIP_FIELD(sockaddr_in, struct sockaddr_in, sin_family)
SMOLWIP_FIELD(sockaddr_in, struct sockaddr_in, sin_port)
SMOLWIP_FIELD(sockaddr_in, struct sockaddr_in, sin_addr)
SMOLWIP_LAYOUT(sockaddr_storage, struct sockaddr_storage)
SMOLWIP_FIELD(sockaddr_storage, struct sockaddr_storage, ss_family)
#if !LWIP_SOCKET_EXTERNAL_HEADERS
SMOLWIP_FIELD(sockaddr, struct sockaddr, sa_len)
SMOLWIP_FIELD(sockaddr_in, struct sockaddr_in, sin_len)
SMOLWIP_FIELD(sockaddr_storage, struct sockaddr_storage, s2_len)
#endif
#if LWIP_IPV6
SMOLWIP_LAYOUT(sockaddr_in6, struct sockaddr_in6)
SMOLWIP_FIELD(sockaddr_in6, struct sockaddr_in6, sin6_family)
SMOLWIP_FIELD(sockaddr_in6, struct sockaddr_in6, sin6_port)
SMOLWIP_FIELD(sockaddr_in6, struct sockaddr_in6, sin6_flowinfo)
SMOLWIP_FIELD(sockaddr_in6, struct sockaddr_in6, sin6_addr)
SMOLWIP_FIELD(sockaddr_in6, struct sockaddr_in6, sin6_scope_id)
#if !LWIP_SOCKET_EXTERNAL_HEADERS
SMOLWIP_FIELD(sockaddr_in6, struct sockaddr_in6, sin6_len)
#endif
#endif
SMOLWIP_LAYOUT(socklen_t, socklen_t)
SMOLWIP_LAYOUT(ifreq, struct ifreq)
SMOLWIP_LAYOUT(linger, struct linger)
SMOLWIP_FIELD(linger, struct linger, l_onoff)
SMOLWIP_FIELD(linger, struct linger, l_linger)
SMOLWIP_LAYOUT(iovec, struct iovec)
SMOLWIP_FIELD(iovec, struct iovec, iov_base)
SMOLWIP_FIELD(iovec, struct iovec, iov_len)
SMOLWIP_LAYOUT(msghdr, struct msghdr)
SMOLWIP_FIELD(msghdr, struct msghdr, msg_name)
SMOLWIP_FIELD(msghdr, struct msghdr, msg_namelen)
SMOLWIP_FIELD(msghdr, struct msghdr, msg_iov)
SMOLWIP_FIELD(msghdr, struct msghdr, msg_iovlen)
SMOLWIP_FIELD(msghdr, struct msghdr, msg_control)
SMOLWIP_FIELD(msghdr, struct msghdr, msg_controllen)
SMOLWIP_FIELD(msghdr, struct msghdr, msg_flags)
SMOLWIP_LAYOUT(timeval, struct timeval)
SMOLWIP_FIELD(timeval, struct timeval, tv_sec)
SMOLWIP_FIELD(timeval, struct timeval, tv_usec)
#if LWIP_SOCKET_POLL
SMOLWIP_LAYOUT(pollfd, struct pollfd)
SMOLWIP_FIELD(pollfd, struct pollfd, fd)
SMOLWIP_FIELD(pollfd, struct pollfd, events)
SMOLWIP_FIELD(pollfd, struct pollfd, revents)
#endif
SMOLWIP_LAYOUT(fd_set, fd_set)
#if LWIP_IGMP
SMOLWIP_LAYOUT(ip_mreq, struct ip_mreq)
SMOLWIP_FIELD(ip_mreq, struct ip_mreq, imr_multiaddr)
SMOLWIP_FIELD(ip_mreq, struct ip_mreq, imr_interface)
#endif
#if LWIP_IPV4
SMOLWIP_LAYOUT(in_pktinfo, struct in_pktinfo)
SMOLWIP_FIELD(in_pktinfo, struct in_pktinfo, ipi_ifindex)
SMOLWIP_FIELD(in_pktinfo, struct in_pktinfo, ipi_addr)
#endif
#if LWIP_IPV6_MLD
SMOLWIP_LAYOUT(ipv6_mreq, struct ipv6_mreq)
SMOLWIP_FIELD(ipv6_mreq, struct ipv6_mreq, ipv6mr_multiaddr)
SMOLWIP_FIELD(ipv6_mreq, struct ipv6_mreq, ipv6mr_interface)
#endif
#endif /* LWIP_SOCKET */

#if (LWIP_DNS && LWIP_SOCKET) || (LWIP_SOCKET && LWIP_SOCKET_EXTERNAL_HEADERS)
SMOLWIP_LAYOUT(addrinfo, struct addrinfo)
SMOLWIP_FIELD(addrinfo, struct addrinfo, ai_flags)
SMOLWIP_FIELD(addrinfo, struct addrinfo, ai_family)
SMOLWIP_FIELD(addrinfo, struct addrinfo, ai_socktype)
SMOLWIP_FIELD(addrinfo, struct addrinfo, ai_protocol)
SMOLWIP_FIELD(addrinfo, struct addrinfo, ai_addrlen)
SMOLWIP_FIELD(addrinfo, struct addrinfo, ai_addr)
SMOLWIP_FIELD(addrinfo, struct addrinfo, ai_canonname)
SMOLWIP_FIELD(addrinfo, struct addrinfo, ai_next)
SMOLWIP_LAYOUT(hostent, struct hostent)
SMOLWIP_FIELD(hostent, struct hostent, h_name)
SMOLWIP_FIELD(hostent, struct hostent, h_aliases)
SMOLWIP_FIELD(hostent, struct hostent, h_addrtype)
SMOLWIP_FIELD(hostent, struct hostent, h_length)
SMOLWIP_FIELD(hostent, struct hostent, h_addr_list)
#endif

/* ---- profile switches (type `opt`: when non-zero also a Rust cfg, e.g. cfg(lwip = "ipv6")) */
SMOLWIP_CONST(NO_SYS, opt)
SMOLWIP_CONST(LWIP_IPV4, opt)
SMOLWIP_CONST(LWIP_IPV6, opt)
SMOLWIP_CONST(LWIP_ARP, opt)
SMOLWIP_CONST(LWIP_ETHERNET, opt)
SMOLWIP_CONST(LWIP_ICMP, opt)
SMOLWIP_CONST(LWIP_IGMP, opt)
SMOLWIP_CONST(LWIP_IPV6_MLD, opt)
SMOLWIP_CONST(LWIP_RAW, opt)
SMOLWIP_CONST(LWIP_UDP, opt)
SMOLWIP_CONST(LWIP_UDPLITE, opt)
SMOLWIP_CONST(LWIP_TCP, opt)
SMOLWIP_CONST(LWIP_DHCP, opt)
SMOLWIP_CONST(LWIP_DNS, opt)
SMOLWIP_CONST(LWIP_NETCONN, opt)
SMOLWIP_CONST(LWIP_SOCKET, opt)
SMOLWIP_CONST(LWIP_SOCKET_SELECT, opt)
SMOLWIP_CONST(LWIP_SOCKET_POLL, opt)
/* Debian's options (its lwIP carries them as a patch; upstream and ESP-IDF's have neither). */
#ifdef LWIP_SOCKET_EXTERNAL_HEADERS
SMOLWIP_CONST(LWIP_SOCKET_EXTERNAL_HEADERS, opt)
#endif
#ifdef LWIP_SOCKET_OPEN_COUNT
SMOLWIP_CONST(LWIP_SOCKET_OPEN_COUNT, opt)
#endif
SMOLWIP_CONST(LWIP_FIONREAD_LINUXMODE, opt)
SMOLWIP_CONST(LWIP_NETIF_API, opt)
SMOLWIP_CONST(MIB2_STATS, opt)
SMOLWIP_CONST(SMOLWIP_IPV6_MULTICAST_OPTIONS, opt)
SMOLWIP_CONST(SMOLWIP_LWIP_FD_SET, opt)
SMOLWIP_CONST(LWIP_NETCONN_FULLDUPLEX, opt)
SMOLWIP_CONST(LWIP_NETCONN_SEM_PER_THREAD, opt)
SMOLWIP_CONST(LWIP_TCPIP_CORE_LOCKING, opt)
SMOLWIP_CONST(LWIP_SO_SNDTIMEO, opt)
SMOLWIP_CONST(LWIP_SO_RCVTIMEO, opt)
SMOLWIP_CONST(LWIP_SO_RCVBUF, opt)
SMOLWIP_CONST(LWIP_SO_LINGER, opt)
SMOLWIP_CONST(SO_REUSE, opt)
SMOLWIP_CONST(LWIP_TCP_KEEPALIVE, opt)
SMOLWIP_CONST(LWIP_NETIF_HOSTNAME, opt)
SMOLWIP_CONST(LWIP_NETIF_STATUS_CALLBACK, opt)
SMOLWIP_CONST(LWIP_NETIF_LINK_CALLBACK, opt)
SMOLWIP_CONST(LWIP_NETIF_LOOPBACK, opt)
SMOLWIP_CONST(LWIP_HAVE_LOOPIF, opt)
SMOLWIP_CONST(LWIP_NETBUF_RECVINFO, opt)
SMOLWIP_CONST(LWIP_CHECKSUM_ON_COPY, opt)
SMOLWIP_CONST(LWIP_SUPPORT_CUSTOM_PBUF, opt)
SMOLWIP_CONST(LWIP_IPV6_AUTOCONFIG, opt)
SMOLWIP_CONST(LWIP_IPV6_ADDRESS_LIFETIMES, opt)
SMOLWIP_CONST(LWIP_IPV6_SEND_ROUTER_SOLICIT, opt)
SMOLWIP_CONST(LWIP_IPV6_SCOPES, opt)
SMOLWIP_CONST(LWIP_MULTICAST_TX_OPTIONS, opt)
SMOLWIP_CONST(LWIP_WND_SCALE, opt)
SMOLWIP_CONST(IP_REASSEMBLY, opt)
SMOLWIP_CONST(IP_FRAG, opt)
SMOLWIP_CONST(LWIP_SINGLE_NETIF, opt)
SMOLWIP_CONST(MEMP_MEM_MALLOC, opt)
SMOLWIP_CONST(MEM_LIBC_MALLOC, opt)
SMOLWIP_CONST(TCP_QUEUE_OOSEQ, opt)
SMOLWIP_CONST(TCP_LISTEN_BACKLOG, opt)
SMOLWIP_CONST(IP_SOF_BROADCAST, opt)
SMOLWIP_CONST(IP_SOF_BROADCAST_RECV, opt)
SMOLWIP_CONST(LWIP_SO_SNDRCVTIMEO_NONSTANDARD, opt)

/* ---- constants --------------------------------------------------------- */
/* err_t codes */
SMOLWIP_CONST(ERR_OK, err_t)
SMOLWIP_CONST(ERR_MEM, err_t)
SMOLWIP_CONST(ERR_BUF, err_t)
SMOLWIP_CONST(ERR_TIMEOUT, err_t)
SMOLWIP_CONST(ERR_RTE, err_t)
SMOLWIP_CONST(ERR_INPROGRESS, err_t)
SMOLWIP_CONST(ERR_VAL, err_t)
SMOLWIP_CONST(ERR_WOULDBLOCK, err_t)
SMOLWIP_CONST(ERR_USE, err_t)
SMOLWIP_CONST(ERR_ALREADY, err_t)
SMOLWIP_CONST(ERR_ISCONN, err_t)
SMOLWIP_CONST(ERR_CONN, err_t)
SMOLWIP_CONST(ERR_IF, err_t)
SMOLWIP_CONST(ERR_ABRT, err_t)
SMOLWIP_CONST(ERR_RST, err_t)
SMOLWIP_CONST(ERR_CLSD, err_t)
SMOLWIP_CONST(ERR_ARG, err_t)

/* errno values the library reports */
SMOLWIP_CONST(EPERM, c_int)
SMOLWIP_CONST(ENOENT, c_int)
SMOLWIP_CONST(EINTR, c_int)
SMOLWIP_CONST(EIO, c_int)
SMOLWIP_CONST(ENXIO, c_int)
SMOLWIP_CONST(EBADF, c_int)
SMOLWIP_CONST(EAGAIN, c_int)
SMOLWIP_CONST(EWOULDBLOCK, c_int)
SMOLWIP_CONST(ENOMEM, c_int)
SMOLWIP_CONST(EFAULT, c_int)
SMOLWIP_CONST(EBUSY, c_int)
SMOLWIP_CONST(EEXIST, c_int)
SMOLWIP_CONST(ENODEV, c_int)
SMOLWIP_CONST(EINVAL, c_int)
SMOLWIP_CONST(ENFILE, c_int)
SMOLWIP_CONST(EMFILE, c_int)
SMOLWIP_CONST(ENOSPC, c_int)
SMOLWIP_CONST(EPIPE, c_int)
SMOLWIP_CONST(ERANGE, c_int)
SMOLWIP_CONST(ENOSYS, c_int)
SMOLWIP_CONST(ENOTSOCK, c_int)
SMOLWIP_CONST(EDESTADDRREQ, c_int)
SMOLWIP_CONST(EMSGSIZE, c_int)
SMOLWIP_CONST(EPROTOTYPE, c_int)
SMOLWIP_CONST(ENOPROTOOPT, c_int)
SMOLWIP_CONST(EPROTONOSUPPORT, c_int)
SMOLWIP_CONST(EOPNOTSUPP, c_int)
SMOLWIP_CONST(EAFNOSUPPORT, c_int)
SMOLWIP_CONST(EADDRINUSE, c_int)
SMOLWIP_CONST(EADDRNOTAVAIL, c_int)
SMOLWIP_CONST(ENETDOWN, c_int)
SMOLWIP_CONST(ENETUNREACH, c_int)
SMOLWIP_CONST(ECONNABORTED, c_int)
SMOLWIP_CONST(ECONNRESET, c_int)
SMOLWIP_CONST(ENOBUFS, c_int)
SMOLWIP_CONST(EISCONN, c_int)
SMOLWIP_CONST(ENOTCONN, c_int)
SMOLWIP_CONST(ETIMEDOUT, c_int)
SMOLWIP_CONST(ECONNREFUSED, c_int)
SMOLWIP_CONST(EHOSTUNREACH, c_int)
SMOLWIP_CONST(EALREADY, c_int)
SMOLWIP_CONST(EINPROGRESS, c_int)

/* netconn */
#if LWIP_NETCONN
SMOLWIP_CONST(NETCONN_INVALID, c_int)
SMOLWIP_CONST(NETCONN_TCP, c_int)
SMOLWIP_CONST(NETCONN_TCP_IPV6, c_int)
SMOLWIP_CONST(NETCONN_UDP, c_int)
SMOLWIP_CONST(NETCONN_UDPLITE, c_int)
SMOLWIP_CONST(NETCONN_UDPNOCHKSUM, c_int)
SMOLWIP_CONST(NETCONN_UDP_IPV6, c_int)
SMOLWIP_CONST(NETCONN_RAW, c_int)
SMOLWIP_CONST(NETCONN_TYPE_IPV6, c_int)
SMOLWIP_CONST(NETCONN_NONE, c_int)
SMOLWIP_CONST(NETCONN_WRITE, c_int)
SMOLWIP_CONST(NETCONN_LISTEN, c_int)
SMOLWIP_CONST(NETCONN_CONNECT, c_int)
SMOLWIP_CONST(NETCONN_CLOSE, c_int)
SMOLWIP_CONST(NETCONN_EVT_RCVPLUS, c_int)
SMOLWIP_CONST(NETCONN_EVT_RCVMINUS, c_int)
SMOLWIP_CONST(NETCONN_EVT_SENDPLUS, c_int)
SMOLWIP_CONST(NETCONN_EVT_SENDMINUS, c_int)
SMOLWIP_CONST(NETCONN_EVT_ERROR, c_int)
SMOLWIP_CONST(NETCONN_NOFLAG, u8)
SMOLWIP_CONST(NETCONN_NOCOPY, u8)
SMOLWIP_CONST(NETCONN_COPY, u8)
SMOLWIP_CONST(NETCONN_MORE, u8)
SMOLWIP_CONST(NETCONN_DONTBLOCK, u8)
SMOLWIP_CONST(NETCONN_NOAUTORCVD, u8)
SMOLWIP_CONST(NETCONN_NOFIN, u8)
SMOLWIP_CONST(NETCONN_FLAG_NON_BLOCKING, u8)
SMOLWIP_CONST(NETCONN_FLAG_IN_NONBLOCKING_CONNECT, u8)
SMOLWIP_CONST(NETCONN_FLAG_CHECK_WRITESPACE, u8)
SMOLWIP_CONST(NETCONN_FLAG_IPV6_V6ONLY, u8)
SMOLWIP_CONST(NETCONN_FLAG_MBOXCLOSED, u8)
#if LWIP_NETBUF_RECVINFO
SMOLWIP_CONST(NETCONN_FLAG_PKTINFO, u8)
#endif
SMOLWIP_CONST(NETCONN_FIN_RX_PENDING, u8)
SMOLWIP_CONST(NETBUF_FLAG_DESTADDR, u8)
SMOLWIP_CONST(NETBUF_FLAG_CHKSUM, u8)
#endif

/* pbuf / netif */
SMOLWIP_CONST(PBUF_TRANSPORT, c_int)
SMOLWIP_CONST(PBUF_IP, c_int)
SMOLWIP_CONST(PBUF_LINK, c_int)
SMOLWIP_CONST(PBUF_RAW_TX, c_int)
SMOLWIP_CONST(PBUF_RAW, c_int)
SMOLWIP_CONST(PBUF_RAM, c_int)
SMOLWIP_CONST(PBUF_ROM, c_int)
SMOLWIP_CONST(PBUF_REF, c_int)
SMOLWIP_CONST(PBUF_POOL, c_int)
SMOLWIP_CONST(PBUF_FLAG_PUSH, u8)
SMOLWIP_CONST(PBUF_FLAG_IS_CUSTOM, u8)
SMOLWIP_CONST(PBUF_FLAG_TCP_FIN, u8)
SMOLWIP_CONST(PBUF_TYPE_FLAG_STRUCT_DATA_CONTIGUOUS, u8)
SMOLWIP_CONST(PBUF_TYPE_ALLOC_SRC_MASK, u8)
SMOLWIP_CONST(PBUF_TYPE_ALLOC_SRC_MASK_STD_HEAP, u8)
SMOLWIP_CONST(PBUF_TYPE_ALLOC_SRC_MASK_STD_MEMP_PBUF, u8)
SMOLWIP_CONST(PBUF_TYPE_ALLOC_SRC_MASK_STD_MEMP_PBUF_POOL, u8)
SMOLWIP_CONST(PBUF_IP_HLEN, usize)
SMOLWIP_CONST(PBUF_TRANSPORT_HLEN, usize)
SMOLWIP_CONST(MEM_ALIGNMENT, usize)
SMOLWIP_CONST(PBUF_POOL_BUFSIZE, usize)
SMOLWIP_CONST(PBUF_LINK_HLEN, usize)
SMOLWIP_CONST(PBUF_LINK_ENCAPSULATION_HLEN, usize)
SMOLWIP_CONST(NETIF_FLAG_UP, u8)
SMOLWIP_CONST(NETIF_FLAG_BROADCAST, u8)
SMOLWIP_CONST(NETIF_FLAG_LINK_UP, u8)
SMOLWIP_CONST(NETIF_FLAG_ETHARP, u8)
SMOLWIP_CONST(NETIF_FLAG_ETHERNET, u8)
SMOLWIP_CONST(NETIF_FLAG_IGMP, u8)
SMOLWIP_CONST(NETIF_FLAG_MLD6, u8)
SMOLWIP_CONST(NETIF_MAX_HWADDR_LEN, usize)
SMOLWIP_CONST(NETIF_NAMESIZE, usize)
SMOLWIP_CONST(NETIF_NO_INDEX, u8)
SMOLWIP_CONST(IPADDR_TYPE_V4, u8)
SMOLWIP_CONST(IPADDR_TYPE_V6, u8)
SMOLWIP_CONST(IPADDR_TYPE_ANY, u8)
#if LWIP_IPV4
SMOLWIP_CONST(IPADDR_NONE, u32)
SMOLWIP_CONST(IPADDR_ANY, u32)
SMOLWIP_CONST(IPADDR_BROADCAST, u32)
#endif
#if LWIP_IPV6
SMOLWIP_CONST(IP6_NO_ZONE, u8)
#endif
#if LWIP_IPV6
SMOLWIP_CONST(LWIP_IPV6_NUM_ADDRESSES, usize)
SMOLWIP_CONST(IP6_ADDR_INVALID, u8)
SMOLWIP_CONST(IP6_ADDR_TENTATIVE, u8)
SMOLWIP_CONST(IP6_ADDR_PREFERRED, u8)
SMOLWIP_CONST(IP6_ADDR_DEPRECATED, u8)
SMOLWIP_CONST(IP6_ADDR_VALID, u8)
SMOLWIP_CONST(IP6_ADDR_DUPLICATED, u8)
SMOLWIP_CONST(IP6_ADDR_LIFE_STATIC, u32)
SMOLWIP_CONST(IP6_ADDR_LIFE_INFINITE, u32)
SMOLWIP_CONST(LWIP_ND6_MAX_MULTICAST_SOLICIT, u8)
SMOLWIP_CONST(ND6_RTR_SOLICITATION_INTERVAL, u32)
SMOLWIP_CONST(ND6_2HRS, u32)
#endif
SMOLWIP_CONST(IP4ADDR_STRLEN_MAX, usize)
#if LWIP_IPV6
SMOLWIP_CONST(IP6ADDR_STRLEN_MAX, usize)
#endif

/* build-time capacities from lwipopts.h */
SMOLWIP_CONST(MEMP_NUM_NETCONN, usize)
SMOLWIP_CONST(MEMP_NUM_TCP_PCB, usize)
SMOLWIP_CONST(MEMP_NUM_TCP_PCB_LISTEN, usize)
SMOLWIP_CONST(MEMP_NUM_UDP_PCB, usize)
SMOLWIP_CONST(MEMP_NUM_RAW_PCB, usize)
SMOLWIP_CONST(PBUF_POOL_SIZE, usize)
SMOLWIP_CONST(TCP_WND, usize)
SMOLWIP_CONST(TCP_SND_BUF, usize)
SMOLWIP_CONST(TCP_SND_QUEUELEN, usize)
SMOLWIP_CONST(TCP_DEFAULT_LISTEN_BACKLOG, usize)
SMOLWIP_CONST(TCP_SYNMAXRTX, u32)
SMOLWIP_CONST(TCP_SNDLOWAT, usize)
SMOLWIP_CONST(TCP_SNDQUEUELOWAT, usize)
SMOLWIP_CONST(TCP_KEEPIDLE_DEFAULT, u32)
SMOLWIP_CONST(TCP_KEEPINTVL_DEFAULT, u32)
SMOLWIP_CONST(TCP_KEEPCNT_DEFAULT, u32)
SMOLWIP_CONST(TCP_FIN_WAIT_TIMEOUT, u32)
SMOLWIP_CONST(TCP_MSL, u32)
SMOLWIP_CONST(TCP_MAXRTX, u32)
SMOLWIP_CONST(TCPIP_MBOX_SIZE, usize)
SMOLWIP_CONST(ARP_QUEUEING, usize)
SMOLWIP_CONST(ARP_QUEUE_LEN, usize)
SMOLWIP_CONST(TCPIP_THREAD_STACKSIZE, c_int)
SMOLWIP_CONST(SYS_TIMEOUTS_SLEEPTIME_INFINITE, u32)
SMOLWIP_CONST(DEFAULT_TCP_RECVMBOX_SIZE, usize)
SMOLWIP_CONST(DEFAULT_UDP_RECVMBOX_SIZE, usize)
SMOLWIP_CONST(DEFAULT_RAW_RECVMBOX_SIZE, usize)
SMOLWIP_CONST(DEFAULT_ACCEPTMBOX_SIZE, usize)
SMOLWIP_CONST(RECV_BUFSIZE_DEFAULT, c_int)
SMOLWIP_CONST(IP_DEFAULT_TTL, u8)
SMOLWIP_CONST(LWIP_SOCKET_OFFSET, c_int)
SMOLWIP_CONST(SYS_ARCH_TIMEOUT, u32)
SMOLWIP_CONST(SYS_MBOX_EMPTY, u32)
#if LWIP_DNS
SMOLWIP_CONST(LWIP_DNS_API_DECLARE_H_ERRNO, opt)
SMOLWIP_CONST(DNS_MAX_SERVERS, usize)
SMOLWIP_CONST(DNS_MAX_NAME_LENGTH, usize)
SMOLWIP_CONST(LWIP_DNS_ADDRTYPE_DEFAULT, c_int)
#endif

/* sockets */
#if LWIP_SOCKET
SMOLWIP_CONST(AF_UNSPEC, c_int)
SMOLWIP_CONST(AF_INET, c_int)
SMOLWIP_CONST(PF_INET, c_int)
SMOLWIP_CONST(SOCK_STREAM, c_int)
SMOLWIP_CONST(SOCK_DGRAM, c_int)
SMOLWIP_CONST(SOCK_RAW, c_int)
SMOLWIP_CONST(IPPROTO_IP, c_int)
SMOLWIP_CONST(IPPROTO_ICMP, c_int)
SMOLWIP_CONST(IPPROTO_TCP, c_int)
SMOLWIP_CONST(IPPROTO_UDP, c_int)
SMOLWIP_CONST(IPPROTO_RAW, c_int)
#if LWIP_IPV6
SMOLWIP_CONST(AF_INET6, c_int)
SMOLWIP_CONST(PF_INET6, c_int)
SMOLWIP_CONST(IPPROTO_IPV6, c_int)
SMOLWIP_CONST(IPPROTO_ICMPV6, c_int)
SMOLWIP_CONST(IPV6_V6ONLY, c_int)
SMOLWIP_CONST(IPV6_CHECKSUM, c_int)
#endif
#if LWIP_UDPLITE
SMOLWIP_CONST(IPPROTO_UDPLITE, c_int)
#endif
SMOLWIP_CONST(SOL_SOCKET, c_int)
SMOLWIP_CONST(SO_REUSEADDR, c_int)
SMOLWIP_CONST(SO_KEEPALIVE, c_int)
SMOLWIP_CONST(SO_BROADCAST, c_int)
SMOLWIP_CONST(SO_ACCEPTCONN, c_int)
SMOLWIP_CONST(SO_LINGER, c_int)
SMOLWIP_CONST(SO_RCVBUF, c_int)
SMOLWIP_CONST(SO_SNDBUF, c_int)
SMOLWIP_CONST(SO_SNDTIMEO, c_int)
SMOLWIP_CONST(SO_RCVTIMEO, c_int)
SMOLWIP_CONST(SO_ERROR, c_int)
SMOLWIP_CONST(SO_TYPE, c_int)
SMOLWIP_CONST(SO_BINDTODEVICE, c_int)
#ifdef SO_NO_CHECK
SMOLWIP_CONST(SO_NO_CHECK, c_int)
#endif
SMOLWIP_CONST(IP_TOS, c_int)
SMOLWIP_CONST(IP_TTL, c_int)
#ifdef IP_PKTINFO
SMOLWIP_CONST(IP_PKTINFO, c_int)
#endif
SMOLWIP_CONST(IP_MULTICAST_TTL, c_int)
SMOLWIP_CONST(IP_MULTICAST_IF, c_int)
SMOLWIP_CONST(IP_MULTICAST_LOOP, c_int)
SMOLWIP_CONST(IP_ADD_MEMBERSHIP, c_int)
SMOLWIP_CONST(IP_DROP_MEMBERSHIP, c_int)
#if LWIP_IPV6_MLD
SMOLWIP_CONST(IPV6_JOIN_GROUP, c_int)
SMOLWIP_CONST(IPV6_LEAVE_GROUP, c_int)
#endif
#ifdef IPV6_MULTICAST_IF
SMOLWIP_CONST(IPV6_MULTICAST_IF, c_int)
SMOLWIP_CONST(IPV6_MULTICAST_HOPS, c_int)
SMOLWIP_CONST(IPV6_MULTICAST_LOOP, c_int)
#endif
SMOLWIP_CONST(TCP_NODELAY, c_int)
SMOLWIP_CONST(TCP_KEEPALIVE, c_int)
SMOLWIP_CONST(TCP_KEEPIDLE, c_int)
SMOLWIP_CONST(TCP_KEEPINTVL, c_int)
SMOLWIP_CONST(TCP_KEEPCNT, c_int)
SMOLWIP_CONST(MSG_PEEK, c_int)
SMOLWIP_CONST(MSG_WAITALL, c_int)
SMOLWIP_CONST(MSG_OOB, c_int)
SMOLWIP_CONST(MSG_DONTWAIT, c_int)
SMOLWIP_CONST(MSG_MORE, c_int)
SMOLWIP_CONST(MSG_NOSIGNAL, c_int)
SMOLWIP_CONST(MSG_TRUNC, c_int)
SMOLWIP_CONST(MSG_CTRUNC, c_int)
SMOLWIP_CONST(SHUT_RD, c_int)
SMOLWIP_CONST(SHUT_WR, c_int)
SMOLWIP_CONST(SHUT_RDWR, c_int)
SMOLWIP_CONST(F_GETFL, c_int)
SMOLWIP_CONST(F_SETFL, c_int)
SMOLWIP_CONST(O_NONBLOCK, c_int)
SMOLWIP_CONST(O_RDWR, c_int)
SMOLWIP_CONST(O_RDONLY, c_int)
SMOLWIP_CONST(O_WRONLY, c_int)
SMOLWIP_CONST(SOF_REUSEADDR, u8)
SMOLWIP_CONST(SOF_KEEPALIVE, u8)
SMOLWIP_CONST(SOF_BROADCAST, u8)
SMOLWIP_CONST(FIONBIO, c_long)
SMOLWIP_CONST(FIONREAD, c_long)
SMOLWIP_CONST(INADDR_ANY, u32)
SMOLWIP_CONST(INADDR_LOOPBACK, u32)
SMOLWIP_CONST(INADDR_BROADCAST, u32)
SMOLWIP_CONST(INET_ADDRSTRLEN, usize)
#if LWIP_IPV6
SMOLWIP_CONST(INET6_ADDRSTRLEN, usize)
#endif
#if LWIP_SOCKET_POLL
SMOLWIP_CONST(POLLIN, i16)
SMOLWIP_CONST(POLLOUT, i16)
SMOLWIP_CONST(POLLERR, i16)
SMOLWIP_CONST(POLLNVAL, i16)
SMOLWIP_CONST(POLLHUP, i16)
SMOLWIP_CONST(POLLPRI, i16)
SMOLWIP_CONST(POLLRDNORM, i16)
SMOLWIP_CONST(POLLRDBAND, i16)
SMOLWIP_CONST(POLLWRNORM, i16)
SMOLWIP_CONST(POLLWRBAND, i16)
#endif
SMOLWIP_CONST(FD_SETSIZE, c_int)
SMOLWIP_CONST(IOV_MAX, c_int)
#if LWIP_UDPLITE
SMOLWIP_CONST(UDPLITE_SEND_CSCOV, c_int)
SMOLWIP_CONST(UDPLITE_RECV_CSCOV, c_int)
#endif
#endif /* LWIP_SOCKET */

#if (LWIP_DNS && LWIP_SOCKET) || (LWIP_SOCKET && LWIP_SOCKET_EXTERNAL_HEADERS)
SMOLWIP_CONST(EAI_NONAME, c_int)
SMOLWIP_CONST(EAI_SERVICE, c_int)
SMOLWIP_CONST(EAI_FAIL, c_int)
SMOLWIP_CONST(EAI_MEMORY, c_int)
SMOLWIP_CONST(EAI_FAMILY, c_int)
SMOLWIP_CONST(HOST_NOT_FOUND, c_int)
SMOLWIP_CONST(NO_DATA, c_int)
SMOLWIP_CONST(NO_RECOVERY, c_int)
SMOLWIP_CONST(TRY_AGAIN, c_int)
SMOLWIP_CONST(AI_PASSIVE, c_int)
SMOLWIP_CONST(AI_CANONNAME, c_int)
SMOLWIP_CONST(AI_NUMERICHOST, c_int)
SMOLWIP_CONST(AI_NUMERICSERV, c_int)
SMOLWIP_CONST(AI_V4MAPPED, c_int)
SMOLWIP_CONST(AI_ALL, c_int)
SMOLWIP_CONST(AI_ADDRCONFIG, c_int)
#endif

/* ---- ESP-NETIF (ESP-IDF's headers on target, smolwip's host edition on a host) ---- */
SMOLWIP_CONST(SMOLWIP_ESP_NETIF, opt)
#if SMOLWIP_ESP_NETIF
SMOLWIP_CONST(SMOLWIP_ESP_NETIF_HOST_HEADERS, opt)
SMOLWIP_CONST(SMOLWIP_ESP_NETIF_IP6_TYPE_CONST, opt)
SMOLWIP_LAYOUT(esp_ip4_addr_t, esp_ip4_addr_t)
SMOLWIP_LAYOUT(esp_ip6_addr_t, esp_ip6_addr_t)
SMOLWIP_FIELD(esp_ip6_addr_t, esp_ip6_addr_t, zone)
SMOLWIP_LAYOUT(esp_ip_addr_t, esp_ip_addr_t)
SMOLWIP_FIELD(esp_ip_addr_t, esp_ip_addr_t, type)
SMOLWIP_LAYOUT(esp_netif_ip_info_t, esp_netif_ip_info_t)
SMOLWIP_FIELD(esp_netif_ip_info_t, esp_netif_ip_info_t, netmask)
SMOLWIP_FIELD(esp_netif_ip_info_t, esp_netif_ip_info_t, gw)
SMOLWIP_LAYOUT(esp_netif_dns_info_t, esp_netif_dns_info_t)
SMOLWIP_LAYOUT(esp_netif_inherent_config_t, esp_netif_inherent_config_t)
SMOLWIP_FIELD(esp_netif_inherent_config_t, esp_netif_inherent_config_t, flags)
SMOLWIP_FIELD(esp_netif_inherent_config_t, esp_netif_inherent_config_t, mac)
SMOLWIP_FIELD(esp_netif_inherent_config_t, esp_netif_inherent_config_t, ip_info)
SMOLWIP_FIELD(esp_netif_inherent_config_t, esp_netif_inherent_config_t, get_ip_event)
SMOLWIP_FIELD(esp_netif_inherent_config_t, esp_netif_inherent_config_t, lost_ip_event)
SMOLWIP_FIELD(esp_netif_inherent_config_t, esp_netif_inherent_config_t, if_key)
SMOLWIP_FIELD(esp_netif_inherent_config_t, esp_netif_inherent_config_t, if_desc)
SMOLWIP_FIELD(esp_netif_inherent_config_t, esp_netif_inherent_config_t, route_prio)
SMOLWIP_LAYOUT(esp_netif_driver_base_t, esp_netif_driver_base_t)
SMOLWIP_FIELD(esp_netif_driver_base_t, esp_netif_driver_base_t, post_attach)
SMOLWIP_FIELD(esp_netif_driver_base_t, esp_netif_driver_base_t, netif)
SMOLWIP_LAYOUT(esp_netif_driver_ifconfig_t, esp_netif_driver_ifconfig_t)
SMOLWIP_FIELD(esp_netif_driver_ifconfig_t, esp_netif_driver_ifconfig_t, handle)
SMOLWIP_FIELD(esp_netif_driver_ifconfig_t, esp_netif_driver_ifconfig_t, transmit)
SMOLWIP_FIELD(esp_netif_driver_ifconfig_t, esp_netif_driver_ifconfig_t, transmit_wrap)
SMOLWIP_FIELD(esp_netif_driver_ifconfig_t, esp_netif_driver_ifconfig_t, driver_free_rx_buffer)
SMOLWIP_LAYOUT(esp_netif_config_t, esp_netif_config_t)
SMOLWIP_FIELD(esp_netif_config_t, esp_netif_config_t, base)
SMOLWIP_FIELD(esp_netif_config_t, esp_netif_config_t, driver)
SMOLWIP_FIELD(esp_netif_config_t, esp_netif_config_t, stack)
SMOLWIP_LAYOUT(ip_event_got_ip_t, ip_event_got_ip_t)
SMOLWIP_FIELD(ip_event_got_ip_t, ip_event_got_ip_t, ip_info)
SMOLWIP_FIELD(ip_event_got_ip_t, ip_event_got_ip_t, ip_changed)
SMOLWIP_LAYOUT(esp_netif_ip6_info_t, esp_netif_ip6_info_t)
SMOLWIP_FIELD(esp_netif_ip6_info_t, esp_netif_ip6_info_t, ip)
SMOLWIP_LAYOUT(ip_event_got_ip6_t, ip_event_got_ip6_t)
SMOLWIP_FIELD(ip_event_got_ip6_t, ip_event_got_ip6_t, esp_netif)
SMOLWIP_FIELD(ip_event_got_ip6_t, ip_event_got_ip6_t, ip6_info)
SMOLWIP_FIELD(ip_event_got_ip6_t, ip_event_got_ip6_t, ip_index)
SMOLWIP_CONST(IP_EVENT_GOT_IP6, u32)
SMOLWIP_CONST(ESP_OK, esp_err_t)
SMOLWIP_CONST(ESP_FAIL, esp_err_t)
SMOLWIP_CONST(ESP_ERR_NO_MEM, esp_err_t)
SMOLWIP_CONST(ESP_ERR_INVALID_ARG, esp_err_t)
SMOLWIP_CONST(ESP_ERR_INVALID_STATE, esp_err_t)
SMOLWIP_CONST(ESP_ERR_NOT_SUPPORTED, esp_err_t)
SMOLWIP_CONST(ESP_ERR_ESP_NETIF_INVALID_PARAMS, esp_err_t)
SMOLWIP_CONST(ESP_ERR_ESP_NETIF_IF_NOT_READY, esp_err_t)
SMOLWIP_CONST(ESP_ERR_ESP_NETIF_DHCPC_START_FAILED, esp_err_t)
SMOLWIP_CONST(ESP_ERR_ESP_NETIF_DHCP_ALREADY_STARTED, esp_err_t)
SMOLWIP_CONST(ESP_ERR_ESP_NETIF_DHCP_ALREADY_STOPPED, esp_err_t)
SMOLWIP_CONST(ESP_ERR_ESP_NETIF_NO_MEM, esp_err_t)
SMOLWIP_CONST(ESP_ERR_ESP_NETIF_DHCP_NOT_STOPPED, esp_err_t)
SMOLWIP_CONST(ESP_ERR_ESP_NETIF_DRIVER_ATTACH_FAILED, esp_err_t)
SMOLWIP_CONST(ESP_ERR_ESP_NETIF_DNS_NOT_CONFIGURED, esp_err_t)
SMOLWIP_CONST(ESP_ERR_ESP_NETIF_MLD6_FAILED, esp_err_t)
SMOLWIP_CONST(ESP_ERR_ESP_NETIF_IP6_ADDR_FAILED, esp_err_t)
SMOLWIP_CONST(ESP_ERR_ESP_NETIF_TX_FAILED, esp_err_t)
SMOLWIP_CONST(ESP_NETIF_DHCP_CLIENT, u32)
SMOLWIP_CONST(ESP_NETIF_DHCP_SERVER, u32)
SMOLWIP_CONST(ESP_NETIF_FLAG_AUTOUP, u32)
SMOLWIP_CONST(ESP_NETIF_FLAG_IPV6_AUTOCONFIG_ENABLED, u32)
SMOLWIP_CONST(ESP_NETIF_DHCP_INIT, u32)
SMOLWIP_CONST(ESP_NETIF_DHCP_STARTED, u32)
SMOLWIP_CONST(ESP_NETIF_DHCP_STOPPED, u32)
SMOLWIP_CONST(ESP_NETIF_DNS_MAIN, u32)
SMOLWIP_CONST(ESP_NETIF_DNS_BACKUP, u32)
SMOLWIP_CONST(ESP_NETIF_DNS_FALLBACK, u32)
SMOLWIP_CONST(ESP_NETIF_DNS_MAX, u32)
SMOLWIP_CONST(ESP_NETIF_OP_SET, u32)
SMOLWIP_CONST(ESP_NETIF_OP_GET, u32)
SMOLWIP_CONST(ESP_NETIF_DOMAIN_NAME_SERVER, u32)
SMOLWIP_CONST(ESP_NETIF_IP_EVENT_GOT_IP, u32)
SMOLWIP_CONST(ESP_NETIF_IP_EVENT_LOST_IP, u32)
SMOLWIP_CONST(ESP_IPADDR_TYPE_V4, u8)
SMOLWIP_CONST(ESP_IPADDR_TYPE_V6, u8)
SMOLWIP_CONST(ESP_IP6_ADDR_IS_UNKNOWN, u32)
SMOLWIP_CONST(ESP_IP6_ADDR_IS_GLOBAL, u32)
SMOLWIP_CONST(ESP_IP6_ADDR_IS_LINK_LOCAL, u32)
SMOLWIP_CONST(ESP_IP6_ADDR_IS_SITE_LOCAL, u32)
SMOLWIP_CONST(ESP_IP6_ADDR_IS_UNIQUE_LOCAL, u32)
SMOLWIP_CONST(ESP_IP6_ADDR_IS_IPV4_MAPPED_IPV6, u32)
#endif

#endif /* !SMOLWIP_ITEMS_EARLY */
