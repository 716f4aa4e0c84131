/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kexec_boot on 32-bit x86: the copy stub (kexec_boot_stub_32.S) and the
 * argument block the C side fills in before jumping to it.
 */
#ifndef _ASM_X86_KEXEC_BOOT_H
#define _ASM_X86_KEXEC_BOOT_H

#include <linux/types.h>

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
