#!/bin/sh
# Symbol check: which names of the scope list (abi-tests/symbols.txt) the shared library
# exports, and that it exports nothing else (no Rust-mangled or helper symbols leak).
# Prints "exported N/M" and the missing names. Exit status: non-zero only on a leak;
# missing names are a report until the surface is complete.
# Usage: check_symbols.sh LIB [SCOPE_FILE]
set -eu
lib=$1
scope=${2:-$(dirname "$0")/symbols.txt}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -v '^#' "$scope" | grep -v '^$' | sort -u >"$tmp/scope"
nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | sort -u >"$tmp/exported"

comm -12 "$tmp/scope" "$tmp/exported" >"$tmp/have"
comm -23 "$tmp/scope" "$tmp/exported" >"$tmp/missing"
# Intended exports outside the scope list: the project's own API and lwIP-named extras.
comm -13 "$tmp/scope" "$tmp/exported" | grep -v -E '^(smolwip_|lwip_|netconn_|netbuf_|pbuf_|netif_|tcpip_|sys_|esp_netif_|_g_esp_netif_|esp_ip4addr_|IP_EVENT$|ip4?6?addr_|ip_addr_|ip6_addr_|mem_|h_errno$|lock_tcpip_core$|dns_)' >"$tmp/leaked" || true

echo "exported $(wc -l <"$tmp/have")/$(wc -l <"$tmp/scope")"
if [ -s "$tmp/missing" ]; then
    echo "missing: $(tr '\n' ' ' <"$tmp/missing")"
fi
if [ -s "$tmp/leaked" ]; then
    echo "FAIL: unintended exports: $(tr '\n' ' ' <"$tmp/leaked")"
    exit 1
fi
