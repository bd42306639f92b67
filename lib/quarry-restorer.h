/* quarry-restorer.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_INSIDE) && !defined(QUARRY_COMPILATION)
#error "Only <quarry.h> can be included directly."
#endif

#include <glib-object.h>

#include "quarry-key.h"
#include "quarry-types.h"

G_BEGIN_DECLS

#define QUARRY_TYPE_RESTORER (quarry_restorer_get_type ())

typedef struct _QuarryRestorer QuarryRestorer;

QUARRY_AVAILABLE_IN_ALL
GType           quarry_restorer_get_type       (void) G_GNUC_CONST;
QUARRY_AVAILABLE_IN_ALL
QuarryRestorer *quarry_restorer_ref            (QuarryRestorer *self);
QUARRY_AVAILABLE_IN_ALL
void            quarry_restorer_unref          (QuarryRestorer *self);
QUARRY_AVAILABLE_IN_ALL
QuarryKey      *quarry_restorer_get_key        (QuarryRestorer *self);
QUARRY_AVAILABLE_IN_ALL
GPtrArray      *quarry_restorer_get_keys       (QuarryRestorer *self) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
gboolean        quarry_restorer_get_is_pending (QuarryRestorer *self);
QUARRY_AVAILABLE_IN_ALL
void            quarry_restorer_restore        (QuarryRestorer *self);
QUARRY_AVAILABLE_IN_ALL
void            quarry_restorer_commit         (QuarryRestorer *self,
                                                const GValue   *confirmed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuarryRestorer, quarry_restorer_unref)

G_END_DECLS
