/* test-deep-link-parse.c: parsing confab://join/ links, without a display */
#include "config.h"

#include <gio/gio.h>

#include "confab-deep-link.h"

#define CODE "3f2a9c1b5d7e4f60a1b2c3d4e5f60718"

static void
test_parses_valid_links (void)
{
  static const struct {
    const char *uri;
    const char *authority;
    const char *server_url;
    gint64      room_id;
    const char *invite_code;
  } cases[] = {
    { "confab://join/confab.example.org/7", "confab.example.org", "https://confab.example.org", 7, NULL },
    { "confab://join/Confab.Example.org:8443/12", "confab.example.org:8443", "https://confab.example.org:8443", 12, NULL },
    { "confab://join/127.0.0.1:8470/1", "127.0.0.1:8470", "http://127.0.0.1:8470", 1, NULL },
    { "confab://join/localhost/3", "localhost", "http://localhost", 3, NULL },
    { "confab://join/[::1]:8470/5", "[::1]:8470", "http://[::1]:8470", 5, NULL },
    { "confab://join/[2001:db8::1]:8470/5", "[2001:db8::1]:8470", "https://[2001:db8::1]:8470", 5, NULL },
    { "confab://join/confab.example.org/9223372036854775807", "confab.example.org", "https://confab.example.org", G_MAXINT64, NULL },
    { "confab://join/confab.example.org/7?invite=" CODE, "confab.example.org", "https://confab.example.org", 7, CODE },
    { "confab://join/confab.example.org/7?invite=3F2A9C1B5D7E4F60A1B2C3D4E5F60718", "confab.example.org", "https://confab.example.org", 7, CODE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ConfabDeepLink) link = confab_deep_link_parse (cases[i].uri, &error);

      g_test_message ("link %s", cases[i].uri);
      g_assert_no_error (error);
      g_assert_nonnull (link);
      g_assert_cmpstr (link->authority, ==, cases[i].authority);
      g_assert_cmpstr (link->server_url, ==, cases[i].server_url);
      g_assert_cmpint (link->room_id, ==, cases[i].room_id);
      g_assert_cmpstr (link->invite_code, ==, cases[i].invite_code);
    }
}

static void
test_rejects_malformed_links (void)
{
  static const char *malformed[] = {
    "",
    "confab:",
    "https://join/confab.example.org/7",
    "confab://open/confab.example.org/7",
    "confab://join:80/confab.example.org/7",
    "confab://user@join/confab.example.org/7",
    "confab://join/",
    "confab://join/confab.example.org",
    "confab://join/confab.example.org/",
    "confab://join//7",
    "confab://join/confab.example.org/7/extra",
    "confab://join/confab.example.org/0",
    "confab://join/confab.example.org/-1",
    "confab://join/confab.example.org/+7",
    "confab://join/confab.example.org/7a",
    "confab://join/confab.example.org/9223372036854775808",
    "confab://join/confab.example.org:0/7",
    "confab://join/confab.example.org:65536/7",
    "confab://join/confab.example.org:port/7",
    "confab://join/conf%20ab.example.org/7",
    "confab://join/confab_example.org/7",
    "confab://join/[::1/7",
    "confab://join/confab.example.org/7#top",
    "confab://join/confab.example.org/7?invite=",
    "confab://join/confab.example.org/7?invite=3f2a9c1b5d7e4f60a1b2c3d4e5f6071",
    "confab://join/confab.example.org/7?invite=3f2a9c1b5d7e4f60a1b2c3d4e5f607189",
    "confab://join/confab.example.org/7?invite=3f2a9c1b5d7e4f60a1b2c3d4e5f6071g",
    "confab://join/confab.example.org/7?code=" CODE,
    "confab://join/confab.example.org/7?invite=" CODE "&x=1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ConfabDeepLink) link = confab_deep_link_parse (malformed[i], &error);

      g_test_message ("link %s", malformed[i]);
      g_assert_null (link);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "confab://join/confab.example.org/7."));
    }
}

static void
test_error_names_link_without_code (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabDeepLink) link = NULL;

  link = confab_deep_link_parse ("confab://join/confab.example.org/x?invite=" CODE, &error);

  g_assert_null (link);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "confab://join/confab.example.org/x"));
  g_assert_null (strstr (error->message, CODE));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/deep-link/parses-valid-links", test_parses_valid_links);
  g_test_add_func ("/client/deep-link/rejects-malformed-links", test_rejects_malformed_links);
  g_test_add_func ("/client/deep-link/error-names-link-without-code", test_error_names_link_without_code);

  return g_test_run ();
}
