/* quarry-gtk-init.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-gtk.h"
#include "quarry-gtk-i18n-private.h"
#include "quarry-gtk-init-private.h"

/**
 * quarry_gtk_init:
 *
 * Makes every QuarryGtk type known to the type system, so that
 * [class@Gtk.Builder] finds them by name.
 *
 * Call it once before loading `.ui` files that name QuarryGtk types, such as
 * `<object class="QuarryQueryView">`, from your own code. Python
 * applications need it too: types of a library loaded through its typelib
 * are not visible to GtkBuilder's name lookup. QuarryGtk's own widgets call
 * it themselves, and calling it again does nothing.
 *
 * It also binds the `quarry` gettext domain, so QuarryGtk's labels are
 * translated.
 */
void
quarry_gtk_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      _quarry_gtk_i18n_init ();
      _quarry_gtk_ensure_public_types ();
      g_once_init_leave (&initialized, 1);
    }
}
