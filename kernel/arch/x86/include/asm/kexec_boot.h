/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kexec_boot on 32-bit x86: the copy stub (kexec_boot_stub_32.S) and the
 * argument block the C side fills in before jumping to it.
 */
#ifndef _ASM_X86_KEXEC_BOOT_H
#define _ASM_X86_KEXEC_BOOT_H

#include <linux/types.h>

struct kexec_boot_format;
struct kexec_boot_image;

/* "HdrS": the setup header signature of the Linux boot protocol. */
#define KEXEC_BOOT_HDRS		0x53726448

/**
 * struct kexec_boot_setup_header - a bzImage's setup header, as in the file
 * @len:	bytes of it the image defines
 * @bytes:	the header, copied into boot_params.hdr before it is filled
 */
struct kexec_boot_setup_header {
	size_t len;
	u8 bytes[];
};

/* The name every boot environment gives for its loader. */
#define KEXEC_BOOT_LOADER_NAME	"kexec_boot"

extern const struct kexec_boot_format kexec_boot_bzimage;
extern const struct kexec_boot_format kexec_boot_multiboot;
extern const struct kexec_boot_format kexec_boot_vmlinux;
extern const struct kexec_boot_format kexec_boot_elf;
int kexec_boot_linux_prepare(struct kexec_boot_image *image);
u64 kexec_boot_acpi_rsdp(void);
struct kexec_boot_stub_args *kexec_boot_stub_args_of(struct kexec_boot_image *image);

/* Read by the stub: layout fixed by the ARG_* offsets in the stub. */
struct kexec_boot_stub_args {
	u32 copy_list;
	u32 eax, ebx, ecx, edx, esi, edi, ebp;
	u32 eip;
};

/* The stub's code and data, copied as a whole into its handover page. */
extern const u8 kexec_boot_stub[];
extern const u8 kexec_boot_stub_args[];
extern const u8 kexec_boot_stub_end[];

#endif /* _ASM_X86_KEXEC_BOOT_H */
