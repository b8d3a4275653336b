/* test-room-manage.c: the room menu, room settings, deleting rooms, "My
 * Rooms" and invite links, in real windows against the real confab-server
 * on loopback
 */
#define G_LOG_DOMAIN "confab-test"

#include "config.h"

#include <string.h>

#include "cfs-test-server.h"
#include "cfs-test-smtp-sink.h"
#include "confab-application.h"
#include "confab-invite-dialog.h"
#include "confab-json.h"
#include "confab-lobby-page.h"
#include "confab-meeting-page.h"
#include "confab-protocol.h"
#include "confab-room-row.h"
#include "confab-test-util.h"
#include "confab-window.h"

#define TIMEOUT_MS CONFAB_TEST_TIMEOUT_MS

static ConfabApplication *application;

typedef struct {
  CfsTestServer *server;
  GSettings     *settings;
  ConfabWindow  *window;
  char          *ada_token;
  char          *bob_token;
} Fixture;

/* Helpers */

static ConfabLobbyPage *
get_lobby (ConfabWindow *window)
{
  GtkWidget *lobby = confab_test_find_by_id (GTK_WIDGET (window), "lobby_page");

  g_assert_nonnull (lobby);
  return CONFAB_LOBBY_PAGE (lobby);
}

static ConfabRoomItem *
lookup_room (ConfabWindow *window,
             gint64        room_id)
{
  return confab_room_list_lookup (confab_lobby_page_get_room_list (get_lobby (window)), room_id);
}

static gboolean
is_room_shown (ConfabWindow *window,
               gint64        room_id)
{
  GListModel *shown = confab_lobby_page_get_shown_rooms (get_lobby (window));

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(ConfabRoomItem) item = g_list_model_get_item (shown, i);

      if (confab_room_item_get_id (item) == room_id)
        return TRUE;
    }

  return FALSE;
}

static ConfabRoomRow *
find_row (GtkWidget *root,
          gint64     room_id)
{
  if (CONFAB_IS_ROOM_ROW (root))
    {
      ConfabRoomItem *item = confab_room_row_get_item (CONFAB_ROOM_ROW (root));

      if (item != NULL && confab_room_item_get_id (item) == room_id)
        return CONFAB_ROOM_ROW (root);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      ConfabRoomRow *row = find_row (child, room_id);

      if (row != NULL)
        return row;
    }

  return NULL;
}

/* Whether the row's room menu has @action for the row's room. */
static gboolean
menu_offers (ConfabRoomRow *row,
             const char    *action)
{
  GtkWidget *button = confab_test_find_by_id (GTK_WIDGET (row), "menu_button");
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  gint64 room_id = confab_room_item_get_id (confab_room_row_get_item (row));

  if (!gtk_widget_get_visible (button) || menu == NULL)
    return FALSE;

  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *name = NULL;
          g_autoptr(GVariant) target = NULL;

          g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &name);
          target = g_menu_model_get_item_attribute_value (section, j, G_MENU_ATTRIBUTE_TARGET,
                                                          G_VARIANT_TYPE_INT64);
          if (g_strcmp0 (name, action) == 0 && target != NULL && g_variant_get_int64 (target) == room_id)
            return TRUE;
        }
    }

  return FALSE;
}

/* Activates @action of the row's menu, as choosing the menu item does. */
static void
choose_menu_item (ConfabWindow *window,
                  gint64        room_id,
                  const char   *action)
{
  ConfabRoomRow *row = find_row (GTK_WIDGET (window), room_id);

  g_assert_nonnull (row);
  g_assert_true (menu_offers (row, action));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), action, "x", room_id));
}

static guint
get_status (CfsTestServer *server,
            const char    *token,
            gint64         room_id,
            JsonNode     **room_out)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, room_id);
  g_autoptr(JsonNode) room = NULL;
  guint status = 0;

  room = cfs_test_request (server, "GET", path, token, NULL, &status);
  if (room_out != NULL)
    *room_out = g_steal_pointer (&room);

  return status;
}

static void
make_private (CfsTestServer *server,
              const char    *token,
              gint64         room_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, room_id);
  g_autoptr(JsonNode) room = NULL;
  guint status = 0;

  room = cfs_test_request (server, "PATCH", path, token, "{\"private\": true}", &status);
  g_assert_cmpuint (status, ==, 200);
}

static gboolean
is_editable_sensitive (GtkWidget *editable)
{
  return editable != NULL && gtk_widget_is_sensitive (editable);
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static char *
read_clipboard (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, read_text_cb, &text);
  CONFAB_TEST_WAIT_UNTIL (text != NULL, TIMEOUT_MS);

  return text;
}

static ConfabWindow *
open_signed_in_window (Fixture    *fixture,
                       GSettings **settings_out,
                       const char *email,
                       const char *password)
{
  g_autoptr(GSettings) settings = confab_test_new_browser_settings (cfs_test_server_get_url (fixture->server));
  ConfabWindow *window = confab_test_open_window (application, settings);

  confab_test_sign_in (window, email, password);
  *settings_out = g_steal_pointer (&settings);

  return window;
}

/* Fixtures */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = cfs_test_server_start (NULL);
  fixture->settings = confab_test_new_browser_settings (cfs_test_server_get_url (fixture->server));
  fixture->ada_token = cfs_test_register (fixture->server, "Ada", "ada@example.org", NULL);
  fixture->bob_token = cfs_test_register (fixture->server, "Bob", "bob@example.org", NULL);

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  confab_test_close_window (fixture->window);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->ada_token, g_free);
  g_clear_pointer (&fixture->bob_token, g_free);
  g_clear_pointer (&fixture->server, cfs_test_server_free);
}

/* Tests */

static void
test_edit_room (Fixture       *fixture,
                gconstpointer  data)
{
  gint64 room_id = cfs_test_create_room (fixture->server, fixture->ada_token, "Weekly Sync", 10);
  g_autofree char *long_name = g_strnfill (101, 'x');
  g_autoptr(JsonNode) room = NULL;
  JsonObject *object;
  ConfabRoomItem *item;
  GtkWidget *dialog;
  GtkWidget *name_row;
  GtkWidget *error_label;
  gboolean is_private = FALSE;
  gint64 capacity = 0;

  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (find_row (GTK_WIDGET (fixture->window), room_id) != NULL, TIMEOUT_MS);

  /* The dialog loads the room, then saves the changed fields. */
  choose_menu_item (fixture->window, room_id, "win.room-settings");
  dialog = confab_test_find_toplevel ("ConfabRoomSettingsDialog");
  g_assert_nonnull (dialog);
  name_row = confab_test_find_by_id (dialog, "name_row");
  CONFAB_TEST_WAIT_UNTIL (is_editable_sensitive (name_row), TIMEOUT_MS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Weekly Sync");

  confab_test_type (name_row, "Standup");
  confab_test_type (confab_test_find_by_id (dialog, "topic_row"), "Daily, 9:30");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (confab_test_find_by_id (dialog, "capacity_spin")), 20);
  gtk_switch_set_active (GTK_SWITCH (confab_test_find_by_id (dialog, "private_switch")), TRUE);
  confab_test_click (confab_test_find_button (dialog, "Save"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_toplevel ("ConfabRoomSettingsDialog") == NULL, TIMEOUT_MS);

  /* The lobby follows through its deltas. */
  item = lookup_room (fixture->window, room_id);
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (confab_room_item_get_name (item), "Standup") == 0, TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (confab_room_item_get_private (item), TIMEOUT_MS);
  g_assert_cmpstr (confab_room_item_get_topic (item), ==, "Daily, 9:30");
  g_assert_cmpuint (confab_room_item_get_capacity (item), ==, 20);
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_label (GTK_WIDGET (find_row (GTK_WIDGET (fixture->window), room_id)),
                                                  "Private") != NULL,
                          TIMEOUT_MS);

  g_assert_cmpuint (get_status (fixture->server, fixture->ada_token, room_id, &room), ==, 200);
  object = json_node_get_object (room);
  g_assert_cmpstr (confab_json_get_string (object, "name"), ==, "Standup");
  g_assert_cmpstr (confab_json_get_string (object, "topic"), ==, "Daily, 9:30");
  g_assert_true (confab_json_get_int (object, "capacity", &capacity));
  g_assert_cmpint (capacity, ==, 20);
  g_assert_true (confab_json_get_boolean (object, "private", &is_private));
  g_assert_true (is_private);

  /* The private room is gone for Bob. */
  g_assert_cmpuint (get_status (fixture->server, fixture->bob_token, room_id, NULL), ==, 404);

  /* The name field takes at most the server's limit, and an empty name
   * gets the New Room dialog's message before any request.
   */
  choose_menu_item (fixture->window, room_id, "win.room-settings");
  dialog = confab_test_find_toplevel ("ConfabRoomSettingsDialog");
  name_row = confab_test_find_by_id (dialog, "name_row");
  CONFAB_TEST_WAIT_UNTIL (is_editable_sensitive (name_row), TIMEOUT_MS);
  confab_test_type (name_row, long_name);
  g_assert_cmpint (g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (name_row)), -1), ==,
                   CONFAB_ROOM_NAME_MAX_CHARS);

  confab_test_type (name_row, " ");
  confab_test_click (confab_test_find_button (dialog, "Save"));

  error_label = confab_test_find_by_id (dialog, "error_label");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), ==, "Enter a name for the room.");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, " ");
  g_assert_true (is_editable_sensitive (name_row));
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_clear_pointer (&room, json_node_unref);
  g_assert_cmpuint (get_status (fixture->server, fixture->ada_token, room_id, &room), ==, 200);
  g_assert_cmpstr (confab_json_get_string (json_node_get_object (room), "name"), ==, "Standup");
}

static void
test_delete_room (Fixture       *fixture,
                  gconstpointer  data)
{
  gint64 room_id = cfs_test_create_room (fixture->server, fixture->ada_token, "Old Project", 10);
  GtkWidget *dialog;

  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (find_row (GTK_WIDGET (fixture->window), room_id) != NULL, TIMEOUT_MS);

  /* Cancel keeps the room. */
  choose_menu_item (fixture->window, room_id, "win.delete-room");
  dialog = confab_test_find_toplevel ("AdwMessageDialog");
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Delete “Old Project”?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "meeting history"));
  confab_test_click (confab_test_find_button (dialog, "Cancel"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_toplevel ("AdwMessageDialog") == NULL, TIMEOUT_MS);

  g_assert_cmpuint (get_status (fixture->server, fixture->ada_token, room_id, NULL), ==, 200);
  g_assert_nonnull (lookup_room (fixture->window, room_id));

  /* Confirming deletes it, and the lobby drops it. */
  choose_menu_item (fixture->window, room_id, "win.delete-room");
  dialog = confab_test_find_toplevel ("AdwMessageDialog");
  g_assert_nonnull (dialog);
  confab_test_click (confab_test_find_button (dialog, "Delete Room"));
  CONFAB_TEST_WAIT_UNTIL (lookup_room (fixture->window, room_id) == NULL, TIMEOUT_MS);

  g_assert_cmpuint (get_status (fixture->server, fixture->ada_token, room_id, NULL), ==, 404);
}

static void
test_settings_dialog_deletes (Fixture       *fixture,
                              gconstpointer  data)
{
  gint64 room_id = cfs_test_create_room (fixture->server, fixture->ada_token, "Scratch", 10);
  GtkWidget *dialog;
  GtkWidget *confirmation;

  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (find_row (GTK_WIDGET (fixture->window), room_id) != NULL, TIMEOUT_MS);

  choose_menu_item (fixture->window, room_id, "win.room-settings");
  dialog = confab_test_find_toplevel ("ConfabRoomSettingsDialog");
  CONFAB_TEST_WAIT_UNTIL (gtk_widget_is_sensitive (confab_test_find_button (dialog, "Delete Room…")), TIMEOUT_MS);
  confab_test_click (confab_test_find_button (dialog, "Delete Room…"));

  confirmation = confab_test_find_toplevel ("AdwMessageDialog");
  g_assert_nonnull (confirmation);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (confirmation)), ==, "Delete “Scratch”?");
  confab_test_click (confab_test_find_button (confirmation, "Delete Room"));

  CONFAB_TEST_WAIT_UNTIL (confab_test_find_toplevel ("ConfabRoomSettingsDialog") == NULL, TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (lookup_room (fixture->window, room_id) == NULL, TIMEOUT_MS);
  g_assert_cmpuint (get_status (fixture->server, fixture->ada_token, room_id, NULL), ==, 404);
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

/* Returns whether @widget lies wholly inside the visible part of the
 * scrolled window that contains it.
 */
static gboolean
is_in_visible_area (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  g_assert_nonnull (scroller);

  if (!gtk_widget_get_mapped (widget) || !gtk_widget_compute_bounds (widget, scroller, &bounds))
    return FALSE;

  return bounds.origin.y >= 0 && bounds.size.height > 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller);
}

static void
test_private_invite_link (Fixture       *fixture,
                          gconstpointer  data)
{
  gint64 room_id = cfs_test_create_room (fixture->server, fixture->ada_token, "Board", 10);
  g_autofree char *carol_token = cfs_test_register (fixture->server, "Carol", "carol@example.org", NULL);
  g_autoptr(GSettings) bob_settings = NULL;
  g_autoptr(GSettings) carol_settings = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *link = NULL;
  g_autofree char *web_link_prefix = NULL;
  ConfabWindow *bob_window;
  ConfabWindow *carol_window;
  GtkWidget *dialog;

  make_private (fixture->server, fixture->ada_token, room_id);
  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (find_row (GTK_WIDGET (fixture->window), room_id) != NULL, TIMEOUT_MS);

  /* The host makes a single-use code and gets both links. */
  choose_menu_item (fixture->window, room_id, "win.copy-invite");
  dialog = confab_test_find_toplevel ("ConfabInviteDialog");
  g_assert_nonnull (dialog);
  g_assert_true (confab_test_is_showing (confab_test_find_by_id (dialog, "options_group")));
  confab_test_click (confab_test_find_button (dialog, "Create and Copy Link"));
  CONFAB_TEST_WAIT_UNTIL (confab_invite_dialog_get_app_link (CONFAB_INVITE_DIALOG (dialog)) != NULL, TIMEOUT_MS);

  link = g_strdup (confab_invite_dialog_get_app_link (CONFAB_INVITE_DIALOG (dialog)));
  g_assert_nonnull (strstr (link, "?invite="));
  web_link_prefix = g_strdup_printf ("%s/join/%" G_GINT64_FORMAT "?invite=",
                                     cfs_test_server_get_url (fixture->server), room_id);
  g_assert_true (g_str_has_prefix (confab_invite_dialog_get_web_link (CONFAB_INVITE_DIALOG (dialog)),
                                   web_link_prefix));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (confab_test_find_by_id (dialog, "status_label"))), ==,
                   "Invite link copied. It lets one person join and expires in 7 days.");
  /* The confirmation shows without scrolling, next to the pressed button. */
  CONFAB_TEST_WAIT_UNTIL (is_in_visible_area (confab_test_find_by_id (dialog, "status_label")), TIMEOUT_MS);

  copied = read_clipboard (dialog);
  g_assert_cmpstr (copied, ==, link);

  /* The server made the code with the choices shown. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/invites", room_id);
    g_autoptr(JsonNode) list = NULL;
    JsonArray *invites;
    JsonObject *invite;
    gint64 created_at = 0;
    gint64 expires_at = 0;
    gint64 max_uses = 0;
    guint status = 0;

    list = cfs_test_request (fixture->server, "GET", path, fixture->ada_token, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
    invites = confab_json_get_array (json_node_get_object (list), "invites");
    g_assert_cmpuint (json_array_get_length (invites), ==, 1);
    invite = json_array_get_object_element (invites, 0);
    g_assert_true (confab_json_get_int (invite, "created_at", &created_at));
    g_assert_true (confab_json_get_int (invite, "expires_at", &expires_at));
    g_assert_true (confab_json_get_int (invite, "max_uses", &max_uses));
    g_assert_cmpint (expires_at - created_at, ==, 7 * 24 * 60 * 60);
    g_assert_cmpint (max_uses, ==, 1);
  }

  gtk_window_destroy (GTK_WINDOW (dialog));
  confab_test_close_window (fixture->window);

  /* Bob opens the link through the application and reaches the room. */
  bob_window = open_signed_in_window (fixture, &bob_settings, "bob@example.org", "password-Bob");
  g_assert_cmpuint (get_status (fixture->server, fixture->bob_token, room_id, NULL), ==, 404);
  {
    g_autoptr(GFile) link_file = g_file_new_for_uri (link);

    g_application_open (G_APPLICATION (application), &link_file, 1, "");
  }
  CONFAB_TEST_WAIT_UNTIL (confab_test_get_open_room_id (bob_window) == room_id, TIMEOUT_MS);
  g_assert_cmpuint (get_status (fixture->server, fixture->bob_token, room_id, NULL), ==, 200);
  confab_test_close_window (bob_window);

  /* The code worked once, so Carol gets the server's refusal. */
  carol_window = open_signed_in_window (fixture, &carol_settings, "carol@example.org", "password-Carol");
  {
    g_autoptr(GFile) link_file = g_file_new_for_uri (link);

    g_application_open (G_APPLICATION (application), &link_file, 1, "");
  }
  CONFAB_TEST_WAIT_UNTIL (find_message_with_body (GTK_WINDOW (carol_window), "was already used") != NULL,
                          TIMEOUT_MS);
  g_assert_null (confab_window_get_meeting_page (carol_window));
  g_assert_cmpuint (get_status (fixture->server, carol_token, room_id, NULL), ==, 404);
  confab_test_close_window (carol_window);
}

static void
test_public_link_for_member (Fixture       *fixture,
                             gconstpointer  data)
{
  gint64 room_id = cfs_test_create_room (fixture->server, fixture->ada_token, "Open Hour", 10);
  g_autofree char *expected = NULL;
  g_autofree char *copied = NULL;
  GtkWidget *dialog;

  confab_test_sign_in (fixture->window, "bob@example.org", "password-Bob");
  CONFAB_TEST_WAIT_UNTIL (find_row (GTK_WIDGET (fixture->window), room_id) != NULL, TIMEOUT_MS);

  /* Bob is no host, so the client builds the link without the server. */
  choose_menu_item (fixture->window, room_id, "win.copy-invite");
  dialog = confab_test_find_toplevel ("ConfabInviteDialog");
  g_assert_nonnull (dialog);
  g_assert_false (confab_test_is_showing (confab_test_find_by_id (dialog, "options_group")));

  expected = g_strdup_printf ("confab://join/%s/%" G_GINT64_FORMAT,
                              strstr (cfs_test_server_get_url (fixture->server), "://") + 3, room_id);
  g_assert_cmpstr (confab_invite_dialog_get_app_link (CONFAB_INVITE_DIALOG (dialog)), ==, expected);
  copied = read_clipboard (dialog);
  g_assert_cmpstr (copied, ==, expected);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_member_menu_and_my_rooms (Fixture       *fixture,
                               gconstpointer  data)
{
  gint64 ada_room = cfs_test_create_room (fixture->server, fixture->ada_token, "Ada's Room", 10);
  gint64 bob_room;
  GtkWidget *lobby;
  ConfabRoomRow *row;

  confab_test_sign_in (fixture->window, "bob@example.org", "password-Bob");
  lobby = GTK_WIDGET (get_lobby (fixture->window));
  CONFAB_TEST_WAIT_UNTIL ((row = find_row (lobby, ada_room)) != NULL, TIMEOUT_MS);

  /* A member of a public room may copy its link, and nothing more. */
  g_assert_true (menu_offers (row, "win.copy-invite"));
  g_assert_false (menu_offers (row, "win.room-settings"));
  g_assert_false (menu_offers (row, "win.delete-room"));
  g_assert_false (menu_offers (row, "win.room-people"));
  g_assert_false (menu_offers (row, "win.room-history"));
  g_assert_false (menu_offers (row, "win.email-invite"));
  g_assert_false (confab_test_is_showing (confab_test_find_by_id (GTK_WIDGET (row), "role_label")));

  /* "My Rooms" without an own room explains how to make one. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (confab_test_find_by_id (lobby, "my_rooms_button")), TRUE);
  g_assert_false (is_room_shown (fixture->window, ada_room));
  g_assert_true (confab_test_is_showing (confab_test_find_label (lobby, "You own or moderate no rooms. Create one with New Room.")));

  /* A room Bob makes now arrives by `roomUpdated`, as his own. */
  bob_room = cfs_test_create_room (fixture->server, fixture->bob_token, "Bob's Room", 10);
  CONFAB_TEST_WAIT_UNTIL (is_room_shown (fixture->window, bob_room), TIMEOUT_MS);
  g_assert_false (is_room_shown (fixture->window, ada_room));
  g_assert_cmpstr (confab_room_item_get_role (lookup_room (fixture->window, bob_room)), ==, "owner");

  CONFAB_TEST_WAIT_UNTIL ((row = find_row (lobby, bob_room)) != NULL, TIMEOUT_MS);
  g_assert_true (confab_test_is_showing (confab_test_find_label (GTK_WIDGET (row), "Owner")));
  g_assert_true (menu_offers (row, "win.copy-invite"));
  g_assert_true (menu_offers (row, "win.room-settings"));
  g_assert_true (menu_offers (row, "win.delete-room"));
  g_assert_true (menu_offers (row, "win.room-people"));
  g_assert_true (menu_offers (row, "win.room-history"));
  /* The test server has no [smtp], so GET /api/v1/server reports no email invites. */
  g_assert_false (menu_offers (row, "win.email-invite"));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (confab_test_find_by_id (lobby, "my_rooms_button")), FALSE);
  g_assert_true (is_room_shown (fixture->window, ada_room));
  g_assert_true (is_room_shown (fixture->window, bob_room));
}

static void
test_private_room_hidden_from_member (Fixture       *fixture,
                                      gconstpointer  data)
{
  gint64 room_id = cfs_test_create_room (fixture->server, fixture->ada_token, "Soon Private", 10);

  confab_test_sign_in (fixture->window, "bob@example.org", "password-Bob");
  CONFAB_TEST_WAIT_UNTIL (lookup_room (fixture->window, room_id) != NULL, TIMEOUT_MS);

  /* The server sends `roomHidden`, and the lobby drops the room. */
  make_private (fixture->server, fixture->ada_token, room_id);
  CONFAB_TEST_WAIT_UNTIL (lookup_room (fixture->window, room_id) == NULL, TIMEOUT_MS);
}

/* A site admin moderates every room, so "My Rooms" requests from the server
 * the rooms they were made moderator of.
 */
static void
test_my_rooms_for_site_admin (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *args[] = { "--create-user", "root@example.org", "--name", "Root", "--admin", NULL };
  g_autofree char *output = NULL;
  g_autofree char *root = NULL;
  g_autofree char *grant_path = NULL;
  g_autoptr(JsonNode) granted = NULL;
  gint64 root_id = 0;
  gint64 granted_room = cfs_test_create_room (fixture->server, fixture->ada_token, "Granted", 10);
  gint64 other_room = cfs_test_create_room (fixture->server, fixture->ada_token, "Other", 10);
  gint64 own_room;
  guint status = 0;
  GtkWidget *lobby;

  g_assert_cmpint (cfs_test_server_run_command (fixture->server, args, "root password 123\n", &output), ==, 0);
  root = cfs_test_login (fixture->server, "root@example.org", "root password 123", &status);
  g_assert_cmpuint (status, ==, 200);
  own_room = cfs_test_create_room (fixture->server, root, "Root's Room", 10);
  {
    g_autoptr(JsonNode) me = cfs_test_request (fixture->server, "GET", "/api/v1/me", root, NULL, &status);

    root_id = json_object_get_int_member (json_node_get_object (me), "id");
  }
  grant_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/moderators/%" G_GINT64_FORMAT,
                                granted_room, root_id);
  granted = cfs_test_request (fixture->server, "PUT", grant_path, fixture->ada_token, NULL, &status);
  g_assert_cmpuint (status, ==, 204);

  confab_test_sign_in (fixture->window, "root@example.org", "root password 123");
  lobby = GTK_WIDGET (get_lobby (fixture->window));
  CONFAB_TEST_WAIT_UNTIL (is_room_shown (fixture->window, other_room), TIMEOUT_MS);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (confab_test_find_by_id (lobby, "my_rooms_button")), TRUE);
  CONFAB_TEST_WAIT_UNTIL (is_room_shown (fixture->window, granted_room), TIMEOUT_MS);
  g_assert_true (is_room_shown (fixture->window, own_room));
  g_assert_false (is_room_shown (fixture->window, other_room));
}

/* A server that sends mail, through an SMTP sink on loopback, offers
 * "Invite by Email…", and the address typed there gets the room's link.
 */
static void
test_email_invite (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CfsTestSmtpSink) sink = cfs_test_smtp_sink_start (NULL, NULL);
  g_autofree char *config = g_strdup_printf ("[server]\npublic_url=https://confab.example.org\n"
                                             "[smtp]\nhost=127.0.0.1\nport=%u\nstarttls=false\n"
                                             "from=Confab <confab@example.org>\n",
                                             cfs_test_smtp_sink_get_port (sink));
  g_autoptr(CfsTestServer) server = cfs_test_server_start (config);
  g_autofree char *ada = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, ada, "Weekly Sync", 10);
  g_autoptr(GSettings) settings = confab_test_new_browser_settings (cfs_test_server_get_url (server));
  g_autoptr(CfsTestMail) mail = NULL;
  g_autofree char *body = NULL;
  g_autofree char *link = g_strdup_printf ("confab://join/confab.example.org/%" G_GINT64_FORMAT "?invite=",
                                           room_id);
  ConfabWindow *window;
  ConfabRoomRow *row;
  GtkWidget *dialog;

  make_private (server, ada, room_id);
  window = confab_test_open_window (application, settings);
  confab_test_sign_in (window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL ((row = find_row (GTK_WIDGET (window), room_id)) != NULL, TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (menu_offers (row, "win.email-invite"), TIMEOUT_MS);

  choose_menu_item (window, room_id, "win.email-invite");
  dialog = confab_test_find_toplevel ("ConfabInviteDialog");
  g_assert_nonnull (dialog);

  /* Sending without an address shows an error and sends nothing. */
  confab_test_click (confab_test_find_button (dialog, "Send Invite"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (confab_test_find_by_id (dialog, "error_label"))), ==,
                   "Enter the email address to send the invite to.");
  g_assert_cmpuint (cfs_test_smtp_sink_count (sink), ==, 0);

  confab_test_type (confab_test_find_by_id (dialog, "email_row"), "bob@example.org");
  confab_test_click (confab_test_find_button (dialog, "Send Invite"));

  /* The mail carries the private room's link with a code; the dialog
   * closes and the window shows where the invite went.
   */
  g_assert_true (cfs_test_smtp_sink_wait (sink, 1, TIMEOUT_MS));
  mail = cfs_test_smtp_sink_get_mail (sink, 0);
  g_assert_nonnull (strstr (mail->rcpt_to, "bob@example.org"));
  body = cfs_test_mail_dup_body (mail);
  g_assert_nonnull (strstr (body, link));
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_toplevel ("ConfabInviteDialog") == NULL, TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_label_containing (GTK_WIDGET (window), "Invite sent to bob@example.org")
                          != NULL, TIMEOUT_MS);

  confab_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  application = confab_test_init_application (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/client/room-manage/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("edit-room", test_edit_room);
  ADD ("delete-room", test_delete_room);
  ADD ("settings-dialog-deletes", test_settings_dialog_deletes);
  ADD ("private-invite-link", test_private_invite_link);
  ADD ("public-link-for-member", test_public_link_for_member);
  ADD ("member-menu-and-my-rooms", test_member_menu_and_my_rooms);
  ADD ("private-room-hidden-from-member", test_private_room_hidden_from_member);
  ADD ("email-invite", test_email_invite);
  ADD ("my-rooms-for-site-admin", test_my_rooms_for_site_admin);

#undef ADD

  return confab_test_run (&application);
}
