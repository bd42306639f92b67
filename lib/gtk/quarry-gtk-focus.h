/* quarry-gtk-focus.h
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

QUARRY_AVAILABLE_IN_ALL
void quarry_gtk_track_window        (QuarryQueryClient *client,
                                     GtkWindow         *window);
QUARRY_AVAILABLE_IN_ALL
void quarry_gtk_untrack_window      (QuarryQueryClient *client,
                                     GtkWindow         *window);
QUARRY_AVAILABLE_IN_ALL
void quarry_gtk_track_application   (QuarryQueryClient *client,
                                     GtkApplication    *application);
QUARRY_AVAILABLE_IN_ALL
void quarry_gtk_untrack_application (QuarryQueryClient *client,
                                     GtkApplication    *application);

G_END_DECLS
