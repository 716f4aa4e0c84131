/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kexec_boot on arm64: the reach of the handover, the argument block the C
 * side fills in for the copy stub (kexec_boot_stub.S), and what the arm64
 * formats share.
 */
#ifndef _ASM_ARM64_KEXEC_BOOT_H
#define _ASM_ARM64_KEXEC_BOOT_H

/*
 * The stub's argument block, at kexec_boot_stub_args in its page; offsets
 * checked against struct kexec_boot_stub_args at build time.
 */
#define KEXEC_BOOT_ARG_COPY_LIST	0
#define KEXEC_BOOT_ARG_ENTRY		8
#define KEXEC_BOOT_ARG_X0		16
#define KEXEC_BOOT_ARG_X1		24
#define KEXEC_BOOT_ARG_X2		32
#define KEXEC_BOOT_ARG_EL2		40
#define KEXEC_BOOT_ARG_MMU_ON		48
#define KEXEC_BOOT_ARGS_SIZE		56

/* Where the stub's EL2 vector table lies in its page (2 KiB aligned). */
#define KEXEC_BOOT_STUB_EL2_VECTORS	0x800

#ifndef __ASSEMBLY__
#include <linux/gfp.h>
#include <linux/types.h>

/*
 * The stub copies over an identity map of all RAM (or with the MMU off):
 * it reaches all of it, and every page of RAM is in the linear map, so
 * handover pages may come from anywhere.
 */
#define KEXEC_BOOT_HANDOVER_LIMIT	(~0ULL)
#define KEXEC_BOOT_HANDOVER_GFP		GFP_KERNEL

struct kexec_boot_format;
struct kexec_boot_image;
struct page;

/**
 * struct kexec_boot_arch - the arm64 handover of one image
 * @stub:	the page the stub runs in, at its physical address
 * @idmap:	the top page table of the identity map the stub copies over
 *		with the MMU on; NULL: it copies with the MMU off
 * @inflated:	an Image inflated from Image.gz, until its pages are filled
 * @fdt_mem:	physical address of the new kernel's device tree, 0 if none
 * @fdt_size:	bytes reserved for it
 */
struct kexec_boot_arch {
	struct page *stub;
	struct page *idmap;
	void *inflated;
	u64 fdt_mem;
	u32 fdt_size;
};

/**
 * struct kexec_boot_stub_args - what the stub enters the image with
 * @copy_list:	physical address of the first copy list page
 * @entry:	physical entry point
 * @x0:		x0 at the entry (Linux: the device tree)
 * @x1:		x1 at the entry
 * @x2:		x2 at the entry
 * @el2:	1: enter at EL2 through the stub's own EL2 vectors, 0: EL1
 * @mmu_on:	1: the stub is entered with the MMU on, over an identity map:
 *		it copies through the caches, cleans each destination to the
 *		point of coherency and turns the MMU off; 0: entered with the
 *		MMU off, it invalidates each destination, then copies
 *
 * x3 is zero.
 */
struct kexec_boot_stub_args {
	u64 copy_list;
	u64 entry;
	u64 x0;
	u64 x1;
	u64 x2;
	u64 el2;
	u64 mmu_on;
};

extern const struct kexec_boot_format kexec_boot_image_format;
extern const struct kexec_boot_format kexec_boot_elf;

/* kexec_boot_64.c: the handover state the formats share. */
struct kexec_boot_arch *kexec_boot_arch_of(struct kexec_boot_image *image);
struct kexec_boot_stub_args *kexec_boot_stub_args_of(struct kexec_boot_image *image);
int kexec_boot_check_cpus(void);

/* kexec_boot_memblock.c: the RAM map for the boot environment. */
struct kexec_boot_env_memory;
u32 kexec_boot_memblock_entries(void);
void kexec_boot_memblock_env(struct kexec_boot_env_memory *memory, u32 n);

/* kexec_boot_fdt.c: the device tree the new kernel is handed. */
struct kexec_boot_ram;
int kexec_boot_fdt_firmware_reserved(void (*fn)(void *ctx, u64 start, u64 end),
				     void *ctx);
int kexec_boot_fdt_reserve(struct kexec_boot_image *image,
			   const struct kexec_boot_ram *ram, u64 limit);
int kexec_boot_fdt_write(struct kexec_boot_image *image);

/* The stub's code and data, copied as a whole into its handover page. */
extern const u8 kexec_boot_stub[];
extern const u8 kexec_boot_stub_args[];
extern const u8 kexec_boot_stub_end[];
/* In .idmap.text: MMU and caches off, then to the stub (physical). */
void kexec_boot_mmu_off(phys_addr_t stub);

#endif /* __ASSEMBLY__ */
#endif /* _ASM_ARM64_KEXEC_BOOT_H */
