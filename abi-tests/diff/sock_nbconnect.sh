#!/bin/sh
# sock_nbconnect: see sock_nbconnect.c. Usage: sock_nbconnect.sh BINARY LIBDIR_OR_EMPTY
exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.82.0
