/* quarry-infinite-footer-private.h: the last row of a QuarryInfiniteListView
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the footer row shows; QuarryInfiniteListView computes it from its
 * query (see quarry-infinite-list-view.c, footer_state ()). */
typedef enum
{
  QUARRY_INFINITE_FOOTER_NONE,       /* nothing: no data yet */
  QUARRY_INFINITE_FOOTER_LOADING,    /* spinner: the next page is loading */
  QUARRY_INFINITE_FOOTER_ERROR,      /* the next page failed: message + Retry */
  QUARRY_INFINITE_FOOTER_LOAD_MORE,  /* a next page exists: "Load more" */
  QUARRY_INFINITE_FOOTER_END,        /* no next page: "No more items" */
} QuarryInfiniteFooterState;

#define QUARRY_TYPE_INFINITE_FOOTER_STATE (_quarry_infinite_footer_state_get_type ())

GType _quarry_infinite_footer_state_get_type (void) G_GNUC_CONST;

/* The item of the footer row in the view's model. It carries the state and
 * the error message, so that every footer widget bound to it follows them,
 * and relays the footer's buttons to the view (::load-requested). */
#define QUARRY_TYPE_INFINITE_FOOTER_ITEM (_quarry_infinite_footer_item_get_type ())

G_DECLARE_FINAL_TYPE (QuarryInfiniteFooterItem, _quarry_infinite_footer_item,
                      QUARRY, INFINITE_FOOTER_ITEM, GObject)

QuarryInfiniteFooterItem  *_quarry_infinite_footer_item_new           (void);
QuarryInfiniteFooterState  _quarry_infinite_footer_item_get_state     (QuarryInfiniteFooterItem  *self);
const char                *_quarry_infinite_footer_item_get_message   (QuarryInfiniteFooterItem  *self);
void                       _quarry_infinite_footer_item_update        (QuarryInfiniteFooterItem  *self,
                                                                       QuarryInfiniteFooterState  state,
                                                                       const char                *message);
void                       _quarry_infinite_footer_item_request_load  (QuarryInfiniteFooterItem  *self);

/* The footer row's widget: a stack of the states above, bound to its item. */
#define QUARRY_TYPE_INFINITE_FOOTER (_quarry_infinite_footer_get_type ())

G_DECLARE_FINAL_TYPE (QuarryInfiniteFooter, _quarry_infinite_footer,
                      QUARRY, INFINITE_FOOTER, GtkWidget)

GtkWidget                 *_quarry_infinite_footer_new                (void);
QuarryInfiniteFooterItem  *_quarry_infinite_footer_get_item           (QuarryInfiniteFooter      *self);
void                       _quarry_infinite_footer_set_item           (QuarryInfiniteFooter      *self,
                                                                       QuarryInfiniteFooterItem  *item);

G_END_DECLS
