// SPDX-License-Identifier: GPL-2.0
/*
 * The stress step of the debug kernel's first boot (scripts/hugetlb.sh):
 * vmstress MODULE [PARAM...] loads MODULE (test_vmalloc.ko: its cases run in
 * nr_threads kernel threads, one per CPU, while it loads) as a child reads the
 * kernel page tables through ptdump in a loop, so that ptdump's walk meets
 * the vmalloc mappers and the init_mm lock that PMD mapping takes; with
 * --reads N, MODULE is loaded again and again until the reader has read the
 * tables N times (at most MAX_LOADS loads), so that the two meet for a while
 * whatever the speed of either; a reader that fails ends the loads at once.
 * Then kmemleak scans, if the kernel has it. Prints "vmstress: NAME VALUE"
 * figures and the kmemleak report; exits 0 if the module ran to its end every
 * time (test_vmalloc then fails its load with EAGAIN on purpose), the reader
 * read to the end every time and N times meanwhile, and kmemleak reports
 * nothing.
 *
 * vmstress --faults MODULE [PARAM...] also makes fail_page_alloc and failslab
 * fail a fraction of the allocations of test_vmalloc's threads (marked in
 * /proc/PID/make-it-fail as soon as they appear), so that cases fail on
 * purpose: their failures are expected, and it prints the faults injected
 * instead. It fails if no thread was marked or no fault injected, and if
 * /proc/vmallocinfo lists more areas of the module (or, once it is gone, of a
 * bare address) after the run than before, i.e. if a failed mapping left
 * something mapped. Threads start before they can be marked, so their first
 * allocations escape; which ones varies from run to run.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#define PTDUMP		"/sys/kernel/debug/kernel_page_tables"
#define KMEMLEAK	"/sys/kernel/debug/kmemleak"
#define FAULTS		1000000
#define MAX_LOADS	200

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

/* The child: read ptdump whole, again and again, until SIGTERM; a byte to @done per read. */
static void read_page_tables(int done)
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
		if (write(done, "r", 1) != 1)
			_exit(1);
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

static int put(const char *dir, const char *file, const char *val)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s", dir, file);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return -1;
	}
	ok = fputs(val, f) >= 0;
	return fclose(f) || !ok ? -1 : 0;
}

static long get(const char *dir, const char *file)
{
	char path[128];
	long val = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s", dir, file);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%ld", &val) != 1)
			val = -1;
		fclose(f);
	}
	return val;
}

/*
 * Fail PERCENT of the allocations of marked tasks, sleeping ones and order-0
 * pages included (page tables), silently (the allocators' own warnings stay).
 */
static int arm_faults(const char *dir, const char *percent)
{
	char times[16];

	snprintf(times, sizeof(times), "%d", FAULTS);
	if (put(dir, "task-filter", "Y") || put(dir, "ignore-gfp-wait", "N") ||
	    put(dir, "verbose", "0") || put(dir, "interval", "1") ||
	    put(dir, "times", times) || put(dir, "probability", percent))
		return -1;
	return strcmp(dir, "fail_page_alloc") ? 0 : put(dir, "min-order", "0");
}

/* The child of --faults: mark each test_vmalloc thread, until SIGTERM. */
static void mark_test_threads(void)
{
	char path[300], comm[32];
	unsigned long marked = 0;
	struct dirent *d;
	FILE *f;
	DIR *proc;

	signal(SIGTERM, on_term);
	while (!stop) {
		proc = opendir("/proc");
		while (proc && (d = readdir(proc))) {
			snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
			f = fopen(path, "r");
			if (!f)
				continue;
			if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "vmalloc_test/", 13)) {
				snprintf(path, sizeof(path), "/proc/%s/make-it-fail", d->d_name);
				fclose(f);
				f = fopen(path, "r+");
				if (f && fgetc(f) == '0') {
					rewind(f);
					marked += fputs("1", f) >= 0 && fflush(f) == 0;
				}
			}
			if (f)
				fclose(f);
		}
		if (proc)
			closedir(proc);
		usleep(1000);
	}
	printf("vmstress: threads_marked %lu\n", marked);
	fflush(stdout);
	_exit(marked > 255 ? 255 : marked);
}

/* Areas of /proc/vmallocinfo whose caller is the module, or gone with it. */
static int module_areas(void)
{
	char line[512], caller[128];
	int n = 0;
	FILE *f = fopen("/proc/vmallocinfo", "r");

	if (!f)
		return -1;
	/* "start-end size caller ...": an unloaded module's caller is a bare address. */
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %127s", caller) != 1)
			continue;
		if (strstr(caller, "[test_vmalloc]") || !strncmp(caller, "0x", 2)) {
			n++;
			fputs(line, stdout);
		}
	}
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	char params[512] = "", done[64], *end;
	int i, fd, ret, err, status, leaks, faults = 0, areas = 0, marked = 0;
	int min_reads = 0, loads = 0, pipefd[2];
	long page_faults = 0, slab_faults = 0, reads = 0;
	pid_t reader, marker = 0;
	ssize_t n;

	for (; argc > 2 && !strncmp(argv[1], "--", 2); argv++, argc--) {
		if (!strcmp(argv[1], "--faults")) {
			faults = 1;
		} else if (!strcmp(argv[1], "--reads")) {
			min_reads = strtol(argv[2], &end, 10);
			if (*end || min_reads < 0)
				argc = 0;
			argv++;
			argc--;
		} else {
			argc = 0;
		}
	}
	if (argc < 2) {
		fprintf(stderr, "usage: vmstress [--faults] [--reads N] MODULE [PARAM...]\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		strncat(params, argv[i], sizeof(params) - strlen(params) - 2);
		strcat(params, " ");
	}
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);

	if (faults && (arm_faults("fail_page_alloc", "2") || arm_faults("failslab", "10")))
		return 1;

	if (faults)
		areas = -module_areas();
	printf("vmstress: fault injection %s\n", faults ? "on" : "off");
	fflush(stdout);
	if (pipe(pipefd)) {
		perror("pipe");
		return 1;
	}
	reader = fork();
	if (reader == 0) {
		/* A parent gone, its next byte kills it (SIGPIPE). */
		close(pipefd[0]);
		read_page_tables(pipefd[1]);
	}
	close(pipefd[1]);
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	if (faults) {
		marker = fork();
		if (marker == 0)
			mark_test_threads();
	}
	if (reader < 0 || marker < 0) {
		perror("fork");
		return 1;
	}
	fd = open(argv[1], O_RDONLY);
	do {
		ret = fd < 0 ? -1 : syscall(SYS_finit_module, fd, params, 0);
		err = errno;
		loads++;
		/* Until the pipe is empty (-1, EAGAIN) or the reader gone (0). */
		while ((n = read(pipefd[0], done, sizeof(done))) > 0)
			reads += n;
	} while (ret && err == EAGAIN && n < 0 && reads < min_reads && loads < MAX_LOADS);
	kill(reader, SIGTERM);
	waitpid(reader, &status, 0);
	printf("vmstress: module %s: %s\n", argv[1], ret ? strerror(err) : "stayed loaded");
	printf("vmstress: module_loads %d\n", loads);
	printf("vmstress: ptdump_reads_during_loads %ld\n", reads);
	if (faults) {
		kill(marker, SIGTERM);
		waitpid(marker, &marked, 0);
		marked = WIFEXITED(marked) ? WEXITSTATUS(marked) : 0;
		put("fail_page_alloc", "probability", "0");
		put("failslab", "probability", "0");
		page_faults = FAULTS - get("fail_page_alloc", "times");
		slab_faults = FAULTS - get("failslab", "times");
		printf("vmstress: page_faults_injected %ld\n", page_faults);
		printf("vmstress: slab_faults_injected %ld\n", slab_faults);
		areas += module_areas();
		printf("vmstress: areas_left_mapped %d\n", areas);
		printf("vmstress: fault injection off\n");
	}

	/* Without kmemleak in the kernel there is nothing to scan. */
	leaks = access(KMEMLEAK, F_OK) ? 0 : kmemleak_reports();
	if (access(KMEMLEAK, F_OK))
		printf("vmstress: kmemleak_reports n/a\n");
	else
		printf("vmstress: kmemleak_reports %d\n", leaks);
	fflush(stdout);
	if (faults && (!marked || !(page_faults + slab_faults)))
		printf("vmstress: no fault injected\n");
	return ret && err == EAGAIN && WIFEXITED(status) && !WEXITSTATUS(status) &&
	       reads >= min_reads && leaks == 0 && areas <= 0 &&
	       (!faults || (marked && page_faults + slab_faults)) ? 0 : 1;
}
