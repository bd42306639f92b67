/* w7-list-update.c: W7 of shared/bench/WORKLOADS.md, the Quarry side; the
 * TanStack side is bench/node/w7-list-update.mjs, on the same data.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A 10 000-item list is held by a query (a live QuarryQuery) and shown
 * through a QuarryKeyedListModel. Each of 100 updates is
 * quarry_query_client_set_query_data() of a new copy of the list in which
 * 10 items changed their title and done. The copies are made before timing:
 * JSON text as a server sends it, parsed with json_parser_new_immutable()
 * as the HTTP layer parses it (in its worker thread, sealed as built).
 *
 * Two kinds of copies are timed:
 *
 * - "shared" (the figure reported as seconds): what a refetch through the
 *   HTTP layer hands the cache, whose worker thread rebuilds the parsed
 *   list from the cached list's equal parts (_quarry_json_share, the
 *   counterpart of TanStack's replaceEqualDeep). That sharing runs off the
 *   main thread; its cost is reported apart, as share_seconds;
 * - "fresh" (seconds_fresh): the parsed copies as they are, every element a
 *   new node, as an application's own set_query_data() of a list it built
 *   would give; the model then compares each element on the main thread.
 *
 * The timed section includes everything the main thread does: the cache
 * write and its equality check, the query's notifications, the model's
 * matching and in-place updates and every handler (a counter on
 * items-changed and on each item's notify). core_seconds is the same
 * updates with the query but no model: the core's own share (with fresh
 * copies, core_seconds_fresh, most of it is freeing each replaced list).
 *
 * Prints one JSON line with the median of 5 runs, after one warm-up run.
 *
 *   build-release/bench/w7-list-update [--app-type]
 *
 * --app-type shows the list as instances of an application GObject type
 * (properties title, done, …) instead of QuarryJsonItem. W7_PROFILE=fresh,
 * shared or core in the environment runs one variant 20 times and prints
 * nothing, for a profiler.
 */

#include <quarry.h>

#include "quarry-json-share-private.h"

#define N_ITEMS 10000
#define N_UPDATES 100
#define N_CHANGED 10
#define RUNS 5

/* The application item type of --app-type. */

#define BENCH_TYPE_TODO (bench_todo_get_type ())
G_DECLARE_FINAL_TYPE (BenchTodo, bench_todo, BENCH, TODO, GObject)

struct _BenchTodo
{
  GObject parent_instance;
  gint64 id;
  char *title;
  gboolean done;
  gint64 priority;
  char **tags;
};

enum { TODO_PROP_0, TODO_PROP_ID, TODO_PROP_TITLE, TODO_PROP_DONE, TODO_PROP_PRIORITY, TODO_PROP_TAGS };

G_DEFINE_FINAL_TYPE (BenchTodo, bench_todo, G_TYPE_OBJECT)

static void
bench_todo_finalize (GObject *object)
{
  BenchTodo *self = BENCH_TODO (object);

  g_free (self->title);
  g_strfreev (self->tags);
  G_OBJECT_CLASS (bench_todo_parent_class)->finalize (object);
}

static void
bench_todo_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BenchTodo *self = BENCH_TODO (object);

  switch (prop_id)
    {
    case TODO_PROP_ID: g_value_set_int64 (value, self->id); break;
    case TODO_PROP_TITLE: g_value_set_string (value, self->title); break;
    case TODO_PROP_DONE: g_value_set_boolean (value, self->done); break;
    case TODO_PROP_PRIORITY: g_value_set_int64 (value, self->priority); break;
    case TODO_PROP_TAGS: g_value_set_boxed (value, self->tags); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bench_todo_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  BenchTodo *self = BENCH_TODO (object);

  switch (prop_id)
    {
    case TODO_PROP_ID: self->id = g_value_get_int64 (value); break;
    case TODO_PROP_TITLE: g_free (self->title); self->title = g_value_dup_string (value); break;
    case TODO_PROP_DONE: self->done = g_value_get_boolean (value); break;
    case TODO_PROP_PRIORITY: self->priority = g_value_get_int64 (value); break;
    case TODO_PROP_TAGS: g_strfreev (self->tags); self->tags = g_value_dup_boxed (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bench_todo_class_init (BenchTodoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  /* Not explicit-notify: every set notifies, as in most applications. */
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = bench_todo_finalize;
  object_class->get_property = bench_todo_get_property;
  object_class->set_property = bench_todo_set_property;
  g_object_class_install_property (object_class, TODO_PROP_ID,
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw));
  g_object_class_install_property (object_class, TODO_PROP_TITLE,
    g_param_spec_string ("title", NULL, NULL, NULL, rw));
  g_object_class_install_property (object_class, TODO_PROP_DONE,
    g_param_spec_boolean ("done", NULL, NULL, FALSE, rw));
  g_object_class_install_property (object_class, TODO_PROP_PRIORITY,
    g_param_spec_int64 ("priority", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw));
  g_object_class_install_property (object_class, TODO_PROP_TAGS,
    g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, rw));
}

static void
bench_todo_init (BenchTodo *self)
{
}

/* The data: as in w7-list-update.mjs. */

typedef struct
{
  char *titles[N_ITEMS];
  gboolean done[N_ITEMS];
} State;

static guint
changed_index (guint update,
               guint k)
{
  return (update * 7919 + k * 1000) % N_ITEMS;
}

static char *
list_text (State *state)
{
  GString *json = g_string_sized_new (N_ITEMS * 80);

  g_string_append_c (json, '[');
  for (guint i = 0; i < N_ITEMS; i++)
    g_string_append_printf (json,
                            "%s{\"id\":%u,\"title\":\"%s\",\"done\":%s,\"priority\":%u,"
                            "\"tags\":[\"tag%u\",\"tag%u\"]}",
                            i > 0 ? "," : "", i + 1, state->titles[i],
                            state->done[i] ? "true" : "false", i % 5, i % 7, i % 11);
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static JsonNode *
parse_immutable (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("%s", error->message);
  return json_parser_steal_root (parser);
}

typedef struct
{
  JsonNode *initial;
  JsonNode *fresh[N_UPDATES];
  JsonNode *shared[N_UPDATES];
  double share_seconds;
} Copies;

static void
prepare (Copies *copies)
{
  State state;
  g_autofree char *text = NULL;
  gint64 start;

  for (guint i = 0; i < N_ITEMS; i++)
    {
      state.titles[i] = g_strdup_printf ("Todo %u", i);
      state.done[i] = i % 3 == 0;
    }
  text = list_text (&state);
  copies->initial = parse_immutable (text);

  for (guint u = 1; u <= N_UPDATES; u++)
    {
      g_autofree char *update_text = NULL;

      for (guint k = 0; k < N_CHANGED; k++)
        {
          guint i = changed_index (u, k);

          g_free (state.titles[i]);
          state.titles[i] = g_strdup_printf ("Todo %u rev %u", i, u);
          state.done[i] = !state.done[i];
        }
      update_text = list_text (&state);
      copies->fresh[u - 1] = parse_immutable (update_text);
    }

  /* What the HTTP layer's worker thread makes of each parsed copy. */
  start = g_get_monotonic_time ();
  for (guint u = 0; u < N_UPDATES; u++)
    copies->shared[u] = _quarry_json_share (u > 0 ? copies->shared[u - 1] : copies->initial,
                                            copies->fresh[u]);
  copies->share_seconds = (g_get_monotonic_time () - start) / 1e6;

  for (guint i = 0; i < N_ITEMS; i++)
    g_free (state.titles[i]);
}

/* One run */

typedef struct
{
  double seconds;
  guint emissions;
  guint items_reported;
  guint notifications;
} Figures;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Figures    *figures)
{
  figures->emissions++;
  figures->items_reported += removed + added;
}

static void
notify_cb (GObject    *item,
           GParamSpec *pspec,
           Figures    *figures)
{
  figures->notifications++;
}

static void
set_data (QuarryQueryClient *client,
          QuarryKey         *key,
          JsonNode          *node)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, node);
  if (!quarry_query_client_set_query_data (client, key, &value, &error))
    g_error ("%s", error->message);
}

static Figures
run (Copies   *copies,
     JsonNode **lists,
     gboolean   with_model,
     GType      item_type)
{
  g_autoptr(QuarryQueryClient) client = quarry_query_client_new ();
  g_autoptr(QuarryKey) key = quarry_key_new_from_string ("[\"todos\"]", NULL);
  g_autoptr(QuarryQuery) query = NULL;
  g_autoptr(QuarryKeyedListModel) model = NULL;
  Figures figures = { 0, };
  gint64 start;

  quarry_query_client_set_network_monitor (client, NULL);
  set_data (client, key, copies->initial);
  query = quarry_query_new (client, key, NULL, NULL, NULL);
  quarry_query_set_stale_time (query, G_MAXINT64);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  if (with_model)
    {
      model = quarry_keyed_list_model_new (query, item_type);
      g_assert (g_list_model_get_n_items (G_LIST_MODEL (model)) == N_ITEMS);
      g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &figures);
      for (guint i = 0; i < N_ITEMS; i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (model), i);

          g_signal_connect (item, "notify", G_CALLBACK (notify_cb), &figures);
        }
    }

  start = g_get_monotonic_time ();
  for (guint u = 0; u < N_UPDATES; u++)
    {
      set_data (client, key, lists[u]);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  figures.seconds = (g_get_monotonic_time () - start) / 1e6;

  if (with_model)
    {
      /* The model shows the last list. */
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (model), changed_index (N_UPDATES, 0));
      g_autofree char *expected = g_strdup_printf ("Todo %u rev %u", changed_index (N_UPDATES, 0), N_UPDATES);
      const char *title = QUARRY_IS_JSON_ITEM (item)
                        ? quarry_json_item_get_string (QUARRY_JSON_ITEM (item), "title")
                        : BENCH_TODO (item)->title;

      if (g_strcmp0 (title, expected) != 0)
        g_error ("the model shows %s, not %s", title, expected);
      g_signal_handlers_disconnect_by_data (model, &figures);
      quarry_keyed_list_model_set_query (model, NULL);
    }
  quarry_query_client_clear (client);
  return figures;
}

static int
compare_seconds (gconstpointer a,
                 gconstpointer b)
{
  double x = ((const Figures *) a)->seconds, y = ((const Figures *) b)->seconds;

  return x < y ? -1 : x > y;
}

static Figures
median (Copies    *copies,
        JsonNode **lists,
        gboolean   with_model,
        GType      item_type)
{
  Figures runs[RUNS];

  run (copies, lists, with_model, item_type);
  for (guint r = 0; r < RUNS; r++)
    runs[r] = run (copies, lists, with_model, item_type);
  qsort (runs, RUNS, sizeof (Figures), compare_seconds);
  return runs[RUNS / 2];
}

int
main (int argc, char *argv[])
{
  gboolean app_type = argc > 1 && g_str_equal (argv[1], "--app-type");
  GType item_type = app_type ? BENCH_TYPE_TODO : G_TYPE_NONE;
  Copies copies = { 0, };
  Figures shared, fresh, core, core_fresh;

  prepare (&copies);

  /* W7_PROFILE=fresh (or shared, or core) runs that variant alone, for a
   * profiler. */
  if (g_getenv ("W7_PROFILE") != NULL)
    {
      const char *variant = g_getenv ("W7_PROFILE");

      for (guint r = 0; r < 20; r++)
        run (&copies, g_str_equal (variant, "fresh") ? copies.fresh : copies.shared,
             !g_str_equal (variant, "core"), item_type);
      return 0;
    }

  shared = median (&copies, copies.shared, TRUE, item_type);
  fresh = median (&copies, copies.fresh, TRUE, item_type);
  core = median (&copies, copies.shared, FALSE, item_type);
  core_fresh = median (&copies, copies.fresh, FALSE, item_type);

  g_print ("{\"workload\":\"W7-list-update\",\"side\":\"quarry\","
           "\"seconds\":%.6f,\"per_update_ms\":%.4f,"
           "\"items_changed_emissions\":%u,\"items_reported\":%u,\"notifications\":%u,"
           "\"item_type\":\"%s\","
           "\"seconds_fresh\":%.6f,\"per_update_ms_fresh\":%.4f,"
           "\"items_changed_emissions_fresh\":%u,\"notifications_fresh\":%u,"
           "\"share_seconds\":%.6f,\"core_seconds\":%.6f,\"core_seconds_fresh\":%.6f}\n",
           shared.seconds, shared.seconds * 1000 / N_UPDATES,
           shared.emissions, shared.items_reported, shared.notifications,
           app_type ? "app" : "QuarryJsonItem",
           fresh.seconds, fresh.seconds * 1000 / N_UPDATES,
           fresh.emissions, fresh.notifications,
           copies.share_seconds, core.seconds, core_fresh.seconds);

  json_node_unref (copies.initial);
  for (guint u = 0; u < N_UPDATES; u++)
    {
      json_node_unref (copies.fresh[u]);
      json_node_unref (copies.shared[u]);
    }
  return 0;
}
