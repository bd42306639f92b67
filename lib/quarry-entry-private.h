/* quarry-entry-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "quarry-clock-private.h"
#include "quarry-fetch-context.h"
#include "quarry-key.h"
#include "quarry-query-state-private.h"
#include "quarry-types.h"

G_BEGIN_DECLS

typedef struct _QuarryQuery QuarryQuery;
typedef struct _QuarryOptimisticStack QuarryOptimisticStack;
typedef struct _QuarryPaging QuarryPaging;
typedef struct _QuarryQueryClient QuarryQueryClient;

/* A reference-counted callback with its data, shared between a query and the
 * entry whose fetches it configures. */
typedef struct
{
  gatomicrefcount ref_count;
  gpointer func;
  gpointer data;
  GDestroyNotify destroy;
} QuarryClosure;

QuarryClosure *_quarry_closure_new   (gpointer        func,
                                      gpointer        data,
                                      GDestroyNotify  destroy);
QuarryClosure *_quarry_closure_ref   (QuarryClosure  *self);
void           _quarry_closure_unref (QuarryClosure  *self);

/* What a fetch runs with: the options of the latest caller win. */
typedef struct
{
  QuarryClosure *fetcher;
  QuarryClosure *retry_func;
  QuarryClosure *retry_delay_func;
  GVariant *meta;
  QuarryPaging *paging;        /* infinite entries; kept when a caller brings none */
  QuarryFetchDirection direction;   /* of this fetch only; never stored */
  gint retry;
  /* -1: leave the entry's gc-time alone (queries fold theirs in when they
   * leave, so that their final value counts) */
  gint64 retry_delay;
  gint64 gc_time;
  QuarryNetworkMode network_mode;
  QuarryConcurrency concurrency;
} QuarryFetchOptions;

void _quarry_fetch_options_init  (QuarryFetchOptions       *options);
void _quarry_fetch_options_copy  (QuarryFetchOptions       *dest,
                                  const QuarryFetchOptions *src);
void _quarry_fetch_options_clear (QuarryFetchOptions       *options);

/* TanStack's retryer rules, shared by query fetches and mutation runs. */
gboolean _quarry_fetch_options_should_retry (const QuarryFetchOptions *options,
                                             guint                     failure_count,
                                             const GError             *error);
gint64   _quarry_fetch_options_retry_delay  (const QuarryFetchOptions *options,
                                             guint                     failure_count,
                                             const GError             *error);

/* TanStack's Query: one shared entry per canonical key. */
typedef struct _QuarryEntry QuarryEntry;

/* One run of the fetch function with its retries: TanStack's retryer. */
typedef struct _QuarryFetch QuarryFetch;

/* What a successful fetch learnt about its data besides the value: an HTTP
 * validator (ETag) and how long the data is fresh (max-age, -1 for none). */
typedef struct
{
  const char *validator;
  gint64 max_age;
  gboolean unchanged;          /* the cached data, revalidated */
} QuarryFetchResultInfo;

/* What only some entries need, allocated when first needed: an entry that
 * was only written, without queries or fetches, does without. */
typedef struct
{
  GPtrArray *observers;        /* QuarryQuery *, unowned; NULL until the first */
  QuarryFetchOptions options;
  QuarryFetch *fetch;
  QuarryStateData *revert_state;
  QuarryStateData *initial_state;
  GPtrArray *trailing_waiters;
  GHashTable *tags;
  QuarryFetchDirection trailing_direction;
  guint trailing : 1;
} QuarryEntryExtra;

struct _QuarryEntry
{
  QuarryKey *key;              /* first: the client's map hashes entries by it */
  gint ref_count;
  guint counted_fetching : 1;  /* counted in the client's is-fetching */
  guint gc_time_set : 1;
  QuarryQueryClient *client;   /* unowned; NULL once removed */
  guint64 serial;              /* the client's entries are in its order */

  QuarryStateData state;

  QuarryTimerLink gc_link;     /* queued while unobserved and idle */
  gint64 gc_time;
  QuarryOptimisticStack *optimistic;   /* pending optimistic changes, if any */
  QuarryEntryExtra *extra;     /* NULL until needed */
};

QuarryEntry            *_quarry_entry_new              (QuarryQueryClient        *client,
                                                        QuarryKey                *key,
                                                        guint64                   serial,
                                                        gint64                    gc_time);
QuarryEntry            *_quarry_entry_ref              (QuarryEntry              *self);
void                    _quarry_entry_unref            (QuarryEntry              *self);
void                    _quarry_entry_destroy          (QuarryEntry              *self);

void                    _quarry_entry_set_options      (QuarryEntry              *self,
                                                        const QuarryFetchOptions *options);
void                    _quarry_entry_fold_gc_time     (QuarryEntry              *self,
                                                        gint64                    gc_time);
void                    _quarry_entry_fetch            (QuarryEntry              *self,
                                                        const QuarryFetchOptions *options,
                                                        gboolean                  cancel_refetch,
                                                        GTask                    *waiter);
void                    _quarry_entry_cancel           (QuarryEntry              *self,
                                                        gboolean                  revert,
                                                        gboolean                  silent);
void                    _quarry_entry_invalidate       (QuarryEntry              *self);
gboolean                _quarry_entry_set_data         (QuarryEntry              *self,
                                                        const GValue             *value,
                                                        gint64                    updated_at,
                                                        gboolean                  manual,
                                                        const QuarryFetchResultInfo *info);
void                    _quarry_entry_clear_data       (QuarryEntry              *self);
void                    _quarry_entry_apply_initial    (QuarryEntry              *self,
                                                        const GValue             *value,
                                                        gint64                    updated_at);
void                    _quarry_entry_reset            (QuarryEntry              *self);
void                    _quarry_entry_continue         (QuarryEntry              *self);

void                    _quarry_entry_add_observer     (QuarryEntry              *self,
                                                        QuarryQuery              *query);
void                    _quarry_entry_remove_observer  (QuarryEntry              *self,
                                                        QuarryQuery              *query);
void                    _quarry_entry_add_tags         (QuarryEntry              *self,
                                                        const char * const       *tags);
gboolean                _quarry_entry_has_tag          (QuarryEntry              *self,
                                                        const char               *tag);

gboolean                _quarry_entry_is_active        (QuarryEntry              *self);
gboolean                _quarry_entry_is_disabled      (QuarryEntry              *self);
gboolean                _quarry_entry_is_static        (QuarryEntry              *self);
gboolean                _quarry_entry_is_stale         (QuarryEntry              *self);
gboolean                _quarry_entry_is_stale_by_time (QuarryEntry              *self,
                                                        gint64                    stale_time);
gint64                  _quarry_entry_effective_stale_time (QuarryEntry          *self,
                                                        gint64                    stale_time);
gboolean                _quarry_entry_is_fetching      (QuarryEntry              *self);

const QuarryFetchOptions *_quarry_entry_get_options    (QuarryEntry              *self);

static inline guint
_quarry_entry_get_n_observers (QuarryEntry *self)
{
  return self->extra != NULL && self->extra->observers != NULL ? self->extra->observers->len : 0;
}

static inline QuarryQuery *
_quarry_entry_get_observer (QuarryEntry *self,
                            guint        i)
{
  return g_ptr_array_index (self->extra->observers, i);
}

/* Called by QuarryFetchContext. */
void                    _quarry_fetch_deliver          (QuarryFetch              *fetch,
                                                        guint                     attempt,
                                                        GValue                   *value,
                                                        GError                   *error,
                                                        const QuarryFetchResultInfo *info);
void                    _quarry_fetch_mark_consumed    (QuarryFetch              *fetch);
QuarryFetch            *_quarry_fetch_ref              (QuarryFetch              *fetch);
void                    _quarry_fetch_unref            (QuarryFetch              *fetch);

G_END_DECLS
