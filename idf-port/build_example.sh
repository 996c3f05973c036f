#!/bin/sh
# Build idf-port/examples/eth_http_server with ESP-IDF's build system: the swap of ESP-IDF's
# lwip component for smolwip's, compiled and linked into a firmware image. Then link
# idf-port/tests/socket_users: ESP-IDF's socket users (esp_http_client, esp-tls, mqtt...).
#
#   IDF_PATH=/path/to/esp-idf idf-port/build_example.sh [BUILD_DIR]
#
# Needs an installed ESP-IDF (v5.4 or later: its Python environment active, its RISC-V
# toolchain on PATH) and a Rust toolchain. IDF_TARGET picks the chip (esp32c6 unless set).
# IDF_CMAKE_ARGS passes extra arguments to CMake (IDF_USERS_CMAKE_ARGS for the second
# project). Prints the image size and, where ESP-IDF's esp_idf_size is installed, what the
# lwip component contributes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${IDF_PATH:?set IDF_PATH to an ESP-IDF checkout (v5.4 or later)}"
target=${IDF_TARGET:-esp32c6}
build=${1:-$here/../build/idf-example-$target}
python=$(command -v python3)
[ -n "${IDF_PYTHON_ENV_PATH:-}" ] && python="$IDF_PYTHON_ENV_PATH/bin/python"

[ -e "$here/components/lwip/sdkconfig.rename" ] || "$here/setup.sh"
rm -rf "$build"
# shellcheck disable=SC2086
cmake -G Ninja -S "$here/examples/eth_http_server" -B "$build" -DIDF_TARGET="$target" \
    -DPYTHON="$python" -DSDKCONFIG="$build/sdkconfig" ${IDF_CMAKE_ARGS:-} >"$build.cmake.log" 2>&1 \
    || { tail -20 "$build.cmake.log"; echo "idf example: FAIL: CMake configure"; exit 1; }
ninja -C "$build" >"$build.ninja.log" 2>&1 \
    || { grep -E "error|undefined reference|multiple definition" "$build.ninja.log" | head -20; echo "idf example: FAIL: build"; exit 1; }
image="$build/smolwip_eth_http_server.bin"
echo "idf example ($target): built $image, $(wc -c <"$image") bytes"
if "$python" -c "import esp_idf_size" 2>/dev/null; then
    "$python" -m esp_idf_size --archives "$build/smolwip_eth_http_server.map" 2>/dev/null \
        | grep -E "Archive File|liblwip\.a" || true
fi

users="$build-socket-users"
rm -rf "$users"
# shellcheck disable=SC2086
cmake -G Ninja -S "$here/tests/socket_users" -B "$users" -DIDF_TARGET="$target" \
    -DPYTHON="$python" -DSDKCONFIG="$users/sdkconfig" ${IDF_USERS_CMAKE_ARGS:-${IDF_CMAKE_ARGS:-}} \
    >"$users.cmake.log" 2>&1 || { tail -20 "$users.cmake.log"; echo "socket users: FAIL: CMake configure"; exit 1; }
ninja -C "$users" >"$users.ninja.log" 2>&1 \
    || { grep -E "error|undefined reference|multiple definition" "$users.ninja.log" | head -20; echo "socket users: FAIL: link"; exit 1; }
echo "socket users ($target): esp_http_server, esp_http_client, esp-tls, mqtt, tcp_transport and netdb link"
