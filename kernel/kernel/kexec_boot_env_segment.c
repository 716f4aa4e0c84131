// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot boot environment as a segment of an image: a generic ELF
 * format reserves room for it among the segments at load, and writes it
 * into that room once the initrd is placed.  The machine part says where
 * its memory map and firmware tables come from.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/kexec_boot.h>
#include <linux/slab.h>
#include <uapi/linux/kexec_boot.h>

/* The facts of @image's environment; @memory (@n entries) may be NULL. */
static void env_facts(const struct kexec_boot_image *image,
		      const struct kexec_boot_env_source *src,
		      struct kexec_boot_env_memory *memory, u32 n,
		      struct kexec_boot_env_facts *facts)
{
	*facts = (struct kexec_boot_env_facts){
		.cmdline = image->cmdline,
		.memory = memory,
		.nr_memory = n,
		.initrd_addr = image->initrd_mem,
		.initrd_size = image->initrd_size,
		.rsdp = src->rsdp ? src->rsdp() : 0,
		.loader = KEXEC_BOOT_LOADER_NAME,
	};
	if (memory)
		src->memory(memory, n);
}

/**
 * kexec_boot_env_reserve - reserve room for the boot environment
 * @image:	the image being loaded, its own segments added
 * @ram:	usable RAM
 * @limit:	the environment must end at or below this address
 * @src:	where the machine part's facts come from
 *
 * Return: 0, -ENOSPC, or what kexec_boot_add_segment() returns.
 */
int kexec_boot_env_reserve(struct kexec_boot_image *image,
			   const struct kexec_boot_ram *ram, u64 limit,
			   const struct kexec_boot_env_source *src)
{
	struct kexec_boot_env_facts facts;
	u64 mem;
	u32 size;
	int ret;

	env_facts(image, src, NULL, src->entries(), &facts);
	size = kexec_boot_env_write(NULL, 0, &facts);
	ret = kexec_boot_place(&image->layout, ram, size, PAGE_SIZE, limit,
			       &mem);
	if (ret)
		return ret;
	image->env_mem = mem;
	image->env_size = size;
	return kexec_boot_add_segment(&image->layout, NULL, 0, mem, size);
}

/**
 * kexec_boot_env_fill - write the boot environment into its room
 * @image:	the image, its environment reserved and its pages allocated
 * @src:	the same source as kexec_boot_env_reserve() had
 *
 * Return: 0, -ENOMEM, or -EAGAIN when the memory map changed size since
 * the room was reserved.
 */
int kexec_boot_env_fill(struct kexec_boot_image *image,
			const struct kexec_boot_env_source *src)
{
	struct kexec_boot_env_memory *memory;
	struct kexec_boot_env_facts facts;
	u32 n = src->entries();
	void *buf;
	int ret = -ENOMEM;

	memory = kcalloc(n, sizeof(*memory), GFP_KERNEL);
	buf = kzalloc(image->env_size, GFP_KERNEL);
	if (!memory || !buf)
		goto out;
	env_facts(image, src, memory, n, &facts);
	ret = -EAGAIN;
	if (kexec_boot_env_write(buf, image->env_size, &facts) !=
	    image->env_size) {
		pr_err("the memory map changed during the load\n");
		goto out;
	}
	ret = kexec_boot_write(image, image->env_mem, buf, image->env_size);
out:
	kfree(buf);
	kfree(memory);
	return ret;
}
