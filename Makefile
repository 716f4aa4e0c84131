# kexec_boot: one entry point.  ARCH=i386, x86_64 or arm64 (default: this
# machine's); outputs under build/ARCH/.
#   make          build kernel, tool and demo initramfs under build/ARCH/
#   make run      boot kernel A in QEMU; it kexecs into kernel B
#   make test     unit tests, then per arch (both x86 arches unless ARCH is
#                 given): QEMU end-to-end tests, kselftest; series check
#   make series   the patch series for the kernel list (build/series/)
#   make checkpatch / make bisect   checkpatch --strict; build after every patch
#   make fuzz     libFuzzer on the parser and placement (SECONDS=60)
#   make bench    ours against mainline kexec in QEMU (tests/bench/; ARCH=arm64:
#                 against kexec_file_load and Debian's kexec-tools)
# Needs root on a fresh Debian machine only to install missing packages.

SHELL := /bin/bash
ROOT := $(abspath .)
HOST_ARCH := $(shell uname -m | sed -e 's/^i.86$$/i386/')
ARCH ?= $(HOST_ARCH)
# make test without ARCH= covers every arch of this list.
ifeq ($(origin ARCH),command line)
TEST_ARCHES := $(ARCH)
else
TEST_ARCHES := i386 x86_64 arm64
endif

# gcc -m32 finds linux-libc-dev's asm/ headers (biarch) in an include
# directory of ours: gcc-multilib, which links them at /usr/include/asm,
# conflicts with the arm64 cross compiler.
M32_INCLUDE := $(abspath build/include-m32)
ifeq ($(ARCH),i386)
UCC := gcc -m32 -isystem $(M32_INCLUDE)
DEB_ARCH := i386
CONFIG_FRAGMENT := kexec_boot_qemu.config
OTHER_ARCH := x86_64
else ifeq ($(ARCH),x86_64)
UCC := gcc -m64
DEB_ARCH := amd64
CONFIG_FRAGMENT := kexec_boot_x86_64.config
OTHER_ARCH := i386
else ifeq ($(ARCH),arm64)
# Debian's cross toolchain; the kernel, the static tools and the test
# program are aarch64, QEMU's virt machine runs them.  Debian's cross
# compilers conflict with gcc-multilib (i386's -m32 tools), so they are
# unpacked under build/cross-arm64 (see deps) rather than installed.
CROSS_ROOT := $(ROOT)/build/cross-arm64
CROSS_COMPILE := $(CROSS_ROOT)/usr/bin/aarch64-linux-gnu-
# The cross binutils link their own libbfd and libopcodes, unpacked next
# to them, not in the loader's path.
export LD_LIBRARY_PATH := $(CROSS_ROOT)/usr/lib/$(shell gcc -print-multiarch)$(if $(LD_LIBRARY_PATH),:$(LD_LIBRARY_PATH))
UCC := $(CROSS_COMPILE)gcc
DEB_ARCH := arm64
CONFIG_FRAGMENT := kexec_boot_arm64.config
else
$(error ARCH=$(ARCH): i386, x86_64 or arm64)
endif
# What the kernel build leaves in build/ARCH/ besides vmlinux.
KIMAGES := $(if $(filter arm64,$(ARCH)),Image Image.gz,bzImage)
SRCARCH := $(if $(filter arm64,$(ARCH)),arm64,x86)
STRIP := $(CROSS_COMPILE)strip

OUT := $(ROOT)/build/$(ARCH)
OTHER_OUT := $(ROOT)/build/$(OTHER_ARCH)
# One source tree for every arch, one object directory per arch.
SRC := $(ROOT)/build/linux
OBJ := $(OUT)/obj
HOST_OUT := $(ROOT)/build/host
LINUX_TARBALL := /usr/src/linux-source-6.12.tar.xz
JOBS ?= $(shell nproc)
# The tree is unpacked under an exclusive lock on build/.tree.lock; every
# build holds it shared and its own object directory's lock exclusively,
# so two make runs started at once (a test in one shell, a build in
# another, or two arches) neither unpack under a build nor share objects.
TREE_LOCK := $(ROOT)/build/.tree.lock
KLOCK = flock -s $(TREE_LOCK) flock $(OUT)/.kbuild.lock
KMAKE = $(KLOCK) $(MAKE) -C $(SRC) O=$(OBJ) ARCH=$(ARCH) $(if $(CROSS_COMPILE),CROSS_COMPILE=$(CROSS_COMPILE)) -j$(JOBS)

OVERLAY := $(shell find kernel -type f)
PATCHES := patches/series $(addprefix patches/,$(shell cat patches/series))

.PHONY: all build deps kernel kernel-installer run test test-arch test-full test-full-arch unit e2e fuzz clean
all: build
build: $(addprefix $(OUT)/,$(KIMAGES)) $(OUT)/vmlinux $(OUT)/kexec $(OUT)/kexec-pack \
	$(OUT)/initramfs.cpio.gz $(OUT)/netroot.cpio.gz $(HOST_OUT)/kexec-pack

# --- packages ---------------------------------------------------------------
DEBS := linux-source-6.12 qemu-system-x86 gcc lib32gcc-12-dev libc6-dev-i386 \
	binutils make flex bison bc cpio gzip xz-utils patch libelf-dev \
	libssl-dev perl python3 ovmf
# arm64: QEMU's aarch64 system emulator; the cross toolchain and the
# static libc it links against are CROSS_DEBS, unpacked, not installed.
ifeq ($(ARCH),arm64)
DEBS += qemu-system-arm
CROSS_DEBS := gcc-aarch64-linux-gnu gcc-12-aarch64-linux-gnu \
	cpp-aarch64-linux-gnu cpp-12-aarch64-linux-gnu binutils-aarch64-linux-gnu \
	libgcc-12-dev-arm64-cross libgcc-s1-arm64-cross libc6-dev-arm64-cross \
	libc6-arm64-cross linux-libc-dev-arm64-cross
endif
# One stamp per arch: each arch's package list is checked once.
DEPS := build/.deps-$(ARCH)
deps: $(DEPS)
$(DEPS):
	@missing=$$(for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing; \
	fi
ifdef CROSS_DEBS
	rm -rf $(CROSS_ROOT) && mkdir -p $(CROSS_ROOT)/debs
	cd $(CROSS_ROOT)/debs && apt-get -qq download $(CROSS_DEBS)
	for deb in $(CROSS_ROOT)/debs/*.deb; do dpkg-deb -x $$deb $(CROSS_ROOT) || exit 1; done
	$(UCC) --version | head -n 1
endif
	@mkdir -p build && touch $@

$(M32_INCLUDE)/asm: | $(DEPS)
	mkdir -p $(M32_INCLUDE) && ln -sfn /usr/include/x86_64-linux-gnu/asm $@

# Debian's static busybox of the arch, fetched as a .deb without adding
# the arch to this machine's dpkg architectures.
APT_ARCH := $(ROOT)/build/apt-$(DEB_ARCH)
APT_ARCH_OPTS := -o APT::Architecture=$(DEB_ARCH) -o APT::Architectures::=$(DEB_ARCH) \
	-o Dir::State::Lists=$(APT_ARCH)/lists -o Dir::Cache=$(APT_ARCH)/cache \
	-o Dir::State::Status=/dev/null -o Debug::NoLocking=1
$(OUT)/busybox: $(DEPS)
	rm -rf $(APT_ARCH) && mkdir -p $(APT_ARCH)/lists/partial $(APT_ARCH)/cache/archives/partial
	-apt-get $(APT_ARCH_OPTS) -qq update
	cd $(APT_ARCH) && apt-get $(APT_ARCH_OPTS) -qq download busybox-static
	dpkg-deb -x $(APT_ARCH)/busybox-static_*_$(DEB_ARCH).deb $(APT_ARCH)/root
	mkdir -p $(OUT) && cp $(APT_ARCH)/root/bin/busybox $@

# Debian's kexec-tools of the arch and every library package it needs,
# directly or not (amd64's links libxenctrl, which needs more), unpacked
# under build/ARCH/debian: a real client of the kernel (kselftest root on
# x86_64: kexec -s, i.e. kexec_file_load; the bench's mainline side).
APT_KT := $(ROOT)/build/apt-kexec-tools-$(DEB_ARCH)
APT_KT_OPTS := $(subst $(APT_ARCH),$(APT_KT),$(APT_ARCH_OPTS))
$(OUT)/debian/sbin/kexec: $(DEPS)
	rm -rf $(APT_KT) $(OUT)/debian
	mkdir -p $(APT_KT)/lists/partial $(APT_KT)/cache/archives/partial
	-apt-get $(APT_KT_OPTS) -qq update
	libs=$$(apt-cache $(APT_KT_OPTS) depends --recurse --no-recommends --no-suggests \
		--no-conflicts --no-breaks --no-replaces --no-enhances kexec-tools | \
		grep -E '^(lib|zlib)' | sort -u); \
	cd $(APT_KT) && apt-get $(APT_KT_OPTS) -qq download kexec-tools $$libs
	for deb in $(APT_KT)/*.deb; do dpkg-deb -x $$deb $(OUT)/debian || exit 1; done
	test -x $@ && touch $@

# --- kernel -----------------------------------------------------------------
# The tree is unpacked once per tarball; when the series changes,
# patches/apply.sh takes only the files the old and new series touch afresh
# from the tarball and patches them again, so only what changed rebuilds.
$(LINUX_TARBALL): | $(DEPS)
	@true
$(SRC)/.unpacked: $(LINUX_TARBALL)
	flock $(TREE_LOCK) sh -c 'rm -rf $(SRC) && mkdir -p $(SRC) && \
		tar -xf $(LINUX_TARBALL) -C $(SRC) --strip-components=1'
	touch $@
$(SRC)/.patched: $(PATCHES) patches/apply.sh $(SRC)/.unpacked
	mkdir -p $(OUT)
	flock $(TREE_LOCK) bash patches/apply.sh $(SRC) $(LINUX_TARBALL)
	touch $@

# Overlay files are copied only when they differ, so kbuild sees real changes.
# The stamp lists them: one removed from kernel/ is removed from the tree too.
$(SRC)/.overlay: $(SRC)/.patched $(OVERLAY)
	flock $(TREE_LOCK) sh -c 'for f in $$(cat $@ 2>/dev/null); do \
		[ -e kernel/$$f ] || rm -fv $(SRC)/$$f; \
	done; \
	cd kernel && for f in $$(find . -type f); do \
		cmp -s $$f $(SRC)/$$f || install -D -m 644 $$f $(SRC)/$$f; \
	done; \
	find . -type f | sort > $@'

$(OBJ)/.config: $(SRC)/.overlay
	mkdir -p $(OBJ) $(OUT)
	$(KMAKE) -s tinyconfig $(CONFIG_FRAGMENT)
	grep -qx 'CONFIG_KEXEC_BOOT=y' $@
	! grep -Eq '^CONFIG_(KEXEC|KEXEC_FILE|KEXEC_CORE|CRASH_DUMP)=y' $@

kernel: $(OBJ)/.config
	$(KMAKE) -s $(KIMAGES)
	for f in $(KIMAGES); do \
		cmp -s $(OBJ)/arch/$(SRCARCH)/boot/$$f $(OUT)/$$f || cp $(OBJ)/arch/$(SRCARCH)/boot/$$f $(OUT)/$$f; \
	done
	cmp -s $(OBJ)/vmlinux $(OUT)/vmlinux || cp $(OBJ)/vmlinux $(OUT)/vmlinux
	cp $(OBJ)/include/config/kernel.release $(OUT)/kernel.release

$(addprefix $(OUT)/,$(KIMAGES)) $(OUT)/vmlinux: kernel
	@true

# Kernel B of the installer test: the same tree, another configuration
# (kexec_boot_installer.config: CPU type, LOCALVERSION, relocatable).
INSTALLER_OBJ := $(OUT)/obj-installer
INSTALLER_FRAGMENTS := $(CONFIG_FRAGMENT) kexec_boot_installer.config
$(INSTALLER_OBJ)/.config: $(SRC)/.overlay
	mkdir -p $(INSTALLER_OBJ)
	flock -s $(TREE_LOCK) flock $(OUT)/obj-installer.lock $(MAKE) -C $(SRC) O=$(INSTALLER_OBJ) ARCH=i386 -j$(JOBS) -s tinyconfig $(INSTALLER_FRAGMENTS)
	grep -qx 'CONFIG_MPENTIUMIII=y' $@ && grep -qx 'CONFIG_RELOCATABLE=y' $@
	! grep -q '^CONFIG_KEXEC_BOOT=y' $@

kernel-installer: $(INSTALLER_OBJ)/.config
	flock -s $(TREE_LOCK) flock $(OUT)/obj-installer.lock $(MAKE) -C $(SRC) O=$(INSTALLER_OBJ) ARCH=i386 -j$(JOBS) -s bzImage
	cmp -s $(INSTALLER_OBJ)/arch/x86/boot/bzImage $(OUT)/bzImage-installer || \
		cp $(INSTALLER_OBJ)/arch/x86/boot/bzImage $(OUT)/bzImage-installer
	cp $(INSTALLER_OBJ)/include/config/kernel.release $(OUT)/bzImage-installer.release

$(OUT)/bzImage-installer: kernel-installer
	@true

# The variant kernels of make test-full: kernel A's configuration plus
# kernel/arch/$(SRCARCH)/configs/kexec_boot_VARIANT.config, each in its own
# object directory with its own lock; they hold the tree's lock shared, so
# the tree is not unpacked again under them.  i386: CONFIG_HIGHMEM4G
# (highmem), CONFIG_HIGHMEM64G and X86_PAE (pae); both x86 arches:
# mainline's kexec and crash kernel next to ours (coexist), the debug
# options maintainers run (debug); arm64: the EFI stub and vmlinuz.efi
# (zboot), 64 KiB and 16 KiB pages (64k, 16k).
# build/ARCH/bzImage-VARIANT and vmlinux-VARIANT.stripped (x86) or
# Image-VARIANT (arm64), the boot files $(6) names as FILE-VARIANT,
# VARIANT.cpio.gz (the slim test initramfs, or the one $(5) names, with
# that kernel as /boot/vmlinux or /boot/Image, plus the lines the shell
# command $(3) prints; $(4): what those need).
VARIANTS := $(if $(filter i386,$(ARCH)),highmem pae) \
	$(if $(filter arm64,$(ARCH)),zboot 64k 16k,coexist debug)
# The variant's image, and the file of the root it replaces.
VARIANT_IMAGE := $(if $(filter arm64,$(ARCH)),Image,bzImage)
VARIANT_ROOT_FILE := $(if $(filter arm64,$(ARCH)),Image,vmlinux.stripped)
variant_root_file = $(if $(filter arm64,$(ARCH)),Image-$(1),vmlinux-$(1).stripped)
# x86: the root loads the variant's stripped vmlinux.
variant_strip = strip -o $(OUT)/vmlinux-$(1).stripped.tmp $(OUT)/obj-$(1)/vmlinux && \
	{ cmp -s $(OUT)/vmlinux-$(1).stripped.tmp $(OUT)/vmlinux-$(1).stripped && \
	rm $(OUT)/vmlinux-$(1).stripped.tmp || \
	mv $(OUT)/vmlinux-$(1).stripped.tmp $(OUT)/vmlinux-$(1).stripped; }
VARIANT_MAKE = flock -s $(TREE_LOCK) flock $(OUT)/obj-$(1).lock $(MAKE) -C $(SRC) O=$(OUT)/obj-$(1) \
	ARCH=$(ARCH) $(if $(CROSS_COMPILE),CROSS_COMPILE=$(CROSS_COMPILE)) -j$(JOBS) -s
define variant_kernel
$(OUT)/obj-$(1)/.config: $(SRC)/.overlay
	mkdir -p $(OUT)/obj-$(1)
	$(VARIANT_MAKE) tinyconfig $(CONFIG_FRAGMENT) kexec_boot_$(1).config
	grep -qx 'CONFIG_KEXEC_BOOT=y' $$@ && grep -qx 'CONFIG_$(2)=y' $$@

.PHONY: kernel-$(1)
kernel-$(1): $(OUT)/obj-$(1)/.config
	$(VARIANT_MAKE) $(VARIANT_IMAGE) $(6)
	for f in $(VARIANT_IMAGE) $(6); do \
		cmp -s $(OUT)/obj-$(1)/arch/$(SRCARCH)/boot/$$$$f $(OUT)/$$$$f-$(1) || \
			cp $(OUT)/obj-$(1)/arch/$(SRCARCH)/boot/$$$$f $(OUT)/$$$$f-$(1) || exit 1; \
	done
	$(if $(filter arm64,$(ARCH)),,$(call variant_strip,$(1)))
	cp $(OUT)/obj-$(1)/include/config/kernel.release $(OUT)/$(VARIANT_IMAGE)-$(1).release

$(OUT)/$(1).cpio.gz: $(OUT)/$(or $(5),slim).list kernel-$(1) $(4)
	{ sed 's#$(OUT)/$(VARIANT_ROOT_FILE) #$(OUT)/$(call variant_root_file,$(1)) #' $(OUT)/$(or $(5),slim).list; \
		$(3); } | $(OBJ)/usr/gen_init_cpio - | gzip -6n > $$@
endef
$(eval $(call variant_kernel,highmem,HIGHMEM4G,true))
$(eval $(call variant_kernel,pae,HIGHMEM64G,true))
# Its root: Debian's kexec-tools, which loads the crash kernel (kexec -p),
# and the bzImage it loads.
$(eval $(call variant_kernel,coexist,CRASH_DUMP,\
	echo "file /boot/bzImage $(OUT)/bzImage-coexist 644 0 0"; \
	ARCH=$(ARCH) bash tests/qemu/debian-kexec.list.sh $(OUT),\
	$(OUT)/debian/sbin/kexec tests/qemu/debian-kexec.list.sh))
# Its root: the full test initramfs, every generation the debug kernel.
$(eval $(call variant_kernel,debug,PROVE_LOCKING,true,$(OUT)/initramfs.cpio.gz,initramfs))
# arm64: the EFI zboot image gen 1 loads, next to the Image it carries.
$(eval $(call variant_kernel,zboot,EFI_ZBOOT,\
	echo "file /boot/vmlinuz.efi $(OUT)/vmlinuz.efi-zboot 644 0 0",,,vmlinuz.efi))
$(eval $(call variant_kernel,64k,ARM64_64K_PAGES,true))
$(eval $(call variant_kernel,16k,ARM64_16K_PAGES,true))

# --- userspace --------------------------------------------------------------
USER_CFLAGS := -O2 -Wall -Wextra -Werror -D_FILE_OFFSET_BITS=64 -Ikernel/include/uapi
$(OUT)/kexec: userspace/kexec.c kernel/include/uapi/linux/kexec_boot.h $(DEPS) \
		$(M32_INCLUDE)/asm
	mkdir -p $(OUT)
	$(UCC) -static $(USER_CFLAGS) -o $@ $<

# The packer, for the guest and for this machine (the netboot test packs
# the image its TFTP server hands out).
$(OUT)/kexec-pack: userspace/kexec-pack.c kernel/include/uapi/linux/kexec_boot.h $(DEPS) \
		$(M32_INCLUDE)/asm
	mkdir -p $(OUT)
	$(UCC) -static $(USER_CFLAGS) -o $@ $<

# The guest side of the refusal, concurrency, leak and lockdown tests.
$(OUT)/badload: tests/qemu/badload.c kernel/include/uapi/linux/kexec_boot.h $(DEPS) \
		$(M32_INCLUDE)/asm
	mkdir -p $(OUT)
	$(UCC) -static $(USER_CFLAGS) -D_FILE_OFFSET_BITS=64 -o $@ $<

$(HOST_OUT)/kexec-pack: userspace/kexec-pack.c kernel/include/uapi/linux/kexec_boot.h $(DEPS)
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
	$(STRIP) -o $@ $<

$(OUT)/initramfs.list: tests/qemu/initramfs.list.sh
	mkdir -p $(OUT)
	ARCH=$(ARCH) bash $< $(ROOT) $(OUT) > $@

# Our own test kernel for non-Linux loaders: multiboot in both header
# variants, and a plain ELF.
ifeq ($(ARCH),arm64)
# arm64: our ELF64 test program, entered with the boot environment in x0;
# it reports over the PL011 (tests/arm64/).  Image.zboot: Image.gz in an
# EFI zboot header.
MULTIBOOT_TEST := $(OUT)/elftest-arm64.elf
$(OUT)/Image.zboot: $(OUT)/Image.gz tests/arm64/mkzboot.py
	python3 tests/arm64/mkzboot.py $< $@
$(MULTIBOOT_TEST): $(wildcard tests/arm64/*) $(DEPS)
	$(MAKE) -C tests/arm64 OUT=$(OUT) CROSS_COMPILE=$(CROSS_COMPILE)
else
MULTIBOOT_TEST := $(OUT)/mbtest.elf $(OUT)/mbtest-aout.elf $(OUT)/elftest.elf \
	$(OUT)/elftest64.elf
$(MULTIBOOT_TEST): $(wildcard tests/multiboot/*) $(DEPS) $(M32_INCLUDE)/asm
	$(MAKE) -C tests/multiboot OUT=$(OUT) M32_INCLUDE=$(M32_INCLUDE)
endif

# Kernel B of the installer test (another i386 configuration) on i386.
INSTALLER := $(if $(filter i386,$(ARCH)),$(OUT)/bzImage-installer)
# The kernels the test root loads: the vmlinux on x86, Image, Image.gz
# and Image.zboot on arm64.
BOOT_KERNELS := $(if $(filter arm64,$(ARCH)),$(OUT)/Image $(OUT)/Image.gz $(OUT)/Image.zboot,$(OUT)/vmlinux.stripped)
INITRAMFS_FILES := $(OUT)/busybox $(OUT)/kexec $(OUT)/kexec-pack $(OUT)/badload \
	$(BOOT_KERNELS) $(INSTALLER) $(OUT)/payload \
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
$(OUT)/slim.cpio.gz: $(OUT)/slim.list $(OUT)/busybox $(OUT)/kexec $(BOOT_KERNELS) \
		$(OUT)/payload $(wildcard tests/qemu/rootfs/*) kernel
	$(OBJ)/usr/gen_init_cpio $< | gzip -6n > $@
TEST_FULL_FILES := $(OUT)/slim.cpio.gz $(addprefix $(OUT)/,$(addsuffix .cpio.gz,$(VARIANTS)))

# The word-size crossing test: the slim root plus the other x86 arch's
# bzImage and its netboot root as the initrd it boots with.
$(OUT)/cross.cpio.gz: $(OUT)/slim.list $(OUT)/slim.cpio.gz $(OTHER_OUT)/bzImage $(OTHER_OUT)/netroot.cpio.gz
	{ cat $(OUT)/slim.list; \
	  echo "dir /boot/other 755 0 0"; \
	  echo "file /boot/other/bzImage $(OTHER_OUT)/bzImage 644 0 0"; \
	  echo "file /boot/other/initrd.cpio.gz $(OTHER_OUT)/netroot.cpio.gz 644 0 0"; } | \
		$(OBJ)/usr/gen_init_cpio - | gzip -6n > $@
$(OTHER_OUT)/bzImage $(OTHER_OUT)/netroot.cpio.gz: FORCE
	$(MAKE) ARCH=$(OTHER_ARCH) $@
.PHONY: FORCE
FORCE:

# --- run and test -----------------------------------------------------------
run: build
	bash tests/qemu/demo.sh $(OUT)

# Every arch's QEMU tests run even when an earlier arch failed; the exit
# status says whether all passed.
test:
	$(MAKE) -C tests/unit check
	rc=0; for arch in $(TEST_ARCHES); do \
		$(MAKE) ARCH=$$arch test-arch || rc=1; \
	done; \
	$(MAKE) series-check checkpatch || rc=1; \
	exit $$rc

# The word-size crossing root exists on x86 only.
CROSS_CPIO := $(if $(filter arm64,$(ARCH)),,$(OUT)/cross.cpio.gz)
test-arch: build $(CROSS_CPIO)
	rc=0; bash tests/qemu/e2e.sh $(OUT) || rc=1; \
	$(MAKE) selftest || rc=1; \
	exit $$rc

unit:
	$(MAKE) -C tests/unit check

e2e: build
	bash tests/qemu/e2e.sh $(OUT)

# make test, plus memory sizes 128 MiB-1 GiB x 1-8 CPUs and a 21-generation
# chain (about 6 more minutes).
test-full:
	$(MAKE) -C tests/unit check
	rc=0; for arch in $(TEST_ARCHES); do \
		$(MAKE) ARCH=$$arch test-full-arch || rc=1; \
	done; \
	$(MAKE) series-check checkpatch || rc=1; \
	exit $$rc

test-full-arch: build $(CROSS_CPIO) $(TEST_FULL_FILES)
	rc=0; bash tests/qemu/e2e.sh $(OUT) full || rc=1; \
	$(MAKE) selftest || rc=1; \
	exit $$rc

# --- the series as the kernel list gets it (patches/export-series.py) ------
# series: build/series/*.patch, cut as patches/export.plan says.
# series-check: git am onto pristine Linux gives exactly the tree we build
# (so what make test builds and boots is the series).  bisect: a kernel
# build after every patch, in build/export/bisect-obj.
.PHONY: series series-check checkpatch bisect selftest
EXPORT_SERIES := python3 patches/export-series.py --tree $(SRC)
series: $(SRC)/.overlay
	$(EXPORT_SERIES) export
series-check: series
	$(EXPORT_SERIES) check
checkpatch: series
	$(EXPORT_SERIES) checkpatch
bisect: series
	$(EXPORT_SERIES) bisect --jobs $(JOBS)

# --- kselftest and the systemd path in QEMU (tests/qemu/selftest.sh) -------
ST := $(OUT)/selftest
# The kernel's own headers (its asm/ too) come first: they have the call.
$(ST)/kexec_boot_test: $(OUT)/vmlinux $(wildcard kernel/tools/testing/selftests/kexec_boot/*)
	mkdir -p $(ST)
	$(KMAKE) -s headers
	$(MAKE) -s -C $(SRC)/tools/testing/selftests/kexec_boot OUTPUT=$(ST) \
		CC="$(filter-out -isystem $(M32_INCLUDE),$(UCC))" LDFLAGS=-static \
		KHDR_INCLUDES="-isystem $(OBJ)/usr/include"

$(ST)/systemd-kexec: tests/selftest/systemd-kexec.c $(DEPS) $(M32_INCLUDE)/asm
	mkdir -p $(ST)
	$(UCC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# x86_64 and arm64: Debian's kexec-tools loads generation 2 (kexec -s).
ST_KEXEC_TOOLS := $(if $(filter x86_64 arm64,$(ARCH)),$(OUT)/debian/sbin/kexec)
$(ST)/initramfs.cpio.gz: tests/selftest/initramfs.list.sh tests/qemu/initramfs.list.sh tests/selftest/init \
		$(ST)/kexec_boot_test $(ST)/systemd-kexec $(OUT)/busybox \
		$(OUT)/kexec $(BOOT_KERNELS) $(addprefix $(OUT)/,$(KIMAGES)) $(ST_KEXEC_TOOLS)
	ARCH=$(ARCH) bash $< $(ROOT) $(OUT) > $(ST)/initramfs.list
	$(OBJ)/usr/gen_init_cpio $(ST)/initramfs.list | gzip -6n > $@

selftest: build $(ST)/initramfs.cpio.gz
	bash tests/qemu/selftest.sh $(OUT)

# libFuzzer on the image parser and placement: make fuzz SECONDS=600
SECONDS ?= 60
fuzz:
	$(MAKE) -C tests/fuzz run SECONDS=$(SECONDS)

# Ours against mainline kexec (the same 6.12 source and config with
# CONFIG_KEXEC=y, on x86_64 also CONFIG_KEXEC_FILE=y; Debian's kexec-tools
# fetched at bench time), in QEMU: build/bench/ARCH/results.md and
# bench.png, copied to Documentation/bench/latest-ARCH.*.
# SESSIONS="vmlinux-1M firmware" runs only some (see tests/bench/bench.py).
# OUT=DIR on the command line benches the kernels and tools already built
# in DIR as they are (nothing is built there); DEBIAN_OUT=DIR takes Debian's
# kexec-tools from DIR/debian (default: OUT's).
DEBIAN_OUT ?= $(OUT)
.PHONY: bench
# ARCH=arm64: against mainline arm64 kexec_file_load and Debian's
# kexec-tools (tests/bench/arm64.mk): build/bench-arm64/results.md, copied
# to Documentation/bench/arm64.md.
bench: $(if $(filter command line,$(origin OUT)),,build) $(DEBIAN_OUT)/debian/sbin/kexec
ifeq ($(ARCH),arm64)
	$(MAKE) -f tests/bench/arm64.mk ROOT=$(ROOT) OUT=$(OUT) JOBS=$(JOBS) CROSS_COMPILE=$(CROSS_COMPILE)
else
	$(MAKE) -f tests/bench/bench.mk ROOT=$(ROOT) ARCH=$(ARCH) OUT=$(OUT) \
		DEBIAN_OUT=$(DEBIAN_OUT) JOBS=$(JOBS)
endif

clean:
	rm -rf build
