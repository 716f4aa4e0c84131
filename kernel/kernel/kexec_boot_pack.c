// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot packed images: one ELF32 file that carries a kernel, an
 * initrd and a command line, so that a single file (fetched over a network,
 * kept in a boot ROM) boots with no further arguments.
 *
 * The pieces are described by notes owned by "kexec_boot" in the file's
 * PT_NOTE segment (include/uapi/linux/kexec_boot.h): the kernel (required)
 * and the initrd as <file offset, size>, offsets 8-byte aligned, the
 * command line inline.  The kernel inside may be in any format the machine
 * boots, except another packed image.  The head of the file, up to the end
 * of its notes, is enough to find the pieces: a file too big to read whole
 * is read piece by piece.  Like the ELF parser this touches nothing outside
 * the buffer, so it is safe on any input; every refusal names its cause.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/errno.h>
#include <linux/kexec_boot.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <uapi/linux/kexec_boot.h>

static bool has_note(const void *buf, u64 len, u32 type, const void **desc,
		     u32 *desc_len)
{
	return !kexec_boot_elf_find_note(buf, len, KEXEC_BOOT_NOTE_OWNER, type,
					 desc, desc_len);
}

/* Where the blob a note describes lies in a file of @file_len bytes. */
static int find_blob(const void *head, u64 head_len, u64 file_len, u32 type,
		     const char *what, u64 *offset, u64 *size)
{
	struct kexec_boot_pack_blob blob;
	const void *desc;
	u32 desc_len;

	if (!has_note(head, head_len, type, &desc, &desc_len))
		return 0;
	if (desc_len != sizeof(blob)) {
		pr_err("packed image: %s note of %u bytes, expected %zu\n",
		       what, desc_len, sizeof(blob));
		return -ENOEXEC;
	}
	memcpy(&blob, desc, sizeof(blob));
	if (blob.size == 0 || blob.size > file_len ||
	    blob.offset > file_len - blob.size) {
		pr_err("packed image: %s at %llu+%llu is empty or past the file end %llu\n",
		       what, blob.offset, blob.size, file_len);
		return -ENOEXEC;
	}
	/* The formats read the kernel's headers as aligned structures. */
	if (blob.offset % KEXEC_BOOT_PACK_ALIGN) {
		pr_err("packed image: %s at offset %llu is not %d-byte aligned\n",
		       what, blob.offset, KEXEC_BOOT_PACK_ALIGN);
		return -ENOEXEC;
	}
	*offset = blob.offset;
	*size = blob.size;
	return 0;
}

static int find_cmdline(const void *head, u64 head_len, const char **cmdline)
{
	const void *desc;
	u32 desc_len;

	if (!has_note(head, head_len, KEXEC_BOOT_NOTE_CMDLINE, &desc, &desc_len))
		return 0;
	if (!desc_len || !memchr(desc, 0, desc_len)) {
		pr_err("packed image: command line note is not NUL-terminated\n");
		return -ENOEXEC;
	}
	if (strlen(desc) >= KEXEC_BOOT_CMDLINE_MAX) {
		pr_err("packed image: command line of %zu bytes exceeds %d\n",
		       strlen(desc) + 1, KEXEC_BOOT_CMDLINE_MAX);
		return -E2BIG;
	}
	*cmdline = desc;
	return 0;
}

/**
 * kexec_boot_pack_find - where the pieces of a packed image lie
 * @head:	the start of the file, holding its ELF and program headers
 *		and its notes
 * @head_len:	bytes in @head
 * @file_len:	bytes in the whole file
 * @pack:	on success, the kernel's and the initrd's place in the file
 *		(initrd size 0 if there is none) and the command line
 *		(pointing into @head, NULL if none)
 *
 * Return: 0 if @head starts a well-formed packed image, -ENOENT if it is
 * not a packed image at all, -ENOEXEC or -E2BIG if it is a malformed one
 * or its notes run past @head.
 */
int kexec_boot_pack_find(const void *head, u64 head_len, u64 file_len,
			 struct kexec_boot_pack *pack)
{
	const void *desc;
	u64 notes_end;
	u32 desc_len;
	int ret;

	if (!has_note(head, head_len, KEXEC_BOOT_ELF_NOTE_ANY, &desc, &desc_len))
		return -ENOENT;
	/* In a head shorter than the file, a cut note would go unseen. */
	notes_end = kexec_boot_elf_notes_end(head, head_len);
	if (head_len < file_len && notes_end > head_len) {
		pr_err("packed image: its notes end at %llu, past the first %llu bytes read\n",
		       notes_end, head_len);
		return -ENOEXEC;
	}
	memset(pack, 0, sizeof(*pack));
	ret = find_blob(head, head_len, file_len, KEXEC_BOOT_NOTE_KERNEL,
			"kernel", &pack->kernel_offset, &pack->kernel_size);
	if (ret)
		return ret;
	if (!pack->kernel_size) {
		pr_err("packed image: no kernel note\n");
		return -ENOEXEC;
	}
	ret = find_blob(head, head_len, file_len, KEXEC_BOOT_NOTE_INITRD,
			"initrd", &pack->initrd_offset, &pack->initrd_size);
	if (ret)
		return ret;
	return find_cmdline(head, head_len, &pack->cmdline);
}

/**
 * kexec_boot_pack_check_kernel - refuse a packed image inside a packed image
 * @kernel:	the kernel piece of a packed image
 * @size:	its size in bytes
 *
 * Return: 0, or -ENOEXEC if the kernel piece is itself a packed image.
 */
int kexec_boot_pack_check_kernel(const void *kernel, u64 size)
{
	const void *desc;
	u32 desc_len;

	if (has_note(kernel, size, KEXEC_BOOT_ELF_NOTE_ANY, &desc, &desc_len)) {
		pr_err("packed image: the kernel inside is itself a packed image\n");
		return -ENOEXEC;
	}
	return 0;
}

/**
 * kexec_boot_unpack - the pieces of a packed image read whole
 * @buf:	the whole file
 * @len:	its length in bytes
 * @parts:	on success, the kernel, initrd (NULL if none) and command
 *		line (NULL if none), all pointing into @buf
 *
 * Return: 0 if @buf is a well-formed packed image, -ENOENT if it is not a
 * packed image at all, -ENOEXEC or -E2BIG if it is a malformed one.
 */
int kexec_boot_unpack(const void *buf, u64 len, struct kexec_boot_parts *parts)
{
	struct kexec_boot_pack pack;
	int ret;

	ret = kexec_boot_pack_find(buf, len, len, &pack);
	if (ret)
		return ret;
	memset(parts, 0, sizeof(*parts));
	parts->kernel = (const char *)buf + pack.kernel_offset;
	parts->kernel_size = pack.kernel_size;
	ret = kexec_boot_pack_check_kernel(parts->kernel, parts->kernel_size);
	if (ret)
		return ret;
	if (pack.initrd_size)
		parts->initrd = (const char *)buf + pack.initrd_offset;
	parts->initrd_size = pack.initrd_size;
	parts->cmdline = pack.cmdline;
	return 0;
}
