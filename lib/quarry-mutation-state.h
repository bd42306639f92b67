/* quarry-mutation-state.h
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

#define QUARRY_TYPE_MUTATION_STATE (quarry_mutation_state_get_type ())

typedef struct _QuarryMutationState QuarryMutationState;

QUARRY_AVAILABLE_IN_ALL
GType                 quarry_mutation_state_get_type           (void) G_GNUC_CONST;
QUARRY_AVAILABLE_IN_ALL
QuarryMutationState  *quarry_mutation_state_ref                (QuarryMutationState *self);
QUARRY_AVAILABLE_IN_ALL
void                  quarry_mutation_state_unref              (QuarryMutationState *self);
QUARRY_AVAILABLE_IN_ALL
guint64               quarry_mutation_state_get_mutation_id    (QuarryMutationState *self);
QUARRY_AVAILABLE_IN_ALL
QuarryKey            *quarry_mutation_state_get_mutation_key   (QuarryMutationState *self);
QUARRY_AVAILABLE_IN_ALL
const char           *quarry_mutation_state_get_scope_id       (QuarryMutationState *self);
QUARRY_AVAILABLE_IN_ALL
QuarryMutationStatus  quarry_mutation_state_get_status         (QuarryMutationState *self);
QUARRY_AVAILABLE_IN_ALL
const GValue         *quarry_mutation_state_get_value          (QuarryMutationState *self);
QUARRY_AVAILABLE_IN_ALL
const GError         *quarry_mutation_state_get_error          (QuarryMutationState *self);
QUARRY_AVAILABLE_IN_ALL
const GValue         *quarry_mutation_state_get_variables      (QuarryMutationState *self);
QUARRY_AVAILABLE_IN_ALL
const GValue         *quarry_mutation_state_get_context        (QuarryMutationState *self);
QUARRY_AVAILABLE_IN_ALL
guint                 quarry_mutation_state_get_failure_count  (QuarryMutationState *self);
QUARRY_AVAILABLE_IN_ALL
const GError         *quarry_mutation_state_get_failure_reason (QuarryMutationState *self);
QUARRY_AVAILABLE_IN_ALL
gboolean              quarry_mutation_state_get_is_paused      (QuarryMutationState *self);
QUARRY_AVAILABLE_IN_ALL
gint64                quarry_mutation_state_get_submitted_at   (QuarryMutationState *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuarryMutationState, quarry_mutation_state_unref)

G_END_DECLS
