#!/bin/bash
# Prints the gen_init_cpio list of the arm64 bench root: the shared test
# skeleton, the bench init, our kernel (Image, Image.gz) and static kexec,
# the mainline kernel, Debian's arm64 kexec-tools with every library it
# needs (unpacked under OUT/debian by the Makefile).
# Usage: arm64-initramfs.list.sh ROOT OUT BENCH
set -eu
root=$1 out=$2 bench=$3
deb=$out/debian
triplet=aarch64-linux-gnu
bash "$root/tests/qemu/initramfs.list.sh" "$root" "$out" base
interp=$(readelf -l "$deb/sbin/kexec" | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
cat <<LIST
dir /boot/theirs 755 0 0
dir /debian 755 0 0
dir /lib 755 0 0
dir /lib/$triplet 755 0 0
file /init $root/tests/bench/arm64-init 755 0 0
file /bin/kexec $out/kexec 755 0 0
file /boot/Image $out/Image 644 0 0
file /boot/Image.gz $out/Image.gz 644 0 0
file /boot/theirs/Image $bench/Image.theirs 644 0 0
file /debian/kexec $deb/sbin/kexec 755 0 0
file $interp $(readlink -f "$deb/lib/$triplet/${interp##*/}") 755 0 0
LIST
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
