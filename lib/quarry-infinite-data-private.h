/* quarry-infinite-data-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-infinite-data.h"

G_BEGIN_DECLS

/* Copies the values of two arrays of GValue * (params may hold NULL). */
QuarryInfiniteData *_quarry_infinite_data_new_take (GPtrArray    *pages,
                                                    GPtrArray    *params);
gboolean            _quarry_page_param_is_none     (const GValue *param);

G_END_DECLS
