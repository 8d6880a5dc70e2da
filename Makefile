# The two commands: `make demo` and `make test`. Both install, build and run.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
FUZZ_SECS  ?= 30

# ccache (installed by setup): paths under this tree are rewritten relative to
# the build folder and the folder itself is not hashed, so a fresh clone
# anywhere on this machine reuses the objects an earlier build compiled.
export CCACHE_BASEDIR   := $(CURDIR)
export CCACHE_NOHASHDIR := 1
export CCACHE_MAXSIZE   ?= 8G

# LeakSanitizer's tracer in clang 14 can crash at exit on threads with dynamic
# TLS (the dlopen'd oneDNN plugin's OpenMP threads); not intercepting
# __tls_get_addr avoids it (google/sanitizers#1267, fixed in LLVM 17).
ASAN_TEST_OPTIONS ?= detect_leaks=1:intercept_tls_get_addr=0

.PHONY: all setup configure build demo test unit-test sanitize clean

all: build

setup:
	@bash scripts/setup.sh

configure: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The demo needs the library and the CLI only, not the tests.
demo: configure
	@cmake --build $(BUILD) -j $(JOBS) --target edgewise
	@bash scripts/demo.sh $(BUILD)

# Everything CI runs: unit + model + conformance tests; then one clang build
# with AddressSanitizer + UBSan (+ fuzzer coverage) that runs the whole suite
# again and fuzzes every parser for a bounded time.
test: unit-test sanitize

unit-test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

sanitize: setup
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
	  -DEW_SANITIZE=ON -DEW_FUZZ=ON \
	  -DCMAKE_CXX_COMPILER=clang++ >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=$(ASAN_TEST_OPTIONS) UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)
	@ASAN_OPTIONS=intercept_tls_get_addr=0 bash scripts/fuzz.sh $(ASAN_BUILD) $(FUZZ_SECS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
