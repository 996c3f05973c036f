# smolwip: build, test and demo entry points.
#
#   make                  build liblwip.a / liblwip.so.0 / lwip.pc / include/ into build/
#   make test             unit tests, header freshness, no_std build, ABI suite, integration tests
#   make demo             build, then ping the lwIP example app on a TAP device from the kernel
#   make PROFILE=native   the same for another ABI profile (output in build/native/)
#   make header           regenerate include/smolwip.h (cbindgen)
#   make bench            benchmark against real lwIP (QUICK=1: under a minute)
#
# A profile is the set of lwIP headers a caller compiles with; see README.md.

PROFILE ?= debian
ifeq ($(PROFILE),debian)
OUT ?= build
else
OUT ?= build/$(PROFILE)
endif
OUT := $(abspath $(OUT))

# Include directories of the profile, as given to the C compiler and to build.rs.
# Recursive (=), not simple (:=): on a fresh machine pkg-config and liblwip-dev are only
# there once the deps target has run, so the value is computed when a recipe uses it.
ifneq ($(strip $(LWIP_INCLUDE_DIRS)),)
PROFILE_INCDIRS = $(subst :, ,$(LWIP_INCLUDE_DIRS))
else ifeq ($(PROFILE),native)
PROFILE_INCDIRS = $(CURDIR)/profiles/native $(patsubst -I%,%,$(shell pkg-config --cflags lwip 2>/dev/null))
else
PROFILE_INCDIRS = $(patsubst -I%,%,$(shell pkg-config --cflags lwip 2>/dev/null))
endif
PROFILE_CFLAGS = $(addprefix -I,$(PROFILE_INCDIRS)) $(LWIP_CFLAGS)
# Host profiles also get smolwip's edition of ESP-IDF's esp_netif headers (include/esp-host),
# after the profile's own directories, as build.rs adds them.
ifneq ($(filter debian native,$(PROFILE)),)
ESP_HOST_CFLAGS = -I$(CURDIR)/include/esp-host
ESP_HOST_PC = -I$${includedir}/esp-host
endif

CARGO ?= cargo
CARGO_TARGET_DIR ?= $(CURDIR)/target/$(PROFILE)
export CARGO_TARGET_DIR
export SMOLWIP_PROFILE := $(PROFILE)
CARGO_RELEASE := $(CARGO_TARGET_DIR)/release

CC ?= cc
TEST_CFLAGS = -std=gnu11 -Wall -Wextra -Werror -g -I$(CURDIR)/include $(PROFILE_CFLAGS) $(ESP_HOST_CFLAGS)

.PHONY: all build deps deps-build deps-bench test-bench test test-unit test-nostd test-firmware test-esp-idf test-abi test-diff test-net test-cmake demo bench header clean

all: build

deps-build:
	@scripts/deps.sh build

deps:
	@scripts/deps.sh test

# The shipped library is the no_std core on every target (host-only parts use libc alone),
# so the host tests exercise the same build an ESP target gets, without std's runtime.
build: deps-build
	$(CARGO) build --release --quiet --no-default-features
	@mkdir -p $(OUT)/include
	@cp $(CARGO_RELEASE)/liblwip.a $(OUT)/liblwip.a
	@cp $(CARGO_RELEASE)/liblwip.so $(OUT)/liblwip.so.0
	@ln -sf liblwip.so.0 $(OUT)/liblwip.so
	@cp include/smolwip.h $(OUT)/include/smolwip.h
	@$(if $(ESP_HOST_CFLAGS),cp -r include/esp-host $(OUT)/include/)
	@printf '%s\n' \
	  'prefix=$(OUT)' 'libdir=$${prefix}' 'includedir=$${prefix}/include' '' \
	  'Name: lwip' 'Description: smolwip - the lwIP API over smoltcp ($(PROFILE) profile)' \
	  'Version: 2.1.3' 'Libs: -L$${libdir} -llwip' 'Libs.private: -lpthread -lrt -lm -lc' \
	  'Cflags: $(PROFILE_CFLAGS) -I$${includedir} $(ESP_HOST_PC)' >$(OUT)/lwip.pc
	@echo "built $(OUT)/liblwip.a $(OUT)/liblwip.so.0 ($(PROFILE) profile)"

header:
	SMOLWIP_BLESS=1 $(CARGO) test --quiet --lib header_is_fresh

# ---- tests -----------------------------------------------------------------------
test: deps build test-unit test-nostd test-firmware test-esp-idf test-abi test-diff test-net test-cmake test-bench
	@echo "make test: all passed ($(PROFILE) profile)"

test-unit:
	$(CARGO) test --quiet

# The core must build without std (ESP-IDF targets have none).
test-nostd:
	$(CARGO) build --quiet --no-default-features --lib
	@echo "no_std build: ok"

# The same core for a 32-bit RISC-V ESP-IDF chip (no OS of its own): it builds, and takes
# nothing from outside but what ESP-IDF provides (abi-tests/firmware).
test-firmware:
	abi-tests/firmware/build.sh

# The esp-idf ABI profile, against the ESP-IDF checkout IDF_PATH names (skipped without one).
test-esp-idf:
ifneq ($(strip $(IDF_PATH)),)
	abi-tests/esp_idf_profile.sh
else
	@echo "esp-idf profile: skipped (IDF_PATH is not set; see idf-port/README.md)"
endif

test-abi: build
	@mkdir -p $(OUT)/tests
	$(CC) $(TEST_CFLAGS) abi-tests/abi_check.c -L$(OUT) -l:liblwip.so.0 -o $(OUT)/tests/abi_check
	LD_LIBRARY_PATH=$(OUT) $(OUT)/tests/abi_check
	abi-tests/check_symbols.sh $(OUT)/liblwip.so.0
ifeq ($(PROFILE),debian)
	$(MAKE) --no-print-directory PROFILE=native test-abi
	abi-tests/profile_change.sh
endif

# Differential C tests (abi-tests/diff): one binary, run on real lwIP and on smolwip.
test-diff: build
ifeq ($(PROFILE),debian)
	abi-tests/run_diff.sh $(OUT)
else
	@echo "differential tests run in the debian profile only (the reference binary is Debian's)"
endif

# smolwip-only integration tests against the kernel (abi-tests/net): what the reference
# lwIP cannot run (full-size frames) and what it does not have (pcap, stats).
# Their C programs are compiled against Debian's headers, so they run in the debian profile;
# the ones written for the native profile (native_sockets, esp_netif) build and use
# build/native from there.
test-net: build
ifeq ($(PROFILE),debian)
	@rc=0; for t in abi-tests/net/*.sh; do echo "== $$t"; $$t $(OUT) || rc=1; done; exit $$rc
else
	@echo "integration tests run in the debian profile only (make test runs the native-profile ones)"
endif

test-cmake: build
ifneq ($(PROFILE),debian)
	@echo "the CMake example runs in the debian profile only"
else
	@rm -rf $(OUT)/cmake-example
	cmake -S cmake/example -B $(OUT)/cmake-example -DSMOLWIP_BUILD_DIR=$(OUT) >/dev/null
	cmake --build $(OUT)/cmake-example >/dev/null
	$(OUT)/cmake-example/smolwip_cmake_example
	$(OUT)/cmake-example/smolwip_cmake_swapped
endif

# ---- demo ------------------------------------------------------------------------
demo: deps build
	examples/demo.sh $(OUT)

# The benchmark against real lwIP (bench/run.py): results in bench/results/latest.*.
# QUICK=1: smaller transfers, one round (under a minute), results in build/bench/quick/
# (the checked-in figures are always a full run's).
bench: deps-bench build
	$(if $(filter-out 0,$(QUICK)),BENCH_RESULTS=$(OUT)/bench/quick) python3 bench/run.py $(if $(filter-out 0,$(QUICK)),--quick)

deps-bench:
	@scripts/deps.sh bench

# make test runs the benchmark harness once, QUICK, as a correctness smoke test; its
# figures go to build/ and are not checked.
test-bench: build
ifeq ($(PROFILE),debian)
	BENCH_RESULTS=$(OUT)/bench/smoke python3 bench/run.py --quick >/dev/null
else
	@echo "the benchmark smoke runs in the debian profile only (its reference is Debian's lwIP)"
endif

clean:
	rm -rf build target
