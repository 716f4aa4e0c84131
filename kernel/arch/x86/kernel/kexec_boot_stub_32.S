/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kexec_boot copy stub for 32-bit x86.
 *
 * Copied into a page that no segment targets and entered there, identity
 * mapped, with paging on, interrupts off and an empty IDT.  Position
 * independent: it finds its own address and uses nothing outside its page
 * and the pages the copy list names.  It loads flat segments at the
 * 32-bit boot protocol's selectors, turns paging off, performs the copies,
 * loads the entry registers from its argument block and jumps to the new
 * kernel.
 */
#include <linux/kexec_boot.h>
#include <linux/linkage.h>
#include <asm/page_types.h>
#include <asm/processor-flags.h>
#include <asm/segment.h>
#include <asm/kexec_boot.h>

#define OFF(label)	((label) - kexec_boot_stub)
#define ARG(field)	(OFF(kexec_boot_stub_args) + (field))

	.text
	.code32
SYM_CODE_START_NOALIGN(kexec_boot_stub)
	/* %ebp = where this page is; the stack lives at its top. */
	call	1f
1:	popl	%ebp
	subl	$OFF(1b), %ebp
	leal	PAGE_SIZE(%ebp), %esp

	/*
	 * While paging is still on: an empty IDT (the C side loaded one
	 * already: an NMI now is a triple fault, never a vector through the
	 * old kernel's IDT), and flat 4 GiB code and data at __BOOT_CS and
	 * __BOOT_DS from a GDT in this page, at the physical address that
	 * is mapped as is.  No table of the old kernel is used after this.
	 */
	lidt	OFF(idt_desc)(%ebp)
	leal	OFF(gdt)(%ebp), %eax
	movl	%eax, OFF(gdt_desc) + 2(%ebp)
	lgdt	OFF(gdt_desc)(%ebp)
	leal	OFF(2f)(%ebp), %eax
	pushl	$__BOOT_CS
	pushl	%eax
	lret
2:	movl	$__BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	/*
	 * Paging, write protection and alignment checks off, no FPU trap
	 * (TS, EM), as the boot protocols expect; no stale translation kept.
	 */
	movl	%cr0, %eax
	andl	$~(X86_CR0_PG | X86_CR0_WP | X86_CR0_AM | X86_CR0_TS | \
		   X86_CR0_EM), %eax
	movl	%eax, %cr0
	jmp	3f
3:	xorl	%eax, %eax
	movl	%eax, %cr3
	movl	%eax, %cr4

	/* Walk the copy list; no source overlaps any destination. */
	movl	ARG(KEXEC_BOOT_ARG_COPY_LIST)(%ebp), %ebx
	cld
4:	movl	KEXEC_BOOT_COPY_DEST(%ebx), %edi
	movl	KEXEC_BOOT_COPY_SRC(%ebx), %esi
	movl	KEXEC_BOOT_COPY_LEN(%ebx), %ecx
	addl	$KEXEC_BOOT_COPY_SIZE, %ebx
	testl	%ecx, %ecx
	jz	5f
	shrl	$2, %ecx
	rep	movsl
	jmp	4b
5:	testl	%esi, %esi		/* len 0: src links the next page */
	jz	6f
	movl	%esi, %ebx
	jmp	4b

	/* Entry registers as the image's boot protocol wants them. */
6:	pushl	ARG(KEXEC_BOOT_ARG_EIP)(%ebp)
	movl	ARG(KEXEC_BOOT_ARG_EAX)(%ebp), %eax
	movl	ARG(KEXEC_BOOT_ARG_EBX)(%ebp), %ebx
	movl	ARG(KEXEC_BOOT_ARG_ESI)(%ebp), %esi
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	ret

	.balign	8
gdt:
	.quad	0
	.quad	0
	.quad	0x00cf9a000000ffff	/* __BOOT_CS: code, base 0, 4 GiB */
	.quad	0x00cf92000000ffff	/* __BOOT_DS: data, base 0, 4 GiB */
gdt_desc:
	.word	4 * 8 - 1
	.long	0			/* base: patched at run time */
idt_desc:
	.word	0
	.long	0

	.balign	8
SYM_INNER_LABEL(kexec_boot_stub_args, SYM_L_GLOBAL)
	.fill	KEXEC_BOOT_ARGS_SIZE, 1, 0
SYM_INNER_LABEL(kexec_boot_stub_end, SYM_L_GLOBAL)
SYM_CODE_END(kexec_boot_stub)
