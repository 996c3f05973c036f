#!/bin/sh
# sock_v6: see sock_v6.c. Usage: sock_v6.sh BINARY LIBDIR_OR_EMPTY
NETNS_MTU=1280 exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.87.0
