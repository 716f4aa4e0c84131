// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot handover on arm64: the formats this machine boots, the
 * check that every other CPU can leave, the stub's page and argument
 * block, the identity map it copies over, and the jump.
 *
 * At load the stub (kexec_boot_stub.S) is copied into a handover page of
 * its own, an identity map of all RAM is built from handover pages (2 MiB
 * blocks; 4 KiB pages and 4 levels only), and the format fills in the
 * registers the image is entered with.  At the reboot machine_shutdown()
 * has taken every other CPU down through CPU hotplug (PSCI CPU_OFF);
 * arch_kexec_boot_jump() masks every interrupt line and stops this CPU's
 * timer, installs the stub's EL2 vectors if the kernel was booted at EL2
 * (nVHE, through the hyp stub), cleans what the new kernel or the stub
 * reads with the MMU off to the point of coherency, installs the identity
 * map in TTBR0 and branches to the stub, which copies through the caches,
 * then turns the MMU off and enters the new kernel.  Without the identity
 * map (other page sizes, RAM above 256 TiB, or the
 * kexec_boot_copy_mmu_off parameter) every page the stub reads is cleaned
 * and it is entered with the MMU off, through the kernel's idmap.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/cacheflush.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/elf.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/irqnr.h>
#include <linux/kexec_boot.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mmu_context.h>
#include <linux/moduleparam.h>
#include <linux/panic.h>
#include <linux/pgtable.h>
#include <linux/reboot.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <asm/cpu_ops.h>
#include <asm/daifflags.h>
#include <asm/kexec_boot.h>
#include <asm/sysreg.h>
#include <asm/virt.h>

/* kexec_boot_mmu_off() called at its physical address. */
typedef void (*mmu_off_t)(phys_addr_t stub);
/* The stub called at its physical address, over the identity map. */
typedef void (*stub_entry_t)(void);

/* The identity map's reach: TTBR0 with a 48-bit T0SZ. */
#define IDMAP_BITS	48

/*
 * 1 (kernel command line kexec_boot_copy_mmu_off=1, or
 * /sys/module/kernel/parameters/kexec_boot_copy_mmu_off): the stub copies
 * with the MMU off, the slow path, for comparison and as a fallback.
 */
static bool copy_mmu_off;
core_param(kexec_boot_copy_mmu_off, copy_mmu_off, bool, 0644);

/* arm64 kernels and any other AArch64 executable. */
const u16 kexec_boot_elf_machines[] = { EM_AARCH64, EM_NONE };

const struct kexec_boot_format *const kexec_boot_formats[] = {
	&kexec_boot_image_format,
	&kexec_boot_elf,
	NULL,
};

/**
 * kexec_boot_arch_of - the machine part's state of @image
 * @image:	the image being loaded
 *
 * A format's load may need it before arch_kexec_boot_prepare() (an
 * inflated Image, the device tree's place): it is allocated on first use.
 *
 * Return: the state, or NULL when memory is exhausted.
 */
struct kexec_boot_arch *kexec_boot_arch_of(struct kexec_boot_image *image)
{
	if (!image->arch)
		image->arch = kzalloc(sizeof(*image->arch), GFP_KERNEL);
	return image->arch;
}

/**
 * kexec_boot_stub_args_of - the entry registers of @image's stub
 * @image:	an image whose stub page is allocated
 *
 * Return: the argument block a format's prepare step fills in.
 */
struct kexec_boot_stub_args *kexec_boot_stub_args_of(struct kexec_boot_image *image)
{
	return page_address(image->arch->stub) +
	       (kexec_boot_stub_args - kexec_boot_stub);
}

/**
 * kexec_boot_check_cpus - can every other CPU be taken offline?
 *
 * The handover runs on one CPU: the others must leave through CPU hotplug
 * (their cpu_die method, PSCI CPU_OFF), not spin in kernel memory that
 * the new kernel overwrites.
 *
 * Return: 0, or -EBUSY (and the reason in the log) when one cannot.
 */
int kexec_boot_check_cpus(void)
{
	const struct cpu_operations *ops;
	unsigned int cpu;

	if (num_possible_cpus() == 1)
		return 0;
	for_each_possible_cpu(cpu) {
		ops = get_cpu_ops(cpu);
		if (!ops || !ops->cpu_die) {
			pr_err("CPU %u cannot be taken offline: its enable method (%s) has no cpu_die; the handover needs every other CPU offline\n",
			       cpu, ops && ops->name ? ops->name : "none");
			return -EBUSY;
		}
		/* The reboot CPU stays: only the others must go offline. */
		if (cpu != reboot_cpu && cpu_online(cpu) && ops->cpu_disable &&
		    ops->cpu_disable(cpu)) {
			pr_err("CPU %u refuses to go offline (%s cpu_disable: e.g. a trusted OS resides on it)\n",
			       cpu, ops->name);
			return -EBUSY;
		}
	}
	if (cpus_are_stuck_in_kernel()) {
		pr_err("a CPU is stuck in the kernel (it failed to go offline before, or pKVM holds them): cannot hand over\n");
		return -EBUSY;
	}
	return 0;
}

static void check_stub_contract(void)
{
	BUILD_BUG_ON(offsetof(struct kexec_boot_stub_args, copy_list) !=
		     KEXEC_BOOT_ARG_COPY_LIST);
	BUILD_BUG_ON(offsetof(struct kexec_boot_stub_args, entry) !=
		     KEXEC_BOOT_ARG_ENTRY);
	BUILD_BUG_ON(offsetof(struct kexec_boot_stub_args, x0) !=
		     KEXEC_BOOT_ARG_X0);
	BUILD_BUG_ON(offsetof(struct kexec_boot_stub_args, x1) !=
		     KEXEC_BOOT_ARG_X1);
	BUILD_BUG_ON(offsetof(struct kexec_boot_stub_args, x2) !=
		     KEXEC_BOOT_ARG_X2);
	BUILD_BUG_ON(offsetof(struct kexec_boot_stub_args, el2) !=
		     KEXEC_BOOT_ARG_EL2);
	BUILD_BUG_ON(offsetof(struct kexec_boot_stub_args, mmu_on) !=
		     KEXEC_BOOT_ARG_MMU_ON);
	BUILD_BUG_ON(sizeof(struct kexec_boot_stub_args) !=
		     KEXEC_BOOT_ARGS_SIZE);
}

/* The table @table[@idx] points to, allocated (zeroed) if none does yet. */
static u64 *next_table(struct kexec_boot_image *image, u64 *table,
		       unsigned int idx)
{
	struct page *page;

	if (!table[idx]) {
		page = kexec_boot_alloc_page(image);
		if (!page)
			return NULL;
		table[idx] = page_to_phys(page) | PMD_TYPE_TABLE;
	}
	return __va(table[idx] & PHYS_MASK & PAGE_MASK);
}

/* Maps the 2 MiB block at @addr at its own address, normal memory, RWX. */
static int map_block(struct kexec_boot_image *image, u64 *pgd, u64 addr)
{
	u64 *pud, *pmd;

	pud = next_table(image, pgd, (addr >> PGDIR_SHIFT) & (PTRS_PER_PGD - 1));
	if (!pud)
		return -ENOMEM;
	pmd = next_table(image, pud, (addr >> PUD_SHIFT) & (PTRS_PER_PUD - 1));
	if (!pmd)
		return -ENOMEM;
	pmd[(addr >> PMD_SHIFT) & (PTRS_PER_PMD - 1)] =
		addr | PROT_SECT_NORMAL_EXEC;
	return 0;
}

/*
 * The identity map of all RAM the stub copies over, from handover pages:
 * no copy overwrites it.  0 with arch->idmap left NULL when this kernel
 * cannot build one (the stub then copies with the MMU off).
 */
static int build_idmap(struct kexec_boot_image *image)
{
	struct kexec_boot_arch *arch = image->arch;
	phys_addr_t start, end;
	struct page *pgd;
	u64 i, addr;
	int ret;

	if (copy_mmu_off || PAGE_SIZE != SZ_4K ||
	    CONFIG_PGTABLE_LEVELS != 4 || PMD_SIZE != SZ_2M)
		return 0;
	for_each_mem_range(i, &start, &end)
		if (end > BIT_ULL(IDMAP_BITS))
			return 0;
	pgd = kexec_boot_alloc_page(image);
	if (!pgd)
		return -ENOMEM;
	for_each_mem_range(i, &start, &end) {
		for (addr = ALIGN_DOWN(start, PMD_SIZE); addr < end;
		     addr += PMD_SIZE) {
			ret = map_block(image, page_address(pgd), addr);
			if (ret)
				return ret;
		}
	}
	arch->idmap = pgd;
	return 0;
}

int arch_kexec_boot_prepare(struct kexec_boot_image *image)
{
	struct kexec_boot_arch *arch = kexec_boot_arch_of(image);
	size_t size = kexec_boot_stub_end - kexec_boot_stub;
	int ret;

	check_stub_contract();
	if (!arch)
		return -ENOMEM;
	/* The segments are in their pages: an inflated Image is done with. */
	vfree(arch->inflated);
	arch->inflated = NULL;
	if (WARN_ON_ONCE(size > PAGE_SIZE))
		return -EINVAL;
	arch->stub = kexec_boot_alloc_page(image);
	if (!arch->stub)
		return -ENOMEM;
	memcpy(page_address(arch->stub), kexec_boot_stub, size);
	ret = build_idmap(image);
	if (ret)
		return ret;
	kexec_boot_stub_args_of(image)->mmu_on = !!arch->idmap;
	/*
	 * Booted at EL2 with the kernel at EL1 (nVHE): the new kernel gets
	 * EL2 too.  A VHE kernel already runs at EL2 and stays there.
	 */
	kexec_boot_stub_args_of(image)->el2 = is_hyp_nvhe();
	return image->format->prepare(image);
}

void arch_kexec_boot_free(struct kexec_boot_image *image)
{
	/* The stub page itself is one of the image's handover pages. */
	if (image->arch)
		vfree(image->arch->inflated);
	kfree(image->arch);
}

/* Every interrupt line masked, one in progress ended at the GIC. */
static void quiesce_irqs(void)
{
	struct irq_chip *chip;
	struct irq_data *data;
	struct irq_desc *desc;
	unsigned int irq;

	for_each_irq_desc(irq, desc) {
		data = irq_desc_get_irq_data(desc);
		chip = irq_data_get_irq_chip(data);
		if (!chip)
			continue;
		if (irqd_irq_inprogress(data) && chip->irq_eoi)
			chip->irq_eoi(data);
		if (chip->irq_mask)
			chip->irq_mask(data);
		else if (chip->irq_disable && !irqd_irq_disabled(data))
			chip->irq_disable(data);
	}
}

/* This CPU's timer off: Linux at EL1 uses the virtual one. */
static void stop_timer(void)
{
	write_sysreg(0, cntv_ctl_el0);
	if (is_kernel_in_hyp_mode())
		write_sysreg(0, cntp_ctl_el0);
	isb();
}

static void clean_page(struct page *page)
{
	unsigned long va = (unsigned long)page_address(page);

	dcache_clean_inval_poc(va, va + PAGE_SIZE);
}

/*
 * What is read with the MMU off must be in memory, not only in a cache:
 * the destinations already in place (the new kernel reads them), the
 * stub's page (its code after the MMU goes off, its EL2 vectors) and, when
 * the stub copies with the MMU off, every page it reads: the copy list
 * and the sources.
 */
static void clean_image(struct kexec_boot_image *image, bool all)
{
	struct page *page;
	unsigned long i;

	for (i = 0; i < image->nr_dest; i++)
		if (all || page_to_phys(image->dest_page[i]) ==
			   image->dest_addr[i])
			clean_page(image->dest_page[i]);
	if (all) {
		list_for_each_entry(page, &image->handover, lru)
			clean_page(page);
	} else {
		clean_page(image->arch->stub);
	}
}

/**
 * arch_kexec_boot_jump - leave this kernel for the loaded image
 * @image:	the loaded image
 *
 * Runs on the reboot CPU after machine_shutdown() took every other CPU
 * offline.  Masks interrupts and every interrupt line, stops the timer,
 * cleans what is read with the MMU off to the point of coherency and
 * enters the stub over its identity map (or with the MMU off); it never
 * returns.
 */
void __noreturn arch_kexec_boot_jump(struct kexec_boot_image *image)
{
	struct kexec_boot_stub_args *args = kexec_boot_stub_args_of(image);
	phys_addr_t stub = page_to_phys(image->arch->stub);
	mmu_off_t mmu_off;

	local_daif_mask();
	if (num_online_cpus() > 1)
		panic("kexec_boot: %u CPUs still online after machine_shutdown()\n",
		      num_online_cpus());
	quiesce_irqs();
	stop_timer();
	args->copy_list = image->copy_list;
	if (args->el2)
		__hyp_set_vectors(stub + KEXEC_BOOT_STUB_EL2_VECTORS);
	if (image->arch->idmap) {
		clean_image(image, false);
		/* Its code was written through the D-cache at load. */
		icache_inval_all_pou();
		cpu_install_ttbr0(page_to_phys(image->arch->idmap),
				  TCR_T0SZ(IDMAP_BITS));
		((stub_entry_t)stub)();
	} else {
		clean_image(image, true);
		cpu_install_idmap();
		mmu_off = (mmu_off_t)__pa_symbol(kexec_boot_mmu_off);
		mmu_off(stub);
	}
	/* The stub never returns. */
	for (;;)
		cpu_relax();
}
