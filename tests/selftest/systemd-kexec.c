// SPDX-License-Identifier: GPL-2.0
/*
 * systemd-kexec - the kernel-facing steps of `systemctl kexec`, taken the
 * way systemd takes them, to prove they boot an image that kexec_boot_load(2)
 * loaded.
 *
 * What systemd does (systemd main branch):
 *  - src/systemctl/systemctl-start-special.c, load_kexec_kernel(): when
 *    kexec_loaded() is true the loaded kernel is used as it is ("Kexec
 *    kernel already loaded"); only otherwise does systemctl run
 *    "kexec --load" itself, from the boot loader entries.
 *  - src/shared/reboot-util.c, kexec_loaded(): reads the first line of
 *    /sys/kernel/kexec_loaded; an image is loaded when it starts with '1'.
 *  - src/shutdown/shutdown.c, main(): once services are stopped and file
 *    systems unmounted, sync_with_progress(), then for
 *    LINUX_REBOOT_CMD_KEXEC it forks and execs "kexec -e"; when that binary
 *    cannot be run the child calls reboot(LINUX_REBOOT_CMD_KEXEC) itself.
 *    If it is still running after that, it falls back to reboot(RB_AUTOBOOT).
 *
 * This program takes those steps without the kexec binary: kexec_loaded(),
 * sync(), reboot(LINUX_REBOOT_CMD_KEXEC), and the RB_AUTOBOOT fallback, so
 * what boots the new kernel is the reboot(2) call alone.  It says so on
 * stdout when the kexec reboot returns, which it must not.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

#include <linux/reboot.h>

#define KEXEC_LOADED	"/sys/kernel/kexec_loaded"

/* Like systemd's kexec_loaded(): false when the file cannot be read. */
static int kexec_loaded(void)
{
	char line[16] = "";
	FILE *f = fopen(KEXEC_LOADED, "r");

	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	return line[0] == '1';
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!kexec_loaded()) {
		printf("systemd-kexec: %s does not read 1: no kexec kernel loaded\n",
		       KEXEC_LOADED);
		return 1;
	}
	printf("systemd-kexec: %s reads 1, rebooting with kexec\n",
	       KEXEC_LOADED);
	sync();
	reboot(LINUX_REBOOT_CMD_KEXEC);
	printf("systemd-kexec: reboot(LINUX_REBOOT_CMD_KEXEC) returned: %s\n",
	       strerror(errno));
	sync();
	reboot(RB_AUTOBOOT);
	printf("systemd-kexec: reboot(RB_AUTOBOOT) returned: %s\n",
	       strerror(errno));
	return 1;
}
