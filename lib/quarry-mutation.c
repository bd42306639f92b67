/* quarry-mutation.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-enums.h"
#include "quarry-error.h"
#include "quarry-i18n-private.h"
#include "quarry-mutation-private.h"
#include "quarry-value-private.h"

/**
 * QuarryMutation:
 *
 * Creates, updates or deletes server data, TanStack Query's `useMutation`.
 *
 * A mutation has a mutation function ([callback@MutationFunc]) and options
 * ([method@Mutation.get_options]). Each call to [method@Mutation.mutate] or
 * [method@Mutation.mutate_async] starts a *run* of the function with the
 * given variables; the mutation's state properties
 * ([property@Mutation:status], [property@Mutation:data],
 * [property@Mutation:error], [property@Mutation:variables], …) show the
 * latest run, until [method@Mutation.reset].
 *
 * A run goes through TanStack's lifecycle, as signals:
 *
 * 1. [signal@Mutation::mutate], before the function runs, even when the
 *    run is paused; its handler may return a context for the other
 *    handlers, such as what to roll back;
 * 2. the function, retried as [property@MutationOptions:retry] says
 *    (mutations do not retry by default);
 * 3. [signal@Mutation::success] or [signal@Mutation::error], then
 *    [signal@Mutation::settled];
 * 4. only then does the status become `SUCCESS` or `ERROR`, and the
 *    per-call callback of the latest [method@Mutation.mutate] call runs,
 *    then the [method@Mutation.mutate_async] callbacks.
 *
 * Runs live in the client: a run continues when the mutation that started
 * it is dropped, and the client lists them
 * ([method@QueryClient.find_mutations], [property@QueryClient:is-mutating]).
 * Runs with the same [property@MutationOptions:scope-id] run one after
 * another in submission order. A run started while the client is offline
 * is paused (`PENDING` and [property@Mutation:is-paused]) and continues
 * when the client is online again.
 *
 * ```c
 * static void
 * add_todo (QuarryFetchContext *context,
 *           const GValue       *variables,
 *           gpointer            user_data)
 * {
 *   // send g_value_get_boxed (variables) to the server, then:
 *   quarry_fetch_context_return_json (context, created_todo);
 * }
 *
 * mutation = quarry_mutation_new (client, NULL, add_todo, NULL, NULL);
 * quarry_mutation_options_add_invalidate_key (quarry_mutation_get_options (mutation), todos_key);
 * quarry_mutation_mutate (mutation, &variables, NULL, NULL, NULL);
 * ```
 */

struct _QuarryMutation
{
  GObject parent_instance;

  QuarryQueryClient *client;     /* NULL once disposed */
  QuarryKey *mutation_key;
  QuarryMutationOptions *options;
  QuarryMutationRun *current;    /* the run the state shows */
  GPtrArray *runs;               /* pending runs it started, for its signals */
  QuarryMutateCallback callback; /* of the latest mutate () */
  gpointer callback_data;
  GDestroyNotify callback_destroy;
  QuarryMutationStateData idle;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_MUTATION_KEY,
  PROP_OPTIONS,
  PROP_STATUS,
  PROP_DATA,
  PROP_ERROR,
  PROP_VARIABLES,
  PROP_CONTEXT,
  PROP_FAILURE_COUNT,
  PROP_FAILURE_REASON,
  PROP_IS_PAUSED,
  PROP_SUBMITTED_AT,
  PROP_IS_IDLE,
  PROP_IS_PENDING,
  PROP_IS_SUCCESS,
  PROP_IS_ERROR,
  N_PROPS
};

enum {
  SIGNAL_MUTATE,
  SIGNAL_SUCCESS,
  SIGNAL_ERROR,
  SIGNAL_SETTLED,
  SIGNAL_STATE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (QuarryMutation, quarry_mutation, G_TYPE_OBJECT)

static const QuarryMutationStateData *
state_of (QuarryMutation *self)
{
  return self->current ? &self->current->state : &self->idle;
}

static const GValue *
value_or_null (const GValue *value)
{
  return _quarry_value_is_set (value) ? value : NULL;
}

static void
clear_callback (QuarryMutation *self)
{
  GDestroyNotify destroy = self->callback_destroy;
  gpointer data = self->callback_data;

  self->callback = NULL;
  self->callback_data = NULL;
  self->callback_destroy = NULL;
  if (destroy != NULL)
    destroy (data);
}

/* The state properties, in one batch: each run transition can change
 * several of them. */
static void
notify_state (QuarryMutation *self)
{
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);
  for (guint i = PROP_STATUS; i < N_PROPS; i++)
    g_object_notify_by_pspec (object, properties[i]);
  g_object_thaw_notify (object);
}

/* Stops showing the current run; it goes on in the client. */
static void
detach (QuarryMutation *self)
{
  QuarryMutationRun *run = g_steal_pointer (&self->current);

  clear_callback (self);
  if (run != NULL)
    {
      _quarry_mutation_run_set_observer (run, NULL);
      _quarry_mutation_run_unref (run);
    }
}

/* Called by runs. */

/* A signal accumulator: the first handler that returns a value wins, and
 * every handler runs. */
static gboolean
first_value_accumulator (GSignalInvocationHint *hint,
                         GValue                *return_accu,
                         const GValue          *handler_return,
                         gpointer               data)
{
  if (g_value_get_boxed (return_accu) == NULL && g_value_get_boxed (handler_return) != NULL)
    g_value_copy (handler_return, return_accu);
  return TRUE;
}

GValue *
_quarry_mutation_emit_mutate (QuarryMutation    *self,
                              QuarryMutationRun *run)
{
  GValue *context = NULL;

  g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_MUTATE], 0, value_or_null (&run->state.variables), &context);
  g_object_unref (self);

  if (context != NULL && !_quarry_value_is_set (context))
    g_clear_pointer (&context, _quarry_value_free);
  return context;
}

void
_quarry_mutation_emit_result (QuarryMutation    *self,
                              QuarryMutationRun *run,
                              const GValue      *data,
                              const GError      *error)
{
  const GValue *variables = value_or_null (&run->state.variables);
  const GValue *context = value_or_null (&run->state.context);

  data = value_or_null (data);

  g_object_ref (self);
  if (error == NULL)
    g_signal_emit (self, signals[SIGNAL_SUCCESS], 0, data, variables, context);
  else
    g_signal_emit (self, signals[SIGNAL_ERROR], 0, error, variables, context);
  g_signal_emit (self, signals[SIGNAL_SETTLED], 0, data, error, variables, context);
  g_object_unref (self);
}

void
_quarry_mutation_run_updated (QuarryMutation       *self,
                              QuarryMutationRun    *run,
                              QuarryMutationAction  action)
{
  g_object_ref (self);

  notify_state (self);
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, action);

  /* The per-call callback of the latest mutate (), after the mutation's
   * own handlers. */
  if ((action == QUARRY_MUTATION_ACTION_SUCCESS || action == QUARRY_MUTATION_ACTION_ERROR) &&
      self->current == run && self->callback != NULL)
    {
      QuarryMutateCallback callback = self->callback;
      gpointer data = self->callback_data;
      GDestroyNotify destroy = self->callback_destroy;

      self->callback = NULL;
      self->callback_data = NULL;
      self->callback_destroy = NULL;
      callback (self, value_or_null (&run->state.data), run->state.error,
                value_or_null (&run->state.variables), value_or_null (&run->state.context), data);
      if (destroy != NULL)
        destroy (data);
    }

  g_object_unref (self);
}

void
_quarry_mutation_run_finished (QuarryMutation    *self,
                               QuarryMutationRun *run)
{
  g_ptr_array_remove (self->runs, run);
}

/* GObject. */

static void
quarry_mutation_dispose (GObject *object)
{
  QuarryMutation *self = (QuarryMutation *)object;

  detach (self);

  /* Runs it started go on without signals. */
  while (self->runs->len > 0)
    {
      QuarryMutationRun *run = g_ptr_array_steal_index (self->runs, self->runs->len - 1);

      run->owner = NULL;
      _quarry_mutation_run_unref (run);
    }

  g_clear_object (&self->client);

  G_OBJECT_CLASS (quarry_mutation_parent_class)->dispose (object);
}

static void
quarry_mutation_finalize (GObject *object)
{
  QuarryMutation *self = (QuarryMutation *)object;

  g_clear_pointer (&self->mutation_key, quarry_key_unref);
  g_clear_object (&self->options);
  g_ptr_array_unref (self->runs);

  G_OBJECT_CLASS (quarry_mutation_parent_class)->finalize (object);
}

static void
quarry_mutation_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  QuarryMutation *self = QUARRY_MUTATION (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, quarry_mutation_get_client (self));
      break;
    case PROP_MUTATION_KEY:
      g_value_set_boxed (value, quarry_mutation_get_mutation_key (self));
      break;
    case PROP_OPTIONS:
      g_value_set_object (value, quarry_mutation_get_options (self));
      break;
    case PROP_STATUS:
      g_value_set_enum (value, quarry_mutation_get_status (self));
      break;
    case PROP_DATA:
      g_value_set_boxed (value, quarry_mutation_get_value (self));
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, quarry_mutation_get_error (self));
      break;
    case PROP_VARIABLES:
      g_value_set_boxed (value, quarry_mutation_get_variables (self));
      break;
    case PROP_CONTEXT:
      g_value_set_boxed (value, quarry_mutation_get_context (self));
      break;
    case PROP_FAILURE_COUNT:
      g_value_set_uint (value, quarry_mutation_get_failure_count (self));
      break;
    case PROP_FAILURE_REASON:
      g_value_set_boxed (value, quarry_mutation_get_failure_reason (self));
      break;
    case PROP_IS_PAUSED:
      g_value_set_boolean (value, quarry_mutation_get_is_paused (self));
      break;
    case PROP_SUBMITTED_AT:
      g_value_set_int64 (value, quarry_mutation_get_submitted_at (self));
      break;
    case PROP_IS_IDLE:
      g_value_set_boolean (value, quarry_mutation_get_is_idle (self));
      break;
    case PROP_IS_PENDING:
      g_value_set_boolean (value, quarry_mutation_get_is_pending (self));
      break;
    case PROP_IS_SUCCESS:
      g_value_set_boolean (value, quarry_mutation_get_is_success (self));
      break;
    case PROP_IS_ERROR:
      g_value_set_boolean (value, quarry_mutation_get_is_error (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_mutation_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  QuarryMutation *self = QUARRY_MUTATION (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_MUTATION_KEY:
      quarry_mutation_set_mutation_key (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_mutation_constructed (GObject *object)
{
  QuarryMutation *self = (QuarryMutation *)object;

  G_OBJECT_CLASS (quarry_mutation_parent_class)->constructed (object);

  if (self->client == NULL)
    {
      g_critical ("QuarryMutation needs a client; give it the \"client\" property");
      self->client = quarry_query_client_new ();
    }
}

static void
quarry_mutation_class_init (QuarryMutationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = quarry_mutation_dispose;
  object_class->finalize = quarry_mutation_finalize;
  object_class->get_property = quarry_mutation_get_property;
  object_class->set_property = quarry_mutation_set_property;
  object_class->constructed = quarry_mutation_constructed;

  /**
   * QuarryMutation:client: (getter get_client)
   *
   * The client whose cache the mutation's runs live in.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, QUARRY_TYPE_QUERY_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryMutation:mutation-key: (getter get_mutation_key) (setter set_mutation_key)
   *
   * The key that selects the mutation's defaults
   * ([method@QueryClient.set_mutation_defaults]) and that filters match.
   * Changing it resets the mutation.
   */
  properties[PROP_MUTATION_KEY] =
    g_param_spec_boxed ("mutation-key", NULL, NULL, QUARRY_TYPE_KEY,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * QuarryMutation:options: (getter get_options)
   *
   * The mutation's own options, which win over the client's defaults.
   */
  properties[PROP_OPTIONS] =
    g_param_spec_object ("options", NULL, NULL, QUARRY_TYPE_MUTATION_OPTIONS, ro);

  /**
   * QuarryMutation:status: (getter get_status)
   *
   * Where the latest run is in its lifecycle.
   */
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, QUARRY_TYPE_MUTATION_STATUS,
                       QUARRY_MUTATION_STATUS_IDLE, ro);

  /**
   * QuarryMutation:data: (getter get_value)
   *
   * What the mutation function of the latest run returned.
   */
  properties[PROP_DATA] = g_param_spec_boxed ("data", NULL, NULL, G_TYPE_VALUE, ro);

  /**
   * QuarryMutation:error: (getter get_error)
   *
   * Why the latest run failed.
   */
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);

  /**
   * QuarryMutation:variables: (getter get_variables)
   *
   * The variables of the latest run.
   */
  properties[PROP_VARIABLES] = g_param_spec_boxed ("variables", NULL, NULL, G_TYPE_VALUE, ro);

  /**
   * QuarryMutation:context: (getter get_context)
   *
   * What [signal@Mutation::mutate] returned for the latest run.
   */
  properties[PROP_CONTEXT] = g_param_spec_boxed ("context", NULL, NULL, G_TYPE_VALUE, ro);

  /**
   * QuarryMutation:failure-count: (getter get_failure_count)
   *
   * How many attempts of the latest run failed: the number of retries plus
   * one once it failed for good, 0 after a success.
   */
  properties[PROP_FAILURE_COUNT] =
    g_param_spec_uint ("failure-count", NULL, NULL, 0, G_MAXUINT, 0, ro);

  /**
   * QuarryMutation:failure-reason: (getter get_failure_reason)
   *
   * The error of the latest failed attempt, kept while retrying.
   */
  properties[PROP_FAILURE_REASON] =
    g_param_spec_boxed ("failure-reason", NULL, NULL, G_TYPE_ERROR, ro);

  /**
   * QuarryMutation:is-paused: (getter get_is_paused)
   *
   * Whether the latest run waits: for the network, for the runs before it
   * in its scope, or for focus between retries.
   */
  properties[PROP_IS_PAUSED] = g_param_spec_boolean ("is-paused", NULL, NULL, FALSE, ro);

  /**
   * QuarryMutation:submitted-at: (getter get_submitted_at)
   *
   * When the latest run was submitted, in wall-clock milliseconds, or 0.
   */
  properties[PROP_SUBMITTED_AT] =
    g_param_spec_int64 ("submitted-at", NULL, NULL, 0, G_MAXINT64, 0, ro);

  /**
   * QuarryMutation:is-idle: (getter get_is_idle)
   *
   * Whether [property@Mutation:status] is `IDLE`.
   */
  properties[PROP_IS_IDLE] = g_param_spec_boolean ("is-idle", NULL, NULL, TRUE, ro);

  /**
   * QuarryMutation:is-pending: (getter get_is_pending)
   *
   * Whether [property@Mutation:status] is `PENDING`.
   */
  properties[PROP_IS_PENDING] = g_param_spec_boolean ("is-pending", NULL, NULL, FALSE, ro);

  /**
   * QuarryMutation:is-success: (getter get_is_success)
   *
   * Whether [property@Mutation:status] is `SUCCESS`.
   */
  properties[PROP_IS_SUCCESS] = g_param_spec_boolean ("is-success", NULL, NULL, FALSE, ro);

  /**
   * QuarryMutation:is-error: (getter get_is_error)
   *
   * Whether [property@Mutation:status] is `ERROR`.
   */
  properties[PROP_IS_ERROR] = g_param_spec_boolean ("is-error", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QuarryMutation::mutate:
   * @self: the mutation
   * @variables: (nullable): the run's variables
   *
   * Emitted when a run starts, before its function runs, TanStack's
   * `onMutate`. It is emitted even when the run is paused: offline, or
   * queued behind its scope. The run's optimistic updates
   * ([method@MutationOptions.add_optimistic_update]) are already applied.
   *
   * A handler may return a context, such as what to roll back; the first
   * one returned is given to the other handlers of the run and shown as
   * [property@Mutation:context].
   *
   * Returns: (transfer full) (nullable): the context, or `NULL`
   */
  signals[SIGNAL_MUTATE] =
    g_signal_new ("mutate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  first_value_accumulator, NULL, NULL,
                  G_TYPE_VALUE, 1, G_TYPE_VALUE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * QuarryMutation::success:
   * @self: the mutation
   * @data: (nullable): what the mutation function returned
   * @variables: (nullable): the run's variables
   * @context: (nullable): what [signal@Mutation::mutate] returned
   *
   * Emitted when a run succeeded, before [signal@Mutation::settled] and
   * before the status changes, TanStack's `onSuccess`.
   */
  signals[SIGNAL_SUCCESS] =
    g_signal_new ("success", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_VALUE | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_VALUE | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_VALUE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * QuarryMutation::error:
   * @self: the mutation
   * @error: why the run failed
   * @variables: (nullable): the run's variables
   * @context: (nullable): what [signal@Mutation::mutate] returned
   *
   * Emitted when a run failed for good, after its optimistic updates were
   * rolled back, before [signal@Mutation::settled] and before the status
   * changes, TanStack's `onError`.
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_VALUE | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_VALUE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * QuarryMutation::settled:
   * @self: the mutation
   * @data: (nullable): what the mutation function returned, or `NULL`
   * @error: (nullable): why the run failed, or `NULL`
   * @variables: (nullable): the run's variables
   * @context: (nullable): what [signal@Mutation::mutate] returned
   *
   * Emitted when a run ended, either way, after [signal@Mutation::success]
   * or [signal@Mutation::error], TanStack's `onSettled`.
   */
  signals[SIGNAL_SETTLED] =
    g_signal_new ("settled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_VALUE | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_VALUE | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_VALUE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * QuarryMutation::state-changed:
   * @self: the mutation
   * @action: what happened
   *
   * Emitted after the state of the run the mutation shows changed, once
   * its properties were notified.
   */
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, QUARRY_TYPE_MUTATION_ACTION);

  _quarry_i18n_init ();
}

static void
quarry_mutation_init (QuarryMutation *self)
{
  self->options = quarry_mutation_options_new ();
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) _quarry_mutation_run_unref);
  self->idle.status = QUARRY_MUTATION_STATUS_IDLE;
}

/**
 * quarry_mutation_new:
 * @client: the client
 * @mutation_key: (nullable): the mutation key, or `NULL`
 * @mutation_func: (nullable) (scope notified) (closure user_data) (destroy destroy): the
 *   mutation function, or `NULL` to use the one of the client's defaults
 * @user_data: data for @mutation_func
 * @destroy: (nullable): frees @user_data
 *
 * Creates a mutation.
 *
 * Returns: (transfer full): the mutation
 */
QuarryMutation *
quarry_mutation_new (QuarryQueryClient  *client,
                     QuarryKey          *mutation_key,
                     QuarryMutationFunc  mutation_func,
                     gpointer            user_data,
                     GDestroyNotify      destroy)
{
  QuarryMutation *self;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (client), NULL);

  self = g_object_new (QUARRY_TYPE_MUTATION, "client", client, "mutation-key", mutation_key, NULL);
  if (mutation_func != NULL)
    quarry_mutation_options_set_mutation_func (self->options, mutation_func, user_data, destroy);
  else if (destroy != NULL)
    destroy (user_data);
  return self;
}

/**
 * quarry_mutation_get_client: (get-property client)
 * @self: a mutation
 *
 * Gets the client the mutation runs in.
 *
 * Returns: (transfer none) (nullable): the client, or `NULL` once disposed
 */
QuarryQueryClient *
quarry_mutation_get_client (QuarryMutation *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), NULL);
  return self->client;
}

/**
 * quarry_mutation_get_mutation_key: (get-property mutation-key)
 * @self: a mutation
 *
 * Gets the mutation key.
 *
 * Returns: (transfer none) (nullable): the key
 */
QuarryKey *
quarry_mutation_get_mutation_key (QuarryMutation *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), NULL);
  return self->mutation_key;
}

/**
 * quarry_mutation_set_mutation_key: (set-property mutation-key)
 * @self: a mutation
 * @mutation_key: (nullable): the key, or `NULL`
 *
 * Sets the mutation key. A different key resets the mutation, as in
 * TanStack.
 */
void
quarry_mutation_set_mutation_key (QuarryMutation *self,
                                  QuarryKey      *mutation_key)
{
  g_return_if_fail (QUARRY_IS_MUTATION (self));

  if (self->mutation_key == mutation_key ||
      (self->mutation_key && mutation_key && quarry_key_equal (self->mutation_key, mutation_key)))
    return;

  g_clear_pointer (&self->mutation_key, quarry_key_unref);
  self->mutation_key = mutation_key ? quarry_key_ref (mutation_key) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTATION_KEY]);

  if (self->current != NULL)
    quarry_mutation_reset (self);
}

/**
 * quarry_mutation_get_options: (get-property options)
 * @self: a mutation
 *
 * Gets the mutation's own options. Set them before calling
 * [method@Mutation.mutate]: a run keeps the options it started with.
 *
 * Returns: (transfer none): the options
 */
QuarryMutationOptions *
quarry_mutation_get_options (QuarryMutation *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), NULL);
  return self->options;
}

/**
 * quarry_mutation_get_status: (get-property status)
 * @self: a mutation
 *
 * Gets where the latest run is in its lifecycle.
 *
 * Returns: the status
 */
QuarryMutationStatus
quarry_mutation_get_status (QuarryMutation *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), QUARRY_MUTATION_STATUS_IDLE);
  return state_of (self)->status;
}

/**
 * quarry_mutation_get_value: (get-property data)
 * @self: a mutation
 *
 * Gets what the mutation function of the latest run returned.
 *
 * Returns: (transfer none) (nullable): the data
 */
const GValue *
quarry_mutation_get_value (QuarryMutation *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), NULL);
  return value_or_null (&state_of (self)->data);
}

/**
 * quarry_mutation_get_error: (get-property error)
 * @self: a mutation
 *
 * Gets why the latest run failed.
 *
 * Returns: (transfer none) (nullable): the error
 */
const GError *
quarry_mutation_get_error (QuarryMutation *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), NULL);
  return state_of (self)->error;
}

/**
 * quarry_mutation_get_variables: (get-property variables)
 * @self: a mutation
 *
 * Gets the variables of the latest run.
 *
 * Returns: (transfer none) (nullable): the variables
 */
const GValue *
quarry_mutation_get_variables (QuarryMutation *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), NULL);
  return value_or_null (&state_of (self)->variables);
}

/**
 * quarry_mutation_get_context: (get-property context)
 * @self: a mutation
 *
 * Gets what [signal@Mutation::mutate] returned for the latest run.
 *
 * Returns: (transfer none) (nullable): the context
 */
const GValue *
quarry_mutation_get_context (QuarryMutation *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), NULL);
  return value_or_null (&state_of (self)->context);
}

/**
 * quarry_mutation_get_failure_count: (get-property failure-count)
 * @self: a mutation
 *
 * Gets how many attempts of the latest run failed.
 *
 * Returns: the count
 */
guint
quarry_mutation_get_failure_count (QuarryMutation *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), 0);
  return state_of (self)->failure_count;
}

/**
 * quarry_mutation_get_failure_reason: (get-property failure-reason)
 * @self: a mutation
 *
 * Gets the error of the latest failed attempt.
 *
 * Returns: (transfer none) (nullable): the error
 */
const GError *
quarry_mutation_get_failure_reason (QuarryMutation *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), NULL);
  return state_of (self)->failure_reason;
}

/**
 * quarry_mutation_get_is_paused: (get-property is-paused)
 * @self: a mutation
 *
 * Gets whether the latest run waits for the network, its scope or focus.
 *
 * Returns: `TRUE` if paused
 */
gboolean
quarry_mutation_get_is_paused (QuarryMutation *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), FALSE);
  return state_of (self)->is_paused;
}

/**
 * quarry_mutation_get_submitted_at: (get-property submitted-at)
 * @self: a mutation
 *
 * Gets when the latest run was submitted.
 *
 * Returns: wall-clock milliseconds, or 0
 */
gint64
quarry_mutation_get_submitted_at (QuarryMutation *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), 0);
  return state_of (self)->submitted_at;
}

/**
 * quarry_mutation_get_is_idle: (get-property is-idle)
 * @self: a mutation
 *
 * Gets whether the mutation is idle.
 *
 * Returns: `TRUE` if idle
 */
gboolean
quarry_mutation_get_is_idle (QuarryMutation *self)
{
  return quarry_mutation_get_status (self) == QUARRY_MUTATION_STATUS_IDLE;
}

/**
 * quarry_mutation_get_is_pending: (get-property is-pending)
 * @self: a mutation
 *
 * Gets whether the latest run is pending.
 *
 * Returns: `TRUE` if pending
 */
gboolean
quarry_mutation_get_is_pending (QuarryMutation *self)
{
  return quarry_mutation_get_status (self) == QUARRY_MUTATION_STATUS_PENDING;
}

/**
 * quarry_mutation_get_is_success: (get-property is-success)
 * @self: a mutation
 *
 * Gets whether the latest run succeeded.
 *
 * Returns: `TRUE` on success
 */
gboolean
quarry_mutation_get_is_success (QuarryMutation *self)
{
  return quarry_mutation_get_status (self) == QUARRY_MUTATION_STATUS_SUCCESS;
}

/**
 * quarry_mutation_get_is_error: (get-property is-error)
 * @self: a mutation
 *
 * Gets whether the latest run failed.
 *
 * Returns: `TRUE` on error
 */
gboolean
quarry_mutation_get_is_error (QuarryMutation *self)
{
  return quarry_mutation_get_status (self) == QUARRY_MUTATION_STATUS_ERROR;
}

/**
 * quarry_mutation_dup_state:
 * @self: a mutation
 *
 * Takes a snapshot of the state of the latest run; its id is 0 when the
 * mutation is idle.
 *
 * Returns: (transfer full): the state
 */
QuarryMutationState *
quarry_mutation_dup_state (QuarryMutation *self)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), NULL);

  if (self->current != NULL)
    return _quarry_mutation_run_dup_state (self->current);
  return _quarry_mutation_state_new (0, self->mutation_key, NULL, &self->idle);
}

/* Starts a run and shows it. */
static QuarryMutationRun *
start (QuarryMutation *self,
       const GValue   *variables)
{
  QuarryMutationConfig config;
  QuarryMutationRun *run;

  detach (self);

  _quarry_mutation_cache_resolve (_quarry_query_client_get_mutation_cache (self->client),
                                  self->mutation_key, self->options, &config);
  run = _quarry_mutation_run_new (_quarry_query_client_get_mutation_cache (self->client),
                                  self, self->mutation_key, &config,
                                  _quarry_value_is_set (variables) ? variables : NULL);
  g_ptr_array_add (self->runs, _quarry_mutation_run_ref (run));
  self->current = run;           /* the reference run_new () gave */
  _quarry_mutation_run_set_observer (run, self);
  return run;
}

/* A disposed mutation, or one whose client was disposed, runs nothing. */
static gboolean
is_disposed (QuarryMutation *self)
{
  return self->client == NULL || _quarry_query_client_get_mutation_cache (self->client)->disposed;
}

static GError *
disposed_error (void)
{
  return g_error_new_literal (QUARRY_ERROR, QUARRY_ERROR_DISPOSED,
                              _("The mutation was disposed"));
}

/**
 * quarry_mutation_mutate:
 * @self: a mutation
 * @variables: (nullable): the variables for the mutation function
 * @callback: (nullable) (scope notified) (closure user_data) (destroy destroy): called once
 *   when the run settles, or `NULL`
 * @user_data: data for @callback
 * @destroy: (nullable): frees @user_data
 *
 * Starts a run of the mutation function with @variables, TanStack's
 * `mutate`.
 *
 * @callback runs after the mutation's own handlers, and only for the
 * latest call: a later [method@Mutation.mutate],
 * [method@Mutation.mutate_async] or [method@Mutation.reset] drops it
 * without calling it, as does disposing the mutation. On a disposed
 * mutation it is called at once with [error@Quarry.Error.DISPOSED].
 */
void
quarry_mutation_mutate (QuarryMutation       *self,
                        const GValue         *variables,
                        QuarryMutateCallback  callback,
                        gpointer              user_data,
                        GDestroyNotify        destroy)
{
  QuarryMutationRun *run;

  g_return_if_fail (QUARRY_IS_MUTATION (self));

  if (is_disposed (self))
    {
      g_autoptr(GError) error = disposed_error ();

      if (callback != NULL)
        callback (self, NULL, error, variables, NULL, user_data);
      if (destroy != NULL)
        destroy (user_data);
      return;
    }

  g_object_ref (self);
  run = start (self, variables);
  self->callback = callback;
  self->callback_data = user_data;
  self->callback_destroy = destroy;
  _quarry_mutation_run_ref (run);
  _quarry_mutation_run_execute (run);
  _quarry_mutation_run_unref (run);
  g_object_unref (self);
}

/**
 * quarry_mutation_mutate_async:
 * @self: a mutation
 * @variables: (nullable): the variables for the mutation function
 * @cancellable: (nullable): cancels the run
 * @callback: (scope async): called when the run settled
 * @user_data: data for @callback
 *
 * Starts a run of the mutation function with @variables, TanStack's
 * `mutateAsync`, and calls @callback once the run settled and every
 * handler ran. Get the result with [method@Mutation.mutate_finish].
 *
 * Cancelling @cancellable cancels the run: its function's cancellable is
 * cancelled, its optimistic updates roll back, and it fails with
 * `G_IO_ERROR_CANCELLED`.
 */
void
quarry_mutation_mutate_async (QuarryMutation      *self,
                              const GValue        *variables,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  QuarryMutationRun *run;

  g_return_if_fail (QUARRY_IS_MUTATION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, quarry_mutation_mutate_async);
  g_task_set_name (task, "[quarry] mutate");
  g_task_set_check_cancellable (task, FALSE);

  if (is_disposed (self))
    {
      g_task_return_error (task, disposed_error ());
      return;
    }

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The mutation was cancelled"));
      return;
    }

  g_object_ref (self);
  run = start (self, variables);
  _quarry_mutation_run_ref (run);
  _quarry_mutation_run_add_waiter (run, task);
  _quarry_mutation_run_execute (run);
  _quarry_mutation_run_unref (run);
  g_object_unref (self);
}

/**
 * quarry_mutation_mutate_finish:
 * @self: a mutation
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Gets what the run's mutation function returned.
 *
 * Returns: (transfer full) (nullable): the data, or `NULL` with @error set;
 *   `NULL` without an error when the function returned no value
 */
GValue *
quarry_mutation_mutate_finish (QuarryMutation  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (QUARRY_IS_MUTATION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == quarry_mutation_mutate_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * quarry_mutation_cancel:
 * @self: a mutation
 *
 * Cancels the latest run if it is pending: its function's cancellable is
 * cancelled, its optimistic updates roll back, and it fails with
 * `G_IO_ERROR_CANCELLED`.
 */
void
quarry_mutation_cancel (QuarryMutation *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (QUARRY_IS_MUTATION (self));

  if (self->current == NULL || self->current->settled)
    return;

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The mutation was cancelled"));
  _quarry_mutation_run_cancel (self->current, error);
}

/**
 * quarry_mutation_reset:
 * @self: a mutation
 *
 * Goes back to the idle state. A pending run goes on in the client, and
 * still emits the mutation's signals, but the mutation stops showing it and
 * the per-call callback of [method@Mutation.mutate] is dropped.
 */
void
quarry_mutation_reset (QuarryMutation *self)
{
  g_return_if_fail (QUARRY_IS_MUTATION (self));

  if (self->current == NULL)
    {
      clear_callback (self);
      return;
    }

  detach (self);
  notify_state (self);
}
