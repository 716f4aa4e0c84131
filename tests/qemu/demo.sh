#!/bin/bash
# make run: kernel A boots, loads kernel B with our kexec, runs a plain
# busybox reboot and comes up in kernel B.  Interactive on a terminal
# (a shell in B; Ctrl-A X quits), otherwise B powers off.
set -eu
out=$1
plan=reboot,done
[ -t 0 ] && plan=reboot,shell
echo "== kernel A boots, loads B with kexec -l, then runs 'reboot'"
exec "qemu-system-$(basename "$out")" -accel tcg -smp 2 -m 256M -nographic -no-reboot \
	-kernel "$out/bzImage" -initrd "$out/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 kbt.gen=1 kbt.plan=$plan"
