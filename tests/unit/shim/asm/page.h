/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <asm/page.h>: 4 KiB pages, as on x86. */
#ifndef UNIT_SHIM_ASM_PAGE_H
#define UNIT_SHIM_ASM_PAGE_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#endif
