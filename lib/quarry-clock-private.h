/* quarry-clock-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-clock.h"

G_BEGIN_DECLS

typedef struct _QuarryTimer QuarryTimer;
typedef void (*QuarryTimerFunc) (gpointer data);

/* A queued timer, embedded in what it times: see _quarry_clock_queue (). */
typedef struct _QuarryTimerLink QuarryTimerLink;
struct _QuarryTimerLink
{
  QuarryTimerLink *next;       /* NULL while not queued */
  QuarryTimerLink *prev;
  gint64 deadline;
  guint64 serial;              /* when it was armed, among all timers */
};
typedef void (*QuarryTimerLinkFunc) (QuarryTimerLink *link);

QuarryTimer  *_quarry_clock_schedule      (QuarryClock     *self,
                                           gint64           delay_ms,
                                           QuarryTimerFunc  func,
                                           gpointer         data);
void          _quarry_timer_cancel        (QuarryTimer     *timer);
void          _quarry_clock_queue         (QuarryClock          *self,
                                           QuarryTimerLink      *link,
                                           gint64                delay_ms,
                                           QuarryTimerLinkFunc   func);
void          _quarry_clock_unqueue       (QuarryClock          *self,
                                           QuarryTimerLink      *link,
                                           gint64                delay_ms,
                                           QuarryTimerLinkFunc   func);
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

static inline gboolean
_quarry_timer_link_is_queued (const QuarryTimerLink *link)
{
  return link->next != NULL;
}

G_END_DECLS
