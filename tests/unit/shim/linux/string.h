/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/string.h>, for the kexec_boot unit tests. */
#ifndef UNIT_SHIM_LINUX_STRING_H
#define UNIT_SHIM_LINUX_STRING_H

#include <string.h>

#endif
