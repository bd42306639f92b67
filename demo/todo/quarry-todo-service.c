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
 * Optimistic updates are declared once per mutation
 * (QuarryOptimisticUpdate): each run changes every cached list under
 * `["todos"]` (the todos in "items", counted in "total") and the todo's own
 * query, rolls back only its own change when it fails, and commits the
 * server's todo when it succeeds. A refetch that lands meanwhile shows the
 * server's lists with the pending changes still on top.
 *
 * A new todo shows at once with a temporary negative id, and can be
 * changed and deleted before the server created it: the changes run after
 * the creation (same scope), and their mutation function sends them to the
 * id the server gave it.
 *
 * The variables of a run are a JSON object: the todo's `id`, the changed
 * members (`title`, `done`), and `subject`, the title the user saw, for
 * the messages; only the todo's members reach the server.
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

  /* Temporary id → the server's id, shared with the mutation functions. */
  GHashTable *created_ids;
  GNetworkMonitor *saved_monitor;
  gint64 next_temporary_id;
  guint n_paused;
};

G_DEFINE_FINAL_TYPE (QuarryTodoService, quarry_todo_service, G_TYPE_OBJECT)

G_DEFINE_QUARK (quarry-todo-service-error-quark, quarry_todo_service_error)

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
  SIGNAL_CREATED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define PENDING_MEMBER "pending"
#define SUBJECT_MEMBER "subject"

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

static void
json_value_take_object (GValue     *value,
                        JsonObject *object)
{
  g_value_init (value, JSON_TYPE_NODE);
  g_value_take_boxed (value, json_node_init_object (json_node_alloc (), object));
  json_object_unref (object);
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

/* The members of @todo named in @names, NULL-terminated. */
static JsonObject *
todo_members (JsonObject         *todo,
              const char * const *names)
{
  JsonObject *copy = json_object_new ();

  for (guint i = 0; names[i] != NULL; i++)
    if (json_object_has_member (todo, names[i]))
      json_object_set_member (copy, names[i], json_object_dup_member (todo, names[i]));
  return copy;
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

/* Whether the list of @key, `["todos", {"done": …, "q": …}]`, shows the
 * todo @todo. */
static gboolean
list_key_accepts (QuarryKey  *key,
                  JsonObject *todo)
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
      json_node_get_boolean (done) != json_object_get_boolean_member_with_default (todo, "done", FALSE))
    return FALSE;

  search = json_object_get_string_member_with_default (object, "q", NULL);
  if (search != NULL && search[0] != '\0')
    {
      const char *title = json_object_get_string_member_with_default (todo, "title", "");
      g_autofree char *folded_search = g_utf8_casefold (search, -1);
      g_autofree char *folded_title = g_utf8_casefold (title, -1);

      if (strstr (folded_title, folded_search) == NULL)
        return FALSE;
    }

  return TRUE;
}

/* The title the cache shows for the todo @id, for messages. */
static char *
cached_title (QuarryTodoService *self,
              gint64             id)
{
  g_autoptr(QuarryKey) prefix = key_from_json_string ("[\"todos\"]");
  g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (prefix);
  g_autoptr(GPtrArray) keys = quarry_query_client_find_keys (self->client, filter);
  g_autoptr(QuarryKey) detail_key = quarry_todo_service_detail_key (id);
  JsonObject *detail;

  for (guint i = 0; i < keys->len; i++)
    {
      const GValue *data = quarry_query_client_get_query_data (self->client, g_ptr_array_index (keys, i));
      JsonNode *todo = quarry_todo_service_find_todo (data, id);

      if (todo_title (todo) != NULL)
        return g_strdup (todo_title (todo));
    }

  detail = json_object_of (quarry_query_client_get_query_data (self->client, detail_key));
  if (detail != NULL && json_object_get_string_member_with_default (detail, "title", NULL) != NULL)
    return g_strdup (json_object_get_string_member (detail, "title"));

  return g_strdup ("");
}

/* ------------------------------------------------------------------------
 * What the user reads when a change failed
 * ------------------------------------------------------------------------ */

/* Why @error happened, in the user's language: the server's own message
 * is English, and says more than a user needs. */
static const char *
describe_error (const GError *error)
{
  if (error->domain == QUARRY_HTTP_ERROR)
    {
      switch (error->code)
        {
        case QUARRY_HTTP_ERROR_NOT_FOUND:
          return _("The todo is no longer on the server");
        case QUARRY_HTTP_ERROR_SERVICE_UNAVAILABLE:
        case QUARRY_HTTP_ERROR_TOO_MANY_REQUESTS:
          return _("The server is busy; try again later");
        default:
          if (error->code >= 500)
            return _("The server ran into a problem");
          return _("The server refused the change");
        }
    }

  if (error->domain == QUARRY_ERROR)
    {
      switch (error->code)
        {
        case QUARRY_ERROR_NETWORK:
        case QUARRY_ERROR_CONNECTION_REFUSED:
        case QUARRY_ERROR_CONNECTION_CLOSED:
          return _("The server cannot be reached");
        case QUARRY_ERROR_TIMED_OUT:
          return _("The server did not answer in time");
        case QUARRY_ERROR_INVALID_JSON:
        case QUARRY_ERROR_BODY_TOO_LARGE:
          return _("The server’s answer could not be read");
        default:
          break;
        }
    }

  return _("Something went wrong");
}

/* The todo's title as the user saw it: its subject, or for a new todo its
 * title. */
static const char *
variables_subject (const GValue *variables)
{
  JsonObject *vars = json_object_of (variables);

  if (vars == NULL)
    return "";
  if (json_object_has_member (vars, SUBJECT_MEMBER))
    return json_object_get_string_member_with_default (vars, SUBJECT_MEMBER, "");
  return json_object_get_string_member_with_default (vars, "title", "");
}

/* Tells the window about a change that failed and was rolled back. A
 * change of a todo whose creation failed says nothing more. */
static void
emit_failed (QuarryTodoService *self,
             const GError      *error,
             const char        *format,
             const char        *subject)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, QUARRY_TODO_SERVICE_ERROR, QUARRY_TODO_SERVICE_ERROR_NOT_CREATED))
    return;

  g_debug ("A change failed: %s", error->message);
  message = g_strdup_printf (format, subject, describe_error (error));
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, message);
}

/* ------------------------------------------------------------------------
 * Sending the changes
 * ------------------------------------------------------------------------ */

typedef struct
{
  QuarryHttpEndpoint *endpoint;
  GHashTable *created_ids;
  gboolean create;
} TodoRequest;

static void
todo_request_free (gpointer data)
{
  TodoRequest *request = data;

  g_object_unref (request->endpoint);
  g_hash_table_unref (request->created_ids);
  g_free (request);
}

/* A mutation function: sends the todo's members of the variables, to the
 * id the server knows the todo by. */
static void
todo_mutation_func (QuarryFetchContext *context,
                    const GValue       *variables,
                    gpointer            user_data)
{
  static const char * const created_members[] = { "title", "done", NULL };
  static const char * const changed_members[] = { "id", "title", "done", NULL };
  TodoRequest *request = user_data;
  JsonObject *vars = json_object_of (variables);
  g_auto(GValue) sent = G_VALUE_INIT;
  JsonObject *todo;
  gint64 id;

  g_return_if_fail (vars != NULL);

  todo = todo_members (vars, request->create ? created_members : changed_members);
  id = json_object_get_int_member_with_default (todo, "id", 0);
  if (id < 0)
    {
      gint64 *server_id = g_hash_table_lookup (request->created_ids, &id);

      /* Runs of the scope "todos" go one after another: the creation has
       * finished, and failed when its id is not there. */
      if (server_id == NULL)
        {
          json_object_unref (todo);
          quarry_fetch_context_return_error (context,
                                             g_error_new_literal (QUARRY_TODO_SERVICE_ERROR,
                                                                  QUARRY_TODO_SERVICE_ERROR_NOT_CREATED,
                                                                  "The todo was not created"));
          return;
        }
      json_object_set_int_member (todo, "id", *server_id);
    }

  json_value_take_object (&sent, todo);
  quarry_http_endpoint_mutate (request->endpoint, context, &sent);
}

/* ------------------------------------------------------------------------
 * Optimistic updates
 * ------------------------------------------------------------------------ */

/* The change a toggle or a rename makes: the id and the changed members. */
static void
changes_value_func (const GValue  *variables,
                    GValue        *value,
                    gpointer       user_data,
                    GError       **error)
{
  static const char * const members[] = { "id", "title", "done", NULL };
  JsonObject *vars = json_object_of (variables);

  if (vars == NULL)
    {
      g_set_error_literal (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE, "Not a todo");
      return;
    }
  json_value_take_object (value, todo_members (vars, members));
}

/* A new todo goes into the lists whose search and filter show it. */
static gboolean
shows_new_todo (const GValue *variables,
                QuarryKey    *key,
                gpointer      user_data)
{
  JsonObject *vars = json_object_of (variables);

  return vars != NULL && list_key_accepts (key, vars);
}

/* Every cached list under ["todos"], its todos in "items", counted in
 * "total". */
static QuarryOptimisticUpdate *
lists_update_new (QuarryOptimisticKind kind)
{
  g_autoptr(QuarryKey) todos = key_from_json_string ("[\"todos\"]");
  g_autoptr(QuarryQueryFilter) filter = quarry_query_filter_new (todos);
  QuarryOptimisticUpdate *update = quarry_optimistic_update_new (kind, NULL);

  quarry_optimistic_update_set_filter (update, filter);
  quarry_optimistic_update_set_items_member (update, "items");
  quarry_optimistic_update_set_count_member (update, "total");
  /* A deleted todo goes at once; others show they are being saved. */
  if (kind != QUARRY_OPTIMISTIC_DELETE)
    quarry_optimistic_update_set_updating_member (update, PENDING_MEMBER);
  return update;
}

static QuarryKey *
detail_key_func (const GValue *variables,
                 gpointer      user_data)
{
  JsonObject *vars = json_object_of (variables);

  if (vars == NULL || !json_object_has_member (vars, "id"))
    return NULL;
  return quarry_todo_service_detail_key (json_object_get_int_member (vars, "id"));
}

/* A toggle or a rename: its members merged into the todo, in the lists and
 * in the todo's own query when it has one. */
static void
add_change_updates (QuarryMutation *mutation)
{
  QuarryMutationOptions *options = quarry_mutation_get_options (mutation);
  g_autoptr(QuarryOptimisticUpdate) lists = lists_update_new (QUARRY_OPTIMISTIC_UPSERT);
  g_autoptr(QuarryOptimisticUpdate) detail = quarry_optimistic_update_new (QUARRY_OPTIMISTIC_SET, NULL);

  quarry_optimistic_update_set_merge (lists, TRUE);
  quarry_optimistic_update_set_value_func (lists, changes_value_func, NULL, NULL);
  quarry_mutation_options_add_optimistic_update (options, lists);

  quarry_optimistic_update_set_merge (detail, TRUE);
  quarry_optimistic_update_set_key_func (detail, detail_key_func, NULL, NULL);
  quarry_optimistic_update_set_value_func (detail, changes_value_func, NULL, NULL);
  quarry_optimistic_update_set_updating_member (detail, PENDING_MEMBER);
  quarry_mutation_options_add_optimistic_update (options, detail);
}

/* ------------------------------------------------------------------------
 * Results
 * ------------------------------------------------------------------------ */

static void
add_success_cb (QuarryMutation    *mutation,
                const GValue      *data,
                const GValue      *variables,
                const GValue      *context,
                QuarryTodoService *self)
{
  JsonObject *vars = json_object_of (variables);
  gint64 temporary_id = vars != NULL ? json_object_get_int_member_with_default (vars, "id", 0) : 0;
  gint64 id = todo_id (json_object_of (data) != NULL ? g_value_get_boxed (data) : NULL);

  if (temporary_id >= 0 || id <= 0)
    return;

  /* The changes made to the todo meanwhile go to its new id. */
  g_hash_table_insert (self->created_ids, g_memdup2 (&temporary_id, sizeof temporary_id),
                       g_memdup2 (&id, sizeof id));
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, temporary_id, id);
}

static void
add_error_cb (QuarryMutation    *mutation,
              const GError      *error,
              const GValue      *variables,
              const GValue      *context,
              QuarryTodoService *self)
{
  /* Translators: the first %s is a todo's title, the second why adding it failed. */
  emit_failed (self, error, _("Could not add “%s”: %s"), variables_subject (variables));
}

static void
toggle_error_cb (QuarryMutation    *mutation,
                 const GError      *error,
                 const GValue      *variables,
                 const GValue      *context,
                 QuarryTodoService *self)
{
  JsonObject *vars = json_object_of (variables);

  if (json_object_get_boolean_member_with_default (vars, "done", FALSE))
    /* Translators: the first %s is a todo's title, the second why the change failed. */
    emit_failed (self, error, _("Could not mark “%s” as done: %s"), variables_subject (variables));
  else
    /* Translators: the first %s is a todo's title, the second why the change failed. */
    emit_failed (self, error, _("Could not mark “%s” as not done: %s"), variables_subject (variables));
}

static void
rename_error_cb (QuarryMutation    *mutation,
                 const GError      *error,
                 const GValue      *variables,
                 const GValue      *context,
                 QuarryTodoService *self)
{
  /* Translators: the first %s is a todo's title, the second why renaming it failed. */
  emit_failed (self, error, _("Could not rename “%s”: %s"), variables_subject (variables));
}

static void
remove_error_cb (QuarryMutation    *mutation,
                 const GError      *error,
                 const GValue      *variables,
                 const GValue      *context,
                 QuarryTodoService *self)
{
  /* Translators: the first %s is a todo's title, the second why deleting it failed. */
  emit_failed (self, error, _("Could not delete “%s”: %s"), variables_subject (variables));
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

  g_debug ("Changing the settings failed: %s", error->message);
  /* Translators: %s is why the change failed. */
  message = g_strdup_printf (_("Could not change the simulation settings: %s"), describe_error (error));
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, message);
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
                   QuarryHttpEndpoint *endpoint,
                   gboolean            create)
{
  g_autofree char *key_json = g_strdup_printf ("[\"todos\", \"%s\"]", name);
  g_autoptr(QuarryKey) mutation_key = key_from_json_string (key_json);
  g_autoptr(QuarryKey) todos = key_from_json_string ("[\"todos\"]");
  TodoRequest *request = g_new0 (TodoRequest, 1);
  QuarryMutation *mutation;
  QuarryMutationOptions *options;

  request->endpoint = g_object_ref (endpoint);
  request->created_ids = g_hash_table_ref (self->created_ids);
  request->create = create;

  mutation = quarry_mutation_new (self->client, mutation_key, todo_mutation_func, request, todo_request_free);
  options = quarry_mutation_get_options (mutation);
  g_object_set (options, "scope-id", "todos", NULL);
  quarry_mutation_options_add_invalidate_key (options, todos);
  return mutation;
}

static void
quarry_todo_service_constructed (GObject *object)
{
  QuarryTodoService *self = (QuarryTodoService *)object;
  g_autoptr(QuarryHttpEndpoint) create = NULL;
  g_autoptr(QuarryHttpEndpoint) patch = NULL;
  g_autoptr(QuarryHttpEndpoint) delete = NULL;
  g_autoptr(QuarryHttpEndpoint) patch_settings = NULL;
  g_autoptr(QuarryOptimisticUpdate) insert = NULL;
  g_autoptr(QuarryOptimisticUpdate) hide = NULL;
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

  /* Add: into the lists that show the new todo, with its temporary id;
   * committed with the server's todo, which brings the real id. */
  self->add = todo_mutation_new (self, "add", create, TRUE);
  insert = lists_update_new (QUARRY_OPTIMISTIC_UPSERT);
  quarry_optimistic_update_set_match_func (insert, shows_new_todo, NULL, NULL);
  quarry_mutation_options_add_optimistic_update (quarry_mutation_get_options (self->add), insert);
  g_signal_connect_object (self->add, "success", G_CALLBACK (add_success_cb), self, 0);
  g_signal_connect_object (self->add, "error", G_CALLBACK (add_error_cb), self, 0);

  self->toggle = todo_mutation_new (self, "toggle", patch, FALSE);
  add_change_updates (self->toggle);
  g_signal_connect_object (self->toggle, "error", G_CALLBACK (toggle_error_cb), self, 0);

  self->rename = todo_mutation_new (self, "rename", patch, FALSE);
  add_change_updates (self->rename);
  g_signal_connect_object (self->rename, "error", G_CALLBACK (rename_error_cb), self, 0);

  self->remove = todo_mutation_new (self, "delete", delete, FALSE);
  hide = lists_update_new (QUARRY_OPTIMISTIC_DELETE);
  quarry_mutation_options_add_optimistic_update (quarry_mutation_get_options (self->remove), hide);
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
quarry_todo_service_finalize (GObject *object)
{
  QuarryTodoService *self = (QuarryTodoService *)object;

  g_hash_table_unref (self->created_ids);

  G_OBJECT_CLASS (quarry_todo_service_parent_class)->finalize (object);
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
  object_class->finalize = quarry_todo_service_finalize;
  object_class->get_property = quarry_todo_service_get_property;
  object_class->set_property = quarry_todo_service_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         QUARRY_TYPE_QUERY_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_HTTP_CLIENT] =
    g_param_spec_object ("http-client", NULL, NULL,
                         QUARRY_TYPE_HTTP_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

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

  /* Emitted when the server created a todo added with a temporary id,
   * once the lists show it with the server's id. */
  signals[SIGNAL_CREATED] =
    g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
}

static void
quarry_todo_service_init (QuarryTodoService *self)
{
  self->next_temporary_id = -1;
  self->created_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
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

/* Runs @mutation with @variables, which it takes. */
static void
mutate_json (QuarryMutation *mutation,
             JsonObject     *variables)
{
  g_auto(GValue) value = G_VALUE_INIT;

  json_value_take_object (&value, variables);
  quarry_mutation_mutate (mutation, &value, NULL, NULL, NULL);
}

/* The variables of a change of the todo @id. */
static JsonObject *
change_new (QuarryTodoService *self,
            gint64             id)
{
  JsonObject *variables = json_object_new ();
  g_autofree char *subject = cached_title (self, id);

  json_object_set_int_member (variables, "id", id);
  json_object_set_string_member (variables, SUBJECT_MEMBER, subject);
  return variables;
}

/**
 * quarry_todo_service_add:
 * @self: the service
 * @title: the new todo's title
 *
 * Creates a todo; it shows at once in the lists that show it, with a
 * temporary negative id, which may be changed and deleted like any other
 * todo; the server's id replaces it once created (see
 * QuarryTodoService::created).
 *
 * Returns: the temporary id
 */
gint64
quarry_todo_service_add (QuarryTodoService *self,
                         const char        *title)
{
  g_autoptr(JsonObject) variables = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *timestamp = NULL;
  gint64 temporary_id;

  g_return_val_if_fail (QUARRY_IS_TODO_SERVICE (self), 0);
  g_return_val_if_fail (title != NULL, 0);

  temporary_id = self->next_temporary_id--;
  timestamp = g_date_time_format_iso8601 (now);
  json_object_set_int_member (variables, "id", temporary_id);
  json_object_set_string_member (variables, "title", title);
  json_object_set_boolean_member (variables, "done", FALSE);
  json_object_set_string_member (variables, "created_at", timestamp);
  json_object_set_string_member (variables, "updated_at", timestamp);
  mutate_json (self->add, g_steal_pointer (&variables));
  return temporary_id;
}

void
quarry_todo_service_set_done (QuarryTodoService *self,
                              gint64             id,
                              gboolean           done)
{
  JsonObject *variables;

  g_return_if_fail (QUARRY_IS_TODO_SERVICE (self));
  g_return_if_fail (id != 0);

  variables = change_new (self, id);
  json_object_set_boolean_member (variables, "done", done);
  mutate_json (self->toggle, variables);
}

void
quarry_todo_service_set_title (QuarryTodoService *self,
                               gint64             id,
                               const char        *title)
{
  JsonObject *variables;

  g_return_if_fail (QUARRY_IS_TODO_SERVICE (self));
  g_return_if_fail (id != 0);
  g_return_if_fail (title != NULL);

  variables = change_new (self, id);
  json_object_set_string_member (variables, "title", title);
  mutate_json (self->rename, variables);
}

void
quarry_todo_service_delete (QuarryTodoService *self,
                            gint64             id)
{
  g_return_if_fail (QUARRY_IS_TODO_SERVICE (self));
  g_return_if_fail (id != 0);

  mutate_json (self->remove, change_new (self, id));
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
  JsonObject *variables;

  g_return_if_fail (QUARRY_IS_TODO_SERVICE (self));

  variables = json_object_new ();
  json_object_set_int_member (variables, "latency_ms", MIN (latency_ms, 10000));
  json_object_set_double_member (variables, "fail_rate", CLAMP (fail_rate, 0.0, 1.0));
  mutate_json (self->settings, variables);
}
