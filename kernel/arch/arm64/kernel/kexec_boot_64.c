// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot handover on arm64: the formats this machine boots, the
 * check that every other CPU can leave, the stub's page and argument
 * block, and the jump.
 *
 * At load the stub (kexec_boot_stub.S) is copied into a handover page of
 * its own and the format fills in the registers the image is entered
 * with.  At the reboot machine_shutdown() has taken every other CPU down
 * through CPU hotplug (PSCI CPU_OFF); arch_kexec_boot_jump() masks every
 * interrupt line and stops this CPU's timer, installs the stub's EL2
 * vectors if the kernel was booted at EL2 (nVHE, through the hyp stub),
 * cleans every page the stub reads to the point of coherency, turns the
 * MMU and caches off through the idmap and branches to the stub, which
 * copies the pages and enters the new kernel.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/elf.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/irqnr.h>
#include <linux/kexec_boot.h>
#include <linux/mm.h>
#include <linux/panic.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/cacheflush.h>
#include <asm/cpu_ops.h>
#include <asm/daifflags.h>
#include <asm/kexec_boot.h>
#include <asm/mmu_context.h>
#include <asm/smp.h>
#include <asm/sysreg.h>
#include <asm/virt.h>

/* kexec_boot_mmu_off() called at its physical address. */
typedef void (*mmu_off_t)(phys_addr_t stub);

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
		if (cpu_online(cpu) && ops->cpu_disable &&
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
	BUILD_BUG_ON(sizeof(struct kexec_boot_stub_args) !=
		     KEXEC_BOOT_ARGS_SIZE);
}

int arch_kexec_boot_prepare(struct kexec_boot_image *image)
{
	struct kexec_boot_arch *arch = kexec_boot_arch_of(image);
	size_t size = kexec_boot_stub_end - kexec_boot_stub;

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
 * With the MMU off the stub reads memory, not the caches: every page it
 * reads (its own, the copy list, the sources) and every destination
 * already in place is cleaned to the point of coherency.
 */
static void clean_image(struct kexec_boot_image *image)
{
	struct page *page;
	unsigned long i;

	for (i = 0; i < image->nr_dest; i++)
		clean_page(image->dest_page[i]);
	list_for_each_entry(page, &image->handover, lru)
		clean_page(page);
}

/**
 * arch_kexec_boot_jump - leave this kernel for the loaded image
 * @image:	the loaded image
 *
 * Runs on the reboot CPU after machine_shutdown() took every other CPU
 * offline.  Masks interrupts and every interrupt line, stops the timer,
 * cleans the image to the point of coherency and enters the stub with the
 * MMU off; it never returns.
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
	clean_image(image);
	cpu_install_idmap();
	mmu_off = (mmu_off_t)__pa_symbol(kexec_boot_mmu_off);
	mmu_off(stub);
	/* The stub never returns. */
	for (;;)
		cpu_relax();
}
