// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot machine part for 32-bit x86: usable RAM from the firmware's
 * e820 map, the image formats this machine boots, the Linux boot
 * environment (struct boot_params and the command line), the page tables
 * that map the copy stub at its physical address, and the jump into the
 * stub.
 *
 * Linux kernels are entered through the 32-bit boot protocol
 * (Documentation/arch/x86/boot.rst): protected mode, paging off,
 * interrupts off, flat segments at __BOOT_CS/__BOOT_DS, %esi = boot_params,
 * %ebx = %edi = %ebp = 0.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/acpi.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_boot.h>
#include <linux/mm.h>
#include <linux/pgalloc.h>
#include <linux/screen_info.h>
#include <linux/slab.h>
#include <asm/bootparam.h>
#include <asm/e820/api.h>
#include <asm/kexec_boot.h>
#include <asm/setup.h>
#include <uapi/linux/kexec_boot.h>

/* "Undefined" boot loader ID: the new kernel still takes the initrd. */
#define KEXEC_BOOT_LOADER_TYPE	0xff

struct kexec_boot_arch {
	struct page *stub;
	struct page *pgd;
	struct page *pmd;
	struct page *pte;
};

static u64 kexec_boot_rsdp;

int arch_kexec_boot_ram(struct kexec_boot_ram *ram)
{
	const struct e820_entry *entry;
	u32 i;

	for (i = 0; i < e820_table_firmware->nr_entries; i++) {
		entry = &e820_table_firmware->entries[i];
		if (entry->type == E820_TYPE_RAM)
			kexec_boot_ram_add(ram, entry->addr,
					   entry->addr + entry->size);
	}
	return 0;
}

static void fill_e820(struct boot_params *params)
{
	const struct e820_entry *entry;
	u32 i, n;

	n = min_t(u32, e820_table_firmware->nr_entries,
		  E820_MAX_ENTRIES_ZEROPAGE);
	if (n < e820_table_firmware->nr_entries)
		pr_warn("passing %u of %u e820 entries\n", n,
			e820_table_firmware->nr_entries);
	for (i = 0; i < n; i++) {
		entry = &e820_table_firmware->entries[i];
		params->e820_table[i].addr = entry->addr;
		params->e820_table[i].size = entry->size;
		params->e820_table[i].type = entry->type;
	}
	params->e820_entries = n;
}

/*
 * The hardware facts the new kernel cannot probe, in its own format.  A
 * bzImage's own setup header, when the image has one, comes first.
 */
static void fill_boot_params(struct boot_params *params,
			     const struct kexec_boot_image *image,
			     u32 cmdline_addr)
{
	const struct kexec_boot_setup_header *image_hdr = image->format_data;
	struct setup_header *hdr = &params->hdr;

	if (image_hdr) {
		memcpy(hdr, image_hdr->bytes, image_hdr->len);
	} else {
		hdr->boot_flag = 0xaa55;
		hdr->header = KEXEC_BOOT_HDRS;
		hdr->version = boot_params.hdr.version;
	}
	params->screen_info = screen_info;
	params->acpi_rsdp_addr = kexec_boot_rsdp;
	fill_e820(params);
	hdr->type_of_loader = KEXEC_BOOT_LOADER_TYPE;
	hdr->hardware_subarch = boot_params.hdr.hardware_subarch;
	hdr->cmd_line_ptr = cmdline_addr;
	hdr->ramdisk_image = image->initrd_mem;
	hdr->ramdisk_size = image->initrd_size;
}

/* Maps the stub page at its physical address in the handover page table. */
static void map_stub(struct kexec_boot_arch *arch)
{
	unsigned long addr = page_to_phys(arch->stub);
	pgd_t *pgd = (pgd_t *)page_address(arch->pgd) + pgd_index(addr);
	pud_t *pud = pud_offset(p4d_offset(pgd, addr), addr);
	pmd_t *pmd;

	if (IS_ENABLED(CONFIG_X86_PAE))
		pud_populate(&init_mm, pud, page_address(arch->pmd));
	pmd = pmd_offset(pud, addr);
	pmd_populate_kernel(&init_mm, pmd, page_address(arch->pte));
	set_pte(pte_offset_kernel(pmd, addr),
		pfn_pte(addr >> PAGE_SHIFT, PAGE_KERNEL_EXEC));
}

static int alloc_pages_for(struct kexec_boot_image *image,
			   struct kexec_boot_arch *arch)
{
	struct page **pages[] = {
		&arch->stub, &arch->pgd, &arch->pmd, &arch->pte,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		/* Without PAE the page directory maps page tables directly. */
		if (pages[i] == &arch->pmd && !IS_ENABLED(CONFIG_X86_PAE))
			continue;
		*pages[i] = kexec_boot_alloc_page(image);
		if (!*pages[i])
			return -ENOMEM;
	}
	return 0;
}

static struct kexec_boot_stub_args *stub_args(struct kexec_boot_arch *arch)
{
	return page_address(arch->stub) +
	       (kexec_boot_stub_args - kexec_boot_stub);
}

/**
 * kexec_boot_stub_args_of - the entry registers of @image's stub
 * @image:	an image whose stub page is allocated
 *
 * Return: the argument block a format's prepare step fills in.
 */
struct kexec_boot_stub_args *kexec_boot_stub_args_of(struct kexec_boot_image *image)
{
	return stub_args(image->arch);
}

/**
 * kexec_boot_linux_prepare - boot environment of the 32-bit boot protocol
 * @image:	a Linux image (vmlinux or bzImage) with its stub in place
 *
 * Return: 0, or -ENOMEM.
 */
int kexec_boot_linux_prepare(struct kexec_boot_image *image)
{
	struct kexec_boot_stub_args *args = kexec_boot_stub_args_of(image);
	struct page *params, *cmdline;

	BUILD_BUG_ON(sizeof(struct boot_params) != PAGE_SIZE);
	params = kexec_boot_alloc_page(image);
	cmdline = kexec_boot_alloc_page(image);
	if (!params || !cmdline)
		return -ENOMEM;
	memcpy(page_address(cmdline), image->cmdline, image->cmdline_len);
	fill_boot_params(page_address(params), image, page_to_phys(cmdline));
	args->esi = page_to_phys(params);
	args->eip = image->layout.entry;
	return 0;
}

const struct kexec_boot_format *const kexec_boot_formats[] = {
	&kexec_boot_bzimage,
	&kexec_boot_multiboot,
	&kexec_boot_vmlinux,
	&kexec_boot_elf,
	NULL,
};

int arch_kexec_boot_prepare(struct kexec_boot_image *image)
{
	struct kexec_boot_arch *arch;
	int ret;

	arch = kzalloc(sizeof(*arch), GFP_KERNEL);
	if (!arch)
		return -ENOMEM;
	image->arch = arch;
	ret = alloc_pages_for(image, arch);
	if (ret)
		return ret;
	memcpy(page_address(arch->stub), kexec_boot_stub,
	       kexec_boot_stub_end - kexec_boot_stub);
	map_stub(arch);
	return image->format->prepare(image);
}

void arch_kexec_boot_free(struct kexec_boot_image *image)
{
	/* The pages themselves are the image's handover pages. */
	kfree(image->arch);
}

/**
 * arch_kexec_boot_jump - leave this kernel for the loaded image
 * @image:	the loaded image
 *
 * Runs on the boot CPU after machine_shutdown() stopped the other CPUs and
 * put the APICs back in their boot state.  Switches to the handover page
 * table (the kernel's own half plus the stub at its physical address) and
 * jumps into the stub, which never returns.
 */
void __noreturn arch_kexec_boot_jump(struct kexec_boot_image *image)
{
	struct kexec_boot_arch *arch = image->arch;
	pgd_t *pgd = page_address(arch->pgd);

	local_irq_disable();
	stub_args(arch)->copy_list = image->copy_list;
	clone_pgd_range(pgd + KERNEL_PGD_BOUNDARY,
			swapper_pg_dir + KERNEL_PGD_BOUNDARY, KERNEL_PGD_PTRS);
	native_write_cr3(page_to_phys(arch->pgd));
	asm volatile("jmp *%0" : : "r" ((unsigned long)page_to_phys(arch->stub))
		     : "memory");
	unreachable();
}

/**
 * kexec_boot_acpi_rsdp - where the firmware's ACPI RSDP is
 *
 * Return: its physical address, or 0 if there is none.
 */
u64 kexec_boot_acpi_rsdp(void)
{
	return kexec_boot_rsdp;
}

#ifdef CONFIG_ACPI
/* The RSDP lookup is __init: remember where it is for every later load. */
static int __init kexec_boot_find_rsdp(void)
{
	kexec_boot_rsdp = acpi_os_get_root_pointer();
	return 0;
}
late_initcall(kexec_boot_find_rsdp);
#endif
