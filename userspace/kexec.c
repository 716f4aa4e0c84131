// SPDX-License-Identifier: GPL-2.0
/*
 * kexec - userspace front end of kexec_boot_load(2).
 *
 * This file owns the whole tool: parsing the (kexec-tools compatible)
 * options, building the new kernel's command line, opening and checking
 * the kernel and initrd files, loading or unloading an image with
 * kexec_boot_load(2), explaining a refusal in words (an errno table plus
 * the kernel's own "kexec_boot: " log line), booting the loaded image
 * with reboot(LINUX_REBOOT_CMD_KEXEC), and showing where an image's
 * segments land in RAM (--dry-run, --status) from the kernel's segment map
 * in /sys/kernel/kexec_boot/.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/kexec_boot.h>
#include <linux/reboot.h>

/* klogctl() actions, from the kernel's include/linux/syslog.h (not uapi). */
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

#define VERSION_TEXT	"kexec (kexec_boot) 0.1"
#define KEXEC_LOADED	"/sys/kernel/kexec_loaded"
#define SEGMENTS_FILE	"/sys/kernel/kexec_boot/segments"
#define DRY_RUN_FILE	"/sys/kernel/kexec_boot/dry_run"
/* The running kernel's number for kexec_boot_load(2). */
#define SYSCALL_FILE	"/sys/kernel/kexec_boot/syscall"
#define PROC_CMDLINE	"/proc/cmdline"
#define KLOG_TAG	"kexec_boot: "

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* What to do; giving FILE without an action option means load, then exec. */
enum action {
	ACTION_LOAD	= 1 << 0,
	ACTION_EXEC	= 1 << 1,
	ACTION_UNLOAD	= 1 << 2,
};

struct request {
	unsigned int actions;		/* ACTION_* bits */
	const char *kernel;
	const char *initrd;
	unsigned long format;		/* KEXEC_BOOT_FORMAT_*, 0: probe */
	const char **cmdline_pieces;	/* --command-line/--append, in order */
	size_t n_cmdline_pieces;
	bool reuse_cmdline;
	bool replace_cmdline;		/* --command-line or --reuse-cmdline given */
	bool dry_run;			/* --dry-run: check and place, load nothing */
	bool status;			/* -S: report the loaded image, do nothing */
};

/* getopt_long() values of the options that have no short letter. */
enum {
	OPT_LONG_ONLY = 256,
	OPT_INITRD = OPT_LONG_ONLY,
	OPT_CMDLINE,
	OPT_APPEND,
	OPT_REUSE_CMDLINE,
	OPT_DRY_RUN,
	OPT_REFUSED,
};

struct option_spec {
	struct option opt;
	const char *usage;	/* left column of --help */
	const char *help;	/* right column of --help */
	const char *refusal;	/* set: a kexec-tools option we refuse, and why */
};

#define SUPPORTED(name, arg, val, usage, help) \
	{ { name, arg, NULL, val }, usage, help, NULL }
#define REFUSED(name, arg, val, why) \
	{ { name, arg, NULL, val }, NULL, NULL, why }

static const struct option_spec option_specs[] = {
	SUPPORTED("load", optional_argument, 'l', "-l, --load[=FILE]",
		  "load FILE; it starts at the next reboot or kexec -e"),
	SUPPORTED("exec", no_argument, 'e', "-e, --exec",
		  "boot the loaded image now"),
	SUPPORTED("unload", no_argument, 'u', "-u, --unload",
		  "unload the loaded image"),
	SUPPORTED("dry-run", no_argument, OPT_DRY_RUN, "    --dry-run",
		  "with -l: check FILE, print where it would land, load nothing"),
	SUPPORTED("status", no_argument, 'S', "-S, --status",
		  "print the loaded image's map; exit 1 if one is loaded, else 0"),
	SUPPORTED("initrd", required_argument, OPT_INITRD, "    --initrd=FILE",
		  "load FILE as the initial ramdisk"),
	SUPPORTED("command-line", required_argument, OPT_CMDLINE,
		  "    --command-line=STR",
		  "the command line (repeatable, joined by spaces)"),
	SUPPORTED("append", required_argument, OPT_APPEND, "    --append=STR",
		  "add STR to the command line (to a packed image's own)"),
	SUPPORTED("type", required_argument, 't', "-t, --type=TYPE",
		  "bzImage, vmlinux, multiboot, Image or elf (default: probe)"),
	SUPPORTED("reuse-cmdline", no_argument, OPT_REUSE_CMDLINE,
		  "    --reuse-cmdline",
		  "start from the running kernel's " PROC_CMDLINE),
	SUPPORTED("kexec-file-syscall", no_argument, 's',
		  "-s, --kexec-file-syscall",
		  "accepted and ignored (kexec_boot_load(2) is kexec_file_load's)"),
	SUPPORTED("kexec-syscall-auto", no_argument, 'a',
		  "-a, --kexec-syscall-auto", "accepted and ignored"),
	SUPPORTED("debug", no_argument, 'd', "-d, --debug",
		  "print each step to standard error"),
	SUPPORTED("help", no_argument, 'h', "-h, --help",
		  "print this help and exit"),
	SUPPORTED("version", no_argument, 'v', "-v, --version",
		  "print the version and exit"),
	REFUSED("load-panic", no_argument, 'p', "no crash kernel support"),
	REFUSED("kexec-syscall", no_argument, 'c',
		"only kexec_boot_load(2) is available"),
	REFUSED("force", no_argument, 'f',
		"give FILE without -l to load it and boot it at once"),
	REFUSED("mem-min", required_argument, OPT_REFUSED,
		"the kernel places the image itself"),
	REFUSED("mem-max", required_argument, OPT_REFUSED,
		"the kernel places the image itself"),
	REFUSED("entry", required_argument, OPT_REFUSED,
		"the kernel uses the image's own entry point"),
	REFUSED("reuseinitrd", no_argument, OPT_REFUSED,
		"give the initrd again with --initrd"),
	REFUSED("load-preserve-context", no_argument, OPT_REFUSED,
		"no jump-back support"),
	REFUSED("load-jump-back-helper", no_argument, OPT_REFUSED,
		"no jump-back support"),
};

/* --type names, with the kexec-tools spellings as aliases. */
static const struct format_name {
	const char *name;
	unsigned long format;
} format_names[] = {
	{ "vmlinux", KEXEC_BOOT_FORMAT_VMLINUX },
	{ "elf", KEXEC_BOOT_FORMAT_ELF },
	{ "elf-x86", KEXEC_BOOT_FORMAT_ELF },
	{ "bzImage", KEXEC_BOOT_FORMAT_BZIMAGE },
	{ "multiboot", KEXEC_BOOT_FORMAT_MULTIBOOT },
	{ "multiboot-x86", KEXEC_BOOT_FORMAT_MULTIBOOT },
	{ "Image", KEXEC_BOOT_FORMAT_IMAGE },
	{ "elf-arm64", KEXEC_BOOT_FORMAT_ELF },
};

/* The errors kexec_boot_load(2) documents, in words. */
static const struct errno_text {
	int err;
	const char *name;
	const char *sentence;
} errno_texts[] = {
	{ EPERM, "EPERM",
	  "permission denied: needs CAP_SYS_BOOT (run kexec as root); refused too when the kernel is locked down or loading was disabled by sysctl" },
	{ EINVAL, "EINVAL",
	  "invalid argument: an unknown flag, a bad argument or not a regular file" },
	{ EBADF, "EBADF", "bad file descriptor: not open, or not open for reading" },
	{ ENOEXEC, "ENOEXEC", "not a bootable image" },
	{ E2BIG, "E2BIG",
	  "too big: the command line is longer than the kernel accepts, the image has too many segments, or (arm64) the device tree would pass 2 MiB" },
	{ EFAULT, "EFAULT", "bad address passed to the kernel" },
	{ EADDRNOTAVAIL, "EADDRNOTAVAIL",
	  "a segment's target range is not usable RAM or lies above 4 GiB, or the entry point is outside every segment" },
	{ EBUSY, "EBUSY",
	  "a segment overlaps another or memory the handover needs, another load or a reboot is in progress, or (arm64) a CPU cannot be taken offline" },
	{ EFBIG, "EFBIG", "the image or the initrd is too large (2 GiB or more)" },
	{ ENOMEM, "ENOMEM",
	  "out of memory: the image or the initrd does not fit in the memory the kernel can use" },
	{ ETXTBSY, "ETXTBSY", "the file is open for writing: it may change while it is read" },
	{ ENOSPC, "ENOSPC", "no free RAM range for the initrd" },
	{ ENOSYS, "ENOSYS",
	  "this kernel has no kexec_boot_load system call (no " SYSCALL_FILE
	  "; CONFIG_KEXEC_BOOT=n?)" },
};

static bool debug_enabled;

__attribute__((format(printf, 2, 0)))
static void vprint(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Print "kexec: <message>" to stderr; returns -1 for the caller to pass on. */
__attribute__((format(printf, 1, 2)))
static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("kexec: ", fmt, ap);
	va_end(ap);
	return -1;
}

__attribute__((format(printf, 1, 2)))
static void debug(const char *fmt, ...)
{
	va_list ap;

	if (!debug_enabled)
		return;
	va_start(ap, fmt);
	vprint("kexec: debug: ", fmt, ap);
	va_end(ap);
}

static int try_help(void)
{
	fputs("Try 'kexec --help'.\n", stderr);
	return -1;
}

static void *xrealloc(void *ptr, size_t size)
{
	ptr = realloc(ptr, size);
	if (!ptr) {
		fail("out of memory");
		exit(EXIT_FAILURE);
	}
	return ptr;
}

static char *xstrdup(const char *str)
{
	return strcpy(xrealloc(NULL, strlen(str) + 1), str);
}

/* "<sentence> (<ENAME>)" for an errno the kernel returned. */
static const char *explain_errno(int err)
{
	static char text[256];

	for (size_t i = 0; i < ARRAY_SIZE(errno_texts); i++) {
		if (errno_texts[i].err == err) {
			snprintf(text, sizeof(text), "%s (%s)",
				 errno_texts[i].sentence, errno_texts[i].name);
			return text;
		}
	}
	snprintf(text, sizeof(text), "%s (errno %d)", strerror(err), err);
	return text;
}

/* Skip the "<level>" and "[timestamp] " prefixes of a kernel log line. */
static const char *strip_log_prefix(const char *line)
{
	const char *end;

	if (*line == '<' && (end = strchr(line, '>')))
		line = end + 1;
	if (*line == '[' && (end = strchr(line, ']')))
		line = end + 1 + (end[1] == ' ');
	return line;
}

/* The kernel log, NUL-terminated; NULL if it cannot be read. */
static char *read_kernel_log(void)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	char *log;
	int len;

	if (size <= 0)
		return NULL;
	log = xrealloc(NULL, (size_t)size + 1);
	len = klogctl(SYSLOG_ACTION_READ_ALL, log, size);
	if (len <= 0) {
		free(log);
		return NULL;
	}
	log[len] = '\0';
	return log;
}

/*
 * Walk the "kexec_boot: " lines of the kernel log: count them all, and print
 * those after the first skip ones.
 */
static size_t walk_kernel_reasons(size_t skip)
{
	char *log = read_kernel_log(), *line, *next;
	size_t n = 0;

	for (line = log; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (!strstr(line, KLOG_TAG))
			continue;
		if (n++ >= skip)
			fprintf(stderr, "  kernel says: %s\n", strip_log_prefix(line));
	}
	free(log);
	return n;
}

/* How many reason lines the log held before the last system call. */
static size_t reasons_before_call;

/*
 * "kexec: <what>: the kernel refused it: <sentence> (<ENAME>)", then the
 * kernel's own reason; with ENOSYS the call never ran: only the sentence.
 */
__attribute__((format(printf, 2, 3)))
static int report_refusal(int err, const char *what_fmt, ...)
{
	va_list ap;

	fputs("kexec: ", stderr);
	va_start(ap, what_fmt);
	vfprintf(stderr, what_fmt, ap);
	va_end(ap);
	if (err == ENOSYS) {
		fprintf(stderr, ": %s\n", explain_errno(err));
		return -1;
	}
	fprintf(stderr, ": the kernel refused it: %s\n", explain_errno(err));
	walk_kernel_reasons(reasons_before_call);
	return -1;
}

/*
 * The number the running kernel gives kexec_boot_load(2), or -1 when it
 * has none: never a number compiled in, which a kernel without kexec_boot
 * may give to another call.
 */
static long syscall_number(void)
{
	FILE *file = fopen(SYSCALL_FILE, "r");
	long nr = -1;

	if (!file || fscanf(file, "%ld", &nr) != 1 || nr < 0)
		nr = -1;
	if (file)
		fclose(file);
	return nr;
}

static long kexec_boot_load(int kernel_fd, int initrd_fd,
			    unsigned long cmdline_len, const char *cmdline,
			    unsigned long flags)
{
	long nr = syscall_number();

	debug("kexec_boot_load(kernel_fd=%d, initrd_fd=%d, cmdline_len=%lu, cmdline=%p, flags=%#lx) is system call %ld",
	      kernel_fd, initrd_fd, cmdline_len, (const void *)cmdline, flags,
	      nr);
	if (nr < 0) {
		errno = ENOSYS;
		return -1;
	}
	reasons_before_call = walk_kernel_reasons(SIZE_MAX);
	return syscall(nr, kernel_fd, initrd_fd, cmdline_len, cmdline, flags);
}

/* The running kernel's command line without its trailing newline. */
static char *read_running_cmdline(void)
{
	FILE *file = fopen(PROC_CMDLINE, "r");
	char *line = NULL;
	size_t size = 0;
	ssize_t len = file ? getline(&line, &size, file) : -1;

	if (len < 0) {
		fail("%s: cannot read: %s", PROC_CMDLINE, strerror(errno));
		free(line);
		line = NULL;
	} else if (len > 0 && line[len - 1] == '\n') {
		line[len - 1] = '\0';
	}
	if (file)
		fclose(file);
	return line;
}

/* Append word to the malloc'ed line, one space between; empty words add nothing. */
static char *append_word(char *line, const char *word)
{
	size_t len = strlen(line);

	if (!*word)
		return line;
	line = xrealloc(line, len + 1 + strlen(word) + 1);
	sprintf(line + len, "%s%s", len ? " " : "", word);
	return line;
}

/* /proc/cmdline if --reuse-cmdline, then each --command-line/--append piece. */
static char *build_cmdline(const struct request *rq)
{
	char *line = rq->reuse_cmdline ? read_running_cmdline() : xstrdup("");

	if (!line)
		return NULL;
	for (size_t i = 0; i < rq->n_cmdline_pieces; i++)
		line = append_word(line, rq->cmdline_pieces[i]);
	return line;
}

static int check_cmdline_length(const char *cmdline)
{
	size_t size = strlen(cmdline) + 1;

	if (size > KEXEC_BOOT_CMDLINE_MAX)
		return fail("command line too long: %zu bytes with the terminating NUL, the limit is %d",
			    size, KEXEC_BOOT_CMDLINE_MAX);
	return 0;
}

static const char *file_type_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return "a directory";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFIFO:
		return "a FIFO";
	case S_IFSOCK:
		return "a socket";
	default:
		return "a special file";
	}
}

/*
 * Open path for reading and make sure it is a regular file; returns the fd,
 * or -1 after saying why.  O_NONBLOCK keeps a FIFO from hanging the open;
 * it changes nothing for a regular file.
 */
static int open_regular_file(const char *path, const char *role)
{
	int fd;
	struct stat st;

	if (!*path)
		return fail("the %s file name is empty", role);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fail("%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		fail("%s: cannot stat: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		fail("%s: is %s, not a regular file", path,
		     file_type_name(st.st_mode));
	} else {
		debug("%s %s: %lld bytes, fd %d", role, path,
		      (long long)st.st_size, fd);
		return fd;
	}
	close(fd);
	return -1;
}

static bool image_is_loaded(void)
{
	FILE *file = fopen(KEXEC_LOADED, "r");
	int c = file ? fgetc(file) : EOF;

	if (file)
		fclose(file);
	debug("%s %s", KEXEC_LOADED, c == '1' ? "reads 1" : "is missing or not 1");
	return c == '1';
}

/* The kernel's segment map (see Documentation/ABI/testing/sysfs-kernel-kexec_boot). */
#define MAP_MAX_RAM	128
#define MAP_MAX_SEGMENTS	32

struct map_range {
	unsigned long long start, end;	/* end inclusive */
};

struct map_segment {
	struct map_range range;
	unsigned long long size;
	char role[16];
	unsigned long in_place, copied;
};

struct segment_map {
	char format[32];
	unsigned long long entry;
	unsigned long cmdline_len;
	struct map_range ram[MAP_MAX_RAM];
	size_t n_ram;
	struct map_segment seg[MAP_MAX_SEGMENTS];
	size_t n_seg;
	unsigned long pages, in_place, copied;
};

/* The whole of a sysfs file, NUL-terminated; NULL after saying why. */
static char *read_sysfs_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, size = 4096;
	char *text;
	ssize_t n;

	if (fd < 0) {
		fail("%s: cannot open: %s%s", path, strerror(errno),
		     errno == ENOENT ? " (this kernel has no segment map)" : "");
		return NULL;
	}
	text = xrealloc(NULL, size);
	while ((n = read(fd, text + len, size - len - 1)) > 0) {
		len += (size_t)n;
		if (size - len - 1 == 0)
			text = xrealloc(text, size *= 2);
	}
	if (n < 0) {
		fail("%s: cannot read: %s", path, strerror(errno));
		free(text);
		text = NULL;
	} else {
		text[len] = '\0';
	}
	close(fd);
	return text;
}

static int parse_map_line(struct segment_map *map, const char *line)
{
	struct map_segment *seg = &map->seg[map->n_seg];
	struct map_range *ram = &map->ram[map->n_ram];
	char key[32];

	if (sscanf(line, "%31s", key) != 1)
		return 0;
	if (!strcmp(key, "format"))
		return sscanf(line, "format %31s", map->format) == 1 ? 0 : -1;
	if (!strcmp(key, "entry"))
		return sscanf(line, "entry %llx", &map->entry) == 1 ? 0 : -1;
	if (!strcmp(key, "cmdline_len"))
		return sscanf(line, "cmdline_len %lu", &map->cmdline_len) == 1 ? 0 : -1;
	if (!strcmp(key, "pages"))
		return sscanf(line, "pages %lu in_place %lu copied %lu", &map->pages,
			      &map->in_place, &map->copied) == 3 ? 0 : -1;
	if (!strcmp(key, "ram")) {
		if (map->n_ram == MAP_MAX_RAM ||
		    sscanf(line, "ram %llx-%llx", &ram->start, &ram->end) != 2)
			return -1;
		map->n_ram++;
		return 0;
	}
	if (!strcmp(key, "segment")) {
		if (map->n_seg == MAP_MAX_SEGMENTS ||
		    sscanf(line, "segment %llx-%llx size %llu %15s in_place %lu copied %lu",
			   &seg->range.start, &seg->range.end, &seg->size,
			   seg->role, &seg->in_place, &seg->copied) != 6)
			return -1;
		map->n_seg++;
		return 0;
	}
	return 0;	/* a record this tool does not know yet */
}

/* Reads and parses a segment map file; -1 after saying why. */
static int read_segment_map(const char *path, struct segment_map *map)
{
	char *text = read_sysfs_file(path), *line, *next;
	int lineno = 0, status = 0;

	memset(map, 0, sizeof(*map));
	if (!text)
		return -1;
	for (line = text; *line && status == 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		lineno++;
		if (parse_map_line(map, line) < 0)
			status = fail("%s: line %d not understood: %s", path,
				      lineno, line);
	}
	if (status == 0 && !map->format[0])
		status = fail("%s: empty: %s", path,
			      strcmp(path, DRY_RUN_FILE) ? "no image is loaded" :
			      "no dry run has succeeded yet");
	free(text);
	return status;
}

/* "639.0 KiB", "254.9 MiB": a size a person can read. */
static const char *human_size(unsigned long long bytes, char *buf, size_t len)
{
	if (bytes >= 1024 * 1024)
		snprintf(buf, len, "%.1f MiB", bytes / (1024.0 * 1024.0));
	else if (bytes >= 1024)
		snprintf(buf, len, "%.1f KiB", bytes / 1024.0);
	else
		snprintf(buf, len, "%llu B", bytes);
	return buf;
}

static bool range_inside(const struct map_range *inner,
			 const struct map_range *outer)
{
	return inner->start >= outer->start && inner->end <= outer->end;
}

static void print_segment(const struct map_segment *seg)
{
	char size[32];

	printf("    0x%08llx-0x%08llx %10s  %-8s %8lu %8lu\n", seg->range.start,
	       seg->range.end, human_size(seg->size, size, sizeof(size)),
	       seg->role, seg->in_place, seg->copied);
}

/* Each RAM range, and under it the segments that land in it. */
static void print_segment_map(const struct segment_map *map)
{
	bool placed[MAP_MAX_SEGMENTS] = { false };
	char size[32];

	printf("%s image, entry 0x%08llx, command line %lu bytes\n",
	       map->format, map->entry, map->cmdline_len);
	printf("  %-23s %10s  %-8s %8s %8s\n", "usable RAM / segment", "size",
	       "role", "in place", "copied");
	for (size_t r = 0; r < map->n_ram; r++) {
		const struct map_range *ram = &map->ram[r];

		printf("  0x%08llx-0x%08llx   %10s\n", ram->start, ram->end,
		       human_size(ram->end - ram->start + 1, size, sizeof(size)));
		for (size_t s = 0; s < map->n_seg; s++) {
			if (!placed[s] && range_inside(&map->seg[s].range, ram)) {
				print_segment(&map->seg[s]);
				placed[s] = true;
			}
		}
	}
	for (size_t s = 0; s < map->n_seg; s++) {
		if (!placed[s]) {
			printf("  outside usable RAM:\n");
			print_segment(&map->seg[s]);
		}
	}
	printf("  %lu pages set at the handover: %lu already in place, %lu copied (%s)\n",
	       map->pages, map->in_place, map->copied,
	       human_size((unsigned long long)map->copied * getpagesize(), size,
			  sizeof(size)));
}

/* "<what>: <the map>", or -1 after saying why there is none. */
static int show_segment_map(const char *path, const char *what)
{
	struct segment_map map;

	if (read_segment_map(path, &map) < 0)
		return -1;
	printf("%s: ", what);
	print_segment_map(&map);
	return 0;
}

/*
 * kexec -S: like kexec-tools, which exits with what the kexec_loaded file
 * reads (1 loaded, 0 not, 255 when it cannot tell), never loads or unloads.
 */
static int show_status(void)
{
	FILE *file = fopen(KEXEC_LOADED, "r");
	int c = file ? fgetc(file) : EOF;

	if (file)
		fclose(file);
	if (c != '0' && c != '1') {
		fail("%s: cannot read: %s", KEXEC_LOADED,
		     file ? "neither 0 nor 1" : strerror(errno));
		return 255;
	}
	if (c == '0') {
		puts("no image is loaded");
		return 0;
	}
	if (show_segment_map(SEGMENTS_FILE, "loaded") < 0)
		puts("an image is loaded");
	return 1;
}

static int load_image(const struct request *rq)
{
	int kernel_fd = -1, initrd_fd = -1, status = -1;
	char *cmdline = build_cmdline(rq);
	unsigned long flags = rq->format;
	const char *what = rq->dry_run ? "dry run: cannot load" : "cannot load";
	size_t cmdline_len;

	if (!cmdline || check_cmdline_length(cmdline) < 0)
		goto out;
	kernel_fd = open_regular_file(rq->kernel, "kernel");
	if (kernel_fd < 0)
		goto out;
	if (rq->initrd) {
		initrd_fd = open_regular_file(rq->initrd, "initrd");
		if (initrd_fd < 0)
			goto out;
	}
	cmdline_len = *cmdline ? strlen(cmdline) + 1 : 0;
	/* Only --append: a packed image keeps its own command line. */
	if (rq->n_cmdline_pieces && !rq->replace_cmdline)
		flags |= KEXEC_BOOT_CMDLINE_APPEND;
	if (rq->dry_run)
		flags |= KEXEC_BOOT_DRY_RUN;
	debug("command line \"%s\", cmdline_len %zu, flags %#lx", cmdline,
	      cmdline_len, flags);
	if (initrd_fd < 0)
		flags |= KEXEC_BOOT_NO_INITRAMFS;
	if (kexec_boot_load(kernel_fd, initrd_fd, cmdline_len,
			    cmdline_len ? cmdline : NULL, flags) < 0) {
		report_refusal(errno, "%s %s", what, rq->kernel);
		goto out;
	}
	if (rq->dry_run) {
		if (show_segment_map(DRY_RUN_FILE, rq->kernel) < 0)
			fail("%s: the kernel accepted it, but its map cannot be shown",
			     rq->kernel);
		status = 0;
		printf("nothing was loaded: %s\n", image_is_loaded() ?
		       "the image loaded before stays loaded" :
		       "no image is loaded");
		goto out;
	}
	debug("%s loaded", rq->kernel);
	status = 0;
out:
	if (initrd_fd >= 0)
		close(initrd_fd);
	if (kernel_fd >= 0)
		close(kernel_fd);
	free(cmdline);
	return status;
}

static int unload_image(void)
{
	if (kexec_boot_load(-1, -1, 0, NULL, KEXEC_BOOT_UNLOAD) < 0)
		return report_refusal(errno, "cannot unload");
	debug("unloaded");
	return 0;
}

/* Does not return on success. */
static int boot_loaded_image(void)
{
	if (!image_is_loaded())
		return fail("no image is loaded (or this kernel has no kexec support)");
	debug("sync(), then reboot(LINUX_REBOOT_CMD_KEXEC)");
	sync();
	reboot(LINUX_REBOOT_CMD_KEXEC);
	return fail("cannot boot the loaded image: %s", explain_errno(errno));
}

static void print_help(void)
{
	puts("Usage: kexec -l FILE [--initrd=FILE] [--command-line=STR] [--reuse-cmdline] [--dry-run]\n"
	     "       kexec -e | -u | -S\n"
	     "       kexec FILE [--initrd=FILE] [--command-line=STR] [--reuse-cmdline]\n"
	     "Load a kernel with kexec_boot_load(2); the next reboot, or kexec -e,\n"
	     "starts it without going through the firmware.  FILE given without -l is\n"
	     "loaded and booted at once.  FILE is a bzImage, a vmlinux, a multiboot\n"
	     "kernel, an arm64 Image or Image.gz, any other ELF executable, or a\n"
	     "packed image made by\n"
	     "kexec-pack(8), which brings its own initrd and command line.\n"
	     "\n"
	     "Options:");
	for (size_t i = 0; i < ARRAY_SIZE(option_specs); i++)
		if (!option_specs[i].refusal)
			printf("  %-26s %s\n", option_specs[i].usage,
			       option_specs[i].help);
	puts("\n"
	     "Example (load, then restart into it):\n"
	     "  kexec -l /boot/vmlinux --initrd=/boot/initrd.gz \\\n"
	     "        --command-line=\"console=ttyS0 root=/dev/sda1\" && reboot\n"
	     "Where would it land?  The same with --dry-run prints each segment in\n"
	     "the RAM map and loads nothing; kexec -S prints the loaded image's map.");
}

/* The getopt_long() tables, both derived from option_specs. */
static void build_getopt_tables(struct option *longopts, char *shortopts)
{
	for (size_t i = 0; i < ARRAY_SIZE(option_specs); i++) {
		const struct option *opt = &option_specs[i].opt;

		longopts[i] = *opt;
		if (opt->val >= OPT_LONG_ONLY)
			continue;
		*shortopts++ = (char)opt->val;
		if (opt->has_arg != no_argument)
			*shortopts++ = ':';
		if (opt->has_arg == optional_argument)
			*shortopts++ = ':';
	}
	*shortopts = '\0';
}

/* The spec getopt_long() matched, or NULL for its '?' (error already printed). */
static const struct option_spec *matched_spec(int c, int longindex)
{
	if (longindex >= 0)
		return &option_specs[longindex];
	for (size_t i = 0; i < ARRAY_SIZE(option_specs); i++)
		if (option_specs[i].opt.val == c)
			return &option_specs[i];
	return NULL;
}

static int set_action(struct request *rq, unsigned int action)
{
	if (rq->actions && rq->actions != action) {
		fail("--load, --exec and --unload exclude each other");
		return try_help();
	}
	rq->actions = action;
	return 0;
}

static int set_kernel(struct request *rq, const char *file)
{
	if (rq->kernel) {
		fail("more than one kernel FILE given: %s and %s", rq->kernel, file);
		return try_help();
	}
	rq->kernel = file;
	return 0;
}

static int set_format(struct request *rq, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(format_names); i++) {
		if (!strcmp(name, format_names[i].name)) {
			rq->format = format_names[i].format;
			return 0;
		}
	}
	fail("unknown --type '%s' (known: bzImage, vmlinux, multiboot, Image, elf)", name);
	return try_help();
}

static int apply_option(struct request *rq, const struct option_spec *spec,
			const char *arg)
{
	if (spec->refusal)
		return fail("--%s is not supported (%s)", spec->opt.name,
			    spec->refusal);
	switch (spec->opt.val) {
	case 'l':
		if (set_action(rq, ACTION_LOAD) < 0)
			return -1;
		return arg ? set_kernel(rq, arg) : 0;
	case 'e':
		return set_action(rq, ACTION_EXEC);
	case 'u':
		return set_action(rq, ACTION_UNLOAD);
	case OPT_DRY_RUN:
		rq->dry_run = true;
		return 0;
	case 'S':
		rq->status = true;
		return 0;
	case OPT_INITRD:
		if (rq->initrd) {
			fail("more than one --initrd given");
			return try_help();
		}
		rq->initrd = arg;
		return 0;
	case OPT_CMDLINE:
		rq->replace_cmdline = true;
		rq->cmdline_pieces[rq->n_cmdline_pieces++] = arg;
		return 0;
	case OPT_APPEND:
		rq->cmdline_pieces[rq->n_cmdline_pieces++] = arg;
		return 0;
	case OPT_REUSE_CMDLINE:
		rq->reuse_cmdline = true;
		rq->replace_cmdline = true;
		return 0;
	case 't':
		return set_format(rq, arg);
	case 'd':
		debug_enabled = true;
		return 0;
	case 'h':
		print_help();
		exit(EXIT_SUCCESS);
	case 'v':
		puts(VERSION_TEXT);
		exit(EXIT_SUCCESS);
	default: /* 's', 'a': there is only one system call */
		return 0;
	}
}

/* Check that the options make one coherent request; FILE alone means load and exec. */
static int check_request(struct request *rq)
{
	bool load_options = rq->kernel || rq->initrd || rq->n_cmdline_pieces ||
			    rq->reuse_cmdline || rq->format;

	if (rq->status)
		return 0;	/* as in kexec-tools: -S overrides the rest */
	if (!rq->actions)
		rq->actions = rq->dry_run ? ACTION_LOAD : ACTION_LOAD | ACTION_EXEC;
	if (rq->dry_run && rq->actions != ACTION_LOAD) {
		fail("--dry-run goes with -l only: it loads nothing to boot or unload");
		return try_help();
	}
	if ((rq->actions & ACTION_LOAD) && !rq->kernel) {
		fail("no kernel FILE given");
		return try_help();
	}
	if (!(rq->actions & ACTION_LOAD) && load_options) {
		fail("%s takes no kernel FILE, --initrd or command line option",
		     rq->actions == ACTION_EXEC ? "--exec" : "--unload");
		return try_help();
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct request *rq)
{
	struct option longopts[ARRAY_SIZE(option_specs) + 1] = { 0 };
	char shortopts[3 * ARRAY_SIZE(option_specs) + 1];

	build_getopt_tables(longopts, shortopts);
	rq->cmdline_pieces = xrealloc(NULL, (size_t)argc * sizeof(*rq->cmdline_pieces));
	for (;;) {
		int longindex = -1;
		int c = getopt_long(argc, argv, shortopts, longopts, &longindex);
		const struct option_spec *spec;

		if (c == -1)
			break;
		spec = matched_spec(c, longindex);
		if (!spec)
			return try_help();
		if (apply_option(rq, spec, optarg) < 0)
			return -1;
	}
	for (int i = optind; i < argc; i++)
		if (set_kernel(rq, argv[i]) < 0)
			return -1;
	return check_request(rq);
}

int main(int argc, char **argv)
{
	struct request rq = { 0 };
	int status = 0;

	if (parse_args(argc, argv, &rq) < 0)
		return EXIT_FAILURE;
	if (rq.status) {
		status = show_status();
		free(rq.cmdline_pieces);
		return status;
	}
	if (rq.actions & ACTION_UNLOAD)
		status = unload_image();
	if (rq.actions & ACTION_LOAD)
		status = load_image(&rq);
	if (status == 0 && (rq.actions & ACTION_EXEC))
		status = boot_loaded_image();
	free(rq.cmdline_pieces);
	return status == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
