/* test-meeting.c: the meeting page end to end.
 *
 * Real windows under Xvfb, the real confab-server on loopback, and the fake
 * Jitsi fixture as the meeting server. The server's [jitsi] domain points at
 * the fixture, whose certificate the application's WebKit network session
 * trusts for its host only. Two users are two ConfabWindows in this process,
 * each with its own in-memory settings, keyring item, REST client and
 * WebSocket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-meeting"

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <string.h>

#include "cfs-test-server.h"
#include "confab-application.h"
#include "../fixtures/confab-fake-jitsi-client.h"
#include "confab-meeting-page.h"
#include "confab-meeting-view.h"
#include "confab-participant-row.h"
#include "confab-protocol.h"
#include "confab-side-panel.h"
#include "confab-test-notifications.h"
#include "confab-test-util.h"
#include "confab-window.h"

#define WAIT_MS 20000

static ConfabApplication *application;
static ConfabFakeJitsi *fake_jitsi;

typedef struct {
  CfsTestServer *server;
  char          *host_token;
  gint64         host_id;
  char          *member_token;
  gint64         member_id;
  gint64         room_id;
} Fixture;

typedef struct {
  ConfabWindow *window;
  GSettings    *settings;
} Client;

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *jitsi_domain = data;
  g_autofree char *config = NULL;

  if (jitsi_domain == NULL)
    config = g_strdup_printf ("[jitsi]\ndomain=localhost:%u\n", confab_fake_jitsi_get_port (fake_jitsi));
  else
    config = g_strdup_printf ("[jitsi]\ndomain=%s\n", jitsi_domain);

  fixture->server = cfs_test_server_start (config);
  fixture->host_token = cfs_test_register (fixture->server, "Ada Lovelace", "ada@example.org", &fixture->host_id);
  fixture->member_token = cfs_test_register (fixture->server, "Grace Hopper", "grace@example.org",
                                             &fixture->member_id);
  fixture->room_id = cfs_test_create_room (fixture->server, fixture->host_token, "Analytical Engine", 10);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cfs_test_server_free (fixture->server);
  g_free (fixture->host_token);
  g_free (fixture->member_token);
}

/* Clients */

static const char *
page_name (Client *client)
{
  return confab_window_get_page_name (client->window);
}

static gboolean
is_on_lobby (gpointer user_data)
{
  return g_strcmp0 (page_name (user_data), "lobby") == 0;
}

/* Opens a window with its own settings and signs in through the sign-in page. */
static Client *
client_new (Fixture    *fixture,
            const char *name,
            const char *email,
            const char *meeting_mode)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autofree char *password = g_strdup_printf ("password-%s", name);
  Client *client = g_new0 (Client, 1);
  GtkWidget *root;

  client->settings = g_settings_new_with_backend (APP_ID, backend);
  g_settings_set_string (client->settings, "meeting-mode", meeting_mode);

  client->window = confab_window_new (application, client->settings);
  gtk_window_present (GTK_WINDOW (client->window));
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (page_name (client), "sign-in") == 0, WAIT_MS);

  confab_window_use_server (client->window, cfs_test_server_get_url (fixture->server));
  root = GTK_WIDGET (client->window);
  gtk_editable_set_text (GTK_EDITABLE (confab_test_find_by_id (root, "email_row")), email);
  gtk_editable_set_text (GTK_EDITABLE (confab_test_find_by_id (root, "password_row")), password);
  confab_test_click (confab_test_find_by_id (root, "submit_button"));

  if (!confab_test_wait_for (is_on_lobby, client, WAIT_MS))
    g_error ("%s did not reach the lobby: the window shows page %s", email, page_name (client));
  CONFAB_TEST_WAIT_UNTIL (confab_socket_get_state (confab_window_get_socket (client->window))
                          == CONFAB_SOCKET_CONNECTED, WAIT_MS);
  return client;
}

static void
client_free (Client *client)
{
  gtk_window_destroy (GTK_WINDOW (client->window));
  g_object_unref (client->settings);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static ConfabMeetingPage *
client_page (Client *client)
{
  GtkWidget *page = confab_window_get_meeting_page (client->window);

  return page != NULL ? CONFAB_MEETING_PAGE (page) : NULL;
}

static gboolean
client_is_joined (Client *client)
{
  ConfabMeetingPage *page = client_page (client);
  ConfabRoomState *state = page != NULL ? confab_meeting_page_get_room_state (page) : NULL;

  return state != NULL && confab_room_state_get_joined (state);
}

static void
client_join (Client *client,
             gint64  room_id)
{
  gtk_widget_activate_action (GTK_WIDGET (client->window), "win.join-room", "x", room_id);

  CONFAB_TEST_WAIT_UNTIL (client_page (client) != NULL, WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (client_is_joined (client), WAIT_MS);
}

static const char *
client_jitsi_id (Client *client)
{
  ConfabMeetingPage *page = client_page (client);

  return page != NULL ? confab_meeting_page_get_jitsi_id (page) : NULL;
}

static ConfabRoomState *
client_state (Client *client)
{
  return confab_meeting_page_get_room_state (client_page (client));
}

static const char *
meeting_area (Client *client)
{
  GtkWidget *stack = confab_test_find_by_id (GTK_WIDGET (client_page (client)), "meeting_stack");

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static GtkWidget *
find_participant_row (GtkWidget *root,
                      gint64     user_id)
{
  if (CONFAB_IS_PARTICIPANT_ROW (root) &&
      confab_participant_get_user_id (confab_participant_row_get_participant (CONFAB_PARTICIPANT_ROW (root))) == user_id)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_participant_row (child, user_id);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
client_row (Client *client,
            gint64  user_id)
{
  return find_participant_row (GTK_WIDGET (client_page (client)), user_id);
}

/* The menu button of a row is its host controls. */
static gboolean
row_shows_host_controls (GtkWidget *row)
{
  GtkWidget *button = confab_test_find_by_type (row, GTK_TYPE_MENU_BUTTON);

  return button != NULL && gtk_widget_get_visible (button);
}

/* Looks for a menu item with this label in the sections of a menu. */
static gboolean
menu_has_label (GMenuModel *menu,
                const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autofree char *item_label = NULL;

      if (section != NULL && menu_has_label (section, label))
        return TRUE;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label) &&
          g_strcmp0 (item_label, label) == 0)
        return TRUE;
    }

  return FALSE;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

/* Returns the visible message dialog over @parent whose body contains
 * @text, or %NULL.
 */
static AdwMessageDialog *
find_message_with_body (GtkWindow  *parent,
                        const char *text)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      const char *body;

      if (!ADW_IS_MESSAGE_DIALOG (l->data) || !gtk_widget_get_visible (l->data) ||
          gtk_window_get_transient_for (l->data) != parent)
        continue;

      body = adw_message_dialog_get_body (l->data);
      if (body != NULL && strstr (body, text) != NULL)
        return l->data;
    }

  return NULL;
}

static gboolean
records_contain_command (const char *jitsi_id,
                         const char *command,
                         const char *argument)
{
  g_autoptr(JsonArray) records = confab_fake_jitsi_get_records_for (fake_jitsi, "commands", jitsi_id);

  for (guint i = 0; records != NULL && i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);
      JsonNode *data = json_object_get_member (record, "data");

      if (g_strcmp0 (json_object_get_string_member_with_default (record, "name", NULL), command) != 0)
        continue;

      if (argument == NULL)
        return TRUE;

      if (data != NULL && JSON_NODE_HOLDS_ARRAY (data) &&
          json_array_get_length (json_node_get_array (data)) > 0 &&
          g_strcmp0 (json_array_get_string_element (json_node_get_array (data), 0), argument) == 0)
        return TRUE;
    }

  return FALSE;
}

static guint
count_commands (const char *jitsi_id,
                const char *command)
{
  g_autoptr(JsonArray) records = confab_fake_jitsi_get_records_for (fake_jitsi, "commands", jitsi_id);
  guint count = 0;

  for (guint i = 0; records != NULL && i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (record, "name", NULL), command) == 0)
        count++;
    }

  return count;
}

/* Tests */

static void
test_meeting_embedded_kick (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(Client) host = client_new (fixture, "Ada Lovelace", "ada@example.org", "embedded");
  g_autoptr(Client) member = client_new (fixture, "Grace Hopper", "grace@example.org", "embedded");
  g_autofree char *host_jitsi = NULL;
  g_autofree char *member_jitsi = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *reason_row;
  ConfabParticipant *seen;

  /* Both join; each fake meeting reports videoConferenceJoined. */
  client_join (host, fixture->room_id);
  CONFAB_TEST_WAIT_UNTIL (client_jitsi_id (host) != NULL, WAIT_MS);
  host_jitsi = g_strdup (client_jitsi_id (host));
  g_assert_cmpstr (meeting_area (host), ==, "view");

  client_join (member, fixture->room_id);
  CONFAB_TEST_WAIT_UNTIL (client_jitsi_id (member) != NULL, WAIT_MS);
  member_jitsi = g_strdup (client_jitsi_id (member));

  /* The member's Jitsi id went through the server to the host. */
  CONFAB_TEST_WAIT_UNTIL ((seen = confab_room_state_find_participant (client_state (host), fixture->member_id)) != NULL &&
                          g_strcmp0 (confab_participant_get_jitsi_id (seen), member_jitsi) == 0, WAIT_MS);

  /* The host sees host controls on the member's row; the member sees none. */
  CONFAB_TEST_WAIT_UNTIL (client_row (host, fixture->member_id) != NULL, WAIT_MS);
  g_assert_true (row_shows_host_controls (client_row (host, fixture->member_id)));
  CONFAB_TEST_WAIT_UNTIL (client_row (member, fixture->host_id) != NULL, WAIT_MS);
  g_assert_false (row_shows_host_controls (client_row (member, fixture->host_id)));
  g_assert_false (row_shows_host_controls (client_row (host, fixture->host_id)));

  /* The owner makes the member a moderator, in the server and in the
   * meeting, and the member's client gets host controls; then revokes it.
   */
  gtk_widget_activate_action (client_row (host, fixture->member_id), "participant.set-moderator", "(xb)",
                              fixture->member_id, TRUE);
  CONFAB_TEST_WAIT_UNTIL (confab_room_state_get_is_host (client_state (member)), WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (row_shows_host_controls (client_row (member, fixture->host_id)), WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (records_contain_command (host_jitsi, "grant-moderator", member_jitsi), WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (g_menu_model_get_n_items (confab_participant_row_get_menu (CONFAB_PARTICIPANT_ROW (client_row (host, fixture->member_id)))) > 0 &&
                          menu_has_label (confab_participant_row_get_menu (CONFAB_PARTICIPANT_ROW (client_row (host, fixture->member_id))),
                                          "Revoke Moderator"), WAIT_MS);

  gtk_widget_activate_action (client_row (host, fixture->member_id), "participant.set-moderator", "(xb)",
                              fixture->member_id, FALSE);
  CONFAB_TEST_WAIT_UNTIL (!confab_room_state_get_is_host (client_state (member)), WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (!row_shows_host_controls (client_row (member, fixture->host_id)), WAIT_MS);

  /* The host kicks the member, with a reason. */
  gtk_widget_activate_action (client_row (host, fixture->member_id), "participant.kick", "x", fixture->member_id);
  CONFAB_TEST_WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL, WAIT_MS);
  reason_row = confab_test_find_by_type (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (reason_row);

  /* A reason over the limit is not cut: the dialog shows the limit and
   * disables its button until the reason is shorter.
   */
  {
    g_autofree char *long_reason = g_strnfill (CONFAB_KICK_REASON_MAX_CHARS + 1, 'x');

    gtk_editable_set_text (GTK_EDITABLE (reason_row), long_reason);
    g_assert_nonnull (confab_test_find_label_containing (GTK_WIDGET (dialog), "201 of 200 characters"));
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "remove"));
  }
  gtk_editable_set_text (GTK_EDITABLE (reason_row), "off topic");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "remove"));
  confab_test_click (confab_test_find_button (GTK_WIDGET (dialog), "Kick"));
  CONFAB_TEST_WAIT_UNTIL (find_message_dialog () == NULL || find_message_dialog () != dialog, WAIT_MS);

  /* The member's client hangs up, returns to the lobby and explains in a
   * dialog, with the reason in its own paragraph.
   */
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (page_name (member), "lobby") == 0, WAIT_MS);
  g_assert_null (client_page (member));
  CONFAB_TEST_WAIT_UNTIL (find_message_with_body (GTK_WINDOW (member->window),
                                                  "Ada Lovelace removed you from Analytical Engine.\n\nReason: off topic") != NULL,
                          WAIT_MS);

  /* The host gets a confirmation. */
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_label_containing (GTK_WIDGET (host->window),
                                                             "Grace Hopper was removed from the room") != NULL,
                          WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (records_contain_command (member_jitsi, "video-hangup", NULL), WAIT_MS);

  /* The host's meeting removed the member from the video by their Jitsi id,
   * and the member left the host's list.
   */
  CONFAB_TEST_WAIT_UNTIL (records_contain_command (host_jitsi, "kick-participant", member_jitsi), WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (confab_room_state_find_participant (client_state (host), fixture->member_id) == NULL,
                          WAIT_MS);
  g_assert_null (client_row (host, fixture->member_id));
}

static void
test_meeting_ban_kicks_again (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(Client) host = client_new (fixture, "Ada Lovelace", "ada@example.org", "embedded");
  g_autoptr(Client) member = client_new (fixture, "Grace Hopper", "grace@example.org", "embedded");
  g_autoptr(JsonObject) action = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *host_jitsi = NULL;
  g_autofree char *member_jitsi = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) refused = NULL;
  AdwMessageDialog *dialog;
  JsonObject *event;
  guint status = 0;

  client_join (host, fixture->room_id);
  CONFAB_TEST_WAIT_UNTIL (client_jitsi_id (host) != NULL, WAIT_MS);
  host_jitsi = g_strdup (client_jitsi_id (host));
  client_join (member, fixture->room_id);
  CONFAB_TEST_WAIT_UNTIL (client_jitsi_id (member) != NULL, WAIT_MS);
  member_jitsi = g_strdup (client_jitsi_id (member));
  CONFAB_TEST_WAIT_UNTIL (client_row (host, fixture->member_id) != NULL &&
                          g_strcmp0 (confab_participant_get_jitsi_id (confab_room_state_find_participant (client_state (host), fixture->member_id)),
                                     member_jitsi) == 0, WAIT_MS);

  /* Ban until lifted: the last duration in the dialog. */
  gtk_widget_activate_action (client_row (host, fixture->member_id), "participant.ban", "x", fixture->member_id);
  CONFAB_TEST_WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL, WAIT_MS);
  adw_combo_row_set_selected (ADW_COMBO_ROW (confab_test_find_by_type (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW)), 3);
  gtk_editable_set_text (GTK_EDITABLE (confab_test_find_by_type (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW)), "spam");

  /* Enter in the reason field confirms, as the keyboard user expects. */
  g_signal_emit_by_name (confab_test_find_by_type (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW), "entry-activated");
  CONFAB_TEST_WAIT_UNTIL (find_message_dialog () == NULL || find_message_dialog () != dialog, WAIT_MS);

  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (page_name (member), "lobby") == 0, WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (find_message_with_body (GTK_WINDOW (member->window),
                                                  "Reason: spam\n\nYou are banned from this room until a host lifts the ban.") != NULL,
                          WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_label_containing (GTK_WIDGET (host->window),
                                                             "Grace Hopper was banned from the room") != NULL,
                          WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (count_commands (host_jitsi, "kick-participant") == 1, WAIT_MS);

  /* The server refuses the banned user a new token. */
  path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/token", fixture->room_id);
  refused = cfs_test_request (fixture->server, "POST", path, fixture->member_token, NULL, &status);
  g_assert_cmpuint (status, ==, 403);

  /* With a token from before the ban, the user comes back into the video:
   * the host's client removes them again.
   */
  event = json_object_new ();
  json_object_set_string_member (event, "name", "participant-joined");
  json_object_set_string_member (event, "id", member_jitsi);
  json_object_set_string_member (event, "displayName", "Grace Hopper");
  json_object_set_string_member (action, "kind", "event");
  json_object_set_object_member (action, "data", event);
  g_assert_true (confab_fake_jitsi_queue_action (fake_jitsi, host_jitsi, action, &error));
  g_assert_no_error (error);

  CONFAB_TEST_WAIT_UNTIL (count_commands (host_jitsi, "kick-participant") == 2, WAIT_MS);
}

/* Returns the user ids in the order the side panel lists them. */
static GArray *
list_participant_order (Client *client)
{
  GtkWidget *list = confab_test_find_by_id (confab_meeting_page_get_side_panel (client_page (client)),
                                            "participant_list");
  GArray *order = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *child = GTK_IS_LIST_BOX_ROW (row) ? gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)) : NULL;
      gint64 user_id;

      if (!CONFAB_IS_PARTICIPANT_ROW (child))
        continue;

      user_id = confab_participant_get_user_id (confab_participant_row_get_participant (CONFAB_PARTICIPANT_ROW (child)));
      g_array_append_val (order, user_id);
    }

  return order;
}

static gboolean
order_is (Client *client,
          gint64  first,
          gint64  second,
          gint64  third)
{
  g_autoptr(GArray) order = list_participant_order (client);

  return order->len == 3 &&
         g_array_index (order, gint64, 0) == first &&
         g_array_index (order, gint64, 1) == second &&
         g_array_index (order, gint64, 2) == third;
}

static void
test_meeting_member_has_no_host_controls (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(Client) member = client_new (fixture, "Grace Hopper", "grace@example.org", "browser");
  g_autoptr(SoupWebsocketConnection) host_ws = NULL;
  g_autoptr(SoupWebsocketConnection) other_ws = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(JsonObject) other_state = NULL;
  g_autofree char *join = g_strdup_printf ("{\"type\": \"joinRoom\", \"roomId\": %" G_GINT64_FORMAT "}", fixture->room_id);
  g_autofree char *promote = NULL;
  g_autofree char *other_token = NULL;
  gint64 other_id = 0;
  GtkWidget *side_panel, *mute_everyone;

  /* The host and a third user are raw WebSocket clients here: only the
   * server-side effect matters.
   */
  host_ws = cfs_test_ws_connect (fixture->server, fixture->host_token);
  state = cfs_test_ws_request (host_ws, join, "roomState");
  other_token = cfs_test_register (fixture->server, "Aaron Member", "aaron@example.org", &other_id);
  other_ws = cfs_test_ws_connect (fixture->server, other_token);
  other_state = cfs_test_ws_request (other_ws, join, "roomState");

  client_join (member, fixture->room_id);
  CONFAB_TEST_WAIT_UNTIL (client_row (member, fixture->host_id) != NULL, WAIT_MS);

  /* Hosts come first, then everyone by name. */
  CONFAB_TEST_WAIT_UNTIL (order_is (member, fixture->host_id, other_id, fixture->member_id), WAIT_MS);

  side_panel = confab_meeting_page_get_side_panel (client_page (member));
  mute_everyone = confab_test_find_by_id (side_panel, "mute_everyone_button");
  g_assert_false (row_shows_host_controls (client_row (member, fixture->host_id)));
  g_assert_false (gtk_widget_get_visible (mute_everyone));
  g_assert_false (gtk_widget_get_visible (confab_test_find_by_id (side_panel, "browser_note")));

  /* The member's kick action is disabled: no dialog opens. */
  gtk_widget_activate_action (GTK_WIDGET (client_page (member)), "participant.kick", "x", fixture->host_id);
  confab_test_run_for (200);
  g_assert_null (find_message_dialog ());

  /* Made a moderator, the member gets the host controls at once. */
  promote = g_strdup_printf ("{\"type\": \"setModerator\", \"roomId\": %" G_GINT64_FORMAT ", \"userId\": %"
                             G_GINT64_FORMAT ", \"moderator\": true}", fixture->room_id, fixture->member_id);
  soup_websocket_connection_send_text (host_ws, promote);
  CONFAB_TEST_WAIT_UNTIL (confab_room_state_get_is_host (client_state (member)), WAIT_MS);
  g_assert_true (gtk_widget_get_visible (mute_everyone));
  g_assert_true (row_shows_host_controls (client_row (member, fixture->host_id)));

  /* As a host now, the member moves up the list. */
  CONFAB_TEST_WAIT_UNTIL (order_is (member, fixture->host_id, fixture->member_id, other_id), WAIT_MS);

  /* In browser mode, the panel warns hosts to remove people from the video
   * in the meeting's own controls.
   */
  g_assert_true (gtk_widget_get_visible (confab_test_find_by_id (side_panel, "browser_note")));
}

static void
test_meeting_without_webrtc (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(Client) host = client_new (fixture, "Ada Lovelace", "ada@example.org", "automatic");
  GtkWidget *page, *button, *entry;
  GListModel *chat;
  g_autoptr(ConfabChatMessage) sent = NULL;

  client_join (host, fixture->room_id);
  page = GTK_WIDGET (client_page (host));

  /* This WebKitGTK build has no RTCPeerConnection, so automatic mode offers the browser. */
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (meeting_area (host), "message") == 0, WAIT_MS);
  g_assert_nonnull (confab_test_find_label_containing (page, "no WebRTC"));
  button = confab_test_find_button (page, "Open in Browser");
  g_assert_nonnull (button);
  g_assert_true (confab_test_is_showing (button));
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "room.open-in-browser");

  /* The side panel keeps working: a chat message goes out and is confirmed. */
  entry = confab_test_find_by_id (page, "chat_entry");
  gtk_editable_set_text (GTK_EDITABLE (entry), "Hello from https://example.org <b>here</b>");
  g_signal_emit_by_name (entry, "activate");

  chat = confab_room_state_get_chat (client_state (host));
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 1);
  sent = g_list_model_get_item (chat, 0);
  CONFAB_TEST_WAIT_UNTIL (!confab_chat_message_get_pending (sent), WAIT_MS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* The markup in the message is shown as text. */
  g_assert_nonnull (confab_test_find_label_containing (page, "<b>here</b>"));
}

static void
test_meeting_jitsi_not_configured (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(Client) host = client_new (fixture, "Ada Lovelace", "ada@example.org", "embedded");
  GtkWidget *page;

  client_join (host, fixture->room_id);
  page = GTK_WIDGET (client_page (host));

  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (meeting_area (host), "message") == 0, WAIT_MS);
  g_assert_nonnull (confab_test_find_label_containing (page, "“domain” in the [jitsi] group"));
  g_assert_null (confab_meeting_page_get_meeting_view (CONFAB_MEETING_PAGE (page)));
  g_assert_true (confab_meeting_page_is_in_meeting (CONFAB_MEETING_PAGE (page)));

  /* The leave button returns to the lobby. */
  confab_test_click (confab_test_find_by_id (page, "leave_button"));
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (page_name (host), "lobby") == 0, WAIT_MS);
}

static char *
get_server_notes (Fixture *fixture)
{
  g_autoptr(SoupWebsocketConnection) ws = cfs_test_ws_connect (fixture->server, fixture->host_token);
  g_autofree char *join = g_strdup_printf ("{\"type\": \"joinRoom\", \"roomId\": %" G_GINT64_FORMAT "}", fixture->room_id);
  g_autoptr(JsonObject) state = cfs_test_ws_request (ws, join, "roomState");

  soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  return g_strdup (json_object_get_string_member (json_object_get_object_member (state, "notes"), "text"));
}

static void
test_meeting_notes_merge (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(Client) member = client_new (fixture, "Grace Hopper", "grace@example.org", "browser");
  g_autoptr(SoupWebsocketConnection) host_ws = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *join = g_strdup_printf ("{\"type\": \"joinRoom\", \"roomId\": %" G_GINT64_FORMAT "}", fixture->room_id);
  g_autofree char *update = NULL;
  g_autofree char *server_text = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter end;

  host_ws = cfs_test_ws_connect (fixture->server, fixture->host_token);
  state = cfs_test_ws_request (host_ws, join, "roomState");

  client_join (member, fixture->room_id);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (confab_test_find_by_id (GTK_WIDGET (client_page (member)),
                                                                            "notes_view")));

  /* The member types; before their edit is sent, the host saves other notes. */
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "Grace: budget\n", -1);

  update = g_strdup_printf ("{\"type\": \"notesUpdate\", \"roomId\": %" G_GINT64_FORMAT
                            ", \"baseVersion\": 0, \"text\": \"Ada: agenda\\n\"}", fixture->room_id);
  json_object_unref (cfs_test_ws_request (host_ws, update, "notesUpdated"));

  /* The member's editor keeps both, and so does the server once the merged
   * text is sent.
   */
  CONFAB_TEST_WAIT_UNTIL (confab_room_state_get_notes_version (client_state (member)) >= 2, WAIT_MS);
  {
    GtkTextIter start;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_nonnull (strstr (text, "Grace: budget"));
    g_assert_nonnull (strstr (text, "Ada: agenda"));
  }

  server_text = get_server_notes (fixture);
  g_assert_nonnull (strstr (server_text, "Grace: budget"));
  g_assert_nonnull (strstr (server_text, "Ada: agenda"));
}

static void
queue_meeting_event (const char *jitsi_id,
                     const char *event_json)
{
  g_autoptr(JsonObject) action = json_object_new ();
  g_autoptr(JsonNode) event = json_from_string (event_json, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (event);
  json_object_set_string_member (action, "kind", "event");
  json_object_set_member (action, "data", g_steal_pointer (&event));
  g_assert_true (confab_fake_jitsi_queue_action (fake_jitsi, jitsi_id, action, &error));
  g_assert_no_error (error);
}

static void
test_meeting_error_retries_once (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(Client) host = client_new (fixture, "Ada Lovelace", "ada@example.org", "embedded");
  g_autofree char *first_jitsi = NULL;
  g_autofree char *second_jitsi = NULL;
  ConfabParticipant *me;

  client_join (host, fixture->room_id);
  CONFAB_TEST_WAIT_UNTIL (client_jitsi_id (host) != NULL, WAIT_MS);
  first_jitsi = g_strdup (client_jitsi_id (host));

  /* A lost connection: the page fetches a fresh token and starts the
   * meeting again, which joins with a new Jitsi id and reports it.
   */
  queue_meeting_event (first_jitsi, "{\"name\": \"error-occurred\", \"error\": {\"name\": \"connection.droppedError\","
                                    " \"type\": \"CONNECTION\", \"isFatal\": true}}");
  CONFAB_TEST_WAIT_UNTIL (client_jitsi_id (host) != NULL && g_strcmp0 (client_jitsi_id (host), first_jitsi) != 0,
                          WAIT_MS);
  second_jitsi = g_strdup (client_jitsi_id (host));
  g_assert_cmpstr (meeting_area (host), ==, "view");
  CONFAB_TEST_WAIT_UNTIL ((me = confab_room_state_get_self (client_state (host))) != NULL &&
                          g_strcmp0 (confab_participant_get_jitsi_id (me), second_jitsi) == 0, WAIT_MS);

  /* A second failure is not retried: the page shows what failed. */
  queue_meeting_event (second_jitsi, "{\"name\": \"error-occurred\", \"error\": {\"name\": \"connection.droppedError\","
                                     " \"type\": \"CONNECTION\", \"isFatal\": true}}");
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (meeting_area (host), "message") == 0, WAIT_MS);
  g_assert_nonnull (confab_test_find_label (GTK_WIDGET (client_page (host)), "Could Not Connect to the Meeting"));
  g_assert_cmpstr (client_jitsi_id (host), ==, second_jitsi);
  g_assert_true (confab_meeting_page_is_in_meeting (client_page (host)));
}

static gint64
count_seated (Fixture *fixture)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, fixture->room_id);
  g_autoptr(JsonNode) room = cfs_test_request (fixture->server, "GET", path, fixture->host_token, NULL, NULL);

  return json_object_get_int_member (json_node_get_object (room), "participants");
}

static void
test_meeting_ready_to_close_leaves (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(Client) host = client_new (fixture, "Ada Lovelace", "ada@example.org", "embedded");

  client_join (host, fixture->room_id);
  CONFAB_TEST_WAIT_UNTIL (client_jitsi_id (host) != NULL, WAIT_MS);
  g_assert_cmpint (count_seated (fixture), ==, 1);

  /* The user hung up in Jitsi's own toolbar: the meeting closes itself. */
  queue_meeting_event (client_jitsi_id (host), "{\"name\": \"ready-to-close\"}");

  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (page_name (host), "lobby") == 0, WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (count_seated (fixture) == 0, WAIT_MS);
}

static guint
pick_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_bind (socket, any_port, TRUE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
notes_editor_contains (Client     *client,
                       const char *text)
{
  GtkWidget *view = confab_test_find_by_id (confab_meeting_page_get_side_panel (client_page (client)), "notes_view");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_autofree char *content = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  content = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return strstr (content, text) != NULL;
}

static gboolean
server_notes_contain (Fixture    *fixture,
                      const char *text)
{
  g_autofree char *notes = get_server_notes (fixture);

  return strstr (notes, text) != NULL;
}

/* The server restarts on the same port while the member is in the room:
 * the client reconnects, takes its seat again from a fresh roomState, and
 * saves the notes typed while the server was away.
 */
static void
test_meeting_reconnect_rejoins (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(Client) member = NULL;
  g_autofree char *config = NULL;
  GtkWidget *notes_view, *revealer, *panel;
  GtkTextIter end;

  /* This test needs a fixed port, so it replaces the fixture's server. */
  cfs_test_server_free (fixture->server);
  g_free (fixture->host_token);
  g_free (fixture->member_token);
  config = g_strdup_printf ("[server]\nport=%u\n[jitsi]\ndomain=\n", pick_free_port ());
  fixture->server = cfs_test_server_start (config);
  fixture->host_token = cfs_test_register (fixture->server, "Ada Lovelace", "ada@example.org", &fixture->host_id);
  fixture->member_token = cfs_test_register (fixture->server, "Grace Hopper", "grace@example.org",
                                             &fixture->member_id);
  fixture->room_id = cfs_test_create_room (fixture->server, fixture->host_token, "Analytical Engine", 10);

  member = client_new (fixture, "Grace Hopper", "grace@example.org", "browser");
  client_join (member, fixture->room_id);

  /* The member types; the server goes away before the edit is sent. */
  notes_view = confab_test_find_by_id (confab_meeting_page_get_side_panel (client_page (member)), "notes_view");
  gtk_text_buffer_get_end_iter (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes_view)), &end);
  gtk_text_buffer_insert (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes_view)), &end, "Typed offline\n", -1);
  cfs_test_server_stop (fixture->server);

  /* While the server is away the page shows it, and chat explains itself. */
  revealer = confab_test_find_by_id (GTK_WIDGET (client_page (member)), "connection_revealer");
  CONFAB_TEST_WAIT_UNTIL (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)), WAIT_MS);
  panel = confab_meeting_page_get_side_panel (client_page (member));
  gtk_editable_set_text (GTK_EDITABLE (confab_test_find_by_id (panel, "chat_entry")), "Are you there?");
  g_signal_emit_by_name (confab_test_find_by_id (panel, "chat_entry"), "activate");
  g_assert_true (gtk_widget_get_visible (confab_test_find_by_id (panel, "chat_status")));

  cfs_test_server_restart (fixture->server);

  CONFAB_TEST_WAIT_UNTIL (confab_socket_get_state (confab_window_get_socket (member->window)) == CONFAB_SOCKET_CONNECTED,
                          WAIT_MS);

  /* Back online: the bar and the stale chat error go. */
  CONFAB_TEST_WAIT_UNTIL (!gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)), WAIT_MS);
  g_assert_false (gtk_widget_get_visible (confab_test_find_by_id (panel, "chat_status")));
  CONFAB_TEST_WAIT_UNTIL (count_seated (fixture) == 1, WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (server_notes_contain (fixture, "Typed offline"), WAIT_MS);

  g_assert_true (confab_meeting_page_is_in_meeting (client_page (member)));
  g_assert_true (client_is_joined (member));
  g_assert_nonnull (confab_room_state_get_self (client_state (member)));
  g_assert_true (notes_editor_contains (member, "Typed offline"));
}

static void
test_meeting_earlier_chat (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(Client) member = NULL;
  g_autoptr(SoupWebsocketConnection) host_ws = cfs_test_ws_connect (fixture->server, fixture->host_token);
  g_autofree char *join = g_strdup_printf ("{\"type\": \"joinRoom\", \"roomId\": %" G_GINT64_FORMAT "}", fixture->room_id);
  g_autoptr(JsonObject) state = cfs_test_ws_request (host_ws, join, "roomState");
  guint total = CONFAB_CHAT_HISTORY_ON_JOIN + 5;
  GtkWidget *panel, *button;
  GListModel *chat;

  /* More messages than a snapshot carries, paced under the chat rate limit
   * of 5 per second after a burst of 10.
   */
  for (guint i = 0; i < total; i++)
    {
      g_autofree char *chat_message = g_strdup_printf ("{\"type\": \"chat\", \"roomId\": %" G_GINT64_FORMAT
                                                       ", \"clientMsgId\": \"h-%u\", \"text\": \"history %u\"}",
                                                       fixture->room_id, i, i);

      if (i >= 10)
        confab_test_run_for (210);
      json_object_unref (cfs_test_ws_request (host_ws, chat_message, "chatAck"));
    }

  member = client_new (fixture, "Grace Hopper", "grace@example.org", "browser");
  client_join (member, fixture->room_id);
  chat = confab_room_state_get_chat (client_state (member));
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, CONFAB_CHAT_HISTORY_ON_JOIN);

  /* The snapshot is a full page, so earlier messages can be loaded. */
  panel = confab_meeting_page_get_side_panel (client_page (member));
  confab_side_panel_show_page (CONFAB_SIDE_PANEL (panel), "chat");
  button = confab_test_find_by_id (panel, "earlier_button");
  CONFAB_TEST_WAIT_UNTIL (confab_test_is_showing (button), WAIT_MS);
  confab_test_click (button);

  CONFAB_TEST_WAIT_UNTIL (g_list_model_get_n_items (chat) == total, WAIT_MS);
  {
    g_autoptr(ConfabChatMessage) first = g_list_model_get_item (chat, 0);
    g_autoptr(ConfabChatMessage) last = g_list_model_get_item (chat, total - 1);

    g_autofree char *last_text = g_strdup_printf ("history %u", total - 1);

    g_assert_cmpstr (confab_chat_message_get_text (first), ==, "history 0");
    g_assert_cmpstr (confab_chat_message_get_text (last), ==, last_text);
  }

  /* That page was short, so it was the start of the chat. */
  CONFAB_TEST_WAIT_UNTIL (!gtk_widget_get_visible (button), WAIT_MS);
}

static gboolean
hand_is_raised (Client *client,
                gint64  user_id)
{
  ConfabParticipant *participant = confab_room_state_find_participant (client_state (client), user_id);

  return participant != NULL && confab_participant_get_hand_raised (participant);
}

static gboolean
page_hand_raised (Client *client)
{
  gboolean raised = FALSE;

  g_object_get (client_page (client), "hand-raised", &raised, NULL);
  return raised;
}

static void
test_meeting_hand_mute_chat_leave (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(Client) host = client_new (fixture, "Ada Lovelace", "ada@example.org", "embedded");
  g_autoptr(Client) member = client_new (fixture, "Grace Hopper", "grace@example.org", "embedded");
  g_autofree char *host_jitsi = NULL;
  g_autofree char *member_jitsi = NULL;
  ConfabSidePanel *member_panel;
  GtkWidget *entry, *text_label;

  client_join (host, fixture->room_id);
  CONFAB_TEST_WAIT_UNTIL (client_jitsi_id (host) != NULL, WAIT_MS);
  host_jitsi = g_strdup (client_jitsi_id (host));
  client_join (member, fixture->room_id);
  CONFAB_TEST_WAIT_UNTIL (client_jitsi_id (member) != NULL, WAIT_MS);
  member_jitsi = g_strdup (client_jitsi_id (member));
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (confab_participant_get_jitsi_id (confab_room_state_find_participant (client_state (host),
                                                                                                          fixture->member_id)),
                                     member_jitsi) == 0, WAIT_MS);

  /* The member raises a hand with the panel's toggle; the host sees it. */
  confab_test_click (confab_test_find_by_id (confab_meeting_page_get_side_panel (client_page (member)), "hand_button"));
  CONFAB_TEST_WAIT_UNTIL (page_hand_raised (member), WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (hand_is_raised (host, fixture->member_id), WAIT_MS);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (confab_test_find_by_id (confab_meeting_page_get_side_panel (client_page (member)),
                                                                                          "hand_button"))));
  g_assert_nonnull (confab_test_find_button (confab_meeting_page_get_side_panel (client_page (member)), "Lower Hand"));

  /* The host lowers it. */
  gtk_widget_activate_action (client_row (host, fixture->member_id), "participant.lower-hand", "x", fixture->member_id);
  CONFAB_TEST_WAIT_UNTIL (!page_hand_raised (member), WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (!hand_is_raised (host, fixture->member_id), WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_label_containing (GTK_WIDGET (member->window),
                                                             "Ada Lovelace lowered your hand") != NULL, WAIT_MS);
  g_assert_nonnull (confab_test_find_button (confab_meeting_page_get_side_panel (client_page (member)), "Raise Hand"));

  /* The host mutes the member: through the host's meeting on the member's
   * Jitsi id, and through the server, whose muteRequested makes the
   * member's own client mute its microphone.
   */
  gtk_widget_activate_action (client_row (host, fixture->member_id), "participant.mute", "x", fixture->member_id);
  CONFAB_TEST_WAIT_UNTIL (records_contain_command (host_jitsi, "mute-remote-participant", member_jitsi), WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (records_contain_command (member_jitsi, "toggle-audio", NULL), WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_label_containing (GTK_WIDGET (host->window),
                                                             "Grace Hopper was asked to mute their microphone") != NULL,
                          WAIT_MS);

  /* Chat from the host counts as unread for the member until they open the chat. */
  member_panel = CONFAB_SIDE_PANEL (confab_meeting_page_get_side_panel (client_page (member)));
  g_assert_cmpuint (confab_side_panel_get_unread_count (member_panel), ==, 0);
  confab_side_panel_show_page (CONFAB_SIDE_PANEL (confab_meeting_page_get_side_panel (client_page (host))), "chat");
  entry = confab_test_find_by_id (confab_meeting_page_get_side_panel (client_page (host)), "chat_entry");

  /* A paste over the limit stays whole: a note shows the limit and the send
   * button waits until the message is shorter.
   */
  {
    GtkWidget *host_panel = confab_meeting_page_get_side_panel (client_page (host));
    g_autofree char *long_text = g_strnfill (CONFAB_CHAT_MAX_CHARS + 100, 'y');

    gtk_editable_set_text (GTK_EDITABLE (entry), long_text);
    g_assert_cmpint (g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (entry)), -1), ==, CONFAB_CHAT_MAX_CHARS + 100);
    g_assert_true (confab_test_is_showing (confab_test_find_by_id (host_panel, "chat_limit_label")));
    g_assert_nonnull (confab_test_find_label_containing (host_panel, "2100 of 2000 characters"));
    g_assert_false (gtk_widget_get_sensitive (confab_test_find_by_id (host_panel, "send_button")));
  }
  gtk_editable_set_text (GTK_EDITABLE (entry), "Minutes: https://example.org/minutes.");
  g_assert_true (gtk_widget_get_sensitive (confab_test_find_by_id (confab_meeting_page_get_side_panel (client_page (host)),
                                                                   "send_button")));
  confab_test_click (confab_test_find_by_id (confab_meeting_page_get_side_panel (client_page (host)), "send_button"));
  CONFAB_TEST_WAIT_UNTIL (confab_side_panel_get_unread_count (member_panel) == 1, WAIT_MS);

  text_label = confab_test_find_label (GTK_WIDGET (member_panel), "Minutes: https://example.org/minutes.");
  g_assert_nonnull (text_label);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (text_label)), ==,
                   "Minutes: <a href=\"https://example.org/minutes\">https://example.org/minutes</a>.");

  confab_side_panel_show_page (member_panel, "chat");
  g_assert_cmpuint (confab_side_panel_get_unread_count (member_panel), ==, 0);

  /* The member leaves with the leave button: the meeting is hung up and the
   * host sees them go.
   */
  confab_test_click (confab_test_find_by_id (GTK_WIDGET (member_panel), "leave_button"));
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (page_name (member), "lobby") == 0, WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (records_contain_command (member_jitsi, "video-hangup", NULL), WAIT_MS);
  CONFAB_TEST_WAIT_UNTIL (confab_room_state_find_participant (client_state (host), fixture->member_id) == NULL,
                          WAIT_MS);
}

static gboolean
chat_has_pending (ConfabRoomState *state)
{
  GListModel *chat = confab_room_state_get_chat (state);

  for (guint i = 0; i < g_list_model_get_n_items (chat); i++)
    {
      g_autoptr(ConfabChatMessage) message = g_list_model_get_item (chat, i);

      if (confab_chat_message_get_pending (message))
        return TRUE;
    }

  return FALSE;
}

static void
test_meeting_chat_rate_limited (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(Client) host = client_new (fixture, "Ada Lovelace", "ada@example.org", "browser");
  GtkWidget *panel, *entry, *status;
  guint sent = 15;

  client_join (host, fixture->room_id);
  panel = confab_meeting_page_get_side_panel (client_page (host));
  confab_side_panel_show_page (CONFAB_SIDE_PANEL (panel), "chat");
  entry = confab_test_find_by_id (panel, "chat_entry");
  status = confab_test_find_by_id (panel, "chat_status");

  /* More messages at once than the server's burst of 10 allows. */
  for (guint i = 0; i < sent; i++)
    {
      g_autofree char *text = g_strdup_printf ("message %u", i);

      gtk_editable_set_text (GTK_EDITABLE (entry), text);
      g_signal_emit_by_name (entry, "activate");
    }

  /* The rejected ones leave the list instead of staying pending, the user
   * sees an error, and the text comes back into the entry.
   */
  CONFAB_TEST_WAIT_UNTIL (!chat_has_pending (client_state (host)), WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (confab_room_state_get_chat (client_state (host))), <, sent);
  g_assert_cmpuint (g_list_model_get_n_items (confab_room_state_get_chat (client_state (host))), >=, 5);
  g_assert_true (gtk_widget_get_visible (status));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (status)), "The message was not sent: "));
  g_assert_true (g_str_has_prefix (gtk_editable_get_text (GTK_EDITABLE (entry)), "message "));
}

/* A long topic stops after three lines, with the full text in a tooltip,
 * so that the tabs below stay in place.
 */
static void
test_meeting_long_topic (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(Client) member = NULL;
  g_autofree char *topic = g_strnfill (CONFAB_ROOM_TOPIC_MAX_CHARS, 'w');
  g_autofree char *body = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, fixture->room_id);
  g_autoptr(JsonNode) reply = NULL;
  GtkWidget *label, *line;
  int topic_height, line_height;
  guint status = 0;

  /* Words of 9 letters, so that the topic wraps at word boundaries. */
  for (guint i = 9; i < CONFAB_ROOM_TOPIC_MAX_CHARS; i += 10)
    topic[i] = ' ';
  body = g_strdup_printf ("{\"topic\": \"%s\"}", topic);
  reply = cfs_test_request (fixture->server, "PATCH", path, fixture->host_token, body, &status);
  g_assert_cmpuint (status, ==, 200);

  member = client_new (fixture, "Grace Hopper", "grace@example.org", "browser");
  client_join (member, fixture->room_id);
  label = confab_test_find_by_id (confab_meeting_page_get_side_panel (client_page (member)), "topic_label");
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), topic) == 0, WAIT_MS);

  g_assert_cmpstr (gtk_widget_get_tooltip_text (label), ==, topic);
  line = g_object_ref_sink (gtk_label_new ("w"));
  gtk_widget_measure (line, GTK_ORIENTATION_VERTICAL, -1, NULL, &line_height, NULL, NULL);
  gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, 300, NULL, &topic_height, NULL, NULL);
  g_assert_cmpint (topic_height, <=, 3 * line_height + 2);
  g_object_unref (line);
}

/* GTK warns when a text widget loses focus without a focus-out event,
 * which happens under Xvfb without a window manager. GTK logs it as a
 * structured message, which the test framework's fatal handler does not see,
 * so this writer drops exactly that warning and passes on everything else.
 */
static GLogWriterOutput
drop_xvfb_focus_warning (GLogLevelFlags   log_level,
                         const GLogField *fields,
                         gsize            n_fields,
                         gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if ((log_level & G_LOG_LEVEL_WARNING) != 0 && g_strcmp0 (domain, "Gtk") == 0 &&
      message != NULL && strstr (message, "did not receive a focus-out event") != NULL)
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_log_set_writer_func (drop_xvfb_focus_warning, NULL, NULL);
  /* Removing a user sends a desktop notification, which needs a server. */
  confab_test_notifications_start ();

  fake_jitsi = confab_fake_jitsi_start (&error);
  g_assert_no_error (error);

  application = confab_test_register_application ();

  /* The product trusts only real certificates; the test trusts the
   * fixture's own, for its host only.
   */
  webkit_network_session_allow_tls_certificate_for_host (confab_application_get_network_session (application),
                                                         confab_fake_jitsi_get_certificate (fake_jitsi),
                                                         "localhost");

  g_test_add ("/client/meeting/embedded-kick", Fixture, NULL,
              fixture_set_up, test_meeting_embedded_kick, fixture_tear_down);
  g_test_add ("/client/meeting/ban-kicks-again", Fixture, NULL,
              fixture_set_up, test_meeting_ban_kicks_again, fixture_tear_down);
  g_test_add ("/client/meeting/member-has-no-host-controls", Fixture, NULL,
              fixture_set_up, test_meeting_member_has_no_host_controls, fixture_tear_down);
  g_test_add ("/client/meeting/without-webrtc", Fixture, NULL,
              fixture_set_up, test_meeting_without_webrtc, fixture_tear_down);
  g_test_add ("/client/meeting/jitsi-not-configured", Fixture, "",
              fixture_set_up, test_meeting_jitsi_not_configured, fixture_tear_down);
  g_test_add ("/client/meeting/notes-merge", Fixture, NULL,
              fixture_set_up, test_meeting_notes_merge, fixture_tear_down);
  g_test_add ("/client/meeting/error-retries-once", Fixture, NULL,
              fixture_set_up, test_meeting_error_retries_once, fixture_tear_down);
  g_test_add ("/client/meeting/hand-mute-chat-leave", Fixture, NULL,
              fixture_set_up, test_meeting_hand_mute_chat_leave, fixture_tear_down);
  g_test_add ("/client/meeting/chat-rate-limited", Fixture, NULL,
              fixture_set_up, test_meeting_chat_rate_limited, fixture_tear_down);
  g_test_add ("/client/meeting/ready-to-close-leaves", Fixture, NULL,
              fixture_set_up, test_meeting_ready_to_close_leaves, fixture_tear_down);
  g_test_add ("/client/meeting/reconnect-rejoins", Fixture, NULL,
              fixture_set_up, test_meeting_reconnect_rejoins, fixture_tear_down);
  g_test_add ("/client/meeting/earlier-chat", Fixture, NULL,
              fixture_set_up, test_meeting_earlier_chat, fixture_tear_down);
  g_test_add ("/client/meeting/long-topic", Fixture, NULL,
              fixture_set_up, test_meeting_long_topic, fixture_tear_down);

  status = g_test_run ();

  g_object_unref (application);
  confab_fake_jitsi_free (fake_jitsi);
  return status;
}
