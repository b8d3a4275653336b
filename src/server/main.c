/* main.c: the confab-server command line. */
#define G_LOG_DOMAIN "confab-server"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cfs-auth.h"
#include "cfs-config.h"
#include "cfs-jitsi.h"
#include "cfs-server.h"
#include "cfs-store.h"
#include "confab-protocol.h"

typedef struct {
  char     *config_path;
  char     *listen_address;
  int       port;
  char     *database_path;
  char     *state_dir;
  char     *jitsi_domain;
  char     *jitsi_app_id;
  char     *jitsi_sub;
  char     *jitsi_secret_file;
  int       token_ttl;
  char     *registration;
  char     *grant_admin;
  char     *create_user;
  char     *name;
  gboolean  admin;
  gboolean  version;
} Options;

static void
clear_options (Options *options)
{
  g_free (options->config_path);
  g_free (options->listen_address);
  g_free (options->database_path);
  g_free (options->state_dir);
  g_free (options->jitsi_domain);
  g_free (options->jitsi_app_id);
  g_free (options->jitsi_sub);
  g_free (options->jitsi_secret_file);
  g_free (options->registration);
  g_free (options->grant_admin);
  g_free (options->create_user);
  g_free (options->name);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, clear_options)

static void
replace_string (char **target,
                char  *value)
{
  if (value == NULL)
    return;

  g_free (*target);
  *target = g_strdup (value);
}

/* Flags override the config file. */
static gboolean
apply_options (CfsConfig      *config,
               const Options  *options,
               GError        **error)
{
  replace_string (&config->listen_address, options->listen_address);
  replace_string (&config->database_path, options->database_path);
  replace_string (&config->state_dir, options->state_dir);
  replace_string (&config->jitsi_domain, options->jitsi_domain);
  replace_string (&config->jitsi_app_id, options->jitsi_app_id);
  replace_string (&config->jitsi_sub, options->jitsi_sub);
  replace_string (&config->jitsi_secret_file, options->jitsi_secret_file);

  if (options->port >= 0)
    {
      if (options->port > 65535)
        {
          g_set_error (error, CFS_CONFIG_ERROR, CFS_CONFIG_ERROR_INVALID,
                       _("Invalid port %d: use 0 to 65535"), options->port);
          return FALSE;
        }
      config->port = options->port;
    }

  if (options->token_ttl >= 0)
    config->token_ttl_seconds = options->token_ttl;

  if (options->registration != NULL &&
      !cfs_config_set_registration (config, options->registration, error))
    return FALSE;

  return TRUE;
}

static CfsConfig *
load_config (const Options  *options,
             GError        **error)
{
  g_autoptr(CfsConfig) config = cfs_config_new ();

  if (options->config_path != NULL &&
      !cfs_config_load_file (config, options->config_path, error))
    return NULL;

  if (!apply_options (config, options, error) || !cfs_config_validate (config, error))
    return NULL;

  return g_steal_pointer (&config);
}

static gboolean
grant_admin (const CfsConfig  *config,
             const char       *email,
             GError          **error)
{
  g_autoptr(CfsStore) store = NULL;
  g_autoptr(CfsUser) user = NULL;

  store = cfs_store_open (config->database_path, error);
  if (store == NULL)
    return FALSE;

  user = cfs_store_find_user_by_email (store, email, NULL, error);
  if (user == NULL)
    {
      g_prefix_error (error, _("Cannot grant site admin: "));
      return FALSE;
    }

  if (!cfs_store_set_admin (store, user->id, TRUE, error))
    return FALSE;

  g_message ("User %" G_GINT64_FORMAT " is now a site admin", user->id);
  g_print (_("%s (user %lld) is now a site admin.\n"), user->email, (long long) user->id);

  return TRUE;
}

/* Reads one line from standard input with the terminal's echo off, so the
 * password never appears on screen, in the shell history or in ps.
 */
static char *
read_password (GError **error)
{
  char buffer[CONFAB_PASSWORD_MAX + 2];
  struct termios saved, quiet;
  gboolean is_tty = isatty (STDIN_FILENO);
  char *line;
  gsize length;

  if (is_tty)
    {
      g_printerr (_("Password for the new account: "));
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }

  line = fgets (buffer, sizeof buffer, stdin);

  if (is_tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      g_printerr ("\n");
    }

  length = line != NULL ? strcspn (buffer, "\r\n") : 0;
  buffer[length] = '\0';

  if (length < CONFAB_PASSWORD_MIN || length > CONFAB_PASSWORD_MAX)
    {
      sodium_memzero (buffer, sizeof buffer);
      g_set_error (error, CFS_CONFIG_ERROR, CFS_CONFIG_ERROR_INVALID,
                   _("Invalid password on standard input: give %d to %d bytes on one line"),
                   CONFAB_PASSWORD_MIN, CONFAB_PASSWORD_MAX);
      return NULL;
    }

  line = g_strdup (buffer);
  sodium_memzero (buffer, sizeof buffer);

  return line;
}

static gboolean
create_user (const CfsConfig  *config,
             const Options    *options,
             GError          **error)
{
  g_autoptr(CfsStore) store = NULL;
  g_autoptr(CfsUser) user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *password_hash = NULL;

  if (options->name == NULL || *options->name == '\0' ||
      g_utf8_strlen (options->name, -1) > CONFAB_USER_NAME_MAX_CHARS)
    {
      g_set_error (error, CFS_CONFIG_ERROR, CFS_CONFIG_ERROR_INVALID,
                   _("--create-user needs --name NAME, 1 to %d characters"),
                   CONFAB_USER_NAME_MAX_CHARS);
      return FALSE;
    }

  if (strchr (options->create_user, '@') == NULL)
    {
      g_set_error (error, CFS_CONFIG_ERROR, CFS_CONFIG_ERROR_INVALID,
                   _("Invalid email “%s”: give an address like name@example.org"),
                   options->create_user);
      return FALSE;
    }

  password = read_password (error);
  if (password == NULL)
    return FALSE;

  password_hash = cfs_auth_hash_password (password, error);
  sodium_memzero (password, strlen (password));
  if (password_hash == NULL)
    return FALSE;

  store = cfs_store_open (config->database_path, error);
  if (store == NULL)
    return FALSE;

  user = cfs_store_create_user (store, options->name, options->create_user, password_hash,
                                NULL, options->admin, error);
  if (user == NULL)
    return FALSE;

  g_message ("Created user %" G_GINT64_FORMAT "%s", user->id, user->is_admin ? " (site admin)" : "");
  g_print (_("Created the account %s (user %lld)%s.\n"), user->email, (long long) user->id,
           user->is_admin ? _(", a site admin") : "");

  return TRUE;
}

static gboolean
stop_on_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);

  return G_SOURCE_CONTINUE;
}

static int
run_server (CfsConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsServer) server = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint sigterm_id, sigint_id;

  if (!cfs_jitsi_load_secret (config, &error))
    {
      g_printerr ("confab-server: %s\n", error->message);
      cfs_config_free (config);
      return 1;
    }

  if (config->jitsi_domain == NULL)
    g_warning ("No Jitsi domain configured: meeting tokens are refused until "
               "“domain” is set in group [jitsi]");

  server = cfs_server_new (config, &error);
  if (server == NULL || !cfs_server_listen (server, &error))
    {
      g_printerr ("confab-server: %s\n", error->message);
      return 1;
    }

  /* Tests and scripts read the bound address from this line. */
  g_print ("confab-server listening on %s\n", cfs_server_get_url (server));
  fflush (stdout);

  sigterm_id = g_unix_signal_add (SIGTERM, stop_on_signal_cb, loop);
  sigint_id = g_unix_signal_add (SIGINT, stop_on_signal_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);

  g_message ("Stopping on a signal");
  cfs_server_shutdown (server);
  g_clear_object (&server);
  g_message ("Stopped");

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(Options) options = { .port = -1, .token_ttl = -1 };
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &options.config_path,
      N_("Read settings from FILE, a key file with the groups [server], [jitsi], [accounts], [lobby] and [smtp]; flags override it"), N_("FILE") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &options.listen_address,
      N_("Listen on this IP address (default: 127.0.0.1)"), N_("ADDRESS") },
    { "port", 'p', 0, G_OPTION_ARG_INT, &options.port,
      N_("Listen on this TCP port; 0 picks a free one (default: 8470)"), N_("PORT") },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &options.database_path,
      N_("SQLite database file (default: confab.db in the state directory)"), N_("FILE") },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.state_dir,
      N_("Directory for the database and the generated Jitsi secret (default: ~/.local/share/confab-server)"), N_("DIR") },
    { "jitsi-domain", 0, 0, G_OPTION_ARG_STRING, &options.jitsi_domain,
      N_("Host name of the Jitsi Meet deployment, such as meet.example.org"), N_("DOMAIN") },
    { "jitsi-app-id", 0, 0, G_OPTION_ARG_STRING, &options.jitsi_app_id,
      N_("Jitsi app id, sent as the token's iss and aud (Jitsi's JWT_APP_ID; default: confab)"), N_("ID") },
    { "jitsi-sub", 0, 0, G_OPTION_ARG_STRING, &options.jitsi_sub,
      N_("Value of the token's sub claim: the Jitsi XMPP domain, such as meet.jitsi for docker-jitsi-meet (default: the Jitsi domain)"), N_("VALUE") },
    { "jitsi-secret-file", 0, 0, G_OPTION_ARG_FILENAME, &options.jitsi_secret_file,
      N_("Read the Jitsi app secret (Jitsi's JWT_APP_SECRET) from FILE; else CONFAB_JITSI_SECRET, else a generated jitsi-secret file in the state directory"), N_("FILE") },
    { "token-ttl", 0, 0, G_OPTION_ARG_INT, &options.token_ttl,
      N_("Lifetime of meeting tokens in seconds, 60 to 3600 (default: 900)"), N_("SECONDS") },
    { "registration", 0, 0, G_OPTION_ARG_STRING, &options.registration,
      N_("Who creates accounts: “open” lets anyone register, “closed” leaves it to site admins (default: open)"), N_("open|closed") },
    { "grant-admin", 0, 0, G_OPTION_ARG_STRING, &options.grant_admin,
      N_("Make the account with this email a site admin, then exit"), N_("EMAIL") },
    { "create-user", 0, 0, G_OPTION_ARG_STRING, &options.create_user,
      N_("Create an account with this email, reading its password from standard input, then exit"), N_("EMAIL") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &options.name,
      N_("Display name of the account that --create-user makes"), N_("NAME") },
    { "admin", 0, 0, G_OPTION_ARG_NONE, &options.admin,
      N_("Make the account that --create-user makes a site admin"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options.version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  CfsConfig *config;
  gboolean ok;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Lobby backend for Jitsi Meet meetings: accounts, rooms, meeting tokens and live presence."));
  g_option_context_set_description (context, _("Flags override the config file. The config file "
                                                "also sets what has no flag: public_url, "
                                                "trusted_proxies, metrics_token, session lifetime, "
                                                "the [lobby] timings and the [smtp] server. "
                                                "confab-server.conf.example lists every key with "
                                                "its unit and default."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("confab-server: %s\n", error->message);
      g_printerr (_("Run “confab-server --help” to see the options.\n"));
      return 2;
    }

  if (options.version)
    {
      g_print ("confab-server %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (sodium_init () < 0)
    {
      g_printerr ("confab-server: libsodium failed to initialize\n");
      return 1;
    }

  config = load_config (&options, &error);
  if (config == NULL)
    {
      g_printerr ("confab-server: %s\n", error->message);
      return 1;
    }

  if (options.grant_admin != NULL || options.create_user != NULL)
    {
      if (options.grant_admin != NULL)
        ok = grant_admin (config, options.grant_admin, &error);
      else
        ok = create_user (config, &options, &error);

      cfs_config_free (config);
      if (!ok)
        {
          g_printerr ("confab-server: %s\n", error->message);
          return 1;
        }
      return 0;
    }

  g_message ("Starting confab-server %s", PACKAGE_VERSION);

  return run_server (config);
}
