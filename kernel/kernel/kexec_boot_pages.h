/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between kernel/kexec_boot.c (the system call, the image's lifetime) and
 * kernel/kexec_boot_pages.c (destination pages, in-place claims, the copy
 * list).
 */
#ifndef _KERNEL_KEXEC_BOOT_PAGES_H
#define _KERNEL_KEXEC_BOOT_PAGES_H

#include <linux/kexec_boot.h>

struct page;

/**
 * struct kexec_boot_buffer - a file read into pages the load owns
 * @addr:	the pages, mapped in order
 * @pages:	the pages; an entry is NULL once a destination took it
 * @nr:		how many
 *
 * The destinations a segment's bytes fill keep the buffer's pages that
 * hold those bytes when the offsets in a page agree: the file is read once
 * and its bytes are not copied again at load.
 */
struct kexec_boot_buffer {
	void *addr;
	struct page **pages;
	unsigned long nr;
};

int kexec_boot_fill_pages(struct kexec_boot_image *image,
			  struct kexec_boot_buffer *from);
int kexec_boot_dest_pages(const struct kexec_boot_image *image, u64 addr,
			  unsigned long nr, struct page **pages);
int kexec_boot_build_copy_list(struct kexec_boot_image *image);
void kexec_boot_drop_spares(struct kexec_boot_image *image);
void kexec_boot_free_pages(struct kexec_boot_image *image);

#endif /* _KERNEL_KEXEC_BOOT_PAGES_H */
