/* quarry-infinite-example.c: a "load more" list with an infinite query.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The "server" returns projects three at a time with a cursor to the next
 * group, as in TanStack's docs: {"data": [...], "nextCursor": 3}. The list
 * loads the first page, then the next ones, and prints the flat items model
 * as it grows with one insertion per page.
 */

#include <quarry.h>

#define N_PROJECTS 8

static gboolean
answer_cb (gpointer user_data)
{
  QuarryFetchContext *context = user_data;
  gint64 cursor = json_node_get_int (g_value_get_boxed (quarry_fetch_context_get_page_param (context)));
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) page = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (gint64 id = cursor; id < MIN (cursor + 3, N_PROJECTS); id++)
    {
      g_autofree char *name = g_strdup_printf ("Project %" G_GINT64_FORMAT, id);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (cursor + 3 < N_PROJECTS)
    {
      json_builder_set_member_name (builder, "nextCursor");
      json_builder_add_int_value (builder, cursor + 3);
    }
  json_builder_end_object (builder);

  page = json_builder_get_root (builder);
  quarry_fetch_context_return_json (context, page);
  return G_SOURCE_REMOVE;
}

/* Fetches one page: GET /api/projects?cursor=N, answered after 50 ms. */
static void
fetch_projects (QuarryFetchContext *context,
                gpointer            user_data)
{
  g_timeout_add_full (G_PRIORITY_DEFAULT, 50, answer_cb, g_object_ref (context), g_object_unref);
}

/* TanStack's getNextPageParam: the last page's cursor, if it has one. */
static void
next_cursor (const GValue        *page,
             QuarryInfiniteData  *data,
             const GValue        *page_param,
             GValue              *param,
             gpointer             user_data,
             GError             **error)
{
  JsonObject *object = json_node_get_object (g_value_get_boxed (page));

  if (json_object_has_member (object, "nextCursor"))
    {
      g_value_init (param, JSON_TYPE_NODE);
      g_value_set_boxed (param, json_object_get_member (object, "nextCursor"));
    }
}

static void
items_changed_cb (GListModel *items,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  g_print ("items-changed at %u: %u removed, %u added\n", position, removed, added);
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(QuarryJsonItem) item = g_list_model_get_item (items, i);

      g_print ("  %s\n", json_node_get_string (quarry_json_item_get_member (item, "name")));
    }
}

static void
settled_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data);

static void
load_more (QuarryInfiniteQuery *query,
           GMainLoop           *loop)
{
  if (quarry_infinite_query_get_has_next_page (query))
    quarry_infinite_query_fetch_next_page_async (query, NULL, settled_cb, loop);
  else
    {
      g_print ("No more projects.\n");
      g_main_loop_quit (loop);
    }
}

static void
settled_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  QuarryInfiniteQuery *query = QUARRY_INFINITE_QUERY (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(QuarryInfiniteData) data = quarry_infinite_query_fetch_next_page_finish (query, result, &error);

  if (data == NULL)
    {
      g_printerr ("Could not load more: %s\n", error->message);
      g_main_loop_quit (user_data);
      return;
    }
  load_more (query, user_data);
}

static void
status_cb (QuarryQuery *query,
           GParamSpec  *pspec,
           GMainLoop   *loop)
{
  /* The first page is in: load the rest, one page after another. */
  if (quarry_query_get_status (query) == QUARRY_STATUS_SUCCESS)
    {
      g_signal_handlers_disconnect_by_func (query, status_cb, loop);
      load_more (QUARRY_INFINITE_QUERY (query), loop);
    }
}

int
main (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(QuarryQueryClient) client = quarry_query_client_new ();
  g_autoptr(QuarryKey) key = quarry_key_new_from_string ("[\"projects\"]", NULL);
  g_autoptr(QuarryInfiniteQuery) query = NULL;
  g_auto(GValue) first = G_VALUE_INIT;

  quarry_query_client_set_network_monitor (client, NULL);
  quarry_query_client_set_online (client, TRUE);

  query = quarry_infinite_query_new (client, key, fetch_projects, NULL, NULL);
  g_value_init (&first, JSON_TYPE_NODE);
  g_value_take_boxed (&first, json_node_init_int (json_node_alloc (), 0));
  quarry_infinite_query_set_initial_page_param (query, &first);
  quarry_infinite_query_set_next_page_param_func (query, next_cursor, NULL, NULL);
  quarry_infinite_query_set_items_member (query, "data");

  g_signal_connect (quarry_infinite_query_get_items (query), "items-changed",
                    G_CALLBACK (items_changed_cb), NULL);
  g_signal_connect (query, "notify::status", G_CALLBACK (status_cb), loop);

  g_main_loop_run (loop);
  g_print ("%u projects in %u pages\n",
           g_list_model_get_n_items (quarry_infinite_query_get_items (query)),
           quarry_infinite_data_get_n_pages (quarry_infinite_query_get_data (query)));
  return 0;
}
