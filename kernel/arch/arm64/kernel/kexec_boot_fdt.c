// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_boot on arm64: the device tree, the boot environment Linux
 * expects here (Documentation/arch/arm64/booting.rst).
 *
 * The new kernel gets the device tree the running kernel booted with
 * (initial_boot_params, not the live tree), edited with libfdt: /chosen
 * gets the new command line (bootargs), the initrd
 * (linux,initrd-start/end), a fresh kaslr-seed and rng-seed; the
 * properties of crash kernels and of the old initrd go, and so do the
 * /memreserve/ entries of the old device tree and the old initrd.  It is
 * packed, at most 2 MiB (MAX_FDT_SIZE), page aligned (8 bytes are
 * required) and passed in x0.
 *
 * Its room is reserved when the format loads (a segment whose size does
 * not depend on where the initrd goes), its bytes are written once the
 * initrd is placed.  The /memreserve/ entries and /reserved-memory regions
 * the firmware keeps are also what kexec_boot_memblock.c leaves out of the
 * RAM the segments may use.
 */
#define pr_fmt(fmt) "kexec_boot: " fmt

#include <linux/kexec_boot.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/of_fdt.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <asm/boot.h>
#include <asm/kexec_boot.h>

/* Room for the properties set here and the nodes they may need. */
#define FDT_EXTRA	4096
/* Bytes of /chosen/rng-seed, as the EFI stub and kexec_file pass. */
#define RNG_SEED_SIZE	128

/* A property of 1 or 2 cells, as linux,initrd-start/end may be. */
static bool read_u64_prop(const void *fdt, int node, const char *name,
			  u64 *value)
{
	const fdt32_t *cell;
	int len;

	cell = fdt_getprop(fdt, node, name, &len);
	if (!cell)
		return false;
	if (len == sizeof(u32))
		*value = fdt32_to_cpu(cell[0]);
	else if (len == sizeof(u64))
		*value = ((u64)fdt32_to_cpu(cell[0]) << 32) |
			 fdt32_to_cpu(cell[1]);
	else
		return false;
	return true;
}

/* The initrd the running kernel was given: [*start, *end), or false. */
static bool old_initrd(const void *fdt, u64 *start, u64 *end)
{
	int chosen = fdt_path_offset(fdt, "/chosen");

	return chosen >= 0 &&
	       read_u64_prop(fdt, chosen, "linux,initrd-start", start) &&
	       read_u64_prop(fdt, chosen, "linux,initrd-end", end) &&
	       *end > *start;
}

/* A /memreserve/ entry that only meant something to the running kernel. */
static bool stale_reservation(const void *fdt, u64 addr, u64 size)
{
	u64 start, end;

	if (addr == initial_boot_params_pa)
		return true;
	return old_initrd(fdt, &start, &end) && addr == start &&
	       (size == end - start || size == PAGE_ALIGN(end - start));
}

static u64 read_cells(const fdt32_t *cell, int n)
{
	u64 value = 0;

	while (n--)
		value = (value << 32) | fdt32_to_cpu(*cell++);
	return value;
}

/* The static regions of /reserved-memory ("reg"; dynamic ones have none). */
static void reserved_memory(const void *fdt,
			    void (*fn)(void *ctx, u64 start, u64 end),
			    void *ctx)
{
	int parent, node, ac, sc, len, i;
	const fdt32_t *reg;
	u64 addr, size;

	parent = fdt_path_offset(fdt, "/reserved-memory");
	if (parent < 0)
		return;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return;
	fdt_for_each_subnode(node, fdt, parent) {
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg)
			continue;
		for (i = 0; i + ac + sc <= len / 4; i += ac + sc) {
			addr = read_cells(reg + i, ac);
			size = read_cells(reg + i + ac, sc);
			fn(ctx, addr, addr + size);
		}
	}
}

/**
 * kexec_boot_fdt_firmware_reserved - memory the device tree keeps away
 * @fn:		called with each reserved range [start, end)
 * @ctx:	passed to @fn
 *
 * The /memreserve/ entries other than the running kernel's own device
 * tree and initrd, and the static /reserved-memory regions.
 *
 * Return: 0, or -ENOEXEC when the running kernel has no device tree.
 */
int kexec_boot_fdt_firmware_reserved(void (*fn)(void *ctx, u64 start, u64 end),
				     void *ctx)
{
	const void *fdt = initial_boot_params;
	u64 addr, size;
	int i, n;

	if (!fdt) {
		pr_err("the running kernel booted without a device tree (ACPI only): there is none to hand over\n");
		return -ENOEXEC;
	}
	n = fdt_num_mem_rsv(fdt);
	for (i = 0; i < n; i++) {
		if (fdt_get_mem_rsv(fdt, i, &addr, &size) || !size)
			continue;
		if (!stale_reservation(fdt, addr, size))
			fn(ctx, addr, addr + size);
	}
	reserved_memory(fdt, fn, ctx);
	return 0;
}

/*
 * The bytes the device tree's blocks use: its totalsize may include free
 * room (QEMU's is 1 MiB, mostly empty), which fdt_open_into() drops.
 */
static u64 fdt_used(const void *fdt)
{
	u64 rsvmap = fdt_off_mem_rsvmap(fdt) +
		     (u64)(fdt_num_mem_rsv(fdt) + 1) *
		     sizeof(struct fdt_reserve_entry);
	u64 structs = fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt);
	u64 strings = fdt_off_dt_strings(fdt) + fdt_size_dt_strings(fdt);

	return max3(rsvmap, structs, strings);
}

/**
 * kexec_boot_fdt_reserve - reserve room for the new kernel's device tree
 * @image:	the image being loaded, the format's segments placed
 * @ram:	usable RAM
 * @limit:	the device tree must end at or below this address
 *
 * Return: 0, -ENOEXEC without a device tree, -E2BIG when it would be
 * larger than the 2 MiB a kernel maps, -ENOSPC, -ENOMEM.
 */
int kexec_boot_fdt_reserve(struct kexec_boot_image *image,
			   const struct kexec_boot_ram *ram, u64 limit)
{
	struct kexec_boot_arch *arch = kexec_boot_arch_of(image);
	u64 size, mem;
	int ret;

	if (!arch)
		return -ENOMEM;
	if (!initial_boot_params) {
		pr_err("the running kernel booted without a device tree (ACPI only): there is none to hand over\n");
		return -ENOEXEC;
	}
	size = fdt_used(initial_boot_params) + image->cmdline_len + FDT_EXTRA;
	size = PAGE_ALIGN(size);
	if (size > MAX_FDT_SIZE) {
		pr_err("the device tree would take %llu bytes (%llu booted with, the command line and %u for /chosen), more than the %u a kernel maps\n",
		       size, fdt_used(initial_boot_params), FDT_EXTRA,
		       MAX_FDT_SIZE);
		return -E2BIG;
	}
	ret = kexec_boot_place(&image->layout, ram, size, PAGE_SIZE, limit,
			       &mem);
	if (ret)
		return ret;
	arch->fdt_mem = mem;
	arch->fdt_size = size;
	return kexec_boot_add_segment(&image->layout, NULL, 0, mem, size);
}

/* Removes @name from @node; a property that is not there is fine. */
static int del_prop(void *fdt, int node, const char *name)
{
	int ret = fdt_delprop(fdt, node, name);

	return ret == -FDT_ERR_NOTFOUND ? 0 : ret;
}

static int drop_stale_reservations(void *fdt)
{
	u64 addr, size;
	int i, ret;

	/* From the end: deleting an entry moves the later ones down. */
	for (i = fdt_num_mem_rsv(fdt) - 1; i >= 0; i--) {
		ret = fdt_get_mem_rsv(fdt, i, &addr, &size);
		if (ret)
			return ret;
		if (stale_reservation(initial_boot_params, addr, size)) {
			ret = fdt_del_mem_rsv(fdt, i);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int edit_chosen(struct kexec_boot_image *image, void *fdt)
{
	static const char *const stale[] = {
		"linux,elfcorehdr", "linux,usable-memory-range",
		"linux,initrd-start", "linux,initrd-end", "kaslr-seed",
		"rng-seed", "bootargs", "linux,booted-from-kexec",
	};
	u8 seed[RNG_SEED_SIZE];
	int chosen, ret;
	unsigned int i;

	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0)
		return chosen;
	for (i = 0; i < ARRAY_SIZE(stale); i++) {
		ret = del_prop(fdt, chosen, stale[i]);
		if (ret)
			return ret;
	}
	if (image->initrd_size) {
		ret = fdt_setprop_u64(fdt, chosen, "linux,initrd-start",
				      image->initrd_mem);
		if (!ret)
			ret = fdt_setprop_u64(fdt, chosen, "linux,initrd-end",
					      image->initrd_mem +
					      image->initrd_size);
		if (ret)
			return ret;
	}
	if (image->cmdline[0]) {
		ret = fdt_setprop_string(fdt, chosen, "bootargs",
					 image->cmdline);
		if (ret)
			return ret;
	}
	ret = fdt_setprop_u64(fdt, chosen, "kaslr-seed", get_random_u64());
	if (ret)
		return ret;
	get_random_bytes(seed, sizeof(seed));
	ret = fdt_setprop(fdt, chosen, "rng-seed", seed, sizeof(seed));
	memzero_explicit(seed, sizeof(seed));
	if (ret)
		return ret;
	return fdt_setprop_empty(fdt, chosen, "linux,booted-from-kexec");
}

/**
 * kexec_boot_fdt_write - write the new kernel's device tree
 * @image:	the image being loaded, its initrd placed and its pages filled
 *
 * Return: 0, -ENOMEM, or -ENOSPC when libfdt finds no room after all.
 */
int kexec_boot_fdt_write(struct kexec_boot_image *image)
{
	const struct kexec_boot_arch *arch = image->arch;
	u64 used;
	void *fdt;
	int ret;

	fdt = kvzalloc(arch->fdt_size, GFP_KERNEL);
	if (!fdt)
		return -ENOMEM;
	/*
	 * fdt_open_into() copies totalsize bytes: take only the blocks, then
	 * open the copy in place with the room reserved.
	 */
	used = fdt_used(initial_boot_params);
	memcpy(fdt, initial_boot_params, used);
	fdt_set_totalsize(fdt, used);
	ret = fdt_open_into(fdt, fdt, arch->fdt_size);
	if (!ret)
		ret = drop_stale_reservations(fdt);
	if (!ret)
		ret = edit_chosen(image, fdt);
	/* Only what it holds: it must not grow by the room left each time. */
	if (!ret)
		ret = fdt_pack(fdt);
	if (ret) {
		pr_err("device tree: %s\n", fdt_strerror(ret));
		kvfree(fdt);
		return ret == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL;
	}
	ret = kexec_boot_write(image, arch->fdt_mem, fdt, arch->fdt_size);
	kvfree(fdt);
	return ret;
}
