/* test-mutation.c: mutations, their runs in the client's mutation cache,
 * retries, scopes, network modes, defaults, filters and gc (TANSTACK.md
 * §1.10, §1.11, §1.15).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-util.h"

#define WALL_BASE 1700000000000

/* Helpers. */

static gint64
now (Fixture *f)
{
  return quarry_clock_get_monotonic_time (f->clock);
}

static const char *
status_name (QuarryMutationStatus status)
{
  static const char * const names[] = { "idle", "pending", "success", "error" };

  g_assert_cmpuint (status, <, G_N_ELEMENTS (names));
  return names[status];
}

static const char *
action_name (QuarryMutationAction action)
{
  static const char * const names[] = { "pending", "success", "error", "failed", "pause", "continue" };

  g_assert_cmpuint (action, <, G_N_ELEMENTS (names));
  return names[action];
}

static void
value_free (GValue *value)
{
  if (value != NULL)
    g_boxed_free (G_TYPE_VALUE, value);
}

/* Sets @value to the JSON string @text: the variables of the runs here are
 * short labels. */
static void
set_label (GValue     *value,
           const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  g_value_init (value, JSON_TYPE_NODE);
  g_value_take_boxed (value, node);
}

/* A short text for a value: a JSON string's own text, other JSON as JSON
 * text, an int64 as a number, "-" for none. */
static char *
label_of (const GValue *value)
{
  if (value == NULL)
    return g_strdup ("-");

  if (G_VALUE_HOLDS (value, JSON_TYPE_NODE))
    {
      JsonNode *node = g_value_get_boxed (value);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      return json_to_string (node, FALSE);
    }

  if (G_VALUE_HOLDS_INT64 (value))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (value));

  return g_strdup_value_contents (value);
}

#define assert_label(value, expected) G_STMT_START { \
  g_autofree char *_label = label_of (value); \
  g_assert_cmpstr (_label, ==, (expected)); \
} G_STMT_END

static QuarryMutation *
make_mutation (Fixture    *f,
               const char *key_json,
               Mutator    *mutator)
{
  g_autoptr(QuarryKey) key = key_json ? key_new (key_json) : NULL;

  return quarry_mutation_new (f->client, key, mutator ? mutator_func : NULL, mutator, NULL);
}

static void
mutate_label (QuarryMutation       *mutation,
              const char           *label,
              QuarryMutateCallback  callback,
              gpointer              user_data,
              GDestroyNotify        destroy)
{
  g_auto(GValue) variables = G_VALUE_INIT;

  set_label (&variables, label);
  quarry_mutation_mutate (mutation, &variables, callback, user_data, destroy);
}

static void
mutate_label_async (QuarryMutation      *mutation,
                    const char          *label,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_auto(GValue) variables = G_VALUE_INIT;

  set_label (&variables, label);
  quarry_mutation_mutate_async (mutation, &variables, cancellable, callback, user_data);
}

/* The labels of a mutator's calls, in call order, such as "A B A". */
static char *
mutator_calls (Mutator *mutator)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < mutator->variables->len; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (g_ptr_array_index (mutator->variables, i), NULL);
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *label = NULL;

      g_value_init (&value, JSON_TYPE_NODE);
      g_value_set_boxed (&value, node);
      label = label_of (&value);
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, label);
    }

  return g_string_free (out, FALSE);
}

#define assert_calls(mutator, expected) G_STMT_START { \
  g_autofree char *_calls = mutator_calls (mutator); \
  g_assert_cmpstr (_calls, ==, (expected)); \
} G_STMT_END

/* The index of the latest call of @mutator with the variables @label. */
static guint
call_index (Mutator    *mutator,
            const char *label)
{
  g_autofree char *json = g_strdup_printf ("\"%s\"", label);

  for (guint i = mutator->variables->len; i > 0; i--)
    if (g_str_equal (g_ptr_array_index (mutator->variables, i - 1), json))
      return i - 1;

  g_error ("No call with the variables %s", json);
}

static QuarryFetchContext *
call_context (Mutator    *mutator,
              const char *label)
{
  return g_ptr_array_index (mutator->pending, call_index (mutator, label));
}

static void
resolve (Mutator    *mutator,
         const char *label,
         const char *json)
{
  mutator_resolve_json (mutator, call_index (mutator, label), json);
}

static void
reject (Mutator    *mutator,
        const char *label,
        const char *message)
{
  mutator_reject (mutator, call_index (mutator, label), message);
}

/* The client's runs, oldest first, as "id=variables:status", with
 * "/paused" for paused runs. */
static char *
describe_runs (Fixture              *f,
               QuarryMutationFilter *filter)
{
  g_autoptr(GPtrArray) states = quarry_query_client_find_mutations (f->client, filter);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < states->len; i++)
    {
      QuarryMutationState *state = g_ptr_array_index (states, i);
      g_autofree char *variables = label_of (quarry_mutation_state_get_variables (state));

      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%" G_GUINT64_FORMAT "=%s:%s%s",
                              quarry_mutation_state_get_mutation_id (state), variables,
                              status_name (quarry_mutation_state_get_status (state)),
                              quarry_mutation_state_get_is_paused (state) ? "/paused" : "");
    }

  return g_string_free (out, FALSE);
}

#define assert_runs(f, filter, expected) G_STMT_START { \
  g_autofree char *_runs = describe_runs ((f), (filter)); \
  g_assert_cmpstr (_runs, ==, (expected)); \
} G_STMT_END

/* An event log: strings, compared joined by spaces, then emptied. */
static void G_GNUC_PRINTF (2, 3)
log_add (GPtrArray  *log,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (log, g_strdup_vprintf (format, args));
  va_end (args);
}

static char *
log_take (GPtrArray *log)
{
  char *joined;

  g_ptr_array_add (log, NULL);
  joined = g_strjoinv (" ", (char **) log->pdata);
  g_ptr_array_set_size (log, 0);
  return joined;
}

#define assert_log(log, expected) G_STMT_START { \
  g_autofree char *_log = log_take (log); \
  g_assert_cmpstr (_log, ==, (expected)); \
} G_STMT_END

/* Records a mutation's lifecycle into one log: its handlers, its function,
 * status changes, and the callbacks of mutate () and mutate_async (). */
typedef struct
{
  GPtrArray *log;
  Mutator *mutator;
  QuarryQueryClient *client;
  QuarryMutationStatus status;   /* the last status notify::status saw */
} Recorder;

static void
recorder_init (Recorder *r,
               Fixture  *f)
{
  r->log = g_ptr_array_new_with_free_func (g_free);
  r->mutator = mutator_new ();
  r->client = f->client;
  r->status = QUARRY_MUTATION_STATUS_IDLE;
}

static void
recorder_clear (Recorder *r)
{
  g_clear_pointer (&r->mutator, mutator_free);
  g_clear_pointer (&r->log, g_ptr_array_unref);
}

static void
recording_mutation_func (QuarryFetchContext *context,
                         const GValue       *variables,
                         gpointer            user_data)
{
  Recorder *r = user_data;

  log_add (r->log, "function");
  mutator_func (context, variables, r->mutator);
}

static GValue *
record_mutate_cb (QuarryMutation *mutation,
                  const GValue   *variables,
                  Recorder       *r)
{
  g_autofree char *label = label_of (variables);

  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_PENDING);
  log_add (r->log, "mutate(%s)", label);
  return NULL;
}

/* Inside the handlers the run is still pending, and still counted. */
static void
assert_still_pending (QuarryMutation *mutation,
                      Recorder       *r)
{
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_PENDING);
  g_assert_true (quarry_mutation_get_is_pending (mutation));
  g_assert_false (quarry_mutation_get_is_success (mutation));
  g_assert_false (quarry_mutation_get_is_error (mutation));
  g_assert_cmpuint (quarry_query_client_get_is_mutating (r->client), ==, 1);
}

static void
record_success_cb (QuarryMutation *mutation,
                   const GValue   *data,
                   const GValue   *variables,
                   const GValue   *context,
                   Recorder       *r)
{
  g_autofree char *label = label_of (data);

  assert_still_pending (mutation, r);
  log_add (r->log, "success(%s)", label);
}

static void
record_error_cb (QuarryMutation *mutation,
                 const GError   *error,
                 const GValue   *variables,
                 const GValue   *context,
                 Recorder       *r)
{
  assert_still_pending (mutation, r);
  log_add (r->log, "error(%s)", error->message);
}

static void
record_settled_cb (QuarryMutation *mutation,
                   const GValue   *data,
                   const GError   *error,
                   const GValue   *variables,
                   const GValue   *context,
                   Recorder       *r)
{
  g_autofree char *label = label_of (data);

  assert_still_pending (mutation, r);
  log_add (r->log, "settled(%s,%s)", label, error ? error->message : "-");
}

static void
record_status_cb (QuarryMutation *mutation,
                  GParamSpec     *pspec,
                  Recorder       *r)
{
  QuarryMutationStatus status = quarry_mutation_get_status (mutation);

  if (status != r->status)
    log_add (r->log, "status:%s", status_name (status));
  r->status = status;
}

static void
record_callback (QuarryMutation *mutation,
                 const GValue   *data,
                 const GError   *error,
                 const GValue   *variables,
                 const GValue   *context,
                 gpointer        user_data)
{
  Recorder *r = user_data;
  g_autofree char *label = label_of (data);

  g_assert_cmpint (quarry_mutation_get_status (mutation), !=, QUARRY_MUTATION_STATUS_PENDING);
  log_add (r->log, "callback(%s,%s)", label, error ? error->message : "-");
}

static void
record_async_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Recorder *r = user_data;
  g_autoptr(GError) error = NULL;
  GValue *data = quarry_mutation_mutate_finish (QUARRY_MUTATION (object), result, &error);
  g_autofree char *label = label_of (data);

  g_assert_true ((data == NULL) != (error == NULL));
  log_add (r->log, "async(%s,%s)", label, error ? error->message : "-");
  value_free (data);
}

static QuarryMutation *
make_recorded_mutation (Fixture  *f,
                        Recorder *r)
{
  QuarryMutation *mutation = quarry_mutation_new (f->client, NULL, recording_mutation_func, r, NULL);

  g_signal_connect (mutation, "mutate", G_CALLBACK (record_mutate_cb), r);
  g_signal_connect (mutation, "success", G_CALLBACK (record_success_cb), r);
  g_signal_connect (mutation, "error", G_CALLBACK (record_error_cb), r);
  g_signal_connect (mutation, "settled", G_CALLBACK (record_settled_cb), r);
  g_signal_connect (mutation, "notify::status", G_CALLBACK (record_status_cb), r);
  return mutation;
}

/* What a per-call callback of mutate () got. */
typedef struct
{
  guint calls;
  guint destroyed;
  char *data;
  GError *error;
  char *variables;
  char *context;
} CallRecord;

static void
call_record_cb (QuarryMutation *mutation,
                const GValue   *data,
                const GError   *error,
                const GValue   *variables,
                const GValue   *context,
                gpointer        user_data)
{
  CallRecord *record = user_data;

  record->calls++;
  g_free (record->data);
  record->data = label_of (data);
  g_clear_error (&record->error);
  record->error = error ? g_error_copy (error) : NULL;
  g_free (record->variables);
  record->variables = label_of (variables);
  g_free (record->context);
  record->context = label_of (context);
}

static void
call_record_destroy (gpointer user_data)
{
  CallRecord *record = user_data;

  record->destroyed++;
}

static void
call_record_clear (CallRecord *record)
{
  g_clear_pointer (&record->data, g_free);
  g_clear_error (&record->error);
  g_clear_pointer (&record->variables, g_free);
  g_clear_pointer (&record->context, g_free);
}

static GValue *
count_mutate_cb (QuarryMutation *mutation,
                 const GValue   *variables,
                 guint          *count)
{
  (*count)++;
  return NULL;
}

static void
increment_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
record_action_cb (QuarryMutation       *mutation,
                  QuarryMutationAction  action,
                  GPtrArray            *log)
{
  log_add (log, "%s", action_name (action));
}

static void
log_success_cb (QuarryMutation *mutation,
                const GValue   *data,
                const GValue   *variables,
                const GValue   *context,
                GPtrArray      *log)
{
  g_autofree char *label = label_of (variables);

  log_add (log, "success(%s)", label);
}

static void
log_error_cb (QuarryMutation *mutation,
              const GError   *error,
              const GValue   *variables,
              const GValue   *context,
              GPtrArray      *log)
{
  g_autofree char *label = label_of (variables);

  log_add (log, "error(%s,%s)", label, error->message);
}

/* 1. The lifecycle order. */

/* mutate → function → success → settled → status → per-call callback, then
 * the same for mutate_async (). */
static void
test_lifecycle_success (Fixture       *f,
                        gconstpointer  data)
{
  Recorder r;
  QuarryMutation *mutation;

  recorder_init (&r, f);
  mutation = make_recorded_mutation (f, &r);

  mutate_label (mutation, "A", record_callback, &r, NULL);
  assert_log (r.log, "status:pending mutate(A) function");

  /* The result arrives on a later iteration. */
  mutator_resolve_json (r.mutator, 0, "{\"id\":1}");
  assert_log (r.log, "");
  quarry_clock_flush (f->clock);
  assert_log (r.log, "success({\"id\":1}) settled({\"id\":1},-) status:success callback({\"id\":1},-)");
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_SUCCESS);
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 0);

  /* mutate_async (): its callback comes last. */
  mutate_label_async (mutation, "B", NULL, record_async_cb, &r);
  assert_log (r.log, "status:pending mutate(B) function");
  mutator_resolve_json (r.mutator, 1, "{\"id\":2}");
  quarry_clock_flush (f->clock);
  assert_log (r.log, "success({\"id\":2}) settled({\"id\":2},-) status:success async({\"id\":2},-)");

  g_assert_cmpuint (r.mutator->calls, ==, 2);
  recorder_clear (&r);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (mutation);
}

/* mutate → function → error → settled → status → per-call callback, with
 * the error. */
static void
test_lifecycle_error (Fixture       *f,
                      gconstpointer  data)
{
  Recorder r;
  QuarryMutation *mutation;

  recorder_init (&r, f);
  mutation = make_recorded_mutation (f, &r);

  mutate_label (mutation, "A", record_callback, &r, NULL);
  assert_log (r.log, "status:pending mutate(A) function");
  mutator_reject (r.mutator, 0, "boom");
  quarry_clock_flush (f->clock);
  assert_log (r.log, "error(boom) settled(-,boom) status:error callback(-,boom)");
  g_assert_error (quarry_mutation_get_error (mutation), G_IO_ERROR, G_IO_ERROR_FAILED);

  mutate_label_async (mutation, "B", NULL, record_async_cb, &r);
  assert_log (r.log, "status:pending mutate(B) function");
  mutator_reject (r.mutator, 1, "bang");
  quarry_clock_flush (f->clock);
  assert_log (r.log, "error(bang) settled(-,bang) status:error async(-,bang)");

  recorder_clear (&r);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (mutation);
}

static GValue *
mutate_returns_cb (QuarryMutation *mutation,
                   const GValue   *variables,
                   gpointer        user_data)
{
  gint64 value = GPOINTER_TO_INT (user_data);

  return value != 0 ? value_new_int (value) : NULL;
}

static void
context_success_cb (QuarryMutation *mutation,
                    const GValue   *data,
                    const GValue   *variables,
                    const GValue   *context,
                    GPtrArray      *log)
{
  g_autofree char *label = label_of (context);
  g_autofree char *vars = label_of (variables);

  log_add (log, "success:%s:%s", vars, label);
}

static void
context_error_cb (QuarryMutation *mutation,
                  const GError   *error,
                  const GValue   *variables,
                  const GValue   *context,
                  GPtrArray      *log)
{
  g_autofree char *label = label_of (context);
  g_autofree char *vars = label_of (variables);

  log_add (log, "error:%s:%s", vars, label);
}

static void
context_settled_cb (QuarryMutation *mutation,
                    const GValue   *data,
                    const GError   *error,
                    const GValue   *variables,
                    const GValue   *context,
                    GPtrArray      *log)
{
  g_autofree char *label = label_of (context);
  g_autofree char *vars = label_of (variables);

  log_add (log, "settled:%s:%s", vars, label);
}

/* What ::mutate returns is the run's context: the first non-NULL return
 * wins, every handler runs, and the context reaches the other handlers, the
 * per-call callback and the context property. */
static void
test_lifecycle_context (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(QuarryMutationState) state = NULL;
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  CallRecord records[2] = { { 0, } };
  guint mutate_calls = 0;
  GValue *context = NULL;

  g_signal_connect (mutation, "mutate", G_CALLBACK (count_mutate_cb), &mutate_calls);
  g_signal_connect (mutation, "mutate", G_CALLBACK (mutate_returns_cb), GINT_TO_POINTER (0));
  g_signal_connect (mutation, "mutate", G_CALLBACK (mutate_returns_cb), GINT_TO_POINTER (42));
  g_signal_connect (mutation, "mutate", G_CALLBACK (mutate_returns_cb), GINT_TO_POINTER (99));
  g_signal_connect (mutation, "mutate", G_CALLBACK (count_mutate_cb), &mutate_calls);
  g_signal_connect (mutation, "success", G_CALLBACK (context_success_cb), log);
  g_signal_connect (mutation, "error", G_CALLBACK (context_error_cb), log);
  g_signal_connect (mutation, "settled", G_CALLBACK (context_settled_cb), log);

  mutate_label (mutation, "A", call_record_cb, &records[0], NULL);
  g_assert_cmpuint (mutate_calls, ==, 2);
  g_assert_cmpint (value_get_int (quarry_mutation_get_context (mutation)), ==, 42);
  g_object_get (mutation, "context", &context, NULL);
  g_assert_cmpint (value_get_int (context), ==, 42);
  g_clear_pointer (&context, value_free);
  state = quarry_mutation_dup_state (mutation);
  g_assert_cmpint (value_get_int (quarry_mutation_state_get_context (state)), ==, 42);

  mutator_resolve_json (mutator, 0, "true");
  quarry_clock_flush (f->clock);
  assert_log (log, "success:A:42 settled:A:42");
  g_assert_cmpuint (records[0].calls, ==, 1);
  g_assert_cmpstr (records[0].context, ==, "42");
  g_assert_cmpstr (records[0].variables, ==, "A");
  g_assert_cmpstr (records[0].data, ==, "true");
  g_assert_cmpint (value_get_int (quarry_mutation_get_context (mutation)), ==, 42);

  /* The error path gets it too. */
  mutate_label (mutation, "B", call_record_cb, &records[1], NULL);
  mutator_reject (mutator, 1, "boom");
  quarry_clock_flush (f->clock);
  assert_log (log, "error:B:42 settled:B:42");
  g_assert_cmpuint (records[1].calls, ==, 1);
  g_assert_cmpstr (records[1].context, ==, "42");
  g_assert_cmpstr (records[1].variables, ==, "B");
  g_assert_cmpstr (records[1].data, ==, "-");

  g_clear_pointer (&mutator, mutator_free);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (mutation);
  call_record_clear (&records[0]);
  call_record_clear (&records[1]);
}

/* A mutation without a ::mutate handler that returns something has no
 * context. */
static void
test_lifecycle_no_context (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  CallRecord record = { 0, };

  g_signal_connect (mutation, "mutate", G_CALLBACK (mutate_returns_cb), GINT_TO_POINTER (0));
  quarry_mutation_mutate (mutation, NULL, call_record_cb, &record, call_record_destroy);
  g_assert_null (quarry_mutation_get_context (mutation));
  g_assert_null (quarry_mutation_get_variables (mutation));
  g_assert_cmpstr (g_ptr_array_index (mutator->variables, 0), ==, "null");

  mutator_resolve_json (mutator, 0, "1");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpuint (record.destroyed, ==, 1);
  g_assert_cmpstr (record.context, ==, "-");
  g_assert_cmpstr (record.variables, ==, "-");

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
  call_record_clear (&record);
}

static void
mutate_again_cb (QuarryMutation *mutation,
                 const GValue   *data,
                 const GValue   *variables,
                 const GValue   *context,
                 CallRecord     *record)
{
  g_autofree char *label = label_of (variables);

  if (g_str_equal (label, "A"))
    mutate_label (mutation, "B", call_record_cb, record, call_record_destroy);
}

/* mutate () from a ::success handler: the new run takes over, and the
 * callback of the settling run is dropped. */
static void
test_lifecycle_reentrant (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  CallRecord records[2] = { { 0, } };

  g_signal_connect (mutation, "success", G_CALLBACK (mutate_again_cb), &records[1]);
  mutate_label (mutation, "A", call_record_cb, &records[0], call_record_destroy);
  resolve (mutator, "A", "1");
  quarry_clock_flush (f->clock);

  assert_calls (mutator, "A B");
  g_assert_cmpuint (records[0].calls, ==, 0);
  g_assert_cmpuint (records[0].destroyed, ==, 1);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_PENDING);
  assert_label (quarry_mutation_get_variables (mutation), "B");
  assert_runs (f, NULL, "1=A:success 2=B:pending");
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 1);

  resolve (mutator, "B", "2");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (records[1].calls, ==, 1);
  g_assert_cmpuint (records[1].destroyed, ==, 1);
  g_assert_cmpstr (records[1].data, ==, "2");
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_SUCCESS);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
  call_record_clear (&records[0]);
  call_record_clear (&records[1]);
}

/* 2. The per-call callback of the latest mutate () only. */

static void
test_latest_callback (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  CallRecord records[4] = { { 0, } };

  g_signal_connect (mutation, "success", G_CALLBACK (log_success_cb), log);

  mutate_label (mutation, "A", call_record_cb, &records[0], call_record_destroy);
  g_assert_cmpuint (records[0].destroyed, ==, 0);
  mutate_label (mutation, "B", call_record_cb, &records[1], call_record_destroy);
  /* A later mutate () drops the callback without calling it. */
  g_assert_cmpuint (records[0].destroyed, ==, 1);
  g_assert_cmpuint (records[1].destroyed, ==, 0);
  mutate_label (mutation, "C", call_record_cb, &records[2], call_record_destroy);
  g_assert_cmpuint (records[1].destroyed, ==, 1);
  assert_calls (mutator, "A B C");
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 3);

  /* Completed out of order: the latest first. */
  resolve (mutator, "C", "\"c\"");
  quarry_clock_flush (f->clock);
  assert_log (log, "success(C)");
  g_assert_cmpuint (records[2].calls, ==, 1);
  g_assert_cmpuint (records[2].destroyed, ==, 1);
  g_assert_cmpstr (records[2].data, ==, "c");
  g_assert_cmpstr (records[2].variables, ==, "C");
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_SUCCESS);

  resolve (mutator, "A", "\"a\"");
  quarry_clock_flush (f->clock);
  resolve (mutator, "B", "\"b\"");
  quarry_clock_flush (f->clock);

  /* The mutation's own handler ran for every run; the callbacks of the
   * older calls never ran, and the state still shows the latest run. */
  assert_log (log, "success(A) success(B)");
  g_assert_cmpuint (records[0].calls, ==, 0);
  g_assert_cmpuint (records[1].calls, ==, 0);
  g_assert_cmpuint (records[2].calls, ==, 1);
  assert_label (quarry_mutation_get_value (mutation), "c");
  assert_label (quarry_mutation_get_variables (mutation), "C");
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 0);

  /* reset () drops the pending callback; the run goes on and its handler
   * still runs. */
  mutate_label (mutation, "D", call_record_cb, &records[3], call_record_destroy);
  quarry_mutation_reset (mutation);
  g_assert_cmpuint (records[3].destroyed, ==, 1);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_IDLE);
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 1);
  resolve (mutator, "D", "\"d\"");
  quarry_clock_flush (f->clock);
  assert_log (log, "success(D)");
  g_assert_cmpuint (records[3].calls, ==, 0);
  g_assert_cmpuint (records[3].destroyed, ==, 1);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_IDLE);
  g_assert_null (quarry_mutation_get_value (mutation));

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    call_record_clear (&records[i]);
}

/* 3. State properties. */

static void
assert_idle (QuarryMutation *mutation)
{
  g_autoptr(QuarryMutationState) state = quarry_mutation_dup_state (mutation);
  QuarryMutationStatus status;
  guint failure_count;
  gboolean is_paused, is_idle;
  gint64 submitted_at;
  GValue *variables;
  GError *error;

  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_IDLE);
  g_assert_true (quarry_mutation_get_is_idle (mutation));
  g_assert_false (quarry_mutation_get_is_pending (mutation));
  g_assert_false (quarry_mutation_get_is_success (mutation));
  g_assert_false (quarry_mutation_get_is_error (mutation));
  g_assert_null (quarry_mutation_get_value (mutation));
  g_assert_null (quarry_mutation_get_error (mutation));
  g_assert_null (quarry_mutation_get_variables (mutation));
  g_assert_null (quarry_mutation_get_context (mutation));
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 0);
  g_assert_null (quarry_mutation_get_failure_reason (mutation));
  g_assert_false (quarry_mutation_get_is_paused (mutation));
  g_assert_cmpint (quarry_mutation_get_submitted_at (mutation), ==, 0);

  g_object_get (mutation,
                "status", &status,
                "failure-count", &failure_count,
                "is-paused", &is_paused,
                "is-idle", &is_idle,
                "submitted-at", &submitted_at,
                "variables", &variables,
                "error", &error,
                NULL);
  g_assert_cmpint (status, ==, QUARRY_MUTATION_STATUS_IDLE);
  g_assert_cmpuint (failure_count, ==, 0);
  g_assert_false (is_paused);
  g_assert_true (is_idle);
  g_assert_cmpint (submitted_at, ==, 0);
  g_assert_null (variables);
  g_assert_null (error);

  g_assert_cmpuint (quarry_mutation_state_get_mutation_id (state), ==, 0);
  g_assert_cmpint (quarry_mutation_state_get_status (state), ==, QUARRY_MUTATION_STATUS_IDLE);
  g_assert_null (quarry_mutation_state_get_value (state));
  g_assert_null (quarry_mutation_state_get_error (state));
  g_assert_null (quarry_mutation_state_get_variables (state));
  g_assert_null (quarry_mutation_state_get_scope_id (state));
  g_assert_cmpint (quarry_mutation_state_get_submitted_at (state), ==, 0);
  g_assert_cmpuint (quarry_mutation_state_get_failure_count (state), ==, 0);
  g_assert_false (quarry_mutation_state_get_is_paused (state));
}

static void
test_state (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"todos\",\"add\"]");
  g_autoptr(QuarryMutationState) state = NULL;
  QuarryMutation *mutation = quarry_mutation_new (f->client, key, mutator_func, mutator, NULL);
  guint status_notifies = 0, paused_notifies = 0;
  GError *error = NULL;
  GValue *value = NULL;
  gint64 submitted_at;

  g_signal_connect (mutation, "notify::status", G_CALLBACK (increment_notify_cb), &status_notifies);
  g_signal_connect (mutation, "notify::is-paused", G_CALLBACK (increment_notify_cb), &paused_notifies);

  g_assert_true (quarry_mutation_get_client (mutation) == f->client);
  g_assert_true (quarry_key_equal (quarry_mutation_get_mutation_key (mutation), key));
  g_assert_nonnull (quarry_mutation_get_options (mutation));
  assert_idle (mutation);
  state = quarry_mutation_dup_state (mutation);
  g_assert_true (quarry_key_equal (quarry_mutation_state_get_mutation_key (state), key));
  g_clear_pointer (&state, quarry_mutation_state_unref);

  /* Submitted at the clock's wall time. */
  quarry_clock_advance (f->clock, 5000);
  mutate_label (mutation, "A", NULL, NULL, NULL);
  g_assert_cmpuint (status_notifies, >=, 1);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_PENDING);
  g_assert_true (quarry_mutation_get_is_pending (mutation));
  g_assert_false (quarry_mutation_get_is_idle (mutation));
  g_assert_false (quarry_mutation_get_is_paused (mutation));
  g_assert_cmpint (quarry_mutation_get_submitted_at (mutation), ==, WALL_BASE + 5000);
  g_assert_cmpint (quarry_mutation_get_submitted_at (mutation), ==, quarry_clock_get_wall_time (f->clock));
  assert_label (quarry_mutation_get_variables (mutation), "A");
  g_assert_null (quarry_mutation_get_value (mutation));
  g_assert_null (quarry_mutation_get_error (mutation));
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 0);
  g_object_get (mutation, "submitted-at", &submitted_at, "variables", &value, NULL);
  g_assert_cmpint (submitted_at, ==, WALL_BASE + 5000);
  assert_label (value, "A");
  g_clear_pointer (&value, value_free);

  state = quarry_mutation_dup_state (mutation);
  g_assert_cmpuint (quarry_mutation_state_get_mutation_id (state), ==, 1);
  g_assert_true (quarry_key_equal (quarry_mutation_state_get_mutation_key (state), key));
  g_assert_cmpint (quarry_mutation_state_get_status (state), ==, QUARRY_MUTATION_STATUS_PENDING);
  g_assert_cmpint (quarry_mutation_state_get_submitted_at (state), ==, WALL_BASE + 5000);
  assert_label (quarry_mutation_state_get_variables (state), "A");
  g_assert_null (quarry_mutation_state_get_value (state));

  /* Time passing changes nothing, and a snapshot does not change. */
  quarry_clock_advance (f->clock, 250);
  g_assert_cmpint (quarry_mutation_get_submitted_at (mutation), ==, WALL_BASE + 5000);
  mutator_resolve_json (mutator, 0, "{\"id\":1}");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_mutation_state_get_status (state), ==, QUARRY_MUTATION_STATUS_PENDING);
  g_clear_pointer (&state, quarry_mutation_state_unref);

  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_SUCCESS);
  g_assert_true (quarry_mutation_get_is_success (mutation));
  g_assert_false (quarry_mutation_get_is_pending (mutation));
  assert_label (quarry_mutation_get_value (mutation), "{\"id\":1}");
  g_object_get (mutation, "data", &value, NULL);
  assert_label (value, "{\"id\":1}");
  g_clear_pointer (&value, value_free);
  g_assert_null (quarry_mutation_get_error (mutation));
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 0);
  assert_label (quarry_mutation_get_variables (mutation), "A");
  g_assert_cmpint (quarry_mutation_get_submitted_at (mutation), ==, WALL_BASE + 5000);
  state = quarry_mutation_dup_state (mutation);
  g_assert_cmpuint (quarry_mutation_state_get_mutation_id (state), ==, 1);
  g_assert_cmpint (quarry_mutation_state_get_status (state), ==, QUARRY_MUTATION_STATUS_SUCCESS);
  assert_label (quarry_mutation_state_get_value (state), "{\"id\":1}");
  g_clear_pointer (&state, quarry_mutation_state_unref);

  /* reset () goes back to idle, and says so. */
  status_notifies = 0;
  quarry_mutation_reset (mutation);
  g_assert_cmpuint (status_notifies, ==, 1);
  assert_idle (mutation);

  /* A failing run. */
  mutate_label (mutation, "B", NULL, NULL, NULL);
  g_assert_cmpint (quarry_mutation_get_submitted_at (mutation), ==, WALL_BASE + 5250);
  mutator_reject (mutator, 1, "boom");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_ERROR);
  g_assert_true (quarry_mutation_get_is_error (mutation));
  g_assert_error (quarry_mutation_get_error (mutation), G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (quarry_mutation_get_error (mutation)->message, ==, "boom");
  g_assert_error (quarry_mutation_get_failure_reason (mutation), G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (quarry_mutation_get_failure_reason (mutation)->message, ==, "boom");
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 1);
  g_assert_null (quarry_mutation_get_value (mutation));
  assert_label (quarry_mutation_get_variables (mutation), "B");
  g_object_get (mutation, "error", &error, NULL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_object_get (mutation, "failure-reason", &error, NULL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);

  state = quarry_mutation_dup_state (mutation);
  g_assert_cmpuint (quarry_mutation_state_get_mutation_id (state), ==, 2);
  g_assert_cmpint (quarry_mutation_state_get_status (state), ==, QUARRY_MUTATION_STATUS_ERROR);
  g_assert_error (quarry_mutation_state_get_error (state), G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (quarry_mutation_state_get_failure_reason (state)->message, ==, "boom");
  g_assert_cmpuint (quarry_mutation_state_get_failure_count (state), ==, 1);
  g_assert_cmpint (quarry_mutation_state_get_submitted_at (state), ==, WALL_BASE + 5250);

  /* Nothing here paused. */
  g_assert_cmpuint (paused_notifies, >, 0);
  g_assert_false (quarry_mutation_get_is_paused (mutation));

  status_notifies = 0;
  quarry_mutation_reset (mutation);
  g_assert_cmpuint (status_notifies, ==, 1);
  assert_idle (mutation);

  /* reset () on an idle mutation does not notify. */
  quarry_mutation_reset (mutation);
  g_assert_cmpuint (status_notifies, ==, 1);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
}

/* 4. Retries. */

/* Mutations do not retry by default. */
static void
test_retry_default_none (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  gint retry;

  g_object_get (quarry_mutation_get_options (mutation), "retry", &retry, NULL);
  g_assert_cmpint (retry, ==, 0);
  g_assert_false (quarry_mutation_options_is_set (quarry_mutation_get_options (mutation), "retry"));

  mutate_label (mutation, "A", NULL, NULL, NULL);
  mutator_reject (mutator, 0, "boom");
  quarry_clock_flush (f->clock);

  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_ERROR);
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 1);
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);   /* no retry armed */
  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (mutator->calls, ==, 1);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
}

static void
assert_retrying (QuarryMutation *mutation,
                 guint           failure_count,
                 const char     *reason)
{
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_PENDING);
  g_assert_null (quarry_mutation_get_error (mutation));
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, failure_count);
  g_assert_nonnull (quarry_mutation_get_failure_reason (mutation));
  g_assert_cmpstr (quarry_mutation_get_failure_reason (mutation)->message, ==, reason);
  g_assert_false (quarry_mutation_get_is_paused (mutation));
}

/* retry 2 with the default back-off: 1 s, then 2 s; 3 calls, a final
 * failure count of 3. */
static void
test_retry_backoff (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  CallRecord record = { 0, };

  g_object_set (quarry_mutation_get_options (mutation), "retry", 2, NULL);
  g_signal_connect (mutation, "state-changed", G_CALLBACK (record_action_cb), actions);

  mutate_label (mutation, "A", call_record_cb, &record, NULL);
  g_assert_cmpuint (mutator->calls, ==, 1);
  g_assert_cmpuint (quarry_fetch_context_get_attempt (g_ptr_array_index (mutator->pending, 0)), ==, 1);

  mutator_reject (mutator, 0, "first");
  quarry_clock_flush (f->clock);
  assert_retrying (mutation, 1, "first");
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 1);

  quarry_clock_advance (f->clock, 999);
  g_assert_cmpuint (mutator->calls, ==, 1);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (mutator->calls, ==, 2);
  g_assert_cmpint (now (f), ==, 1000);
  g_assert_cmpuint (quarry_fetch_context_get_attempt (g_ptr_array_index (mutator->pending, 1)), ==, 2);
  assert_retrying (mutation, 1, "first");

  mutator_reject (mutator, 1, "second");
  quarry_clock_flush (f->clock);
  assert_retrying (mutation, 2, "second");
  quarry_clock_advance (f->clock, 1999);
  g_assert_cmpuint (mutator->calls, ==, 2);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (mutator->calls, ==, 3);
  g_assert_cmpint (now (f), ==, 3000);
  assert_calls (mutator, "A A A");

  mutator_reject (mutator, 2, "third");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_ERROR);
  g_assert_cmpstr (quarry_mutation_get_error (mutation)->message, ==, "third");
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 3);
  g_assert_cmpstr (quarry_mutation_get_failure_reason (mutation)->message, ==, "third");
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_error (record.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (record.error->message, ==, "third");
  assert_log (actions, "pending failed failed error");

  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (mutator->calls, ==, 3);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
  call_record_clear (&record);
}

/* A fixed retry-delay, and a success after a retry resets the failure
 * count. */
static void
test_retry_fixed_delay (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);

  g_object_set (quarry_mutation_get_options (mutation), "retry", 2, "retry-delay", (gint64) 250, NULL);

  mutate_label (mutation, "A", NULL, NULL, NULL);
  mutator_reject (mutator, 0, "boom");
  quarry_clock_flush (f->clock);
  quarry_clock_advance (f->clock, 249);
  g_assert_cmpuint (mutator->calls, ==, 1);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (mutator->calls, ==, 2);

  mutator_reject (mutator, 1, "boom");
  quarry_clock_flush (f->clock);
  assert_retrying (mutation, 2, "boom");
  quarry_clock_advance (f->clock, 249);
  g_assert_cmpuint (mutator->calls, ==, 2);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (mutator->calls, ==, 3);
  g_assert_cmpint (now (f), ==, 500);

  mutator_resolve_json (mutator, 2, "\"ok\"");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_SUCCESS);
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 0);
  g_assert_null (quarry_mutation_get_failure_reason (mutation));
  assert_label (quarry_mutation_get_value (mutation), "ok");

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
}

static gboolean
retry_unless_fatal (guint         failure_count,
                    const GError *error,
                    gpointer      user_data)
{
  log_add (user_data, "retry?%u", failure_count);
  return !g_str_equal (error->message, "fatal");
}

static gint64
delay_by_count (guint         failure_count,
                const GError *error,
                gpointer      user_data)
{
  log_add (user_data, "delay%u", failure_count);
  return 10 * (failure_count + 1);
}

/* A retry function decides instead of the retry count; a retry delay
 * function gives the delays. */
static void
test_retry_func (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  QuarryMutationOptions *options = quarry_mutation_get_options (mutation);

  g_object_set (options, "retry", 0, NULL);
  quarry_mutation_options_set_retry_func (options, retry_unless_fatal, log, NULL);
  quarry_mutation_options_set_retry_delay_func (options, delay_by_count, log, NULL);
  g_assert_true (quarry_mutation_options_is_set (options, "retry-func"));
  g_assert_true (quarry_mutation_options_is_set (options, "retry-delay-func"));

  mutate_label (mutation, "A", NULL, NULL, NULL);
  mutator_reject (mutator, 0, "boom");
  quarry_clock_flush (f->clock);
  assert_log (log, "retry?0 delay0");
  assert_retrying (mutation, 1, "boom");
  quarry_clock_advance (f->clock, 9);
  g_assert_cmpuint (mutator->calls, ==, 1);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (mutator->calls, ==, 2);

  mutator_reject (mutator, 1, "boom");
  quarry_clock_flush (f->clock);
  assert_log (log, "retry?1 delay1");
  quarry_clock_advance (f->clock, 19);
  g_assert_cmpuint (mutator->calls, ==, 2);
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (mutator->calls, ==, 3);
  g_assert_cmpint (now (f), ==, 30);

  mutator_reject (mutator, 2, "fatal");
  quarry_clock_flush (f->clock);
  assert_log (log, "retry?2");
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_ERROR);
  g_assert_cmpstr (quarry_mutation_get_error (mutation)->message, ==, "fatal");
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 3);
  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (mutator->calls, ==, 3);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
}

/* 5. Retries pause while the application is not focused; first attempts
 * do not wait for focus. */
static void
test_retry_pause_unfocused (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  guint paused_notifies = 0;

  g_object_set (quarry_mutation_get_options (mutation), "retry", 1, NULL);
  g_signal_connect (mutation, "state-changed", G_CALLBACK (record_action_cb), actions);

  mutate_label (mutation, "A", NULL, NULL, NULL);
  mutator_reject (mutator, 0, "boom");
  quarry_clock_flush (f->clock);
  assert_retrying (mutation, 1, "boom");

  quarry_clock_advance (f->clock, 500);
  quarry_query_client_set_focused (f->client, FALSE);
  g_signal_connect (mutation, "notify::is-paused", G_CALLBACK (increment_notify_cb), &paused_notifies);
  quarry_clock_advance (f->clock, 499);
  g_assert_false (quarry_mutation_get_is_paused (mutation));

  /* The delay elapsed: the retry waits for focus instead of running. */
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (mutator->calls, ==, 1);
  g_assert_true (quarry_mutation_get_is_paused (mutation));
  g_assert_cmpuint (paused_notifies, >=, 1);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_PENDING);
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 1);
  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (mutator->calls, ==, 1);

  /* Resuming by hand does not help while unfocused. */
  quarry_query_client_resume_paused_mutations (f->client);
  g_assert_cmpuint (mutator->calls, ==, 1);
  g_assert_true (quarry_mutation_get_is_paused (mutation));

  quarry_query_client_set_focused (f->client, TRUE);
  g_assert_cmpuint (mutator->calls, ==, 2);
  g_assert_false (quarry_mutation_get_is_paused (mutation));
  g_assert_cmpuint (quarry_fetch_context_get_attempt (g_ptr_array_index (mutator->pending, 1)), ==, 2);
  assert_retrying (mutation, 1, "boom");

  mutator_resolve_json (mutator, 1, "1");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_SUCCESS);
  assert_log (actions, "pending failed pause continue success");

  /* While unfocused, a first attempt still runs (TanStack's canStart does
   * not look at focus). */
  quarry_query_client_set_focused (f->client, FALSE);
  mutate_label (mutation, "B", NULL, NULL, NULL);
  g_assert_cmpuint (mutator->calls, ==, 3);
  g_assert_false (quarry_mutation_get_is_paused (mutation));
  quarry_query_client_set_focused (f->client, TRUE);

  g_clear_pointer (&mutator, mutator_free);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (mutation);
}

/* 6. Scopes. */

/* Runs of one scope run one after another in submission order, whatever
 * order the other runs complete in; other scopes and unscoped runs run in
 * parallel; a failed run lets the next one run. */
static void
test_scope_serial (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *in_s = make_mutation (f, NULL, mutator);
  QuarryMutation *in_t = make_mutation (f, NULL, mutator);
  QuarryMutation *unscoped = make_mutation (f, NULL, mutator);
  g_autoptr(QuarryMutationState) state = NULL;
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  CallRecord record = { 0, };

  g_object_set (quarry_mutation_get_options (in_s), "scope-id", "s", NULL);
  g_object_set (quarry_mutation_get_options (in_t), "scope-id", "t", NULL);
  g_signal_connect (in_s, "success", G_CALLBACK (log_success_cb), log);
  g_signal_connect (in_s, "error", G_CALLBACK (log_error_cb), log);

  mutate_label (in_s, "A", NULL, NULL, NULL);
  mutate_label (in_s, "B", NULL, NULL, NULL);
  mutate_label (in_s, "C", call_record_cb, &record, NULL);
  assert_calls (mutator, "A");
  assert_runs (f, NULL, "1=A:pending 2=B:pending/paused 3=C:pending/paused");
  g_assert_true (quarry_mutation_get_is_paused (in_s));   /* it shows C */
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 3);
  state = quarry_mutation_dup_state (in_s);
  g_assert_cmpstr (quarry_mutation_state_get_scope_id (state), ==, "s");

  /* Another scope and an unscoped run do not wait for "s". */
  mutate_label (in_t, "T1", NULL, NULL, NULL);
  mutate_label (in_t, "T2", NULL, NULL, NULL);
  mutate_label (unscoped, "U", NULL, NULL, NULL);
  assert_calls (mutator, "A T1 U");
  assert_runs (f, NULL,
               "1=A:pending 2=B:pending/paused 3=C:pending/paused "
               "4=T1:pending 5=T2:pending/paused 6=U:pending");

  /* Whatever the other runs do, B and C wait for A. */
  resolve (mutator, "T1", "1");
  quarry_clock_flush (f->clock);
  assert_calls (mutator, "A T1 U T2");
  resolve (mutator, "U", "1");
  resolve (mutator, "T2", "1");
  quarry_clock_flush (f->clock);
  quarry_clock_advance (f->clock, 60000);
  assert_calls (mutator, "A T1 U T2");
  assert_runs (f, NULL,
               "1=A:pending 2=B:pending/paused 3=C:pending/paused "
               "4=T1:success 5=T2:success 6=U:success");

  /* A settles: B runs, not C. */
  resolve (mutator, "A", "1");
  quarry_clock_flush (f->clock);
  assert_calls (mutator, "A T1 U T2 B");
  assert_runs (f, NULL,
               "1=A:success 2=B:pending 3=C:pending/paused "
               "4=T1:success 5=T2:success 6=U:success");
  quarry_clock_advance (f->clock, 60000);
  assert_calls (mutator, "A T1 U T2 B");

  /* B fails: C runs next all the same. */
  reject (mutator, "B", "boom");
  quarry_clock_flush (f->clock);
  assert_calls (mutator, "A T1 U T2 B C");
  g_assert_false (quarry_mutation_get_is_paused (in_s));
  resolve (mutator, "C", "\"c\"");
  quarry_clock_flush (f->clock);
  assert_log (log, "success(A) error(B,boom) success(C)");
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpstr (record.data, ==, "c");
  assert_runs (f, NULL,
               "1=A:success 2=B:error 3=C:success "
               "4=T1:success 5=T2:success 6=U:success");
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 0);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (in_s);
  g_assert_finalize_object (in_t);
  g_assert_finalize_object (unscoped);
  call_record_clear (&record);
}

/* A run waiting for its retry still holds its scope. */
static void
test_scope_retry_holds (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *first = make_mutation (f, NULL, mutator);
  QuarryMutation *second = make_mutation (f, NULL, mutator);

  g_object_set (quarry_mutation_get_options (first), "scope-id", "s", "retry", 1, NULL);
  g_object_set (quarry_mutation_get_options (second), "scope-id", "s", NULL);

  mutate_label (first, "A", NULL, NULL, NULL);
  mutate_label (second, "B", NULL, NULL, NULL);
  assert_calls (mutator, "A");
  g_assert_true (quarry_mutation_get_is_paused (second));

  reject (mutator, "A", "boom");
  quarry_clock_flush (f->clock);
  assert_runs (f, NULL, "1=A:pending 2=B:pending/paused");
  quarry_clock_advance (f->clock, 999);
  assert_calls (mutator, "A");
  quarry_clock_advance (f->clock, 1);
  assert_calls (mutator, "A A");
  g_assert_true (quarry_mutation_get_is_paused (second));

  resolve (mutator, "A", "1");
  quarry_clock_flush (f->clock);
  assert_calls (mutator, "A A B");
  g_assert_false (quarry_mutation_get_is_paused (second));
  assert_runs (f, NULL, "1=A:success 2=B:pending");

  resolve (mutator, "B", "2");
  quarry_clock_flush (f->clock);
  assert_runs (f, NULL, "1=A:success 2=B:success");

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (first);
  g_assert_finalize_object (second);
}

/* A run cancelled while queued behind its scope never runs, and does not
 * disturb the order of the others. */
static void
test_scope_cancel_queued (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuarryMutation *first = make_mutation (f, NULL, mutator);
  QuarryMutation *second = make_mutation (f, NULL, mutator);
  QuarryMutation *third = make_mutation (f, NULL, mutator);

  g_object_set (quarry_mutation_get_options (first), "scope-id", "s", NULL);
  g_object_set (quarry_mutation_get_options (second), "scope-id", "s", NULL);
  g_object_set (quarry_mutation_get_options (third), "scope-id", "s", NULL);

  mutate_label (first, "A", NULL, NULL, NULL);
  mutate_label_async (second, "B", cancellable, store_result_cb, &result);
  mutate_label (third, "C", NULL, NULL, NULL);
  assert_calls (mutator, "A");

  g_cancellable_cancel (cancellable);
  quarry_clock_flush (f->clock);
  g_assert_nonnull (result);
  g_assert_null (quarry_mutation_mutate_finish (second, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&result);
  assert_calls (mutator, "A");
  assert_runs (f, NULL, "1=A:pending 2=B:error 3=C:pending/paused");

  /* quarry_mutation_cancel () on the last one too. */
  quarry_mutation_cancel (third);
  assert_runs (f, NULL, "1=A:pending 2=B:error 3=C:error");
  mutate_label (third, "D", NULL, NULL, NULL);
  assert_runs (f, NULL, "1=A:pending 2=B:error 3=C:error 4=D:pending/paused");

  resolve (mutator, "A", "1");
  quarry_clock_flush (f->clock);
  assert_calls (mutator, "A D");
  assert_runs (f, NULL, "1=A:success 2=B:error 3=C:error 4=D:pending");

  g_clear_pointer (&mutator, mutator_free);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (first);
  g_assert_finalize_object (second);
  g_assert_finalize_object (third);
}

/* 7. Offline. */

/* Runs started offline are paused before their function, after ::mutate;
 * coming online resumes them oldest first, scopes in order. */
static void
test_offline_pause_resume (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *scoped = make_mutation (f, NULL, mutator);
  QuarryMutation *unscoped = make_mutation (f, NULL, mutator);
  guint mutate_calls = 0;

  g_object_set (quarry_mutation_get_options (scoped), "scope-id", "s", NULL);
  g_signal_connect (scoped, "mutate", G_CALLBACK (count_mutate_cb), &mutate_calls);
  g_signal_connect (unscoped, "mutate", G_CALLBACK (count_mutate_cb), &mutate_calls);

  quarry_query_client_set_online (f->client, FALSE);
  mutate_label (scoped, "S1", NULL, NULL, NULL);
  g_assert_cmpuint (mutate_calls, ==, 1);
  g_assert_cmpint (quarry_mutation_get_status (scoped), ==, QUARRY_MUTATION_STATUS_PENDING);
  g_assert_true (quarry_mutation_get_is_paused (scoped));
  mutate_label (scoped, "S2", NULL, NULL, NULL);
  mutate_label (unscoped, "U", NULL, NULL, NULL);
  g_assert_cmpuint (mutate_calls, ==, 3);
  g_assert_true (quarry_mutation_get_is_paused (unscoped));
  g_assert_cmpuint (mutator->calls, ==, 0);
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 3);
  assert_runs (f, NULL, "1=S1:pending/paused 2=S2:pending/paused 3=U:pending/paused");

  /* Nothing moves while offline. */
  quarry_query_client_resume_paused_mutations (f->client);
  quarry_query_client_set_focused (f->client, FALSE);
  quarry_query_client_set_focused (f->client, TRUE);
  quarry_clock_advance (f->clock, 600000);
  g_assert_cmpuint (mutator->calls, ==, 0);
  assert_runs (f, NULL, "1=S1:pending/paused 2=S2:pending/paused 3=U:pending/paused");

  quarry_query_client_set_online (f->client, TRUE);
  assert_calls (mutator, "S1 U");
  assert_runs (f, NULL, "1=S1:pending 2=S2:pending/paused 3=U:pending");
  g_assert_cmpuint (mutate_calls, ==, 3);   /* not again */

  resolve (mutator, "U", "1");
  quarry_clock_flush (f->clock);
  assert_calls (mutator, "S1 U");
  resolve (mutator, "S1", "1");
  quarry_clock_flush (f->clock);
  assert_calls (mutator, "S1 U S2");
  resolve (mutator, "S2", "2");
  quarry_clock_flush (f->clock);
  assert_runs (f, NULL, "1=S1:success 2=S2:success 3=U:success");
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 0);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (scoped);
  g_assert_finalize_object (unscoped);
}

/* Coming online, or back into focus, the paused runs settle before any
 * query refetches: TanStack awaits resumePausedMutations() first, so a
 * refetch cannot bring back data the resumed changes are about to replace. */
static void
test_offline_resume_before_refetch (Fixture       *f,
                                    gconstpointer  data)
{
  gboolean focus = GPOINTER_TO_INT (data);
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryMutation *first = make_mutation (f, NULL, mutator);
  QuarryMutation *second = make_mutation (f, NULL, mutator);
  QuarryQuery *query = make_query (f, "[\"todos\"]", fetcher);

  quarry_query_set_refetch_on_reconnect (query, QUARRY_REFETCH_MODE_ALWAYS);
  quarry_query_set_refetch_on_window_focus (query, QUARRY_REFETCH_MODE_ALWAYS);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);

  quarry_query_client_set_online (f->client, FALSE);
  mutate_label (first, "A", NULL, NULL, NULL);
  mutate_label (second, "B", NULL, NULL, NULL);
  g_assert_true (quarry_mutation_get_is_paused (first));

  if (focus)
    {
      /* Retries wait for focus: a retry due while unfocused pauses the run
       * until the window is focused again. */
      quarry_query_client_set_online (f->client, TRUE);
      quarry_clock_flush (f->clock);
      assert_calls (mutator, "A B");
      g_assert_cmpuint (fetcher->calls, ==, 1);
      reject (mutator, "A", "refused");
      reject (mutator, "B", "refused");
      quarry_clock_flush (f->clock);
      g_assert_cmpuint (fetcher->calls, ==, 2);   /* the reconnect's refetch, after the runs */
      fetcher_resolve_int (fetcher, 1, 2);
      quarry_clock_flush (f->clock);

      g_object_set (quarry_mutation_get_options (first), "retry", 1, NULL);
      mutate_label (first, "C", NULL, NULL, NULL);
      mutator_reject (mutator, 2, "boom");
      quarry_clock_flush (f->clock);
      quarry_query_client_set_focused (f->client, FALSE);
      quarry_clock_advance (f->clock, 1000);
      g_assert_true (quarry_mutation_get_is_paused (first));

      quarry_query_client_set_focused (f->client, TRUE);
      quarry_clock_flush (f->clock);
      g_assert_cmpuint (mutator->calls, ==, 4);   /* C's retry */
      g_assert_cmpuint (fetcher->calls, ==, 2);   /* not before C settles */
      mutator_resolve_json (mutator, 3, "3");
      quarry_clock_flush (f->clock);
      g_assert_cmpuint (fetcher->calls, ==, 3);
      fetcher_resolve_int (fetcher, 2, 3);
    }
  else
    {
      quarry_query_client_set_online (f->client, TRUE);
      quarry_clock_flush (f->clock);
      assert_calls (mutator, "A B");
      g_assert_cmpuint (fetcher->calls, ==, 1);   /* not before the runs settle */

      resolve (mutator, "A", "1");
      quarry_clock_flush (f->clock);
      g_assert_cmpuint (fetcher->calls, ==, 1);   /* B is still running */

      reject (mutator, "B", "refused");
      quarry_clock_flush (f->clock);
      g_assert_cmpuint (fetcher->calls, ==, 2);   /* a failed run settles too */
      fetcher_resolve_int (fetcher, 1, 2);
    }
  quarry_clock_flush (f->clock);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (first);
  g_assert_finalize_object (second);
  g_assert_finalize_object (query);
}

/* A run that waits for its scope to free up while the client went offline
 * stays paused until online. */
static void
test_offline_scope_next (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);

  g_object_set (quarry_mutation_get_options (mutation), "scope-id", "s", NULL);
  mutate_label (mutation, "A", NULL, NULL, NULL);
  mutate_label (mutation, "B", NULL, NULL, NULL);
  quarry_query_client_set_online (f->client, FALSE);

  resolve (mutator, "A", "1");
  quarry_clock_flush (f->clock);
  assert_calls (mutator, "A");
  assert_runs (f, NULL, "1=A:success 2=B:pending/paused");

  quarry_query_client_set_online (f->client, TRUE);
  assert_calls (mutator, "A B");
  assert_runs (f, NULL, "1=A:success 2=B:pending");

  g_clear_pointer (&mutator, mutator_free);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (mutation);
}

/* Network mode ALWAYS runs, and retries, offline. */
static void
test_offline_network_mode_always (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);

  g_object_set (quarry_mutation_get_options (mutation),
                "network-mode", QUARRY_NETWORK_MODE_ALWAYS, "retry", 1, NULL);
  quarry_query_client_set_online (f->client, FALSE);

  mutate_label (mutation, "A", NULL, NULL, NULL);
  g_assert_cmpuint (mutator->calls, ==, 1);
  g_assert_false (quarry_mutation_get_is_paused (mutation));
  mutator_reject (mutator, 0, "boom");
  quarry_clock_flush (f->clock);
  quarry_clock_advance (f->clock, 1000);
  g_assert_cmpuint (mutator->calls, ==, 2);
  mutator_resolve_json (mutator, 1, "1");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_SUCCESS);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
}

/* Network mode OFFLINE_FIRST: the first attempt runs offline, a retry
 * waits for the network. */
static void
test_offline_network_mode_offline_first (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);

  g_object_set (quarry_mutation_get_options (mutation),
                "network-mode", QUARRY_NETWORK_MODE_OFFLINE_FIRST, "retry", 1, NULL);
  quarry_query_client_set_online (f->client, FALSE);

  mutate_label (mutation, "A", NULL, NULL, NULL);
  g_assert_cmpuint (mutator->calls, ==, 1);
  g_assert_false (quarry_mutation_get_is_paused (mutation));
  mutator_reject (mutator, 0, "boom");
  quarry_clock_flush (f->clock);
  quarry_clock_advance (f->clock, 1000);
  g_assert_cmpuint (mutator->calls, ==, 1);
  g_assert_true (quarry_mutation_get_is_paused (mutation));

  quarry_query_client_set_online (f->client, TRUE);
  g_assert_cmpuint (mutator->calls, ==, 2);
  g_assert_false (quarry_mutation_get_is_paused (mutation));

  g_clear_pointer (&mutator, mutator_free);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (mutation);
}

/* In network mode ONLINE, a retry that comes due offline waits for the
 * network. */
static void
test_offline_retry_pauses (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);

  g_object_set (quarry_mutation_get_options (mutation), "retry", 1, NULL);
  mutate_label (mutation, "A", NULL, NULL, NULL);
  mutator_reject (mutator, 0, "boom");
  quarry_clock_flush (f->clock);
  quarry_query_client_set_online (f->client, FALSE);

  quarry_clock_advance (f->clock, 999);
  g_assert_false (quarry_mutation_get_is_paused (mutation));
  quarry_clock_advance (f->clock, 1);
  g_assert_cmpuint (mutator->calls, ==, 1);
  g_assert_true (quarry_mutation_get_is_paused (mutation));
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 1);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_PENDING);

  quarry_query_client_set_online (f->client, TRUE);
  g_assert_cmpuint (mutator->calls, ==, 2);
  g_assert_false (quarry_mutation_get_is_paused (mutation));
  mutator_resolve_json (mutator, 1, "1");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_SUCCESS);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
}

/* 8. Mutation defaults. */

static void
test_defaults (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Mutator) defaults_mutator = mutator_new ();
  g_autoptr(Mutator) own_mutator = mutator_new ();
  g_autoptr(QuarryKey) todos = key_new ("[\"todos\"]");
  g_autoptr(QuarryMutationOptions) options = quarry_mutation_options_new ();
  QuarryMutation *from_defaults, *own, *other;

  /* The client's defaults, under the key's, under the mutation's own. */
  g_object_set (quarry_query_client_get_default_mutation_options (f->client), "retry", 2, NULL);
  quarry_mutation_options_set_mutation_func (options, mutator_func, defaults_mutator, NULL);
  g_object_set (options, "retry", 1, NULL);
  quarry_query_client_set_mutation_defaults (f->client, todos, options);

  /* No function of its own: the one registered for ["todos"], with its
   * retry 1. */
  from_defaults = make_mutation (f, "[\"todos\",\"add\"]", NULL);
  mutate_label (from_defaults, "A", NULL, NULL, NULL);
  assert_calls (defaults_mutator, "A");
  g_assert_true (quarry_key_equal (quarry_fetch_context_get_key (g_ptr_array_index (defaults_mutator->pending, 0)),
                                   quarry_mutation_get_mutation_key (from_defaults)));
  reject (defaults_mutator, "A", "boom");
  quarry_clock_flush (f->clock);
  quarry_clock_advance (f->clock, 1000);
  assert_calls (defaults_mutator, "A A");
  reject (defaults_mutator, "A", "boom");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_mutation_get_status (from_defaults), ==, QUARRY_MUTATION_STATUS_ERROR);
  g_assert_cmpuint (quarry_mutation_get_failure_count (from_defaults), ==, 2);

  /* Its own options win. */
  own = make_mutation (f, "[\"todos\",\"add\"]", own_mutator);
  g_object_set (quarry_mutation_get_options (own), "retry", 0, NULL);
  mutate_label (own, "B", NULL, NULL, NULL);
  assert_calls (own_mutator, "B");
  assert_calls (defaults_mutator, "A A");
  reject (own_mutator, "B", "boom");
  quarry_clock_flush (f->clock);
  g_assert_cmpint (quarry_mutation_get_status (own), ==, QUARRY_MUTATION_STATUS_ERROR);
  g_assert_cmpuint (quarry_mutation_get_failure_count (own), ==, 1);

  /* Another key only gets the client's defaults: retry 2. */
  other = make_mutation (f, "[\"users\"]", own_mutator);
  mutate_label (other, "C", NULL, NULL, NULL);
  reject (own_mutator, "C", "boom");
  quarry_clock_flush (f->clock);
  quarry_clock_advance (f->clock, 1000);
  reject (own_mutator, "C", "boom");
  quarry_clock_flush (f->clock);
  quarry_clock_advance (f->clock, 2000);
  reject (own_mutator, "C", "boom");
  quarry_clock_flush (f->clock);
  assert_calls (own_mutator, "B C C C");
  g_assert_cmpuint (quarry_mutation_get_failure_count (other), ==, 3);
  assert_calls (defaults_mutator, "A A");

  g_clear_pointer (&defaults_mutator, mutator_free);
  g_clear_pointer (&own_mutator, mutator_free);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (from_defaults);
  g_assert_finalize_object (own);
  g_assert_finalize_object (other);
}

/* A run paused offline with no function anywhere runs with a function
 * registered later, without the mutation that started it. */
static void
test_defaults_resume_without_call_site (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(QuarryKey) notes = key_new ("[\"notes\"]");
  g_autoptr(QuarryMutationOptions) options = quarry_mutation_options_new ();
  g_autoptr(GPtrArray) states = NULL;
  QuarryMutation *mutation = make_mutation (f, "[\"notes\",\"add\"]", NULL);
  QuarryMutationState *state;

  quarry_query_client_set_online (f->client, FALSE);
  mutate_label (mutation, "N", NULL, NULL, NULL);
  g_assert_true (quarry_mutation_get_is_paused (mutation));

  /* The mutation goes away; its run stays in the client. */
  g_assert_finalize_object (mutation);
  assert_runs (f, NULL, "1=N:pending/paused");

  quarry_mutation_options_set_mutation_func (options, mutator_func, mutator, NULL);
  quarry_query_client_set_mutation_defaults (f->client, notes, options);
  quarry_query_client_set_online (f->client, TRUE);
  assert_calls (mutator, "N");
  assert_runs (f, NULL, "1=N:pending");

  resolve (mutator, "N", "{\"id\":3}");
  quarry_clock_flush (f->clock);
  states = quarry_query_client_find_mutations (f->client, NULL);
  g_assert_cmpuint (states->len, ==, 1);
  state = g_ptr_array_index (states, 0);
  g_assert_cmpint (quarry_mutation_state_get_status (state), ==, QUARRY_MUTATION_STATUS_SUCCESS);
  assert_label (quarry_mutation_state_get_value (state), "{\"id\":3}");
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 0);
}

/* No function anywhere: QUARRY_ERROR_MISSING_FETCH_FUNC, never retried. */
static void
test_defaults_missing_func (Fixture       *f,
                            gconstpointer  data)
{
  QuarryMutation *mutation = make_mutation (f, "[\"x\"]", NULL);
  CallRecord record = { 0, };

  g_object_set (quarry_mutation_get_options (mutation), "retry", 3, NULL);
  mutate_label (mutation, "A", call_record_cb, &record, NULL);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_PENDING);
  quarry_clock_flush (f->clock);

  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_ERROR);
  g_assert_error (quarry_mutation_get_error (mutation), QUARRY_ERROR, QUARRY_ERROR_MISSING_FETCH_FUNC);
  g_assert_nonnull (strstr (quarry_mutation_get_error (mutation)->message, "[\"x\"]"));
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 1);
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);
  quarry_clock_advance (f->clock, 60000);
  g_assert_cmpuint (quarry_mutation_get_failure_count (mutation), ==, 1);

  g_assert_finalize_object (mutation);
  call_record_clear (&record);
}

/* 9. The client's view of the runs. */

static void
test_client_is_mutating (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *first = make_mutation (f, NULL, mutator);
  QuarryMutation *second = make_mutation (f, NULL, mutator);
  guint notifies = 0, is_mutating = 99;

  g_signal_connect (f->client, "notify::is-mutating", G_CALLBACK (increment_notify_cb), &notifies);

  mutate_label (first, "A", NULL, NULL, NULL);
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 1);
  g_assert_cmpuint (notifies, ==, 1);
  mutate_label (second, "B", NULL, NULL, NULL);
  g_object_get (f->client, "is-mutating", &is_mutating, NULL);
  g_assert_cmpuint (is_mutating, ==, 2);
  g_assert_cmpuint (notifies, ==, 2);

  /* A retry and a pause do not change it. */
  g_object_set (quarry_mutation_get_options (first), "retry", 1, NULL);
  mutate_label (first, "C", NULL, NULL, NULL);
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 3);
  g_assert_cmpuint (notifies, ==, 3);
  reject (mutator, "C", "boom");
  quarry_clock_flush (f->clock);
  quarry_query_client_set_focused (f->client, FALSE);
  quarry_clock_advance (f->clock, 1000);
  g_assert_true (quarry_mutation_get_is_paused (first));
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 3);
  g_assert_cmpuint (notifies, ==, 3);
  quarry_query_client_set_focused (f->client, TRUE);

  resolve (mutator, "A", "1");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 2);
  g_assert_cmpuint (notifies, ==, 4);
  reject (mutator, "B", "boom");
  resolve (mutator, "C", "1");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 0);
  g_assert_cmpuint (notifies, ==, 6);

  g_signal_handlers_disconnect_by_data (f->client, &notifies);
  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (first);
  g_assert_finalize_object (second);
}

static gboolean
variables_are_cb (QuarryMutationState *state,
                  gpointer             user_data)
{
  GPtrArray *log = user_data;
  g_autofree char *label = label_of (quarry_mutation_state_get_variables (state));

  log_add (log, "%s", label);
  return g_str_equal (label, "R");
}

static void
test_client_filters (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(QuarryKey) todos = key_new ("[\"todos\"]");
  g_autoptr(QuarryKey) todos_add = key_new ("[\"todos\",\"add\"]");
  g_autoptr(QuarryMutationFilter) filter = NULL;
  QuarryMutation *add = make_mutation (f, "[\"todos\",\"add\"]", mutator);
  QuarryMutation *remove = make_mutation (f, "[\"todos\",\"remove\"]", mutator);
  QuarryMutation *users = make_mutation (f, "[\"users\",\"add\"]", mutator);
  QuarryMutation *nokey = make_mutation (f, NULL, mutator);

  /* Interleaved, so that id order is not the order of the mutations. */
  mutate_label (remove, "R", NULL, NULL, NULL);
  mutate_label (add, "A", NULL, NULL, NULL);
  mutate_label (nokey, "N", NULL, NULL, NULL);
  mutate_label (users, "U", NULL, NULL, NULL);
  mutate_label (add, "A2", NULL, NULL, NULL);

  assert_runs (f, NULL, "1=R:pending 2=A:pending 3=N:pending 4=U:pending 5=A2:pending");
  g_assert_cmpuint (quarry_query_client_count_mutating (f->client, NULL), ==, 5);

  /* A key prefix. */
  filter = quarry_mutation_filter_new (todos);
  g_assert_cmpuint (quarry_query_client_count_mutating (f->client, filter), ==, 3);
  assert_runs (f, filter, "1=R:pending 2=A:pending 5=A2:pending");

  /* Exact. */
  quarry_mutation_filter_set_exact (filter, TRUE);
  g_assert_cmpuint (quarry_query_client_count_mutating (f->client, filter), ==, 0);
  assert_runs (f, filter, "");
  quarry_mutation_filter_set_key (filter, todos_add);
  g_assert_cmpuint (quarry_query_client_count_mutating (f->client, filter), ==, 2);
  assert_runs (f, filter, "2=A:pending 5=A2:pending");
  g_clear_object (&filter);

  /* By status. */
  resolve (mutator, "A", "1");
  reject (mutator, "U", "boom");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_client_count_mutating (f->client, NULL), ==, 3);
  filter = quarry_mutation_filter_new (NULL);
  g_assert_false (quarry_mutation_filter_get_match_status (filter));
  quarry_mutation_filter_set_status (filter, QUARRY_MUTATION_STATUS_SUCCESS);
  g_assert_true (quarry_mutation_filter_get_match_status (filter));
  assert_runs (f, filter, "2=A:success");
  g_assert_cmpuint (quarry_query_client_count_mutating (f->client, filter), ==, 0);
  quarry_mutation_filter_set_status (filter, QUARRY_MUTATION_STATUS_ERROR);
  assert_runs (f, filter, "4=U:error");
  quarry_mutation_filter_set_status (filter, QUARRY_MUTATION_STATUS_PENDING);
  assert_runs (f, filter, "1=R:pending 3=N:pending 5=A2:pending");
  g_assert_cmpuint (quarry_query_client_count_mutating (f->client, filter), ==, 3);
  g_clear_object (&filter);

  /* A predicate runs last, only on runs the rest matched. */
  filter = quarry_mutation_filter_new (todos);
  quarry_mutation_filter_set_predicate (filter, variables_are_cb, log, NULL);
  assert_runs (f, filter, "1=R:pending");
  assert_log (log, "R A A2");
  g_assert_cmpuint (quarry_query_client_count_mutating (f->client, filter), ==, 1);
  assert_log (log, "R A2");   /* settled runs are not looked at */
  g_clear_object (&filter);

  g_clear_pointer (&mutator, mutator_free);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (add);
  g_assert_finalize_object (remove);
  g_assert_finalize_object (users);
  g_assert_finalize_object (nokey);
}

static void
client_added_cb (QuarryQueryClient   *client,
                 QuarryMutationState *state,
                 GPtrArray           *log)
{
  log_add (log, "added:%" G_GUINT64_FORMAT ":%s", quarry_mutation_state_get_mutation_id (state),
           status_name (quarry_mutation_state_get_status (state)));
}

static void
client_updated_cb (QuarryQueryClient    *client,
                   QuarryMutationState  *state,
                   QuarryMutationAction  action,
                   GPtrArray            *log)
{
  log_add (log, "updated:%" G_GUINT64_FORMAT ":%s:%s%s", quarry_mutation_state_get_mutation_id (state),
           action_name (action), status_name (quarry_mutation_state_get_status (state)),
           quarry_mutation_state_get_is_paused (state) ? "/paused" : "");
}

static void
client_removed_cb (QuarryQueryClient   *client,
                   QuarryMutationState *state,
                   GPtrArray           *log)
{
  log_add (log, "removed:%" G_GUINT64_FORMAT ":%s", quarry_mutation_state_get_mutation_id (state),
           status_name (quarry_mutation_state_get_status (state)));
}

static void
connect_client_log (Fixture   *f,
                    GPtrArray *log)
{
  g_signal_connect (f->client, "mutation-added", G_CALLBACK (client_added_cb), log);
  g_signal_connect (f->client, "mutation-updated", G_CALLBACK (client_updated_cb), log);
  g_signal_connect (f->client, "mutation-removed", G_CALLBACK (client_removed_cb), log);
}

static void
test_client_signals (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  QuarryMutation *scoped = make_mutation (f, NULL, mutator);

  connect_client_log (f, log);

  mutate_label (mutation, "A", NULL, NULL, NULL);
  assert_log (log, "added:1:idle updated:1:pending:pending");
  resolve (mutator, "A", "1");
  quarry_clock_flush (f->clock);
  assert_log (log, "updated:1:success:success");

  /* A context from ::mutate updates the run again. */
  g_signal_connect (mutation, "mutate", G_CALLBACK (mutate_returns_cb), GINT_TO_POINTER (7));
  g_object_set (quarry_mutation_get_options (mutation), "retry", 1, NULL);
  mutate_label (mutation, "B", NULL, NULL, NULL);
  assert_log (log, "added:2:idle updated:2:pending:pending updated:2:pending:pending");
  reject (mutator, "B", "boom");
  quarry_clock_flush (f->clock);
  assert_log (log, "updated:2:failed:pending");
  quarry_clock_advance (f->clock, 1000);
  reject (mutator, "B", "boom");
  quarry_clock_flush (f->clock);
  assert_log (log, "updated:2:error:error");

  /* Paused behind its scope, then continued. */
  g_object_set (quarry_mutation_get_options (scoped), "scope-id", "s", NULL);
  mutate_label (scoped, "C", NULL, NULL, NULL);
  mutate_label (scoped, "D", NULL, NULL, NULL);
  /* D is paused from its first update on, then the retryer's pause
   * action follows, as in TanStack. */
  assert_log (log,
              "added:3:idle updated:3:pending:pending "
              "added:4:idle updated:4:pending:pending/paused "
              "updated:4:pause:pending/paused");
  resolve (mutator, "C", "1");
  quarry_clock_flush (f->clock);
  assert_log (log, "updated:3:success:success updated:4:continue:pending");
  resolve (mutator, "D", "1");
  quarry_clock_flush (f->clock);
  assert_log (log, "updated:4:success:success");

  /* Runs leave once nothing shows them, after their gc time: 1 since B
   * replaced it at 0 ms, 3 since D replaced it and 4 since the reset, both
   * at 1000 ms. */
  g_assert_cmpint (now (f), ==, 1000);
  quarry_mutation_reset (scoped);
  quarry_clock_advance (f->clock, 298999);
  assert_log (log, "");
  quarry_clock_advance (f->clock, 1);
  assert_log (log, "removed:1:success");
  quarry_clock_advance (f->clock, 999);
  assert_log (log, "");
  quarry_clock_advance (f->clock, 1);
  assert_log (log, "removed:3:success removed:4:success");
  assert_runs (f, NULL, "2=B:error");

  g_signal_handlers_disconnect_by_data (f->client, log);
  g_clear_pointer (&mutator, mutator_free);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (mutation);
  g_assert_finalize_object (scoped);
}

/* A settled run nothing shows is removed after its gc time; one a mutation
 * shows is kept; a pending one is kept until it settled and its gc time
 * passed. */
static void
test_client_gc (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  QuarryMutation *short_gc = make_mutation (f, NULL, mutator);

  g_signal_connect (f->client, "mutation-removed", G_CALLBACK (client_removed_cb), log);

  mutate_label (mutation, "A", NULL, NULL, NULL);
  resolve (mutator, "A", "1");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);

  /* A new run: the first one is no longer shown. */
  mutate_label (mutation, "B", NULL, NULL, NULL);
  resolve (mutator, "B", "2");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 1);
  quarry_clock_advance (f->clock, 299999);
  assert_runs (f, NULL, "1=A:success 2=B:success");
  assert_log (log, "");
  quarry_clock_advance (f->clock, 1);
  assert_runs (f, NULL, "2=B:success");
  assert_log (log, "removed:1:success");

  /* B is shown: kept. */
  quarry_clock_advance (f->clock, 3600000);
  assert_runs (f, NULL, "2=B:success");
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);

  /* reset (): B's gc time starts. */
  quarry_clock_advance (f->clock, 123);
  quarry_mutation_reset (mutation);
  quarry_clock_advance (f->clock, 299999);
  assert_runs (f, NULL, "2=B:success");
  quarry_clock_advance (f->clock, 1);
  assert_runs (f, NULL, "");
  assert_log (log, "removed:2:success");

  /* A pending run nothing shows stays until it settled, then its gc time
   * runs from then. */
  mutate_label (mutation, "C", NULL, NULL, NULL);
  quarry_mutation_reset (mutation);
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);
  quarry_clock_advance (f->clock, 600000);
  assert_runs (f, NULL, "3=C:pending");
  resolve (mutator, "C", "3");
  quarry_clock_flush (f->clock);
  quarry_clock_advance (f->clock, 299999);
  assert_runs (f, NULL, "3=C:success");
  quarry_clock_advance (f->clock, 1);
  assert_runs (f, NULL, "");
  assert_log (log, "removed:3:success");

  /* The gc-time option. */
  g_object_set (quarry_mutation_get_options (short_gc), "gc-time", (gint64) 50, NULL);
  mutate_label (short_gc, "D", NULL, NULL, NULL);
  resolve (mutator, "D", "4");
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (short_gc);
  quarry_clock_advance (f->clock, 49);
  assert_runs (f, NULL, "4=D:success");
  quarry_clock_advance (f->clock, 1);
  assert_runs (f, NULL, "");
  assert_log (log, "removed:4:success");
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);

  g_signal_handlers_disconnect_by_data (f->client, log);
  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
}

/* 10. mutate_async () and cancellation. */

static void
test_async_finish (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  GValue *value;

  mutate_label_async (mutation, "A", NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  assert_calls (mutator, "A");
  g_assert_null (result);

  mutator_resolve_json (mutator, 0, "{\"id\":7}");
  quarry_clock_flush (f->clock);
  g_assert_nonnull (result);
  value = quarry_mutation_mutate_finish (mutation, result, &error);
  g_assert_no_error (error);
  assert_label (value, "{\"id\":7}");
  value_free (value);
  g_clear_object (&result);

  /* Nothing to return, as a deletion answered with no content: success
   * without data. */
  {
    GValue nothing = G_VALUE_INIT;

    mutate_label_async (mutation, "N", NULL, store_result_cb, &result);
    quarry_fetch_context_return_value (g_ptr_array_index (mutator->pending, 1), &nothing);
    quarry_clock_flush (f->clock);
    g_assert_nonnull (result);
    g_assert_null (quarry_mutation_mutate_finish (mutation, result, &error));
    g_assert_no_error (error);
    g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_SUCCESS);
    g_assert_null (quarry_mutation_get_value (mutation));
    g_clear_object (&result);
  }

  /* A failure. */
  mutate_label_async (mutation, "B", NULL, store_result_cb, &result);
  mutator_reject (mutator, 2, "boom");
  quarry_clock_flush (f->clock);
  g_assert_nonnull (result);
  g_assert_null (quarry_mutation_mutate_finish (mutation, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "boom");
  g_clear_error (&error);
  g_clear_object (&result);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
}

static void
test_async_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  GCancellable *function_cancellable;

  g_signal_connect (mutation, "success", G_CALLBACK (log_success_cb), log);
  g_signal_connect (mutation, "error", G_CALLBACK (log_error_cb), log);

  mutate_label_async (mutation, "A", cancellable, store_result_cb, &result);
  function_cancellable = quarry_fetch_context_get_cancellable (call_context (mutator, "A"));
  g_assert_false (g_cancellable_is_cancelled (function_cancellable));

  g_cancellable_cancel (cancellable);
  quarry_clock_flush (f->clock);
  g_assert_true (g_cancellable_is_cancelled (function_cancellable));
  g_assert_nonnull (result);
  g_assert_null (quarry_mutation_mutate_finish (mutation, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_ERROR);
  g_assert_error (quarry_mutation_get_error (mutation), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 0);
  assert_log (log, "error(A,The mutation was cancelled)");

  /* The function's late result is ignored. */
  resolve (mutator, "A", "1");
  quarry_clock_flush (f->clock);
  assert_log (log, "");
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_ERROR);
  g_assert_null (quarry_mutation_get_value (mutation));

  g_clear_pointer (&mutator, mutator_free);
  g_clear_object (&result);
  g_assert_finalize_object (mutation);
}

/* An already-cancelled cancellable: no run at all. */
static void
test_async_already_cancelled (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  guint mutate_calls = 0;

  g_signal_connect (mutation, "mutate", G_CALLBACK (count_mutate_cb), &mutate_calls);
  g_cancellable_cancel (cancellable);
  mutate_label_async (mutation, "A", cancellable, store_result_cb, &result);
  quarry_clock_flush (f->clock);

  g_assert_nonnull (result);
  g_assert_null (quarry_mutation_mutate_finish (mutation, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (mutator->calls, ==, 0);
  g_assert_cmpuint (mutate_calls, ==, 0);
  assert_runs (f, NULL, "");
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_IDLE);

  g_clear_object (&result);
  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
}

/* quarry_mutation_cancel () cancels the latest run, at once. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  CallRecord record = { 0, };
  GCancellable *function_cancellable;

  /* Nothing to cancel. */
  quarry_mutation_cancel (mutation);
  assert_idle (mutation);

  mutate_label (mutation, "A", call_record_cb, &record, NULL);
  function_cancellable = quarry_fetch_context_get_cancellable (call_context (mutator, "A"));
  quarry_mutation_cancel (mutation);
  g_assert_true (g_cancellable_is_cancelled (function_cancellable));
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_ERROR);
  g_assert_error (quarry_mutation_get_error (mutation), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpstr (record.data, ==, "-");
  g_assert_error (record.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 0);

  /* Again: nothing happens; the late result is ignored. */
  quarry_mutation_cancel (mutation);
  g_assert_cmpuint (record.calls, ==, 1);
  resolve (mutator, "A", "1");
  quarry_clock_flush (f->clock);
  g_assert_error (quarry_mutation_get_error (mutation), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (record.calls, ==, 1);

  /* A run paused offline can be cancelled too; it never calls its
   * function. */
  quarry_query_client_set_online (f->client, FALSE);
  mutate_label (mutation, "B", NULL, NULL, NULL);
  quarry_mutation_cancel (mutation);
  g_assert_error (quarry_mutation_get_error (mutation), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (quarry_mutation_get_is_paused (mutation));
  quarry_query_client_set_online (f->client, TRUE);
  assert_calls (mutator, "A");

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
  call_record_clear (&record);
}

/* 11. Disposal and key changes. */

/* A disposed mutation answers QUARRY_ERROR_DISPOSED. */
static void
test_disposed_mutation (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  CallRecord record = { 0, };

  g_object_run_dispose (G_OBJECT (mutation));
  g_assert_null (quarry_mutation_get_client (mutation));

  mutate_label (mutation, "A", call_record_cb, &record, call_record_destroy);
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpuint (record.destroyed, ==, 1);
  g_assert_cmpstr (record.data, ==, "-");
  g_assert_cmpstr (record.variables, ==, "A");
  g_assert_error (record.error, QUARRY_ERROR, QUARRY_ERROR_DISPOSED);

  mutate_label_async (mutation, "B", NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_nonnull (result);
  g_assert_null (quarry_mutation_mutate_finish (mutation, result, &error));
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_DISPOSED);
  g_clear_object (&result);

  quarry_mutation_cancel (mutation);
  quarry_mutation_reset (mutation);
  g_assert_cmpuint (mutator->calls, ==, 0);
  assert_runs (f, NULL, "");
  assert_idle (mutation);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
  call_record_clear (&record);
}

/* Disposing a mutation with a pending run: the run goes on in the client,
 * without the mutation's signals or its per-call callback. */
static void
test_disposed_mutation_pending_run (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  CallRecord record = { 0, };

  g_signal_connect (mutation, "success", G_CALLBACK (log_success_cb), log);
  mutate_label (mutation, "A", call_record_cb, &record, call_record_destroy);
  g_object_run_dispose (G_OBJECT (mutation));
  g_assert_cmpuint (record.destroyed, ==, 1);
  assert_runs (f, NULL, "1=A:pending");

  resolve (mutator, "A", "1");
  quarry_clock_flush (f->clock);
  assert_runs (f, NULL, "1=A:success");
  assert_log (log, "");
  g_assert_cmpuint (record.calls, ==, 0);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
  call_record_clear (&record);
}

/* Disposing the client fails its pending runs with QUARRY_ERROR_DISPOSED,
 * running their handlers; late results are ignored. */
static void
test_disposed_client (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuarryMutation *running = make_mutation (f, NULL, mutator);
  QuarryMutation *offline = make_mutation (f, NULL, mutator);
  QuarryMutation *scoped = make_mutation (f, NULL, mutator);
  QuarryMutation *settled = make_mutation (f, NULL, mutator);
  CallRecord record = { 0, };

  g_signal_connect (running, "error", G_CALLBACK (log_error_cb), log);
  g_signal_connect (offline, "error", G_CALLBACK (log_error_cb), log);
  g_signal_connect (scoped, "error", G_CALLBACK (log_error_cb), log);
  g_signal_connect (settled, "error", G_CALLBACK (log_error_cb), log);

  mutate_label (settled, "S", NULL, NULL, NULL);
  resolve (mutator, "S", "1");
  quarry_clock_flush (f->clock);

  /* Offline: one run pauses, the ALWAYS ones run. */
  quarry_query_client_set_online (f->client, FALSE);
  g_object_set (quarry_mutation_get_options (running), "network-mode", QUARRY_NETWORK_MODE_ALWAYS, NULL);
  g_object_set (quarry_mutation_get_options (scoped),
                "network-mode", QUARRY_NETWORK_MODE_ALWAYS, "scope-id", "s", "retry", 1, NULL);
  mutate_label (running, "R", call_record_cb, &record, call_record_destroy);
  mutate_label (offline, "O", NULL, NULL, NULL);
  mutate_label_async (scoped, "C", NULL, store_result_cb, &result);
  reject (mutator, "C", "boom");
  quarry_clock_flush (f->clock);   /* C waits for its retry */
  assert_calls (mutator, "S R C");
  assert_runs (f, NULL, "1=S:success 2=R:pending 3=O:pending/paused 4=C:pending");
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 1);

  g_object_run_dispose (G_OBJECT (f->client));

  assert_log (log,
              "error(R,The client was disposed before the mutation finished) "
              "error(O,The client was disposed before the mutation finished) "
              "error(C,The client was disposed before the mutation finished)");
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpuint (record.destroyed, ==, 1);
  g_assert_error (record.error, QUARRY_ERROR, QUARRY_ERROR_DISPOSED);
  g_assert_error (quarry_mutation_get_error (offline), QUARRY_ERROR, QUARRY_ERROR_DISPOSED);
  g_assert_cmpint (quarry_mutation_get_status (settled), ==, QUARRY_MUTATION_STATUS_SUCCESS);
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 0);
  assert_runs (f, NULL, "");
  g_assert_cmpuint (quarry_clock_get_n_timers (f->clock), ==, 0);

  quarry_clock_flush (f->clock);
  g_assert_nonnull (result);
  g_assert_null (quarry_mutation_mutate_finish (scoped, result, &error));
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_DISPOSED);
  g_clear_object (&result);

  /* Late results, and coming online, change nothing. */
  resolve (mutator, "R", "1");
  quarry_clock_flush (f->clock);
  quarry_query_client_set_online (f->client, TRUE);
  quarry_clock_advance (f->clock, 60000);
  assert_log (log, "");
  assert_calls (mutator, "S R C");
  g_assert_error (quarry_mutation_get_error (running), QUARRY_ERROR, QUARRY_ERROR_DISPOSED);

  g_clear_pointer (&mutator, mutator_free);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (running);
  g_assert_finalize_object (offline);
  g_assert_finalize_object (scoped);
  g_assert_finalize_object (settled);
  call_record_clear (&record);
}

/* A different mutation key resets the mutation; an equal one does not. */
static void
test_key_change_resets (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(QuarryKey) same = key_new ("[\"a\"]");
  g_autoptr(QuarryKey) other = key_new ("[\"b\"]");
  QuarryMutation *mutation = make_mutation (f, "[\"a\"]", mutator);
  CallRecord record = { 0, };
  guint key_notifies = 0, status_notifies = 0;

  g_signal_connect (mutation, "notify::mutation-key", G_CALLBACK (increment_notify_cb), &key_notifies);
  g_signal_connect (mutation, "notify::status", G_CALLBACK (increment_notify_cb), &status_notifies);
  g_signal_connect (mutation, "success", G_CALLBACK (log_success_cb), log);

  mutate_label (mutation, "A", call_record_cb, &record, call_record_destroy);
  status_notifies = 0;

  quarry_mutation_set_mutation_key (mutation, same);
  g_assert_cmpuint (key_notifies, ==, 0);
  g_assert_cmpuint (status_notifies, ==, 0);
  g_assert_cmpint (quarry_mutation_get_status (mutation), ==, QUARRY_MUTATION_STATUS_PENDING);
  g_assert_cmpuint (record.destroyed, ==, 0);

  g_object_set (mutation, "mutation-key", other, NULL);
  g_assert_cmpuint (key_notifies, ==, 1);
  g_assert_cmpuint (status_notifies, ==, 1);
  g_assert_true (quarry_key_equal (quarry_mutation_get_mutation_key (mutation), other));
  assert_idle (mutation);
  g_assert_cmpuint (record.destroyed, ==, 1);
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 1);

  /* The run goes on, and still emits the mutation's signals. */
  resolve (mutator, "A", "1");
  quarry_clock_flush (f->clock);
  assert_log (log, "success(A)");
  g_assert_cmpuint (record.calls, ==, 0);
  assert_idle (mutation);

  /* The next run has the new key. */
  mutate_label (mutation, "B", NULL, NULL, NULL);
  {
    g_autoptr(QuarryMutationState) state = quarry_mutation_dup_state (mutation);

    g_assert_true (quarry_key_equal (quarry_mutation_state_get_mutation_key (state), other));
    g_assert_true (quarry_key_equal (quarry_fetch_context_get_key (call_context (mutator, "B")), other));
  }

  /* To no key. */
  quarry_mutation_set_mutation_key (mutation, NULL);
  g_assert_cmpuint (key_notifies, ==, 2);
  g_assert_null (quarry_mutation_get_mutation_key (mutation));
  assert_idle (mutation);

  g_clear_pointer (&mutator, mutator_free);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (mutation);
  call_record_clear (&record);
}

/* A mutation whose client was disposed runs nothing: mutate () answers
 * QUARRY_ERROR_DISPOSED, as on a disposed mutation. */
static void
test_disposed_client_mutate (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  CallRecord record = { 0, };
  guint mutate_calls = 0;

  g_signal_connect (mutation, "mutate", G_CALLBACK (count_mutate_cb), &mutate_calls);
  g_object_run_dispose (G_OBJECT (f->client));

  mutate_label (mutation, "A", call_record_cb, &record, call_record_destroy);
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpuint (record.destroyed, ==, 1);
  g_assert_error (record.error, QUARRY_ERROR, QUARRY_ERROR_DISPOSED);

  mutate_label_async (mutation, "B", NULL, store_result_cb, &result);
  quarry_clock_flush (f->clock);
  g_assert_nonnull (result);
  g_assert_null (quarry_mutation_mutate_finish (mutation, result, &error));
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_DISPOSED);
  g_clear_object (&result);

  g_assert_cmpuint (mutator->calls, ==, 0);
  g_assert_cmpuint (mutate_calls, ==, 0);
  assert_runs (f, NULL, "");
  assert_idle (mutation);

  g_clear_pointer (&mutator, mutator_free);
  g_assert_finalize_object (mutation);
  call_record_clear (&record);
}

/* Library bugs: failing reproducers, kept out of the registered tests until
 * the library is fixed. */

/* BUG (lib/quarry-mutation-cache.c, _quarry_mutation_cache_dispose ()):
 * disposing the client cancels its runs oldest first, and cancelling the
 * head of a scope calls _quarry_mutation_cache_run_next (), which starts
 * the next queued run of the scope: its mutation function runs on a client
 * being disposed, then the loop cancels it at once. Here B and C are
 * called ("A B C") although they never should run. */
static void
test_bug_disposed_client_starts_queued (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = make_mutation (f, NULL, mutator);
  guint mutate_calls = 0;

  g_signal_connect (mutation, "mutate", G_CALLBACK (count_mutate_cb), &mutate_calls);
  g_object_set (quarry_mutation_get_options (mutation), "scope-id", "s", NULL);
  mutate_label (mutation, "A", NULL, NULL, NULL);
  mutate_label (mutation, "B", NULL, NULL, NULL);
  mutate_label (mutation, "C", NULL, NULL, NULL);
  assert_calls (mutator, "A");
  g_assert_cmpuint (mutate_calls, ==, 3);

  g_object_run_dispose (G_OBJECT (f->client));

  /* B and C fail with DISPOSED without ever running. */
  assert_calls (mutator, "A");
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 0);
  g_assert_error (quarry_mutation_get_error (mutation), QUARRY_ERROR, QUARRY_ERROR_DISPOSED);

  g_clear_pointer (&mutator, mutator_free);
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (mutation);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/mutation/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("lifecycle/success", test_lifecycle_success);
  ADD ("lifecycle/error", test_lifecycle_error);
  ADD ("lifecycle/context", test_lifecycle_context);
  ADD ("lifecycle/no-context", test_lifecycle_no_context);
  ADD ("lifecycle/reentrant", test_lifecycle_reentrant);
  ADD ("latest-callback", test_latest_callback);
  ADD ("state", test_state);
  ADD ("retry/default-none", test_retry_default_none);
  ADD ("retry/backoff", test_retry_backoff);
  ADD ("retry/fixed-delay", test_retry_fixed_delay);
  ADD ("retry/func", test_retry_func);
  ADD ("retry/pause-unfocused", test_retry_pause_unfocused);
  ADD ("scope/serial", test_scope_serial);
  ADD ("scope/retry-holds-scope", test_scope_retry_holds);
  ADD ("scope/cancel-queued", test_scope_cancel_queued);
  ADD ("offline/pause-resume", test_offline_pause_resume);
  g_test_add ("/mutation/offline/resume-before-refetch/reconnect", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_offline_resume_before_refetch, fixture_teardown);
  g_test_add ("/mutation/offline/resume-before-refetch/focus", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_offline_resume_before_refetch, fixture_teardown);
  ADD ("offline/scope-next", test_offline_scope_next);
  ADD ("offline/retry-pauses", test_offline_retry_pauses);
  ADD ("offline/network-mode-always", test_offline_network_mode_always);
  ADD ("offline/network-mode-offline-first", test_offline_network_mode_offline_first);
  ADD ("defaults/layers", test_defaults);
  ADD ("defaults/resume-without-call-site", test_defaults_resume_without_call_site);
  ADD ("defaults/missing-func", test_defaults_missing_func);
  ADD ("client/is-mutating", test_client_is_mutating);
  ADD ("client/filters", test_client_filters);
  ADD ("client/signals", test_client_signals);
  ADD ("client/gc", test_client_gc);
  ADD ("async/finish", test_async_finish);
  ADD ("async/cancel", test_async_cancel);
  ADD ("async/already-cancelled", test_async_already_cancelled);
  ADD ("cancel", test_cancel);
  ADD ("disposed/mutation", test_disposed_mutation);
  ADD ("disposed/mutation-pending-run", test_disposed_mutation_pending_run);
  ADD ("disposed/client", test_disposed_client);
  ADD ("key-change-resets", test_key_change_resets);
  ADD ("disposed/client-mutate", test_disposed_client_mutate);
  ADD ("bug/disposed-client-starts-queued", test_bug_disposed_client_starts_queued);

#undef ADD

  return g_test_run ();
}
