/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What libc and kernel headers older than the running kernel lack for the
 * access sources and the process_madvise actions: the PAGEMAP_SCAN ioctl
 * (6.7), userfaultfd's asynchronous write-protect features (6.7), the
 * syscall numbers and advice values.  Values are the kernel's uapi ones
 * (include/uapi/linux/fs.h, linux/userfaultfd.h, asm-generic/mman-common.h);
 * the running kernel decides at run time whether it knows them.
 */
#ifndef DAMO_CORE_SOURCES_COMPAT_UFFD_H
#define DAMO_CORE_SOURCES_COMPAT_UFFD_H

#include <linux/fs.h>
#include <linux/types.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

/* linux/fs.h, 6.7: PAGEMAP_SCAN on /proc/PID/pagemap */
#ifndef PAGEMAP_SCAN
struct page_region {
	__u64 start;
	__u64 end;		/* exclusive */
	__u64 categories;	/* PAGE_IS_* of the whole [start, end) */
};

struct pm_scan_arg {
	__u64 size;		/* sizeof(struct pm_scan_arg) */
	__u64 flags;		/* PM_SCAN_* */
	__u64 start;
	__u64 end;
	__u64 walk_end;		/* out: where the walk stopped */
	__u64 vec;		/* struct page_region *, may be 0 */
	__u64 vec_len;
	__u64 max_pages;	/* 0: no limit */
	__u64 category_inverted;
	__u64 category_mask;	/* every one of these must match */
	__u64 category_anyof_mask;	/* at least one of these */
	__u64 return_mask;	/* categories reported in vec */
};

#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#endif

#ifndef PAGE_IS_WPALLOWED
#define PAGE_IS_WPALLOWED (1 << 0)	/* VMA is uffd-wp async registered */
#define PAGE_IS_WRITTEN (1 << 1)	/* no uffd-wp bit: written since armed */
#define PAGE_IS_FILE (1 << 2)
#define PAGE_IS_PRESENT (1 << 3)
#define PAGE_IS_SWAPPED (1 << 4)
#define PAGE_IS_PFNZERO (1 << 5)
#define PAGE_IS_HUGE (1 << 6)
#endif
#ifndef PAGE_IS_SOFT_DIRTY
#define PAGE_IS_SOFT_DIRTY (1 << 7)	/* 6.8 */
#endif

#ifndef PM_SCAN_WP_MATCHING
#define PM_SCAN_WP_MATCHING (1 << 0)	/* write-protect the matched pages */
#define PM_SCAN_CHECK_WPASYNC (1 << 1)	/* -EPERM on a non-wp-async VMA */
#endif

/* linux/userfaultfd.h */
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1		/* 5.11: no privilege needed */
#endif
#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED (1 << 13)	/* 6.4 */
#endif
#ifndef UFFD_FEATURE_POISON
#define UFFD_FEATURE_POISON (1 << 14)
#endif
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC (1 << 15)	/* 6.7 */
#endif
#ifndef UFFDIO_WRITEPROTECT_MODE_WP
#define UFFDIO_WRITEPROTECT_MODE_WP ((__u64)1 << 0)
#endif
#ifndef UFFDIO_REGISTER_MODE_WP
#define UFFDIO_REGISTER_MODE_WP ((__u64)1 << 1)
#endif

/* Syscall numbers (x86_64 and the generic table agree on these). */
#ifndef SYS_userfaultfd
#define SYS_userfaultfd __NR_userfaultfd
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434		/* 5.3 */
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise 440		/* 5.10 */
#endif

/* asm-generic/mman-common.h */
#ifndef MADV_COLD
#define MADV_COLD 20			/* 5.4 */
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21			/* 5.4 */
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25		/* 6.1 */
#endif

/* /proc/PID/pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst) */
#define PM_ENTRY_PFN_MASK ((1ULL << 55) - 1)	/* 0-54, root only */
#define PM_ENTRY_SOFT_DIRTY (1ULL << 55)
#define PM_ENTRY_EXCLUSIVE (1ULL << 56)
#define PM_ENTRY_UFFD_WP (1ULL << 57)
#define PM_ENTRY_FILE (1ULL << 61)
#define PM_ENTRY_SWAPPED (1ULL << 62)
#define PM_ENTRY_PRESENT (1ULL << 63)

#endif /* DAMO_CORE_SOURCES_COMPAT_UFFD_H */
