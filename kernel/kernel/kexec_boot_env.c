// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot boot environment: the OS-neutral description of the facts a
 * new kernel cannot probe (command line, memory map, initrd, firmware table
 * pointers), handed to generic ELF images.  A header and typed, sized
 * records (include/uapi/linux/kexec_boot.h): a reader skips the record
 * types it does not know, so new facts can be added without breaking old
 * kernels.  Pure: it writes into a buffer and nothing else.
 */
#include <linux/kexec_boot.h>
#include <linux/string.h>
#include <uapi/linux/kexec_boot.h>

struct env_writer {
	u8 *buf;
	u32 size;
	u32 used;
	u32 nr_records;
};

static u32 record_size(u32 data_size)
{
	return sizeof(struct kexec_boot_env_record) + ((data_size + 7) & ~7U);
}

/* Appends a record; only counts its size when it does not fit. */
static void add_record(struct env_writer *w, u32 type, const void *data,
		       u32 data_size)
{
	struct kexec_boot_env_record rec = { .type = type, .size = data_size };
	u32 total = record_size(data_size);

	if (w->buf && w->used + total <= w->size) {
		memcpy(w->buf + w->used, &rec, sizeof(rec));
		if (data_size)
			memcpy(w->buf + w->used + sizeof(rec), data, data_size);
		memset(w->buf + w->used + sizeof(rec) + data_size, 0,
		       total - sizeof(rec) - data_size);
		w->nr_records++;
	}
	w->used += total;
}

static void add_records(struct env_writer *w,
			const struct kexec_boot_env_facts *facts)
{
	struct kexec_boot_env_range initrd = {
		.addr = facts->initrd_addr, .size = facts->initrd_size,
	};

	if (facts->cmdline)
		add_record(w, KEXEC_BOOT_ENV_CMDLINE, facts->cmdline,
			   strlen(facts->cmdline) + 1);
	add_record(w, KEXEC_BOOT_ENV_MEMORY, facts->memory,
		   facts->nr_memory * sizeof(*facts->memory));
	add_record(w, KEXEC_BOOT_ENV_INITRD, &initrd, sizeof(initrd));
	if (facts->rsdp)
		add_record(w, KEXEC_BOOT_ENV_RSDP, &facts->rsdp,
			   sizeof(facts->rsdp));
	if (facts->loader)
		add_record(w, KEXEC_BOOT_ENV_LOADER, facts->loader,
			   strlen(facts->loader) + 1);
}

/**
 * kexec_boot_env_write - lay out a boot environment
 * @buf:	where to write it, or NULL to only measure it
 * @size:	bytes available at @buf
 * @facts:	what to describe; a NULL @facts->cmdline or @facts->loader
 *		and a zero @facts->rsdp leave that record out, an initrd
 *		record is always present (size 0: no initrd)
 *
 * Return: the environment's size in bytes.  Nothing is written unless it
 * fits in @size.
 */
u32 kexec_boot_env_write(void *buf, u32 size,
			 const struct kexec_boot_env_facts *facts)
{
	struct env_writer w = { .used = sizeof(struct kexec_boot_env) };
	struct kexec_boot_env header = {
		.magic = KEXEC_BOOT_ENV_MAGIC,
		.version = KEXEC_BOOT_ENV_VERSION,
	};

	add_records(&w, facts);
	if (!buf || w.used > size)
		return w.used;
	header.size = w.used;
	w = (struct env_writer){ .buf = buf, .size = size,
				 .used = sizeof(header) };
	add_records(&w, facts);
	header.nr_records = w.nr_records;
	memcpy(buf, &header, sizeof(header));
	return w.used;
}
