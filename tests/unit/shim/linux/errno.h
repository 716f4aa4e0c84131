/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/errno.h>, for the kexec_boot unit tests.
 *
 * glibc's <errno.h> itself includes <linux/errno.h> (through <bits/errno.h>)
 * and, because tests/unit/shim comes first on the include path, lands here.
 * So hand on to the real UAPI header first (it holds the E* numbers and has
 * its own guard), then pull in <errno.h>.
 */
#ifndef UNIT_SHIM_LINUX_ERRNO_H
#define UNIT_SHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>
#include <errno.h>

#endif
