/* quarry-gtk-init.h
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
void quarry_gtk_init (void);

G_END_DECLS
