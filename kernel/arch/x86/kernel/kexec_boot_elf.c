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
#include <asm/kexec_boot.h>
#include <uapi/linux/kexec_boot.h>

/*
 * An i386 vmlinux says nothing about it: keep the initrd in its default
 * lowmem.  An x86_64 kernel takes it anywhere.
 */
#define VMLINUX_32_INITRD_LIMIT	0x38000000ULL

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

/* A generic ELF image's environment: the e820 map this kernel honours. */
static const struct kexec_boot_env_source e820_env = {
	.entries = kexec_boot_e820_entries,
	.memory = kexec_boot_e820_env,
	.rsdp = kexec_boot_acpi_rsdp,
};

/* Reserves room for the environment, clear of the image's segments. */
static int elf_load(struct kexec_boot_image *image, const void *buf, u64 len,
		    const struct kexec_boot_ram *ram)
{
	struct kexec_boot_layout *layout = &image->layout;
	int ret;

	ret = kexec_boot_elf_parse(buf, len, layout);
	if (ret)
		return ret;
	ret = kexec_boot_check_layout(layout, ram, addr_limit(layout));
	if (ret)
		return ret;
	layout->initrd_limit = addr_limit(layout);
	return kexec_boot_env_reserve(image, ram, addr_limit(layout),
				      &e820_env);
}

static int elf_prepare(struct kexec_boot_image *image)
{
	struct kexec_boot_stub_args *args = kexec_boot_stub_args_of(image);
	int ret = kexec_boot_env_fill(image, &e820_env);

	if (ret)
		return ret;
	args->eax = KEXEC_BOOT_ENV_MAGIC;
	args->ebx = image->env_mem;
	args->eip = image->layout.entry;
	args->long_mode = image->layout.entry_64;
	return 0;
}

const struct kexec_boot_format kexec_boot_elf = {
	.name = "elf",
	.id = KEXEC_BOOT_FORMAT_ELF,
	.probe = kexec_boot_elf_probe,
	.load = elf_load,
	.prepare = elf_prepare,
};
