#!/usr/bin/env python3
"""dtbshim.py [--size SIZE] [--spin-table CPU:ADDR] QEMU-DTB DTB SHIM
DTB-ADDR KERNEL-ADDR: a device tree edited from the one QEMU made, and the
boot code that hands it to an arm64 kernel, for QEMU's generic loader
(QEMU 7.2's -dtb cannot pass a tree of more than 1 MiB less 10000 bytes:
it opens the file into a buffer of twice its size plus 20000 bytes, which
becomes the tree's totalsize, and a kernel takes at most 2 MiB; nor can
it change a CPU's enable method).

DTB: QEMU-DTB (what -machine dumpdtb wrote, /chosen filled in) packed.
--size: with a property "kbt,pad" of zeros in its root node that makes it
SIZE bytes (less than 4 free).  --spin-table: /cpus/cpu@CPU boots with
enable-method "spin-table" and cpu-release-addr ADDR instead of "psci",
and a /memreserve/ entry keeps ADDR's 4 KiB page.  SHIM: x0 = DTB-ADDR,
x1 = x2 = x3 = 0, branch to KERNEL-ADDR, as QEMU's own boot code does for
-kernel.  Prints the /chosen linux,initrd-start of QEMU-DTB, where the
initrd goes."""

import argparse
import struct
import sys

FDT_MAGIC = 0xD00DFEED
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9
HEADER = 40


def align4(n):
    return (n + 3) & ~3


def parse(structs, strings):
    """The structure block as a list of (token, path, name, value, offset):
    for a node its name, for a property its name (bytes), value and
    offset in STRINGS."""
    pos, path, tokens = 0, [], []
    while pos < len(structs):
        token = struct.unpack_from(">I", structs, pos)[0]
        pos += 4
        if token == FDT_BEGIN_NODE:
            end = structs.index(b"\0", pos)
            path.append(structs[pos:end].decode())
            tokens.append((token, list(path), path[-1], None, None))
            pos = align4(end + 1)
        elif token == FDT_END_NODE:
            tokens.append((token, list(path), None, None, None))
            path.pop()
        elif token == FDT_PROP:
            length, nameoff = struct.unpack_from(">II", structs, pos)
            value = structs[pos + 8:pos + 8 + length]
            name = strings[nameoff:strings.index(b"\0", nameoff)]
            tokens.append((token, list(path), name, value, nameoff))
            pos = align4(pos + 8 + length)
        elif token == FDT_NOP:
            tokens.append((token, list(path), None, None, None))
        elif token == FDT_END:
            break
        else:
            sys.exit("dtbshim.py: bad token %d" % token)
    return tokens


def serialize(tokens, strings):
    """The structure block of TOKENS, and STRINGS with the names it lacked."""
    structs = b""
    for token, _path, name, value, offset in tokens:
        if token == FDT_BEGIN_NODE:
            raw = name.encode() + b"\0"
            structs += struct.pack(">I", token) + raw + bytes(align4(len(raw)) - len(raw))
        elif token in (FDT_END_NODE, FDT_NOP):
            structs += struct.pack(">I", token)
        else:
            if offset is None:
                offset = len(strings)
                strings += name + b"\0"
            structs += struct.pack(">III", token, len(value), offset)
            structs += value + bytes(align4(len(value)) - len(value))
    return structs + struct.pack(">I", FDT_END), strings


def prop(tokens, path, name):
    """The value of property NAME of node PATH, or None."""
    for token, at, pname, value, _offset in tokens:
        if token == FDT_PROP and at == path and pname == name:
            return value
    return None


def spin_table(tokens, cpu, addr):
    """TOKENS with /cpus/cpu@CPU started through a spin table at ADDR."""
    path = ["", "cpus", "cpu@%x" % cpu]
    if prop(tokens, path, b"enable-method") is None:
        sys.exit("dtbshim.py: no /cpus/cpu@%x with an enable-method" % cpu)
    out = []
    for token, at, name, value, offset in tokens:
        if at == path and name == b"enable-method":
            out.append((token, at, name, b"spin-table\0", offset))
            token, name, value = FDT_PROP, b"cpu-release-addr", struct.pack(">Q", addr)
            offset = None
        out.append((token, at, name, value, offset))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=lambda s: int(s, 0))
    ap.add_argument("--spin-table")
    for name in ("src", "dtb", "shim", "dtb_addr", "kernel_addr"):
        ap.add_argument(name)
    args = ap.parse_args()
    blob = open(args.src, "rb").read()
    (magic, _total, off_struct, off_strings, off_rsv, version, _last,
     boot_cpu, size_strings, size_struct) = struct.unpack_from(">10I", blob)
    if magic != FDT_MAGIC or version < 17:
        sys.exit("dtbshim.py: %s is not a version 17 device tree" % args.src)
    rsv_end = off_rsv
    while struct.unpack_from(">QQ", blob, rsv_end) != (0, 0):
        rsv_end += 16
    rsvmap = blob[off_rsv:rsv_end]
    strings = blob[off_strings:off_strings + size_strings]
    tokens = parse(blob[off_struct:off_struct + size_struct], strings)
    start = prop(tokens, ["", "chosen"], b"linux,initrd-start")
    if start is None:
        sys.exit("dtbshim.py: no /chosen linux,initrd-start")
    if args.spin_table:
        cpu, addr = (int(n, 0) for n in args.spin_table.split(":"))
        tokens = spin_table(tokens, cpu, addr)
        rsvmap += struct.pack(">QQ", addr & ~0xFFF, 4096)
    rsvmap += bytes(16)
    structs, strings = serialize(tokens, strings)
    used = HEADER + len(rsvmap) + len(structs) + len(strings)
    size = used
    if args.size is not None:
        # The root node's name is empty: its token and 4 zero bytes.
        root = 8
        pad = (args.size - used - 12 - len(b"kbt,pad\0")) & ~3
        if pad < 0:
            sys.exit("dtbshim.py: %d bytes is too small for %s" % (args.size, args.src))
        structs = (structs[:root] + struct.pack(">III", FDT_PROP, pad, len(strings)) +
                   bytes(pad) + structs[root:])
        strings += b"kbt,pad\0"
        size = args.size
    off_struct = HEADER + len(rsvmap)
    off_strings = off_struct + len(structs)
    out = struct.pack(">10I", FDT_MAGIC, size, off_struct, off_strings, HEADER,
                      17, 16, boot_cpu, len(strings), len(structs))
    out += rsvmap + structs + strings
    open(args.dtb, "wb").write(out + bytes(size - len(out)))
    # ldr x0, 24; ldr x4, 32; mov x1, xzr; mov x2, xzr; mov x3, xzr; br x4
    code = [0x580000C0, 0x580000E4, 0xAA1F03E1, 0xAA1F03E2, 0xAA1F03E3,
            0xD61F0080]
    open(args.shim, "wb").write(struct.pack("<6IQQ", *code, int(args.dtb_addr, 0),
                                            int(args.kernel_addr, 0)))
    print("%#x" % int.from_bytes(start, "big"))


main()
