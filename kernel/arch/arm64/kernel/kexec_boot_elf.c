// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot ELF format on arm64: any AArch64 ELF64 executable other than
 * a vmlinux (an arm64 kernel boots as its Image), loaded by its program
 * headers at their physical addresses and entered at e_entry with the MMU
 * and caches off, interrupts masked, at EL2 if this kernel was booted at
 * EL2, else at EL1, with
 *	x0 = the physical address of the OS-neutral boot environment
 *	     (include/uapi/linux/kexec_boot.h: command line, memory map,
 *	     initrd, loader name),
 *	x1 = KEXEC_BOOT_ENV_MAGIC,
 *	x2 = the physical address of the device tree (as an Image gets it),
 *	x3 = 0.
 * Neither the environment nor the device tree overlaps the image's own
 * segments.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/kexec_boot.h>
#include <linux/slab.h>
#include <asm/kexec_boot.h>
#include <uapi/linux/kexec_boot.h>

/* Where the boot environment goes. */
struct elf_env {
	u64 mem;
	u32 size;
};

static const char *elf_probe(const void *buf, u64 len)
{
	const char *why = kexec_boot_elf_probe(buf, len);
	const void *desc;
	u32 desc_len;

	if (why)
		return why;
	if (!kexec_boot_elf_find_note(buf, len, "Linux",
				      KEXEC_BOOT_ELF_NOTE_ANY, &desc,
				      &desc_len))
		return "an arm64 vmlinux: boot its Image (arch/arm64/boot/Image) instead";
	return NULL;
}

/* The facts of the environment; @memory is NULL when only measuring. */
static void env_facts(const struct kexec_boot_image *image,
		      struct kexec_boot_env_memory *memory,
		      struct kexec_boot_env_facts *facts)
{
	*facts = (struct kexec_boot_env_facts){
		.cmdline = image->cmdline,
		.memory = memory,
		.nr_memory = kexec_boot_memblock_entries(),
		.initrd_addr = image->initrd_mem,
		.initrd_size = image->initrd_size,
		.loader = KEXEC_BOOT_LOADER_NAME,
	};
	if (memory)
		kexec_boot_memblock_env(memory, facts->nr_memory);
}

/* Reserves room for the environment and the device tree. */
static int elf_load(struct kexec_boot_image *image, const void *buf, u64 len,
		    const struct kexec_boot_ram *ram)
{
	struct kexec_boot_layout *layout = &image->layout;
	const char *why = elf_probe(buf, len);
	struct kexec_boot_env_facts facts;
	struct elf_env *env;
	int ret;

	/* A forced format (KEXEC_BOOT_FORMAT_ELF) skips the probe. */
	if (why) {
		pr_err("%s\n", why);
		return -ENOEXEC;
	}
	ret = kexec_boot_check_cpus();
	if (ret)
		return ret;
	ret = kexec_boot_elf_parse(buf, len, layout);
	if (ret)
		return ret;
	ret = kexec_boot_check_layout(layout, ram, KEXEC_BOOT_HANDOVER_LIMIT);
	if (ret)
		return ret;
	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	image->format_data = env;
	env_facts(image, NULL, &facts);
	env->size = kexec_boot_env_write(NULL, 0, &facts);
	ret = kexec_boot_place(layout, ram, env->size, PAGE_SIZE,
			       KEXEC_BOOT_HANDOVER_LIMIT, &env->mem);
	if (ret)
		return ret;
	image->env_mem = env->mem;
	ret = kexec_boot_add_segment(layout, NULL, 0, env->mem, env->size);
	if (ret)
		return ret;
	layout->initrd_limit = KEXEC_BOOT_HANDOVER_LIMIT;
	ret = kexec_boot_check_layout(layout, ram, KEXEC_BOOT_HANDOVER_LIMIT);
	if (ret)
		return ret;
	return kexec_boot_fdt_reserve(image, ram, KEXEC_BOOT_HANDOVER_LIMIT);
}

static int elf_prepare(struct kexec_boot_image *image)
{
	struct kexec_boot_stub_args *args = kexec_boot_stub_args_of(image);
	const struct elf_env *env = image->format_data;
	struct kexec_boot_env_memory *memory;
	struct kexec_boot_env_facts facts;
	void *buf;
	int ret = -ENOMEM;

	memory = kcalloc(kexec_boot_memblock_entries(), sizeof(*memory),
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
	ret = kexec_boot_write(image, env->mem, buf, env->size);
	if (!ret)
		ret = kexec_boot_fdt_write(image);
	if (ret)
		goto out;
	args->entry = image->layout.entry;
	args->x0 = env->mem;
	args->x1 = KEXEC_BOOT_ENV_MAGIC;
	args->x2 = image->arch->fdt_mem;
out:
	kfree(buf);
	kfree(memory);
	return ret;
}

const struct kexec_boot_format kexec_boot_elf = {
	.name = "elf",
	.id = KEXEC_BOOT_FORMAT_ELF,
	.probe = elf_probe,
	.load = elf_load,
	.prepare = elf_prepare,
};
