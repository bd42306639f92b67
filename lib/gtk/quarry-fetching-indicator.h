/* quarry-fetching-indicator.h
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

#define QUARRY_TYPE_FETCHING_INDICATOR (quarry_fetching_indicator_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryFetchingIndicator, quarry_fetching_indicator, QUARRY, FETCHING_INDICATOR, GtkWidget)

QUARRY_AVAILABLE_IN_ALL
GtkWidget         *quarry_fetching_indicator_new                   (QuarryQueryClient       *client) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryQueryClient *quarry_fetching_indicator_get_client            (QuarryFetchingIndicator *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_fetching_indicator_set_client            (QuarryFetchingIndicator *self,
                                                                    QuarryQueryClient       *client);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_fetching_indicator_get_include_mutations (QuarryFetchingIndicator *self);
QUARRY_AVAILABLE_IN_ALL
void               quarry_fetching_indicator_set_include_mutations (QuarryFetchingIndicator *self,
                                                                    gboolean                 include_mutations);
QUARRY_AVAILABLE_IN_ALL
gboolean           quarry_fetching_indicator_get_active            (QuarryFetchingIndicator *self);

G_END_DECLS
