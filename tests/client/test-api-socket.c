/* test-api-socket.c: the REST and WebSocket clients against a scripted
 * libsoup server on loopback, without a display
 *
 * The scripted server produces replies that the real one should never
 * send (malformed messages, odd statuses), to check that the clients
 * reject them cleanly.
 */
#define G_LOG_DOMAIN "confab-test"

#include "config.h"

#include "confab-api.h"
#include "confab-socket.h"
#include "confab-protocol.h"
#include "confab-test-util.h"

#define TIMEOUT_MS 10000
#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

typedef struct {
  SoupServer              *server;
  char                    *url;
  ConfabApi               *api;

  /* The server side of the last WebSocket, and what it received. */
  SoupWebsocketConnection *peer;
  guint                    upgrades;
  /* When set, the status sent for WebSocket upgrades instead of 101. */
  guint                    refuse_status;
  GPtrArray               *received;
  char                    *last_query;

  /* What the client side emitted. */
  GPtrArray               *messages;
  guint                    connected;
  char                    *session_ended;
} Fixture;

/* Server side */

static gboolean
has_session (SoupServerMessage *message)
{
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                            "Authorization");

  return g_strcmp0 (authorization, "Bearer " TOKEN) == 0;
}

static void
reply_json (SoupServerMessage *message,
            guint              status,
            const char        *json)
{
  soup_server_message_set_status (message, status, NULL);
  if (json != NULL)
    soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
rest_cb (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *fixture = user_data;
  GUri *uri = soup_server_message_get_uri (message);

  g_free (fixture->last_query);
  fixture->last_query = g_strdup (g_uri_get_query (uri));

  if (g_str_equal (path, "/api/v1/full"))
    reply_json (message, 409, "{\"error\": {\"code\": \"room-full\", \"message\": \"Room “Sync” has no free seat.\"}}");
  else if (g_str_equal (path, "/api/v1/empty"))
    reply_json (message, 204, NULL);
  else if (g_str_equal (path, "/api/v1/html"))
    {
      soup_server_message_set_status (message, 200, NULL);
      soup_server_message_set_response (message, "text/html", SOUP_MEMORY_STATIC, "<html></html>", 13);
    }
  else if (g_str_equal (path, "/api/v1/teapot"))
    reply_json (message, 418, "not json");
  else if (g_str_equal (path, "/api/v1/me"))
    {
      if (has_session (message))
        reply_json (message, 200, "{\"id\": 1, \"name\": \"Ada\"}");
      else
        reply_json (message, 401, "{\"error\": {\"code\": \"unauthorized\", \"message\": \"Sign in again.\"}}");
    }
  else if (g_str_equal (path, "/api/v1/rooms/7/token"))
    reply_json (message, 200, "{\"jwt\": \"a.b.c\", \"domain\": \"meet.example.org\", \"jitsi_room\": \"sync-7\","
                              " \"role\": \"owner\", \"expires_at\": 1767226500}");
  else if (g_str_equal (path, "/api/v1/rooms/8/token"))
    reply_json (message, 200, "{\"jwt\": 5, \"domain\": \"meet.example.org\"}");
  else
    reply_json (message, 404, "{\"error\": {\"code\": \"not-found\", \"message\": \"Unknown route.\"}}");
}

static void
peer_message_cb (SoupWebsocketConnection *connection,
                 int                      type,
                 GBytes                  *data,
                 Fixture                 *fixture)
{
  g_ptr_array_add (fixture->received, g_strndup (g_bytes_get_data (data, NULL), g_bytes_get_size (data)));
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *message,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  Fixture *fixture = user_data;

  fixture->upgrades++;
  g_set_object (&fixture->peer, connection);
  g_signal_connect (connection, "message", G_CALLBACK (peer_message_cb), fixture);

  soup_websocket_connection_send_text (connection, "{\"type\": \"hello\", \"protocol\": 1,"
                                                   " \"user\": {\"id\": 1, \"name\": \"Ada\"}}");
}

/* Rejects the upgrade without the session, as the real server does. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *message,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  Fixture *fixture = user_data;

  g_free (fixture->last_query);
  fixture->last_query = g_strdup (g_uri_get_query (soup_server_message_get_uri (message)));

  if (!has_session (message))
    reply_json (message, 401, "{\"error\": {\"code\": \"unauthorized\", \"message\": \"Sign in again.\"}}");
  else if (fixture->refuse_status != 0)
    reply_json (message, fixture->refuse_status,
                "{\"error\": {\"code\": \"rate-limited\", \"message\": \"Too many connections.\"}}");
}

/* Client side */

static void
socket_message_cb (ConfabSocket *socket,
                   const char   *type,
                   JsonObject   *message,
                   Fixture      *fixture)
{
  g_ptr_array_add (fixture->messages, g_strdup (type));
}

static void
socket_connected_cb (ConfabSocket *socket,
                     Fixture      *fixture)
{
  fixture->connected++;
}

static void
socket_session_ended_cb (ConfabSocket *socket,
                         const char   *message,
                         Fixture      *fixture)
{
  g_free (fixture->session_ended);
  fixture->session_ended = g_strdup (message);
}

static ConfabSocket *
new_socket (Fixture *fixture)
{
  ConfabSocket *socket = confab_socket_new (fixture->api);

  g_signal_connect (socket, "message", G_CALLBACK (socket_message_cb), fixture);
  g_signal_connect (socket, "connected", G_CALLBACK (socket_connected_cb), fixture);
  g_signal_connect (socket, "session-ended", G_CALLBACK (socket_session_ended_cb), fixture);

  return socket;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *uri_text = NULL;

  fixture->received = g_ptr_array_new_with_free_func (g_free);
  fixture->messages = g_ptr_array_new_with_free_func (g_free);

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_early_handler (fixture->server, "/api/v1/ws", early_handler_cb, fixture, NULL);
  soup_server_add_websocket_handler (fixture->server, "/api/v1/ws", NULL, NULL, websocket_cb, fixture, NULL);
  soup_server_add_handler (fixture->server, "/api/v1", rest_cb, fixture, NULL);

  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fixture->server);
  uri_text = g_uri_to_string (uris->data);
  fixture->url = g_strndup (uri_text, strlen (uri_text) - 1);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  fixture->api = confab_api_new (fixture->url);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->api);
  g_clear_object (&fixture->peer);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->url, g_free);
  g_clear_pointer (&fixture->last_query, g_free);
  g_clear_pointer (&fixture->session_ended, g_free);
  g_clear_pointer (&fixture->received, g_ptr_array_unref);
  g_clear_pointer (&fixture->messages, g_ptr_array_unref);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Sends a request and waits for its result. */
static JsonNode *
request (Fixture     *fixture,
         const char  *method,
         const char  *path,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  confab_api_request_async (fixture->api, method, path, NULL, NULL, store_result_cb, &result);
  CONFAB_TEST_WAIT_UNTIL (result != NULL, TIMEOUT_MS);

  return confab_api_request_finish (fixture->api, result, error);
}

static gboolean
received_type (Fixture    *fixture,
               const char *type)
{
  for (guint i = 0; i < fixture->messages->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (fixture->messages, i), type))
        return TRUE;
    }

  return FALSE;
}

/* Tests */

static void
test_api_error_mapping (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = request (fixture, "POST", "/api/v1/full", &error);
  g_assert_null (node);
  g_assert_error (error, CONFAB_API_ERROR, CONFAB_API_ERROR_ROOM_FULL);
  g_assert_cmpstr (error->message, ==, "Room “Sync” has no free seat.");
  g_clear_error (&error);

  /* Without an error body the status decides, and the text names it. */
  node = request (fixture, "GET", "/api/v1/teapot", &error);
  g_assert_error (error, CONFAB_API_ERROR, CONFAB_API_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "418"));
  g_clear_error (&error);

  node = request (fixture, "GET", "/api/v1/nowhere", &error);
  g_assert_error (error, CONFAB_API_ERROR, CONFAB_API_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A reply that is not JSON is an error, not an empty success. */
  node = request (fixture, "GET", "/api/v1/html", &error);
  g_assert_error (error, CONFAB_API_ERROR, CONFAB_API_ERROR_SERVER);
  g_clear_error (&error);

  /* 204 is success without a body. */
  node = request (fixture, "DELETE", "/api/v1/empty", &error);
  g_assert_no_error (error);
  g_assert_null (node);
}

static void
test_api_network_error (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  soup_server_disconnect (fixture->server);

  node = request (fixture, "GET", "/api/v1/me", &error);
  g_assert_null (node);
  g_assert_error (error, CONFAB_API_ERROR, CONFAB_API_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, fixture->url));
}

static void
unauthorized_cb (ConfabApi  *api,
                 const char *message,
                 guint      *count)
{
  (*count)++;
}

static void
test_api_token_in_header (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint unauthorized = 0;

  g_signal_connect (fixture->api, "unauthorized", G_CALLBACK (unauthorized_cb), &unauthorized);

  /* Without a session: a 401, but no session ended. */
  node = request (fixture, "GET", "/api/v1/me", &error);
  g_assert_error (error, CONFAB_API_ERROR, CONFAB_API_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (unauthorized, ==, 0);
  g_clear_error (&error);

  confab_api_set_token (fixture->api, TOKEN);
  node = request (fixture, "GET", "/api/v1/me", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "name"), ==, "Ada");
  g_assert_null (fixture->last_query);

  /* With a session the server no longer accepts: "unauthorized". */
  g_clear_pointer (&node, json_node_unref);
  confab_api_set_token (fixture->api, "ffff");
  node = request (fixture, "GET", "/api/v1/me", &error);
  g_assert_error (error, CONFAB_API_ERROR, CONFAB_API_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (unauthorized, ==, 1);
}

static void
test_api_meeting_token (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) bad_result = NULL;
  g_autoptr(ConfabMeetingToken) token = NULL;
  g_autoptr(ConfabMeetingToken) bad_token = NULL;
  g_autoptr(GError) error = NULL;

  confab_api_request_token_async (fixture->api, 7, NULL, store_result_cb, &result);
  CONFAB_TEST_WAIT_UNTIL (result != NULL, TIMEOUT_MS);
  token = confab_api_request_token_finish (fixture->api, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token->jwt, ==, "a.b.c");
  g_assert_cmpstr (token->domain, ==, "meet.example.org");
  g_assert_cmpstr (token->jitsi_room, ==, "sync-7");
  g_assert_cmpstr (token->role, ==, "owner");
  g_assert_cmpint (token->expires_at, ==, 1767226500);

  /* A "jwt" that is not a string, and no "jitsi_room". */
  confab_api_request_token_async (fixture->api, 8, NULL, store_result_cb, &bad_result);
  CONFAB_TEST_WAIT_UNTIL (bad_result != NULL, TIMEOUT_MS);
  bad_token = confab_api_request_token_finish (fixture->api, bad_result, &error);
  g_assert_null (bad_token);
  g_assert_error (error, CONFAB_API_ERROR, CONFAB_API_ERROR_SERVER);
}

static void
test_socket_drops_invalid_messages (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(ConfabSocket) socket = NULL;
  g_autoptr(JsonObject) ping = json_object_new ();
  g_autofree char *request_id = NULL;
  static const guint8 binary[] = { 0x7b, 0x7d };

  confab_api_set_token (fixture->api, TOKEN);
  socket = new_socket (fixture);
  confab_socket_start (socket);
  CONFAB_TEST_WAIT_UNTIL (confab_socket_get_state (socket) == CONFAB_SOCKET_CONNECTED, TIMEOUT_MS);
  g_assert_cmpuint (fixture->connected, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (confab_socket_get_hello_user (socket), "name"), ==, "Ada");

  /* The token went in the upgrade's header, not in its URL. */
  g_assert_null (fixture->last_query);

  soup_websocket_connection_send_text (fixture->peer, "not json");
  soup_websocket_connection_send_text (fixture->peer, "[\"lobby\"]");
  soup_websocket_connection_send_text (fixture->peer, "{\"rooms\": []}");
  soup_websocket_connection_send_text (fixture->peer, "{\"type\": 7}");
  soup_websocket_connection_send_text (fixture->peer, "{\"type\": {\"nested\": true}}");
  soup_websocket_connection_send_text (fixture->peer, "{\"type\": \"\"}");
  soup_websocket_connection_send_binary (fixture->peer, binary, sizeof binary);
  soup_websocket_connection_send_text (fixture->peer, "{\"type\": \"pong\", \"serverTime\": 1}");

  CONFAB_TEST_WAIT_UNTIL (received_type (fixture, "pong"), TIMEOUT_MS);
  g_assert_cmpuint (fixture->messages->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->messages, 0), ==, "hello");
  g_assert_cmpstr (g_ptr_array_index (fixture->messages, 1), ==, "pong");

  /* Requests get fresh ids. */
  json_object_set_string_member (ping, "type", "ping");
  request_id = confab_socket_send_request (socket, ping);
  g_assert_nonnull (request_id);
  CONFAB_TEST_WAIT_UNTIL (fixture->received->len == 1, TIMEOUT_MS);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->received, 0), request_id));

  confab_socket_stop (socket);
  g_assert_cmpint (confab_socket_get_state (socket), ==, CONFAB_SOCKET_DISCONNECTED);
}

static void
test_socket_reconnects (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(ConfabSocket) socket = NULL;

  confab_api_set_token (fixture->api, TOKEN);
  socket = new_socket (fixture);
  confab_socket_start (socket);
  CONFAB_TEST_WAIT_UNTIL (fixture->connected == 1, TIMEOUT_MS);

  /* The server shuts down (4002): the socket reconnects by itself. */
  soup_websocket_connection_close (fixture->peer, 4002, "shutting down");
  CONFAB_TEST_WAIT_UNTIL (confab_socket_get_state (socket) == CONFAB_SOCKET_RECONNECTING, TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (fixture->connected == 2, TIMEOUT_MS);
  g_assert_cmpint (confab_socket_get_state (socket), ==, CONFAB_SOCKET_CONNECTED);
  g_assert_cmpuint (fixture->upgrades, ==, 2);
  g_assert_null (fixture->session_ended);

  confab_socket_stop (socket);
}

static void
test_socket_session_ended (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(ConfabSocket) socket = NULL;

  confab_api_set_token (fixture->api, TOKEN);
  socket = new_socket (fixture);
  confab_socket_start (socket);
  CONFAB_TEST_WAIT_UNTIL (fixture->connected == 1, TIMEOUT_MS);

  /* 4001 ends the session for good: no reconnect. */
  soup_websocket_connection_close (fixture->peer, 4001, CONFAB_SESSION_END_EVERYWHERE);
  CONFAB_TEST_WAIT_UNTIL (fixture->session_ended != NULL, TIMEOUT_MS);
  g_assert_cmpstr (fixture->session_ended, ==, "Your account was signed out on every device. Sign in again.");
  g_assert_cmpint (confab_socket_get_state (socket), ==, CONFAB_SOCKET_DISCONNECTED);

  confab_test_run_for (2500);
  g_assert_cmpuint (fixture->upgrades, ==, 1);
}

/* Each close reason of confab-server gets its own text for the user. */
static void
test_socket_session_end_reasons (Fixture       *fixture,
                                 gconstpointer  data)
{
  const struct {
    const char *reason;
    const char *expected;
  } cases[] = {
    { CONFAB_SESSION_END_EXPIRED, "Your session expired. Sign in again." },
    { CONFAB_SESSION_END_SIGNED_OUT, "This device was signed out. Sign in again." },
    { CONFAB_SESSION_END_PASSWORD, "Your password was changed on another device. Sign in with the new password." },
    { CONFAB_SESSION_END_DISABLED, "Your account was disabled by a site admin. Ask a site admin to enable it again." },
    { "", "You were signed out on this device. Sign in again." },
    { "An administrator ended the session.", "An administrator ended the session." },
  };

  confab_api_set_token (fixture->api, TOKEN);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ConfabSocket) socket = new_socket (fixture);
      guint connected = fixture->connected;

      g_clear_pointer (&fixture->session_ended, g_free);
      confab_socket_start (socket);
      CONFAB_TEST_WAIT_UNTIL (fixture->connected == connected + 1, TIMEOUT_MS);

      soup_websocket_connection_close (fixture->peer, 4001, cases[i].reason);
      CONFAB_TEST_WAIT_UNTIL (fixture->session_ended != NULL, TIMEOUT_MS);
      g_assert_cmpstr (fixture->session_ended, ==, cases[i].expected);
    }
}

/* A rejected upgrade shows the reason while the socket keeps trying. */
static void
test_socket_refused_upgrade (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(ConfabSocket) socket = NULL;

  confab_api_set_token (fixture->api, TOKEN);
  fixture->refuse_status = 429;
  socket = new_socket (fixture);
  confab_socket_start (socket);

  CONFAB_TEST_WAIT_UNTIL (confab_socket_get_problem (socket) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (confab_socket_get_problem (socket), ==,
                   "This account has too many Confab windows and devices connected. "
                   "Close one, and Confab connects again.");
  g_assert_cmpint (confab_socket_get_state (socket), ==, CONFAB_SOCKET_RECONNECTING);
  g_assert_null (fixture->session_ended);

  /* Once the server takes the connection, the problem is gone. */
  fixture->refuse_status = 0;
  CONFAB_TEST_WAIT_UNTIL (fixture->connected == 1, TIMEOUT_MS);
  g_assert_null (confab_socket_get_problem (socket));
}

static void
test_socket_rejected_upgrade (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(ConfabSocket) socket = NULL;

  /* A session the server does not know: 401 on the upgrade. */
  confab_api_set_token (fixture->api, "ffff");
  socket = new_socket (fixture);
  confab_socket_start (socket);

  CONFAB_TEST_WAIT_UNTIL (fixture->session_ended != NULL, TIMEOUT_MS);
  g_assert_cmpint (confab_socket_get_state (socket), ==, CONFAB_SOCKET_DISCONNECTED);
  g_assert_cmpuint (fixture->upgrades, ==, 0);
  g_assert_cmpuint (fixture->connected, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("api/error-mapping", test_api_error_mapping);
  ADD ("api/network-error", test_api_network_error);
  ADD ("api/token-in-header", test_api_token_in_header);
  ADD ("api/meeting-token", test_api_meeting_token);
  ADD ("socket/drops-invalid-messages", test_socket_drops_invalid_messages);
  ADD ("socket/reconnects", test_socket_reconnects);
  ADD ("socket/session-ended", test_socket_session_ended);
  ADD ("socket/session-end-reasons", test_socket_session_end_reasons);
  ADD ("socket/rejected-upgrade", test_socket_rejected_upgrade);
  ADD ("socket/refused-upgrade", test_socket_refused_upgrade);

#undef ADD

  return g_test_run ();
}
