#!/bin/bash
# QEMU end-to-end tests of kexec_boot.  Every case boots kernel A with the
# test initramfs and a plan (see rootfs/kbt); the checks read what each
# generation printed.  Ends with "N passed, N failed".
# Usage: e2e.sh OUT [full]   (OUT = build/i386; full adds the matrix of
# memory sizes and CPU counts and a 21-generation chain: make test-full)
set -u
out=$(cd "$1" && pwd)
scope=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
logs=$out/e2e
mkdir -p "$logs"
payload_sum=$(sha256sum "$out/payload" | cut -d' ' -f1)
passed=0 failed=0

check() { # NAME CONDITION-STATUS DETAIL
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

# boot NAME SMP PLAN [STOP COUNT [QEMU-ARGS...]]: runs one QEMU session;
# $EXTRA_APPEND, if set, goes on kernel A's command line; $KERNEL and
# $INITRD, if set, replace kernel A and the test initramfs.
boot() {
	local name=$1 smp=$2 plan=$3 stop=${4:-'KBT gen=[0-9]+ done'} count=${5:-1}
	shift 5 2>/dev/null || shift $#
	run_qemu "$logs/$name.log" "${LIMIT:-180}" "$stop" "$count" -smp "$smp" -m "${MEM:-256M}" \
		-kernel "${KERNEL:-$out/bzImage}" -initrd "${INITRD:-$out/initramfs.cpio.gz}" \
		-append "console=ttyS0 panic=-1 kbt.gen=1 kbt.plan=$plan${EXTRA_APPEND:+ $EXTRA_APPEND}" "$@"
}

# check_generation NAME LOG GEN SMP: what generation GEN (> 1) must show.
check_generation() {
	local name=$1 log=$2 gen=$3 smp=$4 prev=$(($3 - 1)) online=0
	[ "$smp" -gt 1 ] && online="0-$((smp - 1))"
	local marker
	marker=$(kbt_value "$log" "$prev" "load rc=0 marker" | cut -d' ' -f1)
	expect_match "$name: gen $prev loaded gen $gen" \
		"$(kbt_line "$log" "$prev" "load ")" "^rc=0 marker=m$gen-[0-9a-f]{8} loaded=1$"
	expect_match "$name: gen $gen has the marker in /proc/cmdline" \
		"$(kbt_value "$log" "$gen" cmdline)" "kbt.marker=${marker:-none}( |$)"
	expect_eq "$name: gen $gen initrd payload intact" \
		"$(kbt_value "$log" "$gen" payload)" "$payload_sum"
	expect_eq "$name: gen $gen all $smp CPUs online" \
		"$(kbt_value "$log" "$gen" online)" "$online"
	expect_eq "$name: gen $gen starts with nothing loaded" \
		"$(kbt_value "$log" "$gen" loaded)" 0
}

# A plan of N actions ending in done: N generations, each checked.
chain_case() { # NAME SMP PLAN
	local name=$1 smp=$2 plan=$3 gens gen
	gens=$(echo "$plan" | tr ',' '\n' | wc -l)
	boot "$name" "$smp" "$plan"
	for ((gen = 2; gen <= gens; gen++)); do
		check_generation "$name" "$logs/$name.log" "$gen" "$smp"
	done
	expect_eq "$name: gen $gens finished" \
		"$(kbt_count "$logs/$name.log" "KBT gen=$gens done")" 1
}

chain_case reboot-smp1 1 reboot,done
chain_case reboot-smp4 4 reboot,done
chain_case exec-smp2 2 exec,done
chain_case chain4 2 reboot,exec,reboot,done
chain_case bzimage-smp2 2 bzimage,done

# Our multiboot test kernel reports what it was handed, then powers off.
fnv1a() { python3 -c 'import sys
h = 0x811c9dc5
for b in open(sys.argv[1], "rb").read():
    h = ((h ^ b) * 0x01000193) & 0xffffffff
print("%08x" % h)' "$1"; }
module=$here/rootfs/inittab
module_sum=$(fnv1a "$module")
module_size=$(stat -c %s "$module")
# check_nonlinux VARIANT MAGIC: the test kernel got what the format promises.
check_nonlinux() {
	local variant=$1 magic=$2 log=$logs/$1.log marker
	boot "$variant" 2 "$variant" 'MBT done' 1
	marker=$(kbt_value "$log" 1 "load rc=0 marker" | cut -d' ' -f1)
	mbt() { sed -n "s/^[0-9.]* MBT $1//p" "$log" | head -n 1; }
	expect_match "$variant: loaded" "$(kbt_line "$log" 1 "load ")" "^rc=0 marker=mb-[0-9a-f]{8} loaded=1$"
	expect_eq "$variant: magic in EAX" "$(mbt magic=)" "$magic ok"
	expect_eq "$variant: command line" "$(mbt cmdline=)" "mbt.marker=${marker:-none}"
	expect_eq "$variant: loader name" "$(mbt loader=)" "kexec_boot"
	expect_eq "$variant: one module" "$(mbt mods=)" 1
	expect_match "$variant: module is the initrd, intact, page-aligned" "$(mbt mod0)" \
		" size=$module_size sum=$module_sum cmdline= aligned=yes$"
	expect_match "$variant: memory map covers the kernel" "$(mbt 'mmap ')" "covers_self=yes$"
	expect_eq "$variant: all of its checks passed" "$(mbt 'done ')" "passed=8 failed=0"
}
check_nonlinux multiboot 0x2badb002
check_nonlinux multiboot-aout 0x2badb002
# Any other ELF: kexec_boot's own boot environment, ACPI RSDP included.
check_nonlinux elf 0x4b425445
log=$logs/elf.log
expect_match "elf: boot environment version 1" "$(mbt 'env ')" "^version=1 size=[0-9]+ records=5$"
expect_match "elf: ACPI RSDP passed" "$(mbt rsdp=)" "^0x[0-9a-f]{5,8}$"

# One packed file (vmlinux, initrd, command line), loaded with --append only.
chain_case packed 2 packed,done
expect_match "packed: packed in the guest" "$(kbt_line "$logs/packed.log" 1 "pack ")" "^rc=0 size=[0-9]+$"
expect_match "packed: --append added to the packed command line" \
	"$(kbt_value "$logs/packed.log" 2 cmdline)" " kbt.marker=m2-[0-9a-f]{8} kbt.appended=yes$"

# Dry runs (kexec -l --dry-run): the map is printed and nothing is loaded, a
# loaded image stays loaded, the dry run's map is the real load's, and gen 2
# finds its initrd where the map put it.
chain_case dryrun 2 dryrun,ramdisk
log=$logs/dryrun.log
# no_counts MAP: MAP without the page counts, which vary between two loads
# of one image (they depend on the pages the allocator hands out).
no_counts() { echo "$1" | sed -E 's/ in_place [0-9]+ copied [0-9]+//g'; }
hex='0x[0-9a-f]{8}'
seg_re="segment $hex-$hex size [0-9]+ (kernel|initrd|bootenv) in_place [0-9]+ copied [0-9]+[|]"
map_tail="cmdline_len [0-9]+[|](ram $hex-$hex[|])+($seg_re)+pages [0-9]+ in_place [0-9]+ copied [0-9]+[|]$"
dry1=$(kbt_value "$log" 1 dry1-map)
segments=$(kbt_value "$log" 1 segments)
expect_eq "dryrun: dry run with nothing loaded succeeds and loads nothing" \
	"$(kbt_line "$log" 1 "dry1 ")" "rc=0 loaded=0"
expect_match "dryrun: kexec prints the map and says nothing was loaded" \
	"$(kbt_value "$log" 1 dry1-out)" \
	"^/boot/vmlinux: vmlinux image, entry $hex, command line [0-9]+ bytes[|].*[|]    $hex-$hex +[0-9.]+ [KM]iB  initrd +[0-9]+ +[0-9]+[|].*[|]nothing was loaded: no image is loaded[|]$"
expect_match "dryrun: dry_run holds the vmlinux map" "$dry1" "^format vmlinux[|]entry $hex[|]$map_tail"
expect_match "dryrun: the map has an initrd segment" "$dry1" "[|]segment $hex-$hex size [0-9]+ initrd "
expect_eq "dryrun: segments is empty before the load" "$(kbt_value "$log" 1 segments-before)" ""
expect_match "dryrun: segments holds the loaded map" "$segments" "^format vmlinux[|]entry $hex[|]$map_tail"
expect_eq "dryrun: the dry run's map is the real load's" "$(no_counts "$dry1")" "$(no_counts "$segments")"
expect_eq "dryrun: dry run of another image keeps the loaded one" \
	"$(kbt_line "$log" 1 "dry2 ")" "rc=0 loaded=1"
expect_match "dryrun: its map is the bzImage's" "$(kbt_value "$log" 1 dry2-map)" \
	"^format bzImage[|]entry $hex[|]$map_tail"
expect_match "dryrun: kexec says the loaded image stays" "$(kbt_value "$log" 1 dry2-out)" \
	"^/boot/bzImage: bzImage image, .*[|]nothing was loaded: the image loaded before stays loaded[|]$"
expect_match "dryrun: a refused dry run names the file and reason" "$(kbt_line "$log" 1 "dry3 ")" \
	"^rc=1 loaded=1 msg=kexec: dry run: cannot load /etc/inittab: the kernel refused it: not a bootable image"
expect_eq "dryrun: a refused dry run keeps the last map" \
	"$(kbt_value "$log" 1 dry3-map)" "$(kbt_value "$log" 1 dry2-map)"
expect_eq "dryrun: the loaded map is unchanged by the dry runs" \
	"$(kbt_value "$log" 1 segments-after)" "$segments"
expect_match "dryrun: kexec -S exits 1 and prints the loaded map" "$(kbt_line "$log" 1 "status ")" \
	"^rc=1 out=loaded: vmlinux image, entry $hex, .*[|]    $hex-$hex +[0-9.]+ [KM]iB  kernel "
initrd=$(echo "$segments" | tr '|' '\n' | sed -n 's/^segment \(0x[0-9a-f]*-0x[0-9a-f]*\) size [0-9]* initrd .*/\1/p')
expect_match "dryrun: one initrd segment in the loaded map" "$initrd" "^$hex-$hex$"
# Linux prints its initrd's range with the end rounded up to a page.
ramdisk=none
if [[ $initrd =~ ^(0x[0-9a-f]+)-(0x[0-9a-f]+)$ ]]; then
	ramdisk=$(printf '%s-0x%08x' "${BASH_REMATCH[1]}" \
		$(((BASH_REMATCH[2] + 4096) / 4096 * 4096 - 1)))
fi
expect_eq "dryrun: gen 2's kernel found its initrd where the map put it" \
	"$(kbt_value "$log" 2 ramdisk)" "$ramdisk"
expect_eq "dryrun: kexec -S in gen 2 exits 0, nothing loaded" \
	"$(kbt_line "$log" 2 "status ")" "rc=0 out=no image is loaded"

# Installer: kernel A boots kernel B, built with another configuration.
boot installer 2 installer,done
log=$logs/installer.log
expect_match "installer: gen 1 loaded kernel B" "$(kbt_line "$log" 1 "load ")" "^rc=0 marker=m2-[0-9a-f]{8} loaded=1$"
expect_eq "installer: gen 1 runs kernel A" "$(kbt_value "$log" 1 uname)" "$(cat "$out/kernel.release")"
expect_eq "installer: gen 2 runs kernel B" "$(kbt_value "$log" 2 uname)" "$(cat "$out/bzImage-installer.release")"
expect_eq "installer: kernel B got the initrd intact" "$(kbt_value "$log" 2 payload)" "$payload_sum"
expect_eq "installer: kernel B finished" "$(kbt_count "$log" 'KBT gen=2 done')" 1

# Netboot: gen 1 fetches one packed file from QEMU's TFTP server and boots it.
tftp=$logs/tftp
mkdir -p "$tftp"
net_marker=net-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$out/../host/kexec-pack" -o "$tftp/net.elf" "$out/vmlinux.stripped" \
	--initrd="$out/netroot.cpio.gz" \
	--command-line="console=ttyS0 panic=-1 kbt.gen=2 kbt.plan=netboot,done kbt.marker=$net_marker"
EXTRA_APPEND=kbt.netfile=net.elf boot netboot 2 netboot,done 'KBT gen=[0-9]+ done' 1 \
	-nic "user,model=virtio-net-pci,tftp=$tftp"
log=$logs/netboot.log
expect_match "netboot: fetched the image" "$(kbt_line "$log" 1 "fetch ")" "^rc=0 size=$(stat -c %s "$tftp/net.elf") "
expect_eq "netboot: loaded it" "$(kbt_line "$log" 1 "load ")" "rc=0 loaded=1"
expect_match "netboot: gen 2 has the packed command line" "$(kbt_value "$log" 2 cmdline)" "kbt.marker=$net_marker$"
expect_eq "netboot: gen 2 initrd payload intact" "$(kbt_value "$log" 2 payload)" "$payload_sum"

# NIC DMA: the host streams UDP to the guest's virtio-net (QEMU user
# networking, hostfwd) while gen 1 loads and runs kexec -e; a device still
# writing into memory would corrupt gen 2 or its initrd.  Gen 2 must be
# intact and receive on its own eth0.
nic_port=$((20000 + RANDOM % 20000))
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.time() + float(sys.argv[2])
while time.time() < end:
    for i in range(20):
        try:
            s.sendto(b"kbt" * 340, ("127.0.0.1", int(sys.argv[1])))
        except OSError:
            pass
    time.sleep(0.01)' "$nic_port" "${LIMIT:-180}" &
nic_sender=$!
boot nicdma 2 nicdma,nicrx 'KBT gen=[0-9]+ done' 1 \
	-nic "user,model=virtio-net-pci,hostfwd=udp:127.0.0.1:$nic_port-:5555"
kill "$nic_sender" 2>/dev/null
wait "$nic_sender" 2>/dev/null
log=$logs/nicdma.log
expect_match "nicdma: gen 1 receives the stream" "$(kbt_line "$log" 1 "nic ")" \
	"^rx=([2-9][0-9]{2}|[0-9]{4,}) per_second=[1-9][0-9]* "
expect_match "nicdma: gen 1 still receiving at kexec -e" "$(kbt_line "$log" 1 "exec ")" \
	"^rx=([2-9][0-9]{2}|[0-9]{4,})$"
check_generation nicdma "$log" 2 2
expect_match "nicdma: gen 2 receives on its own eth0" "$(kbt_line "$log" 2 "nic ")" \
	"^rx=([2-9][0-9]{2}|[0-9]{4,}) per_second=[1-9][0-9]* "
expect_eq "nicdma: gen 2 finished" "$(kbt_count "$log" 'KBT gen=2 done')" 1
echo "# nicdma: gen 1 $(kbt_line "$log" 1 "nic "), $(kbt_line "$log" 1 "exec ") at kexec -e"

# kexec -u, then reboot: the firmware boots kernel A again (gen 1 twice).
boot unload 1 unload,done 'KBT gen=1 cmdline=' 2
log=$logs/unload.log
expect_eq "unload: nothing loaded after kexec -u" \
	"$(kbt_value "$log" 1 "unload rc=0 loaded")" 0
expect_eq "unload: reboot went through the firmware" \
	"$(kbt_count "$log" 'KBT gen=1 cmdline=')" 2
expect_eq "unload: no second generation" "$(kbt_count "$log" 'KBT gen=2')" 0

# Refused images leave the running kernel working; the next load boots.
# Each bad file (see try_bad_images in rootfs/kbt) with the reason the
# user must be shown.
bad_images=(
	"/etc/inittab|bzImage: shorter than a setup header.*elf: no ELF magic"
	"/tmp/truncated|ELF program headers end at 148, past the file end 100"
	"/proc/version|the kernel file is empty or not a regular file"
	"/tmp|/tmp: is a directory, not a regular file"
	"/tmp/old-protocol|boot protocol 2.09 is too old"
	"/tmp/zimage|a zImage \(loaded low\) cannot be booted"
	"/tmp/bad-sects|setup_sects 255 puts the kernel at 131072, past the file end 100000"
	"/tmp/bad-checksum|multiboot: header checksum 0x[0-9a-f]+ does not match flags 0x3"
	"/tmp/video-mode|multiboot: the kernel requires a video mode \\(flag 2\\)"
	"/tmp/mb-outside-ram|segment 0xf0000000-0x[0-9a-f]+ is not usable RAM"
	"/tmp/elf-outside-ram|segment 0xf0000000-0x[0-9a-f]+ is not usable RAM"
	"/tmp/packed-truncated|packed image: kernel at 4096\\+[0-9]+ is empty or past the file end 5000"
)
chain_case bad 2 bad,done
log=$logs/bad.log
expect_eq "bad: every refusal reported" \
	"$(kbt_count "$log" 'KBT gen=1 bad file=')" "${#bad_images[@]}"
for entry in "${bad_images[@]}"; do
	file=${entry%%|*}
	expect_match "bad: $file refused, nothing loaded, reason shown" \
		"$(kbt_line "$log" 1 "bad file=$file ")" "^rc=1 loaded=0 msg=kexec: .*${entry#*|}"
done

# The one-way sysctl: once set, loads fail with EPERM and it cannot be cleared.
boot disabled 1 disabled
log=$logs/disabled.log
expect_eq "disabled: sysctl set" "$(kbt_line "$log" 1 "disable ")" "rc=0 value=1"
expect_match "disabled: load refused with the reason" "$(kbt_line "$log" 1 "disabled-load ")" \
	"^rc=1 loaded=0 msg=kexec: .*loading is disabled until reboot"
expect_match "disabled: cannot be cleared" "$(kbt_line "$log" 1 "reenable ")" "^rc=[1-9][0-9]* value=1$"

if [ "$scope" = full ]; then
	# Every memory size with every CPU count, each a reboot then a kexec -e.
	for mem in 128M 256M 1G; do
		for smp in 1 2 4 8; do
			MEM=$mem chain_case "matrix-$mem-smp$smp" "$smp" reboot,exec,done
		done
	done
	# 21 generations in one QEMU run, alternating reboot and kexec -e.
	LIMIT=600 chain_case chain21 2 "$(printf 'reboot,exec,%.0s' {1..10})done"
fi

# Handover time: kexec -e in gen 1 to gen 2 running /init (host clock).
t0=$(kbt_time "$logs/exec-smp2.log" 'KBT gen=1 exec$')
t1=$(grep -E '^[0-9.]* .*Run /init as init process' "$logs/exec-smp2.log" | sed -n 2p | cut -d' ' -f1)
if [ -n "$t0" ] && [ -n "$t1" ]; then
	echo "# kexec -e to new init: $(echo "$t1 - $t0" | bc) s (host wall clock, TCG)"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
