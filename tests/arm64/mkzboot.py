#!/usr/bin/env python3
"""mkzboot.py IMAGE.GZ OUT: wraps a gzip-compressed arm64 Image in the
header of an EFI zboot image, as drivers/firmware/efi/libstub/
zboot-header.S lays it out: "MZ", "zimg" at 4, the payload's offset and
size at 8 and 12, its compression type at 0x18, LINUX_PE_MAGIC at 0x38.
Only what a loader reads to find the payload; no PE/COFF body, so it is
not an EFI application: the test boots it with kexec_boot, which inflates
the payload, as it would a real vmlinuz.efi."""

import struct
import sys

PAYLOAD_OFFSET = 0x1000
LINUX_PE_MAGIC = 0x818223CD

payload = open(sys.argv[1], "rb").read()
if payload[:2] != b"\x1f\x8b":
    sys.exit("mkzboot.py: %s is not gzip" % sys.argv[1])
head = bytearray(PAYLOAD_OFFSET)
head[0:2] = b"MZ"
head[4:8] = b"zimg"
struct.pack_into("<II", head, 8, PAYLOAD_OFFSET, len(payload))
head[0x18:0x1d] = b"gzip\0"
struct.pack_into("<II", head, 0x38, LINUX_PE_MAGIC, 0x40)
with open(sys.argv[2], "wb") as f:
    f.write(bytes(head) + payload)
