/* bench-util.h: what every workload of quarry-bench shares
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <quarry.h>

G_BEGIN_DECLS

/* How keys of W1 and W2 are built: each is a public, documented way. */
typedef enum
{
  BENCH_KEY_FROM_JSON,          /* quarry_key_new_from_json() of a JsonArray built in place */
  BENCH_KEY_FROM_STRING,        /* quarry_key_new_from_string() of printf'd JSON text */
  BENCH_KEY_FROM_VARIANT,       /* quarry_key_new_from_variant() of a "(sa{sv})" tuple */
  BENCH_KEY_FROM_BUILDER,       /* a QuarryKeyBuilder on the stack, C's own way */
} BenchKeyFrom;

typedef struct
{
  guint runs;                   /* timed runs, after one warm-up run */
  gboolean quick;               /* a tenth of every size, for a smoke test */
  BenchKeyFrom key_from;
} BenchOptions;

/* A size of the schema, divided by ten with --quick. */
guint        bench_options_scale      (const BenchOptions *options,
                                       guint               size);
const char  *bench_key_from_to_string (BenchKeyFrom        key_from);

/* Monotonic time in seconds. */
double       bench_now                (void);

/* Runs @run once to warm up, then options->runs times, each on fresh state,
 * and returns the seconds of each timed run. @run returns the seconds of
 * its timed section. */
typedef double (*BenchRunFunc) (gpointer data);

GArray      *bench_time_runs          (const BenchOptions *options,
                                       const char         *workload,
                                       BenchRunFunc        run,
                                       gpointer            data);

/* Spins the thread-default main context until @condition holds. Returns
 * FALSE, having printed why on stderr, when @timeout_seconds pass first. */
typedef gboolean (*BenchCondition) (gpointer data);

gboolean     bench_spin_until         (BenchCondition      condition,
                                       gpointer            data,
                                       double              timeout_seconds,
                                       const char         *what);

/* Dispatches everything ready in the thread-default main context now. */
void         bench_drain              (void);

/* A client as the workloads use it: the default (real) clock, and no
 * network monitor, so that it is online whatever the machine's network. */
QuarryQueryClient *bench_client_new   (void);

/* A key from JSON text; the text is the benchmark's own, so a mistake in it
 * is a programming error. */
QuarryKey   *bench_key_parse          (const char         *json);

/* Sets @node, which it takes, as @key's data; failing is a programming
 * error. */
void         bench_set_json           (QuarryQueryClient  *client,
                                       QuarryKey          *key,
                                       JsonNode           *node);

/* Reports a broken invariant on stderr; the runner then exits with 1. */
void         bench_fail               (const char         *workload,
                                       const char         *format,
                                       ...) G_GNUC_PRINTF (2, 3);
gboolean     bench_failed             (void);

/* One JSON line on stdout: {"workload": …, "side": "quarry", "seconds": …,
 * "runs": […], …figures}. Members are written in the order they are added. */
typedef struct _BenchLine BenchLine;

BenchLine   *bench_line_new           (const char         *workload);
void         bench_line_add_runs      (BenchLine          *self,
                                       GArray             *runs);
void         bench_line_add_no_runs   (BenchLine          *self);
void         bench_line_add_uint      (BenchLine          *self,
                                       const char         *name,
                                       guint64             value);
void         bench_line_add_double    (BenchLine          *self,
                                       const char         *name,
                                       double              value);
void         bench_line_add_string    (BenchLine          *self,
                                       const char         *name,
                                       const char         *value);
void         bench_line_print         (BenchLine          *self);
void         bench_line_free          (BenchLine          *self);

double       bench_median             (GArray             *runs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchLine, bench_line_free)

G_END_DECLS
