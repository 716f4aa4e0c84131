/*
 * mbtest.c - the checks of the multiboot test kernel.
 *
 * Owns: COM1 output, the reading of the Multiboot v1 information structure,
 * the "MBT ..." report lines, the pass/fail tally and the power-off.
 * Freestanding: no libc, nothing from outside but load_offset() (mbtest.S)
 * and the image bounds from mbtest.ld.
 *
 * Counted checks (8): magic; info flags bits 0 and 6; 1 <= mem_lower <= 640;
 * mem_upper > 0; a usable (type 1) memory map entry; one such entry covers
 * the whole image including bss; a command line (bit 2); "self": the code
 * runs at its link address and .data holds its initial value.  Modules
 * are reported, not counted.  With a wrong magic EBX is not trusted: the
 * information structure is not read and the six checks that need it fail.
 */

#include <stdint.h>

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
void mbtest_main(uint32_t magic, const struct mb_info *info)
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

static void check_memory(struct tally *tally, const struct mb_info *info)
{
	int present = info && (info->flags & INFO_MEMORY);

	if (present) {
		put_str("MBT mem_lower=");
		put_dec(info->mem_lower);
		put_str(" mem_upper=");
		put_dec(info->mem_upper);
		put_str("\n");
	}
	count(tally, present && info->mem_lower >= 1 && info->mem_lower <= 640);
	count(tally, present && info->mem_upper > 0);
}

/* Usable RAM is summed in 64 bits and printed in KiB, modulo 2^32 KiB. */
static void check_memory_map(struct tally *tally, const struct mb_info *info)
{
	const uint64_t image_start = (uintptr_t)mbt_image_start;
	const uint64_t image_end = (uintptr_t)mbt_image_end;
	uint32_t entries = 0, usable_entries = 0;
	uint64_t usable_bytes = 0;
	int covers_self = 0;

	if (info && (info->flags & INFO_MEMORY_MAP)) {
		const uint8_t *p = phys(info->mmap_addr);
		const uint8_t *end = p + info->mmap_length;

		while (p + sizeof(struct mb_mmap_entry) <= end) {
			const struct mb_mmap_entry *e = (const void *)p;

			entries++;
			if (e->type == MMAP_TYPE_AVAILABLE) {
				usable_entries++;
				usable_bytes += e->length;
				if (e->base_addr <= image_start &&
				    e->base_addr + e->length >= image_end)
					covers_self = 1;
			}
			p += e->size + sizeof(e->size);
		}
		put_str("MBT mmap entries=");
		put_dec(entries);
		put_str(" usable_kib=");
		put_dec((uint32_t)(usable_bytes >> 10));
		put_str(" covers_self=");
		put_yes_no(covers_self);
		put_str("\n");
	}
	count(tally, usable_entries >= 1);
	count(tally, covers_self);
}

static void check_cmdline(struct tally *tally, const struct mb_info *info)
{
	int present = info && (info->flags & INFO_CMDLINE);

	if (present) {
		put_str("MBT cmdline=");
		put_str(phys(info->cmdline));
		put_str("\n");
	}
	count(tally, present);
}

static void report_loader_name(const struct mb_info *info)
{
	if (info && (info->flags & INFO_LOADER_NAME)) {
		put_str("MBT loader=");
		put_str(phys(info->boot_loader_name));
		put_str("\n");
	}
}

static void report_modules(const struct mb_info *info)
{
	const struct mb_module *mods;
	uint32_t i;

	if (!info || !(info->flags & INFO_MODULES))
		return;
	put_str("MBT mods=");
	put_dec(info->mods_count);
	put_str("\n");
	mods = phys(info->mods_addr);
	for (i = 0; i < info->mods_count; i++) {
		const struct mb_module *m = &mods[i];
		uint32_t size = m->mod_end - m->mod_start;

		put_str("MBT mod");
		put_dec(i);
		put_str(" start=0x");
		put_hex(m->mod_start, 1);
		put_str(" size=");
		put_dec(size);
		put_str(" sum=");
		put_hex(fnv1a32(phys(m->mod_start), size), 8);
		put_str(" cmdline=");
		if (m->string)
			put_str(phys(m->string));
		put_str(" aligned=");
		put_yes_no(!(m->mod_start & 0xfff));
		put_str("\n");
	}
}

static void __attribute__((noreturn)) power_off(void)
{
	outw(ACPI_PM1A_CONTROL, ACPI_SLEEP_ENABLE_S5);
	outb(ISA_DEBUG_EXIT, 0x31);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void mbtest_main(uint32_t magic, const struct mb_info *info)
{
	struct tally tally = { 0, 0 };
	int magic_ok = magic == MULTIBOOT_LOADER_MAGIC;
	uint32_t wanted = INFO_MEMORY | INFO_MEMORY_MAP;
	int self_ok;

	serial_init();
	put_str("MBT magic=0x");
	put_hex(magic, 1);
	put_str(magic_ok ? " ok\n" : " not ok\n");
	count(&tally, magic_ok);
	if (!magic_ok)
		info = 0;

	if (info) {
		put_str("MBT flags=0x");
		put_hex(info->flags, 1);
		put_str("\n");
	}
	count(&tally, info && (info->flags & wanted) == wanted);
	check_memory(&tally, info);
	check_memory_map(&tally, info);
	check_cmdline(&tally, info);
	report_loader_name(info);
	report_modules(info);

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
