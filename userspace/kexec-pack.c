// SPDX-License-Identifier: GPL-2.0
/*
 * kexec-pack - make one bootable file of a kernel, an initrd and a command
 * line.
 *
 * This file owns the whole packer: its options, the checks on its inputs
 * and the writing of the packed image, an ELF32 file that kexec_boot_load(2)
 * boots with no further arguments (include/uapi/linux/kexec_boot.h):
 *
 *   ELF header, one PT_NOTE program header
 *   notes owned by "kexec_boot": KERNEL and INITRD as <offset, size>,
 *                                CMDLINE inline
 *   the kernel, page-aligned in the file (any format the kernel boots)
 *   the initrd, page-aligned
 *   section headers naming the pieces (.kexec_boot.kernel, ...), so that
 *   readelf shows them and objcopy --dump-section takes them out again
 *
 * The inputs are streamed, never held in memory whole.  The output is
 * written to a temporary file next to it and renamed into place, so a
 * failed run leaves nothing half-written behind.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/kexec_boot.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "kexec-pack writes little-endian ELF files from host structures"
#endif

#define VERSION_TEXT	"kexec-pack (kexec_boot) 0.1"
#define FILE_ALIGN	4096

struct piece {
	const char *path;	/* NULL: absent */
	int fd;
	uint64_t size;
	uint64_t offset;	/* in the packed file */
};

struct pack {
	const char *output;
	struct piece kernel;
	struct piece initrd;
	const char *cmdline;	/* NULL: none */
	uint8_t notes[256 + KEXEC_BOOT_CMDLINE_MAX];
	uint32_t notes_size;
};

/* Section names, in section header order after the null section. */
static const char shstrtab[] =
	"\0.note.kexec_boot\0.kexec_boot.kernel\0.kexec_boot.initrd\0.shstrtab";
enum { NAME_NOTE = 1, NAME_KERNEL = 18, NAME_INITRD = 37, NAME_SHSTRTAB = 56 };

static __attribute__((format(printf, 1, 2))) int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("kexec-pack: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static uint64_t align_up(uint64_t value)
{
	return (value + FILE_ALIGN - 1) & ~(uint64_t)(FILE_ALIGN - 1);
}

static int open_piece(struct piece *piece, const char *role)
{
	struct stat st;

	piece->fd = open(piece->path, O_RDONLY | O_CLOEXEC);
	if (piece->fd < 0)
		return fail("%s: cannot open the %s: %s", piece->path, role,
			    strerror(errno));
	if (fstat(piece->fd, &st) < 0)
		return fail("%s: cannot stat: %s", piece->path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail("%s: the %s is not a regular file", piece->path, role);
	if (st.st_size == 0)
		return fail("%s: the %s is empty", piece->path, role);
	piece->size = (uint64_t)st.st_size;
	return 0;
}

static void add_note(struct pack *pack, uint32_t type, const void *desc,
		     uint32_t desc_size)
{
	Elf32_Nhdr nhdr = {
		.n_namesz = sizeof(KEXEC_BOOT_NOTE_OWNER),
		.n_descsz = desc_size,
		.n_type = type,
	};
	uint8_t *p = pack->notes + pack->notes_size;

	memcpy(p, &nhdr, sizeof(nhdr));
	p += sizeof(nhdr);
	memcpy(p, KEXEC_BOOT_NOTE_OWNER, sizeof(KEXEC_BOOT_NOTE_OWNER));
	p += (sizeof(KEXEC_BOOT_NOTE_OWNER) + 3) & ~3U;
	memcpy(p, desc, desc_size);
	pack->notes_size = (uint32_t)(p - pack->notes) + ((desc_size + 3) & ~3U);
}

static void add_blob_note(struct pack *pack, uint32_t type,
			  const struct piece *piece)
{
	struct kexec_boot_pack_blob blob = {
		.offset = piece->offset,
		.size = piece->size,
	};

	add_note(pack, type, &blob, sizeof(blob));
}

static void add_notes(struct pack *pack)
{
	pack->notes_size = 0;
	add_blob_note(pack, KEXEC_BOOT_NOTE_KERNEL, &pack->kernel);
	if (pack->initrd.path)
		add_blob_note(pack, KEXEC_BOOT_NOTE_INITRD, &pack->initrd);
	if (pack->cmdline)
		add_note(pack, KEXEC_BOOT_NOTE_CMDLINE, pack->cmdline,
			 (uint32_t)strlen(pack->cmdline) + 1);
}

/*
 * Where everything goes: notes after the headers, then the pieces.  The
 * notes' size does not depend on the offsets they hold, so they are
 * written once to measure them and again with the offsets.
 */
static void lay_out(struct pack *pack)
{
	uint64_t end;

	add_notes(pack);
	end = sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr) + pack->notes_size;
	pack->kernel.offset = align_up(end);
	end = pack->kernel.offset + pack->kernel.size;
	if (pack->initrd.path)
		pack->initrd.offset = align_up(end);
	add_notes(pack);
}

static uint64_t pieces_end(const struct pack *pack)
{
	const struct piece *last = pack->initrd.path ? &pack->initrd : &pack->kernel;

	return last->offset + last->size;
}

static int write_at(int fd, uint64_t offset, const void *buf, size_t len,
		    const char *path)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail("%s: cannot write: %s", path,
				    n < 0 ? strerror(errno) : "no space written");
		p += n;
		offset += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int copy_piece(int out, const char *out_path, const struct piece *piece)
{
	static uint8_t buf[1 << 20];
	uint64_t done = 0;

	while (done < piece->size) {
		ssize_t n = read(piece->fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail("%s: cannot read: %s", piece->path,
				    strerror(errno));
		if (n == 0 || done + (uint64_t)n > piece->size)
			return fail("%s: changed size while being packed",
				    piece->path);
		if (write_at(out, piece->offset + done, buf, (size_t)n,
			     out_path) < 0)
			return -1;
		done += (uint64_t)n;
	}
	return 0;
}

static Elf32_Shdr section(uint32_t name, uint32_t type, uint64_t offset,
			  uint64_t size, uint32_t align)
{
	return (Elf32_Shdr){
		.sh_name = name, .sh_type = type, .sh_offset = (Elf32_Off)offset,
		.sh_size = (Elf32_Word)size, .sh_addralign = align,
	};
}

static int write_headers(int out, const struct pack *pack)
{
	uint64_t notes_start = sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr);
	uint64_t strtab_start = pieces_end(pack);
	uint64_t shdr_start = (strtab_start + sizeof(shstrtab) + 3) & ~3ULL;
	Elf32_Shdr shdrs[5] = { { 0 } };
	unsigned int n = 1;
	Elf32_Ehdr ehdr = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS32,
			     ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC, .e_machine = EM_386, .e_version = EV_CURRENT,
		.e_phoff = sizeof(Elf32_Ehdr), .e_shoff = (Elf32_Off)shdr_start,
		.e_ehsize = sizeof(Elf32_Ehdr), .e_phentsize = sizeof(Elf32_Phdr),
		.e_phnum = 1, .e_shentsize = sizeof(Elf32_Shdr),
	};
	Elf32_Phdr phdr = {
		.p_type = PT_NOTE, .p_offset = (Elf32_Off)notes_start,
		.p_filesz = pack->notes_size, .p_align = 4,
	};

	shdrs[n++] = section(NAME_NOTE, SHT_NOTE, notes_start, pack->notes_size, 4);
	shdrs[n++] = section(NAME_KERNEL, SHT_PROGBITS, pack->kernel.offset,
			     pack->kernel.size, FILE_ALIGN);
	if (pack->initrd.path)
		shdrs[n++] = section(NAME_INITRD, SHT_PROGBITS, pack->initrd.offset,
				     pack->initrd.size, FILE_ALIGN);
	ehdr.e_shstrndx = (Elf32_Half)n;
	shdrs[n++] = section(NAME_SHSTRTAB, SHT_STRTAB, strtab_start,
			     sizeof(shstrtab), 1);
	ehdr.e_shnum = (Elf32_Half)n;

	if (write_at(out, 0, &ehdr, sizeof(ehdr), pack->output) < 0 ||
	    write_at(out, sizeof(ehdr), &phdr, sizeof(phdr), pack->output) < 0 ||
	    write_at(out, notes_start, pack->notes, pack->notes_size, pack->output) < 0 ||
	    write_at(out, strtab_start, shstrtab, sizeof(shstrtab), pack->output) < 0)
		return -1;
	return write_at(out, shdr_start, shdrs, n * sizeof(shdrs[0]), pack->output);
}

/* ELF32 offsets are 32-bit: the whole file must stay below 4 GiB. */
static int check_sizes(const struct pack *pack)
{
	uint64_t end = pieces_end(pack) + sizeof(shstrtab) + 4 + 5 * sizeof(Elf32_Shdr);

	if (end > UINT32_MAX)
		return fail("%s: the packed image would be %llu bytes, more than an ELF32 file holds",
			    pack->output, (unsigned long long)end);
	return 0;
}

static int write_pack(struct pack *pack)
{
	char *tmp = NULL;
	int out = -1, status = -1;

	if (asprintf(&tmp, "%s.XXXXXX", pack->output) < 0)
		return fail("out of memory");
	out = mkstemp(tmp);
	if (out < 0) {
		fail("%s: cannot create: %s", tmp, strerror(errno));
		goto out;
	}
	if (copy_piece(out, tmp, &pack->kernel) < 0 ||
	    (pack->initrd.path && copy_piece(out, tmp, &pack->initrd) < 0) ||
	    write_headers(out, pack) < 0)
		goto out;
	if (fchmod(out, 0644) < 0 || fsync(out) < 0) {
		fail("%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, pack->output) < 0) {
		fail("%s: cannot rename to %s: %s", tmp, pack->output,
		     strerror(errno));
		goto out;
	}
	status = 0;
out:
	if (out >= 0)
		close(out);
	if (status < 0 && out >= 0)
		unlink(tmp);
	free(tmp);
	return status;
}

static void print_help(void)
{
	puts("Usage: kexec-pack -o OUTPUT KERNEL [--initrd=FILE] [--command-line=STR]\n"
	     "Pack a kernel (bzImage, vmlinux, multiboot or any 32-bit ELF), an initrd\n"
	     "and a command line into one ELF file that kexec -l boots with no other\n"
	     "arguments.  kexec --command-line replaces the packed command line,\n"
	     "kexec --append adds to it, kexec --initrd replaces the packed initrd.\n"
	     "\n"
	     "Options:\n"
	     "  -o, --output=FILE        write the packed image to FILE\n"
	     "      --initrd=FILE        pack FILE as the initial ramdisk\n"
	     "      --command-line=STR   pack STR as the command line (repeatable,\n"
	     "                           joined by spaces)\n"
	     "  -h, --help               print this help and exit\n"
	     "  -v, --version            print the version and exit\n"
	     "\n"
	     "Example:\n"
	     "  kexec-pack -o /srv/tftp/node.elf /boot/vmlinuz --initrd=/boot/initrd.gz \\\n"
	     "             --command-line=\"console=ttyS0 root=/dev/nfs\"");
}

static int append_cmdline(struct pack *pack, const char *word)
{
	size_t len = pack->cmdline ? strlen(pack->cmdline) : 0;
	char *line;

	if (!*word)
		return 0;
	line = realloc((char *)pack->cmdline, len + 1 + strlen(word) + 1);
	if (!line)
		return fail("out of memory");
	sprintf(line + len, "%s%s", len ? " " : "", word);
	pack->cmdline = line;
	if (strlen(line) + 1 > KEXEC_BOOT_CMDLINE_MAX)
		return fail("command line too long: %zu bytes with the terminating NUL, the limit is %d",
			    strlen(line) + 1, KEXEC_BOOT_CMDLINE_MAX);
	return 0;
}

enum { OPT_INITRD = 256, OPT_CMDLINE };

static int parse_args(int argc, char **argv, struct pack *pack)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "initrd", required_argument, NULL, OPT_INITRD },
		{ "command-line", required_argument, NULL, OPT_CMDLINE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "o:hv", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			pack->output = optarg;
			break;
		case OPT_INITRD:
			if (pack->initrd.path)
				return fail("more than one --initrd given");
			pack->initrd.path = optarg;
			break;
		case OPT_CMDLINE:
			if (append_cmdline(pack, optarg) < 0)
				return -1;
			break;
		case 'h':
			print_help();
			exit(EXIT_SUCCESS);
		case 'v':
			puts(VERSION_TEXT);
			exit(EXIT_SUCCESS);
		default:
			return fail("try 'kexec-pack --help'");
		}
	}
	if (optind + 1 != argc)
		return fail("give exactly one KERNEL file (try 'kexec-pack --help')");
	if (!pack->output)
		return fail("no --output FILE given (try 'kexec-pack --help')");
	pack->kernel.path = argv[optind];
	return 0;
}

int main(int argc, char **argv)
{
	struct pack pack = { .kernel.fd = -1, .initrd.fd = -1 };
	int status = EXIT_FAILURE;

	if (parse_args(argc, argv, &pack) < 0)
		goto out;
	if (open_piece(&pack.kernel, "kernel") < 0 ||
	    (pack.initrd.path && open_piece(&pack.initrd, "initrd") < 0))
		goto out;
	lay_out(&pack);
	if (check_sizes(&pack) < 0 || write_pack(&pack) < 0)
		goto out;
	status = EXIT_SUCCESS;
out:
	if (pack.kernel.fd >= 0)
		close(pack.kernel.fd);
	if (pack.initrd.fd >= 0)
		close(pack.initrd.fd);
	free((char *)pack.cmdline);
	return status;
}
