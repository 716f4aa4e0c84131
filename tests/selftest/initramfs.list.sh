#!/bin/bash
# Prints the gen_init_cpio list of the selftest initramfs.
# Usage: initramfs.list.sh ROOT OUT   (OUT = build/i386)
set -eu
root=$1 out=$2
cat <<LIST
dir /dev 755 0 0
nod /dev/console 600 0 0 c 5 1
nod /dev/ttyS0 660 0 0 c 4 64
nod /dev/null 666 0 0 c 1 3
nod /dev/urandom 444 0 0 c 1 9
dir /proc 755 0 0
dir /sys 755 0 0
dir /tmp 1777 0 0
dir /bin 755 0 0
dir /boot 755 0 0
file /init $root/tests/selftest/init 755 0 0
file /bin/busybox $out/busybox 755 0 0
slink /bin/sh /bin/busybox 777 0 0
file /bin/kexec $out/kexec 755 0 0
file /bin/kexec_boot_test $out/selftest/kexec_boot_test 755 0 0
file /bin/systemd-kexec $out/selftest/systemd-kexec 755 0 0
file /boot/vmlinux $out/vmlinux.stripped 644 0 0
LIST
