#!/usr/bin/env python3
"""bigdtb.py QEMU-DTB SIZE DTB SHIM DTB-ADDR KERNEL-ADDR: a device tree of
SIZE bytes and the boot code that hands it to an arm64 kernel, for QEMU's
generic loader (QEMU 7.2's -dtb cannot pass a tree of more than 1 MiB less
10000 bytes: it opens the file into a buffer of twice its size plus 20000
bytes, which becomes the tree's totalsize, and a kernel takes at most
2 MiB).

DTB: QEMU-DTB (what -machine dumpdtb wrote, /chosen filled in) packed,
with a property "kbt,pad" of zeros in its root node that makes it SIZE
bytes (less than 4 free).  SHIM: x0 = DTB-ADDR, x1 = x2 = x3 = 0, branch
to KERNEL-ADDR, as QEMU's own boot code does for -kernel.  Prints the
/chosen linux,initrd-start of QEMU-DTB, where the initrd goes."""

import struct
import sys

FDT_MAGIC = 0xD00DFEED
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9
HEADER = 40


def align4(n):
    return (n + 3) & ~3


def initrd_start(structs, strings):
    """/chosen's linux,initrd-start (1 or 2 cells)."""
    pos, path = 0, []
    while pos < len(structs):
        token = struct.unpack_from(">I", structs, pos)[0]
        pos += 4
        if token == FDT_BEGIN_NODE:
            end = structs.index(b"\0", pos)
            path.append(structs[pos:end].decode())
            pos = align4(end + 1)
        elif token == FDT_END_NODE:
            path.pop()
        elif token == FDT_PROP:
            length, nameoff = struct.unpack_from(">II", structs, pos)
            value = structs[pos + 8:pos + 8 + length]
            name = strings[nameoff:strings.index(b"\0", nameoff)]
            if path == ["", "chosen"] and name == b"linux,initrd-start":
                return int.from_bytes(value, "big")
            pos = align4(pos + 8 + length)
        elif token == FDT_END:
            break
        elif token != FDT_NOP:
            sys.exit("bigdtb.py: bad token %d" % token)
    sys.exit("bigdtb.py: no /chosen linux,initrd-start")


def main():
    src, size, dtb, shim = sys.argv[1], int(sys.argv[2], 0), sys.argv[3], sys.argv[4]
    dtb_addr, kernel_addr = int(sys.argv[5], 0), int(sys.argv[6], 0)
    blob = open(src, "rb").read()
    (magic, _total, off_struct, off_strings, off_rsv, version, _last,
     boot_cpu, size_strings, size_struct) = struct.unpack_from(">10I", blob)
    if magic != FDT_MAGIC or version < 17:
        sys.exit("bigdtb.py: %s is not a version 17 device tree" % src)
    rsv_end = off_rsv
    while struct.unpack_from(">QQ", blob, rsv_end) != (0, 0):
        rsv_end += 16
    rsvmap = blob[off_rsv:rsv_end + 16]
    structs = blob[off_struct:off_struct + size_struct]
    strings = blob[off_strings:off_strings + size_strings]
    start = initrd_start(structs, strings)
    # The root node's name is empty: its token and 4 zero bytes.
    root = 8
    pad = (size - (HEADER + len(rsvmap) + len(structs) + 12 +
                   len(strings) + len(b"kbt,pad\0"))) & ~3
    if pad < 0:
        sys.exit("bigdtb.py: %d bytes is too small for %s" % (size, src))
    structs = (structs[:root] + struct.pack(">III", FDT_PROP, pad, len(strings)) +
               bytes(pad) + structs[root:])
    strings += b"kbt,pad\0"
    off_struct = HEADER + len(rsvmap)
    off_strings = off_struct + len(structs)
    out = struct.pack(">10I", FDT_MAGIC, size, off_struct, off_strings, HEADER,
                      17, 16, boot_cpu, len(strings), len(structs))
    out += rsvmap + structs + strings
    open(dtb, "wb").write(out + bytes(size - len(out)))
    # ldr x0, 24; ldr x4, 32; mov x1, xzr; mov x2, xzr; mov x3, xzr; br x4
    code = [0x580000C0, 0x580000E4, 0xAA1F03E1, 0xAA1F03E2, 0xAA1F03E3,
            0xD61F0080]
    open(shim, "wb").write(struct.pack("<6IQQ", *code, dtb_addr, kernel_addr))
    print("%#x" % start)


main()
