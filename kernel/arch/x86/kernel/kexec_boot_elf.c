// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot ELF formats on x86: a vmlinux, and any other ELF executable.
 *
 * A vmlinux is told apart by its "Linux" ELF notes and is entered through
 * the Linux boot protocol of its class, like a bzImage: an ELF32 (i386)
 * vmlinux at e_entry in 32-bit protected mode, an ELF64 (x86_64) one at
 * its physical e_entry (startup_64) in 64-bit mode on the identity map.
 * Any other executable is loaded by its program headers and entered at
 * e_entry, ELF32 in 32-bit protected mode with paging off, ELF64 in 64-bit
 * mode on the identity map, interrupts off, flat segments at
 * __BOOT_CS/__BOOT_DS, with %eax = KEXEC_BOOT_ENV_MAGIC and %ebx (%rbx) =
 * the physical address of the OS-neutral boot environment
 * (include/uapi/linux/kexec_boot.h), which the image's own segments never
 * overlap.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/kexec_boot.h>
#include <linux/slab.h>
#include <asm/kexec_boot.h>
#include <uapi/linux/kexec_boot.h>

/*
 * An i386 vmlinux says nothing about it: keep the initrd in its default
 * lowmem.  An x86_64 kernel takes it anywhere.
 */
#define VMLINUX_32_INITRD_LIMIT	0x38000000ULL

/* Where the boot environment of a generic ELF image goes. */
struct elf_env {
	u64 mem;
	u32 size;
};

static const char *vmlinux_probe(const void *buf, u64 len)
{
	const char *why = kexec_boot_elf_probe(buf, len);
	const void *desc;
	u32 desc_len;

	if (why)
		return why;
	if (kexec_boot_elf_find_note(buf, len, "Linux",
				     KEXEC_BOOT_ELF_NOTE_ANY, &desc, &desc_len))
		return "an ELF executable without \"Linux\" notes";
	return NULL;
}

/* Where an image entered in the mode its class says can have its pieces. */
static u64 addr_limit(const struct kexec_boot_layout *layout)
{
	return layout->entry_64 ? KEXEC_BOOT_HANDOVER_LIMIT :
				  KEXEC_BOOT_32BIT_LIMIT;
}

static int vmlinux_load(struct kexec_boot_image *image, const void *buf,
			u64 len, const struct kexec_boot_ram *ram)
{
	struct kexec_boot_layout *layout = &image->layout;
	int ret;

	ret = kexec_boot_elf_parse(buf, len, layout);
	if (ret)
		return ret;
	layout->initrd_limit = layout->entry_64 ? KEXEC_BOOT_HANDOVER_LIMIT :
						  VMLINUX_32_INITRD_LIMIT;
	return kexec_boot_check_layout(layout, ram, addr_limit(layout));
}

const struct kexec_boot_format kexec_boot_vmlinux = {
	.name = "vmlinux",
	.id = KEXEC_BOOT_FORMAT_VMLINUX,
	.probe = vmlinux_probe,
	.load = vmlinux_load,
	.prepare = kexec_boot_linux_prepare,
};

/* The facts of the environment; @memory is NULL when only measuring. */
static void env_facts(const struct kexec_boot_image *image,
		      struct kexec_boot_env_memory *memory,
		      struct kexec_boot_env_facts *facts)
{
	*facts = (struct kexec_boot_env_facts){
		.cmdline = image->cmdline,
		.memory = memory,
		.nr_memory = kexec_boot_e820_entries(),
		.initrd_addr = image->initrd_mem,
		.initrd_size = image->initrd_size,
		.rsdp = kexec_boot_acpi_rsdp(),
		.loader = KEXEC_BOOT_LOADER_NAME,
	};
	if (memory)
		kexec_boot_e820_env(memory, facts->nr_memory);
}

/* Reserves room for the environment, clear of the image's segments. */
static int elf_load(struct kexec_boot_image *image, const void *buf, u64 len,
		    const struct kexec_boot_ram *ram)
{
	struct kexec_boot_layout *layout = &image->layout;
	struct kexec_boot_env_facts facts;
	struct elf_env *env;
	int ret;

	ret = kexec_boot_elf_parse(buf, len, layout);
	if (ret)
		return ret;
	ret = kexec_boot_check_layout(layout, ram, addr_limit(layout));
	if (ret)
		return ret;
	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	image->format_data = env;
	env_facts(image, NULL, &facts);
	env->size = kexec_boot_env_write(NULL, 0, &facts);
	ret = kexec_boot_place(layout, ram, env->size, PAGE_SIZE,
			       addr_limit(layout), &env->mem);
	if (ret)
		return ret;
	layout->initrd_limit = addr_limit(layout);
	image->env_mem = env->mem;
	return kexec_boot_add_segment(layout, NULL, 0, env->mem, env->size);
}

static int elf_prepare(struct kexec_boot_image *image)
{
	struct kexec_boot_stub_args *args = kexec_boot_stub_args_of(image);
	const struct elf_env *env = image->format_data;
	struct kexec_boot_env_memory *memory;
	struct kexec_boot_env_facts facts;
	void *buf;
	int ret = -ENOMEM;

	memory = kcalloc(kexec_boot_e820_entries(), sizeof(*memory),
			 GFP_KERNEL);
	buf = kzalloc(env->size, GFP_KERNEL);
	if (!memory || !buf)
		goto out;
	env_facts(image, memory, &facts);
	ret = -EAGAIN;
	if (kexec_boot_env_write(buf, env->size, &facts) != env->size) {
		pr_err("the memory map changed during the load\n");
		goto out;
	}
	kexec_boot_write(image, env->mem, buf, env->size);
	args->eax = KEXEC_BOOT_ENV_MAGIC;
	args->ebx = env->mem;
	args->eip = image->layout.entry;
	args->long_mode = image->layout.entry_64;
	ret = 0;
out:
	kfree(buf);
	kfree(memory);
	return ret;
}

const struct kexec_boot_format kexec_boot_elf = {
	.name = "elf",
	.id = KEXEC_BOOT_FORMAT_ELF,
	.probe = kexec_boot_elf_probe,
	.load = elf_load,
	.prepare = elf_prepare,
};
