/* main.c: quarry-todo-server, the todo demo's REST server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "quarry-todo-server.h"

/* Exit statuses: 0 after a clean stop, 1 when the server cannot start,
 * 2 for a bad command line. */
#define EXIT_USAGE 2

#define MAX_SEED_TODOS 1000000

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static int
usage_error (const char *message)
{
  g_printerr ("%s: %s\n", g_get_prgname (), message);
  g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
  return EXIT_USAGE;
}

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
#endif

static void
init_i18n (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
#ifdef QUARRY_TODO_BUILD_LOCALEDIR
  /* Run from the build tree, before installing: its catalogs. */
  if (!has_catalog (LOCALEDIR) && has_catalog (QUARRY_TODO_BUILD_LOCALEDIR))
    bindtextdomain (GETTEXT_PACKAGE, QUARRY_TODO_BUILD_LOCALEDIR);
#endif
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static char *
default_data_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "quarry-todo", "todos.json", NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(QuarryTodoServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *data_path = NULL;
  g_autofree char *random_seed = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *description = NULL;
  gint port = 8080;
  gint latency_ms = 0;
  double fail_rate = 0.0;
  gint seed = 0;
  guint64 random_seed_value = QUARRY_TODO_SERVER_DEFAULT_RANDOM_SEED;
  gboolean version = FALSE;
  guint sigint_id;
  guint sigterm_id;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      N_("Listen on port N (default 8080; 0 picks a free port)"), N_("N") },
    { "address", 'a', 0, G_OPTION_ARG_STRING, &address,
      N_("Listen on the IP address A (default 127.0.0.1)"), N_("A") },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_path,
      N_("Keep the todos in FILE (created if missing)"), N_("FILE") },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency_ms,
      N_("Delay every /todos response by N milliseconds (0 to 10000)"), N_("N") },
    { "fail-rate", 0, 0, G_OPTION_ARG_DOUBLE, &fail_rate,
      N_("Fail this fraction of /todos requests with 503 (0 to 1)"), N_("F") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed,
      N_("Fill an empty store with N generated todos"), N_("N") },
    { "random-seed", 0, 0, G_OPTION_ARG_STRING, &random_seed,
      N_("Seed the generator of injected failures with N"), N_("N") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };

  init_i18n ();

  g_set_prgname ("quarry-todo-server");

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  summary = g_strdup (_("Serves the REST API of Quarry’s todo demo: /todos and /settings."));
  g_option_context_set_summary (context, summary);
  description = g_strdup_printf (_("The todos are kept in one JSON file, by default %s. "
                                   "Stop the server with Ctrl+C."),
                                 "$XDG_DATA_HOME/quarry-todo/todos.json");
  g_option_context_set_description (context, description);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (version)
    {
      g_print ("quarry-todo-server %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”"), argv[1]);

      return usage_error (message);
    }
  if (port < 0 || port > G_MAXUINT16)
    return usage_error (_("The port must be from 0 to 65535"));
  if (latency_ms < 0 || latency_ms > QUARRY_TODO_SERVER_MAX_LATENCY_MS)
    return usage_error (_("The latency must be from 0 to 10000 milliseconds"));
  if (!(fail_rate >= 0.0 && fail_rate <= 1.0))
    return usage_error (_("The fail rate must be from 0 to 1"));
  if (seed < 0 || seed > MAX_SEED_TODOS)
    return usage_error (_("The number of todos to seed must be from 0 to 1000000"));
  if (random_seed != NULL
      && !g_ascii_string_to_unsigned (random_seed, 10, 0, G_MAXUINT64, &random_seed_value, NULL))
    return usage_error (_("The random seed must be a non-negative integer"));

  if (data_path == NULL)
    data_path = default_data_path ();

  /* Before anything a script could be waiting for (the "Listening on"
   * line): a SIGTERM from then on is a clean stop, not a death by signal.
   * One that comes during the start is handled once the loop runs. */
  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);

  server = quarry_todo_server_new (data_path, &error);
  if (server == NULL
      || !quarry_todo_server_seed (server, (guint) seed, &error)
      || !quarry_todo_server_listen (server, address, (guint) port, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      g_source_remove (sigint_id);
      g_source_remove (sigterm_id);
      return EXIT_FAILURE;
    }

  g_object_set (server,
                "latency-ms", (guint) latency_ms,
                "fail-rate", fail_rate,
                "random-seed", random_seed_value,
                NULL);

  /* Not translated: scripts and tests read this line to find the port. */
  g_print ("Listening on %s\n", quarry_todo_server_get_uri (server));
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  return EXIT_SUCCESS;
}
