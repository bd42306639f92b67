/* quarry-clock.h
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

#define QUARRY_TYPE_CLOCK (quarry_clock_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (QuarryClock, quarry_clock, QUARRY, CLOCK, GObject)

QUARRY_AVAILABLE_IN_ALL
QuarryClock *quarry_clock_new                 (void) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
QuarryClock *quarry_clock_new_manual          (gint64       wall_time_ms) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
gboolean     quarry_clock_get_manual          (QuarryClock *self);
QUARRY_AVAILABLE_IN_ALL
gint64       quarry_clock_get_monotonic_time  (QuarryClock *self);
QUARRY_AVAILABLE_IN_ALL
gint64       quarry_clock_get_wall_time       (QuarryClock *self);
QUARRY_AVAILABLE_IN_ALL
guint        quarry_clock_get_n_timers        (QuarryClock *self);
QUARRY_AVAILABLE_IN_ALL
void         quarry_clock_advance             (QuarryClock *self,
                                               gint64       milliseconds);
QUARRY_AVAILABLE_IN_ALL
void         quarry_clock_flush               (QuarryClock *self);

G_END_DECLS
