#!/bin/sh
# netif_readdress: see netif_readdress.c. Usage: netif_readdress.sh BINARY LIBDIR_OR_EMPTY
NETNS_MTU=1280 exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.78.0
