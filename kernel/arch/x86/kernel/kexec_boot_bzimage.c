// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot bzImage format: the Linux/x86 boot protocol's image
 * (Documentation/arch/x86/boot.rst).  On x86_64 an image with a 64-bit
 * entry (XLF_KERNEL_64) is entered there, at its load address + 0x200, in
 * 64-bit mode; otherwise (an i386 kernel, or any bzImage booted from
 * i386) at its 32-bit entry, the load address, in protected mode.
 *
 * The setup header at 0x1f1 says where the protected-mode kernel starts in
 * the file ((setup_sects + 1) * 512), where it may be loaded and how much
 * memory it needs while it decompresses itself (init_size from its runtime
 * start).  The real-mode setup code is not used: the header goes into
 * boot_params and the kernel starts in protected mode.
 */
#define pr_fmt(fmt) "kexec_boot: bzImage: " fmt

#include <linux/kexec_boot.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/bootparam.h>
#include <asm/kexec_boot.h>
#include <uapi/linux/kexec_boot.h>

#define SETUP_HEADER_OFFSET	0x1f1
/* The header ends at 0x202 + the byte at 0x201 (the jump's offset). */
#define SETUP_HEADER_JUMP	0x201
#define SECTOR_SIZE		512
/* init_size and pref_address appeared in boot protocol 2.10. */
#define MIN_PROTOCOL		0x020a
/* Where a kernel that cannot be relocated expects its protected-mode part. */
#define LEGACY_LOAD_ADDR	0x100000
/* The 64-bit entry point's offset from the load address. */
#define ENTRY_64_OFFSET		0x200
/*
 * An i386 kernel decompresses itself where it runs, and its decompressor
 * refuses to run above its lowmem (boot/compressed/misc.c: "Destination
 * address too large"): about 896 MiB with the default 3G/1G split.
 */
#define I386_RUN_LIMIT		0x38000000ULL

static const char *bzimage_probe(const void *buf, u64 len)
{
	struct setup_header hdr;

	if (len < SETUP_HEADER_OFFSET + sizeof(hdr))
		return "shorter than a setup header";
	memcpy(&hdr, buf + SETUP_HEADER_OFFSET, sizeof(hdr));
	if (hdr.boot_flag != 0xaa55)
		return "no boot flag 0xaa55 at 0x1fe";
	if (hdr.header != KEXEC_BOOT_HDRS)
		return "no \"HdrS\" signature at 0x202";
	return NULL;
}

static int check_header(const struct setup_header *hdr, u64 len,
			u64 *pm_offset)
{
	unsigned int sects = hdr->setup_sects ? hdr->setup_sects : 4;

	if (hdr->version < MIN_PROTOCOL) {
		pr_err("boot protocol %u.%02u is too old, 2.10 or later is needed\n",
		       hdr->version >> 8, hdr->version & 0xff);
		return -ENOEXEC;
	}
	if (!(hdr->loadflags & LOADED_HIGH)) {
		pr_err("a zImage (loaded low) cannot be booted, only a bzImage\n");
		return -ENOEXEC;
	}
	*pm_offset = (u64)(sects + 1) * SECTOR_SIZE;
	if (*pm_offset >= len) {
		pr_err("setup_sects %u puts the kernel at %llu, past the file end %llu\n",
		       hdr->setup_sects, *pm_offset, len);
		return -ENOEXEC;
	}
	if (hdr->relocatable_kernel && (hdr->kernel_alignment < PAGE_SIZE ||
					!is_power_of_2(hdr->kernel_alignment))) {
		pr_err("kernel_alignment %#x is not a power of two >= %lu\n",
		       hdr->kernel_alignment, PAGE_SIZE);
		return -ENOEXEC;
	}
	return 0;
}

/* Keeps the header for boot_params; the image defines its length. */
static int keep_header(struct kexec_boot_image *image, const void *buf)
{
	struct kexec_boot_setup_header *kept;
	size_t len;

	len = SETUP_HEADER_JUMP + 1 + *(const u8 *)(buf + SETUP_HEADER_JUMP) -
	      SETUP_HEADER_OFFSET;
	len = min(len, sizeof(struct setup_header));
	kept = kmalloc(struct_size(kept, bytes, len), GFP_KERNEL);
	if (!kept)
		return -ENOMEM;
	kept->len = len;
	memcpy(kept->bytes, buf + SETUP_HEADER_OFFSET, len);
	image->format_data = kept;
	return 0;
}

/* Whether the kernel, its initrd and command line may lie above 4 GiB. */
static bool above_4g(const struct setup_header *hdr, bool entry_64)
{
	return entry_64 && (hdr->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G);
}

/* How far up the image may be loaded. */
static u64 run_limit(const struct setup_header *hdr, bool entry_64)
{
	if (!(hdr->xloadflags & XLF_KERNEL_64))
		return I386_RUN_LIMIT;
	if (above_4g(hdr, entry_64))
		return KEXEC_BOOT_HANDOVER_LIMIT;
	return KEXEC_BOOT_32BIT_LIMIT;
}

/*
 * A relocatable kernel runs where it is loaded: in free memory the
 * allocator hands over in place, so that its pages are written where they
 * run and the handover copies none; else at pref_address when that RAM is
 * there, else at the highest aligned RAM with init_size bytes below
 * @limit.  Never below pref_address: the decompressor would move itself up
 * there, into memory nobody reserved for it.
 */
static int place_relocatable(struct kexec_boot_image *image,
			     const struct setup_header *hdr,
			     const struct kexec_boot_ram *ram, u64 size,
			     u64 data, u64 limit, u64 *addr)
{
	struct kexec_boot_where where = {
		.size = size, .data = data, .align = hdr->kernel_alignment,
		.start = hdr->pref_address, .limit = limit,
	};
	int ret;

	if (kexec_boot_place_in_place(image, ram, &where, addr))
		return 0;
	if (IS_ALIGNED(hdr->pref_address, hdr->kernel_alignment) &&
	    kexec_boot_ram_contains(ram, hdr->pref_address,
				    hdr->pref_address + size)) {
		*addr = hdr->pref_address;
		return 0;
	}
	ret = kexec_boot_place(&image->layout, ram, size,
			       hdr->kernel_alignment, limit, addr);
	if (!ret && *addr < hdr->pref_address) {
		pr_err("no RAM between pref_address %#llx and %#llx holds its %llu bytes\n",
		       hdr->pref_address, limit, size);
		return -ENOSPC;
	}
	return ret;
}

static int bzimage_load(struct kexec_boot_image *image, const void *buf,
			u64 len, const struct kexec_boot_ram *ram)
{
	struct kexec_boot_layout *layout = &image->layout;
	struct setup_header hdr;
	const char *why = bzimage_probe(buf, len);
	u64 pm_offset, pm_size, runtime_size, addr, limit;
	bool entry_64;
	int ret;

	/* A forced format (KEXEC_BOOT_FORMAT_BZIMAGE) skips the probe. */
	if (why) {
		pr_err("%s\n", why);
		return -ENOEXEC;
	}
	memcpy(&hdr, buf + SETUP_HEADER_OFFSET, sizeof(hdr));
	ret = check_header(&hdr, len, &pm_offset);
	if (ret)
		return ret;
	if (hdr.cmdline_size && image->cmdline_len - 1 > hdr.cmdline_size) {
		pr_err("command line of %zu bytes exceeds the kernel's cmdline_size %u\n",
		       image->cmdline_len - 1, hdr.cmdline_size);
		return -E2BIG;
	}
	pm_size = len - pm_offset;
	runtime_size = max_t(u64, hdr.init_size, pm_size);
	entry_64 = IS_ENABLED(CONFIG_X86_64) && (hdr.xloadflags & XLF_KERNEL_64);
	limit = run_limit(&hdr, entry_64);

	if (hdr.relocatable_kernel) {
		/* It decompresses itself in place: all of it is one segment. */
		ret = place_relocatable(image, &hdr, ram, runtime_size, pm_size,
					limit, &addr);
		if (ret)
			return ret;
		ret = kexec_boot_add_segment(layout, buf + pm_offset, pm_size,
					     addr, runtime_size);
	} else {
		/* Loaded at 1 MiB, it decompresses to pref_address. */
		addr = LEGACY_LOAD_ADDR;
		ret = kexec_boot_add_segment(layout, buf + pm_offset, pm_size,
					     addr, pm_size);
		if (!ret)
			ret = kexec_boot_add_segment(layout, NULL, 0,
						     hdr.pref_address,
						     runtime_size);
	}
	if (ret)
		return ret;
	layout->segment[layout->nr_segments - 1].scratch = true;
	layout->entry = addr + (entry_64 ? ENTRY_64_OFFSET : 0);
	layout->entry_64 = entry_64;
	layout->initrd_limit = above_4g(&hdr, entry_64) ?
			       KEXEC_BOOT_HANDOVER_LIMIT :
			       (u64)hdr.initrd_addr_max + 1;
	ret = kexec_boot_check_layout(layout, ram, limit);
	if (ret)
		return ret;
	return keep_header(image, buf);
}

const struct kexec_boot_format kexec_boot_bzimage = {
	.name = "bzImage",
	.id = KEXEC_BOOT_FORMAT_BZIMAGE,
	.probe = bzimage_probe,
	.load = bzimage_load,
	.prepare = kexec_boot_linux_prepare,
};
