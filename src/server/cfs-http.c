/* cfs-http.c: JSON responses and errors, request bodies and fields,
 * bearer authentication and the client address.
 *
 * Every REST error leaves through cfs_http_send_error(), so that its body
 * is always {"error": {"code", "message"}}. The message names the wrong
 * value and what to send instead.
 */
#define G_LOG_DOMAIN "confab-http"

#include "config.h"

#include <string.h>

#include "cfs-http.h"
#include "confab-protocol.h"

G_DEFINE_QUARK (cfs-http-error-quark, cfs_http_error)

static void
set_json_body (SoupServerMessage *msg,
               guint              status,
               const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    json, strlen (json));
}

static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return TRUE;
    }

  return FALSE;
}

static gboolean
parse_inet_address (const char  *text,
                    GInetAddress **address_out)
{
  g_autoptr(GInetAddress) address = NULL;

  if (text == NULL)
    return FALSE;

  /* A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d. */
  if (g_str_has_prefix (text, "::ffff:") && strchr (text + 7, '.') != NULL)
    text += 7;

  address = g_inet_address_new_from_string (text);
  if (address == NULL)
    return FALSE;

  *address_out = g_steal_pointer (&address);
  return TRUE;
}

static gboolean
is_trusted_proxy (const char         *text,
                  const char * const *trusted_proxies)
{
  g_autoptr(GInetAddress) address = NULL;

  if (trusted_proxies == NULL || !parse_inet_address (text, &address))
    return FALSE;

  for (guint i = 0; trusted_proxies[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) trusted = NULL;

      if (parse_inet_address (trusted_proxies[i], &trusted) &&
          g_inet_address_equal (address, trusted))
        return TRUE;
    }

  return FALSE;
}

static char *
format_address (const char *text)
{
  g_autoptr(GInetAddress) address = NULL;

  if (!parse_inet_address (text, &address))
    return g_strdup (text != NULL ? text : "unknown");

  return g_inet_address_to_string (address);
}

void
cfs_http_send_json (SoupServerMessage *msg,
                    guint              status,
                    JsonNode          *node)
{
  g_autofree char *json = json_to_string (node, FALSE);

  set_json_body (msg, status, json);
}

void
cfs_http_send_builder (SoupServerMessage *msg,
                       guint              status,
                       JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  cfs_http_send_json (msg, status, root);
}

void
cfs_http_send_no_content (SoupServerMessage *msg)
{
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* Keeps responses that carry a session token or a JWT out of HTTP caches. */
void
cfs_http_forbid_caching (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
}

void
cfs_http_send_error (SoupServerMessage *msg,
                     guint              status,
                     const char        *code,
                     const char        *format,
                     ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* The path carries the room and user ids; the message may carry an
   * email address, so it stays out of the log.
   */
  g_debug ("%s %s: %u %s", soup_server_message_get_method (msg),
           g_uri_get_path (soup_server_message_get_uri (msg)), status, code);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  cfs_http_send_builder (msg, status, builder);
}

/**
 * cfs_http_send_gerror:
 * @error: a %CFS_HTTP_ERROR
 *
 * Responds to a request whose body or fields failed to parse.
 */
void
cfs_http_send_gerror (SoupServerMessage *msg,
                      const GError      *error)
{
  g_return_if_fail (error->domain == CFS_HTTP_ERROR);

  switch ((CfsHttpError) error->code)
    {
    case CFS_HTTP_ERROR_INVALID_JSON:
      cfs_http_send_error (msg, SOUP_STATUS_BAD_REQUEST, CONFAB_ERR_INVALID_JSON,
                           "%s", error->message);
      break;

    case CFS_HTTP_ERROR_INVALID_FIELD:
      cfs_http_send_error (msg, SOUP_STATUS_BAD_REQUEST, CONFAB_ERR_INVALID_FIELD,
                           "%s", error->message);
      break;

    case CFS_HTTP_ERROR_BODY_TOO_LARGE:
      cfs_http_send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                           CONFAB_ERR_BODY_TOO_LARGE, "%s", error->message);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Logs @error with the request path and responds with 500, keeping the
 * details out of the response.
 */
void
cfs_http_send_internal_error (SoupServerMessage *msg,
                              const char        *what,
                              const GError      *error)
{
  g_warning ("%s %s: failed to %s: %s", soup_server_message_get_method (msg),
             g_uri_get_path (soup_server_message_get_uri (msg)), what,
             error != NULL ? error->message : "unknown error");

  cfs_http_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, CONFAB_ERR_INTERNAL,
                       "The server failed to %s; its log has the details.", what);
}

void
cfs_http_send_unauthorized (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Bearer");
  cfs_http_send_error (msg, SOUP_STATUS_UNAUTHORIZED, CONFAB_ERR_UNAUTHORIZED,
                       "Sign in first: send “Authorization: Bearer <session token>” "
                       "with a token from /api/v1/auth/login.");
}

/**
 * cfs_http_read_json_object:
 * @allow_empty: whether an empty body stands for an empty object
 *
 * Parses the request body, which must be a JSON object of at most
 * %CONFAB_REST_MAX_BODY bytes.
 *
 * Returns: (transfer full): the object, or %NULL with a %CFS_HTTP_ERROR
 */
JsonObject *
cfs_http_read_json_object (SoupServerMessage  *msg,
                           gboolean            allow_empty,
                           GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  JsonNode *root;

  if (length > CONFAB_REST_MAX_BODY)
    {
      g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_BODY_TOO_LARGE,
                   "The request body is %zu bytes, over the limit of %d bytes.",
                   length, CONFAB_REST_MAX_BODY);
      return NULL;
    }

  if (length == 0 && allow_empty)
    return json_object_new ();

  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_INVALID_JSON,
                   "The request body is not valid JSON: %s", parse_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_INVALID_JSON,
                   "The request body must be a JSON object.");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/**
 * cfs_http_get_string_field:
 * @required: whether a missing member is an error
 * @min_chars: the fewest characters, after which an empty string fails
 * @max_chars: the most characters (not bytes)
 * @value_out: (out) (transfer none): the value, or %NULL when absent
 *
 * Reads a string member without control characters. A `null` member
 * counts as absent.
 */
gboolean
cfs_http_get_string_field (JsonObject  *object,
                           const char  *name,
                           gboolean     required,
                           gsize        min_chars,
                           gsize        max_chars,
                           const char **value_out,
                           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;
  glong length;

  *value_out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;

      g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_INVALID_FIELD,
                   "Field “%s” is missing.", name);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_INVALID_FIELD,
                   "Field “%s” must be a string.", name);
      return FALSE;
    }

  value = json_node_get_string (node);
  length = g_utf8_strlen (value, -1);
  if ((gsize) length < min_chars || (gsize) length > max_chars)
    {
      g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_INVALID_FIELD,
                   "Field “%s” must be %zu to %zu characters long, not %ld.",
                   name, min_chars, max_chars, length);
      return FALSE;
    }

  if (has_control_characters (value))
    {
      g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_INVALID_FIELD,
                   "Field “%s” must not contain control characters such as newlines.", name);
      return FALSE;
    }

  *value_out = value;
  return TRUE;
}

/**
 * cfs_http_get_int_field:
 * @present_out: (out) (optional): whether the member exists and is not null
 *
 * Reads an optional integer member and checks it is from @min to @max.
 */
gboolean
cfs_http_get_int_field (JsonObject  *object,
                        const char  *name,
                        gint64       min,
                        gint64       max,
                        gboolean    *present_out,
                        gint64      *value_out,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (present_out != NULL)
    *present_out = FALSE;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_INVALID_FIELD,
                   "Field “%s” must be an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ".",
                   name, min, max);
      return FALSE;
    }

  if (present_out != NULL)
    *present_out = TRUE;
  *value_out = json_node_get_int (node);

  return TRUE;
}

gboolean
cfs_http_get_bool_field (JsonObject  *object,
                         const char  *name,
                         gboolean    *present_out,
                         gboolean    *value_out,
                         GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *present_out = FALSE;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_INVALID_FIELD,
                   "Field “%s” must be true or false.", name);
      return FALSE;
    }

  *present_out = TRUE;
  *value_out = json_node_get_boolean (node);

  return TRUE;
}

/* Accepts absolute http and https URLs with a host, the only ones a
 * client can load as an avatar.
 */
gboolean
cfs_http_check_url (const char  *name,
                    const char  *url,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;

  if (strlen (url) <= CONFAB_URL_MAX)
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_INVALID_FIELD,
                   "Field “%s” must be an http or https URL of at most %d bytes.",
                   name, CONFAB_URL_MAX);
      return FALSE;
    }

  return TRUE;
}

/**
 * cfs_http_get_bearer_token:
 *
 * Returns: (nullable): the token of an `Authorization: Bearer` header
 */
const char *
cfs_http_get_bearer_token (SoupServerMessage *msg)
{
  const char *header;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return NULL;

  header += 7;
  while (*header == ' ')
    header++;

  return *header != '\0' ? header : NULL;
}

/**
 * cfs_http_authenticate:
 * @token_hash_out: (out) (optional): the session's token hash
 *
 * Looks up the session of the request's bearer token, and responds with
 * 401 when there is none.
 *
 * Returns: (transfer full) (nullable): the signed-in user
 */
CfsUser *
cfs_http_authenticate (SoupServerMessage  *msg,
                       CfsStore           *store,
                       char              **token_hash_out)
{
  const char *token = cfs_http_get_bearer_token (msg);
  g_autoptr(GError) error = NULL;
  CfsUser *user;

  if (token == NULL)
    {
      cfs_http_send_unauthorized (msg);
      return NULL;
    }

  user = cfs_store_lookup_session (store, token, token_hash_out, &error);
  if (error != NULL)
    {
      cfs_http_send_internal_error (msg, "look up the session", error);
      return NULL;
    }

  if (user == NULL)
    cfs_http_send_unauthorized (msg);

  return user;
}

/**
 * cfs_http_get_client_address:
 * @trusted_proxies: (nullable): addresses of reverse proxies
 *
 * Finds the address of the client. X-Forwarded-For is believed only when
 * the connection comes from a trusted proxy. Each proxy appends the address
 * it received the request from, so the client is the right-most address in
 * the header that is not itself a trusted proxy.
 *
 * Returns: (transfer full): the address in its canonical text form
 */
char *
cfs_http_get_client_address (SoupServerMessage  *msg,
                             const char * const *trusted_proxies)
{
  const char *peer = soup_server_message_get_remote_host (msg);
  const char *forwarded;
  g_auto(GStrv) hops = NULL;

  if (!is_trusted_proxy (peer, trusted_proxies))
    return format_address (peer);

  forwarded = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                             "X-Forwarded-For");
  if (forwarded == NULL)
    return format_address (peer);

  hops = g_strsplit (forwarded, ",", -1);
  for (int i = g_strv_length (hops) - 1; i >= 0; i--)
    {
      g_autoptr(GInetAddress) address = NULL;
      char *hop = g_strstrip (hops[i]);

      if (!parse_inet_address (hop, &address))
        {
          g_debug ("Ignoring X-Forwarded-For with an invalid address from proxy %s", peer);
          return format_address (peer);
        }

      if (i == 0 || !is_trusted_proxy (hop, trusted_proxies))
        return format_address (hop);
    }

  return format_address (peer);
}

gboolean
cfs_http_is_loopback (SoupServerMessage *msg)
{
  g_autoptr(GInetAddress) address = NULL;

  return parse_inet_address (soup_server_message_get_remote_host (msg), &address) &&
         g_inet_address_get_is_loopback (address);
}
