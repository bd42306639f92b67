/* quarry-gtk-i18n-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib/gi18n-lib.h>

G_BEGIN_DECLS

/* Binds the "quarry" text domain; QuarryGtk's class_init functions call it,
 * so labels are translated without an init call. */
void _quarry_gtk_i18n_init (void);

G_END_DECLS
