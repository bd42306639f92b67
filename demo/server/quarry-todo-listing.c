/* quarry-todo-listing.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-todo-api-error.h"
#include "quarry-todo-listing.h"

/* Cursors are keysets: the id of the last todo of the previous page, so a
 * page starts after it whatever was inserted or deleted in between. The
 * API calls them opaque; they are written as that id in decimal. */

/**
 * quarry_todo_parse_id:
 * @text: a path segment or a cursor
 * @id: (out): where to put the id
 *
 * Reads a positive integer written canonically: decimal digits only, no
 * sign, no leading zero, at most G_MAXINT64.
 *
 * Returns: whether @text is one
 */
gboolean
quarry_todo_parse_id (const char *text,
                      gint64     *id)
{
  guint64 value = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  if (text[0] < '1' || text[0] > '9')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p < '0' || *p > '9')
        return FALSE;
      if (value > (G_MAXINT64 - (guint64) (*p - '0')) / 10)
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
    }

  *id = (gint64) value;
  return TRUE;
}

static gboolean
parse_bounded (const char  *name,
               const char  *text,
               gint64       max,
               gint64      *value,
               GError     **error)
{
  if (!quarry_todo_parse_id (text, value) || *value > max)
    {
      g_set_error (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_PARAMETER,
                   "“%s” must be an integer from 1 to %" G_GINT64_FORMAT ", not “%s”",
                   name, max, text);
      return FALSE;
    }
  return TRUE;
}

/* Decodes a query string into a table, strictly: a parameter that is not
 * valid percent-encoding, or that is given twice, is an error. */
static GHashTable *
decode_query (const char  *query,
              GError     **error)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) pairs = NULL;

  if (query == NULL)
    return g_steal_pointer (&params);

  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *equals;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (pairs[i][0] == '\0')
        continue;

      g_strdelimit (pairs[i], "+", ' ');
      equals = strchr (pairs[i], '=');
      if (equals != NULL)
        *equals = '\0';

      name = g_uri_unescape_string (pairs[i], NULL);
      value = g_uri_unescape_string (equals != NULL ? equals + 1 : "", NULL);
      if (name == NULL || value == NULL || !g_utf8_validate (value, -1, NULL))
        {
          g_set_error (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_PARAMETER,
                       "The query parameter “%s” is not valid UTF-8 percent-encoding",
                       name != NULL && g_utf8_validate (name, -1, NULL) ? name : "?");
          return NULL;
        }

      if (g_hash_table_contains (params, name))
        {
          g_set_error (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_PARAMETER,
                       "The query parameter “%s” is given more than once", name);
          return NULL;
        }
      g_hash_table_insert (params, g_steal_pointer (&name), g_steal_pointer (&value));
    }

  return g_steal_pointer (&params);
}

/**
 * quarry_todo_listing_new_from_query:
 * @query: (nullable): the request's query string, percent-encoded
 * @error: the place for an error
 *
 * Reads the filters (`done`, `q`) and the paging, cursor style (`limit`,
 * `cursor`) or page style (`page`, `per_page`). Unknown parameters are
 * ignored. Mixing the two styles, a number that is not an integer in
 * range, a `done` other than true/false and a malformed cursor are
 * `invalid_parameter` errors.
 *
 * Returns: (transfer full): the listing, or %NULL with @error set
 */
QuarryTodoListing *
quarry_todo_listing_new_from_query (const char  *query,
                                    GError     **error)
{
  g_autoptr(QuarryTodoListing) self = g_new0 (QuarryTodoListing, 1);
  g_autoptr(GHashTable) params = NULL;
  const char *done, *q, *limit, *cursor, *page, *per_page;
  gint64 value;

  params = decode_query (query, error);
  if (params == NULL)
    return NULL;

  self->done = -1;
  done = g_hash_table_lookup (params, "done");
  if (g_strcmp0 (done, "true") == 0)
    self->done = TRUE;
  else if (g_strcmp0 (done, "false") == 0)
    self->done = FALSE;
  else if (done != NULL)
    {
      g_set_error (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_PARAMETER,
                   "“done” must be true or false, not “%s”", done);
      return NULL;
    }

  q = g_hash_table_lookup (params, "q");
  if (q != NULL && q[0] != '\0')
    self->folded_query = g_utf8_casefold (q, -1);

  limit = g_hash_table_lookup (params, "limit");
  cursor = g_hash_table_lookup (params, "cursor");
  page = g_hash_table_lookup (params, "page");
  per_page = g_hash_table_lookup (params, "per_page");

  if ((limit != NULL || cursor != NULL) && (page != NULL || per_page != NULL))
    {
      g_set_error_literal (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_PARAMETER,
                           "Cursor paging (limit, cursor) and page paging (page, per_page) "
                           "cannot be mixed");
      return NULL;
    }

  if (limit != NULL || cursor != NULL)
    {
      self->paging = QUARRY_TODO_PAGING_CURSOR;
      self->limit = QUARRY_TODO_DEFAULT_LIMIT;
      if (limit != NULL)
        {
          if (!parse_bounded ("limit", limit, QUARRY_TODO_MAX_PAGE_SIZE, &value, error))
            return NULL;
          self->limit = (guint) value;
        }
      if (cursor != NULL && !quarry_todo_parse_id (cursor, &self->after_id))
        {
          g_set_error (error, QUARRY_TODO_API_ERROR, QUARRY_TODO_API_ERROR_INVALID_PARAMETER,
                       "“%s” is not a cursor this server gave", cursor);
          return NULL;
        }
    }
  else if (page != NULL || per_page != NULL)
    {
      self->paging = QUARRY_TODO_PAGING_PAGE;
      self->page = 1;
      self->per_page = QUARRY_TODO_DEFAULT_PER_PAGE;
      if (page != NULL && !parse_bounded ("page", page, G_MAXINT32, &self->page, error))
        return NULL;
      if (per_page != NULL)
        {
          if (!parse_bounded ("per_page", per_page, QUARRY_TODO_MAX_PAGE_SIZE, &value, error))
            return NULL;
          self->per_page = (guint) value;
        }
    }

  return g_steal_pointer (&self);
}

void
quarry_todo_listing_free (QuarryTodoListing *self)
{
  if (self == NULL)
    return;

  g_free (self->folded_query);
  g_free (self);
}

static gboolean
has_filter (QuarryTodoListing *self)
{
  return self->done >= 0 || self->folded_query != NULL;
}

static gboolean
matches (QuarryTodoListing *self,
         const QuarryTodo  *todo)
{
  return quarry_todo_matches (todo, self->done, self->folded_query);
}

static guint
count_matches (QuarryTodoListing *self,
               QuarryTodoStore   *store)
{
  guint n = quarry_todo_store_get_n_todos (store);
  guint count = 0;

  if (!has_filter (self))
    return n;

  for (guint i = 0; i < n; i++)
    count += matches (self, quarry_todo_store_get_nth (store, i));
  return count;
}

/* Adds the matches from index @start on, at most @max of them, to the
 * builder's open array. Returns the index after the last one added. */
static guint
add_matches (QuarryTodoListing *self,
             QuarryTodoStore   *store,
             JsonBuilder       *builder,
             guint              start,
             guint              max,
             const QuarryTodo **last)
{
  guint n = quarry_todo_store_get_n_todos (store);
  guint added = 0;
  guint i;

  for (i = start; i < n && added < max; i++)
    {
      const QuarryTodo *todo = quarry_todo_store_get_nth (store, i);

      if (matches (self, todo))
        {
          quarry_todo_build (todo, builder);
          *last = todo;
          added++;
        }
    }
  return i;
}

static gboolean
has_match_from (QuarryTodoListing *self,
                QuarryTodoStore   *store,
                guint              start)
{
  guint n = quarry_todo_store_get_n_todos (store);

  for (guint i = start; i < n; i++)
    if (matches (self, quarry_todo_store_get_nth (store, i)))
      return TRUE;
  return FALSE;
}

/* The index of the @skip-th match (from 0), or the number of todos. */
static guint
skip_matches (QuarryTodoListing *self,
              QuarryTodoStore   *store,
              guint64            skip)
{
  guint n = quarry_todo_store_get_n_todos (store);

  if (!has_filter (self))
    return (guint) MIN (skip, (guint64) n);

  for (guint i = 0; i < n; i++)
    if (matches (self, quarry_todo_store_get_nth (store, i)) && skip-- == 0)
      return i;
  return n;
}

/**
 * quarry_todo_listing_run:
 * @self: a listing
 * @store: the todos
 *
 * Answers the listing. Only the todos of the page are turned into JSON;
 * without filters, finding the page costs a binary search (cursor) or
 * nothing (page number), so paging through a large store stays cheap.
 * With filters, every todo is tested once, for `total`.
 *
 * Returns: (transfer full): `{"items": [...], "total": N}`, plus
 *   `next_cursor` for cursor paging, or `page`, `per_page` and `has_more`
 *   for page paging
 */
JsonNode *
quarry_todo_listing_run (QuarryTodoListing *self,
                         QuarryTodoStore   *store)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  const QuarryTodo *last = NULL;
  guint total = count_matches (self, store);
  guint64 skip;
  guint end;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);

  switch (self->paging)
    {
    case QUARRY_TODO_PAGING_NONE:
      add_matches (self, store, builder, 0, G_MAXUINT, &last);
      json_builder_end_array (builder);
      break;

    case QUARRY_TODO_PAGING_CURSOR:
      end = add_matches (self, store, builder,
                         quarry_todo_store_get_index_after (store, self->after_id),
                         self->limit, &last);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "next_cursor");
      if (last != NULL && has_match_from (self, store, end))
        {
          g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, last->id);

          json_builder_add_string_value (builder, cursor);
        }
      else
        {
          json_builder_add_null_value (builder);
        }
      break;

    case QUARRY_TODO_PAGING_PAGE:
      skip = (guint64) (self->page - 1) * self->per_page;
      if (skip < total)
        add_matches (self, store, builder, skip_matches (self, store, skip), self->per_page, &last);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "page");
      json_builder_add_int_value (builder, self->page);
      json_builder_set_member_name (builder, "per_page");
      json_builder_add_int_value (builder, self->per_page);
      json_builder_set_member_name (builder, "has_more");
      json_builder_add_boolean_value (builder, (guint64) self->page * self->per_page < total);
      break;

    default:
      g_assert_not_reached ();
    }

  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, total);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
