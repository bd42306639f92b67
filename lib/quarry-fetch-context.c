/* quarry-fetch-context.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-clock-private.h"
#include "quarry-error.h"
#include "quarry-fetch-context-private.h"
#include "quarry-i18n-private.h"
#include "quarry-value-private.h"

/**
 * QuarryFetchContext:
 *
 * What a [callback@FetchFunc] gets: the key to fetch, a cancellable, the
 * query's meta, and where the result goes.
 *
 * A fetch function completes its context exactly once, from the client's
 * main context, with [method@FetchContext.return_value] or
 * [method@FetchContext.return_error]. The result always reaches the cache on
 * a later main-loop iteration, so a query is fetching for at least one
 * iteration. A context dropped without a result completes with
 * [error@Quarry.Error.NO_RESULT], and one completed twice logs a warning;
 * neither leaks nor crashes. A result that arrives after the fetch was
 * cancelled or superseded is dropped.
 *
 * ```c
 * static void
 * fetch_todos (QuarryFetchContext *context,
 *              gpointer            user_data)
 * {
 *   g_autoptr(JsonNode) todos = json_from_string ("[{\"id\": 1, \"title\": \"Buy milk\"}]", NULL);
 *
 *   quarry_fetch_context_return_json (context, todos);
 * }
 * ```
 *
 * Blocking work belongs in a worker thread:
 * [method@FetchContext.run_in_thread] runs a function there and brings its
 * result back.
 */

struct _QuarryFetchContext
{
  GObject parent_instance;

  const QuarryFetchSink *sink;
  gpointer owner;              /* NULL once completed */
  guint attempt;
  QuarryKey *key;
  GValue *variables;
  GValue *page_param;
  QuarryFetchDirection direction;
  GCancellable *cancellable;
  GVariant *meta;
  QuarryClock *clock;
  GMainContext *context;
  GValue *current;             /* the entry's confirmed data, if any */
  char *validator;             /* its validator, if any */
  char *result_validator;
  gint64 result_max_age;
  char *idempotency_key;
  gboolean unchanged;
  gboolean completed;
};

G_DEFINE_FINAL_TYPE (QuarryFetchContext, quarry_fetch_context, G_TYPE_OBJECT)

typedef struct
{
  const QuarryFetchSink *sink;
  gpointer owner;
  guint attempt;
  GValue *value;
  GError *error;
  char *validator;
  gint64 max_age;
  gboolean unchanged;
} Delivery;

static gboolean
deliver_cb (gpointer data)
{
  Delivery *delivery = data;
  GValue *value = g_steal_pointer (&delivery->value);
  QuarryFetchResultInfo info = { delivery->validator, delivery->max_age, delivery->unchanged };

  delivery->sink->deliver (delivery->owner, delivery->attempt, value,
                           g_steal_pointer (&delivery->error), &info);
  _quarry_value_free (value);
  return G_SOURCE_REMOVE;
}

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  delivery->sink->unref (delivery->owner);
  _quarry_value_free (delivery->value);
  g_clear_error (&delivery->error);
  g_free (delivery->validator);
  g_free (delivery);
}

/* Hands the result to the entry on a later iteration of the client's main
 * context, whatever thread completes. */
static void
complete (QuarryFetchContext *self,
          GValue             *value,
          GError             *error)
{
  Delivery *delivery;
  GSource *source;

  self->completed = TRUE;

  delivery = g_new0 (Delivery, 1);
  delivery->sink = self->sink;
  delivery->owner = g_steal_pointer (&self->owner);
  delivery->attempt = self->attempt;
  delivery->value = value;
  delivery->error = error;
  if (error == NULL)
    {
      delivery->validator = g_steal_pointer (&self->result_validator);
      delivery->max_age = self->result_max_age;
      delivery->unchanged = self->unchanged;
    }
  else
    delivery->max_age = -1;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_name (source, "[quarry] fetch result");
  g_source_set_callback (source, deliver_cb, delivery, delivery_free);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static gboolean
check_not_completed (QuarryFetchContext *self)
{
  if (self->completed)
    {
      g_warning ("The fetch of %s completed more than once; only the first result counts",
                 self->key ? quarry_key_to_string (self->key) : "a mutation");
      return FALSE;
    }
  return TRUE;
}

static void
quarry_fetch_context_dispose (GObject *object)
{
  QuarryFetchContext *self = (QuarryFetchContext *)object;

  if (!self->completed && self->owner != NULL)
    complete (self, NULL,
              g_error_new_literal (QUARRY_ERROR, QUARRY_ERROR_NO_RESULT,
                                   _("The fetch function finished without returning a result")));

  G_OBJECT_CLASS (quarry_fetch_context_parent_class)->dispose (object);
}

static void
quarry_fetch_context_finalize (GObject *object)
{
  QuarryFetchContext *self = (QuarryFetchContext *)object;

  g_clear_pointer (&self->key, quarry_key_unref);
  g_clear_pointer (&self->variables, _quarry_value_free);
  g_clear_pointer (&self->page_param, _quarry_value_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->meta, g_variant_unref);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->current, _quarry_value_free);
  g_clear_pointer (&self->validator, g_free);
  g_clear_pointer (&self->result_validator, g_free);
  g_clear_pointer (&self->idempotency_key, g_free);

  G_OBJECT_CLASS (quarry_fetch_context_parent_class)->finalize (object);
}

static void
quarry_fetch_context_class_init (QuarryFetchContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = quarry_fetch_context_dispose;
  object_class->finalize = quarry_fetch_context_finalize;

  _quarry_i18n_init ();
}

static void
quarry_fetch_context_init (QuarryFetchContext *self)
{
  self->result_max_age = -1;
}

QuarryFetchContext *
_quarry_fetch_context_new (const QuarryFetchSink *sink,
                           gpointer               owner,
                           guint                  attempt,
                           QuarryKey             *key,
                           const GValue          *variables,
                           GCancellable          *cancellable,
                           GVariant              *meta,
                           QuarryClock           *clock)
{
  QuarryFetchContext *self = g_object_new (QUARRY_TYPE_FETCH_CONTEXT, NULL);

  self->sink = sink;
  self->owner = sink->ref (owner);
  self->attempt = attempt;
  self->key = key ? quarry_key_ref (key) : NULL;
  self->variables = _quarry_value_is_set (variables) ? _quarry_value_dup (variables) : NULL;
  self->cancellable = g_object_ref (cancellable);
  self->meta = meta ? g_variant_ref (meta) : NULL;
  self->clock = g_object_ref (clock);
  self->context = g_main_context_ref (_quarry_clock_get_context (clock));

  return self;
}

/* The data the fetch may find unchanged, and its validator. */
void
_quarry_fetch_context_set_current (QuarryFetchContext *self,
                                   const GValue       *value,
                                   const char         *validator)
{
  g_clear_pointer (&self->current, _quarry_value_free);
  g_clear_pointer (&self->validator, g_free);
  if (value != NULL && _quarry_value_is_set (value))
    {
      self->current = _quarry_value_dup (value);
      self->validator = g_strdup (validator);
    }
}

const GValue *
_quarry_fetch_context_get_current (QuarryFetchContext *self)
{
  return self->current;
}

QuarryClock *
_quarry_fetch_context_get_clock (QuarryFetchContext *self)
{
  return self->clock;
}

void
_quarry_fetch_context_set_page (QuarryFetchContext   *self,
                                const GValue         *param,
                                QuarryFetchDirection  direction)
{
  g_clear_pointer (&self->page_param, _quarry_value_free);
  if (param != NULL && _quarry_value_is_set (param))
    self->page_param = _quarry_value_dup (param);
  self->direction = direction;
}

/**
 * quarry_fetch_context_get_page_param:
 * @self: a fetch context
 *
 * Gets the parameter of the page to fetch, for a fetch of an
 * [class@InfiniteQuery]: the initial page parameter for the first page, then
 * what the page parameter functions computed.
 *
 * Returns: (transfer none) (nullable): the page parameter, or `NULL` when
 *   there is none (and for other fetches)
 */
const GValue *
quarry_fetch_context_get_page_param (QuarryFetchContext *self)
{
  g_return_val_if_fail (QUARRY_IS_FETCH_CONTEXT (self), NULL);
  return self->page_param;
}

/**
 * quarry_fetch_context_get_direction:
 * @self: a fetch context
 *
 * Gets which way the page to fetch goes, for a fetch of an
 * [class@InfiniteQuery]: backward for a page before the first one, forward
 * otherwise. Other fetches have no direction.
 *
 * Returns: the direction of the page
 */
QuarryFetchDirection
quarry_fetch_context_get_direction (QuarryFetchContext *self)
{
  g_return_val_if_fail (QUARRY_IS_FETCH_CONTEXT (self), QUARRY_FETCH_DIRECTION_NONE);
  return self->direction;
}

/**
 * quarry_fetch_context_get_key:
 * @self: a fetch context
 *
 * Gets the key of the entry being fetched, or the
 * [property@Mutation:mutation-key] of the mutation being run.
 *
 * Returns: (transfer none) (nullable): the key; `NULL` for a mutation
 *   without a key
 */
QuarryKey *
quarry_fetch_context_get_key (QuarryFetchContext *self)
{
  g_return_val_if_fail (QUARRY_IS_FETCH_CONTEXT (self), NULL);
  return self->key;
}

/**
 * quarry_fetch_context_get_cancellable:
 * @self: a fetch context
 *
 * Gets the cancellable of the fetch, cancelled when the fetch is cancelled or
 * superseded.
 *
 * Asking for it tells Quarry that the fetch function can be aborted: when
 * the last query of the entry goes away, the fetch is then cancelled (and
 * the entry reverted) instead of finishing in the background, as TanStack
 * does when a query function reads its `signal`.
 *
 * Returns: (transfer none): the cancellable
 */
GCancellable *
quarry_fetch_context_get_cancellable (QuarryFetchContext *self)
{
  g_return_val_if_fail (QUARRY_IS_FETCH_CONTEXT (self), NULL);

  if (self->owner != NULL)
    self->sink->mark_consumed (self->owner);
  return self->cancellable;
}

/**
 * quarry_fetch_context_get_variables:
 * @self: a fetch context
 *
 * Gets the variables a mutation runs with: what was given to
 * [method@Mutation.mutate]. The mutation function also gets them as an
 * argument; this is for code that only has the context, such as a
 * [callback@ThreadFunc]'s caller.
 *
 * Returns: (transfer none) (nullable): the variables, or `NULL` for a query
 *   fetch or a mutation without variables
 */
const GValue *
quarry_fetch_context_get_variables (QuarryFetchContext *self)
{
  g_return_val_if_fail (QUARRY_IS_FETCH_CONTEXT (self), NULL);
  return self->variables;
}

/**
 * quarry_fetch_context_get_meta:
 * @self: a fetch context
 *
 * Gets the [property@Query:meta] of the query that started the fetch.
 *
 * Returns: (nullable) (transfer none): the meta
 */
GVariant *
quarry_fetch_context_get_meta (QuarryFetchContext *self)
{
  g_return_val_if_fail (QUARRY_IS_FETCH_CONTEXT (self), NULL);
  return self->meta;
}

/**
 * quarry_fetch_context_get_attempt:
 * @self: a fetch context
 *
 * Gets which attempt of the fetch this is: 1 for the first, 2 for the first
 * retry, and so on.
 *
 * Returns: the attempt number
 */
guint
quarry_fetch_context_get_attempt (QuarryFetchContext *self)
{
  g_return_val_if_fail (QUARRY_IS_FETCH_CONTEXT (self), 0);
  return self->attempt;
}

/**
 * quarry_fetch_context_is_completed:
 * @self: a fetch context
 *
 * Gets whether a result was returned.
 *
 * Returns: `TRUE` once completed
 */
gboolean
quarry_fetch_context_is_completed (QuarryFetchContext *self)
{
  g_return_val_if_fail (QUARRY_IS_FETCH_CONTEXT (self), FALSE);
  return self->completed;
}

/**
 * quarry_fetch_context_get_validator:
 * @self: a fetch context
 *
 * Gets the validator stored with the cached data this fetch may find
 * unchanged: what an earlier fetch gave [method@FetchContext.set_validator],
 * for example an HTTP `ETag`.
 *
 * A fetch function that can ask its server whether the data changed
 * (`If-None-Match`) and learns that it did not completes with
 * [method@FetchContext.return_unchanged].
 *
 * There is no validator when the entry has no data, when its data was
 * written other than by a fetch (with `set_query_data()`, an optimistic
 * update, initial data), while optimistic changes are pending, and for the
 * page fetches of an [class@InfiniteQuery].
 *
 * Returns: (nullable): the validator, or `NULL`
 */
const char *
quarry_fetch_context_get_validator (QuarryFetchContext *self)
{
  g_return_val_if_fail (QUARRY_IS_FETCH_CONTEXT (self), NULL);
  return self->validator;
}

/**
 * quarry_fetch_context_set_validator:
 * @self: a fetch context
 * @validator: (nullable): a validator of the data this fetch returns
 *
 * Stores @validator with the data the fetch returns next, for later
 * fetches to read with [method@FetchContext.get_validator]. Call it before
 * returning the value.
 */
void
quarry_fetch_context_set_validator (QuarryFetchContext *self,
                                    const char         *validator)
{
  g_return_if_fail (QUARRY_IS_FETCH_CONTEXT (self));

  g_free (self->result_validator);
  self->result_validator = g_strdup (validator);
}

/**
 * quarry_fetch_context_set_max_age:
 * @self: a fetch context
 * @max_age: how long the returned data stays fresh, in milliseconds, or
 *   -1 to use the queries' stale time
 *
 * Says how long the data the fetch returns next stays fresh, as an HTTP
 * server does with `Cache-Control: max-age`. The queries of the entry then
 * use @max_age instead of their [property@Query:stale-time], except a
 * query whose stale time is [const@STALE_TIME_STATIC]. Call it before
 * returning the value.
 */
void
quarry_fetch_context_set_max_age (QuarryFetchContext *self,
                                  gint64              max_age)
{
  g_return_if_fail (QUARRY_IS_FETCH_CONTEXT (self));

  self->result_max_age = MAX (max_age, -1);
}

/**
 * quarry_fetch_context_return_unchanged:
 * @self: a fetch context with a validator
 *
 * Completes the fetch with the cached data it revalidated: the server said
 * that the data of [method@FetchContext.get_validator] did not change (an
 * HTTP 304). The data stays as it is and nothing about it is notified; it
 * counts as fetched now, so [property@Query:data-updated-at] moves and it is
 * fresh again. The validator is kept unless
 * [method@FetchContext.set_validator] gave a new one.
 *
 * It is a programming error to call this when
 * [method@FetchContext.get_validator] returns `NULL`.
 */
void
quarry_fetch_context_return_unchanged (QuarryFetchContext *self)
{
  g_return_if_fail (QUARRY_IS_FETCH_CONTEXT (self));
  g_return_if_fail (self->validator != NULL);

  if (!check_not_completed (self))
    return;

  if (self->result_validator == NULL)
    self->result_validator = g_strdup (self->validator);
  self->unchanged = TRUE;
  complete (self, _quarry_value_dup (self->current), NULL);
}

/**
 * quarry_fetch_context_get_idempotency_key:
 * @self: a fetch context
 *
 * Gets a random key that names the run this attempt belongs to: every
 * retry of one mutation run, or of one query fetch, gets the same key, and
 * another run gets another. Sent as an HTTP `Idempotency-Key`, it lets the
 * server tell a retry from a new request.
 *
 * Returns: the key, a UUID string
 */
const char *
quarry_fetch_context_get_idempotency_key (QuarryFetchContext *self)
{
  g_return_val_if_fail (QUARRY_IS_FETCH_CONTEXT (self), NULL);

  if (self->idempotency_key == NULL)
    {
      const char *key = NULL;

      if (self->owner != NULL && self->sink->idempotency_key != NULL)
        key = self->sink->idempotency_key (self->owner);
      self->idempotency_key = key != NULL ? g_strdup (key) : g_uuid_string_random ();
    }
  return self->idempotency_key;
}

/**
 * quarry_fetch_context_return_value:
 * @self: a fetch context
 * @value: the fetched data
 *
 * Completes the fetch with data of any type.
 *
 * JSON (`JsonNode`) is sealed when it is cached. An unset value, or an opaque
 * Python object, fails the fetch with a [error@Quarry.Error].
 */
void
quarry_fetch_context_return_value (QuarryFetchContext *self,
                                   const GValue       *value)
{
  g_return_if_fail (QUARRY_IS_FETCH_CONTEXT (self));
  g_return_if_fail (value != NULL);

  if (!check_not_completed (self))
    return;

  complete (self, _quarry_value_dup (value), NULL);
}

/**
 * quarry_fetch_context_return_json:
 * @self: a fetch context
 * @node: the fetched JSON
 *
 * Completes the fetch with JSON data. The node is sealed: it must not be
 * changed afterwards.
 */
void
quarry_fetch_context_return_json (QuarryFetchContext *self,
                                  JsonNode           *node)
{
  GValue value = G_VALUE_INIT;

  g_return_if_fail (QUARRY_IS_FETCH_CONTEXT (self));
  g_return_if_fail (node != NULL);

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, node);
  quarry_fetch_context_return_value (self, &value);
  g_value_unset (&value);
}

/**
 * quarry_fetch_context_return_error:
 * @self: a fetch context
 * @error: (transfer full): why the fetch failed
 *
 * Completes the fetch with an error. The query retries it according to its
 * [property@Query:retry] option, then goes to the error state, keeping its
 * data.
 */
void
quarry_fetch_context_return_error (QuarryFetchContext *self,
                                   GError             *error)
{
  g_return_if_fail (QUARRY_IS_FETCH_CONTEXT (self));
  g_return_if_fail (error != NULL);

  if (!check_not_completed (self))
    {
      g_error_free (error);
      return;
    }

  complete (self, NULL, error);
}

/**
 * quarry_fetch_context_return_error_literal:
 * @self: a fetch context
 * @domain: the error domain
 * @code: the error code
 * @message: the message, translated
 *
 * Completes the fetch with an error made from its parts.
 */
void
quarry_fetch_context_return_error_literal (QuarryFetchContext *self,
                                           GQuark              domain,
                                           gint                code,
                                           const char         *message)
{
  g_return_if_fail (QUARRY_IS_FETCH_CONTEXT (self));
  g_return_if_fail (message != NULL);

  quarry_fetch_context_return_error (self, g_error_new_literal (domain, code, message));
}

typedef struct
{
  QuarryThreadFunc func;
  gpointer data;
  GDestroyNotify destroy;
} ThreadWork;

static void
thread_work_free (gpointer data)
{
  ThreadWork *work = data;

  if (work->destroy != NULL)
    work->destroy (work->data);
  g_free (work);
}

static void
thread_func (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ThreadWork *work = task_data;
  GError *error = NULL;
  GValue *value = g_new0 (GValue, 1);

  work->func (cancellable, value, work->data, &error);
  if (error != NULL || !_quarry_value_is_set (value))
    {
      _quarry_value_free (value);
      if (error == NULL)
        error = g_error_new_literal (QUARRY_ERROR, QUARRY_ERROR_NO_RESULT,
                                     _("The fetch function finished without returning a result"));
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, value, (GDestroyNotify) _quarry_value_free);
}

static void
thread_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(QuarryFetchContext) self = user_data;
  GError *error = NULL;
  GValue *value;

  /* The work's data and the result are freed here, on the client's main
   * context: the worker may drop the task's last reference, and what they
   * hold (JSON shared with the cache, say) is not safe to free there. */
  g_task_set_task_data (G_TASK (result), NULL, NULL);
  value = g_task_propagate_pointer (G_TASK (result), &error);
  if (value == NULL)
    quarry_fetch_context_return_error (self, error);
  else
    {
      quarry_fetch_context_return_value (self, value);
      _quarry_value_free (value);
    }
}

/**
 * quarry_fetch_context_run_in_thread:
 * @self: a fetch context
 * @func: (scope notified) (closure user_data) (destroy destroy): the blocking work
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data, on the client's main context
 *
 * Runs @func in a worker thread and completes @self with its result, back on
 * the client's main context.
 *
 * @func gets the fetch's cancellable and must not touch Quarry objects.
 */
void
quarry_fetch_context_run_in_thread (QuarryFetchContext *self,
                                    QuarryThreadFunc    func,
                                    gpointer            user_data,
                                    GDestroyNotify      destroy)
{
  g_autoptr(GTask) task = NULL;
  ThreadWork *work;

  g_return_if_fail (QUARRY_IS_FETCH_CONTEXT (self));
  g_return_if_fail (func != NULL);

  work = g_new0 (ThreadWork, 1);
  work->func = func;
  work->data = user_data;
  work->destroy = destroy;

  g_main_context_push_thread_default (self->context);
  task = g_task_new (NULL, self->cancellable, thread_done_cb, g_object_ref (self));
  g_main_context_pop_thread_default (self->context);

  g_task_set_source_tag (task, quarry_fetch_context_run_in_thread);
  g_task_set_name (task, "[quarry] fetch in thread");
  g_task_set_return_on_cancel (task, FALSE);
  /* A result is always claimed (and freed) on the main context; a fetch
   * that was cancelled meanwhile drops it. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, work, thread_work_free);
  g_task_run_in_thread (task, thread_func);
}
