// SPDX-License-Identifier: GPL-2.0
/*
 * The stress step of the debug kernel's first boot (scripts/hugetlb.sh):
 * vmstress MODULE [PARAM...] loads MODULE (test_vmalloc.ko: its cases run in
 * nr_threads kernel threads, one per CPU, while it loads) as a child reads the
 * kernel page tables through ptdump in a loop, so that ptdump's walk meets
 * the vmalloc mappers and the init_mm lock that PMD mapping takes. Then
 * kmemleak scans, if the kernel has it. Prints "vmstress: NAME VALUE" figures
 * and the kmemleak report; exits 0 if the module ran to its end (test_vmalloc
 * then fails its load with EAGAIN on purpose), the reader read to the end
 * every time, and kmemleak reports nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PTDUMP		"/sys/kernel/debug/kernel_page_tables"
#define KMEMLEAK	"/sys/kernel/debug/kmemleak"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

/* The child: read ptdump whole, again and again, until SIGTERM. */
static void read_page_tables(void)
{
	static char buf[1 << 16];
	unsigned long reads = 0;
	ssize_t n;
	int fd;

	signal(SIGTERM, on_term);
	while (!stop) {
		fd = open(PTDUMP, O_RDONLY);
		if (fd < 0) {
			perror(PTDUMP);
			_exit(1);
		}
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			;
		close(fd);
		if (n < 0 && errno != EINTR) {
			perror(PTDUMP);
			_exit(1);
		}
		reads++;
	}
	printf("vmstress: ptdump_reads %lu\n", reads);
	fflush(stdout);
	_exit(0);
}

static int kmemleak(const char *cmd)
{
	int fd = open(KMEMLEAK, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, cmd, strlen(cmd)) == (ssize_t)strlen(cmd);
	close(fd);
	return ok ? 0 : -1;
}

/* Objects kmemleak reports after two scans (the second one with them aged). */
static int kmemleak_reports(void)
{
	char line[256];
	int n = 0;
	FILE *f;

	if (kmemleak("scan"))
		return -1;
	sleep(6);
	if (kmemleak("scan"))
		return -1;
	f = fopen(KMEMLEAK, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		n += !!strstr(line, "unreferenced object");
		fputs(line, stdout);
	}
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	char params[512] = "";
	int i, fd, ret, err, status, leaks;
	pid_t reader;

	if (argc < 2) {
		fprintf(stderr, "usage: vmstress MODULE [PARAM...]\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		strncat(params, argv[i], sizeof(params) - strlen(params) - 2);
		strcat(params, " ");
	}
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);

	fflush(stdout);
	reader = fork();
	if (reader == 0)
		read_page_tables();
	fd = open(argv[1], O_RDONLY);
	ret = fd < 0 ? -1 : syscall(SYS_finit_module, fd, params, 0);
	err = errno;
	kill(reader, SIGTERM);
	waitpid(reader, &status, 0);
	printf("vmstress: module %s: %s\n", argv[1], ret ? strerror(err) : "stayed loaded");

	/* Without kmemleak in the kernel there is nothing to scan. */
	leaks = access(KMEMLEAK, F_OK) ? 0 : kmemleak_reports();
	if (access(KMEMLEAK, F_OK))
		printf("vmstress: kmemleak_reports n/a\n");
	else
		printf("vmstress: kmemleak_reports %d\n", leaks);
	fflush(stdout);
	return ret && err == EAGAIN && WIFEXITED(status) && !WEXITSTATUS(status) &&
	       leaks == 0 ? 0 : 1;
}
