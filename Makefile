# kexec_boot: one entry point.
#   make          build kernel, tool and demo initramfs under build/i386/
#   make run      boot kernel A in QEMU; it kexecs into kernel B
#   make test     unit tests, QEMU end-to-end tests, series check, kselftest
#   make series   the patch series for the kernel list (build/series/)
#   make checkpatch / make bisect   checkpatch --strict; build after every patch
#   make fuzz     libFuzzer on the parser and placement (SECONDS=60)
#   make bench    ours against mainline kexec in QEMU (tests/bench/)
# Needs root on a fresh Debian machine only to install missing packages.

SHELL := /bin/bash
ROOT := $(abspath .)
OUT := $(ROOT)/build/i386
SRC := $(OUT)/linux
OBJ := $(OUT)/obj
HOST_OUT := $(ROOT)/build/host
LINUX_TARBALL := /usr/src/linux-source-6.12.tar.xz
CONFIG_FRAGMENT := kexec_boot_qemu.config
JOBS ?= $(shell nproc)
# Builds in one object directory are serialized: two make runs started at
# once (a test in one shell, a build in another) would corrupt it.
KLOCK = flock $(OUT)/.kbuild.lock
KMAKE = $(KLOCK) $(MAKE) -C $(SRC) O=$(OBJ) ARCH=i386 -j$(JOBS)

OVERLAY := $(shell find kernel -type f)
PATCHES := patches/series $(addprefix patches/,$(shell cat patches/series))

.PHONY: all build deps kernel kernel-installer run test test-full unit e2e fuzz clean
all: build
build: $(OUT)/bzImage $(OUT)/vmlinux $(OUT)/kexec $(OUT)/initramfs.cpio.gz \
	$(OUT)/netroot.cpio.gz $(HOST_OUT)/kexec-pack

# --- packages ---------------------------------------------------------------
DEBS := linux-source-6.12 qemu-system-x86 gcc gcc-multilib libc6-dev-i386 \
	binutils make flex bison bc cpio gzip xz-utils patch libelf-dev \
	libssl-dev perl python3
deps: build/.deps
build/.deps:
	@missing=$$(for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@mkdir -p build && touch $@

# Debian's static i386 busybox, fetched as a .deb without adding i386 to
# this machine's dpkg architectures.
APT_I386 := $(ROOT)/build/apt-i386
APT_I386_OPTS := -o APT::Architecture=i386 -o APT::Architectures::=i386 \
	-o Dir::State::Lists=$(APT_I386)/lists -o Dir::Cache=$(APT_I386)/cache \
	-o Dir::State::Status=/dev/null -o Debug::NoLocking=1
$(OUT)/busybox: build/.deps
	rm -rf $(APT_I386) && mkdir -p $(APT_I386)/lists/partial $(APT_I386)/cache/archives/partial
	-apt-get $(APT_I386_OPTS) -qq update
	cd $(APT_I386) && apt-get $(APT_I386_OPTS) -qq download busybox-static
	dpkg-deb -x $(APT_I386)/busybox-static_*_i386.deb $(APT_I386)/root
	mkdir -p $(OUT) && cp $(APT_I386)/root/bin/busybox $@

# --- kernel -----------------------------------------------------------------
# The tree is unpacked and patched afresh when the series changes; tar keeps
# the files' own times, so only what the patches touch is rebuilt.
$(OUT)/.patched: $(PATCHES) build/.deps
	mkdir -p $(OUT)
	$(KLOCK) sh -c 'rm -rf $(SRC) && mkdir -p $(SRC) && \
		tar -xf $(LINUX_TARBALL) -C $(SRC) --strip-components=1 && \
		for p in $$(cat patches/series); do \
			patch -d $(SRC) -p1 --fuzz=0 --no-backup-if-mismatch -s < patches/$$p || exit 1; \
		done'
	touch $@

# Overlay files are copied only when they differ, so kbuild sees real changes.
# The stamp lists them: one removed from kernel/ is removed from the tree too.
$(OUT)/.overlay: $(OUT)/.patched $(OVERLAY)
	for f in $$(cat $@ 2>/dev/null); do \
		[ -e kernel/$$f ] || rm -fv $(SRC)/$$f; \
	done
	cd kernel && for f in $$(find . -type f); do \
		cmp -s $$f $(SRC)/$$f || install -D -m 644 $$f $(SRC)/$$f; \
	done
	cd kernel && find . -type f | sort > $@

$(OBJ)/.config: $(OUT)/.overlay
	mkdir -p $(OBJ)
	$(KMAKE) -s tinyconfig $(CONFIG_FRAGMENT)
	grep -qx 'CONFIG_KEXEC_BOOT=y' $@
	! grep -Eq '^CONFIG_(KEXEC|KEXEC_FILE|KEXEC_CORE|CRASH_DUMP)=y' $@

kernel: $(OBJ)/.config
	$(KMAKE) -s bzImage
	cmp -s $(OBJ)/arch/x86/boot/bzImage $(OUT)/bzImage || cp $(OBJ)/arch/x86/boot/bzImage $(OUT)/bzImage
	cmp -s $(OBJ)/vmlinux $(OUT)/vmlinux || cp $(OBJ)/vmlinux $(OUT)/vmlinux
	cp $(OBJ)/include/config/kernel.release $(OUT)/kernel.release

$(OUT)/bzImage $(OUT)/vmlinux: kernel
	@true

# Kernel B of the installer test: the same tree, another configuration
# (kexec_boot_installer.config: CPU type, LOCALVERSION, relocatable).
INSTALLER_OBJ := $(OUT)/obj-installer
INSTALLER_FRAGMENTS := $(CONFIG_FRAGMENT) kexec_boot_installer.config
$(INSTALLER_OBJ)/.config: $(OUT)/.overlay
	mkdir -p $(INSTALLER_OBJ)
	$(KLOCK) $(MAKE) -C $(SRC) O=$(INSTALLER_OBJ) ARCH=i386 -j$(JOBS) -s tinyconfig $(INSTALLER_FRAGMENTS)
	grep -qx 'CONFIG_MPENTIUMIII=y' $@ && grep -qx 'CONFIG_RELOCATABLE=y' $@
	! grep -q '^CONFIG_KEXEC_BOOT=y' $@

kernel-installer: $(INSTALLER_OBJ)/.config
	$(KLOCK) $(MAKE) -C $(SRC) O=$(INSTALLER_OBJ) ARCH=i386 -j$(JOBS) -s bzImage
	cmp -s $(INSTALLER_OBJ)/arch/x86/boot/bzImage $(OUT)/bzImage-installer || \
		cp $(INSTALLER_OBJ)/arch/x86/boot/bzImage $(OUT)/bzImage-installer
	cp $(INSTALLER_OBJ)/include/config/kernel.release $(OUT)/bzImage-installer.release

$(OUT)/bzImage-installer: kernel-installer
	@true

# The HIGHMEM and PAE kernels of make test-full: kernel A's configuration
# with CONFIG_HIGHMEM4G (kexec_boot_highmem.config) or CONFIG_HIGHMEM64G
# and X86_PAE (kexec_boot_pae.config), each in its own object directory
# with its own lock; they hold the tree's lock shared, so the tree is not
# unpacked again under them.
# build/i386/bzImage-VARIANT, vmlinux-VARIANT.stripped, VARIANT.cpio.gz
# (the slim test initramfs with that kernel as /boot/vmlinux).
VARIANTS := highmem pae
define variant_kernel
$(OUT)/obj-$(1)/.config: $(OUT)/.overlay
	mkdir -p $(OUT)/obj-$(1)
	flock -s $(OUT)/.kbuild.lock flock $(OUT)/obj-$(1).lock $(MAKE) -C $(SRC) O=$(OUT)/obj-$(1) ARCH=i386 -j$(JOBS) -s \
		tinyconfig $(CONFIG_FRAGMENT) kexec_boot_$(1).config
	grep -qx 'CONFIG_KEXEC_BOOT=y' $$@ && grep -qx 'CONFIG_$(2)=y' $$@

.PHONY: kernel-$(1)
kernel-$(1): $(OUT)/obj-$(1)/.config
	flock -s $(OUT)/.kbuild.lock flock $(OUT)/obj-$(1).lock $(MAKE) -C $(SRC) O=$(OUT)/obj-$(1) ARCH=i386 -j$(JOBS) -s bzImage
	cmp -s $(OUT)/obj-$(1)/arch/x86/boot/bzImage $(OUT)/bzImage-$(1) || \
		cp $(OUT)/obj-$(1)/arch/x86/boot/bzImage $(OUT)/bzImage-$(1)
	strip -o $(OUT)/vmlinux-$(1).stripped.tmp $(OUT)/obj-$(1)/vmlinux
	cmp -s $(OUT)/vmlinux-$(1).stripped.tmp $(OUT)/vmlinux-$(1).stripped && \
		rm $(OUT)/vmlinux-$(1).stripped.tmp || \
		mv $(OUT)/vmlinux-$(1).stripped.tmp $(OUT)/vmlinux-$(1).stripped
	cp $(OUT)/obj-$(1)/include/config/kernel.release $(OUT)/bzImage-$(1).release

$(OUT)/$(1).cpio.gz: $(OUT)/slim.list kernel-$(1)
	sed 's#$(OUT)/vmlinux.stripped#$(OUT)/vmlinux-$(1).stripped#' $(OUT)/slim.list | \
		$(OBJ)/usr/gen_init_cpio - | gzip -6n > $$@
endef
$(eval $(call variant_kernel,highmem,HIGHMEM4G))
$(eval $(call variant_kernel,pae,HIGHMEM64G))

# --- userspace --------------------------------------------------------------
USER_CFLAGS := -O2 -Wall -Wextra -Werror -D_FILE_OFFSET_BITS=64 -Ikernel/include/uapi
$(OUT)/kexec: userspace/kexec.c kernel/include/uapi/linux/kexec_boot.h build/.deps
	mkdir -p $(OUT)
	gcc -m32 -static $(USER_CFLAGS) -o $@ $<

# The packer, for the guest and for this machine (the netboot test packs
# the image its TFTP server hands out).
$(OUT)/kexec-pack: userspace/kexec-pack.c kernel/include/uapi/linux/kexec_boot.h build/.deps
	mkdir -p $(OUT)
	gcc -m32 -static $(USER_CFLAGS) -o $@ $<

# The guest side of the refusal, concurrency, leak and lockdown tests.
$(OUT)/badload: tests/qemu/badload.c kernel/include/uapi/linux/kexec_boot.h build/.deps
	mkdir -p $(OUT)
	gcc -m32 -static $(USER_CFLAGS) -D_FILE_OFFSET_BITS=64 -o $@ $<

$(HOST_OUT)/kexec-pack: userspace/kexec-pack.c kernel/include/uapi/linux/kexec_boot.h build/.deps
	mkdir -p $(HOST_OUT)
	gcc $(USER_CFLAGS) -o $@ $<

# --- initramfs --------------------------------------------------------------
# Kernel A's initramfs: busybox, the tool, the test driver, a stripped
# vmlinux to load and a random payload whose checksum proves the initrd
# arrived intact.
$(OUT)/payload:
	mkdir -p $(OUT)
	head -c 1048576 /dev/urandom > $@

$(OUT)/vmlinux.stripped: $(OUT)/vmlinux
	strip -o $@ $<

$(OUT)/initramfs.list: tests/qemu/initramfs.list.sh
	mkdir -p $(OUT)
	bash $< $(ROOT) $(OUT) > $@

# Our own test kernel for non-Linux loaders: multiboot in both header
# variants, and a plain ELF.
MULTIBOOT_TEST := $(OUT)/mbtest.elf $(OUT)/mbtest-aout.elf $(OUT)/elftest.elf
$(MULTIBOOT_TEST): $(wildcard tests/multiboot/*) build/.deps
	$(MAKE) -C tests/multiboot OUT=$(OUT)

INITRAMFS_FILES := $(OUT)/busybox $(OUT)/kexec $(OUT)/kexec-pack $(OUT)/badload \
	$(OUT)/vmlinux.stripped $(OUT)/bzImage-installer $(OUT)/payload \
	$(MULTIBOOT_TEST) $(wildcard tests/qemu/rootfs/*)
$(OUT)/initramfs.cpio.gz: $(OUT)/initramfs.list $(INITRAMFS_FILES) kernel
	$(OBJ)/usr/gen_init_cpio $< | gzip -9n > $@.tmp
	cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

# The netboot test's image: only what its generation needs (busybox, the
# test driver, the payload); packed with the vmlinux by the test itself.
$(OUT)/netroot.list: tests/qemu/initramfs.list.sh
	bash $< $(ROOT) $(OUT) minimal > $@
$(OUT)/netroot.cpio.gz: $(OUT)/netroot.list $(OUT)/busybox $(OUT)/payload $(wildcard tests/qemu/rootfs/*) kernel
	$(OBJ)/usr/gen_init_cpio $< | gzip -9n > $@.tmp
	cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

# make test-full's 64 MiB cells and HIGHMEM/PAE kernels: the netboot
# image plus kexec and the vmlinux to load (about 8.5 MiB unpacked, against
# the test initramfs's 13.5 MiB).
$(OUT)/slim.list: tests/qemu/initramfs.list.sh
	bash $< $(ROOT) $(OUT) slim > $@
$(OUT)/slim.cpio.gz: $(OUT)/slim.list $(OUT)/busybox $(OUT)/kexec $(OUT)/vmlinux.stripped \
		$(OUT)/payload $(wildcard tests/qemu/rootfs/*) kernel
	$(OBJ)/usr/gen_init_cpio $< | gzip -6n > $@
TEST_FULL_FILES := $(OUT)/slim.cpio.gz $(addprefix $(OUT)/,$(addsuffix .cpio.gz,$(VARIANTS)))

# --- run and test -----------------------------------------------------------
run: build
	bash tests/qemu/demo.sh $(OUT)

test: build
	$(MAKE) -C tests/unit check
	bash tests/qemu/e2e.sh $(OUT)
	$(MAKE) series-check checkpatch selftest

unit:
	$(MAKE) -C tests/unit check

e2e: build
	bash tests/qemu/e2e.sh $(OUT)

# make test, plus memory sizes 128 MiB-1 GiB x 1-8 CPUs and a 21-generation
# chain (about 6 more minutes).
test-full: build $(TEST_FULL_FILES)
	$(MAKE) -C tests/unit check
	bash tests/qemu/e2e.sh $(OUT) full
	$(MAKE) series-check checkpatch selftest

# --- the series as the kernel list gets it (patches/export-series.py) ------
# series: build/series/*.patch, cut as patches/export.plan says.
# series-check: git am onto pristine Linux gives exactly the tree we build
# (so what make test builds and boots is the series).  bisect: a kernel
# build after every patch, in build/export/bisect-obj.
.PHONY: series series-check checkpatch bisect selftest
EXPORT_SERIES := python3 patches/export-series.py --tree $(SRC)
series: $(OUT)/.overlay
	$(EXPORT_SERIES) export
series-check: series
	$(EXPORT_SERIES) check
checkpatch: series
	$(EXPORT_SERIES) checkpatch
bisect: series
	$(EXPORT_SERIES) bisect --jobs $(JOBS)

# --- kselftest and the systemd path in QEMU (tests/qemu/selftest.sh) -------
ST := $(OUT)/selftest
$(ST)/kexec_boot_test: $(OUT)/bzImage $(wildcard kernel/tools/testing/selftests/kexec_boot/*)
	mkdir -p $(ST)
	$(KMAKE) -s headers
	$(MAKE) -s -C $(SRC)/tools/testing/selftests/kexec_boot OUTPUT=$(ST) \
		CC="gcc -m32" LDFLAGS=-static KHDR_INCLUDES="-isystem $(OBJ)/usr/include"

$(ST)/systemd-kexec: tests/selftest/systemd-kexec.c build/.deps
	mkdir -p $(ST)
	gcc -m32 -static -O2 -Wall -Wextra -Werror -o $@ $<

$(ST)/initramfs.cpio.gz: tests/selftest/initramfs.list.sh tests/qemu/initramfs.list.sh tests/selftest/init \
		$(ST)/kexec_boot_test $(ST)/systemd-kexec $(OUT)/busybox \
		$(OUT)/kexec $(OUT)/vmlinux.stripped
	bash $< $(ROOT) $(OUT) > $(ST)/initramfs.list
	$(OBJ)/usr/gen_init_cpio $(ST)/initramfs.list | gzip -6n > $@

selftest: build $(ST)/initramfs.cpio.gz
	bash tests/qemu/selftest.sh $(OUT)

# libFuzzer on the image parser and placement: make fuzz SECONDS=600
SECONDS ?= 60
fuzz:
	$(MAKE) -C tests/fuzz run SECONDS=$(SECONDS)

# Ours against mainline kexec (the same 6.12 source and config with
# CONFIG_KEXEC=y, Debian's kexec-tools fetched at bench time), in QEMU:
# build/bench/results.md and bench.png, copied to Documentation/bench/.
# SESSIONS="vmlinux-1M firmware" runs only some (see tests/bench/bench.py).
.PHONY: bench
bench: build
	$(MAKE) -f tests/bench/bench.mk ROOT=$(ROOT) OUT=$(OUT) JOBS=$(JOBS)

clean:
	rm -rf build
