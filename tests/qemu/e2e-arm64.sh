# tests/qemu/e2e-arm64.sh - the arm64 cases of e2e.sh, sourced by it after
# its helpers (boot, chain_case, check_generation): QEMU virt, cortex-a57
# (max for VHE), GICv2, TCG.  Kernel A is build/arm64/Image; each
# generation loads the next from /boot/Image (or Image.gz); our ELF test
# program is /boot/elftest.elf (tests/arm64).  Ends e2e.sh with "N passed, N failed".

# check_el NAME GEN EL: the exception level generation GEN was entered at.
check_el() {
	expect_eq "$1: gen $2 entered at $3" "$(kbt_value "$logs/$1.log" "$2" el)" "$3"
}

# reboot and kexec -e with 1 and 4 CPUs: the secondaries leave through
# CPU hotplug (PSCI CPU_OFF) and every one is online again in gen 2.
chain_case reboot-smp1 1 reboot,done
chain_case reboot-smp4 4 reboot,done
chain_case exec-smp1 1 exec,done
chain_case exec-smp4 4 exec,done
check_el exec-smp4 2 EL1
# The slow path: the stub copies with the MMU and caches off (the fast one
# copies over an identity map with them on).
EXTRA_APPEND=kexec_boot_copy_mmu_off=1 chain_case exec-mmuoff 2 exec,exec,done
# Image.gz, inflated by the kernel (mainline's kexec_file_load refuses it).
chain_case imagegz 2 imagegz,done
# The same Image.gz in an EFI zboot header (tests/arm64/mkzboot.py).
chain_case zboot 2 zboot,done
# Three generations: reboot, then kexec -e.
chain_case chain3 2 reboot,exec,done
# Booted at EL2 (virtualization=on; cortex-a57 has no VHE, so the kernel
# runs at EL1 over the hyp stub): the next kernel is entered at EL2 too.
MACHINE=virt,virtualization=on chain_case el2 2 exec,done
check_el el2 1 EL2
check_el el2 2 EL2
expect_eq "el2: gen 2 runs at EL1 over the hyp stub (nVHE)" "$(kbt_value "$logs/el2.log" 2 vhe)" no
# VHE: QEMU's max CPU has FEAT_VHE, so with virtualization=on every
# generation runs at EL2 itself (HCR_EL2.E2H set, no hyp stub to switch
# through): the stub turns the MMU off in SCTLR_EL2 (the SCTLR_EL1
# encoding reaches it under E2H) and branches to the next kernel at EL2.
# check_vhe NAME GENS: generations 1 to GENS ran at EL2 with VHE.
check_vhe() {
	local gen
	for ((gen = 1; gen <= $2; gen++)); do
		check_el "$1" $gen EL2
		expect_eq "$1: gen $gen runs at EL2 with VHE" "$(kbt_value "$logs/$1.log" $gen vhe)" yes
	done
}
CPU=max MACHINE=virt,virtualization=on chain_case vhe 2 reboot,exec,done
check_vhe vhe 3

# Our ELF test program reports what it was handed, then powers off.
fnv1a() { python3 -c 'import sys
h = 0x811c9dc5
for b in open(sys.argv[1], "rb").read():
    h = ((h ^ b) * 0x01000193) & 0xffffffff
print("%08x" % h)' "$1"; }
module=$here/rootfs/inittab
module_sum=$(fnv1a "$module")
module_size=$(stat -c %s "$module")
# check_elf NAME EL: the program got the boot environment, entered at EL.
check_elf() {
	local name=$1 log=$logs/$1.log marker
	marker=$(kbt_value "$log" 1 "load rc=0 marker" | cut -d' ' -f1)
	mbt() { sed -n "s/^[0-9.]* MBT $1//p" "$log" 2>/dev/null | head -n 1; }
	expect_match "$name: loaded" "$(kbt_line "$log" 1 "load ")" "^rc=0 marker=mb-[0-9a-f]{8} loaded=1$"
	expect_eq "$name: magic in x1" "$(mbt magic=)" "0x4b425445 ok"
	expect_match "$name: boot environment version 1" "$(mbt 'env ')" "^version=1 size=[0-9]+ records=4$"
	expect_eq "$name: command line" "$(mbt cmdline=)" "mbt.marker=${marker:-none}"
	expect_eq "$name: loader name" "$(mbt loader=)" "kexec_boot"
	expect_match "$name: the initrd, intact, page-aligned" "$(mbt mod0)" \
		" size=$module_size sum=$module_sum cmdline= aligned=yes$"
	expect_match "$name: memory map covers the program" "$(mbt 'mmap ')" "covers_self=yes$"
	expect_match "$name: device tree in x2, at most 2 MiB, 8-byte aligned" "$(mbt 'fdt at')" \
		"^=0x[0-9a-f]+ size=[0-9]+ aligned=yes valid=yes$"
	expect_eq "$name: its /chosen has the command line and the initrd" "$(mbt 'fdt bootargs')" "=yes initrd=yes"
	expect_eq "$name: MMU off, D A I F masked, at $2" "$(mbt el=)" "$2 mmu=off daif=0xf"
	expect_eq "$name: all of its checks passed" "$(mbt 'done ')" "passed=10 failed=0"
}
boot elf 2 elf 'MBT done' 1
check_elf elf 1
MACHINE=virt,virtualization=on boot elf-el2 2 elf 'MBT done' 1
check_elf elf-el2 2

# One packed file (Image, initrd, command line), loaded with --append only.
chain_case packed 2 packed,done
expect_match "packed: packed in the guest" "$(kbt_line "$logs/packed.log" 1 "pack ")" "^rc=0 size=[0-9]+$"
expect_match "packed: --append added to the packed command line" \
	"$(kbt_value "$logs/packed.log" 2 cmdline)" " kbt.marker=m2-[0-9a-f]{8} kbt.appended=yes$"

# Refused images leave the running kernel working; the next load boots.
bad_images=(
	"/tmp/bad-magic|no \"ARM\\\\x64\" magic at 0x38, not gzip, not EFI zboot"
	"/tmp/big-endian|a big-endian kernel \(flags bit 0\)"
	"/tmp/page-16k|the kernel runs with 16 KiB pages, which this CPU does not support"
	"/tmp/image-size-0|image_size 0: a kernel older than 3.17"
	"/tmp/corrupt.gz|gzip: (corrupt deflate data|inflated size [0-9]+ is not that of a kernel)"
	"/tmp/elf-outside-ram|segment 0x10000000-0x[0-9a-f]+ is not usable RAM"
)
chain_case badarm64 2 badarm64,done
check_refusals badarm64

# boot_shim NAME PLAN DTBSHIM-OPTION...: QEMU's generic loader puts the
# kernel, the initrd, a tree edited by tests/arm64/dtbshim.py from the one
# QEMU made (-machine dumpdtb, /chosen included) and dtbshim.py's boot
# code in RAM instead of -kernel, -initrd and -dtb, and starts the boot
# code; 2 CPUs, 256 MiB.
boot_shim() {
	local name=$1 plan=$2 initrd
	shift 2
	want "$name" || return 0
	# shellcheck disable=SC2046
	"$QEMU_BIN" $(MACHINE=virt,dumpdtb=$logs/$name-qemu.dtb machine_args) \
		-smp 2 -m 256M -display none -kernel "$out/Image" -initrd "$out/initramfs.cpio.gz" \
		-append "console=$CONSOLE panic=-1 kbt.gen=1 kbt.plan=$plan" 2>/dev/null
	initrd=$(python3 "$here/../arm64/dtbshim.py" "$@" "$logs/$name-qemu.dtb" \
		"$logs/$name.dtb" "$logs/$name-shim.bin" 0x4c000000 0x40200000)
	# shellcheck disable=SC2046
	run_qemu "$logs/$name.log" 180 "KBT gen=1 done" 1 $(machine_args) -smp 2 -m 256M \
		-device loader,file="$out/Image",addr=0x40200000,force-raw=on \
		-device loader,file="$out/initramfs.cpio.gz",addr="$initrd",force-raw=on \
		-device loader,file="$logs/$name.dtb",addr=0x4c000000,force-raw=on \
		-device loader,file="$logs/$name-shim.bin",addr=0x4f000000,cpu-num=0,force-raw=on
}

# A device tree that would not fit (more than 2 MiB with the new /chosen)
# is refused before anything is allocated.  QEMU 7.2's -dtb cannot pass
# kernel A a tree that large (see tests/arm64/dtbshim.py): the tree of
# boot_shim is the one QEMU made padded to 2095000 bytes.
bigdtb_size=2095000
boot_shim bigdtb bigdtb --size $bigdtb_size
log=$logs/bigdtb.log
expect_eq "bigdtb: kernel A booted with the whole tree" "$(kbt_value "$log" 1 "fdt size")" $bigdtb_size
expect_match "bigdtb: the load is refused with E2BIG and the reason, nothing loaded" \
	"$(kbt_line "$log" 1 "bigdtb-load ")" \
	"^rc=1 loaded=0 msg=kexec: .*\(E2BIG\).*kernel says: kexec_boot: the device tree would take [0-9]+ bytes \([0-9]+ booted with, the command line and 4096 for /chosen\), more than the 2097152 a kernel maps"
expect_eq "bigdtb: kernel A finished" "$(kbt_count "$log" "KBT gen=1 done")" 1

# A CPU that cannot go offline makes the load fail with EBUSY: CPU 1's
# enable method is spin-table (no cpu_die), its release address in the
# boot code's page, kept by a /memreserve/ entry.  QEMU starts it powered
# off, so it never comes online (after 5 s), but it is still possible.
boot_shim spintable spintable --spin-table 1:0x4f000040
log=$logs/spintable.log
expect_eq "spintable: gen 1 has CPU 1 possible, spin-table, never online" \
	"$(kbt_line "$log" 1 "cpus ")" "possible=0-1 online=0 cpu1=spin-table failed=1"
spin_reason='kexec_boot: CPU 1 cannot be taken offline: its enable method \(spin-table\) has no cpu_die'
expect_match "spintable: the load is refused with EBUSY and the reason, nothing loaded" \
	"$(kbt_line "$log" 1 "spintable-load ")" \
	"^rc=1 loaded=0 msg=kexec: .*\(EBUSY\).*kernel says: $spin_reason"
expect_match "spintable: the kernel logged the reason" \
	"$(kbt_line "$log" 1 "spintable-kmsg ")" "$spin_reason; the handover needs every other CPU offline$"
expect_eq "spintable: the same refusal again (nothing held), kexec -S finds nothing loaded" \
	"$(kbt_line "$log" 1 "spintable-again " | sed 's/ msg=.*//') $(kbt_line "$log" 1 "status ")" \
	"rc=1 loaded=0 rc=0 out=no image is loaded"
expect_eq "spintable: gen 1 logged no kernel warning and finished" \
	"$(kbt_value "$log" 1 splats) $(kbt_count "$log" "KBT gen=1 done")" "0 1"

if [ "$scope" = full ]; then
	# Every memory size with every CPU count, each a reboot then a
	# kexec -e; with 4 GiB the RAM reaches past 4 GiB (0x40000000 up).
	for mem in 256M 1G 4G; do
		for smp in 1 2 4 8; do
			MEM=$mem chain_case "matrix-$mem-smp$smp" "$smp" reboot,exec,done
		done
	done
	# VHE with the copy done with the MMU off (kexec_boot_mmu_off through
	# the kernel's idmap, SCTLR_EL2 under E2H).
	EXTRA_APPEND=kexec_boot_copy_mmu_off=1 CPU=max MACHINE=virt,virtualization=on \
		chain_case vhe-mmuoff 2 exec,done
	check_vhe vhe-mmuoff 2
	# A kernel build's own EFI zboot image (vmlinuz.efi: the EFI stub,
	# CONFIG_EFI_ZBOOT, gzip), loaded by kernel A: gen 2 is that kernel.
	INITRD=$out/zboot.cpio.gz chain_case zboot-efi 2 vmlinuz,done
	if want zboot-efi; then
		expect_eq "zboot-efi: vmlinuz.efi is a PE image with the zboot header" \
			"$(python3 -c 'import struct, sys
b = open(sys.argv[1], "rb").read()
pe = struct.unpack_from("<I", b, 0x3c)[0]
print(b[:2] == b"MZ" and b[4:8] == b"zimg" and b[pe:pe + 4] == b"PE\0\0" and b[0x18:0x1c] == b"gzip")' \
			"$out/vmlinuz.efi-zboot")" True
		expect_eq "zboot-efi: gen 1 runs kernel A" \
			"$(kbt_value "$logs/zboot-efi.log" 1 uname)" "$(cat "$out/kernel.release")"
		expect_eq "zboot-efi: gen 2 runs the kernel of vmlinuz.efi" \
			"$(kbt_value "$logs/zboot-efi.log" 2 uname)" "$(cat "$out/Image-zboot.release")"
	fi
	# 64 and 16 KiB pages: such a kernel boots itself (the stub copies
	# with the MMU off: its identity map is built for 4 KiB pages only);
	# 16 KiB on QEMU's max CPU (cortex-a57 has no 16 KiB granule).
	for pages in 64k 16k; do
		cpu=cortex-a57
		[ $pages = 16k ] && cpu=max
		CPU=$cpu KERNEL=$out/Image-$pages INITRD=$out/$pages.cpio.gz \
			chain_case pages-$pages 2 reboot,exec,done
		for gen in 1 2 3; do
			want pages-$pages || break
			expect_eq "pages-$pages: gen $gen runs the ${pages%k} KiB page kernel" \
				"$(kbt_value "$logs/pages-$pages.log" $gen uname)" "$(cat "$out/Image-$pages.release")"
		done
	done
	# GICv3 with its ITS off (LPI tables cannot be reprogrammed across a
	# kexec without EFI).
	MACHINE=virt,gic-version=3,its=off chain_case gicv3 4 reboot,exec,done
	# A 512 MiB initrd on 2 GiB (this root plus a /big file with 32 random
	# chunks), whole in the next generation.
	LIMIT=900 EXTRA_APPEND=kbt.bigmib=512 MEM=2G chain_case big-2G 2 big,done
	log=$logs/big-2G.log
	sent=$(kbt_line "$log" 1 "big initrd=")
	expect_match "big-2G: gen 1 made a 512 MiB initrd" "$sent" "^53[0-9]{7} size=[0-9]+ sum=[0-9a-f]{64}$"
	expect_eq "big-2G: gen 2 got /big whole (size, sampled chunks)" \
		"$(kbt_line "$log" 2 "big " | sed 's/ initrd=.*//')" "${sent#* }"
	echo "# big-2G: gen 1 $(kbt_line "$log" 1 "big-load ")"
	# 20 generations in one QEMU run, alternating reboot and kexec -e.
	LIMIT=1500 chain_case chain20 2 "$(printf 'reboot,exec,%.0s' {1..9})reboot,done"
	# Concurrent loads: the second gets EBUSY.
	chain_case busy 2 busy,done
	expect_match "busy: a concurrent load got EBUSY, no other error" \
		"$(kbt_line "$logs/busy.log" 1 "busy ")" \
		"^child=0 loads=[0-9]+ ok=[0-9]+ ebusy=[1-9][0-9]* other=0$"
	# Stress: loads, unloads and readers race; a reboot while two loaders
	# run boots one of their images whole; 1000 loads and unloads give
	# the memory back.
	LIMIT=900 boot stress 2 race,rebootrace,leak
	log=$logs/stress.log
	race=$(kbt_line "$log" 1 "race ")
	expect_match "stress: race: every worker ran, no unexpected errno" "$race" \
		"^seconds=5 vmlinux-a=[1-9][0-9]*/0 vmlinux-b=[1-9][0-9]*/0 elf=[1-9][0-9]*/0 refused=[1-9][0-9]*/0 unload=[1-9][0-9]*/0 reader=[1-9][0-9]*/0 errors=0 "
	echo "# stress: race: $race"
	check_generation stress "$log" 2 2
	nonce=$(kbt_value "$log" 2 "reboot-race nonce" | cut -d' ' -f1)
	expect_match "stress: rebootrace: gen 3 is one of the loaders' images" \
		"$(kbt_value "$log" 3 cmdline)" "kbt.gen=3 kbt.marker=m3-${nonce:-none}-[01]-[0-9]+$"
	expect_eq "stress: rebootrace: gen 3 initrd payload intact" "$(kbt_value "$log" 3 payload)" "$payload_sum"
	line=$(kbt_line "$log" 3 "leak file=/boot/elftest.elf ")
	echo "# stress: leak: $line"
	expect_match "stress: leak: 1000 loads and unloads, all succeeded" "$line" " iterations=1000 errors=0 "
	lost=$(echo "$line" | sed -n 's/.* memfree_lost=\(-\{0,1\}[0-9]*\) .*/\1/p')
	[ -n "$lost" ] && [ "$lost" -le 256 ]
	check "stress: leak: MemFree back within 256 KiB" $? "lost ${lost:-?} KiB"
	# Lockdown: loads refused, the image loaded before is not booted.
	boot lockdown 2 lockdown
	log=$logs/lockdown.log
	expect_match "lockdown: kexec refused with EPERM and words" \
		"$(kbt_line "$log" 1 "lockdown-load ")" "^rc=1 loaded=1 msg=kexec: .*the kernel refused it: .*locked down.* \(EPERM\)"
	expect_match "lockdown: kexec -e refused, the loaded image is not booted" \
		"$(kbt_line "$log" 1 "lockdown-exec ")" "^rc=1 loaded=1 msg=kexec: cannot boot the loaded image: "
fi

# Handover time: kexec -e in gen 1 to gen 2 running /init (host clock).
exec_log=$logs/exec-smp1.log
want exec-smp1 || exec_log=$logs/exec-smp4.log
t0=$(kbt_time "$exec_log" 'KBT gen=1 exec$')
t1=$(grep -E '^[0-9.]* .*Run /init as init process' "$exec_log" 2>/dev/null | sed -n 2p | cut -d' ' -f1)
if [ -n "$t0" ] && [ -n "$t1" ]; then
	echo "# kexec -e to new init: $(echo "$t1 - $t0" | bc) s (host wall clock, TCG)"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
exit
