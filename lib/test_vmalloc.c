// SPDX-License-Identifier: GPL-2.0

/*
 * Test module for stress and analyze performance of vmalloc allocator.
 * (C) 2018 Uladzislau Rezki (Sony) <urezki@gmail.com>
 */
#include <linux/init.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/vmalloc.h>
#include <linux/random.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/srcu.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/sort.h>

#define __param(type, name, init, msg)		\
	static type name = init;				\
	module_param(name, type, 0444);			\
	MODULE_PARM_DESC(name, msg)				\

__param(int, nr_threads, 0,
	"Number of workers to perform tests(min: 1 max: USHRT_MAX)");

__param(bool, sequential_test_order, false,
	"Use sequential stress tests order");

__param(int, test_repeat_count, 1,
	"Set test repeat counter");

__param(int, test_loop_count, 1000000,
	"Set test loop counter");

__param(int, nr_pages, 0,
	"Set number of pages for fix_size_alloc_test(default: 1)");

__param(bool, use_huge, false,
	"Use vmalloc_huge in fix_size_alloc_test");

__param(int, run_test_mask, 7,
	"Set tests specified in the mask.\n\n"
		"\t\tid: 1,    name: fix_size_alloc_test\n"
		"\t\tid: 2,    name: full_fit_alloc_test\n"
		"\t\tid: 4,    name: long_busy_list_alloc_test\n"
		"\t\tid: 8,    name: random_size_alloc_test\n"
		"\t\tid: 16,   name: fix_align_alloc_test\n"
		"\t\tid: 32,   name: random_size_align_alloc_test\n"
		"\t\tid: 64,   name: align_shift_alloc_test\n"
		"\t\tid: 128,  name: pcpu_alloc_test\n"
		"\t\tid: 256,  name: kvfree_rcu_1_arg_vmalloc_test\n"
		"\t\tid: 512,  name: kvfree_rcu_2_arg_vmalloc_test\n"
		"\t\tid: 1024, name: vm_map_ram_test\n"
		"\t\tid: 2048, name: no_block_alloc_test\n"
		"\t\tid: 4096, name: vrealloc_test\n"
		"\t\tid: 8192, name: vmap_shapes_test\n"
		"\t\tid: 16384, name: vmalloc_sizes_test\n"
		"\t\tid: 32768, name: ioremap_sizes_test\n"
		"\n"
		"\t\tThe last three map, each in several ways, and for each way check\n"
		"\t\tthe mapping once, then print a Timing: line with the median time\n"
		"\t\tof map_loop_count maps and unmaps and, built in, a Shape: line with\n"
		"\t\tthe leaf entries used. vmap_shapes_test: vmap() of vmap_nr_pages\n"
		"\t\tpages shaped as named: order-0 pages; one page; dma-buf's system\n"
		"\t\theap (3/4 in order-8, then 3/4 of the rest in order-4, the rest\n"
		"\t\torder-0 compound blocks); order-9 compound blocks; order-8 blocks\n"
		"\t\tsplit into order-0 pages; 1/4 order-0 pages first, then order-8\n"
		"\t\tblocks. vmalloc_sizes_test: vmalloc() of vmap_nr_pages pages and\n"
		"\t\tof 1M, allocation included; vmalloc_huge() of 1M, 2M and 4M.\n"
		"\t\tioremap_sizes_test: ioremap() of 1M and 2M at ioremap_phys.\n"
		/* Add a new test case description here. */
);

__param(int, vmap_nr_pages, 32768,
	"Number of pages vmap_shapes_test and vmalloc_sizes_test map (default: 32768, 128M with 4K pages)");

__param(int, map_loop_count, 16,
	"Number of timed map and unmap rounds of the vmap_shapes, vmalloc_sizes and ioremap_sizes cases");

/*
 * No default: which physical range is free of RAM and of devices depends on
 * the machine (QEMU's arm64 virt leaves 0x10000000 unused, its x86 PCs
 * 0xd0000000), and on real hardware it may be a live BAR.
 */
__param(ulong, ioremap_phys, 0,
	"Physical address ioremap_sizes_test maps; must not be RAM, is never accessed (0: do not run it)");

__param(int, nr_pcpu_objects, 35000,
	"Number of pcpu objects to allocate for pcpu_alloc_test");

/*
 * This is for synchronization of setup phase.
 */
DEFINE_STATIC_SRCU(prepare_for_test_srcu);

/*
 * Completion tracking for worker threads.
 */
static DECLARE_COMPLETION(test_all_done_comp);
static atomic_t test_n_undone = ATOMIC_INIT(0);

static inline void
test_report_one_done(void)
{
	if (atomic_dec_and_test(&test_n_undone))
		complete(&test_all_done_comp);
}

static int random_size_align_alloc_test(void)
{
	unsigned long size, align;
	unsigned int rnd;
	void *ptr;
	int i;

	for (i = 0; i < test_loop_count; i++) {
		rnd = get_random_u8();

		/*
		 * Maximum 1024 pages, if PAGE_SIZE is 4096.
		 */
		align = 1 << (rnd % 23);

		/*
		 * Maximum 10 pages.
		 */
		size = ((rnd % 10) + 1) * PAGE_SIZE;

		ptr = __vmalloc_node(size, align, GFP_KERNEL | __GFP_ZERO, 0,
				__builtin_return_address(0));
		if (!ptr)
			return -1;

		vfree(ptr);
	}

	return 0;
}

/*
 * This test case is supposed to be failed.
 */
static int align_shift_alloc_test(void)
{
	unsigned long align;
	void *ptr;
	int i;

	for (i = 0; i < BITS_PER_LONG; i++) {
		align = 1UL << i;

		ptr = __vmalloc_node(PAGE_SIZE, align, GFP_KERNEL|__GFP_ZERO, 0,
				__builtin_return_address(0));
		if (!ptr)
			return -1;

		vfree(ptr);
	}

	return 0;
}

static int fix_align_alloc_test(void)
{
	void *ptr;
	int i;

	for (i = 0; i < test_loop_count; i++) {
		ptr = __vmalloc_node(5 * PAGE_SIZE, THREAD_ALIGN << 1,
				GFP_KERNEL | __GFP_ZERO, 0,
				__builtin_return_address(0));
		if (!ptr)
			return -1;

		vfree(ptr);
	}

	return 0;
}

static int random_size_alloc_test(void)
{
	unsigned int n;
	void *p;
	int i;

	for (i = 0; i < test_loop_count; i++) {
		n = get_random_u32_inclusive(1, 100);
		p = vmalloc(n * PAGE_SIZE);

		if (!p)
			return -1;

		*((__u8 *)p) = 1;
		vfree(p);
	}

	return 0;
}

static int long_busy_list_alloc_test(void)
{
	void *ptr_1, *ptr_2;
	void **ptr;
	int rv = -1;
	int i;

	ptr = vmalloc(sizeof(void *) * 15000);
	if (!ptr)
		return rv;

	for (i = 0; i < 15000; i++)
		ptr[i] = vmalloc(1 * PAGE_SIZE);

	for (i = 0; i < test_loop_count; i++) {
		ptr_1 = vmalloc(100 * PAGE_SIZE);
		if (!ptr_1)
			goto leave;

		ptr_2 = vmalloc(1 * PAGE_SIZE);
		if (!ptr_2) {
			vfree(ptr_1);
			goto leave;
		}

		*((__u8 *)ptr_1) = 0;
		*((__u8 *)ptr_2) = 1;

		vfree(ptr_1);
		vfree(ptr_2);
	}

	/*  Success */
	rv = 0;

leave:
	for (i = 0; i < 15000; i++)
		vfree(ptr[i]);

	vfree(ptr);
	return rv;
}

static int full_fit_alloc_test(void)
{
	void **ptr, **junk_ptr, *tmp;
	int junk_length;
	int rv = -1;
	int i;

	junk_length = fls(num_online_cpus());
	junk_length *= (32 * 1024 * 1024 / PAGE_SIZE);

	ptr = vmalloc(sizeof(void *) * junk_length);
	if (!ptr)
		return rv;

	junk_ptr = vmalloc(sizeof(void *) * junk_length);
	if (!junk_ptr) {
		vfree(ptr);
		return rv;
	}

	for (i = 0; i < junk_length; i++) {
		ptr[i] = vmalloc(1 * PAGE_SIZE);
		junk_ptr[i] = vmalloc(1 * PAGE_SIZE);
	}

	for (i = 0; i < junk_length; i++)
		vfree(junk_ptr[i]);

	for (i = 0; i < test_loop_count; i++) {
		tmp = vmalloc(1 * PAGE_SIZE);

		if (!tmp)
			goto error;

		*((__u8 *)tmp) = 1;
		vfree(tmp);
	}

	/* Success */
	rv = 0;

error:
	for (i = 0; i < junk_length; i++)
		vfree(ptr[i]);

	vfree(ptr);
	vfree(junk_ptr);

	return rv;
}

static int fix_size_alloc_test(void)
{
	void *ptr;
	int i;

	for (i = 0; i < test_loop_count; i++) {
		if (use_huge)
			ptr = vmalloc_huge((nr_pages > 0 ? nr_pages:1) * PAGE_SIZE, GFP_KERNEL);
		else
			ptr = vmalloc((nr_pages > 0 ? nr_pages:1) * PAGE_SIZE);

		if (!ptr)
			return -1;

		*((__u8 *)ptr) = 0;

		vfree(ptr);
	}

	return 0;
}

static int no_block_alloc_test(void)
{
	void *ptr;
	int i;

	for (i = 0; i < test_loop_count; i++) {
		bool use_atomic = !!(get_random_u8() % 2);
		gfp_t gfp = use_atomic ? GFP_ATOMIC : GFP_NOWAIT;
		unsigned long size = (nr_pages > 0 ? nr_pages : 1) * PAGE_SIZE;

		preempt_disable();
		ptr = __vmalloc(size, gfp);
		preempt_enable();

		if (!ptr)
			return -1;

		*((__u8 *)ptr) = 0;
		vfree(ptr);
	}

	return 0;
}

static int
pcpu_alloc_test(void)
{
	int rv = 0;
#ifndef CONFIG_NEED_PER_CPU_KM
	void __percpu **pcpu;
	size_t size, align;
	int i;

	pcpu = vmalloc(sizeof(void __percpu *) * nr_pcpu_objects);
	if (!pcpu)
		return -1;

	for (i = 0; i < nr_pcpu_objects; i++) {
		size = get_random_u32_inclusive(1, PAGE_SIZE / 4);

		/*
		 * Maximum PAGE_SIZE
		 */
		align = 1 << get_random_u32_inclusive(1, PAGE_SHIFT - 1);

		pcpu[i] = __alloc_percpu(size, align);
		if (!pcpu[i])
			rv = -1;
	}

	for (i = 0; i < nr_pcpu_objects; i++)
		free_percpu(pcpu[i]);

	vfree(pcpu);
#endif
	return rv;
}

struct test_kvfree_rcu {
	struct rcu_head rcu;
	unsigned char array[20];
};

static int
kvfree_rcu_1_arg_vmalloc_test(void)
{
	struct test_kvfree_rcu *p;
	int i;

	for (i = 0; i < test_loop_count; i++) {
		p = vmalloc(1 * PAGE_SIZE);
		if (!p)
			return -1;

		p->array[0] = 'a';
		kvfree_rcu_mightsleep(p);
	}

	return 0;
}

static int
kvfree_rcu_2_arg_vmalloc_test(void)
{
	struct test_kvfree_rcu *p;
	int i;

	for (i = 0; i < test_loop_count; i++) {
		p = vmalloc(1 * PAGE_SIZE);
		if (!p)
			return -1;

		p->array[0] = 'a';
		kvfree_rcu(p, rcu);
	}

	return 0;
}

static int
vm_map_ram_test(void)
{
	unsigned long nr_allocated;
	unsigned int map_nr_pages;
	unsigned char *v_ptr;
	struct page **pages;
	int i;

	map_nr_pages = nr_pages > 0 ? nr_pages:1;
	pages = kzalloc_objs(struct page *, map_nr_pages);
	if (!pages)
		return -1;

	nr_allocated = alloc_pages_bulk(GFP_KERNEL, map_nr_pages, pages);
	if (nr_allocated != map_nr_pages)
		goto cleanup;

	/* Run the test loop. */
	for (i = 0; i < test_loop_count; i++) {
		v_ptr = vm_map_ram(pages, map_nr_pages, NUMA_NO_NODE);
		*v_ptr = 'a';
		vm_unmap_ram(v_ptr, map_nr_pages);
	}

cleanup:
	for (i = 0; i < nr_allocated; i++)
		__free_page(pages[i]);

	kfree(pages);

	/* 0 indicates success. */
	return nr_allocated != map_nr_pages;
}

static int vrealloc_test(void)
{
	void *ptr, *tmp;
	int i;

	for (i = 0; i < test_loop_count; i++) {
		int err = -1;

		ptr = vrealloc(NULL, PAGE_SIZE, GFP_KERNEL);
		if (!ptr)
			return -1;

		*((__u8 *)ptr) = 'a';

		/* Grow: beyond allocated pages, triggers full realloc. */
		tmp = vrealloc(ptr, 4 * PAGE_SIZE, GFP_KERNEL);
		if (!tmp)
			goto error;
		ptr = tmp;

		if (*((__u8 *)ptr) != 'a')
			goto error;

		/* Shrink: crosses page boundary, frees tail pages. */
		tmp = vrealloc(ptr, PAGE_SIZE, GFP_KERNEL);
		if (!tmp)
			goto error;
		ptr = tmp;

		if (*((__u8 *)ptr) != 'a')
			goto error;

		/* Shrink: within same page, no page freeing. */
		tmp = vrealloc(ptr, PAGE_SIZE / 2, GFP_KERNEL);
		if (!tmp)
			goto error;
		ptr = tmp;

		if (*((__u8 *)ptr) != 'a')
			goto error;

		/* Grow: within allocated page, in-place, no realloc. */
		tmp = vrealloc(ptr, PAGE_SIZE, GFP_KERNEL);
		if (!tmp)
			goto error;
		ptr = tmp;

		if (*((__u8 *)ptr) != 'a')
			goto error;

		err = 0;
error:
		vfree(ptr);
		if (err)
			return err;
	}

	return 0;
}

/*
 * Leaf entries a mapping got: PUD, PMD, contiguous PTE, PTE. Reading them needs
 * init_mm, which modules cannot reach, so only a built-in test reports them.
 */
static void report_shape(const char *name, const void *va, unsigned long size)
{
	unsigned long addr = (unsigned long)va, end = addr + size, next;
	unsigned long pud = 0, pmd = 0, cont = 0, pte = 0;
	pgd_t *pgdp;
	p4d_t *p4dp;
	pud_t *pudp;
	pmd_t *pmdp;
	pte_t *ptep;

	if (!IS_BUILTIN(CONFIG_TEST_VMALLOC))
		return;
	for (; addr < end; addr = next) {
		pgdp = pgd_offset_k(addr);
		if (pgd_none(pgdp_get(pgdp)))
			break;
		p4dp = p4d_offset(pgdp, addr);
		if (p4d_none(p4dp_get(p4dp)))
			break;
		pudp = pud_offset(p4dp, addr);
		next = pud_addr_end(addr, end);
		if (pud_none(pudp_get(pudp)))
			break;
		if (pud_leaf(pudp_get(pudp))) {
			pud++;
			continue;
		}
		pmdp = pmd_offset(pudp, addr);
		next = pmd_addr_end(addr, end);
		if (pmd_none(pmdp_get(pmdp)))
			break;
		if (pmd_leaf(pmdp_get(pmdp))) {
			pmd++;
			continue;
		}
		ptep = pte_offset_kernel(pmdp, addr);
		next = addr + PAGE_SIZE;
		/* A PTE-level block (arm64 CONT_PTE), entry by entry. */
		if (arch_vmap_pte_range_unmap_size(addr, ptep) > PAGE_SIZE)
			cont++;
		else if (pte_present(ptep_get(ptep)))
			pte++;
	}
	pr_info("Shape: %s pud: %lu pmd: %lu cont: %lu pte: %lu%s\n", name,
		pud, pmd, cont, pte, addr < end ? " (hole found)" : "");
}

/* What a timed round maps: a page array (vmap) or a size (vmalloc, ioremap). */
struct map_args {
	struct page **pages;
	unsigned int nr;
	unsigned long size;
	bool huge;		/* vmalloc_huge(), not vmalloc() */
};

typedef void *(*map_fn)(const struct map_args *args);

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median_ns(u64 *ns)
{
	sort(ns, map_loop_count, sizeof(*ns), cmp_u64, NULL);
	return ns[map_loop_count / 2];
}

/*
 * map_loop_count rounds of map() then unmap(), each timed; prints the median
 * of each. A round that also purged lazily freed areas or refilled a per-CPU
 * page list says more about the cases that ran before than about the mapping,
 * hence the median, and the purge before the first round.
 */
static int time_rounds(const char *name, unsigned long nr_pages, map_fn map,
		       void (*unmap)(const void *va), const struct map_args *args)
{
	u64 *map_ns, *unmap_ns, t0, t1;
	int i, ret = -1;
	void *va;

	if (map_loop_count < 1)
		return -1;
	map_ns = kvcalloc(2 * map_loop_count, sizeof(*map_ns), GFP_KERNEL);
	if (!map_ns)
		return -1;
	unmap_ns = map_ns + map_loop_count;

	vm_unmap_aliases();
	for (i = 0; i < map_loop_count; i++) {
		t0 = ktime_get_ns();
		va = map(args);
		t1 = ktime_get_ns();
		if (!va)
			goto out;
		unmap(va);
		map_ns[i] = t1 - t0;
		unmap_ns[i] = ktime_get_ns() - t1;
	}
	pr_info("Timing: %s pages: %lu map: %llu ns unmap: %llu ns loops: %d\n",
		name, nr_pages, median_ns(map_ns), median_ns(unmap_ns), map_loop_count);
	ret = 0;
out:
	kvfree(map_ns);
	return ret;
}

static void *map_vmap(const struct map_args *args)
{
	return vmap(args->pages, args->nr, VM_MAP, PAGE_KERNEL);
}

static void *map_vmalloc(const struct map_args *args)
{
	return args->huge ? vmalloc_huge(args->size, GFP_KERNEL) : vmalloc(args->size);
}

static void *map_ioremap(const struct map_args *args)
{
	return (void __force *)ioremap(ioremap_phys, args->size);
}

static void unmap_ioremap(const void *va)
{
	iounmap((void __iomem __force *)va);
}

/* Fill pages[0..nr) with blocks of 1 << order pages; returns how many it filled. */
static unsigned int fill_blocks(struct page **pages, unsigned int nr,
				unsigned int order, bool compound)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN | (compound && order ? __GFP_COMP : 0);
	unsigned int i, done = 0;
	struct page *page;

	for (; done + (1U << order) <= nr; done += 1U << order) {
		page = alloc_pages(gfp, order);
		if (!page)
			break;
		if (!compound && order)
			split_page(page, order);
		for (i = 0; i < 1U << order; i++)
			pages[done + i] = page + i;
	}
	return done;
}

/*
 * Free what fill_blocks() allocated: compound heads whole, other pages one by
 * one. The order is read before the free: a freed head is no longer compound.
 */
static void free_blocks(struct page **pages, unsigned int nr)
{
	unsigned int i, order;

	for (i = 0; i < nr; i += 1U << order) {
		order = compound_order(pages[i]);
		__free_pages(pages[i], order);
	}
}

/* One page shape: fill @nr pages from @first_order blocks down to order-0. */
struct page_shape {
	const char *name;
	unsigned int order[3];		/* orders, largest first */
	unsigned int share[3];		/* quarters of the remaining pages per order */
	bool compound;
	bool small_first;		/* a quarter of order-0 pages before the rest */
	unsigned int nr_pages;		/* 0: vmap_nr_pages */
};

static unsigned int fill_shape(struct page **pages, unsigned int nr,
			       const struct page_shape *shape)
{
	unsigned int done = 0, want, got, i;

	if (shape->small_first)
		done = fill_blocks(pages, nr / 4, 0, true);
	for (i = 0; i < ARRAY_SIZE(shape->order) && shape->share[i]; i++) {
		want = (nr - done) * shape->share[i] / 4;
		got = fill_blocks(pages + done, want, shape->order[i], shape->compound);
		done += got;
		if (got < round_down(want, 1U << shape->order[i]))
			return done;
	}
	return done + fill_blocks(pages + done, nr - done, 0, true);
}

static int vmap_shape_test(const struct page_shape *shape)
{
	unsigned int nr = shape->nr_pages ?: max(vmap_nr_pages, 1);
	struct map_args args = { };
	unsigned int filled, i;
	struct page **pages;
	int ret = -1;
	void *va;

	pages = kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -1;
	filled = fill_shape(pages, nr, shape);
	if (filled != nr)
		goto out;

	/* A wrong mapping is a failure, not a fast result. */
	va = vmap(pages, nr, VM_MAP, PAGE_KERNEL);
	if (!va)
		goto out;
	for (i = 0; i < nr; i++)
		if (vmalloc_to_page(va + i * PAGE_SIZE) != pages[i])
			break;
	report_shape(shape->name, va, (unsigned long)nr << PAGE_SHIFT);
	vunmap(va);
	if (i != nr) {
		pr_err("%s: page %u is not mapped where it belongs\n", shape->name, i);
		goto out;
	}

	args.pages = pages;
	args.nr = nr;
	ret = time_rounds(shape->name, nr, map_vmap, vunmap, &args);
out:
	free_blocks(pages, filled);
	kvfree(pages);
	return ret;
}

static const struct page_shape vmap_shapes[] = {
	{ .name = "vmap_order0", .compound = true },
	{ .name = "vmap_single_page", .compound = true, .nr_pages = 1 },
	/* dma-buf's system heap: order 8 while it lasts, then 4, then 0. */
	{ .name = "vmap_sysheap", .order = { 8, 4 }, .share = { 3, 3 }, .compound = true },
	{ .name = "vmap_order9", .order = { 9 }, .share = { 4 }, .compound = true },
	/* perf AUX buffers and vmalloc's own backing: high order, not compound. */
	{ .name = "vmap_noncompound", .order = { 8 }, .share = { 4 } },
	{ .name = "vmap_small_first", .order = { 8 }, .share = { 4 }, .compound = true,
	  .small_first = true },
};

static int vmap_shapes_test(void)
{
	int i, ret = 0;

	for (i = 0; i < ARRAY_SIZE(vmap_shapes); i++)
		if (vmap_shape_test(&vmap_shapes[i]))
			ret = -1;
	return ret;
}

/* Does every page of the vmalloc area read back what was written to it? */
static bool vmalloc_holds(void *va, unsigned long size)
{
	unsigned long i, *word;

	for (i = 0; i < size / PAGE_SIZE; i++)
		*(unsigned long *)(va + i * PAGE_SIZE) = i;
	for (i = 0; i < size / PAGE_SIZE; i++) {
		word = page_address(vmalloc_to_page(va + i * PAGE_SIZE));
		if (*word != i)
			return false;
	}
	return true;
}

static int vmalloc_size_test(const char *name, const struct map_args *args)
{
	bool ok;
	void *va;

	va = map_vmalloc(args);
	if (!va)
		return -1;
	ok = vmalloc_holds(va, args->size);
	report_shape(name, va, args->size);
	vfree(va);
	if (!ok) {
		pr_err("%s: the area does not hold what was written\n", name);
		return -1;
	}

	return time_rounds(name, args->size >> PAGE_SHIFT, map_vmalloc, vfree, args);
}

/*
 * vmalloc() of order-0 pages, allocation included, as every vmalloc() caller
 * pays it; vmalloc_huge() of a CONT_PTE run, a PMD and two.
 */
static int vmalloc_sizes_test(void)
{
	const struct {
		const char *name;
		struct map_args args;
	} sizes[] = {
		{ "vmalloc_order0",
		  { .size = (unsigned long)max(vmap_nr_pages, 1) << PAGE_SHIFT } },
		{ "vmalloc_1m", { .size = SZ_1M } },
		{ "vmalloc_huge_1m", { .size = SZ_1M, .huge = true } },
		{ "vmalloc_huge_2m", { .size = SZ_2M, .huge = true } },
		{ "vmalloc_huge_4m", { .size = SZ_4M, .huge = true } },
	};
	int i, ret = 0;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (vmalloc_size_test(sizes[i].name, &sizes[i].args))
			ret = -1;
	return ret;
}

static bool ioremap_is_linear(void __iomem *io, unsigned long size)
{
	unsigned long off;

	for (off = 0; off < size; off += PAGE_SIZE)
		if (vmalloc_to_pfn((void __force *)io + off) != PHYS_PFN(ioremap_phys + off))
			return false;
	return true;
}

static int ioremap_size_test(const char *name, unsigned long size)
{
	struct map_args args = { .size = size };
	void __iomem *io;
	bool ok;

	if (!IS_ALIGNED(ioremap_phys, PAGE_SIZE) ||
	    region_intersects(ioremap_phys, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("%s: ioremap_phys=%#lx is not a page-aligned range without RAM\n",
		       name, ioremap_phys);
		return -1;
	}

	io = ioremap(ioremap_phys, size);
	if (!io)
		return -1;
	ok = ioremap_is_linear(io, size);
	report_shape(name, (void __force *)io, size);
	iounmap(io);
	if (!ok) {
		pr_err("%s: %#lx is not mapped linearly\n", name, ioremap_phys);
		return -1;
	}

	return time_rounds(name, size >> PAGE_SHIFT, map_ioremap, unmap_ioremap, &args);
}

static int ioremap_sizes_test(void)
{
	int ret = ioremap_size_test("ioremap_1m", SZ_1M);

	return ioremap_size_test("ioremap_2m", SZ_2M) ?: ret;
}

struct test_case_desc {
	const char *test_name;
	int (*test_func)(void);
	bool xfail;
};

static struct test_case_desc test_case_array[] = {
	{ "fix_size_alloc_test", fix_size_alloc_test, },
	{ "full_fit_alloc_test", full_fit_alloc_test, },
	{ "long_busy_list_alloc_test", long_busy_list_alloc_test, },
	{ "random_size_alloc_test", random_size_alloc_test, },
	{ "fix_align_alloc_test", fix_align_alloc_test, },
	{ "random_size_align_alloc_test", random_size_align_alloc_test, },
	{ "align_shift_alloc_test", align_shift_alloc_test, true },
	{ "pcpu_alloc_test", pcpu_alloc_test, },
	{ "kvfree_rcu_1_arg_vmalloc_test", kvfree_rcu_1_arg_vmalloc_test, },
	{ "kvfree_rcu_2_arg_vmalloc_test", kvfree_rcu_2_arg_vmalloc_test, },
	{ "vm_map_ram_test", vm_map_ram_test, },
	{ "no_block_alloc_test", no_block_alloc_test, true },
	{ "vrealloc_test", vrealloc_test, },
	{ "vmap_shapes_test", vmap_shapes_test, },
	{ "vmalloc_sizes_test", vmalloc_sizes_test, },
	{ "ioremap_sizes_test", ioremap_sizes_test, },
	/* Add a new test case here. */
};

struct test_case_data {
	int test_failed;
	int test_xfailed;
	int test_passed;
	u64 time;
};

static struct test_driver {
	struct task_struct *task;
	struct test_case_data data[ARRAY_SIZE(test_case_array)];

	unsigned long start;
	unsigned long stop;
} *tdriver;

static void shuffle_array(int *arr, int n)
{
	int i, j;

	for (i = n - 1; i > 0; i--)  {
		/* Cut the range. */
		j = get_random_u32_below(i);

		/* Swap indexes. */
		swap(arr[i], arr[j]);
	}
}

static int test_func(void *private)
{
	struct test_driver *t = private;
	int random_array[ARRAY_SIZE(test_case_array)];
	int index, i, j, ret;
	ktime_t kt;
	u64 delta;

	for (i = 0; i < ARRAY_SIZE(test_case_array); i++)
		random_array[i] = i;

	if (!sequential_test_order)
		shuffle_array(random_array, ARRAY_SIZE(test_case_array));

	/*
	 * Block until initialization is done.
	 */
	synchronize_srcu(&prepare_for_test_srcu);

	t->start = get_cycles();
	for (i = 0; i < ARRAY_SIZE(test_case_array); i++) {
		index = random_array[i];

		/*
		 * Skip tests if run_test_mask has been specified.
		 */
		if (!((run_test_mask & (1 << index)) >> index))
			continue;
		kt = ktime_get();
		for (j = 0; j < test_repeat_count; j++) {
			ret = test_case_array[index].test_func();

			if (!ret)
				t->data[index].test_passed++;
			else if (ret && test_case_array[index].xfail)
				t->data[index].test_xfailed++;
			else
				t->data[index].test_failed++;
		}

		/*
		 * Take an average time that test took.
		 */
		delta = (u64) ktime_us_delta(ktime_get(), kt);
		do_div(delta, (u32) test_repeat_count);

		t->data[index].time = delta;
	}
	t->stop = get_cycles();
	test_report_one_done();

	/*
	 * Wait for the kthread_stop() call.
	 */
	while (!kthread_should_stop())
		msleep(10);

	return 0;
}

static int
init_test_configuration(void)
{
	int i;

	/*
	 * A maximum number of workers is defined as hard-coded
	 * value and set to USHRT_MAX. We add such gap just in
	 * case and for potential heavy stressing.
	 */
	nr_threads = clamp(nr_threads, 1, (int) USHRT_MAX);

	/* Allocate the space for test instances. */
	tdriver = kvzalloc_objs(*tdriver, nr_threads);
	if (tdriver == NULL)
		return -1;

	if (test_repeat_count <= 0)
		test_repeat_count = 1;

	if (test_loop_count <= 0)
		test_loop_count = 1;

	if (map_loop_count <= 0)
		map_loop_count = 1;

	/* Without ioremap_phys ioremap_sizes_test does not run (nor count). */
	for (i = 0; i < ARRAY_SIZE(test_case_array); i++) {
		if (ioremap_phys || !str_has_prefix(test_case_array[i].test_name, "ioremap_") ||
		    !(run_test_mask & BIT(i)))
			continue;
		run_test_mask &= ~BIT(i);
		pr_info("%s: not run: no ioremap_phys\n", test_case_array[i].test_name);
	}

	return 0;
}

static void do_concurrent_test(void)
{
	int i, ret, idx;

	/*
	 * Set some basic configurations plus sanity check.
	 */
	ret = init_test_configuration();
	if (ret < 0)
		return;

	/*
	 * Put on hold all workers.
	 */
	idx = srcu_read_lock(&prepare_for_test_srcu);

	for (i = 0; i < nr_threads; i++) {
		struct test_driver *t = &tdriver[i];

		t->task = kthread_run(test_func, t, "vmalloc_test/%d", i);

		if (!IS_ERR(t->task))
			/* Success. */
			atomic_inc(&test_n_undone);
		else
			pr_err("Failed to start %d kthread\n", i);
	}

	/*
	 * Now let the workers do their job.
	 */
	srcu_read_unlock(&prepare_for_test_srcu, idx);

	/*
	 * Sleep quiet until all workers are done with 1 second
	 * interval. Since the test can take a lot of time we
	 * can run into a stack trace of the hung task. That is
	 * why we go with completion_timeout and HZ value.
	 */
	do {
		ret = wait_for_completion_timeout(&test_all_done_comp, HZ);
	} while (!ret);

	for (i = 0; i < nr_threads; i++) {
		struct test_driver *t = &tdriver[i];
		int j;

		if (!IS_ERR(t->task))
			kthread_stop(t->task);

		for (j = 0; j < ARRAY_SIZE(test_case_array); j++) {
			if (!((run_test_mask & (1 << j)) >> j))
				continue;

			pr_info(
				"Summary: %s passed: %d failed: %d xfailed: %d repeat: %d loops: %d avg: %llu usec\n",
				test_case_array[j].test_name,
				t->data[j].test_passed,
				t->data[j].test_failed,
				t->data[j].test_xfailed,
				test_repeat_count, test_loop_count,
				t->data[j].time);
		}

		pr_info("All test took worker%d=%lu cycles\n",
			i, t->stop - t->start);
	}

	kvfree(tdriver);
}

static int __init vmalloc_test_init(void)
{
	do_concurrent_test();
	/* Fail will directly unload the module */
	return IS_BUILTIN(CONFIG_TEST_VMALLOC) ? 0:-EAGAIN;
}

#ifdef MODULE
module_init(vmalloc_test_init)
#else
late_initcall(vmalloc_test_init);
#endif

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Uladzislau Rezki");
MODULE_DESCRIPTION("vmalloc test module");
