/* test-shell.c: sign-in, the live lobby and the session, in real windows
 * against the real confab-server on loopback
 */
#define G_LOG_DOMAIN "confab-test"

#include "config.h"

#include <libsecret/secret.h>

#include "cfs-test-server.h"
#include <adwaita.h>

#include "confab-application.h"
#include "confab-json.h"
#include "confab-lobby-page.h"
#include "confab-protocol.h"
#include "confab-room-row.h"
#include "confab-session-store.h"
#include "confab-sign-in-page.h"
#include "confab-test-util.h"
#include "confab-window.h"

#define TIMEOUT_MS CONFAB_TEST_TIMEOUT_MS

static ConfabApplication *application;

typedef struct {
  CfsTestServer *server;
  GSettings     *settings;
  ConfabWindow  *window;
  char          *ada_token;
  gint64         ada_id;
} Fixture;

/* Helpers */

static GtkWidget *
find_in_window (ConfabWindow *window,
                const char   *buildable_id)
{
  GtkWidget *widget = confab_test_find_by_id (GTK_WIDGET (window), buildable_id);

  g_assert_nonnull (widget);
  return widget;
}

static ConfabSignInPage *
get_sign_in_page (ConfabWindow *window)
{
  return CONFAB_SIGN_IN_PAGE (find_in_window (window, "sign_in_page"));
}

static ConfabLobbyPage *
get_lobby_page (ConfabWindow *window)
{
  return CONFAB_LOBBY_PAGE (find_in_window (window, "lobby_page"));
}

static gboolean
lobby_is_synchronized (ConfabWindow *window)
{
  ConfabRoomList *list = confab_lobby_page_get_room_list (get_lobby_page (window));

  return confab_room_list_get_synchronized (list);
}

static void
collect_rows (GtkWidget  *widget,
              GPtrArray  *rows)
{
  if (CONFAB_IS_ROOM_ROW (widget))
    {
      g_ptr_array_add (rows, widget);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

/* Returns the row the user sees for @room_id, or NULL. */
static GtkWidget *
find_room_row (ConfabWindow *window,
               gint64        room_id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (get_lobby_page (window)), rows);

  for (guint i = 0; i < rows->len; i++)
    {
      ConfabRoomRow *row = g_ptr_array_index (rows, i);
      ConfabRoomItem *item = confab_room_row_get_item (row);

      if (item != NULL && confab_room_item_get_id (item) == room_id
          && confab_test_is_showing (GTK_WIDGET (row)))
        return GTK_WIDGET (row);
    }

  return NULL;
}

static const char *
row_text (ConfabWindow *window,
          gint64        room_id,
          const char   *label_id)
{
  GtkWidget *row = find_room_row (window, room_id);
  GtkWidget *label;

  if (row == NULL)
    return NULL;

  label = confab_test_find_by_id (row, label_id);
  if (!confab_test_is_showing (label))
    return NULL;

  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
row_shows (ConfabWindow *window,
           gint64        room_id,
           const char   *label_id,
           const char   *text)
{
  return g_strcmp0 (row_text (window, room_id, label_id), text) == 0;
}

static char *
lookup_keyring (const char *server_url,
                const char *email)
{
  g_autoptr(GError) error = NULL;
  char *token;

  token = secret_password_lookup_sync (confab_session_store_get_schema (), NULL, &error,
                                       "server", server_url,
                                       "email", email,
                                       NULL);
  g_assert_no_error (error);

  return token;
}

static gboolean
keyring_has_item (const char *server_url,
                  const char *email)
{
  g_autofree char *token = lookup_keyring (server_url, email);

  return token != NULL;
}

static const char *
sign_in_message (ConfabWindow *window)
{
  return confab_sign_in_page_get_message (get_sign_in_page (window));
}

static guint
pick_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any_port, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Fixtures */

static void
fixture_set_up_with_config (Fixture    *fixture,
                            const char *config)
{
  fixture->server = cfs_test_server_start (config);
  fixture->settings = confab_test_new_settings (cfs_test_server_get_url (fixture->server));
  fixture->ada_token = cfs_test_register (fixture->server, "Ada", "ada@example.org", &fixture->ada_id);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture_set_up_with_config (fixture, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  confab_test_close_window (fixture->window);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->ada_token, g_free);
  g_clear_pointer (&fixture->server, cfs_test_server_free);
}

/* Tests */

static void
test_sign_in_shows_rooms (Fixture       *fixture,
                          gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  const char *url = cfs_test_server_get_url (server);
  g_autofree char *bob_token = cfs_test_register (server, "Bob", "bob@example.org", NULL);
  g_autofree char *carol_token = cfs_test_register (server, "Carol", "carol@example.org", NULL);
  gint64 sync_id = cfs_test_create_room (server, fixture->ada_token, "Weekly Sync", 10);
  gint64 pair_id = cfs_test_create_room (server, fixture->ada_token, "Pairing", 2);
  g_autoptr(SoupWebsocketConnection) bob = cfs_test_ws_join_as (server, bob_token, sync_id);
  g_autoptr(SoupWebsocketConnection) bob_pair = cfs_test_ws_join_as (server, bob_token, pair_id);
  g_autoptr(SoupWebsocketConnection) carol = cfs_test_ws_join_as (server, carol_token, pair_id);
  GtkWidget *row;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");

  CONFAB_TEST_WAIT_UNTIL (lobby_is_synchronized (fixture->window), TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (confab_lobby_page_get_room_list (get_lobby_page (fixture->window)))), ==, 2);

  /* Presence is per connection's room, so Bob counts in both rooms. */
  CONFAB_TEST_WAIT_UNTIL (row_shows (fixture->window, sync_id, "count_label", "1 / 10"), TIMEOUT_MS);
  g_assert_cmpstr (row_text (fixture->window, sync_id, "name_label"), ==, "Weekly Sync");
  g_assert_cmpstr (row_text (fixture->window, sync_id, "owner_label"), ==, "Hosted by Ada");

  CONFAB_TEST_WAIT_UNTIL (row_shows (fixture->window, pair_id, "count_label", "2 / 2"), TIMEOUT_MS);
  g_assert_cmpstr (row_text (fixture->window, pair_id, "state_label"), ==, "Full");

  row = find_room_row (fixture->window, pair_id);
  g_assert_false (gtk_widget_get_sensitive (confab_test_find_button (row, "Join and chat now!")));
  row = find_room_row (fixture->window, sync_id);
  g_assert_true (gtk_widget_get_sensitive (confab_test_find_button (row, "Join and chat now!")));

  /* The session went to the keyring, and the account to the settings. */
  CONFAB_TEST_WAIT_UNTIL (keyring_has_item (url, "ada@example.org"), TIMEOUT_MS);
  g_assert_cmpstr (g_settings_get_string (fixture->settings, "account-email"), ==, "ada@example.org");
}

static void
test_second_user_join_updates_count (Fixture       *fixture,
                                     gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autofree char *bob_token = cfs_test_register (server, "Bob", "bob@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, fixture->ada_token, "Weekly Sync", 10);
  g_autoptr(SoupWebsocketConnection) bob = NULL;
  g_autoptr(JsonObject) left = NULL;
  g_autofree char *leave = NULL;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (row_shows (fixture->window, room_id, "count_label", "0 / 10"), TIMEOUT_MS);

  bob = cfs_test_ws_join_as (server, bob_token, room_id);
  CONFAB_TEST_WAIT_UNTIL (row_shows (fixture->window, room_id, "count_label", "1 / 10"), TIMEOUT_MS);

  leave = g_strdup_printf ("{\"type\": \"leaveRoom\", \"roomId\": %" G_GINT64_FORMAT ", \"requestId\": \"l1\"}",
                           room_id);
  left = cfs_test_ws_request (bob, leave, "ok");
  CONFAB_TEST_WAIT_UNTIL (row_shows (fixture->window, room_id, "count_label", "0 / 10"), TIMEOUT_MS);
}

static void
test_ban_and_rename_update_row (Fixture       *fixture,
                                gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  gint64 bob_id = 0;
  g_autofree char *bob_token = cfs_test_register (server, "Bob", "bob@example.org", &bob_id);
  gint64 room_id = cfs_test_create_room (server, fixture->ada_token, "Weekly Sync", 10);
  g_autofree char *ban_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/bans/%" G_GINT64_FORMAT,
                                               room_id, bob_id);
  g_autofree char *room_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, room_id);
  g_autoptr(JsonNode) reply = NULL;
  GtkWidget *join;
  guint status = 0;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  confab_test_sign_in (fixture->window, "bob@example.org", "password-Bob");
  CONFAB_TEST_WAIT_UNTIL (find_room_row (fixture->window, room_id) != NULL, TIMEOUT_MS);
  join = confab_test_find_button (find_room_row (fixture->window, room_id), "Join and chat now!");
  g_assert_true (gtk_widget_get_sensitive (join));

  /* The owner bans Bob: his row shows the ban at once and he cannot join. */
  reply = cfs_test_request (server, "PUT", ban_path, fixture->ada_token, "{\"reason\": \"spam\"}", &status);
  g_assert_cmpuint (status, ==, 204);
  CONFAB_TEST_WAIT_UNTIL (row_shows (fixture->window, room_id, "state_label", "Banned"), TIMEOUT_MS);
  g_assert_false (gtk_widget_get_sensitive (join));

  /* The ban is lifted. */
  g_clear_pointer (&reply, json_node_unref);
  reply = cfs_test_request (server, "DELETE", ban_path, fixture->ada_token, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  CONFAB_TEST_WAIT_UNTIL (gtk_widget_get_sensitive (join), TIMEOUT_MS);
  g_assert_null (row_text (fixture->window, room_id, "state_label"));

  /* A rename reaches the row too. */
  g_clear_pointer (&reply, json_node_unref);
  reply = cfs_test_request (server, "PATCH", room_path, fixture->ada_token,
                            "{\"name\": \"Monthly Sync\", \"topic\": \"Budget\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  CONFAB_TEST_WAIT_UNTIL (row_shows (fixture->window, room_id, "name_label", "Monthly Sync"), TIMEOUT_MS);
  g_assert_cmpstr (row_text (fixture->window, room_id, "topic_label"), ==, "Budget");
}

static void
test_room_created_appears (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkWidget *lobby;
  GtkWidget *dialog;
  ConfabRoomList *list;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (lobby_is_synchronized (fixture->window), TIMEOUT_MS);

  lobby = GTK_WIDGET (get_lobby_page (fixture->window));
  list = confab_lobby_page_get_room_list (CONFAB_LOBBY_PAGE (lobby));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_nonnull (confab_test_find_label (lobby, "No Rooms Yet"));

  CONFAB_TEST_WAIT_UNTIL (gtk_widget_get_sensitive (confab_test_find_button (lobby, "Create a Room")), TIMEOUT_MS);
  confab_test_click (confab_test_find_button (lobby, "Create a Room"));

  dialog = confab_test_find_toplevel ("ConfabNewRoomDialog");
  g_assert_nonnull (dialog);
  CONFAB_TEST_WAIT_UNTIL (gtk_widget_get_mapped (dialog), TIMEOUT_MS);

  /* An empty name is rejected in place, with the dialog still open. */
  confab_test_click (confab_test_find_button (dialog, "Create"));
  g_assert_true (confab_test_is_showing (confab_test_find_label (dialog, "Enter a name for the room.")));

  confab_test_type (confab_test_find_by_id (dialog, "name_row"), "Design Review");
  confab_test_type (confab_test_find_by_id (dialog, "topic_row"), "Mockups for 2.0");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (confab_test_find_by_id (dialog, "capacity_spin")), 5);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  confab_test_click (confab_test_find_button (dialog, "Create"));

  CONFAB_TEST_WAIT_UNTIL (dialog == NULL, TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (list)) == 1, TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (row_shows (fixture->window, 1, "count_label", "0 / 5"), TIMEOUT_MS);
  g_assert_cmpstr (row_text (fixture->window, 1, "name_label"), ==, "Design Review");
  g_assert_cmpstr (row_text (fixture->window, 1, "topic_label"), ==, "Mockups for 2.0");
}

static void
test_search_filters_rooms (Fixture       *fixture,
                           gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  gint64 sync_id = cfs_test_create_room (server, fixture->ada_token, "Weekly Sync", 10);
  gint64 design_id = cfs_test_create_room (server, fixture->ada_token, "Design Review", 10);
  g_autofree char *rename_path = NULL;
  g_autoptr(JsonNode) reply = NULL;
  GtkWidget *lobby;
  GListModel *shown;
  guint status = 0;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (find_room_row (fixture->window, design_id) != NULL, TIMEOUT_MS);

  lobby = GTK_WIDGET (get_lobby_page (fixture->window));
  shown = confab_lobby_page_get_shown_rooms (CONFAB_LOBBY_PAGE (lobby));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);

  confab_test_type (confab_test_find_by_id (lobby, "search_entry"), "DESIGN");
  CONFAB_TEST_WAIT_UNTIL (g_list_model_get_n_items (shown) == 1, TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (find_room_row (fixture->window, sync_id) == NULL, TIMEOUT_MS);
  g_assert_nonnull (find_room_row (fixture->window, design_id));

  /* A rename that no longer matches takes the room out of the results. */
  rename_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, design_id);
  reply = cfs_test_request (fixture->server, "PATCH", rename_path, fixture->ada_token,
                            "{\"name\": \"Budget\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  CONFAB_TEST_WAIT_UNTIL (g_list_model_get_n_items (shown) == 0, TIMEOUT_MS);

  confab_test_type (confab_test_find_by_id (lobby, "search_entry"), "budget");
  CONFAB_TEST_WAIT_UNTIL (g_list_model_get_n_items (shown) == 1, TIMEOUT_MS);

  confab_test_type (confab_test_find_by_id (lobby, "search_entry"), "nothing like this");
  CONFAB_TEST_WAIT_UNTIL (g_list_model_get_n_items (shown) == 0, TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (confab_test_is_showing (confab_test_find_label (lobby, "No Matching Rooms")), TIMEOUT_MS);

  /* Escape emits stop-search, which clears the search and shows every room. */
  g_signal_emit_by_name (confab_test_find_by_id (lobby, "search_entry"), "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (confab_test_find_by_id (lobby, "search_entry"))), ==, "");
  CONFAB_TEST_WAIT_UNTIL (g_list_model_get_n_items (shown) == 2, TIMEOUT_MS);
}

static void
test_sign_out_removes_keyring_item (Fixture       *fixture,
                                    gconstpointer  data)
{
  const char *url = cfs_test_server_get_url (fixture->server);
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) me = NULL;
  guint status = 0;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (keyring_has_item (url, "ada@example.org"), TIMEOUT_MS);
  token = lookup_keyring (url, "ada@example.org");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-out", NULL);

  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (!keyring_has_item (url, "ada@example.org"), TIMEOUT_MS);
  g_assert_null (confab_window_get_api (fixture->window));
  g_assert_null (confab_window_get_socket (fixture->window));

  /* The server revoked the session too. */
  for (status = 0; status != 401;)
    {
      g_clear_pointer (&me, json_node_unref);
      me = cfs_test_request (fixture->server, "GET", "/api/v1/me", token, NULL, &status);
      if (status != 401)
        confab_test_run_for (50);
    }
  g_assert_cmpuint (status, ==, 401);
}

static void
test_stored_session_resumes (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *url = cfs_test_server_get_url (fixture->server);
  g_autoptr(GSettings) settings = NULL;
  ConfabWindow *second = NULL;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (keyring_has_item (url, "ada@example.org"), TIMEOUT_MS);
  confab_test_close_window (fixture->window);

  /* A new window with the same settings signs in without a password. */
  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "lobby"), TIMEOUT_MS);
  g_assert_cmpstr (confab_json_get_string (confab_window_get_user (fixture->window), "email"), ==, "ada@example.org");
  confab_test_close_window (fixture->window);

  /* A stored session that the server no longer accepts leads to sign-in
   * with a message, and is removed from the keyring.
   */
  secret_password_store_sync (confab_session_store_get_schema (), SECRET_COLLECTION_DEFAULT,
                              "stale", "0000000000000000000000000000000000000000000000000000000000000000",
                              NULL, NULL,
                              "server", url, "email", "ada@example.org", NULL);

  settings = confab_test_new_settings (url);
  g_settings_set_string (settings, "account-email", "ada@example.org");
  confab_test_open_tracked_window (application, settings, &second);

  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (second, "sign-in"), TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (strstr (sign_in_message (second), "Sign in again") != NULL, TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (!keyring_has_item (url, "ada@example.org"), TIMEOUT_MS);

  confab_test_close_window (second);
}

static void
test_revoked_session_returns_to_sign_in (Fixture       *fixture,
                                         gconstpointer  data)
{
  const char *url = cfs_test_server_get_url (fixture->server);
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (lobby_is_synchronized (fixture->window), TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (keyring_has_item (url, "ada@example.org"), TIMEOUT_MS);
  token = lookup_keyring (url, "ada@example.org");

  /* Revoking the session elsewhere closes the WebSocket with 4001. */
  reply = cfs_test_request (fixture->server, "POST", "/api/v1/auth/logout", token, NULL, &status);
  g_assert_cmpuint (status, ==, 204);

  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (confab_test_is_showing (confab_test_find_by_id (GTK_WIDGET (fixture->window), "message_label")),
                          TIMEOUT_MS);
  g_assert_cmpstr (sign_in_message (fixture->window), !=, "");
  g_assert_null (confab_window_get_api (fixture->window));
  CONFAB_TEST_WAIT_UNTIL (!keyring_has_item (url, "ada@example.org"), TIMEOUT_MS);

  /* Signing in again works. */
  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (lobby_is_synchronized (fixture->window), TIMEOUT_MS);
}

static void
test_reconnect_resynchronizes (Fixture       *fixture,
                               gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autofree char *bob_token = cfs_test_register (server, "Bob", "bob@example.org", NULL);
  gint64 sync_id = cfs_test_create_room (server, fixture->ada_token, "Weekly Sync", 10);
  gint64 old_id = cfs_test_create_room (server, fixture->ada_token, "Old Room", 10);
  gint64 last_id = cfs_test_create_room (server, fixture->ada_token, "Last Room", 10);
  g_autoptr(SoupWebsocketConnection) bob = NULL;
  g_autoptr(JsonNode) reply = NULL;
  ConfabLobbyPage *lobby;
  gint64 new_id;
  guint status = 0;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  lobby = get_lobby_page (fixture->window);

  bob = cfs_test_ws_join_as (server, bob_token, sync_id);
  CONFAB_TEST_WAIT_UNTIL (row_shows (fixture->window, sync_id, "count_label", "1 / 10"), TIMEOUT_MS);
  g_assert_false (confab_lobby_page_get_reconnecting (lobby));

  /* The server goes away: the lobby shows that it is reconnecting. */
  cfs_test_server_stop (server);
  CONFAB_TEST_WAIT_UNTIL (confab_lobby_page_get_reconnecting (lobby), TIMEOUT_MS);
  g_assert_true (confab_test_is_showing (confab_test_find_label (GTK_WIDGET (lobby), "Reconnecting…")));

  /* Joining needs the connection, so the rooms cannot be joined meanwhile. */
  g_assert_false (gtk_widget_get_sensitive (confab_test_find_button (find_room_row (fixture->window, sync_id),
                                                                     "Join and chat now!")));

  /* While it was away Bob's seat lapsed, one room went and one came. The
   * deleted room is not the last one, whose id SQLite would reuse.
   */
  cfs_test_server_restart (server);
  g_clear_object (&bob);
  reply = cfs_test_request (server, "DELETE", "/api/v1/rooms/2", fixture->ada_token, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  g_assert_cmpint (old_id, ==, 2);
  new_id = cfs_test_create_room (server, fixture->ada_token, "New Room", 4);
  g_assert_cmpint (new_id, >, last_id);

  CONFAB_TEST_WAIT_UNTIL (!confab_lobby_page_get_reconnecting (lobby), 60000);
  CONFAB_TEST_WAIT_UNTIL (lobby_is_synchronized (fixture->window), TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (row_shows (fixture->window, sync_id, "count_label", "0 / 10"), TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (row_shows (fixture->window, new_id, "count_label", "0 / 4"), TIMEOUT_MS);
  g_assert_true (gtk_widget_get_sensitive (confab_test_find_button (find_room_row (fixture->window, sync_id),
                                                                    "Join and chat now!")));
  CONFAB_TEST_WAIT_UNTIL (confab_room_list_lookup (confab_lobby_page_get_room_list (lobby), old_id) == NULL,
                          TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (confab_lobby_page_get_room_list (lobby))), ==, 3);
}

static void
fixture_set_up_fixed_port (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *config = g_strdup_printf ("[server]\nport=%u\n", pick_free_port ());

  fixture_set_up_with_config (fixture, config);
}

static void
test_remote_http_rejected (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkWidget *page;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  page = GTK_WIDGET (get_sign_in_page (fixture->window));

  confab_test_type (confab_test_find_by_id (page, "server_row"), "http://confab.example.org");
  confab_test_type (confab_test_find_by_id (page, "email_row"), "ada@example.org");
  confab_test_type (confab_test_find_by_id (page, "password_row"), "password-Ada");
  confab_test_click (confab_test_find_button (page, "Sign In"));

  g_assert_true (confab_test_is_showing (confab_test_find_by_id (page, "message_label")));
  g_assert_nonnull (strstr (sign_in_message (fixture->window), "http://confab.example.org"));
  g_assert_nonnull (strstr (sign_in_message (fixture->window), "https://"));
  g_assert_true (confab_test_window_shows_page (fixture->window, "sign-in"));
  g_assert_null (confab_window_get_api (fixture->window));

  /* The same server over loopback is fine. */
  confab_test_type (confab_test_find_by_id (page, "server_row"), cfs_test_server_get_url (fixture->server));
  confab_test_click (confab_test_find_button (page, "Sign In"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "lobby"), TIMEOUT_MS);
}

static gboolean
has_focus_within (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = gtk_root_get_focus (root);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
test_enter_moves_through_fields (Fixture       *fixture,
                                 gconstpointer  data)
{
  GtkWidget *page;
  GtkWidget *email_row;
  GtkWidget *password_row;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  page = GTK_WIDGET (get_sign_in_page (fixture->window));
  email_row = confab_test_find_by_id (page, "email_row");
  password_row = confab_test_find_by_id (page, "password_row");

  /* The page starts in the email field. */
  CONFAB_TEST_WAIT_UNTIL (has_focus_within (email_row), TIMEOUT_MS);

  /* Enter in the email field moves on to the password, and Enter there
   * signs in.
   */
  confab_test_type (email_row, "ada@example.org");
  g_signal_emit_by_name (email_row, "entry-activated");
  g_assert_true (has_focus_within (password_row));

  confab_test_type (password_row, "password-Ada");
  g_signal_emit_by_name (password_row, "entry-activated");
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "lobby"), TIMEOUT_MS);
}

static void
test_wrong_password_message (Fixture       *fixture,
                             gconstpointer  data)
{
  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);

  confab_test_type (confab_test_find_by_id (GTK_WIDGET (fixture->window), "email_row"), "ada@example.org");
  confab_test_type (confab_test_find_by_id (GTK_WIDGET (fixture->window), "password_row"), "not the password");
  confab_test_click (confab_test_find_button (GTK_WIDGET (fixture->window), "Sign In"));

  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (sign_in_message (fixture->window), "") != 0, TIMEOUT_MS);
  g_assert_cmpstr (sign_in_message (fixture->window), ==, "Wrong email or password.");
  g_assert_true (confab_test_window_shows_page (fixture->window, "sign-in"));
  g_assert_null (confab_window_get_api (fixture->window));
}

/* The server's message for a taken email names a field. The page shows
 * what to do in the user's language instead.
 */
static void
test_register_taken_email (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkWidget *page;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  page = GTK_WIDGET (get_sign_in_page (fixture->window));
  CONFAB_TEST_WAIT_UNTIL (confab_sign_in_page_get_registration_open (CONFAB_SIGN_IN_PAGE (page)), TIMEOUT_MS);

  confab_test_click (confab_test_find_button (page, "Create an Account"));
  confab_test_type (confab_test_find_by_id (page, "name_row"), "Ada Again");
  confab_test_type (confab_test_find_by_id (page, "email_row"), "ada@example.org");
  confab_test_type (confab_test_find_by_id (page, "password_row"), "a long enough password");
  confab_test_click (confab_test_find_button (page, "Create Account"));

  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (sign_in_message (fixture->window), "") != 0, TIMEOUT_MS);
  g_assert_cmpstr (sign_in_message (fixture->window), ==,
                   "An account with this email exists already. Sign in instead, or use another email.");
  g_assert_true (confab_test_window_shows_page (fixture->window, "sign-in"));
}

static void
test_register_new_account (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkWidget *page;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  page = GTK_WIDGET (get_sign_in_page (fixture->window));

  /* The server accepts registrations, so the page offers them. */
  CONFAB_TEST_WAIT_UNTIL (confab_sign_in_page_get_registration_open (CONFAB_SIGN_IN_PAGE (page)), TIMEOUT_MS);
  g_assert_false (confab_test_is_showing (confab_test_find_by_id (page, "name_row")));
  g_assert_false (confab_test_is_showing (confab_test_find_by_id (page, "registration_label")));
  confab_test_click (confab_test_find_button (page, "Create an Account"));
  g_assert_true (confab_test_is_showing (confab_test_find_by_id (page, "name_row")));

  confab_test_type (confab_test_find_by_id (page, "name_row"), "Dora");
  confab_test_type (confab_test_find_by_id (page, "email_row"), "dora@example.org");
  confab_test_type (confab_test_find_by_id (page, "password_row"), "short");
  confab_test_click (confab_test_find_button (page, "Create Account"));
  g_assert_nonnull (strstr (sign_in_message (fixture->window), "at least 8"));

  confab_test_type (confab_test_find_by_id (page, "password_row"), "a long enough password");
  confab_test_click (confab_test_find_button (page, "Create Account"));

  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "lobby"), TIMEOUT_MS);
  g_assert_cmpstr (confab_json_get_string (confab_window_get_user (fixture->window), "name"), ==, "Dora");
}

static gboolean
password_is_visible (GtkWidget *page)
{
  GtkWidget *row = confab_test_find_by_id (page, "password_row");

  return gtk_text_get_visibility (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (row))));
}

/* Returns the password row's "Show Text" toggle, a button that shows an
 * eye icon in libadwaita 1.2.
 */
static GtkWidget *
find_show_text_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "view-reveal-symbolic") == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_show_text_button (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Registering with the password shown, then signing out, leads to the
 * sign-in form with the password hidden and empty.
 */
static void
test_sign_out_after_register_resets_form (Fixture       *fixture,
                                          gconstpointer  data)
{
  GtkWidget *page;
  GtkWidget *password_row;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  page = GTK_WIDGET (get_sign_in_page (fixture->window));
  password_row = confab_test_find_by_id (page, "password_row");

  CONFAB_TEST_WAIT_UNTIL (confab_sign_in_page_get_registration_open (CONFAB_SIGN_IN_PAGE (page)), TIMEOUT_MS);
  confab_test_click (confab_test_find_button (page, "Create an Account"));
  confab_test_type (confab_test_find_by_id (page, "name_row"), "Dora");
  confab_test_type (confab_test_find_by_id (page, "email_row"), "dora@example.org");
  confab_test_type (password_row, "a long enough password");

  confab_test_click (find_show_text_button (password_row));
  g_assert_true (password_is_visible (page));

  confab_test_click (confab_test_find_button (page, "Create Account"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "lobby"), TIMEOUT_MS);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-out", NULL);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);

  g_assert_true (confab_test_is_showing (confab_test_find_label (page, "Welcome to Confab")));
  g_assert_true (confab_test_is_showing (confab_test_find_button (page, "Sign In")));
  g_assert_false (confab_test_is_showing (confab_test_find_by_id (page, "name_row")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (confab_test_find_by_id (page, "email_row"))), ==, "dora@example.org");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password_row)), ==, "");
  g_assert_false (password_is_visible (page));
}

/* An error about one field disappears when the user edits that field, and
 * stays while other fields change.
 */
static void
test_field_error_clears_on_edit (Fixture       *fixture,
                                 gconstpointer  data)
{
  GtkWidget *page;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  page = GTK_WIDGET (get_sign_in_page (fixture->window));

  confab_test_type (confab_test_find_by_id (page, "server_row"), "http:/nowhere");
  confab_test_type (confab_test_find_by_id (page, "email_row"), "ada@example.org");
  confab_test_type (confab_test_find_by_id (page, "password_row"), "password-Ada");
  confab_test_click (confab_test_find_button (page, "Sign In"));
  g_assert_nonnull (strstr (sign_in_message (fixture->window), "http:/nowhere"));

  confab_test_type (confab_test_find_by_id (page, "email_row"), "ada2@example.org");
  g_assert_nonnull (strstr (sign_in_message (fixture->window), "http:/nowhere"));

  confab_test_type (confab_test_find_by_id (page, "server_row"), cfs_test_server_get_url (fixture->server));
  g_assert_cmpstr (sign_in_message (fixture->window), ==, "");

  /* A wrong password is about the whole form, so any edit hides it. */
  confab_test_type (confab_test_find_by_id (page, "email_row"), "ada@example.org");
  confab_test_type (confab_test_find_by_id (page, "password_row"), "not the password");
  confab_test_click (confab_test_find_button (page, "Sign In"));
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (sign_in_message (fixture->window), "") != 0, TIMEOUT_MS);
  confab_test_type (confab_test_find_by_id (page, "password_row"), "password-Ada");
  g_assert_cmpstr (sign_in_message (fixture->window), ==, "");
}

/* With no server at the address, the page explains why it offers no
 * account creation, and the sign-in error names what to check.
 */
static void
test_unreachable_server_explained (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", pick_free_port ());
  ConfabSignInPage *page;
  GtkWidget *page_widget;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  page = get_sign_in_page (fixture->window);
  page_widget = GTK_WIDGET (page);

  confab_test_type (confab_test_find_by_id (page_widget, "server_row"), url);
  g_assert_false (confab_sign_in_page_get_server_checked (page));
  CONFAB_TEST_WAIT_UNTIL (confab_sign_in_page_get_server_checked (page), TIMEOUT_MS);

  g_assert_false (confab_test_is_showing (confab_test_find_button (page_widget, "Create an Account")));
  g_assert_true (confab_test_is_showing (confab_test_find_label (page_widget,
                                                                  "Could not reach the server to check whether it accepts new accounts.")));

  confab_test_type (confab_test_find_by_id (page_widget, "email_row"), "ada@example.org");
  confab_test_type (confab_test_find_by_id (page_widget, "password_row"), "password-Ada");
  confab_test_click (confab_test_find_button (page_widget, "Sign In"));
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (sign_in_message (fixture->window), "") != 0, TIMEOUT_MS);
  g_assert_nonnull (strstr (sign_in_message (fixture->window), url));
  g_assert_nonnull (strstr (sign_in_message (fixture->window), "Check the server address, and that confab-server is running there."));
}

/* The name field takes at most the server's limit, and an empty name gets
 * the same message as elsewhere in the client.
 */
static void
test_register_name_checked (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *long_name = g_strnfill (1000, 'n');
  GtkWidget *page;
  GtkWidget *name_row;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  page = GTK_WIDGET (get_sign_in_page (fixture->window));
  CONFAB_TEST_WAIT_UNTIL (confab_sign_in_page_get_registration_open (CONFAB_SIGN_IN_PAGE (page)), TIMEOUT_MS);
  confab_test_click (confab_test_find_button (page, "Create an Account"));
  name_row = confab_test_find_by_id (page, "name_row");

  confab_test_type (name_row, long_name);
  g_assert_cmpint (g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (name_row)), -1), ==, CONFAB_USER_NAME_MAX_CHARS);

  confab_test_type (name_row, "  ");
  confab_test_type (confab_test_find_by_id (page, "email_row"), "dora@example.org");
  confab_test_type (confab_test_find_by_id (page, "password_row"), "a long enough password");
  confab_test_click (confab_test_find_button (page, "Create Account"));
  g_assert_cmpstr (sign_in_message (fixture->window), ==, "“Your Name” is empty. Enter the name that others will see.");
  g_assert_true (confab_test_window_shows_page (fixture->window, "sign-in"));
}

/* Only the right password for a disabled account gets the message about it. */
static void
test_disabled_account_message (Fixture       *fixture,
                               gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  const char *create_admin[] = { "--create-user", "root@example.org", "--name", "Root", "--admin", NULL };
  g_autofree char *output = NULL;
  g_autofree char *root_token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;
  GtkWidget *page;

  g_assert_cmpint (cfs_test_server_run_command (server, create_admin, "root password 123\n", &output), ==, 0);
  root_token = cfs_test_login (server, "root@example.org", "root password 123", &status);
  g_assert_cmpuint (status, ==, 200);
  path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, fixture->ada_id);
  reply = cfs_test_request (server, "PATCH", path, root_token, "{\"disabled\": true}", &status);
  g_assert_cmpuint (status, ==, 200);

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  page = GTK_WIDGET (get_sign_in_page (fixture->window));

  confab_test_type (confab_test_find_by_id (page, "email_row"), "ada@example.org");
  confab_test_type (confab_test_find_by_id (page, "password_row"), "not the password");
  confab_test_click (confab_test_find_button (page, "Sign In"));
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (sign_in_message (fixture->window), "") != 0, TIMEOUT_MS);
  g_assert_null (strstr (sign_in_message (fixture->window), "disabled"));

  confab_test_type (confab_test_find_by_id (page, "password_row"), "password-Ada");
  confab_test_click (confab_test_find_button (page, "Sign In"));
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (sign_in_message (fixture->window), "") != 0, TIMEOUT_MS);
  g_assert_cmpstr (sign_in_message (fixture->window), ==,
                   "Your account was disabled by a site admin. Ask a site admin to enable it again.");
  g_assert_true (confab_test_window_shows_page (fixture->window, "sign-in"));
}

static void
fixture_set_up_closed (Fixture       *fixture,
                       gconstpointer  data)
{
  fixture->server = cfs_test_server_start ("[accounts]\nregistration=closed\n");
  fixture->settings = confab_test_new_settings (cfs_test_server_get_url (fixture->server));
}

static void
test_closed_registration_hidden (Fixture       *fixture,
                                 gconstpointer  data)
{
  GtkWidget *page;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  page = GTK_WIDGET (get_sign_in_page (fixture->window));

  CONFAB_TEST_WAIT_UNTIL (confab_sign_in_page_get_server_checked (CONFAB_SIGN_IN_PAGE (page)), TIMEOUT_MS);
  g_assert_false (confab_sign_in_page_get_registration_open (CONFAB_SIGN_IN_PAGE (page)));
  g_assert_false (confab_test_is_showing (confab_test_find_button (page, "Create an Account")));
  g_assert_true (confab_test_is_showing (confab_test_find_by_id (page, "registration_label")));
}

static gint64
count_participants (CfsTestServer *server,
                    const char    *token,
                    gint64         room_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, room_id);
  g_autoptr(JsonNode) room = NULL;
  guint status = 0;

  room = cfs_test_request (server, "GET", path, token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  return json_object_get_int_member (json_node_get_object (room), "participants");
}

static void
test_join_then_close_confirms (Fixture       *fixture,
                               gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  gint64 room_id = cfs_test_create_room (server, fixture->ada_token, "Weekly Sync", 10);
  g_autofree char *bob_token = cfs_test_register (server, "Bob", "bob@example.org", NULL);
  g_autoptr(SoupWebsocketConnection) bob = cfs_test_ws_join_as (server, bob_token, room_id);
  g_autoptr(JsonObject) left = NULL;
  GtkWidget *row;
  GtkWidget *dialog;

  /* The browser mode keeps WebKit out of this test. */
  g_settings_set_string (fixture->settings, "meeting-mode", "browser");
  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");

  /* "Join and chat now!" opens the meeting page and takes a seat. */
  CONFAB_TEST_WAIT_UNTIL ((row = find_room_row (fixture->window, room_id)) != NULL, TIMEOUT_MS);
  confab_test_click (confab_test_find_button (row, "Join and chat now!"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "room"), TIMEOUT_MS);
  g_assert_nonnull (confab_window_get_meeting_page (fixture->window));
  CONFAB_TEST_WAIT_UNTIL (count_participants (server, fixture->ada_token, room_id) == 2, TIMEOUT_MS);

  /* Closing the window requests confirmation, and "Stay" keeps everything
   * as it was.
   */
  gtk_window_close (GTK_WINDOW (fixture->window));
  dialog = confab_test_find_toplevel ("AdwMessageDialog");
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_widget_get_name (dialog), ==, "close-confirmation");
  CONFAB_TEST_WAIT_UNTIL (gtk_widget_get_mapped (dialog), TIMEOUT_MS);
  confab_test_click (confab_test_find_button (dialog, "Stay"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_toplevel ("AdwMessageDialog") == NULL, TIMEOUT_MS);
  g_assert_nonnull (fixture->window);
  g_assert_true (confab_test_window_shows_page (fixture->window, "room"));

  /* "Leave and Close" leaves the room, then closes the window. */
  gtk_window_close (GTK_WINDOW (fixture->window));
  dialog = confab_test_find_toplevel ("AdwMessageDialog");
  g_assert_nonnull (dialog);
  CONFAB_TEST_WAIT_UNTIL (gtk_widget_get_mapped (dialog), TIMEOUT_MS);
  confab_test_click (confab_test_find_button (dialog, "Leave and Close"));
  CONFAB_TEST_WAIT_UNTIL (fixture->window == NULL, TIMEOUT_MS);

  /* Bob receives a "left", not a "disconnected": her `leaveRoom` got through. */
  left = cfs_test_ws_request (bob, "{\"type\": \"ping\"}", "userLeft");
  g_assert_cmpint (json_object_get_int_member (left, "userId"), ==, fixture->ada_id);
  g_assert_cmpstr (json_object_get_string_member (left, "reason"), ==, "left");
  g_assert_cmpint (count_participants (server, fixture->ada_token, room_id), ==, 1);
}

static void
find_main_window_cb (GtkWindow  *window,
                     GtkWindow **found)
{
  if (CONFAB_IS_WINDOW (window))
    *found = window;
}

static ConfabWindow *
find_main_window (void)
{
  GtkWindow *found = NULL;

  g_list_foreach (gtk_application_get_windows (GTK_APPLICATION (application)),
                  (GFunc) find_main_window_cb, &found);

  return found != NULL ? CONFAB_WINDOW (found) : NULL;
}

static void
subprocess_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

/* Runs a second `confab` with @argument and returns its exit status and
 * standard error, while this process, the primary instance, keeps serving.
 */
static int
run_second_instance (const char  *argument,
                     char       **stderr_out)
{
  g_autofree char *binary = g_build_filename (g_getenv ("CONFAB_BUILD_DIR"), "src", "client", "confab", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) output = NULL;
  gboolean done = FALSE;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              binary, argument, NULL);
  g_assert_no_error (error);

  g_subprocess_wait_async (process, NULL, subprocess_done_cb, &done);
  CONFAB_TEST_WAIT_UNTIL (done, TIMEOUT_MS);

  stream = g_object_ref (g_subprocess_get_stderr_pipe (process));
  output = g_input_stream_read_bytes (stream, 64 * 1024, NULL, &error);
  g_assert_no_error (error);
  *stderr_out = g_strndup (g_bytes_get_data (output, NULL), g_bytes_get_size (output));

  return g_subprocess_get_exit_status (process);
}

static void
test_second_instance_presents_window (Fixture       *fixture,
                                      gconstpointer  data)
{
  const char *url = cfs_test_server_get_url (fixture->server);
  g_autofree char *server_option = g_strdup_printf ("--server=%s", url);
  g_autofree char *errors = NULL;
  g_autofree char *rejected = NULL;
  ConfabWindow *window;
  int status;

  /* The second instance hands its command line to this one, which opens
   * the window on the server given.
   */
  g_assert_null (find_main_window ());
  status = run_second_instance (server_option, &errors);
  g_assert_cmpint (status, ==, 0);

  window = find_main_window ();
  g_assert_nonnull (window);
  fixture->window = window;
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (window, "sign-in"), TIMEOUT_MS);
  g_assert_cmpstr (confab_sign_in_page_get_server_url (get_sign_in_page (window)), ==, url);

  /* A third one raises the same window instead of opening another. */
  g_clear_pointer (&errors, g_free);
  status = run_second_instance (server_option, &errors);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (find_main_window () == window);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (application))), ==, 1);

  /* An unsafe server address is rejected with a message. */
  status = run_second_instance ("--server=http://confab.example.org", &rejected);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (rejected, "http://confab.example.org"));
  g_assert_nonnull (strstr (rejected, "https://"));
}

static void
test_preferences_change_settings (Fixture       *fixture,
                                  gconstpointer  data)
{
  GtkWidget *preferences;
  GtkWidget *server_row;
  GtkWidget *error_label;
  g_autofree char *mode = NULL;
  g_autofree char *url = NULL;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);

  g_action_group_activate_action (G_ACTION_GROUP (application), "preferences", NULL);
  preferences = confab_test_find_toplevel ("ConfabPreferences");
  g_assert_nonnull (preferences);
  CONFAB_TEST_WAIT_UNTIL (gtk_widget_get_mapped (preferences), TIMEOUT_MS);

  adw_combo_row_set_selected (ADW_COMBO_ROW (confab_test_find_by_id (preferences, "meeting_mode_row")), 2);
  mode = g_settings_get_string (fixture->settings, "meeting-mode");
  g_assert_cmpstr (mode, ==, "browser");

  server_row = confab_test_find_by_id (preferences, "server_row");
  error_label = confab_test_find_by_id (preferences, "server_error_label");
  confab_test_type (server_row, "http://confab.example.org");
  g_signal_emit_by_name (server_row, "apply");
  g_assert_true (confab_test_is_showing (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "https://"));
  url = g_settings_get_string (fixture->settings, "server-url");
  g_assert_cmpstr (url, ==, cfs_test_server_get_url (fixture->server));

  confab_test_type (server_row, "https://confab.example.org/");
  g_signal_emit_by_name (server_row, "apply");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_clear_pointer (&url, g_free);
  url = g_settings_get_string (fixture->settings, "server-url");
  g_assert_cmpstr (url, ==, "https://confab.example.org");

  gtk_window_destroy (GTK_WINDOW (preferences));
}

static void
test_shortcuts_window_opens (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkWidget *shortcuts;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-help-overlay", NULL);
  shortcuts = confab_test_find_toplevel ("GtkShortcutsWindow");
  g_assert_nonnull (shortcuts);
  CONFAB_TEST_WAIT_UNTIL (gtk_widget_get_mapped (shortcuts), TIMEOUT_MS);

  gtk_window_close (GTK_WINDOW (shortcuts));
}

int
main (int   argc,
      char *argv[])
{
  application = confab_test_init_application (&argc, &argv);

#define ADD(path, setup, func) \
  g_test_add ("/client/shell/" path, Fixture, NULL, setup, func, fixture_tear_down)

  ADD ("sign-in-shows-rooms", fixture_set_up, test_sign_in_shows_rooms);
  ADD ("second-user-join-updates-count", fixture_set_up, test_second_user_join_updates_count);
  ADD ("ban-and-rename-update-row", fixture_set_up, test_ban_and_rename_update_row);
  ADD ("room-created-appears", fixture_set_up, test_room_created_appears);
  ADD ("search-filters-rooms", fixture_set_up, test_search_filters_rooms);
  ADD ("sign-out-removes-keyring-item", fixture_set_up, test_sign_out_removes_keyring_item);
  ADD ("stored-session-resumes", fixture_set_up, test_stored_session_resumes);
  ADD ("revoked-session-returns-to-sign-in", fixture_set_up, test_revoked_session_returns_to_sign_in);
  ADD ("reconnect-resynchronizes", fixture_set_up_fixed_port, test_reconnect_resynchronizes);
  ADD ("remote-http-rejected", fixture_set_up, test_remote_http_rejected);
  ADD ("enter-moves-through-fields", fixture_set_up, test_enter_moves_through_fields);
  ADD ("wrong-password-message", fixture_set_up, test_wrong_password_message);
  ADD ("register-taken-email", fixture_set_up, test_register_taken_email);
  ADD ("register-new-account", fixture_set_up, test_register_new_account);
  ADD ("closed-registration-hidden", fixture_set_up_closed, test_closed_registration_hidden);
  ADD ("sign-out-after-register-resets-form", fixture_set_up, test_sign_out_after_register_resets_form);
  ADD ("field-error-clears-on-edit", fixture_set_up, test_field_error_clears_on_edit);
  ADD ("unreachable-server-explained", fixture_set_up, test_unreachable_server_explained);
  ADD ("register-name-checked", fixture_set_up, test_register_name_checked);
  ADD ("disabled-account-message", fixture_set_up, test_disabled_account_message);
  ADD ("join-then-close-confirms", fixture_set_up, test_join_then_close_confirms);
  ADD ("second-instance-presents-window", fixture_set_up, test_second_instance_presents_window);
  ADD ("preferences-change-settings", fixture_set_up, test_preferences_change_settings);
  ADD ("shortcuts-window-opens", fixture_set_up, test_shortcuts_window_opens);

#undef ADD

  return confab_test_run (&application);
}
