#!/bin/sh
# nc_events: see nc_events.c. Usage: nc_events.sh BINARY LIBDIR_OR_EMPTY
exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.92.0
