#!/usr/bin/env python3
"""check.py - checks of the two multiboot test kernel images.

Owns: the static checks of mbtest.elf and mbtest-aout.elf (ELF32 i386
ET_EXEC, PT_LOADs from 1 MiB with p_paddr == p_vaddr, the multiboot header
4-byte aligned within the file's first 8 KiB with a good checksum and the
expected flags; for the address-field variant, fields that describe the
same layout as the program headers) and one boot of each under QEMU's own
multiboot loader with a command line and two modules: the report must be
complete, say "passed=8 failed=0", carry the modules' FNV-1a sums, and QEMU
must exit by itself.

Usage: check.py MBTEST_ELF MBTEST_AOUT_ELF
Prints one "ok"/"FAIL" line per check, then "N passed, N failed".
"""

import os
import struct
import subprocess
import sys
import tempfile

HEADER_MAGIC = 0x1BADB002
ADDRESS_FIELDS = 1 << 16
LOAD_BASE = 0x100000
HEADER_SEARCH_LIMIT = 8192
CMDLINE = "mbt.marker=hello world"

results = []


def check(ok, what):
    results.append(bool(ok))
    print(("ok   " if ok else "FAIL ") + what)


def fnv1a32(data):
    h = 0x811C9DC5
    for b in data:
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def read_elf(data):
    """(e_type, e_machine, e_entry, [(offset, vaddr, paddr, filesz, memsz)])"""
    if data[:6] != b"\x7fELF\x01\x01":
        return None
    e_type, e_machine, _, e_entry, e_phoff = struct.unpack_from("<HHIII", data, 16)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 42)
    loads = []
    for i in range(e_phnum):
        p = struct.unpack_from("<8I", data, e_phoff + i * e_phentsize)
        if p[0] == 1:  # PT_LOAD
            loads.append(p[1:6])
    return e_type, e_machine, e_entry, loads


def find_header(data):
    """File offset of the first valid multiboot header, or None."""
    for off in range(0, min(len(data), HEADER_SEARCH_LIMIT) - 11, 4):
        magic, flags, checksum = struct.unpack_from("<III", data, off)
        if magic == HEADER_MAGIC and (magic + flags + checksum) & 0xFFFFFFFF == 0:
            return off
    return None


def check_image(path, want_flags):
    name = os.path.basename(path)
    data = open(path, "rb").read()
    elf = read_elf(data)
    check(elf is not None, f"{name}: ELF32 little-endian")
    if elf is None:
        return
    e_type, e_machine, e_entry, loads = elf
    check(e_type == 2 and e_machine == 3, f"{name}: ET_EXEC EM_386")
    check(1 <= len(loads) <= 2, f"{name}: {len(loads)} PT_LOAD(s)")
    if not loads:
        return
    check(all(p[1] == p[2] for p in loads), f"{name}: p_paddr == p_vaddr")
    first, last = loads[0], loads[-1]
    check(first[2] == LOAD_BASE, f"{name}: first PT_LOAD at {first[2]:#x}")
    check(all(p[0] - first[0] == p[1] - first[1] for p in loads),
          f"{name}: PT_LOADs contiguous in file and memory")
    image_end = last[1] + last[4]
    print(f"     {name}: image {first[1]:#x}..{image_end:#x} "
          f"({image_end - first[1]} bytes, file bytes up to "
          f"{last[1] + last[3]:#x}), entry {e_entry:#x}")

    off = find_header(data)
    check(off is not None, f"{name}: multiboot header in first 8 KiB")
    if off is None:
        return
    flags = struct.unpack_from("<I", data, off + 4)[0]
    header_len = 32 if flags & ADDRESS_FIELDS else 12
    check(off % 4 == 0 and off + header_len <= HEADER_SEARCH_LIMIT,
          f"{name}: header at file offset {off:#x}, 4-byte aligned, "
          f"{header_len} bytes")
    check(flags == want_flags, f"{name}: header flags {flags:#x}")
    check(first[0] <= off < first[0] + first[3],
          f"{name}: header inside the first PT_LOAD")
    if not flags & ADDRESS_FIELDS:
        return
    header_addr, load_addr, load_end, bss_end, entry = \
        struct.unpack_from("<5I", data, off + 12)
    print(f"     {name}: header_addr={header_addr:#x} load_addr={load_addr:#x} "
          f"load_end_addr={load_end:#x} bss_end_addr={bss_end:#x} "
          f"entry_addr={entry:#x}")
    check(header_addr == first[1] + off - first[0],
          f"{name}: header_addr is where the ELF loads the header")
    check(load_addr == first[1] and off - (header_addr - load_addr) == first[0],
          f"{name}: load_addr and its file offset match the first PT_LOAD")
    check(load_end == last[1] + last[3], f"{name}: load_end_addr ends the file bytes")
    check(bss_end == image_end, f"{name}: bss_end_addr ends the last PT_LOAD")
    check(entry == e_entry, f"{name}: entry_addr == e_entry")


def boot(path, modules):
    name = os.path.basename(path)
    initrd = ",".join(f"{m} {arg}".rstrip() for m, arg in modules)
    cmd = ["timeout", "30", "qemu-system-i386", "-accel", "tcg",
           "-display", "none", "-monitor", "none", "-serial", "stdio",
           "-no-reboot", "-m", "128M", "-kernel", path,
           "-append", CMDLINE, "-initrd", initrd]
    run = subprocess.run(cmd, capture_output=True, text=True)
    lines = [l.rstrip("\r") for l in run.stdout.splitlines()]
    for line in lines:
        print("     " + line)
    check(run.returncode == 0, f"{name}: QEMU exited by itself (rc {run.returncode})")
    for w in ("MBT magic=0x2badb002 ok", f"MBT cmdline={path} {CMDLINE}",
              f"MBT mods={len(modules)}", "MBT self=yes"):
        check(w in lines, f"{name}: prints '{w}'")
    for i, (m, arg) in enumerate(modules):
        data = open(m, "rb").read()
        want = (f" size={len(data)} sum={fnv1a32(data):08x} "
                f"cmdline={m} {arg}".rstrip() + " aligned=yes")
        check(any(l.startswith(f"MBT mod{i} start=0x") and l.endswith(want)
                  for l in lines), f"{name}: mod{i} ...{want}")
    for prefix in ("MBT flags=0x", "MBT mem_lower=", "MBT mmap entries="):
        check(any(l.startswith(prefix) for l in lines), f"{name}: prints '{prefix}...'")
    check(any(l.startswith("MBT mmap ") and l.endswith(" covers_self=yes")
              for l in lines), f"{name}: memory map covers the image")
    check(lines[-1:] == ["MBT done passed=8 failed=0"],
          f"{name}: ends with 'MBT done passed=8 failed=0'")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    elf, aout = sys.argv[1:]
    check_image(elf, 0x00000003)
    check_image(aout, 0x00010003)
    with tempfile.TemporaryDirectory() as tmp:
        modules = [(os.path.join(tmp, "mod1"), "modarg"), (os.path.join(tmp, "mod2"), "")]
        for (m, _), size in zip(modules, (100000, 5000)):
            with open(m, "wb") as f:
                f.write(os.urandom(size))
        for kernel in (elf, aout):
            boot(os.path.abspath(kernel), modules)
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
