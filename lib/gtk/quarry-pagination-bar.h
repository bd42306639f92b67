/* quarry-pagination-bar.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_GTK_INSIDE) && !defined(QUARRY_GTK_COMPILATION)
#error "Only <quarry-gtk.h> can be included directly."
#endif

#include <gtk/gtk.h>
#include <quarry.h>

G_BEGIN_DECLS

#define QUARRY_TYPE_PAGINATION_BAR (quarry_pagination_bar_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (QuarryPaginationBar, quarry_pagination_bar, QUARRY, PAGINATION_BAR, GtkWidget)

/**
 * QuarryHasMoreFunc:
 * @data: the data of the page on show
 * @user_data: the data given with the function
 *
 * Decides from a page's data whether a next page exists, for
 * [method@PaginationBar.set_has_more_func].
 *
 * Returns: `TRUE` if there is a next page
 */
typedef gboolean (*QuarryHasMoreFunc) (const GValue *data,
                                       gpointer      user_data);

/**
 * QuarryPaginationBarClass:
 * @parent_class: the parent class
 * @has_more: decides from the data of the page on show whether a next
 *   page exists; see [vfunc@PaginationBar.has_more]
 *
 * The class structure of [class@PaginationBar].
 */
struct _QuarryPaginationBarClass
{
  GtkWidgetClass parent_class;

  gboolean (*has_more) (QuarryPaginationBar *self,
                        const GValue        *data);

  /*< private >*/
  gpointer _reserved[8];
};

QUARRY_AVAILABLE_IN_ALL
GtkWidget   *quarry_pagination_bar_new                 (void) G_GNUC_WARN_UNUSED_RESULT;

QUARRY_AVAILABLE_IN_ALL
QuarryQuery *quarry_pagination_bar_get_query           (QuarryPaginationBar *self);
QUARRY_AVAILABLE_IN_ALL
void         quarry_pagination_bar_set_query           (QuarryPaginationBar *self,
                                                        QuarryQuery         *query);
QUARRY_AVAILABLE_IN_ALL
int          quarry_pagination_bar_get_page            (QuarryPaginationBar *self);
QUARRY_AVAILABLE_IN_ALL
void         quarry_pagination_bar_set_page            (QuarryPaginationBar *self,
                                                        int                  page);
QUARRY_AVAILABLE_IN_ALL
int          quarry_pagination_bar_get_first_page      (QuarryPaginationBar *self);
QUARRY_AVAILABLE_IN_ALL
void         quarry_pagination_bar_set_first_page      (QuarryPaginationBar *self,
                                                        int                  first_page);
QUARRY_AVAILABLE_IN_ALL
QuarryKey   *quarry_pagination_bar_get_base_key        (QuarryPaginationBar *self);
QUARRY_AVAILABLE_IN_ALL
void         quarry_pagination_bar_set_base_key        (QuarryPaginationBar *self,
                                                        QuarryKey           *base_key);
QUARRY_AVAILABLE_IN_ALL
const char  *quarry_pagination_bar_get_has_more_member (QuarryPaginationBar *self);
QUARRY_AVAILABLE_IN_ALL
void         quarry_pagination_bar_set_has_more_member (QuarryPaginationBar *self,
                                                        const char          *member);
QUARRY_AVAILABLE_IN_ALL
void         quarry_pagination_bar_set_has_more_func   (QuarryPaginationBar *self,
                                                        QuarryHasMoreFunc    func,
                                                        gpointer             user_data,
                                                        GDestroyNotify       destroy);
QUARRY_AVAILABLE_IN_ALL
gboolean     quarry_pagination_bar_get_has_more        (QuarryPaginationBar *self);
QUARRY_AVAILABLE_IN_ALL
gboolean     quarry_pagination_bar_get_is_loading      (QuarryPaginationBar *self);

QUARRY_AVAILABLE_IN_ALL
void         quarry_pagination_bar_next_page           (QuarryPaginationBar *self);
QUARRY_AVAILABLE_IN_ALL
void         quarry_pagination_bar_previous_page       (QuarryPaginationBar *self);

G_END_DECLS
