#!/bin/sh
# netif_slaac: see netif_slaac.c. Usage: netif_slaac.sh BINARY LIBDIR_OR_EMPTY
NETNS_MTU=1280 exec "$(dirname "$0")/lib/netns_run.sh" "$1" "$2" 10.79.0
