# The series' harness. Every target runs one script under scripts/; see README.md.
# KERNEL_SRC=<git tree> points every target at your own kernel tree.

STEPS := deps apply overlay checkpatch cover-results hugetlb \
	kunit-arm64-64k kunit-x86_64 kunit-riscv64 kunit-arm64-16k kunit-um \
	build-arm64 build-x86_64 build-riscv64 build-powerpc-8xx build-powerpc64 hugetlb-control

.PHONY: help bench check check-full mutants stress tree export clean build kunit $(STEPS)

help:
	@echo "make check       every step below but those marked (full); builds overlap QEMU boots;"
	@echo "                 prints each step's time"
	@echo "make check-full  every step below, and the debug kernel boots with 32M huge pages too"
	@echo "make bench       7.3.4 against 7.3.4 + the series, test_vmalloc under QEMU arm64 and"
	@echo "                 x86_64 (-icount): table + plot (CASES=..., REPEAT=n, QUICK=1;"
	@echo "                 QUICK=1 PROFILE=1: each case's instructions per function)"
	@echo "make mutants     each scripts/mutants/*.patch breaks the series; KUnit must catch it"
	@echo "                 (and the tests of the test-only patches pass on 7.3.4)"
	@echo "make stress      the debug kernel plus lockdep, KASAN, kmemleak, debug_pagealloc"
	@echo "                 (series and 7.3.4): KUnit and every test_vmalloc case on two CPUs"
	@echo "                 under ptdump (not part of make check: too slow under TCG)"
	@echo "make tree        base tree + the series as commits on branch vmalloc-batch"
	@echo "make export      write that branch back to patches/ and the overlay"
	@echo "make clean       drop build folders and logs (keeps the base tree and ccache)"
	@echo
	@echo "The steps of make check, each also a target of its own:"
	@echo "  deps              install the Debian packages the harness needs"
	@echo "  apply             git am the series on the base in the check worktree"
	@echo "  overlay           the overlay folders equal the files the series leaves"
	@echo "  checkpatch        checkpatch.pl --strict on the cover letter and every patch"
	@echo "  cover-results     the cover letter quotes results/cover.txt"
	@echo "  kunit-arm64-64k   KUnit, arm64 64K pages, 52-bit PA"
	@echo "  kunit-arm64-16k   KUnit, arm64 16K pages, LPA2"
	@echo "  kunit-x86_64      KUnit, x86_64 with KASAN (KASAN_VMALLOC), lockdep, DEBUG_VM,"
	@echo "                    and the series' test_vmalloc cases at boot"
	@echo "  kunit-riscv64     KUnit, riscv64 with Svnapot"
	@echo "  kunit-um          KUnit, UML (kunit.py's default architecture) (full)"
	@echo "  hugetlb           debug arm64 4K kernel (DEBUG_VM, DEBUG_VIRTUAL, KFENCE, page_table_check):"
	@echo "                    KUnit (again booted with nohugevmap), the series' test_vmalloc"
	@echo "                    cases on two CPUs under ptdump, then with allocation failures"
	@echo "                    injected, io_uring rings in huge pages, HugeTLB selftests with"
	@echo "                    64K and 2M default huge pages (HUGETLB_SIZES)"
	@echo "  build-ARCH        every patch builds with W=1, no new warning (arm64, x86_64;"
	@echo "                    riscv64, powerpc-8xx, powerpc64: full)"
	@echo "  hugetlb-control   the HugeTLB run on 7.3.4 (make check: only if hugetlb failed)"
	@echo "  kunit, build      all kunit-* steps, all build-* steps"

check:
	scripts/check.sh

check-full:
	scripts/check.sh full

$(STEPS):
	scripts/check.sh $@

kunit:
	scripts/check.sh $(filter kunit-%,$(STEPS))

build:
	scripts/check.sh $(filter build-%,$(STEPS))

bench:
	scripts/bench.sh

mutants:
	scripts/mutants.sh

stress:
	scripts/apply.sh
	HUGETLB_STRESS=full scripts/hugetlb.sh series base

tree:
	scripts/tree.sh

export:
	scripts/export.sh

clean:
	rm -rf .cache/build .cache/logs
