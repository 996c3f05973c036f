#!/bin/sh
# sock_opts: see sock_opts.c. Usage: sock_opts.sh BINARY LIBDIR_OR_EMPTY
exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.84.0
