/* test-clock.c: QuarryClock and its private timer scheduler.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-test-util.h"

#include "quarry-clock-private.h"

#define WALL_BASE G_GINT64_CONSTANT (1700000000000)

/* A probe is one timer under test: when it fires it logs "name@monotonic",
 * checks the wall time and forgets its timer, which the clock frees. */
typedef struct _Probe Probe;

typedef struct
{
  QuarryClock *clock;
  GString *log;
  gint64 wall_base;
  guint n_fired;
} Recorder;

struct _Probe
{
  Recorder *recorder;
  const char *name;
  QuarryTimer *timer;
  gint64 expected_time;   /* -1: do not check */
  guint n_fired;

  /* What to do when fired. */
  Probe *schedule;        /* arm this probe … */
  gint64 schedule_delay;  /* … with this delay */
  Probe *cancel;          /* cancel this probe */
  Probe *idle_schedule;   /* arm this probe from an idle */
};

static void
recorder_init (Recorder    *recorder,
               QuarryClock *clock)
{
  recorder->clock = clock;
  recorder->log = g_string_new (NULL);
  recorder->wall_base = quarry_clock_get_wall_time (clock) - quarry_clock_get_monotonic_time (clock);
  recorder->n_fired = 0;
}

static void
recorder_clear (Recorder *recorder)
{
  g_string_free (recorder->log, TRUE);
  recorder->log = NULL;
}

static void
probe_init (Probe      *probe,
            Recorder   *recorder,
            const char *name)
{
  *probe = (Probe) {
    .recorder = recorder,
    .name = name,
    .expected_time = -1,
  };
}

static void
log_event (Recorder   *recorder,
           const char *name)
{
  if (recorder->log->len > 0)
    g_string_append_c (recorder->log, ' ');
  g_string_append_printf (recorder->log, "%s@%" G_GINT64_FORMAT,
                          name, quarry_clock_get_monotonic_time (recorder->clock));
}

static void probe_fired (gpointer data);

static void
probe_arm (Probe  *probe,
           gint64  delay_ms)
{
  g_assert_null (probe->timer);
  probe->timer = _quarry_clock_schedule (probe->recorder->clock, delay_ms, probe_fired, probe);
  g_assert_nonnull (probe->timer);
}

static gboolean
probe_idle (gpointer data)
{
  Probe *probe = data;

  log_event (probe->recorder, "idle");
  probe_arm (probe->idle_schedule, probe->schedule_delay);
  return G_SOURCE_REMOVE;
}

static void
probe_fired (gpointer data)
{
  Probe *probe = data;
  Recorder *recorder = probe->recorder;
  gint64 now = quarry_clock_get_monotonic_time (recorder->clock);

  g_assert_nonnull (probe->timer);
  probe->timer = NULL;
  probe->n_fired++;
  recorder->n_fired++;

  log_event (recorder, probe->name);
  if (probe->expected_time >= 0)
    g_assert_cmpint (now, ==, probe->expected_time);
  if (quarry_clock_get_manual (recorder->clock))
    g_assert_cmpint (quarry_clock_get_wall_time (recorder->clock), ==, recorder->wall_base + now);

  if (probe->cancel != NULL)
    _quarry_clear_timer (&probe->cancel->timer);
  if (probe->schedule != NULL)
    probe_arm (probe->schedule, probe->schedule_delay);
  if (probe->idle_schedule != NULL)
    g_idle_add (probe_idle, probe);
}

static guint
count_clock_sources (GMainContext  *context,
                     GSource      **found)
{
  GSource *probe = g_idle_source_new ();
  guint max_id = g_source_attach (probe, context);
  guint count = 0;

  g_source_destroy (probe);
  g_source_unref (probe);

  for (guint id = 1; id < max_id; id++)
    {
      GSource *source = g_main_context_find_source_by_id (context, id);

      if (source != NULL && g_strcmp0 (g_source_get_name (source), "[quarry] clock") == 0)
        {
          count++;
          if (found != NULL)
            *found = source;
        }
    }
  return count;
}

static GSource *
get_clock_source (QuarryClock *clock)
{
  GSource *source = NULL;

  g_assert_cmpuint (count_clock_sources (_quarry_clock_get_context (clock), &source), ==, 1);
  return source;
}

/* Manual clock */

static void
test_clock_manual_start (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  gboolean manual = FALSE;

  g_assert_true (QUARRY_IS_CLOCK (clock));
  g_assert_true (quarry_clock_get_manual (clock));
  g_object_get (clock, "manual", &manual, NULL);
  g_assert_true (manual);
  g_assert_cmpint (quarry_clock_get_monotonic_time (clock), ==, 0);
  g_assert_cmpint (quarry_clock_get_wall_time (clock), ==, WALL_BASE);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);
  g_assert_true (_quarry_clock_get_context (clock) == g_main_context_default ());

  /* Time stands still without advance. */
  g_usleep (2000);
  quarry_clock_flush (clock);
  g_assert_cmpint (quarry_clock_get_monotonic_time (clock), ==, 0);
  g_assert_cmpint (quarry_clock_get_wall_time (clock), ==, WALL_BASE);

  g_assert_finalize_object (clock);
}

static void
test_clock_manual_advance (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);

  quarry_clock_advance (clock, 250);
  g_assert_cmpint (quarry_clock_get_monotonic_time (clock), ==, 250);
  g_assert_cmpint (quarry_clock_get_wall_time (clock), ==, WALL_BASE + 250);

  quarry_clock_advance (clock, 0);
  g_assert_cmpint (quarry_clock_get_monotonic_time (clock), ==, 250);
  g_assert_cmpint (quarry_clock_get_wall_time (clock), ==, WALL_BASE + 250);

  quarry_clock_advance (clock, 1);
  quarry_clock_advance (clock, 86400000);
  g_assert_cmpint (quarry_clock_get_monotonic_time (clock), ==, 86400251);
  g_assert_cmpint (quarry_clock_get_wall_time (clock), ==, WALL_BASE + 86400251);

  g_assert_finalize_object (clock);
}

static void
test_clock_manual_wall_base (void)
{
  QuarryClock *epoch = quarry_clock_new_manual (0);
  QuarryClock *negative = quarry_clock_new_manual (-1000);

  g_assert_cmpint (quarry_clock_get_wall_time (epoch), ==, 0);
  g_assert_cmpint (quarry_clock_get_wall_time (negative), ==, -1000);
  quarry_clock_advance (negative, 1500);
  g_assert_cmpint (quarry_clock_get_wall_time (negative), ==, 500);
  g_assert_cmpint (quarry_clock_get_monotonic_time (negative), ==, 1500);
  g_assert_cmpint (quarry_clock_get_monotonic_time (epoch), ==, 0);

  g_assert_finalize_object (epoch);
  g_assert_finalize_object (negative);
}

static gboolean
count_idle (gpointer data)
{
  guint *count = data;

  (*count)++;
  return G_SOURCE_REMOVE;
}

static void
test_clock_advance_zero_is_flush (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Probe a, b;
  guint idles = 0;

  recorder_init (&recorder, clock);
  probe_init (&a, &recorder, "a");
  probe_init (&b, &recorder, "b");

  quarry_clock_advance (clock, 40);

  /* advance (0): due timers and idles run, time does not move. */
  probe_arm (&a, 0);
  probe_arm (&b, 1);
  g_idle_add (count_idle, &idles);
  quarry_clock_advance (clock, 0);
  g_assert_cmpstr (recorder.log->str, ==, "a@40");
  g_assert_cmpuint (idles, ==, 1);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 1);
  g_assert_cmpint (quarry_clock_get_monotonic_time (clock), ==, 40);

  /* flush: the same. */
  g_string_truncate (recorder.log, 0);
  a.expected_time = 40;
  probe_arm (&a, 0);
  g_idle_add (count_idle, &idles);
  quarry_clock_flush (clock);
  g_assert_cmpstr (recorder.log->str, ==, "a@40");
  g_assert_cmpuint (idles, ==, 2);
  g_assert_cmpint (quarry_clock_get_monotonic_time (clock), ==, 40);

  quarry_clock_advance (clock, 1);
  g_assert_cmpstr (recorder.log->str, ==, "a@40 b@41");
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

static void
test_clock_fire_order (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Probe p[6];
  const char *names[] = { "a", "b", "c", "d", "e", "f" };
  const gint64 delays[] = { 30, 10, 20, 10, 0, 30 };

  recorder_init (&recorder, clock);
  for (guint i = 0; i < G_N_ELEMENTS (p); i++)
    {
      probe_init (&p[i], &recorder, names[i]);
      p[i].expected_time = delays[i];
      probe_arm (&p[i], delays[i]);
    }
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 6);

  /* Nothing fires before time moves past it … except the one due now. */
  g_assert_cmpuint (recorder.n_fired, ==, 0);

  quarry_clock_advance (clock, 15);
  g_assert_cmpstr (recorder.log->str, ==, "e@0 b@10 d@10");
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 3);
  g_assert_cmpint (quarry_clock_get_monotonic_time (clock), ==, 15);

  /* A deadline equal to the target fires. */
  quarry_clock_advance (clock, 15);
  g_assert_cmpstr (recorder.log->str, ==, "e@0 b@10 d@10 c@20 a@30 f@30");
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);
  g_assert_cmpint (quarry_clock_get_monotonic_time (clock), ==, 30);

  for (guint i = 0; i < G_N_ELEMENTS (p); i++)
    {
      g_assert_cmpuint (p[i].n_fired, ==, 1);
      g_assert_null (p[i].timer);
    }

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

static void
test_clock_fire_order_ties (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Probe a, b, c;

  recorder_init (&recorder, clock);
  probe_init (&a, &recorder, "a");
  probe_init (&b, &recorder, "b");
  probe_init (&c, &recorder, "c");

  /* Same deadline reached from different times: scheduling order wins. */
  probe_arm (&c, 20);
  quarry_clock_advance (clock, 10);
  probe_arm (&a, 10);
  quarry_clock_advance (clock, 5);
  probe_arm (&b, 5);
  quarry_clock_advance (clock, 100);
  g_assert_cmpstr (recorder.log->str, ==, "c@20 a@20 b@20");

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

static void
test_clock_schedule_from_callback (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Probe a, now, soon, later, other;

  recorder_init (&recorder, clock);
  probe_init (&a, &recorder, "a");
  probe_init (&now, &recorder, "now");
  probe_init (&soon, &recorder, "soon");
  probe_init (&later, &recorder, "later");
  probe_init (&other, &recorder, "other");

  /* a@10 arms "now" (0 ms: 10), which arms "soon" (5 ms: 15), which arms
   * "later" (50 ms: 65, outside the window). */
  a.schedule = &now;
  a.schedule_delay = 0;
  now.schedule = &soon;
  now.schedule_delay = 5;
  soon.schedule = &later;
  soon.schedule_delay = 50;
  now.expected_time = 10;
  soon.expected_time = 15;
  later.expected_time = 65;

  probe_arm (&a, 10);
  probe_arm (&other, 12);
  quarry_clock_advance (clock, 20);
  g_assert_cmpstr (recorder.log->str, ==, "a@10 now@10 other@12 soon@15");
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 1);
  g_assert_nonnull (later.timer);
  g_assert_cmpuint (later.n_fired, ==, 0);

  quarry_clock_advance (clock, 44);
  g_assert_cmpuint (later.n_fired, ==, 0);
  quarry_clock_advance (clock, 1);
  g_assert_cmpstr (recorder.log->str, ==, "a@10 now@10 other@12 soon@15 later@65");
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

static void
reschedule_self (gpointer data)
{
  Probe *probe = data;

  probe->timer = NULL;
  probe->n_fired++;
  log_event (probe->recorder, probe->name);
  if (probe->n_fired < 5)
    probe->timer = _quarry_clock_schedule (probe->recorder->clock, 10, reschedule_self, probe);
}

static void
test_clock_reschedule_self (void)
{
  /* A periodic timer, as a refetch interval is. */
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Probe tick;

  recorder_init (&recorder, clock);
  probe_init (&tick, &recorder, "t");
  tick.timer = _quarry_clock_schedule (clock, 10, reschedule_self, &tick);

  quarry_clock_advance (clock, 35);
  g_assert_cmpstr (recorder.log->str, ==, "t@10 t@20 t@30");
  quarry_clock_advance (clock, 100);
  g_assert_cmpstr (recorder.log->str, ==, "t@10 t@20 t@30 t@40 t@50");
  g_assert_null (tick.timer);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

static void
test_clock_negative_delay (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Probe a, b;

  recorder_init (&recorder, clock);
  probe_init (&a, &recorder, "a");
  probe_init (&b, &recorder, "b");
  quarry_clock_advance (clock, 100);

  /* A negative delay is 0: it does not jump ahead of a timer already due. */
  a.expected_time = 100;
  b.expected_time = 100;
  probe_arm (&b, 0);
  probe_arm (&a, -50);
  quarry_clock_flush (clock);
  g_assert_cmpstr (recorder.log->str, ==, "b@100 a@100");

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

static void
test_clock_cancel (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Probe a, b, c;

  recorder_init (&recorder, clock);
  probe_init (&a, &recorder, "a");
  probe_init (&b, &recorder, "b");
  probe_init (&c, &recorder, "c");

  probe_arm (&a, 10);
  probe_arm (&b, 20);
  probe_arm (&c, 0);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 3);

  _quarry_clear_timer (&b.timer);
  g_assert_null (b.timer);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 2);
  /* Clearing a cleared timer does nothing. */
  _quarry_clear_timer (&b.timer);

  /* A due timer can still be cancelled until the context runs. */
  _quarry_timer_cancel (c.timer);
  c.timer = NULL;
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 1);

  quarry_clock_advance (clock, 100);
  g_assert_cmpstr (recorder.log->str, ==, "a@10");
  g_assert_cmpuint (b.n_fired, ==, 0);
  g_assert_cmpuint (c.n_fired, ==, 0);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

static void
test_clock_cancel_first (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Probe a, b, c;
  GSource *source = get_clock_source (clock);

  recorder_init (&recorder, clock);
  probe_init (&a, &recorder, "a");
  probe_init (&b, &recorder, "b");
  probe_init (&c, &recorder, "c");

  probe_arm (&a, 10);
  probe_arm (&b, 20);
  _quarry_clear_timer (&a.timer);

  quarry_clock_advance (clock, 15);
  g_assert_cmpstr (recorder.log->str, ==, "");
  quarry_clock_advance (clock, 5);
  g_assert_cmpstr (recorder.log->str, ==, "b@20");

  /* A manual clock's source is ready exactly while a timer is due. */
  g_assert_cmpint (g_source_get_ready_time (source), ==, -1);
  probe_arm (&c, 0);
  g_assert_cmpint (g_source_get_ready_time (source), ==, 0);
  _quarry_clear_timer (&c.timer);
  g_assert_cmpint (g_source_get_ready_time (source), ==, -1);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

static void
test_clock_cancel_from_callback (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Probe a, b, c;

  recorder_init (&recorder, clock);
  probe_init (&a, &recorder, "a");
  probe_init (&b, &recorder, "b");
  probe_init (&c, &recorder, "c");

  /* a cancels b, due at the same time, and c, due later. */
  a.cancel = &b;
  probe_arm (&a, 10);
  probe_arm (&b, 10);
  probe_arm (&c, 15);
  quarry_clock_advance (clock, 12);
  g_assert_cmpstr (recorder.log->str, ==, "a@10");
  g_assert_null (b.timer);

  b.cancel = &c;
  probe_arm (&b, 1);
  quarry_clock_advance (clock, 100);
  g_assert_cmpstr (recorder.log->str, ==, "a@10 b@13");
  g_assert_cmpuint (c.n_fired, ==, 0);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

static void
test_clock_idles_between_timers (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Probe a, b, c, d, e, starter;

  recorder_init (&recorder, clock);
  probe_init (&a, &recorder, "a");
  probe_init (&b, &recorder, "b");
  probe_init (&c, &recorder, "c");
  probe_init (&d, &recorder, "d");
  probe_init (&e, &recorder, "e");
  probe_init (&starter, &recorder, "starter");

  /* a@10 adds an idle; the idle runs at 10, before b@12, and arms c
   * (5 ms: 15), which fires in the same advance. */
  a.idle_schedule = &c;
  a.schedule_delay = 5;
  c.expected_time = 15;
  probe_arm (&a, 10);
  probe_arm (&b, 12);
  quarry_clock_advance (clock, 20);
  g_assert_cmpstr (recorder.log->str, ==, "a@10 idle@10 b@12 c@15");

  /* The same beyond the window: the idle runs, its timer waits. */
  g_string_truncate (recorder.log, 0);
  b.idle_schedule = &d;
  b.schedule_delay = 30;
  d.expected_time = 55;
  probe_arm (&b, 5);
  quarry_clock_advance (clock, 10);
  g_assert_cmpstr (recorder.log->str, ==, "b@25 idle@25");
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 1);
  quarry_clock_advance (clock, 25);
  g_assert_cmpstr (recorder.log->str, ==, "b@25 idle@25 d@55");

  /* An idle pending before advance runs before time moves: the timer it
   * arms counts from 55. */
  g_string_truncate (recorder.log, 0);
  starter.idle_schedule = &e;
  starter.schedule_delay = 5;
  e.expected_time = 60;
  g_idle_add (probe_idle, &starter);
  quarry_clock_advance (clock, 6);
  g_assert_cmpstr (recorder.log->str, ==, "idle@55 e@60");
  g_assert_cmpint (quarry_clock_get_monotonic_time (clock), ==, 61);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

static void
test_clock_iterate_context (void)
{
  /* A due timer on a manual clock also fires when the context just runs. */
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Probe a;

  recorder_init (&recorder, clock);
  probe_init (&a, &recorder, "a");
  probe_arm (&a, 0);
  g_assert_cmpuint (a.n_fired, ==, 0);
  for (guint i = 0; i < 10 && a.n_fired == 0; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (a.n_fired, ==, 1);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

static void
test_clock_thread_default_context (void)
{
  GMainContext *context = g_main_context_new ();
  QuarryClock *clock;
  Recorder recorder;
  Probe a, b;
  guint default_idles = 0;
  guint own_idles = 0;
  GSource *idle;

  g_main_context_push_thread_default (context);
  clock = quarry_clock_new_manual (WALL_BASE);
  g_main_context_pop_thread_default (context);

  g_assert_true (_quarry_clock_get_context (clock) == context);
  g_assert_cmpuint (count_clock_sources (context, NULL), ==, 1);

  recorder_init (&recorder, clock);
  probe_init (&a, &recorder, "a");
  probe_init (&b, &recorder, "b");
  probe_arm (&a, 0);
  probe_arm (&b, 5);

  /* The default context does not run the clock … */
  for (guint i = 0; i < 5; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (a.n_fired, ==, 0);

  /* … and advancing the clock runs its own context only. */
  g_idle_add (count_idle, &default_idles);
  idle = g_idle_source_new ();
  g_source_set_callback (idle, count_idle, &own_idles, NULL);
  g_source_attach (idle, context);
  g_source_unref (idle);

  quarry_clock_advance (clock, 10);
  g_assert_cmpstr (recorder.log->str, ==, "a@0 b@5");
  g_assert_cmpuint (own_idles, ==, 1);
  g_assert_cmpuint (default_idles, ==, 0);

  while (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (default_idles, ==, 1);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
  g_assert_cmpuint (count_clock_sources (context, NULL), ==, 0);
  g_main_context_unref (context);
}

static void
drop_clock (gpointer data)
{
  Probe *probe = data;

  probe->timer = NULL;
  probe->n_fired++;
  g_object_unref (probe->recorder->clock);
}

static void
test_clock_unref_in_callback (void)
{
  /* A callback may drop the last reference to the clock. */
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  QuarryClock *weak = clock;
  Recorder recorder;
  Probe a;

  recorder_init (&recorder, clock);
  probe_init (&a, &recorder, "a");
  g_object_add_weak_pointer (G_OBJECT (clock), (gpointer *) &weak);

  /* The timer fires from the main context, where nobody else holds the
   * clock: it stays alive until its dispatch is over. */
  a.timer = _quarry_clock_schedule (clock, 0, drop_clock, &a);
  clock = NULL;
  for (guint i = 0; i < 10 && a.n_fired == 0; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (a.n_fired, ==, 1);
  g_assert_null (weak);

  recorder_clear (&recorder);
}

/* Many timers, one source */

typedef struct
{
  QuarryClock *clock;
  QuarryTimer **timers;
  gint64 *deadlines;
  guint n_fired;
  gint64 last;
} Many;

static Many *many;

static void
many_fired (gpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  gint64 now = quarry_clock_get_monotonic_time (many->clock);

  g_assert_nonnull (many->timers[i]);
  many->timers[i] = NULL;
  g_assert_cmpint (now, ==, many->deadlines[i]);
  g_assert_cmpint (now, >=, many->last);
  many->last = now;
  many->n_fired++;
}

static void
test_clock_many_timers (void)
{
  const guint n = 100000;
  GMainContext *context = g_main_context_new ();
  GSource *probe;
  guint id_before, id_after;
  guint expected_fired;
  Many state = { 0, };

  g_main_context_push_thread_default (context);
  state.clock = quarry_clock_new_manual (WALL_BASE);
  g_main_context_pop_thread_default (context);
  state.timers = g_new0 (QuarryTimer *, n);
  state.deadlines = g_new0 (gint64, n);
  many = &state;

  g_assert_cmpuint (count_clock_sources (context, NULL), ==, 1);

  probe = g_idle_source_new ();
  id_before = g_source_attach (probe, context);
  g_source_destroy (probe);
  g_source_unref (probe);

  for (guint i = 0; i < n; i++)
    {
      state.deadlines[i] = g_test_rand_int_range (1, 5000);
      state.timers[i] = _quarry_clock_schedule (state.clock, state.deadlines[i], many_fired, GUINT_TO_POINTER (i));
      g_assert_cmpuint (quarry_clock_get_n_timers (state.clock), ==, i + 1);
    }
  g_assert_cmpuint (quarry_clock_get_n_timers (state.clock), ==, n);

  /* Arming timers attached no source: the next id is the next one. */
  probe = g_idle_source_new ();
  id_after = g_source_attach (probe, context);
  g_source_destroy (probe);
  g_source_unref (probe);
  g_assert_cmpuint (id_after, ==, id_before + 1);
  g_assert_cmpuint (count_clock_sources (context, NULL), ==, 1);

  /* Cancel the even ones, fire the odd ones in deadline order. */
  for (guint i = 0; i < n; i += 2)
    _quarry_clear_timer (&state.timers[i]);
  g_assert_cmpuint (quarry_clock_get_n_timers (state.clock), ==, n / 2);

  quarry_clock_advance (state.clock, 2500);
  g_assert_cmpuint (state.n_fired, >, 0);
  g_assert_cmpuint (quarry_clock_get_n_timers (state.clock), ==, n / 2 - state.n_fired);
  for (guint i = 1; i < n; i += 2)
    g_assert_true ((state.timers[i] == NULL) == (state.deadlines[i] <= 2500));

  expected_fired = 0;
  for (guint i = 1; i < n; i += 2)
    if (state.deadlines[i] <= 2500)
      expected_fired++;
  g_assert_cmpuint (state.n_fired, ==, expected_fired);

  /* Cancel the rest: nothing fires any more. */
  for (guint i = 1; i < n; i += 2)
    _quarry_clear_timer (&state.timers[i]);
  g_assert_cmpuint (quarry_clock_get_n_timers (state.clock), ==, 0);
  quarry_clock_advance (state.clock, 5000);
  g_assert_cmpuint (state.n_fired, ==, expected_fired);

  for (guint i = 0; i < n; i++)
    g_assert_null (state.timers[i]);

  many = NULL;
  g_free (state.timers);
  g_free (state.deadlines);
  g_assert_finalize_object (state.clock);
  g_main_context_unref (context);
}

/* System clock */

static void
test_clock_system_time (void)
{
  QuarryClock *clock = quarry_clock_new ();
  gint64 mono_before, mono_after, wall_before, wall_after, mono, wall;
  gboolean manual = TRUE;

  g_assert_false (quarry_clock_get_manual (clock));
  g_object_get (clock, "manual", &manual, NULL);
  g_assert_false (manual);

  mono_before = g_get_monotonic_time () / 1000;
  wall_before = g_get_real_time () / 1000;
  mono = quarry_clock_get_monotonic_time (clock);
  wall = quarry_clock_get_wall_time (clock);
  mono_after = g_get_monotonic_time () / 1000;
  wall_after = g_get_real_time () / 1000;

  g_assert_cmpint (mono, >=, mono_before);
  g_assert_cmpint (mono, <=, mono_after);
  g_assert_cmpint (wall, >=, wall_before);
  g_assert_cmpint (wall, <=, wall_after);
  /* Milliseconds, not microseconds: the wall clock is after 2020 and before
   * 2100 in milliseconds. */
  g_assert_cmpint (wall, >, G_GINT64_CONSTANT (1577836800000));
  g_assert_cmpint (wall, <, G_GINT64_CONSTANT (4102444800000));

  g_assert_finalize_object (clock);
}

static gboolean
set_flag (gpointer data)
{
  gboolean *flag = data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_clock_system_timer (void)
{
  QuarryClock *clock = quarry_clock_new ();
  GSource *source = get_clock_source (clock);
  Recorder recorder;
  Probe fast, slow, slower;
  gint64 scheduled_at;
  gboolean timed_out = FALSE;
  guint guard;

  recorder_init (&recorder, clock);
  probe_init (&fast, &recorder, "fast");
  probe_init (&slow, &recorder, "slow");
  probe_init (&slower, &recorder, "slower");

  /* The source wakes for the earliest deadline only. */
  g_assert_cmpint (g_source_get_ready_time (source), ==, -1);
  scheduled_at = quarry_clock_get_monotonic_time (clock);
  probe_arm (&slower, 20000);
  g_assert_cmpint (g_source_get_ready_time (source), >=, (scheduled_at + 20000) * 1000);
  g_assert_cmpint (g_source_get_ready_time (source), <=, (quarry_clock_get_monotonic_time (clock) + 20000) * 1000);
  probe_arm (&slow, 10000);
  g_assert_cmpint (g_source_get_ready_time (source), <, (scheduled_at + 20000) * 1000);
  g_assert_cmpint (g_source_get_ready_time (source), >=, (scheduled_at + 10000) * 1000);

  /* Cancelling the first goes back to the next. */
  _quarry_clear_timer (&slow.timer);
  g_assert_cmpint (g_source_get_ready_time (source), >=, (scheduled_at + 20000) * 1000);

  /* A 1 ms timer fires when the main loop runs; wait at most 50 ms. */
  scheduled_at = quarry_clock_get_monotonic_time (clock);
  probe_arm (&fast, 1);
  g_assert_cmpint (g_source_get_ready_time (source), <=, (quarry_clock_get_monotonic_time (clock) + 1) * 1000);
  g_assert_cmpuint (fast.n_fired, ==, 0);

  guard = g_timeout_add (50, set_flag, &timed_out);
  while (fast.n_fired == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (guard);

  g_assert_cmpuint (fast.n_fired, ==, 1);
  g_assert_null (fast.timer);
  g_assert_cmpuint (slower.n_fired, ==, 0);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 1);
  {
    /* It fired no earlier than its deadline. */
    gint64 fired_at = g_ascii_strtoll (strchr (recorder.log->str, '@') + 1, NULL, 10);

    g_assert_cmpint (fired_at, >=, scheduled_at + 1);
  }

  _quarry_clear_timer (&slower.timer);
  g_assert_cmpint (g_source_get_ready_time (source), ==, -1);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

static void
test_clock_get_manual (void)
{
  QuarryClock *manual = quarry_clock_new_manual (0);
  QuarryClock *system = quarry_clock_new ();
  QuarryClock *object = g_object_new (QUARRY_TYPE_CLOCK, "manual", TRUE, NULL);

  g_assert_true (quarry_clock_get_manual (manual));
  g_assert_false (quarry_clock_get_manual (system));
  g_assert_true (quarry_clock_get_manual (object));
  g_assert_cmpint (quarry_clock_get_monotonic_time (object), ==, 0);
  g_assert_cmpint (quarry_clock_get_wall_time (object), ==, 0);

  g_assert_finalize_object (manual);
  g_assert_finalize_object (system);
  g_assert_finalize_object (object);
}

static void
noop_timer (gpointer data)
{
}

static void
test_clock_finalize_armed (void)
{
  if (g_test_subprocess ())
    {
      QuarryClock *clock = quarry_clock_new_manual (0);

      _quarry_clock_schedule (clock, 10, noop_timer, NULL);
      g_object_unref (clock);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*QuarryClock finalized with 1 timers still armed*");
}

/* Heap order under churn */

typedef struct
{
  QuarryClock *clock;
  QuarryTimer *timer;
  gint64 deadline;
  guint armed;              /* when it was armed, among all arms */
  gboolean fired;
} Churn;

static GArray *churn_log;   /* Churn *, in firing order */

static void
churn_fired (gpointer data)
{
  Churn *c = data;

  g_assert_nonnull (c->timer);
  c->timer = NULL;
  c->fired = TRUE;
  g_assert_cmpint (quarry_clock_get_monotonic_time (c->clock), ==, c->deadline);
  g_array_append_val (churn_log, c);
}

/* Timers with many equal deadlines, armed, cancelled and armed again at
 * random: they fire by deadline, then in the order they were armed. */
static void
test_clock_heap_churn (void)
{
  const guint n = 2000;
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  g_autofree Churn *timers = g_new0 (Churn, n);
  guint armed = 0, live = 0;

  churn_log = g_array_new (FALSE, FALSE, sizeof (Churn *));

  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < n; i++)
      {
        Churn *c = &timers[i];

        if (c->timer != NULL && g_test_rand_bit ())
          {
            _quarry_clear_timer (&c->timer);
            live--;
          }
        else if (c->timer == NULL)
          {
            c->clock = clock;
            c->deadline = g_test_rand_int_range (0, 40);
            c->armed = armed++;
            c->timer = _quarry_clock_schedule (clock, c->deadline, churn_fired, c);
            live++;
          }
      }
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, live);

  quarry_clock_advance (clock, 100);
  g_assert_cmpuint (churn_log->len, ==, live);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);
  for (guint i = 1; i < churn_log->len; i++)
    {
      Churn *before = g_array_index (churn_log, Churn *, i - 1);
      Churn *after = g_array_index (churn_log, Churn *, i);

      g_assert_true (before->deadline < after->deadline ||
                     (before->deadline == after->deadline && before->armed < after->armed));
    }

  g_clear_pointer (&churn_log, g_array_unref);
  g_assert_finalize_object (clock);
}

/* Queued timers */

typedef struct _Queued Queued;

struct _Queued
{
  QuarryTimerLink link;     /* first: the callback gets the link */
  Recorder *recorder;
  const char *name;
  gint64 delay;
  guint n_fired;

  /* What to do when fired. */
  Queued *queue;            /* queue this one … */
  gint64 queue_delay;       /* … with this delay */
  Queued *unqueue;          /* cancel this one */
};

static void queued_fired (QuarryTimerLink *link);

static void
queued_init (Queued     *q,
             Recorder   *recorder,
             const char *name,
             gint64      delay)
{
  *q = (Queued) { .recorder = recorder, .name = name, .delay = delay };
}

static void
queued_arm (Queued *q)
{
  g_assert_false (_quarry_timer_link_is_queued (&q->link));
  _quarry_clock_queue (q->recorder->clock, &q->link, q->delay, queued_fired);
  g_assert_true (_quarry_timer_link_is_queued (&q->link));
}

static void
queued_cancel (Queued *q)
{
  _quarry_clock_unqueue (q->recorder->clock, &q->link, q->delay, queued_fired);
  g_assert_false (_quarry_timer_link_is_queued (&q->link));
}

static void
queued_fired (QuarryTimerLink *link)
{
  Queued *q = (Queued *) link;

  g_assert_false (_quarry_timer_link_is_queued (link));
  q->n_fired++;
  q->recorder->n_fired++;
  log_event (q->recorder, q->name);

  if (q->unqueue != NULL)
    queued_cancel (q->unqueue);
  if (q->queue != NULL)
    {
      q->queue->delay = q->queue_delay;
      queued_arm (q->queue);
    }
}

/* A queued link keeps its place among timers of the same deadline when the
 * queue's timer moves to it: one armed before a plain timer fires first. */
static void
test_clock_queue_serial (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Queued x, a;
  Probe t;

  recorder_init (&recorder, clock);
  queued_init (&x, &recorder, "x", 100);
  queued_init (&a, &recorder, "a", 100);
  probe_init (&t, &recorder, "t");

  queued_arm (&x);
  quarry_clock_advance (clock, 10);
  queued_arm (&a);      /* due at 110 */
  probe_arm (&t, 100);  /* due at 110 too, armed after a */
  queued_cancel (&x);   /* the queue's timer moves to a */

  quarry_clock_advance (clock, 200);
  g_assert_cmpstr (recorder.log->str, ==, "a@110 t@110");

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

/* Links of one delay wait in one queue, which costs the clock one timer,
 * and each fires at its own time. */
static void
test_clock_queue_order (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Queued a, b, c;

  recorder_init (&recorder, clock);
  queued_init (&a, &recorder, "a", 100);
  queued_init (&b, &recorder, "b", 100);
  queued_init (&c, &recorder, "c", 100);

  queued_arm (&a);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 1);
  quarry_clock_advance (clock, 30);
  queued_arm (&b);
  quarry_clock_advance (clock, 30);
  queued_arm (&c);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 1);

  quarry_clock_advance (clock, 39);
  g_assert_cmpstr (recorder.log->str, ==, "");
  quarry_clock_advance (clock, 1);
  g_assert_cmpstr (recorder.log->str, ==, "a@100");
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 1);
  quarry_clock_advance (clock, 100);
  g_assert_cmpstr (recorder.log->str, ==, "a@100 b@130 c@160");
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);

  /* A link can be queued again once fired. */
  queued_arm (&a);
  quarry_clock_advance (clock, 100);
  g_assert_cmpstr (recorder.log->str, ==, "a@100 b@130 c@160 a@300");
  g_assert_cmpuint (a.n_fired, ==, 2);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

/* Cancelling the first link arms the queue's timer for the next one;
 * cancelling another leaves it; an empty queue arms nothing. */
static void
test_clock_queue_cancel (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Queued a, b, c, d;

  recorder_init (&recorder, clock);
  queued_init (&a, &recorder, "a", 50);
  queued_init (&b, &recorder, "b", 50);
  queued_init (&c, &recorder, "c", 50);
  queued_init (&d, &recorder, "d", 50);

  queued_arm (&a);
  quarry_clock_advance (clock, 10);
  queued_arm (&b);
  quarry_clock_advance (clock, 10);
  queued_arm (&c);
  quarry_clock_advance (clock, 10);
  queued_arm (&d);

  queued_cancel (&a);       /* the first */
  queued_cancel (&c);       /* one in the middle */
  queued_cancel (&c);       /* not queued: nothing happens */
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 1);

  quarry_clock_advance (clock, 100);
  g_assert_cmpstr (recorder.log->str, ==, "b@60 d@80");
  g_assert_cmpuint (a.n_fired + c.n_fired, ==, 0);

  /* Cancelling the last link disarms the queue. */
  queued_arm (&a);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 1);
  queued_cancel (&a);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);
  quarry_clock_advance (clock, 100);
  g_assert_cmpstr (recorder.log->str, ==, "b@60 d@80");

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

/* What a callback queues fires in the same pass when it is due already,
 * and at its own time otherwise; what it cancels does not fire. Queues of
 * other delays, and plain timers, keep their places in time. */
static void
test_clock_queue_from_callback (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Queued a, b, c, now, later, other;
  Probe timer;

  recorder_init (&recorder, clock);
  queued_init (&a, &recorder, "a", 20);
  queued_init (&b, &recorder, "b", 20);
  queued_init (&c, &recorder, "c", 20);
  queued_init (&now, &recorder, "now", 0);
  queued_init (&later, &recorder, "later", 0);
  queued_init (&other, &recorder, "other", 25);
  probe_init (&timer, &recorder, "timer");

  queued_arm (&a);
  queued_arm (&b);
  queued_arm (&other);
  probe_arm (&timer, 22);
  quarry_clock_advance (clock, 1);
  queued_arm (&c);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 3);

  /* a queues "now" with no delay; b queues "later" in its own queue with
   * a delay, and cancels c. */
  a.queue = &now;
  a.queue_delay = 0;
  b.queue = &later;
  b.queue_delay = 10;
  b.unqueue = &c;

  quarry_clock_advance (clock, 100);
  g_assert_cmpstr (recorder.log->str, ==, "a@20 b@20 now@20 timer@22 other@25 later@30");
  g_assert_cmpuint (c.n_fired, ==, 0);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

/* A queued link may re-queue itself from its callback: it fires again a
 * delay later, not in the same pass. */
static void
test_clock_queue_requeue_self (void)
{
  QuarryClock *clock = quarry_clock_new_manual (WALL_BASE);
  Recorder recorder;
  Queued a;

  recorder_init (&recorder, clock);
  queued_init (&a, &recorder, "a", 40);
  a.queue = &a;
  a.queue_delay = 40;

  queued_arm (&a);
  quarry_clock_advance (clock, 130);
  g_assert_cmpstr (recorder.log->str, ==, "a@40 a@80 a@120");
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 1);

  queued_cancel (&a);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

/* The system clock: a queued link fires after its delay. */
static void
test_clock_queue_system (void)
{
  QuarryClock *clock = quarry_clock_new ();
  Recorder recorder;
  Queued a;
  gint64 start = quarry_clock_get_monotonic_time (clock);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  recorder_init (&recorder, clock);
  queued_init (&a, &recorder, "a", 20);
  queued_arm (&a);

  while (a.n_fired == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (quarry_clock_get_monotonic_time (clock) - start, >=, 20);
  g_assert_cmpuint (quarry_clock_get_n_timers (clock), ==, 0);

  recorder_clear (&recorder);
  g_assert_finalize_object (clock);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Quarry/Clock/manual/start", test_clock_manual_start);
  g_test_add_func ("/Quarry/Clock/manual/advance", test_clock_manual_advance);
  g_test_add_func ("/Quarry/Clock/manual/wall-base", test_clock_manual_wall_base);
  g_test_add_func ("/Quarry/Clock/manual/advance-zero-is-flush", test_clock_advance_zero_is_flush);
  g_test_add_func ("/Quarry/Clock/timer/order", test_clock_fire_order);
  g_test_add_func ("/Quarry/Clock/timer/order-ties", test_clock_fire_order_ties);
  g_test_add_func ("/Quarry/Clock/timer/schedule-from-callback", test_clock_schedule_from_callback);
  g_test_add_func ("/Quarry/Clock/timer/reschedule-self", test_clock_reschedule_self);
  g_test_add_func ("/Quarry/Clock/timer/negative-delay", test_clock_negative_delay);
  g_test_add_func ("/Quarry/Clock/timer/cancel", test_clock_cancel);
  g_test_add_func ("/Quarry/Clock/timer/cancel-first", test_clock_cancel_first);
  g_test_add_func ("/Quarry/Clock/timer/cancel-from-callback", test_clock_cancel_from_callback);
  g_test_add_func ("/Quarry/Clock/timer/idles-between", test_clock_idles_between_timers);
  g_test_add_func ("/Quarry/Clock/timer/iterate-context", test_clock_iterate_context);
  g_test_add_func ("/Quarry/Clock/timer/thread-default-context", test_clock_thread_default_context);
  g_test_add_func ("/Quarry/Clock/timer/unref-in-callback", test_clock_unref_in_callback);
  g_test_add_func ("/Quarry/Clock/timer/many", test_clock_many_timers);
  g_test_add_func ("/Quarry/Clock/timer/heap-churn", test_clock_heap_churn);
  g_test_add_func ("/Quarry/Clock/queue/order", test_clock_queue_order);
  g_test_add_func ("/Quarry/Clock/queue/serial", test_clock_queue_serial);
  g_test_add_func ("/Quarry/Clock/queue/cancel", test_clock_queue_cancel);
  g_test_add_func ("/Quarry/Clock/queue/from-callback", test_clock_queue_from_callback);
  g_test_add_func ("/Quarry/Clock/queue/requeue-self", test_clock_queue_requeue_self);
  g_test_add_func ("/Quarry/Clock/queue/system", test_clock_queue_system);
  g_test_add_func ("/Quarry/Clock/timer/finalize-armed", test_clock_finalize_armed);
  g_test_add_func ("/Quarry/Clock/system/time", test_clock_system_time);
  g_test_add_func ("/Quarry/Clock/system/timer", test_clock_system_timer);
  g_test_add_func ("/Quarry/Clock/get-manual", test_clock_get_manual);

  return g_test_run ();
}
