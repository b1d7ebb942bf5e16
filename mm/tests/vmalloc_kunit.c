// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for vmap(), vmalloc() and ioremap() mappings.
 *
 * Each mapping is checked through the kernel page tables themselves: which
 * pages it maps, with which kinds of leaf entries, and that nothing is left
 * mapped once it is torn down. mm/kasan/kasan_test_c.c covers the KASAN side
 * of vmalloc and vmap; this suite covers what the mappings hold.
 */
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/pgtable.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/set_memory.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>
#include <xen/xen.h>

#include "../pgalloc-track.h"
#include "../vmalloc.h"

/* Kinds of kernel page-table leaf; VMALLOC_LEAF_NONE counts unmapped pages. */
enum vmalloc_leaf_kind {
	VMALLOC_LEAF_NONE,
	VMALLOC_LEAF_PTE,
	VMALLOC_LEAF_CONT,	/* PTE with the arch's contiguous bit (arm64) */
	VMALLOC_LEAF_PMD,
	VMALLOC_LEAF_PUD,
	NR_VMALLOC_LEAF_KINDS
};

/* What one address maps to, and how far the same leaf entry reaches. */
struct vmalloc_leaf {
	enum vmalloc_leaf_kind kind;
	unsigned long size;	/* from the address to the leaf's end, clamped */
	unsigned long pfn;	/* the PFN the address maps to */
	pte_t pte;		/* the entry, for the PTE kinds */
};

/* Leaf entries of a range by kind; unmapped space is counted in pages. */
struct vmalloc_shape {
	unsigned long nr[NR_VMALLOC_LEAF_KINDS];
};

static void leaf_set(struct vmalloc_leaf *leaf, enum vmalloc_leaf_kind kind,
		     unsigned long addr, unsigned long next, unsigned long pfn)
{
	leaf->kind = kind;
	leaf->size = next - addr;
	leaf->pfn = pfn;
	leaf->pte = __pte(0);
}

/*
 * Decode the kernel page tables at @addr. Only ranges the test owns are
 * walked while they are live, so no table can be freed under the walk.
 */
static void leaf_at(unsigned long addr, unsigned long end,
		    struct vmalloc_leaf *leaf)
{
	pgd_t *pgd = pgd_offset_k(addr);
	p4d_t *p4d;
	pud_t *pud, pudv;
	pmd_t *pmd, pmdv;
	pte_t *ptep, pte;

	if (pgd_none(pgdp_get(pgd)))
		return leaf_set(leaf, VMALLOC_LEAF_NONE, addr, pgd_addr_end(addr, end), 0);
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(p4dp_get(p4d)))
		return leaf_set(leaf, VMALLOC_LEAF_NONE, addr, p4d_addr_end(addr, end), 0);
	pud = pud_offset(p4d, addr);
	pudv = pudp_get(pud);
	if (pud_none(pudv))
		return leaf_set(leaf, VMALLOC_LEAF_NONE, addr, pud_addr_end(addr, end), 0);
	if (pud_leaf(pudv))
		return leaf_set(leaf, VMALLOC_LEAF_PUD, addr, pud_addr_end(addr, end),
				pud_pfn(pudv) + ((addr & ~PUD_MASK) >> PAGE_SHIFT));
	pmd = pmd_offset(pud, addr);
	pmdv = pmdp_get(pmd);
	if (pmd_none(pmdv))
		return leaf_set(leaf, VMALLOC_LEAF_NONE, addr, pmd_addr_end(addr, end), 0);
	if (pmd_leaf(pmdv))
		return leaf_set(leaf, VMALLOC_LEAF_PMD, addr, pmd_addr_end(addr, end),
				pmd_pfn(pmdv) + ((addr & ~PMD_MASK) >> PAGE_SHIFT));
	ptep = pte_offset_kernel(pmd, addr);
	pte = ptep_get(ptep);
	if (pte_none(pte))
		return leaf_set(leaf, VMALLOC_LEAF_NONE, addr, addr + PAGE_SIZE, 0);
	/* A PTE-level block (arm64 CONT_PTE) is counted entry by entry. */
	leaf_set(leaf, arch_vmap_pte_range_unmap_size(addr, ptep) > PAGE_SIZE ?
		 VMALLOC_LEAF_CONT : VMALLOC_LEAF_PTE, addr, addr + PAGE_SIZE, pte_pfn(pte));
	leaf->pte = pte;
}

static void shape_of(unsigned long start, unsigned long end,
		     struct vmalloc_shape *shape)
{
	struct vmalloc_leaf leaf;
	unsigned long addr;

	memset(shape, 0, sizeof(*shape));
	for (addr = start; addr < end; addr += leaf.size) {
		leaf_at(addr, end, &leaf);
		if (leaf.kind == VMALLOC_LEAF_NONE)
			shape->nr[leaf.kind] += leaf.size >> PAGE_SHIFT;
		else
			shape->nr[leaf.kind]++;
	}
}

static unsigned long shape_mapped(const struct vmalloc_shape *shape)
{
	return shape->nr[VMALLOC_LEAF_PTE] + shape->nr[VMALLOC_LEAF_CONT] +
	       shape->nr[VMALLOC_LEAF_PMD] + shape->nr[VMALLOC_LEAF_PUD];
}

/* Page i of [addr, addr + size) maps PFN pfn + i. */
static void expect_maps_pfns(struct kunit *test, unsigned long addr,
			     unsigned long size, unsigned long pfn)
{
	unsigned long i, nr = size >> PAGE_SHIFT;
	struct vmalloc_leaf leaf;

	for (i = 0; i < nr; i++) {
		leaf_at(addr + i * PAGE_SIZE, addr + size, &leaf);
		if (leaf.kind == VMALLOC_LEAF_NONE || leaf.pfn != pfn + i)
			break;
	}
	KUNIT_EXPECT_EQ_MSG(test, i, nr, "page %lu of %lx maps PFN %lx", i, addr, leaf.pfn);
}

/*
 * Page arrays are built from blocks: a high-order allocation, compound or
 * split into order-0 pages the way perf AUX buffers and vmalloc's own backing
 * hold them, a repeat of the previous entry's pages, the pages that follow
 * them in the same allocation (two blocks that happen to be contiguous), or
 * a number of order-0 pages allocated one by one.
 */
enum vmalloc_block_kind {
	VMALLOC_BLOCK_END,	/* zero: ends the list */
	VMALLOC_BLOCK_COMPOUND,
	VMALLOC_BLOCK_SPLIT,
	VMALLOC_BLOCK_AGAIN,
	VMALLOC_BLOCK_NEXT,
	VMALLOC_BLOCK_PAGES,
};

struct vmalloc_block_desc {
	enum vmalloc_block_kind kind;
	unsigned int order;
	unsigned int count;	/* pages of the block to use; 0 for all from @offset */
	unsigned int offset;	/* first page of the block to use */
};

#define VMALLOC_TEST_BLOCKS	8
#define VMALLOC_TEST_ALLOCS	64

/*
 * Leaf entries a mapping must have, worked out by hand from how its array is
 * built, for 4K pages with 2M PMDs: pages in 64K blocks are CONT_PTE-mapped
 * where the arch has them (arm64), PTE-mapped elsewhere (x86_64).
 */
struct vmalloc_shape_4k {
	unsigned int pmd, block_pages, pte_pages;
};

struct vmalloc_page_case {
	const char *name;
	struct vmalloc_block_desc blocks[VMALLOC_TEST_BLOCKS];
	unsigned int swap;	/* if set, pages[swap - 1] and pages[swap] trade places */
	struct vmalloc_shape_4k shape_4k;	/* all zero: no literal expectation */
};

/* The allocations behind a page array, freed when the test ends. */
struct vmalloc_test_pages {
	struct page **pages;
	unsigned int nr;
	struct page *head[VMALLOC_TEST_ALLOCS];
	unsigned int order[VMALLOC_TEST_ALLOCS];
	bool split[VMALLOC_TEST_ALLOCS];
	unsigned int nr_blocks;
};

static void test_pages_free(void *data)
{
	struct vmalloc_test_pages *tp = data;
	unsigned int b, i;

	for (b = 0; b < tp->nr_blocks; b++) {
		if (!tp->split[b]) {
			__free_pages(tp->head[b], tp->order[b]);
			continue;
		}
		for (i = 0; i < 1U << tp->order[b]; i++)
			__free_page(tp->head[b] + i);
	}
}

/*
 * The order of a block that one PMD maps: PMD_SHIFT is not a constant
 * everywhere (powerpc's Book3S-64), and a static table needs one.
 */
#define VMALLOC_ORDER_PMD	UINT_MAX

static unsigned int block_order(const struct vmalloc_block_desc *desc)
{
	return desc->order == VMALLOC_ORDER_PMD ? PMD_SHIFT - PAGE_SHIFT : desc->order;
}

/*
 * A block for @tp, freed with it. Without a free block of its order the
 * test is skipped: what it checks needs the block, but its absence is no
 * failure of the code under test.
 */
static struct page *block_alloc(struct kunit *test, struct vmalloc_test_pages *tp,
				const struct vmalloc_block_desc *desc)
{
	bool split = desc->kind == VMALLOC_BLOCK_SPLIT;
	unsigned int order = block_order(desc);
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	struct page *page;

	if (!split && order)
		gfp |= __GFP_COMP;
	KUNIT_ASSERT_LT(test, tp->nr_blocks, VMALLOC_TEST_ALLOCS);
	page = alloc_pages(gfp, order);
	if (!page)
		kunit_skip(test, "no free order-%u block", order);
	if (split)
		split_page(page, order);
	tp->head[tp->nr_blocks] = page;
	tp->order[tp->nr_blocks] = order;
	tp->split[tp->nr_blocks] = split;
	tp->nr_blocks++;
	return page;
}

static unsigned int block_count(const struct vmalloc_block_desc *desc)
{
	return desc->count ?: (1U << block_order(desc)) - desc->offset;
}

static struct vmalloc_test_pages *test_pages_build(struct kunit *test,
						   const struct vmalloc_page_case *c)
{
	const struct vmalloc_block_desc *desc;
	struct vmalloc_test_pages *tp;
	struct page *page = NULL, *next = NULL;
	unsigned int nr = 0, i;

	for (desc = c->blocks; desc < c->blocks + VMALLOC_TEST_BLOCKS && desc->kind; desc++)
		nr += block_count(desc);

	tp = kunit_kzalloc(test, sizeof(*tp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tp);
	tp->pages = kunit_kcalloc(test, nr, sizeof(*tp->pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tp->pages);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, test_pages_free, tp));

	for (desc = c->blocks; tp->nr < nr; desc++) {
		if (desc->kind == VMALLOC_BLOCK_PAGES) {
			for (i = 0; i < desc->count; i++)
				tp->pages[tp->nr++] = block_alloc(test, tp, desc);
			continue;
		}
		if (desc->kind == VMALLOC_BLOCK_NEXT)
			page = next;
		else if (desc->kind != VMALLOC_BLOCK_AGAIN)
			page = block_alloc(test, tp, desc);
		KUNIT_ASSERT_NOT_NULL(test, page);	/* AGAIN or NEXT first */
		page += desc->offset;
		for (i = 0; i < block_count(desc); i++)
			tp->pages[tp->nr++] = page + i;
		next = page + i;
	}
	if (c->swap)
		swap(tp->pages[c->swap - 1], tp->pages[c->swap]);
	return tp;
}

/* Is any page of @tp mapped anywhere in the vmalloc space? One walk. */
static bool test_pages_mapped(struct vmalloc_test_pages *tp)
{
	unsigned long addr, pfn, nr;
	struct vmalloc_leaf leaf;
	bool mapped = false;
	unsigned int b;

	/*
	 * The walk covers areas the test does not own: hold init_mm's mmap
	 * lock, as ptdump does, so that no table is freed under it.
	 */
	mmap_write_lock(&init_mm);
	for (addr = VMALLOC_START; addr < VMALLOC_END && !mapped; addr += leaf.size) {
		leaf_at(addr, VMALLOC_END, &leaf);
		for (b = 0; b < tp->nr_blocks && leaf.kind != VMALLOC_LEAF_NONE; b++) {
			pfn = page_to_pfn(tp->head[b]);
			nr = 1UL << tp->order[b];
			mapped |= leaf.pfn < pfn + nr && pfn < leaf.pfn + (leaf.size >> PAGE_SHIFT);
		}
	}
	mmap_write_unlock(&init_mm);
	return mapped;
}

#define VMALLOC_TEST_MAGIC	0x766d616c6c6f6321UL

/* Is page i of the mapping pages[i], both ways for reads and writes? */
static void expect_maps_pages(struct kunit *test, void *va,
			      struct page **pages, unsigned int nr)
{
	unsigned long *word;
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (vmalloc_to_page(va + i * PAGE_SIZE) != pages[i])
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, nr, "vmalloc_to_page() differs from pages[%u]", i);

	/* Values depend on the page, not the index: a page may be mapped twice. */
	for (i = 0; i < nr; i++) {
		word = va + i * PAGE_SIZE;
		word[0] = page_to_pfn(pages[i]) ^ VMALLOC_TEST_MAGIC;
	}
	for (i = 0; i < nr; i++) {
		word = page_address(pages[i]);
		if (word[0] != (page_to_pfn(pages[i]) ^ VMALLOC_TEST_MAGIC))
			break;
		word[1] = ~word[0];
	}
	KUNIT_EXPECT_EQ_MSG(test, i, nr, "write through the mapping lost at page %u", i);
	for (i = 0; i < nr; i++) {
		word = va + i * PAGE_SIZE;
		if (word[1] != ~(page_to_pfn(pages[i]) ^ VMALLOC_TEST_MAGIC))
			break;
	}
	KUNIT_EXPECT_EQ_MSG(test, i, nr, "write through page_address() lost at page %u", i);
}

/*
 * The shift of the PTE-level blocks (arm64 CONT_PTE) of kernel mappings, or 0:
 * the shift a vmalloc() below a PMD may use.
 */
static unsigned int cont_pte_shift(void)
{
	unsigned int shift = arch_vmap_pte_supported_shift(PMD_SIZE);

	return shift > PAGE_SHIFT ? shift : 0;
}

/*
 * The leaf entries an aligned block of 1 << shift bytes is mapped with: PMDs
 * from PMD_SHIFT up, else PTE-level blocks where the arch has them, else PTEs.
 */
static enum vmalloc_leaf_kind block_leaf_kind(unsigned int shift)
{
	if (shift >= PMD_SHIFT)
		return VMALLOC_LEAF_PMD;
	if (cont_pte_shift() && shift >= cont_pte_shift())
		return VMALLOC_LEAF_CONT;
	return VMALLOC_LEAF_PTE;
}

/* [addr, addr + size), aligned to 1 << shift, holds only block_leaf_kind(shift). */
static void expect_shape(struct kunit *test, unsigned long addr,
			 unsigned long size, unsigned int shift)
{
	enum vmalloc_leaf_kind kind = block_leaf_kind(shift);
	unsigned long nr = size >> (kind == VMALLOC_LEAF_PMD ? PMD_SHIFT : PAGE_SHIFT);
	struct vmalloc_shape shape;

	shape_of(addr, addr + size, &shape);
	KUNIT_EXPECT_EQ_MSG(test, shape.nr[kind], nr, "%luK, shift %u", size / SZ_1K, shift);
	KUNIT_EXPECT_EQ_MSG(test, shape_mapped(&shape), nr,
			    "%luK, shift %u: pud %lu pmd %lu cont %lu pte %lu",
			    size / SZ_1K, shift, shape.nr[VMALLOC_LEAF_PUD],
			    shape.nr[VMALLOC_LEAF_PMD], shape.nr[VMALLOC_LEAF_CONT],
			    shape.nr[VMALLOC_LEAF_PTE]);
}

/*
 * The entries vmalloc_huge() of @size bytes must be mapped with, from the size
 * alone (not from what the area says it holds): PMDs from PMD_SIZE up, else
 * the arch's PTE-level blocks from their size up, else PTEs.
 */
static unsigned int vmalloc_huge_shift(unsigned long size)
{
	if (!vmap_huge_allowed(false))
		return PAGE_SHIFT;
	if (size >= PMD_SIZE && arch_vmap_pmd_supported(PAGE_KERNEL))
		return PMD_SHIFT;
	if (cont_pte_shift() && size >= 1UL << cont_pte_shift())
		return cont_pte_shift();
	return PAGE_SHIFT;
}

/*
 * The block shifts vmap() may use, largest first; 0 ends the list. None if the
 * command line turned large vmap() entries off: the suite also runs booted
 * with "nohugevmap" to check that they are then off.
 */
static void vmap_block_shifts(unsigned int shifts[3])
{
	unsigned int n = 0;

	if (vmap_huge_allowed(true) && arch_vmap_pmd_supported(PAGE_KERNEL))
		shifts[n++] = PMD_SHIFT;
	if (vmap_huge_allowed(true) && cont_pte_shift())
		shifts[n++] = cont_pte_shift();
	shifts[n] = 0;
}

/* Are the @nr pages from @pages on contiguous from an @nr-aligned PFN? */
static bool pages_form_block(struct page **pages, unsigned long nr)
{
	unsigned long pfn = page_to_pfn(pages[0]);
	unsigned long i;

	if (!IS_ALIGNED(pfn, nr))
		return false;
	for (i = 1; i < nr; i++)
		if (page_to_pfn(pages[i]) != pfn + i)
			return false;
	return true;
}

/* Does the array hold a block of 1 << shift bytes at a multiple of its size? */
static bool pages_have_block(struct page **pages, unsigned int count,
			     unsigned int shift)
{
	unsigned long i, nr = 1UL << (shift - PAGE_SHIFT);

	for (i = 0; i + nr <= count; i += nr)
		if (pages_form_block(pages + i, nr))
			return true;
	return false;
}

/*
 * The entry vmap() must give page @i of @pages mapped at @va: the largest
 * block that holds the page, lies inside the mapping, starts at an address
 * aligned to its size and maps an aligned, contiguous run of pages.
 */
static enum vmalloc_leaf_kind vmap_page_kind(unsigned long va, struct page **pages,
					     unsigned int count, unsigned int i,
					     const unsigned int *shifts)
{
	unsigned long block, first, nr;

	for (; *shifts; shifts++) {
		block = 1UL << *shifts;
		nr = block >> PAGE_SHIFT;
		first = ALIGN_DOWN(va + i * PAGE_SIZE, block);
		if (first < va || (first - va) / PAGE_SIZE + nr > count)
			continue;
		if (pages_form_block(pages + (first - va) / PAGE_SIZE, nr))
			return block_leaf_kind(*shifts);
	}
	return VMALLOC_LEAF_PTE;
}

/*
 * vmap() uses blocks only if the array holds one at an index that is a
 * multiple of its size; it then aligns the area to the largest such block and
 * maps every page with the entry vmap_page_kind() gives, and the area says
 * VM_HUGE_MAPPED exactly when some page got a large entry. Otherwise every
 * page gets a PTE.
 */
static void expect_vmap_shape(struct kunit *test, void *ptr,
			      struct page **pages, unsigned int count)
{
	struct vm_struct *area = find_vm_area(ptr);
	unsigned long va = (unsigned long)ptr;
	unsigned int shifts[3], *shift, i;
	enum vmalloc_leaf_kind kind;
	struct vmalloc_leaf leaf;
	unsigned int align;
	bool large = false;

	/* Blocks up to the largest found, which the area is aligned to; else PTEs. */
	vmap_block_shifts(shifts);
	for (shift = shifts; *shift; shift++)
		if (pages_have_block(pages, count, *shift))
			break;
	align = *shift;

	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_EXPECT_FALSE(test, area->flags & VM_ALLOW_HUGE_VMAP);
	KUNIT_EXPECT_FALSE(test, is_vm_area_hugepages(ptr));
	if (align)
		KUNIT_EXPECT_TRUE_MSG(test, IS_ALIGNED(va, 1UL << align),
				      "area at %lx, blocks of shift %u", va, align);
	for (i = 0; i < count; i++) {
		leaf_at(va + i * PAGE_SIZE, va + count * PAGE_SIZE, &leaf);
		kind = vmap_page_kind(va, pages, count, i, shift);
		if (leaf.kind != kind)
			break;
		large |= kind != VMALLOC_LEAF_PTE;
	}
	KUNIT_EXPECT_EQ_MSG(test, i, count, "page %u: leaf kind %d, expected %d",
			    i, leaf.kind, kind);
	KUNIT_EXPECT_EQ_MSG(test, !!(area->flags & VM_HUGE_MAPPED), large,
			    "area flags %lx, blocks of shift %u", area->flags, align);
}

static void expect_range_unmapped(struct kunit *test, unsigned long addr,
				  unsigned long size)
{
	struct vmalloc_shape shape;

	shape_of(addr, addr + size, &shape);
	KUNIT_EXPECT_EQ_MSG(test, shape_mapped(&shape), 0,
			    "%lu leaf entries left in [%lx, %lx)", shape_mapped(&shape),
			    addr, addr + size);
}

KUNIT_DEFINE_ACTION_WRAPPER(vunmap_action, vunmap, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(vfree_action, vfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(free_vm_area_action, free_vm_area, struct vm_struct *);

static void free_page_action(void *page)
{
	__free_page((struct page *)page);
}

static void iounmap_action(void *addr)
{
	iounmap((void __iomem __force *)addr);
}

/*
 * vmap() of @tp fails with @warnings warnings, suppressed and counted, and
 * leaves none of its pages mapped anywhere.
 */
static void expect_vmap_fails(struct kunit *test, struct vmalloc_test_pages *tp,
			      int warnings)
{
	/* NULL if kunit_warning_suppress() fails the test and skips its body. */
	void *va = NULL;

	kunit_warning_suppress(test) {
		va = vmap(tp->pages, tp->nr, VM_MAP, PAGE_KERNEL);
		KUNIT_EXPECT_SUPPRESSED_WARNING_COUNT(test, warnings);
	}
	if (va)
		kunit_add_action(test, vunmap_action, va);
	KUNIT_EXPECT_NULL(test, va);
	KUNIT_EXPECT_FALSE(test, test_pages_mapped(tp));
}

#define BLK(k, o)	{ .kind = VMALLOC_BLOCK_##k, .order = (o) }
#define BLK_N(k, o, n)	{ .kind = VMALLOC_BLOCK_##k, .order = (o), .count = (n) }
#define BLK_AT(k, o, off, n) \
	{ .kind = VMALLOC_BLOCK_##k, .order = (o), .offset = (off), .count = (n) }
#define PAGE0		BLK(COMPOUND, 0)
#define PAGES(n)	BLK_N(PAGES, 0, n)

static const struct vmalloc_page_case vmap_cases[] = {
	/* The common case: nothing to batch. */
	{ "order-0", { PAGE0, PAGE0, PAGE0, PAGE0, PAGE0, PAGE0, PAGE0, PAGE0 } },
	{ "single page", { PAGE0 } },
	{ "order-0, 48 pages", { PAGES(48) } },
	/* dma-buf's system heap hands out order 8, then 4, then 0. */
	{ "system heap 8/4/0", { BLK(COMPOUND, 8), BLK(COMPOUND, 4), BLK(COMPOUND, 4),
				 PAGE0, PAGE0, PAGE0 }, .shape_4k = { 0, 288, 3 } },
	{ "order-9 compound", { BLK(COMPOUND, 9) }, .shape_4k = { 1, 0, 0 } },
	/* perf AUX buffers: high order, not compound. */
	{ "non-compound order-8", { BLK(SPLIT, 8) }, .shape_4k = { 0, 256, 0 } },
	{ "non-compound 4 then 8", { BLK(SPLIT, 4), BLK(SPLIT, 8) }, .shape_4k = { 0, 272, 0 } },
	/* 16 small pages keep the blocks after them at block-aligned indices. */
	{ "small pages first", { PAGES(16), BLK(COMPOUND, 8), BLK(COMPOUND, 4) } },
	/* 3 do not: no block can meet an aligned address, all PTEs. */
	{ "small pages first, out of phase",
	  { PAGE0, PAGE0, PAGE0, BLK(COMPOUND, 8), BLK(COMPOUND, 4) } },
	{ "count ends inside a block", { BLK(COMPOUND, 4), BLK_N(COMPOUND, 8, 200) },
	  .shape_4k = { 0, 208, 8 } },
	{ "same block twice", { BLK(COMPOUND, 4), BLK(AGAIN, 4) }, .shape_4k = { 0, 32, 0 } },
	{ "two pages swapped", { BLK(SPLIT, 4), BLK(SPLIT, 4) }, .swap = 8,
	  .shape_4k = { 0, 16, 16 } },
	/* Two order-8 halves of one order-9 block: contiguous, one PMD on 4K. */
	{ "contiguous order-8 neighbours", { BLK_N(SPLIT, 9, 256), BLK_N(NEXT, 0, 256) },
	  .shape_4k = { 1, 0, 0 } },
	/* PFNs one page, then one 64K block, past an aligned start. */
	{ "run misaligned by a page", { BLK_AT(SPLIT, 9, 1, 300) }, .shape_4k = { 0, 0, 300 } },
	{ "run misaligned by a block", { BLK_AT(SPLIT, 9, 16, 480) }, .shape_4k = { 0, 480, 0 } },
	/*
	 * A block that is contiguous up to its last page: a 64K one, and a 2M
	 * one after a whole 2M block, so that the walk may use PMDs there.
	 */
	{ "run broken at its last page", { BLK_N(SPLIT, 4, 15), PAGE0, BLK(COMPOUND, 4) },
	  .shape_4k = { 0, 16, 16 } },
	{ "2M block broken at its last page", { BLK(COMPOUND, 9), BLK_N(SPLIT, 9, 511), PAGE0 },
	  .shape_4k = { 1, 496, 16 } },
};

/*
 * With 4K pages and 2M PMDs, and large vmap() entries on, the mapping has
 * exactly the leaf entries the case lists.
 */
static void expect_shape_4k(struct kunit *test, unsigned long va, unsigned int nr,
			    const struct vmalloc_shape_4k *want)
{
	struct vmalloc_shape shape;
	unsigned int block, pte;

	if (PAGE_SIZE != SZ_4K || PMD_SIZE != SZ_2M || !vmap_huge_allowed(true) ||
	    (cont_pte_shift() && cont_pte_shift() != ilog2(SZ_64K)) ||
	    !(want->pmd | want->block_pages | want->pte_pages))
		return;
	block = cont_pte_shift() ? want->block_pages : 0;
	pte = want->pte_pages + want->block_pages - block;
	shape_of(va, va + nr * PAGE_SIZE, &shape);
	KUNIT_EXPECT_EQ(test, shape.nr[VMALLOC_LEAF_PMD], want->pmd);
	KUNIT_EXPECT_EQ(test, shape.nr[VMALLOC_LEAF_CONT], block);
	KUNIT_EXPECT_EQ(test, shape.nr[VMALLOC_LEAF_PTE], pte);
}

KUNIT_ARRAY_PARAM_DESC(vmap_shapes, vmap_cases, name);

/* vmap() maps every page where it belongs, and vunmap() leaves nothing behind. */
static void vmap_maps_page_arrays(struct kunit *test)
{
	const struct vmalloc_page_case *c = test->param_value;
	struct vmalloc_test_pages *tp = test_pages_build(test, c);
	unsigned long size = (unsigned long)tp->nr << PAGE_SHIFT;
	void *va;

	va = vmap(tp->pages, tp->nr, VM_MAP, PAGE_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vunmap_action, va));

	expect_vmap_shape(test, va, tp->pages, tp->nr);
	expect_shape_4k(test, (unsigned long)va, tp->nr, &c->shape_4k);
	expect_maps_pages(test, va, tp->pages, tp->nr);

	kunit_release_action(test, vunmap_action, va);
	expect_range_unmapped(test, (unsigned long)va, size);
	KUNIT_EXPECT_FALSE(test, test_pages_mapped(tp));
}

/* An array with pages[index] set to NULL. */
struct vmalloc_null_case {
	struct vmalloc_page_case pages;
	unsigned int index;
};

static const struct vmalloc_null_case null_entry_cases[] = {
	{ { "NULL in small pages", { BLK(SPLIT, 3) } }, 5 },
	{ { "NULL inside a run", { BLK(SPLIT, 9) } }, 100 },
	{ { "NULL after a run", { BLK(SPLIT, 4), PAGE0, PAGE0 } }, 17 },
	{ { "NULL at the end of a run", { BLK(SPLIT, 4), BLK(SPLIT, 4) } }, 15 },
};

KUNIT_ARRAY_PARAM_DESC(null_entries, null_entry_cases, pages.name);

/* A NULL page fails the whole vmap() and leaves none of the others mapped. */
static void vmap_rejects_null_page(struct kunit *test)
{
	const struct vmalloc_null_case *c = test->param_value;
	struct vmalloc_test_pages *tp = test_pages_build(test, &c->pages);

	tp->pages[c->index] = NULL;
	expect_vmap_fails(test, tp, 1);
}

/* Counts of zero or beyond RAM fail before any page is looked at. */
static void vmap_rejects_bad_count(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL);
	void *va;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, free_page_action, page));
	va = vmap(&page, 0, VM_MAP, PAGE_KERNEL);
	KUNIT_EXPECT_NULL(test, va);
	if (va)
		vunmap(va);
	va = vmap(&page, totalram_pages() + 1, VM_MAP, PAGE_KERNEL);
	KUNIT_EXPECT_NULL(test, va);
	if (va)
		vunmap(va);
}

/* Protections to map with; made at run time, as x86's depend on the CPU. */
static const char *const prot_names[] = { "PAGE_KERNEL", "PAGE_KERNEL_RO", "PAGE_NONE" };

static pgprot_t prot_named(const char *const *name)
{
	if (name == &prot_names[0])
		return PAGE_KERNEL;
	if (name == &prot_names[1])
		return PAGE_KERNEL_RO;
	return PAGE_NONE;
}

static void prot_desc(const char *const *name, char *desc)
{
	strscpy(desc, *name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(prots, prot_names, prot_desc);

/*
 * Is @pte the entry @want as the arch stores it? UML's set_pte() marks each
 * entry for its host sync, which clears the mark; Xen adds flags of its own
 * to the present entries of a 64-bit PV guest, whose PFNs alone are compared.
 */
static bool pte_stored_as(pte_t pte, pte_t want)
{
#ifdef CONFIG_UML
	pte = __pte(pte_val(pte) & ~_PAGE_NEEDSYNC);
#endif
	if (xen_pv_domain() && pte_present(want))
		return pte_pfn(pte) == pte_pfn(want);
	return pte_val(pte) == pte_val(want);
}

/*
 * vmap() of pages without blocks writes, for each, the entry that pfn_pte()
 * makes, whole. An architecture may make these entries from a template of
 * the protection (arch_vmap_pte_template()), which must keep each bit that
 * pfn_pte() sets, masks or inverts: x86 stores the PFN of a PROT_NONE entry
 * inverted (L1TF).
 */
static void vmap_maps_as_pfn_pte(struct kunit *test)
{
	static const struct vmalloc_page_case eight_pages = { "eight pages", { PAGES(8) } };
	pgprot_t prot = pgprot_nx(prot_named(test->param_value));
	struct vmalloc_test_pages *tp = test_pages_build(test, &eight_pages);
	struct vmalloc_leaf leaf;
	unsigned long addr;
	pte_t want;
	unsigned int i;
	void *va;

	va = vmap(tp->pages, tp->nr, VM_MAP, prot);
	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vunmap_action, va));
	/* powerpc 8xx has 16K blocks, which four of the pages may happen to form. */
	if (find_vm_area(va)->flags & VM_HUGE_MAPPED)
		kunit_skip(test, "the pages formed a block");

	addr = (unsigned long)va;
	for (i = 0; i < tp->nr; i++, addr += PAGE_SIZE) {
		leaf_at(addr, addr + PAGE_SIZE, &leaf);
		want = pfn_pte(page_to_pfn(tp->pages[i]), prot);
		if (leaf.kind != VMALLOC_LEAF_PTE || !pte_stored_as(leaf.pte, want))
			break;
	}
	KUNIT_EXPECT_EQ_MSG(test, i, tp->nr,
			    "page %u: leaf kind %d, entry %llx, pfn_pte() %llx", i, leaf.kind,
			    (u64)pte_val(leaf.pte), (u64)pte_val(want));
}

static const unsigned long vmalloc_huge_sizes[] = { SZ_1M, SZ_2M, SZ_4M };
static const unsigned long ioremap_sizes[] = { SZ_1M, SZ_2M };

static void size_desc(const unsigned long *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%luK", *size / SZ_1K);
}

KUNIT_ARRAY_PARAM(vmalloc_huge_sizes, vmalloc_huge_sizes, size_desc);
KUNIT_ARRAY_PARAM(ioremap_sizes, ioremap_sizes, size_desc);

/*
 * vmalloc(VM_ALLOW_HUGE_VMAP) maps each page of the area where it belongs,
 * with the entries its size allows, and vfree() leaves nothing mapped.
 */
static void vmalloc_huge_maps_and_unmaps(struct kunit *test)
{
	unsigned long size = *(const unsigned long *)test->param_value;
	struct vm_struct *area;
	void *va;

	va = vmalloc_huge(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vfree_action, va));
	area = find_vm_area(va);
	KUNIT_ASSERT_NOT_NULL(test, area);

	expect_maps_pages(test, va, area->pages, size >> PAGE_SHIFT);
	expect_shape(test, (unsigned long)va, size, vmalloc_huge_shift(size));

	kunit_release_action(test, vfree_action, va);
	expect_range_unmapped(test, (unsigned long)va, size);
}

/*
 * vmalloc's own kind of array, as vmap_pages_range() takes it: chunks of
 * PTE-level block size, each contiguous and aligned, a chunk following the
 * one before it in physical memory or not (here chunks 4 and 5 trade
 * places). Every page maps where it belongs, all in PTE-level blocks.
 */
static void vmap_pages_range_maps_chunks(struct kunit *test)
{
	unsigned int shift = cont_pte_shift(), chunk, nr, i;
	struct vmalloc_page_case c = { "chunks" };
	struct vmalloc_test_pages *tp;
	struct vm_struct *area;
	unsigned long addr;

	if (!shift)
		kunit_skip(test, "no PTE-level blocks here");
	chunk = 1U << (shift - PAGE_SHIFT);
	c.blocks[0] = (struct vmalloc_block_desc)BLK(SPLIT, ilog2(16 * chunk));
	tp = test_pages_build(test, &c);
	nr = tp->nr;
	for (i = 0; i < chunk; i++)
		swap(tp->pages[4 * chunk + i], tp->pages[5 * chunk + i]);

	area = __get_vm_area_node(nr * PAGE_SIZE, 1UL << shift, shift, VM_MAP, VMALLOC_START,
				  VMALLOC_END, NUMA_NO_NODE, GFP_KERNEL,
				  __builtin_return_address(0));
	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, free_vm_area_action, area));
	addr = (unsigned long)area->addr;
	KUNIT_ASSERT_EQ(test, 0, vmap_pages_range_noflush(addr, addr + nr * PAGE_SIZE, PAGE_KERNEL,
							  tp->pages, shift, GFP_KERNEL));
	expect_maps_pages(test, area->addr, tp->pages, nr);
	expect_shape(test, addr, nr * PAGE_SIZE, shift);
}

/*
 * A physical range without RAM for ioremap(): the first @size-aligned range
 * above the end of RAM that no RAM resource intersects. Nothing is read or
 * written through it; only its page-table entries are looked at.
 */
static phys_addr_t io_range_find(unsigned long size)
{
	phys_addr_t phys = ALIGN(PFN_PHYS(max_pfn), SZ_1G);
	int tries;

	for (tries = 0; tries < 16; tries++, phys += SZ_1G)
		if (region_intersects(phys, size, IORESOURCE_SYSTEM_RAM,
				      IORES_DESC_NONE) == REGION_DISJOINT)
			return phys;
	return 0;
}

/* ioremap() maps the physical range linearly, and iounmap() removes it. */
static void ioremap_maps_and_unmaps(struct kunit *test)
{
	unsigned long size = *(const unsigned long *)test->param_value;
	phys_addr_t phys = io_range_find(size);
	void __iomem *io;
	void *va;

	if (!phys)
		kunit_skip(test, "no %luK physical range without RAM", size / SZ_1K);
	io = ioremap(phys, size);
	/* UML has no I/O memory: its ioremap() always returns NULL. */
	if (!io && IS_ENABLED(CONFIG_UML))
		kunit_skip(test, "ioremap() maps nothing on UML");
	KUNIT_ASSERT_NOT_NULL_MSG(test, io, "ioremap(%pa, %lu)", &phys, size);
	va = (void __force *)io;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, iounmap_action, va));

	expect_maps_pfns(test, (unsigned long)va, size, PHYS_PFN(phys));
	/* Both addresses are aligned to the size: the largest entry it allows. */
	expect_shape(test, (unsigned long)va, size, ilog2(size));

	kunit_release_action(test, iounmap_action, va);
	expect_range_unmapped(test, (unsigned long)va, size);
}

static const struct vmalloc_page_case order9_case = { "order-9", { BLK(COMPOUND, 9) } };

#define ORDER9_PAGES	512UL

/*
 * vmap() of an order-9 block with area flags @flags, unmapped when the test
 * ends: every page maps where it belongs, and @shape gets its leaf entries.
 */
static unsigned long vmap_order9(struct kunit *test, unsigned long flags,
				 struct vmalloc_shape *shape)
{
	struct vmalloc_test_pages *tp = test_pages_build(test, &order9_case);
	void *va = vmap(tp->pages, tp->nr, flags, PAGE_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vunmap_action, va));
	expect_maps_pages(test, va, tp->pages, tp->nr);
	shape_of((unsigned long)va, (unsigned long)va + tp->nr * PAGE_SIZE, shape);
	return (unsigned long)va;
}

/*
 * An order-9 block takes large entries only, in an area that says so,
 * unless the kernel was booted with "nohugevmap" (or "nohugevmalloc"); then
 * it is mapped with PTEs, as before vmap() looked for runs. make check boots
 * the suite both ways and reads the policy line from the log.
 */
static void vmap_follows_policy(struct kunit *test)
{
	bool large = vmap_huge_allowed(true);
	struct vmalloc_shape shape;
	unsigned long va;

	kunit_info(test, "policy: %s\n", large ? "large entries" : "PTEs only");
	va = vmap_order9(test, VM_MAP, &shape);
	KUNIT_EXPECT_EQ(test, shape.nr[VMALLOC_LEAF_PTE], large ? 0 : ORDER9_PAGES);
	KUNIT_EXPECT_EQ(test, !!(find_vm_area((void *)va)->flags & VM_HUGE_MAPPED), large);
}

/*
 * A caller that passes area flags of its own (VM_DMA_COHERENT, VM_USERMAP)
 * gets PTEs and exactly the flags it asked for: dma_common_find_pages()
 * WARNs on any other flag.
 */
static void vmap_own_flags_keep_ptes(struct kunit *test)
{
	struct vmalloc_shape shape;
	unsigned long va = vmap_order9(test, VM_MAP | VM_USERMAP, &shape);

	KUNIT_EXPECT_EQ(test, find_vm_area((void *)va)->flags, VM_MAP | VM_USERMAP);
	KUNIT_EXPECT_EQ(test, shape.nr[VMALLOC_LEAF_PTE], ORDER9_PAGES);
}

static bool leaf_writable(unsigned long addr)
{
	pte_t pte = ptep_get(virt_to_kpte(addr));

	return pte_write(pte);
}

/*
 * set_memory_ro() on one page inside the blocks of a vmap() area either
 * fails and leaves the mapping as it was (arm64 changes only VM_ALLOC areas
 * mapped with PTEs, riscv only areas with a page array) or splits the block
 * and makes exactly that page read-only (x86); set_memory_rw() then undoes
 * it. Never half of it. Where vmap() maps with PTEs only, the same holds
 * for its PTEs.
 */
static void vmap_set_memory_on_blocks(struct kunit *test)
{
	struct vmalloc_shape before, after;
	unsigned long va, page, pfn;
	unsigned int shifts[3];
	int ret;

	if (!IS_ENABLED(CONFIG_ARCH_HAS_SET_MEMORY))
		kunit_skip(test, "no set_memory_ro() on this architecture");
	vmap_block_shifts(shifts);
	va = vmap_order9(test, VM_MAP, &before);
	if (shifts[0])
		KUNIT_ASSERT_EQ_MSG(test, before.nr[VMALLOC_LEAF_PTE], 0, "no block to change");
	pfn = vmalloc_to_pfn((void *)va);
	page = va + 17 * PAGE_SIZE;
	ret = set_memory_ro(page, 1);
	shape_of(va, va + ORDER9_PAGES * PAGE_SIZE, &after);
	if (ret) {
		/* x86 fails only where it cannot allocate the split. */
		KUNIT_EXPECT_EQ(test, ret, IS_ENABLED(CONFIG_X86) ? -ENOMEM : -EINVAL);
		KUNIT_EXPECT_MEMEQ(test, &after, &before, sizeof(before));
	} else {
		/* Split: now PTEs, and only the one page lost its write bit. */
		KUNIT_EXPECT_EQ(test, shape_mapped(&after), ORDER9_PAGES);
		KUNIT_EXPECT_FALSE(test, leaf_writable(page));
		KUNIT_EXPECT_TRUE(test, leaf_writable(page - PAGE_SIZE));
		KUNIT_EXPECT_TRUE(test, leaf_writable(page + PAGE_SIZE));
		KUNIT_EXPECT_EQ(test, 0, set_memory_rw(page, 1));
		KUNIT_EXPECT_TRUE(test, leaf_writable(page));
	}
	expect_maps_pfns(test, va, ORDER9_PAGES * PAGE_SIZE, pfn);
}

/*
 * An order-9 block split into pages, pages[@index] replaced by the page of a
 * PFN without memory map: that of the first @size-aligned physical range that
 * is not RAM. Skips where pfn_to_page() of such a PFN is not arithmetic.
 */
static struct vmalloc_test_pages *
test_pages_with_invalid_pfn(struct kunit *test, unsigned long size, unsigned int index)
{
	struct vmalloc_test_pages *tp;
	phys_addr_t phys;

	if (!IS_ENABLED(CONFIG_SPARSEMEM_VMEMMAP) && !IS_ENABLED(CONFIG_FLATMEM))
		kunit_skip(test, "pfn_to_page() of a PFN without memory map is not arithmetic");
	phys = io_range_find(size);
	if (!phys || pfn_valid(PHYS_PFN(phys)))
		kunit_skip(test, "no physical range without memory map found");
	tp = test_pages_build(test, &null_entry_cases[1].pages);
	tp->pages[index] = pfn_to_page(PHYS_PFN(phys));
	return tp;
}

/*
 * A page whose PFN has no memory map fails vmap() with a warning and leaves
 * nothing mapped: here the PFN of a physical range that is not RAM, inside
 * what would be a run. Only where pfn_to_page() is arithmetic.
 */
static void vmap_rejects_invalid_pfn(struct kunit *test)
{
	expect_vmap_fails(test, test_pages_with_invalid_pfn(test, PAGE_SIZE, 100), 1);
}

/*
 * vmalloc's own array is not compared page by page: each chunk is one
 * allocation. Its first page must still be a real page before a PMD maps
 * the chunk. Here a PFN without memory map, PMD-aligned, heads the chunk:
 * the walk warns once, fails with -EINVAL and maps nothing, no PMD over a
 * range that is not RAM. Only where pfn_to_page() is arithmetic.
 */
static void vmap_pages_range_checks_chunk_head(struct kunit *test)
{
	struct vmalloc_test_pages *tp;
	struct vm_struct *area;
	unsigned long addr;
	int err;

	if (!IS_ENABLED(CONFIG_HAVE_ARCH_HUGE_VMALLOC) || !arch_vmap_pmd_supported(PAGE_KERNEL))
		kunit_skip(test, "vmalloc() maps no PMDs here");
	if (PMD_SIZE > SZ_2M)
		kunit_skip(test, "PMD chunks are order-9 blocks with 4K pages only");
	tp = test_pages_with_invalid_pfn(test, PMD_SIZE, 0);

	area = __get_vm_area_node(PMD_SIZE, PMD_SIZE, PMD_SHIFT, VM_MAP, VMALLOC_START,
				  VMALLOC_END, NUMA_NO_NODE, GFP_KERNEL,
				  __builtin_return_address(0));
	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, free_vm_area_action, area));
	addr = (unsigned long)area->addr;
	kunit_warning_suppress(test) {
		err = vmap_pages_range_noflush(addr, addr + PMD_SIZE, PAGE_KERNEL, tp->pages,
					       PMD_SHIFT, GFP_KERNEL);
		KUNIT_EXPECT_SUPPRESSED_WARNING_COUNT(test, 1);
	}
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	expect_range_unmapped(test, addr, PMD_SIZE);
}

/* vmap_huge_area() when the vmalloc space has no aligned area free. */
static struct vm_struct *no_aligned_area(unsigned long size, unsigned long flags,
					 unsigned int shift, const void *caller)
{
	return NULL;
}

/*
 * Without an aligned area free, an array that holds blocks is mapped with
 * PTEs in an ordinary area, which does not say VM_HUGE_MAPPED.
 */
static void vmap_falls_back_to_ptes(struct kunit *test)
{
	struct vmalloc_shape shape;
	unsigned long va;

	kunit_activate_static_stub(test, vmap_huge_area, no_aligned_area);
	va = vmap_order9(test, VM_MAP, &shape);
	KUNIT_EXPECT_EQ(test, shape.nr[VMALLOC_LEAF_PTE], ORDER9_PAGES);
	KUNIT_EXPECT_FALSE(test, find_vm_area((void *)va)->flags & VM_HUGE_MAPPED);
}

static atomic_t vmap_purges;

static int count_vmap_purge(struct notifier_block *nb, unsigned long action, void *data)
{
	atomic_inc(&vmap_purges);
	return NOTIFY_DONE;
}

static struct notifier_block vmap_purge_counter = { .notifier_call = count_vmap_purge };

static void unregister_purge_counter(void *nb)
{
	unregister_vmap_purge_notifier(nb);
}

/*
 * When no aligned area is free (here: aligned to 1 << 63, an address no
 * vmalloc space holds), vmap_huge_area() gives up at once, without purging
 * lazily freed areas or calling the vmap notifiers, which ordinary requests
 * still do when the space is short. The same request from vmalloc() calls
 * them, which shows that the count counts.
 */
static void vmap_huge_area_never_purges(struct kunit *test)
{
	unsigned int shift = BITS_PER_LONG - 1;
	void *va;

	atomic_set(&vmap_purges, 0);
	KUNIT_ASSERT_EQ(test, 0, register_vmap_purge_notifier(&vmap_purge_counter));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, unregister_purge_counter,
							   &vmap_purge_counter));

	KUNIT_EXPECT_NULL(test, vmap_huge_area(PAGE_SIZE, VM_MAP, shift, __func__));
	KUNIT_EXPECT_EQ(test, atomic_read(&vmap_purges), 0);

	va = __vmalloc_node_range(PAGE_SIZE, 1UL << shift, VMALLOC_START, VMALLOC_END,
				  GFP_KERNEL | __GFP_NOWARN, PAGE_KERNEL, 0, NUMA_NO_NODE,
				  __func__);
	KUNIT_EXPECT_NULL(test, va);
	vfree(va);
	KUNIT_EXPECT_GT(test, atomic_read(&vmap_purges), 0);
}

/*
 * The area the next vmap_huge_area() hands out, once: one page is mapped in
 * it. vmap()'s error path frees it.
 */
static struct vm_struct *live_area;

static struct vm_struct *area_with_live_entry(unsigned long size, unsigned long flags,
					      unsigned int shift, const void *caller)
{
	struct vm_struct *area = live_area;

	live_area = NULL;
	return area;
}

/* Where a live entry is planted: page 100 of a block. */
struct vmalloc_live_case {
	const char *name;
	struct vmalloc_page_case pages;
	bool under_pmd;		/* the walk maps a PMD over it */
	bool leaf;		/* a PMD leaf mapping the pages, not page 100 */
};

static const struct vmalloc_live_case live_cases[] = {
	/*
	 * Pages from one past an aligned PFN (PTEs) before an order-8 block,
	 * which holds a whole PTE-level block with 4K, 16K and 64K pages.
	 */
	{ "among small pages",
	  { "pages, then order-8", { BLK_AT(SPLIT, 8, 1, 128), BLK(COMPOUND, 8) } }, false },
	{ "inside a CONT run", { "order-8", { BLK(SPLIT, 8) } }, false },
	{ "under a PMD", { "order-9", { BLK(SPLIT, VMALLOC_ORDER_PMD) } }, true },
	{ "a PMD leaf", { "order-9", { BLK(SPLIT, VMALLOC_ORDER_PMD) } }, true, true },
};

KUNIT_ARRAY_PARAM_DESC(live_entries, live_cases, name);

/*
 * An entry that is already in use where vmap() maps a run: vmap() warns
 * once, fails, and leaves nothing mapped, the planted page included (its
 * error path unmaps the whole area). A PTE table under a PMD is read for
 * live entries only with DEBUG_VM. A PMD leaf that maps the same pages
 * with the same protection is refused too: arm64's pmd_set_huge() would
 * accept it, x86's pmd_free_pte_page() would free its first page.
 */
static void vmap_refuses_live_entry(struct kunit *test)
{
	const struct vmalloc_live_case *c = test->param_value;
	struct vmalloc_test_pages *tp;
	struct vmalloc_leaf leaf;
	struct page *page;
	unsigned long va, addr;
	int err;

	if (!vmap_huge_allowed(true))
		kunit_skip(test, "vmap() maps with PTEs only here");
	if (!c->under_pmd && !cont_pte_shift())
		kunit_skip(test, "no PTE-level blocks here");
	if (c->under_pmd && PMD_SIZE > SZ_2M)
		kunit_skip(test, "PMDs are mapped from order-9 blocks with 4K pages only");
	if (c->under_pmd && !c->leaf && !IS_ENABLED(CONFIG_DEBUG_VM))
		kunit_skip(test, "PTE tables under a PMD are checked with DEBUG_VM");
	tp = test_pages_build(test, &c->pages);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, free_page_action, page));
	live_area = __get_vm_area_node(tp->nr * PAGE_SIZE, PMD_SIZE, PAGE_SHIFT, VM_MAP,
				       VMALLOC_START, VMALLOC_END, NUMA_NO_NODE,
				       GFP_KERNEL, __builtin_return_address(0));
	KUNIT_ASSERT_NOT_NULL(test, live_area);
	va = (unsigned long)live_area->addr;
	addr = va + 100 * PAGE_SIZE;
	/*
	 * Zeroed, the leaf's first page reads as a PTE table of none entries
	 * to DEBUG_VM's check of a table under a PMD: only the test for a leaf
	 * itself can refuse it.
	 */
	if (c->leaf) {
		clear_highpage(tp->pages[0]);
		err = vmap_page_range(va, va + PMD_SIZE, page_to_phys(tp->pages[0]),
				      PAGE_KERNEL);
	} else {
		err = vmap_pages_range_noflush(addr, addr + PAGE_SIZE, PAGE_KERNEL,
					       &page, PAGE_SHIFT, GFP_KERNEL);
	}
	if (err) {
		free_vm_area(live_area);
		KUNIT_FAIL(test, "could not plant a live entry");
		return;
	}
	if (c->leaf) {
		leaf_at(va, va + PMD_SIZE, &leaf);
		if (leaf.kind != VMALLOC_LEAF_PMD) {
			free_vm_area(live_area);
			kunit_skip(test, "vmap_page_range() maps no PMD here");
		}
	}

	kunit_activate_static_stub(test, vmap_huge_area, area_with_live_entry);
	expect_vmap_fails(test, tp, 1);
	if (live_area) {
		/* Not unmapped while its pages are freed. */
		free_vm_area(live_area);
		live_area = NULL;
		KUNIT_FAIL(test, "vmap() asked for no aligned area");
		return;
	}
	expect_range_unmapped(test, va, tp->nr * PAGE_SIZE);
}

/* What the second 2M of the 1G range maps before the PUD-sized walk. */
struct vmalloc_under_pud_case {
	const char *name;
	bool pte;		/* one page, not a PMD leaf */
};

static const struct vmalloc_under_pud_case under_pud_cases[] = {
	{ "a PMD leaf", false },
	{ "a PTE", true },
};

KUNIT_ARRAY_PARAM_DESC(under_pud, under_pud_cases, name);

/*
 * A PUD-sized vmap_page_range() over a PMD table that maps a leaf, or (with
 * DEBUG_VM) a PTE: the walk does not put a PUD over the table
 * (pud_free_pmd_page() would take the leaf for a PTE table, and free a PTE
 * table unread), maps a PMD before it, refuses the live entry with one
 * warning and -EBUSY, and what it mapped unmaps. The range has no RAM: it
 * is mapped uncached in an ioremap area, which /proc/kcore does not read,
 * and never accessed.
 */
static void vmap_page_range_refuses_leaf_under_pud(struct kunit *test)
{
	const struct vmalloc_under_pud_case *c = test->param_value;
	enum vmalloc_leaf_kind kind = c->pte ? VMALLOC_LEAF_PTE : VMALLOC_LEAF_PMD;
	unsigned long size = c->pte ? PAGE_SIZE : PMD_SIZE;
	pgprot_t prot = pgprot_noncached(PAGE_KERNEL);
	struct vmalloc_leaf leaf;
	struct vm_struct *area;
	unsigned long va, live;
	phys_addr_t phys;
	int err;

	if (!arch_vmap_pud_supported(prot) || PUD_SIZE != SZ_1G)
		kunit_skip(test, "no 1G PUD entries for vmap_page_range() here");
	if (IS_ENABLED(CONFIG_KASAN_VMALLOC))
		kunit_skip(test, "1G of vmalloc space would take 128M of KASAN shadow");
	if (c->pte && !IS_ENABLED(CONFIG_DEBUG_VM))
		kunit_skip(test, "PTE tables under a PMD table are checked with DEBUG_VM");
	phys = io_range_find(PUD_SIZE);
	if (!phys)
		kunit_skip(test, "no 1G physical range without RAM");
	area = __get_vm_area_node(PUD_SIZE, PUD_SIZE, PAGE_SHIFT, VM_IOREMAP, VMALLOC_START,
				  VMALLOC_END, NUMA_NO_NODE, GFP_KERNEL,
				  __builtin_return_address(0));
	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, free_vm_area_action, area));
	va = (unsigned long)area->addr;

	/* The walk must be able to map PMDs here (not with nohugeiomap, say). */
	KUNIT_ASSERT_EQ(test, 0, vmap_page_range(va + 2 * PMD_SIZE, va + 3 * PMD_SIZE,
						 phys + 2 * PMD_SIZE, prot));
	leaf_at(va + 2 * PMD_SIZE, va + 3 * PMD_SIZE, &leaf);
	vunmap_range(va + 2 * PMD_SIZE, va + 3 * PMD_SIZE);
	if (leaf.kind != VMALLOC_LEAF_PMD)
		kunit_skip(test, "vmap_page_range() maps no PMD here");

	/* The live entry, in the second PMD of the range: what the walk would map. */
	live = va + PMD_SIZE + (c->pte ? 7 * PAGE_SIZE : 0);
	KUNIT_ASSERT_EQ(test, 0, vmap_page_range(live, live + size, phys + (live - va), prot));
	leaf_at(live, live + size, &leaf);
	KUNIT_ASSERT_EQ(test, leaf.kind, kind);

	kunit_warning_suppress(test) {
		err = vmap_page_range(va, va + PUD_SIZE, phys, prot);
		KUNIT_EXPECT_SUPPRESSED_WARNING_COUNT(test, 1);
	}
	KUNIT_EXPECT_EQ(test, err, -EBUSY);
	leaf_at(va, va + PMD_SIZE, &leaf);
	KUNIT_EXPECT_EQ(test, leaf.kind, VMALLOC_LEAF_PMD);
	leaf_at(live, live + size, &leaf);
	KUNIT_EXPECT_EQ(test, leaf.kind, kind);
	KUNIT_EXPECT_EQ(test, leaf.pfn, PHYS_PFN(phys + (live - va)));
	vunmap_range(va, va + PUD_SIZE);
	expect_range_unmapped(test, va, PUD_SIZE);
}

/*
 * vmap_pte_alloc() that fails at every PMD boundary: past the first page
 * table of an area, and after whatever a PMD mapped before it.
 */
static pte_t *pte_alloc_fails_at_pmd(pmd_t *pmd, unsigned long addr,
				     pgtbl_mod_mask *mask)
{
	if (IS_ALIGNED(addr, PMD_SIZE))
		return NULL;
	return pte_alloc_kernel_track(pmd, addr, mask);
}

static const struct vmalloc_page_case pte_table_cases[] = {
	/* One page past an aligned start: no block, all PTEs. */
	{ "PTEs only", { BLK_AT(SPLIT, VMALLOC_ORDER_PMD, 1, 0), BLK(SPLIT, 4) } },
	{ "runs", { BLK(SPLIT, VMALLOC_ORDER_PMD), BLK(SPLIT, 4) } },
};

KUNIT_ARRAY_PARAM_DESC(pte_table_failures, pte_table_cases, name);

/*
 * A page table that cannot be allocated halfway through the walk fails
 * vmap() without a warning and with nothing left mapped, for an array
 * without blocks (the walk with PTEs only) and for one with runs (the walk
 * with large entries): both cross a PMD boundary of their area.
 */
static void vmap_survives_pte_table_failure(struct kunit *test)
{
	struct vmalloc_test_pages *tp;

	if (PMD_SIZE > SZ_2M)
		kunit_skip(test, "arrays across a PMD boundary are too large here");
	tp = test_pages_build(test, test->param_value);
	kunit_activate_static_stub(test, vmap_pte_alloc, pte_alloc_fails_at_pmd);
	expect_vmap_fails(test, tp, 0);
}

/* What the failing stubs saw while a __GFP_NOFAIL case ran. */
static struct {
	pgtbl_mod_mask *walk;	/* the previous call's walk, by its mask */
	unsigned long prev;	/* address of the previous call */
	pmd_t *prev_pmd;	/* what it returned (pmd_alloc_fails_once()) */
	unsigned long first;	/* start of the walk that failed */
	bool failed;
	bool left_leaf;		/* the failed walk left a PMD leaf */
	bool live_on_retry;	/* the retry met entries of the failed walk */
} nofail_walk;

/*
 * Should the stubs' call for the table of @addr fail? Once, where a walk
 * reaches its second table, @span apart from the first; a call belongs to
 * the same walk as the one before it if it passes the same mask.
 */
static bool nofail_walk_fails_here(unsigned long addr, pgtbl_mod_mask *mask,
				   unsigned long span)
{
	bool second = mask == nofail_walk.walk && IS_ALIGNED(addr, span) &&
		      ALIGN_DOWN(nofail_walk.prev, span) == addr - span;

	if (second && !nofail_walk.failed) {
		nofail_walk.failed = true;
		nofail_walk.first = nofail_walk.prev;
		return true;
	}
	nofail_walk.walk = mask;
	nofail_walk.prev = addr;
	return false;
}

/*
 * vmap_pte_alloc() that fails once, at the second PTE table of a walk (a
 * vmalloc() may map its page array first, in a walk of its own). When the
 * retry comes back to the start of the failed walk and finds it still
 * mapping, it records that and clears the entries itself, with pte_clear()
 * rather than the unmapping under test, so that a broken retry or a broken
 * unmap ends in a failed expectation rather than in a loop that never ends.
 */
static pte_t *pte_alloc_fails_once(pmd_t *pmd, unsigned long addr,
				   pgtbl_mod_mask *mask)
{
	unsigned long i, nr = (ALIGN_DOWN(addr, PMD_SIZE) + PMD_SIZE - addr) >> PAGE_SHIFT;
	pte_t *pte;

	if (nofail_walk_fails_here(addr, mask, PMD_SIZE))
		return NULL;
	pte = pte_alloc_kernel_track(pmd, addr, mask);
	if (!pte || !nofail_walk.failed || addr != nofail_walk.first)
		return pte;
	/* The failed walk mapped up to its second PTE table: all of this one. */
	for (i = 0; i < nr; i++) {
		if (pte_none(ptep_get(pte + i)))
			continue;
		nofail_walk.live_on_retry = true;
		pte_clear(&init_mm, addr + i * PAGE_SIZE, pte + i);
	}
	flush_tlb_kernel_range(addr, addr + nr * PAGE_SIZE);
	return pte;
}

/*
 * What a __GFP_NOFAIL vmalloc() of @size bytes at @va must have come to after
 * pte_alloc_fails_once(): a retry from nothing, every page mapped with the
 * entries of @shift, and nothing left mapped once it is freed.
 */
static void expect_nofail_retried(struct kunit *test, void *va,
				  unsigned long size, unsigned int shift)
{
	struct vm_struct *area;

	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vfree_action, va));

	KUNIT_EXPECT_TRUE_MSG(test, nofail_walk.failed, "no walk reached a second table");
	KUNIT_EXPECT_FALSE_MSG(test, nofail_walk.live_on_retry,
			       "the retry met the entries of the failed walk");
	area = find_vm_area(va);
	KUNIT_ASSERT_NOT_NULL(test, area);
	expect_maps_pages(test, va, area->pages, size >> PAGE_SHIFT);
	expect_shape(test, (unsigned long)va, size, shift);

	kunit_release_action(test, vfree_action, va);
	expect_range_unmapped(test, (unsigned long)va, size);
}

/*
 * vmalloc(__GFP_NOFAIL) retries a walk that failed part way. The retry must
 * start from a range that maps nothing: the walk refuses a live entry with
 * -EBUSY, so a retry over the entries of the failed attempt would never end.
 * The area is larger than a PMD, so that it needs two PTE tables at least;
 * it skips where a PMD is larger than 32M (arm64 64K pages: 512M, half the
 * memory of kunit.py's QEMU machines, for an allocation that may not fail).
 * It runs first: a case that fails may leave entries mapped in the vmalloc
 * space, and a __GFP_NOFAIL vmalloc() that lands on them retries for ever.
 */
static void vmalloc_nofail_retries_from_nothing(struct kunit *test)
{
	unsigned long size = PMD_SIZE + 2 * PAGE_SIZE;
	void *va;

	if (PMD_SIZE > SZ_32M)
		kunit_skip(test, "an area across a PMD boundary is too large here");
	memset(&nofail_walk, 0, sizeof(nofail_walk));
	kunit_activate_static_stub(test, vmap_pte_alloc, pte_alloc_fails_once);
	va = __vmalloc(size, GFP_KERNEL | __GFP_NOFAIL);
	kunit_deactivate_static_stub(test, vmap_pte_alloc);
	expect_nofail_retried(test, va, size, PAGE_SHIFT);
}

/*
 * vmalloc_huge() of @size bytes with __GFP_NOFAIL, at @start exactly (the
 * range allowed is the area and its guard page).
 */
static void *vmalloc_huge_nofail_at(unsigned long start, unsigned long size)
{
	return __vmalloc_node_range(size, 1, start, start + size + PAGE_SIZE,
				    GFP_KERNEL | __GFP_NOFAIL, PAGE_KERNEL,
				    VM_ALLOW_HUGE_VMAP, NUMA_NO_NODE,
				    __builtin_return_address(0));
}

/*
 * The same with PTE-level blocks (arm64's CONT_PTE): vmalloc_huge() of half
 * a PMD maps blocks, and the failed walk leaves one, in the PTE table before
 * a PMD boundary. An area below a PMD's size lies across a boundary only if
 * placed so: the range allowed is exactly the area (with its guard page),
 * from one block before a boundary, in space that an area of two PMDs has
 * just found free. free_vm_area() frees that space lazily: alloc_vmap_area()
 * purges lazy areas when the range it is given is full, and then takes it.
 * It runs second, for the reason the first case runs first.
 */
static void vmalloc_huge_nofail_retries_from_nothing(struct kunit *test)
{
	unsigned long size = PMD_SIZE / 2, block, start;
	unsigned int shift = vmalloc_huge_shift(size);
	struct vm_struct *probe;
	void *va;

	if (PMD_SIZE > SZ_32M)
		kunit_skip(test, "an area across a PMD boundary is too large here");
	if (shift == PAGE_SHIFT)
		kunit_skip(test, "vmalloc_huge() maps no PTE-level blocks here");
	block = 1UL << shift;
	probe = get_vm_area(2 * PMD_SIZE, VM_ALLOC);
	KUNIT_ASSERT_NOT_NULL(test, probe);
	start = ALIGN((unsigned long)probe->addr + block, PMD_SIZE) - block;
	free_vm_area(probe);

	memset(&nofail_walk, 0, sizeof(nofail_walk));
	kunit_activate_static_stub(test, vmap_pte_alloc, pte_alloc_fails_once);
	va = vmalloc_huge_nofail_at(start, size);
	kunit_deactivate_static_stub(test, vmap_pte_alloc);
	KUNIT_EXPECT_PTR_EQ(test, va, (void *)start);
	expect_nofail_retried(test, va, size, shift);
}

/*
 * vmap_pmd_alloc() that fails once, at the second PMD table of a walk, as
 * pte_alloc_fails_once() does for PTE tables, and records whether the walk
 * had mapped a PMD leaf where it began; on the retry, it clears the leaves
 * the failed walk left in its first table itself.
 */
static pmd_t *pmd_alloc_fails_once(pud_t *pud, unsigned long addr,
				   pgtbl_mod_mask *mask)
{
	unsigned long i, nr;
	pmd_t *pmd;

	if (nofail_walk_fails_here(addr, mask, PMD_SIZE * PTRS_PER_PMD)) {
		nofail_walk.left_leaf = nofail_walk.prev_pmd &&
					 pmd_leaf(pmdp_get(nofail_walk.prev_pmd));
		return NULL;
	}
	pmd = pmd_alloc_track(&init_mm, pud, addr, mask);
	nofail_walk.prev_pmd = pmd;
	if (!pmd || !nofail_walk.failed || addr != nofail_walk.first)
		return pmd;
	nr = PTRS_PER_PMD - pmd_index(addr);
	for (i = 0; i < nr; i++) {
		if (!pmd_leaf(pmdp_get(pmd + i)))
			continue;
		nofail_walk.live_on_retry = true;
		pmd_clear(pmd + i);
		flush_tlb_kernel_range(addr + i * PMD_SIZE, addr + (i + 1) * PMD_SIZE);
	}
	return pmd;
}

/*
 * The same with PMD leaves: vmalloc_huge() of two PMDs, placed across the
 * boundary of two PMD tables, so that the failed walk leaves a PMD leaf.
 * The space is found without reserving a table's span (1G with 4K pages,
 * which KASAN would give shadow): an area aligned to the span, then the
 * exact range from one PMD below its start, free or the case skips.
 */
static void vmalloc_huge_nofail_retries_over_pmds(struct kunit *test)
{
	unsigned long size = 2 * PMD_SIZE, span = PMD_SIZE * PTRS_PER_PMD, start;
	struct vm_struct *probe;
	void *va;

	if (PMD_SIZE > SZ_32M)
		kunit_skip(test, "two PMDs are too large here");
	if (vmalloc_huge_shift(size) != PMD_SHIFT)
		kunit_skip(test, "vmalloc_huge() maps no PMDs here");
	probe = __get_vm_area_node(PMD_SIZE, span, PAGE_SHIFT, VM_ALLOC,
				   VMALLOC_START + PMD_SIZE, VMALLOC_END, NUMA_NO_NODE,
				   GFP_KERNEL | __GFP_NOWARN, __builtin_return_address(0));
	if (!probe)
		kunit_skip(test, "no area aligned to a PMD table's span");
	start = (unsigned long)probe->addr - PMD_SIZE;
	free_vm_area(probe);
	probe = __get_vm_area_node(size, PMD_SIZE, PAGE_SHIFT, VM_ALLOC, start,
				   start + size + PAGE_SIZE, NUMA_NO_NODE,
				   GFP_KERNEL | __GFP_NOWARN, __builtin_return_address(0));
	if (!probe)
		kunit_skip(test, "VMALLOC_START + %#lx, %#lx bytes, is in use",
			   start - VMALLOC_START, size);
	free_vm_area(probe);

	memset(&nofail_walk, 0, sizeof(nofail_walk));
	kunit_activate_static_stub(test, vmap_pmd_alloc, pmd_alloc_fails_once);
	va = vmalloc_huge_nofail_at(start, size);
	kunit_deactivate_static_stub(test, vmap_pmd_alloc);
	KUNIT_EXPECT_PTR_EQ(test, va, (void *)start);
	KUNIT_EXPECT_TRUE_MSG(test, nofail_walk.left_leaf, "the failed walk left no PMD leaf");
	expect_nofail_retried(test, va, size, PMD_SHIFT);
}

/*
 * The seed of vmap_random_arrays: vmalloc_kunit.random_seed=N on the kernel
 * command line replays a run; 0 draws a new seed, which the case prints.
 */
static unsigned long long random_seed;
module_param(random_seed, ullong, 0444);
MODULE_PARM_DESC(random_seed, "seed of vmap_random_arrays (0: a new one each run)");

#define RANDOM_ARRAYS		1000
#define RANDOM_MAX_PAGES	1100	/* more than two PMDs of 4K pages */
#define RANDOM_POOL_BLOCKS	4
#define RANDOM_POOL_ORDER	9

/*
 * @nr entries taken from the pool's blocks: runs from a page aligned to a
 * random power of two, single pages, pages repeated. Now and then one entry
 * is NULL or two trade places. Returns whether one is NULL.
 */
static bool random_array(struct rnd_state *rnd, const struct vmalloc_test_pages *pool,
			 struct page **pages, unsigned int nr)
{
	unsigned int i = 0, j, len, off, align, block = 1U << RANDOM_POOL_ORDER;
	struct page *head;

	/* Each random number in a variable: ALIGN_DOWN() and swap() read theirs twice. */
	while (i < nr) {
		head = pool->head[prandom_u32_state(rnd) % pool->nr_blocks];
		off = prandom_u32_state(rnd) % block;
		if (prandom_u32_state(rnd) % 4 == 0) {
			pages[i++] = head + off;
			continue;
		}
		align = 1U << (prandom_u32_state(rnd) % (RANDOM_POOL_ORDER + 1));
		off = ALIGN_DOWN(off, align);
		len = 1 + prandom_u32_state(rnd) % (block - off);
		len = min(len, nr - i);
		while (len--)
			pages[i++] = head + off++;
	}
	i = prandom_u32_state(rnd) % nr;
	j = prandom_u32_state(rnd) % nr;
	switch (prandom_u32_state(rnd) % 16) {
	case 0:
		pages[i] = NULL;
		return true;
	case 1:
		swap(pages[i], pages[j]);
		break;
	case 2:
		pages[i] = pages[j];
		break;
	}
	return false;
}

/*
 * Randomly shaped arrays from a seeded generator: each maps page by page
 * where it belongs with the entries the rule gives and is gone after
 * vunmap(), or, holding a NULL page, fails with one warning. Stops at the
 * first array that does not.
 */
static void vmap_random_arrays(struct kunit *test)
{
	static const struct vmalloc_block_desc pool_block = BLK(SPLIT, RANDOM_POOL_ORDER);
	u64 seed = random_seed ?: get_random_u64();
	unsigned int n, i, nr, nulls = 0;
	struct vmalloc_test_pages *pool;
	struct rnd_state rnd;
	struct page **pages;
	bool null;
	void *va;

	kunit_info(test, "seed %llu (vmalloc_kunit.random_seed=%llu replays it)\n", seed, seed);
	prandom_seed_state(&rnd, seed);
	pool = kunit_kzalloc(test, sizeof(*pool), GFP_KERNEL);
	pages = kunit_kcalloc(test, RANDOM_MAX_PAGES, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, test_pages_free, pool));
	for (i = 0; i < RANDOM_POOL_BLOCKS; i++)
		block_alloc(test, pool, &pool_block);

	kunit_warning_suppress(test) {
		for (n = 0; n < RANDOM_ARRAYS && test->status != KUNIT_FAILURE; n++) {
			nr = 1 + prandom_u32_state(&rnd) % RANDOM_MAX_PAGES;
			null = random_array(&rnd, pool, pages, nr);
			nulls += null;
			va = vmap(pages, nr, VM_MAP, PAGE_KERNEL);
			if (null || !va) {
				KUNIT_EXPECT_EQ_MSG(test, !va, null, "array %u of %u pages", n, nr);
				if (va)
					vunmap(va);
				continue;
			}
			for (i = 0; i < nr; i++)
				if (vmalloc_to_page(va + i * PAGE_SIZE) != pages[i])
					break;
			KUNIT_EXPECT_EQ_MSG(test, i, nr, "array %u: page %u is not pages[%u]",
					    n, i, i);
			expect_vmap_shape(test, va, pages, nr);
			vunmap(va);
			expect_range_unmapped(test, (unsigned long)va, nr * PAGE_SIZE);
		}
		KUNIT_EXPECT_EQ(test, KUNIT_SUPPRESSED_WARNING_COUNT(), nulls);
	}
	kunit_info(test, "%u arrays, %u of them with a NULL page\n", n, nulls);
}

#ifdef pte_set_huge
/* The PA bits that 52-bit layouts keep apart from the rest of the address. */
static const unsigned int pa_split_bits[] = { 48, 50 };

static void pa_bit_desc(const unsigned int *bit, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "across 2^%u", *bit);
}

KUNIT_ARRAY_PARAM(pa_split_bits, pa_split_bits, pa_bit_desc);

/* Can an entry hold @pfn here (PA size and layout decided at boot)? */
static bool pfn_fits_entry(unsigned long pfn)
{
	return pte_pfn(pfn_pte(pfn, PAGE_KERNEL)) == pfn;
}

/*
 * pte_set_huge() on a scratch page of entries, never a live table, for a
 * run of four blocks whose physical range crosses 2^48 or 2^50: every entry
 * maps pfn + i, with the attributes of the first; pte_set_huge_nocheck()
 * writes the same entries.
 */
static void pte_set_huge_across_pa_bits(struct kunit *test)
{
	unsigned int bit = *(const unsigned int *)test->param_value;
	unsigned long size = 4 * (1UL << cont_pte_shift()), nr = size >> PAGE_SHIFT, i;
	phys_addr_t phys = BIT_ULL(bit) - size / 2;
	unsigned long pfn = PHYS_PFN(phys);
	pgprot_t prot;
	struct page *page;
	pte_t *ptes, *copy, first;

	if (!cont_pte_shift() || !pfn_fits_entry(pfn + nr - 1))
		kunit_skip(test, "entries cannot hold PFNs above 2^%u here", bit);
	kunit_info(test, "PA bits %u, %u-bit layout at run time\n", PHYS_MASK_SHIFT,
		   pfn_fits_entry(PHYS_PFN(BIT_ULL(50))) ? 52 : 48);
	KUNIT_ASSERT_LE(test, nr, PTRS_PER_PTE);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, free_page_action, page));
	ptes = page_address(page);

	KUNIT_ASSERT_EQ(test, pte_set_huge(ptes, VMALLOC_START, phys, PAGE_KERNEL, size), 1);
	first = ptep_get(ptes);
	prot = pte_pgprot(first);
	for (i = 0; i < nr; i++) {
		pte_t pte = ptep_get(ptes + i);

		if (pte_pfn(pte) != pfn + i ||
		    pgprot_val(pte_pgprot(pte)) != pgprot_val(prot))
			break;
	}
	KUNIT_EXPECT_EQ_MSG(test, i, nr, "entry %lu of the run from %pa", i, &phys);
	/* It writes nothing over an entry in use. */
	KUNIT_EXPECT_EQ(test, pte_set_huge(ptes, VMALLOC_START, phys, PAGE_KERNEL, size), 0);

	/* Without the check, on entries known none, it writes the same run. */
	copy = kunit_kmalloc_array(test, nr, sizeof(*copy), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	memcpy(copy, ptes, nr * sizeof(*copy));
	memset(ptes, 0, nr * sizeof(*ptes));
	KUNIT_ASSERT_EQ(test, pte_set_huge_nocheck(ptes, VMALLOC_START, phys, PAGE_KERNEL,
						   size), 1);
	KUNIT_EXPECT_MEMEQ(test, ptes, copy, nr * sizeof(*copy));
}

/* The block of four whose last entry is in use. */
static const unsigned int live_blocks[] = { 0, 2 };

static void live_block_desc(const unsigned int *block, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "in block %u of 4", *block + 1);
}

KUNIT_ARRAY_PARAM(live_blocks, live_blocks, live_block_desc);

/*
 * pte_set_huge() on a scratch page of entries, for a run of four blocks one
 * of which ends with an entry in use: it fails, leaves that entry as it was
 * and writes nothing from that block on. The blocks before it may be set (the
 * walk fails, and its caller unmaps the range), so they are not looked at.
 */
static void pte_set_huge_stops_at_live_block(struct kunit *test)
{
	unsigned int live_block = *(const unsigned int *)test->param_value;
	unsigned long block = 1UL << cont_pte_shift(), per = block >> PAGE_SHIFT;
	unsigned long nr = 4 * per, live_at = (live_block + 1) * per - 1, i;
	struct page *page;
	pte_t *ptes, live;

	if (!cont_pte_shift())
		kunit_skip(test, "no PTE-level blocks here");
	KUNIT_ASSERT_LE(test, nr, PTRS_PER_PTE);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, free_page_action, page));
	ptes = page_address(page);
	live = pfn_pte(page_to_pfn(page), PAGE_KERNEL);
	ptes[live_at] = live;

	KUNIT_EXPECT_EQ(test, pte_set_huge(ptes, VMALLOC_START, 4 * block, PAGE_KERNEL,
					   4 * block), 0);
	KUNIT_EXPECT_EQ(test, pte_val(ptep_get(ptes + live_at)), pte_val(live));
	for (i = live_block * per; i < nr; i++)
		if (i != live_at && !pte_none(ptep_get(ptes + i)))
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, nr, "entry %lu written", i);
}

/*
 * ioremap() of a range that is not RAM and crosses 2^48 or 2^50, with runs
 * of PTE-level blocks: every page's entry maps its PFN. Nothing is accessed
 * through the mapping.
 */
static void ioremap_across_pa_bits(struct kunit *test)
{
	unsigned int bit = *(const unsigned int *)test->param_value;
	unsigned long size = 4 * (1UL << cont_pte_shift());
	phys_addr_t phys = BIT_ULL(bit) - size / 2;
	unsigned long va;

	if (!cont_pte_shift() || !pfn_fits_entry(PHYS_PFN(phys + size - 1)))
		kunit_skip(test, "entries cannot hold PFNs above 2^%u here", bit);
	if (region_intersects(phys, size, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "[%pa, +%lu) is RAM here", &phys, size);
	va = (unsigned long)ioremap(phys, size);
	if (!va)
		kunit_skip(test, "ioremap(%pa) refused", &phys);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, iounmap_action, (void *)va));
	expect_maps_pfns(test, va, size, PHYS_PFN(phys));
	expect_shape(test, va, size, cont_pte_shift());
}
#endif

static struct kunit_case vmalloc_test_cases[] = {
	KUNIT_CASE(vmalloc_nofail_retries_from_nothing),
	KUNIT_CASE(vmalloc_huge_nofail_retries_from_nothing),
	KUNIT_CASE(vmalloc_huge_nofail_retries_over_pmds),
	KUNIT_CASE_PARAM(vmap_maps_page_arrays, vmap_shapes_gen_params),
	KUNIT_CASE_PARAM(vmap_rejects_null_page, null_entries_gen_params),
	KUNIT_CASE(vmap_set_memory_on_blocks),
	KUNIT_CASE(vmap_follows_policy),
	KUNIT_CASE(vmap_own_flags_keep_ptes),
	KUNIT_CASE(vmap_rejects_bad_count),
	KUNIT_CASE_PARAM(vmap_maps_as_pfn_pte, prots_gen_params),
	KUNIT_CASE(vmap_rejects_invalid_pfn),
	KUNIT_CASE(vmap_pages_range_checks_chunk_head),
	KUNIT_CASE(vmap_falls_back_to_ptes),
	KUNIT_CASE(vmap_huge_area_never_purges),
	KUNIT_CASE_PARAM(vmap_refuses_live_entry, live_entries_gen_params),
	KUNIT_CASE_PARAM(vmap_page_range_refuses_leaf_under_pud, under_pud_gen_params),
	KUNIT_CASE_PARAM(vmap_survives_pte_table_failure, pte_table_failures_gen_params),
	KUNIT_CASE_SLOW(vmap_random_arrays),
	KUNIT_CASE_PARAM(vmalloc_huge_maps_and_unmaps, vmalloc_huge_sizes_gen_params),
	KUNIT_CASE(vmap_pages_range_maps_chunks),
	KUNIT_CASE_PARAM(ioremap_maps_and_unmaps, ioremap_sizes_gen_params),
#ifdef pte_set_huge
	KUNIT_CASE_PARAM(pte_set_huge_across_pa_bits, pa_split_bits_gen_params),
	KUNIT_CASE_PARAM(pte_set_huge_stops_at_live_block, live_blocks_gen_params),
	KUNIT_CASE_PARAM(ioremap_across_pa_bits, pa_split_bits_gen_params),
#endif
	{}
};

static struct kunit_suite vmalloc_test_suite = {
	.name = "vmalloc",
	.test_cases = vmalloc_test_cases,
};

kunit_test_suite(vmalloc_test_suite);

MODULE_DESCRIPTION("KUnit tests for vmap(), vmalloc() and ioremap() mappings");
MODULE_LICENSE("GPL");
