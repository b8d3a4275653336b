/* test-manage.c: room, people and account management on the real
 * confab-server over loopback: private rooms, invites and their web page,
 * bans, hosted rooms, site admins, signing out everywhere, password
 * changes, email invites through an SMTP sink, and the history CSV.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cfs-auth.h"
#include "cfs-test-server.h"
#include "cfs-test-smtp-sink.h"
#include "confab-protocol.h"

#define WAIT_MS 10000

/* A short lobby interval keeps the lobby cases fast. */
#define FAST_CONFIG \
  "[lobby]\n" \
  "interval_ms=50\n" \
  "presence_grace_ms=200\n"

#define SMTP_FROM "Confab Invites <invites@confab.example.org>"
#define PUBLIC_URL "https://confab.example.org"

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* REST helpers. */

/* Sends a request, asserts its status and returns the body. */
static JsonNode *
request_expect (CfsTestServer *server,
                const char    *method,
                const char    *path,
                const char    *token,
                const char    *body,
                guint          expected_status)
{
  guint status = 0;
  JsonNode *response = cfs_test_request (server, method, path, token, body, &status);

  if (status != expected_status)
    g_error ("%s %s: status %u, expected %u; body: %s", method, path, status, expected_status,
             response != NULL ? json_to_string (response, FALSE) : "(none)");

  return response;
}

/* Asserts the status and the error code of a refused request. */
static void
assert_refused (CfsTestServer *server,
                const char    *method,
                const char    *path,
                const char    *token,
                const char    *body,
                guint          expected_status,
                const char    *expected_code)
{
  g_autoptr(JsonNode) response = request_expect (server, method, path, token, body, expected_status);

  cfs_test_assert_error (response, expected_code);
}

static void
assert_status (CfsTestServer *server,
               const char    *method,
               const char    *path,
               const char    *token,
               const char    *body,
               guint          expected_status)
{
  g_autoptr(JsonNode) response = request_expect (server, method, path, token, body, expected_status);
}

static char *
login (CfsTestServer *server,
       const char    *email,
       const char    *password)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email, password);
  g_autoptr(JsonNode) response = request_expect (server, "POST", "/api/v1/auth/login", NULL, body, 200);

  return g_strdup (json_object_get_string_member (cfs_test_get_object (response), "token"));
}

static gint64
create_room (CfsTestServer *server,
             const char    *token,
             const char    *name,
             gboolean       is_private)
{
  g_autofree char *body = g_strdup_printf ("{\"name\": \"%s\", \"private\": %s}",
                                           name, is_private ? "true" : "false");
  g_autoptr(JsonNode) room = request_expect (server, "POST", "/api/v1/rooms", token, body, 201);

  g_assert_true (json_object_get_boolean_member (cfs_test_get_object (room), "private") == is_private);

  return json_object_get_int_member (cfs_test_get_object (room), "id");
}

/* Returns whether GET /api/v1/rooms as @token lists @room_id. */
static gboolean
lists_room (CfsTestServer *server,
            const char    *token,
            gint64         room_id)
{
  g_autoptr(JsonNode) response = request_expect (server, "GET", "/api/v1/rooms", token, NULL, 200);
  JsonArray *rooms = json_object_get_array_member (cfs_test_get_object (response), "rooms");

  for (guint i = 0; i < json_array_get_length (rooms); i++)
    {
      if (json_object_get_int_member (json_array_get_object_element (rooms, i), "id") == room_id)
        return TRUE;
    }

  return FALSE;
}

/* Creates an invite as @token with the JSON @body (or none) and returns
 * the response object; @code_out gets the code.
 */
static JsonNode *
create_invite (CfsTestServer  *server,
               const char     *token,
               gint64          room_id,
               const char     *body,
               char          **code_out)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/invites", room_id);
  JsonNode *response = request_expect (server, "POST", path, token, body, 201);

  if (code_out != NULL)
    *code_out = g_strdup (json_object_get_string_member (cfs_test_get_object (response), "code"));

  return response;
}

static JsonNode *
accept_invite (CfsTestServer *server,
               const char    *token,
               const char    *code,
               gint64         room_id,
               guint          expected_status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/invites/%s/accept", code);
  g_autofree char *body = room_id > 0 ? g_strdup_printf ("{\"room_id\": %" G_GINT64_FORMAT "}", room_id)
                                      : NULL;

  return request_expect (server, "POST", path, token, body, expected_status);
}

/* Returns "127.0.0.1:PORT" of the server. */
static const char *
get_authority (CfsTestServer *server)
{
  return strstr (cfs_test_server_get_url (server), "://") + 3;
}

/* Runs one SQL statement on the server's database, next to the running
 * server, as a second process such as the admin commands would.
 */
static void
exec_on_database (CfsTestServer *server,
                  const char    *sql)
{
  g_autofree char *path = g_build_filename (cfs_test_server_get_dir (server), "confab.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Returns every text value of the invites table, joined by newlines. */
static char *
dump_invites_table (CfsTestServer *server)
{
  g_autofree char *path = g_build_filename (cfs_test_server_get_dir (server), "confab.db", NULL);
  g_autoptr(GString) dump = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT * FROM invites", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_string_append_printf (dump, "%s\n", (const char *) sqlite3_column_text (stmt, i));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_string_free (g_steal_pointer (&dump), FALSE);
}

/* Plain HTTP for responses that are not JSON. */

/* GETs @path and returns the body as text; the response headers go to
 * @headers_out.
 */
static char *
fetch_text (CfsTestServer       *server,
            const char          *path,
            const char          *token,
            guint               *status_out,
            SoupMessageHeaders **headers_out)
{
  g_autoptr(GBytes) body = cfs_test_fetch (server, path, token, status_out, headers_out);

  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* WebSocket helpers. A connection's messages stay in its queue (filled by
 * cfs-test-server) until read, so a case can check what did not arrive.
 * cfs_test_ws_request() drops the messages it skips, so lobby watchers
 * below use connections that send nothing after subscribing.
 */

/* Returns the room id a message is about: `roomId`, or `room.id`. */
static gint64
get_message_room (JsonObject *message)
{
  if (json_object_has_member (message, "roomId"))
    return json_object_get_int_member (message, "roomId");

  if (json_object_has_member (message, "room"))
    return json_object_get_int_member (json_object_get_object_member (message, "room"), "id");

  return 0;
}

static JsonObject *
find_room_message (SoupWebsocketConnection *ws,
                   const char              *type,
                   gint64                   room_id)
{
  for (GList *l = cfs_test_ws_get_queue (ws)->head; l != NULL; l = l->next)
    {
      JsonObject *message = l->data;

      if (g_strcmp0 (json_object_get_string_member_with_default (message, "type", ""), type) == 0 &&
          get_message_room (message) == room_id)
        return message;
    }

  return NULL;
}

typedef struct {
  SoupWebsocketConnection *ws;
  const char              *type;
  gint64                   room_id;
} RoomMessageWait;

static gboolean
is_room_message_queued (gpointer user_data)
{
  RoomMessageWait *wait = user_data;

  return find_room_message (wait->ws, wait->type, wait->room_id) != NULL;
}

/* Waits for a message of @type about @room_id and returns it (owned by the
 * queue).
 */
static JsonObject *
wait_for_room_message (SoupWebsocketConnection *ws,
                       const char              *type,
                       gint64                   room_id)
{
  RoomMessageWait wait = { ws, type, room_id };

  if (!cfs_test_wait_until (is_room_message_queued, &wait, WAIT_MS))
    g_error ("No \"%s\" message for room %" G_GINT64_FORMAT " within %d ms", type, room_id, WAIT_MS);

  return find_room_message (ws, type, room_id);
}

/* Opens a connection that watches the lobby and returns it with the rooms
 * of the snapshot in @room_ids_out (a set of gint64).
 */
static SoupWebsocketConnection *
watch_lobby (CfsTestServer  *server,
             const char     *token,
             GHashTable    **room_ids_out)
{
  SoupWebsocketConnection *ws = cfs_test_ws_connect (server, token);
  g_autoptr(JsonObject) page = cfs_test_ws_request (ws, "{\"type\": \"subscribeLobby\"}", "lobby");
  JsonArray *rooms = json_object_get_array_member (page, "rooms");

  g_assert_true (json_object_get_boolean_member (page, "last"));

  *room_ids_out = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < json_array_get_length (rooms); i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (rooms, i), "id");

      g_hash_table_add (*room_ids_out, g_memdup2 (&id, sizeof id));
    }

  return ws;
}

/* Sends joinRoom and returns the reply: `roomState` or `error`. */
static JsonObject *
send_join (SoupWebsocketConnection *ws,
           gint64                   room_id)
{
  g_autofree char *json = g_strdup_printf ("{\"type\": \"joinRoom\", \"requestId\": \"j\", \"roomId\": %"
                                           G_GINT64_FORMAT "}", room_id);
  GQueue *queue = cfs_test_ws_get_queue (ws);

  soup_websocket_connection_send_text (ws, json);

  for (;;)
    {
      JsonObject *message;

      if (!cfs_test_wait_until ((GSourceFunc) g_queue_get_length, queue, WAIT_MS))
        g_error ("No reply to joinRoom for room %" G_GINT64_FORMAT, room_id);

      message = g_queue_pop_head (queue);
      if (g_strcmp0 (json_object_get_string_member_with_default (message, "requestId", ""), "j") == 0)
        return message;

      json_object_unref (message);
    }
}

/* Fails the case when the server logged a warning or a critical. */
static void
assert_clean_log (CfsTestServer *server)
{
  const char *log = cfs_test_server_get_log (server);

  if (strstr (log, "-WARNING") != NULL || strstr (log, "-CRITICAL") != NULL)
    g_error ("The server logged a warning:\n%s", log);
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
    g_error ("The server did not log \"%s\" within %d ms:\n%s", text, WAIT_MS,
             cfs_test_server_get_log (server));
}

/* Cases. */

static void
test_private_room_visibility (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autofree char *bob = cfs_test_register (server, "Bob", "bob@example.org", NULL);
  gint64 carol_id = 0;
  g_autofree char *carol = cfs_test_register (server, "Carol", "carol@example.org", &carol_id);
  gint64 open_room = create_room (server, ada, "Open", FALSE);
  gint64 secret = create_room (server, ada, "Secret", TRUE);
  g_autofree char *secret_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, secret);
  g_autofree char *open_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, open_room);
  g_autofree char *token_path = g_strdup_printf ("%s/token", secret_path);
  g_autofree char *messages_path = g_strdup_printf ("%s/messages", secret_path);
  g_autofree char *access_path = NULL;
  g_autoptr(GHashTable) ada_rooms = NULL;
  g_autoptr(GHashTable) bob_rooms = NULL;
  g_autoptr(GHashTable) carol_rooms = NULL;
  g_autoptr(SoupWebsocketConnection) ada_lobby = NULL;
  g_autoptr(SoupWebsocketConnection) bob_lobby = NULL;
  g_autoptr(SoupWebsocketConnection) carol_lobby = NULL;
  g_autoptr(SoupWebsocketConnection) bob_ws = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(JsonNode) accepted = NULL;
  g_autoptr(JsonNode) invite = NULL;
  g_autofree char *code = NULL;
  JsonObject *update;
  gint64 bob_id = 0;

  /* The snapshot and the REST list show a private room to its hosts only. */
  ada_lobby = watch_lobby (server, ada, &ada_rooms);
  bob_lobby = watch_lobby (server, bob, &bob_rooms);
  carol_lobby = watch_lobby (server, carol, &carol_rooms);
  g_assert_true (g_hash_table_contains (ada_rooms, &secret));
  g_assert_true (g_hash_table_contains (ada_rooms, &open_room));
  g_assert_false (g_hash_table_contains (bob_rooms, &secret));
  g_assert_true (g_hash_table_contains (bob_rooms, &open_room));
  g_assert_true (lists_room (server, ada, secret));
  g_assert_false (lists_room (server, bob, secret));
  g_assert_true (lists_room (server, bob, open_room));

  /* To others it does not exist: no room, no seat, no token, no chat. */
  assert_refused (server, "GET", secret_path, bob, NULL, 404, CONFAB_ERR_NOT_FOUND);
  assert_refused (server, "POST", token_path, bob, NULL, 404, CONFAB_ERR_NOT_FOUND);
  assert_refused (server, "GET", messages_path, bob, NULL, 404, CONFAB_ERR_NOT_FOUND);
  assert_refused (server, "PATCH", secret_path, bob, "{\"topic\": \"x\"}", 404, CONFAB_ERR_NOT_FOUND);
  bob_ws = cfs_test_ws_connect (server, bob);
  refused = send_join (bob_ws, secret);
  g_assert_cmpstr (json_object_get_string_member (refused, "type"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (refused, "code"), ==, CONFAB_ERR_NOT_FOUND);

  /* A change of the private room reaches Ada's lobby only; a later change
   * of the open room shows that Bob's lobby had its round.
   */
  assert_status (server, "PATCH", secret_path, ada, "{\"topic\": \"Plans\"}", 200);
  update = wait_for_room_message (ada_lobby, CONFAB_MSG_ROOM_UPDATED, secret);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (update, "room"), "private"));
  assert_status (server, "PATCH", open_path, ada, "{\"topic\": \"All welcome\"}", 200);
  wait_for_room_message (bob_lobby, CONFAB_MSG_ROOM_UPDATED, open_room);
  g_assert_null (find_room_message (bob_lobby, CONFAB_MSG_ROOM_UPDATED, secret));
  g_assert_null (find_room_message (bob_lobby, CONFAB_MSG_ROOM_HIDDEN, secret));

  /* An invite lets Bob see the room, join it and get its token. */
  invite = create_invite (server, ada, secret, NULL, &code);
  cfs_test_ws_clear_queue (bob_lobby);
  accepted = accept_invite (server, bob, code, secret, 200);
  g_assert_cmpint (json_object_get_int_member (cfs_test_get_object (accepted), "id"), ==, secret);
  g_assert_true (json_object_get_boolean_member (cfs_test_get_object (accepted), "private"));
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (accepted), "role"), ==, CONFAB_ROLE_MEMBER);
  wait_for_room_message (bob_lobby, CONFAB_MSG_ROOM_UPDATED, secret);
  g_assert_true (lists_room (server, bob, secret));
  state = send_join (bob_ws, secret);
  g_assert_cmpstr (json_object_get_string_member (state, "type"), ==, CONFAB_MSG_ROOM_STATE);
  assert_status (server, "POST", token_path, bob, NULL, 200);

  /* Carol still sees nothing of it, until she is made a moderator. */
  g_assert_false (lists_room (server, carol, secret));
  g_assert_null (find_room_message (carol_lobby, CONFAB_MSG_ROOM_UPDATED, secret));
  {
    g_autofree char *grant = g_strdup_printf ("%s/moderators/%" G_GINT64_FORMAT, secret_path, carol_id);

    assert_status (server, "PUT", grant, ada, NULL, 204);
    wait_for_room_message (carol_lobby, CONFAB_MSG_ROOM_UPDATED, secret);
    g_assert_true (lists_room (server, carol, secret));
    cfs_test_ws_clear_queue (carol_lobby);
    assert_status (server, "DELETE", grant, ada, NULL, 204);
    wait_for_room_message (carol_lobby, CONFAB_MSG_ROOM_HIDDEN, secret);
    g_assert_false (lists_room (server, carol, secret));
  }

  /* The open room turns private: the lobbies of Bob and Carol drop it. */
  cfs_test_ws_clear_queue (bob_lobby);
  cfs_test_ws_clear_queue (carol_lobby);
  assert_status (server, "PATCH", open_path, ada, "{\"private\": true}", 200);
  wait_for_room_message (carol_lobby, CONFAB_MSG_ROOM_HIDDEN, open_room);
  wait_for_room_message (bob_lobby, CONFAB_MSG_ROOM_HIDDEN, open_room);
  wait_for_room_message (ada_lobby, CONFAB_MSG_ROOM_UPDATED, open_room);
  g_assert_null (find_room_message (ada_lobby, CONFAB_MSG_ROOM_HIDDEN, open_room));
  g_assert_false (lists_room (server, carol, open_room));

  /* Revoking Bob's access hides the room from him again; it lists whom. */
  {
    g_autoptr(JsonNode) access = NULL;
    JsonObject *entry;

    access_path = g_strdup_printf ("%s/access", secret_path);
    access = request_expect (server, "GET", access_path, ada, NULL, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cfs_test_get_object (access), "access")), ==, 1);
    entry = json_array_get_object_element (json_object_get_array_member (cfs_test_get_object (access), "access"), 0);
    bob_id = json_object_get_int_member (json_object_get_object_member (entry, "user"), "id");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "user"), "name"), ==, "Bob");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "invited_by"), "name"), ==, "Ada");
    assert_refused (server, "GET", access_path, bob, NULL, 403, CONFAB_ERR_FORBIDDEN);
  }

  cfs_test_ws_clear_queue (bob_lobby);
  {
    g_autofree char *revoke_path = g_strdup_printf ("%s/%" G_GINT64_FORMAT, access_path, bob_id);

    assert_status (server, "DELETE", revoke_path, ada, NULL, 204);
  }
  wait_for_room_message (bob_lobby, CONFAB_MSG_ROOM_HIDDEN, secret);
  g_assert_false (lists_room (server, bob, secret));
  assert_refused (server, "GET", secret_path, bob, NULL, 404, CONFAB_ERR_NOT_FOUND);

  /* Deleting the private room reaches its hosts, not Bob. roomDeleted is
   * sent at once, so once Bob has that of a later public room, he would
   * have had that of the private one before it.
   */
  {
    gint64 later = create_room (server, ada, "Later", FALSE);
    g_autofree char *later_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, later);

    cfs_test_ws_clear_queue (bob_lobby);
    assert_status (server, "DELETE", secret_path, ada, NULL, 204);
    wait_for_room_message (ada_lobby, CONFAB_MSG_ROOM_DELETED, secret);
    assert_status (server, "DELETE", later_path, ada, NULL, 204);
    wait_for_room_message (bob_lobby, CONFAB_MSG_ROOM_DELETED, later);
    wait_for_room_message (carol_lobby, CONFAB_MSG_ROOM_DELETED, later);
    g_assert_null (find_room_message (bob_lobby, CONFAB_MSG_ROOM_DELETED, secret));
    g_assert_null (find_room_message (carol_lobby, CONFAB_MSG_ROOM_DELETED, secret));
  }

  assert_clean_log (server);
}

static void
test_invite_codes (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autofree char *bob = cfs_test_register (server, "Bob", "bob@example.org", NULL);
  g_autofree char *carol = cfs_test_register (server, "Carol", "carol@example.org", NULL);
  gint64 secret = create_room (server, ada, "Secret", TRUE);
  gint64 other = create_room (server, ada, "Other", TRUE);
  gint64 open_room = create_room (server, ada, "Open", FALSE);
  g_autofree char *invites_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/invites", secret);
  g_autoptr(JsonNode) invite = NULL;
  g_autoptr(JsonNode) timed = NULL;
  g_autoptr(JsonNode) public_invite = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) accepted = NULL;
  g_autofree char *code = NULL;
  g_autofree char *timed_code = NULL;
  g_autofree char *expected_url = NULL;
  g_autofree char *expected_web_url = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *code_hash = NULL;
  g_autofree char *expire_sql = NULL;
  g_autofree char *upper_code = NULL;
  JsonObject *object;
  JsonArray *invites;
  gint64 before = now_seconds ();

  /* Defaults: one use, a week. */
  invite = create_invite (server, ada, secret, NULL, &code);
  object = cfs_test_get_object (invite);
  g_assert_cmpuint (strlen (code), ==, 32);
  for (const char *p = code; *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
  expected_url = g_strdup_printf ("confab://join/%s/%" G_GINT64_FORMAT "?invite=%s",
                                  get_authority (server), secret, code);
  expected_web_url = g_strdup_printf ("%s/join/%" G_GINT64_FORMAT "?invite=%s",
                                      cfs_test_server_get_url (server), secret, code);
  g_assert_cmpstr (json_object_get_string_member (object, "url"), ==, expected_url);
  g_assert_cmpstr (json_object_get_string_member (object, "web_url"), ==, expected_web_url);
  g_assert_cmpint (json_object_get_int_member (object, "max_uses"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "room_id"), ==, secret);
  g_assert_cmpint (json_object_get_int_member (object, "expires_at"), >=, before + CONFAB_INVITE_TTL_DEFAULT);
  g_assert_cmpint (json_object_get_int_member (object, "expires_at"), <=, now_seconds () + CONFAB_INVITE_TTL_DEFAULT);
  g_assert_true (json_object_get_null_member (object, "emailed_to"));

  /* Only hosts make invites; the uninvited do not even see the room. */
  assert_refused (server, "POST", invites_path, bob, NULL, 404, CONFAB_ERR_NOT_FOUND);
  assert_refused (server, "POST", invites_path, ada, "{\"expires_in\": 10}", 400, CONFAB_ERR_INVALID_FIELD);
  assert_refused (server, "POST", invites_path, ada, "{\"max_uses\": 0}", 400, CONFAB_ERR_INVALID_FIELD);
  assert_refused (server, "POST", invites_path, ada, "{\"max_uses\": \"many\"}", 400, CONFAB_ERR_INVALID_FIELD);

  /* Only the code's hash is stored. */
  dump = dump_invites_table (server);
  code_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, code, -1);
  g_assert_null (strstr (dump, code));
  g_assert_nonnull (strstr (dump, code_hash));

  /* The wrong room, an unknown code and a malformed code. */
  {
    g_autoptr(JsonNode) wrong = accept_invite (server, bob, code, other, 409);
    g_autoptr(JsonNode) unknown = accept_invite (server, bob, "00000000000000000000000000000000", 0, 404);
    g_autoptr(JsonNode) malformed = accept_invite (server, bob, "not-a-code", 0, 404);

    g_assert_nonnull (strstr (cfs_test_assert_error (wrong, CONFAB_ERR_INVITE_WRONG_ROOM), "room"));
    cfs_test_assert_error (unknown, CONFAB_ERR_NOT_FOUND);
    cfs_test_assert_error (malformed, CONFAB_ERR_NOT_FOUND);
  }

  /* Single use: Bob's acceptance counts, Bob may repeat it, Carol is late.
   * Codes are not case-sensitive.
   */
  upper_code = g_ascii_strup (code, -1);
  accepted = accept_invite (server, bob, upper_code, secret, 200);
  g_assert_cmpint (json_object_get_int_member (cfs_test_get_object (accepted), "id"), ==, secret);
  again = accept_invite (server, bob, code, 0, 200);
  {
    g_autoptr(JsonNode) used = accept_invite (server, carol, code, secret, 410);

    g_assert_nonnull (strstr (cfs_test_assert_error (used, CONFAB_ERR_INVITE_USED), "new one"));
  }
  g_assert_true (lists_room (server, bob, secret));
  g_assert_false (lists_room (server, carol, secret));

  /* Expiry: an invite for many, whose time ran out. */
  timed = create_invite (server, ada, secret, "{\"expires_in\": 3600, \"max_uses\": 5}", &timed_code);
  g_assert_cmpint (json_object_get_int_member (cfs_test_get_object (timed), "max_uses"), ==, 5);
  list = request_expect (server, "GET", invites_path, ada, NULL, 200);
  invites = json_object_get_array_member (cfs_test_get_object (list), "invites");
  g_assert_cmpuint (json_array_get_length (invites), ==, 1);
  object = json_array_get_object_element (invites, 0);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, json_object_get_int_member (cfs_test_get_object (timed), "id"));
  g_assert_cmpint (json_object_get_int_member (object, "uses"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "max_uses"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "created_by"), "name"), ==, "Ada");
  g_assert_false (json_object_has_member (object, "code"));

  expire_sql = g_strdup_printf ("UPDATE invites SET expires_at = %" G_GINT64_FORMAT " WHERE code_hash = '%s'",
                                now_seconds () - 1,
                                g_compute_checksum_for_string (G_CHECKSUM_SHA256, timed_code, -1));
  exec_on_database (server, expire_sql);
  {
    g_autoptr(JsonNode) expired = accept_invite (server, carol, timed_code, secret, 410);

    g_assert_nonnull (strstr (cfs_test_assert_error (expired, CONFAB_ERR_INVITE_EXPIRED), "expired at"));
  }
  g_assert_false (lists_room (server, carol, secret));

  /* A deleted invite stops working. */
  {
    g_autofree char *spare_code = NULL;
    g_autoptr(JsonNode) spare = create_invite (server, ada, secret, "{\"max_uses\": 2}", &spare_code);
    g_autofree char *delete_path = g_strdup_printf ("%s/%" G_GINT64_FORMAT, invites_path,
                                                    json_object_get_int_member (cfs_test_get_object (spare), "id"));
    g_autoptr(JsonNode) gone = NULL;

    assert_status (server, "DELETE", delete_path, ada, NULL, 204);
    assert_refused (server, "DELETE", delete_path, ada, NULL, 404, CONFAB_ERR_NOT_FOUND);
    gone = accept_invite (server, carol, spare_code, secret, 404);
  }

  /* A public room's link needs no code. */
  public_invite = create_invite (server, ada, open_room, NULL, NULL);
  object = cfs_test_get_object (public_invite);
  g_assert_true (json_object_get_null_member (object, "code"));
  g_assert_true (json_object_get_null_member (object, "expires_at"));
  {
    g_autofree char *public_url = g_strdup_printf ("confab://join/%s/%" G_GINT64_FORMAT,
                                                   get_authority (server), open_room);

    g_assert_cmpstr (json_object_get_string_member (object, "url"), ==, public_url);
  }

  assert_clean_log (server);
}

static void
test_join_page (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autofree char *bob = cfs_test_register (server, "Bob", "bob@example.org", NULL);
  gint64 secret = create_room (server, ada, "Secret Plans", TRUE);
  g_autoptr(JsonNode) invite = NULL;
  g_autoptr(JsonNode) accepted = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *code = NULL;
  g_autofree char *path = NULL;
  g_autofree char *page = NULL;
  g_autofree char *hostile_page = NULL;
  g_autofree char *link = NULL;
  const char *log;
  guint status = 0;

  invite = create_invite (server, ada, secret, NULL, &code);
  path = g_strdup_printf ("/join/%" G_GINT64_FORMAT "?invite=%s", secret, code);
  page = fetch_text (server, path, NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (headers, NULL), "text/html"));
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Referrer-Policy"), ==, "no-referrer");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Cache-Control"), ==, "no-store");

  /* The page carries the link to open in Confab and names no room. */
  link = g_strdup_printf ("confab://join/%s/%" G_GINT64_FORMAT "?invite=%s", get_authority (server), secret, code);
  g_assert_nonnull (strstr (page, link));
  g_assert_nonnull (strstr (page, "Confab"));
  g_assert_null (strstr (page, "Secret Plans"));

  /* Anything else in the query stays out of the page. */
  {
    g_autofree char *hostile = g_strdup_printf ("/join/%" G_GINT64_FORMAT "?invite=%%3Cscript%%3E", secret);
    g_autofree char *plain_link = g_strdup_printf ("confab://join/%s/%" G_GINT64_FORMAT "\"",
                                                   get_authority (server), secret);

    hostile_page = fetch_text (server, hostile, NULL, &status, NULL);
    g_assert_cmpuint (status, ==, 200);
    g_assert_null (strstr (hostile_page, "<script"));
    g_assert_nonnull (strstr (hostile_page, plain_link));
  }

  accepted = accept_invite (server, bob, code, secret, 200);

  /* Neither the page request nor the acceptance logged the code. */
  cfs_test_server_stop (server);
  log = cfs_test_server_get_log (server);
  g_assert_nonnull (strstr (log, "accepted invite"));
  g_assert_null (strstr (log, code));
}

static void
test_public_url_links (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start ("[server]\npublic_url=" PUBLIC_URL "\n");
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  gint64 secret = create_room (server, ada, "Secret", TRUE);
  g_autofree char *code = NULL;
  g_autoptr(JsonNode) invite = create_invite (server, ada, secret, NULL, &code);
  g_autofree char *url = g_strdup_printf ("confab://join/confab.example.org/%" G_GINT64_FORMAT "?invite=%s",
                                          secret, code);
  g_autofree char *web_url = g_strdup_printf (PUBLIC_URL "/join/%" G_GINT64_FORMAT "?invite=%s", secret, code);

  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (invite), "url"), ==, url);
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (invite), "web_url"), ==, web_url);
}

static void
test_ban_list_and_lift (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  gint64 ada_id = 0;
  gint64 bob_id = 0;
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", &ada_id);
  g_autofree char *bob = cfs_test_register (server, "Bob", "bob@example.org", &bob_id);
  gint64 room = create_room (server, ada, "Room", FALSE);
  g_autofree char *bans_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/bans", room);
  g_autofree char *ban_path = g_strdup_printf ("%s/%" G_GINT64_FORMAT, bans_path, bob_id);
  g_autofree char *token_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/token", room);
  g_autoptr(SoupWebsocketConnection) bob_ws = cfs_test_ws_connect (server, bob);
  g_autoptr(JsonObject) state = send_join (bob_ws, room);
  g_autoptr(JsonObject) kicked = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) rejoined = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) empty = NULL;
  JsonObject *ban;
  gint64 before = now_seconds ();

  g_assert_cmpstr (json_object_get_string_member (state, "type"), ==, CONFAB_MSG_ROOM_STATE);

  assert_status (server, "PUT", ban_path, ada, "{\"duration\": 3600, \"reason\": \"spam\"}", 204);
  kicked = cfs_test_ws_request (bob_ws, NULL, CONFAB_MSG_KICKED);
  g_assert_nonnull (json_object_get_object_member (kicked, "ban"));

  /* The list says who, by whom, why, since and until when. */
  list = request_expect (server, "GET", bans_path, ada, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cfs_test_get_object (list), "bans")), ==, 1);
  ban = json_array_get_object_element (json_object_get_array_member (cfs_test_get_object (list), "bans"), 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (ban, "user"), "id"), ==, bob_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (ban, "user"), "name"), ==, "Bob");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (ban, "by"), "id"), ==, ada_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (ban, "by"), "name"), ==, "Ada");
  g_assert_cmpstr (json_object_get_string_member (ban, "reason"), ==, "spam");
  g_assert_cmpint (json_object_get_int_member (ban, "created_at"), >=, before);
  g_assert_cmpint (json_object_get_int_member (ban, "until"), >=, before + 3600);
  g_assert_cmpint (json_object_get_int_member (ban, "until"), <=, now_seconds () + 3600);
  assert_refused (server, "GET", bans_path, bob, NULL, 403, CONFAB_ERR_FORBIDDEN);

  refused = send_join (bob_ws, room);
  g_assert_cmpstr (json_object_get_string_member (refused, "code"), ==, CONFAB_ERR_BANNED);
  assert_refused (server, "POST", token_path, bob, NULL, 403, CONFAB_ERR_BANNED);

  /* Lifted: the list is empty and Bob takes a seat again. */
  assert_status (server, "DELETE", ban_path, ada, NULL, 204);
  empty = request_expect (server, "GET", bans_path, ada, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cfs_test_get_object (empty), "bans")), ==, 0);
  rejoined = send_join (bob_ws, room);
  g_assert_cmpstr (json_object_get_string_member (rejoined, "type"), ==, CONFAB_MSG_ROOM_STATE);
  assert_status (server, "POST", token_path, bob, NULL, 200);

  assert_clean_log (server);
}

/* Returns the user ids of GET /api/v1/rooms/{id}/moderators as @token. */
static GArray *
list_moderator_ids (CfsTestServer *server,
                    const char    *token,
                    gint64         room_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/moderators", room_id);
  g_autoptr(JsonNode) response = request_expect (server, "GET", path, token, NULL, 200);
  JsonArray *moderators = json_object_get_array_member (cfs_test_get_object (response), "moderators");
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < json_array_get_length (moderators); i++)
    {
      JsonObject *user = json_object_get_object_member (json_array_get_object_element (moderators, i), "user");
      gint64 id = json_object_get_int_member (user, "id");

      g_array_append_val (ids, id);
    }

  return ids;
}

static void
test_moderator_list (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  gint64 ada_id = 0;
  gint64 bob_id = 0;
  gint64 carol_id = 0;
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", &ada_id);
  g_autofree char *bob = cfs_test_register (server, "Bob", "bob@example.org", &bob_id);
  g_autofree char *carol = cfs_test_register (server, "Carol", "carol@example.org", &carol_id);
  g_autofree char *dave = cfs_test_register (server, "Dave", "dave@example.org", NULL);
  gint64 room = create_room (server, ada, "Room", FALSE);
  gint64 other_room = create_room (server, ada, "Other", FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/moderators", room);
  g_autofree char *grant_bob = g_strdup_printf ("%s/%" G_GINT64_FORMAT, path, bob_id);
  g_autofree char *grant_carol = g_strdup_printf ("%s/%" G_GINT64_FORMAT, path, carol_id);
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) granted = NULL;
  g_autoptr(GArray) revoked = NULL;
  g_autoptr(GArray) other = NULL;
  g_autoptr(JsonNode) listed = NULL;
  JsonObject *first;
  gint64 start = now_seconds ();

  /* The owner is not a granted moderator. */
  before = list_moderator_ids (server, ada, room);
  g_assert_cmpuint (before->len, ==, 0);

  assert_status (server, "PUT", grant_bob, ada, NULL, 204);
  assert_status (server, "PUT", grant_carol, ada, NULL, 204);
  granted = list_moderator_ids (server, ada, room);
  g_assert_cmpuint (granted->len, ==, 2);
  g_assert_cmpint (g_array_index (granted, gint64, 0), ==, bob_id);
  g_assert_cmpint (g_array_index (granted, gint64, 1), ==, carol_id);

  /* Each entry names the user, who granted the role, and when. */
  listed = request_expect (server, "GET", path, bob, NULL, 200);
  first = json_array_get_object_element (json_object_get_array_member (cfs_test_get_object (listed), "moderators"), 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "user"), "name"), ==, "Bob");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (first, "granted_by"), "id"), ==, ada_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "granted_by"), "name"), ==, "Ada");
  g_assert_cmpint (json_object_get_int_member (first, "granted_at"), >=, start);
  g_assert_cmpint (json_object_get_int_member (first, "granted_at"), <=, now_seconds ());

  /* Grants are per room. */
  other = list_moderator_ids (server, ada, other_room);
  g_assert_cmpuint (other->len, ==, 0);

  assert_status (server, "DELETE", grant_bob, ada, NULL, 204);
  revoked = list_moderator_ids (server, carol, room);
  g_assert_cmpuint (revoked->len, ==, 1);
  g_assert_cmpint (g_array_index (revoked, gint64, 0), ==, carol_id);

  /* Only hosts may list them, and an unknown room is not found. */
  assert_refused (server, "GET", path, dave, NULL, 403, CONFAB_ERR_FORBIDDEN);
  assert_refused (server, "GET", path, bob, NULL, 403, CONFAB_ERR_FORBIDDEN);
  assert_refused (server, "GET", "/api/v1/rooms/999/moderators", ada, NULL, 404, CONFAB_ERR_NOT_FOUND);
  assert_refused (server, "GET", path, NULL, NULL, 401, CONFAB_ERR_UNAUTHORIZED);

  assert_clean_log (server);
}

static void
test_hosted_rooms (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  gint64 bob_id = 0;
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autofree char *bob = cfs_test_register (server, "Bob", "bob@example.org", &bob_id);
  g_autofree char *carol = cfs_test_register (server, "Carol", "carol@example.org", NULL);
  gint64 ada_room = create_room (server, ada, "Ada's", FALSE);
  gint64 bob_room = create_room (server, bob, "Bob's", FALSE);
  gint64 ada_other = create_room (server, ada, "Ada's other", TRUE);
  g_autofree char *grant = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/moderators/%" G_GINT64_FORMAT,
                                            ada_room, bob_id);
  g_autoptr(JsonNode) bob_list = NULL;
  g_autoptr(JsonNode) carol_list = NULL;
  g_autoptr(JsonNode) ada_list = NULL;
  JsonArray *rooms;

  assert_status (server, "PUT", grant, ada, NULL, 204);

  bob_list = request_expect (server, "GET", "/api/v1/me/rooms", bob, NULL, 200);
  rooms = json_object_get_array_member (cfs_test_get_object (bob_list), "rooms");
  g_assert_cmpuint (json_array_get_length (rooms), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rooms, 0), "id"), ==, ada_room);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rooms, 0), "role"), ==,
                   CONFAB_ROLE_MODERATOR);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rooms, 1), "id"), ==, bob_room);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rooms, 1), "role"), ==,
                   CONFAB_ROLE_OWNER);

  ada_list = request_expect (server, "GET", "/api/v1/me/rooms", ada, NULL, 200);
  rooms = json_object_get_array_member (cfs_test_get_object (ada_list), "rooms");
  g_assert_cmpuint (json_array_get_length (rooms), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rooms, 1), "id"), ==, ada_other);

  carol_list = request_expect (server, "GET", "/api/v1/me/rooms", carol, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cfs_test_get_object (carol_list), "rooms")), ==, 0);
}

static void
test_admin_users (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start ("[accounts]\nregistration=closed\n");
  const char *create_admin[] = { "--create-user", "root@example.org", "--name", "Root", "--admin", NULL };
  g_autofree char *output = NULL;
  g_autofree char *root = NULL;
  g_autofree char *bob = NULL;
  g_autofree char *bob_path = NULL;
  g_autofree char *root_path = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) first_page = NULL;
  g_autoptr(JsonNode) second_page = NULL;
  g_autoptr(JsonNode) disabled = NULL;
  g_autoptr(JsonNode) promoted = NULL;
  g_autoptr(SoupWebsocketConnection) bob_ws = NULL;
  g_autofree char *second_path = NULL;
  JsonArray *users;
  gint64 root_id;
  gint64 bob_id;

  g_assert_cmpint (cfs_test_server_run_command (server, create_admin, "root password 123\n", &output), ==, 0);
  root = login (server, "root@example.org", "root password 123");

  /* Registration is closed: the admin creates the account. */
  created = request_expect (server, "POST", "/api/v1/users", root,
                            "{\"name\": \"Bob\", \"email\": \"bob@example.org\", \"password\": \"bob password\"}",
                            201);
  bob_id = json_object_get_int_member (cfs_test_get_object (created), "id");
  bob = login (server, "bob@example.org", "bob password");

  /* Paged by id. */
  first_page = request_expect (server, "GET", "/api/v1/users?limit=1", root, NULL, 200);
  users = json_object_get_array_member (cfs_test_get_object (first_page), "users");
  g_assert_cmpuint (json_array_get_length (users), ==, 1);
  root_id = json_object_get_int_member (json_array_get_object_element (users, 0), "id");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (users, 0), "email"), ==,
                   "root@example.org");
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (users, 0), "is_admin"));
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (users, 0), "disabled"));
  g_assert_cmpint (json_object_get_int_member (cfs_test_get_object (first_page), "next_after"), ==, root_id);
  second_path = g_strdup_printf ("/api/v1/users?limit=1&after=%" G_GINT64_FORMAT, root_id);
  second_page = request_expect (server, "GET", second_path, root, NULL, 200);
  users = json_object_get_array_member (cfs_test_get_object (second_page), "users");
  g_assert_cmpuint (json_array_get_length (users), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (users, 0), "id"), ==, bob_id);
  g_assert_true (json_object_get_null_member (cfs_test_get_object (second_page), "next_after"));
  assert_refused (server, "GET", "/api/v1/users?limit=0", root, NULL, 400, CONFAB_ERR_INVALID_FIELD);
  assert_refused (server, "GET", "/api/v1/users", bob, NULL, 403, CONFAB_ERR_FORBIDDEN);

  /* Disabling ends Bob's sessions at once. */
  bob_path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, bob_id);
  root_path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, root_id);
  assert_refused (server, "PATCH", bob_path, bob, "{\"disabled\": true}", 403, CONFAB_ERR_FORBIDDEN);
  assert_refused (server, "PATCH", bob_path, root, "{\"disabled\": \"yes\"}", 400, CONFAB_ERR_INVALID_FIELD);
  assert_refused (server, "PATCH", "/api/v1/users/999", root, "{\"disabled\": true}", 404, CONFAB_ERR_NOT_FOUND);
  assert_refused (server, "PATCH", root_path, root, "{\"disabled\": true}", 400, CONFAB_ERR_INVALID_FIELD);
  assert_refused (server, "PATCH", root_path, root, "{\"is_admin\": false}", 400, CONFAB_ERR_INVALID_FIELD);

  bob_ws = cfs_test_ws_connect (server, bob);
  disabled = request_expect (server, "PATCH", bob_path, root, "{\"disabled\": true}", 200);
  g_assert_true (json_object_get_boolean_member (cfs_test_get_object (disabled), "disabled"));
  g_assert_cmpuint (cfs_test_ws_wait_for_close (bob_ws), ==, CONFAB_CLOSE_SESSION_ENDED);
  g_assert_cmpstr (soup_websocket_connection_get_close_data (bob_ws), ==, CONFAB_SESSION_END_DISABLED);
  assert_refused (server, "GET", "/api/v1/me", bob, NULL, 401, CONFAB_ERR_UNAUTHORIZED);
  /* A wrong password reveals nothing about the account, and only the right
   * one learns that it is disabled. The right ones do not count as failed
   * logins: if they did, the last one would exceed the limit and get 429.
   */
  assert_refused (server, "POST", "/api/v1/auth/login", NULL,
                  "{\"email\": \"bob@example.org\", \"password\": \"not bob's password\"}",
                  401, CONFAB_ERR_INVALID_CREDENTIALS);
  for (guint i = 0; i < CFS_AUTH_MAX_FAILURES_PER_ACCOUNT; i++)
    assert_refused (server, "POST", "/api/v1/auth/login", NULL,
                    "{\"email\": \"bob@example.org\", \"password\": \"bob password\"}",
                    403, CONFAB_ERR_ACCOUNT_DISABLED);

  /* Enabled again, Bob signs in; the old session stays ended. */
  assert_status (server, "PATCH", bob_path, root, "{\"disabled\": false}", 200);
  assert_refused (server, "GET", "/api/v1/me", bob, NULL, 401, CONFAB_ERR_UNAUTHORIZED);
  g_free (bob);
  bob = login (server, "bob@example.org", "bob password");

  promoted = request_expect (server, "PATCH", bob_path, root, "{\"is_admin\": true}", 200);
  g_assert_true (json_object_get_boolean_member (cfs_test_get_object (promoted), "is_admin"));
  assert_status (server, "GET", "/api/v1/users", bob, NULL, 200);

  assert_clean_log (server);
}

static void
test_logout_all (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  g_autofree char *first = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autofree char *second = login (server, "ada@example.org", "password-Ada");
  g_autofree char *bob = cfs_test_register (server, "Bob", "bob@example.org", NULL);
  g_autoptr(SoupWebsocketConnection) first_ws = cfs_test_ws_connect (server, first);
  g_autoptr(SoupWebsocketConnection) second_ws = cfs_test_ws_connect (server, second);
  g_autoptr(SoupWebsocketConnection) bob_ws = cfs_test_ws_connect (server, bob);
  g_autoptr(JsonObject) pong = NULL;

  assert_status (server, "POST", "/api/v1/auth/logout-all", first, NULL, 204);

  g_assert_cmpuint (cfs_test_ws_wait_for_close (first_ws), ==, CONFAB_CLOSE_SESSION_ENDED);
  g_assert_cmpuint (cfs_test_ws_wait_for_close (second_ws), ==, CONFAB_CLOSE_SESSION_ENDED);
  g_assert_cmpstr (soup_websocket_connection_get_close_data (second_ws), ==, CONFAB_SESSION_END_EVERYWHERE);
  assert_refused (server, "GET", "/api/v1/me", first, NULL, 401, CONFAB_ERR_UNAUTHORIZED);
  assert_refused (server, "GET", "/api/v1/me", second, NULL, 401, CONFAB_ERR_UNAUTHORIZED);

  /* Other users stay signed in. */
  assert_status (server, "GET", "/api/v1/me", bob, NULL, 200);
  pong = cfs_test_ws_request (bob_ws, "{\"type\": \"ping\"}", CONFAB_MSG_PONG);
}

static void
test_password_change_ends_other_sessions (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  g_autofree char *current = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autofree char *other = login (server, "ada@example.org", "password-Ada");
  g_autoptr(SoupWebsocketConnection) current_ws = cfs_test_ws_connect (server, current);
  g_autoptr(SoupWebsocketConnection) other_ws = cfs_test_ws_connect (server, other);
  g_autoptr(JsonObject) pong = NULL;

  /* The current password is required and checked. */
  assert_refused (server, "POST", "/api/v1/me/password", current,
                  "{\"new_password\": \"new password 1\"}", 400, CONFAB_ERR_INVALID_FIELD);
  assert_refused (server, "POST", "/api/v1/me/password", current,
                  "{\"current_password\": \"not it\", \"new_password\": \"new password 1\"}",
                  403, CONFAB_ERR_INVALID_CREDENTIALS);
  g_assert_cmpint (soup_websocket_connection_get_state (other_ws), ==, SOUP_WEBSOCKET_STATE_OPEN);

  assert_status (server, "POST", "/api/v1/me/password", current,
                 "{\"current_password\": \"password-Ada\", \"new_password\": \"new password 1\"}", 204);

  g_assert_cmpuint (cfs_test_ws_wait_for_close (other_ws), ==, CONFAB_CLOSE_SESSION_ENDED);
  g_assert_cmpstr (soup_websocket_connection_get_close_data (other_ws), ==, CONFAB_SESSION_END_PASSWORD);
  assert_refused (server, "GET", "/api/v1/me", other, NULL, 401, CONFAB_ERR_UNAUTHORIZED);

  /* The session that made the change goes on, WebSocket included. */
  pong = cfs_test_ws_request (current_ws, "{\"type\": \"ping\"}", CONFAB_MSG_PONG);
  g_assert_cmpint (soup_websocket_connection_get_state (current_ws), ==, SOUP_WEBSOCKET_STATE_OPEN);
  assert_status (server, "GET", "/api/v1/me", current, NULL, 200);
}

/* Email invites. */

/* Returns the header value of @name in @mail's data, unfolded. */
static char *
get_mail_header (const char *data,
                 const char *name)
{
  g_autofree char *prefix = g_strdup_printf ("\r\n%s:", name);
  g_autofree char *text = g_strconcat ("\r\n", data, NULL);
  const char *start = strstr (text, prefix);
  g_autoptr(GString) value = g_string_new (NULL);

  if (start == NULL)
    return NULL;

  start += strlen (prefix);
  for (;;)
    {
      const char *end = strstr (start, "\r\n");

      g_string_append_len (value, start, end - start);
      if (end[2] != ' ' && end[2] != '\t')
        break;
      start = end + 2;
    }

  return g_strstrip (g_string_free (g_steal_pointer (&value), FALSE));
}

/* Decodes a header of RFC 2047 "B" encoded words in UTF-8. */
static char *
decode_words (const char *header)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) words = g_strsplit_set (header, " \t\r\n", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize length = 0;
      g_autofree char *payload = NULL;
      g_autofree guchar *decoded = NULL;

      if (words[i][0] == '\0')
        continue;
      g_assert_true (g_str_has_prefix (words[i], "=?UTF-8?B?"));
      g_assert_true (g_str_has_suffix (words[i], "?="));
      payload = g_strndup (words[i] + 10, strlen (words[i]) - 12);
      decoded = g_base64_decode (payload, &length);
      g_string_append_len (text, (const char *) decoded, length);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
make_smtp_config (guint16     port,
                  const char *extra)
{
  return g_strdup_printf ("[server]\npublic_url=" PUBLIC_URL "\n"
                          "[smtp]\nhost=127.0.0.1\nport=%u\nfrom=" SMTP_FROM "\n%s",
                          port, extra != NULL ? extra : "starttls=false\n");
}

static void
test_email_invite_plain (void)
{
  g_autoptr(CfsTestSmtpSink) sink = cfs_test_smtp_sink_start (NULL, NULL);
  g_autofree char *config = make_smtp_config (cfs_test_smtp_sink_get_port (sink), NULL);
  g_autoptr(CfsTestServer) server = cfs_test_server_start (config);
  g_autofree char *ada = cfs_test_register (server, "Ada Lovelace", "ada@example.org", NULL);
  gint64 secret = create_room (server, ada, "Café “Été” and a long name that needs several encoded words", TRUE);
  gint64 open_room = create_room (server, ada, "Open", FALSE);
  g_autofree char *invites_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/invites", secret);
  g_autoptr(JsonNode) info = request_expect (server, "GET", "/api/v1/server", NULL, NULL, 200);
  g_autoptr(JsonNode) invite = NULL;
  g_autoptr(JsonNode) public_invite = NULL;
  g_autoptr(CfsTestMail) mail = NULL;
  g_autoptr(CfsTestMail) public_mail = NULL;
  g_autofree char *code = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  g_autofree char *to = NULL;
  g_autofree char *from = NULL;
  g_autofree char *link = NULL;
  g_autofree char *public_body = NULL;

  g_assert_true (json_object_get_boolean_member (cfs_test_get_object (info), "email_invites"));
  wait_for_log (server, "Email invites go through the SMTP server 127.0.0.1");

  /* The address is one plain address. */
  assert_refused (server, "POST", invites_path, ada, "{\"email\": \"bob@example.org>, eve@example.org\"}",
                  400, CONFAB_ERR_INVALID_FIELD);
  assert_refused (server, "POST", invites_path, ada, "{\"email\": \"not an address\"}",
                  400, CONFAB_ERR_INVALID_FIELD);
  g_assert_cmpuint (cfs_test_smtp_sink_count (sink), ==, 0);

  invite = create_invite (server, ada, secret, "{\"email\": \"bob@example.org\"}", &code);
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (invite), "emailed_to"), ==, "bob@example.org");
  g_assert_true (cfs_test_smtp_sink_wait (sink, 1, WAIT_MS));

  mail = cfs_test_smtp_sink_get_mail (sink, 0);
  g_assert_cmpstr (mail->mail_from, ==, "invites@confab.example.org");
  g_assert_cmpstr (mail->rcpt_to, ==, "bob@example.org");
  g_assert_false (mail->tls);
  g_assert_null (mail->auth);

  from = get_mail_header (mail->data, "From");
  to = get_mail_header (mail->data, "To");
  subject = decode_words (get_mail_header (mail->data, "Subject"));
  g_assert_cmpstr (from, ==, SMTP_FROM);
  g_assert_cmpstr (to, ==, "<bob@example.org>");
  g_assert_cmpstr (subject, ==,
                   "Invitation to “Café “Été” and a long name that needs several encoded words” on Confab");
  g_assert_nonnull (get_mail_header (mail->data, "Date"));
  g_assert_nonnull (get_mail_header (mail->data, "Message-ID"));

  body = cfs_test_mail_dup_body (mail);
  link = g_strdup_printf ("confab://join/confab.example.org/%" G_GINT64_FORMAT "?invite=%s", secret, code);
  g_assert_nonnull (strstr (body, link));
  g_assert_nonnull (strstr (body, PUBLIC_URL "/join/"));
  g_assert_nonnull (strstr (body, "Ada Lovelace invites you"));
  g_assert_nonnull (strstr (body, "works once"));

  /* A public room's mail has the plain link. */
  public_invite = create_invite (server, ada, open_room, "{\"email\": \"carol@example.org\"}", NULL);
  g_assert_true (cfs_test_smtp_sink_wait (sink, 2, WAIT_MS));
  public_mail = cfs_test_smtp_sink_get_mail (sink, 1);
  public_body = cfs_test_mail_dup_body (public_mail);
  {
    g_autofree char *public_link = g_strdup_printf ("confab://join/confab.example.org/%" G_GINT64_FORMAT "\n",
                                                    open_room);

    g_assert_nonnull (strstr (public_body, public_link));
  }

  cfs_test_server_stop (server);
  g_assert_null (strstr (cfs_test_server_get_log (server), code));
  assert_clean_log (server);
}

static void
test_email_invites_rate_limited (void)
{
  g_autoptr(CfsTestSmtpSink) sink = cfs_test_smtp_sink_start (NULL, NULL);
  g_autofree char *config = make_smtp_config (cfs_test_smtp_sink_get_port (sink), NULL);
  g_autoptr(CfsTestServer) server = cfs_test_server_start (config);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autofree char *bob = cfs_test_register (server, "Bob", "bob@example.org", NULL);
  gint64 room = create_room (server, ada, "Open", FALSE);
  gint64 bob_room = create_room (server, bob, "Bob's", FALSE);
  g_autofree char *invites_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/invites", room);
  g_autofree char *bob_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/invites", bob_room);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) limited = NULL;
  guint status = 0;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"email\": \"guest%u@example.org\"}", i);

      assert_status (server, "POST", invites_path, ada, body, 201);
    }
  g_assert_true (cfs_test_smtp_sink_wait (sink, 20, WAIT_MS));

  limited = cfs_test_request_full (server, "POST", invites_path, ada, "{\"email\": \"one-more@example.org\"}",
                                   &status, &headers);
  g_assert_cmpuint (status, ==, 429);
  cfs_test_assert_error (limited, CONFAB_ERR_RATE_LIMITED);
  g_assert_cmpint (g_ascii_strtoll (soup_message_headers_get_one (headers, "Retry-After"), NULL, 10), >, 0);
  g_assert_cmpuint (cfs_test_smtp_sink_count (sink), ==, 20);

  /* The limit is per user, and links without email are not limited. */
  assert_status (server, "POST", bob_path, bob, "{\"email\": \"guest@example.org\"}", 201);
  assert_status (server, "POST", invites_path, ada, NULL, 201);
}

static void
test_email_invite_starttls (void)
{
  const char *cert = g_getenv ("CONFAB_FAKE_JITSI_CERT");
  const char *key = g_getenv ("CONFAB_FAKE_JITSI_KEY");
  g_autoptr(CfsTestSmtpSink) sink = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *config = NULL;
  g_autoptr(CfsTestServer) server = NULL;
  g_autoptr(JsonNode) invite = NULL;
  g_autoptr(CfsTestMail) mail = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ada = NULL;
  g_autofree char *body = NULL;
  gint64 secret;

  g_assert_nonnull (cert);
  g_assert_nonnull (key);
  sink = cfs_test_smtp_sink_start (cert, key);

  dir = g_dir_make_tmp ("confab-test-smtp-XXXXXX", &error);
  g_assert_no_error (error);
  password_file = g_build_filename (dir, "smtp-password", NULL);
  g_assert_true (g_file_set_contents (password_file, "smtp secret 42\n", -1, &error));

  /* The sink's certificate names 127.0.0.1 and is trusted through ca_file. */
  extra = g_strdup_printf ("starttls=true\nca_file=%s\nusername=confab\npassword_file=%s\n", cert, password_file);
  config = make_smtp_config (cfs_test_smtp_sink_get_port (sink), extra);
  server = cfs_test_server_start (config);
  ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  secret = create_room (server, ada, "Secret", TRUE);

  invite = create_invite (server, ada, secret, "{\"email\": \"bob@example.org\", \"max_uses\": 3}", NULL);
  g_assert_true (cfs_test_smtp_sink_wait (sink, 1, WAIT_MS));
  mail = cfs_test_smtp_sink_get_mail (sink, 0);
  g_assert_true (mail->tls);
  g_assert_cmpstr (mail->auth, ==, "confab:smtp secret 42");
  g_assert_cmpstr (mail->rcpt_to, ==, "bob@example.org");
  body = cfs_test_mail_dup_body (mail);
  g_assert_nonnull (strstr (body, "works 3 times"));

  cfs_test_server_stop (server);
  g_assert_null (strstr (cfs_test_server_get_log (server), "smtp secret"));
  assert_clean_log (server);

  g_unlink (password_file);
  g_rmdir (dir);
}

static void
test_email_invite_failure (void)
{
  g_autoptr(CfsTestSmtpSink) closed = cfs_test_smtp_sink_start (NULL, NULL);
  guint16 port = cfs_test_smtp_sink_get_port (closed);
  g_autofree char *config = NULL;
  g_autoptr(CfsTestServer) server = NULL;
  g_autofree char *ada = NULL;
  g_autofree char *invites_path = NULL;
  g_autoptr(JsonNode) failed = NULL;
  g_autoptr(JsonNode) list = NULL;
  gint64 secret;

  /* Nothing listens on the port any more. */
  g_clear_pointer (&closed, cfs_test_smtp_sink_free);
  config = make_smtp_config (port, NULL);
  server = cfs_test_server_start (config);
  ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  secret = create_room (server, ada, "Secret", TRUE);
  invites_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/invites", secret);

  failed = request_expect (server, "POST", invites_path, ada, "{\"email\": \"bob@example.org\"}", 502);
  g_assert_nonnull (strstr (cfs_test_assert_error (failed, CONFAB_ERR_EMAIL_FAILED), "bob@example.org"));

  /* The code that reached nobody does not stay usable. */
  list = request_expect (server, "GET", invites_path, ada, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cfs_test_get_object (list), "invites")), ==, 0);
}

/* STARTTLS is required by default and the certificate is checked. */
static void
test_email_invite_tls_errors (void)
{
  const char *cert = g_getenv ("CONFAB_FAKE_JITSI_CERT");
  const char *key = g_getenv ("CONFAB_FAKE_JITSI_KEY");
  g_autoptr(CfsTestSmtpSink) plain_sink = cfs_test_smtp_sink_start (NULL, NULL);
  g_autoptr(CfsTestSmtpSink) tls_sink = NULL;
  g_autofree char *plain_config = make_smtp_config (cfs_test_smtp_sink_get_port (plain_sink), "starttls=true\n");
  g_autofree char *tls_config = NULL;
  g_autoptr(CfsTestServer) plain_server = cfs_test_server_start (plain_config);
  g_autoptr(CfsTestServer) tls_server = NULL;
  g_autofree char *ada = cfs_test_register (plain_server, "Ada", "ada@example.org", NULL);
  g_autofree char *tls_ada = NULL;
  g_autofree char *path = NULL;
  g_autofree char *tls_path = NULL;
  g_autoptr(JsonNode) no_starttls = NULL;
  g_autoptr(JsonNode) untrusted = NULL;
  gint64 room;

  g_assert_nonnull (cert);
  g_assert_nonnull (key);

  /* An SMTP server without STARTTLS gets nothing. */
  room = create_room (plain_server, ada, "Secret", TRUE);
  path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/invites", room);
  no_starttls = request_expect (plain_server, "POST", path, ada, "{\"email\": \"bob@example.org\"}", 502);
  g_assert_nonnull (strstr (cfs_test_assert_error (no_starttls, CONFAB_ERR_EMAIL_FAILED), "STARTTLS"));
  g_assert_cmpuint (cfs_test_smtp_sink_count (plain_sink), ==, 0);

  /* A certificate from a CA the server does not trust fails the handshake. */
  tls_sink = cfs_test_smtp_sink_start (cert, key);
  tls_config = make_smtp_config (cfs_test_smtp_sink_get_port (tls_sink), "starttls=true\n");
  tls_server = cfs_test_server_start (tls_config);
  tls_ada = cfs_test_register (tls_server, "Ada", "ada@example.org", NULL);
  room = create_room (tls_server, tls_ada, "Secret", TRUE);
  tls_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/invites", room);
  untrusted = request_expect (tls_server, "POST", tls_path, tls_ada, "{\"email\": \"bob@example.org\"}", 502);
  g_assert_nonnull (strstr (cfs_test_assert_error (untrusted, CONFAB_ERR_EMAIL_FAILED), "ca_file"));
  g_assert_cmpuint (cfs_test_smtp_sink_count (tls_sink), ==, 0);
}

static void
test_email_invites_off (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  gint64 secret = create_room (server, ada, "Secret", TRUE);
  g_autofree char *invites_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/invites", secret);
  g_autoptr(JsonNode) info = request_expect (server, "GET", "/api/v1/server", NULL, NULL, 200);
  g_autoptr(JsonNode) off = NULL;
  g_autoptr(JsonNode) list = NULL;

  g_assert_false (json_object_get_boolean_member (cfs_test_get_object (info), "email_invites"));
  wait_for_log (server, "Email invites are off: no SMTP server is configured");

  off = request_expect (server, "POST", invites_path, ada, "{\"email\": \"bob@example.org\"}", 503);
  g_assert_nonnull (strstr (cfs_test_assert_error (off, CONFAB_ERR_EMAIL_INVITES_OFF), "[smtp]"));
  list = request_expect (server, "GET", invites_path, ada, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cfs_test_get_object (list), "invites")), ==, 0);
}

static void
test_email_invites_need_public_url (void)
{
  g_autoptr(CfsTestServer) server =
    cfs_test_server_start ("[smtp]\nhost=127.0.0.1\nport=2525\nfrom=" SMTP_FROM "\n");
  g_autoptr(JsonNode) info = request_expect (server, "GET", "/api/v1/server", NULL, NULL, 200);

  g_assert_false (json_object_get_boolean_member (cfs_test_get_object (info), "email_invites"));
  wait_for_log (server, "Email invites are off: set “public_url” in group [server]");
}

/* Meeting history. */

static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) date = NULL;

  if (time == 0)
    return g_strdup ("");

  date = g_date_time_new_from_unix_utc (time);
  return g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ");
}

static gint64
get_time (JsonObject *object,
          const char *name)
{
  g_assert_false (json_object_get_null_member (object, name));

  return json_object_get_int_member (object, name);
}

static void
test_history_csv_exact (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (FAST_CONFIG);
  gint64 ada_id = 0;
  gint64 bob_id = 0;
  g_autofree char *ada = cfs_test_register (server, "Ada Lovelace", "ada@example.org", &ada_id);
  g_autofree char *bob = cfs_test_register (server, "=Bob \"the\" Builder, Jr", "bob@example.org", &bob_id);
  gint64 room = create_room (server, ada, "Room", FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/history", room);
  g_autofree char *csv_path = g_strdup_printf ("%s?format=csv", path);
  g_autoptr(SoupWebsocketConnection) ada_ws = cfs_test_ws_connect (server, ada);
  g_autoptr(SoupWebsocketConnection) bob_ws = cfs_test_ws_connect (server, bob);
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GString) expected = g_string_new ("meeting_id,started_at,ended_at,peak_participants,"
                                              "user_id,user_name,joined_at,left_at\r\n");
  g_autofree char *csv = NULL;
  const char *bob_csv_name = "\"'=Bob \"\"the\"\" Builder, Jr\"";
  JsonArray *meetings;
  gint64 before = now_seconds ();
  guint status = 0;

  /* Meeting 1: Ada, Bob, Bob leaves and comes back, both leave. */
  json_object_unref (send_join (ada_ws, room));
  json_object_unref (send_join (bob_ws, room));
  cfs_test_ws_leave_room (bob_ws, room);
  json_object_unref (send_join (bob_ws, room));
  cfs_test_ws_leave_room (bob_ws, room);
  cfs_test_ws_leave_room (ada_ws, room);

  /* Meeting 2: Bob alone. */
  json_object_unref (send_join (bob_ws, room));
  cfs_test_ws_leave_room (bob_ws, room);

  history = request_expect (server, "GET", path, ada, NULL, 200);
  meetings = json_object_get_array_member (cfs_test_get_object (history), "meetings");
  g_assert_cmpuint (json_array_get_length (meetings), ==, 2);

  /* Newest first; each meeting's rows in the order people joined. */
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *meeting = json_array_get_object_element (meetings, i);
      JsonArray *attendance = json_object_get_array_member (meeting, "attendance");
      g_autofree char *started = format_time (get_time (meeting, "started_at"));
      g_autofree char *ended = format_time (get_time (meeting, "ended_at"));
      const gint64 expected_users[2][3] = { { bob_id, 0, 0 }, { ada_id, bob_id, bob_id } };
      const guint expected_rows[2] = { 1, 3 };

      g_assert_cmpint (get_time (meeting, "started_at"), >=, before);
      g_assert_cmpint (get_time (meeting, "ended_at"), <=, now_seconds ());
      g_assert_cmpint (json_object_get_int_member (meeting, "peak_participants"), ==, i == 0 ? 1 : 2);
      g_assert_cmpuint (json_array_get_length (attendance), ==, expected_rows[i]);

      for (guint j = 0; j < expected_rows[i]; j++)
        {
          JsonObject *row = json_array_get_object_element (attendance, j);
          gint64 user_id = json_object_get_int_member (json_object_get_object_member (row, "user"), "id");
          g_autofree char *joined = format_time (get_time (row, "joined_at"));
          g_autofree char *left = format_time (get_time (row, "left_at"));

          g_assert_cmpint (user_id, ==, expected_users[i][j]);
          g_assert_cmpint (get_time (row, "joined_at"), >=, get_time (meeting, "started_at"));
          g_assert_cmpint (get_time (row, "left_at"), <=, get_time (meeting, "ended_at"));
          g_string_append_printf (expected, "%" G_GINT64_FORMAT ",%s,%s,%" G_GINT64_FORMAT ",%"
                                  G_GINT64_FORMAT ",%s,%s,%s\r\n",
                                  json_object_get_int_member (meeting, "id"), started, ended,
                                  json_object_get_int_member (meeting, "peak_participants"), user_id,
                                  user_id == ada_id ? "\"Ada Lovelace\"" : bob_csv_name, joined, left);
        }
    }

  csv = fetch_text (server, csv_path, ada, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (headers, NULL), "text/csv"));
  g_assert_cmpstr (csv, ==, expected->str);

  /* Members do not read it. */
  assert_refused (server, "GET", csv_path, bob, NULL, 403, CONFAB_ERR_FORBIDDEN);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/manage/private-room-visibility", test_private_room_visibility);
  g_test_add_func ("/server/manage/invite-codes", test_invite_codes);
  g_test_add_func ("/server/manage/join-page", test_join_page);
  g_test_add_func ("/server/manage/public-url-links", test_public_url_links);
  g_test_add_func ("/server/manage/ban-list-and-lift", test_ban_list_and_lift);
  g_test_add_func ("/server/manage/moderator-list", test_moderator_list);
  g_test_add_func ("/server/manage/hosted-rooms", test_hosted_rooms);
  g_test_add_func ("/server/manage/admin-users", test_admin_users);
  g_test_add_func ("/server/manage/logout-all", test_logout_all);
  g_test_add_func ("/server/manage/password-change-ends-other-sessions",
                   test_password_change_ends_other_sessions);
  g_test_add_func ("/server/manage/email-invite-plain", test_email_invite_plain);
  g_test_add_func ("/server/manage/email-invites-rate-limited", test_email_invites_rate_limited);
  g_test_add_func ("/server/manage/email-invite-starttls", test_email_invite_starttls);
  g_test_add_func ("/server/manage/email-invite-failure", test_email_invite_failure);
  g_test_add_func ("/server/manage/email-invite-tls-errors", test_email_invite_tls_errors);
  g_test_add_func ("/server/manage/email-invites-off", test_email_invites_off);
  g_test_add_func ("/server/manage/email-invites-need-public-url", test_email_invites_need_public_url);
  g_test_add_func ("/server/manage/history-csv-exact", test_history_csv_exact);

  return g_test_run ();
}
