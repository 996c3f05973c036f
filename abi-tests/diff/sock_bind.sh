#!/bin/sh
# sock_bind: see sock_bind.c. Usage: sock_bind.sh BINARY LIBDIR_OR_EMPTY
exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.96.0
