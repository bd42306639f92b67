/* quarry-entry.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "quarry-entry-private.h"
#include "quarry-error.h"
#include "quarry-fetch-context-private.h"
#include "quarry-i18n-private.h"
#include "quarry-paging-private.h"
#include "quarry-query-client-private.h"
#include "quarry-query-private.h"
#include "quarry-restorer-private.h"
#include "quarry-value-private.h"

/* A cache entry: TanStack's Query. It holds the state of one key, the one
 * fetch in flight with its retries, and the gc timer. Queries (TanStack's
 * observers) attach to it; the client owns it through its map. */

struct _QuarryFetch
{
  gint ref_count;
  QuarryEntry *entry;          /* strong until settled */
  QuarryFetchOptions options;
  GCancellable *cancellable;
  GPtrArray *waiters;          /* GTask */
  QuarryFetchDirection direction;
  QuarryInfiniteData *old_pages;   /* infinite: the pages when it started */
  QuarryTimer *retry_timer;
  char *idempotency_key;       /* made when an attempt asks for it */
  guint attempt;
  guint failure_count;
  guint settled : 1;
  guint paused : 1;
  guint started : 1;           /* the first attempt ran */
  guint cancel_retry : 1;
  gint consumed;               /* atomic: set from any thread */
};

/* Closures. */

QuarryClosure *
_quarry_closure_new (gpointer       func,
                     gpointer       data,
                     GDestroyNotify destroy)
{
  QuarryClosure *self = g_new0 (QuarryClosure, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->func = func;
  self->data = data;
  self->destroy = destroy;
  return self;
}

QuarryClosure *
_quarry_closure_ref (QuarryClosure *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
_quarry_closure_unref (QuarryClosure *self)
{
  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      if (self->destroy != NULL)
        self->destroy (self->data);
      g_free (self);
    }
}

void
_quarry_fetch_options_init (QuarryFetchOptions *options)
{
  memset (options, 0, sizeof *options);
  options->retry = 3;
  options->retry_delay = QUARRY_RETRY_DELAY_DEFAULT;
  options->gc_time = 5 * 60 * 1000;
  options->network_mode = QUARRY_NETWORK_MODE_ONLINE;
  options->concurrency = QUARRY_CONCURRENCY_SWITCH;
}

void
_quarry_fetch_options_copy (QuarryFetchOptions       *dest,
                            const QuarryFetchOptions *src)
{
  *dest = *src;
  if (dest->fetcher != NULL)
    _quarry_closure_ref (dest->fetcher);
  if (dest->retry_func != NULL)
    _quarry_closure_ref (dest->retry_func);
  if (dest->retry_delay_func != NULL)
    _quarry_closure_ref (dest->retry_delay_func);
  if (dest->meta != NULL)
    g_variant_ref (dest->meta);
  if (dest->paging != NULL)
    _quarry_paging_ref (dest->paging);
}

void
_quarry_fetch_options_clear (QuarryFetchOptions *options)
{
  g_clear_pointer (&options->fetcher, _quarry_closure_unref);
  g_clear_pointer (&options->retry_func, _quarry_closure_unref);
  g_clear_pointer (&options->retry_delay_func, _quarry_closure_unref);
  g_clear_pointer (&options->meta, g_variant_unref);
  g_clear_pointer (&options->paging, _quarry_paging_unref);
}

/* Helpers. */

static QuarryClock *
entry_clock (QuarryEntry *self)
{
  return quarry_query_client_get_clock (self->client);
}

static gint64
wall_now (QuarryEntry *self)
{
  return quarry_clock_get_wall_time (entry_clock (self));
}

static gboolean
can_fetch (QuarryEntry       *self,
           QuarryNetworkMode  mode)
{
  return mode != QUARRY_NETWORK_MODE_ONLINE || quarry_query_client_get_online (self->client);
}

static gboolean
can_continue (QuarryEntry       *self,
              QuarryNetworkMode  mode)
{
  return quarry_query_client_get_focused (self->client) &&
         (mode == QUARRY_NETWORK_MODE_ALWAYS || quarry_query_client_get_online (self->client));
}

static QuarryEntryExtra *
ensure_extra (QuarryEntry *self)
{
  if (self->extra == NULL)
    {
      self->extra = g_new0 (QuarryEntryExtra, 1);
      _quarry_fetch_options_init (&self->extra->options);
    }
  return self->extra;
}

static inline QuarryFetch *
current_fetch (QuarryEntry *self)
{
  return self->extra != NULL ? self->extra->fetch : NULL;
}

static inline gboolean
has_observers (QuarryEntry *self)
{
  return _quarry_entry_get_n_observers (self) > 0;
}

static void
free_state (QuarryStateData *state)
{
  if (state != NULL)
    {
      _quarry_state_data_clear (state);
      g_free (state);
    }
}

/* Sets the state a cancel with revert goes back to: a copy of @state, or
 * none. */
static void
set_revert_state (QuarryEntry           *self,
                  const QuarryStateData *state)
{
  if (self->extra == NULL && state == NULL)
    return;

  g_clear_pointer (&ensure_extra (self)->revert_state, free_state);
  if (state != NULL)
    {
      self->extra->revert_state = g_new0 (QuarryStateData, 1);
      _quarry_state_data_copy (self->extra->revert_state, state);
    }
}

/* The fetch options of an entry that never had any. */
static const QuarryFetchOptions default_options = {
  .retry = 3,
  .retry_delay = QUARRY_RETRY_DELAY_DEFAULT,
  .gc_time = 5 * 60 * 1000,
  .network_mode = QUARRY_NETWORK_MODE_ONLINE,
  .concurrency = QUARRY_CONCURRENCY_SWITCH,
};

const QuarryFetchOptions *
_quarry_entry_get_options (QuarryEntry *self)
{
  return self->extra != NULL ? &self->extra->options : &default_options;
}

/* Tells the observers, then the client, of a transition. Observers are
 * iterated over a snapshot so that one leaving during the emission is safe. */
static void
dispatch (QuarryEntry       *self,
          QuarryQueryAction  action,
          QuarryFetchStatus  old_fetch_status)
{
  g_autoptr(GPtrArray) observers = NULL;

  if (self->client == NULL)
    return;

  _quarry_entry_ref (self);

  if (has_observers (self))
    {
      GPtrArray *live = self->extra->observers;

      observers = g_ptr_array_new_full (live->len, g_object_unref);
      for (guint i = 0; i < live->len; i++)
        g_ptr_array_add (observers, g_object_ref (g_ptr_array_index (live, i)));

      for (guint i = 0; i < observers->len; i++)
        _quarry_query_entry_updated (g_ptr_array_index (observers, i), action);
    }

  if (self->client != NULL)
    _quarry_query_client_entry_updated (self->client, self, action, old_fetch_status);

  _quarry_entry_unref (self);
}

/* Garbage collection: the gc timers of the entries that share a gc-time
 * queue in the clock, in the order they were armed, which is the order they
 * expire in. */

static void
gc_cb (QuarryTimerLink *link)
{
  QuarryEntry *self = (QuarryEntry *) ((char *) link - G_STRUCT_OFFSET (QuarryEntry, gc_link));

  if (self->client == NULL || has_observers (self))
    return;

  /* Never during a fetch: the end of the fetch schedules gc again. */
  if (self->state.fetch_status == QUARRY_FETCH_STATUS_IDLE)
    _quarry_query_client_remove_entry (self->client, self);
}

static void
unschedule_gc (QuarryEntry *self)
{
  if (_quarry_timer_link_is_queued (&self->gc_link))
    _quarry_clock_unqueue (entry_clock (self), &self->gc_link, self->gc_time, gc_cb);
}

/* Starts the gc-time over, if nothing keeps the entry. */
static void
schedule_gc (QuarryEntry *self)
{
  unschedule_gc (self);

  if (self->client == NULL || has_observers (self))
    return;
  if (self->gc_time == QUARRY_TIME_INFINITE)
    return;

  _quarry_clock_queue (entry_clock (self), &self->gc_link, self->gc_time, gc_cb);
}

/* Lifecycle. */

QuarryEntry *
_quarry_entry_new (QuarryQueryClient *client,
                   QuarryKey         *key,
                   guint64            serial,
                   gint64             gc_time)
{
  QuarryEntry *self = g_new0 (QuarryEntry, 1);

  self->ref_count = 1;
  self->client = client;
  self->key = quarry_key_ref (key);
  self->serial = serial;
  _quarry_state_data_init (&self->state);
  self->gc_time = gc_time;

  schedule_gc (self);

  return self;
}

QuarryEntry *
_quarry_entry_ref (QuarryEntry *self)
{
  self->ref_count++;
  return self;
}

static void
extra_free (QuarryEntryExtra *extra)
{
  g_assert (extra->fetch == NULL);

  free_state (extra->revert_state);
  free_state (extra->initial_state);
  _quarry_fetch_options_clear (&extra->options);
  g_clear_pointer (&extra->trailing_waiters, g_ptr_array_unref);
  g_clear_pointer (&extra->tags, g_hash_table_unref);
  g_clear_pointer (&extra->observers, g_ptr_array_unref);
  g_free (extra);
}

void
_quarry_entry_unref (QuarryEntry *self)
{
  if (--self->ref_count > 0)
    return;

  g_assert (!_quarry_timer_link_is_queued (&self->gc_link));

  _quarry_state_data_clear (&self->state);
  g_clear_pointer (&self->extra, extra_free);
  if (self->optimistic != NULL)
    {
      _quarry_optimistic_stack_detach (self->optimistic);
      g_clear_pointer (&self->optimistic, _quarry_optimistic_stack_unref);
    }
  quarry_key_unref (self->key);
  g_free (self);
}

static void fetch_settle (QuarryFetch *fetch);
static void reject_waiters (GPtrArray *waiters, const GError *error);

/* Called when the client drops the entry: the gc timer goes, a fetch in
 * flight is cancelled silently, and the queries still attached learn that
 * their entry is gone. */
void
_quarry_entry_destroy (QuarryEntry *self)
{
  g_autoptr(GError) error = NULL;

  _quarry_entry_ref (self);

  unschedule_gc (self);

  if (current_fetch (self) != NULL)
    {
      QuarryFetch *fetch = current_fetch (self);

      g_cancellable_cancel (fetch->cancellable);
      error = g_error_new_literal (QUARRY_ERROR, QUARRY_ERROR_REMOVED,
                                   _("The query was removed from the cache"));
      reject_waiters (fetch->waiters, error);
      fetch_settle (fetch);
    }

  if (self->extra != NULL && self->extra->trailing_waiters != NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (QUARRY_ERROR, QUARRY_ERROR_REMOVED,
                                     _("The query was removed from the cache"));
      reject_waiters (self->extra->trailing_waiters, error);
    }

  self->client = NULL;

  if (self->optimistic != NULL)
    {
      _quarry_optimistic_stack_detach (self->optimistic);
      g_clear_pointer (&self->optimistic, _quarry_optimistic_stack_unref);
    }

  while (has_observers (self))
    {
      GPtrArray *observers = self->extra->observers;
      QuarryQuery *query = g_ptr_array_index (observers, observers->len - 1);

      g_object_ref (query);
      g_ptr_array_remove_index (observers, observers->len - 1);
      _quarry_query_entry_removed (query);
      g_object_unref (query);
    }

  _quarry_entry_unref (self);
}

/* The gc-time is the one the first caller brought, then the largest seen. */
void
_quarry_entry_fold_gc_time (QuarryEntry *self,
                            gint64       gc_time)
{
  gint64 folded = self->gc_time_set ? MAX (self->gc_time, gc_time) : gc_time;
  gboolean queued = _quarry_timer_link_is_queued (&self->gc_link);

  self->gc_time_set = TRUE;
  if (folded == self->gc_time)
    return;

  unschedule_gc (self);
  self->gc_time = folded;
  if (queued)
    schedule_gc (self);
}

/* Whether setting @options would leave the entry's options as they are. */
static gboolean
same_options (QuarryEntry              *self,
              const QuarryFetchOptions *options)
{
  const QuarryFetchOptions *own = _quarry_entry_get_options (self);

  return (options->fetcher == own->fetcher || options->fetcher == NULL) &&
         (options->paging == own->paging || options->paging == NULL) &&
         options->retry_func == own->retry_func &&
         options->retry_delay_func == own->retry_delay_func &&
         (options->meta == own->meta ||
          (options->meta != NULL && own->meta != NULL && g_variant_equal (options->meta, own->meta))) &&
         options->retry == own->retry &&
         options->retry_delay == own->retry_delay &&
         options->network_mode == own->network_mode &&
         options->concurrency == own->concurrency;
}

void
_quarry_entry_set_options (QuarryEntry              *self,
                           const QuarryFetchOptions *options)
{
  QuarryFetchOptions *own;
  QuarryClosure *fetcher = NULL;
  QuarryPaging *paging = NULL;
  gboolean was_infinite;

  if (same_options (self, options))
    {
      if (options->gc_time >= 0)
        _quarry_entry_fold_gc_time (self, options->gc_time);
      return;
    }

  own = &ensure_extra (self)->options;
  was_infinite = own->paging != NULL;

  /* An entry keeps a fetch function it has when the caller brings none;
   * an infinite entry stays infinite. */
  if (options->fetcher == NULL && own->fetcher != NULL)
    fetcher = _quarry_closure_ref (own->fetcher);
  if (options->paging == NULL && own->paging != NULL)
    paging = _quarry_paging_ref (own->paging);

  _quarry_fetch_options_clear (own);
  _quarry_fetch_options_copy (own, options);
  if (fetcher != NULL)
    own->fetcher = fetcher;
  if (paging != NULL)
    own->paging = paging;
  /* The entry's gc-time is its own (see _quarry_entry_fold_gc_time ()). */
  own->gc_time = -1;
  own->direction = QUARRY_FETCH_DIRECTION_NONE;

  /* An entry that becomes infinite takes pages written before in
   * TanStack's JSON shape as its pages. */
  if (!was_infinite && options->paging != NULL &&
      G_VALUE_HOLDS (&self->state.data, JSON_TYPE_NODE))
    {
      g_auto(GValue) pages = G_VALUE_INIT;

      if (_quarry_paging_normalize (options->paging, &self->state.data, &pages, NULL))
        {
          g_value_unset (&self->state.data);
          _quarry_value_store (&self->state.data, &pages);
        }
    }

  if (options->gc_time >= 0)
    _quarry_entry_fold_gc_time (self, options->gc_time);
}

/* State transitions, TanStack's reducer. */

static void
reduce_success (QuarryStateData             *st,
                const GValue                *value,
                gint64                       updated_at,
                gboolean                     manual,
                const QuarryFetchResultInfo *info)
{
  if (!_quarry_value_equal (&st->data, value))
    {
      if (_quarry_state_data_has_data (st))
        g_value_unset (&st->data);
      /* The data is handed over to the cache: a JSON node is sealed as it
       * is, not copied. */
      _quarry_value_adopt (&st->data, value);
    }
  /* A validator and a max-age describe what the server sent, so any other
   * write drops them. Data found unchanged keeps its max-age unless the
   * server gave a new one. */
  if (info != NULL && (info->validator != NULL || info->max_age >= 0 || st->extra != NULL))
    {
      QuarryStateExtra *extra = _quarry_state_data_ensure_extra (st);

      g_free (extra->validator);
      extra->validator = g_strdup (info->validator);
      if (!info->unchanged || info->max_age >= 0)
        extra->max_age = info->max_age;
    }
  else
    _quarry_state_data_clear_validation (st);
  st->data_update_count++;
  st->data_updated_at = updated_at;
  _quarry_state_data_set_error (st, NULL);
  st->is_invalidated = FALSE;
  st->status = QUARRY_STATUS_SUCCESS;
  if (!manual)
    {
      st->fetch_status = QUARRY_FETCH_STATUS_IDLE;
      _quarry_state_data_clear_failure (st);
    }
}

gboolean
_quarry_entry_set_data (QuarryEntry                 *self,
                        const GValue                *value,
                        gint64                       updated_at,
                        gboolean                     manual,
                        const QuarryFetchResultInfo *info)
{
  QuarryFetchStatus old = self->state.fetch_status;
  g_autoptr(GValue) shown = NULL;

  g_assert (_quarry_value_is_set (value));

  /* Confirmed data under pending optimistic changes: it becomes their base,
   * and the entry shows it with the changes applied. */
  if (self->optimistic != NULL && !_quarry_optimistic_stack_is_writing (self->optimistic))
    {
      shown = _quarry_optimistic_stack_rebase (self->optimistic, value);
      if (shown != NULL)
        value = shown;
      /* What is shown is not what the server sent. */
      info = NULL;
    }

  /* Writing what is already there, with nothing else to clear, is no change. */
  if (manual &&
      self->state.status == QUARRY_STATUS_SUCCESS &&
      !self->state.is_invalidated &&
      _quarry_value_equal (&self->state.data, value))
    return FALSE;

  reduce_success (&self->state, value, updated_at > 0 ? updated_at : wall_now (self), manual,
                  manual ? NULL : info);

  /* A manual write during a fetch becomes what a cancel reverts to, so an
   * optimistic update survives the cancel; a fetch that ends successfully
   * needs no revert state. */
  set_revert_state (self, manual && current_fetch (self) != NULL ? &self->state : NULL);

  dispatch (self, QUARRY_QUERY_ACTION_SUCCESS, old);
  return TRUE;
}

/* Back to no data, keeping any fetch in flight: an optimistic value
 * written into an entry that had no data was rolled back. */
void
_quarry_entry_clear_data (QuarryEntry *self)
{
  QuarryFetchStatus old = self->state.fetch_status;

  if (!_quarry_state_data_has_data (&self->state))
    return;

  g_value_unset (&self->state.data);
  self->state.status = _quarry_state_data_get_error (&self->state) != NULL ? QUARRY_STATUS_ERROR
                                                                           : QUARRY_STATUS_PENDING;
  self->state.data_updated_at = 0;
  _quarry_state_data_clear_validation (&self->state);

  /* Like a manual write: a cancel must not bring the value back. */
  set_revert_state (self, current_fetch (self) != NULL ? &self->state : NULL);

  dispatch (self, QUARRY_QUERY_ACTION_SET_STATE, old);
}

/* Initial data is real cache state, written when an entry without data gets
 * a query that has it. It does not count as an update. */
void
_quarry_entry_apply_initial (QuarryEntry  *self,
                             const GValue *value,
                             gint64        updated_at)
{
  QuarryFetchStatus old = self->state.fetch_status;
  g_autoptr(GValue) shown = NULL;
  g_auto(GValue) pages = G_VALUE_INIT;

  if (_quarry_state_data_has_data (&self->state))
    return;

  /* An infinite entry's initial data is pages, given as such or in
   * TanStack's JSON shape. */
  if (_quarry_entry_get_options (self)->paging != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!_quarry_paging_normalize (_quarry_entry_get_options (self)->paging, value, &pages, &error))
        {
          g_warning ("Initial data of the infinite query %s not used: %s",
                     quarry_key_to_string (self->key), error->message);
          return;
        }
      value = &pages;
    }

  /* Initial data is confirmed data: pending optimistic changes go on top. */
  if (self->optimistic != NULL)
    shown = _quarry_optimistic_stack_rebase (self->optimistic, value);

  _quarry_value_store (&self->state.data, shown ? shown : value);
  self->state.data_updated_at = updated_at > 0 ? updated_at : wall_now (self);
  self->state.status = QUARRY_STATUS_SUCCESS;
  _quarry_state_data_set_error (&self->state, NULL);

  ensure_extra (self);
  free_state (self->extra->initial_state);
  self->extra->initial_state = g_new0 (QuarryStateData, 1);
  _quarry_state_data_init (self->extra->initial_state);
  _quarry_value_store (&self->extra->initial_state->data, value);
  self->extra->initial_state->data_updated_at = self->state.data_updated_at;
  self->extra->initial_state->status = QUARRY_STATUS_SUCCESS;

  dispatch (self, QUARRY_QUERY_ACTION_SET_STATE, old);
}

void
_quarry_entry_invalidate (QuarryEntry *self)
{
  if (self->state.is_invalidated)
    return;

  self->state.is_invalidated = TRUE;
  dispatch (self, QUARRY_QUERY_ACTION_INVALIDATE, self->state.fetch_status);
}

static void
replace_state (QuarryEntry           *self,
               const QuarryStateData *state)
{
  QuarryFetchStatus old = self->state.fetch_status;
  QuarryStateData next;

  _quarry_state_data_copy (&next, state);
  _quarry_state_data_clear (&self->state);
  self->state = next;
  dispatch (self, QUARRY_QUERY_ACTION_SET_STATE, old);
}

/* Waiters. */

static void
resolve_waiters (GPtrArray    *waiters,
                 const GValue *value)
{
  g_autoptr(GPtrArray) tasks = NULL;

  if (waiters == NULL || waiters->len == 0)
    return;

  tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    g_ptr_array_add (tasks, g_object_ref (g_ptr_array_index (waiters, i)));
  g_ptr_array_set_size (waiters, 0);

  for (guint i = 0; i < tasks->len; i++)
    g_task_return_pointer (g_ptr_array_index (tasks, i), _quarry_value_dup (value),
                           (GDestroyNotify) _quarry_value_free);
}

static void
reject_waiters (GPtrArray    *waiters,
                const GError *error)
{
  g_autoptr(GPtrArray) tasks = NULL;

  if (waiters == NULL || waiters->len == 0)
    return;

  tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    g_ptr_array_add (tasks, g_object_ref (g_ptr_array_index (waiters, i)));
  g_ptr_array_set_size (waiters, 0);

  for (guint i = 0; i < tasks->len; i++)
    g_task_return_error (g_ptr_array_index (tasks, i), g_error_copy (error));
}

static void
move_waiters (GPtrArray *from,
              GPtrArray *to)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, g_object_ref (g_ptr_array_index (from, i)));
  g_ptr_array_set_size (from, 0);
}

/* Fetches. */

QuarryFetch *
_quarry_fetch_ref (QuarryFetch *fetch)
{
  fetch->ref_count++;
  return fetch;
}

void
_quarry_fetch_unref (QuarryFetch *fetch)
{
  if (--fetch->ref_count > 0)
    return;

  g_assert (fetch->entry == NULL);
  g_assert (fetch->retry_timer == NULL);

  _quarry_fetch_options_clear (&fetch->options);
  g_clear_pointer (&fetch->old_pages, quarry_infinite_data_unref);
  g_clear_object (&fetch->cancellable);
  g_ptr_array_unref (fetch->waiters);
  g_free (fetch->idempotency_key);
  g_free (fetch);
}

void
_quarry_fetch_mark_consumed (QuarryFetch *fetch)
{
  g_atomic_int_set (&fetch->consumed, TRUE);
}

/* Detaches a fetch from its entry: after this nothing it delivers counts. */
static void
fetch_settle (QuarryFetch *fetch)
{
  QuarryEntry *entry = fetch->entry;

  if (fetch->settled)
    return;

  fetch->settled = TRUE;
  _quarry_clear_timer (&fetch->retry_timer);

  if (entry != NULL)
    {
      gboolean owned = current_fetch (entry) == fetch;

      /* Detach first: the entry's reference may be the last one (a fetch
       * waiting for a retry or paused holds no context), and a fetch is
       * freed only once detached. */
      fetch->entry = NULL;
      if (owned)
        {
          entry->extra->fetch = NULL;
          _quarry_fetch_unref (fetch);
        }
      _quarry_entry_unref (entry);
    }
}

static void run_attempt (QuarryFetch *fetch);
static void start_fetch (QuarryEntry *self, const QuarryFetchOptions *options, GPtrArray *waiters);

/* After a fetch ends, for good: reschedule gc, and run the trailing fetch
 * that triggers coalesced into while it ran. */
static void
after_fetch (QuarryEntry *self)
{
  if (self->client == NULL)
    return;

  schedule_gc (self);

  if (self->extra != NULL && self->extra->trailing && self->extra->fetch == NULL)
    {
      g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->extra->trailing_waiters);
      QuarryFetchOptions options;

      self->extra->trailing = FALSE;
      _quarry_fetch_options_copy (&options, &self->extra->options);
      options.direction = self->extra->trailing_direction;
      options.gc_time = self->gc_time;
      self->extra->trailing_direction = QUARRY_FETCH_DIRECTION_NONE;
      start_fetch (self, &options, waiters);
      _quarry_fetch_options_clear (&options);
    }
}

static void
fetch_succeed (QuarryFetch                 *fetch,
               GValue                      *value,
               const QuarryFetchResultInfo *info)
{
  QuarryEntry *self = _quarry_entry_ref (fetch->entry);
  g_autoptr(GPtrArray) waiters = g_ptr_array_new_with_free_func (g_object_unref);

  _quarry_fetch_ref (fetch);
  move_waiters (fetch->waiters, waiters);
  fetch_settle (fetch);

  _quarry_entry_set_data (self, value, 0, FALSE, info);
  resolve_waiters (waiters, &self->state.data);

  _quarry_fetch_unref (fetch);
  after_fetch (self);
  _quarry_entry_unref (self);
}

static void
fetch_fail (QuarryFetch  *fetch,
            const GError *reason)
{
  QuarryEntry *self = _quarry_entry_ref (fetch->entry);
  g_autoptr(GPtrArray) waiters = g_ptr_array_new_with_free_func (g_object_unref);
  QuarryFetchStatus old = self->state.fetch_status;
  QuarryStateData *st = &self->state;
  /* A copy: @reason may be the entry's own failure reason, replaced below. */
  g_autoptr(GError) error = g_error_copy (reason);

  _quarry_fetch_ref (fetch);
  move_waiters (fetch->waiters, waiters);
  fetch_settle (fetch);

  _quarry_state_data_set_error (st, error);
  st->extra->error_update_count++;
  st->extra->error_updated_at = wall_now (self);
  st->extra->failure_count = fetch->failure_count + 1;
  _quarry_state_data_set_failure_reason (st, error);
  st->fetch_status = QUARRY_FETCH_STATUS_IDLE;
  st->status = QUARRY_STATUS_ERROR;
  st->is_invalidated = TRUE;
  set_revert_state (self, NULL);

  dispatch (self, QUARRY_QUERY_ACTION_ERROR, old);
  reject_waiters (waiters, error);

  _quarry_fetch_unref (fetch);
  after_fetch (self);
  _quarry_entry_unref (self);
}

static void
fetch_pause (QuarryFetch *fetch)
{
  QuarryEntry *self = fetch->entry;
  QuarryFetchStatus old = self->state.fetch_status;

  fetch->paused = TRUE;
  if (old != QUARRY_FETCH_STATUS_PAUSED)
    {
      self->state.fetch_status = QUARRY_FETCH_STATUS_PAUSED;
      dispatch (self, QUARRY_QUERY_ACTION_PAUSE, old);
    }
}

static void
retry_timer_cb (gpointer data)
{
  QuarryFetch *fetch = data;

  fetch->retry_timer = NULL;

  if (fetch->settled)
    return;

  if (!can_continue (fetch->entry, fetch->options.network_mode))
    {
      fetch_pause (fetch);
      return;
    }

  if (fetch->cancel_retry)
    {
      fetch_fail (fetch, _quarry_state_data_get_failure_reason (&fetch->entry->state));
      return;
    }

  run_attempt (fetch);
}

gint64
_quarry_fetch_options_retry_delay (const QuarryFetchOptions *options,
                                   guint                     failure_count,
                                   const GError             *error)
{
  gint64 delay;

  if (options->retry_delay_func != NULL)
    {
      QuarryRetryDelayFunc func = options->retry_delay_func->func;

      /* Called once: MAX () would evaluate the function twice. */
      delay = func (failure_count, error, options->retry_delay_func->data);
      delay = MAX (0, delay);
    }
  else if (options->retry_delay != QUARRY_RETRY_DELAY_DEFAULT)
    delay = options->retry_delay;
  else
    delay = failure_count >= 5 ? 30000 : MIN ((gint64) 1000 << failure_count, 30000);

  /* A server's Retry-After is the least it asked for. */
  return MAX (delay, quarry_http_error_get_retry_after (error));
}

gboolean
_quarry_fetch_options_should_retry (const QuarryFetchOptions *options,
                                    guint                     failure_count,
                                    const GError             *error)
{
  /* A missing function will not appear by retrying. */
  if (g_error_matches (error, QUARRY_ERROR, QUARRY_ERROR_MISSING_FETCH_FUNC))
    return FALSE;

  if (options->retry_func != NULL)
    {
      QuarryRetryFunc func = options->retry_func->func;

      return func (failure_count, error, options->retry_func->data);
    }

  /* A 404 or malformed JSON comes back the same however often it is asked
   * for. */
  if (!quarry_error_is_transient (error))
    return FALSE;

  return options->retry == QUARRY_RETRY_INFINITE ||
         failure_count < (guint) MAX (options->retry, 0);
}

void
_quarry_fetch_deliver (QuarryFetch                 *fetch,
                       guint                        attempt,
                       GValue                      *value,
                       GError                      *error,
                       const QuarryFetchResultInfo *info)
{
  g_autoptr(GError) local_error = error;
  QuarryEntry *self;

  /* A completion for a fetch that was cancelled, superseded or removed, or
   * for an attempt that is not the current one, never reaches the cache. */
  if (fetch->settled || attempt != fetch->attempt || fetch->entry == NULL)
    return;

  self = fetch->entry;

  if (local_error == NULL && !_quarry_value_validate (value, &local_error))
    g_assert (local_error != NULL);

  if (local_error == NULL)
    {
      fetch_succeed (fetch, value, info);
      return;
    }

  if (fetch->cancel_retry ||
      !_quarry_fetch_options_should_retry (&fetch->options, fetch->failure_count, local_error))
    {
      fetch_fail (fetch, local_error);
      return;
    }

  /* TanStack's "failed": only the failure count and reason change. */
  {
    QuarryFetchStatus old = self->state.fetch_status;
    gint64 delay = _quarry_fetch_options_retry_delay (&fetch->options, fetch->failure_count,
                                                      local_error);

    fetch->failure_count++;
    _quarry_state_data_set_failure_reason (&self->state, local_error);
    self->state.extra->failure_count = fetch->failure_count;
    dispatch (self, QUARRY_QUERY_ACTION_FAILED, old);

    if (!fetch->settled)
      fetch->retry_timer = _quarry_clock_schedule (entry_clock (self), delay, retry_timer_cb, fetch);
  }
}

static gpointer
sink_ref (gpointer owner)
{
  return _quarry_fetch_ref (owner);
}

static void
sink_unref (gpointer owner)
{
  _quarry_fetch_unref (owner);
}

static void
sink_deliver (gpointer                     owner,
              guint                        attempt,
              GValue                      *value,
              GError                      *error,
              const QuarryFetchResultInfo *info)
{
  _quarry_fetch_deliver (owner, attempt, value, error, info);
}

/* One key for all the attempts of a fetch, so that a server can tell a
 * retry from a new request. */
static const char *
sink_idempotency_key (gpointer owner)
{
  QuarryFetch *fetch = owner;

  if (fetch->idempotency_key == NULL)
    fetch->idempotency_key = g_uuid_string_random ();
  return fetch->idempotency_key;
}

static void
sink_mark_consumed (gpointer owner)
{
  _quarry_fetch_mark_consumed (owner);
}

static const QuarryFetchSink fetch_sink = {
  sink_ref, sink_unref, sink_deliver, sink_mark_consumed, sink_idempotency_key,
};

static void
run_attempt (QuarryFetch *fetch)
{
  QuarryEntry *self = fetch->entry;
  g_autoptr(QuarryFetchContext) context = NULL;
  guint attempt;

  fetch->started = TRUE;
  attempt = ++fetch->attempt;

  if (fetch->options.fetcher != NULL && fetch->options.paging != NULL)
    {
      _quarry_paging_run (fetch->options.paging, fetch->direction, fetch->old_pages,
                          fetch->options.fetcher, self->key, fetch->cancellable,
                          fetch->options.meta, entry_clock (self),
                          &fetch_sink, fetch, attempt);
      return;
    }

  context = _quarry_fetch_context_new (&fetch_sink, fetch, attempt, self->key, NULL,
                                       fetch->cancellable, fetch->options.meta,
                                       entry_clock (self));

  /* What the fetch may find unchanged: the confirmed data, when no pending
   * optimistic change hides it. */
  if (self->optimistic == NULL && _quarry_state_data_has_data (&self->state))
    _quarry_fetch_context_set_current (context, &self->state.data,
                                       _quarry_state_data_get_validator (&self->state));

  if (fetch->options.fetcher == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("Missing fetch function for the query %s"),
                         quarry_key_to_string (self->key));

      quarry_fetch_context_return_error_literal (context, QUARRY_ERROR,
                                                 QUARRY_ERROR_MISSING_FETCH_FUNC, message);
      return;
    }

  ((QuarryFetchFunc) fetch->options.fetcher->func) (context, fetch->options.fetcher->data);
}

static void
start_fetch (QuarryEntry              *self,
             const QuarryFetchOptions *options,
             GPtrArray                *waiters)
{
  QuarryFetch *fetch;
  QuarryFetchStatus old = self->state.fetch_status;
  QuarryFetchDirection direction = options != NULL ? options->direction : QUARRY_FETCH_DIRECTION_NONE;
  gboolean can;

  if (options != NULL)
    _quarry_entry_set_options (self, options);

  fetch = g_new0 (QuarryFetch, 1);
  fetch->ref_count = 1;             /* owned by self->extra->fetch */
  fetch->entry = _quarry_entry_ref (self);
  fetch->cancellable = g_cancellable_new ();
  fetch->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  _quarry_fetch_options_copy (&fetch->options, &ensure_extra (self)->options);
  fetch->direction = direction;
  if (fetch->options.paging != NULL)
    {
      /* The confirmed pages: a page fetched on top of pending optimistic
       * changes must not make them part of the base. */
      const GValue *pages = self->optimistic != NULL ? _quarry_optimistic_stack_get_base (self->optimistic)
                                                     : &self->state.data;

      if (pages != NULL && G_VALUE_HOLDS (pages, QUARRY_TYPE_INFINITE_DATA) &&
          g_value_get_boxed (pages) != NULL)
        fetch->old_pages = quarry_infinite_data_ref (g_value_get_boxed (pages));
    }
  if (waiters != NULL)
    move_waiters (waiters, fetch->waiters);

  self->extra->fetch = fetch;
  unschedule_gc (self);

  /* The state to go back to when the fetch is cancelled with revert; a
   * manual write during the fetch replaces it. */
  set_revert_state (self, &self->state);

  can = can_fetch (self, fetch->options.network_mode);

  /* TanStack's "fetch" action. */
  self->state.fetch_status = can ? QUARRY_FETCH_STATUS_FETCHING : QUARRY_FETCH_STATUS_PAUSED;
  self->state.fetch_direction = direction;
  _quarry_state_data_clear_failure (&self->state);
  if (!_quarry_state_data_has_data (&self->state))
    {
      self->state.status = QUARRY_STATUS_PENDING;
      _quarry_state_data_set_error (&self->state, NULL);
    }

  _quarry_fetch_ref (fetch);
  dispatch (self, QUARRY_QUERY_ACTION_FETCH, old);

  if (!fetch->settled)
    {
      if (can)
        run_attempt (fetch);
      else
        fetch->paused = TRUE;
    }
  _quarry_fetch_unref (fetch);
}

void
_quarry_entry_fetch (QuarryEntry              *self,
                     const QuarryFetchOptions *options,
                     gboolean                  cancel_refetch,
                     GTask                    *waiter)
{
  g_autoptr(GPtrArray) waiters = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (self->client != NULL);

  if (waiter != NULL)
    g_ptr_array_add (waiters, g_object_ref (waiter));

  if (current_fetch (self) != NULL && !current_fetch (self)->settled)
    {
      QuarryFetch *current = current_fetch (self);
      QuarryConcurrency concurrency =
        options != NULL ? options->concurrency : self->extra->options.concurrency;

      if (cancel_refetch && _quarry_state_data_has_data (&self->state))
        {
          if (concurrency == QUARRY_CONCURRENCY_EXHAUST)
            {
              /* Coalesce into one trailing fetch after the current one. */
              self->extra->trailing = TRUE;
              self->extra->trailing_direction = options != NULL ? options->direction
                                                                : QUARRY_FETCH_DIRECTION_NONE;
              if (self->extra->trailing_waiters == NULL)
                self->extra->trailing_waiters = g_ptr_array_new_with_free_func (g_object_unref);
              move_waiters (waiters, self->extra->trailing_waiters);
              if (options != NULL)
                _quarry_entry_set_options (self, options);
              return;
            }

          /* Switch: cancel silently; its waiters move to the new fetch. */
          move_waiters (current->waiters, waiters);
          g_cancellable_cancel (current->cancellable);
          fetch_settle (current);
        }
      else
        {
          /* Deduplicate: share the fetch in flight, and re-enable retries
           * that an unmount had cancelled. */
          current->cancel_retry = FALSE;
          move_waiters (waiters, current->waiters);
          return;
        }
    }

  start_fetch (self, options, waiters);
}

/* Drops the trailing fetch that EXHAUST triggers queued: a cancel or reset
 * must not start it. */
static void
drop_trailing (QuarryEntry  *self,
               const GError *error)
{
  g_autoptr(GPtrArray) waiters = NULL;

  if (self->extra == NULL)
    return;

  waiters = g_steal_pointer (&self->extra->trailing_waiters);
  self->extra->trailing = FALSE;
  reject_waiters (waiters, error);
}

void
_quarry_entry_cancel (QuarryEntry *self,
                      gboolean     revert,
                      gboolean     silent)
{
  QuarryFetch *fetch = current_fetch (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiters = NULL;

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The fetch was cancelled"));
  drop_trailing (self, error);

  if (fetch == NULL || fetch->settled)
    return;

  _quarry_entry_ref (self);
  _quarry_fetch_ref (fetch);
  g_cancellable_cancel (fetch->cancellable);

  if (!silent && !revert)
    {
      /* A plain cancel goes through the error path; data is kept. */
      fetch_fail (fetch, error);
    }
  else
    {
      waiters = g_ptr_array_new_with_free_func (g_object_unref);
      move_waiters (fetch->waiters, waiters);
      fetch_settle (fetch);

      if (silent)
        {
          reject_waiters (waiters, error);
        }
      else
        {
          QuarryStateData *revert_state = g_steal_pointer (&self->extra->revert_state);

          if (revert_state != NULL)
            {
              revert_state->fetch_status = QUARRY_FETCH_STATUS_IDLE;
              replace_state (self, revert_state);
              free_state (revert_state);

              /* The state to revert to may show optimistic changes that
               * were rolled back since. */
              if (self->optimistic != NULL)
                _quarry_optimistic_stack_refold (self->optimistic, FALSE);
            }
          else if (self->state.fetch_status != QUARRY_FETCH_STATUS_IDLE)
            {
              QuarryFetchStatus old = self->state.fetch_status;

              self->state.fetch_status = QUARRY_FETCH_STATUS_IDLE;
              dispatch (self, QUARRY_QUERY_ACTION_SET_STATE, old);
            }

          if (_quarry_state_data_has_data (&self->state))
            resolve_waiters (waiters, &self->state.data);
          else
            reject_waiters (waiters, error);
        }

      after_fetch (self);
    }

  _quarry_fetch_unref (fetch);
  _quarry_entry_unref (self);
}

void
_quarry_entry_continue (QuarryEntry *self)
{
  QuarryFetch *fetch = current_fetch (self);
  QuarryFetchStatus old;

  if (fetch == NULL || fetch->settled || !fetch->paused)
    return;

  /* A fetch that never started waits for the network; a paused retry also
   * waits for focus. */
  if (fetch->started ? !can_continue (self, fetch->options.network_mode)
                     : !can_fetch (self, fetch->options.network_mode))
    return;

  fetch->paused = FALSE;
  old = self->state.fetch_status;
  self->state.fetch_status = QUARRY_FETCH_STATUS_FETCHING;

  _quarry_fetch_ref (fetch);
  dispatch (self, QUARRY_QUERY_ACTION_CONTINUE, old);

  if (!fetch->settled)
    {
      if (fetch->started && fetch->cancel_retry)
        fetch_fail (fetch, _quarry_state_data_get_failure_reason (&self->state));
      else
        run_attempt (fetch);
    }
  _quarry_fetch_unref (fetch);
}

/* Back to the initial state: initial data if a query gave some, else
 * pending. A fetch in flight is cancelled silently. */
void
_quarry_entry_reset (QuarryEntry *self)
{
  QuarryStateData initial;

  _quarry_entry_ref (self);

  _quarry_entry_cancel (self, FALSE, TRUE);

  if (self->extra != NULL && self->extra->initial_state != NULL)
    _quarry_state_data_copy (&initial, self->extra->initial_state);
  else
    _quarry_state_data_init (&initial);

  set_revert_state (self, NULL);
  replace_state (self, &initial);
  _quarry_state_data_clear (&initial);

  /* Pending optimistic changes stay on top of what the entry was reset to. */
  if (self->optimistic != NULL)
    _quarry_optimistic_stack_refold (self->optimistic, TRUE);

  _quarry_entry_unref (self);
}

/* Observers. */

void
_quarry_entry_add_observer (QuarryEntry *self,
                            QuarryQuery *query)
{
  ensure_extra (self);
  if (self->extra->observers == NULL)
    self->extra->observers = g_ptr_array_new ();

  g_assert (!g_ptr_array_find (self->extra->observers, query, NULL));

  g_ptr_array_add (self->extra->observers, query);
  unschedule_gc (self);
}

void
_quarry_entry_remove_observer (QuarryEntry *self,
                               QuarryQuery *query)
{
  QuarryFetch *fetch;

  if (!has_observers (self) || !g_ptr_array_remove (self->extra->observers, query))
    return;

  if (has_observers (self) || self->client == NULL)
    return;

  fetch = current_fetch (self);
  if (fetch != NULL && !fetch->settled)
    {
      /* A fetch that can be aborted is reverted; otherwise it finishes so
       * its result is cached, but it retries no more. */
      if (g_atomic_int_get (&fetch->consumed) || (fetch->paused && !fetch->started))
        _quarry_entry_cancel (self, TRUE, FALSE);
      else
        fetch->cancel_retry = TRUE;
    }

  schedule_gc (self);
}

void
_quarry_entry_add_tags (QuarryEntry        *self,
                        const char * const *tags)
{
  if (tags == NULL || tags[0] == NULL)
    return;

  ensure_extra (self);
  if (self->extra->tags == NULL)
    self->extra->tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; tags[i] != NULL; i++)
    if (!g_hash_table_contains (self->extra->tags, tags[i]))
      g_hash_table_add (self->extra->tags, g_strdup (tags[i]));
}

gboolean
_quarry_entry_has_tag (QuarryEntry *self,
                       const char  *tag)
{
  return self->extra != NULL && self->extra->tags != NULL &&
         g_hash_table_contains (self->extra->tags, tag);
}

/* Predicates, as TanStack's Query helpers. */

gboolean
_quarry_entry_is_active (QuarryEntry *self)
{
  guint n = _quarry_entry_get_n_observers (self);

  for (guint i = 0; i < n; i++)
    if (_quarry_query_is_enabled (_quarry_entry_get_observer (self, i)))
      return TRUE;
  return FALSE;
}

gboolean
_quarry_entry_is_disabled (QuarryEntry *self)
{
  if (has_observers (self))
    return !_quarry_entry_is_active (self);

  return self->state.data_update_count + _quarry_state_data_get_error_update_count (&self->state) == 0;
}

gboolean
_quarry_entry_is_static (QuarryEntry *self)
{
  guint n = _quarry_entry_get_n_observers (self);

  if (!_quarry_state_data_has_data (&self->state))
    return FALSE;

  for (guint i = 0; i < n; i++)
    if (_quarry_query_get_effective_stale (_quarry_entry_get_observer (self, i)) ==
        QUARRY_STALE_TIME_STATIC)
      return TRUE;
  return FALSE;
}

gboolean
_quarry_entry_is_stale_by_time (QuarryEntry *self,
                                gint64       stale_time)
{
  if (!_quarry_state_data_has_data (&self->state))
    return TRUE;
  if (stale_time == QUARRY_STALE_TIME_STATIC)
    return FALSE;
  if (self->state.is_invalidated)
    return TRUE;
  stale_time = _quarry_entry_effective_stale_time (self, stale_time);
  if (stale_time == QUARRY_TIME_INFINITE)
    return FALSE;
  return self->state.data_updated_at + stale_time <= wall_now (self);
}

/* A max-age the server sent with the data replaces the queries' stale
 * time, except a static one. */
gint64
_quarry_entry_effective_stale_time (QuarryEntry *self,
                                    gint64       stale_time)
{
  gint64 max_age = _quarry_state_data_get_max_age (&self->state);

  if (stale_time == QUARRY_STALE_TIME_STATIC || max_age < 0)
    return stale_time;
  return max_age;
}

/* The staleness the filters see: with observers, whether one of them finds
 * the data stale; without, only missing or invalidated data is stale. */
gboolean
_quarry_entry_is_stale (QuarryEntry *self)
{
  guint n = _quarry_entry_get_n_observers (self);

  if (n > 0)
    {
      for (guint i = 0; i < n; i++)
        if (quarry_query_get_is_stale (_quarry_entry_get_observer (self, i)))
          return TRUE;
      return FALSE;
    }

  return !_quarry_state_data_has_data (&self->state) || self->state.is_invalidated;
}

gboolean
_quarry_entry_is_fetching (QuarryEntry *self)
{
  return self->state.fetch_status == QUARRY_FETCH_STATUS_FETCHING;
}
