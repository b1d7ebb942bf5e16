// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the HugeTLB regression initramfs (scripts/hugetlb.sh): mount what
 * the selftests read, run every line of /tests ("name program args...") with
 * a time limit, print one "hugetlb-test: RESULT name" line each, power off.
 * Kselftest exit codes: 0 pass, 4 skip, anything else (or a signal) fails.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEST_TIMEOUT	600	/* seconds, under TCG */
#define MAX_ARGS	8

static void run(char *line)
{
	char *argv[MAX_ARGS + 1], *name, *save;
	int argc = 0, status;
	pid_t pid;

	name = strtok_r(line, " \n", &save);
	if (!name || name[0] == '#')
		return;
	while (argc < MAX_ARGS && (argv[argc] = strtok_r(NULL, " \n", &save)))
		argc++;
	argv[argc] = NULL;
	if (!argc)
		return;

	printf("hugetlb-test: START %s\n", name);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		alarm(TEST_TIMEOUT);
		execv(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		printf("hugetlb-test: FAIL %s (fork or wait failed)\n", name);
	} else if (WIFSIGNALED(status)) {
		printf("hugetlb-test: FAIL %s (signal %d)\n", name, WTERMSIG(status));
	} else if (WEXITSTATUS(status) == 0) {
		printf("hugetlb-test: PASS %s\n", name);
	} else if (WEXITSTATUS(status) == 4) {
		printf("hugetlb-test: SKIP %s\n", name);
	} else {
		printf("hugetlb-test: FAIL %s (exit %d)\n", name, WEXITSTATUS(status));
	}
	fflush(stdout);
}

int main(void)
{
	char line[256];
	FILE *tests;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	mount("none", "/mnt", "hugetlbfs", 0, NULL);
	chdir("/tmp");

	tests = fopen("/tests", "r");
	if (!tests) {
		perror("/tests");
	} else {
		while (fgets(line, sizeof(line), tests))
			run(line);
		fclose(tests);
	}
	printf("hugetlb-test: DONE\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
