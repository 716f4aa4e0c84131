#!/bin/bash
# Prints the gen_init_cpio list of the bench root: the shared test skeleton
# (tests/qemu/initramfs.list.sh base), both kernels (each
# generation boots the other one), our static tool, Debian's kexec-tools
# with every library it needs (unpacked under DEBIAN_OUT/debian by the
# Makefile; tests/qemu/debian-kexec.list.sh), busybox and the stopwatch.
# Usage: initramfs.list.sh ROOT OUT BENCH [DEBIAN_OUT]   ($ARCH: i386 or
# x86_64; DEBIAN_OUT defaults to OUT)
set -eu
root=$1 out=$2 bench=$3 debian_out=${4:-$2}
bash "$root/tests/qemu/initramfs.list.sh" "$root" "$out" base
cat <<LIST
dir /sbin 755 0 0
dir /boot/ours 755 0 0
dir /boot/theirs 755 0 0
file /init $root/tests/bench/init 755 0 0
file /bin/kexec $out/kexec 755 0 0
file /bin/bt $bench/bt 755 0 0
file /boot/ours/vmlinux $out/vmlinux.stripped 644 0 0
file /boot/ours/bzImage $out/bzImage 644 0 0
file /boot/theirs/vmlinux $bench/vmlinux.theirs 644 0 0
file /boot/theirs/bzImage $bench/bzImage.theirs 644 0 0
LIST
bash "$root/tests/qemu/debian-kexec.list.sh" "$debian_out"
