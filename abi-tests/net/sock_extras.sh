#!/bin/sh
# Runs abi-tests/net/sock_extras.c against smolwip in a fresh namespace (see that file).
# Usage: sock_extras.sh BUILD_DIR
exec "$(dirname "$0")/lib/c_in_netns.sh" sock_extras 10.90.0 "$1"
