# make bench ARCH=arm64: our kexec_boot against mainline arm64
# kexec_file_load with Debian's kexec-tools, in QEMU (tests/bench/arm64.sh).
# Called from the top Makefile as
#   $(MAKE) -f tests/bench/arm64.mk ROOT=... OUT=... JOBS=... CROSS_COMPILE=...
# once build/arm64 is up to date.  Everything lands under build/bench-arm64/:
#   linux/, obj/     the comparison kernel: the pristine 6.12 tarball, the
#                    same tinyconfig + kexec_boot_arm64.config, and mainline
#                    CONFIG_KEXEC_FILE=y on top (mainline.config, written here)
#   initramfs.cpio   the bench root (tests/bench/arm64-initramfs.list.sh)
#   logs/, results.md  serial logs and the table, also copied to
#                    Documentation/bench/arm64.md

SHELL := /bin/bash
ROOT ?= $(abspath .)
OUT ?= $(ROOT)/build/arm64
JOBS ?= $(shell nproc)
BENCH := $(ROOT)/build/bench-arm64
THEIRS_SRC := $(BENCH)/linux
THEIRS_OBJ := $(BENCH)/obj
LINUX_TARBALL := /usr/src/linux-source-6.12.tar.xz
FRAGMENT := $(ROOT)/kernel/arch/arm64/configs/kexec_boot_arm64.config
TMAKE = $(MAKE) -C $(THEIRS_SRC) O=$(THEIRS_OBJ) ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE) -j$(JOBS)
HERE := $(ROOT)/tests/bench
GENS ?= 6

.PHONY: all kernel
all: $(BENCH)/results.md

$(THEIRS_SRC)/.unpacked: $(LINUX_TARBALL)
	rm -rf $(THEIRS_SRC) && mkdir -p $(THEIRS_SRC)
	tar -xf $(LINUX_TARBALL) -C $(THEIRS_SRC) --strip-components=1
	touch $@

# Our fragment (its KEXEC_BOOT line names nothing in a pristine tree), then
# mainline kexec_file_load switched on (crash dumps stay off).
$(THEIRS_OBJ)/.config: $(THEIRS_SRC)/.unpacked $(FRAGMENT)
	install -D -m 644 $(FRAGMENT) $(THEIRS_SRC)/arch/arm64/configs/kexec_boot_arm64.config
	printf '%s\n' '# make bench: mainline kexec_file_load() instead of kexec_boot' \
		'CONFIG_KEXEC_FILE=y' 'CONFIG_CRASH_DUMP=n' > $(THEIRS_SRC)/arch/arm64/configs/bench_mainline.config
	mkdir -p $(THEIRS_OBJ)
	$(TMAKE) -s tinyconfig kexec_boot_arm64.config bench_mainline.config
	grep -qx 'CONFIG_KEXEC_FILE=y' $@
	! grep -q '^CONFIG_KEXEC_BOOT' $@

kernel: $(THEIRS_OBJ)/.config
	$(TMAKE) -s Image
	cmp -s $(THEIRS_OBJ)/arch/arm64/boot/Image $(BENCH)/Image.theirs || \
		cp $(THEIRS_OBJ)/arch/arm64/boot/Image $(BENCH)/Image.theirs

$(BENCH)/initramfs.cpio: kernel $(HERE)/arm64-init $(HERE)/arm64-initramfs.list.sh \
		$(OUT)/busybox $(OUT)/kexec $(OUT)/Image $(OUT)/Image.gz $(OUT)/debian/sbin/kexec \
		$(ROOT)/tests/qemu/debian-kexec.list.sh
	bash $(HERE)/arm64-initramfs.list.sh $(ROOT) $(OUT) $(BENCH) > $(BENCH)/initramfs.list
	$(OUT)/obj/usr/gen_init_cpio $(BENCH)/initramfs.list > $@

$(BENCH)/results.md: $(BENCH)/initramfs.cpio $(HERE)/arm64.sh FORCE
	bash $(HERE)/arm64.sh $(OUT) $(BENCH) $(GENS)
	mkdir -p $(ROOT)/Documentation/bench
	cp $@ $(ROOT)/Documentation/bench/arm64.md

.PHONY: FORCE
FORCE:
