# Every target installs what is missing first, so a fresh Debian machine needs only make.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
LDCONFIG := $(shell command -v ldconfig || echo /sbin/ldconfig)
NPM_STAMP := node_modules/.clustervm-installed
IMAGE ?= images/default.json
BENCH ?=

.PHONY: run test bench deps packages-for-run packages-for-test packages-for-browser native typecheck lint boundaries unused

run: deps
	node emulator/cli/clustervm.mjs boot $(IMAGE)

# Chromium, for tests/browser only, installs in the background while the checks and
# the other suites run; tests/browser runs once it is there.
BROWSER_LOG := build/chromium-install.log

test: packages-for-test deps
	@mkdir -p build; $(MAKE) --no-print-directory packages-for-browser > $(BROWSER_LOG) 2>&1 & browser=$$!; \
	status=0; \
	$(MAKE) --no-print-directory typecheck lint boundaries unused && npx vitest run --exclude 'tests/browser/**' || status=$$?; \
	if ! wait $$browser; then echo "installing chromium failed:"; cat $(BROWSER_LOG); exit 1; fi; \
	if [ $$status != 0 ]; then exit $$status; fi; \
	npx vitest run tests/browser

typecheck: deps
	npm run --silent typecheck

lint: deps
	npm run --silent lint -- .

# Imports point down the table in architecture.mjs; no module cycles.
boundaries: deps
	npm run --silent boundaries

# Exports, files and dependencies nothing uses.
unused: deps
	npm run --silent unused

bench: deps
	BENCH_PLOTS=$(PLOTS) npx tsx tests/bench/run.ts $(BENCH)

deps: packages-for-run native $(NPM_STAMP)

# Debian packages, each named when the command or file that shows it is there is not.
missing = $(if $(shell $(2) >/dev/null 2>&1 && echo present),,$(1))

# libunicorn for the engine; gcc and libunicorn-dev for the native library (and the
# C reproducer tests/supervisor builds); gcc, the i686 cross gcc and the sparc64 cross
# gcc (with -m32 -mcpu=v8 for sparc32) and their binutils for guest C programs.
RUN_PACKAGES = $(call missing,libunicorn2,$(LDCONFIG) -p | grep -q 'libunicorn\.so\.2') \
  $(call missing,libunicorn-dev,test -f /usr/include/unicorn/unicorn.h) \
  $(call missing,gcc,command -v gcc) \
  $(call missing,gcc-i686-linux-gnu,command -v i686-linux-gnu-gcc) \
  $(call missing,gcc-sparc64-linux-gnu,command -v sparc64-linux-gnu-gcc)

# The gdb-stub tests drive the real GNU gdb; tests/browser drives Debian's Chromium.
TEST_PACKAGES = $(RUN_PACKAGES) $(call missing,gdb-multiarch,command -v gdb-multiarch)
BROWSER_PACKAGES = $(call missing,chromium,test -x /usr/bin/chromium)

apt_install = @packages="$(strip $(1))"; if [ -n "$$packages" ]; then \
	  echo "installing $$packages (apt-get)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$packages; \
	fi

packages-for-run:
	$(call apt_install,$(RUN_PACKAGES))

packages-for-test:
	$(call apt_install,$(TEST_PACKAGES))

packages-for-browser:
	$(call apt_install,$(BROWSER_PACKAGES))

FAST_PATH := build/libclustervm-fast-path.so

# The C beside the engine (emulator/engine/fast-path.c): block quanta, DSM and channel hooks.
native: $(FAST_PATH)

$(FAST_PATH): emulator/engine/fast-path.c emulator/engine/sparc-delayed-transfer.h | packages-for-run
	mkdir -p build
	gcc -O2 -Wall -Wextra -Werror -shared -fPIC -o $@ $< -lunicorn

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@
