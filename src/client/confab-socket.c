/* confab-socket.c: the WebSocket of a signed-in window
 *
 * ConfabSocket keeps one WebSocket to the server open while the window is
 * signed in. It reconnects with exponential backoff and jitter, emits
 * "connected" once the server's `hello` arrived, so that the lobby and the
 * meeting page subscribe and rejoin, and hands every valid message to the
 * detailed "message" signal. A close with code 4001 means the session ended, which
 * no reconnect can fix.
 */
#define G_LOG_DOMAIN "confab-socket"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-protocol.h"

#include "confab-json.h"
#include "confab-socket.h"

/* A roomState of a full room with long names, notes and chat can pass a
 * few MiB, so the limit is the server's own bound on what it sends. A larger
 * message is a server fault and libsoup closes the connection with 1009.
 */
#define MAX_INCOMING_MESSAGE CONFAB_WS_MAX_SERVER_MESSAGE

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 30000

/* libsoup 3.2 replies to the server's pings itself but has no pong timeout, so
 * the client sends its own `ping` and counts the connection as dead when
 * nothing at all arrived for DEAD_AFTER_SECONDS.
 */
#define PING_INTERVAL_SECONDS 15
#define DEAD_AFTER_SECONDS    40

struct _ConfabSocket
{
  GObject                  parent_instance;

  ConfabApi               *api;
  SoupWebsocketConnection *connection;
  GCancellable            *cancellable;
  SoupMessage             *pending_message;
  JsonObject              *hello_user;
  /* The reason the server rejected the last connection, for the user.
   * NULL when it accepted it or the network failed.
   */
  const char              *problem;

  ConfabSocketState        state;
  guint                    attempt;
  guint                    reconnect_source;
  guint                    ping_source;
  gint64                   last_received_us;
  guint64                  next_request_id;
  gboolean                 started;
};

G_DEFINE_FINAL_TYPE (ConfabSocket, confab_socket, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_API,
  PROP_STATE,
  PROP_PROBLEM,
  N_PROPS
};

enum {
  MESSAGE,
  SESSION_ENDED,
  CONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void connect_now (ConfabSocket *self);

GType
confab_socket_state_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { CONFAB_SOCKET_DISCONNECTED, "CONFAB_SOCKET_DISCONNECTED", "disconnected" },
    { CONFAB_SOCKET_CONNECTING, "CONFAB_SOCKET_CONNECTING", "connecting" },
    { CONFAB_SOCKET_CONNECTED, "CONFAB_SOCKET_CONNECTED", "connected" },
    { CONFAB_SOCKET_RECONNECTING, "CONFAB_SOCKET_RECONNECTING", "reconnecting" },
    { 0, NULL, NULL }
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("ConfabSocketState", values));

  return type_id;
}

static void
set_problem (ConfabSocket *self,
             const char   *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    return;

  self->problem = problem;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

/* Returns a message for the user when the server rejected the upgrade with
 * a status other than 401, or NULL when there is nothing to explain.
 */
static const char *
describe_refusal (guint status)
{
  switch (status)
    {
    case 429:
      return _("This account has too many Confab windows and devices connected. Close one, and Confab connects again.");

    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      return _("The server is restarting. Confab connects again when it is back.");

    default:
      return NULL;
    }
}

static void
set_state (ConfabSocket      *self,
           ConfabSocketState  state)
{
  if (self->state == state)
    return;

  g_debug ("Socket state %d -> %d", self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Milliseconds that a closing connection may take to flush its last
 * messages and finish the close handshake before it is dropped.
 */
#define CLOSE_TIMEOUT_MS 3000

typedef struct {
  SoupWebsocketConnection *connection;
  GApplication            *application;
  guint                    timeout_source;
} Closing;

static void
finish_closing (Closing *closing)
{
  g_clear_handle_id (&closing->timeout_source, g_source_remove);
  g_signal_handlers_disconnect_by_data (closing->connection, closing);
  g_object_unref (closing->connection);

  if (closing->application != NULL)
    {
      g_application_release (closing->application);
      g_object_unref (closing->application);
    }

  g_free (closing);
}

static void
closing_closed_cb (SoupWebsocketConnection *connection,
                   gpointer                 user_data)
{
  finish_closing (user_data);
}

static gboolean
closing_timeout_cb (gpointer user_data)
{
  Closing *closing = user_data;

  closing->timeout_source = 0;
  finish_closing (closing);

  return G_SOURCE_REMOVE;
}

/* Closes @connection in the background. It stays alive until the close
 * handshake ends or CLOSE_TIMEOUT_MS pass, and so does the application, so
 * that a `leaveRoom` sent just before quitting still reaches the server.
 * NOTE: the client tests keep their process running, so none covers the
 * exit itself.
 */
static void
close_in_background (SoupWebsocketConnection *connection)
{
  Closing *closing = g_new0 (Closing, 1);
  GApplication *application = g_application_get_default ();

  closing->connection = g_object_ref (connection);
  if (application != NULL)
    {
      closing->application = g_object_ref (application);
      g_application_hold (application);
    }

  g_signal_connect (connection, "closed", G_CALLBACK (closing_closed_cb), closing);
  closing->timeout_source = g_timeout_add (CLOSE_TIMEOUT_MS, closing_timeout_cb, closing);

  soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

/* Lets go of the current connection at once; an open one is closed in the
 * background.
 */
static void
drop_connection (ConfabSocket *self)
{
  g_clear_handle_id (&self->ping_source, g_source_remove);

  if (self->connection == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->connection, self);

  if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    close_in_background (self->connection);

  g_clear_object (&self->connection);
}

static guint
next_backoff_ms (ConfabSocket *self)
{
  guint delay = BACKOFF_MIN_MS;

  for (guint i = 0; i < self->attempt && delay < BACKOFF_MAX_MS; i++)
    delay *= 2;

  delay = MIN (delay, BACKOFF_MAX_MS);
  self->attempt++;

  /* Full jitter over the upper half keeps many clients that lost the same
   * server from reconnecting in lockstep.
   */
  return delay / 2 + g_random_int_range (0, delay / 2 + 1);
}

static gboolean
reconnect_timeout_cb (gpointer user_data)
{
  ConfabSocket *self = CONFAB_SOCKET (user_data);

  self->reconnect_source = 0;
  connect_now (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (ConfabSocket *self)
{
  guint delay_ms;

  drop_connection (self);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);

  if (!self->started)
    {
      set_state (self, CONFAB_SOCKET_DISCONNECTED);
      return;
    }

  delay_ms = next_backoff_ms (self);
  g_message ("Connection to %s lost, reconnecting in %u ms",
             confab_api_get_server_url (self->api), delay_ms);

  set_state (self, CONFAB_SOCKET_RECONNECTING);
  self->reconnect_source = g_timeout_add (delay_ms, reconnect_timeout_cb, self);
}

static void
end_session (ConfabSocket *self,
             const char   *message)
{
  g_message ("Session ended by %s", confab_api_get_server_url (self->api));

  self->started = FALSE;
  drop_connection (self);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  set_state (self, CONFAB_SOCKET_DISCONNECTED);

  g_signal_emit (self, signals[SESSION_ENDED], 0, message);
}

static void
send_object (ConfabSocket *self,
             JsonObject   *message)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), message);
  g_autofree char *text = json_to_string (node, FALSE);

  soup_websocket_connection_send_text (self->connection, text);
}

static void
handle_hello (ConfabSocket *self,
              JsonObject   *message)
{
  JsonObject *user = confab_json_get_object (message, "user");

  g_clear_pointer (&self->hello_user, json_object_unref);
  if (user != NULL)
    self->hello_user = json_object_ref (user);

  self->attempt = 0;
  set_problem (self, NULL);
  set_state (self, CONFAB_SOCKET_CONNECTED);
  g_signal_emit (self, signals[CONNECTED], 0);
}

static gboolean
ping_timeout_cb (gpointer user_data)
{
  ConfabSocket *self = CONFAB_SOCKET (user_data);
  g_autoptr(JsonObject) ping = NULL;
  gint64 silence_us = g_get_monotonic_time () - self->last_received_us;

  if (silence_us > DEAD_AFTER_SECONDS * G_USEC_PER_SEC)
    {
      g_message ("No message from %s for %d s",
                 confab_api_get_server_url (self->api), DEAD_AFTER_SECONDS);
      self->ping_source = 0;
      schedule_reconnect (self);
      return G_SOURCE_REMOVE;
    }

  ping = json_object_new ();
  json_object_set_string_member (ping, "type", CONFAB_MSG_PING);
  send_object (self, ping);

  return G_SOURCE_CONTINUE;
}

static void
message_cb (SoupWebsocketConnection *connection,
            int                      data_type,
            GBytes                  *data,
            gpointer                 user_data)
{
  ConfabSocket *self = CONFAB_SOCKET (user_data);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *message;
  const char *type;
  gsize size = 0;
  const char *text;

  self->last_received_us = g_get_monotonic_time ();

  if (data_type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_debug ("Dropped a binary message of %zu bytes", g_bytes_get_size (data));
      return;
    }

  /* Step 1: the message must be a JSON object with a string "type". */
  text = g_bytes_get_data (data, &size);
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, size, &error))
    {
      g_debug ("Dropped a message that is not JSON: %s", error->message);
      return;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("Dropped a message that is not a JSON object");
      return;
    }

  message = json_node_get_object (root);
  type = confab_json_get_string (message, "type");
  if (type == NULL || type[0] == '\0')
    {
      g_debug ("Dropped a message without a \"type\"");
      return;
    }

  g_debug ("Received \"%s\"", type);

  /* Step 2: the socket's own messages. */
  if (g_str_equal (type, CONFAB_MSG_HELLO))
    handle_hello (self, message);

  /* Step 3: everyone else's. The detail quark is looked up, not created, so
   * that unknown types from the server do not grow the quark table.
   */
  g_signal_emit (self, signals[MESSAGE], g_quark_try_string (type), type, message);
}

/* Turns the reason of a 4001 close into a message for the user.
 * confab-server sends one English reason per cause, so the client shows
 * its own translated text for each.
 */
static const char *
describe_session_end (const char *reason)
{
  if (reason == NULL || reason[0] == '\0')
    return _("You were signed out on this device. Sign in again.");

  if (g_str_equal (reason, CONFAB_SESSION_END_EXPIRED))
    return _("Your session expired. Sign in again.");

  if (g_str_equal (reason, CONFAB_SESSION_END_SIGNED_OUT))
    return _("This device was signed out. Sign in again.");

  if (g_str_equal (reason, CONFAB_SESSION_END_EVERYWHERE))
    return _("Your account was signed out on every device. Sign in again.");

  if (g_str_equal (reason, CONFAB_SESSION_END_PASSWORD))
    return _("Your password was changed on another device. Sign in with the new password.");

  if (g_str_equal (reason, CONFAB_SESSION_END_DISABLED))
    return _("Your account was disabled by a site admin. Ask a site admin to enable it again.");

  /* Another server version may explain it otherwise: show its words. */
  return reason;
}

static void
closed_cb (SoupWebsocketConnection *connection,
           gpointer                 user_data)
{
  ConfabSocket *self = CONFAB_SOCKET (user_data);
  gushort code = soup_websocket_connection_get_close_code (connection);
  const char *reason = soup_websocket_connection_get_close_data (connection);

  g_message ("Connection to %s closed with code %u", confab_api_get_server_url (self->api), code);

  if (code == CONFAB_CLOSE_SESSION_ENDED)
    {
      end_session (self, describe_session_end (reason));
      return;
    }

  schedule_reconnect (self);
}

static void
error_cb (SoupWebsocketConnection *connection,
          GError                  *error,
          gpointer                 user_data)
{
  g_debug ("WebSocket error: %s", error->message);
}

static void
websocket_connect_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(ConfabSocket) self = user_data;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  message = g_steal_pointer (&self->pending_message);

  if (connection == NULL)
    {
      if (message != NULL && soup_message_get_status (message) == SOUP_STATUS_UNAUTHORIZED)
        {
          end_session (self, _("You were signed out on this device. Sign in again."));
          return;
        }

      g_message ("Could not connect to %s: %s", confab_api_get_server_url (self->api), error->message);
      set_problem (self, describe_refusal (message != NULL ? soup_message_get_status (message) : 0));
      schedule_reconnect (self);
      return;
    }

  self->connection = connection;
  self->last_received_us = g_get_monotonic_time ();
  soup_websocket_connection_set_max_incoming_payload_size (connection, MAX_INCOMING_MESSAGE);

  g_signal_connect (connection, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), self);
  g_signal_connect (connection, "error", G_CALLBACK (error_cb), self);

  self->ping_source = g_timeout_add_seconds (PING_INTERVAL_SECONDS, ping_timeout_cb, self);

  /* The state turns CONNECTED only with `hello`, so no message goes into a
   * connection that the server has not accepted yet.
   */
  g_debug ("WebSocket open, waiting for hello");
}

static void
connect_now (ConfabSocket *self)
{
  g_autoptr(SoupMessage) message = NULL;

  drop_connection (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->state != CONFAB_SOCKET_RECONNECTING)
    set_state (self, CONFAB_SOCKET_CONNECTING);

  message = confab_api_new_message (self->api, "GET", "/api/v1/ws");
  g_clear_object (&self->pending_message);
  self->pending_message = g_object_ref (message);

  soup_session_websocket_connect_async (confab_api_get_session (self->api), message,
                                        NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, websocket_connect_cb,
                                        g_object_ref (self));
}

static void
confab_socket_dispose (GObject *object)
{
  ConfabSocket *self = (ConfabSocket *)object;

  self->started = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  drop_connection (self);

  G_OBJECT_CLASS (confab_socket_parent_class)->dispose (object);
}

static void
confab_socket_finalize (GObject *object)
{
  ConfabSocket *self = (ConfabSocket *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->pending_message);
  g_clear_pointer (&self->hello_user, json_object_unref);
  g_clear_object (&self->api);

  G_OBJECT_CLASS (confab_socket_parent_class)->finalize (object);
}

static void
confab_socket_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ConfabSocket *self = CONFAB_SOCKET (object);

  switch (prop_id)
    {
    case PROP_API:
      g_value_set_object (value, self->api);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_socket_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ConfabSocket *self = CONFAB_SOCKET (object);

  switch (prop_id)
    {
    case PROP_API:
      self->api = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_socket_class_init (ConfabSocketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = confab_socket_dispose;
  object_class->finalize = confab_socket_finalize;
  object_class->get_property = confab_socket_get_property;
  object_class->set_property = confab_socket_set_property;

  properties[PROP_API] =
    g_param_spec_object ("api", NULL, NULL,
                         CONFAB_TYPE_API,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       CONFAB_TYPE_SOCKET_STATE,
                       CONFAB_SOCKET_DISCONNECTED,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The reason the server rejected the last connection attempt, for the
   * user, or %NULL. Cleared once a connection is accepted.
   */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ConfabSocket::message:
   * @type: the message's "type"
   * @message: the whole message, a JSON object
   *
   * Emitted for every valid message from the server, with the type as the
   * detail: connect to "message::roomState" for one type.
   */
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);

  /**
   * ConfabSocket::session-ended:
   * @message: why, for the user
   *
   * Emitted when the server ended the session (close code 4001, or 401 on
   * the upgrade). The socket stays stopped.
   */
  signals[SESSION_ENDED] =
    g_signal_new ("session-ended",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * ConfabSocket::connected:
   *
   * Emitted after each connect and reconnect, once the server's `hello`
   * arrived: subscriptions and room seats must be requested again.
   */
  signals[CONNECTED] =
    g_signal_new ("connected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
confab_socket_init (ConfabSocket *self)
{
  self->state = CONFAB_SOCKET_DISCONNECTED;
}

ConfabSocket *
confab_socket_new (ConfabApi *api)
{
  g_return_val_if_fail (CONFAB_IS_API (api), NULL);

  return g_object_new (CONFAB_TYPE_SOCKET, "api", api, NULL);
}

/**
 * confab_socket_get_api:
 *
 * Returns: (transfer none): the REST client whose URL, token and session
 *   the socket uses
 */
ConfabApi *
confab_socket_get_api (ConfabSocket *self)
{
  g_return_val_if_fail (CONFAB_IS_SOCKET (self), NULL);

  return self->api;
}

/**
 * confab_socket_start:
 *
 * Connects, and keeps reconnecting until confab_socket_stop() or the end of
 * the session.
 */
void
confab_socket_start (ConfabSocket *self)
{
  g_return_if_fail (CONFAB_IS_SOCKET (self));

  if (self->started)
    return;

  self->started = TRUE;
  self->attempt = 0;
  connect_now (self);
}

void
confab_socket_stop (ConfabSocket *self)
{
  g_return_if_fail (CONFAB_IS_SOCKET (self));

  self->started = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  drop_connection (self);
  set_state (self, CONFAB_SOCKET_DISCONNECTED);
}

/**
 * confab_socket_reconnect_now:
 *
 * Skips the rest of the backoff delay while reconnecting, for a "Retry now"
 * button.
 */
void
confab_socket_reconnect_now (ConfabSocket *self)
{
  g_return_if_fail (CONFAB_IS_SOCKET (self));

  if (!self->started || self->state != CONFAB_SOCKET_RECONNECTING
      || self->reconnect_source == 0)
    return;

  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  connect_now (self);
}

ConfabSocketState
confab_socket_get_state (ConfabSocket *self)
{
  g_return_val_if_fail (CONFAB_IS_SOCKET (self), CONFAB_SOCKET_DISCONNECTED);

  return self->state;
}

/**
 * confab_socket_get_problem:
 *
 * Returns: (nullable): why the server refused the last connection attempt,
 *   for the user, or %NULL
 */
const char *
confab_socket_get_problem (ConfabSocket *self)
{
  g_return_val_if_fail (CONFAB_IS_SOCKET (self), NULL);

  return self->problem;
}

/**
 * confab_socket_get_hello_user:
 *
 * Returns: (transfer none) (nullable): the user object of the last `hello`
 */
JsonObject *
confab_socket_get_hello_user (ConfabSocket *self)
{
  g_return_val_if_fail (CONFAB_IS_SOCKET (self), NULL);

  return self->hello_user;
}

/**
 * confab_socket_send:
 * @message: a JSON object with a "type"
 *
 * Sends @message when connected. While disconnected the message is dropped:
 * everything that matters is sent again on "connected".
 */
void
confab_socket_send (ConfabSocket *self,
                    JsonObject   *message)
{
  g_return_if_fail (CONFAB_IS_SOCKET (self));
  g_return_if_fail (message != NULL);

  if (self->state != CONFAB_SOCKET_CONNECTED || self->connection == NULL
      || soup_websocket_connection_get_state (self->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    {
      const char *type = confab_json_get_string (message, "type");

      g_debug ("Not connected, dropped a \"%s\" message", type != NULL ? type : "?");
      return;
    }

  send_object (self, message);
}

/**
 * confab_socket_send_request:
 * @message: a JSON object with a "type"
 *
 * Sets a fresh "requestId" on @message and sends it; the server's reply
 * carries the same id.
 *
 * Returns: (transfer full): the request id
 */
char *
confab_socket_send_request (ConfabSocket *self,
                            JsonObject   *message)
{
  char *request_id;

  g_return_val_if_fail (CONFAB_IS_SOCKET (self), NULL);
  g_return_val_if_fail (message != NULL, NULL);

  request_id = g_strdup_printf ("c%" G_GUINT64_FORMAT, ++self->next_request_id);
  json_object_set_string_member (message, "requestId", request_id);
  confab_socket_send (self, message);

  return request_id;
}
