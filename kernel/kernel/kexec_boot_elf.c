// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot ELF32 image format: splits the program headers of an i386
 * executable into <physical address, length, data> segments, and finds
 * the notes of its PT_NOTE segments (which tell a vmlinux or a packed image
 * from any other executable).
 *
 * Every PT_LOAD header with a non-zero p_memsz becomes one segment placed at
 * p_paddr: p_filesz bytes from the file at p_offset, zero-filled up to
 * p_memsz.  The entry point e_entry is physical and must lie inside a
 * segment.  Nothing here touches memory outside the file buffer, so it is
 * safe on any input; every refusal names its cause.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/kexec_boot.h>
#include <linux/printk.h>
#include <linux/string.h>

/* More program headers than this is not a kernel. */
#define KEXEC_BOOT_ELF_MAX_PHNUM	64

/**
 * kexec_boot_elf_probe - is @buf an ELF32 i386 executable?
 * @buf:	the file
 * @len:	its length
 *
 * Return: NULL if so, otherwise why not.
 */
const char *kexec_boot_elf_probe(const void *buf, u64 len)
{
	const Elf32_Ehdr *ehdr = buf;

	if (len < sizeof(*ehdr) || memcmp(ehdr->e_ident, ELFMAG, SELFMAG))
		return "no ELF magic";
	if (ehdr->e_ident[EI_CLASS] != ELFCLASS32 ||
	    ehdr->e_ident[EI_DATA] != ELFDATA2LSB || ehdr->e_machine != EM_386)
		return "not a 32-bit little-endian i386 ELF";
	if (ehdr->e_type != ET_EXEC)
		return "not an ELF executable (ET_EXEC)";
	return NULL;
}

static int elf_check_header(const Elf32_Ehdr *ehdr, u64 len)
{
	u64 ph_end;

	if (memcmp(ehdr->e_ident, ELFMAG, SELFMAG)) {
		pr_err("not an ELF file (bad magic)\n");
		return -ENOEXEC;
	}
	if (ehdr->e_ident[EI_CLASS] != ELFCLASS32) {
		pr_err("ELF class %u is not ELFCLASS32\n", ehdr->e_ident[EI_CLASS]);
		return -ENOEXEC;
	}
	if (ehdr->e_ident[EI_DATA] != ELFDATA2LSB) {
		pr_err("ELF data encoding %u is not little-endian\n",
		       ehdr->e_ident[EI_DATA]);
		return -ENOEXEC;
	}
	if (ehdr->e_machine != EM_386) {
		pr_err("ELF machine %u is not EM_386\n", ehdr->e_machine);
		return -ENOEXEC;
	}
	if (ehdr->e_type != ET_EXEC) {
		pr_err("ELF type %u is not ET_EXEC\n", ehdr->e_type);
		return -ENOEXEC;
	}
	if (ehdr->e_phentsize != sizeof(Elf32_Phdr)) {
		pr_err("ELF program header size %u, expected %zu\n",
		       ehdr->e_phentsize, sizeof(Elf32_Phdr));
		return -ENOEXEC;
	}
	if (ehdr->e_phnum == 0 || ehdr->e_phnum > KEXEC_BOOT_ELF_MAX_PHNUM) {
		pr_err("ELF has %u program headers, expected 1 to %u\n",
		       ehdr->e_phnum, KEXEC_BOOT_ELF_MAX_PHNUM);
		return -ENOEXEC;
	}
	ph_end = (u64)ehdr->e_phoff + (u64)ehdr->e_phnum * sizeof(Elf32_Phdr);
	if (ph_end > len) {
		pr_err("ELF program headers end at %llu, past the file end %llu\n",
		       ph_end, len);
		return -ENOEXEC;
	}
	return 0;
}

static int elf_check_load(const Elf32_Phdr *phdr, unsigned int index, u64 len)
{
	if (phdr->p_filesz > phdr->p_memsz) {
		pr_err("ELF segment %u: file size %u exceeds memory size %u\n",
		       index, phdr->p_filesz, phdr->p_memsz);
		return -ENOEXEC;
	}
	if ((u64)phdr->p_offset + phdr->p_filesz > len) {
		pr_err("ELF segment %u: data at %u+%u runs past the file end %llu\n",
		       index, phdr->p_offset, phdr->p_filesz, len);
		return -ENOEXEC;
	}
	if ((u64)phdr->p_paddr + phdr->p_memsz > 0x100000000ULL) {
		pr_err("ELF segment %u: %#x+%#x wraps past 4 GiB\n",
		       index, phdr->p_paddr, phdr->p_memsz);
		return -EADDRNOTAVAIL;
	}
	return 0;
}

/**
 * kexec_boot_elf_parse - split an ELF32 i386 executable into segments
 * @buf:	the whole file
 * @len:	its length in bytes
 * @layout:	filled with one segment per loadable program header and the
 *		entry point; segments point into @buf
 *
 * Return: 0, -ENOEXEC if @buf is not a well-formed ELF32 i386 executable,
 * -EADDRNOTAVAIL if a segment wraps past 4 GiB or the entry point is
 * outside every segment, -E2BIG if it has too many loadable segments.
 */
int kexec_boot_elf_parse(const void *buf, u64 len,
			 struct kexec_boot_layout *layout)
{
	const Elf32_Ehdr *ehdr = buf;
	const char *file = buf;
	Elf32_Phdr phdr;
	unsigned int i;
	int ret;

	layout->nr_segments = 0;
	if (len < sizeof(*ehdr)) {
		pr_err("file of %llu bytes is too short for an ELF header\n", len);
		return -ENOEXEC;
	}
	ret = elf_check_header(ehdr, len);
	if (ret)
		return ret;

	for (i = 0; i < ehdr->e_phnum; i++) {
		/* Program headers need not be aligned in the file. */
		memcpy(&phdr, file + ehdr->e_phoff + i * sizeof(phdr),
		       sizeof(phdr));
		if (phdr.p_type != PT_LOAD || phdr.p_memsz == 0)
			continue;
		ret = elf_check_load(&phdr, i, len);
		if (ret)
			return ret;
		ret = kexec_boot_add_segment(layout, file + phdr.p_offset,
					     phdr.p_filesz, phdr.p_paddr,
					     phdr.p_memsz);
		if (ret)
			return ret;
	}
	if (!layout->nr_segments) {
		pr_err("ELF has no loadable segment\n");
		return -ENOEXEC;
	}
	layout->entry = ehdr->e_entry;
	return kexec_boot_check_entry(layout);
}

static u64 note_align(u64 offset)
{
	return (offset + 3) & ~3ULL;
}

static bool note_matches(const Elf32_Nhdr *nhdr, const char *name,
			 const char *owner, u32 type)
{
	size_t owner_size = strlen(owner) + 1;

	return (type == KEXEC_BOOT_ELF_NOTE_ANY || nhdr->n_type == type) &&
	       nhdr->n_namesz == owner_size && !memcmp(name, owner, owner_size);
}

/* Searches the notes in [@pos, @end) of @file; see kexec_boot_elf_find_note. */
static int find_note_in(const char *file, u64 pos, u64 end, const char *owner,
			u32 type, const void **desc, u32 *desc_len)
{
	Elf32_Nhdr nhdr;
	u64 desc_pos, next;

	while (pos + sizeof(nhdr) <= end) {
		memcpy(&nhdr, file + pos, sizeof(nhdr));
		desc_pos = note_align(pos + sizeof(nhdr) + nhdr.n_namesz);
		next = note_align(desc_pos + nhdr.n_descsz);
		if (desc_pos + nhdr.n_descsz > end)
			break;
		if (note_matches(&nhdr, file + pos + sizeof(nhdr), owner, type)) {
			*desc = file + desc_pos;
			*desc_len = nhdr.n_descsz;
			return 0;
		}
		pos = next;
	}
	return -ENOENT;
}

/**
 * kexec_boot_elf_find_note - a note in an ELF32 i386 executable
 * @buf:	the whole file
 * @len:	its length in bytes
 * @owner:	the note's name (its owner), e.g. "Linux"
 * @type:	the note's type, or KEXEC_BOOT_ELF_NOTE_ANY
 * @desc:	set to the note's descriptor, inside @buf
 * @desc_len:	set to the descriptor's length in bytes
 *
 * Looks through the PT_NOTE segments in file order; a note that runs past
 * its segment or the file ends the search of that segment.
 *
 * Return: 0 if found, -ENOENT if @buf is no ELF32 i386 executable or has
 * no such note.
 */
int kexec_boot_elf_find_note(const void *buf, u64 len, const char *owner,
			     u32 type, const void **desc, u32 *desc_len)
{
	const Elf32_Ehdr *ehdr = buf;
	const char *file = buf;
	Elf32_Phdr phdr;
	unsigned int i;
	u64 end;

	if (kexec_boot_elf_probe(buf, len) ||
	    ehdr->e_phentsize != sizeof(phdr) ||
	    ehdr->e_phoff + (u64)ehdr->e_phnum * sizeof(phdr) > len)
		return -ENOENT;
	for (i = 0; i < ehdr->e_phnum; i++) {
		memcpy(&phdr, file + ehdr->e_phoff + i * sizeof(phdr),
		       sizeof(phdr));
		if (phdr.p_type != PT_NOTE)
			continue;
		end = (u64)phdr.p_offset + phdr.p_filesz;
		if (find_note_in(file, phdr.p_offset, end < len ? end : len,
				 owner, type, desc, desc_len) == 0)
			return 0;
	}
	return -ENOENT;
}
