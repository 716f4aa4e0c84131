/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kexec_boot: boot a new kernel from the running one.
 *
 * This header is the contract between the generic part (kernel/kexec_boot*.c:
 * the syscall, image formats, segment placement, page allocation) and the
 * machine part (arch/<arch>/kernel/kexec_boot*.c: memory map, boot
 * environment, shutdown and the copy stub).
 *
 * The layout types and the pure functions working on them (ELF parsing,
 * range checks, initrd placement) use nothing but fixed-size integers, so
 * the very same source is also built and unit-tested in userspace.
 */
#ifndef _LINUX_KEXEC_BOOT_H
#define _LINUX_KEXEC_BOOT_H

/*
 * The copy list the machine part's stub walks: entries of three u64, the
 * stub copies @len bytes from @src to @dest (physical addresses, whole
 * pages).  An entry with @len 0 and a non-zero @src links the next list
 * page; an all-zero entry ends the list.  The offsets are checked against
 * struct kexec_boot_copy at build time.
 */
#define KEXEC_BOOT_COPY_DEST	0
#define KEXEC_BOOT_COPY_SRC	8
#define KEXEC_BOOT_COPY_LEN	16
#define KEXEC_BOOT_COPY_SIZE	24

#ifndef __ASSEMBLY__
#include <linux/types.h>

/**
 * struct kexec_boot_copy - one copy list entry
 * @dest:	physical destination
 * @src:	physical source, or the next list page when @len is 0
 * @len:	bytes, a multiple of PAGE_SIZE
 */
struct kexec_boot_copy {
	u64 dest;
	u64 src;
	u64 len;
};

/*
 * At most this many pieces: the image's PT_LOAD headers plus what the
 * loader adds (initrd, boot environment).  Linkers emit a handful per
 * kernel; the bound keeps the sort and the placement, both quadratic in
 * it, short.
 */
#define KEXEC_BOOT_MAX_SEGMENTS	256
/* At most this many usable RAM ranges are considered. */
#define KEXEC_BOOT_MAX_RAM_RANGES	128

/**
 * struct kexec_boot_segment - one <physical address, length, data> piece
 * @buf:	bytes to place (kernel virtual address); unused if @bufsz is 0
 * @bufsz:	number of bytes taken from @buf
 * @mem:	physical destination address
 * @memsz:	bytes occupied at @mem; bytes past @bufsz are zero
 * @scratch:	bytes past @bufsz are the image's own work space: reserved
 *		(nothing else is placed there) but neither zeroed nor copied
 */
struct kexec_boot_segment {
	const void *buf;
	u64 bufsz;
	u64 mem;
	u64 memsz;
	bool scratch;
};

/**
 * struct kexec_boot_layout - what an image format loader yields
 * @segment:	the pieces, sorted by @mem once checked
 * @nr_segments: number of valid entries in @segment
 * @entry:	physical address the new kernel is entered at
 * @initrd_limit: the initrd must end at or below this address
 * @entry_64:	the image is entered in the 64-bit mode of a 64-bit machine
 *		(an ELF64 image, a 64-bit entry point), not its 32-bit mode
 */
struct kexec_boot_layout {
	struct kexec_boot_segment segment[KEXEC_BOOT_MAX_SEGMENTS];
	unsigned int nr_segments;
	u64 entry;
	u64 initrd_limit;
	bool entry_64;
};

/**
 * struct kexec_boot_ram - usable RAM as the firmware reported it
 * @nr:		number of ranges
 * @start:	first byte of each range
 * @end:	first byte past each range
 *
 * Ranges are sorted, do not overlap and adjacent ranges are merged.
 */
struct kexec_boot_ram {
	unsigned int nr;
	u64 start[KEXEC_BOOT_MAX_RAM_RANGES];
	u64 end[KEXEC_BOOT_MAX_RAM_RANGES];
};

/**
 * struct kexec_boot_parts - what one load boots
 * @kernel:	the kernel image
 * @kernel_size: its size in bytes
 * @initrd:	the initrd's bytes; NULL if there is none, or if it is read
 *		from its file straight into its pages (@initrd_size set)
 * @initrd_size: its size in bytes
 * @cmdline:	a NUL-terminated command line the image carries, or NULL
 */
struct kexec_boot_parts {
	const void *kernel;
	u64 kernel_size;
	const void *initrd;
	u64 initrd_size;
	const char *cmdline;
};

struct kexec_boot_env_memory;

/**
 * struct kexec_boot_env_facts - what a boot environment describes
 * @cmdline:	NUL-terminated command line, or NULL
 * @memory:	the memory map, @nr_memory entries
 * @nr_memory:	number of entries in @memory
 * @initrd_addr: physical address of the initrd
 * @initrd_size: its size, 0 if there is none
 * @rsdp:	physical address of the ACPI RSDP, 0 if unknown
 * @loader:	NUL-terminated name of the loader, or NULL
 */
struct kexec_boot_env_facts {
	const char *cmdline;
	const struct kexec_boot_env_memory *memory;
	u32 nr_memory;
	u64 initrd_addr;
	u64 initrd_size;
	u64 rsdp;
	const char *loader;
};

/* kexec_boot_elf_find_note() type that matches every note of an owner. */
#define KEXEC_BOOT_ELF_NOTE_ANY	0xffffffffU

/*
 * The ELF machines (e_machine) the machine part boots, EM_NONE-terminated:
 * kexec_boot_elf.c accepts these and no others.
 */
extern const u16 kexec_boot_elf_machines[];

/* Image formats (kernel/kexec_boot_elf.c, kernel/kexec_boot_pack.c). */
const char *kexec_boot_elf_probe(const void *buf, u64 len);
int kexec_boot_elf_parse(const void *buf, u64 len,
			 struct kexec_boot_layout *layout);
int kexec_boot_elf_find_note(const void *buf, u64 len, const char *owner,
			     u32 type, const void **desc, u32 *desc_len);
/**
 * struct kexec_boot_pack - where a packed image's pieces lie in its file
 * @kernel_offset: the kernel's offset in the file
 * @kernel_size: its size in bytes
 * @initrd_offset: the initrd's offset in the file
 * @initrd_size: its size in bytes, 0 if there is none
 * @cmdline:	the NUL-terminated command line it carries, or NULL
 */
struct kexec_boot_pack {
	u64 kernel_offset;
	u64 kernel_size;
	u64 initrd_offset;
	u64 initrd_size;
	const char *cmdline;
};

u64 kexec_boot_elf_notes_end(const void *buf, u64 len);
int kexec_boot_pack_find(const void *head, u64 head_len, u64 file_len,
			 struct kexec_boot_pack *pack);
int kexec_boot_pack_check_kernel(const void *kernel, u64 size);
int kexec_boot_unpack(const void *buf, u64 len, struct kexec_boot_parts *parts);

/* The name every boot environment gives for its loader. */
#define KEXEC_BOOT_LOADER_NAME	"kexec_boot"

/* Boot environment of generic ELF images (kernel/kexec_boot_env.c). */
u32 kexec_boot_env_write(void *buf, u32 size,
			 const struct kexec_boot_env_facts *facts);

/**
 * struct kexec_boot_env_source - where a machine part's environment facts
 * come from (kernel/kexec_boot_env_segment.c)
 * @entries:	how many memory map entries there are now
 * @memory:	writes the first @n of them
 * @rsdp:	the ACPI RSDP's physical address (0 if unknown), or NULL
 */
struct kexec_boot_env_source {
	u32 (*entries)(void);
	void (*memory)(struct kexec_boot_env_memory *memory, u32 n);
	u64 (*rsdp)(void);
};

/* Placement (kernel/kexec_boot_layout.c). */
void kexec_boot_ram_add(struct kexec_boot_ram *ram, u64 start, u64 end);
bool kexec_boot_ram_contains(const struct kexec_boot_ram *ram, u64 start,
			     u64 end);
int kexec_boot_check_layout(struct kexec_boot_layout *layout,
			    const struct kexec_boot_ram *ram, u64 addr_limit);
int kexec_boot_check_entry(const struct kexec_boot_layout *layout);
bool kexec_boot_find_place(const struct kexec_boot_layout *layout,
			   const struct kexec_boot_ram *ram, u64 size,
			   u64 align, u64 limit, u64 *addr);
int kexec_boot_place(const struct kexec_boot_layout *layout,
		     const struct kexec_boot_ram *ram, u64 size, u64 align,
		     u64 limit, u64 *addr);
int kexec_boot_add_segment(struct kexec_boot_layout *layout, const void *buf,
			   u64 bufsz, u64 mem, u64 memsz);

#ifdef CONFIG_KEXEC_BOOT
struct page;
struct kexec_boot_arch;
struct kexec_boot_image;

/**
 * struct kexec_boot_format - an image format the kernel can boot
 * @name:	what the user calls it (kexec --type=NAME)
 * @id:		its KEXEC_BOOT_FORMAT_* value
 * @probe:	cheap and side-effect free: NULL if @buf is in this format,
 *		otherwise why it is not
 * @load:	fills the image's layout (segments, entry, initrd limit);
 *		may keep what @prepare needs in @image->format_data
 * @prepare:	builds the boot environment the image expects and the
 *		registers it is entered with, once the pages are allocated
 */
struct kexec_boot_format {
	const char *name;
	unsigned long id;
	const char *(*probe)(const void *buf, u64 len);
	int (*load)(struct kexec_boot_image *image, const void *buf, u64 len,
		    const struct kexec_boot_ram *ram);
	int (*prepare)(struct kexec_boot_image *image);
};

/* The machine part's formats, NULL-terminated, probed in order. */
extern const struct kexec_boot_format *const kexec_boot_formats[];

/**
 * struct kexec_boot_image - a loaded image, ready to be booted
 * @layout:	segments and entry point
 * @format:	the format it was loaded as
 * @format_data: what the format keeps for @prepare (kmalloc'ed)
 * @cmdline:	NUL-terminated command line (kmalloc'ed)
 * @cmdline_len: bytes in @cmdline including the NUL
 * @initrd_mem:	physical address of the initrd, 0 if none
 * @initrd_size: initrd size in bytes
 * @nr_dest:	number of destination pages
 * @dest_addr:	physical address of each destination page, ascending
 * @dest_page:	page holding the contents of each destination page
 * @handover:	pages the handover needs (stub, boot environment, copy list)
 * @spare:	pages allocated outside every destination, not yet used
 * @held:	pages kept from reuse until the load is done: inside a
 *		segment's scratch space or out of the stub's reach, and
 *		holders a destination page replaced
 * @copy_list:	physical address of the first copy list page
 * @nr_in_place: destination pages whose contents already sit there
 * @nr_as_read: destination pages held by the page the kernel file was
 *		read into (its bytes not copied at load)
 * @claim:	ranges of destination pages allocated at their own address,
 *		not yet handed to @dest_page: first PFN and number of pages
 * @nr_claims:	number of entries in @claim
 * @env_mem:	physical address of the boot environment segment the format
 *		reserved (generic ELF), 0 if none
 * @env_size:	its size
 * @report:	the segment map kexec_boot_report() wrote (kmalloc'ed),
 *		shown in /sys/kernel/kexec_boot/
 * @arch:	machine part's private state
 */
struct kexec_boot_image {
	struct kexec_boot_layout layout;
	const struct kexec_boot_format *format;
	void *format_data;
	char *cmdline;
	size_t cmdline_len;
	u64 initrd_mem;
	u64 initrd_size;
	unsigned long nr_dest;
	u64 *dest_addr;
	struct page **dest_page;
	struct list_head handover;
	struct list_head spare;
	struct list_head held;
	u64 copy_list;
	unsigned long nr_in_place;
	unsigned long nr_as_read;
	struct {
		unsigned long pfn;
		unsigned long nr;
	} claim[KEXEC_BOOT_MAX_SEGMENTS];
	unsigned int nr_claims;
	u64 env_mem;
	u32 env_size;
	char *report;
	struct kexec_boot_arch *arch;
};

/**
 * struct kexec_boot_where - what a piece placed in free memory needs
 * @size:	its size in bytes
 * @data:	how many of them, from its start, hold data: the pages
 *		claimed in place (the rest is scratch the image overwrites
 *		once it runs)
 * @align:	its alignment, a power of two
 * @start:	it must start at or above this address
 * @limit:	it must end at or below this address
 */
struct kexec_boot_where {
	u64 size;
	u64 data;
	u64 align;
	u64 start;
	u64 limit;
};

bool kexec_boot_place_in_place(struct kexec_boot_image *image,
			       const struct kexec_boot_ram *ram,
			       const struct kexec_boot_where *where, u64 *addr);
struct page *kexec_boot_alloc_page(struct kexec_boot_image *image);
struct page *kexec_boot_alloc_page_below(struct kexec_boot_image *image,
					 u64 limit);
int kexec_boot_write(struct kexec_boot_image *image, u64 mem,
		     const void *buf, u64 len);
int kexec_boot_env_reserve(struct kexec_boot_image *image,
			   const struct kexec_boot_ram *ram, u64 limit,
			   const struct kexec_boot_env_source *src);
int kexec_boot_env_fill(struct kexec_boot_image *image,
			const struct kexec_boot_env_source *src);
bool kexec_boot_loaded(void);
void kexec_boot_restart(void);
int kexec_boot_kexec(void);

/* Segment maps for /sys/kernel/kexec_boot/ (kernel/kexec_boot_report.c). */
char *kexec_boot_report(const struct kexec_boot_image *image);
ssize_t kexec_boot_report_read(const char *report, char *buf, loff_t off,
			       size_t count);
void kexec_boot_report_keep_dry_run(char *report);
ssize_t kexec_boot_report_read_dry_run(char *buf, loff_t off, size_t count);

/* Implemented by the machine part. */
int arch_kexec_boot_ram(struct kexec_boot_ram *ram);
int arch_kexec_boot_prepare(struct kexec_boot_image *image);
void arch_kexec_boot_free(struct kexec_boot_image *image);
void __noreturn arch_kexec_boot_jump(struct kexec_boot_image *image);
#else
#include <linux/errno.h>

static inline bool kexec_boot_loaded(void) { return false; }
static inline void kexec_boot_restart(void) { }
static inline int kexec_boot_kexec(void) { return -EINVAL; }
#endif /* CONFIG_KEXEC_BOOT */

#endif /* __ASSEMBLY__ */
#endif /* _LINUX_KEXEC_BOOT_H */
