// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the pure parts of kexec_boot:
 *   kernel/kernel/kexec_boot_elf.c     kexec_boot_elf_parse()
 *   kernel/kernel/kexec_boot_layout.c  kexec_boot_ram_add(), _add_segment(),
 *                                      _check_layout(), _place()
 * compiled unchanged against the stand-in headers in tests/unit/shim.
 *
 * Output is TAP; the last line is "<passed> passed, <failed> failed".
 * Build with -fsanitize=address,undefined: every ELF image lives in a
 * malloc() buffer of exactly its length, so any read past it aborts.
 */
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/kexec_boot.h>
#include <linux/printk.h>
#include <uapi/linux/kexec_boot.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define FOUR_GIB	0x100000000ULL
#define MSG_PREFIX	"kexec_boot: "
#define ITERATIONS	20000

typedef unsigned __int128 u128;

/* The machine part under test boots what x86_64 boots. */
const u16 kexec_boot_elf_machines[] = { EM_X86_64, EM_386, EM_NONE };

/* Written by the printk shim. */
char unit_last_message[512];
int unit_message_count;

/* ======================================================================== */
/* TAP reporting and assertions                                             */

static int tests_run, tests_failed;
static char detail[768];

/* Record why the current test failed; always returns false. */
static __attribute__((format(printf, 1, 2))) bool fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return false;
}

/* Put "<context>: " in front of the recorded reason; returns false. */
static __attribute__((format(printf, 1, 2))) bool fail_context(const char *fmt,
							       ...)
{
	char context[256], reason[sizeof(detail)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(context, sizeof(context), fmt, ap);
	va_end(ap);
	memcpy(reason, detail, sizeof(reason));
	snprintf(detail, sizeof(detail), "%.255s: %.500s", context, reason);
	return false;
}

#define CHECK(cond, ...)				\
	do {						\
		if (!(cond))				\
			return fail(__VA_ARGS__);	\
	} while (0)

/* @bug: set for a test that pins down a known bug in the kernel code. */
static void report(const char *name, bool ok, const char *bug)
{
	tests_run++;
	if (ok) {
		printf("ok %d - %s\n", tests_run, name);
	} else {
		tests_failed++;
		printf("not ok %d - %s # %s%s%s%s\n", tests_run, name,
		       bug ? "KNOWN BUG: " : "", bug ? bug : "",
		       bug ? " -- " : "", detail);
	}
	detail[0] = '\0';
}

static const char *errname(int ret)
{
	static char buf[16];

	switch (ret) {
	case 0:			return "0";
	case -ENOEXEC:		return "-ENOEXEC";
	case -EADDRNOTAVAIL:	return "-EADDRNOTAVAIL";
	case -E2BIG:		return "-E2BIG";
	case -EBUSY:		return "-EBUSY";
	case -ENOSPC:		return "-ENOSPC";
	case -ENOENT:		return "-ENOENT";
	}
	snprintf(buf, sizeof(buf), "%d", ret);
	return buf;
}

static void msg_reset(void)
{
	unit_message_count = 0;
	unit_last_message[0] = '\0';
}

/* Length of the last message without its trailing newline. */
static int msg_len(void)
{
	return (int)strcspn(unit_last_message, "\n");
}

/*
 * The call (made after msg_reset()) returned @ret, @want was expected.  A
 * success prints nothing; a refusal prints a prefixed message with @word.
 */
static bool expect_result(int ret, int want, const char *word)
{
	CHECK(ret == want, "returned %s, expected %s (last message: \"%.*s\")",
	      errname(ret), errname(want), msg_len(), unit_last_message);
	if (!want) {
		CHECK(unit_message_count == 0, "success printed \"%.*s\"",
		      msg_len(), unit_last_message);
		return true;
	}
	CHECK(unit_message_count > 0, "refused with %s but printed nothing",
	      errname(ret));
	CHECK(!strncmp(unit_last_message, MSG_PREFIX, strlen(MSG_PREFIX)),
	      "message \"%.*s\" lacks the pr_fmt prefix", msg_len(),
	      unit_last_message);
	CHECK(!word || strstr(unit_last_message, word),
	      "message \"%.*s\" does not mention \"%s\"", msg_len(),
	      unit_last_message, word);
	return true;
}

/* xorshift64: deterministic, so every failure reproduces. */
static u64 rng_state;

static void rng_seed(u64 seed)
{
	rng_state = seed;
}

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Uniform enough in [0, n); 0 when n is 0. */
static u64 rnd_below(u64 n)
{
	return n ? rnd() % n : 0;
}

/* ======================================================================== */
/* ELF images                                                               */

#define MAX_PH		520
#define PAGE_OFFSET_32	0xc0000000u

/* An image before it is laid out in a file. */
struct elf_img {
	Elf32_Ehdr eh;
	Elf32_Phdr ph[MAX_PH];
	unsigned int nph;	/* headers written at eh.e_phoff (not e_phnum) */
	size_t len;		/* file length */
};

static void img_init(struct elf_img *m, unsigned int nph, size_t len,
		     u32 entry)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->eh.e_ident, ELFMAG, SELFMAG);
	m->eh.e_ident[EI_CLASS] = ELFCLASS32;
	m->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	m->eh.e_ident[EI_VERSION] = EV_CURRENT;
	m->eh.e_type = ET_EXEC;
	m->eh.e_machine = EM_386;
	m->eh.e_version = EV_CURRENT;
	m->eh.e_entry = entry;
	m->eh.e_phoff = sizeof(Elf32_Ehdr);
	m->eh.e_ehsize = sizeof(Elf32_Ehdr);
	m->eh.e_phentsize = sizeof(Elf32_Phdr);
	m->eh.e_phnum = nph;
	m->nph = nph;
	m->len = len;
}

static void img_ph(struct elf_img *m, unsigned int i, u32 type, u32 offset,
		   u32 filesz, u32 paddr, u32 memsz)
{
	Elf32_Phdr *ph = &m->ph[i];

	ph->p_type = type;
	ph->p_offset = offset;
	ph->p_filesz = filesz;
	ph->p_paddr = paddr;
	ph->p_vaddr = type == PT_LOAD ? paddr + PAGE_OFFSET_32 : 0;
	ph->p_memsz = memsz;
	ph->p_flags = PF_R | PF_X;
	ph->p_align = 0x1000;
}

/* One PT_LOAD of 0x800 file bytes + 0x800 bss at 1 MiB; data ends at EOF. */
static void base_single(struct elf_img *m)
{
	img_init(m, 1, 0x1800, 0x100000);
	img_ph(m, 0, PT_LOAD, 0x1000, 0x800, 0x100000, 0x1000);
}

/*
 * Shaped like a real i386 vmlinux linked at 16 MiB: text, data + bss, and a
 * PT_NOTE inside the text; the entry (startup_32) is physical.
 */
static void base_vmlinux(struct elf_img *m)
{
	img_init(m, 3, 0x5000, 0x1000000);
	img_ph(m, 0, PT_LOAD, 0x1000, 0x3000, 0x1000000, 0x3000);
	img_ph(m, 1, PT_LOAD, 0x4000, 0x1000, 0x1003000, 0x3000);
	img_ph(m, 2, PT_NOTE, 0x2000, 0x100, 0x1001000, 0x100);
	m->ph[1].p_flags = PF_R | PF_W;
	m->ph[2].p_flags = PF_R;
	m->ph[2].p_align = 4;
}

/*
 * One PT_LOAD more in the file than e_phnum says: e_phnum is
 * KEXEC_BOOT_MAX_SEGMENTS, the maximum that fits.  Data after the headers.
 */
#define MANY_DATA	0x2400
static void base_many(struct elf_img *m)
{
	unsigned int i, n = KEXEC_BOOT_MAX_SEGMENTS + 1;

	img_init(m, n, MANY_DATA + n * 0x10, 0x100000);
	m->eh.e_phnum = KEXEC_BOOT_MAX_SEGMENTS;
	for (i = 0; i < n; i++)
		img_ph(m, i, PT_LOAD, MANY_DATA + i * 0x10, 0x10,
		       0x100000 + i * 0x1000, 0x1000);
}

/*
 * Lay @m out in an exact-size malloc() buffer: zeros, segment data as a
 * pattern, then the ELF header and program headers, each cut at the end.
 */
static unsigned char *img_file(const struct elf_img *m)
{
	unsigned char *file = malloc(m->len ? m->len : 1);
	size_t i, off;
	unsigned int n;

	if (!file) {
		perror("malloc");
		exit(2);
	}
	memset(file, 0, m->len);
	for (n = 0; n < m->nph; n++)
		for (off = m->ph[n].p_offset, i = 0;
		     i < m->ph[n].p_filesz && off + i < m->len; i++)
			file[off + i] = (unsigned char)(0x5a + 13 * i + n);
	memcpy(file, &m->eh, m->len < sizeof(m->eh) ? m->len : sizeof(m->eh));
	for (n = 0; n < m->nph; n++) {
		off = (size_t)m->eh.e_phoff + n * sizeof(Elf32_Phdr);
		if (off < m->len)
			memcpy(file + off, &m->ph[n],
			       m->len - off < sizeof(Elf32_Phdr) ?
			       m->len - off : sizeof(Elf32_Phdr));
	}
	return file;
}

/*
 * Independent reading of an accepted file: every PT_LOAD with p_memsz must
 * appear, in order, as a segment pointing into @file, and the entry must be
 * e_entry and inside a segment.  Also checks that nothing points outside.
 */
static bool expect_segments(const unsigned char *file, u64 len,
			    const struct kexec_boot_layout *layout)
{
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	unsigned int i, n = 0;
	bool entry_inside = false;

	CHECK(len >= sizeof(eh), "accepted a %llu-byte file", len);
	memcpy(&eh, file, sizeof(eh));
	CHECK((u64)eh.e_phoff + (u64)eh.e_phnum * sizeof(ph) <= len,
	      "accepted program headers past the end (phoff %u phnum %u len %llu)",
	      eh.e_phoff, eh.e_phnum, len);
	CHECK(layout->nr_segments >= 1 &&
	      layout->nr_segments <= KEXEC_BOOT_MAX_SEGMENTS,
	      "%u segments", layout->nr_segments);
	for (i = 0; i < eh.e_phnum; i++) {
		const struct kexec_boot_segment *seg = &layout->segment[n];

		memcpy(&ph, file + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		CHECK(n < layout->nr_segments, "phdr %u has no segment", i);
		CHECK(seg->buf == file + ph.p_offset && seg->bufsz == ph.p_filesz &&
		      seg->mem == ph.p_paddr && seg->memsz == ph.p_memsz,
		      "segment %u is buf file+%#llx/%#llx mem %#llx/%#llx, phdr %u says file+%#x/%#x mem %#x/%#x",
		      n, (u64)((uintptr_t)seg->buf - (uintptr_t)file), seg->bufsz,
		      seg->mem, seg->memsz, i, ph.p_offset, ph.p_filesz,
		      ph.p_paddr, ph.p_memsz);
		CHECK(seg->bufsz <= seg->memsz, "segment %u: bufsz > memsz", n);
		CHECK((uintptr_t)seg->buf - (uintptr_t)file <= len &&
		      seg->bufsz <= len - ((uintptr_t)seg->buf - (uintptr_t)file),
		      "segment %u data leaves the file", n);
		CHECK(seg->mem + seg->memsz <= FOUR_GIB,
		      "segment %u ends past 4 GiB", n);
		if (eh.e_entry >= seg->mem && eh.e_entry < seg->mem + seg->memsz)
			entry_inside = true;
		n++;
	}
	CHECK(n == layout->nr_segments, "%u segments, %u PT_LOADs",
	      layout->nr_segments, n);
	CHECK(layout->entry == eh.e_entry, "entry %#llx, e_entry %#x",
	      layout->entry, eh.e_entry);
	CHECK(entry_inside, "entry %#llx outside every segment", layout->entry);
	return true;
}

/* One field of the ELF header (ph < 0) or of program header @ph. */
struct poke {
	int ph;
	unsigned short off, size;	/* size 0: unused slot */
	u32 val;
};

#define EH(field, v)	{ -1, offsetof(Elf32_Ehdr, field), \
			  sizeof(((Elf32_Ehdr *)0)->field), (v) }
#define PH(i, field, v)	{ (i), offsetof(Elf32_Phdr, field), \
			  sizeof(((Elf32_Phdr *)0)->field), (v) }
#define LEN(n)		.set_len = true, .len = (n)

static void poke(struct elf_img *m, const struct poke *p)
{
	unsigned char *dst = p->ph < 0 ? (unsigned char *)&m->eh :
				(unsigned char *)&m->ph[p->ph];
	u8 v8 = p->val;
	u16 v16 = p->val;

	dst += p->off;
	if (p->size == 1)
		memcpy(dst, &v8, 1);
	else if (p->size == 2)
		memcpy(dst, &v16, 2);
	else if (p->size == 4)
		memcpy(dst, &p->val, 4);
}

struct elf_case {
	const char *name;
	void (*base)(struct elf_img *m);
	struct poke poke[3];
	bool set_len;
	size_t len;
	int ret;
	const char *word;	/* refusal: in the message */
	unsigned int nr;	/* success: number of segments */
};

static const struct elf_case elf_cases[] = {
	/* Accepted. */
	{ "elf: single PT_LOAD, data ending exactly at EOF", base_single,
	  .nr = 1 },
	{ "elf: vmlinux-like, 2 PT_LOAD + PT_NOTE at 16 MiB", base_vmlinux,
	  .nr = 2 },
	{ "elf: 256 PT_LOADs (the maximum)", base_many,
	  .nr = KEXEC_BOOT_MAX_SEGMENTS },
	{ "elf: e_phnum 512 (the maximum), extra headers PT_NULL", base_single,
	  { EH(e_phnum, 512), EH(e_phoff, 0x1800) },
	  LEN(0x1800 + 512 * sizeof(Elf32_Phdr)), .nr = 1 },
	{ "elf: program headers at unaligned offset 53", base_single,
	  { EH(e_phoff, 53) }, .nr = 1 },
	{ "elf: bss-only segment (p_filesz 0)", base_single,
	  { PH(0, p_filesz, 0) }, .nr = 1 },
	{ "elf: bss-only segment with p_offset at EOF", base_single,
	  { PH(0, p_filesz, 0), PH(0, p_offset, 0x1800) }, .nr = 1 },
	{ "elf: segment ending exactly at 4 GiB", base_single,
	  { PH(0, p_paddr, 0xfffff000), EH(e_entry, 0xfffff000) }, .nr = 1 },
	{ "elf: entry at the last byte of a segment", base_single,
	  { EH(e_entry, 0x100fff) }, .nr = 1 },
	{ "elf: entry in the zero-filled tail of a segment", base_vmlinux,
	  { EH(e_entry, 0x1005fff) }, .nr = 2 },
	{ "elf: PT_LOAD with p_memsz 0 is skipped", base_vmlinux,
	  { PH(1, p_memsz, 0), PH(1, p_filesz, 0) }, .nr = 1 },
	{ "elf: PT_NOTE with offset past EOF is not checked", base_vmlinux,
	  { PH(2, p_offset, 0xfffffff0) }, .nr = 2 },

	/* Not an ELF32 i386 executable. */
	{ "elf: empty input (len 0)", base_single, LEN(0),
	  .ret = -ENOEXEC, .word = "too short" },
	{ "elf: truncated header (len 51)", base_single, LEN(51),
	  .ret = -ENOEXEC, .word = "too short" },
	{ "elf: header only (len 52)", base_single, LEN(52),
	  .ret = -ENOEXEC, .word = "program headers end" },
	{ "elf: bad magic", base_single, { EH(e_ident[EI_MAG3], 'G') },
	  .ret = -ENOEXEC, .word = "magic" },
	{ "elf: ELF32 body marked ELFCLASS64", base_single,
	  { EH(e_ident[EI_CLASS], ELFCLASS64) },
	  .ret = -ENOEXEC, .word = "program header size 0, expected 56" },
	{ "elf: big-endian", base_single,
	  { EH(e_ident[EI_DATA], ELFDATA2MSB) },
	  .ret = -ENOEXEC, .word = "little-endian" },
	{ "elf: EM_SPARC, a machine not booted", base_single,
	  { EH(e_machine, EM_SPARC) },
	  .ret = -ENOEXEC, .word = "machine 2 is not one this kernel boots" },
	{ "elf: ET_DYN", base_single, { EH(e_type, ET_DYN) },
	  .ret = -ENOEXEC, .word = "ET_EXEC" },
	{ "elf: ET_REL", base_single, { EH(e_type, ET_REL) },
	  .ret = -ENOEXEC, .word = "ET_EXEC" },
	{ "elf: e_phentsize of Elf64_Phdr", base_single,
	  { EH(e_phentsize, sizeof(Elf64_Phdr)) },
	  .ret = -ENOEXEC, .word = "program header size" },
	{ "elf: e_phnum 0", base_single, { EH(e_phnum, 0) },
	  .ret = -ENOEXEC, .word = "1 to 512" },
	{ "elf: e_phnum 513", base_single, { EH(e_phnum, 513) },
	  .ret = -ENOEXEC, .word = "1 to 512" },
	{ "elf: program headers past EOF", base_single,
	  { EH(e_phoff, 0x1800 - 16) },
	  .ret = -ENOEXEC, .word = "program headers end" },
	{ "elf: e_phoff 0xffffffff (32-bit overflow)", base_single,
	  { EH(e_phoff, 0xffffffff) },
	  .ret = -ENOEXEC, .word = "program headers end" },
	{ "elf: p_filesz > p_memsz", base_single, { PH(0, p_filesz, 0x1001) },
	  .ret = -ENOEXEC, .word = "exceeds memory size" },
	{ "elf: p_offset + p_filesz one past EOF", base_single,
	  { PH(0, p_offset, 0x1001) },
	  .ret = -ENOEXEC, .word = "runs past the file end" },
	{ "elf: p_offset 0xfffffff0 + p_filesz 0x20 (32-bit wrap)",
	  base_single, { PH(0, p_offset, 0xfffffff0), PH(0, p_filesz, 0x20) },
	  .ret = -ENOEXEC, .word = "runs past the file end" },
	{ "elf: no PT_LOAD (only PT_NOTE)", base_single,
	  { PH(0, p_type, PT_NOTE) },
	  .ret = -ENOEXEC, .word = "no loadable segment" },
	{ "elf: only PT_LOAD has p_memsz 0", base_single,
	  { PH(0, p_memsz, 0), PH(0, p_filesz, 0) },
	  .ret = -ENOEXEC, .word = "no loadable segment" },

	/* Well-formed, but not loadable. */
	{ "elf: p_paddr + p_memsz wraps past 4 GiB", base_single,
	  { PH(0, p_paddr, 0xfffff000), PH(0, p_memsz, 0x2000),
	    EH(e_entry, 0xfffff000) },
	  .ret = -EADDRNOTAVAIL, .word = "4 GiB" },
	{ "elf: second PT_LOAD wraps, message names segment 1", base_vmlinux,
	  { PH(1, p_paddr, 0xffffe000) },
	  .ret = -EADDRNOTAVAIL, .word = "segment 1:" },
	{ "elf: entry outside every segment", base_single,
	  { EH(e_entry, 0x200000) },
	  .ret = -EADDRNOTAVAIL, .word = "outside every segment" },
	{ "elf: entry one before a segment", base_single,
	  { EH(e_entry, 0xfffff) },
	  .ret = -EADDRNOTAVAIL, .word = "outside every segment" },
	{ "elf: entry one past the end of a segment", base_single,
	  { EH(e_entry, 0x101000) },
	  .ret = -EADDRNOTAVAIL, .word = "outside every segment" },
	{ "elf: 257 PT_LOADs", base_many,
	  { EH(e_phnum, KEXEC_BOOT_MAX_SEGMENTS + 1) },
	  .ret = -E2BIG, .word = "more than 256 segments" },
	{ "elf: file of 1 byte", base_single, LEN(1),
	  .ret = -ENOEXEC, .word = "too short" },
	{ "elf: ELFCLASSNONE", base_single,
	  { EH(e_ident[EI_CLASS], ELFCLASSNONE) },
	  .ret = -ENOEXEC, .word = "ELFCLASS32" },
	{ "elf: EM_NONE", base_single, { EH(e_machine, EM_NONE) },
	  .ret = -ENOEXEC, .word = "not one this kernel boots" },
	{ "elf: ET_CORE", base_single, { EH(e_type, ET_CORE) },
	  .ret = -ENOEXEC, .word = "ET_EXEC" },
	{ "elf: e_phentsize 0", base_single, { EH(e_phentsize, 0) },
	  .ret = -ENOEXEC, .word = "program header size" },
	{ "elf: e_phentsize 33", base_single, { EH(e_phentsize, 33) },
	  .ret = -ENOEXEC, .word = "program header size" },
	{ "elf: e_phnum 65535", base_single, { EH(e_phnum, 65535) },
	  .ret = -ENOEXEC, .word = "1 to 512" },
	{ "elf: p_memsz 0xffffffff at 1 MiB wraps", base_single,
	  { PH(0, p_memsz, 0xffffffff) },
	  .ret = -EADDRNOTAVAIL, .word = "4 GiB" },
	{ "elf: p_paddr 0xffffffff, p_memsz 1 ends at 4 GiB", base_single,
	  { PH(0, p_paddr, 0xffffffff), PH(0, p_memsz, 1), PH(0, p_filesz, 1) },
	  .ret = -EADDRNOTAVAIL, .word = "outside every segment" },
	{ "elf: entry 0, segment at 1 MiB", base_single, { EH(e_entry, 0) },
	  .ret = -EADDRNOTAVAIL, .word = "outside every segment" },
	{ "elf: entry in a PT_NOTE, not in a PT_LOAD", base_vmlinux,
	  { PH(2, p_paddr, 0x2000000), EH(e_entry, 0x2000000) },
	  .ret = -EADDRNOTAVAIL, .word = "outside every segment" },
	{ "elf: entry in a skipped PT_LOAD with p_memsz 0", base_vmlinux,
	  { PH(1, p_memsz, 0), PH(1, p_filesz, 0), EH(e_entry, 0x1003000) },
	  .ret = -EADDRNOTAVAIL, .word = "outside every segment" },
	{ "elf: segment data past EOF in the second PT_LOAD", base_vmlinux,
	  { PH(1, p_filesz, 0x1001) },
	  .ret = -ENOEXEC, .word = "segment 1: data" },
};

static bool run_elf_case(const struct elf_case *c)
{
	struct kexec_boot_layout layout;
	struct elf_img m;
	unsigned char *file;
	unsigned int i;
	bool ok;
	int ret;

	c->base(&m);
	for (i = 0; i < ARRAY_SIZE(c->poke) && c->poke[i].size; i++)
		poke(&m, &c->poke[i]);
	if (c->set_len)
		m.len = c->len;
	file = img_file(&m);

	memset(&layout, 0xa5, sizeof(layout));
	msg_reset();
	ret = kexec_boot_elf_parse(file, m.len, &layout);
	ok = expect_result(ret, c->ret, c->word);
	if (ok && !ret) {
		ok = expect_segments(file, m.len, &layout);
		if (ok && layout.nr_segments != c->nr)
			ok = fail("%u segments, expected %u",
				  layout.nr_segments, c->nr);
	}
	free(file);
	return ok;
}

/* ======================================================================== */
/* RAM ranges and segments                                                  */

struct range {
	u64 start, end;
};

struct ranges {
	unsigned int n;
	struct range r[6];
};

struct seg_spec {
	u64 mem, memsz;
};

struct segs {
	unsigned int n;
	struct seg_spec s[6];
};

#define RANGES(...)	{ ARRAY_SIZE(((struct range[]){ __VA_ARGS__ })), \
			  { __VA_ARGS__ } }
#define SEGS(...)	{ ARRAY_SIZE(((struct seg_spec[]){ __VA_ARGS__ })), \
			  { __VA_ARGS__ } }
/* What QEMU reports for -m 256 (e820 minus the BIOS areas). */
#define QEMU_256M	RANGES({ 0, 0x9fc00 }, { 0x100000, 0x10000000 })
/* -m 4G: 3 GiB below the PCI hole, the rest above 4 GiB. */
#define QEMU_3G		RANGES({ 0, 0x9fc00 }, { 0x100000, 0xc0000000 }, \
			       { 0x100000000ULL, 0x140000000ULL })

static void ram_fill(struct kexec_boot_ram *ram, const struct ranges *in)
{
	unsigned int i;

	memset(ram, 0, sizeof(*ram));
	for (i = 0; i < in->n; i++)
		kexec_boot_ram_add(ram, in->r[i].start, in->r[i].end);
}

/* Segment i gets buf &seg_tag[i] and bufsz i, to follow it through sorting. */
static const char seg_tag[KEXEC_BOOT_MAX_SEGMENTS];

static void layout_fill(struct kexec_boot_layout *layout,
			const struct segs *in)
{
	unsigned int i;

	memset(layout, 0, sizeof(*layout));
	for (i = 0; i < in->n; i++)
		kexec_boot_add_segment(layout, &seg_tag[i], i, in->s[i].mem,
				       in->s[i].memsz);
}

/* --- kexec_boot_ram_add ------------------------------------------------- */

struct ram_case {
	const char *name;
	struct ranges add, want;
};

static const struct ram_case ram_cases[] = {
	{ "ram_add: QEMU 256 MiB map keeps the 640K-1M hole", QEMU_256M,
	  QEMU_256M },
	{ "ram_add: adjacent ranges merge",
	  RANGES({ 0, 0x1000 }, { 0x1000, 0x2000 }, { 0x2000, 0x5000 }),
	  RANGES({ 0, 0x5000 }) },
	{ "ram_add: overlapping ranges merge",
	  RANGES({ 0x1000, 0x3000 }, { 0x2000, 0x4000 }),
	  RANGES({ 0x1000, 0x4000 }) },
	{ "ram_add: contained range changes nothing",
	  RANGES({ 0x1000, 0x8000 }, { 0x2000, 0x3000 }),
	  RANGES({ 0x1000, 0x8000 }) },
	{ "ram_add: empty and reversed ranges are ignored",
	  RANGES({ 0x5000, 0x5000 }, { 0x1000, 0x2000 }, { 0x3000, 0x3000 },
		 { 0x9000, 0x4000 }, { 0x6000, 0x7000 }),
	  RANGES({ 0x1000, 0x2000 }, { 0x6000, 0x7000 }) },
	{ "ram_add: one byte gap keeps ranges apart",
	  RANGES({ 0, 0x1000 }, { 0x1001, 0x2000 }),
	  RANGES({ 0, 0x1000 }, { 0x1001, 0x2000 }) },
	{ "ram_add: range up to the top of u64",
	  RANGES({ 0x100000, 0x10000000 }, { 0x10000000, ~0ULL }),
	  RANGES({ 0x100000, ~0ULL }) },
};

static bool run_ram_case(const struct ram_case *c)
{
	struct kexec_boot_ram ram;
	unsigned int i;

	msg_reset();
	ram_fill(&ram, &c->add);
	CHECK(ram.nr == c->want.n, "%u ranges, expected %u", ram.nr, c->want.n);
	for (i = 0; i < ram.nr; i++)
		CHECK(ram.start[i] == c->want.r[i].start &&
		      ram.end[i] == c->want.r[i].end,
		      "range %u is [%#llx, %#llx), expected [%#llx, %#llx)", i,
		      ram.start[i], ram.end[i], c->want.r[i].start,
		      c->want.r[i].end);
	CHECK(unit_message_count == 0, "printed \"%.*s\"", msg_len(),
	      unit_last_message);
	return true;
}

/* --- kexec_boot_check_layout ------------------------------------------- */

struct check_case {
	const char *name;
	struct ranges ram;
	struct segs seg;
	u64 limit;		/* 0: 4 GiB */
	int ret;
	const char *word;
};

static const struct check_case check_cases[] = {
	{ "check: segment inside RAM", QEMU_256M,
	  SEGS({ 0x1000000, 0x400000 }), .ret = 0 },
	{ "check: segment ending exactly at the end of RAM", QEMU_256M,
	  SEGS({ 0xffff000, 0x1000 }), .ret = 0 },
	{ "check: no segments", QEMU_256M, SEGS(), .ret = 0 },
	{ "check: touching segments", QEMU_256M,
	  SEGS({ 0x1000000, 0x3000 }, { 0x1003000, 0x3000 }), .ret = 0 },
	{ "check: unsorted input comes back sorted", QEMU_256M,
	  SEGS({ 0x3000000, 0x1000 }, { 0x1000000, 0x2000 },
	       { 0x8000, 0x1000 }, { 0x2000000, 0x1000 }), .ret = 0 },
	{ "check: segment ending exactly at the limit", RANGES({ 0, ~0ULL }),
	  SEGS({ 0xfffff000, 0x1000 }), .ret = 0 },
	{ "check: segment in the 640K-1M hole", QEMU_256M,
	  SEGS({ 0xa0000, 0x10000 }),
	  .ret = -EADDRNOTAVAIL, .word = "not usable RAM" },
	{ "check: segment running into the 640K hole", QEMU_256M,
	  SEGS({ 0x9f000, 0x1000 }),
	  .ret = -EADDRNOTAVAIL, .word = "not usable RAM" },
	{ "check: segment spanning two RAM ranges", QEMU_256M,
	  SEGS({ 0x90000, 0x100000 }),
	  .ret = -EADDRNOTAVAIL, .word = "not usable RAM" },
	{ "check: segment straddling the end of RAM", QEMU_256M,
	  SEGS({ 0xff00000, 0x200000 }),
	  .ret = -EADDRNOTAVAIL, .word = "not usable RAM" },
	{ "check: segment beyond the end of RAM", QEMU_256M,
	  SEGS({ 0x20000000, 0x1000 }),
	  .ret = -EADDRNOTAVAIL, .word = "not usable RAM" },
	{ "check: segment above 4 GiB", RANGES({ 0, 0x200000000ULL }),
	  SEGS({ 0x100000000ULL, 0x1000 }),
	  .ret = -EADDRNOTAVAIL, .word = "handover limit" },
	{ "check: segment one byte past the limit", RANGES({ 0, ~0ULL }),
	  SEGS({ 0xfffff000, 0x1001 }),
	  .ret = -EADDRNOTAVAIL, .word = "handover limit" },
	{ "check: mem + memsz overflows u64", QEMU_256M,
	  SEGS({ 0x1000000, 0xffffffffffffff00ULL }),
	  .ret = -EADDRNOTAVAIL, .word = "handover limit" },
	{ "check: mem + memsz overflows u64, limit ~0", RANGES({ 0, ~0ULL }),
	  SEGS({ 0x1000000, 0xffffffffff000001ULL }), .limit = ~0ULL,
	  .ret = -EADDRNOTAVAIL, .word = "handover limit" },
	{ "check: two overlapping segments", QEMU_256M,
	  SEGS({ 0x1000000, 0x2000 }, { 0x1001000, 0x2000 }),
	  .ret = -EBUSY, .word = "overlaps" },
	{ "check: overlap found after sorting", QEMU_256M,
	  SEGS({ 0x2000000, 0x1000 }, { 0x1001000, 0x1000 },
	       { 0x1000000, 0x1001001 }),
	  .ret = -EBUSY, .word = "overlaps" },
	{ "check: segment inside another", QEMU_256M,
	  SEGS({ 0x1000000, 0x100000 }, { 0x1004000, 0x1000 }),
	  .ret = -EBUSY, .word = "overlaps" },
	{ "check: identical segments", QEMU_256M,
	  SEGS({ 0x1000000, 0x1000 }, { 0x1000000, 0x1000 }),
	  .ret = -EBUSY, .word = "overlaps" },
	{ "check: segment in the BIOS ROM at 0xf0000", QEMU_256M,
	  SEGS({ 0xf0000, 0x1000 }),
	  .ret = -EADDRNOTAVAIL, .word = "not usable RAM" },
	{ "check: segment on the IO-APIC at 0xfec00000", QEMU_3G,
	  SEGS({ 0xfec00000, 0x1000 }),
	  .ret = -EADDRNOTAVAIL, .word = "not usable RAM" },
	{ "check: segment on the local APIC at 0xfee00000", QEMU_3G,
	  SEGS({ 0xfee00000, 0x1000 }),
	  .ret = -EADDRNOTAVAIL, .word = "not usable RAM" },
	{ "check: segment from RAM into the PCI hole", QEMU_3G,
	  SEGS({ 0xbff00000, 0x200000 }),
	  .ret = -EADDRNOTAVAIL, .word = "not usable RAM" },
	{ "check: segment in RAM above 4 GiB", QEMU_3G,
	  SEGS({ 0x100000000ULL, 0x1000 }),
	  .ret = -EADDRNOTAVAIL, .word = "handover limit" },
	{ "check: overlap of the last byte only", QEMU_256M,
	  SEGS({ 0x1000000, 0x1001 }, { 0x1001000, 0x1000 }),
	  .ret = -EBUSY, .word = "overlaps" },
	/* The handover writes whole pages: their range must be RAM. */
	{ "check: segment ending in the partial last page of RAM at 0x9fc00",
	  QEMU_256M, SEGS({ 0x9e000, 0x1800 }),
	  .ret = -EADDRNOTAVAIL, .word = "not usable RAM" },
	{ "check: segment ending just below a RAM end of 0x9fc00", QEMU_256M,
	  SEGS({ 0x9f000, 0xbff }),
	  .ret = -EADDRNOTAVAIL, .word = "not usable RAM" },
	{ "check: segment in the partial first page of RAM",
	  RANGES({ 0x800, 0x10000 }), SEGS({ 0x900, 0x100 }),
	  .ret = -EADDRNOTAVAIL, .word = "not usable RAM" },
	{ "check: segment ending at the last whole page below 0x9fc00",
	  QEMU_256M, SEGS({ 0x9e000, 0x1000 }), .ret = 0 },
};

/* @layout holds the segments of @in, each once, sorted by mem. */
static bool expect_sorted_permutation(const struct kexec_boot_layout *layout,
				      const struct segs *in)
{
	bool seen[KEXEC_BOOT_MAX_SEGMENTS] = { false };
	unsigned int i;

	CHECK(layout->nr_segments == in->n, "%u segments, expected %u",
	      layout->nr_segments, in->n);
	for (i = 0; i < layout->nr_segments; i++) {
		const struct kexec_boot_segment *seg = &layout->segment[i];
		u64 k = seg->bufsz;

		CHECK(k < in->n && !seen[k] && seg->buf == &seg_tag[k] &&
		      seg->mem == in->s[k].mem && seg->memsz == in->s[k].memsz,
		      "segment %u (%#llx+%#llx) is not an input segment", i,
		      seg->mem, seg->memsz);
		seen[k] = true;
		CHECK(!i || seg[-1].mem <= seg->mem,
		      "segment %u at %#llx sorts after %#llx", i, seg->mem,
		      seg[-1].mem);
	}
	return true;
}

static bool run_check_case(const struct check_case *c)
{
	struct kexec_boot_layout layout;
	struct kexec_boot_ram ram;
	int ret;

	ram_fill(&ram, &c->ram);
	layout_fill(&layout, &c->seg);
	msg_reset();
	ret = kexec_boot_check_layout(&layout, &ram,
				      c->limit ? c->limit : FOUR_GIB);
	if (!expect_result(ret, c->ret, c->word))
		return false;
	return ret || expect_sorted_permutation(&layout, &c->seg);
}

/* --- kexec_boot_place ---------------------------------------------------- */

#define INITRD_LIMIT	0x38000000ULL	/* arch_kexec_boot_initrd_limit() */
#define MIB		0x100000ULL

struct place_case {
	const char *name;
	struct ranges ram;
	struct segs seg;	/* must pass kexec_boot_check_layout() */
	u64 size, align, limit;
	int ret;
	u64 addr;
	const char *bug;
};

static const struct place_case place_cases[] = {
	{ "place: 1 MiB at the top of 256 MiB", QEMU_256M, SEGS(),
	  MIB, 0x1000, INITRD_LIMIT, .addr = 0x10000000 - MIB },
	{ "place: below the kernel at the top of RAM", QEMU_256M,
	  SEGS({ 0x1000000, 0x400000 }, { 0xfe00000, 0x200000 }),
	  MIB, 0x1000, INITRD_LIMIT, .addr = 0xfe00000 - MIB },
	{ "place: alignment 0x200000", QEMU_256M,
	  SEGS({ 0xfe80000, 0x180000 }),
	  MIB, 0x200000, INITRD_LIMIT, .addr = 0xfc00000 },
	{ "place: limit below the top of RAM", QEMU_256M, SEGS(),
	  MIB, 0x1000, 0x8000000, .addr = 0x8000000 - MIB },
	{ "place: unaligned size ends below the limit", QEMU_256M, SEGS(),
	  0x1234, 0x1000, 0x8000000, .addr = 0x7ffe000 },
	{ "place: full range skipped, falls to the low range", QEMU_256M,
	  SEGS({ 0x100000, 0xff00000 }),
	  0x10000, 0x1000, INITRD_LIMIT, .addr = 0x8f000 },
	{ "place: limit inside the low range", QEMU_256M, SEGS(),
	  0x10000, 0x1000, 0x80000, .addr = 0x70000 },
	{ "place: into the gap between two segments (exact fit)",
	  QEMU_256M, SEGS({ 0x1000000, 0x1000000 }, { 0x2400000, 0xdc00000 }),
	  4 * MIB, 0x1000, INITRD_LIMIT, .addr = 0x2000000 },
	{ "place: into the gap between two segments", QEMU_256M,
	  SEGS({ 0x1000000, 0x1000000 }, { 0x2400000, 0xdc00000 }),
	  3 * MIB, 0x1000, INITRD_LIMIT, .addr = 0x2100000 },
	{ "place: below both segments when the gap is too small", QEMU_256M,
	  SEGS({ 0x1000000, 0x1000000 }, { 0x2400000, 0xdc00000 }),
	  5 * MIB, 0x1000, INITRD_LIMIT, .addr = 0x1000000 - 5 * MIB },
	{ "place: size of a whole range", RANGES({ 0x100000, 0x200000 }),
	  SEGS(), MIB, 0x1000, INITRD_LIMIT, .addr = 0x100000 },
	{ "place: larger than any free range", QEMU_256M, SEGS(),
	  0x10000000, 0x1000, INITRD_LIMIT,
	  .ret = -ENOSPC },
	{ "place: alignment leaves no room", RANGES({ 0x1001, 0x2fff }),
	  SEGS(), 0x1000, 0x1000, INITRD_LIMIT, .ret = -ENOSPC },
	{ "place: limit at the start of RAM", RANGES({ 0x100000, 0x200000 }),
	  SEGS(), 0x1000, 0x1000, 0x100000, .ret = -ENOSPC },
	{ "place: limit 0", QEMU_256M, SEGS(), 0x1000, 0x1000, 0,
	  .ret = -ENOSPC },
	{ "place: RAM fully covered by segments", QEMU_256M,
	  SEGS({ 0, 0x9f000 }, { 0x100000, 0xff00000 }),
	  0x1000, 0x1000, INITRD_LIMIT, .ret = -ENOSPC },
	{ "place: below a RAM end that is not page aligned (0x9fc00)",
	  RANGES({ 0, 0x9fc00 }), SEGS(), 0x10100, 0x1000, INITRD_LIMIT,
	  .addr = 0x8e000 },
	{ "place: size near 2^64 (lo + size wraps)", QEMU_256M, SEGS(),
	  0xffffffffffff0000ULL, 0x1000, INITRD_LIMIT, .ret = -ENOSPC,
	  .bug = "kexec_boot_layout.c:137 'hi >= lo + size' wraps; returns an address outside RAM" },
};

static bool run_place_case(const struct place_case *c)
{
	struct kexec_boot_layout layout;
	struct kexec_boot_ram ram;
	u64 addr = 0xdeadbeef;
	int ret;

	ram_fill(&ram, &c->ram);
	layout_fill(&layout, &c->seg);
	msg_reset();
	ret = kexec_boot_check_layout(&layout, &ram, FOUR_GIB);
	CHECK(!ret, "test setup: layout refused with %s", errname(ret));
	ret = kexec_boot_place(&layout, &ram, c->size, c->align, c->limit,
			       &addr);
	if (!expect_result(ret, c->ret, c->ret ? "no free RAM" : NULL))
		return fail_context("addr %#llx", addr);
	CHECK(ret || addr == c->addr, "placed at %#llx, expected %#llx", addr,
	      c->addr);
	return true;
}

/* --- one-off tests --------------------------------------------------------- */

static bool test_ram_add_drops_extra_ranges(void)
{
	struct kexec_boot_ram ram = { 0 };
	unsigned int i;

	for (i = 0; i < KEXEC_BOOT_MAX_RAM_RANGES + 5; i++)
		kexec_boot_ram_add(&ram, i * 0x2000ULL, i * 0x2000ULL + 0x1000);
	CHECK(ram.nr == KEXEC_BOOT_MAX_RAM_RANGES, "%u ranges", ram.nr);
	i = KEXEC_BOOT_MAX_RAM_RANGES - 1;
	CHECK(ram.start[i] == i * 0x2000ULL &&
	      ram.end[i] == i * 0x2000ULL + 0x1000,
	      "last range [%#llx, %#llx)", ram.start[i], ram.end[i]);
	/* A full table still extends its last range. */
	kexec_boot_ram_add(&ram, ram.end[i], ram.end[i] + 0x1000);
	CHECK(ram.nr == KEXEC_BOOT_MAX_RAM_RANGES &&
	      ram.end[i] == i * 0x2000ULL + 0x2000,
	      "full table: %u ranges, last ends at %#llx", ram.nr, ram.end[i]);
	return true;
}

static bool test_add_segment(void)
{
	struct kexec_boot_layout layout;
	unsigned int i;
	int ret;

	memset(&layout, 0, sizeof(layout));
	msg_reset();
	for (i = 0; i < KEXEC_BOOT_MAX_SEGMENTS; i++) {
		ret = kexec_boot_add_segment(&layout, &seg_tag[i], i,
					     0x100000 * (i + 1), 0x1000 + i);
		CHECK(!ret, "segment %u refused with %s", i, errname(ret));
	}
	for (i = 0; i < KEXEC_BOOT_MAX_SEGMENTS; i++) {
		const struct kexec_boot_segment *seg = &layout.segment[i];

		CHECK(seg->buf == &seg_tag[i] && seg->bufsz == i &&
		      seg->mem == 0x100000ULL * (i + 1) && seg->memsz == 0x1000 + i,
		      "segment %u stored wrongly", i);
	}
	ret = kexec_boot_add_segment(&layout, NULL, 0, 0, 0x1000);
	if (!expect_result(ret, -E2BIG, "more than 256 segments"))
		return false;
	CHECK(layout.nr_segments == KEXEC_BOOT_MAX_SEGMENTS,
	      "nr_segments %u after refusal", layout.nr_segments);
	return true;
}

/* A segment added over stale array contents is not scratch space. */
static bool test_add_segment_not_scratch(void)
{
	struct kexec_boot_layout layout;
	int ret;

	memset(&layout, 0xff, sizeof(layout));
	layout.nr_segments = 0;
	ret = kexec_boot_add_segment(&layout, NULL, 0, 0x100000, 0x1000);
	CHECK(!ret, "refused with %s", errname(ret));
	CHECK(!layout.segment[0].scratch,
	      "stale scratch flag kept on a new segment");
	return true;
}

/* ======================================================================== */
/* Randomized property tests                                                */

/*
 * 1-@max disjoint, non-touching ranges somewhere in [base, base + 1 MiB),
 * either page-granular or byte-granular.
 */
static void random_ranges(struct ranges *out, u64 base, unsigned int max)
{
	u64 unit = rnd() & 1 ? 0x1000 : 1;
	u64 span = 0x100000 / unit / (max + 1);
	u64 pos = base + rnd_below(span / 2) * unit;
	unsigned int i;

	out->n = 1 + rnd_below(max);
	for (i = 0; i < out->n; i++) {
		out->r[i].start = pos;
		out->r[i].end = pos + (1 + rnd_below(span)) * unit;
		pos = out->r[i].end + (1 + rnd_below(span / 2)) * unit;
	}
}

static bool inside_ranges(const struct ranges *ram, u128 start, u128 end)
{
	unsigned int i;

	for (i = 0; i < ram->n; i++)
		if (start >= ram->r[i].start && end <= ram->r[i].end)
			return true;
	return false;
}

/* Is the whole-page range the handover writes for [start, end) RAM? */
static bool pages_inside_ranges(const struct ranges *ram, u128 start, u128 end)
{
	return inside_ranges(ram, start & ~(u128)0xfff,
			     (end + 0xfff) & ~(u128)0xfff);
}

static bool overlaps(u128 a, u128 a_end, u128 b, u128 b_end)
{
	return a < b_end && b < a_end;
}

/* kexec_boot_ram_add() against a bitmap of the union of what was added. */
static bool test_ram_add_random(void)
{
	enum { WINDOW = 512 };
	struct kexec_boot_ram ram;
	bool map[WINDOW + 1];
	unsigned int iter, i, n, k;

	rng_seed(0x9e3779b97f4a7c15ULL);
	for (iter = 0; iter < ITERATIONS; iter++) {
		u64 start = 0, end;

		memset(&ram, 0, sizeof(ram));
		memset(map, 0, sizeof(map));
		n = rnd_below(20);
		for (i = 0; i < n; i++) {
			/* Ascending starts; empty and reversed ranges too. */
			start += rnd_below(40);
			if (start >= WINDOW)
				break;
			if (rnd_below(5))
				end = start + rnd_below(60);
			else
				end = start - rnd_below(start + 1);
			if (end > WINDOW)
				end = WINDOW;
			kexec_boot_ram_add(&ram, start, end);
			for (k = start; k < end; k++)
				map[k] = true;
		}
		/* The ranges must be exactly the runs of the bitmap. */
		for (i = 0, k = 0; k < WINDOW; k++) {
			if (!map[k] || (k && map[k - 1]))
				continue;
			end = k;
			while (end < WINDOW && map[end])
				end++;
			CHECK(i < ram.nr && ram.start[i] == k && ram.end[i] == end,
			      "iteration %u: run %u is [%u, %llu), ram has %u ranges, range %u [%llu, %llu)",
			      iter, i, k, end, ram.nr, i,
			      i < ram.nr ? ram.start[i] : 0,
			      i < ram.nr ? ram.end[i] : 0);
			i++;
		}
		CHECK(i == ram.nr, "iteration %u: %u ranges for %u runs", iter,
		      ram.nr, i);
	}
	return true;
}

/* Windows at the bottom, across 4 GiB and at the top of the u64 space. */
static const u64 window_base[] = {
	0, FOUR_GIB - 0x80000, 0xffffffffffc00000ULL,
};

static bool test_check_layout_random(void)
{
	struct kexec_boot_layout layout;
	struct kexec_boot_ram ram;
	struct ranges raw;
	struct segs in;
	unsigned int iter, i, j, accepted = 0;

	rng_seed(0x2545f4914f6cdd1dULL);
	for (iter = 0; iter < ITERATIONS; iter++) {
		u64 base = window_base[rnd_below(ARRAY_SIZE(window_base))];
		u64 limit;
		bool bad_addr = false, bad_overlap = false;
		int ret;

		random_ranges(&raw, base, 4);
		ram_fill(&ram, &raw);
		CHECK(ram.nr == raw.n, "iteration %u: setup merged ranges", iter);

		switch (rnd_below(3)) {
		case 0:  limit = FOUR_GIB; break;
		case 1:  limit = ~0ULL; break;
		default: limit = base + rnd_below(0x100000); break;
		}

		in.n = 1 + rnd_below(5);
		for (i = 0; i < in.n; i++) {
			const struct range *r = &raw.r[rnd_below(raw.n)];
			struct seg_spec *s = &in.s[i];

			if (rnd_below(10) < 7)
				s->mem = r->start + rnd_below(r->end - r->start);
			else
				s->mem = base + rnd_below(0x100000);
			s->memsz = 1 + rnd_below(rnd() & 1 ? 0x100 : 0x20000);
			if (!rnd_below(20))
				s->memsz = rnd() | 1;	/* mem + memsz may wrap */
		}

		/* Brute force: what is wrong with these segments? */
		for (i = 0; i < in.n; i++) {
			u128 s = in.s[i].mem, e = s + in.s[i].memsz;

			if (e > limit || !pages_inside_ranges(&raw, s, e))
				bad_addr = true;
			for (j = 0; j < i; j++)
				if (overlaps(s, e, in.s[j].mem,
					     (u128)in.s[j].mem + in.s[j].memsz))
					bad_overlap = true;
		}

		layout_fill(&layout, &in);
		msg_reset();
		ret = kexec_boot_check_layout(&layout, &ram, limit);
		if (!ret) {
			accepted++;
			CHECK(!bad_addr && !bad_overlap,
			      "iteration %u: accepted a layout that is %s",
			      iter, bad_addr ? "outside RAM/limit" : "overlapping");
			if (!expect_sorted_permutation(&layout, &in))
				return fail_context("iteration %u", iter);
		} else {
			CHECK(bad_addr || bad_overlap,
			      "iteration %u: refused a valid layout with %s",
			      iter, errname(ret));
			CHECK((ret == -EADDRNOTAVAIL && bad_addr) ||
			      (ret == -EBUSY && bad_overlap),
			      "iteration %u: %s, but the layout is %s%s", iter,
			      errname(ret), bad_addr ? "outside RAM/limit " : "",
			      bad_overlap ? "overlapping" : "");
			CHECK(unit_message_count > 0,
			      "iteration %u: refused silently", iter);
		}
	}
	printf("# check_layout: %u of %u random layouts accepted\n", accepted,
	       ITERATIONS);
	return true;
}

/* A valid placement of @size bytes at @a (u128: nothing wraps here). */
static bool place_ok(const struct ranges *ram, const struct segs *segs,
		     u64 size, u64 limit, u64 a)
{
	u128 end = (u128)a + size;
	unsigned int i;

	if (end > limit || !pages_inside_ranges(ram, a, end))
		return false;
	for (i = 0; i < segs->n; i++)
		if (overlaps(a, end, segs->s[i].mem,
			     (u128)segs->s[i].mem + segs->s[i].memsz))
			return false;
	return true;
}

/* Segments as a checked layout has them: inside RAM, apart from each other. */
static void random_segments(struct segs *out, const struct ranges *ram)
{
	unsigned int i, tries = rnd_below(6), j;

	out->n = 0;
	for (i = 0; i < tries; i++) {
		const struct range *r = &ram->r[rnd_below(ram->n)];
		u64 mem = r->start + rnd_below(r->end - r->start);
		u64 room = r->end - mem;
		u64 memsz = 1 + rnd_below(room < 0x20000 ? room : 0x20000);
		bool clash = false;

		/* Only segments whose pages are RAM pass the check. */
		clash = !pages_inside_ranges(ram, mem, (u128)mem + memsz);
		for (j = 0; j < out->n; j++)
			clash |= overlaps(mem, (u128)mem + memsz, out->s[j].mem,
					  (u128)out->s[j].mem + out->s[j].memsz);
		if (!clash)
			out->s[out->n++] = (struct seg_spec){ mem, memsz };
	}
}

static bool test_place_random(void)
{
	struct kexec_boot_layout layout;
	struct kexec_boot_ram ram;
	struct ranges raw;
	struct segs segs;
	unsigned int iter, placed = 0;

	rng_seed(0xd1b54a32d192ed03ULL);
	for (iter = 0; iter < ITERATIONS; iter++) {
		u64 base = window_base[rnd_below(ARRAY_SIZE(window_base))];
		u64 align = 0x1000ULL << rnd_below(7);
		u64 size, limit, addr = 0, a, top, best = 0;
		bool found = false;
		int ret;

		random_ranges(&raw, base, 4);
		ram_fill(&ram, &raw);
		random_segments(&segs, &raw);
		layout_fill(&layout, &segs);
		ret = kexec_boot_check_layout(&layout, &ram, ~0ULL);
		CHECK(!ret, "iteration %u: setup layout refused with %s", iter,
		      errname(ret));

		switch (rnd_below(4)) {
		case 0:  size = 1 + rnd_below(0x100); break;
		case 1:  size = 1 + rnd_below(0x10000); break;
		case 2:  size = (1 + rnd_below(0x40)) * 0x1000; break;
		default: size = 1 + rnd_below(0x100000); break;
		}
		switch (rnd_below(4)) {
		case 0:  limit = ~0ULL; break;
		case 1:  limit = FOUR_GIB; break;
		default: limit = base + rnd_below(0x100000); break;
		}

		/* Brute force from the top: the first valid spot is the one. */
		top = raw.r[raw.n - 1].end & ~(align - 1);
		for (a = top; a >= base && a <= top; a -= align) {
			if (place_ok(&raw, &segs, size, limit, a)) {
				best = a;
				found = true;
				break;
			}
		}

		msg_reset();
		ret = kexec_boot_place(&layout, &ram, size, align, limit, &addr);
		if (ret == -ENOSPC) {
			CHECK(!found,
			      "iteration %u: -ENOSPC for %#llx bytes align %#llx limit %#llx, but %#llx fits",
			      iter, size, align, limit, best);
			CHECK(unit_message_count > 0,
			      "iteration %u: -ENOSPC silently", iter);
			continue;
		}
		CHECK(!ret, "iteration %u: returned %s", iter, errname(ret));
		placed++;
		CHECK(!(addr & (align - 1)), "iteration %u: %#llx not aligned to %#llx",
		      iter, addr, align);
		CHECK(place_ok(&raw, &segs, size, limit, addr),
		      "iteration %u: %#llx+%#llx is outside RAM, above %#llx or on a segment",
		      iter, addr, size, limit);
		CHECK(found && addr == best,
		      "iteration %u: placed at %#llx, highest valid is %#llx",
		      iter, addr, best);
	}
	printf("# place: %u of %u random requests placed\n", placed, ITERATIONS);
	return true;
}

/* Values that tend to break 32-bit offset arithmetic. */
static u32 interesting_u32(u32 len)
{
	static const u32 v[] = {
		0, 1, 4, 32, 52, 0x1000, 0x7fffffff, 0x80000000, 0xfffff000,
		0xfffffff0, 0xffffffff, 0x1000000,
	};
	u64 k = rnd_below(ARRAY_SIZE(v) + 3);

	return k < ARRAY_SIZE(v) ? v[k] : len + (u32)k - ARRAY_SIZE(v) - 1;
}

static bool test_elf_mutations(void)
{
	static void (*const bases[])(struct elf_img *) = {
		base_vmlinux, base_single, base_many,
	};
	struct kexec_boot_layout layout;
	unsigned char *tmpl[ARRAY_SIZE(bases)], *file;
	size_t tlen[ARRAY_SIZE(bases)], hdr_area[ARRAY_SIZE(bases)];
	unsigned char work[0x6000];
	unsigned int iter, b, accepted = 0;
	bool ok = true;

	for (b = 0; b < ARRAY_SIZE(bases); b++) {
		struct elf_img m;

		bases[b](&m);
		if (b == 1)
			m.eh.e_phoff = 53;	/* unaligned headers too */
		tmpl[b] = img_file(&m);
		tlen[b] = m.len;
		hdr_area[b] = m.eh.e_phoff + m.nph * sizeof(Elf32_Phdr);
	}

	rng_seed(0x853c49e6748fea9bULL);
	for (iter = 0; iter < ITERATIONS && ok; iter++) {
		size_t len, pos;
		unsigned int n, mutations = 1 + rnd_below(4);
		u32 v;
		int ret;

		b = rnd_below(ARRAY_SIZE(bases));
		len = tlen[b];
		memcpy(work, tmpl[b], len);
		for (n = 0; n < mutations; n++) {
			switch (rnd_below(10)) {
			case 0 ... 5:	/* a header byte */
				work[rnd_below(hdr_area[b])] = rnd();
				break;
			case 6 ... 7:	/* a header word */
				pos = rnd_below(hdr_area[b] - 3);
				v = interesting_u32(len);
				memcpy(work + pos, &v, 4);
				break;
			case 8:		/* any byte */
				work[rnd_below(len)] = rnd();
				break;
			default:	/* truncate */
				len = rnd_below(len + 1);
				break;
			}
		}

		/* Exactly @len bytes, so ASan sees any read past the end. */
		file = malloc(len ? len : 1);
		if (!file) {
			perror("malloc");
			exit(2);
		}
		memcpy(file, work, len);
		msg_reset();
		ret = kexec_boot_elf_parse(file, len, &layout);
		if (!ret) {
			accepted++;
			ok = expect_segments(file, len, &layout) &&
			     expect_result(ret, 0, NULL);
		} else {
			ok = expect_result(ret, ret, NULL);
			if (ok && ret != -ENOEXEC && ret != -EADDRNOTAVAIL &&
			    ret != -E2BIG)
				ok = fail("unexpected error %s", errname(ret));
		}
		if (!ok)
			fail_context("iteration %u (base %u, len %zu)", iter, b,
				     len);
		free(file);
	}
	for (b = 0; b < ARRAY_SIZE(bases); b++)
		free(tmpl[b]);
	printf("# elf: %u of %u mutated images accepted\n", accepted,
	       ITERATIONS);
	return ok;
}

/* ======================================================================== */

/* --- kexec_boot_check_entry --------------------------------------------- */

struct entry_case {
	const char *name;
	struct segs seg;
	u64 entry;
	int ret;
};

static const struct entry_case entry_cases[] = {
	{ "entry: first byte of the only segment",
	  SEGS({ 0x1000000, 0x1000 }), 0x1000000, 0 },
	{ "entry: last byte of the only segment",
	  SEGS({ 0x1000000, 0x1000 }), 0x1000fff, 0 },
	{ "entry: in the second segment",
	  SEGS({ 0x1000000, 0x1000 }, { 0x2000000, 0x1000 }), 0x2000800, 0 },
	{ "entry: one past the end of a segment",
	  SEGS({ 0x1000000, 0x1000 }), 0x1001000, -EADDRNOTAVAIL },
	{ "entry: one before a segment",
	  SEGS({ 0x1000000, 0x1000 }), 0xffffff, -EADDRNOTAVAIL },
	{ "entry: in the gap between two segments",
	  SEGS({ 0x1000000, 0x1000 }, { 0x2000000, 0x1000 }), 0x1800000,
	  -EADDRNOTAVAIL },
	{ "entry: no segments at all", SEGS(), 0x100000, -EADDRNOTAVAIL },
	{ "entry: segment of size 0 holds nothing",
	  SEGS({ 0x1000000, 0 }), 0x1000000, -EADDRNOTAVAIL },
	{ "entry: segment reaching the top of u64 (no overflow)",
	  SEGS({ 0xfffffffffffff000ULL, 0x1000 }), 0xffffffffffffffffULL, 0 },
	{ "entry: huge segment, entry below it",
	  SEGS({ 0xffffffff00000000ULL, 0xffffffff }), 0x1000,
	  -EADDRNOTAVAIL },
};

static bool run_entry_case(const struct entry_case *c)
{
	struct kexec_boot_layout layout;

	layout_fill(&layout, &c->seg);
	layout.entry = c->entry;
	msg_reset();
	return expect_result(kexec_boot_check_entry(&layout), c->ret,
			     "outside every segment");
}

struct one_off {
	const char *name;
	bool (*fn)(void);
};

/* ======================================================================== */
/* Packed images (kexec_boot_unpack) and ELF notes                          */

#define PACK_NOTES	(sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr))
#define PACK_KERNEL	4096	/* where pack_std() puts the kernel */
#define PACK_INITRD	8192	/* ... and the initrd */
#define PACK_LEN	12288

struct pack_img {
	unsigned char buf[PACK_LEN + 4096];
	size_t len;
	size_t notes_end;
};

static void pack_init(struct pack_img *m)
{
	Elf32_Ehdr eh = {
		.e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS32, ELFDATA2LSB, 1 },
		.e_type = ET_EXEC, .e_machine = EM_386, .e_version = 1,
		.e_phoff = sizeof(Elf32_Ehdr), .e_ehsize = sizeof(Elf32_Ehdr),
		.e_phentsize = sizeof(Elf32_Phdr), .e_phnum = 1,
	};

	memset(m, 0, sizeof(*m));
	memcpy(m->buf, &eh, sizeof(eh));
	m->notes_end = PACK_NOTES;
	m->len = PACK_LEN;
}

/* Appends a note and makes the PT_NOTE header cover every note so far. */
static void pack_note(struct pack_img *m, const char *owner, u32 type,
		      const void *desc, u32 desc_len)
{
	Elf32_Nhdr nh = { (u32)strlen(owner) + 1, desc_len, type };
	Elf32_Phdr ph = { .p_type = PT_NOTE, .p_offset = PACK_NOTES };
	unsigned char *p = m->buf + m->notes_end;

	memcpy(p, &nh, sizeof(nh));
	memcpy(p + sizeof(nh), owner, nh.n_namesz);
	p += sizeof(nh) + ((nh.n_namesz + 3) & ~3U);
	memcpy(p, desc, desc_len);
	m->notes_end = (size_t)(p - m->buf) + ((desc_len + 3) & ~3U);
	ph.p_filesz = (u32)(m->notes_end - PACK_NOTES);
	memcpy(m->buf + sizeof(Elf32_Ehdr), &ph, sizeof(ph));
}

static void pack_blob(struct pack_img *m, u32 type, u64 offset, u64 size)
{
	struct kexec_boot_pack_blob blob = { offset, size };

	pack_note(m, KEXEC_BOOT_NOTE_OWNER, type, &blob, sizeof(blob));
}

/* Kernel, initrd and command line, each part filled with its own byte. */
static void pack_std(struct pack_img *m)
{
	pack_init(m);
	memset(m->buf + PACK_KERNEL, 'k', 4096);
	memset(m->buf + PACK_INITRD, 'i', 4096);
	pack_blob(m, KEXEC_BOOT_NOTE_KERNEL, PACK_KERNEL, 4096);
	pack_blob(m, KEXEC_BOOT_NOTE_INITRD, PACK_INITRD, 4096);
	pack_note(m, KEXEC_BOOT_NOTE_OWNER, KEXEC_BOOT_NOTE_CMDLINE,
		  "console=ttyS0", 14);
}

/*
 * The container's header names a machine this kernel does not boot (an
 * arm64 kernel gets kexec-pack's EM_386 header): still a packed image.
 */
static void pack_other_machine(struct pack_img *m)
{
	u16 machine = EM_AARCH64;

	pack_std(m);
	memcpy(m->buf + offsetof(Elf32_Ehdr, e_machine), &machine,
	       sizeof(machine));
}

static void pack_kernel_only(struct pack_img *m, u64 offset, u64 size)
{
	pack_init(m);
	pack_blob(m, KEXEC_BOOT_NOTE_KERNEL, offset, size);
}

static void pack_bad_kernel_desc(struct pack_img *m)
{
	pack_init(m);
	pack_note(m, KEXEC_BOOT_NOTE_OWNER, KEXEC_BOOT_NOTE_KERNEL, "12345678", 8);
}

static void pack_cmdline_only(struct pack_img *m)
{
	pack_init(m);
	pack_note(m, KEXEC_BOOT_NOTE_OWNER, KEXEC_BOOT_NOTE_CMDLINE, "x", 2);
}

static void pack_unterminated_cmdline(struct pack_img *m)
{
	pack_kernel_only(m, PACK_KERNEL, 4096);
	pack_note(m, KEXEC_BOOT_NOTE_OWNER, KEXEC_BOOT_NOTE_CMDLINE, "abcd", 4);
}

static void pack_long_cmdline(struct pack_img *m)
{
	char line[KEXEC_BOOT_CMDLINE_MAX + 1];

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	pack_kernel_only(m, PACK_KERNEL, 4096);
	pack_note(m, KEXEC_BOOT_NOTE_OWNER, KEXEC_BOOT_NOTE_CMDLINE, line,
		  sizeof(line));
}

/* The kernel inside is a packed image too (its own header at PACK_KERNEL). */
static void pack_nested(struct pack_img *m)
{
	struct pack_img inner;

	pack_kernel_only(&inner, 0, 64);
	pack_kernel_only(m, PACK_KERNEL, inner.notes_end);
	memcpy(m->buf + PACK_KERNEL, inner.buf, inner.notes_end);
}

static void pack_initrd_past_end(struct pack_img *m)
{
	pack_kernel_only(m, PACK_KERNEL, 4096);
	pack_blob(m, KEXEC_BOOT_NOTE_INITRD, PACK_INITRD, 4097);
}

/* A note whose name runs past the PT_NOTE segment: not a packed image. */
static void pack_note_past_segment(struct pack_img *m)
{
	pack_kernel_only(m, PACK_KERNEL, 4096);
	m->buf[PACK_NOTES] = 200;	/* n_namesz */
}

static void pack_other_owner(struct pack_img *m)
{
	pack_init(m);
	pack_note(m, "Linux", 0x101, "\0\0\0", 4);
}

static void pack_not_elf(struct pack_img *m)
{
	pack_std(m);
	m->buf[0] = 'X';
}

struct pack_case {
	const char *name;
	void (*build)(struct pack_img *m);
	int ret;
	const char *word;
};

static void pack_kernel_past_end(struct pack_img *m)
{
	pack_kernel_only(m, PACK_LEN - 100, 101);
}

static void pack_kernel_wraps(struct pack_img *m)
{
	pack_kernel_only(m, ~0ULL - 7, 16);
}

static void pack_kernel_empty(struct pack_img *m)
{
	pack_kernel_only(m, PACK_KERNEL, 0);
}

static void pack_kernel_unaligned(struct pack_img *m)
{
	pack_kernel_only(m, PACK_KERNEL + 4, 4000);
}

static const struct pack_case pack_cases[] = {
	{ "pack: kernel at an unaligned offset", pack_kernel_unaligned,
	  -ENOEXEC, "not 8-byte aligned" },
	{ "pack: kernel, initrd and command line", pack_std, 0, NULL },
	{ "pack: a container naming another machine is a packed image",
	  pack_other_machine, 0, NULL },
	{ "pack: not ELF is not a packed image", pack_not_elf, -ENOENT, NULL },
	{ "pack: other owners' notes are not a packed image", pack_other_owner,
	  -ENOENT, NULL },
	{ "pack: a note past its segment is not read", pack_note_past_segment,
	  -ENOENT, NULL },
	{ "pack: no kernel note", pack_cmdline_only, -ENOEXEC, "no kernel" },
	{ "pack: kernel note of the wrong size", pack_bad_kernel_desc, -ENOEXEC,
	  "8 bytes" },
	{ "pack: kernel past the file end", pack_kernel_past_end, -ENOEXEC,
	  "past the file end" },
	{ "pack: kernel offset wraps", pack_kernel_wraps, -ENOEXEC,
	  "past the file end" },
	{ "pack: empty kernel", pack_kernel_empty, -ENOEXEC, "empty" },
	{ "pack: initrd past the file end", pack_initrd_past_end, -ENOEXEC,
	  "initrd" },
	{ "pack: command line not NUL-terminated", pack_unterminated_cmdline,
	  -ENOEXEC, "NUL" },
	{ "pack: command line too long", pack_long_cmdline, -E2BIG, "exceeds" },
	{ "pack: packed image inside a packed image", pack_nested, -ENOEXEC,
	  "itself a packed image" },
};

static bool run_pack_case(const struct pack_case *c)
{
	static struct pack_img m;
	struct kexec_boot_parts parts;
	int ret;

	c->build(&m);
	msg_reset();
	ret = kexec_boot_unpack(m.buf, m.len, &parts);
	if (ret == -ENOENT && c->ret == -ENOENT) {
		CHECK(unit_message_count == 0, "not packed, yet printed \"%.*s\"",
		      msg_len(), unit_last_message);
		return true;
	}
	if (!expect_result(ret, c->ret, c->word))
		return false;
	if (ret)
		return true;
	CHECK(parts.kernel == m.buf + PACK_KERNEL && parts.kernel_size == 4096,
	      "kernel at offset %td size %llu", (const unsigned char *)parts.kernel - m.buf,
	      parts.kernel_size);
	CHECK(parts.initrd == m.buf + PACK_INITRD && parts.initrd_size == 4096,
	      "initrd at offset %td size %llu", (const unsigned char *)parts.initrd - m.buf,
	      parts.initrd_size);
	CHECK(parts.cmdline && !strcmp(parts.cmdline, "console=ttyS0"),
	      "command line \"%s\"", parts.cmdline ? parts.cmdline : "(none)");
	return true;
}

static bool test_find_note_type(void)
{
	static struct pack_img m;
	const void *desc;
	u32 len;

	pack_other_owner(&m);
	CHECK(!kexec_boot_elf_find_note(m.buf, m.len, "Linux",
					KEXEC_BOOT_ELF_NOTE_ANY, &desc, &len),
	      "no \"Linux\" note found with any type");
	CHECK(desc == m.buf + PACK_NOTES + 20 && len == 4,
	      "descriptor at offset %td, %u bytes", (const unsigned char *)desc - m.buf, len);
	CHECK(kexec_boot_elf_find_note(m.buf, m.len, "Linux", 0x100, &desc,
				       &len) == -ENOENT, "type 0x100 matched 0x101");
	CHECK(kexec_boot_elf_find_note(m.buf, m.len, "Linu", 0x101, &desc,
				       &len) == -ENOENT, "owner prefix matched");
	return true;
}

/*
 * A file too big to read whole: its head (headers and notes) is enough to
 * find the pieces, which are checked against the length of the whole file.
 */
static bool test_pack_find_in_head(void)
{
	static struct pack_img m;
	struct kexec_boot_pack pack;
	int ret;

	pack_std(&m);
	msg_reset();
	ret = kexec_boot_pack_find(m.buf, m.notes_end, m.len, &pack);
	CHECK(!ret, "head of %zu bytes refused with %s", m.notes_end, errname(ret));
	CHECK(pack.kernel_offset == PACK_KERNEL && pack.kernel_size == 4096 &&
	      pack.initrd_offset == PACK_INITRD && pack.initrd_size == 4096,
	      "kernel %llu+%llu initrd %llu+%llu", pack.kernel_offset,
	      pack.kernel_size, pack.initrd_offset, pack.initrd_size);
	CHECK(pack.cmdline && !strcmp(pack.cmdline, "console=ttyS0") &&
	      (const unsigned char *)pack.cmdline < m.buf + m.notes_end,
	      "command line not read from the head");
	ret = kexec_boot_pack_find(m.buf, m.notes_end, PACK_INITRD + 4095, &pack);
	if (!expect_result(ret, -ENOEXEC, "past the file end 12287"))
		return false;
	msg_reset();
	ret = kexec_boot_pack_find(m.buf, m.notes_end - 1, m.len, &pack);
	return expect_result(ret, -ENOEXEC, "past the first");
}

/* ======================================================================== */
/* Boot environment of generic ELF images (kexec_boot_env_write)            */

static const struct kexec_boot_env_memory env_memory[] = {
	{ 0, 0x9fc00, 1, 0 }, { 0xf0000, 0x10000, 2, 0 },
	{ 0x100000, 0xfee0000, 1, 0 },
};

static const struct kexec_boot_env_facts env_full = {
	.cmdline = "console=ttyS0 x=y", .memory = env_memory,
	.nr_memory = ARRAY_SIZE(env_memory), .initrd_addr = 0x7000000,
	.initrd_size = 12345, .rsdp = 0xf5a40, .loader = "kexec_boot",
};

/* Walks the records as a reader would; records each type's data. */
static bool env_parse(const unsigned char *buf, u32 size,
		      const void *data[6], u32 data_size[6])
{
	struct kexec_boot_env hdr;
	struct kexec_boot_env_record rec;
	u32 pos = sizeof(hdr), n = 0;

	memcpy(&hdr, buf, sizeof(hdr));
	CHECK(hdr.magic == KEXEC_BOOT_ENV_MAGIC && hdr.version == 1,
	      "magic %#x version %u", hdr.magic, hdr.version);
	CHECK(hdr.size == size, "header size %u, written %u", hdr.size, size);
	while (pos < hdr.size) {
		CHECK(pos % 8 == 0, "record at %u is not 8-byte aligned", pos);
		memcpy(&rec, buf + pos, sizeof(rec));
		CHECK(pos + sizeof(rec) + rec.size <= hdr.size,
		      "record %u runs past the end", n);
		if (rec.type < 6) {
			data[rec.type] = buf + pos + sizeof(rec);
			data_size[rec.type] = rec.size;
		}
		pos += sizeof(rec) + ((rec.size + 7) & ~7U);
		n++;
	}
	CHECK(pos == hdr.size && n == hdr.nr_records,
	      "walked %u records to %u; header says %u records, %u bytes", n,
	      pos, hdr.nr_records, hdr.size);
	return true;
}

static bool test_env_full(void)
{
	static unsigned char buf[4096];
	const void *data[6] = { 0 };
	u32 data_size[6] = { 0 }, need, got;
	struct kexec_boot_env_range initrd;
	u64 rsdp;

	need = kexec_boot_env_write(NULL, 0, &env_full);
	got = kexec_boot_env_write(buf, sizeof(buf), &env_full);
	CHECK(need == got, "measured %u, wrote %u", need, got);
	if (!env_parse(buf, got, data, data_size))
		return fail_context("full environment");
	CHECK(data[KEXEC_BOOT_ENV_CMDLINE] &&
	      !strcmp(data[KEXEC_BOOT_ENV_CMDLINE], env_full.cmdline),
	      "command line record wrong");
	CHECK(data_size[KEXEC_BOOT_ENV_MEMORY] == sizeof(env_memory) &&
	      !memcmp(data[KEXEC_BOOT_ENV_MEMORY], env_memory, sizeof(env_memory)),
	      "memory record of %u bytes differs", data_size[KEXEC_BOOT_ENV_MEMORY]);
	memcpy(&initrd, data[KEXEC_BOOT_ENV_INITRD], sizeof(initrd));
	CHECK(initrd.addr == 0x7000000 && initrd.size == 12345,
	      "initrd %#llx+%llu", (u64)initrd.addr, (u64)initrd.size);
	memcpy(&rsdp, data[KEXEC_BOOT_ENV_RSDP], sizeof(rsdp));
	CHECK(rsdp == 0xf5a40, "rsdp %#llx", rsdp);
	CHECK(data[KEXEC_BOOT_ENV_LOADER] &&
	      !strcmp(data[KEXEC_BOOT_ENV_LOADER], "kexec_boot"), "loader record wrong");
	return true;
}

static bool test_env_minimal_and_short_buffer(void)
{
	static unsigned char buf[4096];
	struct kexec_boot_env_facts facts = { .memory = env_memory, .nr_memory = 1 };
	const void *data[6] = { 0 };
	u32 data_size[6] = { 0 }, need, i;

	need = kexec_boot_env_write(buf, sizeof(buf), &facts);
	if (!env_parse(buf, need, data, data_size))
		return fail_context("minimal environment");
	CHECK(!data[KEXEC_BOOT_ENV_CMDLINE] && !data[KEXEC_BOOT_ENV_RSDP] &&
	      !data[KEXEC_BOOT_ENV_LOADER] && data[KEXEC_BOOT_ENV_INITRD],
	      "records other than memory and initrd present");
	memset(buf, 0xa5, sizeof(buf));
	CHECK(kexec_boot_env_write(buf, need - 1, &env_full) > need - 1,
	      "short buffer: size not reported");
	for (i = 0; i < sizeof(buf); i++)
		CHECK(buf[i] == 0xa5, "short buffer: byte %u written", i);
	return true;
}

/* ======================================================================== */
/* ELF64 images                                                             */

/* An ELF64 x86_64 vmlinux shape: text at 16 MiB, data + bss above 4 GiB. */
struct elf64_img {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	unsigned char data[0x2000];
};

static void elf64_init(struct elf64_img *m)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->eh.e_ident, ELFMAG, SELFMAG);
	m->eh.e_ident[EI_CLASS] = ELFCLASS64;
	m->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	m->eh.e_ident[EI_VERSION] = EV_CURRENT;
	m->eh.e_type = ET_EXEC;
	m->eh.e_machine = EM_X86_64;
	m->eh.e_version = EV_CURRENT;
	m->eh.e_entry = 0x1000000;
	m->eh.e_phoff = offsetof(struct elf64_img, ph);
	m->eh.e_ehsize = sizeof(Elf64_Ehdr);
	m->eh.e_phentsize = sizeof(Elf64_Phdr);
	m->eh.e_phnum = 2;
	m->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD,
		.p_offset = offsetof(struct elf64_img, data), .p_filesz = 0x1000,
		.p_vaddr = 0xffffffff81000000ULL, .p_paddr = 0x1000000,
		.p_memsz = 0x1000 };
	m->ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD,
		.p_offset = offsetof(struct elf64_img, data) + 0x1000,
		.p_filesz = 0x1000, .p_paddr = 0x140000000ULL,
		.p_memsz = 0x3000 };
}

/* Parses a copy of @m of @len bytes, in a buffer of exactly that size. */
static int elf64_parse(const struct elf64_img *m, size_t len,
		       struct kexec_boot_layout *layout)
{
	unsigned char *file = malloc(len);
	int ret;

	memcpy(file, m, len);
	msg_reset();
	ret = kexec_boot_elf_parse(file, len, layout);
	free(file);
	return ret;
}

static bool test_elf64_vmlinux(void)
{
	static struct elf64_img m;
	struct kexec_boot_layout layout;

	elf64_init(&m);
	CHECK(elf64_parse(&m, sizeof(m), &layout) == 0, "refused: %s",
	      unit_last_message);
	CHECK(layout.nr_segments == 2, "%u segments", layout.nr_segments);
	CHECK(layout.segment[1].mem == 0x140000000ULL &&
	      layout.segment[1].memsz == 0x3000 &&
	      layout.segment[1].bufsz == 0x1000,
	      "segment 1 at %#llx+%#llx (%#llx in the file)",
	      layout.segment[1].mem, layout.segment[1].memsz,
	      layout.segment[1].bufsz);
	CHECK(layout.entry == 0x1000000 && layout.entry_64,
	      "entry %#llx, entry_64 %d", layout.entry, layout.entry_64);
	return true;
}

static bool test_elf64_refusals(void)
{
	static struct elf64_img m;
	struct kexec_boot_layout layout;

	elf64_init(&m);
	CHECK(elf64_parse(&m, sizeof(Elf64_Ehdr) - 1, &layout) == -ENOEXEC &&
	      strstr(unit_last_message, "too short for an ELF64 header"),
	      "63 bytes: %s", unit_last_message);
	m.eh.e_machine = EM_AARCH64;
	CHECK(elf64_parse(&m, sizeof(m), &layout) == -ENOEXEC &&
	      strstr(unit_last_message, "machine 183"),
	      "EM_AARCH64: %s", unit_last_message);
	elf64_init(&m);
	m.ph[1].p_paddr = 0xfffffffffffff000ULL;
	CHECK(elf64_parse(&m, sizeof(m), &layout) == -EADDRNOTAVAIL &&
	      strstr(unit_last_message, "wraps around"),
	      "wrap past 2^64: %s", unit_last_message);
	elf64_init(&m);
	m.eh.e_phentsize = sizeof(Elf32_Phdr);
	CHECK(elf64_parse(&m, sizeof(m), &layout) == -ENOEXEC &&
	      strstr(unit_last_message, "size 32, expected 56"),
	      "Elf32_Phdr size: %s", unit_last_message);
	elf64_init(&m);
	m.ph[0].p_offset = 0xfffffffffffff000ULL;
	CHECK(elf64_parse(&m, sizeof(m), &layout) == -ENOEXEC &&
	      strstr(unit_last_message, "runs past the file end"),
	      "p_offset near 2^64: %s", unit_last_message);
	elf64_init(&m);
	m.eh.e_phoff = 0xfffffffffffffff0ULL;
	CHECK(elf64_parse(&m, sizeof(m), &layout) == -ENOEXEC &&
	      strstr(unit_last_message, "program headers end"),
	      "e_phoff near 2^64: %s", unit_last_message);
	return true;
}

static bool test_elf32_not_entry_64(void)
{
	struct kexec_boot_layout layout;
	struct elf_img m;
	unsigned char *file;
	int ret;

	base_single(&m);
	file = img_file(&m);
	layout.entry_64 = true;
	ret = kexec_boot_elf_parse(file, m.len, &layout);
	free(file);
	CHECK(ret == 0 && !layout.entry_64, "ret %d, entry_64 %d", ret,
	      layout.entry_64);
	return true;
}

static const struct one_off one_offs[] = {
	{ "elf64: vmlinux shape, a segment above 4 GiB, 64-bit entry",
	  test_elf64_vmlinux },
	{ "elf64: short header, foreign machine, wraps, bad sizes refused",
	  test_elf64_refusals },
	{ "elf32: entered in 32-bit mode", test_elf32_not_entry_64 },
	{ "ram_add: ranges past KEXEC_BOOT_MAX_RAM_RANGES are dropped",
	  test_ram_add_drops_extra_ranges },
	{ "add_segment: stores 256 segments, refuses the 257th",
	  test_add_segment },
	{ "add_segment: a new segment is not scratch, whatever the array held",
	  test_add_segment_not_scratch },
	{ "random: ram_add equals the union of what was added",
	  test_ram_add_random },
	{ "random: check_layout agrees with brute force",
	  test_check_layout_random },
	{ "random: place finds the highest valid spot (brute force)",
	  test_place_random },
	{ "random: mutated ELF images stay inside the buffer",
	  test_elf_mutations },
	{ "find_note: owner and type must both match", test_find_note_type },
	{ "pack_find: the pieces found from the head of a longer file",
	  test_pack_find_in_head },
	{ "env: every record written, aligned, read back", test_env_full },
	{ "env: optional records left out; a short buffer is not written",
	  test_env_minimal_and_short_buffer },
};

int main(void)
{
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%zu\n", ARRAY_SIZE(elf_cases) + ARRAY_SIZE(ram_cases) +
	       ARRAY_SIZE(check_cases) + ARRAY_SIZE(place_cases) +
	       ARRAY_SIZE(pack_cases) + ARRAY_SIZE(entry_cases) +
	       ARRAY_SIZE(one_offs));

	for (i = 0; i < ARRAY_SIZE(elf_cases); i++)
		report(elf_cases[i].name, run_elf_case(&elf_cases[i]), NULL);
	for (i = 0; i < ARRAY_SIZE(ram_cases); i++)
		report(ram_cases[i].name, run_ram_case(&ram_cases[i]), NULL);
	for (i = 0; i < ARRAY_SIZE(check_cases); i++)
		report(check_cases[i].name, run_check_case(&check_cases[i]),
		       NULL);
	for (i = 0; i < ARRAY_SIZE(place_cases); i++)
		report(place_cases[i].name, run_place_case(&place_cases[i]),
		       place_cases[i].bug);
	for (i = 0; i < ARRAY_SIZE(pack_cases); i++)
		report(pack_cases[i].name, run_pack_case(&pack_cases[i]), NULL);
	for (i = 0; i < ARRAY_SIZE(entry_cases); i++)
		report(entry_cases[i].name, run_entry_case(&entry_cases[i]),
		       NULL);
	for (i = 0; i < ARRAY_SIZE(one_offs); i++)
		report(one_offs[i].name, one_offs[i].fn(), NULL);

	printf("%d passed, %d failed\n", tests_run - tests_failed,
	       tests_failed);
	return tests_run == 0 || tests_failed ? 1 : 0;
}
