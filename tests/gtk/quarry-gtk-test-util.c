/* quarry-gtk-test-util.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-gtk-test-util.h"

void
quarry_gtk_test_init (int    *argc,
                      char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  quarry_gtk_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

void
quarry_gtk_test_spin_until (gboolean   (*condition) (gpointer data),
                            gpointer     data,
                            const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      if (!condition (data))
        g_usleep (1000);
    }
}

static void
frame_drawn_cb (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  gboolean *drawn = user_data;

  *drawn = TRUE;
}

void
quarry_gtk_test_settle (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkFrameClock *frame_clock;
  gboolean drawn = FALSE;
  gulong handler;

  while (g_main_context_iteration (NULL, FALSE))
    ;

  if (native == NULL || !gtk_widget_get_mapped (GTK_WIDGET (native)))
    return;

  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (native));
  handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (frame_drawn_cb), &drawn);
  gtk_widget_queue_draw (GTK_WIDGET (native));
  gtk_widget_queue_resize (GTK_WIDGET (native));
  SPIN_UNTIL (drawn);
  g_signal_handler_disconnect (frame_clock, handler);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

GtkWindow *
quarry_gtk_test_window_new (GtkWidget *child,
                            int        width,
                            int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  SPIN_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  quarry_gtk_test_settle (GTK_WIDGET (window));
  return window;
}

char *
quarry_gtk_test_snapshot (GtkWidget  *widget,
                          const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree guchar *pixels = NULL;
  char *path;
  GskRenderer *renderer;
  int width, height;
  gsize stride, n_colours = 0;
  guint32 first = 0;

  quarry_gtk_test_settle (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  /* The window's background, so that the PNG looks as on screen. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.98, 0.98, 0.98, 1.0 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* A render of one colour means nothing was drawn. */
  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  for (gsize i = 0; i < stride * height && n_colours < 2; i += 4)
    {
      guint32 pixel;

      memcpy (&pixel, pixels + i, 4);
      if (i == 0)
        {
          first = pixel;
          n_colours = 1;
        }
      else if (pixel != first)
        n_colours = 2;
    }
  g_assert_cmpuint (n_colours, ==, 2);

  dir = g_strdup (g_getenv ("QUARRY_SNAPSHOT_DIR"));
  if (dir == NULL)
    dir = g_test_build_filename (G_TEST_BUILT, "snapshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("snapshot: %s", path);
  return path;
}

gboolean
quarry_gtk_test_is_showing (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget) &&
         gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_height (widget) > 0;
}

static gboolean
has_label (GtkWidget  *widget,
           const char *label)
{
  const char *text = NULL;

  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_label (GTK_LABEL (widget));
  else if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));

  return g_strcmp0 (text, label) == 0;
}

GtkWidget *
quarry_gtk_test_find (GtkWidget  *root,
                      GType       type,
                      const char *label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (label == NULL || has_label (root, label)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = quarry_gtk_test_find (child, type, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

void
quarry_gtk_test_click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (quarry_gtk_test_is_showing (button));
  g_signal_emit_by_name (button, "clicked");
}
