/* quarry-page.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <glib-object.h>

#include "quarry-version.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_PAGE (quarry_page_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryPage, quarry_page, QUARRY, PAGE, GObject)

QUARRY_AVAILABLE_IN_ALL
const GValue *quarry_page_get_data  (QuarryPage *self);
QUARRY_AVAILABLE_IN_ALL
const GValue *quarry_page_get_param (QuarryPage *self);

G_END_DECLS
