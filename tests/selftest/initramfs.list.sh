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
file /boot/vmlinux $out/vmlinux.stripped 644 0 0
LIST
# x86_64: Debian's kexec-tools (kexec -s) with the libraries it needs,
# directly or through another library, as unpacked under OUT/debian, and
# the bzImage it loads.
[ "${ARCH:-i386}" = x86_64 ] || exit 0
deb=$out/debian
interp=$(readelf -l "$deb/sbin/kexec" | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
cat <<LIST
dir /debian 755 0 0
dir /lib 755 0 0
dir /lib64 755 0 0
dir /lib/x86_64-linux-gnu 755 0 0
file /debian/kexec $deb/sbin/kexec 755 0 0
file /boot/bzImage $out/bzImage 644 0 0
file $interp $(readlink -f "$deb/lib/x86_64-linux-gnu/${interp##*/}") 755 0 0
LIST
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
libdirs="$deb/lib/x86_64-linux-gnu $deb/usr/lib/x86_64-linux-gnu"
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
		echo "file /lib/x86_64-linux-gnu/$lib $(readlink -f "$dir/$lib") 755 0 0"
		todo="$todo $(needed "$dir/$lib")"
		break
	done
done
