/* quarry-infinite-data.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "quarry-version.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_INFINITE_DATA (quarry_infinite_data_get_type ())

typedef struct _QuarryInfiniteData QuarryInfiniteData;

QUARRY_AVAILABLE_IN_ALL
GType               quarry_infinite_data_get_type       (void) G_GNUC_CONST;
QUARRY_AVAILABLE_IN_ALL
QuarryInfiniteData *quarry_infinite_data_new            (void) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryInfiniteData *quarry_infinite_data_new_from_json  (JsonNode            *node,
                                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryInfiniteData *quarry_infinite_data_ref            (QuarryInfiniteData  *self);
QUARRY_AVAILABLE_IN_ALL
void                quarry_infinite_data_unref          (QuarryInfiniteData  *self);
QUARRY_AVAILABLE_IN_ALL
guint               quarry_infinite_data_get_n_pages    (QuarryInfiniteData  *self);
QUARRY_AVAILABLE_IN_ALL
const GValue       *quarry_infinite_data_get_page       (QuarryInfiniteData  *self,
                                                         guint                index);
QUARRY_AVAILABLE_IN_ALL
const GValue       *quarry_infinite_data_get_page_param (QuarryInfiniteData  *self,
                                                         guint                index);
QUARRY_AVAILABLE_IN_ALL
QuarryInfiniteData *quarry_infinite_data_append_page    (QuarryInfiniteData  *self,
                                                         const GValue        *page,
                                                         const GValue        *param) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryInfiniteData *quarry_infinite_data_prepend_page   (QuarryInfiniteData  *self,
                                                         const GValue        *page,
                                                         const GValue        *param) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryInfiniteData *quarry_infinite_data_replace_page   (QuarryInfiniteData  *self,
                                                         guint                index,
                                                         const GValue        *page) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryInfiniteData *quarry_infinite_data_slice          (QuarryInfiniteData  *self,
                                                         guint                start,
                                                         guint                n_pages) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
JsonNode           *quarry_infinite_data_to_json        (QuarryInfiniteData  *self,
                                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
gboolean            quarry_infinite_data_equal          (QuarryInfiniteData  *a,
                                                         QuarryInfiniteData  *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuarryInfiniteData, quarry_infinite_data_unref)

G_END_DECLS
