/* test-optimistic.c: optimistic updates and their restorers, alone and
 * declared on mutations (TanStack's onMutate, onError and onSettled
 * pattern: cancel the fetch in flight, change the data, roll back on
 * error, keep the server's version on success, invalidate once settled).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-util.h"

#define MARKER "isUpdating"

/* Helpers.
 *
 * The JSON text of this file is written with single quotes, which j ()
 * turns into double quotes: "{'id':1}" reads better than "{\"id\":1}".
 * No text here has an apostrophe of its own. */

static char *
j (const char *text)
{
  char *json;

  if (text == NULL)
    return NULL;

  json = g_strdup (text);
  for (char *p = json; *p != '\0'; p++)
    if (*p == '\'')
      *p = '"';
  return json;
}

static JsonNode *
json_new (const char *text)
{
  g_autofree char *json = j (text);
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
json_value_init (GValue     *value,
                 const char *text)
{
  g_value_init (value, JSON_TYPE_NODE);
  g_value_take_boxed (value, json_new (text));
}

static QuarryKey *
k (const char *text)
{
  g_autofree char *json = j (text);

  return key_new (json);
}

/* The JSON text of the data cached under @key_text, or NULL if none. */
static char *
data_json (Fixture    *f,
           const char *key_text)
{
  g_autoptr(QuarryKey) key = k (key_text);
  const GValue *value = quarry_query_client_get_query_data (f->client, key);

  return value != NULL ? value_to_json (value) : NULL;
}

#define assert_text(actual, expected)                                   \
  G_STMT_START {                                                        \
    g_autofree char *assert_expected = j (expected);                    \
    g_assert_cmpstr ((actual), ==, assert_expected);                    \
  } G_STMT_END

#define assert_data(f, key_text, expected)                              \
  G_STMT_START {                                                        \
    g_autofree char *assert_actual = data_json ((f), (key_text));       \
    g_autofree char *assert_expected = j (expected);                    \
    g_assert_cmpstr (assert_actual, ==, assert_expected);               \
  } G_STMT_END

static char *
query_json (QuarryQuery *query)
{
  const GValue *value = quarry_query_get_value (query);

  return value != NULL ? value_to_json (value) : NULL;
}

#define assert_query(query, expected)                                   \
  G_STMT_START {                                                        \
    g_autofree char *assert_actual = query_json (query);                \
    g_autofree char *assert_expected = j (expected);                    \
    g_assert_cmpstr (assert_actual, ==, assert_expected);               \
  } G_STMT_END

static void
set_json (Fixture    *f,
          const char *key_text,
          const char *text)
{
  g_autoptr(QuarryKey) key = k (key_text);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  json_value_init (&value, text);
  g_assert_true (quarry_query_client_set_query_data (f->client, key, &value, &error));
  g_assert_no_error (error);
}

static guint
update_count (Fixture    *f,
              const char *key_text)
{
  g_autoptr(QuarryKey) key = k (key_text);
  g_autoptr(QuarryQueryState) state = quarry_query_client_get_query_state (f->client, key);

  g_assert_nonnull (state);
  return quarry_query_state_get_data_update_count (state);
}

static QuarryRestorer *
opt_set (Fixture    *f,
         const char *key_text,
         const char *text,
         const char *updating_member)
{
  g_autoptr(QuarryKey) key = k (key_text);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  QuarryRestorer *restorer;

  json_value_init (&value, text);
  restorer = quarry_query_client_optimistic_set (f->client, key, &value, updating_member, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restorer);
  g_assert_true (quarry_key_equal (quarry_restorer_get_key (restorer), key));
  return restorer;
}

static QuarryRestorer *
opt_upsert (Fixture    *f,
            const char *key_text,
            const char *item_text,
            const char *updating_member)
{
  g_autoptr(QuarryKey) key = k (key_text);
  g_autoptr(JsonNode) item = json_new (item_text);
  g_autoptr(GError) error = NULL;
  QuarryRestorer *restorer;

  restorer = quarry_query_client_optimistic_upsert (f->client, key, item, NULL, updating_member, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restorer);
  return restorer;
}

static QuarryRestorer *
opt_delete (Fixture    *f,
            const char *key_text,
            const char *id_text,
            const char *updating_member)
{
  g_autoptr(QuarryKey) key = k (key_text);
  g_autoptr(JsonNode) id = json_new (id_text);
  g_autoptr(GError) error = NULL;
  QuarryRestorer *restorer;

  restorer = quarry_query_client_optimistic_delete (f->client, key, id, NULL, updating_member, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restorer);
  return restorer;
}

/* Commits with the server's version @text, or with NULL. */
static void
commit_json (QuarryRestorer *restorer,
             const char     *text)
{
  g_auto(GValue) value = G_VALUE_INIT;

  if (text == NULL)
    {
      quarry_restorer_commit (restorer, NULL);
      return;
    }

  json_value_init (&value, text);
  quarry_restorer_commit (restorer, &value);
}

static QuarryQuery *
mount (Fixture    *f,
       const char *key_text,
       Fetcher    *fetcher)
{
  g_autofree char *json = j (key_text);

  return make_query (f, json, fetcher);
}

static void
resolve_fetch (Fixture    *f,
               Fetcher    *fetcher,
               guint       index,
               const char *text)
{
  g_autofree char *json = j (text);

  fetcher_resolve_json (fetcher, index, json);
  quarry_clock_flush (f->clock);
}

/* Mounts a query on @key_text and loads it with @text. */
static QuarryQuery *
loaded_query (Fixture    *f,
              Fetcher    *fetcher,
              const char *key_text,
              const char *text)
{
  QuarryQuery *query = mount (f, key_text, fetcher);
  guint calls = fetcher->calls;

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, calls + 1);
  resolve_fetch (f, fetcher, calls, text);
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);
  assert_query (query, text);
  return query;
}

static gboolean
context_cancelled (Fetcher *fetcher,
                   guint    index)
{
  return g_cancellable_is_cancelled (quarry_fetch_context_get_cancellable (fetcher_take (fetcher, index)));
}

static void
resolve_mutation (Fixture    *f,
                  Mutator    *mutator,
                  guint       index,
                  const char *text)
{
  g_autofree char *json = j (text);

  mutator_resolve_json (mutator, index, json);
  quarry_clock_flush (f->clock);
}

static void
reject_mutation (Fixture *f,
                 Mutator *mutator,
                 guint    index)
{
  mutator_reject (mutator, index, "refused");
  quarry_clock_flush (f->clock);
}

static void
mutate_json (QuarryMutation *mutation,
             const char     *text)
{
  g_auto(GValue) variables = G_VALUE_INIT;

  json_value_init (&variables, text);
  quarry_mutation_mutate (mutation, &variables, NULL, NULL, NULL);
}

/* A mutation of a todo, as in the seed's updateTodoMutation: it upserts the
 * todo into ["todos"] with the "isUpdating" marker and, with @singleton,
 * sets it as the data of ["todos", id]. */
static QuarryMutation *
todo_mutation_new (Fixture  *f,
                   Mutator  *mutator,
                   gboolean  singleton)
{
  QuarryMutation *mutation = quarry_mutation_new (f->client, NULL, mutator_func, mutator, NULL);
  QuarryMutationOptions *options = quarry_mutation_get_options (mutation);
  g_autoptr(QuarryKey) todos = k ("['todos']");
  g_autoptr(QuarryOptimisticUpdate) in_list = quarry_optimistic_update_new (QUARRY_OPTIMISTIC_UPSERT, todos);

  quarry_optimistic_update_set_updating_member (in_list, MARKER);
  quarry_mutation_options_add_optimistic_update (options, in_list);

  if (singleton)
    {
      g_autoptr(QuarryOptimisticUpdate) alone = quarry_optimistic_update_new (QUARRY_OPTIMISTIC_SET, todos);

      quarry_optimistic_update_set_append_id (alone, TRUE);
      quarry_mutation_options_add_optimistic_update (options, alone);
    }

  return mutation;
}

/* The six orders of three things. */
static const guint orders[6][3] = {
  { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
};

/* 1. Singletons. */

static void
test_set (Fixture       *f,
          gconstpointer  data)
{
  QuarryRestorer *restorer;

  set_json (f, "['todos',5]", "{'id':5,'title':'old'}");

  /* Shown with the marker, restored. */
  restorer = opt_set (f, "['todos',5]", "{'id':5,'title':'new'}", MARKER);
  g_assert_true (quarry_restorer_get_is_pending (restorer));
  assert_data (f, "['todos',5]", "{'id':5,'title':'new','isUpdating':true}");
  quarry_restorer_restore (restorer);
  g_assert_false (quarry_restorer_get_is_pending (restorer));
  assert_data (f, "['todos',5]", "{'id':5,'title':'old'}");

  /* Once restored, a commit does nothing. */
  commit_json (restorer, "{'id':5,'title':'late'}");
  assert_data (f, "['todos',5]", "{'id':5,'title':'old'}");
  quarry_restorer_unref (restorer);
  assert_data (f, "['todos',5]", "{'id':5,'title':'old'}");

  /* Committed as it was shown, without the marker; a restore is then too
   * late. */
  restorer = opt_set (f, "['todos',5]", "{'id':5,'title':'new'}", MARKER);
  commit_json (restorer, NULL);
  g_assert_false (quarry_restorer_get_is_pending (restorer));
  assert_data (f, "['todos',5]", "{'id':5,'title':'new'}");
  quarry_restorer_restore (restorer);
  assert_data (f, "['todos',5]", "{'id':5,'title':'new'}");
  quarry_restorer_unref (restorer);

  /* Committed with the server's version. */
  restorer = opt_set (f, "['todos',5]", "{'id':5,'title':'newer'}", MARKER);
  assert_data (f, "['todos',5]", "{'id':5,'title':'newer','isUpdating':true}");
  commit_json (restorer, "{'id':5,'title':'newer','rev':2}");
  assert_data (f, "['todos',5]", "{'id':5,'title':'newer','rev':2}");
  quarry_restorer_unref (restorer);

  /* No marker asked: the value as given. */
  restorer = opt_set (f, "['todos',5]", "{'id':5,'title':'plain'}", NULL);
  assert_data (f, "['todos',5]", "{'id':5,'title':'plain'}");
  quarry_restorer_restore (restorer);
  assert_data (f, "['todos',5]", "{'id':5,'title':'newer','rev':2}");
  quarry_restorer_unref (restorer);
}

/* The marker goes on JSON objects only. */
static void
test_set_not_object (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(QuarryKey) key = k ("['count']");
  g_autoptr(GError) error = NULL;
  QuarryRestorer *restorer;
  GValue *number;

  set_json (f, "['tags']", "['a']");
  restorer = opt_set (f, "['tags']", "['a','b']", MARKER);
  assert_data (f, "['tags']", "['a','b']");
  quarry_restorer_restore (restorer);
  assert_data (f, "['tags']", "['a']");
  quarry_restorer_unref (restorer);

  /* Not JSON at all. */
  number = value_new_int (1);
  g_assert_true (quarry_query_client_set_query_data (f->client, key, number, &error));
  g_assert_no_error (error);
  g_value_set_int64 (number, 2);
  restorer = quarry_query_client_optimistic_set (f->client, key, number, MARKER, &error);
  g_assert_no_error (error);
  g_value_unset (number);
  g_free (number);
  g_assert_cmpint (value_get_int (quarry_query_client_get_query_data (f->client, key)), ==, 2);
  quarry_restorer_restore (restorer);
  g_assert_cmpint (value_get_int (quarry_query_client_get_query_data (f->client, key)), ==, 1);
  quarry_restorer_unref (restorer);
}

/* A set makes the entry; restoring it goes back to no data. */
static void
test_set_no_entry (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(QuarryKey) key = k ("['todos',6]");
  g_autoptr(QuarryQueryState) state = NULL;
  QuarryRestorer *restorer;

  g_assert_null (quarry_query_client_get_query_state (f->client, key));
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);

  restorer = opt_set (f, "['todos',6]", "{'id':6,'title':'new'}", MARKER);
  g_assert_true (quarry_restorer_get_is_pending (restorer));
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 1);
  assert_data (f, "['todos',6]", "{'id':6,'title':'new','isUpdating':true}");

  quarry_restorer_restore (restorer);
  g_assert_null (quarry_query_client_get_query_data (f->client, key));
  state = quarry_query_client_get_query_state (f->client, key);
  g_assert_nonnull (state);
  g_assert_cmpint (quarry_query_state_get_status (state), ==, QUARRY_STATUS_PENDING);
  quarry_restorer_unref (restorer);
  g_assert_null (quarry_query_client_get_query_data (f->client, key));

  /* Committed, it stays as confirmed data. */
  restorer = opt_set (f, "['todos',6]", "{'id':6,'title':'new'}", MARKER);
  commit_json (restorer, NULL);
  assert_data (f, "['todos',6]", "{'id':6,'title':'new'}");
  quarry_restorer_unref (restorer);
}

/* 2. Upserts. */

#define TODOS_AB "[{'id':1,'title':'a'},{'id':2,'title':'b'}]"

static void
test_upsert_array (Fixture       *f,
                   gconstpointer  data)
{
  QuarryRestorer *update, *insert;

  set_json (f, "['todos']", TODOS_AB);

  update = opt_upsert (f, "['todos']", "{'id':2,'title':'B'}", MARKER);
  g_assert_true (quarry_restorer_get_is_pending (update));
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':2,'title':'B','isUpdating':true}]");

  insert = opt_upsert (f, "['todos']", "{'id':3,'title':'c'}", MARKER);
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a'},{'id':2,'title':'B','isUpdating':true},"
               "{'id':3,'title':'c','isUpdating':true}]");

  /* Rolling back the update leaves the insertion. */
  quarry_restorer_restore (update);
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a'},{'id':2,'title':'b'},{'id':3,'title':'c','isUpdating':true}]");

  /* The server's version of the inserted item, without the marker. */
  commit_json (insert, "{'id':3,'title':'c-srv'}");
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a'},{'id':2,'title':'b'},{'id':3,'title':'c-srv'}]");
  quarry_restorer_unref (update);
  quarry_restorer_unref (insert);

  /* Committed as shown. */
  update = opt_upsert (f, "['todos']", "{'id':1,'title':'A'}", NULL);
  assert_data (f, "['todos']",
               "[{'id':1,'title':'A'},{'id':2,'title':'b'},{'id':3,'title':'c-srv'}]");
  commit_json (update, NULL);
  assert_data (f, "['todos']",
               "[{'id':1,'title':'A'},{'id':2,'title':'b'},{'id':3,'title':'c-srv'}]");
  quarry_restorer_unref (update);
}

static void
test_upsert_object (Fixture       *f,
                    gconstpointer  data)
{
  QuarryRestorer *update, *insert, *named;

  set_json (f, "['todos']", "{'1':{'id':1,'title':'a'},'2':{'id':2,'title':'b'}}");

  update = opt_upsert (f, "['todos']", "{'id':2,'title':'B'}", MARKER);
  assert_data (f, "['todos']",
               "{'1':{'id':1,'title':'a'},'2':{'id':2,'title':'B','isUpdating':true}}");

  insert = opt_upsert (f, "['todos']", "{'id':3,'title':'c'}", MARKER);
  named = opt_upsert (f, "['todos']", "{'id':'x','title':'x'}", NULL);
  assert_data (f, "['todos']",
               "{'1':{'id':1,'title':'a'},'2':{'id':2,'title':'B','isUpdating':true},"
               "'3':{'id':3,'title':'c','isUpdating':true},'x':{'id':'x','title':'x'}}");

  quarry_restorer_restore (insert);
  assert_data (f, "['todos']",
               "{'1':{'id':1,'title':'a'},'2':{'id':2,'title':'B','isUpdating':true},"
               "'x':{'id':'x','title':'x'}}");

  quarry_restorer_restore (named);
  assert_data (f, "['todos']",
               "{'1':{'id':1,'title':'a'},'2':{'id':2,'title':'B','isUpdating':true}}");

  commit_json (update, "{'id':2,'title':'B-srv'}");
  assert_data (f, "['todos']", "{'1':{'id':1,'title':'a'},'2':{'id':2,'title':'B-srv'}}");

  quarry_restorer_unref (update);
  quarry_restorer_unref (insert);
  quarry_restorer_unref (named);
}

/* An item made with a temporary id takes the id the server gives it. */
static void
test_upsert_temp_id (Fixture       *f,
                     gconstpointer  data)
{
  QuarryRestorer *restorer;

  /* In an array. */
  set_json (f, "['todos']", "[{'id':1,'title':'a'}]");
  restorer = opt_upsert (f, "['todos']", "{'id':'tmp-1','title':'new'}", MARKER);
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a'},{'id':'tmp-1','title':'new','isUpdating':true}]");
  commit_json (restorer, "{'id':7,'title':'new'}");
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':7,'title':'new'}]");
  quarry_restorer_unref (restorer);

  /* In an object. */
  set_json (f, "['notes']", "{'1':{'id':1,'title':'a'}}");
  restorer = opt_upsert (f, "['notes']", "{'id':'tmp-1','title':'new'}", MARKER);
  assert_data (f, "['notes']",
               "{'1':{'id':1,'title':'a'},'tmp-1':{'id':'tmp-1','title':'new','isUpdating':true}}");
  commit_json (restorer, "{'id':7,'title':'new'}");
  assert_data (f, "['notes']", "{'1':{'id':1,'title':'a'},'7':{'id':7,'title':'new'}}");
  quarry_restorer_unref (restorer);

  /* A refetch brought the server's item before the commit: it still
   * appears once. */
  set_json (f, "['todos']", "[{'id':1,'title':'a'}]");
  restorer = opt_upsert (f, "['todos']", "{'id':'tmp-2','title':'newer'}", MARKER);
  set_json (f, "['todos']", "[{'id':1,'title':'a'},{'id':8,'title':'newer'}]");
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a'},{'id':8,'title':'newer'},"
               "{'id':'tmp-2','title':'newer','isUpdating':true}]");
  commit_json (restorer, "{'id':8,'title':'newer'}");
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':8,'title':'newer'}]");
  quarry_restorer_unref (restorer);
}

/* Items found by another id member. */
static void
test_upsert_id_member (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(QuarryKey) key = k ("['todos']");
  g_autoptr(JsonNode) item = json_new ("{'uuid':'b','id':1,'title':'B'}");
  g_autoptr(GError) error = NULL;
  QuarryRestorer *restorer;

  set_json (f, "['todos']", "[{'uuid':'a','id':1,'title':'a'},{'uuid':'b','id':2,'title':'b'}]");
  restorer = quarry_query_client_optimistic_upsert (f->client, key, item, "uuid", MARKER, &error);
  g_assert_no_error (error);
  assert_data (f, "['todos']",
               "[{'uuid':'a','id':1,'title':'a'},{'uuid':'b','id':1,'title':'B','isUpdating':true}]");
  quarry_restorer_restore (restorer);
  assert_data (f, "['todos']", "[{'uuid':'a','id':1,'title':'a'},{'uuid':'b','id':2,'title':'b'}]");
  quarry_restorer_unref (restorer);
}

/* 3. Deletions. */

#define TODOS_ABC "[{'id':1,'title':'a'},{'id':2,'title':'b'},{'id':3,'title':'c'}]"
#define NOTES_ABC "{'1':{'id':1,'title':'a'},'2':{'id':2,'title':'b'},'3':{'id':3,'title':'c'}}"

static void
test_delete_array (Fixture       *f,
                   gconstpointer  data)
{
  QuarryRestorer *restorer;

  set_json (f, "['todos']", TODOS_ABC);

  /* Hidden at once; put back at its place. */
  restorer = opt_delete (f, "['todos']", "2", NULL);
  g_assert_true (quarry_restorer_get_is_pending (restorer));
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':3,'title':'c'}]");
  quarry_restorer_restore (restorer);
  assert_data (f, "['todos']", TODOS_ABC);
  quarry_restorer_unref (restorer);

  /* Marked until committed, then gone. */
  restorer = opt_delete (f, "['todos']", "2", MARKER);
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a'},{'id':2,'title':'b','isUpdating':true},{'id':3,'title':'c'}]");
  commit_json (restorer, "{'deleted':true}");
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':3,'title':'c'}]");
  quarry_restorer_unref (restorer);

  /* Marked, then restored. */
  restorer = opt_delete (f, "['todos']", "1", MARKER);
  assert_data (f, "['todos']", "[{'id':1,'title':'a','isUpdating':true},{'id':3,'title':'c'}]");
  quarry_restorer_restore (restorer);
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':3,'title':'c'}]");
  quarry_restorer_unref (restorer);
}

static void
test_delete_object (Fixture       *f,
                    gconstpointer  data)
{
  QuarryRestorer *restorer;

  set_json (f, "['notes']", NOTES_ABC);

  restorer = opt_delete (f, "['notes']", "2", NULL);
  assert_data (f, "['notes']", "{'1':{'id':1,'title':'a'},'3':{'id':3,'title':'c'}}");
  quarry_restorer_restore (restorer);
  assert_data (f, "['notes']", NOTES_ABC);
  quarry_restorer_unref (restorer);

  /* A string id names the same member. */
  restorer = opt_delete (f, "['notes']", "'2'", MARKER);
  assert_data (f, "['notes']",
               "{'1':{'id':1,'title':'a'},'2':{'id':2,'title':'b','isUpdating':true},"
               "'3':{'id':3,'title':'c'}}");
  commit_json (restorer, NULL);
  assert_data (f, "['notes']", "{'1':{'id':1,'title':'a'},'3':{'id':3,'title':'c'}}");
  quarry_restorer_unref (restorer);
}

/* Deleting what is not there changes nothing, and neither does its commit
 * or its rollback. */
static void
test_delete_missing (Fixture       *f,
                     gconstpointer  data)
{
  const char *keys[] = { "['todos']", "['notes']" };
  const char *texts[] = { TODOS_ABC, NOTES_ABC };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      QuarryRestorer *restorer;
      guint count;

      set_json (f, keys[i], texts[i]);
      count = update_count (f, keys[i]);

      restorer = opt_delete (f, keys[i], "9", MARKER);
      assert_data (f, keys[i], texts[i]);
      g_assert_cmpuint (update_count (f, keys[i]), ==, count);
      quarry_restorer_restore (restorer);
      assert_data (f, keys[i], texts[i]);
      quarry_restorer_unref (restorer);

      restorer = opt_delete (f, keys[i], "9", NULL);
      commit_json (restorer, NULL);
      assert_data (f, keys[i], texts[i]);
      g_assert_cmpuint (update_count (f, keys[i]), ==, count);
      quarry_restorer_unref (restorer);
    }
}

/* 4. Errors. */

static void
assert_upsert_fails (Fixture    *f,
                     const char *key_text,
                     const char *item_text)
{
  g_autoptr(QuarryKey) key = k (key_text);
  g_autoptr(JsonNode) item = json_new (item_text);
  g_autoptr(GError) error = NULL;

  g_assert_null (quarry_query_client_optimistic_upsert (f->client, key, item, NULL, MARKER, &error));
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE);
}

static void
assert_delete_fails (Fixture    *f,
                     const char *key_text,
                     const char *id_text)
{
  g_autoptr(QuarryKey) key = k (key_text);
  g_autoptr(JsonNode) id = json_new (id_text);
  g_autoptr(GError) error = NULL;

  g_assert_null (quarry_query_client_optimistic_delete (f->client, key, id, NULL, MARKER, &error));
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  guint count;

  /* Not a collection. */
  set_json (f, "['motd']", "'hello'");
  count = update_count (f, "['motd']");
  assert_upsert_fails (f, "['motd']", "{'id':1,'title':'a'}");
  assert_delete_fails (f, "['motd']", "1");
  assert_data (f, "['motd']", "'hello'");
  g_assert_cmpuint (update_count (f, "['motd']"), ==, count);

  /* Items without a scalar id. */
  set_json (f, "['todos']", TODOS_AB);
  count = update_count (f, "['todos']");
  assert_upsert_fails (f, "['todos']", "{'title':'no id'}");
  assert_upsert_fails (f, "['todos']", "{'id':{'n':1},'title':'object id'}");
  assert_upsert_fails (f, "['todos']", "{'id':null,'title':'null id'}");
  assert_upsert_fails (f, "['todos']", "[1]");
  assert_upsert_fails (f, "['todos']", "1");

  /* Ids that are not scalars. */
  assert_delete_fails (f, "['todos']", "{'id':1}");
  assert_delete_fails (f, "['todos']", "[1]");
  assert_data (f, "['todos']", TODOS_AB);
  g_assert_cmpuint (update_count (f, "['todos']"), ==, count);
}

/* Nothing cached under the key: nothing to change, nothing made. */
static void
test_nothing_cached (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(QuarryKey) key = k ("['todos']");
  QuarryRestorer *restorer;

  restorer = opt_upsert (f, "['todos']", "{'id':1,'title':'a'}", MARKER);
  g_assert_false (quarry_restorer_get_is_pending (restorer));
  g_assert_true (quarry_key_equal (quarry_restorer_get_key (restorer), key));
  g_assert_null (quarry_query_client_get_query_state (f->client, key));
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);
  commit_json (restorer, "{'id':1,'title':'a'}");
  quarry_restorer_restore (restorer);
  quarry_restorer_unref (restorer);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);

  restorer = opt_delete (f, "['todos']", "1", MARKER);
  g_assert_false (quarry_restorer_get_is_pending (restorer));
  quarry_restorer_unref (restorer);
  g_assert_cmpuint (quarry_query_client_get_n_entries (f->client), ==, 0);
}

/* 5. A fetch in flight is cancelled. */

static void
test_cancels_fetch (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = loaded_query (f, fetcher, "['todos']", TODOS_AB);
  QuarryRestorer *first, *second;

  quarry_query_refetch (query);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_true (quarry_query_get_is_refetching (query));

  first = opt_upsert (f, "['todos']", "{'id':3,'title':'c'}", MARKER);
  g_assert_true (context_cancelled (fetcher, 1));
  g_assert_cmpint (quarry_query_get_fetch_status (query), ==, QUARRY_FETCH_STATUS_IDLE);
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 0);
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a'},{'id':2,'title':'b'},{'id':3,'title':'c','isUpdating':true}]");

  /* What the server had before the change comes too late. */
  resolve_fetch (f, fetcher, 1, "[{'id':1,'title':'stale'}]");
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a'},{'id':2,'title':'b'},{'id':3,'title':'c','isUpdating':true}]");
  assert_query (query,
                "[{'id':1,'title':'a'},{'id':2,'title':'b'},{'id':3,'title':'c','isUpdating':true}]");
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);

  /* A refetch started under a pending change, cancelled by another: the
   * entry goes back to its confirmed data with both changes on top. */
  quarry_query_refetch (query);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  second = opt_upsert (f, "['todos']", "{'id':1,'title':'A'}", MARKER);
  g_assert_true (context_cancelled (fetcher, 2));
  assert_data (f, "['todos']",
               "[{'id':1,'title':'A','isUpdating':true},{'id':2,'title':'b'},"
               "{'id':3,'title':'c','isUpdating':true}]");
  resolve_fetch (f, fetcher, 2, "[]");
  assert_data (f, "['todos']",
               "[{'id':1,'title':'A','isUpdating':true},{'id':2,'title':'b'},"
               "{'id':3,'title':'c','isUpdating':true}]");

  quarry_restorer_restore (first);
  assert_data (f, "['todos']", "[{'id':1,'title':'A','isUpdating':true},{'id':2,'title':'b'}]");
  quarry_restorer_restore (second);
  assert_data (f, "['todos']", TODOS_AB);
  assert_query (query, TODOS_AB);

  quarry_restorer_unref (first);
  quarry_restorer_unref (second);
  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* A first load is not cancelled: its data becomes the base, with the change
 * on top. */
static void
test_first_load (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = mount (f, "['todos']", fetcher);
  QuarryRestorer *restorer;

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  g_assert_true (quarry_query_get_is_loading (query));

  restorer = opt_upsert (f, "['todos']", "{'id':3,'title':'c'}", MARKER);
  g_assert_false (context_cancelled (fetcher, 0));
  g_assert_true (quarry_query_get_is_loading (query));
  g_assert_null (quarry_query_get_value (query));

  resolve_fetch (f, fetcher, 0, TODOS_AB);
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a'},{'id':2,'title':'b'},{'id':3,'title':'c','isUpdating':true}]");
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_SUCCESS);

  quarry_restorer_restore (restorer);
  assert_data (f, "['todos']", TODOS_AB);
  quarry_restorer_unref (restorer);

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* 6. Server data arriving under pending changes. */

static void
test_refetch_rebases (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = loaded_query (f, fetcher, "['todos']", TODOS_AB);
  QuarryRestorer *update, *insert;

  update = opt_upsert (f, "['todos']", "{'id':2,'title':'B'}", MARKER);
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':2,'title':'B','isUpdating':true}]");

  quarry_query_refetch (query);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  resolve_fetch (f, fetcher, 1, "[{'id':1,'title':'a2'},{'id':2,'title':'b'},{'id':4,'title':'d'}]");
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a2'},{'id':2,'title':'B','isUpdating':true},{'id':4,'title':'d'}]");
  assert_query (query,
                "[{'id':1,'title':'a2'},{'id':2,'title':'B','isUpdating':true},{'id':4,'title':'d'}]");
  g_assert_false (quarry_query_get_is_fetching (query));

  /* The rollback shows the new server data, not the old base. */
  quarry_restorer_restore (update);
  assert_data (f, "['todos']", "[{'id':1,'title':'a2'},{'id':2,'title':'b'},{'id':4,'title':'d'}]");
  assert_query (query, "[{'id':1,'title':'a2'},{'id':2,'title':'b'},{'id':4,'title':'d'}]");

  /* A commit after a refetch keeps the refetched data too. */
  insert = opt_upsert (f, "['todos']", "{'id':5,'title':'e'}", MARKER);
  quarry_query_refetch (query);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  resolve_fetch (f, fetcher, 2, "[{'id':1,'title':'a3'},{'id':4,'title':'d'}]");
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a3'},{'id':4,'title':'d'},{'id':5,'title':'e','isUpdating':true}]");
  commit_json (insert, "{'id':5,'title':'e-srv'}");
  assert_data (f, "['todos']", "[{'id':1,'title':'a3'},{'id':4,'title':'d'},{'id':5,'title':'e-srv'}]");

  quarry_restorer_unref (update);
  quarry_restorer_unref (insert);
  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* 7. Concurrent changes of one collection. A small model of ["todos"] holds
 * the todos 1 to 3, always in that order: only the todo 3 is ever
 * inserted, and only the todo 2 ever deleted. */

typedef struct
{
  gboolean upsert;        /* else a deletion */
  guint id;
  const char *title;      /* what the upsert shows */
  const char *server;     /* what the server confirms */
} Change;

typedef struct
{
  gboolean present[4];
  gboolean marked[4];
  const char *title[4];
} Todos;

static const Todos todos_initial = {
  { FALSE, TRUE, TRUE, FALSE },
  { FALSE, FALSE, FALSE, FALSE },
  { NULL, "a", "b", NULL },
};

static void
todos_apply (Todos        *todos,
             const Change *change,
             const char   *title,
             const char   *marker)
{
  if (change->upsert)
    {
      todos->present[change->id] = TRUE;
      todos->title[change->id] = title;
      todos->marked[change->id] = marker != NULL;
    }
  else if (todos->present[change->id])
    {
      if (marker != NULL)
        todos->marked[change->id] = TRUE;
      else
        todos->present[change->id] = FALSE;
    }
}

static char *
todos_to_text (const Todos *todos)
{
  GString *text = g_string_new ("[");

  for (guint id = 1; id < G_N_ELEMENTS (todos->present); id++)
    {
      if (!todos->present[id])
        continue;
      if (text->len > 1)
        g_string_append_c (text, ',');
      g_string_append_printf (text, "{'id':%u,'title':'%s'%s}", id, todos->title[id],
                              todos->marked[id] ? ",'" MARKER "':true" : "");
    }
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

static QuarryRestorer *
change_apply (Fixture      *f,
              const Change *change,
              const char   *marker)
{
  g_autofree char *text = NULL;

  if (!change->upsert)
    {
      text = g_strdup_printf ("%u", change->id);
      return opt_delete (f, "['todos']", text, marker);
    }

  text = g_strdup_printf ("{'id':%u,'title':'%s'}", change->id, change->title);
  return opt_upsert (f, "['todos']", text, marker);
}

static void
change_commit (QuarryRestorer *restorer,
               const Change   *change)
{
  g_autofree char *text = NULL;

  if (change->upsert)
    text = g_strdup_printf ("{'id':%u,'title':'%s'}", change->id, change->server);
  commit_json (restorer, text);
}

/* What is shown: the confirmed todos with the pending changes on top, in
 * the order they were made. */
static void
assert_todos (Fixture      *f,
              const Todos  *base,
              const Change *changes,
              gboolean     *pending,
              const char   *marker,
              const char   *where)
{
  Todos shown = *base;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *actual = data_json (f, "['todos']");

  for (guint i = 0; i < 3; i++)
    if (pending[i])
      todos_apply (&shown, &changes[i], changes[i].title, marker);

  text = todos_to_text (&shown);
  expected = j (text);
  if (g_strcmp0 (actual, expected) != 0)
    g_test_message ("%s", where);
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  /* Upserts of different ids, and two of the same id. */
  static const Change updates[3] = {
    { TRUE, 1, "A", "A-srv" },
    { TRUE, 3, "B", "B-srv" },
    { TRUE, 1, "C", "C-srv" },
  };
  /* An insertion, a deletion and an update of the inserted item. */
  static const Change mixed[3] = {
    { TRUE, 3, "A", "A-srv" },
    { FALSE, 2, NULL, NULL },
    { TRUE, 3, "C", "C-srv" },
  };
  const Change *sets[] = { updates, mixed };
  const char *markers[] = { NULL, MARKER };
  guint n = 0;

  for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
    for (guint m = 0; m < G_N_ELEMENTS (markers); m++)
      for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
        for (guint commits = 0; commits < 8; commits++)
          {
            const Change *changes = sets[s];
            const char *marker = markers[m];
            QuarryRestorer *restorers[3];
            gboolean pending[3] = { TRUE, TRUE, TRUE };
            Todos base = todos_initial;
            g_autofree char *base_text = todos_to_text (&base);

            quarry_query_client_remove_queries (f->client, NULL);
            set_json (f, "['todos']", base_text);

            for (guint i = 0; i < 3; i++)
              restorers[i] = change_apply (f, &changes[i], marker);

            for (guint step = 0; step < 3; step++)
              {
                guint i = orders[o][step];
                g_autofree char *where =
                  g_strdup_printf ("set %u, marker %s, order %u%u%u, commits %x, step %u",
                                   s, marker ? marker : "none", orders[o][0], orders[o][1],
                                   orders[o][2], commits, step);

                assert_todos (f, &base, changes, pending, marker, where);

                if (commits & (1u << i))
                  {
                    change_commit (restorers[i], &changes[i]);
                    todos_apply (&base, &changes[i], changes[i].server, NULL);
                  }
                else
                  quarry_restorer_restore (restorers[i]);
                pending[i] = FALSE;
                g_assert_false (quarry_restorer_get_is_pending (restorers[i]));
                assert_todos (f, &base, changes, pending, marker, where);

                /* The server changed the todo 1 meanwhile, and a refetch
                 * brings it. */
                if (step == 0)
                  {
                    g_autofree char *server_text = NULL;

                    base.title[1] = "a2";
                    server_text = todos_to_text (&base);
                    set_json (f, "['todos']", server_text);
                    assert_todos (f, &base, changes, pending, marker, where);
                  }
              }

            for (guint i = 0; i < 3; i++)
              quarry_restorer_unref (restorers[i]);
            n++;
          }

  g_assert_cmpuint (n, ==, 2 * 2 * 6 * 8);
}

/* 8. Declarative updates of a mutation. */

typedef struct
{
  Fixture *f;
  guint mutate;
  guint error;
  guint success;
  char *list;         /* ["todos"] when the handler ran */
  char *item;         /* ["todos", 1] when the handler ran */
} Probe;

static void
probe_record (Probe *probe)
{
  g_clear_pointer (&probe->list, g_free);
  g_clear_pointer (&probe->item, g_free);
  probe->list = data_json (probe->f, "['todos']");
  probe->item = data_json (probe->f, "['todos',1]");
}

static void
probe_clear (Probe *probe)
{
  g_clear_pointer (&probe->list, g_free);
  g_clear_pointer (&probe->item, g_free);
}

static GValue *
probe_mutate_cb (QuarryMutation *mutation,
                 const GValue   *variables,
                 gpointer        user_data)
{
  Probe *probe = user_data;

  probe->mutate++;
  probe_record (probe);
  return NULL;
}

static void
probe_error_cb (QuarryMutation *mutation,
                const GError   *error,
                const GValue   *variables,
                const GValue   *context,
                gpointer        user_data)
{
  Probe *probe = user_data;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  probe->error++;
  probe_record (probe);
}

static void
probe_success_cb (QuarryMutation *mutation,
                  const GValue   *value,
                  const GValue   *variables,
                  const GValue   *context,
                  gpointer        user_data)
{
  Probe *probe = user_data;

  probe->success++;
  probe_record (probe);
}

static void
probe_connect (Probe          *probe,
               QuarryMutation *mutation)
{
  g_signal_connect (mutation, "mutate", G_CALLBACK (probe_mutate_cb), probe);
  g_signal_connect (mutation, "error", G_CALLBACK (probe_error_cb), probe);
  g_signal_connect (mutation, "success", G_CALLBACK (probe_success_cb), probe);
}

#define TODOS_1 "[{'id':1,'title':'a'},{'id':2,'title':'b'}]"
#define TODO_1 "{'id':1,'title':'a'}"

/* Applied before the function runs, even offline; rolled back on error
 * before ::error. */
static void
test_mutation_rollback (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = todo_mutation_new (f, mutator, TRUE);
  Probe probe = { f, };

  probe_connect (&probe, mutation);
  set_json (f, "['todos']", TODOS_1);
  set_json (f, "['todos',1]", TODO_1);

  quarry_query_client_set_online (f->client, FALSE);
  mutate_json (mutation, "{'id':1,'title':'A'}");

  g_assert_cmpuint (mutator->calls, ==, 0);
  g_assert_true (quarry_mutation_get_is_pending (mutation));
  g_assert_true (quarry_mutation_get_is_paused (mutation));
  g_assert_cmpuint (probe.mutate, ==, 1);
  assert_text (probe.list, "[{'id':1,'title':'A','isUpdating':true},{'id':2,'title':'b'}]");
  assert_text (probe.item, "{'id':1,'title':'A'}");
  assert_data (f, "['todos']", "[{'id':1,'title':'A','isUpdating':true},{'id':2,'title':'b'}]");
  assert_data (f, "['todos',1]", "{'id':1,'title':'A'}");

  quarry_query_client_set_online (f->client, TRUE);
  g_assert_cmpuint (mutator->calls, ==, 1);
  assert_text (g_ptr_array_index (mutator->variables, 0), "{'id':1,'title':'A'}");
  assert_data (f, "['todos']", "[{'id':1,'title':'A','isUpdating':true},{'id':2,'title':'b'}]");

  reject_mutation (f, mutator, 0);
  g_assert_true (quarry_mutation_get_is_error (mutation));
  g_assert_cmpuint (probe.error, ==, 1);
  g_assert_cmpuint (probe.success, ==, 0);
  assert_text (probe.list, TODOS_1);
  assert_text (probe.item, TODO_1);
  assert_data (f, "['todos']", TODOS_1);
  assert_data (f, "['todos',1]", TODO_1);

  probe_clear (&probe);
  g_assert_finalize_object (mutation);
}

/* Committed with the server's version, without the marker. */
static void
test_mutation_commit (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = todo_mutation_new (f, mutator, TRUE);
  Probe probe = { f, };

  probe_connect (&probe, mutation);
  set_json (f, "['todos']", TODOS_1);
  set_json (f, "['todos',1]", TODO_1);

  mutate_json (mutation, "{'id':1,'title':'A'}");
  g_assert_cmpuint (probe.mutate, ==, 1);
  g_assert_cmpuint (mutator->calls, ==, 1);
  assert_data (f, "['todos']", "[{'id':1,'title':'A','isUpdating':true},{'id':2,'title':'b'}]");
  assert_data (f, "['todos',1]", "{'id':1,'title':'A'}");

  resolve_mutation (f, mutator, 0, "{'id':1,'title':'A-srv','done':false}");
  g_assert_true (quarry_mutation_get_is_success (mutation));
  g_assert_cmpuint (probe.success, ==, 1);
  assert_text (probe.list, "[{'id':1,'title':'A-srv','done':false},{'id':2,'title':'b'}]");
  assert_data (f, "['todos']", "[{'id':1,'title':'A-srv','done':false},{'id':2,'title':'b'}]");
  assert_data (f, "['todos',1]", "{'id':1,'title':'A-srv','done':false}");

  /* A new todo, whose singleton did not exist. */
  mutate_json (mutation, "{'id':3,'title':'c'}");
  assert_data (f, "['todos']",
               "[{'id':1,'title':'A-srv','done':false},{'id':2,'title':'b'},"
               "{'id':3,'title':'c','isUpdating':true}]");
  assert_data (f, "['todos',3]", "{'id':3,'title':'c'}");
  resolve_mutation (f, mutator, 1, "{'id':3,'title':'c-srv'}");
  assert_data (f, "['todos']",
               "[{'id':1,'title':'A-srv','done':false},{'id':2,'title':'b'},{'id':3,'title':'c-srv'}]");
  assert_data (f, "['todos',3]", "{'id':3,'title':'c-srv'}");

  probe_clear (&probe);
  g_assert_finalize_object (mutation);
}

/* A failing update fails the run before its function runs, rolling back
 * the updates applied before it. */
static void
test_mutation_update_fails (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = todo_mutation_new (f, mutator, TRUE);
  g_autoptr(QuarryKey) motd = k ("['motd']");
  g_autoptr(QuarryOptimisticUpdate) broken = quarry_optimistic_update_new (QUARRY_OPTIMISTIC_UPSERT, motd);

  quarry_mutation_options_add_optimistic_update (quarry_mutation_get_options (mutation), broken);
  set_json (f, "['todos']", TODOS_1);
  set_json (f, "['todos',1]", TODO_1);
  set_json (f, "['motd']", "'hello'");

  mutate_json (mutation, "{'id':1,'title':'A'}");
  g_assert_cmpuint (mutator->calls, ==, 0);
  g_assert_true (quarry_mutation_get_is_error (mutation));
  g_assert_error (quarry_mutation_get_error (mutation), QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE);
  assert_data (f, "['todos']", TODOS_1);
  assert_data (f, "['todos',1]", TODO_1);
  assert_data (f, "['motd']", "'hello'");

  g_assert_finalize_object (mutation);
}

/* A declared deletion takes the id from the variables. */
static void
test_mutation_delete (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = quarry_mutation_new (f->client, NULL, mutator_func, mutator, NULL);
  g_autoptr(QuarryKey) todos = k ("['todos']");
  g_autoptr(QuarryOptimisticUpdate) update = quarry_optimistic_update_new (QUARRY_OPTIMISTIC_DELETE, todos);

  quarry_optimistic_update_set_updating_member (update, MARKER);
  quarry_mutation_options_add_optimistic_update (quarry_mutation_get_options (mutation), update);
  set_json (f, "['todos']", TODOS_ABC);

  /* Failed: back in place. */
  mutate_json (mutation, "{'id':2}");
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a'},{'id':2,'title':'b','isUpdating':true},{'id':3,'title':'c'}]");
  reject_mutation (f, mutator, 0);
  assert_data (f, "['todos']", TODOS_ABC);

  /* Succeeded: gone, whatever the function returned. */
  mutate_json (mutation, "2");
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a'},{'id':2,'title':'b','isUpdating':true},{'id':3,'title':'c'}]");
  resolve_mutation (f, mutator, 1, "{'deleted':2}");
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':3,'title':'c'}]");

  g_assert_finalize_object (mutation);
}

/* Cancelling a run rolls its updates back, paused or in flight; a late
 * result changes nothing. */
static void
test_mutation_cancel (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  QuarryMutation *mutation = todo_mutation_new (f, mutator, TRUE);

  set_json (f, "['todos']", TODOS_1);
  set_json (f, "['todos',1]", TODO_1);

  /* Paused offline. */
  quarry_query_client_set_online (f->client, FALSE);
  mutate_json (mutation, "{'id':1,'title':'A'}");
  assert_data (f, "['todos']", "[{'id':1,'title':'A','isUpdating':true},{'id':2,'title':'b'}]");
  quarry_mutation_cancel (mutation);
  g_assert_true (quarry_mutation_get_is_error (mutation));
  g_assert_error (quarry_mutation_get_error (mutation), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_data (f, "['todos']", TODOS_1);
  assert_data (f, "['todos',1]", TODO_1);
  quarry_query_client_set_online (f->client, TRUE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (mutator->calls, ==, 0);
  assert_data (f, "['todos']", TODOS_1);

  /* In flight. */
  mutate_json (mutation, "{'id':1,'title':'A'}");
  g_assert_cmpuint (mutator->calls, ==, 1);
  assert_data (f, "['todos',1]", "{'id':1,'title':'A'}");
  quarry_mutation_cancel (mutation);
  g_assert_true (g_cancellable_is_cancelled (
    quarry_fetch_context_get_cancellable (g_ptr_array_index (mutator->pending, 0))));
  assert_data (f, "['todos']", TODOS_1);
  assert_data (f, "['todos',1]", TODO_1);
  resolve_mutation (f, mutator, 0, "{'id':1,'title':'A-srv'}");
  assert_data (f, "['todos']", TODOS_1);
  assert_data (f, "['todos',1]", TODO_1);

  g_assert_finalize_object (mutation);
}

/* 9. Concurrent runs failing and succeeding in every order. */

static const char *run_titles[3] = { "x", "y", "z" };

/* ["todos"]: the base, the committed todos in the order they were
 * committed, then the pending ones in the order they were made. */
static char *
runs_expected (const guint    *committed,
               guint           n_committed,
               const gboolean *pending)
{
  GString *text = g_string_new ("[{'id':1,'title':'a'}");

  for (guint c = 0; c < n_committed; c++)
    g_string_append_printf (text, ",{'id':%u,'title':'%s-srv'}",
                            10 + committed[c], run_titles[committed[c]]);
  for (guint i = 0; i < 3; i++)
    if (pending[i])
      g_string_append_printf (text, ",{'id':%u,'title':'%s','" MARKER "':true}",
                              10 + i, run_titles[i]);
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

static void
test_mutation_concurrent (Fixture       *f,
                          gconstpointer  data)
{
  guint n = 0;

  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    for (guint failures = 0; failures < 8; failures++)
      {
        g_autoptr(Mutator) mutator = mutator_new ();
        QuarryMutation *mutation = todo_mutation_new (f, mutator, FALSE);
        gboolean pending[3] = { TRUE, TRUE, TRUE };
        guint committed[3];
        guint n_committed = 0;

        set_json (f, "['todos']", "[{'id':1,'title':'a'}]");

        for (guint i = 0; i < 3; i++)
          {
            g_autofree char *variables =
              g_strdup_printf ("{'id':%u,'title':'%s'}", 10 + i, run_titles[i]);

            mutate_json (mutation, variables);
          }
        g_assert_cmpuint (mutator->calls, ==, 3);
        g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 3);

        for (guint step = 0; step <= 3; step++)
          {
            g_autofree char *expected = runs_expected (committed, n_committed, pending);
            g_autofree char *expected_json = j (expected);
            g_autofree char *actual = data_json (f, "['todos']");
            guint i;

            if (g_strcmp0 (actual, expected_json) != 0)
              g_test_message ("order %u%u%u, failures %x, step %u",
                              orders[o][0], orders[o][1], orders[o][2], failures, step);
            g_assert_cmpstr (actual, ==, expected_json);

            if (step == 3)
              break;

            i = orders[o][step];
            if (failures & (1u << i))
              reject_mutation (f, mutator, i);
            else
              {
                g_autofree char *server =
                  g_strdup_printf ("{'id':%u,'title':'%s-srv'}", 10 + i, run_titles[i]);

                resolve_mutation (f, mutator, i, server);
                committed[n_committed++] = i;
              }
            pending[i] = FALSE;
          }

        g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 0);
        g_assert_finalize_object (mutation);
        g_clear_pointer (&mutator, mutator_free);
        quarry_query_client_clear (f->client);
        n++;
      }

  g_assert_cmpuint (n, ==, 6 * 8);
}

/* 10. Invalidation once settled. */

typedef struct
{
  Fetcher *fetcher;
  guint settled;
  guint calls_when_settled;
} SettledProbe;

static void
settled_cb (QuarryMutation *mutation,
            const GValue   *value,
            const GError   *error,
            const GValue   *variables,
            const GValue   *context,
            gpointer        user_data)
{
  SettledProbe *probe = user_data;

  probe->settled++;
  probe->calls_when_settled = probe->fetcher->calls;
}

static void
test_mutation_invalidate (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(QuarryKey) todos = k ("['todos']");
  QuarryQuery *query = loaded_query (f, fetcher, "['todos']", "[{'id':1,'title':'a'}]");
  QuarryMutation *mutation = todo_mutation_new (f, mutator, FALSE);
  SettledProbe probe = { fetcher, };

  quarry_mutation_options_add_invalidate_key (quarry_mutation_get_options (mutation), todos);
  g_signal_connect (mutation, "settled", G_CALLBACK (settled_cb), &probe);

  /* Success. */
  mutate_json (mutation, "{'id':2,'title':'b'}");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (mutator->calls, ==, 1);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  assert_query (query, "[{'id':1,'title':'a'},{'id':2,'title':'b','isUpdating':true}]");

  resolve_mutation (f, mutator, 0, "{'id':2,'title':'b-srv'}");
  g_assert_cmpuint (probe.settled, ==, 1);
  g_assert_cmpuint (probe.calls_when_settled, ==, 1);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  g_assert_true (quarry_query_get_is_fetching (query));
  assert_query (query, "[{'id':1,'title':'a'},{'id':2,'title':'b-srv'}]");

  resolve_fetch (f, fetcher, 1, "[{'id':1,'title':'a'},{'id':2,'title':'b-srv2'}]");
  assert_query (query, "[{'id':1,'title':'a'},{'id':2,'title':'b-srv2'}]");
  g_assert_false (quarry_query_get_is_fetching (query));

  /* Error. */
  mutate_json (mutation, "{'id':3,'title':'c'}");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (mutator->calls, ==, 2);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  assert_query (query,
                "[{'id':1,'title':'a'},{'id':2,'title':'b-srv2'},{'id':3,'title':'c','isUpdating':true}]");

  reject_mutation (f, mutator, 1);
  g_assert_cmpuint (probe.settled, ==, 2);
  g_assert_cmpuint (probe.calls_when_settled, ==, 2);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_query (query, "[{'id':1,'title':'a'},{'id':2,'title':'b-srv2'}]");

  resolve_fetch (f, fetcher, 2, "[{'id':1,'title':'a'},{'id':2,'title':'b-srv2'}]");
  assert_query (query, "[{'id':1,'title':'a'},{'id':2,'title':'b-srv2'}]");

  g_assert_finalize_object (mutation);
  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* Two runs with invalidation: the refetch after the first brings server
 * data, shown with the second run's change on top until it fails. */
static void
test_mutation_invalidate_concurrent (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(QuarryKey) todos = k ("['todos']");
  QuarryQuery *query = loaded_query (f, fetcher, "['todos']", "[{'id':1,'title':'a'}]");
  QuarryMutation *mutation = todo_mutation_new (f, mutator, FALSE);

  quarry_mutation_options_add_invalidate_key (quarry_mutation_get_options (mutation), todos);

  mutate_json (mutation, "{'id':2,'title':'b'}");
  mutate_json (mutation, "{'id':3,'title':'c'}");
  g_assert_cmpuint (mutator->calls, ==, 2);
  assert_query (query,
                "[{'id':1,'title':'a'},{'id':2,'title':'b','isUpdating':true},"
                "{'id':3,'title':'c','isUpdating':true}]");

  resolve_mutation (f, mutator, 0, "{'id':2,'title':'b-srv'}");
  g_assert_cmpuint (fetcher->calls, ==, 2);
  assert_query (query,
                "[{'id':1,'title':'a'},{'id':2,'title':'b-srv'},{'id':3,'title':'c','isUpdating':true}]");

  resolve_fetch (f, fetcher, 1, "[{'id':1,'title':'a2'},{'id':2,'title':'b-srv'}]");
  assert_query (query,
                "[{'id':1,'title':'a2'},{'id':2,'title':'b-srv'},{'id':3,'title':'c','isUpdating':true}]");

  reject_mutation (f, mutator, 1);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_query (query, "[{'id':1,'title':'a2'},{'id':2,'title':'b-srv'}]");
  resolve_fetch (f, fetcher, 2, "[{'id':1,'title':'a2'},{'id':2,'title':'b-srv'}]");
  assert_query (query, "[{'id':1,'title':'a2'},{'id':2,'title':'b-srv'}]");

  g_assert_finalize_object (mutation);
  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* 11. A restorer dropped while pending commits its change. */

static void
test_drop_commits (Fixture       *f,
                   gconstpointer  data)
{
  QuarryRestorer *restorer;

  set_json (f, "['todos']", TODOS_AB);
  restorer = opt_upsert (f, "['todos']", "{'id':2,'title':'B'}", MARKER);
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':2,'title':'B','isUpdating':true}]");

  /* Not while another reference is held. */
  quarry_restorer_ref (restorer);
  quarry_restorer_unref (restorer);
  g_assert_true (quarry_restorer_get_is_pending (restorer));
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':2,'title':'B','isUpdating':true}]");

  quarry_restorer_unref (restorer);
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':2,'title':'B'}]");

  /* The same for a singleton and a deletion. */
  set_json (f, "['todos',5]", "{'id':5,'title':'old'}");
  restorer = opt_set (f, "['todos',5]", "{'id':5,'title':'new'}", MARKER);
  quarry_restorer_unref (restorer);
  assert_data (f, "['todos',5]", "{'id':5,'title':'new'}");

  restorer = opt_delete (f, "['todos']", "1", MARKER);
  assert_data (f, "['todos']", "[{'id':1,'title':'a','isUpdating':true},{'id':2,'title':'B'}]");
  quarry_restorer_unref (restorer);
  assert_data (f, "['todos']", "[{'id':2,'title':'B'}]");
}

/* An entry removed under a pending change: the restorer no longer touches
 * the key. */
static void
test_removed_entry (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(QuarryKey) key = k ("['todos']");
  QuarryRestorer *restore, *commit;

  set_json (f, "['todos']", TODOS_AB);
  restore = opt_upsert (f, "['todos']", "{'id':3,'title':'c'}", MARKER);
  commit = opt_upsert (f, "['todos']", "{'id':4,'title':'d'}", MARKER);

  quarry_query_client_remove_queries (f->client, NULL);
  g_assert_null (quarry_query_client_get_query_state (f->client, key));

  set_json (f, "['todos']", "[{'id':9,'title':'new'}]");
  quarry_restorer_restore (restore);
  commit_json (commit, "{'id':4,'title':'d'}");
  assert_data (f, "['todos']", "[{'id':9,'title':'new'}]");

  quarry_restorer_unref (restore);
  quarry_restorer_unref (commit);
}

/* 12. Lists in an envelope ({"items": [...], "total": N}), changes merged
 * into an item, and one change in every list under a prefix (TanStack's
 * setQueriesData), with the same layering as a change of one key. */

#define LIST_ALL  "{'items':[{'id':1,'title':'a','done':false},{'id':2,'title':'b','done':true}],'total':2,'page':1}"
#define LIST_OPEN "{'items':[{'id':1,'title':'a','done':false}],'total':1,'page':1}"
#define LIST_DONE "{'items':[{'id':2,'title':'b','done':true}],'total':1,'page':1}"
#define KEY_ALL   "['todos',{'done':null}]"
#define KEY_OPEN  "['todos',{'done':false}]"
#define KEY_DONE  "['todos',{'done':true}]"

/* An update of the lists in "items", counted in "total": of the key
 * @key_text, or of every entry under @prefix_text. */
static QuarryOptimisticUpdate *
list_update_new (QuarryOptimisticKind  kind,
                 const char           *key_text,
                 const char           *prefix_text,
                 gboolean              merge)
{
  g_autoptr(QuarryKey) key = key_text != NULL ? k (key_text) : NULL;
  QuarryOptimisticUpdate *update = quarry_optimistic_update_new (kind, key);

  quarry_optimistic_update_set_items_member (update, "items");
  quarry_optimistic_update_set_count_member (update, "total");
  quarry_optimistic_update_set_updating_member (update, MARKER);
  quarry_optimistic_update_set_merge (update, merge);
  g_assert_cmpstr (quarry_optimistic_update_get_items_member (update), ==, "items");
  g_assert_cmpstr (quarry_optimistic_update_get_count_member (update), ==, "total");
  g_assert_true (quarry_optimistic_update_get_merge (update) == merge);

  if (prefix_text != NULL)
    {
      g_autoptr(QuarryKey) prefix = k (prefix_text);
      g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (prefix);

      quarry_optimistic_update_set_filter (update, filter);
      g_assert_true (quarry_optimistic_update_get_filter (update) == filter);
    }

  return update;
}

static QuarryRestorer *
apply_json (Fixture                *f,
            QuarryOptimisticUpdate *update,
            const char             *variables_text)
{
  g_auto(GValue) variables = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  QuarryRestorer *restorer;

  json_value_init (&variables, variables_text);
  restorer = quarry_optimistic_update_apply (update, f->client, &variables, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restorer);
  return restorer;
}

static void
apply_fails (Fixture                *f,
             QuarryOptimisticUpdate *update,
             const char             *variables_text)
{
  g_auto(GValue) variables = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  QuarryRestorer *restorer;

  json_value_init (&variables, variables_text);
  restorer = quarry_optimistic_update_apply (update, f->client, &variables, &error);
  g_assert_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE);
  g_assert_null (restorer);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The keys a restorer changed, sorted, as one string. */
static char *
restorer_keys (QuarryRestorer *restorer)
{
  g_autoptr(GPtrArray) keys = quarry_restorer_get_keys (restorer);
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autofree char *joined = NULL;

  for (guint i = 0; i < keys->len; i++)
    g_ptr_array_add (texts, (gpointer) quarry_key_to_string (g_ptr_array_index (keys, i)));
  g_ptr_array_sort (texts, compare_strings);
  g_ptr_array_add (texts, NULL);
  joined = g_strjoinv (" ", (char **) texts->pdata);
  return g_steal_pointer (&joined);
}

#define assert_keys(restorer, expected)                                 \
  G_STMT_START {                                                        \
    g_autofree char *assert_actual = restorer_keys (restorer);         \
    g_autofree char *assert_expected = j (expected);                    \
    g_assert_cmpstr (assert_actual, ==, assert_expected);               \
  } G_STMT_END

/* Inserted and replaced in "items"; "total" follows the insertions, and
 * the other members stay. */
static void
test_envelope_upsert (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(QuarryOptimisticUpdate) update = list_update_new (QUARRY_OPTIMISTIC_UPSERT, KEY_ALL, NULL, FALSE);
  QuarryRestorer *insert, *replace, *uncounted;

  set_json (f, KEY_ALL, LIST_ALL);

  insert = apply_json (f, update, "{'id':-1,'title':'new','done':false}");
  assert_keys (insert, KEY_ALL);
  g_assert_true (quarry_restorer_get_is_pending (insert));
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'a','done':false},{'id':2,'title':'b','done':true},"
               "{'id':-1,'title':'new','done':false,'isUpdating':true}],'total':3,'page':1}");

  replace = apply_json (f, update, "{'id':2,'title':'B','done':true}");
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'a','done':false},{'id':2,'title':'B','done':true,'isUpdating':true},"
               "{'id':-1,'title':'new','done':false,'isUpdating':true}],'total':3,'page':1}");

  /* The insertion rolls back alone, and so does its count. */
  quarry_restorer_restore (insert);
  g_assert_false (quarry_restorer_get_is_pending (insert));
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'a','done':false},{'id':2,'title':'B','done':true,'isUpdating':true}],"
               "'total':2,'page':1}");

  commit_json (replace, "{'id':2,'title':'B-srv','done':true}");
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'a','done':false},{'id':2,'title':'B-srv','done':true}],"
               "'total':2,'page':1}");

  /* Without a count member nothing else moves. */
  quarry_optimistic_update_set_count_member (update, NULL);
  uncounted = apply_json (f, update, "{'id':3,'title':'c','done':false}");
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'a','done':false},{'id':2,'title':'B-srv','done':true},"
               "{'id':3,'title':'c','done':false,'isUpdating':true}],'total':2,'page':1}");
  commit_json (uncounted, "{'id':3,'title':'c','done':false}");
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'a','done':false},{'id':2,'title':'B-srv','done':true},"
               "{'id':3,'title':'c','done':false}],'total':2,'page':1}");

  quarry_restorer_unref (insert);
  quarry_restorer_unref (replace);
  quarry_restorer_unref (uncounted);
}

static void
test_envelope_delete (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(QuarryOptimisticUpdate) update = list_update_new (QUARRY_OPTIMISTIC_DELETE, KEY_ALL, NULL, FALSE);
  QuarryRestorer *restorer;

  set_json (f, KEY_ALL, LIST_ALL);

  /* Hidden and counted at once; back at its place. */
  quarry_optimistic_update_set_updating_member (update, NULL);
  restorer = apply_json (f, update, "{'id':1}");
  assert_data (f, KEY_ALL, "{'items':[{'id':2,'title':'b','done':true}],'total':1,'page':1}");
  quarry_restorer_restore (restorer);
  assert_data (f, KEY_ALL, LIST_ALL);
  quarry_restorer_unref (restorer);

  /* Marked, still counted, until committed. */
  quarry_optimistic_update_set_updating_member (update, MARKER);
  restorer = apply_json (f, update, "2");
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'a','done':false},{'id':2,'title':'b','done':true,'isUpdating':true}],"
               "'total':2,'page':1}");
  commit_json (restorer, NULL);
  assert_data (f, KEY_ALL, "{'items':[{'id':1,'title':'a','done':false}],'total':1,'page':1}");
  quarry_restorer_unref (restorer);

  /* What is not there is neither deleted nor counted. */
  restorer = apply_json (f, update, "{'id':9}");
  assert_data (f, KEY_ALL, "{'items':[{'id':1,'title':'a','done':false}],'total':1,'page':1}");
  commit_json (restorer, NULL);
  assert_data (f, KEY_ALL, "{'items':[{'id':1,'title':'a','done':false}],'total':1,'page':1}");
  quarry_restorer_unref (restorer);
}

/* A merge sets some members of the item: two changes of one item roll
 * back independently, and nothing is inserted. */
static void
test_envelope_merge (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(QuarryOptimisticUpdate) update = list_update_new (QUARRY_OPTIMISTIC_UPSERT, KEY_ALL, NULL, TRUE);
  QuarryRestorer *done, *title, *absent;

  set_json (f, KEY_ALL, LIST_ALL);

  done = apply_json (f, update, "{'id':1,'done':true}");
  title = apply_json (f, update, "{'id':1,'title':'A'}");
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'A','done':true,'isUpdating':true},{'id':2,'title':'b','done':true}],"
               "'total':2,'page':1}");

  absent = apply_json (f, update, "{'id':7,'title':'x'}");
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'A','done':true,'isUpdating':true},{'id':2,'title':'b','done':true}],"
               "'total':2,'page':1}");
  commit_json (absent, "{'id':7,'title':'x'}");
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'A','done':true,'isUpdating':true},{'id':2,'title':'b','done':true}],"
               "'total':2,'page':1}");

  /* The first change rolls back: only its member goes back. */
  quarry_restorer_restore (done);
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'A','done':false,'isUpdating':true},{'id':2,'title':'b','done':true}],"
               "'total':2,'page':1}");

  /* The server's whole item is merged in. */
  commit_json (title, "{'id':1,'title':'A-srv','done':false,'updated_at':'t2'}");
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'A-srv','done':false,'updated_at':'t2'},{'id':2,'title':'b','done':true}],"
               "'total':2,'page':1}");

  quarry_restorer_unref (done);
  quarry_restorer_unref (title);
  quarry_restorer_unref (absent);
}

/* A merged set changes some members of a singleton. */
static void
test_merge_set (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(QuarryKey) key = k ("['todos','detail',1]");
  g_autoptr(QuarryKey) missing = k ("['todos','detail',2]");
  g_autoptr(QuarryOptimisticUpdate) update = quarry_optimistic_update_new (QUARRY_OPTIMISTIC_SET, key);
  QuarryRestorer *done, *title;

  quarry_optimistic_update_set_merge (update, TRUE);
  quarry_optimistic_update_set_updating_member (update, MARKER);
  set_json (f, "['todos','detail',1]", "{'id':1,'title':'a','done':false}");

  done = apply_json (f, update, "{'done':true}");
  title = apply_json (f, update, "{'title':'A'}");
  assert_data (f, "['todos','detail',1]", "{'id':1,'title':'A','done':true,'isUpdating':true}");
  quarry_restorer_restore (done);
  assert_data (f, "['todos','detail',1]", "{'id':1,'title':'A','done':false,'isUpdating':true}");
  commit_json (title, "{'id':1,'title':'A-srv','done':false}");
  assert_data (f, "['todos','detail',1]", "{'id':1,'title':'A-srv','done':false}");
  quarry_restorer_unref (done);
  quarry_restorer_unref (title);

  /* Nothing cached: nothing to merge into, and no entry made. */
  quarry_optimistic_update_set_key (update, missing);
  done = apply_json (f, update, "{'done':true}");
  g_assert_false (quarry_restorer_get_is_pending (done));
  g_assert_null (quarry_query_client_get_query_state (f->client, missing));
  quarry_restorer_unref (done);
}

/* Data without the collection, and values that cannot be merged, are
 * errors that change nothing. */
static void
test_envelope_errors (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(QuarryOptimisticUpdate) upsert = list_update_new (QUARRY_OPTIMISTIC_UPSERT, "['todos']", NULL, FALSE);
  g_autoptr(QuarryOptimisticUpdate) remove = list_update_new (QUARRY_OPTIMISTIC_DELETE, "['todos']", NULL, FALSE);
  g_autoptr(QuarryOptimisticUpdate) merge = list_update_new (QUARRY_OPTIMISTIC_UPSERT, "['todos']", NULL, TRUE);
  g_autoptr(QuarryOptimisticUpdate) set = list_update_new (QUARRY_OPTIMISTIC_SET, "['todos']", NULL, TRUE);
  g_autoptr(QuarryOptimisticUpdate) everywhere = list_update_new (QUARRY_OPTIMISTIC_UPSERT, NULL, "['todos']", TRUE);
  guint count;

  /* A bare list has no "items", nor has an object without it. */
  set_json (f, "['todos']", "[{'id':1,'title':'a'}]");
  count = update_count (f, "['todos']");
  apply_fails (f, upsert, "{'id':2,'title':'b'}");
  apply_fails (f, remove, "1");
  set_json (f, "['todos']", "{'items':5,'total':1}");
  count = update_count (f, "['todos']");
  apply_fails (f, upsert, "{'id':2,'title':'b'}");
  apply_fails (f, merge, "{'id':2,'title':'b'}");
  assert_data (f, "['todos']", "{'items':5,'total':1}");
  g_assert_cmpuint (update_count (f, "['todos']"), ==, count);

  /* A merge needs an object, and for an item an id. */
  set_json (f, "['todos']", LIST_OPEN);
  apply_fails (f, set, "5");
  apply_fails (f, merge, "{'title':'no id'}");
  apply_fails (f, everywhere, "{'title':'no id'}");
  assert_data (f, "['todos']", LIST_OPEN);
}

/* A new todo shows in the lists whose filter shows it. */
static gboolean
shows_new_todo (const GValue *variables,
                QuarryKey    *key,
                gpointer      user_data)
{
  JsonObject *todo = json_node_get_object (g_value_get_boxed (variables));
  g_autoptr(JsonNode) filter = quarry_key_get_length (key) == 2 ? quarry_key_dup_segment (key, 1) : NULL;
  JsonNode *done;

  (*(guint *) user_data)++;
  if (filter == NULL || !JSON_NODE_HOLDS_OBJECT (filter))
    return FALSE;
  done = json_object_get_member (json_node_get_object (filter), "done");
  return done == NULL || JSON_NODE_HOLDS_NULL (done) ||
         json_node_get_boolean (done) == json_object_get_boolean_member (todo, "done");
}

/* One change in each of three lists under ["todos"]; entries of another
 * shape, without data, or elsewhere are left alone. */
static void
test_filter_lists (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryOptimisticUpdate) rename = list_update_new (QUARRY_OPTIMISTIC_UPSERT, NULL, "['todos']", TRUE);
  g_autoptr(QuarryOptimisticUpdate) add = list_update_new (QUARRY_OPTIMISTIC_UPSERT, NULL, "['todos']", FALSE);
  g_autoptr(QuarryOptimisticUpdate) remove = list_update_new (QUARRY_OPTIMISTIC_DELETE, NULL, "['todos']", FALSE);
  g_autoptr(QuarryKey) todos = k ("['todos']");
  QuarryQuery *loading;
  QuarryRestorer *restorer;
  guint n_asked = 0;

  quarry_optimistic_update_set_updating_member (remove, NULL);
  set_json (f, KEY_ALL, LIST_ALL);
  set_json (f, KEY_OPEN, LIST_OPEN);
  set_json (f, KEY_DONE, LIST_DONE);
  set_json (f, "['todos','detail',1]", "{'id':1,'title':'a','done':false}");
  set_json (f, "['todos','ids']", "[1,2]");
  set_json (f, "['other']", LIST_ALL);
  loading = mount (f, "['todos',{'q':'x'}]", fetcher);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  /* A rename reaches the lists holding the todo; rolled back in all. */
  restorer = apply_json (f, rename, "{'id':1,'title':'A'}");
  g_assert_true (quarry_key_equal (quarry_restorer_get_key (restorer), todos));
  assert_keys (restorer, KEY_OPEN " " KEY_ALL " " KEY_DONE);
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'A','done':false,'isUpdating':true},{'id':2,'title':'b','done':true}],"
               "'total':2,'page':1}");
  assert_data (f, KEY_OPEN, "{'items':[{'id':1,'title':'A','done':false,'isUpdating':true}],'total':1,'page':1}");
  assert_data (f, KEY_DONE, LIST_DONE);
  assert_data (f, "['todos','detail',1]", "{'id':1,'title':'a','done':false}");
  assert_data (f, "['todos','ids']", "[1,2]");
  assert_data (f, "['other']", LIST_ALL);
  assert_data (f, "['todos',{'q':'x'}]", NULL);

  quarry_restorer_restore (restorer);
  assert_data (f, KEY_ALL, LIST_ALL);
  assert_data (f, KEY_OPEN, LIST_OPEN);
  assert_data (f, KEY_DONE, LIST_DONE);
  quarry_restorer_unref (restorer);

  /* Committed in all, with the server's version. */
  restorer = apply_json (f, rename, "{'id':1,'title':'A'}");
  commit_json (restorer, "{'id':1,'title':'A-srv','done':false}");
  g_assert_false (quarry_restorer_get_is_pending (restorer));
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'A-srv','done':false},{'id':2,'title':'b','done':true}],'total':2,'page':1}");
  assert_data (f, KEY_OPEN, "{'items':[{'id':1,'title':'A-srv','done':false}],'total':1,'page':1}");
  assert_data (f, KEY_DONE, LIST_DONE);
  quarry_restorer_unref (restorer);

  /* A new todo goes where the match function says. */
  quarry_optimistic_update_set_match_func (add, shows_new_todo, &n_asked, NULL);
  restorer = apply_json (f, add, "{'id':-1,'title':'new','done':false}");
  g_assert_cmpuint (n_asked, ==, 6);   /* the entries under ["todos"] */
  assert_keys (restorer, KEY_OPEN " " KEY_ALL);
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'A-srv','done':false},{'id':2,'title':'b','done':true},"
               "{'id':-1,'title':'new','done':false,'isUpdating':true}],'total':3,'page':1}");
  assert_data (f, KEY_OPEN,
               "{'items':[{'id':1,'title':'A-srv','done':false},"
               "{'id':-1,'title':'new','done':false,'isUpdating':true}],'total':2,'page':1}");
  assert_data (f, KEY_DONE, LIST_DONE);
  commit_json (restorer, "{'id':3,'title':'new','done':false}");
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'A-srv','done':false},{'id':2,'title':'b','done':true},"
               "{'id':3,'title':'new','done':false}],'total':3,'page':1}");
  assert_data (f, KEY_OPEN,
               "{'items':[{'id':1,'title':'A-srv','done':false},{'id':3,'title':'new','done':false}],"
               "'total':2,'page':1}");
  quarry_restorer_unref (restorer);

  /* A deletion leaves the lists without the todo as they are. */
  restorer = apply_json (f, remove, "{'id':2}");
  assert_keys (restorer, KEY_OPEN " " KEY_ALL " " KEY_DONE);
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'A-srv','done':false},{'id':3,'title':'new','done':false}],"
               "'total':2,'page':1}");
  assert_data (f, KEY_DONE, "{'items':[],'total':0,'page':1}");
  assert_data (f, KEY_OPEN,
               "{'items':[{'id':1,'title':'A-srv','done':false},{'id':3,'title':'new','done':false}],"
               "'total':2,'page':1}");
  quarry_restorer_restore (restorer);
  assert_data (f, KEY_DONE, LIST_DONE);
  quarry_restorer_unref (restorer);

  /* A set replaces data of its own type only. */
  {
    g_autoptr(QuarryOptimisticUpdate) set = quarry_optimistic_update_new (QUARRY_OPTIMISTIC_SET, NULL);
    g_autoptr(QuarryQueryFilter) under_todos = quarry_query_filter_new (todos);
    g_autoptr(QuarryKey) count_key = k ("['todos','count']");
    g_auto(GValue) count = G_VALUE_INIT;

    g_value_init (&count, G_TYPE_INT64);
    g_value_set_int64 (&count, 2);
    g_assert_true (quarry_query_client_set_query_data (f->client, count_key, &count, NULL));
    quarry_optimistic_update_set_filter (set, under_todos);
    restorer = apply_json (f, set, "{'items':[],'total':0}");
    assert_data (f, KEY_DONE, "{'items':[],'total':0}");
    assert_data (f, "['todos','ids']", "{'items':[],'total':0}");
    g_assert_cmpint (value_get_int (quarry_query_client_get_query_data (f->client, count_key)), ==, 2);
    quarry_restorer_restore (restorer);
    assert_data (f, KEY_DONE, LIST_DONE);
    assert_data (f, "['todos','ids']", "[1,2]");
    quarry_restorer_unref (restorer);
  }

  /* Nothing matches: a restorer that changed nothing. */
  {
    g_autoptr(QuarryKey) nothing = k ("['nothing']");
    g_autoptr(QuarryQueryFilter) none = quarry_query_filter_new (nothing);

    quarry_optimistic_update_set_filter (rename, none);
    restorer = apply_json (f, rename, "{'id':1,'title':'A'}");
    g_assert_false (quarry_restorer_get_is_pending (restorer));
    assert_keys (restorer, "");
    quarry_restorer_unref (restorer);
  }

  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (loading);
}

/* A refetch of one list while a change is pending there: the change stays
 * on top of the new data, and rolling it back shows the new data. */
static void
test_filter_refetch (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(QuarryOptimisticUpdate) done = list_update_new (QUARRY_OPTIMISTIC_UPSERT, NULL, "['todos']", TRUE);
  QuarryQuery *all = loaded_query (f, fetcher, KEY_ALL, LIST_ALL);
  QuarryQuery *open = loaded_query (f, fetcher, KEY_OPEN, LIST_OPEN);
  QuarryRestorer *restorer;

  restorer = apply_json (f, done, "{'id':1,'done':true}");
  assert_query (open, "{'items':[{'id':1,'title':'a','done':true,'isUpdating':true}],'total':1,'page':1}");

  /* The server renamed the todo meanwhile; it has not seen the change. */
  quarry_query_refetch (open);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  resolve_fetch (f, fetcher, 2,
                 "{'items':[{'id':1,'title':'a2','done':false},{'id':4,'title':'d','done':false}],'total':2,'page':1}");
  assert_query (open,
                "{'items':[{'id':1,'title':'a2','done':true,'isUpdating':true},{'id':4,'title':'d','done':false}],"
                "'total':2,'page':1}");
  assert_query (all,
                "{'items':[{'id':1,'title':'a','done':true,'isUpdating':true},{'id':2,'title':'b','done':true}],"
                "'total':2,'page':1}");

  quarry_restorer_restore (restorer);
  assert_query (open,
                "{'items':[{'id':1,'title':'a2','done':false},{'id':4,'title':'d','done':false}],'total':2,'page':1}");
  assert_query (all, LIST_ALL);

  quarry_restorer_unref (restorer);
  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (all);
  g_assert_finalize_object (open);
}

/* Three pending changes in three lists; the middle one rolls back and
 * takes nothing of the other two with it. */
static void
test_filter_rollback_middle (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(QuarryOptimisticUpdate) merge = list_update_new (QUARRY_OPTIMISTIC_UPSERT, NULL, "['todos']", TRUE);
  g_autoptr(QuarryOptimisticUpdate) remove = list_update_new (QUARRY_OPTIMISTIC_DELETE, NULL, "['todos']", FALSE);
  QuarryRestorer *done, *title, *deletion;

  quarry_optimistic_update_set_updating_member (remove, NULL);
  set_json (f, KEY_ALL, LIST_ALL);
  set_json (f, KEY_OPEN, LIST_OPEN);
  set_json (f, KEY_DONE, LIST_DONE);

  done = apply_json (f, merge, "{'id':1,'done':true}");
  title = apply_json (f, merge, "{'id':1,'title':'A'}");
  deletion = apply_json (f, remove, "{'id':2}");
  assert_data (f, KEY_ALL, "{'items':[{'id':1,'title':'A','done':true,'isUpdating':true}],'total':1,'page':1}");
  assert_data (f, KEY_OPEN, "{'items':[{'id':1,'title':'A','done':true,'isUpdating':true}],'total':1,'page':1}");
  assert_data (f, KEY_DONE, "{'items':[],'total':0,'page':1}");

  quarry_restorer_restore (title);
  assert_data (f, KEY_ALL, "{'items':[{'id':1,'title':'a','done':true,'isUpdating':true}],'total':1,'page':1}");
  assert_data (f, KEY_OPEN, "{'items':[{'id':1,'title':'a','done':true,'isUpdating':true}],'total':1,'page':1}");
  assert_data (f, KEY_DONE, "{'items':[],'total':0,'page':1}");

  commit_json (done, "{'id':1,'title':'a','done':true}");
  commit_json (deletion, NULL);
  assert_data (f, KEY_ALL, "{'items':[{'id':1,'title':'a','done':true}],'total':1,'page':1}");
  assert_data (f, KEY_OPEN, "{'items':[{'id':1,'title':'a','done':true}],'total':1,'page':1}");
  assert_data (f, KEY_DONE, "{'items':[],'total':0,'page':1}");

  quarry_restorer_unref (done);
  quarry_restorer_unref (title);
  quarry_restorer_unref (deletion);
}

/* An item added with a temporary id is committed with the server's id;
 * the changes made to it meanwhile follow it to that id. */
static void
test_filter_temporary_id (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(QuarryOptimisticUpdate) add = list_update_new (QUARRY_OPTIMISTIC_UPSERT, NULL, "['todos']", FALSE);
  g_autoptr(QuarryOptimisticUpdate) merge = list_update_new (QUARRY_OPTIMISTIC_UPSERT, NULL, "['todos']", TRUE);
  g_autoptr(QuarryOptimisticUpdate) remove = list_update_new (QUARRY_OPTIMISTIC_DELETE, NULL, "['todos']", FALSE);
  QuarryRestorer *insert, *rename, *deletion;
  guint n_asked = 0;

  quarry_optimistic_update_set_match_func (add, shows_new_todo, &n_asked, NULL);
  set_json (f, KEY_ALL, LIST_ALL);
  set_json (f, KEY_OPEN, LIST_OPEN);
  set_json (f, KEY_DONE, LIST_DONE);

  insert = apply_json (f, add, "{'id':-1,'title':'new','done':false}");
  rename = apply_json (f, merge, "{'id':-1,'title':'renamed'}");
  assert_data (f, KEY_OPEN,
               "{'items':[{'id':1,'title':'a','done':false},"
               "{'id':-1,'title':'renamed','done':false,'isUpdating':true}],'total':2,'page':1}");

  commit_json (insert, "{'id':3,'title':'new','done':false}");
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'a','done':false},{'id':2,'title':'b','done':true},"
               "{'id':3,'title':'renamed','done':false,'isUpdating':true}],'total':3,'page':1}");
  assert_data (f, KEY_OPEN,
               "{'items':[{'id':1,'title':'a','done':false},"
               "{'id':3,'title':'renamed','done':false,'isUpdating':true}],'total':2,'page':1}");
  assert_data (f, KEY_DONE, LIST_DONE);

  /* The rename's rollback reaches the todo under its new id. */
  quarry_restorer_restore (rename);
  assert_data (f, KEY_OPEN,
               "{'items':[{'id':1,'title':'a','done':false},{'id':3,'title':'new','done':false}],"
               "'total':2,'page':1}");
  quarry_restorer_unref (rename);

  /* So does a deletion made before the id came. */
  quarry_restorer_unref (insert);
  insert = apply_json (f, add, "{'id':-2,'title':'gone','done':false}");
  deletion = apply_json (f, remove, "{'id':-2}");
  assert_data (f, KEY_OPEN,
               "{'items':[{'id':1,'title':'a','done':false},{'id':3,'title':'new','done':false},"
               "{'id':-2,'title':'gone','done':false,'isUpdating':true}],'total':3,'page':1}");
  commit_json (insert, "{'id':4,'title':'gone','done':false}");
  assert_data (f, KEY_OPEN,
               "{'items':[{'id':1,'title':'a','done':false},{'id':3,'title':'new','done':false},"
               "{'id':4,'title':'gone','done':false,'isUpdating':true}],'total':3,'page':1}");
  commit_json (deletion, NULL);
  assert_data (f, KEY_OPEN,
               "{'items':[{'id':1,'title':'a','done':false},{'id':3,'title':'new','done':false}],"
               "'total':2,'page':1}");

  quarry_restorer_unref (insert);
  quarry_restorer_unref (deletion);
}

/* Declared on a mutation: each run changes every list, rolls back alone
 * on failure, and commits with what the server answered. */
static void
test_filter_mutation (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(QuarryOptimisticUpdate) patch = list_update_new (QUARRY_OPTIMISTIC_UPSERT, NULL, "['todos']", TRUE);
  QuarryMutation *mutation = quarry_mutation_new (f->client, NULL, mutator_func, mutator, NULL);

  quarry_mutation_options_add_optimistic_update (quarry_mutation_get_options (mutation), patch);
  set_json (f, KEY_ALL, LIST_ALL);
  set_json (f, KEY_OPEN, LIST_OPEN);

  mutate_json (mutation, "{'id':1,'done':true}");
  mutate_json (mutation, "{'id':1,'title':'A'}");
  g_assert_cmpuint (mutator->calls, ==, 2);
  assert_data (f, KEY_OPEN, "{'items':[{'id':1,'title':'A','done':true,'isUpdating':true}],'total':1,'page':1}");

  reject_mutation (f, mutator, 0);
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'A','done':false,'isUpdating':true},{'id':2,'title':'b','done':true}],"
               "'total':2,'page':1}");
  assert_data (f, KEY_OPEN, "{'items':[{'id':1,'title':'A','done':false,'isUpdating':true}],'total':1,'page':1}");

  resolve_mutation (f, mutator, 1, "{'id':1,'title':'A','done':false,'updated_at':'t2'}");
  assert_data (f, KEY_ALL,
               "{'items':[{'id':1,'title':'A','done':false,'updated_at':'t2'},{'id':2,'title':'b','done':true}],"
               "'total':2,'page':1}");
  assert_data (f, KEY_OPEN, "{'items':[{'id':1,'title':'A','done':false,'updated_at':'t2'}],'total':1,'page':1}");

  g_assert_finalize_object (mutation);
}

/* Regressions: bugs found by these tests, now fixed. */

/* BUG 1, lib/quarry-entry.c, _quarry_entry_clear_data (): a rollback to no
 * data during a fetch does not update revert_state, unlike
 * _quarry_entry_set_data (), and the optimistic stack has already left the
 * entry, so a cancel with revert brings the rolled-back value back. */
static void
test_bug_cancel_resurrects_rollback (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = mount (f, "['todos',5]", fetcher);
  QuarryRestorer *restorer;

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  restorer = opt_set (f, "['todos',5]", "{'id':5,'title':'new'}", NULL);
  assert_data (f, "['todos',5]", "{'id':5,'title':'new'}");
  quarry_restorer_restore (restorer);
  assert_data (f, "['todos',5]", NULL);

  quarry_query_client_cancel_queries (f->client, NULL);
  assert_data (f, "['todos',5]", NULL);     /* fails: {"id":5,"title":"new"} */
  g_assert_cmpint (quarry_query_get_status (query), ==, QUARRY_STATUS_PENDING);

  quarry_restorer_unref (restorer);
  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}

/* BUG 2, lib/quarry-restorer.c, resolve (): a server version of an upsert
 * is used whenever it is a JSON object, even without an id member. In an
 * array it is appended as a new item, in an object collection it is
 * dropped, and the committed change is lost either way. A mutation whose
 * function returns, say, {"ok":true} commits its upserts with it. */
static void
test_bug_commit_without_id (Fixture       *f,
                            gconstpointer  data)
{
  QuarryRestorer *restorer;

  set_json (f, "['todos']", "[{'id':1,'title':'a'}]");
  restorer = opt_upsert (f, "['todos']", "{'id':2,'title':'b'}", MARKER);
  commit_json (restorer, "{'ok':true}");
  /* fails: [{"id":1,"title":"a"},{"ok":true}] */
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':2,'title':'b'}]");
  quarry_restorer_unref (restorer);

  set_json (f, "['notes']", "{'1':{'id':1,'title':'a'}}");
  restorer = opt_upsert (f, "['notes']", "{'id':2,'title':'b'}", MARKER);
  commit_json (restorer, "{'ok':true}");
  /* fails: {"1":{"id":1,"title":"a"}} */
  assert_data (f, "['notes']", "{'1':{'id':1,'title':'a'},'2':{'id':2,'title':'b'}}");
  quarry_restorer_unref (restorer);
}

static void
append_todo_3 (const GValue *previous,
               GValue       *value,
               gpointer      user_data)
{
  JsonNode *todos = json_node_copy (g_value_get_boxed (previous));

  json_array_add_element (json_node_get_array (todos), json_new ("{'id':3,'title':'c'}"));
  g_value_init (value, JSON_TYPE_NODE);
  g_value_take_boxed (value, todos);
}

/* BUG 3, lib/quarry-query-client.c,
 * quarry_query_client_set_query_data_with_updater (): the updater is given
 * the shown data, pending optimistic changes and markers included, and
 * what it returns becomes the confirmed base: the changes are baked in,
 * and rolling them back no longer removes them. */
static void
test_bug_updater_bakes_in_changes (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(QuarryKey) key = k ("['todos']");
  g_autoptr(GError) error = NULL;
  QuarryRestorer *restorer;

  set_json (f, "['todos']", TODOS_AB);
  restorer = opt_upsert (f, "['todos']", "{'id':2,'title':'B'}", MARKER);
  g_assert_true (quarry_query_client_set_query_data_with_updater (f->client, key, append_todo_3,
                                                                  NULL, &error));
  g_assert_no_error (error);
  assert_data (f, "['todos']",
               "[{'id':1,'title':'a'},{'id':2,'title':'B','isUpdating':true},{'id':3,'title':'c'}]");

  quarry_restorer_restore (restorer);
  /* fails: [{"id":1,"title":"a"},{"id":2,"title":"B","isUpdating":true},{"id":3,"title":"c"}] */
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':2,'title':'b'},{'id':3,'title':'c'}]");
  quarry_restorer_unref (restorer);
}

/* BUG 4, lib/quarry-entry.c, _quarry_entry_apply_initial (): initial data
 * written under a pending change (made during the first load) bypasses
 * the optimistic stack: it is shown without the change, and rolling the
 * change back wipes it, as the stack's base is still empty. */
static void
test_bug_initial_data_under_change (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = mount (f, "['todos']", fetcher);
  g_auto(GValue) initial = G_VALUE_INIT;
  QuarryRestorer *restorer;

  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  restorer = opt_upsert (f, "['todos']", "{'id':2,'title':'B'}", MARKER);
  g_assert_true (quarry_restorer_get_is_pending (restorer));

  json_value_init (&initial, "[{'id':1,'title':'a'}]");
  quarry_query_set_initial_data (query, &initial);
  /* fails: [{"id":1,"title":"a"}] */
  assert_data (f, "['todos']", "[{'id':1,'title':'a'},{'id':2,'title':'B','isUpdating':true}]");

  quarry_restorer_restore (restorer);
  /* fails: no data */
  assert_data (f, "['todos']", "[{'id':1,'title':'a'}]");

  quarry_restorer_unref (restorer);
  g_clear_pointer (&fetcher, fetcher_free);
  g_assert_finalize_object (query);
}


int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/optimistic/set", Fixture, NULL, fixture_setup, test_set, fixture_teardown);
  g_test_add ("/optimistic/set/not-object", Fixture, NULL, fixture_setup, test_set_not_object, fixture_teardown);
  g_test_add ("/optimistic/set/no-entry", Fixture, NULL, fixture_setup, test_set_no_entry, fixture_teardown);
  g_test_add ("/optimistic/upsert/array", Fixture, NULL, fixture_setup, test_upsert_array, fixture_teardown);
  g_test_add ("/optimistic/upsert/object", Fixture, NULL, fixture_setup, test_upsert_object, fixture_teardown);
  g_test_add ("/optimistic/upsert/temp-id", Fixture, NULL, fixture_setup, test_upsert_temp_id, fixture_teardown);
  g_test_add ("/optimistic/upsert/id-member", Fixture, NULL, fixture_setup, test_upsert_id_member, fixture_teardown);
  g_test_add ("/optimistic/delete/array", Fixture, NULL, fixture_setup, test_delete_array, fixture_teardown);
  g_test_add ("/optimistic/delete/object", Fixture, NULL, fixture_setup, test_delete_object, fixture_teardown);
  g_test_add ("/optimistic/delete/missing", Fixture, NULL, fixture_setup, test_delete_missing, fixture_teardown);
  g_test_add ("/optimistic/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);
  g_test_add ("/optimistic/nothing-cached", Fixture, NULL, fixture_setup, test_nothing_cached, fixture_teardown);
  g_test_add ("/optimistic/cancels-fetch", Fixture, NULL, fixture_setup, test_cancels_fetch, fixture_teardown);
  g_test_add ("/optimistic/first-load", Fixture, NULL, fixture_setup, test_first_load, fixture_teardown);
  g_test_add ("/optimistic/refetch-rebases", Fixture, NULL, fixture_setup, test_refetch_rebases, fixture_teardown);
  g_test_add ("/optimistic/concurrent", Fixture, NULL, fixture_setup, test_concurrent, fixture_teardown);
  g_test_add ("/optimistic/mutation/rollback", Fixture, NULL, fixture_setup, test_mutation_rollback, fixture_teardown);
  g_test_add ("/optimistic/mutation/commit", Fixture, NULL, fixture_setup, test_mutation_commit, fixture_teardown);
  g_test_add ("/optimistic/mutation/update-fails", Fixture, NULL, fixture_setup, test_mutation_update_fails, fixture_teardown);
  g_test_add ("/optimistic/mutation/delete", Fixture, NULL, fixture_setup, test_mutation_delete, fixture_teardown);
  g_test_add ("/optimistic/mutation/cancel", Fixture, NULL, fixture_setup, test_mutation_cancel, fixture_teardown);
  g_test_add ("/optimistic/mutation/concurrent", Fixture, NULL, fixture_setup, test_mutation_concurrent, fixture_teardown);
  g_test_add ("/optimistic/mutation/invalidate", Fixture, NULL, fixture_setup, test_mutation_invalidate, fixture_teardown);
  g_test_add ("/optimistic/mutation/invalidate-concurrent", Fixture, NULL, fixture_setup, test_mutation_invalidate_concurrent, fixture_teardown);
  g_test_add ("/optimistic/drop-commits", Fixture, NULL, fixture_setup, test_drop_commits, fixture_teardown);
  g_test_add ("/optimistic/removed-entry", Fixture, NULL, fixture_setup, test_removed_entry, fixture_teardown);
  g_test_add ("/optimistic/envelope/upsert", Fixture, NULL, fixture_setup, test_envelope_upsert, fixture_teardown);
  g_test_add ("/optimistic/envelope/delete", Fixture, NULL, fixture_setup, test_envelope_delete, fixture_teardown);
  g_test_add ("/optimistic/envelope/merge", Fixture, NULL, fixture_setup, test_envelope_merge, fixture_teardown);
  g_test_add ("/optimistic/envelope/errors", Fixture, NULL, fixture_setup, test_envelope_errors, fixture_teardown);
  g_test_add ("/optimistic/merge-set", Fixture, NULL, fixture_setup, test_merge_set, fixture_teardown);
  g_test_add ("/optimistic/filter/lists", Fixture, NULL, fixture_setup, test_filter_lists, fixture_teardown);
  g_test_add ("/optimistic/filter/refetch", Fixture, NULL, fixture_setup, test_filter_refetch, fixture_teardown);
  g_test_add ("/optimistic/filter/rollback-middle", Fixture, NULL, fixture_setup, test_filter_rollback_middle, fixture_teardown);
  g_test_add ("/optimistic/filter/temporary-id", Fixture, NULL, fixture_setup, test_filter_temporary_id, fixture_teardown);
  g_test_add ("/optimistic/filter/mutation", Fixture, NULL, fixture_setup, test_filter_mutation, fixture_teardown);
  g_test_add ("/optimistic/bug/cancel-resurrects-rollback", Fixture, NULL, fixture_setup, test_bug_cancel_resurrects_rollback, fixture_teardown);
  g_test_add ("/optimistic/bug/commit-without-id", Fixture, NULL, fixture_setup, test_bug_commit_without_id, fixture_teardown);
  g_test_add ("/optimistic/bug/updater-bakes-in-changes", Fixture, NULL, fixture_setup, test_bug_updater_bakes_in_changes, fixture_teardown);
  g_test_add ("/optimistic/bug/initial-data-under-change", Fixture, NULL, fixture_setup, test_bug_initial_data_under_change, fixture_teardown);

  return g_test_run ();
}
