#!/bin/sh
# sock_optfx: see sock_optfx.c. Usage: sock_optfx.sh BINARY LIBDIR_OR_EMPTY
exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.85.0
