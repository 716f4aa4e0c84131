/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between kernel/kexec_boot.c (the system call, the image's lifetime) and
 * kernel/kexec_boot_read.c (reading the files of one load).
 */
#ifndef _KERNEL_KEXEC_BOOT_READ_H
#define _KERNEL_KEXEC_BOOT_READ_H

#include <linux/kexec_boot.h>

#include "kexec_boot_pages.h"

struct file;

/**
 * struct kexec_boot_files - the files of one load
 * @kernel_file:	the kernel file
 * @kernel:		its content read whole, or the kernel piece of a
 *			packed image too big to read whole; pages the image
 *			takes as holders are gone from it
 * @head:		such a packed image's headers and notes (its
 *			command line points here)
 * @kernel_denied:	write access to @kernel_file is denied until the
 *			files are put
 * @initrd:		the file the initrd is read from into its pages
 *			(write access denied), or NULL
 * @initrd_offset:	where in @initrd the initrd starts
 * @initrd_file_size:	the size @initrd must keep while it is read
 */
struct kexec_boot_files {
	struct file *kernel_file;
	struct kexec_boot_buffer kernel;
	void *head;
	bool kernel_denied;
	struct file *initrd;
	loff_t initrd_offset;
	loff_t initrd_file_size;
};

int kexec_boot_read_parts(struct kexec_boot_files *files, int kernel_fd,
			  int initrd_fd, struct kexec_boot_parts *parts);
int kexec_boot_read_initrd(struct kexec_boot_image *image,
			   const struct kexec_boot_files *files);
void kexec_boot_put_files(struct kexec_boot_files *files);

#endif /* _KERNEL_KEXEC_BOOT_READ_H */
