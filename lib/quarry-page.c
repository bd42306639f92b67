/* quarry-page.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-infinite-models-private.h"
#include "quarry-value-private.h"

/**
 * QuarryPage:
 *
 * One page of an [class@InfiniteQuery], as an item of
 * [method@InfiniteQuery.get_pages]: the page's data and the parameter it was
 * fetched with.
 *
 * A page is immutable. A refetch that brings an equal page keeps its
 * `QuarryPage`; a changed page is a new object.
 */

struct _QuarryPage
{
  GObject parent_instance;

  GValue data;
  GValue param;
};

enum {
  PROP_0,
  PROP_DATA,
  PROP_PARAM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (QuarryPage, quarry_page, G_TYPE_OBJECT)

static void
quarry_page_finalize (GObject *object)
{
  QuarryPage *self = (QuarryPage *)object;

  if (_quarry_value_is_set (&self->data))
    g_value_unset (&self->data);
  if (_quarry_value_is_set (&self->param))
    g_value_unset (&self->param);

  G_OBJECT_CLASS (quarry_page_parent_class)->finalize (object);
}

static void
quarry_page_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  QuarryPage *self = QUARRY_PAGE (object);

  switch (prop_id)
    {
    case PROP_DATA:
      g_value_set_boxed (value, quarry_page_get_data (self));
      break;
    case PROP_PARAM:
      g_value_set_boxed (value, quarry_page_get_param (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_page_class_init (QuarryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = quarry_page_finalize;
  object_class->get_property = quarry_page_get_property;

  /**
   * QuarryPage:data:
   *
   * The page, as the fetch function returned it.
   */
  properties[PROP_DATA] =
    g_param_spec_boxed ("data", NULL, NULL, G_TYPE_VALUE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryPage:param:
   *
   * The parameter the page was fetched with, or `NULL`.
   */
  properties[PROP_PARAM] =
    g_param_spec_boxed ("param", NULL, NULL, G_TYPE_VALUE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quarry_page_init (QuarryPage *self)
{
}

QuarryPage *
_quarry_page_new (const GValue *data,
                  const GValue *param)
{
  QuarryPage *self = g_object_new (QUARRY_TYPE_PAGE, NULL);

  _quarry_value_store (&self->data, data);
  if (param != NULL && _quarry_value_is_set (param))
    _quarry_value_store (&self->param, param);
  return self;
}

/**
 * quarry_page_get_data:
 * @self: a page
 *
 * Gets the page's data.
 *
 * Returns: (transfer none): the page's data
 */
const GValue *
quarry_page_get_data (QuarryPage *self)
{
  g_return_val_if_fail (QUARRY_IS_PAGE (self), NULL);

  return &self->data;
}

/**
 * quarry_page_get_param:
 * @self: a page
 *
 * Gets the parameter the page was fetched with.
 *
 * Returns: (transfer none) (nullable): the parameter the page was fetched
 *   with, or `NULL`
 */
const GValue *
quarry_page_get_param (QuarryPage *self)
{
  g_return_val_if_fail (QUARRY_IS_PAGE (self), NULL);

  return _quarry_value_is_set (&self->param) ? &self->param : NULL;
}
