# iptrtpproxy: one entry point.
#   make            build the module, the iptables extension, library and CLI
#   make check      MIB lint, unit tests, then the integration scenarios in a QEMU guest
#   make demo       the main job: a relayed call in a guest, end to end
#   make bench      the benchmarks (bench/) in the instruction-counting guest
#   make install    install everything under $(DESTDIR)$(PREFIX)
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

USER_DIRS := xtables lib cli snmp-agent rtpproxyd tests/tools tests/unit

.PHONY: all deps kmod user check unit lint integration demo bench install clean
all: kmod user

# make check and make demo set up a fresh Debian 12 machine by themselves.
deps:
	tests/install-deps

kmod:
	@test -d "$(KDIR)" || { echo "no kernel build tree at KDIR=$(KDIR): install linux-headers-amd64" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod W=1 modules

user:
	for d in $(USER_DIRS); do [ ! -f $$d/Makefile ] || $(MAKE) -C $$d || exit 1; done

unit: user
	$(MAKE) -C tests/unit check

# the MIB through smilint's strictest level, and net-snmp's own parser
lint:
	tests/lint-mib

integration: all
	tests/vm/run --kver $(KVER) --timeout 3000 -- tests/integration/run-all

check: deps
	$(MAKE) lint
	$(MAKE) unit
	$(MAKE) integration

# The guest hands its plot out through the rig's --out directory.
DEMO_OUT ?= $(CURDIR)/demo-out
demo: deps
	$(MAKE) all
	rm -rf $(DEMO_OUT)
	DEMO_OUT=$(DEMO_OUT) VM_ENV=DEMO_OUT tests/vm/run --kver $(KVER) --out $(DEMO_OUT) -- tests/demo.sh

# Not part of check: benchmarks measure, they do not test.  BENCH="--quick"
# or names (relay scale memory) narrow it down.
bench: all
	$(MAKE) -C bench
	tests/vm/run --icount --kver $(KVER) --timeout 7200 -- bench/run $(BENCH)

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod INSTALL_MOD_PATH=$(DESTDIR) modules_install
	for d in $(USER_DIRS); do [ ! -f $$d/Makefile ] || $(MAKE) -C $$d install || exit 1; done

clean:
	[ ! -d "$(KDIR)" ] || $(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean
	for d in $(USER_DIRS) bench; do [ ! -f $$d/Makefile ] || $(MAKE) -C $$d clean; done
