/* quarry-query-filter.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-enums.h"
#include "quarry-i18n-private.h"
#include "quarry-query-filter-private.h"

/**
 * QuarryQueryFilter:
 *
 * Selects cache entries for the client's bulk operations:
 * [method@QueryClient.invalidate_queries], [method@QueryClient.refetch_queries],
 * [method@QueryClient.cancel_queries], [method@QueryClient.remove_queries],
 * [method@QueryClient.reset_queries] and [method@QueryClient.find_keys].
 *
 * Every criterion that is set must hold (TanStack's `QueryFilters`):
 *
 * - [property@QueryFilter:key]: the entry's key matches it as a prefix, with
 *   partial object matching, or equals it with [property@QueryFilter:exact];
 * - [property@QueryFilter:query-type]: active, inactive or all entries;
 * - [property@QueryFilter:staleness]: stale or fresh entries;
 * - [property@QueryFilter:fetch-status]: what the fetch function is doing;
 * - [property@QueryFilter:tag]: one of the entry's queries carries the tag;
 * - a [callback@QueryPredicate], run last.
 *
 * Operations over a key prefix use an index, so their cost follows the
 * number of matching entries, not the size of the cache.
 *
 * ```python
 * client.invalidate_queries(Quarry.QueryFilter(key=key), Quarry.RefetchType.DEFAULT)
 * ```
 */

struct _QuarryQueryFilter
{
  GObject parent_instance;

  QuarryKey *key;
  char *tag;
  QuarryQueryPredicate predicate;
  gpointer predicate_data;
  GDestroyNotify predicate_destroy;
  QuarryQueryType query_type;
  QuarryStaleness staleness;
  QuarryFetchStatus fetch_status;
  guint exact : 1;
  guint query_type_set : 1;
  guint match_fetch_status : 1;
};

enum {
  PROP_0,
  PROP_KEY,
  PROP_EXACT,
  PROP_QUERY_TYPE,
  PROP_STALENESS,
  PROP_FETCH_STATUS,
  PROP_MATCH_FETCH_STATUS,
  PROP_TAG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (QuarryQueryFilter, quarry_query_filter, G_TYPE_OBJECT)

static void
clear_predicate (QuarryQueryFilter *self)
{
  if (self->predicate_destroy != NULL)
    self->predicate_destroy (self->predicate_data);
  self->predicate = NULL;
  self->predicate_data = NULL;
  self->predicate_destroy = NULL;
}

static void
quarry_query_filter_finalize (GObject *object)
{
  QuarryQueryFilter *self = (QuarryQueryFilter *)object;

  clear_predicate (self);
  g_clear_pointer (&self->key, quarry_key_unref);
  g_clear_pointer (&self->tag, g_free);

  G_OBJECT_CLASS (quarry_query_filter_parent_class)->finalize (object);
}

static void
quarry_query_filter_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  QuarryQueryFilter *self = QUARRY_QUERY_FILTER (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_boxed (value, quarry_query_filter_get_key (self));
      break;
    case PROP_EXACT:
      g_value_set_boolean (value, quarry_query_filter_get_exact (self));
      break;
    case PROP_QUERY_TYPE:
      g_value_set_enum (value, quarry_query_filter_get_query_type (self));
      break;
    case PROP_STALENESS:
      g_value_set_enum (value, quarry_query_filter_get_staleness (self));
      break;
    case PROP_FETCH_STATUS:
      g_value_set_enum (value, quarry_query_filter_get_fetch_status (self));
      break;
    case PROP_MATCH_FETCH_STATUS:
      g_value_set_boolean (value, quarry_query_filter_get_match_fetch_status (self));
      break;
    case PROP_TAG:
      g_value_set_string (value, quarry_query_filter_get_tag (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_query_filter_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  QuarryQueryFilter *self = QUARRY_QUERY_FILTER (object);

  switch (prop_id)
    {
    case PROP_KEY:
      quarry_query_filter_set_key (self, g_value_get_boxed (value));
      break;
    case PROP_EXACT:
      quarry_query_filter_set_exact (self, g_value_get_boolean (value));
      break;
    case PROP_QUERY_TYPE:
      quarry_query_filter_set_query_type (self, g_value_get_enum (value));
      break;
    case PROP_STALENESS:
      quarry_query_filter_set_staleness (self, g_value_get_enum (value));
      break;
    case PROP_FETCH_STATUS:
      quarry_query_filter_set_fetch_status (self, g_value_get_enum (value));
      break;
    case PROP_MATCH_FETCH_STATUS:
      if (self->match_fetch_status != !!g_value_get_boolean (value))
        {
          self->match_fetch_status = !!g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_TAG:
      quarry_query_filter_set_tag (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_query_filter_class_init (QuarryQueryFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = quarry_query_filter_finalize;
  object_class->get_property = quarry_query_filter_get_property;
  object_class->set_property = quarry_query_filter_set_property;

  /**
   * QuarryQueryFilter:key:
   *
   * The key entries must match, or `NULL` for every key.
   */
  properties[PROP_KEY] = g_param_spec_boxed ("key", NULL, NULL, QUARRY_TYPE_KEY, flags);

  /**
   * QuarryQueryFilter:exact:
   *
   * Whether the entry's key must equal [property@QueryFilter:key] instead of
   * starting with it.
   */
  properties[PROP_EXACT] = g_param_spec_boolean ("exact", NULL, NULL, FALSE, flags);

  /**
   * QuarryQueryFilter:query-type:
   *
   * Whether active entries, inactive entries or all of them match.
   */
  properties[PROP_QUERY_TYPE] =
    g_param_spec_enum ("query-type", NULL, NULL,
                       QUARRY_TYPE_QUERY_TYPE, QUARRY_QUERY_TYPE_ALL, flags);

  /**
   * QuarryQueryFilter:staleness:
   *
   * Whether stale entries, fresh entries or both match.
   */
  properties[PROP_STALENESS] =
    g_param_spec_enum ("staleness", NULL, NULL,
                       QUARRY_TYPE_STALENESS, QUARRY_STALENESS_ANY, flags);

  /**
   * QuarryQueryFilter:fetch-status:
   *
   * The fetch status entries must have, when
   * [property@QueryFilter:match-fetch-status] is set. Setting it sets that
   * property.
   */
  properties[PROP_FETCH_STATUS] =
    g_param_spec_enum ("fetch-status", NULL, NULL,
                       QUARRY_TYPE_FETCH_STATUS, QUARRY_FETCH_STATUS_IDLE, flags);

  /**
   * QuarryQueryFilter:match-fetch-status:
   *
   * Whether [property@QueryFilter:fetch-status] is a criterion.
   */
  properties[PROP_MATCH_FETCH_STATUS] =
    g_param_spec_boolean ("match-fetch-status", NULL, NULL, FALSE, flags);

  /**
   * QuarryQueryFilter:tag:
   *
   * A tag one of the entry's queries must carry in [property@Query:tags], or
   * `NULL`.
   */
  properties[PROP_TAG] = g_param_spec_string ("tag", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  _quarry_i18n_init ();
}

static void
quarry_query_filter_init (QuarryQueryFilter *self)
{
}

/**
 * quarry_query_filter_new:
 * @key: (nullable): the key entries must start with, or `NULL`
 *
 * Makes a filter that matches the entries whose key starts with @key, or
 * every entry.
 *
 * Returns: (transfer full): a new filter
 */
QuarryQueryFilter *
quarry_query_filter_new (QuarryKey *key)
{
  return g_object_new (QUARRY_TYPE_QUERY_FILTER, "key", key, NULL);
}

/**
 * quarry_query_filter_get_key: (get-property key)
 * @self: a filter
 *
 * Gets the key entries must match.
 *
 * Returns: (nullable) (transfer none): the key
 */
QuarryKey *
quarry_query_filter_get_key (QuarryQueryFilter *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_FILTER (self), NULL);
  return self->key;
}

/**
 * quarry_query_filter_set_key: (set-property key)
 * @self: a filter
 * @key: (nullable): the key, or `NULL`
 *
 * Sets the key entries must match.
 */
void
quarry_query_filter_set_key (QuarryQueryFilter *self,
                             QuarryKey         *key)
{
  g_return_if_fail (QUARRY_IS_QUERY_FILTER (self));

  if (self->key == key)
    return;
  g_clear_pointer (&self->key, quarry_key_unref);
  self->key = key ? quarry_key_ref (key) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
}

/**
 * quarry_query_filter_get_exact: (get-property exact)
 * @self: a filter
 *
 * Gets whether keys must be equal to the filter's key.
 *
 * Returns: `TRUE` for exact matching
 */
gboolean
quarry_query_filter_get_exact (QuarryQueryFilter *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_FILTER (self), FALSE);
  return self->exact;
}

/**
 * quarry_query_filter_set_exact: (set-property exact)
 * @self: a filter
 * @exact: whether keys must be equal
 *
 * Sets whether keys must be equal to the filter's key.
 */
void
quarry_query_filter_set_exact (QuarryQueryFilter *self,
                               gboolean           exact)
{
  g_return_if_fail (QUARRY_IS_QUERY_FILTER (self));

  exact = !!exact;
  if (self->exact == exact)
    return;
  self->exact = exact;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXACT]);
}

/**
 * quarry_query_filter_get_query_type: (get-property query-type)
 * @self: a filter
 *
 * Gets which entries match by activity.
 *
 * Returns: the query type
 */
QuarryQueryType
quarry_query_filter_get_query_type (QuarryQueryFilter *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_FILTER (self), QUARRY_QUERY_TYPE_ALL);
  return self->query_type;
}

/**
 * quarry_query_filter_set_query_type: (set-property query-type)
 * @self: a filter
 * @type: the query type
 *
 * Sets which entries match by activity.
 */
void
quarry_query_filter_set_query_type (QuarryQueryFilter *self,
                                    QuarryQueryType    type)
{
  g_return_if_fail (QUARRY_IS_QUERY_FILTER (self));

  self->query_type_set = TRUE;
  if (self->query_type == type)
    return;
  self->query_type = type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY_TYPE]);
}

/**
 * quarry_query_filter_get_staleness: (get-property staleness)
 * @self: a filter
 *
 * Gets which entries match by staleness.
 *
 * Returns: the staleness
 */
QuarryStaleness
quarry_query_filter_get_staleness (QuarryQueryFilter *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_FILTER (self), QUARRY_STALENESS_ANY);
  return self->staleness;
}

/**
 * quarry_query_filter_set_staleness: (set-property staleness)
 * @self: a filter
 * @staleness: the staleness
 *
 * Sets which entries match by staleness.
 */
void
quarry_query_filter_set_staleness (QuarryQueryFilter *self,
                                   QuarryStaleness    staleness)
{
  g_return_if_fail (QUARRY_IS_QUERY_FILTER (self));

  if (self->staleness == staleness)
    return;
  self->staleness = staleness;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALENESS]);
}

/**
 * quarry_query_filter_get_match_fetch_status: (get-property match-fetch-status)
 * @self: a filter
 *
 * Gets whether the fetch status is a criterion.
 *
 * Returns: `TRUE` if it is
 */
gboolean
quarry_query_filter_get_match_fetch_status (QuarryQueryFilter *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_FILTER (self), FALSE);
  return self->match_fetch_status;
}

/**
 * quarry_query_filter_get_fetch_status: (get-property fetch-status)
 * @self: a filter
 *
 * Gets the fetch status entries must have.
 *
 * Returns: the fetch status
 */
QuarryFetchStatus
quarry_query_filter_get_fetch_status (QuarryQueryFilter *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_FILTER (self), QUARRY_FETCH_STATUS_IDLE);
  return self->fetch_status;
}

/**
 * quarry_query_filter_set_fetch_status: (set-property fetch-status)
 * @self: a filter
 * @fetch_status: the fetch status
 *
 * Makes the fetch status a criterion and sets it.
 */
void
quarry_query_filter_set_fetch_status (QuarryQueryFilter *self,
                                      QuarryFetchStatus  fetch_status)
{
  g_return_if_fail (QUARRY_IS_QUERY_FILTER (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (!self->match_fetch_status)
    {
      self->match_fetch_status = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCH_FETCH_STATUS]);
    }
  if (self->fetch_status != fetch_status)
    {
      self->fetch_status = fetch_status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FETCH_STATUS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * quarry_query_filter_get_tag: (get-property tag)
 * @self: a filter
 *
 * Gets the tag entries must carry.
 *
 * Returns: (nullable): the tag
 */
const char *
quarry_query_filter_get_tag (QuarryQueryFilter *self)
{
  g_return_val_if_fail (QUARRY_IS_QUERY_FILTER (self), NULL);
  return self->tag;
}

/**
 * quarry_query_filter_set_tag: (set-property tag)
 * @self: a filter
 * @tag: (nullable): the tag, or `NULL`
 *
 * Sets the tag entries must carry: one of their queries lists it in
 * [property@Query:tags].
 */
void
quarry_query_filter_set_tag (QuarryQueryFilter *self,
                             const char        *tag)
{
  g_return_if_fail (QUARRY_IS_QUERY_FILTER (self));

  if (g_strcmp0 (self->tag, tag) == 0)
    return;
  g_free (self->tag);
  self->tag = g_strdup (tag);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAG]);
}

/**
 * quarry_query_filter_set_predicate:
 * @self: a filter
 * @predicate: (nullable) (scope notified) (closure user_data) (destroy destroy):
 *   the predicate, or `NULL`
 * @user_data: data for @predicate
 * @destroy: (nullable): frees @user_data
 *
 * Sets a predicate that decides last whether an entry matches.
 */
void
quarry_query_filter_set_predicate (QuarryQueryFilter    *self,
                                   QuarryQueryPredicate  predicate,
                                   gpointer              user_data,
                                   GDestroyNotify        destroy)
{
  g_return_if_fail (QUARRY_IS_QUERY_FILTER (self));

  clear_predicate (self);
  self->predicate = predicate;
  self->predicate_data = user_data;
  self->predicate_destroy = destroy;
}

gboolean
_quarry_query_filter_get_type_is_set (QuarryQueryFilter *self)
{
  return self->query_type_set;
}

gboolean
_quarry_query_filter_has_predicate (QuarryQueryFilter *self)
{
  return self->predicate != NULL;
}

gboolean
_quarry_query_filter_run_predicate (QuarryQueryFilter     *self,
                                    QuarryKey             *key,
                                    const QuarryStateData *state)
{
  g_autoptr(QuarryQueryState) snapshot = NULL;

  if (self->predicate == NULL)
    return TRUE;

  snapshot = _quarry_query_state_new (state);
  return self->predicate (key, snapshot, self->predicate_data);
}
