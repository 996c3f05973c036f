#!/bin/sh
# sock_udp_share: see sock_udp_share.c. Usage: sock_udp_share.sh BINARY LIBDIR_OR_EMPTY
exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.71.0
