#!/bin/sh
# sock_tcp: see sock_tcp.c. Usage: sock_tcp.sh BINARY LIBDIR_OR_EMPTY
exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.81.0
