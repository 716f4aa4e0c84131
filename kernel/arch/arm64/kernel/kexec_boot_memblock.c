// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot on arm64: the RAM map.  Segments are placed in the memory
 * the running kernel itself maps (memblock's memory regions, without the
 * no-map ones: the /memory nodes less what mem= and the firmware took
 * away), less what the device tree reserves for the firmware
 * (/memreserve/ entries and static /reserved-memory regions), which the
 * new kernel honours too.  The boot environment of generic ELF images
 * gets the memory regions as they are, no-map ones as reserved.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/kexec_boot.h>
#include <linux/memblock.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <asm/kexec_boot.h>
#include <uapi/linux/kexec_boot.h>

/* Firmware reservations taken into account; more are merged into one. */
#define MAX_RESERVED	64

/* Memory type of no-map regions in the boot environment (ACPI: reserved). */
#define ENV_MEMORY_RESERVED	2

struct reserved {
	unsigned int nr;
	struct kexec_boot_ram_range {
		u64 start;
		u64 end;
	} range[MAX_RESERVED];
};

static void add_reserved(void *ctx, u64 start, u64 end)
{
	struct reserved *res = ctx;
	struct kexec_boot_ram_range *last;

	if (end <= start)
		return;
	if (res->nr < MAX_RESERVED) {
		res->range[res->nr++] = (struct kexec_boot_ram_range){ start, end };
		return;
	}
	/* Too many: the last one grows to cover this one too. */
	last = &res->range[MAX_RESERVED - 1];
	last->start = min(last->start, start);
	last->end = max(last->end, end);
}

static int cmp_range(const void *a, const void *b)
{
	const struct kexec_boot_ram_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Adds [@start, @end) less every reserved range (sorted) to @ram. */
static void add_usable(struct kexec_boot_ram *ram, const struct reserved *res,
		       u64 start, u64 end)
{
	unsigned int i;

	for (i = 0; i < res->nr && start < end; i++) {
		if (res->range[i].end <= start || res->range[i].start >= end)
			continue;
		if (res->range[i].start > start)
			kexec_boot_ram_add(ram, start, res->range[i].start);
		start = max(start, res->range[i].end);
	}
	if (start < end)
		kexec_boot_ram_add(ram, start, end);
}

int arch_kexec_boot_ram(struct kexec_boot_ram *ram)
{
	phys_addr_t start, end;
	struct reserved *res;
	u64 i;
	int ret;

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	ret = kexec_boot_fdt_firmware_reserved(add_reserved, res);
	if (ret)
		goto out;
	sort(res->range, res->nr, sizeof(res->range[0]), cmp_range, NULL);
	for_each_mem_range(i, &start, &end)
		add_usable(ram, res, start, end);
out:
	kfree(res);
	return ret;
}

/**
 * kexec_boot_memblock_entries - how many entries the memory map has
 *
 * Return: the number of memory regions passed to a generic ELF image.
 */
u32 kexec_boot_memblock_entries(void)
{
	struct memblock_region *region;
	u32 n = 0;

	for_each_mem_region(region)
		n++;
	return n;
}

/**
 * kexec_boot_memblock_env - the memory map as boot environment records
 * @memory:	filled with @n entries
 * @n:		kexec_boot_memblock_entries(), as measured before
 */
void kexec_boot_memblock_env(struct kexec_boot_env_memory *memory, u32 n)
{
	struct memblock_region *region;
	u32 i = 0;

	for_each_mem_region(region) {
		if (i == n)
			break;
		memory[i++] = (struct kexec_boot_env_memory){
			.addr = region->base,
			.size = region->size,
			.type = memblock_is_nomap(region) ?
				ENV_MEMORY_RESERVED : KEXEC_BOOT_ENV_MEMORY_RAM,
		};
	}
}
