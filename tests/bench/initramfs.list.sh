#!/bin/bash
# Prints the gen_init_cpio list of the bench root: the shared test skeleton
# (tests/qemu/initramfs.list.sh base), both kernels (each
# generation boots the other one), our static tool, Debian's kexec-tools
# with the libraries it names (unpacked under OUT/debian by the Makefile),
# busybox and the stopwatch.  Usage: initramfs.list.sh ROOT OUT BENCH
set -eu
root=$1 out=$2 bench=$3
deb=$out/debian
bash "$root/tests/qemu/initramfs.list.sh" "$root" "$out" base
cat <<LIST
dir /sbin 755 0 0
dir /boot/ours 755 0 0
dir /boot/theirs 755 0 0
dir /debian 755 0 0
dir /lib 755 0 0
dir /lib/i386-linux-gnu 755 0 0
file /init $root/tests/bench/init 755 0 0
file /bin/kexec $out/kexec 755 0 0
file /bin/bt $bench/bt 755 0 0
file /boot/ours/vmlinux $out/vmlinux.stripped 644 0 0
file /boot/ours/bzImage $out/bzImage 644 0 0
file /boot/theirs/vmlinux $bench/vmlinux.theirs 644 0 0
file /boot/theirs/bzImage $bench/bzImage.theirs 644 0 0
file /debian/kexec $deb/sbin/kexec 755 0 0
LIST
# The dynamic loader and every library the binary names, from the .debs.
interp=$(readelf -l "$deb/sbin/kexec" | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
echo "file $interp $(readlink -f "$deb$interp") 755 0 0"
for lib in $(readelf -d "$deb/sbin/kexec" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
	echo "file /lib/i386-linux-gnu/$lib $deb/lib/i386-linux-gnu/$lib 755 0 0"
done
