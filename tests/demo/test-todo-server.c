/* test-todo-server.c: the todo server's REST API, over loopback
 *
 * The endpoints and their parameters, both paging styles, filters, ETags,
 * and every bad input of the contract, each of which must leave the store
 * (memory and file) unchanged.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-todo-json.h"
#include "quarry-todo-request.h"
#include "todo-server-test-util.h"

#define ADD(path, seed, func) \
  g_test_add (path, TodoFixture, TODO_SEED (seed), todo_fixture_set_up, func, todo_fixture_tear_down)

static void
assert_timestamp (JsonObject *todo,
                  const char *member)
{
  const char *text = json_object_get_string_member (todo, member);
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  g_assert_true (g_str_has_suffix (text, "Z"));
  g_assert_cmpuint (strlen (text), ==, strlen ("2026-11-21T10:00:00Z"));
}

/* Endpoints */

static void
test_create (TodoFixture   *fixture,
             gconstpointer  data)
{
  g_autoptr(TodoResponse) created = NULL;
  g_autoptr(TodoResponse) fetched = NULL;
  JsonObject *todo;

  created = todo_request (fixture, "POST", "/todos", "{\"title\": \"Buy milk\"}", NULL);
  g_assert_no_error (created->error);
  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpstr (todo_response_header (created, "Location"), ==, "/todos/1");
  g_assert_cmpstr (soup_message_headers_get_content_type (created->headers, NULL), ==,
                   "application/json");

  todo = todo_response_object (created);
  g_assert_cmpuint (json_object_get_size (todo), ==, 5);
  g_assert_cmpint (json_object_get_int_member (todo, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (todo, "title"), ==, "Buy milk");
  g_assert_false (json_object_get_boolean_member (todo, "done"));
  assert_timestamp (todo, "created_at");
  assert_timestamp (todo, "updated_at");
  g_assert_cmpstr (json_object_get_string_member (todo, "created_at"), ==,
                   json_object_get_string_member (todo, "updated_at"));

  fetched = todo_request (fixture, "GET", "/todos/1", NULL, NULL);
  g_assert_cmpuint (fetched->status, ==, 200);
  g_assert_true (json_node_equal (fetched->json, created->json));
}

static void
test_create_done (TodoFixture   *fixture,
                  gconstpointer  data)
{
  g_autoptr(TodoResponse) done = NULL;
  g_autoptr(TodoResponse) undone = NULL;

  done = todo_request (fixture, "POST", "/todos",
                       "{\"title\": \"Done already\", \"done\": true, \"extra\": [1, 2]}", NULL);
  g_assert_cmpuint (done->status, ==, 201);
  g_assert_true (json_object_get_boolean_member (todo_response_object (done), "done"));
  g_assert_false (json_object_has_member (todo_response_object (done), "extra"));

  undone = todo_request (fixture, "POST", "/todos",
                         "{\"title\": \"  Ünïcödé 日本 \", \"done\": false}", NULL);
  g_assert_cmpuint (undone->status, ==, 201);
  g_assert_false (json_object_get_boolean_member (todo_response_object (undone), "done"));
  g_assert_cmpstr (json_object_get_string_member (todo_response_object (undone), "title"), ==,
                   "  Ünïcödé 日本 ");
}

static void
test_ids_never_reused (TodoFixture   *fixture,
                       gconstpointer  data)
{
  g_autoptr(TodoResponse) deleted = NULL;

  g_assert_cmpint (todo_create (fixture, "One", FALSE), ==, 1);
  g_assert_cmpint (todo_create (fixture, "Two", FALSE), ==, 2);
  g_assert_cmpint (todo_create (fixture, "Three", FALSE), ==, 3);

  deleted = todo_request (fixture, "DELETE", "/todos/3", NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);

  g_assert_cmpint (todo_create (fixture, "Four", FALSE), ==, 4);
}

static void
test_get_unknown (TodoFixture   *fixture,
                  gconstpointer  data)
{
  const char *paths[] = {
    "/todos/99", "/todos/abc", "/todos/0", "/todos/-1", "/todos/01", "/todos/1.5",
    "/todos/+1", "/todos/1e2", "/todos/99999999999999999999", "/todos/%20", "/todos/%39%39",
    "/todos/%E2%82%AC", "/todos/%FF",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(TodoResponse) response = todo_request (fixture, "GET", paths[i], NULL, NULL);

      g_test_message ("GET %s", paths[i]);
      todo_assert_error (response, 404, "not_found");
    }
}

static void
test_update (TodoFixture   *fixture,
             gconstpointer  data)
{
  g_autoptr(TodoResponse) title = NULL;
  g_autoptr(TodoResponse) done = NULL;
  g_autoptr(TodoResponse) both = NULL;
  g_autoptr(TodoResponse) fetched = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) updated = NULL;
  JsonObject *todo;

  title = todo_request (fixture, "PATCH", "/todos/2", "{\"title\": \"Renamed\", \"id\": 77}", NULL);
  g_assert_cmpuint (title->status, ==, 200);
  todo = todo_response_object (title);
  g_assert_cmpint (json_object_get_int_member (todo, "id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (todo, "title"), ==, "Renamed");
  g_assert_false (json_object_get_boolean_member (todo, "done"));

  done = todo_request (fixture, "PATCH", "/todos/2", "{\"done\": true}", NULL);
  g_assert_cmpuint (done->status, ==, 200);
  todo = todo_response_object (done);
  g_assert_cmpstr (json_object_get_string_member (todo, "title"), ==, "Renamed");
  g_assert_true (json_object_get_boolean_member (todo, "done"));

  both = todo_request (fixture, "PATCH", "/todos/2", "{\"title\": \"Both\", \"done\": false}", NULL);
  g_assert_cmpuint (both->status, ==, 200);
  todo = todo_response_object (both);
  g_assert_cmpstr (json_object_get_string_member (todo, "title"), ==, "Both");
  g_assert_false (json_object_get_boolean_member (todo, "done"));
  assert_timestamp (todo, "updated_at");
  created = g_date_time_new_from_iso8601 (json_object_get_string_member (todo, "created_at"), NULL);
  updated = g_date_time_new_from_iso8601 (json_object_get_string_member (todo, "updated_at"), NULL);
  g_assert_cmpint (g_date_time_compare (created, updated), <=, 0);

  fetched = todo_request (fixture, "GET", "/todos/2", NULL, NULL);
  g_assert_true (json_node_equal (fetched->json, both->json));
}

static void
test_delete (TodoFixture   *fixture,
             gconstpointer  data)
{
  g_autoptr(TodoResponse) deleted = NULL;
  g_autoptr(TodoResponse) fetched = NULL;
  g_autoptr(TodoResponse) again = NULL;
  g_autoptr(TodoResponse) list = NULL;
  g_autoptr(GArray) ids = NULL;

  deleted = todo_request (fixture, "DELETE", "/todos/2", NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  g_assert_cmpuint (g_bytes_get_size (deleted->body), ==, 0);

  fetched = todo_request (fixture, "GET", "/todos/2", NULL, NULL);
  todo_assert_error (fetched, 404, "not_found");
  again = todo_request (fixture, "DELETE", "/todos/2", NULL, NULL);
  todo_assert_error (again, 404, "not_found");

  list = todo_request (fixture, "GET", "/todos", NULL, NULL);
  ids = todo_item_ids (todo_response_object (list));
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 3);
  g_assert_cmpint (json_object_get_int_member (todo_response_object (list), "total"), ==, 2);
}

static void
test_list_all (TodoFixture   *fixture,
               gconstpointer  data)
{
  g_autoptr(TodoResponse) response = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_autoptr(GArray) ids = NULL;
  JsonObject *object = todo_response_object (response);
  JsonArray *items;

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "total"), ==, 25);

  ids = todo_item_ids (object);
  g_assert_cmpuint (ids->len, ==, 25);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (g_array_index (ids, gint64, i), ==, i + 1);

  /* Seeded: "<chore> #<id>", about a third done. */
  items = json_object_get_array_member (object, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *todo = json_array_get_object_element (items, i);
      g_autofree char *suffix = g_strdup_printf (" #%u", i + 1);

      g_assert_true (g_str_has_suffix (json_object_get_string_member (todo, "title"), suffix));
      g_assert_cmpint (json_object_get_boolean_member (todo, "done"), ==, i % 3 == 2);
      assert_timestamp (todo, "created_at");
    }
}

static void
test_list_empty (TodoFixture   *fixture,
                 gconstpointer  data)
{
  g_autoptr(TodoResponse) all = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_autoptr(TodoResponse) cursor = todo_request (fixture, "GET", "/todos?limit=10", NULL, NULL);
  g_autoptr(TodoResponse) page = todo_request (fixture, "GET", "/todos?page=1", NULL, NULL);

  g_assert_cmpstr (todo_response_text (all), ==, "{\"items\":[],\"total\":0}");
  g_assert_cmpstr (todo_response_text (cursor), ==, "{\"items\":[],\"next_cursor\":null,\"total\":0}");
  g_assert_cmpstr (todo_response_text (page), ==,
                   "{\"items\":[],\"page\":1,\"per_page\":20,\"has_more\":false,\"total\":0}");
}

/* Filters */

static guint
count_items (TodoFixture *fixture,
             const char  *path,
             gint64      *total)
{
  g_autoptr(TodoResponse) response = todo_request (fixture, "GET", path, NULL, NULL);
  g_autoptr(GArray) ids = NULL;

  g_assert_cmpuint (response->status, ==, 200);
  ids = todo_item_ids (todo_response_object (response));
  *total = json_object_get_int_member (todo_response_object (response), "total");
  return ids->len;
}

static void
test_filter_done (TodoFixture   *fixture,
                  gconstpointer  data)
{
  g_autoptr(TodoResponse) response = NULL;
  JsonArray *items;
  gint64 total;

  g_assert_cmpuint (count_items (fixture, "/todos?done=true", &total), ==, 10);
  g_assert_cmpint (total, ==, 10);
  g_assert_cmpuint (count_items (fixture, "/todos?done=false", &total), ==, 20);
  g_assert_cmpint (total, ==, 20);

  response = todo_request (fixture, "GET", "/todos?done=true", NULL, NULL);
  items = json_object_get_array_member (todo_response_object (response), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (items, i), "done"));
}

static void
test_filter_query (TodoFixture   *fixture,
                   gconstpointer  data)
{
  gint64 total;

  todo_create (fixture, "Ünïcödé Straße", FALSE);
  todo_create (fixture, "another STRASSE", TRUE);

  /* "Water the plants" is every 16th of the seeded chores: ids 1 and 17. */
  g_assert_cmpuint (count_items (fixture, "/todos?q=water", &total), ==, 2);
  g_assert_cmpuint (count_items (fixture, "/todos?q=WATER+THE", &total), ==, 2);
  g_assert_cmpuint (count_items (fixture, "/todos?q=%23", &total), ==, 30);
  g_assert_cmpuint (count_items (fixture, "/todos?q=nothing-like-this", &total), ==, 0);
  g_assert_cmpint (total, ==, 0);
  g_assert_cmpuint (count_items (fixture, "/todos?q=", &total), ==, 32);
  g_assert_cmpuint (count_items (fixture, "/todos?q=%C3%BCn%C3%AF", &total), ==, 1);
  g_assert_cmpuint (count_items (fixture, "/todos?q=strasse", &total), ==, 2);
  g_assert_cmpuint (count_items (fixture, "/todos?q=strasse&done=true", &total), ==, 1);
  g_assert_cmpuint (count_items (fixture, "/todos?q=%23&done=true&limit=3", &total), ==, 3);
  g_assert_cmpint (total, ==, 10);
}

/* Cursor paging */

/* Walks every page of @path (which has a query) with @limit, checking the
 * invariants of each, and returns the ids in order. */
static GArray *
walk_cursor (TodoFixture *fixture,
             const char  *path,
             guint        limit,
             gint64       expected_total)
{
  GArray *all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *cursor = NULL;
  guint pages = 0;

  do
    {
      g_autofree char *page_path = NULL;
      g_autoptr(TodoResponse) response = NULL;
      g_autoptr(GArray) ids = NULL;
      JsonObject *object;
      JsonNode *next;

      if (cursor != NULL)
        page_path = g_strdup_printf ("%s&limit=%u&cursor=%s", path, limit, cursor);
      else
        page_path = g_strdup_printf ("%s&limit=%u", path, limit);
      response = todo_request (fixture, "GET", page_path, NULL, NULL);
      g_assert_cmpuint (response->status, ==, 200);
      object = todo_response_object (response);
      g_assert_cmpuint (json_object_get_size (object), ==, 3);
      g_assert_cmpint (json_object_get_int_member (object, "total"), ==, expected_total);

      ids = todo_item_ids (object);
      g_assert_cmpuint (ids->len, <=, limit);
      g_array_append_vals (all, ids->data, ids->len);

      next = json_object_get_member (object, "next_cursor");
      g_clear_pointer (&cursor, g_free);
      if (!JSON_NODE_HOLDS_NULL (next))
        {
          g_assert_cmpuint (ids->len, ==, limit);
          cursor = g_strdup (json_node_get_string (next));
          g_assert_nonnull (cursor);
        }
      pages++;
      g_assert_cmpuint (pages, <=, 1000);
    }
  while (cursor != NULL);

  return all;
}

static void
assert_ids_ascending_once (GArray *ids)
{
  for (guint i = 1; i < ids->len; i++)
    g_assert_cmpint (g_array_index (ids, gint64, i - 1), <, g_array_index (ids, gint64, i));
}

static void
test_cursor_walk (TodoFixture   *fixture,
                  gconstpointer  data)
{
  g_autoptr(GArray) ids = walk_cursor (fixture, "/todos?", 37, 1000);
  g_autoptr(GArray) exact = walk_cursor (fixture, "/todos?", 200, 1000);

  g_assert_cmpuint (ids->len, ==, 1000);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (g_array_index (ids, gint64, i), ==, i + 1);

  /* 1000 is a multiple of 200: the last full page says there is no more. */
  g_assert_cmpuint (exact->len, ==, 1000);
  assert_ids_ascending_once (exact);
}

static void
test_cursor_defaults (TodoFixture   *fixture,
                      gconstpointer  data)
{
  g_autoptr(TodoResponse) first = todo_request (fixture, "GET", "/todos?limit=50", NULL, NULL);
  g_autoptr(TodoResponse) by_cursor = NULL;
  g_autoptr(GArray) first_ids = todo_item_ids (todo_response_object (first));
  g_autoptr(GArray) next_ids = NULL;
  const char *cursor = json_object_get_string_member (todo_response_object (first), "next_cursor");
  g_autofree char *path = g_strdup_printf ("/todos?cursor=%s", cursor);

  g_assert_cmpuint (first_ids->len, ==, 50);

  /* A cursor without a limit: 50. */
  by_cursor = todo_request (fixture, "GET", path, NULL, NULL);
  g_assert_cmpuint (by_cursor->status, ==, 200);
  next_ids = todo_item_ids (todo_response_object (by_cursor));
  g_assert_cmpuint (next_ids->len, ==, 50);
  g_assert_cmpint (g_array_index (next_ids, gint64, 0), ==, 51);
}

#define ID_KEY(id) GSIZE_TO_POINTER ((gsize) (id))

/* Changes after the first 8 pages of 20, which stay among the 200 seeded. */
#define N_CHANGED_PAGES 8

/* Keyset cursors: deleting and inserting between pages never makes the
 * walk repeat or skip a todo that lives through it. */
static void
test_cursor_with_changes (TodoFixture   *fixture,
                          gconstpointer  data)
{
  g_autoptr(GHashTable) deleted_ahead = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) created = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *cursor = NULL;
  GHashTableIter iter;
  gpointer key;
  guint pages = 0;

  do
    {
      g_autofree char *path = NULL;
      g_autoptr(TodoResponse) response = NULL;
      g_autoptr(GArray) ids = NULL;
      JsonNode *next;

      path = cursor != NULL ? g_strdup_printf ("/todos?limit=20&cursor=%s", cursor)
                            : g_strdup ("/todos?limit=20");
      response = todo_request (fixture, "GET", path, NULL, NULL);
      g_assert_cmpuint (response->status, ==, 200);
      ids = todo_item_ids (todo_response_object (response));
      g_array_append_vals (all, ids->data, ids->len);
      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (seen, ID_KEY (g_array_index (ids, gint64, i)));

      next = json_object_get_member (todo_response_object (response), "next_cursor");
      g_clear_pointer (&cursor, g_free);
      if (!JSON_NODE_HOLDS_NULL (next))
        cursor = g_strdup (json_node_get_string (next));

      /* Between pages: delete the last todo seen (the cursor's own) and the
       * first one ahead, and add one at the end. */
      if (ids->len > 0 && pages < N_CHANGED_PAGES)
        {
          gint64 last = g_array_index (ids, gint64, ids->len - 1);
          g_autofree char *behind = g_strdup_printf ("/todos/%" G_GINT64_FORMAT, last);
          g_autofree char *ahead = g_strdup_printf ("/todos/%" G_GINT64_FORMAT, last + 1);
          g_autoptr(TodoResponse) r1 = todo_request (fixture, "DELETE", behind, NULL, NULL);
          g_autoptr(TodoResponse) r2 = todo_request (fixture, "DELETE", ahead, NULL, NULL);

          g_assert_cmpuint (r1->status, ==, 204);
          g_assert_cmpuint (r2->status, ==, 204);
          g_hash_table_add (deleted_ahead, ID_KEY (last + 1));
          g_hash_table_add (created, ID_KEY (todo_create (fixture, "Added while paging", FALSE)));
        }
      pages++;
      g_assert_cmpuint (pages, <, 100);
    }
  while (cursor != NULL);

  /* Nothing twice, in order. */
  assert_ids_ascending_once (all);
  g_assert_cmpuint (g_hash_table_size (deleted_ahead), ==, N_CHANGED_PAGES);

  /* Every seeded todo but those deleted ahead of the cursor, and every todo
   * added during the walk, was seen. */
  for (gint64 id = 1; id <= 200; id++)
    g_assert_true (g_hash_table_contains (seen, ID_KEY (id))
                   != g_hash_table_contains (deleted_ahead, ID_KEY (id)));
  g_hash_table_iter_init (&iter, created);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (seen, key));
  g_assert_cmpuint (all->len, ==, 200 - N_CHANGED_PAGES + N_CHANGED_PAGES);
}

static void
test_cursor_filtered (TodoFixture   *fixture,
                      gconstpointer  data)
{
  g_autoptr(GArray) done = walk_cursor (fixture, "/todos?done=true", 7, 100);
  g_autoptr(GArray) query = walk_cursor (fixture, "/todos?q=milk", 3, 19);

  g_assert_cmpuint (done->len, ==, 100);
  assert_ids_ascending_once (done);
  for (guint i = 0; i < done->len; i++)
    g_assert_cmpint (g_array_index (done, gint64, i) % 3, ==, 0);

  g_assert_cmpuint (query->len, ==, 19);
  assert_ids_ascending_once (query);
}

/* Page paging */

static void
test_page_walk (TodoFixture   *fixture,
                gconstpointer  data)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean has_more = TRUE;

  for (guint page = 1; has_more; page++)
    {
      g_autofree char *path = g_strdup_printf ("/todos?page=%u&per_page=30", page);
      g_autoptr(TodoResponse) response = todo_request (fixture, "GET", path, NULL, NULL);
      g_autoptr(GArray) ids = NULL;
      JsonObject *object = todo_response_object (response);

      g_assert_cmpuint (json_object_get_size (object), ==, 5);
      g_assert_cmpint (json_object_get_int_member (object, "page"), ==, page);
      g_assert_cmpint (json_object_get_int_member (object, "per_page"), ==, 30);
      g_assert_cmpint (json_object_get_int_member (object, "total"), ==, 1000);
      has_more = json_object_get_boolean_member (object, "has_more");
      ids = todo_item_ids (object);
      g_assert_cmpuint (ids->len, ==, has_more ? 30 : 1000 % 30);
      g_array_append_vals (all, ids->data, ids->len);
      g_assert_cmpuint (page, <=, 34);
    }

  g_assert_cmpuint (all->len, ==, 1000);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpint (g_array_index (all, gint64, i), ==, i + 1);
}

static void
test_page_defaults_and_end (TodoFixture   *fixture,
                            gconstpointer  data)
{
  g_autoptr(TodoResponse) first = todo_request (fixture, "GET", "/todos?per_page=10", NULL, NULL);
  g_autoptr(TodoResponse) second = todo_request (fixture, "GET", "/todos?page=2", NULL, NULL);
  g_autoptr(TodoResponse) last = todo_request (fixture, "GET", "/todos?page=5&per_page=5", NULL, NULL);
  g_autoptr(TodoResponse) beyond = todo_request (fixture, "GET", "/todos?page=99", NULL, NULL);
  g_autoptr(TodoResponse) huge = todo_request (fixture, "GET", "/todos?page=2147483647&per_page=200",
                                               NULL, NULL);
  g_autoptr(GArray) ids = NULL;
  JsonObject *object;

  object = todo_response_object (first);
  g_assert_cmpint (json_object_get_int_member (object, "page"), ==, 1);
  ids = todo_item_ids (object);
  g_assert_cmpuint (ids->len, ==, 10);
  g_assert_true (json_object_get_boolean_member (object, "has_more"));
  g_clear_pointer (&ids, g_array_unref);

  /* per_page defaults to 20. */
  object = todo_response_object (second);
  g_assert_cmpint (json_object_get_int_member (object, "per_page"), ==, 20);
  ids = todo_item_ids (object);
  g_assert_cmpuint (ids->len, ==, 5);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 21);
  g_assert_false (json_object_get_boolean_member (object, "has_more"));
  g_clear_pointer (&ids, g_array_unref);

  /* Exactly the last page: no more. */
  object = todo_response_object (last);
  ids = todo_item_ids (object);
  g_assert_cmpuint (ids->len, ==, 5);
  g_assert_false (json_object_get_boolean_member (object, "has_more"));
  g_clear_pointer (&ids, g_array_unref);

  for (guint i = 0; i < 2; i++)
    {
      object = todo_response_object (i == 0 ? beyond : huge);
      ids = todo_item_ids (object);
      g_assert_cmpuint (ids->len, ==, 0);
      g_assert_false (json_object_get_boolean_member (object, "has_more"));
      g_assert_cmpint (json_object_get_int_member (object, "total"), ==, 25);
      g_clear_pointer (&ids, g_array_unref);
    }
}

static void
test_page_filtered (TodoFixture   *fixture,
                    gconstpointer  data)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean has_more = TRUE;

  for (guint page = 1; has_more; page++)
    {
      g_autofree char *path = g_strdup_printf ("/todos?done=false&page=%u&per_page=7", page);
      g_autoptr(TodoResponse) response = todo_request (fixture, "GET", path, NULL, NULL);
      g_autoptr(GArray) ids = todo_item_ids (todo_response_object (response));

      g_assert_cmpint (json_object_get_int_member (todo_response_object (response), "total"), ==, 20);
      has_more = json_object_get_boolean_member (todo_response_object (response), "has_more");
      g_array_append_vals (all, ids->data, ids->len);
      g_assert_cmpuint (page, <=, 3);
    }

  g_assert_cmpuint (all->len, ==, 20);
  assert_ids_ascending_once (all);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpint (g_array_index (all, gint64, i) % 3, !=, 0);
}

static void
test_bad_parameters (TodoFixture   *fixture,
                     gconstpointer  data)
{
  const char *paths[] = {
    "/todos?limit=0", "/todos?limit=201", "/todos?limit=abc", "/todos?limit=", "/todos?limit=1.5",
    "/todos?limit=-3", "/todos?limit=%2B5", "/todos?limit=99999999999999999999999",
    "/todos?per_page=0", "/todos?per_page=201", "/todos?per_page=x", "/todos?page=0",
    "/todos?page=-1", "/todos?page=", "/todos?page=2147483648",
    "/todos?done=yes", "/todos?done=", "/todos?done=TRUE", "/todos?done=1",
    "/todos?cursor=abc", "/todos?cursor=-5", "/todos?cursor=", "/todos?cursor=0",
    "/todos?cursor=1%202", "/todos?limit=5&page=1", "/todos?cursor=5&per_page=5",
    "/todos?limit=5&limit=6", "/todos?q=a&q=b", "/todos?q=%FF", "/todos?q=%C3",
  };
  g_autofree char *before = todo_snapshot (fixture);
  g_autofree char *after = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(TodoResponse) response = todo_request (fixture, "GET", paths[i], NULL, NULL);

      g_test_message ("GET %s", paths[i]);
      todo_assert_error (response, 400, "invalid_parameter");
    }

  /* Bad percent-encoding makes a URI libsoup cannot parse: it answers
   * itself, but with the API's error. */
  {
    const char *unparsable[] = { "/todos?q=%ZZ", "/todos?q=%", "/todos?done=%G0", "/todos/%ZZ" };

    for (guint i = 0; i < G_N_ELEMENTS (unparsable); i++)
      {
        g_autoptr(TodoResponse) response = todo_request (fixture, "GET", unparsable[i], NULL, NULL);

        g_test_message ("GET %s", unparsable[i]);
        todo_assert_error (response, 400, "invalid_parameter");
      }
  }

  after = todo_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);
}

static void
test_unknown_parameters (TodoFixture   *fixture,
                         gconstpointer  data)
{
  g_autoptr(TodoResponse) plain = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_autoptr(TodoResponse) extra = todo_request (fixture, "GET", "/todos?sort=desc&&x", NULL, NULL);

  g_assert_cmpuint (extra->status, ==, 200);
  g_assert_true (json_node_equal (plain->json, extra->json));
}

/* HTTP */

static void
test_etag (TodoFixture   *fixture,
           gconstpointer  data)
{
  const char *paths[] = { "/todos", "/todos?limit=2", "/todos?page=1&per_page=2", "/todos/1" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(TodoResponse) first = todo_request (fixture, "GET", paths[i], NULL, NULL);
      g_autoptr(TodoResponse) again = NULL;
      g_autoptr(TodoResponse) not_modified = NULL;
      g_autoptr(TodoResponse) changed = NULL;
      g_autoptr(TodoResponse) after = NULL;
      g_autoptr(TodoResponse) stale = NULL;
      g_autofree char *etag = g_strdup (todo_response_header (first, "ETag"));

      g_test_message ("GET %s", paths[i]);
      g_assert_nonnull (etag);
      g_assert_true (g_str_has_prefix (etag, "\""));
      g_assert_true (g_str_has_suffix (etag, "\""));

      again = todo_request (fixture, "GET", paths[i], NULL, NULL);
      g_assert_cmpstr (todo_response_header (again, "ETag"), ==, etag);

      not_modified = todo_request (fixture, "GET", paths[i], NULL, "If-None-Match", etag, NULL);
      g_assert_cmpuint (not_modified->status, ==, 304);
      g_assert_cmpuint (g_bytes_get_size (not_modified->body), ==, 0);
      g_assert_cmpstr (todo_response_header (not_modified, "ETag"), ==, etag);
      g_assert_cmpstr (todo_response_header (not_modified, "Cache-Control"), ==, "no-cache");

      changed = todo_request (fixture, "PATCH", "/todos/1", i % 2 ? "{\"done\": true}"
                                                                  : "{\"done\": false}", NULL);
      g_assert_cmpuint (changed->status, ==, 200);

      after = todo_request (fixture, "GET", paths[i], NULL, "If-None-Match", etag, NULL);
      g_assert_cmpuint (after->status, ==, 200);
      g_assert_nonnull (todo_response_header (after, "ETag"));
      g_assert_cmpstr (todo_response_header (after, "ETag"), !=, etag);

      stale = todo_request (fixture, "GET", paths[i], NULL,
                            "If-None-Match", "\"v0-0000000000000000\"", NULL);
      g_assert_cmpuint (stale->status, ==, 200);
    }
}

static void
test_etag_lists (TodoFixture   *fixture,
                 gconstpointer  data)
{
  g_autoptr(TodoResponse) first = todo_request (fixture, "GET", "/todos", NULL, NULL);
  const char *etag = todo_response_header (first, "ETag");
  g_autofree char *list = g_strdup_printf ("\"other\", %s", etag);
  g_autofree char *weak = g_strdup_printf ("W/%s", etag);
  g_autoptr(TodoResponse) in_list = todo_request (fixture, "GET", "/todos", NULL,
                                                  "If-None-Match", list, NULL);
  g_autoptr(TodoResponse) weakly = todo_request (fixture, "GET", "/todos", NULL,
                                                 "If-None-Match", weak, NULL);
  g_autoptr(TodoResponse) star = todo_request (fixture, "GET", "/todos", NULL,
                                               "If-None-Match", "*", NULL);

  g_assert_false (g_str_has_prefix (etag, "W/"));
  g_assert_cmpuint (in_list->status, ==, 304);
  g_assert_cmpuint (weakly->status, ==, 304);
  g_assert_cmpuint (star->status, ==, 304);
}

static void
test_cache_control (TodoFixture   *fixture,
                    gconstpointer  data)
{
  g_autoptr(TodoResponse) list = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_autoptr(TodoResponse) created = todo_request (fixture, "POST", "/todos", "{\"title\": \"x\"}", NULL);
  g_autoptr(TodoResponse) deleted = todo_request (fixture, "DELETE", "/todos/1", NULL, NULL);
  g_autoptr(TodoResponse) error = todo_request (fixture, "GET", "/todos/1", NULL, NULL);
  g_autoptr(TodoResponse) settings = todo_request (fixture, "GET", "/settings", NULL, NULL);
  TodoResponse *all[] = { list, created, deleted, error, settings };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    g_assert_cmpstr (todo_response_header (all[i], "Cache-Control"), ==, "no-cache");
  g_assert_nonnull (todo_response_header (settings, "ETag"));
}

/* Paths that libsoup would not decode (an encoded NUL, an escape that
 * makes a ".." segment): decoded by the server, and a JSON 404. */
static void
test_undecodable_paths (TodoFixture   *fixture,
                        gconstpointer  data)
{
  const char *paths[] = {
    "/todos/%00", "/todos/1%00", "/%00", "/todos/..%2Fsettings", "/todos/1%2F..%2F..%2Fsettings",
    "/todos/%2e%2e%2Fsettings", "/todos%2F1", "/todos/1%2F", "/settings%00",
  };
  g_autofree char *before = todo_snapshot (fixture);
  g_autofree char *after = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(TodoResponse) get = todo_request (fixture, "GET", paths[i], NULL, NULL);
      g_autoptr(TodoResponse) patch = todo_request (fixture, "PATCH", paths[i], "{\"done\": true}", NULL);
      g_autoptr(TodoResponse) delete = todo_request (fixture, "DELETE", paths[i], NULL, NULL);

      g_test_message ("%s", paths[i]);
      todo_assert_error (get, 404, "not_found");
      todo_assert_error (patch, 404, "not_found");
      todo_assert_error (delete, 404, "not_found");
    }

  /* What does decode is served as before. */
  {
    g_autoptr(TodoResponse) encoded = todo_request (fixture, "GET", "/%74odos/%31", NULL, NULL);

    g_assert_cmpuint (encoded->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (todo_response_object (encoded), "id"), ==, 1);
  }

  after = todo_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);
}

static void
test_unknown_paths (TodoFixture   *fixture,
                    gconstpointer  data)
{
  const char *paths[] = { "/", "/nope", "/todos/", "/todos/1/", "/todos/1/done", "/todo", "/todosx",
                          "/settings/x", "/TODOS" };
  g_autofree char *before = todo_snapshot (fixture);
  g_autofree char *after = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(TodoResponse) get = todo_request (fixture, "GET", paths[i], NULL, NULL);
      g_autoptr(TodoResponse) post = todo_request (fixture, "POST", paths[i], "{\"title\": \"x\"}", NULL);

      g_test_message ("%s", paths[i]);
      todo_assert_error (get, 404, "not_found");
      g_assert_cmpuint (post->status, >=, 404);
      g_assert_cmpuint (post->status, <=, 405);
    }

  after = todo_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);
}

static void
test_method_not_allowed (TodoFixture   *fixture,
                         gconstpointer  data)
{
  const struct {
    const char *method;
    const char *path;
    const char *allow;
  } cases[] = {
    { "PUT", "/todos", "GET, HEAD, POST" },
    { "DELETE", "/todos", "GET, HEAD, POST" },
    { "PATCH", "/todos", "GET, HEAD, POST" },
    { "OPTIONS", "/todos", "GET, HEAD, POST" },
    { "POST", "/todos/1", "GET, HEAD, PATCH, DELETE" },
    { "PUT", "/todos/1", "GET, HEAD, PATCH, DELETE" },
    { "PUT", "/settings", "GET, HEAD, PATCH" },
    { "DELETE", "/settings", "GET, HEAD, PATCH" },
    { "POST", "/settings", "GET, HEAD, PATCH" },
  };
  g_autofree char *before = todo_snapshot (fixture);
  g_autofree char *after = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TodoResponse) response = todo_request (fixture, cases[i].method, cases[i].path,
                                                       "{\"title\": \"x\"}", NULL);

      g_test_message ("%s %s", cases[i].method, cases[i].path);
      todo_assert_error (response, 405, "method_not_allowed");
      g_assert_cmpstr (todo_response_header (response, "Allow"), ==, cases[i].allow);
    }

  after = todo_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);
}

static void
test_head (TodoFixture   *fixture,
           gconstpointer  data)
{
  g_autoptr(TodoResponse) get = todo_request (fixture, "GET", "/todos/2", NULL, NULL);
  g_autoptr(TodoResponse) head = todo_request (fixture, "HEAD", "/todos/2", NULL, NULL);

  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpuint (head->status, ==, 200);
  /* The headers of the GET, its Content-Length among them, without its
   * body. */
  g_assert_nonnull (todo_response_header (get, "Content-Length"));
  g_assert_cmpstr (todo_response_header (head, "Content-Length"), ==,
                   todo_response_header (get, "Content-Length"));
  g_assert_cmpint (soup_message_headers_get_content_length (head->headers), ==,
                   g_bytes_get_size (get->body));
  g_assert_cmpstr (todo_response_header (head, "Content-Type"), ==,
                   todo_response_header (get, "Content-Type"));
  g_assert_cmpstr (todo_response_header (head, "ETag"), ==, todo_response_header (get, "ETag"));
  g_assert_cmpstr (todo_response_header (head, "Cache-Control"), ==, "no-cache");
}

/* Bad input: each must leave the store unchanged */

typedef struct
{
  const char *method;
  const char *path;
  const char *content_type;
  const char *body;
  guint status;
  const char *code;
} BadCase;

static void
run_bad_cases (TodoFixture   *fixture,
               const BadCase *cases,
               guint          n_cases)
{
  g_autofree char *before = todo_snapshot (fixture);

  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(GBytes) body = g_bytes_new (cases[i].body, strlen (cases[i].body));
      g_autoptr(TodoResponse) response = NULL;
      g_autofree char *after = NULL;
      g_autofree char *shown = g_utf8_make_valid (cases[i].body, MIN (strlen (cases[i].body), 60));

      g_test_message ("%s %s %s", cases[i].method, cases[i].path, shown);
      response = todo_request_full (fixture->session, fixture->uri, cases[i].method, cases[i].path,
                                    cases[i].content_type, body, FALSE, NULL);
      todo_assert_error (response, cases[i].status, cases[i].code);

      after = todo_snapshot (fixture);
      g_assert_cmpstr (after, ==, before);
    }
}

#define JSON "application/json"

static void
test_bad_json (TodoFixture   *fixture,
               gconstpointer  data)
{
  const BadCase cases[] = {
    { "POST", "/todos", JSON, "{\"title\":", 400, "invalid_json" },
    { "POST", "/todos", JSON, "{\"title\": \"a\",}", 400, "invalid_json" },
    { "POST", "/todos", JSON, "not json", 400, "invalid_json" },
    { "POST", "/todos", JSON, "", 400, "invalid_json" },
    { "POST", "/todos", JSON, "{\"title\": \"\xff\xfe\"}", 400, "invalid_json" },
    { "PATCH", "/todos/1", JSON, "{\"done\": tru}", 400, "invalid_json" },
    { "PATCH", "/todos/1", JSON, "", 400, "invalid_json" },
    { "PATCH", "/settings", JSON, "{", 400, "invalid_json" },
  };

  run_bad_cases (fixture, cases, G_N_ELEMENTS (cases));
}

/* What json-glib would take wrongly: strings that are not UTF-8 (a lone
 * surrogate escape) or that hold a NUL, comments, single quotes, control
 * characters, nesting deep enough to overflow its parser. */
static void
test_bad_json_strict (TodoFixture   *fixture,
                      gconstpointer  data)
{
  g_autoptr(GString) deep = g_string_new ("{\"title\": \"deep\", \"x\": ");
  g_autoptr(GString) deep_array = g_string_new (NULL);
  g_autoptr(GString) nested = g_string_new ("{\"title\": \"nested\", \"x\": ");
  g_autoptr(GString) too_deep = g_string_new (NULL);
  g_autoptr(TodoResponse) pair = NULL;
  g_autoptr(TodoResponse) backslash = NULL;
  g_autoptr(TodoResponse) nested_ok = NULL;
  g_autoptr(TodoResponse) list = NULL;

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 500000; i++)
    g_string_append_c (deep_array, '[');
  /* The object, and arrays in it: as deep as allowed, and one more. */
  for (guint i = 0; i < QUARRY_TODO_JSON_MAX_DEPTH - 1; i++)
    g_string_append_c (nested, '[');
  g_string_append (nested, "1");
  for (guint i = 0; i < QUARRY_TODO_JSON_MAX_DEPTH - 1; i++)
    g_string_append_c (nested, ']');
  g_string_append (nested, "}");
  g_string_append (too_deep, nested->str + strlen ("{\"title\": \"nested\", \"x\": "));
  g_string_prepend (too_deep, "{\"title\": \"too deep\", \"x\": [");
  g_string_insert_c (too_deep, too_deep->len - 1, ']');

  {
    const BadCase cases[] = {
      { "POST", "/todos", JSON, "{\"title\": \"x\\ud800y\"}", 400, "invalid_json" },
      { "POST", "/todos", JSON, "{\"title\": \"\\udc00\"}", 400, "invalid_json" },
      { "POST", "/todos", JSON, "{\"title\": \"ok\", \"note\": \"\\ud800!\"}", 400, "invalid_json" },
      { "POST", "/todos", JSON, "{\"title\": \"ok\", \"n\\udbff.\": 1}", 400, "invalid_json" },
      { "POST", "/todos", JSON, "{\"title\": \"ok\", \"list\": [[\"\\udfff.\"]]}", 400, "invalid_json" },
      { "PATCH", "/todos/1", JSON, "{\"title\": \"x\\ud800y\"}", 400, "invalid_json" },
      { "POST", "/todos", JSON, "{\"title\": \"a\\u0000b\"}", 400, "invalid_json" },
      { "POST", "/todos", JSON, "{\"title\": \"\\u0000\"}", 400, "invalid_json" },
      { "POST", "/todos", JSON, "{\"title\": \"ok\", \"ti\\u0000tle\": \"x\"}", 400, "invalid_json" },
      { "PATCH", "/todos/1", JSON, "{\"title\": \"a\\u0000b\", \"done\": true}", 400, "invalid_json" },
      { "POST", "/todos", JSON, "{\"title\": \"tab\there\"}", 400, "invalid_json" },
      { "POST", "/todos", JSON, "{'title': 'single'}", 400, "invalid_json" },
      { "POST", "/todos", JSON, "{\"title\": \"commented\" /* \" */}", 400, "invalid_json" },
      { "PATCH", "/settings", JSON, "{\"latency_ms\": 5 /* fast */}", 400, "invalid_json" },
      { "POST", "/todos", JSON, deep->str, 400, "invalid_json" },
      { "POST", "/todos", JSON, deep_array->str, 400, "invalid_json" },
      { "PATCH", "/todos/1", JSON, deep->str, 400, "invalid_json" },
      { "POST", "/todos", JSON, too_deep->str, 400, "invalid_json" },
    };

    run_bad_cases (fixture, cases, G_N_ELEMENTS (cases));
  }

  /* A surrogate pair is one character; an escaped backslash before
   * "u0000" is no NUL; nesting within the limit is fine. */
  pair = todo_request (fixture, "POST", "/todos", "{\"title\": \"smile \\ud83d\\ude00\"}", NULL);
  g_assert_cmpuint (pair->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (todo_response_object (pair), "title"), ==,
                   "smile \xf0\x9f\x98\x80");
  backslash = todo_request (fixture, "POST", "/todos", "{\"title\": \"a\\\\u0000b \\\" /* \"}", NULL);
  g_assert_cmpuint (backslash->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (todo_response_object (backslash), "title"), ==,
                   "a\\u0000b \" /* ");
  nested_ok = todo_request (fixture, "POST", "/todos", nested->str, NULL);
  g_assert_cmpuint (nested_ok->status, ==, 201);

  /* Every answer is still valid JSON. */
  list = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (todo_response_object (list), "total"), ==, 5);
  g_assert_true (g_utf8_validate (todo_response_text (list), -1, NULL));
}

static void
test_bad_not_object (TodoFixture   *fixture,
                     gconstpointer  data)
{
  const BadCase cases[] = {
    { "POST", "/todos", JSON, "[]", 400, "invalid_json" },
    { "POST", "/todos", JSON, "[{\"title\": \"a\"}]", 400, "invalid_json" },
    { "POST", "/todos", JSON, "\"a title\"", 400, "invalid_json" },
    { "POST", "/todos", JSON, "42", 400, "invalid_json" },
    { "POST", "/todos", JSON, "null", 400, "invalid_json" },
    { "PATCH", "/todos/1", JSON, "true", 400, "invalid_json" },
    { "PATCH", "/settings", JSON, "[]", 400, "invalid_json" },
  };

  run_bad_cases (fixture, cases, G_N_ELEMENTS (cases));
}

static void
test_bad_title (TodoFixture   *fixture,
                gconstpointer  data)
{
  g_autoptr(GString) too_long = g_string_new ("{\"title\": \"");
  g_autoptr(GString) longest = g_string_new ("{\"title\": \"");
  g_autoptr(TodoResponse) ok = NULL;
  g_autoptr(TodoResponse) patched = NULL;

  for (guint i = 0; i < 501; i++)
    g_string_append (too_long, "é");
  g_string_append (too_long, "\"}");
  for (guint i = 0; i < 500; i++)
    g_string_append (longest, "日");
  g_string_append (longest, "\"}");

  {
    const BadCase cases[] = {
      { "POST", "/todos", JSON, "{}", 400, "invalid_title" },
      { "POST", "/todos", JSON, "{\"done\": true}", 400, "invalid_title" },
      { "POST", "/todos", JSON, "{\"title\": \"\"}", 400, "invalid_title" },
      { "POST", "/todos", JSON, "{\"title\": \"   \"}", 400, "invalid_title" },
      { "POST", "/todos", JSON, "{\"title\": \" \\t\\n\\r \"}", 400, "invalid_title" },
      { "POST", "/todos", JSON, "{\"title\": \"\xe3\x80\x80\"}", 400, "invalid_title" },
      { "POST", "/todos", JSON, too_long->str, 400, "invalid_title" },
      { "PATCH", "/todos/1", JSON, "{\"title\": \"\"}", 400, "invalid_title" },
      { "PATCH", "/todos/1", JSON, "{\"title\": \"\\n\", \"done\": true}", 400, "invalid_title" },
      { "PATCH", "/todos/1", JSON, too_long->str, 400, "invalid_title" },
    };

    run_bad_cases (fixture, cases, G_N_ELEMENTS (cases));
  }

  /* 500 characters, of 3 bytes each, are fine. */
  ok = todo_request (fixture, "POST", "/todos", longest->str, NULL);
  g_assert_cmpuint (ok->status, ==, 201);
  g_assert_cmpuint (g_utf8_strlen (json_object_get_string_member (todo_response_object (ok), "title"), -1),
                    ==, 500);
  patched = todo_request (fixture, "PATCH", "/todos/1", longest->str, NULL);
  g_assert_cmpuint (patched->status, ==, 200);
}

static void
test_bad_types (TodoFixture   *fixture,
                gconstpointer  data)
{
  const BadCase cases[] = {
    { "POST", "/todos", JSON, "{\"title\": 5}", 400, "invalid_type" },
    { "POST", "/todos", JSON, "{\"title\": null}", 400, "invalid_type" },
    { "POST", "/todos", JSON, "{\"title\": [\"a\"]}", 400, "invalid_type" },
    { "POST", "/todos", JSON, "{\"title\": {\"text\": \"a\"}}", 400, "invalid_type" },
    { "POST", "/todos", JSON, "{\"title\": true}", 400, "invalid_type" },
    { "POST", "/todos", JSON, "{\"title\": \"ok\", \"done\": \"yes\"}", 400, "invalid_type" },
    { "POST", "/todos", JSON, "{\"title\": \"ok\", \"done\": 1}", 400, "invalid_type" },
    { "POST", "/todos", JSON, "{\"title\": \"ok\", \"done\": null}", 400, "invalid_type" },
    { "PATCH", "/todos/1", JSON, "{\"title\": 1.5}", 400, "invalid_type" },
    { "PATCH", "/todos/1", JSON, "{\"done\": \"true\"}", 400, "invalid_type" },
    { "PATCH", "/todos/1", JSON, "{\"title\": \"ok\", \"done\": 0}", 400, "invalid_type" },
  };

  run_bad_cases (fixture, cases, G_N_ELEMENTS (cases));
}

static void
test_bad_patch_empty (TodoFixture   *fixture,
                      gconstpointer  data)
{
  const BadCase cases[] = {
    { "PATCH", "/todos/1", JSON, "{}", 400, "invalid_parameter" },
    { "PATCH", "/todos/1", JSON, "{\"titel\": \"typo\", \"id\": 3}", 400, "invalid_parameter" },
  };

  run_bad_cases (fixture, cases, G_N_ELEMENTS (cases));
}

static void
test_bad_unknown_id (TodoFixture   *fixture,
                     gconstpointer  data)
{
  const BadCase cases[] = {
    { "PATCH", "/todos/99", JSON, "{\"done\": true}", 404, "not_found" },
    { "PATCH", "/todos/abc", JSON, "{\"done\": true}", 404, "not_found" },
    { "PATCH", "/todos/0", JSON, "{\"done\": true}", 404, "not_found" },
    { "DELETE", "/todos/99", JSON, "", 404, "not_found" },
    { "DELETE", "/todos/x1", JSON, "", 404, "not_found" },
  };

  run_bad_cases (fixture, cases, G_N_ELEMENTS (cases));
}

static void
test_bad_media_type (TodoFixture   *fixture,
                     gconstpointer  data)
{
  const BadCase cases[] = {
    { "POST", "/todos", "text/plain", "{\"title\": \"a\"}", 415, "unsupported_media_type" },
    { "POST", "/todos", "application/x-www-form-urlencoded", "title=a", 415, "unsupported_media_type" },
    { "POST", "/todos", "application/xml", "<title>a</title>", 415, "unsupported_media_type" },
    { "PATCH", "/todos/1", "text/json-ish", "{\"done\": true}", 415, "unsupported_media_type" },
    { "DELETE", "/todos/1", "text/plain", "please", 415, "unsupported_media_type" },
    { "PATCH", "/settings", "text/plain", "{\"latency_ms\": 5}", 415, "unsupported_media_type" },
    /* Not a media type at all: libsoup cannot parse it, and it is not
     * JSON either. */
    { "POST", "/todos", "text", "{\"title\": \"a\"}", 415, "unsupported_media_type" },
    { "POST", "/todos", "garbage", "{\"title\": \"a\"}", 415, "unsupported_media_type" },
    { "POST", "/todos", "json", "{\"title\": \"a\"}", 415, "unsupported_media_type" },
    { "POST", "/todos", "", "{\"title\": \"a\"}", 415, "unsupported_media_type" },
    { "PATCH", "/todos/1", "application", "{\"done\": true}", 415, "unsupported_media_type" },
    { "DELETE", "/todos/1", "garbage", "{}", 415, "unsupported_media_type" },
  };
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"title\": \"typed\"}", 18);
  const char *json_types[] = { "application/json; charset=utf-8", "Application/JSON",
                               "application/merge-patch+json", NULL };

  run_bad_cases (fixture, cases, G_N_ELEMENTS (cases));

  /* JSON media types, and no Content-Type at all, are fine. */
  for (guint i = 0; i < G_N_ELEMENTS (json_types); i++)
    {
      g_autoptr(TodoResponse) response = todo_request_full (fixture->session, fixture->uri, "POST",
                                                            "/todos", json_types[i], body, FALSE, NULL);

      g_test_message ("Content-Type: %s", json_types[i]);
      g_assert_cmpuint (response->status, ==, 201);
    }
}

/* Well over the limit: a body the server must not hold. */
#define HUGE_BODY_SIZE (16 * 1024 * 1024)
/* What the server may hold of a chunked body before it knows it is too
 * large: the limit, and one more read. */
#define CHUNK_SLACK (64 * 1024)

static void
test_bad_too_large (TodoFixture   *fixture,
                    gconstpointer  data)
{
  g_autofree char *before = todo_snapshot (fixture);
  g_autoptr(GString) text = g_string_new ("{\"title\": \"");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) limit_body = NULL;
  g_autoptr(TodoResponse) expecting = NULL;
  g_autoptr(TodoResponse) announced = NULL;
  g_autoptr(TodoResponse) chunked = NULL;
  g_autoptr(TodoResponse) patched = NULL;
  g_autoptr(TodoResponse) chunked_get = NULL;
  g_autoptr(TodoResponse) at_limit = NULL;
  g_autoptr(TodoResponse) after_list = NULL;
  g_autofree char *after = NULL;
  const char *expect[] = { "Expect", "100-continue", NULL };

  while (text->len < HUGE_BODY_SIZE)
    g_string_append (text, "abcdefghijklmnop");
  g_string_append (text, "\"}");
  body = g_bytes_new (text->str, text->len);

  /* Announced by its Content-Length, to a client that waits for "100
   * Continue": refused before it is sent. */
  expecting = todo_request_full (fixture->session, fixture->uri, "POST", "/todos", JSON, body,
                                 FALSE, expect);
  todo_assert_error (expecting, 413, "too_large");

  /* Announced, and sent at once: refused, and read without being held. */
  announced = todo_request_full (fixture->session, fixture->uri, "POST", "/todos", JSON, body,
                                 FALSE, NULL);
  todo_assert_error (announced, 413, "too_large");
  g_assert_cmpstr (todo_response_header (announced, "Connection"), ==, "close");
  g_assert_cmpint (quarry_todo_server_get_max_request_body (fixture->server), <=,
                   QUARRY_TODO_MAX_BODY_SIZE);

  /* Chunked, with no length: held up to the limit only, then refused. */
  chunked = todo_request_full (fixture->session, fixture->uri, "POST", "/todos", JSON, body,
                               TRUE, NULL);
  todo_assert_error (chunked, 413, "too_large");
  patched = todo_request_full (fixture->session, fixture->uri, "PATCH", "/todos/1", JSON, body,
                               TRUE, NULL);
  todo_assert_error (patched, 413, "too_large");
  chunked_get = todo_request_full (fixture->session, fixture->uri, "GET", "/todos", JSON, body,
                                   TRUE, NULL);
  todo_assert_error (chunked_get, 413, "too_large");
  g_assert_cmpint (quarry_todo_server_get_max_request_body (fixture->server), <=,
                   QUARRY_TODO_MAX_BODY_SIZE + CHUNK_SLACK);

  after = todo_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);

  /* Exactly 1 MiB is not too large (it is a title too long, though). */
  g_string_truncate (text, QUARRY_TODO_MAX_BODY_SIZE - 2);
  g_string_append (text, "\"}");
  limit_body = g_bytes_new (text->str, text->len);
  at_limit = todo_request_full (fixture->session, fixture->uri, "POST", "/todos", JSON, limit_body,
                                FALSE, NULL);
  todo_assert_error (at_limit, 400, "invalid_title");
  g_assert_cmpint (quarry_todo_server_get_max_request_body (fixture->server), >=,
                   QUARRY_TODO_MAX_BODY_SIZE);

  /* The server still answers. */
  after_list = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_assert_cmpuint (after_list->status, ==, 200);
}

/* The debug log */

static GPtrArray *debug_lines;

static void
record_debug_cb (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  if (debug_lines != NULL)
    g_ptr_array_add (debug_lines, g_strdup (message));
}

/* A request cannot write invalid UTF-8 (which breaks TAP and journald) or
 * lines of its own into the log. */
static void
test_debug_log (TodoFixture   *fixture,
                gconstpointer  data)
{
  const char *paths[] = {
    "/todos/%0Ainjected: 200", "/todos/%FF", "/%0D%0Aforged", "/todos?q=%0Ax&page=%FF",
  };
  guint handler;

  debug_lines = g_ptr_array_new_with_free_func (g_free);
  handler = g_log_set_handler ("QuarryTodoServer", G_LOG_LEVEL_DEBUG, record_debug_cb, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(TodoResponse) response = todo_request (fixture, "GET", paths[i], NULL, NULL);

      g_assert_cmpuint (response->status, >=, 400);
    }

  g_log_remove_handler ("QuarryTodoServer", handler);

  g_assert_cmpuint (debug_lines->len, ==, G_N_ELEMENTS (paths));
  for (guint i = 0; i < debug_lines->len; i++)
    {
      const char *line = g_ptr_array_index (debug_lines, i);

      g_test_message ("logged: %s", line);
      g_assert_true (g_utf8_validate (line, -1, NULL));
      for (const char *p = line; *p != '\0'; p++)
        g_assert_true (g_ascii_isprint (*p));
      g_assert_true (g_str_has_prefix (line, "GET "));
    }
  /* As sent: percent-encoded. */
  g_assert_cmpstr (g_ptr_array_index (debug_lines, 0), ==, "GET /todos/%0Ainjected:%20200 -> 404");
  g_assert_cmpstr (g_ptr_array_index (debug_lines, 1), ==, "GET /todos/%FF -> 404");

  g_clear_pointer (&debug_lines, g_ptr_array_unref);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/todo-server/api/create", 0, test_create);
  ADD ("/todo-server/api/create-done", 0, test_create_done);
  ADD ("/todo-server/api/ids-never-reused", 0, test_ids_never_reused);
  ADD ("/todo-server/api/get-unknown", 3, test_get_unknown);
  ADD ("/todo-server/api/update", 3, test_update);
  ADD ("/todo-server/api/delete", 3, test_delete);
  ADD ("/todo-server/api/list-all", 25, test_list_all);
  ADD ("/todo-server/api/list-empty", 0, test_list_empty);
  ADD ("/todo-server/filter/done", 30, test_filter_done);
  ADD ("/todo-server/filter/query", 30, test_filter_query);
  ADD ("/todo-server/cursor/walk", 1000, test_cursor_walk);
  ADD ("/todo-server/cursor/defaults", 120, test_cursor_defaults);
  ADD ("/todo-server/cursor/with-changes", 200, test_cursor_with_changes);
  ADD ("/todo-server/cursor/filtered", 300, test_cursor_filtered);
  ADD ("/todo-server/page/walk", 1000, test_page_walk);
  ADD ("/todo-server/page/defaults-and-end", 25, test_page_defaults_and_end);
  ADD ("/todo-server/page/filtered", 30, test_page_filtered);
  ADD ("/todo-server/list/bad-parameters", 5, test_bad_parameters);
  ADD ("/todo-server/list/unknown-parameters", 5, test_unknown_parameters);
  ADD ("/todo-server/http/etag", 3, test_etag);
  ADD ("/todo-server/http/etag-lists", 3, test_etag_lists);
  ADD ("/todo-server/http/cache-control", 1, test_cache_control);
  ADD ("/todo-server/http/unknown-paths", 2, test_unknown_paths);
  ADD ("/todo-server/http/undecodable-paths", 2, test_undecodable_paths);
  ADD ("/todo-server/http/method-not-allowed", 2, test_method_not_allowed);
  ADD ("/todo-server/http/head", 2, test_head);
  ADD ("/todo-server/bad-input/json", 2, test_bad_json);
  ADD ("/todo-server/bad-input/json-strict", 2, test_bad_json_strict);
  ADD ("/todo-server/bad-input/not-object", 2, test_bad_not_object);
  ADD ("/todo-server/bad-input/title", 2, test_bad_title);
  ADD ("/todo-server/bad-input/types", 2, test_bad_types);
  ADD ("/todo-server/bad-input/patch-empty", 2, test_bad_patch_empty);
  ADD ("/todo-server/bad-input/unknown-id", 2, test_bad_unknown_id);
  ADD ("/todo-server/bad-input/media-type", 2, test_bad_media_type);
  ADD ("/todo-server/bad-input/too-large", 2, test_bad_too_large);
  ADD ("/todo-server/log/escaped", 2, test_debug_log);

  return g_test_run ();
}
