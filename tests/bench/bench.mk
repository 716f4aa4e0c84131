# make bench: our kexec_boot against mainline kexec, side by side in QEMU.
# Called from the top Makefile as
#   $(MAKE) -f tests/bench/bench.mk ROOT=... ARCH=... OUT=... JOBS=...
# once build/ARCH is up to date (ARCH: i386 or x86_64).  Everything lands
# under build/bench/ARCH/:
#   linux/, obj/     the comparison kernel: the pristine 6.12 tarball, the
#                    same tinyconfig + our fragment of the arch, and
#                    mainline CONFIG_KEXEC=y on top (x86_64: and
#                    CONFIG_KEXEC_FILE=y; bench_mainline.config, written here)
# Debian's kexec-tools of the arch and its libraries are fetched and
# unpacked by the top Makefile into DEBIAN_OUT/debian (DEBIAN_OUT: OUT
# unless given; nothing of theirs is committed).
#   initramfs.*      the bench root: both kernels, both tools, busybox
#   logs/, *.tsv     raw serial logs and per-run figures
#   results.md, bench.png   the table and the plot, also copied to
#                    Documentation/bench/latest-ARCH.{md,png}

SHELL := /bin/bash
ROOT ?= $(abspath .)
ARCH ?= i386
OUT ?= $(ROOT)/build/$(ARCH)
DEBIAN_OUT ?= $(OUT)
JOBS ?= $(shell nproc)
BENCH := $(ROOT)/build/bench/$(ARCH)
THEIRS_SRC := $(BENCH)/linux
THEIRS_OBJ := $(BENCH)/obj
LINUX_TARBALL := /usr/src/linux-source-6.12.tar.xz
# gcc -m32 finds the asm/ headers through a link of ours (no gcc-multilib).
M32_INCLUDE ?= $(ROOT)/build/include-m32
ifeq ($(ARCH),i386)
FRAGMENT_NAME := kexec_boot_qemu.config
MAINLINE := CONFIG_KEXEC=y
BT_CC := gcc -m32 -isystem $(M32_INCLUDE)
else ifeq ($(ARCH),x86_64)
FRAGMENT_NAME := kexec_boot_x86_64.config
MAINLINE := CONFIG_KEXEC=y CONFIG_KEXEC_FILE=y
BT_CC := gcc -m64
else
$(error ARCH=$(ARCH): i386 or x86_64)
endif
FRAGMENT := $(ROOT)/kernel/arch/x86/configs/$(FRAGMENT_NAME)
TMAKE = $(MAKE) -C $(THEIRS_SRC) O=$(THEIRS_OBJ) ARCH=$(ARCH) -j$(JOBS)
HERE := $(ROOT)/tests/bench

.PHONY: all kernel run report
all: report

# Host packages only the benchmark needs: gnuplot for the plot.
$(BENCH)/.deps:
	@missing=$$(for p in gnuplot-nox; do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@mkdir -p $(BENCH) && touch $@

# --- the comparison kernel ----------------------------------------------------
$(THEIRS_SRC)/.unpacked: $(LINUX_TARBALL)
	rm -rf $(THEIRS_SRC) && mkdir -p $(THEIRS_SRC)
	tar -xf $(LINUX_TARBALL) -C $(THEIRS_SRC) --strip-components=1
	touch $@

# Our fragment (its KEXEC_BOOT line names nothing in a pristine tree), then
# mainline kexec switched back on.
$(THEIRS_OBJ)/.config: $(THEIRS_SRC)/.unpacked $(FRAGMENT)
	install -D -m 644 $(FRAGMENT) $(THEIRS_SRC)/arch/x86/configs/$(FRAGMENT_NAME)
	printf '%s\n' '# make bench: mainline kexec instead of kexec_boot' \
		$(MAINLINE) > $(THEIRS_SRC)/arch/x86/configs/bench_mainline.config
	mkdir -p $(THEIRS_OBJ)
	$(TMAKE) -s tinyconfig $(FRAGMENT_NAME) bench_mainline.config
	for opt in $(MAINLINE); do grep -qx $$opt $@ || exit 1; done
	! grep -q '^CONFIG_KEXEC_BOOT' $@

kernel: $(THEIRS_OBJ)/.config
	$(TMAKE) -s bzImage
	cmp -s $(THEIRS_OBJ)/arch/x86/boot/bzImage $(BENCH)/bzImage.theirs || \
		cp $(THEIRS_OBJ)/arch/x86/boot/bzImage $(BENCH)/bzImage.theirs
	strip -o $(BENCH)/vmlinux.theirs.tmp $(THEIRS_OBJ)/vmlinux
	cmp -s $(BENCH)/vmlinux.theirs.tmp $(BENCH)/vmlinux.theirs && \
		rm $(BENCH)/vmlinux.theirs.tmp || \
		mv $(BENCH)/vmlinux.theirs.tmp $(BENCH)/vmlinux.theirs

# --- the bench root -----------------------------------------------------------
$(M32_INCLUDE)/asm:
	mkdir -p $(M32_INCLUDE) && ln -sfn /usr/include/x86_64-linux-gnu/asm $@

$(BENCH)/bt: $(HERE)/bt.c $(if $(filter i386,$(ARCH)),$(M32_INCLUDE)/asm)
	mkdir -p $(BENCH)
	$(BT_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

BENCH_FILES := $(OUT)/busybox $(OUT)/kexec $(OUT)/vmlinux.stripped $(OUT)/bzImage \
	$(BENCH)/bt $(DEBIAN_OUT)/debian/sbin/kexec $(HERE)/init $(HERE)/initramfs.list.sh \
	$(ROOT)/tests/qemu/initramfs.list.sh $(ROOT)/tests/qemu/debian-kexec.list.sh
# Uncompressed: QEMU and every generation hand over the same bytes.
$(BENCH)/initramfs.cpio: $(BENCH_FILES) kernel
	ARCH=$(ARCH) bash $(HERE)/initramfs.list.sh $(ROOT) $(OUT) $(BENCH) $(DEBIAN_OUT) \
		> $(BENCH)/initramfs.list
	$(OUT)/obj/usr/gen_init_cpio $(BENCH)/initramfs.list > $@.tmp
	cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

# --- sessions, table, plot ----------------------------------------------------
# SESSIONS="vmlinux-1M firmware" runs only those (the report takes the logs
# that are there).
run: $(BENCH)/initramfs.cpio $(BENCH)/.deps
	rm -f $(if $(SESSIONS),$(foreach s,$(SESSIONS),$(BENCH)/logs/$(s).log),$(BENCH)/logs/*.log)
	python3 $(HERE)/bench.py run $(ARCH) $(OUT) $(BENCH) $(SESSIONS)

report: run
	python3 $(HERE)/bench.py report $(ARCH) $(BENCH) $(ROOT)/Documentation/bench
	@echo "bench: $(BENCH)/results.md, $(BENCH)/bench.png (copied to Documentation/bench/latest-$(ARCH).*)"
