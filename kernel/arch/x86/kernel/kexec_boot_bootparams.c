// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot on x86: the Linux boot environment.  A vmlinux or a bzImage is
 * handed struct boot_params (the zero page: the image's own setup header,
 * the RAM map, the ACPI RSDP, the console), its command line, and a chain
 * of setup_data nodes: a fresh RNG seed and the e820 entries past the zero
 * page's 128, and on a UEFI machine the EFI facts that keep its runtime
 * services (kexec_boot_efi.c).  The new kernel's KASLR decompressor keeps
 * clear of all of
 * them (its mem_avoid list names the zero page, the command line and every
 * setup_data node), so they may lie anywhere the stub leaves alone.
 * Which entry point and CPU mode the image wants is the format's call
 * (layout.entry, layout.entry_64).
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/acpi.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_boot.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/screen_info.h>
#include <asm/bootparam.h>
#include <asm/kexec_boot.h>
#include <asm/setup.h>

/* Boot loader ID 0xD (kexec), version 0: what mainline's kexec writes. */
#define KEXEC_BOOT_LOADER_TYPE	0xd0
/* setup_data appeared in boot protocol 2.09. */
#define SETUP_DATA_PROTOCOL	0x0209
#define RNG_SEED_BYTES		32

static u64 kexec_boot_rsdp;

/* The chain of setup_data nodes being written into the setup page. */
struct setup_chain {
	void *page;
	u64 phys;
	u32 used;
	struct setup_data *last;
};

/* Appends a node with @len bytes of data, or NULL if the page is full. */
static struct setup_data *add_node(struct setup_chain *chain, u32 type,
				   u32 len)
{
	u32 at = ALIGN(chain->used, 16);
	struct setup_data *node;

	if (at + sizeof(*node) + len > PAGE_SIZE)
		return NULL;
	node = chain->page + at;
	node->type = type;
	node->len = len;
	if (chain->last)
		chain->last->next = chain->phys + at;
	chain->last = node;
	chain->used = at + sizeof(*node) + len;
	return node;
}

static u64 phys_of(const struct setup_chain *chain, const void *p)
{
	return chain->phys + (p - chain->page);
}

/*
 * Fills the setup page: the RNG seed, the EFI facts when this kernel was
 * booted through UEFI, then the e820 entries the zero page has no room
 * for.  Return: the physical address of the first node.
 */
static u64 fill_setup_data(struct page *page, struct boot_params *params)
{
	struct setup_chain chain = {
		.page = page_address(page), .phys = page_to_phys(page),
	};
	struct setup_data *node;
	u32 len;

	node = add_node(&chain, SETUP_RNG_SEED, RNG_SEED_BYTES);
	get_random_bytes(node->data, RNG_SEED_BYTES);
	len = kexec_boot_efi_size();
	if (len) {
		node = add_node(&chain, SETUP_EFI, len);
		if (node)
			kexec_boot_efi_fill(params, node->data,
					    phys_of(&chain, node->data));
		else
			pr_warn("no room for the EFI runtime map: the new kernel runs without EFI runtime services\n");
	}
	len = kexec_boot_e820_ext_size();
	if (len) {
		len = min_t(u32, len, PAGE_SIZE - ALIGN(chain.used, 16) -
				      sizeof(*node));
		node = add_node(&chain, SETUP_E820_EXT, len);
		kexec_boot_e820_fill_ext(node->data, len);
	}
	return chain.phys;
}

/*
 * The hardware facts the new kernel cannot probe, in its own format.  A
 * bzImage's own setup header, when the image has one, comes first.
 */
static void fill_boot_params(struct boot_params *params,
			     const struct kexec_boot_image *image,
			     u64 cmdline_addr, u64 setup_data)
{
	const struct kexec_boot_setup_header *image_hdr = image->format_data;
	struct setup_header *hdr = &params->hdr;

	if (image_hdr) {
		memcpy(hdr, image_hdr->bytes, image_hdr->len);
	} else {
		hdr->boot_flag = 0xaa55;
		hdr->header = KEXEC_BOOT_HDRS;
		hdr->version = boot_params.hdr.version;
	}
	params->screen_info = screen_info;
	params->acpi_rsdp_addr = kexec_boot_rsdp;
	kexec_boot_e820_fill(params);
	hdr->type_of_loader = KEXEC_BOOT_LOADER_TYPE;
	hdr->loadflags = 0;
	hdr->hardware_subarch = boot_params.hdr.hardware_subarch;
	hdr->cmd_line_ptr = lower_32_bits(cmdline_addr);
	params->ext_cmd_line_ptr = upper_32_bits(cmdline_addr);
	hdr->ramdisk_image = lower_32_bits(image->initrd_mem);
	params->ext_ramdisk_image = upper_32_bits(image->initrd_mem);
	hdr->ramdisk_size = lower_32_bits(image->initrd_size);
	params->ext_ramdisk_size = upper_32_bits(image->initrd_size);
	if (hdr->version >= SETUP_DATA_PROTOCOL)
		hdr->setup_data = setup_data;
}

/**
 * kexec_boot_linux_prepare - boot environment of the Linux boot protocols
 * @image:	a Linux image (vmlinux or bzImage) with its stub in place
 *
 * The image is entered at layout.entry with %esi (%rsi) = boot_params, in
 * 64-bit mode if layout.entry_64 says so, else in 32-bit protected mode.
 *
 * Return: 0, or -ENOMEM.
 */
int kexec_boot_linux_prepare(struct kexec_boot_image *image)
{
	struct kexec_boot_stub_args *args = kexec_boot_stub_args_of(image);
	struct page *params, *cmdline, *setup;

	BUILD_BUG_ON(sizeof(struct boot_params) != PAGE_SIZE);
	params = kexec_boot_alloc_page(image);
	cmdline = kexec_boot_alloc_page(image);
	setup = kexec_boot_alloc_page(image);
	if (!params || !cmdline || !setup)
		return -ENOMEM;
	memcpy(page_address(cmdline), image->cmdline, image->cmdline_len);
	fill_boot_params(page_address(params), image, page_to_phys(cmdline),
			 fill_setup_data(setup, page_address(params)));
	args->esi = page_to_phys(params);
	args->eip = image->layout.entry;
	args->long_mode = image->layout.entry_64;
	return 0;
}

/**
 * kexec_boot_acpi_rsdp - where the firmware's ACPI RSDP is
 *
 * Return: its physical address, or 0 if there is none.
 */
u64 kexec_boot_acpi_rsdp(void)
{
	return kexec_boot_rsdp;
}

#ifdef CONFIG_ACPI
/* The RSDP lookup is __init: remember where it is for every later load. */
static int __init kexec_boot_find_rsdp(void)
{
	kexec_boot_rsdp = acpi_os_get_root_pointer();
	return 0;
}
late_initcall(kexec_boot_find_rsdp);
#endif
