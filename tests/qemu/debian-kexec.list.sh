#!/bin/bash
# Prints the gen_init_cpio lines that put Debian's kexec-tools, as
# unpacked under OUT/debian, at /debian/kexec with its dynamic loader and
# every library it needs, directly or through another library.  The
# kselftest root (x86_64: kexec -s) and the coexistence root (kexec -p)
# use it.  Usage: debian-kexec.list.sh OUT   ($ARCH: i386 or x86_64)
set -eu
out=$1
deb=$out/debian
case ${ARCH:-i386} in
x86_64) multiarch=x86_64-linux-gnu ;;
arm64) multiarch=aarch64-linux-gnu ;;
*) multiarch=i386-linux-gnu ;;
esac
interp=$(readelf -l "$deb/sbin/kexec" | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
echo "dir /debian 755 0 0"
echo "dir /lib 755 0 0"
[ "${interp%/*}" = /lib ] || echo "dir ${interp%/*} 755 0 0"
echo "dir /lib/$multiarch 755 0 0"
echo "file /debian/kexec $deb/sbin/kexec 755 0 0"
echo "file $interp $(readlink -f "$deb/lib/$multiarch/${interp##*/}") 755 0 0"
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
libdirs="$deb/lib/$multiarch $deb/usr/lib/$multiarch"
todo=$(needed "$deb/sbin/kexec") done=
# (a library that needs none leaves only blanks in todo)
while set -- $todo && [ $# -gt 0 ]; do
	lib=$1
	shift
	todo=$*
	case " $done " in *" $lib "*) continue ;; esac
	done="$done $lib"
	for dir in $libdirs; do
		[ -e "$dir/$lib" ] || continue
		echo "file /lib/$multiarch/$lib $(readlink -f "$dir/$lib") 755 0 0"
		todo="$todo $(needed "$dir/$lib")"
		break
	done
done
