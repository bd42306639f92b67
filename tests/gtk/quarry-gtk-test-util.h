/* quarry-gtk-test-util.h: shared helpers of the widget tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <quarry-gtk.h>

G_BEGIN_DECLS

/* gtk_test_init () plus QuarryGtk's types; call first in main (). */
void       quarry_gtk_test_init        (int    *argc,
                                        char ***argv);

/* Iterates the default main context until @condition returns TRUE, for at
 * most 10 seconds of wall time; then fails the test naming @what. Never
 * sleeps for a fixed time. */
void       quarry_gtk_test_spin_until  (gboolean   (*condition) (gpointer data),
                                        gpointer     data,
                                        const char  *what);

/* SPIN_UNTIL (expr): the same, for an expression over local variables. */
#define SPIN_UNTIL(expr)                                                   \
  G_STMT_START {                                                           \
    gint64 _deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;     \
    while (!(expr))                                                        \
      {                                                                    \
        if (g_get_monotonic_time () > _deadline)                           \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #expr); \
        g_main_context_iteration (NULL, FALSE);                            \
        if (!(expr))                                                       \
          g_usleep (1000);                                                 \
      }                                                                    \
  } G_STMT_END

/* Iterates the default main context until nothing is pending and a frame
 * has been drawn, so that layout and allocation are up to date. */
void       quarry_gtk_test_settle      (GtkWidget *widget);

/* A toplevel window of @width × @height holding @child, presented and
 * mapped. Destroy it with gtk_window_destroy (). */
GtkWindow *quarry_gtk_test_window_new  (GtkWidget *child,
                                        int        width,
                                        int        height);

/* Renders @widget (its current allocation, after settling) to a PNG named
 * @name.png in $QUARRY_SNAPSHOT_DIR, or in snapshots/ under the build
 * directory, and returns the file's path. Fails the test when the render
 * is empty or of one colour only. */
char      *quarry_gtk_test_snapshot    (GtkWidget  *widget,
                                        const char *name);

/* Whether @widget is drawable: mapped and with a non-empty allocation. */
gboolean   quarry_gtk_test_is_showing  (GtkWidget *widget);

/* The first descendant of @root (itself included) of @type whose
 * GtkLabel:label, GtkButton:label or accessible name is @label; or the
 * first of @type when @label is NULL. */
GtkWidget *quarry_gtk_test_find        (GtkWidget  *root,
                                        GType       type,
                                        const char *label);

/* Clicks @button as a user would (emits GtkButton::clicked after checking
 * that it is sensitive and showing). */
void       quarry_gtk_test_click       (GtkWidget *button);

G_END_DECLS
