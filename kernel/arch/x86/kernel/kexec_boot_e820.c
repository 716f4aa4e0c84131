// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot on x86: the RAM map.  Segments are placed in, and the new
 * kernel is told about, the e820 table the running kernel itself honours
 * for kexec (e820_table_kexec): the firmware's map with what mem=, memmap=
 * and MTRR trimming took away, so those limits hold across the handover.
 * The zero page carries 128 entries; the rest go to a SETUP_E820_EXT node.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/kexec_boot.h>
#include <asm/bootparam.h>
#include <asm/e820/api.h>
#include <asm/kexec_boot.h>
#include <uapi/linux/kexec_boot.h>

int arch_kexec_boot_ram(struct kexec_boot_ram *ram)
{
	const struct e820_entry *entry;
	u32 i;

	for (i = 0; i < e820_table_kexec->nr_entries; i++) {
		entry = &e820_table_kexec->entries[i];
		if (entry->type == E820_TYPE_RAM)
			kexec_boot_ram_add(ram, entry->addr,
					   entry->addr + entry->size);
	}
	return 0;
}

/**
 * kexec_boot_e820_entries - how many entries the RAM map has
 *
 * Return: the number of e820 entries passed to a new kernel.
 */
u32 kexec_boot_e820_entries(void)
{
	return e820_table_kexec->nr_entries;
}

/**
 * kexec_boot_e820_env - the RAM map as boot environment records
 * @memory:	filled with @n entries
 * @n:		kexec_boot_e820_entries(), as measured before
 */
void kexec_boot_e820_env(struct kexec_boot_env_memory *memory, u32 n)
{
	const struct e820_entry *entry;
	u32 i;

	for (i = 0; i < n && i < e820_table_kexec->nr_entries; i++) {
		entry = &e820_table_kexec->entries[i];
		memory[i] = (struct kexec_boot_env_memory){
			.addr = entry->addr,
			.size = entry->size,
			.type = entry->type,
		};
	}
}

static void copy_entries(struct boot_e820_entry *to, u32 first, u32 n)
{
	const struct e820_entry *entry;
	u32 i;

	for (i = 0; i < n; i++) {
		entry = &e820_table_kexec->entries[first + i];
		to[i].addr = entry->addr;
		to[i].size = entry->size;
		to[i].type = entry->type;
	}
}

/**
 * kexec_boot_e820_fill - the zero page's e820 table
 * @params:	the new kernel's boot_params
 *
 * Entries that do not fit go to kexec_boot_e820_fill_ext().
 */
void kexec_boot_e820_fill(struct boot_params *params)
{
	u32 n = min_t(u32, e820_table_kexec->nr_entries,
		      E820_MAX_ENTRIES_ZEROPAGE);

	copy_entries(params->e820_table, 0, n);
	params->e820_entries = n;
}

/**
 * kexec_boot_e820_ext_size - bytes of the entries past the zero page's 128
 *
 * Return: what kexec_boot_e820_fill_ext() writes with room for all, 0 if
 * the zero page holds every entry.
 */
u32 kexec_boot_e820_ext_size(void)
{
	u32 n = e820_table_kexec->nr_entries;

	if (n <= E820_MAX_ENTRIES_ZEROPAGE)
		return 0;
	return (n - E820_MAX_ENTRIES_ZEROPAGE) * sizeof(struct boot_e820_entry);
}

/**
 * kexec_boot_e820_fill_ext - the entries past the zero page's 128
 * @buf:	where to write them (the data of a SETUP_E820_EXT node)
 * @size:	bytes available at @buf
 */
void kexec_boot_e820_fill_ext(void *buf, u32 size)
{
	u32 first = E820_MAX_ENTRIES_ZEROPAGE, n;

	n = min_t(u32, e820_table_kexec->nr_entries - first,
		  size / sizeof(struct boot_e820_entry));
	if (first + n < e820_table_kexec->nr_entries)
		pr_warn("passing %u of %u e820 entries\n", first + n,
			e820_table_kexec->nr_entries);
	copy_entries(buf, first, n);
}
