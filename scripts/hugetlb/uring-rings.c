// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring rings in user memory backed by huge pages of the default size
 * (IORING_SETUP_NO_MMAP), a real caller of vmap() end to end: io_uring pins
 * the pages and, when they span more than one folio, maps them with vmap()
 * (io_uring/memmap.c), the path the series maps runs of with large entries.
 * Rings of 32768 128-byte SQEs (4M) and 65536 32-byte CQEs (2M and a header)
 * span several 64K or 2M pages. Each round sets up a ring in fresh memory,
 * pushes NOP requests through every SQE and CQE slot many times, checks every
 * completion and tears the ring down. Prints the vmap() areas /proc/vmallocinfo lists
 * for the rings ("huge" where the series used large entries). Exit 0 if all
 * completions were right, 4 (skip) without huge pages.
 */
#include <errno.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SQ_ENTRIES	32768
#define CQ_ENTRIES	65536
#define ROUNDS		4
#define PASSES		4	/* times through every slot per round */
#define MEM_SIZE	(8UL << 20)

static unsigned long huge_page_size(void)
{
	unsigned long kb = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %lu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb << 10;
}

static void *huge_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void print_ring_areas(void)
{
	char line[256];
	FILE *f = fopen("/proc/vmallocinfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, " io_") && strstr(line, " vmap"))
			printf("uring-rings: area %s", line);
	if (f)
		fclose(f);
}

/* One ring: set up in @rings and @sqes, PASSES times through every slot. */
static int round_trip(void *rings, void *sqes, int round)
{
	struct io_uring_params p = { 0 };
	unsigned int *sq_tail, *cq_head, *cq_tail, sq_mask, cq_mask, i, n;
	unsigned long long expect = 0, done = 0;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int fd, ret, bad = 0;

	p.flags = IORING_SETUP_NO_MMAP | IORING_SETUP_NO_SQARRAY | IORING_SETUP_SQE128 |
		  IORING_SETUP_CQE32 | IORING_SETUP_CQSIZE;
	p.cq_entries = CQ_ENTRIES;
	p.cq_off.user_addr = (uintptr_t)rings;
	p.sq_off.user_addr = (uintptr_t)sqes;
	fd = syscall(__NR_io_uring_setup, SQ_ENTRIES, &p);
	if (fd < 0) {
		printf("uring-rings: io_uring_setup: %s\n", strerror(errno));
		return 1;
	}
	if (round == 0)
		print_ring_areas();
	sq_tail = rings + p.sq_off.tail;
	sq_mask = *(unsigned int *)(rings + p.sq_off.ring_mask);
	cq_head = rings + p.cq_off.head;
	cq_tail = rings + p.cq_off.tail;
	cq_mask = *(unsigned int *)(rings + p.cq_off.ring_mask);

	for (n = 0; n < PASSES * p.sq_entries / 1024 && !bad; n++) {
		/* 1024 NOPs from the next SQE slots, completions reaped in order. */
		for (i = 0; i < 1024; i++) {
			sqe = sqes + 128UL * ((*sq_tail + i) & sq_mask);
			memset(sqe, 0, 128);
			sqe->opcode = IORING_OP_NOP;
			sqe->user_data = expect + i;
		}
		__atomic_store_n(sq_tail, *sq_tail + 1024, __ATOMIC_RELEASE);
		ret = syscall(__NR_io_uring_enter, fd, 1024, 1024, IORING_ENTER_GETEVENTS, NULL, 0);
		if (ret != 1024) {
			printf("uring-rings: io_uring_enter: %d %s\n", ret, strerror(errno));
			bad = 1;
			break;
		}
		while (*cq_head != __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE)) {
			cqe = rings + p.cq_off.cqes + 32UL * (*cq_head & cq_mask);
			if (cqe->user_data != done || cqe->res != 0) {
				printf("uring-rings: completion %llu: user_data %llu res %d\n",
				       done, (unsigned long long)cqe->user_data, cqe->res);
				bad = 1;
			}
			done++;
			__atomic_store_n(cq_head, *cq_head + 1, __ATOMIC_RELEASE);
		}
		expect += 1024;
	}
	close(fd);
	if (!bad && done != expect) {
		printf("uring-rings: %llu completions for %llu requests\n", done, expect);
		bad = 1;
	}
	printf("uring-rings: round %d: %llu NOPs completed\n", round, done);
	return bad;
}

/*
 * Each round takes memory of its own: a closed ring is torn down later, in a
 * kernel worker that may still write the old ring's header.
 */
int main(void)
{
	unsigned long huge = huge_page_size();
	size_t size = MEM_SIZE > huge ? MEM_SIZE : huge;
	int round, bad = 0;
	void *rings, *sqes;

	printf("uring-rings: rings in %lu-byte huge pages\n", huge);
	for (round = 0; round < ROUNDS && !bad; round++) {
		rings = huge_alloc(size);
		sqes = huge_alloc(size);
		if (!huge || !rings || !sqes) {
			printf("uring-rings: no %lu-byte huge pages for the rings\n", huge);
			return round ? 1 : 4;
		}
		bad = round_trip(rings, sqes, round);
		munmap(rings, size);
		munmap(sqes, size);
	}
	return bad;
}
