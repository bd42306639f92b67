/* quarry-todo-idempotency.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-todo-idempotency.h"

/*
 * QuarryTodoIdempotency:
 *
 * Remembers the response first given to a write with an Idempotency-Key,
 * by method, path and key, for a lifetime and up to a capacity, dropping
 * the oldest first. Times are monotonic microseconds, passed in, so that
 * the expiry can be tested without waiting a day.
 */

typedef struct
{
  char *id;                       /* "METHOD\nPATH\nKEY" */
  QuarryTodoResponse *response;
  gint64 stored_at;
  GList link;                     /* in QuarryTodoIdempotency.order */
} Entry;

struct _QuarryTodoIdempotency
{
  GHashTable *entries;            /* id → Entry, owned */
  GQueue order;                   /* Entry, oldest first */
  guint capacity;
  GTimeSpan lifetime;
};

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->id);
  quarry_todo_response_unref (entry->response);
  g_free (entry);
}

QuarryTodoIdempotency *
quarry_todo_idempotency_new (guint     capacity,
                             GTimeSpan lifetime)
{
  QuarryTodoIdempotency *self;

  g_return_val_if_fail (capacity > 0, NULL);
  g_return_val_if_fail (lifetime > 0, NULL);

  self = g_new0 (QuarryTodoIdempotency, 1);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
  g_queue_init (&self->order);
  self->capacity = capacity;
  self->lifetime = lifetime;
  return self;
}

void
quarry_todo_idempotency_free (QuarryTodoIdempotency *self)
{
  if (self == NULL)
    return;

  /* The queue's links live in the entries: freeing those frees it. */
  g_hash_table_unref (self->entries);
  g_free (self);
}

static void
drop (QuarryTodoIdempotency *self,
      Entry                 *entry)
{
  g_queue_unlink (&self->order, &entry->link);
  g_hash_table_remove (self->entries, entry->id);
}

/* Drops what has expired, which is always at the old end. */
static void
expire (QuarryTodoIdempotency *self,
        gint64                 now)
{
  Entry *oldest;

  while ((oldest = g_queue_peek_head (&self->order)) != NULL
         && now - oldest->stored_at >= self->lifetime)
    drop (self, oldest);
}

static char *
make_id (const char *method,
         const char *path,
         const char *key)
{
  return g_strconcat (method, "\n", path, "\n", key, NULL);
}

/**
 * quarry_todo_idempotency_lookup:
 *
 * Returns: (transfer full) (nullable): the response remembered for this
 *   method, path and key, if it has not expired
 */
QuarryTodoResponse *
quarry_todo_idempotency_lookup (QuarryTodoIdempotency *self,
                                const char            *method,
                                const char            *path,
                                const char            *key,
                                gint64                 now)
{
  g_autofree char *id = NULL;
  Entry *entry;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (method != NULL && path != NULL && key != NULL, NULL);

  expire (self, now);

  id = make_id (method, path, key);
  entry = g_hash_table_lookup (self->entries, id);
  if (entry == NULL)
    return NULL;
  return quarry_todo_response_ref (entry->response);
}

/* Remembers @response; when the key is already known, the newer response
 * replaces the older one. */
void
quarry_todo_idempotency_remember (QuarryTodoIdempotency *self,
                                  const char            *method,
                                  const char            *path,
                                  const char            *key,
                                  QuarryTodoResponse    *response,
                                  gint64                 now)
{
  Entry *entry;
  Entry *old;

  g_return_if_fail (self != NULL);
  g_return_if_fail (method != NULL && path != NULL && key != NULL);
  g_return_if_fail (response != NULL);

  expire (self, now);

  entry = g_new0 (Entry, 1);
  entry->id = make_id (method, path, key);
  entry->response = quarry_todo_response_ref (response);
  entry->stored_at = now;
  entry->link.data = entry;

  old = g_hash_table_lookup (self->entries, entry->id);
  if (old != NULL)
    drop (self, old);

  g_hash_table_insert (self->entries, entry->id, entry);
  g_queue_push_tail_link (&self->order, &entry->link);

  while (self->order.length > self->capacity)
    drop (self, g_queue_peek_head (&self->order));
}

guint
quarry_todo_idempotency_get_size (QuarryTodoIdempotency *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->entries);
}
