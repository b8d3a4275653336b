/* cfs-jitsi.c: the Jitsi app secret and meeting tokens (JWT).
 *
 * The claims follow what Jitsi's Prosody token plugins check: HS256 with
 * `typ` "JWT", `iss` and `aud` the app id as plain strings, `sub`, `room`,
 * numeric `iat`/`nbf`/`exp`, and `context.user` with string values only.
 * Moderator rights are carried twice, inside `context.user` (read by the
 * token_affiliation module) and at the top level (read by older plugins).
 */
#define G_LOG_DOMAIN "confab-jitsi"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <jwt.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "cfs-jitsi.h"
#include "confab-protocol.h"

#define SECRET_FILE_NAME "jitsi-secret"
#define GENERATED_SECRET_BYTES 32
#define EXAMPLE_SECRET "your-256-bit-secret"

G_DEFINE_QUARK (cfs-jitsi-error-quark, cfs_jitsi_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (jwt_t, jwt_free)

/* One trailing newline is what `echo secret > file` adds. Jitsi's
 * JWT_APP_SECRET, set in an environment file, has none, so the HMAC key
 * must not contain it either.
 */
static void
strip_one_newline (char *secret)
{
  gsize length = strlen (secret);

  if (length > 0 && secret[length - 1] == '\n')
    secret[--length] = '\0';
  if (length > 0 && secret[length - 1] == '\r')
    secret[--length] = '\0';
}

static gboolean
check_secret (const char  *secret,
              const char  *source,
              GError     **error)
{
  if (g_str_equal (secret, EXAMPLE_SECRET))
    {
      g_set_error (error, CFS_JITSI_ERROR, CFS_JITSI_ERROR_WEAK_SECRET,
                   _("The Jitsi secret from %s is the well-known example value: "
                     "generate a random one (for example `openssl rand -hex 32`) and "
                     "set it both here and in Jitsi's JWT_APP_SECRET"),
                   source);
      return FALSE;
    }

  if (strlen (secret) < CFS_JITSI_SECRET_MIN_BYTES)
    {
      g_set_error (error, CFS_JITSI_ERROR, CFS_JITSI_ERROR_WEAK_SECRET,
                   _("The Jitsi secret from %s is %zu bytes long, shorter than %d: "
                     "use a longer random one (for example `openssl rand -hex 32`) and "
                     "set it both here and in Jitsi's JWT_APP_SECRET"),
                   source, strlen (secret), CFS_JITSI_SECRET_MIN_BYTES);
      return FALSE;
    }

  return TRUE;
}

static char *
read_secret_file (const char  *path,
                  GError     **error)
{
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    {
      g_prefix_error (error, _("Failed to read the Jitsi secret file: "));
      return NULL;
    }

  strip_one_newline (contents);

  return contents;
}

static char *
generate_secret_file (const char  *path,
                      GError     **error)
{
  guchar bytes[GENERATED_SECRET_BYTES];
  char hex[GENERATED_SECRET_BYTES * 2 + 1];
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Failed to create the state directory %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);

  if (!g_file_set_contents_full (path, hex, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                 0600, error))
    {
      sodium_memzero (hex, sizeof hex);
      g_prefix_error (error, _("Failed to write the generated Jitsi secret: "));
      return NULL;
    }

  g_message ("Generated a new Jitsi secret in %s; give Jitsi the same value as JWT_APP_SECRET",
             path);

  return g_strdup (hex);
}

/**
 * cfs_jitsi_load_secret:
 *
 * Sets @config->jitsi_secret from, in this order: the secret file
 * setting, the CONFAB_JITSI_SECRET environment variable, or the file
 * jitsi-secret in the state directory, generated (0600) when missing.
 * Rejects a secret shorter than %CFS_JITSI_SECRET_MIN_BYTES or the
 * well-known example value.
 */
gboolean
cfs_jitsi_load_secret (CfsConfig  *config,
                       GError    **error)
{
  g_autofree char *secret = NULL;
  g_autofree char *source = NULL;
  const char *from_env = g_getenv ("CONFAB_JITSI_SECRET");

  if (config->jitsi_secret_file != NULL)
    {
      secret = read_secret_file (config->jitsi_secret_file, error);
      source = g_strdup (config->jitsi_secret_file);
    }
  else if (from_env != NULL && *from_env != '\0')
    {
      secret = g_strdup (from_env);
      strip_one_newline (secret);
      source = g_strdup ("CONFAB_JITSI_SECRET");
    }
  else
    {
      g_autofree char *path = g_build_filename (config->state_dir, SECRET_FILE_NAME, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        secret = read_secret_file (path, error);
      else
        secret = generate_secret_file (path, error);
      source = g_steal_pointer (&path);
    }

  if (secret == NULL || !check_secret (secret, source, error))
    return FALSE;

  g_free (config->jitsi_secret);
  config->jitsi_secret = g_steal_pointer (&secret);
  g_debug ("Jitsi secret loaded from %s", source);

  return TRUE;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_role_claims (JsonBuilder *builder,
                 gboolean     host)
{
  json_builder_set_member_name (builder, "moderator");
  json_builder_add_boolean_value (builder, host);
  add_string (builder, "affiliation", host ? "owner" : "member");
}

static char *
build_claims (const CfsConfig *config,
              const CfsUser   *user,
              const CfsRoom   *room,
              gboolean         host,
              gint64           now)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *user_id = g_strdup_printf ("%" G_GINT64_FORMAT, user->id);
  const char *feature = host ? "true" : "false";

  json_builder_begin_object (builder);
  add_string (builder, "iss", config->jitsi_app_id);
  add_string (builder, "aud", config->jitsi_app_id);
  add_string (builder, "sub", config->jitsi_sub);
  add_string (builder, "room", room->jitsi_room);
  json_builder_set_member_name (builder, "iat");
  json_builder_add_int_value (builder, now);
  json_builder_set_member_name (builder, "nbf");
  json_builder_add_int_value (builder, now - CFS_JITSI_NBF_SKEW_SECONDS);
  json_builder_set_member_name (builder, "exp");
  json_builder_add_int_value (builder, now + config->token_ttl_seconds);
  add_role_claims (builder, host);

  json_builder_set_member_name (builder, "context");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_begin_object (builder);
  add_string (builder, "id", user_id);
  add_string (builder, "name", user->name);
  add_string (builder, "email", user->email);
  add_string (builder, "avatar", user->avatar_url);
  add_role_claims (builder, host);
  json_builder_end_object (builder);

  /* Jitsi enables every feature when the object is absent, so members get
   * an explicit "false".
   */
  json_builder_set_member_name (builder, "features");
  json_builder_begin_object (builder);
  add_string (builder, "livestreaming", feature);
  add_string (builder, "recording", feature);
  add_string (builder, "transcription", feature);
  add_string (builder, "outbound-call", feature);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

/**
 * cfs_jitsi_create_token:
 * @role: the user's role in @room; owners and moderators are hosts
 * @now: the current Unix time
 * @expires_at_out: (out) (optional): the token's `exp`
 *
 * Signs a meeting token for @user in @room with HS256.
 *
 * Returns: (transfer full): the JWT
 */
char *
cfs_jitsi_create_token (const CfsConfig  *config,
                        const CfsUser    *user,
                        const CfsRoom    *room,
                        const char       *role,
                        gint64            now,
                        gint64           *expires_at_out,
                        GError          **error)
{
  g_autoptr(jwt_t) jwt = NULL;
  g_autofree char *claims = NULL;
  g_autofree char *encoded = NULL;
  gboolean host;
  int rc;

  g_return_val_if_fail (config->jitsi_secret != NULL, NULL);
  g_return_val_if_fail (config->jitsi_sub != NULL, NULL);

  host = g_strcmp0 (role, CONFAB_ROLE_OWNER) == 0 || g_strcmp0 (role, CONFAB_ROLE_MODERATOR) == 0;
  claims = build_claims (config, user, room, host, now);

  if ((rc = jwt_new (&jwt)) != 0 ||
      (rc = jwt_add_grants_json (jwt, claims)) != 0 ||
      (rc = jwt_set_alg (jwt, JWT_ALG_HS256, (const unsigned char *) config->jitsi_secret,
                         strlen (config->jitsi_secret))) != 0)
    {
      g_set_error (error, CFS_JITSI_ERROR, CFS_JITSI_ERROR_FAILED,
                   "Failed to build a meeting token for user %" G_GINT64_FORMAT
                   " in room %" G_GINT64_FORMAT ": %s", user->id, room->id, g_strerror (rc));
      return NULL;
    }

  encoded = jwt_encode_str (jwt);
  if (encoded == NULL)
    {
      g_set_error (error, CFS_JITSI_ERROR, CFS_JITSI_ERROR_FAILED,
                   "Failed to sign a meeting token for user %" G_GINT64_FORMAT
                   " in room %" G_GINT64_FORMAT ": %s", user->id, room->id, g_strerror (errno));
      return NULL;
    }

  if (expires_at_out != NULL)
    *expires_at_out = now + config->token_ttl_seconds;

  return g_steal_pointer (&encoded);
}
