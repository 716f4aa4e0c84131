// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot ELF image format: splits the program headers of an ELF32 or
 * ELF64 executable into <physical address, length, data> segments, and
 * finds the notes of its PT_NOTE segments (which tell a vmlinux or a
 * packed image from any other executable).
 *
 * Which machines (e_machine) can be booted is the machine part's answer
 * (kexec_boot_elf_machines[]); this file knows no architecture.  Both
 * classes are read into one class-neutral form first.  Every PT_LOAD header
 * with a non-zero p_memsz becomes one segment placed at p_paddr: p_filesz
 * bytes from the file at p_offset, zero-filled up to p_memsz.  The entry
 * point e_entry is physical and must lie inside a segment.  Nothing here
 * touches memory outside the file buffer, so it is safe on any input; every
 * refusal names its cause.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/kexec_boot.h>
#include <linux/printk.h>
#include <linux/string.h>

/* More program headers than this is not a kernel. */
#define KEXEC_BOOT_ELF_MAX_PHNUM	512

/* The fields of an ELF header this file uses, whatever the class. */
struct elf_header {
	u8 class;
	u16 type;
	u16 machine;
	u64 entry;
	u64 phoff;
	u16 phentsize;
	u16 phnum;
};

/* The fields of a program header this file uses, whatever the class. */
struct elf_program {
	u32 type;
	u64 offset;
	u64 paddr;
	u64 filesz;
	u64 memsz;
};

static bool machine_bootable(u16 machine)
{
	const u16 *m;

	for (m = kexec_boot_elf_machines; *m != EM_NONE; m++)
		if (*m == machine)
			return true;
	return false;
}

/* Is @buf a little-endian ELF executable, whatever its machine? */
static const char *probe_any_machine(const void *buf, u64 len)
{
	const unsigned char *ident = buf;
	Elf32_Ehdr ehdr;

	/* e_type has the same place in both classes. */
	if (len < sizeof(Elf32_Ehdr) || memcmp(ident, ELFMAG, SELFMAG))
		return "no ELF magic";
	memcpy(&ehdr, buf, sizeof(ehdr));
	if (ident[EI_CLASS] != ELFCLASS32 && ident[EI_CLASS] != ELFCLASS64)
		return "neither ELFCLASS32 nor ELFCLASS64";
	if (ident[EI_CLASS] == ELFCLASS64 && len < sizeof(Elf64_Ehdr))
		return "shorter than an ELF64 header";
	if (ident[EI_DATA] != ELFDATA2LSB)
		return "not a little-endian ELF";
	if (ehdr.e_type != ET_EXEC)
		return "not an ELF executable (ET_EXEC)";
	return NULL;
}

/**
 * kexec_boot_elf_probe - is @buf an ELF executable this machine boots?
 * @buf:	the file
 * @len:	its length
 *
 * Return: NULL if so, otherwise why not.
 */
const char *kexec_boot_elf_probe(const void *buf, u64 len)
{
	const char *why = probe_any_machine(buf, len);
	Elf32_Ehdr ehdr;

	if (why)
		return why;
	/* e_machine has the same place in both classes. */
	memcpy(&ehdr, buf, sizeof(ehdr));
	if (!machine_bootable(ehdr.e_machine))
		return "an ELF for a machine this kernel does not boot";
	return NULL;
}

/* Reads the header of a file probe_any_machine() accepted. */
static void read_header(const void *buf, struct elf_header *hdr)
{
	Elf64_Ehdr e64;
	Elf32_Ehdr e32;

	hdr->class = ((const unsigned char *)buf)[EI_CLASS];
	if (hdr->class == ELFCLASS32) {
		memcpy(&e32, buf, sizeof(e32));
		*hdr = (struct elf_header){
			.class = ELFCLASS32, .type = e32.e_type,
			.machine = e32.e_machine, .entry = e32.e_entry,
			.phoff = e32.e_phoff, .phentsize = e32.e_phentsize,
			.phnum = e32.e_phnum,
		};
		return;
	}
	memcpy(&e64, buf, sizeof(e64));
	*hdr = (struct elf_header){
		.class = ELFCLASS64, .type = e64.e_type,
		.machine = e64.e_machine, .entry = e64.e_entry,
		.phoff = e64.e_phoff, .phentsize = e64.e_phentsize,
		.phnum = e64.e_phnum,
	};
}

static size_t program_header_size(const struct elf_header *hdr)
{
	return hdr->class == ELFCLASS32 ? sizeof(Elf32_Phdr) :
					  sizeof(Elf64_Phdr);
}

/* Program header @i of a file whose header check_header() approved. */
static void read_program(const char *file, const struct elf_header *hdr,
			 unsigned int i, struct elf_program *prog)
{
	const char *at = file + hdr->phoff + i * hdr->phentsize;
	Elf32_Phdr p32;
	Elf64_Phdr p64;

	/* Program headers need not be aligned in the file. */
	if (hdr->class == ELFCLASS32) {
		memcpy(&p32, at, sizeof(p32));
		*prog = (struct elf_program){
			.type = p32.p_type, .offset = p32.p_offset,
			.paddr = p32.p_paddr, .filesz = p32.p_filesz,
			.memsz = p32.p_memsz,
		};
		return;
	}
	memcpy(&p64, at, sizeof(p64));
	*prog = (struct elf_program){
		.type = p64.p_type, .offset = p64.p_offset,
		.paddr = p64.p_paddr, .filesz = p64.p_filesz,
		.memsz = p64.p_memsz,
	};
}

/* Whether the program headers lie inside the file. */
static bool programs_in_file(const struct elf_header *hdr, u64 len)
{
	return hdr->phentsize == program_header_size(hdr) &&
	       hdr->phoff <= len &&
	       (u64)hdr->phnum * hdr->phentsize <= len - hdr->phoff;
}

/* The checks of kexec_boot_elf_probe(), each refusal with its own words. */
static int check_ident(const void *buf, u64 len)
{
	const unsigned char *ident = buf;
	Elf32_Ehdr ehdr;

	if (len < sizeof(ehdr)) {
		pr_err("file of %llu bytes is too short for an ELF header\n", len);
		return -ENOEXEC;
	}
	if (memcmp(ident, ELFMAG, SELFMAG)) {
		pr_err("not an ELF file (bad magic)\n");
		return -ENOEXEC;
	}
	if (ident[EI_CLASS] != ELFCLASS32 && ident[EI_CLASS] != ELFCLASS64) {
		pr_err("ELF class %u is neither ELFCLASS32 nor ELFCLASS64\n",
		       ident[EI_CLASS]);
		return -ENOEXEC;
	}
	if (ident[EI_CLASS] == ELFCLASS64 && len < sizeof(Elf64_Ehdr)) {
		pr_err("file of %llu bytes is too short for an ELF64 header\n",
		       len);
		return -ENOEXEC;
	}
	if (ident[EI_DATA] != ELFDATA2LSB) {
		pr_err("ELF data encoding %u is not little-endian\n",
		       ident[EI_DATA]);
		return -ENOEXEC;
	}
	memcpy(&ehdr, buf, sizeof(ehdr));
	if (!machine_bootable(ehdr.e_machine)) {
		pr_err("ELF machine %u is not one this kernel boots\n",
		       ehdr.e_machine);
		return -ENOEXEC;
	}
	if (ehdr.e_type != ET_EXEC) {
		pr_err("ELF type %u is not ET_EXEC\n", ehdr.e_type);
		return -ENOEXEC;
	}
	return 0;
}

static int check_header(const void *buf, u64 len, struct elf_header *hdr)
{
	int ret = check_ident(buf, len);

	if (ret)
		return ret;
	read_header(buf, hdr);
	if (hdr->phentsize != program_header_size(hdr)) {
		pr_err("ELF program header size %u, expected %zu\n",
		       hdr->phentsize, program_header_size(hdr));
		return -ENOEXEC;
	}
	if (hdr->phnum == 0 || hdr->phnum > KEXEC_BOOT_ELF_MAX_PHNUM) {
		pr_err("ELF has %u program headers, expected 1 to %u\n",
		       hdr->phnum, KEXEC_BOOT_ELF_MAX_PHNUM);
		return -ENOEXEC;
	}
	if (!programs_in_file(hdr, len)) {
		pr_err("ELF program headers end at %llu, past the file end %llu\n",
		       hdr->phoff + (u64)hdr->phnum * hdr->phentsize, len);
		return -ENOEXEC;
	}
	return 0;
}

static int check_load(const struct elf_header *hdr,
		      const struct elf_program *prog, unsigned int index,
		      u64 len)
{
	if (prog->filesz > prog->memsz) {
		pr_err("ELF segment %u: file size %llu exceeds memory size %llu\n",
		       index, prog->filesz, prog->memsz);
		return -ENOEXEC;
	}
	if (prog->offset > len || prog->filesz > len - prog->offset) {
		pr_err("ELF segment %u: data at %llu+%llu runs past the file end %llu\n",
		       index, prog->offset, prog->filesz, len);
		return -ENOEXEC;
	}
	/* An ELF32 image addresses 4 GiB, an ELF64 one all of it. */
	if (hdr->class == ELFCLASS32 &&
	    prog->paddr + prog->memsz > 0x100000000ULL) {
		pr_err("ELF segment %u: %#llx+%#llx wraps past 4 GiB\n",
		       index, prog->paddr, prog->memsz);
		return -EADDRNOTAVAIL;
	}
	if (prog->paddr + prog->memsz < prog->paddr) {
		pr_err("ELF segment %u: %#llx+%#llx wraps around the address space\n",
		       index, prog->paddr, prog->memsz);
		return -EADDRNOTAVAIL;
	}
	return 0;
}

/**
 * kexec_boot_elf_parse - split an ELF executable into segments
 * @buf:	the whole file
 * @len:	its length in bytes
 * @layout:	filled with one segment per loadable program header and the
 *		entry point; segments point into @buf
 *
 * Return: 0, -ENOEXEC if @buf is not a well-formed ELF executable for a
 * machine this kernel boots, -EADDRNOTAVAIL if a segment wraps around the
 * address space or the entry point is outside every segment, -E2BIG if it
 * has too many loadable segments.
 */
int kexec_boot_elf_parse(const void *buf, u64 len,
			 struct kexec_boot_layout *layout)
{
	struct elf_program prog;
	struct elf_header hdr;
	unsigned int i;
	int ret;

	layout->nr_segments = 0;
	ret = check_header(buf, len, &hdr);
	if (ret)
		return ret;
	for (i = 0; i < hdr.phnum; i++) {
		read_program(buf, &hdr, i, &prog);
		if (prog.type != PT_LOAD || prog.memsz == 0)
			continue;
		ret = check_load(&hdr, &prog, i, len);
		if (ret)
			return ret;
		ret = kexec_boot_add_segment(layout,
					     (const char *)buf + prog.offset,
					     prog.filesz, prog.paddr,
					     prog.memsz);
		if (ret)
			return ret;
	}
	if (!layout->nr_segments) {
		pr_err("ELF has no loadable segment\n");
		return -ENOEXEC;
	}
	layout->entry = hdr.entry;
	layout->entry_64 = hdr.class == ELFCLASS64;
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

/*
 * Searches the notes in [@pos, @end) of @file; see kexec_boot_elf_find_note.
 * Both classes use the same 4-byte aligned note layout (as Linux writes
 * them; the 8-byte alignment of some ELF64 notes is not needed here).
 */
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
 * kexec_boot_elf_find_note - a note in an ELF executable
 * @buf:	the whole file
 * @len:	its length in bytes
 * @owner:	the note's name (its owner), e.g. "Linux"
 * @type:	the note's type, or KEXEC_BOOT_ELF_NOTE_ANY
 * @desc:	set to the note's descriptor, inside @buf
 * @desc_len:	set to the descriptor's length in bytes
 *
 * Looks through the PT_NOTE segments in file order; a note that runs past
 * its segment or the file ends the search of that segment.  The machine
 * (e_machine) is not looked at: a packed image is a container whatever
 * machine its header names, and a format that boots the file itself
 * checks it with kexec_boot_elf_probe() first.
 *
 * Return: 0 if found, -ENOENT if @buf is no ELF executable or has no such
 * note.
 */
int kexec_boot_elf_find_note(const void *buf, u64 len, const char *owner,
			     u32 type, const void **desc, u32 *desc_len)
{
	struct elf_program prog;
	struct elf_header hdr;
	unsigned int i;
	u64 end;

	if (probe_any_machine(buf, len))
		return -ENOENT;
	read_header(buf, &hdr);
	if (!programs_in_file(&hdr, len))
		return -ENOENT;
	for (i = 0; i < hdr.phnum; i++) {
		read_program(buf, &hdr, i, &prog);
		if (prog.type != PT_NOTE || prog.offset > len)
			continue;
		end = prog.offset + prog.filesz;
		if (end < prog.offset || end > len)
			end = len;
		if (find_note_in(buf, prog.offset, end, owner, type, desc,
				 desc_len) == 0)
			return 0;
	}
	return -ENOENT;
}

/**
 * kexec_boot_elf_notes_end - where the last PT_NOTE segment ends
 * @buf:	the start of an ELF file, holding its program headers
 * @len:	bytes in @buf
 *
 * Return: the file offset past the PT_NOTE segment that ends last (it may
 * lie past @len, ~0 if it wraps), 0 if there is none or @buf holds no
 * ELF executable this machine boots.
 */
u64 kexec_boot_elf_notes_end(const void *buf, u64 len)
{
	struct elf_program prog;
	struct elf_header hdr;
	unsigned int i;
	u64 end, last = 0;

	if (kexec_boot_elf_probe(buf, len))
		return 0;
	read_header(buf, &hdr);
	if (!programs_in_file(&hdr, len))
		return 0;
	for (i = 0; i < hdr.phnum; i++) {
		read_program(buf, &hdr, i, &prog);
		if (prog.type != PT_NOTE)
			continue;
		end = prog.offset + prog.filesz;
		if (end < prog.offset)
			end = ~0ULL;
		if (end > last)
			last = end;
	}
	return last;
}
