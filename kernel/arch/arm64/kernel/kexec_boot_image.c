// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot arm64 Image format (Documentation/arch/arm64/booting.rst):
 * the Image, an Image.gz and an EFI zboot image (vmlinuz.efi) with a gzip
 * payload, both inflated here with zlib into the Image they hold.
 *
 * The 64-byte header says how far from a 2 MiB aligned base the kernel
 * starts (text_offset), how much memory it needs from there (image_size,
 * bss included) and its flags: endianness, page size, and whether it may
 * be placed anywhere in RAM (then where its pages can be taken in place,
 * else as high as possible; otherwise as low as possible).  The kernel is
 * one segment at base + text_offset, entered there with x0 = its device
 * tree (kexec_boot_fdt.c), x1 = x2 = x3 = 0.  Its initrd must lie in the
 * 32 GiB window from the 1 GiB boundary below the kernel.
 */
#define pr_fmt(fmt) "kexec_boot: Image: " fmt

#include <linux/cpufeature.h>
#include <linux/kexec_boot.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>
#include <linux/zlib.h>
#include <asm/image.h>
#include <asm/kexec_boot.h>
#include <asm/memory.h>
#include <uapi/linux/kexec_boot.h>

/* The base is 2 MiB aligned (MIN_KIMG_ALIGN). */
#define IMAGE_ALIGN		SZ_2M
/* The initrd's window: from the 1 GiB boundary below the kernel, 32 GiB. */
#define INITRD_WINDOW_ALIGN	SZ_1G
#define INITRD_WINDOW		SZ_32G
/* Largest inflated Image taken. */
#define INFLATED_MAX		SZ_512M

#define GZIP_MAGIC0		0x1f
#define GZIP_MAGIC1		0x8b
#define GZIP_DEFLATE		8
#define GZIP_FHCRC		0x02
#define GZIP_FEXTRA		0x04
#define GZIP_FNAME		0x08
#define GZIP_FCOMMENT		0x10
#define GZIP_FRESERVED		0xe0
#define GZIP_HEADER		10
#define GZIP_TRAILER		8

/* EFI zboot (drivers/firmware/efi/libstub/zboot-header.S). */
#define ZBOOT_TYPE_OFFSET	4
#define ZBOOT_PAYLOAD_OFFSET	8
#define ZBOOT_PAYLOAD_SIZE	12
#define ZBOOT_COMP_TYPE		0x18
#define ZBOOT_HEADER		0x40

static bool is_gzip(const u8 *buf, u64 len)
{
	return len >= GZIP_HEADER + GZIP_TRAILER && buf[0] == GZIP_MAGIC0 &&
	       buf[1] == GZIP_MAGIC1;
}

static bool is_zboot(const u8 *buf, u64 len)
{
	return len >= ZBOOT_HEADER && buf[0] == 'M' && buf[1] == 'Z' &&
	       !memcmp(buf + ZBOOT_TYPE_OFFSET, "zimg", 4);
}

static const char *image_probe(const void *buf, u64 len)
{
	struct arm64_image_header hdr;

	if (is_gzip(buf, len) || is_zboot(buf, len))
		return NULL;
	if (len < sizeof(hdr))
		return "shorter than an arm64 Image header";
	memcpy(&hdr, buf, sizeof(hdr));
	if (memcmp(&hdr.magic, ARM64_IMAGE_MAGIC, sizeof(hdr.magic)))
		return "no \"ARM\\x64\" magic at 0x38, not gzip, not EFI zboot";
	return NULL;
}

/* Where the deflate data of a gzip member starts, 0 if it is malformed. */
static u64 gzip_data(const u8 *buf, u64 len)
{
	u64 pos = GZIP_HEADER;
	u8 flags = buf[3];

	if (buf[2] != GZIP_DEFLATE || (flags & GZIP_FRESERVED)) {
		pr_err("gzip: method %u, flags %#x: not a deflate stream this loader reads\n",
		       buf[2], flags);
		return 0;
	}
	if (flags & GZIP_FEXTRA)
		pos += 2 + (buf[pos] | (buf[pos + 1] << 8));
	if (flags & GZIP_FNAME)
		while (pos < len && buf[pos++])
			;
	if (flags & GZIP_FCOMMENT)
		while (pos < len && buf[pos++])
			;
	if (flags & GZIP_FHCRC)
		pos += 2;
	if (pos >= len - GZIP_TRAILER) {
		pr_err("gzip: the header runs past the data\n");
		return 0;
	}
	return pos;
}

/* Inflates one gzip member into a vmalloc'ed buffer (*@out). */
static int inflate(struct kexec_boot_arch *arch, const u8 *buf, u64 len,
		   const char *what, const void **out, u64 *out_len)
{
	struct z_stream_s strm = { };
	u64 data = gzip_data(buf, len);
	u32 size;
	int ret;

	if (!data)
		return -ENOEXEC;
	size = get_unaligned_le32(buf + len - 4);
	if (size < sizeof(struct arm64_image_header) || size > INFLATED_MAX) {
		pr_err("%s: inflated size %u is not that of a kernel (64 bytes to %u MiB)\n",
		       what, size, INFLATED_MAX >> 20);
		return -ENOEXEC;
	}
	arch->inflated = vmalloc(size);
	strm.workspace = vmalloc(zlib_inflate_workspacesize());
	ret = -ENOMEM;
	if (!arch->inflated || !strm.workspace)
		goto out;
	strm.next_in = buf + data;
	strm.avail_in = len - data;
	strm.next_out = arch->inflated;
	strm.avail_out = size;
	ret = zlib_inflateInit2(&strm, -MAX_WBITS);
	if (ret != Z_OK) {
		ret = -ENOMEM;
		goto out;
	}
	ret = zlib_inflate(&strm, Z_FINISH);
	zlib_inflateEnd(&strm);
	if (ret != Z_STREAM_END || strm.total_out != size) {
		pr_err("%s: corrupt deflate data (zlib %d after %lu of %u bytes)\n",
		       what, ret, strm.total_out, size);
		ret = -ENOEXEC;
		goto out;
	}
	*out = arch->inflated;
	*out_len = size;
	ret = 0;
out:
	vfree(strm.workspace);
	return ret;
}

/* An EFI zboot image: the gzip payload its header points to. */
static int inflate_zboot(struct kexec_boot_arch *arch, const u8 *buf, u64 len,
			 const void **out, u64 *out_len)
{
	u32 off = get_unaligned_le32(buf + ZBOOT_PAYLOAD_OFFSET);
	u32 size = get_unaligned_le32(buf + ZBOOT_PAYLOAD_SIZE);
	char comp[8];

	strscpy(comp, buf + ZBOOT_COMP_TYPE, sizeof(comp));
	if (strcmp(comp, "gzip")) {
		pr_err("EFI zboot: %s payload, only gzip is inflated here\n",
		       comp);
		return -ENOEXEC;
	}
	if ((u64)off + size > len || !is_gzip(buf + off, size)) {
		pr_err("EFI zboot: payload at %u+%u is past the file end %llu or not gzip\n",
		       off, size, len);
		return -ENOEXEC;
	}
	return inflate(arch, buf + off, size, "EFI zboot", out, out_len);
}

/* The page sizes the image runs with that this CPU has. */
static int check_page_size(unsigned int field)
{
	static const char *const names[] = { "", "4 KiB", "16 KiB", "64 KiB" };
	bool ok;

	switch (field) {
	case ARM64_IMAGE_FLAG_PAGE_SIZE_4K:
		ok = system_supports_4kb_granule();
		break;
	case ARM64_IMAGE_FLAG_PAGE_SIZE_16K:
		ok = system_supports_16kb_granule();
		break;
	case ARM64_IMAGE_FLAG_PAGE_SIZE_64K:
		ok = system_supports_64kb_granule();
		break;
	default:
		return 0;	/* unspecified */
	}
	if (ok)
		return 0;
	pr_err("the kernel runs with %s pages, which this CPU does not support\n",
	       names[field]);
	return -ENOEXEC;
}

static int check_header(const struct arm64_image_header *hdr, u64 len)
{
	u64 flags = le64_to_cpu(hdr->flags);
	u64 image_size = le64_to_cpu(hdr->image_size);
	u64 text_offset = le64_to_cpu(hdr->text_offset);

	if (memcmp(&hdr->magic, ARM64_IMAGE_MAGIC, sizeof(hdr->magic))) {
		pr_err("no \"ARM\\x64\" magic at 0x38\n");
		return -ENOEXEC;
	}
	if (arm64_image_flag_field(flags, ARM64_IMAGE_FLAG_BE)) {
		pr_err("a big-endian kernel (flags bit 0): only little-endian ones are booted\n");
		return -ENOEXEC;
	}
	if (!image_size) {
		pr_err("image_size 0: a kernel older than 3.17, its text_offset and size are unknown\n");
		return -ENOEXEC;
	}
	if (len > image_size) {
		pr_err("the file of %llu bytes is larger than its image_size %llu\n",
		       len, image_size);
		return -ENOEXEC;
	}
	if (text_offset >= IMAGE_ALIGN || !IS_ALIGNED(text_offset, PAGE_SIZE)) {
		pr_err("text_offset %#llx is not a page multiple below 2 MiB\n",
		       text_offset);
		return -ENOEXEC;
	}
	return check_page_size(arm64_image_flag_field(flags,
					ARM64_IMAGE_FLAG_PAGE_SIZE));
}

/* The lowest 2 MiB aligned base with @size bytes of RAM from it. */
static int place_low(const struct kexec_boot_ram *ram, u64 size, u64 *base)
{
	unsigned int i;
	u64 start;

	for (i = 0; i < ram->nr; i++) {
		start = ALIGN(ram->start[i], IMAGE_ALIGN);
		if (start >= ram->start[i] && start < ram->end[i] &&
		    ram->end[i] - start >= size) {
			*base = start;
			return 0;
		}
	}
	pr_err("no 2 MiB aligned RAM holds the kernel's %llu bytes\n", size);
	return -ENOSPC;
}

/*
 * A kernel that runs from any 2 MiB aligned base: the highest where its
 * pages can be claimed in place (its bytes then written there at load and
 * not copied at the handover), else the highest free one.  Claims start at
 * the base, which must then be the first destination: text_offset 0.
 */
static int place_anywhere(struct kexec_boot_image *image,
			  const struct kexec_boot_ram *ram, u64 text_offset,
			  u64 image_size, u64 *base)
{
	const struct kexec_boot_where where = {
		.size = image_size, .data = image_size, .align = IMAGE_ALIGN,
		.limit = KEXEC_BOOT_HANDOVER_LIMIT,
	};

	if (!text_offset && kexec_boot_place_in_place(image, ram, &where, base))
		return 0;
	return kexec_boot_place(&image->layout, ram, text_offset + image_size,
				IMAGE_ALIGN, KEXEC_BOOT_HANDOVER_LIMIT, base);
}

static int image_load(struct kexec_boot_image *image, const void *buf,
		      u64 len, const struct kexec_boot_ram *ram)
{
	struct kexec_boot_layout *layout = &image->layout;
	struct kexec_boot_arch *arch = kexec_boot_arch_of(image);
	struct arm64_image_header hdr;
	u64 text_offset, image_size, flags, base;
	int ret;

	if (!arch)
		return -ENOMEM;
	ret = kexec_boot_check_cpus();
	if (ret)
		return ret;
	if (is_zboot(buf, len))
		ret = inflate_zboot(arch, buf, len, &buf, &len);
	else if (is_gzip(buf, len))
		ret = inflate(arch, buf, len, "gzip", &buf, &len);
	if (ret)
		return ret;
	if (len < sizeof(hdr)) {
		pr_err("%llu bytes, shorter than an arm64 Image header\n", len);
		return -ENOEXEC;
	}
	memcpy(&hdr, buf, sizeof(hdr));
	ret = check_header(&hdr, len);
	if (ret)
		return ret;
	text_offset = le64_to_cpu(hdr.text_offset);
	image_size = le64_to_cpu(hdr.image_size);
	flags = le64_to_cpu(hdr.flags);

	/*
	 * Placed anywhere: as high as possible where its pages can be taken
	 * in place, else as high as possible.  Otherwise as low as
	 * possible: the memory below it is not mapped.
	 */
	if (arm64_image_flag_field(flags, ARM64_IMAGE_FLAG_PHYS_BASE))
		ret = place_anywhere(image, ram, text_offset, image_size,
				     &base);
	else
		ret = place_low(ram, text_offset + image_size, &base);
	if (ret)
		return ret;
	ret = kexec_boot_add_segment(layout, buf, len, base + text_offset,
				     image_size);
	if (ret)
		return ret;
	layout->entry = base + text_offset;
	layout->entry_64 = true;
	layout->initrd_limit = ALIGN_DOWN(base, INITRD_WINDOW_ALIGN) +
			       INITRD_WINDOW;
	ret = kexec_boot_check_layout(layout, ram, KEXEC_BOOT_HANDOVER_LIMIT);
	if (ret)
		return ret;
	return kexec_boot_fdt_reserve(image, ram, KEXEC_BOOT_HANDOVER_LIMIT);
}

static int image_prepare(struct kexec_boot_image *image)
{
	struct kexec_boot_stub_args *args = kexec_boot_stub_args_of(image);
	int ret;

	ret = kexec_boot_fdt_write(image);
	if (ret)
		return ret;
	args->entry = image->layout.entry;
	args->x0 = image->arch->fdt_mem;
	args->x1 = 0;
	args->x2 = 0;
	return 0;
}

const struct kexec_boot_format kexec_boot_image_format = {
	.name = "Image",
	.id = KEXEC_BOOT_FORMAT_IMAGE,
	.probe = image_probe,
	.load = image_load,
	.prepare = image_prepare,
};
