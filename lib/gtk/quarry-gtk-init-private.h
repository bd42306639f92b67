/* quarry-gtk-init-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Generated into quarry-gtk-public-types.c. */
void _quarry_gtk_ensure_public_types (void);

G_END_DECLS
