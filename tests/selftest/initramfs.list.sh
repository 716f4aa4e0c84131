#!/bin/bash
# Prints the gen_init_cpio list of the selftest initramfs: the shared test
# skeleton (tests/qemu/initramfs.list.sh base) plus the selftest's own init,
# the kselftest binary, systemd's kexec path and a kernel to load.
# Usage: initramfs.list.sh ROOT OUT   (OUT = build/i386)
set -eu
root=$1 out=$2
bash "$root/tests/qemu/initramfs.list.sh" "$root" "$out" base
cat <<LIST
file /init $root/tests/selftest/init 755 0 0
file /bin/kexec $out/kexec 755 0 0
file /bin/kexec_boot_test $out/selftest/kexec_boot_test 755 0 0
file /bin/systemd-kexec $out/selftest/systemd-kexec 755 0 0
LIST
# The kernel kexec loads: the vmlinux, or the Image on arm64.
if [ "${ARCH:-i386}" = arm64 ]; then
	echo "file /boot/Image $out/Image 644 0 0"
else
	echo "file /boot/vmlinux $out/vmlinux.stripped 644 0 0"
fi
# x86_64 and arm64: Debian's kexec-tools (kexec -s), and the bzImage it
# loads on x86_64.
case ${ARCH:-i386} in
x86_64) echo "file /boot/bzImage $out/bzImage 644 0 0" ;;
arm64) ;;
*) exit 0 ;;
esac
bash "$root/tests/qemu/debian-kexec.list.sh" "$out"
