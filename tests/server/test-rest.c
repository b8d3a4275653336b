/* test-rest.c: the real confab-server over loopback HTTP: accounts, rooms,
 * roles, bans, meeting tokens, errors, the admin commands and its log.
 */
#include "config.h"

#include <string.h>

#include "cfs-test-jwt.h"
#include "cfs-test-server.h"
#include "confab-protocol.h"

typedef struct {
  CfsTestServer *server;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = cfs_test_server_start (data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cfs_test_server_free (fixture->server);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
assert_status (CfsTestServer *server,
               const char    *method,
               const char    *path,
               const char    *token,
               const char    *body,
               guint          expected)
{
  g_autoptr(JsonNode) response = NULL;
  guint status = 0;

  response = cfs_test_request (server, method, path, token, body, &status);
  g_assert_cmpuint (status, ==, expected);
}

static JsonNode *
login (CfsTestServer *server,
       const char    *email,
       const char    *password,
       guint         *status_out)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}",
                                           email, password);

  return cfs_test_request (server, "POST", "/api/v1/auth/login", NULL, body, status_out);
}

static JsonNode *
request_token (CfsTestServer *server,
               const char    *token,
               gint64         room_id,
               guint         *status_out)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/token", room_id);

  return cfs_test_request (server, "POST", path, token, NULL, status_out);
}

static char *
read_server_secret (CfsTestServer *server)
{
  g_autofree char *path = g_build_filename (cfs_test_server_get_dir (server), "jitsi-secret", NULL);

  return cfs_test_read_secret (path);
}

static void
close_ws (SoupWebsocketConnection *ws)
{
  soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (ws);
}

static void
test_rest_healthz_and_server_info (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(JsonNode) health = NULL;
  g_autoptr(JsonNode) info = NULL;
  guint status = 0;

  health = cfs_test_request (fixture->server, "GET", "/healthz", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (health), "status"), ==, "ok");

  info = cfs_test_request (fixture->server, "GET", "/api/v1/server", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (info), "registration"), ==, "open");
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (info), "jitsi_domain"), ==,
                   CFS_TEST_JITSI_DOMAIN);
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (info), "version"), ==, PACKAGE_VERSION);

  /* Loopback clients may read the metrics without a token. */
  assert_status (fixture->server, "GET", "/metrics", NULL, NULL, 200);
}

static guint
get_metrics_status (CfsTestServer *server,
                    const char    *forwarded_for)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (cfs_test_server_get_url (server), "/metrics", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  if (forwarded_for != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg),
                                 "X-Forwarded-For", forwarded_for);

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  return soup_message_get_status (msg);
}

static void
test_rest_metrics_behind_proxy (Fixture       *fixture,
                                gconstpointer  data)
{
  /* A proxy on the same machine connects from loopback; the forwarding
   * header shows that the real client is elsewhere.
   */
  g_assert_cmpuint (get_metrics_status (fixture->server, NULL), ==, 200);
  g_assert_cmpuint (get_metrics_status (fixture->server, "203.0.113.9"), ==, 403);
}

static void
test_rest_token_without_jitsi_domain (Fixture       *fixture,
                                      gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, owner, "Room", 10);
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(JsonNode) response = NULL;
  SoupWebsocketConnection *ws;
  guint status = 0;

  info = cfs_test_request (server, "GET", "/api/v1/server", NULL, NULL, &status);
  g_assert_true (json_object_get_null_member (cfs_test_get_object (info), "jitsi_domain"));

  ws = cfs_test_ws_join_as (server, owner, room_id);
  response = request_token (server, owner, room_id, &status);
  g_assert_cmpuint (status, ==, 503);
  g_assert_nonnull (strstr (cfs_test_assert_error (response, CONFAB_ERR_JITSI_NOT_CONFIGURED), "[jitsi]"));

  close_ws (ws);
}

static void
test_rest_register_login_me (Fixture       *fixture,
                             gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(JsonNode) signed_in = NULL;
  g_autoptr(JsonNode) taken = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *token = NULL;
  const char *second_token;
  JsonObject *user;
  gint64 user_id = 0;
  guint status = 0;

  token = cfs_test_register (server, "Ada", "Ada@Example.org", &user_id);
  g_assert_cmpuint (strlen (token), ==, 64);
  g_assert_cmpint (user_id, >, 0);

  me = cfs_test_request (server, "GET", "/api/v1/me", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  user = cfs_test_get_object (me);
  g_assert_cmpint (json_object_get_int_member (user, "id"), ==, user_id);
  g_assert_cmpstr (json_object_get_string_member (user, "name"), ==, "Ada");
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, "Ada@Example.org");
  g_assert_true (json_object_get_null_member (user, "avatar_url"));
  g_assert_false (json_object_get_boolean_member (user, "is_admin"));
  g_assert_false (json_object_has_member (user, "password_hash"));

  /* Emails compare case-insensitively, at login and at registration. */
  signed_in = cfs_test_request_full (server, "POST", "/api/v1/auth/login", NULL,
                                     "{\"email\": \"ada@EXAMPLE.org\", \"password\": \"password-Ada\"}",
                                     &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Cache-Control"), ==, "no-store");
  second_token = json_object_get_string_member (cfs_test_get_object (signed_in), "token");
  g_assert_cmpstr (second_token, !=, token);
  g_assert_cmpint (json_object_get_int_member (cfs_test_get_object (signed_in), "expires_at"), >, now_seconds ());

  taken = cfs_test_request (server, "POST", "/api/v1/auth/register", NULL,
                            "{\"name\": \"Eve\", \"email\": \"ADA@example.org\", \"password\": \"12345678\"}",
                            &status);
  g_assert_cmpuint (status, ==, 409);
  cfs_test_assert_error (taken, CONFAB_ERR_EMAIL_TAKEN);

  patched = cfs_test_request (server, "PATCH", "/api/v1/me", token,
                              "{\"name\": \"Ada King\", \"avatar_url\": \"https://example.org/ada.png\"}",
                              &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (patched), "name"), ==, "Ada King");
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (patched), "avatar_url"), ==,
                   "https://example.org/ada.png");
  g_clear_pointer (&patched, json_node_unref);

  patched = cfs_test_request (server, "PATCH", "/api/v1/me", token, "{\"avatar_url\": null}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_get_null_member (cfs_test_get_object (patched), "avatar_url"));
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (patched), "name"), ==, "Ada King");

  /* Logout ends only its own session. */
  assert_status (server, "POST", "/api/v1/auth/logout", token, NULL, 204);
  assert_status (server, "GET", "/api/v1/me", token, NULL, 401);
  assert_status (server, "GET", "/api/v1/me", second_token, NULL, 200);
}

/* Sends a body of unknown length, which libsoup sends chunked. */
static guint
send_chunked_body (CfsTestServer *server,
                   const char    *token,
                   JsonNode     **response_out)
{
  g_autofree char *uri = g_strconcat (cfs_test_server_get_url (server), "/api/v1/rooms", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  const char *body = "{\"name\": \"Chunked\"}";
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (body, strlen (body), NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_message_set_request_body (msg, "application/json", stream, -1);
  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  json_parser_load_from_data (parser, g_bytes_get_data (response, NULL), g_bytes_get_size (response), &error);
  g_assert_no_error (error);
  *response_out = json_node_ref (json_parser_get_root (parser));

  return soup_message_get_status (msg);
}

static void
test_rest_bad_requests (Fixture       *fixture,
                        gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autofree char *token = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GString) large = g_string_new ("{\"name\": \"");
  guint status = 0;

  response = cfs_test_request (server, "POST", "/api/v1/rooms", token, "{\"name\": ", &status);
  g_assert_cmpuint (status, ==, 400);
  cfs_test_assert_error (response, CONFAB_ERR_INVALID_JSON);
  g_clear_pointer (&response, json_node_unref);

  response = cfs_test_request (server, "POST", "/api/v1/rooms", token, "[1, 2]", &status);
  g_assert_cmpuint (status, ==, 400);
  cfs_test_assert_error (response, CONFAB_ERR_INVALID_JSON);
  g_clear_pointer (&response, json_node_unref);

  response = cfs_test_request (server, "POST", "/api/v1/rooms", token, "{\"name\": 5}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (cfs_test_assert_error (response, CONFAB_ERR_INVALID_FIELD), "“name”"));
  g_clear_pointer (&response, json_node_unref);

  response = cfs_test_request (server, "POST", "/api/v1/rooms", token,
                               "{\"name\": \"Room\", \"capacity\": 1}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (cfs_test_assert_error (response, CONFAB_ERR_INVALID_FIELD), "“capacity”"));
  g_clear_pointer (&response, json_node_unref);

  response = cfs_test_request (server, "POST", "/api/v1/rooms", token,
                               "{\"name\": \"Room\", \"capacity\": \"10\"}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (cfs_test_assert_error (response, CONFAB_ERR_INVALID_FIELD), "“capacity”"));
  g_clear_pointer (&response, json_node_unref);

  response = cfs_test_request (server, "POST", "/api/v1/auth/register", NULL,
                               "{\"name\": \"Bob\", \"email\": \"not-an-email\", \"password\": \"12345678\"}",
                               &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (cfs_test_assert_error (response, CONFAB_ERR_INVALID_FIELD), "“email”"));
  g_clear_pointer (&response, json_node_unref);

  response = cfs_test_request (server, "POST", "/api/v1/auth/register", NULL,
                               "{\"name\": \"Bob\", \"email\": \"bob@example.org\", \"password\": \"short\"}",
                               &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (cfs_test_assert_error (response, CONFAB_ERR_INVALID_FIELD), "“password”"));
  g_clear_pointer (&response, json_node_unref);

  /* A body over 64 KiB is refused before it is read. */
  while (large->len <= CONFAB_REST_MAX_BODY + 1024)
    g_string_append (large, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (large, "\"}");
  response = cfs_test_request (server, "POST", "/api/v1/rooms", token, large->str, &status);
  g_assert_cmpuint (status, ==, 413);
  cfs_test_assert_error (response, CONFAB_ERR_BODY_TOO_LARGE);
  g_clear_pointer (&response, json_node_unref);

  /* A chunked body could grow without bound before it is counted. */
  g_assert_cmpuint (send_chunked_body (server, token, &response), ==, 411);
  cfs_test_assert_error (response, CONFAB_ERR_LENGTH_REQUIRED);
  g_clear_pointer (&response, json_node_unref);

  response = cfs_test_request (server, "GET", "/api/v1/nothing-here", token, NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  cfs_test_assert_error (response, CONFAB_ERR_NOT_FOUND);
  g_clear_pointer (&response, json_node_unref);

  response = cfs_test_request_full (server, "PUT", "/api/v1/rooms", token, "{}", &status, &headers);
  g_assert_cmpuint (status, ==, 405);
  cfs_test_assert_error (response, CONFAB_ERR_METHOD_NOT_ALLOWED);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Allow"), ==, "GET, POST");
  g_clear_pointer (&response, json_node_unref);

  response = cfs_test_request (server, "GET", "/api/v1/rooms", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  cfs_test_assert_error (response, CONFAB_ERR_UNAUTHORIZED);
  g_clear_pointer (&response, json_node_unref);

  response = cfs_test_request (server, "GET", "/api/v1/rooms", "0000000000000000000000000000000000000000000000000000000000000000",
                               NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&response, json_node_unref);

  response = cfs_test_request (server, "GET", "/api/v1/rooms/999", token, NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  cfs_test_assert_error (response, CONFAB_ERR_NOT_FOUND);

  /* The server keeps serving after all of that. */
  assert_status (server, "GET", "/healthz", NULL, NULL, 200);
}

static void
test_rest_login_failures_rate_limited (Fixture       *fixture,
                                       gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autofree char *token = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  const char *retry_after;
  guint status = 0;

  for (int i = 0; i < 5; i++)
    {
      g_autoptr(JsonNode) failed = login (server, "ada@example.org", "wrong password", &status);

      g_assert_cmpuint (status, ==, 401);
      cfs_test_assert_error (failed, CONFAB_ERR_INVALID_CREDENTIALS);
    }

  /* Limited now, even with the right password. */
  response = cfs_test_request_full (server, "POST", "/api/v1/auth/login", NULL,
                                    "{\"email\": \"ada@example.org\", \"password\": \"password-Ada\"}",
                                    &status, &headers);
  g_assert_cmpuint (status, ==, 429);
  cfs_test_assert_error (response, CONFAB_ERR_RATE_LIMITED);
  retry_after = soup_message_headers_get_one (headers, "Retry-After");
  g_assert_nonnull (retry_after);
  g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), >, 0);
  g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), <=, 15 * 60);

  /* Unknown emails fail like wrong passwords. */
  g_clear_pointer (&response, json_node_unref);
  response = login (server, "nobody@example.org", "whatever-password", &status);
  g_assert_cmpuint (status, ==, 401);
  cfs_test_assert_error (response, CONFAB_ERR_INVALID_CREDENTIALS);

  /* The existing session is not affected. */
  assert_status (server, "GET", "/api/v1/me", token, NULL, 200);
}

static void
test_rest_login_failures_per_address (Fixture       *fixture,
                                      gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autofree char *token = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autoptr(JsonNode) response = NULL;
  guint status = 0;

  /* Twenty failures, four per account, so no account reaches its own
   * limit of five: only the address limit can apply.
   */
  for (int i = 0; i < 20; i++)
    {
      g_autofree char *email = g_strdup_printf ("guess%d@example.org", i / 4);
      g_autoptr(JsonNode) failed = login (server, email, "wrong password", &status);

      g_assert_cmpuint (status, ==, 401);
    }

  response = login (server, "ada@example.org", "password-Ada", &status);
  g_assert_cmpuint (status, ==, 429);
  cfs_test_assert_error (response, CONFAB_ERR_RATE_LIMITED);
}

static void
test_rest_rooms (Fixture       *fixture,
                 gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  g_autofree char *member = cfs_test_register (server, "Member", "member@example.org", NULL);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) twin = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) as_member = NULL;
  g_autoptr(JsonNode) renamed = NULL;
  g_autofree char *room_path = NULL;
  g_autofree char *expected_slug = NULL;
  JsonObject *room;
  JsonArray *rooms;
  gint64 room_id;
  guint status = 0;

  created = cfs_test_request (server, "POST", "/api/v1/rooms", owner,
                              "{\"name\": \"Café Été\", \"topic\": \"Weekly sync\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  room = cfs_test_get_object (created);
  room_id = json_object_get_int_member (room, "id");
  expected_slug = g_strdup_printf ("cafe-ete-%" G_GINT64_FORMAT, room_id);
  g_assert_cmpstr (json_object_get_string_member (room, "name"), ==, "Café Été");
  g_assert_cmpstr (json_object_get_string_member (room, "topic"), ==, "Weekly sync");
  g_assert_cmpint (json_object_get_int_member (room, "capacity"), ==, CONFAB_ROOM_CAPACITY_DEFAULT);
  g_assert_cmpstr (json_object_get_string_member (room, "jitsi_room"), ==, expected_slug);
  g_assert_cmpstr (json_object_get_string_member (room, "role"), ==, CONFAB_ROLE_OWNER);
  g_assert_cmpint (json_object_get_int_member (room, "participants"), ==, 0);
  g_assert_false (json_object_get_boolean_member (room, "banned"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (room, "owner"), "name"),
                   ==, "Owner");

  twin = cfs_test_request (server, "POST", "/api/v1/rooms", owner,
                           "{\"name\": \"Café Été\", \"capacity\": 500}", &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (twin), "jitsi_room"), !=, expected_slug);

  list = cfs_test_request (server, "GET", "/api/v1/rooms", member, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  rooms = json_object_get_array_member (cfs_test_get_object (list), "rooms");
  g_assert_cmpuint (json_array_get_length (rooms), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rooms, 0), "id"), ==, room_id);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rooms, 0), "role"), ==,
                   CONFAB_ROLE_MEMBER);

  room_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, room_id);
  as_member = cfs_test_request (server, "PATCH", room_path, member, "{\"name\": \"Mine now\"}", &status);
  g_assert_cmpuint (status, ==, 403);
  cfs_test_assert_error (as_member, CONFAB_ERR_FORBIDDEN);

  /* A rename keeps the Jitsi room. */
  renamed = cfs_test_request (server, "PATCH", room_path, owner,
                              "{\"name\": \"Q&A: 10:30\", \"capacity\": 3}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (renamed), "name"), ==, "Q&A: 10:30");
  g_assert_cmpint (json_object_get_int_member (cfs_test_get_object (renamed), "capacity"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (renamed), "jitsi_room"), ==, expected_slug);

  assert_status (server, "DELETE", room_path, member, NULL, 403);
  assert_status (server, "DELETE", room_path, owner, NULL, 204);
  assert_status (server, "GET", room_path, owner, NULL, 404);
}

static void
test_rest_token_owner_and_member (Fixture       *fixture,
                                  gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  gint64 owner_id = 0;
  gint64 member_id = 0;
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", &owner_id);
  g_autofree char *member = cfs_test_register (server, "Member", "member@example.org", &member_id);
  g_autofree char *secret = read_server_secret (server);
  g_autoptr(JsonNode) not_seated = NULL;
  gint64 room_id = cfs_test_create_room (server, owner, "Café Été", 10);
  const struct {
    const char *token;
    gint64      user_id;
    const char *name;
    const char *role;
    gboolean    host;
  } cases[] = {
    { owner, owner_id, "Owner", CONFAB_ROLE_OWNER, TRUE },
    { member, member_id, "Member", CONFAB_ROLE_MEMBER, FALSE },
  };
  guint status = 0;

  not_seated = request_token (server, member, room_id, &status);
  g_assert_cmpuint (status, ==, 409);
  cfs_test_assert_error (not_seated, CONFAB_ERR_NOT_SEATED);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SoupWebsocketConnection *ws = cfs_test_ws_join_as (server, cases[i].token, room_id);
      g_autoptr(JsonNode) response = request_token (server, cases[i].token, room_id, &status);
      g_autoptr(JsonObject) claims = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *user_id = g_strdup_printf ("%" G_GINT64_FORMAT, cases[i].user_id);
      g_autofree char *jitsi_room = g_strdup_printf ("cafe-ete-%" G_GINT64_FORMAT, room_id);
      JsonObject *body;
      JsonObject *user;

      g_test_message ("token for the %s", cases[i].role);
      g_assert_cmpuint (status, ==, 200);
      body = cfs_test_get_object (response);
      g_assert_cmpstr (json_object_get_string_member (body, "domain"), ==, CFS_TEST_JITSI_DOMAIN);
      g_assert_cmpstr (json_object_get_string_member (body, "jitsi_room"), ==, jitsi_room);
      g_assert_cmpstr (json_object_get_string_member (body, "role"), ==, cases[i].role);

      claims = cfs_test_jwt_verify (json_object_get_string_member (body, "jwt"), secret,
                                    CFS_TEST_JITSI_APP_ID, now_seconds (), &error);
      g_assert_no_error (error);
      g_assert_cmpint (json_object_get_int_member (claims, "exp"), ==,
                       json_object_get_int_member (body, "expires_at"));
      g_assert_cmpint (json_object_get_int_member (claims, "exp") - json_object_get_int_member (claims, "iat"),
                       ==, 900);
      g_assert_cmpstr (json_object_get_string_member (claims, "room"), ==, jitsi_room);
      g_assert_cmpstr (json_object_get_string_member (claims, "sub"), ==, CFS_TEST_JITSI_DOMAIN);
      g_assert_cmpint (json_object_get_boolean_member (claims, "moderator"), ==, cases[i].host);

      user = json_object_get_object_member (json_object_get_object_member (claims, "context"), "user");
      g_assert_cmpstr (json_object_get_string_member (user, "id"), ==, user_id);
      g_assert_cmpstr (json_object_get_string_member (user, "name"), ==, cases[i].name);
      g_assert_cmpstr (json_object_get_string_member (user, "affiliation"), ==,
                       cases[i].host ? "owner" : "member");

      close_ws (ws);
    }
}

static void
test_rest_token_refusals (Fixture       *fixture,
                          gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  gint64 member_id = 0;
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  g_autofree char *member = cfs_test_register (server, "Member", "member@example.org", &member_id);
  g_autofree char *third = cfs_test_register (server, "Third", "third@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, owner, "Small room", 2);
  g_autofree char *ban_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/bans/%" G_GINT64_FORMAT,
                                               room_id, member_id);
  g_autoptr(JsonNode) response = NULL;
  SoupWebsocketConnection *owner_ws;
  SoupWebsocketConnection *member_ws;
  JsonObject *error;
  guint status = 0;

  response = request_token (server, owner, 9999, &status);
  g_assert_cmpuint (status, ==, 404);
  cfs_test_assert_error (response, CONFAB_ERR_NOT_FOUND);
  g_clear_pointer (&response, json_node_unref);

  response = request_token (server, NULL, room_id, &status);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&response, json_node_unref);

  /* Two seats, both taken: the third user gets room-full. */
  owner_ws = cfs_test_ws_join_as (server, owner, room_id);
  member_ws = cfs_test_ws_join_as (server, member, room_id);
  response = request_token (server, third, room_id, &status);
  g_assert_cmpuint (status, ==, 409);
  cfs_test_assert_error (response, CONFAB_ERR_ROOM_FULL);
  g_clear_pointer (&response, json_node_unref);

  /* A ban for an hour: 403 with its end. */
  assert_status (server, "PUT", ban_path, member, "{\"duration\": 3600}", 403);
  assert_status (server, "PUT", ban_path, owner, "{\"duration\": 3600, \"reason\": \"spam\"}", 204);
  response = request_token (server, member, room_id, &status);
  g_assert_cmpuint (status, ==, 403);
  cfs_test_assert_error (response, CONFAB_ERR_BANNED);
  error = json_object_get_object_member (cfs_test_get_object (response), "error");
  g_assert_cmpint (json_object_get_int_member (error, "until"), >=, now_seconds () + 3590);
  g_assert_cmpint (json_object_get_int_member (error, "until"), <=, now_seconds () + 3600);
  g_clear_pointer (&response, json_node_unref);

  /* A ban until lifted: until is null. */
  assert_status (server, "PUT", ban_path, owner, NULL, 204);
  response = request_token (server, member, room_id, &status);
  g_assert_cmpuint (status, ==, 403);
  cfs_test_assert_error (response, CONFAB_ERR_BANNED);
  error = json_object_get_object_member (cfs_test_get_object (response), "error");
  g_assert_true (json_object_get_null_member (error, "until"));
  g_clear_pointer (&response, json_node_unref);

  /* The owner cannot be banned from their own room. */
  {
    g_autofree char *owner_ban = NULL;
    g_autoptr(JsonNode) me = cfs_test_request (server, "GET", "/api/v1/me", owner, NULL, &status);

    owner_ban = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/bans/%" G_GINT64_FORMAT,
                                 room_id, json_object_get_int_member (cfs_test_get_object (me), "id"));
    assert_status (server, "PUT", owner_ban, owner, NULL, 403);
  }

  /* Lifted: the member may join again and gets a token. */
  assert_status (server, "DELETE", ban_path, owner, NULL, 204);
  close_ws (member_ws);
  member_ws = cfs_test_ws_join_as (server, member, room_id);
  response = request_token (server, member, room_id, &status);
  g_assert_cmpuint (status, ==, 200);

  close_ws (member_ws);
  close_ws (owner_ws);
}

static void
test_rest_moderator_grant (Fixture       *fixture,
                           gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  gint64 member_id = 0;
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  g_autofree char *member = cfs_test_register (server, "Member", "member@example.org", &member_id);
  gint64 room_id = cfs_test_create_room (server, owner, "Room", 10);
  g_autofree char *room_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, room_id);
  g_autofree char *grant_path = g_strdup_printf ("%s/moderators/%" G_GINT64_FORMAT, room_path, member_id);
  g_autofree char *bans_path = g_strdup_printf ("%s/bans", room_path);
  g_autoptr(JsonNode) room = NULL;
  guint status = 0;

  assert_status (server, "GET", bans_path, member, NULL, 403);
  assert_status (server, "PUT", grant_path, member, NULL, 403);
  assert_status (server, "PUT", grant_path, owner, NULL, 204);

  room = cfs_test_request (server, "GET", room_path, member, NULL, &status);
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (room), "role"), ==, CONFAB_ROLE_MODERATOR);
  assert_status (server, "GET", bans_path, member, NULL, 200);

  assert_status (server, "DELETE", grant_path, owner, NULL, 204);
  g_clear_pointer (&room, json_node_unref);
  room = cfs_test_request (server, "GET", room_path, member, NULL, &status);
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (room), "role"), ==, CONFAB_ROLE_MEMBER);

  assert_status (server, "PUT", "/api/v1/rooms/9999/moderators/1", owner, NULL, 404);
}

static void
test_rest_restart_keeps_data (Fixture       *fixture,
                              gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  gint64 member_id = 0;
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  g_autofree char *member = cfs_test_register (server, "Member", "member@example.org", &member_id);
  gint64 room_id = cfs_test_create_room (server, owner, "Kept", 10);
  g_autofree char *room_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, room_id);
  g_autofree char *ban_path = g_strdup_printf ("%s/bans/%" G_GINT64_FORMAT, room_path, member_id);
  g_autoptr(JsonNode) signed_in = NULL;
  g_autoptr(JsonNode) room = NULL;
  guint status = 0;

  assert_status (server, "PUT", ban_path, owner, NULL, 204);
  cfs_test_server_restart (server);

  /* Sessions, accounts, rooms and bans all survive. */
  assert_status (server, "GET", "/api/v1/me", owner, NULL, 200);
  signed_in = login (server, "member@example.org", "password-Member", &status);
  g_assert_cmpuint (status, ==, 200);

  room = cfs_test_request (server, "GET", room_path, member, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (cfs_test_get_object (room), "name"), ==, "Kept");
  g_assert_true (json_object_get_boolean_member (cfs_test_get_object (room), "banned"));
  g_assert_true (json_object_get_null_member (cfs_test_get_object (room), "banned_until"));
}

static void
test_rest_password_change (Fixture       *fixture,
                           gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autofree char *token = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autoptr(JsonNode) other = NULL;
  g_autoptr(JsonNode) wrong = NULL;
  g_autoptr(JsonNode) old_login = NULL;
  g_autoptr(JsonNode) new_login = NULL;
  g_autofree char *other_token = NULL;
  guint status = 0;

  other = login (server, "ada@example.org", "password-Ada", &status);
  other_token = g_strdup (json_object_get_string_member (cfs_test_get_object (other), "token"));

  wrong = cfs_test_request (server, "POST", "/api/v1/me/password", token,
                            "{\"current_password\": \"not it\", \"new_password\": \"new password 1\"}",
                            &status);
  g_assert_cmpuint (status, ==, 403);
  cfs_test_assert_error (wrong, CONFAB_ERR_INVALID_CREDENTIALS);

  assert_status (server, "POST", "/api/v1/me/password", token,
                 "{\"current_password\": \"password-Ada\", \"new_password\": \"new password 1\"}", 204);

  /* The other session ended; this one goes on. */
  assert_status (server, "GET", "/api/v1/me", other_token, NULL, 401);
  assert_status (server, "GET", "/api/v1/me", token, NULL, 200);

  old_login = login (server, "ada@example.org", "password-Ada", &status);
  g_assert_cmpuint (status, ==, 401);
  new_login = login (server, "ada@example.org", "new password 1", &status);
  g_assert_cmpuint (status, ==, 200);
}

static void
test_rest_closed_registration_and_admin_commands (Fixture       *fixture,
                                                  gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  const char *create_admin[] = { "--create-user", "root@example.org", "--name", "Root", "--admin", NULL };
  const char *grant[] = { "--grant-admin", "Bob@Example.org", NULL };
  const char *grant_unknown[] = { "--grant-admin", "nobody@example.org", NULL };
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) signed_in = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) bob = NULL;
  g_autoptr(JsonNode) eve = NULL;
  g_autofree char *output = NULL;
  g_autofree char *bob_output = NULL;
  g_autofree char *unknown_output = NULL;
  const char *admin_token;
  guint status = 0;

  refused = cfs_test_request (server, "POST", "/api/v1/auth/register", NULL,
                              "{\"name\": \"Eve\", \"email\": \"eve@example.org\", \"password\": \"12345678\"}",
                              &status);
  g_assert_cmpuint (status, ==, 403);
  cfs_test_assert_error (refused, CONFAB_ERR_REGISTRATION_CLOSED);

  /* The first admin, made from the command line; the password comes on
   * standard input, never as a flag.
   */
  g_assert_cmpint (cfs_test_server_run_command (server, create_admin, "root password 123\n", &output), ==, 0);
  g_assert_nonnull (strstr (output, "root@example.org"));
  g_assert_null (strstr (output, "root password 123"));

  signed_in = login (server, "root@example.org", "root password 123", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (cfs_test_get_object (signed_in), "user"),
                                                 "is_admin"));
  admin_token = json_object_get_string_member (cfs_test_get_object (signed_in), "token");

  created = cfs_test_request (server, "POST", "/api/v1/users", admin_token,
                              "{\"name\": \"Bob\", \"email\": \"bob@example.org\", \"password\": \"bob password\"}",
                              &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_false (json_object_get_boolean_member (cfs_test_get_object (created), "is_admin"));

  g_assert_cmpint (cfs_test_server_run_command (server, grant, NULL, &bob_output), ==, 0);
  bob = login (server, "bob@example.org", "bob password", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (cfs_test_get_object (bob), "user"),
                                                 "is_admin"));

  /* Only site admins create accounts. */
  assert_status (server, "POST", "/api/v1/users",
                 json_object_get_string_member (cfs_test_get_object (bob), "token"),
                 "{\"name\": \"Eve\", \"email\": \"eve@example.org\", \"password\": \"12345678\"}", 201);
  eve = login (server, "eve@example.org", "12345678", &status);
  g_assert_cmpuint (status, ==, 200);
  assert_status (server, "POST", "/api/v1/users", json_object_get_string_member (cfs_test_get_object (eve), "token"),
                 "{\"name\": \"Mallory\", \"email\": \"mallory@example.org\", \"password\": \"12345678\"}",
                 403);

  g_assert_cmpint (cfs_test_server_run_command (server, grant_unknown, NULL, &unknown_output), !=, 0);
  g_assert_nonnull (strstr (unknown_output, "nobody@example.org"));
}

static void
test_rest_weak_secret_refused (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *no_args[] = { NULL };
  g_autofree char *example_output = NULL;
  g_autofree char *short_output = NULL;

  g_setenv ("CONFAB_JITSI_SECRET", "your-256-bit-secret", TRUE);
  g_assert_cmpint (cfs_test_server_run_command (fixture->server, no_args, NULL, &example_output), ==, 1);
  g_assert_nonnull (strstr (example_output, "well-known example value"));
  g_assert_null (strstr (example_output, "listening on"));

  g_setenv ("CONFAB_JITSI_SECRET", "only 20 bytes long..", TRUE);
  g_assert_cmpint (cfs_test_server_run_command (fixture->server, no_args, NULL, &short_output), ==, 1);
  g_assert_nonnull (strstr (short_output, "shorter than 32"));
  g_assert_null (strstr (short_output, "only 20 bytes long.."));
  g_unsetenv ("CONFAB_JITSI_SECRET");
}

static void
test_rest_secret_file_setting (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *config = NULL;
  g_autoptr(CfsTestServer) server = NULL;
  g_autofree char *owner = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonObject) claims = NULL;
  const char *secret = "a secret from docker-jitsi-meet's .env, 32+ bytes";
  SoupWebsocketConnection *ws;
  gint64 room_id;
  guint status = 0;

  /* Written with a trailing newline, as `echo` does. */
  secret_path = g_build_filename (cfs_test_server_get_dir (fixture->server), "app-secret.txt", NULL);
  contents = g_strconcat (secret, "\n", NULL);
  g_file_set_contents (secret_path, contents, -1, &error);
  g_assert_no_error (error);

  config = g_strdup_printf ("[jitsi]\nsecret_file=%s\nsub=meet.jitsi\ntoken_ttl=600\n", secret_path);
  server = cfs_test_server_start (config);
  owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  room_id = cfs_test_create_room (server, owner, "Room", 10);
  ws = cfs_test_ws_join_as (server, owner, room_id);

  response = request_token (server, owner, room_id, &status);
  g_assert_cmpuint (status, ==, 200);
  claims = cfs_test_jwt_verify (json_object_get_string_member (cfs_test_get_object (response), "jwt"), secret,
                                CFS_TEST_JITSI_APP_ID, now_seconds (), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (claims, "sub"), ==, "meet.jitsi");
  g_assert_cmpint (json_object_get_int_member (claims, "exp") - json_object_get_int_member (claims, "iat"),
                   ==, 600);

  close_ws (ws);
}

static void
send_login_from (CfsTestServer *server,
                 const char    *forwarded_for)
{
  g_autofree char *uri = g_strconcat (cfs_test_server_get_url (server), "/api/v1/auth/login", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"email\": \"ada@example.org\", \"password\": \"wrong one\"}",
                                               strlen ("{\"email\": \"ada@example.org\", \"password\": \"wrong one\"}"));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Forwarded-For", forwarded_for);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
}

static void
test_rest_forwarded_for_trusted_proxy_only (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autoptr(CfsTestServer) proxied = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  /* Not a trusted proxy: the header is ignored. */
  first = cfs_test_register (fixture->server, "Ada", "ada@example.org", NULL);
  send_login_from (fixture->server, "203.0.113.5");
  cfs_test_server_stop (fixture->server);
  g_assert_nonnull (strstr (cfs_test_server_get_log (fixture->server), "from 127.0.0.1"));
  g_assert_null (strstr (cfs_test_server_get_log (fixture->server), "203.0.113.5"));

  /* Behind a trusted proxy, the right-most untrusted hop is the client. */
  proxied = cfs_test_server_start ("[server]\ntrusted_proxies=127.0.0.1;10.0.0.2\n");
  second = cfs_test_register (proxied, "Ada", "ada@example.org", NULL);
  send_login_from (proxied, "198.51.100.7, 203.0.113.5, 10.0.0.2");
  cfs_test_server_stop (proxied);
  g_assert_nonnull (strstr (cfs_test_server_get_log (proxied), "from 203.0.113.5"));
}

static void
test_rest_log_has_no_secrets (Fixture       *fixture,
                              gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autofree char *owner = cfs_test_register (server, "Owner", "owner@example.org", NULL);
  g_autofree char *secret = read_server_secret (server);
  g_autoptr(JsonNode) signed_in = NULL;
  g_autoptr(JsonNode) failed = NULL;
  g_autoptr(JsonNode) token_response = NULL;
  g_autofree char *second_token = NULL;
  g_autofree char *jwt = NULL;
  SoupWebsocketConnection *ws;
  gint64 room_id;
  const char *log;
  guint status = 0;

  signed_in = login (server, "owner@example.org", "password-Owner", &status);
  g_assert_cmpuint (status, ==, 200);
  second_token = g_strdup (json_object_get_string_member (cfs_test_get_object (signed_in), "token"));
  failed = login (server, "owner@example.org", "a wrong password", &status);
  g_assert_cmpuint (status, ==, 401);

  room_id = cfs_test_create_room (server, owner, "Room", 10);
  ws = cfs_test_ws_join_as (server, owner, room_id);
  token_response = request_token (server, owner, room_id, &status);
  g_assert_cmpuint (status, ==, 200);
  jwt = g_strdup (json_object_get_string_member (cfs_test_get_object (token_response), "jwt"));
  close_ws (ws);

  assert_status (server, "POST", "/api/v1/auth/logout", second_token, NULL, 204);
  cfs_test_server_stop (server);

  log = cfs_test_server_get_log (server);
  g_assert_nonnull (strstr (log, "Issued a meeting token"));
  g_assert_null (strstr (log, owner));
  g_assert_null (strstr (log, second_token));
  g_assert_null (strstr (log, jwt));
  g_assert_null (strstr (log, "password-Owner"));
  g_assert_null (strstr (log, "a wrong password"));
  g_assert_null (strstr (log, secret));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, config, func) \
  g_test_add (path, Fixture, config, fixture_set_up, func, fixture_tear_down)

  ADD ("/server/rest/healthz-and-server-info", NULL, test_rest_healthz_and_server_info);
  ADD ("/server/rest/metrics-behind-proxy", NULL, test_rest_metrics_behind_proxy);
  ADD ("/server/rest/register-login-me", NULL, test_rest_register_login_me);
  ADD ("/server/rest/bad-requests", NULL, test_rest_bad_requests);
  ADD ("/server/rest/login-failures-rate-limited", NULL, test_rest_login_failures_rate_limited);
  ADD ("/server/rest/login-failures-per-address", NULL, test_rest_login_failures_per_address);
  ADD ("/server/rest/rooms", NULL, test_rest_rooms);
  ADD ("/server/rest/token/owner-and-member", NULL, test_rest_token_owner_and_member);
  ADD ("/server/rest/token/refusals", NULL, test_rest_token_refusals);
  ADD ("/server/rest/token/secret-file-setting", NULL, test_rest_secret_file_setting);
  ADD ("/server/rest/token/without-jitsi-domain", "[jitsi]\ndomain=\n", test_rest_token_without_jitsi_domain);
  ADD ("/server/rest/moderator-grant", NULL, test_rest_moderator_grant);
  ADD ("/server/rest/restart-keeps-data", NULL, test_rest_restart_keeps_data);
  ADD ("/server/rest/password-change", NULL, test_rest_password_change);
  ADD ("/server/rest/closed-registration-and-admin-commands", "[accounts]\nregistration=closed\n",
       test_rest_closed_registration_and_admin_commands);
  ADD ("/server/rest/weak-secret-refused", NULL, test_rest_weak_secret_refused);
  ADD ("/server/rest/forwarded-for-trusted-proxy-only", NULL, test_rest_forwarded_for_trusted_proxy_only);
  ADD ("/server/rest/log-has-no-secrets", NULL, test_rest_log_has_no_secrets);

#undef ADD

  return g_test_run ();
}
