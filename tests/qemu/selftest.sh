#!/bin/bash
# The kexec_boot_load() kselftest and systemd's kexec path, in QEMU.
#
# Kernel A boots the selftest initramfs (tests/selftest/init): it runs
# tools/testing/selftests/kexec_boot (TAP), loads kernel A's vmlinux again
# with "kexec -l" and a marker chosen here, then runs systemd-kexec, which
# does what systemd does for "systemctl kexec": reads
# /sys/kernel/kexec_loaded, syncs, calls reboot(LINUX_REBOOT_CMD_KEXEC).
# Generation 2 must come up with the marker and runs the one-way
# kernel.kexec_boot_load_disabled test.
#
# Fails when a TAP test fails or is skipped (the one-way test may skip only
# because this kernel has no such sysctl), when the plan does not match the
# results, and when generation 2 is not the kernel loaded.
# Ends with "N passed, N failed".  Usage: selftest.sh OUT  (OUT = build/i386)
set -u
out=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
use_arch "$out"
log=$out/selftest/qemu.log
marker=kbst-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
passed=0 failed=0

# guest_lines: what the guest printed, without the host time stamps.
guest_lines() { sed 's/^[0-9.]* //' "$log"; }

# tap GEN: the TAP that generation GEN's kexec_boot_test printed.
tap() {
	guest_lines | sed -n "/^KBST tap begin gen=$1\$/,/^KBST tap end gen=$1 /p" |
		grep -v '^KBST '
}

# check_tap GEN ALLOWED-SKIP-REGEX: plan, results, no failure, no skip
# except one whose reason matches the regex.  Prints the TAP summary.
check_tap() {
	local gen=$1 allowed=$2 text plan results oks skips bad rc
	text=$(tap "$gen")
	plan=$(echo "$text" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p' | head -n 1)
	results=$(echo "$text" | grep -Ec '^(not )?ok [0-9]+ ')
	oks=$(echo "$text" | grep -E '^ok [0-9]+ ' | grep -vc '# SKIP')
	skips=$(echo "$text" | grep -E '^ok [0-9]+ .*# SKIP')
	bad=$(echo "$text" | grep -E '^not ok [0-9]+ ')
	rc=$(guest_lines | sed -n "s/^KBST tap end gen=$gen rc=//p" | head -n 1)
	echo "# gen $gen kselftest: plan ${plan:-none}, $results results, $oks passed," \
		"$(echo -n "$bad" | grep -c .) failed, $(echo -n "$skips" | grep -c .) skipped, exit ${rc:-none}"
	[ -n "$bad" ] && echo "$text" | grep -E '^(not ok|#)' | sed 's/^/#   /'
	[ -n "$plan" ] && [ "$plan" -gt 0 ] && [ "$plan" = "$results" ]
	check "gen $gen: TAP plan matches the results" $? "plan '${plan:-none}', $results results"
	[ -z "$bad" ]
	check "gen $gen: no test failed" $? "$(echo "$bad" | tr '\n' '|')"
	[ -z "$(echo "$skips" | grep -Ev "$allowed")" ]
	check "gen $gen: nothing skipped without reason" $? "$(echo "$skips" | tr '\n' '|')"
	if [ -n "$skips" ]; then
		echo "$skips" | sed 's/^/# note: /'
	fi
	[ "$rc" = 0 ] || { [ -n "$skips" ] && [ "$rc" = 4 ]; }
	check "gen $gen: kexec_boot_test exit status" $? "exit ${rc:-none}"
}

mkdir -p "$out/selftest"
# shellcheck disable=SC2046
run_qemu "$log" 180 '^KBST gen=2 done' 1 -smp 2 -m 256M \
	$(machine_args) -kernel "$out/$KIMAGE" -initrd "$out/selftest/initramfs.cpio.gz" \
	-append "console=$CONSOLE panic=-1 kbst.gen=1 kbst.next=$marker"

value() { guest_lines | sed -n "s/^KBST gen=$1 $2=//p" | head -n 1; }

check_tap 1 '^$'
[ "$(value 1 loaded)" = 0 ]
check "gen 1: nothing loaded at boot" $? "loaded=$(value 1 loaded)"
loader=kexec_boot
{ [ "$arch" = x86_64 ] || [ "$arch" = arm64 ]; } && loader=kexec-tools
[ "$(guest_lines | sed -n 's/^KBST gen=1 kexec-load //p')" = "by=$loader rc=0 loaded=1" ]
check "gen 1: kexec -l ($loader) loaded kernel A" $? \
	"$(guest_lines | grep '^KBST gen=1 kexec-load')"
guest_lines | grep -q '^systemd-kexec: /sys/kernel/kexec_loaded reads 1, rebooting with kexec$'
check "gen 1: systemd-kexec saw kexec_loaded = 1" $? "no such line"
! guest_lines | grep -q 'returned'
check "gen 1: reboot(LINUX_REBOOT_CMD_KEXEC) did not return" $? \
	"$(guest_lines | grep returned | tr '\n' '|')"
[ "$(guest_lines | grep -c '^KBST gen=1 cmdline=')" = 1 ]
check "gen 1 ran once (no firmware reboot)" $? "$(guest_lines | grep -c '^KBST gen=1 cmdline=') times"
[[ " $(value 2 cmdline) " == *" kbst.marker=$marker "* ]]
check "gen 2 has the marker in /proc/cmdline" $? "cmdline '$(value 2 cmdline)', marker $marker"
[[ $(value 2 uname) == *-kexec-boot ]]
check "gen 2 runs a kernel with the series (uname -r)" $? "uname '$(value 2 uname)'"
[ "$(value 2 loaded)" = 0 ]
check "gen 2: nothing loaded at boot" $? "loaded=$(value 2 loaded)"
check_tap 2 'SKIP no kernel.kexec_boot_load_disabled sysctl'
guest_lines | grep -q '^KBST gen=2 done$'
check "gen 2 finished" $? "log: $log"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
