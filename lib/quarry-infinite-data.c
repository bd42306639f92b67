/* quarry-infinite-data.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-error.h"
#include "quarry-i18n-private.h"
#include "quarry-infinite-data-private.h"
#include "quarry-value-private.h"

/**
 * QuarryInfiniteData:
 *
 * The data of an [class@InfiniteQuery]: its pages, in order, and the
 * parameter each page was fetched with, TanStack's `{pages, pageParams}`.
 *
 * It is immutable and reference-counted, so the cache, the queries and the
 * list models share one copy. The functions that change it return a new
 * one that shares the untouched pages:
 *
 * ```c
 * // Drop the first page, as TanStack's "keep only the last pages".
 * g_autoptr(QuarryInfiniteData) data = quarry_infinite_query_get_data (query);
 * g_autoptr(QuarryInfiniteData) rest =
 *   quarry_infinite_data_slice (data, 1, quarry_infinite_data_get_n_pages (data) - 1);
 * ```
 *
 * A page is any value a fetch function returns. A page parameter may be
 * missing (`NULL`).
 */

struct _QuarryInfiniteData
{
  gatomicrefcount ref_count;
  guint n_pages;
  GValue *pages;     /* n_pages values */
  GValue *params;    /* n_pages values, unset when missing */
};

G_DEFINE_BOXED_TYPE (QuarryInfiniteData, quarry_infinite_data,
                     quarry_infinite_data_ref, quarry_infinite_data_unref)

static QuarryInfiniteData *
infinite_data_alloc (guint n_pages)
{
  QuarryInfiniteData *self = g_new0 (QuarryInfiniteData, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->n_pages = n_pages;
  self->pages = g_new0 (GValue, MAX (n_pages, 1));
  self->params = g_new0 (GValue, MAX (n_pages, 1));
  return self;
}

static void
copy_value (GValue       *dest,
            const GValue *src)
{
  if (src != NULL && _quarry_value_is_set (src))
    _quarry_value_store (dest, src);
}

/* Copies page @from of @src into slot @to of @dest. */
static void
copy_page (QuarryInfiniteData *dest,
           guint               to,
           QuarryInfiniteData *src,
           guint               from)
{
  copy_value (&dest->pages[to], &src->pages[from]);
  copy_value (&dest->params[to], &src->params[from]);
}

/**
 * quarry_infinite_data_new:
 *
 * Makes data with no pages.
 *
 * Returns: (transfer full): new data
 */
QuarryInfiniteData *
quarry_infinite_data_new (void)
{
  return infinite_data_alloc (0);
}

QuarryInfiniteData *
_quarry_infinite_data_new_take (GPtrArray *pages,
                                GPtrArray *params)
{
  QuarryInfiniteData *self;

  g_return_val_if_fail (pages->len == params->len, NULL);

  self = infinite_data_alloc (pages->len);
  for (guint i = 0; i < pages->len; i++)
    {
      copy_value (&self->pages[i], g_ptr_array_index (pages, i));
      copy_value (&self->params[i], g_ptr_array_index (params, i));
    }
  return self;
}

static void
take_json (GValue   *value,
           JsonNode *node)
{
  if (!json_node_is_immutable (node))
    json_node_seal (node);
  g_value_init (value, JSON_TYPE_NODE);
  g_value_take_boxed (value, node);
}

/**
 * quarry_infinite_data_new_from_json:
 * @node: a JSON object with the arrays `pages` and `pageParams`
 * @error: return location for a [error@Quarry.Error]
 *
 * Makes data from TanStack's shape, `{"pages": [...], "pageParams": [...]}`,
 * two arrays of one length. Each page and parameter is kept as a `JsonNode`;
 * a `null` parameter is kept as JSON `null`.
 *
 * Returns: (transfer full) (nullable): new data, or `NULL` with @error set
 *   to [error@Quarry.Error.UNSUPPORTED_TYPE] when @node has another shape
 */
QuarryInfiniteData *
quarry_infinite_data_new_from_json (JsonNode  *node,
                                    GError   **error)
{
  QuarryInfiniteData *self;
  JsonObject *object;
  JsonNode *pages_node, *params_node;
  JsonArray *pages, *params;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                           _("Infinite query data must be an object with the arrays "
                             "“pages” and “pageParams”"));
      return NULL;
    }

  object = json_node_get_object (node);
  pages_node = json_object_get_member (object, "pages");
  params_node = json_object_get_member (object, "pageParams");
  if (pages_node == NULL || !JSON_NODE_HOLDS_ARRAY (pages_node) ||
      params_node == NULL || !JSON_NODE_HOLDS_ARRAY (params_node))
    {
      g_set_error_literal (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                           _("Infinite query data must be an object with the arrays "
                             "“pages” and “pageParams”"));
      return NULL;
    }

  pages = json_node_get_array (pages_node);
  params = json_node_get_array (params_node);
  if (json_array_get_length (pages) != json_array_get_length (params))
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                   _("Infinite query data has %u pages but %u page parameters"),
                   json_array_get_length (pages), json_array_get_length (params));
      return NULL;
    }

  self = infinite_data_alloc (json_array_get_length (pages));
  for (guint i = 0; i < self->n_pages; i++)
    {
      take_json (&self->pages[i], json_node_copy (json_array_get_element (pages, i)));
      take_json (&self->params[i], json_node_copy (json_array_get_element (params, i)));
    }
  return self;
}

/**
 * quarry_infinite_data_ref:
 * @self: data
 *
 * Takes a reference.
 *
 * Returns: (transfer full): @self
 */
QuarryInfiniteData *
quarry_infinite_data_ref (QuarryInfiniteData *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * quarry_infinite_data_unref:
 * @self: (transfer full): data
 *
 * Drops a reference; the last one frees the data.
 */
void
quarry_infinite_data_unref (QuarryInfiniteData *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  for (guint i = 0; i < self->n_pages; i++)
    {
      if (_quarry_value_is_set (&self->pages[i]))
        g_value_unset (&self->pages[i]);
      if (_quarry_value_is_set (&self->params[i]))
        g_value_unset (&self->params[i]);
    }
  g_free (self->pages);
  g_free (self->params);
  g_free (self);
}

/**
 * quarry_infinite_data_get_n_pages:
 * @self: data
 *
 * Gets the number of pages.
 *
 * Returns: how many pages there are
 */
guint
quarry_infinite_data_get_n_pages (QuarryInfiniteData *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_pages;
}

/**
 * quarry_infinite_data_get_page:
 * @self: data
 * @index: a page index, from 0
 *
 * Gets one page.
 *
 * Returns: (transfer none): the page at @index
 */
const GValue *
quarry_infinite_data_get_page (QuarryInfiniteData *self,
                               guint               index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_pages, NULL);

  return &self->pages[index];
}

/**
 * quarry_infinite_data_get_page_param:
 * @self: data
 * @index: a page index, from 0
 *
 * Gets the parameter one page was fetched with.
 *
 * Returns: (transfer none) (nullable): the parameter the page at @index was
 *   fetched with, or `NULL` if it had none
 */
const GValue *
quarry_infinite_data_get_page_param (QuarryInfiniteData *self,
                                     guint               index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_pages, NULL);

  return _quarry_value_is_set (&self->params[index]) ? &self->params[index] : NULL;
}

static QuarryInfiniteData *
insert_page (QuarryInfiniteData *self,
             guint               at,
             const GValue       *page,
             const GValue       *param)
{
  QuarryInfiniteData *copy = infinite_data_alloc (self->n_pages + 1);

  for (guint i = 0, j = 0; i < copy->n_pages; i++)
    {
      if (i == at)
        {
          copy_value (&copy->pages[i], page);
          copy_value (&copy->params[i], param);
        }
      else
        copy_page (copy, i, self, j++);
    }
  return copy;
}

/**
 * quarry_infinite_data_append_page:
 * @self: data
 * @page: the page to add after the last one
 * @param: (nullable): the parameter it was fetched with
 *
 * Adds a page after the last one, in a copy.
 *
 * Returns: (transfer full): new data: the pages of @self, then @page
 */
QuarryInfiniteData *
quarry_infinite_data_append_page (QuarryInfiniteData *self,
                                  const GValue       *page,
                                  const GValue       *param)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (G_IS_VALUE (page), NULL);

  return insert_page (self, self->n_pages, page, param);
}

/**
 * quarry_infinite_data_prepend_page:
 * @self: data
 * @page: the page to add before the first one
 * @param: (nullable): the parameter it was fetched with
 *
 * Adds a page before the first one, in a copy.
 *
 * Returns: (transfer full): new data: @page, then the pages of @self
 */
QuarryInfiniteData *
quarry_infinite_data_prepend_page (QuarryInfiniteData *self,
                                   const GValue       *page,
                                   const GValue       *param)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (G_IS_VALUE (page), NULL);

  return insert_page (self, 0, page, param);
}

/**
 * quarry_infinite_data_replace_page:
 * @self: data
 * @index: the index of the page to replace
 * @page: the new page
 *
 * Replaces one page, in a copy: use it to change the items of a page by hand.
 *
 * Returns: (transfer full): new data with @page at @index, fetched with the
 *   same parameter as the page it replaces
 */
QuarryInfiniteData *
quarry_infinite_data_replace_page (QuarryInfiniteData *self,
                                   guint               index,
                                   const GValue       *page)
{
  QuarryInfiniteData *copy;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_pages, NULL);
  g_return_val_if_fail (G_IS_VALUE (page), NULL);

  copy = infinite_data_alloc (self->n_pages);
  for (guint i = 0; i < self->n_pages; i++)
    {
      if (i == index)
        {
          copy_value (&copy->pages[i], page);
          copy_value (&copy->params[i], &self->params[i]);
        }
      else
        copy_page (copy, i, self, i);
    }
  return copy;
}

/**
 * quarry_infinite_data_slice:
 * @self: data
 * @start: the index of the first page to keep
 * @n_pages: how many pages to keep
 *
 * Keeps some of the pages, in a copy, as TanStack's `pages.slice()` with `pageParams.slice()`.
 *
 * Returns: (transfer full): new data with the pages from @start, at most
 *   @n_pages of them
 */
QuarryInfiniteData *
quarry_infinite_data_slice (QuarryInfiniteData *self,
                            guint               start,
                            guint               n_pages)
{
  QuarryInfiniteData *copy;

  g_return_val_if_fail (self != NULL, NULL);

  start = MIN (start, self->n_pages);
  n_pages = MIN (n_pages, self->n_pages - start);

  copy = infinite_data_alloc (n_pages);
  for (guint i = 0; i < n_pages; i++)
    copy_page (copy, i, self, start + i);
  return copy;
}

/* JSON for a page or parameter: JSON nodes as they are, strings, numbers
 * and booleans as JSON values, nothing as null. */
static JsonNode *
value_to_json (const GValue  *value,
               GError       **error)
{
  GType type;

  if (value == NULL || !_quarry_value_is_set (value))
    return json_node_new (JSON_NODE_NULL);

  type = G_VALUE_TYPE (value);
  if (type == JSON_TYPE_NODE)
    {
      JsonNode *node = g_value_get_boxed (value);

      return node != NULL ? json_node_copy (node) : json_node_new (JSON_NODE_NULL);
    }

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_STRING:
      if (g_value_get_string (value) == NULL)
        return json_node_new (JSON_NODE_NULL);
      return json_node_init_string (json_node_alloc (), g_value_get_string (value));
    case G_TYPE_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), g_value_get_boolean (value));
    case G_TYPE_INT:
      return json_node_init_int (json_node_alloc (), g_value_get_int (value));
    case G_TYPE_UINT:
      return json_node_init_int (json_node_alloc (), g_value_get_uint (value));
    case G_TYPE_LONG:
      return json_node_init_int (json_node_alloc (), g_value_get_long (value));
    case G_TYPE_INT64:
      return json_node_init_int (json_node_alloc (), g_value_get_int64 (value));
    case G_TYPE_UINT64:
      return json_node_init_int (json_node_alloc (), (gint64) g_value_get_uint64 (value));
    case G_TYPE_DOUBLE:
      return json_node_init_double (json_node_alloc (), g_value_get_double (value));
    case G_TYPE_FLOAT:
      return json_node_init_double (json_node_alloc (), g_value_get_float (value));
    default:
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                   _("A page of type %s cannot be written as JSON"), g_type_name (type));
      return NULL;
    }
}

/**
 * quarry_infinite_data_to_json:
 * @self: data
 * @error: return location for a [error@Quarry.Error]
 *
 * Writes the data in TanStack's shape, `{"pages": [...], "pageParams":
 * [...]}`. JSON pages are copied; strings, numbers and booleans become JSON
 * values and missing parameters `null`.
 *
 * Returns: (transfer full) (nullable): a JSON object, or `NULL` with @error
 *   set when a page is of another type (a GObject, say)
 */
JsonNode *
quarry_infinite_data_to_json (QuarryInfiniteData  *self,
                              GError             **error)
{
  g_autoptr(JsonArray) pages = NULL;
  g_autoptr(JsonArray) params = NULL;
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pages = json_array_sized_new (self->n_pages);
  params = json_array_sized_new (self->n_pages);
  for (guint i = 0; i < self->n_pages; i++)
    {
      JsonNode *page = value_to_json (&self->pages[i], error);
      JsonNode *param;

      if (page == NULL)
        return NULL;
      json_array_add_element (pages, page);

      param = value_to_json (&self->params[i], error);
      if (param == NULL)
        return NULL;
      json_array_add_element (params, param);
    }

  object = json_object_new ();
  json_object_set_array_member (object, "pages", g_steal_pointer (&pages));
  json_object_set_array_member (object, "pageParams", g_steal_pointer (&params));
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

/**
 * quarry_infinite_data_equal:
 * @a: data
 * @b: other data
 *
 * Compares two sets of pages: equal when they have as many pages, each
 * equal (structurally for JSON, GVariant, strings and numbers, by identity
 * for objects), with equal parameters.
 *
 * Returns: whether @a and @b are equal
 */
gboolean
quarry_infinite_data_equal (QuarryInfiniteData *a,
                            QuarryInfiniteData *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a == b)
    return TRUE;
  if (a->n_pages != b->n_pages)
    return FALSE;

  for (guint i = 0; i < a->n_pages; i++)
    if (!_quarry_value_equal (&a->pages[i], &b->pages[i]) ||
        !_quarry_value_equal (&a->params[i], &b->params[i]))
      return FALSE;
  return TRUE;
}

/* Whether a page parameter means "no page": unset, a NULL pointer, or a
 * JSON null. */
gboolean
_quarry_page_param_is_none (const GValue *param)
{
  if (param == NULL || !_quarry_value_is_set (param))
    return TRUE;
  if (G_VALUE_HOLDS (param, JSON_TYPE_NODE))
    {
      JsonNode *node = g_value_get_boxed (param);

      return node == NULL || JSON_NODE_HOLDS_NULL (node);
    }
  if (g_value_fits_pointer (param))
    return g_value_peek_pointer (param) == NULL;
  return FALSE;
}
