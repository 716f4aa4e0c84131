/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kexec_boot copy stub for arm64, and the step that turns the MMU off.
 *
 * The stub is copied into a handover page of its own, which no segment
 * targets, and runs there at its physical address at EL1 (at EL2 under
 * VHE, where the EL1 register names reach the EL2 registers), interrupts
 * masked, in one of two ways (struct kexec_boot_stub_args, mmu_on):
 *
 *  - The fast path: with the MMU and caches on, over an identity map of
 *    all RAM built from handover pages (so no copy overwrites it).  For
 *    each copy list entry it copies through the caches, then cleans and
 *    invalidates the destination's lines to the point of coherency.  Once
 *    all are copied it turns the MMU and caches off (its page is identity
 *    mapped, so it runs on).
 *  - With the MMU off from the start: arch_kexec_boot_jump() calls
 *    kexec_boot_mmu_off(), in .idmap.text, at its physical address
 *    through the kernel's idmap; that sets SCTLR_EL1 to its MMU-off value
 *    and branches here.  Everything the stub reads was cleaned to the
 *    point of coherency before; for each entry it first invalidates the
 *    destination's lines (no stale line of the old kernel may be written
 *    back over the copy later), then copies.
 *
 * It then invalidates the I-cache and enters the image with x0-x2 from
 * its argument block and x3 = 0: at EL1 by a branch, or at EL2 through its
 * own EL2 vector table (installed in VBAR_EL2 through the hyp stub before
 * the jump), whose lower-EL synchronous vector branches to the entry
 * point at EL2.
 *
 * It lives in .rodata: it never runs where it is linked, only in its page.
 * Its first byte is the start of that page.
 */
#include <linux/kexec_boot.h>
#include <linux/linkage.h>
#include <asm/assembler.h>
#include <asm/kexec_boot.h>
#include <asm/sysreg.h>

	.pushsection ".idmap.text", "a"
/* x0: physical address of the stub's page. */
SYM_FUNC_START(kexec_boot_mmu_off)
	mov_q	x1, INIT_SCTLR_EL1_MMU_OFF
	pre_disable_mmu_workaround
	msr	sctlr_el1, x1
	isb
	br	x0
SYM_FUNC_END(kexec_boot_mmu_off)
	.popsection

	.pushsection ".rodata.kexec_boot_stub", "a"
	.balign	4096
SYM_DATA_START(kexec_boot_stub)
	adr	x9, kexec_boot_stub_args
	ldr	x10, [x9, #KEXEC_BOOT_ARG_COPY_LIST]
	ldr	x8, [x9, #KEXEC_BOOT_ARG_MMU_ON]
	/* D-cache line size: 4 << CTR_EL0.DminLine bytes. */
	mrs	x15, ctr_el0
	ubfx	x15, x15, #16, #4
	mov	x14, #4
	lsl	x14, x14, x15
.Lnext:
	ldr	x11, [x10, #KEXEC_BOOT_COPY_DEST]
	ldr	x12, [x10, #KEXEC_BOOT_COPY_SRC]
	ldr	x13, [x10, #KEXEC_BOOT_COPY_LEN]
	add	x10, x10, #KEXEC_BOOT_COPY_SIZE
	cbnz	x13, .Lcopy
	/* len 0: src links the next list page, or 0 ends the list. */
	cbz	x12, .Lcopied
	mov	x10, x12
	b	.Lnext
.Lcopy:
	/* Whole pages: the destination is page aligned. */
	mov	x6, x11
	add	x7, x11, x13
	cbnz	x8, 2f
	/* MMU off: drop whatever the caches hold for the destination. */
	mov	x16, x6
1:	dc	ivac, x16
	add	x16, x16, x14
	cmp	x16, x7
	b.lo	1b
	dsb	sy
	/* 32 bytes at a time. */
2:	ldp	x2, x3, [x12], #16
	ldp	x4, x5, [x12], #16
	stp	x2, x3, [x11], #16
	stp	x4, x5, [x11], #16
	subs	x13, x13, #32
	b.ne	2b
	cbz	x8, .Lnext
	/* MMU on: the copy goes from the caches to memory. */
	mov	x16, x6
3:	dc	civac, x16
	add	x16, x16, x14
	cmp	x16, x7
	b.lo	3b
	b	.Lnext
.Lcopied:
	dsb	sy
	ldr	x4, [x9, #KEXEC_BOOT_ARG_ENTRY]
	ldr	x5, [x9, #KEXEC_BOOT_ARG_EL2]
	ldr	x0, [x9, #KEXEC_BOOT_ARG_X0]
	ldr	x1, [x9, #KEXEC_BOOT_ARG_X1]
	ldr	x2, [x9, #KEXEC_BOOT_ARG_X2]
	mov	x3, xzr
	cbz	x8, 4f
	/* MMU and caches off: this page is identity mapped, it runs on. */
	mov_q	x6, INIT_SCTLR_EL1_MMU_OFF
	pre_disable_mmu_workaround
	msr	sctlr_el1, x6
	isb
4:	ic	iallu
	dsb	sy
	isb
	cbz	x5, 5f
	/* To .Lel2_sync below, at EL2. */
	hvc	#0
5:	br	x4

	.balign	8
SYM_INNER_LABEL(kexec_boot_stub_args, SYM_L_GLOBAL)
	.fill	KEXEC_BOOT_ARGS_SIZE, 1, 0

	/*
	 * EL2 vectors: 16 entries of 128 bytes.  Only a synchronous
	 * exception from EL1 (the stub's hvc) is expected: it enters the
	 * image at EL2.  Anything else stops here.
	 */
	.org	KEXEC_BOOT_STUB_EL2_VECTORS
	.rept	8
	b	.
	.balign	128
	.endr
.Lel2_sync:
	br	x4
	.balign	128
	.rept	7
	b	.
	.balign	128
	.endr
SYM_INNER_LABEL(kexec_boot_stub_end, SYM_L_GLOBAL)
SYM_DATA_END(kexec_boot_stub)
	.popsection
