/* quarry-clock-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-clock.h"

G_BEGIN_DECLS

typedef struct _QuarryTimer QuarryTimer;
typedef void (*QuarryTimerFunc) (gpointer data);

QuarryTimer  *_quarry_clock_schedule      (QuarryClock     *self,
                                           gint64           delay_ms,
                                           QuarryTimerFunc  func,
                                           gpointer         data);
void          _quarry_timer_cancel        (QuarryTimer     *timer);
GMainContext *_quarry_clock_get_context   (QuarryClock     *self);

static inline void
_quarry_clear_timer (QuarryTimer **timer)
{
  if (*timer != NULL)
    {
      _quarry_timer_cancel (*timer);
      *timer = NULL;
    }
}

G_END_DECLS
