#!/bin/sh
# sock_backlog: see sock_backlog.c. Usage: sock_backlog.sh BINARY LIBDIR_OR_EMPTY
exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.89.0
