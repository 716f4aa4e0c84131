#!/bin/bash
# QEMU helpers for the end-to-end tests and the demo, and the checks the
# test scripts count.

# check NAME STATUS DETAIL: one "ok"/"not ok" line, counted in $passed and
# $failed.  A script that defines want() keeps only the checks whose name
# (up to the first ':') it wants.
check() {
	if declare -F want >/dev/null && ! want "${1%%:*}"; then
		return 0
	fi
	if [ "$2" = 0 ]; then
		passed=$((passed + 1))
		echo "ok - $1"
	else
		failed=$((failed + 1))
		echo "not ok - $1 # $3"
	fi
}

expect_eq() { # NAME ACTUAL EXPECTED
	[ "$2" = "$3" ]
	check "$1" $? "got '$2', expected '$3'"
}

expect_match() { # NAME ACTUAL REGEX
	[[ $2 =~ $3 ]]
	check "$1" $? "got '$2', expected to match '$3'"
}

# use_arch OUT: the arch build/ARCH holds, in $arch, and its QEMU in $QEMU_BIN;
# the kernel image QEMU boots in $KIMAGE and the console in $CONSOLE
# (machine_args below adds what QEMU's machine needs).
use_arch() {
	arch=$(basename "$1")
	QEMU_BIN=qemu-system-$arch
	KIMAGE=bzImage
	CONSOLE=ttyS0
	if [ "$arch" = arm64 ]; then
		QEMU_BIN=qemu-system-aarch64
		KIMAGE=Image
		CONSOLE=ttyAMA0
	fi
}

# machine_args: QEMU's machine and CPU options for $arch: on arm64 virt
# ($MACHINE replaces it, e.g. MACHINE=virt,virtualization=on) and
# cortex-a57 ($CPU replaces it); nothing on x86.
machine_args() {
	[ "$arch" = arm64 ] || return 0
	echo "-M ${MACHINE:-virt} -cpu ${CPU:-cortex-a57}"
}

# run_qemu LOG LIMIT STOP COUNT QEMU-ARGS...  ($QEMU_BIN, see use_arch)
# Boots QEMU (TCG, serial on stdio) and writes each line the guest prints to
# LOG, prefixed with the host time in seconds.  Stops QEMU when the STOP
# regex has matched COUNT lines, when QEMU exits, or after LIMIT seconds.
run_qemu() {
	local log=$1 limit=$2 stop=$3 count=$4 line="" partial="" seen=0 rc
	shift 4
	: >"$log"
	coproc QEMU { exec "${QEMU_BIN:-qemu-system-i386}" -accel tcg -display none \
		-monitor none -serial stdio "$@" 2>&1; }
	# Our own copies of QEMU's output and pid: bash unsets QEMU and
	# QEMU_PID once it reaps the process, which a guest that powers off
	# quickly can make happen between two reads; the copy is read to its
	# end.
	local out pid=$QEMU_PID
	exec {out}<&"${QEMU[0]}"
	local deadline=$((SECONDS + limit))
	while ((SECONDS < deadline)); do
		IFS= read -r -t 1 line <&"$out"
		rc=$?
		if ((rc > 128)); then
			partial+=$line
			continue
		fi
		((rc == 0)) || break
		line=${partial}${line%$'\r'}
		partial=""
		printf '%s %s\n' "$EPOCHREALTIME" "$line" >>"$log"
		if [[ $line =~ $stop ]] && ((++seen >= count)); then
			break
		fi
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	exec {out}<&-
	return 0
}

# kbt_value LOG GEN KEY: the value of "KBT gen=GEN KEY=value" (first match).
# A session CASES left out has no log: every reader then finds nothing.
kbt_value() {
	sed -n "s#^[0-9.]* KBT gen=$2 $3=##p" "$1" 2>/dev/null | head -n 1
}

# kbt_line LOG GEN PREFIX: the rest of the first "KBT gen=GEN PREFIX..." line.
kbt_line() {
	sed -n "s#^[0-9.]* KBT gen=$2 $3##p" "$1" 2>/dev/null | head -n 1
}

# kbt_count LOG REGEX: how many guest lines match.
kbt_count() {
	grep -Ec "^[0-9.]* $2" "$1" 2>/dev/null
}

# kbt_time LOG REGEX: host time of the first guest line matching REGEX.
kbt_time() {
	grep -E "^[0-9.]* $2" "$1" 2>/dev/null | head -n 1 | cut -d' ' -f1
}
