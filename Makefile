# The series' harness. Every target runs one script under scripts/; see README.md.
# KERNEL_SRC=<git tree> points every target at your own kernel tree.

.PHONY: help bench check tree export deps apply checkpatch build kunit hugetlb clean

help:
	@echo "make bench       7.3.4 against 7.3.4 + the series under QEMU arm64 (CASES=..., REPEAT=n)"
	@echo "make check       apply, checkpatch, per-patch builds, KUnit on arm64 and x86_64"
	@echo "make tree        base tree + the series as commits on branch vmalloc-batch"
	@echo "make export      write that branch back to patches/ and the overlay"
	@echo "make hugetlb     HugeTLB selftests, page_table_check enforcing, series and 7.3.4"
	@echo "make deps | apply | checkpatch | build | kunit    single steps of make check"
	@echo "make clean       drop build folders (keeps the base tree and ccache)"

bench:
	scripts/bench.sh

check:
	scripts/check.sh

tree:
	scripts/tree.sh

export:
	scripts/export.sh

deps:
	scripts/deps.sh

apply:
	scripts/apply.sh

checkpatch: apply
	scripts/checkpatch.sh

build: apply
	scripts/build-series.sh arm64
	scripts/build-series.sh x86_64

kunit: apply
	scripts/kunit.sh arm64
	scripts/kunit.sh x86_64

hugetlb: apply
	scripts/hugetlb.sh series
	scripts/hugetlb.sh base

clean:
	rm -rf .cache/build .cache/logs
