// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot segment placement: checks that every segment targets usable
 * RAM below the machine's limit without overlapping another, and finds free
 * RAM for pieces the loader places itself (the initrd).
 *
 * Knows nothing about image formats or pages; works on a struct
 * kexec_boot_ram the machine part filled from the firmware's memory map.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/errno.h>
#include <linux/kexec_boot.h>
#include <linux/printk.h>
#include <asm/page.h>

/* The handover writes whole pages: ranges are checked page by page. */
#define PAGE_BYTES	((u64)PAGE_SIZE)

/**
 * kexec_boot_ram_add - add a usable RAM range to @ram
 * @ram:	ranges so far, sorted
 * @start:	first byte
 * @end:	first byte past the range
 *
 * Ranges must be added in ascending order; one that touches the previous
 * range extends it.  Ranges beyond KEXEC_BOOT_MAX_RAM_RANGES are dropped.
 */
void kexec_boot_ram_add(struct kexec_boot_ram *ram, u64 start, u64 end)
{
	if (end <= start)
		return;
	if (ram->nr && start <= ram->end[ram->nr - 1]) {
		if (end > ram->end[ram->nr - 1])
			ram->end[ram->nr - 1] = end;
		return;
	}
	if (ram->nr == KEXEC_BOOT_MAX_RAM_RANGES)
		return;
	ram->start[ram->nr] = start;
	ram->end[ram->nr] = end;
	ram->nr++;
}

/**
 * kexec_boot_add_segment - append a segment to @layout
 * @layout:	the layout
 * @buf:	data
 * @bufsz:	bytes of data
 * @mem:	physical destination
 * @memsz:	bytes at the destination, at least @bufsz
 *
 * Return: 0, or -E2BIG when @layout already holds KEXEC_BOOT_MAX_SEGMENTS.
 */
int kexec_boot_add_segment(struct kexec_boot_layout *layout, const void *buf,
			   u64 bufsz, u64 mem, u64 memsz)
{
	struct kexec_boot_segment *seg;

	if (layout->nr_segments == KEXEC_BOOT_MAX_SEGMENTS) {
		pr_err("more than %u segments\n", KEXEC_BOOT_MAX_SEGMENTS);
		return -E2BIG;
	}
	seg = &layout->segment[layout->nr_segments++];
	seg->buf = buf;
	seg->bufsz = bufsz;
	seg->mem = mem;
	seg->memsz = memsz;
	/* A loader that wants scratch space says so after adding it. */
	seg->scratch = false;
	return 0;
}

/**
 * kexec_boot_ram_contains - is [@start, @end) usable RAM?
 * @ram:	usable RAM
 * @start:	first byte
 * @end:	first byte past the range
 *
 * Return: true if one range of @ram holds all of it.
 */
bool kexec_boot_ram_contains(const struct kexec_boot_ram *ram, u64 start,
			     u64 end)
{
	unsigned int i;

	for (i = 0; i < ram->nr; i++)
		if (start >= ram->start[i] && end <= ram->end[i])
			return true;
	return false;
}

/*
 * Is every whole page [@start, @end) touches usable RAM?  The copy stub
 * writes the pages a segment touches whole: a segment that ends inside the
 * partial last page of a RAM range (0x9fc00 below the EBDA) would have the
 * rest of that page zeroed.
 */
static bool ram_contains_pages(const struct kexec_boot_ram *ram, u64 start,
			       u64 end)
{
	u64 last = end + PAGE_BYTES - 1;

	if (last < end)
		return false;
	return kexec_boot_ram_contains(ram, start & ~(PAGE_BYTES - 1),
				       last & ~(PAGE_BYTES - 1));
}

/**
 * kexec_boot_check_entry - is the entry point inside a segment?
 * @layout:	the segments and the entry point
 *
 * An entry point outside every segment would jump into memory the image
 * does not set.
 *
 * Return: 0, or -EADDRNOTAVAIL when no segment holds the entry point.
 */
int kexec_boot_check_entry(const struct kexec_boot_layout *layout)
{
	const struct kexec_boot_segment *seg;
	unsigned int i;

	for (i = 0; i < layout->nr_segments; i++) {
		seg = &layout->segment[i];
		if (layout->entry >= seg->mem &&
		    layout->entry - seg->mem < seg->memsz)
			return 0;
	}
	pr_err("entry point %#llx is outside every segment\n", layout->entry);
	return -EADDRNOTAVAIL;
}

static void sort_segments(struct kexec_boot_layout *layout)
{
	struct kexec_boot_segment tmp;
	unsigned int i, j;

	/* Insertion sort: there are at most KEXEC_BOOT_MAX_SEGMENTS. */
	for (i = 1; i < layout->nr_segments; i++) {
		tmp = layout->segment[i];
		for (j = i; j && layout->segment[j - 1].mem > tmp.mem; j--)
			layout->segment[j] = layout->segment[j - 1];
		layout->segment[j] = tmp;
	}
}

/**
 * kexec_boot_check_layout - check every segment's destination
 * @layout:	segments; sorted by destination on success
 * @ram:	usable RAM
 * @addr_limit:	first address the machine part cannot write at handover
 *
 * A segment's destination counts in whole pages, as the handover writes
 * it: every page it touches must be usable RAM.
 *
 * Return: 0, -EADDRNOTAVAIL if a segment reaches @addr_limit or a page of
 * it is not usable RAM, -EBUSY if two segments overlap.
 */
int kexec_boot_check_layout(struct kexec_boot_layout *layout,
			    const struct kexec_boot_ram *ram, u64 addr_limit)
{
	const struct kexec_boot_segment *seg;
	unsigned int i;

	sort_segments(layout);
	for (i = 0; i < layout->nr_segments; i++) {
		seg = &layout->segment[i];
		if (seg->memsz > addr_limit || seg->mem > addr_limit - seg->memsz) {
			pr_err("segment %#llx+%#llx ends above the handover limit %#llx\n",
			       seg->mem, seg->memsz, addr_limit);
			return -EADDRNOTAVAIL;
		}
		if (!ram_contains_pages(ram, seg->mem, seg->mem + seg->memsz)) {
			pr_err("segment %#llx-%#llx is not usable RAM\n",
			       seg->mem, seg->mem + seg->memsz - 1);
			return -EADDRNOTAVAIL;
		}
		if (i && seg->mem < seg[-1].mem + seg[-1].memsz) {
			pr_err("segment at %#llx overlaps segment %#llx+%#llx\n",
			       seg->mem, seg[-1].mem, seg[-1].memsz);
			return -EBUSY;
		}
	}
	return 0;
}

/* Highest aligned start in [lo, hi) for @size bytes clear of every segment. */
static bool place_in_range(const struct kexec_boot_layout *layout, u64 lo,
			   u64 hi, u64 size, u64 align, u64 *addr)
{
	const struct kexec_boot_segment *seg;
	u64 start;
	int i;

	while (hi >= lo && hi - lo >= size) {
		start = (hi - size) & ~(align - 1);
		if (start < lo)
			return false;
		/* Segments are sorted: find the highest one in the way. */
		for (i = layout->nr_segments - 1; i >= 0; i--) {
			seg = &layout->segment[i];
			if (seg->mem < start + size && start < seg->mem + seg->memsz)
				break;
		}
		if (i < 0) {
			*addr = start;
			return true;
		}
		hi = seg->mem;
	}
	return false;
}

/**
 * kexec_boot_find_place - find free RAM for a piece, saying nothing
 * @layout:	checked segments already placed
 * @ram:	usable RAM
 * @size:	bytes needed
 * @align:	alignment, a power of two
 * @limit:	the piece must end at or below this address
 * @addr:	set to the highest suitable address
 *
 * Return: true if a RAM range below @limit has room.
 */
bool kexec_boot_find_place(const struct kexec_boot_layout *layout,
			   const struct kexec_boot_ram *ram, u64 size,
			   u64 align, u64 limit, u64 *addr)
{
	u64 lo, hi;
	int i;

	/* Whole pages only: the handover writes the last page whole. */
	for (i = ram->nr - 1; i >= 0; i--) {
		lo = ram->start[i] + PAGE_BYTES - 1;
		if (lo < ram->start[i])
			continue;
		lo &= ~(PAGE_BYTES - 1);
		hi = ram->end[i] & ~(PAGE_BYTES - 1);
		if (hi > limit)
			hi = limit;
		if (hi > lo && place_in_range(layout, lo, hi, size, align, addr))
			return true;
	}
	return false;
}

/**
 * kexec_boot_place - find free RAM for a piece the loader places itself
 * @layout:	checked segments already placed
 * @ram:	usable RAM
 * @size:	bytes needed
 * @align:	alignment, a power of two
 * @limit:	the piece must end at or below this address
 * @addr:	set to the highest suitable address
 *
 * Return: 0, or -ENOSPC when no RAM range below @limit has room.
 */
int kexec_boot_place(const struct kexec_boot_layout *layout,
		     const struct kexec_boot_ram *ram, u64 size, u64 align,
		     u64 limit, u64 *addr)
{
	if (kexec_boot_find_place(layout, ram, size, align, limit, addr))
		return 0;
	pr_err("no free RAM range below %#llx holds %llu bytes\n", limit, size);
	return -ENOSPC;
}
