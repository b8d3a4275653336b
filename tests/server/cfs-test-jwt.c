/* cfs-test-jwt.c: meeting token checks for tests. */
#include "config.h"

#include <jwt.h>
#include <stdlib.h>
#include <string.h>

#include "cfs-test-jwt.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (jwt_t, jwt_free)

static gboolean
fail (GError    **error,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError    **error,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);

  return FALSE;
}

static gboolean
is_integer (JsonObject *claims,
            const char *name)
{
  JsonNode *node = json_object_get_member (claims, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
is_string_equal (JsonObject *claims,
                 const char *name,
                 const char *expected)
{
  JsonNode *node = json_object_get_member (claims, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING &&
         g_strcmp0 (json_node_get_string (node), expected) == 0;
}

static JsonObject *
parse_claims (jwt_t *jwt)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = jwt_get_grants_json (jwt, NULL);

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

JsonObject *
cfs_test_jwt_verify (const char  *token,
                     const char  *key,
                     const char  *app_id,
                     gint64       now,
                     GError     **error)
{
  g_autoptr(jwt_t) jwt = NULL;
  g_autoptr(JsonObject) claims = NULL;

  if (jwt_decode (&jwt, token, (const unsigned char *) key, strlen (key)) != 0)
    return fail (error, "the signature does not verify with the key"), NULL;

  if (jwt_get_alg (jwt) != JWT_ALG_HS256)
    return fail (error, "alg is %s, not HS256", jwt_alg_str (jwt_get_alg (jwt))), NULL;

  if (g_strcmp0 (jwt_get_header (jwt, "typ"), "JWT") != 0)
    return fail (error, "typ is “%s”, not “JWT”", jwt_get_header (jwt, "typ")), NULL;

  claims = parse_claims (jwt);
  if (claims == NULL)
    return fail (error, "the claims are not a JSON object"), NULL;

  if (!is_string_equal (claims, "iss", app_id))
    return fail (error, "iss is not the string “%s”", app_id), NULL;
  if (!is_string_equal (claims, "aud", app_id))
    return fail (error, "aud is not the string “%s”", app_id), NULL;

  if (!is_integer (claims, "iat") || !is_integer (claims, "nbf") || !is_integer (claims, "exp"))
    return fail (error, "iat, nbf and exp must be JSON integers"), NULL;
  if (json_object_get_int_member (claims, "nbf") > now)
    return fail (error, "nbf is after now"), NULL;
  if (json_object_get_int_member (claims, "exp") <= now)
    return fail (error, "exp is not after now: the token expired"), NULL;

  return g_steal_pointer (&claims);
}

char *
cfs_test_jwt_sign (const char *claims_json,
                   const char *key,
                   int         alg)
{
  g_autoptr(jwt_t) jwt = NULL;
  char *encoded;
  char *result;

  g_assert_cmpint (jwt_new (&jwt), ==, 0);
  g_assert_cmpint (jwt_add_grants_json (jwt, claims_json), ==, 0);
  g_assert_cmpint (jwt_set_alg (jwt, alg, (const unsigned char *) key, strlen (key)), ==, 0);

  encoded = jwt_encode_str (jwt);
  g_assert_nonnull (encoded);
  result = g_strdup (encoded);
  free (encoded);

  return result;
}

char *
cfs_test_read_secret (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  if (length > 0 && contents[length - 1] == '\n')
    contents[length - 1] = '\0';

  return contents;
}
