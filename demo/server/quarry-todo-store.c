/* quarry-todo-store.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "quarry-todo-file.h"
#include "quarry-todo-json.h"
#include "quarry-todo-store.h"

/*
 * QuarryTodoStore:
 *
 * The todos, ordered by id, and the next id to assign. With a path, the
 * whole store lives in one JSON file, `{"next_id": N, "todos": [...]}`,
 * locked for the store's life and rewritten atomically (see
 * QuarryTodoFile) after every change and before the change is
 * acknowledged: when the file cannot be written, the change is undone in
 * memory too and the write fails, so memory and disk always agree. A file
 * that cannot be read as a store is an error, and is never overwritten.
 *
 * Ids go up to G_MAXINT64 - 1: `next_id` must stay a JSON integer that
 * json-glib reads back, so a store whose next id is G_MAXINT64 has run out
 * of ids, and refuses to create or seed todos (changing nothing).
 *
 * Every change bumps the revision, which the server puts in its ETags.
 */

struct _QuarryTodoStore
{
  GObject parent_instance;

  char *path;
  QuarryTodoFile *file;
  GPtrArray *todos;   /* QuarryTodo, ascending ids */
  gint64 next_id;
  guint64 revision;
};

G_DEFINE_FINAL_TYPE (QuarryTodoStore, quarry_todo_store, G_TYPE_OBJECT)

/* Things to do, for seeded stores: "Water the plants #17". */
static const char * const seed_titles[] = {
  N_("Water the plants"),
  N_("Buy milk"),
  N_("Call the dentist"),
  N_("Pay the electricity bill"),
  N_("Take out the recycling"),
  N_("Answer the landlord’s email"),
  N_("Book train tickets"),
  N_("Return the library books"),
  N_("Clean the bathroom"),
  N_("Renew the passport"),
  N_("Back up the laptop"),
  N_("Fix the squeaky door"),
  N_("Write a birthday card"),
  N_("Defrost the freezer"),
  N_("Order printer ink"),
  N_("Walk the dog"),
};

static void
quarry_todo_store_finalize (GObject *object)
{
  QuarryTodoStore *self = QUARRY_TODO_STORE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->file, quarry_todo_file_free);
  g_clear_pointer (&self->todos, g_ptr_array_unref);

  G_OBJECT_CLASS (quarry_todo_store_parent_class)->finalize (object);
}

static void
quarry_todo_store_class_init (QuarryTodoStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = quarry_todo_store_finalize;
}

static void
quarry_todo_store_init (QuarryTodoStore *self)
{
  self->todos = g_ptr_array_new_with_free_func ((GDestroyNotify) quarry_todo_free);
  self->next_id = 1;
}

static char *
now_timestamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return quarry_todo_format_timestamp (now);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  const QuarryTodo *todo_a = *(QuarryTodo * const *) a;
  const QuarryTodo *todo_b = *(QuarryTodo * const *) b;

  return (todo_a->id > todo_b->id) - (todo_a->id < todo_b->id);
}

static char *
serialize (QuarryTodoStore *self,
           gsize           *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "next_id");
  json_builder_add_int_value (builder, self->next_id);
  json_builder_set_member_name (builder, "todos");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->todos->len; i++)
    quarry_todo_build (g_ptr_array_index (self->todos, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, length);
}

/* Writes the whole store to its file, atomically: the file is either the
 * old store or the new one, never a part of either. */
static gboolean
save (QuarryTodoStore  *self,
      GError          **error)
{
  g_autofree char *data = NULL;
  gsize length;

  if (self->file == NULL)
    return TRUE;

  data = serialize (self, &length);
  if (!quarry_todo_file_write (self->file, data, length, error))
    {
      g_prefix_error (error, _("Could not save the todos: "));
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_from_data (QuarryTodoStore  *self,
                const char       *data,
                gsize             length,
                GError          **error)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root;
  JsonNode *next_id;
  JsonNode *todos;
  JsonArray *array;
  gint64 max_id = 0;

  node = quarry_todo_json_parse (data, length, error);
  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("the file is not a JSON object"));
      return FALSE;
    }
  root = json_node_get_object (node);

  next_id = json_object_get_member (root, "next_id");
  if (next_id == NULL || json_node_get_value_type (next_id) != G_TYPE_INT64
      || json_node_get_int (next_id) < 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("“next_id” is missing or not a positive integer"));
      return FALSE;
    }

  todos = json_object_get_member (root, "todos");
  if (todos == NULL || !JSON_NODE_HOLDS_ARRAY (todos))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("“todos” is missing or not an array"));
      return FALSE;
    }
  array = json_node_get_array (todos);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      QuarryTodo *todo = quarry_todo_new_from_json (json_array_get_element (array, i), error);

      if (todo == NULL)
        return FALSE;
      g_ptr_array_add (self->todos, todo);
    }

  g_ptr_array_sort (self->todos, compare_ids);
  for (guint i = 0; i < self->todos->len; i++)
    {
      const QuarryTodo *todo = g_ptr_array_index (self->todos, i);

      if (todo->id == max_id)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("two todos have the id %" PRId64), todo->id);
          return FALSE;
        }
      max_id = todo->id;
    }

  self->next_id = json_node_get_int (next_id);
  if (self->next_id <= max_id)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“next_id” (%" PRId64 ") is not above every id (%" PRId64 ")"),
                   self->next_id, max_id);
      return FALSE;
    }

  return TRUE;
}

/* Locks the store's file and reads the store from it, or creates the file
 * (and its folders) when there is none. */
static gboolean
load (QuarryTodoStore  *self,
      GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length;

  self->file = quarry_todo_file_open (self->path, error);
  if (self->file == NULL)
    return FALSE;

  if (quarry_todo_file_read (self->file, &data, &length, &local_error))
    {
      if (!load_from_data (self, data, length, &local_error))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is not a valid todo store (%s); it was left untouched"),
                       self->path, local_error->message);
          return FALSE;
        }
      return TRUE;
    }

  if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the todos: "));
      return FALSE;
    }

  return save (self, error);
}

/**
 * quarry_todo_store_new:
 * @path: (nullable): the store's JSON file, or %NULL to keep the todos in
 *   memory only
 * @error: the place for an error
 *
 * Loads the store from @path, creating the file when it does not exist,
 * and locks the file until the store is finalized.
 *
 * Returns: (transfer full): the store, or %NULL with @error set when the
 *   file cannot be read, is not a valid store, or cannot be created, or
 *   (%G_IO_ERROR_BUSY) when another store holds it
 */
QuarryTodoStore *
quarry_todo_store_new (const char  *path,
                       GError     **error)
{
  g_autoptr(QuarryTodoStore) self = g_object_new (QUARRY_TYPE_TODO_STORE, NULL);

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->path = g_strdup (path);
  if (self->path != NULL && !load (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
quarry_todo_store_get_path (QuarryTodoStore *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_STORE (self), NULL);

  return self->path;
}

guint
quarry_todo_store_get_n_todos (QuarryTodoStore *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_STORE (self), 0);

  return self->todos->len;
}

const QuarryTodo *
quarry_todo_store_get_nth (QuarryTodoStore *self,
                           guint            index)
{
  g_return_val_if_fail (QUARRY_IS_TODO_STORE (self), NULL);
  g_return_val_if_fail (index < self->todos->len, NULL);

  return g_ptr_array_index (self->todos, index);
}

/**
 * quarry_todo_store_get_index_after:
 * @self: a store
 * @id: an id, which need not exist
 *
 * Finds, by binary search, where the todos with an id above @id start:
 * the keyset position of a cursor.
 *
 * Returns: the index of the first todo whose id is above @id, or the
 *   number of todos
 */
guint
quarry_todo_store_get_index_after (QuarryTodoStore *self,
                                   gint64           id)
{
  guint low = 0;
  guint high;

  g_return_val_if_fail (QUARRY_IS_TODO_STORE (self), 0);

  high = self->todos->len;
  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      const QuarryTodo *todo = g_ptr_array_index (self->todos, middle);

      if (todo->id <= id)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

static gboolean
find_index (QuarryTodoStore *self,
            gint64           id,
            guint           *index)
{
  guint i;

  if (id <= 0)
    return FALSE;

  i = quarry_todo_store_get_index_after (self, id - 1);
  if (i >= self->todos->len || ((QuarryTodo *) g_ptr_array_index (self->todos, i))->id != id)
    return FALSE;

  *index = i;
  return TRUE;
}

const QuarryTodo *
quarry_todo_store_lookup (QuarryTodoStore *self,
                          gint64           id)
{
  guint index;

  g_return_val_if_fail (QUARRY_IS_TODO_STORE (self), NULL);

  if (!find_index (self, id, &index))
    return NULL;
  return g_ptr_array_index (self->todos, index);
}

gint64
quarry_todo_store_get_next_id (QuarryTodoStore *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_STORE (self), 0);

  return self->next_id;
}

guint64
quarry_todo_store_get_revision (QuarryTodoStore *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_STORE (self), 0);

  return self->revision;
}

/**
 * quarry_todo_store_create:
 * @self: a store
 * @title: the new todo's title, already validated
 * @done: whether it is done
 * @error: the place for an error
 *
 * Adds a todo with the next id, and saves.
 *
 * Returns: (transfer none): the new todo, or %NULL with @error set (and
 *   nothing changed) when the store could not be saved, or
 *   (%G_IO_ERROR_NO_SPACE) has run out of ids
 */
const QuarryTodo *
quarry_todo_store_create (QuarryTodoStore  *self,
                          const char       *title,
                          gboolean          done,
                          GError          **error)
{
  g_autofree char *now = now_timestamp ();
  QuarryTodo *todo;

  g_return_val_if_fail (QUARRY_IS_TODO_STORE (self), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  if (self->next_id == G_MAXINT64)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("The store has run out of ids: its next id, %" PRId64 ", is the largest there is"),
                   self->next_id);
      return NULL;
    }

  todo = quarry_todo_new (self->next_id, title, done, now, now);
  g_ptr_array_add (self->todos, todo);
  self->next_id++;

  if (!save (self, error))
    {
      self->next_id--;
      g_ptr_array_remove_index (self->todos, self->todos->len - 1);
      return NULL;
    }

  self->revision++;
  return todo;
}

/**
 * quarry_todo_store_update:
 * @self: a store
 * @id: the todo's id
 * @title: (nullable): its new title, already validated, or %NULL to keep it
 * @done: its new state, or -1 to keep it
 * @error: the place for an error
 *
 * Changes a todo, stamps its `updated_at`, and saves.
 *
 * Returns: (transfer none): the changed todo, or %NULL with @error set
 *   (and nothing changed): %G_IO_ERROR_NOT_FOUND for an unknown id, a
 *   file error when the store could not be saved
 */
const QuarryTodo *
quarry_todo_store_update (QuarryTodoStore  *self,
                          gint64            id,
                          const char       *title,
                          int               done,
                          GError          **error)
{
  g_autoptr(QuarryTodo) before = NULL;
  g_autofree char *now = now_timestamp ();
  QuarryTodo *todo;
  guint index;

  g_return_val_if_fail (QUARRY_IS_TODO_STORE (self), NULL);

  if (!find_index (self, id, &index))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no todo %" PRId64), id);
      return NULL;
    }

  todo = g_ptr_array_index (self->todos, index);
  before = quarry_todo_copy (todo);
  if (title != NULL)
    quarry_todo_set_title (todo, title);
  if (done >= 0)
    todo->done = !!done;
  quarry_todo_set_updated_at (todo, now);

  if (!save (self, error))
    {
      self->todos->pdata[index] = g_steal_pointer (&before);
      quarry_todo_free (todo);
      return NULL;
    }

  self->revision++;
  return todo;
}

/**
 * quarry_todo_store_delete:
 * @self: a store
 * @id: the todo's id
 * @error: the place for an error
 *
 * Removes a todo, and saves. Its id is never used again.
 *
 * Returns: %TRUE, or %FALSE with @error set (and nothing changed):
 *   %G_IO_ERROR_NOT_FOUND for an unknown id, a file error when the store
 *   could not be saved
 */
gboolean
quarry_todo_store_delete (QuarryTodoStore  *self,
                          gint64            id,
                          GError          **error)
{
  QuarryTodo *todo;
  guint index;

  g_return_val_if_fail (QUARRY_IS_TODO_STORE (self), FALSE);

  if (!find_index (self, id, &index))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no todo %" PRId64), id);
      return FALSE;
    }

  todo = g_ptr_array_steal_index (self->todos, index);
  if (!save (self, error))
    {
      g_ptr_array_insert (self->todos, index, todo);
      return FALSE;
    }

  quarry_todo_free (todo);
  self->revision++;
  return TRUE;
}

/**
 * quarry_todo_store_seed:
 * @self: a store
 * @n_todos: how many todos to make
 * @error: the place for an error
 *
 * Fills an empty store with @n_todos generated todos ("Water the plants
 * #17", about a third of them done, created a minute apart up to now),
 * and saves once. A store that has todos is left as it is.
 *
 * Returns: %TRUE, or %FALSE with @error set (and nothing changed) when
 *   the store could not be saved, or (%G_IO_ERROR_NO_SPACE) has not as
 *   many ids left
 */
gboolean
quarry_todo_store_seed (QuarryTodoStore  *self,
                        guint             n_todos,
                        GError          **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 first_id;

  g_return_val_if_fail (QUARRY_IS_TODO_STORE (self), FALSE);

  if (self->todos->len > 0 || n_todos == 0)
    return TRUE;

  if ((guint64) n_todos > (guint64) (G_MAXINT64 - self->next_id))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("Cannot seed %u todos: the store has only %" PRId64 " ids left"),
                   n_todos, G_MAXINT64 - self->next_id);
      return FALSE;
    }

  first_id = self->next_id;
  for (guint i = 0; i < n_todos; i++)
    {
      gint64 id = self->next_id++;
      g_autoptr(GDateTime) created = g_date_time_add_minutes (now, -(int) (n_todos - 1 - i));
      g_autofree char *timestamp = quarry_todo_format_timestamp (created);
      g_autofree char *title = g_strdup_printf ("%s #%" G_GINT64_FORMAT,
                                                _(seed_titles[i % G_N_ELEMENTS (seed_titles)]),
                                                id);

      g_ptr_array_add (self->todos, quarry_todo_new (id, title, i % 3 == 2, timestamp, timestamp));
    }

  if (!save (self, error))
    {
      g_ptr_array_set_size (self->todos, 0);
      self->next_id = first_id;
      return FALSE;
    }

  self->revision++;
  return TRUE;
}
