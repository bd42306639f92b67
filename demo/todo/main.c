/* main.c: quarry-todo, Quarry's demo app
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <glib/gi18n.h>
#include <quarry-gtk.h>

#include "quarry-todo-application.h"

#ifdef QUARRY_TODO_BUILD_LOCALEDIR
/* Whether @dir holds a catalog of the domain for one of the user's
 * languages. */
static gboolean
has_catalog (const char *dir)
{
  const char * const *languages = g_get_language_names ();
  g_autofree char *file = g_strconcat (GETTEXT_PACKAGE, ".mo", NULL);

  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, languages[i], "LC_MESSAGES", file, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return TRUE;
    }
  return FALSE;
}

/* Whether this is the executable of the build tree, run before installing:
 * an installed one never looks at the build tree. */
static gboolean
running_uninstalled (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = NULL;
  g_autofree char *build_dir = realpath (QUARRY_TODO_BUILD_DIR, NULL);

  if (exe == NULL || build_dir == NULL)
    return FALSE;
  exe_dir = g_path_get_dirname (exe);
  return g_str_equal (exe_dir, build_dir);
}
#endif

static void
init_i18n (void)
{
  setlocale (LC_ALL, "");

  /* Quarry's libraries bind the shared domain to LOCALEDIR once, the
   * first time one of their classes initialises: do that first, so that
   * the binding below is the last word. */
  g_type_class_unref (g_type_class_ref (QUARRY_TYPE_QUERY_CLIENT));
  quarry_gtk_init ();

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
#ifdef QUARRY_TODO_BUILD_LOCALEDIR
  /* Run from the build tree, before installing: its catalogs. */
  if (running_uninstalled () && has_catalog (QUARRY_TODO_BUILD_LOCALEDIR))
    bindtextdomain (GETTEXT_PACKAGE, QUARRY_TODO_BUILD_LOCALEDIR);
#endif
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(QuarryTodoApplication) application = NULL;

  init_i18n ();
  g_set_application_name (_("Todos"));

  application = quarry_todo_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
