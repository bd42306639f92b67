/* quarry-todo-application.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <quarry-gtk.h>

#include "quarry-todo-application.h"
#include "quarry-todo-server.h"
#include "quarry-todo-window.h"

/*
 * QuarryTodoApplication:
 *
 * The todo app. It talks to the todo server given with `--server URL`, or
 * else starts one on a thread of its own, on 127.0.0.1 and a free port,
 * keeping its todos in `$XDG_DATA_HOME/quarry-todo/todos.json` (10 000
 * generated todos the first time).
 *
 * It owns the app's one QuarryQueryClient, whose windows' focus it tracks
 * (stale queries refetch when the app comes back to the front).
 */

#define SEED_TODOS 10000

struct _QuarryTodoApplication
{
  GtkApplication parent_instance;

  char *server_uri;
  QuarryTodoServerThread *server;
  QuarryQueryClient *client;
  QuarryTodoService *service;
};

G_DEFINE_FINAL_TYPE (QuarryTodoApplication, quarry_todo_application, GTK_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SERVER_URI,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "server", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Use the todo server at URL instead of starting one"), N_("URL") },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { NULL }
};

/* A server on this machine is reachable whatever the network monitor
 * says (a machine without a network still has loopback). */
static gboolean
is_loopback (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  if (parsed == NULL || (host = g_uri_get_host (parsed)) == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
check_server_uri (const char  *uri,
                  GError     **error)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *scheme = parsed != NULL ? g_uri_get_scheme (parsed) : NULL;

  if (parsed == NULL || g_uri_get_host (parsed) == NULL || g_uri_get_host (parsed)[0] == '\0' ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an http:// or https:// URL"), uri);
      return FALSE;
    }
  return TRUE;
}

static int
quarry_todo_application_handle_local_options (GApplication *application,
                                              GVariantDict *options)
{
  QuarryTodoApplication *self = QUARRY_TODO_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  const char *server = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("quarry-todo %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "server", "&s", &server))
    {
      if (!check_server_uri (server, &error))
        {
          g_printerr ("quarry-todo: %s\n", error->message);
          return 1;
        }
      g_free (self->server_uri);
      self->server_uri = g_strdup (server);
    }
  else if (self->server_uri == NULL)
    {
      g_autofree char *data_path = g_build_filename (g_get_user_data_dir (), "quarry-todo", "todos.json", NULL);

      self->server = quarry_todo_server_thread_start (data_path, SEED_TODOS, &error);
      if (self->server == NULL)
        {
          g_printerr (_("quarry-todo: Could not start the todo server: %s\n"), error->message);
          return 1;
        }
      self->server_uri = g_strdup (quarry_todo_server_thread_get_uri (self->server));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URI]);

  return G_APPLICATION_CLASS (quarry_todo_application_parent_class)->handle_local_options (application, options);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  static const char *authors[] = { "The Quarry authors", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (application),
                         "program-name", _("Todos"),
                         "logo-icon-name", "checkbox-checked-symbolic",
                         "version", PACKAGE_VERSION,
                         "comments", _("Quarry’s demo: server state in a GTK 4 app, cached, shared, refetched and changed optimistically"),
                         "license-type", GTK_LICENSE_LGPL_2_1,
                         "authors", authors,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "about", .activate = about_action },
};

static void
quarry_todo_application_startup (GApplication *application)
{
  QuarryTodoApplication *self = QUARRY_TODO_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *find_accels[] = { "<Control>f", NULL };
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  G_APPLICATION_CLASS (quarry_todo_application_parent_class)->startup (application);

  quarry_gtk_init ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.find", find_accels);

  gtk_css_provider_load_from_resource (css, "/org/gnome/Quarry/Todo/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  /* handle_local_options () found or started a server; an application
   * activated without the command line (D-Bus) has none yet. */
  if (self->server_uri == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *data_path = g_build_filename (g_get_user_data_dir (), "quarry-todo", "todos.json", NULL);

      self->server = quarry_todo_server_thread_start (data_path, SEED_TODOS, &error);
      if (self->server == NULL)
        {
          /* Another server may hold the store: nothing to show without one. */
          g_printerr (_("quarry-todo: Could not start the todo server: %s\n"), error->message);
          exit (EXIT_FAILURE);
        }
      self->server_uri = g_strdup (quarry_todo_server_thread_get_uri (self->server));
    }

  self->client = quarry_query_client_new ();
  if (is_loopback (self->server_uri))
    {
      quarry_query_client_set_network_monitor (self->client, NULL);
      quarry_query_client_set_online (self->client, TRUE);
    }
  quarry_gtk_track_application (self->client, GTK_APPLICATION (self));

  self->service = quarry_todo_service_new (self->client, self->server_uri);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
}

static void
quarry_todo_application_activate (GApplication *application)
{
  QuarryTodoApplication *self = QUARRY_TODO_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (quarry_todo_window_new (GTK_APPLICATION (self), self->service));
  gtk_window_present (window);
}

static void
quarry_todo_application_shutdown (GApplication *application)
{
  QuarryTodoApplication *self = QUARRY_TODO_APPLICATION (application);

  G_APPLICATION_CLASS (quarry_todo_application_parent_class)->shutdown (application);

  /* The windows are gone: drop the cache, then the server. */
  if (self->client != NULL)
    {
      quarry_gtk_untrack_application (self->client, GTK_APPLICATION (self));
      quarry_query_client_clear (self->client);
    }
  g_clear_object (&self->service);
  g_clear_object (&self->client);
  g_clear_pointer (&self->server, quarry_todo_server_thread_stop);
}

static void
quarry_todo_application_finalize (GObject *object)
{
  QuarryTodoApplication *self = (QuarryTodoApplication *)object;

  g_clear_object (&self->service);
  g_clear_object (&self->client);
  g_clear_pointer (&self->server, quarry_todo_server_thread_stop);
  g_clear_pointer (&self->server_uri, g_free);

  G_OBJECT_CLASS (quarry_todo_application_parent_class)->finalize (object);
}

static void
quarry_todo_application_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  QuarryTodoApplication *self = QUARRY_TODO_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SERVER_URI:
      g_value_set_string (value, quarry_todo_application_get_server_uri (self));
      break;
    case PROP_SERVICE:
      g_value_set_object (value, quarry_todo_application_get_service (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_todo_application_class_init (QuarryTodoApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = quarry_todo_application_finalize;
  object_class->get_property = quarry_todo_application_get_property;

  application_class->handle_local_options = quarry_todo_application_handle_local_options;
  application_class->startup = quarry_todo_application_startup;
  application_class->activate = quarry_todo_application_activate;
  application_class->shutdown = quarry_todo_application_shutdown;

  /* The server the app talks to, once the command line is handled. */
  properties[PROP_SERVER_URI] =
    g_param_spec_string ("server-uri", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The app's todos on that server, from startup to shutdown. */
  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL,
                         QUARRY_TYPE_TODO_SERVICE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quarry_todo_application_init (QuarryTodoApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("A todo list on a REST server, kept up to date with Quarry."));
}

QuarryTodoApplication *
quarry_todo_application_new (void)
{
  return g_object_new (QUARRY_TYPE_TODO_APPLICATION,
                       "application-id", "org.gnome.Quarry.Todo",
                       "flags", G_APPLICATION_NON_UNIQUE,
                       NULL);
}

const char *
quarry_todo_application_get_server_uri (QuarryTodoApplication *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_APPLICATION (self), NULL);
  return self->server_uri;
}

QuarryTodoService *
quarry_todo_application_get_service (QuarryTodoApplication *self)
{
  g_return_val_if_fail (QUARRY_IS_TODO_APPLICATION (self), NULL);
  return self->service;
}
