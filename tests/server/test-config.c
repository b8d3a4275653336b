/* test-config.c: confab-server settings from the key file and defaults. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cfs-config.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("confab-test-config-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "confab-server.conf", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_remove (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
write_config (Fixture    *fixture,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (fixture->path, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_config_defaults (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CfsConfig) config = cfs_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *state_dir = g_build_filename (g_get_user_data_dir (), "confab-server", NULL);
  g_autofree char *database = g_build_filename (state_dir, "confab.db", NULL);

  g_assert_true (cfs_config_validate (config, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (config->listen_address, ==, "127.0.0.1");
  g_assert_cmpuint (config->port, ==, 8470);
  g_assert_cmpstr (config->state_dir, ==, state_dir);
  g_assert_cmpstr (config->database_path, ==, database);
  g_assert_null (config->jitsi_domain);
  g_assert_null (config->jitsi_sub);
  g_assert_cmpstr (config->jitsi_app_id, ==, "confab");
  g_assert_cmpuint (config->token_ttl_seconds, ==, 900);
  g_assert_cmpint (config->registration, ==, CFS_REGISTRATION_OPEN);
  g_assert_cmpuint (config->lobby_interval_ms, ==, 250);
  g_assert_cmpuint (config->max_pending_output, ==, 4 * 1024 * 1024);
}

static void
test_config_file_values (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CfsConfig) config = cfs_config_new ();
  g_autoptr(GError) error = NULL;

  write_config (fixture,
                "[server]\nlisten=::1\nport=0\nstate_dir=/srv/confab\n"
                "trusted_proxies=10.0.0.1;::1\nmetrics_token=abc\n"
                "[jitsi]\ndomain=meet.example.org\napp_id=myapp\ntoken_ttl=3600\n"
                "[accounts]\nregistration=closed\nsession_ttl=3600\n"
                "[lobby]\ninterval_ms=100\nmax_pending_output=65536\n");

  g_assert_true (cfs_config_load_file (config, fixture->path, &error));
  g_assert_true (cfs_config_validate (config, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (config->listen_address, ==, "::1");
  g_assert_cmpuint (config->port, ==, 0);
  g_assert_cmpstr (config->database_path, ==, "/srv/confab/confab.db");
  g_assert_cmpuint (g_strv_length (config->trusted_proxies), ==, 2);
  g_assert_cmpstr (config->trusted_proxies[1], ==, "::1");
  g_assert_cmpstr (config->metrics_token, ==, "abc");
  g_assert_cmpstr (config->jitsi_domain, ==, "meet.example.org");
  g_assert_cmpstr (config->jitsi_sub, ==, "meet.example.org");
  g_assert_cmpstr (config->jitsi_app_id, ==, "myapp");
  g_assert_cmpuint (config->token_ttl_seconds, ==, 3600);
  g_assert_cmpint (config->registration, ==, CFS_REGISTRATION_CLOSED);
  g_assert_cmpuint (config->session_ttl_seconds, ==, 3600);
  g_assert_cmpuint (config->lobby_interval_ms, ==, 100);
  g_assert_cmpuint (config->max_pending_output, ==, 65536);
}

/* Every key of the example, uncommented, must be one the server reads:
 * an unknown key would log a warning, which fails the test.
 */
static void
test_config_example_keys_known (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *example_path = g_build_filename (g_getenv ("CONFAB_SOURCE_DIR"), "data",
                                                    "confab-server.conf.example", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *example = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) uncommented = g_string_new (NULL);
  g_autoptr(CfsConfig) config = cfs_config_new ();
  guint keys = 0;

  g_file_get_contents (example_path, &example, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (example, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* "#key = value" lines are settings; "# text" lines are comments. */
      if (lines[i][0] == '#' && g_ascii_isalpha (lines[i][1]))
        {
          g_string_append_printf (uncommented, "%s\n", lines[i] + 1);
          keys++;
        }
      else
        {
          g_string_append_printf (uncommented, "%s\n", lines[i]);
        }
    }

  write_config (fixture, uncommented->str);
  g_assert_true (cfs_config_load_file (config, fixture->path, &error));
  g_assert_no_error (error);
  g_assert_true (cfs_config_validate (config, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (keys, ==, 27);
  g_assert_cmpuint (config->max_connections_per_user, ==, 32);
  g_assert_cmpstr (config->jitsi_sub, ==, "meet.jitsi");
  g_assert_cmpstr (config->public_url, ==, "https://confab.example.org");
  g_assert_cmpstr (config->smtp_host, ==, "smtp.example.org");
  g_assert_cmpuint (config->smtp_port, ==, 587);
  g_assert_true (config->smtp_starttls);
  g_assert_cmpstr (config->smtp_from, ==, "Confab <confab@example.org>");
}

static void
test_config_invalid_values (Fixture       *fixture,
                            gconstpointer  data)
{
  const struct {
    const char *text;
    const char *expected;
  } cases[] = {
    { "[server]\nport=70000\n", "“port”" },
    { "[server]\nport=eighty\n", "“port”" },
    { "[jitsi]\ntoken_ttl=7200\n", "“token_ttl”" },
    { "[jitsi]\ntoken_ttl=10\n", "“token_ttl”" },
    { "[accounts]\nregistration=maybe\n", "“maybe”" },
    { "[server]\nlisten=localhost\n", "“localhost”" },
    { "[server]\ntrusted_proxies=proxy.example.org\n", "“proxy.example.org”" },
    { "[server]\npublic_url=confab.example.org\n", "“public_url”" },
    { "[server]\npublic_url=ftp://confab.example.org\n", "“public_url”" },
    { "[server]\npublic_url=https://confab.example.org/app?x=1\n", "“public_url”" },
    { "[smtp]\nstarttls=maybe\n", "“starttls”" },
    { "[smtp]\nport=0\n", "“port”" },
    { "not a key file", fixture->path },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CfsConfig) config = cfs_config_new ();
      g_autoptr(GError) error = NULL;
      gboolean ok;

      write_config (fixture, cases[i].text);
      ok = cfs_config_load_file (config, fixture->path, &error) &&
           cfs_config_validate (config, &error);

      g_test_message ("%s → %s", cases[i].text, error != NULL ? error->message : "accepted");
      g_assert_false (ok);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, cases[i].expected));
    }
}

static void
test_config_smtp_values (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CfsConfig) config = cfs_config_new ();
  g_autoptr(GError) error = NULL;

  g_assert_null (config->smtp_host);
  g_assert_cmpuint (config->smtp_port, ==, 587);
  g_assert_true (config->smtp_starttls);

  write_config (fixture, "[server]\npublic_url=http://[::1]:8470\n"
                         "[smtp]\nhost=127.0.0.1\nport=2525\nstarttls=false\n"
                         "username=confab\npassword_file=/run/smtp-password\nfrom=x@example.org\n"
                         "ca_file=/etc/ca.pem\n");
  g_assert_true (cfs_config_load_file (config, fixture->path, &error));
  g_assert_no_error (error);
  g_assert_true (cfs_config_validate (config, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (config->public_url, ==, "http://[::1]:8470");
  g_assert_cmpstr (config->smtp_host, ==, "127.0.0.1");
  g_assert_cmpuint (config->smtp_port, ==, 2525);
  g_assert_false (config->smtp_starttls);
  g_assert_cmpstr (config->smtp_username, ==, "confab");
  g_assert_cmpstr (config->smtp_password_file, ==, "/run/smtp-password");
  g_assert_cmpstr (config->smtp_from, ==, "x@example.org");
  g_assert_cmpstr (config->smtp_ca_file, ==, "/etc/ca.pem");
}

static void
test_config_unknown_key_warns (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(CfsConfig) config = cfs_config_new ();
  g_autoptr(GError) error = NULL;

  write_config (fixture, "[server]\nport=9000\ncolour=blue\n");

  g_test_expect_message ("confab-server", G_LOG_LEVEL_WARNING, "*unknown key “colour”*");
  g_assert_true (cfs_config_load_file (config, fixture->path, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (config->port, ==, 9000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/server/config/defaults", test_config_defaults);
  ADD ("/server/config/file-values", test_config_file_values);
  ADD ("/server/config/example-keys-known", test_config_example_keys_known);
  ADD ("/server/config/invalid-values", test_config_invalid_values);
  ADD ("/server/config/smtp-values", test_config_smtp_values);
  ADD ("/server/config/unknown-key-warns", test_config_unknown_key_warns);

#undef ADD

  return g_test_run ();
}
