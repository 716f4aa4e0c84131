// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot ELF formats on 32-bit x86: a vmlinux, and any other ELF32
 * executable.
 *
 * A vmlinux is told apart by its "Linux" ELF notes and is entered through
 * the 32-bit Linux boot protocol, like a bzImage.  Any other executable is
 * loaded by its program headers and entered at e_entry in 32-bit protected
 * mode, paging off, interrupts off, flat segments at __BOOT_CS/__BOOT_DS,
 * with %eax = KEXEC_BOOT_ENV_MAGIC and %ebx = the physical address of the
 * OS-neutral boot environment (include/uapi/linux/kexec_boot.h), which the
 * image's own segments never overlap.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/kexec_boot.h>
#include <linux/slab.h>
#include <asm/e820/api.h>
#include <asm/kexec_boot.h>
#include <uapi/linux/kexec_boot.h>

/* A vmlinux says nothing about it: keep the initrd in the default lowmem. */
#define VMLINUX_INITRD_LIMIT	0x38000000ULL
/* The stub enters with paging off: everything stays below 4 GiB. */
#define ELF_ADDR_LIMIT		(U32_MAX + 1ULL)

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

static int vmlinux_load(struct kexec_boot_image *image, const void *buf,
			u64 len, const struct kexec_boot_ram *ram)
{
	image->layout.initrd_limit = VMLINUX_INITRD_LIMIT;
	return kexec_boot_elf_parse(buf, len, &image->layout);
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
	const struct e820_entry *entry;
	u32 i;

	*facts = (struct kexec_boot_env_facts){
		.cmdline = image->cmdline,
		.memory = memory,
		.nr_memory = e820_table_firmware->nr_entries,
		.initrd_addr = image->initrd_mem,
		.initrd_size = image->initrd_size,
		.rsdp = kexec_boot_acpi_rsdp(),
		.loader = KEXEC_BOOT_LOADER_NAME,
	};
	for (i = 0; memory && i < facts->nr_memory; i++) {
		entry = &e820_table_firmware->entries[i];
		memory[i] = (struct kexec_boot_env_memory){
			.addr = entry->addr,
			.size = entry->size,
			.type = entry->type,
		};
	}
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
	ret = kexec_boot_check_layout(layout, ram, ELF_ADDR_LIMIT);
	if (ret)
		return ret;
	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	image->format_data = env;
	env_facts(image, NULL, &facts);
	env->size = kexec_boot_env_write(NULL, 0, &facts);
	ret = kexec_boot_place(layout, ram, env->size, PAGE_SIZE,
			       ELF_ADDR_LIMIT, &env->mem);
	if (ret)
		return ret;
	layout->initrd_limit = ELF_ADDR_LIMIT;
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

	memory = kcalloc(e820_table_firmware->nr_entries, sizeof(*memory),
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
