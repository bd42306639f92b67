/* quarry-infinite-query.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-error.h"
#include "quarry-i18n-private.h"
#include "quarry-infinite-models-private.h"
#include "quarry-infinite-query-private.h"
#include "quarry-query-private.h"
#include "quarry-value-private.h"

/**
 * QuarryInfiniteQuery:
 *
 * A query whose data is a list of pages: "load more" lists and infinite
 * scrolling, TanStack Query's `useInfiniteQuery`.
 *
 * The fetch function is called once per page, with the page's parameter in
 * [method@FetchContext.get_page_param]: first the
 * [property@InfiniteQuery:initial-page-param], then whatever the
 * [callback@PageParamFunc] set with
 * [method@InfiniteQuery.set_next_page_param_func] computes from the last
 * page. The data is a [struct@InfiniteData]: the pages and their
 * parameters, shared by every query of the key.
 *
 * [method@InfiniteQuery.fetch_next_page] appends a page and
 * [method@InfiniteQuery.fetch_previous_page] prepends one;
 * [property@InfiniteQuery:has-next-page] says whether there is one, and
 * [property@InfiniteQuery:is-fetching-next-page] whether it is loading.
 * With [property@InfiniteQuery:max-pages], pages beyond the limit are
 * dropped from the other end. A refetch (stale data, invalidation, focus)
 * fetches every stored page again, one after another from the first,
 * following the fresh pages' cursors; one failing page fails the refetch
 * and the stored pages stay.
 *
 * Two list models follow the data: [property@InfiniteQuery:pages], one
 * [class@Page] per page, and [property@InfiniteQuery:items], the items of
 * every page in one flat list for a `GtkListView`. Adding a page adds its
 * items with one `items-changed` emission.
 *
 * ```c
 * static void
 * next_cursor (const GValue *page, QuarryInfiniteData *data, const GValue *page_param,
 *              GValue *param, gpointer user_data, GError **error)
 * {
 *   JsonObject *object = json_node_get_object (g_value_get_boxed (page));
 *
 *   if (json_object_has_member (object, "nextCursor"))
 *     {
 *       g_value_init (param, JSON_TYPE_NODE);
 *       g_value_set_boxed (param, json_object_get_member (object, "nextCursor"));
 *     }
 * }
 *
 * query = quarry_infinite_query_new (client, key, fetch_projects, NULL, NULL);
 * quarry_infinite_query_set_next_page_param_func (query, next_cursor, NULL, NULL);
 * quarry_infinite_query_set_items_member (query, "data");
 * gtk_list_view_set_model (view, make_selection (quarry_infinite_query_get_items (query)));
 * ```
 */

typedef struct
{
  QuarryClosure *next;
  QuarryClosure *previous;
  GValue initial_param;
  guint max_pages;
  char *items_member;
  gboolean cancel_refetch;
  QuarryPaging *paging;        /* made from the above when needed */

  /* has-next/previous-page, memoised on the entry's data (held, so that
   * new data at the same address cannot pass for it) */
  QuarryInfiniteData *memo_data;
  gboolean memo_valid;
  GError *memo_error;
  gboolean computed_has_next;
  gboolean computed_has_previous;

  /* the flags as last notified */
  gboolean has_next_page;
  gboolean has_previous_page;
  gboolean is_fetching_next_page;
  gboolean is_fetching_previous_page;
  gboolean is_fetch_next_page_error;
  gboolean is_fetch_previous_page_error;

  QuarryPageList *pages;
  QuarryItemList *items;
} QuarryInfiniteQueryPrivate;

enum {
  PROP_0,
  PROP_INITIAL_PAGE_PARAM,
  PROP_MAX_PAGES,
  PROP_CANCEL_REFETCH,
  PROP_ITEMS_MEMBER,
  PROP_PAGES,
  PROP_ITEMS,
  PROP_HAS_NEXT_PAGE,
  PROP_HAS_PREVIOUS_PAGE,
  PROP_IS_FETCHING_NEXT_PAGE,
  PROP_IS_FETCHING_PREVIOUS_PAGE,
  PROP_IS_FETCH_NEXT_PAGE_ERROR,
  PROP_IS_FETCH_PREVIOUS_PAGE_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_TYPE_WITH_PRIVATE (QuarryInfiniteQuery, quarry_infinite_query, QUARRY_TYPE_QUERY)

/* Paging options. */

static void
paging_changed (QuarryInfiniteQuery *self)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_clear_pointer (&priv->paging, _quarry_paging_unref);
  priv->memo_valid = FALSE;
  _quarry_query_push_options (QUARRY_QUERY (self));
}

QuarryPaging *
_quarry_infinite_query_dup_paging (QuarryInfiniteQuery *self)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  if (priv->paging == NULL)
    priv->paging = _quarry_paging_new (&priv->initial_param, priv->next, priv->previous,
                                       priv->max_pages, priv->items_member);
  return _quarry_paging_ref (priv->paging);
}

/* Flags and models. */

static gboolean
compute_param (QuarryInfiniteQuery  *self,
               QuarryInfiniteData   *data,
               gboolean              previous,
               gboolean             *has_page,
               GError              **error)
{
  g_autoptr(QuarryPaging) paging = _quarry_infinite_query_dup_paging (self);
  g_auto(GValue) param = G_VALUE_INIT;
  GError *local_error = NULL;

  *has_page = FALSE;
  if (_quarry_paging_get_param (paging, data, previous, &param, &local_error))
    {
      *has_page = _quarry_value_is_set (&param);
      return TRUE;
    }

  if (local_error == NULL)
    local_error = g_error_new_literal (QUARRY_ERROR, QUARRY_ERROR_PAGE_PARAM,
                                       _("The page parameter function failed"));
  g_propagate_error (error, local_error);
  return FALSE;
}

gboolean
_quarry_infinite_query_compute (QuarryInfiniteQuery    *self,
                                const QuarryStateData  *state,
                                GError                **error)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);
  QuarryInfiniteData *data = NULL;

  if (state != NULL && G_VALUE_HOLDS (&state->data, QUARRY_TYPE_INFINITE_DATA))
    data = g_value_get_boxed (&state->data);

  /* TanStack reads the parameters from the entry's data, not from the shown
   * (selected or placeholder) data. */
  if (!priv->memo_valid || data != priv->memo_data)
    {
      g_clear_error (&priv->memo_error);
      g_clear_pointer (&priv->memo_data, quarry_infinite_data_unref);
      priv->memo_data = data ? quarry_infinite_data_ref (data) : NULL;
      priv->memo_valid = TRUE;
      priv->computed_has_next = FALSE;
      priv->computed_has_previous = FALSE;

      if (data != NULL &&
          compute_param (self, data, FALSE, &priv->computed_has_next, &priv->memo_error))
        compute_param (self, data, TRUE, &priv->computed_has_previous, &priv->memo_error);
    }

  if (priv->memo_error != NULL)
    {
      g_propagate_error (error, g_error_copy (priv->memo_error));
      return FALSE;
    }
  return TRUE;
}

static void
commit_flag (gboolean  *flag,
             gboolean   value,
             GPtrArray *changed,
             guint      prop)
{
  if (*flag == value)
    return;
  *flag = value;
  g_ptr_array_add (changed, properties[prop]);
}

static QuarryInfiniteData *
shown_data (QuarryInfiniteQuery *self)
{
  const GValue *value = quarry_query_get_value (QUARRY_QUERY (self));

  if (value != NULL && G_VALUE_HOLDS (value, QUARRY_TYPE_INFINITE_DATA))
    return g_value_get_boxed (value);
  return NULL;
}

void
_quarry_infinite_query_commit (QuarryInfiniteQuery *self,
                               GPtrArray           *changed)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);
  QuarryQuery *query = QUARRY_QUERY (self);
  const QuarryStateData *state = _quarry_query_get_entry_state (query);
  QuarryFetchDirection direction = state != NULL ? state->fetch_direction : QUARRY_FETCH_DIRECTION_NONE;
  gboolean fetching = quarry_query_get_fetch_status (query) == QUARRY_FETCH_STATUS_FETCHING;
  gboolean error = quarry_query_get_status (query) == QUARRY_STATUS_ERROR;
  gboolean has_data = state != NULL && G_VALUE_HOLDS (&state->data, QUARRY_TYPE_INFINITE_DATA);

  commit_flag (&priv->has_next_page, has_data && priv->computed_has_next, changed,
               PROP_HAS_NEXT_PAGE);
  commit_flag (&priv->has_previous_page, has_data && priv->computed_has_previous, changed,
               PROP_HAS_PREVIOUS_PAGE);
  commit_flag (&priv->is_fetching_next_page, fetching && direction == QUARRY_FETCH_DIRECTION_FORWARD,
               changed, PROP_IS_FETCHING_NEXT_PAGE);
  commit_flag (&priv->is_fetching_previous_page, fetching && direction == QUARRY_FETCH_DIRECTION_BACKWARD,
               changed, PROP_IS_FETCHING_PREVIOUS_PAGE);
  commit_flag (&priv->is_fetch_next_page_error, error && direction == QUARRY_FETCH_DIRECTION_FORWARD,
               changed, PROP_IS_FETCH_NEXT_PAGE_ERROR);
  commit_flag (&priv->is_fetch_previous_page_error, error && direction == QUARRY_FETCH_DIRECTION_BACKWARD,
               changed, PROP_IS_FETCH_PREVIOUS_PAGE_ERROR);

  /* Last, so that items-changed handlers see the new flags. */
  if (priv->pages != NULL)
    _quarry_page_list_update (priv->pages, shown_data (self));
  if (priv->items != NULL)
    _quarry_item_list_update (priv->items, shown_data (self), priv->items_member);
}

/* The result of a page fetch, for the _finish () functions. */
static QuarryInfiniteData *
propagate_data (QuarryInfiniteQuery  *self,
                GAsyncResult         *result,
                GError              **error)
{
  g_autoptr(GValue) value = g_task_propagate_pointer (G_TASK (result), error);

  if (value == NULL)
    return NULL;

  if (!G_VALUE_HOLDS (value, QUARRY_TYPE_INFINITE_DATA) || g_value_get_boxed (value) == NULL)
    {
      g_set_error (error, QUARRY_ERROR, QUARRY_ERROR_UNSUPPORTED_TYPE,
                   _("The data of the infinite query is a %s, not pages"), G_VALUE_TYPE_NAME (value));
      return NULL;
    }
  return quarry_infinite_data_ref (g_value_get_boxed (value));
}

/* GObject. */

static void
quarry_infinite_query_dispose (GObject *object)
{
  QuarryInfiniteQuery *self = (QuarryInfiniteQuery *)object;
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  G_OBJECT_CLASS (quarry_infinite_query_parent_class)->dispose (object);

  g_clear_object (&priv->pages);
  g_clear_object (&priv->items);
}

static void
quarry_infinite_query_finalize (GObject *object)
{
  QuarryInfiniteQuery *self = (QuarryInfiniteQuery *)object;
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_clear_pointer (&priv->next, _quarry_closure_unref);
  g_clear_pointer (&priv->previous, _quarry_closure_unref);
  g_clear_pointer (&priv->paging, _quarry_paging_unref);
  if (_quarry_value_is_set (&priv->initial_param))
    g_value_unset (&priv->initial_param);
  g_clear_pointer (&priv->items_member, g_free);
  g_clear_error (&priv->memo_error);
  g_clear_pointer (&priv->memo_data, quarry_infinite_data_unref);

  G_OBJECT_CLASS (quarry_infinite_query_parent_class)->finalize (object);
}

static void
quarry_infinite_query_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  QuarryInfiniteQuery *self = QUARRY_INFINITE_QUERY (object);

  switch (prop_id)
    {
    case PROP_INITIAL_PAGE_PARAM:
      g_value_set_boxed (value, quarry_infinite_query_get_initial_page_param (self));
      break;
    case PROP_MAX_PAGES:
      g_value_set_uint (value, quarry_infinite_query_get_max_pages (self));
      break;
    case PROP_CANCEL_REFETCH:
      g_value_set_boolean (value, quarry_infinite_query_get_cancel_refetch (self));
      break;
    case PROP_ITEMS_MEMBER:
      g_value_set_string (value, quarry_infinite_query_get_items_member (self));
      break;
    case PROP_PAGES:
      g_value_set_object (value, quarry_infinite_query_get_pages (self));
      break;
    case PROP_ITEMS:
      g_value_set_object (value, quarry_infinite_query_get_items (self));
      break;
    case PROP_HAS_NEXT_PAGE:
      g_value_set_boolean (value, quarry_infinite_query_get_has_next_page (self));
      break;
    case PROP_HAS_PREVIOUS_PAGE:
      g_value_set_boolean (value, quarry_infinite_query_get_has_previous_page (self));
      break;
    case PROP_IS_FETCHING_NEXT_PAGE:
      g_value_set_boolean (value, quarry_infinite_query_get_is_fetching_next_page (self));
      break;
    case PROP_IS_FETCHING_PREVIOUS_PAGE:
      g_value_set_boolean (value, quarry_infinite_query_get_is_fetching_previous_page (self));
      break;
    case PROP_IS_FETCH_NEXT_PAGE_ERROR:
      g_value_set_boolean (value, quarry_infinite_query_get_is_fetch_next_page_error (self));
      break;
    case PROP_IS_FETCH_PREVIOUS_PAGE_ERROR:
      g_value_set_boolean (value, quarry_infinite_query_get_is_fetch_previous_page_error (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_infinite_query_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  QuarryInfiniteQuery *self = QUARRY_INFINITE_QUERY (object);

  switch (prop_id)
    {
    case PROP_INITIAL_PAGE_PARAM:
      quarry_infinite_query_set_initial_page_param (self, g_value_get_boxed (value));
      break;
    case PROP_MAX_PAGES:
      quarry_infinite_query_set_max_pages (self, g_value_get_uint (value));
      break;
    case PROP_CANCEL_REFETCH:
      quarry_infinite_query_set_cancel_refetch (self, g_value_get_boolean (value));
      break;
    case PROP_ITEMS_MEMBER:
      quarry_infinite_query_set_items_member (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_infinite_query_class_init (QuarryInfiniteQueryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = quarry_infinite_query_dispose;
  object_class->finalize = quarry_infinite_query_finalize;
  object_class->get_property = quarry_infinite_query_get_property;
  object_class->set_property = quarry_infinite_query_set_property;

  /**
   * QuarryInfiniteQuery:initial-page-param:
   *
   * The parameter of the first page, when no page is stored yet; `NULL`
   * (the default) fetches the first page without one.
   */
  properties[PROP_INITIAL_PAGE_PARAM] =
    g_param_spec_boxed ("initial-page-param", NULL, NULL, G_TYPE_VALUE, rw);

  /**
   * QuarryInfiniteQuery:max-pages:
   *
   * How many pages are kept at most; 0 (the default) keeps them all. A page
   * fetched beyond the limit drops the page at the other end, and a refetch
   * fetches only the pages kept.
   */
  properties[PROP_MAX_PAGES] =
    g_param_spec_uint ("max-pages", NULL, NULL, 0, G_MAXUINT, 0, rw);

  /**
   * QuarryInfiniteQuery:cancel-refetch:
   *
   * Whether [method@InfiniteQuery.fetch_next_page] and
   * [method@InfiniteQuery.fetch_previous_page] cancel a fetch in flight
   * when the entry has data (the default, as TanStack). When `FALSE` they
   * wait for the fetch in flight instead, and fetch no page: only one fetch
   * runs per entry.
   */
  properties[PROP_CANCEL_REFETCH] =
    g_param_spec_boolean ("cancel-refetch", NULL, NULL, TRUE, rw);

  /**
   * QuarryInfiniteQuery:items-member:
   *
   * The member of a JSON object page that holds its items, such as
   * `"data"` for pages `{"data": [...], "nextCursor": 3}`. When it is set,
   * a fetched JSON page without that array fails its fetch with
   * [error@Quarry.Error.UNSUPPORTED_TYPE]. `NULL` (the default) takes the
   * items of JSON array pages.
   */
  properties[PROP_ITEMS_MEMBER] =
    g_param_spec_string ("items-member", NULL, NULL, NULL, rw);

  /**
   * QuarryInfiniteQuery:pages:
   *
   * The shown pages, one [class@Page] per page.
   */
  properties[PROP_PAGES] =
    g_param_spec_object ("pages", NULL, NULL, G_TYPE_LIST_MODEL, ro);

  /**
   * QuarryInfiniteQuery:items:
   *
   * The items of every shown page, in one list: the items of a page that is
   * a `GListModel` (as they are when the page arrives: a page is a
   * snapshot), and [class@JsonItem]s for the elements of a JSON array page
   * (or of its [property@InfiniteQuery:items-member]). Pages of any other
   * kind add no items.
   *
   * It changes with as few `items-changed` emissions as it can: a page
   * appended is one insertion at the end, a page prepended one at the
   * start, and a refetch replaces only the items of the pages that
   * changed. Items of unchanged pages keep their objects.
   */
  properties[PROP_ITEMS] =
    g_param_spec_object ("items", NULL, NULL, G_TYPE_LIST_MODEL, ro);

  /**
   * QuarryInfiniteQuery:has-next-page:
   *
   * Whether the next page parameter function gives a page after the last
   * one.
   */
  properties[PROP_HAS_NEXT_PAGE] =
    g_param_spec_boolean ("has-next-page", NULL, NULL, FALSE, ro);

  /**
   * QuarryInfiniteQuery:has-previous-page:
   *
   * Whether the previous page parameter function gives a page before the
   * first one; `FALSE` without a previous page parameter function.
   */
  properties[PROP_HAS_PREVIOUS_PAGE] =
    g_param_spec_boolean ("has-previous-page", NULL, NULL, FALSE, ro);

  /**
   * QuarryInfiniteQuery:is-fetching-next-page:
   *
   * Whether a next page is being fetched.
   */
  properties[PROP_IS_FETCHING_NEXT_PAGE] =
    g_param_spec_boolean ("is-fetching-next-page", NULL, NULL, FALSE, ro);

  /**
   * QuarryInfiniteQuery:is-fetching-previous-page:
   *
   * Whether a previous page is being fetched.
   */
  properties[PROP_IS_FETCHING_PREVIOUS_PAGE] =
    g_param_spec_boolean ("is-fetching-previous-page", NULL, NULL, FALSE, ro);

  /**
   * QuarryInfiniteQuery:is-fetch-next-page-error:
   *
   * Whether the query is in error because fetching the next page failed.
   * The pages fetched before stay.
   */
  properties[PROP_IS_FETCH_NEXT_PAGE_ERROR] =
    g_param_spec_boolean ("is-fetch-next-page-error", NULL, NULL, FALSE, ro);

  /**
   * QuarryInfiniteQuery:is-fetch-previous-page-error:
   *
   * Whether the query is in error because fetching the previous page
   * failed. The pages fetched before stay.
   */
  properties[PROP_IS_FETCH_PREVIOUS_PAGE_ERROR] =
    g_param_spec_boolean ("is-fetch-previous-page-error", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quarry_infinite_query_init (QuarryInfiniteQuery *self)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  priv->cancel_refetch = TRUE;
}

/**
 * quarry_infinite_query_new:
 * @client: the client whose cache the query uses
 * @key: (nullable): the key of the entry to show, or `NULL` to start disabled
 * @fetch_func: (nullable) (scope notified) (closure user_data) (destroy destroy):
 *   fetches one page
 * @user_data: data for @fetch_func
 * @destroy: (nullable): frees @user_data
 *
 * Makes an infinite query. Set its page parameter functions and initial
 * page parameter before returning to the main loop: it mounts, and fetches
 * its first page, on the next iteration.
 *
 * Returns: (transfer full): a new infinite query
 */
QuarryInfiniteQuery *
quarry_infinite_query_new (QuarryQueryClient *client,
                           QuarryKey         *key,
                           QuarryFetchFunc    fetch_func,
                           gpointer           user_data,
                           GDestroyNotify     destroy)
{
  QuarryInfiniteQuery *self;

  g_return_val_if_fail (QUARRY_IS_QUERY_CLIENT (client), NULL);

  self = g_object_new (QUARRY_TYPE_INFINITE_QUERY, "client", client, "key", key, NULL);
  quarry_query_set_fetch_func (QUARRY_QUERY (self), fetch_func, user_data, destroy);
  return self;
}

static void
set_closure (QuarryInfiniteQuery  *self,
             QuarryClosure       **closure,
             QuarryPageParamFunc   func,
             gpointer              user_data,
             GDestroyNotify        destroy)
{
  g_clear_pointer (closure, _quarry_closure_unref);
  if (func != NULL)
    *closure = _quarry_closure_new (func, user_data, destroy);
  else if (destroy != NULL)
    destroy (user_data);

  paging_changed (self);
  _quarry_query_entry_updated (QUARRY_QUERY (self), QUARRY_QUERY_ACTION_SET_STATE);
}

/**
 * quarry_infinite_query_set_next_page_param_func:
 * @self: an infinite query
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy):
 *   computes the parameter of the page after the last one
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Sets how the next page is found, TanStack's `getNextPageParam`. Without
 * one there is never a next page and a refetch fetches only the first.
 */
void
quarry_infinite_query_set_next_page_param_func (QuarryInfiniteQuery *self,
                                                QuarryPageParamFunc  func,
                                                gpointer             user_data,
                                                GDestroyNotify       destroy)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_QUERY (self));

  set_closure (self, &priv->next, func, user_data, destroy);
}

/**
 * quarry_infinite_query_set_previous_page_param_func:
 * @self: an infinite query
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy):
 *   computes the parameter of the page before the first one
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Sets how the previous page is found, TanStack's `getPreviousPageParam`,
 * for lists that grow both ways.
 */
void
quarry_infinite_query_set_previous_page_param_func (QuarryInfiniteQuery *self,
                                                    QuarryPageParamFunc  func,
                                                    gpointer             user_data,
                                                    GDestroyNotify       destroy)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_QUERY (self));

  set_closure (self, &priv->previous, func, user_data, destroy);
}

/**
 * quarry_infinite_query_get_initial_page_param:
 * @self: an infinite query
 *
 * Gets [property@InfiniteQuery:initial-page-param].
 *
 * Returns: (transfer none) (nullable): the [property@InfiniteQuery:initial-page-param]
 */
const GValue *
quarry_infinite_query_get_initial_page_param (QuarryInfiniteQuery *self)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_QUERY (self), NULL);

  return _quarry_value_is_set (&priv->initial_param) ? &priv->initial_param : NULL;
}

/**
 * quarry_infinite_query_set_initial_page_param:
 * @self: an infinite query
 * @param: (nullable): the parameter of the first page
 *
 * Sets the [property@InfiniteQuery:initial-page-param].
 */
void
quarry_infinite_query_set_initial_page_param (QuarryInfiniteQuery *self,
                                              const GValue        *param)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_QUERY (self));

  if (param != NULL && !_quarry_value_is_set (param))
    param = NULL;
  if (param == NULL ? !_quarry_value_is_set (&priv->initial_param)
                    : _quarry_value_equal (&priv->initial_param, param))
    return;

  if (_quarry_value_is_set (&priv->initial_param))
    g_value_unset (&priv->initial_param);
  if (param != NULL)
    _quarry_value_store (&priv->initial_param, param);

  paging_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INITIAL_PAGE_PARAM]);
}

/**
 * quarry_infinite_query_get_max_pages:
 * @self: an infinite query
 *
 * Gets [property@InfiniteQuery:max-pages].
 *
 * Returns: the [property@InfiniteQuery:max-pages]
 */
guint
quarry_infinite_query_get_max_pages (QuarryInfiniteQuery *self)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_QUERY (self), 0);

  return priv->max_pages;
}

/**
 * quarry_infinite_query_set_max_pages:
 * @self: an infinite query
 * @max_pages: the most pages to keep, or 0 for no limit
 *
 * Sets the [property@InfiniteQuery:max-pages].
 */
void
quarry_infinite_query_set_max_pages (QuarryInfiniteQuery *self,
                                     guint                max_pages)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_QUERY (self));

  if (priv->max_pages == max_pages)
    return;

  priv->max_pages = max_pages;
  paging_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_PAGES]);
}

/**
 * quarry_infinite_query_get_cancel_refetch:
 * @self: an infinite query
 *
 * Gets [property@InfiniteQuery:cancel-refetch].
 *
 * Returns: the [property@InfiniteQuery:cancel-refetch]
 */
gboolean
quarry_infinite_query_get_cancel_refetch (QuarryInfiniteQuery *self)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_QUERY (self), TRUE);

  return priv->cancel_refetch;
}

/**
 * quarry_infinite_query_set_cancel_refetch:
 * @self: an infinite query
 * @cancel_refetch: whether page fetches cancel a fetch in flight
 *
 * Sets the [property@InfiniteQuery:cancel-refetch].
 */
void
quarry_infinite_query_set_cancel_refetch (QuarryInfiniteQuery *self,
                                          gboolean             cancel_refetch)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_QUERY (self));

  cancel_refetch = !!cancel_refetch;
  if (priv->cancel_refetch == cancel_refetch)
    return;

  priv->cancel_refetch = cancel_refetch;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANCEL_REFETCH]);
}

/**
 * quarry_infinite_query_get_items_member:
 * @self: an infinite query
 *
 * Gets [property@InfiniteQuery:items-member].
 *
 * Returns: (nullable): the [property@InfiniteQuery:items-member]
 */
const char *
quarry_infinite_query_get_items_member (QuarryInfiniteQuery *self)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_QUERY (self), NULL);

  return priv->items_member;
}

/**
 * quarry_infinite_query_set_items_member:
 * @self: an infinite query
 * @member: (nullable): the member of a JSON page that holds its items
 *
 * Sets the [property@InfiniteQuery:items-member].
 */
void
quarry_infinite_query_set_items_member (QuarryInfiniteQuery *self,
                                        const char          *member)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_return_if_fail (QUARRY_IS_INFINITE_QUERY (self));

  if (g_strcmp0 (priv->items_member, member) == 0)
    return;

  g_free (priv->items_member);
  priv->items_member = g_strdup (member);
  paging_changed (self);
  if (priv->items != NULL)
    _quarry_item_list_reset (priv->items, priv->items_member);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS_MEMBER]);
}

/**
 * quarry_infinite_query_get_data:
 * @self: an infinite query
 *
 * Gets the shown pages: the value of [property@Query:data] when it holds
 * pages.
 *
 * Returns: (transfer none) (nullable): the pages, or `NULL` while there are
 *   none
 */
QuarryInfiniteData *
quarry_infinite_query_get_data (QuarryInfiniteQuery *self)
{
  g_return_val_if_fail (QUARRY_IS_INFINITE_QUERY (self), NULL);

  return shown_data (self);
}

/**
 * quarry_infinite_query_get_pages:
 * @self: an infinite query
 *
 * Gets [property@InfiniteQuery:pages].
 *
 * Returns: (transfer none): the [property@InfiniteQuery:pages] model
 */
GListModel *
quarry_infinite_query_get_pages (QuarryInfiniteQuery *self)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_QUERY (self), NULL);

  if (priv->pages == NULL)
    {
      priv->pages = _quarry_page_list_new ();
      _quarry_page_list_update (priv->pages, shown_data (self));
    }
  return G_LIST_MODEL (priv->pages);
}

/**
 * quarry_infinite_query_get_items:
 * @self: an infinite query
 *
 * Gets [property@InfiniteQuery:items].
 *
 * Returns: (transfer none): the [property@InfiniteQuery:items] model
 */
GListModel *
quarry_infinite_query_get_items (QuarryInfiniteQuery *self)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  g_return_val_if_fail (QUARRY_IS_INFINITE_QUERY (self), NULL);

  if (priv->items == NULL)
    {
      priv->items = _quarry_item_list_new ();
      _quarry_item_list_update (priv->items, shown_data (self), priv->items_member);
    }
  return G_LIST_MODEL (priv->items);
}

#define FLAG_GETTER(name) \
  gboolean \
  quarry_infinite_query_get_##name (QuarryInfiniteQuery *self) \
  { \
    QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self); \
    g_return_val_if_fail (QUARRY_IS_INFINITE_QUERY (self), FALSE); \
    return priv->name; \
  }

/**
 * quarry_infinite_query_get_has_next_page:
 * @self: an infinite query
 *
 * Gets [property@InfiniteQuery:has-next-page].
 *
 * Returns: the [property@InfiniteQuery:has-next-page]
 */
FLAG_GETTER (has_next_page)

/**
 * quarry_infinite_query_get_has_previous_page:
 * @self: an infinite query
 *
 * Gets [property@InfiniteQuery:has-previous-page].
 *
 * Returns: the [property@InfiniteQuery:has-previous-page]
 */
FLAG_GETTER (has_previous_page)

/**
 * quarry_infinite_query_get_is_fetching_next_page:
 * @self: an infinite query
 *
 * Gets [property@InfiniteQuery:is-fetching-next-page].
 *
 * Returns: the [property@InfiniteQuery:is-fetching-next-page]
 */
FLAG_GETTER (is_fetching_next_page)

/**
 * quarry_infinite_query_get_is_fetching_previous_page:
 * @self: an infinite query
 *
 * Gets [property@InfiniteQuery:is-fetching-previous-page].
 *
 * Returns: the [property@InfiniteQuery:is-fetching-previous-page]
 */
FLAG_GETTER (is_fetching_previous_page)

/**
 * quarry_infinite_query_get_is_fetch_next_page_error:
 * @self: an infinite query
 *
 * Gets [property@InfiniteQuery:is-fetch-next-page-error].
 *
 * Returns: the [property@InfiniteQuery:is-fetch-next-page-error]
 */
FLAG_GETTER (is_fetch_next_page_error)

/**
 * quarry_infinite_query_get_is_fetch_previous_page_error:
 * @self: an infinite query
 *
 * Gets [property@InfiniteQuery:is-fetch-previous-page-error].
 *
 * Returns: the [property@InfiniteQuery:is-fetch-previous-page-error]
 */
FLAG_GETTER (is_fetch_previous_page_error)

static void
fetch_page (QuarryInfiniteQuery  *self,
            QuarryFetchDirection  direction,
            GTask                *task)
{
  QuarryInfiniteQueryPrivate *priv = quarry_infinite_query_get_instance_private (self);

  _quarry_query_fetch_direction (QUARRY_QUERY (self), priv->cancel_refetch, direction, task);
}

static GTask *
page_task_new (QuarryInfiniteQuery *self,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, "[quarry] fetch page");
  return task;
}

/**
 * quarry_infinite_query_fetch_next_page:
 * @self: an infinite query
 *
 * Fetches the page after the last one and appends it, dropping the first
 * page beyond [property@InfiniteQuery:max-pages]. When there is no next
 * page the data stays as it is and the fetch function is not called;
 * without pages yet it fetches the first page.
 *
 * A fetch in flight is cancelled if the entry has data and
 * [property@InfiniteQuery:cancel-refetch] is set, and shared otherwise.
 */
void
quarry_infinite_query_fetch_next_page (QuarryInfiniteQuery *self)
{
  g_return_if_fail (QUARRY_IS_INFINITE_QUERY (self));

  fetch_page (self, QUARRY_FETCH_DIRECTION_FORWARD, NULL);
}

/**
 * quarry_infinite_query_fetch_next_page_async:
 * @self: an infinite query
 * @cancellable: (nullable): a cancellable for the wait (not the fetch)
 * @callback: (scope async) (closure user_data): called when the fetch settled
 * @user_data: data for @callback
 *
 * Fetches the next page as [method@InfiniteQuery.fetch_next_page] does and
 * calls @callback when the fetch settled.
 */
void
quarry_infinite_query_fetch_next_page_async (QuarryInfiniteQuery *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (QUARRY_IS_INFINITE_QUERY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = page_task_new (self, cancellable, callback, user_data,
                        quarry_infinite_query_fetch_next_page_async);
  fetch_page (self, QUARRY_FETCH_DIRECTION_FORWARD, task);
}

/**
 * quarry_infinite_query_fetch_next_page_finish:
 * @self: an infinite query
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Finishes [method@InfiniteQuery.fetch_next_page_async].
 *
 * Returns: (transfer full): the pages after the fetch, or `NULL` with
 *   @error set
 */
QuarryInfiniteData *
quarry_infinite_query_fetch_next_page_finish (QuarryInfiniteQuery  *self,
                                              GAsyncResult         *result,
                                              GError              **error)
{
  g_return_val_if_fail (QUARRY_IS_INFINITE_QUERY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return propagate_data (self, result, error);
}

/**
 * quarry_infinite_query_fetch_previous_page:
 * @self: an infinite query
 *
 * Fetches the page before the first one and prepends it, dropping the last
 * page beyond [property@InfiniteQuery:max-pages]. When there is no previous
 * page the data stays as it is and the fetch function is not called.
 */
void
quarry_infinite_query_fetch_previous_page (QuarryInfiniteQuery *self)
{
  g_return_if_fail (QUARRY_IS_INFINITE_QUERY (self));

  fetch_page (self, QUARRY_FETCH_DIRECTION_BACKWARD, NULL);
}

/**
 * quarry_infinite_query_fetch_previous_page_async:
 * @self: an infinite query
 * @cancellable: (nullable): a cancellable for the wait (not the fetch)
 * @callback: (scope async) (closure user_data): called when the fetch settled
 * @user_data: data for @callback
 *
 * Fetches the previous page as [method@InfiniteQuery.fetch_previous_page]
 * does and calls @callback when the fetch settled.
 */
void
quarry_infinite_query_fetch_previous_page_async (QuarryInfiniteQuery *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (QUARRY_IS_INFINITE_QUERY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = page_task_new (self, cancellable, callback, user_data,
                        quarry_infinite_query_fetch_previous_page_async);
  fetch_page (self, QUARRY_FETCH_DIRECTION_BACKWARD, task);
}

/**
 * quarry_infinite_query_fetch_previous_page_finish:
 * @self: an infinite query
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Finishes [method@InfiniteQuery.fetch_previous_page_async].
 *
 * Returns: (transfer full): the pages after the fetch, or `NULL` with
 *   @error set
 */
QuarryInfiniteData *
quarry_infinite_query_fetch_previous_page_finish (QuarryInfiniteQuery  *self,
                                                  GAsyncResult         *result,
                                                  GError              **error)
{
  g_return_val_if_fail (QUARRY_IS_INFINITE_QUERY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return propagate_data (self, result, error);
}
