/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kexec_boot_load(2): load a kernel image from a file and boot it at the
 * next restart, without going back through the firmware.
 */
#ifndef _UAPI_LINUX_KEXEC_BOOT_H
#define _UAPI_LINUX_KEXEC_BOOT_H

/* Drop the loaded image; kernel_fd, initrd_fd and the command line are ignored. */
#define KEXEC_BOOT_UNLOAD	0x00000001UL

/* All flags this kernel knows; any other bit set gives EINVAL. */
#define KEXEC_BOOT_FLAGS_ALL	(KEXEC_BOOT_UNLOAD)

/* Largest command line accepted, terminating NUL included. */
#define KEXEC_BOOT_CMDLINE_MAX	2048

#endif /* _UAPI_LINUX_KEXEC_BOOT_H */
