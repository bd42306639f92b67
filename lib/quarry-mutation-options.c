/* quarry-mutation-options.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "quarry-enums.h"
#include "quarry-mutation-options-private.h"

/**
 * QuarryMutationOptions:
 *
 * How mutations run: their function, retries, network mode, scope,
 * optimistic updates and the keys they invalidate.
 *
 * Only the options that were set count. The client's
 * [method@QueryClient.get_default_mutation_options] apply to every
 * mutation, options registered with
 * [method@QueryClient.set_mutation_defaults] to the mutations whose key
 * they match, and a [class@Mutation]'s own [method@Mutation.get_options]
 * win over both. Registering the mutation function as a default lets a
 * paused mutation run without the code that started it.
 *
 * The declarative part follows TanStack's `mutationOptions` pattern:
 * [method@MutationOptions.add_optimistic_update] applies updates to the
 * cache before the mutation function runs, rolls them back when the run
 * fails and confirms them with the server's answer when it succeeds;
 * [method@MutationOptions.add_invalidate_key] invalidates queries once the
 * run settled, either way.
 *
 * ```c
 * QuarryMutationOptions *options = quarry_mutation_get_options (mutation);
 * g_object_set (options, "retry", 3, "scope-id", "todos", NULL);
 * ```
 */

struct _QuarryMutationOptions
{
  GObject parent_instance;

  QuarryClosure *mutation_func;
  QuarryClosure *retry_func;
  QuarryClosure *retry_delay_func;
  GPtrArray *optimistic_updates;
  GPtrArray *invalidate_keys;
  GVariant *meta;
  char *scope_id;
  gint64 retry_delay;
  gint64 gc_time;
  gint retry;
  QuarryNetworkMode network_mode;
  guint set_mask;
};

enum {
  PROP_0,
  PROP_RETRY,
  PROP_RETRY_DELAY,
  PROP_NETWORK_MODE,
  PROP_GC_TIME,
  PROP_SCOPE_ID,
  PROP_META,
  N_PROPS
};

/* Bits of set_mask beyond the properties. */
enum {
  SET_MUTATION_FUNC = N_PROPS,
  SET_RETRY_FUNC,
  SET_RETRY_DELAY_FUNC,
  SET_OPTIMISTIC_UPDATES,
  SET_INVALIDATE_KEYS,
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (QuarryMutationOptions, quarry_mutation_options, G_TYPE_OBJECT)

#define IS_SET(self, bit) (((self)->set_mask & (1u << (bit))) != 0)

static void
quarry_mutation_options_finalize (GObject *object)
{
  QuarryMutationOptions *self = (QuarryMutationOptions *)object;

  g_clear_pointer (&self->mutation_func, _quarry_closure_unref);
  g_clear_pointer (&self->retry_func, _quarry_closure_unref);
  g_clear_pointer (&self->retry_delay_func, _quarry_closure_unref);
  g_clear_pointer (&self->optimistic_updates, g_ptr_array_unref);
  g_clear_pointer (&self->invalidate_keys, g_ptr_array_unref);
  g_clear_pointer (&self->meta, g_variant_unref);
  g_clear_pointer (&self->scope_id, g_free);

  G_OBJECT_CLASS (quarry_mutation_options_parent_class)->finalize (object);
}

static void
quarry_mutation_options_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  QuarryMutationOptions *self = QUARRY_MUTATION_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_RETRY:
      g_value_set_int (value, self->retry);
      break;
    case PROP_RETRY_DELAY:
      g_value_set_int64 (value, self->retry_delay);
      break;
    case PROP_NETWORK_MODE:
      g_value_set_enum (value, self->network_mode);
      break;
    case PROP_GC_TIME:
      g_value_set_int64 (value, self->gc_time);
      break;
    case PROP_SCOPE_ID:
      g_value_set_string (value, self->scope_id);
      break;
    case PROP_META:
      g_value_set_variant (value, self->meta);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_mutation_options_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  QuarryMutationOptions *self = QUARRY_MUTATION_OPTIONS (object);
  gboolean changed = FALSE;

  switch (prop_id)
    {
    case PROP_RETRY:
      changed = self->retry != g_value_get_int (value);
      self->retry = g_value_get_int (value);
      break;
    case PROP_RETRY_DELAY:
      changed = self->retry_delay != g_value_get_int64 (value);
      self->retry_delay = g_value_get_int64 (value);
      break;
    case PROP_NETWORK_MODE:
      changed = self->network_mode != (QuarryNetworkMode) g_value_get_enum (value);
      self->network_mode = g_value_get_enum (value);
      break;
    case PROP_GC_TIME:
      changed = self->gc_time != g_value_get_int64 (value);
      self->gc_time = g_value_get_int64 (value);
      break;
    case PROP_SCOPE_ID:
      changed = g_strcmp0 (self->scope_id, g_value_get_string (value)) != 0;
      g_free (self->scope_id);
      self->scope_id = g_value_dup_string (value);
      break;
    case PROP_META:
      {
        GVariant *meta = g_value_get_variant (value);

        changed = !(self->meta == meta || (self->meta && meta && g_variant_equal (self->meta, meta)));
        g_clear_pointer (&self->meta, g_variant_unref);
        self->meta = meta ? g_variant_ref_sink (meta) : NULL;
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  /* Setting a property marks it set, even to the value it had. */
  self->set_mask |= 1u << prop_id;
  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

static void
quarry_mutation_options_class_init (QuarryMutationOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = quarry_mutation_options_finalize;
  object_class->get_property = quarry_mutation_options_get_property;
  object_class->set_property = quarry_mutation_options_set_property;

  /**
   * QuarryMutationOptions:retry:
   *
   * How many times a failed attempt is retried, or
   * [const@Quarry.RETRY_INFINITE]. Mutations do not retry by default.
   */
  properties[PROP_RETRY] =
    g_param_spec_int ("retry", NULL, NULL, QUARRY_RETRY_INFINITE, G_MAXINT, 0, rw);

  /**
   * QuarryMutationOptions:retry-delay:
   *
   * The delay before a retry, in milliseconds, or
   * [const@Quarry.RETRY_DELAY_DEFAULT] for the exponential back-off.
   */
  properties[PROP_RETRY_DELAY] =
    g_param_spec_int64 ("retry-delay", NULL, NULL, QUARRY_RETRY_DELAY_DEFAULT, G_MAXINT64,
                        QUARRY_RETRY_DELAY_DEFAULT, rw);

  /**
   * QuarryMutationOptions:network-mode:
   *
   * How runs react to the client's [property@QueryClient:online] state. In
   * the default mode, `ONLINE`, a mutation started offline is paused until
   * the client is online again.
   */
  properties[PROP_NETWORK_MODE] =
    g_param_spec_enum ("network-mode", NULL, NULL, QUARRY_TYPE_NETWORK_MODE,
                       QUARRY_NETWORK_MODE_ONLINE, rw);

  /**
   * QuarryMutationOptions:gc-time:
   *
   * How long a settled run stays listed by the client once no
   * [class@Mutation] shows it, in milliseconds.
   */
  properties[PROP_GC_TIME] =
    g_param_spec_int64 ("gc-time", NULL, NULL, 0, G_MAXINT64, 5 * 60 * 1000, rw);

  /**
   * QuarryMutationOptions:scope-id:
   *
   * The scope of the runs: runs with the same scope run one after another,
   * in the order they were started; the others run in parallel.
   */
  properties[PROP_SCOPE_ID] = g_param_spec_string ("scope-id", NULL, NULL, NULL, rw);

  /**
   * QuarryMutationOptions:meta:
   *
   * Free-form data given to the mutation function through
   * [method@FetchContext.get_meta].
   */
  properties[PROP_META] =
    g_param_spec_variant ("meta", NULL, NULL, G_VARIANT_TYPE_ANY, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quarry_mutation_options_init (QuarryMutationOptions *self)
{
  self->retry_delay = QUARRY_RETRY_DELAY_DEFAULT;
  self->gc_time = 5 * 60 * 1000;
  self->network_mode = QUARRY_NETWORK_MODE_ONLINE;
}

/**
 * quarry_mutation_options_new:
 *
 * Creates a set of mutation options with nothing set.
 *
 * Returns: (transfer full): the options
 */
QuarryMutationOptions *
quarry_mutation_options_new (void)
{
  return g_object_new (QUARRY_TYPE_MUTATION_OPTIONS, NULL);
}

static int
bit_for_name (const char *name)
{
  static const char * const extra[] = {
    "mutation-func", "retry-func", "retry-delay-func", "optimistic-updates", "invalidate-keys",
  };
  GParamSpec *pspec;

  pspec = g_object_class_find_property (g_type_class_peek (QUARRY_TYPE_MUTATION_OPTIONS), name);
  if (pspec != NULL)
    {
      for (guint i = 1; i < N_PROPS; i++)
        if (properties[i] == pspec)
          return i;
    }

  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    if (g_str_equal (name, extra[i]))
      return SET_MUTATION_FUNC + i;

  return -1;
}

/**
 * quarry_mutation_options_is_set:
 * @self: options
 * @name: a property name, or one of `mutation-func`, `retry-func`,
 *   `retry-delay-func`, `optimistic-updates` and `invalidate-keys`
 *
 * Gets whether an option was set, so that it overrides the defaults.
 *
 * Returns: `TRUE` if it was set
 */
gboolean
quarry_mutation_options_is_set (QuarryMutationOptions *self,
                                const char            *name)
{
  int bit;

  g_return_val_if_fail (QUARRY_IS_MUTATION_OPTIONS (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  bit = bit_for_name (name);
  g_return_val_if_fail (bit >= 0, FALSE);

  return IS_SET (self, bit);
}

/**
 * quarry_mutation_options_unset:
 * @self: options
 * @name: an option name, as for [method@MutationOptions.is_set]
 *
 * Forgets an option, so that the defaults apply again.
 */
void
quarry_mutation_options_unset (QuarryMutationOptions *self,
                               const char            *name)
{
  int bit;

  g_return_if_fail (QUARRY_IS_MUTATION_OPTIONS (self));
  g_return_if_fail (name != NULL);

  bit = bit_for_name (name);
  g_return_if_fail (bit >= 0);

  switch (bit)
    {
    case SET_MUTATION_FUNC:
      g_clear_pointer (&self->mutation_func, _quarry_closure_unref);
      break;
    case SET_RETRY_FUNC:
      g_clear_pointer (&self->retry_func, _quarry_closure_unref);
      break;
    case SET_RETRY_DELAY_FUNC:
      g_clear_pointer (&self->retry_delay_func, _quarry_closure_unref);
      break;
    case SET_OPTIMISTIC_UPDATES:
      g_clear_pointer (&self->optimistic_updates, g_ptr_array_unref);
      break;
    case SET_INVALIDATE_KEYS:
      g_clear_pointer (&self->invalidate_keys, g_ptr_array_unref);
      break;
    default:
      {
        GValue value = G_VALUE_INIT;

        g_value_init (&value, properties[bit]->value_type);
        g_param_value_set_default (properties[bit], &value);
        g_object_set_property (G_OBJECT (self), properties[bit]->name, &value);
        g_value_unset (&value);
      }
    }

  self->set_mask &= ~(1u << bit);
}

static void
set_closure (QuarryMutationOptions  *self,
             QuarryClosure         **slot,
             guint                   bit,
             gpointer                func,
             gpointer                user_data,
             GDestroyNotify          destroy)
{
  g_clear_pointer (slot, _quarry_closure_unref);
  if (func != NULL)
    {
      *slot = _quarry_closure_new (func, user_data, destroy);
      self->set_mask |= 1u << bit;
    }
  else
    {
      if (destroy != NULL)
        destroy (user_data);
      self->set_mask &= ~(1u << bit);
    }
}

/**
 * quarry_mutation_options_set_mutation_func:
 * @self: options
 * @mutation_func: (nullable) (scope notified) (closure user_data) (destroy destroy): the mutation function
 * @user_data: data for @mutation_func
 * @destroy: (nullable): frees @user_data
 *
 * Sets the function that performs the mutation.
 */
void
quarry_mutation_options_set_mutation_func (QuarryMutationOptions *self,
                                           QuarryMutationFunc     mutation_func,
                                           gpointer               user_data,
                                           GDestroyNotify         destroy)
{
  g_return_if_fail (QUARRY_IS_MUTATION_OPTIONS (self));
  set_closure (self, &self->mutation_func, SET_MUTATION_FUNC, mutation_func, user_data, destroy);
}

/**
 * quarry_mutation_options_set_retry_func:
 * @self: options
 * @retry_func: (nullable) (scope notified) (closure user_data) (destroy destroy): decides whether to retry
 * @user_data: data for @retry_func
 * @destroy: (nullable): frees @user_data
 *
 * Sets a function that decides whether a failed attempt is retried, instead
 * of [property@MutationOptions:retry].
 */
void
quarry_mutation_options_set_retry_func (QuarryMutationOptions *self,
                                        QuarryRetryFunc        retry_func,
                                        gpointer               user_data,
                                        GDestroyNotify         destroy)
{
  g_return_if_fail (QUARRY_IS_MUTATION_OPTIONS (self));
  set_closure (self, &self->retry_func, SET_RETRY_FUNC, retry_func, user_data, destroy);
}

/**
 * quarry_mutation_options_set_retry_delay_func:
 * @self: options
 * @retry_delay_func: (nullable) (scope notified) (closure user_data) (destroy destroy): computes the delay
 * @user_data: data for @retry_delay_func
 * @destroy: (nullable): frees @user_data
 *
 * Sets a function that computes the delay before a retry, instead of
 * [property@MutationOptions:retry-delay].
 */
void
quarry_mutation_options_set_retry_delay_func (QuarryMutationOptions *self,
                                              QuarryRetryDelayFunc   retry_delay_func,
                                              gpointer               user_data,
                                              GDestroyNotify         destroy)
{
  g_return_if_fail (QUARRY_IS_MUTATION_OPTIONS (self));
  set_closure (self, &self->retry_delay_func, SET_RETRY_DELAY_FUNC,
               retry_delay_func, user_data, destroy);
}

/**
 * quarry_mutation_options_add_optimistic_update:
 * @self: options
 * @update: an optimistic update
 *
 * Adds an update applied to the cache before the mutation function runs.
 *
 * It is applied with the run's variables, rolled back if the run fails, and
 * confirmed with what the mutation function returned if it succeeds. The
 * updates of the most specific options that have any are used: a
 * mutation's own updates replace those of its defaults.
 */
void
quarry_mutation_options_add_optimistic_update (QuarryMutationOptions  *self,
                                               QuarryOptimisticUpdate *update)
{
  g_return_if_fail (QUARRY_IS_MUTATION_OPTIONS (self));
  g_return_if_fail (QUARRY_IS_OPTIMISTIC_UPDATE (update));

  if (self->optimistic_updates == NULL)
    self->optimistic_updates = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->optimistic_updates, g_object_ref (update));
  self->set_mask |= 1u << SET_OPTIMISTIC_UPDATES;
}

/**
 * quarry_mutation_options_add_invalidate_key:
 * @self: options
 * @key: a key prefix
 *
 * Adds a key whose queries are invalidated when a run settles, after its
 * handlers ran, whether it succeeded or failed. Matching queries that are
 * active refetch, as with [method@QueryClient.invalidate_queries].
 */
void
quarry_mutation_options_add_invalidate_key (QuarryMutationOptions *self,
                                            QuarryKey             *key)
{
  g_return_if_fail (QUARRY_IS_MUTATION_OPTIONS (self));
  g_return_if_fail (key != NULL);

  if (self->invalidate_keys == NULL)
    self->invalidate_keys = g_ptr_array_new_with_free_func ((GDestroyNotify) quarry_key_unref);
  g_ptr_array_add (self->invalidate_keys, quarry_key_ref (key));
  self->set_mask |= 1u << SET_INVALIDATE_KEYS;
}

void
_quarry_mutation_config_init (QuarryMutationConfig *config)
{
  memset (config, 0, sizeof *config);
  _quarry_fetch_options_init (&config->fetch);
  config->fetch.retry = 0;
}

static void
replace_closure (QuarryClosure **slot,
                 QuarryClosure  *closure)
{
  g_clear_pointer (slot, _quarry_closure_unref);
  *slot = closure ? _quarry_closure_ref (closure) : NULL;
}

static gpointer
copy_object (gconstpointer src,
             gpointer      data)
{
  return g_object_ref ((gpointer) src);
}

static gpointer
copy_key (gconstpointer src,
          gpointer      data)
{
  return quarry_key_ref ((QuarryKey *) src);
}

void
_quarry_mutation_config_merge (QuarryMutationConfig  *config,
                               QuarryMutationOptions *options)
{
  if (options == NULL)
    return;

  if (IS_SET (options, PROP_RETRY))
    config->fetch.retry = options->retry;
  if (IS_SET (options, PROP_RETRY_DELAY))
    config->fetch.retry_delay = options->retry_delay;
  if (IS_SET (options, PROP_NETWORK_MODE))
    config->fetch.network_mode = options->network_mode;
  if (IS_SET (options, PROP_GC_TIME))
    config->fetch.gc_time = options->gc_time;
  if (IS_SET (options, PROP_SCOPE_ID))
    {
      g_free (config->scope_id);
      config->scope_id = g_strdup (options->scope_id);
    }
  if (IS_SET (options, PROP_META))
    {
      g_clear_pointer (&config->fetch.meta, g_variant_unref);
      config->fetch.meta = options->meta ? g_variant_ref (options->meta) : NULL;
    }
  if (IS_SET (options, SET_MUTATION_FUNC))
    replace_closure (&config->fetch.fetcher, options->mutation_func);
  if (IS_SET (options, SET_RETRY_FUNC))
    replace_closure (&config->fetch.retry_func, options->retry_func);
  if (IS_SET (options, SET_RETRY_DELAY_FUNC))
    replace_closure (&config->fetch.retry_delay_func, options->retry_delay_func);
  if (IS_SET (options, SET_OPTIMISTIC_UPDATES))
    {
      g_clear_pointer (&config->optimistic_updates, g_ptr_array_unref);
      config->optimistic_updates = g_ptr_array_copy (options->optimistic_updates, copy_object, NULL);
      g_ptr_array_set_free_func (config->optimistic_updates, g_object_unref);
    }
  if (IS_SET (options, SET_INVALIDATE_KEYS))
    {
      g_clear_pointer (&config->invalidate_keys, g_ptr_array_unref);
      config->invalidate_keys = g_ptr_array_copy (options->invalidate_keys, copy_key, NULL);
      g_ptr_array_set_free_func (config->invalidate_keys, (GDestroyNotify) quarry_key_unref);
    }
}

void
_quarry_mutation_config_clear (QuarryMutationConfig *config)
{
  _quarry_fetch_options_clear (&config->fetch);
  g_clear_pointer (&config->scope_id, g_free);
  g_clear_pointer (&config->optimistic_updates, g_ptr_array_unref);
  g_clear_pointer (&config->invalidate_keys, g_ptr_array_unref);
}
