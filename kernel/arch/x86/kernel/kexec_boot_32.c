// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot handover on 32-bit x86: the page table that maps the copy
 * stub at its physical address next to the kernel's own half, and the jump
 * into the stub.  The stub (kexec_boot_stub_32.S) turns paging off, copies
 * the pages and enters the image in 32-bit protected mode.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/elf.h>
#include <linux/io.h>
#include <linux/kexec_boot.h>
#include <linux/mm.h>
#include <linux/pgalloc.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/kexec_boot.h>

/* This machine boots i386 ELF images only. */
const u16 kexec_boot_elf_machines[] = { EM_386, EM_NONE };

/*
 * Maps the stub page at its physical address in the handover page table.
 *
 * Raw stores into private tables, not the init_mm helpers: with page
 * table isolation set_pud()/pud_populate() (and clone_pgd_range()) also
 * write the user copy of a PGD entry at pgd + PAGE_SIZE, which would be
 * past this one-page page directory, and pud_populate() flushes init_mm's
 * TLB for nothing.  A PAE page-directory-pointer entry takes the present
 * bit and the address only.
 */
static void map_stub(struct kexec_boot_arch *arch)
{
	unsigned long addr = page_to_phys(arch->stub);
	pgd_t *pgd = page_address(arch->pgd);
	pte_t *pte = page_address(arch->pte);
	pmd_t *pmd;

	if (IS_ENABLED(CONFIG_X86_PAE)) {
		pgd[pgd_index(addr)] = __pgd(page_to_phys(arch->pmd) |
					     _PAGE_PRESENT);
		pmd = page_address(arch->pmd);
		pmd[pmd_index(addr)] = __pmd(page_to_phys(arch->pte) |
					     _KERNPG_TABLE);
	} else {
		pgd[pgd_index(addr)] = __pgd(page_to_phys(arch->pte) |
					     _KERNPG_TABLE);
	}
	pte[pte_index(addr)] = pfn_pte(PHYS_PFN(addr), PAGE_KERNEL_EXEC);
}

int kexec_boot_map_handover(struct kexec_boot_image *image)
{
	struct kexec_boot_arch *arch = image->arch;
	struct page **pages[] = { &arch->pgd, &arch->pmd, &arch->pte };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		/* Without PAE the page directory maps page tables directly. */
		if (pages[i] == &arch->pmd && !IS_ENABLED(CONFIG_X86_PAE))
			continue;
		*pages[i] = kexec_boot_alloc_page(image);
		if (!*pages[i])
			return -ENOMEM;
	}
	map_stub(arch);
	return 0;
}

/**
 * arch_kexec_boot_jump - leave this kernel for the loaded image
 * @image:	the loaded image
 *
 * Runs on the boot CPU after machine_shutdown() stopped the other CPUs and
 * put the APICs back in their boot state.  Disarms the debug registers
 * (with paging off a watchpoint's linear address is a physical one, and
 * a #DB would find no IDT), loads an empty IDT, switches to the handover
 * page table (the kernel's own half plus the stub at its physical
 * address) and jumps into the stub, which never returns.
 */
void __noreturn arch_kexec_boot_jump(struct kexec_boot_image *image)
{
	struct kexec_boot_arch *arch = image->arch;
	pgd_t *pgd = page_address(arch->pgd);

	local_irq_disable();
	hw_breakpoint_disable();
	kexec_boot_stub_args_of(image)->copy_list = image->copy_list;
	/* A copy, not clone_pgd_range(): see map_stub() about PTI. */
	memcpy(pgd + KERNEL_PGD_BOUNDARY, swapper_pg_dir + KERNEL_PGD_BOUNDARY,
	       KERNEL_PGD_PTRS * sizeof(*pgd));
	/* From here on an NMI is a triple fault, not a jump into the old IDT. */
	idt_invalidate();
	native_write_cr3(page_to_phys(arch->pgd));
	asm volatile("jmp *%0" : : "r" ((unsigned long)page_to_phys(arch->stub))
		     : "memory");
	unreachable();
}
