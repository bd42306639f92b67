/* quarry-mutation-filter.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-enums.h"
#include "quarry-mutation-filter-private.h"

/**
 * QuarryMutationFilter:
 *
 * Selects mutation runs for [method@QueryClient.count_mutating] and
 * [method@QueryClient.find_mutations].
 *
 * Every criterion that is set must hold (TanStack's `MutationFilters`):
 *
 * - [property@MutationFilter:key]: the run's mutation key matches it as a
 *   prefix, with partial object matching, or equals it with
 *   [property@MutationFilter:exact]; a run without a mutation key never
 *   matches a key;
 * - [property@MutationFilter:status], once it was set;
 * - a [callback@MutationPredicate], run last.
 *
 * ```python
 * pending = Quarry.MutationFilter(key=key, status=Quarry.MutationStatus.PENDING)
 * variables = [s.get_variables() for s in client.find_mutations(pending)]
 * ```
 */

struct _QuarryMutationFilter
{
  GObject parent_instance;

  QuarryKey *key;
  QuarryMutationPredicate predicate;
  gpointer predicate_data;
  GDestroyNotify predicate_destroy;
  QuarryMutationStatus status;
  guint exact : 1;
  guint match_status : 1;
};

enum {
  PROP_0,
  PROP_KEY,
  PROP_EXACT,
  PROP_STATUS,
  PROP_MATCH_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (QuarryMutationFilter, quarry_mutation_filter, G_TYPE_OBJECT)

static void
clear_predicate (QuarryMutationFilter *self)
{
  if (self->predicate_destroy != NULL)
    self->predicate_destroy (self->predicate_data);
  self->predicate = NULL;
  self->predicate_data = NULL;
  self->predicate_destroy = NULL;
}

static void
quarry_mutation_filter_finalize (GObject *object)
{
  QuarryMutationFilter *self = (QuarryMutationFilter *)object;

  clear_predicate (self);
  g_clear_pointer (&self->key, quarry_key_unref);

  G_OBJECT_CLASS (quarry_mutation_filter_parent_class)->finalize (object);
}

static void
quarry_mutation_filter_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  QuarryMutationFilter *self = QUARRY_MUTATION_FILTER (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_boxed (value, quarry_mutation_filter_get_key (self));
      break;
    case PROP_EXACT:
      g_value_set_boolean (value, quarry_mutation_filter_get_exact (self));
      break;
    case PROP_STATUS:
      g_value_set_enum (value, quarry_mutation_filter_get_status (self));
      break;
    case PROP_MATCH_STATUS:
      g_value_set_boolean (value, quarry_mutation_filter_get_match_status (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_mutation_filter_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  QuarryMutationFilter *self = QUARRY_MUTATION_FILTER (object);

  switch (prop_id)
    {
    case PROP_KEY:
      quarry_mutation_filter_set_key (self, g_value_get_boxed (value));
      break;
    case PROP_EXACT:
      quarry_mutation_filter_set_exact (self, g_value_get_boolean (value));
      break;
    case PROP_STATUS:
      quarry_mutation_filter_set_status (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_mutation_filter_class_init (QuarryMutationFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = quarry_mutation_filter_finalize;
  object_class->get_property = quarry_mutation_filter_get_property;
  object_class->set_property = quarry_mutation_filter_set_property;

  /**
   * QuarryMutationFilter:key: (getter get_key) (setter set_key)
   *
   * The mutation key runs must match, or `NULL` for any run.
   */
  properties[PROP_KEY] = g_param_spec_boxed ("key", NULL, NULL, QUARRY_TYPE_KEY, rw);

  /**
   * QuarryMutationFilter:exact: (getter get_exact) (setter set_exact)
   *
   * Whether [property@MutationFilter:key] must equal the mutation key
   * instead of being a prefix of it.
   */
  properties[PROP_EXACT] = g_param_spec_boolean ("exact", NULL, NULL, FALSE, rw);

  /**
   * QuarryMutationFilter:status: (getter get_status) (setter set_status)
   *
   * The status runs must have, once it was set.
   */
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, QUARRY_TYPE_MUTATION_STATUS,
                       QUARRY_MUTATION_STATUS_IDLE, rw);

  /**
   * QuarryMutationFilter:match-status: (getter get_match_status)
   *
   * Whether [property@MutationFilter:status] was set and counts.
   */
  properties[PROP_MATCH_STATUS] =
    g_param_spec_boolean ("match-status", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quarry_mutation_filter_init (QuarryMutationFilter *self)
{
}

/**
 * quarry_mutation_filter_new:
 * @key: (nullable): the mutation key runs must match, or `NULL`
 *
 * Creates a filter on a mutation key.
 *
 * Returns: (transfer full): a new filter
 */
QuarryMutationFilter *
quarry_mutation_filter_new (QuarryKey *key)
{
  return g_object_new (QUARRY_TYPE_MUTATION_FILTER, "key", key, NULL);
}

/**
 * quarry_mutation_filter_get_key: (get-property key)
 * @self: a filter
 *
 * Gets the mutation key runs must match.
 *
 * Returns: (transfer none) (nullable): the key
 */
QuarryKey *
quarry_mutation_filter_get_key (QuarryMutationFilter *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION_FILTER (self), NULL);
  return self->key;
}

/**
 * quarry_mutation_filter_set_key: (set-property key)
 * @self: a filter
 * @key: (nullable): the key, or `NULL`
 *
 * Sets the mutation key runs must match.
 */
void
quarry_mutation_filter_set_key (QuarryMutationFilter *self,
                                QuarryKey            *key)
{
  g_return_if_fail (QUARRY_IS_MUTATION_FILTER (self));

  if (self->key == key || (self->key && key && quarry_key_equal (self->key, key)))
    return;

  g_clear_pointer (&self->key, quarry_key_unref);
  self->key = key ? quarry_key_ref (key) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
}

/**
 * quarry_mutation_filter_get_exact: (get-property exact)
 * @self: a filter
 *
 * Gets whether the key must match exactly.
 *
 * Returns: `TRUE` for an exact match
 */
gboolean
quarry_mutation_filter_get_exact (QuarryMutationFilter *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION_FILTER (self), FALSE);
  return self->exact;
}

/**
 * quarry_mutation_filter_set_exact: (set-property exact)
 * @self: a filter
 * @exact: whether the key must match exactly
 *
 * Sets whether the key must equal the mutation key.
 */
void
quarry_mutation_filter_set_exact (QuarryMutationFilter *self,
                                  gboolean              exact)
{
  g_return_if_fail (QUARRY_IS_MUTATION_FILTER (self));

  exact = !!exact;
  if (self->exact == exact)
    return;

  self->exact = exact;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXACT]);
}

/**
 * quarry_mutation_filter_get_match_status: (get-property match-status)
 * @self: a filter
 *
 * Gets whether the filter matches on the status.
 *
 * Returns: `TRUE` once a status was set
 */
gboolean
quarry_mutation_filter_get_match_status (QuarryMutationFilter *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION_FILTER (self), FALSE);
  return self->match_status;
}

/**
 * quarry_mutation_filter_get_status: (get-property status)
 * @self: a filter
 *
 * Gets the status runs must have.
 *
 * Returns: the status
 */
QuarryMutationStatus
quarry_mutation_filter_get_status (QuarryMutationFilter *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION_FILTER (self), QUARRY_MUTATION_STATUS_IDLE);
  return self->status;
}

/**
 * quarry_mutation_filter_set_status: (set-property status)
 * @self: a filter
 * @status: the status
 *
 * Makes the filter match only runs with @status.
 */
void
quarry_mutation_filter_set_status (QuarryMutationFilter *self,
                                   QuarryMutationStatus  status)
{
  g_return_if_fail (QUARRY_IS_MUTATION_FILTER (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (!self->match_status)
    {
      self->match_status = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCH_STATUS]);
    }
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * quarry_mutation_filter_set_predicate:
 * @self: a filter
 * @predicate: (nullable) (scope notified) (closure user_data) (destroy destroy): the predicate
 * @user_data: data for @predicate
 * @destroy: (nullable): frees @user_data
 *
 * Sets a predicate that runs after every other criterion matched.
 */
void
quarry_mutation_filter_set_predicate (QuarryMutationFilter    *self,
                                      QuarryMutationPredicate  predicate,
                                      gpointer                 user_data,
                                      GDestroyNotify           destroy)
{
  g_return_if_fail (QUARRY_IS_MUTATION_FILTER (self));

  clear_predicate (self);
  self->predicate = predicate;
  self->predicate_data = user_data;
  self->predicate_destroy = destroy;
}

gboolean
_quarry_mutation_filter_matches (QuarryMutationFilter          *self,
                                 guint64                        mutation_id,
                                 QuarryKey                     *mutation_key,
                                 const char                    *scope_id,
                                 const QuarryMutationStateData *state)
{
  g_autoptr(QuarryMutationState) snapshot = NULL;

  if (self == NULL)
    return TRUE;

  if (self->key != NULL)
    {
      if (mutation_key == NULL)
        return FALSE;
      if (self->exact ? !quarry_key_equal (mutation_key, self->key)
                      : !quarry_key_matches (mutation_key, self->key, FALSE))
        return FALSE;
    }

  if (self->match_status && state->status != self->status)
    return FALSE;

  if (self->predicate == NULL)
    return TRUE;

  snapshot = _quarry_mutation_state_new (mutation_id, mutation_key, scope_id, state);
  return self->predicate (snapshot, self->predicate_data);
}
