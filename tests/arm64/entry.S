/*
 * entry.S - entry of the arm64 ELF test program (elftest-arm64.elf).
 *
 * Owns: the entry point _start, its stack, and load_offset() (how far the
 * code runs from its link address).  kexec_boot enters an AArch64 ELF
 * image with the MMU off, x0 = its boot environment, x1 =
 * KEXEC_BOOT_ENV_MAGIC, x2 = the device tree; _start hands all three to
 * elftest_main() in elftest.c, which never returns.
 */

#define STACK_SIZE	16384

	.text
	.globl _start
_start:
	adrp	x9, stack_top
	add	x9, x9, :lo12:stack_top
	mov	sp, x9
	mov	x29, xzr
	mov	x30, xzr
	bl	elftest_main
1:	wfi
	b	1b

/* uint64_t load_offset(void): runtime minus link-time address of a label. */
	.globl load_offset
load_offset:
	adr	x0, probe
	ldr	x1, =probe
	sub	x0, x0, x1
probe:
	ret

	.bss
	.balign 16
stack:
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
