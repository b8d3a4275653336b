/* cfs-test-server.c: the real confab-server binary on loopback, for tests. */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include <sys/prctl.h>

#include "cfs-test-server.h"

#define START_TIMEOUT_MS 20000
#define STOP_TIMEOUT_MS 20000
#define WS_TIMEOUT_MS 10000
#define REQUEST_TIMEOUT_MS 30000
#define LISTENING_PREFIX "confab-server listening on "

struct _CfsTestServer
{
  char             *dir;
  char             *config_path;
  char             *url;
  GString          *log;
  GSubprocess      *process;
  GDataInputStream *output;
  gboolean          exited;
  gboolean          output_closed;
  SoupSession      *session;
};

typedef struct {
  gboolean done;
  gpointer result;
  GError  *error;
} AsyncWait;

/* Runs in the forked child: a test that aborts leaves no server behind. */
static void
end_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
is_async_done (gpointer user_data)
{
  AsyncWait *wait = user_data;

  return wait->done;
}

static gboolean
set_flag_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;

  return G_SOURCE_REMOVE;
}

gboolean
cfs_test_wait_until (GSourceFunc condition,
                     gpointer    user_data,
                     guint       timeout_ms)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add (timeout_ms, set_flag_cb, &timed_out);
  gboolean held;

  while (!(held = condition (user_data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);

  return held;
}

static const char *
find_server_binary (void)
{
  static char *path;

  if (path == NULL)
    {
      const char *from_env = g_getenv ("CONFAB_SERVER_BINARY");

      if (from_env != NULL)
        path = g_strdup (from_env);
      else
        path = g_build_filename (g_getenv ("CONFAB_BUILD_DIR"), "src", "server",
                                 "confab-server", NULL);
    }

  return path;
}

static void read_next_line (CfsTestServer *server);

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CfsTestServer *server = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                    NULL, &error);
  if (line == NULL)
    {
      server->output_closed = TRUE;
      return;
    }

  g_string_append (server->log, line);
  g_string_append_c (server->log, '\n');

  if (server->url == NULL && g_str_has_prefix (line, LISTENING_PREFIX))
    server->url = g_strdup (line + strlen (LISTENING_PREFIX));

  read_next_line (server);
}

static void
read_next_line (CfsTestServer *server)
{
  g_data_input_stream_read_line_async (server->output, G_PRIORITY_DEFAULT, NULL,
                                       read_line_cb, server);
}

static void
wait_process_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CfsTestServer *server = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  server->exited = TRUE;
}

static gboolean
is_started (gpointer user_data)
{
  CfsTestServer *server = user_data;

  return server->url != NULL || (server->exited && server->output_closed);
}

static gboolean
is_stopped (gpointer user_data)
{
  CfsTestServer *server = user_data;

  return server->exited && server->output_closed;
}

static void
launch (CfsTestServer *server)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&server->url, g_free);
  server->exited = FALSE;
  server->output_closed = FALSE;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  /* Debug messages on, so that the log checks cover them too. */
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "CONFAB_JITSI_SECRET");
  g_subprocess_launcher_set_child_setup (launcher, end_with_parent, NULL, NULL);

  server->process = g_subprocess_launcher_spawn (launcher, &error, find_server_binary (),
                                                 "--config", server->config_path, NULL);
  g_assert_no_error (error);

  g_clear_object (&server->output);
  server->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  read_next_line (server);
  g_subprocess_wait_async (server->process, NULL, wait_process_cb, server);

  cfs_test_wait_until (is_started, server, START_TIMEOUT_MS);
  if (server->url == NULL)
    g_error ("confab-server did not start; its output:\n%s", server->log->str);
}

static void
merge_key_file (GKeyFile   *into,
                const char *text)
{
  g_autoptr(GKeyFile) extra = g_key_file_new ();
  g_auto(GStrv) groups = NULL;
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_data (extra, text, -1, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  groups = g_key_file_get_groups (extra, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (extra, groups[i], NULL, NULL);

      for (guint j = 0; keys[j] != NULL; j++)
        {
          g_autofree char *value = g_key_file_get_value (extra, groups[i], keys[j], NULL);

          g_key_file_set_value (into, groups[i], keys[j], value);
        }
    }
}

static void
write_config (CfsTestServer *server,
              const char    *extra_config)
{
  g_autoptr(GKeyFile) config = g_key_file_new ();
  g_autofree char *database = g_build_filename (server->dir, "confab.db", NULL);
  g_autoptr(GError) error = NULL;

  g_key_file_set_string (config, "server", "listen", "127.0.0.1");
  g_key_file_set_integer (config, "server", "port", 0);
  g_key_file_set_string (config, "server", "database", database);
  g_key_file_set_string (config, "server", "state_dir", server->dir);
  g_key_file_set_string (config, "jitsi", "domain", CFS_TEST_JITSI_DOMAIN);
  g_key_file_set_string (config, "jitsi", "app_id", CFS_TEST_JITSI_APP_ID);

  if (extra_config != NULL)
    merge_key_file (config, extra_config);

  server->config_path = g_build_filename (server->dir, "confab-server.conf", NULL);
  g_key_file_save_to_file (config, server->config_path, &error);
  g_assert_no_error (error);
}

CfsTestServer *
cfs_test_server_start (const char *extra_config)
{
  CfsTestServer *server = g_new0 (CfsTestServer, 1);
  g_autoptr(GError) error = NULL;

  server->dir = g_dir_make_tmp ("confab-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->log = g_string_new (NULL);
  server->session = soup_session_new_with_options ("timeout", 30, NULL);

  write_config (server, extra_config);
  launch (server);

  return server;
}

const char *
cfs_test_server_get_url (CfsTestServer *server)
{
  return server->url;
}

const char *
cfs_test_server_get_dir (CfsTestServer *server)
{
  return server->dir;
}

const char *
cfs_test_server_get_log (CfsTestServer *server)
{
  return server->log->str;
}

void
cfs_test_server_stop (CfsTestServer *server)
{
  if (server->process == NULL)
    return;

  if (!server->exited)
    g_subprocess_send_signal (server->process, SIGTERM);

  if (!cfs_test_wait_until (is_stopped, server, STOP_TIMEOUT_MS))
    {
      g_subprocess_force_exit (server->process);
      g_error ("confab-server did not stop after SIGTERM; its output:\n%s", server->log->str);
    }

  if (!g_subprocess_get_if_exited (server->process) ||
      g_subprocess_get_exit_status (server->process) != 0)
    g_error ("confab-server did not exit with status 0 after SIGTERM; its output:\n%s",
             server->log->str);

  g_clear_object (&server->output);
  g_clear_object (&server->process);
}

void
cfs_test_server_restart (CfsTestServer *server)
{
  cfs_test_server_stop (server);
  launch (server);
}

static void
delete_directory (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_remove (child);
    }

  g_rmdir (path);
}

void
cfs_test_server_free (CfsTestServer *server)
{
  if (server == NULL)
    return;

  cfs_test_server_stop (server);
  delete_directory (server->dir);

  g_free (server->dir);
  g_free (server->config_path);
  g_free (server->url);
  g_string_free (server->log, TRUE);
  g_clear_object (&server->session);
  g_free (server);
}

int
cfs_test_server_run_command (CfsTestServer       *server,
                             const char * const  *args,
                             const char          *stdin_text,
                             char               **output_out)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  g_ptr_array_add (argv, (gpointer) find_server_binary ());
  g_ptr_array_add (argv, (gpointer) "--config");
  g_ptr_array_add (argv, server->config_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_MERGE,
                               &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, stdin_text != NULL ? stdin_text : "", NULL,
                                 &output, NULL, &error);
  g_assert_no_error (error);

  g_string_append (server->log, output);
  if (output_out != NULL)
    *output_out = g_steal_pointer (&output);

  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

static void
send_and_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &wait->error);
  wait->done = TRUE;
}

/* Sends one request on @session and returns the response body. @msg_out
 * receives the message, for its status and headers. Aborts the test when
 * no response comes.
 */
static GBytes *
send_and_read (CfsTestServer  *server,
               SoupSession    *session,
               const char     *method,
               const char     *path,
               const char     *token,
               const char     *json_body,
               SoupMessage   **msg_out)
{
  g_autofree char *uri = g_strconcat (server->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };

  g_assert_nonnull (msg);

  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", authorization);
    }

  if (json_body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
    }

  /* The main loop keeps running while the request is under way, so the
   * server's output is drained and the server never blocks on a full pipe.
   */
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    send_and_read_cb, &wait);
  if (!cfs_test_wait_until (is_async_done, &wait, REQUEST_TIMEOUT_MS))
    g_error ("%s %s timed out; the server's output:\n%s", method, path, server->log->str);

  error = g_steal_pointer (&wait.error);
  if (wait.result == NULL)
    {
      /* A crashed server's last words arrive asynchronously. */
      cfs_test_wait_until (is_stopped, server, 2000);
      g_error ("%s %s failed: %s; the server's output:\n%s", method, path, error->message,
               server->log->str);
    }

  *msg_out = g_steal_pointer (&msg);

  return wait.result;
}

JsonNode *
cfs_test_request_full (CfsTestServer       *server,
                       const char          *method,
                       const char          *path,
                       const char          *token,
                       const char          *json_body,
                       guint               *status_out,
                       SoupMessageHeaders **headers_out)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data;

  body = send_and_read (server, server->session, method, path, token, json_body, &msg);

  if (status_out != NULL)
    *status_out = soup_message_get_status (msg);
  if (headers_out != NULL)
    *headers_out = soup_message_headers_ref (soup_message_get_response_headers (msg));

  data = g_bytes_get_data (body, &length);
  if (length == 0 || !json_parser_load_from_data (parser, data, length, NULL))
    return NULL;

  return json_node_ref (json_parser_get_root (parser));
}

JsonNode *
cfs_test_request (CfsTestServer *server,
                  const char    *method,
                  const char    *path,
                  const char    *token,
                  const char    *json_body,
                  guint         *status_out)
{
  return cfs_test_request_full (server, method, path, token, json_body, status_out, NULL);
}

/* Returns the JSON body of a register or login request; @name (nullable)
 * is left out when NULL.
 */
static char *
build_account_body (const char *name,
                    const char *email,
                    const char *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (name != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
    }
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

char *
cfs_test_register (CfsTestServer *server,
                   const char    *name,
                   const char    *email,
                   gint64        *user_id_out)
{
  g_autofree char *password = g_strconcat ("password-", name, NULL);
  g_autofree char *body = build_account_body (name, email, password);
  g_autoptr(JsonNode) response = NULL;
  JsonObject *object;
  guint status = 0;

  response = cfs_test_request (server, "POST", "/api/v1/auth/register", NULL, body, &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_nonnull (response);

  object = json_node_get_object (response);
  if (user_id_out != NULL)
    *user_id_out = json_object_get_int_member (json_object_get_object_member (object, "user"),
                                               "id");

  return g_strdup (json_object_get_string_member (object, "token"));
}

gint64
cfs_test_create_room (CfsTestServer *server,
                      const char    *token,
                      const char    *name,
                      guint          capacity)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "capacity");
  json_builder_add_int_value (builder, capacity);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  body = json_to_string (request, FALSE);

  response = cfs_test_request (server, "POST", "/api/v1/rooms", token, body, &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_nonnull (response);

  return json_object_get_int_member (json_node_get_object (response), "id");
}

static void
queue_free (gpointer data)
{
  g_queue_free_full (data, (GDestroyNotify) json_object_unref);
}

static void
ws_message_cb (SoupWebsocketConnection *ws,
               SoupWebsocketDataType    type,
               GBytes                  *message,
               gpointer                 user_data)
{
  GQueue *queue = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data = g_bytes_get_data (message, &length);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, length, NULL))
    g_error ("The server sent a WebSocket message that is not JSON: %.*s", (int) length, data);

  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_queue_push_tail (queue, json_object_ref (json_node_get_object (root)));
}

static void
ws_connect_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncWait *wait = user_data;
  SoupWebsocketConnection *ws;
  GQueue *queue = g_queue_new ();

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &wait->error);
  wait->done = TRUE;
  if (ws == NULL)
    {
      g_queue_free (queue);
      return;
    }

  /* Connected before the first main-loop turn, so `hello` is not missed. */
  g_object_set_data_full (G_OBJECT (ws), "cfs-test-queue", queue, queue_free);
  g_signal_connect (ws, "message", G_CALLBACK (ws_message_cb), queue);
  wait->result = ws;
}

SoupWebsocketConnection *
cfs_test_ws_connect (CfsTestServer *server,
                     const char    *token)
{
  g_autofree char *http_uri = g_strconcat (server->url, "/api/v1/ws", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", http_uri);
  AsyncWait wait = { 0 };
  g_autoptr(JsonObject) hello = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Authorization", authorization);
  soup_session_websocket_connect_async (server->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, ws_connect_cb, &wait);

  if (!cfs_test_wait_until (is_async_done, &wait, WS_TIMEOUT_MS))
    g_error ("The WebSocket connection to %s timed out", http_uri);
  g_assert_no_error (wait.error);

  hello = cfs_test_ws_request (wait.result, NULL, "hello");

  return wait.result;
}

typedef struct {
  GQueue     *queue;
  const char *expected_type;
  JsonObject *found;
  gboolean    closed;
} MessageWait;

static gboolean
is_message_found (gpointer user_data)
{
  MessageWait *wait = user_data;
  JsonObject *message;

  while ((message = g_queue_pop_head (wait->queue)) != NULL)
    {
      const char *type = json_object_get_string_member_with_default (message, "type", "");

      if (g_strcmp0 (type, wait->expected_type) == 0)
        {
          wait->found = message;
          return TRUE;
        }

      if (g_strcmp0 (type, "error") == 0)
        g_error ("Expected a “%s” message, got an error: %s: %s", wait->expected_type,
                 json_object_get_string_member_with_default (message, "code", ""),
                 json_object_get_string_member_with_default (message, "message", ""));

      json_object_unref (message);
    }

  return wait->closed;
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  MessageWait *wait = user_data;

  wait->closed = TRUE;
}

JsonObject *
cfs_test_ws_request (SoupWebsocketConnection *ws,
                     const char              *json,
                     const char              *expected_type)
{
  MessageWait wait = { 0 };
  gulong closed_id;

  wait.queue = g_object_get_data (G_OBJECT (ws), "cfs-test-queue");
  wait.expected_type = expected_type;
  g_assert_nonnull (wait.queue);

  if (json != NULL)
    soup_websocket_connection_send_text (ws, json);

  wait.closed = soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_CLOSED;
  closed_id = g_signal_connect (ws, "closed", G_CALLBACK (ws_closed_cb), &wait);
  cfs_test_wait_until (is_message_found, &wait, WS_TIMEOUT_MS);
  g_signal_handler_disconnect (ws, closed_id);

  if (wait.found == NULL)
    g_error ("No “%s” message within %d ms%s", expected_type, WS_TIMEOUT_MS,
             wait.closed ? " (the connection closed)" : "");

  return wait.found;
}

GQueue *
cfs_test_ws_get_queue (SoupWebsocketConnection *ws)
{
  GQueue *queue = g_object_get_data (G_OBJECT (ws), "cfs-test-queue");

  g_assert_nonnull (queue);
  return queue;
}

void
cfs_test_ws_clear_queue (SoupWebsocketConnection *ws)
{
  GQueue *queue = cfs_test_ws_get_queue (ws);
  JsonObject *message;

  while ((message = g_queue_pop_head (queue)) != NULL)
    json_object_unref (message);
}

static gboolean
is_ws_closed (gpointer user_data)
{
  return soup_websocket_connection_get_state (user_data) == SOUP_WEBSOCKET_STATE_CLOSED;
}

gushort
cfs_test_ws_wait_for_close (SoupWebsocketConnection *ws)
{
  g_assert_true (cfs_test_wait_until (is_ws_closed, ws, WS_TIMEOUT_MS));

  return soup_websocket_connection_get_close_code (ws);
}

JsonObject *
cfs_test_ws_join_room (SoupWebsocketConnection *ws,
                       gint64                   room_id)
{
  g_autofree char *json = g_strdup_printf ("{\"type\": \"joinRoom\", \"roomId\": %" G_GINT64_FORMAT "}",
                                           room_id);

  return cfs_test_ws_request (ws, json, "roomState");
}

void
cfs_test_ws_leave_room (SoupWebsocketConnection *ws,
                        gint64                   room_id)
{
  g_autofree char *json = g_strdup_printf ("{\"type\": \"leaveRoom\", \"requestId\": \"l\", \"roomId\": %"
                                           G_GINT64_FORMAT "}", room_id);
  g_autoptr(JsonObject) ok = cfs_test_ws_request (ws, json, "ok");
}

SoupWebsocketConnection *
cfs_test_ws_join_as (CfsTestServer *server,
                     const char    *token,
                     gint64         room_id)
{
  SoupWebsocketConnection *ws = cfs_test_ws_connect (server, token);
  g_autoptr(JsonObject) state = cfs_test_ws_join_room (ws, room_id);

  g_assert_cmpint (json_object_get_int_member (state, "roomId"), ==, room_id);

  return ws;
}

char *
cfs_test_login (CfsTestServer *server,
                const char    *email,
                const char    *password,
                guint         *status_out)
{
  g_autofree char *body = build_account_body (NULL, email, password);
  g_autoptr(JsonNode) response = NULL;

  response = cfs_test_request (server, "POST", "/api/v1/auth/login", NULL, body, status_out);
  if (*status_out != 200)
    return NULL;

  return g_strdup (json_object_get_string_member (cfs_test_get_object (response), "token"));
}

GBytes *
cfs_test_fetch (CfsTestServer       *server,
                const char          *path,
                const char          *token,
                guint               *status_out,
                SoupMessageHeaders **headers_out)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  GBytes *body = send_and_read (server, session, "GET", path, token, NULL, &msg);

  *status_out = soup_message_get_status (msg);
  if (headers_out != NULL)
    *headers_out = soup_message_headers_ref (soup_message_get_response_headers (msg));

  return body;
}

/* Asserts that @node is a JSON object and returns it. */
JsonObject *
cfs_test_get_object (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_node_get_object (node);
}

/* Asserts a REST error body with @code and a message, and returns the message. */
const char *
cfs_test_assert_error (JsonNode   *node,
                       const char *code)
{
  JsonObject *error = json_object_get_object_member (cfs_test_get_object (node), "error");

  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member (error, "message"), !=, "");

  return json_object_get_string_member (error, "message");
}
