/* quarry-todo-item.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-todo-item.h"

/*
 * QuarryTodoItem:
 *
 * One todo in a list. QuarryKeyedListModel makes one item per todo id and
 * sets its properties from the todo's JSON members of the same name
 * (`created_at` → `created-at`); a refetch sets only the properties whose
 * members changed, so a row bound to an item updates in place.
 *
 * `pending` is the marker the application's optimistic updates put on a
 * todo while the server has not confirmed a change to it yet.
 */

struct _QuarryTodoItem
{
  GObject parent_instance;

  gint64 id;
  char *title;
  GDateTime *created_at;
  GDateTime *updated_at;
  guint done : 1;
  guint pending : 1;
};

G_DEFINE_FINAL_TYPE (QuarryTodoItem, quarry_todo_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_DONE,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
date_time_equal (GDateTime *a,
                 GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

static void
set_date_time (QuarryTodoItem  *self,
               GDateTime      **slot,
               GDateTime       *value,
               guint            prop_id)
{
  if (date_time_equal (*slot, value))
    return;
  g_clear_pointer (slot, g_date_time_unref);
  *slot = value != NULL ? g_date_time_ref (value) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_flag (QuarryTodoItem *self,
          gboolean        current,
          gboolean        value,
          guint           prop_id)
{
  if (!current == !value)
    return;
  if (prop_id == PROP_DONE)
    self->done = !!value;
  else
    self->pending = !!value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
quarry_todo_item_finalize (GObject *object)
{
  QuarryTodoItem *self = (QuarryTodoItem *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (quarry_todo_item_parent_class)->finalize (object);
}

static void
quarry_todo_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  QuarryTodoItem *self = QUARRY_TODO_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DONE:
      g_value_set_boolean (value, self->done);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    case PROP_PENDING:
      g_value_set_boolean (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_item_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  QuarryTodoItem *self = QUARRY_TODO_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      quarry_todo_item_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_TITLE:
      quarry_todo_item_set_title (self, g_value_get_string (value));
      break;
    case PROP_DONE:
      quarry_todo_item_set_done (self, g_value_get_boolean (value));
      break;
    case PROP_CREATED_AT:
      quarry_todo_item_set_created_at (self, g_value_get_boxed (value));
      break;
    case PROP_UPDATED_AT:
      quarry_todo_item_set_updated_at (self, g_value_get_boxed (value));
      break;
    case PROP_PENDING:
      quarry_todo_item_set_pending (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_item_class_init (QuarryTodoItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = quarry_todo_item_finalize;
  object_class->get_property = quarry_todo_item_get_property;
  object_class->set_property = quarry_todo_item_set_property;

  /* The server's id; negative for a todo the server has not created yet. */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);

  properties[PROP_DONE] =
    g_param_spec_boolean ("done", NULL, NULL, FALSE, flags);

  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  /* Set while an optimistic change to the todo waits for the server. */
  properties[PROP_PENDING] =
    g_param_spec_boolean ("pending", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quarry_todo_item_init (QuarryTodoItem *self)
{
}

gint64
quarry_todo_item_get_id (QuarryTodoItem *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_ITEM (self), 0);
  return self->id;
}

const char *
quarry_todo_item_get_title (QuarryTodoItem *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_ITEM (self), NULL);
  return self->title;
}

gboolean
quarry_todo_item_get_done (QuarryTodoItem *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_ITEM (self), FALSE);
  return self->done;
}

GDateTime *
quarry_todo_item_get_created_at (QuarryTodoItem *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_ITEM (self), NULL);
  return self->created_at;
}

GDateTime *
quarry_todo_item_get_updated_at (QuarryTodoItem *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_ITEM (self), NULL);
  return self->updated_at;
}

gboolean
quarry_todo_item_get_pending (QuarryTodoItem *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_ITEM (self), FALSE);
  return self->pending;
}

void
quarry_todo_item_set_id (QuarryTodoItem *self,
                         gint64          id)
{
  g_return_if_fail (QUARRY_IS_TODO_ITEM (self));

  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

void
quarry_todo_item_set_title (QuarryTodoItem *self,
                            const char     *title)
{
  g_return_if_fail (QUARRY_IS_TODO_ITEM (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

void
quarry_todo_item_set_done (QuarryTodoItem *self,
                           gboolean        done)
{
  g_return_if_fail (QUARRY_IS_TODO_ITEM (self));
  set_flag (self, self->done, done, PROP_DONE);
}

void
quarry_todo_item_set_created_at (QuarryTodoItem *self,
                                 GDateTime      *created_at)
{
  g_return_if_fail (QUARRY_IS_TODO_ITEM (self));
  set_date_time (self, &self->created_at, created_at, PROP_CREATED_AT);
}

void
quarry_todo_item_set_updated_at (QuarryTodoItem *self,
                                 GDateTime      *updated_at)
{
  g_return_if_fail (QUARRY_IS_TODO_ITEM (self));
  set_date_time (self, &self->updated_at, updated_at, PROP_UPDATED_AT);
}

void
quarry_todo_item_set_pending (QuarryTodoItem *self,
                              gboolean        pending)
{
  g_return_if_fail (QUARRY_IS_TODO_ITEM (self));
  set_flag (self, self->pending, pending, PROP_PENDING);
}
