#!/bin/bash
# Prints the gen_init_cpio list of the test initramfs (kernel A's, and by
# copying itself, every later generation's), or with "minimal" the netboot
# image's: no tools and no kernels to load, only what reports; with "slim"
# the minimal one plus kexec and /boot/vmlinux (make test-full's 64 MiB,
# HIGHMEM and PAE cells); with "base" only the skeleton every test root
# shares (device nodes, directories, busybox), which the selftest and bench
# roots extend.
# Usage: initramfs.list.sh ROOT OUT [minimal|slim|base]
set -eu
root=$1 out=$2 variant=${3:-full}
cat <<LIST
dir /dev 755 0 0
nod /dev/console 600 0 0 c 5 1
nod /dev/ttyS0 660 0 0 c 4 64
nod /dev/ttyAMA0 660 0 0 c 204 64
nod /dev/null 666 0 0 c 1 3
nod /dev/zero 666 0 0 c 1 5
nod /dev/urandom 444 0 0 c 1 9
dir /proc 755 0 0
dir /sys 755 0 0
dir /tmp 1777 0 0
dir /bin 755 0 0
dir /etc 755 0 0
dir /boot 755 0 0
file /bin/busybox $out/busybox 755 0 0
slink /bin/sh /bin/busybox 777 0 0
LIST
[ "$variant" != base ] || exit 0
cat <<LIST
slink /init /bin/busybox 777 0 0
file /payload $out/payload 644 0 0
LIST
# arm64: the Image (and Image.gz) instead of the vmlinux (/boot/vmlinux
# links to it, for badload), our arm64 ELF test program as
# /boot/elftest.elf, no x86 formats.
if [ "${ARCH:-i386}" = arm64 ]; then
	[ "$variant" != slim ] || cat <<LIST
file /bin/kexec $out/kexec 755 0 0
file /boot/Image $out/Image 644 0 0
LIST
	[ "$variant" != full ] || cat <<LIST
file /bin/kexec $out/kexec 755 0 0
file /bin/kexec-pack $out/kexec-pack 755 0 0
file /bin/badload $out/badload 755 0 0
file /boot/Image $out/Image 644 0 0
slink /boot/vmlinux /boot/Image 777 0 0
file /boot/Image.gz $out/Image.gz 644 0 0
file /boot/Image.zboot $out/Image.zboot 644 0 0
file /boot/elftest.elf $out/elftest-arm64.elf 644 0 0
LIST
else
	[ "$variant" != slim ] || cat <<LIST
file /bin/kexec $out/kexec 755 0 0
file /boot/vmlinux $out/vmlinux.stripped 644 0 0
LIST
	[ "$variant" != full ] || cat <<LIST
file /bin/kexec $out/kexec 755 0 0
file /bin/kexec-pack $out/kexec-pack 755 0 0
file /bin/badload $out/badload 755 0 0
file /boot/vmlinux $out/vmlinux.stripped 644 0 0
file /boot/bzImage $out/bzImage 644 0 0
file /boot/mbtest.elf $out/mbtest.elf 644 0 0
file /boot/mbtest-aout.elf $out/mbtest-aout.elf 644 0 0
file /boot/elftest.elf $out/elftest.elf 644 0 0
LIST
fi
# x86_64: the ELF64 test kernel, entered in 64-bit mode.
[ "$variant" != full ] || [ "${ARCH:-i386}" != x86_64 ] ||
	echo "file /boot/elftest64.elf $out/elftest64.elf 644 0 0"
# Kernel B of the installer test: another i386 configuration.
[ "$variant" != full ] || [ "${ARCH:-i386}" != i386 ] ||
	echo "file /boot/bzImage-installer $out/bzImage-installer 644 0 0"
for f in "$root"/tests/qemu/rootfs/*; do
	name=$(basename "$f")
	mode=644
	[ -x "$f" ] && mode=755
	echo "file /etc/$name $f $mode 0 0"
done
