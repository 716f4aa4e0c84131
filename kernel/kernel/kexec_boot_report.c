// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot: the segment map of an image, as text.
 *
 * This file owns the report /sys/kernel/kexec_boot/segments (the loaded
 * image) and /sys/kernel/kexec_boot/dry_run (the last dry run) show: the
 * image's format, entry point and command line length, the usable RAM its
 * segments were checked against, and where each segment lands, with how
 * many of its pages already sit at their destination and how many the
 * handover copies.  It also keeps the report of the last dry run.
 *
 * The report is ABI (Documentation/ABI/testing/sysfs-kernel-kexec_boot):
 * one record per line, a keyword and then values separated by one space;
 * addresses in hex with "0x" and at least 8 digits, ranges with an
 * inclusive end, sizes and counts in decimal.  For example:
 *
 *	format vmlinux
 *	entry 0x01000000
 *	cmdline_len 80
 *	ram 0x00000000-0x0009fbff
 *	ram 0x00100000-0x0ffdffff
 *	segment 0x01000000-0x013a499b size 3819932 kernel in_place 0 copied 933
 *	segment 0x013a5000-0x015f3fff size 2420736 kernel in_place 0 copied 591
 *	segment 0x0e4dc000-0x0f25d5bb size 14161340 initrd in_place 3458 copied 0
 *	pages 4982 in_place 3458 copied 1524
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/io.h>
#include <linux/kexec_boot.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

/* Longest line the report writes, newline included, with room to spare. */
#define REPORT_LINE_MAX	160
/* Lines besides the ram and segment ones: format, entry, cmdline_len, pages. */
#define REPORT_FIXED_LINES	4

/* Guards dry_run_report: the report of the last dry run, or NULL. */
static DEFINE_MUTEX(dry_run_mutex);
static char *dry_run_report;

/* Pages whose contents the handover sets: in place or copied. */
struct page_counts {
	unsigned long in_place;
	unsigned long copied;
};

static void count_pages(const struct kexec_boot_image *image, u64 start,
			u64 end, struct page_counts *counts)
{
	unsigned long i;

	*counts = (struct page_counts){ };
	for (i = 0; i < image->nr_dest; i++) {
		if (image->dest_addr[i] < start || image->dest_addr[i] >= end)
			continue;
		if (page_to_phys(image->dest_page[i]) == image->dest_addr[i])
			counts->in_place++;
		else
			counts->copied++;
	}
}

static const char *segment_role(const struct kexec_boot_image *image,
				const struct kexec_boot_segment *seg)
{
	if (image->initrd_size && seg->mem == image->initrd_mem)
		return "initrd";
	if (image->env_mem && seg->mem == image->env_mem)
		return "bootenv";
	return "kernel";
}

/* The pages of @seg whose contents are set at the handover. */
static void segment_pages(const struct kexec_boot_image *image,
			  const struct kexec_boot_segment *seg,
			  struct page_counts *counts)
{
	u64 data_end = seg->mem + (seg->scratch ? seg->bufsz : seg->memsz);

	count_pages(image, seg->mem & PAGE_MASK, PAGE_ALIGN(data_end), counts);
}

static size_t write_segments(const struct kexec_boot_image *image, char *buf,
			     size_t size)
{
	const struct kexec_boot_segment *seg;
	struct page_counts counts;
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < image->layout.nr_segments; i++) {
		seg = &image->layout.segment[i];
		segment_pages(image, seg, &counts);
		len += scnprintf(buf + len, size - len,
				 "segment 0x%08llx-0x%08llx size %llu %s in_place %lu copied %lu\n",
				 seg->mem, seg->mem + seg->memsz - 1,
				 seg->memsz, segment_role(image, seg),
				 counts.in_place, counts.copied);
	}
	count_pages(image, 0, U64_MAX, &counts);
	len += scnprintf(buf + len, size - len,
			 "pages %lu in_place %lu copied %lu\n",
			 image->nr_dest, counts.in_place, counts.copied);
	return len;
}

static size_t write_ram(const struct kexec_boot_ram *ram, char *buf,
			size_t size)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < ram->nr; i++)
		len += scnprintf(buf + len, size - len,
				 "ram 0x%08llx-0x%08llx\n", ram->start[i],
				 ram->end[i] - 1);
	return len;
}

/**
 * kexec_boot_report - the segment map of a prepared image, as text
 * @image:	an image whose destination pages are allocated
 *
 * Reads the usable RAM again from the machine part, so the report shows
 * the ranges the load was checked against.
 *
 * Return: a kmalloc'ed NUL-terminated string for the caller to free, or
 * an ERR_PTR() (-ENOMEM, or the machine part's error).
 */
char *kexec_boot_report(const struct kexec_boot_image *image)
{
	struct kexec_boot_ram *ram;
	size_t size, len;
	char *buf = NULL;
	int ret;

	ram = kzalloc(sizeof(*ram), GFP_KERNEL);
	if (!ram)
		return ERR_PTR(-ENOMEM);
	ret = arch_kexec_boot_ram(ram);
	if (ret) {
		pr_err("cannot read the memory map for the segment report: error %d\n",
		       ret);
		goto out;
	}
	size = REPORT_LINE_MAX * (REPORT_FIXED_LINES + ram->nr +
				  image->layout.nr_segments);
	buf = kmalloc(size, GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	len = scnprintf(buf, size, "format %s\nentry 0x%08llx\ncmdline_len %zu\n",
			image->format->name, image->layout.entry,
			image->cmdline_len);
	len += write_ram(ram, buf + len, size - len);
	write_segments(image, buf + len, size - len);
out:
	kfree(ram);
	return ret ? ERR_PTR(ret) : buf;
}

/**
 * kexec_boot_report_read - copy part of a report for a sysfs read
 * @report:	the report, or NULL for an empty one
 * @buf:	where to copy to
 * @off:	offset into the report
 * @count:	bytes wanted
 *
 * Return: the number of bytes copied, 0 past the end.
 */
ssize_t kexec_boot_report_read(const char *report, char *buf, loff_t off,
			       size_t count)
{
	if (!report)
		return 0;
	return memory_read_from_buffer(buf, count, &off, report,
				       strlen(report));
}

/**
 * kexec_boot_report_keep_dry_run - keep the report of a dry run
 * @report:	the report (kmalloc'ed); this function takes it over
 *
 * It replaces, and frees, the report of the previous dry run.
 */
void kexec_boot_report_keep_dry_run(char *report)
{
	char *old;

	mutex_lock(&dry_run_mutex);
	old = dry_run_report;
	dry_run_report = report;
	mutex_unlock(&dry_run_mutex);
	kfree(old);
}

/**
 * kexec_boot_report_read_dry_run - copy part of the last dry run's report
 * @buf:	where to copy to
 * @off:	offset into the report
 * @count:	bytes wanted
 *
 * Return: the number of bytes copied; 0 past the end or before any dry run.
 */
ssize_t kexec_boot_report_read_dry_run(char *buf, loff_t off, size_t count)
{
	ssize_t ret;

	mutex_lock(&dry_run_mutex);
	ret = kexec_boot_report_read(dry_run_report, buf, off, count);
	mutex_unlock(&dry_run_mutex);
	return ret;
}
