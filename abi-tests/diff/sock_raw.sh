#!/bin/sh
# sock_raw: see sock_raw.c. Usage: sock_raw.sh BINARY LIBDIR_OR_EMPTY
NETNS_MTU=1280 exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.88.0
