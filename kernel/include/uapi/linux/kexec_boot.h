/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kexec_boot_load(2): load a kernel image from a file and boot it at the
 * next restart, without going back through the firmware.
 */
#ifndef _UAPI_LINUX_KEXEC_BOOT_H
#define _UAPI_LINUX_KEXEC_BOOT_H

/* Drop the loaded image; kernel_fd, initrd_fd and the command line are ignored. */
#define KEXEC_BOOT_UNLOAD	0x00000001UL

/*
 * Image format in bits 8-15; 0 lets the kernel probe each format it knows
 * in turn.  A format this kernel does not know gives EINVAL.
 */
#define KEXEC_BOOT_FORMAT_MASK		0x0000ff00UL
#define KEXEC_BOOT_FORMAT_ELF		0x00000100UL	/* ELF32 vmlinux */
#define KEXEC_BOOT_FORMAT_BZIMAGE	0x00000200UL	/* x86 bzImage */
#define KEXEC_BOOT_FORMAT_MULTIBOOT	0x00000300UL	/* Multiboot v1 */

/* All flags this kernel knows; any other bit set gives EINVAL. */
#define KEXEC_BOOT_FLAGS_ALL	(KEXEC_BOOT_UNLOAD | KEXEC_BOOT_FORMAT_MASK)

/* Largest command line accepted, terminating NUL included. */
#define KEXEC_BOOT_CMDLINE_MAX	2048

#endif /* _UAPI_LINUX_KEXEC_BOOT_H */
