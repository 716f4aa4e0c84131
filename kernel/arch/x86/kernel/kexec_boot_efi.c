// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot on x86_64: keeping EFI runtime services across the handover.
 *
 * EFI runtime services can be switched to virtual mode only once per
 * firmware boot, so a kernel booted through UEFI must hand the next one
 * the mappings it chose: boot_params.efi_info names the system table and a
 * memory map of the runtime regions (their virtual addresses included),
 * and a SETUP_EFI node gives fw_vendor, the configuration table array and
 * SMBIOS.  The new kernel then maps each region where this one did and
 * does not call SetVirtualAddressMap() again
 * (arch/x86/platform/efi/efi.c, kexec_enter_virtual_mode()).  The memory
 * map copy lies inside the SETUP_EFI node, so the new kernel's KASLR and
 * memblock keep clear of it like of every setup_data node.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/efi.h>
#include <linux/kexec_boot.h>
#include <asm/bootparam.h>
#include <asm/efi.h>
#include <asm/kexec_boot.h>
#include <asm/setup.h>
#include <asm/setup_data.h>

/* Whether there are runtime services a 64-bit kernel can take over. */
static bool efi_handed_on(void)
{
	return IS_ENABLED(CONFIG_X86_64) && efi_enabled(EFI_BOOT) &&
	       efi_enabled(EFI_64BIT) && efi_enabled(EFI_RUNTIME_SERVICES) &&
	       efi_enabled(EFI_MEMMAP);
}

static bool runtime_desc(const efi_memory_desc_t *md)
{
	return md->attribute & EFI_MEMORY_RUNTIME;
}

static u32 runtime_map_size(void)
{
	efi_memory_desc_t *md;
	u32 n = 0;

	for_each_efi_memory_desc(md)
		if (runtime_desc(md))
			n++;
	return n * efi.memmap.desc_size;
}

/**
 * kexec_boot_efi_size - bytes of the SETUP_EFI node's data
 *
 * Return: the size of struct efi_setup_data and the runtime memory map
 * after it, or 0 when this kernel has no EFI runtime services to hand on.
 */
u32 kexec_boot_efi_size(void)
{
	if (!efi_handed_on())
		return 0;
	return sizeof(struct efi_setup_data) + runtime_map_size();
}

/**
 * kexec_boot_efi_fill - the EFI facts of the new kernel's boot_params
 * @params:	its boot_params
 * @data:	the SETUP_EFI node's data, kexec_boot_efi_size() bytes
 * @phys:	the physical address of @data
 *
 * Fills efi_info (signature, system table, the runtime memory map copied
 * after struct efi_setup_data in @data), secure_boot and the node itself.
 */
void kexec_boot_efi_fill(struct boot_params *params, void *data, u64 phys)
{
	struct efi_setup_data *esd = data;
	struct efi_info *ei = &params->efi_info;
	void *map = esd + 1;
	efi_memory_desc_t *md;
	u32 size = 0;

	if (!efi_handed_on())
		return;
	for_each_efi_memory_desc(md) {
		if (!runtime_desc(md))
			continue;
		memcpy(map + size, md, efi.memmap.desc_size);
		size += efi.memmap.desc_size;
	}
	esd->fw_vendor = efi_fw_vendor;
	esd->tables = efi_config_table;
	esd->smbios = efi.smbios;
	memcpy(&ei->efi_loader_signature, EFI64_LOADER_SIGNATURE,
	       sizeof(ei->efi_loader_signature));
	ei->efi_systab = boot_params.efi_info.efi_systab;
	ei->efi_systab_hi = boot_params.efi_info.efi_systab_hi;
	ei->efi_memdesc_version = efi.memmap.desc_version;
	ei->efi_memdesc_size = efi.memmap.desc_size;
	ei->efi_memmap = lower_32_bits(phys + sizeof(*esd));
	ei->efi_memmap_hi = upper_32_bits(phys + sizeof(*esd));
	ei->efi_memmap_size = size;
	params->secure_boot = boot_params.secure_boot;
}

/**
 * kexec_boot_efi_map - add the EFI runtime regions to an identity map
 * @map:	adds [start, end) to the map
 * @image:	passed on to @map
 *
 * The system table and the configuration tables live in runtime services
 * data; the new kernel's first code may read them before it maps them.
 *
 * Return: 0, or @map's error.
 */
int kexec_boot_efi_map(int (*map)(struct kexec_boot_image *image, u64 start,
				  u64 end),
		       struct kexec_boot_image *image)
{
	efi_memory_desc_t *md;
	int ret;

	if (!efi_handed_on())
		return 0;
	for_each_efi_memory_desc(md) {
		if (md->type != EFI_RUNTIME_SERVICES_CODE &&
		    md->type != EFI_RUNTIME_SERVICES_DATA)
			continue;
		ret = map(image, md->phys_addr,
			  md->phys_addr + (md->num_pages << EFI_PAGE_SHIFT));
		if (ret)
			return ret;
	}
	return 0;
}
