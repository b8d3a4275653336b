/* test-slug.c: Jitsi room names derived from room names. */
#include "config.h"

#include <string.h>

#include "confab-slug.h"

typedef struct {
  const char *name;
  gint64      id;
  const char *expected;
} SlugCase;

static const SlugCase slug_cases[] = {
  { "Café Été", 7, "cafe-ete-7" },
  { "Тест", 8, "room-8" },
  { "Q&A: 10:30", 9, "q-a-10-30-9" },
  { "50% off", 10, "50-off-10" },
  { "a/b", 11, "a-b-11" },
  { "  leading", 12, "leading-12" },
  { "two  spaces", 13, "two-spaces-13" },
  { "trailing!  ", 14, "trailing-14" },
  { "UPPER Case", 15, "upper-case-15" },
  { "Cafe\xcc\x81", 16, "cafe-16" },      /* decomposed: e + U+0301 */
  { "Caf\xc3\xa9", 16, "cafe-16" },       /* precomposed U+00E9 */
  { "!!! ???", 17, "room-17" },
  { "", 18, "room-18" },
  { "日本語の部屋", 19, "room-19" },
  { "emoji 🎉 party", 20, "emoji-party-20" },
};

static gboolean
is_lowercase_ascii_slug (const char *slug)
{
  for (const char *p = slug; *p != '\0'; p++)
    {
      if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
        return FALSE;
    }

  return *slug != '\0' && slug[0] != '-';
}

static void
test_slug_cases (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (slug_cases); i++)
    {
      g_autofree char *slug = confab_slug_jitsi_room (slug_cases[i].name, slug_cases[i].id);

      g_test_message ("%s → %s", slug_cases[i].name, slug);
      g_assert_cmpstr (slug, ==, slug_cases[i].expected);
    }
}

static void
test_slug_decomposed_equals_precomposed (void)
{
  g_autofree char *decomposed = confab_slug_jitsi_room ("Cafe\xcc\x81 E\xcc\x81te\xcc\x81", 3);
  g_autofree char *precomposed = confab_slug_jitsi_room ("Caf\xc3\xa9 \xc3\x89t\xc3\xa9", 3);

  g_assert_cmpstr (decomposed, ==, precomposed);
  g_assert_cmpstr (decomposed, ==, "cafe-ete-3");
}

static void
test_slug_survives_url_encoding (void)
{
  const char *names[] = {
    "Café Été", "Тест", "Q&A: 10:30", "50% off", "a/b", "  leading", "two  spaces",
    "%20encoded%2F", "?query=1#fragment", "日本語", "Ω≈ç√∫",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *slug = confab_slug_jitsi_room (names[i], 1000 + i);
      g_autofree char *escaped = g_uri_escape_string (slug, NULL, FALSE);
      g_autofree char *lowered = g_ascii_strdown (slug, -1);

      g_assert_true (is_lowercase_ascii_slug (slug));
      g_assert_cmpstr (escaped, ==, slug);
      g_assert_cmpstr (lowered, ==, slug);
    }
}

static void
test_slug_equal_names_differ_by_id (void)
{
  g_autofree char *first = confab_slug_jitsi_room ("Weekly sync", 1);
  g_autofree char *second = confab_slug_jitsi_room ("Weekly sync", 2);

  g_assert_cmpstr (first, !=, second);
  g_assert_cmpstr (first, ==, "weekly-sync-1");
  g_assert_cmpstr (second, ==, "weekly-sync-2");
}

static void
test_slug_long_name_is_truncated (void)
{
  g_autofree char *slug = confab_slug_jitsi_room ("a very long room name that goes on and on and on forever", 42);

  g_assert_cmpuint (strlen (slug), <=, 40 + strlen ("-42"));
  g_assert_true (g_str_has_suffix (slug, "-42"));
  g_assert_true (is_lowercase_ascii_slug (slug));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/slug/cases", test_slug_cases);
  g_test_add_func ("/server/slug/decomposed-equals-precomposed", test_slug_decomposed_equals_precomposed);
  g_test_add_func ("/server/slug/survives-url-encoding", test_slug_survives_url_encoding);
  g_test_add_func ("/server/slug/equal-names-differ-by-id", test_slug_equal_names_differ_by_id);
  g_test_add_func ("/server/slug/long-name-truncated", test_slug_long_name_is_truncated);

  return g_test_run ();
}
