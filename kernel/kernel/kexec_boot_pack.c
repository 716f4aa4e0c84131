// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot packed images: one ELF32 file that carries a kernel, an
 * initrd and a command line, so that a single file (fetched over a network,
 * kept in a boot ROM) boots with no further arguments.
 *
 * The pieces are described by notes owned by "kexec_boot" in the file's
 * PT_NOTE segment (include/uapi/linux/kexec_boot.h): the kernel (required)
 * and the initrd as <file offset, size>, offsets 8-byte aligned, the
 * command line inline.  The
 * kernel inside may be in any format the machine boots, except another
 * packed image.  Like the ELF parser this touches nothing outside the
 * buffer, so it is safe on any input; every refusal names its cause.
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

/* Points @piece into @buf at the blob a note describes. */
static int unpack_blob(const void *buf, u64 len, u32 type, const char *what,
		       const void **piece, u64 *size)
{
	struct kexec_boot_pack_blob blob;
	const void *desc;
	u32 desc_len;

	if (!has_note(buf, len, type, &desc, &desc_len))
		return 0;
	if (desc_len != sizeof(blob)) {
		pr_err("packed image: %s note of %u bytes, expected %zu\n",
		       what, desc_len, sizeof(blob));
		return -ENOEXEC;
	}
	memcpy(&blob, desc, sizeof(blob));
	if (blob.size == 0 || blob.size > len || blob.offset > len - blob.size) {
		pr_err("packed image: %s at %llu+%llu is empty or past the file end %llu\n",
		       what, blob.offset, blob.size, len);
		return -ENOEXEC;
	}
	/* The formats read the kernel's headers as aligned structures. */
	if (blob.offset % KEXEC_BOOT_PACK_ALIGN) {
		pr_err("packed image: %s at offset %llu is not %d-byte aligned\n",
		       what, blob.offset, KEXEC_BOOT_PACK_ALIGN);
		return -ENOEXEC;
	}
	*piece = (const char *)buf + blob.offset;
	*size = blob.size;
	return 0;
}

static int unpack_cmdline(const void *buf, u64 len, const char **cmdline)
{
	const void *desc;
	u32 desc_len;

	if (!has_note(buf, len, KEXEC_BOOT_NOTE_CMDLINE, &desc, &desc_len))
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
 * kexec_boot_unpack - the pieces of a packed image
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
	const void *desc;
	u32 desc_len;
	int ret;

	if (!has_note(buf, len, KEXEC_BOOT_ELF_NOTE_ANY, &desc, &desc_len))
		return -ENOENT;
	memset(parts, 0, sizeof(*parts));
	ret = unpack_blob(buf, len, KEXEC_BOOT_NOTE_KERNEL, "kernel",
			  &parts->kernel, &parts->kernel_size);
	if (ret)
		return ret;
	if (!parts->kernel) {
		pr_err("packed image: no kernel note\n");
		return -ENOEXEC;
	}
	if (has_note(parts->kernel, parts->kernel_size,
		     KEXEC_BOOT_ELF_NOTE_ANY, &desc, &desc_len)) {
		pr_err("packed image: the kernel inside is itself a packed image\n");
		return -ENOEXEC;
	}
	ret = unpack_blob(buf, len, KEXEC_BOOT_NOTE_INITRD, "initrd",
			  &parts->initrd, &parts->initrd_size);
	if (ret)
		return ret;
	return unpack_cmdline(buf, len, &parts->cmdline);
}
