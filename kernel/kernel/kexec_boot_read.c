// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot: reading the files of one load, all through
 * kernel_read_file() so that LSMs and IMA see them.
 *
 * The kernel file is read whole, into pages of the load's own mapped at
 * once, when they fit in vmalloc space, then split if it is a packed
 * image; the pages that hold a destination's bytes become its holders.
 * A packed image too big for that (vmalloc space is some 120 MiB on i386)
 * is read piece by piece: its head, holding the headers and notes, then
 * its kernel; its initrd, like an initrd file, is read straight into the
 * pages that hold it until the handover.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel_read_file.h>
#include <linux/kexec_boot.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "kexec_boot_pages.h"
#include "kexec_boot_read.h"

/* The initrd is read this many pages at a time when it is not read whole. */
#define READ_CHUNK_PAGES	256
/* A packed image's headers and notes lie in this many first bytes. */
#define PACK_HEAD_SIZE		SZ_64K

/* Pages charged to the loader, as the holders they may become. */
#define BUFFER_GFP	(GFP_HIGHUSER | __GFP_ACCOUNT | __GFP_RETRY_MAYFAIL | \
			 __GFP_NOWARN)

static void buffer_free(struct kexec_boot_buffer *buf)
{
	unsigned long i;

	if (buf->addr)
		vunmap(buf->addr);
	for (i = 0; buf->pages && i < buf->nr; i++)
		if (buf->pages[i])
			__free_page(buf->pages[i]);
	kvfree(buf->pages);
	*buf = (struct kexec_boot_buffer){ };
}

/*
 * Pages for @size bytes, mapped in order.  -ENOMEM when memory or vmalloc
 * space runs out, -EINTR on a fatal signal; nothing printed.
 */
static int buffer_alloc(struct kexec_boot_buffer *buf, size_t size)
{
	unsigned long i, nr = PFN_UP(size);

	buf->pages = kvcalloc(nr, sizeof(*buf->pages), GFP_KERNEL_ACCOUNT);
	if (!buf->pages)
		return -ENOMEM;
	buf->nr = nr;
	for (i = 0; i < nr; i++) {
		if (fatal_signal_pending(current))
			return -EINTR;
		buf->pages[i] = alloc_page(BUFFER_GFP);
		if (!buf->pages[i])
			return -ENOMEM;
	}
	buf->addr = vmap(buf->pages, nr, VM_MAP, PAGE_KERNEL);
	return buf->addr ? 0 : -ENOMEM;
}

/*
 * Reads @file whole into @buf; LSMs and IMA see it as @id, content
 * included.  -ENOMEM, with nothing printed, when the file does not fit in
 * memory or vmalloc space: the caller may read it in pieces.
 */
static ssize_t read_file(struct file *file, struct kexec_boot_buffer *buf,
			 enum kernel_read_file_id id, const char *what)
{
	size_t file_size;
	void *addr;
	ssize_t ret;
	loff_t size;

	if (!file || !(file->f_mode & FMODE_READ)) {
		pr_err("cannot read the %s file: error %d\n", what, -EBADF);
		return -EBADF;
	}
	size = i_size_read(file_inode(file));
	if (!S_ISREG(file_inode(file)->i_mode) || size <= 0) {
		pr_err("the %s file is empty or not a regular file\n", what);
		return -EINVAL;
	}
	if (size > INT_MAX) {
		pr_err("the %s file has %lld bytes, more than %d\n", what, size,
		       INT_MAX);
		return -EFBIG;
	}
	ret = buffer_alloc(buf, size);
	if (ret)
		return ret;
	addr = buf->addr;
	ret = kernel_read_file(file, 0, &addr, size, &file_size, id);
	if (ret >= 0 && (ret != size || file_size != size)) {
		pr_err("the %s file changed size while being read\n", what);
		ret = -EIO;
	} else if (ret < 0) {
		pr_err("cannot read the %s file: error %zd\n", what, ret);
	}
	return ret;
}

/* Reads @size bytes at @pos of @file into @buf; all of them or an error. */
static int read_piece(struct file *file, loff_t pos, void *buf, size_t size,
		      const char *what)
{
	size_t file_size;
	ssize_t got;

	got = kernel_read_file(file, pos, &buf, size, &file_size,
			       READING_KEXEC_IMAGE);
	if (got < 0) {
		pr_err("cannot read the %s: error %zd\n", what, got);
		return got;
	}
	if (got != size) {
		pr_err("the %s ends after %zd of its %zu bytes\n", what, got,
		       size);
		return -EIO;
	}
	return 0;
}

/*
 * Opens the initrd file to be read into its pages later; nobody may write
 * to it until it is read.
 */
static int open_initrd(int fd, struct kexec_boot_files *files, u64 *size)
{
	struct file *file = fget(fd);
	int ret;

	if (!file || !(file->f_mode & FMODE_READ)) {
		pr_err("the initrd file descriptor is not open for reading\n");
		ret = -EBADF;
		goto put;
	}
	*size = i_size_read(file_inode(file));
	if (!S_ISREG(file_inode(file)->i_mode) || !*size) {
		pr_err("the initrd file is empty or not a regular file\n");
		ret = -EINVAL;
		goto put;
	}
	if (*size > INT_MAX) {
		pr_err("the initrd file has %llu bytes, more than %d\n", *size,
		       INT_MAX);
		ret = -EFBIG;
		goto put;
	}
	ret = deny_write_access(file);
	if (ret) {
		pr_err("the initrd file is open for writing\n");
		goto put;
	}
	files->initrd = file;
	files->initrd_offset = 0;
	files->initrd_file_size = *size;
	return 0;
put:
	if (file)
		fput(file);
	return ret;
}

/*
 * A packed image's initrd is part of the kernel file, read as
 * READING_KEXEC_IMAGE: have LSMs and IMA check that file as the source of
 * an initramfs too (READING_KEXEC_INITRAMFS; IMA measures and appraises
 * the file itself under its KEXEC_INITRAMFS_CHECK rules).
 */
static int check_packed_initrd(struct file *file)
{
	int ret = security_kernel_read_file(file, READING_KEXEC_INITRAMFS,
					    false);

	if (ret)
		pr_err("the packed initrd was refused by the security policy: error %d\n",
		       ret);
	return ret;
}

/* Reads the head of the denied kernel file and finds its pieces. */
static int find_pieces(struct kexec_boot_files *files, loff_t size,
		       struct kexec_boot_pack *pack)
{
	size_t head_size = min_t(loff_t, size, PACK_HEAD_SIZE);
	int ret;

	files->head = kvmalloc(head_size, GFP_KERNEL);
	if (!files->head)
		return -ENOMEM;
	ret = read_piece(files->kernel_file, 0, files->head, head_size,
			 "kernel file's head");
	if (ret)
		return ret;
	ret = kexec_boot_pack_find(files->head, head_size, size, pack);
	if (ret == -ENOENT) {
		pr_err("the kernel file of %lld bytes cannot be read whole (memory or vmalloc space) and is not a packed image\n",
		       size);
		return -ENOMEM;
	}
	if (!ret && pack->initrd_size > INT_MAX) {
		pr_err("packed image: initrd of %llu bytes, more than %d\n",
		       pack->initrd_size, INT_MAX);
		ret = -EFBIG;
	}
	return ret;
}

/*
 * Reads a packed image too big to read whole: the head, the kernel piece,
 * and leaves the initrd piece to be read into its pages, from this very
 * file, which nobody may write to until then.
 */
static int read_packed_pieces(struct kexec_boot_files *files,
			      struct kexec_boot_parts *parts)
{
	struct file *file = files->kernel_file;
	loff_t size = i_size_read(file_inode(file));
	struct kexec_boot_pack pack;
	int ret;

	ret = deny_write_access(file);
	if (ret) {
		pr_err("the kernel file is open for writing\n");
		return ret;
	}
	files->kernel_denied = true;
	ret = find_pieces(files, size, &pack);
	if (ret)
		return ret;
	ret = buffer_alloc(&files->kernel, pack.kernel_size);
	if (ret)
		return ret;
	ret = read_piece(file, pack.kernel_offset, files->kernel.addr,
			 pack.kernel_size, "packed kernel");
	if (ret)
		return ret;
	ret = kexec_boot_pack_check_kernel(files->kernel.addr,
					   pack.kernel_size);
	if (ret)
		return ret;
	*parts = (struct kexec_boot_parts){
		.kernel = files->kernel.addr, .kernel_size = pack.kernel_size,
		.initrd_size = pack.initrd_size, .cmdline = pack.cmdline,
	};
	files->initrd_offset = pack.initrd_offset;
	files->initrd_file_size = size;
	pr_info("packed image of %lld bytes, read in pieces: kernel of %llu bytes, initrd of %llu bytes%s\n",
		size, pack.kernel_size, pack.initrd_size,
		pack.cmdline ? ", command line" : "");
	return 0;
}

/* The kernel file read whole: a kernel, or a packed image to split. */
static int split_kernel_file(struct kexec_boot_files *files, ssize_t size,
			     struct kexec_boot_parts *parts)
{
	int ret = kexec_boot_unpack(files->kernel.addr, size, parts);

	if (ret == -ENOENT) {
		*parts = (struct kexec_boot_parts){
			.kernel = files->kernel.addr, .kernel_size = size,
		};
		return 0;
	}
	if (ret)
		return ret;
	pr_info("packed image: kernel of %llu bytes, initrd of %llu bytes%s\n",
		parts->kernel_size, parts->initrd_size,
		parts->cmdline ? ", command line" : "");
	return 0;
}

/**
 * kexec_boot_read_parts - read the files of a load and find what to boot
 * @files:	set to what was read and opened; put with
 *		kexec_boot_put_files() whatever this returns
 * @kernel_fd:	the kernel file: a kernel or a packed image
 * @initrd_fd:	an initrd file, or negative
 * @parts:	set to the kernel, initrd and command line to boot
 *
 * An initrd file given replaces a packed one.  An initrd left with a NULL
 * @parts->initrd is read into its pages by kexec_boot_read_initrd().
 *
 * Return: 0 or a negative errno, the reason printed.
 */
int kexec_boot_read_parts(struct kexec_boot_files *files, int kernel_fd,
			  int initrd_fd, struct kexec_boot_parts *parts)
{
	ssize_t size;
	int ret;

	files->kernel_file = fget(kernel_fd);
	size = read_file(files->kernel_file, &files->kernel,
			 READING_KEXEC_IMAGE, "kernel");
	if (size == -ENOMEM) {
		buffer_free(&files->kernel);
		ret = read_packed_pieces(files, parts);
	} else {
		ret = size < 0 ? size : split_kernel_file(files, size, parts);
	}
	if (ret)
		return ret;
	if (initrd_fd >= 0) {
		/* Read into its pages once they are allocated. */
		parts->initrd = NULL;
		return open_initrd(initrd_fd, files, &parts->initrd_size);
	}
	if (!parts->initrd_size)
		return 0;
	ret = check_packed_initrd(files->kernel_file);
	if (ret || parts->initrd)
		return ret;
	/* Read from the packed file, its write access denied until then. */
	ret = deny_write_access(files->kernel_file);
	if (!ret)
		files->initrd = get_file(files->kernel_file);
	return ret;
}

/* Reads up to @nr pages of the initrd at @pos into their pages. */
static int read_initrd_chunk(struct kexec_boot_image *image,
			     const struct kexec_boot_files *files,
			     struct page **pages, unsigned int nr, loff_t pos)
{
	size_t want, file_size;
	ssize_t got;
	void *buf;
	int ret;

	ret = kexec_boot_dest_pages(image, image->initrd_mem + pos, nr, pages);
	if (ret)
		return ret;
	buf = vmap(pages, nr, VM_MAP, PAGE_KERNEL);
	if (!buf)
		return -ENOMEM;
	want = min_t(u64, (size_t)nr << PAGE_SHIFT, image->initrd_size - pos);
	got = kernel_read_file(files->initrd, files->initrd_offset + pos, &buf,
			       want, &file_size, READING_KEXEC_INITRAMFS);
	vunmap(buf);
	if (got < 0) {
		pr_err("cannot read the initrd: error %zd\n", got);
		return got;
	}
	if (got != want || file_size != files->initrd_file_size) {
		pr_err("the initrd file changed size while being read\n");
		return -EIO;
	}
	return 0;
}

/*
 * Reads the initrd whole into one mapping of all its pages: then, for an
 * initrd file, kernel_read_file() hands the content to the LSMs' post-read
 * hooks (security_kernel_post_read_file(), READING_KEXEC_INITRAMFS), as
 * for kexec_file_load().  Returns 1 when the pages cannot be mapped at
 * once (vmalloc space is some 120 MiB on i386).
 */
static int read_initrd_whole(struct kexec_boot_image *image,
			     const struct kexec_boot_files *files)
{
	unsigned long nr = PFN_UP(image->initrd_size);
	size_t file_size;
	struct page **pages;
	ssize_t got;
	void *buf;
	int ret;

	pages = kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return 1;
	ret = kexec_boot_dest_pages(image, image->initrd_mem, nr, pages);
	if (ret) {
		kvfree(pages);
		return ret;
	}
	buf = vmap(pages, nr, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	if (!buf)
		return 1;
	got = kernel_read_file(files->initrd, files->initrd_offset, &buf,
			       image->initrd_size, &file_size,
			       READING_KEXEC_INITRAMFS);
	vunmap(buf);
	if (got < 0) {
		pr_err("cannot read the initrd: error %zd\n", got);
		return got;
	}
	if (got != image->initrd_size || file_size != files->initrd_file_size) {
		pr_err("the initrd file changed size while being read\n");
		return -EIO;
	}
	return 0;
}

/**
 * kexec_boot_read_initrd - read the initrd into the pages that hold it
 * @image:	the image, its initrd placed and its pages allocated
 * @files:	the files kexec_boot_read_parts() opened
 *
 * Whole if the pages can be mapped at once, else a chunk at a time.
 * Chunks are partial reads: LSMs see each (security_kernel_read_file())
 * and IMA measures and appraises the file by itself, but the post-read
 * hooks, which only a whole-file read calls, do not see the content.
 *
 * Return: 0 (also when there is nothing to read) or a negative errno.
 */
int kexec_boot_read_initrd(struct kexec_boot_image *image,
			   const struct kexec_boot_files *files)
{
	struct page **pages;
	unsigned int nr;
	loff_t pos;
	int ret;

	if (!files->initrd)
		return 0;
	ret = read_initrd_whole(image, files);
	if (ret <= 0)
		return ret;
	pr_info("the initrd of %llu bytes cannot be mapped at once: read in pieces, LSM post-read hooks do not see it\n",
		image->initrd_size);
	pages = kmalloc_array(READ_CHUNK_PAGES, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (pos = 0; pos < image->initrd_size; pos += (loff_t)nr << PAGE_SHIFT) {
		nr = min_t(u64, READ_CHUNK_PAGES,
			   PFN_UP(image->initrd_size - pos));
		ret = read_initrd_chunk(image, files, pages, nr, pos);
		if (ret)
			break;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
	}
	kfree(pages);
	return ret;
}

/**
 * kexec_boot_put_files - release what kexec_boot_read_parts() read and opened
 * @files:	the files of the load
 */
void kexec_boot_put_files(struct kexec_boot_files *files)
{
	if (files->initrd) {
		allow_write_access(files->initrd);
		fput(files->initrd);
	}
	if (files->kernel_denied)
		allow_write_access(files->kernel_file);
	buffer_free(&files->kernel);
	kvfree(files->head);
	if (files->kernel_file)
		fput(files->kernel_file);
}
