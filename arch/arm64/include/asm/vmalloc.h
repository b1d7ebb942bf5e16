#ifndef _ASM_ARM64_VMALLOC_H
#define _ASM_ARM64_VMALLOC_H

#include <asm/page.h>
#include <asm/pgtable.h>

#ifdef CONFIG_HAVE_ARCH_HUGE_VMAP

#define arch_vmap_pud_supported arch_vmap_pud_supported
static inline bool arch_vmap_pud_supported(pgprot_t prot)
{
	return pud_sect_supported();
}

#define arch_vmap_pmd_supported arch_vmap_pmd_supported
static inline bool arch_vmap_pmd_supported(pgprot_t prot)
{
	return true;
}

#define arch_vmap_pte_range_map_size arch_vmap_pte_range_map_size
static inline unsigned long arch_vmap_pte_range_map_size(unsigned long addr,
						unsigned long end, u64 pfn,
						unsigned int max_page_shift)
{
	/*
	 * A run of whole CONT_PTE blocks, naturally aligned in both virtual
	 * and physical space, is pte-mapped with PTE_CONT for more efficient
	 * use of the TLB. [addr, end) lies in one PTE table. Whether it maps
	 * physically contiguous memory from @pfn on is the caller's to check
	 * (vmap() asks first, then trims the run to what its pages prove), so
	 * that pte_set_huge() sets the whole run in one call.
	 */
	unsigned long size = ALIGN_DOWN(end - addr, CONT_PTE_SIZE);

	/* Most entries of a page array fail here: tested first. */
	if (!IS_ALIGNED(addr, CONT_PTE_SIZE) || !IS_ALIGNED(pfn, CONT_PTES))
		return PAGE_SIZE;

	if (max_page_shift < CONT_PTE_SHIFT || !size)
		return PAGE_SIZE;

	return size;
}

#define arch_vmap_pte_range_unmap_size arch_vmap_pte_range_unmap_size
static inline unsigned long arch_vmap_pte_range_unmap_size(unsigned long addr,
							   pte_t *ptep)
{
	/*
	 * The caller handles alignment so it's sufficient just to check
	 * PTE_CONT.
	 */
	return pte_valid_cont(__ptep_get(ptep)) ? CONT_PTE_SIZE : PAGE_SIZE;
}

#define pte_set_huge pte_set_huge
int pte_set_huge(pte_t *ptep, unsigned long addr, phys_addr_t phys,
		 pgprot_t prot, unsigned long size);
#define pte_set_huge_nocheck pte_set_huge_nocheck
int pte_set_huge_nocheck(pte_t *ptep, unsigned long addr, phys_addr_t phys,
			 pgprot_t prot, unsigned long size);
#define pte_clear_huge pte_clear_huge
void pte_clear_huge(pte_t *ptep, unsigned long addr, unsigned long size);

#define arch_vmap_pte_supported_shift arch_vmap_pte_supported_shift
static inline int arch_vmap_pte_supported_shift(unsigned long size)
{
	if (size >= CONT_PTE_SIZE)
		return CONT_PTE_SHIFT;

	return PAGE_SHIFT;
}

#endif

/*
 * set_pte_at() decides for every entry whether to emit or to queue in lazy
 * MMU mode the barriers that make a valid kernel entry visible to the table
 * walker. The vmalloc walks fill a PTE table with entries they found none,
 * in lazy MMU mode, and complete it once, as arm64's own kernel mapper defers
 * them to the end of a table (init_pte()). As set_ptes() does, no PTE_CONT
 * gets through: CONT_PTE blocks are set a run at a time, elsewhere.
 */
#define arch_vmap_set_pte arch_vmap_set_pte
static inline void arch_vmap_set_pte(pte_t *ptep, unsigned long addr, pte_t pte)
{
	__set_pte_nosync(ptep, pte_mknoncont(pte));
}

#define arch_vmap_complete_ptes arch_vmap_complete_ptes
static inline void arch_vmap_complete_ptes(pte_t pte)
{
	__set_pte_complete(pte);
}

#define arch_vmap_pgprot_tagged arch_vmap_pgprot_tagged
static inline pgprot_t arch_vmap_pgprot_tagged(pgprot_t prot)
{
	return pgprot_tagged(prot);
}

#endif /* _ASM_ARM64_VMALLOC_H */
