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

/* The timers of a clock are a binary min-heap on (deadline, serial): arming
 * and cancelling cost O(log n), and timers with one deadline fire in the
 * order they were armed. */
struct _QuarryTimer
{
  QuarryClock *clock;
  gint64 deadline;
  guint64 serial;
  QuarryTimerFunc func;
  gpointer data;
  guint index;                 /* in the heap */
};

/* The queued timers of one delay and callback: a circular list through their
 * links, in the order they were armed, which is also the order they expire
 * in. The queue arms one timer of the clock, for its first link. */
typedef struct
{
  gint64 delay;                /* with func, the key in the clock's map */
  QuarryTimerLinkFunc func;
  QuarryClock *clock;
  QuarryTimerLink head;        /* the sentinel */
  QuarryTimer *timer;
  guint firing : 1;
} TimerQueue;

struct _QuarryClock
{
  GObject parent_instance;

  GMainContext *context;
  GSource *source;
  GPtrArray *heap;             /* QuarryTimer, owned */
  guint64 next_serial;
  GHashTable *queues;          /* TimerQueue, owned */
  TimerQueue *last_queue;      /* the last one looked up */

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

static guint    queue_hash  (gconstpointer key);
static gboolean queue_equal (gconstpointer a,
                             gconstpointer b);

G_DEFINE_FINAL_TYPE (QuarryClock, quarry_clock, G_TYPE_OBJECT)

static inline gboolean
timer_before (const QuarryTimer *a,
              const QuarryTimer *b)
{
  if (a->deadline != b->deadline)
    return a->deadline < b->deadline;
  return a->serial < b->serial;
}

static inline void
heap_put (QuarryClock *self,
          QuarryTimer *timer,
          guint        index)
{
  self->heap->pdata[index] = timer;
  timer->index = index;
}

static void
heap_sift_up (QuarryClock *self,
              QuarryTimer *timer,
              guint        index)
{
  while (index > 0)
    {
      guint parent = (index - 1) / 2;
      QuarryTimer *above = self->heap->pdata[parent];

      if (!timer_before (timer, above))
        break;
      heap_put (self, above, index);
      index = parent;
    }
  heap_put (self, timer, index);
}

static void
heap_sift_down (QuarryClock *self,
                QuarryTimer *timer,
                guint        index)
{
  guint len = self->heap->len;

  for (;;)
    {
      guint child = 2 * index + 1;
      QuarryTimer *below;

      if (child >= len)
        break;
      if (child + 1 < len &&
          timer_before (self->heap->pdata[child + 1], self->heap->pdata[child]))
        child++;
      below = self->heap->pdata[child];
      if (!timer_before (below, timer))
        break;
      heap_put (self, below, index);
      index = child;
    }
  heap_put (self, timer, index);
}

/* Takes @timer out of the heap, without freeing it. */
static void
heap_remove (QuarryClock *self,
             QuarryTimer *timer)
{
  guint index = timer->index;
  QuarryTimer *last;

  g_assert (index < self->heap->len && self->heap->pdata[index] == timer);

  last = g_ptr_array_steal_index_fast (self->heap, self->heap->len - 1);
  if (last == timer)
    return;

  /* The last timer fills the hole, then goes up or down to its place. */
  if (index > 0 && timer_before (last, self->heap->pdata[(index - 1) / 2]))
    heap_sift_up (self, last, index);
  else
    heap_sift_down (self, last, index);
}

static QuarryTimer *
peek_first (QuarryClock *self)
{
  return self->heap->len > 0 ? self->heap->pdata[0] : NULL;
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

      heap_remove (self, first);
      g_free (first);
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

  if (self->heap->len > 0)
    g_critical ("QuarryClock finalized with %u timers still armed", self->heap->len);

  g_clear_pointer (&self->heap, g_ptr_array_unref);
  g_clear_pointer (&self->queues, g_hash_table_unref);
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
  self->heap = g_ptr_array_new_with_free_func (g_free);
  self->queues = g_hash_table_new_full (queue_hash, queue_equal, NULL, g_free);
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
 * The garbage-collection timers of the cache entries that share a gc-time
 * count as one: they wait in one queue, which arms one timer for the entry
 * that expires first.
 *
 * Returns: the number of armed timers
 */
guint
quarry_clock_get_n_timers (QuarryClock *self)
{
  g_return_val_if_fail (QUARRY_IS_CLOCK (self), 0);

  return self->heap->len;
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

/* A deadline @delay_ms from now, the delay clamped so that deadlines stay
 * far from overflowing when turned into microseconds. */
static gint64
deadline_after (QuarryClock *self,
                gint64       delay_ms)
{
  gint64 now = quarry_clock_get_monotonic_time (self);

  return now + CLAMP (delay_ms, 0, G_MAXINT64 / 2000 - now);
}

/* @serial orders timers with one deadline: the order they were armed in. */
static QuarryTimer *
schedule_at (QuarryClock     *self,
             gint64           deadline,
             guint64          serial,
             QuarryTimerFunc  func,
             gpointer         data)
{
  QuarryTimer *timer = g_new (QuarryTimer, 1);

  timer->clock = self;
  timer->deadline = deadline;
  timer->serial = serial;
  timer->func = func;
  timer->data = data;

  g_ptr_array_add (self->heap, timer);
  heap_sift_up (self, timer, self->heap->len - 1);

  if (timer->index == 0)
    update_ready_time (self);

  return timer;
}

QuarryTimer *
_quarry_clock_schedule (QuarryClock     *self,
                        gint64           delay_ms,
                        QuarryTimerFunc  func,
                        gpointer         data)
{
  g_assert (QUARRY_IS_CLOCK (self));
  g_assert (func != NULL);

  return schedule_at (self, deadline_after (self, delay_ms), self->next_serial++, func, data);
}

void
_quarry_timer_cancel (QuarryTimer *timer)
{
  QuarryClock *self;
  gboolean was_first;

  g_assert (timer != NULL);

  self = timer->clock;
  was_first = timer->index == 0;
  heap_remove (self, timer);
  g_free (timer);
  if (was_first)
    update_ready_time (self);
}

/* Timer queues. */

static guint
queue_hash (gconstpointer key)
{
  const TimerQueue *queue = key;

  return g_int64_hash (&queue->delay) ^ g_direct_hash (queue->func);
}

static gboolean
queue_equal (gconstpointer a,
             gconstpointer b)
{
  const TimerQueue *qa = a;
  const TimerQueue *qb = b;

  return qa->delay == qb->delay && qa->func == qb->func;
}

static TimerQueue *
lookup_queue (QuarryClock         *self,
              gint64               delay_ms,
              QuarryTimerLinkFunc  func,
              gboolean             create)
{
  TimerQueue probe = { .delay = delay_ms, .func = func };
  TimerQueue *queue = self->last_queue;

  if (queue != NULL && queue->delay == delay_ms && queue->func == func)
    return queue;

  queue = g_hash_table_lookup (self->queues, &probe);
  if (queue == NULL && create)
    {
      queue = g_new0 (TimerQueue, 1);
      queue->delay = delay_ms;
      queue->func = func;
      queue->clock = self;
      queue->head.next = &queue->head;
      queue->head.prev = &queue->head;
      g_hash_table_add (self->queues, queue);
    }
  if (queue != NULL)
    self->last_queue = queue;
  return queue;
}

static void queue_fire (gpointer data);

/* Keeps the queue's timer on its first link; an empty queue goes, unless
 * it is firing (it is looked at again when done). */
static void
queue_rearm (TimerQueue *queue)
{
  QuarryClock *self = queue->clock;
  QuarryTimerLink *first = queue->head.next;

  if (queue->firing)
    return;

  if (first == &queue->head)
    {
      _quarry_clear_timer (&queue->timer);
      if (self->last_queue == queue)
        self->last_queue = NULL;
      g_hash_table_remove (self->queues, queue);
      return;
    }

  /* The queue's timer takes its first link's place among the timers: a link
   * armed before another timer with the same deadline fires before it. */
  if (queue->timer != NULL && queue->timer->serial == first->serial)
    return;

  _quarry_clear_timer (&queue->timer);
  queue->timer = schedule_at (self, first->deadline, first->serial, queue_fire, queue);
}

/* Fires the links that are due, in order. A link queued by a callback
 * fires in the same pass if it is already due, as a timer would. */
static void
queue_fire (gpointer data)
{
  TimerQueue *queue = data;
  gint64 now = quarry_clock_get_monotonic_time (queue->clock);
  QuarryTimerLink *link;

  queue->timer = NULL;
  queue->firing = TRUE;

  while ((link = queue->head.next) != &queue->head && link->deadline <= now)
    {
      link->prev->next = link->next;
      link->next->prev = link->prev;
      link->next = link->prev = NULL;
      queue->func (link);
    }

  queue->firing = FALSE;
  queue_rearm (queue);
}

/* Arms a timer that shares its delay with many others (such as the gc-time
 * of cache entries): the links of one delay and @func queue in the order
 * they were armed, which is the order they expire in, so arming and
 * cancelling cost O(1) and the whole queue costs the clock one timer.
 */
void
_quarry_clock_queue (QuarryClock         *self,
                     QuarryTimerLink     *link,
                     gint64               delay_ms,
                     QuarryTimerLinkFunc  func)
{
  TimerQueue *queue;

  g_assert (QUARRY_IS_CLOCK (self));
  g_assert (func != NULL);
  g_assert (link->next == NULL);

  queue = lookup_queue (self, delay_ms, func, TRUE);
  link->deadline = deadline_after (self, delay_ms);
  link->serial = self->next_serial++;
  link->next = &queue->head;
  link->prev = queue->head.prev;
  queue->head.prev->next = link;
  queue->head.prev = link;

  if (link->prev == &queue->head)
    queue_rearm (queue);
}

/* Cancels a timer armed with _quarry_clock_queue () with the same delay
 * and callback; a link that is not queued is left alone. */
void
_quarry_clock_unqueue (QuarryClock         *self,
                       QuarryTimerLink     *link,
                       gint64               delay_ms,
                       QuarryTimerLinkFunc  func)
{
  TimerQueue *queue;
  gboolean was_first;

  if (link->next == NULL)
    return;

  queue = lookup_queue (self, delay_ms, func, FALSE);
  g_assert (queue != NULL);

  was_first = link->prev == &queue->head;
  link->prev->next = link->next;
  link->next->prev = link->prev;
  link->next = link->prev = NULL;

  if (was_first)
    queue_rearm (queue);
}
