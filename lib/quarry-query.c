/* quarry-query.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "quarry-enums.h"
#include "quarry-error.h"
#include "quarry-i18n-private.h"
#include "quarry-infinite-query-private.h"
#include "quarry-option-values-private.h"
#include "quarry-query-client-private.h"
#include "quarry-query-private.h"
#include "quarry-value-private.h"

/**
 * QuarryQuery:
 *
 * Server state bound to a key: what an application holds and binds its
 * widgets to, TanStack Query's observer (`useQuery`).
 *
 * A query has a [property@Query:key], a [callback@FetchFunc] and options.
 * It attaches to the client's entry for its key, shared with every other
 * query of that key, and shows the entry's state through read-only
 * properties that are notified in one consistent batch per transition:
 * [property@Query:status] (the data), [property@Query:fetch-status] (the
 * fetch function), [property@Query:data], [property@Query:error],
 * [property@Query:is-stale], [property@Query:is-fetching] and the other
 * flags of TanStack's observer result. After each batch it emits
 * [signal@Query::state-changed].
 *
 * When it returns to the main loop after being made, the query *mounts*:
 * with no data, or stale data, it fetches. Cached data is shown at once
 * while it revalidates (stale-while-revalidate). It refetches when the
 * client regains focus or comes back online (if stale), on
 * [property@Query:refetch-interval], and when it is invalidated. Failed
 * fetches are retried with back-off; the last good data stays while the
 * query shows the error.
 *
 * Setting the key moves the query to another entry (dependent and
 * paginated queries); a `NULL` key disables it. With
 * [property@Query:keep-previous-data], the previous key's data stays on
 * show, as placeholder, while the new key loads.
 *
 * ```c
 * static void
 * on_status (QuarryQuery *query, GParamSpec *pspec, gpointer user_data)
 * {
 *   if (quarry_query_get_status (query) == QUARRY_STATUS_SUCCESS)
 *     show_todos (quarry_query_get_value (query));
 * }
 *
 * query = quarry_query_new (client, key, fetch_todos, NULL, NULL);
 * quarry_query_set_stale_time (query, 30000);
 * g_signal_connect (query, "notify::status", G_CALLBACK (on_status), NULL);
 * ```
 *
 * `QuarryQuery` is derivable: [class@InfiniteQuery] extends it.
 */

typedef struct
{
  QuarryStatus status;
  QuarryFetchStatus fetch_status;
  /* The data shown: JSON, the common case, as its sealed node, which costs
   * a reference where a GValue costs a dozen type checks; data holds it
   * too once somebody asks for it. Any other data in data. */
  JsonNode *node;
  GValue data;
  GError *error;
  gint64 data_updated_at;
  gint64 error_updated_at;
  guint error_update_count;
  guint failure_count;
  GError *failure_reason;
  QuarryFetchDirection fetch_direction;
  guint is_stale : 1;
  guint is_placeholder_data : 1;
  guint is_fetched : 1;
  guint is_fetched_after_mount : 1;
} Result;

typedef enum
{
  MOUNT_NONE,
  MOUNT_FIRST,
  MOUNT_KEY_CHANGED,
} MountReason;

typedef struct
{
  QuarryQueryClient *client;
  QuarryKey *key;
  QuarryKey *pending_key;
  QuarryEntry *entry;

  QuarryClosure *fetcher;
  QuarryClosure *select;
  QuarryClosure *retry_func;
  QuarryClosure *retry_delay_func;

  QuarryOptionValues explicit_options;
  QuarryOptionValues options;

  GValue placeholder_data;
  GValue initial_data;
  gint64 initial_data_updated_at;
  GVariant *meta;
  char **tags;

  Result result;

  /* select memo: recomputed when the source data or the function changes */
  QuarryEntry *select_entry;
  guint select_update_count;
  gconstpointer select_source;
  QuarryClosure *select_closure;
  GValue selected;
  GError *select_error;
  gint64 select_error_at;

  GValue previous_data;        /* for keep-previous-data */
  guint mount_update_count;

  QuarryTimer *stale_timer;
  gint64 stale_at;             /* when the data goes stale, for stale_timer */
  QuarryTimer *interval_timer;
  QuarryTimer *debounce_timer;
  GSource *mount_source;
  MountReason mount_reason;

  guint keep_previous_data : 1;
  guint constructed : 1;
  guint is_infinite : 1;
  guint ever_attached : 1;
  guint unsubscribed : 1;
  guint key_changed_unsubscribed : 1;
} QuarryQueryPrivate;

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_KEY,
  PROP_PLACEHOLDER_DATA,
  PROP_KEEP_PREVIOUS_DATA,
  PROP_INITIAL_DATA,
  PROP_INITIAL_DATA_UPDATED_AT,
  PROP_META,
  PROP_TAGS,
  PROP_SUBSCRIBED,
  /* state */
  PROP_STATUS,
  PROP_FETCH_STATUS,
  PROP_DATA,
  PROP_ERROR,
  PROP_DATA_UPDATED_AT,
  PROP_ERROR_UPDATED_AT,
  PROP_ERROR_UPDATE_COUNT,
  PROP_FAILURE_COUNT,
  PROP_FAILURE_REASON,
  PROP_IS_STALE,
  PROP_IS_FETCHING,
  PROP_IS_PAUSED,
  PROP_IS_PENDING,
  PROP_IS_SUCCESS,
  PROP_IS_ERROR,
  PROP_IS_LOADING,
  PROP_IS_REFETCHING,
  PROP_IS_LOADING_ERROR,
  PROP_IS_REFETCH_ERROR,
  PROP_IS_PLACEHOLDER_DATA,
  PROP_IS_FETCHED,
  PROP_IS_FETCHED_AFTER_MOUNT,
  PROP_FIRST_OPTION,
  N_PROPS = PROP_FIRST_OPTION + QUARRY_N_OPTIONS
};

enum {
  SIGNAL_STATE_CHANGED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static GParamSpec **option_pspecs = &properties[PROP_FIRST_OPTION];
static guint signals[N_SIGNALS];

G_DEFINE_TYPE_WITH_PRIVATE (QuarryQuery, quarry_query, G_TYPE_OBJECT)

static void update_result (QuarryQuery *self, gboolean notify, QuarryQueryAction action);
static void update_timers (QuarryQuery *self);

/* Results. */

static void
result_clear (Result *result)
{
  if (_quarry_value_is_set (&result->data))
    g_value_unset (&result->data);
  g_clear_pointer (&result->node, json_node_unref);
  g_clear_error (&result->error);
  g_clear_error (&result->failure_reason);
}

/* The data a result shows, or NULL. */
static const GValue *
result_get_value (Result *result)
{
  if (result->node != NULL && !_quarry_value_is_set (&result->data))
    {
      g_value_init (&result->data, JSON_TYPE_NODE);
      g_value_take_boxed (&result->data, json_node_ref (result->node));
    }
  return _quarry_value_is_set (&result->data) ? &result->data : NULL;
}

/* The sealed JSON node @value holds, or NULL for any other data. */
static JsonNode *
sealed_node (const GValue *value)
{
  JsonNode *node;

  if (value == NULL || G_VALUE_TYPE (value) != JSON_TYPE_NODE)
    return NULL;
  node = g_value_get_boxed (value);
  return node != NULL && json_node_is_immutable (node) ? node : NULL;
}

/* Whether @result shows @value, or nothing when @value is NULL. */
static gboolean
result_shows (Result       *result,
              const GValue *value,
              JsonNode     *node)
{
  /* As _quarry_value_equal () compares JSON: sealed nodes keep their hash. */
  if (result->node != NULL && node != NULL)
    return result->node == node ||
           (json_node_hash (result->node) == json_node_hash (node) &&
            json_node_equal (result->node, node));

  return _quarry_value_equal (result_get_value (result), value);
}

static gboolean
errors_equal (const GError *a,
              const GError *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->domain == b->domain && a->code == b->code && g_strcmp0 (a->message, b->message) == 0;
}

static gboolean
has_entry_data (QuarryQueryPrivate *priv)
{
  return priv->entry != NULL && _quarry_state_data_has_data (&priv->entry->state);
}

/* Applies the select function to @source, memoized on the source. */
static const GValue *
select_value (QuarryQuery  *self,
              const GValue *source,
              guint         update_count)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);
  gconstpointer identity;
  QuarrySelectFunc func;
  GError *error = NULL;
  g_auto(GValue) selected = G_VALUE_INIT;

  if (priv->select == NULL)
    return source;

  identity = g_value_fits_pointer (source) ? g_value_peek_pointer (source) : NULL;

  if (priv->select_closure == priv->select &&
      priv->select_entry == priv->entry &&
      priv->select_update_count == update_count &&
      priv->select_source == identity &&
      (priv->select_error != NULL || _quarry_value_is_set (&priv->selected)))
    return priv->select_error != NULL ? NULL : &priv->selected;

  priv->select_closure = priv->select;
  priv->select_entry = priv->entry;
  priv->select_update_count = update_count;
  priv->select_source = identity;

  func = priv->select->func;
  func (source, &selected, priv->select->data, &error);

  g_clear_error (&priv->select_error);
  if (error != NULL || !_quarry_value_is_set (&selected))
    {
      if (error == NULL)
        error = g_error_new_literal (QUARRY_ERROR, QUARRY_ERROR_SELECT,
                                     _("The select function returned no value"));
      priv->select_error = error;
      priv->select_error_at = quarry_clock_get_wall_time (quarry_query_client_get_clock (priv->client));
      return NULL;
    }

  /* The last good output stays, to show alongside a select error. */
  if (!_quarry_value_equal (&priv->selected, &selected))
    {
      if (_quarry_value_is_set (&priv->selected))
        g_value_unset (&priv->selected);
      _quarry_value_store (&priv->selected, &selected);
    }
  return &priv->selected;
}

/* Computes the result but its data, and returns the data to show, or
 * NULL. An infinite query's result holds the data already, so that the page
 * parameter functions can run: then it returns &r->data. */
static const GValue *
compute_result (QuarryQuery *self,
                Result      *r)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);
  const QuarryStateData *st;
  const GValue *shown = NULL;

  memset (r, 0, sizeof *r);
  r->status = QUARRY_STATUS_PENDING;
  r->fetch_status = QUARRY_FETCH_STATUS_IDLE;

  if (priv->entry == NULL)
    return NULL;

  st = &priv->entry->state;
  r->status = st->status;
  r->fetch_status = st->fetch_status;
  r->data_updated_at = st->data_updated_at;
  r->fetch_direction = st->fetch_direction;
  if (st->extra != NULL)
    {
      r->error_updated_at = st->extra->error_updated_at;
      r->error_update_count = st->extra->error_update_count;
      r->failure_count = st->extra->failure_count;
      r->failure_reason = st->extra->failure_reason ? g_error_copy (st->extra->failure_reason) : NULL;
      r->error = st->extra->error ? g_error_copy (st->extra->error) : NULL;
    }
  r->is_fetched = st->data_update_count + r->error_update_count > 0;
  r->is_fetched_after_mount = st->data_update_count + r->error_update_count > priv->mount_update_count;
  r->is_stale = _quarry_query_is_enabled (self) &&
                _quarry_entry_is_stale_by_time (priv->entry, priv->options.stale_time);

  if (_quarry_state_data_has_data (st))
    {
      shown = select_value (self, &st->data, st->data_update_count);
      if (shown == NULL && priv->select_error != NULL)
        {
          r->status = QUARRY_STATUS_ERROR;
          g_clear_error (&r->error);
          r->error = g_error_copy (priv->select_error);
          r->error_updated_at = priv->select_error_at;
          if (_quarry_value_is_set (&priv->selected))
            shown = &priv->selected;
        }
    }
  else if (st->status == QUARRY_STATUS_PENDING)
    {
      const GValue *placeholder = NULL;

      if (priv->keep_previous_data && _quarry_value_is_set (&priv->previous_data))
        placeholder = &priv->previous_data;
      else if (_quarry_value_is_set (&priv->placeholder_data))
        placeholder = &priv->placeholder_data;

      if (placeholder != NULL)
        {
          shown = select_value (self, placeholder, G_MAXUINT);
          if (shown != NULL)
            {
              r->status = QUARRY_STATUS_SUCCESS;
              r->is_placeholder_data = TRUE;
            }
        }
    }

  if (!priv->is_infinite)
    return shown;

  if (shown != NULL)
    _quarry_value_store (&r->data, shown);

  /* An infinite query's page parameter functions failing show as its
   * error, as a select error does. */
    {
      GError *error = NULL;

      if (!_quarry_infinite_query_compute (QUARRY_INFINITE_QUERY (self), st, &error))
        {
          r->status = QUARRY_STATUS_ERROR;
          r->is_placeholder_data = FALSE;
          g_clear_error (&r->error);
          r->error = error;
        }
    }

  return _quarry_value_is_set (&r->data) ? &r->data : NULL;
}

#define IS_LOADING(r) ((r)->status == QUARRY_STATUS_PENDING && (r)->fetch_status == QUARRY_FETCH_STATUS_FETCHING)
/* Page fetches of infinite queries are neither refetches nor refetch errors. */
#define IS_REFETCHING(r) ((r)->fetch_status == QUARRY_FETCH_STATUS_FETCHING && (r)->status != QUARRY_STATUS_PENDING && \
                          (r)->fetch_direction == QUARRY_FETCH_DIRECTION_NONE)
#define HAS_DATA(r) ((r)->node != NULL || _quarry_value_is_set (&(r)->data))
#define IS_LOADING_ERROR(r) ((r)->status == QUARRY_STATUS_ERROR && !HAS_DATA (r))
#define IS_REFETCH_ERROR(r) ((r)->status == QUARRY_STATUS_ERROR && HAS_DATA (r) && \
                             (r)->fetch_direction == QUARRY_FETCH_DIRECTION_NONE)

/* Recomputes the result and notifies what changed, then emits
 * ::state-changed when @notify is set. The caller holds a reference.
 *
 * The whole new result is in place before the first handler runs, so every
 * handler sees one consistent state, as in a freeze-thaw batch; but the
 * properties are notified directly, which costs GObject much less. They are
 * notified in a fixed order, the one a thaw gave them: an infinite query's
 * own properties first, then from is-fetched-after-mount back to status,
 * last. */
static void
commit_result (QuarryQuery       *self,
               gboolean           notify,
               QuarryQueryAction  action)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);
  GParamSpec *changed[PROP_IS_FETCHED_AFTER_MOUNT - PROP_STATUS + 1];
  guint n_changed = 0;
  g_autoptr(GPtrArray) more = NULL;
  const GValue *shown;
  gboolean data_changed;
  Result next;
  Result *prev = &priv->result;

  /* An unsubscribed query keeps showing its last result, unless its key
   * changed (see move_to_key). */
  if (priv->unsubscribed && notify && !priv->key_changed_unsubscribed)
    return;
  priv->key_changed_unsubscribed = FALSE;

  shown = compute_result (self, &next);

  /* Data equal to what is shown stays as it is, and costs no copy. */
  if (shown == &next.data)
    data_changed = !result_shows (prev, shown, NULL);
  else
    {
      JsonNode *node = sealed_node (shown);

      data_changed = !result_shows (prev, shown, node);
      if (!data_changed)
        {
          next.node = g_steal_pointer (&prev->node);
          next.data = prev->data;
          memset (&prev->data, 0, sizeof prev->data);
        }
      else if (node != NULL)
        next.node = json_node_ref (node);
      else if (shown != NULL)
        _quarry_value_store (&next.data, shown);
    }

#define CHANGED(condition, prop) \
  G_STMT_START { if (condition) changed[n_changed++] = properties[prop]; } G_STMT_END

  CHANGED (prev->status != next.status, PROP_STATUS);
  CHANGED (prev->fetch_status != next.fetch_status, PROP_FETCH_STATUS);
  CHANGED (data_changed, PROP_DATA);
  CHANGED (!errors_equal (prev->error, next.error), PROP_ERROR);
  CHANGED (prev->data_updated_at != next.data_updated_at, PROP_DATA_UPDATED_AT);
  CHANGED (prev->error_updated_at != next.error_updated_at, PROP_ERROR_UPDATED_AT);
  CHANGED (prev->error_update_count != next.error_update_count, PROP_ERROR_UPDATE_COUNT);
  CHANGED (prev->failure_count != next.failure_count, PROP_FAILURE_COUNT);
  CHANGED (!errors_equal (prev->failure_reason, next.failure_reason), PROP_FAILURE_REASON);
  CHANGED (prev->is_stale != next.is_stale, PROP_IS_STALE);
  if (prev->status != next.status || prev->fetch_status != next.fetch_status ||
      prev->fetch_direction != next.fetch_direction || HAS_DATA (prev) != HAS_DATA (&next))
    {
      CHANGED ((prev->fetch_status == QUARRY_FETCH_STATUS_FETCHING) != (next.fetch_status == QUARRY_FETCH_STATUS_FETCHING), PROP_IS_FETCHING);
      CHANGED ((prev->fetch_status == QUARRY_FETCH_STATUS_PAUSED) != (next.fetch_status == QUARRY_FETCH_STATUS_PAUSED), PROP_IS_PAUSED);
      CHANGED ((prev->status == QUARRY_STATUS_PENDING) != (next.status == QUARRY_STATUS_PENDING), PROP_IS_PENDING);
      CHANGED ((prev->status == QUARRY_STATUS_SUCCESS) != (next.status == QUARRY_STATUS_SUCCESS), PROP_IS_SUCCESS);
      CHANGED ((prev->status == QUARRY_STATUS_ERROR) != (next.status == QUARRY_STATUS_ERROR), PROP_IS_ERROR);
      CHANGED (IS_LOADING (prev) != IS_LOADING (&next), PROP_IS_LOADING);
      CHANGED (IS_REFETCHING (prev) != IS_REFETCHING (&next), PROP_IS_REFETCHING);
      CHANGED (IS_LOADING_ERROR (prev) != IS_LOADING_ERROR (&next), PROP_IS_LOADING_ERROR);
      CHANGED (IS_REFETCH_ERROR (prev) != IS_REFETCH_ERROR (&next), PROP_IS_REFETCH_ERROR);
    }
  CHANGED (prev->is_placeholder_data != next.is_placeholder_data, PROP_IS_PLACEHOLDER_DATA);
  CHANGED (prev->is_fetched != next.is_fetched, PROP_IS_FETCHED);
  CHANGED (prev->is_fetched_after_mount != next.is_fetched_after_mount, PROP_IS_FETCHED_AFTER_MOUNT);

#undef CHANGED

  result_clear (prev);
  *prev = next;

  /* The infinite query's own flags and list models. */
  if (priv->is_infinite)
    {
      more = g_ptr_array_new ();
      _quarry_infinite_query_commit (QUARRY_INFINITE_QUERY (self), more);
      for (guint i = more->len; i > 0; i--)
        g_object_notify_by_pspec (G_OBJECT (self), g_ptr_array_index (more, i - 1));
    }
  else if (n_changed == 0)
    return;

  if (n_changed == 0 && more->len == 0)
    return;

  for (guint i = n_changed; i > 0; i--)
    g_object_notify_by_pspec (G_OBJECT (self), changed[i - 1]);

  if (notify)
    g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, action);
}

static void
update_result (QuarryQuery       *self,
               gboolean           notify,
               QuarryQueryAction  action)
{
  g_object_ref (self);
  commit_result (self, notify, action);
  g_object_unref (self);
}

/* Options. */

static void
resolve_options (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  _quarry_query_client_resolve_options (priv->client, priv->key, &priv->options);
  _quarry_option_values_merge (&priv->options, &priv->explicit_options);

  if (!(priv->options.set_mask & (1u << QUARRY_OPTION_REFETCH_ON_RECONNECT)) &&
      priv->options.network_mode == QUARRY_NETWORK_MODE_ALWAYS)
    priv->options.refetch_on_reconnect = QUARRY_REFETCH_MODE_NEVER;
}

void
_quarry_query_get_fetch_options (QuarryQuery        *self,
                                 QuarryFetchOptions *options)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  _quarry_fetch_options_init (options);
  options->fetcher = priv->fetcher ? _quarry_closure_ref (priv->fetcher) : NULL;
  options->retry_func = priv->retry_func ? _quarry_closure_ref (priv->retry_func) : NULL;
  options->retry_delay_func = priv->retry_delay_func ? _quarry_closure_ref (priv->retry_delay_func) : NULL;
  options->meta = priv->meta ? g_variant_ref (priv->meta) : NULL;
  options->retry = priv->options.retry;
  options->retry_delay = priv->options.retry_delay;
  options->gc_time = -1;   /* folded in when the query leaves the entry */
  options->network_mode = priv->options.network_mode;
  options->concurrency = priv->options.concurrency;
  if (QUARRY_IS_INFINITE_QUERY (self))
    options->paging = _quarry_infinite_query_dup_paging (QUARRY_INFINITE_QUERY (self));
}

void
_quarry_query_push_options (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);
  QuarryFetchOptions options;

  if (priv->entry == NULL || priv->entry->client == NULL)
    return;

  _quarry_query_get_fetch_options (self, &options);
  _quarry_entry_set_options (priv->entry, &options);
  _quarry_fetch_options_clear (&options);
}

gboolean
_quarry_query_is_enabled (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  return priv->key != NULL && priv->options.enabled;
}

gint64
_quarry_query_get_effective_stale (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  return priv->options.stale_time;
}

QuarryRefetchMode
_quarry_query_get_refetch_on_reconnect_mode (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  return priv->options.refetch_on_reconnect;
}

static gboolean
is_stale (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  return _quarry_query_is_enabled (self) && priv->entry != NULL &&
         _quarry_entry_is_stale_by_time (priv->entry, priv->options.stale_time);
}

gboolean
_quarry_query_should_fetch_on (QuarryQuery       *self,
                               QuarryRefetchMode  mode)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  if (!_quarry_query_is_enabled (self) || priv->options.stale_time == QUARRY_STALE_TIME_STATIC)
    return FALSE;

  return mode == QUARRY_REFETCH_MODE_ALWAYS ||
         (mode != QUARRY_REFETCH_MODE_NEVER && is_stale (self));
}

static gboolean
should_fetch_on_mount (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);
  const QuarryStateData *st = &priv->entry->state;

  if (!_quarry_state_data_has_data (st))
    return _quarry_query_is_enabled (self) &&
           !(st->status == QUARRY_STATUS_ERROR && !priv->options.retry_on_mount);

  return _quarry_query_should_fetch_on (self, priv->options.refetch_on_mount);
}

void
_quarry_query_fetch (QuarryQuery *self,
                     gboolean     cancel_refetch,
                     GTask       *waiter)
{
  _quarry_query_fetch_direction (self, cancel_refetch, QUARRY_FETCH_DIRECTION_NONE, waiter);
}

void
_quarry_query_fetch_direction (QuarryQuery          *self,
                               gboolean              cancel_refetch,
                               QuarryFetchDirection  direction,
                               GTask                *waiter)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);
  QuarryFetchOptions options;

  /* TanStack's refetch() ignores subscribed: fetch the key's entry
   * without attaching to it. The query shows the result once subscribed. */
  if (priv->unsubscribed && priv->key != NULL)
    {
      QuarryEntry *entry = _quarry_query_client_ensure_entry (priv->client, priv->key);

      if (entry->client != NULL)
        {
          _quarry_query_get_fetch_options (self, &options);
          options.direction = direction;
          options.gc_time = priv->options.gc_time;
          _quarry_entry_fetch (entry, &options, cancel_refetch, waiter);
          _quarry_fetch_options_clear (&options);
        }
      else if (waiter != NULL)
        g_task_return_new_error (waiter, QUARRY_ERROR, QUARRY_ERROR_REMOVED,
                                 _("The query was removed from the cache"));
      _quarry_entry_unref (entry);
      return;
    }

  if (priv->entry == NULL || priv->entry->client == NULL)
    {
      if (waiter != NULL)
        g_task_return_new_error (waiter, QUARRY_ERROR, QUARRY_ERROR_INVALID_KEY,
                                 _("The query has no key to fetch"));
      return;
    }

  _quarry_query_get_fetch_options (self, &options);
  options.direction = direction;
  _quarry_entry_fetch (priv->entry, &options, cancel_refetch, waiter);
  _quarry_fetch_options_clear (&options);
}

/* Timers, re-armed on every state change as TanStack's observer does. */

static void
stale_timer_cb (gpointer data)
{
  QuarryQuery *self = data;
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  priv->stale_timer = NULL;
  update_result (self, TRUE, QUARRY_QUERY_ACTION_SET_STATE);
}

static void
interval_timer_cb (gpointer data)
{
  QuarryQuery *self = data;
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  priv->interval_timer = NULL;

  g_object_ref (self);
  if (priv->options.refetch_interval_in_background || quarry_query_client_get_focused (priv->client))
    _quarry_query_fetch (self, FALSE, NULL);
  if (priv->interval_timer == NULL)
    update_timers (self);
  g_object_unref (self);
}

static void
update_timers (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);
  gint64 interval = priv->options.refetch_interval;
  gboolean enabled = priv->entry != NULL && _quarry_query_is_enabled (self);
  gboolean goes_stale = FALSE;
  gint64 stale_at = 0;

  if (enabled && !priv->result.is_stale && has_entry_data (priv))
    {
      gint64 stale_time = _quarry_entry_effective_stale_time (priv->entry, priv->options.stale_time);

      if (stale_time != QUARRY_STALE_TIME_STATIC && stale_time != QUARRY_TIME_INFINITE)
        {
          goes_stale = TRUE;
          stale_at = priv->entry->state.data_updated_at + stale_time;
        }
    }

  /* The stale timer fires just after the data goes stale; it is armed
   * again only when that time moved. */
  if (priv->stale_timer != NULL && (!goes_stale || stale_at != priv->stale_at))
    _quarry_clear_timer (&priv->stale_timer);
  if (goes_stale && priv->stale_timer == NULL)
    {
      QuarryClock *clock = quarry_query_client_get_clock (priv->client);
      gint64 until = stale_at - quarry_clock_get_wall_time (clock);

      priv->stale_timer = _quarry_clock_schedule (clock, MAX (until, 0) + 1, stale_timer_cb, self);
      priv->stale_at = stale_at;
    }

  /* The interval starts over with every update, as TanStack's does. */
  _quarry_clear_timer (&priv->interval_timer);
  if (enabled && interval > 0 && interval != QUARRY_TIME_INFINITE)
    priv->interval_timer = _quarry_clock_schedule (quarry_query_client_get_clock (priv->client),
                                                   interval, interval_timer_cb, self);
}

/* Mounting. */

static gboolean
mount_cb (gpointer data)
{
  QuarryQuery *self = data;
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);
  MountReason reason = priv->mount_reason;
  gboolean fetch = FALSE;

  g_clear_pointer (&priv->mount_source, g_source_unref);
  priv->mount_reason = MOUNT_NONE;

  if (priv->entry == NULL)
    return G_SOURCE_REMOVE;

  if (reason == MOUNT_FIRST)
    fetch = should_fetch_on_mount (self);
  else if (reason == MOUNT_KEY_CHANGED)
    fetch = is_stale (self);

  if (fetch)
    _quarry_query_fetch (self, FALSE, NULL);

  return G_SOURCE_REMOVE;
}

static void
schedule_mount (QuarryQuery *self,
                MountReason  reason)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  if (priv->mount_reason != MOUNT_FIRST)
    priv->mount_reason = reason;

  if (priv->mount_source != NULL)
    return;

  priv->mount_source = g_idle_source_new ();
  g_source_set_priority (priv->mount_source, G_PRIORITY_DEFAULT);
  g_source_set_name (priv->mount_source, "[quarry] query mount");
  g_source_set_callback (priv->mount_source, mount_cb, self, NULL);
  g_source_attach (priv->mount_source,
                   _quarry_clock_get_context (quarry_query_client_get_clock (priv->client)));
}

static void
detach (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);
  QuarryEntry *entry = g_steal_pointer (&priv->entry);

  _quarry_clear_timer (&priv->stale_timer);
  _quarry_clear_timer (&priv->interval_timer);

  if (entry == NULL)
    return;

  /* Remember the last data for keep-previous-data. */
  if (_quarry_state_data_has_data (&entry->state))
    {
      if (_quarry_value_is_set (&priv->previous_data))
        g_value_unset (&priv->previous_data);
      _quarry_value_store (&priv->previous_data, &entry->state.data);
    }

  _quarry_entry_fold_gc_time (entry, priv->options.gc_time);
  _quarry_entry_remove_observer (entry, self);
  _quarry_entry_unref (entry);
}

static void
attach (QuarryQuery *self,
        MountReason  reason)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);
  QuarryEntry *entry;

  if (priv->key == NULL || priv->unsubscribed)
    return;

  entry = _quarry_query_client_ensure_entry (priv->client, priv->key);
  if (entry->client == NULL)
    {
      /* A ::query-added handler removed it already. */
      _quarry_entry_unref (entry);
      return;
    }
  priv->entry = entry;
  priv->ever_attached = TRUE;
  _quarry_entry_add_observer (entry, self);
  _quarry_query_client_index_tags (priv->client, entry, (const char * const *) priv->tags);
  priv->mount_update_count = entry->state.data_update_count +
                             _quarry_state_data_get_error_update_count (&entry->state);

  _quarry_query_push_options (self);

  if (_quarry_value_is_set (&priv->initial_data) && !_quarry_state_data_has_data (&entry->state))
    _quarry_entry_apply_initial (entry, &priv->initial_data, priv->initial_data_updated_at);

  if (reason != MOUNT_NONE)
    schedule_mount (self, reason);
}

static void
move_to_key (QuarryQuery *self,
             QuarryKey   *key)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  if (priv->key == key || (priv->key != NULL && key != NULL && quarry_key_equal (priv->key, key)))
    return;

  g_object_ref (self);

  detach (self);
  g_clear_pointer (&priv->key, quarry_key_unref);
  priv->key = key ? quarry_key_ref (key) : NULL;
  resolve_options (self);

  if (priv->constructed)
    {
      attach (self, priv->ever_attached ? MOUNT_KEY_CHANGED : MOUNT_FIRST);
      /* Unsubscribed, the query does not show the old key's data under
       * the new key: it is pending, or shows the previous data as
       * placeholder with keep-previous-data. */
      priv->key_changed_unsubscribed = priv->unsubscribed;
      update_result (self, TRUE, QUARRY_QUERY_ACTION_SET_STATE);
      update_timers (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
  g_object_unref (self);
}

static void
debounce_cb (gpointer data)
{
  QuarryQuery *self = data;
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);
  g_autoptr(QuarryKey) key = g_steal_pointer (&priv->pending_key);

  priv->debounce_timer = NULL;
  move_to_key (self, key);
}

/* Called by the entry. */

/* The entry holds a reference on @self while it tells it. */
void
_quarry_query_entry_updated (QuarryQuery       *self,
                             QuarryQueryAction  action)
{
  commit_result (self, TRUE, action);
  update_timers (self);
}

void
_quarry_query_entry_removed (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  /* The entry was removed from the cache: attach to a fresh one, which
   * fetches because it has no data, as TanStack's observer rebuilds its
   * query on its next update. */
  _quarry_clear_timer (&priv->stale_timer);
  _quarry_clear_timer (&priv->interval_timer);
  g_clear_pointer (&priv->entry, _quarry_entry_unref);

  if (priv->client != NULL && priv->constructed)
    attach (self, MOUNT_KEY_CHANGED);

  update_result (self, TRUE, QUARRY_QUERY_ACTION_SET_STATE);
  update_timers (self);
}

static void
set_option (QuarryQuery    *self,
            QuarryOptionId  id,
            const GValue   *value)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);
  QuarryOptionValues before = priv->options;
  const QuarryOptionValues *after = &priv->options;
  gboolean was_enabled = _quarry_query_is_enabled (self);
  gboolean shown, timed;

  _quarry_option_values_set (&priv->explicit_options, id, value);
  resolve_options (self);

  if (memcmp (&before, after, sizeof before) == 0)
    return;

  g_object_notify_by_pspec (G_OBJECT (self), option_pspecs[id]);

  if (!priv->constructed || priv->entry == NULL)
    return;

  /* The entry takes the options of the query that set them last, as
   * TanStack's query does. */
  _quarry_query_push_options (self);

  /* TanStack: an observer that becomes enabled fetches if stale. */
  if (!was_enabled && _quarry_query_is_enabled (self))
    schedule_mount (self, MOUNT_KEY_CHANGED);

  /* Only what an option is for is done again: a gc-time, say, matters
   * only once the query leaves its entry. */
  shown = before.enabled != after->enabled || before.stale_time != after->stale_time;
  timed = shown || before.refetch_interval != after->refetch_interval;
  if (shown)
    update_result (self, TRUE, QUARRY_QUERY_ACTION_SET_STATE);
  if (timed)
    update_timers (self);
}

#include "quarry-query-option-accessors.c"

/* GObject. */

static void
quarry_query_constructed (GObject *object)
{
  QuarryQuery *self = (QuarryQuery *)object;
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  G_OBJECT_CLASS (quarry_query_parent_class)->constructed (object);

  if (priv->client == NULL)
    {
      g_critical ("QuarryQuery needs a client; give it the \"client\" property");
      priv->client = quarry_query_client_new ();
    }

  priv->constructed = TRUE;
  priv->is_infinite = QUARRY_IS_INFINITE_QUERY (self);
  resolve_options (self);
  attach (self, MOUNT_FIRST);
  update_result (self, FALSE, QUARRY_QUERY_ACTION_SET_STATE);
  update_timers (self);
}

static void
quarry_query_dispose (GObject *object)
{
  QuarryQuery *self = (QuarryQuery *)object;
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  if (priv->mount_source != NULL)
    {
      g_source_destroy (priv->mount_source);
      g_clear_pointer (&priv->mount_source, g_source_unref);
    }
  _quarry_clear_timer (&priv->debounce_timer);
  detach (self);

  G_OBJECT_CLASS (quarry_query_parent_class)->dispose (object);
}

static void
quarry_query_finalize (GObject *object)
{
  QuarryQuery *self = (QuarryQuery *)object;
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  result_clear (&priv->result);
  g_clear_pointer (&priv->fetcher, _quarry_closure_unref);
  g_clear_pointer (&priv->select, _quarry_closure_unref);
  g_clear_pointer (&priv->retry_func, _quarry_closure_unref);
  g_clear_pointer (&priv->retry_delay_func, _quarry_closure_unref);
  g_clear_pointer (&priv->key, quarry_key_unref);
  g_clear_pointer (&priv->pending_key, quarry_key_unref);
  g_clear_pointer (&priv->meta, g_variant_unref);
  g_clear_pointer (&priv->tags, g_strfreev);
  g_clear_error (&priv->select_error);
  if (_quarry_value_is_set (&priv->selected))
    g_value_unset (&priv->selected);
  if (_quarry_value_is_set (&priv->previous_data))
    g_value_unset (&priv->previous_data);
  if (_quarry_value_is_set (&priv->placeholder_data))
    g_value_unset (&priv->placeholder_data);
  if (_quarry_value_is_set (&priv->initial_data))
    g_value_unset (&priv->initial_data);
  g_clear_object (&priv->client);

  G_OBJECT_CLASS (quarry_query_parent_class)->finalize (object);
}

static void
quarry_query_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  QuarryQuery *self = QUARRY_QUERY (object);
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  if (prop_id >= PROP_FIRST_OPTION && prop_id < N_PROPS)
    {
      _quarry_option_values_get (&priv->options, prop_id - PROP_FIRST_OPTION, value);
      return;
    }

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, priv->client);
      break;
    case PROP_KEY:
      g_value_set_boxed (value, quarry_query_get_key (self));
      break;
    case PROP_PLACEHOLDER_DATA:
      g_value_set_boxed (value, quarry_query_get_placeholder_data (self));
      break;
    case PROP_KEEP_PREVIOUS_DATA:
      g_value_set_boolean (value, quarry_query_get_keep_previous_data (self));
      break;
    case PROP_SUBSCRIBED:
      g_value_set_boolean (value, quarry_query_get_subscribed (self));
      break;
    case PROP_INITIAL_DATA:
      g_value_set_boxed (value, quarry_query_get_initial_data (self));
      break;
    case PROP_INITIAL_DATA_UPDATED_AT:
      g_value_set_int64 (value, quarry_query_get_initial_data_updated_at (self));
      break;
    case PROP_META:
      g_value_set_variant (value, quarry_query_get_meta (self));
      break;
    case PROP_TAGS:
      g_value_set_boxed (value, quarry_query_get_tags (self));
      break;
    case PROP_STATUS:
      g_value_set_enum (value, quarry_query_get_status (self));
      break;
    case PROP_FETCH_STATUS:
      g_value_set_enum (value, quarry_query_get_fetch_status (self));
      break;
    case PROP_DATA:
      g_value_set_boxed (value, quarry_query_get_value (self));
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, quarry_query_get_error (self));
      break;
    case PROP_DATA_UPDATED_AT:
      g_value_set_int64 (value, quarry_query_get_data_updated_at (self));
      break;
    case PROP_ERROR_UPDATED_AT:
      g_value_set_int64 (value, quarry_query_get_error_updated_at (self));
      break;
    case PROP_ERROR_UPDATE_COUNT:
      g_value_set_uint (value, quarry_query_get_error_update_count (self));
      break;
    case PROP_FAILURE_COUNT:
      g_value_set_uint (value, quarry_query_get_failure_count (self));
      break;
    case PROP_FAILURE_REASON:
      g_value_set_boxed (value, quarry_query_get_failure_reason (self));
      break;
    case PROP_IS_STALE:
      g_value_set_boolean (value, quarry_query_get_is_stale (self));
      break;
    case PROP_IS_FETCHING:
      g_value_set_boolean (value, quarry_query_get_is_fetching (self));
      break;
    case PROP_IS_PAUSED:
      g_value_set_boolean (value, quarry_query_get_is_paused (self));
      break;
    case PROP_IS_PENDING:
      g_value_set_boolean (value, quarry_query_get_is_pending (self));
      break;
    case PROP_IS_SUCCESS:
      g_value_set_boolean (value, quarry_query_get_is_success (self));
      break;
    case PROP_IS_ERROR:
      g_value_set_boolean (value, quarry_query_get_is_error (self));
      break;
    case PROP_IS_LOADING:
      g_value_set_boolean (value, quarry_query_get_is_loading (self));
      break;
    case PROP_IS_REFETCHING:
      g_value_set_boolean (value, quarry_query_get_is_refetching (self));
      break;
    case PROP_IS_LOADING_ERROR:
      g_value_set_boolean (value, quarry_query_get_is_loading_error (self));
      break;
    case PROP_IS_REFETCH_ERROR:
      g_value_set_boolean (value, quarry_query_get_is_refetch_error (self));
      break;
    case PROP_IS_PLACEHOLDER_DATA:
      g_value_set_boolean (value, quarry_query_get_is_placeholder_data (self));
      break;
    case PROP_IS_FETCHED:
      g_value_set_boolean (value, quarry_query_get_is_fetched (self));
      break;
    case PROP_IS_FETCHED_AFTER_MOUNT:
      g_value_set_boolean (value, quarry_query_get_is_fetched_after_mount (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_query_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  QuarryQuery *self = QUARRY_QUERY (object);
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  if (prop_id >= PROP_FIRST_OPTION && prop_id < N_PROPS)
    {
      set_option (self, prop_id - PROP_FIRST_OPTION, value);
      return;
    }

  switch (prop_id)
    {
    case PROP_CLIENT:
      priv->client = g_value_dup_object (value);
      break;
    case PROP_KEY:
      quarry_query_set_key (self, g_value_get_boxed (value));
      break;
    case PROP_PLACEHOLDER_DATA:
      quarry_query_set_placeholder_data (self, g_value_get_boxed (value));
      break;
    case PROP_KEEP_PREVIOUS_DATA:
      quarry_query_set_keep_previous_data (self, g_value_get_boolean (value));
      break;
    case PROP_SUBSCRIBED:
      quarry_query_set_subscribed (self, g_value_get_boolean (value));
      break;
    case PROP_INITIAL_DATA:
      quarry_query_set_initial_data (self, g_value_get_boxed (value));
      break;
    case PROP_INITIAL_DATA_UPDATED_AT:
      quarry_query_set_initial_data_updated_at (self, g_value_get_int64 (value));
      break;
    case PROP_META:
      quarry_query_set_meta (self, g_value_get_variant (value));
      break;
    case PROP_TAGS:
      quarry_query_set_tags (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_query_class_init (QuarryQueryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = quarry_query_constructed;
  object_class->dispose = quarry_query_dispose;
  object_class->finalize = quarry_query_finalize;
  object_class->get_property = quarry_query_get_property;
  object_class->set_property = quarry_query_set_property;

  /**
   * QuarryQuery:client:
   *
   * The client whose cache the query reads and fills.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, QUARRY_TYPE_QUERY_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryQuery:key:
   *
   * The key of the entry the query shows; `NULL` disables the query.
   * Changing it moves the query to the entry of the new key, after
   * [property@Query:key-debounce].
   */
  properties[PROP_KEY] = g_param_spec_boxed ("key", NULL, NULL, QUARRY_TYPE_KEY, rw);

  /**
   * QuarryQuery:placeholder-data:
   *
   * Data shown while the entry has none and is pending, as success with
   * [property@Query:is-placeholder-data] set. It is never written into the
   * cache.
   */
  properties[PROP_PLACEHOLDER_DATA] =
    g_param_spec_boxed ("placeholder-data", NULL, NULL, G_TYPE_VALUE, rw);

  /**
   * QuarryQuery:keep-previous-data:
   *
   * Whether the data of the previous key stays on show, as placeholder
   * data, while a new key loads, so paginated views do not flash to a
   * loading state.
   */
  properties[PROP_KEEP_PREVIOUS_DATA] =
    g_param_spec_boolean ("keep-previous-data", NULL, NULL, FALSE, rw);

  /**
   * QuarryQuery:initial-data:
   *
   * Data written into an entry that has none when the query attaches to it.
   * Unlike placeholder data it is real cache data, shared by every query of
   * the key; it is stale at once unless
   * [property@Query:initial-data-updated-at] says otherwise.
   */
  properties[PROP_INITIAL_DATA] =
    g_param_spec_boxed ("initial-data", NULL, NULL, G_TYPE_VALUE, rw);

  /**
   * QuarryQuery:subscribed:
   *
   * Whether the query is subscribed to its cache entry, as a mounted
   * component's `useQuery` is in TanStack Query (its `subscribed` option).
   *
   * An unsubscribed query leaves its entry: it does not fetch on its own
   * or refetch on focus, reconnect, interval or invalidation, keeps no
   * timers, and does not keep the entry from being garbage-collected. Its
   * state properties keep their last values, except that a new key shows
   * as pending (or the previous data, with
   * [property@Query:keep-previous-data]). An explicit
   * [method@Query.refetch] still fetches the key's entry, as TanStack's
   * does; the query shows the result when subscribed again. Subscribing
   * again attaches it to the entry,
   * updates the state at once from the cache, and fetches when the data
   * is stale, as a query does when it is created
   * ([property@QueryOptions:refetch-on-mount]).
   *
   * QuarryGtk unsubscribes the query of a hidden view, so pages that are
   * not on screen do not refetch.
   */
  properties[PROP_SUBSCRIBED] =
    g_param_spec_boolean ("subscribed", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryQuery:initial-data-updated-at:
   *
   * When the initial data was current, in wall-clock milliseconds since the
   * Unix epoch; 0 means now.
   */
  properties[PROP_INITIAL_DATA_UPDATED_AT] =
    g_param_spec_int64 ("initial-data-updated-at", NULL, NULL, 0, G_MAXINT64, 0, rw);

  /**
   * QuarryQuery:meta:
   *
   * Free-form data handed to the fetch function through
   * [method@FetchContext.get_meta].
   */
  properties[PROP_META] =
    g_param_spec_variant ("meta", NULL, NULL, G_VARIANT_TYPE_ANY, NULL, rw);

  /**
   * QuarryQuery:tags:
   *
   * Tags for invalidation: a [class@QueryFilter] with a
   * [property@QueryFilter:tag] matches the entries of the queries that carry
   * it, whatever their keys.
   */
  properties[PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, rw);

  /**
   * QuarryQuery:status:
   *
   * What is known about the data: pending, error or success.
   */
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, QUARRY_TYPE_STATUS, QUARRY_STATUS_PENDING, ro);

  /**
   * QuarryQuery:fetch-status:
   *
   * What the fetch function is doing: idle, fetching or paused.
   */
  properties[PROP_FETCH_STATUS] =
    g_param_spec_enum ("fetch-status", NULL, NULL, QUARRY_TYPE_FETCH_STATUS,
                       QUARRY_FETCH_STATUS_IDLE, ro);

  /**
   * QuarryQuery:data:
   *
   * The data shown: the entry's data through the select function, or
   * placeholder data; `NULL` when there is none.
   */
  properties[PROP_DATA] = g_param_spec_boxed ("data", NULL, NULL, G_TYPE_VALUE, ro);

  /**
   * QuarryQuery:error:
   *
   * The error of the last fetch when it failed, or of the select function.
   */
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);

  /**
   * QuarryQuery:data-updated-at:
   *
   * When the data was last updated, in wall-clock milliseconds since the
   * Unix epoch; 0 without data.
   */
  properties[PROP_DATA_UPDATED_AT] =
    g_param_spec_int64 ("data-updated-at", NULL, NULL, 0, G_MAXINT64, 0, ro);

  /**
   * QuarryQuery:error-updated-at:
   *
   * When the last error happened, in wall-clock milliseconds; 0 if none.
   */
  properties[PROP_ERROR_UPDATED_AT] =
    g_param_spec_int64 ("error-updated-at", NULL, NULL, 0, G_MAXINT64, 0, ro);

  /**
   * QuarryQuery:error-update-count:
   *
   * How many fetches of the entry failed for good.
   */
  properties[PROP_ERROR_UPDATE_COUNT] =
    g_param_spec_uint ("error-update-count", NULL, NULL, 0, G_MAXUINT, 0, ro);

  /**
   * QuarryQuery:failure-count:
   *
   * How many attempts of the current or last fetch failed. It is retry + 1
   * after a fetch failed for good, and 0 again when a fetch starts or
   * succeeds.
   */
  properties[PROP_FAILURE_COUNT] =
    g_param_spec_uint ("failure-count", NULL, NULL, 0, G_MAXUINT, 0, ro);

  /**
   * QuarryQuery:failure-reason:
   *
   * The error of the last failed attempt, set while retries are pending.
   */
  properties[PROP_FAILURE_REASON] =
    g_param_spec_boxed ("failure-reason", NULL, NULL, G_TYPE_ERROR, ro);

  /**
   * QuarryQuery:is-stale:
   *
   * Whether the data is stale: missing, invalidated, or older than
   * [property@Query:stale-time]. A disabled query is never stale.
   */
  properties[PROP_IS_STALE] = g_param_spec_boolean ("is-stale", NULL, NULL, FALSE, ro);

  /**
   * QuarryQuery:is-fetching:
   *
   * Whether the fetch function runs, or a retry waits for its delay.
   */
  properties[PROP_IS_FETCHING] = g_param_spec_boolean ("is-fetching", NULL, NULL, FALSE, ro);

  /**
   * QuarryQuery:is-paused:
   *
   * Whether a fetch waits for the network or for focus.
   */
  properties[PROP_IS_PAUSED] = g_param_spec_boolean ("is-paused", NULL, NULL, FALSE, ro);

  /**
   * QuarryQuery:is-pending:
   *
   * Whether there is no data yet.
   */
  properties[PROP_IS_PENDING] = g_param_spec_boolean ("is-pending", NULL, NULL, TRUE, ro);

  /**
   * QuarryQuery:is-success:
   *
   * Whether the status is success.
   */
  properties[PROP_IS_SUCCESS] = g_param_spec_boolean ("is-success", NULL, NULL, FALSE, ro);

  /**
   * QuarryQuery:is-error:
   *
   * Whether the status is error.
   */
  properties[PROP_IS_ERROR] = g_param_spec_boolean ("is-error", NULL, NULL, FALSE, ro);

  /**
   * QuarryQuery:is-loading:
   *
   * Whether the first load runs: pending and fetching. Show a spinner
   * instead of content while it is `TRUE`.
   */
  properties[PROP_IS_LOADING] = g_param_spec_boolean ("is-loading", NULL, NULL, FALSE, ro);

  /**
   * QuarryQuery:is-refetching:
   *
   * Whether a background refetch runs: fetching while not pending.
   */
  properties[PROP_IS_REFETCHING] = g_param_spec_boolean ("is-refetching", NULL, NULL, FALSE, ro);

  /**
   * QuarryQuery:is-loading-error:
   *
   * Whether the query failed without any data to show.
   */
  properties[PROP_IS_LOADING_ERROR] =
    g_param_spec_boolean ("is-loading-error", NULL, NULL, FALSE, ro);

  /**
   * QuarryQuery:is-refetch-error:
   *
   * Whether a refetch failed while there is data to show.
   */
  properties[PROP_IS_REFETCH_ERROR] =
    g_param_spec_boolean ("is-refetch-error", NULL, NULL, FALSE, ro);

  /**
   * QuarryQuery:is-placeholder-data:
   *
   * Whether the data shown is placeholder data, not the entry's.
   */
  properties[PROP_IS_PLACEHOLDER_DATA] =
    g_param_spec_boolean ("is-placeholder-data", NULL, NULL, FALSE, ro);

  /**
   * QuarryQuery:is-fetched:
   *
   * Whether the entry ever fetched (or had data written).
   */
  properties[PROP_IS_FETCHED] = g_param_spec_boolean ("is-fetched", NULL, NULL, FALSE, ro);

  /**
   * QuarryQuery:is-fetched-after-mount:
   *
   * Whether the entry fetched since this query attached to it.
   */
  properties[PROP_IS_FETCHED_AFTER_MOUNT] =
    g_param_spec_boolean ("is-fetched-after-mount", NULL, NULL, FALSE, ro);

  _quarry_option_values_install (object_class, PROP_FIRST_OPTION, option_pspecs);
  g_object_class_install_properties (object_class, PROP_FIRST_OPTION, properties);

  /**
   * QuarryQuery::state-changed:
   * @self: a query
   * @action: the transition of the entry's state
   *
   * Emitted once per transition, after the `notify::` batch of the
   * properties that changed, when something the query shows changed.
   */
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (QuarryQueryClass, state_changed),
                  NULL, NULL, NULL, G_TYPE_NONE, 1, QUARRY_TYPE_QUERY_ACTION);

  _quarry_i18n_init ();
}

static void
quarry_query_init (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  _quarry_option_values_init (&priv->explicit_options);
  _quarry_option_values_init (&priv->options);
  priv->result.status = QUARRY_STATUS_PENDING;
}

/**
 * quarry_query_new:
 * @client: the client
 * @key: (nullable): the key, or `NULL` for a disabled query
 * @fetch_func: (nullable) (scope notified) (closure user_data) (destroy destroy):
 *   the fetch function
 * @user_data: data for @fetch_func
 * @destroy: (nullable): frees @user_data
 *
 * Makes a query. It shows cached data for @key at once, and mounts when the
 * main loop runs next: then, without data or with stale data, it fetches.
 *
 * Returns: (transfer full): a new query
 */
QuarryQuery *
quarry_query_new (QuarryQueryClient *client,
                  QuarryKey         *key,
                  QuarryFetchFunc    fetch_func,
                  gpointer           user_data,
                  GDestroyNotify     destroy)
{
  QuarryQuery *self;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (client), NULL);

  self = g_object_new (QUARRY_TYPE_QUERY, "client", client, NULL);
  if (fetch_func != NULL)
    quarry_query_set_fetch_func (self, fetch_func, user_data, destroy);
  else if (destroy != NULL)
    destroy (user_data);
  if (key != NULL)
    quarry_query_set_key (self, key);
  return self;
}

/**
 * quarry_query_get_client: (get-property client)
 * @self: a query
 *
 * Gets the client of the query.
 *
 * Returns: (transfer none): the client
 */
QuarryQueryClient *
quarry_query_get_client (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_QUERY (self), NULL);
  return priv->client;
}

/**
 * quarry_query_get_key: (get-property key)
 * @self: a query
 *
 * Gets the key of the entry the query shows.
 *
 * Returns: (nullable) (transfer none): the key
 */
QuarryKey *
quarry_query_get_key (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_QUERY (self), NULL);
  return priv->key;
}

/**
 * quarry_query_set_key: (set-property key)
 * @self: a query
 * @key: (nullable): the new key, or `NULL` to disable the query
 *
 * Moves the query to the entry of @key: it shows that entry's data (or, with
 * [property@Query:keep-previous-data], the previous data as placeholder) and
 * fetches it if it is stale. A response for the previous key still lands in
 * the previous key's entry, never in this one. With
 * [property@Query:key-debounce], the move waits until the key stopped
 * changing for that long.
 */
void
quarry_query_set_key (QuarryQuery *self,
                      QuarryKey   *key)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_QUERY (self));

  if (priv->ever_attached && priv->options.key_debounce > 0)
    {
      _quarry_clear_timer (&priv->debounce_timer);
      g_clear_pointer (&priv->pending_key, quarry_key_unref);
      priv->pending_key = key ? quarry_key_ref (key) : NULL;
      priv->debounce_timer = _quarry_clock_schedule (quarry_query_client_get_clock (priv->client),
                                                     priv->options.key_debounce, debounce_cb, self);
      return;
    }

  move_to_key (self, key);
}

/**
 * quarry_query_set_fetch_func:
 * @self: a query
 * @fetch_func: (nullable) (scope notified) (closure user_data) (destroy destroy):
 *   the fetch function
 * @user_data: data for @fetch_func
 * @destroy: (nullable): frees @user_data
 *
 * Sets the function that fetches the query's data. The entry uses the
 * function of the query that started its latest fetch.
 */
void
quarry_query_set_fetch_func (QuarryQuery     *self,
                             QuarryFetchFunc  fetch_func,
                             gpointer         user_data,
                             GDestroyNotify   destroy)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_QUERY (self));

  g_clear_pointer (&priv->fetcher, _quarry_closure_unref);
  if (fetch_func != NULL)
    priv->fetcher = _quarry_closure_new (fetch_func, user_data, destroy);
  else if (destroy != NULL)
    destroy (user_data);

  _quarry_query_push_options (self);
}

/**
 * quarry_query_set_select_func:
 * @self: a query
 * @select_func: (nullable) (scope notified) (closure user_data) (destroy destroy):
 *   the select function, or `NULL`
 * @user_data: data for @select_func
 * @destroy: (nullable): frees @user_data
 *
 * Sets a function that derives what the query shows from the entry's data.
 * It runs again only when the data or the function changes. An error from
 * it becomes the query's error, with the last good output still shown; the
 * entry itself stays successful.
 */
void
quarry_query_set_select_func (QuarryQuery      *self,
                              QuarrySelectFunc  select_func,
                              gpointer          user_data,
                              GDestroyNotify    destroy)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_QUERY (self));

  g_clear_pointer (&priv->select, _quarry_closure_unref);
  if (select_func != NULL)
    priv->select = _quarry_closure_new (select_func, user_data, destroy);
  else if (destroy != NULL)
    destroy (user_data);

  g_clear_error (&priv->select_error);
  if (_quarry_value_is_set (&priv->selected))
    g_value_unset (&priv->selected);
  priv->select_closure = NULL;

  if (priv->constructed)
    update_result (self, TRUE, QUARRY_QUERY_ACTION_SET_STATE);
}

/**
 * quarry_query_set_retry_func:
 * @self: a query
 * @retry_func: (nullable) (scope notified) (closure user_data) (destroy destroy):
 *   decides whether to retry, or `NULL` to use [property@Query:retry]
 * @user_data: data for @retry_func
 * @destroy: (nullable): frees @user_data
 *
 * Sets a function that decides whether a failed attempt is retried, for
 * example only for some error codes.
 */
void
quarry_query_set_retry_func (QuarryQuery     *self,
                             QuarryRetryFunc  retry_func,
                             gpointer         user_data,
                             GDestroyNotify   destroy)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_QUERY (self));

  g_clear_pointer (&priv->retry_func, _quarry_closure_unref);
  if (retry_func != NULL)
    priv->retry_func = _quarry_closure_new (retry_func, user_data, destroy);
  else if (destroy != NULL)
    destroy (user_data);

  _quarry_query_push_options (self);
}

/**
 * quarry_query_set_retry_delay_func:
 * @self: a query
 * @retry_delay_func: (nullable) (scope notified) (closure user_data) (destroy destroy):
 *   computes the delay before a retry, or `NULL` to use [property@Query:retry-delay]
 * @user_data: data for @retry_delay_func
 * @destroy: (nullable): frees @user_data
 *
 * Sets a function that computes the delay before each retry.
 */
void
quarry_query_set_retry_delay_func (QuarryQuery          *self,
                                   QuarryRetryDelayFunc  retry_delay_func,
                                   gpointer              user_data,
                                   GDestroyNotify        destroy)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_QUERY (self));

  g_clear_pointer (&priv->retry_delay_func, _quarry_closure_unref);
  if (retry_delay_func != NULL)
    priv->retry_delay_func = _quarry_closure_new (retry_delay_func, user_data, destroy);
  else if (destroy != NULL)
    destroy (user_data);

  _quarry_query_push_options (self);
}

static void
set_value_prop (QuarryQuery  *self,
                GValue       *slot,
                const GValue *value,
                guint         prop)
{
  if (_quarry_value_equal (slot, value))
    return;

  if (_quarry_value_is_set (slot))
    g_value_unset (slot);
  if (_quarry_value_is_set (value))
    _quarry_value_store (slot, value);

  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * quarry_query_get_placeholder_data: (get-property placeholder-data)
 * @self: a query
 *
 * Gets the placeholder data.
 *
 * Returns: (nullable) (transfer none): the placeholder data
 */
const GValue *
quarry_query_get_placeholder_data (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_QUERY (self), NULL);
  return _quarry_value_is_set (&priv->placeholder_data) ? &priv->placeholder_data : NULL;
}

/**
 * quarry_query_set_placeholder_data: (set-property placeholder-data)
 * @self: a query
 * @value: (nullable): the placeholder data, or `NULL`
 *
 * Sets data to show while the entry has none.
 */
void
quarry_query_set_placeholder_data (QuarryQuery  *self,
                                   const GValue *value)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_QUERY (self));

  set_value_prop (self, &priv->placeholder_data, value, PROP_PLACEHOLDER_DATA);
  if (priv->constructed)
    update_result (self, TRUE, QUARRY_QUERY_ACTION_SET_STATE);
}

/**
 * quarry_query_get_keep_previous_data: (get-property keep-previous-data)
 * @self: a query
 *
 * Gets whether the previous key's data stays on show while a new key loads.
 *
 * Returns: `TRUE` if it does
 */
gboolean
quarry_query_get_keep_previous_data (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return priv->keep_previous_data;
}

/**
 * quarry_query_set_keep_previous_data: (set-property keep-previous-data)
 * @self: a query
 * @keep_previous_data: whether to keep the previous data on show
 *
 * Sets whether the previous key's data stays on show, as placeholder data,
 * while a new key loads.
 */
void
quarry_query_set_keep_previous_data (QuarryQuery *self,
                                     gboolean     keep_previous_data)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_QUERY (self));

  keep_previous_data = !!keep_previous_data;
  if (priv->keep_previous_data == keep_previous_data)
    return;
  priv->keep_previous_data = keep_previous_data;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEP_PREVIOUS_DATA]);
  if (priv->constructed)
    update_result (self, TRUE, QUARRY_QUERY_ACTION_SET_STATE);
}

/**
 * quarry_query_get_subscribed: (get-property subscribed)
 * @self: a query
 *
 * Gets whether the query is subscribed to its cache entry.
 *
 * Returns: `TRUE` if it is
 */
gboolean
quarry_query_get_subscribed (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return !priv->unsubscribed;
}

/**
 * quarry_query_set_subscribed: (set-property subscribed)
 * @self: a query
 * @subscribed: whether to subscribe
 *
 * Subscribes the query to its cache entry, or unsubscribes it; see
 * [property@Query:subscribed].
 */
void
quarry_query_set_subscribed (QuarryQuery *self,
                             gboolean     subscribed)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_QUERY (self));

  if (!priv->unsubscribed == !!subscribed)
    return;

  priv->unsubscribed = !subscribed;

  if (priv->constructed)
    {
      g_object_ref (self);
      if (subscribed)
        {
          attach (self, MOUNT_FIRST);
          update_result (self, TRUE, QUARRY_QUERY_ACTION_SET_STATE);
          update_timers (self);
        }
      else
        {
          if (priv->mount_source != NULL)
            {
              g_source_destroy (priv->mount_source);
              g_clear_pointer (&priv->mount_source, g_source_unref);
              priv->mount_reason = MOUNT_NONE;
            }
          detach (self);
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBSCRIBED]);
      g_object_unref (self);
    }
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBSCRIBED]);
}

/**
 * quarry_query_get_initial_data: (get-property initial-data)
 * @self: a query
 *
 * Gets the initial data.
 *
 * Returns: (nullable) (transfer none): the initial data
 */
const GValue *
quarry_query_get_initial_data (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_QUERY (self), NULL);
  return _quarry_value_is_set (&priv->initial_data) ? &priv->initial_data : NULL;
}

/**
 * quarry_query_set_initial_data: (set-property initial-data)
 * @self: a query
 * @value: (nullable): the initial data, or `NULL`
 *
 * Sets data to write into the entry when it has none. Set it before the
 * query attaches (with the key), or it applies to an entry still without
 * data at once.
 */
void
quarry_query_set_initial_data (QuarryQuery  *self,
                               const GValue *value)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_QUERY (self));

  set_value_prop (self, &priv->initial_data, value, PROP_INITIAL_DATA);

  if (priv->entry != NULL && _quarry_value_is_set (&priv->initial_data) &&
      !_quarry_state_data_has_data (&priv->entry->state))
    _quarry_entry_apply_initial (priv->entry, &priv->initial_data, priv->initial_data_updated_at);
}

/**
 * quarry_query_get_initial_data_updated_at: (get-property initial-data-updated-at)
 * @self: a query
 *
 * Gets when the initial data was current.
 *
 * Returns: wall-clock milliseconds since the Unix epoch, or 0 for "when applied"
 */
gint64
quarry_query_get_initial_data_updated_at (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_QUERY (self), 0);
  return priv->initial_data_updated_at;
}

/**
 * quarry_query_set_initial_data_updated_at: (set-property initial-data-updated-at)
 * @self: a query
 * @updated_at: wall-clock milliseconds since the Unix epoch, or 0
 *
 * Sets when the initial data was current, which decides when it goes stale.
 */
void
quarry_query_set_initial_data_updated_at (QuarryQuery *self,
                                          gint64       updated_at)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_QUERY (self));

  if (priv->initial_data_updated_at == updated_at)
    return;
  priv->initial_data_updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INITIAL_DATA_UPDATED_AT]);
}

/**
 * quarry_query_get_meta: (get-property meta)
 * @self: a query
 *
 * Gets the meta handed to the fetch function.
 *
 * Returns: (nullable) (transfer none): the meta
 */
GVariant *
quarry_query_get_meta (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_QUERY (self), NULL);
  return priv->meta;
}

/**
 * quarry_query_set_meta: (set-property meta)
 * @self: a query
 * @meta: (nullable): the meta, or `NULL`
 *
 * Sets free-form data handed to the fetch function.
 */
void
quarry_query_set_meta (QuarryQuery *self,
                       GVariant    *meta)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_QUERY (self));

  if (priv->meta == meta || (priv->meta && meta && g_variant_equal (priv->meta, meta)))
    {
      if (meta != NULL && g_variant_is_floating (meta))
        g_variant_unref (g_variant_ref_sink (meta));
      return;
    }

  g_clear_pointer (&priv->meta, g_variant_unref);
  priv->meta = meta ? g_variant_ref_sink (meta) : NULL;
  _quarry_query_push_options (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_META]);
}

/**
 * quarry_query_get_tags: (get-property tags)
 * @self: a query
 *
 * Gets the query's tags.
 *
 * Returns: (nullable) (transfer none): the tags
 */
const char * const *
quarry_query_get_tags (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_QUERY (self), NULL);
  return (const char * const *) priv->tags;
}

/**
 * quarry_query_set_tags: (set-property tags)
 * @self: a query
 * @tags: (nullable) (array zero-terminated=1): the tags
 *
 * Sets tags for invalidation by tag. An entry keeps the tags of every query
 * that attached to it.
 */
void
quarry_query_set_tags (QuarryQuery        *self,
                       const char * const *tags)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_QUERY (self));

  if (priv->tags == NULL && tags == NULL)
    return;
  if (priv->tags != NULL && tags != NULL && g_strv_equal ((const char * const *) priv->tags, tags))
    return;

  g_strfreev (priv->tags);
  priv->tags = g_strdupv ((char **) tags);
  if (priv->entry != NULL)
    _quarry_query_client_index_tags (priv->client, priv->entry, tags);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAGS]);
}

/* State getters. */

#define PRIV(self) ((QuarryQueryPrivate *) quarry_query_get_instance_private (self))

/**
 * quarry_query_get_status: (get-property status)
 * @self: a query
 *
 * Gets what is known about the data.
 *
 * Returns: the status
 */
QuarryStatus
quarry_query_get_status (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), QUARRY_STATUS_PENDING);
  return PRIV (self)->result.status;
}

/**
 * quarry_query_get_fetch_status: (get-property fetch-status)
 * @self: a query
 *
 * Gets what the fetch function is doing.
 *
 * Returns: the fetch status
 */
QuarryFetchStatus
quarry_query_get_fetch_status (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), QUARRY_FETCH_STATUS_IDLE);
  return PRIV (self)->result.fetch_status;
}

/**
 * quarry_query_get_value: (get-property data)
 * @self: a query
 *
 * Gets the data the query shows.
 *
 * Returns: (nullable) (transfer none): the data, or `NULL` if there is none
 */
const GValue *
quarry_query_get_value (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), NULL);
  return result_get_value (&PRIV (self)->result);
}

/**
 * quarry_query_get_error: (get-property error)
 * @self: a query
 *
 * Gets the error the query shows.
 *
 * Returns: (nullable) (transfer none): the error
 */
const GError *
quarry_query_get_error (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), NULL);
  return PRIV (self)->result.error;
}

/**
 * quarry_query_get_data_updated_at: (get-property data-updated-at)
 * @self: a query
 *
 * Gets when the data was last updated.
 *
 * Returns: wall-clock milliseconds since the Unix epoch, or 0
 */
gint64
quarry_query_get_data_updated_at (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), 0);
  return PRIV (self)->result.data_updated_at;
}

/**
 * quarry_query_get_error_updated_at: (get-property error-updated-at)
 * @self: a query
 *
 * Gets when the last error happened.
 *
 * Returns: wall-clock milliseconds since the Unix epoch, or 0
 */
gint64
quarry_query_get_error_updated_at (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), 0);
  return PRIV (self)->result.error_updated_at;
}

/**
 * quarry_query_get_error_update_count: (get-property error-update-count)
 * @self: a query
 *
 * Gets how many fetches failed for good.
 *
 * Returns: the count
 */
guint
quarry_query_get_error_update_count (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), 0);
  return PRIV (self)->result.error_update_count;
}

/**
 * quarry_query_get_failure_count: (get-property failure-count)
 * @self: a query
 *
 * Gets how many attempts of the current or last fetch failed.
 *
 * Returns: the count
 */
guint
quarry_query_get_failure_count (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), 0);
  return PRIV (self)->result.failure_count;
}

/**
 * quarry_query_get_failure_reason: (get-property failure-reason)
 * @self: a query
 *
 * Gets the error of the last failed attempt.
 *
 * Returns: (nullable) (transfer none): the error
 */
const GError *
quarry_query_get_failure_reason (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), NULL);
  return PRIV (self)->result.failure_reason;
}

/**
 * quarry_query_get_is_stale: (get-property is-stale)
 * @self: a query
 *
 * Gets whether the data is stale.
 *
 * Returns: `TRUE` if stale
 */
gboolean
quarry_query_get_is_stale (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return PRIV (self)->result.is_stale;
}

/**
 * quarry_query_get_is_fetching: (get-property is-fetching)
 * @self: a query
 *
 * Gets whether a fetch runs.
 *
 * Returns: `TRUE` while fetching
 */
gboolean
quarry_query_get_is_fetching (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return PRIV (self)->result.fetch_status == QUARRY_FETCH_STATUS_FETCHING;
}

/**
 * quarry_query_get_is_paused: (get-property is-paused)
 * @self: a query
 *
 * Gets whether a fetch waits for the network or for focus.
 *
 * Returns: `TRUE` while paused
 */
gboolean
quarry_query_get_is_paused (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return PRIV (self)->result.fetch_status == QUARRY_FETCH_STATUS_PAUSED;
}

/**
 * quarry_query_get_is_pending: (get-property is-pending)
 * @self: a query
 *
 * Gets whether there is no data yet.
 *
 * Returns: `TRUE` while pending
 */
gboolean
quarry_query_get_is_pending (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return PRIV (self)->result.status == QUARRY_STATUS_PENDING;
}

/**
 * quarry_query_get_is_success: (get-property is-success)
 * @self: a query
 *
 * Gets whether the status is success.
 *
 * Returns: `TRUE` on success
 */
gboolean
quarry_query_get_is_success (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return PRIV (self)->result.status == QUARRY_STATUS_SUCCESS;
}

/**
 * quarry_query_get_is_error: (get-property is-error)
 * @self: a query
 *
 * Gets whether the status is error.
 *
 * Returns: `TRUE` on error
 */
gboolean
quarry_query_get_is_error (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return PRIV (self)->result.status == QUARRY_STATUS_ERROR;
}

/**
 * quarry_query_get_is_loading: (get-property is-loading)
 * @self: a query
 *
 * Gets whether the first load runs.
 *
 * Returns: `TRUE` while loading
 */
gboolean
quarry_query_get_is_loading (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return IS_LOADING (&PRIV (self)->result);
}

/**
 * quarry_query_get_is_refetching: (get-property is-refetching)
 * @self: a query
 *
 * Gets whether a background refetch runs.
 *
 * Returns: `TRUE` while refetching
 */
gboolean
quarry_query_get_is_refetching (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return IS_REFETCHING (&PRIV (self)->result);
}

/**
 * quarry_query_get_is_loading_error: (get-property is-loading-error)
 * @self: a query
 *
 * Gets whether the query failed without data to show.
 *
 * Returns: `TRUE` for a loading error
 */
gboolean
quarry_query_get_is_loading_error (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return IS_LOADING_ERROR (&PRIV (self)->result);
}

/**
 * quarry_query_get_is_refetch_error: (get-property is-refetch-error)
 * @self: a query
 *
 * Gets whether a refetch failed while there is data to show.
 *
 * Returns: `TRUE` for a refetch error
 */
gboolean
quarry_query_get_is_refetch_error (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return IS_REFETCH_ERROR (&PRIV (self)->result);
}

/**
 * quarry_query_get_is_placeholder_data: (get-property is-placeholder-data)
 * @self: a query
 *
 * Gets whether the data shown is placeholder data.
 *
 * Returns: `TRUE` for placeholder data
 */
gboolean
quarry_query_get_is_placeholder_data (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return PRIV (self)->result.is_placeholder_data;
}

/**
 * quarry_query_get_is_fetched: (get-property is-fetched)
 * @self: a query
 *
 * Gets whether the entry ever fetched.
 *
 * Returns: `TRUE` once fetched
 */
gboolean
quarry_query_get_is_fetched (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return PRIV (self)->result.is_fetched;
}

/**
 * quarry_query_get_is_fetched_after_mount: (get-property is-fetched-after-mount)
 * @self: a query
 *
 * Gets whether the entry fetched since this query attached to it.
 *
 * Returns: `TRUE` once fetched after mount
 */
gboolean
quarry_query_get_is_fetched_after_mount (QuarryQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), FALSE);
  return PRIV (self)->result.is_fetched_after_mount;
}

/* Actions. */

/**
 * quarry_query_refetch:
 * @self: a query
 *
 * Fetches again now, even when the query is disabled by
 * [property@Query:enabled]. A fetch in flight that has data is cancelled and
 * started over ([property@Query:concurrency] `SWITCH`), or followed by one
 * more (`EXHAUST`).
 */
void
quarry_query_refetch (QuarryQuery *self)
{
  g_return_if_fail (QUARRY_IS_QUERY (self));

  _quarry_query_fetch (self, TRUE, NULL);
}

/**
 * quarry_query_refetch_async:
 * @self: a query
 * @cancellable: (nullable): a cancellable for the wait (not the fetch)
 * @callback: (scope async) (closure user_data): called when the fetch settled
 * @user_data: data for @callback
 *
 * Refetches as [method@Query.refetch] does and calls @callback when the
 * fetch settled.
 */
void
quarry_query_refetch_async (QuarryQuery         *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (QUARRY_IS_QUERY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, quarry_query_refetch_async);
  g_task_set_name (task, "[quarry] refetch");

  _quarry_query_fetch (self, TRUE, task);
}

/**
 * quarry_query_refetch_finish:
 * @self: a query
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Finishes [method@Query.refetch_async].
 *
 * Returns: (transfer full): the entry's data after the fetch, or `NULL` with
 *   @error set
 */
GValue *
quarry_query_refetch_finish (QuarryQuery   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (QUARRY_IS_QUERY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The state of the entry the query shows, or NULL. */
const QuarryStateData *
_quarry_query_get_entry_state (QuarryQuery *self)
{
  QuarryQueryPrivate *priv = quarry_query_get_instance_private (self);

  return priv->entry != NULL ? &priv->entry->state : NULL;
}
