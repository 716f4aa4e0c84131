/*
 * elftest.c - the checks of our arm64 ELF test program: what kexec_boot
 * hands a generic AArch64 ELF executable.
 *
 * Owns: PL011 output (QEMU virt's UART at 0x09000000), the reading of the
 * boot environment (x0, KEXEC_BOOT_ENV_MAGIC in x1) and of the device tree
 * (x2), the "MBT ..." report lines, the pass/fail tally and the power-off
 * (PSCI SYSTEM_OFF: hvc at EL1, smc at EL2, as QEMU's conduit is then).
 * Freestanding: no libc; the environment's layout comes from the
 * kexec_boot UAPI header.
 *
 * Counted checks (10): the magic in x1; the environment is complete
 * (version 1, a memory record, records that add up to its size); a usable
 * memory entry; one covers the whole image including bss; a command line;
 * the device tree is one (magic, 8-byte aligned, at most 2 MiB); its
 * /chosen/bootargs is the command line; its linux,initrd-start is the
 * initrd's address (or there is none); the MMU is off with D, A, I and F
 * masked; "self": the code runs at its link address and .data holds its
 * initial value.  The exception level, the initrd and the loader name are
 * reported, not counted.
 */

#include <stdint.h>

#include <linux/kexec_boot.h>

#define UART_BASE		0x09000000ul	/* QEMU virt's PL011 */
#define UART_DR			0x00
#define UART_FR			0x18
#define UART_CR			0x30
#define UART_FR_TXFF		(1u << 5)
#define UART_CR_ENABLE		0x301		/* UARTEN | TXE | RXE */
#define PSCI_SYSTEM_OFF		0x84000008ul
#define MMAP_TYPE_AVAILABLE	1
#define DATA_MARKER		0x4d425444u	/* "MBTD" */
#define FDT_MAGIC		0xd00dfeedu
#define FDT_MAX_SIZE		(2u << 20)
#define FDT_BEGIN_NODE		1
#define FDT_END_NODE		2
#define FDT_PROP		3
#define FDT_NOP			4
#define FDT_END			9

struct tally {
	uint32_t passed, failed;
};

/* In .data: reads back as initialised only if the loader copied it. */
static volatile uint32_t data_marker = DATA_MARKER;

extern char elf_image_start[], elf_image_end[];
uint64_t load_offset(void);
void elftest_main(const void *env, uint64_t magic, const void *fdt)
	__attribute__((noreturn));

static inline uint32_t mmio_read(unsigned long addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write(unsigned long addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

static void put_char(char c)
{
	while (mmio_read(UART_BASE + UART_FR) & UART_FR_TXFF)
		;
	mmio_write(UART_BASE + UART_DR, (uint8_t)c);
}

static void put_str(const char *s)
{
	while (*s)
		put_char(*s++);
}

static void put_dec(uint64_t value)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	while (n)
		put_char(digits[--n]);
}

static void put_hex(uint64_t value)
{
	int shift = 60;

	while (shift > 0 && !(value >> shift))
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

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static uint32_t fnv1a32(const uint8_t *bytes, uint64_t size)
{
	uint32_t hash = 0x811c9dc5u;

	while (size--) {
		hash ^= *bytes++;
		hash *= 0x01000193u;
	}
	return hash;
}

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

/* What the loader handed over. */
struct boot_facts {
	int complete;
	int has_memory;
	uint32_t mmap_entries, usable_entries;
	uint64_t usable_bytes;
	int covers_self;
	const char *cmdline;		/* NULL: none */
	const char *loader;		/* NULL: none */
	uint64_t initrd_addr, initrd_size;
};

static void read_memory(struct boot_facts *f,
			const struct kexec_boot_env_memory *mem, uint32_t n)
{
	const uint64_t start = (uintptr_t)elf_image_start;
	const uint64_t end = (uintptr_t)elf_image_end;
	uint32_t i;

	f->has_memory = 1;
	for (i = 0; i < n; i++) {
		f->mmap_entries++;
		if (mem[i].type != MMAP_TYPE_AVAILABLE)
			continue;
		f->usable_entries++;
		f->usable_bytes += mem[i].size;
		if (mem[i].addr <= start && mem[i].addr + mem[i].size >= end)
			f->covers_self = 1;
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
		const uint8_t *data = base + pos + sizeof(*rec);
		const struct kexec_boot_env_range *range = (const void *)data;

		switch (rec->type) {
		case KEXEC_BOOT_ENV_CMDLINE:
			f->cmdline = (const char *)data;
			break;
		case KEXEC_BOOT_ENV_LOADER:
			f->loader = (const char *)data;
			break;
		case KEXEC_BOOT_ENV_MEMORY:
			read_memory(f, (const void *)data, rec->size /
				    sizeof(struct kexec_boot_env_memory));
			break;
		case KEXEC_BOOT_ENV_INITRD:
			f->initrd_addr = range->addr;
			f->initrd_size = range->size;
			break;
		}
		pos += sizeof(*rec) + ((rec->size + 7) & ~7u);
		n++;
	}
	f->complete = env->version == KEXEC_BOOT_ENV_VERSION &&
		      f->has_memory && n == env->nr_records && pos == env->size;
}

/* What /chosen of the device tree says. */
struct chosen {
	const char *bootargs;		/* NULL: none */
	int has_initrd;
	uint64_t initrd_start;
};

/* Walks the structure block for /chosen's properties. */
static void read_chosen(const uint8_t *fdt, struct chosen *c)
{
	const uint8_t *p = fdt + be32(fdt + 8);
	const char *strings = (const char *)fdt + be32(fdt + 12);
	const uint8_t *end = fdt + be32(fdt + 4);
	int depth = 0, in_chosen = 0;
	uint32_t len;
	const char *name;

	while (p + 4 <= end) {
		uint32_t token = be32(p);

		p += 4;
		switch (token) {
		case FDT_BEGIN_NODE:
			name = (const char *)p;
			depth++;
			in_chosen = depth == 2 && str_eq(name, "chosen");
			while (*p)
				p++;
			p = (const uint8_t *)(((uintptr_t)p + 4) & ~3ul);
			break;
		case FDT_END_NODE:
			depth--;
			in_chosen = 0;
			break;
		case FDT_PROP:
			len = be32(p);
			name = strings + be32(p + 4);
			p += 8;
			if (in_chosen && str_eq(name, "bootargs"))
				c->bootargs = (const char *)p;
			if (in_chosen && str_eq(name, "linux,initrd-start")) {
				c->has_initrd = 1;
				c->initrd_start = len == 8 ?
					(uint64_t)be32(p) << 32 | be32(p + 4) :
					be32(p);
			}
			p += (len + 3) & ~3u;
			break;
		case FDT_NOP:
			break;
		default:
			return;
		}
	}
}

static void check_fdt(struct tally *tally, const struct boot_facts *f,
		      const uint8_t *fdt)
{
	struct chosen c = { 0, 0, 0 };
	int aligned = !((uintptr_t)fdt & 7), valid;
	uint32_t size = 0;

	valid = aligned && fdt && be32(fdt) == FDT_MAGIC;
	if (valid) {
		size = be32(fdt + 4);
		valid = size <= FDT_MAX_SIZE;
	}
	put_str("MBT fdt at=0x");
	put_hex((uintptr_t)fdt);
	put_str(" size=");
	put_dec(size);
	put_str(" aligned=");
	put_yes_no(aligned);
	put_str(" valid=");
	put_yes_no(valid);
	put_str("\n");
	count(tally, valid);
	if (valid)
		read_chosen(fdt, &c);
	put_str("MBT fdt bootargs=");
	put_yes_no(c.bootargs && f->cmdline && str_eq(c.bootargs, f->cmdline));
	put_str(" initrd=");
	put_yes_no(c.has_initrd ? c.initrd_start == f->initrd_addr :
				  !f->initrd_size);
	put_str("\n");
	count(tally, c.bootargs && f->cmdline && str_eq(c.bootargs, f->cmdline));
	count(tally, valid && (c.has_initrd ? c.initrd_start == f->initrd_addr :
					      !f->initrd_size));
}

/* EL, MMU and the interrupt masks as entered. */
static void check_cpu(struct tally *tally)
{
	uint64_t el, sctlr, daif;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	el = (el >> 2) & 3;
	if (el == 2)
		__asm__ volatile("mrs %0, sctlr_el2" : "=r"(sctlr));
	else
		__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	__asm__ volatile("mrs %0, daif" : "=r"(daif));
	daif = (daif >> 6) & 0xf;
	put_str("MBT el=");
	put_dec(el);
	put_str(" mmu=");
	put_str(sctlr & 1 ? "on" : "off");
	put_str(" daif=0x");
	put_hex(daif);
	put_str("\n");
	count(tally, !(sctlr & 1) && daif == 0xf);
}

static void __attribute__((noreturn)) power_off(void)
{
	uint64_t el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	if (((el >> 2) & 3) == 2)
		__asm__ volatile("mov x0, %0; smc #0" : : "r"(PSCI_SYSTEM_OFF)
				 : "x0", "x1", "x2", "x3", "memory");
	else
		__asm__ volatile("mov x0, %0; hvc #0" : : "r"(PSCI_SYSTEM_OFF)
				 : "x0", "x1", "x2", "x3", "memory");
	for (;;)
		__asm__ volatile("wfi");
}

void elftest_main(const void *env, uint64_t magic, const void *fdt)
{
	struct tally tally = { 0, 0 };
	struct boot_facts facts = { 0 };
	int known = magic == KEXEC_BOOT_ENV_MAGIC, self_ok;

	mmio_write(UART_BASE + UART_CR, UART_CR_ENABLE);
	put_str("MBT magic=0x");
	put_hex(magic);
	put_str(known ? " ok\n" : " not ok\n");
	count(&tally, known);
	if (known)
		read_env(&facts, env);
	count(&tally, facts.complete);
	put_str("MBT mmap entries=");
	put_dec(facts.mmap_entries);
	put_str(" usable_kib=");
	put_dec(facts.usable_bytes >> 10);
	put_str(" covers_self=");
	put_yes_no(facts.covers_self);
	put_str("\n");
	count(&tally, facts.usable_entries >= 1);
	count(&tally, facts.covers_self);
	if (facts.cmdline) {
		put_str("MBT cmdline=");
		put_str(facts.cmdline);
		put_str("\n");
	}
	count(&tally, facts.cmdline != 0);
	if (facts.loader) {
		put_str("MBT loader=");
		put_str(facts.loader);
		put_str("\n");
	}
	put_str("MBT mods=");
	put_dec(facts.initrd_size ? 1 : 0);
	put_str("\n");
	if (facts.initrd_size) {
		put_str("MBT mod0 start=0x");
		put_hex(facts.initrd_addr);
		put_str(" size=");
		put_dec(facts.initrd_size);
		put_str(" sum=");
		put_hex(fnv1a32((const void *)(uintptr_t)facts.initrd_addr,
				facts.initrd_size));
		put_str(" cmdline= aligned=");
		put_yes_no(!(facts.initrd_addr & 0xfff));
		put_str("\n");
	}
	check_fdt(&tally, &facts, fdt);
	check_cpu(&tally);
	put_str("MBT bits=64\n");

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
