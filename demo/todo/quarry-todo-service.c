/* quarry-todo-service.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "quarry-todo-service.h"

/*
 * QuarryTodoService:
 *
 * Everything the app asks of the todo server, in one place: the keys, the
 * queries and the mutations, with their optimistic updates.
 *
 * Keys:
 *
 * | key | data | request |
 * | --- | --- | --- |
 * | `["todos", {"done": …, "q": …}]` | `{"items": [...], "total": N}` | `GET /todos?done=…&q=…` |
 * | `["todos", "detail", {"id": 17}]` | the todo | `GET /todos/17` |
 * | `["todos", "all"]` | pages of 50 | `GET /todos?limit=50&cursor=…` |
 * | `["todos", "pages", 3]` | page 3 of 20 | `GET /todos?page=3&per_page=20` |
 * | `["settings"]` | the server's simulation settings | `GET /settings` |
 *
 * Every mutation of a todo runs in the scope "todos", so they reach the
 * server in the order the user made them, also after a spell offline, and
 * invalidates `["todos"]` once settled.
 *
 * Optimistic updates: the todo's own query (a singleton) is updated with a
 * declared QuarryOptimisticUpdate, which rolls itself back. The lists are
 * JSON objects holding their todos in "items", a shape the optimistic
 * helpers do not edit (they take a list or an object keyed by id), so the
 * lists are updated the TanStack way: the ::mutate handler edits every
 * cached list, and the ::error handler undoes its own edit (only the
 * members it changed), leaving other pending changes alone.
 */

struct _QuarryTodoService
{
  GObject parent_instance;

  QuarryQueryClient *client;
  QuarryHttpClient *http;

  QuarryHttpEndpoint *list_endpoint;
  QuarryHttpEndpoint *detail_endpoint;
  QuarryHttpEndpoint *all_endpoint;
  QuarryHttpEndpoint *page_endpoint;
  QuarryHttpEndpoint *settings_endpoint;

  QuarryMutation *add;
  QuarryMutation *toggle;
  QuarryMutation *rename;
  QuarryMutation *remove;
  QuarryMutation *settings;

  GNetworkMonitor *saved_monitor;
  gint64 next_temporary_id;
  guint n_paused;
};

G_DEFINE_FINAL_TYPE (QuarryTodoService, quarry_todo_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_HTTP_CLIENT,
  PROP_N_PAUSED,
  PROP_OFFLINE,
  N_PROPS
};

enum {
  SIGNAL_FAILED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define PENDING_MEMBER "pending"

/* ------------------------------------------------------------------------
 * JSON helpers
 * ------------------------------------------------------------------------ */

static QuarryKey *
key_from_json_string (const char *json)
{
  g_autoptr(GError) error = NULL;
  QuarryKey *key = quarry_key_new_from_string (json, &error);

  g_assert_no_error (error);
  return key;
}

static GValue *
json_value_new (JsonNode *node)
{
  GValue *value = g_new0 (GValue, 1);

  g_value_init (value, JSON_TYPE_NODE);
  g_value_take_boxed (value, node);
  return value;
}

static JsonObject *
json_object_of (const GValue *value)
{
  JsonNode *node;

  if (value == NULL || !G_VALUE_HOLDS (value, JSON_TYPE_NODE))
    return NULL;
  node = g_value_get_boxed (value);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* The todos of a list's data, `{"items": [...]}`, or NULL for other data. */
static JsonArray *
list_items (const GValue *value)
{
  JsonObject *object = json_object_of (value);
  JsonNode *items;

  if (object == NULL || !json_object_has_member (object, "items"))
    return NULL;
  items = json_object_get_member (object, "items");
  return JSON_NODE_HOLDS_ARRAY (items) ? json_node_get_array (items) : NULL;
}

static gint64
todo_id (JsonNode *todo)
{
  JsonObject *object;
  JsonNode *id;

  if (todo == NULL || !JSON_NODE_HOLDS_OBJECT (todo))
    return 0;
  object = json_node_get_object (todo);
  id = json_object_get_member (object, "id");
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (id);
}

static const char *
todo_title (JsonNode *todo)
{
  if (todo == NULL || !JSON_NODE_HOLDS_OBJECT (todo))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (todo), "title", NULL);
}

static gboolean
todo_done (JsonNode *todo)
{
  if (todo == NULL || !JSON_NODE_HOLDS_OBJECT (todo))
    return FALSE;
  return json_object_get_boolean_member_with_default (json_node_get_object (todo), "done", FALSE);
}

/* A copy of @todo with the members of @changes (but "id") set, and the
 * pending marker set or removed. */
static JsonNode *
todo_with (JsonNode   *todo,
           JsonObject *changes,
           gboolean    pending)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, json_node_get_object (todo));
  while (json_object_iter_next (&iter, &name, &member))
    if (!g_str_equal (name, PENDING_MEMBER))
      json_object_set_member (copy, name, json_node_ref (member));

  if (changes != NULL)
    {
      json_object_iter_init (&iter, changes);
      while (json_object_iter_next (&iter, &name, &member))
        if (!g_str_equal (name, "id") && !g_str_equal (name, PENDING_MEMBER))
          json_object_set_member (copy, name, json_node_ref (member));
    }

  if (pending)
    json_object_set_boolean_member (copy, PENDING_MEMBER, TRUE);

  return json_node_init_object (json_node_alloc (), copy);
}

/**
 * quarry_todo_service_find_todo:
 * @list_data: (nullable): the data of a list query
 * @id: a todo id
 *
 * Finds the todo @id in a list's data.
 *
 * Returns: (transfer none) (nullable): the todo, or `NULL`
 */
JsonNode *
quarry_todo_service_find_todo (const GValue *list_data,
                               gint64        id)
{
  JsonArray *items = list_items (list_data);

  if (items == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *todo = json_array_get_element (items, i);

      if (todo_id (todo) == id)
        return todo;
    }
  return NULL;
}

/* Whether the list of @key, `["todos", {"done": …, "q": …}]`, shows @todo. */
static gboolean
list_key_accepts (QuarryKey *key,
                  JsonNode  *todo)
{
  g_autoptr(JsonNode) filter = NULL;
  JsonObject *object;
  JsonNode *done;
  const char *search;

  if (quarry_key_get_length (key) != 2)
    return FALSE;
  filter = quarry_key_dup_segment (key, 1);
  if (!JSON_NODE_HOLDS_OBJECT (filter))
    return FALSE;
  object = json_node_get_object (filter);

  done = json_object_get_member (object, "done");
  if (done != NULL && JSON_NODE_HOLDS_VALUE (done) &&
      json_node_get_value_type (done) == G_TYPE_BOOLEAN &&
      json_node_get_boolean (done) != todo_done (todo))
    return FALSE;

  search = json_object_get_string_member_with_default (object, "q", NULL);
  if (search != NULL && search[0] != '\0')
    {
      g_autofree char *folded_search = g_utf8_casefold (search, -1);
      g_autofree char *folded_title = g_utf8_casefold (todo_title (todo) ? todo_title (todo) : "", -1);

      if (strstr (folded_title, folded_search) == NULL)
        return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Editing every cached list
 * ------------------------------------------------------------------------ */

typedef enum
{
  EDIT_INSERT,     /* add @todo to the lists that show it, at the end */
  EDIT_REINSERT,   /* add @todo back to the lists that show it, in id order */
  EDIT_PATCH,      /* set @changes on the todo @id, and the pending marker */
  EDIT_REPLACE,    /* replace the todo @id with @todo */
  EDIT_REMOVE,     /* remove the todo @id */
} EditKind;

typedef struct
{
  EditKind kind;
  gint64 id;
  JsonNode *todo;
  JsonObject *changes;
  gboolean pending;
} Edit;

/* @items edited, or NULL when @edit changes nothing in them. */
static JsonArray *
edit_items (const Edit *edit,
            QuarryKey  *key,
            JsonArray  *items,
            int        *total_delta)
{
  guint n = json_array_get_length (items);
  g_autoptr(JsonArray) result = json_array_sized_new (n + 1);
  gboolean changed = FALSE;
  gboolean inserted = FALSE;
  gint64 new_id = edit->todo != NULL ? todo_id (edit->todo) : 0;

  *total_delta = 0;

  if (edit->kind == EDIT_INSERT || edit->kind == EDIT_REINSERT)
    {
      if (!list_key_accepts (key, edit->todo))
        return NULL;
      for (guint i = 0; i < n; i++)
        if (todo_id (json_array_get_element (items, i)) == new_id)
          return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *todo = json_array_get_element (items, i);
      gint64 id = todo_id (todo);

      if (edit->kind == EDIT_REINSERT && !inserted && id > new_id)
        {
          json_array_add_element (result, json_node_ref (edit->todo));
          inserted = changed = TRUE;
          *total_delta = 1;
        }

      if (id == edit->id && edit->kind == EDIT_PATCH)
        {
          json_array_add_element (result, todo_with (todo, edit->changes, edit->pending));
          changed = TRUE;
        }
      else if (id == edit->id && edit->kind == EDIT_REPLACE)
        {
          json_array_add_element (result, json_node_ref (edit->todo));
          changed = TRUE;
        }
      else if (id == edit->id && edit->kind == EDIT_REMOVE)
        {
          changed = TRUE;
          *total_delta = -1;
        }
      else
        json_array_add_element (result, json_node_ref (todo));
    }

  if ((edit->kind == EDIT_INSERT || edit->kind == EDIT_REINSERT) && !inserted)
    {
      json_array_add_element (result, json_node_ref (edit->todo));
      changed = TRUE;
      *total_delta = 1;
    }

  return changed ? g_steal_pointer (&result) : NULL;
}

/* @list (a JSON object) with @items in place of its items, and its total
 * moved by @total_delta. */
static JsonNode *
list_with_items (JsonObject *list,
                 JsonArray  *items,
                 int         total_delta)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, list);
  while (json_object_iter_next (&iter, &name, &member))
    {
      if (g_str_equal (name, "items"))
        json_object_set_array_member (copy, name, json_array_ref (items));
      else if (g_str_equal (name, "total") && JSON_NODE_HOLDS_VALUE (member) &&
               json_node_get_value_type (member) == G_TYPE_INT64)
        json_object_set_int_member (copy, name, MAX (0, json_node_get_int (member) + total_delta));
      else
        json_object_set_member (copy, name, json_node_ref (member));
    }

  return json_node_init_object (json_node_alloc (), copy);
}

static void
edit_lists (QuarryTodoService *self,
            const Edit        *edit)
{
  g_autoptr(QuarryKey) prefix = key_from_json_string ("[\"todos\"]");
  g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (prefix);
  g_autoptr(GPtrArray) keys = quarry_query_client_find_keys (self->client, filter);

  for (guint i = 0; i < keys->len; i++)
    {
      QuarryKey *key = g_ptr_array_index (keys, i);
      g_autoptr(QuarryQueryState) state = NULL;
      g_autoptr(JsonArray) items = NULL;
      g_auto(GValue) value = G_VALUE_INIT;
      g_autoptr(GError) error = NULL;
      const GValue *data;
      int total_delta;

      data = quarry_query_client_get_query_data (self->client, key);
      if (list_items (data) == NULL)
        continue;
      items = edit_items (edit, key, list_items (data), &total_delta);
      if (items == NULL)
        continue;

      /* A refetch in flight would bring back what the server had before
       * the change: drop it, as TanStack's guide does in onMutate, and
       * edit what the list had before it started. The invalidation once
       * the mutation settles fetches again. */
      state = quarry_query_client_get_query_state (self->client, key);
      if (state != NULL && quarry_query_state_get_fetch_status (state) != QUARRY_FETCH_STATUS_IDLE)
        {
          g_autoptr(QuarryQueryFilter) exact = quarry_query_filter_new (key);

          quarry_query_filter_set_exact (exact, TRUE);
          quarry_query_client_cancel_queries (self->client, exact);
          g_clear_pointer (&items, json_array_unref);
          data = quarry_query_client_get_query_data (self->client, key);
          if (list_items (data) == NULL)
            continue;
          items = edit_items (edit, key, list_items (data), &total_delta);
          if (items == NULL)
            continue;
        }

      g_value_init (&value, JSON_TYPE_NODE);
      g_value_take_boxed (&value, list_with_items (json_object_of (data), items, total_delta));
      if (!quarry_query_client_set_query_data (self->client, key, &value, &error))
        g_warning ("Cannot update the cached list %s: %s", quarry_key_to_string (key), error->message);
    }
}

/* The todo @id as the cache has it, from a list or its own query. */
static JsonNode *
lookup_cached_todo (QuarryTodoService *self,
                    gint64             id)
{
  g_autoptr(QuarryKey) prefix = key_from_json_string ("[\"todos\"]");
  g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (prefix);
  g_autoptr(GPtrArray) keys = quarry_query_client_find_keys (self->client, filter);
  g_autoptr(QuarryKey) detail_key = quarry_todo_service_detail_key (id);
  JsonObject *detail;

  for (guint i = 0; i < keys->len; i++)
    {
      JsonNode *todo = quarry_todo_service_find_todo (quarry_query_client_get_query_data (self->client,
                                                                                      g_ptr_array_index (keys, i)),
                                                  id);

      if (todo != NULL)
        return json_node_ref (todo);
    }

  detail = json_object_of (quarry_query_client_get_query_data (self->client, detail_key));
  if (detail != NULL)
    return json_node_init_object (json_node_alloc (), detail);

  return NULL;
}

/* ------------------------------------------------------------------------
 * Mutation variables and contexts
 * ------------------------------------------------------------------------ */

static JsonObject *
variables_object (const GValue *variables)
{
  JsonObject *object = json_object_of (variables);

  g_assert (object != NULL);
  return object;
}

static GValue *
context_new (const char *title,
             JsonObject *members)
{
  JsonObject *context = members != NULL ? json_object_ref (members) : json_object_new ();

  if (title != NULL)
    json_object_set_string_member (context, "title", title);
  return json_value_new (json_node_init_object (json_node_alloc (), context));
}

static const char *
context_title (const GValue *context)
{
  JsonObject *object = json_object_of (context);

  return object != NULL ? json_object_get_string_member_with_default (object, "title", "") : "";
}

static void
emit_failed (QuarryTodoService *self,
             const char        *message)
{
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, message);
}

/* Add. */

static GValue *
add_mutate_cb (QuarryMutation    *mutation,
               const GValue      *variables,
               QuarryTodoService *self)
{
  JsonObject *vars = variables_object (variables);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *timestamp = g_date_time_format_iso8601 (now);
  g_autoptr(JsonObject) context = json_object_new ();
  g_autoptr(JsonObject) todo = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  gint64 temporary_id = self->next_temporary_id--;
  Edit edit = { EDIT_INSERT };

  /* Shown at once with a temporary negative id; the server's todo takes
   * its place once created. */
  json_object_set_int_member (todo, "id", temporary_id);
  json_object_set_string_member (todo, "title", json_object_get_string_member (vars, "title"));
  json_object_set_boolean_member (todo, "done", json_object_get_boolean_member_with_default (vars, "done", FALSE));
  json_object_set_string_member (todo, "created_at", timestamp);
  json_object_set_string_member (todo, "updated_at", timestamp);
  json_object_set_boolean_member (todo, PENDING_MEMBER, TRUE);
  node = json_node_init_object (json_node_alloc (), todo);

  edit.todo = node;
  edit_lists (self, &edit);

  json_object_set_int_member (context, "temporary_id", temporary_id);
  return context_new (json_object_get_string_member (vars, "title"), context);
}

static void
add_success_cb (QuarryMutation    *mutation,
                const GValue      *data,
                const GValue      *variables,
                const GValue      *context,
                QuarryTodoService *self)
{
  Edit edit = { EDIT_REPLACE };

  if (json_object_of (data) == NULL)
    return;
  edit.id = json_object_get_int_member (json_object_of (context), "temporary_id");
  edit.todo = g_value_get_boxed (data);
  edit_lists (self, &edit);
}

static void
add_error_cb (QuarryMutation    *mutation,
              const GError      *error,
              const GValue      *variables,
              const GValue      *context,
              QuarryTodoService *self)
{
  g_autofree char *message = NULL;
  Edit edit = { EDIT_REMOVE };

  edit.id = json_object_get_int_member (json_object_of (context), "temporary_id");
  edit_lists (self, &edit);

  /* Translators: the first %s is a todo's title, the second why adding it failed. */
  message = g_strdup_printf (_("Could not add “%s”: %s"), context_title (context), error->message);
  emit_failed (self, message);
}

/* Toggle and rename: a PATCH of some members. */

static GValue *
patch_mutate_cb (QuarryMutation    *mutation,
                 const GValue      *variables,
                 QuarryTodoService *self)
{
  JsonObject *vars = variables_object (variables);
  gint64 id = json_object_get_int_member (vars, "id");
  g_autoptr(JsonNode) cached = lookup_cached_todo (self, id);
  g_autoptr(JsonObject) previous = json_object_new ();
  g_autoptr(JsonObject) context = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  Edit edit = { EDIT_PATCH };

  /* What the change replaces, to put back if it fails. */
  if (cached != NULL)
    {
      json_object_iter_init (&iter, vars);
      while (json_object_iter_next (&iter, &name, &member))
        if (!g_str_equal (name, "id") && json_object_has_member (json_node_get_object (cached), name))
          json_object_set_member (previous, name,
                                  json_object_dup_member (json_node_get_object (cached), name));
    }

  edit.id = id;
  edit.changes = vars;
  edit.pending = TRUE;
  edit_lists (self, &edit);

  json_object_set_object_member (context, "previous", g_steal_pointer (&previous));
  return context_new (cached != NULL ? todo_title (cached) : json_object_get_string_member_with_default (vars, "title", ""),
                      context);
}

static void
patch_success_cb (QuarryMutation    *mutation,
                  const GValue      *data,
                  const GValue      *variables,
                  const GValue      *context,
                  QuarryTodoService *self)
{
  Edit edit = { EDIT_PATCH };

  if (json_object_of (data) == NULL)
    return;
  edit.id = todo_id (g_value_get_boxed (data));
  edit.changes = json_object_of (data);
  edit.pending = FALSE;
  edit_lists (self, &edit);
}

static void
patch_rollback (QuarryTodoService *self,
                const GValue      *variables,
                const GValue      *context)
{
  Edit edit = { EDIT_PATCH };

  edit.id = json_object_get_int_member (variables_object (variables), "id");
  edit.changes = json_object_get_object_member (json_object_of (context), "previous");
  edit.pending = FALSE;
  edit_lists (self, &edit);
}

static void
toggle_error_cb (QuarryMutation    *mutation,
                 const GError      *error,
                 const GValue      *variables,
                 const GValue      *context,
                 QuarryTodoService *self)
{
  g_autofree char *message = NULL;

  patch_rollback (self, variables, context);

  if (json_object_get_boolean_member (variables_object (variables), "done"))
    /* Translators: the first %s is a todo's title, the second why the change failed. */
    message = g_strdup_printf (_("Could not mark “%s” as done: %s"), context_title (context), error->message);
  else
    /* Translators: the first %s is a todo's title, the second why the change failed. */
    message = g_strdup_printf (_("Could not mark “%s” as not done: %s"), context_title (context), error->message);
  emit_failed (self, message);
}

static void
rename_error_cb (QuarryMutation    *mutation,
                 const GError      *error,
                 const GValue      *variables,
                 const GValue      *context,
                 QuarryTodoService *self)
{
  g_autofree char *message = NULL;

  patch_rollback (self, variables, context);

  /* Translators: the first %s is a todo's title, the second why renaming it failed. */
  message = g_strdup_printf (_("Could not rename “%s”: %s"), context_title (context), error->message);
  emit_failed (self, message);
}

/* Delete. */

static GValue *
remove_mutate_cb (QuarryMutation    *mutation,
                  const GValue      *variables,
                  QuarryTodoService *self)
{
  gint64 id = json_object_get_int_member (variables_object (variables), "id");
  g_autoptr(JsonNode) cached = lookup_cached_todo (self, id);
  g_autoptr(JsonObject) context = json_object_new ();
  Edit edit = { EDIT_REMOVE };

  edit.id = id;
  edit_lists (self, &edit);

  if (cached != NULL)
    json_object_set_member (context, "previous", todo_with (cached, NULL, FALSE));
  return context_new (cached != NULL ? todo_title (cached) : NULL, context);
}

static void
remove_error_cb (QuarryMutation    *mutation,
                 const GError      *error,
                 const GValue      *variables,
                 const GValue      *context,
                 QuarryTodoService *self)
{
  JsonObject *object = json_object_of (context);
  g_autofree char *message = NULL;

  if (json_object_has_member (object, "previous"))
    {
      Edit edit = { EDIT_REINSERT };

      edit.todo = json_object_get_member (object, "previous");
      edit_lists (self, &edit);
    }

  /* Translators: the first %s is a todo's title, the second why deleting it failed. */
  message = g_strdup_printf (_("Could not delete “%s”: %s"), context_title (context), error->message);
  emit_failed (self, message);
}

/* The todo's own query: a declared optimistic update. */

static QuarryKey *
detail_key_func (const GValue *variables,
                 gpointer      user_data)
{
  QuarryTodoService *self = user_data;
  JsonObject *vars = json_object_of (variables);
  g_autoptr(QuarryKey) key = NULL;

  if (vars == NULL || !json_object_has_member (vars, "id"))
    return NULL;

  /* Only a todo shown on its own has a query to update. */
  key = quarry_todo_service_detail_key (json_object_get_int_member (vars, "id"));
  if (json_object_of (quarry_query_client_get_query_data (self->client, key)) == NULL)
    return NULL;
  return g_steal_pointer (&key);
}

static void
detail_value_func (const GValue  *variables,
                   GValue        *value,
                   gpointer       user_data,
                   GError       **error)
{
  QuarryTodoService *self = user_data;
  JsonObject *vars = json_object_of (variables);
  g_autoptr(QuarryKey) key = quarry_todo_service_detail_key (json_object_get_int_member (vars, "id"));
  JsonObject *cached = json_object_of (quarry_query_client_get_query_data (self->client, key));
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), cached != NULL ? cached : vars);

  /* Without a cached todo the key function skips the update. */
  g_value_init (value, JSON_TYPE_NODE);
  g_value_take_boxed (value, todo_with (node, vars, FALSE));
}

/* Settings. */

static void
settings_success_cb (QuarryMutation    *mutation,
                     const GValue      *data,
                     const GValue      *variables,
                     const GValue      *context,
                     QuarryTodoService *self)
{
  g_autoptr(QuarryKey) key = key_from_json_string ("[\"settings\"]");
  g_autoptr(GError) error = NULL;

  if (json_object_of (data) != NULL &&
      !quarry_query_client_set_query_data (self->client, key, data, &error))
    g_warning ("Cannot cache the settings: %s", error->message);
}

static void
settings_error_cb (QuarryMutation    *mutation,
                   const GError      *error,
                   const GValue      *variables,
                   const GValue      *context,
                   QuarryTodoService *self)
{
  g_autofree char *message = NULL;

  /* Translators: %s is why the change failed. */
  message = g_strdup_printf (_("Could not change the simulation settings: %s"), error->message);
  emit_failed (self, message);
}

/* Paused runs. */

static void
update_n_paused (QuarryTodoService *self)
{
  g_autoptr(GPtrArray) states = quarry_query_client_find_mutations (self->client, NULL);
  guint n_paused = 0;

  for (guint i = 0; i < states->len; i++)
    if (quarry_mutation_state_get_is_paused (g_ptr_array_index (states, i)) &&
        quarry_mutation_state_get_status (g_ptr_array_index (states, i)) == QUARRY_MUTATION_STATUS_PENDING)
      n_paused++;

  if (self->n_paused == n_paused)
    return;
  self->n_paused = n_paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAUSED]);
}

static void
mutations_changed_cb (QuarryTodoService *self)
{
  update_n_paused (self);
}

static void
online_changed_cb (QuarryTodoService *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

/* ------------------------------------------------------------------------
 * The object
 * ------------------------------------------------------------------------ */

static QuarryMutation *
todo_mutation_new (QuarryTodoService  *self,
                   const char         *name,
                   QuarryHttpEndpoint *endpoint)
{
  g_autofree char *key_json = g_strdup_printf ("[\"todos\", \"%s\"]", name);
  g_autoptr(QuarryKey) mutation_key = key_from_json_string (key_json);
  g_autoptr(QuarryKey) todos = key_from_json_string ("[\"todos\"]");
  QuarryMutation *mutation;
  QuarryMutationOptions *options;

  mutation = quarry_mutation_new (self->client, mutation_key, quarry_http_mutation_func,
                                  g_object_ref (endpoint), g_object_unref);
  options = quarry_mutation_get_options (mutation);
  g_object_set (options, "scope-id", "todos", NULL);
  quarry_mutation_options_add_invalidate_key (options, todos);
  return mutation;
}

static void
add_detail_update (QuarryTodoService *self,
                   QuarryMutation    *mutation)
{
  g_autoptr(QuarryKey) detail = key_from_json_string ("[\"todos\", \"detail\"]");
  g_autoptr(QuarryOptimisticUpdate) update = quarry_optimistic_update_new (QUARRY_OPTIMISTIC_SET, detail);

  quarry_optimistic_update_set_key_func (update, detail_key_func, self, NULL);
  quarry_optimistic_update_set_value_func (update, detail_value_func, self, NULL);
  quarry_optimistic_update_set_updating_member (update, PENDING_MEMBER);
  quarry_mutation_options_add_optimistic_update (quarry_mutation_get_options (mutation), update);
}

static void
quarry_todo_service_constructed (GObject *object)
{
  QuarryTodoService *self = (QuarryTodoService *)object;
  g_autoptr(QuarryHttpEndpoint) create = NULL;
  g_autoptr(QuarryHttpEndpoint) patch = NULL;
  g_autoptr(QuarryHttpEndpoint) delete = NULL;
  g_autoptr(QuarryHttpEndpoint) patch_settings = NULL;
  g_autoptr(QuarryKey) settings_key = key_from_json_string ("[\"settings\"]");
  g_autofree char *page_template = NULL;
  g_autofree char *all_template = NULL;

  G_OBJECT_CLASS (quarry_todo_service_parent_class)->constructed (object);

  g_assert (self->client != NULL && self->http != NULL);

  all_template = g_strdup_printf ("/todos?limit=%d&cursor={pageParam}", QUARRY_TODO_LIST_PAGE_SIZE);
  page_template = g_strdup_printf ("/todos?page={2}&per_page=%d", QUARRY_TODO_PAGE_SIZE);

  self->list_endpoint = quarry_http_client_endpoint (self->http, "GET", "/todos");
  self->detail_endpoint = quarry_http_client_endpoint (self->http, "GET", "/todos/{id}");
  self->all_endpoint = quarry_http_client_endpoint (self->http, "GET", all_template);
  self->page_endpoint = quarry_http_client_endpoint (self->http, "GET", page_template);
  self->settings_endpoint = quarry_http_client_endpoint (self->http, "GET", "/settings");

  create = quarry_http_client_endpoint (self->http, "POST", "/todos");
  patch = quarry_http_client_endpoint (self->http, "PATCH", "/todos/{id}");
  delete = quarry_http_client_endpoint (self->http, "DELETE", "/todos/{id}");
  patch_settings = quarry_http_client_endpoint (self->http, "PATCH", "/settings");

  self->add = todo_mutation_new (self, "add", create);
  g_signal_connect_object (self->add, "mutate", G_CALLBACK (add_mutate_cb), self, 0);
  g_signal_connect_object (self->add, "success", G_CALLBACK (add_success_cb), self, 0);
  g_signal_connect_object (self->add, "error", G_CALLBACK (add_error_cb), self, 0);

  self->toggle = todo_mutation_new (self, "toggle", patch);
  add_detail_update (self, self->toggle);
  g_signal_connect_object (self->toggle, "mutate", G_CALLBACK (patch_mutate_cb), self, 0);
  g_signal_connect_object (self->toggle, "success", G_CALLBACK (patch_success_cb), self, 0);
  g_signal_connect_object (self->toggle, "error", G_CALLBACK (toggle_error_cb), self, 0);

  self->rename = todo_mutation_new (self, "rename", patch);
  add_detail_update (self, self->rename);
  g_signal_connect_object (self->rename, "mutate", G_CALLBACK (patch_mutate_cb), self, 0);
  g_signal_connect_object (self->rename, "success", G_CALLBACK (patch_success_cb), self, 0);
  g_signal_connect_object (self->rename, "error", G_CALLBACK (rename_error_cb), self, 0);

  self->remove = todo_mutation_new (self, "delete", delete);
  g_signal_connect_object (self->remove, "mutate", G_CALLBACK (remove_mutate_cb), self, 0);
  g_signal_connect_object (self->remove, "error", G_CALLBACK (remove_error_cb), self, 0);

  /* The simulation settings are not the user's data: they apply at once,
   * in order, even while the app plays offline. */
  self->settings = quarry_mutation_new (self->client, settings_key, quarry_http_mutation_func,
                                        g_object_ref (patch_settings), g_object_unref);
  g_object_set (quarry_mutation_get_options (self->settings),
                "scope-id", "settings",
                "network-mode", QUARRY_NETWORK_MODE_ALWAYS,
                NULL);
  g_signal_connect_object (self->settings, "success", G_CALLBACK (settings_success_cb), self, 0);
  g_signal_connect_object (self->settings, "error", G_CALLBACK (settings_error_cb), self, 0);

  g_signal_connect_object (self->client, "mutation-added", G_CALLBACK (mutations_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "mutation-removed", G_CALLBACK (mutations_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "mutation-updated", G_CALLBACK (mutations_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::online", G_CALLBACK (online_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
quarry_todo_service_dispose (GObject *object)
{
  QuarryTodoService *self = (QuarryTodoService *)object;

  g_clear_object (&self->add);
  g_clear_object (&self->toggle);
  g_clear_object (&self->rename);
  g_clear_object (&self->remove);
  g_clear_object (&self->settings);
  g_clear_object (&self->list_endpoint);
  g_clear_object (&self->detail_endpoint);
  g_clear_object (&self->all_endpoint);
  g_clear_object (&self->page_endpoint);
  g_clear_object (&self->settings_endpoint);
  g_clear_object (&self->http);
  g_clear_object (&self->client);
  g_clear_object (&self->saved_monitor);

  G_OBJECT_CLASS (quarry_todo_service_parent_class)->dispose (object);
}

static void
quarry_todo_service_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  QuarryTodoService *self = QUARRY_TODO_SERVICE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_HTTP_CLIENT:
      g_value_set_object (value, self->http);
      break;
    case PROP_N_PAUSED:
      g_value_set_uint (value, self->n_paused);
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, quarry_todo_service_get_offline (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_service_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  QuarryTodoService *self = QUARRY_TODO_SERVICE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_HTTP_CLIENT:
      self->http = g_value_dup_object (value);
      break;
    case PROP_OFFLINE:
      quarry_todo_service_set_offline (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_service_class_init (QuarryTodoServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = quarry_todo_service_constructed;
  object_class->dispose = quarry_todo_service_dispose;
  object_class->get_property = quarry_todo_service_get_property;
  object_class->set_property = quarry_todo_service_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         QUARRY_TYPE_QUERY_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HTTP_CLIENT] =
    g_param_spec_object ("http-client", NULL, NULL,
                         QUARRY_TYPE_HTTP_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* How many changes wait to be sent: offline, or queued behind another. */
  properties[PROP_N_PAUSED] =
    g_param_spec_uint ("n-paused", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Whether the client is offline, by the user's choice (the simulation)
   * or because the network went away. */
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted with a translated message when a change failed and was
   * rolled back. */
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
quarry_todo_service_init (QuarryTodoService *self)
{
  self->next_temporary_id = -1;
}

QuarryTodoService *
quarry_todo_service_new (QuarryQueryClient *client,
                         const char        *base_uri)
{
  g_autoptr(QuarryHttpClient) http = NULL;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (client), NULL);
  g_return_val_if_fail (base_uri != NULL, NULL);

  http = quarry_http_client_new (base_uri);
  quarry_http_client_set_user_agent (http, "quarry-todo/" PACKAGE_VERSION);

  return g_object_new (QUARRY_TYPE_TODO_SERVICE,
                       "client", client,
                       "http-client", http,
                       NULL);
}

QuarryQueryClient *
quarry_todo_service_get_client (QuarryTodoService *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVICE (self), NULL);
  return self->client;
}

QuarryHttpClient *
quarry_todo_service_get_http_client (QuarryTodoService *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVICE (self), NULL);
  return self->http;
}

guint
quarry_todo_service_get_n_paused (QuarryTodoService *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVICE (self), 0);
  return self->n_paused;
}

gboolean
quarry_todo_service_get_offline (QuarryTodoService *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVICE (self), FALSE);
  return !quarry_query_client_get_online (self->client);
}

/**
 * quarry_todo_service_set_offline:
 * @self: the service
 * @offline: whether to play offline
 *
 * Sets the client offline: queries and changes pause; or online again:
 * the paused changes are sent, in order. While offline by choice, the
 * client stops following the system's network monitor, which would set it
 * online again; back online, it follows it again.
 */
void
quarry_todo_service_set_offline (QuarryTodoService *self,
                                 gboolean           offline)
{
  g_return_if_fail (QUARRY_IS_TODO_SERVICE (self));

  if (offline)
    {
      if (self->saved_monitor == NULL)
        g_set_object (&self->saved_monitor, quarry_query_client_get_network_monitor (self->client));
      quarry_query_client_set_network_monitor (self->client, NULL);
      quarry_query_client_set_online (self->client, FALSE);
    }
  else
    {
      g_autoptr(GNetworkMonitor) monitor = g_steal_pointer (&self->saved_monitor);

      quarry_query_client_set_online (self->client, TRUE);
      if (monitor != NULL)
        quarry_query_client_set_network_monitor (self->client, monitor);
    }
}

/**
 * quarry_todo_service_list_key:
 * @search: (nullable): text the titles contain, or `NULL`
 * @filter: which todos
 *
 * Returns: (transfer full): `["todos", {"done": …, "q": …}]`, with null
 *   members for no condition (left out of the request)
 */
QuarryKey *
quarry_todo_service_list_key (const char       *search,
                              QuarryTodoFilter  filter)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  QuarryKey *key;

  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "todos");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "done");
  if (filter == QUARRY_TODO_FILTER_ALL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_boolean_value (builder, filter == QUARRY_TODO_FILTER_DONE);
  json_builder_set_member_name (builder, "q");
  if (search != NULL && search[0] != '\0')
    json_builder_add_string_value (builder, search);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  node = json_builder_get_root (builder);
  key = quarry_key_new_from_json (node, &error);
  g_assert_no_error (error);
  return key;
}

/**
 * quarry_todo_service_detail_key:
 * @id: a todo id
 *
 * Returns: (transfer full): `["todos", "detail", {"id": @id}]`
 */
QuarryKey *
quarry_todo_service_detail_key (gint64 id)
{
  g_autofree char *json = g_strdup_printf ("[\"todos\", \"detail\", {\"id\": %" G_GINT64_FORMAT "}]", id);

  return key_from_json_string (json);
}

/**
 * quarry_todo_service_new_list_query:
 * @self: the service
 * @key: a key from quarry_todo_service_list_key()
 *
 * A list of todos. A new key keeps the previous list on show while its
 * own loads, so typing in the search entry does not flash the list.
 *
 * Returns: (transfer full): a new query
 */
QuarryQuery *
quarry_todo_service_new_list_query (QuarryTodoService *self,
                                    QuarryKey         *key)
{
  QuarryQuery *query;

  g_return_val_if_fail (QUARRY_IS_TODO_SERVICE (self), NULL);

  query = quarry_query_new (self->client, key, quarry_http_fetch_func,
                            g_object_ref (self->list_endpoint), g_object_unref);
  quarry_query_set_keep_previous_data (query, TRUE);
  return query;
}

/**
 * quarry_todo_service_new_detail_query:
 * @self: the service
 *
 * One todo; without a key until the app sets quarry_todo_service_detail_key().
 *
 * Returns: (transfer full): a new query
 */
QuarryQuery *
quarry_todo_service_new_detail_query (QuarryTodoService *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_SERVICE (self), NULL);

  return quarry_query_new (self->client, NULL, quarry_http_fetch_func,
                           g_object_ref (self->detail_endpoint), g_object_unref);
}

static void
next_cursor (const GValue        *page,
             QuarryInfiniteData  *data,
             const GValue        *page_param,
             GValue              *param,
             gpointer             user_data,
             GError             **error)
{
  JsonObject *object = json_object_of (page);
  JsonNode *cursor;

  if (object == NULL || !json_object_has_member (object, "next_cursor"))
    return;
  cursor = json_object_get_member (object, "next_cursor");
  if (JSON_NODE_HOLDS_NULL (cursor))
    return;
  g_value_init (param, JSON_TYPE_NODE);
  g_value_set_boxed (param, cursor);
}

/**
 * quarry_todo_service_new_all_query:
 * @self: the service
 *
 * Every todo, 50 at a time, following the server's cursors.
 *
 * Returns: (transfer full): a new infinite query
 */
QuarryInfiniteQuery *
quarry_todo_service_new_all_query (QuarryTodoService *self)
{
  g_autoptr(QuarryKey) key = key_from_json_string ("[\"todos\", \"all\"]");
  QuarryInfiniteQuery *query;

  g_return_val_if_fail (QUARRY_IS_TODO_SERVICE (self), NULL);

  query = quarry_infinite_query_new (self->client, key, quarry_http_fetch_func,
                                     g_object_ref (self->all_endpoint), g_object_unref);
  quarry_infinite_query_set_next_page_param_func (query, next_cursor, NULL, NULL);
  quarry_infinite_query_set_items_member (query, "items");
  return query;
}

/**
 * quarry_todo_service_new_page_query:
 * @self: the service
 *
 * One page of 20 todos, `["todos", "pages", 1]` first; a
 * QuarryPaginationBar with the base key `["todos", "pages"]` moves it.
 *
 * Returns: (transfer full): a new query
 */
QuarryQuery *
quarry_todo_service_new_page_query (QuarryTodoService *self)
{
  g_autoptr(QuarryKey) key = key_from_json_string ("[\"todos\", \"pages\", 1]");

  g_return_val_if_fail (QUARRY_IS_TODO_SERVICE (self), NULL);

  return quarry_query_new (self->client, key, quarry_http_fetch_func,
                           g_object_ref (self->page_endpoint), g_object_unref);
}

/**
 * quarry_todo_service_new_settings_query:
 * @self: the service
 *
 * The server's simulation settings, `{"latency_ms": 0, "fail_rate": 0.0}`.
 *
 * Returns: (transfer full): a new query
 */
QuarryQuery *
quarry_todo_service_new_settings_query (QuarryTodoService *self)
{
  g_autoptr(QuarryKey) key = key_from_json_string ("[\"settings\"]");
  QuarryQuery *query;

  g_return_val_if_fail (QUARRY_IS_TODO_SERVICE (self), NULL);

  query = quarry_query_new (self->client, key, quarry_http_fetch_func,
                            g_object_ref (self->settings_endpoint), g_object_unref);
  /* Not the user's data: the panel works while the app plays offline. */
  g_object_set (query, "network-mode", QUARRY_NETWORK_MODE_ALWAYS, NULL);
  return query;
}

static void
mutate_json (QuarryMutation *mutation,
             JsonObject     *variables)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, JSON_TYPE_NODE);
  g_value_take_boxed (&value, json_node_init_object (json_node_alloc (), variables));
  quarry_mutation_mutate (mutation, &value, NULL, NULL, NULL);
}

/**
 * quarry_todo_service_add:
 * @self: the service
 * @title: the new todo's title
 *
 * Creates a todo; it shows at once in the lists that show it, with a
 * temporary negative id.
 */
void
quarry_todo_service_add (QuarryTodoService *self,
                         const char        *title)
{
  g_autoptr(JsonObject) variables = json_object_new ();

  g_return_if_fail (QUARRY_IS_TODO_SERVICE (self));
  g_return_if_fail (title != NULL);

  json_object_set_string_member (variables, "title", title);
  json_object_set_boolean_member (variables, "done", FALSE);
  mutate_json (self->add, variables);
}

void
quarry_todo_service_set_done (QuarryTodoService *self,
                              gint64             id,
                              gboolean           done)
{
  g_autoptr(JsonObject) variables = json_object_new ();

  g_return_if_fail (QUARRY_IS_TODO_SERVICE (self));
  g_return_if_fail (id > 0);

  json_object_set_int_member (variables, "id", id);
  json_object_set_boolean_member (variables, "done", done);
  mutate_json (self->toggle, variables);
}

void
quarry_todo_service_set_title (QuarryTodoService *self,
                               gint64             id,
                               const char        *title)
{
  g_autoptr(JsonObject) variables = json_object_new ();

  g_return_if_fail (QUARRY_IS_TODO_SERVICE (self));
  g_return_if_fail (id > 0);
  g_return_if_fail (title != NULL);

  json_object_set_int_member (variables, "id", id);
  json_object_set_string_member (variables, "title", title);
  mutate_json (self->rename, variables);
}

void
quarry_todo_service_delete (QuarryTodoService *self,
                            gint64             id)
{
  g_autoptr(JsonObject) variables = json_object_new ();

  g_return_if_fail (QUARRY_IS_TODO_SERVICE (self));
  g_return_if_fail (id > 0);

  json_object_set_int_member (variables, "id", id);
  mutate_json (self->remove, variables);
}

/**
 * quarry_todo_service_update_settings:
 * @self: the service
 * @latency_ms: how long the server waits before answering, 0 to 10000
 * @fail_rate: the fraction of requests the server fails, 0 to 1
 *
 * Changes the server's simulation with `PATCH /settings`.
 */
void
quarry_todo_service_update_settings (QuarryTodoService *self,
                                     guint              latency_ms,
                                     double             fail_rate)
{
  g_autoptr(JsonObject) variables = json_object_new ();

  g_return_if_fail (QUARRY_IS_TODO_SERVICE (self));

  json_object_set_int_member (variables, "latency_ms", MIN (latency_ms, 10000));
  json_object_set_double_member (variables, "fail_rate", CLAMP (fail_rate, 0.0, 1.0));
  mutate_json (self->settings, variables);
}
