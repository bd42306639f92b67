/* quarry-mutation-example.c: a mutation with an optimistic update.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Adds a todo to a cached list: the list shows it at once, marked as
 * updating, with a temporary id; when the server answers, the list shows
 * the server's version. Had the server refused, the list would be back to
 * what it was.
 */

#include <quarry.h>

static void
print_todos (QuarryQueryClient *client,
             QuarryKey         *todos,
             const char        *when)
{
  g_autofree char *text = json_to_string (g_value_get_boxed (quarry_query_client_get_query_data (client, todos)), FALSE);

  g_print ("%-8s %s\n", when, text);
}

static gboolean
answer_cb (gpointer user_data)
{
  QuarryFetchContext *context = user_data;
  g_autoptr(JsonNode) created = json_from_string ("{\"id\": 2, \"title\": \"Water the plants\"}", NULL);

  quarry_fetch_context_return_json (context, created);
  return G_SOURCE_REMOVE;
}

/* The mutation function: send the todo to the server, which gives it an id.
 * Here the "server" answers after 100 ms. */
static void
add_todo (QuarryFetchContext *context,
          const GValue       *variables,
          gpointer            user_data)
{
  g_timeout_add_full (G_PRIORITY_DEFAULT, 100, answer_cb, g_object_ref (context), g_object_unref);
}

static void
settled_cb (QuarryMutation *mutation,
            const GValue   *data,
            const GError   *error,
            const GValue   *variables,
            const GValue   *context,
            gpointer        user_data)
{
  if (error != NULL)
    g_printerr ("The todo was not saved: %s\n", error->message);
  g_main_loop_quit (user_data);
}

int
main (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(QuarryQueryClient) client = quarry_query_client_new ();
  g_autoptr(QuarryKey) todos = quarry_key_new_from_string ("[\"todos\"]", NULL);
  g_autoptr(JsonNode) list = json_from_string ("[{\"id\": 1, \"title\": \"Buy milk\"}]", NULL);
  g_autoptr(JsonNode) todo = json_from_string ("{\"id\": \"new\", \"title\": \"Water the plants\"}", NULL);
  g_autoptr(QuarryMutation) mutation = NULL;
  g_autoptr(QuarryOptimisticUpdate) update = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  QuarryMutationOptions *options;

  /* This example needs no network. */
  quarry_query_client_set_network_monitor (client, NULL);
  quarry_query_client_set_online (client, TRUE);

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, list);
  quarry_query_client_set_query_data (client, todos, &value, NULL);
  print_todos (client, todos, "cached");

  mutation = quarry_mutation_new (client, NULL, add_todo, NULL, NULL);
  options = quarry_mutation_get_options (mutation);
  g_object_set (options, "retry", 2, "scope-id", "todos", NULL);

  /* Show the new todo in the list before the server answers; roll back on
   * error; refetch the list once the server answered. */
  update = quarry_optimistic_update_new (QUARRY_OPTIMISTIC_UPSERT, todos);
  quarry_optimistic_update_set_updating_member (update, "isUpdating");
  quarry_mutation_options_add_optimistic_update (options, update);
  quarry_mutation_options_add_invalidate_key (options, todos);

  g_value_unset (&value);
  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, todo);
  quarry_mutation_mutate (mutation, &value, settled_cb, loop, NULL);
  print_todos (client, todos, "at once");

  g_main_loop_run (loop);
  print_todos (client, todos, "saved");

  return 0;
}
