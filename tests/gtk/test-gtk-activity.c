/* test-gtk-activity.c: queries tied to widgets, the client's focus driven
 * by real windows, and the fetching indicator.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Window focus is real: under Xvfb there is no window manager, so
 * gtk_window_present () gives the window the X input focus itself
 * (XSetInputFocus), and GTK sets GtkWindow:is-active from the FocusIn and
 * FocusOut events it gets back. The client loses the focus when a window
 * it does not track, standing for another application, is presented.
 */

#include "quarry-gtk-test-util.h"
#include "quarry-test-util.h"

/* Presents @window and waits until it has the X input focus. */
static void
focus_window (GtkWindow *window)
{
  gtk_window_present (window);
  SPIN_UNTIL (gtk_window_is_active (window));
}

/* Iterates the main context until nothing is pending: queued focus events
 * and the tracker's deferred focus loss have been handled. */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GtkWindow *
other_application_window (void)
{
  GtkWindow *window = quarry_gtk_test_window_new (gtk_label_new ("Another application"), 200, 100);

  gtk_window_set_title (window, "Other");
  return window;
}

/* A window with a stack of two pages, "a" and "b", each holding a label
 * that the test ties a query to. */
typedef struct
{
  GtkWindow *window;
  GtkStack *stack;
  GtkWidget *label_a;
  GtkWidget *label_b;
} StackWindow;

static void
stack_window_init (StackWindow *sw)
{
  sw->stack = GTK_STACK (gtk_stack_new ());
  sw->label_a = gtk_label_new ("Page A");
  sw->label_b = gtk_label_new ("Page B");
  gtk_stack_add_named (sw->stack, sw->label_a, "a");
  gtk_stack_add_named (sw->stack, sw->label_b, "b");
  gtk_stack_set_visible_child_name (sw->stack, "a");
}

static void
stack_window_show (StackWindow *sw)
{
  sw->window = quarry_gtk_test_window_new (GTK_WIDGET (sw->stack), 300, 200);
}

static void
show_page (StackWindow *sw,
           const char  *name)
{
  gtk_stack_set_visible_child_name (sw->stack, name);
  quarry_gtk_test_settle (GTK_WIDGET (sw->window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (sw->stack), ==, name);
}

static void
assert_fetch (Fetcher    *fetcher,
              guint       index,
              const char *key_json)
{
  g_autoptr(QuarryKey) key = key_new (key_json);

  g_assert_cmpuint (index, <, fetcher->keys->len);
  g_assert_true (quarry_key_equal (g_ptr_array_index (fetcher->keys, index), key));
}

/* The test: a query tied to the hidden page of a stack does not
 * refetch when the window regains the focus; the visible page's does;
 * switching pages subscribes the other query, which refetches stale data
 * once. */
static void
test_hidden_page_focus (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  StackWindow sw = { 0 };
  QuarryQuery *query_a = make_query (f, "[\"a\"]", fetcher);
  QuarryQuery *query_b = make_query (f, "[\"b\"]", fetcher);
  GtkWindow *other;

  quarry_query_set_stale_time (query_a, 10000);
  quarry_query_set_stale_time (query_b, 10000);

  stack_window_init (&sw);
  quarry_gtk_tie_query (query_a, sw.label_a);
  quarry_gtk_tie_query (query_b, sw.label_b);

  /* Not on screen yet: neither query is subscribed, nothing fetches. */
  g_assert_false (quarry_query_get_subscribed (query_a));
  g_assert_false (quarry_query_get_subscribed (query_b));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 0);

  stack_window_show (&sw);
  quarry_gtk_track_window (f->client, sw.window);
  focus_window (sw.window);
  g_assert_true (quarry_query_client_get_focused (f->client));

  /* Page a shows: its query mounts and loads; page b's does not. */
  g_assert_true (quarry_query_get_subscribed (query_a));
  g_assert_false (quarry_query_get_subscribed (query_b));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  assert_fetch (fetcher, 0, "[\"a\"]");
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);

  /* Another application takes the focus; time passes, a's data goes
   * stale; the window gets the focus back: only a refetches. */
  other = other_application_window ();
  focus_window (other);
  SPIN_UNTIL (!quarry_query_client_get_focused (f->client));
  quarry_clock_advance (f->clock, 10001);
  g_assert_true (quarry_query_get_is_stale (query_a));
  focus_window (sw.window);
  g_assert_true (quarry_query_client_get_focused (f->client));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  assert_fetch (fetcher, 1, "[\"a\"]");
  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);

  /* Page b shows: b mounts and loads, a is let go. */
  show_page (&sw, "b");
  g_assert_false (quarry_query_get_subscribed (query_a));
  g_assert_true (quarry_query_get_subscribed (query_b));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_fetch (fetcher, 2, "[\"b\"]");
  fetcher_resolve_int (fetcher, 2, 20);
  quarry_clock_flush (f->clock);

  /* The focus round trip again: now b refetches, a (hidden, stale) does
   * not. */
  quarry_clock_advance (f->clock, 10001);
  focus_window (other);
  SPIN_UNTIL (!quarry_query_client_get_focused (f->client));
  focus_window (sw.window);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 4);
  assert_fetch (fetcher, 3, "[\"b\"]");
  fetcher_resolve_int (fetcher, 3, 21);
  quarry_clock_flush (f->clock);

  /* Back to page a, whose data is stale: exactly one refetch. The cached
   * data shows at once meanwhile. */
  show_page (&sw, "a");
  g_assert_true (quarry_query_get_subscribed (query_a));
  g_assert_false (quarry_query_get_subscribed (query_b));
  g_assert_cmpint (value_get_int (quarry_query_get_value (query_a)), ==, 2);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 5);
  assert_fetch (fetcher, 4, "[\"a\"]");
  fetcher_resolve_int (fetcher, 4, 3);
  quarry_clock_flush (f->clock);
  g_assert_cmpint (value_get_int (quarry_query_get_value (query_a)), ==, 3);

  /* To b and back within the stale time: fresh data, no fetch at all. */
  show_page (&sw, "b");
  show_page (&sw, "a");
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 5);

  gtk_window_destroy (other);
  gtk_window_destroy (sw.window);
  drain ();
  g_assert_finalize_object (query_a);
  g_assert_finalize_object (query_b);
}

/* Untying restores the subscription; two widgets keep a query subscribed
 * while either is mapped. */
static void
test_untie_and_two_widgets (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  StackWindow sw = { 0 };
  GtkWidget *unshown = g_object_ref_sink (gtk_label_new ("never shown"));
  QuarryQuery *query;

  stack_window_init (&sw);
  stack_window_show (&sw);
  /* Made after the window settled: it has not mounted yet. */
  query = make_query (f, "[\"todos\"]", fetcher);
  quarry_query_set_stale_time (query, QUARRY_TIME_INFINITE);

  /* Tied to a widget that is not shown: unsubscribed, no fetch. */
  quarry_gtk_tie_query (query, unshown);
  g_assert_false (quarry_query_get_subscribed (query));
  quarry_gtk_tie_query (query, unshown);   /* twice: one tie */
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 0);

  /* Untied: subscribed again, it mounts and loads. */
  quarry_gtk_untie_query (query, unshown);
  g_assert_true (quarry_query_get_subscribed (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);

  /* Untying a widget that holds no tie does nothing. */
  quarry_gtk_untie_query (query, unshown);
  g_assert_true (quarry_query_get_subscribed (query));

  /* Tied to the labels of both pages: subscribed whichever shows. */
  g_signal_connect (query, "notify", G_CALLBACK (count_notify_cb), counts);
  quarry_gtk_tie_query (query, sw.label_a);
  quarry_gtk_tie_query (query, sw.label_b);
  g_assert_true (quarry_query_get_subscribed (query));
  show_page (&sw, "b");
  g_assert_true (quarry_query_get_subscribed (query));
  show_page (&sw, "a");
  g_assert_true (quarry_query_get_subscribed (query));

  /* Both hidden: unsubscribed; one shown: subscribed. */
  gtk_widget_set_visible (GTK_WIDGET (sw.stack), FALSE);
  g_assert_false (quarry_query_get_subscribed (query));
  gtk_widget_set_visible (GTK_WIDGET (sw.stack), TRUE);
  g_assert_true (quarry_query_get_subscribed (query));

  /* Untying one leaves the other in charge. */
  quarry_gtk_untie_query (query, sw.label_a);
  g_assert_false (quarry_query_get_subscribed (query));    /* b is hidden */
  show_page (&sw, "b");
  g_assert_true (quarry_query_get_subscribed (query));
  quarry_gtk_untie_query (query, sw.label_b);
  g_assert_true (quarry_query_get_subscribed (query));
  show_page (&sw, "a");
  g_assert_true (quarry_query_get_subscribed (query));

  /* Fresh data (infinite stale time): no mount ever refetched. */
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  /* A query the app unsubscribed stays unsubscribed after the last untie,
   * even though the widget was shown in between. */
  quarry_query_set_subscribed (query, FALSE);
  quarry_gtk_tie_query (query, sw.label_a);
  g_assert_true (quarry_query_get_subscribed (query));
  quarry_gtk_untie_query (query, sw.label_a);
  g_assert_false (quarry_query_get_subscribed (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  gtk_window_destroy (sw.window);
  drain ();
  g_assert_finalize_object (unshown);
  g_assert_finalize_object (query);
}

/* A finalized widget counts as unmapped; a finalized query lets its
 * widgets go. */
static void
test_finalized (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  QuarryQuery *query = make_query (f, "[\"todos\"]", fetcher);
  QuarryQuery *short_lived = make_query (f, "[\"short\"]", fetcher);
  GtkWidget *label = gtk_label_new ("Todos");
  GtkWindow *window = quarry_gtk_test_window_new (label, 200, 100);
  GtkWidget *replacement;

  quarry_gtk_tie_query (query, label);
  quarry_gtk_tie_query (short_lived, label);
  g_assert_true (quarry_query_get_subscribed (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  fetcher_resolve_int (fetcher, 0, 1);
  fetcher_resolve_int (fetcher, 1, 1);
  quarry_clock_flush (f->clock);

  /* The query goes first: the label's map and unmap touch nothing. */
  g_assert_finalize_object (short_lived);
  gtk_widget_set_visible (label, FALSE);
  gtk_widget_set_visible (label, TRUE);

  /* The label goes: the query stays unsubscribed, as the query of an
   * unmounted component, and does not refetch. */
  gtk_window_set_child (window, NULL);
  quarry_gtk_test_settle (GTK_WIDGET (window));
  g_assert_false (quarry_query_get_subscribed (query));
  quarry_query_client_invalidate_queries (f->client, NULL, QUARRY_REFETCH_TYPE_ACTIVE);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  /* Tied to a new widget that shows, it mounts and refetches the
   * invalidated data. */
  replacement = gtk_label_new ("Todos again");
  quarry_gtk_tie_query (query, replacement);
  g_assert_false (quarry_query_get_subscribed (query));
  gtk_window_set_child (window, replacement);
  quarry_gtk_test_settle (GTK_WIDGET (window));
  g_assert_true (quarry_query_get_subscribed (query));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  fetcher_resolve_int (fetcher, 2, 2);
  quarry_clock_flush (f->clock);

  gtk_window_destroy (window);
  drain ();
  g_assert_false (quarry_query_get_subscribed (query));
  g_assert_finalize_object (query);
}

static void
count_focus_cb (QuarryQueryClient *client,
                GParamSpec        *pspec,
                GArray            *values)
{
  gboolean focused = quarry_query_client_get_focused (client);

  g_array_append_val (values, focused);
}

static void
assert_focus_changes (GArray         *values,
                      const gboolean *expected,
                      guint           n_expected)
{
  g_assert_cmpmem (values->data, values->len * sizeof (gboolean),
                   expected, n_expected * sizeof (gboolean));
}

#define ASSERT_FOCUS_CHANGES(values, ...)                                   \
  G_STMT_START {                                                            \
    const gboolean _expected[] = { __VA_ARGS__ };                           \
    assert_focus_changes (values, _expected, G_N_ELEMENTS (_expected));     \
  } G_STMT_END

/* The client is focused while any tracked window is active; moving the
 * focus between tracked windows is no loss and refetches nothing. */
static void
test_focus_two_windows (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (gboolean));
  QuarryQuery *query = make_query (f, "[\"todos\"]", fetcher);
  GtkWindow *first = quarry_gtk_test_window_new (gtk_label_new ("First"), 200, 100);
  GtkWindow *second = quarry_gtk_test_window_new (gtk_label_new ("Second"), 200, 100);
  GtkWindow *other = other_application_window ();

  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 1);

  g_signal_connect (f->client, "notify::focused", G_CALLBACK (count_focus_cb), changes);

  /* Tracking windows while another application has the focus: the client
   * loses it. */
  focus_window (other);
  quarry_gtk_track_window (f->client, first);
  quarry_gtk_track_window (f->client, second);
  quarry_gtk_track_window (f->client, second);
  drain ();
  g_assert_false (quarry_query_client_get_focused (f->client));
  ASSERT_FOCUS_CHANGES (changes, FALSE);

  /* A tracked window gets the focus: one gain, one refetch of the stale
   * data. */
  focus_window (first);
  g_assert_true (quarry_query_client_get_focused (f->client));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);

  /* Back and forth between the tracked windows, many times: the client
   * never loses the focus, nothing refetches. */
  for (guint i = 0; i < 10; i++)
    {
      focus_window (i % 2 == 0 ? second : first);
      drain ();
      g_assert_true (quarry_query_client_get_focused (f->client));
    }
  ASSERT_FOCUS_CHANGES (changes, FALSE, TRUE);

  /* Presenting the active window again: focused stays TRUE, no refetch. */
  focus_window (first);
  drain ();
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  ASSERT_FOCUS_CHANGES (changes, FALSE, TRUE);

  /* Another application: a loss; back to the second window: a gain and a
   * refetch. */
  focus_window (other);
  SPIN_UNTIL (!quarry_query_client_get_focused (f->client));
  focus_window (second);
  g_assert_true (quarry_query_client_get_focused (f->client));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  fetcher_resolve_int (fetcher, 2, 3);
  quarry_clock_flush (f->clock);
  ASSERT_FOCUS_CHANGES (changes, FALSE, TRUE, FALSE, TRUE);

  /* An untracked window no longer counts. */
  quarry_gtk_untrack_window (f->client, second);
  drain ();
  g_assert_false (quarry_query_client_get_focused (f->client));
  focus_window (first);
  g_assert_true (quarry_query_client_get_focused (f->client));
  quarry_gtk_track_window (f->client, second);

  /* GTK keeps is-active set on a window hidden while it has the focus;
   * the tracker does not count it. */
  gtk_widget_set_visible (GTK_WIDGET (first), FALSE);
  drain ();
  g_assert_false (quarry_query_client_get_focused (f->client));
  focus_window (second);
  g_assert_true (quarry_query_client_get_focused (f->client));

  /* A destroyed window stops counting. */
  gtk_window_destroy (second);
  drain ();
  g_assert_false (quarry_query_client_get_focused (f->client));

  /* Untracking the last window: the client is focused again, as one that
   * never tracked any. */
  quarry_gtk_untrack_window (f->client, first);
  g_assert_true (quarry_query_client_get_focused (f->client));
  quarry_gtk_untrack_window (f->client, first);
  g_assert_true (quarry_query_client_get_focused (f->client));
  drain ();
  g_assert_true (quarry_query_client_get_focused (f->client));

  g_signal_handlers_disconnect_by_func (f->client, count_focus_cb, changes);
  gtk_window_destroy (first);
  gtk_window_destroy (other);
  drain ();
  quarry_clock_flush (f->clock);
  g_assert_finalize_object (query);
}

/* A real GtkApplication, run with g_application_run () and no session
 * bus: G_APPLICATION_NON_UNIQUE needs none, and GLib carries on as a plain
 * non-unique application when it cannot connect to one. The client tracks
 * it from startup, as the documentation advises, and its windows drive
 * the client's focus. */
typedef struct
{
  Fixture *f;
  Fetcher *fetcher;
  QuarryQuery *query;
  gboolean activated;
} AppTest;

static void
app_startup_cb (GtkApplication *app,
                AppTest        *t)
{
  quarry_gtk_track_application (t->f->client, app);
  quarry_gtk_track_application (t->f->client, app);
}

static void
app_activate_cb (GtkApplication *app,
                 AppTest        *t)
{
  Fixture *f = t->f;
  Fetcher *fetcher = t->fetcher;
  GtkWindow *main_window;
  GtkWindow *preferences;
  GtkWindow *other;

  t->activated = TRUE;

  /* No window yet: the client is not focused. */
  drain ();
  g_assert_false (quarry_query_client_get_focused (f->client));
  quarry_clock_flush (f->clock);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);

  /* A window added to the application counts once presented: a gain,
   * and the stale data refetches. */
  main_window = GTK_WINDOW (gtk_application_window_new (app));
  gtk_window_set_default_size (main_window, 300, 200);
  focus_window (main_window);
  g_assert_true (quarry_query_client_get_focused (f->client));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);
  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);

  /* A second window of the application, made later: the focus moves to
   * it and back without a loss or a refetch. */
  preferences = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_application (preferences, app);
  focus_window (preferences);
  drain ();
  focus_window (main_window);
  drain ();
  g_assert_true (quarry_query_client_get_focused (f->client));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 2);

  /* A window outside the application takes the focus: a loss. */
  other = other_application_window ();
  focus_window (other);
  SPIN_UNTIL (!quarry_query_client_get_focused (f->client));

  /* A window removed from the application no longer counts. */
  gtk_window_set_application (preferences, NULL);
  focus_window (preferences);
  drain ();
  g_assert_false (quarry_query_client_get_focused (f->client));

  /* A window both tracked and in the application counts until both let
   * it go. */
  quarry_gtk_track_window (f->client, main_window);
  gtk_window_set_application (main_window, NULL);
  focus_window (main_window);
  g_assert_true (quarry_query_client_get_focused (f->client));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  fetcher_resolve_int (fetcher, 2, 3);
  quarry_clock_flush (f->clock);
  gtk_window_set_application (main_window, app);
  quarry_gtk_untrack_window (f->client, main_window);
  focus_window (other);
  SPIN_UNTIL (!quarry_query_client_get_focused (f->client));
  focus_window (main_window);
  g_assert_true (quarry_query_client_get_focused (f->client));
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (fetcher->calls, ==, 4);
  fetcher_resolve_int (fetcher, 3, 4);
  quarry_clock_flush (f->clock);

  /* Untracking the application: the client is focused again whatever the
   * windows do. */
  quarry_gtk_untrack_application (f->client, app);
  g_assert_true (quarry_query_client_get_focused (f->client));
  focus_window (other);
  drain ();
  g_assert_true (quarry_query_client_get_focused (f->client));

  /* Tracked again while another application has the focus: not focused.
   * The windows close, and the application quits once activate returns. */
  quarry_gtk_track_application (f->client, app);
  drain ();
  g_assert_false (quarry_query_client_get_focused (f->client));
  gtk_window_destroy (main_window);
  gtk_window_destroy (preferences);
  gtk_window_destroy (other);
}

static void
test_focus_application (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  AppTest t = { f, fetcher, NULL, FALSE };
  GtkApplication *app = gtk_application_new ("org.gnome.Quarry.TestFocus", G_APPLICATION_NON_UNIQUE);

  t.query = make_query (f, "[\"todos\"]", fetcher);
  g_signal_connect (app, "startup", G_CALLBACK (app_startup_cb), &t);
  g_signal_connect (app, "activate", G_CALLBACK (app_activate_cb), &t);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);
  g_assert_true (t.activated);

  /* The application is gone: its windows stopped counting, and the
   * client is left unfocused. */
  drain ();
  g_assert_finalize_object (app);
  g_assert_false (quarry_query_client_get_focused (f->client));

  quarry_clock_flush (f->clock);
  g_assert_finalize_object (t.query);
}

static GtkWidget *
indicator_spinner (QuarryFetchingIndicator *indicator)
{
  return quarry_gtk_test_find (GTK_WIDGET (indicator), GTK_TYPE_SPINNER, NULL);
}

static void
assert_indicator (QuarryFetchingIndicator *indicator,
                  const char              *tooltip)
{
  GtkWidget *spinner = indicator_spinner (indicator);
  const char *text = gtk_widget_get_tooltip_text (spinner);

  quarry_gtk_test_settle (GTK_WIDGET (indicator));
  g_assert_cmpint (quarry_fetching_indicator_get_active (indicator), ==, tooltip != NULL);
  g_assert_cmpint (gtk_widget_get_visible (spinner), ==, tooltip != NULL);
  g_assert_cmpint (gtk_spinner_get_spinning (GTK_SPINNER (spinner)), ==, tooltip != NULL);
  g_assert_cmpint (quarry_gtk_test_is_showing (spinner), ==, tooltip != NULL);
  g_assert_cmpstr (text, ==, tooltip);
}

static void
test_fetching_indicator (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(QuarryKey) other_key = key_new ("[\"other\"]");
  QuarryFetchingIndicator *indicator;
  QuarryMutation *mutation;
  QuarryQuery *query;
  GtkWindow *window;

  indicator = QUARRY_FETCHING_INDICATOR (quarry_fetching_indicator_new (f->client));
  g_assert_true (quarry_fetching_indicator_get_client (indicator) == f->client);
  g_assert_false (quarry_fetching_indicator_get_include_mutations (indicator));
  g_signal_connect (indicator, "notify", G_CALLBACK (count_notify_cb), counts);
  window = quarry_gtk_test_window_new (GTK_WIDGET (indicator), 100, 60);
  assert_indicator (indicator, NULL);

  /* A query fetches: the spinner shows; the fetch ends: it hides. */
  query = make_query (f, "[\"todos\"]", fetcher);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 1);
  assert_indicator (indicator, "Loading…");
  g_assert_cmpuint (count_of (counts, "active"), ==, 1);
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  assert_indicator (indicator, NULL);
  g_assert_cmpuint (count_of (counts, "active"), ==, 2);

  /* Two fetches: active from the first start to the last end. */
  quarry_query_refetch (query);
  quarry_query_client_prefetch_query_async (f->client, other_key, fetcher_func, fetcher, NULL,
                                            NULL, NULL, NULL, NULL);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_client_get_is_fetching (f->client), ==, 2);
  g_assert_cmpuint (fetcher->calls, ==, 3);
  assert_indicator (indicator, "Loading…");
  fetcher_resolve_int (fetcher, 1, 2);
  quarry_clock_flush (f->clock);
  assert_indicator (indicator, "Loading…");
  fetcher_resolve_int (fetcher, 2, 3);
  quarry_clock_flush (f->clock);
  assert_indicator (indicator, NULL);
  g_assert_cmpuint (count_of (counts, "active"), ==, 4);

  /* A mutation does not count unless asked for. */
  mutation = quarry_mutation_new (f->client, NULL, mutator_func, mutator, NULL);
  quarry_mutation_mutate (mutation, NULL, NULL, NULL, NULL);
  quarry_clock_flush (f->clock);
  g_assert_cmpuint (quarry_query_client_get_is_mutating (f->client), ==, 1);
  assert_indicator (indicator, NULL);
  quarry_fetching_indicator_set_include_mutations (indicator, TRUE);
  g_assert_cmpuint (count_of (counts, "include-mutations"), ==, 1);
  assert_indicator (indicator, "Saving…");
  quarry_fetching_indicator_set_include_mutations (indicator, TRUE);
  g_assert_cmpuint (count_of (counts, "include-mutations"), ==, 1);

  /* Saving and loading at once: saving is what the user is told. */
  quarry_query_refetch (query);
  quarry_clock_flush (f->clock);
  assert_indicator (indicator, "Saving…");
  mutator_resolve_json (mutator, 0, "{\"id\": 1}");
  quarry_clock_flush (f->clock);
  assert_indicator (indicator, "Loading…");
  fetcher_resolve_int (fetcher, 3, 4);
  quarry_clock_flush (f->clock);
  assert_indicator (indicator, NULL);

  /* Without a client: inactive. */
  quarry_query_refetch (query);
  quarry_clock_flush (f->clock);
  assert_indicator (indicator, "Loading…");
  quarry_fetching_indicator_set_client (indicator, NULL);
  assert_indicator (indicator, NULL);
  fetcher_resolve_int (fetcher, 4, 5);
  quarry_clock_flush (f->clock);

  gtk_window_destroy (window);
  drain ();
  g_assert_finalize_object (mutation);
  g_assert_finalize_object (query);
}

static void
test_fetching_indicator_builder (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(Fetcher) fetcher = fetcher_new ();
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  QuarryFetchingIndicator *indicator;
  QuarryQuery *query;
  GtkWindow *window;
  const char *ui =
    "<interface>"
    "  <object class='GtkWindow' id='window'>"
    "    <property name='default-width'>200</property>"
    "    <property name='default-height'>80</property>"
    "    <property name='titlebar'>"
    "      <object class='GtkHeaderBar'>"
    "        <child type='end'>"
    "          <object class='QuarryFetchingIndicator' id='indicator'>"
    "            <property name='client'>client</property>"
    "            <property name='include-mutations'>true</property>"
    "          </object>"
    "        </child>"
    "      </object>"
    "    </property>"
    "  </object>"
    "</interface>";

  gtk_builder_expose_object (builder, "client", G_OBJECT (f->client));
  g_assert_true (gtk_builder_add_from_string (builder, ui, -1, &error));
  g_assert_no_error (error);
  indicator = QUARRY_FETCHING_INDICATOR (gtk_builder_get_object (builder, "indicator"));
  window = GTK_WINDOW (gtk_builder_get_object (builder, "window"));
  g_assert_true (quarry_fetching_indicator_get_client (indicator) == f->client);
  g_assert_true (quarry_fetching_indicator_get_include_mutations (indicator));

  gtk_window_present (window);
  SPIN_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  assert_indicator (indicator, NULL);

  query = make_query (f, "[\"todos\"]", fetcher);
  quarry_clock_flush (f->clock);
  assert_indicator (indicator, "Loading…");
  fetcher_resolve_int (fetcher, 0, 1);
  quarry_clock_flush (f->clock);
  assert_indicator (indicator, NULL);

  gtk_window_destroy (window);
  drain ();
  g_assert_finalize_object (query);
}

int
main (int   argc,
      char *argv[])
{
  quarry_gtk_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/GtkActivity/hidden-page-focus", test_hidden_page_focus);
  ADD ("/GtkActivity/untie-and-two-widgets", test_untie_and_two_widgets);
  ADD ("/GtkActivity/finalized", test_finalized);
  ADD ("/Focus/two-windows", test_focus_two_windows);
  ADD ("/Focus/application", test_focus_application);
  ADD ("/FetchingIndicator/fetch-and-mutate", test_fetching_indicator);
  ADD ("/FetchingIndicator/builder", test_fetching_indicator_builder);
#undef ADD

  return g_test_run ();
}
