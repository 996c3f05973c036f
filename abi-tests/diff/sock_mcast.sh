#!/bin/sh
# sock_mcast: see sock_mcast.c. Usage: sock_mcast.sh BINARY LIBDIR_OR_EMPTY
exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.72.0
