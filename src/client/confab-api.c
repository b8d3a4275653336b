/* confab-api.c: the REST client of confab-server
 *
 * Every request carries the session token in an Authorization header, never
 * in the URL. Neither the session token nor a meeting JWT is ever logged.
 */
#define G_LOG_DOMAIN "confab-api"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-protocol.h"

#include "confab-api.h"
#include "confab-json.h"

struct _ConfabApi
{
  GObject      parent_instance;

  char        *server_url;
  char        *token;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (ConfabApi, confab_api, G_TYPE_OBJECT)

G_DEFINE_QUARK (confab-api-error-quark, confab_api_error)

enum {
  PROP_0,
  PROP_SERVER_URL,
  N_PROPS
};

enum {
  UNAUTHORIZED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Seconds of network silence after which a request fails. The WebSocket on
 * the same session is never silent that long, because the server pings it
 * every 10 seconds.
 */
#define REQUEST_TIMEOUT_SECONDS 30

static const struct {
  const char     *code;
  ConfabApiError  error;
} error_codes[] = {
  { CONFAB_ERR_UNAUTHORIZED, CONFAB_API_ERROR_UNAUTHORIZED },
  { CONFAB_ERR_INVALID_CREDENTIALS, CONFAB_API_ERROR_UNAUTHORIZED },
  { CONFAB_ERR_FORBIDDEN, CONFAB_API_ERROR_FORBIDDEN },
  { CONFAB_ERR_REGISTRATION_CLOSED, CONFAB_API_ERROR_FORBIDDEN },
  { CONFAB_ERR_BANNED, CONFAB_API_ERROR_BANNED },
  { CONFAB_ERR_NOT_FOUND, CONFAB_API_ERROR_NOT_FOUND },
  { CONFAB_ERR_ROOM_FULL, CONFAB_API_ERROR_ROOM_FULL },
  { CONFAB_ERR_NOT_SEATED, CONFAB_API_ERROR_NOT_SEATED },
  { CONFAB_ERR_JITSI_NOT_CONFIGURED, CONFAB_API_ERROR_JITSI_NOT_CONFIGURED },
  { CONFAB_ERR_RATE_LIMITED, CONFAB_API_ERROR_RATE_LIMITED },
  { CONFAB_ERR_INVALID_JSON, CONFAB_API_ERROR_INVALID },
  { CONFAB_ERR_INVALID_FIELD, CONFAB_API_ERROR_INVALID },
  { CONFAB_ERR_BODY_TOO_LARGE, CONFAB_API_ERROR_INVALID },
  { CONFAB_ERR_EMAIL_TAKEN, CONFAB_API_ERROR_CONFLICT },
  { CONFAB_ERR_CONFLICT, CONFAB_API_ERROR_CONFLICT },
};

static ConfabApiError
error_from_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return CONFAB_API_ERROR_UNAUTHORIZED;
    case SOUP_STATUS_FORBIDDEN:
      return CONFAB_API_ERROR_FORBIDDEN;
    case SOUP_STATUS_NOT_FOUND:
      return CONFAB_API_ERROR_NOT_FOUND;
    case SOUP_STATUS_CONFLICT:
      return CONFAB_API_ERROR_CONFLICT;
    case 429:
      return CONFAB_API_ERROR_RATE_LIMITED;
    case SOUP_STATUS_BAD_REQUEST:
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      return CONFAB_API_ERROR_INVALID;
    default:
      return CONFAB_API_ERROR_SERVER;
    }
}

static ConfabApiError
error_from_code (const char *code,
                 guint       status)
{
  if (code != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (error_codes); i++)
        {
          if (g_str_equal (code, error_codes[i].code))
            return error_codes[i].error;
        }
    }

  return error_from_status (status);
}

static JsonNode *
parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL))
    return NULL;

  return json_parser_steal_root (parser);
}

/* Builds the GError for a non-2xx reply from the server's error body,
 * falling back to the HTTP status when the body has none.
 */
static GError *
build_http_error (SoupMessage *message,
                  JsonNode    *root)
{
  guint status = soup_message_get_status (message);
  const char *code = NULL;
  const char *text = NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *error_object = confab_json_get_object (json_node_get_object (root), "error");

      code = confab_json_get_string (error_object, "code");
      text = confab_json_get_string (error_object, "message");
    }

  if (text != NULL && text[0] != '\0')
    return g_error_new_literal (CONFAB_API_ERROR, error_from_code (code, status), text);

  return g_error_new (CONFAB_API_ERROR, error_from_code (code, status),
                      _("The server answered with HTTP status %u (%s)."),
                      status, soup_message_get_reason_phrase (message));
}

/* The request path for debug messages: an invite code in the path of
 * POST /api/v1/invites/{code}/accept is a secret, so it is left out.
 */
static char *
dup_loggable_path (SoupMessage *message)
{
  const char *path = g_uri_get_path (soup_message_get_uri (message));

  if (g_str_has_prefix (path, "/api/v1/invites/"))
    return g_strdup ("/api/v1/invites/…");

  return g_strdup (path);
}

static void
send_and_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (source);
  g_autoptr(GTask) task = user_data;
  ConfabApi *self = g_task_get_source_object (task);
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint status;

  bytes = soup_session_send_and_read_finish (session, result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      g_autofree char *path = dup_loggable_path (message);

      g_debug ("%s %s failed: %s", soup_message_get_method (message), path, error->message);
      g_task_return_new_error (task, CONFAB_API_ERROR, CONFAB_API_ERROR_NETWORK,
                               _("Could not reach the server at %s: %s"),
                               self->server_url, error->message);
      return;
    }

  status = soup_message_get_status (message);
  root = parse_json (bytes);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      GError *http_error = build_http_error (message, root);

      g_autofree char *path = dup_loggable_path (message);

      g_debug ("%s %s: HTTP %u", soup_message_get_method (message), path, status);

      /* A 401 on a request that carried a session means the session ended;
       * a wrong password at login is a 401 without one.
       */
      if (status == SOUP_STATUS_UNAUTHORIZED
          && soup_message_headers_get_one (soup_message_get_request_headers (message),
                                           "Authorization") != NULL)
        g_signal_emit (self, signals[UNAUTHORIZED], 0, http_error->message);

      g_task_return_error (task, http_error);
      return;
    }

  if (status == SOUP_STATUS_NO_CONTENT || g_bytes_get_size (bytes) == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  if (root == NULL)
    {
      g_task_return_new_error (task, CONFAB_API_ERROR, CONFAB_API_ERROR_SERVER,
                               _("The server at %s sent a reply that is not JSON. Check that the address points to a Confab server."),
                               self->server_url);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&root), (GDestroyNotify) json_node_unref);
}

/* Completes a confab_api_request_bytes_async() task: a 2xx reply returns
 * its body as it is, and any other reply becomes the same CONFAB_API_ERROR
 * that JSON requests get.
 */
static void
send_and_read_bytes_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ConfabApi *self = g_task_get_source_object (task);
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, CONFAB_API_ERROR, CONFAB_API_ERROR_NETWORK,
                                 _("Could not reach the server at %s: %s"),
                                 self->server_url, error->message);
      return;
    }

  status = soup_message_get_status (message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      GError *http_error;

      root = parse_json (bytes);
      http_error = build_http_error (message, root);
      if (status == SOUP_STATUS_UNAUTHORIZED)
        g_signal_emit (self, signals[UNAUTHORIZED], 0, http_error->message);

      g_task_return_error (task, http_error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
request_token_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ConfabApi *self = CONFAB_API (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabMeetingToken) token = NULL;
  JsonObject *object;

  root = confab_api_request_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_new_error (task, CONFAB_API_ERROR, CONFAB_API_ERROR_SERVER,
                               _("The server sent an empty meeting token reply."));
      return;
    }

  object = json_node_get_object (root);
  token = g_new0 (ConfabMeetingToken, 1);
  token->jwt = g_strdup (confab_json_get_string (object, "jwt"));
  token->domain = g_strdup (confab_json_get_string (object, "domain"));
  token->jitsi_room = g_strdup (confab_json_get_string (object, "jitsi_room"));
  token->role = g_strdup (confab_json_get_string (object, "role"));
  if (token->role == NULL)
    token->role = g_strdup (CONFAB_ROLE_MEMBER);
  confab_json_get_int (object, "expires_at", &token->expires_at);

  if (token->jwt == NULL || token->jwt[0] == '\0'
      || token->domain == NULL || token->domain[0] == '\0'
      || token->jitsi_room == NULL || token->jitsi_room[0] == '\0')
    {
      g_task_return_new_error (task, CONFAB_API_ERROR, CONFAB_API_ERROR_SERVER,
                               _("The server’s meeting token reply lacks “jwt”, “domain” or “jitsi_room”."));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&token), (GDestroyNotify) confab_meeting_token_free);
}

static void
confab_api_finalize (GObject *object)
{
  ConfabApi *self = (ConfabApi *)object;

  soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_pointer (&self->server_url, g_free);

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (confab_api_parent_class)->finalize (object);
}

static void
confab_api_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ConfabApi *self = CONFAB_API (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_api_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ConfabApi *self = CONFAB_API (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      self->server_url = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_api_class_init (ConfabApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = confab_api_finalize;
  object_class->get_property = confab_api_get_property;
  object_class->set_property = confab_api_set_property;

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ConfabApi::unauthorized:
   * @message: the server's explanation
   *
   * Emitted when the server rejects the session token of a request with
   * 401: the session expired or was revoked.
   */
  signals[UNAUTHORIZED] =
    g_signal_new ("unauthorized",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
confab_api_init (ConfabApi *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Confab/%s ", PACKAGE_VERSION);

  /* The trailing space in the user agent makes libsoup append its own. */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", REQUEST_TIMEOUT_SECONDS,
                                                 NULL);
}

/**
 * confab_api_new:
 * @server_url: a URL checked by confab_server_url_normalize()
 *
 * Returns: (transfer full): a new REST client without a session token
 */
ConfabApi *
confab_api_new (const char *server_url)
{
  g_return_val_if_fail (server_url != NULL, NULL);

  return g_object_new (CONFAB_TYPE_API, "server-url", server_url, NULL);
}

const char *
confab_api_get_server_url (ConfabApi *self)
{
  g_return_val_if_fail (CONFAB_IS_API (self), NULL);

  return self->server_url;
}

/**
 * confab_api_get_session:
 *
 * Returns: (transfer none): the SoupSession that requests and the WebSocket
 *   share
 */
SoupSession *
confab_api_get_session (ConfabApi *self)
{
  g_return_val_if_fail (CONFAB_IS_API (self), NULL);

  return self->session;
}

/**
 * confab_api_get_token:
 *
 * Returns: (nullable): the session token; callers must not log it
 */
const char *
confab_api_get_token (ConfabApi *self)
{
  g_return_val_if_fail (CONFAB_IS_API (self), NULL);

  return self->token;
}

void
confab_api_set_token (ConfabApi  *self,
                      const char *token)
{
  g_return_if_fail (CONFAB_IS_API (self));

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));

  g_free (self->token);
  self->token = g_strdup (token);
}

/**
 * confab_api_new_message:
 * @method: an HTTP method
 * @path: a path starting with "/", such as "/api/v1/ws"
 *
 * Creates a message for @path on the server, with the session token in its
 * Authorization header when one is set. The WebSocket uses it for its
 * upgrade request.
 *
 * Returns: (transfer full): a new SoupMessage
 */
SoupMessage *
confab_api_new_message (ConfabApi  *self,
                        const char *method,
                        const char *path)
{
  g_autofree char *url = NULL;
  SoupMessage *message;

  g_return_val_if_fail (CONFAB_IS_API (self), NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  url = g_strconcat (self->server_url, path, NULL);
  message = soup_message_new (method, url);
  g_return_val_if_fail (message != NULL, NULL);

  if (self->token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", authorization);
    }

  return message;
}

/**
 * confab_api_request_async:
 * @method: an HTTP method
 * @path: a path starting with "/api/v1/"
 * @body: (nullable): the JSON body to send
 *
 * Sends a request to the server. A reply with a status outside 2xx becomes a
 * #CONFAB_API_ERROR whose message is the server's explanation.
 */
void
confab_api_request_async (ConfabApi           *self,
                          const char          *method,
                          const char          *path,
                          JsonObject          *body,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;

  g_return_if_fail (CONFAB_IS_API (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_api_request_async);

  message = confab_api_new_message (self, method, path);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/json");

  if (body != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
      g_autofree char *text = json_to_string (node, FALSE);
      gsize length = strlen (text);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), length);

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  g_task_set_task_data (task, g_object_ref (message), g_object_unref);

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    cancellable, send_and_read_cb, g_steal_pointer (&task));
}

/**
 * confab_api_request_finish:
 *
 * Returns: (transfer full) (nullable): the reply body, or %NULL with @error
 *   unset for a reply without a body (204)
 */
JsonNode *
confab_api_request_finish (ConfabApi     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (CONFAB_IS_API (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * confab_api_request_bytes_async:
 * @path: a path starting with "/api/v1/", such as a CSV download
 * @accept: the media type to request, such as "text/csv"
 *
 * Sends a GET request whose reply is not JSON. Errors are as for
 * confab_api_request_async(): the server's JSON error body becomes a
 * #CONFAB_API_ERROR.
 */
void
confab_api_request_bytes_async (ConfabApi           *self,
                                const char          *path,
                                const char          *accept,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;

  g_return_if_fail (CONFAB_IS_API (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (accept != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_api_request_bytes_async);

  message = confab_api_new_message (self, "GET", path);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", accept);
  g_task_set_task_data (task, g_object_ref (message), g_object_unref);

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    cancellable, send_and_read_bytes_cb, g_steal_pointer (&task));
}

/**
 * confab_api_request_bytes_finish:
 *
 * Returns: (transfer full): the reply body, or %NULL with @error set
 */
GBytes *
confab_api_request_bytes_finish (ConfabApi     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (CONFAB_IS_API (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * confab_api_request_token_async:
 * @room_id: a room in which the user has a seat
 *
 * Requests a Jitsi meeting token for @room_id. The server rejects it with
 * %CONFAB_API_ERROR_NOT_SEATED unless `joinRoom` succeeded first.
 */
void
confab_api_request_token_async (ConfabApi           *self,
                                gint64               room_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CONFAB_IS_API (self));
  g_return_if_fail (room_id > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_api_request_token_async);

  path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/token", room_id);
  confab_api_request_async (self, "POST", path, NULL, cancellable,
                            request_token_cb, g_steal_pointer (&task));
}

/**
 * confab_api_request_token_finish:
 *
 * Returns: (transfer full): the meeting token, or %NULL with @error set
 */
ConfabMeetingToken *
confab_api_request_token_finish (ConfabApi     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (CONFAB_IS_API (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
confab_meeting_token_free (ConfabMeetingToken *token)
{
  if (token == NULL)
    return;

  if (token->jwt != NULL)
    memset (token->jwt, 0, strlen (token->jwt));

  g_free (token->jwt);
  g_free (token->domain);
  g_free (token->jitsi_room);
  g_free (token->role);
  g_free (token);
}
