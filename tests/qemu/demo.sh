#!/bin/bash
# make run: kernel A boots, loads kernel B with our kexec, runs a plain
# busybox reboot and comes up in kernel B.  Interactive on a terminal
# (a shell in B; Ctrl-A X quits), otherwise B powers off.
set -eu
out=$1
. "$(dirname "$0")/lib.sh"
use_arch "$out"
plan=reboot,done
[ -t 0 ] && plan=reboot,shell
echo "== kernel A boots, loads B with kexec -l, then runs 'reboot'"
# shellcheck disable=SC2046
exec "$QEMU_BIN" -accel tcg -smp 2 -m 256M -nographic -no-reboot \
	$(machine_args) -kernel "$out/$KIMAGE" -initrd "$out/initramfs.cpio.gz" \
	-append "console=$CONSOLE panic=-1 kbt.gen=1 kbt.plan=$plan"
