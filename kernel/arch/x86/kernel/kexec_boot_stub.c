// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot on x86: the copy stub's page and argument block, and the
 * formats this machine boots.  At load the stub (kexec_boot_stub_32.S or
 * kexec_boot_stub_64.S) is copied into a handover page of its own, the
 * handover page tables are built (kexec_boot_32.c, kexec_boot_64.c) and the
 * format fills in the registers the image is entered with.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/kexec_boot.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/kexec_boot.h>

#ifdef CONFIG_X86_32
/*
 * kexec_boot_32.c maps the stub at its physical address in the user half
 * of the handover page directory, whose kernel half is swapper_pg_dir's:
 * below this address that mapping cannot collide with the kernel's, which
 * reaches lowmem past 1 GiB with CONFIG_VMSPLIT_1G or _2G.
 */
#define STUB_LIMIT	((u64)KERNEL_PGD_BOUNDARY * PGDIR_SIZE)
#else
#define STUB_LIMIT	KEXEC_BOOT_HANDOVER_LIMIT
#endif

const struct kexec_boot_format *const kexec_boot_formats[] = {
	&kexec_boot_bzimage,
	&kexec_boot_multiboot,
	&kexec_boot_vmlinux,
	&kexec_boot_elf,
	NULL,
};

/**
 * kexec_boot_stub_args_of - the entry registers of @image's stub
 * @image:	an image whose stub page is allocated
 *
 * Return: the argument block a format's prepare step fills in.
 */
struct kexec_boot_stub_args *kexec_boot_stub_args_of(struct kexec_boot_image *image)
{
	return page_address(image->arch->stub) +
	       (kexec_boot_stub_args - kexec_boot_stub);
}

static void check_stub_contract(void)
{
	BUILD_BUG_ON(offsetof(struct kexec_boot_stub_args, copy_list) !=
		     KEXEC_BOOT_ARG_COPY_LIST);
	BUILD_BUG_ON(offsetof(struct kexec_boot_stub_args, eip) !=
		     KEXEC_BOOT_ARG_EIP);
	BUILD_BUG_ON(offsetof(struct kexec_boot_stub_args, esi) !=
		     KEXEC_BOOT_ARG_ESI);
	BUILD_BUG_ON(offsetof(struct kexec_boot_stub_args, ebx) !=
		     KEXEC_BOOT_ARG_EBX);
	BUILD_BUG_ON(offsetof(struct kexec_boot_stub_args, eax) !=
		     KEXEC_BOOT_ARG_EAX);
	BUILD_BUG_ON(offsetof(struct kexec_boot_stub_args, long_mode) !=
		     KEXEC_BOOT_ARG_LONG_MODE);
	BUILD_BUG_ON(sizeof(struct kexec_boot_stub_args) !=
		     KEXEC_BOOT_ARGS_SIZE);
}

int arch_kexec_boot_prepare(struct kexec_boot_image *image)
{
	struct kexec_boot_arch *arch;
	int ret;

	check_stub_contract();
	arch = kzalloc(sizeof(*arch), GFP_KERNEL);
	if (!arch)
		return -ENOMEM;
	image->arch = arch;
	arch->stub = kexec_boot_alloc_page_below(image, STUB_LIMIT);
	if (!arch->stub)
		return -ENOMEM;
	memcpy(page_address(arch->stub), kexec_boot_stub,
	       kexec_boot_stub_end - kexec_boot_stub);
	ret = kexec_boot_map_handover(image);
	if (ret)
		return ret;
	return image->format->prepare(image);
}

void arch_kexec_boot_free(struct kexec_boot_image *image)
{
	/* The pages themselves are the image's handover pages. */
	kfree(image->arch);
}
