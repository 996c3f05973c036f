#!/bin/sh
# The esp-idf ABI profile: build the library for an ESP-IDF RISC-V chip against that ESP-IDF
# checkout's own headers (its lwIP, lwipopts.h, sys_arch.h, FreeRTOS, esp_netif) and an
# sdkconfig.h, at the target's pointer size, and check it.
#
#   IDF_PATH=/path/to/esp-idf abi-tests/esp_idf_profile.sh      (make test-esp-idf)
#
# Optional: IDF_TARGET (esp32c6; a RISC-V chip: esp32c6, esp32h2, esp32c5, esp32c61, or
# esp32c2/esp32c3 without atomics), SDKCONFIG_H (a project's build/config/sdkconfig.h; without
# it one is generated from ESP-IDF's Kconfig defaults with kconfgen, which ESP-IDF's Python
# environment has), LIBC_INCLUDE (the C library headers; default: the ESP toolchain's
# if riscv32-esp-elf-gcc is on PATH, else Debian's newlib standing in).
#
# What is checked:
# - every layout and constant of include/smolwip_abi_items.h that the profile has: build.rs
#   asserts at compile time that bindgen's 32-bit Rust view equals clang's sizeof/offsetof
#   and values for the target;
# - every export with a same_signature! check matches the profile's prototype;
# - the archive needs nothing but the C library, pthreads and esp_event (imports.txt);
# - the names of abi-tests/symbols.txt it does not define are listed (profile-dependent).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
: "${IDF_PATH:?set IDF_PATH to an ESP-IDF checkout (v5.4 or later)}"
target=${IDF_TARGET:-esp32c6}
case $target in
    esp32c2 | esp32c3) rust_target=riscv32imc-unknown-none-elf ;;
    *) rust_target=riscv32imac-unknown-none-elf ;;
esac
comp="$IDF_PATH/components"
if [ ! -f "$comp/lwip/lwip/src/include/lwip/opt.h" ]; then
    echo "esp-idf profile: FAIL: $comp/lwip/lwip is empty (git submodule update --init components/lwip/lwip)"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- sdkconfig.h -------------------------------------------------------------------------
if [ -n "${SDKCONFIG_H:-}" ]; then
    sdkconfig_dir=$(dirname "$SDKCONFIG_H")
else
    sdkconfig_dir="$tmp/config"
    mkdir -p "$sdkconfig_dir"
    for f in "$comp"/*/Kconfig; do echo "source \"$f\""; done >"$tmp/kconfigs.in"
    for f in "$comp"/*/Kconfig.projbuild; do [ -f "$f" ] && echo "source \"$f\""; done >"$tmp/kconfigs_projbuild.in"
    echo "CONFIG_ESP_NETIF_PROVIDE_CUSTOM_IMPLEMENTATION=y" >"$tmp/sdkconfig.defaults"
    version=$(sed -n 's/^#define ESP_IDF_VERSION_\(MAJOR\|MINOR\|PATCH\) *\([0-9]*\).*/\2/p' \
        "$comp/esp_common/include/esp_idf_version.h" | paste -sd.)
    if ! (cd "$IDF_PATH" && IDF_TARGET=$target IDF_ENV_FPGA= IDF_CI_BUILD= IDF_DOC_BUILD= IDF_TOOLCHAIN=gcc \
        IDF_VERSION=$version IDF_INIT_VERSION=$version \
        COMPONENT_KCONFIGS_SOURCE_FILE="$tmp/kconfigs.in" \
        COMPONENT_KCONFIGS_PROJBUILD_SOURCE_FILE="$tmp/kconfigs_projbuild.in" \
        python3 -m kconfgen --kconfig Kconfig --defaults "$tmp/sdkconfig.defaults" \
            --config "$tmp/sdkconfig" --output header "$sdkconfig_dir/sdkconfig.h" >"$tmp/kconfgen.log" 2>&1); then
        echo "esp-idf profile: FAIL: kconfgen could not make sdkconfig.h (pip install esp-idf-kconfig, or set SDKCONFIG_H):"
        tail -5 "$tmp/kconfgen.log"
        exit 1
    fi
fi

# ---- the C library -------------------------------------------------------------------------
libc_flags=""
shim=""
if [ -n "${LIBC_INCLUDE:-}" ]; then
    libc_inc=$LIBC_INCLUDE
elif command -v riscv32-esp-elf-gcc >/dev/null 2>&1; then
    # The C library's directory in the compiler's system search list (the one with stdlib.h).
    libc_inc=$(riscv32-esp-elf-gcc -xc -E -v /dev/null 2>&1 | sed -n '/search starts here:/,/End of search/p' \
        | sed -n 's/^ //p' | while read -r d; do [ -f "$d/stdlib.h" ] && echo "$d" && break; done)
else
    # Debian's newlib, configured as Espressif's is. It is older than ESP-IDF's: ESP-IDF's
    # sys/reent.h redeclares one of its variables const, so that header is bypassed here.
    libc_inc=/usr/include/newlib
    libc_flags="-D_POSIX_THREADS -D_UNIX98_THREAD_MUTEX_ATTRIBUTES -D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L"
    mkdir -p "$tmp/shim/sys"
    echo "#include \"$libc_inc/sys/reent.h\"" >"$tmp/shim/sys/reent.h"
    shim="$tmp/shim"
fi
if [ ! -f "$libc_inc/pthread.h" ]; then
    echo "esp-idf profile: FAIL: no C library headers in $libc_inc"
    exit 1
fi

# ---- include directories (those of the lwip component and what its headers include) ------
dirs=$shim
for d in \
    lwip/include lwip/include/apps lwip/include/apps/sntp lwip/lwip/src/include lwip/port/include \
    lwip/port/freertos/include lwip/port/esp32xx/include lwip/port/esp32xx/include/arch \
    lwip/port/esp32xx/include/sys \
    newlib/platform_include esp_libc/platform_include esp_common/include esp_system/include \
    freertos/config/include freertos/config/include/freertos freertos/config/riscv/include \
    freertos/FreeRTOS-Kernel/include freertos/FreeRTOS-Kernel/portable/riscv/include/freertos \
    freertos/esp_additions/include \
    esp_hw_support/include esp_hw_support/include/soc "esp_hw_support/port/$target/include" \
    "esp_hw_support/port/$target/private_include" \
    "soc/$target/include" "soc/$target/register" soc/include heap/include riscv/include \
    esp_rom/include "esp_rom/$target/include" "esp_rom/$target" log/include \
    esp_netif/include esp_netif/private_include esp_event/include vfs/include esp_timer/include \
    hal/include "hal/$target/include"; do
    [ -d "$comp/$d" ] && dirs="$dirs $comp/$d"
done
dirs="$dirs $sdkconfig_dir"

# ---- build -------------------------------------------------------------------------------------
export CARGO_TARGET_DIR="$top/target/esp-idf"
export SMOLWIP_PROFILE=esp-idf
LWIP_INCLUDE_DIRS=$(echo $dirs | tr ' ' ':')
export LWIP_INCLUDE_DIRS
export LWIP_CFLAGS="-isystem $libc_inc $libc_flags"
if ! rustup target list --installed 2>/dev/null | grep -qx "$rust_target"; then
    rustup target add "$rust_target" >/dev/null
fi
(cd "$top" && cargo rustc --quiet --release --no-default-features --lib --crate-type staticlib --target "$rust_target")
lib="$CARGO_TARGET_DIR/$rust_target/release/liblwip.a"
items=$(ls -t "$CARGO_TARGET_DIR/$rust_target"/release/build/smolwip-*/out/abi_items.rs | head -1)
layouts=$(grep -c '^const _: () = assert!(core::mem::size_of::<' "$items")
fields=$(grep -c '^const _: () = assert!(core::mem::offset_of!(' "$items")
constants=$(grep -c '^    AbiConstant {' "$items")
echo "esp-idf profile ($target, $(sed -n 's/^#define CONFIG_IDF_INIT_VERSION "\(.*\)"/\1/p' "$sdkconfig_dir/sdkconfig.h")): built;" \
    "$layouts sizes, $fields field offsets and $constants constants agree at 32 bits"

"$top/abi-tests/lib/archive_symbols.sh" undefined "$lib" >"$tmp/undefined"
# Besides the C library and pthreads: ESP-IDF's event loop, and the socket VFS glue that
# idf-port's component compiles (idf-port/components/lwip/smolwip_vfs.c).
{ grep -v '^#' "$here/firmware/imports.txt"; echo esp_event_post; echo IP_EVENT; echo esp_vfs_lwip_sockets_register; } \
    | grep -v '^$' | sort -u >"$tmp/allowed"
comm -23 "$tmp/undefined" "$tmp/allowed" >"$tmp/unexpected"
"$top/abi-tests/lib/archive_symbols.sh" defined "$lib" >"$tmp/defined"
grep -v '^#' "$here/symbols.txt" | grep -v '^$' | sort -u >"$tmp/scope"
echo "esp-idf profile: defines $(comm -12 "$tmp/scope" "$tmp/defined" | wc -l)/$(wc -l <"$tmp/scope") names of symbols.txt;" \
    "not in this profile: $(comm -23 "$tmp/scope" "$tmp/defined" | tr '\n' ' ')"
if [ -s "$tmp/unexpected" ]; then
    echo "esp-idf profile: FAIL: undefined symbols ESP-IDF does not provide: $(tr '\n' ' ' <"$tmp/unexpected")"
    exit 1
fi
echo "esp-idf profile: ok ($(wc -l <"$tmp/undefined") imports: $(tr '\n' ' ' <"$tmp/undefined" | sed 's/pthread_[a-z_]* //g')and pthreads)"
