// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot Multiboot v1 format: kernels that follow the GNU Multiboot
 * specification (BSDs, hypervisors, test kernels).
 *
 * The header lies 4-byte aligned in the first 8 KiB.  With flag 16 its
 * address fields say what to load where; otherwise the image must be an
 * ELF executable and its program headers do.  The kernel is entered with
 * EAX = 0x2BADB002 and EBX = the physical address of a multiboot_info
 * structure: memory sizes and map from the firmware's e820 map, the command
 * line, the boot loader's name and the initrd as the one module.
 */
#define pr_fmt(fmt) "kexec_boot: multiboot: " fmt

#include <linux/elf.h>
#include <linux/kexec_boot.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/e820/api.h>
#include <asm/kexec_boot.h>
#include <uapi/linux/kexec_boot.h>

#define MB_HEADER_MAGIC		0x1badb002
#define MB_BOOT_MAGIC		0x2badb002
#define MB_SEARCH_BYTES		8192
/* magic, flags, checksum: all a header without flag 16 has. */
#define MB_HEADER_MIN		12
/* Header flags: bits 0-15 are requirements a loader must meet or refuse. */
#define MB_PAGE_ALIGN		BIT(0)
#define MB_MEMORY_INFO		BIT(1)
#define MB_VIDEO_MODE		BIT(2)
#define MB_ADDRESS_FIELDS	BIT(16)
#define MB_SUPPORTED		(MB_PAGE_ALIGN | MB_MEMORY_INFO)
/* Info flags. */
#define MBI_MEMORY		BIT(0)
#define MBI_CMDLINE		BIT(2)
#define MBI_MODS		BIT(3)
#define MBI_MMAP		BIT(6)
#define MBI_LOADER_NAME		BIT(9)

struct mb_header {
	u32 magic, flags, checksum;
	u32 header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};

struct mb_info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline;
	u32 mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
	u32 drives_length, drives_addr, config_table, boot_loader_name;
};

struct mb_module {
	u32 mod_start, mod_end, string, reserved;
};

struct mb_mmap_entry {
	u32 size;
	u64 addr, len;
	u32 type;
} __packed;

/*
 * Layout of the one page that carries the boot information; the command
 * line has a page of its own.
 */
struct mb_info_page {
	struct mb_info info;
	struct mb_module module;
	char loader_name[sizeof(KEXEC_BOOT_LOADER_NAME)];
	struct mb_mmap_entry mmap[E820_MAX_ENTRIES_ZEROPAGE];
};

/*
 * Offset of the header in the file, or -1.  Only magic, flags and
 * checksum must lie in the first 8 KiB: the address fields are there only
 * with flag 16 (see read_header()).
 */
static long find_header(const void *buf, u64 len)
{
	u64 end = min_t(u64, len, MB_SEARCH_BYTES);
	u64 off;
	u32 magic;

	for (off = 0; off + MB_HEADER_MIN <= end; off += 4) {
		memcpy(&magic, buf + off, sizeof(magic));
		if (magic == MB_HEADER_MAGIC)
			return off;
	}
	return -1;
}

static const char *multiboot_probe(const void *buf, u64 len)
{
	return find_header(buf, len) < 0 ?
	       "no multiboot header in the first 8 KiB" : NULL;
}

static int check_header(const struct mb_header *hdr)
{
	u32 unsupported = hdr->flags & 0xffff & ~MB_SUPPORTED;

	if (hdr->magic + hdr->flags + hdr->checksum) {
		pr_err("header checksum %#x does not match flags %#x\n",
		       hdr->checksum, hdr->flags);
		return -ENOEXEC;
	}
	if (unsupported & MB_VIDEO_MODE) {
		pr_err("the kernel requires a video mode (flag 2), which cannot be set without firmware\n");
		return -ENOEXEC;
	}
	if (unsupported) {
		pr_err("the kernel requires features %#x this loader does not know\n",
		       unsupported);
		return -ENOEXEC;
	}
	return 0;
}

/* Flag 16: the header's own address fields say what goes where. */
static int load_by_address(struct kexec_boot_image *image, const void *buf,
			   u64 len, const struct mb_header *hdr, u64 hdr_off)
{
	u64 file_off, size, memsz;
	int ret;

	if (hdr->load_addr > hdr->header_addr ||
	    hdr->header_addr - hdr->load_addr > hdr_off) {
		pr_err("load_addr %#x does not precede header_addr %#x in the file\n",
		       hdr->load_addr, hdr->header_addr);
		return -ENOEXEC;
	}
	file_off = hdr_off - (hdr->header_addr - hdr->load_addr);
	size = hdr->load_end_addr ? (u64)hdr->load_end_addr - hdr->load_addr :
				    len - file_off;
	memsz = hdr->bss_end_addr ? (u64)hdr->bss_end_addr - hdr->load_addr :
				    size;
	if (hdr->load_end_addr && hdr->load_end_addr < hdr->load_addr) {
		pr_err("load_end_addr %#x is below load_addr %#x\n",
		       hdr->load_end_addr, hdr->load_addr);
		return -ENOEXEC;
	}
	if (file_off + size > len || memsz < size) {
		pr_err("load range %#x+%#llx (bss to %#x) does not fit the file of %llu bytes\n",
		       hdr->load_addr, size, hdr->bss_end_addr, len);
		return -ENOEXEC;
	}
	image->layout.entry = hdr->entry_addr;
	ret = kexec_boot_add_segment(&image->layout, buf + file_off, size,
				     hdr->load_addr, memsz);
	return ret ? ret : kexec_boot_check_entry(&image->layout);
}

/* The header at @off: its address fields only with flag 16. */
static int read_header(const void *buf, u64 len, u64 off,
		       struct mb_header *hdr)
{
	u64 end = min_t(u64, len, MB_SEARCH_BYTES);

	memset(hdr, 0, sizeof(*hdr));
	memcpy(hdr, buf + off, MB_HEADER_MIN);
	if (!(hdr->flags & MB_ADDRESS_FIELDS))
		return 0;
	if (off + sizeof(*hdr) > end) {
		pr_err("the header's address fields (flag 16) run past the first 8 KiB\n");
		return -ENOEXEC;
	}
	memcpy(hdr, buf + off, sizeof(*hdr));
	return 0;
}

/*
 * The physical address GRUB enters an ELF kernel at when e_entry is in
 * no segment's physical range: e_entry translated from the virtual to the
 * physical address of the PT_LOAD that holds it (a higher-half kernel
 * links e_entry virtual).  False if there is none, or if some PT_LOAD
 * wraps past 4 GiB (then the ELF parser's own error stands).  The parser
 * checked the program headers lie inside the file.
 */
static bool virtual_entry(const void *buf, u64 *entry)
{
	const Elf32_Ehdr *eh = buf;
	Elf32_Phdr ph;
	bool physical = false, found = false;
	unsigned int i;

	for (i = 0; i < eh->e_phnum; i++) {
		memcpy(&ph, buf + eh->e_phoff + (u64)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		if ((u64)ph.p_paddr + ph.p_memsz > U32_MAX + 1ULL)
			return false;
		if (eh->e_entry - ph.p_paddr < ph.p_memsz)
			physical = true;
		if (!found && eh->e_entry - ph.p_vaddr < ph.p_memsz) {
			*entry = ph.p_paddr + (eh->e_entry - ph.p_vaddr);
			found = true;
		}
	}
	return found && !physical;
}

/* Without flag 16: the ELF program headers say what goes where. */
static int load_elf(struct kexec_boot_image *image, const void *buf, u64 len)
{
	u64 entry;
	int ret;

	if (kexec_boot_elf_probe(buf, len)) {
		pr_err("without address fields (flag 16) the kernel must be an ELF executable\n");
		return -ENOEXEC;
	}
	ret = kexec_boot_elf_parse(buf, len, &image->layout);
	if (ret != -EADDRNOTAVAIL || !virtual_entry(buf, &entry))
		return ret;
	pr_info("entry %#llx is virtual: entering at its physical address %#llx, as GRUB does\n",
		image->layout.entry, entry);
	image->layout.entry = entry;
	return kexec_boot_check_entry(&image->layout);
}

static int multiboot_load(struct kexec_boot_image *image, const void *buf,
			  u64 len, const struct kexec_boot_ram *ram)
{
	long off = find_header(buf, len);
	struct mb_header hdr;
	int ret;

	if (off < 0) {
		pr_err("no multiboot header in the first 8 KiB\n");
		return -ENOEXEC;
	}
	ret = read_header(buf, len, off, &hdr);
	if (ret)
		return ret;
	ret = check_header(&hdr);
	if (ret)
		return ret;
	image->layout.initrd_limit = U32_MAX + 1ULL;
	if (hdr.flags & MB_ADDRESS_FIELDS)
		return load_by_address(image, buf, len, &hdr, off);
	return load_elf(image, buf, len);
}

/* KiB of RAM from 0 and from 1 MiB, as the info's mem_lower/mem_upper. */
static void fill_memory(struct mb_info *info)
{
	const struct e820_entry *entry;
	u32 i;

	for (i = 0; i < e820_table_firmware->nr_entries; i++) {
		entry = &e820_table_firmware->entries[i];
		if (entry->type != E820_TYPE_RAM)
			continue;
		if (entry->addr == 0)
			info->mem_lower = min_t(u64, entry->size, SZ_1M) >> 10;
		if (entry->addr <= SZ_1M && entry->addr + entry->size > SZ_1M)
			info->mem_upper = min_t(u64, entry->addr + entry->size -
						SZ_1M, U32_MAX) >> 10;
	}
}

static void fill_mmap(struct mb_info_page *page, u32 page_addr)
{
	const struct e820_entry *entry;
	u32 i, n;

	n = min_t(u32, e820_table_firmware->nr_entries, ARRAY_SIZE(page->mmap));
	for (i = 0; i < n; i++) {
		entry = &e820_table_firmware->entries[i];
		page->mmap[i].size = sizeof(page->mmap[i]) - sizeof(u32);
		page->mmap[i].addr = entry->addr;
		page->mmap[i].len = entry->size;
		page->mmap[i].type = entry->type;
	}
	page->info.mmap_length = n * sizeof(page->mmap[0]);
	page->info.mmap_addr = page_addr + offsetof(struct mb_info_page, mmap);
}

static int multiboot_prepare(struct kexec_boot_image *image)
{
	struct kexec_boot_stub_args *args = kexec_boot_stub_args_of(image);
	struct page *info_page, *cmdline;
	struct mb_info_page *page;
	u32 page_addr;

	BUILD_BUG_ON(sizeof(struct mb_info_page) > PAGE_SIZE);
	info_page = kexec_boot_alloc_page(image);
	cmdline = kexec_boot_alloc_page(image);
	if (!info_page || !cmdline)
		return -ENOMEM;
	page = page_address(info_page);
	page_addr = page_to_phys(info_page);
	memcpy(page_address(cmdline), image->cmdline, image->cmdline_len);
	memcpy(page->loader_name, KEXEC_BOOT_LOADER_NAME,
	       sizeof(KEXEC_BOOT_LOADER_NAME));

	page->info.flags = MBI_MEMORY | MBI_CMDLINE | MBI_MMAP | MBI_LOADER_NAME;
	fill_memory(&page->info);
	fill_mmap(page, page_addr);
	page->info.cmdline = page_to_phys(cmdline);
	page->info.boot_loader_name = page_addr +
				      offsetof(struct mb_info_page, loader_name);
	if (image->initrd_size) {
		page->info.flags |= MBI_MODS;
		page->info.mods_count = 1;
		page->info.mods_addr = page_addr +
				       offsetof(struct mb_info_page, module);
		page->module.mod_start = image->initrd_mem;
		page->module.mod_end = image->initrd_mem + image->initrd_size;
		page->module.string = page_to_phys(cmdline) +
				      image->cmdline_len - 1;
	}
	args->eax = MB_BOOT_MAGIC;
	args->ebx = page_addr;
	args->eip = image->layout.entry;
	return 0;
}

const struct kexec_boot_format kexec_boot_multiboot = {
	.name = "multiboot",
	.id = KEXEC_BOOT_FORMAT_MULTIBOOT,
	.probe = multiboot_probe,
	.load = multiboot_load,
	.prepare = multiboot_prepare,
};
