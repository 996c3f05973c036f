#!/bin/sh
# Links ESP-IDF's sdkconfig.rename of its lwip component into smolwip's (ESP-IDF reads a
# component's rename file while it discovers components, before any CMake code runs, and the
# file is ESP-IDF's to ship). Run once per ESP-IDF checkout: IDF_PATH=... idf-port/setup.sh
set -eu
: "${IDF_PATH:?set IDF_PATH to your ESP-IDF checkout}"
here=$(cd "$(dirname "$0")" && pwd)
ln -sf "$IDF_PATH/components/lwip/sdkconfig.rename" "$here/components/lwip/sdkconfig.rename"
echo "linked $here/components/lwip/sdkconfig.rename -> $IDF_PATH/components/lwip/sdkconfig.rename"
