#!/bin/bash
# make bench ARCH=arm64: ours against mainline arm64 kexec_file_load with
# Debian's kexec-tools, and against a reboot through QEMU's reset, on
# QEMU virt (cortex-a57, GICv2, TCG, -smp 2, 256 MiB).  One session per
# side, GENS generations each (tests/bench/arm64-init): every generation
# loads the next (the same kernel, this root as its initrd) and runs
# kexec -e.  Measured on the host clock: "kexec -e" (the line the guest
# prints just before) to the new kernel's "Run /init"; in the guest: how
# long the load took.  Writes BENCH/results.md.
# Usage: arm64.sh OUT BENCH [GENS]
set -u
out=$(cd "$1" && pwd)
bench=$(cd "$2" && pwd)
gens=${3:-6}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/lib.sh"
use_arch "$out"
mkdir -p "$bench/logs"
for tool in ours theirs firmware; do
	kernel=$out/Image
	[ "$tool" = theirs ] && kernel=$bench/Image.theirs
	# shellcheck disable=SC2046
	run_qemu "$bench/logs/$tool.log" 600 'Run /init as init process' "$gens" \
		$(machine_args) -smp 2 -m 256M -kernel "$kernel" \
		-initrd "$bench/initramfs.cpio" \
		-append "console=$CONSOLE panic=-1 kbb.gen=1 kbb.gens=$gens kbb.tool=$tool"
done
python3 - "$bench" "$gens" <<'PY'
import re, statistics, sys
bench, gens = sys.argv[1], int(sys.argv[2])
rows, notes = [], []
def stats(v):
    if not v:
        return "-"
    return "%.3f s (%.3f-%.3f, n=%d)" % (statistics.median(v), min(v), max(v), len(v))
med = {}
for tool in ("ours", "theirs", "firmware"):
    lines = [l.rstrip("\n").split(" ", 1) for l in open("%s/logs/%s.log" % (bench, tool))]
    hand, loads, t0 = [], [], None
    for t, text in lines:
        if re.match(r"KBB gen=\d+ exec$", text):
            t0 = float(t)
        elif "Run /init as init process" in text and t0 is not None:
            hand.append(float(t) - t0)
            t0 = None
        m = re.match(r"KBB gen=\d+ load rc=(\d+) ms=(\d+)", text)
        if m:
            if m.group(1) != "0":
                notes.append("%s: a load failed: %s" % (tool, text))
            loads.append(int(m.group(2)) / 1000.0)
        if tool == "theirs" and "theirs-image-gz" in text:
            notes.append("Debian's `kexec -s -l Image.gz` on mainline: `%s` (kexec-tools inflates Image.gz in userspace and passes the Image to kexec_file_load; the mainline kernel itself refuses a compressed file with EINVAL, ours inflates it)" % text.split(" ", 2)[2])
    med[tool] = statistics.median(hand) if hand else None
    rows.append((tool, stats(hand), stats(loads)))
with open("%s/results.md" % bench, "w") as f:
    f.write("### arm64: `kexec -e` (or reboot) to the new kernel's `Run /init` (host clock)\n\n")
    f.write("QEMU virt, cortex-a57, GICv2, TCG, -smp 2, 256 MiB; the same kernel reloaded each generation with this root (%d generations per side).\n\n" % gens)
    f.write("| side | handover | load (guest clock) |\n|---|---|---|\n")
    names = {"ours": "ours: kexec_boot, our `kexec -l Image`",
             "theirs": "mainline: `CONFIG_KEXEC_FILE`, Debian's `kexec -s -l Image`",
             "firmware": "reboot through QEMU's reset (no kexec)"}
    for tool, h, l in rows:
        f.write("| %s | %s | %s |\n" % (names[tool], h, l if tool != "firmware" else "-"))
    if med.get("ours") and med.get("theirs"):
        f.write("\nours / mainline: %.2f; " % (med["ours"] / med["theirs"]))
    if med.get("ours") and med.get("firmware"):
        f.write("ours / firmware reboot: %.2f\n" % (med["ours"] / med["firmware"]))
    for n in sorted(set(notes)):
        f.write("\n* %s\n" % n)
print(open("%s/results.md" % bench).read())
PY
