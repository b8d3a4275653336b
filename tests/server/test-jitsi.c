/* test-jitsi.c: meeting token claims and the Jitsi secret. */
#include "config.h"

#include <glib/gstdio.h>
#include <jwt.h>
#include <string.h>
#include <sys/stat.h>

#include "cfs-jitsi.h"
#include "cfs-test-jwt.h"
#include "confab-protocol.h"

#define TEST_SECRET "0123456789abcdef0123456789abcdef-test-secret"
#define TEST_APP_ID "confab-test"
#define TEST_NOW G_GINT64_CONSTANT (1767225600)

typedef struct {
  CfsConfig *config;
  CfsUser    user;
  CfsRoom    room;
  char      *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->config = cfs_config_new ();
  fixture->config->jitsi_domain = g_strdup ("meet.example.org");
  fixture->config->jitsi_sub = g_strdup ("meet.jitsi");
  g_free (fixture->config->jitsi_app_id);
  fixture->config->jitsi_app_id = g_strdup (TEST_APP_ID);
  fixture->config->jitsi_secret = g_strdup (TEST_SECRET);

  fixture->user = (CfsUser) { .id = 42, .name = (char *) "Ada Lovelace",
                              .email = (char *) "ada@example.org" };
  fixture->room = (CfsRoom) { .id = 7, .name = (char *) "Café Été", .topic = (char *) "",
                              .capacity = 10, .jitsi_room = (char *) "cafe-ete-7", .owner_id = 42 };

  fixture->dir = g_dir_make_tmp ("confab-test-jitsi-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->config->state_dir = g_strdup (fixture->dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (fixture->dir);

  g_free (fixture->dir);
  cfs_config_free (fixture->config);
}

/* Signs a token and verifies it as Jitsi would, one second later. */
static JsonObject *
create_and_verify (Fixture    *fixture,
                   const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *jwt = NULL;
  JsonObject *claims;
  gint64 expires_at = 0;

  jwt = cfs_jitsi_create_token (fixture->config, &fixture->user, &fixture->room, role,
                                g_get_real_time () / G_USEC_PER_SEC, &expires_at, &error);
  g_assert_no_error (error);
  g_assert_nonnull (jwt);

  claims = cfs_test_jwt_verify (jwt, TEST_SECRET, TEST_APP_ID,
                                g_get_real_time () / G_USEC_PER_SEC + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (claims, "exp"), ==, expires_at);

  return claims;
}

static void
assert_string_member (JsonObject *object,
                      const char *name,
                      const char *expected)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

static void
assert_role_claims (JsonObject *object,
                    gboolean    host)
{
  JsonNode *moderator = json_object_get_member (object, "moderator");

  g_assert_nonnull (moderator);
  g_assert_cmpint (json_node_get_value_type (moderator), ==, G_TYPE_BOOLEAN);
  g_assert_cmpint (json_node_get_boolean (moderator), ==, host);
  assert_string_member (object, "affiliation", host ? "owner" : "member");
}

static void
assert_member_names (JsonObject         *object,
                     const char * const *expected)
{
  g_autoptr(GList) members = json_object_get_members (object);

  g_assert_cmpuint (g_list_length (members), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_true (json_object_has_member (object, expected[i]));
}

static void
test_token_claim_names_and_types (Fixture       *fixture,
                                  gconstpointer  data)
{
  const char * const top_names[] = { "iss", "aud", "sub", "room", "iat", "nbf", "exp",
                                     "moderator", "affiliation", "context", NULL };
  const char * const user_names[] = { "id", "name", "email", "avatar", "moderator",
                                      "affiliation", NULL };
  g_autoptr(JsonObject) claims = create_and_verify (fixture, CONFAB_ROLE_OWNER);
  JsonObject *context = json_object_get_object_member (claims, "context");
  JsonObject *user;

  assert_member_names (claims, top_names);
  assert_string_member (claims, "iss", TEST_APP_ID);
  assert_string_member (claims, "aud", TEST_APP_ID);
  assert_string_member (claims, "sub", "meet.jitsi");
  assert_string_member (claims, "room", "cafe-ete-7");

  g_assert_nonnull (context);
  user = json_object_get_object_member (context, "user");
  g_assert_nonnull (user);
  assert_member_names (user, user_names);
  assert_string_member (user, "id", "42");
  assert_string_member (user, "name", "Ada Lovelace");
  assert_string_member (user, "email", "ada@example.org");
  assert_string_member (user, "avatar", "");
  g_assert_nonnull (json_object_get_object_member (context, "features"));
}

static void
test_token_header_is_hs256_jwt (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree guchar *header = NULL;
  gsize header_length = 0;
  g_autofree char *header_base64 = NULL;
  gsize padding;

  token = cfs_jitsi_create_token (fixture->config, &fixture->user, &fixture->room,
                                  CONFAB_ROLE_MEMBER, TEST_NOW, NULL, &error);
  g_assert_no_error (error);

  parts = g_strsplit (token, ".", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);

  /* base64url without padding → standard base64. */
  padding = (4 - strlen (parts[0]) % 4) % 4;
  header_base64 = g_strdup_printf ("%s%.*s", parts[0], (int) padding, "===");
  g_strdelimit (header_base64, "-", '+');
  g_strdelimit (header_base64, "_", '/');
  header = g_base64_decode (header_base64, &header_length);

  g_assert_nonnull (strstr ((const char *) header, "\"alg\":\"HS256\""));
  g_assert_nonnull (strstr ((const char *) header, "\"typ\":\"JWT\""));
}

static void
test_token_role_mapping (Fixture       *fixture,
                         gconstpointer  data)
{
  const struct {
    const char *role;
    gboolean    host;
  } cases[] = {
    { CONFAB_ROLE_OWNER, TRUE },
    { CONFAB_ROLE_MODERATOR, TRUE },
    { CONFAB_ROLE_MEMBER, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) claims = create_and_verify (fixture, cases[i].role);
      JsonObject *context = json_object_get_object_member (claims, "context");
      JsonObject *features = json_object_get_object_member (context, "features");
      const char *feature = cases[i].host ? "true" : "false";

      g_test_message ("role %s", cases[i].role);
      assert_role_claims (claims, cases[i].host);
      assert_role_claims (json_object_get_object_member (context, "user"), cases[i].host);
      assert_string_member (features, "livestreaming", feature);
      assert_string_member (features, "recording", feature);
      assert_string_member (features, "transcription", feature);
      assert_string_member (features, "outbound-call", feature);
    }
}

static void
test_token_lifetime (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) claims = NULL;
  gint64 expires_at = 0;

  fixture->config->token_ttl_seconds = 600;
  token = cfs_jitsi_create_token (fixture->config, &fixture->user, &fixture->room,
                                  CONFAB_ROLE_MEMBER, TEST_NOW, &expires_at, &error);
  g_assert_no_error (error);

  claims = cfs_test_jwt_verify (token, TEST_SECRET, TEST_APP_ID, TEST_NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (claims, "iat"), ==, TEST_NOW);
  g_assert_cmpint (json_object_get_int_member (claims, "nbf"), ==, TEST_NOW - 30);
  g_assert_cmpint (json_object_get_int_member (claims, "exp"), ==, TEST_NOW + 600);
  g_assert_cmpint (expires_at, ==, TEST_NOW + 600);

  /* A token checked after its exp fails. */
  g_clear_pointer (&claims, json_object_unref);
  claims = cfs_test_jwt_verify (token, TEST_SECRET, TEST_APP_ID, TEST_NOW + 600, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (claims);
}

static void
test_token_avatar_is_a_string (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(JsonObject) claims = NULL;
  JsonObject *user;

  fixture->user.avatar_url = (char *) "https://example.org/ada.png";
  claims = create_and_verify (fixture, CONFAB_ROLE_MEMBER);
  user = json_object_get_object_member (json_object_get_object_member (claims, "context"), "user");

  assert_string_member (user, "avatar", "https://example.org/ada.png");
}

static void
test_token_other_key_or_alg_fails (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *claims_json = NULL;
  g_autofree char *hs384 = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(JsonObject) rejected = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  token = cfs_jitsi_create_token (fixture->config, &fixture->user, &fixture->room,
                                  CONFAB_ROLE_MEMBER, now, NULL, &error);
  g_assert_no_error (error);

  rejected = cfs_test_jwt_verify (token, "another key that is 32 bytes long or more", TEST_APP_ID,
                                  now, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (rejected);
  g_clear_error (&error);

  rejected = cfs_test_jwt_verify (token, TEST_SECRET, "another-app", now, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (rejected);
  g_clear_error (&error);

  /* The same claims, signed with HS384 and the same key, must fail even
   * though libjwt's jwt_decode() accepts them.
   */
  claims = cfs_test_jwt_verify (token, TEST_SECRET, TEST_APP_ID, now, &error);
  g_assert_no_error (error);
  json_node_set_object (node, claims);
  claims_json = json_to_string (node, FALSE);
  hs384 = cfs_test_jwt_sign (claims_json, TEST_SECRET, JWT_ALG_HS384);

  rejected = cfs_test_jwt_verify (hs384, TEST_SECRET, TEST_APP_ID, now, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "HS384"));
  g_assert_null (rejected);
}

static void
test_secret_generated_once (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "jitsi-secret", NULL);
  g_autofree char *first = NULL;
  GStatBuf st;

  g_unsetenv ("CONFAB_JITSI_SECRET");
  g_clear_pointer (&fixture->config->jitsi_secret, g_free);

  g_assert_true (cfs_jitsi_load_secret (fixture->config, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (fixture->config->jitsi_secret), >=, 64);
  for (const char *p = fixture->config->jitsi_secret; *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p));

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* A second start reads the same secret instead of replacing it. */
  first = g_strdup (fixture->config->jitsi_secret);
  g_assert_true (cfs_jitsi_load_secret (fixture->config, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->config->jitsi_secret, ==, first);
}

static void
test_secret_file_strips_one_newline (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "secret.txt", NULL);
  const char *secret = "a secret with spaces, 32 bytes or more";
  g_autofree char *contents = g_strconcat (secret, "\n", NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  fixture->config->jitsi_secret_file = g_strdup (path);

  g_assert_true (cfs_jitsi_load_secret (fixture->config, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->config->jitsi_secret, ==, secret);
}

static void
test_secret_from_environment (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *secret = "environment-secret-0123456789abcdef";

  g_setenv ("CONFAB_JITSI_SECRET", secret, TRUE);
  g_assert_true (cfs_jitsi_load_secret (fixture->config, &error));
  g_unsetenv ("CONFAB_JITSI_SECRET");

  g_assert_no_error (error);
  g_assert_cmpstr (fixture->config->jitsi_secret, ==, secret);
}

static void
test_secret_weak_rejected (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *weak[] = { "your-256-bit-secret", "tiny-key-9", "31 bytes long secret 0123456789" };

  for (gsize i = 0; i < G_N_ELEMENTS (weak); i++)
    {
      g_autoptr(GError) error = NULL;

      g_setenv ("CONFAB_JITSI_SECRET", weak[i], TRUE);
      g_assert_false (cfs_jitsi_load_secret (fixture->config, &error));
      g_assert_error (error, CFS_JITSI_ERROR, CFS_JITSI_ERROR_WEAK_SECRET);
      g_assert_nonnull (strstr (error->message, "CONFAB_JITSI_SECRET"));
      g_assert_null (strstr (error->message, weak[i]));
    }

  g_unsetenv ("CONFAB_JITSI_SECRET");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/server/jitsi/token/claim-names-and-types", test_token_claim_names_and_types);
  ADD ("/server/jitsi/token/header-hs256-jwt", test_token_header_is_hs256_jwt);
  ADD ("/server/jitsi/token/role-mapping", test_token_role_mapping);
  ADD ("/server/jitsi/token/lifetime", test_token_lifetime);
  ADD ("/server/jitsi/token/avatar-string", test_token_avatar_is_a_string);
  ADD ("/server/jitsi/token/other-key-or-alg-fails", test_token_other_key_or_alg_fails);
  ADD ("/server/jitsi/secret/generated-once", test_secret_generated_once);
  ADD ("/server/jitsi/secret/file-strips-one-newline", test_secret_file_strips_one_newline);
  ADD ("/server/jitsi/secret/from-environment", test_secret_from_environment);
  ADD ("/server/jitsi/secret/weak-rejected", test_secret_weak_rejected);

#undef ADD

  return g_test_run ();
}
