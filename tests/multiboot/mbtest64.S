/*
 * mbtest64.S - entry of the 64-bit plain ELF test kernel (elftest64.elf).
 *
 * Owns: the 64-bit entry point _start, its stack, and load_offset() (how
 * far the code runs from its link address).  kexec_boot enters an ELF64
 * image in 64-bit mode on its identity map with EAX = KEXEC_BOOT_ENV_MAGIC
 * and RBX = the physical address of its boot environment; _start hands
 * both to mbtest_main() in mbtest.c, which never returns.  No multiboot
 * header: Multiboot is a 32-bit protocol.
 */

#define STACK_SIZE	16384

	.text
	.globl _start
_start:
	cli
	leaq	stack_top(%rip), %rsp
	pushq	$0
	popfq				/* RFLAGS: IF and DF clear */
	movl	%eax, %edi		/* mbtest_main(magic, info) */
	movq	%rbx, %rsi
	call	mbtest_main

/* uint32_t load_offset(void): runtime minus link-time address of a label. */
	.globl load_offset
load_offset:
	leaq	probe(%rip), %rax
	subq	$probe, %rax
probe:
	ret

	.bss
	.balign 16
stack:
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
