/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/elf.h>, for the kexec_boot unit tests:
 * glibc's Elf32_Ehdr, Elf32_Phdr, PT_LOAD, EM_386, ET_EXEC, ELFCLASS32,
 * ELFDATA2LSB, ELFMAG, SELFMAG, EI_CLASS and EI_DATA match the kernel's.
 */
#ifndef UNIT_SHIM_LINUX_ELF_H
#define UNIT_SHIM_LINUX_ELF_H

#include <elf.h>

#endif
