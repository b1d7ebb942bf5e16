// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the HugeTLB regression initramfs (scripts/hugetlb.sh): mount what
 * the selftests read, run every line ("name program args...") of /stress
 * (when the kernel command line says "stress") and of /tests (unless it says
 * "notests": a boot for the built-in KUnit suites only), or of /stress-full
 * alone ("stress-full"), then of /tests-once ("tests-once"), with a time
 * limit, print one
 * "hugetlb-test: RESULT name" line each, power off.
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

#define TEST_TIMEOUT	1200	/* seconds, under TCG and KASAN */
#define MAX_ARGS	16

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

static void run_list(const char *path)
{
	char line[256];
	FILE *list;

	list = fopen(path, "r");
	if (!list) {
		perror(path);
		return;
	}
	while (fgets(line, sizeof(line), list))
		run(line);
	fclose(list);
}

static int cmdline_has(const char *word)
{
	char cmdline[1024], *tok, *save;
	FILE *f = fopen("/proc/cmdline", "r");
	int found = 0;

	if (!f)
		return 0;
	if (fgets(cmdline, sizeof(cmdline), f))
		for (tok = strtok_r(cmdline, " \n", &save); tok && !found;
		     tok = strtok_r(NULL, " \n", &save))
			found = !strcmp(tok, word);
	fclose(f);
	return found;
}

int main(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	mount("none", "/mnt", "hugetlbfs", 0, NULL);
	chdir("/tmp");

	if (cmdline_has("stress"))
		run_list("/stress");
	/* The full stress runs in a kernel too slow for the HugeTLB selftests. */
	if (cmdline_has("stress-full"))
		run_list("/stress-full");
	else if (!cmdline_has("notests"))
		run_list("/tests");
	if (cmdline_has("tests-once"))
		run_list("/tests-once");
	printf("hugetlb-test: DONE\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
