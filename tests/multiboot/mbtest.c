/*
 * mbtest.c - the checks of our test kernel for the loaders that are not
 * Linux: Multiboot v1 and the generic ELF entry of kexec_boot.
 *
 * Owns: COM1 output, the reading of what the loader handed over (a
 * Multiboot v1 information structure, or a kexec_boot boot environment),
 * the "MBT ..." report lines, the pass/fail tally and the power-off.
 * Freestanding: no libc, nothing from outside but load_offset() (mbtest.S),
 * the image bounds from mbtest.ld and the boot environment's layout from
 * the kexec_boot UAPI header.
 *
 * Both handovers are read into one struct boot_facts, then reported and
 * counted the same way.  Counted checks (8): magic; the facts wanted are
 * present (multiboot: info flags bits 0 and 6; environment: version 1, a
 * memory record, records that add up to the size); 1 <= mem_lower <= 640
 * KiB; mem_upper > 0 (for the environment, both from the memory map as a
 * multiboot loader derives them); a usable memory map entry; one such entry
 * covers the whole image including bss; a command line; "self": the code
 * runs at its link address and .data holds its initial value.  Modules
 * (the initrd), the loader name and the RSDP are reported, not counted.
 * With a wrong magic EBX is not trusted.
 */

#include <stdint.h>

#include <linux/kexec_boot.h>

#define MULTIBOOT_LOADER_MAGIC	0x2BADB002u

#define INFO_MEMORY		(1u << 0)
#define INFO_CMDLINE		(1u << 2)
#define INFO_MODULES		(1u << 3)
#define INFO_MEMORY_MAP		(1u << 6)
#define INFO_LOADER_NAME	(1u << 9)

#define MMAP_TYPE_AVAILABLE	1

#define COM1			0x3f8
#define LSR_THR_EMPTY		0x20
#define ACPI_PM1A_CONTROL	0x604	/* as SeaBIOS sets up QEMU's pc machine */
#define ACPI_SLEEP_ENABLE_S5	0x2000	/* SLP_EN, SLP_TYP 0: soft off on QEMU */
#define ISA_DEBUG_EXIT		0xf4
#define MAX_MODULES		4	/* modules reported */
#define DATA_MARKER		0x4d425444u	/* "MBTD" */

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;		/* KiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
};

struct mb_module {
	uint32_t mod_start, mod_end;		/* end is exclusive */
	uint32_t string;
	uint32_t reserved;
};

/* One memory map entry; size counts the bytes after the size field. */
struct mb_mmap_entry {
	uint32_t size;
	uint64_t base_addr;
	uint64_t length;
	uint32_t type;
} __attribute__((packed));

struct tally {
	uint32_t passed, failed;
};

/* In .data: reads back as initialised only if the loader copied the second
 * PT_LOAD's file bytes to its address. */
static volatile uint32_t data_marker = DATA_MARKER;

extern char mbt_image_start[], mbt_image_end[];
uint32_t load_offset(void);
void mbtest_main(uint32_t magic, const void *handover)
	__attribute__((noreturn));

static inline void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t value)
{
	__asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

/* 115200 baud, 8 data bits, no parity, 1 stop bit, FIFOs on, no IRQs. */
static void serial_init(void)
{
	outb(COM1 + 1, 0x00);		/* IER: no interrupts */
	outb(COM1 + 3, 0x80);		/* LCR: divisor latch access */
	outb(COM1 + 0, 0x01);		/* divisor 1 = 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);		/* LCR: 8N1 */
	outb(COM1 + 2, 0x07);		/* FCR: enable and clear FIFOs */
}

static void put_char(char c)
{
	while (!(inb(COM1 + 5) & LSR_THR_EMPTY))
		;
	outb(COM1, (uint8_t)c);
}

static void put_str(const char *s)
{
	while (*s)
		put_char(*s++);
}

static void put_dec(uint32_t value)
{
	char digits[10];
	int n = 0;

	do {
		digits[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	while (n)
		put_char(digits[--n]);
}

/* Lower-case hex, no prefix, at least min_digits digits. */
static void put_hex(uint32_t value, int min_digits)
{
	int shift = 28;

	while (shift >= 4 * min_digits && !(value >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		put_char("0123456789abcdef"[(value >> shift) & 0xf]);
}

static void put_yes_no(int yes)
{
	put_str(yes ? "yes" : "no");
}

static void count(struct tally *tally, int ok)
{
	if (ok)
		tally->passed++;
	else
		tally->failed++;
}

static const void *phys(uint32_t address)
{
	return (const void *)(uintptr_t)address;
}

static uint32_t fnv1a32(const uint8_t *bytes, uint32_t size)
{
	uint32_t hash = 0x811c9dc5u;

	while (size--) {
		hash ^= *bytes++;
		hash *= 0x01000193u;
	}
	return hash;
}

/* What the loader handed over, whichever way it did. */
struct boot_facts {
	int complete;			/* what the loader must give is there */
	int has_memory;
	uint32_t mem_lower_kib, mem_upper_kib;
	int has_mmap;
	uint32_t mmap_entries, usable_entries;
	uint64_t usable_bytes;
	int covers_self;
	const char *cmdline;		/* NULL: none */
	const char *loader;		/* NULL: none */
	int has_modules;
	uint32_t nr_modules;
	struct boot_module {
		uint32_t start, size;
		const char *cmdline;
	} modules[MAX_MODULES];		/* the first ones */
	uint64_t rsdp;			/* 0: not given */
};

static void add_memory_range(struct boot_facts *f, uint64_t base,
			     uint64_t length, uint32_t type)
{
	const uint64_t image_start = (uintptr_t)mbt_image_start;
	const uint64_t image_end = (uintptr_t)mbt_image_end;

	f->has_mmap = 1;
	f->mmap_entries++;
	if (type != MMAP_TYPE_AVAILABLE)
		return;
	f->usable_entries++;
	f->usable_bytes += length;
	if (base <= image_start && base + length >= image_end)
		f->covers_self = 1;
}

static void read_multiboot(struct boot_facts *f, const struct mb_info *info)
{
	uint32_t wanted = INFO_MEMORY | INFO_MEMORY_MAP;

	put_str("MBT flags=0x");
	put_hex(info->flags, 1);
	put_str("\n");
	f->complete = (info->flags & wanted) == wanted;
	f->has_memory = !!(info->flags & INFO_MEMORY);
	f->mem_lower_kib = info->mem_lower;
	f->mem_upper_kib = info->mem_upper;
	if (info->flags & INFO_MEMORY_MAP) {
		const uint8_t *p = phys(info->mmap_addr);
		const uint8_t *end = p + info->mmap_length;

		while (p + sizeof(struct mb_mmap_entry) <= end) {
			const struct mb_mmap_entry *e = (const void *)p;

			add_memory_range(f, e->base_addr, e->length, e->type);
			p += e->size + sizeof(e->size);
		}
	}
	if (info->flags & INFO_CMDLINE)
		f->cmdline = phys(info->cmdline);
	if (info->flags & INFO_LOADER_NAME)
		f->loader = phys(info->boot_loader_name);
	if (info->flags & INFO_MODULES) {
		const struct mb_module *m = phys(info->mods_addr);
		uint32_t i;

		f->has_modules = 1;
		f->nr_modules = info->mods_count;
		for (i = 0; i < f->nr_modules && i < MAX_MODULES; i++) {
			f->modules[i].start = m[i].mod_start;
			f->modules[i].size = m[i].mod_end - m[i].mod_start;
			f->modules[i].cmdline = m[i].string ? phys(m[i].string) : "";
		}
	}
}

/* Usable RAM at 0 and at 1 MiB, as a multiboot loader derives them. */
static void read_env_memory(struct boot_facts *f,
			    const struct kexec_boot_env_memory *mem, uint32_t n)
{
	uint32_t i;

	f->has_memory = 1;
	for (i = 0; i < n; i++) {
		add_memory_range(f, mem[i].addr, mem[i].size, mem[i].type);
		if (mem[i].type != MMAP_TYPE_AVAILABLE)
			continue;
		if (mem[i].addr == 0)
			f->mem_lower_kib = (uint32_t)(mem[i].size >> 10);
		if (mem[i].addr == 0x100000)
			f->mem_upper_kib = (uint32_t)(mem[i].size >> 10);
	}
}

static void read_env_record(struct boot_facts *f, uint32_t type,
			    const uint8_t *data, uint32_t size)
{
	const struct kexec_boot_env_range *range = (const void *)data;

	switch (type) {
	case KEXEC_BOOT_ENV_CMDLINE:
		f->cmdline = (const char *)data;
		break;
	case KEXEC_BOOT_ENV_LOADER:
		f->loader = (const char *)data;
		break;
	case KEXEC_BOOT_ENV_MEMORY:
		read_env_memory(f, (const void *)data,
				size / sizeof(struct kexec_boot_env_memory));
		break;
	case KEXEC_BOOT_ENV_INITRD:
		/* The initrd is the environment's one "module". */
		f->has_modules = 1;
		f->nr_modules = range->size ? 1 : 0;
		f->modules[0].start = (uint32_t)range->addr;
		f->modules[0].size = (uint32_t)range->size;
		f->modules[0].cmdline = "";
		break;
	case KEXEC_BOOT_ENV_RSDP:
		f->rsdp = *(const uint64_t *)data;
		break;
	}
}

static void read_env(struct boot_facts *f, const struct kexec_boot_env *env)
{
	const uint8_t *base = (const void *)env;
	uint32_t pos = sizeof(*env), n = 0;

	put_str("MBT env version=");
	put_dec(env->version);
	put_str(" size=");
	put_dec(env->size);
	put_str(" records=");
	put_dec(env->nr_records);
	put_str("\n");
	while (pos + sizeof(struct kexec_boot_env_record) <= env->size) {
		const struct kexec_boot_env_record *rec = (const void *)(base + pos);

		read_env_record(f, rec->type, base + pos + sizeof(*rec),
				rec->size);
		pos += sizeof(*rec) + ((rec->size + 7) & ~7u);
		n++;
	}
	f->complete = env->version == KEXEC_BOOT_ENV_VERSION &&
		      f->has_memory && n == env->nr_records && pos == env->size;
}

static void report_memory(struct tally *tally, const struct boot_facts *f)
{
	if (f->has_memory) {
		put_str("MBT mem_lower=");
		put_dec(f->mem_lower_kib);
		put_str(" mem_upper=");
		put_dec(f->mem_upper_kib);
		put_str("\n");
	}
	count(tally, f->has_memory && f->mem_lower_kib >= 1 &&
		     f->mem_lower_kib <= 640);
	count(tally, f->has_memory && f->mem_upper_kib > 0);
	if (f->has_mmap) {
		put_str("MBT mmap entries=");
		put_dec(f->mmap_entries);
		put_str(" usable_kib=");
		put_dec((uint32_t)(f->usable_bytes >> 10));
		put_str(" covers_self=");
		put_yes_no(f->covers_self);
		put_str("\n");
	}
	count(tally, f->usable_entries >= 1);
	count(tally, f->covers_self);
}

static void report_modules(const struct boot_facts *f)
{
	uint32_t i;

	if (!f->has_modules)
		return;
	put_str("MBT mods=");
	put_dec(f->nr_modules);
	put_str("\n");
	for (i = 0; i < f->nr_modules && i < MAX_MODULES; i++) {
		const struct boot_module *m = &f->modules[i];

		put_str("MBT mod");
		put_dec(i);
		put_str(" start=0x");
		put_hex(m->start, 1);
		put_str(" size=");
		put_dec(m->size);
		put_str(" sum=");
		put_hex(fnv1a32(phys(m->start), m->size), 8);
		put_str(" cmdline=");
		put_str(m->cmdline);
		put_str(" aligned=");
		put_yes_no(!(m->start & 0xfff));
		put_str("\n");
	}
}

static void report_facts(struct tally *tally, const struct boot_facts *f)
{
	count(tally, f->complete);
	report_memory(tally, f);
	if (f->cmdline) {
		put_str("MBT cmdline=");
		put_str(f->cmdline);
		put_str("\n");
	}
	count(tally, f->cmdline != 0);
	if (f->loader) {
		put_str("MBT loader=");
		put_str(f->loader);
		put_str("\n");
	}
	if (f->rsdp) {
		put_str("MBT rsdp=0x");
		put_hex((uint32_t)f->rsdp, 1);
		put_str("\n");
	}
	report_modules(f);
}

static void __attribute__((noreturn)) power_off(void)
{
	outw(ACPI_PM1A_CONTROL, ACPI_SLEEP_ENABLE_S5);
	outb(ISA_DEBUG_EXIT, 0x31);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void mbtest_main(uint32_t magic, const void *handover)
{
	struct tally tally = { 0, 0 };
	struct boot_facts facts = { 0 };
	int known = magic == MULTIBOOT_LOADER_MAGIC ||
		    magic == KEXEC_BOOT_ENV_MAGIC;
	int self_ok;

	serial_init();
	put_str("MBT magic=0x");
	put_hex(magic, 1);
	put_str(known ? " ok\n" : " not ok\n");
	count(&tally, known);
	if (magic == MULTIBOOT_LOADER_MAGIC)
		read_multiboot(&facts, handover);
	else if (magic == KEXEC_BOOT_ENV_MAGIC)
		read_env(&facts, handover);
	report_facts(&tally, &facts);

	/* The mode the loader entered this build in: 32- or 64-bit. */
	put_str("MBT bits=");
	put_dec(sizeof(void *) * 8);
	put_str("\n");

	self_ok = load_offset() == 0 && data_marker == DATA_MARKER;
	put_str("MBT self=");
	put_yes_no(self_ok);
	put_str("\n");
	count(&tally, self_ok);

	put_str("MBT done passed=");
	put_dec(tally.passed);
	put_str(" failed=");
	put_dec(tally.failed);
	put_str("\n");
	power_off();
}
