// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot: load a kernel image from a file and boot it at the next
 * restart, without going back through the firmware.
 *
 * This file owns the generic part's interface and the image's lifetime:
 * the kexec_boot_load() system call, the command line, the choice of
 * format and the layout, the one loaded image and its lock (and whether
 * one is loaded, for /sys/kernel/kexec_loaded in kernel/ksysfs.c), the
 * segment maps in /sys/kernel/kexec_boot/ (written by
 * kexec_boot_report.c), the sysctls
 * kernel.kexec_boot_load_disabled (one-way) and
 * kernel.kexec_boot_on_restart, and the reboot path that boots the image
 * (reboot(2) calls it).
 *
 * Reading the files is in kexec_boot_read.c; the pages that hold the
 * segments until the handover, the in-place claims and the copy list the
 * machine part's stub walks are in kexec_boot_pages.c.  Nothing after the
 * point of no return allocates or can fail.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/capability.h>
#include <linux/cpu.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kexec.h>
#include <linux/kexec_boot.h>
#include <linux/kmsg_dump.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/reboot.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/sysctl.h>
#include <linux/syscore_ops.h>
#include <linux/sysfs.h>
#include <uapi/linux/kexec_boot.h>
#include <asm/kexec_boot.h>
#include <asm/unistd.h>

#include "kexec_boot_pages.h"
#include "kexec_boot_read.h"

/*
 * Serializes install, unload and the reboot's decision to boot the image;
 * guards kexec_boot_current and kexec_boot_latched.
 */
static DEFINE_MUTEX(kexec_boot_mutex);
/* One load at a time: a second one fails with -EBUSY (mutex_trylock()). */
static DEFINE_MUTEX(kexec_boot_load_mutex);
static struct kexec_boot_image *kexec_boot_current;
/*
 * Set once, under kexec_boot_mutex, when a reboot takes kexec_boot_current
 * to boot it: from then on the image cannot be replaced or unloaded.
 */
static bool kexec_boot_latched;
/* Set to 1 through sysctl, loads are refused until the next boot. */
static int kexec_boot_load_disabled;
/* 1: reboot(LINUX_REBOOT_CMD_RESTART) boots the loaded image (sysctl). */
static int kexec_boot_on_restart = 1;

#ifndef CONFIG_KEXEC_CORE
/*
 * True once a reboot is booting a new kernel without the firmware.  What
 * kexec_core defines when it is built; set at the latch, before devices
 * shut down, for the code that must leave the machine fit for the next
 * kernel: PCI devices lose Bus Master, offline CPUs are kicked out of
 * mwait_play_dead(), hypervisor interfaces are torn down.
 */
bool kexec_in_progress;
#endif

static void image_free(struct kexec_boot_image *image)
{
	if (!image)
		return;
	arch_kexec_boot_free(image);
	kexec_boot_free_pages(image);
	kfree(image->format_data);
	kfree(image->cmdline);
	kfree(image->report);
	kvfree(image);
}

static char *read_cmdline(const char __user *cmdline, unsigned long len)
{
	char *line;

	if (len > KEXEC_BOOT_CMDLINE_MAX) {
		pr_err("command line of %lu bytes exceeds %d\n", len,
		       KEXEC_BOOT_CMDLINE_MAX);
		return ERR_PTR(-E2BIG);
	}
	if (!len)
		return kzalloc(1, GFP_KERNEL) ?: ERR_PTR(-ENOMEM);
	line = memdup_user(cmdline, len);
	if (IS_ERR(line)) {
		pr_err("command line at a bad user address\n");
		return line;
	}
	if (line[len - 1]) {
		pr_err("command line is not NUL-terminated within %lu bytes\n",
		       len);
		kfree(line);
		return ERR_PTR(-EINVAL);
	}
	return line;
}

/*
 * The command line the new kernel gets: the caller's, or the one a packed
 * image carries when the caller passes none, or both with
 * KEXEC_BOOT_CMDLINE_APPEND.
 */
static int set_cmdline(struct kexec_boot_image *image, const char *packed,
		       const char __user *cmdline, unsigned long len,
		       unsigned long flags)
{
	char *given = read_cmdline(cmdline, len);
	size_t size;

	if (IS_ERR(given))
		return PTR_ERR(given);
	if (!packed || (*given && !(flags & KEXEC_BOOT_CMDLINE_APPEND))) {
		image->cmdline = given;
		image->cmdline_len = strlen(given) + 1;
		return 0;
	}
	size = strlen(packed) + 1 + strlen(given) + 1;
	if (size > KEXEC_BOOT_CMDLINE_MAX) {
		pr_err("packed command line and the one given make %zu bytes, more than %d\n",
		       size, KEXEC_BOOT_CMDLINE_MAX);
		kfree(given);
		return -E2BIG;
	}
	image->cmdline = kasprintf(GFP_KERNEL, "%s%s%s", packed,
				   *given ? " " : "", given);
	kfree(given);
	if (!image->cmdline)
		return -ENOMEM;
	image->cmdline_len = strlen(image->cmdline) + 1;
	return 0;
}

/*
 * Places the initrd: @buf holds it, or it is read from its file into its
 * pages once they are allocated.
 */
static int place_initrd(struct kexec_boot_image *image,
			const struct kexec_boot_ram *ram, const void *buf,
			u64 size)
{
	struct kexec_boot_where where = {
		.size = size, .data = size, .align = PAGE_SIZE,
		.limit = image->layout.initrd_limit,
	};
	u64 addr;
	int ret;

	if (!kexec_boot_place_in_place(image, ram, &where, &addr)) {
		ret = kexec_boot_place(&image->layout, ram, size, PAGE_SIZE,
				       image->layout.initrd_limit, &addr);
		if (ret)
			return ret;
	}
	ret = kexec_boot_add_segment(&image->layout, buf, size, addr, size);
	if (ret)
		return ret;
	image->initrd_mem = addr;
	image->initrd_size = size;
	/* Keep the segments sorted for list_destinations(). */
	return kexec_boot_check_layout(&image->layout, ram, KEXEC_BOOT_HANDOVER_LIMIT);
}

/* The format @id names, or the first whose probe accepts the file. */
static const struct kexec_boot_format *find_format(const void *buf, u64 len,
						   unsigned long id)
{
	const struct kexec_boot_format *const *format;
	const char *why;

	for (format = kexec_boot_formats; *format; format++) {
		if (id && (*format)->id == id)
			return *format;
		if (!id && !(*format)->probe(buf, len))
			return *format;
	}
	if (id) {
		pr_err("image format %#lx is not known to this kernel\n", id);
		return ERR_PTR(-EINVAL);
	}
	pr_err("not an image this kernel can boot:\n");
	for (format = kexec_boot_formats; *format; format++) {
		why = (*format)->probe(buf, len);
		pr_err("  %s: %s\n", (*format)->name, why);
	}
	return ERR_PTR(-ENOEXEC);
}

static int lay_out(struct kexec_boot_image *image,
		   const struct kexec_boot_parts *parts,
		   unsigned long format_id)
{
	const struct kexec_boot_format *format;
	struct kexec_boot_ram *ram;
	int ret;

	format = find_format(parts->kernel, parts->kernel_size, format_id);
	if (IS_ERR(format))
		return PTR_ERR(format);
	image->format = format;
	ram = kzalloc(sizeof(*ram), GFP_KERNEL);
	if (!ram)
		return -ENOMEM;
	ret = arch_kexec_boot_ram(ram);
	if (ret)
		goto out;
	ret = image->format->load(image, parts->kernel, parts->kernel_size,
				  ram);
	if (ret)
		goto out;
	ret = kexec_boot_check_layout(&image->layout, ram, KEXEC_BOOT_HANDOVER_LIMIT);
	if (ret)
		goto out;
	if (parts->initrd_size)
		ret = place_initrd(image, ram, parts->initrd,
				   parts->initrd_size);
out:
	kfree(ram);
	return ret;
}

static struct kexec_boot_image *image_load(int kernel_fd, int initrd_fd,
					   const char __user *cmdline,
					   unsigned long cmdline_len,
					   unsigned long flags)
{
	struct kexec_boot_files files = { };
	struct kexec_boot_parts parts;
	struct kexec_boot_image *image;
	int ret;

	image = kvzalloc(sizeof(*image), GFP_KERNEL);
	if (!image)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&image->handover);
	INIT_LIST_HEAD(&image->spare);
	INIT_LIST_HEAD(&image->held);

	ret = kexec_boot_read_parts(&files, kernel_fd, initrd_fd, &parts);
	if (ret)
		goto fail;
	ret = set_cmdline(image, parts.cmdline, cmdline, cmdline_len, flags);
	if (ret)
		goto fail;
	ret = lay_out(image, &parts, flags & KEXEC_BOOT_FORMAT_MASK);
	if (ret)
		goto fail;
	ret = kexec_boot_fill_pages(image, &files.kernel);
	if (ret)
		goto fail;
	ret = kexec_boot_read_initrd(image, &files);
	if (ret)
		goto fail;
	ret = arch_kexec_boot_prepare(image);
	if (ret)
		goto fail;
	ret = kexec_boot_build_copy_list(image);
	if (ret)
		goto fail;
	kexec_boot_drop_spares(image);
	kexec_boot_put_files(&files);
	return image;

fail:
	kexec_boot_put_files(&files);
	image_free(image);
	return ERR_PTR(ret);
}

/*
 * Installs @image (NULL unloads) and frees the one it replaces; refused
 * once a reboot has taken the loaded image, and for a load once the
 * one-way sysctl disabled loading, which may have happened while it ran.
 */
static int image_install(struct kexec_boot_image *image)
{
	struct kexec_boot_image *old;

	mutex_lock(&kexec_boot_mutex);
	if (kexec_boot_latched) {
		mutex_unlock(&kexec_boot_mutex);
		pr_err("a reboot is booting the loaded image: it can no longer be replaced or unloaded\n");
		return -EBUSY;
	}
	if (image && kexec_boot_load_disabled) {
		mutex_unlock(&kexec_boot_mutex);
		pr_err("loading was disabled during the load (kernel.kexec_boot_load_disabled)\n");
		return -EPERM;
	}
	old = kexec_boot_current;
	kexec_boot_current = image;
	mutex_unlock(&kexec_boot_mutex);
	image_free(old);
	return 0;
}

/**
 * kexec_boot_loaded - whether an image waits for the next restart
 *
 * Return: true if kexec_boot_load() installed an image.
 */
bool kexec_boot_loaded(void)
{
	return READ_ONCE(kexec_boot_current);
}

/*
 * Takes the loaded image for this reboot: decided under the mutex, so a
 * load or unload either finished before or fails with -EBUSY after.
 * kexec_in_progress is set here, before any device shuts down.  An image
 * loaded before the kernel was locked down is not booted (-EPERM).
 */
static struct kexec_boot_image *image_latch(void)
{
	struct kexec_boot_image *image;

	mutex_lock(&kexec_boot_mutex);
	image = kexec_boot_current;
	if (!image) {
		image = ERR_PTR(-EINVAL);
	} else if (security_locked_down(LOCKDOWN_KEXEC)) {
		/* Loaded before a lockdown: it was never verified. */
		pr_err("the kernel is locked down: the loaded image is not booted\n");
		image = ERR_PTR(-EPERM);
	} else {
		WRITE_ONCE(kexec_boot_latched, true);
		WRITE_ONCE(kexec_in_progress, true);
	}
	mutex_unlock(&kexec_boot_mutex);
	return image;
}

/*
 * The reboot path of a kexec: reboot notifiers (told "kexec reboot"),
 * device shutdown, the reboot CPU, syscore, the last kernel messages to
 * the dump devices (pstore), then the other CPUs and interrupt
 * controllers stop and the machine part jumps to the new kernel.
 */
static void __noreturn image_boot(struct kexec_boot_image *image)
{
	kernel_restart_prepare("kexec reboot");
	migrate_to_reboot_cpu();
	syscore_shutdown();
	/* machine_shutdown() may take CPUs down (hv_machine_shutdown()). */
	cpu_hotplug_enable();
	pr_emerg("starting the loaded kernel at %#llx: %lu pages, %lu in place\n",
		 image->layout.entry, image->nr_dest, image->nr_in_place);
	kmsg_dump(KMSG_DUMP_SHUTDOWN);
	machine_shutdown();
	arch_kexec_boot_jump(image);
}

/**
 * kexec_boot_restart - boot the loaded image on a user's plain restart
 *
 * Called by reboot(2) for LINUX_REBOOT_CMD_RESTART, with
 * system_transition_mutex held.  Other restarts (a restart command,
 * hibernation, emergency and kernel-initiated restarts) never come here
 * and go to the firmware.
 *
 * Returns when kernel.kexec_boot_on_restart is 0, no image is loaded or
 * the kernel was locked down since; the caller then restarts through the
 * firmware.
 */
void kexec_boot_restart(void)
{
	struct kexec_boot_image *image;

	if (!READ_ONCE(kexec_boot_on_restart))
		return;
	image = image_latch();
	if (!IS_ERR(image))
		image_boot(image);
}

/**
 * kexec_boot_kexec - boot the loaded image: reboot(LINUX_REBOOT_CMD_KEXEC)
 *
 * Called by reboot(2) with system_transition_mutex held.
 *
 * Return: does not return when an image is loaded; -EINVAL when none is,
 * -EPERM when the kernel was locked down after it was loaded.
 */
int kexec_boot_kexec(void)
{
	struct kexec_boot_image *image = image_latch();

	if (PTR_ERR_OR_ZERO(image) == -EINVAL)
		pr_err("LINUX_REBOOT_CMD_KEXEC: no image is loaded\n");
	if (IS_ERR(image))
		return PTR_ERR(image);
	image_boot(image);
}

/* Flags that make no sense together, or that kexec_boot does not do. */
static int check_flags(unsigned long flags)
{
	if (flags & ~KEXEC_BOOT_FLAGS_ALL) {
		pr_err("unknown flags %#lx\n", flags & ~KEXEC_BOOT_FLAGS_ALL);
		return -EINVAL;
	}
	if (flags & KEXEC_BOOT_ON_CRASH) {
		pr_err("crash kernels (KEXEC_FILE_ON_CRASH) are loaded by mainline's kexec_file_load, not by kexec_boot\n");
		return -EINVAL;
	}
	if ((flags & KEXEC_BOOT_UNLOAD) && (flags & KEXEC_BOOT_DRY_RUN)) {
		pr_err("KEXEC_BOOT_DRY_RUN cannot be combined with KEXEC_BOOT_UNLOAD\n");
		return -EINVAL;
	}
	return 0;
}

/* One load or dry run, with kexec_boot_load_mutex held. */
static int load(int kernel_fd, int initrd_fd, const char __user *cmdline,
		unsigned long cmdline_len, unsigned long flags)
{
	struct kexec_boot_image *image;
	char *report;
	int ret;

	image = image_load(kernel_fd, initrd_fd, cmdline, cmdline_len, flags);
	if (IS_ERR(image))
		return PTR_ERR(image);
	report = kexec_boot_report(image);
	if (IS_ERR(report)) {
		image_free(image);
		return PTR_ERR(report);
	}
	pr_info("%s %s: entry %#llx, %u segments, %lu pages (%lu in place, %lu as read)\n",
		flags & KEXEC_BOOT_DRY_RUN ? "dry run, not loaded:" : "loaded",
		image->format->name, image->layout.entry,
		image->layout.nr_segments, image->nr_dest, image->nr_in_place,
		image->nr_as_read);
	if (flags & KEXEC_BOOT_DEBUG)
		pr_info("segment map:\n%s", report);
	if (flags & KEXEC_BOOT_DRY_RUN) {
		kexec_boot_report_keep_dry_run(report);
		image_free(image);
		return 0;
	}
	image->report = report;
	ret = image_install(image);
	if (ret)
		image_free(image);
	return ret;
}

static long kexec_boot_load(int kernel_fd, int initrd_fd,
			    unsigned long cmdline_len,
			    const char __user *cmdline, unsigned long flags)
{
	int ret;

	if (!capable(CAP_SYS_BOOT)) {
		/* Any user can get here: do not let them flood the log. */
		pr_err_ratelimited("%s[%d] lacks CAP_SYS_BOOT\n", current->comm,
				   task_pid_nr(current));
		return -EPERM;
	}
	ret = check_flags(flags);
	if (ret)
		return ret;
	/* Dropping an image is always allowed, even under lockdown. */
	if (flags & KEXEC_BOOT_UNLOAD)
		return image_install(NULL);
	ret = security_locked_down(LOCKDOWN_KEXEC);
	if (ret) {
		pr_err("the kernel is locked down: no unverified image may be loaded\n");
		return ret;
	}
	if (READ_ONCE(kexec_boot_load_disabled)) {
		pr_err("loading is disabled until reboot (kernel.kexec_boot_load_disabled)\n");
		return -EPERM;
	}
	if (flags & KEXEC_BOOT_NO_INITRAMFS)
		initrd_fd = -1;
	if (!mutex_trylock(&kexec_boot_load_mutex)) {
		/* Racing loaders would flood the log (and a serial console). */
		pr_err_ratelimited("another load is in progress\n");
		return -EBUSY;
	}
	ret = load(kernel_fd, initrd_fd, cmdline, cmdline_len, flags);
	mutex_unlock(&kexec_boot_load_mutex);
	return ret;
}

SYSCALL_DEFINE5(kexec_boot_load, int, kernel_fd, int, initrd_fd,
		unsigned long, cmdline_len, const char __user *, cmdline,
		unsigned long, flags)
{
	return kexec_boot_load(kernel_fd, initrd_fd, cmdline_len, cmdline,
			       flags);
}

#if !defined(CONFIG_KEXEC_FILE) && defined(__NR_kexec_file_load)
/*
 * Without mainline's kexec_file_load(), its number reaches kexec_boot: the
 * arguments and flags are the same, so existing tools (kexec -s, systemd)
 * boot through kexec_boot unchanged.
 */
SYSCALL_DEFINE5(kexec_file_load, int, kernel_fd, int, initrd_fd,
		unsigned long, cmdline_len, const char __user *, cmdline,
		unsigned long, flags)
{
	return kexec_boot_load(kernel_fd, initrd_fd, cmdline_len, cmdline,
			       flags);
}
#endif

/* /sys/kernel/kexec_boot/segments: the loaded image's map, empty if none. */
static ssize_t segments_read(struct file *file, struct kobject *kobj,
			     struct bin_attribute *attr, char *buf, loff_t off,
			     size_t count)
{
	ssize_t ret = 0;

	mutex_lock(&kexec_boot_mutex);
	if (kexec_boot_current)
		ret = kexec_boot_report_read(kexec_boot_current->report, buf,
					     off, count);
	mutex_unlock(&kexec_boot_mutex);
	return ret;
}

/* /sys/kernel/kexec_boot/dry_run: the last dry run's map, empty if none. */
static ssize_t dry_run_read(struct file *file, struct kobject *kobj,
			    struct bin_attribute *attr, char *buf, loff_t off,
			    size_t count)
{
	return kexec_boot_report_read_dry_run(buf, off, count);
}

/* /sys/kernel/kexec_boot/syscall: the number of kexec_boot_load(). */
static ssize_t syscall_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", __NR_kexec_boot_load);
}

static struct kobj_attribute syscall_attr = __ATTR_RO(syscall);

static struct attribute *kexec_boot_attrs[] = {
	&syscall_attr.attr,
	NULL,
};

static BIN_ATTR_ADMIN_RO(segments, 0);
static BIN_ATTR_ADMIN_RO(dry_run, 0);

static struct bin_attribute *kexec_boot_bin_attrs[] = {
	&bin_attr_segments,
	&bin_attr_dry_run,
	NULL,
};

static const struct attribute_group kexec_boot_attr_group = {
	.attrs = kexec_boot_attrs,
	.bin_attrs = kexec_boot_bin_attrs,
};

static int __init kexec_boot_sysfs_init(void)
{
	struct kobject *dir;
	int ret;

	dir = kobject_create_and_add("kexec_boot", kernel_kobj);
	if (!dir) {
		pr_err("cannot create /sys/kernel/kexec_boot\n");
		return -ENOMEM;
	}
	ret = sysfs_create_group(dir, &kexec_boot_attr_group);
	if (ret) {
		pr_err("cannot create the files in /sys/kernel/kexec_boot: error %d\n",
		       ret);
		kobject_put(dir);
	}
	return ret;
}
late_initcall(kexec_boot_sysfs_init);

#ifdef CONFIG_SYSCTL
/*
 * kexec_boot_load_disabled: only 1 can be written, loading stays off until
 * reboot.  kexec_boot_on_restart: 0 or 1, whether a plain restart boots
 * the loaded image.
 */
static struct ctl_table kexec_boot_sysctls[] = {
	{
		.procname	= "kexec_boot_load_disabled",
		.data		= &kexec_boot_load_disabled,
		.maxlen		= sizeof(kexec_boot_load_disabled),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "kexec_boot_on_restart",
		.data		= &kexec_boot_on_restart,
		.maxlen		= sizeof(kexec_boot_on_restart),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
};

static int __init kexec_boot_sysctl_init(void)
{
	register_sysctl_init("kernel", kexec_boot_sysctls);
	return 0;
}
late_initcall(kexec_boot_sysctl_init);
#endif
