/* cfs-test-server.h: the real confab-server binary on loopback, for tests.
 *
 * Each server runs in its own temporary directory (database, Jitsi secret,
 * config) on 127.0.0.1 with a port picked by the kernel. The helpers block
 * by iterating the default main context, so WebSocket signals keep
 * being delivered while a test waits.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _CfsTestServer CfsTestServer;

/* The Jitsi domain and app id every test server is configured with. */
#define CFS_TEST_JITSI_DOMAIN "meet.example.org"
#define CFS_TEST_JITSI_APP_ID "confab-test"

/* Starts confab-server; @extra_config is keyfile text whose keys override
 * the defaults (port 0, a temporary database, the test Jitsi settings).
 * Aborts the test if the server does not print its address within 20 s.
 */
CfsTestServer           *cfs_test_server_start        (const char              *extra_config);

/* Returns http://127.0.0.1:PORT. */
const char              *cfs_test_server_get_url      (CfsTestServer           *server);

/* Returns the server's temporary directory: confab.db, jitsi-secret, the config. */
const char              *cfs_test_server_get_dir      (CfsTestServer           *server);

/* Returns everything the server printed so far, stdout and stderr. */
const char              *cfs_test_server_get_log      (CfsTestServer           *server);

/* Runs the binary once more with @args appended to its usual --config
 * option, feeding it @stdin_text, and waits for it; returns the exit status
 * and its output in @output_out.
 */
int                      cfs_test_server_run_command  (CfsTestServer           *server,
                                                       const char * const      *args,
                                                       const char              *stdin_text,
                                                       char                   **output_out);

/* Sends SIGTERM and waits for the exit; asserts the exit status is 0. */
void                     cfs_test_server_stop         (CfsTestServer           *server);

/* Stops and starts the server again on the same database and config; the
 * port changes.
 */
void                     cfs_test_server_restart      (CfsTestServer           *server);

/* Stops the server if it runs, deletes its directory and frees @server. */
void                     cfs_test_server_free         (CfsTestServer           *server);

/* Sends one HTTP request. @json_body is sent as-is with the JSON content
 * type, so it may be malformed on purpose. Returns the parsed response body
 * (NULL when it is empty or not JSON) and the status in @status_out.
 */
JsonNode                *cfs_test_request             (CfsTestServer           *server,
                                                       const char              *method,
                                                       const char              *path,
                                                       const char              *token,
                                                       const char              *json_body,
                                                       guint                   *status_out);

/* Like cfs_test_request(), and returns a reference to the response
 * headers in @headers_out.
 */
JsonNode                *cfs_test_request_full        (CfsTestServer           *server,
                                                       const char              *method,
                                                       const char              *path,
                                                       const char              *token,
                                                       const char              *json_body,
                                                       guint                   *status_out,
                                                       SoupMessageHeaders     **headers_out);

/* Registers an account with the password "password-<name>" and asserts
 * 201; returns the session token.
 */
char                    *cfs_test_register            (CfsTestServer           *server,
                                                       const char              *name,
                                                       const char              *email,
                                                       gint64                  *user_id_out);

/* Creates a room as @token's user and asserts 201; returns its id. */
gint64                   cfs_test_create_room         (CfsTestServer           *server,
                                                       const char              *token,
                                                       const char              *name,
                                                       guint                    capacity);

/* Opens /api/v1/ws with @token and waits for the `hello` message. */
SoupWebsocketConnection *cfs_test_ws_connect          (CfsTestServer           *server,
                                                       const char              *token);

/* Sends @json and waits up to 10 s for a message of @expected_type,
 * dropping others; aborts the test on timeout or on an `error` message when
 * another type is expected.
 */
JsonObject              *cfs_test_ws_request          (SoupWebsocketConnection *ws,
                                                       const char              *json,
                                                       const char              *expected_type);

/* Returns the messages @ws received that no helper took yet, oldest first.
 * cfs_test_ws_request() also takes the messages it skips. The queue owns
 * each JsonObject.
 */
GQueue                  *cfs_test_ws_get_queue        (SoupWebsocketConnection *ws);

/* Drops every queued message of @ws. */
void                     cfs_test_ws_clear_queue      (SoupWebsocketConnection *ws);

/* Waits up to 10 s for @ws to close, asserts that it did, and returns the
 * close code.
 */
gushort                  cfs_test_ws_wait_for_close   (SoupWebsocketConnection *ws);

/* Sends `joinRoom` for @room_id and returns the `roomState` reply. */
JsonObject              *cfs_test_ws_join_room        (SoupWebsocketConnection *ws,
                                                       gint64                   room_id);

/* Sends `leaveRoom` for @room_id and waits for the `ok` reply. */
void                     cfs_test_ws_leave_room       (SoupWebsocketConnection *ws,
                                                       gint64                   room_id);

/* Opens a WebSocket as @token's user and joins @room_id with it, which
 * takes a seat, as another participant's client does.
 */
SoupWebsocketConnection *cfs_test_ws_join_as          (CfsTestServer           *server,
                                                       const char              *token,
                                                       gint64                   room_id);

/* Signs in over REST and returns the new session's token, or NULL when the
 * status, stored in @status_out, is not 200.
 */
char                    *cfs_test_login               (CfsTestServer           *server,
                                                       const char              *email,
                                                       const char              *password,
                                                       guint                   *status_out);

/* Sends a GET on a session of its own and returns the body as it came,
 * for responses that are not JSON. @headers_out (nullable) receives a
 * reference to the response headers.
 */
GBytes                  *cfs_test_fetch               (CfsTestServer           *server,
                                                       const char              *path,
                                                       const char              *token,
                                                       guint                   *status_out,
                                                       SoupMessageHeaders     **headers_out);

/* Iterates the default main context until @condition returns TRUE or
 * @timeout_ms pass; returns whether the condition held.
 */
gboolean                 cfs_test_wait_until          (GSourceFunc              condition,
                                                       gpointer                 user_data,
                                                       guint                    timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfsTestServer, cfs_test_server_free)

JsonObject              *cfs_test_get_object          (JsonNode                *node);
const char              *cfs_test_assert_error        (JsonNode                *node,
                                                       const char              *code);

G_END_DECLS
