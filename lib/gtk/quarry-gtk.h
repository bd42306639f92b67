/* quarry-gtk.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <quarry.h>

#define _QUARRY_GTK_INSIDE

#include "quarry-gtk-enums.h"
#include "quarry-gtk-init.h"
#include "quarry-gtk-activity.h"
#include "quarry-gtk-focus.h"
#include "quarry-fetching-indicator.h"
#include "quarry-infinite-list-view.h"
#include "quarry-mutation-button.h"
#include "quarry-pagination-bar.h"
#include "quarry-query-view.h"

#undef _QUARRY_GTK_INSIDE
