#!/bin/bash
# Prints the gen_init_cpio list of the arm64 bench root: the shared test
# skeleton, the bench init, our kernel (Image, Image.gz) and static kexec,
# the mainline kernel, Debian's arm64 kexec-tools with every library it
# needs (unpacked under OUT/debian by the Makefile, listed by
# tests/qemu/debian-kexec.list.sh).
# Usage: arm64-initramfs.list.sh ROOT OUT BENCH
set -eu
root=$1 out=$2 bench=$3
bash "$root/tests/qemu/initramfs.list.sh" "$root" "$out" base
cat <<LIST
dir /boot/theirs 755 0 0
file /init $root/tests/bench/arm64-init 755 0 0
file /bin/kexec $out/kexec 755 0 0
file /boot/Image $out/Image 644 0 0
file /boot/Image.gz $out/Image.gz 644 0 0
file /boot/theirs/Image $bench/Image.theirs 644 0 0
LIST
ARCH=arm64 bash "$root/tests/qemu/debian-kexec.list.sh" "$out"
