/* quarry-query-options.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <glib-object.h>

#include "quarry-types.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_QUERY_OPTIONS (quarry_query_options_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryQueryOptions, quarry_query_options, QUARRY, QUERY_OPTIONS, GObject)

QUARRY_AVAILABLE_IN_ALL
QuarryQueryOptions *quarry_query_options_new    (void) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
gboolean            quarry_query_options_is_set (QuarryQueryOptions *self,
                                                 const char         *name);
QUARRY_AVAILABLE_IN_ALL
void                quarry_query_options_unset  (QuarryQueryOptions *self,
                                                 const char         *name);

G_END_DECLS
