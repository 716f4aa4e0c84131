# make bench: our kexec_boot against mainline kexec, side by side in QEMU.
# Called from the top Makefile as
#   $(MAKE) -f tests/bench/bench.mk ROOT=... OUT=... JOBS=...
# once build/i386 is up to date.  Everything lands under build/bench/:
#   linux/, obj/     the comparison kernel: the pristine 6.12 tarball, the
#                    same tinyconfig + kexec_boot_qemu.config, and mainline
#                    CONFIG_KEXEC=y on top (mainline.config, written here)
# Debian's kexec-tools for i386 and its libc are fetched and unpacked by
# the top Makefile into OUT/debian (nothing of theirs is committed).
#   initramfs.*      the bench root: both kernels, both tools, busybox
#   logs/, *.tsv     raw serial logs and per-run figures
#   results.md, bench.png   the table and the plot, also copied to
#                    Documentation/bench/latest.{md,png}

SHELL := /bin/bash
ROOT ?= $(abspath .)
OUT ?= $(ROOT)/build/i386
JOBS ?= $(shell nproc)
BENCH := $(ROOT)/build/bench
THEIRS_SRC := $(BENCH)/linux
THEIRS_OBJ := $(BENCH)/obj
LINUX_TARBALL := /usr/src/linux-source-6.12.tar.xz
FRAGMENT := $(ROOT)/kernel/arch/x86/configs/kexec_boot_qemu.config
TMAKE = $(MAKE) -C $(THEIRS_SRC) O=$(THEIRS_OBJ) ARCH=i386 -j$(JOBS)
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
	install -D -m 644 $(FRAGMENT) $(THEIRS_SRC)/arch/x86/configs/kexec_boot_qemu.config
	printf '%s\n' '# make bench: mainline kexec_load() instead of kexec_boot' \
		'CONFIG_KEXEC=y' > $(THEIRS_SRC)/arch/x86/configs/bench_mainline.config
	mkdir -p $(THEIRS_OBJ)
	$(TMAKE) -s tinyconfig kexec_boot_qemu.config bench_mainline.config
	grep -qx 'CONFIG_KEXEC=y' $@
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
$(BENCH)/bt: $(HERE)/bt.c
	mkdir -p $(BENCH)
	gcc -m32 -static -O2 -Wall -Wextra -Werror -o $@ $<

BENCH_FILES := $(OUT)/busybox $(OUT)/kexec $(OUT)/vmlinux.stripped $(OUT)/bzImage \
	$(BENCH)/bt $(OUT)/debian/sbin/kexec $(HERE)/init $(HERE)/initramfs.list.sh \
	$(ROOT)/tests/qemu/initramfs.list.sh
# Uncompressed: QEMU and every generation hand over the same bytes.
$(BENCH)/initramfs.cpio: $(BENCH_FILES) kernel
	bash $(HERE)/initramfs.list.sh $(ROOT) $(OUT) $(BENCH) > $(BENCH)/initramfs.list
	$(OUT)/obj/usr/gen_init_cpio $(BENCH)/initramfs.list > $@.tmp
	cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

# --- sessions, table, plot ----------------------------------------------------
# SESSIONS="vmlinux-1M firmware" runs only those (the report takes the logs
# that are there).
run: $(BENCH)/initramfs.cpio $(BENCH)/.deps
	rm -f $(if $(SESSIONS),$(foreach s,$(SESSIONS),$(BENCH)/logs/$(s).log),$(BENCH)/logs/*.log)
	python3 $(HERE)/bench.py run $(OUT) $(BENCH) $(SESSIONS)

report: run
	python3 $(HERE)/bench.py report $(BENCH) $(ROOT)/Documentation/bench
	@echo "bench: $(BENCH)/results.md, $(BENCH)/bench.png (copied to Documentation/bench/latest.*)"
