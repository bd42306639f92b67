/* test-todo-server-storage.c: the todo server's file, its thread, its command line
 *
 * Persistence across restarts, a file that parses after every write, a
 * corrupt file refused and left alone, a file that cannot be written
 * (the change rolled back), the thread API, and the quarry-todo-server
 * executable.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "todo-server-test-util.h"

#define ADD(path, seed, func) \
  g_test_add (path, TodoFixture, TODO_SEED (seed), todo_fixture_set_up, func, todo_fixture_tear_down)

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("quarry-todo-server-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

/* Asserts that the data file is a store whose todos are exactly what
 * GET /todos answers. */
static void
assert_file_matches (TodoFixture *fixture)
{
  g_autoptr(TodoResponse) list = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  json_parser_load_from_file (parser, fixture->data_path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "next_id"), >=, 1);
  g_assert_true (json_node_equal (json_object_get_member (root, "todos"),
                                  json_object_get_member (todo_response_object (list), "items")));
}

/* Persistence */

static void
test_restart (TodoFixture   *fixture,
              gconstpointer  data)
{
  g_autoptr(TodoResponse) patched = NULL;
  g_autoptr(TodoResponse) deleted = NULL;
  g_autoptr(TodoResponse) before = NULL;
  g_autoptr(TodoResponse) after = NULL;

  g_assert_cmpint (todo_create (fixture, "Kept", TRUE), ==, 6);
  g_assert_cmpint (todo_create (fixture, "Deleted", FALSE), ==, 7);
  patched = todo_request (fixture, "PATCH", "/todos/2", "{\"title\": \"Changed\"}", NULL);
  g_assert_cmpuint (patched->status, ==, 200);
  deleted = todo_request (fixture, "DELETE", "/todos/7", NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  before = todo_request (fixture, "GET", "/todos", NULL, NULL);

  todo_fixture_restart (fixture);

  after = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_assert_cmpstr (todo_response_text (after), ==, todo_response_text (before));

  /* The next id survives too: 7 was deleted, and is not reused. */
  g_assert_cmpint (todo_create (fixture, "After the restart", FALSE), ==, 8);
}

static void
test_file_after_each_write (TodoFixture   *fixture,
                            gconstpointer  data)
{
  assert_file_matches (fixture);

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *path = g_strdup_printf ("/todos/%u", i + 1);
      g_autoptr(TodoResponse) patched = NULL;
      g_autoptr(TodoResponse) deleted = NULL;

      todo_create (fixture, "one more", i % 2);
      assert_file_matches (fixture);

      patched = todo_request (fixture, "PATCH", path, "{\"done\": true, \"title\": \"patched\"}", NULL);
      g_assert_cmpuint (patched->status, ==, 200);
      assert_file_matches (fixture);

      if (i % 3 == 0)
        {
          deleted = todo_request (fixture, "DELETE", path, NULL, NULL);
          g_assert_cmpuint (deleted->status, ==, 204);
          assert_file_matches (fixture);
        }
    }

  /* No temporary file is left behind: the store, and its lock. */
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
    const char *name;
    guint n = 0;

    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_assert_true (g_str_equal (name, "todos.json") || g_str_equal (name, "todos.json.lock"));
        n++;
      }
    g_assert_cmpuint (n, ==, 2);
  }
}

static void
test_next_id_in_file (TodoFixture   *fixture,
                      gconstpointer  data)
{
  g_autoptr(TodoResponse) deleted = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  todo_create (fixture, "a", FALSE);
  deleted = todo_request (fixture, "DELETE", "/todos/1", NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);

  json_parser_load_from_file (parser, fixture->data_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                               "next_id"), ==, 2);
}

static void
test_corrupt_file (void)
{
  const char *contents[] = {
    "",
    "{",
    "garbage",
    "[]",
    "{\"todos\": []}",
    "{\"next_id\": 1}",
    "{\"next_id\": \"1\", \"todos\": []}",
    "{\"next_id\": 0, \"todos\": []}",
    "{\"next_id\": 1, \"todos\": {}}",
    "{\"next_id\": 5, \"todos\": [42]}",
    "{\"next_id\": 5, \"todos\": [{\"id\": 1, \"title\": \"a\", \"done\": false}]}",
    "{\"next_id\": 5, \"todos\": [{\"id\": 1, \"title\": 3, \"done\": false, "
      "\"created_at\": \"2026-11-21T10:00:00Z\", \"updated_at\": \"2026-11-21T10:00:00Z\"}]}",
    "{\"next_id\": 5, \"todos\": [{\"id\": 0, \"title\": \"a\", \"done\": false, "
      "\"created_at\": \"2026-11-21T10:00:00Z\", \"updated_at\": \"2026-11-21T10:00:00Z\"}]}",
    "{\"next_id\": 5, \"todos\": [{\"id\": 1, \"title\": \"a\", \"done\": \"no\", "
      "\"created_at\": \"2026-11-21T10:00:00Z\", \"updated_at\": \"2026-11-21T10:00:00Z\"}]}",
    "{\"next_id\": 5, \"todos\": [{\"id\": 1, \"title\": \"a\", \"done\": false, "
      "\"created_at\": \"yesterday\", \"updated_at\": \"2026-11-21T10:00:00Z\"}]}",
    /* Two todos with one id. */
    "{\"next_id\": 5, \"todos\": [{\"id\": 2, \"title\": \"a\", \"done\": false, "
      "\"created_at\": \"2026-11-21T10:00:00Z\", \"updated_at\": \"2026-11-21T10:00:00Z\"}, "
      "{\"id\": 2, \"title\": \"b\", \"done\": false, "
      "\"created_at\": \"2026-11-21T10:00:00Z\", \"updated_at\": \"2026-11-21T10:00:00Z\"}]}",
    /* A next id that would reuse one. */
    "{\"next_id\": 2, \"todos\": [{\"id\": 2, \"title\": \"a\", \"done\": false, "
      "\"created_at\": \"2026-11-21T10:00:00Z\", \"updated_at\": \"2026-11-21T10:00:00Z\"}]}",
    /* A title that is not UTF-8 once decoded, or that json-glib would
     * cut short. */
    "{\"next_id\": 5, \"todos\": [{\"id\": 1, \"title\": \"a\\ud800b\", \"done\": false, "
      "\"created_at\": \"2026-11-21T10:00:00Z\", \"updated_at\": \"2026-11-21T10:00:00Z\"}]}",
    "{\"next_id\": 5, \"todos\": [{\"id\": 1, \"title\": \"a\\u0000b\", \"done\": false, "
      "\"created_at\": \"2026-11-21T10:00:00Z\", \"updated_at\": \"2026-11-21T10:00:00Z\"}]}",
    /* Not JSON, though json-glib would read it. */
    "{\"next_id\": 1, /* none yet */ \"todos\": []}",
    "{'next_id': 1, 'todos': []}",
  };
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "todos.json", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (contents); i++)
    {
      g_autoptr(QuarryTodoServer) server = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      g_test_message ("%s", contents[i]);
      write_file (path, contents[i]);
      server = quarry_todo_server_new (path, &error);
      g_assert_null (server);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, path));

      after = read_file (path);
      g_assert_cmpstr (after, ==, contents[i]);
    }

  /* Nested deeply enough to overflow json-glib's parser. */
  {
    g_autoptr(GString) deep = g_string_new ("{\"next_id\": 1, \"todos\": [], \"x\": ");
    g_autoptr(QuarryTodoServer) server = NULL;
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < 500000; i++)
      g_string_append_c (deep, '[');
    write_file (path, deep->str);
    server = quarry_todo_server_new (path, &error);
    g_assert_null (server);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  }

  remove_tree (dir);
}

static void
test_valid_file_loads (void)
{
  /* Written by hand, out of order, with unknown members. */
  const char *contents =
    "{\"next_id\": 10, \"version\": 3, \"todos\": ["
    "{\"id\": 7, \"title\": \"Seven\", \"done\": true, \"tag\": 1, "
    "\"created_at\": \"2026-11-21T10:00:00Z\", \"updated_at\": \"2026-11-21T11:00:00Z\"},"
    "{\"id\": 3, \"title\": \"Three\", \"done\": false, "
    "\"created_at\": \"2026-11-20T10:00:00Z\", \"updated_at\": \"2026-11-20T10:00:00Z\"}]}";
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "todos.json", NULL);
  g_autoptr(QuarryTodoServer) server = NULL;
  g_autoptr(GError) error = NULL;
  QuarryTodoStore *store;

  write_file (path, contents);
  server = quarry_todo_server_new (path, &error);
  g_assert_no_error (error);

  store = quarry_todo_server_get_store (server);
  g_assert_cmpuint (quarry_todo_store_get_n_todos (store), ==, 2);
  g_assert_cmpint (quarry_todo_store_get_nth (store, 0)->id, ==, 3);
  g_assert_cmpint (quarry_todo_store_get_nth (store, 1)->id, ==, 7);
  g_assert_cmpint (quarry_todo_store_get_next_id (store), ==, 10);
  g_assert_null (quarry_todo_store_lookup (store, 5));
  g_assert_cmpstr (quarry_todo_store_lookup (store, 7)->updated_at, ==, "2026-11-21T11:00:00Z");

  /* Loading does not rewrite the file. */
  {
    g_autofree char *after = read_file (path);

    g_assert_cmpstr (after, ==, contents);
  }

  g_clear_object (&server);
  remove_tree (dir);
}

static void
test_creates_missing (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "deep", "er", "todos.json", NULL);
  g_autoptr(QuarryTodoServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  server = quarry_todo_server_new (path, &error);
  g_assert_no_error (error);
  contents = read_file (path);
  g_assert_cmpstr (contents, ==, "{\"next_id\":1,\"todos\":[]}");

  g_clear_object (&server);
  remove_tree (dir);
}

static void
test_unusable_path (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *file = g_build_filename (dir, "a-file", NULL);
  g_autofree char *below_file = g_build_filename (file, "todos.json", NULL);
  g_autoptr(QuarryTodoServer) is_dir = NULL;
  g_autoptr(QuarryTodoServer) under_file = NULL;
  g_autoptr(GError) error = NULL;

  /* A folder where the file should be. */
  is_dir = quarry_todo_server_new (dir, &error);
  g_assert_null (is_dir);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* A file where a folder should be. */
  write_file (file, "x");
  under_file = quarry_todo_server_new (below_file, &error);
  g_assert_null (under_file);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);

  remove_tree (dir);
}

static void
test_unwritable (TodoFixture   *fixture,
                 gconstpointer  data)
{
  g_autofree char *before = todo_snapshot (fixture);
  g_autofree char *file_before = read_file (fixture->data_path);
  g_autofree char *aside = g_build_filename (fixture->dir, "aside.json", NULL);
  g_autoptr(TodoResponse) list_before = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_autoptr(TodoResponse) created = NULL;
  g_autoptr(TodoResponse) patched = NULL;
  g_autoptr(TodoResponse) deleted = NULL;
  g_autoptr(TodoResponse) list_after = NULL;
  g_autoptr(TodoResponse) retried = NULL;
  g_autoptr(TodoResponse) retried_again = NULL;
  g_autofree char *after = NULL;

  /* A folder in the file's place: it cannot be replaced (this works for
   * root too, which permissions would not stop). */
  g_assert_cmpint (g_rename (fixture->data_path, aside), ==, 0);
  g_assert_cmpint (g_mkdir (fixture->data_path, 0755), ==, 0);

  created = todo_request (fixture, "POST", "/todos", "{\"title\": \"lost?\"}",
                          "Idempotency-Key", "retry-me", NULL);
  todo_assert_error (created, 500, "storage_error");
  patched = todo_request (fixture, "PATCH", "/todos/1", "{\"title\": \"lost?\", \"done\": true}", NULL);
  todo_assert_error (patched, 500, "storage_error");
  deleted = todo_request (fixture, "DELETE", "/todos/2", NULL, NULL);
  todo_assert_error (deleted, 500, "storage_error");

  /* Memory was rolled back: nothing changed. */
  list_after = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_assert_cmpstr (todo_response_text (list_after), ==, todo_response_text (list_before));
  g_assert_cmpstr (todo_response_header (list_after, "ETag"), ==,
                   todo_response_header (list_before, "ETag"));

  /* Put the file back: disk and memory agree, and the write goes through,
   * with the id it would have had (the failed one was not used up). */
  g_assert_cmpint (g_rmdir (fixture->data_path), ==, 0);
  g_assert_cmpint (g_rename (aside, fixture->data_path), ==, 0);
  after = todo_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);

  retried = todo_request (fixture, "POST", "/todos", "{\"title\": \"saved\"}",
                          "Idempotency-Key", "retry-me", NULL);
  g_assert_cmpuint (retried->status, ==, 201);
  g_assert_cmpint (json_object_get_int_member (todo_response_object (retried), "id"), ==, 4);
  retried_again = todo_request (fixture, "POST", "/todos", "{\"title\": \"saved\"}",
                                "Idempotency-Key", "retry-me", NULL);
  g_assert_cmpstr (todo_response_text (retried_again), ==, todo_response_text (retried));
  assert_file_matches (fixture);
}

static void
test_seed (TodoFixture   *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TodoResponse) list = NULL;
  g_autoptr(TodoResponse) done = NULL;

  list = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (todo_response_object (list), "total"), ==, 30);
  done = todo_request (fixture, "GET", "/todos?done=true", NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (todo_response_object (done), "total"), ==, 10);
  assert_file_matches (fixture);

  /* A store with todos is not seeded again. */
  quarry_todo_server_seed (fixture->server, 50, &error);
  g_assert_no_error (error);
  g_clear_pointer (&list, todo_response_free);
  list = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (todo_response_object (list), "total"), ==, 30);
}

static void
test_memory_only (void)
{
  g_autoptr(QuarryTodoServer) server = NULL;
  g_autoptr(GError) error = NULL;
  QuarryTodoStore *store;

  server = quarry_todo_server_new (NULL, &error);
  g_assert_no_error (error);
  quarry_todo_server_seed (server, 10000, &error);
  g_assert_no_error (error);
  g_assert_null (quarry_todo_server_get_uri (server));

  store = quarry_todo_server_get_store (server);
  g_assert_cmpuint (quarry_todo_store_get_n_todos (store), ==, 10000);
  g_assert_null (quarry_todo_store_get_path (store));

  /* The cursor's keyset position, by binary search. */
  g_assert_cmpuint (quarry_todo_store_get_index_after (store, 0), ==, 0);
  g_assert_cmpuint (quarry_todo_store_get_index_after (store, 1), ==, 1);
  g_assert_cmpuint (quarry_todo_store_get_index_after (store, 9999), ==, 9999);
  g_assert_cmpuint (quarry_todo_store_get_index_after (store, 10000), ==, 10000);
  g_assert_cmpuint (quarry_todo_store_get_index_after (store, G_MAXINT64), ==, 10000);
  quarry_todo_store_delete (store, 5000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quarry_todo_store_get_index_after (store, 4999), ==, 4999);
  g_assert_cmpuint (quarry_todo_store_get_index_after (store, 5000), ==, 4999);
  g_assert_cmpint (quarry_todo_store_get_nth (store, 4999)->id, ==, 5001);
  g_assert_null (quarry_todo_store_lookup (store, 5000));
  g_assert_cmpint (quarry_todo_store_lookup (store, 5001)->id, ==, 5001);
}

/* Ids: the largest next_id json-glib reads back is G_MAXINT64, so the
 * last id a store gives is G_MAXINT64 - 1; then creating fails, changing
 * nothing, and the store goes on working. */

#define TIMESTAMPS "\"created_at\": \"2026-11-21T10:00:00Z\", \"updated_at\": \"2026-11-21T10:00:00Z\""

static void
test_ids_run_out (void)
{
  const char *contents =
    "{\"next_id\": 9223372036854775807, \"todos\": ["
    "{\"id\": 9223372036854775806, \"title\": \"The last\", \"done\": false, " TIMESTAMPS "}]}";
  TodoFixture fixture = { NULL, };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *file_after = NULL;

  todo_fixture_set_up_with_file (&fixture, contents);
  before = todo_snapshot (&fixture);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TodoResponse) created = todo_request (&fixture, "POST", "/todos", "{\"title\": \"one more\"}",
                                                      "Idempotency-Key", "k", NULL);

      todo_assert_error (created, 500, "storage_error");
      g_test_message ("%s", todo_response_text (created));
    }
  after = todo_snapshot (&fixture);
  g_assert_cmpstr (after, ==, before);
  file_after = read_file (fixture.data_path);
  g_assert_cmpstr (file_after, ==, contents);
  g_assert_cmpint (quarry_todo_store_get_next_id (quarry_todo_server_get_store (fixture.server)), ==,
                   G_MAXINT64);

  /* The rest still works, and the store loads again. */
  {
    g_autoptr(TodoResponse) patched = todo_request (&fixture, "PATCH", "/todos/9223372036854775806",
                                                    "{\"done\": true}", NULL);
    g_autoptr(TodoResponse) list = NULL;

    g_assert_cmpuint (patched->status, ==, 200);
    todo_fixture_restart (&fixture);
    list = todo_request (&fixture, "GET", "/todos", NULL, NULL);
    g_assert_cmpint (json_object_get_int_member (todo_response_object (list), "total"), ==, 1);
  }

  todo_fixture_tear_down (&fixture, NULL);
}

static void
test_seed_runs_out (void)
{
  const char *contents = "{\"next_id\": 9223372036854775805, \"todos\": []}";
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "todos.json", NULL);
  g_autoptr(QuarryTodoServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  QuarryTodoStore *store;

  write_file (path, contents);
  server = quarry_todo_server_new (path, &error);
  g_assert_no_error (error);
  store = quarry_todo_server_get_store (server);

  /* Three would need an id above the largest. */
  g_assert_false (quarry_todo_server_seed (server, 3, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (quarry_todo_store_get_n_todos (store), ==, 0);
  g_assert_cmpint (quarry_todo_store_get_next_id (store), ==, G_MAXINT64 - 2);
  after = read_file (path);
  g_assert_cmpstr (after, ==, contents);

  /* Two fit: the last ids there are. */
  g_assert_true (quarry_todo_server_seed (server, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (quarry_todo_store_get_n_todos (store), ==, 2);
  g_assert_cmpint (quarry_todo_store_get_nth (store, 1)->id, ==, G_MAXINT64 - 1);
  g_assert_cmpint (quarry_todo_store_get_next_id (store), ==, G_MAXINT64);

  g_assert_null (quarry_todo_store_create (store, "no room", FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (quarry_todo_store_get_n_todos (store), ==, 2);

  g_clear_object (&server);
  remove_tree (dir);
}

/* Locking: one server per file */

static void
test_lock (TodoFixture   *fixture,
           gconstpointer  data)
{
  g_autofree char *link = g_build_filename (fixture->dir, "link.json", NULL);
  g_autofree char *file_before = read_file (fixture->data_path);
  g_autofree char *file_after = NULL;
  g_autoptr(QuarryTodoServer) second = NULL;
  g_autoptr(QuarryTodoServer) memory = NULL;
  g_autoptr(QuarryTodoServer) memory_too = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TodoResponse) list = NULL;

  /* A second server on the file: a clear error, and the file as it was. */
  second = quarry_todo_server_new (fixture->data_path, &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, fixture->data_path));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Through a symbolic link to it, too. */
  g_assert_cmpint (symlink ("todos.json", link), ==, 0);
  second = quarry_todo_server_new (link, &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);

  /* And on a thread of its own. */
  g_assert_null (quarry_todo_server_thread_start (fixture->data_path, 10, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);

  file_after = read_file (fixture->data_path);
  g_assert_cmpstr (file_after, ==, file_before);

  /* The first one still serves; once it is gone, the next one starts. */
  list = todo_request (fixture, "GET", "/todos", NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (todo_response_object (list), "total"), ==, 3);
  todo_fixture_restart (fixture);
  g_assert_cmpint (todo_create (fixture, "after the restart", FALSE), ==, 4);

  /* Memory-only servers share nothing, and lock nothing. */
  memory = quarry_todo_server_new (NULL, &error);
  g_assert_no_error (error);
  memory_too = quarry_todo_server_new (NULL, &error);
  g_assert_no_error (error);
}

/* The file keeps its permissions, and a symbolic link stays one. */
static void
test_file_mode_kept (TodoFixture   *fixture,
                     gconstpointer  data)
{
  const int modes[] = { 0600, 0640, 0664 };
  GStatBuf info;

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_assert_cmpint (g_chmod (fixture->data_path, modes[i]), ==, 0);
      todo_create (fixture, "private", FALSE);
      assert_file_matches (fixture);

      g_assert_cmpint (g_stat (fixture->data_path, &info), ==, 0);
      g_assert_cmpint (info.st_mode & 07777, ==, modes[i]);
    }
}

static void
test_symlink_kept (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *link = g_build_filename (dir, "link.json", NULL);
  g_autofree char *target = g_build_filename (dir, "elsewhere", "todos.json", NULL);
  g_autofree char *chain = g_build_filename (dir, "chain.json", NULL);
  g_autoptr(QuarryTodoServer) server = NULL;
  g_autoptr(QuarryTodoServer) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *read_back = NULL;
  g_autofree char *contents = NULL;
  QuarryTodoStore *store;
  GStatBuf info;

  /* A relative link to a file that is not there yet, in a folder that is
   * not there either; and an absolute link to that link. */
  g_assert_cmpint (symlink ("elsewhere/todos.json", link), ==, 0);
  g_assert_cmpint (symlink (link, chain), ==, 0);

  server = quarry_todo_server_new (chain, &error);
  g_assert_no_error (error);
  store = quarry_todo_server_get_store (server);
  g_assert_nonnull (quarry_todo_store_create (store, "through the links", FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (quarry_todo_server_seed (server, 5, &error));

  /* Both links are still links, to where they were, and the file they
   * lead to holds the store. */
  g_assert_cmpint (g_lstat (link, &info), ==, 0);
  g_assert_true (S_ISLNK (info.st_mode));
  g_assert_cmpint (g_lstat (chain, &info), ==, 0);
  g_assert_true (S_ISLNK (info.st_mode));
  read_back = g_file_read_link (link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read_back, ==, "elsewhere/todos.json");
  contents = read_file (target);
  g_assert_nonnull (strstr (contents, "through the links"));

  /* The lock is the target's: the link, the chain and the file are one. */
  again = quarry_todo_server_new (target, &error);
  g_assert_null (again);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);

  g_clear_object (&server);
  again = quarry_todo_server_new (link, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quarry_todo_store_get_n_todos (quarry_todo_server_get_store (again)), ==, 1);
  g_clear_object (&again);

  remove_tree (dir);
}

/* Thread */

static void
test_thread (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "todos.json", NULL);
  QuarryTodoServerThread *memory;
  QuarryTodoServerThread *file;
  g_autoptr(SoupSession) session = soup_session_new ();

  memory = quarry_todo_server_thread_start (NULL, 20, &error);
  g_assert_no_error (error);
  file = quarry_todo_server_thread_start (path, 5, &error);
  g_assert_no_error (error);

  g_assert_true (g_str_has_prefix (quarry_todo_server_thread_get_uri (memory), "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (quarry_todo_server_thread_get_uri (memory), "/"));
  g_assert_cmpstr (quarry_todo_server_thread_get_uri (memory), !=,
                   quarry_todo_server_thread_get_uri (file));

  /* Requests from this thread, answered by the server's. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TodoResponse) list = todo_request_full (session, quarry_todo_server_thread_get_uri (memory),
                                                        "GET", "/todos?limit=5", NULL, NULL, FALSE, NULL);
      g_autoptr(GBytes) body = g_bytes_new_static ("{\"title\": \"from the main thread\"}", 33);
      g_autoptr(TodoResponse) created = todo_request_full (session, quarry_todo_server_thread_get_uri (file),
                                                           "POST", "/todos", "application/json", body,
                                                           FALSE, NULL);

      g_assert_cmpuint (list->status, ==, 200);
      g_assert_cmpint (json_object_get_int_member (todo_response_object (list), "total"), ==, 20);
      g_assert_cmpuint (created->status, ==, 201);
      g_assert_cmpint (json_object_get_int_member (todo_response_object (created), "id"), ==, 6 + i);
    }

  quarry_todo_server_thread_stop (memory);
  quarry_todo_server_thread_stop (file);
  g_clear_object (&session);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* What the thread wrote is there for the next one. */
  file = quarry_todo_server_thread_start (path, 5, &error);
  g_assert_no_error (error);
  session = soup_session_new ();
  {
    g_autoptr(TodoResponse) list = todo_request_full (session, quarry_todo_server_thread_get_uri (file),
                                                      "GET", "/todos", NULL, NULL, FALSE, NULL);

    g_assert_cmpint (json_object_get_int_member (todo_response_object (list), "total"), ==, 8);
  }
  quarry_todo_server_thread_stop (file);

  remove_tree (dir);
}

static void
test_thread_stop_at_once (void)
{
  g_autoptr(GError) error = NULL;

  /* Stopped before its loop could even start. */
  for (guint i = 0; i < 20; i++)
    {
      QuarryTodoServerThread *thread = quarry_todo_server_thread_start (NULL, 0, &error);

      g_assert_no_error (error);
      quarry_todo_server_thread_stop (thread);
    }
}

static void
test_thread_bad_file (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "todos.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  write_file (path, "{broken");
  g_assert_null (quarry_todo_server_thread_start (path, 10, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  after = read_file (path);
  g_assert_cmpstr (after, ==, "{broken");

  remove_tree (dir);
}

/* The executable */

static const char *
server_path (void)
{
  const char *path = g_getenv ("QUARRY_TODO_SERVER");

  if (path == NULL)
    g_test_skip ("QUARRY_TODO_SERVER is not set");
  return path;
}

typedef struct
{
  char *out;
  char *err;
  GError *error;
  gboolean done;
} Communication;

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Communication *communication = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &communication->out,
                                        &communication->err, &communication->error);
  communication->done = TRUE;
}

static gboolean
time_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
communication_over (gpointer data)
{
  Communication *communication = data;

  return communication->done;
}

/* Runs the executable to its end with @args, and returns its status. One
 * that is still running after 20 s (a server that should have refused to
 * start) is killed, and fails the test. */
static int
run_cli (const char  * const *args,
         char               **out,
         char               **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Communication communication = { NULL, };
  gboolean timed_out = FALSE;
  guint timeout_id;

  g_ptr_array_add (argv, (gpointer) server_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, cancellable, communicated_cb, &communication);

  timeout_id = g_timeout_add_seconds (20, time_out_cb, &timed_out);
  while (!communication.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);
  else
    {
      g_subprocess_force_exit (process);
      g_cancellable_cancel (cancellable);
      todo_wait_until (communication_over, &communication);
      g_clear_error (&communication.error);
      g_free (communication.out);
      g_free (communication.err);
      g_error ("%s ran for 20 s, and was killed", server_path ());
    }

  g_assert_no_error (communication.error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  *out = communication.out;
  *err = communication.err;
  return g_subprocess_get_exit_status (process);
}

static void
test_cli_help (void)
{
  const char *args[] = { "--help", NULL };
  const char *version_args[] = { "--version", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *version = NULL;
  g_autofree char *version_err = NULL;

  if (server_path () == NULL)
    return;

  g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  for (guint i = 0; i < 8; i++)
    {
      const char *options[] = { "--port", "--address", "--data", "--latency-ms", "--fail-rate",
                                "--seed", "--random-seed", "--version" };

      g_assert_nonnull (strstr (out, options[i]));
    }

  g_assert_cmpint (run_cli (version_args, &version, &version_err), ==, 0);
  g_assert_true (g_str_has_prefix (version, "quarry-todo-server "));
}

static void
test_cli_bad_options (void)
{
  const char * const cases[][4] = {
    { "--bogus", NULL },
    { "--port", "70000", NULL },
    { "--port", "-1", NULL },
    { "--port", "http", NULL },
    { "--latency-ms", "10001", NULL },
    { "--fail-rate", "1.5", NULL },
    { "--fail-rate", "lots", NULL },
    { "--seed", "-4", NULL },
    { "--random-seed", "-1", NULL },
    { "--random-seed", "x", NULL },
    { "extra-argument", NULL },
  };

  if (server_path () == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_test_message ("%s %s", cases[i][0], cases[i][1] ? cases[i][1] : "");
      g_assert_cmpint (run_cli (cases[i], &out, &err), ==, 2);
      g_assert_true (g_str_has_prefix (err, "quarry-todo-server: "));
      g_assert_nonnull (strstr (err, "--help"));
      g_assert_cmpstr (out, ==, "");
    }
}

typedef struct
{
  GSubprocess *process;
  char *uri;
} RunningServer;

static void
running_server_start (RunningServer       *running,
                      const char * const  *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_ptr_array_add (argv, (gpointer) server_path ());
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, "0");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  running->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (running->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (line, "/"));
  running->uri = g_strdup (line + strlen ("Listening on "));
}

/* SIGTERM, and a clean exit. */
static void
running_server_stop (RunningServer *running)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (running->process, SIGTERM);
  g_subprocess_wait (running->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (running->process));
  g_assert_cmpint (g_subprocess_get_exit_status (running->process), ==, 0);

  g_clear_object (&running->process);
  g_clear_pointer (&running->uri, g_free);
}

static void
test_cli_serve (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "todos.json", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  const char *args[] = { "--data", path, "--seed", "12", "--latency-ms", "20", "--fail-rate", "0",
                         "--random-seed", "18446744073709551615", NULL };
  RunningServer running = { NULL, };

  if (server_path () == NULL)
    return;

  running_server_start (&running, args);
  {
    g_autoptr(TodoResponse) list = todo_request_full (session, running.uri, "GET", "/todos",
                                                      NULL, NULL, FALSE, NULL);
    g_autoptr(TodoResponse) settings = todo_request_full (session, running.uri, "GET", "/settings",
                                                          NULL, NULL, FALSE, NULL);
    g_autoptr(GBytes) body = g_bytes_new_static ("{\"title\": \"via the CLI\"}", 24);
    g_autoptr(TodoResponse) created = todo_request_full (session, running.uri, "POST", "/todos",
                                                         "application/json", body, FALSE, NULL);

    g_assert_cmpuint (list->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (todo_response_object (list), "total"), ==, 12);
    g_assert_cmpint (list->elapsed_us, >=, 20 * 1000);
    g_assert_cmpstr (todo_response_text (settings), ==, "{\"latency_ms\":20,\"fail_rate\":0.0}");
    g_assert_cmpuint (created->status, ==, 201);
  }
  soup_session_abort (session);
  running_server_stop (&running);

  /* Started again on the same file, with --seed: not seeded again. */
  running_server_start (&running, args);
  {
    g_autoptr(TodoResponse) list = todo_request_full (session, running.uri, "GET", "/todos",
                                                      NULL, NULL, FALSE, NULL);

    g_assert_cmpint (json_object_get_int_member (todo_response_object (list), "total"), ==, 13);
  }
  soup_session_abort (session);
  running_server_stop (&running);

  remove_tree (dir);
}

static void
test_cli_corrupt_file (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "todos.json", NULL);
  const char *args[] = { "--port", "0", "--data", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *after = NULL;

  if (server_path () == NULL)
    return;

  write_file (path, "{\"next_id\": 1, \"todos\": [");
  g_assert_cmpint (run_cli (args, &out, &err), ==, 1);
  g_assert_true (g_str_has_prefix (err, "quarry-todo-server: "));
  g_assert_nonnull (strstr (err, path));
  g_assert_cmpstr (out, ==, "");
  after = read_file (path);
  g_assert_cmpstr (after, ==, "{\"next_id\": 1, \"todos\": [");

  remove_tree (dir);
}

/* A SIGTERM as soon as the server says where it listens is a clean stop:
 * its handler is there before the line is. */
static void
test_cli_sigterm_at_once (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "todos.json", NULL);
  const char *args[] = { "--data", path, NULL };

  if (server_path () == NULL)
    return;

  for (guint i = 0; i < 20; i++)
    {
      RunningServer running = { NULL, };

      running_server_start (&running, args);
      running_server_stop (&running);
    }

  remove_tree (dir);
}

/* A second server on a file in use: exit status 1, and why. */
static void
test_cli_file_in_use (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "todos.json", NULL);
  g_autoptr(QuarryTodoServer) server = NULL;
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--port", "0", "--data", path, "--seed", "5", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *after = NULL;

  if (server_path () == NULL)
    return;

  server = quarry_todo_server_new (path, &error);
  g_assert_no_error (error);

  g_assert_cmpint (run_cli (args, &out, &err), ==, 1);
  g_assert_true (g_str_has_prefix (err, "quarry-todo-server: "));
  g_assert_nonnull (strstr (err, path));
  g_assert_cmpstr (out, ==, "");
  g_test_message ("%s", err);

  /* Not seeded behind the first server's back. */
  after = read_file (path);
  g_assert_cmpstr (after, ==, "{\"next_id\":1,\"todos\":[]}");

  g_clear_object (&server);
  remove_tree (dir);
}

static void
test_cli_port_taken (void)
{
  g_autoptr(QuarryTodoServer) server = quarry_todo_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *port = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  if (server_path () == NULL)
    return;

  quarry_todo_server_listen (server, NULL, 0, &error);
  g_assert_no_error (error);
  uri = g_uri_parse (quarry_todo_server_get_uri (server), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  port = g_strdup_printf ("%d", g_uri_get_port (uri));

  /* The port is taken: a clear error, and exit status 1. */
  dir = make_tmp_dir ();
  path = g_build_filename (dir, "todos.json", NULL);
  {
    const char *args[] = { "--data", path, "--port", port, NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 1);
  }
  g_assert_true (g_str_has_prefix (err, "quarry-todo-server: "));
  g_assert_nonnull (strstr (err, port));
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/todo-server/storage/restart", 5, test_restart);
  ADD ("/todo-server/storage/file-after-each-write", 10, test_file_after_each_write);
  ADD ("/todo-server/storage/next-id-in-file", 0, test_next_id_in_file);
  g_test_add_func ("/todo-server/storage/corrupt-file", test_corrupt_file);
  g_test_add_func ("/todo-server/storage/valid-file-loads", test_valid_file_loads);
  g_test_add_func ("/todo-server/storage/creates-missing", test_creates_missing);
  g_test_add_func ("/todo-server/storage/unusable-path", test_unusable_path);
  ADD ("/todo-server/storage/unwritable", 3, test_unwritable);
  ADD ("/todo-server/storage/seed", 30, test_seed);
  g_test_add_func ("/todo-server/storage/memory-only", test_memory_only);
  g_test_add_func ("/todo-server/storage/ids-run-out", test_ids_run_out);
  g_test_add_func ("/todo-server/storage/seed-runs-out", test_seed_runs_out);
  ADD ("/todo-server/storage/lock", 3, test_lock);
  ADD ("/todo-server/storage/file-mode-kept", 0, test_file_mode_kept);
  g_test_add_func ("/todo-server/storage/symlink-kept", test_symlink_kept);
  g_test_add_func ("/todo-server/thread/start-request-stop", test_thread);
  g_test_add_func ("/todo-server/thread/stop-at-once", test_thread_stop_at_once);
  g_test_add_func ("/todo-server/thread/bad-file", test_thread_bad_file);
  g_test_add_func ("/todo-server/cli/help-version", test_cli_help);
  g_test_add_func ("/todo-server/cli/bad-options", test_cli_bad_options);
  g_test_add_func ("/todo-server/cli/serve", test_cli_serve);
  g_test_add_func ("/todo-server/cli/corrupt-file", test_cli_corrupt_file);
  g_test_add_func ("/todo-server/cli/port-taken", test_cli_port_taken);
  g_test_add_func ("/todo-server/cli/sigterm-at-once", test_cli_sigterm_at_once);
  g_test_add_func ("/todo-server/cli/file-in-use", test_cli_file_in_use);

  return g_test_run ();
}
