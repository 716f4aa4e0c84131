/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/printk.h>, for the kexec_boot unit tests.
 *
 * pr_err/pr_warn/pr_info format their message (with the file's pr_fmt
 * prefix) into unit_last_message, overwriting it, and count it in
 * unit_message_count.  The test program defines both.
 */
#ifndef UNIT_SHIM_LINUX_PRINTK_H
#define UNIT_SHIM_LINUX_PRINTK_H

#include <stdarg.h>
#include <stdio.h>

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

extern char unit_last_message[512];
extern int unit_message_count;

static inline __attribute__((format(printf, 1, 2)))
int unit_printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(unit_last_message, sizeof(unit_last_message), fmt, ap);
	va_end(ap);
	unit_message_count++;
	return n;
}

#define pr_err(fmt, ...)	unit_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	unit_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	unit_printk(pr_fmt(fmt), ##__VA_ARGS__)

#endif
