// SPDX-License-Identifier: GPL-2.0
/*
 * badload: what a user or an attacker can feed kexec_boot_load(2), run in
 * the QEMU guest (static i386).  Every result is one "KBT gen=N ..." line
 * on stdout; tests/qemu/e2e.sh judges them.
 *
 *   badload bad
 *	Each malformed-input class of the table below, built in /tmp/badload
 *	from the images in /boot (or synthesized), with nothing loaded:
 *	"badload class=NAME errno=EXPECTED/GOT loaded=0|1 kmsg=LINES", LINES
 *	the kernel's "kexec_boot: " lines of that call joined with " | ".
 *	Controls (the unmodified bases) must load (errno 0) and are unloaded.
 *   badload race SECONDS
 *	Loads (two vmlinux with different command lines, the ELF test
 *	kernel, a refused image), unloads and readers of
 *	/sys/kernel/kexec_loaded in parallel processes for SECONDS.
 *   badload reboot-race CMDLINE INITRD
 *	Two detached processes that load /boot/vmlinux with INITRD and
 *	CMDLINE plus " kbt.marker=m<gen+1>-<nonce>-<worker>-<n>" in a loop,
 *	ignoring SIGTERM, until they are killed: the caller reboots meanwhile.
 *	Waits for the first load to succeed, prints the nonce.
 *   badload leak N FILE [INITRD]
 *	Loads and unloads N times; MemFree and SUnreclaim (caches dropped)
 *	before and after, then the same measurement around a 1 MiB tmpfs
 *	file, which must show (the control: the check can fail).
 *   badload lockdown
 *	One load of /boot/elftest.elf, reported like a bad class.
 *   badload busy
 *	A child loads /boot/vmlinux with a 64 MiB initrd (retrying while it
 *	gets EBUSY) while the parent loads the ELF test kernel again and
 *	again until the child is done:
 *	"busy child=ERRNO loads=N ok=N ebusy=N other=N": a load that meets
 *	another one in progress must fail with EBUSY, no other error.
 *   badload restart2 ARG
 *	reboot(LINUX_REBOOT_CMD_RESTART2, ARG) after sync(): a restart with
 *	a command, which must go through the firmware.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <elf.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <linux/kexec_boot.h>
#include <linux/reboot.h>

#define SYSLOG_ACTION_CONSOLE_LEVEL	8

#define DIR		"/tmp/badload"
#define LOADED		"/sys/kernel/kexec_loaded"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define FORMAT_BAD	0xee00UL	/* a format id no kernel knows */
#define FLAG_BAD	0x80000000UL	/* a flag bit no kernel knows */

static int gen = 1;

/* The running kernel's kexec_boot_load() number, from sysfs. */
static long kb_nr(void)
{
	static long nr = -1;
	FILE *f;

	if (nr >= 0)
		return nr;
	f = fopen("/sys/kernel/kexec_boot/syscall", "r");
	if (!f || fscanf(f, "%ld", &nr) != 1) {
		fprintf(stderr, "badload: no /sys/kernel/kexec_boot/syscall\n");
		exit(2);
	}
	fclose(f);
	return nr;
}

/* kexec_boot_load(2), arguments in kexec_file_load()'s order. */
static long kb_load(int kfd, int ifd, const char *cmdline, unsigned long len,
		    unsigned long flags)
{
	return syscall(kb_nr(), kfd, ifd, len, cmdline, flags);
}

static int kb_unload(void)
{
	return kb_load(-1, -1, NULL, 0, KEXEC_BOOT_UNLOAD) ? errno : 0;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("KBT gen=%d badload error: ", gen);
	vprintf(fmt, ap);
	printf(": %s\n", strerror(errno));
	va_end(ap);
	exit(2);
}

static int loaded(void)
{
	char c = '?';
	int fd = open(LOADED, O_RDONLY);

	if (fd < 0 || read(fd, &c, 1) != 1)
		c = '?';
	if (fd >= 0)
		close(fd);
	return c == '1' ? 1 : c == '0' ? 0 : -1;
}

/*
 * Kernel lines go to the console synchronously while our output waits in
 * the tty: keep them off the console during a run (they are reported from
 * /dev/kmsg), and wait for each report line to leave.
 */
static int console_level = -1;

static void console_quiet(void)
{
	FILE *f = fopen("/proc/sys/kernel/printk", "r");

	if (f && fscanf(f, "%d", &console_level) != 1)
		console_level = -1;
	if (f)
		fclose(f);
	klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 1);
}

static void console_restore(void)
{
	if (console_level > 0)
		klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, console_level);
}

static void flush_line(void)
{
	fflush(stdout);
	tcdrain(1);
}

/* --- files ---------------------------------------------------------------- */

struct buf {
	unsigned char *p;
	size_t len;
};

static struct buf slurp(const char *path)
{
	struct buf b = { NULL, 0 };
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		die("open %s", path);
	b.len = st.st_size;
	b.p = malloc(b.len + 1);
	if (!b.p || read(fd, b.p, b.len) != (ssize_t)b.len)
		die("read %s", path);
	close(fd);
	return b;
}

static struct buf dup_buf(struct buf b)
{
	struct buf c = { malloc(b.len + 1), b.len };

	if (!c.p)
		die("malloc");
	memcpy(c.p, b.p, b.len);
	return c;
}

static void spit(const char *path, const void *p, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, p, len) != (ssize_t)len)
		die("write %s", path);
	close(fd);
}

static void put32(struct buf b, size_t off, uint32_t v)
{
	memcpy(b.p + off, &v, 4);
}

static uint32_t get32(struct buf b, size_t off)
{
	uint32_t v;

	memcpy(&v, b.p + off, 4);
	return v;
}

static void put16(struct buf b, size_t off, uint16_t v)
{
	memcpy(b.p + off, &v, 2);
}

/* --- the kernel log ------------------------------------------------------- */

static int kmsg = -1;

static void kmsg_open(void)
{
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg < 0 && errno == ENOENT) {
		mknod(DIR "/kmsg", S_IFCHR | 0600, makedev(1, 11));
		kmsg = open(DIR "/kmsg", O_RDONLY | O_NONBLOCK);
	}
	if (kmsg < 0)
		die("open /dev/kmsg");
}

static void kmsg_skip(void)
{
	lseek(kmsg, 0, SEEK_END);
}

/* The kernel's kexec_boot and lockdown lines since kmsg_skip(). */
static void kmsg_collect(char *out, size_t size)
{
	char rec[1024], *text, *end;
	ssize_t n;
	size_t used = 0;

	out[0] = '\0';
	for (;;) {
		n = read(kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		end = strchr(text, '\n');
		if (end)
			*end = '\0';
		if (!strstr(text, "kexec_boot: ") && !strstr(text, "Lockdown: "))
			continue;
		used += snprintf(out + used, size - used, "%s%s",
				 used ? " | " : "", text);
		if (used >= size)
			used = size - 1;
	}
}

/* --- the classes ---------------------------------------------------------- */

/* One call: the arguments a class builds, and what must come back. */
struct call {
	int kfd, ifd;
	const char *cmdline;
	unsigned long cmdline_len;
	unsigned long flags;
};

struct class {
	const char *name;
	int want;			/* errno, 0 for a control */
	void (*build)(struct call *c);	/* fills c; files under DIR */
};

static struct buf elftest, vmlinux, bzimage, relocatable, mbtest, mbaout;

static int ro(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die("open %s", path);
	return fd;
}

/* Writes @b as DIR/@name and opens it for the call. */
static int file_fd(const char *name, struct buf b)
{
	char path[256];

	snprintf(path, sizeof(path), DIR "/%s", name);
	spit(path, b.p, b.len);
	return ro(path);
}

/* ELF test kernel variants.  e_phoff 52, two PT_LOADs. */
#define EH(b)		((Elf32_Ehdr *)(b).p)
#define PHDR(b, i)	((Elf32_Phdr *)((b).p + EH(b)->e_phoff) + (i))

static struct buf elf_copy(void)
{
	return dup_buf(elftest);
}

/* Moves the first PT_LOAD, and the entry with it, to @paddr. */
static struct buf elf_moved(uint32_t paddr)
{
	struct buf b = elf_copy();

	EH(b)->e_entry = paddr;
	PHDR(b, 0)->p_paddr = paddr;
	return b;
}

static const char *cur;	/* the class being built: its file name */

static void elf_call(struct call *c, struct buf b)
{
	c->kfd = file_fd(cur, b);
	c->flags = KEXEC_BOOT_FORMAT_ELF;
	free(b.p);
}

static void b_elf_control(struct call *c) { elf_call(c, elf_copy()); }

static void b_elf_probe_control(struct call *c)
{
	elf_call(c, elf_copy());
	c->flags = 0;
}

static void b_elf_magic(struct call *c)
{
	struct buf b = elf_copy();

	b.p[EI_MAG3] = 'G';
	elf_call(c, b);
}

static void b_elf_class64(struct call *c)
{
	struct buf b = elf_copy();

	b.p[EI_CLASS] = ELFCLASS64;
	elf_call(c, b);
}

static void b_elf_msb(struct call *c)
{
	struct buf b = elf_copy();

	b.p[EI_DATA] = ELFDATA2MSB;
	elf_call(c, b);
}

static void b_elf_machine(struct call *c)
{
	struct buf b = elf_copy();

	EH(b)->e_machine = EM_SPARC;	/* no machine of ours boots it */
	elf_call(c, b);
}

static void b_elf_type(struct call *c)
{
	struct buf b = elf_copy();

	EH(b)->e_type = ET_DYN;
	elf_call(c, b);
}

static void b_elf_phentsize(struct call *c)
{
	struct buf b = elf_copy();

	EH(b)->e_phentsize = sizeof(Elf64_Phdr);
	elf_call(c, b);
}

static void b_elf_phnum0(struct call *c)
{
	struct buf b = elf_copy();

	EH(b)->e_phnum = 0;
	elf_call(c, b);
}

static void b_elf_phnum_huge(struct call *c)
{
	struct buf b = elf_copy();

	EH(b)->e_phnum = 0xffff;
	elf_call(c, b);
}

static void b_elf_phoff_eof(struct call *c)
{
	struct buf b = elf_copy();

	EH(b)->e_phoff = b.len - 40;
	elf_call(c, b);
}

static void b_elf_phoff_wrap(struct call *c)
{
	struct buf b = elf_copy();

	EH(b)->e_phoff = 0xffffffe0;
	elf_call(c, b);
}

static void b_elf_short(struct call *c)
{
	struct buf b = elf_copy();

	b.len = 40;
	elf_call(c, b);
}

static void b_elf_data_eof(struct call *c)
{
	struct buf b = elf_copy();

	PHDR(b, 0)->p_filesz = b.len;
	PHDR(b, 0)->p_memsz = b.len;
	elf_call(c, b);
}

static void b_elf_filesz(struct call *c)
{
	struct buf b = elf_copy();

	PHDR(b, 1)->p_filesz = PHDR(b, 1)->p_memsz + 1;
	elf_call(c, b);
}

static void b_elf_overlap(struct call *c)
{
	struct buf b = elf_copy();

	PHDR(b, 1)->p_paddr = PHDR(b, 0)->p_paddr + 0x10;
	elf_call(c, b);
}

static void b_elf_hole(struct call *c) { elf_call(c, elf_moved(0xa0000)); }
static void b_elf_bios(struct call *c) { elf_call(c, elf_moved(0xf0000)); }
static void b_elf_ioapic(struct call *c) { elf_call(c, elf_moved(0xfec00000)); }
static void b_elf_lapic(struct call *c) { elf_call(c, elf_moved(0xfee00000)); }
static void b_elf_beyond(struct call *c) { elf_call(c, elf_moved(0x80000000)); }

static void b_elf_wrap(struct call *c)
{
	struct buf b = elf_moved(0xfffff000);

	PHDR(b, 0)->p_memsz = 0x2000;
	elf_call(c, b);
}

static void b_elf_entry(struct call *c)
{
	struct buf b = elf_copy();

	EH(b)->e_entry = 0x800000;
	elf_call(c, b);
}

static void b_elf_noload(struct call *c)
{
	struct buf b = elf_copy();

	PHDR(b, 0)->p_type = PT_NULL;
	PHDR(b, 1)->p_type = PT_NULL;
	elf_call(c, b);
}

/* @n PT_LOADs of bss from 32 MiB on, headers appended at the end. */
static void elf_many(struct call *c, unsigned int n)
{
	struct buf b = elf_copy();
	size_t off = (b.len + 3) & ~3UL;
	Elf32_Phdr ph;
	unsigned int i;

	b.p = realloc(b.p, off + n * sizeof(ph));
	if (!b.p)
		die("realloc");
	memset(b.p + b.len, 0, off - b.len);
	for (i = 0; i < n; i++) {
		ph = (Elf32_Phdr){ .p_type = PT_LOAD, .p_paddr = 0x2000000 + i * 0x1000,
				   .p_memsz = 0x1000, .p_flags = PF_R };
		memcpy(b.p + off + i * sizeof(ph), &ph, sizeof(ph));
	}
	b.len = off + n * sizeof(ph);
	EH(b)->e_phoff = off;
	EH(b)->e_phnum = n;
	EH(b)->e_entry = 0x2000000;
	elf_call(c, b);
}

/* The most segments an image may have, with the boot environment's. */
static void b_elf_255(struct call *c)
{
	elf_many(c, 255);
}

static void b_elf_257(struct call *c)
{
	elf_many(c, 257);
}

/* Not forced: the probes decide. */
static void b_text(struct call *c)
{
	struct buf b = { (unsigned char *)"not an image\n", 13 };

	c->kfd = file_fd(cur, b);
}

static void b_vmlinux_cut(struct call *c)
{
	struct buf b = vmlinux;

	b.len = 1 << 20;
	c->kfd = file_fd(cur, b);
}

/* File descriptors and files that are no image file. */
static void b_empty(struct call *c) { c->kfd = file_fd(cur, (struct buf){ NULL, 0 }); }
static void b_dir(struct call *c) { c->kfd = ro("/tmp"); }
static void b_proc(struct call *c) { c->kfd = ro("/proc/version"); }

static void b_pipe(struct call *c)
{
	int p[2];

	if (pipe(p))
		die("pipe");
	write(p[1], elftest.p, 4096);
	c->kfd = p[0];
}

static void b_socket(struct call *c)
{
	c->kfd = socket(AF_INET, SOCK_DGRAM, 0);	/* no AF_UNIX in the test kernel */
	if (c->kfd < 0)
		die("socket");
}

static void b_devzero(struct call *c)
{
	unlink(DIR "/zero");
	if (mknod(DIR "/zero", S_IFCHR | 0666, makedev(1, 5)))
		die("mknod zero");
	c->kfd = ro(DIR "/zero");
}

static void b_closed(struct call *c)
{
	c->kfd = ro("/boot/elftest.elf");
	close(c->kfd);
}

static void b_minus1(struct call *c) { c->kfd = -1; }

static void b_wronly(struct call *c)
{
	file_fd(cur, elftest);
	c->kfd = open(DIR "/kernel-fd-write-only", O_WRONLY);
}

static void b_writer(struct call *c)
{
	c->kfd = file_fd(cur, elftest);
	/* Left open: the file is being written while it is loaded. */
	if (open(DIR "/kernel-file-open-for-writing", O_WRONLY) < 0)
		die("open for writing");
}

static void b_initrd_closed(struct call *c)
{
	c->kfd = ro("/boot/elftest.elf");
	c->ifd = ro("/boot/elftest.elf");
	close(c->ifd);
}

static void b_initrd_dir(struct call *c)
{
	c->kfd = ro("/boot/elftest.elf");
	c->ifd = ro("/tmp");
}

/* A sparse file: no RAM used until read. */
static void sparse_file(const char *path, off_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || ftruncate(fd, size))
		die("sparse %s", path);
	close(fd);
}

static void sparse_initrd(struct call *c, off_t size)
{
	char path[256];

	snprintf(path, sizeof(path), DIR "/%s", cur);
	sparse_file(path, size);
	c->kfd = ro("/boot/elftest.elf");
	c->ifd = ro(path);
}

static long long meminfo(const char *key)
{
	char line[128];
	long long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			v = atoll(line + strlen(key) + 1);
	if (f)
		fclose(f);
	return v;
}

static void b_initrd_ram(struct call *c)
{
	sparse_initrd(c, (off_t)meminfo("MemTotal") * 1024 * 2);
}

static void b_initrd_2g(struct call *c)
{
	sparse_initrd(c, 3LL << 30);
}

/* Arguments. */
static char long_line[4096];

static void b_cmd_long(struct call *c)
{
	memset(long_line, 'x', sizeof(long_line) - 1);
	c->kfd = ro("/boot/elftest.elf");
	c->cmdline = long_line;
	c->cmdline_len = sizeof(long_line);
}

static void b_cmd_len_max(struct call *c)
{
	b_cmd_long(c);
	c->cmdline_len = ~0UL;
}

static void b_cmd_unterminated(struct call *c)
{
	c->kfd = ro("/boot/elftest.elf");
	c->cmdline = "console=ttyS0";
	c->cmdline_len = 7;
}

static void b_cmd_null(struct call *c)
{
	c->kfd = ro("/boot/elftest.elf");
	c->cmdline = (const char *)16;
	c->cmdline_len = 10;
}

static void b_cmd_kernel(struct call *c)
{
	c->kfd = ro("/boot/elftest.elf");
	c->cmdline = (const char *)0xc0100000UL;
	c->cmdline_len = 10;
}

static void b_cmd_unmapped_tail(struct call *c)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	munmap(p + 4096, 4096);
	memset(p, 'y', 4096);
	c->kfd = ro("/boot/elftest.elf");
	c->cmdline = p + 4096 - 100;
	c->cmdline_len = 200;	/* runs into the unmapped page */
}

static void b_flag(struct call *c)
{
	c->kfd = ro("/boot/elftest.elf");
	c->flags = FLAG_BAD;
}

static void b_format(struct call *c)
{
	c->kfd = ro("/boot/elftest.elf");
	c->flags = FORMAT_BAD;
}

/* bzImage: setup header fields (Documentation/arch/x86/boot.rst). */
static void bz_call(struct call *c, struct buf b, unsigned long flags)
{
	c->kfd = file_fd(cur, b);
	c->flags = flags;
	free(b.p);
}

static void b_bz_control(struct call *c) { bz_call(c, dup_buf(bzimage), 0); }

static void b_bz_old(struct call *c)
{
	struct buf b = dup_buf(bzimage);

	put16(b, 0x206, 0x0209);
	bz_call(c, b, 0);
}

static void b_bz_zimage(struct call *c)
{
	struct buf b = dup_buf(bzimage);

	b.p[0x211] &= ~1;	/* LOADED_HIGH */
	bz_call(c, b, 0);
}

static void b_bz_sects(struct call *c)
{
	struct buf b = dup_buf(bzimage);

	b.len = 100000;
	b.p[0x1f1] = 255;
	bz_call(c, b, 0);
}

static void b_bz_magic(struct call *c)
{
	struct buf b = dup_buf(bzimage);

	b.p[0x205] = 'X';	/* "HdrX" */
	bz_call(c, b, KEXEC_BOOT_FORMAT_BZIMAGE);
}

static void b_bz_short(struct call *c)
{
	struct buf b = dup_buf(bzimage);

	b.len = 0x200;
	bz_call(c, b, KEXEC_BOOT_FORMAT_BZIMAGE);
}

static void b_bz_align(struct call *c)
{
	struct buf b = dup_buf(relocatable);

	put32(b, 0x230, 0x1001);
	bz_call(c, b, 0);
}

static void b_bz_cmdline(struct call *c)
{
	static const char line[] = "console=ttyS0 this line is longer than 16 bytes";
	struct buf b = dup_buf(bzimage);

	put32(b, 0x238, 16);	/* cmdline_size */
	bz_call(c, b, 0);
	c->cmdline = line;
	c->cmdline_len = sizeof(line);
}

/* Multiboot: the header in the first 8 KiB of our test kernels. */
static size_t mb_header(struct buf b)
{
	size_t off;

	for (off = 0; off + 32 <= b.len && off < 8192; off += 4)
		if (get32(b, off) == 0x1badb002)
			return off;
	die("no multiboot header");
	return 0;
}

static void mb_flags(struct buf b, uint32_t flags)
{
	size_t h = mb_header(b);

	put32(b, h + 4, flags);
	put32(b, h + 8, -(0x1badb002 + flags));
}

static void mb_call(struct call *c, struct buf b)
{
	c->kfd = file_fd(cur, b);
	free(b.p);
}

static void b_mb_control(struct call *c) { mb_call(c, dup_buf(mbaout)); }

static void b_mb_checksum(struct call *c)
{
	struct buf b = dup_buf(mbtest);

	b.p[mb_header(b) + 8] ^= 1;
	mb_call(c, b);
}

static void b_mb_video(struct call *c)
{
	struct buf b = dup_buf(mbtest);

	mb_flags(b, get32(b, mb_header(b) + 4) | 4);
	mb_call(c, b);
}

static void b_mb_feature(struct call *c)
{
	struct buf b = dup_buf(mbtest);

	mb_flags(b, get32(b, mb_header(b) + 4) | 8);
	mb_call(c, b);
}

static void b_mb_elf_ram(struct call *c)
{
	struct buf b = dup_buf(mbtest);

	PHDR(b, 1)->p_paddr = 0xf0000000;
	mb_call(c, b);
}

/* A higher-half kernel: e_entry and every p_vaddr 3 GiB up, p_paddr kept. */
static void b_mb_virtual_entry(struct call *c)
{
	struct buf b = dup_buf(mbtest);
	int i;

	for (i = 0; i < EH(b)->e_phnum; i++)
		if (PHDR(b, i)->p_type == PT_LOAD)
			PHDR(b, i)->p_vaddr = PHDR(b, i)->p_paddr + 0xc0000000;
	EH(b)->e_entry += 0xc0000000;
	mb_call(c, b);
}

/* A 12-byte header (no flag 16) ending exactly at the end of 8 KiB. */
static void b_mb_header_at_8k(struct call *c)
{
	struct buf b = dup_buf(mbtest);
	size_t h = mb_header(b);
	uint32_t flags = get32(b, h + 4);

	if (b.len < 8192 || h + 12 > 8180)
		die("mbtest.elf: %zu bytes, header at %zu", b.len, h);
	put32(b, h, 0);
	put32(b, 8180, 0x1badb002);
	put32(b, 8184, flags);
	put32(b, 8188, -(0x1badb002 + flags));
	mb_call(c, b);
}

/* Address fields (flag 16): header, load, load_end, bss_end, entry. */
enum { MB_HDR = 12, MB_LOAD = 16, MB_LOAD_END = 20, MB_BSS_END = 24,
       MB_ENTRY = 28 };

static void b_mba_ram(struct call *c)
{
	struct buf b = dup_buf(mbaout);
	size_t h = mb_header(b);
	uint32_t delta = 0xf0000000 - get32(b, h + MB_LOAD);
	int f;

	for (f = MB_HDR; f <= MB_ENTRY; f += 4)
		if (get32(b, h + f))
			put32(b, h + f, get32(b, h + f) + delta);
	mb_call(c, b);
}

static void b_mba_order(struct call *c)
{
	struct buf b = dup_buf(mbaout);
	size_t h = mb_header(b);

	put32(b, h + MB_LOAD, get32(b, h + MB_HDR) + 4);
	mb_call(c, b);
}

static void b_mba_end(struct call *c)
{
	struct buf b = dup_buf(mbaout);
	size_t h = mb_header(b);

	put32(b, h + MB_LOAD_END, get32(b, h + MB_LOAD) - 4);
	mb_call(c, b);
}

static void b_mba_eof(struct call *c)
{
	struct buf b = dup_buf(mbaout);
	size_t h = mb_header(b);

	put32(b, h + MB_LOAD_END, get32(b, h + MB_LOAD) + (16 << 20));
	put32(b, h + MB_BSS_END, get32(b, h + MB_LOAD) + (17 << 20));
	mb_call(c, b);
}

static void b_mba_entry(struct call *c)
{
	struct buf b = dup_buf(mbaout);

	put32(b, mb_header(b) + MB_ENTRY, 0x10);
	mb_call(c, b);
}

/*
 * Packed images, synthesized: an ELF32 header, one PT_NOTE with the notes,
 * the kernel (the ELF test kernel) at 4096.
 */
#define PACK_KERNEL	4096

struct note {
	uint32_t type;
	const void *desc;
	uint32_t len;
};

static struct buf pack(const struct note *notes, unsigned int n,
		       const struct buf kernel)
{
	struct buf b = { calloc(1, PACK_KERNEL + kernel.len), PACK_KERNEL + kernel.len };
	Elf32_Ehdr *eh = (Elf32_Ehdr *)b.p;
	Elf32_Phdr *ph = (Elf32_Phdr *)(b.p + sizeof(*eh));
	size_t pos = sizeof(*eh) + sizeof(*ph), start = pos;
	unsigned int i;

	if (!b.p)
		die("calloc");
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_386;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 1;
	for (i = 0; i < n; i++) {
		Elf32_Nhdr nh = { sizeof(KEXEC_BOOT_NOTE_OWNER), notes[i].len,
				  notes[i].type };

		if (pos + 64 + notes[i].len > PACK_KERNEL)
			die("notes too long");
		memcpy(b.p + pos, &nh, sizeof(nh));
		memcpy(b.p + pos + sizeof(nh), KEXEC_BOOT_NOTE_OWNER,
		       sizeof(KEXEC_BOOT_NOTE_OWNER));
		pos += sizeof(nh) + ((sizeof(KEXEC_BOOT_NOTE_OWNER) + 3) & ~3UL);
		memcpy(b.p + pos, notes[i].desc, notes[i].len);
		pos += (notes[i].len + 3) & ~3UL;
	}
	*ph = (Elf32_Phdr){ .p_type = PT_NOTE, .p_offset = start,
			    .p_filesz = pos - start, .p_align = 4 };
	memcpy(b.p + PACK_KERNEL, kernel.p, kernel.len);
	return b;
}

static void pack_call(struct call *c, const struct note *notes, unsigned int n,
		      struct buf kernel)
{
	struct buf b = pack(notes, n, kernel);

	c->kfd = file_fd(cur, b);
	free(b.p);
}

static struct kexec_boot_pack_blob blob_kernel(void)
{
	return (struct kexec_boot_pack_blob){ PACK_KERNEL, elftest.len };
}

static void b_pk_control(struct call *c)
{
	struct kexec_boot_pack_blob k = blob_kernel();
	struct note n[] = { { KEXEC_BOOT_NOTE_KERNEL, &k, sizeof(k) },
			    { KEXEC_BOOT_NOTE_CMDLINE, "x=1", 4 } };

	pack_call(c, n, ARRAY_SIZE(n), elftest);
}

static void b_pk_nokernel(struct call *c)
{
	struct note n[] = { { KEXEC_BOOT_NOTE_CMDLINE, "x=1", 4 } };

	pack_call(c, n, ARRAY_SIZE(n), elftest);
}

static void b_pk_eof(struct call *c)
{
	struct kexec_boot_pack_blob k = blob_kernel();
	struct note n[] = { { KEXEC_BOOT_NOTE_KERNEL, &k, sizeof(k) } };

	k.size += 1;
	pack_call(c, n, ARRAY_SIZE(n), elftest);
}

static void b_pk_huge(struct call *c)
{
	struct kexec_boot_pack_blob k = { PACK_KERNEL, ~0ULL - 100 };
	struct note n[] = { { KEXEC_BOOT_NOTE_KERNEL, &k, sizeof(k) } };

	pack_call(c, n, ARRAY_SIZE(n), elftest);
}

static void b_pk_notesize(struct call *c)
{
	struct kexec_boot_pack_blob k = blob_kernel();
	struct note n[] = { { KEXEC_BOOT_NOTE_KERNEL, &k, 12 } };

	pack_call(c, n, ARRAY_SIZE(n), elftest);
}

static void b_pk_align(struct call *c)
{
	struct kexec_boot_pack_blob k = blob_kernel();
	struct note n[] = { { KEXEC_BOOT_NOTE_KERNEL, &k, sizeof(k) } };

	k.offset += 4;
	k.size -= 4;
	pack_call(c, n, ARRAY_SIZE(n), elftest);
}

static void b_pk_cmdline(struct call *c)
{
	struct kexec_boot_pack_blob k = blob_kernel();
	struct note n[] = { { KEXEC_BOOT_NOTE_KERNEL, &k, sizeof(k) },
			    { KEXEC_BOOT_NOTE_CMDLINE, "abcd", 4 } };

	pack_call(c, n, ARRAY_SIZE(n), elftest);
}

static void b_pk_nested(struct call *c)
{
	struct kexec_boot_pack_blob k = blob_kernel();
	struct note n[] = { { KEXEC_BOOT_NOTE_KERNEL, &k, sizeof(k) } };
	struct buf inner = pack(n, 1, elftest);

	k.size = inner.len;
	pack_call(c, n, ARRAY_SIZE(n), inner);
	free(inner.p);
}

static void b_pk_truncated(struct call *c)
{
	struct kexec_boot_pack_blob k = blob_kernel();
	struct note n[] = { { KEXEC_BOOT_NOTE_KERNEL, &k, sizeof(k) } };
	struct buf b = pack(n, 1, elftest);

	b.len = PACK_KERNEL + 904;
	c->kfd = file_fd(cur, b);
	free(b.p);
}

static const struct class classes[] = {
	/* Controls: the bases the classes below break load. */
	{ "control-elf", 0, b_elf_control },
	{ "control-elf-probed", 0, b_elf_probe_control },
	{ "control-bzimage", 0, b_bz_control },
	{ "control-multiboot-aout", 0, b_mb_control },
	{ "control-packed", 0, b_pk_control },
	{ "control-elf-255-segments", 0, b_elf_255 },
	/* ELF headers (format forced to elf: the parser's own message). */
	{ "elf-truncated-header", ENOEXEC, b_elf_short },
	{ "elf-bad-magic", ENOEXEC, b_elf_magic },
	{ "elf-class64", ENOEXEC, b_elf_class64 },
	{ "elf-big-endian", ENOEXEC, b_elf_msb },
	{ "elf-machine-sparc", ENOEXEC, b_elf_machine },
	{ "elf-type-dyn", ENOEXEC, b_elf_type },
	{ "elf-phentsize-64bit", ENOEXEC, b_elf_phentsize },
	{ "elf-phnum-0", ENOEXEC, b_elf_phnum0 },
	{ "elf-phnum-65535", ENOEXEC, b_elf_phnum_huge },
	{ "elf-phdrs-past-eof", ENOEXEC, b_elf_phoff_eof },
	{ "elf-phoff-wraps", ENOEXEC, b_elf_phoff_wrap },
	{ "elf-data-past-eof", ENOEXEC, b_elf_data_eof },
	{ "elf-filesz-gt-memsz", ENOEXEC, b_elf_filesz },
	{ "elf-no-pt-load", ENOEXEC, b_elf_noload },
	{ "elf-257-segments", E2BIG, b_elf_257 },
	/* ELF segments where they cannot go. */
	{ "elf-overlap", EBUSY, b_elf_overlap },
	{ "elf-640k-hole", EADDRNOTAVAIL, b_elf_hole },
	{ "elf-bios-rom", EADDRNOTAVAIL, b_elf_bios },
	{ "elf-ioapic", EADDRNOTAVAIL, b_elf_ioapic },
	{ "elf-lapic", EADDRNOTAVAIL, b_elf_lapic },
	{ "elf-beyond-ram", EADDRNOTAVAIL, b_elf_beyond },
	{ "elf-wraps-4g", EADDRNOTAVAIL, b_elf_wrap },
	{ "elf-entry-outside", EADDRNOTAVAIL, b_elf_entry },
	/* Probed. */
	{ "not-an-image", ENOEXEC, b_text },
	{ "vmlinux-truncated", ENOEXEC, b_vmlinux_cut },
	/* Files and descriptors. */
	{ "kernel-empty-file", EINVAL, b_empty },
	{ "kernel-directory", EINVAL, b_dir },
	{ "kernel-proc-file", EINVAL, b_proc },
	{ "kernel-pipe", EINVAL, b_pipe },
	{ "kernel-socket", EINVAL, b_socket },
	{ "kernel-dev-zero", EINVAL, b_devzero },
	{ "kernel-closed-fd", EBADF, b_closed },
	{ "kernel-fd-minus-1", EBADF, b_minus1 },
	{ "kernel-fd-write-only", EBADF, b_wronly },
	{ "kernel-file-open-for-writing", ETXTBSY, b_writer },
	{ "initrd-closed-fd", EBADF, b_initrd_closed },
	{ "initrd-directory", EINVAL, b_initrd_dir },
	{ "initrd-larger-than-ram", ENOSPC, b_initrd_ram },
	{ "initrd-over-2gib", EFBIG, b_initrd_2g },
	/* Arguments. */
	{ "cmdline-too-long", E2BIG, b_cmd_long },
	{ "cmdline-len-ulong-max", E2BIG, b_cmd_len_max },
	{ "cmdline-unterminated", EINVAL, b_cmd_unterminated },
	{ "cmdline-bad-pointer", EFAULT, b_cmd_null },
	{ "cmdline-kernel-pointer", EFAULT, b_cmd_kernel },
	{ "cmdline-runs-into-unmapped", EFAULT, b_cmd_unmapped_tail },
	{ "unknown-flag", EINVAL, b_flag },
	{ "unknown-format", EINVAL, b_format },
	/* bzImage. */
	{ "bzimage-protocol-2.09", ENOEXEC, b_bz_old },
	{ "bzimage-zimage", ENOEXEC, b_bz_zimage },
	{ "bzimage-setup-sects", ENOEXEC, b_bz_sects },
	{ "bzimage-bad-magic-forced", ENOEXEC, b_bz_magic },
	{ "bzimage-short-forced", ENOEXEC, b_bz_short },
	{ "bzimage-kernel-alignment", ENOEXEC, b_bz_align },
	{ "bzimage-cmdline-size", E2BIG, b_bz_cmdline },
	/* Multiboot. */
	{ "multiboot-checksum", ENOEXEC, b_mb_checksum },
	{ "multiboot-video-mode", ENOEXEC, b_mb_video },
	{ "multiboot-unknown-feature", ENOEXEC, b_mb_feature },
	{ "multiboot-elf-outside-ram", EADDRNOTAVAIL, b_mb_elf_ram },
	{ "multiboot-addr-outside-ram", EADDRNOTAVAIL, b_mba_ram },
	{ "multiboot-load-after-header", ENOEXEC, b_mba_order },
	{ "multiboot-load-end-below-load", ENOEXEC, b_mba_end },
	{ "multiboot-load-past-eof", ENOEXEC, b_mba_eof },
	{ "multiboot-entry-outside", EADDRNOTAVAIL, b_mba_entry },
	/* Valid multiboot kernels that must load. */
	{ "multiboot-virtual-entry", 0, b_mb_virtual_entry },
	{ "multiboot-header-at-8k-end", 0, b_mb_header_at_8k },
	/* Packed images. */
	{ "packed-no-kernel-note", ENOEXEC, b_pk_nokernel },
	{ "packed-kernel-past-eof", ENOEXEC, b_pk_eof },
	{ "packed-kernel-size-huge", ENOEXEC, b_pk_huge },
	{ "packed-kernel-note-size", ENOEXEC, b_pk_notesize },
	{ "packed-kernel-unaligned", ENOEXEC, b_pk_align },
	{ "packed-cmdline-unterminated", ENOEXEC, b_pk_cmdline },
	{ "packed-nested", ENOEXEC, b_pk_nested },
	{ "packed-truncated", ENOEXEC, b_pk_truncated },
};

static const char *errname(int e)
{
	static const struct { int e; const char *name; } names[] = {
		{ 0, "0" }, { EPERM, "EPERM" }, { EINVAL, "EINVAL" },
		{ EBADF, "EBADF" }, { EFAULT, "EFAULT" }, { E2BIG, "E2BIG" },
		{ ENOEXEC, "ENOEXEC" }, { EADDRNOTAVAIL, "EADDRNOTAVAIL" },
		{ EBUSY, "EBUSY" }, { ENOSPC, "ENOSPC" }, { ENOMEM, "ENOMEM" },
		{ EFBIG, "EFBIG" }, { ETXTBSY, "ETXTBSY" }, { ENOSYS, "ENOSYS" },
	};
	static char other[16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(other, sizeof(other), "%d", e);
	return other;
}

/* Runs one call; returns its errno (0 on success). */
static int run_call(const struct call *c, char *log, size_t size)
{
	int err;

	kmsg_skip();
	err = kb_load(c->kfd, c->ifd, c->cmdline, c->cmdline_len, c->flags) ?
	      errno : 0;
	kmsg_collect(log, size);
	return err;
}

static void close_from(int fd)
{
	for (; fd < 256; fd++)
		if (fd != kmsg)
			close(fd);
}

static int run_class(const struct class *k)
{
	struct call c = { -1, -1, NULL, 0, 0 };
	char log[2048];
	int err, now;

	cur = k->name;
	k->build(&c);
	err = run_call(&c, log, sizeof(log));
	now = loaded();
	printf("KBT gen=%d badload class=%s errno=%s/", gen, k->name,
	       errname(k->want));
	printf("%s loaded=%d kmsg=%s\n", errname(err), now, log);
	flush_line();
	if (!err)
		kb_unload();
	close_from(3);
	return err == k->want && (err || now == 1) && (!err || now == 0);
}

static int mode_bad(void)
{
	struct call c = { -1, -1, NULL, 0, KEXEC_BOOT_FORMAT_ELF };
	unsigned int i, ok = 0;
	char log[2048];
	int err, keep;

	mkdir(DIR, 0755);
	elftest = slurp("/boot/elftest.elf");
	vmlinux = slurp("/boot/vmlinux");
	bzimage = slurp("/boot/bzImage");
	/* i386 kernel A is not relocatable, kernel B is; x86_64's A is. */
	relocatable = slurp(access("/boot/bzImage-installer", R_OK) ?
			    "/boot/bzImage" : "/boot/bzImage-installer");
	mbtest = slurp("/boot/mbtest.elf");
	mbaout = slurp("/boot/mbtest-aout.elf");
	kmsg_open();
	kb_unload();
	console_quiet();
	for (i = 0; i < ARRAY_SIZE(classes); i++)
		ok += run_class(&classes[i]);

	/* A refused load keeps the image loaded before it. */
	c.kfd = ro("/boot/elftest.elf");
	err = run_call(&c, log, sizeof(log));
	cur = "keep";
	b_elf_entry(&c);
	c.flags = KEXEC_BOOT_FORMAT_ELF;
	keep = run_call(&c, log, sizeof(log));
	printf("KBT gen=%d badload keep load=%s refused=%s loaded=%d\n", gen,
	       errname(err), errname(keep), loaded());
	kb_unload();
	close_from(3);
	printf("KBT gen=%d badload classes=%zu as-expected=%u loaded=%d\n", gen,
	       ARRAY_SIZE(classes), ok, loaded());
	flush_line();
	console_restore();
	return 0;
}

/* --- concurrency ---------------------------------------------------------- */

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

enum worker { W_VMLINUX_A, W_VMLINUX_B, W_ELF, W_BAD, W_UNLOAD, W_READ,
	      NR_WORKERS };
static const char *const worker_name[] = { "vmlinux-a", "vmlinux-b", "elf",
					   "refused", "unload", "reader" };

struct tally {
	unsigned int ops, errors, first_err;
};

/* One worker's loop; its tally goes to shared memory. */
static void worker(enum worker w, double until, struct tally *t)
{
	char line[64];
	int fd, err, want = 0, v;

	snprintf(line, sizeof(line), "console=ttyS0 kbt.race=%s",
		 worker_name[w]);
	while (now_s() < until) {
		switch (w) {
		case W_READ:
			v = loaded();
			err = v == 0 || v == 1 ? 0 : EIO;
			break;
		case W_UNLOAD:
			err = kb_unload();
			break;
		default:
			fd = ro(w == W_ELF ? "/boot/elftest.elf" :
				w == W_BAD ? DIR "/truncated" : "/boot/vmlinux");
			want = w == W_BAD ? ENOEXEC : 0;
			err = kb_load(fd, -1, line, strlen(line) + 1, 0) ?
			      errno : 0;
			close(fd);
			/* Another load in progress: refused, as it must be. */
			if (err == EBUSY)
				err = want;
			break;
		}
		t->ops++;
		if (err != want && !t->errors++)
			t->first_err = err;
	}
}

static int mode_race(int seconds)
{
	struct tally *t = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	double until = now_s() + seconds;
	unsigned int errors = 0, i;
	int fd, err, v, status;

	if (t == MAP_FAILED)
		die("mmap");
	elftest = slurp("/boot/elftest.elf");
	spit(DIR "/truncated", elftest.p, 100);
	console_quiet();
	for (i = 0; i < NR_WORKERS; i++)
		if (fork() == 0) {
			worker(i, until, &t[i]);
			_exit(0);
		}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			errors++;
	v = loaded();
	printf("KBT gen=%d race seconds=%d", gen, seconds);
	for (i = 0; i < NR_WORKERS; i++) {
		printf(" %s=%u/%u", worker_name[i], t[i].ops, t[i].errors);
		errors += t[i].errors;
		if (t[i].errors)
			printf("(%s)", errname(t[i].first_err));
	}
	printf(" errors=%u loaded_after=%d", errors, v);
	/* A settled state: a load shows 1, an unload 0. */
	fd = ro("/boot/elftest.elf");
	err = kb_load(fd, -1, NULL, 0, 0) ? errno : 0;
	close(fd);
	printf(" load=%s loaded=%d", errname(err), loaded());
	err = kb_unload();
	printf(" unload=%s loaded=%d\n", errname(err), loaded());
	flush_line();
	console_restore();
	return 0;
}

/* Detached loaders that keep going through the reboot. */
static int mode_reboot_race(const char *cmdline, const char *initrd)
{
	unsigned int nonce, w, n;
	char line[4096];
	double until;
	int kfd, ifd;

	nonce = (unsigned int)(now_s() * 1e6) & 0xffffff;
	for (w = 0; w < 2; w++) {
		if (fork())
			continue;
		setsid();
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		close(1);
		open("/dev/null", O_WRONLY);
		for (n = 0;; n++) {
			snprintf(line, sizeof(line), "%s kbt.marker=m%d-%06x-%u-%u",
				 cmdline, gen + 1, nonce, w, n);
			kfd = ro("/boot/vmlinux");
			ifd = ro(initrd);
			kb_load(kfd, ifd, line, strlen(line) + 1, 0);
			close(kfd);
			close(ifd);
		}
	}
	until = now_s() + 60;
	while (loaded() != 1 && now_s() < until)
		usleep(100000);
	printf("KBT gen=%d reboot-race nonce=%06x loaded=%d\n", gen, nonce,
	       loaded());
	return 0;
}

/* --- leaks ---------------------------------------------------------------- */

struct mem {
	long long free, sunreclaim;
};

static int load_unload(const char *file, const char *initrd, int times)
{
	int i, kfd, ifd, errors = 0;

	for (i = 0; i < times; i++) {
		kfd = ro(file);
		ifd = initrd ? ro(initrd) : -1;
		if (kb_load(kfd, ifd, "x=1", 4, 0) || kb_unload())
			errors++;
		close(kfd);
		if (ifd >= 0)
			close(ifd);
	}
	return errors;
}

/*
 * Free memory in KiB: MemFree plus the pages waiting in the per-CPU page
 * lists (/proc/zoneinfo "count:"), which MemFree leaves out and which come
 * and go with whatever ran last on each CPU.
 */
static long long free_kib(void)
{
	char line[256], *p;
	long long pcp = 0;
	FILE *f = fopen("/proc/zoneinfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if ((p = strstr(line, " count:")))
			pcp += atoll(p + 7);
	if (f)
		fclose(f);
	return meminfo("MemFree") + pcp * (getpagesize() / 1024);
}

static long long median3(long long a, long long b, long long c)
{
	return a > b ? (b > c ? b : a > c ? c : a) : (a > c ? a : b > c ? c : b);
}

/*
 * Caches dropped, then one load and unload of the ELF test kernel, so that
 * every reading is taken in the same state (the per-CPU page lists the
 * load drains included); the median of three readings.
 */
static struct mem measure(void)
{
	long long f[3], u[3];
	int fd, i;

	for (i = 0; i < 3; i++) {
		sync();
		fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
		if (fd >= 0) {
			if (write(fd, "3", 1) != 1)
				perror("drop_caches");
			close(fd);
		}
		load_unload("/boot/elftest.elf", NULL, 1);
		usleep(100000);
		f[i] = free_kib();
		u[i] = meminfo("SUnreclaim");
	}
	return (struct mem){ median3(f[0], f[1], f[2]),
			     median3(u[0], u[1], u[2]) };
}

static int mode_leak(int times, const char *file, const char *initrd)
{
	struct mem before, after;
	long long control;
	double t0;
	int errors;
	static char mib[1 << 20];

	errors = load_unload(file, initrd, 20);		/* warm caches up */
	/* Control: 1 MiB kept in tmpfs must show as lost. */
	memset(mib, 'k', sizeof(mib));
	before = measure();
	spit(DIR "/leak-control", mib, sizeof(mib));
	after = measure();
	unlink(DIR "/leak-control");
	control = before.free - after.free;
	before = measure();
	t0 = now_s();
	errors += load_unload(file, initrd, times);
	after = measure();
	printf("KBT gen=%d leak file=%s initrd=%s iterations=%d errors=%d seconds=%.1f memfree_before=%lld memfree_after=%lld memfree_lost=%lld sunreclaim_before=%lld sunreclaim_after=%lld sunreclaim_grown=%lld\n",
	       gen, file, initrd ? initrd : "none", times, errors, now_s() - t0,
	       before.free, after.free, before.free - after.free,
	       before.sunreclaim, after.sunreclaim,
	       after.sunreclaim - before.sunreclaim);

	printf("KBT gen=%d leak-control kept_kib=1024 memfree_lost=%lld\n", gen,
	       control);
	return 0;
}

static int mode_lockdown(void)
{
	struct call c = { ro("/boot/elftest.elf"), -1, NULL, 0, 0 };
	char log[2048];
	int err;

	mkdir(DIR, 0755);
	kmsg_open();
	err = run_call(&c, log, sizeof(log));
	printf("KBT gen=%d badload class=lockdown errno=EPERM/%s loaded=%d kmsg=%s\n",
	       gen, errname(err), loaded(), log);
	return 0;
}

/* Loads that meet a slow load in progress get EBUSY. */
static int mode_busy(void)
{
	unsigned int loads = 0, ok = 0, ebusy = 0, other = 0;
	int status, child_err = -1, kfd, ifd, err, pipefd[2];
	pid_t pid;

	mkdir(DIR, 0755);
	sparse_file(DIR "/busy-initrd", 64 << 20);
	if (pipe(pipefd))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		kfd = ro("/boot/vmlinux");
		ifd = ro(DIR "/busy-initrd");
		/* Until it gets in between two of the parent's loads. */
		for (loads = 0; loads < 100000; loads++) {
			err = kb_load(kfd, ifd, "x=1", 4, 0) ? errno : 0;
			if (err != EBUSY)
				break;
		}
		if (write(pipefd[1], &err, sizeof(err)) != sizeof(err))
			_exit(3);
		_exit(0);
	}
	close(pipefd[1]);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		kfd = ro("/boot/elftest.elf");
		err = kb_load(kfd, -1, "x=2", 4, 0) ? errno : 0;
		close(kfd);
		loads++;
		if (!err)
			ok++;
		else if (err == EBUSY)
			ebusy++;
		else
			other++;
	}
	if (read(pipefd[0], &child_err, sizeof(child_err)) != sizeof(child_err))
		child_err = -1;
	close(pipefd[0]);
	unlink(DIR "/busy-initrd");
	kb_unload();
	printf("KBT gen=%d busy child=%s loads=%u ok=%u ebusy=%u other=%u\n",
	       gen, child_err < 0 ? "lost" : errname(child_err), loads, ok,
	       ebusy, other);
	return 0;
}

static int mode_restart2(const char *arg)
{
	printf("KBT gen=%d restart2 arg=%s\n", gen, arg);
	flush_line();
	sync();
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_RESTART2, arg);
	printf("KBT gen=%d restart2 returned errno=%s\n", gen, errname(errno));
	return 1;
}

static void read_gen(void)
{
	char line[4096], *p;
	FILE *f = fopen("/proc/cmdline", "r");

	if (f && fgets(line, sizeof(line), f) && (p = strstr(line, "kbt.gen=")))
		gen = atoi(p + 8);
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	read_gen();
	mkdir(DIR, 0755);
	if (argc == 2 && !strcmp(argv[1], "bad"))
		return mode_bad();
	if (argc == 3 && !strcmp(argv[1], "race"))
		return mode_race(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "reboot-race"))
		return mode_reboot_race(argv[2], argv[3]);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "leak"))
		return mode_leak(atoi(argv[2]), argv[3],
				 argc == 5 ? argv[4] : NULL);
	if (argc == 2 && !strcmp(argv[1], "lockdown"))
		return mode_lockdown();
	if (argc == 2 && !strcmp(argv[1], "busy"))
		return mode_busy();
	if (argc == 3 && !strcmp(argv[1], "restart2"))
		return mode_restart2(argv[2]);
	fprintf(stderr, "usage: badload bad | race SECONDS | reboot-race CMDLINE INITRD | leak N FILE [INITRD] | lockdown | busy | restart2 ARG\n");
	return 2;
}
