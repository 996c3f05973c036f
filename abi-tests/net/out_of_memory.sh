#!/bin/sh
# Runs abi-tests/net/out_of_memory.c against smolwip in a fresh namespace (see that file).
# Usage: out_of_memory.sh BUILD_DIR
exec "$(dirname "$0")/lib/c_in_netns.sh" out_of_memory 10.76.0 "$1"
