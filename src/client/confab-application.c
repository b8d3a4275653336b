/* confab-application.c: the Confab application
 *
 * One instance per user session: a second `confab` forwards its command
 * line to the running one, which raises its window. A confab:// link on
 * the command line, or opened by the desktop, takes the user to its room.
 * The application owns
 * what all windows share: the WebKit network session (cookies and cache of
 * the embedded meetings) and the keyring session store.
 */
#define G_LOG_DOMAIN "confab"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-application.h"
#include "confab-preferences.h"
#include "confab-server-url.h"
#include "confab-window.h"

struct _ConfabApplication
{
  AdwApplication        parent_instance;

  WebKitNetworkSession *network_session;
  ConfabSessionStore   *session_store;
  char                 *server_override;
};

G_DEFINE_FINAL_TYPE (ConfabApplication, confab_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "server", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Sign in to the confab-server at URL instead of the saved one"), N_("URL") },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static GtkWindow *
find_main_window (ConfabApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (CONFAB_IS_WINDOW (l->data))
        return GTK_WINDOW (l->data);
    }

  return NULL;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ConfabApplication *self = CONFAB_APPLICATION (user_data);
  GtkWindow *window = find_main_window (self);

  /* Closing through the window requests confirmation during a meeting. */
  if (window != NULL)
    gtk_window_close (window);
  else
    g_application_quit (G_APPLICATION (self));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  ConfabApplication *self = CONFAB_APPLICATION (user_data);
  GtkWindow *window = find_main_window (self);
  g_autoptr(GSettings) settings = NULL;
  ConfabPreferences *preferences;

  if (window != NULL)
    settings = g_object_ref (confab_window_get_settings (CONFAB_WINDOW (window)));
  else
    settings = g_settings_new (APP_ID);

  preferences = confab_preferences_new (settings);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), window);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  ConfabApplication *self = CONFAB_APPLICATION (user_data);
  static const char *developers[] = { "The Confab developers", NULL };

  adw_show_about_window (find_main_window (self),
                         "application-name", _("Confab"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("A lobby for Jitsi Meet meetings"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
};

static void
confab_application_activate (GApplication *application)
{
  ConfabApplication *self = CONFAB_APPLICATION (application);
  GtkWindow *window = find_main_window (self);

  if (window == NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);

      window = GTK_WINDOW (confab_window_new (self, settings));
    }
  else if (self->server_override != NULL)
    {
      confab_window_use_server (CONFAB_WINDOW (window), self->server_override);
    }

  gtk_window_present (window);
}

/* Opens confab:// links, from the desktop's URI handler or the command line. */
static void
confab_application_open (GApplication  *application,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  ConfabApplication *self = CONFAB_APPLICATION (application);
  GtkWindow *window;

  g_application_activate (application);
  window = find_main_window (self);
  g_assert (window != NULL);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);

      confab_window_open_link (CONFAB_WINDOW (window), uri);
    }
}

static int
confab_application_command_line (GApplication            *application,
                                 GApplicationCommandLine *command_line)
{
  ConfabApplication *self = CONFAB_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_auto(GStrv) arguments = NULL;
  const char *server = NULL;
  int n_arguments;

  if (g_variant_dict_contains (options, "version"))
    {
      g_application_command_line_print (command_line, "confab %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (g_variant_dict_lookup (options, "server", "&s", &server))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = confab_server_url_normalize (server, &error);

      if (url == NULL)
        {
          g_application_command_line_printerr (command_line, "confab: %s\n", error->message);
          return EXIT_FAILURE;
        }

      g_free (self->server_override);
      self->server_override = g_steal_pointer (&url);
    }

  /* Arguments other than options are links. argv[0] is the program. */
  arguments = g_application_command_line_get_arguments (command_line, &n_arguments);
  if (n_arguments > 1)
    {
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

      for (int i = 1; i < n_arguments; i++)
        g_ptr_array_add (files, g_application_command_line_create_file_for_arg (command_line, arguments[i]));

      g_application_open (application, (GFile **) files->pdata, files->len, "");
      return EXIT_SUCCESS;
    }

  g_application_activate (application);

  return EXIT_SUCCESS;
}

static void
confab_application_startup (GApplication *application)
{
  ConfabApplication *self = CONFAB_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (confab_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

static void
confab_application_finalize (GObject *object)
{
  ConfabApplication *self = (ConfabApplication *)object;

  g_clear_object (&self->network_session);
  g_clear_object (&self->session_store);
  g_clear_pointer (&self->server_override, g_free);

  G_OBJECT_CLASS (confab_application_parent_class)->finalize (object);
}

static void
confab_application_class_init (ConfabApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = confab_application_finalize;

  application_class->activate = confab_application_activate;
  application_class->command_line = confab_application_command_line;
  application_class->open = confab_application_open;
  application_class->startup = confab_application_startup;
}

static void
confab_application_init (ConfabApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  self->session_store = confab_session_store_new ();
}

ConfabApplication *
confab_application_new (void)
{
  return g_object_new (CONFAB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/confab/Confab",
                       NULL);
}

/**
 * confab_application_get_network_session:
 *
 * Returns: (transfer none): the process's WebKit network session, whose
 *   cookies and cache persist in the user's data and cache directories
 */
WebKitNetworkSession *
confab_application_get_network_session (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);

  if (self->network_session == NULL)
    {
      g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "confab", "webkit", NULL);
      g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "confab", "webkit", NULL);

      self->network_session = webkit_network_session_new (data_dir, cache_dir);
    }

  return self->network_session;
}

/**
 * confab_application_get_session_store:
 *
 * Returns: (transfer none): the keyring store of session tokens
 */
ConfabSessionStore *
confab_application_get_session_store (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);

  return self->session_store;
}

/**
 * confab_application_get_server_override:
 *
 * Returns: (nullable): the server URL given with `--server`, already checked
 */
const char *
confab_application_get_server_override (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);

  return self->server_override;
}
