/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kexec_boot copy stub for x86_64.
 *
 * Copied into a page below 4 GiB that no segment targets, and entered there
 * in 64-bit mode, interrupts off, on the handover page tables: an identity
 * map of all RAM.  Position independent: it uses nothing outside its page,
 * the page tables and the pages the copy list names.  It puts CR0 and CR4
 * in a known state (no global pages, no CET, no write protection), loads
 * its own GDT and an empty IDT, performs the copies with paging on, and
 * enters the image either
 *  - in 64-bit mode on the identity map (the 64-bit boot protocol), or
 *  - in 32-bit protected mode with paging off: through a 32-bit code
 *    segment to compatibility mode, paging off, EFER.LME off, then flat
 *    32-bit segments at __BOOT_CS and __BOOT_DS (Multiboot, ELF32 images,
 *    the 32-bit boot protocol).
 * The registers come from the argument block (struct kexec_boot_stub_args);
 * every other general register is zero.
 *
 * It lives in .rodata: it never runs where it is linked, only in its page.
 */
#include <linux/kexec_boot.h>
#include <linux/linkage.h>
#include <asm/ibt.h>
#include <asm/kexec_boot.h>
#include <asm/msr-index.h>
#include <asm/page_types.h>
#include <asm/processor-flags.h>
#include <asm/segment.h>

#define OFF(label)	((label) - kexec_boot_stub)
#define ARG(field)	(kexec_boot_stub_args - kexec_boot_stub + (field))
/* A 32-bit code segment, to leave long mode through. */
#define CODE32_SEL	0x08

	.section .rodata, "a"
	.balign	16
SYM_DATA_START(kexec_boot_stub)
	.code64
	ENDBR
	/* %rbp = where this page is; the stack lives at its top. */
	leaq	kexec_boot_stub(%rip), %rbp
	leaq	PAGE_SIZE(%rbp), %rsp

	/* CR4: the paging mode only; dropping PGE flushes global entries. */
	movq	%cr4, %rax
	andl	$X86_CR4_LA57, %eax
	orl	$X86_CR4_PAE, %eax
	movq	%rax, %cr4
	movq	%cr0, %rax
	andq	$~(X86_CR0_WP | X86_CR0_TS | X86_CR0_EM | X86_CR0_AM), %rax
	movq	%rax, %cr0

	/* Our GDT, no IDT; code at __BOOT_CS and data at __BOOT_DS. */
	leaq	gdt(%rip), %rax
	movq	%rax, gdt_desc + 2(%rip)
	lgdt	gdt_desc(%rip)
	lidt	idt_desc(%rip)
	leaq	1f(%rip), %rax
	pushq	$__BOOT_CS
	pushq	%rax
	lretq
1:	movl	$__BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	/* Walk the copy list; no source overlaps any destination. */
	movq	ARG(KEXEC_BOOT_ARG_COPY_LIST)(%rbp), %rbx
	cld
2:	movq	KEXEC_BOOT_COPY_DEST(%rbx), %rdi
	movq	KEXEC_BOOT_COPY_SRC(%rbx), %rsi
	movq	KEXEC_BOOT_COPY_LEN(%rbx), %rcx
	addq	$KEXEC_BOOT_COPY_SIZE, %rbx
	testq	%rcx, %rcx
	jz	3f
	shrq	$3, %rcx
	rep	movsq
	jmp	2b
3:	testq	%rsi, %rsi		/* len 0: src links the next page */
	jz	4f
	movq	%rsi, %rbx
	jmp	2b

4:	cmpl	$0, ARG(KEXEC_BOOT_ARG_LONG_MODE)(%rbp)
	je	5f
	/* 64-bit entry, paging on over the identity map. */
	pushq	ARG(KEXEC_BOOT_ARG_EIP)(%rbp)
	movl	ARG(KEXEC_BOOT_ARG_EAX)(%rbp), %eax
	movq	ARG(KEXEC_BOOT_ARG_EBX)(%rbp), %rbx
	movq	ARG(KEXEC_BOOT_ARG_ESI)(%rbp), %rsi
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%edi, %edi
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
	xorl	%ebp, %ebp
	ret

	/* 32-bit entry: to compatibility mode, below 4 GiB like this page. */
5:	leaq	6f(%rip), %rax
	pushq	$CODE32_SEL
	pushq	%rax
	lretq
	.code32
6:	movl	%cr0, %eax
	andl	$~X86_CR0_PG, %eax
	movl	%eax, %cr0
	movl	$MSR_EFER, %ecx
	rdmsr
	andl	$~EFER_LME, %eax
	wrmsr
	xorl	%eax, %eax
	movl	%eax, %cr4
	movl	%eax, %cr3
	/* __BOOT_CS becomes flat 32-bit code, as the 32-bit protocols want. */
	movl	$0x0000ffff, OFF(gdt) + __BOOT_CS(%ebp)
	movl	$0x00cf9a00, OFF(gdt) + __BOOT_CS + 4(%ebp)
	leal	OFF(7f)(%ebp), %eax
	pushl	$__BOOT_CS
	pushl	%eax
	lret
7:	movl	$__BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	pushl	ARG(KEXEC_BOOT_ARG_EIP)(%ebp)
	movl	ARG(KEXEC_BOOT_ARG_EAX)(%ebp), %eax
	movl	ARG(KEXEC_BOOT_ARG_EBX)(%ebp), %ebx
	movl	ARG(KEXEC_BOOT_ARG_ESI)(%ebp), %esi
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	ret
	.code64

	.balign	8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* CODE32_SEL: 32-bit code, 4 GiB */
	.quad	0x00af9a000000ffff	/* __BOOT_CS: 64-bit code */
	.quad	0x00cf92000000ffff	/* __BOOT_DS: data, base 0, 4 GiB */
gdt_desc:
	.word	4 * 8 - 1
	.quad	0			/* base: patched at run time */
idt_desc:
	.word	0
	.quad	0

	.balign	8
SYM_INNER_LABEL(kexec_boot_stub_args, SYM_L_GLOBAL)
	.fill	KEXEC_BOOT_ARGS_SIZE, 1, 0
SYM_INNER_LABEL(kexec_boot_stub_end, SYM_L_GLOBAL)
SYM_DATA_END(kexec_boot_stub)
