#!/bin/sh
# sock_udp: see sock_udp.c. Usage: sock_udp.sh BINARY LIBDIR_OR_EMPTY
exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.83.0
