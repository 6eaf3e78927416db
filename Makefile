# iptrtpproxy: one entry point.
#   make            build the module, the iptables extension, library and CLI
#   make check      MIB lint, unit tests (also under ASan/UBSan), install and
#                   packaging checks, then the integration scenarios in a QEMU guest,
#                   the Debian packages installed there last
#   make unit-asan  lib, cli, agent, daemon and unit tests under ASan and UBSan
#   make fuzz       the fuzz targets (tests/fuzz/) for FUZZ_SECONDS each (600),
#                   then GENL_FUZZ_COUNT (50000) mutated requests to the module
#                   and PACKET_FUZZ_COUNT (100000) mutated packets to its gates
#   make soak       traffic, session churn, SNMP walks and resets together for
#                   SOAK_SECONDS (600), then the counters reconcile and the
#                   module unloads clean (make check's run: 60 s)
#   make demo       the main job: a relayed call in a guest, end to end
#   make bench      the benchmarks (bench/) in the instruction-counting guest
#                   (make bench-deps: the packages only they need)
#   make install    install everything (see "Installing" below); make uninstall
#   make deb        the Debian packages, into build/deb/ (debian/)
#   make clean
#
# The module is built against KDIR: the running kernel's build tree when it
# has one, otherwise the installed Debian linux-headers-amd64 tree, which is
# the kernel the test rig boots (tests/vm/run).

KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sed 's|.*/linux-headers-||' | sort -V | tail -n1; fi)
KDIR ?= $(if $(wildcard /lib/modules/$(KVER)/build),/lib/modules/$(KVER)/build,/usr/src/linux-headers-$(KVER))

PREFIX ?= /usr/local
export PREFIX DESTDIR

# The project's version: the Debian changelog's, for one place to change it.
VERSION := $(shell dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null || \
	sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)

USER_DIRS := xtables lib cli snmp-agent rtpproxyd tests/tools tests/unit
# what make install installs from user space (each folder's install target
# builds what it installs)
INSTALL_DIRS := xtables lib cli snmp-agent rtpproxyd

.PHONY: all deps bench-deps kmod user check check-packages unit unit-asan fuzz-check fuzz soak lint pkg-check integration demo bench install uninstall \
	install-kmod uninstall-kmod install-user uninstall-user install-dkms uninstall-dkms \
	install-examples uninstall-examples deb clean
all: kmod user

# make check and make demo set up a fresh Debian 12 machine by themselves.
deps:
	tests/install-deps

# what only make bench needs (rtpengine and its kernel module)
bench-deps:
	tests/install-deps --bench
	bench/rtpengine-kmod $(KVER)

kmod:
	@test -d "$(KDIR)" || { echo "no kernel build tree at KDIR=$(KDIR): install linux-headers-amd64" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod W=1 modules

user:
	for d in $(USER_DIRS); do [ ! -f $$d/Makefile ] || $(MAKE) -C $$d || exit 1; done

# the unit tests, then make install/uninstall into a scratch DESTDIR
unit: all
	$(MAKE) -C tests/unit check
	tests/pkg/install-tree

# lib/, cli/, snmp-agent/ and rtpproxyd/ built once more with AddressSanitizer
# and UBSan, out of tree (build/asan/: the normal build is untouched), and
# the unit tests built and run with them, then the programs themselves on
# what needs no module (tests/asan-programs).  Any report fails the run
# (-fno-sanitize-recover: UBSan's findings abort too; LeakSanitizer is on).
ASAN_DIR := $(CURDIR)/build/asan
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_ENV := CFLAGS="-O1 -g $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
unit-asan:
	for d in lib cli snmp-agent rtpproxyd; do \
		env $(SAN_ENV) $(MAKE) -C $$d O=$(ASAN_DIR) || exit 1; done
	env $(SAN_ENV) $(MAKE) -C tests/unit check B=$(ASAN_DIR)/unit
	tests/asan-programs $(ASAN_DIR)

# libFuzzer targets over the CLI's parser and output and the library's
# decoding of replies (tests/fuzz/Makefile), built with clang into
# build/fuzz/: a short run of each in check (FUZZ_CHECK_SECONDS, 12), a long
# one with make fuzz (FUZZ_SECONDS, 600).  make fuzz also sends
# GENL_FUZZ_COUNT mutated requests to the kernel in a guest
# (tests/integration/genl-fuzz.sh; make check's run sends 4000), and
# PACKET_FUZZ_COUNT mutated packets to the gates of a relay
# (tests/integration/packet-fuzz.sh; make check's run sends 5000).
GENL_FUZZ_COUNT ?= 50000
PACKET_FUZZ_COUNT ?= 100000
fuzz-check:
	$(MAKE) -C tests/fuzz check

fuzz: deps all
	$(MAKE) -C tests/fuzz fuzz
	tests/vm/run --kver $(KVER) --timeout 4800 -- \
		env GENL_FUZZ_COUNT=$(GENL_FUZZ_COUNT) PACKET_FUZZ_COUNT=$(PACKET_FUZZ_COUNT) \
		SCENARIO_TIMEOUT=3600 tests/integration/run-all genl-fuzz packet-fuzz

# The soak (tests/integration/soak.sh) for SOAK_SECONDS: make check's run
# is 60 s long.
SOAK_SECONDS ?= 600
soak: deps all
	tests/vm/run --kver $(KVER) --timeout 4800 -- \
		env SOAK_SECONDS=$(SOAK_SECONDS) SCENARIO_TIMEOUT=3600 tests/integration/run-all soak

# the MIB through smilint's strictest level, and net-snmp's own parser; the
# module through sparse and W=1
lint:
	tests/lint-mib
	KDIR=$(KDIR) tests/lint-kmod

# The scenarios in the guest; with PACKAGES=1 (make check) and the packaging
# tools installed, then packages.sh over build/deb (pkg-check has just
# built it), last: it unloads the module and installs packages.
DEB_TOOLS = command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null && \
	command -v lintian >/dev/null
integration: all
	also=; if [ -n "$(PACKAGES)" ] && $(DEB_TOOLS); then also=packages; fi; \
		RUN_ALSO=$$also VM_ENV=RUN_ALSO \
		tests/vm/run --kver $(KVER) --timeout 4800 -- tests/integration/run-all

# The packages installed in the guest, DKMS building the module there, alone.
check-packages: deps all
	$(MAKE) deb
	tests/vm/run --kver $(KVER) --timeout 4800 -- tests/integration/run-all packages

# DKMS builds the module from its installed source (host only); the Debian
# packages build, hold the expected files and pass lintian, when the
# packaging tools are installed (tests/install-deps installs them).
pkg-check:
	tests/pkg/dkms-build
	if $(DEB_TOOLS); then tests/pkg/build-deb build/deb; \
	else echo "pkg-check: Debian packages SKIPPED: dpkg-dev, debhelper or lintian missing"; fi

# The three Debian packages (debian/), built from a copy of the tree so that
# dpkg-buildpackage's outputs land in build/deb/, and checked.
deb:
	tests/pkg/build-deb build/deb

check: deps
	$(MAKE) lint
	$(MAKE) unit
	$(MAKE) unit-asan
	$(MAKE) fuzz-check
	$(MAKE) pkg-check
	$(MAKE) integration PACKAGES=1

# The guest hands its plot out through the rig's --out directory.
DEMO_OUT ?= $(CURDIR)/demo-out
demo: deps
	$(MAKE) all
	rm -rf $(DEMO_OUT)
	DEMO_OUT=$(DEMO_OUT) VM_ENV=DEMO_OUT tests/vm/run --kver $(KVER) --out $(DEMO_OUT) -- tests/demo.sh

# Not part of check: benchmarks measure, they do not test.  BENCH="--quick"
# or names (relay rtpengine scale memory setup snmp) narrow it down; the
# logs and figures (PNG, gnuplot) land in bench/out.
bench: bench-deps all
	$(MAKE) -C bench
	tests/vm/run --icount --kver $(KVER) --timeout 7200 --out bench/out -- bench/run $(BENCH)

# ---- Installing -------------------------------------------------------------
# Everything goes under $(DESTDIR)$(PREFIX), except what the system decides:
#   the module      /lib/modules/$(KVER)/extra (MODDIR), then depmod (not with
#                   DESTDIR: the image's depmod runs where it is installed)
#   the extension   the xtables directory pkg-config reports (xtables/Makefile)
#   the MIB         net-snmp's MIB directory (snmp-agent/Makefile)
#   the unit        /lib/systemd/system for PREFIX=/usr, else $(PREFIX)/lib/systemd/system
# make uninstall removes exactly those files (and the project's own
# directories once empty).  install-dkms lays the module's source out for
# DKMS under $(DESTDIR)/usr/src/iptrtpproxy-$(VERSION) (dkms.conf).
MODDIR ?= /lib/modules/$(KVER)/extra
DOCDIR ?= $(PREFIX)/share/doc/iptrtpproxy
DKMS_SRC ?= /usr/src/iptrtpproxy-$(VERSION)

install: install-kmod install-user install-examples
uninstall: uninstall-kmod uninstall-user uninstall-examples

install-kmod: kmod
	install -D -m 644 kmod/xt_RTPPROXY.ko $(DESTDIR)$(MODDIR)/xt_RTPPROXY.ko
	$(if $(DESTDIR),,depmod -a $(KVER))

uninstall-kmod:
	rm -f $(DESTDIR)$(MODDIR)/xt_RTPPROXY.ko
	$(if $(DESTDIR),,depmod -a $(KVER))

# The user-space parts only (no module, no kernel tree needed).
install-user:
	for d in $(INSTALL_DIRS); do $(MAKE) -C $$d install || exit 1; done

uninstall-user:
	for d in $(INSTALL_DIRS); do $(MAKE) -C $$d uninstall || exit 1; done

install-examples:
	install -D -m 644 kmod/modules-load.d-iptrtpproxy.conf $(DESTDIR)$(DOCDIR)/examples/modules-load.d-iptrtpproxy.conf

uninstall-examples:
	rm -f $(DESTDIR)$(DOCDIR)/examples/modules-load.d-iptrtpproxy.conf
	-rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null

# The module's sources as DKMS wants them: dkms.conf at the top, the same
# kmod/ and include/ layout as here (kmod/Kbuild includes ../include).
DKMS_FILES := $(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h) kmod/Kbuild \
	include/xt_RTPPROXY.h
install-dkms:
	@test -n "$(VERSION)" || { echo "no version: debian/changelog is missing or unreadable" >&2; exit 1; }
	for f in $(DKMS_FILES); do install -D -m 644 $$f $(DESTDIR)$(DKMS_SRC)/$$f || exit 1; done
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(DESTDIR)$(DKMS_SRC)/dkms.conf
	chmod 644 $(DESTDIR)$(DKMS_SRC)/dkms.conf

uninstall-dkms:
	rm -f $(addprefix $(DESTDIR)$(DKMS_SRC)/,$(DKMS_FILES) dkms.conf)
	-rmdir $(DESTDIR)$(DKMS_SRC)/kmod $(DESTDIR)$(DKMS_SRC)/include $(DESTDIR)$(DKMS_SRC) 2>/dev/null

clean:
	rm -rf build/deb build/asan build/fuzz
	[ ! -d "$(KDIR)" ] || $(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean
	for d in $(USER_DIRS) bench; do [ ! -f $$d/Makefile ] || $(MAKE) -C $$d clean; done
