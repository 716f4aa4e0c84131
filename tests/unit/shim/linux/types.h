/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/types.h>, for the kexec_boot unit tests. */
#ifndef UNIT_SHIM_LINUX_TYPES_H
#define UNIT_SHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
/* unsigned long long, as in the kernel, so that %llu / %#llx match. */
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;
typedef uint32_t __u32;
typedef unsigned long long __u64;

struct list_head {
	struct list_head *next, *prev;
};

#endif
