/* bench-workloads.h: the workloads of quarry-bench, one function each
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each runs its workload of shared/bench/WORKLOADS.md and bench/README.md
 * and prints its JSON line; a broken invariant goes to bench_fail().
 */

#pragma once

#include "bench-util.h"

G_BEGIN_DECLS

void bench_w1_set                (const BenchOptions *options);   /* bench-cache.c */
void bench_w2_get                (const BenchOptions *options);   /* bench-cache.c */
void bench_w3_invalidate_prefix  (const BenchOptions *options);   /* bench-cache.c */
void bench_w4_fanout             (const BenchOptions *options);   /* bench-fanout.c */
void bench_w5_memory             (const BenchOptions *options);   /* bench-memory.c */
void bench_w6_dedup              (const BenchOptions *options);   /* bench-dedup.c */
void bench_s1_idle_wakeups       (const BenchOptions *options);   /* bench-idle.c */
void bench_s2_invalidate_active  (const BenchOptions *options);   /* bench-invalidate-active.c */

G_END_DECLS
