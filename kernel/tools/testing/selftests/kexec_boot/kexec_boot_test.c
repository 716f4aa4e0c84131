// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot_load(2) contract tests.
 *
 * Each test checks one promise of the system call's documentation
 * (Documentation/userspace-api/kexec_boot_load.rst): the errno of every
 * refusal, that a refused call changes nothing, and that
 * /sys/kernel/kexec_loaded follows loads and unloads, and that a dry run
 * (KEXEC_BOOT_DRY_RUN) loads nothing and shows its segment map in
 * /sys/kernel/kexec_boot/dry_run.  Every call that
 * must fail gets valid arguments except the one under test, so the errno
 * can only come from that argument, whatever order the kernel checks in.
 *
 * The tests need CAP_SYS_BOOT.  They load a real image, taken from
 * $KEXEC_BOOT_IMAGE, /boot/vmlinux, /boot/Image (arm64),
 * /boot/vmlinuz-$(uname -r) or /boot/bzImage (tests that need one are
 * skipped when none is there), and
 * leave nothing loaded: whatever was loaded before is unloaded.
 *
 * load_disabled sets the one-way kernel.kexec_boot_load_disabled sysctl, so
 * it runs only when KEXEC_BOOT_TEST_DISABLE=1 is set, best as the last
 * thing in a boot: kexec_boot_test -t load_disabled.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/kexec_boot.h>
#include <linux/reboot.h>

#include "../kselftest_harness.h"

#define KEXEC_LOADED	"/sys/kernel/kexec_loaded"
#define LOAD_DISABLED	"/proc/sys/kernel/kexec_boot_load_disabled"
#define SEGMENTS	"/sys/kernel/kexec_boot/segments"
#define DRY_RUN		"/sys/kernel/kexec_boot/dry_run"
#define SYSCALL_NR	"/sys/kernel/kexec_boot/syscall"
#define TEST_CMDLINE	"console=ttyS0 kexec_boot_selftest"
#define NOT_AN_IMAGE	"This text is not a kernel image.\n"
/* A format id inside KEXEC_BOOT_FORMAT_MASK that no kernel defines. */
#define UNKNOWN_FORMAT	KEXEC_BOOT_FORMAT_MASK
/* The lowest flag bit this kernel does not know. */
#define UNKNOWN_FLAG	(~KEXEC_BOOT_FLAGS_ALL & -~KEXEC_BOOT_FLAGS_ALL)
#define NOBODY		65534

#ifndef __NR_kexec_boot_load
/* Headers without the call: every test skips. */
#define __NR_kexec_boot_load	-1
#endif

static long sys_kexec_boot_load(int kernel_fd, int initrd_fd,
				const char *cmdline, unsigned long cmdline_len,
				unsigned long flags)
{
	/* kexec_file_load()'s argument order. */
	return syscall(__NR_kexec_boot_load, kernel_fd, initrd_fd, cmdline_len,
		       cmdline, flags);
}

/* Load with the test command line; -errno on failure. */
static long try_load(int kernel_fd, int initrd_fd, unsigned long flags)
{
	if (sys_kexec_boot_load(kernel_fd, initrd_fd, TEST_CMDLINE,
				sizeof(TEST_CMDLINE), flags))
		return -errno;
	return 0;
}

static long try_unload(void)
{
	if (sys_kexec_boot_load(-1, -1, NULL, 0, KEXEC_BOOT_UNLOAD))
		return -errno;
	return 0;
}

/* What /sys/kernel/kexec_loaded reads: 0, 1, or -1 if it cannot be read. */
static int kexec_loaded(void)
{
	char c = 0;
	int fd, n;

	fd = open(KEXEC_LOADED, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, &c, 1);
	close(fd);
	if (n != 1 || (c != '0' && c != '1'))
		return -1;
	return c - '0';
}

/* The image the tests load, opened read-only; -1 if there is none. */
static int open_image(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("KEXEC_BOOT_IMAGE");
	struct utsname uts;
	int fd;

	if (env)
		return open(env, O_RDONLY);
	fd = open("/boot/vmlinux", O_RDONLY);
	if (fd >= 0)
		return fd;
	fd = open("/boot/Image", O_RDONLY);
	if (fd >= 0)
		return fd;
	if (!uname(&uts)) {
		snprintf(path, sizeof(path), "/boot/vmlinuz-%s", uts.release);
		fd = open(path, O_RDONLY);
		if (fd >= 0)
			return fd;
	}
	return open("/boot/bzImage", O_RDONLY);
}

FIXTURE(kexec_boot) {
	int image;
};

/* The errno of a system call number that no kernel has. */
static int no_such_call_errno(void)
{
	syscall(-1);
	return errno;
}

/*
 * An unknown flag changes nothing: it tells whether the kernel has the call
 * at all, and whether we may use it.
 */
FIXTURE_SETUP(kexec_boot)
{
	int nosys = no_such_call_errno();

	self->image = -1;
	if (sys_kexec_boot_load(-1, -1, NULL, 0, UNKNOWN_FLAG)) {
		if (errno == nosys)
			SKIP(return, "this kernel has no kexec_boot_load()");
		if (errno == EPERM && geteuid())
			SKIP(return, "needs CAP_SYS_BOOT: run as root");
	}
	self->image = open_image();
}

FIXTURE_TEARDOWN(kexec_boot)
{
	if (self->image >= 0)
		close(self->image);
}

#define NO_IMAGE	"no image to load: set KEXEC_BOOT_IMAGE"

/* A read-only fd of a new regular file holding @len bytes of @data. */
static int temp_file(const void *data, size_t len)
{
	char path[] = "/tmp/kexec_boot_test.XXXXXX";
	int fd, ro;

	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return -1;
	}
	/* kernel_read_file() refuses a file that is open for writing. */
	close(fd);
	ro = open(path, O_RDONLY);
	unlink(path);
	return ro;
}

static int text_file(void)
{
	return temp_file(NOT_AN_IMAGE, strlen(NOT_AN_IMAGE));
}

/* Drops CAP_SYS_BOOT from the effective and permitted sets. */
static int drop_cap_sys_boot(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	int i = CAP_TO_INDEX(CAP_SYS_BOOT);

	if (syscall(__NR_capget, &hdr, data))
		return -1;
	data[i].effective &= ~CAP_TO_MASK(CAP_SYS_BOOT);
	data[i].permitted &= ~CAP_TO_MASK(CAP_SYS_BOOT);
	if (syscall(__NR_capset, &hdr, data))
		return -1;
	if (syscall(__NR_capget, &hdr, data))
		return -1;
	return data[i].effective & CAP_TO_MASK(CAP_SYS_BOOT) ? -1 : 0;
}

TEST_F(kexec_boot, unload_when_nothing_is_loaded)
{
	ASSERT_EQ(0, try_unload());
	/* Now nothing is loaded for sure. */
	ASSERT_EQ(0, try_unload());
	ASSERT_EQ(0, kexec_loaded());
}

TEST_F(kexec_boot, unknown_flags)
{
	unsigned int bit;

	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	for (bit = 0; bit < sizeof(unsigned long) * 8; bit++) {
		if (KEXEC_BOOT_FLAGS_ALL & (1UL << bit))
			continue;
		EXPECT_EQ(-EINVAL, try_load(self->image, -1, 1UL << bit)) {
			TH_LOG("flags %#lx", 1UL << bit);
		}
	}
	EXPECT_EQ(0, kexec_loaded());
}

TEST_F(kexec_boot, unknown_format)
{
	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	EXPECT_EQ(-EINVAL, try_load(self->image, -1, UNKNOWN_FORMAT));
	EXPECT_EQ(0, kexec_loaded());
}

TEST_F(kexec_boot, bad_kernel_fd)
{
	int closed, wronly, path;

	closed = dup(0);
	ASSERT_LE(0, closed);
	close(closed);
	wronly = open("/dev/null", O_WRONLY);
	ASSERT_LE(0, wronly);
	path = open("/", O_PATH);
	ASSERT_LE(0, path);

	EXPECT_EQ(-EBADF, try_load(-1, -1, 0));
	EXPECT_EQ(-EBADF, try_load(closed, -1, 0));
	EXPECT_EQ(-EBADF, try_load(wronly, -1, 0));
	EXPECT_EQ(-EBADF, try_load(path, -1, 0));
	EXPECT_EQ(0, kexec_loaded());
	close(path);
	close(wronly);
}

TEST_F(kexec_boot, bad_initrd_fd)
{
	int closed, wronly;

	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	closed = dup(0);
	ASSERT_LE(0, closed);
	close(closed);
	wronly = open("/dev/null", O_WRONLY);
	ASSERT_LE(0, wronly);

	EXPECT_EQ(-EBADF, try_load(self->image, closed, 0));
	EXPECT_EQ(-EBADF, try_load(self->image, wronly, 0));
	EXPECT_EQ(0, kexec_loaded());
	close(wronly);
}

TEST_F(kexec_boot, not_a_regular_file)
{
	int dir, pipefd[2];

	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	dir = open("/", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dir);
	ASSERT_EQ(0, pipe(pipefd));

	EXPECT_EQ(-EINVAL, try_load(dir, -1, 0));
	EXPECT_EQ(-EINVAL, try_load(pipefd[0], -1, 0));
	EXPECT_EQ(-EINVAL, try_load(self->image, dir, 0));
	EXPECT_EQ(-EINVAL, try_load(self->image, pipefd[0], 0));
	EXPECT_EQ(0, kexec_loaded());
	close(pipefd[0]);
	close(pipefd[1]);
	close(dir);
}

TEST_F(kexec_boot, empty_file)
{
	int empty, proc;

	empty = temp_file("", 0);
	ASSERT_LE(0, empty);
	/* A procfs file is regular but has no size. */
	proc = open("/proc/version", O_RDONLY);

	EXPECT_EQ(-EINVAL, try_load(empty, -1, 0));
	if (proc >= 0) {
		EXPECT_EQ(-EINVAL, try_load(proc, -1, 0));
		close(proc);
	}
	EXPECT_EQ(0, kexec_loaded());
	close(empty);
}

TEST_F(kexec_boot, file_open_for_writing)
{
	char path[] = "/tmp/kexec_boot_test.XXXXXX";
	int writer, reader;

	writer = mkstemp(path);
	ASSERT_LE(0, writer);
	ASSERT_EQ((ssize_t)strlen(NOT_AN_IMAGE),
		  write(writer, NOT_AN_IMAGE, strlen(NOT_AN_IMAGE)));
	reader = open(path, O_RDONLY);
	unlink(path);
	ASSERT_LE(0, reader);

	EXPECT_EQ(-ETXTBSY, try_load(reader, -1, 0));
	EXPECT_EQ(0, kexec_loaded());
	close(reader);
	close(writer);
}

TEST_F(kexec_boot, not_an_image)
{
	/* The formats this machine knows: any other is -EINVAL. */
	static const unsigned long formats[] = {
		0, KEXEC_BOOT_FORMAT_ELF,
#ifdef __aarch64__
		KEXEC_BOOT_FORMAT_IMAGE,
#else
		KEXEC_BOOT_FORMAT_BZIMAGE, KEXEC_BOOT_FORMAT_MULTIBOOT,
#ifdef KEXEC_BOOT_FORMAT_VMLINUX
		KEXEC_BOOT_FORMAT_VMLINUX,
#endif
#endif
	};
	unsigned int i;
	int fd;

	fd = text_file();
	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		EXPECT_EQ(-ENOEXEC, try_load(fd, -1, formats[i])) {
			TH_LOG("format %#lx", formats[i]);
		}
	}
	EXPECT_EQ(0, kexec_loaded());
	close(fd);
}

TEST_F(kexec_boot, cmdline_too_long)
{
	static char line[2 * KEXEC_BOOT_CMDLINE_MAX];

	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	memset(line, 'x', sizeof(line));
	line[KEXEC_BOOT_CMDLINE_MAX] = '\0';
	line[sizeof(line) - 1] = '\0';

	/* The NUL counts: one byte over the limit. */
	errno = 0;
	EXPECT_EQ(-1, sys_kexec_boot_load(self->image, -1, line,
					  KEXEC_BOOT_CMDLINE_MAX + 1, 0));
	EXPECT_EQ(E2BIG, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_kexec_boot_load(self->image, -1, line, sizeof(line),
					  0));
	EXPECT_EQ(E2BIG, errno);
	/* Huge lengths are refused before any copy. */
	errno = 0;
	EXPECT_EQ(-1, sys_kexec_boot_load(self->image, -1, line, ULONG_MAX, 0));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(0, kexec_loaded());
}

TEST_F(kexec_boot, cmdline_not_nul_terminated)
{
	static const char embedded[] = "abc\0def";

	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	errno = 0;
	EXPECT_EQ(-1, sys_kexec_boot_load(self->image, -1, "abc", 3, 0));
	EXPECT_EQ(EINVAL, errno);
	/* The last byte counted must be the NUL. */
	errno = 0;
	EXPECT_EQ(-1, sys_kexec_boot_load(self->image, -1, embedded,
					  sizeof(embedded) - 1, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, kexec_loaded());
}

TEST_F(kexec_boot, cmdline_bad_address)
{
	char *page;

	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	page = mmap(NULL, getpagesize(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	ASSERT_EQ(0, page == MAP_FAILED);

	errno = 0;
	EXPECT_EQ(-1, sys_kexec_boot_load(self->image, -1, page, 16, 0));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_kexec_boot_load(self->image, -1, NULL, 16, 0));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, kexec_loaded());
	munmap(page, getpagesize());
}

TEST_F(kexec_boot, without_cap_sys_boot)
{
	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	/* Each test runs in a child of its own: only it loses the capability. */
	ASSERT_EQ(0, drop_cap_sys_boot());

	EXPECT_EQ(-EPERM, try_load(self->image, -1, 0));
	EXPECT_EQ(-EPERM, try_load(self->image, -1, KEXEC_BOOT_DRY_RUN));
	EXPECT_EQ(-EPERM, try_unload());
	EXPECT_EQ(0, kexec_loaded());
}

TEST_F(kexec_boot, as_nobody)
{
	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	/* Changing all uids away from 0 clears every capability. */
	ASSERT_EQ(0, setresuid(NOBODY, NOBODY, NOBODY));

	EXPECT_EQ(-EPERM, try_load(self->image, -1, 0));
	EXPECT_EQ(-EPERM, try_unload());
	EXPECT_EQ(0, kexec_loaded());
}

/* The number userspace reads before it calls anything. */
TEST_F(kexec_boot, syscall_number_in_sysfs)
{
	FILE *f = fopen(SYSCALL_NR, "r");
	long nr = -1;

	ASSERT_NE(NULL, f);
	EXPECT_EQ(1, fscanf(f, "%ld", &nr));
	fclose(f);
	EXPECT_EQ(__NR_kexec_boot_load, nr);
}

/* Crash kernels are mainline's: the kexec_file_load flag is refused. */
TEST_F(kexec_boot, on_crash_refused)
{
	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	EXPECT_EQ(-EINVAL, try_load(self->image, -1, KEXEC_BOOT_ON_CRASH));
	EXPECT_EQ(0, kexec_loaded());
}

/* KEXEC_FILE_NO_INITRAMFS: the initrd descriptor is not even looked at. */
TEST_F(kexec_boot, no_initramfs_ignores_the_initrd_fd)
{
	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	EXPECT_EQ(-EBADF, try_load(self->image, 1000, 0));
	EXPECT_EQ(0, try_load(self->image, 1000, KEXEC_BOOT_NO_INITRAMFS));
	EXPECT_EQ(1, kexec_loaded());
}

#ifdef __NR_kexec_file_load
/*
 * Without mainline's KEXEC_FILE, kexec_file_load() is kexec_boot_load():
 * the call existing tools make loads and unloads through it.
 */
TEST_F(kexec_boot, kexec_file_load_reaches_kexec_boot)
{
	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	ASSERT_EQ(0, syscall(__NR_kexec_file_load, self->image, -1,
			     sizeof(TEST_CMDLINE), TEST_CMDLINE,
			     KEXEC_BOOT_NO_INITRAMFS));
	EXPECT_EQ(1, kexec_loaded());
	EXPECT_EQ(0, syscall(__NR_kexec_file_load, -1, -1, 0, NULL,
			     KEXEC_BOOT_UNLOAD));
	EXPECT_EQ(0, kexec_loaded());
}
#endif

TEST_F(kexec_boot, load)
{
	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	ASSERT_EQ(0, try_load(self->image, -1, 0));
	EXPECT_EQ(1, kexec_loaded());
}

TEST_F(kexec_boot, refused_load_keeps_the_image)
{
	int bad;

	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	bad = text_file();
	ASSERT_LE(0, bad);
	if (kexec_loaded() != 1)
		ASSERT_EQ(0, try_load(self->image, -1, 0));

	EXPECT_EQ(-ENOEXEC, try_load(bad, -1, 0));
	EXPECT_EQ(1, kexec_loaded());
	EXPECT_EQ(-EBADF, try_load(-1, -1, 0));
	EXPECT_EQ(1, kexec_loaded());
	/* An unknown flag makes even an unload fail, and do nothing. */
	EXPECT_EQ(-EINVAL, try_load(-1, -1, KEXEC_BOOT_UNLOAD | UNKNOWN_FLAG));
	EXPECT_EQ(1, kexec_loaded());
	close(bad);
}

TEST_F(kexec_boot, replace_the_image)
{
	int initrd;

	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	/* Any regular file serves as an initrd. */
	initrd = text_file();
	ASSERT_LE(0, initrd);

	EXPECT_EQ(0, try_load(self->image, initrd, 0));
	EXPECT_EQ(1, kexec_loaded());
	EXPECT_EQ(0, try_load(self->image, -1, 0));
	EXPECT_EQ(1, kexec_loaded());
	close(initrd);
}

TEST_F(kexec_boot, cmdline_limits)
{
	static char line[KEXEC_BOOT_CMDLINE_MAX];

	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';

	/* The longest line, NUL included. */
	EXPECT_EQ(0, sys_kexec_boot_load(self->image, -1, line, sizeof(line),
					 0));
	EXPECT_EQ(1, kexec_loaded());
	/* cmdline_len 0: an empty command line, cmdline is not read. */
	EXPECT_EQ(0, sys_kexec_boot_load(self->image, -1, NULL, 0, 0));
	EXPECT_EQ(1, kexec_loaded());
}

TEST_F(kexec_boot, unload)
{
	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	if (kexec_loaded() != 1)
		ASSERT_EQ(0, try_load(self->image, -1, 0));

	EXPECT_EQ(0, try_unload());
	EXPECT_EQ(0, kexec_loaded());
	/* The other arguments of an unload are ignored. */
	ASSERT_EQ(0, try_load(self->image, -1, 0));
	EXPECT_EQ(0, sys_kexec_boot_load(self->image, self->image, "x", 1,
					 KEXEC_BOOT_UNLOAD));
	EXPECT_EQ(0, kexec_loaded());
}

/* The text of a sysfs file, NUL-terminated; its length, or -1. */
static ssize_t read_text(const char *path, char *buf, size_t size)
{
	ssize_t n, len = 0;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		return -1;
	buf[len] = '\0';
	return len;
}

/* A segment map: "format NAME" first, a "segment" and a "pages" line. */
static int is_segment_map(const char *map)
{
	return !strncmp(map, "format ", 7) && strstr(map, "\nsegment 0x") &&
	       strstr(map, "\npages ");
}

static int has_cmdline_len(const char *map, size_t len)
{
	char line[32];

	snprintf(line, sizeof(line), "\ncmdline_len %zu\n", len);
	return !!strstr(map, line);
}

TEST_F(kexec_boot, dry_run_loads_nothing)
{
	static char map[16384], segments[16384];

	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	if (access(DRY_RUN, F_OK))
		SKIP(return, "no " DRY_RUN);
	ASSERT_EQ(0, try_unload());

	EXPECT_EQ(0, try_load(self->image, -1, KEXEC_BOOT_DRY_RUN));
	EXPECT_EQ(0, kexec_loaded());
	ASSERT_LT(0, read_text(DRY_RUN, map, sizeof(map)));
	EXPECT_TRUE(is_segment_map(map)) {
		TH_LOG("%s reads: %s", DRY_RUN, map);
	}
	EXPECT_EQ(0, read_text(SEGMENTS, segments, sizeof(segments)));
	/* The command line is counted as for a load: NUL included. */
	EXPECT_TRUE(has_cmdline_len(map, sizeof(TEST_CMDLINE)));
}

TEST_F(kexec_boot, dry_run_keeps_the_loaded_image)
{
	static char before[16384], after[16384], map[16384];
	int bad;

	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	if (access(DRY_RUN, F_OK))
		SKIP(return, "no " DRY_RUN);
	bad = text_file();
	ASSERT_LE(0, bad);
	ASSERT_EQ(0, sys_kexec_boot_load(self->image, -1, NULL, 0, 0));
	ASSERT_LT(0, read_text(SEGMENTS, before, sizeof(before)));
	EXPECT_TRUE(is_segment_map(before));
	/* No command line: an empty one, its NUL. */
	EXPECT_TRUE(has_cmdline_len(before, 1));

	EXPECT_EQ(0, try_load(self->image, -1, KEXEC_BOOT_DRY_RUN));
	EXPECT_EQ(1, kexec_loaded());
	ASSERT_LT(0, read_text(SEGMENTS, after, sizeof(after)));
	EXPECT_STREQ(before, after);
	ASSERT_LT(0, read_text(DRY_RUN, map, sizeof(map)));
	EXPECT_TRUE(has_cmdline_len(map, sizeof(TEST_CMDLINE)));
	/* A refused dry run changes neither map. */
	EXPECT_EQ(-ENOEXEC, try_load(bad, -1, KEXEC_BOOT_DRY_RUN));
	EXPECT_EQ(1, kexec_loaded());
	ASSERT_LT(0, read_text(DRY_RUN, after, sizeof(after)));
	EXPECT_STREQ(map, after);
	ASSERT_LT(0, read_text(SEGMENTS, after, sizeof(after)));
	EXPECT_STREQ(before, after);
	/* Unloading empties the loaded map. */
	EXPECT_EQ(0, try_unload());
	EXPECT_EQ(0, read_text(SEGMENTS, after, sizeof(after)));
	close(bad);
}

TEST_F(kexec_boot, dry_run_cannot_unload)
{
	if (self->image < 0)
		SKIP(return, NO_IMAGE);
	if (kexec_loaded() != 1)
		ASSERT_EQ(0, try_load(self->image, -1, 0));

	EXPECT_EQ(-EINVAL, try_load(self->image, -1,
				    KEXEC_BOOT_DRY_RUN | KEXEC_BOOT_UNLOAD));
	EXPECT_EQ(-EINVAL, try_load(-1, -1,
				    KEXEC_BOOT_DRY_RUN | KEXEC_BOOT_UNLOAD));
	EXPECT_EQ(1, kexec_loaded());
}

TEST_F(kexec_boot, reboot_kexec_with_nothing_loaded)
{
	ASSERT_EQ(0, try_unload());
	/* With an image loaded the call below would boot it: make sure. */
	ASSERT_EQ(0, kexec_loaded());

	errno = 0;
	EXPECT_EQ(-1, syscall(__NR_reboot, LINUX_REBOOT_MAGIC1,
			      LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_KEXEC, NULL));
	EXPECT_EQ(EINVAL, errno);
}

static int read_sysctl(const char *path)
{
	char buf[16] = "";
	int fd, n;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoi(buf) : -1;
}

static int write_sysctl(const char *path, const char *value)
{
	int fd, ret;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write(fd, value, strlen(value)) == (ssize_t)strlen(value) ? 0 : -1;
	close(fd);
	return ret;
}

TEST_F(kexec_boot, load_disabled)
{
	const char *allow = getenv("KEXEC_BOOT_TEST_DISABLE");

	if (access(LOAD_DISABLED, F_OK))
		SKIP(return, "no kernel.kexec_boot_load_disabled sysctl");
	if (!allow || strcmp(allow, "1"))
		SKIP(return, "one-way: set KEXEC_BOOT_TEST_DISABLE=1 to run it");
	if (self->image < 0)
		SKIP(return, NO_IMAGE);

	ASSERT_EQ(0, try_load(self->image, -1, 0));
	ASSERT_EQ(0, write_sysctl(LOAD_DISABLED, "1"));
	EXPECT_EQ(1, read_sysctl(LOAD_DISABLED));
	EXPECT_EQ(-EPERM, try_load(self->image, -1, 0));
	EXPECT_EQ(-EPERM, try_load(self->image, -1, KEXEC_BOOT_DRY_RUN));
	/* The image loaded before stays loaded, and so does the setting. */
	EXPECT_EQ(1, kexec_loaded());
	EXPECT_NE(0, write_sysctl(LOAD_DISABLED, "0"));
	EXPECT_EQ(1, read_sysctl(LOAD_DISABLED));
	/* Unloading stays possible; loading again does not. */
	EXPECT_EQ(0, try_unload());
	EXPECT_EQ(0, kexec_loaded());
	EXPECT_EQ(-EPERM, try_load(self->image, -1, 0));
	EXPECT_EQ(0, kexec_loaded());
}

TEST_HARNESS_MAIN
