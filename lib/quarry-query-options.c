/* quarry-query-options.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-enums.h"
#include "quarry-i18n-private.h"
#include "quarry-query-options-private.h"

/**
 * QuarryQueryOptions:
 *
 * A set of query options, used as defaults.
 *
 * Only the options that were set count: the client's
 * [method@QueryClient.get_default_options] apply to every query, options
 * registered with [method@QueryClient.set_query_defaults] to the queries
 * whose key they match, and what is set on a [class@Query] itself wins over
 * both.
 *
 * ```c
 * QuarryQueryOptions *defaults = quarry_query_client_get_default_options (client);
 * g_object_set (defaults, "stale-time", (gint64) 60000, "retry", 1, NULL);
 * ```
 *
 * ```python
 * client.get_default_options().props.stale_time = 60000
 * ```
 */

struct _QuarryQueryOptions
{
  GObject parent_instance;

  QuarryOptionValues values;
};

enum {
  PROP_0,
  PROP_FIRST_OPTION,
  N_PROPS = PROP_FIRST_OPTION + QUARRY_N_OPTIONS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (QuarryQueryOptions, quarry_query_options, G_TYPE_OBJECT)

static void
quarry_query_options_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  QuarryQueryOptions *self = QUARRY_QUERY_OPTIONS (object);

  if (prop_id >= PROP_FIRST_OPTION && prop_id < N_PROPS)
    _quarry_option_values_get (&self->values, prop_id - PROP_FIRST_OPTION, value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
quarry_query_options_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  QuarryQueryOptions *self = QUARRY_QUERY_OPTIONS (object);

  if (prop_id >= PROP_FIRST_OPTION && prop_id < N_PROPS)
    {
      if (_quarry_option_values_set (&self->values, prop_id - PROP_FIRST_OPTION, value))
        g_object_notify_by_pspec (object, pspec);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
quarry_query_options_class_init (QuarryQueryOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = quarry_query_options_get_property;
  object_class->set_property = quarry_query_options_set_property;

  _quarry_option_values_install (object_class, PROP_FIRST_OPTION, &properties[PROP_FIRST_OPTION]);

  _quarry_i18n_init ();
}

static void
quarry_query_options_init (QuarryQueryOptions *self)
{
  _quarry_option_values_init (&self->values);
}

/**
 * quarry_query_options_new:
 *
 * Makes a set of options in which nothing is set.
 *
 * Returns: (transfer full): new options
 */
QuarryQueryOptions *
quarry_query_options_new (void)
{
  return g_object_new (QUARRY_TYPE_QUERY_OPTIONS, NULL);
}

/**
 * quarry_query_options_is_set:
 * @self: options
 * @name: the name of an option property, such as `"stale-time"`
 *
 * Gets whether an option was set, and so counts as a default.
 *
 * Returns: `TRUE` if the option was set
 */
gboolean
quarry_query_options_is_set (QuarryQueryOptions *self,
                             const char         *name)
{
  int id;

  g_return_val_if_fail (QUARRY_IS_QUERY_OPTIONS (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  id = _quarry_option_lookup (name);
  g_return_val_if_fail (id >= 0, FALSE);

  return (self->values.set_mask & (1u << id)) != 0;
}

/**
 * quarry_query_options_unset:
 * @self: options
 * @name: the name of an option property, such as `"stale-time"`
 *
 * Forgets an option, which then no longer counts as a default.
 */
void
quarry_query_options_unset (QuarryQueryOptions *self,
                            const char         *name)
{
  QuarryOptionValues defaults;
  GValue value = G_VALUE_INIT;
  int id;

  g_return_if_fail (QUARRY_IS_QUERY_OPTIONS (self));
  g_return_if_fail (name != NULL);

  id = _quarry_option_lookup (name);
  g_return_if_fail (id >= 0);

  if (!(self->values.set_mask & (1u << id)))
    return;

  _quarry_option_values_init (&defaults);
  g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (properties[PROP_FIRST_OPTION + id]));
  _quarry_option_values_get (&defaults, id, &value);
  _quarry_option_values_set (&self->values, id, &value);
  g_value_unset (&value);
  self->values.set_mask &= ~(1u << id);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_OPTION + id]);
}

const QuarryOptionValues *
_quarry_query_options_get_values (QuarryQueryOptions *self)
{
  return &self->values;
}
