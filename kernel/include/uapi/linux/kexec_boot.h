/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kexec_boot_load(2): load a kernel image from a file and boot it at the
 * next restart, without going back through the firmware.
 *
 * Also the two formats this interface defines itself: the packed image (a
 * kernel, an initrd and a command line in one ELF file) and the boot
 * environment a generic ELF image is entered with.
 */
#ifndef _UAPI_LINUX_KEXEC_BOOT_H
#define _UAPI_LINUX_KEXEC_BOOT_H

#include <linux/types.h>

/*
 * The system call is kexec_file_load(2)'s: the same arguments in the same
 * order, and the same meaning for the flags both define.  Where mainline's
 * CONFIG_KEXEC_FILE is off it is also reachable as kexec_file_load; its own
 * number is in /sys/kernel/kexec_boot/syscall (read it: never call a number
 * the running kernel has not given).
 *
 *	long kexec_boot_load(int kernel_fd, int initrd_fd,
 *			     unsigned long cmdline_len, const char *cmdline,
 *			     unsigned long flags);
 */

/* Drop the loaded image; kernel_fd, initrd_fd and the command line are ignored. */
#define KEXEC_BOOT_UNLOAD		0x00000001UL
/* Crash kernels are mainline's (kexec_file_load with CONFIG_KEXEC_FILE): EINVAL. */
#define KEXEC_BOOT_ON_CRASH		0x00000002UL
/* No initrd: initrd_fd is ignored.  A negative initrd_fd also means none. */
#define KEXEC_BOOT_NO_INITRAMFS		0x00000004UL
/* Log the segment map of the load in the kernel log. */
#define KEXEC_BOOT_DEBUG		0x00000008UL

/*
 * Image format in bits 8-15; 0 lets the kernel probe each format it knows
 * in turn.  A format this kernel does not know gives EINVAL.
 */
#define KEXEC_BOOT_FORMAT_MASK		0x0000ff00UL
#define KEXEC_BOOT_FORMAT_VMLINUX	0x00000100UL	/* ELF with a Linux note */
#define KEXEC_BOOT_FORMAT_BZIMAGE	0x00000200UL	/* x86 bzImage */
#define KEXEC_BOOT_FORMAT_MULTIBOOT	0x00000300UL	/* Multiboot v1 */
#define KEXEC_BOOT_FORMAT_ELF		0x00000400UL	/* any ELF executable */
#define KEXEC_BOOT_FORMAT_IMAGE		0x00000500UL	/* arm64 Image, Image.gz */

/* Append the command line given to the one a packed image carries. */
#define KEXEC_BOOT_CMDLINE_APPEND	0x00010000UL
/*
 * Do the whole load, then free the image instead of installing it: the
 * loaded image, if any, stays.  /sys/kernel/kexec_boot/dry_run then shows
 * where each segment would land.  Cannot be combined with KEXEC_BOOT_UNLOAD.
 */
#define KEXEC_BOOT_DRY_RUN		0x00020000UL

/* All flags this kernel knows; any other bit set gives EINVAL. */
#define KEXEC_BOOT_FLAGS_ALL	(KEXEC_BOOT_UNLOAD | KEXEC_BOOT_ON_CRASH | \
				 KEXEC_BOOT_NO_INITRAMFS | KEXEC_BOOT_DEBUG | \
				 KEXEC_BOOT_FORMAT_MASK | \
				 KEXEC_BOOT_CMDLINE_APPEND | KEXEC_BOOT_DRY_RUN)

/* Largest command line accepted, terminating NUL included. */
#define KEXEC_BOOT_CMDLINE_MAX	2048

/*
 * Packed image: an ELF file whose PT_NOTE segment holds notes owned by
 * KEXEC_BOOT_NOTE_OWNER.  The kernel is booted as if it were the file
 * given, the initrd as if it were given with it, the command line as if it
 * were passed, unless the caller passes its own.
 */
#define KEXEC_BOOT_NOTE_OWNER		"kexec_boot"
#define KEXEC_BOOT_NOTE_KERNEL		1	/* struct kexec_boot_pack_blob */
#define KEXEC_BOOT_NOTE_INITRD		2	/* struct kexec_boot_pack_blob */
#define KEXEC_BOOT_NOTE_CMDLINE		3	/* NUL-terminated string */

/* Where in the packed file a piece lies; offset a multiple of 8. */
#define KEXEC_BOOT_PACK_ALIGN		8

struct kexec_boot_pack_blob {
	__u64 offset;
	__u64 size;
};

/*
 * Boot environment of a generic ELF image, entered with %eax =
 * KEXEC_BOOT_ENV_MAGIC and %ebx = the physical address of this header.
 * Records follow the header, each 8-byte aligned; a reader skips record
 * types it does not know.
 */
#define KEXEC_BOOT_ENV_MAGIC	0x4b425445	/* "ETBK" in memory */
#define KEXEC_BOOT_ENV_VERSION	1

struct kexec_boot_env {
	__u32 magic;		/* KEXEC_BOOT_ENV_MAGIC */
	__u32 version;		/* KEXEC_BOOT_ENV_VERSION */
	__u32 size;		/* bytes, this header and every record */
	__u32 nr_records;
};

struct kexec_boot_env_record {
	__u32 type;		/* KEXEC_BOOT_ENV_* */
	__u32 size;		/* bytes of data after this header */
};

#define KEXEC_BOOT_ENV_CMDLINE	1	/* NUL-terminated command line */
#define KEXEC_BOOT_ENV_MEMORY	2	/* struct kexec_boot_env_memory[] */
#define KEXEC_BOOT_ENV_INITRD	3	/* struct kexec_boot_env_range */
#define KEXEC_BOOT_ENV_RSDP	4	/* __u64 physical address of the ACPI RSDP */
#define KEXEC_BOOT_ENV_LOADER	5	/* NUL-terminated name of the loader */

/* Memory types: the ACPI address range types (1 usable RAM, 2 reserved, ...). */
#define KEXEC_BOOT_ENV_MEMORY_RAM	1

struct kexec_boot_env_memory {
	__u64 addr;
	__u64 size;
	__u32 type;
	__u32 reserved;
};

struct kexec_boot_env_range {
	__u64 addr;
	__u64 size;
};

#endif /* _UAPI_LINUX_KEXEC_BOOT_H */
