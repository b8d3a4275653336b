/* test-ws.c: the live hub over a real WebSocket.
 *
 * Each case starts the real confab-server on loopback and drives it with
 * libsoup WebSocket clients. Cases about broken clients (silence, a socket
 * closed without a close frame, oversized or fragmented frames) use a raw
 * TCP client that writes RFC 6455 frames itself.
 */
#include "config.h"

#include <string.h>

#include "cfs-store.h"
#include "cfs-test-server.h"
#include "confab-protocol.h"

#define WAIT_MS 10000

/* Presence settings for most cases: a short grace period keeps them fast. */
#define FAST_CONFIG \
  "[lobby]\n" \
  "interval_ms=250\n" \
  "presence_grace_ms=200\n"

/* Message helpers. Messages a client received stay in its queue (filled by
 * cfs-test-server) until a case clears it, so a case can check what did
 * not arrive as well as what did.
 */

static void
send_json (SoupWebsocketConnection *ws,
           const char              *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
send_json (SoupWebsocketConnection *ws,
           const char              *format,
           ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  soup_websocket_connection_send_text (ws, text);
}

static gboolean
message_matches (JsonObject *message,
                 const char *type,
                 const char *member,
                 gint64      value)
{
  if (g_strcmp0 (json_object_get_string_member_with_default (message, "type", ""), type) != 0)
    return FALSE;

  if (member == NULL)
    return TRUE;

  return json_object_has_member (message, member) &&
         json_object_get_int_member (message, member) == value;
}

/* Returns the first queued message of @type whose integer @member (if not
 * NULL) is @value, without removing it.
 */
static JsonObject *
find_message (SoupWebsocketConnection *ws,
              const char              *type,
              const char              *member,
              gint64                   value)
{
  for (GList *l = cfs_test_ws_get_queue (ws)->head; l != NULL; l = l->next)
    {
      if (message_matches (l->data, type, member, value))
        return l->data;
    }

  return NULL;
}

static guint
count_messages (SoupWebsocketConnection *ws,
                const char              *type,
                const char              *member,
                gint64                   value)
{
  guint count = 0;

  for (GList *l = cfs_test_ws_get_queue (ws)->head; l != NULL; l = l->next)
    count += message_matches (l->data, type, member, value);

  return count;
}

typedef struct {
  SoupWebsocketConnection *ws;
  const char              *type;
  const char              *member;
  gint64                   value;
} MessageQuery;

static gboolean
is_message_queued (gpointer user_data)
{
  MessageQuery *query = user_data;

  return find_message (query->ws, query->type, query->member, query->value) != NULL;
}

/* Waits for a message as find_message() describes it and returns it
 * (owned by the queue); fails the case after WAIT_MS.
 */
static JsonObject *
wait_for_message (SoupWebsocketConnection *ws,
                  const char              *type,
                  const char              *member,
                  gint64                   value)
{
  MessageQuery query = { ws, type, member, value };

  if (!cfs_test_wait_until (is_message_queued, &query, WAIT_MS))
    g_error ("No \"%s\" message with %s = %" G_GINT64_FORMAT " within %d ms",
             type, member != NULL ? member : "(any)", value, WAIT_MS);

  return find_message (ws, type, member, value);
}

static void
close_ws (SoupWebsocketConnection *ws)
{
  soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  cfs_test_ws_wait_for_close (ws);
  g_object_unref (ws);
}

typedef struct {
  CfsTestServer *server;
  const char    *text;
} LogWait;

static gboolean
is_in_log (gpointer user_data)
{
  LogWait *wait = user_data;

  return strstr (cfs_test_server_get_log (wait->server), wait->text) != NULL;
}

/* The server's output is read asynchronously, so a line may come late. */
static void
wait_for_log (CfsTestServer *server,
              const char    *text)
{
  LogWait wait = { server, text };

  if (!cfs_test_wait_until (is_in_log, &wait, WAIT_MS))
    g_error ("The server did not log \"%s\" within %d ms", text, WAIT_MS);
}

/* Fails the case when the server logged a warning or a critical. */
static void
assert_clean_log (CfsTestServer *server)
{
  const char *log = cfs_test_server_get_log (server);

  if (strstr (log, "-WARNING") != NULL || strstr (log, "-CRITICAL") != NULL)
    g_error ("The server logged a warning:\n%s", log);
}

static gint64
get_room_participants (CfsTestServer *server,
                       const char    *token,
                       gint64         room_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, room_id);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  body = cfs_test_fetch (server, path, token, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);

  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "participants");
}

/* Raw client: a TCP connection that speaks the WebSocket framing directly,
 * so a case can fragment messages, stop reading, or drop the socket.
 */

typedef struct {
  GSocketConnection *connection;
  GSocket           *socket;
  GByteArray        *input;
} RawClient;

static void
raw_read_more (RawClient *client)
{
  guint8 buffer[16384];
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_socket_receive (client->socket, (char *) buffer, sizeof buffer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  g_byte_array_append (client->input, buffer, n);
}

static void
raw_send_all (RawClient  *client,
              const void *data,
              gsize       length)
{
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (client->connection)),
                             data, length, &written, NULL, &error);
  g_assert_no_error (error);
}

static RawClient *
raw_connect (CfsTestServer *server,
             const char    *token)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GUri) uri = g_uri_parse (cfs_test_server_get_url (server), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  RawClient *client = g_new0 (RawClient, 1);
  guint8 *end;

  client->connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1",
                                                         g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  client->socket = g_socket_connection_get_socket (client->connection);
  g_socket_set_timeout (client->socket, WAIT_MS / 1000);
  client->input = g_byte_array_new ();

  request = g_strdup_printf ("GET /api/v1/ws HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%d\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "Authorization: Bearer %s\r\n\r\n",
                             g_uri_get_port (uri), token);
  raw_send_all (client, request, strlen (request));

  /* Read the response head; what follows it is already WebSocket data. */
  do
    raw_read_more (client);
  while ((end = (guint8 *) g_strstr_len ((char *) client->input->data, client->input->len, "\r\n\r\n")) == NULL);

  g_assert_true (g_str_has_prefix ((char *) client->input->data, "HTTP/1.1 101"));
  g_byte_array_remove_range (client->input, 0, end + 4 - client->input->data);

  return client;
}

/* Writes one masked client frame. */
static void
raw_send_frame (RawClient  *client,
                guint8      opcode,
                gboolean    fin,
                const void *payload,
                gsize       length)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  const guint8 mask[4] = { 0x12, 0x34, 0x56, 0x78 };
  guint8 header[10];
  gsize header_length;

  header[0] = (fin ? 0x80 : 0) | opcode;
  if (length < 126)
    {
      header[1] = 0x80 | length;
      header_length = 2;
    }
  else if (length < 65536)
    {
      header[1] = 0x80 | 126;
      header[2] = length >> 8;
      header[3] = length & 0xff;
      header_length = 4;
    }
  else
    {
      header[1] = 0x80 | 127;
      for (guint i = 0; i < 8; i++)
        header[2 + i] = ((guint64) length >> (56 - 8 * i)) & 0xff;
      header_length = 10;
    }

  g_byte_array_append (frame, header, header_length);
  g_byte_array_append (frame, mask, 4);
  for (gsize i = 0; i < length; i++)
    {
      guint8 byte = ((const guint8 *) payload)[i] ^ mask[i % 4];

      g_byte_array_append (frame, &byte, 1);
    }

  raw_send_all (client, frame->data, frame->len);
}

static void
raw_join_room (RawClient *client,
               gint64     room_id)
{
  g_autofree char *text = g_strdup_printf ("{\"type\":\"joinRoom\",\"roomId\":%" G_GINT64_FORMAT "}", room_id);

  raw_send_frame (client, 0x1, TRUE, text, strlen (text));
}

/* Reads one server frame (servers do not mask); returns its opcode. */
static guint8
raw_read_frame (RawClient   *client,
                GByteArray **payload_out)
{
  guint64 length;
  gsize header_length = 2;
  guint8 opcode;

  while (client->input->len < 2)
    raw_read_more (client);

  length = client->input->data[1] & 0x7f;
  if (length == 126)
    header_length = 4;
  else if (length == 127)
    header_length = 10;

  while (client->input->len < header_length)
    raw_read_more (client);

  if (length == 126)
    {
      length = (client->input->data[2] << 8) | client->input->data[3];
    }
  else if (length == 127)
    {
      length = 0;
      for (guint i = 0; i < 8; i++)
        length = (length << 8) | client->input->data[2 + i];
    }

  while (client->input->len < header_length + length)
    raw_read_more (client);

  opcode = client->input->data[0] & 0x0f;
  *payload_out = g_byte_array_new ();
  g_byte_array_append (*payload_out, client->input->data + header_length, length);
  g_byte_array_remove_range (client->input, 0, header_length + length);

  return opcode;
}

/* Reads frames until a text frame of @type arrives. */
static void
raw_wait_for_type (RawClient  *client,
                   const char *type)
{
  g_autofree char *needle = g_strdup_printf ("\"type\":\"%s\"", type);

  for (;;)
    {
      g_autoptr(GByteArray) payload = NULL;
      guint8 opcode = raw_read_frame (client, &payload);

      g_assert_cmpuint (opcode, !=, 0x8);
      if (opcode == 0x1 && g_strstr_len ((char *) payload->data, payload->len, needle) != NULL)
        return;
    }
}

/* Reads frames until the close frame and returns its status code. */
static gushort
raw_wait_for_close (RawClient *client)
{
  for (;;)
    {
      g_autoptr(GByteArray) payload = NULL;
      guint8 opcode = raw_read_frame (client, &payload);

      if (opcode == 0x8)
        {
          g_assert_cmpuint (payload->len, >=, 2);
          return (payload->data[0] << 8) | payload->data[1];
        }
    }
}

/* Closes the socket without a close frame, as a crashed client would. */
static void
raw_free (RawClient *client)
{
  g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
  g_object_unref (client->connection);
  g_byte_array_unref (client->input);
  g_free (client);
}

/* Cases. */

static void
test_upgrade_requires_session (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  g_autofree char *token = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/ws?token=%s", token);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) with_query = NULL;
  SoupWebsocketConnection *ws;
  guint status = 0;

  response = cfs_test_request (server, "GET", "/api/v1/ws", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 401);

  /* A token in the URL is never accepted. */
  with_query = cfs_test_request (server, "GET", path, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 401);

  ws = cfs_test_ws_connect (server, token);
  g_assert_null (soup_websocket_connection_get_extensions (ws));
  close_ws (ws);

  assert_clean_log (server);
}

static void
test_lobby_counts (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autofree char *bob = cfs_test_register (server, "Bob", "bob@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, owner, "Weekly sync", 10);
  SoupWebsocketConnection *watcher = cfs_test_ws_connect (server, owner);
  SoupWebsocketConnection *ada_ws = cfs_test_ws_connect (server, ada);
  SoupWebsocketConnection *bob_ws = cfs_test_ws_connect (server, bob);
  g_autoptr(JsonObject) lobby = NULL;
  g_autoptr(JsonObject) left = NULL;
  JsonObject *room;

  lobby = cfs_test_ws_request (watcher, "{\"type\":\"subscribeLobby\",\"requestId\":\"l1\"}", "lobby");
  g_assert_true (json_object_get_boolean_member (lobby, "last"));
  g_assert_cmpstr (json_object_get_string_member (lobby, "requestId"), ==, "l1");
  room = json_array_get_object_element (json_object_get_array_member (lobby, "rooms"), 0);
  g_assert_cmpint (json_object_get_int_member (room, "id"), ==, room_id);
  g_assert_cmpint (json_object_get_int_member (room, "participants"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (room, "role"), ==, "owner");

  /* Counts rise as users join... */
  json_object_unref (cfs_test_ws_join_room (ada_ws, room_id));
  room = json_object_get_object_member (wait_for_message (watcher, "roomUpdated", NULL, 0), "room");
  g_assert_cmpint (json_object_get_int_member (room, "participants"), ==, 1);
  cfs_test_ws_clear_queue (watcher);

  json_object_unref (cfs_test_ws_join_room (bob_ws, room_id));
  room = json_object_get_object_member (wait_for_message (watcher, "roomUpdated", NULL, 0), "room");
  g_assert_cmpint (json_object_get_int_member (room, "participants"), ==, 2);
  g_assert_cmpint (get_room_participants (server, owner, room_id), ==, 2);
  cfs_test_ws_clear_queue (watcher);

  /* ...and fall as they leave, by leaveRoom or by closing. */
  send_json (ada_ws, "{\"type\":\"leaveRoom\",\"roomId\":%" G_GINT64_FORMAT ",\"requestId\":\"x\"}", room_id);
  left = json_object_ref (wait_for_message (ada_ws, "ok", NULL, 0));
  room = json_object_get_object_member (wait_for_message (watcher, "roomUpdated", NULL, 0), "room");
  g_assert_cmpint (json_object_get_int_member (room, "participants"), ==, 1);
  cfs_test_ws_clear_queue (watcher);

  close_ws (bob_ws);
  room = json_object_get_object_member (wait_for_message (watcher, "roomUpdated", NULL, 0), "room");
  g_assert_cmpint (json_object_get_int_member (room, "participants"), ==, 0);
  g_assert_cmpint (get_room_participants (server, owner, room_id), ==, 0);

  close_ws (ada_ws);
  close_ws (watcher);

  assert_clean_log (server);
}

static void
test_presence_per_user (void)
{
  /* Without a grace period, a per-connection presence would drop the user
   * as soon as the first connection closes.
   */
  g_autoptr(CfsTestServer) server = cfs_test_server_start ("[lobby]\npresence_grace_ms=0\n");
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  gint64 ada_id = 0;
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", &ada_id);
  gint64 room_id = cfs_test_create_room (server, owner, "Standup", 10);
  SoupWebsocketConnection *observer = cfs_test_ws_connect (server, owner);
  SoupWebsocketConnection *first = cfs_test_ws_connect (server, ada);
  SoupWebsocketConnection *second = cfs_test_ws_connect (server, ada);
  g_autoptr(JsonObject) state = NULL;
  JsonObject *left;

  json_object_unref (cfs_test_ws_join_room (observer, room_id));
  json_object_unref (cfs_test_ws_join_room (first, room_id));
  state = cfs_test_ws_join_room (second, room_id);

  /* One participant, one seat, one userJoined. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (state, "participants")), ==, 2);
  g_assert_cmpint (get_room_participants (server, owner, room_id), ==, 2);
  wait_for_message (observer, "userJoined", NULL, 0);

  close_ws (first);
  g_assert_cmpint (get_room_participants (server, owner, room_id), ==, 2);
  g_assert_null (find_message (observer, "userLeft", "userId", ada_id));

  close_ws (second);
  left = wait_for_message (observer, "userLeft", "userId", ada_id);
  g_assert_cmpstr (json_object_get_string_member (left, "reason"), ==, "disconnected");
  g_assert_cmpint (get_room_participants (server, owner, room_id), ==, 1);
  g_assert_cmpuint (count_messages (observer, "userJoined", NULL, 0), ==, 1);

  close_ws (observer);

  assert_clean_log (server);
}

static void
test_reconnect_within_grace (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start ("[lobby]\npresence_grace_ms=3000\n");
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  gint64 ada_id = 0;
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", &ada_id);
  gint64 room_id = cfs_test_create_room (server, owner, "Standup", 10);
  SoupWebsocketConnection *observer = cfs_test_ws_connect (server, owner);
  SoupWebsocketConnection *again;
  RawClient *raw;
  JsonObject *chat;

  json_object_unref (cfs_test_ws_join_room (observer, room_id));
  raw = raw_connect (server, ada);
  raw_join_room (raw, room_id);
  raw_wait_for_type (raw, "roomState");
  wait_for_message (observer, "userJoined", NULL, 0);
  cfs_test_ws_clear_queue (observer);

  /* The socket drops without a close frame; the client comes back. */
  raw_free (raw);
  again = cfs_test_ws_connect (server, ada);
  json_object_unref (cfs_test_ws_join_room (again, room_id));
  send_json (again, "{\"type\":\"chat\",\"roomId\":%" G_GINT64_FORMAT ",\"text\":\"back\",\"clientMsgId\":\"c1\"}",
             room_id);

  /* The chat message arrives after anything the drop could have caused. */
  chat = wait_for_message (observer, "chatMessage", NULL, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (chat, "message"), "text"),
                   ==, "back");
  g_assert_null (find_message (observer, "userLeft", NULL, 0));
  g_assert_null (find_message (observer, "userJoined", NULL, 0));

  close_ws (again);
  close_ws (observer);

  assert_clean_log (server);
}

static void
test_silent_client_leaves (void)
{
  /* The grace period does not add to the silence timeout. */
  g_autoptr(CfsTestServer) server = cfs_test_server_start ("[lobby]\n"
                                                           "presence_grace_ms=60000\n"
                                                           "ping_interval=1\n"
                                                           "pong_timeout=4\n");
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  gint64 ada_id = 0;
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", &ada_id);
  gint64 room_id = cfs_test_create_room (server, owner, "Standup", 10);
  SoupWebsocketConnection *observer = cfs_test_ws_connect (server, owner);
  RawClient *raw;
  JsonObject *left;

  json_object_unref (cfs_test_ws_join_room (observer, room_id));

  /* Joins, then neither reads nor replies to pings, as a stopped process. */
  raw = raw_connect (server, ada);
  raw_join_room (raw, room_id);
  wait_for_message (observer, "userJoined", NULL, 0);

  left = wait_for_message (observer, "userLeft", "userId", ada_id);
  g_assert_cmpstr (json_object_get_string_member (left, "reason"), ==, "disconnected");
  wait_for_log (server, "no traffic for 4 s");

  raw_free (raw);
  close_ws (observer);

  assert_clean_log (server);
}

static void
test_dropped_socket_leaves (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  gint64 ada_id = 0;
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", &ada_id);
  gint64 room_id = cfs_test_create_room (server, owner, "Standup", 10);
  SoupWebsocketConnection *observer = cfs_test_ws_connect (server, owner);
  RawClient *raw;
  JsonObject *left;

  json_object_unref (cfs_test_ws_join_room (observer, room_id));
  raw = raw_connect (server, ada);
  raw_join_room (raw, room_id);
  raw_wait_for_type (raw, "roomState");

  raw_free (raw);
  left = wait_for_message (observer, "userLeft", "userId", ada_id);
  g_assert_cmpstr (json_object_get_string_member (left, "reason"), ==, "disconnected");
  g_assert_cmpint (get_room_participants (server, owner, room_id), ==, 1);

  close_ws (observer);

  assert_clean_log (server);
}

static void
test_last_seat_race (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, owner, "Two seats", 2);
  SoupWebsocketConnection *owner_ws = cfs_test_ws_connect (server, owner);
  SoupWebsocketConnection *clients[10];
  guint seated = 0;
  guint full = 0;

  json_object_unref (cfs_test_ws_join_room (owner_ws, room_id));

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autofree char *name = g_strdup_printf ("User %u", i);
      g_autofree char *email = g_strdup_printf ("user%u@example.org", i);
      g_autofree char *token = cfs_test_register (server, name, email, NULL);

      clients[i] = cfs_test_ws_connect (server, token);
    }

  /* All ten requests are on the wire before any reply is read. */
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    send_json (clients[i], "{\"type\":\"joinRoom\",\"roomId\":%" G_GINT64_FORMAT "}", room_id);

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autoptr(JsonObject) error = NULL;

      while (find_message (clients[i], "roomState", NULL, 0) == NULL &&
             find_message (clients[i], "error", NULL, 0) == NULL)
        g_main_context_iteration (NULL, TRUE);

      if (find_message (clients[i], "roomState", NULL, 0) != NULL)
        {
          seated++;
          continue;
        }

      g_assert_cmpstr (json_object_get_string_member (find_message (clients[i], "error", NULL, 0), "code"),
                       ==, "room-full");
      full++;
    }

  g_assert_cmpuint (seated, ==, 1);
  g_assert_cmpuint (full, ==, 9);
  g_assert_cmpint (get_room_participants (server, owner, room_id), ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    close_ws (clients[i]);
  close_ws (owner_ws);

  assert_clean_log (server);
}

static void
test_token_needs_seat (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start ("[lobby]\npresence_grace_ms=0\n");
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, owner, "Seated only", 10);
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/token", room_id);
  SoupWebsocketConnection *ws = cfs_test_ws_connect (server, ada);
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) seated = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonObject) left = NULL;
  guint status = 0;

  before = cfs_test_request (server, "POST", path, ada, NULL, &status);
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (before),
                                                                                 "error"), "code"),
                   ==, "not-seated");

  json_object_unref (cfs_test_ws_join_room (ws, room_id));
  seated = cfs_test_request (server, "POST", path, ada, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  send_json (ws, "{\"type\":\"leaveRoom\",\"requestId\":\"l\",\"roomId\":%" G_GINT64_FORMAT "}", room_id);
  left = json_object_ref (wait_for_message (ws, "ok", NULL, 0));
  after = cfs_test_request (server, "POST", path, ada, NULL, &status);
  g_assert_cmpuint (status, ==, 409);

  close_ws (ws);

  assert_clean_log (server);
}

static void
test_kick_with_ban (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  gint64 mallory_id = 0;
  g_autofree char *mallory = cfs_test_register (server, "Mallory", "mallory@example.org", &mallory_id);
  g_autofree char *member = cfs_test_register (server, "Member", "member@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, owner, "Moderated", 10);
  g_autofree char *token_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/token", room_id);
  SoupWebsocketConnection *owner_ws = cfs_test_ws_connect (server, owner);
  SoupWebsocketConnection *member_ws = cfs_test_ws_connect (server, member);
  SoupWebsocketConnection *target[2];
  g_autoptr(JsonObject) member_state = NULL;
  g_autoptr(JsonObject) forbidden = NULL;
  g_autoptr(JsonObject) ok = NULL;
  g_autoptr(JsonObject) rejected = NULL;
  g_autoptr(JsonNode) token_response = NULL;
  g_autoptr(JsonNode) rejected_response = NULL;
  g_autofree char *kick = NULL;
  guint status = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  JsonObject *left;

  json_object_unref (cfs_test_ws_join_room (owner_ws, room_id));
  member_state = cfs_test_ws_join_room (member_ws, room_id);
  for (guint i = 0; i < 2; i++)
    {
      target[i] = cfs_test_ws_connect (server, mallory);
      json_object_unref (cfs_test_ws_join_room (target[i], room_id));
    }

  /* Seated, Mallory gets a meeting token. */
  token_response = cfs_test_request (server, "POST", token_path, mallory, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  /* A member may not kick. */
  kick = g_strdup_printf ("{\"type\":\"kick\",\"requestId\":\"k1\",\"roomId\":%" G_GINT64_FORMAT
                          ",\"userId\":%" G_GINT64_FORMAT ",\"reason\":\"spam\",\"ban\":3600}",
                          room_id, mallory_id);
  soup_websocket_connection_send_text (member_ws, kick);
  forbidden = json_object_ref (wait_for_message (member_ws, "error", NULL, 0));
  g_assert_cmpstr (json_object_get_string_member (forbidden, "code"), ==, "forbidden");
  g_assert_cmpstr (json_object_get_string_member (forbidden, "requestId"), ==, "k1");

  /* The owner may, and every connection of the target hears it. */
  ok = cfs_test_ws_request (owner_ws, kick, "ok");
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *kicked = wait_for_message (target[i], "kicked", "roomId", room_id);
      JsonObject *ban = json_object_get_object_member (kicked, "ban");

      g_assert_cmpstr (json_object_get_string_member (kicked, "byName"), ==, "Owner");
      g_assert_cmpstr (json_object_get_string_member (kicked, "reason"), ==, "spam");
      g_assert_cmpint (json_object_get_int_member (ban, "until"), >=, now + 3600);
    }

  left = wait_for_message (member_ws, "userLeft", "userId", mallory_id);
  g_assert_cmpstr (json_object_get_string_member (left, "reason"), ==, "kicked");

  /* The token endpoint and joinRoom reject the banned user. */
  rejected_response = cfs_test_request (server, "POST", token_path, mallory, NULL, &status);
  g_assert_cmpuint (status, ==, 403);
  send_json (target[0], "{\"type\":\"joinRoom\",\"roomId\":%" G_GINT64_FORMAT "}", room_id);
  rejected = json_object_ref (wait_for_message (target[0], "error", NULL, 0));
  g_assert_cmpstr (json_object_get_string_member (rejected, "code"), ==, "banned");

  /* A ban through the REST API removes a seated user the same way. */
  {
    gint64 member_id = json_object_get_int_member (json_object_get_object_member (member_state, "self"), "userId");
    g_autofree char *ban_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/bans/%" G_GINT64_FORMAT,
                                                 room_id, member_id);
    g_autoptr(JsonNode) banned = cfs_test_request (server, "PUT", ban_path, owner, "{}", &status);
    JsonObject *kicked;

    g_assert_cmpuint (status, ==, 204);
    kicked = wait_for_message (member_ws, "kicked", "roomId", room_id);
    g_assert_true (json_object_get_null_member (json_object_get_object_member (kicked, "ban"), "until"));
    left = wait_for_message (owner_ws, "userLeft", "userId", member_id);
    g_assert_cmpstr (json_object_get_string_member (left, "reason"), ==, "kicked");
    g_assert_cmpint (get_room_participants (server, owner, room_id), ==, 1);
  }

  for (guint i = 0; i < 2; i++)
    close_ws (target[i]);
  close_ws (member_ws);
  close_ws (owner_ws);

  assert_clean_log (server);
}

static void
test_host_actions (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  gint64 owner_id = 0;
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", &owner_id);
  gint64 ada_id = 0;
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", &ada_id);
  g_autofree char *bob = cfs_test_register (server, "Bob", "bob@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, owner, "Hosted", 10);
  SoupWebsocketConnection *owner_ws = cfs_test_ws_connect (server, owner);
  SoupWebsocketConnection *ada_ws = cfs_test_ws_connect (server, ada);
  SoupWebsocketConnection *bob_ws = cfs_test_ws_connect (server, bob);
  g_autoptr(JsonObject) state = NULL;
  JsonObject *message;
  gint64 seq;

  json_object_unref (cfs_test_ws_join_room (owner_ws, room_id));
  json_object_unref (cfs_test_ws_join_room (ada_ws, room_id));
  state = cfs_test_ws_join_room (bob_ws, room_id);
  seq = json_object_get_int_member (state, "seq");
  cfs_test_ws_clear_queue (owner_ws);
  cfs_test_ws_clear_queue (ada_ws);

  /* Hands, with sequence numbers rising by one per room event. */
  send_json (ada_ws, "{\"type\":\"raiseHand\",\"roomId\":%" G_GINT64_FORMAT ",\"raised\":true}", room_id);
  message = wait_for_message (bob_ws, "handRaised", "userId", ada_id);
  g_assert_true (json_object_get_boolean_member (message, "raised"));
  g_assert_cmpint (json_object_get_int_member (message, "seq"), ==, seq + 1);

  send_json (bob_ws, "{\"type\":\"lowerHand\",\"roomId\":%" G_GINT64_FORMAT ",\"userId\":%" G_GINT64_FORMAT "}",
             room_id, ada_id);
  g_assert_cmpstr (json_object_get_string_member (wait_for_message (bob_ws, "error", NULL, 0), "code"),
                   ==, "forbidden");

  send_json (owner_ws, "{\"type\":\"lowerHand\",\"roomId\":%" G_GINT64_FORMAT ",\"userId\":%" G_GINT64_FORMAT "}",
             room_id, ada_id);
  message = wait_for_message (ada_ws, "handRaised", "seq", seq + 2);
  g_assert_false (json_object_get_boolean_member (message, "raised"));
  g_assert_cmpint (json_object_get_int_member (message, "byUserId"), ==, owner_id);

  /* Mute one, then everyone but the host. */
  send_json (owner_ws, "{\"type\":\"mute\",\"roomId\":%" G_GINT64_FORMAT ",\"userId\":%" G_GINT64_FORMAT "}",
             room_id, ada_id);
  message = wait_for_message (ada_ws, "muteRequested", NULL, 0);
  g_assert_false (json_object_get_boolean_member (message, "everyone"));
  g_assert_cmpstr (json_object_get_string_member (message, "byName"), ==, "Owner");
  g_assert_null (find_message (bob_ws, "muteRequested", NULL, 0));

  send_json (owner_ws, "{\"type\":\"muteEveryone\",\"roomId\":%" G_GINT64_FORMAT "}", room_id);
  message = wait_for_message (bob_ws, "muteRequested", NULL, 0);
  g_assert_true (json_object_get_boolean_member (message, "everyone"));
  wait_for_message (owner_ws, "ok", NULL, 0);
  g_assert_null (find_message (owner_ws, "muteRequested", NULL, 0));

  /* Jitsi ids are broadcast so hosts can map users to meeting participants. */
  send_json (ada_ws, "{\"type\":\"jitsiJoined\",\"roomId\":%" G_GINT64_FORMAT ",\"participantId\":\"3f2a9c1b\"}",
             room_id);
  message = wait_for_message (owner_ws, "jitsiParticipant", "userId", ada_id);
  g_assert_cmpstr (json_object_get_string_member (message, "participantId"), ==, "3f2a9c1b");

  /* Granting moderator updates everyone's view and the user's own access. */
  send_json (owner_ws, "{\"type\":\"setModerator\",\"roomId\":%" G_GINT64_FORMAT ",\"userId\":%" G_GINT64_FORMAT
             ",\"moderator\":true}", room_id, ada_id);
  message = wait_for_message (bob_ws, "roleChanged", "userId", ada_id);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "moderator");
  message = wait_for_message (ada_ws, "roomAccess", "roomId", room_id);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "moderator");

  /* A new moderator may mute. */
  cfs_test_ws_clear_queue (bob_ws);
  send_json (ada_ws, "{\"type\":\"mute\",\"roomId\":%" G_GINT64_FORMAT ",\"userId\":%" G_GINT64_FORMAT "}",
             room_id, json_object_get_int_member (json_object_get_object_member (state, "self"), "userId"));
  wait_for_message (bob_ws, "muteRequested", NULL, 0);

  /* Revoking through the REST API reaches the room too. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/moderators/%" G_GINT64_FORMAT,
                                             room_id, ada_id);
    g_autoptr(JsonNode) revoked = NULL;
    guint status = 0;

    cfs_test_ws_clear_queue (bob_ws);
    revoked = cfs_test_request (server, "DELETE", path, owner, NULL, &status);
    g_assert_cmpuint (status, ==, 204);
    message = wait_for_message (bob_ws, "roleChanged", "userId", ada_id);
    g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "member");
  }

  /* A new name reaches the room at once, not at the next join. */
  {
    g_autoptr(JsonNode) updated = NULL;
    guint status = 0;

    cfs_test_ws_clear_queue (bob_ws);
    updated = cfs_test_request (server, "PATCH", "/api/v1/me", ada,
                                "{\"name\": \"Ada King\", \"avatar_url\": \"https://example.org/ada.png\"}",
                                &status);
    g_assert_cmpuint (status, ==, 200);
    message = wait_for_message (bob_ws, "userUpdated", "userId", ada_id);
    g_assert_cmpstr (json_object_get_string_member (message, "name"), ==, "Ada King");
    g_assert_cmpstr (json_object_get_string_member (message, "avatarUrl"), ==, "https://example.org/ada.png");
    g_assert_cmpint (json_object_get_int_member (message, "roomId"), ==, room_id);
    g_assert_true (json_object_has_member (message, "seq"));
  }

  close_ws (bob_ws);
  close_ws (ada_ws);
  close_ws (owner_ws);

  assert_clean_log (server);
}

static void
test_malformed_messages (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  SoupWebsocketConnection *ws = cfs_test_ws_connect (server, ada);
  g_autofree char *long_text = g_strnfill (CONFAB_CHAT_MAX_CHARS + 1, 'x');
  g_autoptr(JsonObject) pong = NULL;
  const struct {
    const char *json;
    const char *code;
    const char *mentions;
  } cases[] = {
    { "{\"type\":", "invalid-json", NULL },
    { "[1, 2]", "invalid-json", NULL },
    { "{\"type\":\"dance\",\"requestId\":\"r1\"}", "unknown-type", "dance" },
    { "{\"roomId\":1}", "invalid-field", "type" },
    { "{\"type\":\"joinRoom\",\"requestId\":\"r2\"}", "invalid-field", "roomId" },
    { "{\"type\":\"joinRoom\",\"roomId\":\"7\"}", "invalid-field", "roomId" },
    { "{\"type\":\"raiseHand\",\"roomId\":1,\"raised\":1}", "invalid-field", "raised" },
    { "{\"type\":\"joinRoom\",\"roomId\":99}", "not-found", NULL },
    { "{\"type\":\"chat\",\"roomId\":1,\"text\":\"hi\",\"clientMsgId\":\"c\"}", "not-in-room", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      JsonObject *error;

      cfs_test_ws_clear_queue (ws);
      soup_websocket_connection_send_text (ws, cases[i].json);
      error = wait_for_message (ws, "error", NULL, 0);

      g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, cases[i].code);
      if (cases[i].mentions != NULL)
        g_assert_nonnull (strstr (json_object_get_string_member (error, "message"), cases[i].mentions));
    }

  /* The requestId of a rejected message comes back with its error. */
  cfs_test_ws_clear_queue (ws);
  soup_websocket_connection_send_text (ws, "{\"type\":\"joinRoom\",\"requestId\":\"r3\"}");
  g_assert_cmpstr (json_object_get_string_member (wait_for_message (ws, "error", NULL, 0), "requestId"),
                   ==, "r3");

  /* Chat text over the limit. */
  cfs_test_ws_clear_queue (ws);
  send_json (ws, "{\"type\":\"chat\",\"roomId\":1,\"text\":\"%s\",\"clientMsgId\":\"c\"}", long_text);
  g_assert_nonnull (strstr (json_object_get_string_member (wait_for_message (ws, "error", NULL, 0), "message"),
                            "text"));

  /* Still usable. */
  cfs_test_ws_clear_queue (ws);
  pong = cfs_test_ws_request (ws, "{\"type\":\"ping\",\"requestId\":\"p\"}", "pong");
  g_assert_cmpstr (json_object_get_string_member (pong, "requestId"), ==, "p");
  g_assert_cmpuint (soup_websocket_connection_get_state (ws), ==, SOUP_WEBSOCKET_STATE_OPEN);

  close_ws (ws);

  assert_clean_log (server);
}

static void
test_oversized_frame (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autofree char *payload = g_strnfill (100 * 1024, ' ');
  RawClient *raw = raw_connect (server, ada);

  raw_wait_for_type (raw, "hello");
  raw_send_frame (raw, 0x1, TRUE, payload, strlen (payload));
  g_assert_cmpuint (raw_wait_for_close (raw), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);

  raw_free (raw);

  assert_clean_log (server);
}

static void
test_fragmented_oversized (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autofree char *chunk = g_strnfill (16 * 1024, ' ');
  RawClient *raw = raw_connect (server, ada);

  raw_wait_for_type (raw, "hello");

  /* Fragments of a message under the limit are put together. */
  raw_send_frame (raw, 0x1, FALSE, "{\"type\":", 8);
  raw_send_frame (raw, 0x0, FALSE, "\"ping\"", 6);
  raw_send_frame (raw, 0x0, TRUE, "}", 1);
  raw_wait_for_type (raw, "pong");

  /* Seven 16 KiB fragments, 112 KiB in all: every frame is small, the
   * message is not.
   */
  raw_send_frame (raw, 0x1, FALSE, "{\"type\":\"ping\",\"pad\":\"", 22);
  for (guint i = 0; i < 7; i++)
    raw_send_frame (raw, 0x0, FALSE, chunk, strlen (chunk));
  raw_send_frame (raw, 0x0, TRUE, "\"}", 2);

  g_assert_cmpuint (raw_wait_for_close (raw), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);

  raw_free (raw);

  assert_clean_log (server);
}

static void
test_chat_flood (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, owner, "Chatty", 10);
  SoupWebsocketConnection *ws = cfs_test_ws_connect (server, owner);
  JsonObject *limited;

  json_object_unref (cfs_test_ws_join_room (ws, room_id));

  for (guint i = 0; i < 20; i++)
    send_json (ws, "{\"type\":\"chat\",\"roomId\":%" G_GINT64_FORMAT ",\"text\":\"spam %u\",\"clientMsgId\":\"c%u\"}",
               room_id, i, i);

  limited = wait_for_message (ws, "error", NULL, 0);
  g_assert_cmpstr (json_object_get_string_member (limited, "code"), ==, "rate-limited");
  g_assert_cmpuint (soup_websocket_connection_get_state (ws), ==, SOUP_WEBSOCKET_STATE_OPEN);

  /* Sustained abuse ends the connection. */
  for (guint i = 0; i < 40; i++)
    send_json (ws, "{\"type\":\"chat\",\"roomId\":%" G_GINT64_FORMAT ",\"text\":\"more %u\",\"clientMsgId\":\"m%u\"}",
               room_id, i, i);

  g_assert_cmpuint (cfs_test_ws_wait_for_close (ws), ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
  g_object_unref (ws);

  assert_clean_log (server);
}

static void
test_chat_survives_restart (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  gint64 owner_id = 0;
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", &owner_id);
  gint64 room_id = cfs_test_create_room (server, owner, "Durable", 10);
  g_autofree char *messages_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/messages?limit=2", room_id);
  SoupWebsocketConnection *ws = cfs_test_ws_connect (server, owner);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) older = NULL;
  g_autofree char *older_path = NULL;
  JsonArray *chat;
  JsonArray *messages;
  gint64 first_id = 0;
  guint status = 0;

  json_object_unref (cfs_test_ws_join_room (ws, room_id));
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"type\":\"chat\",\"roomId\":%" G_GINT64_FORMAT
                                               ",\"text\":\"note %u\",\"clientMsgId\":\"c%u\"}",
                                               room_id, i, i);
      g_autoptr(JsonObject) ack = cfs_test_ws_request (ws, json, "chatAck");
      g_autofree char *expected_id = g_strdup_printf ("c%u", i);

      g_assert_cmpstr (json_object_get_string_member (ack, "clientMsgId"), ==, expected_id);
      if (i == 0)
        first_id = json_object_get_int_member (ack, "id");
    }

  /* Each acknowledged message is also broadcast, the sender included. */
  wait_for_message (ws, "chatMessage", NULL, 0);
  close_ws (ws);

  cfs_test_server_restart (server);

  ws = cfs_test_ws_connect (server, owner);
  state = cfs_test_ws_join_room (ws, room_id);
  chat = json_object_get_array_member (state, "chat");
  g_assert_cmpuint (json_array_get_length (chat), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (chat, 0), "text"), ==, "note 0");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (chat, 2), "userId"), ==, owner_id);

  /* REST pages go back in time. */
  page = cfs_test_request (server, "GET", messages_path, owner, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  messages = json_object_get_array_member (json_node_get_object (page), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "text"), ==, "note 2");

  older_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/messages?before=%" G_GINT64_FORMAT,
                                room_id, json_object_get_int_member (json_array_get_object_element (messages, 0), "id"));
  older = cfs_test_request (server, "GET", older_path, owner, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  messages = json_object_get_array_member (json_node_get_object (older), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (messages, 0), "id"), ==, first_id);

  close_ws (ws);

  assert_clean_log (server);
}

static void
test_notes_conflict (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, owner, "Notes", 10);
  SoupWebsocketConnection *owner_ws = cfs_test_ws_connect (server, owner);
  SoupWebsocketConnection *ada_ws = cfs_test_ws_connect (server, ada);
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(JsonObject) state = NULL;
  JsonObject *conflict;

  json_object_unref (cfs_test_ws_join_room (owner_ws, room_id));
  json_object_unref (cfs_test_ws_join_room (ada_ws, room_id));

  send_json (owner_ws, "{\"type\":\"notesUpdate\",\"roomId\":%" G_GINT64_FORMAT ",\"baseVersion\":0,"
             "\"text\":\"Agenda\"}", room_id);
  updated = json_object_ref (wait_for_message (ada_ws, "notesUpdated", NULL, 0));
  g_assert_cmpint (json_object_get_int_member (updated, "version"), ==, 1);

  /* Ada edited version 0 too; her update is stale. */
  send_json (ada_ws, "{\"type\":\"notesUpdate\",\"requestId\":\"n1\",\"roomId\":%" G_GINT64_FORMAT
             ",\"baseVersion\":0,\"text\":\"Other agenda\"}", room_id);
  conflict = wait_for_message (ada_ws, "error", NULL, 0);
  g_assert_cmpstr (json_object_get_string_member (conflict, "code"), ==, "conflict");
  g_assert_cmpstr (json_object_get_string_member (conflict, "requestId"), ==, "n1");
  g_assert_cmpint (json_object_get_int_member (conflict, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (conflict, "text"), ==, "Agenda");

  /* A new join gets the stored notes. */
  close_ws (ada_ws);
  ada_ws = cfs_test_ws_connect (server, ada);
  state = cfs_test_ws_join_room (ada_ws, room_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (state, "notes"), "text"),
                   ==, "Agenda");

  close_ws (ada_ws);
  close_ws (owner_ws);

  assert_clean_log (server);
}

typedef struct {
  CfsTestServer *server;
  const char    *token;
} UpgradeCheck;

/* A plain GET of the WebSocket path meets the connection cap before the
 * handshake, so it gets 429 while the cap is reached and 400 after.
 */
static gboolean
is_below_connection_cap (gpointer user_data)
{
  UpgradeCheck *check = user_data;
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = cfs_test_request (check->server, "GET", "/api/v1/ws", check->token, NULL, &status);

  return status != 429;
}

static void
test_connection_cap (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start ("[lobby]\nmax_connections_per_user=2\n");
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  guint login_status = 0;
  g_autofree char *second_session = cfs_test_login (server, "ada@example.org", "password-Ada", &login_status);
  g_autofree char *bob = cfs_test_register (server, "Bob", "bob@example.org", NULL);
  SoupWebsocketConnection *first = cfs_test_ws_connect (server, ada);
  SoupWebsocketConnection *second = cfs_test_ws_connect (server, second_session);
  SoupWebsocketConnection *bob_ws = NULL;
  SoupWebsocketConnection *third = NULL;
  g_autoptr(JsonNode) refused = NULL;
  UpgradeCheck check = { server, ada };
  guint status = 0;

  g_assert_cmpuint (login_status, ==, 200);

  /* The cap counts the account's connections over all its sessions. */
  refused = cfs_test_request (server, "GET", "/api/v1/ws", ada, NULL, &status);
  g_assert_cmpuint (status, ==, 429);
  g_assert_nonnull (strstr (cfs_test_assert_error (refused, CONFAB_ERR_RATE_LIMITED), "2 open connections"));

  /* Other accounts are not affected. */
  bob_ws = cfs_test_ws_connect (server, bob);

  /* A closed connection makes room for a new one. */
  close_ws (first);
  g_assert_true (cfs_test_wait_until (is_below_connection_cap, &check, 10000));
  third = cfs_test_ws_connect (server, ada);

  close_ws (third);
  close_ws (second);
  close_ws (bob_ws);
}

static void
test_meeting_history (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start ("[lobby]\npresence_grace_ms=0\n");
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  g_autofree char *ada = cfs_test_register (server, "Ada, \"the first\"", "ada@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, owner, "History", 10);
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/history", room_id);
  g_autofree char *csv_path = g_strdup_printf ("%s?format=csv", path);
  SoupWebsocketConnection *owner_ws = cfs_test_ws_connect (server, owner);
  SoupWebsocketConnection *ada_ws = cfs_test_ws_connect (server, ada);
  g_autoptr(JsonObject) ok = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(JsonNode) forbidden = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) csv = NULL;
  JsonObject *meeting;
  guint status = 0;

  json_object_unref (cfs_test_ws_join_room (owner_ws, room_id));
  json_object_unref (cfs_test_ws_join_room (ada_ws, room_id));
  send_json (ada_ws, "{\"type\":\"leaveRoom\",\"roomId\":%" G_GINT64_FORMAT ",\"requestId\":\"l\"}", room_id);
  ok = json_object_ref (wait_for_message (ada_ws, "ok", NULL, 0));

  /* A running meeting already shows its peak. */
  history = cfs_test_request (server, "GET", path, owner, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  meeting = json_array_get_object_element (json_object_get_array_member (json_node_get_object (history),
                                                                         "meetings"), 0);
  g_assert_true (json_object_get_null_member (meeting, "ended_at"));
  g_assert_cmpint (json_object_get_int_member (meeting, "peak_participants"), ==, 2);
  g_clear_pointer (&history, json_node_unref);

  close_ws (owner_ws);
  close_ws (ada_ws);

  history = cfs_test_request (server, "GET", path, owner, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  meeting = json_array_get_object_element (json_object_get_array_member (json_node_get_object (history),
                                                                         "meetings"), 0);
  g_assert_false (json_object_get_null_member (meeting, "ended_at"));
  g_assert_cmpint (json_object_get_int_member (meeting, "peak_participants"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (meeting, "attendance")), ==, 2);

  forbidden = cfs_test_request (server, "GET", path, ada, NULL, &status);
  g_assert_cmpuint (status, ==, 403);

  csv = cfs_test_request_full (server, "GET", csv_path, owner, NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (headers, NULL), "text/csv"));

  assert_clean_log (server);
}

typedef struct {
  SoupWebsocketConnection **watchers;
  guint                     n_watchers;
  gint64                    room_id;
  gint64                    expected;
} StormWait;

static gboolean
all_watchers_see_count (gpointer user_data)
{
  StormWait *wait = user_data;

  for (guint i = 0; i < wait->n_watchers; i++)
    {
      JsonObject *last = NULL;

      for (GList *l = cfs_test_ws_get_queue (wait->watchers[i])->head; l != NULL; l = l->next)
        {
          if (message_matches (l->data, "roomUpdated", NULL, 0))
            last = json_object_get_object_member (l->data, "room");
        }

      if (last == NULL || json_object_get_int_member (last, "participants") != wait->expected)
        return FALSE;
    }

  return TRUE;
}

typedef struct {
  SoupWebsocketConnection **clients;
  guint                     n_clients;
} JoinWait;

static gboolean
all_joined (gpointer user_data)
{
  JoinWait *wait = user_data;

  for (guint i = 0; i < wait->n_clients; i++)
    {
      if (find_message (wait->clients[i], "roomState", NULL, 0) == NULL)
        return FALSE;
    }

  return TRUE;
}

static void
test_join_storm (void)
{
  enum { N_USERS = 200, N_WATCHERS = 20 };
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, owner, "Town hall", 500);
  g_autofree char *db_path = g_build_filename (cfs_test_server_get_dir (server), "confab.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsStore) store = NULL;
  SoupWebsocketConnection *users[N_USERS];
  SoupWebsocketConnection *watchers[N_WATCHERS];
  StormWait storm = { watchers, N_WATCHERS, room_id, N_USERS };
  JoinWait joins = { users, N_USERS };
  gint64 started;
  gint64 elapsed_ms;

  /* Accounts go straight into the server's database: hashing 200
   * passwords through the API would take most of a minute.
   */
  store = cfs_store_open (db_path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_USERS + N_WATCHERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Storm %u", i);
      g_autofree char *email = g_strdup_printf ("storm%u@example.org", i);
      g_autoptr(CfsUser) user = cfs_store_create_user (store, name, email, "not-a-hash", NULL, FALSE, &error);
      g_autofree char *token = NULL;

      g_assert_no_error (error);
      token = cfs_store_create_session (store, user->id, 3600, NULL, &error);
      g_assert_no_error (error);

      if (i < N_USERS)
        {
          users[i] = cfs_test_ws_connect (server, token);
        }
      else
        {
          watchers[i - N_USERS] = cfs_test_ws_connect (server, token);
          json_object_unref (cfs_test_ws_request (watchers[i - N_USERS], "{\"type\":\"subscribeLobby\"}", "lobby"));
        }
    }

  started = g_get_monotonic_time ();
  for (guint i = 0; i < N_USERS; i++)
    send_json (users[i], "{\"type\":\"joinRoom\",\"roomId\":%" G_GINT64_FORMAT "}", room_id);

  g_assert_true (cfs_test_wait_until (all_joined, &joins, 60000));
  g_assert_true (cfs_test_wait_until (all_watchers_see_count, &storm, WAIT_MS));
  elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  g_assert_cmpint (get_room_participants (server, owner, room_id), ==, N_USERS);

  /* Coalescing: at most one update per 250 ms round, which is far fewer
   * than one per join.
   */
  for (guint i = 0; i < N_WATCHERS; i++)
    {
      guint updates = count_messages (watchers[i], "roomUpdated", NULL, 0);

      g_test_message ("Watcher %u got %u roomUpdated messages for %d joins in %" G_GINT64_FORMAT " ms",
                      i, updates, N_USERS, elapsed_ms);
      g_assert_cmpint (updates, <=, elapsed_ms / 250 + 1);
      g_assert_cmpuint (updates, <=, N_USERS / 4);
    }

  for (guint i = 0; i < N_USERS; i++)
    close_ws (users[i]);
  for (guint i = 0; i < N_WATCHERS; i++)
    close_ws (watchers[i]);

  assert_clean_log (server);
}

static void
test_slow_consumer (void)
{
  enum { N_WRITERS = 10, MAX_UPDATES = 100 };
  g_autoptr(CfsTestServer) server = cfs_test_server_start ("[lobby]\n"
                                                           "presence_grace_ms=0\n"
                                                           "pong_timeout=120\n"
                                                           "max_pending_output=65536\n");
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  gint64 ada_id = 0;
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", &ada_id);
  gint64 room_id = cfs_test_create_room (server, owner, "Big notes", 20);
  SoupWebsocketConnection *writers[N_WRITERS];
  g_autofree char *text = g_strnfill (60 * 1024, 'n');
  RawClient *raw;
  guint version = 0;

  /* Each writer has its own rate limit, ten updates in a burst. */
  for (guint i = 0; i < N_WRITERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Writer %u", i);
      g_autofree char *email = g_strdup_printf ("writer%u@example.org", i);
      g_autofree char *token = cfs_test_register (server, name, email, NULL);

      writers[i] = cfs_test_ws_connect (server, token);
      json_object_unref (cfs_test_ws_join_room (writers[i], room_id));
    }

  raw = raw_connect (server, ada);
  raw_join_room (raw, room_id);
  wait_for_message (writers[0], "userJoined", "seq", N_WRITERS + 1);

  /* Each update sends 60 KiB to Ada, who never reads: her socket buffers
   * fill, then the server's queue, until the server drops her.
   */
  while (find_message (writers[0], "userLeft", "userId", ada_id) == NULL)
    {
      SoupWebsocketConnection *writer = writers[version % N_WRITERS];

      g_assert_cmpuint (version, <, MAX_UPDATES);
      send_json (writer, "{\"type\":\"notesUpdate\",\"roomId\":%" G_GINT64_FORMAT
                 ",\"baseVersion\":%u,\"text\":\"%s\"}", room_id, version, text);
      wait_for_message (writer, "notesUpdated", "version", version + 1);
      version++;

      for (guint i = 0; i < N_WRITERS; i++)
        {
          JsonObject *left = find_message (writers[i], "userLeft", "userId", ada_id);

          if (left == NULL)
            cfs_test_ws_clear_queue (writers[i]);
        }
    }

  g_test_message ("Ada was dropped after %u updates of 60 KiB", version);
  wait_for_log (server, "bytes of output pending");

  raw_free (raw);
  for (guint i = 0; i < N_WRITERS; i++)
    close_ws (writers[i]);

  assert_clean_log (server);
}

static CfsStore *
open_server_store (CfsTestServer *server)
{
  g_autofree char *path = g_build_filename (cfs_test_server_get_dir (server), "confab.db", NULL);
  g_autoptr(GError) error = NULL;
  CfsStore *store = cfs_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
get_metric (CfsTestServer *server,
            const char    *name)
{
  g_autofree char *needle = g_strdup_printf ("\n%s ", name);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  const char *line;
  guint status = 0;

  body = cfs_test_fetch (server, "/metrics", NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);

  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  line = strstr (text, needle);
  g_assert_nonnull (line);

  return g_ascii_strtoll (line + strlen (needle), NULL, 10);
}

static gboolean
send_ping_frame_cb (gpointer user_data)
{
  RawClient *raw = user_data;

  raw_send_frame (raw, 0x9, TRUE, "hi", 2);
  return G_SOURCE_CONTINUE;
}

static void
test_blocked_output (void)
{
  enum { N_WRITERS = 10, MAX_UPDATES = 100 };
  g_autoptr(CfsTestServer) server = cfs_test_server_start ("[lobby]\n"
                                                           "presence_grace_ms=0\n"
                                                           "ping_interval=1\n"
                                                           "pong_timeout=4\n");
  gint64 ada_id = 0;
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", &ada_id);
  gint64 room_id = cfs_test_create_room (server, owner, "Blocked", 20);
  SoupWebsocketConnection *writers[N_WRITERS];
  g_autofree char *text = g_strnfill (60 * 1024, 'b');
  RawClient *raw;
  guint keepalive;
  guint version = 0;

  for (guint i = 0; i < N_WRITERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Writer %u", i);
      g_autofree char *email = g_strdup_printf ("writer%u@example.org", i);
      g_autofree char *token = cfs_test_register (server, name, email, NULL);

      writers[i] = cfs_test_ws_connect (server, token);
      json_object_unref (cfs_test_ws_join_room (writers[i], room_id));
    }

  /* Ada keeps sending pings, so she is not silent, but never reads. */
  raw = raw_connect (server, ada);
  raw_join_room (raw, room_id);
  wait_for_message (writers[0], "userJoined", "seq", N_WRITERS + 1);
  keepalive = g_timeout_add (300, send_ping_frame_cb, raw);

  /* Fill her socket buffers until output queues in the server, well under
   * max_pending_output, then stop: the queue no longer moves. The kernel
   * grows the socket's send buffer for a while, so a few frames queued once
   * may still drain; four frames' worth stays.
   */
  while (get_metric (server, "confab_ws_pending_output_bytes") < 4 * 60 * 1024)
    {
      SoupWebsocketConnection *writer = writers[version % N_WRITERS];

      g_assert_cmpuint (version, <, MAX_UPDATES);
      send_json (writer, "{\"type\":\"notesUpdate\",\"roomId\":%" G_GINT64_FORMAT
                 ",\"baseVersion\":%u,\"text\":\"%s\"}", room_id, version, text);
      wait_for_message (writer, "notesUpdated", "version", version + 1);
      version++;
    }

  g_test_message ("Output queued after %u updates of 60 KiB: %" G_GINT64_FORMAT " bytes", version,
                  get_metric (server, "confab_ws_pending_output_bytes"));
  wait_for_message (writers[0], "userLeft", "userId", ada_id);
  wait_for_log (server, "output not drained for 4 s");
  g_assert_cmpint (get_metric (server, "confab_ws_dropped_clients_total"), ==, 1);

  g_source_remove (keepalive);
  raw_free (raw);
  for (guint i = 0; i < N_WRITERS; i++)
    close_ws (writers[i]);

  assert_clean_log (server);
}

static void
test_lobby_pages_fit (void)
{
  enum { N_ROOMS = 450 };
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  gint64 owner_id = 0;
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", &owner_id);
  g_autoptr(CfsStore) store = open_server_store (server);
  g_autofree char *name = g_strnfill (CONFAB_ROOM_NAME_MAX_CHARS, '"');
  g_autofree char *topic = g_strnfill (CONFAB_ROOM_TOPIC_MAX_CHARS, '\\');
  SoupWebsocketConnection *ws;
  guint rooms = 0;
  guint pages = 0;
  gboolean last = FALSE;

  /* Quotes and backslashes double in JSON: each room is over 1 KiB. */
  for (guint i = 0; i < N_ROOMS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CfsRoom) room = cfs_store_create_room (store, name, topic, 10, FALSE, owner_id, &error);

      g_assert_no_error (error);
    }

  /* The test client keeps libsoup's default 128 KiB incoming limit. */
  ws = cfs_test_ws_connect (server, owner);
  send_json (ws, "{\"type\":\"subscribeLobby\"}");

  while (!last)
    {
      JsonObject *lobby = wait_for_message (ws, "lobby", "page", pages);

      rooms += json_array_get_length (json_object_get_array_member (lobby, "rooms"));
      last = json_object_get_boolean_member (lobby, "last");
      pages++;
    }

  g_assert_cmpuint (rooms, ==, N_ROOMS);
  g_assert_cmpuint (pages, >, N_ROOMS / CONFAB_LOBBY_PAGE_ROOMS + 1);
  g_assert_cmpuint (soup_websocket_connection_get_state (ws), ==, SOUP_WEBSOCKET_STATE_OPEN);

  close_ws (ws);

  assert_clean_log (server);
}

static void
test_session_end_closes (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  gint64 ada_id = 0;
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", &ada_id);
  g_autoptr(CfsStore) store = open_server_store (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *short_token = cfs_store_create_session (store, ada_id, 2, NULL, &error);
  SoupWebsocketConnection *expiring;
  SoupWebsocketConnection *ws;
  g_autoptr(JsonNode) logout = NULL;
  guint status = 0;

  g_assert_no_error (error);

  /* A session that expires closes its connection. */
  expiring = cfs_test_ws_connect (server, short_token);
  g_assert_cmpuint (cfs_test_ws_wait_for_close (expiring), ==, CONFAB_CLOSE_SESSION_ENDED);
  g_assert_cmpstr (soup_websocket_connection_get_close_data (expiring), ==, CONFAB_SESSION_END_EXPIRED);
  g_object_unref (expiring);

  /* So does signing out. */
  ws = cfs_test_ws_connect (server, ada);
  logout = cfs_test_request (server, "POST", "/api/v1/auth/logout", ada, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  g_assert_cmpuint (cfs_test_ws_wait_for_close (ws), ==, CONFAB_CLOSE_SESSION_ENDED);
  g_assert_cmpstr (soup_websocket_connection_get_close_data (ws), ==, CONFAB_SESSION_END_SIGNED_OUT);
  g_object_unref (ws);

  assert_clean_log (server);
}

static void
test_shutdown_closes (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  SoupWebsocketConnection *ws = cfs_test_ws_connect (server, ada);

  cfs_test_server_stop (server);
  g_assert_cmpuint (cfs_test_ws_wait_for_close (ws), ==, CONFAB_CLOSE_SHUTTING_DOWN);
  g_object_unref (ws);

  assert_clean_log (server);
}

static void
test_room_deleted (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, owner, "Short-lived", 10);
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, room_id);
  SoupWebsocketConnection *watcher = cfs_test_ws_connect (server, owner);
  SoupWebsocketConnection *ada_ws = cfs_test_ws_connect (server, ada);
  g_autoptr(JsonObject) lobby = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  guint status = 0;

  lobby = cfs_test_ws_request (watcher, "{\"type\":\"subscribeLobby\"}", "lobby");
  json_object_unref (cfs_test_ws_join_room (ada_ws, room_id));

  deleted = cfs_test_request (server, "DELETE", path, owner, NULL, &status);
  g_assert_cmpuint (status, ==, 204);

  wait_for_message (watcher, "roomDeleted", "roomId", room_id);
  wait_for_message (ada_ws, "roomDeleted", "roomId", room_id);

  /* Ada's connection left the room with it. */
  cfs_test_ws_clear_queue (ada_ws);
  send_json (ada_ws, "{\"type\":\"raiseHand\",\"roomId\":%" G_GINT64_FORMAT ",\"raised\":true}", room_id);
  g_assert_cmpstr (json_object_get_string_member (wait_for_message (ada_ws, "error", NULL, 0), "code"),
                   ==, "not-in-room");

  close_ws (ada_ws);
  close_ws (watcher);

  assert_clean_log (server);
}

static void
test_metrics (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, owner, "Measured", 10);
  SoupWebsocketConnection *ws = cfs_test_ws_connect (server, owner);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  guint status = 0;

  json_object_unref (cfs_test_ws_join_room (ws, room_id));

  body = cfs_test_fetch (server, "/metrics", NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  g_assert_nonnull (strstr (text, "\nconfab_connections 1\n"));
  g_assert_nonnull (strstr (text, "\nconfab_rooms 1\n"));
  g_assert_nonnull (strstr (text, "\nconfab_participants 1\n"));
  g_assert_nonnull (strstr (text, "# TYPE confab_ws_messages_in_total counter\n"));
  g_assert_nonnull (strstr (text, "\nconfab_ws_rate_limited_total 0\n"));
  g_assert_nonnull (strstr (text, "\nconfab_ws_dropped_clients_total 0\n"));

  close_ws (ws);

  assert_clean_log (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/ws/upgrade-requires-session", test_upgrade_requires_session);
  g_test_add_func ("/server/ws/lobby-counts", test_lobby_counts);
  g_test_add_func ("/server/ws/presence-per-user", test_presence_per_user);
  g_test_add_func ("/server/ws/reconnect-within-grace", test_reconnect_within_grace);
  g_test_add_func ("/server/ws/silent-client-leaves", test_silent_client_leaves);
  g_test_add_func ("/server/ws/dropped-socket-leaves", test_dropped_socket_leaves);
  g_test_add_func ("/server/ws/last-seat-race", test_last_seat_race);
  g_test_add_func ("/server/ws/token-needs-seat", test_token_needs_seat);
  g_test_add_func ("/server/ws/kick-with-ban", test_kick_with_ban);
  g_test_add_func ("/server/ws/host-actions", test_host_actions);
  g_test_add_func ("/server/ws/malformed-messages", test_malformed_messages);
  g_test_add_func ("/server/ws/oversized-frame", test_oversized_frame);
  g_test_add_func ("/server/ws/fragmented-oversized", test_fragmented_oversized);
  g_test_add_func ("/server/ws/chat-flood", test_chat_flood);
  g_test_add_func ("/server/ws/chat-survives-restart", test_chat_survives_restart);
  g_test_add_func ("/server/ws/notes-conflict", test_notes_conflict);
  g_test_add_func ("/server/ws/meeting-history", test_meeting_history);
  g_test_add_func ("/server/ws/connection-cap", test_connection_cap);
  g_test_add_func ("/server/ws/join-storm", test_join_storm);
  g_test_add_func ("/server/ws/slow-consumer", test_slow_consumer);
  g_test_add_func ("/server/ws/blocked-output", test_blocked_output);
  g_test_add_func ("/server/ws/lobby-pages-fit", test_lobby_pages_fit);
  g_test_add_func ("/server/ws/session-end-closes", test_session_end_closes);
  g_test_add_func ("/server/ws/shutdown-closes", test_shutdown_closes);
  g_test_add_func ("/server/ws/room-deleted", test_room_deleted);
  g_test_add_func ("/server/ws/metrics", test_metrics);

  return g_test_run ();
}
