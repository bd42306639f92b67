/* test-keyed-list-model.c: QuarryKeyedListModel (one stable item per id,
 * minimal items-changed, in-place updates) and QuarryJsonItem's changed
 * signal and typed getters.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <stdlib.h>

#include "quarry-keyed-json-private.h"
#include "quarry-test-util.h"

/* ------------------------------------------------------------------------
 * TestTodo: an application item type, with a property of each kind the
 * model converts. Its properties are not explicit-notify: every set
 * notifies, so a notification counted is a set made by the model.
 * ------------------------------------------------------------------------ */

typedef enum
{
  TEST_PRIORITY_LOW,
  TEST_PRIORITY_NORMAL,
  TEST_PRIORITY_HIGH,
} TestPriority;

static GType
test_priority_get_type (void)
{
  static gsize type;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { TEST_PRIORITY_LOW, "TEST_PRIORITY_LOW", "low" },
        { TEST_PRIORITY_NORMAL, "TEST_PRIORITY_NORMAL", "normal" },
        { TEST_PRIORITY_HIGH, "TEST_PRIORITY_HIGH", "high" },
        { 0, NULL, NULL },
      };

      g_once_init_leave (&type, g_enum_register_static ("TestPriority", values));
    }
  return type;
}

#define TEST_TYPE_TODO (test_todo_get_type ())
G_DECLARE_FINAL_TYPE (TestTodo, test_todo, TEST, TODO, GObject)

struct _TestTodo
{
  GObject parent_instance;
  gint64 id;
  char *title;
  gboolean done;
  TestPriority priority;
  double score;
  char **tags;
  char *updated_at;
  char *note;
  char *origin;
};

enum {
  TODO_PROP_0,
  TODO_PROP_ID,
  TODO_PROP_TITLE,
  TODO_PROP_DONE,
  TODO_PROP_PRIORITY,
  TODO_PROP_SCORE,
  TODO_PROP_TAGS,
  TODO_PROP_UPDATED_AT,
  TODO_PROP_NOTE,
  TODO_PROP_ORIGIN,
  TODO_N_PROPS
};

G_DEFINE_FINAL_TYPE (TestTodo, test_todo, G_TYPE_OBJECT)

/* How many TestTodo objects exist. */
static guint test_todo_alive;

static void
test_todo_finalize (GObject *object)
{
  TestTodo *self = TEST_TODO (object);

  g_free (self->title);
  g_strfreev (self->tags);
  g_free (self->updated_at);
  g_free (self->note);
  g_free (self->origin);
  test_todo_alive--;
  G_OBJECT_CLASS (test_todo_parent_class)->finalize (object);
}

static void
test_todo_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TestTodo *self = TEST_TODO (object);

  switch (prop_id)
    {
    case TODO_PROP_ID: g_value_set_int64 (value, self->id); break;
    case TODO_PROP_TITLE: g_value_set_string (value, self->title); break;
    case TODO_PROP_DONE: g_value_set_boolean (value, self->done); break;
    case TODO_PROP_PRIORITY: g_value_set_enum (value, self->priority); break;
    case TODO_PROP_SCORE: g_value_set_double (value, self->score); break;
    case TODO_PROP_TAGS: g_value_set_boxed (value, self->tags); break;
    case TODO_PROP_UPDATED_AT: g_value_set_string (value, self->updated_at); break;
    case TODO_PROP_NOTE: g_value_set_string (value, self->note); break;
    case TODO_PROP_ORIGIN: g_value_set_string (value, self->origin); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_todo_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TestTodo *self = TEST_TODO (object);

  switch (prop_id)
    {
    case TODO_PROP_ID: self->id = g_value_get_int64 (value); break;
    case TODO_PROP_TITLE: g_free (self->title); self->title = g_value_dup_string (value); break;
    case TODO_PROP_DONE: self->done = g_value_get_boolean (value); break;
    case TODO_PROP_PRIORITY: self->priority = g_value_get_enum (value); break;
    case TODO_PROP_SCORE: self->score = g_value_get_double (value); break;
    case TODO_PROP_TAGS: g_strfreev (self->tags); self->tags = g_value_dup_boxed (value); break;
    case TODO_PROP_UPDATED_AT: g_free (self->updated_at); self->updated_at = g_value_dup_string (value); break;
    case TODO_PROP_NOTE: g_free (self->note); self->note = g_value_dup_string (value); break;
    case TODO_PROP_ORIGIN: g_free (self->origin); self->origin = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_todo_class_init (TestTodoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = test_todo_finalize;
  object_class->get_property = test_todo_get_property;
  object_class->set_property = test_todo_set_property;

  g_object_class_install_property (object_class, TODO_PROP_ID,
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw));
  g_object_class_install_property (object_class, TODO_PROP_TITLE,
    g_param_spec_string ("title", NULL, NULL, NULL, rw));
  g_object_class_install_property (object_class, TODO_PROP_DONE,
    g_param_spec_boolean ("done", NULL, NULL, FALSE, rw));
  g_object_class_install_property (object_class, TODO_PROP_PRIORITY,
    g_param_spec_enum ("priority", NULL, NULL, test_priority_get_type (), TEST_PRIORITY_NORMAL, rw));
  g_object_class_install_property (object_class, TODO_PROP_SCORE,
    g_param_spec_double ("score", NULL, NULL, -1000.0, 1000.0, 0.0, rw));
  g_object_class_install_property (object_class, TODO_PROP_TAGS,
    g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, rw));
  g_object_class_install_property (object_class, TODO_PROP_UPDATED_AT,
    g_param_spec_string ("updated-at", NULL, NULL, NULL, rw));
  g_object_class_install_property (object_class, TODO_PROP_NOTE,
    g_param_spec_string ("note", NULL, NULL, "none", rw));
  g_object_class_install_property (object_class, TODO_PROP_ORIGIN,
    g_param_spec_string ("origin", NULL, NULL, "local", rw | G_PARAM_CONSTRUCT_ONLY));
}

static void
test_todo_init (TestTodo *self)
{
  test_todo_alive++;
  self->priority = TEST_PRIORITY_NORMAL;
  self->note = g_strdup ("none");
}

static TestTodo *
test_todo_new (gint64      id,
               const char *title)
{
  return g_object_new (TEST_TYPE_TODO, "id", id, "title", title, NULL);
}

/* ------------------------------------------------------------------------
 * TestRecord: an item type that implements JsonSerializable, with
 * construct-only properties and one its own deserializer converts (a count
 * may come as text).
 * ------------------------------------------------------------------------ */

#define TEST_TYPE_RECORD (test_record_get_type ())
G_DECLARE_FINAL_TYPE (TestRecord, test_record, TEST, RECORD, GObject)

struct _TestRecord
{
  GObject parent_instance;
  gint64 id;
  char *origin;
  int count;
};

enum {
  RECORD_PROP_0,
  RECORD_PROP_ID,
  RECORD_PROP_ORIGIN,
  RECORD_PROP_COUNT,
  RECORD_N_PROPS
};

static gboolean
test_record_deserialize_property (JsonSerializable *serializable,
                                  const char       *name,
                                  GValue           *value,
                                  GParamSpec       *pspec,
                                  JsonNode         *node)
{
  if (strcmp (name, "count") == 0 &&
      JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_value_set_int (value, atoi (json_node_get_string (node)));
      return TRUE;
    }
  return json_serializable_default_deserialize_property (serializable, name, value, pspec, node);
}

static void
test_record_serializable_init (JsonSerializableIface *iface)
{
  iface->deserialize_property = test_record_deserialize_property;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestRecord, test_record, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JSON_TYPE_SERIALIZABLE,
                                                      test_record_serializable_init))

static void
test_record_finalize (GObject *object)
{
  g_free (TEST_RECORD (object)->origin);
  G_OBJECT_CLASS (test_record_parent_class)->finalize (object);
}

static void
test_record_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TestRecord *self = TEST_RECORD (object);

  switch (prop_id)
    {
    case RECORD_PROP_ID: g_value_set_int64 (value, self->id); break;
    case RECORD_PROP_ORIGIN: g_value_set_string (value, self->origin); break;
    case RECORD_PROP_COUNT: g_value_set_int (value, self->count); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_record_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TestRecord *self = TEST_RECORD (object);

  switch (prop_id)
    {
    case RECORD_PROP_ID: self->id = g_value_get_int64 (value); break;
    case RECORD_PROP_ORIGIN: g_free (self->origin); self->origin = g_value_dup_string (value); break;
    case RECORD_PROP_COUNT: self->count = g_value_get_int (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_record_class_init (TestRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = test_record_finalize;
  object_class->get_property = test_record_get_property;
  object_class->set_property = test_record_set_property;

  g_object_class_install_property (object_class, RECORD_PROP_ID,
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw | G_PARAM_CONSTRUCT_ONLY));
  g_object_class_install_property (object_class, RECORD_PROP_ORIGIN,
    g_param_spec_string ("origin", NULL, NULL, "local", rw | G_PARAM_CONSTRUCT_ONLY));
  g_object_class_install_property (object_class, RECORD_PROP_COUNT,
    g_param_spec_int ("count", NULL, NULL, 0, 100, 0, rw));
}

static void
test_record_init (TestRecord *self)
{
}

/* ------------------------------------------------------------------------
 * A recorder of items-changed. It keeps a shadow copy of the model (item
 * pointers) and applies each emission to it: the emission must fit the
 * content before, the model must have the announced number of items at
 * that moment, and every item must then be the shadow's. It logs each
 * emission as "(position,removed,added)".
 * ------------------------------------------------------------------------ */

typedef struct
{
  GListModel *model;
  gulong handler;
  GPtrArray *shadow;
  GString *log;
  guint n_items_reported;     /* removed + added over all emissions */
  char *problem;
} Recorder;

static void
recorder_resync (Recorder *r)
{
  guint n = g_list_model_get_n_items (r->model);

  g_ptr_array_set_size (r->shadow, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (r->shadow, g_list_model_get_item (r->model, i));
}

static void
recorder_problem (Recorder *r,
                  char     *problem)
{
  if (r->problem == NULL)
    r->problem = problem;
  else
    g_free (problem);
  recorder_resync (r);
}

static void
recorder_cb (GListModel *model,
             guint       position,
             guint       removed,
             guint       added,
             Recorder   *r)
{
  guint n = g_list_model_get_n_items (model);

  g_string_append_printf (r->log, "%s(%u,%u,%u)", r->log->len > 0 ? " " : "",
                          position, removed, added);
  r->n_items_reported += removed + added;

  if (removed == 0 && added == 0)
    return recorder_problem (r, g_strdup_printf ("empty emission at %u", position));
  if ((guint64) position + removed > r->shadow->len)
    return recorder_problem (r, g_strdup_printf ("(%u,%u,%u) does not fit %u items",
                                                 position, removed, added, r->shadow->len));
  if (n != r->shadow->len - removed + added)
    return recorder_problem (r, g_strdup_printf ("(%u,%u,%u) on %u items, but the model has %u",
                                                 position, removed, added, r->shadow->len, n));

  g_ptr_array_remove_range (r->shadow, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (r->shadow, position + i, g_list_model_get_item (model, position + i));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (item != g_ptr_array_index (r->shadow, i))
        return recorder_problem (r, g_strdup_printf ("after (%u,%u,%u) item %u is not the one before",
                                                     position, removed, added, i));
    }
  g_assert_null (g_list_model_get_item (model, n));
}

static Recorder *
recorder_new (gpointer model)
{
  Recorder *r = g_new0 (Recorder, 1);

  r->model = g_object_ref (model);
  r->shadow = g_ptr_array_new_with_free_func (g_object_unref);
  r->log = g_string_new (NULL);
  recorder_resync (r);
  r->handler = g_signal_connect (model, "items-changed", G_CALLBACK (recorder_cb), r);
  return r;
}

static void
recorder_free (Recorder *r)
{
  g_signal_handler_disconnect (r->model, r->handler);
  g_ptr_array_unref (r->shadow);
  g_string_free (r->log, TRUE);
  g_free (r->problem);
  g_object_unref (r->model);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

/* Asserts the emissions since the last check, each consistent with the
 * model, then forgets them. */
#define assert_emissions(r, expected)                         \
  G_STMT_START {                                              \
    g_assert_cmpstr ((r)->problem, ==, NULL);                 \
    g_assert_cmpstr ((r)->log->str, ==, (expected));          \
    g_string_truncate ((r)->log, 0);                          \
    (r)->n_items_reported = 0;                                \
  } G_STMT_END

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
set_json (Fixture    *f,
          const char *key_json,
          JsonNode   *node)
{
  g_autoptr(QuarryKey) key = key_new (key_json);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, node);
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, &error));
  g_assert_no_error (error);
  quarry_clock_flush (f->clock);
}

/* Completes fetch @index of @fetcher with @json, and lets it land. */
static void
resolve (Fixture    *f,
         Fetcher    *fetcher,
         guint       index,
         const char *json)
{
  fetcher_resolve_json (fetcher, index, json);
  quarry_clock_flush (f->clock);
}

static void
set_data (Fixture    *f,
          const char *key_json,
          const char *json)
{
  g_autoptr(JsonNode) node = parse (json);

  set_json (f, key_json, node);
}

/* A list of {"id": n} objects with the ids in @ids ("1 2 3"), each with
 * "rev": @rev. */
static char *
list_json (const char *ids,
           guint       rev)
{
  g_auto(GStrv) parts = g_strsplit (ids, " ", -1);
  GString *json = g_string_new ("[");

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_string_append_printf (json, "%s{\"id\":%s,\"rev\":%u}",
                              json->len > 1 ? "," : "", parts[i], rev);
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static void
set_ids (Fixture    *f,
         const char *key_json,
         const char *ids)
{
  g_autofree char *json = list_json (ids, 0);

  set_data (f, key_json, json);
}

/* The ids of the model's items, "1 2 3". */
static char *
model_ids (gpointer model)
{
  GString *ids = g_string_new (NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (i > 0)
        g_string_append_c (ids, ' ');
      if (QUARRY_IS_JSON_ITEM (item))
        {
          JsonNode *id = quarry_json_item_get_member (QUARRY_JSON_ITEM (item), "id");

          if (json_node_get_value_type (id) == G_TYPE_STRING)
            g_string_append (ids, json_node_get_string (id));
          else
            g_string_append_printf (ids, "%" G_GINT64_FORMAT, json_node_get_int (id));
        }
      else
        g_string_append_printf (ids, "%" G_GINT64_FORMAT, TEST_TODO (item)->id);
    }
  return g_string_free (ids, FALSE);
}

#define assert_ids(model, expected)                 \
  G_STMT_START {                                    \
    g_autofree char *_ids = model_ids (model);      \
    g_assert_cmpstr (_ids, ==, (expected));         \
  } G_STMT_END

/* The item at @position, without a reference (the model keeps one). */
static gpointer
item_at (gpointer model,
         guint    position)
{
  GObject *item = g_list_model_get_item (model, position);

  g_assert_nonnull (item);
  g_object_unref (item);
  return item;
}

/* The item of each id, to check that items stay the same objects. */
static GHashTable *
items_by_id (QuarryKeyedListModel *model)
{
  GHashTable *items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) ids = NULL;
  g_autofree char *text = model_ids (model);

  ids = g_strsplit (text, " ", -1);
  for (guint i = 0; ids[i] != NULL; i++)
    if (*ids[i] != '\0')
      g_hash_table_insert (items, g_strdup (ids[i]), item_at (model, i));
  return items;
}

/* Every item the model has for an id of @before is the same object. */
static void
assert_same_items (QuarryKeyedListModel *model,
                   GHashTable           *before)
{
  GHashTableIter iter;
  gpointer id, item;
  guint n_same = 0;

  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &id, &item))
    {
      gpointer now = quarry_keyed_list_model_lookup (model, id, NULL);

      if (now != NULL)
        {
          g_assert_true (now == item);
          n_same++;
        }
    }
  g_assert_cmpuint (n_same, >, 0);
}

/* A query on @key_json showing data already in the cache (never
 * fetching: its stale time is infinite). */
static QuarryQuery *
cached_query (Fixture    *f,
              const char *key_json)
{
  g_autoptr(QuarryKey) key = key_new (key_json);
  QuarryQuery *query = quarry_query_new (f->client, key, instant_fetch, (gpointer) "[]", NULL);

  quarry_query_set_stale_time (query, G_MAXINT64);
  return query;
}

/* Counts notifications per item: item → GHashTable of counts per
 * property name. */
typedef struct
{
  GHashTable *counts;     /* item → GHashTable (name → count) */
} NotifyLog;

static void
notify_log_connect (NotifyLog *log,
                    gpointer   model)
{
  guint n = g_list_model_get_n_items (model);

  log->counts = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_hash_table_unref);
  for (guint i = 0; i < n; i++)
    {
      GObject *item = item_at (model, i);
      GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);

      g_hash_table_insert (log->counts, item, counts);
      g_signal_connect (item, "notify", G_CALLBACK (count_notify_cb), counts);
    }
}

static void
notify_log_clear (NotifyLog *log)
{
  GHashTableIter iter;
  gpointer item, counts;

  g_hash_table_iter_init (&iter, log->counts);
  while (g_hash_table_iter_next (&iter, &item, &counts))
    g_signal_handlers_disconnect_by_data (item, counts);
  g_clear_pointer (&log->counts, g_hash_table_unref);
}

/* Total notifications, and how many items had any. */
static guint
notify_log_total (NotifyLog *log,
                  guint     *n_items)
{
  GHashTableIter iter;
  gpointer item, counts;
  guint total = 0;

  *n_items = 0;
  g_hash_table_iter_init (&iter, log->counts);
  while (g_hash_table_iter_next (&iter, &item, &counts))
    {
      GHashTableIter inner;
      gpointer name, count;
      guint of_item = 0;

      g_hash_table_iter_init (&inner, counts);
      while (g_hash_table_iter_next (&inner, &name, &count))
        of_item += GPOINTER_TO_UINT (count);
      total += of_item;
      if (of_item > 0)
        (*n_items)++;
    }
  return total;
}

static GHashTable *
notify_counts (NotifyLog *log,
               gpointer   item)
{
  GHashTable *counts = g_hash_table_lookup (log->counts, item);

  g_assert_nonnull (counts);
  return counts;
}

/* ------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------ */

static void
test_basics (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryQuery) query = make_query (f, "[\"todos\"]", fetcher);
  QuarryKeyedListModel *model = quarry_keyed_list_model_new (query, G_TYPE_NONE);
  g_autoptr(Recorder) r = recorder_new (model);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  GType item_type;
  guint n_items;

  g_signal_connect (model, "notify", G_CALLBACK (count_notify_cb), counts);

  /* No data yet: empty. */
  g_assert_true (G_IS_LIST_MODEL (model));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == QUARRY_TYPE_JSON_ITEM);
  g_object_get (model, "item-type", &item_type, "n-items", &n_items, NULL);
  g_assert_true (item_type == QUARRY_TYPE_JSON_ITEM);
  g_assert_cmpuint (n_items, ==, 0);
  g_assert_true (quarry_keyed_list_model_get_query (model) == query);
  g_assert_cmpstr (quarry_keyed_list_model_get_id_member (model), ==, "id");
  g_assert_null (quarry_keyed_list_model_get_items_member (model));

  /* The fetch lands: one insertion. */
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  resolve (f, fetcher, 0, "[{\"id\":1,\"title\":\"a\"},{\"id\":2,\"title\":\"b\"},{\"id\":3,\"title\":\"c\"}]");
  assert_emissions (r, "(0,0,3)");
  assert_ids (model, "1 2 3");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_object_get (model, "n-items", &n_items, NULL);
  g_assert_cmpuint (n_items, ==, 3);
  g_assert_cmpuint (count_of (counts, "n-items"), ==, 1);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 3));
  g_assert_cmpstr (quarry_json_item_get_string (item_at (model, 1), "title"), ==, "b");

  /* A refetch with the same data changes nothing. */
  quarry_query_refetch (query);
  quarry_clock_flush (f->clock);
  resolve (f, fetcher, 1, "[{\"id\":1,\"title\":\"a\"},{\"id\":2,\"title\":\"b\"},{\"id\":3,\"title\":\"c\"}]");
  assert_emissions (r, "");
  g_assert_cmpuint (count_of (counts, "n-items"), ==, 1);
  g_assert_cmpuint (count_of (counts, "n-skipped"), ==, 0);

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (model);
}

/* Structural changes, each with its exact emissions; the items of ids that
 * stay are the same objects throughout. */
typedef struct
{
  const char *name;
  const char *before;
  const char *after;
  const char *emissions;
} Change;

static const Change changes[] = {
  { "append", "1 2 3", "1 2 3 4 5", "(3,0,2)" },
  { "prepend", "1 2 3", "8 9 1 2 3", "(0,0,2)" },
  { "remove", "1 2 3 4 5", "1 2 4 5", "(2,1,0)" },
  { "remove-scattered", "1 2 3 4 5 6", "1 3 5", "(1,1,0) (2,1,0) (3,1,0)" },
  { "remove-all", "1 2 3", "", "(0,3,0)" },
  { "insert", "1 2 3", "1 9 2 3", "(1,0,1)" },
  { "replace-one", "1 2 3", "1 9 3", "(1,1,1)" },
  /* 4 moves before 2: the run from its old place to its new one, in one
   * emission that removes and adds it. */
  { "move-back", "1 2 3 4 5", "1 4 2 3 5", "(1,3,3)" },
  { "move-forward", "1 2 3 4 5", "1 3 4 2 5", "(1,3,3)" },
  { "move-first-to-last", "1 2 3 4 5", "2 3 4 5 1", "(0,5,5)" },
  { "swap-neighbours", "1 2 3 4 5", "1 3 2 4 5", "(1,2,2)" },
  { "swap", "1 2 3 4 5", "1 4 3 2 5", "(1,3,3)" },
  { "reverse", "1 2 3 4 5", "5 4 3 2 1", "(0,5,5)" },
  /* Two moves far apart stay two emissions. */
  { "two-moves", "1 2 3 4 5 6 7 8", "2 1 3 4 5 6 8 7", "(0,2,2) (6,2,2)" },
  /* A removal and an insertion each where they are; the move of 8 joins
   * the run it left, where 9 was replaced by 21. */
  { "mixed", "1 2 3 4 5 6 7 8 9", "1 3 20 4 5 8 6 7 21", "(1,1,0) (2,0,1) (5,4,4)" },
};

static void
test_structural_changes (Fixture       *f,
                         gconstpointer  data)
{
  for (guint c = 0; c < G_N_ELEMENTS (changes); c++)
    {
      const Change *change = &changes[c];
      g_autofree char *key = g_strdup_printf ("[\"list\", \"%s\"]", change->name);
      g_autoptr(QuarryQuery) query = NULL;
      QuarryKeyedListModel *model;
      g_autoptr(Recorder) r = NULL;
      g_autoptr(GHashTable) before = NULL;

      g_test_message ("change %s", change->name);
      set_ids (f, key, change->before);
      query = cached_query (f, key);
      model = quarry_keyed_list_model_new (query, G_TYPE_NONE);
      assert_ids (model, change->before);
      r = recorder_new (model);
      before = items_by_id (model);

      set_ids (f, key, change->after);
      assert_emissions (r, change->emissions);
      assert_ids (model, change->after);
      if (*change->after != '\0')
        assert_same_items (model, before);

      g_clear_pointer (&r, recorder_free);
      g_assert_finalize_object (model);
    }
}

/* Random edits, checked against the data: the model has the data's ids in
 * its order, each id keeps its item while it is there, every emission is
 * consistent, and a change of contents alone emits nothing. */
static void
test_random_edits (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  g_autoptr(QuarryQuery) query = NULL;
  QuarryKeyedListModel *model;
  g_autoptr(Recorder) r = NULL;
  g_autoptr(GHashTable) kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));
  guint next_id = 1;

  for (guint i = 0; i < 20; i++)
    g_array_append_val (ids, next_id), next_id++;
  set_ids (f, "[\"random\"]", "");
  query = cached_query (f, "[\"random\"]");
  model = quarry_keyed_list_model_new (query, G_TYPE_NONE);
  r = recorder_new (model);

  for (guint round = 0; round < 300; round++)
    {
      guint op = g_rand_int_range (rand, 0, 6);
      GString *text = g_string_new (NULL);
      g_autofree char *json = NULL;
      guint rev = g_rand_int_range (rand, 0, 3);
      gboolean contents_only = (op == 5);

      if (op == 0 || ids->len < 5)
        {
          guint at = g_rand_int_range (rand, 0, ids->len + 1);

          g_array_insert_val (ids, at, next_id);
          next_id++;
        }
      else if (op == 1)
        g_array_remove_index (ids, g_rand_int_range (rand, 0, ids->len));
      else if (op == 2 || op == 3)
        {
          guint from = g_rand_int_range (rand, 0, ids->len);
          guint to = g_rand_int_range (rand, 0, ids->len);
          guint id = g_array_index (ids, guint, from);

          g_array_remove_index (ids, from);
          g_array_insert_val (ids, to, id);
        }
      else if (op == 4)
        {
          /* Shuffle a stretch. */
          guint from = g_rand_int_range (rand, 0, ids->len);
          guint length = MIN (ids->len - from, (guint) g_rand_int_range (rand, 1, 6));

          for (guint i = length; i > 1; i--)
            {
              guint j = g_rand_int_range (rand, 0, i);
              guint a = g_array_index (ids, guint, from + i - 1);

              g_array_index (ids, guint, from + i - 1) = g_array_index (ids, guint, from + j);
              g_array_index (ids, guint, from + j) = a;
            }
        }

      for (guint i = 0; i < ids->len; i++)
        g_string_append_printf (text, "%s%u", i > 0 ? " " : "", g_array_index (ids, guint, i));
      json = list_json (text->str, rev);
      set_data (f, "[\"random\"]", json);

      g_assert_cmpstr (r->problem, ==, NULL);
      if (contents_only)
        g_assert_cmpstr (r->log->str, ==, "");
      g_string_truncate (r->log, 0);
      assert_ids (model, text->str);

      /* Each id keeps its item. */
      for (guint i = 0; i < ids->len; i++)
        {
          g_autofree char *id = g_strdup_printf ("%u", g_array_index (ids, guint, i));
          gpointer item = item_at (model, i);
          gpointer known = g_hash_table_lookup (kept, id);
          guint position = G_MAXUINT;

          if (known != NULL)
            g_assert_true (known == item);
          else
            g_hash_table_insert (kept, g_strdup (id), item);
          g_assert_true (quarry_keyed_list_model_lookup (model, id, &position) == item);
          g_assert_cmpuint (position, ==, i);
          g_assert_cmpint (quarry_json_item_get_int (item, "rev"), ==, rev);
        }
      /* Ids that went lose their item for good. */
      {
        GHashTableIter iter;
        gpointer id, item;

        g_hash_table_iter_init (&iter, kept);
        while (g_hash_table_iter_next (&iter, &id, &item))
          if (quarry_keyed_list_model_lookup (model, id, NULL) == NULL)
            g_hash_table_iter_remove (&iter);
      }
      g_string_free (text, TRUE);
    }

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (model);
}

/* An application type: members set its properties; a refetch sets only
 * the properties whose members changed, each notified once. */
static void
test_app_type (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(QuarryQuery) query = NULL;
  QuarryKeyedListModel *model;
  g_autoptr(Recorder) r = NULL;
  NotifyLog log;
  TestTodo *todo, *other;
  guint n_items;

  set_data (f, "[\"app\"]",
            "[{\"id\":1,\"title\":\"Buy milk\",\"done\":false,\"priority\":\"high\",\"score\":2.5,"
            "\"tags\":[\"home\",\"food\"],\"updated_at\":\"2024-01-01\",\"extra\":{\"x\":1},"
            "\"origin\":\"server\"},"
            "{\"id\":2,\"title\":\"Walk\",\"done\":true,\"priority\":0,\"score\":7,\"tags\":[],"
            "\"note\":\"later\"}]");
  query = cached_query (f, "[\"app\"]");
  model = quarry_keyed_list_model_new (query, TEST_TYPE_TODO);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == TEST_TYPE_TODO);
  assert_ids (model, "1 2");

  todo = item_at (model, 0);
  g_assert_true (TEST_IS_TODO (todo));
  g_assert_cmpint (todo->id, ==, 1);
  g_assert_cmpstr (todo->title, ==, "Buy milk");
  g_assert_false (todo->done);
  g_assert_cmpint (todo->priority, ==, TEST_PRIORITY_HIGH);
  g_assert_cmpfloat (todo->score, ==, 2.5);
  g_assert_cmpstrv (todo->tags, ((const char *[]) { "home", "food", NULL }));
  g_assert_cmpstr (todo->updated_at, ==, "2024-01-01");
  g_assert_cmpstr (todo->note, ==, "none");
  /* Construct-only properties are set when the item is made. */
  g_assert_cmpstr (todo->origin, ==, "server");

  other = item_at (model, 1);
  g_assert_cmpint (other->priority, ==, TEST_PRIORITY_LOW);
  g_assert_cmpfloat (other->score, ==, 7.0);
  g_assert_cmpstrv (other->tags, ((const char *[]) { NULL }));
  g_assert_cmpstr (other->note, ==, "later");
  g_assert_cmpstr (other->origin, ==, "local");

  r = recorder_new (model);
  notify_log_connect (&log, model);

  /* Title and done of the first change, and an unknown member: each
   * changed property is notified once, nothing else. */
  set_data (f, "[\"app\"]",
            "[{\"id\":1,\"title\":\"Buy oat milk\",\"done\":true,\"priority\":\"high\",\"score\":2.5,"
            "\"tags\":[\"home\",\"food\"],\"updated_at\":\"2024-01-01\",\"extra\":{\"x\":2},"
            "\"origin\":\"elsewhere\"},"
            "{\"id\":2,\"title\":\"Walk\",\"done\":true,\"priority\":0,\"score\":7,\"tags\":[],"
            "\"note\":\"later\"}]");
  assert_emissions (r, "");
  g_assert_true (item_at (model, 0) == todo);
  g_assert_cmpstr (todo->title, ==, "Buy oat milk");
  g_assert_true (todo->done);
  g_assert_cmpuint (count_of (notify_counts (&log, todo), "title"), ==, 1);
  g_assert_cmpuint (count_of (notify_counts (&log, todo), "done"), ==, 1);
  g_assert_cmpuint (notify_log_total (&log, &n_items), ==, 2);
  g_assert_cmpuint (n_items, ==, 1);
  /* Never updated after construction. */
  g_assert_cmpstr (todo->origin, ==, "server");
  notify_log_clear (&log);

  /* Each other kind of property; members that went reset their property
   * to its default. */
  notify_log_connect (&log, model);
  set_data (f, "[\"app\"]",
            "[{\"id\":1,\"title\":\"Buy oat milk\",\"done\":true,\"priority\":\"normal\",\"score\":-3,"
            "\"tags\":[\"home\"],\"updatedAt\":\"2024-02-02\"},"
            "{\"id\":2,\"title\":\"Walk\",\"done\":true,\"priority\":\"TEST_PRIORITY_HIGH\",\"score\":7,"
            "\"tags\":[]}]");
  assert_emissions (r, "");
  g_assert_cmpint (todo->priority, ==, TEST_PRIORITY_NORMAL);
  g_assert_cmpfloat (todo->score, ==, -3.0);
  g_assert_cmpstrv (todo->tags, ((const char *[]) { "home", NULL }));
  /* "updated_at" went (reset) and "updatedAt" came (set): one property,
   * set twice inside one freeze, notified once. */
  g_assert_cmpstr (todo->updated_at, ==, "2024-02-02");
  g_assert_cmpuint (count_of (notify_counts (&log, todo), "priority"), ==, 1);
  g_assert_cmpuint (count_of (notify_counts (&log, todo), "score"), ==, 1);
  g_assert_cmpuint (count_of (notify_counts (&log, todo), "tags"), ==, 1);
  g_assert_cmpuint (count_of (notify_counts (&log, todo), "updated-at"), ==, 1);
  g_assert_cmpint (other->priority, ==, TEST_PRIORITY_HIGH);
  g_assert_cmpstr (other->note, ==, "none");
  g_assert_cmpuint (count_of (notify_counts (&log, other), "priority"), ==, 1);
  g_assert_cmpuint (count_of (notify_counts (&log, other), "note"), ==, 1);
  g_assert_cmpuint (notify_log_total (&log, &n_items), ==, 6);
  g_assert_cmpuint (n_items, ==, 2);
  notify_log_clear (&log);

  /* Members that do not fit their property give its default; numbers are
   * clamped to the property's range. */
  notify_log_connect (&log, model);
  set_data (f, "[\"app\"]",
            "[{\"id\":1,\"title\":5,\"done\":true,\"priority\":\"urgent\",\"score\":5000,"
            "\"tags\":[\"home\", 3],\"updatedAt\":null},"
            "{\"id\":2,\"title\":\"Walk\",\"done\":true,\"priority\":\"TEST_PRIORITY_HIGH\",\"score\":7,"
            "\"tags\":[]}]");
  g_assert_null (todo->title);
  g_assert_cmpint (todo->priority, ==, TEST_PRIORITY_NORMAL);
  g_assert_cmpfloat (todo->score, ==, 1000.0);
  g_assert_null (todo->tags);
  g_assert_null (todo->updated_at);
  g_assert_cmpuint (notify_log_total (&log, &n_items), ==, 5);
  g_assert_cmpuint (n_items, ==, 1);
  notify_log_clear (&log);

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (model);
}

static void
log_changed_cb (QuarryJsonItem *item,
                const char     *member,
                GString        *log)
{
  g_string_append_printf (log, "%s%s", log->len > 0 ? " " : "", member);
}

static void
count_cb (QuarryJsonItem *item,
          const char     *member,
          guint          *count)
{
  (*count)++;
}

static void
check_node_notified_first_cb (QuarryJsonItem *item,
                              const char     *member,
                              JsonNode      **expected)
{
  /* changed comes after the node is in place. */
  g_assert_true (quarry_json_item_get_node (item) == *expected);
}

static void
test_json_item_changed (void)
{
  g_autoptr(JsonNode) first = parse ("{\"id\":1,\"title\":\"a\",\"done\":false,\"tags\":[\"x\"],\"gone\":1}");
  g_autoptr(JsonNode) same = parse ("{\"id\":1,\"tags\":[\"x\"],\"title\":\"a\",\"gone\":1,\"done\":false}");
  g_autoptr(JsonNode) second = parse ("{\"id\":1,\"title\":\"b\",\"done\":false,\"tags\":[\"x\",\"y\"],\"new\":null}");
  g_autoptr(JsonNode) scalar = parse ("7");
  QuarryJsonItem *item = quarry_json_item_new (first);
  g_autoptr(GHashTable) notified = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) all = g_string_new (NULL);
  JsonNode *expected = NULL;
  guint title_changes = 0, done_changes = 0;

  g_signal_connect (item, "notify", G_CALLBACK (count_notify_cb), notified);
  g_signal_connect (item, "changed::title", G_CALLBACK (count_cb), &title_changes);
  g_signal_connect (item, "changed::done", G_CALLBACK (count_cb), &done_changes);
  g_signal_connect (item, "changed", G_CALLBACK (log_changed_cb), all);
  g_signal_connect (item, "changed", G_CALLBACK (check_node_notified_first_cb), &expected);

  /* Equal contents, members in another order: nothing. */
  quarry_json_item_set_node (item, same);
  g_assert_cmpuint (count_of (notified, "node"), ==, 0);
  g_assert_cmpstr (all->str, ==, "");
  g_assert_true (json_node_is_immutable (same));

  /* Changed, added and removed members, each once, after node. */
  expected = second;
  quarry_json_item_set_node (item, second);
  g_assert_cmpuint (count_of (notified, "node"), ==, 1);
  g_assert_cmpstr (all->str, ==, "gone title tags new");
  g_assert_cmpuint (title_changes, ==, 1);
  g_assert_cmpuint (done_changes, ==, 0);
  g_assert_true (quarry_json_item_get_node (item) == second);

  /* An object replaced by a scalar: all its members went. */
  g_string_truncate (all, 0);
  expected = scalar;
  quarry_json_item_set_node (item, scalar);
  g_assert_cmpuint (count_of (notified, "node"), ==, 2);
  g_assert_cmpstr (all->str, ==, "id title done tags new");
  g_assert_cmpuint (title_changes, ==, 2);
  g_assert_cmpuint (done_changes, ==, 1);

  g_assert_finalize_object (item);
}

static void
test_json_item_getters (void)
{
  g_autoptr(JsonNode) node = parse ("{\"s\":\"text\",\"i\":42,\"big\":-9007199254740993,"
                                    "\"d\":2.75,\"neg\":-2.75,\"b\":true,\"n\":null,"
                                    "\"o\":{\"x\":1},\"a\":[1]}");
  g_autoptr(JsonNode) scalar = parse ("\"just text\"");
  QuarryJsonItem *item = quarry_json_item_new (node);
  QuarryJsonItem *other = quarry_json_item_new (scalar);

  g_assert_cmpstr (quarry_json_item_get_string (item, "s"), ==, "text");
  g_assert_null (quarry_json_item_get_string (item, "i"));
  g_assert_null (quarry_json_item_get_string (item, "n"));
  g_assert_null (quarry_json_item_get_string (item, "missing"));
  g_assert_null (quarry_json_item_get_string (item, "o"));

  g_assert_cmpint (quarry_json_item_get_int (item, "i"), ==, 42);
  g_assert_cmpint (quarry_json_item_get_int (item, "big"), ==, G_GINT64_CONSTANT (-9007199254740993));
  g_assert_cmpint (quarry_json_item_get_int (item, "d"), ==, 2);
  g_assert_cmpint (quarry_json_item_get_int (item, "neg"), ==, -2);
  g_assert_cmpint (quarry_json_item_get_int (item, "s"), ==, 0);
  g_assert_cmpint (quarry_json_item_get_int (item, "b"), ==, 0);
  g_assert_cmpint (quarry_json_item_get_int (item, "missing"), ==, 0);

  g_assert_cmpfloat (quarry_json_item_get_double (item, "d"), ==, 2.75);
  g_assert_cmpfloat (quarry_json_item_get_double (item, "i"), ==, 42.0);
  g_assert_cmpfloat (quarry_json_item_get_double (item, "s"), ==, 0.0);
  g_assert_cmpfloat (quarry_json_item_get_double (item, "a"), ==, 0.0);

  g_assert_true (quarry_json_item_get_boolean (item, "b"));
  g_assert_false (quarry_json_item_get_boolean (item, "i"));
  g_assert_false (quarry_json_item_get_boolean (item, "missing"));

  /* An item that is not an object has no members. */
  g_assert_null (quarry_json_item_get_string (other, "s"));
  g_assert_cmpint (quarry_json_item_get_int (other, "i"), ==, 0);
  g_assert_false (quarry_json_item_get_boolean (other, "b"));

  g_assert_finalize_object (item);
  g_assert_finalize_object (other);
}

/* Ids from a function: a composite id, and elements that are strings. */
static char *
type_and_id (JsonNode *item,
             gpointer  user_data)
{
  JsonObject *object;

  (*(guint *) user_data)++;
  if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (item));
  if (!JSON_NODE_HOLDS_OBJECT (item))
    return NULL;
  object = json_node_get_object (item);
  return g_strdup_printf ("%s/%" G_GINT64_FORMAT,
                          json_object_get_string_member_with_default (object, "type", "?"),
                          json_object_get_int_member_with_default (object, "id", 0));
}

static void
count_destroy (gpointer data)
{
  (*(guint *) data) += 1000;
}

static void
test_id_func (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(QuarryQuery) query = NULL;
  QuarryKeyedListModel *model;
  g_autoptr(Recorder) r = NULL;
  gpointer task, note;
  guint calls = 0, position = 0;

  /* Ids clash across types: by the id member, the second is a duplicate. */
  set_data (f, "[\"mixed\"]",
            "[{\"type\":\"task\",\"id\":1},{\"type\":\"note\",\"id\":1},\"loose\",7]");
  query = cached_query (f, "[\"mixed\"]");
  model = quarry_keyed_list_model_new (query, G_TYPE_NONE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_cmpuint (quarry_keyed_list_model_get_n_skipped (model), ==, 3);
  task = item_at (model, 0);
  r = recorder_new (model);

  /* With the function, each is its own item; the task keeps its item. */
  quarry_keyed_list_model_set_id_func (model, type_and_id, &calls, count_destroy);
  assert_emissions (r, "(1,0,2)");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_assert_cmpuint (quarry_keyed_list_model_get_n_skipped (model), ==, 1);
  g_assert_true (item_at (model, 0) == task);
  g_assert_true (quarry_keyed_list_model_lookup (model, "task/1", &position) == task);
  g_assert_cmpuint (position, ==, 0);
  note = quarry_keyed_list_model_lookup (model, "note/1", &position);
  g_assert_cmpuint (position, ==, 1);
  g_assert_cmpint (quarry_json_item_get_int (note, "id"), ==, 1);
  g_assert_nonnull (quarry_keyed_list_model_lookup (model, "loose", &position));
  g_assert_cmpuint (position, ==, 2);
  g_assert_null (quarry_keyed_list_model_lookup (model, "1", NULL));
  g_assert_cmpuint (calls, >=, 4);

  /* A reorder keeps the items. */
  set_data (f, "[\"mixed\"]",
            "[\"loose\",{\"type\":\"note\",\"id\":1},{\"type\":\"task\",\"id\":1,\"done\":true}]");
  g_assert_true (quarry_keyed_list_model_lookup (model, "task/1", &position) == task);
  g_assert_cmpuint (position, ==, 2);
  g_assert_true (quarry_json_item_get_boolean (task, "done"));
  g_assert_true (quarry_keyed_list_model_lookup (model, "note/1", NULL) == note);
  g_assert_cmpuint (quarry_keyed_list_model_get_n_skipped (model), ==, 0);
  g_assert_cmpstr (r->problem, ==, NULL);
  g_string_truncate (r->log, 0);

  /* Back to the id member: the destroy notify runs once. */
  quarry_keyed_list_model_set_id_func (model, NULL, NULL, NULL);
  g_assert_cmpuint (calls, >=, 1000);
  g_assert_cmpuint (calls, <, 2000);
  assert_ids (model, "1");
  g_assert_true (item_at (model, 0) == note);

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (model);
}

/* String ids, integer ids written as text, an id member of another name. */
static void
test_ids (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(QuarryQuery) query = NULL;
  QuarryKeyedListModel *model;
  g_autoptr(Recorder) r = NULL;
  gpointer a, b, num;
  guint position = G_MAXUINT;
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);

  set_data (f, "[\"ids\"]",
            "[{\"id\":\"a\",\"uid\":10},{\"id\":\"b\",\"uid\":11},{\"id\":42,\"uid\":12},"
            "{\"id\":\"042\",\"uid\":13},{\"id\":-7,\"uid\":14},{\"id\":3.0,\"uid\":15},"
            "{\"id\":3.5,\"uid\":16},{\"id\":true,\"uid\":17},{\"id\":null,\"uid\":18}]");
  query = cached_query (f, "[\"ids\"]");
  model = quarry_keyed_list_model_new (query, G_TYPE_NONE);
  g_signal_connect (model, "notify", G_CALLBACK (count_notify_cb), counts);
  r = recorder_new (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 6);
  g_assert_cmpuint (quarry_keyed_list_model_get_n_skipped (model), ==, 3);

  a = quarry_keyed_list_model_lookup (model, "a", &position);
  g_assert_cmpuint (position, ==, 0);
  b = quarry_keyed_list_model_lookup (model, "b", &position);
  g_assert_cmpuint (position, ==, 1);
  /* An integer id is its decimal text, and only that text. */
  num = quarry_keyed_list_model_lookup (model, "42", &position);
  g_assert_nonnull (num);
  g_assert_cmpuint (position, ==, 2);
  g_assert_cmpint (quarry_json_item_get_int (num, "uid"), ==, 12);
  g_assert_cmpint (quarry_json_item_get_int (quarry_keyed_list_model_lookup (model, "042", NULL), "uid"), ==, 13);
  g_assert_cmpint (quarry_json_item_get_int (quarry_keyed_list_model_lookup (model, "-7", NULL), "uid"), ==, 14);
  g_assert_cmpint (quarry_json_item_get_int (quarry_keyed_list_model_lookup (model, "3", NULL), "uid"), ==, 15);
  g_assert_null (quarry_keyed_list_model_lookup (model, "c", NULL));
  g_assert_null (quarry_keyed_list_model_lookup (model, "+42", NULL));

  /* "42" as a string is the same id as 42: the item stays. */
  set_data (f, "[\"ids\"]", "[{\"id\":\"42\",\"uid\":12},{\"id\":\"a\",\"uid\":10}]");
  assert_emissions (r, "(0,6,2)");
  g_assert_true (item_at (model, 0) == num);
  g_assert_true (item_at (model, 1) == a);
  g_assert_cmpuint (quarry_keyed_list_model_get_n_skipped (model), ==, 0);
  g_assert_cmpuint (count_of (counts, "n-skipped"), ==, 1);
  g_assert_cmpuint (count_of (counts, "n-items"), ==, 1);

  /* Another id member: items are matched again by it. */
  quarry_keyed_list_model_set_id_member (model, "uid");
  g_assert_cmpstr (quarry_keyed_list_model_get_id_member (model), ==, "uid");
  assert_emissions (r, "");
  g_assert_true (quarry_keyed_list_model_lookup (model, "12", NULL) == num);
  g_assert_true (quarry_keyed_list_model_lookup (model, "10", NULL) == a);
  g_assert_null (quarry_keyed_list_model_lookup (model, "a", NULL));
  g_assert_cmpuint (count_of (counts, "id-member"), ==, 1);
  quarry_keyed_list_model_set_id_member (model, "uid");
  g_assert_cmpuint (count_of (counts, "id-member"), ==, 1);

  /* An id member the elements lack: all are left out. */
  g_object_set (model, "id-member", "key", NULL);
  assert_emissions (r, "(0,2,0)");
  g_assert_cmpuint (quarry_keyed_list_model_get_n_skipped (model), ==, 2);
  quarry_keyed_list_model_set_id_member (model, NULL);
  g_assert_cmpstr (quarry_keyed_list_model_get_id_member (model), ==, "id");
  assert_emissions (r, "(0,0,2)");
  (void) b;

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (model);
}

/* Duplicates keep the first; non-objects are left out. */
static void
test_skipped (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(QuarryQuery) query = NULL;
  QuarryKeyedListModel *model;
  g_autoptr(Recorder) r = NULL;
  gpointer first;

  set_data (f, "[\"dups\"]",
            "[{\"id\":1,\"v\":\"first\"},{\"id\":2},{\"id\":1,\"v\":\"second\"},3,\"x\",null,[1],"
            "{\"no\":1},{\"id\":{\"nested\":1}},{\"id\":3}]");
  query = cached_query (f, "[\"dups\"]");
  model = quarry_keyed_list_model_new (query, G_TYPE_NONE);
  r = recorder_new (model);
  assert_ids (model, "1 2 3");
  g_assert_cmpuint (quarry_keyed_list_model_get_n_skipped (model), ==, 7);
  first = item_at (model, 0);
  g_assert_cmpstr (quarry_json_item_get_string (first, "v"), ==, "first");

  /* The duplicate comes first now: it wins, as the same item. */
  set_data (f, "[\"dups\"]", "[{\"id\":2},{\"id\":1,\"v\":\"second\"},{\"id\":1,\"v\":\"first\"},{\"id\":3}]");
  assert_emissions (r, "(0,2,2)");
  assert_ids (model, "2 1 3");
  g_assert_true (item_at (model, 1) == first);
  g_assert_cmpstr (quarry_json_item_get_string (first, "v"), ==, "second");
  g_assert_cmpuint (quarry_keyed_list_model_get_n_skipped (model), ==, 1);

  /* Data that is no list: empty. */
  set_data (f, "[\"dups\"]", "{\"id\":1}");
  assert_emissions (r, "(0,3,0)");
  g_assert_cmpuint (quarry_keyed_list_model_get_n_skipped (model), ==, 0);
  set_data (f, "[\"dups\"]", "\"text\"");
  assert_emissions (r, "");

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (model);
}

/* The list in a member of an object. */
static void
test_items_member (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(QuarryQuery) query = NULL;
  QuarryKeyedListModel *model;
  g_autoptr(Recorder) r = NULL;
  NotifyLog log;
  guint n_items;

  set_data (f, "[\"wrapped\"]", "{\"items\":[{\"id\":1},{\"id\":2}],\"has_more\":true}");
  query = cached_query (f, "[\"wrapped\"]");
  model = quarry_keyed_list_model_new (query, G_TYPE_NONE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  r = recorder_new (model);

  quarry_keyed_list_model_set_items_member (model, "items");
  g_assert_cmpstr (quarry_keyed_list_model_get_items_member (model), ==, "items");
  assert_emissions (r, "(0,0,2)");
  assert_ids (model, "1 2");

  /* Only the other members change: nothing at all. */
  notify_log_connect (&log, model);
  set_data (f, "[\"wrapped\"]", "{\"items\":[{\"id\":1},{\"id\":2}],\"has_more\":false}");
  assert_emissions (r, "");
  g_assert_cmpuint (notify_log_total (&log, &n_items), ==, 0);

  set_data (f, "[\"wrapped\"]", "{\"items\":[{\"id\":1},{\"id\":2,\"x\":1},{\"id\":3}],\"has_more\":false}");
  assert_emissions (r, "(2,0,1)");
  g_assert_cmpuint (notify_log_total (&log, &n_items), ==, 1);
  g_assert_cmpuint (n_items, ==, 1);
  notify_log_clear (&log);

  /* No such member: empty. */
  set_data (f, "[\"wrapped\"]", "{\"results\":[{\"id\":1}]}");
  assert_emissions (r, "(0,3,0)");
  g_object_set (model, "items-member", "results", NULL);
  assert_emissions (r, "(0,0,1)");

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (model);
}

/* An infinite query: the items of all pages; a page appended is one
 * insertion at the end; a refetch updates in place. */
static void
next_page_param (const GValue        *page,
                 QuarryInfiniteData  *data,
                 const GValue        *page_param,
                 GValue              *param,
                 gpointer             user_data,
                 GError             **error)
{
  gint64 p = value_get_int (page_param);

  if (p < 3)
    {
      g_value_init (param, G_TYPE_INT64);
      g_value_set_int64 (param, p + 1);
    }
}

static void
test_infinite (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryKey) key = key_new ("[\"feed\"]");
  g_autoptr(QuarryInfiniteQuery) query = quarry_infinite_query_new (f->client, key, fetcher_func, fetcher, NULL);
  QuarryKeyedListModel *model;
  g_autoptr(Recorder) r = NULL;
  g_autoptr(GHashTable) before = NULL;
  GValue initial = G_VALUE_INIT;
  NotifyLog log;
  guint n_items;

  g_value_init (&initial, G_TYPE_INT64);
  g_value_set_int64 (&initial, 0);
  quarry_infinite_query_set_initial_page_param (query, &initial);
  g_value_unset (&initial);
  quarry_infinite_query_set_next_page_param_func (query, next_page_param, NULL, NULL);
  quarry_infinite_query_set_items_member (query, "data");

  model = quarry_keyed_list_model_new (QUARRY_QUERY (query), G_TYPE_NONE);
  r = recorder_new (model);

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  resolve (f, fetcher, 0, "{\"data\":[{\"id\":1},{\"id\":2},{\"id\":3}],\"page\":0}");
  assert_emissions (r, "(0,0,3)");

  quarry_infinite_query_fetch_next_page (query);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  resolve (f, fetcher, 1, "{\"data\":[{\"id\":4},{\"id\":5}],\"page\":1}");
  assert_emissions (r, "(3,0,2)");
  assert_ids (model, "1 2 3 4 5");
  before = items_by_id (model);

  /* A refetch of both pages: changed contents stay in place; an item
   * that moved from the second page to the first is one emission. */
  notify_log_connect (&log, model);
  quarry_query_refetch (QUARRY_QUERY (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  resolve (f, fetcher, 2, "{\"data\":[{\"id\":1},{\"id\":2,\"title\":\"x\"},{\"id\":3}],\"page\":0}");
  g_assert_cmpuint (fetcher->calls, ==, 4);
  resolve (f, fetcher, 3, "{\"data\":[{\"id\":4},{\"id\":5}],\"page\":1}");
  assert_emissions (r, "");
  assert_ids (model, "1 2 3 4 5");
  assert_same_items (model, before);
  g_assert_cmpuint (notify_log_total (&log, &n_items), ==, 1);
  g_assert_cmpuint (n_items, ==, 1);
  g_assert_cmpstr (quarry_json_item_get_string (item_at (model, 1), "title"), ==, "x");
  notify_log_clear (&log);

  /* Without the query's items member, the model's own applies. */
  quarry_infinite_query_set_items_member (query, NULL);
  assert_emissions (r, "(0,5,0)");
  quarry_keyed_list_model_set_items_member (model, "data");
  assert_emissions (r, "(0,0,5)");

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (model);
}

/* Data that is a list model of objects (the HTTP layer's object mapping):
 * the first object of an id is its item; later ones are copied into it. */
static void
test_object_data (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(QuarryQuery) query = NULL;
  g_autoptr(QuarryKey) key = key_new ("[\"objects\"]");
  g_autoptr(GListStore) first = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(GListStore) second = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(TestTodo) a = test_todo_new (1, "a");
  g_autoptr(TestTodo) b = test_todo_new (2, "b");
  g_autoptr(TestTodo) b2 = test_todo_new (2, "b changed");
  g_autoptr(TestTodo) c = test_todo_new (3, "c");
  g_autoptr(QuarryJsonItem) stranger = NULL;
  g_autoptr(JsonNode) stranger_node = parse ("{\"id\":4}");
  g_autoptr(GError) error = NULL;
  QuarryKeyedListModel *model;
  g_autoptr(Recorder) r = NULL;
  GValue value = G_VALUE_INIT;
  NotifyLog log;
  guint n_items;

  stranger = quarry_json_item_new (stranger_node);
  g_list_store_append (first, a);
  g_list_store_append (first, b);
  g_value_init (&value, G_TYPE_OBJECT);
  g_value_set_object (&value, first);
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, &error));
  g_value_unset (&value);
  quarry_clock_flush (f->clock);

  query = cached_query (f, "[\"objects\"]");
  model = quarry_keyed_list_model_new (query, TEST_TYPE_TODO);
  assert_ids (model, "1 2");
  g_assert_true (item_at (model, 0) == (gpointer) a);
  g_assert_true (item_at (model, 1) == (gpointer) b);
  r = recorder_new (model);
  notify_log_connect (&log, model);

  /* b comes back as another object with a changed title, and tags equal
   * in contents; c is new; an object of another type is left out. */
  g_object_set (b2, "tags", (const char *[]) { "x", NULL }, NULL);
  g_object_set (b, "tags", (const char *[]) { "x", NULL }, NULL);
  notify_log_clear (&log);
  notify_log_connect (&log, model);
  g_list_store_append (second, b2);
  g_list_store_append (second, a);
  g_list_store_append (second, stranger);
  g_list_store_append (second, c);
  g_value_init (&value, G_TYPE_OBJECT);
  g_value_set_object (&value, second);
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, &error));
  g_value_unset (&value);
  quarry_clock_flush (f->clock);

  assert_emissions (r, "(0,2,3)");
  assert_ids (model, "2 1 3");
  g_assert_true (item_at (model, 0) == (gpointer) b);
  g_assert_true (item_at (model, 1) == (gpointer) a);
  g_assert_true (item_at (model, 2) == (gpointer) c);
  g_assert_cmpstr (b->title, ==, "b changed");
  g_assert_cmpuint (count_of (notify_counts (&log, b), "title"), ==, 1);
  g_assert_cmpuint (notify_log_total (&log, &n_items), ==, 1);
  g_assert_cmpuint (quarry_keyed_list_model_get_n_skipped (model), ==, 1);
  notify_log_clear (&log);

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (model);
}

/* The query's key changes: items of ids both lists have stay. Then the
 * query goes: the model empties. */
static void
test_query_changes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(QuarryQuery) query = NULL;
  g_autoptr(QuarryQuery) other = NULL;
  g_autoptr(QuarryKey) key_b = key_new ("[\"list\", \"b\"]");
  QuarryKeyedListModel *model;
  g_autoptr(Recorder) r = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  gpointer two;

  set_ids (f, "[\"list\", \"a\"]", "1 2 3");
  set_ids (f, "[\"list\", \"b\"]", "2 3 4");
  query = cached_query (f, "[\"list\", \"a\"]");
  model = quarry_keyed_list_model_new (NULL, G_TYPE_NONE);
  g_signal_connect (model, "notify", G_CALLBACK (count_notify_cb), counts);
  r = recorder_new (model);
  g_assert_null (quarry_keyed_list_model_get_query (model));

  g_object_set (model, "query", query, NULL);
  assert_emissions (r, "(0,0,3)");
  g_assert_cmpuint (count_of (counts, "query"), ==, 1);
  quarry_keyed_list_model_set_query (model, query);
  g_assert_cmpuint (count_of (counts, "query"), ==, 1);
  two = item_at (model, 1);

  quarry_query_set_key (query, key_b);
  quarry_clock_flush (f->clock);
  assert_emissions (r, "(0,1,0) (2,0,1)");
  assert_ids (model, "2 3 4");
  g_assert_true (item_at (model, 0) == two);

  /* Another query with the same data: nothing changes. */
  other = cached_query (f, "[\"list\", \"b\"]");
  quarry_keyed_list_model_set_query (model, other);
  assert_emissions (r, "");
  g_assert_true (item_at (model, 0) == two);

  /* The old query no longer drives the model. */
  set_ids (f, "[\"list\", \"a\"]", "9");
  assert_emissions (r, "");

  quarry_keyed_list_model_set_query (model, NULL);
  assert_emissions (r, "(0,3,0)");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpuint (count_of (counts, "query"), ==, 3);
  /* Once per emission that changed the count. */
  g_assert_cmpuint (count_of (counts, "n-items"), ==, 4);

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (model);
}

/* A model dropped while its query lives on. */
static void
test_dispose_before_query (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(QuarryQuery) query = NULL;
  QuarryKeyedListModel *model;
  GObject *item;

  set_ids (f, "[\"short\"]", "1 2");
  query = cached_query (f, "[\"short\"]");
  model = quarry_keyed_list_model_new (query, TEST_TYPE_TODO);
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_finalize_object (model);

  /* The query changes after: nothing refers to the model. */
  set_ids (f, "[\"short\"]", "2 3");
  g_assert_cmpint (TEST_TODO (item)->id, ==, 1);
  g_assert_finalize_object (item);
}

/* A handler of items-changed changes the data again: the change is applied
 * after the update, never in its middle. */
typedef struct
{
  Fixture *f;
  guint calls;
} Reentry;

static void
reenter_cb (GListModel *model,
            guint       position,
            guint       removed,
            guint       added,
            Reentry    *reentry)
{
  if (reentry->calls++ == 0)
    set_ids (reentry->f, "[\"re\"]", "3 1 5");
}

static void
test_reentrant (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(QuarryQuery) query = NULL;
  QuarryKeyedListModel *model;
  g_autoptr(Recorder) r = NULL;
  Reentry reentry = { f, 0 };

  set_ids (f, "[\"re\"]", "1 2 3");
  query = cached_query (f, "[\"re\"]");
  model = quarry_keyed_list_model_new (query, G_TYPE_NONE);
  r = recorder_new (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (reenter_cb), &reentry);

  set_ids (f, "[\"re\"]", "1 2 3 4");
  assert_emissions (r, "(3,0,1) (0,4,3)");
  assert_ids (model, "3 1 5");
  g_assert_cmpuint (reentry.calls, ==, 2);

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (model);
}

/* W7 at test scale: 10 000 items, a refetch changing 10 of them (a fresh
 * copy, and a copy sharing the unchanged elements as the HTTP layer makes
 * it): no items-changed, and exactly the 10 items notified. */
static JsonNode *
w7_item (guint i,
         guint rev)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *tags = json_array_new ();
  g_autofree char *title = rev > 0 ? g_strdup_printf ("Todo %u rev %u", i, rev)
                                   : g_strdup_printf ("Todo %u", i);
  g_autofree char *tag1 = g_strdup_printf ("tag%u", i % 7);
  g_autofree char *tag2 = g_strdup_printf ("tag%u", i % 11);

  json_object_set_int_member (object, "id", i + 1);
  json_object_set_string_member (object, "title", title);
  json_object_set_boolean_member (object, "done", (i % 3 == 0) != (rev > 0));
  json_object_set_int_member (object, "priority", i % 5);
  json_array_add_string_element (tags, tag1);
  json_array_add_string_element (tags, tag2);
  json_object_set_array_member (object, "tags", tags);
  return json_node_init_object (json_node_alloc (), object);
}

#define W7_ITEMS 10000

static gboolean
w7_changed (guint i,
            guint rev)
{
  return rev > 0 && i % 1000 == rev;
}

/* The list at @rev: element i changed at revision i % 1000, if that is
 * one of 1..@rev. With @previous, the elements that did not change at
 * @rev are those of @previous. */
static JsonNode *
w7_list (guint     rev,
         JsonNode *previous)
{
  JsonArray *array = json_array_sized_new (W7_ITEMS);
  JsonNode *node;

  for (guint i = 0; i < W7_ITEMS; i++)
    {
      if (previous != NULL && !w7_changed (i, rev))
        json_array_add_element (array, json_node_ref (json_array_get_element (json_node_get_array (previous), i)));
      else
        json_array_add_element (array, w7_item (i, i % 1000 >= 1 && i % 1000 <= rev ? i % 1000 : 0));
    }
  node = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
  json_node_seal (node);
  return node;
}

static void
test_w7_shape (Fixture       *f,
               gconstpointer  data)
{
  gboolean app_type = GPOINTER_TO_INT (data);
  g_autoptr(JsonNode) base = w7_list (0, NULL);
  g_autoptr(QuarryQuery) query = NULL;
  QuarryKeyedListModel *model;
  g_autoptr(Recorder) r = NULL;
  g_autoptr(GHashTable) before = NULL;
  NotifyLog log;
  guint n_items;

  set_json (f, "[\"w7\"]", base);
  query = cached_query (f, "[\"w7\"]");
  model = quarry_keyed_list_model_new (query, app_type ? TEST_TYPE_TODO : G_TYPE_NONE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, W7_ITEMS);
  r = recorder_new (model);
  before = items_by_id (model);

  for (guint rev = 1; rev <= 4; rev++)
    {
      /* Odd revisions are fresh copies, even ones share the unchanged
       * elements with the previous list. */
      g_autoptr(JsonNode) previous = NULL;
      g_autoptr(JsonNode) list = NULL;
      const GValue *shown = quarry_query_get_value (query);

      if (rev % 2 == 0)
        previous = json_node_ref (g_value_get_boxed (shown));
      list = w7_list (rev, previous);

      notify_log_connect (&log, model);
      set_json (f, "[\"w7\"]", list);
      /* The query shows this very list (its elements, at least). */
      g_assert_true (json_array_get_element (json_node_get_array (g_value_get_boxed (quarry_query_get_value (query))), 0) ==
                     json_array_get_element (json_node_get_array (list), 0));
      assert_emissions (r, "");
      g_assert_cmpuint (notify_log_total (&log, &n_items), ==, app_type ? 20 : 10);
      g_assert_cmpuint (n_items, ==, 10);
      for (guint i = rev; i < W7_ITEMS; i += 1000)
        {
          GHashTable *counts = notify_counts (&log, item_at (model, i));

          if (app_type)
            {
              g_autofree char *title = g_strdup_printf ("Todo %u rev %u", i, rev);

              g_assert_cmpuint (count_of (counts, "title"), ==, 1);
              g_assert_cmpuint (count_of (counts, "done"), ==, 1);
              g_assert_cmpstr (TEST_TODO (item_at (model, i))->title, ==, title);
            }
          else
            g_assert_cmpuint (count_of (counts, "node"), ==, 1);
        }
      notify_log_clear (&log);
    }
  assert_same_items (model, before);
  g_assert_cmpuint (g_hash_table_size (before), ==, W7_ITEMS);

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (model);
}

/* lookup() agrees with get_item() during each emission of an update: an
 * item whose removal a later emission reports is still found, at its
 * place in the model as it reads then; one whose removal was reported, or
 * whose addition is not yet, is not found. */
static void
check_lookup_cb (GListModel *model,
                 guint       position,
                 guint       removed,
                 guint       added,
                 guint      *n_checks)
{
  QuarryKeyedListModel *self = QUARRY_KEYED_LIST_MODEL (model);
  guint n = g_list_model_get_n_items (model);
  guint n_found = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuarryJsonItem) item = g_list_model_get_item (model, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, quarry_json_item_get_int (item, "id"));
      guint found_at = G_MAXUINT;

      g_assert_true (quarry_keyed_list_model_lookup (self, id, &found_at) == (gpointer) item);
      g_assert_cmpuint (found_at, ==, i);
    }

  /* Every id found is an item the model shows, where lookup() says. */
  for (char id = '1'; id <= '9'; id++)
    {
      char text[2] = { id, '\0' };
      guint found_at = G_MAXUINT;
      gpointer found = quarry_keyed_list_model_lookup (self, text, &found_at);

      if (found != NULL)
        {
          g_autoptr(GObject) there = g_list_model_get_item (model, found_at);

          g_assert_true (there == found);
          n_found++;
        }
    }
  g_assert_cmpuint (n_found, ==, n);
  (*n_checks)++;
}

static void
test_lookup_during_emission (Fixture       *f,
                             gconstpointer  data)
{
  static const struct { const char *ids, *emissions; } steps[] = {
    /* Two removals, reported one after the other. */
    { "2", "(0,1,0) (1,1,0)" },
    { "5 2 6", "(0,0,1) (2,0,1)" },
    { "1 2 3 4 5 6 7 8", "(0,2,5) (6,0,2)" },
    { "1 3 5 7", "(1,1,0) (2,1,0) (3,1,0) (4,1,0)" },
    /* Moves: removed and added again in one emission. */
    { "7 3 9 5 1", "(0,4,5)" },
    { "3 5 8", "(0,1,0) (1,1,0) (2,1,1)" },
  };
  g_autoptr(QuarryQuery) query = NULL;
  QuarryKeyedListModel *model;
  g_autoptr(Recorder) r = NULL;
  guint n_checks = 0, n_emissions = 0;

  set_ids (f, "[\"look\"]", "1 2 3");
  query = cached_query (f, "[\"look\"]");
  model = quarry_keyed_list_model_new (query, G_TYPE_NONE);
  r = recorder_new (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (check_lookup_cb), &n_checks);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      set_ids (f, "[\"look\"]", steps[i].ids);
      assert_emissions (r, steps[i].emissions);
      assert_ids (model, steps[i].ids);
      for (const char *p = steps[i].emissions; *p != '\0'; p++)
        n_emissions += *p == '(';
    }
  g_assert_cmpuint (n_checks, ==, n_emissions);

  g_signal_handlers_disconnect_by_func (model, check_lookup_cb, &n_checks);
  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (model);
}

/* A JsonSerializable item type gets its construct-only properties at
 * construction, converted by the model, and its other members through
 * its own deserializer; construct-only properties are never updated. */
static void
test_serializable_type (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(QuarryQuery) query = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  QuarryKeyedListModel *model;
  TestRecord *seven, *eight;

  set_data (f, "[\"rec\"]",
            "[{\"id\":7,\"origin\":\"server\",\"count\":\"3\"},"
            "{\"id\":8,\"origin\":null,\"count\":4}]");
  query = cached_query (f, "[\"rec\"]");
  model = quarry_keyed_list_model_new (query, TEST_TYPE_RECORD);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);

  seven = item_at (model, 0);
  g_assert_cmpint (seven->id, ==, 7);
  g_assert_cmpstr (seven->origin, ==, "server");
  g_assert_cmpint (seven->count, ==, 3);
  eight = item_at (model, 1);
  g_assert_cmpint (eight->id, ==, 8);
  /* null gives the default. */
  g_assert_cmpstr (eight->origin, ==, "local");
  g_assert_cmpint (eight->count, ==, 4);
  g_assert_true (quarry_keyed_list_model_lookup (model, "8", NULL) == eight);

  g_signal_connect (seven, "notify", G_CALLBACK (count_notify_cb), counts);
  set_data (f, "[\"rec\"]",
            "[{\"id\":7,\"origin\":\"elsewhere\",\"count\":\"5\"},"
            "{\"id\":8,\"origin\":null,\"count\":4}]");
  g_assert_true (item_at (model, 0) == seven);
  g_assert_cmpstr (seven->origin, ==, "server");
  g_assert_cmpint (seven->count, ==, 5);
  g_assert_cmpuint (count_of (counts, "count"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 1);
  g_signal_handlers_disconnect_by_data (seven, counts);

  g_assert_finalize_object (model);
}

/* The model disposed by a handler of a signal its update emits: the
 * update stops there (no further emission, nothing more updated), the
 * model reads as empty, and its items go when the update is over. */
typedef struct
{
  guint emissions;
  gboolean disposed;
} DisposeProbe;

static void
dispose_in_changed_cb (GListModel   *model,
                       guint         position,
                       guint         removed,
                       guint         added,
                       DisposeProbe *probe)
{
  probe->emissions++;
  if (probe->disposed)
    return;

  probe->disposed = TRUE;
  g_object_run_dispose (G_OBJECT (model));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_null (g_list_model_get_item (model, 0));
  g_assert_null (quarry_keyed_list_model_lookup (QUARRY_KEYED_LIST_MODEL (model), "2", NULL));
}

static void
dispose_in_notify_cb (GObject    *item,
                      GParamSpec *pspec,
                      GObject    *model)
{
  g_object_run_dispose (model);
}

typedef struct
{
  QuarryKeyedListModel *model;   /* to dispose at the next call */
  guint calls;
  guint destroyed;
} IdFuncProbe;

static char *
dispose_id_func (JsonNode *node,
                 gpointer  user_data)
{
  IdFuncProbe *probe = user_data;

  probe->calls++;
  if (probe->model != NULL)
    {
      g_object_run_dispose (G_OBJECT (g_steal_pointer (&probe->model)));
      /* The update is still calling this function: its data stays. */
      g_assert_cmpuint (probe->destroyed, ==, 0);
    }
  return g_strdup_printf ("%" G_GINT64_FORMAT,
                          json_object_get_int_member (json_node_get_object (node), "id"));
}

static void
id_func_probe_destroy (gpointer data)
{
  ((IdFuncProbe *) data)->destroyed++;
}

static void
test_dispose_during_update (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(QuarryQuery) query = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  QuarryKeyedListModel *model;
  DisposeProbe probe = { 0, };
  IdFuncProbe id_probe = { NULL, 0, 0 };
  GObject *items[4];
  TestTodo *one, *two;

  /* From items-changed, in the first of two emissions. */
  set_ids (f, "[\"gone\"]", "1 2 3 4");
  query = cached_query (f, "[\"gone\"]");
  model = quarry_keyed_list_model_new (query, G_TYPE_NONE);
  for (guint i = 0; i < 4; i++)
    {
      items[i] = item_at (model, i);
      g_object_add_weak_pointer (items[i], (gpointer *) &items[i]);
    }
  g_signal_connect (model, "items-changed", G_CALLBACK (dispose_in_changed_cb), &probe);
  g_signal_connect (model, "notify", G_CALLBACK (count_notify_cb), counts);

  set_ids (f, "[\"gone\"]", "2 4");
  g_assert_true (probe.disposed);
  g_assert_cmpuint (probe.emissions, ==, 1);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);
  for (guint i = 0; i < 4; i++)
    g_assert_null (items[i]);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  /* The query no longer drives the model. */
  set_ids (f, "[\"gone\"]", "5");
  g_assert_cmpuint (probe.emissions, ==, 1);
  g_assert_finalize_object (model);
  g_clear_object (&query);

  /* From the notify of an item being updated: the next item is not. */
  set_data (f, "[\"todos\"]",
            "[{\"id\":1,\"title\":\"a\"},{\"id\":2,\"title\":\"b\"},{\"id\":3,\"title\":\"c\"}]");
  query = cached_query (f, "[\"todos\"]");
  model = quarry_keyed_list_model_new (query, TEST_TYPE_TODO);
  g_assert_cmpuint (test_todo_alive, ==, 3);
  one = g_list_model_get_item (G_LIST_MODEL (model), 0);
  two = g_list_model_get_item (G_LIST_MODEL (model), 1);
  probe = (DisposeProbe) { 0, };
  g_signal_connect (model, "items-changed", G_CALLBACK (dispose_in_changed_cb), &probe);
  g_signal_connect (one, "notify::title", G_CALLBACK (dispose_in_notify_cb), model);

  set_data (f, "[\"todos\"]",
            "[{\"id\":4,\"title\":\"d\"},{\"id\":1,\"title\":\"A\"},{\"id\":2,\"title\":\"B\"}]");
  g_assert_cmpstr (one->title, ==, "A");
  g_assert_cmpstr (two->title, ==, "b");
  g_assert_cmpuint (probe.emissions, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  /* The items the update made went with the others. */
  g_assert_cmpuint (test_todo_alive, ==, 2);
  g_signal_handlers_disconnect_by_func (one, dispose_in_notify_cb, model);
  g_assert_finalize_object (one);
  g_assert_finalize_object (two);
  g_assert_finalize_object (model);
  g_clear_object (&query);

  /* From the id function: its data is freed once the update is over. */
  set_ids (f, "[\"by-func\"]", "1 2");
  query = cached_query (f, "[\"by-func\"]");
  model = quarry_keyed_list_model_new (query, G_TYPE_NONE);
  probe = (DisposeProbe) { 0, };
  g_signal_connect (model, "items-changed", G_CALLBACK (dispose_in_changed_cb), &probe);
  quarry_keyed_list_model_set_id_func (model, dispose_id_func, &id_probe, id_func_probe_destroy);
  id_probe.calls = 0;
  id_probe.model = model;
  set_ids (f, "[\"by-func\"]", "3 4 5");
  g_assert_cmpuint (id_probe.calls, ==, 1);
  g_assert_cmpuint (id_probe.destroyed, ==, 1);
  g_assert_cmpuint (probe.emissions, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_finalize_object (model);
  g_assert_cmpuint (id_probe.destroyed, ==, 1);
}

/* JSON numbers out of range: an integer property takes none that does
 * not fit 64 bits (checked before any cast, which would be undefined), a
 * float property clamps to the range of a float, and an id that does not
 * fit is no id. */
static void
test_out_of_range_numbers (Fixture       *f,
                           gconstpointer  data)
{
  static const char * const unfit[] = {
    "1e30", "-1e30", "9.3e18", "-9.3e18", "9223372036854775808.0", "1e300", "-1e300",
  };
  g_autoptr(GParamSpec) int64_spec =
    g_param_spec_ref_sink (g_param_spec_int64 ("n", NULL, NULL, G_MININT64, G_MAXINT64, 0, G_PARAM_READWRITE));
  g_autoptr(GParamSpec) int_spec =
    g_param_spec_ref_sink (g_param_spec_int ("i", NULL, NULL, G_MININT, G_MAXINT, 0, G_PARAM_READWRITE));
  g_autoptr(GParamSpec) uint64_spec =
    g_param_spec_ref_sink (g_param_spec_uint64 ("u", NULL, NULL, 0, G_MAXUINT64, 0, G_PARAM_READWRITE));
  g_autoptr(GParamSpec) float_spec =
    g_param_spec_ref_sink (g_param_spec_float ("f", NULL, NULL, -INFINITY, INFINITY, 0, G_PARAM_READWRITE));
  g_autoptr(JsonNode) nan_node = json_node_init_double (json_node_alloc (), NAN);
  g_autoptr(JsonNode) min_node = parse ("-9223372036854775808.0");
  g_autoptr(QuarryQuery) query = NULL;
  QuarryKeyedListModel *model;
  GValue value = G_VALUE_INIT;

  for (guint i = 0; i < G_N_ELEMENTS (unfit); i++)
    {
      g_autoptr(JsonNode) node = parse (unfit[i]);

      g_assert_false (_quarry_keyed_json_to_value (int64_spec, node, &value));
      g_assert_false (_quarry_keyed_json_to_value (int_spec, node, &value));
      g_assert_false (_quarry_keyed_json_to_value (uint64_spec, node, &value));
      g_assert_false (G_IS_VALUE (&value));
    }
  g_assert_false (_quarry_keyed_json_to_value (int64_spec, nan_node, &value));

  /* -2^63 itself fits. */
  g_assert_true (_quarry_keyed_json_to_value (int64_spec, min_node, &value));
  g_assert_cmpint (g_value_get_int64 (&value), ==, G_MININT64);
  g_value_unset (&value);

  {
    g_autoptr(JsonNode) huge = parse ("1e300");
    g_autoptr(JsonNode) tiny = parse ("-1e300");
    g_autoptr(JsonNode) big = parse ("1e30");

    g_assert_true (_quarry_keyed_json_to_value (float_spec, huge, &value));
    g_assert_cmpfloat (g_value_get_float (&value), ==, G_MAXFLOAT);
    g_value_unset (&value);
    g_assert_true (_quarry_keyed_json_to_value (float_spec, tiny, &value));
    g_assert_cmpfloat (g_value_get_float (&value), ==, -G_MAXFLOAT);
    g_value_unset (&value);
    g_assert_true (_quarry_keyed_json_to_value (float_spec, big, &value));
    g_assert_cmpfloat (g_value_get_float (&value), ==, 1e30f);
    g_value_unset (&value);
  }

  /* Ids. */
  set_data (f, "[\"big-ids\"]",
            "[{\"id\":1e30},{\"id\":-1e300},{\"id\":9.3e18},{\"id\":9223372036854775808.0},"
            "{\"id\":4.0},{\"id\":5}]");
  query = cached_query (f, "[\"big-ids\"]");
  model = quarry_keyed_list_model_new (query, G_TYPE_NONE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  g_assert_cmpuint (quarry_keyed_list_model_get_n_skipped (model), ==, 4);
  g_assert_true (quarry_keyed_list_model_lookup (model, "4", NULL) == item_at (model, 0));
  g_assert_true (quarry_keyed_list_model_lookup (model, "5", NULL) == item_at (model, 1));
  g_assert_finalize_object (model);
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/keyed-list-model/basics", test_basics);
  ADD ("/keyed-list-model/structural-changes", test_structural_changes);
  ADD ("/keyed-list-model/random-edits", test_random_edits);
  ADD ("/keyed-list-model/app-type", test_app_type);
  ADD ("/keyed-list-model/id-func", test_id_func);
  ADD ("/keyed-list-model/ids", test_ids);
  ADD ("/keyed-list-model/skipped", test_skipped);
  ADD ("/keyed-list-model/items-member", test_items_member);
  ADD ("/keyed-list-model/infinite", test_infinite);
  ADD ("/keyed-list-model/object-data", test_object_data);
  ADD ("/keyed-list-model/query-changes", test_query_changes);
  ADD ("/keyed-list-model/dispose-before-query", test_dispose_before_query);
  ADD ("/keyed-list-model/reentrant", test_reentrant);
  ADD ("/keyed-list-model/lookup-during-emission", test_lookup_during_emission);
  ADD ("/keyed-list-model/serializable-type", test_serializable_type);
  ADD ("/keyed-list-model/dispose-during-update", test_dispose_during_update);
  ADD ("/keyed-list-model/out-of-range-numbers", test_out_of_range_numbers);
  g_test_add ("/keyed-list-model/w7-shape/json-item", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_w7_shape, fixture_teardown);
  g_test_add ("/keyed-list-model/w7-shape/app-type", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_w7_shape, fixture_teardown);
  g_test_add_func ("/keyed-list-model/json-item/changed", test_json_item_changed);
  g_test_add_func ("/keyed-list-model/json-item/getters", test_json_item_getters);

  return g_test_run ();
}
