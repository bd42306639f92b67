/* quarry-clock.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-clock-private.h"
#include "quarry-i18n-private.h"

/**
 * QuarryClock:
 *
 * The one scheduler behind every Quarry timer, and the time it runs on.
 *
 * Staleness, garbage collection, retry back-off, refetch intervals and
 * debounces all go through the clock of their [class@QueryClient]. However
 * many timers are armed, a clock costs its main context a single source,
 * woken only for the earliest deadline.
 *
 * A clock made with [ctor@Clock.new] follows the system's monotonic and wall
 * clocks. A *manual* clock, made with [ctor@Clock.new_manual], stands still
 * until [method@Clock.advance] moves it, which makes time-dependent
 * behaviour testable without sleeping:
 *
 * ```c
 * g_autoptr(QuarryClock) clock = quarry_clock_new_manual (1700000000000);
 * g_autoptr(QuarryQueryClient) client = quarry_query_client_new_with_clock (clock);
 *
 * // … create a query with a stale time of 1000 ms and let it fetch …
 * quarry_clock_advance (clock, 1000); // the data is now stale
 * ```
 *
 * A clock belongs to the thread-default main context that was current when
 * it was made.
 */

struct _QuarryTimer
{
  QuarryClock *clock;
  GSequenceIter *iter;
  gint64 deadline;
  guint64 serial;
  QuarryTimerFunc func;
  gpointer data;
};

struct _QuarryClock
{
  GObject parent_instance;

  GMainContext *context;
  GSource *source;
  GSequence *timers;
  guint64 next_serial;

  gboolean manual;
  gint64 manual_now;
  gint64 manual_wall_base;
};

enum {
  PROP_0,
  PROP_MANUAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (QuarryClock, quarry_clock, G_TYPE_OBJECT)

static gint
compare_timers (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const QuarryTimer *ta = a;
  const QuarryTimer *tb = b;

  if (ta->deadline != tb->deadline)
    return ta->deadline < tb->deadline ? -1 : 1;
  if (ta->serial != tb->serial)
    return ta->serial < tb->serial ? -1 : 1;
  return 0;
}

static QuarryTimer *
peek_first (QuarryClock *self)
{
  GSequenceIter *iter = g_sequence_get_begin_iter (self->timers);

  if (g_sequence_iter_is_end (iter))
    return NULL;
  return g_sequence_get (iter);
}

static void
update_ready_time (QuarryClock *self)
{
  QuarryTimer *first = peek_first (self);

  if (self->source == NULL)
    return;

  if (first == NULL)
    g_source_set_ready_time (self->source, -1);
  else if (self->manual)
    g_source_set_ready_time (self->source, first->deadline <= self->manual_now ? 0 : -1);
  else
    g_source_set_ready_time (self->source, first->deadline * 1000);
}

/* Fires every timer whose deadline has come, in deadline order. A timer armed
 * by a callback fires in the same pass if it is already due. */
static void
fire_due (QuarryClock *self)
{
  gint64 now = quarry_clock_get_monotonic_time (self);
  QuarryTimer *first;

  g_object_ref (self);
  while ((first = peek_first (self)) != NULL && first->deadline <= now)
    {
      QuarryTimerFunc func = first->func;
      gpointer data = first->data;

      g_sequence_remove (first->iter);
      func (data);
    }
  update_ready_time (self);
  g_object_unref (self);
}

static gboolean
source_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  QuarryClock *self = user_data;

  fire_due (self);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs source_funcs = {
  .dispatch = source_dispatch,
};

static void
quarry_clock_dispose (GObject *object)
{
  QuarryClock *self = (QuarryClock *)object;

  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }

  G_OBJECT_CLASS (quarry_clock_parent_class)->dispose (object);
}

static void
quarry_clock_finalize (GObject *object)
{
  QuarryClock *self = (QuarryClock *)object;

  if (g_sequence_get_length (self->timers) > 0)
    g_critical ("QuarryClock finalized with %d timers still armed",
                g_sequence_get_length (self->timers));

  g_clear_pointer (&self->timers, g_sequence_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (quarry_clock_parent_class)->finalize (object);
}

static void
quarry_clock_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  QuarryClock *self = QUARRY_CLOCK (object);

  switch (prop_id)
    {
    case PROP_MANUAL:
      g_value_set_boolean (value, quarry_clock_get_manual (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_clock_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  QuarryClock *self = QUARRY_CLOCK (object);

  switch (prop_id)
    {
    case PROP_MANUAL:
      self->manual = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_clock_class_init (QuarryClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = quarry_clock_dispose;
  object_class->finalize = quarry_clock_finalize;
  object_class->get_property = quarry_clock_get_property;
  object_class->set_property = quarry_clock_set_property;

  /**
   * QuarryClock:manual:
   *
   * Whether the clock stands still until [method@Clock.advance] moves it.
   */
  properties[PROP_MANUAL] =
    g_param_spec_boolean ("manual", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  _quarry_i18n_init ();
}

static void
quarry_clock_init (QuarryClock *self)
{
  self->timers = g_sequence_new (g_free);
  self->context = g_main_context_ref_thread_default ();
  self->source = g_source_new (&source_funcs, sizeof (GSource));
  g_source_set_callback (self->source, NULL, self, NULL);
  g_source_set_name (self->source, "[quarry] clock");
  g_source_set_priority (self->source, G_PRIORITY_DEFAULT);
  g_source_set_ready_time (self->source, -1);
  g_source_attach (self->source, self->context);
}

/**
 * quarry_clock_new:
 *
 * Makes a clock that follows the system's monotonic and wall clocks.
 *
 * Returns: (transfer full): a new clock
 */
QuarryClock *
quarry_clock_new (void)
{
  return g_object_new (QUARRY_TYPE_CLOCK, NULL);
}

/**
 * quarry_clock_new_manual:
 * @wall_time_ms: the wall-clock time the clock starts at, in milliseconds
 *   since the Unix epoch
 *
 * Makes a clock that stands still until [method@Clock.advance] moves it.
 *
 * Its monotonic time starts at 0.
 *
 * Returns: (transfer full): a new manual clock
 */
QuarryClock *
quarry_clock_new_manual (gint64 wall_time_ms)
{
  QuarryClock *self = g_object_new (QUARRY_TYPE_CLOCK, "manual", TRUE, NULL);

  self->manual_wall_base = wall_time_ms;
  return self;
}

/**
 * quarry_clock_get_manual:
 * @self: a clock
 *
 * Gets whether @self is a manual clock.
 *
 * Returns: `TRUE` for a clock made with [ctor@Clock.new_manual]
 */
gboolean
quarry_clock_get_manual (QuarryClock *self)
{
  g_return_val_if_fail (QUARRY_IS_CLOCK (self), FALSE);

  return self->manual;
}

/**
 * quarry_clock_get_monotonic_time:
 * @self: a clock
 *
 * Gets the monotonic time, in milliseconds.
 *
 * Returns: the monotonic time
 */
gint64
quarry_clock_get_monotonic_time (QuarryClock *self)
{
  g_return_val_if_fail (QUARRY_IS_CLOCK (self), 0);

  if (self->manual)
    return self->manual_now;
  return g_get_monotonic_time () / 1000;
}

/**
 * quarry_clock_get_wall_time:
 * @self: a clock
 *
 * Gets the wall-clock time, in milliseconds since the Unix epoch.
 *
 * Timestamps such as [property@Query:data-updated-at] use this time.
 *
 * Returns: the wall-clock time
 */
gint64
quarry_clock_get_wall_time (QuarryClock *self)
{
  g_return_val_if_fail (QUARRY_IS_CLOCK (self), 0);

  if (self->manual)
    return self->manual_wall_base + self->manual_now;
  return g_get_real_time () / 1000;
}

/**
 * quarry_clock_get_n_timers:
 * @self: a clock
 *
 * Gets the number of timers armed on @self.
 *
 * Returns: the number of armed timers
 */
guint
quarry_clock_get_n_timers (QuarryClock *self)
{
  g_return_val_if_fail (QUARRY_IS_CLOCK (self), 0);

  return g_sequence_get_length (self->timers);
}

/**
 * quarry_clock_flush:
 * @self: a manual clock
 *
 * Runs the clock's main context until nothing is pending, without moving
 * time: completions, idle callbacks and due timers run.
 *
 * This is TanStack's "advance by 0 ms". It gives up after a bounded number
 * of iterations, so a callback that keeps rescheduling itself cannot hang it.
 */
void
quarry_clock_flush (QuarryClock *self)
{
  g_return_if_fail (QUARRY_IS_CLOCK (self));

  for (guint i = 0; i < 100000 && g_main_context_pending (self->context); i++)
    g_main_context_iteration (self->context, FALSE);
}

/**
 * quarry_clock_advance:
 * @self: a manual clock
 * @milliseconds: how far to move time, 0 or more
 *
 * Moves a manual clock forward, firing the timers that come due on the way
 * in deadline order, each at its own time, and running the main context
 * until it is idle after each one, so that what a timer starts (a fetch, a
 * completion) runs before the next timer fires.
 */
void
quarry_clock_advance (QuarryClock *self,
                      gint64       milliseconds)
{
  gint64 target;

  g_return_if_fail (QUARRY_IS_CLOCK (self));
  g_return_if_fail (self->manual);
  g_return_if_fail (milliseconds >= 0);

  g_object_ref (self);

  target = self->manual_now + milliseconds;
  quarry_clock_flush (self);

  for (;;)
    {
      QuarryTimer *first = peek_first (self);

      if (first == NULL || first->deadline > target)
        break;

      self->manual_now = MAX (self->manual_now, first->deadline);
      fire_due (self);
      quarry_clock_flush (self);
    }

  self->manual_now = target;
  update_ready_time (self);
  quarry_clock_flush (self);

  g_object_unref (self);
}

GMainContext *
_quarry_clock_get_context (QuarryClock *self)
{
  return self->context;
}

QuarryTimer *
_quarry_clock_schedule (QuarryClock     *self,
                        gint64           delay_ms,
                        QuarryTimerFunc  func,
                        gpointer         data)
{
  QuarryTimer *timer;
  gint64 now;

  g_assert (QUARRY_IS_CLOCK (self));
  g_assert (func != NULL);

  now = quarry_clock_get_monotonic_time (self);
  delay_ms = CLAMP (delay_ms, 0, G_MAXINT64 / 2000 - now);

  timer = g_new (QuarryTimer, 1);
  timer->clock = self;
  timer->deadline = now + delay_ms;
  timer->serial = self->next_serial++;
  timer->func = func;
  timer->data = data;
  timer->iter = g_sequence_insert_sorted (self->timers, timer, compare_timers, NULL);

  if (g_sequence_iter_is_begin (timer->iter))
    update_ready_time (self);

  return timer;
}

void
_quarry_timer_cancel (QuarryTimer *timer)
{
  QuarryClock *self;
  gboolean was_first;

  g_assert (timer != NULL);

  self = timer->clock;
  was_first = g_sequence_iter_is_begin (timer->iter);
  g_sequence_remove (timer->iter);
  if (was_first)
    update_ready_time (self);
}
