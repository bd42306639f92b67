/* test-mutation-button.c: QuarryMutationButton in real windows, running a
 * mutation whose runs the test completes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "quarry-gtk-test-util.h"
#include "quarry-test-util.h"

/* The library logs with the structured API, which g_test_expect_message ()
 * does not see: expected warnings are caught by a writer function that
 * swallows the next expected QuarryGtk warning matching a pattern. */
static guint expected_warnings;
static const char *expected_pattern;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if (expected_warnings > 0 && (log_level & G_LOG_LEVEL_WARNING))
    {
      const char *domain = NULL;
      const char *message = NULL;

      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
            domain = fields[i].value;
          else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
            message = fields[i].value;
        }

      if (g_strcmp0 (domain, "QuarryGtk") == 0 && message != NULL &&
          g_pattern_match_simple (expected_pattern, message))
        {
          expected_warnings--;
          return G_LOG_WRITER_HANDLED;
        }
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
expect_warning (const char *pattern)
{
  g_assert_cmpuint (expected_warnings, ==, 0);
  expected_pattern = pattern;
  expected_warnings = 1;
}

typedef struct
{
  Fixture base;
  Mutator *mutator;
  QuarryMutation *mutation;
  QuarryMutationButton *button;
  GtkWindow *window;
  GHashTable *counts;    /* notifications of the button */
} ButtonFixture;

static void
button_setup (ButtonFixture *f,
              gconstpointer  data)
{
  fixture_setup (&f->base, data);
  f->mutator = mutator_new ();
  f->mutation = quarry_mutation_new (f->base.client, NULL, mutator_func, f->mutator, NULL);
  f->button = QUARRY_MUTATION_BUTTON (g_object_ref_sink (quarry_mutation_button_new_with_label (f->mutation, "Add Todo")));
  f->counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect (f->button, "notify", G_CALLBACK (count_notify_cb), f->counts);
}

static void
button_teardown (ButtonFixture *f,
                 gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  quarry_gtk_test_settle (GTK_WIDGET (f->button));
  g_assert_finalize_object (f->button);
  quarry_clock_flush (f->base.clock);
  g_assert_finalize_object (f->mutation);
  mutator_free (f->mutator);
  g_hash_table_unref (f->counts);
  fixture_teardown (&f->base, data);
  g_assert_cmpuint (expected_warnings, ==, 0);
}

static void
show_button (ButtonFixture *f)
{
  gtk_widget_set_halign (GTK_WIDGET (f->button), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (f->button), GTK_ALIGN_CENTER);
  f->window = quarry_gtk_test_window_new (GTK_WIDGET (f->button), 200, 60);
}

static void
set_json_variables (QuarryMutationButton *button,
                    const char           *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_nonnull (node);
  g_value_init (&value, JSON_TYPE_NODE);
  g_value_set_boxed (&value, node);
  quarry_mutation_button_set_variables (button, &value);
}

static GtkWidget *
find_child (QuarryMutationButton *button,
            GType                 type)
{
  GtkWidget *child = quarry_gtk_test_find (GTK_WIDGET (button), type, NULL);

  g_assert_nonnull (child);
  return child;
}

/* The button is idle (sensitive, no spinner) or pending (insensitive, a
 * spinning spinner in place of the icon). */
static void
assert_pending (QuarryMutationButton *button,
                gboolean              pending)
{
  GtkWidget *spinner = find_child (button, GTK_TYPE_SPINNER);

  g_assert_cmpint (quarry_mutation_button_get_is_pending (button), ==, pending);
  g_assert_cmpint (gtk_widget_get_sensitive (GTK_WIDGET (button)), ==, !pending);
  g_assert_cmpint (gtk_widget_get_visible (spinner), ==, pending);
  g_assert_cmpint (gtk_spinner_get_spinning (GTK_SPINNER (spinner)), ==, pending);
  if (gtk_widget_get_mapped (GTK_WIDGET (button)))
    {
      quarry_gtk_test_settle (GTK_WIDGET (button));
      g_assert_cmpint (quarry_gtk_test_is_showing (spinner), ==, pending);
      g_assert_cmpint (quarry_gtk_test_is_showing (find_child (button, GTK_TYPE_LABEL)), ==,
                       quarry_mutation_button_get_label (button) != NULL);
    }
}

/* Click → mutate with the variables; insensitive with a spinner while
 * pending; sensitive again after success and after an error. */
static void
test_click (ButtonFixture *f,
            gconstpointer  data)
{
  g_autofree char *snapshot = NULL;

  set_json_variables (f->button, "{\"title\": \"Buy milk\", \"done\": false}");
  quarry_mutation_button_set_icon_name (f->button, "list-add-symbolic");
  show_button (f);
  assert_pending (f->button, FALSE);
  g_assert_true (quarry_gtk_test_is_showing (find_child (f->button, GTK_TYPE_IMAGE)));
  snapshot = quarry_gtk_test_snapshot (GTK_WIDGET (f->button), "mutation-button-idle");
  g_clear_pointer (&snapshot, g_free);

  quarry_gtk_test_click (GTK_WIDGET (f->button));
  g_assert_cmpuint (f->mutator->calls, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->mutator->variables, 0), ==, "{\"title\":\"Buy milk\",\"done\":false}");
  g_assert_true (quarry_mutation_get_is_pending (f->mutation));
  assert_pending (f->button, TRUE);
  g_assert_false (quarry_gtk_test_is_showing (find_child (f->button, GTK_TYPE_IMAGE)));
  g_assert_cmpuint (count_of (f->counts, "is-pending"), ==, 1);
  g_assert_cmpuint (count_of (f->counts, "sensitive"), ==, 1);
  snapshot = quarry_gtk_test_snapshot (GTK_WIDGET (f->button), "mutation-button-pending");
  g_clear_pointer (&snapshot, g_free);

  mutator_resolve_json (f->mutator, 0, "{\"id\": 1, \"title\": \"Buy milk\"}");
  quarry_clock_flush (f->base.clock);
  g_assert_true (quarry_mutation_get_is_success (f->mutation));
  assert_pending (f->button, FALSE);
  g_assert_true (quarry_gtk_test_is_showing (find_child (f->button, GTK_TYPE_IMAGE)));
  g_assert_cmpuint (count_of (f->counts, "is-pending"), ==, 2);

  /* Again, and the run fails: sensitive again all the same. */
  set_json_variables (f->button, "{\"title\": \"Walk the dog\"}");
  quarry_gtk_test_click (GTK_WIDGET (f->button));
  g_assert_cmpuint (f->mutator->calls, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->mutator->variables, 1), ==, "{\"title\":\"Walk the dog\"}");
  assert_pending (f->button, TRUE);
  mutator_reject (f->mutator, 1, "Server error");
  quarry_clock_flush (f->base.clock);
  g_assert_true (quarry_mutation_get_is_error (f->mutation));
  assert_pending (f->button, FALSE);

  /* A run started elsewhere (a keyboard shortcut) shows on the button
   * too. */
  quarry_mutation_mutate (f->mutation, NULL, NULL, NULL, NULL);
  assert_pending (f->button, TRUE);
  mutator_resolve_json (f->mutator, 2, "{}");
  quarry_clock_flush (f->base.clock);
  assert_pending (f->button, FALSE);
  g_assert_cmpuint (f->mutator->calls, ==, 3);
}

/* The button gives back only the sensitivity it took. */
static void
test_sensitivity (ButtonFixture *f,
                  gconstpointer  data)
{
  g_autoptr(Mutator) other_mutator = mutator_new ();
  QuarryMutation *other = quarry_mutation_new (f->base.client, NULL, mutator_func, other_mutator, NULL);

  show_button (f);

  /* Made insensitive by the application: a run started elsewhere leaves
   * it insensitive afterwards. */
  gtk_widget_set_sensitive (GTK_WIDGET (f->button), FALSE);
  quarry_mutation_mutate (f->mutation, NULL, NULL, NULL, NULL);
  g_assert_true (quarry_mutation_button_get_is_pending (f->button));
  mutator_resolve_json (f->mutator, 0, "{}");
  quarry_clock_flush (f->base.clock);
  g_assert_false (quarry_mutation_button_get_is_pending (f->button));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (f->button)));
  gtk_widget_set_sensitive (GTK_WIDGET (f->button), TRUE);

  /* Pending, then given another mutation that is idle: sensitive at once;
   * the first run ending changes nothing. */
  quarry_gtk_test_click (GTK_WIDGET (f->button));
  assert_pending (f->button, TRUE);
  quarry_mutation_button_set_mutation (f->button, other);
  g_assert_true (quarry_mutation_button_get_mutation (f->button) == other);
  assert_pending (f->button, FALSE);
  mutator_resolve_json (f->mutator, 1, "{}");
  quarry_clock_flush (f->base.clock);
  assert_pending (f->button, FALSE);

  /* Given a mutation that is pending: insensitive at once. */
  quarry_mutation_mutate (f->mutation, NULL, NULL, NULL, NULL);
  quarry_mutation_button_set_mutation (f->button, f->mutation);
  assert_pending (f->button, TRUE);
  quarry_mutation_button_set_mutation (f->button, NULL);
  assert_pending (f->button, FALSE);

  /* Without a mutation a click does nothing. */
  quarry_gtk_test_click (GTK_WIDGET (f->button));
  g_assert_cmpuint (f->mutator->calls, ==, 3);
  g_assert_cmpuint (other_mutator->calls, ==, 0);
  mutator_resolve_json (f->mutator, 2, "{}");
  quarry_clock_flush (f->base.clock);
  quarry_mutation_button_set_mutation (f->button, f->mutation);

  g_assert_finalize_object (other);
}

static gboolean
stop_cb (QuarryMutationButton *button,
         guint                *calls)
{
  (*calls)++;
  return TRUE;
}

static gboolean
set_variables_cb (QuarryMutationButton *button,
                  GtkEntry             *entry)
{
  g_autofree char *json = g_strdup_printf ("{\"title\": \"%s\"}", gtk_editable_get_text (GTK_EDITABLE (entry)));

  set_json_variables (button, json);
  return FALSE;
}

static void
clicked_cb (GtkButton *button,
            guint     *calls)
{
  (*calls)++;
}

/* ::mutate: a handler sets the variables for this click, or stops the
 * default handler. */
static void
test_mutate_signal (ButtonFixture *f,
                    gconstpointer  data)
{
  GtkWidget *entry = gtk_entry_new ();
  guint stops = 0;
  guint clicks = 0;
  gulong handler;

  show_button (f);
  g_signal_connect (f->button, "clicked", G_CALLBACK (clicked_cb), &clicks);

  /* The variables come from an entry at the time of the click. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "Call mum");
  handler = g_signal_connect (f->button, "mutate", G_CALLBACK (set_variables_cb), entry);
  quarry_gtk_test_click (GTK_WIDGET (f->button));
  g_assert_cmpuint (clicks, ==, 1);
  g_assert_cmpuint (f->mutator->calls, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->mutator->variables, 0), ==, "{\"title\":\"Call mum\"}");
  mutator_resolve_json (f->mutator, 0, "{}");
  quarry_clock_flush (f->base.clock);
  g_signal_handler_disconnect (f->button, handler);

  /* A handler returning TRUE stops the mutation. */
  g_signal_connect (f->button, "mutate", G_CALLBACK (stop_cb), &stops);
  quarry_gtk_test_click (GTK_WIDGET (f->button));
  g_assert_cmpuint (clicks, ==, 2);
  g_assert_cmpuint (stops, ==, 1);
  g_assert_cmpuint (f->mutator->calls, ==, 1);
  assert_pending (f->button, FALSE);

  g_object_ref_sink (entry);
  g_assert_finalize_object (entry);
}

/* Variables of fundamental types compare by value, however close. */
static void
test_number_variables (ButtonFixture *f,
                       gconstpointer  data)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) single = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, 1e-7);
  quarry_mutation_button_set_variables (f->button, &value);
  g_assert_cmpuint (count_of (f->counts, "variables"), ==, 1);
  g_value_set_double (&value, 2e-7);
  quarry_mutation_button_set_variables (f->button, &value);
  g_assert_cmpuint (count_of (f->counts, "variables"), ==, 2);
  g_assert_cmpfloat (g_value_get_double (quarry_mutation_button_get_variables (f->button)), ==, 2e-7);
  quarry_mutation_button_set_variables (f->button, &value);
  g_assert_cmpuint (count_of (f->counts, "variables"), ==, 2);
  g_value_set_double (&value, NAN);
  quarry_mutation_button_set_variables (f->button, &value);
  quarry_mutation_button_set_variables (f->button, &value);
  g_assert_cmpuint (count_of (f->counts, "variables"), ==, 3);

  g_value_init (&single, G_TYPE_FLOAT);
  g_value_set_float (&single, 1e-7f);
  quarry_mutation_button_set_variables (f->button, &single);
  g_assert_cmpuint (count_of (f->counts, "variables"), ==, 4);
  g_value_set_float (&single, 3e-7f);
  quarry_mutation_button_set_variables (f->button, &single);
  g_assert_cmpuint (count_of (f->counts, "variables"), ==, 5);
  g_assert_cmpfloat (g_value_get_float (quarry_mutation_button_get_variables (f->button)), ==, 3e-7f);

}

/* variables-json from a .ui file; label, icon and mnemonic. */
static void
test_builder (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Mutator) mutator = mutator_new ();
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *icon_name = NULL;
  QuarryMutation *mutation = quarry_mutation_new (f->client, NULL, mutator_func, mutator, NULL);
  QuarryMutationButton *delete_button;
  QuarryMutationButton *icon_button;
  GtkWindow *window;
  const char *ui =
    "<interface>"
    "  <object class='GtkWindow' id='window'>"
    "    <property name='child'>"
    "      <object class='GtkBox'>"
    "        <property name='spacing'>6</property>"
    "        <child>"
    "          <object class='QuarryMutationButton' id='delete'>"
    "            <property name='mutation'>delete_todo</property>"
    "            <property name='label'>_Delete</property>"
    "            <property name='use-underline'>true</property>"
    "            <property name='icon-name'>user-trash-symbolic</property>"
    "            <property name='variables-json'>{\"id\": 5, \"permanent\": true}</property>"
    "            <style>"
    "              <class name='destructive-action'/>"
    "            </style>"
    "          </object>"
    "        </child>"
    "        <child>"
    "          <object class='QuarryMutationButton' id='icon_only'>"
    "            <property name='mutation'>delete_todo</property>"
    "            <property name='icon-name'>user-trash-symbolic</property>"
    "          </object>"
    "        </child>"
    "      </object>"
    "    </property>"
    "  </object>"
    "</interface>";

  gtk_builder_expose_object (builder, "delete_todo", G_OBJECT (mutation));
  g_assert_true (gtk_builder_add_from_string (builder, ui, -1, &error));
  g_assert_no_error (error);
  delete_button = QUARRY_MUTATION_BUTTON (gtk_builder_get_object (builder, "delete"));
  icon_button = QUARRY_MUTATION_BUTTON (gtk_builder_get_object (builder, "icon_only"));
  window = GTK_WINDOW (gtk_builder_get_object (builder, "window"));

  g_assert_true (quarry_mutation_button_get_mutation (delete_button) == mutation);
  g_object_get (delete_button, "label", &label, "icon-name", &icon_name, NULL);
  g_assert_cmpstr (label, ==, "_Delete");
  g_assert_cmpstr (icon_name, ==, "user-trash-symbolic");
  g_assert_cmpstr (quarry_mutation_button_get_label (delete_button), ==, "_Delete");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_child (delete_button, GTK_TYPE_LABEL))), ==, "_Delete");
  g_assert_true (gtk_label_get_use_underline (GTK_LABEL (find_child (delete_button, GTK_TYPE_LABEL))));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (find_child (delete_button, GTK_TYPE_IMAGE))), ==,
                   "user-trash-symbolic");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (delete_button), "mutation-button"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (delete_button), "text-button"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (delete_button), "image-button"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (delete_button), "destructive-action"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (icon_button), "image-button"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (icon_button), "text-button"));
  g_assert_cmpstr (gtk_widget_get_css_name (GTK_WIDGET (delete_button)), ==, "button");

  gtk_window_present (window);
  SPIN_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  quarry_gtk_test_settle (GTK_WIDGET (window));
  g_assert_false (quarry_gtk_test_is_showing (find_child (icon_button, GTK_TYPE_LABEL)));
  g_assert_true (quarry_gtk_test_is_showing (find_child (icon_button, GTK_TYPE_IMAGE)));

  /* The mutation function gets the variables as JSON. Both buttons show
   * the run of the mutation they share. */
  quarry_gtk_test_click (GTK_WIDGET (delete_button));
  g_assert_cmpuint (mutator->calls, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (mutator->variables, 0), ==, "{\"id\":5,\"permanent\":true}");
  assert_pending (delete_button, TRUE);
  assert_pending (icon_button, TRUE);
  mutator_resolve_json (mutator, 0, "{}");
  quarry_clock_flush (f->clock);
  assert_pending (delete_button, FALSE);
  assert_pending (icon_button, FALSE);

  /* The icon-only button has no variables. */
  quarry_gtk_test_click (GTK_WIDGET (icon_button));
  g_assert_cmpstr (g_ptr_array_index (mutator->variables, 1), ==, "null");
  mutator_resolve_json (mutator, 1, "{}");
  quarry_clock_flush (f->clock);

  gtk_window_destroy (window);
  quarry_gtk_test_settle (GTK_WIDGET (delete_button));
  g_clear_object (&builder);
  g_assert_finalize_object (mutation);
}

/* Invalid JSON: a clear warning and no variables, from code and from a
 * .ui file. */
static void
test_invalid_json (ButtonFixture *f,
                   gconstpointer  data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  QuarryMutationButton *built;
  const char *ui =
    "<interface>"
    "  <object class='QuarryMutationButton' id='button'>"
    "    <property name='label'>Save</property>"
    "    <property name='variables-json'>{\"id\": 5,}</property>"
    "  </object>"
    "</interface>";

  g_object_set (f->button, "variables-json", "{\"id\": 5}", NULL);
  g_assert_nonnull (quarry_mutation_button_get_variables (f->button));
  g_assert_cmpuint (count_of (f->counts, "variables"), ==, 1);

  expect_warning ("*variables-json is not valid JSON*");
  g_object_set (f->button, "variables-json", "{\"id\": ", NULL);
  g_assert_cmpuint (expected_warnings, ==, 0);
  g_assert_null (quarry_mutation_button_get_variables (f->button));
  g_object_get (f->button, "variables-json", &json, NULL);
  g_assert_null (json);
  g_assert_cmpuint (count_of (f->counts, "variables"), ==, 2);
  g_assert_cmpuint (count_of (f->counts, "variables-json"), ==, 2);

  /* Empty text is no JSON either. */
  expect_warning ("*variables-json is not valid JSON*");
  g_object_set (f->button, "variables-json", "", NULL);
  g_assert_cmpuint (expected_warnings, ==, 0);
  g_assert_cmpuint (count_of (f->counts, "variables"), ==, 2);

  /* A click runs the mutation without variables. */
  show_button (f);
  quarry_gtk_test_click (GTK_WIDGET (f->button));
  g_assert_cmpstr (g_ptr_array_index (f->mutator->variables, 0), ==, "null");
  mutator_resolve_json (f->mutator, 0, "{}");
  quarry_clock_flush (f->base.clock);

  expect_warning ("*variables-json is not valid JSON*");
  g_assert_true (gtk_builder_add_from_string (builder, ui, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (expected_warnings, ==, 0);
  built = QUARRY_MUTATION_BUTTON (gtk_builder_get_object (builder, "button"));
  g_assert_null (quarry_mutation_button_get_variables (built));
  g_object_ref_sink (built);
  g_clear_object (&builder);
  g_assert_finalize_object (built);
}

/* Properties notify only on change; variables-json follows variables. */
static void
test_properties (ButtonFixture *f,
                 gconstpointer  data)
{
  g_autoptr(GVariant) variant = g_variant_ref_sink (g_variant_new_int32 (3));
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) read = G_VALUE_INIT;
  g_autofree char *json = NULL;
  GValue *boxed = NULL;

  g_assert_cmpstr (quarry_mutation_button_get_label (f->button), ==, "Add Todo");
  g_assert_null (quarry_mutation_button_get_icon_name (f->button));
  g_assert_null (quarry_mutation_button_get_variables (f->button));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->button), "text-button"));

  quarry_mutation_button_set_label (f->button, "Add Todo");
  g_assert_cmpuint (count_of (f->counts, "label"), ==, 0);
  quarry_mutation_button_set_label (f->button, "Add");
  g_object_set (f->button, "label", "Add", NULL);
  g_assert_cmpuint (count_of (f->counts, "label"), ==, 1);
  quarry_mutation_button_set_icon_name (f->button, "list-add-symbolic");
  quarry_mutation_button_set_icon_name (f->button, "list-add-symbolic");
  g_assert_cmpuint (count_of (f->counts, "icon-name"), ==, 1);

  /* An icon and no label: an image button. */
  quarry_mutation_button_set_label (f->button, NULL);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->button), "image-button"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->button), "text-button"));
  quarry_mutation_button_set_label (f->button, "Add");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->button), "image-button"));

  /* JSON variables, set as a node: the same JSON again changes nothing,
   * and variables-json gives the text. */
  set_json_variables (f->button, "{\"b\": 1, \"a\": [true]}");
  set_json_variables (f->button, "{\"a\": [true], \"b\": 1}");
  g_assert_cmpuint (count_of (f->counts, "variables"), ==, 1);
  g_assert_cmpuint (count_of (f->counts, "variables-json"), ==, 1);
  g_object_get (f->button, "variables-json", &json, "variables", &boxed, NULL);
  g_assert_cmpstr (json, ==, "{\"b\":1,\"a\":[true]}");
  g_assert_nonnull (boxed);
  g_assert_true (G_VALUE_HOLDS (boxed, JSON_TYPE_NODE));
  g_value_unset (boxed);
  g_free (boxed);

  /* Other variables: a GVariant; variables-json is then NULL. */
  g_value_init (&value, G_TYPE_VARIANT);
  g_value_set_variant (&value, variant);
  quarry_mutation_button_set_variables (f->button, &value);
  quarry_mutation_button_set_variables (f->button, &value);
  g_assert_cmpuint (count_of (f->counts, "variables"), ==, 2);
  g_assert_cmpuint (count_of (f->counts, "variables-json"), ==, 2);
  g_clear_pointer (&json, g_free);
  g_object_get (f->button, "variables-json", &json, NULL);
  g_assert_null (json);
  g_value_init (&read, G_TYPE_VALUE);
  g_object_get_property (G_OBJECT (f->button), "variables", &read);
  g_assert_true (g_variant_equal (g_value_get_variant (g_value_get_boxed (&read)), variant));

  quarry_mutation_button_set_variables (f->button, NULL);
  quarry_mutation_button_set_variables (f->button, NULL);
  g_assert_cmpuint (count_of (f->counts, "variables"), ==, 3);

  /* The mutation property. */
  quarry_mutation_button_set_mutation (f->button, f->mutation);
  g_assert_cmpuint (count_of (f->counts, "mutation"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  quarry_gtk_test_init (&argc, &argv);
  g_log_set_writer_func (log_writer, NULL, NULL);

#define ADD(path, func) g_test_add (path, ButtonFixture, NULL, button_setup, func, button_teardown)
  ADD ("/MutationButton/click", test_click);
  ADD ("/MutationButton/sensitivity", test_sensitivity);
  ADD ("/MutationButton/mutate-signal", test_mutate_signal);
  ADD ("/MutationButton/invalid-json", test_invalid_json);
  ADD ("/MutationButton/properties", test_properties);
  ADD ("/MutationButton/number-variables", test_number_variables);
#undef ADD
  g_test_add ("/MutationButton/builder", Fixture, NULL, fixture_setup, test_builder, fixture_teardown);

  return g_test_run ();
}
