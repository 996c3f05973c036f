#!/bin/sh
# sock_many: see sock_many.c. Usage: sock_many.sh BINARY LIBDIR_OR_EMPTY
exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.77.0
