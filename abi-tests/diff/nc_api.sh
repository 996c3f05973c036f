#!/bin/sh
# nc_api: see nc_api.c. Usage: nc_api.sh BINARY LIBDIR_OR_EMPTY
exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.93.0
