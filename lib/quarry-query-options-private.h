/* quarry-query-options-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-option-values-private.h"
#include "quarry-query-options.h"

G_BEGIN_DECLS

const QuarryOptionValues *_quarry_query_options_get_values (QuarryQueryOptions *self);

G_END_DECLS
