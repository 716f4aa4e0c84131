/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kexec_boot on x86 (32- and 64-bit): the reach of the handover, the
 * argument block the C side fills in for the copy stub
 * (kexec_boot_stub_32.S, kexec_boot_stub_64.S), and what the x86 formats
 * share.
 */
#ifndef _ASM_X86_KEXEC_BOOT_H
#define _ASM_X86_KEXEC_BOOT_H

/*
 * The stub's argument block, at kexec_boot_stub_args in its page; offsets
 * checked against struct kexec_boot_stub_args at build time.
 */
#define KEXEC_BOOT_ARG_COPY_LIST	0
#define KEXEC_BOOT_ARG_EIP		8
#define KEXEC_BOOT_ARG_ESI		16
#define KEXEC_BOOT_ARG_EBX		24
#define KEXEC_BOOT_ARG_EAX		32
#define KEXEC_BOOT_ARG_LONG_MODE	36
#define KEXEC_BOOT_ARGS_SIZE		40

#ifndef __ASSEMBLY__
#include <linux/gfp.h>
#include <linux/types.h>
#include <asm/page_types.h>

#ifdef CONFIG_X86_64
/*
 * The stub copies with paging on, over an identity map of all RAM.  Its
 * own pages stay below 4 GiB: it leaves long mode there for the images
 * entered in 32-bit protected mode.
 */
#define KEXEC_BOOT_HANDOVER_LIMIT	MAXMEM
#define KEXEC_BOOT_HANDOVER_GFP		(GFP_KERNEL | GFP_DMA32)
#else
/* The stub copies with paging off: it reaches the first 4 GiB only. */
#define KEXEC_BOOT_HANDOVER_LIMIT	(U32_MAX + 1ULL)
#define KEXEC_BOOT_HANDOVER_GFP		GFP_KERNEL
#endif

/* Images entered in 32-bit protected mode must lie below 4 GiB. */
#define KEXEC_BOOT_32BIT_LIMIT		(U32_MAX + 1ULL)

struct kexec_boot_format;
struct kexec_boot_image;
struct page;

/**
 * struct kexec_boot_arch - the x86 handover of one image
 * @stub:	the page the stub runs in, identity mapped
 * @pgd:	the top page table of the handover
 * @pmd:	i386 with PAE: the middle level that maps the stub
 * @pte:	i386: the page table that maps the stub
 *
 * Every page here is a handover page of the image.
 */
struct kexec_boot_arch {
	struct page *stub;
	struct page *pgd;
#ifdef CONFIG_X86_32
	struct page *pmd;
	struct page *pte;
#endif
};

/* Builds the handover page tables (kexec_boot_32.c, kexec_boot_64.c). */
int kexec_boot_map_handover(struct kexec_boot_image *image);

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

extern const struct kexec_boot_format kexec_boot_bzimage;
extern const struct kexec_boot_format kexec_boot_multiboot;
extern const struct kexec_boot_format kexec_boot_vmlinux;
extern const struct kexec_boot_format kexec_boot_elf;
int kexec_boot_linux_prepare(struct kexec_boot_image *image);
u64 kexec_boot_acpi_rsdp(void);
struct kexec_boot_stub_args *kexec_boot_stub_args_of(struct kexec_boot_image *image);

/* The RAM map and its copies for the new kernel (kexec_boot_e820.c). */
struct boot_params;
struct kexec_boot_env_memory;
u32 kexec_boot_e820_entries(void);
void kexec_boot_e820_env(struct kexec_boot_env_memory *memory, u32 n);
void kexec_boot_e820_fill(struct boot_params *params);
u32 kexec_boot_e820_ext_size(void);
void kexec_boot_e820_fill_ext(void *buf, u32 size);

/* EFI runtime services across the handover (kexec_boot_efi.c). */
u32 kexec_boot_efi_size(void);
void kexec_boot_efi_fill(struct boot_params *params, void *data, u64 phys);
int kexec_boot_efi_map(int (*map)(struct kexec_boot_image *image, u64 start,
				  u64 end),
		       struct kexec_boot_image *image);

/**
 * struct kexec_boot_stub_args - what the stub enters the image with
 * @copy_list:	physical address of the first copy list page
 * @eip:	physical entry point (%rip when entered in 64-bit mode)
 * @esi:	%esi (%rsi): the Linux boot protocols' boot_params
 * @ebx:	%ebx (%rbx): Multiboot info, kexec_boot boot environment
 * @eax:	%eax: the Multiboot or boot environment magic
 * @long_mode:	x86_64 only: enter in 64-bit mode over the identity map,
 *		otherwise in 32-bit protected mode with paging off
 *
 * Every other general register is zero at the entry.
 */
struct kexec_boot_stub_args {
	u64 copy_list;
	u64 eip;
	u64 esi;
	u64 ebx;
	u32 eax;
	u32 long_mode;
};

/* The stub's code and data, copied as a whole into its handover page. */
extern const u8 kexec_boot_stub[];
extern const u8 kexec_boot_stub_args[];
extern const u8 kexec_boot_stub_end[];

#endif /* __ASSEMBLY__ */
#endif /* _ASM_X86_KEXEC_BOOT_H */
