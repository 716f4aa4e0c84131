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
#include <asm/kexec_boot.h>
#include <uapi/linux/kexec_boot.h>

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

/* The environment's memory map: memblock's, no-map regions reserved. */
static const struct kexec_boot_env_source memblock_env = {
	.entries = kexec_boot_memblock_entries,
	.memory = kexec_boot_memblock_env,
};

/* Reserves room for the environment and the device tree. */
static int elf_load(struct kexec_boot_image *image, const void *buf, u64 len,
		    const struct kexec_boot_ram *ram)
{
	struct kexec_boot_layout *layout = &image->layout;
	const char *why = elf_probe(buf, len);
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
	ret = kexec_boot_env_reserve(image, ram, KEXEC_BOOT_HANDOVER_LIMIT,
				     &memblock_env);
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
	int ret = kexec_boot_env_fill(image, &memblock_env);

	if (!ret)
		ret = kexec_boot_fdt_write(image);
	if (ret)
		return ret;
	args->entry = image->layout.entry;
	args->x0 = image->env_mem;
	args->x1 = KEXEC_BOOT_ENV_MAGIC;
	args->x2 = image->arch->fdt_mem;
	return 0;
}

const struct kexec_boot_format kexec_boot_elf = {
	.name = "elf",
	.id = KEXEC_BOOT_FORMAT_ELF,
	.probe = elf_probe,
	.load = elf_load,
	.prepare = elf_prepare,
};
