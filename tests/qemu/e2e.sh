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
use_arch "$out"
logs=$out/e2e
mkdir -p "$logs"
payload_sum=$(sha256sum "$out/payload" | cut -d' ' -f1)
passed=0 failed=0

# CASES="badload stress", if set, runs only those QEMU sessions and the
# checks named after them ("NAME: ..."), for quick iteration.  On x86_64
# make test runs these by default (the rest of the i386 list covers
# generic code both arches share); make test-full runs every case.
if [ "$arch" = x86_64 ] && [ -z "${CASES+set}" ] && [ "$scope" != full ]; then
	CASES="reboot-smp1 reboot-smp4 exec-smp1 exec-smp4 chain4 bzimage-smp2
		multiboot multiboot-aout elf elf64 packed dryrun cross ovmf badload bad oom"
fi
# arm64 under TCG is slow: make test runs a small subset (make test-full
# every arm64 case).
if [ "$arch" = arm64 ] && [ -z "${CASES+set}" ] && [ "$scope" != full ]; then
	CASES="reboot-smp1 exec-smp4 exec-mmuoff imagegz zboot chain3 el2 vhe elf elf-el2 packed badarm64 bigdtb spintable"
fi
CASES=$(echo ${CASES:-})	# one space between names, as want() matches
want() { [ -z "${CASES:-}" ] || [[ " $CASES " == *" $1 "* ]]; }

# boot NAME SMP PLAN [STOP COUNT [QEMU-ARGS...]]: runs one QEMU session;
# $EXTRA_APPEND, if set, goes on kernel A's command line; $KERNEL and
# $INITRD, if set, replace kernel A and the test initramfs.
boot() {
	local name=$1 smp=$2 plan=$3 stop=${4:-'KBT gen=[0-9]+ done'} count=${5:-1}
	shift 5 2>/dev/null || shift $#
	want "$name" || return 0
	# shellcheck disable=SC2046
	run_qemu "$logs/$name.log" "${LIMIT:-180}" "$stop" "$count" $(machine_args) \
		-smp "$smp" -m "${MEM:-256M}" \
		-kernel "${KERNEL:-$out/$KIMAGE}" -initrd "${INITRD:-$out/initramfs.cpio.gz}" \
		-append "console=$CONSOLE panic=-1 kbt.gen=1 kbt.plan=$plan${EXTRA_APPEND:+ $EXTRA_APPEND}" "$@"
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
	expect_eq "$name: gen $prev logged no kernel warning before the handover" \
		"$(kbt_value "$log" "$prev" splats)" 0
}

# check_refusals NAME: gen 1 of session NAME tried each "file|reason" of
# bad_images: each refused (rc 1), nothing loaded, the reason shown.
check_refusals() {
	local log=$logs/$1.log entry
	expect_eq "$1: every refusal reported" \
		"$(kbt_count "$log" 'KBT gen=1 bad file=')" "${#bad_images[@]}"
	for entry in "${bad_images[@]}"; do
		expect_match "$1: ${entry%%|*} refused, nothing loaded, reason shown" \
			"$(kbt_line "$log" 1 "bad file=${entry%%|*} ")" \
			"^rc=1 loaded=0 msg=kexec: .*${entry#*|}"
	done
}

# A plan of N actions ending in done: N generations, each checked.
chain_case() { # NAME SMP PLAN [QEMU-ARGS...]
	local name=$1 smp=$2 plan=$3 gens gen
	shift 3
	gens=$(echo "$plan" | tr ',' '\n' | wc -l)
	boot "$name" "$smp" "$plan" 'KBT gen=[0-9]+ done' 1 "$@"
	for ((gen = 2; gen <= gens; gen++)); do
		check_generation "$name" "$logs/$name.log" "$gen" "$smp"
	done
	expect_eq "$name: gen $gens finished" \
		"$(kbt_count "$logs/$name.log" "KBT gen=$gens done")" 1
}

# arm64 (QEMU virt, cortex-a57, GICv2): its own cases, then the figures.
[ "$arch" = arm64 ] && . "$here/e2e-arm64.sh"

chain_case reboot-smp1 1 reboot,done
chain_case reboot-smp4 4 reboot,done
chain_case exec-smp2 2 exec,done
[ "$arch" = i386 ] || chain_case exec-smp1 1 exec,done
[ "$arch" = i386 ] || chain_case exec-smp4 4 exec,done
chain_case chain4 2 reboot,exec,reboot,done
# Gen 2 runs the vmlinux at the address it loads the next one to: those
# destinations are taken, and the pages the file was read into hold them.
want chain4 && expect_match "chain4: gen 2 kept the pages it read the vmlinux into as their holders" \
	"$(kbt_line "$logs/chain4.log" 2 "load-pages ")" "^pages=[0-9]+ inplace=[0-9]+ asread=[1-9][0-9]*$"
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
	mbt() { sed -n "s/^[0-9.]* MBT $1//p" "$log" 2>/dev/null | head -n 1; }
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
for variant in elf $([ "$arch" = x86_64 ] && echo elf64); do
	log=$logs/$variant.log
	[ "$variant" = elf ] || check_nonlinux elf64 0x4b425445
	expect_match "$variant: boot environment version 1" "$(mbt 'env ')" "^version=1 size=[0-9]+ records=5$"
	expect_match "$variant: ACPI RSDP passed" "$(mbt rsdp=)" "^0x[0-9a-f]{5,8}$"
	expect_eq "$variant: entered in the mode of its class" "$(mbt bits=)" \
		"$([ "$variant" = elf64 ] && echo 64 || echo 32)"
done

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
# no_counts MAP: MAP without what varies between two loads of one image:
# the page counts (they depend on the pages the allocator hands out) and
# the initrd's address (placed where memory can be taken in place then).
no_counts() {
	echo "$1" | sed -E -e 's/ in_place [0-9]+ copied [0-9]+//g' \
		-e 's/segment 0x[0-9a-f]+-0x[0-9a-f]+( size [0-9]+ initrd)/segment initrd\1/'
}
hex='0x[0-9a-f]{8,16}'
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

# Word sizes: kernel A boots the other x86 arch's bzImage (x86_64 through
# its 32-bit entry from i386, i386 in protected mode from x86_64) with
# that arch's own root.
other=$([ "$arch" = i386 ] && echo x86_64 || echo i386)
other_out=$out/../$other
# qemu-system-i386 has no long mode: the i386 side runs on x86_64's QEMU.
QEMU_BIN=qemu-system-x86_64 INITRD=$out/cross.cpio.gz boot cross 2 cross,done
log=$logs/cross.log
if want cross; then
	expect_match "cross: gen 1 ($arch) loaded the $other kernel" "$(kbt_line "$log" 1 "load ")" \
		"^rc=0 marker=m2-[0-9a-f]{8} loaded=1$"
	expect_match "cross: gen 2 runs on $other" "$(kbt_value "$log" 2 machine)" \
		"$([ "$other" = i386 ] && echo '^i[3-6]86$' || echo '^x86_64$')"
	expect_eq "cross: gen 2 runs the $other kernel" "$(kbt_value "$log" 2 uname)" \
		"$(cat "$other_out/kernel.release")"
	expect_match "cross: gen 2 has the marker" "$(kbt_value "$log" 2 cmdline)" \
		"kbt.marker=$(kbt_value "$log" 1 "load rc=0 marker" | cut -d' ' -f1)( |$)"
	expect_eq "cross: gen 2 found its own root intact" "$(kbt_value "$log" 2 payload)" \
		"$(sha256sum "$other_out/payload" | cut -d' ' -f1)"
	expect_eq "cross: gen 2 finished" "$(kbt_count "$log" 'KBT gen=2 done')" 1
fi

# UEFI (x86_64, Debian's OVMF): kernel A boots through its EFI stub; kernel
# B must keep the EFI runtime services: it reads the same EFI variables
# through efivarfs (GetVariable() in the firmware, mapped where A put it).
if [ "$arch" = x86_64 ]; then
	boot ovmf 2 bzimage,done 'KBT gen=[0-9]+ done' 1 -bios /usr/share/ovmf/OVMF.fd
	log=$logs/ovmf.log
	expect_match "ovmf: gen 1 reads EFI variables" "$(kbt_line "$log" 1 "efi ")" \
		"^vars=[1-9][0-9]* sum=[0-9a-f]{64}$"
	expect_eq "ovmf: gen 2 reads the same EFI variables" "$(kbt_line "$log" 2 "efi ")" \
		"$(kbt_line "$log" 1 "efi ")"
	check_generation ovmf "$log" 2 2
fi

# Installer (i386): kernel A boots kernel B, another configuration.
if [ "$arch" = i386 ]; then
	boot installer 2 installer,done
	log=$logs/installer.log
	expect_match "installer: gen 1 loaded kernel B" "$(kbt_line "$log" 1 "load ")" "^rc=0 marker=m2-[0-9a-f]{8} loaded=1$"
	expect_eq "installer: gen 1 runs kernel A" "$(kbt_value "$log" 1 uname)" "$(cat "$out/kernel.release")"
	expect_eq "installer: gen 2 runs kernel B" "$(kbt_value "$log" 2 uname)" "$(cat "$out/bzImage-installer.release")"
	expect_eq "installer: kernel B got the initrd intact" "$(kbt_value "$log" 2 payload)" "$payload_sum"
	expect_eq "installer: kernel B finished" "$(kbt_count "$log" 'KBT gen=2 done')" 1
fi

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

# Restart policy: a restart with a command (RESTART2) and a plain reboot
# with kernel.kexec_boot_on_restart=0 go through the firmware, with an
# image loaded (gen 1 twice, no gen 2).
for name in restart2 norestart; do
	boot "$name" 1 "$name,done" 'KBT gen=1 cmdline=' 2
	log=$logs/$name.log
	expect_match "$name: gen 1 loaded gen 2" "$(kbt_line "$log" 1 "load ")" \
		"^rc=0 marker=m2-[0-9a-f]{8} loaded=1$"
	expect_eq "$name: the restart went through the firmware" \
		"$(kbt_count "$log" 'KBT gen=1 cmdline=')" 2
	expect_eq "$name: no second generation" "$(kbt_count "$log" 'KBT gen=2')" 0
done
expect_eq "restart2: reboot(2) did not return" \
	"$(kbt_count "$logs/restart2.log" 'KBT gen=1 restart2 returned')" 0
expect_eq "norestart: sysctl set to 0" \
	"$(kbt_line "$logs/norestart.log" 1 "norestart ")" "rc=0 value=0"

# A CPU taken offline through sysfs before kexec -e (on a CPU with MWAIT,
# so it parks in mwait_play_dead()): the next generation has both.
chain_case offline 2 offline,done -cpu qemu32,+monitor,+clflush,level=5
expect_match "offline: gen 1 took CPU 1 offline, its CPUs have MONITOR/MWAIT" \
	"$(kbt_line "$logs/offline.log" 1 "offline ")" "^rc=0 online=0 monitor=[1-9][0-9]*$"

# Loads are serialized: one that meets another in progress gets EBUSY.
chain_case busy 2 busy,done
expect_match "busy: a concurrent load got EBUSY, no other error" \
	"$(kbt_line "$logs/busy.log" 1 "busy ")" \
	"^child=0 loads=[0-9]+ ok=[0-9]+ ebusy=[1-9][0-9]* other=0$"
echo "# busy: $(kbt_line "$logs/busy.log" 1 "busy ")"

# A load that cannot fit (its initrd, three quarters of free memory, is
# in tmpfs already) fails with ENOMEM without the OOM killer: holder pages
# are __GFP_RETRY_MAYFAIL.  A sleeping canary survives; gen 2 boots.
chain_case oom 2 oom,done
expect_match "oom: a load that cannot fit fails with ENOMEM, nothing killed" \
	"$(kbt_line "$logs/oom.log" 1 "oom ")" \
	"^avail=[0-9]+ rc=1 loaded=0 canary=yes oom_kills=0 msg=.*\(ENOMEM\).*kernel says: kexec_boot: [0-9]+ pages to hold the image do not fit in free memory"
expect_match "oom: the kernel gives that reason alone (no placement attempt in between)" \
	"$(kbt_line "$logs/oom.log" 1 "oom ")" "kernel says: kexec_boot: [0-9]+ pages to hold the image do not fit in free memory[|]?$"
echo "# oom: $(kbt_line "$logs/oom.log" 1 "oom " | cut -c1-160)"

# Refused images leave the running kernel working; the next load boots.
# Each bad file (see try_bad_images in rootfs/kbt) with the reason the
# user must be shown.
bad_images=(
	"/etc/inittab|bzImage: shorter than a setup header.*elf: no ELF magic"
	"/tmp/truncated|ELF program headers end at (148|344), past the file end 100"
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
check_refusals bad

# The one-way sysctl: once set, loads fail with EPERM and it cannot be cleared.
boot disabled 1 disabled
log=$logs/disabled.log
expect_eq "disabled: sysctl set" "$(kbt_line "$log" 1 "disable ")" "rc=0 value=1"
expect_match "disabled: load refused with the reason" "$(kbt_line "$log" 1 "disabled-load ")" \
	"^rc=1 loaded=0 msg=kexec: .*loading is disabled until reboot"
expect_match "disabled: cannot be cleared" "$(kbt_line "$log" 1 "reenable ")" "^rc=[1-9][0-9]* value=1$"

# Malformed input, class by class (tests/qemu/badload.c, straight through
# the system call): NAME|ERRNO|what the kernel's kexec_boot lines must say.
# Controls are the unmodified bases: they must load (and are unloaded).
badload_classes=(
	"control-elf|0|loaded elf: "
	"control-elf-probed|0|loaded elf: "
	"control-elf-255-segments|0|loaded elf: "
	"control-bzimage|0|loaded bzImage: "
	"control-multiboot-aout|0|loaded multiboot: "
	"control-packed|0|packed image: kernel of [0-9]+ bytes.*loaded elf: "
	"elf-truncated-header|ENOEXEC|file of 40 bytes is too short for an ELF header"
	"elf-bad-magic|ENOEXEC|not an ELF file \(bad magic\)"
	"elf-class64|ENOEXEC|ELF program header size 0, expected 56"
	"elf-big-endian|ENOEXEC|ELF data encoding 2 is not little-endian"
	"elf-machine-sparc|ENOEXEC|ELF machine 2 is not one this kernel boots"
	"elf-type-dyn|ENOEXEC|ELF type 3 is not ET_EXEC"
	"elf-phentsize-64bit|ENOEXEC|ELF program header size 56, expected 32"
	"elf-phnum-0|ENOEXEC|ELF has 0 program headers, expected 1 to 512"
	"elf-phnum-65535|ENOEXEC|ELF has 65535 program headers, expected 1 to 512"
	"elf-phdrs-past-eof|ENOEXEC|ELF program headers end at [0-9]+, past the file end [0-9]+"
	"elf-phoff-wraps|ENOEXEC|ELF program headers end at 4294967328, past the file end"
	"elf-data-past-eof|ENOEXEC|ELF segment 0: data at [0-9]+\+[0-9]+ runs past the file end"
	"elf-filesz-gt-memsz|ENOEXEC|ELF segment 1: file size [0-9]+ exceeds memory size [0-9]+"
	"elf-no-pt-load|ENOEXEC|ELF has no loadable segment"
	"elf-257-segments|E2BIG|more than 256 segments"
	"elf-overlap|EBUSY|segment at 0x[0-9a-f]+ overlaps segment 0x[0-9a-f]+\+0x[0-9a-f]+"
	"elf-640k-hole|EADDRNOTAVAIL|segment 0xa0000-0x[0-9a-f]+ is not usable RAM"
	"elf-bios-rom|EADDRNOTAVAIL|segment 0xf0000-0x[0-9a-f]+ is not usable RAM"
	"elf-ioapic|EADDRNOTAVAIL|segment 0xfec00000-0x[0-9a-f]+ is not usable RAM"
	"elf-lapic|EADDRNOTAVAIL|segment 0xfee00000-0x[0-9a-f]+ is not usable RAM"
	"elf-beyond-ram|EADDRNOTAVAIL|segment 0x80000000-0x[0-9a-f]+ is not usable RAM"
	"elf-wraps-4g|EADDRNOTAVAIL|ELF segment 0: 0xfffff000\+0x2000 wraps past 4 GiB"
	"elf-entry-outside|EADDRNOTAVAIL|entry point 0x800000 is outside every segment"
	"not-an-image|ENOEXEC|not an image this kernel can boot:.*bzImage: shorter than a setup header.*elf: no ELF magic"
	"vmlinux-truncated|ENOEXEC|ELF segment 0: data at [0-9]+\+[0-9]+ runs past the file end 1048576"
	"kernel-empty-file|EINVAL|the kernel file is empty or not a regular file"
	"kernel-directory|EINVAL|the kernel file is empty or not a regular file"
	"kernel-proc-file|EINVAL|the kernel file is empty or not a regular file"
	"kernel-pipe|EINVAL|the kernel file is empty or not a regular file"
	"kernel-socket|EINVAL|the kernel file is empty or not a regular file"
	"kernel-dev-zero|EINVAL|the kernel file is empty or not a regular file"
	"kernel-closed-fd|EBADF|cannot read the kernel file: error -9"
	"kernel-fd-minus-1|EBADF|cannot read the kernel file: error -9"
	"kernel-fd-write-only|EBADF|cannot read the kernel file: error -9"
	"kernel-file-open-for-writing|ETXTBSY|cannot read the kernel file: error -26"
	"initrd-closed-fd|EBADF|(the initrd file descriptor is not open for reading|cannot read the initrd file: error -9)"
	"initrd-directory|EINVAL|the initrd file is empty or not a regular file"
	"initrd-larger-than-ram|ENOSPC|no free RAM range below 0x[0-9a-f]+ holds [0-9]+ bytes"
	"initrd-over-2gib|EFBIG|(the initrd file has 3221225472 bytes, more than 2147483647|cannot read the initrd file: error -27)"
	"cmdline-too-long|E2BIG|command line of 4096 bytes exceeds 2048"
	"cmdline-len-ulong-max|E2BIG|command line of (4294967295|18446744073709551615) bytes exceeds 2048"
	"cmdline-unterminated|EINVAL|command line is not NUL-terminated within 7 bytes"
	"cmdline-bad-pointer|EFAULT|command line at a bad user address"
	"cmdline-kernel-pointer|EFAULT|command line at a bad user address"
	"cmdline-runs-into-unmapped|EFAULT|command line at a bad user address"
	"unknown-flag|EINVAL|unknown flags 0x80000000"
	"unknown-format|EINVAL|image format 0xee00 is not known to this kernel"
	"bzimage-protocol-2.09|ENOEXEC|bzImage: boot protocol 2.09 is too old"
	"bzimage-zimage|ENOEXEC|bzImage: a zImage \(loaded low\) cannot be booted"
	"bzimage-setup-sects|ENOEXEC|bzImage: setup_sects 255 puts the kernel at 131072, past the file end 100000"
	"bzimage-bad-magic-forced|ENOEXEC|bzImage: no \"HdrS\" signature at 0x202"
	"bzimage-short-forced|ENOEXEC|bzImage: shorter than a setup header"
	"bzimage-kernel-alignment|ENOEXEC|bzImage: kernel_alignment 0x1001 is not a power of two"
	"bzimage-cmdline-size|E2BIG|bzImage: command line of 47 bytes exceeds the kernel's cmdline_size 16"
	"multiboot-checksum|ENOEXEC|multiboot: header checksum 0x[0-9a-f]+ does not match flags"
	"multiboot-video-mode|ENOEXEC|multiboot: the kernel requires a video mode \(flag 2\)"
	"multiboot-unknown-feature|ENOEXEC|multiboot: the kernel requires features 0x8 this loader does not know"
	"multiboot-elf-outside-ram|EADDRNOTAVAIL|segment 0xf0000000-0x[0-9a-f]+ is not usable RAM"
	"multiboot-addr-outside-ram|EADDRNOTAVAIL|segment 0xf0000000-0x[0-9a-f]+ is not usable RAM"
	"multiboot-load-after-header|ENOEXEC|multiboot: load_addr 0x[0-9a-f]+ does not precede header_addr 0x[0-9a-f]+"
	"multiboot-load-end-below-load|ENOEXEC|multiboot: load_end_addr 0x[0-9a-f]+ is below load_addr 0x[0-9a-f]+"
	"multiboot-load-past-eof|ENOEXEC|multiboot: load range 0x[0-9a-f]+\+0x1000000 .* does not fit the file of [0-9]+ bytes"
	"multiboot-entry-outside|EADDRNOTAVAIL|entry point 0x10 is outside every segment"
	"multiboot-virtual-entry|0|entry 0xc[0-9a-f]{7} is virtual: entering at its physical address 0x[0-9a-f]+, as GRUB does.*loaded multiboot: "
	"multiboot-header-at-8k-end|0|loaded multiboot: "
	"packed-no-kernel-note|ENOEXEC|packed image: no kernel note"
	"packed-kernel-past-eof|ENOEXEC|packed image: kernel at 4096\+[0-9]+ is empty or past the file end"
	"packed-kernel-size-huge|ENOEXEC|packed image: kernel at 4096\+18446744073709551515 is empty or past the file end"
	"packed-kernel-note-size|ENOEXEC|packed image: kernel note of 12 bytes, expected 16"
	"packed-kernel-unaligned|ENOEXEC|packed image: kernel at offset 4100 is not 8-byte aligned"
	"packed-cmdline-unterminated|ENOEXEC|packed image: command line note is not NUL-terminated"
	"packed-nested|ENOEXEC|packed image: the kernel inside is itself a packed image"
	"packed-truncated|ENOEXEC|packed image: kernel at 4096\+[0-9]+ is empty or past the file end 5000"
)
# Some of those files again through kexec: NAME|ERRNO|the kernel's reason.
badload_tool=(
	"elf-entry-outside|EADDRNOTAVAIL|entry point 0x800000 is outside every segment"
	"elf-overlap|EBUSY|overlaps segment"
	"elf-lapic|EADDRNOTAVAIL|segment 0xfee00000-0x[0-9a-f]+ is not usable RAM"
	"elf-wraps-4g|EADDRNOTAVAIL|wraps past 4 GiB"
	"elf-257-segments|E2BIG|more than 256 segments"
	"elf-phentsize-64bit|ENOEXEC|ELF program header size 56"
	"multiboot-entry-outside|EADDRNOTAVAIL|entry point 0x10 is outside every segment"
	"packed-kernel-unaligned|ENOEXEC|not 8-byte aligned"
	"initrd-larger-than-ram|ENOSPC|no free RAM range below 0x[0-9a-f]+ holds [0-9]+ bytes"
)
chain_case badload 2 badload,done
log=$logs/badload.log
expect_eq "badload: every class reported" \
	"$(kbt_count "$log" 'KBT gen=1 badload class=')" "${#badload_classes[@]}"
for entry in "${badload_classes[@]}"; do
	IFS='|' read -r class errno regex <<<"$entry"
	line=$(kbt_line "$log" 1 "badload class=$class ")
	loaded=0
	[ "$errno" = 0 ] && loaded=1
	expect_match "badload: $class: $errno, loaded=$loaded, the kernel log says why" \
		"$line" "^errno=$errno/$errno loaded=$loaded kmsg=.*kexec_boot: .*$regex"
done
expect_eq "badload: a refused load keeps the loaded image" \
	"$(kbt_line "$log" 1 "badload keep ")" "load=0 refused=EADDRNOTAVAIL loaded=1"
expect_eq "badload: the guest's own count agrees, nothing loaded at the end" \
	"$(kbt_line "$log" 1 "badload classes=")" \
	"${#badload_classes[@]} as-expected=${#badload_classes[@]} loaded=0"
for entry in "${badload_tool[@]}"; do
	IFS='|' read -r class errno regex <<<"$entry"
	expect_match "badload: kexec on $class: the reason in words and the kernel's" \
		"$(kbt_line "$log" 1 "badtool file=$class ")" \
		"^rc=1 loaded=0 msg=kexec: .*: the kernel refused it: [a-z].* \($errno\)\|.*kernel says: kexec_boot: .*$regex"
done
echo "# badload: ${#badload_classes[@]} classes ($(printf '%s\n' "${badload_classes[@]}" | grep -vc '|0|') refusals, $(printf '%s\n' "${badload_classes[@]}" | grep -c '|0|') that load)"

# Concurrency (stress session): gen 1 races loads, unloads and readers,
# then loads gen 2 (checked as any generation); gen 2 reboots while two
# loaders run, and gen 3 must be one of their images, whole; gen 3 loads
# and unloads 1000 times and gets its memory back.
boot stress 2 race,rebootrace,leak
log=$logs/stress.log
race=$(kbt_line "$log" 1 "race ")
expect_match "stress: race: every worker ran, no unexpected errno" "$race" \
	"^seconds=5 vmlinux-a=[1-9][0-9]*/0 vmlinux-b=[1-9][0-9]*/0 elf=[1-9][0-9]*/0 refused=[1-9][0-9]*/0 unload=[1-9][0-9]*/0 reader=[1-9][0-9]*/0 errors=0 "
expect_match "stress: race: kexec_loaded settles (0 or 1, then 1 after a load, 0 after unload)" \
	"$race" " loaded_after=[01] load=0 loaded=1 unload=0 loaded=0$"
echo "# stress: race: $race"
check_generation stress "$log" 2 2
nonce=$(kbt_value "$log" 2 "reboot-race nonce" | cut -d' ' -f1)
expect_match "stress: rebootrace: loaders running, one load done before reboot" \
	"$(kbt_line "$log" 2 "reboot-race ")" "^nonce=[0-9a-f]{6} loaded=1$"
expect_match "stress: rebootrace: gen 3 is one of the loaders' images" \
	"$(kbt_value "$log" 3 cmdline)" "kbt.gen=3 kbt.marker=m3-${nonce:-none}-[01]-[0-9]+$"
expect_eq "stress: rebootrace: gen 3 initrd payload intact" "$(kbt_value "$log" 3 payload)" "$payload_sum"
expect_eq "stress: rebootrace: gen 3 all 2 CPUs online" "$(kbt_value "$log" 3 online)" "0-1"
expect_eq "stress: rebootrace: gen 3 starts with nothing loaded" "$(kbt_value "$log" 3 loaded)" 0
# No leak: MemFree (caches dropped) after 1000 loads and unloads within
# LEAK_KIB of before.  A load of the ELF test kernel takes 6 pages or more
# (segments, boot environment, copy list, stub): leaking any one of them
# each time loses 1000 pages (3.9 MiB).  The control keeps 1 MiB in tmpfs
# between two measurements and must lose at least 1024 - LEAK_KIB KiB.
LEAK_KIB=256
check_leak() { # NAME GEN FILE
	local line lost grown
	line=$(kbt_line "$logs/$1.log" "$2" "leak file=$3 ")
	echo "# $1: leak: $line"
	expect_match "$1: leak $3: 1000 loads and unloads, all succeeded" "$line" " iterations=1000 errors=0 "
	lost=$(echo "$line" | sed -n 's/.* memfree_lost=\(-\{0,1\}[0-9]*\) .*/\1/p')
	grown=$(echo "$line" | sed -n 's/.* sunreclaim_grown=\(-\{0,1\}[0-9]*\)$/\1/p')
	[ -n "$lost" ] && [ "$lost" -le "$LEAK_KIB" ]
	check "$1: leak $3: MemFree back within $LEAK_KIB KiB" $? "lost ${lost:-?} KiB"
	[ -n "$grown" ] && [ "$grown" -le "$LEAK_KIB" ]
	check "$1: leak $3: unreclaimable slab within $LEAK_KIB KiB" $? "grew ${grown:-?} KiB"
}
check_leak stress 3 /boot/elftest.elf
lost=$(kbt_value "$log" 3 "leak-control kept_kib=1024 memfree_lost")
echo "# stress: leak control: 1024 KiB kept, MemFree lost ${lost:-?} KiB"
[ -n "$lost" ] && [ "$lost" -ge $((1024 - LEAK_KIB)) ]
check "stress: leak: the measurement sees 1 MiB kept in tmpfs" $? "lost ${lost:-?} KiB"
expect_eq "stress: gen 3 finished" "$(kbt_count "$log" 'KBT gen=3 done')" 1

# Lockdown: once locked down (integrity), loads fail with EPERM, the
# image loaded before is not booted (kexec -e: EPERM) but can be unloaded.
boot lockdown 2 lockdown
log=$logs/lockdown.log
expect_eq "lockdown: an image loaded before lockdown" \
	"$(kbt_line "$log" 1 "lockdown-preload ")" "rc=0 loaded=1"
expect_match "lockdown: kernel locked down through securityfs" \
	"$(kbt_line "$log" 1 "lockdown ")" "^rc=0 state=none \[integrity\] confidentiality$"
expect_match "lockdown: kexec refused with EPERM and words, the image loaded before stays" \
	"$(kbt_line "$log" 1 "lockdown-load ")" "^rc=1 loaded=1 msg=kexec: .*the kernel refused it: .*locked down.* \(EPERM\)"
expect_match "lockdown: the system call gives EPERM, the kernel log names lockdown" \
	"$(kbt_line "$log" 1 "badload class=lockdown ")" "^errno=EPERM/EPERM loaded=1 kmsg=.*Lockdown: badload: kexec of unsigned images is restricted"
expect_match "lockdown: kexec_boot's own line says the kernel is locked down" \
	"$(kbt_line "$log" 1 "badload class=lockdown ")" "kmsg=.*kexec_boot: the kernel is locked down"
expect_match "lockdown: kexec -e refused, the loaded image is not booted" \
	"$(kbt_line "$log" 1 "lockdown-exec ")" \
	"^rc=1 loaded=1 msg=kexec: cannot boot the loaded image: .*kmsg=.*kexec_boot: .*locked down"
expect_eq "lockdown: kexec -u still unloads" \
	"$(kbt_line "$log" 1 "lockdown-unload ")" "rc=0 loaded=0"

# check_big NAME GEN [MIB]: generation GEN got the MIB MiB (256) initrd of
# load_big (rootfs/kbt) whole: /big's size and its sampled chunks as sent.
check_big() {
	local log=$logs/$1.log prev=$(($2 - 1)) mib=${3:-256} sent bytes freed
	sent=$(kbt_line "$log" "$prev" "big initrd=")
	bytes=${sent%% *}
	expect_match "$1: gen $prev made a $mib MiB initrd" "$sent" "^[0-9]+ size=[0-9]+ sum=[0-9a-f]{64}$"
	expect_eq "$1: gen $prev's initrd is within 64 KiB under $mib MiB" \
		"$(( ${bytes:-0} <= mib * 1048576 && ${bytes:-0} > mib * 1048576 - 65536 ))" 1
	expect_eq "$1: gen $2 got /big whole (size, sampled chunks)" \
		"$(kbt_line "$log" "$2" "big " | sed 's/ initrd=.*//')" "${sent#* }"
	freed=$(kbt_line "$log" "$2" "big " | sed -n 's/.* initrd=\([0-9]*\)K$/\1/p')
	expect_eq "$1: gen $2 freed its $mib MiB initrd" \
		"$(( ${freed:-0} / 1024 == mib - 1 || ${freed:-0} / 1024 == mib ))" 1
	echo "# $1: gen $prev $(kbt_line "$log" "$prev" "big-load ")"
	echo "# $1: gen $prev $(kbt_line "$log" "$prev" "big-segments ")"
}

# check_variant NAME VARIANT: every generation runs the variant kernel,
# with highmem, and sees the same memory.
check_variant() {
	local log=$logs/$1.log gen mem1 mem
	mem1=$(kbt_value "$log" 1 memtotal | cut -d' ' -f1)
	expect_match "$1: gen 1 has highmem" "$(kbt_value "$log" 1 memtotal)" " high=[1-9][0-9]* kB$"
	for gen in 1 2 3; do
		expect_eq "$1: gen $gen runs the $2 kernel" "$(kbt_value "$log" $gen uname)" \
			"$(cat "$out/bzImage-$2.release")"
		mem=$(kbt_value "$log" $gen memtotal | cut -d' ' -f1)
		[ -n "$mem" ] && [ -n "$mem1" ] && [ $(((mem - mem1) * 100 / mem1)) = 0 ]
		check "$1: gen $gen MemTotal within 1% of gen 1's" $? "gen 1 ${mem1:-?} kB, gen $gen ${mem:-?} kB"
	done
}

if [ "$scope" = full ]; then
	# Every memory size with every CPU count, each a reboot then a kexec -e;
	# on x86_64 above 3 GiB the RAM past the PCI hole lies above 4 GiB.
	mems="128M 256M 1G"
	[ "$arch" = x86_64 ] && mems="512M 2G 8G"
	for mem in $mems; do
		for smp in 1 2 4 8; do
			MEM=$mem chain_case "matrix-$mem-smp$smp" "$smp" reboot,exec,done
		done
	done
fi
if [ "$scope" = full ] && [ "$arch" = i386 ]; then
	# 64 MiB: the slim initramfs (busybox, kexec, vmlinux, payload: 8.5 MiB
	# unpacked); the 13.5 MiB test initramfs, its copy and the load do
	# not fit.
	for smp in 1 2 4 8; do
		MEM=64M INITRD=$out/slim.cpio.gz chain_case "matrix-64M-smp$smp" "$smp" reboot,exec,done
	done
	# A 256 MiB initrd on 1 GiB, and the HIGHMEM (3 GiB guest) and PAE
	# (6 GiB guest) kernels kexec into themselves, then with a 256 MiB initrd.
	# qemu32 has no PSE36, so QEMU gives it 32 physical address bits and
	# RAM above 4 GiB faults (reserved bits in the PTE): pse36=on gives 36.
	LIMIT=400 EXTRA_APPEND=kbt.bigmib=256 MEM=1G chain_case big-1G 2 big,done
	check_big big-1G 2
	# A 160 MiB initrd packed with vmlinux into one file: more than vmalloc
	# space holds, so the kernel reads it in pieces.
	LIMIT=400 EXTRA_APPEND=kbt.bigmib=160 MEM=1G chain_case bigpacked-1G 2 bigpacked,done
	check_big bigpacked-1G 2 160
	expect_match "bigpacked-1G: gen 1 read the packed file in pieces" \
		"$(kbt_line "$logs/bigpacked-1G.log" 1 "big-read ")" "^pieces=1[6-9][0-9]{7}$"
	for variant in highmem:3G pae:6G; do
		LIMIT=400 EXTRA_APPEND=kbt.bigmib=256 MEM=${variant#*:} \
			KERNEL=$out/bzImage-${variant%:*} INITRD=$out/${variant%:*}.cpio.gz \
			chain_case "${variant%:*}-${variant#*:}" 2 reboot,big,done \
			-cpu qemu32,pse36=on
		check_variant "${variant%:*}-${variant#*:}" "${variant%:*}"
		check_big "${variant%:*}-${variant#*:}" 3
	done
fi
if [ "$scope" = full ]; then
	# Mainline's kexec and crash kernel built next to ours
	# (kexec_boot_coexist.config): ours boots gen 2 through reboot; there
	# Debian's kexec-tools loads gen 3 as the crash kernel (kexec -p; with
	# -s, mainline's kexec_file_load, on x86_64) and sysrq-c boots it, with
	# the old kernel's memory in /proc/vmcore.
	LIMIT=400 MEM=512M KERNEL=$out/bzImage-coexist INITRD=$out/coexist.cpio.gz \
		EXTRA_APPEND=crashkernel=128M boot coexist 2 reboot,crash,done
	if want coexist; then
		log=$logs/coexist.log
		expect_match "coexist: gen 1 runs mainline's kexec too, nothing loaded" \
			"$(kbt_line "$log" 1 "kexec_core ")" "^crash_loaded=0$"
		check_generation coexist "$log" 2 2
		expect_eq "coexist: gen 2 runs the coexist kernel" "$(kbt_value "$log" 2 uname)" \
			"$(cat "$out/bzImage-coexist.release")"
		expect_match "coexist: gen 2 loaded a crash kernel with Debian's kexec -p" \
			"$(kbt_line "$log" 2 "crash-load ")" "^rc=0 marker=m3-[0-9a-f]{8} crash_loaded=1 loaded=0$"
		marker=$(kbt_value "$log" 2 "crash-load rc=0 marker" | cut -d' ' -f1)
		expect_match "coexist: sysrq-c booted the crash kernel" \
			"$(kbt_value "$log" 3 cmdline)" "kbt.marker=${marker:-none} "
		expect_match "coexist: the crash kernel was given the old kernel's core header" \
			"$(kbt_value "$log" 3 cmdline)" "(^| )elfcorehdr="
		expect_match "coexist: the crash kernel has the old memory in /proc/vmcore" \
			"$(kbt_line "$log" 3 "vmcore ")" "^size=[1-9][0-9]*$"
		expect_eq "coexist: gen 3 finished" "$(kbt_count "$log" "KBT gen=3 done")" 1
	fi
fi
if [ "$scope" = full ]; then
	# Every generation runs the debug kernel (kexec_boot_debug.config:
	# lockdep, DEBUG_PAGEALLOC, SLUB_DEBUG_ON, KFENCE, DEBUG_LIST/VM; KASAN
	# on x86_64, PAE with PTI on i386): refusals, races, the OOM refusal and
	# both handovers.  No generation may log a kernel warning.  1 GiB: KASAN
	# leaves 148 MiB of 256 for a generation and its 38 MiB initrd twice.
	# On i386 a CPU with NX: a PAE kernel on one without warns at boot
	# (ACPI's early ioremap asks for NX: check_pgprot() in pfn_pte()).
	debug_cpu=()
	[ "$arch" = i386 ] && debug_cpu=(-cpu qemu32,+nx)
	for dbg in badload:badload,exec,done race:race,oom,done; do
		name=debug-${dbg%%:*} plan=${dbg#*:}
		LIMIT=900 MEM=1G KERNEL=$out/bzImage-debug INITRD=$out/debug.cpio.gz \
			boot "$name" 2 "$plan" 'KBT gen=[0-9]+ done' 1 "${debug_cpu[@]}"
		want "$name" || continue
		log=$logs/$name.log
		for gen in 1 2 3; do
			expect_eq "$name: gen $gen runs the debug kernel" "$(kbt_value "$log" $gen uname)" \
				"$(cat "$out/bzImage-debug.release")"
			expect_eq "$name: gen $gen logged no kernel warning" "$(kbt_value "$log" $gen splats)" 0
		done
		expect_eq "$name: gen 3 finished" "$(kbt_count "$log" "KBT gen=3 done")" 1
	done
	expect_match "debug-race: the OOM refusal under the debug kernel" \
		"$(kbt_line "$logs/debug-race.log" 2 "oom ")" \
		"^avail=[0-9]+ rc=1 loaded=0 canary=yes oom_kills=0 msg=.*\(ENOMEM\)"
fi
if [ "$scope" = full ] && [ "$arch" = x86_64 ]; then
	# A 1 GiB initrd on 6 GiB (3 GiB of it above 4 GiB): an x86_64 vmlinux
	# takes it above 4 GiB, where free memory is claimed in place, and the
	# new kernel finds it there.
	LIMIT=600 EXTRA_APPEND=kbt.bigmib=1024 MEM=6G chain_case big-6G 2 big,done
	check_big big-6G 2 1024
	expect_match "big-6G: the initrd lies above 4 GiB" \
		"$(kbt_line "$logs/big-6G.log" 1 "big-segments ")" "segment 0x[1-9][0-9a-f]{8}-0x[0-9a-f]+ size [0-9]+ initrd "
	# 5-level paging: -cpu max has LA57, the kernel X86_5LEVEL; the stub
	# keeps CR4.LA57 and the new kernel comes up in 5-level mode again.
	chain_case la57 2 reboot,exec,done -cpu max
fi
if [ "$scope" = full ]; then
	# 1000 loads and unloads of the vmlinux with a 1 MiB initrd too.
	LIMIT=900 EXTRA_APPEND=kbt.leakfull=1 boot leak-full 2 leak
	check_leak leak-full 1 /boot/elftest.elf
	check_leak leak-full 1 /boot/vmlinux
	# 21 generations in one QEMU run, alternating reboot and kexec -e.
	LIMIT=600 chain_case chain21 2 "$(printf 'reboot,exec,%.0s' {1..10})done"
fi

# Handover time: kexec -e in gen 1 to gen 2 running /init (host clock).
exec_log=$logs/exec-smp2.log
[ "$arch" = i386 ] || exec_log=$logs/exec-smp1.log
t0=$(kbt_time "$exec_log" 'KBT gen=1 exec$')
t1=$(grep -E '^[0-9.]* .*Run /init as init process' "$exec_log" 2>/dev/null | sed -n 2p | cut -d' ' -f1)
if [ -n "$t0" ] && [ -n "$t1" ]; then
	echo "# kexec -e to new init: $(echo "$t1 - $t0" | bc) s (host wall clock, TCG)"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
