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
# x86_64 and arm64: Debian's kexec-tools (kexec -s) with the libraries it
# needs, directly or through another library, as unpacked under
# OUT/debian, and the bzImage (x86_64) it loads.
case ${ARCH:-i386} in
x86_64) triplet=x86_64-linux-gnu ;;
arm64) triplet=aarch64-linux-gnu ;;
*) exit 0 ;;
esac
deb=$out/debian
interp=$(readelf -l "$deb/sbin/kexec" | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
cat <<LIST
dir /debian 755 0 0
dir /lib 755 0 0
dir /lib64 755 0 0
dir /lib/$triplet 755 0 0
file /debian/kexec $deb/sbin/kexec 755 0 0
file $interp $(readlink -f "$deb/lib/$triplet/${interp##*/}") 755 0 0
LIST
[ "${ARCH:-}" = x86_64 ] && echo "file /boot/bzImage $out/bzImage 644 0 0"
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
libdirs="$deb/lib/$triplet $deb/usr/lib/$triplet"
todo=$(needed "$deb/sbin/kexec") done=
while [ -n "$todo" ]; do
	set -- $todo
	lib=$1
	shift
	todo=$*
	case " $done " in *" $lib "*) continue ;; esac
	done="$done $lib"
	for dir in $libdirs; do
		[ -e "$dir/$lib" ] || continue
		echo "file /lib/$triplet/$lib $(readlink -f "$dir/$lib") 755 0 0"
		todo="$todo $(needed "$dir/$lib")"
		break
	done
done
