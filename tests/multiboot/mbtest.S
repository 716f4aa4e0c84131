/*
 * mbtest.S - entry of the multiboot test kernel.
 *
 * Owns: the Multiboot v1 header, the entry point _start, the kernel's own
 * GDT and stack, and load_offset() (how far the code runs from its link
 * address).  _start hands the loader's EAX (magic) and EBX (information
 * structure) to mbtest_main() in mbtest.c, which never returns.
 *
 * Built twice from this file:
 *   default             header flags 0x00000003: the loader must take the
 *                       layout from the ELF program headers;
 *   -DMBT_NO_HEADER     no multiboot header at all: a plain ELF
 *                       executable, which kexec_boot enters with its own
 *                       boot environment (EAX = KEXEC_BOOT_ENV_MAGIC);
 *   -DMBT_ADDRESS_FIELDS header flags 0x00010003: same code, plus the
 *                       address fields (header, load, load end, bss end,
 *                       entry), which the loader should use instead.
 * The symbols mbt_image_start, mbt_load_end and mbt_image_end come from
 * mbtest.ld.
 */

#define MB_HEADER_MAGIC		0x1BADB002
#define MB_PAGE_ALIGN_MODULES	(1 << 0)
#define MB_MEMORY_INFO		(1 << 1)
#define MB_ADDRESS_FIELDS	(1 << 16)

#ifdef MBT_ADDRESS_FIELDS
#define MB_FLAGS (MB_PAGE_ALIGN_MODULES | MB_MEMORY_INFO | MB_ADDRESS_FIELDS)
#else
#define MB_FLAGS (MB_PAGE_ALIGN_MODULES | MB_MEMORY_INFO)
#endif

#define CODE_SELECTOR	0x08
#define DATA_SELECTOR	0x10
#define STACK_SIZE	16384

#ifndef MBT_NO_HEADER
/* First in the image (see mbtest.ld), so within the file's first 8 KiB. */
	.section .multiboot, "a"
	.balign 4
mb_header:
	.long MB_HEADER_MAGIC
	.long MB_FLAGS
	.long -(MB_HEADER_MAGIC + MB_FLAGS)	/* checksum */
#ifdef MBT_ADDRESS_FIELDS
	.long mb_header				/* header_addr */
	.long mbt_image_start			/* load_addr */
	.long mbt_load_end			/* load_end_addr */
	.long mbt_image_end			/* bss_end_addr */
	.long _start				/* entry_addr */
#endif
#endif /* MBT_NO_HEADER */

	.text
	.globl _start
_start:
	/* EAX and EBX hold the loader's magic and info pointer: keep them. */
	cli
	movl	$stack_top, %esp
	lgdt	gdt_descriptor
	ljmp	$CODE_SELECTOR, $reload_data_segments
reload_data_segments:
	movw	$DATA_SELECTOR, %cx
	movw	%cx, %ds
	movw	%cx, %es
	movw	%cx, %fs
	movw	%cx, %gs
	movw	%cx, %ss
	pushl	$0
	popfl				/* EFLAGS: IF and DF clear */
	pushl	%ebx			/* mbtest_main(magic, info) */
	pushl	%eax
	call	mbtest_main

/* uint32_t load_offset(void): runtime minus link-time address of a label. */
	.globl load_offset
load_offset:
	call	probe
probe:
	popl	%eax
	subl	$probe, %eax
	ret

	.section .rodata
	.balign 8
gdt:
	.quad	0				/* null descriptor */
	.quad	0x00cf9b000000ffff		/* 0x08: code, base 0, 4 GiB, 32-bit */
	.quad	0x00cf93000000ffff		/* 0x10: data, base 0, 4 GiB */
gdt_end:
	.balign 4
gdt_descriptor:
	.word	gdt_end - gdt - 1
	.long	gdt

	.bss
	.balign 16
stack:
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
