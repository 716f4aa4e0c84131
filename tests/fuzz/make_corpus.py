#!/usr/bin/env python3
"""Write the seed corpus for fuzz_kexec_boot into tests/fuzz/corpus/.

    python3 tests/fuzz/make_corpus.py [OUTDIR]

Every seed is a small ELF32 i386 file (< 8 KiB) built here with the standard
library only, so the checked-in files can be regenerated and reviewed.  The
output is deterministic: running the script again rewrites identical bytes.

The harness derives the initrd size from the last 4 bytes of the input, so
each seed ends in a 32-bit little-endian value chosen for it (padding past
the last segment's data; the ELF parser never looks there).
"""
import os
import struct
import sys

EHDR_SIZE = 52
PHDR_SIZE = 32
PT_LOAD, PT_NOTE = 1, 4
PF_X, PF_W, PF_R = 1, 2, 4
ET_EXEC, ET_DYN = 2, 3
EM_386 = 3


def ehdr(entry, phnum, phoff=EHDR_SIZE, e_type=ET_EXEC, machine=EM_386,
         ident_class=1, ident_data=1, magic=b"\x7fELF",
         phentsize=PHDR_SIZE):
    ident = magic + bytes([ident_class, ident_data, 1, 0]) + bytes(8)
    return ident + struct.pack("<HHIIIIIHHHHHH",
                               e_type, machine, 1, entry, phoff, 0, 0,
                               EHDR_SIZE, phentsize, phnum, 40, 0, 0)


def phdr(p_type, offset, vaddr, paddr, filesz, memsz, flags, align=0x1000):
    return struct.pack("<IIIIIIII", p_type, offset, vaddr, paddr,
                       filesz, memsz, flags, align)


def image(header, phdrs, blobs, tail):
    """header + program headers, then each (offset, bytes) blob, then the
    4-byte initrd-size tail."""
    data = bytearray(header + b"".join(phdrs))
    for off, blob in blobs:
        if len(data) < off:
            data += bytes(off - len(data))
        data[off:off + len(blob)] = blob
    return bytes(data) + struct.pack("<I", tail)


def code(n):
    """n bytes of recognisable 'text': a jmp-to-self loop, then int3."""
    return (b"\xeb\xfe" + b"\xcc" * n)[:n]


def note():
    name = b"Linux\0\0\0"
    desc = b"6.12.0\0\0"
    return struct.pack("<III", 6, len(desc), 0x101) + name + desc


SEEDS = {}

# 1. Minimal: one PT_LOAD of 16 bytes at 16 MiB, entry at its start.
SEEDS["min_one_load.elf"] = image(
    ehdr(0x1000000, 1),
    [phdr(PT_LOAD, 0x54, 0x1000000, 0x1000000, 16, 0x1000, PF_R | PF_X)],
    [(0x54, code(16))],
    0x100000)                       # 1 MiB initrd

# 2. vmlinux-like: text, data+bss, and a PT_NOTE (ignored by the loader);
#    virtual addresses at PAGE_OFFSET like a real i386 vmlinux.
SEEDS["vmlinux_like.elf"] = image(
    ehdr(0x1000000, 3),
    [phdr(PT_LOAD, 0x200, 0xC1000000, 0x1000000, 0x600, 0x300000,
          PF_R | PF_X),
     phdr(PT_LOAD, 0x800, 0xC1400000, 0x1400000, 0x400, 0x180000,
          PF_R | PF_W),
     phdr(PT_NOTE, 0xc00, 0xC1000400, 0x1000400, len(note()), len(note()),
          PF_R, 4)],
    [(0x200, code(0x600)), (0x800, bytes(range(256)) * 4),
     (0xc00, note())],
    0x800000)                       # 8 MiB initrd

# 3. Text plus a bss-only segment (p_filesz 0) right after it.
SEEDS["bss_only.elf"] = image(
    ehdr(0x1000000, 2),
    [phdr(PT_LOAD, 0x74, 0x1000000, 0x1000000, 32, 0x1000, PF_R | PF_X),
     phdr(PT_LOAD, 0, 0x1001000, 0x1001000, 0, 0x40000, PF_R | PF_W)],
    [(0x74, code(32))],
    0x4000)                         # 16 KiB initrd

# 4. Low kernel at 1 MiB with a program header table not right after the
#    ELF header (and unaligned), a PT_LOAD of memsz 0 (skipped).
SEEDS["low_phoff_unaligned.elf"] = image(
    ehdr(0x100000, 2, phoff=0x63),
    [],
    [(0x63, phdr(PT_LOAD, 0x100, 0x100000, 0x100000, 0x40, 0x2000,
                 PF_R | PF_X)
      + phdr(PT_LOAD, 0x140, 0x200000, 0x200000, 0, 0, PF_R)),
     (0x100, code(0x40))],
    0x0ff00000)                     # ~255 MiB initrd: does not fit

# --- slightly broken ---------------------------------------------------------

# 5. Entry point outside every segment (-EADDRNOTAVAIL from the parser).
SEEDS["bad_entry_outside.elf"] = image(
    ehdr(0x2000000, 1),
    [phdr(PT_LOAD, 0x54, 0x1000000, 0x1000000, 16, 0x1000, PF_R | PF_X)],
    [(0x54, code(16))],
    0x1000)

# 6. p_filesz > p_memsz (-ENOEXEC).
SEEDS["bad_filesz_gt_memsz.elf"] = image(
    ehdr(0x1000000, 1),
    [phdr(PT_LOAD, 0x54, 0x1000000, 0x1000000, 0x40, 0x20, PF_R | PF_X)],
    [(0x54, code(0x40))],
    0x1000)

# 7. Truncated: the program headers run past the end of the file.
SEEDS["bad_truncated_phdrs.elf"] = (
    ehdr(0x1000000, 4) + phdr(PT_LOAD, 0, 0x1000000, 0x1000000, 0, 0x1000,
                              PF_R))[:EHDR_SIZE + PHDR_SIZE + 12]

# 8. Parses, but the two segments overlap (-EBUSY from the layout check).
SEEDS["bad_overlap.elf"] = image(
    ehdr(0x1000000, 2),
    [phdr(PT_LOAD, 0x74, 0x1000000, 0x1000000, 16, 0x2000, PF_R | PF_X),
     phdr(PT_LOAD, 0x84, 0x1001000, 0x1001000, 16, 0x1000, PF_R | PF_W)],
    [(0x74, code(32))],
    0x1000)

# 9. Parses, but sits in the 640 KiB - 1 MiB hole (-EADDRNOTAVAIL).
SEEDS["bad_in_hole.elf"] = image(
    ehdr(0xa0000, 1),
    [phdr(PT_LOAD, 0x54, 0xa0000, 0xa0000, 16, 0x1000, PF_R | PF_X)],
    [(0x54, code(16))],
    0x1000)

# 10. Seventeen loadable segments (more than mainline's 16; 257 would be
#     -E2BIG, a case of the unit tests: its 8 KiB of headers would slow
#     every execution down some thirtyfold).
SEEDS["many_17_loads.elf"] = image(
    ehdr(0x1000000, 17),
    [phdr(PT_LOAD, 0, 0x1000000 + i * 0x1000, 0x1000000 + i * 0x1000,
          0, 0x1000, PF_R) for i in range(17)],
    [],
    0x1000)

# 11. Not i386 (EM_X86_64) and a wrong program header size.
SEEDS["bad_machine.elf"] = image(
    ehdr(0x1000000, 1, machine=62, phentsize=56),
    [phdr(PT_LOAD, 0x54, 0x1000000, 0x1000000, 16, 0x1000, PF_R | PF_X)],
    [(0x54, code(16))],
    0x1000)


def pack_note(n_type, desc):
    name = b"kexec_boot\0\0"
    pad = bytes(-len(desc) % 4)
    return struct.pack("<III", 11, len(desc), n_type) + name + desc + pad


def packed(kernel, initrd, cmdline):
    """A packed image as kexec-pack writes it: notes, kernel, initrd."""
    kernel_off = 0x200
    initrd_off = kernel_off + len(kernel)
    notes = (pack_note(1, struct.pack("<QQ", kernel_off, len(kernel))) +
             pack_note(2, struct.pack("<QQ", initrd_off, len(initrd))) +
             pack_note(3, cmdline + b"\0"))
    return image(
        ehdr(0, 1),
        [phdr(PT_NOTE, EHDR_SIZE + PHDR_SIZE, 0, 0, len(notes), 0, 0, 4)],
        [(EHDR_SIZE + PHDR_SIZE, notes), (kernel_off, kernel),
         (initrd_off, initrd)],
        0x1000)


# 12. A packed image holding seed 1, a small initrd and a command line.
SEEDS["packed_min.elf"] = packed(SEEDS["min_one_load.elf"], b"initrd" * 8,
                                 b"console=ttyS0 x=y")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        assert len(data) < 4096, (name, len(data))
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(f"{len(data):6d}  {name}")


if __name__ == "__main__":
    main()
