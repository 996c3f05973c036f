#!/bin/sh
# sock_badinput: see sock_badinput.c. Usage: sock_badinput.sh BINARY LIBDIR_OR_EMPTY
exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.86.0
