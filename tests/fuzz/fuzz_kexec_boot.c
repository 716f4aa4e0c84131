// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the pure parts of kexec_boot, compiled unchanged
 * against the unit tests' userspace shim (tests/unit/shim):
 *   kernel/kernel/kexec_boot_elf.c     kexec_boot_elf_parse()
 *   kernel/kernel/kexec_boot_pack.c    kexec_boot_unpack() (and through it
 *                                      kexec_boot_elf_find_note())
 *   kernel/kernel/kexec_boot_layout.c  kexec_boot_ram_add(), _add_segment(),
 *                                      _check_layout(), _place()
 *
 * Each input is treated as the kernel file handed to kexec_boot_load(2) and
 * goes through what lay_out() in kernel/kexec_boot.c does with it: parse,
 * check the layout against a QEMU-like 256 MiB RAM map, place an initrd
 * (its size taken from the input's last 4 bytes), add it as a segment and
 * check again.  Any broken invariant calls abort(), which libFuzzer reports
 * as a crash and saves the input.  Beyond the documented contracts (errnos,
 * a "kexec_boot: " message for every refusal, segments inside the file,
 * sorted/disjoint/in-RAM layouts, aligned free placements) it holds the
 * functions to independent oracles: layout_ok() for the layout check (also
 * at handover limits right at and below the highest segment end),
 * oracle_place() for the exact address kexec_boot_place() must return, and
 * check_truncated() for the parser's bounds (the file cut to the bytes it
 * uses parses the same; 1-4 bytes shorter it is refused), which catches a
 * lax bounds check even where ASan's shadow check of an unaligned 16-byte
 * load would not.
 *
 *   make -C tests/fuzz run SECONDS=60
 */
#include <asm/page.h>
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

/* Written by the printk shim. */
char unit_last_message[512];
int unit_message_count;

#define FOUR_GIB	0x100000000ULL
#define ADDR_LIMIT	FOUR_GIB		/* U32_MAX + 1 in lay_out() */
#define INITRD_ALIGN	0x1000ULL		/* PAGE_SIZE */
#define INITRD_LIMIT	0x38000000ULL		/* the x86 initrd limit */
#define INITRD_MAX	0x20000000ULL		/* 512 MiB: more than the RAM */
#define MSG_PREFIX	"kexec_boot: "

/* The machine part fuzzed boots what x86_64 boots (ELF32 and ELF64). */
const u16 kexec_boot_elf_machines[] = { EM_X86_64, EM_386, EM_NONE };

/* QEMU -m 256: e820 RAM minus the BIOS areas. */
static const struct { u64 start, end; } qemu_ram[] = {
	{ 0, 0x9fc00 },
	{ 0x100000, 0x10000000 },
};

/*
 * The format probe the kernel runs before choosing a loader, where this
 * tree has it (weak: the harness also builds against sources without it).
 */
const char *kexec_boot_elf_probe(const void *buf, u64 len)
	__attribute__((weak));

static const uint8_t *in_data;
static size_t in_size;

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_kexec_boot: invariant broken: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  input: %zu bytes; last message (%d so far): %s\n",
		in_size, unit_message_count, unit_last_message);
	abort();
}

#define CHECK(cond, ...)	do { if (!(cond)) fail(__VA_ARGS__); } while (0)

static void dump_layout(const char *what, const struct kexec_boot_layout *l)
{
	unsigned int i;

	fprintf(stderr, "%s: %u segments, entry %#llx\n", what,
		l->nr_segments, l->entry);
	for (i = 0; i < l->nr_segments && i < KEXEC_BOOT_MAX_SEGMENTS; i++)
		fprintf(stderr, "  [%u] mem %#llx memsz %#llx bufsz %#llx\n", i,
			l->segment[i].mem, l->segment[i].memsz,
			l->segment[i].bufsz);
}

/*
 * A refusal must carry its reason: at least one new message, starting with
 * the file's pr_fmt prefix.
 */
static void check_refusal(const char *fn, int ret, int before,
			  const int *allowed, size_t nr_allowed)
{
	size_t i;

	for (i = 0; i < nr_allowed; i++)
		if (ret == allowed[i])
			break;
	CHECK(i < nr_allowed, "%s returned %d, not a documented error", fn, ret);
	CHECK(unit_message_count > before,
	      "%s refused (%d) without a message", fn, ret);
	CHECK(!strncmp(unit_last_message, MSG_PREFIX, strlen(MSG_PREFIX)),
	      "%s message lacks the \"" MSG_PREFIX "\" prefix", fn);
}

/* A piece kexec_boot_unpack() points to lies inside the file. */
static void check_piece(const char *what, const void *piece, u64 size)
{
	const uint8_t *p = piece;

	CHECK(p >= in_data && size <= in_size &&
	      (u64)(p - in_data) <= in_size - size,
	      "unpack: %s %p+%llu outside the file %p+%zu", what, piece, size,
	      (const void *)in_data, in_size);
}

/*
 * kexec_boot_unpack(): -ENOENT silently for anything not packed; on success
 * every piece inside the file, the kernel non-empty, the command line
 * NUL-terminated inside the file and short enough.
 */
static void check_unpack(void)
{
	static const int unpack_errs[] = { -ENOEXEC, -E2BIG };
	struct kexec_boot_parts parts;
	int before = unit_message_count, ret;

	ret = kexec_boot_unpack(in_data, in_size, &parts);
	if (ret == -ENOENT) {
		CHECK(unit_message_count == before,
		      "unpack: not packed, yet a message");
		return;
	}
	if (ret) {
		check_refusal("kexec_boot_unpack", ret, before, unpack_errs,
			      sizeof(unpack_errs) / sizeof(unpack_errs[0]));
		return;
	}
	CHECK(parts.kernel && parts.kernel_size, "unpack: no kernel");
	check_piece("kernel", parts.kernel, parts.kernel_size);
	if (parts.initrd)
		check_piece("initrd", parts.initrd, parts.initrd_size);
	if (parts.cmdline) {
		size_t room = in_size - (size_t)((const uint8_t *)parts.cmdline - in_data);

		check_piece("command line", parts.cmdline, 1);
		CHECK(memchr(parts.cmdline, 0, room) &&
		      strlen(parts.cmdline) < KEXEC_BOOT_CMDLINE_MAX,
		      "unpack: command line unterminated or too long");
	}
}

/*
 * Is every whole page [@start, @end) touches inside one RAM range?  The
 * handover writes whole pages.
 */
static bool in_ram(const struct kexec_boot_ram *ram, u64 start, u64 end)
{
	u64 first = start & ~(u64)(PAGE_SIZE - 1);
	u64 last = end + PAGE_SIZE - 1;
	unsigned int i;

	if (last < end)
		return false;
	last &= ~(u64)(PAGE_SIZE - 1);
	for (i = 0; i < ram->nr; i++)
		if (first >= ram->start[i] && last <= ram->end[i])
			return true;
	return false;
}

static bool overlaps(u64 a, u64 asz, u64 b, u64 bsz)
{
	return a < b + bsz && b < a + asz;
}

/* After a successful parse: everything points into the file. */
static void check_parsed(const struct kexec_boot_layout *l)
{
	uintptr_t lo = (uintptr_t)in_data, hi = lo + in_size;
	unsigned int i;
	bool entry_inside = false;

	CHECK(l->nr_segments >= 1 && l->nr_segments <= KEXEC_BOOT_MAX_SEGMENTS,
	      "parse: %u segments", l->nr_segments);
	for (i = 0; i < l->nr_segments; i++) {
		const struct kexec_boot_segment *s = &l->segment[i];
		uintptr_t b = (uintptr_t)s->buf;

		CHECK(s->memsz > 0, "parse: segment %u has memsz 0", i);
		CHECK(s->bufsz <= s->memsz,
		      "parse: segment %u bufsz %#llx > memsz %#llx", i,
		      s->bufsz, s->memsz);
		CHECK(s->mem + s->memsz <= FOUR_GIB,
		      "parse: segment %u %#llx+%#llx passes 4 GiB", i,
		      s->mem, s->memsz);
		if (s->bufsz)
			CHECK(b >= lo && b <= hi && s->bufsz <= hi - b,
			      "parse: segment %u data [%#llx+%#llx) outside "
			      "the %zu-byte file", i,
			      (unsigned long long)(b - lo), s->bufsz, in_size);
		if (l->entry >= s->mem && l->entry < s->mem + s->memsz)
			entry_inside = true;
	}
	CHECK(entry_inside, "parse: entry %#llx outside every segment",
	      l->entry);
}

/* Parse the first @len bytes of the input from an exact-size copy. */
static int parse_prefix(size_t len, struct kexec_boot_layout *l)
{
	uint8_t *copy = malloc(len ? len : 1);
	int ret;

	if (!copy)
		abort();
	memcpy(copy, in_data, len);
	memset(l, 0, sizeof(*l));
	ret = kexec_boot_elf_parse(copy, len, l);
	/* Turn pointers into the copy into offsets, then drop it. */
	for (unsigned int i = 0; !ret && i < l->nr_segments; i++)
		l->segment[i].buf = (const void *)((const uint8_t *)
				    l->segment[i].buf - copy);
	free(copy);
	return ret;
}

/*
 * Bounds checks, tested at the edge: a file that parsed needs exactly its
 * ELF header, program header table and segment data.  Cut to that much it
 * must parse the same; cut 1 to 4 bytes shorter it must be refused with
 * -ENOEXEC (and, in an exact-size buffer, never read past its end).
 */
static void check_truncated(const struct kexec_boot_layout *l)
{
	static const int enoexec[] = { -ENOEXEC };
	struct kexec_boot_layout t;
	size_t need, phoff, table, need_all, k;
	unsigned int i;
	int before, ret;

	if (in_data[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr ehdr;

		memcpy(&ehdr, in_data, sizeof(ehdr));
		need = sizeof(ehdr);
		phoff = ehdr.e_phoff;
		table = (size_t)ehdr.e_phnum * sizeof(Elf64_Phdr);
	} else {
		Elf32_Ehdr ehdr;

		memcpy(&ehdr, in_data, sizeof(ehdr));
		need = sizeof(ehdr);
		phoff = ehdr.e_phoff;
		table = (size_t)ehdr.e_phnum * sizeof(Elf32_Phdr);
	}
	if (phoff + table > need)
		need = phoff + table;
	need_all = need;
	for (i = 0; i < l->nr_segments; i++) {
		size_t off = (const uint8_t *)l->segment[i].buf - in_data;
		size_t end = off + l->segment[i].bufsz;

		if (l->segment[i].bufsz && end > need)
			need = end;
		if (end > need_all)
			need_all = end;
	}
	if (need > need_all)
		need_all = need;
	CHECK(need_all <= in_size, "parse: needs %zu bytes of a %zu-byte file",
	      need_all, in_size);

	ret = parse_prefix(need_all, &t);
	CHECK(!ret, "parse: %d on the file cut to the %zu bytes it uses", ret,
	      need_all);
	CHECK(t.nr_segments == l->nr_segments && t.entry == l->entry,
	      "parse: cut to %zu bytes gives another layout", need_all);
	for (i = 0; i < t.nr_segments; i++)
		CHECK((uintptr_t)t.segment[i].buf ==
		      (uintptr_t)((const uint8_t *)l->segment[i].buf - in_data) &&
		      t.segment[i].bufsz == l->segment[i].bufsz &&
		      t.segment[i].mem == l->segment[i].mem &&
		      t.segment[i].memsz == l->segment[i].memsz,
		      "parse: cut to %zu bytes, segment %u differs", need_all, i);

	for (k = 1; k <= 4 && k <= need; k++) {
		before = unit_message_count;
		ret = parse_prefix(need - k, &t);
		CHECK(ret, "parse: accepted the file cut to %zu bytes, %zu short "
		      "of its data", need - k, k);
		check_refusal("kexec_boot_elf_parse (cut)", ret, before,
			      enoexec, 1);
	}
}

/* Does an independent O(n^2) check accept @l? */
static bool layout_ok(const struct kexec_boot_layout *l,
		      const struct kexec_boot_ram *ram, u64 limit)
{
	unsigned int i, j;

	for (i = 0; i < l->nr_segments; i++) {
		const struct kexec_boot_segment *s = &l->segment[i];

		if (s->memsz > limit || s->mem > limit - s->memsz)
			return false;
		if (!in_ram(ram, s->mem, s->mem + s->memsz))
			return false;
		for (j = 0; j < i; j++)
			if (overlaps(s->mem, s->memsz, l->segment[j].mem,
				     l->segment[j].memsz))
				return false;
	}
	return true;
}

static int seg_cmp(const void *a, const void *b)
{
	const struct kexec_boot_segment *x = a, *y = b;

	if (x->mem != y->mem)
		return x->mem < y->mem ? -1 : 1;
	if (x->memsz != y->memsz)
		return x->memsz < y->memsz ? -1 : 1;
	if (x->bufsz != y->bufsz)
		return x->bufsz < y->bufsz ? -1 : 1;
	if (x->buf != y->buf)
		return (uintptr_t)x->buf < (uintptr_t)y->buf ? -1 : 1;
	return 0;
}

/* @after holds the same segments as @before, in any order. */
static bool same_segments(const struct kexec_boot_layout *before,
			  const struct kexec_boot_layout *after)
{
	struct kexec_boot_segment a[KEXEC_BOOT_MAX_SEGMENTS];
	struct kexec_boot_segment b[KEXEC_BOOT_MAX_SEGMENTS];
	unsigned int i, n = before->nr_segments;

	if (after->nr_segments != n || after->entry != before->entry)
		return false;
	for (i = 0; i < n; i++) {
		/* Only the documented fields; ignore padding and the rest. */
		memset(&a[i], 0, sizeof(a[i]));
		memset(&b[i], 0, sizeof(b[i]));
		a[i].buf = before->segment[i].buf;
		a[i].bufsz = before->segment[i].bufsz;
		a[i].mem = before->segment[i].mem;
		a[i].memsz = before->segment[i].memsz;
		b[i].buf = after->segment[i].buf;
		b[i].bufsz = after->segment[i].bufsz;
		b[i].mem = after->segment[i].mem;
		b[i].memsz = after->segment[i].memsz;
	}
	qsort(a, n, sizeof(a[0]), seg_cmp);
	qsort(b, n, sizeof(b[0]), seg_cmp);
	for (i = 0; i < n; i++)
		if (seg_cmp(&a[i], &b[i]))
			return false;
	return true;
}

static void check_checked(const struct kexec_boot_layout *l,
			  const struct kexec_boot_ram *ram, u64 limit)
{
	unsigned int i;

	for (i = 0; i < l->nr_segments; i++) {
		const struct kexec_boot_segment *s = &l->segment[i];

		CHECK(s->memsz <= limit && s->mem <= limit - s->memsz,
		      "check: segment %u %#llx+%#llx reaches the limit", i,
		      s->mem, s->memsz);
		CHECK(in_ram(ram, s->mem, s->mem + s->memsz),
		      "check: segment %u %#llx+%#llx not inside RAM", i,
		      s->mem, s->memsz);
		if (i) {
			CHECK(s[-1].mem < s->mem, "check: segments %u, %u "
			      "not sorted (%#llx, %#llx)", i - 1, i,
			      s[-1].mem, s->mem);
			CHECK(s[-1].mem + s[-1].memsz <= s->mem,
			      "check: segments %u, %u overlap", i - 1, i);
		}
	}
}

/* kexec_boot_check_layout() on a copy of @l, held to layout_ok(). */
static void check_limit(const struct kexec_boot_layout *l,
			const struct kexec_boot_ram *ram, u64 limit)
{
	static const int check_errs[] = { -EADDRNOTAVAIL, -EBUSY };
	struct kexec_boot_layout copy = *l;
	bool expect = layout_ok(l, ram, limit);
	int before = unit_message_count;
	int ret = kexec_boot_check_layout(&copy, ram, limit);

	if (ret)
		check_refusal("kexec_boot_check_layout", ret, before,
			      check_errs, 2);
	if (!ret != expect) {
		dump_layout("layout", l);
		fail("check: %d with limit %#llx, expected %s", ret, limit,
		     expect ? "success" : "a refusal");
	}
	if (!ret)
		check_checked(&copy, ram, limit);
}

/*
 * The highest @align-aligned address in RAM below @limit with @size bytes
 * clear of every segment, found independently: for every gap between
 * segments inside the whole pages of every RAM range, the highest aligned
 * start that fits.
 */
static bool oracle_place(const struct kexec_boot_layout *l,
			 const struct kexec_boot_ram *ram, u64 size,
			 u64 align, u64 limit, u64 *addr)
{
	bool found = false;
	unsigned int r, i, j;

	for (r = 0; r < ram->nr; r++) {
		/* The whole pages of the range only. */
		u64 lo = (ram->start[r] + PAGE_SIZE - 1) & ~(u64)(PAGE_SIZE - 1);
		u64 hi = ram->end[r] & ~(u64)(PAGE_SIZE - 1);

		if (lo < ram->start[r])
			continue;
		if (hi > limit)
			hi = limit;

		/* Gap ends: hi, and the start of every segment. */
		for (i = 0; i <= l->nr_segments; i++) {
			u64 gap_end = i < l->nr_segments ?
				      l->segment[i].mem : hi;
			u64 gap_start = lo, start;

			if (gap_end > hi)
				gap_end = hi;
			if (gap_end <= lo)
				continue;
			/* Start after the last segment ending at or before it. */
			for (j = 0; j < l->nr_segments; j++) {
				u64 e = l->segment[j].mem + l->segment[j].memsz;

				if (e <= gap_end && e > gap_start)
					gap_start = e;
			}
			if (gap_end - gap_start < size)
				continue;
			start = (gap_end - size) & ~(align - 1);
			if (start < gap_start)
				continue;
			/* The gap is truly free: no segment inside it. */
			for (j = 0; j < l->nr_segments; j++)
				if (overlaps(start, size, l->segment[j].mem,
					     l->segment[j].memsz))
					break;
			if (j < l->nr_segments)
				continue;
			if (!found || start > *addr)
				*addr = start;
			found = true;
		}
	}
	return found;
}

/* Run kexec_boot_place() and hold it to the oracle; true if it placed. */
static bool check_place(const struct kexec_boot_layout *l,
			const struct kexec_boot_ram *ram, u64 size, u64 align,
			u64 limit, u64 *placed)
{
	static const int place_errs[] = { -ENOSPC };
	int before = unit_message_count, ret;
	u64 addr = 0xdeadbeefdeadbeefULL, want = 0;
	bool can = oracle_place(l, ram, size, align, limit, &want);
	unsigned int i;

	ret = kexec_boot_place(l, ram, size, align, limit, &addr);
	if (ret) {
		check_refusal("kexec_boot_place", ret, before, place_errs, 1);
		if (can) {
			dump_layout("layout", l);
			fail("place: -ENOSPC for %#llx bytes (align %#llx, limit "
			     "%#llx) but %#llx is free", size, align, limit,
			     want);
		}
		return false;
	}
	CHECK(!(addr & (align - 1)), "place: %#llx not %#llx-aligned", addr,
	      align);
	CHECK(addr + size <= limit, "place: %#llx+%#llx passes the limit "
	      "%#llx", addr, size, limit);
	CHECK(in_ram(ram, addr, addr + size), "place: %#llx+%#llx not inside "
	      "RAM", addr, size);
	for (i = 0; i < l->nr_segments; i++)
		CHECK(!overlaps(addr, size, l->segment[i].mem,
				l->segment[i].memsz),
		      "place: %#llx+%#llx overlaps segment %#llx+%#llx",
		      addr, size, l->segment[i].mem, l->segment[i].memsz);
	if (!can || addr != want) {
		dump_layout("layout", l);
		fail("place: %#llx bytes at %#llx, but the highest free "
		     "aligned address is %s%#llx", size, addr,
		     can ? "" : "none, not ", want);
	}
	*placed = addr;
	return true;
}

static u32 le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int parse_errs[] = { -ENOEXEC, -EADDRNOTAVAIL, -E2BIG };
	static const int check_errs[] = { -EADDRNOTAVAIL, -EBUSY };
	struct kexec_boot_layout layout, parsed;
	struct kexec_boot_ram ram;
	u64 initrd_size, addr, align, limit, top;
	uint8_t *buf;
	unsigned int i;
	int before, ret;
	bool expect, placed;
	const char *why;

	/* Exact size, so ASan catches a read one byte past the file. */
	buf = malloc(size);
	if (!buf && size)
		return 0;
	if (size)
		memcpy(buf, data, size);
	in_data = buf;
	in_size = size;
	unit_last_message[0] = '\0';

	memset(&ram, 0, sizeof(ram));
	for (i = 0; i < sizeof(qemu_ram) / sizeof(qemu_ram[0]); i++)
		kexec_boot_ram_add(&ram, qemu_ram[i].start, qemu_ram[i].end);
	CHECK(ram.nr == 2, "ram_add: %u ranges", ram.nr);

	check_unpack();
	why = kexec_boot_elf_probe ? kexec_boot_elf_probe(buf, size) : NULL;

	/* The kernel's image is kzalloc'ed. */
	memset(&layout, 0, sizeof(layout));
	before = unit_message_count;
	ret = kexec_boot_elf_parse(buf, size, &layout);
	if (ret) {
		check_refusal("kexec_boot_elf_parse", ret, before, parse_errs,
			      sizeof(parse_errs) / sizeof(parse_errs[0]));
		CHECK(!why || ret == -ENOEXEC, "parse: probe said \"%s\" but "
		      "parse returned %d, not -ENOEXEC", why, ret);
		goto out;
	}
	CHECK(!why, "parse: accepted a file the probe rejects (\"%s\")", why);
	check_parsed(&layout);
	check_truncated(&layout);

	/*
	 * First other handover limits, each on a copy, to reach the limit
	 * check the 4 GiB one never trips: exactly the end of the highest
	 * segment, one byte below it, and one taken from the input (up to
	 * 8 GiB).
	 */
	top = 0;
	for (i = 0; i < layout.nr_segments; i++)
		if (layout.segment[i].mem + layout.segment[i].memsz > top)
			top = layout.segment[i].mem + layout.segment[i].memsz;
	check_limit(&layout, &ram, top);
	check_limit(&layout, &ram, top - 1);
	if (size >= 13)
		check_limit(&layout, &ram, (u64)le32(buf + size - 13) << 1);

	parsed = layout;
	expect = layout_ok(&layout, &ram, ADDR_LIMIT);
	before = unit_message_count;
	ret = kexec_boot_check_layout(&layout, &ram, ADDR_LIMIT);
	CHECK(same_segments(&parsed, &layout),
	      "check: segments changed beyond reordering");
	if (ret) {
		check_refusal("kexec_boot_check_layout", ret, before,
			      check_errs,
			      sizeof(check_errs) / sizeof(check_errs[0]));
		if (expect) {
			dump_layout("layout", &parsed);
			fail("check: refused (%d) a valid layout", ret);
		}
		goto out;
	}
	if (!expect) {
		dump_layout("layout", &parsed);
		fail("check: accepted an invalid layout");
	}
	check_checked(&layout, &ram, ADDR_LIMIT);

	/* The initrd, as the x86 part places it. */
	initrd_size = size >= 4 ? le32(buf + size - 4) & (INITRD_MAX - 1) : 0;
	if (!initrd_size)	/* an empty initrd file is refused earlier */
		initrd_size = 1;
	placed = check_place(&layout, &ram, initrd_size, INITRD_ALIGN,
			     INITRD_LIMIT, &addr);

	/*
	 * The same with the alignment and limit taken from the input too
	 * (the 4 bytes before the size, and the byte before those), to reach
	 * the limit and alignment paths the fixed map and limit never do.
	 */
	if (size >= 9) {
		u64 addr2;

		align = 1ULL << (buf[size - 9] % 29);
		limit = le32(buf + size - 8);
		check_place(&layout, &ram, initrd_size, align, limit, &addr2);
	}
	if (!placed)
		goto out;

	/* As place_initrd() does: add it as a segment and check again. */
	before = unit_message_count;
	ret = kexec_boot_add_segment(&layout, buf,
				     initrd_size > size ? size : initrd_size,
				     addr, initrd_size);
	if (ret) {
		static const int add_errs[] = { -E2BIG };

		check_refusal("kexec_boot_add_segment", ret, before, add_errs, 1);
		CHECK(layout.nr_segments == KEXEC_BOOT_MAX_SEGMENTS,
		      "add_segment: -E2BIG with %u segments", layout.nr_segments);
		goto out;
	}
	ret = kexec_boot_check_layout(&layout, &ram, ADDR_LIMIT);
	if (ret) {
		dump_layout("layout with initrd", &layout);
		fail("check: refused (%d) the layout with the initrd placed at "
		     "%#llx+%#llx", ret, addr, initrd_size);
	}
	check_checked(&layout, &ram, ADDR_LIMIT);
out:
	free(buf);
	return 0;
}
