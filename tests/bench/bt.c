// SPDX-License-Identifier: GPL-2.0
/*
 * bt: the bench guest's stopwatch (static i386, no libc beyond the basics).
 *
 *   bt time [-o FILE] CMD [ARG...]
 *                          run CMD (its stdout and stderr to FILE), then
 *                          print "us=N rc=R" (CLOCK_MONOTONIC, from just
 *                          before fork to just after wait)
 *   bt read FILE...        read(2) every FILE through one 64 KiB buffer,
 *                          print "us=N bytes=B"
 *   bt hold FILE...        read(2) every FILE whole into a buffer of its
 *                          size, as a loader that keeps the bytes must,
 *                          print "us=N bytes=B"
 *   bt tsc                 print the time stamp counter
 *
 * /proc/uptime has 10 ms steps; a load of a small image takes less.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int run_timed(char **argv, const char *out)
{
	uint64_t start = now_us(), end;
	int status = 0, rc;
	pid_t pid = fork();

	if (pid < 0) {
		perror("bt: fork");
		return 1;
	}
	if (pid == 0) {
		if (out) {
			int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

			if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
				_exit(126);
			close(fd);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "bt: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	end = now_us();
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("us=%llu rc=%d\n", (unsigned long long)(end - start), rc);
	return 0;
}

static int read_files(int argc, char **argv)
{
	static char buf[65536];
	unsigned long long bytes = 0;
	uint64_t start = now_us();
	ssize_t n;

	for (int i = 0; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0) {
			fprintf(stderr, "bt: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			bytes += n;
		close(fd);
		if (n < 0) {
			fprintf(stderr, "bt: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
	}
	printf("us=%llu bytes=%llu\n", (unsigned long long)(now_us() - start), bytes);
	return 0;
}

/* Reads @fd's @size bytes into a fresh buffer, kept until exit. */
static ssize_t hold_file(int fd, off_t size)
{
	char *buf = malloc(size ? size : 1);
	off_t got = 0;
	ssize_t n = 0;

	if (!buf)
		return -1;
	while (got < size && (n = read(fd, buf + got, size - got)) > 0)
		got += n;
	return n < 0 ? -1 : got;
}

static int hold_files(int argc, char **argv)
{
	unsigned long long bytes = 0;
	uint64_t start = now_us();

	for (int i = 0; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		off_t size = fd < 0 ? -1 : lseek(fd, 0, SEEK_END);
		ssize_t got = -1;

		if (size >= 0 && lseek(fd, 0, SEEK_SET) == 0)
			got = hold_file(fd, size);
		if (got < 0) {
			fprintf(stderr, "bt: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		bytes += got;
		close(fd);
	}
	printf("us=%llu bytes=%llu\n", (unsigned long long)(now_us() - start), bytes);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "time") && !strcmp(argv[2], "-o"))
		return run_timed(argv + 4, argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "time"))
		return run_timed(argv + 2, NULL);
	if (argc >= 3 && !strcmp(argv[1], "read"))
		return read_files(argc - 2, argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "hold"))
		return hold_files(argc - 2, argv + 2);
	if (argc == 2 && !strcmp(argv[1], "tsc")) {
		uint32_t lo, hi;

		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		printf("%llu\n", ((unsigned long long)hi << 32) | lo);
		return 0;
	}
	fprintf(stderr, "usage: bt time [-o FILE] CMD [ARG...] | bt read FILE... | bt hold FILE... | bt tsc\n");
	return 2;
}
