// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot handover on x86_64: the identity map the copy stub runs on,
 * and the jump into the stub.
 *
 * At load, the page tables that map all RAM (and the ACPI tables and the
 * EFI runtime regions) at their physical address are built from handover
 * pages, so they lie outside
 * every destination.  At the jump the kernel's own half is copied in next
 * to them, so this code keeps running after the switch, and the stub
 * (kexec_boot_stub_64.S) copies the pages with paging on.  It then enters
 * the image in 64-bit mode on that identity map, or leaves long mode for
 * the images entered in 32-bit protected mode.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/elf.h>
#include <linux/io.h>
#include <linux/kexec_boot.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <asm/debugreg.h>
#include <asm/e820/api.h>
#include <asm/init.h>
#include <asm/kexec_boot.h>
#include <asm/tlbflush.h>

/* The copy stub's entry: the start of its page, at its physical address. */
typedef void (*stub_entry_t)(void);

/* x86_64 kernels, and every 32-bit image an i386 kernel boots. */
const u16 kexec_boot_elf_machines[] = { EM_X86_64, EM_386, EM_NONE };

static void *alloc_table(void *image)
{
	struct page *page = kexec_boot_alloc_page(image);

	return page ? page_address(page) : NULL;
}

/* What the stub and the new kernel's first instructions may touch. */
static bool mapped_type(enum e820_type type)
{
	return type == E820_TYPE_RAM || type == E820_TYPE_RESERVED_KERN ||
	       type == E820_TYPE_ACPI || type == E820_TYPE_NVS;
}

/* Maps [@start, @end) at its physical address in the handover tables. */
static int map_identity(struct kexec_boot_image *image, u64 start, u64 end)
{
	struct x86_mapping_info info = {
		.alloc_pgt_page = alloc_table,
		.context = image,
		.page_flag = __PAGE_KERNEL_LARGE_EXEC,
		.kernpg_flag = _KERNPG_TABLE_NOENC,
		.direct_gbpages = direct_gbpages,
	};

	return kernel_ident_mapping_init(&info, page_address(image->arch->pgd),
					 start, end);
}

int kexec_boot_map_handover(struct kexec_boot_image *image)
{
	const struct e820_entry *entry;
	u32 i;
	int ret;

	image->arch->pgd = kexec_boot_alloc_page(image);
	if (!image->arch->pgd)
		return -ENOMEM;
	for (i = 0; i < e820_table_firmware->nr_entries; i++) {
		entry = &e820_table_firmware->entries[i];
		if (!mapped_type(entry->type))
			continue;
		ret = map_identity(image, entry->addr,
				   entry->addr + entry->size);
		if (ret)
			return ret;
	}
	return kexec_boot_efi_map(map_identity, image);
}

/**
 * arch_kexec_boot_jump - leave this kernel for the loaded image
 * @image:	the loaded image
 *
 * Runs on the boot CPU after machine_shutdown() stopped the other CPUs and
 * put the APICs back in their boot state.  Switches to the handover page
 * tables (the identity map plus the kernel's own half) and jumps into the
 * stub at its physical address (it starts with ENDBR for IBT); it never
 * returns.
 */
void __noreturn arch_kexec_boot_jump(struct kexec_boot_image *image)
{
	struct kexec_boot_arch *arch = image->arch;
	pgd_t *pgd = page_address(arch->pgd);
	stub_entry_t stub = (stub_entry_t)page_to_phys(arch->stub);

	local_irq_disable();
	hw_breakpoint_disable();
	kexec_boot_stub_args_of(image)->copy_list = image->copy_list;
	/* The identity map fills the lower half only. */
	memcpy(pgd + PTRS_PER_PGD / 2, swapper_pg_dir + PTRS_PER_PGD / 2,
	       PTRS_PER_PGD / 2 * sizeof(pgd_t));
	native_write_cr3(page_to_phys(arch->pgd));
	/* At its physical address, which the identity map makes virtual. */
	stub();
	/* The stub never returns. */
	for (;;)
		native_halt();
}
