/* test-server-url.c: checking server URLs, without a display */
#include "config.h"

#include <gio/gio.h>

#include "confab-server-url.h"

static void
test_accepts_loopback_http (void)
{
  static const struct {
    const char *input;
    const char *expected;
  } cases[] = {
    { "http://127.0.0.1:8470", "http://127.0.0.1:8470" },
    { "  http://127.0.0.1:8470/  ", "http://127.0.0.1:8470" },
    { "http://127.1.2.3", "http://127.1.2.3" },
    { "http://localhost:8470", "http://localhost:8470" },
    { "http://LOCALHOST", "http://LOCALHOST" },
    { "http://[::1]:8470", "http://[::1]:8470" },
    { "https://confab.example.org", "https://confab.example.org" },
    { "https://confab.example.org/confab/", "https://confab.example.org/confab" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = confab_server_url_normalize (cases[i].input, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, cases[i].expected);
    }
}

static void
test_rejects_remote_http (void)
{
  static const char *remote[] = {
    "http://confab.example.org",
    "http://192.168.1.10:8470",
    "http://[2001:db8::1]:8470",
    "http://127.0.0.1.example.org",
  };

  for (guint i = 0; i < G_N_ELEMENTS (remote); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = confab_server_url_normalize (remote[i], &error);

      g_assert_null (url);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, remote[i]));
      g_assert_nonnull (strstr (error->message, "https://"));
    }
}

static void
test_rejects_malformed (void)
{
  static const char *malformed[] = {
    "",
    "   ",
    "confab.example.org",
    "ftp://confab.example.org",
    "https://",
    "https://user:secret@confab.example.org",
    "https://confab.example.org/?next=1",
    "https://confab.example.org/#top",
    "http://exa mple.org",
  };

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = confab_server_url_normalize (malformed[i], &error);

      g_assert_null (url);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_loopback_hosts (void)
{
  g_assert_true (confab_server_url_is_loopback_host ("localhost"));
  g_assert_true (confab_server_url_is_loopback_host ("127.0.0.1"));
  g_assert_true (confab_server_url_is_loopback_host ("127.255.255.254"));
  g_assert_true (confab_server_url_is_loopback_host ("::1"));
  g_assert_true (confab_server_url_is_loopback_host ("[::1]"));
  g_assert_false (confab_server_url_is_loopback_host ("128.0.0.1"));
  g_assert_false (confab_server_url_is_loopback_host ("localhost.example.org"));
  g_assert_false (confab_server_url_is_loopback_host ("::2"));
  g_assert_false (confab_server_url_is_loopback_host (""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/server-url/accepts-loopback-http", test_accepts_loopback_http);
  g_test_add_func ("/client/server-url/rejects-remote-http", test_rejects_remote_http);
  g_test_add_func ("/client/server-url/rejects-malformed", test_rejects_malformed);
  g_test_add_func ("/client/server-url/loopback-hosts", test_loopback_hosts);

  return g_test_run ();
}
