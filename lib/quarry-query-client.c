/* quarry-query-client.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "quarry-enums.h"
#include "quarry-error.h"
#include "quarry-i18n-private.h"
#include "quarry-key-index-private.h"
#include "quarry-mutation-private.h"
#include "quarry-paging-private.h"
#include "quarry-query-client-private.h"
#include "quarry-query-filter-private.h"
#include "quarry-query-options-private.h"
#include "quarry-query-private.h"
#include "quarry-restorer-private.h"
#include "quarry-value-private.h"

/**
 * QuarryQueryClient:
 *
 * The cache of server state, with its defaults and its bulk operations:
 * TanStack Query's `QueryClient`.
 *
 * The client holds one shared entry per canonical [struct@Key]: its data,
 * error, timestamps, the one fetch in flight with its retries, and the timer
 * that removes it [property@QueryOptions:gc-time] after its last
 * [class@Query] went away. Several queries with one key share one entry:
 * one fetch, one copy of the data.
 *
 * The client belongs to the thread-default `GMainContext` that was current
 * when it was made: every signal, notification and callback happens there,
 * and its API is called from that thread.
 *
 * Besides the queries bound to widgets, the client reads and writes the
 * cache directly ([method@QueryClient.get_query_data],
 * [method@QueryClient.set_query_data]), fetches without a query
 * ([method@QueryClient.fetch_query_async],
 * [method@QueryClient.prefetch_query_async],
 * [method@QueryClient.ensure_query_data_async]), and acts on every entry a
 * [class@QueryFilter] matches: invalidate, refetch, cancel, remove, reset.
 *
 * The defaults are TanStack's: stale-time 0, gc-time 5 minutes, 3 retries
 * with a delay of `min (1000 × 2ⁿ, 30000)` ms, refetch on mount, on window
 * focus and on reconnect when the data is stale.
 */

typedef struct
{
  QuarryKey *key;
  QuarryQueryOptions *options;
} QueryDefaults;

struct _QuarryQueryClient
{
  GObject parent_instance;

  QuarryClock *clock;
  GHashTable *entries;         /* QuarryEntry, owned, found by key */
  QuarryKeyIndex *index;
  GHashTable *tags;            /* tag → GHashTable of QuarryEntry */
  QuarryQueryOptions *default_options;
  GArray *query_defaults;      /* QueryDefaults */
  QuarryMutationCache *mutations;
  GNetworkMonitor *network_monitor;
  gulong network_changed_id;
  guint64 next_serial;
  guint n_fetching;

  guint online : 1;
  guint focused : 1;
};

enum {
  PROP_0,
  PROP_CLOCK,
  PROP_ONLINE,
  PROP_FOCUSED,
  PROP_NETWORK_MONITOR,
  PROP_IS_FETCHING,
  PROP_N_ENTRIES,
  PROP_DEFAULT_OPTIONS,
  PROP_IS_MUTATING,
  N_PROPS
};

enum {
  SIGNAL_QUERY_ADDED,
  SIGNAL_QUERY_REMOVED,
  SIGNAL_QUERY_UPDATED,
  SIGNAL_MUTATION_ADDED,
  SIGNAL_MUTATION_REMOVED,
  SIGNAL_MUTATION_UPDATED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (QuarryQueryClient, quarry_query_client, G_TYPE_OBJECT)

static void
query_defaults_clear (gpointer data)
{
  QueryDefaults *defaults = data;

  g_clear_pointer (&defaults->key, quarry_key_unref);
  g_clear_object (&defaults->options);
}

static void
network_changed_cb (QuarryQueryClient *self,
                    gboolean           available,
                    GNetworkMonitor   *monitor)
{
  quarry_query_client_set_online (self, g_network_monitor_get_network_available (monitor));
}

/* Entries. */

/* The map holds entries as keys and values at once, which spares it an
 * array: its functions see an entry as a pointer to its first member, the
 * key, so a lookup passes a pointer to a key. */
static guint
entry_hash (gconstpointer p)
{
  return quarry_key_hash (*(QuarryKey * const *) p);
}

static gboolean
entry_equal (gconstpointer a,
             gconstpointer b)
{
  return quarry_key_equal (*(QuarryKey * const *) a, *(QuarryKey * const *) b);
}

static inline QuarryEntry *
lookup_entry (QuarryQueryClient *self,
              QuarryKey         *key)
{
  G_STATIC_ASSERT (G_STRUCT_OFFSET (QuarryEntry, key) == 0);

  return g_hash_table_lookup (self->entries, &key);
}

QuarryEntry *
_quarry_query_client_lookup_entry (QuarryQueryClient *self,
                                   QuarryKey         *key)
{
  return lookup_entry (self, key);
}

/* Makes the entry of @key, which has none, and returns it with a reference
 * for the caller: a ::query-added handler may remove it again, in which case
 * its client is NULL. */
static QuarryEntry *
add_entry (QuarryQueryClient *self,
           QuarryKey         *key)
{
  QuarryEntry *entry;
  QuarryOptionValues values;

  _quarry_query_client_resolve_options (self, key, &values);
  entry = _quarry_entry_new (self, key, self->next_serial++, values.gc_time);
  g_hash_table_add (self->entries, entry);
  _quarry_key_index_insert (self->index, entry->key, entry);
  _quarry_entry_ref (entry);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ENTRIES]);
  if (g_signal_has_handler_pending (self, signals[SIGNAL_QUERY_ADDED], 0, FALSE))
    g_signal_emit (self, signals[SIGNAL_QUERY_ADDED], 0, entry->key);

  return entry;
}

/* Returns the entry of @key, made if needed, with a reference for the
 * caller, as add_entry () does. */
QuarryEntry *
_quarry_query_client_ensure_entry (QuarryQueryClient *self,
                                   QuarryKey         *key)
{
  QuarryEntry *entry = lookup_entry (self, key);

  if (entry != NULL)
    return _quarry_entry_ref (entry);
  return add_entry (self, key);
}

void
_quarry_query_client_index_tags (QuarryQueryClient  *self,
                                 QuarryEntry        *entry,
                                 const char * const *tags)
{
  if (tags == NULL)
    return;

  _quarry_entry_add_tags (entry, tags);

  for (guint i = 0; tags[i] != NULL; i++)
    {
      GHashTable *set = g_hash_table_lookup (self->tags, tags[i]);

      if (set == NULL)
        {
          set = g_hash_table_new (NULL, NULL);
          g_hash_table_insert (self->tags, g_strdup (tags[i]), set);
        }
      g_hash_table_add (set, entry);
    }
}

static void
unindex_tags (QuarryQueryClient *self,
              QuarryEntry       *entry)
{
  GHashTableIter iter;
  gpointer tag;

  if (entry->extra == NULL || entry->extra->tags == NULL)
    return;

  g_hash_table_iter_init (&iter, entry->extra->tags);
  while (g_hash_table_iter_next (&iter, &tag, NULL))
    {
      GHashTable *set = g_hash_table_lookup (self->tags, tag);

      if (set != NULL)
        {
          g_hash_table_remove (set, entry);
          if (g_hash_table_size (set) == 0)
            g_hash_table_remove (self->tags, tag);
        }
    }
}

void
_quarry_query_client_remove_entry (QuarryQueryClient *self,
                                   QuarryEntry       *entry)
{
  if (lookup_entry (self, entry->key) != entry)
    return;

  _quarry_entry_ref (entry);

  if (entry->counted_fetching)
    {
      entry->counted_fetching = FALSE;
      self->n_fetching--;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_FETCHING]);
    }

  _quarry_key_index_remove (self->index, entry->key);
  unindex_tags (self, entry);
  g_hash_table_steal (self->entries, entry);
  _quarry_entry_unref (entry);   /* the map's reference */

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ENTRIES]);
  if (g_signal_has_handler_pending (self, signals[SIGNAL_QUERY_REMOVED], 0, FALSE))
    g_signal_emit (self, signals[SIGNAL_QUERY_REMOVED], 0, entry->key);

  /* Cancels its fetch and moves the queries still attached to a new entry. */
  _quarry_entry_destroy (entry);
  _quarry_entry_unref (entry);
}

void
_quarry_query_client_entry_updated (QuarryQueryClient *self,
                                    QuarryEntry       *entry,
                                    QuarryQueryAction  action,
                                    QuarryFetchStatus  old_fetch_status)
{
  gboolean is = entry->state.fetch_status == QUARRY_FETCH_STATUS_FETCHING;

  /* Counted by a bit on the entry, not from old_fetch_status: a handler may
   * have changed the state again during this dispatch. */
  if (is != entry->counted_fetching)
    {
      entry->counted_fetching = is;
      if (is)
        self->n_fetching++;
      else
        self->n_fetching--;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_FETCHING]);
    }

  if (g_signal_has_handler_pending (self, signals[SIGNAL_QUERY_UPDATED], 0, FALSE))
    g_signal_emit (self, signals[SIGNAL_QUERY_UPDATED], 0, entry->key, action);
}

void
_quarry_query_client_resolve_options (QuarryQueryClient  *self,
                                      QuarryKey          *key,
                                      QuarryOptionValues *values)
{
  _quarry_option_values_init (values);
  _quarry_option_values_merge (values, _quarry_query_options_get_values (self->default_options));

  if (key == NULL)
    return;

  for (guint i = 0; i < self->query_defaults->len; i++)
    {
      QueryDefaults *defaults = &g_array_index (self->query_defaults, QueryDefaults, i);

      if (quarry_key_matches (key, defaults->key, FALSE))
        _quarry_option_values_merge (values, _quarry_query_options_get_values (defaults->options));
    }

  /* TanStack: refetchOnReconnect defaults to networkMode !== 'always'. */
  if (!(values->set_mask & (1u << QUARRY_OPTION_REFETCH_ON_RECONNECT)) &&
      values->network_mode == QUARRY_NETWORK_MODE_ALWAYS)
    values->refetch_on_reconnect = QUARRY_REFETCH_MODE_NEVER;
}

/* Mutations. */

QuarryMutationCache *
_quarry_query_client_get_mutation_cache (QuarryQueryClient *self)
{
  return self->mutations;
}

void
_quarry_query_client_notify_is_mutating (QuarryQueryClient *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_MUTATING]);
}

void
_quarry_query_client_mutation_event (QuarryQueryClient    *self,
                                     QuarryMutationRun    *run,
                                     QuarryMutationEvent   event,
                                     QuarryMutationAction  action)
{
  static const int signal_of[] = {
    [QUARRY_MUTATION_EVENT_ADDED] = SIGNAL_MUTATION_ADDED,
    [QUARRY_MUTATION_EVENT_REMOVED] = SIGNAL_MUTATION_REMOVED,
    [QUARRY_MUTATION_EVENT_UPDATED] = SIGNAL_MUTATION_UPDATED,
  };
  guint signal_id = signals[signal_of[event]];
  g_autoptr(QuarryMutationState) state = NULL;

  /* A snapshot costs a copy of the state: only when somebody listens. */
  if (!g_signal_has_handler_pending (self, signal_id, 0, FALSE))
    return;

  state = _quarry_mutation_run_dup_state (run);
  if (event == QUARRY_MUTATION_EVENT_UPDATED)
    g_signal_emit (self, signal_id, 0, state, action);
  else
    g_signal_emit (self, signal_id, 0, state);
}

/* Filters. */

/* A filter's conditions, read once for a whole search. */
typedef struct
{
  QuarryQueryFilter *filter;   /* for its predicate, or NULL */
  const char *tag;
  QuarryQueryType type;
  QuarryStaleness staleness;
  QuarryFetchStatus fetch_status;
  gboolean match_fetch_status;
} Conditions;

/* Puts @entries in insertion order, unless they are in it already: the map,
 * the key index and the tag sets give them in orders of their own. Serials
 * are small integers, so a radix sort on their bytes takes a few passes
 * where g_ptr_array_sort () would call a comparison function n log n
 * times. */
static void
sort_by_serial (GPtrArray *entries)
{
  QuarryEntry **items = (QuarryEntry **) entries->pdata;
  g_autofree QuarryEntry **buffer = NULL;
  QuarryEntry **other;
  guint n = entries->len;
  guint64 bits = 0;
  gboolean sorted = TRUE;

  for (guint i = 0; i < n; i++)
    {
      bits |= items[i]->serial;
      if (i > 0 && items[i - 1]->serial > items[i]->serial)
        sorted = FALSE;
    }
  if (sorted)
    return;

  other = buffer = g_new (QuarryEntry *, n);
  for (guint shift = 0; shift < 64 && (bits >> shift) != 0; shift += 8)
    {
      guint offsets[256] = { 0, };
      guint sum = 0;
      QuarryEntry **swap;

      for (guint i = 0; i < n; i++)
        offsets[(items[i]->serial >> shift) & 0xff]++;
      for (guint b = 0; b < G_N_ELEMENTS (offsets); b++)
        {
          guint count = offsets[b];

          offsets[b] = sum;
          sum += count;
        }
      for (guint i = 0; i < n; i++)
        other[offsets[(items[i]->serial >> shift) & 0xff]++] = items[i];

      swap = items;
      items = other;
      other = swap;
    }

  if (items != (QuarryEntry **) entries->pdata)
    memcpy (entries->pdata, items, n * sizeof *items);
}

static gboolean
entry_matches (QuarryEntry      *entry,
               const Conditions *c)
{
  if (c->type != QUARRY_QUERY_TYPE_ALL &&
      _quarry_entry_is_active (entry) != (c->type == QUARRY_QUERY_TYPE_ACTIVE))
    return FALSE;

  if (c->staleness != QUARRY_STALENESS_ANY &&
      _quarry_entry_is_stale (entry) != (c->staleness == QUARRY_STALENESS_STALE))
    return FALSE;

  if (c->match_fetch_status && entry->state.fetch_status != c->fetch_status)
    return FALSE;

  if (c->tag != NULL && !_quarry_entry_has_tag (entry, c->tag))
    return FALSE;

  return c->filter == NULL || _quarry_query_filter_run_predicate (c->filter, entry->key, &entry->state);
}

/* Returns the matching entries in insertion order, each with a reference. */
static GPtrArray *
find_entries (QuarryQueryClient *self,
              QuarryQueryFilter *filter)
{
  GPtrArray *entries;
  QuarryKey *key = NULL;
  Conditions c = { NULL, NULL, QUARRY_QUERY_TYPE_ALL, QUARRY_STALENESS_ANY, 0, FALSE };
  gboolean has_predicate = FALSE;
  guint kept = 0;

  if (filter != NULL)
    {
      key = quarry_query_filter_get_key (filter);
      c.tag = quarry_query_filter_get_tag (filter);
      c.type = quarry_query_filter_get_query_type (filter);
      c.staleness = quarry_query_filter_get_staleness (filter);
      c.match_fetch_status = quarry_query_filter_get_match_fetch_status (filter);
      c.fetch_status = quarry_query_filter_get_fetch_status (filter);
      has_predicate = _quarry_query_filter_has_predicate (filter);
      if (has_predicate)
        c.filter = filter;
    }

  entries = g_ptr_array_sized_new (key == NULL && c.tag == NULL ? g_hash_table_size (self->entries) : 0);

  if (key != NULL && quarry_query_filter_get_exact (filter))
    {
      QuarryEntry *entry = lookup_entry (self, key);

      if (entry != NULL)
        g_ptr_array_add (entries, entry);
    }
  else if (key != NULL)
    {
      _quarry_key_index_collect (self->index, key, entries);
      sort_by_serial (entries);
    }
  else if (c.tag != NULL)
    {
      GHashTable *set = g_hash_table_lookup (self->tags, c.tag);

      if (set != NULL)
        {
          GHashTableIter iter;
          gpointer entry;

          g_hash_table_iter_init (&iter, set);
          while (g_hash_table_iter_next (&iter, &entry, NULL))
            g_ptr_array_add (entries, entry);
          sort_by_serial (entries);
        }
    }
  else
    {
      GHashTableIter iter;
      gpointer entry;

      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, &entry, NULL))
        g_ptr_array_add (entries, entry);
      sort_by_serial (entries);
    }

  /* Only a predicate runs code that may remove entries while they are
   * matched: then every candidate is held from the start. */
  if (has_predicate)
    for (guint i = 0; i < entries->len; i++)
      _quarry_entry_ref (g_ptr_array_index (entries, i));

  /* The matches move to the front, in order; the array holds them. */
  for (guint i = 0; i < entries->len; i++)
    {
      QuarryEntry *entry = g_ptr_array_index (entries, i);

      if (entry->client != NULL && entry_matches (entry, &c))
        {
          if (!has_predicate)
            _quarry_entry_ref (entry);
          entries->pdata[kept++] = entry;
        }
      else if (has_predicate)
        _quarry_entry_unref (entry);
    }

  g_ptr_array_set_size (entries, kept);
  g_ptr_array_set_free_func (entries, (GDestroyNotify) _quarry_entry_unref);

  return entries;
}

/* GObject. */

static void
quarry_query_client_dispose (GObject *object)
{
  QuarryQueryClient *self = (QuarryQueryClient *)object;

  quarry_query_client_set_network_monitor (self, NULL);

  /* Mutations first: their rollbacks write into entries. */
  _quarry_mutation_cache_dispose (self->mutations);

  /* Oldest first; entries made while others go (their queries move to new
   * ones) go as well. */
  while (g_hash_table_size (self->entries) > 0)
    {
      g_autoptr(GPtrArray) entries = find_entries (self, NULL);

      for (guint i = 0; i < entries->len; i++)
        _quarry_query_client_remove_entry (self, g_ptr_array_index (entries, i));
    }

  G_OBJECT_CLASS (quarry_query_client_parent_class)->dispose (object);
}

static void
quarry_query_client_finalize (GObject *object)
{
  QuarryQueryClient *self = (QuarryQueryClient *)object;

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->index, _quarry_key_index_free);
  g_clear_pointer (&self->tags, g_hash_table_unref);
  g_clear_pointer (&self->query_defaults, g_array_unref);
  g_clear_object (&self->default_options);
  g_clear_pointer (&self->mutations, _quarry_mutation_cache_free);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (quarry_query_client_parent_class)->finalize (object);
}

static void
quarry_query_client_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  QuarryQueryClient *self = QUARRY_QUERY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_value_set_object (value, quarry_query_client_get_clock (self));
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, quarry_query_client_get_online (self));
      break;
    case PROP_FOCUSED:
      g_value_set_boolean (value, quarry_query_client_get_focused (self));
      break;
    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, quarry_query_client_get_network_monitor (self));
      break;
    case PROP_IS_FETCHING:
      g_value_set_uint (value, quarry_query_client_get_is_fetching (self));
      break;
    case PROP_IS_MUTATING:
      g_value_set_uint (value, quarry_query_client_get_is_mutating (self));
      break;
    case PROP_N_ENTRIES:
      g_value_set_uint (value, quarry_query_client_get_n_entries (self));
      break;
    case PROP_DEFAULT_OPTIONS:
      g_value_set_object (value, quarry_query_client_get_default_options (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_query_client_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  QuarryQueryClient *self = QUARRY_QUERY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      if (g_value_get_object (value) != NULL)
        g_set_object (&self->clock, g_value_get_object (value));
      break;
    case PROP_ONLINE:
      quarry_query_client_set_online (self, g_value_get_boolean (value));
      break;
    case PROP_FOCUSED:
      quarry_query_client_set_focused (self, g_value_get_boolean (value));
      break;
    case PROP_NETWORK_MONITOR:
      quarry_query_client_set_network_monitor (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_query_client_constructed (GObject *object)
{
  QuarryQueryClient *self = (QuarryQueryClient *)object;

  G_OBJECT_CLASS (quarry_query_client_parent_class)->constructed (object);

  if (self->clock == NULL)
    self->clock = quarry_clock_new ();
}

static void
quarry_query_client_class_init (QuarryQueryClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = quarry_query_client_constructed;
  object_class->dispose = quarry_query_client_dispose;
  object_class->finalize = quarry_query_client_finalize;
  object_class->get_property = quarry_query_client_get_property;
  object_class->set_property = quarry_query_client_set_property;

  /**
   * QuarryQueryClient:clock:
   *
   * The clock every timer of the client runs on. Give a manual clock
   * ([ctor@Clock.new_manual]) to test time-dependent behaviour without
   * sleeping.
   */
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, QUARRY_TYPE_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryQueryClient:online:
   *
   * Whether the network can be reached. It follows
   * [property@QueryClient:network-monitor], and can be set by hand. While it
   * is `FALSE`, fetches in the network mode `ONLINE` pause; when it becomes
   * `TRUE`, paused fetches continue and stale active queries refetch.
   */
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryQueryClient:focused:
   *
   * Whether the application's window has the focus. Quarry's GTK layer
   * drives it from `GtkWindow:is-active`. When it becomes `TRUE`, stale
   * active queries refetch; while it is `FALSE`, retries wait.
   */
  properties[PROP_FOCUSED] =
    g_param_spec_boolean ("focused", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryQueryClient:network-monitor:
   *
   * The network monitor [property@QueryClient:online] follows, by default
   * the system's; `NULL` to follow none.
   */
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryQueryClient:is-mutating: (getter get_is_mutating)
   *
   * How many mutation runs are pending, paused ones included.
   */
  properties[PROP_IS_MUTATING] =
    g_param_spec_uint ("is-mutating", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryQueryClient:is-fetching:
   *
   * How many entries are fetching. Paused fetches do not count.
   *
   * Bind it to a spinner for app-wide activity, or give it to
   * `g_application_bind_busy_property()`.
   */
  properties[PROP_IS_FETCHING] =
    g_param_spec_uint ("is-fetching", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryQueryClient:n-entries:
   *
   * How many entries the cache holds.
   */
  properties[PROP_N_ENTRIES] =
    g_param_spec_uint ("n-entries", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryQueryClient:default-options:
   *
   * The options every query and fetch of this client starts from.
   */
  properties[PROP_DEFAULT_OPTIONS] =
    g_param_spec_object ("default-options", NULL, NULL, QUARRY_TYPE_QUERY_OPTIONS,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QuarryQueryClient::query-added:
   * @self: a client
   * @key: the key of the new entry
   *
   * Emitted when an entry is added to the cache.
   */
  signals[SIGNAL_QUERY_ADDED] =
    g_signal_new ("query-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1,
                  QUARRY_TYPE_KEY | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * QuarryQueryClient::query-removed:
   * @self: a client
   * @key: the key of the removed entry
   *
   * Emitted when an entry leaves the cache: garbage-collected, removed or
   * cleared.
   */
  signals[SIGNAL_QUERY_REMOVED] =
    g_signal_new ("query-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1,
                  QUARRY_TYPE_KEY | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * QuarryQueryClient::query-updated:
   * @self: a client
   * @key: the key of the entry
   * @action: the transition
   *
   * Emitted after every transition of an entry's state, after its queries
   * were told. A layer that normalizes data across queries, a persister or
   * a debugging tool listens here.
   */
  signals[SIGNAL_QUERY_UPDATED] =
    g_signal_new ("query-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2,
                  QUARRY_TYPE_KEY | G_SIGNAL_TYPE_STATIC_SCOPE, QUARRY_TYPE_QUERY_ACTION);

  /**
   * QuarryQueryClient::mutation-added:
   * @self: the client
   * @state: the new run's state
   *
   * Emitted when a mutation run was added to the cache, before it starts.
   */
  signals[SIGNAL_MUTATION_ADDED] =
    g_signal_new ("mutation-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1,
                  QUARRY_TYPE_MUTATION_STATE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * QuarryQueryClient::mutation-removed:
   * @self: the client
   * @state: the run's last state
   *
   * Emitted when a settled mutation run was garbage-collected, or the
   * client let go of its runs.
   */
  signals[SIGNAL_MUTATION_REMOVED] =
    g_signal_new ("mutation-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1,
                  QUARRY_TYPE_MUTATION_STATE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * QuarryQueryClient::mutation-updated:
   * @self: the client
   * @state: the run's new state
   * @action: what happened
   *
   * Emitted after the state of a mutation run changed. Listing the runs
   * again with [method@QueryClient.find_mutations] here is TanStack's
   * `useMutationState`.
   */
  signals[SIGNAL_MUTATION_UPDATED] =
    g_signal_new ("mutation-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2,
                  QUARRY_TYPE_MUTATION_STATE | G_SIGNAL_TYPE_STATIC_SCOPE,
                  QUARRY_TYPE_MUTATION_ACTION);

  _quarry_i18n_init ();
}

static void
quarry_query_client_init (QuarryQueryClient *self)
{
  self->entries = g_hash_table_new_full (entry_hash, entry_equal,
                                         (GDestroyNotify) _quarry_entry_unref, NULL);
  self->index = _quarry_key_index_new ();
  self->tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_hash_table_unref);
  self->default_options = quarry_query_options_new ();
  self->query_defaults = g_array_new (FALSE, TRUE, sizeof (QueryDefaults));
  g_array_set_clear_func (self->query_defaults, query_defaults_clear);
  self->mutations = _quarry_mutation_cache_new (self);
  self->online = TRUE;
  self->focused = TRUE;
}

/**
 * quarry_query_client_new:
 *
 * Makes a client on the system clock, following the system's network
 * monitor, in the thread-default main context.
 *
 * Returns: (transfer full): a new client
 */
QuarryQueryClient *
quarry_query_client_new (void)
{
  return quarry_query_client_new_with_clock (NULL);
}

/**
 * quarry_query_client_new_with_clock:
 * @clock: (nullable): the clock for the client's timers, or `NULL` for the
 *   system clock
 *
 * Makes a client whose timers run on @clock.
 *
 * A client on a manual clock follows no network monitor and starts online,
 * so that tests do not depend on the machine's network.
 *
 * Returns: (transfer full): a new client
 */
QuarryQueryClient *
quarry_query_client_new_with_clock (QuarryClock *clock)
{
  QuarryQueryClient *self;

  g_return_val_if_fail (clock == NULL || QUARRY_IS_CLOCK (clock), NULL);

  self = g_object_new (QUARRY_TYPE_QUERY_CLIENT, "clock", clock, NULL);
  if (clock == NULL || !quarry_clock_get_manual (clock))
    quarry_query_client_set_network_monitor (self, g_network_monitor_get_default ());

  return self;
}

/**
 * quarry_query_client_get_clock: (get-property clock)
 * @self: a client
 *
 * Gets the clock the client's timers run on.
 *
 * Returns: (transfer none): the clock
 */
QuarryClock *
quarry_query_client_get_clock (QuarryQueryClient *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  return self->clock;
}

/**
 * quarry_query_client_get_default_options: (get-property default-options)
 * @self: a client
 *
 * Gets the options every query and fetch of @self starts from. Change them
 * before making queries: a query takes its options when it attaches to an
 * entry.
 *
 * Returns: (transfer none): the default options
 */
QuarryQueryOptions *
quarry_query_client_get_default_options (QuarryQueryClient *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  return self->default_options;
}

/**
 * quarry_query_client_set_query_defaults:
 * @self: a client
 * @key: a key prefix
 * @options: the options for the queries whose key starts with @key
 *
 * Registers defaults for the queries whose key matches @key (partially, as a
 * prefix). When several registered keys match, they apply in registration
 * order, later ones winning; registering the same key again replaces its
 * options. Options set on a query win over these.
 */
void
quarry_query_client_set_query_defaults (QuarryQueryClient  *self,
                                        QuarryKey          *key,
                                        QuarryQueryOptions *options)
{
  QueryDefaults defaults;

  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (QUARRY_IS_QUERY_OPTIONS (options));

  for (guint i = 0; i < self->query_defaults->len; i++)
    {
      QueryDefaults *existing = &g_array_index (self->query_defaults, QueryDefaults, i);

      if (quarry_key_equal (existing->key, key))
        {
          g_set_object (&existing->options, options);
          return;
        }
    }

  defaults.key = quarry_key_ref (key);
  defaults.options = g_object_ref (options);
  g_array_append_val (self->query_defaults, defaults);
}

/**
 * quarry_query_client_get_online: (get-property online)
 * @self: a client
 *
 * Gets whether the client considers the network reachable.
 *
 * Returns: `TRUE` when online
 */
gboolean
quarry_query_client_get_online (QuarryQueryClient *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), FALSE);
  return self->online;
}

static void
on_event (QuarryQueryClient *self,
          gboolean           focus)
{
  g_autoptr(GPtrArray) entries = find_entries (self, NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      QuarryEntry *entry = g_ptr_array_index (entries, i);

      if (entry->client == NULL)
        continue;

      for (guint j = 0; j < _quarry_entry_get_n_observers (entry); j++)
        {
          QuarryQuery *query = _quarry_entry_get_observer (entry, j);
          QuarryRefetchMode mode = focus ? quarry_query_get_refetch_on_window_focus (query)
                                         : _quarry_query_get_refetch_on_reconnect_mode (query);

          if (_quarry_query_should_fetch_on (query, mode))
            {
              _quarry_query_fetch (query, FALSE, NULL);
              break;
            }
        }

      if (entry->client != NULL)
        _quarry_entry_continue (entry);
    }
}

/**
 * quarry_query_client_set_online: (set-property online)
 * @self: a client
 * @online: whether the network is reachable
 *
 * Sets whether the client considers the network reachable. Coming online
 * resumes paused mutations and, once those have all settled, continues
 * paused fetches and refetches stale active queries whose
 * [property@Query:refetch-on-reconnect] allows it, as TanStack does: a
 * refetch does not race the changes that waited for the network. (Runs
 * that were already running, not paused, are not waited for.)
 */
void
quarry_query_client_set_online (QuarryQueryClient *self,
                                gboolean           online)
{
  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));

  online = !!online;
  if (self->online == online)
    return;

  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);

  /* TanStack awaits resumePausedMutations() before telling the queries. */
  if (online)
    _quarry_mutation_cache_resume_then (self->mutations, on_event, FALSE);
}

/**
 * quarry_query_client_get_network_monitor: (get-property network-monitor)
 * @self: a client
 *
 * Gets the network monitor [property@QueryClient:online] follows.
 *
 * Returns: (nullable) (transfer none): the monitor
 */
GNetworkMonitor *
quarry_query_client_get_network_monitor (QuarryQueryClient *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  return self->network_monitor;
}

/**
 * quarry_query_client_set_network_monitor: (set-property network-monitor)
 * @self: a client
 * @monitor: (nullable): a network monitor, or `NULL`
 *
 * Sets the network monitor [property@QueryClient:online] follows, and takes
 * its current state.
 */
void
quarry_query_client_set_network_monitor (QuarryQueryClient *self,
                                         GNetworkMonitor   *monitor)
{
  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));
  g_return_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor));

  if (self->network_monitor == monitor)
    return;

  if (self->network_monitor != NULL)
    {
      g_clear_signal_handler (&self->network_changed_id, self->network_monitor);
      g_clear_object (&self->network_monitor);
    }

  if (monitor != NULL)
    {
      self->network_monitor = g_object_ref (monitor);
      self->network_changed_id =
        g_signal_connect_object (monitor, "network-changed",
                                 G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_MONITOR]);

  if (monitor != NULL)
    quarry_query_client_set_online (self, g_network_monitor_get_network_available (monitor));
}

/**
 * quarry_query_client_get_focused: (get-property focused)
 * @self: a client
 *
 * Gets whether the client considers the application focused.
 *
 * Returns: `TRUE` when focused
 */
gboolean
quarry_query_client_get_focused (QuarryQueryClient *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), FALSE);
  return self->focused;
}

/**
 * quarry_query_client_set_focused: (set-property focused)
 * @self: a client
 * @focused: whether the application is focused
 *
 * Sets whether the application is focused. Gaining focus resumes paused
 * mutations (when online) and, once they have settled, continues retries
 * that waited for it and refetches stale active queries whose
 * [property@Query:refetch-on-window-focus] allows it.
 */
void
quarry_query_client_set_focused (QuarryQueryClient *self,
                                 gboolean           focused)
{
  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));

  focused = !!focused;
  if (self->focused == focused)
    return;

  self->focused = focused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOCUSED]);

  if (focused)
    {
      if (self->online)
        _quarry_mutation_cache_resume_then (self->mutations, on_event, TRUE);
      else
        on_event (self, TRUE);
    }
}

/**
 * quarry_query_client_get_is_fetching: (get-property is-fetching)
 * @self: a client
 *
 * Gets how many entries are fetching.
 *
 * Returns: the number of fetching entries
 */
guint
quarry_query_client_get_is_fetching (QuarryQueryClient *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), 0);
  return self->n_fetching;
}

/**
 * quarry_query_client_get_n_entries: (get-property n-entries)
 * @self: a client
 *
 * Gets how many entries the cache holds.
 *
 * Returns: the number of entries
 */
guint
quarry_query_client_get_n_entries (QuarryQueryClient *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), 0);
  return g_hash_table_size (self->entries);
}

/**
 * quarry_query_client_count_fetching:
 * @self: a client
 * @filter: (nullable): which entries to count, or `NULL` for all
 *
 * Counts the matched entries that are fetching (TanStack's `isFetching`).
 *
 * Returns: the number of fetching entries among those matched
 */
guint
quarry_query_client_count_fetching (QuarryQueryClient *self,
                                    QuarryQueryFilter *filter)
{
  g_autoptr(GPtrArray) entries = NULL;
  guint count = 0;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), 0);
  g_return_val_if_fail (filter == NULL || QUARRY_IS_QUERY_FILTER (filter), 0);

  if (filter == NULL)
    return self->n_fetching;

  entries = find_entries (self, filter);
  for (guint i = 0; i < entries->len; i++)
    if (_quarry_entry_is_fetching (g_ptr_array_index (entries, i)))
      count++;
  return count;
}

/**
 * quarry_query_client_find_keys:
 * @self: a client
 * @filter: (nullable): which entries, or `NULL` for all
 *
 * Lists the keys of the entries @filter matches, in the order the entries
 * were created.
 *
 * Returns: (transfer container) (element-type QuarryKey): the keys
 */
GPtrArray *
quarry_query_client_find_keys (QuarryQueryClient *self,
                               QuarryQueryFilter *filter)
{
  g_autoptr(GPtrArray) entries = NULL;
  GPtrArray *keys;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  g_return_val_if_fail (filter == NULL || QUARRY_IS_QUERY_FILTER (filter), NULL);

  entries = find_entries (self, filter);
  keys = g_ptr_array_new_full (entries->len, (GDestroyNotify) quarry_key_unref);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (keys, quarry_key_ref (((QuarryEntry *) g_ptr_array_index (entries, i))->key));
  return keys;
}

/**
 * quarry_query_client_get_query_data:
 * @self: a client
 * @key: a key
 *
 * Gets the cached data of @key, without fetching.
 *
 * Returns: (nullable) (transfer none): the data, or `NULL` if there is none
 */
const GValue *
quarry_query_client_get_query_data (QuarryQueryClient *self,
                                    QuarryKey         *key)
{
  QuarryEntry *entry;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  entry = lookup_entry (self, key);
  if (entry == NULL || !_quarry_state_data_has_data (&entry->state))
    return NULL;
  return &entry->state.data;
}

/**
 * quarry_query_client_get_query_state:
 * @self: a client
 * @key: a key
 *
 * Gets a snapshot of the state of @key's entry.
 *
 * Returns: (nullable) (transfer full): the state, or `NULL` if there is no
 *   entry for @key
 */
QuarryQueryState *
quarry_query_client_get_query_state (QuarryQueryClient *self,
                                     QuarryKey         *key)
{
  QuarryEntry *entry;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  entry = lookup_entry (self, key);
  if (entry == NULL)
    return NULL;
  return _quarry_query_state_new (&entry->state);
}

/**
 * quarry_query_client_set_query_data:
 * @self: a client
 * @key: a key
 * @value: the new data
 * @error: return location for a [error@Quarry.Error]
 *
 * Writes data into the cache, as if a fetch had returned it: the entry is
 * made if needed, its status becomes success, its error and invalidation are
 * cleared, and its queries are told. Writing data equal to what is there
 * changes and notifies nothing.
 *
 * Use it for optimistic updates: a fetch in flight that is then cancelled
 * reverts to this data, not to what was there before.
 *
 * A `JsonNode` is cached as it is, not copied: it is sealed (see
 * `json_node_seal()`) and must not be changed afterwards, as with
 * [method@FetchContext.return_json]. Build new data to write new data.
 *
 * The entry of an [class@InfiniteQuery] takes a [struct@InfiniteData], or a
 * JSON object `{"pages": [...], "pageParams": [...]}` which it converts,
 * and refuses anything else with [error@Quarry.Error.UNSUPPORTED_TYPE].
 *
 * Returns: `TRUE` if the data was written (or was already there), `FALSE`
 *   with @error set for a value that cannot be cached
 */
gboolean
quarry_query_client_set_query_data (QuarryQueryClient  *self,
                                    QuarryKey          *key,
                                    const GValue       *value,
                                    GError            **error)
{
  QuarryEntry *entry;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_quarry_value_validate (value, error))
    return FALSE;

  /* An infinite entry keeps the shape of pages and parameters. */
  entry = lookup_entry (self, key);
  if (entry != NULL && _quarry_entry_get_options (entry)->paging != NULL)
    {
      g_auto(GValue) pages = G_VALUE_INIT;

      if (!_quarry_paging_normalize (_quarry_entry_get_options (entry)->paging, value, &pages, error))
        return FALSE;

      _quarry_entry_ref (entry);
      _quarry_entry_set_data (entry, &pages, 0, TRUE, NULL);
      _quarry_entry_unref (entry);
      return TRUE;
    }

  entry = entry != NULL ? _quarry_entry_ref (entry) : add_entry (self, key);
  if (entry->client != NULL)
    _quarry_entry_set_data (entry, value, 0, TRUE, NULL);
  _quarry_entry_unref (entry);
  return TRUE;
}

/**
 * quarry_query_client_set_query_data_with_updater:
 * @self: a client
 * @key: a key
 * @func: (scope call) (closure user_data): computes the new data from the current data
 * @user_data: data for @func
 * @error: return location for a [error@Quarry.Error]
 *
 * Writes data computed from the current data. When @func leaves its result
 * unset, nothing happens: no entry is made and nothing changes.
 *
 * While optimistic changes of the entry are pending (see [struct@Restorer]),
 * @func gets the confirmed data, without them, and they are applied again on
 * top of what it returns: its result never makes a pending change permanent.
 *
 * Returns: `TRUE` unless the new value cannot be cached
 */
gboolean
quarry_query_client_set_query_data_with_updater (QuarryQueryClient  *self,
                                                 QuarryKey          *key,
                                                 QuarryUpdateFunc    func,
                                                 gpointer            user_data,
                                                 GError            **error)
{
  QuarryEntry *entry;
  g_auto(GValue) value = G_VALUE_INIT;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  entry = _quarry_query_client_lookup_entry (self, key);
  if (entry != NULL && entry->optimistic != NULL)
    func (_quarry_optimistic_stack_get_base (entry->optimistic), &value, user_data);
  else
    func (quarry_query_client_get_query_data (self, key), &value, user_data);
  if (!_quarry_value_is_set (&value))
    return TRUE;

  return quarry_query_client_set_query_data (self, key, &value, error);
}

static void
refetch_entries (QuarryQueryClient *self,
                 GPtrArray         *entries,
                 GTask             *group);

/**
 * quarry_query_client_invalidate_queries:
 * @self: a client
 * @filter: (nullable): which entries, or `NULL` for all
 * @refetch_type: which of the invalidated entries to refetch
 *
 * Marks the matched entries invalid, so they are stale whatever their stale
 * time (but [const@Quarry.STALE_TIME_STATIC]), then refetches those of them
 * @refetch_type selects: by default the active ones. A refetch cancels a
 * fetch in flight that has data ([property@Query:concurrency] `SWITCH`).
 */
void
quarry_query_client_invalidate_queries (QuarryQueryClient *self,
                                        QuarryQueryFilter *filter,
                                        QuarryRefetchType  refetch_type)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) refetch = NULL;
  QuarryQueryType type;

  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));
  g_return_if_fail (filter == NULL || QUARRY_IS_QUERY_FILTER (filter));

  entries = find_entries (self, filter);
  for (guint i = 0; i < entries->len; i++)
    {
      QuarryEntry *entry = g_ptr_array_index (entries, i);

      if (entry->client != NULL)
        _quarry_entry_invalidate (entry);
    }

  switch (refetch_type)
    {
    case QUARRY_REFETCH_TYPE_NONE:
      return;
    case QUARRY_REFETCH_TYPE_DEFAULT:
      type = filter != NULL && _quarry_query_filter_get_type_is_set (filter)
             ? quarry_query_filter_get_query_type (filter) : QUARRY_QUERY_TYPE_ACTIVE;
      break;
    case QUARRY_REFETCH_TYPE_ACTIVE:
      type = QUARRY_QUERY_TYPE_ACTIVE;
      break;
    case QUARRY_REFETCH_TYPE_INACTIVE:
      type = QUARRY_QUERY_TYPE_INACTIVE;
      break;
    case QUARRY_REFETCH_TYPE_ALL:
    default:
      type = QUARRY_QUERY_TYPE_ALL;
      break;
    }

  refetch = g_ptr_array_new_with_free_func ((GDestroyNotify) _quarry_entry_unref);
  for (guint i = 0; i < entries->len; i++)
    {
      QuarryEntry *entry = g_ptr_array_index (entries, i);

      if (type == QUARRY_QUERY_TYPE_ALL ||
          _quarry_entry_is_active (entry) == (type == QUARRY_QUERY_TYPE_ACTIVE))
        g_ptr_array_add (refetch, _quarry_entry_ref (entry));
    }

  refetch_entries (self, refetch, NULL);
}

typedef struct
{
  guint pending;
} RefetchGroup;

typedef struct
{
  GTask *group;
  gboolean counted;
} RefetchMember;

static void
group_release (GTask *group)
{
  RefetchGroup *data = g_task_get_task_data (group);

  if (--data->pending == 0)
    g_task_return_boolean (group, TRUE);
}

static void
group_member_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  RefetchMember *member = user_data;

  if (member->counted)
    group_release (member->group);
  g_object_unref (member->group);
  g_free (member);
}

/* Refetches every entry that is not disabled and not static, cancelling
 * fetches in flight that have data. With @group, each fetch joins it; a
 * paused one does not hold it up. */
static void
refetch_entries (QuarryQueryClient *self,
                 GPtrArray         *entries,
                 GTask             *group)
{
  RefetchGroup *data = group ? g_task_get_task_data (group) : NULL;

  if (data != NULL)
    data->pending++;

  for (guint i = 0; i < entries->len; i++)
    {
      QuarryEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GTask) task = NULL;
      RefetchMember *member = NULL;

      if (entry->client == NULL || _quarry_entry_is_disabled (entry) || _quarry_entry_is_static (entry))
        continue;

      if (data != NULL)
        {
          member = g_new0 (RefetchMember, 1);
          member->group = g_object_ref (group);
          member->counted = TRUE;
          data->pending++;
          task = g_task_new (self, NULL, group_member_done_cb, member);
        }

      _quarry_entry_fetch (entry, NULL, TRUE, task);

      if (member != NULL && entry->state.fetch_status == QUARRY_FETCH_STATUS_PAUSED)
        {
          member->counted = FALSE;
          group_release (group);
        }
    }

  if (data != NULL)
    group_release (group);
}

/**
 * quarry_query_client_refetch_queries:
 * @self: a client
 * @filter: (nullable): which entries, or `NULL` for all
 *
 * Refetches the matched entries, except disabled ones (an entry no enabled
 * query observes, or one that never fetched) and those with
 * [const@Quarry.STALE_TIME_STATIC]. A fetch in flight that has data is
 * cancelled and started over.
 */
void
quarry_query_client_refetch_queries (QuarryQueryClient *self,
                                     QuarryQueryFilter *filter)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));
  g_return_if_fail (filter == NULL || QUARRY_IS_QUERY_FILTER (filter));

  entries = find_entries (self, filter);
  refetch_entries (self, entries, NULL);
}

/**
 * quarry_query_client_refetch_queries_async:
 * @self: a client
 * @filter: (nullable): which entries, or `NULL` for all
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async) (closure user_data): called when every refetch settled
 * @user_data: data for @callback
 *
 * Refetches as [method@QueryClient.refetch_queries] does and calls @callback
 * once every refetch settled. Failed refetches do not fail the operation:
 * their errors are in their queries' state. A paused fetch counts as settled.
 */
void
quarry_query_client_refetch_queries_async (QuarryQueryClient   *self,
                                           QuarryQueryFilter   *filter,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));
  g_return_if_fail (filter == NULL || QUARRY_IS_QUERY_FILTER (filter));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, quarry_query_client_refetch_queries_async);
  g_task_set_name (task, "[quarry] refetch queries");
  g_task_set_task_data (task, g_new0 (RefetchGroup, 1), g_free);

  entries = find_entries (self, filter);
  refetch_entries (self, entries, task);
}

/**
 * quarry_query_client_refetch_queries_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Finishes [method@QueryClient.refetch_queries_async].
 *
 * Returns: `TRUE` once every refetch settled, `FALSE` if @cancellable was
 *   cancelled
 */
gboolean
quarry_query_client_refetch_queries_finish (QuarryQueryClient  *self,
                                            GAsyncResult       *result,
                                            GError            **error)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * quarry_query_client_cancel_queries:
 * @self: a client
 * @filter: (nullable): which entries, or `NULL` for all
 *
 * Cancels the fetches in flight of the matched entries and reverts each to
 * the state it had before its fetch started (or to data written with
 * [method@QueryClient.set_query_data] during the fetch). The fetch
 * functions' cancellables are cancelled; their results are dropped.
 */
void
quarry_query_client_cancel_queries (QuarryQueryClient *self,
                                    QuarryQueryFilter *filter)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));
  g_return_if_fail (filter == NULL || QUARRY_IS_QUERY_FILTER (filter));

  entries = find_entries (self, filter);
  for (guint i = 0; i < entries->len; i++)
    _quarry_entry_cancel (g_ptr_array_index (entries, i), TRUE, FALSE);
}

/**
 * quarry_query_client_remove_queries:
 * @self: a client
 * @filter: (nullable): which entries, or `NULL` for all
 *
 * Removes the matched entries from the cache, cancelling their fetches. The
 * queries still attached to them move to a new, empty entry for their key and
 * fetch it again.
 */
void
quarry_query_client_remove_queries (QuarryQueryClient *self,
                                    QuarryQueryFilter *filter)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));
  g_return_if_fail (filter == NULL || QUARRY_IS_QUERY_FILTER (filter));

  entries = find_entries (self, filter);
  for (guint i = 0; i < entries->len; i++)
    _quarry_query_client_remove_entry (self, g_ptr_array_index (entries, i));
}

/**
 * quarry_query_client_reset_queries:
 * @self: a client
 * @filter: (nullable): which entries, or `NULL` for all
 *
 * Puts the matched entries back in their initial state (their initial data,
 * or pending without data), cancelling their fetches, then refetches those
 * of them that are active.
 */
void
quarry_query_client_reset_queries (QuarryQueryClient *self,
                                   QuarryQueryFilter *filter)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) active = NULL;

  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));
  g_return_if_fail (filter == NULL || QUARRY_IS_QUERY_FILTER (filter));

  entries = find_entries (self, filter);
  for (guint i = 0; i < entries->len; i++)
    {
      QuarryEntry *entry = g_ptr_array_index (entries, i);

      if (entry->client != NULL)
        _quarry_entry_reset (entry);
    }

  active = g_ptr_array_new_with_free_func ((GDestroyNotify) _quarry_entry_unref);
  for (guint i = 0; i < entries->len; i++)
    {
      QuarryEntry *entry = g_ptr_array_index (entries, i);

      if (_quarry_entry_is_active (entry))
        g_ptr_array_add (active, _quarry_entry_ref (entry));
    }
  refetch_entries (self, active, NULL);
}

/**
 * quarry_query_client_clear:
 * @self: a client
 *
 * Removes every entry from the cache, and every settled mutation run.
 * Pending mutation runs go on; they leave once settled and no longer shown.
 */
void
quarry_query_client_clear (QuarryQueryClient *self)
{
  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));

  quarry_query_client_remove_queries (self, NULL);
  _quarry_mutation_cache_clear (self->mutations);
}

/* fetch_query, prefetch_query, ensure_query_data. */

typedef enum
{
  FETCH_MODE_FETCH,
  FETCH_MODE_PREFETCH,
  FETCH_MODE_ENSURE,
} FetchMode;

static void
build_fetch_options (QuarryQueryClient  *self,
                     QuarryKey          *key,
                     QuarryQueryOptions *options,
                     QuarryFetchFunc     fetch_func,
                     gpointer            fetch_data,
                     GDestroyNotify      fetch_data_destroy,
                     QuarryFetchOptions *fetch_options,
                     gint64             *stale_time)
{
  QuarryOptionValues values;

  _quarry_query_client_resolve_options (self, key, &values);

  /* An imperative fetch does not retry unless told to. */
  if (!(values.set_mask & (1u << QUARRY_OPTION_RETRY)))
    values.retry = 0;
  if (options != NULL)
    _quarry_option_values_merge (&values, _quarry_query_options_get_values (options));

  _quarry_fetch_options_init (fetch_options);
  fetch_options->retry = values.retry;
  fetch_options->retry_delay = values.retry_delay;
  fetch_options->gc_time = values.gc_time;
  fetch_options->network_mode = values.network_mode;
  fetch_options->concurrency = values.concurrency;
  if (fetch_func != NULL)
    fetch_options->fetcher = _quarry_closure_new (fetch_func, fetch_data, fetch_data_destroy);
  else if (fetch_data_destroy != NULL)
    fetch_data_destroy (fetch_data);

  *stale_time = values.stale_time;
}

static void
fetch_query_common (QuarryQueryClient   *self,
                    FetchMode            mode,
                    QuarryKey           *key,
                    QuarryFetchFunc      fetch_func,
                    gpointer             fetch_data,
                    GDestroyNotify       fetch_data_destroy,
                    QuarryQueryOptions  *options,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  QuarryFetchOptions fetch_options;
  QuarryEntry *entry;
  gint64 stale_time;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, "[quarry] fetch query");

  build_fetch_options (self, key, options, fetch_func, fetch_data, fetch_data_destroy,
                       &fetch_options, &stale_time);

  entry = _quarry_query_client_ensure_entry (self, key);

  if (entry->client == NULL)
    {
      g_task_return_new_error (task, QUARRY_ERROR, QUARRY_ERROR_REMOVED,
                               _("The query was removed from the cache"));
    }
  else if (mode == FETCH_MODE_ENSURE && _quarry_state_data_has_data (&entry->state))
    {
      g_task_return_pointer (task, _quarry_value_dup (&entry->state.data),
                             (GDestroyNotify) _quarry_value_free);
    }
  else if (!_quarry_entry_is_stale_by_time (entry, stale_time))
    {
      _quarry_entry_set_options (entry, &fetch_options);
      g_task_return_pointer (task, _quarry_value_dup (&entry->state.data),
                             (GDestroyNotify) _quarry_value_free);
    }
  else
    {
      _quarry_entry_fetch (entry, &fetch_options, FALSE, task);
    }

  _quarry_entry_unref (entry);
  _quarry_fetch_options_clear (&fetch_options);
}

/**
 * quarry_query_client_fetch_query_async:
 * @self: a client
 * @key: the key to fetch
 * @fetch_func: (nullable) (scope notified) (closure fetch_data) (destroy fetch_data_destroy):
 *   the fetch function, or `NULL` to use the entry's
 * @fetch_data: data for @fetch_func
 * @fetch_data_destroy: (nullable): frees @fetch_data
 * @options: (nullable): options for this fetch, over the client's defaults
 * @cancellable: (nullable): a cancellable for the wait (not the fetch)
 * @callback: (scope async) (closure user_data): called with the data
 * @user_data: data for @callback
 *
 * Gets the data of @key: the cached data if it is fresh under the options'
 * [property@QueryOptions:stale-time], otherwise by fetching it, sharing a
 * fetch in flight. Unlike a [class@Query], it does not retry unless
 * [property@QueryOptions:retry] is set.
 */
void
quarry_query_client_fetch_query_async (QuarryQueryClient   *self,
                                       QuarryKey           *key,
                                       QuarryFetchFunc      fetch_func,
                                       gpointer             fetch_data,
                                       GDestroyNotify       fetch_data_destroy,
                                       QuarryQueryOptions  *options,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (options == NULL || QUARRY_IS_QUERY_OPTIONS (options));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  fetch_query_common (self, FETCH_MODE_FETCH, key, fetch_func, fetch_data, fetch_data_destroy,
                      options, cancellable, callback, user_data,
                      quarry_query_client_fetch_query_async);
}

/**
 * quarry_query_client_fetch_query_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Finishes [method@QueryClient.fetch_query_async].
 *
 * Returns: (transfer full): the data, or `NULL` with @error set
 */
GValue *
quarry_query_client_fetch_query_finish (QuarryQueryClient  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * quarry_query_client_prefetch_query_async:
 * @self: a client
 * @key: the key to fetch
 * @fetch_func: (nullable) (scope notified) (closure fetch_data) (destroy fetch_data_destroy):
 *   the fetch function, or `NULL` to use the entry's
 * @fetch_data: data for @fetch_func
 * @fetch_data_destroy: (nullable): frees @fetch_data
 * @options: (nullable): options for this fetch, over the client's defaults
 * @cancellable: (nullable): a cancellable for the wait (not the fetch)
 * @callback: (nullable) (scope async) (closure user_data): called when done
 * @user_data: data for @callback
 *
 * Fills the cache for @key ahead of need, as
 * [method@QueryClient.fetch_query_async] does, but never fails: an error
 * stays in the entry's state.
 */
void
quarry_query_client_prefetch_query_async (QuarryQueryClient   *self,
                                          QuarryKey           *key,
                                          QuarryFetchFunc      fetch_func,
                                          gpointer             fetch_data,
                                          GDestroyNotify       fetch_data_destroy,
                                          QuarryQueryOptions  *options,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (options == NULL || QUARRY_IS_QUERY_OPTIONS (options));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  fetch_query_common (self, FETCH_MODE_PREFETCH, key, fetch_func, fetch_data, fetch_data_destroy,
                      options, cancellable, callback, user_data,
                      quarry_query_client_prefetch_query_async);
}

/**
 * quarry_query_client_prefetch_query_finish:
 * @self: a client
 * @result: the result given to the callback
 *
 * Finishes [method@QueryClient.prefetch_query_async].
 */
void
quarry_query_client_prefetch_query_finish (QuarryQueryClient *self,
                                           GAsyncResult      *result)
{
  GValue *value;

  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));
  g_return_if_fail (g_task_is_valid (result, self));

  value = g_task_propagate_pointer (G_TASK (result), NULL);
  _quarry_value_free (value);
}

/**
 * quarry_query_client_ensure_query_data_async:
 * @self: a client
 * @key: the key
 * @fetch_func: (nullable) (scope notified) (closure fetch_data) (destroy fetch_data_destroy):
 *   the fetch function, or `NULL` to use the entry's
 * @fetch_data: data for @fetch_func
 * @fetch_data_destroy: (nullable): frees @fetch_data
 * @options: (nullable): options for the fetch, over the client's defaults
 * @cancellable: (nullable): a cancellable for the wait (not the fetch)
 * @callback: (scope async) (closure user_data): called with the data
 * @user_data: data for @callback
 *
 * Gets the cached data of @key whatever its age, or fetches it when there is
 * none.
 */
void
quarry_query_client_ensure_query_data_async (QuarryQueryClient   *self,
                                             QuarryKey           *key,
                                             QuarryFetchFunc      fetch_func,
                                             gpointer             fetch_data,
                                             GDestroyNotify       fetch_data_destroy,
                                             QuarryQueryOptions  *options,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_return_if_fail (QUARRY_IS_QUERY_CLIENT (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (options == NULL || QUARRY_IS_QUERY_OPTIONS (options));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  fetch_query_common (self, FETCH_MODE_ENSURE, key, fetch_func, fetch_data, fetch_data_destroy,
                      options, cancellable, callback, user_data,
                      quarry_query_client_ensure_query_data_async);
}

/**
 * quarry_query_client_ensure_query_data_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Finishes [method@QueryClient.ensure_query_data_async].
 *
 * Returns: (transfer full): the data, or `NULL` with @error set
 */
GValue *
quarry_query_client_ensure_query_data_finish (QuarryQueryClient  *self,
                                              GAsyncResult       *result,
                                              GError            **error)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
