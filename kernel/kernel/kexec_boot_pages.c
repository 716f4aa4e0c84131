// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot destination pages: every page of physical memory the handover
 * sets gets a page that holds its contents until then.
 *
 * A destination range the allocator can hand over at its own address (free
 * RAM, or pages it can migrate away; with CONFIG_CONTIG_ALLOC) is claimed
 * whole: its contents are written in place and never copied.  Other pages
 * are allocated outside every destination, except that a page which
 * happens to be a destination keeps that destination's contents; a page
 * of the kernel file's buffer that holds a destination's bytes is kept as
 * its holder rather than copied.  So the
 * copy list, which this file writes for the machine part's stub, names
 * sources that never overlap a destination, in any order.  Handover pages
 * (stub, page tables, boot environment, copy list) come from here too,
 * and are never destinations.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/kexec_boot.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/kexec_boot.h>

#include "kexec_boot_pages.h"

#define COPIES_PER_PAGE	(PAGE_SIZE / sizeof(struct kexec_boot_copy))
/* Places tried for an initrd that can be allocated in place. */
#define IN_PLACE_TRIES	4
/* Places looked at (for pinned pages) before giving up on that. */
#define IN_PLACE_LOOKS	64
/*
 * Pages held until the handover are charged to the loader's memory cgroup,
 * and a load that does not fit fails with -ENOMEM rather than have the
 * OOM killer pick other tasks.
 */
#define KEXEC_BOOT_GFP(gfp)	\
	((gfp) | __GFP_ZERO | __GFP_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

static long dest_index(const struct kexec_boot_image *image, u64 addr)
{
	unsigned long lo = 0, hi = image->nr_dest, mid;

	addr &= PAGE_MASK;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (image->dest_addr[mid] == addr)
			return mid;
		if (image->dest_addr[mid] < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * The index of the destination page at @addr, for an address inside a
 * segment: list_destinations() listed every page of every segment, so a
 * miss is a bug in the caller.  It is warned about once and the caller
 * fails the load instead of indexing dest_page[-1].
 */
static long segment_page_index(const struct kexec_boot_image *image, u64 addr,
			       unsigned long nr)
{
	long idx = dest_index(image, addr);

	if (WARN_ON_ONCE(idx < 0 || idx + nr > image->nr_dest))
		return -1;
	return idx;
}

static bool in_scratch(const struct kexec_boot_image *image, u64 addr)
{
	const struct kexec_boot_segment *seg;
	unsigned int i;

	for (i = 0; i < image->layout.nr_segments; i++) {
		seg = &image->layout.segment[i];
		if (seg->scratch && addr >= seg->mem &&
		    addr < seg->mem + seg->memsz)
			return true;
	}
	return false;
}

static struct page *take_spare(struct kexec_boot_image *image, bool high,
			       u64 limit)
{
	struct page *page;

	list_for_each_entry(page, &image->spare, lru) {
		if ((high || !PageHighMem(page)) &&
		    page_to_phys(page) < limit) {
			list_del(&page->lru);
			clear_highpage(page);
			return page;
		}
	}
	return NULL;
}

/*
 * A zeroed page below @limit that is not the destination of any segment,
 * from highmem too if @high (destination pages: only the stub reads them).
 * Pages the allocator hands out that are destinations are kept as that
 * destination's holder: their contents are then already in place at the
 * handover.  Pages in a segment's scratch space, at or above @limit, or
 * beyond the stub's reach, are held until the load is done.
 */
static struct page *take_page(struct kexec_boot_image *image, bool high,
			      u64 limit)
{
	struct page *page, *old;
	long idx;

	for (;;) {
		page = take_spare(image, high, limit);
		if (page)
			return page;
		if (fatal_signal_pending(current))
			return NULL;
		page = alloc_page(KEXEC_BOOT_GFP(high ? GFP_HIGHUSER :
						   KEXEC_BOOT_HANDOVER_GFP));
		if (!page)
			return NULL;
		if (page_to_phys(page) >= KEXEC_BOOT_HANDOVER_LIMIT) {
			/* Highmem reaches past 4 GiB (PAE): use low pages. */
			list_add(&page->lru, &image->held);
			high = false;
			continue;
		}
		idx = dest_index(image, page_to_phys(page));
		if (idx < 0 && (in_scratch(image, page_to_phys(page)) ||
				page_to_phys(page) >= limit)) {
			list_add(&page->lru, &image->held);
			continue;
		}
		if (idx < 0)
			return page;
		old = image->dest_page[idx];
		image->dest_page[idx] = page;
		image->nr_in_place++;
		if (old) {
			/*
			 * Held, not reused: @old may be a page of the file
			 * buffer that segments are still written from.
			 */
			copy_highpage(page, old);
			list_add(&old->lru, &image->held);
		}
	}
}

/**
 * kexec_boot_alloc_page_below - a zeroed handover page below an address
 * @image:	the image being loaded
 * @limit:	the page must lie below this physical address
 *
 * The page lies outside every segment's destination, so the copy stub never
 * overwrites it; it is freed with the image.  Pages the allocator hands out
 * at or above @limit are held until the load is done.
 *
 * Return: the page, or NULL when memory is exhausted.
 */
struct page *kexec_boot_alloc_page_below(struct kexec_boot_image *image,
					 u64 limit)
{
	struct page *page;

	/*
	 * The invariant the handover rests on: a handover page is never a
	 * destination, so the stub can copy in any order without clobbering
	 * itself, its copy list or a source.  take_page() keeps it only as
	 * long as every destination is known before the first handover page
	 * is taken.
	 */
	if (WARN_ON_ONCE(!image->dest_page))
		return NULL;
	page = take_page(image, false, limit);
	if (page)
		list_add(&page->lru, &image->handover);
	return page;
}

/**
 * kexec_boot_alloc_page - a zeroed page for the handover itself
 * @image:	the image being loaded
 *
 * The page lies outside every segment's destination, so the copy stub never
 * overwrites it; it is freed with the image.
 *
 * Return: the page, or NULL when memory is exhausted.
 */
struct page *kexec_boot_alloc_page(struct kexec_boot_image *image)
{
	return kexec_boot_alloc_page_below(image, KEXEC_BOOT_HANDOVER_LIMIT);
}

static void free_page_list(struct list_head *list)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, list, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
}

/* End of the bytes a segment needs in place at the handover. */
static u64 segment_data_end(const struct kexec_boot_segment *seg)
{
	return seg->mem + (seg->scratch ? seg->bufsz : seg->memsz);
}

/* Every page whose contents the handover sets, ascending, no repeats. */
static int list_destinations(struct kexec_boot_image *image)
{
	const struct kexec_boot_layout *layout = &image->layout;
	const struct kexec_boot_segment *seg;
	unsigned long n = 0, i;
	u64 addr, last = 1;

	for (i = 0; i < layout->nr_segments; i++) {
		seg = &layout->segment[i];
		n += (PAGE_ALIGN(segment_data_end(seg)) -
		      (seg->mem & PAGE_MASK)) >> PAGE_SHIFT;
	}
	image->dest_addr = kvcalloc(n, sizeof(*image->dest_addr),
				    GFP_KERNEL_ACCOUNT);
	image->dest_page = kvcalloc(n, sizeof(*image->dest_page),
				    GFP_KERNEL_ACCOUNT);
	if (!image->dest_addr || !image->dest_page)
		return -ENOMEM;

	for (i = 0; i < layout->nr_segments; i++) {
		seg = &layout->segment[i];
		for (addr = seg->mem & PAGE_MASK; addr < segment_data_end(seg);
		     addr += PAGE_SIZE) {
			/* Sorted segments may share their boundary page. */
			if (addr != last)
				image->dest_addr[image->nr_dest++] = addr;
			last = addr;
		}
	}
	return 0;
}

#ifdef CONFIG_CONTIG_ALLOC
static int alloc_at(u64 start, u64 end)
{
	unsigned long first = PHYS_PFN(start), last = PHYS_PFN(end - 1);

	if (!pfn_valid(first) || !pfn_valid(last) ||
	    page_zone(pfn_to_page(first)) != page_zone(pfn_to_page(last)))
		return -ERANGE;
	return alloc_contig_range(first, last + 1, MIGRATE_MOVABLE,
				  GFP_KERNEL | __GFP_NOWARN);
}

/* In use and not on an LRU list: the allocator cannot migrate it away. */
static bool page_pinned(unsigned long pfn)
{
	struct page *page;

	if (!pfn_valid(pfn))
		return true;
	page = pfn_to_page(pfn);
	return PageReserved(page) || (page_ref_count(page) && !PageLRU(page));
}

/*
 * Finds where a range that avoids the pinned pages around [@start, @end)
 * must end.  alloc_contig_range() isolates whole pageblocks, so one pinned
 * page anywhere in the pageblocks the range touches makes it fail: the
 * highest such page's pageblock start is returned in @below.  A quick look
 * at page flags, racy but only a hint: alloc_contig_range() decides.
 */
static bool find_pinned(u64 start, u64 end, u64 *below)
{
	unsigned long first = ALIGN_DOWN(PHYS_PFN(start), pageblock_nr_pages);
	unsigned long pfn = ALIGN(PHYS_PFN(end), pageblock_nr_pages);

	while (pfn-- > first) {
		if (page_pinned(pfn)) {
			*below = PFN_PHYS(ALIGN_DOWN(pfn, pageblock_nr_pages));
			return true;
		}
	}
	return false;
}
#else
static int alloc_at(u64 start, u64 end)
{
	return -EOPNOTSUPP;
}

static bool find_pinned(u64 start, u64 end, u64 *below)
{
	*below = start;
	return true;
}
#endif

static bool claimed(const struct kexec_boot_image *image, u64 start, u64 end)
{
	unsigned int i;
	u64 pfn = PHYS_PFN(start);

	for (i = 0; i < image->nr_claims; i++)
		if (pfn < image->claim[i].pfn + image->claim[i].nr &&
		    image->claim[i].pfn < PHYS_PFN(end))
			return true;
	return false;
}

/*
 * Takes the pages of [@start, @end) (page aligned) from the allocator at
 * their own address, if they are free or can be migrated away.
 */
static bool claim(struct kexec_boot_image *image, u64 start, u64 end)
{
	if (image->nr_claims == ARRAY_SIZE(image->claim) ||
	    claimed(image, start, end) || alloc_at(start, end))
		return false;
	image->claim[image->nr_claims].pfn = PHYS_PFN(start);
	image->claim[image->nr_claims].nr = PHYS_PFN(end - start);
	image->nr_claims++;
	return true;
}

static void claim_segments(struct kexec_boot_image *image)
{
	const struct kexec_boot_segment *seg;
	u64 start, end, below;
	unsigned int i;

	for (i = 0; i < image->layout.nr_segments; i++) {
		seg = &image->layout.segment[i];
		start = seg->mem & PAGE_MASK;
		end = PAGE_ALIGN(segment_data_end(seg));
		/* A pinned page fails the claim: skip its costly attempt. */
		if (end > start && !find_pinned(start, end, &below))
			claim(image, start, end);
	}
}

/* Whether a segment's data fills the page at @addr, so it needs no zeroing. */
static bool page_filled(const struct kexec_boot_image *image, u64 addr)
{
	const struct kexec_boot_segment *seg;
	unsigned int i;

	for (i = 0; i < image->layout.nr_segments; i++) {
		seg = &image->layout.segment[i];
		if (addr >= seg->mem && addr + PAGE_SIZE <= seg->mem + seg->bufsz)
			return true;
	}
	return false;
}

/* Claimed pages become the holders of their own destination. */
static int take_claims(struct kexec_boot_image *image)
{
	unsigned long n, pfn;
	unsigned int i;
	long idx;

	for (i = 0; i < image->nr_claims; i++) {
		pfn = image->claim[i].pfn;
		idx = segment_page_index(image, PFN_PHYS(pfn),
					 image->claim[i].nr);
		if (idx < 0)
			return -EINVAL;
		for (n = 0; n < image->claim[i].nr; n++, idx++, pfn++) {
			image->dest_page[idx] = pfn_to_page(pfn);
			if (!page_filled(image, PFN_PHYS(pfn)))
				clear_highpage(image->dest_page[idx]);
		}
		image->nr_in_place += image->claim[i].nr;
		image->claim[i].nr = 0;
	}
	return 0;
}

/* Whether @seg's bytes lie in @from at the offsets in a page they will have. */
static bool buffer_holds(const struct kexec_boot_buffer *from,
			 const struct kexec_boot_segment *seg)
{
	const void *end = from->addr + ((size_t)from->nr << PAGE_SHIFT);

	return from->addr && seg->buf >= from->addr && seg->buf <= end &&
	       seg->bufsz <= (u64)(end - seg->buf) &&
	       offset_in_page(seg->buf - from->addr) == offset_in_page(seg->mem);
}

/*
 * The buffer page holding the bytes of destination @dest at @src becomes
 * its holder, unless it is another page's destination (the stub might
 * overwrite it before copying it), scratch space or beyond the stub.
 */
static void take_buffer_page(struct kexec_boot_image *image,
			     struct kexec_boot_buffer *from, const void *src,
			     u64 dest)
{
	unsigned long n = (src - from->addr) >> PAGE_SHIFT;
	struct page *page = from->pages[n];
	long idx = dest_index(image, dest), at;
	u64 phys;

	if (!page || idx < 0 || image->dest_page[idx])
		return;
	phys = page_to_phys(page);
	at = dest_index(image, phys);
	if (phys >= KEXEC_BOOT_HANDOVER_LIMIT || in_scratch(image, phys) ||
	    (at >= 0 && at != idx))
		return;
	image->dest_page[idx] = page;
	from->pages[n] = NULL;
	image->nr_as_read++;
	if (at == idx)
		image->nr_in_place++;
}

/* Destinations a segment's bytes fill whole keep the buffer's pages. */
static void take_buffer_pages(struct kexec_boot_image *image,
			      struct kexec_boot_buffer *from)
{
	const struct kexec_boot_segment *seg;
	unsigned int i;
	u64 addr;

	for (i = 0; i < image->layout.nr_segments; i++) {
		seg = &image->layout.segment[i];
		if (!buffer_holds(from, seg))
			continue;
		for (addr = PAGE_ALIGN(seg->mem);
		     addr + PAGE_SIZE <= seg->mem + seg->bufsz;
		     addr += PAGE_SIZE)
			take_buffer_page(image, from,
					 seg->buf + (addr - seg->mem), addr);
	}
}

static int alloc_destinations(struct kexec_boot_image *image,
			      struct kexec_boot_buffer *from)
{
	struct page *page;
	unsigned long i;
	int ret;

	claim_segments(image);
	ret = take_claims(image);
	if (ret)
		return ret;
	take_buffer_pages(image, from);
	for (i = 0; i < image->nr_dest; i++) {
		if (image->dest_page[i])
			continue;
		page = take_page(image, true, KEXEC_BOOT_HANDOVER_LIMIT);
		if (!page)
			return fatal_signal_pending(current) ? -EINTR : -ENOMEM;
		/* Taking a page may have found this very destination. */
		if (image->dest_page[i])
			list_add(&page->lru, &image->spare);
		else
			image->dest_page[i] = page;
	}
	return 0;
}

/**
 * kexec_boot_write - set bytes of the memory the new kernel will find
 * @image:	an image whose destination pages are allocated
 * @mem:	physical address the bytes will have after the handover
 * @buf:	the bytes
 * @len:	how many; [@mem, @mem + @len) must lie in the image's segments
 *
 * Writes into the pages that hold the destination until the handover, so
 * the bytes cost nothing extra at the handover.
 *
 * Return: 0, or -EINVAL (and a warning) when the range leaves the segments.
 */
int kexec_boot_write(struct kexec_boot_image *image, u64 mem,
		     const void *buf, u64 len)
{
	u64 done = 0, addr, chunk;
	unsigned long offset;
	void *page;
	long idx;

	while (done < len) {
		addr = mem + done;
		offset = offset_in_page(addr);
		chunk = min_t(u64, PAGE_SIZE - offset, len - done);
		idx = segment_page_index(image, addr, 1);
		if (idx < 0)
			return -EINVAL;
		/* A buffer page taken as the holder has the bytes already. */
		if (!is_vmalloc_addr(buf + done) ||
		    vmalloc_to_page(buf + done) != image->dest_page[idx]) {
			page = kmap_local_page(image->dest_page[idx]);
			memcpy(page + offset, buf + done, chunk);
			kunmap_local(page);
		}
		done += chunk;
		cond_resched();
	}
	return 0;
}

static unsigned long pages_to_copy(const struct kexec_boot_image *image)
{
	unsigned long i, n = 0;

	for (i = 0; i < image->nr_dest; i++)
		if (page_to_phys(image->dest_page[i]) != image->dest_addr[i])
			n++;
	return n;
}

/**
 * kexec_boot_build_copy_list - write the copies the stub performs
 * @image:	the image being loaded, every page allocated
 *
 * Runs of pages whose destinations and sources are both contiguous become
 * one entry.  The last entry of a list page with more to come links to the
 * next list page (len 0, src = next page); an all-zero entry ends the list.
 *
 * Return: 0 or -ENOMEM.
 */
int kexec_boot_build_copy_list(struct kexec_boot_image *image)
{
	unsigned long nr_pages, i, slot = 0;
	struct kexec_boot_copy *copy, *last = NULL;
	struct page **list;
	unsigned int page_no = 0;
	u64 src, dest;
	int ret = 0;

	/* The machine part's stub reads the entries at these offsets. */
	BUILD_BUG_ON(offsetof(struct kexec_boot_copy, dest) != KEXEC_BOOT_COPY_DEST);
	BUILD_BUG_ON(offsetof(struct kexec_boot_copy, src) != KEXEC_BOOT_COPY_SRC);
	BUILD_BUG_ON(offsetof(struct kexec_boot_copy, len) != KEXEC_BOOT_COPY_LEN);
	BUILD_BUG_ON(sizeof(struct kexec_boot_copy) != KEXEC_BOOT_COPY_SIZE);
	nr_pages = max(1UL, DIV_ROUND_UP(pages_to_copy(image),
					 COPIES_PER_PAGE - 1));
	list = kcalloc(nr_pages, sizeof(*list), GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	for (i = 0; i < nr_pages; i++) {
		list[i] = kexec_boot_alloc_page(image);
		if (!list[i]) {
			ret = -ENOMEM;
			goto out;
		}
	}
	image->copy_list = page_to_phys(list[0]);
	copy = page_address(list[0]);
	for (i = 0; i < image->nr_dest; i++) {
		dest = image->dest_addr[i];
		src = page_to_phys(image->dest_page[i]);
		if (src == dest)
			continue;
		if (last && last->dest + last->len == dest &&
		    last->src + last->len == src) {
			last->len += PAGE_SIZE;
			continue;
		}
		if (slot == COPIES_PER_PAGE - 1) {
			copy[slot].src = page_to_phys(list[++page_no]);
			copy = page_address(list[page_no]);
			slot = 0;
		}
		last = &copy[slot++];
		last->dest = dest;
		last->src = src;
		last->len = PAGE_SIZE;
	}
	/* The page is zeroed: the entry after the last one ends the list. */
out:
	kfree(list);
	return ret;
}

/* Whether some RAM range has @size bytes below @limit. */
static bool ram_has_room(const struct kexec_boot_ram *ram, u64 size, u64 limit)
{
	unsigned int i;

	for (i = 0; i < ram->nr; i++)
		if (min(ram->end[i], limit) >= ram->start[i] + size)
			return true;
	return false;
}

/**
 * kexec_boot_place_in_place - place a piece where it can be claimed
 * @image:	the image being loaded, its segments so far checked
 * @ram:	usable RAM
 * @where:	the piece's size, alignment and the range it must lie in
 * @addr:	set to the piece's address
 *
 * The highest free place in the range whose pages the allocator can hand
 * over where they are: they are claimed, the piece is written (or the
 * initrd read) into them in place and never copied.
 *
 * Return: true if such a place was found and claimed.
 */
bool kexec_boot_place_in_place(struct kexec_boot_image *image,
			       const struct kexec_boot_ram *ram,
			       const struct kexec_boot_where *where, u64 *addr)
{
	u64 limit = where->limit, below;
	unsigned int tries = 0, looks;

	if (!IS_ENABLED(CONFIG_CONTIG_ALLOC))
		return false;
	for (looks = 0; looks < IN_PLACE_LOOKS && tries < IN_PLACE_TRIES;
	     looks++) {
		if (!ram_has_room(ram, where->size, limit) ||
		    !kexec_boot_find_place(&image->layout, ram, where->size,
					   where->align, limit, addr) ||
		    *addr < where->start)
			return false;
		/* Below pinned pages, without disturbing the allocator. */
		if (find_pinned(*addr, PAGE_ALIGN(*addr + where->data), &below)) {
			limit = below;
			continue;
		}
		if (claim(image, *addr, PAGE_ALIGN(*addr + where->data)))
			return true;
		limit = *addr;
		tries++;
	}
	return false;
}

/**
 * kexec_boot_fill_pages - give every destination page a holder and fill it
 * @image:	the image being loaded, its layout final
 * @from:	the kernel file's buffer, which segments' bytes may lie in;
 *		the pages the image takes from it are set to NULL there
 *
 * Lists the destination pages, claims the segments that can be allocated
 * in place, takes the buffer pages that already hold a destination's
 * bytes, allocates a holder page for every other destination page and
 * writes the segments' bytes.
 *
 * Return: 0, -ENOMEM, -EINTR on a fatal signal, or -EINVAL on a bug.
 */
int kexec_boot_fill_pages(struct kexec_boot_image *image,
			  struct kexec_boot_buffer *from)
{
	unsigned int i;
	int ret;

	ret = list_destinations(image);
	if (ret)
		return ret;
	ret = alloc_destinations(image, from);
	if (ret == -ENOMEM)
		pr_err("%lu pages to hold the image do not fit in free memory\n",
		       image->nr_dest);
	if (ret)
		return ret;
	for (i = 0; i < image->layout.nr_segments && !ret; i++)
		if (image->layout.segment[i].buf)
			ret = kexec_boot_write(image,
					       image->layout.segment[i].mem,
					       image->layout.segment[i].buf,
					       image->layout.segment[i].bufsz);
	return ret;
}

/**
 * kexec_boot_dest_pages - the holder pages of consecutive destinations
 * @image:	an image whose destination pages are allocated
 * @addr:	physical address of the first, inside a segment
 * @nr:		how many pages
 * @pages:	set to the @nr holder pages
 *
 * Return: 0, or -EINVAL (and a warning) when they leave the segments.
 */
int kexec_boot_dest_pages(const struct kexec_boot_image *image, u64 addr,
			  unsigned long nr, struct page **pages)
{
	long idx = segment_page_index(image, addr, nr);
	unsigned long i;

	if (idx < 0)
		return -EINVAL;
	for (i = 0; i < nr; i++)
		pages[i] = image->dest_page[idx + i];
	return 0;
}

/**
 * kexec_boot_drop_spares - free the pages a finished load no longer needs
 * @image:	the image, loaded
 *
 * Spare pages and the pages held back from reuse during the load.
 */
void kexec_boot_drop_spares(struct kexec_boot_image *image)
{
	free_page_list(&image->spare);
	free_page_list(&image->held);
}

/**
 * kexec_boot_free_pages - free every page an image holds
 * @image:	the image
 *
 * Claimed ranges, destination holders, handover pages, spares and held
 * pages, and the destination arrays.
 */
void kexec_boot_free_pages(struct kexec_boot_image *image)
{
	unsigned long i;

	for (i = 0; i < image->nr_claims; i++)
		if (image->claim[i].nr)
			free_contig_range(image->claim[i].pfn,
					  image->claim[i].nr);
	for (i = 0; i < image->nr_dest; i++)
		if (image->dest_page[i])
			__free_page(image->dest_page[i]);
	free_page_list(&image->handover);
	free_page_list(&image->spare);
	free_page_list(&image->held);
	kvfree(image->dest_page);
	kvfree(image->dest_addr);
}
